"""Typed predicates over :class:`~propcrm.classification.RequestFacts`: the "when" of a rule.

A predicate is a frozen value, never a string evaluated as code. Each one evaluates to a
:class:`PredicateOutcome`: whether it holds, and the evidence, as data — which category the
request had, which keyword was found where, which requester attribute was present, the local
time of day.
Combinators (:class:`AllOf`, :class:`AnyOf`, :class:`Not`) keep their children's outcomes, so the
explanation of a match is a tree. ``&``, ``|`` and ``~`` build the same combinators.

>>> from propcrm.classification._request_facts import Category, Location, RequestFacts
>>> facts = RequestFacts(
...     category=Category.WATER_LEAK,
...     location=Location.IN_HOME,
...     description="Kitchen pipe is LEAKING, 厨房漏水",
...     received_at=pendulum.datetime(2026, 11, 24, 23, 30, tz="Asia/Shanghai"),
... )
>>> when = Keywords("漏水", "leaking") & LocationIn(Location.IN_HOME)
>>> outcome = when.evaluate(facts)
>>> outcome.holds, outcome.children[0].evidence
(True, KeywordEvidence(hits=(KeywordHit(keyword='漏水', start=27, end=29), \
KeywordHit(keyword='leaking', start=16, end=23))))
>>> TimeOfDay(datetime.time(22), datetime.time(6), zone="Asia/Shanghai").evaluate(facts).holds
True
>>> print((~CategoryIn(Category.NOISE)).describe("en_US"))
not (category is noise)

Keywords in English match whole words, case-insensitively ("Leak" matches "leak" but not
"leaking"; list the forms you mean). Chinese keywords match anywhere in the text. Both sides are
NFKC-normalised first, so full-width letters match too. Matching is literal: "没有漏水"
("no leak") still contains 漏水; staff correct such cases with an override.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, runtime_checkable

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._validators import check_instance, check_items
from propcrm.classification._request_facts import (
    Category,
    Location,
    RequesterAttribute,
    RequestFacts,
    normalize_text,
)
from propcrm.errors import InvalidRule
from propcrm.time import zone as _zone

__all__ = [
    "AllOf",
    "Always",
    "AnyOf",
    "CategoryEvidence",
    "CategoryIn",
    "Evidence",
    "KeywordEvidence",
    "KeywordHit",
    "Keywords",
    "LocationEvidence",
    "LocationIn",
    "Not",
    "Predicate",
    "PredicateOutcome",
    "RequesterEvidence",
    "RequesterHas",
    "TimeOfDay",
    "TimeOfDayEvidence",
]


# -- outcomes and evidence ------------------------------------------------------------------


@attrs.frozen
class CategoryEvidence:
    """The request's category, as :class:`CategoryIn` saw it."""

    category: Category


@attrs.frozen
class LocationEvidence:
    """The request's location, as :class:`LocationIn` saw it."""

    location: Location


@attrs.frozen
class KeywordHit:
    """One keyword found: its first occurrence as ``[start, end)`` in the normalised description.

    Positions index :attr:`RequestFacts.normalized_description` (NFKC, casefolded), which has the
    same length as the description for Chinese and ASCII text.
    """

    keyword: str
    start: int
    end: int


@attrs.frozen
class KeywordEvidence:
    """Every keyword of a :class:`Keywords` predicate that was found, in the predicate's order."""

    hits: tuple[KeywordHit, ...]


@attrs.frozen
class RequesterEvidence:
    """Which of the attributes a :class:`RequesterHas` asks about the requester has."""

    present: tuple[RequesterAttribute, ...]


@attrs.frozen
class TimeOfDayEvidence:
    """The local wall time of ``received_at`` in the predicate's zone."""

    local_time: datetime.time
    zone: str


Evidence = (
    CategoryEvidence | LocationEvidence | KeywordEvidence | RequesterEvidence | TimeOfDayEvidence
)
"""What a leaf predicate observed; combinators have children instead."""


@attrs.frozen
class PredicateOutcome:
    """The result of evaluating one predicate: whether it holds, with evidence or child outcomes."""

    predicate: Predicate
    holds: bool
    evidence: Evidence | None = None
    children: tuple[PredicateOutcome, ...] = ()


@runtime_checkable
class Predicate(Protocol):
    """Anything a rule can test a request with. The shipped kinds are the classes of this module."""

    def evaluate(self, facts: RequestFacts) -> PredicateOutcome:
        """Whether the predicate holds for ``facts``, with the evidence."""
        ...

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """A short human description, for rule tables and explanations."""
        ...


