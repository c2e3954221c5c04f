"""The values of the staff calendars: staff, appointments, tasks and reminders.

An :class:`Appointment` holds a span of time ``[start, end)`` for its attendees (staff ids):
the 一般 time agreed with a customer for a repair, a home visit, a decoration inspection, a
meeting. Its ``building`` is where it takes place, for the travel gap a
:class:`~propcrm.schedules.BookingPolicy` may ask between buildings. A :class:`Task` has a due
instant and an assignee, and blocks no time. :func:`reminders` computes when to remind whom of
either, as instants.

>>> at = pendulum.datetime(2026, 11, 24, 14, 0, tz="Asia/Shanghai")
>>> visit = Appointment(
...     appointment_id="A1",
...     kind=AppointmentKind.HOME_VISIT,
...     start=at,
...     end=at.add(hours=1),
...     attendees=["S1"],
...     building="B3",
...     party_id="P1",
... )
>>> [(r.recipient, r.at.format("MM-DD HH:mm")) for r in reminders(visit)]
[('S1', '11-23 14:00'), ('P1', '11-23 14:00'), ('S1', '11-24 13:00'), ('P1', '11-24 13:00')]
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._trusted import set_cached
from propcrm._validators import check_int, check_items, check_record_id, instance_of
from propcrm.errors import InvalidAppointment, InvalidPolicy
from propcrm.sla import SERVICE_CALENDAR
from propcrm.time import aware

__all__ = [
    "DEFAULT_REMINDERS",
    "MAX_APPOINTMENT_SECONDS",
    "Appointment",
    "AppointmentKind",
    "Reminder",
    "ReminderRule",
    "StaffCalendar",
    "Task",
    "reminders",
]

MAX_APPOINTMENT_SECONDS = 7 * 86_400
"""The longest appointment booked: a week (anything longer is leave, not an appointment)."""


class AppointmentKind(enum.Enum):
    """What an appointment is for. Values are stable codes for storage."""

    AGREED_TIME = "agreed_time"
    """一般: the time agreed with the customer for a request (domain brief §3)."""
    HOME_VISIT = "home_visit"
    """上门: a visit to a customer's home (care visits, callbacks in person)."""
    DECORATION_INSPECTION = "decoration_inspection"
    """装修巡查: an inspection of a decoration in progress (brief §7)."""
    MEETING = "meeting"
    """会议: an internal meeting, or with the committee."""
    OTHER = "other"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The kind's name, e.g. ``'上门服务'`` (zh_CN) or ``'home visit'`` (en_US)."""
        match self:
            case AppointmentKind.AGREED_TIME:
                return pgettext("appointment kind", "agreed service time", locale=locale)
            case AppointmentKind.HOME_VISIT:
                return pgettext("appointment kind", "home visit", locale=locale)
            case AppointmentKind.DECORATION_INSPECTION:
                return pgettext("appointment kind", "decoration inspection", locale=locale)
            case AppointmentKind.MEETING:
                return pgettext("appointment kind", "meeting", locale=locale)
            case AppointmentKind.OTHER:
                return pgettext("appointment kind", "other", locale=locale)


def _id(what: str) -> Any:
    def check(_instance: object, _attribute: object, value: Any) -> None:
        check_record_id(value, what, InvalidAppointment)

    return check


def _optional_id(what: str) -> Any:
    def check(_instance: object, _attribute: object, value: Any) -> None:
        if value is not None:
            check_record_id(value, what, InvalidAppointment)

    return check


def micros(at: pendulum.DateTime) -> int:
    """POSIX microseconds of the aware instant ``at``, exactly."""
    return at.int_timestamp * 1_000_000 + at.microsecond


def _start(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="start")


def _end(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="end")


def _attendees(value: Iterable[str]) -> frozenset[str]:
    items = check_items(value, "attendees", str, error=InvalidAppointment)
    for item in items:
        check_record_id(item, "staff", InvalidAppointment, field="attendees")
    return frozenset(items)


def _teams(value: Iterable[str]) -> frozenset[str]:
    items = check_items(value, "teams", str, error=InvalidAppointment)
    for item in items:
        check_record_id(item, "team", InvalidAppointment, field="teams")
    return frozenset(items)


