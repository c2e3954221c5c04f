"""The guards of the lifecycle: the rules a step must pass beyond its state, role and data.

Each :class:`~propcrm.complaints.Guard` named in the transition table is one function here.
Three are the brief's principle (§4) — 有求必应, 有应必解, 有解必答: every request gets a
response, every response a resolution, every resolution a report back to the customer:

* ``RESPONSE_TARGET``: a request is received only at a priority with a response target;
* ``RESOLUTION_RECORDED``: no close without a resolution;
* ``CALLBACK_RECORDED``: no close without a callback record (an outcome, and a score if the
  customer was reached).

A guard raises before anything changes: :class:`~propcrm.errors.GuardRefused` when the rule
fails, :class:`~propcrm.errors.MissingStepData` when the rule needs data the step left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from propcrm.complaints._actors import Role
from propcrm.complaints._dispatch import SKILL_BY_CATEGORY
from propcrm.complaints._draft import Draft
from propcrm.complaints._policy import LifecyclePolicy
from propcrm.complaints._states import State
from propcrm.complaints._steps import CallbackOutcome, Step
from propcrm.complaints._transitions import Action, Guard
from propcrm.errors import GuardRefused, MissingStepData
from propcrm.sla import TargetKind
from propcrm.time import local_date

__all__ = ["check_guard"]


def _about(draft: Draft, step: Step, guard: Guard) -> dict[str, Any]:
    """What identifies a refusal by ``guard``: the request, its state, the step's action."""
    return {
        "request_id": draft.request_id,
        "state": draft.state,
        "action": step.action,
        "guard": guard,
    }


