"""Equal values the library builds share one object: the memos change identity, never values.

Each memo (``propcrm._shared``: dates; ``Money.from_minor_units``; an opening notice's line and
due date) is checked the same way: what comes out of it, the first time (built) and the next
(kept), equals, hashes, prints and explains as the value built by the public constructors
without it, digit for digit; and each memo holds at most its bound.
"""

from __future__ import annotations

import weakref
from decimal import Decimal

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propcrm import _shared
from propcrm.billing import (
    ChargeExplanation,
    ChargeKind,
    ChargeLine,
    ChargeUnit,
    DueDate,
    Statement,
    opening_line,
    opening_statement,
    statement_number,
)
from propcrm.billing import _statements as statements_module
from propcrm.billing._charges import OPENING_BALANCE
from propcrm.billing._late_fee_terms import DEFAULT_LATE_FEE
from propcrm.errors import InvalidAmount, InvalidType, NotADate, UnknownCurrency
from propcrm.money import Money, RoundingMode
from propcrm.money import _money as money_module
from propcrm.receivables import Receipt
from propcrm.testing.strategies import billing_periods, moneys, receipts
from propcrm.time import BillingPeriod

days = st.dates(min_value=pendulum.date(2000, 1, 1), max_value=pendulum.date(2060, 12, 31)).map(
    lambda d: pendulum.Date(d.year, d.month, d.day)
)


def _same(built: object, reference: object) -> None:
    """Equal, same hash, same text: what a caller can observe of a frozen value."""
    assert built == reference
    assert hash(built) == hash(reference)
    assert repr(built) == repr(reference)
    assert type(built) is type(reference)


# -- the memo itself --------------------------------------------------------------------------


def test_a_memo_never_holds_more_than_its_bound() -> None:
    memo: _shared.Memo[int, int] = _shared.Memo(3)
    for n in range(10):
        assert memo.keep(n, n * n) == n * n
        assert 1 <= len(memo) <= 3
        assert memo.get(n) == n * n
    # Emptied when full: the last key kept, the first ones forgotten.
    assert memo.get(0) is None
    assert memo.get(9) == 81


def test_the_date_memo_never_holds_more_than_its_bound() -> None:
    first = pendulum.date(1990, 1, 1)
    for n in range(_shared.DATE_BOUND + 10):
        day = first.add(days=n)
        assert _shared.shared_date(day) == day
        assert len(_shared._DATES) <= _shared.DATE_BOUND


@given(day=days)
def test_a_shared_date_is_the_day_given(day: pendulum.Date) -> None:
    again = pendulum.Date(day.year, day.month, day.day)
    kept = _shared.shared_date(again)
    _same(kept, day)
    assert _shared.shared_date(day) is kept
    assert kept.isoformat() == day.isoformat()
    assert kept.add(days=1) == day.add(days=1)


def test_a_date_subclass_is_never_swapped_for_a_plain_date() -> None:
    class Holiday(pendulum.Date):
        pass

    plain = _shared.shared_date(pendulum.date(2026, 10, 1))
    holiday = Holiday(2026, 10, 1)
    assert _shared.shared_date(holiday) is holiday
    assert _shared.shared_date(pendulum.date(2026, 10, 1)) is plain


# -- Money.from_minor_units ---------------------------------------------------------------------

CURRENCIES = st.sampled_from(["CNY", "USD", "JPY", "KWD"])


@given(units=st.integers(min_value=-(10**20), max_value=10**20), currency=CURRENCIES)
def test_money_from_minor_units_through_its_memo_is_the_constructors(
    units: int, currency: str
) -> None:
    places = {"CNY": 2, "USD": 2, "JPY": 0, "KWD": 3}[currency]
    reference = Money(Decimal(units).scaleb(-places), currency)
    money_module._BY_MINOR_UNITS.values.clear()
    built = Money.from_minor_units(units, currency)  # built, then kept
    kept = Money.from_minor_units(units, currency)  # from the memo
    assert kept is built
    for money in (built, kept):
        _same(money, reference)
        assert str(money.amount) == str(reference.amount)  # the exponent too
        assert money.minor_units == units
        assert str(money) == str(reference)


