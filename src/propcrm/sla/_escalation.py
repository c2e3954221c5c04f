"""Warnings, breaches and escalation: when a host system must act on a request, and what to send.

Each measurement of a target (see :class:`~propcrm.sla.SlaClock`) has thresholds, in business
time used on the target's calendar:

* the **warning**, at :attr:`EscalationPolicy.warning_fraction` of the budget (80 % by default),
  rounded down to a whole second;
* the **breach**, the first instant at which more than the budget has been used
  (:attr:`SlaClock.breached_at <propcrm.sla.SlaClock.breached_at>`);
* the **escalation levels** (supervisor, manager, general manager), each at an offset from the
  budget: negative before the breach, zero at it, positive after it. An offset further before
  the breach than the whole budget falls at the start.

The domain brief (§4) asks for escalation but gives no times; the default offsets (at the
breach, 30 minutes and 2 hours of business time after it) are this library's, set your own.

:func:`next_action_at` is the earliest threshold not yet sent, so a host system polls only when
something is due; :func:`poll_alerts` returns the :class:`SlaAlert` domain events crossed by
then, each with the channels to route it to (SMS, WeChat), and the ledger of alerts sent. An
alert is sent once per measurement: pauses and priority changes move the thresholds still
ahead, never resend one already sent; a reset, a restart or a new cycle is a new measurement.

>>> from propcrm.sla import BusinessCalendar, CalendarSet, RequestClocks, Started
>>> calendars = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
>>> nine = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
>>> gas = RequestClocks.open("R-7", "P1", calendars=calendars).apply(Started(nine, "客服小王"))
>>> next_action_at(gas)  # the warning: 80 % of 10 minutes
DateTime(2026, 11, 24, 9, 8, 0, tzinfo=Timezone('Asia/Shanghai'))
>>> alerts, sent = poll_alerts([gas], nine.add(minutes=11))
>>> [(a.crossing.value, a.role, a.due_at.format("HH:mm")) for a in alerts]
[('warning', None, '09:08'), ('breached', None, '09:10'), ('escalated', 'supervisor', '09:10')]
>>> poll_alerts([gas], nine.add(minutes=12), sent=sent)[0]  # each crossing once
()
>>> next_action_at(gas, sent=sent)  # the manager, 30 minutes after the breach
DateTime(2026, 11, 24, 9, 40, 0, tzinfo=Timezone('Asia/Shanghai'))
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from propcrm._validators import check_instance, check_int, check_items, check_unique
from propcrm.errors import InvalidDuration, InvalidPolicy
from propcrm.money import (
    EXACT,
    RoundingMode,
    quantize,
)
from propcrm.sla._clock import SlaClock
from propcrm.sla._clock_records import ClockState
from propcrm.sla._request_clocks import RequestClocks
from propcrm.sla._targets import TargetKind
from propcrm.time import aware

__all__ = [
    "DEFAULT_ESCALATION",
    "DEFAULT_ESCALATION_LEVELS",
    "DEFAULT_WARNING_FRACTION",
    "AlertKey",
    "AlertLedger",
    "Crossing",
    "EscalationChannel",
    "EscalationLevel",
    "EscalationPolicy",
    "SlaAlert",
    "Threshold",
    "alert_thresholds",
    "next_action_at",
    "poll_alerts",
]

DEFAULT_WARNING_FRACTION = Decimal("0.8")
"""Share of the budget used at which the warning goes out (not in the brief; a common choice)."""


class EscalationChannel(enum.Enum):
    """Where an alert is routed."""

    SMS = "sms"
    WECHAT = "wechat"


class Crossing(enum.Enum):
    """What an alert says happened."""

    WARNING = "warning"
    BREACHED = "breached"
    ESCALATED = "escalated"


def _channels(value: object) -> frozenset[EscalationChannel]:
    items: list[Any] = (
        list(value) if isinstance(value, Iterable) and not isinstance(value, str) else [value]
    )
    if not all(isinstance(c, EscalationChannel) for c in items):
        raise InvalidPolicy(
            f"channels {value!r} must be EscalationChannel values, e.g. EscalationChannel.SMS.",
            field="channels",
            value=value,
            allowed="EscalationChannel values",
        )
    return frozenset(items)


def _level_number(_instance: object, _attribute: object, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidPolicy(
            f"escalation level {value!r} must be an int from 1 up.",
            field="level",
            value=value,
            allowed="int >= 1",
        )


# An escalation a year or more from the breach escalates nothing anyone waits for.
_MAX_OFFSET_SECONDS = 366 * 86_400


def _offset(_instance: object, _attribute: object, value: Any) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not -_MAX_OFFSET_SECONDS <= value <= _MAX_OFFSET_SECONDS
    ):
        raise InvalidPolicy(
            f"escalation offset {value!r} must be whole business seconds (an int; negative "
            f"before the breach) within a year ({_MAX_OFFSET_SECONDS}) of it, e.g. 1800.",
            field="offset_seconds",
            value=value,
            allowed=f"int seconds from -{_MAX_OFFSET_SECONDS} to {_MAX_OFFSET_SECONDS}",
        )


def _role(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidPolicy(
            f"an escalation level needs a role, e.g. 'supervisor', not {value!r}.",
            field="role",
            value=value,
            allowed="non-empty text",
        )


@attrs.frozen
class EscalationLevel:
    """Escalate to ``role`` at ``offset_seconds`` of business time from the breach."""

    level: int = attrs.field(validator=_level_number)
    role: str = attrs.field(validator=_role)
    offset_seconds: int = attrs.field(validator=_offset)
    channels: frozenset[EscalationChannel] = attrs.field(
        default=frozenset({EscalationChannel.SMS, EscalationChannel.WECHAT}), converter=_channels
    )


DEFAULT_ESCALATION_LEVELS = (
    EscalationLevel(1, "supervisor", 0),
    EscalationLevel(2, "manager", 30 * 60),
    EscalationLevel(3, "general manager", 2 * 3600),
)
"""主管 at the breach, 经理 30 minutes and 总经理 2 hours of business time after it."""


def _fraction(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 < value < 1:
        raise InvalidPolicy(
            f"warning fraction {value!r} must be a Decimal between 0 and 1, e.g. Decimal('0.8').",
            field="warning_fraction",
            value=value,
            allowed="Decimal between 0 and 1",
        )


def _levels(value: object) -> tuple[EscalationLevel, ...]:
    items = tuple(value) if isinstance(value, Iterable) and not isinstance(value, str) else (value,)
    for item in items:
        if not isinstance(item, EscalationLevel):
            raise InvalidPolicy(
                f"escalation levels hold EscalationLevel values, not {item!r}.",
                field="levels",
                value=item,
                allowed="EscalationLevel",
            )
    return items


@attrs.frozen
class EscalationPolicy:
    """When to warn and whom to escalate to; levels in order of offset, numbered from 1."""

    warning_fraction: Decimal = attrs.field(default=DEFAULT_WARNING_FRACTION, validator=_fraction)
    levels: tuple[EscalationLevel, ...] = attrs.field(
        default=DEFAULT_ESCALATION_LEVELS, converter=_levels
    )
    warning_channels: frozenset[EscalationChannel] = attrs.field(
        default=frozenset({EscalationChannel.WECHAT}), converter=_channels
    )
    breach_channels: frozenset[EscalationChannel] = attrs.field(
        default=frozenset({EscalationChannel.SMS, EscalationChannel.WECHAT}), converter=_channels
    )

    def __attrs_post_init__(self) -> None:
        numbers = [lv.level for lv in self.levels]
        if numbers != list(range(1, len(numbers) + 1)):
            raise InvalidPolicy(
                f"escalation levels are numbered {numbers}; number them 1, 2, 3 … in order.",
                field="levels",
                value=numbers,
                allowed="levels numbered 1, 2, 3 ... in order",
            )
        offsets = [lv.offset_seconds for lv in self.levels]
        if offsets != sorted(offsets):
            raise InvalidPolicy(
                f"escalation offsets {offsets} must not decrease from one level to the next.",
                field="levels",
                value=offsets,
                allowed="offsets that do not decrease",
            )

    def warning_seconds(self, budget: int) -> int:
        """Business seconds used at the warning: the fraction of ``budget``, rounded down."""
        check_int(budget, "budget", InvalidDuration, minimum=0)
        exact = EXACT.multiply(Decimal(budget), self.warning_fraction)
        return int(quantize(exact, 0, RoundingMode.FLOOR))


DEFAULT_ESCALATION = EscalationPolicy()
"""Warn at 80 % (WeChat); breach and escalate on SMS and WeChat at the default levels."""


@attrs.frozen
class Threshold:
    """One threshold of a measurement: what, for whom, at how much business time, and when.

    ``at`` is ``None`` when it is not known yet (the clock is paused, or stopped before it).
    """

    crossing: Crossing
    level: int | None
    role: str | None
    seconds: int
    at: pendulum.DateTime | None
    channels: frozenset[EscalationChannel]


def alert_thresholds(
    clock: SlaClock, policy: EscalationPolicy = DEFAULT_ESCALATION
) -> tuple[Threshold, ...]:
    """The warning, breach and escalation thresholds of the clock's current measurement."""
    if clock.anchor is None or clock.state is ClockState.CANCELLED:
        return ()
    budget = clock.budget
    warn = policy.warning_seconds(budget)
    found = [
        Threshold(
            Crossing.WARNING, None, None, warn, clock.when_consumed(warn), policy.warning_channels
        ),
        Threshold(Crossing.BREACHED, None, None, budget, clock.breached_at, policy.breach_channels),
    ]
    for level in policy.levels:
        seconds = max(0, budget + level.offset_seconds)
        at = clock.breached_at if level.offset_seconds == 0 else clock.when_consumed(seconds)
        found.append(
            Threshold(Crossing.ESCALATED, level.level, level.role, seconds, at, level.channels)
        )
    return tuple(found)


