"""The rule base: :class:`SegmentRule`, its families, and the connectives ``&``, ``|``, ``~``.

A rule is a typed predicate over :class:`~propcrm.segmentation.PartyFacts`, never a string
evaluated as code. :class:`AllRules`, :class:`AnyRule` and :class:`NotRule` join rules with
Kleene's strong logic (see :class:`~propcrm.segmentation.Outcome`); :class:`LeafRule` is the
base of the leaf rules, which live in one module per family.
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm.errors import InvalidSegmentRule
from propcrm.segmentation._later import Later
from propcrm.segmentation._outcomes import Explanation, Observation, Outcome

if TYPE_CHECKING:
    from propcrm.segmentation._subjects import PartyFacts

__all__ = [
    "AllRules",
    "AnyRule",
    "LeafRule",
    "NotRule",
    "RuleFamily",
    "SegmentRule",
    "insufficient",
]


class RuleFamily(enum.Enum):
    """Which family or scheme a rule belongs to (§5 and the property-specific schemes)."""

    EXTERNAL = "external"
    INTERNAL = "internal"
    BEHAVIOURAL = "behavioural"
    PROPERTY_RIGHT = "property_right"
    VALUE = "value"
    ASKS = "asks"
    LIFECYCLE = "lifecycle"


class SegmentRule(abc.ABC):
    """A typed predicate over :class:`PartyFacts`; compose with ``&``, ``|`` and ``~``."""

    __slots__ = ()

    family: ClassVar[RuleFamily | None] = None
    """The family of a leaf rule; ``None`` for connectives."""

    @abc.abstractmethod
    def evaluate(self, facts: PartyFacts) -> Explanation:
        """The outcome on one party, explained."""

    @abc.abstractmethod
    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The rule in a few words, in ``locale``."""

    def children(self) -> tuple[SegmentRule, ...]:
        """The parts of a connective; a leaf has none."""
        return ()

    def __and__(self, other: object) -> SegmentRule:
        if not isinstance(other, SegmentRule):
            return NotImplemented
        return AllRules(_flatten(AllRules, (self, other)))

    def __or__(self, other: object) -> SegmentRule:
        if not isinstance(other, SegmentRule):
            return NotImplemented
        return AnyRule(_flatten(AnyRule, (self, other)))

    def __invert__(self) -> SegmentRule:
        return NotRule(self)


def _flatten(
    kind: type[AllRules | AnyRule], rules: Iterable[SegmentRule]
) -> tuple[SegmentRule, ...]:
    result: list[SegmentRule] = []
    for rule in rules:
        if type(rule) is kind:
            result.extend(rule.children())
        else:
            result.append(rule)
    return tuple(result)


def _rules(value: object) -> tuple[SegmentRule, ...]:
    allowed = "a collection of at least one SegmentRule"
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidSegmentRule(
            f"{value!r} must be an iterable of segment rules.",
            field="rules",
            value=value,
            allowed=allowed,
        )
    result = tuple(value)
    if not result:
        raise InvalidSegmentRule(
            "a connective needs at least one rule.", field="rules", value=value, allowed=allowed
        )
    for rule in result:
        if not isinstance(rule, SegmentRule):
            raise InvalidSegmentRule(
                f"{rule!r} is not a SegmentRule.", field="rules", value=rule, allowed=allowed
            )
    return result


@attrs.frozen
class AllRules(SegmentRule):
    """Matches when every rule matches (Kleene *and*: one NO_MATCH decides)."""

    rules: tuple[SegmentRule, ...] = attrs.field(converter=_rules)

    def children(self) -> tuple[SegmentRule, ...]:
        """The rules joined."""
        return self.rules

    def evaluate(self, facts: PartyFacts) -> Explanation:
        """All parts are evaluated, so the explanation is complete."""
        parts = tuple(rule.evaluate(facts) for rule in self.rules)
        outcome = Outcome.MATCH
        for part in parts:
            outcome &= part.outcome
        return Explanation(self, outcome, children=parts)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``all of`` (en_US)."""
        return pgettext("segment connective", "all of", locale=locale)


@attrs.frozen
class AnyRule(SegmentRule):
    """Matches when any rule matches (Kleene *or*: one MATCH decides)."""

    rules: tuple[SegmentRule, ...] = attrs.field(converter=_rules)

    def children(self) -> tuple[SegmentRule, ...]:
        """The rules joined."""
        return self.rules

    def evaluate(self, facts: PartyFacts) -> Explanation:
        """All parts are evaluated, so the explanation is complete."""
        parts = tuple(rule.evaluate(facts) for rule in self.rules)
        outcome = Outcome.NO_MATCH
        for part in parts:
            outcome |= part.outcome
        return Explanation(self, outcome, children=parts)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``any of`` (en_US)."""
        return pgettext("segment connective", "any of", locale=locale)


def _rule(_i: object, _a: object, value: Any) -> None:
    if not isinstance(value, SegmentRule):
        raise InvalidSegmentRule(
            f"{value!r} is not a SegmentRule.", field="rule", value=value, allowed="a SegmentRule"
        )


@attrs.frozen
class NotRule(SegmentRule):
    """Matches when the rule does not (Kleene *not*: insufficient history stays so)."""

    rule: SegmentRule = attrs.field(validator=_rule)

    def children(self) -> tuple[SegmentRule, ...]:
        """The rule negated."""
        return (self.rule,)

    def evaluate(self, facts: PartyFacts) -> Explanation:
        """The negated outcome, with the inner explanation."""
        inner = self.rule.evaluate(facts)
        return Explanation(self, ~inner.outcome, children=(inner,))

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``not`` (en_US)."""
        return pgettext("segment connective", "not", locale=locale)


class LeafRule(SegmentRule):
    __slots__ = ()

    @abc.abstractmethod
    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """The outcome, the observed value and the observation in words (written later)."""

    def evaluate(self, facts: PartyFacts) -> Explanation:
        """The outcome on one party, with what its record showed."""
        outcome, value, observed = self.observe(facts)
        return Explanation(self, outcome, value, observed)


def insufficient(reason: Later) -> tuple[Outcome, object, Observation]:
    """Insufficient history, and why.

    ``reason`` is a whole message starting "insufficient history: …", so that each language
    words the whole of it.
    """
    return Outcome.INSUFFICIENT_HISTORY, None, reason
