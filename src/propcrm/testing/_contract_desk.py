"""The storage contract of the service desk: contacts, calendars, solutions, notices, activities.

Contacts with their callbacks and the phone book; staff calendars with their bookings and tasks;
the solution base; notices with their audiences and delivery; community activities.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import attrs
import pendulum
import pytest

from propcrm.classification import Category
from propcrm.contacts import (
    Callback,
    CallbackStatus,
    Channel,
    Contact,
    ContactOutcome,
    Direction,
    PhoneEntry,
    Purpose,
    callback_state,
    callback_states,
    contact_statistics,
)
from propcrm.errors import (
    BookingConflict,
    ConcurrencyConflict,
    DeliveryOutOfOrder,
    InvalidAppointment,
    InvalidContact,
    InvalidPhoneBook,
    RecordExists,
    RecordNotFound,
    SignUpRefused,
    SolutionChangeRefused,
    UnknownCallback,
    UnknownSolution,
)
from propcrm.notices import (
    Activity,
    DeliveryChannel,
    DeliveryEvent,
    DeliveryStatus,
    Listed,
    Notice,
    NoticeKind,
    SignUpStatus,
    resolve_audience,
)
from propcrm.parties import PartyBook, Person
from propcrm.personal_data import MobileNumber, PersonName
from propcrm.schedules import (
    Appointment,
    AppointmentKind,
    BookingPolicy,
    Clash,
    Slot,
    StaffCalendar,
    Task,
)
from propcrm.sla import BusinessCalendar, CalendarSet
from propcrm.solutions import SolutionApproval, SolutionEntry, SolutionIndex
from propcrm.storage import Booking, Page, UnitOfWorkFactory, Versioned

__all__ = ["DeskContract"]

T = TypeVar("T")

SUNRISE, MOONLIGHT = "SUNRISE", "MOONLIGHT"
CALENDARS = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])


def _at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    """An instant of November 2026 at the desk (24 November is a Tuesday)."""
    return pendulum.datetime(2026, 11, day, hour, minute, tz="Asia/Shanghai")


def _pages(fetch: Callable[[str | None], Page[T]]) -> list[T]:
    items: list[T] = []
    token: str | None = None
    for _ in range(1000):
        page = fetch(token)
        items.extend(page.items)
        token = page.next
        if token is None:
            return items
    raise AssertionError("the pages never end")


def _call(contact_id: str, at: pendulum.DateTime, **changes: Any) -> Contact:
    values: dict[str, Any] = {
        "contact_id": contact_id,
        "at": at,
        "channel": Channel.HOTLINE,
        "direction": Direction.INBOUND,
        "purpose": Purpose.REPAIR,
        "outcome": ContactOutcome.RESOLVED,
        "staff": "KF-01",
        "party_id": "owner-1",
        "unit_id": "1-2-0301",
    }
    values.update(changes)
    return Contact(**values)


def _promise(contact_id: str, callback_id: str, at: pendulum.DateTime, **changes: Any) -> Contact:
    return _call(
        contact_id,
        at,
        outcome=ContactOutcome.CALLBACK_PROMISED,
        callback=Callback(callback_id),
        purpose=Purpose.FEES,
        **changes,
    )


def _back(contact_id: str, keeps: str, at: pendulum.DateTime, **changes: Any) -> Contact:
    return _call(
        contact_id,
        at,
        direction=Direction.OUTBOUND,
        purpose=Purpose.CALLBACK,
        keeps=keeps,
        **changes,
    )


def _visit(appointment_id: str, start: pendulum.DateTime, hours: int = 1, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "appointment_id": appointment_id,
        "kind": AppointmentKind.HOME_VISIT,
        "start": start,
        "end": start.add(hours=hours),
        "attendees": ["WX-01"],
        "building": "B1",
        "party_id": "owner-1",
    }
    values.update(changes)
    return Appointment(**values)


def _solution(entry_id: str = "KB-1", **changes: Any) -> SolutionEntry:
    values: dict[str, Any] = {
        "entry_id": entry_id,
        "problem": "卫生间地漏反味",
        "cause": "存水弯干涸",
        "fix": "往地漏注水，加装防臭芯",
        "category": Category.BLOCKED_DRAIN,
        "author": "WX-07",
        "written_at": _at(24, 10),
    }
    values.update(changes)
    return SolutionEntry(**values)


def _notice(notice_id: str = "N-1", **changes: Any) -> Notice:
    values: dict[str, Any] = {
        "notice_id": notice_id,
        "kind": NoticeKind.MEETING,
        "title": "业主大会通知",
        "body": "12月20日19:00在会所召开业主大会，审议物业费调整方案。",
        "issued_at": _at(24, 9),
        "audience": Listed(["owner-1", "owner-2", "owner-3"]),
        "event_at": pendulum.datetime(2026, 12, 20, 19, tz="Asia/Shanghai"),
        "place": "会所",
    }
    values.update(changes)
    return Notice(**values)


_BOOK = PartyBook(
    parties=[
        Person(party_id=f"owner-{n}", name=PersonName(name))
        for n, name in ((1, "王伟"), (2, "李娜"), (3, "张敏"))
    ]
)


def _event(party: str, status: DeliveryStatus, at: pendulum.DateTime, **changes: Any) -> Any:
    channel = changes.pop("channel", DeliveryChannel.SMS)
    return DeliveryEvent("N-1", party, channel, status, at, **changes)


class DeskContract:
    """The service desk's part of :class:`~propcrm.testing.contract.StorageContract`."""

    # -- contacts and callbacks -------------------------------------------------------------

    def test_a_callback_promised_and_kept_and_one_missed(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        kept, missed = _promise("C1", "CB1", _at(24, 9, 30)), _promise("C2", "CB2", _at(24, 10))
        tried = _back("C3", "CB2", _at(24, 11), outcome=ContactOutcome.NO_ANSWER)
        called = _back("C4", "CB1", _at(24, 12, 30))
        with unit_of_work_factory() as uow:
            for contact in (kept, missed, tried, called):
                assert uow.contacts.add(SUNRISE, contact) is True
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.contacts.get("C1") == kept
            assert uow.contacts.get("C4") == called
            # The same call logged again (a re-sent form) stores nothing twice.
            assert uow.contacts.add(SUNRISE, called) is False
            # An unanswered attempt keeps nothing: CB2 is still open for the escalation.
            still = uow.contacts.open_callbacks(SUNRISE, _at(24, 13))
            assert [c.contact_id for c in still.items] == ["C2"]
            assert [
                c.contact_id for c in uow.contacts.open_callbacks(SUNRISE, _at(24, 12)).items
            ] == [
                "C1",
                "C2",
            ]
            assert uow.contacts.open_callbacks(SUNRISE, _at(24, 9)).items == ()
            log = uow.contacts.callback_log(["CB1", "CB2"])
            assert log.contacts == (kept, missed, tried, called)
            assert callback_state(log, "CB1", CALENDARS, as_of=_at(25, 9)).status is (
                CallbackStatus.KEPT
            )
            late = callback_states(log, CALENDARS, as_of=_at(25, 9))
            assert [(s.callback.callback_id, s.status) for s in late] == [
                ("CB1", CallbackStatus.KEPT),
                ("CB2", CallbackStatus.MISSED),
            ]
            with pytest.raises(UnknownCallback):
                uow.contacts.callback_log(["CB9"])
            with pytest.raises(RecordNotFound):
                uow.contacts.get("C9")

    def test_the_statistics_run_on_the_stored_log(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        contacts = [
            _promise("C1", "CB1", _at(23, 17)),  # promised the evening before the period
            _back("C2", "CB1", _at(24, 9)),
            _call("C3", _at(24, 10), party_id="owner-2"),
            _call("C4", _at(25, 10), party_id="owner-2", outcome=ContactOutcome.REQUEST_OPENED),
            _call("C5", _at(26, 15), channel=Channel.WECHAT, party_id="owner-3", staff="KF-02"),
        ]
        with unit_of_work_factory() as uow:
            for contact in contacts:
                uow.contacts.add(SUNRISE, contact)
            uow.contacts.add(MOONLIGHT, _call("M1", _at(24, 10), party_id="owner-9"))
            uow.commit()
        with unit_of_work_factory() as uow:
            log = uow.contacts.log(SUNRISE, _at(24, 0), _at(27, 0))
            # C1 comes along: C2 keeps its callback, and a log keeps nothing it did not promise.
            assert [c.contact_id for c in log.contacts] == ["C1", "C2", "C3", "C4", "C5"]
            stats = contact_statistics(
                log, pendulum.date(2026, 11, 24), pendulum.date(2026, 11, 26), calendars=CALENDARS
            )
            assert stats.total == 4
            assert stats.by_channel == {"hotline": 3, "wechat": 1}
            assert stats.by_staff == {"KF-01": 3, "KF-02": 1}
            # owner-2 called again about the same repair: C3 did not hold.
            assert stats.repeats == ("C4",)
            assert (stats.first_contacts, stats.resolved_first) == (2, 1)

    def test_contacts_by_party_unit_staff_and_community_in_pages(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        contacts = [
            _call("C1", _at(24, 9)),
            _call("C2", _at(24, 9), staff="KF-02"),  # the same minute: ordered by id
            _call("C3", _at(24, 11), unit_id="1-2-0302", party_id="owner-2"),
            _call("C4", _at(25, 8), channel=Channel.VISIT),
            _call("C5", _at(26, 8), unit_id=None, party_id=None, channel=Channel.SMS),
        ]
        with unit_of_work_factory() as uow:
            for contact in reversed(contacts):
                uow.contacts.add(SUNRISE, contact)
            uow.commit()

        def ids(found: list[Contact]) -> list[str]:
            return [c.contact_id for c in found]

        with unit_of_work_factory() as uow:
            contacts_ = uow.contacts
            assert ids(
                _pages(
                    lambda a: contacts_.between(SUNRISE, _at(24, 0), _at(27, 0), limit=2, after=a)
                )
            ) == ["C1", "C2", "C3", "C4", "C5"]
            assert ids(
                _pages(
                    lambda a: contacts_.between(SUNRISE, _at(24, 9), _at(25, 8), limit=1, after=a)
                )
            ) == ["C1", "C2", "C3"]
            assert ids(_pages(lambda a: contacts_.of_party("owner-1", limit=2, after=a))) == [
                "C1",
                "C2",
                "C4",
            ]
            assert ids(
                _pages(lambda a: contacts_.of_party("owner-1", since=_at(24, 10), after=a))
            ) == ["C4"]
            assert ids(_pages(lambda a: contacts_.of_unit("1-2-0301", limit=1, after=a))) == [
                "C1",
                "C2",
                "C4",
            ]
            assert ids(_pages(lambda a: contacts_.of_staff("KF-01", limit=3, after=a))) == [
                "C1",
                "C3",
                "C4",
                "C5",
            ]
            assert contacts_.between(MOONLIGHT, _at(24, 0), _at(27, 0)).items == ()

    def test_a_contact_is_logged_once_and_keeps_only_what_was_promised(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        promise = _promise("C1", "CB1", _at(24, 9, 30))
        with unit_of_work_factory() as uow:
            uow.contacts.add(SUNRISE, promise)
            uow.commit()
        with unit_of_work_factory() as uow:
            with pytest.raises(RecordExists, match="C1"):
                uow.contacts.add(SUNRISE, attrs.evolve(promise, summary="另一条记录"))
            with pytest.raises(RecordExists, match="CB1"):
                uow.contacts.add(SUNRISE, _promise("C2", "CB1", _at(24, 10)))
            with pytest.raises(UnknownCallback):
                uow.contacts.add(SUNRISE, _back("C3", "CB9", _at(24, 11)))
            with pytest.raises(UnknownCallback):  # another community's callback
                uow.contacts.add(MOONLIGHT, _back("C3", "CB1", _at(24, 11)))
            with pytest.raises(InvalidContact):
                uow.contacts.add(SUNRISE, _back("C3", "CB1", _at(24, 9)))
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.contacts.between(SUNRISE, _at(1, 0), _at(30, 0)).items == (promise,)
            assert [
                c.contact_id for c in uow.contacts.open_callbacks(SUNRISE, _at(25, 0)).items
            ] == ["C1"]

    def test_two_clerks_keeping_one_callback_both_calls_are_logged(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            uow.contacts.add(SUNRISE, _promise("C1", "CB1", _at(24, 9, 30)))
            uow.commit()
        second_call = _back("C3", "CB1", _at(24, 11, 5), staff="KF-02")
        with unit_of_work_factory() as first, unit_of_work_factory() as second:
            first.contacts.add(SUNRISE, _back("C2", "CB1", _at(24, 11)))
            try:
                second.contacts.add(SUNRISE, second_call)
                first.commit()
                second.commit()
            except ConcurrencyConflict:
                # The callback's state moved on under the second clerk (an adapter reading a
                # snapshot says so); the call happened all the same, and is logged on retry.
                with unit_of_work_factory() as retry:
                    assert retry.contacts.add(SUNRISE, second_call) is True
                    retry.commit()
        with unit_of_work_factory() as uow:
            log = uow.contacts.callback_log(["CB1"])
            assert [c.contact_id for c in log.contacts] == ["C1", "C2", "C3"]
            # Kept by the first call back, whoever committed first.
            state = callback_state(log, "CB1", CALENDARS, as_of=_at(24, 12))
            assert state.kept_by == _back("C2", "CB1", _at(24, 11))
            assert uow.contacts.open_callbacks(SUNRISE, _at(24, 11, 1)).items == ()
            assert [
                c.contact_id for c in uow.contacts.open_callbacks(SUNRISE, _at(24, 10)).items
            ] == ["C1"]

    def test_a_contact_not_committed_is_not_stored(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            uow.contacts.add(SUNRISE, _promise("C1", "CB1", _at(24, 9, 30)))
            assert uow.contacts.get("C1").callback == Callback("CB1")
        with unit_of_work_factory() as uow:
            with pytest.raises(RecordNotFound):
                uow.contacts.get("C1")
            assert uow.contacts.open_callbacks(SUNRISE, _at(25, 0)).items == ()

    # -- the phone book ---------------------------------------------------------------------

    def test_a_number_is_matched_to_its_parties_as_of_a_day(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        family = MobileNumber("13800138000")
        own = PhoneEntry(
            "E1", family, party_id="owner-1", unit_id="1-2-0301", since=pendulum.date(2026, 1, 1)
        )
        spouse = PhoneEntry(
            "E2",
            family,
            party_id="owner-2",
            unit_id="1-2-0301",
            since=pendulum.date(2026, 6, 1),
            label="家属",
        )
        desk = PhoneEntry(
            "E3", MobileNumber("13900139000"), staff="KF-01", since=pendulum.date(2026, 1, 1)
        )
        with unit_of_work_factory() as uow:
            for entry in (own, spouse, desk):
                assert uow.phone_book.add(SUNRISE, entry) is True
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.phone_book.add(SUNRISE, own) is False
            assert uow.phone_book.get(SUNRISE, "E1").value == own
            match = uow.phone_book.match(
                MobileNumber("138 0013 8000"), on=pendulum.date(2026, 11, 24)
            )
            assert match.party_ids == ("owner-1", "owner-2")
            assert uow.phone_book.match(family, on=pendulum.date(2026, 3, 1)).party_ids == (
                "owner-1",
            )
            assert (
                uow.phone_book.match(
                    family, on=pendulum.date(2026, 3, 1), community=MOONLIGHT
                ).entries
                == ()
            )
            version = uow.phone_book.get(SUNRISE, "E2").version
            assert uow.phone_book.end(SUNRISE, "E2", pendulum.date(2026, 11, 30), version) == 2
            uow.commit()
        with unit_of_work_factory() as uow:
            assert (
                uow.phone_book.match(family, on=pendulum.date(2026, 12, 1)).unique_party
                == "owner-1"
            )
            book = uow.phone_book.book(SUNRISE)
            assert {e.entry_id for e in book.entries} == {"E1", "E2", "E3"}
            assert book.staff_number("KF-01", on=pendulum.date(2026, 11, 24)) == desk.number
            # The same work phone given to another member while KF-01 still has it.
            with pytest.raises(InvalidPhoneBook):
                uow.phone_book.add(
                    SUNRISE,
                    PhoneEntry("E4", desk.number, staff="KF-02", since=pendulum.date(2026, 11, 1)),
                )
            with pytest.raises(RecordExists):
                uow.phone_book.add(SUNRISE, attrs.evolve(own, label="本人"))
        # Ended at version 1 by a clerk who read it before the end was stored.
        with pytest.raises(ConcurrencyConflict), unit_of_work_factory() as uow:  # noqa: PT012
            uow.phone_book.end(SUNRISE, "E2", pendulum.date(2026, 10, 31), 1)
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.phone_book.get(SUNRISE, "E2").value.until == pendulum.date(2026, 11, 30)

    def test_two_clerks_giving_one_work_phone_at_once_the_second_commit_is_refused(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        work_phone, family = MobileNumber("13900139001"), MobileNumber("13800138001")
        first_day = pendulum.date(2026, 11, 24)
        to_chen = PhoneEntry("E1", work_phone, staff="KF-01", since=first_day)
        to_liu = PhoneEntry("E2", work_phone, staff="KF-02", since=first_day)
        with unit_of_work_factory() as first, unit_of_work_factory() as second:
            assert first.phone_book.add(SUNRISE, to_chen)
            # Each read a book without the number; both entries pass the rule.
            with pytest.raises(ConcurrencyConflict):  # noqa: PT012
                second.phone_book.add(SUNRISE, to_liu)
                first.commit()
                second.commit()
        with unit_of_work_factory() as uow:
            book = uow.phone_book.book(SUNRISE)
            assert [e.entry_id for e in book.entries] == ["E1"]
            # On retry, the second clerk meets the rule: one member's number at a time.
            with pytest.raises(InvalidPhoneBook):
                uow.phone_book.add(SUNRISE, to_liu)
            # Handed over: KF-01's entry ends the day before KF-02's begins.
            uow.phone_book.end(SUNRISE, "E1", first_day.add(days=6), 1)
            assert uow.phone_book.add(SUNRISE, attrs.evolve(to_liu, since=first_day.add(days=7)))
            uow.commit()
        # A family number may serve several parties: two clerks adding it at once both commit.
        with unit_of_work_factory() as first, unit_of_work_factory() as second:
            assert first.phone_book.add(SUNRISE, PhoneEntry("E3", family, party_id="owner-1"))
            assert second.phone_book.add(SUNRISE, PhoneEntry("E4", family, party_id="owner-2"))
            first.commit()
            second.commit()
        with unit_of_work_factory() as uow:
            match = uow.phone_book.match(family, on=first_day)
            assert match.party_ids == ("owner-1", "owner-2")
            assert uow.phone_book.match(work_phone, on=first_day.add(days=7)).entries == (
                attrs.evolve(to_liu, since=first_day.add(days=7)),
            )

    # -- calendars and tasks ----------------------------------------------------------------

    @staticmethod
    def _roster(factory: UnitOfWorkFactory, *staff: str) -> None:
        with factory() as uow:
            for member in staff or ("WX-01",):
                uow.schedules.save_staff(SUNRISE, StaffCalendar(member, teams=["repair"]), 0)
            uow.commit()

    def test_a_booking_refused_with_its_conflict_and_the_next_free_slots(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        self._roster(unit_of_work_factory)
        with unit_of_work_factory() as uow:
            assert uow.schedules.book(SUNRISE, _visit("A1", _at(24, 9)), CALENDARS) == 1
            assert uow.schedules.book(SUNRISE, _visit("A2", _at(24, 10)), CALENDARS) == 1
            uow.commit()
        with unit_of_work_factory() as uow:
            with pytest.raises(BookingConflict) as refused:
                uow.schedules.book(SUNRISE, _visit("A3", _at(24, 9, 30)), CALENDARS)
            conflicts = cast("tuple[Clash, ...]", refused.value.context["conflicts"])
            proposals = cast("tuple[Slot, ...]", refused.value.context["proposals"])
            assert [(c.kind.value, c.other_id) for c in conflicts] == [
                ("double_booked", "A1"),
                ("double_booked", "A2"),
            ]
            assert [s.start for s in proposals] == [
                _at(24, 11),
                _at(24, 13, 30),  # after the lunch break of the service hours
                _at(24, 14),
            ]
            # The schedule read back is what the booking saw.
            schedule = uow.schedules.schedule(SUNRISE, _at(24, 0), _at(25, 0))
            assert [a.appointment_id for a in schedule.appointments] == ["A1", "A2"]
            assert schedule.next_free_slots(["WX-01"], 3600, _at(24, 9), CALENDARS, count=1)[
                0
            ].start == _at(24, 11)
            assert uow.schedules.appointment(SUNRISE, "A1") == Versioned(
                Booking(_visit("A1", _at(24, 9))), 1
            )
            with pytest.raises(RecordExists):
                uow.schedules.book(SUNRISE, _visit("A1", _at(25, 9)), CALENDARS)
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.schedules.schedule(SUNRISE, _at(1, 0), _at(30, 0)).appointments == (
                _visit("A1", _at(24, 9)),
                _visit("A2", _at(24, 10)),
            )

    def test_an_appointment_is_rescheduled_and_cancelled_never_deleted(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        self._roster(unit_of_work_factory)
        with unit_of_work_factory() as uow:
            uow.schedules.book(SUNRISE, _visit("A1", _at(24, 9)), CALENDARS)
            uow.schedules.book(SUNRISE, _visit("A2", _at(24, 14)), CALENDARS)
            uow.commit()
        with unit_of_work_factory() as uow:
            with pytest.raises(BookingConflict):
                uow.schedules.reschedule(
                    SUNRISE, "A1", _at(24, 14, 30), _at(24, 15, 30), 1, CALENDARS
                )
            # A move within its own hour does not clash with itself.
            assert (
                uow.schedules.reschedule(
                    SUNRISE, "A1", _at(24, 9, 30), _at(24, 10, 30), 1, CALENDARS
                )
                == 2
            )
            assert uow.schedules.cancel(SUNRISE, "A2", 1, at=_at(23, 18), reason="业主改期") == 2
            uow.commit()
        with unit_of_work_factory() as uow:
            moved = uow.schedules.appointment(SUNRISE, "A1")
            assert (moved.value.appointment.start, moved.version) == (_at(24, 9, 30), 2)
            cancelled = uow.schedules.appointment(SUNRISE, "A2").value
            assert cancelled.cancelled
            assert cancelled.cancelled_at == _at(23, 18)
            assert [
                a.appointment_id
                for a in uow.schedules.schedule(SUNRISE, _at(24, 0), _at(25, 0)).appointments
            ] == ["A1"]
            every = uow.schedules.bookings(SUNRISE, _at(24, 0), _at(25, 0), cancelled=True, limit=1)
            assert [b.appointment.appointment_id for b in every.items] == ["A1"]
            rest = uow.schedules.bookings(
                SUNRISE, _at(24, 0), _at(25, 0), cancelled=True, after=every.next
            )
            assert [b.appointment.appointment_id for b in rest.items] == ["A2"]
            with pytest.raises(InvalidAppointment):
                uow.schedules.reschedule(SUNRISE, "A2", _at(25, 9), _at(25, 10), 2, CALENDARS)
            # The freed slot is free again.
            assert uow.schedules.book(SUNRISE, _visit("A3", _at(24, 14)), CALENDARS) == 1
        with pytest.raises(ConcurrencyConflict), unit_of_work_factory() as uow:  # noqa: PT012
            uow.schedules.reschedule(SUNRISE, "A1", _at(24, 11), _at(24, 12), 1, CALENDARS)
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.schedules.appointment(SUNRISE, "A1").value.appointment.start == _at(
                24, 9, 30
            )

    def test_two_clerks_booking_the_same_slot_the_second_commit_is_refused(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        self._roster(unit_of_work_factory, "WX-01", "WX-02")
        with unit_of_work_factory() as first, unit_of_work_factory() as second:
            first.schedules.book(SUNRISE, _visit("A1", _at(24, 9)), CALENDARS)
            # Each read an empty morning; both bookings pass their checks.
            with pytest.raises(ConcurrencyConflict):  # noqa: PT012
                second.schedules.book(SUNRISE, _visit("A2", _at(24, 9, 30)), CALENDARS)
                first.commit()
                second.commit()
        with unit_of_work_factory() as uow:
            assert [
                a.appointment_id
                for a in uow.schedules.schedule(SUNRISE, _at(24, 0), _at(25, 0)).appointments
            ] == ["A1"]
            # On retry, the second clerk sees the first booking and its clash.
            with pytest.raises(BookingConflict):
                uow.schedules.book(SUNRISE, _visit("A2", _at(24, 9, 30)), CALENDARS)
            # Another member the same morning is no clash at all.
            uow.schedules.book(
                SUNRISE, _visit("A2", _at(24, 9, 30), attendees=["WX-02"]), CALENDARS
            )
            uow.commit()

    def test_a_travel_gap_is_checked_across_days(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            uow.schedules.save_staff(SUNRISE, StaffCalendar("WX-09", calendar="24x7"), 0)
            uow.commit()
        policy = BookingPolicy(travel_gap_seconds=1800)
        late = _visit("A1", _at(24, 23), attendees=["WX-09"])
        with unit_of_work_factory() as uow:
            uow.schedules.book(SUNRISE, late, CALENDARS, policy)
            uow.commit()
        with unit_of_work_factory() as uow:
            early = _visit("A2", _at(25, 0, 10), attendees=["WX-09"], building="B7")
            with pytest.raises(BookingConflict, match="30"):
                uow.schedules.book(SUNRISE, early, CALENDARS, policy)

    def test_tasks_are_added_done_and_found_by_due_time(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        tasks = [
            Task(task_id="T1", title="回访 1-2-0301", assignee="KF-01", due=_at(24, 17, 30)),
            Task(task_id="T2", title="复查地漏", assignee="WX-01", due=_at(24, 12)),
            Task(task_id="T3", title="催缴提醒", assignee="KF-01", due=_at(26, 17)),
        ]
        with unit_of_work_factory() as uow:
            for task in tasks:
                assert uow.schedules.add_task(SUNRISE, task) is True
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.schedules.add_task(SUNRISE, tasks[0]) is False
            with pytest.raises(RecordExists):
                uow.schedules.add_task(SUNRISE, attrs.evolve(tasks[0], assignee="KF-02"))
            due = uow.schedules.tasks_due(SUNRISE, _at(24, 17, 30), limit=1)
            assert [t.task_id for t in due.items] == ["T2"]
            assert [
                t.task_id
                for t in uow.schedules.tasks_due(SUNRISE, _at(24, 17, 30), after=due.next).items
            ] == ["T1"]
            assert [
                t.task_id
                for t in uow.schedules.tasks_due(SUNRISE, _at(30, 0), assignee="KF-01").items
            ] == ["T1", "T3"]
            assert uow.schedules.task_done(SUNRISE, "T2", _at(24, 11), 1) == 2
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.schedules.task(SUNRISE, "T2").value.done_at == _at(24, 11)
            assert [t.task_id for t in uow.schedules.tasks_due(SUNRISE, _at(30, 0)).items] == [
                "T1",
                "T3",
            ]
            with pytest.raises(InvalidAppointment):
                uow.schedules.task_done(SUNRISE, "T2", _at(24, 12), 2)
        with pytest.raises(ConcurrencyConflict), unit_of_work_factory() as uow:  # noqa: PT012
            uow.schedules.task_done(SUNRISE, "T2", _at(24, 12), 1)
            uow.commit()

    def test_a_page_of_tasks_due_shows_what_this_unit_did_and_added(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        # A page reads only its worth from the store: the tasks this unit did leave the pages,
        # the ones it added join them where they fall, whatever the page size.
        due = [
            Task(
                task_id=f"T{n:02d}",
                title="回访",
                assignee="KF-02" if n % 3 == 0 else "KF-01",
                due=_at(24, 8).add(minutes=20 * n),
            )
            for n in range(1, 13)
        ]
        with unit_of_work_factory() as uow:
            for task in due:
                uow.schedules.add_task(SUNRISE, task)
            uow.commit()
        before = _at(30, 0)
        with unit_of_work_factory() as uow:
            earlier = uow.schedules.tasks_due(SUNRISE, before, limit=3)
            assert [t.task_id for t in earlier.items] == ["T01", "T02", "T03"]
            for task_id in ("T02", "T03", "T05"):
                uow.schedules.task_done(SUNRISE, task_id, _at(24, 9), 1)
            # One due before them all, one due with T06 (ties go by id).
            added = [
                Task(task_id="T00", title="巡检", assignee="KF-02", due=_at(24, 8)),
                Task(task_id="T13", title="复查", assignee="KF-02", due=due[5].due),
            ]
            for task in added:
                uow.schedules.add_task(SUNRISE, task)
            open_tasks = sorted(
                [t for t in due if t.task_id not in {"T02", "T03", "T05"}] + added,
                key=lambda t: (t.due, t.task_id),
            )
            expected = [t.task_id for t in open_tasks]
            assert expected[:5] == ["T00", "T01", "T04", "T06", "T13"]
            theirs = [t.task_id for t in open_tasks if t.assignee == "KF-02"]

            def pages(limit: int, after: str | None = None, **where: Any) -> list[str]:
                tokens = iter([after])

                def fetch(token: str | None) -> Page[Task]:
                    return uow.schedules.tasks_due(
                        SUNRISE, before, limit=limit, after=next(tokens, token), **where
                    )

                return [t.task_id for t in _pages(fetch)]

            for limit in (1, 2, 3, 5, 100):
                assert pages(limit) == expected, limit
                assert pages(limit, assignee="KF-02") == theirs, limit
            # The token of a page read before this unit's writes goes on after T03.
            assert pages(2, earlier.next) == expected[expected.index("T04") :]
            uow.commit()
        with unit_of_work_factory() as uow:  # the pages above read this unit now
            assert pages(2) == expected

    def test_a_page_of_bookings_follows_what_this_unit_moved_and_cancelled(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        self._roster(unit_of_work_factory)
        starts = {
            "A1": _at(24, 9),
            "A2": _at(24, 10),
            "A3": _at(24, 14),
            "A4": _at(24, 15),
            "A5": _at(25, 9),
            "A6": _at(25, 10),
            "A7": _at(25, 14),
            "A8": _at(25, 15),
        }
        with unit_of_work_factory() as uow:
            for appointment_id, start in starts.items():
                uow.schedules.book(SUNRISE, _visit(appointment_id, start), CALENDARS)
            uow.commit()
        with unit_of_work_factory() as uow:
            # A7 moved from the end of the list into the first day, A1 from its head to the
            # end; A2 cancelled; A9 booked before them all.
            uow.schedules.reschedule(SUNRISE, "A7", _at(24, 16), _at(24, 17), 1, CALENDARS)
            uow.schedules.reschedule(SUNRISE, "A1", _at(25, 16), _at(25, 17), 1, CALENDARS)
            uow.schedules.cancel(SUNRISE, "A2", 1, at=_at(23, 18), reason="业主改期")
            uow.schedules.book(SUNRISE, _visit("A9", _at(24, 8, 30)), CALENDARS)
            booked = ["A9", "A3", "A4", "A7", "A5", "A6", "A8", "A1"]
            every = ["A9", "A2", "A3", "A4", "A7", "A5", "A6", "A8", "A1"]

            def listed(limit: int, *, cancelled: bool = False) -> list[str]:
                def fetch(after: str | None) -> Page[Booking]:
                    return uow.schedules.bookings(
                        SUNRISE,
                        _at(24, 0),
                        _at(26, 0),
                        cancelled=cancelled,
                        limit=limit,
                        after=after,
                    )

                return [b.appointment.appointment_id for b in _pages(fetch)]

            for limit in (1, 2, 3, 4, 100):
                assert listed(limit) == booked, limit
                assert listed(limit, cancelled=True) == every, limit
            uow.commit()
        with unit_of_work_factory() as uow:  # the pages above read this unit now
            assert listed(3) == booked

    def test_a_staff_calendar_is_versioned(self, unit_of_work_factory: UnitOfWorkFactory) -> None:
        self._roster(unit_of_work_factory, "WX-02", "WX-01")
        with unit_of_work_factory() as uow:
            assert [m.staff_id for m in uow.schedules.roster(SUNRISE)] == ["WX-01", "WX-02"]
            night = StaffCalendar("WX-01", calendar="24x7")
            assert uow.schedules.save_staff(SUNRISE, night, 1) == 2
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.schedules.staff(SUNRISE, "WX-01").value.calendar == "24x7"
            with pytest.raises(ConcurrencyConflict):
                uow.schedules.save_staff(SUNRISE, StaffCalendar("WX-01"), 1)
            with pytest.raises(RecordNotFound):
                uow.schedules.staff(MOONLIGHT, "WX-01")

    # -- the solution base ------------------------------------------------------------------

    def test_a_solution_is_versioned_approved_and_retired_never_deleted(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            assert uow.solutions.add(_solution()) is True
            assert (
                uow.solutions.add(
                    _solution(
                        "KB-2", problem="厨房水管漏水", fix="更换角阀", category=Category.WATER_LEAK
                    )
                )
                is True
            )
            uow.solutions.approve("KB-1", 1, approver="WX-01", at=_at(24, 12))
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.solutions.add(_solution()) is False
            with pytest.raises(SolutionChangeRefused):
                uow.solutions.add(_solution(fix="另一种做法"))
            with pytest.raises(SolutionChangeRefused):  # the author does not approve their own
                uow.solutions.approve("KB-2", 1, approver="WX-07", at=_at(24, 12))
            revised = uow.solutions.revise(
                "KB-1", author="WX-07", at=_at(27, 10), fix="加装防臭地漏芯并注水"
            )
            assert revised.key == "KB-1@2"
            uow.commit()
        with unit_of_work_factory() as uow:
            # The approved version serves until its revision is approved.
            assert [e.key for e in uow.solutions.in_service()] == ["KB-1@1"]
            assert [(e.version, e.status.value) for e in uow.solutions.history("KB-1")] == [
                (1, "approved"),
                (2, "draft"),
            ]
            uow.solutions.approve("KB-1", 2, approver="WX-01", at=_at(27, 11))
            uow.solutions.retire(
                "KB-2", by="WX-01", at=_at(28, 9), reason="合并到 KB-1", replaced_by="KB-1"
            )
            uow.commit()
        with unit_of_work_factory() as uow:
            assert [e.key for e in uow.solutions.in_service()] == ["KB-1@2"]
            assert uow.solutions.get("KB-2").status.value == "retired"
            assert uow.solutions.get("KB-1", 1).approval == SolutionApproval("WX-01", _at(24, 12))
            base = uow.solutions.base()
            assert [e.key for e in base.entries] == ["KB-1@1", "KB-1@2", "KB-2@1"]
            # Search runs on what is stored.
            index = SolutionIndex.build(uow.solutions.in_service())
            assert [m.entry.key for m in index.search("地漏反味")] == ["KB-1@2"]
            with pytest.raises(UnknownSolution):
                uow.solutions.history("KB-9")
            with pytest.raises(SolutionChangeRefused):
                uow.solutions.revise("KB-2", author="WX-07", at=_at(29, 9), fix="x")

    def test_two_revisions_of_one_entry_cannot_both_be_its_next_version(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            uow.solutions.add(_solution())
            uow.commit()
        with unit_of_work_factory() as first, unit_of_work_factory() as second:
            first.solutions.revise("KB-1", author="WX-07", at=_at(25, 9), fix="方案甲")
            with pytest.raises(ConcurrencyConflict):  # noqa: PT012
                second.solutions.revise("KB-1", author="WX-08", at=_at(25, 9), fix="方案乙")
                first.commit()
                second.commit()
        with unit_of_work_factory() as uow:
            assert [e.fix for e in uow.solutions.history("KB-1")] == [
                "往地漏注水，加装防臭芯",
                "方案甲",
            ]

    # -- notices and delivery ---------------------------------------------------------------

    def test_a_notice_delivered_to_its_audience_with_a_receipt(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        notice = _notice()
        audience = resolve_audience(notice.audience, _BOOK, pendulum.date(2026, 11, 24))
        events = [
            _event("owner-1", DeliveryStatus.SENT, _at(24, 9, 1)),
            _event("owner-1", DeliveryStatus.DELIVERED, _at(24, 9, 2), reference="SMS-881"),
            _event("owner-2", DeliveryStatus.SENT, _at(24, 9, 1)),
            _event("owner-2", DeliveryStatus.FAILED, _at(24, 9, 3), detail="空号"),
            _event("owner-2", DeliveryStatus.READ, _at(24, 10), channel=DeliveryChannel.WECHAT),
            _event("owner-3", DeliveryStatus.SENT, _at(24, 9, 1)),
        ]
        with unit_of_work_factory() as uow:
            assert uow.notices.add(SUNRISE, notice) is True
            assert uow.notices.add_audience("N-1", audience) is True
            for event in events:
                assert uow.notices.record(event) is True
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.notices.get("N-1") == notice
            assert uow.notices.audience("N-1") == audience
            # The gateway reports the same delivery twice: recorded once.
            assert uow.notices.record(events[1]) is False
            log = uow.notices.deliveries("N-1")
            assert sorted(log.events, key=repr) == sorted(events, key=repr)
            assert log.status("owner-2", DeliveryChannel.SMS) is DeliveryStatus.FAILED
            receipt = uow.notices.receipt("N-1")
            assert receipt.needs_receipt
            assert [e.party_id for e in receipt.proofs] == ["owner-1", "owner-2"]
            assert receipt.unproven == ("owner-3",)
            with pytest.raises(DeliveryOutOfOrder):
                uow.notices.record(_event("owner-1", DeliveryStatus.SENT, _at(24, 11)))
            with pytest.raises(RecordNotFound):
                uow.notices.record(
                    DeliveryEvent(
                        "N-9", "owner-1", DeliveryChannel.SMS, DeliveryStatus.SENT, _at(24, 9)
                    )
                )
            with pytest.raises(RecordExists):
                uow.notices.add(SUNRISE, _notice(title="改期通知"))
            with pytest.raises(RecordExists):
                uow.notices.add(MOONLIGHT, notice)

    def test_notices_issued_between_two_instants_in_pages(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        notices = [
            _notice("N-1", issued_at=_at(2, 9)),
            _notice(
                "N-2",
                issued_at=_at(10, 9),
                kind=NoticeKind.SERVICE_REMINDER,
                event_at=None,
                place=None,
            ),
            _notice("N-3", issued_at=_at(10, 9)),
            _notice("N-4", issued_at=_at(20, 9)),
        ]
        with unit_of_work_factory() as uow:
            for notice in notices:
                uow.notices.add(SUNRISE, notice)
            uow.notices.add(MOONLIGHT, _notice("N-5", issued_at=_at(10, 9)))
            uow.commit()
        with unit_of_work_factory() as uow:
            found = _pages(
                lambda a: uow.notices.issued(SUNRISE, _at(2, 9), _at(20, 9), limit=1, after=a)
            )
            assert [n.notice_id for n in found] == ["N-1", "N-2", "N-3"]

    def test_two_reports_racing_for_one_recipient_the_second_is_refused(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            uow.notices.add(SUNRISE, _notice())
            uow.notices.record(_event("owner-1", DeliveryStatus.SENT, _at(24, 9, 1)))
            uow.commit()
        with unit_of_work_factory() as first, unit_of_work_factory() as second:
            first.notices.record(_event("owner-1", DeliveryStatus.DELIVERED, _at(24, 9, 2)))
            with pytest.raises(ConcurrencyConflict):  # noqa: PT012
                second.notices.record(_event("owner-1", DeliveryStatus.FAILED, _at(24, 9, 2)))
                first.commit()
                second.commit()
        with unit_of_work_factory() as uow:
            assert uow.notices.deliveries("N-1").status("owner-1", DeliveryChannel.SMS) is (
                DeliveryStatus.DELIVERED
            )

    # -- activities -------------------------------------------------------------------------

    def test_an_activity_fills_up_and_its_waiting_list_moves_up(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        walk = Activity(
            activity_id="ACT-1",
            title="重阳节登山",
            starts_at=_at(28, 8),
            ends_at=_at(28, 11),
            capacity=2,
            signup_closes_at=_at(27, 18),
        )
        with unit_of_work_factory() as uow:
            assert uow.activities.add(SUNRISE, walk) is True
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.activities.add(SUNRISE, walk) is False
            with pytest.raises(RecordExists):
                uow.activities.add(SUNRISE, attrs.evolve(walk, capacity=30))
            read = uow.activities.roster(SUNRISE, "ACT-1")
            roster = read.value
            for n, party in enumerate(["owner-1", "owner-2", "owner-3"]):
                roster = roster.sign_up(party, _at(24, 9, n))
            assert uow.activities.save(SUNRISE, roster, read.version) == 2
            uow.commit()
        # Two clerks signing up the last two callers on the roster both read at version 2.
        with unit_of_work_factory() as first, unit_of_work_factory() as second:
            a, b = (
                first.activities.roster(SUNRISE, "ACT-1"),
                second.activities.roster(SUNRISE, "ACT-1"),
            )
            first.activities.save(SUNRISE, a.value.cancel("owner-1", _at(25, 9)), a.version)
            first.commit()
            with pytest.raises(ConcurrencyConflict):  # noqa: PT012
                second.activities.save(SUNRISE, b.value.sign_up("owner-4", _at(25, 9)), b.version)
                second.commit()
        with unit_of_work_factory() as uow:
            read = uow.activities.roster(SUNRISE, "ACT-1")
            assert (read.value.confirmed, read.value.waiting, read.version) == (
                ("owner-2", "owner-3"),
                (),
                3,
            )
            done = read.value.attend("owner-2").attend("owner-3", attended=False)
            uow.activities.save(SUNRISE, done, read.version)
            with pytest.raises(SignUpRefused):
                uow.activities.save(SUNRISE, attrs.evolve(done, signups=done.signups[1:]), 4)
            uow.commit()
        with unit_of_work_factory() as uow:
            assert [(p.activity_id, p.status) for p in uow.activities.history("owner-3")] == [
                ("ACT-1", SignUpStatus.NO_SHOW)
            ]
            assert [p.status for p in uow.activities.history("owner-1")] == [SignUpStatus.CANCELLED]
            assert uow.activities.history("owner-9") == ()
            rosters = uow.activities.rosters(SUNRISE, _at(1, 0), _at(30, 0))
            assert [r.activity.activity_id for r in rosters] == ["ACT-1"]
