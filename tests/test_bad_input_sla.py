"""Bad input to every public entry point of propcrm.sla is refused with a library error (issue 18).

Each case feeds one argument of one entry point the malformed values its kind allows (see
tests/bad_input.py), the other arguments valid, and asserts through ``assert_refused`` that only
a :class:`~propcrm.errors.PropcrmError` carrying its context comes out.
"""

# Each table below maps a name to a one-argument call, lambdas throughout for a uniform table.
# ruff: noqa: PLW0108

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
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
    bad_locales,
    bad_text,
    wrong_types,
)

from propcrm.errors import InvalidDuration, NoWorkingTime, UnsupportedLocale
from propcrm.sla import (
    DEFAULT_ESCALATION,
    DEFAULT_OUTAGE_NOTICE,
    DEFAULT_SLA_POLICY,
    AgreedTime,
    AlertLedger,
    BusinessCalendar,
    CalendarSet,
    Cancelled,
    ChinaHolidays,
    ClockShape,
    ClockState,
    Closed,
    EscalationChannel,
    EscalationLevel,
    EscalationPolicy,
    Holiday,
    HolidayList,
    HolidayYear,
    MakeUpDay,
    Open,
    OutageNoticePolicy,
    Paused,
    PlannedOutage,
    PriorityChanged,
    Reopened,
    ReportDimension,
    RequestClocks,
    RequestClocksDraft,
    RequestClocksFold,
    Reset,
    Resumed,
    SameServiceDay,
    ServiceLevel,
    SlaClock,
    SlaPolicy,
    SlaRecord,
    Started,
    Stopped,
    Target,
    TargetChanged,
    TargetKind,
    Utility,
    WeeklyHours,
    Window,
    Within,
    attainment,
    next_action_at,
    poll_alerts,
    records_of,
)

SH = "Asia/Shanghai"
T = pendulum.datetime(2026, 3, 2, 9, 0, tz=SH)
DAY = pendulum.date(2026, 3, 2)
HOURS = WeeklyHours.weekdays(Window("09:00", "17:00"))
CALENDAR = BusinessCalendar("desk", HOURS)
ALWAYS = BusinessCalendar.always()
CALENDARS = CalendarSet([ALWAYS, BusinessCalendar.china_service_hours()])
RESPONSE = Target(TargetKind.RESPONSE, Within(600, "24x7"))
LEVEL = ServiceLevel("P1", [RESPONSE])
REQUEST = RequestClocks.open("R-1", "P1", DEFAULT_SLA_POLICY, CALENDARS).apply(Started(T, "小王"))
CLOCK = SlaClock.new(RESPONSE, CALENDARS)
RECORD = SlaRecord(
    "R-1", TargetKind.RESPONSE, "P1", used_seconds=60, budget_seconds=600, started_at=T
)
OUTAGE = {
    "starts_at": T.add(days=2),
    "ends_at": T.add(days=2, hours=4),
    "announced_at": T,
    "reason": "检修",
}

Call = Callable[[Any], object]
VERBS = (Started, Paused, Resumed, Stopped, Reset, Cancelled, Reopened)


def _not_bool(bad: object) -> object:
    """``bad``, or 7 where it is a bool (a valid value of a bool field)."""
    return 7 if isinstance(bad, bool) else bad


OPEN = [ClockState.RUNNING, ClockState.PAUSED]


def _fold() -> RequestClocksFold:
    """A request's clocks folded in one pass, its response target running since ``T``."""
    fold = RequestClocksFold("R-1", "P1", DEFAULT_SLA_POLICY, CALENDARS)
    fold.start(T, "小王", "受理")
    return fold


def _event(kind: type, field: str) -> Call:
    """A call making a ``kind`` event with ``field`` bad and every other field valid."""

    def make(bad: object) -> object:
        fields: dict[str, object] = {"at": T, "actor": "小王", "reason": "等配件"}
        if field == "targets":
            return kind(**fields, targets=bad or 7)  # None means every target: valid
        return kind(**{**fields, field: bad})

    return make


