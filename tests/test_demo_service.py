"""Tests for the demo service: the demo's requests show the priority their deadlines use."""

from __future__ import annotations

import re

import pytest

from propcrm.classification import DEFAULT_RULES, classify
from propcrm.demo._service import run_service, sample_requests
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    BusinessCalendar,
    CalendarSet,
    RequestClocks,
    Started,
    Within,
)

LOCALES = ["zh_CN", "en_US"]
# A level as the demo prints it: its code and its name in the locale.
_PRIORITY = re.compile(r"P\d (?:extra-urgent|urgent|general|特急|急|一般)")


def blocks(text: str) -> dict[str, str]:
    """Each request's lines of the demo, by request id."""
    found: dict[str, str] = {}
    current = None
    for line in text.splitlines()[1:]:
        if re.match(r"R-\d\d ", line):
            current = line.split()[0]
            found[current] = line
        elif current is not None:
            found[current] += "\n" + line
    return found


def final_priority(request_id: str, locale: str) -> str:
    """The priority a sample request's clocks end at, as the demo prints priorities."""
    request = next(r for r in sample_requests() if r.request_id == request_id)
    found = classify(request.facts, DEFAULT_RULES)
    calendars = CalendarSet((BusinessCalendar.always(), BusinessCalendar.china_service_hours()))
    clocks = RequestClocks.replay(
        request_id,
        found.priority.code,
        DEFAULT_SLA_POLICY,
        calendars,
        [Started(request.facts.received_at, "desk"), *request.later],
    )
    level = found.scale[clocks.priority]
    return f"{level.code} {level.name(locale)}"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_last_priority_shown_is_the_one_the_deadlines_use(locale: str) -> None:
    shown = blocks(run_service(locale))
    assert list(shown) == [r.request_id for r in sample_requests()]
    for request_id, block in shown.items():
        assert _PRIORITY.findall(block)[-1] == final_priority(request_id, locale), block


@pytest.mark.parametrize(
    ("locale", "line"),
    [
        (
            "zh_CN",
            ("    03-02 09:05 值班主管 将优先级由 P2 急 调整为 P1 特急：电梯内有老人被困"),
        ),
        (
            "en_US",
            (
                "    03-02 09:05 值班主管 changed the priority from P2 urgent to P1 extra-urgent: "
                "电梯内有老人被困"
            ),
        ),
    ],
)
def test_r04_shows_the_staff_change_from_p2_to_p1(locale: str, line: str) -> None:
    r04 = blocks(run_service(locale))["R-04"].splitlines()
    assert r04[2] == line  # after the classification, before the deadline it explains
    assert Within(600).describe(locale) in r04[3]
    assert "2026-03-02 09:10" in r04[3]


@pytest.mark.parametrize(
    ("locale", "line"),
    [
        (
            "zh_CN",
            ("    由 P2 急 上调至 P1 特急（上调规则“elderly-alone-at-home”）"),
        ),
        (
            "en_US",
            ("    raised from P2 urgent to P1 extra-urgent by raise rule 'elderly-alone-at-home'"),
        ),
    ],
)
def test_r05_names_the_raise_rule(locale: str, line: str) -> None:
    assert line in blocks(run_service(locale))["R-05"].splitlines()
