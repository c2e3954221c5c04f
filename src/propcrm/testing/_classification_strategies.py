"""Hypothesis strategies for priority classification: priorities, request facts, rules, rule sets.

Like :mod:`propcrm.testing.strategies`, every strategy is a plural noun with keyword-only
arguments, shrinks towards the simplest value (the first level, the first category, an empty
description, the fewest rules, no validity dates) and draws values that pass their validators.
Descriptions are built from a small vocabulary that the keyword predicates also draw from, so
keyword rules match often enough to be tested.

>>> from hypothesis import given, settings
>>> from propcrm.classification import classify
>>> @settings(max_examples=10, database=None)
... @given(request_facts(), rule_sets())
... def test_every_request_gets_a_level_of_the_scale(facts, rules):
...     assert classify(facts, rules).priority in rules.scale
>>> test_every_request_gets_a_level_of_the_scale()
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Sequence

import pendulum
from hypothesis import strategies as st

from propcrm.classification import (
    DEFAULT_PRIORITIES,
    AllOf,
    Always,
    AnyOf,
    Category,
    CategoryIn,
    Keywords,
    Location,
    LocationIn,
    Not,
    Predicate,
    Priority,
    PriorityScale,
    RaiseRule,
    RequesterAttribute,
    RequesterHas,
    RequesterProfile,
    RequestFacts,
    Rule,
    RuleSet,
    TimeOfDay,
)

__all__ = [
    "KEYWORD_VOCABULARY",
    "ZONES",
    "descriptions",
    "predicates",
    "priorities",
    "priority_scales",
    "raise_rules",
    "request_facts",
    "requester_profiles",
    "rule_sets",
    "rules",
    "time_of_day_predicates",
]

KEYWORD_VOCABULARY = (
    "漏水",
    "着火",
    "困人",
    "停电",
    "煤气",
    "gas",
    "trapped",
    "leak",
    "fire",
    "noise",
)
"""Words that both descriptions and keyword predicates draw from."""

_FILLER = ("请", "帮忙", "厨房", "楼道", "kitchen", "please", "the", "!", " ", "，")

ZONES = ("Asia/Shanghai", "UTC", "America/New_York")
"""Zones of drawn instants and time windows; New York has daylight saving, Shanghai has none."""

# st.datetimes takes naive bounds and attaches the drawn zone itself.
_EARLIEST = datetime.datetime(2024, 1, 1)  # noqa: DTZ001 - naive by hypothesis's API
_LATEST = datetime.datetime(2027, 12, 31, 23, 59, 59)  # noqa: DTZ001 - naive by hypothesis's API

_CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@st.composite
def priorities(draw: st.DrawFn, *, scale: PriorityScale | None = None) -> Priority:
    """A level of ``scale``; without one, any valid priority."""
    if scale is not None:
        return draw(st.sampled_from(scale.levels))
    code = draw(st.text(_CODE_ALPHABET, min_size=1, max_size=4))
    rank = draw(st.integers(min_value=1, max_value=99))
    name_zh = draw(st.sampled_from(("特急", "急", "一般", "预约")))
    name_en = draw(st.sampled_from(("extra-urgent", "urgent", "general", "scheduled")))
    return Priority(code, name_zh, name_en, rank)


@st.composite
def priority_scales(draw: st.DrawFn, *, min_size: int = 1, max_size: int = 5) -> PriorityScale:
    """A scale of unique codes and unique (not necessarily consecutive) ranks."""
    ranks = draw(
        st.lists(
            st.integers(min_value=1, max_value=50),
            min_size=min_size,
            max_size=max_size,
            unique=True,
        )
    )
    codes = draw(
        st.lists(
            st.text(_CODE_ALPHABET, min_size=1, max_size=4),
            min_size=len(ranks),
            max_size=len(ranks),
            unique=True,
        )
    )
    levels = [
        Priority(code, f"级别{rank}", f"level {rank}", rank)
        for code, rank in zip(codes, ranks, strict=True)
    ]
    return PriorityScale(levels, name="drawn")


def requester_profiles() -> st.SearchStrategy[RequesterProfile]:
    """Profiles with any set of attributes (most often none)."""
    return st.frozensets(st.sampled_from(RequesterAttribute), max_size=3).map(RequesterProfile)


def descriptions() -> st.SearchStrategy[str]:
    """Texts of vocabulary words and filler, sometimes upper-cased or full-width."""
    words = st.lists(st.sampled_from(KEYWORD_VOCABULARY + _FILLER), max_size=6)
    text = words.map("".join)
    return st.one_of(
        text,
        text.map(str.upper),
        text.map(_full_width),
        st.text(max_size=20),
    )


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _instants() -> st.SearchStrategy[pendulum.DateTime]:
    return st.datetimes(
        min_value=_EARLIEST,
        max_value=_LATEST,
        timezones=st.sampled_from([zoneinfo.ZoneInfo(name) for name in ZONES]),
        allow_imaginary=False,
    ).map(pendulum.instance)


@st.composite
def request_facts(
    draw: st.DrawFn,
    *,
    categories: Sequence[Category] | None = None,
    received_at: st.SearchStrategy[pendulum.DateTime] | None = None,
) -> RequestFacts:
    """Facts of a request: any category, location, description, profile and aware instant."""
    return RequestFacts(
        category=draw(st.sampled_from(list(categories or Category))),
        location=draw(st.sampled_from(Location)),
        description=draw(descriptions()),
        requester=draw(requester_profiles()),
        received_at=draw(received_at if received_at is not None else _instants()),
    )


@st.composite
def time_of_day_predicates(draw: st.DrawFn) -> TimeOfDay:
    """A time window in one of :data:`ZONES`, overnight about half the time."""
    start, end = draw(st.tuples(st.times(), st.times()).filter(lambda pair: pair[0] != pair[1]))
    return TimeOfDay(start, end, zone=draw(st.sampled_from(ZONES)))


def _leaves() -> st.SearchStrategy[Predicate]:
    return st.one_of(
        st.builds(Always),
        st.lists(st.sampled_from(Category), min_size=1, max_size=4).map(
            lambda items: CategoryIn(*items)
        ),
        st.lists(st.sampled_from(Location), min_size=1, max_size=3).map(
            lambda items: LocationIn(*items)
        ),
        st.lists(st.sampled_from(KEYWORD_VOCABULARY), min_size=1, max_size=3, unique=True).map(
            lambda words: Keywords(*words)
        ),
        st.lists(st.sampled_from(RequesterAttribute), min_size=1, max_size=3).map(
            lambda items: RequesterHas(*items)
        ),
        time_of_day_predicates(),
    )


def predicates(*, max_leaves: int = 6) -> st.SearchStrategy[Predicate]:
    """Leaf predicates and AllOf / AnyOf / Not trees of them."""

    def extend(children: st.SearchStrategy[Predicate]) -> st.SearchStrategy[Predicate]:
        group = st.lists(children, min_size=1, max_size=3)
        return st.one_of(
            group.map(lambda items: AllOf(*items)),
            group.map(lambda items: AnyOf(*items)),
            children.map(Not),
        )

    return st.recursive(_leaves(), extend, max_leaves=max_leaves)


@st.composite
def _validity(draw: st.DrawFn) -> tuple[datetime.date | None, datetime.date | None]:
    dates = st.dates(min_value=_EARLIEST.date(), max_value=_LATEST.date())
    start = draw(st.none() | dates)
    end = draw(st.none() | dates)
    if start is not None and end is not None and end <= start:
        start, end = end, start + datetime.timedelta(days=1)
    return start, end


@st.composite
def rules(
    draw: st.DrawFn, *, scale: PriorityScale = DEFAULT_PRIORITIES, name: str | None = None
) -> Rule:
    """A rule with a drawn predicate, a level of ``scale`` and maybe validity dates."""
    valid_from, valid_until = draw(_validity())
    return Rule(
        name if name is not None else draw(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)),
        draw(priorities(scale=scale)),
        draw(predicates()),
        valid_from=valid_from,
        valid_until=valid_until,
    )


@st.composite
def raise_rules(draw: st.DrawFn, *, name: str | None = None) -> RaiseRule:
    """A raise rule of one to three levels, maybe limited to dates."""
    valid_from, valid_until = draw(_validity())
    return RaiseRule(
        name if name is not None else draw(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)),
        draw(predicates()),
        draw(st.integers(min_value=1, max_value=3)),
        valid_from=valid_from,
        valid_until=valid_until,
    )


@st.composite
def rule_sets(
    draw: st.DrawFn,
    *,
    scale: PriorityScale | None = None,
    max_rules: int = 6,
    max_raise_rules: int = 2,
) -> RuleSet:
    """A valid rule set: up to ``max_rules`` rules, then an unconditional default."""
    levels = scale if scale is not None else draw(st.just(DEFAULT_PRIORITIES) | priority_scales())
    count = draw(st.integers(min_value=0, max_value=max_rules))
    body = []
    for index in range(count):
        rule = draw(rules(scale=levels, name=f"r{index}"))
        if rule.is_default:  # an unconditional rule before the end would make the rest dead
            rule = Rule(rule.name, rule.priority, Not(Always()))
        body.append(rule)
    default = Rule("default", draw(priorities(scale=levels)), Always())
    extra = draw(st.integers(min_value=0, max_value=max_raise_rules))
    raises = [draw(raise_rules(name=f"e{index}")) for index in range(extra)]
    zone = draw(st.sampled_from(ZONES))
    return RuleSet("drawn", "1", [*body, default], raise_rules=raises, scale=levels, zone=zone)