class _Combinable:
    """``&``, ``|``, ``~`` on predicates build :class:`AllOf`, :class:`AnyOf`, :class:`Not`."""

    __slots__ = ()

    def __and__(self, other: Predicate) -> AllOf:
        return AllOf(_as_predicate(self), other)

    def __or__(self, other: Predicate) -> AnyOf:
        return AnyOf(_as_predicate(self), other)

    def __invert__(self) -> Not:
        return Not(_as_predicate(self))


def _as_predicate(value: object) -> Predicate:
    if not isinstance(value, Predicate):  # pragma: no cover - every subclass is a predicate
        raise InvalidRule(
            f"{value!r} is not a predicate.", field="predicate", value=value, allowed="a Predicate"
        )
    return value


def _join(locale: LocaleLike, parts: Iterable[str]) -> str:
    # The separator of a list of names: "、" in Chinese, ", " in English.
    return pgettext("list separator", ", ", locale=locale).join(parts)


def _members(kind: type[enum.Enum], what: str, value: Any) -> frozenset[Any]:
    """``value`` as a non-empty frozenset of ``kind`` members."""
    items = (value,) if isinstance(value, kind) else check_items(value, what, error=InvalidRule)
    if not items:
        raise InvalidRule(
            f"a {what} predicate needs at least one {kind.__name__}.",
            field=what,
            value=value,
            allowed=f"at least one {kind.__name__}",
        )
    for item in items:
        if not isinstance(item, kind):
            raise InvalidRule(
                f"{item!r} is not a {kind.__name__}; a {what} predicate takes "
                f"{kind.__name__} members, e.g. {kind.__name__}.{next(iter(kind)).name}.",
                field=what,
                value=item,
                allowed=kind.__name__,
            )
    return frozenset(items)


def _categories(value: Any) -> frozenset[Category]:
    return _members(Category, "category", value)


def _locations(value: Any) -> frozenset[Location]:
    return _members(Location, "location", value)


def _requester_attributes(value: Any) -> frozenset[RequesterAttribute]:
    return _members(RequesterAttribute, "requester", value)


def _in_order(kind: type[enum.Enum], members: frozenset[Any]) -> list[Any]:
    return [member for member in kind if member in members]


# -- leaf predicates ------------------------------------------------------------------------


@attrs.frozen
class Always(_Combinable):
    """Holds for every request: the predicate of a rule set's default rule."""

    def evaluate(self, facts: RequestFacts) -> PredicateOutcome:
        """Always holds; there is no evidence to give."""
        check_instance(facts, "facts", RequestFacts)
        return PredicateOutcome(self, holds=True)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """See :class:`Predicate`."""
        return gettext("any request", locale=locale)


@attrs.frozen(init=False)
class CategoryIn(_Combinable):
    """Holds when the request's category is one of ``categories``."""

    categories: frozenset[Category] = attrs.field(converter=_categories)

    def __init__(self, *categories: Category) -> None:
        self.__attrs_init__(categories)

    def evaluate(self, facts: RequestFacts) -> PredicateOutcome:
        """See :class:`Predicate`."""
        check_instance(facts, "facts", RequestFacts)
        return PredicateOutcome(
            self, facts.category in self.categories, CategoryEvidence(facts.category)
        )

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """See :class:`Predicate`."""
        names = _join(locale, (c.label(locale) for c in _in_order(Category, self.categories)))
        if len(self.categories) == 1:
            return gettext("category is %(names)s", locale=locale, names=names)
        return gettext("category is one of %(names)s", locale=locale, names=names)


@attrs.frozen(init=False)
class LocationIn(_Combinable):
    """Holds when the request's location is one of ``locations``."""

    locations: frozenset[Location] = attrs.field(converter=_locations)

    def __init__(self, *locations: Location) -> None:
        self.__attrs_init__(locations)

    def evaluate(self, facts: RequestFacts) -> PredicateOutcome:
        """See :class:`Predicate`."""
        check_instance(facts, "facts", RequestFacts)
        return PredicateOutcome(
            self, facts.location in self.locations, LocationEvidence(facts.location)
        )

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """See :class:`Predicate`."""
        names = _join(locale, (c.label(locale) for c in _in_order(Location, self.locations)))
        if len(self.locations) == 1:
            return gettext("location is %(names)s", locale=locale, names=names)
        return gettext("location is one of %(names)s", locale=locale, names=names)