# Where an aware instant is wanted.
INSTANTS: dict[str, Call] = {
    "add start": lambda bad: CALENDAR.add(bad, 60),
    "between start": lambda bad: CALENDAR.between(bad, T),
    "between end": lambda bad: CALENDAR.between(T, bad),
    "next_working_instant": lambda bad: CALENDAR.next_working_instant(bad),
    "explain start": lambda bad: CALENDAR.explain(bad, T),
    "explain end": lambda bad: CALENDAR.explain(T, bad),
    "explain_add start": lambda bad: CALENDAR.explain_add(bad, 60),
    "AgreedTime due": lambda bad: AgreedTime(bad),
    "RequestClocksFold.start at": lambda bad: RequestClocksFold(
        "R-1", "P1", DEFAULT_SLA_POLICY, CALENDARS
    ).start(bad, "小王", "受理"),
    "RequestClocksFold.send at": lambda bad: _fold().send(Stopped, bad, "小王", "到场", OPEN),
    "RequestClocksFold.send at, nothing picked": lambda bad: _fold().send(
        Resumed, bad, "小王", "恢复", [ClockState.PAUSED]
    ),
    "PlannedOutage starts_at": lambda bad: PlannedOutage(
        Utility.WATER, "1号楼", **{**OUTAGE, "starts_at": bad}
    ),
    "PlannedOutage ends_at": lambda bad: PlannedOutage(
        Utility.WATER, "1号楼", **{**OUTAGE, "ends_at": bad}
    ),
    "PlannedOutage announced_at": lambda bad: PlannedOutage(
        Utility.WATER, "1号楼", **{**OUTAGE, "announced_at": bad}
    ),
    "SlaRecord started_at": lambda bad: SlaRecord(
        "R-1", TargetKind.RESPONSE, "P1", used_seconds=1, budget_seconds=2, started_at=bad
    ),
    "SlaRecord stopped_at": lambda bad: SlaRecord(
        "R-1",
        TargetKind.RESPONSE,
        "P1",
        used_seconds=1,
        budget_seconds=2,
        started_at=T,
        stopped_at=bad or "x",
    ),
    "SlaRecord deadline": lambda bad: SlaRecord(
        "R-1",
        TargetKind.RESPONSE,
        "P1",
        used_seconds=1,
        budget_seconds=2,
        started_at=T,
        deadline=bad or "x",
    ),
    "SlaClock consumed_at": lambda bad: CLOCK.consumed_at(bad),
    "SlaClock remaining": lambda bad: CLOCK.remaining(bad),
    "SlaClock failed_by": lambda bad: CLOCK.failed_by(bad or "x"),
    "poll_alerts now": lambda bad: poll_alerts([REQUEST], bad),
    "records_of as_of": lambda bad: records_of(REQUEST, as_of=bad),
    **{f"{kind.__name__} at": _event(kind, "at") for kind in VERBS},
    "PriorityChanged at": lambda bad: PriorityChanged(bad, "小王", "升级", priority="P2"),
    "TargetChanged at": lambda bad: TargetChanged(bad, "小王", "约定", target=RESPONSE),
}

# Where whole seconds of business time are wanted.
DURATIONS: dict[str, Call] = {
    "add seconds": lambda bad: CALENDAR.add(T, bad),
    "explain_add seconds": lambda bad: CALENDAR.explain_add(T, bad),
    "add_many seconds": lambda bad: CALENDAR.add_many([int(T.timestamp())], bad),
    "add_many one of seconds": lambda bad: CALENDAR.add_many([int(T.timestamp())], [bad]),
    "Within seconds": lambda bad: Within(bad),
    # A negative offset is valid (before the breach): for it, -1 becomes one beyond a year before.
    "EscalationLevel offset_seconds": lambda bad: EscalationLevel(
        1, "主管", -(366 * 86_400) - 1 if bad == -1 else bad
    ),
    "OutageNoticePolicy min_notice_seconds": lambda bad: OutageNoticePolicy(bad),
    "BusinessCalendar max_idle_years": lambda bad: BusinessCalendar("x", HOURS, max_idle_years=bad),
    "SlaRecord used_seconds": lambda bad: SlaRecord(
        "R-1", TargetKind.RESPONSE, "P1", used_seconds=bad, budget_seconds=2, started_at=T
    ),
    "SlaRecord budget_seconds": lambda bad: SlaRecord(
        "R-1", TargetKind.RESPONSE, "P1", used_seconds=1, budget_seconds=bad, started_at=T
    ),
    "attainment places": lambda bad: attainment([RECORD], places=bad),
    "WeeklyHours.on": lambda bad: HOURS.on(bad),
    "HolidayYear year": lambda bad: HolidayYear(bad),
    "ChinaHolidays.year": lambda bad: ChinaHolidays().year(bad),
    "HolidayList.year": lambda bad: HolidayList().year(bad),
    "ChinaHolidays.confirm year": lambda bad: ChinaHolidays().confirm(bad, "通知"),
}

