"""Community activities (社区活动): sign-up with capacity and a waiting list, attendance, history.

An :class:`ActivityRoster` is an activity's sign-ups in the order they came. The first
``capacity`` are confirmed, the rest wait; when a confirmed party cancels, the first one waiting
moves up, and the roster records when. After the activity, attendance is recorded for the
confirmed. Every party's part in every activity is its :func:`activity_history`, the behaviour
fact segmentation reads (who takes part, who signs up and does not come).

>>> at = pendulum.datetime(2026, 12, 1, 9, 0, tz="Asia/Shanghai")
>>> walk = Activity(
...     activity_id="A-1",
...     title="重阳节登山",
...     starts_at=at.add(days=10),
...     ends_at=at.add(days=10, hours=3),
...     capacity=2,
...     signup_closes_at=at.add(days=9),
... )
>>> roster = ActivityRoster(walk)
>>> for n, party in enumerate(["P1", "P2", "P3"]):
...     roster = roster.sign_up(party, at.add(minutes=n))
>>> roster.confirmed, roster.waiting
(('P1', 'P2'), ('P3',))
>>> roster = roster.cancel("P1", at.add(hours=1))
>>> roster.confirmed, roster.waiting
(('P2', 'P3'), ())
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._validators import (
    check_instance,
    check_int,
    check_items,
    check_record_id,
    check_text,
    instance_of,
)
from propcrm.errors import InvalidNotice, SignUpRefused
from propcrm.time import aware

__all__ = [
    "Activity",
    "ActivityRoster",
    "Participation",
    "SignUp",
    "SignUpStatus",
    "activity_history",
]


class SignUpStatus(enum.Enum):
    """Where one sign-up stands; the last four are the participation segmentation reads."""

    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The status's name: ``'已参加'`` or ``'attended'``."""
        match self:
            case SignUpStatus.CONFIRMED:
                return pgettext("sign-up status", "confirmed", locale=locale)
            case SignUpStatus.WAITING:
                return pgettext("sign-up status", "waiting", locale=locale)
            case SignUpStatus.CANCELLED:
                return pgettext("sign-up status", "cancelled", locale=locale)
            case SignUpStatus.ATTENDED:
                return pgettext("sign-up status", "attended", locale=locale)
            case SignUpStatus.NO_SHOW:
                return pgettext("sign-up status", "no-show", locale=locale)


def _id(_instance: object, attribute: attrs.Attribute[str], value: Any) -> None:
    check_record_id(value, attribute.name.replace("_", " "), InvalidNotice, field=attribute.name)


def _title(_instance: object, _attribute: object, value: Any) -> None:
    check_text(value, "title", InvalidNotice, max_length=60)


def _capacity(_instance: object, _attribute: object, value: Any) -> None:
    check_int(value, "capacity", InvalidNotice, minimum=1, maximum=100_000)


def _starts_at(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="starts_at")


def _ends_at(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="ends_at")


def _closes_at(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="signup_closes_at")


@attrs.frozen(kw_only=True)
class Activity:
    """An activity: when, how many may come, and until when they may sign up."""

    activity_id: str = attrs.field(validator=_id)
    title: str = attrs.field(validator=_title)
    starts_at: pendulum.DateTime = attrs.field(converter=_starts_at)
    ends_at: pendulum.DateTime = attrs.field(converter=_ends_at)
    capacity: int = attrs.field(validator=_capacity)
    signup_closes_at: pendulum.DateTime = attrs.field(converter=_closes_at)

    def __attrs_post_init__(self) -> None:
        if self.ends_at <= self.starts_at:
            raise InvalidNotice(
                f"activity {self.activity_id} ends at {self.ends_at.isoformat()}, not after it "
                f"starts at {self.starts_at.isoformat()}.",
                field="ends_at",
                value=self.ends_at,
                allowed=f"after {self.starts_at.isoformat()}",
            )
        if self.signup_closes_at > self.starts_at:
            raise InvalidNotice(
                f"sign-up for {self.activity_id} closes at {self.signup_closes_at.isoformat()}, "
                f"after the activity starts at {self.starts_at.isoformat()}.",
                field="signup_closes_at",
                value=self.signup_closes_at,
                allowed=f"at or before {self.starts_at.isoformat()}",
            )


def _at(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="signed_up_at")


def _optional_at(value: datetime.datetime | None) -> pendulum.DateTime | None:
    return None if value is None else aware(value, field="changed_at")


@attrs.frozen
class SignUp:
    """One party's sign-up: when, where it stands, and when it last changed."""

    party_id: str = attrs.field(validator=_id)
    signed_up_at: pendulum.DateTime = attrs.field(converter=_at)
    status: SignUpStatus = attrs.field(validator=instance_of(SignUpStatus))
    changed_at: pendulum.DateTime | None = attrs.field(default=None, converter=_optional_at)


def _signups(values: Iterable[SignUp]) -> tuple[SignUp, ...]:
    signups: tuple[SignUp, ...] = check_items(values, "signups", SignUp)
    return signups


