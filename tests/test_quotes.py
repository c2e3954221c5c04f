"""Tests for complaints._quotes: a special service priced from the published list (§3)."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.billing_fixtures import sample_price_lists

from propcrm.billing import (
    PriceItem,
    PriceList,
    PriceLists,
)
from propcrm.complaints import Quote, quote_service
from propcrm.complaints._quotes import DEFAULT_QUOTE_ROUNDING
from propcrm.errors import (
    InvalidAmount,
    InvalidType,
    NoPriceListInForce,
    PriceListError,
    QuoteError,
    RequestError,
    UnknownPriceItem,
    UnsupportedLocale,
)
from propcrm.money import (
    Money,
    RoundingMode,
)
from propcrm.testing.strategies import moneys

NOV_10 = pendulum.date(2026, 11, 10)
NOV_20 = pendulum.date(2026, 11, 20)


def hourly_list(price: str = "33.33", currency: str = "CNY") -> PriceLists:
    """A list pricing cleaning by the hour, in force from 1 Jan 2026."""
    return PriceLists(
        (
            PriceList(
                "2026H",
                effective_from=pendulum.date(2026, 1, 1),
                published_on=pendulum.date(2025, 12, 1),
                items=(PriceItem("CLEAN-H", "家政保洁", Money(price, currency), "小时"),),
            ),
        )
    )


# -- pricing from the list in force -----------------------------------------------------------


def test_quote_prices_the_quantity_from_the_list_in_force() -> None:
    quote = quote_service(sample_price_lists(), "AC-CLEAN", "2", NOV_10)
    assert quote.price_list_version == "2026A"
    assert quote.service_code == "AC-CLEAN"
    assert quote.service_name == "空调清洗"
    assert quote.quantity == Decimal(2)
    assert quote.unit_label == "台"
    assert quote.unit_price == Money("80.00")
    assert quote.amount == Money("160.00")
    assert quote.quoted_on == NOV_10
    assert quote.rounding is DEFAULT_QUOTE_ROUNDING is RoundingMode.HALF_UP


def test_quote_after_a_list_change_uses_the_new_list() -> None:
    quote = quote_service(sample_price_lists(), "AC-CLEAN", 2, NOV_20)
    assert (quote.price_list_version, quote.amount) == ("2026B", Money("180.00"))


def test_quote_on_the_day_a_list_takes_effect_uses_that_list() -> None:
    quote = quote_service(sample_price_lists(), "AC-CLEAN", 1, pendulum.date(2026, 11, 16))
    assert quote.price_list_version == "2026B"


def test_quote_describes_itself_for_a_work_order() -> None:
    quote = quote_service(sample_price_lists(), "AC-CLEAN", 2, NOV_10)
    # The zh_CN line names the price list in Chinese (it said "price list" in English before).
    assert quote.describe() == "空调清洗 2 台 × ¥80.00 = ¥160.00（价目表 2026A）"
    # The item and its unit are the price list's own words, printed as published.
    assert quote.describe("en_US") == "空调清洗 2 台 × CN¥80.00 = CN¥160.00 (price list 2026A)"


@pytest.mark.parametrize("locale", ["fr_FR", "zh", "zh_TW"])
def test_a_quote_in_an_unsupported_locale_is_refused(locale: str) -> None:
    quote = quote_service(sample_price_lists(), "AC-CLEAN", 2, NOV_10)
    with pytest.raises(UnsupportedLocale):
        quote.describe(locale)


def test_a_free_service_is_quoted_at_zero() -> None:
    free = PriceLists(
        (
            PriceList(
                "FREE",
                effective_from=pendulum.date(2026, 1, 1),
                published_on=pendulum.date(2025, 12, 1),
                items=(PriceItem("KEY", "代收快递", Money("0.00")),),
            ),
        )
    )
    assert quote_service(free, "KEY", 3, NOV_10).amount == Money("0.00")


def test_a_quote_in_another_currency_keeps_the_lists_currency() -> None:
    quote = quote_service(hourly_list("12.50", "USD"), "CLEAN-H", 2, NOV_10)
    assert quote.amount == Money("25.00", "USD")


# -- rounding once, to the fen ----------------------------------------------------------------


def test_fractional_hours_are_rounded_once_half_up() -> None:
    # 1.5 小时 × ¥33.33 = ¥49.995, rounded once: ¥50.00
    quote = quote_service(hourly_list(), "CLEAN-H", "1.5", NOV_10)
    assert quote.quantity == Decimal("1.5")
    assert quote.amount == Money("50.00")
    assert quote.describe() == "家政保洁 1.5 小时 × ¥33.33 = ¥50.00（价目表 2026H）"


@pytest.mark.parametrize(
    ("rounding", "amount"),
    [
        (RoundingMode.HALF_UP, "16.67"),
        (RoundingMode.HALF_EVEN, "16.66"),
        (RoundingMode.DOWN, "16.66"),
        (RoundingMode.UP, "16.67"),
    ],
)
def test_half_an_hour_is_rounded_in_the_declared_mode(rounding: RoundingMode, amount: str) -> None:
    # 0.5 小时 × ¥33.33 = ¥16.665
    quote = quote_service(hourly_list(), "CLEAN-H", "0.5", NOV_10, rounding=rounding)
    assert quote.amount == Money(amount)
    assert quote.rounding is rounding


def test_quantities_are_not_rounded_before_pricing() -> None:
    # 0.333 小时 × ¥33.33 = ¥11.09889 → ¥11.10; rounding the hours first would give ¥11.00
    quote = quote_service(hourly_list(), "CLEAN-H", "0.333", NOV_10)
    assert quote.amount == Money("11.10")


# -- refusals ---------------------------------------------------------------------------------


def test_unknown_service_code_is_refused_naming_the_known_codes() -> None:
    with pytest.raises(UnknownPriceItem, match=r"2026A has no service 'WINDOW'.*AC-CLEAN"):
        quote_service(sample_price_lists(), "WINDOW", 1, NOV_10)


def test_a_code_dropped_from_the_newer_list_cannot_be_quoted_after_the_change() -> None:
    assert quote_service(sample_price_lists(), "LAWN", 10, NOV_10).amount == Money("13.50")
    with pytest.raises(UnknownPriceItem, match="2026B"):
        quote_service(sample_price_lists(), "LAWN", 10, NOV_20)


def test_no_list_in_force_is_refused() -> None:
    with pytest.raises(NoPriceListInForce, match="first takes effect on 2026-01-01"):
        quote_service(sample_price_lists(), "AC-CLEAN", 1, pendulum.date(2025, 12, 31))
    with pytest.raises(NoPriceListInForce, match="has not been published"):
        quote_service(PriceLists(()), "AC-CLEAN", 1, NOV_10)
    assert issubclass(NoPriceListInForce, PriceListError)


@pytest.mark.parametrize("quantity", [0, "0", "0.00", Decimal(0)])
def test_a_zero_quantity_is_refused(quantity: object) -> None:
    with pytest.raises(QuoteError, match="more than 0"):
        quote_service(sample_price_lists(), "AC-CLEAN", quantity, NOV_10)


@pytest.mark.parametrize("quantity", [-1, "-1", "-0.5", Decimal(-2)])
def test_a_negative_quantity_is_refused(quantity: object) -> None:
    with pytest.raises(QuoteError, match="negative"):
        quote_service(sample_price_lists(), "AC-CLEAN", quantity, NOV_10)


@pytest.mark.parametrize("quantity", [1.5, 2.0, float("nan")])
def test_a_float_quantity_is_refused(quantity: float) -> None:
    with pytest.raises(QuoteError, match="float"):
        quote_service(hourly_list(), "CLEAN-H", quantity, NOV_10)


@pytest.mark.parametrize("quantity", ["two", "", None, True, Decimal("NaN"), Decimal("Infinity")])
def test_a_quantity_that_is_no_exact_number_is_refused(quantity: object) -> None:
    with pytest.raises(QuoteError):
        quote_service(sample_price_lists(), "AC-CLEAN", quantity, NOV_10)


def test_quote_errors_are_request_errors_and_value_errors() -> None:
    assert issubclass(QuoteError, RequestError)
    assert issubclass(QuoteError, ValueError)


def test_a_quote_day_is_a_date_not_an_instant() -> None:
    with pytest.raises(TypeError, match="local_date"):
        quote_service(
            sample_price_lists(), "AC-CLEAN", 1, pendulum.datetime(2026, 11, 10, tz="UTC")
        )


# -- the quote as a value ---------------------------------------------------------------------


def a_quote() -> Quote:
    return quote_service(hourly_list(), "CLEAN-H", "1.5", NOV_10)


@pytest.mark.parametrize("amount", ["49.99", "50.01", "49.995", "0.00"])
def test_a_tampered_amount_is_refused(amount: str) -> None:
    with pytest.raises(QuoteError, match=r"rounds to CNY 50.00 \(HALF_UP\)"):
        attrs.evolve(a_quote(), amount=Money(amount))


def test_a_tampered_price_or_quantity_is_refused() -> None:
    with pytest.raises(QuoteError):
        attrs.evolve(a_quote(), unit_price=Money("33.34"))
    with pytest.raises(QuoteError):
        attrs.evolve(a_quote(), quantity=Decimal(2))


def test_an_amount_rounded_in_another_mode_than_declared_is_refused() -> None:
    quote = quote_service(hourly_list(), "CLEAN-H", "0.5", NOV_10)  # 16.665 → 16.67 half-up
    with pytest.raises(QuoteError, match="HALF_EVEN"):
        attrs.evolve(quote, rounding=RoundingMode.HALF_EVEN)


def test_an_amount_in_another_currency_is_refused() -> None:
    with pytest.raises(QuoteError):
        attrs.evolve(a_quote(), amount=Money("50.00", "USD"))


def test_a_quote_can_be_built_by_hand_when_it_adds_up() -> None:
    quote = Quote(
        price_list_version="2026H",
        service_code="CLEAN-H",
        service_name="家政保洁",
        quantity="1.5",
        unit_label="小时",
        unit_price=Money("33.33"),
        amount=Money("50.00"),
        quoted_on=NOV_10,
    )
    assert quote == a_quote()


@pytest.mark.parametrize("field", ["price_list_version", "service_code", "service_name"])
@pytest.mark.parametrize("value", ["", "  ", None, 7])
def test_quote_text_fields_must_be_non_empty_text(field: str, value: object) -> None:
    # Not text at all is InvalidType (a TypeError); empty text is the quote's own error.
    with pytest.raises(QuoteError if isinstance(value, str) else InvalidType, match=field):
        attrs.evolve(a_quote(), **{field: value})  # type: ignore[arg-type]  # wrong on purpose


def test_quote_prices_are_taken_as_money_takes_them() -> None:
    quote = a_quote()
    again = attrs.evolve(quote, unit_price=str(quote.unit_price.amount), amount=quote.amount.amount)
    assert again == quote
    with pytest.raises(InvalidAmount, match="float"):
        attrs.evolve(quote, unit_price=33.33)
    with pytest.raises(InvalidAmount, match="bool"):
        attrs.evolve(quote, amount=True)


def test_a_quote_is_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a_quote().amount = Money("1.00")  # type: ignore[misc]


# -- properties -------------------------------------------------------------------------------

quantities = st.decimals(min_value="0.01", max_value="500", places=2)


@settings(max_examples=60)
@given(
    price=moneys(max_value=Money("9999.99")),
    quantity=quantities,
    rounding=st.sampled_from(RoundingMode),
)
def test_a_quote_is_the_exact_product_rounded_once(
    price: Money, quantity: Decimal, rounding: RoundingMode
) -> None:
    quote = quote_service(
        hourly_list(str(price.amount)), "CLEAN-H", quantity, NOV_10, rounding=rounding
    )
    exact = price.amount * quantity
    assert quote.amount.is_rounded
    assert abs(quote.amount.amount - exact) < Decimal("0.01")
    assert quote.amount == (price * quantity).rounded(rounding)
    # a quote rebuilt from its own fields is accepted unchanged: it always adds up
    assert attrs.evolve(quote) == quote