# Where a count is wanted (no ceiling beyond what the type allows).
COUNTS: dict[str, Call] = {
    "SlaRecord reopens": lambda bad: SlaRecord(
        "R-1",
        TargetKind.RESPONSE,
        "P1",
        used_seconds=1,
        budget_seconds=2,
        started_at=T,
        reopens=bad,
    ),
    "SlaRecord cycle": lambda bad: SlaRecord(
        "R-1", TargetKind.RESPONSE, "P1", used_seconds=1, budget_seconds=2, started_at=T, cycle=bad
    ),
    "EscalationPolicy warning_seconds": lambda bad: DEFAULT_ESCALATION.warning_seconds(bad),
    "SlaClock when_consumed": lambda bad: CLOCK.when_consumed(bad),
    "EscalationLevel level": lambda bad: EscalationLevel(bad, "主管", 0),
}

# Where a calendar date is wanted.
DATES: dict[str, Call] = {
    "windows_on": lambda bad: CALENDAR.windows_on(bad),
    "is_working_day": lambda bad: CALENDAR.is_working_day(bad),
    "Closed day": lambda bad: Closed(bad, "台风"),
    "Open day": lambda bad: Open(bad, [Window("09:00", "12:00")], "调休"),
    "Holiday day": lambda bad: Holiday(bad, "国庆节"),
    "MakeUpDay day": lambda bad: MakeUpDay(bad),
    "HolidayYear.holiday_name": lambda bad: HolidayYear(2026).holiday_name(bad),
    "with_notice holidays": lambda bad: ChinaHolidays().with_notice(
        2031, holidays={bad: "元旦"}, make_up_days=[], source="通知"
    ),
    "with_notice make_up_days": lambda bad: ChinaHolidays().with_notice(
        2031, holidays={}, make_up_days=[bad], source="通知"
    ),
}

