"""Tests for sla._classification: ordered rules, first match wins, a mandatory default."""

from __future__ import annotations

import datetime

import attrs
import pendulum
import pytest
from hypothesis import given

from propcrm.classification import (
    DEFAULT_PRIORITIES,
    EXTRA_URGENT,
    GENERAL,
    URGENT,
    Always,
    Category,
    CategoryIn,
    Classification,
    Keywords,
    Location,
    LocationIn,
    Priority,
    RaiseRule,
    RequesterAttribute,
    RequesterHas,
    RequesterProfile,
    RequestFacts,
    Rule,
    RuleSet,
    classify,
    rule_table,
)
from propcrm.errors import (
    InvalidRequestFacts,
    InvalidRule,
    InvalidRuleSet,
    UnknownRule,
    UnknownTimeZone,
    UnsupportedLocale,
)
from propcrm.testing._classification_strategies import request_facts, rule_sets

SHANGHAI = "Asia/Shanghai"
AT = pendulum.datetime(2026, 11, 24, 9, 30, tz=SHANGHAI)
DEFAULT = Rule("default", GENERAL, Always())
GAS = Rule("gas", EXTRA_URGENT, CategoryIn(Category.GAS_SMELL) | Keywords("gas", "煤气"))
LEAK = Rule("leak", URGENT, CategoryIn(Category.WATER_LEAK) & LocationIn(Location.IN_HOME))
ALONE = RaiseRule("alone", RequesterHas(RequesterAttribute.ELDERLY_LIVING_ALONE))
RULES = RuleSet("test", "7", [GAS, LEAK, DEFAULT], raise_rules=[ALONE])


def facts(
    description: str = "",
    *,
    category: Category = Category.OTHER,
    location: Location = Location.UNSPECIFIED,
    requester: RequesterProfile | None = None,
    at: pendulum.DateTime = AT,
) -> RequestFacts:
    return RequestFacts(
        category=category,
        location=location,
        description=description,
        requester=requester or RequesterProfile(),
        received_at=at,
    )


# -- first match wins -----------------------------------------------------------------------


def test_the_first_matching_rule_wins() -> None:
    result = classify(
        facts("gas and water", category=Category.WATER_LEAK, location=Location.IN_HOME), RULES
    )
    assert result.rule is GAS
    assert result.priority is EXTRA_URGENT
    assert result.passed_over == ()


def test_rules_before_the_match_are_kept_with_why_they_failed() -> None:
    result = classify(facts(category=Category.WATER_LEAK, location=Location.IN_HOME), RULES)
    assert result.rule is LEAK
    assert [trial.rule for trial in result.passed_over] == [GAS]
    failed = result.passed_over[0]
    assert failed.in_force
    assert failed.outcome is not None
    assert not failed.outcome.holds
    assert not failed.matched


def test_the_default_catches_the_rest() -> None:
    result = classify(facts(category=Category.PET), RULES)
    assert result.rule is DEFAULT
    assert result.priority is GENERAL
    assert [trial.rule for trial in result.passed_over] == [GAS, LEAK]
    assert RULES.default is DEFAULT


def test_the_classification_cites_the_rule_set_and_the_evidence() -> None:
    result = classify(facts("厨房有煤气味"), RULES)
    assert (result.rule_set_name, result.rule_set_version) == ("test", "7")
    assert result.on == pendulum.date(2026, 11, 24)
    assert result.facts == facts("厨房有煤气味")
    assert result.matched.outcome is not None
    keyword_outcome = result.matched.outcome.children[1]
    assert keyword_outcome.holds
    assert keyword_outcome.evidence is not None
    assert [hit.keyword for hit in keyword_outcome.evidence.hits] == ["煤气"]  # type: ignore[union-attr]  # KeywordEvidence here
    assert result.scale is DEFAULT_PRIORITIES


def test_classification_is_a_frozen_value() -> None:
    result = classify(facts(), RULES)
    assert isinstance(result, Classification)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.priority = URGENT  # type: ignore[misc]  # the point of the test


# -- validity dates -------------------------------------------------------------------------


TYPHOON = Rule(
    "typhoon-week",
    URGENT,
    Always(),
    valid_from=pendulum.date(2026, 8, 3),
    valid_until=pendulum.date(2026, 8, 10),
    note="typhoon: every request urgent",
)
WITH_TYPHOON = RuleSet("typhoon", "1", [GAS, TYPHOON, DEFAULT])


