"""Tests for billing._cycles: when a notice is issued and when it falls due."""

from __future__ import annotations

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.billing_fixtures import COMMUNITY, apartment, sample_tariff

from propcrm.billing import (
    DEFAULT_CYCLE,
    BillingCyclePolicy,
    BillingPolicy,
    DueDate,
    DueDaysAfterStatement,
    DueInAdvance,
    DueOnDayOfFollowingMonth,
    issue_statement,
)
from propcrm.billing._cycles import DEFAULT_DUE_DAY
from propcrm.errors import InvalidPolicy, UnsupportedLocale
from propcrm.time import (
    BillingPeriod,
    PeriodKind,
    WeekdayCalendar,
)

NOV = BillingPeriod.month(2026, 11)
DEC = BillingPeriod.month(2026, 12)
Q4 = BillingPeriod.quarter(2026, 4)


# -- the default cycle ----------------------------------------------------------------------


def test_default_cycle_is_monthly_in_arrears_due_the_10th() -> None:
    assert DEFAULT_DUE_DAY == 10
    assert DEFAULT_CYCLE.period_kind is PeriodKind.MONTH
    assert DEFAULT_CYCLE.due == DueOnDayOfFollowingMonth(10)
    assert DEFAULT_CYCLE.issue_days_before is None
    assert DEFAULT_CYCLE.roll_forward is None
    assert BillingPolicy().cycle == DEFAULT_CYCLE


@pytest.mark.parametrize(
    ("period", "issued", "due"),
    [
        (NOV, (2026, 11, 30), (2026, 12, 10)),
        (DEC, (2026, 12, 31), (2027, 1, 10)),
        (BillingPeriod.month(2026, 1), (2026, 1, 31), (2026, 2, 10)),
        (BillingPeriod.month(2024, 2), (2024, 2, 29), (2024, 3, 10)),
    ],
)
def test_default_notice_is_issued_at_month_end_and_due_the_10th_of_next_month(
    period: BillingPeriod, issued: tuple[int, int, int], due: tuple[int, int, int]
) -> None:
    assert DEFAULT_CYCLE.statement_date(period) == pendulum.date(*issued)
    assert DEFAULT_CYCLE.due_date(period).due_on == pendulum.date(*due)


def test_default_due_date_is_not_rolled_and_names_its_rule() -> None:
    due = DEFAULT_CYCLE.due_date(NOV)
    assert due == DueDate(
        pendulum.date(2026, 12, 10),
        pendulum.date(2026, 12, 10),
        DueOnDayOfFollowingMonth(),
        None,
    )
    assert due.describe("en_US") == "day 10 of the month after the period"
    assert due.describe() == "账期结束后次月10日"
    assert not due.rolled


def test_statement_date_is_the_periods_last_day_for_every_kind_in_arrears() -> None:
    quarterly = BillingCyclePolicy(PeriodKind.QUARTER)
    assert quarterly.statement_date(Q4) == pendulum.date(2026, 12, 31)
    assert quarterly.due_date(Q4).due_on == pendulum.date(2027, 1, 10)


# -- due rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "period", "due"),
    [
        (31, BillingPeriod.month(2026, 1), (2026, 2, 28)),
        (31, BillingPeriod.month(2024, 1), (2024, 2, 29)),
        (30, BillingPeriod.month(2026, 1), (2026, 2, 28)),
        (31, BillingPeriod.month(2026, 10), (2026, 11, 30)),
        (31, BillingPeriod.month(2026, 11), (2026, 12, 31)),
        (1, NOV, (2026, 12, 1)),
    ],
)
def test_due_day_past_the_end_of_a_short_month_clamps_to_its_last_day(
    day: int, period: BillingPeriod, due: tuple[int, int, int]
) -> None:
    cycle = BillingCyclePolicy(due=DueOnDayOfFollowingMonth(day))
    assert cycle.due_date(period).due_on == pendulum.date(*due)


@pytest.mark.parametrize("day", [0, 32, -1, True, "10", 10.0])
def test_due_day_must_be_an_int_from_1_to_31(day: object) -> None:
    with pytest.raises(InvalidPolicy, match="due day"):
        DueOnDayOfFollowingMonth(day)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("days", "due"), [(0, (2026, 11, 30)), (15, (2026, 12, 15)), (31, (2026, 12, 31))]
)
def test_due_days_after_the_statement(days: int, due: tuple[int, int, int]) -> None:
    cycle = BillingCyclePolicy(due=DueDaysAfterStatement(days))
    dd = cycle.due_date(NOV)
    assert dd.due_on == pendulum.date(*due)
    assert dd.rule == DueDaysAfterStatement(days)
    assert dd.describe("en_US") == f"{days} days after the statement date"
    assert dd.describe() == f"通知单开具后{days}天"


