"""SLA targets: what each priority level promises, on which calendar, and the policies around it.

The domain brief (§3) gives three response levels for in-home repair: **特急 on site or handled
within 10 minutes**, **急 within 15 minutes**, **一般 the same day, or at a time agreed with the
customer**, and a 24-hour service hotline. :data:`DEFAULT_SLA_POLICY` holds exactly that:

* P1 特急: response within :data:`EXTRA_URGENT_RESPONSE_SECONDS` (600 s) on ``24x7``;
* P2 急: response within :data:`URGENT_RESPONSE_SECONDS` (900 s) on ``24x7``;
* P3 一般: response the same service day (cut-off :data:`DEFAULT_SAME_DAY_CUTOFF`, 16:00) on
  ``CN service hours``.

A target is a :class:`TargetKind` (what is measured: response, resolution, …) with a spec (how
the deadline is computed): :class:`Within` a number of business seconds, :class:`SameServiceDay`
or :class:`AgreedTime`. Specs name their calendar; the caller supplies the calendars themselves
in a :class:`CalendarSet`, so this module depends only on the :class:`BusinessTime` protocol.

**The same-day cut-off.** A request received on a service day strictly before the cut-off
(16:00 local time by default, or the end of the day's last window if that is earlier) is due at
the end of that day's last window. A request received at or after the cut-off, or on a day
without service hours (a weekend, a holiday), is due at the end of the last window of the next
service day. 16:00 is not in the brief, which says only "the same day": it leaves the last 90
minutes of a 08:30–17:30 service day for a visit. Set your community's own.

**An agreed time** is an instant negotiated with the customer. It never pauses and is measured
in elapsed time, so its deadline is always that instant.

>>> DEFAULT_SLA_POLICY.level("P1").target(TargetKind.RESPONSE).spec
Within(seconds=600, calendar='24x7')
>>> DEFAULT_SLA_POLICY.level("P3").target(TargetKind.RESPONSE).spec.describe("en_US")
'the same service day (cut-off 16:00), on CN service hours'
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Protocol, runtime_checkable

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, ngettext, pgettext
from propcrm._trusted import set_cached
from propcrm._validators import check_instance, check_int, check_items, check_text, instance_of
from propcrm.errors import (
    InvalidDuration,
    InvalidPolicy,
    InvalidType,
    MissingCalendar,
    NoWorkingTime,
    UnknownPriority,
)
from propcrm.sla._business_time import HORIZON_YEARS
from propcrm.time import (
    MAX_ROLL_DAYS,
    aware,
    zone,
)

__all__ = [
    "DEFAULT_SAME_DAY_CUTOFF",
    "DEFAULT_SLA_POLICY",
    "ELAPSED",
    "EXTRA_URGENT_RESPONSE_SECONDS",
    "HOTLINE_CALENDAR",
    "SERVICE_CALENDAR",
    "URGENT_RESPONSE_SECONDS",
    "AgreedTime",
    "BusinessTime",
    "CalendarSet",
    "ElapsedTime",
    "PriorityChangePolicy",
    "ReopenPolicy",
    "SameServiceDay",
    "ServiceDayDue",
    "ServiceLevel",
    "SlaPolicy",
    "Target",
    "TargetKind",
    "TargetSpec",
    "Within",
    "service_day_due",
]

EXTRA_URGENT_RESPONSE_SECONDS = 600
"""特急: on site or handled within 10 minutes (domain brief §3)."""

URGENT_RESPONSE_SECONDS = 900
"""急: on site or handled within 15 minutes (domain brief §3)."""

DEFAULT_SAME_DAY_CUTOFF = datetime.time(16, 0)
"""一般 "the same day": requests received from this local time on are due the next service day.

Not in the brief (which says only "the same day"); 16:00 leaves the last 90 minutes of a
08:30–17:30 service day for a visit.
"""

HOTLINE_CALENDAR = "24x7"
"""Name of the calendar of the 24-hour hotline (domain brief §3) that 特急 and 急 run on."""

SERVICE_CALENDAR = "CN service hours"
"""Name of the service-hours calendar that 一般 "the same day" runs on.

