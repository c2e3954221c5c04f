"""Bad input to every public entry point of propcrm.classification is refused (issue 18).

Each case feeds one argument of one entry point the malformed values its kind allows (see
tests/bad_input.py), the other arguments valid, and asserts through ``assert_refused`` that only
a :class:`~propcrm.errors.PropcrmError` carrying its context comes out.
"""

# Each table below maps a name to a one-argument call, lambdas throughout for a uniform table.
# ruff: noqa: PLW0108

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.bad_input import (
    assert_refused,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_instants,
    bad_locales,
    bad_text,
    wrong_types,
)

from propcrm.classification import (
    DEFAULT_PRIORITIES,
    DEFAULT_RULES,
    EXTRA_URGENT,
    GENERAL,
    URGENT,
    AllOf,
    Always,
    AnyOf,
    Category,
    CategoryIn,
    Keywords,
    Location,
    LocationIn,
    Not,
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
    classify,
    override,
    rule_table,
)
from propcrm.errors import UnsupportedLocale

SH = "Asia/Shanghai"
T = pendulum.datetime(2026, 11, 24, 9, 30, tz=SH)
FACTS = RequestFacts(category=Category.WATER_LEAK, received_at=T, description="厨房漏水")
LEAK = Rule("leak", URGENT, CategoryIn(Category.WATER_LEAK))
DEFAULT = Rule("default", GENERAL, Always())
RULES = RuleSet("t", "1", [LEAK, DEFAULT])
DECISION = classify(FACTS, RULES)
LATER = T.add(minutes=5)

Call = Callable[[Any], object]
PREDICATES = (
    Always(),
    CategoryIn(Category.WATER_LEAK),
    Keywords("漏水"),
    LocationIn(Location.IN_HOME),
    RequesterHas(RequesterAttribute.VIP),
    TimeOfDay(datetime.time(22), datetime.time(6), zone=SH),
    AllOf(Always()),
    AnyOf(Always()),
    Not(Always()),
)


def _not_bool(bad: object) -> object:
    """``bad``, or 7 where it is a bool (a valid value where a bool is wanted)."""
    return 7 if isinstance(bad, bool) else bad


INSTANTS: dict[str, Call] = {
    "RequestFacts received_at": lambda bad: RequestFacts(
        category=Category.WATER_LEAK, received_at=bad
    ),
    "override at": lambda bad: override(DECISION, EXTRA_URGENT, by="小王", reason="燃气", at=bad),
}

DATES: dict[str, Call] = {
    "Rule valid_from": lambda bad: Rule("x", URGENT, Always(), valid_from=bad or "x"),
    "Rule valid_until": lambda bad: Rule("x", URGENT, Always(), valid_until=bad or "x"),
    "RaiseRule valid_from": lambda bad: RaiseRule("x", Always(), valid_from=bad or "x"),
    "Rule.in_force": lambda bad: LEAK.in_force(bad),
    "RaiseRule.in_force": lambda bad: RaiseRule("x", Always()).in_force(bad),
}

TEXTS: dict[str, Call] = {
    "Rule name": lambda bad: Rule(bad, URGENT, Always()),
    "RaiseRule name": lambda bad: RaiseRule(bad, Always()),
    "RuleSet name": lambda bad: RuleSet(bad, "1", [DEFAULT]),
    "RuleSet version": lambda bad: RuleSet("t", bad, [DEFAULT]),
    "RuleSet.rule": lambda bad: RULES.rule(bad),
    "Priority code": lambda bad: Priority(bad, "急", "urgent", 2),
    "Priority name_zh": lambda bad: Priority("P2", bad, "urgent", 2),
    "Priority name_en": lambda bad: Priority("P2", "急", bad, 2),
    "PriorityScale name": lambda bad: PriorityScale([URGENT], bad),
    "override by": lambda bad: override(DECISION, EXTRA_URGENT, by=bad, reason="燃气", at=LATER),
    "override reason": lambda bad: override(
        DECISION, EXTRA_URGENT, by="小王", reason=bad, at=LATER
    ),
    "override priority code": lambda bad: override(
        DECISION, bad, by="小王", reason="燃气", at=LATER
    ),
    "Keywords": lambda bad: Keywords(bad),
    "Keywords, one of two": lambda bad: Keywords("漏水", bad),
}

COUNTS: dict[str, Call] = {
    "Priority rank": lambda bad: Priority("P2", "急", "urgent", bad),
    "RaiseRule steps": lambda bad: RaiseRule("x", Always(), bad),
    "PriorityScale.raised steps": lambda bad: DEFAULT_PRIORITIES.raised(GENERAL, bad),
    "PriorityScale.lowered steps": lambda bad: DEFAULT_PRIORITIES.lowered(URGENT, bad),
}

