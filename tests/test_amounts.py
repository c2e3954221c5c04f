"""One door for amounts: every public entry point that takes an amount accepts what Money does.

Each entry point is a function of the amount giving back the Money it holds (or, for formatting,
what it made of it). Each must take a ``str``, ``int`` or ``Decimal`` as ``Money`` does, and
refuse bad input with exactly ``Money``'s error.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pendulum
import pytest

from propcrm.analytics import FixedThresholds, PaymentFact, ServicePurchase
from propcrm.archive import RepairRecord, SpecialServiceRecord
from propcrm.billing import (
    AbsoluteCap,
    AreaCharge,
    FeeCategory,
    FeeUsage,
    FixedCharge,
    ParkingCharge,
    PriceItem,
    Tier,
    TieredPrice,
    opening_line,
    opening_statement,
    split_by_days,
)
from propcrm.complaints import Quote
from propcrm.errors import InvalidAmount
from propcrm.money import (
    Money,
    allocate,
    as_money,
    as_optional_money,
    chinese_uppercase,
    format_money,
    split_evenly,
)
from propcrm.receivables import (
    Authorisation,
    CollectionCost,
    Credit,
    DisputeRaised,
    DunningLevel,
    DunningRule,
    LateFeeWaiver,
    Outstanding,
    PrincipalReduction,
    PrincipalWaiver,
    Receipt,
    Refund,
    allocate_payment,
    late_fee,
)
from propcrm.segmentation import Arrears, ServiceSpend
from propcrm.time import BillingPeriod

DAY = pendulum.date(2026, 11, 30)
NOV = BillingPeriod.month(2026, 11)
OK = Authorisation("finance manager 钱", "goodwill")


def _statement_total(amount: object) -> Money:
    return opening_statement(
        community="SUNRISE", unit_id="U", period=NOV, amount=amount, due_on=DAY
    ).total  # type: ignore[arg-type]


ENTRY_POINTS: dict[str, Callable[[object], object]] = {
    "as_money": as_money,
    "as_optional_money": as_optional_money,
    "Receipt": lambda a: Receipt("BANK-1", a, received_on=DAY).amount,
    "LateFeeWaiver": lambda a: LateFeeWaiver("W-1", "S/1/U", OK, on=DAY, amount=a).amount,
    "PrincipalWaiver": lambda a: PrincipalWaiver("W-1", "S/1/U", OK, on=DAY, amount=a).amount,
    "Credit": lambda a: Credit("C-1", a, DAY, "transfer in").amount,
    "Refund": lambda a: Refund("RF-1", a, DAY, OK).amount,
    "CollectionCost": lambda a: CollectionCost("K-1", "S/1/U", a, DAY, "lawyer").amount,
    "DisputeRaised": lambda a: DisputeRaised("D-1", "S/1/U", DAY, "area", amount=a).amount,
    "opening_statement": _statement_total,
    "opening_line": lambda a: opening_line(a).amount,  # type: ignore[arg-type]
    "late_fee": lambda a: late_fee(a, DAY, DAY).principal,  # type: ignore[arg-type]
    "PrincipalReduction": lambda a: PrincipalReduction(DAY, a).amount,
    "AbsoluteCap": lambda a: AbsoluteCap(a).amount,
    "Outstanding.principal": lambda a: Outstanding("S", DAY, principal=a).principal,
    "Outstanding.late_fees": lambda a: Outstanding("S", DAY, late_fees=a).late_fees,
    "Outstanding.costs": lambda a: Outstanding("S", DAY, costs=a).costs,
    "allocate_payment": lambda a: allocate_payment(a, [], on=DAY).credited,  # type: ignore[arg-type]
    "AreaCharge": lambda a: AreaCharge("MGMT", "物业管理费", a).unit_price,
    "FixedCharge": lambda a: FixedCharge("REFUSE", "垃圾清运费", a).unit_price,
    "ParkingCharge": lambda a: ParkingCharge("PARK", "车位管理费", a).unit_price,
    "Tier": lambda a: Tier(None, a).unit_price,
    "TieredPrice.flat": lambda a: TieredPrice.flat(a).tiers[0].unit_price,  # type: ignore[arg-type]
    "PriceItem": lambda a: PriceItem("AC-CLEAN", "空调清洗", a).unit_price,
    "DunningRule": lambda a: DunningRule(DunningLevel.REMINDER, 1, a, channels="sms").min_amount,
    "Quote.unit_price": lambda a: (
        Quote("2026A", "AC", "空调清洗", "1", "台", a, Money("100.00"), DAY).unit_price
    ),
    "Quote.amount": lambda a: (
        Quote("2026A", "AC", "空调清洗", "1", "台", Money("100.00"), a, DAY).amount
    ),
    "FeeUsage": lambda a: FeeUsage(budget={FeeCategory.STAFF: a}).budget[FeeCategory.STAFF],  # type: ignore[dict-item]
    "split_by_days": lambda a: split_by_days(a, NOV, [])[0].amount,  # type: ignore[arg-type]
    "allocate": lambda a: allocate(a, [1])[0],  # type: ignore[arg-type]
    "split_evenly": lambda a: split_evenly(a, 1)[0],  # type: ignore[arg-type]
    "format_money": format_money,
    "chinese_uppercase": chinese_uppercase,
    "RepairRecord": lambda a: (
        RepairRecord(record_id="R", unit_id="1-2-0301", on=DAY, description="窗户渗水", cost=a).cost
    ),
    "SpecialServiceRecord": lambda a: (
        SpecialServiceRecord(record_id="B", party_id="P1", on=DAY, service="空调", amount=a).amount
    ),
    "PaymentFact.amount": lambda a: PaymentFact("N-1", DAY, a).amount,
    "PaymentFact.amount_paid": lambda a: (
        PaymentFact("N-1", DAY, Money("100.00"), paid_on=DAY, amount_paid=a).amount_paid
    ),
    "ServicePurchase": lambda a: ServicePurchase(DAY, a).amount,
    "FixedThresholds": lambda a: FixedThresholds((30,), (2,), (a,)).monetary[0],
    "Arrears": lambda a: Arrears(at_least=a).at_least,
    "ServiceSpend": lambda a: ServiceSpend(at_most=a).at_most,
}

GOOD = ["100.00", 100, Decimal("100.00"), " 100.00 ", Money("100.00")]
BAD = [100.0, "1,000.00", "100_00", "¥100.00", True, "NaN", "Infinity", b"100", [100]]


@pytest.mark.parametrize("value", GOOD, ids=repr)
@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=str)
def test_every_entry_point_takes_what_money_takes(entry: str, value: object) -> None:
    """A str, int or Decimal gives the same as the Money it stands for."""
    expected = ENTRY_POINTS[entry](Money("100.00"))
    assert ENTRY_POINTS[entry](value) == expected


@pytest.mark.parametrize("value", BAD, ids=repr)
@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=str)
def test_every_entry_point_refuses_what_money_refuses(entry: str, value: object) -> None:
    """Bad input raises Money's own InvalidAmount, with Money's message."""
    with pytest.raises(InvalidAmount) as money_error:
        Money(value)
    with pytest.raises(InvalidAmount) as entry_error:
        ENTRY_POINTS[entry](value)
    assert str(entry_error.value) == str(money_error.value)


def test_receipt_takes_the_string_money_takes() -> None:
    """The defect: Receipt refused "100.00", which Money accepts."""
    receipt = Receipt("BANK-20261130-01", "100.00", received_on=DAY)
    assert receipt.amount == Money("100.00")


def test_a_money_in_another_currency_passes_through_unchanged() -> None:
    """Only a Money carries another currency; the door never converts it."""
    hkd = Money("12.50", "HKD")
    assert as_money(hkd) is hkd
    assert Receipt("BANK-1", hkd, received_on=DAY).amount is hkd
