"""Tests for propcrm.contacts: the contact log, callbacks on the SLA model, the phone book, stats.

The SUNRISE desk (阳光花园客服中心): 客服小王 (S1) and 客服小李 (S2) on the hotline; owner 张先生
(P1) of flat 1-2-0301 calls about his water bill on Tuesday 24 November 2026 at 09:30.
"""

from __future__ import annotations

from fractions import Fraction

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.contacts import (
    CALLBACK_PRIORITY,
    Callback,
    CallbackPolicy,
    CallbackStatus,
    Channel,
    Contact,
    ContactLog,
    ContactOutcome,
    ContactStatisticsPolicy,
    Direction,
    PhoneBook,
    PhoneEntry,
    Purpose,
    callback_clocks,
    callback_state,
    callback_states,
    contact_statistics,
)
from propcrm.errors import (
    DuplicateRecord,
    InvalidContact,
    InvalidPhoneBook,
    UnknownCallback,
)
from propcrm.personal_data import MobileNumber
from propcrm.sla import (
    AgreedTime,
    BusinessCalendar,
    CalendarSet,
    Crossing,
    TargetKind,
    Within,
    next_action_at,
    poll_alerts,
)

CALENDARS = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
AT = pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Shanghai")  # a Tuesday
D = pendulum.date
MOBILE = MobileNumber("13800138000")


def call(
    contact_id: str = "C1",
    at: pendulum.DateTime = AT,
    *,
    outcome: ContactOutcome = ContactOutcome.RESOLVED,
    callback: Callback | None = None,
    keeps: str | None = None,
    party: str | None = "P1",
    direction: Direction = Direction.INBOUND,
    purpose: Purpose = Purpose.FEES,
    staff: str = "S1",
    channel: Channel = Channel.HOTLINE,
) -> Contact:
    return Contact(
        contact_id=contact_id,
        at=at,
        channel=channel,
        direction=direction,
        purpose=purpose,
        outcome=outcome,
        staff=staff,
        party_id=party,
        unit_id="1-2-0301" if party == "P1" else None,
        number=MOBILE,
        duration_seconds=120,
        callback=callback,
        keeps=keeps,
    )


def promise(
    callback_id: str = "CB1", due: object = None, at: pendulum.DateTime = AT, cid: str = "C1"
) -> Contact:
    return call(
        cid,
        at,
        outcome=ContactOutcome.CALLBACK_PROMISED,
        callback=Callback(callback_id, due=due),  # type: ignore[arg-type]
    )


def back(
    contact_id: str, at: pendulum.DateTime, callback_id: str = "CB1", *, answered: bool = True
) -> Contact:
    return call(
        contact_id,
        at,
        outcome=ContactOutcome.RESOLVED if answered else ContactOutcome.NO_ANSWER,
        keeps=callback_id,
        direction=Direction.OUTBOUND,
        purpose=Purpose.CALLBACK,
    )


# -- the contact ----------------------------------------------------------------------------------


def test_a_contact_keeps_its_fields_and_masks_its_number() -> None:
    """A contact holds what the desk logged, and its number prints masked."""
    contact = call()
    assert contact.ended_at == AT.add(seconds=120)
    assert contact.answered
    assert "13800138000" not in repr(contact)
    assert "138****8000" in repr(contact)


def test_a_promised_callback_goes_with_its_outcome() -> None:
    """The outcome 'callback promised' and a Callback come together, or not at all."""
    with pytest.raises(InvalidContact) as caught:
        call(outcome=ContactOutcome.CALLBACK_PROMISED)
    assert caught.value.field == "callback"
    with pytest.raises(InvalidContact):
        call(callback=Callback("CB1"))


def test_a_callback_needs_a_party() -> None:
    """Nobody can be called back who is not identified."""
    with pytest.raises(InvalidContact) as caught:
        call(outcome=ContactOutcome.CALLBACK_PROMISED, callback=Callback("CB1"), party=None)
    assert caught.value.field == "party_id"


