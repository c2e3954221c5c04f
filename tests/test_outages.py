"""Tests for sla._outages: planned outages need 24 hours' notice, emergencies excepted."""

from __future__ import annotations

import datetime
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.errors import (
    InvalidOutage,
    InvalidPolicy,
    NaiveDatetime,
    OutageError,
    OutageNoticeTooShort,
    UnsupportedLocale,
)
from propcrm.sla import (
    DEFAULT_OUTAGE_NOTICE,
    NoticeRule,
    OutageNoticePolicy,
    PlannedOutage,
    Utility,
)
from propcrm.sla._outages import DEFAULT_OUTAGE_NOTICE_SECONDS

TZ = "Asia/Shanghai"
STARTS = pendulum.datetime(2026, 7, 2, 9, 0, tz=TZ)


def outage(
    announced: pendulum.DateTime, *, emergency: bool = False, **changes: Any
) -> PlannedOutage:
    planned = PlannedOutage(
        Utility.POWER,
        "1–3号楼",
        starts_at=STARTS,
        ends_at=STARTS.add(hours=3),
        announced_at=announced,
        reason="配电房检修",
        emergency=emergency,
    )
    return attrs.evolve(planned, **changes)


def test_the_notice_is_24_hours_from_the_brief() -> None:
    assert DEFAULT_OUTAGE_NOTICE_SECONDS == 24 * 3600
    assert DEFAULT_OUTAGE_NOTICE.min_notice_seconds == DEFAULT_OUTAGE_NOTICE_SECONDS
    assert DEFAULT_OUTAGE_NOTICE.allow_emergencies


@pytest.mark.parametrize("hours", [24, 25, 72])
def test_an_outage_announced_24_hours_ahead_or_more_passes_on_advance_notice(hours: int) -> None:
    decision = DEFAULT_OUTAGE_NOTICE.check(outage(STARTS.subtract(hours=hours)))
    assert decision.rule is NoticeRule.ADVANCE_NOTICE
    assert decision.notice_seconds == hours * 3600
    assert decision.required_seconds == 24 * 3600
    assert decision.short_by_seconds == 0
    assert decision.announce_by == STARTS.subtract(days=1)


def test_one_second_short_is_refused_and_says_by_when_to_announce() -> None:
    late = outage(STARTS.subtract(hours=24).add(seconds=1))
    with pytest.raises(OutageNoticeTooShort) as caught:
        DEFAULT_OUTAGE_NOTICE.check(late)
    message = str(caught.value)
    assert "announced 23 hours 59 minutes 59 seconds ahead" in message
    assert "need 24 hours' notice (announce by 2026-07-01T09:00:00+08:00)" in message
    assert "or mark it an emergency" in message
    assert isinstance(caught.value, OutageError)
    assert isinstance(caught.value, ValueError)


def test_an_emergency_passes_on_the_emergency_rule_and_records_the_shortfall() -> None:
    burst = outage(STARTS.subtract(minutes=30), emergency=True, reason="主水管爆裂抢修")
    decision = DEFAULT_OUTAGE_NOTICE.check(burst)
    assert decision.rule is NoticeRule.EMERGENCY
    assert decision.notice_seconds == 1800
    assert decision.short_by_seconds == 24 * 3600 - 1800
    announced_at_start = outage(STARTS, emergency=True)
    assert DEFAULT_OUTAGE_NOTICE.check(announced_at_start).notice_seconds == 0


def test_an_emergency_with_enough_notice_is_just_advance_notice() -> None:
    decision = DEFAULT_OUTAGE_NOTICE.check(outage(STARTS.subtract(days=2), emergency=True))
    assert decision.rule is NoticeRule.ADVANCE_NOTICE


def test_a_policy_without_the_emergency_exception_refuses_late_emergencies() -> None:
    strict = OutageNoticePolicy(allow_emergencies=False)
    with pytest.raises(OutageNoticeTooShort, match="allows no emergency exception"):
        strict.check(outage(STARTS.subtract(hours=1), emergency=True))


def test_a_community_sets_its_own_notice() -> None:
    three_days = OutageNoticePolicy(3 * 86_400)
    with pytest.raises(OutageNoticeTooShort, match="need 72 hours' notice"):
        three_days.check(outage(STARTS.subtract(days=2)))
    assert three_days.check(outage(STARTS.subtract(days=3))).rule is NoticeRule.ADVANCE_NOTICE


@pytest.mark.parametrize("notice", [-1, 1.5, True, "86400"])
def test_the_notice_is_whole_seconds(notice: Any) -> None:
    with pytest.raises(InvalidPolicy, match="minimum outage notice"):
        OutageNoticePolicy(notice)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": STARTS}, "not after it starts"),
        ({"ends_at": STARTS.subtract(hours=1)}, "not after it starts"),
        ({"announced_at": STARTS.add(minutes=1)}, "after it started"),
        ({"scope": " "}, "needs a scope"),
        ({"reason": ""}, "needs a reason"),
    ],
)
def test_malformed_outages_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidOutage, match=message):
        outage(STARTS.subtract(days=2), **changes)


def test_outage_instants_must_be_aware() -> None:
    with pytest.raises(NaiveDatetime):
        outage(datetime.datetime(2026, 7, 1, 9, 0))  # type: ignore[arg-type]  # noqa: DTZ001


def test_utilities_and_durations() -> None:
    assert [u.value for u in Utility] == ["water", "power", "gas", "heating", "lift"]
    assert Utility.WATER.label() == "停水"
    assert all(u.label() for u in Utility)
    assert outage(STARTS.subtract(days=2)).duration_seconds == 3 * 3600


@pytest.mark.parametrize(
    ("utility", "zh", "en"),
    [
        (Utility.WATER, "停水", "water outage"),
        (Utility.POWER, "停电", "power outage"),
        (Utility.GAS, "停气", "gas outage"),
        (Utility.HEATING, "停暖", "heating outage"),
        (Utility.LIFT, "电梯停运", "lift outage"),
    ],
)
def test_each_utility_has_a_label_in_each_locale(utility: Utility, zh: str, en: str) -> None:
    assert (utility.label(), utility.label("zh_CN"), utility.label("en_US")) == (zh, zh, en)


@pytest.mark.parametrize("locale", ["fr_FR", "zh", "en_GB"])
def test_a_utility_label_refuses_an_unsupported_locale(locale: str) -> None:
    with pytest.raises(UnsupportedLocale, match="'zh_CN' and 'en_US'"):
        Utility.GAS.label(locale)


def test_notice_is_elapsed_time_across_zones() -> None:
    announced = pendulum.datetime(2026, 7, 1, 1, 0, tz="UTC")  # 09:00 in Shanghai
    assert outage(announced).notice_seconds == 24 * 3600


@settings(max_examples=50)
@given(st.integers(min_value=0, max_value=4 * 86_400), st.booleans())
def test_a_late_outage_passes_only_as_an_emergency(notice: int, emergency: bool) -> None:
    planned = outage(STARTS.subtract(seconds=notice), emergency=emergency)
    if notice >= DEFAULT_OUTAGE_NOTICE_SECONDS:
        assert DEFAULT_OUTAGE_NOTICE.check(planned).rule is NoticeRule.ADVANCE_NOTICE
    elif emergency:
        assert DEFAULT_OUTAGE_NOTICE.check(planned).rule is NoticeRule.EMERGENCY
    else:
        with pytest.raises(OutageNoticeTooShort):
            DEFAULT_OUTAGE_NOTICE.check(planned)
