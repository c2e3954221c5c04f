"""Concessions: declared, approved reductions the billing run applies as lines of their own.

Domain brief §7: concessions for vacant units and for paying ahead "are decided and approved,
never improvised on a notice". These tests read like it: a vacant flat's 50 % discount over the
three months its evidence covers, a free month for paying a year ahead, a fixed-term reduction
capped at what it reduces, and the rules every notice with concessions keeps (total = charges −
concessions, never below zero, rounded once; no concession, no change at all).
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from tests.billing_fixtures import COMMUNITY, approval

from propcrm._trusted import rebuilt_validated
from propcrm.billing import (
    Approval,
    Approver,
    AreaCharge,
    BillableSpan,
    BillingRun,
    Concession,
    FixedCharge,
    PropertyType,
    Statement,
    Tariff,
    TariffVersion,
    UnitProfile,
    issue_statement,
    opening_statement,
)
from propcrm.errors import ConcessionError, InvalidAmount, UnapprovedConcession
from propcrm.money import Money
from propcrm.receivables import Account
from propcrm.serialization import dumps, loads
from propcrm.testing.strategies import concessions, statements_with_concessions
from propcrm.time import BillingPeriod

FLAT = UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, building_area="89.37")
COMMITTEE = Approval(Approver.OWNERS_COMMITTEE, "业委会决议〔2026〕5号", pendulum.date(2026, 6, 1))
NOV = BillingPeriod.month(2026, 11)
SOME = settings(max_examples=60, deadline=None)


def tariff(mgmt: str = "2.80", lift: str | None = None) -> Tariff:
    rules: tuple[AreaCharge | FixedCharge, ...] = (AreaCharge("MGMT", "物业管理费", Money(mgmt)),)
    if lift is not None:
        rules += (FixedCharge("ELEV", "电梯费", Money(lift)),)
    return Tariff(
        COMMUNITY,
        (
            TariffVersion(
                "2026",
                effective_from=pendulum.date(2026, 1, 1),
                announced_on=pendulum.date(2025, 11, 1),
                approval=approval(),
                charges={PropertyType.RESIDENTIAL: rules},
            ),
        ),
    )


def bill(period: BillingPeriod, *given: Concession, **kwargs: object) -> Statement:
    return issue_statement(
        community=COMMUNITY,
        unit=FLAT,
        period=period,
        tariff=kwargs.pop("tariff", tariff()),  # type: ignore[arg-type]
        concessions=given,
        **kwargs,  # type: ignore[arg-type]
    )


def vacancy(**changes: object) -> Concession:
    values: dict[str, object] = {
        "unit_id": "1-2-0301",
        "percent": "50",
        "first": pendulum.date(2026, 9, 1),
        "last": pendulum.date(2026, 11, 30),
        "evidence": "空置核查 2026-08-31，水电表读数为零",
        "charges": ("MGMT",),
        "approval": COMMITTEE,
    }
    values.update(changes)
    return Concession.vacant_unit("VAC-0301", "空置房优惠", **values)  # type: ignore[arg-type]


# -- scenarios ------------------------------------------------------------------------------------


def test_a_vacant_flat_pays_half_for_the_three_months_its_evidence_covers() -> None:
    """Inspected vacant from September to November: half the management fee, then the full fee."""
    discount = vacancy()
    notices = [bill(BillingPeriod.month(2026, m), discount) for m in (8, 9, 10, 11, 12)]
    assert [n.charges_total for n in notices] == [Money("250.24")] * 5
    assert [n.concessions_total for n in notices] == [
        Money("0.00"),
        Money("125.12"),
        Money("125.12"),
        Money("125.12"),
        Money("0.00"),
    ]
    assert [n.total for n in notices] == [
        Money("250.24"),
        Money("125.12"),
        Money("125.12"),
        Money("125.12"),
        Money("250.24"),
    ]
    # August and December: no concession line at all, and the notice is as it always was.
    assert notices[0] == bill(BillingPeriod.month(2026, 8))
    assert notices[4] == bill(BillingPeriod.month(2026, 12))
    (line,) = notices[3].concessions
    assert line.concession is discount
    assert not line.capped
    assert (line.covered_first, line.covered_last) == (NOV.start, NOV.end)
    assert notices[3].explain("en_US")[1:] == (
        (
            "less CN¥125.12: 空置房优惠 (vacant-unit discount VAC-0301): 50% × (CN¥250.24) = "
            "CN¥125.12; approved by the owners' committee, 业委会决议〔2026〕5号"
        ),
        "total: CN¥125.12",
    )
    assert notices[3].explain()[1] == (
        "减¥125.12：空置房优惠（空置房优惠 VAC-0301）：50% × （¥250.24） = ¥125.12；"
        "业主委员会批准，业委会决议〔2026〕5号"
    )


def test_evidence_ending_mid_month_discounts_only_its_days() -> None:
    """Evidence to 20 November: half of 20/30 of the month's fee, rounded once."""
    notice = bill(NOV, vacancy(last=pendulum.date(2026, 11, 20)))
    (line,) = notice.concessions
    (part,) = line.parts
    assert (part.charge, part.base, part.weight, part.total_weight) == (
        "MGMT",
        Money("250.24"),
        20,
        30,
    )
    # 250.24 × 50 % × 20/30 = 83.4133… → 83.41
    assert line.amount == Money("83.41")
    assert notice.total == Money("166.83")
    assert "× 20/30" in line.describe("en_US")