TYPED: dict[str, Call] = {
    "RequestFacts category": lambda bad: RequestFacts(category=bad, received_at=T),
    "RequestFacts location": lambda bad: RequestFacts(
        category=Category.WATER_LEAK, received_at=T, location=bad
    ),
    "RequestFacts description": lambda bad: RequestFacts(
        category=Category.WATER_LEAK, received_at=T, description=bad
    ),
    "RequestFacts requester": lambda bad: RequestFacts(
        category=Category.WATER_LEAK, received_at=T, requester=bad
    ),
    "RequesterProfile attributes": lambda bad: RequesterProfile(bad or 7),
    "RequesterProfile an attribute": lambda bad: RequesterProfile([bad]),
    "RequesterProfile.of": lambda bad: RequesterProfile.of(bad),
    "RequesterProfile.has": lambda bad: RequesterProfile().has(bad),
    "CategoryIn": lambda bad: CategoryIn(bad),
    "LocationIn": lambda bad: LocationIn(bad),
    "RequesterHas": lambda bad: RequesterHas(bad),
    "AllOf": lambda bad: AllOf(Always(), bad),
    "AnyOf": lambda bad: AnyOf(bad),
    "Not": lambda bad: Not(bad),
    "TimeOfDay start": lambda bad: TimeOfDay(bad, datetime.time(6), zone=SH),
    "TimeOfDay end": lambda bad: TimeOfDay(datetime.time(22), bad, zone=SH),
    "TimeOfDay zone": lambda bad: TimeOfDay(datetime.time(22), datetime.time(6), zone=bad),
    "TimeOfDay.contains": lambda bad: TimeOfDay(
        datetime.time(22), datetime.time(6), zone=SH
    ).contains(bad),
    **{f"{type(p).__name__}.evaluate": p.evaluate for p in PREDICATES},
    "Rule priority": lambda bad: Rule("x", bad, Always()),
    "Rule when": lambda bad: Rule("x", URGENT, bad),
    "Rule note": lambda bad: Rule("x", URGENT, Always(), note=bad),
    "RaiseRule when": lambda bad: RaiseRule("x", bad),
    "RuleSet rules": lambda bad: RuleSet("t", "1", bad or 7),
    "RuleSet a rule": lambda bad: RuleSet("t", "1", [bad, DEFAULT]),
    "RuleSet raise_rules": lambda bad: RuleSet("t", "1", [DEFAULT], raise_rules=bad or 7),
    "RuleSet a raise rule": lambda bad: RuleSet("t", "1", [DEFAULT], raise_rules=[bad]),
    "RuleSet scale": lambda bad: RuleSet("t", "1", [DEFAULT], scale=bad),
    "RuleSet zone": lambda bad: RuleSet("t", "1", [DEFAULT], zone=bad),
    "PriorityScale levels": lambda bad: PriorityScale(bad or 7),
    "PriorityScale a level": lambda bad: PriorityScale([bad]),
    "PriorityScale.position": lambda bad: DEFAULT_PRIORITIES.position(bad),
    "PriorityScale.raised": lambda bad: DEFAULT_PRIORITIES.raised(bad),
    "PriorityScale.lowered": lambda bad: DEFAULT_PRIORITIES.lowered(bad),
    "PriorityScale.with_level": lambda bad: DEFAULT_PRIORITIES.with_level(bad),
    "Priority.more_urgent_than": lambda bad: URGENT.more_urgent_than(bad),
    "classify facts": lambda bad: classify(bad, RULES),
    "classify rules": lambda bad: classify(FACTS, bad),
    "override decision": lambda bad: override(
        bad, EXTRA_URGENT, by="小王", reason="燃气", at=LATER
    ),
    "override priority": lambda bad: override(
        DECISION, _not_bool(bad), by="小王", reason="燃气", at=LATER
    ),
    "rule_table rules": lambda bad: rule_table(bad),
}

LOCALES: dict[str, Call] = {
    "rule_table": lambda bad: rule_table(RULES, bad),
    "Classification.explain": lambda bad: DECISION.explain(bad),
    "Priority.name": lambda bad: URGENT.name(bad),
    "Category.label": lambda bad: Category.WATER_LEAK.label(bad),
    "Location.label": lambda bad: Location.IN_HOME.label(bad),
    "RequesterAttribute.label": lambda bad: RequesterAttribute.VIP.label(bad),
    "Always.describe": lambda bad: Always().describe(bad),
    "Keywords.describe": lambda bad: Keywords("漏水").describe(bad),
    "TimeOfDay.describe": lambda bad: TimeOfDay(
        datetime.time(22), datetime.time(6), zone=SH
    ).describe(bad),
    "AllOf.describe": lambda bad: AllOf(Always(), Keywords("漏水")).describe(bad),
    "Not.describe": lambda bad: Not(Always()).describe(bad),
}


