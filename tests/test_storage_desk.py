"""The service desk's repositories store what the exported strategies draw, and read it back equal.

Each example runs on the in-memory store (through serialization) and on a SQLite file, inside
a transaction the test owns and rolls back, so that every example starts from an empty store
without migrating a new file each time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pendulum
import pytest
import sqlalchemy as sa
from hypothesis import example, given, settings

from propcrm.contacts import ContactLog, PhoneBook
from propcrm.notices import ActivityRoster, DeliveryLog, Notice, activity_history
from propcrm.schedules import Appointment, AppointmentKind, Schedule, StaffCalendar, Task
from propcrm.sla import HOTLINE_CALENDAR, BusinessCalendar, CalendarSet
from propcrm.solutions import EntryStatus, SolutionBase
from propcrm.storage import MemoryStore, UnitOfWorkFactory
from propcrm.storage.sql import SqlStore
from propcrm.testing.strategies import (
    activity_rosters,
    contact_logs,
    delivery_logs,
    notices,
    phone_books,
    schedules,
    solution_bases,
    tasks,
)

COMMUNITY = "SUNRISE"
ALWAYS = CalendarSet([BusinessCalendar.always()])
# Examples per repository: each runs twice (memory and SQLite), and a SQLite commit is a file
# write, so a few dozen cover the strategies' shapes without slowing the suite.
EXAMPLES = 15


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Engine]:
    path: Path = tmp_path_factory.mktemp("desk") / "crm.sqlite"
    # The store's own engine: it makes the SQLite driver's transactions and savepoints real.
    store = SqlStore(path, upgrade=True)
    yield store.engine
    store.dispose()


def on_every_store(engine: sa.Engine, check: Callable[[UnitOfWorkFactory], None]) -> None:
    """Run ``check`` on a fresh memory store, then on SQLite in a transaction rolled back."""
    check(MemoryStore())
    with engine.connect() as conn:
        outer = conn.begin()
        try:
            check(SqlStore(conn))
        finally:
            outer.rollback()


@settings(max_examples=EXAMPLES)
@given(log=contact_logs())
def test_a_contact_log_comes_back_equal(engine: sa.Engine, log: ContactLog) -> None:
    def check(factory: UnitOfWorkFactory) -> None:
        with factory() as uow:
            for contact in log.contacts:
                assert uow.contacts.add(COMMUNITY, contact)
            uow.commit()
        with factory() as uow:
            for contact in log.contacts:
                assert uow.contacts.get(contact.contact_id) == contact
            if not log.contacts:
                return
            first, last = log.contacts[0].at, log.contacts[-1].at.add(seconds=1)
            stored = uow.contacts.log(COMMUNITY, first, last)
            assert sorted(stored.contacts, key=repr) == sorted(log.contacts, key=repr)
            promised = [c.callback.callback_id for c in log.promised() if c.callback]
            kept = uow.contacts.callback_log(promised)
            assert {c.contact_id for c in kept.contacts} == {
                c.contact_id for c in log.contacts if c.callback or c.keeps
            }

    on_every_store(engine, check)


@settings(max_examples=EXAMPLES)
@given(book=phone_books())
def test_a_phone_book_comes_back_equal(engine: sa.Engine, book: PhoneBook) -> None:
    def check(factory: UnitOfWorkFactory) -> None:
        with factory() as uow:
            for entry in book.entries:
                assert uow.phone_book.add(COMMUNITY, entry)
            uow.commit()
        with factory() as uow:
            stored = uow.phone_book.book(COMMUNITY)
            assert sorted(stored.entries, key=lambda e: e.entry_id) == sorted(
                book.entries, key=lambda e: e.entry_id
            )
            for entry in book.entries:
                day = entry.since
                assert uow.phone_book.match(entry.number, on=day) == book.match(
                    entry.number, on=day
                )

    on_every_store(engine, check)


# A night on call running past midnight, and a day-long stand-by: both inside round-the-clock
# hours, which the strategy reaches only now and then.
_LATE = pendulum.datetime(2026, 11, 24, 23, 30, tz="Asia/Shanghai")
_ACROSS_MIDNIGHT = Schedule(
    [StaffCalendar("S1")],
    [
        Appointment(
            appointment_id=f"A{i}",
            kind=AppointmentKind.HOME_VISIT,
            start=_LATE.add(days=2 * i),
            end=_LATE.add(days=2 * i, hours=hours),
            attendees=["S1"],
        )
        for i, hours in enumerate((1, 26))
    ],
)
_TASK = Task(task_id="T1", title="回访", assignee="S1", due=_LATE)


@settings(max_examples=EXAMPLES)
@given(schedule=schedules(), task=tasks())
@example(schedule=_ACROSS_MIDNIGHT, task=_TASK)
def test_a_schedule_and_a_task_come_back_equal(
    engine: sa.Engine, schedule: Schedule, task: Task
) -> None:
    # Round the clock for everyone: the strategy places appointments at any hour, and what is
    # checked here is the storage, not working hours.
    roster = [attrs.evolve(m, calendar=HOTLINE_CALENDAR) for m in schedule.staff]
    hotline = CalendarSet([attrs.evolve(BusinessCalendar.always(), name=HOTLINE_CALENDAR)])

    def check(factory: UnitOfWorkFactory) -> None:
        with factory() as uow:
            for member in roster:
                uow.schedules.save_staff(COMMUNITY, member, 0)
            for appointment in schedule.appointments:
                uow.schedules.book(COMMUNITY, appointment, hotline)
            assert uow.schedules.add_task(COMMUNITY, task)
            uow.commit()
        with factory() as uow:
            assert uow.schedules.roster(COMMUNITY) == tuple(
                sorted(roster, key=lambda m: m.staff_id)
            )
            start = pendulum.datetime(2026, 11, 1, tz="Asia/Shanghai")
            stored = uow.schedules.schedule(COMMUNITY, start, start.add(days=60))
            assert stored.appointments == schedule.appointments
            assert uow.schedules.task(COMMUNITY, task.task_id).value == task
            # Only open tasks are due; a task drawn done is not.
            due = () if task.done_at is not None else (task,)
            assert uow.schedules.tasks_due(COMMUNITY, task.due).items == due

    on_every_store(engine, check)


def _replay(factory: UnitOfWorkFactory, base: SolutionBase) -> None:
    """Store ``base`` through the repository's own operations, version by version."""
    with factory() as uow:
        for entry_id in sorted({e.entry_id for e in base.entries}):
            history = base.history(entry_id)
            first = history[0]
            uow.solutions.add(attrs.evolve(first, approval=None, retired=None))
            for entry in history[1:]:
                uow.solutions.revise(
                    entry_id,
                    author=entry.author,
                    at=entry.written_at,
                    problem=entry.problem,
                    cause=entry.cause,
                    fix=entry.fix,
                    category=entry.category,
                    unit_type=entry.unit_type,
                    parts=entry.parts,
                    keywords=entry.keywords,
                    source_request=entry.source_request,
                )
            for entry in history:
                if entry.approval is not None:
                    approval = entry.approval
                    uow.solutions.approve(
                        entry_id, entry.version, approver=approval.approver, at=approval.approved_at
                    )
            retired = first.retired
            if retired is not None:
                uow.solutions.retire(
                    entry_id,
                    by=retired.retired_by,
                    at=retired.retired_at,
                    reason=retired.reason,
                    replaced_by=retired.replaced_by,
                )
        uow.commit()