@pytest.mark.parametrize(
    ("day", "rule"),
    [
        ((2026, 8, 2), "default"),
        ((2026, 8, 3), "typhoon-week"),  # valid_from is the first day
        ((2026, 8, 9), "typhoon-week"),
        ((2026, 8, 10), "default"),  # valid_until is the first day it no longer applies
    ],
)
def test_validity_is_half_open(day: tuple[int, int, int], rule: str) -> None:
    at = pendulum.datetime(*day, 12, 0, tz=SHANGHAI)
    result = classify(facts(at=at), WITH_TYPHOON)
    assert result.rule.name == rule


def test_a_rule_out_of_force_is_not_evaluated_and_says_so() -> None:
    result = classify(facts(at=pendulum.datetime(2026, 9, 1, tz=SHANGHAI)), WITH_TYPHOON)
    trial = result.passed_over[1]
    assert trial.rule is TYPHOON
    assert not trial.in_force
    assert trial.outcome is None
    assert not trial.matched


def test_the_date_is_read_in_the_rule_sets_zone() -> None:
    # 17:00 UTC on 2 August is 01:00 on 3 August in Shanghai: the typhoon rule applies.
    at = pendulum.datetime(2026, 8, 2, 17, 0, tz="UTC")
    assert classify(facts(at=at), WITH_TYPHOON).rule is TYPHOON
    in_utc = attrs.evolve(WITH_TYPHOON, zone="UTC")
    assert classify(facts(at=at), in_utc).rule is DEFAULT


def test_open_ended_validity() -> None:
    from_only = Rule("new", URGENT, Always(), valid_from=datetime.date(2026, 1, 1))
    until_only = Rule("old", EXTRA_URGENT, Always(), valid_until=datetime.date(2026, 1, 1))
    rules = RuleSet("open", "1", [until_only, from_only, DEFAULT])
    assert (
        classify(facts(at=pendulum.datetime(2025, 12, 31, tz=SHANGHAI)), rules).rule.name == "old"
    )
    assert classify(facts(at=pendulum.datetime(2026, 1, 1, tz=SHANGHAI)), rules).rule.name == "new"
    assert from_only.valid_from == pendulum.date(2026, 1, 1)
    assert isinstance(from_only.valid_from, pendulum.Date)


# -- raise rules -----------------------------------------------------------------------------


def test_a_raise_rule_raises_the_base_level_one_step() -> None:
    alone = RequesterProfile.of(RequesterAttribute.ELDERLY_LIVING_ALONE)
    result = classify(facts(requester=alone), RULES)
    assert result.base_priority is GENERAL
    assert result.priority is URGENT
    assert result.raised_by is ALONE
    assert result.raises_tried[-1].matched


def test_raising_stops_at_the_most_urgent_level() -> None:
    alone = RequesterProfile.of(RequesterAttribute.ELDERLY_LIVING_ALONE)
    result = classify(facts("gas", requester=alone), RULES)
    assert result.base_priority is EXTRA_URGENT
    assert result.priority is EXTRA_URGENT
    assert result.raised_by is ALONE


def test_only_the_first_matching_raise_rule_applies() -> None:
    two = RaiseRule("two", Always(), 2)
    rules = attrs.evolve(RULES, raise_rules=[ALONE, two])
    alone = RequesterProfile.of(RequesterAttribute.ELDERLY_LIVING_ALONE)
    assert classify(facts(requester=alone), rules).priority is URGENT
    result = classify(facts(), rules)
    assert result.priority is EXTRA_URGENT
    assert result.raised_by is two
    assert [trial.raise_rule for trial in result.raises_tried] == [ALONE, two]


def test_no_raise_rule() -> None:
    result = classify(facts(), RULES)
    assert result.raised_by is None
    assert result.priority is result.base_priority
    assert [t.raise_rule for t in result.raises_tried] == [ALONE]


def test_a_raise_rule_out_of_force_does_not_apply() -> None:
    later = RaiseRule("later", Always(), valid_from=datetime.date(2027, 1, 1))
    result = classify(facts(), attrs.evolve(RULES, raise_rules=[later]))
    assert result.raised_by is None
    assert not result.raises_tried[0].in_force


