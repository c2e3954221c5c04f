"""Tests for sla._targets: target kinds and specs, service levels, the SLA policy."""

from __future__ import annotations

import datetime
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings

from propcrm.classification import DEFAULT_PRIORITIES, Priority
from propcrm.errors import (
    InvalidDuration,
    InvalidPolicy,
    InvalidType,
    MissingCalendar,
    NaiveDatetime,
    NoWorkingTime,
    UnknownPriority,
    UnsupportedLocale,
)
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    HOTLINE_CALENDAR,
    SERVICE_CALENDAR,
    AgreedTime,
    BusinessCalendar,
    BusinessTime,
    CalendarSet,
    Closed,
    PriorityChangePolicy,
    ReopenPolicy,
    SameServiceDay,
    ServiceLevel,
    SlaPolicy,
    Target,
    TargetKind,
    WeeklyHours,
    Window,
    Within,
)
from propcrm.sla._targets import (
    DEFAULT_SAME_DAY_CUTOFF,
    ELAPSED,
    ELAPSED_SPAN,
    EXTRA_URGENT_RESPONSE_SECONDS,
    URGENT_RESPONSE_SECONDS,
    ElapsedTime,
    service_day_due,
)
from propcrm.testing._sla_clock_strategies import sla_instants

TZ = "Asia/Shanghai"
HOTLINE = BusinessCalendar.always()
SERVICE = BusinessCalendar.china_service_hours()
RESPONSE = TargetKind.RESPONSE


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(y, m, d, hh, mm, ss, tz=TZ)


# -- the brief's defaults -----------------------------------------------------------------------


def test_the_brief_numbers_are_named_policy_values() -> None:
    assert EXTRA_URGENT_RESPONSE_SECONDS == 10 * 60
    assert URGENT_RESPONSE_SECONDS == 15 * 60
    assert datetime.time(16, 0) == DEFAULT_SAME_DAY_CUTOFF
    assert HOTLINE_CALENDAR == HOTLINE.name == "24x7"
    assert SERVICE.name == SERVICE_CALENDAR


def test_default_policy_has_a_level_for_each_default_priority() -> None:
    assert DEFAULT_SLA_POLICY.priorities == DEFAULT_PRIORITIES.codes == ("P1", "P2", "P3")
    assert DEFAULT_SLA_POLICY.priority_change is PriorityChangePolicy.KEEP_CONSUMED
    assert DEFAULT_SLA_POLICY.reopen is ReopenPolicy.CONTINUE


@pytest.mark.parametrize(
    ("priority", "spec"),
    [
        ("P1", Within(600, "24x7")),
        ("P2", Within(900, "24x7")),
        ("P3", SameServiceDay(SERVICE_CALENDAR, datetime.time(16, 0))),
    ],
)
def test_default_response_targets_follow_the_brief(priority: str, spec: Any) -> None:
    level = DEFAULT_SLA_POLICY.level(priority)
    assert level.kinds == (RESPONSE,)
    target = level.target(RESPONSE)
    assert target.spec == spec
    assert target.pausable
    assert target.starts_with_request


def test_default_policy_runs_on_the_hotline_and_service_calendars() -> None:
    assert DEFAULT_SLA_POLICY.calendar_names == {"24x7", SERVICE_CALENDAR}


# -- specs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        (Within(600), "within 10 minutes, on 24x7"),
        (Within(60), "within 1 minute, on 24x7"),
        (Within(4 * 3600, "office"), "within 4 hours, on office"),
        (Within(2 * 86_400), "within 2 days, on 24x7"),
        (Within(90), "within 90 seconds, on 24x7"),
        (
            SameServiceDay("office", datetime.time(15, 30)),
            "the same service day (cut-off 15:30), on office",
        ),
        (
            AgreedTime(local(2026, 3, 2, 14)),
            "at the time agreed with the customer, 2026-03-02T14:00:00+08:00",
        ),
    ],
)
def test_specs_describe_themselves(spec: Any, text: str) -> None:
    assert spec.describe("en_US") == text


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        (Within(600), "10分钟内，按日历“24x7”计时"),
        (Within(60), "1分钟内，按日历“24x7”计时"),
        (Within(4 * 3600, "office"), "4小时内，按日历“office”计时"),
        (Within(2 * 86_400), "2天内，按日历“24x7”计时"),
        (Within(90), "90秒内，按日历“24x7”计时"),
        (
            SameServiceDay("office", datetime.time(15, 30)),
            "同一服务日内（截单时间 15:30，此后受理的顺延至下一服务日），按日历“office”计时",
        ),
        (AgreedTime(local(2026, 3, 2, 14)), "按与客户约定的时间 2026-03-02T14:00:00+08:00"),
    ],
)
def test_specs_describe_themselves_in_chinese_by_default(spec: Any, text: str) -> None:
    assert spec.describe("zh_CN") == text
    assert spec.describe() == text


