"""Tests for complaints._policy: a community's lifecycle policy and its defaults."""

from __future__ import annotations

import pendulum
import pytest

from propcrm.classification import DEFAULT_RULES, Category
from propcrm.complaints import (
    DEFAULT_LIFECYCLE_POLICY,
    DEFAULT_TRANSITIONS,
    SKILL_BY_CATEGORY,
    Actor,
    AssigneeCheck,
    Intake,
    IntakeChannel,
    LifecyclePolicy,
    Request,
    RequestKind,
    Role,
    Roster,
    StaffMember,
)
from propcrm.complaints._policy import (
    DEFAULT_CALENDARS,
    DEFAULT_CALLBACK_ATTEMPTS,
    DEFAULT_MAX_ESCALATION_LEVEL,
    DEFAULT_REOPEN_ON_DISSATISFIED,
    DEFAULT_REOPEN_WITHIN_DAYS,
    DEFAULT_REOPENED_TARGETS,
    DEFAULT_SATISFIED_FROM,
)
from propcrm.errors import (
    InvalidLifecycle,
    InvalidType,
    MissingCalendar,
    UnknownPriority,
    UnknownTimeZone,
)
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    HOTLINE_CALENDAR,
    BusinessCalendar,
    CalendarSet,
    ServiceLevel,
    SlaPolicy,
    Target,
    TargetKind,
    Within,
)
from propcrm.time import DEFAULT_ZONE

# -- defaults -------------------------------------------------------------------------------


def test_named_defaults() -> None:
    assert DEFAULT_CALLBACK_ATTEMPTS == 3
    assert DEFAULT_SATISFIED_FROM == 4
    assert DEFAULT_REOPEN_ON_DISSATISFIED is True
    assert DEFAULT_REOPEN_WITHIN_DAYS == 30
    assert DEFAULT_MAX_ESCALATION_LEVEL == 3
    assert frozenset({TargetKind.RESOLUTION, TargetKind.SERVICE_DAY}) == DEFAULT_REOPENED_TARGETS


def test_the_default_policy_uses_the_defaults() -> None:
    policy = LifecyclePolicy()
    assert policy == DEFAULT_LIFECYCLE_POLICY
    assert policy.transitions is DEFAULT_TRANSITIONS
    assert policy.sla is DEFAULT_SLA_POLICY
    assert policy.rules is DEFAULT_RULES
    assert policy.calendars is DEFAULT_CALENDARS
    assert policy.callback_attempts == DEFAULT_CALLBACK_ATTEMPTS
    assert policy.satisfied_from == DEFAULT_SATISFIED_FROM
    assert policy.reopen_on_dissatisfied is DEFAULT_REOPEN_ON_DISSATISFIED
    assert policy.reopen_within_days == DEFAULT_REOPEN_WITHIN_DAYS
    assert policy.max_escalation_level == DEFAULT_MAX_ESCALATION_LEVEL
    assert policy.reopened_targets == DEFAULT_REOPENED_TARGETS
    assert policy.roster is None
    assert policy.skills is None
    assert policy.zone == DEFAULT_ZONE


def test_the_default_calendars_cover_the_default_sla() -> None:
    DEFAULT_CALENDARS.check(DEFAULT_SLA_POLICY)  # raises if a calendar is missing


def test_a_community_policy() -> None:
    policy = LifecyclePolicy(
        callback_attempts=2,
        satisfied_from=5,
        reopen_on_dissatisfied=False,
        reopen_within_days=0,
        max_escalation_level=1,
        reopened_targets=[TargetKind.RESOLUTION],
        zone="Asia/Urumqi",
    )
    assert policy.reopened_targets == frozenset({TargetKind.RESOLUTION})
    assert policy != DEFAULT_LIFECYCLE_POLICY


