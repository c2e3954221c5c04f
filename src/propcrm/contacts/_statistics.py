"""Contact statistics over a period, with callbacks kept and missed and first-contact resolution.

Counts per channel, staff, purpose and outcome; callbacks kept and missed; first-contact
resolution (一次解决率).

**First-contact resolution.** A *first contact* is an inbound contact with a known party that is
not a repeat: a repeat is an inbound contact of the same party about the same purpose within
:attr:`ContactStatisticsPolicy.repeat_window_days` (7 days by default, a common choice; the brief
gives none) after an earlier inbound one. A first contact is *resolved* when its outcome is
:attr:`~propcrm.contacts.ContactOutcome.RESOLVED` and no repeat follows it within the window.
The rate is resolved / first contacts, exact (a :class:`~fractions.Fraction`), ``None`` without
first contacts. The contacts counted as repeats are listed, so the number explains itself.

>>> from propcrm.contacts import Channel, Contact, ContactLog, Direction, ContactOutcome, Purpose
>>> from propcrm.sla import BusinessCalendar, CalendarSet
>>> calendars = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
>>> at = pendulum.datetime(2026, 11, 2, 10, 0, tz="Asia/Shanghai")
>>> def call(cid, day, outcome, party="P1"):
...     return Contact(
...         contact_id=cid,
...         at=at.add(days=day),
...         channel=Channel.HOTLINE,
...         direction=Direction.INBOUND,
...         purpose=Purpose.REPAIR,
...         outcome=outcome,
...         staff="S1",
...         party_id=party,
...     )
>>> log = ContactLog(
...     [
...         call("C1", 0, ContactOutcome.RESOLVED),
...         call(
...             "C2", 2, ContactOutcome.REQUEST_OPENED
...         ),  # P1 again about a repair: C1 did not hold
...         call("C3", 3, ContactOutcome.RESOLVED, party="P2"),
...     ]
... )
>>> stats = contact_statistics(
...     log, pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 30), calendars=calendars
... )
>>> stats.total, stats.by_outcome["resolved"], stats.first_contacts, stats.repeats
(3, 2, 2, ('C2',))
>>> stats.first_contact_resolution
Fraction(1, 2)
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs
import pendulum

from propcrm._validators import check_instance, check_int
from propcrm.contacts._callbacks import (
    DEFAULT_CALLBACK_POLICY,
    CallbackPolicy,
    CallbackStatus,
    callback_states,
)
from propcrm.contacts._kinds import ContactOutcome, Direction
from propcrm.contacts._log import Contact, ContactLog
from propcrm.errors import InvalidContact, InvalidPolicy
from propcrm.sla import CalendarSet
from propcrm.time import DEFAULT_ZONE, as_date, local_date, zone

__all__ = [
    "DEFAULT_REPEAT_WINDOW_DAYS",
    "DEFAULT_STATISTICS_POLICY",
    "ContactStatistics",
    "ContactStatisticsPolicy",
    "contact_statistics",
]

DEFAULT_REPEAT_WINDOW_DAYS = 7
"""Days after an inbound contact in which the same party and purpose again is a repeat."""


def _window(_instance: object, _attribute: object, value: Any) -> None:
    check_int(value, "repeat_window_days", InvalidPolicy, minimum=1, maximum=366)


def _zone(_instance: object, _attribute: object, value: Any) -> None:
    zone(value)


@attrs.frozen
class ContactStatisticsPolicy:
    """How contact statistics count: the repeat window and the zone whose dates bound a period."""

    repeat_window_days: int = attrs.field(default=DEFAULT_REPEAT_WINDOW_DAYS, validator=_window)
    zone: str = attrs.field(default=DEFAULT_ZONE, validator=_zone)


DEFAULT_STATISTICS_POLICY = ContactStatisticsPolicy()
"""A 7-day repeat window; periods are dates in Asia/Shanghai."""


@attrs.frozen(kw_only=True)
class ContactStatistics:
    """The counts of a period; keys of the ``by_*`` maps are the codes (channel ``'hotline'``)."""

    start: pendulum.Date
    end: pendulum.Date
    total: int
    by_channel: Mapping[str, int]
    by_staff: Mapping[str, int]
    by_purpose: Mapping[str, int]
    by_outcome: Mapping[str, int]
    callbacks_promised: int
    callbacks_kept: int
    callbacks_missed: int
    callbacks_pending: int
    first_contacts: int
    resolved_first: int
    repeats: tuple[str, ...]

    @property
    def first_contact_resolution(self) -> Fraction | None:
        """Resolved first contacts over first contacts; ``None`` if there were none."""
        return Fraction(self.resolved_first, self.first_contacts) if self.first_contacts else None


def _counts(values: list[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def contact_statistics(
    log: ContactLog,
    start: datetime.date,
    end: datetime.date,
    *,
    calendars: CalendarSet,
    policy: ContactStatisticsPolicy = DEFAULT_STATISTICS_POLICY,
    callbacks: CallbackPolicy = DEFAULT_CALLBACK_POLICY,
) -> ContactStatistics:
    """The statistics of the contacts of ``log`` made from ``start`` through ``end`` (dates).

    Callbacks are those promised in the period, as they stand at the end of ``end``; a repeat
    may fall after ``end`` (within the window) and still undo a first contact's resolution.
    """
    check_instance(log, "log", ContactLog, error=InvalidContact)
    first = as_date(start, "start")
    last = as_date(end, "end")
    check_instance(calendars, "calendars", CalendarSet)
    check_instance(policy, "policy", ContactStatisticsPolicy)
    check_instance(callbacks, "callbacks", CallbackPolicy)
    if last < first:
        raise InvalidContact(
            f"the period ends ({last}) before it starts ({first}).",
            field="end",
            value=last,
            allowed=f"on or after {first}",
        )
    tz = policy.zone
    inside = [c for c in log.contacts if first <= local_date(c.at, tz) <= last]
    period_end = pendulum.datetime(last.year, last.month, last.day, tz=tz).add(days=1)
    states = [
        s
        for s in callback_states(
            log, calendars, as_of=period_end.subtract(microseconds=1), policy=callbacks
        )
        if first <= local_date(s.promise.at, tz) <= last
    ]
    first_contacts, resolved, repeats = _first_contacts(log, inside, policy.repeat_window_days)
    return ContactStatistics(
        start=first,
        end=last,
        total=len(inside),
        by_channel=_counts([c.channel.value for c in inside]),
        by_staff=_counts([c.staff for c in inside]),
        by_purpose=_counts([c.purpose.value for c in inside]),
        by_outcome=_counts([c.outcome.value for c in inside]),
        callbacks_promised=len(states),
        callbacks_kept=sum(1 for s in states if s.status is CallbackStatus.KEPT),
        callbacks_missed=sum(1 for s in states if s.status is CallbackStatus.MISSED),
        callbacks_pending=sum(1 for s in states if s.status is CallbackStatus.PENDING),
        first_contacts=first_contacts,
        resolved_first=resolved,
        repeats=repeats,
    )


def _first_contacts(
    log: ContactLog, inside: list[Contact], window_days: int
) -> tuple[int, int, tuple[str, ...]]:
    inbound = sorted(
        (c for c in log.contacts if c.direction is Direction.INBOUND and c.party_id is not None),
        key=lambda c: (c.at, c.contact_id),
    )
    window = datetime.timedelta(days=window_days)
    previous: dict[tuple[str | None, str], Contact] = {}
    repeat_of: dict[str, str] = {}  # repeat contact id -> the contact it repeats
    for contact in inbound:
        key = (contact.party_id, contact.purpose.value)
        before = previous.get(key)
        if before is not None and contact.at - before.at <= window:
            repeat_of[contact.contact_id] = before.contact_id
        previous[key] = contact
    repeated = set(repeat_of.values())
    counted = {c.contact_id for c in inside}
    firsts = [c for c in inbound if c.contact_id in counted and c.contact_id not in repeat_of]
    resolved = sum(
        1 for c in firsts if c.outcome is ContactOutcome.RESOLVED and c.contact_id not in repeated
    )
    repeats = tuple(sorted(cid for cid in repeat_of if cid in counted))
    return len(firsts), resolved, repeats