@pytest.mark.parametrize("locale", ["fr_FR", "zh", "zh_TW", "en"])
def test_describe_and_label_refuse_an_unsupported_locale(locale: str) -> None:
    for text in (
        lambda: Within(600).describe(locale),
        lambda: SameServiceDay().describe(locale),
        lambda: AgreedTime(local(2026, 3, 2, 14)).describe(locale),
        lambda: Target(RESPONSE, Within(600)).describe(locale),
        lambda: TargetKind.UPDATE.label(locale),
    ):
        with pytest.raises(UnsupportedLocale, match="'zh_CN' and 'en_US'"):
            text()


@pytest.mark.parametrize("seconds", [0, -1, 1.5, True, "600", None])
def test_a_duration_is_whole_seconds_above_zero(seconds: Any) -> None:
    with pytest.raises(InvalidPolicy, match="whole number of seconds above 0"):
        Within(seconds)


@pytest.mark.parametrize("name", ["", "  ", 3, None])
def test_a_spec_names_its_calendar(name: Any) -> None:
    with pytest.raises(InvalidPolicy, match="calendar name"):
        Within(600, name)
    with pytest.raises(InvalidPolicy, match="calendar name"):
        SameServiceDay(name)


@pytest.mark.parametrize(
    "cutoff",
    ["16:00", datetime.time(16, 0, 0, 500), datetime.time(16, tzinfo=datetime.UTC), 16],
)
def test_a_cutoff_is_a_local_wall_time(cutoff: Any) -> None:
    with pytest.raises(InvalidPolicy, match="cut-off"):
        SameServiceDay(cutoff=cutoff)


def test_an_agreed_time_is_aware_and_runs_on_elapsed_time() -> None:
    with pytest.raises(NaiveDatetime):
        AgreedTime(datetime.datetime(2026, 3, 2, 14))  # noqa: DTZ001 - the point of the test
    assert AgreedTime(local(2026, 3, 2, 14)).calendar == ELAPSED.name


# -- the same-day cut-off -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due", "before"),
    [
        # Monday 2 March 2026: before the cut-off, due at the end of the same day.
        (local(2026, 3, 2, 7, 0), local(2026, 3, 2, 17, 30), True),
        (local(2026, 3, 2, 12, 30), local(2026, 3, 2, 17, 30), True),  # in the lunch break
        (local(2026, 3, 2, 15, 59, 59), local(2026, 3, 2, 17, 30), True),
        # At or after the cut-off: the end of the next service day.
        (local(2026, 3, 2, 16, 0), local(2026, 3, 3, 17, 30), False),
        (local(2026, 3, 2, 23, 0), local(2026, 3, 3, 17, 30), False),
        # Friday after the cut-off, Saturday and Sunday: Monday.
        (local(2026, 3, 6, 16, 30), local(2026, 3, 9, 17, 30), False),
        (local(2026, 3, 7, 10, 0), local(2026, 3, 9, 17, 30), False),
        # National Day 2025: closed 1–8 October; Saturday 11 October is a make-up workday.
        (local(2025, 9, 30, 16, 30), local(2025, 10, 9, 17, 30), False),
        (local(2025, 10, 3, 9, 0), local(2025, 10, 9, 17, 30), False),
        (local(2025, 10, 10, 16, 1), local(2025, 10, 11, 17, 30), False),
        (local(2025, 10, 11, 9, 0), local(2025, 10, 11, 17, 30), True),
    ],
)
def test_the_same_day_rule_is_due_at_the_end_of_a_service_day(
    received: pendulum.DateTime, due: pendulum.DateTime, before: bool
) -> None:
    found = service_day_due(SERVICE, received, DEFAULT_SAME_DAY_CUTOFF)
    assert found.due == due
    assert found.before_cutoff is before
    assert found.received_at == received
    assert found.service_day == received.date()
    assert found.due_day == due.date()