@attrs.frozen
class ActivityRoster:
    """An activity's sign-ups, in the order they came; changes return a new roster."""

    activity: Activity = attrs.field(validator=instance_of(Activity))
    signups: tuple[SignUp, ...] = attrs.field(default=(), converter=_signups)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for signup in self.signups:
            if signup.party_id in seen:
                raise SignUpRefused(
                    f"{signup.party_id} is on the roster of {self.activity.activity_id} twice.",
                    field="signups",
                    value=signup.party_id,
                    allowed="each party once",
                )
            seen.add(signup.party_id)
        taken = sum(s.status in _HOLDS_A_PLACE for s in self.signups)
        if taken > self.activity.capacity:
            raise SignUpRefused(
                f"{taken} places are taken on {self.activity.activity_id}, above its capacity "
                f"of {self.activity.capacity}.",
                field="signups",
                value=taken,
                allowed=f"at most {self.activity.capacity}",
            )

    @property
    def confirmed(self) -> tuple[str, ...]:
        """Those with a place, in sign-up order."""
        return tuple(s.party_id for s in self.signups if s.status in _HOLDS_A_PLACE)

    @property
    def waiting(self) -> tuple[str, ...]:
        """The waiting list, first to move up first."""
        return tuple(s.party_id for s in self.signups if s.status is SignUpStatus.WAITING)

    def sign_up(self, party_id: str, at: datetime.datetime) -> ActivityRoster:
        """The roster with ``party_id`` confirmed, or waiting if the activity is full."""
        check_record_id(party_id, "party id", InvalidNotice, field="party_id")
        when = aware(at, field="at")
        if when > self.activity.signup_closes_at:
            raise SignUpRefused(
                f"sign-up for {self.activity.activity_id} closed at "
                f"{self.activity.signup_closes_at.isoformat()}.",
                field="at",
                value=when,
                allowed=f"at or before {self.activity.signup_closes_at.isoformat()}",
            )
        if any(s.party_id == party_id for s in self.signups):
            raise SignUpRefused(
                f"{party_id} has already signed up for {self.activity.activity_id}.",
                field="party_id",
                value=party_id,
                allowed="a party not on the roster",
            )
        if self.signups and when < self.signups[-1].signed_up_at:
            raise SignUpRefused(
                f"a sign-up at {when.isoformat()} is earlier than the last one; the roster "
                "keeps the order sign-ups came in.",
                field="at",
                value=when,
                allowed=f"at or after {self.signups[-1].signed_up_at.isoformat()}",
            )
        full = len(self.confirmed) >= self.activity.capacity
        status = SignUpStatus.WAITING if full else SignUpStatus.CONFIRMED
        return ActivityRoster(self.activity, (*self.signups, SignUp(party_id, when, status)))

    def cancel(self, party_id: str, at: datetime.datetime) -> ActivityRoster:
        """The roster without ``party_id``'s place; the first one waiting moves up."""
        signup = self._find(party_id)
        when = aware(at, field="at")
        if signup.status not in {SignUpStatus.CONFIRMED, SignUpStatus.WAITING}:
            raise SignUpRefused(
                f"{party_id}'s sign-up is {signup.status.value}; only a confirmed or waiting "
                "sign-up can be cancelled.",
                field="party_id",
                value=party_id,
                allowed="a confirmed or waiting party",
            )
        freed = signup.status is SignUpStatus.CONFIRMED
        changed = []
        for old in self.signups:
            new = old
            if old.party_id == party_id:
                new = attrs.evolve(old, status=SignUpStatus.CANCELLED, changed_at=when)
            elif freed and old.status is SignUpStatus.WAITING:
                # The waiting list moves up in sign-up order: the first one waiting gets it.
                new = attrs.evolve(old, status=SignUpStatus.CONFIRMED, changed_at=when)
                freed = False
            changed.append(new)
        return ActivityRoster(self.activity, changed)

    def attend(self, party_id: str, attended: bool = True) -> ActivityRoster:
        """The roster with ``party_id`` recorded as having come (or not) to the activity."""
        signup = self._find(party_id)
        if not isinstance(attended, bool):
            raise InvalidNotice(
                f"attended must be True or False, got {attended!r}.",
                field="attended",
                value=attended,
                allowed="bool",
            )
        if signup.status not in _HOLDS_A_PLACE:
            raise SignUpRefused(
                f"{party_id} had no place at {self.activity.activity_id} ({signup.status.value});"
                " attendance is recorded for the confirmed only.",
                field="party_id",
                value=party_id,
                allowed=", ".join(self.confirmed) or "nobody: no one is confirmed",
            )
        status = SignUpStatus.ATTENDED if attended else SignUpStatus.NO_SHOW
        return ActivityRoster(
            self.activity,
            (
                attrs.evolve(s, status=status, changed_at=self.activity.ends_at)
                if s.party_id == party_id
                else s
                for s in self.signups
            ),
        )

    def _find(self, party_id: str) -> SignUp:
        check_record_id(party_id, "party id", InvalidNotice, field="party_id")
        for signup in self.signups:
            if signup.party_id == party_id:
                return signup
        raise SignUpRefused(
            f"{party_id} has not signed up for {self.activity.activity_id}.",
            field="party_id",
            value=party_id,
            allowed="a party on the roster",
        )


_HOLDS_A_PLACE = frozenset({SignUpStatus.CONFIRMED, SignUpStatus.ATTENDED, SignUpStatus.NO_SHOW})


@attrs.frozen
class Participation:
    """One party's part in one activity: the behaviour fact segmentation reads."""

    party_id: str
    activity_id: str
    title: str
    starts_at: pendulum.DateTime
    status: SignUpStatus


def activity_history(rosters: Iterable[ActivityRoster]) -> dict[str, tuple[Participation, ...]]:
    """Every party's participations across ``rosters``, by party id, earliest activity first."""
    found: dict[str, list[Participation]] = {}
    for roster in check_items(rosters, "rosters", ActivityRoster):
        check_instance(roster, "rosters", ActivityRoster)
        activity = roster.activity
        for signup in roster.signups:
            found.setdefault(signup.party_id, []).append(
                Participation(
                    signup.party_id,
                    activity.activity_id,
                    activity.title,
                    activity.starts_at,
                    signup.status,
                )
            )
    return {
        party: tuple(sorted(items, key=lambda p: (p.starts_at, p.activity_id)))
        for party, items in sorted(found.items())
    }
