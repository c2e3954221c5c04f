"""Public holidays and make-up workdays (调休) behind one protocol, and which years are confirmed.

Every year the General Office of the State Council publishes the next year's holiday
arrangement: which days are off, and which weekend days are worked instead (make-up workdays,
调休上班). The maintained ``holidays`` package ships these notices; :class:`ChinaHolidays` reads
it. For a year whose notice does not exist yet the package still returns the statutory
holidays, without the make-up days, so such a year is *unconfirmed*: a calendar using it either
refuses (strict) or warns and marks its results as unconfirmed (provisional), never silently
(see :class:`UnconfirmedPolicy`).

A year is confirmed when this library has been told which notice it follows: the shipped years
(:data:`SHIPPED_CHINA_YEARS`, checked against the installed package), a year the user confirms
with its source after checking the package, or a whole notice supplied before the package ships
it.

For the shipped years the library also holds what each notice says (its days off and make-up
workdays), and checks the installed package against it the first time a provider loads the
year: a ``holidays`` release older than a notice (before :data:`HOLIDAYS_FLOOR` for 2026) would
otherwise give a confirmed year without its make-up days, and every deadline near them would be
wrong. Such a year raises :class:`~propcrm.errors.HolidayDataMismatch` instead.

>>> cn = ChinaHolidays()
>>> y2025 = cn.year(2025)
>>> y2025.confirmed, y2025.holiday_name(pendulum.date(2025, 10, 1))
(True, '国庆节')
>>> [d.day.isoformat() for d in y2025.make_up_days if d.day.month >= 9]
['2025-09-28', '2025-10-11']
>>> cn.year(2030).confirmed
False
>>> cn.confirm(2030, "国务院办公厅关于2030年部分节假日安排的通知").year(2030).confirmed
True
"""

from __future__ import annotations

import datetime
import enum
import importlib.metadata
import itertools
from collections.abc import Iterable, Mapping
from typing import Protocol, TypeVar, runtime_checkable

import attrs
import pendulum
from holidays.countries.china import China as PackageChina

from propcrm.errors import HolidayDataMismatch, InvalidCalendar
from propcrm.time import as_date

__all__ = [
    "HOLIDAYS_FLOOR",
    "MAKE_UP_DAY_NAME",
    "SHIPPED_CHINA_YEARS",
    "ChinaHolidays",
    "ConfirmedYear",
    "Holiday",
    "HolidayList",
    "HolidayProvider",
    "HolidayYear",
    "MakeUpDay",
    "UnconfirmedPolicy",
]

MAKE_UP_DAY_NAME = "调休上班"
"""Name of a make-up workday when its source gives none."""

_MIN_YEAR, _MAX_YEAR = 1, 9999

_T = TypeVar("_T")


