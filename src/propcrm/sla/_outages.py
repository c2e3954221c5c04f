"""Planned outages of water, power, gas, heating or lifts, and the notice residents must get.

The domain brief (§3): water and power are supplied 24 hours a day, and **planned outages are
announced at least 24 hours ahead**, emergencies excepted. :class:`OutageNoticePolicy` holds that
rule (:data:`DEFAULT_OUTAGE_NOTICE_SECONDS`); :meth:`~OutageNoticePolicy.check` refuses an
outage announced later than that unless it is marked as an emergency, and otherwise says which
rule let it through. Notice is measured in elapsed time between the two instants.

>>> ten = pendulum.datetime(2026, 7, 1, 10, 0, tz="Asia/Shanghai")
>>> outage = PlannedOutage(
...     Utility.WATER,
...     "3号楼",
...     starts_at=ten.add(days=1),
...     ends_at=ten.add(days=1, hours=4),
...     announced_at=ten,
...     reason="二次供水水箱清洗",
... )
>>> DEFAULT_OUTAGE_NOTICE.check(outage).rule
<NoticeRule.ADVANCE_NOTICE: 'advance_notice'>
>>> DEFAULT_OUTAGE_NOTICE.check(attrs.evolve(outage, announced_at=ten.add(hours=1)))
Traceback (most recent call last):
...
propcrm.errors.OutageNoticeTooShort: the water outage for 3号楼 starting 2026-07-02T10:00:00+08:00 \
was announced 23 hours ahead, at 2026-07-01T11:00:00+08:00; planned outages need 24 hours' \
notice (announce by 2026-07-01T10:00:00+08:00), or mark it an emergency.
"""

from __future__ import annotations

import datetime
import enum
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._validators import check_instance, instance_of
from propcrm.errors import InvalidOutage, InvalidPolicy, OutageNoticeTooShort
from propcrm.sla._targets import ELAPSED
from propcrm.time import aware

__all__ = [
    "DEFAULT_OUTAGE_NOTICE",
    "DEFAULT_OUTAGE_NOTICE_SECONDS",
    "NoticeDecision",
    "NoticeRule",
    "OutageNoticePolicy",
    "PlannedOutage",
    "Utility",
]

DEFAULT_OUTAGE_NOTICE_SECONDS = 24 * 3600
"""Planned outages are announced at least 24 hours ahead (domain brief §3)."""


class Utility(enum.Enum):
    """What an outage cuts."""

    WATER = "water"
    POWER = "power"
    GAS = "gas"
    HEATING = "heating"
    LIFT = "lift"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The outage's name for people, e.g. ``'停水'`` (zh_CN) or ``'water outage'`` (en_US)."""
        match self:
            case Utility.WATER:
                return pgettext("utility outage", "water outage", locale=locale)
            case Utility.POWER:
                return pgettext("utility outage", "power outage", locale=locale)
            case Utility.GAS:
                return pgettext("utility outage", "gas outage", locale=locale)
            case Utility.HEATING:
                return pgettext("utility outage", "heating outage", locale=locale)
            case Utility.LIFT:
                return pgettext("utility outage", "lift outage", locale=locale)


def _starts_at(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="starts_at")


def _ends_at(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="ends_at")


def _announced_at(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="announced_at")