# Where a name, a reason, an id or other text for people is wanted.
TEXTS: dict[str, Call] = {
    "RequestClocksFold request_id": lambda bad: RequestClocksFold(bad, "P1", calendars=CALENDARS),
    "RequestClocksFold.start actor": lambda bad: RequestClocksFold(
        "R-1", "P1", DEFAULT_SLA_POLICY, CALENDARS
    ).start(T, bad, "受理"),
    "RequestClocksFold.send actor": lambda bad: _fold().send(Stopped, T, bad, "到场", OPEN),
    "BusinessCalendar name": lambda bad: BusinessCalendar(bad, HOURS),
    "always name": lambda bad: BusinessCalendar.always(bad),
    "china_service_hours name": lambda bad: BusinessCalendar.china_service_hours(bad),
    "Closed reason": lambda bad: Closed(DAY, bad),
    "Open reason": lambda bad: Open(DAY, [Window("09:00", "12:00")], bad),
    "Holiday name": lambda bad: Holiday(DAY, bad),
    "MakeUpDay name": lambda bad: MakeUpDay(DAY, bad),
    "HolidayYear source": lambda bad: HolidayYear(2026, source=bad or 7),
    "HolidayList name": lambda bad: HolidayList(name=bad),
    "ChinaHolidays name": lambda bad: ChinaHolidays(name=bad),
    "ChinaHolidays.confirm source": lambda bad: ChinaHolidays().confirm(2031, bad),
    "with_notice source": lambda bad: ChinaHolidays().with_notice(
        2031, holidays={}, make_up_days=[], source=bad
    ),
    "Within calendar": lambda bad: Within(600, bad),
    "SameServiceDay calendar": lambda bad: SameServiceDay(bad),
    "ServiceLevel priority": lambda bad: ServiceLevel(bad, [RESPONSE]),
    "SlaPolicy name": lambda bad: SlaPolicy([LEVEL], name=bad),
    "SlaPolicy.level": lambda bad: DEFAULT_SLA_POLICY.level(bad),
    "SlaPolicy.with_target priority": lambda bad: DEFAULT_SLA_POLICY.with_target(bad, RESPONSE),
    "EscalationLevel role": lambda bad: EscalationLevel(1, bad, 0),
    "PlannedOutage scope": lambda bad: PlannedOutage(Utility.WATER, bad, **OUTAGE),
    "PlannedOutage reason": lambda bad: PlannedOutage(
        Utility.WATER, "1号楼", **{**OUTAGE, "reason": bad}
    ),
    "SlaRecord request_id": lambda bad: SlaRecord(
        bad, TargetKind.RESPONSE, "P1", used_seconds=1, budget_seconds=2, started_at=T
    ),
    "SlaRecord priority": lambda bad: SlaRecord(
        "R-1", TargetKind.RESPONSE, bad, used_seconds=1, budget_seconds=2, started_at=T
    ),
    "RequestClocks.open request_id": lambda bad: RequestClocks.open(
        bad, "P1", DEFAULT_SLA_POLICY, CALENDARS
    ),
    "RequestClocks.open priority": lambda bad: RequestClocks.open(
        "R-1", bad, DEFAULT_SLA_POLICY, CALENDARS
    ),
    "RequestClocks.replay request_id": lambda bad: RequestClocks.replay(
        bad, "P1", DEFAULT_SLA_POLICY, CALENDARS, []
    ),
    **{f"{kind.__name__} actor": _event(kind, "actor") for kind in VERBS},
    **{f"{kind.__name__} reason": _event(kind, "reason") for kind in VERBS if kind.needs_reason},
    "PriorityChanged priority": lambda bad: PriorityChanged(T, "小王", "升级", priority=bad),
    "PriorityChanged reason": lambda bad: PriorityChanged(T, "小王", bad, priority="P2"),
    "TargetChanged reason": lambda bad: TargetChanged(T, "小王", bad, target=RESPONSE),
}