def _calendar(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidAppointment(
            f"a staff member works on a calendar named like 'CN service hours', not {value!r}.",
            field="calendar",
            value=value,
            allowed="non-empty text naming a calendar",
        )


@attrs.frozen
class StaffCalendar:
    """A member of staff: the business calendar of their working hours, and their teams."""

    staff_id: str = attrs.field(validator=_id("staff"))
    calendar: str = attrs.field(default=SERVICE_CALENDAR, validator=_calendar)
    teams: frozenset[str] = attrs.field(default=frozenset(), converter=_teams)


@attrs.frozen(kw_only=True)
class Appointment:
    """Time ``[start, end)`` held for ``attendees``, at ``building``, about a party or request."""

    appointment_id: str = attrs.field(validator=_id("appointment id"))
    kind: AppointmentKind = attrs.field(validator=instance_of(AppointmentKind))
    start: pendulum.DateTime = attrs.field(converter=_start)
    end: pendulum.DateTime = attrs.field(converter=_end)
    attendees: frozenset[str] = attrs.field(converter=_attendees)
    building: str | None = attrs.field(default=None, validator=_optional_id("building"))
    party_id: str | None = attrs.field(default=None, validator=_optional_id("party id"))
    unit_id: str | None = attrs.field(default=None, validator=_optional_id("unit id"))
    request_id: str | None = attrs.field(default=None, validator=_optional_id("request id"))
    title: str = attrs.field(default="", validator=instance_of(str))
    # POSIX microseconds of start and end: booking compares thousands of spans, and integers
    # compare without pendulum's zone arithmetic. Derived from the fields, never stored.
    span: tuple[int, int] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        set_cached(self, "span", (micros(self.start), micros(self.end)))
        if not self.attendees:
            raise InvalidAppointment(
                f"appointment {self.appointment_id} has no attendee; name the staff it holds.",
                field="attendees",
                value=self.attendees,
                allowed="at least one staff id",
            )
        seconds = (self.end - self.start).total_seconds()
        if not 0 < seconds <= MAX_APPOINTMENT_SECONDS:
            raise InvalidAppointment(
                f"appointment {self.appointment_id} runs from {self.start.isoformat()} to "
                f"{self.end.isoformat()}; it must end after it starts, within a week.",
                field="end",
                value=self.end,
                allowed=f"after {self.start.isoformat()}, at most 7 days later",
            )

    @property
    def seconds(self) -> int:
        """How long the appointment lasts, in whole seconds."""
        return int((self.end - self.start).total_seconds())

    def overlaps(self, start: datetime.datetime, end: datetime.datetime) -> bool:
        """Whether ``[start, end)`` shares an instant with the appointment."""
        return self.start < end and start < self.end


def _due(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="due")


def _done(value: datetime.datetime | None) -> pendulum.DateTime | None:
    return None if value is None else aware(value, field="done_at")


def _title(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidAppointment(
            f"a task needs a title, not {value!r}.",
            field="title",
            value=value,
            allowed="non-empty text",
        )


@attrs.frozen(kw_only=True)
class Task:
    """Something ``assignee`` must do by ``due``; done at ``done_at`` (``None``: open).

    A due instant on a business calendar is ``calendar.add(start, seconds)`` of that calendar
    (:class:`~propcrm.sla.BusinessCalendar`).

    >>> due = pendulum.datetime(2026, 11, 24, 17, 30, tz="Asia/Shanghai")
    >>> task = Task(task_id="T1", title="回访 3-1-1201", assignee="S1", due=due)
    >>> task.overdue(due), task.overdue(due.add(seconds=1)), task.done(due).overdue(due.add(days=1))
    (False, True, False)
    """

    task_id: str = attrs.field(validator=_id("task id"))
    title: str = attrs.field(validator=_title)
    assignee: str = attrs.field(validator=_id("staff"))
    due: pendulum.DateTime = attrs.field(converter=_due)
    request_id: str | None = attrs.field(default=None, validator=_optional_id("request id"))
    done_at: pendulum.DateTime | None = attrs.field(default=None, converter=_done)

    def overdue(self, at: datetime.datetime) -> bool:
        """Whether the task is open after its due instant, or was done after it."""
        when = aware(at, field="at")
        if self.done_at is not None:
            return self.done_at > self.due
        return when > self.due

    def done(self, at: datetime.datetime) -> Task:
        """The task done at ``at``."""
        return attrs.evolve(self, done_at=aware(at, field="at"))


# A reminder more than 30 days ahead reminds nobody of anything.
_MAX_LEAD = 30 * 86_400


def _leads(value: Iterable[int]) -> tuple[int, ...]:
    items = check_items(value, "leads", int, error=InvalidPolicy)
    for item in items:
        check_int(item, "leads", InvalidPolicy, minimum=0, maximum=_MAX_LEAD)
    return tuple(sorted(set(items), reverse=True))


@attrs.frozen
class ReminderRule:
    """How long before an appointment's start (or a task's due instant) to remind, in seconds.

    ``parties``: whether the customer of an appointment is reminded too.
    """

    leads: tuple[int, ...] = attrs.field(default=(86_400, 3_600), converter=_leads)
    parties: bool = attrs.field(default=True, validator=instance_of(bool))


DEFAULT_REMINDERS = ReminderRule()
"""A day and an hour before; the customer too. Not in the brief: a common choice."""


@attrs.frozen
class Reminder:
    """Remind ``recipient`` (a staff or party id) at ``at`` of ``subject_id``, ``lead`` before."""

    subject_id: str
    recipient: str
    at: pendulum.DateTime
    lead_seconds: int


def reminders(
    item: Appointment | Task,
    rule: ReminderRule = DEFAULT_REMINDERS,
    *,
    after: datetime.datetime | None = None,
) -> tuple[Reminder, ...]:
    """The reminders of ``item`` in time order; only those later than ``after`` if given."""
    if not isinstance(item, Appointment | Task):
        raise InvalidAppointment(
            f"reminders are of an Appointment or a Task, not {item!r}.",
            field="item",
            value=item,
            allowed="Appointment or Task",
        )
    if not isinstance(rule, ReminderRule):
        raise InvalidPolicy(
            f"rule must be a ReminderRule, not {rule!r}.",
            field="rule",
            value=rule,
            allowed="ReminderRule",
        )
    floor = None if after is None else aware(after, field="after")
    if isinstance(item, Appointment):
        subject, moment = item.appointment_id, item.start
        people = sorted(item.attendees)
        if rule.parties and item.party_id is not None:
            people.append(item.party_id)
    else:
        subject, moment, people = item.task_id, item.due, [item.assignee]
    found = [
        Reminder(subject, person, moment.subtract(seconds=lead), lead)
        for lead in rule.leads
        for person in people
    ]
    return tuple(r for r in found if floor is None or r.at > floor)
