"""Tests for testing._classification_strategies: drawn values are valid and varied."""

from __future__ import annotations

from typing import TypeVar

from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.classification import (
    DEFAULT_PRIORITIES,
    AllOf,
    AnyOf,
    Keywords,
    Not,
    Priority,
    PriorityScale,
    RequestFacts,
    Rule,
    RuleSet,
    TimeOfDay,
    classify,
)
from propcrm.testing._classification_strategies import (
    KEYWORD_VOCABULARY,
    descriptions,
    predicates,
    priorities,
    priority_scales,
    request_facts,
    rule_sets,
    rules,
    time_of_day_predicates,
)

T = TypeVar("T")


@given(priorities())
def test_free_priorities_are_valid(priority: Priority) -> None:
    assert priority.rank >= 1
    assert " " not in priority.code


@given(priorities(scale=DEFAULT_PRIORITIES))
def test_priorities_of_a_scale_belong_to_it(priority: Priority) -> None:
    assert priority in DEFAULT_PRIORITIES


@given(priority_scales(min_size=2, max_size=4))
def test_scales_respect_their_size(scale: PriorityScale) -> None:
    assert 2 <= len(scale) <= 4


@given(request_facts(), rule_sets())
def test_drawn_rule_sets_classify_every_drawn_request(
    facts: RequestFacts, rule_set: RuleSet
) -> None:
    assert classify(facts, rule_set).priority in rule_set.scale


@given(rules())
def test_drawn_rules_use_the_default_scale(rule: Rule) -> None:
    assert rule.priority in DEFAULT_PRIORITIES


@given(time_of_day_predicates())
def test_drawn_windows_are_never_empty(window: TimeOfDay) -> None:
    assert window.start != window.end


def _seen(strategy: st.SearchStrategy[T], examples: int = 150) -> list[T]:
    """Values drawn by a fixed, derandomised run (no shrinking, unlike ``find``)."""
    drawn: list[T] = []

    @settings(max_examples=examples, database=None, derandomize=True)
    @given(strategy)
    def collect(value: T) -> None:
        drawn.append(value)

    collect()
    return drawn


def test_drawn_descriptions_often_contain_keywords() -> None:
    everything = Keywords(*KEYWORD_VOCABULARY)
    matched = [everything.evaluate(facts).holds for facts in _seen(request_facts())]
    assert sum(matched) >= len(matched) // 5


def test_drawn_predicates_nest_and_rule_sets_vary() -> None:
    trees = _seen(predicates())
    assert any(
        isinstance(p, AllOf | AnyOf)
        and any(isinstance(c, AllOf | AnyOf | Not) for c in p.predicates)
        for p in trees
    )
    sets = _seen(rule_sets(), examples=60)
    assert any(len(r.rules) > 3 and r.raise_rules for r in sets)
    assert any(r.scale is not DEFAULT_PRIORITIES for r in sets)
    assert any(rule.valid_from or rule.valid_until for r in sets for rule in r.rules)
    assert any(w.overnight for w in _seen(time_of_day_predicates()))


@given(descriptions())
def test_descriptions_are_text(text: str) -> None:
    assert isinstance(text, str)
