"""The nine categories the management fee pays for (domain brief §2).

Owners expect the budget and the actual spend of each to be published (transparency).

>>> [c.label for c in FeeCategory][:3]
['人员费用', '共用部位及设施设备运行维护费', '清洁卫生费']
>>> plan = FeeUsage(
...     budget={FeeCategory.CLEANING: Money("1000.00")},
...     actual={FeeCategory.CLEANING: Money("1100.00")},
... )
>>> plan.variance(FeeCategory.CLEANING)
Money('100.00', 'CNY')
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from types import MappingProxyType

import attrs

from propcrm.errors import CurrencyMismatch
from propcrm.money import (
    CNY,
    Money,
    as_money,
)

__all__ = ["FeeCategory", "FeeUsage", "FeeUsageRow"]


class FeeCategory(enum.Enum):
    """What the management fee pays for; the order is the brief's."""

    STAFF = "staff"
    COMMON_FACILITIES = "common_facilities"
    CLEANING = "cleaning"
    GREENING = "greening"
    SECURITY = "security"
    OFFICE = "office"
    DEPRECIATION = "depreciation"
    INSURANCE = "insurance"
    OTHER_APPROVED = "other_approved"

    @property
    def label(self) -> str:
        """The Chinese name used in published accounts."""
        return _LABELS[self]

    @property
    def description(self) -> str:
        """What the category covers, in the brief's words."""
        return _DESCRIPTIONS[self]


_LABELS = {
    FeeCategory.STAFF: "人员费用",
    FeeCategory.COMMON_FACILITIES: "共用部位及设施设备运行维护费",
    FeeCategory.CLEANING: "清洁卫生费",
    FeeCategory.GREENING: "绿化养护费",
    FeeCategory.SECURITY: "秩序维护费",
    FeeCategory.OFFICE: "办公费",
    FeeCategory.DEPRECIATION: "固定资产折旧",
    FeeCategory.INSURANCE: "共用部位及公众责任保险费",
    FeeCategory.OTHER_APPROVED: "经业主同意的其他费用",
}

_DESCRIPTIONS = {
    FeeCategory.STAFF: "staff wages, social insurance and welfare",
    FeeCategory.COMMON_FACILITIES: "running and maintaining common parts and facilities",
    FeeCategory.CLEANING: "cleaning",
    FeeCategory.GREENING: "greening",
    FeeCategory.SECURITY: "order and security",
    FeeCategory.OFFICE: "office costs",
    FeeCategory.DEPRECIATION: "depreciation of fixed assets",
    FeeCategory.INSURANCE: "insurance of common parts and public liability",
    FeeCategory.OTHER_APPROVED: "other costs approved by the owners",
}


def _amounts(value: Mapping[FeeCategory, object]) -> Mapping[FeeCategory, Money]:
    for key, amount in value.items():
        if not isinstance(key, FeeCategory):
            raise TypeError(f"expected FeeCategory → Money, got {key!r} → {amount!r}")
    return MappingProxyType({key: as_money(amount) for key, amount in value.items()})


@attrs.frozen
class FeeUsageRow:
    """One published row: budget, actual and actual minus budget for a category."""

    category: FeeCategory
    budget: Money
    actual: Money
    variance: Money


@attrs.frozen(eq=False)
class FeeUsage:
    """Budget and actual spend per category, in one currency; missing categories count as zero."""

    budget: Mapping[FeeCategory, Money] = attrs.field(converter=_amounts, factory=dict)
    actual: Mapping[FeeCategory, Money] = attrs.field(converter=_amounts, factory=dict)
    currency: str = CNY

    def __attrs_post_init__(self) -> None:
        for amount in (*self.budget.values(), *self.actual.values()):
            if amount.currency != self.currency:
                raise CurrencyMismatch(
                    f"fee usage is kept in {self.currency}, but an amount is in "
                    f"{amount.currency}; give every amount in {self.currency}."
                )

    def variance(self, category: FeeCategory) -> Money:
        """Actual minus budget for ``category`` (positive: overspent)."""
        zero = Money.zero(self.currency)
        return self.actual.get(category, zero) - self.budget.get(category, zero)

    def rows(self) -> Iterator[FeeUsageRow]:
        """All nine categories in the brief's order, ready to publish."""
        zero = Money.zero(self.currency)
        for category in FeeCategory:
            budget = self.budget.get(category, zero)
            actual = self.actual.get(category, zero)
            yield FeeUsageRow(category, budget, actual, actual - budget)
