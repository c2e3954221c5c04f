"""Tests for sla._default_rules: the shipped rules, category by category, and the table."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import given

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
    Location,
    Not,
    Predicate,
    Priority,
    RequesterAttribute,
    RequesterProfile,
    RequestFacts,
    Rule,
    classify,
    rule_table,
)
from propcrm.classification._default_rules import (
    DARK_START,
    DEFAULT_RULES_NAME,
    DEFAULT_RULES_VERSION,
    NIGHT_END,
    NIGHT_START,
)
from propcrm.testing._classification_strategies import request_facts

DOCS = Path(__file__).resolve().parents[1] / "docs" / "sla-classification.md"
TABLE = re.compile(r"<!-- rule-table:start -->\n(.*?)<!-- rule-table:end -->", re.DOTALL)

SHANGHAI = "Asia/Shanghai"
DAY = pendulum.datetime(2026, 11, 24, 10, 0, tz=SHANGHAI)
EVENING = pendulum.datetime(2026, 11, 24, 19, 0, tz=SHANGHAI)
NIGHT = pendulum.datetime(2026, 11, 24, 23, 30, tz=SHANGHAI)
HOME, COMMON = Location.IN_HOME, Location.COMMON_AREA


def classified(
    category: Category,
    location: Location = HOME,
    description: str = "",
    *,
    at: pendulum.DateTime = DAY,
    requester: RequesterProfile | None = None,
) -> tuple[str, Priority]:
    facts = RequestFacts(
        category=category,
        location=location,
        description=description,
        requester=requester or RequesterProfile(),
        received_at=at,
    )
    result = classify(facts, DEFAULT_RULES)
    return result.rule.name, result.priority


def test_the_shipped_rule_set() -> None:
    assert DEFAULT_RULES.name == DEFAULT_RULES_NAME == "default"
    assert DEFAULT_RULES.version == DEFAULT_RULES_VERSION
    assert DEFAULT_RULES.scale is DEFAULT_PRIORITIES
    assert DEFAULT_RULES.zone == SHANGHAI
    assert DEFAULT_RULES.default.is_default
    night_and_dark = [t.isoformat("minutes") for t in (NIGHT_START, NIGHT_END, DARK_START)]
    assert night_and_dark == ["22:00", "06:00", "18:00"]


def _categories(predicate: Predicate) -> set[Category]:
    if isinstance(predicate, CategoryIn):
        return set(predicate.categories)
    if isinstance(predicate, AllOf | AnyOf):
        return set().union(*(_categories(child) for child in predicate.predicates))
    if isinstance(predicate, Not):
        return _categories(predicate.predicate)
    return set()


def test_every_category_but_other_has_a_rule_and_there_are_at_least_twenty() -> None:
    cited = set().union(*(_categories(rule.when) for rule in DEFAULT_RULES.rules))
    assert cited == set(Category) - {Category.OTHER}
    assert len(cited) >= 20


# -- unit tests per category (daytime, in the home, no words, nobody vulnerable) --------------


@pytest.mark.parametrize(
    ("category", "location", "at", "rule", "priority"),
    [
        (Category.GAS_SMELL, HOME, DAY, "gas-smell", EXTRA_URGENT),
        (Category.FIRE_ALARM, COMMON, DAY, "fire", EXTRA_URGENT),
        (Category.LIFT_ENTRAPMENT, Location.LIFT_CAR, DAY, "lift-entrapment", EXTRA_URGENT),
        (Category.SECURITY_INCIDENT, Location.GARAGE, DAY, "security-incident", EXTRA_URGENT),
        (Category.BURST_PIPE, HOME, DAY, "burst-pipe", URGENT),
        (Category.BURST_PIPE, COMMON, DAY, "burst-pipe", URGENT),
        (Category.SEWAGE_OVERFLOW, COMMON, DAY, "sewage-overflow", URGENT),
        (Category.WATER_LEAK, HOME, DAY, "leak-in-home", URGENT),
        (Category.WATER_LEAK, COMMON, DAY, "water-leak", GENERAL),
        (Category.ROOF_LEAK, HOME, DAY, "leak-in-home", URGENT),
        (Category.ROOF_LEAK, Location.ROOF, DAY, "roof-leak", URGENT),
        (Category.POWER_OUTAGE, HOME, DAY, "power-outage", URGENT),
        (Category.NO_WATER, HOME, DAY, "no-water", URGENT),
        (Category.LIFT_FAULT, Location.LIFT_CAR, DAY, "lift-fault", URGENT),
        (Category.BLOCKED_DRAIN, HOME, DAY, "blocked-drain-in-home", URGENT),
        (Category.BLOCKED_DRAIN, Location.GROUNDS, DAY, "blocked-drain", GENERAL),
        (Category.ELECTRICAL_FAULT, HOME, DAY, "electrical-fault", GENERAL),
        (Category.DOOR_LOCK, HOME, DAY, "door-lock", GENERAL),
        (Category.DOOR_LOCK, HOME, NIGHT, "night-lockout", URGENT),
        (Category.INTERCOM, HOME, DAY, "intercom", GENERAL),
        (Category.COMMON_AREA_LIGHTING, COMMON, DAY, "common-area-lighting", GENERAL),
        (Category.COMMON_AREA_LIGHTING, COMMON, EVENING, "dark-common-area", URGENT),
        (Category.HEATING_AIR_CONDITIONING, HOME, DAY, "heating-air-conditioning", GENERAL),
        (Category.NOISE, HOME, DAY, "noise", GENERAL),
        (Category.NOISE, HOME, EVENING, "noise", GENERAL),
        (Category.NOISE, HOME, NIGHT, "night-noise", URGENT),
        (Category.PARKING, Location.GARAGE, DAY, "parking", GENERAL),
        (Category.PEST, COMMON, DAY, "pest", GENERAL),
        (Category.CLEANING, COMMON, DAY, "cleaning", GENERAL),
        (Category.GREENING, Location.GROUNDS, DAY, "greening", GENERAL),
        (Category.DECORATION_VIOLATION, HOME, DAY, "decoration-violation", GENERAL),
        (Category.PET, Location.GROUNDS, DAY, "pet", GENERAL),
        (Category.FACILITY_DAMAGE, Location.GROUNDS, DAY, "facility-damage", GENERAL),
        (Category.OTHER, HOME, DAY, "default", GENERAL),
    ],
    ids=lambda value: getattr(value, "name", None) or str(value)[:5],
)
def test_each_category(
    category: Category, location: Location, at: pendulum.DateTime, rule: str, priority: Priority
) -> None:
    assert classified(category, location, at=at) == (rule, priority)


# -- the customer's own words -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "location", "rule", "priority"),
    [
        ("楼道里有很重的煤气味", COMMON, "gas-smell", EXTRA_URGENT),
        ("I can smell gas in the kitchen", HOME, "gas-smell", EXTRA_URGENT),
        ("3楼着火了！", COMMON, "fire", EXTRA_URGENT),
        ("Smoke coming from the bin room", COMMON, "fire", EXTRA_URGENT),
        ("2号楼电梯困人", Location.LIFT_CAR, "lift-entrapment", EXTRA_URGENT),
        ("My mother is TRAPPED in the lift", Location.LIFT_CAR, "lift-entrapment", EXTRA_URGENT),
        ("插座漏电，孩子差点触电", HOME, "live-electricity", EXTRA_URGENT),
        ("有小偷在撬门", COMMON, "security-incident", EXTRA_URGENT),
        ("卫生间漏水", HOME, "leak-in-home", URGENT),
        ("water leaking from the ceiling", HOME, "leak-in-home", URGENT),
        ("走廊天花板漏水", COMMON, "default", GENERAL),
        ("厨房水管爆了，水淹了", HOME, "burst-pipe", URGENT),
        ("家里突然停电", HOME, "power-outage", URGENT),
        ("no water since this morning", HOME, "no-water", URGENT),
        ("马桶堵了", HOME, "blocked-drain-in-home", URGENT),
        ("楼上装修在砸承重墙", HOME, "load-bearing-wall", URGENT),
        ("电梯坏了", COMMON, "lift-fault", URGENT),
        ("想咨询一下物业费", HOME, "default", GENERAL),
    ],
)
def test_keywords_classify_a_request_filed_as_other(
    description: str, location: Location, rule: str, priority: Priority
) -> None:
    assert classified(Category.OTHER, location, description) == (rule, priority)


def test_words_outrank_the_chosen_category() -> None:
    # Filed as noise, but the caller reports gas: the gas rule comes first.
    assert classified(Category.NOISE, HOME, "隔壁有煤气味") == ("gas-smell", EXTRA_URGENT)


# -- requester and time ---------------------------------------------------------------------


ALONE = RequesterProfile.of(RequesterAttribute.ELDERLY_LIVING_ALONE)


@pytest.mark.parametrize(
    ("category", "location", "requester", "priority"),
    [
        (Category.ELECTRICAL_FAULT, HOME, ALONE, URGENT),  # 一般 raised to 急
        (Category.NO_WATER, HOME, ALONE, EXTRA_URGENT),  # 急 raised to 特急
        (Category.GAS_SMELL, HOME, ALONE, EXTRA_URGENT),  # already the top
        (Category.GREENING, Location.GROUNDS, ALONE, GENERAL),  # not in the home
        (Category.ELECTRICAL_FAULT, HOME, RequesterProfile.of(RequesterAttribute.DISABLED), URGENT),
        (Category.ELECTRICAL_FAULT, HOME, RequesterProfile.of(RequesterAttribute.PREGNANT), URGENT),
        (Category.ELECTRICAL_FAULT, HOME, RequesterProfile.of(RequesterAttribute.VIP), GENERAL),
        (
            Category.ELECTRICAL_FAULT,
            HOME,
            RequesterProfile.of(
                RequesterAttribute.ELDERLY_LIVING_ALONE, RequesterAttribute.DISABLED
            ),
            URGENT,  # one raise only: the first matching raise rule
        ),
    ],
)
def test_vulnerable_requesters_at_home_raise_one_level(
    category: Category, location: Location, requester: RequesterProfile, priority: Priority
) -> None:
    assert classified(category, location, requester=requester)[1] is priority


@pytest.mark.parametrize(
    ("hour", "minute", "rule"),
    [(21, 59, "noise"), (22, 0, "night-noise"), (3, 0, "night-noise"), (6, 0, "noise")],
)
def test_night_starts_at_22_and_ends_at_6_shanghai_time(hour: int, minute: int, rule: str) -> None:
    at = pendulum.datetime(2026, 11, 24, hour, minute, tz=SHANGHAI)
    assert classified(Category.NOISE, at=at)[0] == rule


def test_night_is_read_in_shanghai_whatever_the_instants_zone() -> None:
    at = pendulum.datetime(2026, 11, 24, 15, 0, tz="UTC")  # 23:00 in Shanghai
    assert classified(Category.NOISE, at=at)[0] == "night-noise"


@given(request_facts())
def test_every_request_gets_one_of_the_three_levels(facts: RequestFacts) -> None:
    assert classify(facts, DEFAULT_RULES).priority in DEFAULT_PRIORITIES


# -- the table in the docs ------------------------------------------------------------------


def test_the_documented_rule_table_is_the_generated_one() -> None:
    match = TABLE.search(DOCS.read_text(encoding="utf-8"))
    assert match is not None, f"{DOCS} lacks the rule-table markers"
    generated = rule_table(DEFAULT_RULES, "en_US")
    assert match.group(1) == generated, (
        "docs/sla-classification.md is out of date; replace the text between the rule-table "
        "markers with the output of "
        'propcrm.classification.rule_table(propcrm.classification.DEFAULT_RULES, "en_US"):\n\n'
        + generated
    )


def test_the_shipped_notes_are_translated_when_shown() -> None:
    # Issue 12: staff read the notes in the rule table; the zh_CN table showed them in English.
    notes = [r.note for r in DEFAULT_RULES.rules] + [r.note for r in DEFAULT_RULES.raise_rules]
    assert all(notes)
    zh_table = rule_table(DEFAULT_RULES, "zh_CN")
    en_table = rule_table(DEFAULT_RULES, "en_US")
    for note in notes:
        assert f"| {note} |" in en_table
        assert f"| {note} |" not in zh_table, note
    assert "| 有爆炸危险；描述中只提到燃气也算 |" in zh_table
    assert "| 其他一切 |" in zh_table
    # The data itself stays the stable msgid, whatever the locale shown.
    assert DEFAULT_RULES.rule("gas-smell").note == (
        "risk of explosion; also when only the words mention gas"
    )


def test_a_communitys_own_note_is_printed_as_written() -> None:
    own = attrs.evolve(
        DEFAULT_RULES,
        rules=(Rule("typhoon", URGENT, Always(), note="台风期间，所有报修按急处理"),),
        raise_rules=(),
    )
    assert "| 台风期间，所有报修按急处理 |" in rule_table(own, "en_US")