@attrs.frozen
class AlertKey:
    """What makes an alert unique: request, target, measurement, crossing and level."""

    request_id: str
    kind: TargetKind
    epoch: int
    crossing: Crossing
    level: int | None


@attrs.frozen
class SlaAlert:
    """A domain event: a request's target crossed a threshold at ``due_at``.

    Route it by ``channels``; ``role`` is whom an escalation goes to.
    """

    request_id: str
    priority: str
    kind: TargetKind
    cycle: int
    epoch: int
    crossing: Crossing
    level: int | None
    role: str | None
    due_at: pendulum.DateTime
    deadline: pendulum.DateTime | None
    channels: frozenset[EscalationChannel]

    @property
    def key(self) -> AlertKey:
        """The key the ledger records it under."""
        return AlertKey(self.request_id, self.kind, self.epoch, self.crossing, self.level)


def _keys(value: object) -> frozenset[AlertKey]:
    return frozenset(check_items(value, "sent", AlertKey, error=InvalidPolicy))


@attrs.frozen
class AlertLedger:
    """The alerts already sent (by key), so that each crossing is sent once."""

    sent: frozenset[AlertKey] = attrs.field(default=frozenset(), converter=_keys)

    def __contains__(self, key: object) -> bool:
        return key in self.sent

    def with_alerts(self, alerts: Iterable[SlaAlert]) -> AlertLedger:
        """A ledger that also holds ``alerts``."""
        alerts = check_items(alerts, "alerts", SlaAlert, error=InvalidPolicy)
        return AlertLedger(self.sent | {a.key for a in alerts})


