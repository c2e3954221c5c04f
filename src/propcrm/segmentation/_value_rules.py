"""Rules by value: special-service spend and purchases, and RFM scores.

Spend is discretionary (特约服务, §3) and kept apart from fees; all three answer insufficient
history for a party that is not yet an existing customer (§5).
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from propcrm.analytics import RfmComponent
from propcrm.errors import RfmNotComputed
from propcrm.money import Money, as_optional_money
from propcrm.segmentation._checks import (
    bounds_text,
    check_bounds,
    int_bound,
    money_bound,
    same_currency_bound,
    within,
)
from propcrm.segmentation._outcomes import Outcome
from propcrm.segmentation._rules import LeafRule, RuleFamily, insufficient
from propcrm.segmentation._subjects import PartyFacts

__all__ = ["RfmScoreBetween", "ServicePurchases", "ServiceSpend"]


def _not_customer() -> tuple[Outcome, object, str]:
    return insufficient("not an existing customer on the date")


@attrs.frozen
class ServiceSpend(LeafRule):
    """Special-service spend in the window within the bounds (by value; discretionary)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.VALUE
    at_least: Money | None = attrs.field(
        default=None,
        converter=as_optional_money,
        validator=money_bound("special-service spend"),
        kw_only=True,
    )
    at_most: Money | None = attrs.field(
        default=None,
        converter=as_optional_money,
        validator=money_bound("special-service spend"),
        kw_only=True,
    )

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The spend in the window."""
        same_currency_bound(facts, self.at_least)
        same_currency_bound(facts, self.at_most)
        if not facts.existing_customer:
            return _not_customer()
        spend = facts.spend.spend
        return (
            Outcome.of(within(spend, self.at_least, self.at_most)),
            spend,
            f"spent {spend} on {facts.spend.purchases} purchases",
        )

    def describe(self) -> str:
        """The band."""
        return bounds_text("special-service spend", self.at_least, self.at_most)


@attrs.frozen
class ServicePurchases(LeafRule):
    """Number of special-service purchases in the window within the bounds (by value)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.VALUE
    at_least: int | None = attrs.field(default=None, validator=int_bound("purchases"), kw_only=True)
    at_most: int | None = attrs.field(default=None, validator=int_bound("purchases"), kw_only=True)

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The purchases in the window."""
        if not facts.existing_customer:
            return _not_customer()
        count = facts.spend.purchases
        return Outcome.of(within(count, self.at_least, self.at_most)), count, f"{count} purchases"

    def describe(self) -> str:
        """The band."""
        return bounds_text("special-service purchases", self.at_least, self.at_most)


@attrs.frozen
class RfmScoreBetween(LeafRule):
    """An RFM component's score (or the total of the three) within the bounds (by value)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.VALUE
    component: RfmComponent = attrs.field(validator=attrs.validators.instance_of(RfmComponent))
    at_least: int | None = attrs.field(
        default=None, validator=int_bound("RFM score", minimum=1), kw_only=True
    )
    at_most: int | None = attrs.field(
        default=None, validator=int_bound("RFM score", minimum=1), kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The party's score."""
        if not facts.rfm_computed:
            raise RfmNotComputed(
                "quantile RFM scores are relative to a portfolio; pass rfm=rfm_scores(...) to "
                "PartyFacts.of, or use evaluate_portfolio."
            )
        if facts.rfm is None:
            return _not_customer()
        score = facts.rfm.component(self.component)
        name = self.component.value
        return Outcome.of(within(score, self.at_least, self.at_most)), score, f"{name} {score}"

    def describe(self) -> str:
        """The score band."""
        return bounds_text(f"RFM {self.component.value}", self.at_least, self.at_most)
