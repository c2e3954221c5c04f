"""The outcome of a segment rule and its explanation: what a rule answers about one party.

:class:`Outcome` is three-valued (match, no match, insufficient history) and combines with
Kleene's strong logic; :class:`Explanation` is the outcome of a rule with the outcomes of its
parts and what the party's record showed, as data.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeAlias

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, pgettext

if TYPE_CHECKING:
    from propcrm.segmentation._rules import SegmentRule

__all__ = ["Explanation", "Observation", "Outcome"]

Observation: TypeAlias = Callable[[str], str]
"""What a leaf rule saw, in words: called with a checked locale name (``'zh_CN'``), it gives the
text in that locale. The leaf rules give catalog messages (``propcrm.segmentation._later``); a
rule of your own may give any such callable."""


class Outcome(enum.Enum):
    """The three-valued outcome of a rule; combine with ``&``, ``|``, ``~`` (Kleene logic).

    >>> Outcome.INSUFFICIENT_HISTORY & Outcome.NO_MATCH
    <Outcome.NO_MATCH: 'no_match'>
    >>> Outcome.INSUFFICIENT_HISTORY | Outcome.MATCH
    <Outcome.MATCH: 'match'>
    >>> ~Outcome.INSUFFICIENT_HISTORY
    <Outcome.INSUFFICIENT_HISTORY: 'insufficient_history'>
    """

    MATCH = "match"
    NO_MATCH = "no_match"
    INSUFFICIENT_HISTORY = "insufficient_history"

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

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The outcome in words: ``'符合'``, ``'不符合'``, ``'历史不足'`` (zh_CN)."""
        # One literal per member, so that extraction finds every message.
        match self:
            case Outcome.MATCH:
                return pgettext("segment outcome", "match", locale=locale)
            case Outcome.NO_MATCH:
                return pgettext("segment outcome", "no match", locale=locale)
            case Outcome.INSUFFICIENT_HISTORY:
                return pgettext("segment outcome", "insufficient history", locale=locale)

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
        observation: the same in words, written in a locale when read (:meth:`observed`);
            ``None`` for connectives.
        children: the explanations of a connective's parts, in order.
    """

    rule: SegmentRule
    outcome: Outcome
    value: object = None
    observation: Observation | None = None
    children: tuple[Explanation, ...] = ()

    def observed(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """What the party's record showed, in words; ``''`` for a connective."""
        name = check_locale(locale)
        return "" if self.observation is None else self.observation(name)

    def leaves(self) -> Iterator[Explanation]:
        """The explanations of the leaf rules, depth first."""
        if not self.children:
            yield self
        for child in self.children:
            yield from child.leaves()

    def matched(self) -> tuple[Explanation, ...]:
        """The leaf rules that matched."""
        return tuple(leaf for leaf in self.leaves() if leaf.outcome is Outcome.MATCH)

    def render(self, locale: LocaleLike = DEFAULT_LOCALE, *, indent: str = "  ") -> str:
        """The explanation as an indented tree: ✓ match, ✗ no match, ? insufficient history.

        ``indent`` is keyword-only, so that ``render("en_US")`` cannot indent by a locale name.
        """
        return "\n".join(self._lines(check_locale(locale), indent, 0))

    def _lines(self, locale: str, indent: str, depth: int) -> Iterator[str]:
        text = self.rule.describe(locale)
        observed = self.observed(locale)
        if observed:
            text = gettext("%(rule)s: %(observed)s", locale=locale, rule=text, observed=observed)
        yield f"{indent * depth}{self.outcome.mark} {text}"
        for child in self.children:
            yield from child._lines(locale, indent, depth + 1)