def test_a_cutoff_after_the_days_last_window_falls_back_to_the_windows_end() -> None:
    late = datetime.time(20, 0)
    found = service_day_due(SERVICE, local(2026, 3, 2, 18, 0), late)
    assert found.cutoff_at == local(2026, 3, 2, 17, 30)
    assert found.due == local(2026, 3, 3, 17, 30)
    assert service_day_due(SERVICE, local(2026, 3, 2, 17, 0), late).due == local(2026, 3, 2, 17, 30)


def test_the_service_day_is_the_local_date_in_the_calendars_zone() -> None:
    utc_evening = pendulum.datetime(2026, 3, 2, 23, 30, tz="UTC")  # 07:30 on 3 March in Shanghai
    found = service_day_due(SERVICE, utc_evening, DEFAULT_SAME_DAY_CUTOFF)
    assert found.service_day == pendulum.date(2026, 3, 3)
    assert found.due == local(2026, 3, 3, 17, 30)


def test_a_calendar_with_no_service_day_in_a_year_is_refused() -> None:
    closed = BusinessCalendar(
        "closed",
        WeeklyHours.weekdays(Window("09:00", "17:00")),
        overrides=[Closed(pendulum.date(2026, 1, 1).add(days=n), "停业") for n in range(400)],
    )
    with pytest.raises(NoWorkingTime, match="no service day within 366 days"):
        service_day_due(closed, local(2026, 1, 1, 9), DEFAULT_SAME_DAY_CUTOFF)


@settings(max_examples=80)
@given(sla_instants())
def test_the_same_day_due_is_after_the_request_at_a_days_last_window_end(
    received: pendulum.DateTime,
) -> None:
    found = service_day_due(SERVICE, received, DEFAULT_SAME_DAY_CUTOFF)
    assert found.due > received
    assert found.due == SERVICE.windows_on(found.due_day)[-1][1]
    assert found.due_day >= found.service_day
    # No service day lies strictly between the received day and the due day.
    day = found.service_day.add(days=1)
    while day < found.due_day:
        assert not SERVICE.windows_on(day)
        day = day.add(days=1)


# -- targets and levels -------------------------------------------------------------------------


def test_an_agreed_time_target_never_pauses() -> None:
    target = Target(TargetKind.AGREED_TIME, AgreedTime(local(2026, 3, 2, 14)))
    assert target.pausable is False
    with pytest.raises(InvalidPolicy, match="never pauses"):
        Target(TargetKind.AGREED_TIME, AgreedTime(local(2026, 3, 2, 14)), pausable=True)


def test_a_target_needs_a_kind_and_a_spec() -> None:
    with pytest.raises(TypeError):
        Target("response", Within(600))  # type: ignore[arg-type]
    with pytest.raises(InvalidPolicy, match="must be Within, SameServiceDay or AgreedTime"):
        Target(RESPONSE, 600)  # type: ignore[arg-type]
    assert Target(RESPONSE, Within(600)).describe("en_US") == (
        "response: within 10 minutes, on 24x7"
    )
    assert Target(RESPONSE, Within(600)).describe() == "响应：10分钟内，按日历“24x7”计时"


def test_target_kinds_have_stable_codes_and_chinese_labels() -> None:
    assert [k.value for k in TargetKind] == [
        "response",
        "resolution",
        "service_day",
        "agreed_time",
        "callback",
        "update",
    ]
    assert TargetKind.CALLBACK.label() == "回访"
    assert all(k.label() for k in TargetKind)


@pytest.mark.parametrize(
    ("kind", "zh", "en"),
    [
        (TargetKind.RESPONSE, "响应", "response"),
        (TargetKind.RESOLUTION, "解决", "resolution"),
        (TargetKind.SERVICE_DAY, "当日完成", "same-day completion"),
        (TargetKind.AGREED_TIME, "约定时间", "agreed time"),
        (TargetKind.CALLBACK, "回访", "call-back"),
        (TargetKind.UPDATE, "进度通报", "progress update"),
    ],
)
def test_each_target_kind_has_a_label_in_each_locale(kind: TargetKind, zh: str, en: str) -> None:
    assert (kind.label(), kind.label("zh_CN"), kind.label("en-US")) == (zh, zh, en)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: ServiceLevel("", [Target(RESPONSE, Within(600))]), "priority code"),
        (lambda: ServiceLevel("P1", []), "at least one target"),
        (lambda: ServiceLevel("P1", [Target(RESPONSE, Within(600))] * 2), "two response targets"),
        (lambda: ServiceLevel("P1", ["x"]), "holds Targets"),
        (
            lambda: ServiceLevel(
                "P1", [Target(TargetKind.AGREED_TIME, AgreedTime(local(2026, 3, 2, 14)))]
            ),
            "agreed times belong to one request",
        ),
    ],
)
def test_malformed_service_levels_are_refused(build: Any, message: str) -> None:
    with pytest.raises(InvalidPolicy, match=message):
        build()


