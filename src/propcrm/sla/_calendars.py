"""Business calendars: working windows per date, holidays, make-up days and exact business time.

A :class:`BusinessCalendar` says, for every date, which windows of local wall time are worked
(domain brief §3: service commitments are counted in the hours the service desk works). A day's
windows come from, in order of precedence:

1. a local override for that date — :class:`Closed` (a typhoon closure) or :class:`Open` with
   its own windows;
2. the holiday provider (e.g. :class:`~propcrm.sla.ChinaHolidays`): a holiday is
   closed, a make-up workday (调休上班) works ``make_up_windows`` (by default Monday's windows);
3. the :class:`WeeklyHours` of its weekday.

Arithmetic is in whole seconds of working time, exact across DST changes, lunch breaks,
holidays and make-up days (see :mod:`propcrm.sla` for how):

* ``add(t, 0) == t``; for ``d > 0``, ``add(t, d)`` lies inside a window or exactly at the end
  of one: a deadline that uses up a window ends at that window's end, not the next morning;
* ``between(a, b)`` counts working seconds in ``[a, b)``, and ``between(b, a) == -between(a, b)``;
  so ``between(t, add(t, d)) == d``.

Instants must be aware; results are pendulum DateTimes in the calendar's zone. Instants may
carry microseconds: ``add`` keeps them exactly, ``between`` truncates toward zero to whole
seconds.

>>> cal = BusinessCalendar.china_service_hours()
>>> t = pendulum.datetime(2025, 9, 30, 16, 0, tz="Asia/Shanghai")  # Tuesday, before National Day
>>> cal.add(t, 2 * 3600)  # 1.5 h left today; National Day closes Oct 1–8; Oct 9 is a Thursday
DateTime(2025, 10, 9, 9, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
>>> cal.add(t, 5400)  # uses up the afternoon window exactly
DateTime(2025, 9, 30, 17, 30, 0, tzinfo=Timezone('Asia/Shanghai'))
>>> cal.between(t, pendulum.datetime(2025, 10, 9, 9, 0, tz="Asia/Shanghai"))
7200
>>> cal.is_working_day(pendulum.date(2025, 9, 28))  # a Sunday, worked instead of a holiday
True
"""

from __future__ import annotations

import datetime
import itertools
import math
import sys
import threading
import types
import warnings
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, NamedTuple

import attrs
import pendulum

from propcrm._validators import check_int, check_items, check_text
from propcrm.errors import (
    InvalidCalendar,
    InvalidDuration,
    NaiveDatetime,
    NotAnInstant,
    NoWorkingTime,
    ProvisionalHolidays,
    UnconfirmedHolidays,
    UnknownTimeZone,
)
from propcrm.sla._business_time import (
    DEFAULT_MAX_IDLE_YEARS,
    HORIZON_YEARS,
    LAST_YEAR,
    MICROSECONDS,
    IntervalIndex,
    YearIntervals,
)
from propcrm.sla._calendar_explanations import (
    DaySkipped,
    MakeUpDayWorked,
    OverrideApplied,
    SpanExplanation,
    WindowUsed,
    YearStatus,
)
from propcrm.sla._holidays import ChinaHolidays, HolidayProvider, UnconfirmedPolicy
from propcrm.sla._targets import BusinessTime
from propcrm.sla._working_hours import (
    SECONDS_PER_DAY,
    Closed,
    DatedOverride,
    DayKind,
    Open,
    WeeklyHours,
    Window,
    check_day,
    spill,
)
from propcrm.time import (
    DEFAULT_ZONE,
    as_date,
    aware,
    zone,
)

__all__ = [
    "ALWAYS_WINDOW",
    "DEFAULT_SERVICE_WINDOWS",
    "BusinessCalendar",
    "Closed",
    "DatedOverride",
    "DayKind",
    "Open",
    "WeeklyHours",
    "Window",
    "between_posix",
    "instant_of_posix",
    "posix_instant",
]

DEFAULT_SERVICE_WINDOWS: tuple[Window, ...] = (Window("08:30", "12:00"), Window("13:30", "17:30"))
"""Service-desk hours of a working day: 08:30–12:00 and 13:30–17:30 (lunch 12:00–13:30)."""

ALWAYS_WINDOW = Window("00:00", "00:00")
"""The whole day, midnight to midnight (24×7 is this window every day)."""

_ONE_DAY = datetime.timedelta(days=1)
# The POSIX seconds every zone can turn into a local datetime (a day inside years 1 and 9999).
_FIRST_POSIX = int(datetime.datetime(1, 1, 2, tzinfo=datetime.UTC).timestamp())
_LAST_POSIX = int(datetime.datetime(LAST_YEAR, 12, 30, tzinfo=datetime.UTC).timestamp())
_ALWAYS_AWARE = (zoneinfo.ZoneInfo, datetime.timezone)


def _name(_instance: object, _attribute: object, value: str) -> None:
    check_text(value, "name", InvalidCalendar, example="'CN service hours'")


def _zone_name(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str):  # zone() caches by name: a list would not even hash
        raise UnknownTimeZone(
            f"zone {value!r} must be an IANA zone name, e.g. 'Asia/Shanghai'.",
            field="zone",
            value=value,
            allowed="an IANA zone name",
        )
    zone(value)  # raises UnknownTimeZone for anything but an IANA name


