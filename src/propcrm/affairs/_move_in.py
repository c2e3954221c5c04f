"""Move-in (入住): a checklist worked through by staff, then the new-customer callback.

The checklist's items (documents, handover inspection, keys, meter readings, the first notice)
and which of them are required come from a :class:`MoveInPolicy`; each item is ticked by
someone at an instant, and the move-in completes only when every required item is done. On
completion the new customer is owed a callback within a month: :meth:`MoveIn.callback_contact`
is the contact that promises it, on :mod:`propcrm.contacts`' callbacks, so it is measured,
warned and escalated like every other promise (:func:`~propcrm.contacts.callback_state`).

>>> at = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
>>> move_in = MoveIn.open("MI-1", unit_id="1-2-0301", party_id="P1", by="S1", at=at)
>>> for n, item in enumerate(MoveInItem):
...     move_in = move_in.tick(item, by="S1", at=at.add(minutes=10 * n))
>>> move_in = move_in.complete(by="S1", at=at.add(hours=1))
>>> move_in.state.value, move_in.missing
('completed', ())
>>> move_in.callback_due.describe("en_US")
'within 30 days, on 24x7'
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._validators import check_int, check_items, check_unique, instance_of
from propcrm.affairs._steps import (
    AffairAction,
    AffairState,
    AffairStep,
    AffairTransition,
    AffairTransitionTable,
    advance,
    check_history,
    check_id,
)
from propcrm.contacts import Callback, Channel, Contact, ContactOutcome, Direction, Purpose
from propcrm.errors import ChecklistIncomplete, IllegalAffairStep, InvalidAffair
from propcrm.sla import HOTLINE_CALENDAR, Within

__all__ = [
    "DEFAULT_MOVE_IN_POLICY",
    "MOVE_IN_TRANSITIONS",
    "ChecklistEntry",
    "MoveIn",
    "MoveInItem",
    "MoveInPolicy",
]

MOVE_IN_TRANSITIONS = AffairTransitionTable(
    "move-in",
    (
        AffairTransition(AffairAction.OPEN, (), AffairState.OPEN),
        AffairTransition(AffairAction.TICK, (AffairState.OPEN,), None),
        AffairTransition(AffairAction.COMPLETE, (AffairState.OPEN,), AffairState.COMPLETED),
        AffairTransition(AffairAction.CANCEL, (AffairState.OPEN,), AffairState.CANCELLED),
    ),
)
"""Open → (tick …) → completed, or cancelled while open."""


class MoveInItem(enum.Enum):
    """An item of the move-in checklist. Values are stable codes for storage."""

    DOCUMENTS = "documents"
    """Identity and ownership documents checked, the move-in forms signed."""
    HANDOVER_INSPECTION = "handover_inspection"
    """The unit inspected with the owner (验房), defects noted."""
    KEYS = "keys"
    """Keys and access cards handed over."""
    METER_READINGS = "meter_readings"
    """Water, electricity and gas meters read and signed for."""
    FIRST_NOTICE = "first_notice"
    """The first fee notice given (首期物业费)."""

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The item's name, e.g. ``'交钥匙'`` (zh_CN) or ``'keys'`` (en_US)."""
        match self:
            case MoveInItem.DOCUMENTS:
                return pgettext("move-in item", "documents", locale=locale)
            case MoveInItem.HANDOVER_INSPECTION:
                return pgettext("move-in item", "handover inspection", locale=locale)
            case MoveInItem.KEYS:
                return pgettext("move-in item", "keys", locale=locale)
            case MoveInItem.METER_READINGS:
                return pgettext("move-in item", "meter readings", locale=locale)
            case MoveInItem.FIRST_NOTICE:
                return pgettext("move-in item", "first notice", locale=locale)


def _items(value: Iterable[MoveInItem], field: str) -> tuple[MoveInItem, ...]:
    items: tuple[MoveInItem, ...] = check_items(value, field, MoveInItem, error=InvalidAffair)
    check_unique(items, field, InvalidAffair, what="item")
    return items


def _required(value: Iterable[MoveInItem]) -> tuple[MoveInItem, ...]:
    return _items(value, "required")


def _optional(value: Iterable[MoveInItem]) -> tuple[MoveInItem, ...]:
    return _items(value, "optional")


def _days(_instance: object, _attribute: object, value: Any) -> None:
    check_int(value, "callback_days", InvalidAffair, minimum=1, maximum=366)