def _year(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not _MIN_YEAR <= value <= _MAX_YEAR:
        raise InvalidCalendar(
            f"year {value!r} must be an int from {_MIN_YEAR} to {_MAX_YEAR}.",
            field="year",
            value=value,
            allowed=f"int from {_MIN_YEAR} to {_MAX_YEAR}",
        )


def _text(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidCalendar(
            f"{attribute.name} {value!r} must be non-empty text.",
            field=attribute.name,
            value=value,
            allowed="non-empty text",
        )


def _optional_text(
    _instance: object, attribute: attrs.Attribute[str | None], value: object
) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidCalendar(
            f"{attribute.name} {value!r} must be non-empty text or None.",
            field=attribute.name,
            value=value,
            allowed="non-empty text or None",
        )


def _items(values: object, kind: type[_T], field: str) -> list[_T]:
    """``values`` as a list of ``kind``; text, a lone value or other items are refused."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidCalendar(
            f"{field} must be a collection of {kind.__name__}, got {type(values).__name__} "
            f"{values!r}.",
            field=field,
            value=values,
            allowed=f"a collection of {kind.__name__}",
        )
    found = list(values)
    for value in found:
        if not isinstance(value, kind):
            raise InvalidCalendar(
                f"{field} holds {value!r}, which is not a {kind.__name__}.",
                field=field,
                value=value,
                allowed=kind.__name__,
            )
    return found


class UnconfirmedPolicy(enum.Enum):
    """What a calendar does with a year whose holiday notice is not confirmed."""

    STRICT = "strict"
    """Refuse: raise :class:`~propcrm.errors.UnconfirmedHolidays` naming the year."""
    PROVISIONAL = "provisional"
    """Use the provider's dates, mark every explanation that touches the year unconfirmed, and
    warn (:class:`~propcrm.errors.ProvisionalHolidays`) once per calendar and year."""


@attrs.frozen
class Holiday:
    """A day off, with the provider's name for it (e.g. ``'国庆节'``)."""

    day: pendulum.Date = attrs.field(converter=as_date)
    name: str = attrs.field(validator=_text)


@attrs.frozen
class MakeUpDay:
    """A weekend day worked instead of a weekday off (调休上班)."""

    day: pendulum.Date = attrs.field(converter=as_date)
    name: str = attrs.field(default=MAKE_UP_DAY_NAME, validator=_text)


def _holidays(values: Iterable[Holiday]) -> tuple[Holiday, ...]:
    return tuple(sorted(_items(values, Holiday, "holidays"), key=lambda h: h.day))


def _make_up_days(values: Iterable[MakeUpDay]) -> tuple[MakeUpDay, ...]:
    return tuple(sorted(_items(values, MakeUpDay, "make_up_days"), key=lambda m: m.day))


@attrs.frozen
class HolidayYear:
    """One year's holidays and make-up workdays, and the notice they follow (``None``: unconfirmed).

    Every date lies in ``year``; a date is a holiday or a make-up day, not both, and is listed once.
    """

    year: int = attrs.field(validator=_year)
    holidays: tuple[Holiday, ...] = attrs.field(default=(), converter=_holidays)
    make_up_days: tuple[MakeUpDay, ...] = attrs.field(default=(), converter=_make_up_days)
    source: str | None = attrs.field(default=None, validator=_optional_text)

    def __attrs_post_init__(self) -> None:
        seen: set[datetime.date] = set()
        entries: list[Holiday | MakeUpDay] = [*self.holidays, *self.make_up_days]
        for entry in entries:
            if entry.day.year != self.year:
                raise InvalidCalendar(
                    f"{entry.day.isoformat()} ({entry.name}) is not in {self.year}; list each "
                    "date under the year it falls in.",
                    field="day",
                    value=entry.day,
                    allowed=f"a date in {self.year}",
                )
            if entry.day in seen:
                raise InvalidCalendar(
                    f"{entry.day.isoformat()} is listed twice in {self.year}; a day is either a "
                    "holiday or a make-up workday, once.",
                    field="day",
                    value=entry.day,
                    allowed="each date once",
                )
            seen.add(entry.day)

    @property
    def confirmed(self) -> bool:
        """Whether the year follows a known notice (it has a source)."""
        return self.source is not None

    def holiday_name(self, day: datetime.date) -> str | None:
        """The holiday's name if ``day`` is a holiday of this year, else ``None``."""
        wanted = as_date(day)
        return next((h.name for h in self.holidays if h.day == wanted), None)


@runtime_checkable
class HolidayProvider(Protocol):
    """A source of holidays and make-up workdays, one year at a time."""

    @property
    def name(self) -> str:
        """A short name for explanations, e.g. ``'CN'``."""
        ...

    def year(self, year: int) -> HolidayYear:
        """The holidays and make-up days of ``year``; unconfirmed years have ``source=None``."""
        ...


@attrs.frozen
class ConfirmedYear:
    """A year whose holidays are known to follow a notice, and that notice (the source)."""

    year: int = attrs.field(validator=_year)
    source: str = attrs.field(validator=_text)


def _shipped_source(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知 (checked against holidays 0.109)"


SHIPPED_CHINA_YEARS: tuple[ConfirmedYear, ...] = (
    ConfirmedYear(
        2020,
        "国务院办公厅关于2020年部分节假日安排的通知 and 国务院办公厅关于延长2020年春节假期的通知 "
        "(checked against holidays 0.109)",
    ),
    *(ConfirmedYear(year, _shipped_source(year)) for year in range(2021, 2027)),
)
"""Years whose package data (holidays 0.109) was checked against the State Council notices."""

HOLIDAYS_FLOOR = "0.94"
"""The first ``holidays`` release whose China data holds every shipped year's notice.

It is the floor in propcrm's requirements; releases before it lack 2026's notice (0.84 and
earlier give 2026's statutory holidays only, with no make-up workdays), and 0.60 lacked 2025's.
"""


@attrs.frozen
class _Notice:
    """What a State Council notice says about working days in one calendar year."""

    days_off: frozenset[datetime.date]
    """Every day of the notice's 放假 spans, weekends included."""
    make_up_days: frozenset[datetime.date]


def _notice(year: int, off: str, worked: str) -> _Notice:
    """A notice from its spans off (``"MM-DD/MM-DD ..."``) and make-up days (``"MM-DD ..."``)."""

    def day(text: str) -> datetime.date:
        month, day_of_month = text.split("-")
        return datetime.date(year, int(month), int(day_of_month))

    days_off: set[datetime.date] = set()
    for span in off.split():
        first, last = (day(end) for end in span.split("/"))
        days_off.update(first + datetime.timedelta(days=n) for n in range((last - first).days + 1))
    return _Notice(frozenset(days_off), frozenset(day(d) for d in worked.split()))


# The notices of the shipped years as published (SHIPPED_CHINA_YEARS names them), by calendar
# year: 2022's last day off comes from the notice for 2023, whose New Year began on 31 December.
_SHIPPED_NOTICES: dict[int, _Notice] = {
    2020: _notice(  # the Spring Festival extended to 2 February, which dropped 1 February's make-up
        2020,
        off="01-01/01-01 01-24/02-02 04-04/04-06 05-01/05-05 06-25/06-27 10-01/10-08",
        worked="01-19 04-26 05-09 06-28 09-27 10-10",
    ),
    2021: _notice(
        2021,
        off="01-01/01-03 02-11/02-17 04-03/04-05 05-01/05-05 06-12/06-14 09-19/09-21 10-01/10-07",
        worked="02-07 02-20 04-25 05-08 09-18 09-26 10-09",
    ),
    2022: _notice(
        2022,
        off="01-01/01-03 01-31/02-06 04-03/04-05 04-30/05-04 06-03/06-05 09-10/09-12 10-01/10-07 "
        "12-31/12-31",
        worked="01-29 01-30 04-02 04-24 05-07 10-08 10-09",
    ),
    2023: _notice(
        2023,
        off="01-01/01-02 01-21/01-27 04-05/04-05 04-29/05-03 06-22/06-24 09-29/10-06",
        worked="01-28 01-29 04-23 05-06 06-25 10-07 10-08",
    ),
    2024: _notice(
        2024,
        off="01-01/01-01 02-10/02-17 04-04/04-06 05-01/05-05 06-10/06-10 09-15/09-17 10-01/10-07",
        worked="02-04 02-18 04-07 04-28 05-11 09-14 09-29 10-12",
    ),
    2025: _notice(
        2025,
        off="01-01/01-01 01-28/02-04 04-04/04-06 05-01/05-05 05-31/06-02 10-01/10-08",
        worked="01-26 02-08 04-27 09-28 10-11",
    ),
    2026: _notice(
        2026,
        off="01-01/01-03 02-15/02-23 04-04/04-06 05-01/05-05 06-19/06-21 09-25/09-27 10-01/10-07",
        worked="01-04 02-14 02-28 05-09 09-20 10-10",
    ),
}


def _release(version: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return None


def _dates(days: Iterable[datetime.date]) -> str:
    return ", ".join(d.isoformat() for d in sorted(days))


def _check_notice(
    year: int,
    days_off: Iterable[datetime.date],
    make_up_days: Iterable[datetime.date],
    package: type[PackageChina],
    installed: str | None = None,
) -> None:
    """Refuse a shipped year whose package data differs from its notice where working days do.

    The package lists the statutory days and the weekdays taken off, not the weekend days inside
    a span, so a weekend day of a span may be listed or not; any other difference is a fault.
    ``installed`` is the ``holidays`` version to name (by default, the installed one).
    """
    notice = _SHIPPED_NOTICES.get(year)
    if notice is None:
        return
    off, worked = set(days_off), set(make_up_days)
    faults = [
        (label, days)
        for label, days in (
            ("make-up workdays missing", notice.make_up_days - worked),
            ("weekdays off missing", {d for d in notice.days_off - off if d.weekday() < 5}),
            ("make-up workdays the notice does not have", worked - notice.make_up_days),
            ("days off the notice does not have", off - notice.days_off),
        )
        if days
    ]
    if not faults:
        return
    # Looked up only on failure: reading the distribution's metadata is slow.
    installed = installed or importlib.metadata.version("holidays")
    found, floor = _release(installed), _release(HOLIDAYS_FLOOR)
    reader = "" if package is PackageChina else f" read through {package.__qualname__}"
    differences = "; ".join(f"{label}: {_dates(days)}" for label, days in faults)
    yourself = f"give the notice yourself with ChinaHolidays().with_notice({year}, ...)"
    if found is not None and floor is not None and found < floor:
        remedy = (
            f"Install holidays>={HOLIDAYS_FLOOR} (pip install -U 'holidays>={HOLIDAYS_FLOOR}'), "
            f"the first release with every notice propcrm ships ({installed} is older), or "
            f"{yourself}"
        )
    else:
        remedy = (
            f"The installed release meets propcrm's floor (holidays>={HOLIDAYS_FLOOR}), so this "
            f"data differs from the notice as propcrm checked it: {yourself}, and report the "
            "difference"
        )
    raise HolidayDataMismatch(
        f"{year} is a confirmed year, but the installed holidays {installed}{reader} gives "
        f"China's {year} unlike the State Council notice ({differences}), so deadlines would "
        f"be wrong. {remedy}.",
        year=year,
        installed=installed,
        floor=HOLIDAYS_FLOOR,
    )


_CHINA_LANGUAGES = ("zh_CN", "zh_TW", "en_US", "th")


def _confirmed(values: Iterable[ConfirmedYear]) -> tuple[ConfirmedYear, ...]:
    found = tuple(sorted(_items(values, ConfirmedYear, "confirmed"), key=lambda c: c.year))
    for before, after in itertools.pairwise(found):
        if before.year == after.year:
            raise InvalidCalendar(
                f"{before.year} is confirmed twice ({before.source!r}, {after.source!r}); "
                "confirm each year once.",
                field="confirmed",
                value=before.year,
                allowed="each year once",
            )
    return found


def _notices(values: Iterable[HolidayYear]) -> tuple[HolidayYear, ...]:
    found = tuple(sorted(_items(values, HolidayYear, "notices"), key=lambda n: n.year))
    for notice in found:
        if notice.source is None:
            raise InvalidCalendar(
                f"the notice for {notice.year} has no source; say which notice it is, e.g. "
                f"'国务院办公厅关于{notice.year}年部分节假日安排的通知'.",
                field="source",
                value=None,
                allowed="non-empty text naming the notice",
                year=notice.year,
            )
    for before, after in itertools.pairwise(found):
        if before.year == after.year:
            raise InvalidCalendar(
                f"two notices for {before.year}; give one notice per year.",
                field="notices",
                value=before.year,
                allowed="one notice a year",
            )
    return found


def _language(_instance: object, _attribute: object, value: str) -> None:
    if value not in _CHINA_LANGUAGES:
        raise InvalidCalendar(
            f"language {value!r} has no holiday names; use one of {', '.join(_CHINA_LANGUAGES)}.",
            field="language",
            value=value,
            allowed=" or ".join(_CHINA_LANGUAGES),
        )


def _holidays_class(_instance: object, _attribute: object, value: object) -> None:
    if not (isinstance(value, type) and issubclass(value, PackageChina)):
        raise InvalidCalendar(
            f"holidays_class {value!r} is not holidays.countries.China or a subclass of it.",
            field="holidays_class",
            value=value,
            allowed="holidays.countries.China or a subclass",
        )


@attrs.frozen
class ChinaHolidays:
    """Mainland China's public holidays and make-up workdays, from the ``holidays`` package.

    ``confirmed``: years whose package data is known to follow the State Council notice (by
    default :data:`SHIPPED_CHINA_YEARS`). ``notices``: whole years given locally (e.g. next
    year's notice before the package ships it); a notice replaces the package's data for its
    year and confirms it. Holiday names are in ``language`` (zh_CN by default).
    ``holidays_class``: the package's class read for the other years, ``holidays.countries.China``
    or a subclass of it (the ``holidays`` way to correct or extend a country's data).

    A shipped year is checked against its notice when first loaded (once per provider): if the
    package's days off or make-up workdays differ, the year raises
    :class:`~propcrm.errors.HolidayDataMismatch` naming the installed version and
    :data:`HOLIDAYS_FLOOR`, rather than give wrong deadlines.

    >>> cn = ChinaHolidays().with_notice(
    ...     2031,
    ...     holidays={pendulum.date(2031, 1, 1): "元旦"},
    ...     make_up_days=[],
    ...     source="国务院办公厅关于2031年部分节假日安排的通知",
    ... )
    >>> cn.year(2031).holidays, cn.year(2031).source
    ((Holiday(day=Date(2031, 1, 1), name='元旦'),), '国务院办公厅关于2031年部分节假日安排的通知')
    """

    confirmed: tuple[ConfirmedYear, ...] = attrs.field(
        default=SHIPPED_CHINA_YEARS, converter=_confirmed
    )
    notices: tuple[HolidayYear, ...] = attrs.field(default=(), converter=_notices)
    language: str = attrs.field(default="zh_CN", validator=_language)
    name: str = attrs.field(default="CN", validator=_text)
    holidays_class: type[PackageChina] = attrs.field(
        default=PackageChina, kw_only=True, validator=_holidays_class
    )
    _cache: dict[int, HolidayYear] = attrs.field(
        init=False, factory=dict, eq=False, hash=False, repr=False
    )

    @property
    def confirmed_years(self) -> dict[int, str]:
        """Each confirmed year with its source (notices included), in year order."""
        found = {c.year: c.source for c in self.confirmed}
        for notice in self.notices:
            found[notice.year] = notice.source or ""
        return dict(sorted(found.items()))

    def year(self, year: int) -> HolidayYear:
        """The holidays and make-up days of ``year`` (a notice if given, else the package's)."""
        _year(None, None, year)
        cached = self._cache.get(year)
        if cached is None:
            cached = self._cache[year] = self._load(year)
        return cached

    def _load(self, year: int) -> HolidayYear:
        for notice in self.notices:
            if notice.year == year:
                return notice
        # Populating the next year too: a make-up day for January's holiday can fall in December.
        package = self.holidays_class(
            years=[year, year + 1] if year < _MAX_YEAR else [year], language=self.language
        )
        days_off = {day: name for day, name in package.items() if day.year == year}
        worked = {day for day in package.weekend_workdays if day.year == year}
        source = next((c.source for c in self.confirmed if c.year == year), None)
        if source is not None:
            _check_notice(year, days_off, worked, self.holidays_class)
        return HolidayYear(
            year,
            [Holiday(day, name) for day, name in days_off.items()],
            [MakeUpDay(day) for day in worked],
            source,
        )

    def confirm(self, year: int, source: str) -> ChinaHolidays:
        """A provider that also treats ``year``'s package data as confirmed, citing ``source``.

        Confirm a year only after checking the package's dates against the notice.
        """
        entry = ConfirmedYear(year, source)
        if year in self.confirmed_years:
            raise InvalidCalendar(
                f"{year} is already confirmed ({self.confirmed_years[year]!r}); confirm each "
                "year once.",
                field="year",
                value=year,
                allowed="a year not yet confirmed",
            )
        return attrs.evolve(self, confirmed=(*self.confirmed, entry))

    def with_notice(
        self,
        year: int,
        *,
        holidays: Mapping[datetime.date, str],
        make_up_days: Iterable[datetime.date],
        source: str,
    ) -> ChinaHolidays:
        """A provider that takes ``year`` from a notice given here instead of from the package.

        A later notice for the same year (an amendment) replaces the earlier one.
        """
        if not isinstance(holidays, Mapping):
            raise InvalidCalendar(
                f"holidays {holidays!r} must map each date to its name, e.g. "
                "{pendulum.date(2031, 1, 1): '元旦'}.",
                field="holidays",
                value=holidays,
                allowed="a mapping of date to name",
            )
        worked = _items(make_up_days, datetime.date, "make_up_days")
        notice = HolidayYear(
            year,
            [Holiday(day, name) for day, name in holidays.items()],
            [MakeUpDay(day) for day in worked],
            source,
        )
        others = tuple(n for n in self.notices if n.year != year)
        return attrs.evolve(self, notices=(*others, notice))


def _listed(values: Iterable[HolidayYear]) -> tuple[HolidayYear, ...]:
    found = tuple(sorted(_items(values, HolidayYear, "years"), key=lambda y: y.year))
    for before, after in itertools.pairwise(found):
        if before.year == after.year:
            raise InvalidCalendar(
                f"{before.year} is listed twice; list each year once.",
                field="years",
                value=before.year,
                allowed="each year once",
            )
    return found


@attrs.frozen
class HolidayList:
    """A provider of explicitly listed years (a company's own calendar, a test's holidays).

    A year not listed has no holidays; it is unconfirmed unless ``unlisted`` gives the source
    that vouches for that (e.g. "the company closes only on the days it lists").

    >>> listed = HolidayList(
    ...     [
    ...         HolidayYear(
    ...             2026,
    ...             [Holiday(pendulum.date(2026, 10, 1), "国庆节")],
    ...             source="company calendar 2026",
    ...         )
    ...     ]
    ... )
    >>> listed.year(2026).confirmed, listed.year(2027).confirmed
    (True, False)
    >>> HolidayList(unlisted="no holidays kept").year(2027).confirmed
    True
    """

    years: tuple[HolidayYear, ...] = attrs.field(default=(), converter=_listed)
    name: str = attrs.field(default="listed", validator=_text)
    unlisted: str | None = attrs.field(default=None, validator=_optional_text)

    def year(self, year: int) -> HolidayYear:
        """The listed year, or an empty one (confirmed only if ``unlisted`` says so)."""
        _year(None, None, year)
        for listed in self.years:
            if listed.year == year:
                return listed
        return HolidayYear(year, source=self.unlisted)