def _cases(table: dict[str, Call]) -> list[Any]:
    return [pytest.param(call, id=name) for name, call in table.items()]


@settings(max_examples=8)
@pytest.mark.parametrize("call", _cases(INSTANTS))
@given(bad=bad_instants)
def test_instants(call: Call, bad: object) -> None:
    assert_refused(lambda: call(bad))


@settings(max_examples=8)
@pytest.mark.parametrize("call", _cases(DATES))
@given(bad=bad_dates)
def test_dates(call: Call, bad: object) -> None:
    assert_refused(lambda: call(bad))


@settings(max_examples=6)
@pytest.mark.parametrize("call", _cases(TEXTS))
@given(bad=st.one_of(bad_text, bad_ids.filter(lambda v: not isinstance(v, str) or not v.strip())))
def test_text_and_ids(call: Call, bad: object) -> None:
    assert_refused(lambda: call(bad))


@settings(max_examples=8)
@pytest.mark.parametrize("call", _cases(COUNTS))
@given(bad=bad_counts)
def test_counts(call: Call, bad: object) -> None:
    assert_refused(lambda: call(bad))


@settings(max_examples=6)
@pytest.mark.parametrize("call", _cases(TYPED))
@given(bad=wrong_types)
def test_wrong_types(call: Call, bad: object) -> None:
    assert_refused(lambda: call(bad))


@settings(max_examples=8)
@pytest.mark.parametrize("call", _cases(LOCALES))
@given(bad=bad_locales)
def test_an_unknown_locale_is_always_unsupported_locale(call: Call, bad: object) -> None:
    error = assert_refused(lambda: call(bad))
    assert isinstance(error, UnsupportedLocale)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: RuleSet("t", "1", [LEAK, LEAK, DEFAULT]), id="a rule name twice"),
        pytest.param(
            lambda: RuleSet("t", "1", [DEFAULT], raise_rules=[RaiseRule("r", Always())] * 2),
            id="a raise rule name twice",
        ),
        pytest.param(lambda: RuleSet("t", "1", [DEFAULT, DEFAULT]), id="the default twice"),
        pytest.param(lambda: PriorityScale([URGENT, URGENT]), id="a priority twice"),
        pytest.param(
            lambda: PriorityScale([URGENT, Priority("P9", "急", "urgent", 2)]), id="a rank twice"
        ),
        pytest.param(lambda: Keywords("漏水", "漏水"), id="a keyword twice"),
        pytest.param(lambda: Keywords("Leak", "ＬＥＡＫ"), id="a keyword twice, normalised"),
    ],
)
def test_duplicates_are_refused(call: Callable[[], object]) -> None:
    assert_refused(call)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: Rule("gas smell", URGENT, Always()), id="a rule name with a space"),
        pytest.param(lambda: Rule("", URGENT, Always()), id="an empty rule name"),
        pytest.param(lambda: RaiseRule(" ", Always()), id="a blank raise rule name"),
        pytest.param(lambda: Keywords(), id="no keywords"),
        pytest.param(lambda: AnyOf(), id="an empty AnyOf"),
        pytest.param(lambda: CategoryIn(), id="an empty CategoryIn"),
        pytest.param(lambda: RuleSet("t", "1", []), id="no rules"),
        pytest.param(lambda: PriorityScale([]), id="no levels"),
        pytest.param(
            lambda: TimeOfDay(datetime.time(22), datetime.time(22), zone=SH), id="empty window"
        ),
        pytest.param(lambda: RuleSet("t", "1", [DEFAULT], zone="Mars/Olympus"), id="zone"),
        pytest.param(
            lambda: override(DECISION, URGENT, by="小王", reason="同级", at=LATER),
            id="an override to the same priority",
        ),
        pytest.param(
            lambda: override(
                DECISION, EXTRA_URGENT, by="小王", reason="燃气", at=T.subtract(days=1)
            ),
            id="an override before the request",
        ),
    ],
)
def test_empty_names_and_collections_are_refused(call: Callable[[], object]) -> None:
    assert_refused(call)


def test_default_rules_classify_only_request_facts() -> None:
    assert_refused(lambda: classify({"category": "gas_smell"}, DEFAULT_RULES))
