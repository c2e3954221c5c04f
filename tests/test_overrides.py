"""Tests for sla._overrides: staff change a priority with a reason; the original stays."""

from __future__ import annotations

import datetime

import attrs
import pendulum
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from propcrm.classification import (
    DEFAULT_RULES,
    EXTRA_URGENT,
    GENERAL,
    URGENT,
    Category,
    Location,
    OverriddenClassification,
    Priority,
    RequestFacts,
    RuleSet,
    classify,
    override,
)
from propcrm.classification._overrides import StaffOverride
from propcrm.errors import InvalidOverride, NaiveDatetime, UnknownPriority
from propcrm.testing._classification_strategies import priorities, request_facts, rule_sets

AT = pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Shanghai")
LEAK = classify(
    RequestFacts(
        category=Category.WATER_LEAK, location=Location.IN_HOME, description="漏水", received_at=AT
    ),
    DEFAULT_RULES,
)


def test_override_keeps_the_original_and_the_decision() -> None:
    decided = override(LEAK, EXTRA_URGENT, by="cs-017", reason="水已漫到楼下", at=AT.add(minutes=1))
    assert decided.priority is EXTRA_URGENT
    assert decided.original is LEAK
    assert decided.original.priority is URGENT
    assert decided.override == StaffOverride(
        URGENT, EXTRA_URGENT, "cs-017", "水已漫到楼下", AT.add(minutes=1)
    )
    assert decided.override.raised
    assert decided.override.previous is URGENT


def test_override_by_code() -> None:
    decided = override(LEAK, "P3", by="cs-017", reason="只是滴水，约定明早上门", at=AT)
    assert decided.priority is GENERAL
    assert not decided.override.raised


def test_overrides_accumulate_in_time_order() -> None:
    first = override(LEAK, GENERAL, by="cs-017", reason="minor drip", at=AT.add(minutes=1))
    second = override(
        first, EXTRA_URGENT, by="sup-02", reason="ceiling below is wet", at=AT.add(minutes=9)
    )
    assert second.original is LEAK
    assert [o.priority for o in second.overrides] == [GENERAL, EXTRA_URGENT]
    assert [o.previous for o in second.overrides] == [URGENT, GENERAL]
    assert second.priority is EXTRA_URGENT
    assert first.priority is GENERAL  # the earlier value is unchanged


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_an_empty_reason_is_refused(reason: str | None) -> None:
    with pytest.raises(InvalidOverride, match="needs the reason"):
        override(LEAK, GENERAL, by="cs-017", reason=reason, at=AT)  # type: ignore[arg-type]  # None on purpose


def test_an_empty_staff_id_is_refused() -> None:
    with pytest.raises(InvalidOverride, match="needs the staff id"):
        override(LEAK, GENERAL, by=" ", reason="x", at=AT)


def test_an_override_to_the_same_priority_is_refused() -> None:
    with pytest.raises(InvalidOverride, match="already has priority P2 急 \\(urgent\\)"):
        override(LEAK, URGENT, by="cs-017", reason="confirm", at=AT)
    first = override(LEAK, GENERAL, by="cs-017", reason="minor", at=AT)
    with pytest.raises(InvalidOverride, match="already has priority P3"):
        override(first, "P3", by="cs-017", reason="again", at=AT)


def test_a_level_outside_the_scale_is_refused() -> None:
    with pytest.raises(UnknownPriority, match="'P4'"):
        override(LEAK, "P4", by="cs-017", reason="x", at=AT)
    lookalike = Priority("P1", "特急!", "extra-urgent", 1)
    with pytest.raises(UnknownPriority, match="not a level of scale 'default'"):
        override(LEAK, lookalike, by="cs-017", reason="x", at=AT)


NAIVE = datetime.datetime(2026, 11, 24, 10, 0)  # noqa: DTZ001 - the value under test


def test_time_rules() -> None:
    with pytest.raises(NaiveDatetime):
        override(LEAK, GENERAL, by="a", reason="x", at=NAIVE)
    with pytest.raises(InvalidOverride, match="must be an aware datetime"):
        override(LEAK, GENERAL, by="a", reason="x", at=datetime.date(2026, 11, 24))  # type: ignore[arg-type]  # a date on purpose
    with pytest.raises(InvalidOverride, match="before the request was received"):
        override(LEAK, GENERAL, by="a", reason="x", at=AT.subtract(seconds=1))
    first = override(LEAK, GENERAL, by="a", reason="x", at=AT.add(minutes=5))
    with pytest.raises(InvalidOverride, match="before the previous override"):
        override(first, URGENT, by="a", reason="y", at=AT.add(minutes=4))
    # Another zone is fine: instants compare as instants.
    utc = override(
        LEAK, GENERAL, by="a", reason="x", at=pendulum.datetime(2026, 11, 24, 1, 31, tz="UTC")
    )
    assert utc.override.at == AT.add(minutes=1)


def test_override_refuses_other_values() -> None:
    with pytest.raises(InvalidOverride, match="takes a Classification"):
        override("P2", GENERAL, by="a", reason="x", at=AT)  # type: ignore[arg-type]  # wrong on purpose
    with pytest.raises(InvalidOverride, match="at least one override"):
        OverriddenClassification(LEAK, ())


def test_overrides_are_frozen() -> None:
    decided = override(LEAK, GENERAL, by="a", reason="x", at=AT)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        decided.overrides = ()  # type: ignore[misc]  # the point of the test


@given(request_facts(), rule_sets(), st.data())
def test_an_override_always_keeps_the_original_untouched(
    facts: RequestFacts, rules: RuleSet, data: st.DataObject
) -> None:
    assume(len(rules.scale) > 1)
    original = classify(facts, rules)
    target = data.draw(priorities(scale=rules.scale).filter(lambda p: p != original.priority))
    decided = override(original, target, by="staff", reason="judgement", at=facts.received_at)
    assert decided.original == classify(facts, rules)
    assert decided.priority == target
    assert decided.override.previous == original.priority