# Where a value of one of the package's own types is wanted: anything else is refused.
TYPED: dict[str, Call] = {
    "BusinessCalendar hours": lambda bad: BusinessCalendar("x", bad),
    "BusinessCalendar zone": lambda bad: BusinessCalendar("x", HOURS, bad),
    "BusinessCalendar holidays": lambda bad: BusinessCalendar("x", HOURS, holidays=bad or 7),
    "BusinessCalendar overrides": lambda bad: BusinessCalendar("x", HOURS, overrides=bad or 7),
    "BusinessCalendar an override": lambda bad: BusinessCalendar("x", HOURS, overrides=[bad]),
    "BusinessCalendar make_up_windows": lambda bad: BusinessCalendar(
        "x", HOURS, make_up_windows=bad or 7
    ),
    "BusinessCalendar unconfirmed": lambda bad: BusinessCalendar("x", HOURS, unconfirmed=bad),
    "always zone": lambda bad: BusinessCalendar.always("x", bad),
    "china_service_hours windows": lambda bad: BusinessCalendar.china_service_hours(
        windows=bad or 7
    ),
    "Window start": lambda bad: Window(bad, "12:00"),
    "Window end": lambda bad: Window("09:00", bad),
    "WeeklyHours monday": lambda bad: WeeklyHours(monday=bad or 7),
    "WeeklyHours a window": lambda bad: WeeklyHours(monday=[bad]),
    "WeeklyHours.weekdays": lambda bad: WeeklyHours.weekdays(bad),
    "Open windows": lambda bad: Open(DAY, bad or 7),
    "HolidayYear holidays": lambda bad: HolidayYear(2026, bad or 7),
    "HolidayYear a holiday": lambda bad: HolidayYear(2026, [bad]),
    "HolidayYear make_up_days": lambda bad: HolidayYear(2026, (), [bad]),
    "HolidayList years": lambda bad: HolidayList(bad or 7),
    "HolidayList a year": lambda bad: HolidayList([bad]),
    "HolidayList unlisted": lambda bad: HolidayList(unlisted=bad or 7),
    "ChinaHolidays confirmed": lambda bad: ChinaHolidays(confirmed=[bad]),
    "ChinaHolidays notices": lambda bad: ChinaHolidays(notices=[bad]),
    "ChinaHolidays language": lambda bad: ChinaHolidays(language=bad),
    "ChinaHolidays holidays_class": lambda bad: ChinaHolidays(holidays_class=bad),
    "with_notice holidays mapping": lambda bad: ChinaHolidays().with_notice(
        2031, holidays=bad or 7, make_up_days=[], source="通知"
    ),
    "SameServiceDay cutoff": lambda bad: SameServiceDay(cutoff=bad),
    "Target kind": lambda bad: Target(bad, Within(600)),
    "Target spec": lambda bad: Target(TargetKind.RESPONSE, bad),
    "Target pausable": lambda bad: Target(TargetKind.RESPONSE, Within(600), _not_bool(bad)),
    "Target starts_with_request": lambda bad: Target(
        TargetKind.RESPONSE, Within(600), starts_with_request=_not_bool(bad)
    ),
    "ServiceLevel targets": lambda bad: ServiceLevel("P1", bad or 7),
    "ServiceLevel a target": lambda bad: ServiceLevel("P1", [bad]),
    "ServiceLevel.target": lambda bad: LEVEL.target(bad),
    "ServiceLevel.with_target": lambda bad: LEVEL.with_target(bad),
    "SlaPolicy levels": lambda bad: SlaPolicy(bad or 7),
    "SlaPolicy a level": lambda bad: SlaPolicy([bad]),
    "SlaPolicy priority_change": lambda bad: SlaPolicy([LEVEL], priority_change=bad),
    "SlaPolicy reopen": lambda bad: SlaPolicy([LEVEL], reopen=bad),
    "SlaPolicy.with_level": lambda bad: DEFAULT_SLA_POLICY.with_level(bad),
    "SlaPolicy.with_target target": lambda bad: DEFAULT_SLA_POLICY.with_target("P1", bad),
    "SlaPolicy.check_scale": lambda bad: DEFAULT_SLA_POLICY.check_scale(bad or 7),
    "CalendarSet calendars": lambda bad: CalendarSet(bad or 7),
    "CalendarSet a calendar": lambda bad: CalendarSet([bad]),
    "CalendarSet.for_spec": lambda bad: CALENDARS.for_spec(bad),
    "CalendarSet.check": lambda bad: CALENDARS.check(bad),
    "SlaClock.new target": lambda bad: SlaClock.new(bad, CALENDARS),
    "SlaClock.new calendars": lambda bad: SlaClock.new(RESPONSE, bad),
    "SlaClock.apply": lambda bad: CLOCK.apply(bad),
    "SlaClock.replay events": lambda bad: SlaClock.replay(RESPONSE, CALENDARS, bad or 7),
    "RequestClocks.open policy": lambda bad: RequestClocks.open("R-1", "P1", bad, CALENDARS),
    "RequestClocks.open calendars": lambda bad: RequestClocks.open(
        "R-1", "P1", DEFAULT_SLA_POLICY, bad or 7
    ),
    "RequestClocks.apply": lambda bad: REQUEST.apply(bad),
    "RequestClocksFold policy": lambda bad: RequestClocksFold("R-1", "P1", bad, CALENDARS),
    "RequestClocksFold calendars": lambda bad: RequestClocksFold(
        "R-1", "P1", DEFAULT_SLA_POLICY, bad or 7
    ),
    "RequestClocksFold.apply": lambda bad: _fold().apply(bad),
    "RequestClocksFold.send verb": lambda bad: _fold().send(bad, T, "小王", "到场", OPEN),
    "RequestClocksFold.send states": lambda bad: _fold().send(Stopped, T, "小王", "到场", bad or 7),
    "RequestClocksFold.send kinds": lambda bad: _fold().send(
        Stopped, T, "小王", "到场", OPEN, bad or 7
    ),
    "RequestClocksFold.send pausable": lambda bad: _fold().send(
        Paused, T, "小王", "等配件", OPEN, pausable="yes" if type(bad) is bool else bad
    ),
    "RequestClocks.clock": lambda bad: REQUEST.clock(bad),
    "RequestClocks.replay events": lambda bad: RequestClocks.replay(
        "R-1", "P1", DEFAULT_SLA_POLICY, CALENDARS, bad or 7
    ),
    "RequestClocks.replay an event": lambda bad: RequestClocks.replay(
        "R-1", "P1", DEFAULT_SLA_POLICY, CALENDARS, [bad]
    ),
    "RequestClocksDraft clocks": lambda bad: RequestClocksDraft(bad),
    "RequestClocksDraft.apply": lambda bad: RequestClocksDraft(REQUEST).apply(bad),
    "RequestClocksDraft.clock": lambda bad: RequestClocksDraft(REQUEST).clock(bad),
    **{f"{kind.__name__} targets": _event(kind, "targets") for kind in VERBS},
    "Reopened policy": lambda bad: Reopened(T, "小王", "返修", policy=bad or 7),
    "PriorityChanged policy": lambda bad: PriorityChanged(
        T, "小王", "升级", priority="P2", policy=bad or 7
    ),
    "TargetChanged target": lambda bad: TargetChanged(T, "小王", "约定", target=bad),
    "EscalationLevel channels": lambda bad: EscalationLevel(1, "主管", 0, bad or 7),
    "EscalationPolicy warning_fraction": lambda bad: EscalationPolicy(bad),
    "EscalationPolicy levels": lambda bad: EscalationPolicy(levels=bad or 7),
    "EscalationPolicy a level": lambda bad: EscalationPolicy(levels=[bad]),
    "EscalationPolicy warning_channels": lambda bad: EscalationPolicy(warning_channels=bad or 7),
    "AlertLedger sent": lambda bad: AlertLedger(bad or 7),
    "AlertLedger.with_alerts": lambda bad: AlertLedger().with_alerts(bad or 7),
    "poll_alerts requests": lambda bad: poll_alerts(bad or 7, T),
    "poll_alerts a request": lambda bad: poll_alerts([bad], T),
    "poll_alerts policy": lambda bad: poll_alerts([REQUEST], T, bad),
    "poll_alerts sent": lambda bad: poll_alerts([REQUEST], T, sent=bad or 7),
    "next_action_at request": lambda bad: next_action_at(bad),
    "next_action_at policy": lambda bad: next_action_at(REQUEST, bad),
    "records_of request": lambda bad: records_of(bad, as_of=T),
    "records_of category": lambda bad: records_of(REQUEST, as_of=T, category=bad or 7),
    "attainment records": lambda bad: attainment(bad or 7),
    "attainment a record": lambda bad: attainment([bad]),
    "attainment by": lambda bad: attainment([RECORD], by=bad or 7),
    "attainment period": lambda bad: attainment([RECORD], period=bad),
    "attainment tz": lambda bad: attainment([RECORD], tz=bad),
    "attainment rounding": lambda bad: attainment([RECORD], rounding=bad),
    "PlannedOutage utility": lambda bad: PlannedOutage(bad, "1号楼", **OUTAGE),
    "PlannedOutage emergency": lambda bad: PlannedOutage(
        Utility.WATER, "1号楼", **OUTAGE, emergency=_not_bool(bad)
    ),
    "OutageNoticePolicy allow_emergencies": lambda bad: OutageNoticePolicy(
        allow_emergencies=_not_bool(bad)
    ),
    "OutageNoticePolicy.check": lambda bad: DEFAULT_OUTAGE_NOTICE.check(bad),
    "SlaRecord kind": lambda bad: SlaRecord(
        "R-1", bad, "P1", used_seconds=1, budget_seconds=2, started_at=T
    ),
}

