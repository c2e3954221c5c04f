"""Classification as data: which priority a service request gets, and why.

A :class:`RuleSet` is an ordered list of :class:`Rule` values. Each rule pairs a typed predicate
(:mod:`propcrm.sla`) with a priority level (domain brief §3: 特急, 急, 一般), and may be
limited to dates ``[valid_from, valid_until)`` — half-open, dates local to the rule set's zone.
:func:`classify` walks the rules in order and the **first rule in force whose predicate holds
wins**. The last rule must be the *default*: predicate :class:`~propcrm.classification.Always`
and no dates, so every request gets a priority; a rule set without one cannot be built.

After the base priority, the rule set's :class:`RaiseRule` list may raise it: the first
raise rule in force whose predicate holds raises the level by its ``steps`` (an elderly person
living alone: one level), stopping at the most urgent level of the scale.

The result, a :class:`Classification`, keeps the facts, the rule that matched with the outcome
of each of its predicates (the evidence: which keyword, which category, the local time), the
rules tried before it and why each did not match, the raise rule, and the rule set's name and
version. :func:`classify` is a pure function: the same facts and rules give an equal result.

>>> from propcrm.classification._predicates import Always, CategoryIn, Keywords, RequesterHas
>>> from propcrm.classification._priorities import EXTRA_URGENT, GENERAL, URGENT
>>> from propcrm.classification._request_facts import Category, RequesterAttribute, RequestFacts
>>> rules = RuleSet(
...     "demo",
...     "1",
...     [
...         Rule("gas", EXTRA_URGENT, CategoryIn(Category.GAS_SMELL) | Keywords("煤气", "gas")),
...         Rule("leak", URGENT, CategoryIn(Category.WATER_LEAK)),
...         Rule("default", GENERAL, Always()),
...     ],
...     raise_rules=[RaiseRule("alone", RequesterHas(RequesterAttribute.ELDERLY_LIVING_ALONE))],
... )
>>> facts = RequestFacts(
...     category=Category.OTHER,
...     description="楼道里有煤气味",
...     received_at=pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Shanghai"),
... )
>>> result = classify(facts, rules)
>>> result.priority.code, result.rule.name, [trial.rule.name for trial in result.passed_over]
('P1', 'gas', [])
>>> for line in result.explain("en_US"):
...     print(line)
P1 extra-urgent by rule 'gas' of rule set demo version 1
rule gas: category is gas smell or description mentions “煤气”, “gas” -> holds
  category is gas smell -> no (category: other)
  description mentions “煤气”, “gas” -> yes (found “煤气” at 4–6)
raise rule alone: requester is elderly living alone -> fails
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._validators import check_instance, check_items
from propcrm.classification._predicates import (
    Always,
    CategoryEvidence,
    KeywordEvidence,
    LocationEvidence,
    Predicate,
    PredicateOutcome,
    RequesterEvidence,
    TimeOfDayEvidence,
)
from propcrm.classification._priorities import DEFAULT_PRIORITIES, Priority, PriorityScale
from propcrm.classification._request_facts import RequestFacts
from propcrm.errors import (
    InvalidRequestFacts,
    InvalidRule,
    InvalidRuleSet,
    NotADate,
    UnknownRule,
)
from propcrm.time import (
    DEFAULT_ZONE,
    as_date,
    local_date,
)
from propcrm.time import zone as _zone

__all__ = [
    "Classification",
    "RaiseRule",
    "RaiseTrial",
    "Rule",
    "RuleSet",
    "RuleTrial",
    "classify",
    "rule_table",
]

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _check_name(_instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or _NAME.fullmatch(value) is None:
        raise InvalidRule(
            f"{attribute.name} {value!r} must be a non-empty str of ASCII letters, digits, '_', "
            f"'.' or '-' (no spaces), e.g. 'gas-smell'.",
            field=attribute.name,
            value=value,
            allowed="ASCII letters, digits, '_', '.' or '-'",
        )


def _check_predicate(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, Predicate):
        raise InvalidRule(
            f"{value!r} is not a predicate; use typed predicates such as CategoryIn(...), "
            f"Keywords(...), AllOf(...), never strings.",
            field="predicate",
            value=value,
            allowed="a Predicate",
        )


def _check_priority(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, Priority):
        raise InvalidRule(
            f"priority {value!r} must be a Priority, e.g. URGENT.",
            field="priority",
            value=value,
            allowed="a Priority",
        )


def _optional_date(value: Any) -> pendulum.Date | None:
    if value is None:
        return None
    try:
        return as_date(value)
    except NotADate as error:
        raise InvalidRule(
            str(error), field=error.field, value=error.value, allowed=error.allowed
        ) from None


def _check_note(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str):
        raise InvalidRule(
            f"note {value!r} must be a str.", field="note", value=value, allowed="str"
        )


def _check_dates(
    kind: str, name: str, start: pendulum.Date | None, end: pendulum.Date | None
) -> None:
    if start is not None and end is not None and end <= start:
        raise InvalidRule(
            f"{kind} {name!r} is valid from {start.isoformat()} until {end.isoformat()}, which "
            f"is no day at all; valid_until is the first day it no longer applies and must be "
            f"after valid_from.",
            field="valid_until",
            value=end,
            allowed=f"a date after {start.isoformat()}",
            rule=name,
        )


def _in_force(start: pendulum.Date | None, end: pendulum.Date | None, on: datetime.date) -> bool:
    return (start is None or start <= on) and (end is None or on < end)


@attrs.frozen
class Rule:
    """If ``when`` holds (and the date is in ``[valid_from, valid_until)``), give ``priority``.

    ``note`` says why the rule exists; it appears in the rule table.

    >>> from propcrm.classification._predicates import Always
    >>> from propcrm.classification._priorities import GENERAL
    >>> Rule("typhoon", GENERAL, Always(), valid_from=pendulum.date(2026, 8, 3),
    ...      valid_until=pendulum.date(2026, 8, 3))
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidRule: rule 'typhoon' is valid from 2026-08-03 until 2026-08-03, which \
is no day at all; valid_until is the first day it no longer applies and must be after valid_from.
    """

    name: str = attrs.field(validator=_check_name)
    priority: Priority = attrs.field(validator=_check_priority)
    when: Predicate = attrs.field(validator=_check_predicate)
    valid_from: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=_optional_date
    )
    valid_until: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=_optional_date
    )
    note: str = attrs.field(default="", kw_only=True, validator=_check_note)

    def __attrs_post_init__(self) -> None:
        _check_dates("rule", self.name, self.valid_from, self.valid_until)

    @property
    def is_default(self) -> bool:
        """Whether the rule matches every request on every date (a rule set's default)."""
        return (
            isinstance(self.when, Always) and self.valid_from is None and self.valid_until is None
        )

    def in_force(self, on: datetime.date) -> bool:
        """Whether the rule applies on the local date ``on``."""
        return _in_force(self.valid_from, self.valid_until, as_date(on, "on"))


def _check_steps(_instance: object, _attribute: object, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRule(
            f"raise-rule steps {value!r} must be an int >= 1.",
            field="steps",
            value=value,
            allowed="int >= 1",
        )


@attrs.frozen
class RaiseRule:
    """If ``when`` holds (and the date is in force), raise the base priority by ``steps`` levels."""

    name: str = attrs.field(validator=_check_name)
    when: Predicate = attrs.field(validator=_check_predicate)
    steps: int = attrs.field(default=1, validator=_check_steps)
    valid_from: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=_optional_date
    )
    valid_until: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=_optional_date
    )
    note: str = attrs.field(default="", kw_only=True, validator=_check_note)

    def __attrs_post_init__(self) -> None:
        _check_dates("raise rule", self.name, self.valid_from, self.valid_until)

    def in_force(self, on: datetime.date) -> bool:
        """Whether the raise rule applies on the local date ``on``."""
        return _in_force(self.valid_from, self.valid_until, as_date(on, "on"))


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    rules = check_items(value, "rules", error=InvalidRuleSet)
    for rule in rules:
        if not isinstance(rule, Rule):
            raise InvalidRuleSet(
                f"a rule set holds Rule values, not {rule!r}.",
                field="rules",
                value=rule,
                allowed="Rule",
            )
    return rules