# -- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"callback_attempts": 0}, "callback_attempts must be at least 1, got 0"),
        ({"callback_attempts": True}, "callback_attempts must be an int, got bool True"),
        ({"callback_attempts": 21}, "callback_attempts must be at most 20, got 21"),
        ({"max_escalation_level": 0}, "max_escalation_level must be at least 1"),
        ({"max_escalation_level": 11}, "max_escalation_level must be at most 10"),
        ({"reopen_within_days": -1}, "reopen_within_days must be at least 0, got -1"),
        ({"reopen_within_days": 1.5}, "reopen_within_days must be an int"),
        ({"reopen_within_days": 367}, "reopen_within_days must be at most 366"),
        ({"satisfied_from": 6}, "satisfied_from must be at most 5, got 6"),
        ({"satisfied_from": 0}, "satisfied_from must be at least 1, got 0"),
        ({"reopened_targets": ["resolution"]}, "reopened_targets must be a TargetKind member"),
        ({"reopened_targets": "resolution"}, "reopened_targets are a collection of TargetKinds"),
        ({"roster": object()}, r"must have check\(assignee, territory, skill\), like Roster"),
        ({"skills": {"water_leak": "plumbing"}}, "skills must be a Category member"),
        ({"skills": {Category.WATER_LEAK: ""}}, "skills must not be empty"),
        ({"skills": ["plumbing"]}, "skills map Category members to skill codes"),
    ],
)
def test_bad_values_are_refused(changes: dict[str, object], message: str) -> None:
    # A value of the wrong type is InvalidType (a TypeError), a wrong value InvalidLifecycle.
    with pytest.raises((InvalidLifecycle, InvalidType), match=message):
        LifecyclePolicy(**changes)  # type: ignore[arg-type]  # bad input on purpose


@pytest.mark.parametrize("field", ["transitions", "sla", "calendars", "rules"])
def test_the_parts_are_typed(field: str) -> None:
    with pytest.raises(TypeError, match=field):
        LifecyclePolicy(**{field: "default"})  # type: ignore[arg-type]  # bad input on purpose


def test_reopen_on_dissatisfied_is_a_bool() -> None:
    with pytest.raises(TypeError, match="reopen_on_dissatisfied"):
        LifecyclePolicy(reopen_on_dissatisfied=1)  # type: ignore[arg-type]  # on purpose


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(UnknownTimeZone):
        LifecyclePolicy(zone="Mars/Olympus")


def test_the_calendars_must_cover_the_sla() -> None:
    with pytest.raises(MissingCalendar, match="CN service hours"):
        LifecyclePolicy(calendars=CalendarSet([BusinessCalendar.always()]))


def test_a_roster_is_an_assignee_check() -> None:
    roster = Roster([StaffMember("W-07", "王师傅", {"plumbing"}, {"B1"})])
    assert isinstance(roster, AssigneeCheck)
    assert LifecyclePolicy(roster=roster).roster is roster


def test_skills_are_copied() -> None:
    skills = {Category.WATER_LEAK: "pipes"}
    policy = LifecyclePolicy(skills=skills)
    skills[Category.WATER_LEAK] = "changed"
    assert policy.skills == {Category.WATER_LEAK: "pipes"}
    assert LifecyclePolicy(skills=SKILL_BY_CATEGORY).skills == dict(SKILL_BY_CATEGORY)


def test_policies_with_other_skills_differ() -> None:
    assert LifecyclePolicy(skills={Category.WATER_LEAK: "a"}) != LifecyclePolicy(
        skills={Category.WATER_LEAK: "b"}
    )


# -- 有求必应 -------------------------------------------------------------------------------


def test_a_priority_without_a_response_target_is_refused() -> None:
    sla = DEFAULT_SLA_POLICY.with_level(
        ServiceLevel("P4", [Target(TargetKind.RESOLUTION, Within(86400, HOTLINE_CALENDAR))])
    )
    with pytest.raises(InvalidLifecycle) as caught:
        LifecyclePolicy(sla=sla)
    assert str(caught.value) == (
        "SLA policy 'default' has no response target at priority P4; every request needs an "
        "acknowledgement target (有求必应, brief §4)."
    )


def test_every_default_level_has_a_response_target() -> None:
    for level in DEFAULT_LIFECYCLE_POLICY.sla.levels:
        assert TargetKind.RESPONSE in level.kinds


def test_a_policy_whose_sla_lacks_a_classified_priority_is_refused() -> None:
    sla = SlaPolicy(DEFAULT_SLA_POLICY.levels[:2])  # P1 and P2 only; the rules give P3 too
    try:
        policy = LifecyclePolicy(sla=sla)
    except (InvalidLifecycle, UnknownPriority):
        return
    # Accepted: then a general (P3) request cannot even be received.
    noise = Intake(
        request_id="R-1",
        kind=RequestKind.COMPLAINT,
        requester="P-1",
        channel=IntakeChannel.APP,
        category=Category.NOISE,
    )
    at = pendulum.datetime(2026, 11, 24, 10, 0, tz="Asia/Shanghai")
    Request.receive(noise, Actor("KF-01", Role.AGENT), at, policy)
    pytest.fail("a policy that cannot receive a P3 request was accepted")