# Where a locale is wanted.
LOCALES: dict[str, Call] = {
    "Within.describe": lambda bad: Within(600).describe(bad),
    "SameServiceDay.describe": lambda bad: SameServiceDay().describe(bad),
    "AgreedTime.describe": lambda bad: AgreedTime(T).describe(bad),
    "Target.describe": lambda bad: RESPONSE.describe(bad),
    "TargetKind.label": lambda bad: TargetKind.RESPONSE.label(bad),
    "Utility.label": lambda bad: Utility.WATER.label(bad),
    "explanation summary": lambda bad: REQUEST.explain()[0].summary(bad),
}


def _cases(table: dict[str, Call]) -> list[Any]:
    return [pytest.param(call, id=name) for name, call in table.items()]


@settings(max_examples=8)
@pytest.mark.parametrize("call", _cases(INSTANTS))
@given(bad=bad_instants)
def test_instants(call: Call, bad: object) -> None:
    assert_refused(lambda: call(bad))


@settings(max_examples=8)
@pytest.mark.parametrize("call", _cases(DURATIONS))
@given(bad=st.one_of(bad_counts, st.sampled_from([-1, 1.5, float("nan"), 10**30])))
def test_durations_and_counts(call: Call, bad: object) -> None:
    assert_refused(lambda: call(bad))