@attrs.frozen(init=False)
class RequesterHas(_Combinable):
    """Holds when the requester has at least one of ``attributes``."""

    attributes: frozenset[RequesterAttribute] = attrs.field(converter=_requester_attributes)

    def __init__(self, *attributes: RequesterAttribute) -> None:
        self.__attrs_init__(attributes)

    def evaluate(self, facts: RequestFacts) -> PredicateOutcome:
        """See :class:`Predicate`."""
        check_instance(facts, "facts", RequestFacts)
        present = tuple(
            a for a in _in_order(RequesterAttribute, self.attributes) if facts.requester.has(a)
        )
        return PredicateOutcome(self, bool(present), RequesterEvidence(present))

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """See :class:`Predicate`."""
        ordered = _in_order(RequesterAttribute, self.attributes)
        names = _join(locale, (a.label(locale) for a in ordered))
        if len(ordered) == 1:
            return gettext("requester is %(names)s", locale=locale, names=names)
        return gettext("requester is one of %(names)s", locale=locale, names=names)


def _keywords(value: Iterable[str]) -> tuple[str, ...]:
    words = check_items(value, "keywords", error=InvalidRule)
    if not words:
        raise InvalidRule(
            "a keyword predicate needs at least one keyword, e.g. Keywords('漏水').",
            field="keywords",
            value=value,
            allowed="at least one keyword",
        )
    seen: set[str] = set()
    for word in words:
        if not isinstance(word, str) or not normalize_text(word).strip():
            raise InvalidRule(
                f"keyword {word!r} must be a non-empty str.",
                field="keywords",
                value=word,
                allowed="non-empty text",
            )
        key = normalize_text(word)
        if key in seen:
            raise InvalidRule(
                f"keyword {word!r} is listed twice (after normalisation).",
                field="keywords",
                value=word,
                allowed="each keyword once",
            )
        seen.add(key)
    return words


def _is_word_char(char: str) -> bool:
    # Only ASCII letters and digits form "words"; CJK text has no spaces between words, so a
    # Chinese keyword matches anywhere.
    return char.isascii() and char.isalnum()


def _find(keyword: str, text: str) -> KeywordHit | None:
    needle = normalize_text(keyword)
    start = text.find(needle)
    while start != -1:
        end = start + len(needle)
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        open_before = not (_is_word_char(needle[0]) and _is_word_char(before))
        open_after = not (_is_word_char(needle[-1]) and _is_word_char(after))
        if open_before and open_after:
            return KeywordHit(keyword, start, end)
        start = text.find(needle, start + 1)
    return None


@attrs.frozen(init=False)
class Keywords(_Combinable):
    """Holds when the description contains at least one of ``keywords``.

    Chinese keywords match as substrings; a keyword that starts or ends with an ASCII letter or
    digit must stand as a whole word at that end, case-insensitively ("gas" matches "Gas leak!"
    and "煤气gas", not "gasket").
    """

    keywords: tuple[str, ...] = attrs.field(converter=_keywords)

    def __init__(self, *keywords: str) -> None:
        self.__attrs_init__(keywords)

    def evaluate(self, facts: RequestFacts) -> PredicateOutcome:
        """See :class:`Predicate`."""
        check_instance(facts, "facts", RequestFacts)
        text = facts.normalized_description
        hits = tuple(hit for hit in (_find(word, text) for word in self.keywords) if hit)
        return PredicateOutcome(self, bool(hits), KeywordEvidence(hits))

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """See :class:`Predicate`."""
        words = _join(locale, (f"“{word}”" for word in self.keywords))
        return gettext("description mentions %(words)s", locale=locale, words=words)


def _time(_instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, datetime.time) or value.tzinfo is not None:
        raise InvalidRule(
            f"{attribute.name} {value!r} must be a naive datetime.time (local wall time; the "
            f"zone is its own argument), e.g. datetime.time(22, 0).",
            field=attribute.name,
            value=value,
            allowed="datetime.time without tzinfo",
        )


def _zone_name(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str):
        raise InvalidRule(
            f"zone {value!r} must be an IANA zone name, e.g. 'Asia/Shanghai'.",
            field="zone",
            value=value,
            allowed="an IANA zone name",
        )
    _zone(value)