# -- explanations ---------------------------------------------------------------------------


def test_explain_in_english() -> None:
    result = classify(facts(category=Category.WATER_LEAK, location=Location.IN_HOME), RULES)
    assert result.explain("en_US") == (
        "P2 urgent by rule 'leak' of rule set test version 7",
        "rule gas: category is gas smell or description mentions “gas”, “煤气” -> fails",
        "  category is gas smell -> no (category: water leak)",
        "  description mentions “gas”, “煤气” -> no (no keyword found)",
        "rule leak: category is water leak and location is in-home -> holds",
        "  category is water leak -> yes (category: water leak)",
        "  location is in-home -> yes (location: in-home)",
        "raise rule alone: requester is elderly living alone -> fails",
    )


def test_explain_in_chinese_with_dates_and_a_raise_rule() -> None:
    alone = RequesterProfile.of(RequesterAttribute.ELDERLY_LIVING_ALONE)
    rules = attrs.evolve(WITH_TYPHOON, raise_rules=[ALONE])
    result = classify(facts(requester=alone, at=pendulum.datetime(2026, 9, 1, tz=SHANGHAI)), rules)
    assert result.explain("zh_CN") == (
        "P2 急：规则集 typhoon 第 1 版，规则“default”",
        "规则 gas: 类别为燃气泄漏，或描述含“gas”、“煤气”之一 -> 不成立",
        "  类别为燃气泄漏 -> 否 (类别：其他)",
        "  描述含“gas”、“煤气”之一 -> 否 (未找到关键词)",
        "规则 typhoon-week: 不在有效期内",
        "规则 default: 任何请求 -> 成立",
        "上调 alone: 报修人为独居老人 -> 成立 (独居老人)",
        "由 P3 一般 上调至 P2 急（上调规则“alone”）",
    )


def test_explain_shows_keyword_positions_and_local_time() -> None:
    from propcrm.classification import TimeOfDay

    night = Rule(
        "night",
        URGENT,
        Keywords("noise") & TimeOfDay(datetime.time(22), datetime.time(6), zone=SHANGHAI),
    )
    rules = RuleSet("n", "1", [night, DEFAULT])
    at = pendulum.datetime(2026, 11, 24, 23, 5, tz=SHANGHAI)
    lines = classify(facts("Loud NOISE upstairs", at=at), rules).explain("en_US")
    assert lines[2] == "  description mentions “noise” -> yes (found “noise” at 5–10)"
    assert (
        lines[3] == "  received 22:00–06:00 (Asia/Shanghai) -> yes (local time 23:05 Asia/Shanghai)"
    )


