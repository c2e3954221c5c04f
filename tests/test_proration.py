"""Tests for billing._proration: partial periods by days, and splits that sum exactly."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.billing_fixtures import (
    COMMUNITY,
    apartment,
    rise_tariff,
    sample_tariff,
    sample_version,
    water_reading,
)

from propcrm.billing import (
    BillableSpan,
    BillingCyclePolicy,
    BillingPolicy,
    ProrationConvention,
    ProrationPolicy,
    Statement,
    UnitUsage,
    issue_statement,
    split_by_days,
)
from propcrm.billing._charges import Proration
from propcrm.billing._proration import (
    ProrationPart,
    period_segments,
)
from propcrm.billing._units import ALWAYS
from propcrm.errors import (
    InvalidAmount,
    InvalidPolicy,
    InvalidType,
    NotADate,
    NotBillable,
    PropcrmError,
    UnsupportedLocale,
)
from propcrm.money import Money
from propcrm.time import BillingPeriod

ACTUAL = ProrationPolicy(ProrationConvention.ACTUAL_DAYS)
THIRTY = ProrationPolicy(ProrationConvention.THIRTY_360)
CUTOFF = ProrationPolicy(ProrationConvention.WHOLE_MONTH_CUTOFF)
ALL_POLICIES = [ACTUAL, THIRTY, CUTOFF]
POLICY_IDS = ["actual-days", "30-360", "whole-month-cutoff"]

NOV = BillingPeriod.month(2026, 11)  # 30 days
DEC = BillingPeriod.month(2026, 12)  # 31 days
FEB = BillingPeriod.month(2026, 2)  # 28 days
FEB_LEAP = BillingPeriod.month(2024, 2)  # 29 days

TARIFF = sample_tariff(sample_version(effective_from=pendulum.date(2020, 1, 1)))


def bill(
    span: BillableSpan = ALWAYS,
    *,
    period: BillingPeriod = NOV,
    proration: ProrationPolicy = ACTUAL,
    area: str = "89.37",
    usage: UnitUsage | None = None,
) -> Statement:
    return issue_statement(
        community=COMMUNITY,
        unit=apartment(area=area),
        period=period,
        tariff=TARIFF,
        usage=usage or UnitUsage(),
        span=span,
        policy=BillingPolicy(cycle=BillingCyclePolicy(period.kind), proration=proration),
    )


def amounts(parts: tuple[ProrationPart, ...]) -> list[str]:
    return [str(p.amount.amount) for p in parts]


# -- the policy -----------------------------------------------------------------------------


def test_default_policy_is_actual_days_with_cutoff_15() -> None:
    policy = ProrationPolicy()
    assert policy.convention is ProrationConvention.ACTUAL_DAYS
    assert policy.cutoff_day == 15


@pytest.mark.parametrize("day", [0, 32, -1, True, "15", 15.0])
def test_cutoff_day_must_be_an_int_from_1_to_31(day: object) -> None:
    with pytest.raises(InvalidPolicy, match="cut-off day"):
        ProrationPolicy(ProrationConvention.WHOLE_MONTH_CUTOFF, cutoff_day=day)  # type: ignore[arg-type]


def test_a_cutoff_on_the_first_gives_the_month_to_whoever_holds_the_unit_on_the_first() -> None:
    first = ProrationPolicy(ProrationConvention.WHOLE_MONTH_CUTOFF, cutoff_day=1)
    parts = split_by_days(Money("250.24"), NOV, [pendulum.date(2026, 11, 2)], first)
    assert amounts(parts) == ["250.24", "0.00"]


def test_a_cutoff_on_the_31st_gives_a_31_day_month_to_whoever_holds_its_last_day() -> None:
    last = ProrationPolicy(ProrationConvention.WHOLE_MONTH_CUTOFF, cutoff_day=31)
    parts = split_by_days(Money("250.24"), DEC, [pendulum.date(2026, 12, 31)], last)
    assert amounts(parts) == ["0.00", "250.24"]


@pytest.mark.parametrize(
    ("policy", "text"),
    [
        (ACTUAL, "actual days, both ends counted, over the period"),
        (THIRTY, "30/360: every month counts as 30 days"),
        (CUTOFF, "whole month to whoever holds the unit on day 15"),
        (
            ProrationPolicy(ProrationConvention.WHOLE_MONTH_CUTOFF, cutoff_day=20),
            "whole month to whoever holds the unit on day 20",
        ),
    ],
)
def test_policy_describes_itself(policy: ProrationPolicy, text: str) -> None:
    assert policy.describe("en_US") == text


@pytest.mark.parametrize(
    ("policy", "text"),
    [
        (ACTUAL, "按实际天数（首尾两日均计）占账期天数的比例"),
        (THIRTY, "30/360：每月按30天计"),
        (CUTOFF, "整月计给当月15日持有该房屋的一方"),
    ],
)
def test_policy_describes_itself_in_chinese_by_default(policy: ProrationPolicy, text: str) -> None:
    assert policy.describe() == policy.describe("zh_CN") == text


def test_policy_description_refuses_an_unsupported_locale() -> None:
    with pytest.raises(UnsupportedLocale):
        ACTUAL.describe("de_DE")


@pytest.mark.parametrize(
    ("policy", "first", "last", "weight"),
    [
        (ACTUAL, (2026, 11, 1), (2026, 11, 30), 30),
        (ACTUAL, (2026, 11, 16), (2026, 11, 30), 15),
        (ACTUAL, (2026, 12, 16), (2026, 12, 31), 16),
        (ACTUAL, (2026, 2, 15), (2026, 2, 28), 14),
        (ACTUAL, (2026, 10, 1), (2026, 12, 31), 92),
        (ACTUAL, (2026, 11, 16), (2026, 11, 16), 1),
        # days in the wrong order weigh nothing under every convention
        (ACTUAL, (2026, 11, 30), (2026, 11, 1), 0),
        (THIRTY, (2026, 11, 30), (2026, 11, 1), 0),
        (CUTOFF, (2026, 11, 30), (2026, 11, 1), 0),
        # 30/360: every month weighs 30, the 31st nothing, February's last day closes the month
        (THIRTY, (2026, 12, 1), (2026, 12, 31), 30),
        (THIRTY, (2026, 12, 1), (2026, 12, 30), 30),
        (THIRTY, (2026, 12, 31), (2026, 12, 31), 0),
        (THIRTY, (2026, 12, 16), (2026, 12, 31), 15),
        (THIRTY, (2026, 12, 1), (2026, 12, 15), 15),
        (THIRTY, (2026, 2, 1), (2026, 2, 28), 30),
        (THIRTY, (2026, 2, 1), (2026, 2, 14), 14),
        (THIRTY, (2026, 2, 15), (2026, 2, 28), 16),
        (THIRTY, (2024, 2, 29), (2024, 2, 29), 2),
        (THIRTY, (2026, 10, 1), (2026, 12, 31), 90),
        (THIRTY, (2026, 10, 16), (2026, 11, 15), 30),
        # whole month to whoever holds the 15th
        (CUTOFF, (2026, 11, 15), (2026, 11, 30), 1),
        (CUTOFF, (2026, 11, 15), (2026, 11, 15), 1),
        (CUTOFF, (2026, 11, 16), (2026, 11, 30), 0),
        (CUTOFF, (2026, 11, 1), (2026, 11, 15), 1),
        (CUTOFF, (2026, 11, 1), (2026, 11, 14), 0),
        (CUTOFF, (2026, 10, 1), (2026, 12, 31), 3),
        (CUTOFF, (2026, 10, 10), (2026, 12, 20), 3),
        (CUTOFF, (2026, 10, 16), (2026, 12, 14), 1),
    ],
)
def test_weight_of_days_under_each_convention(
    policy: ProrationPolicy,
    first: tuple[int, int, int],
    last: tuple[int, int, int],
    weight: int,
) -> None:
    assert policy.weight(pendulum.date(*first), pendulum.date(*last)) == weight


@pytest.mark.parametrize(
    ("cutoff", "holds", "misses"),
    [
        (31, (2026, 2, 28), (2026, 2, 27)),
        (30, (2026, 2, 28), (2026, 2, 27)),
        (30, (2024, 2, 29), (2024, 2, 28)),
        (31, (2026, 11, 30), (2026, 11, 29)),
    ],
)
def test_cutoff_day_clamps_to_the_last_day_of_a_short_month(
    cutoff: int, holds: tuple[int, int, int], misses: tuple[int, int, int]
) -> None:
    policy = ProrationPolicy(ProrationConvention.WHOLE_MONTH_CUTOFF, cutoff_day=cutoff)
    day = pendulum.date(*holds)
    end = day.end_of("month")
    start = day.start_of("month")
    # a move-in on the clamped cut-off day pays the whole month, the seller before it nothing
    assert policy.weight(day, end) == 1
    assert policy.weight(start, pendulum.date(*misses)) == 0


# -- segments -------------------------------------------------------------------------------


def test_segments_without_cuts_is_the_whole_period() -> None:
    assert period_segments(NOV, []) == [(NOV.start, NOV.end)]


def test_segments_cut_at_days_that_start_new_segments() -> None:
    cuts = [pendulum.date(2026, 11, 20), pendulum.date(2026, 11, 5)]
    assert period_segments(NOV, cuts) == [
        (pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 4)),
        (pendulum.date(2026, 11, 5), pendulum.date(2026, 11, 19)),
        (pendulum.date(2026, 11, 20), pendulum.date(2026, 11, 30)),
    ]


def test_segments_ignore_cuts_outside_the_period_on_its_first_day_and_repeats() -> None:
    cuts = [
        pendulum.date(2026, 10, 20),
        pendulum.date(2026, 11, 1),
        pendulum.date(2026, 11, 16),
        pendulum.date(2026, 11, 16),
        pendulum.date(2026, 12, 1),
    ]
    assert period_segments(NOV, cuts) == [
        (pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 15)),
        (pendulum.date(2026, 11, 16), pendulum.date(2026, 11, 30)),
    ]


def test_segment_cut_on_the_last_day_is_a_one_day_segment() -> None:
    assert period_segments(NOV, [pendulum.date(2026, 11, 30)])[-1] == (
        pendulum.date(2026, 11, 30),
        pendulum.date(2026, 11, 30),
    )


def test_segments_accept_plain_dates() -> None:
    assert len(period_segments(NOV, [datetime.date(2026, 11, 16)])) == 2


# -- split_by_days --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "cut", "policy", "expected"),
    [
        (NOV, (2026, 11, 16), ACTUAL, ["125.12", "125.12"]),
        (DEC, (2026, 12, 16), ACTUAL, ["121.08", "129.16"]),
        (DEC, (2026, 12, 16), THIRTY, ["125.12", "125.12"]),
        (FEB, (2026, 2, 15), ACTUAL, ["125.12", "125.12"]),
        (FEB, (2026, 2, 15), THIRTY, ["116.78", "133.46"]),
        (NOV, (2026, 11, 15), CUTOFF, ["0.00", "250.24"]),
        (NOV, (2026, 11, 16), CUTOFF, ["250.24", "0.00"]),
    ],
)
def test_split_of_the_worked_number(
    period: BillingPeriod,
    cut: tuple[int, int, int],
    policy: ProrationPolicy,
    expected: list[str],
) -> None:
    parts = split_by_days(Money("250.24"), period, [pendulum.date(*cut)], policy)
    assert amounts(parts) == expected
    assert Money.total(p.amount for p in parts) == Money("250.24")


def test_split_parts_record_days_and_weights() -> None:
    parts = split_by_days(Money("250.24"), DEC, [pendulum.date(2026, 12, 16)])
    assert parts == (
        ProrationPart(
            pendulum.date(2026, 12, 1), pendulum.date(2026, 12, 15), 15, 31, Money("121.08")
        ),
        ProrationPart(
            pendulum.date(2026, 12, 16), pendulum.date(2026, 12, 31), 16, 31, Money("129.16")
        ),
    )


def test_split_without_cuts_is_the_whole_amount() -> None:
    (part,) = split_by_days(Money("250.24"), NOV, [])
    assert (part.weight, part.total_weight, part.amount) == (30, 30, Money("250.24"))


def test_split_defaults_to_actual_days() -> None:
    assert split_by_days(Money("100.00"), DEC, [pendulum.date(2026, 12, 11)]) == split_by_days(
        Money("100.00"), DEC, [pendulum.date(2026, 12, 11)], ACTUAL
    )


def test_split_of_an_unrounded_amount_is_refused() -> None:
    with pytest.raises(InvalidAmount):
        split_by_days(Money("250.236"), NOV, [pendulum.date(2026, 11, 16)])


@pytest.mark.parametrize(
    ("make", "error", "field", "message"),
    [
        (
            lambda: split_by_days(Money("250.24"), NOV, "2026-11-16"),
            InvalidType,
            "cuts",
            "cuts must be a list of dates, got str '2026-11-16'.",
        ),
        (
            lambda: split_by_days(Money("250.24"), NOV, pendulum.date(2026, 11, 16)),
            InvalidType,
            "cuts",
            "cuts must be a list of dates, got Date Date(2026, 11, 16).",
        ),
        (
            lambda: split_by_days(Money("250.24"), NOV, ["2026-11-16"]),
            NotADate,
            "cuts",
            (
                "cuts: expected a date, got str '2026-11-16'; pass datetime.date or "
                "pendulum.Date, e.g. pendulum.date(2026, 2, 28)."
            ),
        ),
        (
            lambda: split_by_days(Money("250.24"), NOV, [], "actual"),
            InvalidType,
            "policy",
            "policy 'actual' is not a ProrationPolicy.",
        ),
        (
            lambda: split_by_days(Money("250.24"), "2026-11", []),
            InvalidType,
            "period",
            "period '2026-11' is not a BillingPeriod; pass e.g. BillingPeriod.month(2026, 11).",
        ),
        (
            lambda: ACTUAL.weight("2026-11-01", pendulum.date(2026, 11, 30)),
            NotADate,
            "first",
            (
                "first: expected a date, got str '2026-11-01'; pass datetime.date or "
                "pendulum.Date, e.g. pendulum.date(2026, 2, 28)."
            ),
        ),
        (
            lambda: ACTUAL.weight(pendulum.date(2026, 11, 1), "2026-11-30"),
            NotADate,
            "last",
            (
                "last: expected a date, got str '2026-11-30'; pass datetime.date or "
                "pendulum.Date, e.g. pendulum.date(2026, 2, 28)."
            ),
        ),
    ],
    ids=["cuts as text", "one date as cuts", "a cut as text", "policy", "period", "first", "last"],
)
def test_each_bad_argument_of_a_split_is_refused_by_name(
    make: Callable[[], object], error: type[PropcrmError], field: str, message: str
) -> None:
    with pytest.raises(error) as refused:
        make()
    assert str(refused.value) == message
    assert refused.value.field == field


def test_split_of_a_quarter_weighs_each_month() -> None:
    q4 = BillingPeriod.quarter(2026, 4)
    parts = split_by_days(Money("750.71"), q4, [pendulum.date(2026, 11, 16)], CUTOFF)
    assert [p.weight for p in parts] == [2, 1]
    assert amounts(parts) == ["500.47", "250.24"]


# -- move-in and move-out on a notice -------------------------------------------------------


def test_move_in_on_the_16th_of_a_30_day_month_pays_15_of_30_days() -> None:
    notice = bill(BillableSpan(start=pendulum.date(2026, 11, 16)))
    (mgmt,) = notice.lines
    assert mgmt.amount == Money("125.12")
    p = mgmt.explanation.proration
    assert p == Proration(
        ACTUAL,
        pendulum.date(2026, 11, 16),
        pendulum.date(2026, 11, 30),
        15,
        30,
        Money("250.24"),
    )
    assert mgmt.explanation.formula("en_US") == "(unit price × building area × months) × 15/30"
    assert mgmt.explanation.unrounded == Money("250.236")


@pytest.mark.parametrize(
    ("period", "move_in", "policy", "expected"),
    [
        (DEC, (2026, 12, 16), ACTUAL, "129.16"),
        (DEC, (2026, 12, 16), THIRTY, "125.12"),
        (DEC, (2026, 12, 31), THIRTY, None),  # the 31st weighs nothing under 30/360
        (FEB, (2026, 2, 15), THIRTY, "133.46"),
        (FEB, (2026, 2, 15), ACTUAL, "125.12"),
        (FEB_LEAP, (2024, 2, 29), THIRTY, "16.68"),
        (NOV, (2026, 11, 15), CUTOFF, "250.24"),
        (NOV, (2026, 11, 16), CUTOFF, None),
        (FEB, (2026, 2, 15), CUTOFF, "250.24"),
    ],
)
def test_move_in_pays_its_share_under_each_convention(
    period: BillingPeriod,
    move_in: tuple[int, int, int],
    policy: ProrationPolicy,
    expected: str | None,
) -> None:
    notice = bill(BillableSpan(start=pendulum.date(*move_in)), period=period, proration=policy)
    if expected is None:
        assert notice.lines == ()
        assert notice.total == Money("0.00")
    else:
        assert notice.total == Money(expected)


@pytest.mark.parametrize(
    ("cutoff", "move_in", "pays_whole_month"),
    [
        (31, (2026, 2, 28), True),
        (31, (2026, 2, 27), True),
        (30, (2024, 2, 29), True),
        (28, (2024, 2, 29), False),
    ],
)
def test_cutoff_day_clamps_in_february_on_a_notice(
    cutoff: int, move_in: tuple[int, int, int], pays_whole_month: bool
) -> None:
    day = pendulum.date(*move_in)
    policy = ProrationPolicy(ProrationConvention.WHOLE_MONTH_CUTOFF, cutoff_day=cutoff)
    notice = bill(
        BillableSpan(start=day), period=BillingPeriod.month(day.year, 2), proration=policy
    )
    assert notice.total == (Money("250.24") if pays_whole_month else Money("0.00"))


def test_move_out_before_the_period_is_not_billable_in_it() -> None:
    with pytest.raises(
        NotBillable, match=r"until 2026-10-20 \(exclusive\).*no day in period 2026-11"
    ):
        bill(BillableSpan(until=pendulum.date(2026, 10, 20)))


def test_span_covering_the_whole_period_from_outside_pays_the_full_month() -> None:
    # an owner since March 2025 who sells in January 2027 owes all of November 2026
    notice = bill(BillableSpan(start=pendulum.date(2025, 3, 1), until=pendulum.date(2027, 1, 1)))
    assert notice.total == Money("250.24")


def test_buyer_from_an_earlier_month_pays_the_full_month() -> None:
    notice = bill(BillableSpan(start=pendulum.date(2026, 10, 16)))
    assert notice.total == Money("250.24")


def test_buyer_from_a_later_month_is_not_billable_this_month() -> None:
    with pytest.raises(NotBillable, match="from 2026-12-16, which has no day in period 2026-11"):
        bill(BillableSpan(start=pendulum.date(2026, 12, 16)))


def test_span_that_starts_and_ends_inside_the_period() -> None:
    # billable from 5 to 19 November: 15 of 30 days
    notice = bill(BillableSpan(start=pendulum.date(2026, 11, 5), until=pendulum.date(2026, 11, 20)))
    (mgmt,) = notice.lines
    assert mgmt.amount == Money("125.12")
    p = mgmt.explanation.proration
    assert p is not None
    assert (p.first, p.last, p.weight, p.total_weight) == (
        pendulum.date(2026, 11, 5),
        pendulum.date(2026, 11, 19),
        15,
        30,
    )


def test_parking_is_prorated_like_the_management_fee() -> None:
    notice = bill(
        BillableSpan(start=pendulum.date(2026, 11, 16)), usage=UnitUsage(parking_spaces=1)
    )
    assert {line.code: line.amount for line in notice.lines} == {
        "MGMT": Money("125.12"),
        "PARK": Money("75.00"),
    }


def test_usage_charges_are_not_prorated() -> None:
    notice = bill(
        BillableSpan(start=pendulum.date(2026, 11, 16)),
        usage=UnitUsage(readings=[water_reading("120", "138")]),
    )
    water = next(line for line in notice.lines if line.code == "WATER")
    assert water.amount == Money("66.24")
    assert water.explanation.proration is None


# -- a sale mid-month -----------------------------------------------------------------------


@pytest.mark.parametrize("policy", ALL_POLICIES, ids=POLICY_IDS)
@pytest.mark.parametrize(
    ("period", "sale"),
    [
        (NOV, (2026, 11, 16)),
        (NOV, (2026, 11, 2)),
        (NOV, (2026, 11, 30)),
        (DEC, (2026, 12, 31)),
        (FEB, (2026, 2, 15)),
        (FEB_LEAP, (2024, 2, 29)),
    ],
)
def test_seller_and_buyer_sum_to_the_full_month_under_every_convention(
    policy: ProrationPolicy, period: BillingPeriod, sale: tuple[int, int, int]
) -> None:
    day = pendulum.date(*sale)
    usage = UnitUsage(parking_spaces=1)
    full = bill(period=period, proration=policy, usage=usage)
    seller = bill(BillableSpan(until=day), period=period, proration=policy, usage=usage)
    buyer = bill(BillableSpan(start=day), period=period, proration=policy, usage=usage)
    assert seller.total + buyer.total == full.total
    for code in ("MGMT", "PARK"):
        parts = [ln.amount for s in (seller, buyer) for ln in s.lines if ln.code == code]
        assert Money.total(parts) == next(ln.amount for ln in full.lines if ln.code == code)


def test_seller_and_buyer_each_pay_their_days_of_november() -> None:
    sale = pendulum.date(2026, 11, 16)
    seller = bill(BillableSpan(until=sale))
    buyer = bill(BillableSpan(start=sale))
    assert (seller.total, buyer.total) == (Money("125.12"), Money("125.12"))
    seller_p = seller.lines[0].explanation.proration
    buyer_p = buyer.lines[0].explanation.proration
    assert seller_p is not None
    assert buyer_p is not None
    assert (seller_p.first.day, seller_p.last.day) == (1, 15)
    assert (buyer_p.first.day, buyer_p.last.day) == (16, 30)


@pytest.mark.parametrize("sale_day", [4, 13, 22, 31])
def test_sale_in_the_month_of_a_tariff_change_adds_up_to_the_whole_month(sale_day: int) -> None:
    # 2.50 until 15 July, 2.80 from 16 July: the whole month is 108.11 + 129.16 = 237.27
    july = BillingPeriod.month(2026, 7)
    sale = pendulum.date(2026, 7, sale_day)
    notices = [
        issue_statement(
            community=COMMUNITY, unit=apartment(), period=july, tariff=rise_tariff(), span=span
        )
        for span in (ALWAYS, BillableSpan(until=sale), BillableSpan(start=sale))
    ]
    whole, seller, buyer = notices
    assert whole.total == Money("237.27")
    assert seller.total + buyer.total == whole.total


# -- properties -----------------------------------------------------------------------------


def months(first_year: int = 2020, last_year: int = 2030) -> st.SearchStrategy[BillingPeriod]:
    return st.builds(
        BillingPeriod.month,
        st.integers(min_value=first_year, max_value=last_year),
        st.integers(min_value=1, max_value=12),
    )


def months_and_quarters() -> st.SearchStrategy[BillingPeriod]:
    quarters = st.builds(
        BillingPeriod.quarter,
        st.integers(min_value=2020, max_value=2030),
        st.integers(min_value=1, max_value=4),
    )
    return months() | quarters


def rounded_amounts() -> st.SearchStrategy[Money]:
    return st.integers(min_value=0, max_value=100_000_000).map(Money.from_minor_units)


@st.composite
def periods_with_cuts(draw: st.DrawFn) -> tuple[BillingPeriod, list[pendulum.Date]]:
    period = draw(months_and_quarters())
    offsets = st.integers(min_value=-5, max_value=period.days + 5)
    cuts = [period.start.add(days=o) for o in draw(st.lists(offsets, max_size=6))]
    return period, cuts


@given(
    amount=rounded_amounts(),
    period_cuts=periods_with_cuts(),
    policy=st.sampled_from(ALL_POLICIES),
)
def test_split_parts_sum_exactly_and_stay_within_a_fen_of_their_share(
    amount: Money,
    period_cuts: tuple[BillingPeriod, list[pendulum.Date]],
    policy: ProrationPolicy,
) -> None:
    period, cuts = period_cuts
    parts = split_by_days(amount, period, cuts, policy)
    assert Money.total(p.amount for p in parts) == amount
    total_weight = sum(p.weight for p in parts)
    assert all(p.total_weight == total_weight for p in parts)
    for part in parts:
        share = Fraction(amount.minor_units) * part.weight / total_weight
        assert abs(part.amount.minor_units - share) < 1
    # the parts tile the period, day after day
    assert parts[0].first == period.start
    assert parts[-1].last == period.end
    for before, after in itertools.pairwise(parts):
        assert after.first == before.last.add(days=1)


@given(
    area=st.decimals(min_value="0.01", max_value="5000", places=2),
    period=months(),
    sale_day=st.integers(min_value=1, max_value=31),
    policy=st.sampled_from(ALL_POLICIES),
)
def test_seller_plus_buyer_notices_sum_to_the_full_month_notice(
    area: Decimal, period: BillingPeriod, sale_day: int, policy: ProrationPolicy
) -> None:
    sale = period.start.replace(day=min(sale_day, period.days))
    full = bill(period=period, proration=policy, area=str(area))
    buyer = bill(BillableSpan(start=sale), period=period, proration=policy, area=str(area))
    if sale == period.start:
        # A sale on the 1st leaves the seller no day of the period: nothing to bill them.
        with pytest.raises(NotBillable):
            bill(BillableSpan(until=sale), period=period, proration=policy, area=str(area))
        assert buyer.total == full.total
        return
    seller = bill(BillableSpan(until=sale), period=period, proration=policy, area=str(area))
    assert seller.total + buyer.total == full.total


@given(
    change_day=st.integers(min_value=2, max_value=31),
    sale_day=st.integers(min_value=1, max_value=31),
    policy=st.sampled_from(ALL_POLICIES),
)
def test_a_sale_and_a_tariff_change_in_one_month_still_add_up(
    change_day: int, sale_day: int, policy: ProrationPolicy
) -> None:
    july = BillingPeriod.month(2026, 7)
    tariff = sample_tariff(
        sample_version("old", effective_from=pendulum.date(2020, 1, 1), mgmt="2.50"),
        sample_version("new", effective_from=pendulum.date(2026, 7, change_day), mgmt="2.80"),
    )
    sale = pendulum.date(2026, 7, sale_day)
    spans = [ALWAYS, BillableSpan(start=sale)]
    if sale_day > 1:  # a sale on the 1st leaves the seller no day of July to pay for
        spans.append(BillableSpan(until=sale))
    notices = [
        issue_statement(
            community=COMMUNITY,
            unit=apartment(),
            period=july,
            tariff=tariff,
            usage=UnitUsage(parking_spaces=1),
            span=span,
            policy=BillingPolicy(proration=policy),
        )
        for span in spans
    ]
    whole, buyer, *sellers = notices
    assert Money.total(n.total for n in (buyer, *sellers)) == whole.total
    for version in ("old", "new"):
        share = [
            ln.amount
            for n in (buyer, *sellers)
            for ln in n.lines
            if ln.explanation.tariff_version == version
        ]
        assert Money.total(share) == Money.total(
            ln.amount for ln in whole.lines if ln.explanation.tariff_version == version
        )