def _pending(
    request: RequestClocks, clock: SlaClock, policy: EscalationPolicy, sent: AlertLedger
) -> list[tuple[Threshold, AlertKey]]:
    return [
        (t, key)
        for t in alert_thresholds(clock, policy)
        if (key := AlertKey(request.request_id, clock.kind, clock.epoch, t.crossing, t.level))
        not in sent
    ]


def next_action_at(
    request: RequestClocks,
    policy: EscalationPolicy = DEFAULT_ESCALATION,
    *,
    sent: AlertLedger | None = None,
) -> pendulum.DateTime | None:
    """The earliest threshold of any of the request's targets not yet sent; ``None`` if none.

    It may lie in the past (a crossing not polled yet). Paused and stopped clocks contribute
    only what they have already crossed.
    """
    check_instance(request, "request", RequestClocks)
    check_instance(policy, "policy", EscalationPolicy)
    ledger = check_instance(sent, "sent", AlertLedger) if sent is not None else AlertLedger()
    instants = [
        t.at
        for clock in request.clocks
        for t, _key in _pending(request, clock, policy, ledger)
        if t.at is not None
    ]
    return min(instants, default=None)


def poll_alerts(
    requests: Iterable[RequestClocks],
    now: datetime.datetime,
    policy: EscalationPolicy = DEFAULT_ESCALATION,
    *,
    sent: AlertLedger | None = None,
) -> tuple[tuple[SlaAlert, ...], AlertLedger]:
    """The alerts crossed by ``now`` and not sent yet, in time order, and the updated ledger.

    Keep the ledger and pass it to the next poll; poll again at the earliest
    :func:`next_action_at` of your open requests.
    """
    when = aware(now, field="now")
    check_instance(policy, "policy", EscalationPolicy)
    ledger = check_instance(sent, "sent", AlertLedger) if sent is not None else AlertLedger()
    alerts: list[SlaAlert] = []
    polled = check_items(requests, "requests", RequestClocks, error=InvalidPolicy)
    # The same request twice would send each of its alerts twice in one poll.
    check_unique((r.request_id for r in polled), "requests", InvalidPolicy, what="request id")
    for request in polled:
        for clock in request.clocks:
            for threshold, key in _pending(request, clock, policy, ledger):
                if threshold.at is None or threshold.at > when:
                    continue
                alerts.append(
                    SlaAlert(
                        request_id=request.request_id,
                        priority=request.priority,
                        kind=clock.kind,
                        cycle=clock.cycle,
                        epoch=key.epoch,
                        crossing=threshold.crossing,
                        level=threshold.level,
                        role=threshold.role,
                        due_at=threshold.at,
                        deadline=clock.deadline,
                        channels=threshold.channels,
                    )
                )
    alerts.sort(key=lambda a: (a.due_at, a.request_id, a.kind.value, _order(a)))
    return tuple(alerts), ledger.with_alerts(alerts)


def _order(alert: SlaAlert) -> int:
    match alert.crossing:
        case Crossing.WARNING:
            return 0
        case Crossing.BREACHED:
            return 1
        case Crossing.ESCALATED:
            return 1 + (alert.level or 0)