def _raise_rules(value: Iterable[RaiseRule]) -> tuple[RaiseRule, ...]:
    raise_rules = check_items(value, "raise_rules", error=InvalidRuleSet)
    for raise_rule in raise_rules:
        if not isinstance(raise_rule, RaiseRule):
            raise InvalidRuleSet(
                f"a rule set's raise rules are RaiseRule values, not {raise_rule!r}.",
                field="raise_rules",
                value=raise_rule,
                allowed="RaiseRule",
            )
    return raise_rules


def _check_label(_instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidRuleSet(
            f"rule set {attribute.name} {value!r} must be a non-empty str.",
            field=attribute.name,
            value=value,
            allowed="non-empty text",
        )


def _check_scale(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, PriorityScale):
        raise InvalidRuleSet(
            f"scale {value!r} must be a PriorityScale, e.g. DEFAULT_PRIORITIES.",
            field="scale",
            value=value,
            allowed="a PriorityScale",
        )


def _check_zone(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str):
        raise InvalidRuleSet(
            f"zone {value!r} must be an IANA zone name, e.g. 'Asia/Shanghai'.",
            field="zone",
            value=value,
            allowed="an IANA zone name",
        )
    _zone(value)


_DEFAULT_EXAMPLE = "Rule('default', GENERAL, Always())"


@attrs.frozen
class RuleSet:
    """Named, versioned, ordered rules ending in a default, with optional raise rules.

    ``zone`` is where validity dates are read: a request received at 23:30 UTC on 30 September is
    on 1 October in Asia/Shanghai. Every priority must be a level of ``scale``.

    >>> from propcrm.classification._predicates import CategoryIn
    >>> from propcrm.classification._priorities import URGENT
    >>> from propcrm.classification._request_facts import Category
    >>> RuleSet("mine", "1", [Rule("leak", URGENT, CategoryIn(Category.WATER_LEAK))])
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidRuleSet: rule set 'mine' has no default rule: its last rule must hold \
for every request on every date (predicate Always(), no validity dates), e.g. \
Rule('default', GENERAL, Always()).
    """

    name: str = attrs.field(validator=_check_label)
    version: str = attrs.field(validator=_check_label)
    rules: tuple[Rule, ...] = attrs.field(converter=_rules)
    raise_rules: tuple[RaiseRule, ...] = attrs.field(
        default=(), kw_only=True, converter=_raise_rules
    )
    scale: PriorityScale = attrs.field(
        default=DEFAULT_PRIORITIES, kw_only=True, validator=_check_scale
    )
    zone: str = attrs.field(default=DEFAULT_ZONE, kw_only=True, validator=_check_zone)

    def __attrs_post_init__(self) -> None:
        if not self.rules or not self.rules[-1].is_default:
            raise InvalidRuleSet(
                f"rule set {self.name!r} has no default rule: its last rule must hold for every "
                f"request on every date (predicate Always(), no validity dates), e.g. "
                f"{_DEFAULT_EXAMPLE}.",
                field="rules",
                value=tuple(rule.name for rule in self.rules),
                allowed="rules ending with a default rule (Always(), no dates)",
            )
        for position, rule in enumerate(self.rules[:-1], start=1):
            if rule.is_default:
                raise InvalidRuleSet(
                    f"rule {position} of rule set {self.name!r}, {rule.name!r}, holds for every "
                    f"request on every date, so the rules after it could never match; make it "
                    f"the last rule or narrow it.",
                    field="rules",
                    value=rule.name,
                    allowed="a default rule only as the last rule",
                )
        names = [rule.name for rule in self.rules] + [e.name for e in self.raise_rules]
        for name in names:
            if names.count(name) > 1:
                raise InvalidRuleSet(
                    f"rule set {self.name!r} uses the name {name!r} twice; rule and raise-rule "
                    f"names must be unique, since a classification cites them.",
                    field="rules",
                    value=name,
                    allowed="each rule name once",
                )
        for rule in self.rules:
            if rule.priority not in self.scale:
                raise InvalidRuleSet(
                    f"rule {rule.name!r} gives priority {rule.priority}, which is not a level of "
                    f"scale {self.scale.name!r} ({', '.join(self.scale.codes)}).",
                    field="priority",
                    value=rule.priority.code,
                    allowed=", ".join(self.scale.codes),
                    rule=rule.name,
                )

    @property
    def default(self) -> Rule:
        """The last rule, which every request matches if no rule before it does."""
        return self.rules[-1]

    def rule(self, name: str) -> Rule:
        """The rule called ``name``."""
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise UnknownRule(
            f"rule set {self.name!r} has no rule called {name!r}; its rules are "
            f"{', '.join(rule.name for rule in self.rules)}.",
            field="name",
            value=name,
            allowed=", ".join(rule.name for rule in self.rules),
        )


@attrs.frozen
class RuleTrial:
    """One rule tried against a request: in force on the date or not, and its predicate's outcome.

    ``outcome`` is ``None`` when the rule was not in force (its predicate was not evaluated).
    """

    rule: Rule
    in_force: bool
    outcome: PredicateOutcome | None

    @property
    def matched(self) -> bool:
        """Whether the rule was in force and its predicate held."""
        return self.outcome is not None and self.outcome.holds


@attrs.frozen
class RaiseTrial:
    """One raise rule tried against a request, like :class:`RuleTrial`."""

    raise_rule: RaiseRule
    in_force: bool
    outcome: PredicateOutcome | None

    @property
    def matched(self) -> bool:
        """Whether the raise rule was in force and its predicate held."""
        return self.outcome is not None and self.outcome.holds


@attrs.frozen
class Classification:
    """A request's priority and the full reasoning behind it, as data.

    ``priority`` is ``base_priority`` raised by the matched raise rule, if any.
    ``passed_over`` are the rules tried before the matching one (each did not match: out of its
    dates, or its predicate did not hold); ``raises_tried`` every raise rule tried, in order,
    up to and including the one that applied.
    """

    facts: RequestFacts
    rule_set_name: str
    rule_set_version: str
    on: pendulum.Date
    matched: RuleTrial
    passed_over: tuple[RuleTrial, ...]
    base_priority: Priority
    raises_tried: tuple[RaiseTrial, ...]
    priority: Priority
    scale: PriorityScale

    @property
    def rule(self) -> Rule:
        """The rule that matched."""
        return self.matched.rule

    @property
    def raised_by(self) -> RaiseRule | None:
        """The raise rule that raised the priority, if one did."""
        last = self.raises_tried[-1] if self.raises_tried else None
        return last.raise_rule if last is not None and last.matched else None

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> tuple[str, ...]:
        """The reasoning as lines of text (the data is in the fields; this is for people)."""
        lines = [
            gettext(
                "%(priority)s by rule '%(rule)s' of rule set %(rule_set)s version %(version)s",
                locale=locale,
                priority=_priority_text(self.priority, locale),
                rule=self.rule.name,
                rule_set=self.rule_set_name,
                version=self.rule_set_version,
            )
        ]
        for trial in self.passed_over:
            lines.extend(_explain_trial(False, trial.rule.name, trial, trial.rule.when, locale))
        lines.extend(_explain_trial(False, self.rule.name, self.matched, self.rule.when, locale))
        for raise_trial in self.raises_tried:
            raise_rule = raise_trial.raise_rule
            lines.extend(
                _explain_trial(True, raise_rule.name, raise_trial, raise_rule.when, locale)
            )
        if self.raised_by is not None:
            lines.append(
                gettext(
                    "raised from %(before)s to %(after)s by raise rule '%(rule)s'",
                    locale=locale,
                    before=_priority_text(self.base_priority, locale),
                    after=_priority_text(self.priority, locale),
                    rule=self.raised_by.name,
                )
            )
        return tuple(lines)


def _priority_text(priority: Priority, locale: LocaleLike) -> str:
    # The code and the level's own name in the locale, e.g. "P1 特急" or "P1 extra-urgent".
    return f"{priority.code} {priority.name(locale)}"


def _explain_trial(
    raising: bool, name: str, trial: RuleTrial | RaiseTrial, when: Predicate, locale: LocaleLike
) -> list[str]:
    if trial.outcome is None:
        if raising:
            return [
                gettext("raise rule %(rule)s: not in force on that date", locale=locale, rule=name)
            ]
        return [gettext("rule %(rule)s: not in force on that date", locale=locale, rule=name)]
    values = {"rule": name, "condition": when.describe(locale)}
    match raising, trial.outcome.holds:
        case False, True:
            line = gettext("rule %(rule)s: %(condition)s -> holds", locale=locale, **values)
        case False, False:
            line = gettext("rule %(rule)s: %(condition)s -> fails", locale=locale, **values)
        case True, True:
            line = gettext("raise rule %(rule)s: %(condition)s -> holds", locale=locale, **values)
        case _:
            line = gettext("raise rule %(rule)s: %(condition)s -> fails", locale=locale, **values)
    if not trial.outcome.children:
        evidence = _describe_evidence(trial.outcome, locale)
        return [_with_evidence(line, evidence, locale)]
    lines = [line]
    for child in trial.outcome.children:
        lines.extend(_explain_outcome(child, locale, depth=1))
    return lines


def _with_evidence(line: str, evidence: str, locale: LocaleLike) -> str:
    if not evidence:
        return line
    return gettext("%(line)s (%(evidence)s)", locale=locale, line=line, evidence=evidence)


def _explain_outcome(outcome: PredicateOutcome, locale: LocaleLike, depth: int) -> list[str]:
    condition = outcome.predicate.describe(locale)
    if outcome.holds:
        line = gettext("%(condition)s -> yes", locale=locale, condition=condition)
    else:
        line = gettext("%(condition)s -> no", locale=locale, condition=condition)
    lines = ["  " * depth + _with_evidence(line, _describe_evidence(outcome, locale), locale)]
    for child in outcome.children:
        lines.extend(_explain_outcome(child, locale, depth + 1))
    return lines


def _describe_evidence(outcome: PredicateOutcome, locale: LocaleLike) -> str:
    evidence = outcome.evidence
    match evidence:
        case CategoryEvidence(category=category):
            return gettext("category: %(name)s", locale=locale, name=category.label(locale))
        case LocationEvidence(location=location):
            return gettext("location: %(name)s", locale=locale, name=location.label(locale))
        case KeywordEvidence(hits=hits) if hits:
            found = ", ".join(
                gettext(
                    "“%(keyword)s” at %(start)d–%(end)d",
                    locale=locale,
                    keyword=hit.keyword,
                    start=hit.start,
                    end=hit.end,
                )
                for hit in hits
            )
            return gettext("found %(hits)s", locale=locale, hits=found)
        case KeywordEvidence():
            return gettext("no keyword found", locale=locale)
        case RequesterEvidence(present=present) if present:
            return ", ".join(attribute.label(locale) for attribute in present)
        case TimeOfDayEvidence(local_time=local_time, zone=zone):
            return gettext(
                "local time %(time)s %(zone)s",
                locale=locale,
                time=local_time.strftime("%H:%M"),
                zone=zone,
            )
        case _:
            return ""


def classify(facts: RequestFacts, rules: RuleSet) -> Classification:
    """Classify ``facts`` with ``rules``: first matching rule in force, then the first raise rule.

    Pure: reads nothing but its arguments; equal arguments give equal results. The date that
    validity is checked against is ``facts.received_at``'s date in ``rules.zone``.
    """
    if not isinstance(facts, RequestFacts):
        raise InvalidRequestFacts(
            f"classify takes RequestFacts, not {facts!r}.",
            field="facts",
            value=facts,
            allowed="RequestFacts",
        )
    if not isinstance(rules, RuleSet):
        raise InvalidRuleSet(
            f"classify takes a RuleSet, not {rules!r}.",
            field="rules",
            value=rules,
            allowed="a RuleSet",
        )
    on = local_date(facts.received_at, rules.zone)
    passed_over: list[RuleTrial] = []
    for rule in rules.rules:
        trial = _try(rule.in_force(on), rule.when, facts)
        rule_trial = RuleTrial(rule, trial is not None, trial)
        if rule_trial.matched:
            break
        passed_over.append(rule_trial)
    else:  # pragma: no cover - the validated default rule always matches
        raise AssertionError("a rule set's default rule did not match")
    raises_tried: list[RaiseTrial] = []
    priority = rule_trial.rule.priority
    for raise_rule in rules.raise_rules:
        outcome = _try(raise_rule.in_force(on), raise_rule.when, facts)
        raise_trial = RaiseTrial(raise_rule, outcome is not None, outcome)
        raises_tried.append(raise_trial)
        if raise_trial.matched:
            priority = rules.scale.raised(priority, raise_rule.steps)
            break
    return Classification(
        facts=facts,
        rule_set_name=rules.name,
        rule_set_version=rules.version,
        on=on,
        matched=rule_trial,
        passed_over=tuple(passed_over),
        base_priority=rule_trial.rule.priority,
        raises_tried=tuple(raises_tried),
        priority=priority,
        scale=rules.scale,
    )


def _try(in_force: bool, when: Predicate, facts: RequestFacts) -> PredicateOutcome | None:
    return when.evaluate(facts) if in_force else None


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _validity(start: pendulum.Date | None, end: pendulum.Date | None, locale: LocaleLike) -> str:
    if start is None and end is None:
        return pgettext("rule validity", "always", locale=locale)
    since = start.isoformat() if start is not None else "…"
    until = end.isoformat() if end is not None else "…"
    return f"[{since}, {until})"


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _note(note: str, locale: LocaleLike) -> str:
    # An empty msgid would fetch the catalog's header; a note not in the catalogs (a community's
    # own) comes back as written.
    return gettext(note, locale=locale) if note else ""


def rule_table(rules: RuleSet, locale: LocaleLike = DEFAULT_LOCALE) -> str:
    """The rules and raise rules of ``rules`` as Markdown tables, for the docs and for staff.

    The documentation's default rule table is this function's output for
    :data:`~propcrm.classification.DEFAULT_RULES` in en_US; a test keeps the two equal. Rule
    names are the rule set's own data and are printed as they were given; a note is translated
    when the catalogs hold it (the shipped rules' notes are msgids), else printed as written.

    >>> from propcrm.classification import DEFAULT_RULES
    >>> rule_table(DEFAULT_RULES, "zh_CN").splitlines()[4].split(" | ")[-1]
    '有爆炸危险；描述中只提到燃气也算 |'
    >>> rule_table(DEFAULT_RULES, "en_US").splitlines()[4].split(" | ")[-1]
    'risk of explosion; also when only the words mention gas |'
    """
    check_instance(rules, "rules", RuleSet)
    header = [
        "#",
        pgettext("rule table", "rule", locale=locale),
        pgettext("rule table", "when", locale=locale),
        pgettext("rule table", "priority", locale=locale),
        pgettext("rule table", "valid", locale=locale),
        pgettext("rule table", "why", locale=locale),
    ]
    lines = [
        gettext(
            "Rule set `%(name)s`, version %(version)s (first matching rule wins)",
            locale=locale,
            name=rules.name,
            version=rules.version,
        ),
        "",
        _row(header),
        "|" + " --- |" * len(header),
    ]
    for position, rule in enumerate(rules.rules, start=1):
        lines.append(
            _row(
                [
                    str(position),
                    f"`{rule.name}`",
                    rule.when.describe(locale),
                    _priority_text(rule.priority, locale),
                    _validity(rule.valid_from, rule.valid_until, locale),
                    _note(rule.note, locale),
                ]
            )
        )
    if rules.raise_rules:
        header = [
            "#",
            pgettext("rule table", "raise rule", locale=locale),
            pgettext("rule table", "when", locale=locale),
            pgettext("rule table", "levels up", locale=locale),
            pgettext("rule table", "valid", locale=locale),
            pgettext("rule table", "why", locale=locale),
        ]
        lines += [
            "",
            gettext("Then the first matching raise rule raises the level:", locale=locale),
            "",
            _row(header),
            "|" + " --- |" * len(header),
        ]
        for position, raise_rule in enumerate(rules.raise_rules, start=1):
            lines.append(
                _row(
                    [
                        str(position),
                        f"`{raise_rule.name}`",
                        raise_rule.when.describe(locale),
                        str(raise_rule.steps),
                        _validity(raise_rule.valid_from, raise_rule.valid_until, locale),
                        _note(raise_rule.note, locale),
                    ]
                )
            )
    return "\n".join(lines) + "\n"
