"""Callbacks on the SLA model: each promise is a ``callback`` target with its own clocks.

A promised :class:`~propcrm.contacts.Callback` becomes a :class:`~propcrm.sla.RequestClocks`
whose request id is the callback's id and whose one target is :attr:`TargetKind.CALLBACK
<propcrm.sla.TargetKind.CALLBACK>`: started when the callback was promised, stopped by the first
*answered* contact that keeps it. So :func:`~propcrm.sla.next_action_at` and
:func:`~propcrm.sla.poll_alerts` warn, breach and escalate a callback exactly as they do a
request's response, and :meth:`CallbackState.explain` says how the deadline was reached.

A callback is **kept** when an answered contact keeps it no later than its breach, **missed**
when it is kept later or still open at or after the breach, **pending** otherwise. Unanswered
attempts are listed but keep nothing. By default (:data:`DEFAULT_CALLBACK_POLICY`) a promise
without its own ``due`` is due the same service day (cut-off 16:00) on the service-hours
calendar: the 一般 rule of the brief (§3), since "we will call you back" is a promise of the
ordinary level; set your own.

>>> from propcrm.contacts import Channel, Direction, ContactOutcome, Purpose
>>> from propcrm.sla import BusinessCalendar, CalendarSet, next_action_at
>>> calendars = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
>>> at = pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Shanghai")
>>> call = Contact(
...     contact_id="C1",
...     at=at,
...     channel=Channel.HOTLINE,
...     direction=Direction.INBOUND,
...     purpose=Purpose.FEES,
...     outcome=ContactOutcome.CALLBACK_PROMISED,
...     staff="S1",
...     party_id="P1",
...     callback=Callback("CB1"),
... )
>>> state = callback_state(ContactLog([call]), "CB1", calendars, as_of=at.add(hours=1))
>>> state.status.value, state.deadline.format("HH:mm")
('pending', '17:30')
>>> next_action_at(state.clocks).format("HH:mm")  # the warning, at 80 % of the service day
'16:12'
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, ngettext, pgettext
from propcrm._validators import check_instance, check_items, check_record_id
from propcrm.contacts._log import Callback, Contact, ContactLog
from propcrm.errors import InvalidContact, InvalidPolicy
from propcrm.sla import (
    SERVICE_CALENDAR,
    AgreedTime,
    CalendarSet,
    RequestClocks,
    SameServiceDay,
    ServiceLevel,
    SlaClock,
    SlaPolicy,
    Started,
    Stopped,
    Target,
    TargetChanged,
    TargetKind,
    Within,
)
from propcrm.time import aware

__all__ = [
    "CALLBACK_PRIORITY",
    "DEFAULT_CALLBACK_POLICY",
    "CallbackPolicy",
    "CallbackState",
    "CallbackStatus",
    "callback_clocks",
    "callback_state",
    "callback_states",
]

CALLBACK_PRIORITY = "callback"
"""The priority code of a callback's clocks (alerts name it, so routing can tell them apart)."""


def _spec(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, Within | SameServiceDay):
        raise InvalidPolicy(
            f"a callback policy's default is Within or SameServiceDay, not {value!r} (an agreed "
            "time belongs to one callback).",
            field="default",
            value=value,
            allowed="Within or SameServiceDay",
        )


@attrs.frozen
class CallbackPolicy:
    """When a callback promised without a ``due`` of its own is due.

    >>> CallbackPolicy(Within(4 * 3600, "CN service hours")).sla.level("callback").kinds
    (<TargetKind.CALLBACK: 'callback'>,)
    """

    default: Within | SameServiceDay = attrs.field(
        default=SameServiceDay(SERVICE_CALENDAR), validator=_spec
    )

    @property
    def sla(self) -> SlaPolicy:
        """The SLA policy of every callback: one level, ``callback``, with one target."""
        return SlaPolicy(
            (ServiceLevel(CALLBACK_PRIORITY, (Target(TargetKind.CALLBACK, self.default),)),),
            name="callback",
        )


DEFAULT_CALLBACK_POLICY = CallbackPolicy()
"""A callback is due the same service day (cut-off 16:00) on ``CN service hours``."""


class CallbackStatus(enum.Enum):
    """Where a callback stands as of an instant."""

    PENDING = "pending"
    KEPT = "kept"
    MISSED = "missed"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The status's name, e.g. ``'待回电'`` (zh_CN) or ``'pending'`` (en_US)."""
        match self:
            case CallbackStatus.PENDING:
                return pgettext("callback status", "pending", locale=locale)
            case CallbackStatus.KEPT:
                return pgettext("callback status", "kept", locale=locale)
            case CallbackStatus.MISSED:
                return pgettext("callback status", "missed", locale=locale)


