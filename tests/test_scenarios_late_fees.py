"""Late-fee scenarios that read like the domain brief (§2 Fees: 收缴规定).

Each test tells one story of flat 1-2-0301 in the SUNRISE community and its November 2026 fee
notice: 466.48 元 (management fee, parking, 18 t of water), issued on 30 November and to be paid
before the 10th of the following month. A late fee of 千分之三 runs per day from the day after.
Payments count from the day the bank's receipt (回单) reaches the company; disputes are raised at
least 5 days before the deadline; the company may confirm a deferral.
"""

from __future__ import annotations

import pendulum
import pytest
from tests.billing_fixtures import COMMUNITY, apartment, sample_tariff, water_reading

from propcrm.billing import (
    BillingPolicy,
    LateFeePolicy,
    PercentOfPrincipalCap,
    Statement,
    UnitUsage,
    issue_statement,
)
from propcrm.errors import DisputeTooLate, DuplicateReference, RefusedChange
from propcrm.money import (
    Money,
    Rate,
    RateBasis,
)
from propcrm.receivables import (
    Account,
    AllocationOrder,
    AllocationPolicy,
    Authorisation,
    Component,
    Deferral,
    DisputeRaised,
    DisputeResolved,
    LateFeeWaiver,
    PayerRole,
    Receipt,
    Refund,
    StatementState,
    WriteOff,
    litigation_exposure,
    lpr_reference,
)
from propcrm.time import BillingPeriod

NOV = BillingPeriod.month(2026, 11)
OWNER = "张伟"
TENANT = "李娜"


def notice(
    *, water_to: str = "138", period: BillingPeriod = NOV, late_fee: LateFeePolicy | None = None
) -> Statement:
    """The flat's notice: 250.24 management fee, 150.00 parking, tiered water from 120 t."""
    return issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=period,
        tariff=sample_tariff(),
        usage=UnitUsage(parking_spaces=1, readings=[water_reading("120", water_to, period.end)]),
        billed_party=OWNER,
        policy=BillingPolicy(late_fee=late_fee) if late_fee else BillingPolicy(),
    )


def books(*events: object, **kwargs: object) -> Account:
    return Account("1-2-0301", billed_party=OWNER, events=events, **kwargs)  # type: ignore[arg-type]


def bank(reference: str, amount: str, received: pendulum.Date, **kwargs: object) -> Receipt:
    return Receipt(reference, Money(amount), received_on=received, **kwargs)  # type: ignore[arg-type]


def test_paid_on_the_deadline_by_bank_collection_owes_no_late_fee() -> None:
    """The bank collects on 8 December; its receipt reaches the company on the 10th."""
    november = notice()
    assert (november.total, november.due_on) == (Money("466.48"), pendulum.date(2026, 12, 10))
    account = books(
        november,
        bank(
            "BANK-20261210-01",
            "466.48",
            pendulum.date(2026, 12, 10),
            paid_on=pendulum.date(2026, 12, 8),
        ),
    )
    row = account.balance(pendulum.date(2027, 1, 31)).statement(november.number)
    assert row.state is StatementState.PAID
    assert row.late_fee.amount == Money("0.00")


def test_twenty_days_late_costs_twenty_days_at_three_per_mille() -> None:
    """The resident pays on 30 December: 20 × 0.3 % × 466.48 = 27.9888 → 27.99 元."""
    november = notice()
    account = books(november, bank("BANK-20261230-01", "494.47", pendulum.date(2026, 12, 30)))
    row = account.balance(pendulum.date(2026, 12, 30)).statement(november.number)
    assert row.late_fee.days_counted == 20
    assert row.late_fee.exact == Money("27.9888")
    assert row.late_fee.amount == Money("27.99")
    assert row.state is StatementState.PAID
    # The breakdown says what it read and how it rounded.
    assert row.late_fee.read == ("receipt BANK-20261230-01",)
    assert row.late_fee.rounding("en_US").endswith("rounded once, half-up, to the fen: CN¥27.99")
    assert row.late_fee.rounding().endswith("四舍五入到分：¥27.99")


def test_paying_only_the_notice_late_leaves_the_late_fee_taken_from_it() -> None:
    """Without an agreement the payment settles the late fee first (Civil Code art. 561)."""
    november = notice()
    account = books(november, bank("BANK-20261230-01", "466.48", pendulum.date(2026, 12, 30)))
    row = account.balance(pendulum.date(2026, 12, 30)).statement(november.number)
    assert row.late_fee_paid == Money("27.99")
    assert row.principal_outstanding == Money("27.99")
    assert row.state is StatementState.PARTLY_PAID
    # A community that chose "principal first" stops the fee instead.
    principal_first = books(
        november,
        bank("BANK-20261230-01", "466.48", pendulum.date(2026, 12, 30)),
        allocation=AllocationPolicy(AllocationOrder.PRINCIPAL_FIRST),
    )
    row = principal_first.balance(pendulum.date(2027, 3, 1)).statement(november.number)
    assert row.principal_outstanding == Money("0.00")
    assert row.late_fee_outstanding == Money("27.99")  # and it no longer grows


