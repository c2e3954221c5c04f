"""Tests for billing._fee_categories: the nine things the management fee pays for."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propcrm.billing import (
    FeeCategory,
    FeeUsage,
)
from propcrm.billing._fee_categories import FeeUsageRow
from propcrm.errors import CurrencyMismatch, InvalidAmount, UnsupportedLocale
from propcrm.money import Money

BRIEF_ORDER = [
    (FeeCategory.STAFF, "人员费用", "staff wages, social insurance and welfare"),
    (
        FeeCategory.COMMON_FACILITIES,
        "共用部位及设施设备运行维护费",
        "running and maintaining common parts and facilities",
    ),
    (FeeCategory.CLEANING, "清洁卫生费", "cleaning"),
    (FeeCategory.GREENING, "绿化养护费", "greening"),
    (FeeCategory.SECURITY, "秩序维护费", "order and security"),
    (FeeCategory.OFFICE, "办公费", "office costs"),
    (FeeCategory.DEPRECIATION, "固定资产折旧", "depreciation of fixed assets"),
    (
        FeeCategory.INSURANCE,
        "共用部位及公众责任保险费",
        "insurance of common parts and public liability",
    ),
    (FeeCategory.OTHER_APPROVED, "经业主同意的其他费用", "other costs approved by the owners"),
]


def test_there_are_exactly_nine_categories_in_the_briefs_order() -> None:
    assert len(FeeCategory) == 9
    assert list(FeeCategory) == [category for category, _, _ in BRIEF_ORDER]


@pytest.mark.parametrize(("category", "label", "description"), BRIEF_ORDER)
def test_category_labels_and_descriptions(
    category: FeeCategory, label: str, description: str
) -> None:
    assert category.label() == category.label("zh_CN") == label
    assert category.description("en_US") == description


ENGLISH_LABELS = [
    "staff costs",
    "upkeep of common parts and facilities",
    "cleaning",
    "greening upkeep",
    "order maintenance",
    "office costs",
    "depreciation of fixed assets",
    "insurance of common parts and public liability",
    "other costs approved by the owners",
]


def test_categories_have_english_labels_and_chinese_descriptions() -> None:
    assert [c.label("en_US") for c in FeeCategory] == ENGLISH_LABELS
    assert FeeCategory.STAFF.description() == "管理服务人员的工资、社会保险和按规定提取的福利费"
    assert FeeCategory.CLEANING.description("zh-CN") == "物业管理区域清洁卫生费用"


def test_labels_are_distinct() -> None:
    for locale in ("zh_CN", "en_US"):
        assert len({c.label(locale) for c in FeeCategory}) == 9
        assert len({c.description(locale) for c in FeeCategory}) == 9


@pytest.mark.parametrize("locale", ["fr_FR", "zh", "en_GB"])
def test_labels_refuse_an_unsupported_locale(locale: str) -> None:
    with pytest.raises(UnsupportedLocale):
        FeeCategory.STAFF.label(locale)
    with pytest.raises(UnsupportedLocale):
        FeeCategory.STAFF.description(locale)


# -- budget against actual ------------------------------------------------------------------


def sample_usage() -> FeeUsage:
    return FeeUsage(
        budget={
            FeeCategory.STAFF: Money("52000.00"),
            FeeCategory.CLEANING: Money("8000.00"),
            FeeCategory.GREENING: Money("3000.00"),
        },
        actual={
            FeeCategory.STAFF: Money("51200.50"),
            FeeCategory.CLEANING: Money("8650.00"),
            FeeCategory.INSURANCE: Money("1200.00"),
        },
    )


@pytest.mark.parametrize(
    ("category", "variance"),
    [
        (FeeCategory.STAFF, "-799.50"),  # under budget
        (FeeCategory.CLEANING, "650.00"),  # overspent
        (FeeCategory.GREENING, "-3000.00"),  # budgeted, nothing spent
        (FeeCategory.INSURANCE, "1200.00"),  # spent, never budgeted
        (FeeCategory.OFFICE, "0.00"),  # neither
    ],
)
def test_variance_is_actual_minus_budget_with_missing_as_zero(
    category: FeeCategory, variance: str
) -> None:
    assert sample_usage().variance(category) == Money(variance)


def test_rows_list_all_nine_categories_in_order() -> None:
    rows = list(sample_usage().rows())
    assert [row.category for row in rows] == list(FeeCategory)
    assert rows[0] == FeeUsageRow(
        FeeCategory.STAFF, Money("52000.00"), Money("51200.50"), Money("-799.50")
    )
    assert rows[5] == FeeUsageRow(FeeCategory.OFFICE, Money("0"), Money("0"), Money("0"))


def test_rows_of_an_empty_usage_are_nine_zero_rows() -> None:
    rows = list(FeeUsage().rows())
    assert len(rows) == 9
    assert all(row.budget.is_zero and row.actual.is_zero for row in rows)


def test_usage_in_another_currency() -> None:
    usage = FeeUsage(
        budget={FeeCategory.OFFICE: Money("100.00", "HKD")},
        actual={FeeCategory.OFFICE: Money("80.00", "HKD")},
        currency="HKD",
    )
    assert usage.variance(FeeCategory.OFFICE) == Money("-20.00", "HKD")
    assert next(usage.rows()).budget == Money("0", "HKD")


@pytest.mark.parametrize("side", ["budget", "actual"])
def test_an_amount_in_another_currency_is_refused(side: str) -> None:
    amounts = {FeeCategory.OFFICE: Money("100.00", "USD")}
    with pytest.raises(CurrencyMismatch, match="kept in CNY"):
        FeeUsage(**{side: amounts})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "amounts",
    [
        {"office": Money("100.00")},
        {"office": "100.00"},
    ],
)
def test_amounts_must_map_categories_to_money(amounts: dict[object, object]) -> None:
    with pytest.raises(TypeError, match="FeeCategory"):
        FeeUsage(budget=amounts)  # type: ignore[arg-type]


def test_amounts_are_taken_as_money_takes_them() -> None:
    usage = FeeUsage(budget={FeeCategory.OFFICE: "100.00"})
    assert usage.budget[FeeCategory.OFFICE] == Money("100.00")
    with pytest.raises(InvalidAmount, match="float"):
        FeeUsage(budget={FeeCategory.OFFICE: 100.0})


def test_usage_is_not_changed_through_the_dict_it_was_built_from() -> None:
    budget = {FeeCategory.OFFICE: Money("100.00")}
    usage = FeeUsage(budget=budget)
    budget[FeeCategory.OFFICE] = Money("1.00")
    assert usage.budget[FeeCategory.OFFICE] == Money("100.00")
    with pytest.raises(TypeError):
        usage.budget[FeeCategory.OFFICE] = Money("1.00")  # type: ignore[index]


@given(
    budget=st.dictionaries(
        st.sampled_from(FeeCategory),
        st.integers(min_value=0, max_value=10**9).map(Money.from_minor_units),
    ),
    actual=st.dictionaries(
        st.sampled_from(FeeCategory),
        st.integers(min_value=0, max_value=10**9).map(Money.from_minor_units),
    ),
)
def test_rows_add_up_budget_actual_and_variance(
    budget: dict[FeeCategory, Money], actual: dict[FeeCategory, Money]
) -> None:
    rows = list(FeeUsage(budget=budget, actual=actual).rows())
    assert Money.total(r.budget for r in rows) == Money.total(budget.values())
    assert Money.total(r.actual for r in rows) == Money.total(actual.values())
    assert Money.total(r.variance for r in rows) == Money.total(actual.values()) - Money.total(
        budget.values()
    )
    assert all(r.variance == r.actual - r.budget for r in rows)
