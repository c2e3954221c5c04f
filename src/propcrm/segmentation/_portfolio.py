"""A whole portfolio evaluated party by party, with every explanation kept (pure Python)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs
import pendulum

from propcrm._validators import check_instance, check_items, check_text, check_unique
from propcrm.analytics import (
    DEFAULT_BEHAVIOUR_POLICY,
    BehaviourPolicy,
    RfmScore,
    rfm_input,
    rfm_scores,
)
from propcrm.errors import DuplicateParty, InvalidSegmentRule
from propcrm.money import CNY
from propcrm.segmentation._outcomes import Explanation, Outcome
from propcrm.segmentation._rules import SegmentRule
from propcrm.segmentation._subjects import PartyFacts, SegmentSubject
from propcrm.time import as_date

__all__ = ["PortfolioEvaluation", "check_rule_names", "evaluate_portfolio"]


@attrs.frozen(eq=False)
class PortfolioEvaluation:
    """Rules evaluated party by party over a portfolio on one date (read-only mappings).

    Attributes:
        as_of: the date.
        rule_names: the rules' names, in the order given.
        rfm: RFM scores of the existing customers.
        explanations: party id → rule name → explanation.
    """

    as_of: pendulum.Date
    rule_names: tuple[str, ...]
    rfm: Mapping[str, RfmScore]
    explanations: Mapping[str, Mapping[str, Explanation]]

    def outcomes(self, rule_name: str) -> dict[str, Outcome]:
        """Party id → outcome of one rule."""
        self._check_name(rule_name)
        return {party: results[rule_name].outcome for party, results in self.explanations.items()}

    def _check_name(self, rule_name: object) -> None:
        if rule_name not in self.rule_names:
            raise InvalidSegmentRule(
                f"no rule {rule_name!r} was evaluated; the rules are {list(self.rule_names)}.",
                field="rule_name",
                value=rule_name,
                allowed=", ".join(self.rule_names),
            )

    def members(self, rule_name: str) -> tuple[str, ...]:
        """Ids of the parties the rule matched, sorted."""
        return tuple(
            sorted(
                party
                for party, outcome in self.outcomes(rule_name).items()
                if outcome is Outcome.MATCH
            )
        )


def check_rule_names(rules: Mapping[str, SegmentRule]) -> None:
    """Refuse empty names and values that are not rules."""
    check_instance(rules, "rules", Mapping)
    for name, rule in rules.items():
        check_text(name, "rules", InvalidSegmentRule, example="'chronic-late-payer'")
        if not isinstance(rule, SegmentRule):
            raise InvalidSegmentRule(
                f"rule {name!r} is a {type(rule).__name__}, not a rule.",
                field="rules",
                value=rule,
                allowed="a SegmentRule for each name",
                rule=name,
            )


def evaluate_portfolio(
    rules: Mapping[str, SegmentRule],
    subjects: Iterable[SegmentSubject],
    as_of: pendulum.Date,
    *,
    policy: BehaviourPolicy = DEFAULT_BEHAVIOUR_POLICY,
    currency: str = CNY,
) -> PortfolioEvaluation:
    """Evaluate named rules on every party of a portfolio, with explanations (pure Python).

    RFM scores are computed over the portfolio's existing customers first, so quantile rules
    see the same ranks as the batch path.

    >>> from propcrm.segmentation import PropertyRight, PropertyRightIs
    >>> party = SegmentSubject("P-1", property_rights={PropertyRight.OWNER})
    >>> result = evaluate_portfolio(
    ...     {"owners": PropertyRightIs(PropertyRight.OWNER)}, [party], pendulum.date(2026, 12, 31)
    ... )
    >>> result.members("owners")
    ('P-1',)
    """
    day = as_date(as_of, "as_of")
    check_rule_names(rules)
    parties: tuple[SegmentSubject, ...] = check_items(subjects, "subjects", SegmentSubject)
    check_instance(policy, "policy", BehaviourPolicy)
    check_unique(
        (subject.party_id for subject in parties), "subjects", DuplicateParty, what="party id"
    )
    inputs = [
        item
        for subject in parties
        if (
            item := rfm_input(
                subject.party_id,
                subject.payments,
                subject.purchases,
                day,
                policy=policy,
                currency=currency,
            )
        )
        is not None
    ]
    scores = rfm_scores(inputs, policy=policy)
    explanations: dict[str, Mapping[str, Explanation]] = {}
    for subject in parties:
        facts = PartyFacts.of(subject, day, policy=policy, currency=currency, rfm=scores)
        explanations[subject.party_id] = {
            name: rule.evaluate(facts) for name, rule in rules.items()
        }
    return PortfolioEvaluation(day, tuple(rules), scores, explanations)
