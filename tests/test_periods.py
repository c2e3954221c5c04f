"""Tests for time._periods: aligned billing periods."""

from __future__ import annotations

import datetime

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propcrm.errors import InvalidPeriod, UnsupportedLocale
from propcrm.time import BillingPeriod, PeriodKind

MONTH, QUARTER, HALF_YEAR, YEAR = (
    PeriodKind.MONTH,
    PeriodKind.QUARTER,
    PeriodKind.HALF_YEAR,
    PeriodKind.YEAR,
)


def d(year: int, month: int, day: int) -> pendulum.Date:
    return pendulum.date(year, month, day)


# -- kinds ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "months"), [(MONTH, 1), (QUARTER, 3), (HALF_YEAR, 6), (YEAR, 12)])
def test_kind_months(kind: PeriodKind, months: int) -> None:
    assert kind.months == months


# -- constructors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "kind", "start", "end", "days", "code"),
    [
        (BillingPeriod.month(2024, 2), MONTH, d(2024, 2, 1), d(2024, 2, 29), 29, "2024-02"),
        (BillingPeriod.month(2026, 2), MONTH, d(2026, 2, 1), d(2026, 2, 28), 28, "2026-02"),
        (BillingPeriod.month(2100, 2), MONTH, d(2100, 2, 1), d(2100, 2, 28), 28, "2100-02"),
        (BillingPeriod.month(2000, 2), MONTH, d(2000, 2, 1), d(2000, 2, 29), 29, "2000-02"),
        (BillingPeriod.month(2026, 11), MONTH, d(2026, 11, 1), d(2026, 11, 30), 30, "2026-11"),
        (BillingPeriod.month(2026, 12), MONTH, d(2026, 12, 1), d(2026, 12, 31), 31, "2026-12"),
        (BillingPeriod.quarter(2024, 1), QUARTER, d(2024, 1, 1), d(2024, 3, 31), 91, "2024-Q1"),
        (BillingPeriod.quarter(2026, 1), QUARTER, d(2026, 1, 1), d(2026, 3, 31), 90, "2026-Q1"),
        (BillingPeriod.quarter(2026, 2), QUARTER, d(2026, 4, 1), d(2026, 6, 30), 91, "2026-Q2"),
        (BillingPeriod.quarter(2026, 3), QUARTER, d(2026, 7, 1), d(2026, 9, 30), 92, "2026-Q3"),
        (BillingPeriod.quarter(2026, 4), QUARTER, d(2026, 10, 1), d(2026, 12, 31), 92, "2026-Q4"),
        (
            BillingPeriod.half_year(2024, 1),
            HALF_YEAR,
            d(2024, 1, 1),
            d(2024, 6, 30),
            182,
            "2024-H1",
        ),
        (
            BillingPeriod.half_year(2026, 1),
            HALF_YEAR,
            d(2026, 1, 1),
            d(2026, 6, 30),
            181,
            "2026-H1",
        ),
        (
            BillingPeriod.half_year(2026, 2),
            HALF_YEAR,
            d(2026, 7, 1),
            d(2026, 12, 31),
            184,
            "2026-H2",
        ),
        (BillingPeriod.year(2024), YEAR, d(2024, 1, 1), d(2024, 12, 31), 366, "2024"),
        (BillingPeriod.year(2026), YEAR, d(2026, 1, 1), d(2026, 12, 31), 365, "2026"),
        (BillingPeriod.year(987), YEAR, d(987, 1, 1), d(987, 12, 31), 365, "0987"),
    ],
)
def test_constructors_give_aligned_periods(
    period: BillingPeriod,
    kind: PeriodKind,
    start: pendulum.Date,
    end: pendulum.Date,
    days: int,
    code: str,
) -> None:
    assert period.kind is kind
    assert period.start == start
    assert period.end == end
    assert period.days == days
    assert period.months == kind.months
    assert period.code == code
    assert str(period) == code


def test_direct_construction_equals_the_named_constructor() -> None:
    assert BillingPeriod(QUARTER, d(2026, 4, 1)) == BillingPeriod.quarter(2026, 2)
    assert BillingPeriod(MONTH, datetime.date(2026, 2, 1)) == BillingPeriod.month(2026, 2)
    assert hash(BillingPeriod(MONTH, datetime.date(2026, 2, 1))) == hash(
        BillingPeriod.month(2026, 2)
    )
    assert isinstance(BillingPeriod(MONTH, datetime.date(2026, 2, 1)).start, pendulum.Date)


