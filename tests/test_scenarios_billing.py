"""Billing scenarios that read like the domain brief (§2 Fees, §3 special services).

Each test tells one story of the SUNRISE community's month-end billing. The figures are the
brief's: 2.80 元/㎡/月 on a 89.37 ㎡ flat, payment before the 10th of the following month, a late
fee of 千分之三 per day, fee adjustments only after notice and approval.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pendulum
import pytest
from tests.billing_fixtures import (
    COMMUNITY,
    apartment,
    parking_space,
    rise_tariff,
    sample_price_lists,
    sample_tariff,
    sample_version,
    shop,
    water_reading,
)

from propcrm.billing import (
    DEFAULT_CYCLE,
    Approval,
    Approver,
    BillableSpan,
    BillingCyclePolicy,
    BillingPolicy,
    BillingRun,
    FeeCategory,
    FeeUsage,
    MeterReading,
    MeterReplacement,
    ProrationConvention,
    ProrationPolicy,
    SpecialServiceOrder,
    UnitUsage,
    issue_statement,
)
from propcrm.errors import InvalidMeterReading, TariffNoticeTooShort
from propcrm.money import (
    Money,
    RoundingMode,
)
from propcrm.time import (
    BillingPeriod,
    PeriodKind,
    WeekdayCalendar,
)

NOV = BillingPeriod.month(2026, 11)


def test_november_notice_for_1_2_0301_with_parking_and_water() -> None:
    """Finance issues November's notices at month end.

    The resident of 1-2-0301 (89.37 ㎡ at 2.80 元/㎡/月) holds one parking space and used 18 t
    of water; the notice is issued on 30 November and must be paid by 10 December.
    """
    notice = issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=NOV,
        tariff=sample_tariff(),
        usage=UnitUsage(parking_spaces=1, readings=[water_reading("120", "138")]),
        billed_party="张伟",
    )
    lines = {line.code: line for line in notice.lines}
    # 2.80 × 89.37 = 250.236 → ¥250.24
    assert lines["MGMT"].explanation.unrounded == Money("250.236")
    assert lines["MGMT"].amount == Money("250.24")
    assert lines["PARK"].amount == Money("150.00")
    # 15 t × 3.45 + 3 t × 4.83
    assert lines["WATER"].amount == Money("66.24")
    assert notice.total == Money("466.48")
    assert notice.total_in_words() == "肆佰陆拾陆元肆角捌分"
    assert notice.number == "SUNRISE/2026-11/1-2-0301"
    assert notice.issued_on == pendulum.date(2026, 11, 30)
    assert notice.due_on == pendulum.date(2026, 12, 10)
    assert notice.billed_party == "张伟"
    assert "千分之三" in notice.late_fee.describe()


def test_a_unit_sold_on_16_november_seller_and_buyer_each_pay_their_days() -> None:
    """A unit sold on 16 November: seller and buyer each pay their days.

    The seller is billed until the 16th (1–15 November), the buyer from the 16th (16–30
    November). Their two notices have different numbers and add up, to the fen, to what one
    owner would have paid for the whole month.
    """
    sale = pendulum.date(2026, 11, 16)
    run = BillingRun(community=COMMUNITY, period=NOV, tariff=sample_tariff())
    seller = run.bill(apartment(), span=BillableSpan(until=sale), billed_party="王芳")
    buyer = run.bill(apartment(), span=BillableSpan(start=sale), billed_party="李娜")
    whole = run.bill(apartment())

    assert seller.total == Money("125.12")
    assert buyer.total == Money("125.12")
    assert seller.total + buyer.total == whole.total == Money("250.24")
    assert seller.number != buyer.number
    seller_days = seller.lines[0].explanation.proration
    buyer_days = buyer.lines[0].explanation.proration
    assert seller_days is not None
    assert buyer_days is not None
    assert (seller_days.first, seller_days.last) == (
        pendulum.date(2026, 11, 1),
        pendulum.date(2026, 11, 15),
    )
    assert (buyer_days.first, buyer_days.last) == (sale, pendulum.date(2026, 11, 30))


@pytest.mark.parametrize(
    "convention",
    list(ProrationConvention),
    ids=[c.value for c in ProrationConvention],
)
def test_a_sale_in_a_31_day_month_adds_up_under_any_convention(
    convention: ProrationConvention,
) -> None:
    """Whichever way the community prorates, a sale never loses or invents a fen."""
    policy = BillingPolicy(proration=ProrationPolicy(convention))
    run = BillingRun(
        community=COMMUNITY,
        period=BillingPeriod.month(2026, 12),
        tariff=sample_tariff(),
        policy=policy,
    )
    sale = pendulum.date(2026, 12, 19)
    usage = UnitUsage(parking_spaces=2)
    seller = run.bill(apartment(), usage, BillableSpan(until=sale))
    buyer = run.bill(apartment(), usage, BillableSpan(start=sale))
    assert seller.total + buyer.total == run.bill(apartment(), usage).total == Money("550.24")


def test_owners_committee_approves_a_rise_effective_16_july_announced_1_june() -> None:
    """The owners' committee approves a rise from 2.50 to 2.80 effective 16 July, announced 1 June.

    The fee applies from its effective date only: July is split by days, 15/31 at the old
    standard and 16/31 at the new one, each a share of its own standard's full month. August is
    billed whole at 2.80. Announcing the same rise on 1 July would give residents less than the
    30 days' notice and is refused.
    """
    old = sample_version(
        "2025",
        effective_from=pendulum.date(2025, 1, 1),
        announced_on=pendulum.date(2024, 11, 20),
        approved_on=pendulum.date(2024, 11, 15),
        mgmt="2.50",
    )
    tariff = sample_tariff(old)
    rise = attrs.evolve(
        sample_version(mgmt="2.80"),
        version="2026-07",
        effective_from=pendulum.date(2026, 7, 16),
        announced_on=pendulum.date(2026, 6, 1),
        approval=Approval(
            Approver.OWNERS_COMMITTEE, "业委会决议〔2026〕5号", pendulum.date(2026, 5, 28)
        ),
    )
    tariff = tariff.with_version(rise)

    july = issue_statement(
        community=COMMUNITY, unit=apartment(), period=BillingPeriod.month(2026, 7), tariff=tariff
    )
    before, after = july.lines
    assert (before.unit_price, before.amount) == (Money("2.50"), Money("108.11"))
    assert (after.unit_price, after.amount) == (Money("2.80"), Money("129.16"))
    assert before.explanation.formula("en_US").endswith("× 15/31")
    assert after.explanation.formula("en_US").endswith("× 16/31")
    assert july.tariff_versions == ("2025", "2026-07")

    august = issue_statement(
        community=COMMUNITY, unit=apartment(), period=BillingPeriod.month(2026, 8), tariff=tariff
    )
    assert august.total == Money("250.24")

    late_notice = attrs.evolve(rise, announced_on=pendulum.date(2026, 7, 1))
    with pytest.raises(TariffNoticeTooShort, match="2026-07-31"):
        sample_tariff(old).with_version(late_notice)


def test_a_flat_sold_on_22_july_after_the_16_july_rise() -> None:
    """The Wangs sell 1-2-0301 to the Lis on 22 July, six days after the rise to 2.80.

    One owner for the whole of July would pay 108.11 at the old standard and 129.16 at the new,
    ¥237.27. The Wangs pay 1–21 July, the Lis 22–31 July; between them the month is paid to
    the fen, and the new standard's days cost them together what they cost one owner.
    """
    july = BillingPeriod.month(2026, 7)
    run = BillingRun(community=COMMUNITY, period=july, tariff=rise_tariff())
    sale = pendulum.date(2026, 7, 22)
    whole = run.bill(apartment())
    wangs = run.bill(apartment(), span=BillableSpan(until=sale), billed_party="王芳")
    lis = run.bill(apartment(), span=BillableSpan(start=sale), billed_party="李娜")
    assert whole.total == Money("237.27")
    new_days = [
        line.amount
        for notice in (wangs, lis)
        for line in notice.lines
        if line.explanation.tariff_version == "2026-07"
    ]
    assert Money.total(new_days) == Money("129.16")
    assert wangs.total + lis.total == whole.total


def test_december_notice_due_on_a_sunday_rolls_to_monday() -> None:
    """December's notice falls due on Sunday 10 January 2027.

    Without a calendar the date stays on the Sunday; a community that rolls due dates through
    its working-day calendar gives residents until Monday 11 January, and the notice says so.
    """
    dec = BillingPeriod.month(2026, 12)
    plain = issue_statement(
        community=COMMUNITY, unit=apartment(), period=dec, tariff=sample_tariff()
    )
    assert plain.due_on == pendulum.date(2027, 1, 10)
    assert not plain.due.rolled

    rolling = BillingPolicy(cycle=attrs.evolve(DEFAULT_CYCLE, roll_forward=WeekdayCalendar()))
    rolled = issue_statement(
        community=COMMUNITY, unit=apartment(), period=dec, tariff=sample_tariff(), policy=rolling
    )
    assert rolled.due_on == pendulum.date(2027, 1, 11)
    assert rolled.due.nominal == pendulum.date(2027, 1, 10)
    assert rolled.due.rolled
    assert rolled.due.calendar == "weekdays"


def test_flat_shop_and_parking_space_each_pay_their_own_standard() -> None:
    """One fee standard, prices by property type.

    The flat pays 2.80 元/㎡, the shop 6.50 元/㎡ plus refuse collection, and a parking space
    held as a unit of its own a fixed 60 元 a month.
    """
    run = BillingRun(community=COMMUNITY, period=NOV, tariff=sample_tariff())
    flat, store, space = run.bill_all(
        [(apartment(), UnitUsage()), (shop(), UnitUsage()), (parking_space(), UnitUsage())]
    )
    assert flat.total == Money("250.24")
    assert store.total == Money("810.00")
    assert space.total == Money("60.00")
    assert {s.tariff_versions for s in (flat, store, space)} == {("2026",)}


def test_special_services_are_priced_from_the_list_in_force_when_performed() -> None:
    """The resident orders air-conditioner cleaning on 3 and 20 November.

    The published price list changed on 16 November (80 → 90 元 a unit); each order is priced
    from the list in force on the day the work was done, and the notice says which list.
    """
    orders = [
        SpecialServiceOrder("SO-101", "AC-CLEAN", "2", pendulum.date(2026, 11, 3)),
        SpecialServiceOrder("SO-117", "AC-CLEAN", "1", pendulum.date(2026, 11, 20)),
    ]
    notice = issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=NOV,
        tariff=sample_tariff(),
        usage=UnitUsage(orders=orders),
        price_lists=sample_price_lists(),
    )
    services = [line for line in notice.lines if line.code == "SVC"]
    assert [(s.amount, s.explanation.price_list_version) for s in services] == [
        (Money("160.00"), "2026A"),
        (Money("90.00"), "2026B"),
    ]
    assert all(s.name == "特约服务：空调清洗" for s in services)
    assert notice.total == Money("500.24")


def test_a_water_meter_replaced_mid_month() -> None:
    """The water meter of 1-2-0301 was replaced on 20 November.

    The old meter ran from 120 to 130 t before it came off; the new one started at 0 and reads
    20 t at month end, so the resident pays for 30 t across all three tiers. A reading below the
    previous one without the replacement record is refused.
    """
    swap = MeterReplacement(
        old_final="130", new_initial="0", replaced_on=pendulum.date(2026, 11, 20)
    )
    reading = MeterReading(
        "W-0301", "water", "120", "20", pendulum.date(2026, 11, 30), replacement=swap
    )
    notice = issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=NOV,
        tariff=sample_tariff(),
        usage=UnitUsage(readings=[reading]),
    )
    water = next(line for line in notice.lines if line.code == "WATER")
    assert water.quantity == Decimal(30)
    assert [t.quantity for t in water.explanation.tiers] == [Decimal(15), Decimal(10), Decimal(5)]
    assert water.amount == Money("129.20")

    with pytest.raises(InvalidMeterReading):
        MeterReading("W-0301", "water", "120", "20", pendulum.date(2026, 11, 30))


def test_a_community_billing_quarterly_in_advance() -> None:
    """A community bills by the quarter, in advance.

    The first quarter of 2027 is billed on 17 December 2026 and due on 1 January 2027; the
    management fee is three months at once, rounded once: 2.80 × 89.37 × 3 = 750.708 → 750.71.
    """
    policy = BillingPolicy(cycle=BillingCyclePolicy.prepaid(PeriodKind.QUARTER))
    notice = issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=BillingPeriod.quarter(2027, 1),
        tariff=sample_tariff(),
        usage=UnitUsage(parking_spaces=1),
        policy=policy,
    )
    assert notice.number == "SUNRISE/2027-Q1/1-2-0301"
    assert notice.issued_on == pendulum.date(2026, 12, 17)
    assert notice.due_on == pendulum.date(2027, 1, 1)
    assert [line.amount for line in notice.lines] == [Money("750.71"), Money("450.00")]
    assert notice.lines[0].explanation.months == 3


def test_a_community_that_drops_fractions_of_a_fen() -> None:
    """A community whose rules round every line down (舍去分以下) sets it in its policy.

    The same flat pays ¥250.23 instead of ¥250.24; the notice records the mode it used.
    """
    notice = issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=NOV,
        tariff=sample_tariff(),
        policy=BillingPolicy(rounding=RoundingMode.DOWN),
    )
    assert notice.total == Money("250.23")
    assert notice.lines[0].explanation.rounding is RoundingMode.DOWN


def test_new_owners_moving_in_after_the_cutoff_start_paying_next_month() -> None:
    """Under a whole-month rule, whoever holds the unit on the 15th pays the month.

    The Lis collect their keys on 15 November and pay all of November; the Zhaos, on the 16th,
    pay nothing for November.
    """
    policy = BillingPolicy(proration=ProrationPolicy(ProrationConvention.WHOLE_MONTH_CUTOFF))
    run = BillingRun(community=COMMUNITY, period=NOV, tariff=sample_tariff(), policy=policy)
    lis = run.bill(apartment("1-2-0401"), span=BillableSpan(start=pendulum.date(2026, 11, 15)))
    zhaos = run.bill(apartment("1-2-0501"), span=BillableSpan(start=pendulum.date(2026, 11, 16)))
    assert lis.total == Money("250.24")
    assert zhaos.total == Money("0.00")
    assert zhaos.lines == ()


def test_an_owner_who_bought_in_october_pays_all_of_november() -> None:
    """The Chens bought 1-2-0301 on 16 October; their billable span starts then.

    Their November notice is an ordinary full-month notice: ¥250.24, under the plain number.
    """
    notice = issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=NOV,
        tariff=sample_tariff(),
        span=BillableSpan(start=pendulum.date(2026, 10, 16)),
        billed_party="陈强",
    )
    assert notice.total == Money("250.24")
    assert notice.number == "SUNRISE/2026-11/1-2-0301"


def test_the_office_publishes_what_the_fee_paid_for() -> None:
    """Owners expect the nine categories the fee pays for to be published, budget against actual."""
    usage = FeeUsage(
        budget={FeeCategory.STAFF: Money("52000.00"), FeeCategory.GREENING: Money("3000.00")},
        actual={FeeCategory.STAFF: Money("51200.50"), FeeCategory.GREENING: Money("3400.00")},
    )
    table = [(row.category.label(), row.variance) for row in usage.rows()]
    assert len(table) == 9
    assert table[0] == ("人员费用", Money("-799.50"))
    assert table[3] == ("绿化养护费", Money("400.00"))
    assert table[-1] == ("经业主同意的其他费用", Money("0.00"))