def test_a_level_finds_its_targets_by_kind() -> None:
    level = DEFAULT_SLA_POLICY.level("P1")
    with pytest.raises(InvalidPolicy, match="has no resolution target; it has response"):
        level.target(TargetKind.RESOLUTION)
    faster = level.with_target(Target(RESPONSE, Within(300)))
    assert faster.target(RESPONSE).spec == Within(300)
    assert faster.kinds == (RESPONSE,)


def test_a_community_adds_levels_and_targets() -> None:
    callback = Target(TargetKind.CALLBACK, Within(2 * 86_400), starts_with_request=False)
    policy = DEFAULT_SLA_POLICY.with_target("P3", callback).with_level(
        ServiceLevel("P4", [Target(RESPONSE, Within(3 * 86_400, SERVICE_CALENDAR))])
    )
    assert policy.priorities == ("P1", "P2", "P3", "P4")
    assert policy.level("P3").kinds == (RESPONSE, TargetKind.CALLBACK)
    assert DEFAULT_SLA_POLICY.level("P3").kinds == (RESPONSE,)  # the default is untouched
    replaced = policy.with_level(ServiceLevel("P1", [Target(RESPONSE, Within(300))]))
    assert replaced.priorities == policy.priorities
    assert replaced.level("P1").target(RESPONSE).spec == Within(300)


def test_a_policy_covers_the_default_priority_scale() -> None:
    DEFAULT_SLA_POLICY.check_scale(DEFAULT_PRIORITIES)
    with pytest.raises(UnknownPriority, match="no service level for priority P4"):
        DEFAULT_SLA_POLICY.check_scale(
            [*DEFAULT_PRIORITIES, Priority("P4", "预约", "scheduled", 4)]
        )


def test_a_policy_refuses_unknown_priorities_and_duplicate_levels() -> None:
    with pytest.raises(UnknownPriority, match="no service level for priority 'P9'"):
        DEFAULT_SLA_POLICY.level("P9")
    level = DEFAULT_SLA_POLICY.level("P1")
    with pytest.raises(InvalidPolicy, match="priority P1 twice"):
        SlaPolicy([level, level])
    with pytest.raises(InvalidPolicy, match="at least one service level"):
        SlaPolicy([])
    with pytest.raises(TypeError):
        attrs.evolve(DEFAULT_SLA_POLICY, reopen="continue")


# -- calendars by name --------------------------------------------------------------------------


def test_a_calendar_set_finds_calendars_by_name_and_checks_a_policy() -> None:
    calendars = CalendarSet([HOTLINE, SERVICE])
    assert calendars.names == ("24x7", SERVICE_CALENDAR)
    assert calendars["24x7"] is HOTLINE
    assert calendars.for_spec(AgreedTime(local(2026, 3, 2, 14))) is ELAPSED
    assert calendars["elapsed"] is ELAPSED
    calendars.check(DEFAULT_SLA_POLICY)
    with pytest.raises(MissingCalendar, match="runs on calendar\\(s\\) CN service hours"):
        CalendarSet([HOTLINE]).check(DEFAULT_SLA_POLICY)
    assert CalendarSet({"a": HOTLINE}).names == ("24x7",)


def test_a_calendar_set_refuses_duplicates_and_non_calendars() -> None:
    with pytest.raises(InvalidPolicy, match="two calendars are named '24x7'"):
        CalendarSet([HOTLINE, ElapsedTime("24x7")])
    with pytest.raises(TypeError, match="is not a business calendar"):
        CalendarSet(["24x7"])  # type: ignore[list-item]


# -- elapsed time -------------------------------------------------------------------------------


