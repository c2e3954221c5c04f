"""Rules by value: special-service spend and purchases, and RFM scores.

Spend is discretionary (特约服务, §3) and kept apart from fees; all three answer insufficient
history for a party that is not yet an existing customer (§5).
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, pgettext
from propcrm._validators import instance_of
from propcrm.analytics import RfmComponent
from propcrm.errors import RfmNotComputed
from propcrm.money import Money
from propcrm.segmentation import _later as later
from propcrm.segmentation._checks import (
    bounds_text,
    check_bounds,
    int_bound,
    money_at_least,
    money_at_most,
    money_bound,
    same_currency_bound,
    within,
)
from propcrm.segmentation._outcomes import Observation, Outcome
from propcrm.segmentation._rules import LeafRule, RuleFamily, insufficient
from propcrm.segmentation._subjects import PartyFacts, said

__all__ = ["RfmScoreBetween", "ServicePurchases", "ServiceSpend"]


def _not_customer() -> tuple[Outcome, object, Observation]:
    return insufficient(later.gettext("insufficient history: not an existing customer on the date"))


@attrs.frozen
class ServiceSpend(LeafRule):
    """Special-service spend in the window within the bounds (by value; discretionary)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.VALUE
    at_least: Money | None = attrs.field(
        default=None,
        converter=money_at_least,
        validator=money_bound("special-service spend"),
        kw_only=True,
    )
    at_most: Money | None = attrs.field(
        default=None,
        converter=money_at_most,
        validator=money_bound("special-service spend"),
        kw_only=True,
    )

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """The spend in the window."""
        same_currency_bound(facts, self.at_least)
        same_currency_bound(facts, self.at_most)
        if not facts.existing_customer:
            return _not_customer()
        spend = facts.spend.spend
        return (
            Outcome.of(within(spend, self.at_least, self.at_most)),
            spend,
            later.ngettext(
                "spent %(amount)s on %(num)d purchase",
                "spent %(amount)s on %(num)d purchases",
                facts.spend.purchases,
                amount=spend,
            ),
        )

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The band, e.g. ``'特约服务消费 ≥ ¥500.00'`` (zh_CN)."""
        name = check_locale(locale)
        measure = pgettext("segment measure", "special-service spend", locale=name)
        return bounds_text(measure, self.at_least, self.at_most, name)


@attrs.frozen
class ServicePurchases(LeafRule):
    """Number of special-service purchases in the window within the bounds (by value)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.VALUE
    at_least: int | None = attrs.field(default=None, validator=int_bound("purchases"), kw_only=True)
    at_most: int | None = attrs.field(default=None, validator=int_bound("purchases"), kw_only=True)

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """The purchases in the window."""
        if not facts.existing_customer:
            return _not_customer()
        count = facts.spend.purchases
        observed = later.ngettext("%(num)d purchase", "%(num)d purchases", count)
        return Outcome.of(within(count, self.at_least, self.at_most)), count, observed

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The band, e.g. ``'特约服务次数 ≥ 2'`` (zh_CN)."""
        name = check_locale(locale)
        measure = pgettext("segment measure", "special-service purchases", locale=name)
        return bounds_text(measure, self.at_least, self.at_most, name)


@attrs.frozen
class RfmScoreBetween(LeafRule):
    """An RFM component's score (or the total of the three) within the bounds (by value)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.VALUE
    component: RfmComponent = attrs.field(validator=instance_of(RfmComponent))
    at_least: int | None = attrs.field(
        default=None, validator=int_bound("RFM score", minimum=1), kw_only=True
    )
    at_most: int | None = attrs.field(
        default=None, validator=int_bound("RFM score", minimum=1), kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """The party's score."""
        if not facts.rfm_computed:
            raise RfmNotComputed(
                "quantile RFM scores are relative to a portfolio; pass rfm=rfm_scores(...) to "
                "PartyFacts.of, or use evaluate_portfolio.",
                party_id=facts.subject.party_id,
                as_of=facts.as_of,
            )
        if facts.rfm is None:
            return _not_customer()
        score = facts.rfm.component(self.component)
        observed = later.gettext(
            "%(component)s score %(score)d", component=said(self.component), score=score
        )
        return Outcome.of(within(score, self.at_least, self.at_most)), score, observed

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The score band, e.g. ``'RFM消费金额得分 ≥ 4'`` (zh_CN)."""
        name = check_locale(locale)
        measure = gettext(
            "RFM %(component)s score", locale=name, component=self.component.label(name)
        )
        return bounds_text(measure, self.at_least, self.at_most, name)
