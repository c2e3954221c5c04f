"""Tests for sla._holidays: China's holidays and make-up days, confirmed years, providers."""

from __future__ import annotations

import datetime
import importlib.metadata
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import attrs
import pendulum
import pytest
from holidays.countries.china import China as PackageChina

from propcrm.errors import HolidayDataMismatch, InvalidCalendar, UnconfirmedHolidays
from propcrm.sla import (
    BusinessCalendar,
    ChinaHolidays,
    Holiday,
    HolidayList,
    HolidayProvider,
    HolidayYear,
    MakeUpDay,
    UnconfirmedPolicy,
)
from propcrm.sla._holidays import (
    _SHIPPED_NOTICES,
    HOLIDAYS_FLOOR,
    MAKE_UP_DAY_NAME,
    SHIPPED_CHINA_YEARS,
    ConfirmedYear,
    _check_notice,
    _notice,
)

CN = ChinaHolidays()


def test_a_notice_reads_its_spans_off_with_both_ends_and_its_make_up_days() -> None:
    # 2026's Spring Festival: 15 to 23 February off (nine days), worked on Saturday 14 and
    # Saturday 28 February; National Day's first day as a one-day span. Read directly, not only
    # through the shipped table, which is built once at import.
    notice = _notice(2026, off="02-15/02-23 10-01/10-01", worked="02-14 02-28")
    spring = {datetime.date(2026, 2, 15) + datetime.timedelta(days=n) for n in range(9)}
    assert notice.days_off == frozenset(spring | {datetime.date(2026, 10, 1)})
    assert notice.make_up_days == frozenset(
        {datetime.date(2026, 2, 14), datetime.date(2026, 2, 28)}
    )


def days(year: HolidayYear) -> list[str]:
    return [h.day.isoformat() for h in year.holidays]


def make_up(year: HolidayYear) -> list[str]:
    return [m.day.isoformat() for m in year.make_up_days]


# -- the shipped China provider --------------------------------------------------------------------


def test_shipped_years_are_2020_to_2026_with_their_notices() -> None:
    assert [c.year for c in SHIPPED_CHINA_YEARS] == list(range(2020, 2027))
    for confirmed in SHIPPED_CHINA_YEARS:
        assert f"国务院办公厅关于{confirmed.year}年部分节假日安排的通知" in confirmed.source
        assert "holidays 0.109" in confirmed.source
    assert "延长2020年春节假期" in SHIPPED_CHINA_YEARS[0].source
    assert CN.confirmed_years == {c.year: c.source for c in SHIPPED_CHINA_YEARS}


def test_national_day_2025() -> None:
    year = CN.year(2025)
    assert year.confirmed
    october = [d for d in days(year) if d.startswith("2025-10")]
    # 1–8 October off; the 4th and 5th are a weekend, which the notice does not list.
    assert october == [
        "2025-10-01",
        "2025-10-02",
        "2025-10-03",
        "2025-10-06",
        "2025-10-07",
        "2025-10-08",
    ]
    assert make_up(year) == ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]
    assert year.holiday_name(datetime.date(2025, 10, 1)) == "国庆节"
    assert year.holiday_name(datetime.date(2025, 10, 6)) == "中秋节"
    assert year.holiday_name(datetime.date(2025, 10, 9)) is None
    assert all(m.name == MAKE_UP_DAY_NAME for m in year.make_up_days)


@pytest.mark.parametrize(
    ("year", "worked"),
    [
        (2020, ["01-19", "04-26", "05-09", "06-28", "09-27", "10-10"]),
        (2021, ["02-07", "02-20", "04-25", "05-08", "09-18", "09-26", "10-09"]),
        (2022, ["01-29", "01-30", "04-02", "04-24", "05-07", "10-08", "10-09"]),
        (2023, ["01-28", "01-29", "04-23", "05-06", "06-25", "10-07", "10-08"]),
        (2024, ["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"]),
        (2025, ["01-26", "02-08", "04-27", "09-28", "10-11"]),
        (2026, ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]),
    ],
)
def test_every_confirmed_year_has_its_make_up_days(year: int, worked: list[str]) -> None:
    found = CN.year(year)
    assert found.confirmed
    assert [d[5:] for d in make_up(found)] == worked
    assert all(m.day.isoweekday() >= 6 for m in found.make_up_days)