def test_elapsed_time_is_a_business_time_where_every_second_counts() -> None:
    assert isinstance(ELAPSED, BusinessTime)
    t = local(2026, 10, 1, 23, 59, 30)
    assert ELAPSED.add(t, 60) == local(2026, 10, 2, 0, 0, 30)
    assert ELAPSED.add(t, -60) == local(2026, 10, 1, 23, 58, 30)
    assert ELAPSED.between(t, t.add(seconds=90)) == 90
    assert ELAPSED.between(t.add(seconds=90), t) == -90
    assert ELAPSED.between(t, t.add(microseconds=999_999)) == 0
    assert ELAPSED.next_working_instant(t) == t
    assert ELAPSED.is_working_day(t.date())
    assert ELAPSED.explain(t, t.add(seconds=1)) is None
    ((start, end),) = ELAPSED.windows_on(t.date())
    assert (end - start).in_seconds() == 86_400


def test_elapsed_time_is_exact_across_a_dst_change() -> None:
    before = pendulum.datetime(2026, 3, 8, 1, 30, tz="America/New_York")  # clocks go 2:00 → 3:00
    after = ELAPSED.add(before, 3600)
    assert after == pendulum.datetime(2026, 3, 8, 3, 30, tz="America/New_York")
    assert ELAPSED.between(before, after) == 3600


def test_elapsed_time_refuses_a_result_outside_the_years_a_datetime_reaches() -> None:
    last_night = pendulum.datetime(9999, 12, 31, 23, 0, tz="UTC")
    with pytest.raises(NoWorkingTime) as refused:
        ELAPSED.add(last_night, 7200)
    assert str(refused.value) == (
        "9999-12-31 23:00:00+00:00 plus 7200 seconds lies outside the years a datetime reaches."
    )
    assert (refused.value.field, refused.value.value) == ("seconds", 7200)
    assert ELAPSED.add(last_night, 3599) == pendulum.datetime(9999, 12, 31, 23, 59, 59, tz="UTC")
    with pytest.raises(NoWorkingTime, match="plus -7200 seconds"):
        ELAPSED.add(pendulum.datetime(1, 1, 1, 1, 0, tz="UTC"), -7200)


def test_elapsed_time_truncates_a_backward_span_toward_zero() -> None:
    t = local(2026, 10, 1, 9, 0)
    assert ELAPSED.between(t.add(microseconds=1_500_000), t) == -1  # -1.5 s: -1, not -2
    assert ELAPSED.between(t, t.add(microseconds=1_500_000)) == 1


def test_a_scale_level_without_a_text_code_is_refused_by_name() -> None:
    class Unnamed:
        code = 4  # a number, not a code like 'P4'

    level = Unnamed()
    with pytest.raises(InvalidType) as refused:
        DEFAULT_SLA_POLICY.check_scale([*DEFAULT_PRIORITIES, level])
    assert (refused.value.field, refused.value.value) == ("scale", level)
    assert refused.value.allowed == "levels with a str code"


def test_a_calendar_set_asked_for_the_calendar_of_a_non_spec_refuses_it() -> None:
    calendars = CalendarSet([HOTLINE, SERVICE])
    assert calendars.for_spec(Within(600)) is HOTLINE
    assert calendars.for_spec(SameServiceDay()) is SERVICE
    assert calendars.for_spec(AgreedTime(local(2026, 3, 2, 14))) is ELAPSED
    with pytest.raises(InvalidType) as refused:
        calendars.for_spec("24x7")  # type: ignore[arg-type]  # a name, not a spec
    assert (refused.value.field, refused.value.value) == ("spec", "24x7")
    assert (
        str(refused.value) == "spec must be Within or SameServiceDay or AgreedTime, got str '24x7'."
    )


# -- every refusal names its argument (issue 18: targets) -----------------------------------------

_P1_RESPONSE = Target(RESPONSE, Within(600))
_NAIVE = datetime.datetime(2026, 3, 2, 9, 0)  # noqa: DTZ001 - naive on purpose
_NINE = local(2026, 3, 2, 9)
_NAIVE_REFUSED = (
    "datetime 2026-03-02 09:00:00 has no time zone; pass an aware datetime, e.g. "
    "pendulum.datetime(2026, 3, 2, 9, 0, tz='Asia/Shanghai')."
)


