"""A community's lifecycle policy: its transition table, SLA, classifier and the numbers around.

Every number is a named default here, never a literal in the rules:

* :data:`DEFAULT_CALLBACK_ATTEMPTS` (3): unanswered callback attempts before a callback may be
  recorded as "unreachable". Not in the brief, which asks only that every resolution is reported
  back (§4, 有解必答); three tries is common desk practice.
* :data:`DEFAULT_SATISFIED_FROM` (4): a callback score of 4 or 5 on the 1–5 scale is
  "satisfied", as CSAT counts it (:mod:`propcrm.analytics`).
* :data:`DEFAULT_REOPEN_ON_DISSATISFIED` (``True``): a dissatisfied callback reopens the request
  (the issue's default), under the SLA policy's reopen policy.
* :data:`DEFAULT_REOPEN_WITHIN_DAYS` (30): a closed request may be reopened for 30 days.
* :data:`DEFAULT_MAX_ESCALATION_LEVEL` (3): supervisor, manager, general manager, matching the
  SLA's escalation levels (:data:`~propcrm.sla.DEFAULT_ESCALATION_LEVELS`).
* :data:`DEFAULT_REOPENED_TARGETS`: the SLA targets a reopen reopens (resolution and same-day
  completion; the response was given, and the callback gets a new cycle at the next resolution).

Each count has a ceiling far above any community's practice (:data:`MAX_CALLBACK_ATTEMPTS` 20,
:data:`MAX_REOPEN_WITHIN_DAYS` 366, :data:`MAX_ESCALATION_LEVEL` 10), so that a typo is refused
with the field named rather than quietly obeyed.

有求必应 is enforced here too: a policy whose SLA has a priority level without a response target
is refused, since a request at that priority would have no acknowledgement target.

>>> policy = LifecyclePolicy()
>>> policy.callback_attempts, policy.reopen_on_dissatisfied
(3, True)
>>> from propcrm.sla import DEFAULT_SLA_POLICY, ServiceLevel, Target, TargetKind, Within
>>> LifecyclePolicy(
...     sla=DEFAULT_SLA_POLICY.with_level(
...         ServiceLevel("P4", [Target(TargetKind.RESOLUTION, Within(86400, "24x7"))])
...     )
... )
Traceback (most recent call last):
...
propcrm.errors.InvalidLifecycle: SLA policy 'default' has no response target at priority P4; \
every request needs an acknowledgement target (有求必应, brief §4).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

import attrs

from propcrm._validators import check_int, check_member, check_text, instance_of
from propcrm.analytics import SATISFACTION_SCALE
from propcrm.classification import DEFAULT_RULES, Category, RuleSet
from propcrm.complaints._transitions import DEFAULT_TRANSITIONS, TransitionTable
from propcrm.errors import InvalidLifecycle
from propcrm.sla import DEFAULT_SLA_POLICY, BusinessCalendar, CalendarSet, SlaPolicy, TargetKind
from propcrm.time import (
    DEFAULT_ZONE,
    zone,
)

__all__ = [
    "DEFAULT_CALENDARS",
    "DEFAULT_CALLBACK_ATTEMPTS",
    "DEFAULT_LIFECYCLE_POLICY",
    "DEFAULT_MAX_ESCALATION_LEVEL",
    "DEFAULT_REOPENED_TARGETS",
    "DEFAULT_REOPEN_ON_DISSATISFIED",
    "DEFAULT_REOPEN_WITHIN_DAYS",
    "DEFAULT_SATISFIED_FROM",
    "MAX_CALLBACK_ATTEMPTS",
    "MAX_ESCALATION_LEVEL",
    "MAX_REOPEN_WITHIN_DAYS",
    "AssigneeCheck",
    "LifecyclePolicy",
]

DEFAULT_CALLBACK_ATTEMPTS = 3
"""Unanswered attempts before a callback may be recorded as unreachable (desk practice)."""

DEFAULT_SATISFIED_FROM = 4
"""The lowest callback score (1–5) that counts as satisfied (CSAT's top two boxes)."""

DEFAULT_REOPEN_ON_DISSATISFIED = True
"""A dissatisfied callback reopens the request (issue 7's default)."""

DEFAULT_REOPEN_WITHIN_DAYS = 30
"""Days after closing during which a closed request may be reopened (my choice)."""

DEFAULT_MAX_ESCALATION_LEVEL = 3
"""Supervisor, manager, general manager: the SLA's default escalation levels."""

DEFAULT_REOPENED_TARGETS = frozenset({TargetKind.RESOLUTION, TargetKind.SERVICE_DAY})
"""The SLA targets a reopen reopens, under the SLA policy's :class:`~propcrm.sla.ReopenPolicy`."""

DEFAULT_CALENDARS = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
"""The 24×7 hotline calendar and China's service hours, the calendars the default SLA names."""


@runtime_checkable
class AssigneeCheck(Protocol):
    """What the lifecycle asks of a roster (:class:`~propcrm.complaints.Roster` is one)."""

    def check(self, assignee: str, territory: str, skill: str) -> None:
        """Raise :class:`~propcrm.errors.DispatchError` unless ``assignee`` fits."""
        ...


# Ceilings on the policy's counts: far above any community's practice, low enough that a
# typo (a year of days, a thousand levels) is refused rather than quietly obeyed.
MAX_CALLBACK_ATTEMPTS = 20
"""Most unanswered callback attempts a policy may require before "unreachable"."""

MAX_REOPEN_WITHIN_DAYS = 366
"""Longest reopen window a policy may set, in days (a year)."""

MAX_ESCALATION_LEVEL = 10
"""Highest escalation level a policy may set."""


def _bounded(maximum: int, minimum: int = 1) -> Any:
    def check(_instance: object, attribute: Any, value: Any) -> None:
        check_int(value, attribute.name, InvalidLifecycle, minimum=minimum, maximum=maximum)

    return check


def _satisfied_from(_instance: object, attribute: Any, value: Any) -> None:
    low, high = min(SATISFACTION_SCALE), max(SATISFACTION_SCALE)
    check_int(value, attribute.name, InvalidLifecycle, minimum=low, maximum=high)


def _target_kinds(value: Iterable[TargetKind]) -> frozenset[TargetKind]:
    if isinstance(value, TargetKind | str | bytes) or not isinstance(value, Iterable):
        raise InvalidLifecycle(
            f"reopened_targets are a collection of TargetKinds, not {value!r}.",
            field="reopened_targets",
            value=value,
            allowed="a collection of TargetKind",
        )
    found = frozenset(value)
    for kind in found:
        check_member(kind, TargetKind, "reopened_targets", InvalidLifecycle)
    return found


def _roster(_instance: object, attribute: Any, value: Any) -> None:
    if value is not None and not isinstance(value, AssigneeCheck):
        raise InvalidLifecycle(
            f"roster {value!r} must have check(assignee, territory, skill), like Roster.",
            field=attribute.name,
            value=value,
            allowed="None or an AssigneeCheck such as Roster",
        )


def _skills(value: Mapping[Category, str] | None) -> Mapping[Category, str] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidLifecycle(
            f"skills map Category members to skill codes, not {value!r}.",
            field="skills",
            value=value,
            allowed="None or a mapping of Category to skill code",
        )
    skills = dict(value)
    for category, skill in skills.items():
        check_member(category, Category, "skills", InvalidLifecycle)
        check_text(skill, "skills", InvalidLifecycle, example="'plumbing'")
    return skills


def _zone(_instance: object, attribute: Any, value: Any) -> None:
    check_text(value, attribute.name, InvalidLifecycle, example="'Asia/Shanghai'")
    zone(value)  # UnknownTimeZone for a name that is not an IANA zone


@attrs.frozen
class LifecyclePolicy:
    """Everything the lifecycle decides by, as one value; pass your community's own.

    ``roster``: when given, every dispatch, reassignment and escalation to a person is checked
    against it by territory and skill (``skills`` maps a request's category to the skill it
    needs; ``None`` uses :data:`~propcrm.complaints.SKILL_BY_CATEGORY`).
    """

    # The large parts stay out of the repr, which otherwise runs to tens of kilobytes.
    transitions: TransitionTable = attrs.field(
        default=DEFAULT_TRANSITIONS,
        validator=instance_of(TransitionTable),
        repr=False,
    )
    sla: SlaPolicy = attrs.field(default=DEFAULT_SLA_POLICY, validator=instance_of(SlaPolicy))
    calendars: CalendarSet = attrs.field(
        default=DEFAULT_CALENDARS, validator=instance_of(CalendarSet), repr=False
    )
    rules: RuleSet = attrs.field(default=DEFAULT_RULES, validator=instance_of(RuleSet), repr=False)
    callback_attempts: int = attrs.field(
        default=DEFAULT_CALLBACK_ATTEMPTS, validator=_bounded(MAX_CALLBACK_ATTEMPTS)
    )
    satisfied_from: int = attrs.field(default=DEFAULT_SATISFIED_FROM, validator=_satisfied_from)
    reopen_on_dissatisfied: bool = attrs.field(
        default=DEFAULT_REOPEN_ON_DISSATISFIED, validator=instance_of(bool)
    )
    reopen_within_days: int = attrs.field(
        default=DEFAULT_REOPEN_WITHIN_DAYS, validator=_bounded(MAX_REOPEN_WITHIN_DAYS, 0)
    )
    max_escalation_level: int = attrs.field(
        default=DEFAULT_MAX_ESCALATION_LEVEL, validator=_bounded(MAX_ESCALATION_LEVEL)
    )
    reopened_targets: frozenset[TargetKind] = attrs.field(
        default=DEFAULT_REOPENED_TARGETS, converter=_target_kinds
    )
    roster: AssigneeCheck | None = attrs.field(default=None, validator=_roster)
    skills: Mapping[Category, str] | None = attrs.field(
        # Compared, but left out of the hash: a dict is not hashable, and equal policies still
        # hash equal without it.
        default=None,
        converter=_skills,
        hash=False,
    )
    zone: str = attrs.field(default=DEFAULT_ZONE, validator=_zone)

    def __attrs_post_init__(self) -> None:
        self.calendars.check(self.sla)
        # Every priority the classifier can give needs a service level, or such a request
        # could not even be received.
        self.sla.check_scale(self.rules.scale)
        for level in self.sla.levels:
            if TargetKind.RESPONSE not in level.kinds:
                raise InvalidLifecycle(
                    f"SLA policy {self.sla.name!r} has no response target at priority "
                    f"{level.priority}; every request needs an acknowledgement target "
                    "(有求必应, brief §4).",
                    field="sla",
                    value=self.sla.name,
                    allowed="a response target at every priority",
                    priority=level.priority,
                )


DEFAULT_LIFECYCLE_POLICY = LifecyclePolicy()
"""The brief's defaults: the default table, SLA, classifier and calendars."""
