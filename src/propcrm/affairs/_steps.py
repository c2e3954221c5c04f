"""The audited steps of a public-affair workflow, and the transition tables that guard them.

Every workflow of :mod:`propcrm.affairs` (move-in, decoration, goods release) is a fold over its
:class:`AffairStep` history: each step names its :class:`AffairAction`, who took it, when and
why, and (where it concerns one) the checklist item, permit, inspection or violation it is
about. A workflow's :class:`AffairTransitionTable` says which actions each state allows and where
they lead; :func:`advance` is the one door through which a step is appended, so an illegal
action, a step back in time or a missing reason is refused the same way everywhere.

>>> at = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
>>> table = AffairTransitionTable(
...     "example",
...     (
...         AffairTransition(AffairAction.OPEN, (), AffairState.OPEN),
...         AffairTransition(AffairAction.COMPLETE, (AffairState.OPEN,), AffairState.COMPLETED),
...     ),
... )
>>> history = (AffairStep(AffairAction.OPEN, "S1", at),)
>>> table.state_of(history)
<AffairState.OPEN: 'open'>
>>> [a.value for a in table.allowed(AffairState.OPEN)]
['complete']
>>> table.state_of(advance(table, history, AffairAction.COMPLETE, "S1", at.add(hours=1)))
<AffairState.COMPLETED: 'completed'>
"""

from __future__ import annotations

import datetime
import enum
import itertools
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._validators import check_items, check_record_id, instance_of
from propcrm.errors import IllegalAffairStep, InvalidAffair
from propcrm.time import aware

__all__ = [
    "AffairAction",
    "AffairState",
    "AffairStep",
    "AffairTransition",
    "AffairTransitionTable",
    "advance",
    "check_history",
    "check_id",
    "check_optional_id",
    "check_words",
    "clauses",
]


def clauses(locale: LocaleLike) -> str:
    """What joins the clauses of an affair's explanation in ``locale`` (``'; '`` or ``'；'``)."""
    return pgettext("clause separator", "; ", locale=locale)


def check_id(what: str) -> Any:
    """An attrs validator: a record id (no spaces, at most 64 characters), refused as affairs'."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        check_record_id(value, what, InvalidAffair, field=attribute.name)

    return check


def check_optional_id(what: str) -> Any:
    """:func:`check_id`, or ``None``."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            check_record_id(value, what, InvalidAffair, field=attribute.name)

    return check