@pytest.mark.parametrize(
    ("call", "error", "field", "message"),
    [
        (
            lambda: SlaPolicy(DEFAULT_SLA_POLICY.levels, name=""),
            InvalidPolicy,
            "name",
            "name must not be empty, got ''; e.g. 'default'.",
        ),
        (
            lambda: SlaPolicy("P1"),
            InvalidPolicy,
            "levels",
            "levels must be a collection of ServiceLevel, got str 'P1'.",
        ),
        (
            lambda: SlaPolicy([_P1_RESPONSE]),
            InvalidPolicy,
            "levels",
            f"levels holds Target {_P1_RESPONSE!r}; each item must be ServiceLevel.",
        ),
        (
            lambda: ServiceLevel("P1", "response"),
            InvalidPolicy,
            "targets",
            "targets must be a collection of items, got str 'response'.",
        ),
        (
            lambda: CalendarSet("24x7"),
            InvalidPolicy,
            "calendars",
            "calendars must be a collection of items, got str '24x7'.",
        ),
        (
            lambda: DEFAULT_SLA_POLICY.level("P1").with_target("response"),
            InvalidType,
            "target",
            "target must be Target, got str 'response'.",
        ),
        (
            lambda: DEFAULT_SLA_POLICY.with_level("P4"),
            InvalidType,
            "level",
            "level must be ServiceLevel, got str 'P4'.",
        ),
        (
            lambda: DEFAULT_SLA_POLICY.with_target("P1", "response"),
            InvalidType,
            "target",
            "target must be Target, got str 'response'.",
        ),
        (
            lambda: CalendarSet([HOTLINE]).check("default"),
            InvalidType,
            "policy",
            "policy must be SlaPolicy, got str 'default'.",
        ),
        (
            lambda: DEFAULT_SLA_POLICY.check_scale("P1"),
            InvalidPolicy,
            "scale",
            "scale must be a collection of items, got str 'P1'.",
        ),
        (
            lambda: ELAPSED.add(_NAIVE, 60),
            NaiveDatetime,
            "start",
            _NAIVE_REFUSED,
        ),
        (
            lambda: ELAPSED.next_working_instant(_NAIVE),
            NaiveDatetime,
            "at",
            _NAIVE_REFUSED,
        ),
        (
            lambda: ELAPSED.add(_NINE, 1.5),
            InvalidType,
            "seconds",
            "seconds must be an int, got float 1.5.",
        ),
        (
            lambda: ELAPSED.add(_NINE, ELAPSED_SPAN + 1),
            InvalidDuration,
            "seconds",
            "seconds must be at most 1612742400, got 1612742401.",
        ),
        (
            lambda: ELAPSED.add(_NINE, -ELAPSED_SPAN - 1),
            InvalidDuration,
            "seconds",
            "seconds must be at least -1612742400, got -1612742401.",
        ),
    ],
    ids=[
        "policy name",
        "levels as text",
        "a target as a level",
        "targets as text",
        "calendars as text",
        "with_target of a level",
        "with_level",
        "with_target of a policy",
        "check",
        "scale as text",
        "elapsed start",
        "elapsed at",
        "elapsed float seconds",
        "elapsed beyond the horizon",
        "elapsed before the horizon",
    ],
)
def test_each_bad_argument_is_refused_by_name(
    call: Any, error: type[Exception], field: str, message: str
) -> None:
    with pytest.raises(error) as refused:
        call()
    assert str(refused.value) == message
    assert refused.value.field == field  # type: ignore[attr-defined]


def test_elapsed_time_adds_up_to_the_horizon_either_way() -> None:
    # 51 leap years of seconds (the business calendars' horizon): 2077 ahead, 1975 behind.
    assert ELAPSED.add(_NINE, ELAPSED_SPAN) == local(2077, 4, 9, 9)
    assert ELAPSED.add(_NINE, -ELAPSED_SPAN) == local(1975, 1, 23, 9)
    # The result is in the start's own zone, not in UTC where it was computed.
    assert ELAPSED.add(_NINE, 60).timezone_name == TZ


def test_elapsed_days_are_midnight_to_midnight_in_its_zone() -> None:
    shanghai = ElapsedTime("shanghai elapsed", TZ)
    assert shanghai.windows_on(datetime.date(2026, 3, 2)) == (
        (local(2026, 3, 2), local(2026, 3, 3)),
    )


def test_a_scale_level_without_any_code_is_refused_like_one_without_a_text_code() -> None:
    bare = object()
    with pytest.raises(InvalidType) as refused:
        DEFAULT_SLA_POLICY.check_scale([bare])
    assert (refused.value.field, refused.value.value) == ("scale", bare)