@settings(max_examples=EXAMPLES)
@given(base=solution_bases())
def test_a_solution_base_comes_back_equal(engine: sa.Engine, base: SolutionBase) -> None:
    def check(factory: UnitOfWorkFactory) -> None:
        _replay(factory, base)
        with factory() as uow:
            assert uow.solutions.base() == base
            assert uow.solutions.in_service() == base.in_service()
            for entry in base.entries:
                assert uow.solutions.get(entry.entry_id, entry.version) == entry
                assert (entry.status is EntryStatus.RETIRED) == (entry.retired is not None)

    on_every_store(engine, check)


@settings(max_examples=EXAMPLES)
@given(notice=notices(), log=delivery_logs())
def test_a_notice_and_its_deliveries_come_back_equal(
    engine: sa.Engine, notice: Notice, log: DeliveryLog
) -> None:
    notice = attrs.evolve(notice, notice_id=log.notice_id)

    def check(factory: UnitOfWorkFactory) -> None:
        with factory() as uow:
            assert uow.notices.add(COMMUNITY, notice)
            for event in log.events:
                assert uow.notices.record(event)
            uow.commit()
        with factory() as uow:
            assert uow.notices.get(notice.notice_id) == notice
            stored = uow.notices.deliveries(notice.notice_id)
            assert sorted(stored.events, key=repr) == sorted(log.events, key=repr)
            assert stored.counts() == log.counts()
            for event in log.events:
                assert uow.notices.record(event) is False

    on_every_store(engine, check)


@settings(max_examples=EXAMPLES)
@given(roster=activity_rosters())
def test_an_activity_roster_comes_back_equal(engine: sa.Engine, roster: ActivityRoster) -> None:
    def check(factory: UnitOfWorkFactory) -> None:
        with factory() as uow:
            assert uow.activities.add(COMMUNITY, roster.activity)
            assert uow.activities.save(COMMUNITY, roster, 1) == 2
            uow.commit()
        with factory() as uow:
            assert uow.activities.roster(COMMUNITY, roster.activity.activity_id).value == roster
            for party, history in activity_history([roster]).items():
                assert uow.activities.history(party) == history

    on_every_store(engine, check)