def callback_clocks(
    promise: Contact,
    calendars: CalendarSet,
    policy: CallbackPolicy = DEFAULT_CALLBACK_POLICY,
    *,
    kept_by: Contact | None = None,
) -> RequestClocks:
    """The SLA clocks of the callback ``promise`` carries, stopped by ``kept_by`` when given.

    Pass the result to :func:`~propcrm.sla.next_action_at` and :func:`~propcrm.sla.poll_alerts`
    with the request clocks of the desk: the same escalation serves it.
    """
    check_instance(promise, "promise", Contact)
    check_instance(calendars, "calendars", CalendarSet)
    check_instance(policy, "policy", CallbackPolicy)
    callback = promise.callback
    if callback is None:
        raise InvalidContact(
            f"contact {promise.contact_id} promises no callback.",
            field="promise",
            value=promise.contact_id,
            allowed="a contact with a callback",
        )
    owner = callback.staff or promise.staff
    sla = policy.sla
    if isinstance(callback.due, Within | SameServiceDay):
        sla = sla.with_target(CALLBACK_PRIORITY, Target(TargetKind.CALLBACK, callback.due))
    clocks = RequestClocks.open(callback.callback_id, CALLBACK_PRIORITY, sla, calendars)
    clocks = clocks.apply(Started(promise.at, owner, "callback promised"))
    if isinstance(callback.due, AgreedTime):
        agreed = Target(TargetKind.CALLBACK, callback.due)
        clocks = clocks.apply(
            TargetChanged(promise.at, owner, "time agreed with the customer", target=agreed)
        )
    if kept_by is not None:
        check_instance(kept_by, "kept_by", Contact)
        if kept_by.keeps != callback.callback_id or not kept_by.answered:
            raise InvalidContact(
                f"contact {kept_by.contact_id} does not keep callback {callback.callback_id} "
                "(it names another, or nobody answered).",
                field="kept_by",
                value=kept_by.contact_id,
                allowed=f"an answered contact that keeps {callback.callback_id}",
            )
        clocks = clocks.apply(Stopped(kept_by.at, kept_by.staff, "callback made"))
    return clocks


@attrs.frozen(kw_only=True)
class CallbackState:
    """A callback as of an instant: its clocks, deadline, attempts and status, as data."""

    callback: Callback
    promise: Contact
    as_of: pendulum.DateTime
    status: CallbackStatus
    clocks: RequestClocks = attrs.field(repr=False)
    kept_by: Contact | None
    attempts: tuple[Contact, ...]

    @property
    def clock(self) -> SlaClock:
        """The callback target's clock."""
        return self.clocks.clock(TargetKind.CALLBACK)

    @property
    def deadline(self) -> pendulum.DateTime:
        """When the callback is (or was) due."""
        deadline = self.clock.deadline
        assert deadline is not None  # a started clock on a callback always has one
        return deadline

    @property
    def breached_at(self) -> pendulum.DateTime:
        """The first instant the callback is late."""
        breached = self.clock.breached_at
        return breached if breached is not None else self.deadline

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for people: who is owed what, by when, and where it stands."""
        unanswered = sum(1 for c in self.attempts if not c.answered)
        line = gettext(
            "callback %(id)s to %(party)s, due %(deadline)s: %(status)s",
            locale=locale,
            id=self.callback.callback_id,
            party=self.promise.party_id,
            deadline=self.deadline.isoformat(),
            status=self.status.label(locale),
        )
        if not unanswered:
            return line
        attempts = ngettext(
            "%(num)d unanswered attempt",
            "%(num)d unanswered attempts",
            unanswered,
            locale=locale,
        )
        return gettext("%(line)s (%(attempts)s)", locale=locale, line=line, attempts=attempts)


def _state(
    log: ContactLog,
    promise: Contact,
    calendars: CalendarSet,
    as_of: pendulum.DateTime,
    policy: CallbackPolicy,
) -> CallbackState:
    callback = promise.callback
    assert callback is not None  # only promises come here
    attempts = tuple(c for c in log.keeping(callback.callback_id) if c.at <= as_of)
    kept_by = next((c for c in attempts if c.answered), None)
    clocks = callback_clocks(promise, calendars, policy, kept_by=kept_by)
    clock = clocks.clock(TargetKind.CALLBACK)
    if kept_by is not None:
        status = CallbackStatus.KEPT if clock.met else CallbackStatus.MISSED
    else:
        breached = clock.breached_at
        late = breached is not None and as_of >= breached
        status = CallbackStatus.MISSED if late else CallbackStatus.PENDING
    return CallbackState(
        callback=callback,
        promise=promise,
        as_of=as_of,
        status=status,
        clocks=clocks,
        kept_by=kept_by,
        attempts=attempts,
    )


def callback_state(
    log: ContactLog,
    callback_id: str,
    calendars: CalendarSet,
    *,
    as_of: datetime.datetime,
    policy: CallbackPolicy = DEFAULT_CALLBACK_POLICY,
) -> CallbackState:
    """Where callback ``callback_id`` of ``log`` stands at ``as_of`` (contacts after it unseen)."""
    check_instance(log, "log", ContactLog)
    check_record_id(callback_id, "callback id", InvalidContact)
    when = aware(as_of, field="as_of")
    check_instance(calendars, "calendars", CalendarSet)
    check_instance(policy, "policy", CallbackPolicy)
    promise = log.promise(callback_id)
    if promise.at > when:
        raise InvalidContact(
            f"callback {callback_id} was promised at {promise.at.isoformat()}, after as_of.",
            field="as_of",
            value=when,
            allowed=f"at or after {promise.at.isoformat()}",
        )
    return _state(log, promise, calendars, when, policy)


def callback_states(
    log: ContactLog,
    calendars: CalendarSet,
    *,
    as_of: datetime.datetime,
    policy: CallbackPolicy = DEFAULT_CALLBACK_POLICY,
    statuses: Iterable[CallbackStatus] | None = None,
) -> tuple[CallbackState, ...]:
    """Every callback promised by ``as_of``, in deadline order; only ``statuses`` if given."""
    check_instance(log, "log", ContactLog)
    when = aware(as_of, field="as_of")
    check_instance(calendars, "calendars", CalendarSet)
    check_instance(policy, "policy", CallbackPolicy)
    wanted = (
        frozenset(check_items(statuses, "statuses", CallbackStatus, error=InvalidContact))
        if statuses is not None
        else frozenset(CallbackStatus)
    )
    states = [
        _state(log, promise, calendars, when, policy)
        for promise in log.promised()
        if promise.at <= when
    ]
    chosen = [s for s in states if s.status in wanted]
    return tuple(sorted(chosen, key=lambda s: (s.deadline, s.callback.callback_id)))