def test_paying_a_year_ahead_earns_one_free_month() -> None:
    """Paid January to December 2026 in advance: January 2027 is free, December is not."""
    gift = Concession.paid_ahead(
        "PA-0301",
        "预交一年赠送一个月",
        unit_id="1-2-0301",
        paid_from=pendulum.date(2026, 1, 1),
        free_months=1,
        evidence="BANK-20251220-07",
        charges=("MGMT",),
        approval=Approval(
            Approver.OWNERS_COMMITTEE, "业委会决议〔2025〕9号", pendulum.date(2025, 12, 1)
        ),
    )
    assert (gift.first, gift.last, gift.paid_months) == (
        pendulum.date(2027, 1, 1),
        pendulum.date(2027, 1, 31),
        12,
    )
    december = bill(BillingPeriod.month(2026, 12), gift)
    january = bill(BillingPeriod.month(2027, 1), gift)
    assert december.total == Money("250.24")
    assert not december.concessions
    assert january.charges_total == Money("250.24")
    assert january.concessions_total == Money("250.24")
    assert january.total == Money("0.00")
    assert january.total_in_words() == "零元整"
    assert "paid-ahead concession PA-0301" in january.explain("en_US")[1]


def test_a_prepayment_discount_takes_a_percent_off_the_months_paid() -> None:
    discount = Concession.paid_ahead(
        "PA-0302",
        "预交九五折",
        unit_id="1-2-0301",
        paid_from=pendulum.date(2026, 1, 1),
        percent="5",
        evidence="BANK-20251220-08",
        charges=("MGMT",),
        approval=COMMITTEE,
    )
    assert (discount.first, discount.last) == (
        pendulum.date(2026, 1, 1),
        pendulum.date(2026, 12, 31),
    )
    # 250.24 × 5 % = 12.512 → 12.51
    assert bill(NOV, discount).total == Money("237.73")


def test_a_reduction_larger_than_what_it_reduces_is_capped_and_says_so() -> None:
    relief = Concession.fixed_term(
        "RELIEF-2026",
        "阶段性减免",
        first=pendulum.date(2026, 11, 1),
        last=pendulum.date(2026, 12, 31),
        amount="300.00",
        charges=("MGMT",),
        approval=COMMITTEE,
    )
    notice = bill(NOV, relief, tariff=tariff(lift="30.00"))
    (line,) = notice.concessions
    assert line.uncapped == Money("300.00")
    assert line.amount == Money("250.24")
    assert line.capped
    # The lift fee is not what the reduction reduces, so it is still owed.
    assert notice.total == Money("30.00")
    assert "capped at CN¥250.24" in line.describe("en_US")


def test_a_later_concession_is_capped_at_what_earlier_ones_left() -> None:
    relief = Concession.fixed_term(
        "RELIEF-2026",
        "阶段性减免",
        first=NOV.start,
        last=NOV.end,
        percent="80",
        charges=("MGMT",),
        approval=COMMITTEE,
    )
    notice = bill(NOV, vacancy(), relief)
    first, second = notice.concessions
    assert first.amount == Money("125.12")
    assert second.uncapped == Money("200.19")
    assert second.amount == Money("125.12")
    assert notice.total == Money("0.00")