def test_a_contact_cannot_keep_its_own_promise() -> None:
    """Promising and keeping the same callback in one contact is a mistake."""
    with pytest.raises(InvalidContact):
        call(outcome=ContactOutcome.CALLBACK_PROMISED, callback=Callback("CB1"), keeps="CB1")


def test_a_duration_is_whole_seconds_within_a_day() -> None:
    """A day-long call is the limit; a negative or longer one is refused."""
    with pytest.raises(InvalidContact):
        attrs.evolve(call(), duration_seconds=-1)
    with pytest.raises(InvalidContact):
        attrs.evolve(call(), duration_seconds=86_401)


# -- the log --------------------------------------------------------------------------------------


def test_the_log_refuses_keeping_a_callback_nobody_promised() -> None:
    """A callback is kept only after a contact of the log promised it."""
    with pytest.raises(UnknownCallback) as caught:
        ContactLog([back("C2", AT, "CB9")])
    assert caught.value.field == "keeps"


def test_the_log_refuses_keeping_a_callback_before_its_promise() -> None:
    """A callback kept earlier than it was promised is a clock error."""
    with pytest.raises(InvalidContact):
        ContactLog([promise(), back("C2", AT.subtract(minutes=1))])


def test_the_log_refuses_an_id_twice() -> None:
    """A contact id, and a callback id, are each logged once."""
    with pytest.raises(DuplicateRecord):
        ContactLog([call("C1"), call("C1")])
    with pytest.raises(DuplicateRecord):
        ContactLog([promise("CB1"), promise("CB1", cid="C2")])


def test_the_party_history_is_in_time_order() -> None:
    """A party's contacts on every channel come back earliest first."""
    later = call("C2", AT.add(days=1), channel=Channel.WECHAT)
    log = ContactLog([later, call("C1"), call("C3", party="P2")])
    assert [c.contact_id for c in log.of_party("P1")] == ["C1", "C2"]


# -- callbacks ------------------------------------------------------------------------------------


def test_a_callback_is_due_the_same_service_day_by_default() -> None:
    """Promised at 09:30 on a Tuesday, a callback is due at 17:30 that day (一般)."""
    state = callback_state(ContactLog([promise()]), "CB1", CALENDARS, as_of=AT)
    assert state.status is CallbackStatus.PENDING
    assert state.deadline == AT.replace(hour=17, minute=30)
    assert state.clocks.priority == CALLBACK_PRIORITY
    assert state.clock.kind is TargetKind.CALLBACK


def test_a_callback_promised_after_the_cutoff_is_due_the_next_service_day() -> None:
    """From 16:00 on, the same-day rule rolls to the next service day's end."""
    late = AT.replace(hour=16, minute=30)
    state = callback_state(ContactLog([promise(at=late)]), "CB1", CALENDARS, as_of=late)
    assert state.deadline == pendulum.datetime(2026, 11, 25, 17, 30, tz="Asia/Shanghai")


def test_an_agreed_time_is_the_deadline_itself() -> None:
    """A callback at a time agreed with the owner is due exactly then, on elapsed time."""
    agreed = AT.add(days=1, hours=5)
    log = ContactLog([promise(due=AgreedTime(agreed))])
    assert callback_state(log, "CB1", CALENDARS, as_of=AT).deadline == agreed


def test_a_within_promise_runs_on_its_calendar() -> None:
    """'Within 2 business hours' at 16:30 ends at 09:30 the next morning."""
    late = AT.replace(hour=16, minute=30)
    log = ContactLog([promise(due=Within(7200, "CN service hours"), at=late)])
    state = callback_state(log, "CB1", CALENDARS, as_of=late)
    assert state.deadline == pendulum.datetime(2026, 11, 25, 9, 30, tz="Asia/Shanghai")


def test_a_callback_kept_on_time_is_kept() -> None:
    """An answered call back before the deadline keeps the callback and stops its clock."""
    log = ContactLog([promise(), back("C2", AT.add(hours=3))])
    state = callback_state(log, "CB1", CALENDARS, as_of=AT.add(days=2))
    assert state.status is CallbackStatus.KEPT
    assert state.kept_by is not None
    assert state.kept_by.contact_id == "C2"
    assert state.clock.met is True