@settings(max_examples=8)
@pytest.mark.parametrize("call", _cases(COUNTS))
@given(bad=bad_counts)
def test_counts(call: Call, bad: object) -> None:
    assert_refused(lambda: call(bad))


@settings(max_examples=8)
@pytest.mark.parametrize("call", _cases(DATES))
@given(bad=bad_dates)
def test_dates(call: Call, bad: object) -> None:
    assert_refused(lambda: call(bad))


@settings(max_examples=6)
@pytest.mark.parametrize("call", _cases(TEXTS))
@given(bad=st.one_of(bad_text, bad_ids.filter(lambda v: not isinstance(v, str) or not v.strip())))
def test_text_and_ids(call: Call, bad: object) -> None:
    assert_refused(lambda: call(bad))


@settings(max_examples=6)
@pytest.mark.parametrize("call", _cases(TYPED))
@given(bad=wrong_types)
def test_wrong_types(call: Call, bad: object) -> None:
    assert_refused(lambda: call(bad))


@settings(max_examples=8)
@pytest.mark.parametrize("call", _cases(LOCALES))
@given(bad=bad_locales)
def test_an_unknown_locale_is_always_unsupported_locale(call: Call, bad: object) -> None:
    error = assert_refused(lambda: call(bad))
    assert isinstance(error, UnsupportedLocale)


@settings(max_examples=10)
@given(bad=st.sampled_from([1.5, True, "1764000000", None, 10**30, -(10**30), T]))
def test_add_many_takes_posix_seconds_of_years_1_to_9999(bad: object) -> None:
    assert_refused(lambda: CALENDAR.add_many([bad], 60))
    assert_refused(lambda: CALENDAR.add_many(bad, 60))


# -- duplicates in the collections an entry point receives -----------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: ServiceLevel("P1", [RESPONSE, RESPONSE]), id="ServiceLevel targets"),
        pytest.param(lambda: SlaPolicy([LEVEL, LEVEL]), id="SlaPolicy levels"),
        pytest.param(lambda: CalendarSet([ALWAYS, ALWAYS]), id="CalendarSet calendars"),
        pytest.param(
            lambda: BusinessCalendar("x", HOURS, overrides=[Closed(DAY), Open(DAY, HOURS.monday)]),
            id="BusinessCalendar overrides",
        ),
        pytest.param(
            lambda: HolidayYear(2026, [Holiday(DAY, "a"), Holiday(DAY, "b")]), id="HolidayYear"
        ),
        pytest.param(lambda: HolidayList([HolidayYear(2026), HolidayYear(2026)]), id="HolidayList"),
        pytest.param(
            lambda: ChinaHolidays().confirm(2026, "通知"), id="ChinaHolidays.confirm twice"
        ),
        pytest.param(
            lambda: EscalationPolicy(
                levels=[EscalationLevel(1, "主管", 0), EscalationLevel(1, "经理", 60)]
            ),
            id="EscalationPolicy levels",
        ),
        pytest.param(
            lambda: attainment([RECORD], by=[ReportDimension.PRIORITY] * 2), id="attainment by"
        ),
        pytest.param(
            lambda: WeeklyHours(monday=[Window("09:00", "12:00"), Window("09:00", "12:00")]),
            id="WeeklyHours windows",
        ),
        pytest.param(
            lambda: CALENDAR.add_many([int(T.timestamp())] * 2, [60]), id="add_many lengths"
        ),
        pytest.param(lambda: poll_alerts([REQUEST, REQUEST], T), id="poll_alerts requests"),
        pytest.param(lambda: attainment([RECORD, RECORD]), id="attainment records"),
    ],
)
def test_duplicates_are_refused(call: Callable[[], object]) -> None:
    assert_refused(call)