def test_replacing_one_target_of_a_level_keeps_the_others_in_order() -> None:
    level = ServiceLevel(
        "P1",
        [
            Target(RESPONSE, Within(600)),
            Target(TargetKind.RESOLUTION, Within(4 * 3600, SERVICE_CALENDAR)),
            Target(TargetKind.CALLBACK, Within(86_400, SERVICE_CALENDAR)),
        ],
    )
    faster = level.with_target(Target(TargetKind.RESOLUTION, Within(2 * 3600, SERVICE_CALENDAR)))
    assert faster.kinds == (RESPONSE, TargetKind.RESOLUTION, TargetKind.CALLBACK)
    assert [t.spec for t in faster.targets] == [
        Within(600),
        Within(2 * 3600, SERVICE_CALENDAR),
        Within(86_400, SERVICE_CALENDAR),
    ]


def test_a_within_target_runs_from_one_second_to_366_days() -> None:
    assert Within(1).seconds == 1
    assert Within(366 * 86_400).describe("en_US") == "within 366 days, on 24x7"
    with pytest.raises(InvalidPolicy) as refused:
        Within(366 * 86_400 + 1)
    assert refused.value.allowed == "int seconds from 1 to 31622400"


def test_elapsed_time_does_not_depend_on_the_machines_local_zone() -> None:
    # A server set to Shanghai time: 20:00 UTC on the last day of 9999 is already year 10000
    # there, but elapsed time is counted in UTC and answered in the start's zone.
    pendulum.set_local_timezone(pendulum.timezone(TZ))
    try:
        late = pendulum.datetime(9999, 12, 31, 20, 0, tz="UTC")
        assert ELAPSED.add(late, 60) == pendulum.datetime(9999, 12, 31, 20, 1, tz="UTC")
    finally:
        pendulum.set_local_timezone()  # back to the machine's own zone


def test_the_same_day_rule_on_a_desk_with_an_evening_window() -> None:
    # Three windows a weekday: the day ends with the evening window, 19:00–21:00.
    desk = BusinessCalendar(
        "evening desk",
        WeeklyHours.weekdays(
            Window("08:30", "12:00"), Window("13:30", "17:30"), Window("19:00", "21:00")
        ),
    )
    cutoff = datetime.time(15, 30)
    before = service_day_due(desk, local(2026, 3, 6, 15, 10), cutoff)  # a Friday
    assert (before.before_cutoff, before.cutoff_at) == (True, local(2026, 3, 6, 15, 30))
    assert (before.due, before.due_day) == (local(2026, 3, 6, 21), pendulum.date(2026, 3, 6))
    after = service_day_due(desk, local(2026, 3, 6, 15, 40), cutoff)
    assert (after.before_cutoff, after.cutoff_at) == (False, local(2026, 3, 6, 15, 30))
    assert (after.due, after.due_day) == (local(2026, 3, 9, 21), pendulum.date(2026, 3, 9))


def test_a_cutoff_to_the_second() -> None:
    cutoff = datetime.time(15, 59, 30)
    assert service_day_due(SERVICE, local(2026, 3, 2, 15, 59, 15), cutoff).before_cutoff
    late = service_day_due(SERVICE, local(2026, 3, 2, 15, 59, 30), cutoff)
    assert (late.before_cutoff, late.cutoff_at) == (False, local(2026, 3, 2, 15, 59, 30))


def test_a_request_on_a_weekend_has_no_cutoff() -> None:
    found = service_day_due(SERVICE, local(2026, 3, 7, 10, 0), DEFAULT_SAME_DAY_CUTOFF)
    assert (found.cutoff_at, found.before_cutoff) == (None, False)
    assert found.due == local(2026, 3, 9, 17, 30)


def test_a_level_asked_for_a_target_by_name_refuses_it() -> None:
    with pytest.raises(InvalidType) as refused:
        DEFAULT_SLA_POLICY.level("P1").target("response")  # type: ignore[arg-type]
    assert (refused.value.field, refused.value.value) == ("kind", "response")


def test_elapsed_time_refuses_naive_ends_by_name() -> None:
    for call, field in (
        (lambda: ELAPSED.between(_NAIVE, _NINE), "start"),
        (lambda: ELAPSED.between(_NINE, _NAIVE), "end"),
    ):
        with pytest.raises(NaiveDatetime) as refused:
            call()
        assert refused.value.field == field