@pytest.mark.parametrize(
    ("kind", "start"),
    [
        (MONTH, d(2026, 2, 2)),
        (MONTH, d(2026, 2, 28)),
        (QUARTER, d(2026, 2, 1)),
        (QUARTER, d(2026, 12, 1)),
        (QUARTER, d(2026, 4, 2)),
        (HALF_YEAR, d(2026, 4, 1)),
        (HALF_YEAR, d(2026, 1, 15)),
        (YEAR, d(2026, 7, 1)),
        (YEAR, d(2026, 1, 2)),
    ],
)
def test_misaligned_start_is_refused(kind: PeriodKind, start: pendulum.Date) -> None:
    with pytest.raises(InvalidPeriod, match=start.isoformat()):
        BillingPeriod(kind, start)


def test_misaligned_message_lists_the_allowed_months() -> None:
    with pytest.raises(InvalidPeriod, match="1st of month 1, 4, 7, 10"):
        BillingPeriod(QUARTER, d(2026, 2, 1))


def test_start_must_be_a_date_not_a_datetime() -> None:
    with pytest.raises(TypeError):
        BillingPeriod(MONTH, pendulum.datetime(2026, 2, 1, tz="Asia/Shanghai"))
    with pytest.raises(TypeError):
        BillingPeriod(MONTH, "2026-02-01")  # type: ignore[arg-type]


def test_kind_must_be_a_period_kind() -> None:
    with pytest.raises(TypeError):
        BillingPeriod(1, d(2026, 2, 1))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "build",
    [
        lambda: BillingPeriod.month(2026, 13),
        lambda: BillingPeriod.month(2026, 0),
        lambda: BillingPeriod.month(2026, True),
        lambda: BillingPeriod.month(2026, "2"),
        lambda: BillingPeriod.month(0, 1),
        lambda: BillingPeriod.month(9999, 1),
        lambda: BillingPeriod.year(True),
        lambda: BillingPeriod.quarter(2026, 5),
        lambda: BillingPeriod.quarter(2026, 0),
        lambda: BillingPeriod.half_year(2026, 3),
        lambda: BillingPeriod.half_year(2026, 0),
    ],
    ids=[
        "month-13",
        "month-0",
        "month-bool",
        "month-str",
        "year-0",
        "year-9999",
        "year-bool",
        "quarter-5",
        "quarter-0",
        "half-3",
        "half-0",
    ],
)
def test_invalid_numbers_are_refused(build) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidPeriod):
        build()


def test_invalid_period_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="month 13"):
        BillingPeriod.month(2026, 13)


# -- navigation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "following", "preceding"),
    [
        (BillingPeriod.month(2026, 2), "2026-03", "2026-01"),
        (BillingPeriod.month(2026, 12), "2027-01", "2026-11"),
        (BillingPeriod.month(2026, 1), "2026-02", "2025-12"),
        (BillingPeriod.quarter(2026, 4), "2027-Q1", "2026-Q3"),
        (BillingPeriod.quarter(2026, 1), "2026-Q2", "2025-Q4"),
        (BillingPeriod.half_year(2026, 2), "2027-H1", "2026-H1"),
        (BillingPeriod.half_year(2026, 1), "2026-H2", "2025-H2"),
        (BillingPeriod.year(2026), "2027", "2025"),
    ],
)
def test_next_and_previous(period: BillingPeriod, following: str, preceding: str) -> None:
    assert period.next().code == following
    assert period.previous().code == preceding
    assert period.next().kind is period.kind
    assert period.previous().kind is period.kind


@pytest.mark.parametrize(
    ("day", "kind", "code"),
    [
        (d(2026, 11, 24), MONTH, "2026-11"),
        (d(2026, 11, 24), QUARTER, "2026-Q4"),
        (d(2026, 11, 24), HALF_YEAR, "2026-H2"),
        (d(2026, 11, 24), YEAR, "2026"),
        (d(2026, 1, 1), QUARTER, "2026-Q1"),
        (d(2026, 3, 31), QUARTER, "2026-Q1"),
        (d(2026, 4, 1), QUARTER, "2026-Q2"),
        (d(2026, 6, 30), HALF_YEAR, "2026-H1"),
        (d(2024, 2, 29), MONTH, "2024-02"),
        (datetime.date(2026, 12, 31), YEAR, "2026"),
    ],
)
def test_containing(day: datetime.date, kind: PeriodKind, code: str) -> None:
    assert BillingPeriod.containing(day, kind).code == code


def test_containing_defaults_to_month() -> None:
    assert BillingPeriod.containing(d(2026, 11, 24)) == BillingPeriod.month(2026, 11)


def test_containing_refuses_a_datetime() -> None:
    with pytest.raises(TypeError):
        BillingPeriod.containing(pendulum.datetime(2026, 11, 24, tz="Asia/Shanghai"))


