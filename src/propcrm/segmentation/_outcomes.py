"""The outcome of a segment rule and its explanation: what a rule answers about one party.

:class:`Outcome` is three-valued (match, no match, insufficient history) and combines with
Kleene's strong logic; :class:`Explanation` is the outcome of a rule with the outcomes of its
parts and what the party's record showed, as data.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from propcrm.segmentation._rules import SegmentRule

__all__ = ["Explanation", "Outcome"]


class Outcome(enum.Enum):
    """The three-valued outcome of a rule; combine with ``&``, ``|``, ``~`` (Kleene logic).

    >>> Outcome.INSUFFICIENT_HISTORY & Outcome.NO_MATCH
    <Outcome.NO_MATCH: 'no match'>
    >>> Outcome.INSUFFICIENT_HISTORY | Outcome.MATCH
    <Outcome.MATCH: 'match'>
    >>> ~Outcome.INSUFFICIENT_HISTORY
    <Outcome.INSUFFICIENT_HISTORY: 'insufficient history'>
    """

    MATCH = "match"
    NO_MATCH = "no match"
    INSUFFICIENT_HISTORY = "insufficient history"

    @classmethod
    def of(cls, value: bool | None) -> Outcome:
        """``True`` is MATCH, ``False`` NO_MATCH, ``None`` (unknown) INSUFFICIENT_HISTORY."""
        if value is None:
            return cls.INSUFFICIENT_HISTORY
        return cls.MATCH if value else cls.NO_MATCH

    def as_bool(self) -> bool | None:
        """The outcome as a nullable boolean, as the batch path stores it."""
        if self is Outcome.INSUFFICIENT_HISTORY:
            return None
        return self is Outcome.MATCH

    @property
    def mark(self) -> str:
        """One character for rendered explanations: ✓, ✗ or ?."""
        return _MARKS[self]

    def __and__(self, other: Outcome) -> Outcome:
        if not isinstance(other, Outcome):
            return NotImplemented
        if Outcome.NO_MATCH in (self, other):
            return Outcome.NO_MATCH
        if Outcome.INSUFFICIENT_HISTORY in (self, other):
            return Outcome.INSUFFICIENT_HISTORY
        return Outcome.MATCH

    def __or__(self, other: Outcome) -> Outcome:
        if not isinstance(other, Outcome):
            return NotImplemented
        if Outcome.MATCH in (self, other):
            return Outcome.MATCH
        if Outcome.INSUFFICIENT_HISTORY in (self, other):
            return Outcome.INSUFFICIENT_HISTORY
        return Outcome.NO_MATCH

    def __invert__(self) -> Outcome:
        if self is Outcome.MATCH:
            return Outcome.NO_MATCH
        if self is Outcome.NO_MATCH:
            return Outcome.MATCH
        return self


_MARKS = {Outcome.MATCH: "✓", Outcome.NO_MATCH: "✗", Outcome.INSUFFICIENT_HISTORY: "?"}


@attrs.frozen
class Explanation:
    """The outcome of a rule on one party, with the outcomes of its parts, as data.

    Attributes:
        rule: the rule evaluated.
        outcome: its outcome.
        value: what the party's record showed for a leaf rule (an int, a Fraction, Money, a
            date, a set …), ``None`` for connectives and when the record had nothing.
        observed: the same in words.
        children: the explanations of a connective's parts, in order.
    """

    rule: SegmentRule
    outcome: Outcome
    value: object = None
    observed: str = ""
    children: tuple[Explanation, ...] = ()

    def leaves(self) -> Iterator[Explanation]:
        """The explanations of the leaf rules, depth first."""
        if not self.children:
            yield self
        for child in self.children:
            yield from child.leaves()

    def matched(self) -> tuple[Explanation, ...]:
        """The leaf rules that matched."""
        return tuple(leaf for leaf in self.leaves() if leaf.outcome is Outcome.MATCH)

    def render(self, indent: str = "  ") -> str:
        """The explanation as an indented tree: ✓ match, ✗ no match, ? insufficient history."""
        return "\n".join(self._lines(indent, 0))

    def _lines(self, indent: str, depth: int) -> Iterator[str]:
        text = self.rule.describe()
        if self.observed:
            text = f"{text}: {self.observed}"
        yield f"{indent * depth}{self.outcome.mark} {text}"
        for child in self.children:
            yield from child._lines(indent, depth + 1)