def _text(_instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidOutage(
            f"an outage needs a {attribute.name} (non-empty text), not {value!r}.",
            field=attribute.name,
            value=value,
            allowed="non-empty text",
        )


@attrs.frozen
class PlannedOutage:
    """An outage of ``utility`` for ``scope`` (buildings, an area) in ``[starts_at, ends_at)``.

    ``emergency``: an urgent repair that cannot wait for the notice period (brief §3 excepts
    emergencies); it is still recorded, with its reason.
    """

    utility: Utility = attrs.field(validator=instance_of(Utility))
    scope: str = attrs.field(validator=_text)
    starts_at: pendulum.DateTime = attrs.field(converter=_starts_at, kw_only=True)
    ends_at: pendulum.DateTime = attrs.field(converter=_ends_at, kw_only=True)
    announced_at: pendulum.DateTime = attrs.field(converter=_announced_at, kw_only=True)
    reason: str = attrs.field(validator=_text, kw_only=True)
    emergency: bool = attrs.field(default=False, kw_only=True, validator=instance_of(bool))

    def __attrs_post_init__(self) -> None:
        if self.ends_at <= self.starts_at:
            raise InvalidOutage(
                f"the {self.utility.value} outage for {self.scope} ends at "
                f"{self.ends_at.isoformat()}, not after it starts at "
                f"{self.starts_at.isoformat()}.",
                field="ends_at",
                value=self.ends_at,
                allowed=f"an instant after {self.starts_at.isoformat()}",
            )
        if self.announced_at > self.starts_at:
            raise InvalidOutage(
                f"the {self.utility.value} outage for {self.scope} was announced at "
                f"{self.announced_at.isoformat()}, after it started at "
                f"{self.starts_at.isoformat()}; record when residents were told, before it starts.",
                field="announced_at",
                value=self.announced_at,
                allowed=f"an instant at or before {self.starts_at.isoformat()}",
            )

    @property
    def notice_seconds(self) -> int:
        """Elapsed whole seconds between the announcement and the start."""
        return ELAPSED.between(self.announced_at, self.starts_at)

    @property
    def duration_seconds(self) -> int:
        """Elapsed whole seconds the outage lasts."""
        return ELAPSED.between(self.starts_at, self.ends_at)


class NoticeRule(enum.Enum):
    """Which rule let an outage through."""

    ADVANCE_NOTICE = "advance_notice"
    """Announced at least the required notice ahead."""
    EMERGENCY = "emergency"
    """Announced late, but marked as an emergency (brief §3's exception)."""


@attrs.frozen
class NoticeDecision:
    """Which rule applied to an outage, with the notice given and the notice required."""

    outage: PlannedOutage
    rule: NoticeRule
    notice_seconds: int
    required_seconds: int
    announce_by: pendulum.DateTime

    @property
    def short_by_seconds(self) -> int:
        """How much less notice than required was given (0 when enough was)."""
        return max(0, self.required_seconds - self.notice_seconds)


# A notice longer than a year is no notice rule anyone keeps; it would also push announce_by
# toward the edge of the datetime range.
_MAX_NOTICE_SECONDS = 366 * 86_400


def _notice(_instance: object, _attribute: object, value: Any) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 0 <= value <= _MAX_NOTICE_SECONDS
    ):
        raise InvalidPolicy(
            f"minimum outage notice {value!r} must be whole seconds from 0 to "
            f"{_MAX_NOTICE_SECONDS} (a year), e.g. 86400.",
            field="min_notice_seconds",
            value=value,
            allowed=f"int seconds from 0 to {_MAX_NOTICE_SECONDS}",
        )


def _hours(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} hours"] if hours else []
    parts += [f"{minutes} minutes"] if minutes else []
    parts += [f"{secs} seconds"] if secs or not parts else []
    return " ".join(parts)


@attrs.frozen
class OutageNoticePolicy:
    """Planned outages need ``min_notice_seconds`` of notice (24 hours), emergencies excepted."""

    min_notice_seconds: int = attrs.field(default=DEFAULT_OUTAGE_NOTICE_SECONDS, validator=_notice)
    allow_emergencies: bool = attrs.field(default=True, validator=instance_of(bool))

    def check(self, outage: PlannedOutage) -> NoticeDecision:
        """The rule that lets ``outage`` through; :class:`OutageNoticeTooShort` if none does."""
        check_instance(outage, "outage", PlannedOutage)
        required = self.min_notice_seconds
        given = outage.notice_seconds
        announce_by = ELAPSED.add(outage.starts_at, -required)
        if given >= required:
            return NoticeDecision(outage, NoticeRule.ADVANCE_NOTICE, given, required, announce_by)
        if outage.emergency and self.allow_emergencies:
            return NoticeDecision(outage, NoticeRule.EMERGENCY, given, required, announce_by)
        exception = (
            "or mark it an emergency"
            if self.allow_emergencies
            else "and this policy allows no emergency exception"
        )
        raise OutageNoticeTooShort(
            f"the {outage.utility.value} outage for {outage.scope} starting "
            f"{outage.starts_at.isoformat()} was announced {_hours(given)} ahead, at "
            f"{outage.announced_at.isoformat()}; planned outages need {_hours(required)}' "
            f"notice (announce by {announce_by.isoformat()}), {exception}.",
            utility=outage.utility.value,
            scope=outage.scope,
            notice_seconds=given,
            required_seconds=required,
        )


DEFAULT_OUTAGE_NOTICE = OutageNoticePolicy()
"""24 hours' notice, emergencies excepted (domain brief §3)."""