def test_contains() -> None:
    feb = BillingPeriod.month(2024, 2)
    assert feb.contains(d(2024, 2, 1))
    assert feb.contains(d(2024, 2, 29))
    assert feb.contains(datetime.date(2024, 2, 15))
    assert not feb.contains(d(2024, 1, 31))
    assert not feb.contains(d(2024, 3, 1))
    with pytest.raises(TypeError):
        feb.contains(pendulum.datetime(2024, 2, 15, tz="UTC"))


@pytest.mark.parametrize(
    ("period", "codes"),
    [
        (BillingPeriod.month(2026, 2), ["2026-02"]),
        (BillingPeriod.quarter(2026, 4), ["2026-10", "2026-11", "2026-12"]),
        (BillingPeriod.half_year(2026, 1), [f"2026-{m:02d}" for m in range(1, 7)]),
        (BillingPeriod.year(2026), [f"2026-{m:02d}" for m in range(1, 13)]),
    ],
)
def test_month_periods(period: BillingPeriod, codes: list[str]) -> None:
    months = list(period.month_periods())
    assert [m.code for m in months] == codes
    assert all(m.kind is MONTH for m in months)


# -- ordering -------------------------------------------------------------------------------


def test_ordering_by_start() -> None:
    jan, feb, dec = (BillingPeriod.month(2026, m) for m in (1, 2, 12))
    assert jan < feb
    assert feb > jan
    assert not feb < jan
    assert BillingPeriod.month(2025, 12) < jan
    assert sorted([dec, jan, feb]) == [jan, feb, dec]
    assert max([dec, jan, feb]) == dec


def test_a_shorter_period_sorts_before_a_longer_one_with_the_same_start() -> None:
    assert BillingPeriod.month(2026, 1) < BillingPeriod.quarter(2026, 1)
    assert BillingPeriod.quarter(2026, 1) < BillingPeriod.year(2026)
    assert BillingPeriod.year(2025) < BillingPeriod.month(2026, 1)


def test_ordering_includes_less_or_equal_and_greater_or_equal() -> None:
    jan, feb = BillingPeriod.month(2026, 1), BillingPeriod.month(2026, 2)
    assert jan <= feb
    assert jan <= BillingPeriod.month(2026, 1)
    assert feb >= jan
    assert not feb <= jan


def test_ordering_against_another_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        BillingPeriod.month(2026, 1) < d(2026, 1, 1)  # type: ignore[operator]  # noqa: B015


# -- properties -----------------------------------------------------------------------------

# Keep a period of margin at both ends of pendulum's date range, so next() and previous() exist.
dates = st.dates(min_value=datetime.date(2, 1, 1), max_value=datetime.date(9997, 12, 31))
kinds = st.sampled_from(list(PeriodKind))


@given(dates, kinds)
def test_the_containing_period_contains_the_day(day: datetime.date, kind: PeriodKind) -> None:
    period = BillingPeriod.containing(day, kind)
    assert period.contains(day)
    assert period.start <= day <= period.end


@given(dates, kinds)
def test_next_then_previous_is_the_same_period(day: datetime.date, kind: PeriodKind) -> None:
    period = BillingPeriod.containing(day, kind)
    assert period.next().previous() == period
    assert period.previous().next() == period


@given(dates, kinds)
def test_next_starts_the_day_after_the_end(day: datetime.date, kind: PeriodKind) -> None:
    period = BillingPeriod.containing(day, kind)
    assert period.next().start == period.end.add(days=1)
    assert period.previous().end == period.start.subtract(days=1)
    assert period < period.next()


@given(dates, kinds)
def test_the_months_of_a_period_add_up_to_it(day: datetime.date, kind: PeriodKind) -> None:
    period = BillingPeriod.containing(day, kind)
    months = list(period.month_periods())
    assert len(months) == kind.months
    assert sum(m.days for m in months) == period.days
    assert months[0].start == period.start
    assert months[-1].end == period.end


@pytest.mark.parametrize(
    ("kind", "chinese", "english"),
    [
        (PeriodKind.MONTH, "月度", "month"),
        (PeriodKind.QUARTER, "季度", "quarter"),
        (PeriodKind.HALF_YEAR, "半年度", "half-year"),
        (PeriodKind.YEAR, "年度", "year"),
    ],
)
def test_each_period_kind_has_a_label_in_each_locale(
    kind: PeriodKind, chinese: str, english: str
) -> None:
    assert kind.label() == chinese
    assert kind.label("zh_CN") == chinese
    assert kind.label("en_US") == english


def test_a_period_kind_label_refuses_an_unsupported_locale() -> None:
    with pytest.raises(UnsupportedLocale, match="'zh_CN' and 'en_US' only"):
        PeriodKind.MONTH.label("zh_TW")