def test_the_2020_spring_festival_extension_is_in() -> None:
    year = CN.year(2020)
    for day in (datetime.date(2020, 1, 31), datetime.date(2020, 2, 1), datetime.date(2020, 2, 2)):
        assert year.holiday_name(day) == "春节延长假期"


def test_a_year_without_a_notice_is_unconfirmed_and_has_no_make_up_days() -> None:
    year = CN.year(2027)
    assert not year.confirmed
    assert year.source is None
    assert year.make_up_days == ()
    assert year.holiday_name(datetime.date(2027, 10, 1)) == "国庆节"


def test_names_follow_the_language() -> None:
    english = ChinaHolidays(language="en_US").year(2025)
    assert english.holiday_name(datetime.date(2025, 10, 1)) == "National Day"
    # Providers of their own (the module's CN may have loaded 2025 before this test runs); the
    # package's own default follows the process locale, so each language is asked for by name.
    traditional = ChinaHolidays(language="zh_TW").year(2025)
    assert traditional.holiday_name(datetime.date(2025, 10, 1)) == "國慶節"
    assert ChinaHolidays().year(2025).holiday_name(datetime.date(2025, 10, 1)) == "国庆节"
    with pytest.raises(InvalidCalendar, match="language 'fr_FR'"):
        ChinaHolidays(language="fr_FR")


def test_years_are_cached_per_provider() -> None:
    provider = ChinaHolidays()
    assert provider.year(2026) is provider.year(2026)
    assert provider == ChinaHolidays()
    assert hash(provider) == hash(ChinaHolidays())


def test_china_holidays_is_a_provider() -> None:
    assert isinstance(CN, HolidayProvider)
    assert isinstance(HolidayList(), HolidayProvider)


@pytest.mark.parametrize("year", [0, 10_000, True, 2026.0, "2026"])
def test_years_are_ints_in_range(year: object) -> None:
    with pytest.raises(InvalidCalendar, match="year"):
        CN.year(year)  # type: ignore[arg-type]  # wrong on purpose


# -- confirming years and giving notices -----------------------------------------------------------


def test_confirming_a_year_records_its_source() -> None:
    source = "国务院办公厅关于2027年部分节假日安排的通知 (checked by hand)"
    confirmed = CN.confirm(2027, source)
    assert confirmed.year(2027).source == source
    assert confirmed.confirmed_years[2027] == source
    assert not CN.year(2027).confirmed  # the original is unchanged


def test_a_year_is_confirmed_once() -> None:
    with pytest.raises(InvalidCalendar, match="2025 is already confirmed"):
        CN.confirm(2025, "again")
    with pytest.raises(InvalidCalendar, match="confirmed twice"):
        ChinaHolidays(confirmed=[ConfirmedYear(2025, "a"), ConfirmedYear(2025, "b")])


@pytest.mark.parametrize("source", ["", "  "])
def test_a_confirmation_needs_a_source(source: str) -> None:
    with pytest.raises(InvalidCalendar, match="source"):
        CN.confirm(2027, source)


def test_a_notice_replaces_the_package_for_its_year() -> None:
    noticed = CN.with_notice(
        2027,
        holidays={datetime.date(2027, 10, 1): "国庆节", datetime.date(2027, 10, 4): "国庆节"},
        make_up_days=[datetime.date(2027, 9, 26)],
        source="国务院办公厅关于2027年部分节假日安排的通知",
    )
    year = noticed.year(2027)
    assert year.confirmed
    assert days(year) == ["2027-10-01", "2027-10-04"]
    assert make_up(year) == ["2027-09-26"]
    assert noticed.confirmed_years[2027] == "国务院办公厅关于2027年部分节假日安排的通知"
    amended = noticed.with_notice(2027, holidays={}, make_up_days=[], source="amended")
    assert amended.year(2027).holidays == ()
    assert len(amended.notices) == 1


def test_a_notice_keeps_to_its_year_and_lists_a_day_once() -> None:
    with pytest.raises(InvalidCalendar, match="not in 2027"):
        CN.with_notice(
            2027, holidays={datetime.date(2026, 12, 31): "x"}, make_up_days=[], source="s"
        )
    with pytest.raises(InvalidCalendar, match="listed twice"):
        CN.with_notice(
            2027,
            holidays={datetime.date(2027, 1, 2): "元旦"},
            make_up_days=[datetime.date(2027, 1, 2)],
            source="s",
        )


