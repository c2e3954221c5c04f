"""Tests for complaints._transitions: the one declared transition table."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.complaints import (
    DEFAULT_TRANSITIONS,
    TERMINAL_STATES,
    Action,
    Field,
    Guard,
    RequestKind,
    Role,
    State,
    Transition,
    TransitionTable,
)
from propcrm.complaints._transitions import ALL_KINDS
from propcrm.errors import IllegalTransition, InvalidLifecycle, RequestError, UnsupportedLocale

T = DEFAULT_TRANSITIONS
DESK = {Role.AGENT}


def receive_row(kinds: frozenset[RequestKind] = ALL_KINDS) -> Transition:
    return Transition(
        Action.RECEIVE,
        (),
        State.RECEIVED,
        {Role.AGENT},
        needs={Field.INTAKE, Field.PRIORITY},
        kinds=kinds,
    )


def tiny_table(*extra: Transition) -> TransitionTable:
    """Received → acknowledged → withdrawn: the smallest table with no dead end."""
    return TransitionTable(
        (
            receive_row(),
            Transition(Action.ACKNOWLEDGE, {State.RECEIVED}, State.ACKNOWLEDGED, DESK),
            Transition(Action.WITHDRAW, {State.ACKNOWLEDGED}, State.WITHDRAWN, DESK),
            *extra,
        )
    )


# -- labels ---------------------------------------------------------------------------------


@pytest.mark.parametrize("action", list(Action))
def test_every_action_has_a_chinese_and_an_english_label(action: Action) -> None:
    zh, en = action.label(), action.label("en_US")
    assert zh
    assert en
    assert zh != en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)
    assert en.isascii()


def test_action_labels_follow_the_brief() -> None:
    assert Action.ACKNOWLEDGE.label() == "受理"
    assert Action.DISPATCH.label() == "派工"
    assert Action.CALL_BACK.label() == "回访"
    assert Action.AGREE_TIME.label("en_US") == "agree a time"


def test_an_action_label_in_an_unsupported_locale_is_refused() -> None:
    with pytest.raises(UnsupportedLocale, match="'de_DE' is not supported"):
        Action.RESOLVE.label("de_DE")


# -- lookups in the default table -----------------------------------------------------------


def test_allowed_is_sorted_by_code() -> None:
    assert T.allowed(State.RESOLVED, RequestKind.REPAIR) == (
        Action.CALL_BACK,
        Action.CALLBACK_ATTEMPT,
        Action.ESCALATE,
    )
    for kind in RequestKind:
        for state in State:
            codes = [a.value for a in T.allowed(state, kind)]
            assert codes == sorted(codes)


@pytest.mark.parametrize("state", sorted(TERMINAL_STATES, key=lambda s: s.value))
@pytest.mark.parametrize("kind", list(RequestKind))
def test_nothing_leaves_a_terminal_state(state: State, kind: RequestKind) -> None:
    assert T.allowed(state, kind) == ()


def test_allowed_depends_on_the_kind() -> None:
    assert Action.QUOTE in T.allowed(State.ASSESSED, RequestKind.SPECIAL_SERVICE)
    assert Action.QUOTE not in T.allowed(State.ASSESSED, RequestKind.REPAIR)
    assert Action.REFER_TO_MEDIATION in T.allowed(State.IN_PROGRESS, RequestKind.COMPLAINT)
    assert Action.REFER_TO_MEDIATION not in T.allowed(State.IN_PROGRESS, RequestKind.REPAIR)
    # An enquiry is answered at the desk; a repair is not.
    assert Action.RESOLVE in T.allowed(State.ASSESSED, RequestKind.ENQUIRY)
    assert Action.RESOLVE not in T.allowed(State.ASSESSED, RequestKind.REPAIR)
    # A special service is dispatched only once its quote is accepted.
    assert Action.DISPATCH not in T.allowed(State.ASSESSED, RequestKind.SPECIAL_SERVICE)
    assert Action.DISPATCH in T.allowed(State.ACCEPTED, RequestKind.SPECIAL_SERVICE)


def test_find_returns_the_row() -> None:
    row = T.find(State.IN_PROGRESS, Action.RESOLVE, RequestKind.REPAIR)
    assert row.action is Action.RESOLVE
    assert row.target is State.RESOLVED
    assert row.needs == {Field.NOTE}
    assert Guard.HANDLER_IS_ASSIGNEE in row.guards


def test_find_picks_the_row_of_the_kind() -> None:
    desk = T.find(State.ASSESSED, Action.RESOLVE, RequestKind.ENQUIRY)
    assert Role.HANDLER not in desk.roles
    assert Role.AGENT in desk.roles
    mediated = T.find(State.IN_MEDIATION, Action.RESOLVE, RequestKind.COMPLAINT)
    assert mediated.roles == {Role.SUPERVISOR, Role.MANAGER}


def test_find_names_state_action_and_allowed_actions() -> None:
    with pytest.raises(IllegalTransition) as caught:
        T.find(State.IN_PROGRESS, Action.CLOSE, RequestKind.REPAIR)
    assert str(caught.value) == (
        "a repair request in state in_progress cannot close; from in_progress it can: "
        "escalate, hold, reassign, reprioritise, resolve, update, withdraw."
    )


def test_find_from_a_terminal_state_says_final() -> None:
    with pytest.raises(IllegalTransition, match=r"withdrawn it can: none \(final\)\."):
        T.find(State.WITHDRAWN, Action.REOPEN, RequestKind.COMPLAINT)


def test_find_never_finds_receive_from_a_state() -> None:
    with pytest.raises(IllegalTransition, match="cannot receive"):
        T.find(State.RECEIVED, Action.RECEIVE, RequestKind.REPAIR)


def test_illegal_transition_is_a_request_error_and_a_value_error() -> None:
    assert issubclass(IllegalTransition, RequestError)
    assert issubclass(IllegalTransition, ValueError)


def test_find_agrees_with_allowed_everywhere() -> None:
    for kind in RequestKind:
        for state in State:
            allowed = set(T.allowed(state, kind))
            for action in Action:
                if action in allowed:
                    row = T.find(state, action, kind)
                    assert row.action is action
                    assert state in row.sources
                    assert kind in row.kinds
                else:
                    with pytest.raises(IllegalTransition):
                        T.find(state, action, kind)


@pytest.mark.parametrize("kind", list(RequestKind))
def test_every_kind_has_a_receive_row_leading_to_received(kind: RequestKind) -> None:
    row = T.receive_row(kind)
    assert row.action is Action.RECEIVE
    assert row.target is State.RECEIVED
    assert row.needs == {Field.INTAKE, Field.PRIORITY}
    assert row.guards == (Guard.RESPONSE_TARGET,)  # 有求必应


def test_receive_row_for_a_kind_the_table_lacks() -> None:
    table = TransitionTable(
        (
            receive_row(frozenset({RequestKind.REPAIR})),
            Transition(Action.WITHDRAW, {State.RECEIVED}, State.WITHDRAWN, DESK),
        )
    )
    assert table.receive_row(RequestKind.REPAIR).target is State.RECEIVED
    with pytest.raises(IllegalTransition, match="no receive row for complaint"):
        table.receive_row(RequestKind.COMPLAINT)
    assert table.reachable(RequestKind.COMPLAINT) == ()


# -- reachability ---------------------------------------------------------------------------

_EVERYWHERE = {
    State.RECEIVED,
    State.ACKNOWLEDGED,
    State.ASSESSED,
    State.DISPATCHED,
    State.IN_PROGRESS,
    State.ON_HOLD,
    State.RESOLVED,
    State.CALLED_BACK,
    State.REOPENED,
    State.CLOSED,
    State.REJECTED,
    State.DUPLICATE,
    State.WITHDRAWN,
}


@pytest.mark.parametrize(
    ("kind", "also"),
    [
        (RequestKind.REPAIR, set()),
        (RequestKind.ENQUIRY, set()),
        (RequestKind.SUGGESTION, set()),
        (RequestKind.COMPLAINT, {State.IN_MEDIATION}),
        (RequestKind.SPECIAL_SERVICE, {State.QUOTED, State.ACCEPTED}),
    ],
)
def test_reachable_states_per_kind(kind: RequestKind, also: set[State]) -> None:
    reachable = T.reachable(kind)
    assert set(reachable) == _EVERYWHERE | also
    assert list(reachable) == sorted(reachable, key=list(State).index)  # in State order


def test_every_state_is_reachable_by_some_kind() -> None:
    assert {s for k in RequestKind for s in T.reachable(k)} == set(State)


def test_every_reachable_open_state_has_a_way_on() -> None:
    for kind in RequestKind:
        for state in T.reachable(kind):
            assert bool(T.allowed(state, kind)) == (state not in TERMINAL_STATES)


# -- what the issue asks of the default rows -------------------------------------------------


def test_the_issue_data_requirements() -> None:
    repair = RequestKind.REPAIR
    assert Field.NOTE in T.find(State.IN_PROGRESS, Action.RESOLVE, repair).needs
    close = T.find(State.CALLED_BACK, Action.CLOSE, repair)
    assert {Guard.RESOLUTION_RECORDED, Guard.CALLBACK_RECORDED} <= set(close.guards)
    call_back = T.find(State.RESOLVED, Action.CALL_BACK, repair)
    assert Field.OUTCOME in call_back.needs
    assert Field.SCORE in call_back.fields
    assert Guard.CALLBACK_OUTCOME in call_back.guards
    for state, action in [
        (State.ASSESSED, Action.REJECT),
        (State.IN_PROGRESS, Action.WITHDRAW),
        (State.CLOSED, Action.REOPEN),
    ]:
        assert Field.REASON in T.find(state, action, repair).needs
    assert Field.REFERRAL in T.find(State.ASSESSED, Action.REJECT, repair).needs


def test_escalation_and_reassignment_carry_a_level_or_an_assignee_and_keep_the_request_open() -> (
    None
):
    for kind in RequestKind:
        for state in T.reachable(kind):
            for action in (Action.ESCALATE, Action.REASSIGN):
                if action not in T.allowed(state, kind):
                    continue
                row = T.find(state, action, kind)
                carried = Field.LEVEL if action is Action.ESCALATE else Field.ASSIGNEE
                assert carried in row.needs
                after = row.leads_to(state)
                assert after not in TERMINAL_STATES
                assert T.allowed(after, kind)


# -- Transition validation ------------------------------------------------------------------


def test_transition_fields_and_leads_to() -> None:
    row = Transition(
        Action.ESCALATE,
        {State.IN_PROGRESS, State.ON_HOLD},
        None,
        [Role.SUPERVISOR],
        needs=[Field.LEVEL],
        takes=[Field.ASSIGNEE],
    )
    assert row.fields == {Field.LEVEL, Field.ASSIGNEE}
    assert row.kinds == ALL_KINDS
    assert row.guards == ()
    assert row.leads_to(State.ON_HOLD) is State.ON_HOLD  # target None: it stays
    moving = Transition(Action.START, {State.DISPATCHED}, State.IN_PROGRESS, {Role.HANDLER})
    assert moving.leads_to(State.DISPATCHED) is State.IN_PROGRESS


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"action": Action.RECEIVE, "sources": {State.RECEIVED}},
            "only receive has no source state",
        ),
        ({"action": Action.START, "sources": ()}, "only receive has no source state"),
        ({"sources": {"received"}}, "sources are States"),
        ({"target": "in_progress"}, r"leads to a State \(or None: stays\)"),
        ({"roles": ()}, "non-empty set of Roles"),
        ({"roles": {"handler"}}, "non-empty set of Roles"),
        ({"needs": {"note"}}, "data are Fields"),
        ({"takes": {"note"}}, "data are Fields"),
        ({"kinds": ()}, "non-empty set of RequestKinds"),
        ({"kinds": {"repair"}}, "non-empty set of RequestKinds"),
        ({"guards": ["has_assignee"]}, "guards are Guards"),
        (
            {"needs": {Field.NOTE}, "takes": {Field.NOTE, Field.TEAM}},
            "both needs and takes note; list each field once",
        ),
    ],
)
def test_transition_refuses_bad_rows(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "action": Action.START,
        "sources": {State.DISPATCHED},
        "target": State.IN_PROGRESS,
        "roles": {Role.HANDLER},
    }
    args.update(kwargs)
    with pytest.raises(InvalidLifecycle, match=message):
        Transition(**args)  # type: ignore[arg-type]  # bad input on purpose


def test_receive_must_lead_somewhere() -> None:
    with pytest.raises(InvalidLifecycle, match="receive"):
        Transition(Action.RECEIVE, (), None, {Role.AGENT})


# -- TransitionTable validation -------------------------------------------------------------


def test_a_small_valid_table() -> None:
    table = tiny_table()
    assert table.reachable(RequestKind.REPAIR) == (
        State.RECEIVED,
        State.ACKNOWLEDGED,
        State.WITHDRAWN,
    )
    assert table == tiny_table()


def test_a_table_refuses_two_rows_for_one_step() -> None:
    clash = Transition(
        Action.WITHDRAW,
        {State.ACKNOWLEDGED},
        State.WITHDRAWN,
        {Role.REQUESTER},
        kinds={RequestKind.COMPLAINT},
    )
    with pytest.raises(
        InvalidLifecycle,
        match="two rows let a complaint withdraw from acknowledged; each step must have "
        "exactly one row",
    ):
        tiny_table(clash)


def test_rows_for_other_kinds_do_not_clash() -> None:
    special = Transition(
        Action.WITHDRAW,
        {State.RECEIVED},
        State.WITHDRAWN,
        DESK,
        kinds={RequestKind.SPECIAL_SERVICE},
    )
    other = Transition(
        Action.WITHDRAW,
        {State.RECEIVED},
        State.WITHDRAWN,
        {Role.REQUESTER},
        kinds=ALL_KINDS - {RequestKind.SPECIAL_SERVICE},
    )
    table = tiny_table(special, other)
    assert table.find(State.RECEIVED, Action.WITHDRAW, RequestKind.SPECIAL_SERVICE) is special
    assert table.find(State.RECEIVED, Action.WITHDRAW, RequestKind.REPAIR) is other


def test_a_table_refuses_two_receive_rows_for_a_kind() -> None:
    with pytest.raises(InvalidLifecycle, match="two rows let a repair receive from nowhere"):
        tiny_table(receive_row(frozenset({RequestKind.REPAIR})))


def test_a_table_needs_a_receive_row() -> None:
    with pytest.raises(InvalidLifecycle, match="needs a receive row"):
        TransitionTable((Transition(Action.WITHDRAW, {State.RECEIVED}, State.WITHDRAWN, DESK),))


def test_a_table_refuses_a_reachable_dead_end() -> None:
    with pytest.raises(
        InvalidLifecycle,
        match="a complaint request can reach acknowledged but no row leaves it",
    ):
        TransitionTable(
            (
                receive_row(),
                Transition(Action.ACKNOWLEDGE, {State.RECEIVED}, State.ACKNOWLEDGED, DESK),
            )
        )


def test_an_unreachable_dead_end_is_no_matter() -> None:
    # Nothing leads to ON_HOLD, so nothing needs to leave it.
    hold = Transition(
        Action.WITHDRAW, {State.ON_HOLD}, State.WITHDRAWN, DESK, kinds={RequestKind.REPAIR}
    )
    assert State.ON_HOLD not in tiny_table(hold).reachable(RequestKind.REPAIR)


def test_a_table_holds_transitions_only() -> None:
    with pytest.raises(InvalidLifecycle, match="holds Transitions"):
        TransitionTable((receive_row(), "withdraw"))  # type: ignore[arg-type]  # on purpose


def test_a_table_refuses_a_row_leaving_a_terminal_state() -> None:
    # TERMINAL_STATES are "states nothing leaves" and Request.is_final relies on it.
    undo = Transition(Action.REOPEN, {State.WITHDRAWN}, State.REOPENED, DESK)
    with pytest.raises(InvalidLifecycle, match="withdrawn"):
        tiny_table(
            undo,
            Transition(Action.WITHDRAW, {State.REOPENED}, State.WITHDRAWN, DESK),
        )


# -- properties -----------------------------------------------------------------------------


@settings(max_examples=60)
@given(st.sets(st.sampled_from(range(len(T.rows))), min_size=1))
def test_any_sub_table_is_refused_or_consistent(chosen: set[int]) -> None:
    rows = [T.rows[i] for i in sorted(chosen)]
    try:
        table = TransitionTable(rows)
    except InvalidLifecycle:
        return  # refused as a whole: no receive row, or a dead end
    for kind in RequestKind:
        reachable = table.reachable(kind)
        for state in reachable:
            assert state in TERMINAL_STATES or table.allowed(state, kind)
        for state in State:
            allowed = set(table.allowed(state, kind))
            for action in Action:
                if action in allowed:
                    assert table.find(state, action, kind).action is action
                else:
                    with pytest.raises(IllegalTransition):
                        table.find(state, action, kind)


@given(
    st.sampled_from(list(RequestKind)),
    st.lists(st.integers(min_value=0, max_value=1000), max_size=12),
)
def test_walking_the_table_stays_in_reachable_states(kind: RequestKind, picks: list[int]) -> None:
    state = T.receive_row(kind).leads_to(State.RECEIVED)
    reachable = set(T.reachable(kind))
    for pick in picks:
        assert state in reachable
        allowed = T.allowed(state, kind)
        if not allowed:
            assert state in TERMINAL_STATES
            return
        row = T.find(state, allowed[pick % len(allowed)], kind)
        state = row.leads_to(state)
    assert state in reachable