def check_words(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An attrs validator: non-empty human text (a plan, a contractor, a description)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidAffair(
            f"{attribute.name} {value!r} must be non-empty text.",
            field=attribute.name,
            value=value,
            allowed="non-empty text",
        )


class AffairState(enum.Enum):
    """Where a public affair stands. Values are stable codes for storage."""

    OPEN = "open"
    """A move-in under way: its checklist is being worked through."""
    COMPLETED = "completed"
    """A move-in whose required items are all done."""
    CANCELLED = "cancelled"
    """Called off before it was completed or carried out."""
    REGISTERED = "registered"
    """A decoration registered (装修登记), waiting for approval."""
    APPROVED = "approved"
    """A decoration approved (permit issued), or a goods release approved."""
    REJECTED = "rejected"
    """A decoration application turned down."""
    WITHDRAWN = "withdrawn"
    """A decoration withdrawn by the applicant."""
    FINISHED = "finished"
    """Decoration works finished and accepted (竣工验收)."""
    SETTLED = "settled"
    """A decoration whose deposit was refunded or withheld: the affair is over."""
    REQUESTED = "requested"
    """A goods release asked for, not decided yet."""
    REFUSED = "refused"
    """A goods release refused (arrears, no owner's consent); it may be decided again."""
    RELEASED = "released"
    """Goods let out at the gate."""

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The state's name, e.g. ``'已批准'`` (zh_CN) or ``'approved'`` (en_US)."""
        match self:
            case AffairState.OPEN:
                return pgettext("affair state", "open", locale=locale)
            case AffairState.COMPLETED:
                return pgettext("affair state", "completed", locale=locale)
            case AffairState.CANCELLED:
                return pgettext("affair state", "cancelled", locale=locale)
            case AffairState.REGISTERED:
                return pgettext("affair state", "registered", locale=locale)
            case AffairState.APPROVED:
                return pgettext("affair state", "approved", locale=locale)
            case AffairState.REJECTED:
                return pgettext("affair state", "rejected", locale=locale)
            case AffairState.WITHDRAWN:
                return pgettext("affair state", "withdrawn", locale=locale)
            case AffairState.FINISHED:
                return pgettext("affair state", "finished", locale=locale)
            case AffairState.SETTLED:
                return pgettext("affair state", "settled", locale=locale)
            case AffairState.REQUESTED:
                return pgettext("affair state", "requested", locale=locale)
            case AffairState.REFUSED:
                return pgettext("affair state", "refused", locale=locale)
            case AffairState.RELEASED:
                return pgettext("affair state", "released", locale=locale)


class AffairAction(enum.Enum):
    """What a step of a public affair does. Values are stable codes for storage."""

    OPEN = "open"
    TICK = "tick"
    COMPLETE = "complete"
    CANCEL = "cancel"
    REGISTER = "register"
    APPROVE = "approve"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    REQUEST_HOT_WORK = "request_hot_work"
    APPROVE_HOT_WORK = "approve_hot_work"
    HOT_WORK = "hot_work"
    INSPECT = "inspect"
    RECORD_VIOLATION = "record_violation"
    FINISH = "finish"
    SETTLE_DEPOSIT = "settle_deposit"
    REQUEST_RELEASE = "request_release"
    REFUSE = "refuse"
    LET_OUT = "let_out"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:  # noqa: PLR0912
        """The action's name, e.g. ``'动火审批'`` (zh_CN) or ``'approve hot work'`` (en_US)."""
        # One literal per member, so that extraction finds every message.
        match self:
            case AffairAction.OPEN:
                return pgettext("affair action", "open", locale=locale)
            case AffairAction.TICK:
                return pgettext("affair action", "tick a checklist item", locale=locale)
            case AffairAction.COMPLETE:
                return pgettext("affair action", "complete", locale=locale)
            case AffairAction.CANCEL:
                return pgettext("affair action", "cancel", locale=locale)
            case AffairAction.REGISTER:
                return pgettext("affair action", "register", locale=locale)
            case AffairAction.APPROVE:
                return pgettext("affair action", "approve", locale=locale)
            case AffairAction.REJECT:
                return pgettext("affair action", "reject", locale=locale)
            case AffairAction.WITHDRAW:
                return pgettext("affair action", "withdraw", locale=locale)
            case AffairAction.REQUEST_HOT_WORK:
                return pgettext("affair action", "request hot work", locale=locale)
            case AffairAction.APPROVE_HOT_WORK:
                return pgettext("affair action", "approve hot work", locale=locale)
            case AffairAction.HOT_WORK:
                return pgettext("affair action", "carry out hot work", locale=locale)
            case AffairAction.INSPECT:
                return pgettext("affair action", "inspect", locale=locale)
            case AffairAction.RECORD_VIOLATION:
                return pgettext("affair action", "record a violation", locale=locale)
            case AffairAction.FINISH:
                return pgettext("affair action", "finish", locale=locale)
            case AffairAction.SETTLE_DEPOSIT:
                return pgettext("affair action", "settle the deposit", locale=locale)
            case AffairAction.REQUEST_RELEASE:
                return pgettext("affair action", "request a release", locale=locale)
            case AffairAction.REFUSE:
                return pgettext("affair action", "refuse", locale=locale)
            case AffairAction.LET_OUT:
                return pgettext("affair action", "let out at the gate", locale=locale)


# Actions that end or turn down an affair: the audit must say why.
NEEDS_REASON = frozenset(
    {AffairAction.CANCEL, AffairAction.REJECT, AffairAction.WITHDRAW, AffairAction.REFUSE}
)


def _at(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="at")


@attrs.frozen
class AffairStep:
    """One audited step: what was done (``action``), by whom, when, why, and about what.

    ``subject`` is the id of what the step concerns (a checklist item's code, a permit, an
    inspection, a violation), ``None`` for a step about the whole affair.

    >>> step = AffairStep(
    ...     AffairAction.CANCEL,
    ...     "S1",
    ...     pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai"),
    ...     reason="业主改期",
    ... )
    >>> step.describe("en_US")
    '2026-03-02T09:00:00+08:00 S1: cancel (业主改期)'
    """

    action: AffairAction = attrs.field(validator=instance_of(AffairAction))
    by: str = attrs.field(validator=check_id("staff id"))
    at: pendulum.DateTime = attrs.field(converter=_at)
    reason: str = attrs.field(default="", validator=instance_of(str))
    subject: str | None = attrs.field(default=None, validator=check_optional_id("subject"))

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line of the audit trail: when, who, what, about what and why."""
        what = self.action.label(locale)
        if self.subject is not None:
            what = gettext(
                "%(action)s %(subject)s", locale=locale, action=what, subject=self.subject
            )
        line = gettext(
            "%(at)s %(by)s: %(what)s", locale=locale, at=self.at.isoformat(), by=self.by, what=what
        )
        if self.reason:
            return gettext("%(line)s (%(reason)s)", locale=locale, line=line, reason=self.reason)
        return line


def _sources(value: Iterable[AffairState]) -> tuple[AffairState, ...]:
    states: tuple[AffairState, ...] = check_items(value, "sources", AffairState)
    return states


@attrs.frozen
class AffairTransition:
    """A row of a workflow's table: ``action`` from any of ``sources`` leads to ``target``.

    No ``sources`` marks the opening action; a ``target`` of ``None`` leaves the state as it
    is (an inspection, a checklist tick).
    """

    action: AffairAction = attrs.field(validator=instance_of(AffairAction))
    sources: tuple[AffairState, ...] = attrs.field(converter=_sources)
    target: AffairState | None = attrs.field(
        validator=attrs.validators.optional(instance_of(AffairState))
    )


def _rows(value: Iterable[AffairTransition]) -> tuple[AffairTransition, ...]:
    rows: tuple[AffairTransition, ...] = check_items(value, "rows", AffairTransition)
    return rows


@attrs.frozen
class AffairTransitionTable:
    """The declared transitions of one workflow: the lifecycle reads nothing else."""

    name: str = attrs.field(validator=check_words)
    rows: tuple[AffairTransition, ...] = attrs.field(converter=_rows)

    def __attrs_post_init__(self) -> None:
        openings = [r for r in self.rows if not r.sources]
        if len(openings) != 1:
            raise InvalidAffair(
                f"workflow {self.name!r} has {len(openings)} opening rows; it needs exactly one.",
                field="rows",
                value=tuple(r.action for r in openings),
                allowed="exactly one row without sources",
            )

    @property
    def opening(self) -> AffairTransition:
        """The row that opens an affair of this workflow."""
        return next(r for r in self.rows if not r.sources)

    def allowed(self, state: AffairState) -> tuple[AffairAction, ...]:
        """The actions ``state`` allows, in table order."""
        return tuple(r.action for r in self.rows if state in r.sources)

    def find(self, state: AffairState, action: AffairAction) -> AffairTransition:
        """The row for ``action`` from ``state``; :class:`IllegalAffairStep` if there is none."""
        for row in self.rows:
            if row.action is action and state in row.sources:
                return row
        allowed = ", ".join(a.value for a in self.allowed(state)) or "none (it is over)"
        raise IllegalAffairStep(
            f"{self.name}: {action.value} is not allowed when the affair is {state.value}; "
            f"allowed: {allowed}.",
            field="action",
            value=action,
            allowed=allowed,
            state=state,
        )

    def state_of(self, history: tuple[AffairStep, ...]) -> AffairState:
        """The state ``history`` leads to, checking every step against the table."""
        if not history or history[0].action is not self.opening.action:
            raise InvalidAffair(
                f"a {self.name} history begins with {self.opening.action.value}.",
                field="history",
                value=history[0].action if history else None,
                allowed=self.opening.action.value,
            )
        state = self.opening.target
        assert state is not None  # an opening row always leads somewhere
        for step in history[1:]:
            row = self.find(state, step.action)
            state = row.target if row.target is not None else state
        return state


def check_history(table: AffairTransitionTable, value: object) -> tuple[AffairStep, ...]:
    """``value`` as a history: steps, in time order, legal under ``table``, reasons given."""
    steps: tuple[AffairStep, ...] = check_items(value, "history", AffairStep, error=InvalidAffair)
    for before, after in itertools.pairwise(steps):
        _check_order(before, after.at)
    for step in steps:
        _check_reason(step.action, step.reason)
    table.state_of(steps)
    return steps


def _check_order(last: AffairStep, at: pendulum.DateTime) -> None:
    if at < last.at:
        raise InvalidAffair(
            f"a step at {at.isoformat()} comes before the affair's last step "
            f"({last.action.value} at {last.at.isoformat()}); the history only grows forward.",
            field="at",
            value=at,
            allowed=f"at or after {last.at.isoformat()}",
        )


def _check_reason(action: AffairAction, reason: object) -> None:
    if action in NEEDS_REASON and (not isinstance(reason, str) or not reason.strip()):
        raise InvalidAffair(
            f"{action.value} needs a reason: the audit says why an affair was turned down or "
            "called off.",
            field="reason",
            value=reason,
            allowed="non-empty text",
        )


def advance(
    table: AffairTransitionTable,
    history: tuple[AffairStep, ...],
    action: AffairAction,
    by: str,
    at: datetime.datetime,
    *,
    reason: str = "",
    subject: str | None = None,
) -> tuple[AffairStep, ...]:
    """``history`` with the step appended, once the table, the order and the reason allow it."""
    step = AffairStep(action, by, at, reason, subject)
    table.find(table.state_of(history), action)
    _check_order(history[-1], step.at)
    _check_reason(action, reason)
    return (*history, step)
