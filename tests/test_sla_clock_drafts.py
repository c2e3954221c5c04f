"""A request's clocks folded in place (RequestClocksDraft) equal the step-by-step fold.

The draft runs :class:`~propcrm.sla.RequestClocks`' own fold code over mutable clocks and is
frozen once; these properties check that the values are identical, event by event, for
generated event sequences and for generated request histories (whose replayed clocks are
folded by a draft while the live request's were applied one step at a time), that a refused
event raises the same error and leaves the draft as it was.
"""

from __future__ import annotations

import enum
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings

from propcrm._trusted import rebuilt_validated
from propcrm.complaints import Action, Field, Guard, Request, RequestKind, Role, State
from propcrm.errors import InvalidTransition, InvalidType, PropcrmError
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    HOTLINE_CALENDAR,
    SERVICE_CALENDAR,
    BusinessCalendar,
    CalendarSet,
    Paused,
    RequestClocks,
    RequestClocksDraft,
    Resumed,
    Started,
    Stopped,
    Target,
    TargetKind,
    Within,
)
from propcrm.testing.strategies import requests, sla_request_event_sequences

TZ = "Asia/Shanghai"
CALENDARS = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
# Three targets, two calendars, one that does not start with the request (as the benchmark's).
POLICY = DEFAULT_SLA_POLICY.with_target(
    "P2", Target(TargetKind.RESOLUTION, Within(27_000, SERVICE_CALENDAR))
).with_target(
    "P2",
    Target(TargetKind.CALLBACK, Within(2 * 86_400, HOTLINE_CALENDAR), starts_with_request=False),
)
RESPONSE, RESOLUTION, CALLBACK = TargetKind.RESPONSE, TargetKind.RESOLUTION, TargetKind.CALLBACK


def at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 3, day, hour, minute, tz=TZ)


def outcome(clocks: RequestClocks | RequestClocksDraft, event: Any) -> tuple[Any, Any]:
    """``clocks`` after ``event`` (frozen), or the error it raised as (type, message, context)."""
    try:
        after = clocks.apply(event)
    except PropcrmError as error:
        return None, (type(error), str(error), error.context)
    return (after.frozen() if isinstance(after, RequestClocksDraft) else after), None


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(sla_request_event_sequences(max_events=12))
def test_a_draft_folds_every_event_to_the_value_apply_gives(events: tuple[Any, ...]) -> None:
    step_by_step = RequestClocks.open("R-1", "P3", DEFAULT_SLA_POLICY, CALENDARS)
    draft = RequestClocksDraft(step_by_step)
    for event in events:
        step_by_step = step_by_step.apply(event)
        draft.apply(event)
        assert draft.frozen() == step_by_step
    assert RequestClocks.replay("R-1", "P3", DEFAULT_SLA_POLICY, CALENDARS, events) == (
        draft.frozen()
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests(max_steps=14))
def test_a_replayed_requests_clocks_equal_the_live_ones(request: Request) -> None:
    # The live request moved its clocks at every step (RequestClocks.apply); the replay builds
    # them lazily from the history in one draft.
    replayed = Request.replay(request.history, request.policy)
    assert replayed.clocks == request.clocks
    assert rebuilt_validated(replayed.clocks) == replayed.clocks
    for clock in replayed.clocks.clocks:
        assert clock.rebuilt() == clock
        assert rebuilt_validated(clock) == clock
    # The events the steps sent, and their copies addressed to each clock, are built through
    # propcrm._trusted: each must equal the event its validated constructor builds.
    events = [*replayed.clocks.events, *(e for c in replayed.clocks.clocks for e in c.events)]
    for event in events:
        rebuilt = rebuilt_validated(event)
        assert rebuilt == event
        assert type(rebuilt.at) is type(event.at)