def _hours(_instance: object, _attribute: object, value: WeeklyHours) -> None:
    if not isinstance(value, WeeklyHours):
        raise InvalidCalendar(
            f"hours {value!r} must be WeeklyHours, e.g. WeeklyHours.weekdays(Window('09:00', "
            "'17:00')).",
            field="hours",
            value=value,
            allowed="WeeklyHours",
        )


def _provider(_instance: object, _attribute: object, value: HolidayProvider | None) -> None:
    if value is not None and not isinstance(value, HolidayProvider):
        raise InvalidCalendar(
            f"holidays {value!r} is not a holiday provider; pass e.g. ChinaHolidays() or None.",
            field="holidays",
            value=value,
            allowed="a HolidayProvider or None",
        )


def _tuple_of(values: object, field: str, allowed: str) -> tuple[Any, ...]:
    """``values`` as a tuple; text, a single value or anything not iterable is refused."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidCalendar(
            f"{field} must be a collection of {allowed}, got {type(values).__name__} {values!r}.",
            field=field,
            value=values,
            allowed=f"a collection of {allowed}",
        )
    return tuple(values)


def _overrides(values: Iterable[DatedOverride]) -> tuple[DatedOverride, ...]:
    found = _tuple_of(values, "overrides", "Closed(day, reason) or Open(day, windows, reason)")
    for value in found:
        if not isinstance(value, Closed | Open):
            raise InvalidCalendar(
                f"override {value!r} must be Closed(day, reason) or Open(day, windows, reason).",
                field="overrides",
                value=value,
                allowed="Closed or Open",
            )
    found = tuple(sorted(found, key=lambda o: o.day))
    for before, after in itertools.pairwise(found):
        if before.day == after.day:
            raise InvalidCalendar(
                f"two overrides for {before.day.isoformat()} ({before.reason!r}, "
                f"{after.reason!r}); give each date one override.",
                field="overrides",
                value=before.day,
                allowed="one override a date",
            )
    return found


def _optional_windows(values: Iterable[Window] | None) -> tuple[Window, ...] | None:
    if values is None:
        return None
    found = _tuple_of(values, "make_up_windows", "Window values, e.g. [Window('08:30', '12:00')]")
    for value in found:
        if not isinstance(value, Window):
            raise InvalidCalendar(
                f"make-up window {value!r} is not a Window; pass e.g. Window('08:30', '12:00').",
                field="make_up_windows",
                value=value,
                allowed="Window",
            )
    found = tuple(sorted(found, key=lambda w: w.start_offset))
    check_day(found, "make-up workdays")
    return found


class _Day(NamedTuple):
    """What a date works and why."""

    kind: DayKind
    windows: tuple[Window, ...]
    name: str | None
    override: DatedOverride | None


class _HolidayYear(NamedTuple):
    holidays: dict[datetime.date, str]
    make_up: dict[datetime.date, str]
    status: YearStatus


_Pairs = tuple[tuple[pendulum.DateTime, pendulum.DateTime], ...]
"""A day's windows as aware (start, end) pairs."""


class _Cache:
    """Lazily built, per-instance data (never compared, hashed or copied by attrs.evolve)."""

    __slots__ = ("days", "holiday_years", "index", "lock", "overrides", "windows")

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.index: IntervalIndex | None = None
        self.overrides: dict[datetime.date, DatedOverride] | None = None
        self.holiday_years: dict[int, _HolidayYear] = {}
        # Per year, each day's working intervals in POSIX seconds, after joining overlaps.
        self.days: dict[int, dict[datetime.date, tuple[tuple[int, int], ...]]] = {}
        self.windows: dict[datetime.date, _Pairs] = {}

    def __reduce__(self) -> tuple[type[_Cache], tuple[()]]:
        # A copied or unpickled calendar rebuilds its cache on first use (a lock cannot travel).
        return (_Cache, ())


