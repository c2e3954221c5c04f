"""Tests for sla._holidays: China's holidays and make-up days, confirmed years, providers."""

from __future__ import annotations

import datetime

import attrs
import pendulum
import pytest

from propcrm.errors import InvalidCalendar
from propcrm.sla import (
    ChinaHolidays,
    Holiday,
    HolidayList,
    HolidayProvider,
    HolidayYear,
    MakeUpDay,
    UnconfirmedPolicy,
)
from propcrm.sla._holidays import MAKE_UP_DAY_NAME, SHIPPED_CHINA_YEARS, ConfirmedYear

CN = ChinaHolidays()


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