# -- building rules and rule sets -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"name": "gas smell"}, InvalidRule, "no spaces"),
        ({"name": ""}, InvalidRule, "non-empty"),
        ({"priority": "P1"}, InvalidRule, "must be a Priority"),
        ({"when": "category == 'gas'"}, InvalidRule, "never strings"),
        ({"when": lambda facts: True}, InvalidRule, "not a predicate"),
        (
            {"valid_from": datetime.date(2026, 5, 2), "valid_until": datetime.date(2026, 5, 1)},
            InvalidRule,
            "no day at all",
        ),
        ({"valid_from": pendulum.datetime(2026, 5, 1)}, InvalidRule, "expected a date"),
        ({"note": None}, InvalidRule, "note"),
    ],
)
def test_malformed_rules_are_refused(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    values: dict[str, object] = {"name": "r", "priority": URGENT, "when": Always()}
    values.update(kwargs)
    with pytest.raises(error, match=message):
        Rule(**values)  # type: ignore[arg-type]  # wrong on purpose


def test_raise_rule_steps_must_be_positive() -> None:
    with pytest.raises(InvalidRule, match="steps 0"):
        RaiseRule("e", Always(), 0)


def test_a_rule_set_without_a_default_cannot_be_built() -> None:
    with pytest.raises(InvalidRuleSet, match="has no default rule"):
        RuleSet("x", "1", [GAS, LEAK])
    with pytest.raises(InvalidRuleSet, match="has no default rule"):
        RuleSet("x", "1", [])
    # An unconditional rule with dates is not a default: some date would fall through.
    with pytest.raises(InvalidRuleSet, match="has no default rule"):
        RuleSet("x", "1", [GAS, TYPHOON])


def test_a_default_before_other_rules_is_refused() -> None:
    with pytest.raises(InvalidRuleSet, match=r"rule 1 of rule set 'x', 'default', holds for every"):
        RuleSet("x", "1", [DEFAULT, GAS, Rule("last", URGENT, Always())])


def test_rule_names_are_unique_across_rules_and_raise_rules() -> None:
    with pytest.raises(InvalidRuleSet, match="uses the name 'gas' twice"):
        RuleSet("x", "1", [GAS, attrs.evolve(LEAK, name="gas"), DEFAULT])
    with pytest.raises(InvalidRuleSet, match="uses the name 'default' twice"):
        RuleSet("x", "1", [DEFAULT], raise_rules=[RaiseRule("default", Always())])


def test_every_priority_must_belong_to_the_scale() -> None:
    p4 = Priority("P4", "预约", "scheduled", 4)
    with pytest.raises(InvalidRuleSet, match="P4 预约 \\(scheduled\\), which is not a level"):
        RuleSet("x", "1", [Rule("later", p4, CategoryIn(Category.PET)), DEFAULT])
    scale = DEFAULT_PRIORITIES.with_level(p4)
    rules = RuleSet("x", "1", [Rule("later", p4, CategoryIn(Category.PET)), DEFAULT], scale=scale)
    assert classify(facts(category=Category.PET), rules).priority is p4


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"name": " "}, InvalidRuleSet, "name"),
        ({"version": ""}, InvalidRuleSet, "version"),
        ({"rules": ["gas"]}, InvalidRuleSet, "holds Rule values"),
        ({"raise_rules": [GAS]}, InvalidRuleSet, "RaiseRule values"),
        ({"scale": [URGENT]}, InvalidRuleSet, "PriorityScale"),
        ({"zone": "Shanghai"}, UnknownTimeZone, "Shanghai"),
    ],
)
def test_malformed_rule_sets_are_refused(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    values: dict[str, object] = {"name": "x", "version": "1", "rules": [DEFAULT]}
    values.update(kwargs)
    with pytest.raises(error, match=message):
        RuleSet(**values)  # type: ignore[arg-type]  # wrong on purpose


def test_look_up_a_rule_by_name() -> None:
    assert RULES.rule("leak") is LEAK
    with pytest.raises(
        UnknownRule, match="no rule called 'fire'; its rules are gas, leak, default"
    ):
        RULES.rule("fire")


def test_classify_refuses_wrong_arguments() -> None:
    with pytest.raises(InvalidRequestFacts, match="takes RequestFacts"):
        classify({"category": "gas"}, RULES)  # type: ignore[arg-type]  # wrong on purpose
    with pytest.raises(InvalidRuleSet, match="takes a RuleSet"):
        classify(facts(), [GAS, DEFAULT])  # type: ignore[arg-type]  # wrong on purpose


# -- the rule table -------------------------------------------------------------------------


def test_rule_table_in_english() -> None:
    piped = Rule("pipe", URGENT, Keywords("a|b"), valid_until=datetime.date(2027, 1, 1))
    rules = RuleSet("t", "2", [piped, TYPHOON, DEFAULT], raise_rules=[ALONE])
    assert rule_table(rules, "en_US") == (
        "Rule set `t`, version 2 (first matching rule wins)\n"
        "\n"
        "| # | rule | when | priority | valid | why |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| 1 | `pipe` | description mentions “a\\|b” | P2 urgent | […, 2027-01-01) |  |\n"
        "| 2 | `typhoon-week` | any request | P2 urgent | [2026-08-03, 2026-08-10) "
        "| typhoon: every request urgent |\n"
        "| 3 | `default` | any request | P3 general | always |  |\n"
        "\n"
        "Then the first matching raise rule raises the level:\n"
        "\n"
        "| # | raise rule | when | levels up | valid | why |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| 1 | `alone` | requester is elderly living alone | 1 | always |  |\n"
    )


def test_rule_table_in_chinese_without_raise_rules() -> None:
    table = rule_table(RuleSet("t", "2", [LEAK, DEFAULT]), locale="zh_CN")
    assert table.splitlines() == [
        "规则集 `t`，第 2 版（按顺序，第一条成立的规则生效）",
        "",
        "| # | 规则 | 条件 | 优先级 | 有效期 | 说明 |",
        "| --- | --- | --- | --- | --- | --- |",
        "| 1 | `leak` | 类别为漏水，且位置为户内 | P2 急 | 始终 |  |",
        "| 2 | `default` | 任何请求 | P3 一般 | 始终 |  |",
    ]
    assert rule_table(RuleSet("t", "2", [LEAK, DEFAULT])) == table  # zh_CN is the default


def test_the_rule_table_in_chinese_with_raise_rules() -> None:
    rules = RuleSet("t", "2", [TYPHOON, DEFAULT], raise_rules=[ALONE])
    assert rule_table(rules, "zh-CN").splitlines()[-5:] == [
        "然后，第一条成立的上调规则提高优先级：",
        "",
        "| # | 上调 | 条件 | 上调级数 | 有效期 | 说明 |",
        "| --- | --- | --- | --- | --- | --- |",
        "| 1 | `alone` | 报修人为独居老人 | 1 | 始终 |  |",
    ]


@pytest.mark.parametrize("locale", ["fr_FR", "zh", "zh_TW", "en"])
def test_explanations_and_tables_refuse_an_unsupported_locale(locale: str) -> None:
    result = classify(facts(), RULES)
    with pytest.raises(UnsupportedLocale, match="zh_CN"):
        result.explain(locale)
    with pytest.raises(UnsupportedLocale):
        rule_table(RULES, locale)


# -- properties -----------------------------------------------------------------------------


def _oracle(facts: RequestFacts, rules: RuleSet) -> tuple[Rule, Priority]:
    """First-match semantics, written the plain way."""
    on = facts.received_at.in_timezone(rules.zone).date()

    def in_force(start: datetime.date | None, end: datetime.date | None) -> bool:
        return (start is None or start <= on) and (end is None or on < end)

    rule = next(
        r
        for r in rules.rules
        if in_force(r.valid_from, r.valid_until) and r.when.evaluate(facts).holds
    )
    priority = rule.priority
    for raise_rule in rules.raise_rules:
        if in_force(raise_rule.valid_from, raise_rule.valid_until) and (
            raise_rule.when.evaluate(facts).holds
        ):
            position = max(0, list(rules.scale).index(priority) - raise_rule.steps)
            priority = list(rules.scale)[position]
            break
    return rule, priority


@given(request_facts(), rule_sets())
def test_first_match_semantics(facts: RequestFacts, rules: RuleSet) -> None:
    result = classify(facts, rules)
    rule, priority = _oracle(facts, rules)
    assert result.rule is rule
    assert result.priority == priority
    assert result.base_priority == rule.priority
    position = rules.rules.index(rule)
    assert [trial.rule for trial in result.passed_over] == list(rules.rules[:position])
    assert not any(trial.matched for trial in result.passed_over)


@given(request_facts(), rule_sets())
def test_rules_outside_their_dates_never_match(facts: RequestFacts, rules: RuleSet) -> None:
    result = classify(facts, rules)
    for trial in (*result.passed_over, result.matched):
        if not trial.rule.in_force(result.on):
            assert not trial.matched
            assert trial.outcome is None
    assert result.rule.in_force(result.on)


@given(request_facts(), rule_sets())
def test_a_rule_moved_out_of_its_dates_stops_matching(facts: RequestFacts, rules: RuleSet) -> None:
    result = classify(facts, rules)
    if result.rule.is_default:
        return
    expired = attrs.evolve(result.rule, valid_from=None, valid_until=result.on)
    changed = attrs.evolve(rules, rules=[expired if r is result.rule else r for r in rules.rules])
    assert classify(facts, changed).rule is not expired


@given(request_facts(), rule_sets())
def test_classification_is_deterministic(facts: RequestFacts, rules: RuleSet) -> None:
    assert classify(facts, rules) == classify(facts, rules)
    assert classify(facts, rules) == classify(attrs.evolve(facts), attrs.evolve(rules))


@given(request_facts(), rule_sets())
def test_raising_never_lowers_and_lands_in_the_scale(facts: RequestFacts, rules: RuleSet) -> None:
    result = classify(facts, rules)
    assert result.priority <= result.base_priority
    assert result.priority in rules.scale
    if result.raised_by is None:
        assert result.priority == result.base_priority
