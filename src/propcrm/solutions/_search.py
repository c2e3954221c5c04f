"""Ranked search of the solution base (BM25), and suggestions for a request at intake.

Ranking is Okapi BM25 with Lucene's always-positive idf, written here in a few lines rather than
taken from a library: rank-bm25 has had no release since 2022, bm25s is well kept but brings
numpy and scipy and answers with scores only, while a suggestion here must say *why* it matched
(which terms, in which fields, with what weight) and the core must run without extras. For a
base of a few thousand entries an inverted index in dicts answers well within the 20 ms the
issue asks of a search.

For a query term *t* and an entry *d* of length ``|d|`` terms (the average being ``avgdl``)::

    idf(t)   = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))
    score(d) = Σ idf(t) · tf(t, d) · (k1 + 1) / (tf(t, d) + k1 · (1 − b + b · |d| / avgdl))

Terms of the problem (and the entry's keywords) count ``problem_weight`` times, since the problem
is what a new request describes; an entry of the request's category has its score multiplied by
``1 + category_boost``. Only entries sharing at least one term with the query are returned: a
category alone is no match.

See :mod:`propcrm.solutions` for an example.
"""

from __future__ import annotations

import enum
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._property_types import PropertyType
from propcrm._validators import check_instance, check_int, check_items, check_text
from propcrm.classification import Category
from propcrm.complaints import Intake
from propcrm.errors import InvalidPolicy, InvalidSolution
from propcrm.money import to_decimal
from propcrm.solutions._entries import SolutionBase, SolutionEntry
from propcrm.solutions._segmenters import Segmenter, default_segmenter

__all__ = [
    "DEFAULT_SEARCH_POLICY",
    "MatchField",
    "SearchPolicy",
    "SolutionIndex",
    "SolutionMatch",
    "TermMatch",
    "suggest",
]


class MatchField(enum.Enum):
    """The fields of an entry a term can be found in, as a reason reports them."""

    PROBLEM = "problem"
    CAUSE = "cause"
    FIX = "fix"
    PARTS = "parts"
    KEYWORDS = "keywords"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The field's name for people: ``'问题'`` or ``'problem'``."""
        match self:
            case MatchField.PROBLEM:
                return pgettext("solution field", "problem", locale=locale)
            case MatchField.CAUSE:
                return pgettext("solution field", "cause", locale=locale)
            case MatchField.FIX:
                return pgettext("solution field", "fix", locale=locale)
            case MatchField.PARTS:
                return pgettext("solution field", "parts", locale=locale)
            case MatchField.KEYWORDS:
                return pgettext("solution field", "keywords", locale=locale)


def _decimal_in(low: str, high: str) -> Any:
    def convert(value: object) -> Decimal:
        number = to_decimal(value) if not isinstance(value, Decimal) else value
        if not number.is_finite() or not Decimal(low) <= number <= Decimal(high):
            raise InvalidPolicy(
                f"search policy value {value!r} must be a decimal from {low} to {high}.",
                field="policy",
                value=value,
                allowed=f"{low} to {high}",
            )
        return number

    return convert


def _k1(value: object) -> Decimal:
    try:
        converted: Decimal = _decimal_in("0", "10")(value)
    except InvalidPolicy as error:
        error.field = "k1"
        raise
    return converted


def _b(value: object) -> Decimal:
    try:
        converted: Decimal = _decimal_in("0", "1")(value)
    except InvalidPolicy as error:
        error.field = "b"
        raise
    return converted


def _boost(value: object) -> Decimal:
    try:
        converted: Decimal = _decimal_in("0", "100")(value)
    except InvalidPolicy as error:
        error.field = "category_boost"
        raise
    return converted


def _min_score(value: object) -> Decimal:
    try:
        converted: Decimal = _decimal_in("0", "1000")(value)
    except InvalidPolicy as error:
        error.field = "min_score"
        raise
    return converted


def _weight(_instance: object, _attribute: object, value: object) -> None:
    check_int(value, "problem_weight", InvalidPolicy, minimum=1, maximum=10)


