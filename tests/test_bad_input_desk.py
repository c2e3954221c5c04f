"""Bad input to the service desk's repositories: only library errors come out, nothing is written.

Each repository of ``uow.contacts``, ``uow.phone_book``, ``uow.schedules``, ``uow.solutions``,
``uow.notices`` and ``uow.activities`` is fed malformed ids, versions, instants, dates, page
sizes, tokens and values, on the in-memory adapter and on a SQLite file; each must be refused
with a library error carrying its context, and the store must be as it was.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.bad_input import (
    assert_refused,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_instants,
    bad_text,
    wrong_types,
)

from propcrm.contacts import Callback, Channel, Contact, ContactOutcome, Direction, Purpose
from propcrm.personal_data import MobileNumber
from propcrm.schedules import Appointment, AppointmentKind, StaffCalendar
from propcrm.sla import BusinessCalendar, CalendarSet
from propcrm.storage import Booking, MemoryStore, UnitOfWorkFactory
from propcrm.storage.sql import SqlStore

FEW = settings(max_examples=10, deadline=None)
AT = pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Shanghai")
CALENDARS = CalendarSet([BusinessCalendar.china_service_hours()])
PROMISE = Contact(
    contact_id="C1",
    at=AT,
    channel=Channel.HOTLINE,
    direction=Direction.INBOUND,
    purpose=Purpose.FEES,
    outcome=ContactOutcome.CALLBACK_PROMISED,
    staff="KF-01",
    party_id="owner-1",
    callback=Callback("CB1"),
)
VISIT = Appointment(
    appointment_id="A1",
    kind=AppointmentKind.HOME_VISIT,
    start=AT,
    end=AT.add(hours=1),
    attendees=["WX-01"],
)


def _store(store: UnitOfWorkFactory) -> UnitOfWorkFactory:
    with store() as uow:
        uow.contacts.add("SUNRISE", PROMISE)
        uow.schedules.save_staff("SUNRISE", StaffCalendar("WX-01"), 0)
        uow.schedules.book("SUNRISE", VISIT, CALENDARS)
        uow.commit()
    return store


STORES = {
    "memory": _store(MemoryStore()),
    "sqlite": _store(SqlStore(Path(tempfile.mkdtemp()) / "bad-desk.sqlite", upgrade=True)),
}
ADAPTERS = pytest.mark.parametrize("adapter", list(STORES))
Use = Callable[[Any, Any], object]


def _refused_and_nothing_written(adapter: str, use: Use, bad: object) -> None:
    store = STORES[adapter]
    with store() as uow:
        assert_refused(lambda: use(uow, bad))
        uow.commit()
    with store() as uow:
        assert uow.contacts.between("SUNRISE", AT, AT.add(days=1)).items == (PROMISE,)
        assert uow.schedules.appointment("SUNRISE", "A1").version == 1
        assert uow.contacts.open_callbacks("SUNRISE", AT.add(hours=1)).items == (PROMISE,)


IDS: dict[str, Use] = {
    "contacts.get": lambda u, bad: u.contacts.get(bad),
    "contacts.add community": lambda u, bad: u.contacts.add(bad, PROMISE),
    "contacts.of_party": lambda u, bad: u.contacts.of_party(bad),
    "contacts.of_unit": lambda u, bad: u.contacts.of_unit(bad),
    "contacts.of_staff": lambda u, bad: u.contacts.of_staff(bad),
    "contacts.between": lambda u, bad: u.contacts.between(bad, AT, AT.add(days=1)),
    "contacts.callback_log": lambda u, bad: u.contacts.callback_log([bad]),
    "phone_book.get": lambda u, bad: u.phone_book.get("SUNRISE", bad),
    "phone_book.book": lambda u, bad: u.phone_book.book(bad),
    # None is "any community" there: the blank id stands in for it.
    "phone_book.match community": lambda u, bad: u.phone_book.match(
        MobileNumber("13800138000"), on=AT.date(), community="" if bad is None else bad
    ),
    "schedules.staff": lambda u, bad: u.schedules.staff("SUNRISE", bad),
    "schedules.roster": lambda u, bad: u.schedules.roster(bad),
    "schedules.appointment": lambda u, bad: u.schedules.appointment("SUNRISE", bad),
    "schedules.book community": lambda u, bad: u.schedules.book(bad, VISIT, CALENDARS),
    "schedules.cancel": lambda u, bad: u.schedules.cancel("SUNRISE", bad, 1, at=AT),
    "schedules.task": lambda u, bad: u.schedules.task("SUNRISE", bad),
    "schedules.tasks_due assignee": lambda u, bad: u.schedules.tasks_due(
        "SUNRISE", AT, assignee="" if bad is None else bad
    ),
    "solutions.history": lambda u, bad: u.solutions.history(bad),
    "solutions.get": lambda u, bad: u.solutions.get(bad),
    "notices.get": lambda u, bad: u.notices.get(bad),
    "notices.deliveries": lambda u, bad: u.notices.deliveries(bad),
    "notices.audience": lambda u, bad: u.notices.audience(bad),
    "activities.roster": lambda u, bad: u.activities.roster("SUNRISE", bad),
    "activities.history": lambda u, bad: u.activities.history(bad),
}


@ADAPTERS
@pytest.mark.parametrize("use", IDS.values(), ids=list(IDS))
@FEW
@given(bad=bad_ids)
def test_ids_refuse_empty_blank_spaced_and_non_text(adapter: str, use: Use, bad: object) -> None:
    _refused_and_nothing_written(adapter, use, bad)


VALUES: dict[str, Use] = {
    "contacts.add": lambda u, bad: u.contacts.add("SUNRISE", bad),
    "phone_book.add": lambda u, bad: u.phone_book.add("SUNRISE", bad),
    "phone_book.match": lambda u, bad: u.phone_book.match(bad, on=AT.date()),
    "schedules.save_staff": lambda u, bad: u.schedules.save_staff("SUNRISE", bad, 0),
    "schedules.book": lambda u, bad: u.schedules.book("SUNRISE", bad, CALENDARS),
    "schedules.book calendars": lambda u, bad: u.schedules.book("SUNRISE", VISIT, bad),
    "schedules.add_task": lambda u, bad: u.schedules.add_task("SUNRISE", bad),
    "schedules.bookings cancelled": lambda u, bad: u.schedules.bookings(
        "SUNRISE", AT, AT.add(days=1), cancelled=bad
    ),
    "solutions.add": lambda u, bad: u.solutions.add(bad),
    "notices.add": lambda u, bad: u.notices.add("SUNRISE", bad),
    "notices.record": lambda u, bad: u.notices.record(bad),
    "activities.add": lambda u, bad: u.activities.add("SUNRISE", bad),
    "activities.save": lambda u, bad: u.activities.save("SUNRISE", bad, 1),
}


@ADAPTERS
@pytest.mark.parametrize("use", VALUES.values(), ids=list(VALUES))
@FEW
@given(bad=wrong_types.filter(lambda v: not isinstance(v, bool)))
def test_values_of_the_wrong_type_are_refused(adapter: str, use: Use, bad: object) -> None:
    _refused_and_nothing_written(adapter, use, bad)


VERSIONS: dict[str, Use] = {
    "schedules.save_staff": lambda u, bad: u.schedules.save_staff(
        "SUNRISE", StaffCalendar("WX-02"), bad
    ),
    "schedules.cancel": lambda u, bad: u.schedules.cancel("SUNRISE", "A1", bad, at=AT),
    "schedules.reschedule": lambda u, bad: u.schedules.reschedule(
        "SUNRISE", "A1", AT.add(hours=2), AT.add(hours=3), bad, CALENDARS
    ),
    "phone_book.end": lambda u, bad: u.phone_book.end("SUNRISE", "E1", AT.date(), bad),
}


@ADAPTERS
@pytest.mark.parametrize("use", VERSIONS.values(), ids=list(VERSIONS))
@FEW
@given(bad=bad_counts)
def test_an_expected_version_is_an_int_from_zero(adapter: str, use: Use, bad: object) -> None:
    _refused_and_nothing_written(adapter, use, bad)


INSTANTS: dict[str, Use] = {
    "contacts.between": lambda u, bad: u.contacts.between("SUNRISE", bad, AT),
    "contacts.log": lambda u, bad: u.contacts.log("SUNRISE", AT, bad),
    # None is "from the start" there: text stands in for it.
    "contacts.of_party since": lambda u, bad: u.contacts.of_party(
        "owner-1", since="2026-11-24" if bad is None else bad
    ),
    "contacts.open_callbacks": lambda u, bad: u.contacts.open_callbacks("SUNRISE", bad),
    "schedules.schedule": lambda u, bad: u.schedules.schedule("SUNRISE", bad, AT),
    "schedules.reschedule": lambda u, bad: u.schedules.reschedule(
        "SUNRISE", "A1", bad, AT.add(hours=3), 1, CALENDARS
    ),
    "schedules.cancel": lambda u, bad: u.schedules.cancel("SUNRISE", "A1", 1, at=bad),
    "schedules.tasks_due": lambda u, bad: u.schedules.tasks_due("SUNRISE", bad),
    "notices.issued": lambda u, bad: u.notices.issued("SUNRISE", AT, bad),
    "activities.rosters": lambda u, bad: u.activities.rosters("SUNRISE", bad, AT),
}


@ADAPTERS
@pytest.mark.parametrize("use", INSTANTS.values(), ids=list(INSTANTS))
@FEW
@given(bad=bad_instants)
def test_instants_must_be_aware(adapter: str, use: Use, bad: object) -> None:
    _refused_and_nothing_written(adapter, use, bad)


@ADAPTERS
@FEW
@given(bad=bad_dates)
def test_a_phone_match_takes_a_date(adapter: str, bad: object) -> None:
    _refused_and_nothing_written(
        adapter, lambda u, b: u.phone_book.match(MobileNumber("13800138000"), on=b), bad
    )


PAGES: dict[str, Use] = {
    "contacts.between": lambda u, bad: u.contacts.between("SUNRISE", AT, AT, limit=bad),
    "contacts.of_staff": lambda u, bad: u.contacts.of_staff("KF-01", limit=bad),
    "contacts.open_callbacks": lambda u, bad: u.contacts.open_callbacks("SUNRISE", AT, limit=bad),
    "schedules.bookings": lambda u, bad: u.schedules.bookings("SUNRISE", AT, AT, limit=bad),
    "schedules.tasks_due": lambda u, bad: u.schedules.tasks_due("SUNRISE", AT, limit=bad),
    "notices.issued": lambda u, bad: u.notices.issued("SUNRISE", AT, AT, limit=bad),
}


@ADAPTERS
@pytest.mark.parametrize("use", PAGES.values(), ids=list(PAGES))
@FEW
@given(bad=st.one_of(bad_counts, st.sampled_from([0, 1001, 10**9])))
def test_a_page_size_is_an_int_from_1_to_1000(adapter: str, use: Use, bad: object) -> None:
    _refused_and_nothing_written(adapter, use, bad)


@ADAPTERS
@FEW
@given(bad=st.sampled_from(["zzz", "", "eyJ4IjogMX0=", 7, b"x"]))
def test_a_page_token_must_be_one_the_store_gave(adapter: str, bad: object) -> None:
    _refused_and_nothing_written(adapter, lambda u, b: u.contacts.of_party("owner-1", after=b), bad)


@ADAPTERS
def test_a_token_of_another_query_is_refused(adapter: str) -> None:
    with STORES[adapter]() as uow:
        other = uow.contacts.open_callbacks("SUNRISE", AT.add(hours=1), limit=1)
        assert other.next is None
        first = uow.contacts.between("SUNRISE", AT, AT.add(days=1), limit=1)
    # A token of one query is no page of another.
    token = first.next or "eyJ4IjogMX0="
    _refused_and_nothing_written(adapter, lambda u, b: u.contacts.of_staff("KF-01", after=b), token)


@FEW
# None is "not cancelled", so it is no bad instant here.
@given(bad=st.one_of(wrong_types, bad_instants).filter(lambda v: v is not None))
def test_a_booking_refuses_what_is_no_appointment_or_instant(bad: object) -> None:
    assert_refused(lambda: Booking(bad))  # type: ignore[arg-type]
    assert_refused(lambda: Booking(VISIT, bad))  # type: ignore[arg-type]


@FEW
@given(bad=bad_text.filter(lambda v: v != ""))
def test_a_booking_reason_is_short_text(bad: object) -> None:
    assert_refused(lambda: Booking(VISIT, AT, bad))  # type: ignore[arg-type]
    assert_refused(lambda: Booking(VISIT, AT, "改期" * 101))