@pytest.mark.parametrize("days", [-1, 367, True, "15"])
def test_day_counts_must_be_ints_from_0_to_366(days: object) -> None:
    with pytest.raises(InvalidPolicy, match="day count"):
        DueDaysAfterStatement(days)  # type: ignore[arg-type]
    with pytest.raises(InvalidPolicy, match="day count"):
        DueInAdvance(days)  # type: ignore[arg-type]
    with pytest.raises(InvalidPolicy, match="day count"):
        BillingCyclePolicy(issue_days_before=days)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (DueOnDayOfFollowingMonth(), "day 10 of the month after the period"),
        (DueDaysAfterStatement(15), "15 days after the statement date"),
        (DueInAdvance(), "in advance, on the first day of the period"),
        (DueInAdvance(5), "in advance, 5 days before the period starts"),
    ],
)
def test_due_rules_describe_themselves(rule: object, text: str) -> None:
    assert rule.describe("en_US") == text  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (DueOnDayOfFollowingMonth(), "账期结束后次月10日"),
        (DueDaysAfterStatement(15), "通知单开具后15天"),
        (DueInAdvance(), "预缴，账期首日"),
        (DueInAdvance(5), "预缴，账期开始前5天"),
    ],
)
def test_due_rules_describe_themselves_in_chinese_by_default(rule: object, text: str) -> None:
    assert rule.describe() == rule.describe("zh_CN") == text  # type: ignore[attr-defined]


def test_one_day_is_singular_in_english() -> None:
    assert DueDaysAfterStatement(1).describe("en_US") == "1 day after the statement date"
    assert DueInAdvance(1).describe("en_US") == "in advance, 1 day before the period starts"


def test_an_agreed_due_date_says_so() -> None:
    agreed = DueDate(pendulum.date(2026, 12, 10), pendulum.date(2026, 12, 10), None, None)
    assert (agreed.describe(), agreed.describe("en_US")) == ("约定的到期日", "agreed due date")


@pytest.mark.parametrize("locale", ["fr_FR", "zh", "en"])
def test_due_rules_refuse_an_unsupported_locale(locale: str) -> None:
    for rule in (DueOnDayOfFollowingMonth(), DueDaysAfterStatement(3), DueInAdvance(2)):
        with pytest.raises(UnsupportedLocale):
            rule.describe(locale)
    with pytest.raises(UnsupportedLocale):
        DEFAULT_CYCLE.due_date(NOV).describe(locale)


# -- prepaid cycles -------------------------------------------------------------------------


def test_prepaid_quarter_is_issued_days_before_and_due_on_the_first_day() -> None:
    cycle = BillingCyclePolicy.prepaid(PeriodKind.QUARTER)
    assert cycle.period_kind is PeriodKind.QUARTER
    assert cycle.issue_days_before == 15
    assert cycle.statement_date(Q4) == pendulum.date(2026, 9, 16)
    due = cycle.due_date(Q4)
    assert due.due_on == pendulum.date(2026, 10, 1)
    assert due.rule == DueInAdvance()
    assert due.describe("en_US") == "in advance, on the first day of the period"


def test_prepaid_with_own_issue_and_due_days() -> None:
    cycle = BillingCyclePolicy.prepaid(PeriodKind.YEAR, issue_days_before=30, due_days_before=7)
    year = BillingPeriod.year(2027)
    assert cycle.statement_date(year) == pendulum.date(2026, 12, 2)
    assert cycle.due_date(year).due_on == pendulum.date(2026, 12, 25)


def test_due_in_advance_without_issue_days_before_is_refused() -> None:
    with pytest.raises(InvalidPolicy, match="issue_days_before"):
        BillingCyclePolicy(PeriodKind.QUARTER, DueInAdvance())


def test_due_before_the_notice_is_issued_is_refused() -> None:
    cycle = BillingCyclePolicy.prepaid(PeriodKind.QUARTER, issue_days_before=5, due_days_before=10)
    with pytest.raises(InvalidPolicy, match="before it is issued"):
        cycle.due_date(Q4)


def test_prepaid_notice_on_a_billing_run() -> None:
    policy = BillingPolicy(cycle=BillingCyclePolicy.prepaid(PeriodKind.QUARTER))
    notice = issue_statement(
        community=COMMUNITY, unit=apartment(), period=Q4, tariff=sample_tariff(), policy=policy
    )
    assert notice.issued_on == pendulum.date(2026, 9, 16)
    assert notice.due_on == pendulum.date(2026, 10, 1)