def test_unanswered_attempts_keep_nothing() -> None:
    """Two calls nobody answered are attempts; the callback is missed at its breach."""
    log = ContactLog(
        [
            promise(),
            back("C2", AT.add(hours=1), answered=False),
            back("C3", AT.add(hours=2), answered=False),
        ]
    )
    before = callback_state(log, "CB1", CALENDARS, as_of=AT.add(hours=3))
    assert before.status is CallbackStatus.PENDING
    assert [c.contact_id for c in before.attempts] == ["C2", "C3"]
    after = callback_state(log, "CB1", CALENDARS, as_of=before.breached_at)
    assert after.status is CallbackStatus.MISSED
    assert "2" in after.explain("en_US")


def test_a_callback_kept_late_is_missed() -> None:
    """Calling back the next day does not keep a same-day promise."""
    log = ContactLog([promise(), back("C2", AT.add(days=1))])
    state = callback_state(log, "CB1", CALENDARS, as_of=AT.add(days=2))
    assert state.status is CallbackStatus.MISSED
    assert state.clock.met is False


def test_contacts_after_as_of_are_not_seen() -> None:
    """As of before the call back, the callback is still pending."""
    log = ContactLog([promise(), back("C2", AT.add(hours=3))])
    state = callback_state(log, "CB1", CALENDARS, as_of=AT.add(hours=1))
    assert state.status is CallbackStatus.PENDING
    assert state.kept_by is None


def test_the_same_escalation_serves_a_callback() -> None:
    """next_action_at and poll_alerts warn, breach and escalate a callback like a request."""
    log = ContactLog([promise(due=Within(3600, "24x7"))])
    state = callback_state(log, "CB1", CALENDARS, as_of=AT)
    assert next_action_at(state.clocks) == AT.add(minutes=48)  # 80 % of an hour
    alerts, _sent = poll_alerts([state.clocks], AT.add(hours=1, minutes=1))
    assert [a.crossing for a in alerts] == [Crossing.WARNING, Crossing.BREACHED, Crossing.ESCALATED]
    assert {a.request_id for a in alerts} == {"CB1"}
    assert {a.priority for a in alerts} == {CALLBACK_PRIORITY}


def test_callback_clocks_refuse_a_contact_that_does_not_keep_it() -> None:
    """Stopping a callback's clock needs an answered contact keeping that very callback."""
    with pytest.raises(InvalidContact):
        callback_clocks(promise(), CALENDARS, kept_by=back("C2", AT.add(hours=1), answered=False))
    with pytest.raises(InvalidContact):
        callback_clocks(call(), CALENDARS)


def test_callback_states_come_in_deadline_order_and_filter_by_status() -> None:
    """The open callbacks of a desk, soonest first."""
    log = ContactLog(
        [
            promise("CB1", due=AgreedTime(AT.add(hours=5))),
            promise("CB2", due=AgreedTime(AT.add(hours=2)), cid="C2"),
            back("C3", AT.add(hours=1), "CB1"),
        ]
    )
    states = callback_states(log, CALENDARS, as_of=AT.add(hours=1))
    assert [s.callback.callback_id for s in states] == ["CB2", "CB1"]
    pending = callback_states(
        log, CALENDARS, as_of=AT.add(hours=1), statuses=[CallbackStatus.PENDING]
    )
    assert [s.callback.callback_id for s in pending] == ["CB2"]


def test_a_policy_default_must_not_be_an_agreed_time() -> None:
    """An agreed time belongs to one callback, never to the policy."""
    from propcrm.errors import InvalidPolicy

    with pytest.raises(InvalidPolicy):
        CallbackPolicy(AgreedTime(AT))  # type: ignore[arg-type]


@settings(max_examples=30)
@given(
    minutes=st.integers(min_value=0, max_value=3 * 24 * 60),
    due_minutes=st.integers(min_value=1, max_value=24 * 60),
)
def test_kept_exactly_when_called_back_no_later_than_the_deadline(
    minutes: int, due_minutes: int
) -> None:
    """On elapsed time, a callback is kept if and only if the call back is at or before due."""
    due = AT.add(minutes=due_minutes)
    log = ContactLog([promise(due=AgreedTime(due)), back("C2", AT.add(minutes=minutes))])
    state = callback_state(log, "CB1", CALENDARS, as_of=AT.add(days=4))
    assert (state.status is CallbackStatus.KEPT) == (AT.add(minutes=minutes) <= due)