@attrs.frozen
class SearchPolicy:
    """BM25's ``k1`` and ``b`` (Robertson's usual 1.2 and 0.75), and propcrm's two weights.

    ``problem_weight``: how many times a term of the problem or keywords counts (2);
    ``category_boost``: an entry of the query's category scores ``1 + boost`` times (0.5);
    ``min_score``: matches scoring below it are left out (0: any shared term).
    """

    k1: Decimal = attrs.field(default=Decimal("1.2"), converter=_k1)
    b: Decimal = attrs.field(default=Decimal("0.75"), converter=_b)
    problem_weight: int = attrs.field(default=2, validator=_weight)
    category_boost: Decimal = attrs.field(default=Decimal("0.5"), converter=_boost)
    min_score: Decimal = attrs.field(default=Decimal(0), converter=_min_score)


DEFAULT_SEARCH_POLICY = SearchPolicy()
"""k1 1.2, b 0.75, the problem counted twice, the same category worth half as much again."""


@attrs.frozen
class TermMatch:
    """One query term found in an entry: its share of the score and the fields it is in."""

    term: str
    score: float
    fields: tuple[MatchField, ...]


@attrs.frozen
class SolutionMatch:
    """An entry that matched a query, its score, and the reason as data."""

    entry: SolutionEntry
    score: float
    terms: tuple[TermMatch, ...]
    same_category: bool
    same_unit_type: bool

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """Why it matched: the terms, the fields they were found in, the category."""
        separator = pgettext("list separator", ", ", locale=locale)
        terms = separator.join(
            gettext(
                "“%(term)s” (%(fields)s)",
                locale=locale,
                term=t.term,
                fields=separator.join(f.label(locale) for f in t.fields),
            )
            for t in self.terms
        )
        text = gettext(
            "%(key)s (score %(score).2f): matched %(terms)s",
            locale=locale,
            key=self.entry.key,
            score=self.score,
            terms=terms,
        )
        if self.same_category:
            text += gettext("; same category", locale=locale)
        if self.same_unit_type:
            text += gettext("; same unit type", locale=locale)
        return text


def _entries(value: object) -> tuple[SolutionEntry, ...]:
    if isinstance(value, SolutionBase):
        return value.in_service()
    entries: tuple[SolutionEntry, ...] = check_items(value, "entries", SolutionEntry)
    return entries