def test_the_reduction_is_rounded_once_over_every_line_it_reduces() -> None:
    """Half of two 0.01 lines is 0.01, not two halves each rounded up to 0.01."""
    pennies = Tariff(
        COMMUNITY,
        (
            TariffVersion(
                "2026",
                effective_from=pendulum.date(2026, 1, 1),
                announced_on=pendulum.date(2025, 11, 1),
                approval=approval(),
                charges={
                    PropertyType.RESIDENTIAL: (
                        FixedCharge("A", "公摊电费", Money("0.01")),
                        FixedCharge("B", "公摊水费", Money("0.01")),
                    )
                },
            ),
        ),
    )
    notice = bill(NOV, vacancy(charges=("A", "B")), tariff=pennies)
    assert notice.concessions[0].amount == Money("0.01")
    assert notice.total == Money("0.01")


def test_a_notice_for_part_of_the_period_counts_the_days_of_its_lines() -> None:
    """A move-in on 16 November: the line is 15/30 of the fee, all of it vacant."""
    notice = bill(NOV, vacancy(), span=BillableSpan(start=pendulum.date(2026, 11, 16)))
    (charge,) = notice.lines
    (line,) = notice.concessions
    assert (line.parts[0].weight, line.parts[0].total_weight) == (15, 15)
    assert line.amount == Money((charge.amount.amount / 2).quantize(Decimal("0.01")))


def test_an_amount_a_month_counts_only_the_days_billed() -> None:
    """A move-in on 16 November: 100.00 a month off is 50.00 for its 15 of 30 days."""
    relief = Concession.fixed_term(
        "RELIEF-2026",
        "阶段性减免",
        first=NOV.start,
        last=NOV.end,
        amount="100.00",
        charges=("MGMT",),
        approval=COMMITTEE,
    )
    notice = bill(NOV, relief, span=BillableSpan(start=pendulum.date(2026, 11, 16)))
    assert notice.concessions[0].amount == Money("50.00")


# -- approval and declaration ---------------------------------------------------------------------


def test_a_concession_without_approval_is_refused() -> None:
    with pytest.raises(UnapprovedConcession) as refused:
        vacancy(approval=None)
    assert refused.value.field == "approval"


def test_a_concession_approved_after_the_notice_is_issued_is_refused() -> None:
    late = Approval(Approver.OWNERS_COMMITTEE, "补批", pendulum.date(2026, 12, 15))
    with pytest.raises(UnapprovedConcession) as refused:
        bill(NOV, vacancy(approval=late))
    assert refused.value.context["concession"] == "VAC-0301"


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: vacancy(last=pendulum.date(2026, 8, 31)), "last"),
        (lambda: vacancy(percent="0"), "percent"),
        (lambda: vacancy(percent="100.01"), "percent"),
        (lambda: vacancy(charges=()), "charges"),
        (lambda: vacancy(charges=("MGMT", "MGMT")), "charges"),
        (
            lambda: Concession(
                "V", "空置", "vacant_unit", COMMITTEE, NOV.start, NOV.end, ("MGMT",), "50"
            ),
            "unit_id",
        ),
        (
            lambda: Concession(
                "V",
                "空置",
                "vacant_unit",
                COMMITTEE,
                NOV.start,
                NOV.end,
                ("MGMT",),
                "50",
                unit_id="1-2-0301",
            ),
            "evidence",
        ),
        (
            lambda: Concession(
                "V",
                "空置",
                "vacant_unit",
                COMMITTEE,
                NOV.start,
                NOV.end,
                ("MGMT",),
                None,
                Money("1.00"),
                unit_id="1-2-0301",
                evidence="x",
            ),
            "amount",
        ),
        (
            lambda: Concession.fixed_term(
                "T", "减免", first=NOV.start, last=NOV.end, charges=("MGMT",), approval=COMMITTEE
            ),
            "percent",
        ),
        (
            lambda: Concession.paid_ahead(
                "P",
                "预交",
                unit_id="1-2-0301",
                paid_from=NOV.start,
                evidence="B",
                charges=("MGMT",),
                approval=COMMITTEE,
                free_months=1,
                percent="5",
            ),
            "free_months",
        ),
    ],
)
def test_a_concession_that_breaks_its_kind_is_refused(build: object, field: str) -> None:
    with pytest.raises(ConcessionError) as refused:
        build()  # type: ignore[operator]
    assert refused.value.field == field