@pytest.mark.parametrize(
    ("make_up_days", "message"),
    [
        ("2027-01-04", "make_up_days must be a collection of date, got str '2027-01-04'."),
        (["2027-01-04"], "make_up_days holds '2027-01-04', which is not a date."),
    ],
)
def test_a_notices_make_up_days_given_as_text_are_refused_by_name(
    make_up_days: object, message: str
) -> None:
    with pytest.raises(InvalidCalendar) as refused:
        CN.with_notice(
            2027,
            holidays={datetime.date(2027, 1, 1): "元旦"},
            make_up_days=make_up_days,  # type: ignore[arg-type]
            source="s",
        )
    assert str(refused.value) == message
    assert refused.value.field == "make_up_days"


def test_notices_need_a_source_and_one_per_year() -> None:
    with pytest.raises(InvalidCalendar, match="has no source"):
        ChinaHolidays(notices=[HolidayYear(2027)])
    with pytest.raises(InvalidCalendar, match="two notices for 2027"):
        ChinaHolidays(notices=[HolidayYear(2027, source="a"), HolidayYear(2027, source="b")])


# -- years and listed providers --------------------------------------------------------------------


def test_holiday_years_sort_and_convert_their_days() -> None:
    year = HolidayYear(
        2026,
        [
            Holiday(datetime.date(2026, 10, 2), "国庆节"),
            Holiday(datetime.date(2026, 10, 1), "国庆节"),
        ],
        [MakeUpDay(datetime.date(2026, 10, 10))],
        source="s",
    )
    assert days(year) == ["2026-10-01", "2026-10-02"]
    assert isinstance(year.holidays[0].day, pendulum.Date)


def test_holiday_names_are_required() -> None:
    with pytest.raises(InvalidCalendar, match="name"):
        Holiday(datetime.date(2026, 10, 1), "")


def test_holiday_list() -> None:
    listed = HolidayList([HolidayYear(2026, source="company calendar")], name="company")
    assert listed.year(2026).confirmed
    assert not listed.year(2027).confirmed
    assert (
        HolidayList(unlisted="we close only on listed days").year(2040).source
        == "we close only on listed days"
    )
    with pytest.raises(InvalidCalendar, match="listed twice"):
        HolidayList([HolidayYear(2026), HolidayYear(2026)])


def test_policies() -> None:
    assert {p.value for p in UnconfirmedPolicy} == {"strict", "provisional"}


def test_providers_are_frozen_values() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        CN.language = "en_US"  # type: ignore[misc]  # frozen on purpose


# -- the installed package, checked against the notices of the shipped years ----------------------

# China's 2026 exactly as holidays 0.60 gave it (zh_CN): the statutory days, none of the notice's
# days off in lieu and none of its make-up workdays. Releases up to 0.84 lack them as well.
BEFORE_THE_2026_NOTICE = {
    datetime.date(2026, 1, 1): "元旦",
    datetime.date(2026, 2, 17): "春节",
    datetime.date(2026, 2, 18): "春节",
    datetime.date(2026, 2, 19): "春节",
    datetime.date(2026, 4, 5): "清明节",
    datetime.date(2026, 4, 6): "清明节（观察日）",
    datetime.date(2026, 5, 1): "劳动节",
    datetime.date(2026, 6, 19): "端午节",
    datetime.date(2026, 9, 25): "中秋节",
    datetime.date(2026, 10, 1): "国庆节",
    datetime.date(2026, 10, 2): "国庆节",
    datetime.date(2026, 10, 3): "国庆节",
    datetime.date(2026, 10, 5): "国庆节（观察日）",
}


class ChinaBefore2026Notice(PackageChina):
    """The package's China with 2026 as holidays releases before the notice had it."""

    def _populate(self, year: int) -> None:
        super()._populate(year)
        if year == 2026:
            for day in [day for day in self if day.year == 2026]:
                self.pop(day)
            self.update(BEFORE_THE_2026_NOTICE)
            self.weekend_workdays -= {day for day in self.weekend_workdays if day.year == 2026}


class ChinaWithAnExtraDayOff(PackageChina):
    """The package's China with one day off that the 2026 notice does not give."""

    def _populate(self, year: int) -> None:
        super()._populate(year)
        if year == 2026:
            self[datetime.date(2026, 10, 8)] = "国庆节"


