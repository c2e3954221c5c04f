"""A meeting of the owners' assembly (业主大会), its motions, proxies and ballots, as values.

A :class:`Meeting` is held for one community: ownership and areas count as of ``held_on`` (the
meeting date), ballots are accepted from ``opens_at`` to ``closes_at`` (both instants in an
explicit zone; a written vote, 书面征求意见, may run over days). Each :class:`Motion` has the
art. 278 kind that decides its thresholds. A :class:`Ballot` is one owner's choice on one
motion, cast in person or through a :class:`Proxy` (a written authorisation, 授权委托书).

>>> import pendulum
>>> at = pendulum.datetime(2026, 6, 20, 9, tz="Asia/Shanghai")
>>> meeting = Meeting(
...     meeting_id="AGM-2026",
...     community="SUNRISE",
...     held_on=pendulum.date(2026, 6, 20),
...     opens_at=at,
...     closes_at=at.add(hours=8),
...     motions=[Motion("M1", MotionKind.FEE_ADJUSTMENT, "物业费调整为2.80元/㎡/月")],
... )
>>> meeting.motion("M1").kind.label("en_US")
'a fee adjustment'
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._validators import (
    check_items,
    check_record_id,
    check_text,
    check_unique,
    instance_of,
)
from propcrm.assembly._policy import MotionKind
from propcrm.errors import InvalidMeeting
from propcrm.time import as_date, aware

__all__ = ["Ballot", "Choice", "Meeting", "Motion", "Proxy"]


class Choice(enum.Enum):
    """An owner's choice on a motion: for (同意), against (反对) or abstain (弃权).

    An abstention is participation: it counts towards the quorum and, not being consent, weighs
    against the motion as art. 278 counts consent out of the participating owners.
    """

    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'同意'``, ``'反对'``, ``'弃权'`` (zh_CN); ``'for'``, ``'against'``, ``'abstain'``."""
        match self:
            case Choice.FOR:
                return pgettext("ballot choice", "for", locale=locale)
            case Choice.AGAINST:
                return pgettext("ballot choice", "against", locale=locale)
            case Choice.ABSTAIN:
                return pgettext("ballot choice", "abstain", locale=locale)


def _id(what: str) -> Callable[[object, attrs.Attribute[str], object], None]:
    def check(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
        check_record_id(value, what, InvalidMeeting, field=attribute.name)

    return check


def _title(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_text(value, attribute.name, InvalidMeeting, max_length=500, example="'调整物业费'")


def _optional_reference(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if value is not None:
        check_text(
            value, attribute.name, InvalidMeeting, max_length=200, example="'决议〔2026〕1号'"
        )


@attrs.frozen
class Motion:
    """One matter put to the vote: its id, art. 278 kind and title.

    ``resolution`` is the number the resolution gets if it passes (决议编号); a passed fee
    adjustment carries it into the tariff's approval.
    """

    motion_id: str = attrs.field(validator=_id("motion id"))
    kind: MotionKind = attrs.field(validator=instance_of(MotionKind))
    title: str = attrs.field(validator=_title)
    resolution: str | None = attrs.field(default=None, kw_only=True, validator=_optional_reference)


def _held_on(value: object) -> pendulum.Date:
    return as_date(value, "held_on")


def _opens_at(value: object) -> pendulum.DateTime:
    return aware(value, field="opens_at")  # type: ignore[arg-type]


def _closes_at(value: object) -> pendulum.DateTime:
    return aware(value, field="closes_at")  # type: ignore[arg-type]


def _cast_at(value: object) -> pendulum.DateTime:
    return aware(value, field="cast_at")  # type: ignore[arg-type]


def _motions(value: Iterable[Motion]) -> tuple[Motion, ...]:
    return check_items(value, "motions", Motion, error=InvalidMeeting)


@attrs.frozen
class Meeting:
    """A meeting of one community's owners: the as-of date, the voting window, its motions."""

    meeting_id: str = attrs.field(validator=_id("meeting id"))
    community: str = attrs.field(validator=_id("community"))
    held_on: pendulum.Date = attrs.field(converter=_held_on)
    opens_at: pendulum.DateTime = attrs.field(converter=_opens_at)
    closes_at: pendulum.DateTime = attrs.field(converter=_closes_at)
    motions: tuple[Motion, ...] = attrs.field(converter=_motions)

    def __attrs_post_init__(self) -> None:
        if self.closes_at <= self.opens_at:
            raise InvalidMeeting(
                f"meeting {self.meeting_id} closes at {self.closes_at.isoformat()}, not after it "
                f"opens at {self.opens_at.isoformat()}.",
                field="closes_at",
                value=self.closes_at,
                allowed=f"an instant after {self.opens_at.isoformat()}",
            )
        if not self.motions:
            raise InvalidMeeting(
                f"meeting {self.meeting_id} has no motion; a vote needs one at least.",
                field="motions",
                value=self.motions,
                allowed="one motion or more",
            )
        check_unique(
            (m.motion_id for m in self.motions), "motions", InvalidMeeting, what="motion id"
        )

    def motion(self, motion_id: str) -> Motion:
        """The motion with ``motion_id``; :class:`~propcrm.errors.InvalidMeeting` if none."""
        for motion in self.motions:
            if motion.motion_id == motion_id:
                return motion
        raise InvalidMeeting(
            f"meeting {self.meeting_id} has no motion {motion_id!r}.",
            field="motion_id",
            value=motion_id,
            allowed=", ".join(m.motion_id for m in self.motions),
        )

    @property
    def decided_on(self) -> datetime.date:
        """The day the vote closed, in the zone of ``closes_at``: the resolution's date."""
        return self.closes_at.date()


@attrs.frozen
class Proxy:
    """A written authorisation (授权委托书) for ``holder_id`` to vote for ``owner_id``.

    ``authorisation`` is the document's reference; one authorisation names one owner, and an
    owner gives one per meeting.
    """

    authorisation: str = attrs.field(validator=_id("authorisation"))
    owner_id: str = attrs.field(validator=_id("owner id"))
    holder_id: str = attrs.field(validator=_id("holder id"))

    def __attrs_post_init__(self) -> None:
        if self.owner_id == self.holder_id:
            raise InvalidMeeting(
                f"authorisation {self.authorisation}: owner {self.owner_id} cannot be their own "
                "proxy; an owner votes in person.",
                field="holder_id",
                value=self.holder_id,
                allowed=f"a party other than {self.owner_id}",
            )


@attrs.frozen
class Ballot:
    """One owner's ``choice`` on one motion, cast at ``cast_at``, in person or by proxy.

    ``proxy`` is the reference of the written authorisation the ballot was cast under, ``None``
    for a ballot cast by the owner in person.
    """

    ballot_id: str = attrs.field(validator=_id("ballot id"))
    motion_id: str = attrs.field(validator=_id("motion id"))
    owner_id: str = attrs.field(validator=_id("owner id"))
    choice: Choice = attrs.field(validator=instance_of(Choice))
    cast_at: pendulum.DateTime = attrs.field(converter=_cast_at)
    proxy: str | None = attrs.field(default=None, kw_only=True)

    @proxy.validator
    def _check_proxy(self, attribute: attrs.Attribute[str | None], value: object) -> None:
        if value is not None:
            check_record_id(value, "authorisation", InvalidMeeting, field=attribute.name)

    @property
    def in_person(self) -> bool:
        """Whether the owner cast it (no proxy)."""
        return self.proxy is None
