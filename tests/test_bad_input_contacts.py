"""Bad input to every public entry point of propcrm.contacts is refused with a library error.

Issue 18's rule for issue 16's contact log: each argument of each entry point in
``propcrm.contacts.__all__`` is fed the malformed values of its kind (:mod:`tests.bad_input`);
:func:`assert_refused` checks that only a :class:`~propcrm.errors.PropcrmError` carrying its
context comes out. Where a shared strategy's value is valid for an argument (``None`` for an
optional one), the case leaves it out and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from tests.bad_input import (
    assert_refused,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_instants,
    wrong_types,
)

from propcrm.contacts import (
    Callback,
    CallbackPolicy,
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
from propcrm.personal_data import MobileNumber
from propcrm.sla import BusinessCalendar, CalendarSet

FEW = settings(max_examples=8, deadline=None)
AT = pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Shanghai")
DAY = pendulum.date(2026, 11, 24)
CALENDARS = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
MOBILE = MobileNumber("13800138000")
PROMISE = Contact(
    contact_id="C1",
    at=AT,
    channel=Channel.HOTLINE,
    direction=Direction.INBOUND,
    purpose=Purpose.FEES,
    outcome=ContactOutcome.CALLBACK_PROMISED,
    staff="S1",
    party_id="P1",
    callback=Callback("CB1"),
)
LOG = ContactLog([PROMISE])
BOOK = PhoneBook([PhoneEntry("E1", MOBILE, party_id="P1")])


def contact(**changes: Any) -> Contact:
    values: dict[str, Any] = {
        "contact_id": "C2",
        "at": AT,
        "channel": Channel.HOTLINE,
        "direction": Direction.INBOUND,
        "purpose": Purpose.FEES,
        "outcome": ContactOutcome.RESOLVED,
        "staff": "S1",
    }
    values.update(changes)
    return Contact(**values)


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: contact(contact_id=bad),
        lambda bad: contact(staff=bad),
        lambda bad: contact(party_id=bad) if bad is not None else contact(party_id=""),
        lambda bad: contact(unit_id=bad) if bad is not None else contact(unit_id=" "),
        lambda bad: contact(request_id=bad) if bad is not None else contact(request_id=""),
        lambda bad: contact(keeps=bad) if bad is not None else contact(keeps="a b"),
        Callback,
        lambda bad: Callback("CB1", staff=bad) if bad is not None else Callback("CB1", staff=""),
        lambda bad: PhoneEntry(bad, MOBILE, party_id="P1"),
        lambda bad: PhoneEntry("E1", MOBILE, party_id=bad if bad is not None else ""),
        lambda bad: PhoneEntry("E1", MOBILE, staff=bad if bad is not None else ""),
        LOG.promise,
        LOG.keeping,
        LOG.of_party,
        lambda bad: callback_state(LOG, bad, CALENDARS, as_of=AT),
        lambda bad: BOOK.numbers_of(bad, on=DAY),
        lambda bad: BOOK.numbers_of_unit(bad, on=DAY),
        lambda bad: BOOK.staff_number(bad, on=DAY),
    ],
)
@FEW
@given(bad=bad_ids)
def test_ids_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: contact(at=bad),
        lambda bad: callback_state(LOG, "CB1", CALENDARS, as_of=bad),
        lambda bad: callback_states(LOG, CALENDARS, as_of=bad),
    ],
)
@FEW
@given(bad=bad_instants)
def test_instants_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: PhoneEntry("E1", MOBILE, party_id="P1", since=bad),
        # None is a valid until (still in use)
        lambda bad: PhoneEntry("E1", MOBILE, party_id="P1", until=bad if bad is not None else 1),
        lambda bad: BOOK.match(MOBILE, on=bad),
        lambda bad: BOOK.numbers_of("P1", on=bad),
        lambda bad: contact_statistics(LOG, bad, DAY, calendars=CALENDARS),
        lambda bad: contact_statistics(LOG, DAY, bad, calendars=CALENDARS),
    ],
)
@FEW
@given(bad=bad_dates)
def test_dates_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: contact(duration_seconds=bad),
        lambda bad: ContactStatisticsPolicy(repeat_window_days=bad),
    ],
)
@FEW
@given(bad=bad_counts)
def test_counts_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: contact(channel=bad),
        lambda bad: contact(direction=bad),
        lambda bad: contact(purpose=bad),
        lambda bad: contact(outcome=bad),
        lambda bad: contact(number=bad) if bad is not None else contact(number="13800138000"),
        lambda bad: contact(callback=bad) if bad is not None else contact(callback="CB1"),
        lambda bad: contact(summary=bad),
        lambda bad: Callback("CB1", due=bad) if bad is not None else Callback("CB1", due=600),
        lambda bad: Callback("CB1", note=bad),
        CallbackPolicy,
        lambda bad: ContactStatisticsPolicy(zone=bad),
        lambda bad: ContactLog(bad) if bad not in ((), []) else ContactLog("C1"),
        lambda bad: ContactLog([bad]),
        LOG.add,
        lambda bad: PhoneEntry("E1", bad, party_id="P1"),
        lambda bad: PhoneEntry("E1", MOBILE, party_id="P1", label=bad),
        lambda bad: PhoneBook(bad) if bad not in ((), []) else PhoneBook("E1"),
        BOOK.add,
        lambda bad: BOOK.match(bad, on=DAY),
        lambda bad: callback_clocks(bad, CALENDARS),
        lambda bad: callback_clocks(PROMISE, bad),
        lambda bad: callback_clocks(PROMISE, CALENDARS, bad),
        lambda bad: (
            callback_clocks(PROMISE, CALENDARS, kept_by=bad)
            if bad is not None
            else callback_clocks(PROMISE, CALENDARS, kept_by="C2")
        ),
        lambda bad: callback_state(bad, "CB1", CALENDARS, as_of=AT),
        lambda bad: callback_state(LOG, "CB1", bad, as_of=AT),
        lambda bad: callback_state(LOG, "CB1", CALENDARS, as_of=AT, policy=bad),
        lambda bad: callback_states(bad, CALENDARS, as_of=AT),
        lambda bad: callback_states(LOG, CALENDARS, as_of=AT, policy=bad),
        lambda bad: (
            callback_states(LOG, CALENDARS, as_of=AT, statuses=bad)
            if bad not in (None, (), [])
            else callback_states(LOG, CALENDARS, as_of=AT, statuses=["kept"])
        ),
        lambda bad: contact_statistics(bad, DAY, DAY, calendars=CALENDARS),
        lambda bad: contact_statistics(LOG, DAY, DAY, calendars=bad),
        lambda bad: contact_statistics(LOG, DAY, DAY, calendars=CALENDARS, policy=bad),
        lambda bad: contact_statistics(LOG, DAY, DAY, calendars=CALENDARS, callbacks=bad),
    ],
)
@FEW
@given(bad=wrong_types)
def test_wrong_types_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


def test_a_promise_before_as_of_is_refused() -> None:
    """Asking where a callback stands before it was promised is refused with context."""
    assert_refused(lambda: callback_state(LOG, "CB1", CALENDARS, as_of=AT.subtract(seconds=1)))
    assert_refused(lambda: attrs.evolve(PROMISE, party_id=None))
