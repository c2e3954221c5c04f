"""Staff override of a classified priority: who, when, why — and the original is kept.

A classification is the rule set's view; the service desk may know better (a "gas" that is a gas
bill, an elderly caller in distress about a minor fault). :func:`override` records a staff
member's decision with a mandatory reason and returns an :class:`OverriddenClassification` that
holds the original :class:`~propcrm.classification.Classification` untouched and every
override in order, so reports can show both "what the rules said" and "what we did".

An override must change the priority, name a level of the rule set's scale, carry a non-empty
reason and staff id, be aware, and come no earlier than the request or the previous override.

>>> from propcrm.classification._classification import classify
>>> from propcrm.classification._default_rules import DEFAULT_RULES
>>> from propcrm.classification._priorities import GENERAL
>>> from propcrm.classification._request_facts import Category, RequestFacts
>>> received = pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Shanghai")
>>> facts = RequestFacts(
...     category=Category.OTHER, description="我想问一下gas bill怎么交", received_at=received
... )
>>> classified = classify(facts, DEFAULT_RULES)
>>> classified.priority.code, classified.rule.name
('P1', 'gas-smell')
>>> decided = override(
...     classified, GENERAL, by="cs-017", reason="询问燃气费，并非漏气", at=received.add(minutes=2)
... )
>>> decided.priority.code, decided.original.priority.code, decided.override.by
('P3', 'P1', 'cs-017')
>>> override(decided, GENERAL, by="cs-017", reason="again", at=received.add(minutes=3))
Traceback (most recent call last):
...
propcrm.errors.InvalidOverride: the request already has priority P3 一般 (general); an override \
must change the priority.
"""

from __future__ import annotations

import datetime
from typing import Any

import attrs
import pendulum

from propcrm._validators import check_instance
from propcrm.classification._classification import Classification
from propcrm.classification._priorities import Priority
from propcrm.errors import InvalidOverride
from propcrm.time import aware

__all__ = ["OverriddenClassification", "StaffOverride", "override"]


def _text(_instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        what = {"by": "the staff id", "reason": "the reason"}[attribute.name]
        raise InvalidOverride(
            f"an override needs {what}, a non-empty str; got {value!r}. Staff must say who "
            f"changed the priority and why.",
            field=attribute.name,
            value=value,
            allowed="non-empty text",
        )


def _instant(value: Any) -> pendulum.DateTime:
    if not isinstance(value, datetime.datetime):
        raise InvalidOverride(
            f"override time {value!r} must be an aware datetime, e.g. "
            f"pendulum.datetime(2026, 11, 24, 9, 32, tz='Asia/Shanghai').",
            field="at",
            value=value,
            allowed="aware datetime.datetime",
        )
    return aware(value, field="at")


@attrs.frozen
class StaffOverride:
    """One staff decision: from which priority to which, by whom, when and why."""

    previous: Priority
    priority: Priority
    by: str = attrs.field(validator=_text)
    reason: str = attrs.field(validator=_text)
    at: pendulum.DateTime = attrs.field(converter=_instant)

    def __attrs_post_init__(self) -> None:
        if self.priority == self.previous:
            raise InvalidOverride(
                f"the request already has priority {self.previous}; an override must change "
                f"the priority.",
                field="priority",
                value=self.priority.code,
                allowed="a priority other than the current one",
            )

    @property
    def raised(self) -> bool:
        """Whether the override made the request more urgent."""
        return self.priority.more_urgent_than(self.previous)


@attrs.frozen
class OverriddenClassification:
    """The rules' classification and the staff overrides after it, oldest first (at least one)."""

    original: Classification
    overrides: tuple[StaffOverride, ...]

    def __attrs_post_init__(self) -> None:
        if not self.overrides:
            raise InvalidOverride(
                "an overridden classification needs at least one override.",
                field="overrides",
                value=self.overrides,
                allowed="at least one StaffOverride",
            )

    @property
    def priority(self) -> Priority:
        """The priority in force: the latest override's."""
        return self.overrides[-1].priority

    @property
    def override(self) -> StaffOverride:
        """The latest override."""
        return self.overrides[-1]


def override(
    decision: Classification | OverriddenClassification,
    priority: Priority | str,
    *,
    by: str,
    reason: str,
    at: datetime.datetime,
) -> OverriddenClassification:
    """Set ``decision``'s priority by hand, keeping the original classification and the history.

    ``priority`` is a level or a level's code in the rule set's scale. Refused with
    :class:`~propcrm.errors.InvalidOverride`: an empty reason or staff id, the priority already
    in force, a time before the request was received or before the previous override;
    :class:`~propcrm.errors.UnknownPriority` for a level outside the scale;
    :class:`~propcrm.errors.NaiveDatetime` for a naive ``at``.
    """
    if isinstance(decision, OverriddenClassification):
        original, history = decision.original, decision.overrides
    elif isinstance(decision, Classification):
        original, history = decision, ()
    else:
        raise InvalidOverride(
            f"override takes a Classification or an OverriddenClassification, not {decision!r}.",
            field="decision",
            value=decision,
            allowed="a Classification or an OverriddenClassification",
        )
    check_instance(priority, "priority", str, Priority)
    scale = original.scale
    level = scale[priority] if isinstance(priority, str) else scale[priority.code]
    if level != priority and not isinstance(priority, str):
        scale.position(priority)  # raises UnknownPriority, naming the scale's codes
    change = StaffOverride(decision.priority, level, by, reason, at)
    received = original.facts.received_at
    if change.at < received:
        raise InvalidOverride(
            f"override at {change.at.isoformat()} is before the request was received at "
            f"{received.isoformat()}.",
            field="at",
            value=change.at,
            allowed=f"at or after {received.isoformat()}",
        )
    if history and change.at < history[-1].at:
        raise InvalidOverride(
            f"override at {change.at.isoformat()} is before the previous override at "
            f"{history[-1].at.isoformat()}; overrides are recorded in time order.",
            field="at",
            value=change.at,
            allowed=f"at or after {history[-1].at.isoformat()}",
        )
    return OverriddenClassification(original, (*history, change))