@attrs.frozen
class MoveInPolicy:
    """Which checklist items a move-in has, which are required, and when the callback is due.

    ``required`` must all be done before completion; ``optional`` items may be ticked too. The
    new-customer callback is due within ``callback_days`` (30: "within a month") on calendar
    ``callback_calendar`` (24x7: the month runs on elapsed time, weekends too).

    >>> MoveInPolicy(required=[MoveInItem.KEYS], optional=[MoveInItem.FIRST_NOTICE]).items
    (<MoveInItem.KEYS: 'keys'>, <MoveInItem.FIRST_NOTICE: 'first_notice'>)
    """

    required: tuple[MoveInItem, ...] = attrs.field(
        default=tuple(MoveInItem),
        converter=_required,
    )
    optional: tuple[MoveInItem, ...] = attrs.field(
        default=(),
        converter=_optional,
    )
    callback_days: int = attrs.field(default=30, validator=_days)
    callback_calendar: str = attrs.field(default=HOTLINE_CALENDAR, validator=instance_of(str))

    def __attrs_post_init__(self) -> None:
        both = sorted(i.value for i in set(self.required) & set(self.optional))
        if both:
            raise InvalidAffair(
                f"checklist items {', '.join(both)} are both required and optional.",
                field="optional",
                value=tuple(both),
                allowed="items not in required",
            )
        if not self.required:
            raise InvalidAffair(
                "a move-in checklist needs at least one required item.",
                field="required",
                value=self.required,
                allowed="one or more MoveInItem",
            )
        Within(self.callback_days * 86400, self.callback_calendar)  # the calendar name's rule

    @property
    def items(self) -> tuple[MoveInItem, ...]:
        """Every item of the checklist: the required ones first."""
        return (*self.required, *self.optional)

    @property
    def callback_due(self) -> Within:
        """The SLA target spec of the new-customer callback."""
        return Within(self.callback_days * 86400, self.callback_calendar)


DEFAULT_MOVE_IN_POLICY = MoveInPolicy()
"""All five items required; the callback due within 30 days on 24x7."""


@attrs.frozen
class ChecklistEntry:
    """A checklist item done by ``by`` at ``at`` (read from the move-in's history)."""

    item: MoveInItem
    by: str
    at: pendulum.DateTime
    note: str


def _policy(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, MoveInPolicy):
        raise InvalidAffair(
            f"policy must be a MoveInPolicy, got {type(value).__name__} {value!r}.",
            field="policy",
            value=value,
            allowed="MoveInPolicy",
        )


def _history(value: object) -> tuple[AffairStep, ...]:
    return check_history(MOVE_IN_TRANSITIONS, value)