def test_the_tenant_pays_for_the_owner_who_stays_liable() -> None:
    """The tenant of 1-2-0301 pays half; the owner remains the billed party for the rest."""
    november = notice()
    account = books(
        november,
        bank(
            "BANK-20261205-07",
            "233.24",
            pendulum.date(2026, 12, 5),
            payer=TENANT,
            role=PayerRole.OCCUPANT_FOR_OWNER,
        ),
    )
    (by_tenant,) = account.paid_by_others()
    assert (by_tenant.payer, by_tenant.role) == (TENANT, PayerRole.OCCUPANT_FOR_OWNER)
    balance = account.balance(pendulum.date(2026, 12, 20))
    assert balance.billed_party == OWNER
    row = balance.statement(november.number)
    assert row.principal_outstanding == Money("233.24")
    assert row.late_fee.amount == Money("6.9972").rounded()  # 10 days × 0.3 % × 233.24


def test_a_dispute_over_the_water_reading_upheld() -> None:
    """On 5 December the resident says the meter read 128 t, not 138 t; it is upheld.

    The corrected notice bills 8 t of water (27.60 元): 427.84 元. The resident pays on
    30 December; the late fee follows the corrected amount: 20 × 0.3 % × 427.84 = 25.67 元.
    """
    november = notice()
    corrected = november.revised(notice(water_to="128").lines)
    account = books(
        november,
        DisputeRaised("DSP-1", november.number, pendulum.date(2026, 12, 5), "meter read twice"),
        DisputeResolved(
            "DSP-1", True, pendulum.date(2026, 12, 20), "meter misread", corrected=corrected
        ),
        bank("BANK-20261230-01", "453.51", pendulum.date(2026, 12, 30)),
    )
    disputed = account.balance(pendulum.date(2026, 12, 19)).statement(november.number)
    assert disputed.state is StatementState.DISPUTED
    assert disputed.late_fee.amount == Money("12.59")  # 9 days × 0.3 % × 466.48 = 12.59496
    row = account.balance(pendulum.date(2026, 12, 30)).statement(november.number)
    assert row.number == f"{november.number}/R1"
    assert row.principal == Money("427.84")
    assert row.late_fee.amount == Money("25.67")
    assert row.state is StatementState.PAID


def test_a_dispute_raised_on_the_6th_is_too_late() -> None:
    """The deadline is 10 December, so the last day to dispute was the 5th."""
    november = notice()
    with pytest.raises(DisputeTooLate, match="by 2026-12-05 at the latest"):
        books(
            november,
            DisputeRaised("DSP-1", november.number, pendulum.date(2026, 12, 6), "too much water"),
        )


def test_the_company_defers_the_deadline_while_the_meter_is_tested() -> None:
    """Customer service confirms on 3 December that the notice may be paid by 31 December."""
    november = notice()
    wang = Authorisation("customer service manager Wang", "water meter sent for testing")
    account = books(
        november,
        Deferral(
            "D-1", november.number, pendulum.date(2026, 12, 31), wang, pendulum.date(2026, 12, 3)
        ),
        bank("BANK-20261231-01", "466.48", pendulum.date(2026, 12, 31)),
    )
    assert account.balance(pendulum.date(2026, 12, 20)).statement(november.number).state is (
        StatementState.DEFERRED
    )
    row = account.balance(pendulum.date(2027, 1, 31)).statement(november.number)
    assert row.late_fee.amount == Money("0.00")
    assert row.state is StatementState.PAID


def test_an_overpayment_pays_next_months_notice() -> None:
    """The resident pays 1,000.00 in December; December's notice takes the credit."""
    november, december = notice(), notice(period=BillingPeriod.month(2026, 12))
    account = books(
        november, december, bank("BANK-20261208-01", "1000.00", pendulum.date(2026, 12, 8))
    )
    after_receipt = account.balance(pendulum.date(2026, 12, 8))
    assert after_receipt.credit == Money("533.52")
    balance = account.balance(pendulum.date(2027, 1, 31))
    assert balance.credit == Money("533.52") - december.total
    assert balance.statement(december.number).state is StatementState.PAID
    assert balance.outstanding == Money("0.00")


