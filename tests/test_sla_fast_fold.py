"""The fast paths of reading a replayed request's clocks equal the step-by-step reference.

A replayed request folds its clocks in one :class:`~propcrm.sla.RequestClocksDraft`, whose
clocks take starts, pauses, resumes and stops in place (POSIX seconds read once per event, the
working time of a stretch read straight from the calendar's index), whose same-day targets ask
a per-day cache, and whose steps skip the event mapping when their action sends nothing. The
live request applied every step to frozen :class:`~propcrm.sla.RequestClocks` through the fold
of :class:`~propcrm.sla.SlaClock`: the reference. These properties hold them equal, value for value.
"""

from __future__ import annotations

import datetime
from typing import Any

import attrs
import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from propcrm._trusted import rebuilt_validated
from propcrm.complaints import Action, Request
from propcrm.complaints import _clocks as clocks_module
from propcrm.complaints._clocks import clock_events, open_clocks
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    HOTLINE_CALENDAR,
    SERVICE_CALENDAR,
    BusinessCalendar,
    RequestClocks,
    RequestClocksDraft,
    SlaClock,
    SlaPolicy,
    Target,
    TargetKind,
    UnconfirmedPolicy,
    Within,
)
from propcrm.sla._clock import _CLOCK_FIELDS, ClockDraft
from propcrm.sla._request_clocks import _REQUEST_FIELDS
from propcrm.sla._targets import service_day_due
from propcrm.testing.strategies import lifecycle_policies, requests, sla_instants

SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_identical(fast: RequestClocks, reference: RequestClocks) -> None:
    assert fast == reference
    assert fast.events == reference.events
    for mine, theirs in zip(fast.clocks, reference.clocks, strict=True):
        assert type(mine) is SlaClock
        for name in _CLOCK_FIELDS:
            assert getattr(mine, name) == getattr(theirs, name), name
        assert mine.rebuilt() == mine
        assert rebuilt_validated(mine) == mine
        for event in mine.events:
            rebuilt = rebuilt_validated(event)
            assert rebuilt == event
            assert type(rebuilt.at) is type(event.at)
    for event in fast.events:
        assert rebuilt_validated(event) == event


@SLOW
@given(
    requests(
        policy=lifecycle_policies(),
        max_steps=20,
        max_gap_seconds=3 * 86_400,
        starts=sla_instants(tz="UTC") | sla_instants(),
    )
)
def test_replayed_clocks_equal_the_step_by_step_fold(request: Request) -> None:
    # Long gaps cross nights, weekends and holidays on the service calendar; receipts in UTC
    # make the same-day rule convert them to the calendar's zone.
    replayed = Request.replay(request.history, request.policy)
    assert_identical(replayed.clocks, request.clocks)


def _every_target(sla: SlaPolicy) -> SlaPolicy:
    """``sla`` with a resolution, a callback and an update target at every level."""
    for priority in sla.priorities:
        for target in (
            Target(TargetKind.RESOLUTION, Within(4 * 3600, SERVICE_CALENDAR)),
            Target(
                TargetKind.CALLBACK, Within(86_400, HOTLINE_CALENDAR), starts_with_request=False
            ),
            Target(TargetKind.UPDATE, Within(86_400, HOTLINE_CALENDAR)),
        ):
            sla = sla.with_target(priority, target)
    return sla


EVERY_TARGET = _every_target(DEFAULT_SLA_POLICY)


@SLOW
@given(requests(policy=lifecycle_policies(sla=EVERY_TARGET), max_steps=20))
def test_steps_that_send_nothing_skip_the_mapping(request: Request) -> None:
    # clock_events answers at once for actions outside _SENDING; the full match must agree.
    policy = request.policy
    receipt = request.history[0]
    priority = receipt.data.priority
    assert priority is not None
    clocks = open_clocks(
        request.request_id, priority, receipt, policy.sla, policy.calendars, draft=True
    )
    for step in request.history[1:]:
        quick = clock_events(clocks, step, policy.reopened_targets)
        saved = clocks_module._SENDING
        try:
            clocks_module._SENDING = frozenset(Action)
            full = clock_events(clocks, step, policy.reopened_targets)
        finally:
            clocks_module._SENDING = saved
        assert quick == full
        for event in quick:
            clocks.apply(event)


def test_the_drafts_copy_lists_are_the_classes_fields() -> None:
    # The drafts copy a frozen value's fields in one statement each: those lists must be the
    # classes' fields, in order.
    assert tuple(f.name for f in attrs.fields(SlaClock)) == _CLOCK_FIELDS
    assert tuple(f.name for f in attrs.fields(RequestClocks)) == _REQUEST_FIELDS


@SLOW
@given(requests(policy=lifecycle_policies(), max_steps=16))
def test_a_draft_copies_and_freezes_every_field(request: Request) -> None:
    clocks = request.clocks
    for clock in clocks.clocks:
        draft = ClockDraft(clock)
        assert all(getattr(draft, n) is getattr(clock, n) for n in _CLOCK_FIELDS)
        assert draft.kind is clock.kind
        assert draft.frozen() == clock
    assert RequestClocksDraft(clocks).frozen() == clocks


# -- the same-day rule's cache ----------------------------------------------------------------


@attrs.frozen
class _Uncached:
    """A calendar that is not a BusinessCalendar: the same-day rule asks it afresh each time."""

    inner: BusinessCalendar

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def zone(self) -> str:
        return self.inner.zone

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.inner, attribute)

    def windows_on(self, day: datetime.date) -> Any:
        return self.inner.windows_on(day)


_CN = BusinessCalendar.china_service_hours(unconfirmed=UnconfirmedPolicy.PROVISIONAL)


@settings(max_examples=200, deadline=None)
@given(
    at=sla_instants() | sla_instants(tz="UTC") | sla_instants(tz="America/New_York"),
    cutoff=st.sampled_from(
        [datetime.time(16, 0), datetime.time(12, 0), datetime.time(9, 15), datetime.time(23, 0)]
    ),
)
def test_the_same_day_rule_answers_as_without_its_cache(
    at: pendulum.DateTime, cutoff: datetime.time
) -> None:
    cached = service_day_due(_CN, at, cutoff)
    again = service_day_due(_CN, at, cutoff)
    fresh = service_day_due(_Uncached(_CN), at, cutoff)
    assert cached == again == fresh
    for name in ("service_day", "due_day"):
        assert type(getattr(cached, name)) is type(getattr(fresh, name))


# -- a short span skips the horizon's look-ups --------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(start=sla_instants(), seconds=st.integers(0, 48 * 366 * 86_400))
def test_between_counts_a_span_as_with_the_horizon_check(
    start: pendulum.DateTime, seconds: int
) -> None:
    always = BusinessCalendar.always()
    end = start.add(seconds=seconds)
    assert always.between(start, end) == seconds
    assert always.between(end, start) == -seconds


def test_the_longest_unchecked_span_is_within_the_horizon() -> None:
    # From the last second of a year, the short span reaches at most 48 years later.
    always = BusinessCalendar.always(zone="UTC")
    start = pendulum.datetime(2026, 12, 31, 23, 59, 59)
    end = start.add(seconds=(BusinessCalendar.HORIZON_YEARS - 2) * 365 * 86_400)
    assert end.year - start.year <= BusinessCalendar.HORIZON_YEARS
    assert always.between(start, end) == int((end - start).total_seconds())