def test_money_from_minor_units_memo_keeps_currencies_apart() -> None:
    assert Money.from_minor_units(150, "CNY") == Money("1.50", "CNY")
    assert Money.from_minor_units(150, "JPY") == Money("150", "JPY")
    assert Money.from_minor_units(150, "CNY").currency == "CNY"


def test_money_from_minor_units_memo_never_holds_more_than_its_bound() -> None:
    bound = money_module.MINOR_UNITS_BOUND
    for units in range(bound + 10):
        assert Money.from_minor_units(units).minor_units == units
        assert len(money_module._BY_MINOR_UNITS) <= bound


def test_money_from_minor_units_refuses_what_it_refused_before_its_memo() -> None:
    Money.from_minor_units(5)  # kept for (5, "CNY")
    with pytest.raises(UnknownCurrency):
        Money.from_minor_units(5, "cny")
    with pytest.raises(UnknownCurrency):
        Money.from_minor_units(5, ["CNY"])  # type: ignore[arg-type]
    with pytest.raises(InvalidAmount):
        Money.from_minor_units(True)


def test_an_int_subclass_of_units_is_no_memo_key() -> None:
    class Fen(int):
        pass

    money_module._BY_MINOR_UNITS.values.clear()
    assert Money.from_minor_units(Fen(5)) == Money("0.05")
    assert len(money_module._BY_MINOR_UNITS) == 0


def test_money_has_no_weakref_slot() -> None:
    """48 bytes a Money: nothing refers to an amount weakly."""
    assert "__weakref__" not in Money.__slots__
    with pytest.raises(TypeError):
        weakref.ref(Money("1"))


# -- an opening notice: its line, its due date and issue date --------------------------------


def _reference_line(amount: Money, name: str = OPENING_BALANCE) -> ChargeLine:
    explanation = ChargeExplanation(
        rule=None,
        quantity=Decimal(1),
        unit_label=ChargeUnit.ITEM,
        unit_price=amount,
        unrounded=amount,
        rounding=RoundingMode.HALF_UP,
    )
    return ChargeLine("OPENING", name, ChargeKind.FIXED, amount, explanation)


@given(amount=moneys(), name=st.sampled_from([None, "旧系统欠费", "arrears"]))
def test_an_opening_line_through_its_memo_is_the_constructors(
    amount: Money, name: str | None
) -> None:
    reference = _reference_line(amount, OPENING_BALANCE if name is None else name)
    statements_module._OPENING_LINES.values.clear()
    built, kept = opening_line(amount, name), opening_line(Money(str(amount.amount)), name)
    assert kept is built
    for line in (built, kept):
        _same(line, reference)
        assert str(line.amount.amount) == str(amount.amount)
        assert line.display_name("en_US") == reference.display_name("en_US")
        assert line.explanation.formula("en_US") == reference.explanation.formula("en_US")


def test_an_opening_line_keeps_the_digits_it_was_given() -> None:
    """Money('1.0') equals Money('1.00'): each gets a line with its own digits."""
    tenths, hundredths = opening_line(Money("1.0")), opening_line(Money("1.00"))
    assert tenths == hundredths
    assert str(tenths.amount.amount) == "1.0"
    assert str(hundredths.amount.amount) == "1.00"
    assert str(opening_line(Money("1.0")).amount.amount) == "1.0"
    assert tenths.explanation.formula("en_US") == "CN¥1.00 carried over"


def test_an_opening_line_of_a_decimal_subclass_keeps_it() -> None:
    class Amount(Decimal):
        pass

    opening_line(Money("7.00"))
    line = opening_line(Money(Amount("7.00")))
    assert type(line.amount.amount) is Amount


