"""Tests for money._formatting: locale-aware text in and out."""

from __future__ import annotations

import decimal
from decimal import localcontext

import pytest
from babel import Locale
from hypothesis import given
from hypothesis import strategies as st

from propcrm.errors import InvalidMoneyText, UnknownCurrency, UnsupportedLocale
from propcrm.i18n import DEFAULT_LOCALE
from propcrm.money import Money, RoundingMode, format_money, parse_money

LOCALES = ["zh_CN", "en_US"]


def test_default_locale_is_zh_cn() -> None:
    assert DEFAULT_LOCALE == "zh_CN"


@pytest.mark.parametrize(
    ("amount", "locale", "text"),
    [
        ("1234.56", "zh_CN", "¥1,234.56"),
        ("1234.56", "en_US", "CN¥1,234.56"),
        ("-1234.56", "zh_CN", "-¥1,234.56"),
        ("-1234.56", "en_US", "-CN¥1,234.56"),
        ("0", "zh_CN", "¥0.00"),
        ("0.5", "zh_CN", "¥0.50"),
        ("1234567.8", "zh_CN", "¥1,234,567.80"),
    ],
)
def test_format_money(amount: str, locale: str, text: str) -> None:
    assert format_money(Money(amount), locale) == text


def test_format_money_defaults_to_zh_cn() -> None:
    assert format_money(Money("1234.56")) == "¥1,234.56"


def test_format_money_other_currencies() -> None:
    assert format_money(Money("1234.5", "USD"), "en_US") == "$1,234.50"
    assert format_money(Money("5", "JPY"), "en_US") == "¥5"


@pytest.mark.parametrize(
    ("locale", "format_type", "text"),
    [
        ("zh_CN", "accounting", "(¥1,234.56)"),
        ("en_US", "accounting", "(CN¥1,234.56)"),
        ("zh_CN", "name", "-1,234.56人民币"),
        ("en_US", "name", "-1,234.56 Chinese yuan"),
    ],
)
def test_a_refund_in_each_format_type(locale: str, format_type: str, text: str) -> None:
    # Statements show credits in brackets (accounting); letters may spell the currency out.
    assert format_money(Money("-1234.56"), locale, format_type=format_type) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "mode", "text"),
    [
        ("0.125", RoundingMode.HALF_UP, "¥0.13"),
        ("0.125", RoundingMode.HALF_EVEN, "¥0.12"),
        ("0.135", RoundingMode.HALF_EVEN, "¥0.14"),
        ("0.129", RoundingMode.DOWN, "¥0.12"),
        ("-0.125", RoundingMode.HALF_UP, "-¥0.13"),
        ("1234.565", RoundingMode.HALF_UP, "¥1,234.57"),
    ],
)
def test_format_money_rounds_first_with_the_declared_mode(
    amount: str, mode: RoundingMode, text: str
) -> None:
    assert format_money(Money(amount), rounding=mode) == text


def test_format_money_rounds_half_up_by_default() -> None:
    assert format_money(Money("0.125")) == "¥0.13"
    assert format_money(Money("2.675")) == "¥2.68"


@pytest.mark.parametrize(
    ("amount", "mode"),
    [
        ("-0.004", RoundingMode.HALF_UP),
        ("-0.001", RoundingMode.CEILING),
        ("-0.00", RoundingMode.HALF_UP),
    ],
)
def test_an_amount_that_rounds_to_zero_is_not_shown_negative(
    amount: str, mode: RoundingMode
) -> None:
    assert format_money(Money(amount), rounding=mode) == "¥0.00"


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("¥1,234.56", "zh_CN", "1234.56"),
        ("￥1,234.56", "zh_CN", "1234.56"),
        ("CNY 1,234.56", "zh_CN", "1234.56"),
        ("1,234.56", "zh_CN", "1234.56"),
        ("1234.56", "zh_CN", "1234.56"),
        ("  ¥1,234.56  ", "zh_CN", "1234.56"),
        ("-¥1,234.56", "zh_CN", "-1234.56"),
        ("\u2212¥1,234.56", "zh_CN", "-1234.56"),
        ("CN¥1,234.56", "en_US", "1234.56"),
        ("-CN¥1,234.56", "en_US", "-1234.56"),
        ("¥0.00", "zh_CN", "0"),
    ],
)
def test_parse_money(text: str, locale: str, expected: str) -> None:
    assert parse_money(text, locale) == Money(expected)