# -- period kinds ---------------------------------------------------------------------------


def test_cycle_refuses_a_period_of_another_kind() -> None:
    with pytest.raises(InvalidPolicy, match="bills month periods, not quarter ones like 2026-Q4"):
        DEFAULT_CYCLE.statement_date(Q4)
    with pytest.raises(InvalidPolicy):
        DEFAULT_CYCLE.due_date(Q4)
    with pytest.raises(InvalidPolicy, match="quarter periods"):
        BillingCyclePolicy(PeriodKind.QUARTER).due_date(NOV)


def test_billing_a_quarter_under_the_monthly_default_is_refused() -> None:
    with pytest.raises(InvalidPolicy):
        issue_statement(community=COMMUNITY, unit=apartment(), period=Q4, tariff=sample_tariff())


# -- rolling forward ------------------------------------------------------------------------


def test_due_date_on_a_sunday_rolls_to_monday_through_a_calendar() -> None:
    cycle = attrs.evolve(DEFAULT_CYCLE, roll_forward=WeekdayCalendar())
    due = cycle.due_date(DEC)  # 10 January 2027 is a Sunday
    assert pendulum.date(2027, 1, 10).isoweekday() == 7
    assert due.due_on == pendulum.date(2027, 1, 11)
    assert due.nominal == pendulum.date(2027, 1, 10)
    assert due.rolled
    assert due.calendar == "weekdays"


def test_without_a_calendar_the_due_date_stays_on_the_sunday() -> None:
    due = DEFAULT_CYCLE.due_date(DEC)
    assert due.due_on == pendulum.date(2027, 1, 10)
    assert due.nominal == due.due_on
    assert not due.rolled
    assert due.calendar is None


def test_a_working_day_due_date_is_not_rolled_but_names_the_calendar() -> None:
    cycle = attrs.evolve(DEFAULT_CYCLE, roll_forward=WeekdayCalendar())
    due = cycle.due_date(NOV)  # 10 December 2026 is a Thursday
    assert due.due_on == due.nominal == pendulum.date(2026, 12, 10)
    assert not due.rolled
    assert due.calendar == "weekdays"


def test_roll_forward_skips_closed_days_and_uses_the_calendars_name() -> None:
    holidays = WeekdayCalendar(
        closed=frozenset({pendulum.date(2027, 1, 11), pendulum.date(2027, 1, 12)}),
        name="SUNRISE-holidays",
    )
    due = attrs.evolve(DEFAULT_CYCLE, roll_forward=holidays).due_date(DEC)
    assert due.due_on == pendulum.date(2027, 1, 13)
    assert due.calendar == "SUNRISE-holidays"


def test_roll_forward_honours_make_up_working_days() -> None:
    # a make-up working Sunday (调休) is a working day
    makeup = WeekdayCalendar(open=frozenset({pendulum.date(2027, 1, 10)}))
    due = attrs.evolve(DEFAULT_CYCLE, roll_forward=makeup).due_date(DEC)
    assert due.due_on == pendulum.date(2027, 1, 10)
    assert not due.rolled


def test_rolled_due_date_reaches_the_notice() -> None:
    policy = BillingPolicy(cycle=attrs.evolve(DEFAULT_CYCLE, roll_forward=WeekdayCalendar()))
    notice = issue_statement(
        community=COMMUNITY, unit=apartment(), period=DEC, tariff=sample_tariff(), policy=policy
    )
    assert notice.due_on == pendulum.date(2027, 1, 11)
    assert notice.due.nominal == pendulum.date(2027, 1, 10)


# -- properties -----------------------------------------------------------------------------


@given(
    year=st.integers(min_value=2000, max_value=2098),
    month=st.integers(min_value=1, max_value=12),
    day=st.integers(min_value=1, max_value=31),
)
def test_due_date_is_always_in_the_following_month_and_never_before_the_notice(
    year: int, month: int, day: int
) -> None:
    period = BillingPeriod.month(year, month)
    cycle = BillingCyclePolicy(due=DueOnDayOfFollowingMonth(day), roll_forward=WeekdayCalendar())
    due = cycle.due_date(period)
    following = period.next()
    assert following.contains(due.nominal)
    assert due.nominal.day == min(day, following.days)
    assert due.due_on >= due.nominal >= cycle.statement_date(period)
    assert due.due_on.isoweekday() <= 5
    assert (due.due_on - due.nominal).days <= 2