@attrs.frozen(kw_only=True)
class MoveIn:
    """A move-in (入住) of ``party_id`` into ``unit_id``: its policy and its audited history.

    The state and the checklist are read from the history: a tick is a step whose ``subject``
    is the item's code. Use :meth:`open`, then :meth:`tick`, :meth:`complete` or :meth:`cancel`.
    """

    affair_id: str = attrs.field(validator=check_id("affair id"))
    unit_id: str = attrs.field(validator=check_id("unit id"))
    party_id: str = attrs.field(validator=check_id("party id"))
    policy: MoveInPolicy = attrs.field(validator=_policy)
    history: tuple[AffairStep, ...] = attrs.field(converter=_history)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        codes = {i.value for i in self.policy.items}
        for step in self.history:
            if step.action is not AffairAction.TICK:
                continue
            if step.subject not in codes:
                raise InvalidAffair(
                    f"move-in {self.affair_id} ticks {step.subject!r}, which is not an item of "
                    "its checklist.",
                    field="subject",
                    value=step.subject,
                    allowed=", ".join(sorted(codes)),
                )
            if step.subject in seen:
                raise InvalidAffair(
                    f"move-in {self.affair_id} ticks {step.subject} twice.",
                    field="subject",
                    value=step.subject,
                    allowed="each item once",
                )
            seen.add(step.subject)
        if self.state is AffairState.COMPLETED and self.missing:
            raise ChecklistIncomplete(
                f"move-in {self.affair_id} is completed with required items not done.",
                field="history",
                value=tuple(i.value for i in self.missing),
                allowed="every required item ticked before completion",
                missing=self.missing,
            )

    @classmethod
    def open(
        cls,
        affair_id: str,
        *,
        unit_id: str,
        party_id: str,
        by: str,
        at: datetime.datetime,
        policy: MoveInPolicy = DEFAULT_MOVE_IN_POLICY,
    ) -> MoveIn:
        """A move-in opened by ``by`` at ``at``, with ``policy``'s checklist."""
        step = AffairStep(AffairAction.OPEN, by, at)
        return cls(
            affair_id=affair_id, unit_id=unit_id, party_id=party_id, policy=policy, history=(step,)
        )

    @property
    def state(self) -> AffairState:
        """Open, completed or cancelled."""
        return MOVE_IN_TRANSITIONS.state_of(self.history)

    @property
    def opened_at(self) -> pendulum.DateTime:
        """When the move-in was opened."""
        return self.history[0].at

    @property
    def entries(self) -> tuple[ChecklistEntry, ...]:
        """The items done, in the order they were done."""
        return tuple(
            ChecklistEntry(MoveInItem(s.subject), s.by, s.at, s.reason)
            for s in self.history
            if s.action is AffairAction.TICK
        )

    @property
    def done(self) -> tuple[MoveInItem, ...]:
        """The items done so far."""
        return tuple(e.item for e in self.entries)

    @property
    def missing(self) -> tuple[MoveInItem, ...]:
        """The required items not done yet, in the policy's order."""
        done = set(self.done)
        return tuple(i for i in self.policy.required if i not in done)

    @property
    def completed_at(self) -> pendulum.DateTime | None:
        """When the move-in was completed, if it was."""
        return next((s.at for s in self.history if s.action is AffairAction.COMPLETE), None)

    @property
    def callback_due(self) -> Within:
        """The target of the new-customer callback (the policy's)."""
        return self.policy.callback_due

    def _advance(self, action: AffairAction, by: str, at: datetime.datetime, **kw: str) -> MoveIn:
        history = advance(MOVE_IN_TRANSITIONS, self.history, action, by, at, **kw)
        return attrs.evolve(self, history=history)

    def tick(self, item: MoveInItem, *, by: str, at: datetime.datetime, note: str = "") -> MoveIn:
        """The move-in with ``item`` done by ``by`` at ``at`` (``note``: what was found)."""
        if not isinstance(item, MoveInItem) or item not in self.policy.items:
            raise InvalidAffair(
                f"{item!r} is not an item of move-in {self.affair_id}'s checklist.",
                field="item",
                value=item,
                allowed=", ".join(i.value for i in self.policy.items),
            )
        if item in self.done:
            raise IllegalAffairStep(
                f"checklist item {item.value} of move-in {self.affair_id} is done already.",
                field="item",
                value=item,
                allowed=", ".join(i.value for i in self.policy.items if i not in self.done),
            )
        return self._advance(AffairAction.TICK, by, at, reason=note, subject=item.value)

    def complete(self, *, by: str, at: datetime.datetime) -> MoveIn:
        """The move-in completed; :class:`ChecklistIncomplete` while a required item is undone."""
        missing = self.missing
        if missing and self.state is AffairState.OPEN:
            names = ", ".join(i.value for i in missing)
            raise ChecklistIncomplete(
                f"move-in {self.affair_id} cannot complete: {names} not done yet.",
                field="history",
                value=tuple(i.value for i in missing),
                allowed="every required item ticked first",
                missing=missing,
            )
        return self._advance(AffairAction.COMPLETE, by, at)

    def cancel(self, *, by: str, at: datetime.datetime, reason: str) -> MoveIn:
        """The move-in called off while open (the reason is kept)."""
        return self._advance(AffairAction.CANCEL, by, at, reason=reason)

    def callback_contact(self, contact_id: str, callback_id: str) -> Contact:
        """The contact at completion that promises the new-customer callback (回访).

        Add it to the desk's :class:`~propcrm.contacts.ContactLog`; the callback is then due by
        :attr:`callback_due` from completion and is kept by a later answered contact naming
        ``callback_id``.
        """
        completed = self.completed_at
        if completed is None:
            raise IllegalAffairStep(
                f"move-in {self.affair_id} is {self.state.value}; the new-customer callback is "
                "scheduled on completion.",
                field="state",
                value=self.state,
                allowed=AffairState.COMPLETED.value,
            )
        step = next(s for s in self.history if s.action is AffairAction.COMPLETE)
        return Contact(
            contact_id=contact_id,
            at=completed,
            channel=Channel.VISIT,
            direction=Direction.OUTBOUND,
            purpose=Purpose.OTHER,
            outcome=ContactOutcome.CALLBACK_PROMISED,
            staff=step.by,
            party_id=self.party_id,
            unit_id=self.unit_id,
            callback=Callback(callback_id, due=self.callback_due),
            summary=f"move-in {self.affair_id} completed",
        )

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> tuple[str, ...]:
        """The checklist for people: each item done (by whom, when) or still to do."""
        done = {e.item: e for e in self.entries}
        lines = [
            gettext(
                "move-in %(id)s of %(unit)s: %(state)s",
                locale=locale,
                id=self.affair_id,
                unit=self.unit_id,
                state=self.state.label(locale),
            )
        ]
        for item in self.policy.items:
            entry = done.get(item)
            if entry is not None:
                lines.append(
                    gettext(
                        "%(item)s: done by %(by)s at %(at)s",
                        locale=locale,
                        item=item.label(locale),
                        by=entry.by,
                        at=entry.at.isoformat(),
                    )
                )
            elif item in self.policy.required:
                lines.append(gettext("%(item)s: to do", locale=locale, item=item.label(locale)))
            else:
                lines.append(
                    gettext("%(item)s: optional, not done", locale=locale, item=item.label(locale))
                )
        return tuple(lines)