It is the name ``BusinessCalendar.china_service_hours()`` gives by default, so the default
policy runs on that calendar as it comes.
"""


# -- the calendar protocol ----------------------------------------------------------------------


@runtime_checkable
class BusinessTime(Protocol):
    """What the SLA engine needs of a business calendar; whole business seconds throughout.

    :class:`propcrm.sla.BusinessCalendar` implements it; so does :class:`ElapsedTime`.

    * ``add(t, 0) == t``; for ``d > 0`` the result lies inside a working window or exactly at
      its end (a deadline that uses up a window ends at that window's end, not the next morning);
    * ``between(a, b)`` is the working time in ``[a, b)``, truncated to whole seconds;
    * ``next_working_instant(at)`` is ``at`` inside a window, else the start of the next window.
    """

    @property
    def name(self) -> str:
        """The name SLA targets refer to the calendar by."""
        ...

    @property
    def zone(self) -> str:
        """The IANA zone the calendar's windows are in."""
        ...

    def is_working_day(self, day: datetime.date) -> bool:
        """Whether ``day`` has working windows."""
        ...

    def windows_on(
        self, day: datetime.date
    ) -> tuple[tuple[pendulum.DateTime, pendulum.DateTime], ...]:
        """The working windows of ``day`` (an overnight one ends the next day), in order."""
        ...

    def add(self, start: datetime.datetime, seconds: int) -> pendulum.DateTime:
        """The instant ``seconds`` working seconds after ``start``."""
        ...

    def between(self, a: datetime.datetime, b: datetime.datetime) -> int:
        """Working seconds in ``[a, b)``."""
        ...

    def explain(self, start: datetime.datetime, end: datetime.datetime) -> Any:
        """A structured account of ``[start, end)``: windows, holidays, make-up days."""
        ...

    def next_working_instant(self, at: datetime.datetime) -> pendulum.DateTime:
        """``at`` if it is inside a window, else the start of the next window."""
        ...


_UTC = "UTC"
_MICROSECONDS = 1_000_000


def _micros(at: pendulum.DateTime) -> int:
    """POSIX microseconds of ``at``, exactly (no float timestamp)."""
    return at.int_timestamp * _MICROSECONDS + at.microsecond


@attrs.frozen
class ElapsedTime:
    """Elapsed time as a :class:`BusinessTime`: every second counts (what agreed times run on).

    Unlike a 24×7 business calendar it needs no holiday data and never refuses a year.

    >>> t = pendulum.datetime(2026, 10, 1, 23, 0, tz="Asia/Shanghai")
    >>> ELAPSED.add(t, 7200), ELAPSED.between(t, ELAPSED.add(t, 7200))
    (DateTime(2026, 10, 2, 1, 0, 0, tzinfo=Timezone('Asia/Shanghai')), 7200)
    """

    name: str = "elapsed"
    zone: str = _UTC

    # Its windows are a pure function of the day (service_day_due keeps its answers).
    _fixed_windows: ClassVar[bool] = True

    def is_working_day(self, day: datetime.date) -> bool:
        """Every day is a working day."""
        return True

    def windows_on(
        self, day: datetime.date
    ) -> tuple[tuple[pendulum.DateTime, pendulum.DateTime], ...]:
        """The whole day, midnight to midnight in :attr:`zone`."""
        start = pendulum.datetime(day.year, day.month, day.day, tz=zone(self.zone))
        return ((start, start.add(days=1)),)

    def add(self, start: datetime.datetime, seconds: int) -> pendulum.DateTime:
        """``start`` plus ``seconds`` of elapsed time, in ``start``'s zone."""
        at = aware(start, field="start")
        check_int(seconds, "seconds", InvalidDuration, minimum=-ELAPSED_SPAN, maximum=ELAPSED_SPAN)
        try:
            return aware(
                at.in_timezone(_UTC) + datetime.timedelta(seconds=seconds), at.timezone_name
            )
        except OverflowError:
            raise NoWorkingTime(
                f"{start} plus {seconds} seconds lies outside the years a datetime reaches.",
                field="seconds",
                value=seconds,
                allowed="a result between year 1 and 9999",
            ) from None

    def between(self, a: datetime.datetime, b: datetime.datetime) -> int:
        """Elapsed seconds from ``a`` to ``b``, truncated toward zero."""
        return elapsed_seconds(_micros(aware(b, field="end")) - _micros(aware(a, field="start")))

    def explain(self, start: datetime.datetime, end: datetime.datetime) -> None:
        """Nothing to explain: elapsed time has no windows or holidays."""

    def next_working_instant(self, at: datetime.datetime) -> pendulum.DateTime:
        """``at`` itself: elapsed time never stops."""
        return aware(at, field="at")


ELAPSED_SPAN = (HORIZON_YEARS + 1) * 366 * 86_400
"""The longest elapsed time added at once, either way: the business calendars' horizon."""


def elapsed_seconds(micros: int) -> int:
    """Whole seconds in ``micros`` microseconds, truncated toward zero: elapsed time's measure."""
    whole = abs(micros) // _MICROSECONDS
    return whole if micros >= 0 else -whole


ELAPSED = ElapsedTime()
"""The elapsed-time calendar that :class:`AgreedTime` targets are measured on."""


# -- target kinds and specs ---------------------------------------------------------------------


class TargetKind(enum.Enum):
    """What a target measures. Values are stable codes for storage."""

    # Members are singletons compared by identity, so hashing by identity agrees with equality;
    # Enum's own __hash__ (hash of the name) is Python code, run for every lookup of every step
    # of every replay (a transition row, a clock's kind). Hash values were never stable across
    # processes (string hashing is randomised), so nothing can have depended on them.
    __hash__ = object.__hash__

    RESPONSE = "response"
    """响应/到场: someone responds, on site or on the phone (the brief's three levels)."""
    RESOLUTION = "resolution"
    """解决: the request is resolved."""
    SERVICE_DAY = "service_day"
    """当日: something is done by the end of the service day."""
    AGREED_TIME = "agreed_time"
    """约定时间: an appointment agreed with the customer."""
    CALLBACK = "callback"
    """回访: the follow-up call back after resolution (domain brief §4)."""
    UPDATE = "update"
    """The customer hears about progress again (reset at each update)."""

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The kind's name for people, e.g. ``'回访'`` (zh_CN) or ``'call-back'`` (en_US)."""
        match self:
            case TargetKind.RESPONSE:
                return pgettext("target kind", "response", locale=locale)
            case TargetKind.RESOLUTION:
                return pgettext("target kind", "resolution", locale=locale)
            case TargetKind.SERVICE_DAY:
                return pgettext("target kind", "same-day completion", locale=locale)
            case TargetKind.AGREED_TIME:
                return pgettext("target kind", "agreed time", locale=locale)
            case TargetKind.CALLBACK:
                return pgettext("target kind", "call-back", locale=locale)
            case TargetKind.UPDATE:
                return pgettext("target kind", "progress update", locale=locale)


# A target a year or more away is no service commitment; a typo for seconds as milliseconds is.
MAX_TARGET_SECONDS = 366 * 86_400
"""The longest :class:`Within` target accepted: 366 days of business time."""


def _whole_seconds(_instance: object, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_TARGET_SECONDS:
        raise InvalidPolicy(
            f"{attribute.name} {value!r} must be a whole number of seconds above 0 and at most "
            f"{MAX_TARGET_SECONDS} (366 days), e.g. 600.",
            field=attribute.name,
            value=value,
            allowed=f"int seconds from 1 to {MAX_TARGET_SECONDS}",
        )


def _calendar_name(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidPolicy(
            f"calendar name {value!r} must be a non-empty str, e.g. '24x7'.",
            field="calendar",
            value=value,
            allowed="non-empty text naming a calendar",
        )


def _duration_text(seconds: int, locale: LocaleLike) -> str:
    # The largest whole unit: 2 days, 4 hours, 10 minutes, else seconds.
    if seconds % 86_400 == 0:
        return ngettext("%(num)d day", "%(num)d days", seconds // 86_400, locale=locale)
    if seconds % 3_600 == 0:
        return ngettext("%(num)d hour", "%(num)d hours", seconds // 3_600, locale=locale)
    if seconds % 60 == 0:
        return ngettext("%(num)d minute", "%(num)d minutes", seconds // 60, locale=locale)
    return ngettext("%(num)d second", "%(num)d seconds", seconds, locale=locale)


@attrs.frozen
class Within:
    """Due ``seconds`` business seconds after the clock starts, on calendar ``calendar``.

    >>> Within(900, "24x7").describe("en_US")
    'within 15 minutes, on 24x7'
    >>> Within(900, "24x7").describe()
    '15分钟内，按日历“24x7”计时'
    """

    seconds: int = attrs.field(validator=_whole_seconds)
    calendar: str = attrs.field(default=HOTLINE_CALENDAR, validator=_calendar_name)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations; the calendar's name is printed as given."""
        return gettext(
            "within %(duration)s, on %(calendar)s",
            locale=locale,
            duration=_duration_text(self.seconds, locale),
            calendar=self.calendar,
        )


def _cutoff(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, datetime.time) or value.tzinfo is not None or value.microsecond:
        raise InvalidPolicy(
            f"cut-off {value!r} must be a local wall time in whole seconds without a zone, "
            "e.g. datetime.time(16, 0).",
            field="cutoff",
            value=value,
            allowed="datetime.time without tzinfo, whole seconds",
        )


@attrs.frozen
class SameServiceDay:
    """Due at the end of the service day; from ``cutoff`` on, at the end of the next one.

    The service day of an instant is its local date in the calendar's zone. Before the cut-off
    (or the end of the day's last window, if earlier) on a day with windows: the end of that
    day's last window. Otherwise: the end of the last window of the next day with windows.
    """

    calendar: str = attrs.field(default=SERVICE_CALENDAR, validator=_calendar_name)
    cutoff: datetime.time = attrs.field(default=DEFAULT_SAME_DAY_CUTOFF, validator=_cutoff)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations; the calendar's name is printed as given."""
        return gettext(
            "the same service day (cut-off %(cutoff)s), on %(calendar)s",
            locale=locale,
            cutoff=self.cutoff.strftime("%H:%M"),
            calendar=self.calendar,
        )


def _agreed(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value)


@attrs.frozen
class AgreedTime:
    """Due at ``due``, an instant agreed with the customer; it never pauses (elapsed time)."""

    due: pendulum.DateTime = attrs.field(converter=_agreed)

    @property
    def calendar(self) -> str:
        """Agreed times run on elapsed time, not on a business calendar."""
        return ELAPSED.name

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations."""
        return gettext(
            "at the time agreed with the customer, %(due)s", locale=locale, due=self.due.isoformat()
        )


TargetSpec = Within | SameServiceDay | AgreedTime
"""How a target's deadline is computed."""


@attrs.frozen
class ServiceDayDue:
    """When a :class:`SameServiceDay` target received at ``received_at`` is due, and why."""

    received_at: pendulum.DateTime
    service_day: pendulum.Date
    cutoff_at: pendulum.DateTime | None
    before_cutoff: bool
    due: pendulum.DateTime
    due_day: pendulum.Date


def service_day_due(
    calendar: BusinessTime, received_at: datetime.datetime, cutoff: datetime.time
) -> ServiceDayDue:
    """When a request received at ``received_at`` is due under the same-day rule.

    A request on a service day strictly before the cut-off (or before the end of the day's last
    window, if earlier) is due at the end of that day's last window; any other request at the
    end of the last window of the next service day.
    """
    tz = zone(calendar.zone)
    if type(received_at) is pendulum.DateTime and received_at.tzinfo is tz:
        # What aware() returns for it (the instant itself), already in the calendar's zone:
        # a same-day target starts at every request received (a replay's receipts).
        at = local = received_at
    else:
        at = aware(received_at)
        local = at if at.tzinfo is tz else at.in_timezone(tz)
    fixed = getattr(type(calendar), "_fixed_windows", False) is True
    day, cutoff_at, end = (
        kept_day_plan(calendar, local, tz, cutoff)
        if fixed
        else _day_plan(calendar, local, tz, cutoff)
    )
    if cutoff_at is not None and at < cutoff_at:
        assert end is not None  # a cut-off needs the day's windows
        return ServiceDayDue(at, day, cutoff_at, True, end, day)
    due, following = (
        kept_next_service_day(calendar, day) if fixed else _next_service_day(calendar, day)
    )
    return ServiceDayDue(at, day, cutoff_at, False, due, following)


_DayPlan = tuple[pendulum.Date, pendulum.DateTime | None, pendulum.DateTime | None]


def _day_plan(
    calendar: BusinessTime, local: pendulum.DateTime, tz: pendulum.Timezone, cutoff: datetime.time
) -> _DayPlan:
    """The local day of ``local``, its cut-off instant and the end of its last window (if any)."""
    day = local.date()
    windows = calendar.windows_on(day)
    if not windows:
        return day, None, None
    end = windows[-1][1]
    cutoff_at = min(
        pendulum.datetime(
            day.year, day.month, day.day, cutoff.hour, cutoff.minute, cutoff.second, tz=tz
        ),
        end,
    )
    return day, cutoff_at, end


def _next_service_day(
    calendar: BusinessTime, day: pendulum.Date
) -> tuple[pendulum.DateTime, pendulum.Date]:
    """The end of the last window of the first service day after ``day``, and that day."""
    following = day
    for _ in range(MAX_ROLL_DAYS):
        following = following.add(days=1)
        windows = calendar.windows_on(following)
        if windows:
            return windows[-1][1], following
    raise NoWorkingTime(
        f"calendar {calendar.name!r} has no service day within {MAX_ROLL_DAYS} days after "
        f"{day.isoformat()}; the same-day rule needs one.",
        calendar=calendar.name,
        day=day,
        max_roll_days=MAX_ROLL_DAYS,
    )


# Every request received on a day asks the same-day rule the same questions of its calendar, so
# for calendars whose windows never change (``_fixed_windows``: BusinessCalendar, ELAPSED) the
# answers are kept per calendar and day. Keyed by identity, each entry keeping its calendar
# alive, so an id is never reused while its entry stands; errors are not kept (asked again).
_SAME_DAY: dict[tuple[int, datetime.date, datetime.time], tuple[BusinessTime, _DayPlan]] = {}
_NEXT_DAY: dict[
    tuple[int, datetime.date], tuple[BusinessTime, tuple[pendulum.DateTime, pendulum.Date]]
] = {}
_DAYS_KEPT = 4096


def kept_day_plan(
    calendar: BusinessTime, local: pendulum.DateTime, tz: pendulum.Timezone, cutoff: datetime.time
) -> _DayPlan:
    """``_day_plan`` of a calendar with fixed windows, kept per day (a fold's starts read it)."""
    key = (id(calendar), datetime.datetime.date(local), cutoff)
    found = _SAME_DAY.get(key)
    if found is not None and found[0] is calendar:
        return found[1]
    plan = _day_plan(calendar, local, tz, cutoff)
    if len(_SAME_DAY) >= _DAYS_KEPT:
        _SAME_DAY.clear()
    _SAME_DAY[key] = (calendar, plan)
    return plan


def kept_next_service_day(
    calendar: BusinessTime, day: pendulum.Date
) -> tuple[pendulum.DateTime, pendulum.Date]:
    """``_next_service_day`` of a calendar with fixed windows, kept per day."""
    key = (id(calendar), day)
    found = _NEXT_DAY.get(key)
    if found is not None and found[0] is calendar:
        return found[1]
    due = _next_service_day(calendar, day)
    if len(_NEXT_DAY) >= _DAYS_KEPT:
        _NEXT_DAY.clear()
    _NEXT_DAY[key] = (calendar, due)
    return due


# -- targets and levels ---------------------------------------------------------------------------


def _default_pausable(target: Target) -> bool:
    return not isinstance(target.spec, AgreedTime)


def _spec(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, Within | SameServiceDay | AgreedTime):
        raise InvalidPolicy(
            f"target spec {value!r} must be Within, SameServiceDay or AgreedTime.",
            field="spec",
            value=value,
            allowed="Within, SameServiceDay or AgreedTime",
        )


@attrs.frozen
class Target:
    """One target of a request: its kind, its spec, whether it pauses, when it starts.

    ``pausable`` defaults to ``True``, and is always ``False`` for an agreed time.
    ``starts_with_request``: whether the clock starts when the request is opened (a call-back
    target starts later, when the host starts it).
    """

    kind: TargetKind = attrs.field(validator=instance_of(TargetKind))
    spec: TargetSpec = attrs.field(validator=_spec)
    pausable: bool = attrs.field(
        default=attrs.Factory(_default_pausable, takes_self=True),
        validator=instance_of(bool),
    )
    starts_with_request: bool = attrs.field(default=True, validator=instance_of(bool))

    def __attrs_post_init__(self) -> None:
        if self.pausable and isinstance(self.spec, AgreedTime):
            raise InvalidPolicy(
                f"the {self.kind.value} target is an agreed time, which never pauses; "
                "leave pausable at its default (False).",
                field="pausable",
                value=self.pausable,
                allowed="False for an agreed time",
            )

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations: the kind and its spec."""
        return gettext(
            "%(kind)s: %(rule)s",
            locale=locale,
            kind=self.kind.label(locale),
            rule=self.spec.describe(locale),
        )


def _targets(value: Iterable[Target]) -> tuple[Target, ...]:
    return check_items(value, "targets", error=InvalidPolicy)


def _priority_code(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidPolicy(
            f"a service level needs a priority code like 'P1', not {value!r}.",
            field="priority",
            value=value,
            allowed="non-empty text, e.g. 'P1'",
        )


@attrs.frozen
class ServiceLevel:
    """The targets of one priority level, keyed by their kind.

    A level's targets never hold an :class:`AgreedTime`: an agreed time belongs to one request,
    and is set on it with a ``TargetChanged`` event.
    """

    priority: str = attrs.field(validator=_priority_code)
    targets: tuple[Target, ...] = attrs.field(converter=_targets)
    # The targets' kinds, read at every receipt a replay checks (the response guard) and at
    # every priority change: kept from the targets when the level is built.
    _kinds: tuple[TargetKind, ...] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if not self.targets:
            raise InvalidPolicy(
                f"service level {self.priority} needs at least one target.",
                field="targets",
                value=self.targets,
                allowed="at least one Target",
            )
        seen: set[TargetKind] = set()
        for target in self.targets:
            if not isinstance(target, Target):
                raise InvalidPolicy(
                    f"service level {self.priority} holds Targets, not {target!r}.",
                    field="targets",
                    value=target,
                    allowed="Target",
                )
            if target.kind in seen:
                raise InvalidPolicy(
                    f"service level {self.priority} has two {target.kind.value} targets; "
                    "each kind appears once.",
                    field="targets",
                    value=target.kind,
                    allowed="each target kind once",
                )
            if isinstance(target.spec, AgreedTime):
                raise InvalidPolicy(
                    f"service level {self.priority} has an agreed time; agreed times belong to "
                    "one request (set them with TargetChanged), not to a level.",
                    field="targets",
                    value=target,
                    allowed="Within or SameServiceDay targets",
                )
            seen.add(target.kind)
        set_cached(self, "_kinds", tuple(t.kind for t in self.targets))

    @property
    def kinds(self) -> tuple[TargetKind, ...]:
        """The kinds of the level's targets, in order."""
        return self._kinds

    def target(self, kind: TargetKind) -> Target:
        """The target of ``kind``; :class:`~propcrm.errors.InvalidPolicy` if the level has none."""
        check_instance(kind, "kind", TargetKind)
        for target in self.targets:
            if target.kind is kind:
                return target
        raise InvalidPolicy(
            f"service level {self.priority} has no {kind.value} target; it has "
            f"{', '.join(k.value for k in self.kinds)}.",
            field="kind",
            value=kind,
            allowed=", ".join(k.value for k in self.kinds),
        )

    def with_target(self, target: Target) -> ServiceLevel:
        """A new level with ``target`` added, or replacing the target of its kind."""
        check_instance(target, "target", Target)
        kept = tuple(t for t in self.targets if t.kind is not target.kind)
        if len(kept) == len(self.targets):
            return attrs.evolve(self, targets=(*self.targets, target))
        return attrs.evolve(
            self, targets=tuple(target if t.kind is target.kind else t for t in self.targets)
        )


class PriorityChangePolicy(enum.Enum):
    """What a priority or SLA change does to a running clock.

    ``KEEP_CONSUMED`` (the default): the business time used so far counts against the new
    target (a request raised from 一般 to 特急 after 5 minutes has 5 minutes left); it is measured
    again on the new target's calendar. ``RESTART``: the new target starts in full at the change.
    """

    KEEP_CONSUMED = "keep_consumed"
    RESTART = "restart"


class ReopenPolicy(enum.Enum):
    """What reopening a stopped target does.

    ``CONTINUE`` (the default): the same cycle runs on with the time it had used; the time it
    was closed does not count (as if paused). One outcome, decided at the next stop.
    ``NEW_CYCLE``: the first cycle's outcome stands; a second cycle starts in full. Two outcomes.
    ``RESTART``: the stop is void and the cycle starts again in full from the reopen. One outcome.
    """

    CONTINUE = "continue"
    NEW_CYCLE = "new_cycle"
    RESTART = "restart"


def _levels(value: Iterable[ServiceLevel]) -> tuple[ServiceLevel, ...]:
    return check_items(value, "levels", ServiceLevel, error=InvalidPolicy)


def _policy_name(_instance: object, _attribute: object, value: Any) -> None:
    check_text(value, "name", InvalidPolicy, example="'default'")


@attrs.frozen
class SlaPolicy:
    """A community's service levels per priority code, and its change and reopen policies.

    >>> policy = DEFAULT_SLA_POLICY.with_target(
    ...     "P1", Target(TargetKind.RESOLUTION, Within(4 * 3600, SERVICE_CALENDAR))
    ... )
    >>> policy.level("P1").kinds
    (<TargetKind.RESPONSE: 'response'>, <TargetKind.RESOLUTION: 'resolution'>)
    >>> sorted(policy.calendar_names)
    ['24x7', 'CN service hours']
    """

    levels: tuple[ServiceLevel, ...] = attrs.field(converter=_levels)
    priority_change: PriorityChangePolicy = attrs.field(
        default=PriorityChangePolicy.KEEP_CONSUMED,
        validator=instance_of(PriorityChangePolicy),
    )
    reopen: ReopenPolicy = attrs.field(
        default=ReopenPolicy.CONTINUE, validator=instance_of(ReopenPolicy)
    )
    name: str = attrs.field(default="default", validator=_policy_name)

    def __attrs_post_init__(self) -> None:
        if not self.levels:
            raise InvalidPolicy(
                f"SLA policy {self.name!r} needs at least one service level.",
                field="levels",
                value=self.levels,
                allowed="at least one ServiceLevel",
            )
        codes = [level.priority for level in self.levels]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise InvalidPolicy(
                f"SLA policy {self.name!r} has priority {', '.join(twice)} twice; "
                "each priority code has one service level.",
                field="levels",
                value=twice[0],
                allowed="each priority code once",
            )

    @property
    def priorities(self) -> tuple[str, ...]:
        """The priority codes, in the policy's order."""
        return tuple(level.priority for level in self.levels)

    @property
    def calendar_names(self) -> frozenset[str]:
        """Every calendar name a target of the policy runs on."""
        return frozenset(t.spec.calendar for level in self.levels for t in level.targets)

    def level(self, priority: str) -> ServiceLevel:
        """The service level of ``priority``; :class:`~propcrm.errors.UnknownPriority` if none."""
        for level in self.levels:
            if level.priority == priority:
                return level
        raise UnknownPriority(
            f"SLA policy {self.name!r} has no service level for priority {priority!r}; it has "
            f"{', '.join(self.priorities)}.",
            field="priority",
            value=priority,
            allowed=", ".join(self.priorities),
        )

    def check_scale(self, scale: Iterable[Any]) -> None:
        """Refuse a priority scale with a level (anything with a ``code``) this policy lacks.

        >>> from propcrm.classification import DEFAULT_PRIORITIES, Priority
        >>> DEFAULT_SLA_POLICY.check_scale(DEFAULT_PRIORITIES)
        >>> DEFAULT_SLA_POLICY.check_scale(
        ...     DEFAULT_PRIORITIES.with_level(Priority("P4", "预约", "scheduled", 4))
        ... )
        Traceback (most recent call last):
        ...
        propcrm.errors.UnknownPriority: SLA policy 'default' has no service level for priority \
P4; add one with with_level.
        """
        codes: list[str] = []
        for level in check_items(scale, "scale", error=InvalidPolicy):
            code = getattr(level, "code", None)
            if not isinstance(code, str):
                raise InvalidType(
                    f"scale holds a level without a text code ({level!r}); pass a "
                    "PriorityScale or levels with a code such as 'P1'.",
                    field="scale",
                    value=level,
                    allowed="levels with a str code",
                )
            codes.append(code)
        missing = [c for c in codes if c not in self.priorities]
        if missing:
            raise UnknownPriority(
                f"SLA policy {self.name!r} has no service level for priority "
                f"{', '.join(missing)}; add one with with_level.",
                field="scale",
                value=missing[0],
                allowed=", ".join(self.priorities),
            )

    def with_level(self, level: ServiceLevel) -> SlaPolicy:
        """A new policy with ``level`` added, or replacing the level of its priority."""
        check_instance(level, "level", ServiceLevel)
        if level.priority in self.priorities:
            return attrs.evolve(
                self,
                levels=tuple(level if x.priority == level.priority else x for x in self.levels),
            )
        return attrs.evolve(self, levels=(*self.levels, level))

    def with_target(self, priority: str, target: Target) -> SlaPolicy:
        """A new policy with ``target`` added to (or replaced in) the level of ``priority``."""
        check_instance(target, "target", Target)
        return self.with_level(self.level(priority).with_target(target))


DEFAULT_SLA_POLICY = SlaPolicy(
    (
        ServiceLevel(
            "P1",
            (Target(TargetKind.RESPONSE, Within(EXTRA_URGENT_RESPONSE_SECONDS, HOTLINE_CALENDAR)),),
        ),
        ServiceLevel(
            "P2", (Target(TargetKind.RESPONSE, Within(URGENT_RESPONSE_SECONDS, HOTLINE_CALENDAR)),)
        ),
        ServiceLevel("P3", (Target(TargetKind.RESPONSE, SameServiceDay(SERVICE_CALENDAR)),)),
    ),
)
"""特急 10 minutes and 急 15 minutes on the 24×7 hotline; 一般 the same service day (brief §3)."""


# -- calendars by name ----------------------------------------------------------------------------


def _calendars(
    value: Iterable[BusinessTime] | Mapping[str, BusinessTime],
) -> tuple[BusinessTime, ...]:
    if isinstance(value, Mapping):
        return tuple(value.values())
    return check_items(value, "calendars", error=InvalidPolicy)


@attrs.frozen
class CalendarSet:
    """The calendars SLA targets refer to by name.

    >>> calendars = CalendarSet([ELAPSED])
    >>> calendars["elapsed"] is ELAPSED, calendars.names
    (True, ('elapsed',))
    >>> calendars["24x7"]
    Traceback (most recent call last):
    ...
    propcrm.errors.MissingCalendar: no calendar named '24x7' was supplied; the calendars are \
elapsed. Pass it in the CalendarSet.
    """

    calendars: tuple[BusinessTime, ...] = attrs.field(converter=_calendars)
    # The calendars by name (unique, checked below): every clock looks its calendar up here.
    _by_name: dict[str, BusinessTime] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        names: list[str] = []
        for calendar in self.calendars:
            if not isinstance(calendar, BusinessTime):
                raise InvalidType(
                    f"{calendar!r} is not a business calendar; pass objects with name, zone, "
                    "windows_on, add, between, explain and next_working_instant.",
                    field="calendars",
                    value=calendar,
                    allowed="a BusinessTime (e.g. a BusinessCalendar)",
                )
            if calendar.name in names:
                raise InvalidPolicy(
                    f"two calendars are named {calendar.name!r}; SLA targets find calendars by "
                    "name, so names must be unique.",
                    field="calendars",
                    value=calendar.name,
                    allowed="each calendar name once",
                )
            names.append(calendar.name)
        set_cached(self, "_by_name", dict(zip(names, self.calendars, strict=True)))

    @property
    def names(self) -> tuple[str, ...]:
        """The calendars' names, in order."""
        return tuple(c.name for c in self.calendars)

    def __getitem__(self, name: str) -> BusinessTime:
        found = self._by_name.get(name) if type(name) is str else None
        if found is not None:
            return found
        if name == ELAPSED.name:
            return ELAPSED
        raise MissingCalendar(
            f"no calendar named {name!r} was supplied; the calendars are "
            f"{', '.join(self.names) or 'none'}. Pass it in the CalendarSet.",
            field="calendar",
            value=name,
            allowed=", ".join(self.names),
        )

    def for_spec(self, spec: TargetSpec) -> BusinessTime:
        """The calendar ``spec`` runs on (:data:`ELAPSED` for an agreed time)."""
        kind = type(spec)
        if kind is not Within and kind is not SameServiceDay:  # (every clock event asks)
            check_instance(spec, "spec", Within, SameServiceDay, AgreedTime)
            if isinstance(spec, AgreedTime):
                return ELAPSED
        # __getitem__'s look-up first (every clock a fold freezes asks)
        found = self._by_name.get(spec.calendar)
        return self[spec.calendar] if found is None else found

    def check(self, policy: SlaPolicy) -> None:
        """Refuse a policy whose targets name a calendar this set does not hold."""
        check_instance(policy, "policy", SlaPolicy)
        missing = sorted(policy.calendar_names - {*self.names, ELAPSED.name})
        if missing:
            raise MissingCalendar(
                f"SLA policy {policy.name!r} runs on calendar(s) {', '.join(missing)}, which were "
                f"not supplied; the calendars are {', '.join(self.names) or 'none'}.",
                field="calendars",
                value=missing[0],
                allowed=", ".join(self.names),
            )