class CountingChina(PackageChina):
    """The package's China, counting how often each year is populated."""

    populated: ClassVar[list[int]] = []

    def _populate(self, year: int) -> None:
        CountingChina.populated.append(year)
        super()._populate(year)


def pyproject_floor() -> str:
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    (spec,) = [d for d in dependencies if re.match(r"holidays\b", d)]
    return spec.removeprefix("holidays>=")


def release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def test_the_requirement_floor_holds_the_2026_notice_and_its_names() -> None:
    # 0.85 is the first holidays release whose China data has the 2026 notice (0.60 to 0.84
    # checked by installing them), 0.94 the first naming days off in lieu as we print them; the
    # error names the same floor as the requirement.
    assert pyproject_floor() == HOLIDAYS_FLOOR == "0.94"
    assert release(importlib.metadata.version("holidays")) >= release(HOLIDAYS_FLOOR)


@pytest.mark.parametrize("year", [c.year for c in SHIPPED_CHINA_YEARS])
def test_the_installed_holidays_holds_every_shipped_notice(year: int) -> None:
    provider = ChinaHolidays()
    found = provider.year(year)  # checked against the notice; raises if it differs
    assert found.confirmed
    notice = _SHIPPED_NOTICES[year]
    assert {m.day for m in found.make_up_days} == notice.make_up_days
    assert {h.day for h in found.holidays} <= notice.days_off


def test_a_package_without_the_2026_notice_is_refused() -> None:
    provider = ChinaHolidays(holidays_class=ChinaBefore2026Notice)
    installed = importlib.metadata.version("holidays")
    with pytest.raises(HolidayDataMismatch) as caught:
        provider.year(2026)
    error = caught.value
    assert (error.year, error.installed, error.floor) == (2026, installed, "0.94")
    assert isinstance(error, UnconfirmedHolidays)
    assert isinstance(error, LookupError)
    message = str(error)
    assert message.startswith(
        f"2026 is a confirmed year, but the installed holidays {installed} read through "
        "ChinaBefore2026Notice gives China's 2026 unlike the State Council notice (make-up "
        "workdays missing: 2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, "
        "2026-10-10; weekdays off missing: 2026-01-02, 2026-02-16, 2026-02-20, 2026-02-23, "
        "2026-05-04, 2026-05-05, 2026-10-06, 2026-10-07), so deadlines would be wrong."
    )
    assert "holidays>=0.94" in message
    assert "ChinaHolidays().with_notice(2026, ...)" in message
    # The other years of that package are as their notices say.
    assert provider.year(2025).confirmed


@pytest.mark.parametrize("policy", list(UnconfirmedPolicy))
def test_a_deadline_across_national_day_2026_is_refused_rather_than_wrong(
    policy: UnconfirmedPolicy,
) -> None:
    eve = pendulum.datetime(2026, 9, 30, 17, 0, tz="Asia/Shanghai")
    right = BusinessCalendar.china_service_hours(unconfirmed=policy)
    # Half an hour before closing, the other half after the holiday, 1–7 October.
    assert right.add(eve, 3600) == pendulum.datetime(2026, 10, 8, 9, 0, tz="Asia/Shanghai")
    old = BusinessCalendar.china_service_hours(
        holidays=ChinaHolidays(holidays_class=ChinaBefore2026Notice), unconfirmed=policy
    )
    with pytest.raises(HolidayDataMismatch, match="2026 is a confirmed year"):
        old.add(eve, 3600)  # without the check: 10-06 09:00, a day off


def test_a_day_off_the_notice_does_not_give_is_refused() -> None:
    provider = ChinaHolidays(holidays_class=ChinaWithAnExtraDayOff)
    with pytest.raises(
        HolidayDataMismatch,
        match=r"\(days off the notice does not have: 2026-10-08\).*meets propcrm's floor",
    ):
        provider.year(2026)


def test_a_make_up_day_the_notice_does_not_have_is_refused_in_full() -> None:
    # The package read directly (not through a subclass) at exactly the floor release, working
    # Sunday 11 October 2026, which 2026's notice does not make a workday.
    notice = _SHIPPED_NOTICES[2026]
    extra = notice.make_up_days | {datetime.date(2026, 10, 11)}
    with pytest.raises(HolidayDataMismatch) as caught:
        _check_notice(2026, notice.days_off, extra, PackageChina, installed="0.94")
    assert str(caught.value) == (
        "2026 is a confirmed year, but the installed holidays 0.94 gives China's 2026 unlike the "
        "State Council notice (make-up workdays the notice does not have: 2026-10-11), so "
        "deadlines would be wrong. The installed release meets propcrm's floor "
        "(holidays>=0.94), so this data differs from the notice as propcrm checked it: give the "
        "notice yourself with ChinaHolidays().with_notice(2026, ...), and report the difference."
    )