@attrs.frozen
class BusinessCalendar:
    """Working windows per date in an IANA zone, with holidays, make-up days and overrides.

    Implements :class:`propcrm.time.WorkingDayCalendar` (``name`` and ``is_working_day``), so
    billing can roll due dates forward through it.

    ``unconfirmed`` decides what happens when a result depends on a year whose holiday notice
    is not confirmed: :attr:`UnconfirmedPolicy.STRICT` raises
    :class:`~propcrm.errors.UnconfirmedHolidays` naming the year; ``PROVISIONAL`` computes with
    the provider's dates, :meth:`explain` marks the result unconfirmed, and the first call whose
    result depends on such a year emits :class:`~propcrm.errors.ProvisionalHolidays` (a
    ``UserWarning``), once per calendar and year, so a caller of :meth:`add` alone can tell.

    Arithmetic looks at most :attr:`HORIZON_YEARS` (50) years ahead: :meth:`add` and
    :meth:`next_working_instant` raise :class:`~propcrm.errors.NoWorkingTime` for a result
    further than that after the start's year, and :meth:`between` and :meth:`explain` raise
    :class:`~propcrm.errors.InvalidDuration` for a span over more years, at once, so no call
    runs long whatever its arguments.

    >>> lunch = BusinessCalendar(
    ...     "front desk", WeeklyHours.weekdays(Window("09:00", "12:00"), Window("13:00", "18:00"))
    ... )
    >>> lunch.add(pendulum.datetime(2026, 3, 2, 3, 0), 2 * 3600)  # 11:00 in Shanghai, given in UTC
    DateTime(2026, 3, 2, 14, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
    >>> lunch.windows_on(pendulum.date(2026, 3, 7))  # a Saturday
    ()
    """

    name: str = attrs.field(validator=_name)
    hours: WeeklyHours = attrs.field(validator=_hours)
    zone: str = attrs.field(default=DEFAULT_ZONE, validator=_zone_name)
    holidays: HolidayProvider | None = attrs.field(default=None, validator=_provider)
    overrides: tuple[DatedOverride, ...] = attrs.field(default=(), converter=_overrides)
    make_up_windows: tuple[Window, ...] | None = attrs.field(
        default=None, converter=_optional_windows
    )
    unconfirmed: UnconfirmedPolicy = attrs.field(default=UnconfirmedPolicy.STRICT)
    max_idle_years: int = attrs.field(default=DEFAULT_MAX_IDLE_YEARS)
    _cache: _Cache = attrs.field(init=False, factory=_Cache, eq=False, hash=False, repr=False)

    HORIZON_YEARS: ClassVar[int] = HORIZON_YEARS
    # windows_on is a pure function of the day (each day's windows are built once and kept),
    # so the same-day rule may keep its answers per day (propcrm.sla's service_day_due).
    _fixed_windows: ClassVar[bool] = True
    """Years after a start's year that arithmetic may reach (and that a span may cover): 50."""

    @unconfirmed.validator
    def _check_policy(self, _attribute: object, value: UnconfirmedPolicy) -> None:
        if not isinstance(value, UnconfirmedPolicy):
            raise InvalidCalendar(
                f"unconfirmed {value!r} must be UnconfirmedPolicy.STRICT or .PROVISIONAL.",
                field="unconfirmed",
                value=value,
                allowed="UnconfirmedPolicy.STRICT or UnconfirmedPolicy.PROVISIONAL",
            )

    @max_idle_years.validator
    def _check_idle(self, _attribute: object, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= HORIZON_YEARS:
            raise InvalidCalendar(
                f"max_idle_years {value!r} must be an int from 1 to {HORIZON_YEARS} (the "
                "calendar's horizon).",
                field="max_idle_years",
                value=value,
                allowed=f"int from 1 to {HORIZON_YEARS}",
            )

    def __attrs_post_init__(self) -> None:
        if self.holidays is not None and not self._make_up:
            raise InvalidCalendar(
                f"calendar {self.name!r} has a holiday provider but no windows for make-up "
                "workdays (Monday has none); set make_up_windows.",
                field="make_up_windows",
                value=self.make_up_windows,
                allowed="windows for make-up workdays when there is a holiday provider",
            )

    # -- constructors ---------------------------------------------------------------------------

    @classmethod
    def always(cls, name: str = "24x7", zone: str = DEFAULT_ZONE) -> BusinessCalendar:
        """Every second of every day (the 24-hour hotline, water and power; brief §3).

        >>> cal = BusinessCalendar.always()
        >>> cal.add(pendulum.datetime(2026, 10, 1, 23, 55, tz="Asia/Shanghai"), 600)
        DateTime(2026, 10, 2, 0, 5, 0, tzinfo=Timezone('Asia/Shanghai'))
        """
        return cls(name, WeeklyHours.every_day(ALWAYS_WINDOW), zone)

    @classmethod
    def china_service_hours(
        cls,
        name: str = "CN service hours",
        *,
        windows: Sequence[Window] = DEFAULT_SERVICE_WINDOWS,
        zone: str = DEFAULT_ZONE,
        holidays: HolidayProvider | None = None,
        overrides: Iterable[DatedOverride] = (),
        unconfirmed: UnconfirmedPolicy = UnconfirmedPolicy.STRICT,
    ) -> BusinessCalendar:
        """``windows`` (08:30–12:00 and 13:30–17:30) on China's working days, Asia/Shanghai.

        Working days are Monday to Friday, except public holidays, plus make-up workdays, from
        ``holidays`` (by default :class:`~propcrm.sla.ChinaHolidays`).

        >>> cal = BusinessCalendar.china_service_hours()
        >>> [str(s.time()) for s, _ in cal.windows_on(pendulum.date(2025, 10, 11))]  # make-up Sat
        ['08:30:00', '13:30:00']
        """
        return cls(
            name,
            WeeklyHours.weekdays(*check_items(windows, "windows", error=InvalidCalendar)),
            zone,
            holidays=ChinaHolidays() if holidays is None else holidays,
            overrides=tuple(overrides),
            unconfirmed=unconfirmed,
        )

    # -- days -----------------------------------------------------------------------------------

    @property
    def _make_up(self) -> tuple[Window, ...]:
        return self.hours.monday if self.make_up_windows is None else self.make_up_windows

    @property
    def _spills(self) -> bool:
        """Whether any window runs past midnight into the next day."""
        groups = [*self.hours.days, self._make_up]
        groups.extend(o.windows for o in self.overrides if isinstance(o, Open))
        return any(spill(g) > 0 for g in groups)

    def _override_map(self) -> dict[datetime.date, DatedOverride]:
        found = self._cache.overrides
        if found is None:
            found = self._cache.overrides = {o.day: o for o in self.overrides}
        return found

    def _holiday_year(self, year: int) -> _HolidayYear:
        cache = self._cache.holiday_years
        found = cache.get(year)
        if found is None:
            provider = self.holidays
            assert provider is not None  # only asked for when there is one
            data = provider.year(year)
            found = _HolidayYear(
                {h.day: h.name for h in data.holidays},
                {m.day: m.name for m in data.make_up_days},
                YearStatus(year, provider.name, data.confirmed, data.source),
            )
            cache[year] = found
            if not found.status.confirmed and self.unconfirmed is UnconfirmedPolicy.PROVISIONAL:
                # Here, where the year is loaded once per calendar, not in add(): the hot path
                # pays nothing, and the year is cached first, so an error filter that raises the
                # warning leaves the calendar whole and warned.
                self._warn_provisional(found.status)
        if not found.status.confirmed and self.unconfirmed is UnconfirmedPolicy.STRICT:
            raise UnconfirmedHolidays(
                f"calendar {self.name!r} needs the holidays of {year}, but {year} is not "
                f"confirmed by holiday provider {found.status.provider!r}: no notice is known "
                "for it, so its make-up workdays may be missing. Confirm the year with its "
                f"source (for China: ChinaHolidays().confirm({year}, source)), give the year's "
                "notice (ChinaHolidays().with_notice(...)), or accept provisional results with "
                "unconfirmed=UnconfirmedPolicy.PROVISIONAL.",
                calendar=self.name,
                provider=found.status.provider,
                year=year,
            )
        return found

    def _warn_provisional(self, status: YearStatus) -> None:
        """Warn that ``status``'s year is used provisionally, naming the caller's line."""
        warnings.warn(
            ProvisionalHolidays(
                f"calendar {self.name!r} used the holidays of {status.year} from holiday "
                f"provider {status.provider!r}, but no notice confirms {status.year} yet "
                "(policy PROVISIONAL): its make-up workdays may be missing, so results that "
                f"depend on {status.year} may change when the notice is out. "
                "explain(...).unconfirmed_years says which results; confirm the year or give its "
                "notice to make them final. Warned once per calendar and year.",
                calendar=self.name,
                provider=status.provider,
                year=status.year,
            ),
            stacklevel=_outside_propcrm(sys._getframe()),
        )

    def _day(self, day: datetime.date) -> _Day:
        override = self._override_map().get(day)
        if override is not None:
            if isinstance(override, Closed):
                return _Day(DayKind.CLOSED, (), override.reason, override)
            return _Day(DayKind.OPEN, override.windows, override.reason, override)
        if self.holidays is not None:
            year = self._holiday_year(day.year)
            name = year.holidays.get(day)
            if name is not None:
                return _Day(DayKind.HOLIDAY, (), name, None)
            name = year.make_up.get(day)
            if name is not None:
                return _Day(DayKind.MAKE_UP, self._make_up, name, None)
        return _Day(DayKind.REGULAR, self.hours.on(day.isoweekday()), None, None)

    def is_working_day(self, day: datetime.date) -> bool:
        """Whether ``day`` has at least one window (make-up days yes, holidays no).

        >>> cal = BusinessCalendar.china_service_hours()
        >>> (
        ...     cal.is_working_day(pendulum.date(2026, 10, 1)),
        ...     cal.is_working_day(pendulum.date(2026, 10, 10)),
        ... )
        (False, True)
        """
        return bool(self._day(as_date(day)).windows)

    # -- the interval index ---------------------------------------------------------------------

    def _posix(self, day: datetime.date, offset: int) -> int:
        """The instant ``offset`` wall-clock seconds after ``day``'s midnight (may be next day).

        A wall time skipped by a DST change is shifted forward by the change; a repeated one
        is taken at its first occurrence (PEP 495, fold=0).
        """
        if offset >= SECONDS_PER_DAY:
            if day.year == LAST_YEAR and day.month == 12 and day.day == 31:
                return self._posix(day, 0) + offset
            day, offset = day + _ONE_DAY, offset - SECONDS_PER_DAY
        hour, rest = divmod(offset, 3600)
        minute, second = divmod(rest, 60)
        local = datetime.datetime(
            day.year, day.month, day.day, hour, minute, second, tzinfo=zone(self.zone)
        )
        return int(local.timestamp())

    def _raw(self, day: datetime.date) -> list[tuple[int, int]]:
        return self._intervals(day, self._day(day).windows)

    def _intervals(self, day: datetime.date, windows: tuple[Window, ...]) -> list[tuple[int, int]]:
        found = []
        for window in windows:
            start = self._posix(day, window.start_offset)
            end = self._posix(day, window.end_offset)
            if start < end:  # a DST gap can move a start past its end: no real time left
                found.append((start, end))
        return found

    def _year_begin(self, year: int) -> int:
        if year > LAST_YEAR:
            return self._posix(datetime.date(LAST_YEAR, 12, 31), SECONDS_PER_DAY)
        return self._posix(datetime.date(year, 1, 1), 0)

    def _build_year(self, year: int) -> YearIntervals:
        begin = self._year_begin(year)
        reach = begin  # the latest end so far: later windows start no earlier (overlaps join)
        lead: list[tuple[int, int]] = []
        if year > 1 and self._spills:
            before = self._raw(datetime.date(year - 1, 12, 31))
            lead = [(max(s, begin), e) for s, e in before if e > begin]
            reach = max([reach, *(e for _, e in before)])
        raw: list[tuple[int, int, datetime.date]] = []
        day = datetime.date(year, 1, 1)
        while day.year == year:
            raw.extend((start, end, day) for start, end in self._raw(day))
            if day.month == 12 and day.day == 31:
                break
            day += _ONE_DAY
        # Wall order is not real order: a window start skipped by a DST change moves forward by
        # the change, past the start of a later window (02:01–02:02 is 03:01–03:02 in New York on
        # 8 March 2026, after 03:00–03:01). Trimming in real order counts each second once.
        raw.sort()
        found: dict[datetime.date, list[tuple[int, int]]] = {}
        intervals: list[tuple[int, int]] = []
        for start, end, owner in raw:
            start = max(start, reach)  # noqa: PLW2901 - trimmed in place, on purpose
            if start < end:
                found.setdefault(owner, []).append((start, end))
                intervals.append((start, end))
                reach = end
        self._cache.days[year] = {owner: tuple(kept) for owner, kept in found.items()}
        return YearIntervals.of(year, begin, self._year_begin(year + 1), intervals, lead)

    def _year_of(self, posix: int) -> int:
        # Called on the instants a caller gives (before any result is computed), so an instant
        # whose local date falls in year 0 or 10000 here is refused as an argument.
        try:
            return datetime.datetime.fromtimestamp(posix, zone(self.zone)).year
        except (OverflowError, ValueError):
            raise NotAnInstant(
                f"the instant at POSIX second {posix} lies outside years 1 to {LAST_YEAR} in "
                f"zone {self.zone}; no local date holds it, so it has no business time.",
                field="instant",
                value=posix,
                allowed=f"an instant in years 1 to {LAST_YEAR} of {self.zone}",
            ) from None

    @property
    def _index(self) -> IntervalIndex:
        index = self._cache.index
        if index is None:
            with self._cache.lock:
                index = self._cache.index
                if index is None:
                    index = self._cache.index = IntervalIndex(
                        self._build_year,
                        self._year_of,
                        max_idle_years=self.max_idle_years,
                        short_span=_SHORT_SPAN,
                    )
        return index

    def _day_intervals(self, day: datetime.date) -> tuple[tuple[int, int], ...]:
        days = self._cache.days.get(day.year)
        if days is None:
            self._index.year(day.year)
            days = self._cache.days[day.year]
        return days.get(day, ())

    def windows_on(
        self, day: datetime.date
    ) -> tuple[tuple[pendulum.DateTime, pendulum.DateTime], ...]:
        """The windows of ``day`` as aware ``(start, end)`` pairs, sorted (cached per day).

        An overnight window belongs to the day it starts. Where an overnight window of the day
        before runs into this day's windows, they start when it ends (working time is counted
        once).

        >>> cal = BusinessCalendar.china_service_hours()
        >>> [(str(s), str(e)) for s, e in cal.windows_on(pendulum.date(2026, 3, 2))]
        [('2026-03-02 08:30:00+08:00', '2026-03-02 12:00:00+08:00'), \
('2026-03-02 13:30:00+08:00', '2026-03-02 17:30:00+08:00')]
        """
        wanted = as_date(day)
        found = self._cache.windows.get(wanted)
        if found is None:
            found = tuple(
                (self._out(s, 0), self._out(e, 0)) for s, e in self._day_intervals(wanted)
            )
            self._cache.windows[wanted] = found
        return found

    # -- arithmetic -------------------------------------------------------------------------------

    def _out(self, posix: int, us: int) -> pendulum.DateTime:
        try:
            return instant_of_posix(posix, us, ZONES.get(self.zone) or zone_of(self.zone))
        except (OverflowError, ValueError):
            raise NoWorkingTime(
                f"the result lies after the end of year {LAST_YEAR}; no datetime reaches it.",
                field="year",
                value=posix,
                allowed=f"up to {LAST_YEAR}",
            ) from None

    def add(self, start: datetime.datetime, seconds: int) -> pendulum.DateTime:
        """The instant when ``seconds`` of working time from ``start`` are used up.

        ``add(t, 0) == t``; for ``seconds > 0`` the result lies inside a window or exactly at
        its end.

        >>> cal = BusinessCalendar.china_service_hours()
        >>> eleven = pendulum.datetime(2026, 3, 2, 11, 0, tz="Asia/Shanghai")
        >>> cal.add(eleven, 3600)  # uses up the morning: its end, not after lunch
        DateTime(2026, 3, 2, 12, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
        >>> cal.add(eleven, 5400)  # the lunch break 12:00–13:30 does not count
        DateTime(2026, 3, 2, 14, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
        >>> cal.add(eleven, 1.5 * 3600)
        Traceback (most recent call last):
        ...
        propcrm.errors.InvalidDuration: business time 5400.0 is a float; it is counted in whole \
seconds, so pass an int, e.g. 5400 for 1.5 hours.
        >>> BusinessCalendar.always().add(eleven, 10**15)  # refused at once: beyond the horizon
        Traceback (most recent call last):
        ...
        propcrm.errors.NoWorkingTime: adding 1000000000000000 working seconds reaches beyond the \
calendar's horizon of 50 years (at most 1612742400 seconds even on a 24x7 calendar); an SLA \
deadline lies hours or days ahead.
        """
        s, us = _instant(start, "start")
        return self._out(*self._index.add(s, us, _duration(seconds)))

    def between(self, start: datetime.datetime, end: datetime.datetime) -> int:
        """Working seconds in ``[start, end)``; negative when ``end`` is before ``start``.

        >>> cal = BusinessCalendar.china_service_hours()
        >>> cal.between(
        ...     pendulum.datetime(2026, 3, 2, 11, 0, tz="Asia/Shanghai"),
        ...     pendulum.datetime(2026, 3, 2, 14, 0, tz="Asia/Shanghai"),
        ... )
        5400
        """
        a, a_us = _instant(start, "start")
        b, b_us = _instant(end, "end")
        return self._index.between(a, a_us, b, b_us)

    def next_working_instant(self, at: datetime.datetime) -> pendulum.DateTime:
        """``at`` itself if it lies inside a window, else the start of the next window.

        >>> cal = BusinessCalendar.china_service_hours()
        >>> cal.next_working_instant(pendulum.datetime(2026, 3, 2, 12, 15, tz="Asia/Shanghai"))
        DateTime(2026, 3, 2, 13, 30, 0, tzinfo=Timezone('Asia/Shanghai'))
        """
        s, us = _instant(at, "at")
        return self._out(*self._index.next_working(s, us))

    def working_intervals(
        self, first: int, last: int
    ) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
        """The working intervals of the years from POSIX second ``first`` to ``last``.

        ``(starts, ends, worked)`` in POSIX seconds: each interval ``[starts[k], ends[k])``,
        in order, and ``worked[k]`` the working seconds from the first interval's start to the
        end of interval ``k``, the very index :meth:`between` and :meth:`add` count on (whole
        years: the first and last years' intervals are all there). For arithmetic over many
        instants at once (a batch over columns); refused past the calendar's horizon.

        >>> cal = BusinessCalendar.china_service_hours()
        >>> monday = int(pendulum.datetime(2026, 3, 2, tz="Asia/Shanghai").timestamp())
        >>> starts, ends, worked = cal.working_intervals(monday, monday)
        >>> k = starts.index(monday + 8 * 3600 + 1800)  # 08:30 that Monday
        >>> (ends[k] - starts[k], worked[k + 1] - worked[k])  # the morning, then the afternoon
        (12600, 14400)
        """
        check_int(first, "first")
        check_int(last, "last")
        if last < first:
            first, last = last, first
        self._index.check_span(first, last)
        run = self._index._covering(first, last)
        return tuple(run.starts), tuple(run.ends), tuple(run.cumend)

    def add_many(self, starts: Sequence[int], seconds: int | Sequence[int]) -> list[int]:
        """:meth:`add` for many instants at once, in POSIX seconds: a batch for reports.

        ``starts`` are whole POSIX seconds; ``seconds`` one duration for all or one per start.
        Each result equals ``int(add(start, d).timestamp())``; turn one into a DateTime with
        ``pendulum.from_timestamp(result, calendar.zone)``.

        >>> cal = BusinessCalendar.china_service_hours()
        >>> t = int(pendulum.datetime(2026, 3, 2, 11, 0, tz="Asia/Shanghai").timestamp())
        >>> [
        ...     pendulum.from_timestamp(r, cal.zone).format("MM-DD HH:mm")
        ...     for r in cal.add_many([t, t + 1800], 3600)
        ... ]
        ['03-02 12:00', '03-02 14:00']
        """
        # A list or tuple is read as it is (a copy of a million starts is not free).
        items: Sequence[int] = (
            starts
            if type(starts) is list or type(starts) is tuple
            else check_items(starts, "starts", error=InvalidCalendar)
        )
        # Checked a million at a time in C (each item's type, the range); only a batch that
        # fails is walked item by item, for the first refusal and its message.
        span = None
        if set(map(type, items)) == {int}:
            span = (min(items), max(items))
        if span is None or not _FIRST_POSIX <= span[0] <= span[1] <= _LAST_POSIX:
            for value in items:
                _check_start(value)
        if not isinstance(seconds, Sequence):  # one duration for all (floats, bools refused)
            duration = _duration(seconds)
            return self._index.add_many(items, duration, span=span, durations_span=(duration,) * 2)
        if len(seconds) != len(items):
            raise InvalidDuration(
                f"{len(seconds)} durations for {len(items)} starts; give one duration "
                "for all or one per start.",
                field="seconds",
                value=len(seconds),
                allowed=f"one duration or {len(items)}",
            )
        durations_span = None
        if set(map(type, seconds)) == {int}:
            durations_span = (min(seconds), max(seconds))
        if durations_span is None or not 0 <= durations_span[0] <= durations_span[1] <= (
            _HORIZON_SECONDS
        ):
            for value in seconds:
                _duration(value)
        return self._index.add_many(items, seconds, span=span, durations_span=durations_span)

    # -- explanations -----------------------------------------------------------------------------

    def explain(self, start: datetime.datetime, end: datetime.datetime) -> SpanExplanation:
        """How the working time in ``[start, end)`` was counted: windows, holidays, make-up days.

        >>> cal = BusinessCalendar.china_service_hours()
        >>> why = cal.explain(
        ...     pendulum.datetime(2025, 9, 30, 16, 0, tz="Asia/Shanghai"),
        ...     pendulum.datetime(2025, 10, 9, 9, 0, tz="Asia/Shanghai"),
        ... )
        >>> why.seconds, [(w.day.isoformat(), w.seconds) for w in why.windows]
        (7200, [('2025-09-30', 5400), ('2025-10-09', 1800)])
        >>> [(h.day.day, h.name) for h in why.holidays][:2], why.confirmed
        ([(1, '国庆节'), (2, '国庆节')], True)
        """
        a, a_us = _instant(start, "start")
        b, b_us = _instant(end, "end")
        if (b, b_us) < (a, a_us):
            raise InvalidDuration(
                f"the span ends at {end} before it starts at {start}; pass start <= end.",
                field="end",
                value=end,
                allowed=f"an instant at or after {start}",
            )
        seconds = self._index.between(a, a_us, b, b_us)
        first, last = self._out(a, a_us), self._out(b, b_us)
        return self._explain(first, last, seconds)

    def explain_add(self, start: datetime.datetime, seconds: int) -> SpanExplanation:
        """The explanation of ``[start, add(start, seconds))``: how a deadline was reached."""
        return self.explain(start, self.add(start, seconds))

    def _explain(
        self, first: pendulum.DateTime, last: pendulum.DateTime, seconds: int
    ) -> SpanExplanation:
        a = _micros(first)
        b = _micros(last)
        first_day, last_day = first.date(), last.date()
        if last > first and last == last.start_of("day"):
            # The span ends at midnight: the day it ends on has no instant in it.
            last_day -= _ONE_DAY
        windows: list[WindowUsed] = []
        skipped: list[DaySkipped] = []
        make_up: list[MakeUpDayWorked] = []
        overrides: list[OverrideApplied] = []
        day = first_day - _ONE_DAY if self._spills else first_day
        while day <= last_day:
            plan = self._day(day)
            worked = 0
            for s, e in self._day_intervals(day):
                lo, hi = max(s * MICROSECONDS, a), min(e * MICROSECONDS, b)
                if lo < hi:
                    used = (hi - lo) // MICROSECONDS
                    worked += used
                    windows.append(
                        WindowUsed(
                            day,
                            plan.kind,
                            self._out(*divmod(lo, MICROSECONDS)),
                            self._out(*divmod(hi, MICROSECONDS)),
                            used,
                        )
                    )
            if day >= first_day:
                if plan.kind in (DayKind.HOLIDAY, DayKind.CLOSED):
                    regular = self._intervals(day, self.hours.on(day.isoweekday()))
                    lost = sum(
                        max(0, min(e * MICROSECONDS, b) - max(s * MICROSECONDS, a))
                        for s, e in regular
                    )
                    skipped.append(
                        DaySkipped(day, plan.kind, plan.name or "", lost // MICROSECONDS)
                    )
                elif plan.kind is DayKind.MAKE_UP:
                    make_up.append(MakeUpDayWorked(day, plan.name or "", worked))
                if plan.override is not None:
                    overrides.append(OverrideApplied(day, plan.override))
            day += _ONE_DAY
        years: tuple[YearStatus, ...] = ()
        if self.holidays is not None:
            years = tuple(
                self._holiday_year(y).status for y in range(first_day.year, last_day.year + 1)
            )
        return SpanExplanation(
            calendar=self.name,
            zone=self.zone,
            start=first,
            end=last,
            seconds=seconds,
            windows=tuple(windows),
            holidays=tuple(skipped),
            make_up_days=tuple(make_up),
            overrides=tuple(overrides),
            years=years,
            policy=self.unconfirmed,
        )


def _outside_propcrm(frame: types.FrameType | None) -> int:
    """The ``stacklevel`` for :func:`warnings.warn` called in ``frame``: its first caller outside.

    That is the first frame up from ``frame`` whose module is not propcrm's. Loading a year
    happens at a varying depth inside the calendar, so the level is counted, and only when a
    warning is due (Python 3.11 has no ``skip_file_prefixes``). The warning's frame is given, not
    found from this helper's own depth, so a wrapper around the helper (a profiler, mutmut's
    trampoline) cannot shift the count.
    """
    level = 1  # warnings.warn's level of the frame that calls it
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] == "propcrm":
        frame = frame.f_back
        level += 1
    return level


def _micros(value: pendulum.DateTime) -> int:
    s, us = _instant(value)
    return s * MICROSECONDS + us


def _instant(value: object, field: str = "instant") -> tuple[int, int]:
    """POSIX seconds and microseconds of an aware datetime."""
    if not isinstance(value, datetime.datetime):
        raise NotAnInstant(
            f"expected an aware datetime, got {type(value).__name__} {value!r}; pass e.g. "
            f"pendulum.datetime(2026, 3, 2, 9, 0, tz='{DEFAULT_ZONE}').",
            field=field,
            value=value,
            allowed="aware datetime.datetime",
        )
    tz = value.tzinfo
    # IANA zones and fixed offsets always give an offset; only other tzinfos need asking.
    if tz is None or (not isinstance(tz, _ALWAYS_AWARE) and value.utcoffset() is None):
        aware(value, field=field)  # raises NaiveDatetime with the house message
        raise NaiveDatetime(  # pragma: no cover - aware() has raised
            f"datetime {value} has no time zone.", field=field, value=value
        )
    us = value.microsecond
    stamp = datetime.datetime.timestamp(value)
    # A float holds POSIX seconds to well under a microsecond; taking the known microseconds
    # off before rounding gives the exact whole seconds.
    return (int(stamp), 0) if not us else (round(stamp - us / MICROSECONDS), us)


def _check_start(value: object) -> None:
    """Refuse a start of ``add_many`` that is not an int POSIX second of years 1 to 9999."""
    if type(value) is int and not _FIRST_POSIX <= value <= _LAST_POSIX:
        raise NotAnInstant(
            f"start {value} is not a POSIX second of years 1 to {LAST_YEAR}.",
            field="starts",
            value=value,
            allowed=f"int POSIX seconds from {_FIRST_POSIX} to {_LAST_POSIX}",
        )
    if type(value) is not int:
        raise NotAnInstant(
            f"start {value!r} is not whole POSIX seconds (an int); add_many takes "
            "int(instant.timestamp()) values.",
            field="starts",
            value=value,
            allowed="int POSIX seconds",
        )


def zone_of(name: str) -> pendulum.Timezone:
    """:func:`~propcrm.time.zone` of a calendar's validated zone name, kept in :data:`ZONES`."""
    found = ZONES[name] = zone(name)
    return found


ZONES: dict[str, pendulum.Timezone] = {}
"""The zones :func:`zone_of` has looked up, by name: the hot paths read ``ZONES.get(name) or
zone_of(name)`` (one look-up, where ``zone()`` checks the name then asks its cache). A calendar's
zone is a checked IANA name, so the names kept are at most the zones there are."""


def instant_of_posix(posix: int, us: int, tz: datetime.tzinfo) -> pendulum.DateTime:
    """The instant ``posix`` seconds and ``us`` microseconds after the epoch, in ``tz``.

    Raises OverflowError or ValueError past the years a datetime reaches (the caller says
    what that means for it).
    """
    local = datetime.datetime.fromtimestamp(posix, tz)
    # Built field by field with its fold: 4× faster than pendulum.DateTime.fromtimestamp, and
    # the same instant (a repeated wall time keeps which occurrence it is). Positionally when
    # the fold is 0 (nearly always): keywords cost a third of the construction.
    if local.fold:
        return pendulum.DateTime(
            local.year,
            local.month,
            local.day,
            local.hour,
            local.minute,
            local.second,
            us,
            tzinfo=tz,
            fold=1,
        )
    return pendulum.DateTime(
        local.year, local.month, local.day, local.hour, local.minute, local.second, us, tz
    )


def posix_instant(value: datetime.datetime) -> tuple[int, int]:
    """POSIX seconds and microseconds of an aware datetime, as every calendar method reads it."""
    return _instant(value)


def between_posix(
    calendar: BusinessTime,
    a: datetime.datetime,
    a_posix: tuple[int, int],
    b: datetime.datetime,
    b_posix: tuple[int, int],
) -> int:
    """``calendar.between(a, b)``, given the instants' :func:`posix_instant` as well.

    A clock fold measures each running stretch from instants it has read already; a
    :class:`BusinessCalendar` then goes straight to its index (the same arithmetic), any other
    calendar is asked as usual.
    """
    if type(calendar) is BusinessCalendar:
        return calendar._index.between(a_posix[0], a_posix[1], b_posix[0], b_posix[1])
    return calendar.between(a, b)


# A span this long covers at most HORIZON_YEARS - 1 local years (each 365 or 366 days, give or
# take a DST hour), so the index need not find its years to know the horizon allows it.
_SHORT_SPAN = (HORIZON_YEARS - 2) * 365 * SECONDS_PER_DAY

_ALLOWED_SECONDS = "whole seconds, an int >= 0"

# No calendar works more seconds than pass: a duration longer than the whole horizon can be
# refused at once, without building a year (always().add(t, 10**15) used to take 19 s).
_HORIZON_SECONDS = (HORIZON_YEARS + 1) * 366 * SECONDS_PER_DAY


def _duration(seconds: object, field: str = "seconds") -> int:
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        if isinstance(seconds, float) and math.isfinite(seconds):
            raise InvalidDuration(
                f"business time {seconds!r} is a float; it is counted in whole seconds, so pass "
                f"an int, e.g. {round(seconds)} for {seconds / 3600:g} hours.",
                field=field,
                value=seconds,
                allowed=_ALLOWED_SECONDS,
            )
        raise InvalidDuration(
            f"business time {seconds!r} is a {type(seconds).__name__}; pass whole seconds as a "
            "non-negative int, e.g. 3600 for one hour.",
            field=field,
            value=seconds,
            allowed=_ALLOWED_SECONDS,
        )
    if seconds < 0:
        raise InvalidDuration(
            f"business time {seconds} is negative; pass a non-negative number of seconds.",
            field=field,
            value=seconds,
            allowed=_ALLOWED_SECONDS,
        )
    if seconds > _HORIZON_SECONDS:
        raise NoWorkingTime(
            f"adding {seconds} working seconds reaches beyond the calendar's horizon of "
            f"{HORIZON_YEARS} years (at most {_HORIZON_SECONDS} seconds even on a 24x7 "
            "calendar); an SLA deadline lies hours or days ahead.",
            field=field,
            value=seconds,
            allowed=f"a result within {HORIZON_YEARS} years of the start's year",
            horizon_years=HORIZON_YEARS,
        )
    return seconds