def test_the_opening_line_memo_never_holds_more_than_its_bound() -> None:
    bound = statements_module._OPENING_LINES.bound
    for units in range(bound + 10):
        assert opening_line(Money.from_minor_units(units)).amount.minor_units == units
        assert len(statements_module._OPENING_LINES) <= bound


@given(
    period=billing_periods(),
    amount=moneys(),
    due=days,
    party=st.sampled_from([None, "P-1"]),
)
def test_an_opening_statement_through_its_memos_is_the_constructors(
    period: BillingPeriod, amount: Money, due: pendulum.Date, party: str | None
) -> None:
    reference = Statement(
        number=statement_number("SUNRISE", period, "1-2-0301"),
        community="SUNRISE",
        unit_id="1-2-0301",
        property_type=statements_module.PropertyType.RESIDENTIAL,
        period=period,
        issued_on=period.end,
        due=DueDate(due, due, None, None),
        lines=(_reference_line(amount),),
        total=amount,
        late_fee=DEFAULT_LATE_FEE,
        tariff_versions=(),
        billed_party=party,
    )
    built = [
        opening_statement(
            community="SUNRISE",
            unit_id="1-2-0301",
            period=period,
            amount=amount,
            due_on=pendulum.Date(due.year, due.month, due.day),
            billed_party=party,
        )
        for _ in range(2)
    ]
    for statement in built:
        _same(statement, reference)
        assert statement.explain("en_US") == reference.explain("en_US")
        assert str(statement.total.amount) == str(amount.amount)
        assert statement.lines[0].amount is statement.total  # one Money, not two
    # The second notice shares the first's parts.
    first, second = built
    assert second.lines is first.lines
    assert second.due is first.due
    assert second.issued_on is first.issued_on
    assert second.due.due_on is second.due.nominal


def test_an_opening_statement_still_refuses_what_it_refused() -> None:
    period = BillingPeriod.month(2026, 11)
    kwargs = {"community": "SUNRISE", "unit_id": "1", "amount": Money("1")}
    with pytest.raises(InvalidType):
        opening_statement(period="2026-11", due_on=period.end, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(NotADate):
        opening_statement(period=period, due_on="2026-12-10", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(InvalidAmount):
        opening_statement(
            period=period, due_on=period.end, community="S", unit_id="1", amount=Money("-1")
        )


def test_the_statement_converters_fast_cases_are_items_ofs() -> None:
    """A tuple of lines, no concessions, no versions: kept as they are; the rest checked."""
    line = opening_line(Money("1.00"))
    lines = (line,)
    assert statements_module._lines(lines) is lines
    assert statements_module._lines([line]) == lines
    assert statements_module._concession_lines(()) == ()
    assert statements_module._versions(()) == ()
    assert statements_module._versions(["2026A"]) == ("2026A",)
    for bad in ((line, "x"), "AB", None):
        with pytest.raises(InvalidType):
            statements_module._lines(bad)
    for bad_versions in ("AB", (1,), None):
        with pytest.raises(InvalidType):
            statements_module._versions(bad_versions)
    with pytest.raises(InvalidType):
        statements_module._concession_lines((line,))


# -- receipts ---------------------------------------------------------------------------------


@given(receipt=receipts())
def test_a_receipt_with_shared_dates_is_the_receipt_given(receipt: Receipt) -> None:
    again = Receipt(
        receipt.reference,
        receipt.amount,
        received_on=pendulum.Date(
            receipt.received_on.year, receipt.received_on.month, receipt.received_on.day
        ),
        paid_on=receipt.paid_on,
        payer=receipt.payer,
        role=receipt.role,
        designation=list(receipt.designation),
    )
    _same(again, receipt)
    twin = Receipt(receipt.reference, receipt.amount, received_on=receipt.received_on)
    assert twin.received_on is again.received_on
