"""Tests for demo.complaints: the demo's complaint walks the whole lifecycle."""

from __future__ import annotations

import pytest

from propcrm.complaints import (
    Action,
    CallbackOutcome,
    Request,
    Role,
    State,
)
from propcrm.demo._complaints import DEMO_POLICY, run_complaints, sample_complaint
from propcrm.sla import TargetKind


def test_the_complaint_ends_closed_after_one_automatic_reopen() -> None:
    complaint = sample_complaint()
    assert complaint.state is State.CLOSED
    assert complaint.reopens == 1
    assert [c.outcome for c in complaint.callbacks] == [
        CallbackOutcome.DISSATISFIED,
        CallbackOutcome.SATISFIED,
    ]
    reopen = next(s for s in complaint.history if s.action is Action.REOPEN)
    assert reopen.actor.role is Role.SYSTEM


def test_the_history_replays_to_the_same_complaint() -> None:
    complaint = sample_complaint()
    replayed = Request.replay(complaint.history, DEMO_POLICY)
    assert replayed == complaint
    assert replayed.clocks == complaint.clocks


def test_each_resolution_owes_its_own_callback() -> None:
    callback = sample_complaint().clocks.clock(TargetKind.CALLBACK)
    assert callback.cycle == 2
    assert len(callback.outcomes) == 1


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("zh_CN", ["投诉处理全过程", "重新处理", "按 13 条历史重放：一致", "回访 #2: 达成"]),
        ("en_US", ["A complaint from receipt", "reopen", "identical", "call-back #2: met"]),
    ],
)
def test_the_demo_prints_every_step_and_the_clocks(locale: str, expected: list[str]) -> None:
    text = run_complaints(locale)
    for fragment in expected:
        assert fragment in text
    assert len(text.splitlines()) == 2 + 13 + 1 + 1 + 4