class ChinaWithDecemberMakeUp(PackageChina):
    """China with a 2031 notice that makes Saturday 28 December 2030 a make-up workday."""

    def _populate(self, year: int) -> None:
        super()._populate(year)
        if year == 2031:  # the notice for 2031 moves a workday into the year before
            self.weekend_workdays.add(datetime.date(2030, 12, 28))


def test_a_make_up_day_that_next_years_notice_puts_in_december_is_kept() -> None:
    provider = ChinaHolidays(holidays_class=ChinaWithDecemberMakeUp)
    assert make_up(provider.year(2030)) == ["2030-12-28"]
    assert make_up(provider.year(2031)) == []


class ChinaWithFoundersDay(PackageChina):
    """China with a company day on 2 January, dated from the year being populated."""

    def _populate(self, year: int) -> None:
        super()._populate(year)
        self[datetime.date(year, 1, 2)] = "公司日"  # no date of year 10000 exists


def test_year_9999_never_asks_the_package_for_year_10000() -> None:
    last = ChinaHolidays(holidays_class=ChinaWithFoundersDay).year(9999)
    assert [(h.day.isoformat(), h.name) for h in last.holidays] == [("9999-01-02", "公司日")]
    assert not last.confirmed


def test_an_older_release_is_told_to_upgrade() -> None:
    with pytest.raises(HolidayDataMismatch) as caught:
        _check_notice(2026, BEFORE_THE_2026_NOTICE, (), PackageChina, installed="0.60")
    assert caught.value.installed == "0.60"
    assert str(caught.value).startswith(
        "2026 is a confirmed year, but the installed holidays 0.60 gives China's 2026 unlike"
    )  # the package itself, not a subclass: no "read through"
    assert str(caught.value).endswith(
        "so deadlines would be wrong. Install holidays>=0.94 (pip install -U 'holidays>=0.94'), "
        "the first release with every notice propcrm ships (0.60 is older), or give the notice "
        "yourself with ChinaHolidays().with_notice(2026, ...)."
    )


def test_only_years_claimed_as_confirmed_are_checked() -> None:
    unclaimed = ChinaHolidays(confirmed=(), holidays_class=ChinaBefore2026Notice)
    assert not unclaimed.year(2026).confirmed
    given = ChinaHolidays(holidays_class=ChinaBefore2026Notice).with_notice(
        2026,
        holidays={datetime.date(2026, 10, 1): "国庆节"},
        make_up_days=[datetime.date(2026, 10, 10)],
        source="国务院办公厅关于2026年部分节假日安排的通知 (given by hand)",
    )
    assert given.year(2026).confirmed


def test_each_year_is_checked_once_per_provider() -> None:
    provider = ChinaHolidays(holidays_class=CountingChina)
    CountingChina.populated.clear()
    first = provider.year(2026)
    assert provider.year(2026) is first
    assert CountingChina.populated.count(2026) == 1


def test_holidays_class_is_the_package_china_or_a_subclass() -> None:
    assert ChinaHolidays().holidays_class is PackageChina
    with pytest.raises(InvalidCalendar, match="holidays_class <class 'dict'> is not"):
        ChinaHolidays(holidays_class=dict)  # type: ignore[arg-type]  # refused on purpose


# -- every refusal names the field, the value and what is allowed (issue 18) ----------------------

_OCT_1 = datetime.date(2026, 10, 1)


