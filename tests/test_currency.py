"""Tests for money._currency: ISO 4217 codes and minor units."""

from __future__ import annotations

import pytest

from propcrm.errors import PropcrmError, UnknownCurrency
from propcrm.money import (
    CNY,
    check_currency,
    minor_unit_places,
)


def test_cny_is_the_default_code() -> None:
    assert CNY == "CNY"


@pytest.mark.parametrize("code", ["CNY", "USD", "HKD", "JPY", "EUR", "MOP", "TWD"])
def test_known_codes_are_returned_unchanged(code: str) -> None:
    assert check_currency(code) == code


@pytest.mark.parametrize("code", ["usd", "cny", "RMB", "XXXX", "", " CNY", 156, None, b"CNY"])
def test_unknown_codes_are_refused(code: object) -> None:
    with pytest.raises(UnknownCurrency) as info:
        check_currency(code)
    assert repr(code) in str(info.value)
    assert "'CNY'" in str(info.value)  # the message shows what a code looks like


def test_unknown_currency_is_a_value_error() -> None:
    assert issubclass(UnknownCurrency, ValueError)
    assert issubclass(UnknownCurrency, PropcrmError)


@pytest.mark.parametrize(
    ("code", "places"),
    [("CNY", 2), ("USD", 2), ("HKD", 2), ("JPY", 0), ("KRW", 0), ("KWD", 3), ("BHD", 3)],
)
def test_minor_unit_places(code: str, places: int) -> None:
    assert minor_unit_places(code) == places


def test_minor_unit_places_refuses_unknown_codes() -> None:
    with pytest.raises(UnknownCurrency):
        minor_unit_places("rmb")