def check_guard(guard: Guard, draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    """Raise unless ``step`` passes ``guard`` on the request ``draft`` under ``policy``."""
    _CHECKS[guard](draft, step, policy)


def _response_target(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    level = policy.sla.level(draft.priority)  # UnknownPriority for a code the SLA lacks
    if TargetKind.RESPONSE not in level.kinds:
        raise GuardRefused(
            f"request {draft.request_id} cannot be received at priority {draft.priority}: "
            "it has no response target, and every request gets a response (有求必应, §4).",
            **_about(draft, step, Guard.RESPONSE_TARGET),
        )


def _resolution_recorded(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    if draft.resolution is None:
        raise GuardRefused(
            f"request {draft.request_id} cannot close: no resolution is recorded, and every "
            "response gets a resolution (有应必解, §4).",
            **_about(draft, step, Guard.RESOLUTION_RECORDED),
        )


def _callback_recorded(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    callback = draft.callback
    if callback is None or (callback.outcome.reached and callback.score is None):
        raise GuardRefused(
            f"request {draft.request_id} cannot close: the resolution has no callback record "
            "with an outcome and, if the customer was reached, a satisfaction score "
            "(有解必答, §4).",
            **_about(draft, step, Guard.CALLBACK_RECORDED),
        )


def _dissatisfied_close(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    callback = draft.callback
    if callback is None or callback.outcome is not CallbackOutcome.DISSATISFIED:
        return
    if policy.reopen_on_dissatisfied:
        raise GuardRefused(
            f"request {draft.request_id} cannot close: the customer was dissatisfied "
            f"(score {callback.score}), and the policy reopens dissatisfied requests; "
            "reopen it.",
            **_about(draft, step, Guard.DISSATISFIED_CLOSE),
        )
    if step.actor.role not in (Role.SUPERVISOR, Role.MANAGER):
        raise GuardRefused(
            f"request {draft.request_id}: closing a dissatisfied request is for a supervisor "
            f"or manager, not a {step.actor.role.value}.",
            **_about(draft, step, Guard.DISSATISFIED_CLOSE),
        )
    if step.data.reason is None:
        raise MissingStepData(
            f"request {draft.request_id}: closing a dissatisfied request needs a reason.",
            **_about(draft, step, Guard.DISSATISFIED_CLOSE),
        )


def _callback_outcome(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    outcome, score = step.data.outcome, step.data.score
    assert outcome is not None  # the table makes it needed
    if outcome is CallbackOutcome.UNREACHABLE:
        if score is not None:
            raise GuardRefused(
                f"request {draft.request_id}: an unreachable customer gave no score; "
                f"leave the score out (got {score}).",
                **_about(draft, step, Guard.CALLBACK_OUTCOME),
            )
        if draft.callback_attempts < policy.callback_attempts:
            raise GuardRefused(
                f"request {draft.request_id}: the customer can be recorded as unreachable after "
                f"{policy.callback_attempts} unanswered attempts; "
                f"{draft.callback_attempts} are on record.",
                **_about(draft, step, Guard.CALLBACK_OUTCOME),
            )
        return
    if score is None:
        raise MissingStepData(
            f"request {draft.request_id}: a {outcome.value} callback needs the customer's "
            "satisfaction score (1–5).",
            **_about(draft, step, Guard.CALLBACK_OUTCOME),
        )
    satisfied = score >= policy.satisfied_from
    if satisfied != (outcome is CallbackOutcome.SATISFIED):
        raise GuardRefused(
            f"request {draft.request_id}: a score of {score} is "
            f"{'satisfied' if satisfied else 'dissatisfied'} under the policy (satisfied from "
            f"{policy.satisfied_from}), not {outcome.value}.",
            **_about(draft, step, Guard.CALLBACK_OUTCOME),
        )


def _priority_change(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    priority = step.data.priority
    if priority is None:
        return  # assessment confirms the classified priority
    policy.sla.level(priority)  # UnknownPriority for a code the SLA lacks
    if priority == draft.priority:
        if step.action is Action.REPRIORITISE:
            raise GuardRefused(
                f"request {draft.request_id} is already at priority {priority}; "
                "reprioritise to another one.",
                **_about(draft, step, Guard.PRIORITY_CHANGE),
            )
        return
    if step.data.reason is None:
        raise MissingStepData(
            f"request {draft.request_id}: changing the priority from {draft.priority} to "
            f"{priority} needs a reason (the classifier's choice is overridden).",
            **_about(draft, step, Guard.PRIORITY_CHANGE),
        )


def _assignee_fits(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    assignee = step.data.assignee
    if assignee is None or policy.roster is None:
        return
    territory = draft.intake.territory
    if territory is None:
        raise GuardRefused(
            f"request {draft.request_id} has no territory, so it cannot be checked against the "
            "roster; give the intake a territory, or use a policy without a roster.",
            **_about(draft, step, Guard.ASSIGNEE_FITS),
        )
    skills = policy.skills if policy.skills is not None else SKILL_BY_CATEGORY
    skill = skills.get(draft.intake.category)
    if skill is None:
        raise GuardRefused(
            f"request {draft.request_id}: no skill is mapped for category "
            f"{draft.intake.category.value}; add it to the policy's skills.",
            **_about(draft, step, Guard.ASSIGNEE_FITS),
        )
    policy.roster.check(assignee, territory, skill)


def _new_assignee(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    if step.data.assignee == draft.assignee:
        raise GuardRefused(
            f"request {draft.request_id} is already assigned to {draft.assignee}; "
            "reassign it to someone else.",
            **_about(draft, step, Guard.NEW_ASSIGNEE),
        )


def _has_assignee(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    if draft.assignee is None:
        raise GuardRefused(
            f"request {draft.request_id} has no assignee; dispatch it before work starts.",
            **_about(draft, step, Guard.HAS_ASSIGNEE),
        )


def _handler_is_assignee(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    if step.actor.role is Role.HANDLER and step.actor.actor_id != draft.assignee:
        raise GuardRefused(
            f"request {draft.request_id} is assigned to {draft.assignee}, not "
            f"{step.actor.actor_id}; a handler works only on their own requests "
            "(reassign it first).",
            **_about(draft, step, Guard.HANDLER_IS_ASSIGNEE),
        )


def _escalation_level(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    level = step.data.level
    assert level is not None  # the table makes it needed
    if not draft.escalation_level < level <= policy.max_escalation_level:
        raise GuardRefused(
            f"request {draft.request_id} is at escalation level {draft.escalation_level}; "
            f"an escalation goes up, to a level from {draft.escalation_level + 1} to "
            f"{policy.max_escalation_level}, not {level}.",
            **_about(draft, step, Guard.ESCALATION_LEVEL),
        )


def _appointment_ahead(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    appointment = step.data.appointment
    assert appointment is not None  # the table makes it needed
    if appointment <= step.at:
        raise GuardRefused(
            f"request {draft.request_id}: an agreed time lies after the step, and "
            f"{appointment.isoformat()} is not after {step.at.isoformat()}.",
            **_about(draft, step, Guard.APPOINTMENT_AHEAD),
        )
    if draft.appointment_done:
        raise GuardRefused(
            f"request {draft.request_id}: the agreed time {draft.appointment} was already kept "
            "or missed, and its outcome stands.",
            **_about(draft, step, Guard.APPOINTMENT_AHEAD),
        )


def _reopen_window(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    if draft.state is not State.CLOSED:
        return
    assert draft.closed_at is not None
    closed = local_date(draft.closed_at, policy.zone)
    last = closed.add(days=policy.reopen_within_days)
    if local_date(step.at, policy.zone) > last:
        raise GuardRefused(
            f"request {draft.request_id} was closed on {closed.isoformat()}; it can be reopened "
            f"until {last.isoformat()} ({policy.reopen_within_days} days). Open a new request.",
            **_about(draft, step, Guard.REOPEN_WINDOW),
        )


def _not_itself(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    if step.data.duplicate_of == draft.request_id:
        raise GuardRefused(
            f"request {draft.request_id} cannot be a duplicate of itself; name the original.",
            **_about(draft, step, Guard.NOT_ITSELF),
        )


def _quote_dated(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    quote = step.data.quote
    assert quote is not None  # the table makes it needed
    received = local_date(draft.received_at, policy.zone)
    today = local_date(step.at, policy.zone)
    if not received <= quote.quoted_on <= today:
        raise GuardRefused(
            f"request {draft.request_id}: a quote is dated from the request's receipt "
            f"({received.isoformat()}) to the day it is given ({today.isoformat()}), "
            f"not {quote.quoted_on.isoformat()}; price it again.",
            **_about(draft, step, Guard.QUOTE_DATED),
        )


def _charge_postable(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    if draft.quote is None or not draft.quote_accepted:
        raise GuardRefused(
            f"request {draft.request_id} has no accepted quote, so there is nothing to charge.",
            **_about(draft, step, Guard.CHARGE_POSTABLE),
        )
    if draft.charge_statement is not None:
        raise GuardRefused(
            f"request {draft.request_id}'s charge is already on statement "
            f"{draft.charge_statement}; a charge is posted once.",
            **_about(draft, step, Guard.CHARGE_POSTABLE),
        )


_CHECKS: dict[Guard, Callable[[Draft, Step, LifecyclePolicy], None]] = {
    Guard.RESPONSE_TARGET: _response_target,
    Guard.RESOLUTION_RECORDED: _resolution_recorded,
    Guard.CALLBACK_RECORDED: _callback_recorded,
    Guard.DISSATISFIED_CLOSE: _dissatisfied_close,
    Guard.CALLBACK_OUTCOME: _callback_outcome,
    Guard.PRIORITY_CHANGE: _priority_change,
    Guard.ASSIGNEE_FITS: _assignee_fits,
    Guard.NEW_ASSIGNEE: _new_assignee,
    Guard.HAS_ASSIGNEE: _has_assignee,
    Guard.HANDLER_IS_ASSIGNEE: _handler_is_assignee,
    Guard.ESCALATION_LEVEL: _escalation_level,
    Guard.APPOINTMENT_AHEAD: _appointment_ahead,
    Guard.REOPEN_WINDOW: _reopen_window,
    Guard.NOT_ITSELF: _not_itself,
    Guard.QUOTE_DATED: _quote_dated,
    Guard.CHARGE_POSTABLE: _charge_postable,
}

GUARD_CHECKS: Final = _CHECKS
"""Each guard's check, by guard: what :func:`check_guard` calls (a replay calls it directly)."""