def test_two_concessions_with_one_code_are_refused() -> None:
    with pytest.raises(ConcessionError):
        BillingRun(community=COMMUNITY, period=NOV, tariff=tariff(), concessions=[vacancy()] * 2)


def test_a_concession_for_another_unit_or_charge_adds_no_line() -> None:
    other = vacancy(unit_id="1-2-0302")
    lift_only = attrs.evolve(vacancy(charges=("ELEV",)), code="VAC-LIFT")
    assert bill(NOV, other, lift_only) == bill(NOV)


# -- the notice, the account and storage --------------------------------------------------------


def test_the_late_fee_runs_on_the_net_amount() -> None:
    """The principal owed is the total after concessions: the late fee runs on 125.12."""
    notice = bill(NOV, vacancy())
    net = opening_statement(
        community=COMMUNITY,
        unit_id="1-2-0301",
        period=NOV,
        amount=Money("125.12"),
        due_on=notice.due_on,
        issued_on=notice.issued_on,
    )
    as_of = notice.due_on.add(days=20)
    conceded = Account("1-2-0301").post(notice)
    assert conceded.owed(as_of)[0].principal == Money("125.12")
    fee = conceded.late_fee(notice.number, as_of)
    assert fee.amount == Account("1-2-0301").post(net).late_fee(net.number, as_of).amount
    assert [s.base.amount for s in fee.segments] == [Decimal("125.12")]


def test_a_notice_with_concessions_round_trips_through_storage() -> None:
    notice = bill(NOV, vacancy())
    assert loads(dumps(notice), Statement) == notice


def test_a_statement_whose_concessions_outgrow_its_lines_is_refused() -> None:
    notice = bill(NOV, vacancy(percent="100"))
    with pytest.raises(InvalidAmount):
        notice.revised((attrs.evolve(notice.lines[0], amount=Money("100.00")),))
    with pytest.raises(InvalidAmount):
        attrs.evolve(notice, total=Money("250.24"))


def test_a_revision_keeps_its_concessions_unless_given_new_ones() -> None:
    notice = bill(NOV, vacancy())
    kept = notice.revised(notice.lines)
    assert kept.concessions == notice.concessions
    assert kept.total == Money("125.12")
    dropped = notice.revised(notice.lines, concessions=())
    assert dropped.total == Money("250.24")
    assert not dropped.concessions


# -- properties ----------------------------------------------------------------------------------


@SOME
@given(statements_with_concessions())
def test_the_total_is_charges_less_concessions_and_never_below_zero(notice: Statement) -> None:
    assert notice.total == notice.charges_total - notice.concessions_total
    assert not notice.total.is_negative
    assert notice.total.is_rounded
    for line in notice.concessions:
        assert line.amount <= line.uncapped
        assert line.amount.is_rounded
        assert line.capped == (line.amount != line.uncapped)
        assert line.amount <= line.base
        assert {p.charge for p in line.parts} <= set(line.concession.charges)


@SOME
@given(statements_with_concessions())
def test_a_notice_with_concessions_passes_the_statements_own_checks(notice: Statement) -> None:
    # The run builds its notices without Statement's checks (propcrm._trusted's contract):
    # rebuilt through the constructor, one with concessions is accepted unchanged.
    assert rebuilt_validated(notice) == notice


@SOME
@given(statements_with_concessions())
def test_concessions_never_change_the_charges(notice: Statement) -> None:
    """Re-billing without them gives the same charge lines and exactly the charges' total."""
    assert loads(dumps(notice), Statement) == notice
    plain = attrs.evolve(notice, concessions=(), total=notice.charges_total)
    assert plain.total == Money.total(line.amount for line in notice.lines)


@SOME
@given(concessions())
def test_a_concession_covering_no_day_of_the_period_adds_nothing(concession: Concession) -> None:
    later = BillingPeriod.month(2028, 6)  # the strategy's concessions end by 2027
    assert concession.last < later.start
    assert bill(later, concession, tariff=tariff(lift="30.00")) == bill(
        later, tariff=tariff(lift="30.00")
    )


@SOME
@given(concessions(charges=("MGMT",)))
def test_a_whole_period_percent_is_that_percent_of_the_fee(concession: Concession) -> None:
    if concession.percent is None or not (
        concession.first <= NOV.start and NOV.end <= concession.last
    ):
        return
    (line,) = bill(NOV, concession).concessions
    exact = Decimal("250.24") * concession.percent / 100
    assert abs(line.amount.amount - exact) <= Decimal("0.005")
