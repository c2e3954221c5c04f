"""The shipped rule set: which priority common service requests get by default.

The three levels are the brief's (§3): 特急 extra-urgent for danger to life or property now
(gas, fire, a person trapped in a lift, live electricity, a security incident), 急 urgent for
a home without water, power or a working drain and for water damaging a home, 一般 general for
everything that can wait until later the same day. The rules look at the category the desk chose
and at the customer's words, so a gas smell filed under "other" is still 特急. Life-safety
keywords err on the side of urgency; staff correct a false alarm with an override.

Night-time rules use :data:`NIGHT_START`–:data:`NIGHT_END` (22:00–06:00, the night of China's
noise law) and :data:`DARK_START` for lighting, local to :data:`~propcrm.time.DEFAULT_ZONE`.
An elderly person living alone, or a disabled, seriously ill or pregnant requester, raises an
in-home request one level (§3's levels are for in-home repair). Being a VIP raises nothing: the
brief's service standard is the same for every customer; a community may add such a rule.

A community builds its own rule set the same way, or extends this one with ``attrs.evolve``.

The shipped notes (why each rule exists) are English msgids kept as data, so a rule set compares
and stores the same in every locale; :func:`~propcrm.classification.rule_table` translates them
through the catalogs when it shows them, and prints a community's own notes as written.

>>> import pendulum
>>> from propcrm.classification._classification import classify
>>> from propcrm.classification._request_facts import Category, RequestFacts
>>> at = pendulum.datetime(2026, 11, 24, 23, 30, tz="Asia/Shanghai")
>>> noise = RequestFacts(category=Category.NOISE, received_at=at)
>>> classify(noise, DEFAULT_RULES).rule.name, classify(noise, DEFAULT_RULES).priority.code
('night-noise', 'P2')
"""

from __future__ import annotations

import datetime

from propcrm.classification._classification import RaiseRule, Rule, RuleSet
from propcrm.classification._predicates import (
    Always,
    CategoryIn,
    Keywords,
    LocationIn,
    RequesterHas,
    TimeOfDay,
)
from propcrm.classification._priorities import DEFAULT_PRIORITIES, EXTRA_URGENT, GENERAL, URGENT
from propcrm.classification._request_facts import Category, Location, RequesterAttribute
from propcrm.time import DEFAULT_ZONE

__all__ = [
    "DARK_START",
    "DEFAULT_RULES",
    "DEFAULT_RULES_NAME",
    "DEFAULT_RULES_VERSION",
    "NIGHT_END",
    "NIGHT_START",
]

DEFAULT_RULES_NAME = "default"
"""Name of the shipped rule set, cited by every classification made with it."""

DEFAULT_RULES_VERSION = "2026.1"
"""Version of the shipped rule set; changes whenever a rule does."""

NIGHT_START = datetime.time(22, 0)
"""Start of night for night-time rules (夜间 22:00–06:00, as in China's noise-pollution law)."""

NIGHT_END = datetime.time(6, 0)
"""End of night for night-time rules."""

DARK_START = datetime.time(18, 0)
"""From when a failed common-area light is a safety problem (until :data:`NIGHT_END`)."""

_NIGHT = TimeOfDay(NIGHT_START, NIGHT_END, zone=DEFAULT_ZONE)
_AFTER_DARK = TimeOfDay(DARK_START, NIGHT_END, zone=DEFAULT_ZONE)
_IN_HOME = LocationIn(Location.IN_HOME)


def N_(message: str) -> str:  # noqa: N802 - the name pybabel extracts as a message
    """``message`` itself, marked for the catalogs: a note is data, translated when shown."""
    return message


def _general(
    name: str, category: Category, note: str = N_("the same day, or at an agreed time")
) -> Rule:
    return Rule(name, GENERAL, CategoryIn(category), note=note)