@settings(max_examples=30)
@given(hours=st.integers(min_value=0, max_value=96))
def test_status_never_goes_back_from_missed(hours: int) -> None:
    """An unkept callback, once missed, stays missed as time passes."""
    log = ContactLog([promise()])
    first = callback_state(log, "CB1", CALENDARS, as_of=AT.add(hours=hours))
    later = callback_state(log, "CB1", CALENDARS, as_of=AT.add(hours=hours + 1))
    if first.status is CallbackStatus.MISSED:
        assert later.status is CallbackStatus.MISSED


# -- the phone book -------------------------------------------------------------------------------


def test_a_number_is_matched_to_its_parties_on_a_day() -> None:
    """A family phone serves two parties; an old entry no longer matches."""
    book = PhoneBook(
        [
            PhoneEntry("E1", MOBILE, party_id="P1", unit_id="1-2-0301", since=D(2026, 1, 1)),
            PhoneEntry("E2", MOBILE, party_id="P2", unit_id="1-2-0301", since=D(2026, 1, 1)),
            PhoneEntry("E3", MOBILE, party_id="P9", since=D(2020, 1, 1), until=D(2025, 12, 31)),
        ]
    )
    match = book.match(MobileNumber("+86 138 0013 8000"), on=D(2026, 11, 24))
    assert match.party_ids == ("P1", "P2")
    assert match.unit_ids == ("1-2-0301",)
    assert match.unique_party is None
    assert book.match(MOBILE, on=D(2024, 1, 1)).unique_party == "P9"
    assert book.match(MobileNumber("13900139000"), on=D(2026, 11, 24)).entries == ()


def test_numbers_of_a_party_a_unit_and_staff() -> None:
    """The book answers by party, by unit and by member of staff."""
    work = MobileNumber("13900139000")
    book = PhoneBook(
        [
            PhoneEntry("E1", MOBILE, party_id="P1", unit_id="1-2-0301"),
            PhoneEntry("E2", work, staff="S1", since=D(2026, 1, 1)),
        ]
    )
    assert book.numbers_of("P1", on=D(2026, 11, 24)) == (MOBILE,)
    assert book.numbers_of_unit("1-2-0301", on=D(2026, 11, 24)) == (MOBILE,)
    assert book.staff_number("S1", on=D(2026, 11, 24)) == work
    assert book.staff_number("S2", on=D(2026, 11, 24)) is None
    assert book.match(work, on=D(2026, 11, 24)).staff == ("S1",)


def test_a_staff_number_is_one_members_at_a_time() -> None:
    """Handing a work phone to S2 while S1 still has it is refused."""
    work = MobileNumber("13900139000")
    with pytest.raises(InvalidPhoneBook):
        PhoneBook(
            [
                PhoneEntry("E1", work, staff="S1", since=D(2026, 1, 1)),
                PhoneEntry("E2", work, staff="S2", since=D(2026, 6, 1)),
            ]
        )
    handed_over = PhoneBook(
        [
            PhoneEntry("E1", work, staff="S1", since=D(2026, 1, 1), until=D(2026, 5, 31)),
            PhoneEntry("E2", work, staff="S2", since=D(2026, 6, 1)),
        ]
    )
    assert handed_over.match(work, on=D(2026, 7, 1)).staff == ("S2",)


def test_an_entry_belongs_to_a_party_or_to_staff() -> None:
    """Neither or both is refused, as is a unit without a party or an end before the start."""
    with pytest.raises(InvalidPhoneBook):
        PhoneEntry("E1", MOBILE)
    with pytest.raises(InvalidPhoneBook):
        PhoneEntry("E1", MOBILE, party_id="P1", staff="S1")
    with pytest.raises(InvalidPhoneBook):
        PhoneEntry("E1", MOBILE, staff="S1", unit_id="1-2-0301")
    with pytest.raises(InvalidPhoneBook):
        PhoneEntry("E1", MOBILE, party_id="P1", since=D(2026, 2, 1), until=D(2026, 1, 1))