@pytest.mark.parametrize(
    ("text", "locale", "currency", "expected"),
    [
        # The symbol is the locale's own: US$ in Chinese, $ in English.
        ("US$1,234.56", "zh_CN", "USD", "1234.56"),
        ("HK$12.50", "en_US", "HKD", "12.50"),
        # The yuan sign, half- or full-width, is read in any locale for yuan and yen.
        ("¥1,234.56", "en_US", "CNY", "1234.56"),
        ("￥1,234.56", "en_US", "CNY", "1234.56"),
        ("¥1,234", "zh_CN", "JPY", "1234"),
        ("JP¥1,234", "zh_CN", "JPY", "1234"),
    ],
)
def test_parse_money_reads_the_currency_marks_of_the_locale(
    text: str, locale: str, currency: str, expected: str
) -> None:
    assert parse_money(text, locale, currency=currency) == Money(expected, currency)


@pytest.mark.parametrize("text", ["CN¥1,234.56", "$1,234.56", "1e3", "1E3", "+5", "1_000"])
def test_parse_money_refuses_other_marks_and_exponents_in_chinese(text: str) -> None:
    # CN¥ is how English writes yuan; a Chinese notice writes ¥, and no person writes 1E3.
    with pytest.raises(InvalidMoneyText):
        parse_money(text, "zh_CN")


def test_parse_money_defaults_to_zh_cn_and_cny() -> None:
    assert parse_money("¥1,234.56") == Money("1234.56")
    assert parse_money("$1,234.56", "en_US", currency="USD") == Money("1234.56", "USD")


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("abc", "zh_CN"),
        ("", "zh_CN"),
        ("¥", "zh_CN"),
        ("1.2.3", "zh_CN"),
        ("12,34.5", "zh_CN"),
        ("¥1.234,56", "zh_CN"),
        ("1,234.56元", "zh_CN"),
        ("CN¥1.234,56", "en_US"),
        ("--5", "zh_CN"),
        ("-¥-5", "zh_CN"),
    ],
)
def test_parse_errors_show_an_example(text: str, locale: str) -> None:
    example = format_money(Money("1234.56"), locale)
    with pytest.raises(InvalidMoneyText) as info:
        parse_money(text, locale)
    assert repr(text) in str(info.value)
    assert example in str(info.value)
    assert isinstance(info.value, ValueError)


def test_parse_money_refuses_an_unknown_currency() -> None:
    with pytest.raises(UnknownCurrency):
        parse_money("¥1.00", currency="rmb")


@given(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from(LOCALES))
def test_format_then_parse_gives_back_the_amount(fen: int, locale: str) -> None:
    money = Money.from_minor_units(fen)
    assert parse_money(format_money(money, locale), locale) == money


def test_format_and_parse_ignore_a_narrow_ambient_context() -> None:
    with localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        text = format_money(Money("1234.565"))
        parsed = parse_money("-¥1,234.56")
    assert text == "¥1,234.57"
    assert parsed == Money("-1234.56")


@pytest.mark.parametrize("locale", ["fr_FR", "de_DE", "zh", "zh_TW", "ja_JP", "zz"])
def test_format_and_parse_refuse_a_locale_propcrm_does_not_write(locale: str) -> None:
    with pytest.raises(UnsupportedLocale) as info:
        format_money(Money("1234.56"), locale)
    assert info.value.supported == ("zh_CN", "en_US")
    with pytest.raises(UnsupportedLocale):
        parse_money("1234.56", locale)


def test_format_and_parse_take_any_spelling_of_a_supported_locale() -> None:
    assert format_money(Money("1234.56"), "zh-CN") == "¥1,234.56"
    assert format_money(Money("1234.56"), Locale.parse("en_US")) == "CN¥1,234.56"
    assert parse_money("CN¥1,234.56", "en-us") == Money("1234.56")