@attrs.frozen
class TimeOfDay(_Combinable):
    """Holds when the request is received in the local window ``[start, end)`` of ``zone``.

    ``start > end`` is an overnight window (22:00–06:00 holds from 22:00 to midnight and from
    midnight to 06:00). ``start == end`` is refused: it could mean "never" or "always".
    """

    start: datetime.time = attrs.field(validator=_time)
    end: datetime.time = attrs.field(validator=_time)
    zone: str = attrs.field(kw_only=True, validator=_zone_name)

    def __attrs_post_init__(self) -> None:
        if self.start == self.end:
            raise InvalidRule(
                f"time window {self.start.isoformat()}–{self.end.isoformat()} is empty; give "
                f"different start and end (start > end for an overnight window).",
                field="end",
                value=self.end,
                allowed="a time other than start",
            )

    @property
    def overnight(self) -> bool:
        """Whether the window runs past midnight."""
        return self.start > self.end

    def contains(self, local: datetime.time) -> bool:
        """Whether the local wall time ``local`` lies in the window."""
        check_instance(local, "local", datetime.time)
        if self.overnight:
            return local >= self.start or local < self.end
        return self.start <= local < self.end

    def evaluate(self, facts: RequestFacts) -> PredicateOutcome:
        """See :class:`Predicate`."""
        check_instance(facts, "facts", RequestFacts)
        local = facts.received_at.in_timezone(_zone(self.zone))
        wall = datetime.time(local.hour, local.minute, local.second, local.microsecond)
        return PredicateOutcome(self, self.contains(wall), TimeOfDayEvidence(wall, self.zone))

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """See :class:`Predicate`."""
        window = f"{self.start:%H:%M}–{self.end:%H:%M}"
        return gettext(
            "received %(window)s (%(zone)s)", locale=locale, window=window, zone=self.zone
        )


# -- combinators ----------------------------------------------------------------------------


def _children(value: Sequence[Predicate]) -> tuple[Predicate, ...]:
    items = check_items(value, "predicates", error=InvalidRule)
    if not items:
        raise InvalidRule(
            "a combinator needs at least one predicate; an empty AllOf or AnyOf is almost "
            "certainly a mistake (use Always() for a rule that always holds).",
            field="predicates",
            value=value,
            allowed="at least one Predicate",
        )
    for item in items:
        if not isinstance(item, Predicate):
            raise InvalidRule(
                f"{item!r} is not a predicate; combine predicates such as CategoryIn(...), "
                f"never strings.",
                field="predicates",
                value=item,
                allowed="a Predicate",
            )
    return items


def _describe_children(children: tuple[Predicate, ...], locale: LocaleLike) -> list[str]:
    parts = []
    for child in children:
        text = child.describe(locale)
        parts.append(f"({text})" if isinstance(child, AllOf | AnyOf) else text)
    return parts


@attrs.frozen(init=False)
class AllOf(_Combinable):
    """Holds when every child holds. Every child is evaluated, so the explanation is complete."""

    predicates: tuple[Predicate, ...] = attrs.field(converter=_children)

    def __init__(self, *predicates: Predicate) -> None:
        self.__attrs_init__(predicates)

    def evaluate(self, facts: RequestFacts) -> PredicateOutcome:
        """See :class:`Predicate`."""
        check_instance(facts, "facts", RequestFacts)
        children = tuple(child.evaluate(facts) for child in self.predicates)
        return PredicateOutcome(self, all(c.holds for c in children), children=children)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """See :class:`Predicate`."""
        first, *rest = _describe_children(self.predicates, locale)
        for text in rest:
            # TRANSLATORS: two conditions that must both hold; "first" may itself be a chain.
            first = gettext("%(first)s and %(second)s", locale=locale, first=first, second=text)
        return first


@attrs.frozen(init=False)
class AnyOf(_Combinable):
    """Holds when at least one child holds. Every child is evaluated, so all evidence is kept."""

    predicates: tuple[Predicate, ...] = attrs.field(converter=_children)

    def __init__(self, *predicates: Predicate) -> None:
        self.__attrs_init__(predicates)

    def evaluate(self, facts: RequestFacts) -> PredicateOutcome:
        """See :class:`Predicate`."""
        check_instance(facts, "facts", RequestFacts)
        children = tuple(child.evaluate(facts) for child in self.predicates)
        return PredicateOutcome(self, any(c.holds for c in children), children=children)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """See :class:`Predicate`."""
        first, *rest = _describe_children(self.predicates, locale)
        for text in rest:
            # TRANSLATORS: two conditions of which one must hold; "first" may itself be a chain.
            first = gettext("%(first)s or %(second)s", locale=locale, first=first, second=text)
        return first


def _one_child(_instance: object, _attribute: object, value: Any) -> None:
    _children((value,))


@attrs.frozen
class Not(_Combinable):
    """Holds when its child does not."""

    predicate: Predicate = attrs.field(validator=_one_child)

    def evaluate(self, facts: RequestFacts) -> PredicateOutcome:
        """See :class:`Predicate`."""
        check_instance(facts, "facts", RequestFacts)
        child = self.predicate.evaluate(facts)
        return PredicateOutcome(self, not child.holds, children=(child,))

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """See :class:`Predicate`."""
        inner = self.predicate.describe(locale)
        return gettext("not (%(condition)s)", locale=locale, condition=inner)