@pytest.mark.parametrize(
    ("make", "field", "value", "allowed", "context"),
    [
        (lambda: HolidayList().year(0), "year", 0, "int from 1 to 9999", {}),
        (lambda: HolidayYear(True), "year", True, "int from 1 to 9999", {}),
        (lambda: Holiday(_OCT_1, " "), "name", " ", "non-empty text", {}),
        (lambda: HolidayYear(2026, source=" "), "source", " ", "non-empty text or None", {}),
        (lambda: HolidayList(unlisted=" "), "unlisted", " ", "non-empty text or None", {}),
        (
            lambda: HolidayYear(2026, holidays="国庆"),
            "holidays",
            "国庆",
            "a collection of Holiday",
            {},
        ),
        (lambda: HolidayYear(2026, holidays=[_OCT_1]), "holidays", _OCT_1, "Holiday", {}),
        (
            lambda: HolidayYear(2026, make_up_days=[_OCT_1]),
            "make_up_days",
            _OCT_1,
            "MakeUpDay",
            {},
        ),
        (
            lambda: HolidayYear(2026, holidays=[Holiday(datetime.date(2027, 1, 1), "元旦")]),
            "day",
            datetime.date(2027, 1, 1),
            "a date in 2026",
            {},
        ),
        (
            lambda: HolidayYear(
                2026, holidays=[Holiday(_OCT_1, "国庆节")], make_up_days=[MakeUpDay(_OCT_1)]
            ),
            "day",
            _OCT_1,
            "each date once",
            {},
        ),
        (
            lambda: ChinaHolidays(confirmed=[ConfirmedYear(2030, "a"), ConfirmedYear(2030, "b")]),
            "confirmed",
            2030,
            "each year once",
            {},
        ),
        (
            lambda: ChinaHolidays(notices=[HolidayYear(2031)]),
            "source",
            None,
            "non-empty text naming the notice",
            {"year": 2031},
        ),
        (
            lambda: ChinaHolidays(
                notices=[HolidayYear(2031, source="a"), HolidayYear(2031, source="b")]
            ),
            "notices",
            2031,
            "one notice a year",
            {},
        ),
        (
            lambda: ChinaHolidays(language="fr"),
            "language",
            "fr",
            "zh_CN or zh_TW or en_US or th",
            {},
        ),
        (
            lambda: ChinaHolidays(holidays_class=dict),
            "holidays_class",
            dict,
            "holidays.countries.China or a subclass",
            {},
        ),
        (lambda: CN.confirm(2025, "again"), "year", 2025, "a year not yet confirmed", {}),
        (
            lambda: CN.with_notice(
                2031, holidays=[datetime.date(2031, 1, 1)], make_up_days=[], source="s"
            ),
            "holidays",
            [datetime.date(2031, 1, 1)],
            "a mapping of date to name",
            {},
        ),
        (
            lambda: HolidayList([HolidayYear(2026), HolidayYear(2026)]),
            "years",
            2026,
            "each year once",
            {},
        ),
        (
            lambda: ChinaHolidays(confirmed=[2030]),
            "confirmed",
            2030,
            "ConfirmedYear",
            {},
        ),
        (
            lambda: ChinaHolidays(notices="2031"),
            "notices",
            "2031",
            "a collection of HolidayYear",
            {},
        ),
        (lambda: HolidayList([2026]), "years", 2026, "HolidayYear", {}),
    ],
)
def test_a_refusal_names_the_field_the_value_and_what_is_allowed(
    make: Callable[[], object], field: str, value: object, allowed: str, context: dict[str, object]
) -> None:
    with pytest.raises(InvalidCalendar) as raised:
        make()
    error = raised.value
    assert (error.field, error.value, error.allowed, error.context) == (
        field,
        value,
        allowed,
        context,
    )
    assert len(str(error)) > 30
    assert str(error).endswith(".")


def test_years_1_and_9999_are_in_range() -> None:
    assert HolidayList().year(1).year == 1
    last = ChinaHolidays().year(9999)  # the package is asked for 9999 alone: no year 10000
    assert (last.year, last.confirmed) == (9999, False)


def test_a_later_notice_for_a_year_replaces_the_earlier() -> None:
    draft = CN.with_notice(2031, holidays={}, make_up_days=[], source="草案")
    final = draft.with_notice(
        2031,
        holidays={datetime.date(2031, 1, 1): "元旦"},
        make_up_days=[datetime.date(2031, 1, 4)],
        source="国务院办公厅关于2031年部分节假日安排的通知",
    )
    (notice,) = final.notices
    assert notice.source == "国务院办公厅关于2031年部分节假日安排的通知"
    assert [(h.day.isoformat(), h.name) for h in notice.holidays] == [("2031-01-01", "元旦")]
    assert [(m.day.isoformat(), m.name) for m in notice.make_up_days] == [
        ("2031-01-04", "调休上班")
    ]
    assert final.confirmed_years[2031] == "国务院办公厅关于2031年部分节假日安排的通知"