# -- statistics -----------------------------------------------------------------------------------


def test_statistics_count_a_month_of_the_desk() -> None:
    """November: counts per channel, staff, purpose and outcome, callbacks kept and missed."""
    log = ContactLog(
        [
            promise("CB1"),
            back("C2", AT.add(hours=2), "CB1"),  # kept
            promise("CB2", cid="C3", at=AT.add(days=1)),  # never kept: missed
            call("C4", AT.add(days=2), channel=Channel.WECHAT, staff="S2"),
            call("C5", pendulum.datetime(2026, 12, 1, 9, 0, tz="Asia/Shanghai")),  # December
        ]
    )
    stats = contact_statistics(log, D(2026, 11, 1), D(2026, 11, 30), calendars=CALENDARS)
    assert stats.total == 4
    assert stats.by_channel == {"hotline": 3, "wechat": 1}
    assert stats.by_staff == {"S1": 3, "S2": 1}
    assert stats.by_purpose == {"callback": 1, "fees": 3}
    assert stats.by_outcome == {"callback_promised": 2, "resolved": 2}
    assert (stats.callbacks_promised, stats.callbacks_kept, stats.callbacks_missed) == (2, 1, 1)
    assert stats.callbacks_pending == 0


def test_first_contact_resolution_counts_repeats_against_it() -> None:
    """A resolved call followed by the same party about the same thing is not resolved."""
    log = ContactLog(
        [
            call("C1"),
            call("C2", AT.add(days=3), outcome=ContactOutcome.REQUEST_OPENED),
            call("C3", AT.add(days=20)),  # outside the 7-day window: a new first contact
            call("C4", party="P2", purpose=Purpose.REPAIR),
        ]
    )
    stats = contact_statistics(log, D(2026, 11, 1), D(2026, 12, 31), calendars=CALENDARS)
    assert (stats.first_contacts, stats.resolved_first, stats.repeats) == (3, 2, ("C2",))
    assert stats.first_contact_resolution == Fraction(2, 3)
    wide = contact_statistics(
        log,
        D(2026, 11, 1),
        D(2026, 12, 31),
        calendars=CALENDARS,
        policy=ContactStatisticsPolicy(repeat_window_days=30),
    )
    assert wide.repeats == ("C2", "C3")


def test_no_first_contacts_means_no_rate() -> None:
    """An empty month has no first-contact resolution, not zero."""
    stats = contact_statistics(ContactLog(), D(2026, 11, 1), D(2026, 11, 30), calendars=CALENDARS)
    assert stats.first_contact_resolution is None
    assert stats.total == 0


def test_a_period_ending_before_it_starts_is_refused() -> None:
    """The end date comes on or after the start."""
    with pytest.raises(InvalidContact):
        contact_statistics(ContactLog(), D(2026, 11, 30), D(2026, 11, 1), calendars=CALENDARS)


@settings(max_examples=25)
@given(
    days=st.lists(st.integers(min_value=0, max_value=40), min_size=0, max_size=12),
)
def test_counts_add_up_and_the_rate_lies_between_zero_and_one(days: list[int]) -> None:
    """Every per-dimension count sums to the total; resolved first contacts never exceed firsts."""
    contacts = [
        call(f"C{i}", AT.add(days=d), party=f"P{i % 3}", staff=f"S{i % 2}")
        for i, d in enumerate(days)
    ]
    stats = contact_statistics(
        ContactLog(contacts), D(2026, 11, 1), D(2026, 12, 31), calendars=CALENDARS
    )
    for counts in (stats.by_channel, stats.by_staff, stats.by_purpose, stats.by_outcome):
        assert sum(counts.values()) == stats.total
    assert 0 <= stats.resolved_first <= stats.first_contacts <= stats.total
    assert stats.first_contacts + len(stats.repeats) == stats.total