_RULES = (
    # 特急: danger to people or property now.
    Rule(
        "gas-smell",
        EXTRA_URGENT,
        CategoryIn(Category.GAS_SMELL)
        | Keywords("煤气味", "煤气泄漏", "燃气味", "燃气泄漏", "天然气味", "漏气", "gas"),
        note=N_("risk of explosion; also when only the words mention gas"),
    ),
    Rule(
        "fire",
        EXTRA_URGENT,
        CategoryIn(Category.FIRE_ALARM)
        | Keywords("着火", "起火", "失火", "火灾", "冒烟", "fire", "smoke", "burning"),
        note=N_("risk to life"),
    ),
    Rule(
        "lift-entrapment",
        EXTRA_URGENT,
        CategoryIn(Category.LIFT_ENTRAPMENT)
        | Keywords(
            "困人", "被困", "关在电梯", "trapped", "stuck in the lift", "stuck in the elevator"
        ),
        note=N_("a person trapped"),
    ),
    Rule(
        "live-electricity",
        EXTRA_URGENT,
        Keywords("漏电", "触电", "冒火花", "电线冒烟", "electric shock", "sparks", "sparking"),
        note=N_("risk of electrocution or fire, whatever the category"),
    ),
    Rule(
        "security-incident",
        EXTRA_URGENT,
        CategoryIn(Category.SECURITY_INCIDENT)
        | Keywords(
            "打架", "斗殴", "小偷", "盗窃", "抢劫", "burglar", "burglary", "robbery", "intruder"
        ),
        note=N_("security staff on site at once"),
    ),
    # 急: a home without water, power or drainage, or water damaging it.
    Rule(
        "burst-pipe",
        URGENT,
        CategoryIn(Category.BURST_PIPE)
        | Keywords("爆管", "水管爆", "水淹", "淹了", "burst", "flooded", "flooding"),
        note=N_("water damage spreads by the minute"),
    ),
    Rule(
        "sewage-overflow",
        URGENT,
        CategoryIn(Category.SEWAGE_OVERFLOW) | Keywords("污水外溢", "返水", "冒污水", "sewage"),
        note=N_("hygiene and water damage"),
    ),
    Rule(
        "leak-in-home",
        URGENT,
        (
            CategoryIn(Category.WATER_LEAK, Category.ROOF_LEAK)
            | Keywords("漏水", "渗水", "滴水", "leak", "leaks", "leaking")
        )
        & _IN_HOME,
        note=N_("water damaging a home"),
    ),
    Rule("roof-leak", URGENT, CategoryIn(Category.ROOF_LEAK), note=N_("top-floor homes at risk")),
    Rule(
        "power-outage",
        URGENT,
        CategoryIn(Category.POWER_OUTAGE)
        | Keywords(
            "停电", "断电", "没电", "跳闸", "power cut", "power outage", "no power", "blackout"
        ),
        note=N_("a home or building without power"),
    ),
    Rule(
        "no-water",
        URGENT,
        CategoryIn(Category.NO_WATER) | Keywords("停水", "没水", "no water"),
        note=N_("water is a 24-hour service (§3)"),
    ),
    Rule(
        "lift-fault",
        URGENT,
        CategoryIn(Category.LIFT_FAULT) | Keywords("电梯故障", "电梯停运", "电梯坏了"),
        note=N_("residents of high floors cut off; nobody trapped"),
    ),
    Rule(
        "blocked-drain-in-home",
        URGENT,
        (
            CategoryIn(Category.BLOCKED_DRAIN)
            | Keywords("马桶堵", "下水道堵", "地漏堵", "blocked", "clogged")
        )
        & _IN_HOME,
        note=N_("a home without a working drain"),
    ),
    Rule(
        "load-bearing-wall",
        URGENT,
        Keywords("承重墙", "砸墙", "load-bearing"),
        note=N_("structural danger from decoration work; stop it now"),
    ),
    # Night-time rules: what can wait by day cannot at night.
    Rule("night-noise", URGENT, CategoryIn(Category.NOISE) & _NIGHT, note=N_("disturbing sleep")),
    Rule(
        "night-lockout",
        URGENT,
        CategoryIn(Category.DOOR_LOCK) & _NIGHT,
        note=N_("a resident locked out at night"),
    ),
    Rule(
        "dark-common-area",
        URGENT,
        CategoryIn(Category.COMMON_AREA_LIGHTING) & _AFTER_DARK,
        note=N_("dark stairs and paths after dusk"),
    ),
    # 一般: the same day, or at a time agreed with the customer (§3).
    _general("water-leak", Category.WATER_LEAK, N_("a leak outside a home")),
    _general("blocked-drain", Category.BLOCKED_DRAIN, N_("a drain outside a home")),
    _general("electrical-fault", Category.ELECTRICAL_FAULT, N_("a socket or switch, no danger")),
    _general("door-lock", Category.DOOR_LOCK),
    _general("intercom", Category.INTERCOM),
    _general("common-area-lighting", Category.COMMON_AREA_LIGHTING, N_("by day; the same day")),
    _general("heating-air-conditioning", Category.HEATING_AIR_CONDITIONING),
    _general("noise", Category.NOISE, N_("by day; the same day")),
    _general("parking", Category.PARKING),
    _general("pest", Category.PEST),
    _general("cleaning", Category.CLEANING),
    _general("greening", Category.GREENING),
    _general("decoration-violation", Category.DECORATION_VIOLATION),
    _general("pet", Category.PET),
    _general("facility-damage", Category.FACILITY_DAMAGE),
    Rule("default", GENERAL, Always(), note=N_("everything else")),
)

_RAISE_RULES = (
    RaiseRule(
        "elderly-alone-at-home",
        RequesterHas(RequesterAttribute.ELDERLY_LIVING_ALONE) & _IN_HOME,
        note=N_("an elderly person living alone cannot wait or fix things alone"),
    ),
    RaiseRule(
        "vulnerable-at-home",
        RequesterHas(
            RequesterAttribute.DISABLED,
            RequesterAttribute.SERIOUSLY_ILL,
            RequesterAttribute.PREGNANT,
        )
        & _IN_HOME,
        note=N_("a requester who cannot cope with the fault alone"),
    ),
)

DEFAULT_RULES = RuleSet(
    DEFAULT_RULES_NAME,
    DEFAULT_RULES_VERSION,
    _RULES,
    raise_rules=_RAISE_RULES,
    scale=DEFAULT_PRIORITIES,
    zone=DEFAULT_ZONE,
)
"""The shipped rule set (see the module docstring and docs/sla-classification.md)."""