def test_a_refused_event_raises_the_same_error_and_leaves_the_draft_as_it_was() -> None:
    opened = RequestClocks.open("R-2", "P2", POLICY, CALENDARS).apply(Started(at(2, 9), "客服"))
    assert opened.clock(CALLBACK).state.value == "not_started"
    # The response clock can stop, the callback clock cannot: refused after the first took it.
    both = Stopped(at(2, 9, 5), "维修工", targets={RESPONSE, CALLBACK})
    draft = RequestClocksDraft(opened)
    expected = outcome(opened, both)
    assert expected[0] is None
    assert outcome(draft, both) == expected
    assert draft.frozen() == opened
    # And it goes on as if the refused event had never come.
    later = Stopped(at(2, 9, 8), "维修工", targets={RESPONSE})
    assert draft.apply(later).frozen() == opened.apply(later)


def test_a_refused_event_after_accepted_ones_keeps_them() -> None:
    opened = RequestClocks.open("R-3", "P2", POLICY, CALENDARS)
    draft = RequestClocksDraft(opened)
    accepted = [
        Started(at(2, 9), "客服"),
        Paused(at(2, 10), "维修工", "waiting_for_parts"),
        Resumed(at(3, 9), "维修工"),
    ]
    step_by_step = opened
    for event in accepted:
        draft.apply(event)
        step_by_step = step_by_step.apply(event)
    refused = Stopped(at(3, 10), "维修工", targets={RESOLUTION, CALLBACK})
    with pytest.raises(InvalidTransition) as raised:
        draft.apply(refused)
    with pytest.raises(InvalidTransition) as expected:
        step_by_step.apply(refused)
    assert str(raised.value) == str(expected.value)
    assert draft.frozen() == step_by_step
    assert draft.events == step_by_step.events


def test_a_draft_takes_request_clocks_only() -> None:
    with pytest.raises(InvalidType) as raised:
        RequestClocksDraft("R-1")  # type: ignore[arg-type]
    assert (raised.value.field, raised.value.value) == ("clocks", "R-1")


# -- propcrm._trusted.slot_constructor with post_init, as the SLA events use it ----------------


def test_slot_constructor_runs_post_init_only_when_asked_and_reaches_inherited_slots() -> None:
    import attrs

    from propcrm._trusted import slot_constructor

    @attrs.frozen
    class Base:
        at: int

    @attrs.frozen
    class Checked(Base):
        reason: str

        def __attrs_post_init__(self) -> None:
            if not self.reason:
                raise ValueError("needs a reason")

    make = slot_constructor(Checked, post_init=True)
    assert make(1, "why") == Checked(1, "why")  # ``at`` has its slot on Base
    with pytest.raises(ValueError, match="needs a reason"):
        make(1, "")
    with pytest.raises(TypeError, match="post_init=True exactly when"):
        slot_constructor(Checked)
    with pytest.raises(TypeError, match="post_init=True exactly when"):
        slot_constructor(Base, post_init=True)


@pytest.mark.parametrize("vocabulary", [Action, State, RequestKind, TargetKind, Role, Guard, Field])
def test_lookup_enums_hash_by_identity_and_stay_keys(vocabulary: type[enum.Enum]) -> None:
    # Replays look rows and clocks up by these members at every step: their hash is the C
    # identity hash, which agrees with their (identity) equality.
    for member in vocabulary:
        assert hash(member) == object.__hash__(member)
        assert {member: 1}[vocabulary(member.value)] == 1
        assert member in frozenset(vocabulary)


def test_requests_opened_at_a_level_share_its_new_clocks_per_calendar_set() -> None:
    first = RequestClocks.open("R-1", "P2", POLICY, CALENDARS)
    second = RequestClocks.open("R-2", "P2", POLICY, CALENDARS)
    assert first.clocks is second.clocks  # built once: frozen values, equal for every request
    other = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
    third = RequestClocks.open("R-3", "P2", POLICY, other)
    assert third.clocks == first.clocks
    assert all(c.calendars is other for c in third.clocks)