def test_the_same_bank_receipt_imported_twice_credits_once() -> None:
    november = notice()
    receipt = bank("BANK-20261208-01", "466.48", pendulum.date(2026, 12, 8))
    account = books(november, receipt).post(receipt)
    assert account.balance(pendulum.date(2026, 12, 8)).credit == Money("0.00")
    with pytest.raises(DuplicateReference, match=r"466\.48.*464\.68"):
        account.post(bank("BANK-20261208-01", "464.68", pendulum.date(2026, 12, 8)))


def test_a_refund_above_the_credit_is_refused() -> None:
    november = notice()
    li = Authorisation("finance manager Li", "resident moved out")
    account = books(november, bank("BANK-1", "500.00", pendulum.date(2026, 12, 8)))
    assert account.balance(pendulum.date(2026, 12, 8)).credit == Money("33.52")
    with pytest.raises(RefusedChange, match=r"credit of 33\.52"):
        account.post(Refund("RF-1", Money("50.00"), pendulum.date(2026, 12, 9), li))


def test_a_hardship_waiver_of_the_late_fee() -> None:
    """The manager waives the late fee of a resident who was in hospital; the notice stands."""
    november = notice()
    account = books(
        november,
        LateFeeWaiver(
            "W-1",
            november.number,
            Authorisation("general manager Zhao", "resident in hospital in December"),
            on=pendulum.date(2026, 12, 31),
        ),
        bank("BANK-20261231-01", "466.48", pendulum.date(2026, 12, 31)),
    )
    row = account.balance(pendulum.date(2026, 12, 31)).statement(november.number)
    assert row.late_fee.amount == Money("29.39")  # 21 days × 0.3 % × 466.48
    assert row.late_fee_waived == Money("29.39")
    assert row.principal == Money("466.48")  # a waiver, not a negative charge
    assert row.state is StatementState.WAIVED


def test_a_year_unpaid_in_court() -> None:
    """A year later the company sues; the community capped late fees at 30 % of the principal.

    Uncapped the fee would be 365 × 0.3 % × 466.48 = 510.80; the cap keeps it at 139.94. A court
    measuring against the LPR (3.0 % here) plus 30 % would allow 18.19; four times the LPR, 55.98.
    """
    capped = LateFeePolicy(cap=PercentOfPrincipalCap("30"))
    november = notice(late_fee=capped)
    account = books(november)
    fee = account.late_fee(november.number, pendulum.date(2027, 12, 10))
    assert fee.days_counted == 365
    assert fee.cap.uncapped == Money("510.7956")
    assert fee.cap.bit
    assert fee.amount == Money("139.94")  # 30 % of 466.48 = 139.944
    lpr = Rate.percent("3.0", per=RateBasis.YEAR)
    plus_30 = litigation_exposure(fee, lpr_reference(lpr, "1.3"), label="LPR + 30 %")
    four_times = litigation_exposure(fee, lpr_reference(lpr, 4), label="4 × LPR")
    assert plus_30.reference_fee == Money("18.19")
    assert four_times.reference_fee == Money("55.98")
    assert plus_30.excess == Money("121.75")


def test_written_off_after_the_limitation_period() -> None:
    """Three years on, finance writes the notice off; nothing more can be posted against it."""
    november = notice()
    li = Authorisation("finance manager Li", "past the three-year limitation period")
    account = books(november, WriteOff("WO-1", november.number, li, on=pendulum.date(2029, 12, 11)))
    row = account.balance(pendulum.date(2030, 1, 1)).statement(november.number)
    assert row.state is StatementState.WRITTEN_OFF
    assert row.principal_written_off == Money("466.48")
    assert row.outstanding == Money("0.00")
    with pytest.raises(RefusedChange, match="written off"):
        account.post(LateFeeWaiver("W-1", november.number, li, on=pendulum.date(2030, 1, 2)))


def test_a_payment_covers_the_oldest_notice_first() -> None:
    """October is still open when November's payment arrives: October is settled first."""
    october = notice(period=BillingPeriod.month(2026, 10))
    november = notice()
    account = books(october, november, bank("BANK-1", "466.48", pendulum.date(2026, 12, 8)))
    (allocation,) = account.balance(pendulum.date(2026, 12, 8)).allocations
    assert allocation.parts[0].statement == october.number
    assert allocation.parts[0].component is Component.LATE_FEES
    # Designating November instead (art. 560) settles November.
    designated = books(
        october,
        november,
        bank("BANK-1", "466.48", pendulum.date(2026, 12, 8), designation=(november.number,)),
    )
    row = designated.balance(pendulum.date(2026, 12, 8)).statement(november.number)
    assert row.state is StatementState.PAID