@attrs.frozen(eq=False)
class SolutionIndex:
    """An inverted index of entries, for BM25 search; build it with :meth:`build`.

    It indexes what it is given: from a :class:`SolutionBase`, the entries in service.
    """

    entries: tuple[SolutionEntry, ...]
    segmenter: Segmenter
    policy: SearchPolicy
    _postings: Mapping[str, tuple[tuple[int, int], ...]] = attrs.field(repr=False)
    _fields: tuple[Mapping[str, tuple[MatchField, ...]], ...] = attrs.field(repr=False)
    _lengths: tuple[int, ...] = attrs.field(repr=False)

    @classmethod
    def build(
        cls,
        entries: SolutionBase | Iterable[SolutionEntry],
        *,
        segmenter: Segmenter | None = None,
        policy: SearchPolicy = DEFAULT_SEARCH_POLICY,
    ) -> SolutionIndex:
        """Index ``entries`` (a base's entries in service, or the entries given)."""
        found = _entries(entries)
        check_instance(policy, "policy", SearchPolicy)
        chosen = default_segmenter() if segmenter is None else segmenter
        if not isinstance(chosen, Segmenter):
            raise InvalidSolution(
                f"segmenter must have a name and terms(text), got {chosen!r}.",
                field="segmenter",
                value=chosen,
                allowed="a Segmenter (BigramSegmenter, JiebaSegmenter)",
            )
        postings: dict[str, list[tuple[int, int]]] = {}
        fields: list[Mapping[str, tuple[MatchField, ...]]] = []
        lengths: list[int] = []
        for number, entry in enumerate(found):
            counts: Counter[str] = Counter()
            where: dict[str, list[MatchField]] = {}
            for name, text in _field_texts(entry):
                weight = policy.problem_weight if name in _WEIGHTED else 1
                for term in chosen.terms(text):
                    counts[term] += weight
                    if name not in where.setdefault(term, []):
                        where[term].append(name)
            for term, tf in counts.items():
                postings.setdefault(term, []).append((number, tf))
            fields.append({t: tuple(f) for t, f in where.items()})
            lengths.append(sum(counts.values()))
        return cls(
            found,
            chosen,
            policy,
            {t: tuple(p) for t, p in postings.items()},
            tuple(fields),
            tuple(lengths),
        )

    def search(
        self,
        query: str,
        *,
        category: Category | None = None,
        unit_type: PropertyType | None = None,
        limit: int = 5,
    ) -> tuple[SolutionMatch, ...]:
        """The best ``limit`` entries for ``query``, best first, each with its reason.

        Ties are broken by entry id, so equal scores come out in a stable order.
        """
        check_text(query, "query", InvalidSolution, max_length=2000)
        if category is not None:
            check_instance(category, "category", Category)
        if unit_type is not None:
            check_instance(unit_type, "unit_type", PropertyType)
        check_int(limit, "limit", InvalidSolution, minimum=1, maximum=100)
        k1, b = float(self.policy.k1), float(self.policy.b)
        total = len(self.entries)
        average = (sum(self._lengths) / total) if total else 0.0
        scores: dict[int, float] = {}
        shares: dict[int, list[tuple[str, float]]] = {}
        for term in dict.fromkeys(self.segmenter.terms(query)):
            posting = self._postings.get(term)
            if not posting:
                continue
            idf = math.log(1 + (total - len(posting) + 0.5) / (len(posting) + 0.5))
            for number, tf in posting:
                norm = 1 - b + b * self._lengths[number] / average
                share = idf * tf * (k1 + 1) / (tf + k1 * norm)
                scores[number] = scores.get(number, 0.0) + share
                shares.setdefault(number, []).append((term, share))
        boost = 1 + float(self.policy.category_boost)
        ranked = []
        for number, score in scores.items():
            entry = self.entries[number]
            same = category is not None and entry.category is category
            factor = boost if same else 1.0
            ranked.append((score * factor, number, same))
        ranked.sort(key=lambda r: (-r[0], self.entries[r[1]].entry_id))
        matches = []
        for score, number, same in ranked:
            if score < float(self.policy.min_score):
                continue
            entry = self.entries[number]
            factor = boost if same else 1.0
            terms = tuple(
                TermMatch(term, round(share * factor, 4), self._fields[number][term])
                for term, share in shares[number]
            )
            matches.append(
                SolutionMatch(
                    entry,
                    round(score, 4),
                    terms,
                    same,
                    unit_type is not None and entry.unit_type is unit_type,
                )
            )
            if len(matches) == limit:
                break
        return tuple(matches)


_WEIGHTED = frozenset({MatchField.PROBLEM, MatchField.KEYWORDS})


def _field_texts(entry: SolutionEntry) -> list[tuple[MatchField, str]]:
    texts = [
        (MatchField.PROBLEM, entry.problem),
        (MatchField.CAUSE, entry.cause),
        (MatchField.FIX, entry.fix),
    ]
    texts += [(MatchField.PARTS, part) for part in entry.parts]
    texts += [(MatchField.KEYWORDS, word) for word in entry.keywords]
    return texts


def suggest(
    intake: Intake,
    index: SolutionIndex,
    *,
    limit: int = 3,
    unit_type: PropertyType | None = None,
) -> tuple[SolutionMatch, ...]:
    """The entries to show the desk for a request at intake: its text, ranked, its category first.

    The query is the intake's description and the remedy sought; an intake with neither
    gets no suggestions.
    """
    check_instance(intake, "intake", Intake)
    check_instance(index, "index", SolutionIndex)
    text = " ".join(t for t in (intake.description, intake.remedy_sought) if t.strip())
    if not text:
        check_int(limit, "limit", InvalidSolution, minimum=1, maximum=100)
        return ()
    return index.search(text, category=intake.category, unit_type=unit_type, limit=limit)
