"""Tests for complaints._states: the states, their labels and ISO 10002 stages."""

from __future__ import annotations

import pytest

from propcrm.complaints import TERMINAL_STATES, Iso10002Stage, State
from propcrm.errors import UnsupportedLocale

LABELS = {
    State.RECEIVED: ("已接收", "received"),
    State.ACKNOWLEDGED: ("已受理", "acknowledged"),
    State.ASSESSED: ("已评估", "assessed"),
    State.QUOTED: ("已报价", "quoted"),
    State.ACCEPTED: ("客户已确认", "quote accepted"),
    State.DISPATCHED: ("已派工", "dispatched"),
    State.IN_PROGRESS: ("处理中", "in progress"),
    State.ON_HOLD: ("挂起", "on hold"),
    State.IN_MEDIATION: ("调解中", "in mediation"),
    State.RESOLVED: ("已解决", "resolved"),
    State.CALLED_BACK: ("已回访", "called back"),
    State.REOPENED: ("重新处理", "reopened"),
    State.CLOSED: ("已关闭", "closed"),
    State.REJECTED: ("不予受理", "rejected"),
    State.DUPLICATE: ("重复", "duplicate"),
    State.WITHDRAWN: ("已撤回", "withdrawn"),
}

STAGES = {
    State.RECEIVED: Iso10002Stage.RECEIPT,
    State.ACKNOWLEDGED: Iso10002Stage.ACKNOWLEDGEMENT,
    State.ASSESSED: Iso10002Stage.INITIAL_ASSESSMENT,
    State.QUOTED: Iso10002Stage.INITIAL_ASSESSMENT,
    State.ACCEPTED: Iso10002Stage.INITIAL_ASSESSMENT,
    State.DISPATCHED: Iso10002Stage.INVESTIGATION,
    State.IN_PROGRESS: Iso10002Stage.INVESTIGATION,
    State.ON_HOLD: Iso10002Stage.INVESTIGATION,
    State.REOPENED: Iso10002Stage.INVESTIGATION,
    State.IN_MEDIATION: Iso10002Stage.MEDIATION,
    State.RESOLVED: Iso10002Stage.RESPONSE,
    State.CALLED_BACK: Iso10002Stage.COMMUNICATING_DECISION,
    State.REJECTED: Iso10002Stage.COMMUNICATING_DECISION,
    State.DUPLICATE: Iso10002Stage.CLOSING,
    State.WITHDRAWN: Iso10002Stage.CLOSING,
    State.CLOSED: Iso10002Stage.CLOSING,
}


def test_the_issue_states_are_all_there() -> None:
    assert set(LABELS) == set(State)
    assert set(STAGES) == set(State)


@pytest.mark.parametrize("state", list(State))
def test_every_state_has_a_chinese_and_an_english_label(state: State) -> None:
    zh, en = LABELS[state]
    assert state.label() == zh
    assert state.label("zh_CN") == zh
    assert state.label("en_US") == en


def test_a_state_label_in_an_unsupported_locale_is_refused() -> None:
    with pytest.raises(UnsupportedLocale, match="'zh_TW' is not supported"):
        State.CLOSED.label("zh_TW")


@pytest.mark.parametrize("state", list(State))
def test_every_state_has_its_iso_10002_stage(state: State) -> None:
    assert state.stage is STAGES[state]


def test_every_iso_stage_is_used_by_some_state() -> None:
    assert {s.stage for s in State} == set(Iso10002Stage)


def test_the_terminal_states_are_rejected_duplicate_and_withdrawn() -> None:
    assert frozenset({State.REJECTED, State.DUPLICATE, State.WITHDRAWN}) == TERMINAL_STATES
    # A closed request may be reopened under the policy: not terminal.
    assert State.CLOSED not in TERMINAL_STATES
