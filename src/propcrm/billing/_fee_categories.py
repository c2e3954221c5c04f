"""The nine categories the management fee pays for (domain brief §2).

Owners expect the budget and the actual spend of each to be published (transparency).

>>> [c.label() for c in FeeCategory][:3]
['人员费用', '共用部位及设施设备运行维护费', '清洁卫生费']
>>> FeeCategory.CLEANING.label("en_US")
'cleaning'
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

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm.errors import CurrencyMismatch, InvalidType
from propcrm.money import (
    CNY,
    Money,
    as_money,
    check_currency,
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

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The name used in published accounts, e.g. ``'清洁卫生费'`` (zh_CN) or ``'cleaning'``."""
        # One literal per member, so that extraction finds every message.
        match self:
            case FeeCategory.STAFF:
                return pgettext("fee category", "staff costs", locale=locale)
            case FeeCategory.COMMON_FACILITIES:
                return pgettext(
                    "fee category", "upkeep of common parts and facilities", locale=locale
                )
            case FeeCategory.CLEANING:
                return pgettext("fee category", "cleaning", locale=locale)
            case FeeCategory.GREENING:
                return pgettext("fee category", "greening upkeep", locale=locale)
            case FeeCategory.SECURITY:
                return pgettext("fee category", "order maintenance", locale=locale)
            case FeeCategory.OFFICE:
                return pgettext("fee category", "office costs", locale=locale)
            case FeeCategory.DEPRECIATION:
                return pgettext("fee category", "depreciation of fixed assets", locale=locale)
            case FeeCategory.INSURANCE:
                return pgettext(
                    "fee category", "insurance of common parts and public liability", locale=locale
                )
            case FeeCategory.OTHER_APPROVED:
                return pgettext("fee category", "other costs approved by the owners", locale=locale)

    def description(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """What the category covers, as the fee rules word it (物业服务收费管理办法 art. 11)."""
        match self:
            case FeeCategory.STAFF:
                return pgettext(
                    "fee category covers",
                    "staff wages, social insurance and welfare",
                    locale=locale,
                )
            case FeeCategory.COMMON_FACILITIES:
                return pgettext(
                    "fee category covers",
                    "running and maintaining common parts and facilities",
                    locale=locale,
                )
            case FeeCategory.CLEANING:
                return pgettext("fee category covers", "cleaning", locale=locale)
            case FeeCategory.GREENING:
                return pgettext("fee category covers", "greening", locale=locale)
            case FeeCategory.SECURITY:
                return pgettext("fee category covers", "order and security", locale=locale)
            case FeeCategory.OFFICE:
                return pgettext("fee category covers", "office costs", locale=locale)
            case FeeCategory.DEPRECIATION:
                return pgettext(
                    "fee category covers", "depreciation of fixed assets", locale=locale
                )
            case FeeCategory.INSURANCE:
                return pgettext(
                    "fee category covers",
                    "insurance of common parts and public liability",
                    locale=locale,
                )
            case FeeCategory.OTHER_APPROVED:
                return pgettext(
                    "fee category covers", "other costs approved by the owners", locale=locale
                )


def _amounts(value: Mapping[FeeCategory, object]) -> Mapping[FeeCategory, Money]:
    if not isinstance(value, Mapping):
        raise InvalidType(
            f"expected a mapping of FeeCategory → Money, got {type(value).__name__} {value!r}",
            field="amounts",
            value=value,
            allowed="a mapping of FeeCategory to Money",
        )
    for key, amount in value.items():
        if not isinstance(key, FeeCategory):
            raise InvalidType(
                f"expected FeeCategory → Money, got {key!r} → {amount!r}",
                field="category",
                value=key,
                allowed="FeeCategory",
            )
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
    currency: str = attrs.field(default=CNY, validator=lambda _i, _a, v: check_currency(v))

    def __attrs_post_init__(self) -> None:
        for amount in (*self.budget.values(), *self.actual.values()):
            if amount.currency != self.currency:
                raise CurrencyMismatch(
                    f"fee usage is kept in {self.currency}, but an amount is in "
                    f"{amount.currency}; give every amount in {self.currency}.",
                    field="currency",
                    value=amount.currency,
                    allowed=self.currency,
                )

    def variance(self, category: FeeCategory) -> Money:
        """Actual minus budget for ``category`` (positive: overspent)."""
        if not isinstance(category, FeeCategory):
            raise InvalidType(
                f"category {category!r} is not a FeeCategory.",
                field="category",
                value=category,
                allowed="FeeCategory",
            )
        zero = Money.zero(self.currency)
        return self.actual.get(category, zero) - self.budget.get(category, zero)

    def rows(self) -> Iterator[FeeUsageRow]:
        """All nine categories in the brief's order, ready to publish."""
        zero = Money.zero(self.currency)
        for category in FeeCategory:
            budget = self.budget.get(category, zero)
            actual = self.actual.get(category, zero)
            yield FeeUsageRow(category, budget, actual, actual - budget)