# -- absurd policy values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: OutageNoticePolicy(10**12), id="outage notice of 30,000 years"),
        pytest.param(lambda: EscalationLevel(1, "主管", 10**12), id="escalation in 30,000 years"),
        pytest.param(lambda: EscalationPolicy(Decimal("1.5")), id="warning after the breach"),
        pytest.param(lambda: EscalationPolicy(Decimal("NaN")), id="warning fraction NaN"),
        pytest.param(lambda: BusinessCalendar("x", HOURS, max_idle_years=10_000), id="idle"),
        pytest.param(lambda: attainment([RECORD], places=99), id="99 percent places"),
        pytest.param(lambda: Within(400 * 86_400), id="a target 400 days away"),
        pytest.param(lambda: Within(0), id="a target due at once"),
    ],
)
def test_absurd_policy_values_are_refused(call: Callable[[], object]) -> None:
    assert_refused(call)


def test_huge_durations_and_spans_are_refused_with_their_context() -> None:
    error = assert_refused(lambda: ALWAYS.add(T, 10**15))
    assert isinstance(error, NoWorkingTime)
    error = assert_refused(lambda: ALWAYS.between(T, pendulum.datetime(9999, 1, 1, tz=SH)))
    assert isinstance(error, InvalidDuration)
    assert error.context == {"horizon_years": BusinessCalendar.HORIZON_YEARS}


def test_an_unknown_time_zone_is_refused() -> None:
    for bad in ("Mars/Olympus", "+08:00", ""):
        assert_refused(lambda bad=bad: BusinessCalendar("x", HOURS, bad))


def test_a_naive_datetime_never_counts_as_local_time() -> None:
    naive = datetime.datetime(2026, 3, 2, 9, 0)  # noqa: DTZ001 - naive on purpose
    assert_refused(lambda: CALENDAR.add(naive, 60))
    assert_refused(lambda: Started(naive, "小王"))


def test_escalation_channels_as_text_are_refused() -> None:
    assert_refused(lambda: EscalationLevel(1, "主管", 0, "sms"))
    assert_refused(lambda: EscalationLevel(1, "主管", 0, [EscalationChannel.SMS, "sms"]))


def _stopped_response() -> tuple[SlaClock, list[pendulum.DateTime]]:
    nine = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
    steps = [nine, nine.add(minutes=8)]
    calendars = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
    clocks = RequestClocks.open("R-1", "P1", calendars=calendars)
    clocks = clocks.apply(Started(steps[0], "客服小王")).apply(Stopped(steps[1], "维修工"))
    return clocks.clocks[0], steps


@settings(max_examples=20, deadline=None)
@given(bad=wrong_types | bad_instants)
def test_clock_shapes_refuse_what_is_not_a_clock_or_instants(bad: object) -> None:
    clock, steps = _stopped_response()
    assert_refused(lambda: ClockShape.of(bad, steps))  # type: ignore[arg-type]
    shape = ClockShape.of(clock, steps)
    assert shape is not None
    for call in (
        lambda: ClockShape.of(clock, [steps[0], bad]),  # type: ignore[list-item]
        lambda: ClockShape.posix([bad]),  # type: ignore[list-item]
        lambda: shape.read([steps[0], bad]),  # type: ignore[list-item]
    ):
        assert assert_refused(call).field == "instants"
    assert assert_refused(lambda: ClockShape.read_many([shape, bad], steps)).field == "shapes"  # type: ignore[list-item]
    if bad is not None:  # (None: the folded clock's agreed time)
        assert assert_refused(lambda: shape.read(steps, agreed=bad)).field == "agreed"  # type: ignore[arg-type]


def test_a_shape_refuses_fewer_instants_than_its_positions() -> None:
    clock, steps = _stopped_response()
    shape = ClockShape.of(clock, steps)
    assert shape is not None
    refused = assert_refused(lambda: shape.read(steps[:1]))
    assert (refused.field, refused.value) == ("instants", 1)
    assert assert_refused(lambda: ClockShape.read_many([shape], steps[:1])).field == "instants"
