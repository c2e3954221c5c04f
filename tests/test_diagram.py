"""Tests for complaints._diagram: the lifecycle drawn from the one transition table.

The docs page docs/complaints.md embeds the generated diagram and table; the last tests fail
when they drift. Regenerate them with ``PYTHONPATH=. /work/venv/bin/python tests/test_diagram.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from babel import Locale
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.complaints import (
    DEFAULT_TRANSITIONS,
    TERMINAL_STATES,
    Action,
    Field,
    RequestKind,
    Role,
    State,
    Transition,
    TransitionTable,
    mermaid,
    transition_table_markdown,
)
from propcrm.complaints._transitions import ALL_KINDS
from propcrm.errors import InvalidLifecycle, UnsupportedLocale

EDGE = re.compile(r"^    (?P<source>\w+|\[\*\]) --> (?P<target>\w+|\[\*\])(?: : (?P<label>.+))?$")
BOX_TITLE = re.compile(r'^        state "(?P<title>[^"]+)" as (?P<box>keep_\w+)$')
BOX_LINE = re.compile(r"^        (?P<box>keep_\w+) : (?P<text>.+)$")
STATE_NAME = re.compile(r'^    state "(?P<label>[^"]+)" as (?P<state>\w+)$')


def edges(diagram: str) -> set[tuple[str, str, str]]:
    """(source, target, first word of the label) of every arrow."""
    found = set()
    for line in diagram.splitlines():
        match = EDGE.match(line)
        if match:
            label = match["label"] or ""
            found.add((match["source"], match["target"], label.split(" ")[0]))
    return found


def kept(diagram: str) -> dict[str, set[str]]:
    """For each action title in the "keeps the state" section, the states its boxes list."""
    titles: dict[str, str] = {}
    states: dict[str, set[str]] = {}
    for line in diagram.splitlines():
        if match := BOX_TITLE.match(line):
            titles[match["box"]] = match["title"]
            states.setdefault(match["title"], set())
        elif (match := BOX_LINE.match(line)) and not match["text"].startswith("["):
            words = match["text"].removeprefix("in ").removeprefix("适用于 ")
            names = {w for w in re.split(r"[,、]\s*", words) if w}
            states[titles[match["box"]]] |= names
    return states


def steps_of(table: TransitionTable, kind: RequestKind | None = None) -> set[tuple[str, str, str]]:
    """Every (source, target, action) the table allows (for ``kind``, from states it reaches)."""
    reachable = set(table.reachable(kind)) if kind is not None else set(State)
    found = set()
    for row in table.rows:
        if kind is not None and kind not in row.kinds:
            continue
        if row.action is Action.RECEIVE:
            assert row.target is not None
            found.add(("[*]", row.target.value, row.action.value))
        for source in row.sources & reachable:
            found.add((source.value, row.leads_to(source).value, row.action.value))
    return found


def drawn(diagram: str) -> set[tuple[str, str, str]]:
    """The steps a diagram shows: its arrows (but the ends) and its kept-state boxes."""
    arrows = {e for e in edges(diagram) if e[1] != "[*]"}
    loops = {(s, s, action) for action, states in kept(diagram).items() for s in states}
    return arrows | loops


# -- the diagram shows the table ------------------------------------------------------------


def test_every_row_of_the_default_table_is_drawn() -> None:
    assert drawn(mermaid()) == steps_of(DEFAULT_TRANSITIONS)


@pytest.mark.parametrize("kind", list(RequestKind), ids=lambda k: k.value)
def test_a_kinds_diagram_draws_exactly_its_steps(kind: RequestKind) -> None:
    diagram = mermaid(kind=kind)
    assert drawn(diagram) == steps_of(DEFAULT_TRANSITIONS, kind)
    assert " only)" not in diagram  # one kind: no row is limited within it
    assert "except" not in diagram


def test_the_repair_lifecycle_has_no_quote_and_no_mediation() -> None:
    diagram = mermaid(kind=RequestKind.REPAIR)
    assert "quoted" not in diagram
    assert "in_mediation" not in diagram
    assert "    in_progress --> resolved : resolve [handler, supervisor, manager] needs note" in (
        diagram.splitlines()
    )


def test_edges_carry_roles_needs_and_kind_limits() -> None:
    lines = mermaid().splitlines()
    assert (
        "    [*] --> received : receive [requester, agent, system] needs intake, priority" in lines
    )
    assert "    called_back --> closed : close [agent, supervisor, manager]" in lines
    assert (
        "    assessed --> resolved : resolve [agent, supervisor, manager] needs note "
        "(enquiry, suggestion only)" in lines
    )
    assert (
        "    assessed --> dispatched : dispatch [agent, dispatcher, supervisor, manager] "
        "needs assignee (except special_service)" in lines
    )
    # The two dispatch rows from reopened (special services and the rest) are one arrow.
    assert (
        "    reopened --> dispatched : dispatch [agent, dispatcher, supervisor, manager] "
        "needs assignee" in lines
    )


def test_steps_that_keep_the_state_are_boxes_not_loops() -> None:
    diagram = mermaid()
    arrows = edges(diagram)
    assert all(source != target for source, target, _ in arrows)
    (escalate,) = [r for r in DEFAULT_TRANSITIONS.rows if r.action is Action.ESCALATE]
    assert kept(diagram)["escalate"] == {s.value for s in escalate.sources}
    assert kept(diagram)["quote"] == {"quoted"}
    assert kept(diagram)["reassign"] == {"dispatched", "on_hold", "reopened"}


def test_the_ends_are_the_terminal_states_and_closed() -> None:
    ends = {source for source, target, _ in edges(mermaid()) if target == "[*]"}
    assert ends == {s.value for s in TERMINAL_STATES} | {"closed"}


def test_the_output_is_mermaid_state_diagram_syntax() -> None:
    lines = mermaid().splitlines()
    assert lines[0] == "stateDiagram-v2"
    for line in lines[1:]:
        ok = (
            EDGE.match(line)
            or BOX_TITLE.match(line)
            or BOX_LINE.match(line)
            or line in ('    state "steps that keep the state" as keeps_state {', "    }")
        )
        assert ok, line
        # Mermaid ends a label at a colon or a semicolon, and a quote ends a state name.
        label = line.partition(" : ")[2]
        assert not set(label) & set(':;"'), line


def test_a_repeated_action_gets_one_box_per_distinct_row() -> None:
    table = TransitionTable(
        [
            Transition(Action.RECEIVE, (), State.RECEIVED, {Role.AGENT}, needs={Field.INTAKE}),
            Transition(
                Action.UPDATE,
                {State.RECEIVED},
                None,
                {Role.AGENT},
                needs={Field.NOTE},
                kinds={RequestKind.COMPLAINT},
            ),
            Transition(
                Action.UPDATE,
                {State.RECEIVED},
                None,
                {Role.MANAGER},
                kinds=ALL_KINDS - {RequestKind.COMPLAINT},
            ),
            Transition(Action.WITHDRAW, {State.RECEIVED}, State.WITHDRAWN, {Role.REQUESTER}),
        ]
    )
    lines = mermaid(table).splitlines()
    assert '        state "update" as keep_update' in lines
    assert '        state "update" as keep_update_2' in lines
    assert "        keep_update : [agent] needs note (complaint only)" in lines
    assert "        keep_update_2 : [manager] (except complaint)" in lines


@settings(max_examples=15)
@given(st.permutations(DEFAULT_TRANSITIONS.rows))
def test_the_diagram_does_not_depend_on_row_order(rows: list[Transition]) -> None:
    assert mermaid(TransitionTable(rows)) == mermaid()


def test_the_diagram_is_the_same_text_every_time() -> None:
    assert mermaid() == mermaid(DEFAULT_TRANSITIONS, kind=None, locale="en_US")
    assert mermaid(locale="zh_CN") == mermaid(locale="zh_CN")


# -- Chinese labels -------------------------------------------------------------------------


def test_chinese_labels_name_states_actions_and_roles() -> None:
    diagram = mermaid(locale="zh_CN")
    lines = diagram.splitlines()
    names = {m["state"]: m["label"] for line in lines if (m := STATE_NAME.match(line))}
    assert names == {s.value: s.label("zh_CN") for s in State}
    assert "    in_progress --> resolved : 办结 [维修/处理人员、主管、经理] 需 note" in lines
    assert '    state "不改变状态的步骤" as keeps_state {' in lines
    assert '        state "升级" as keep_escalate' in lines
    assert "（仅特约服务）" in diagram
    # The arrows are the same as in English; only their words differ.
    assert {(s, t) for s, t, _ in edges(diagram)} == {(s, t) for s, t, _ in edges(mermaid())}
    assert "needs" not in diagram
    assert not any(f": {action.value} [" in diagram for action in Action)


def test_either_spelling_of_a_locale_draws_the_same_and_others_are_refused() -> None:
    assert mermaid(locale="zh-CN") == mermaid(locale="zh_CN")
    assert mermaid(locale=Locale.parse("en_US")) == mermaid(locale="en_US")
    assert transition_table_markdown(locale="zh-cn") == transition_table_markdown(locale="zh_CN")
    # Only zh_CN and en_US have catalogs: no silent Simplified Chinese for Taiwan, no codes for
    # British English.
    for locale in ("zh_Hant_TW", "en_GB"):
        with pytest.raises(UnsupportedLocale):
            mermaid(locale=locale)
        with pytest.raises(UnsupportedLocale):
            transition_table_markdown(locale=locale)


# -- the Markdown table ---------------------------------------------------------------------


def test_the_markdown_table_has_one_line_per_row() -> None:
    lines = transition_table_markdown().splitlines()
    assert lines[0] == "| action | from | to | roles | needs | takes | kinds | guards |"
    assert len(lines) == 2 + len(DEFAULT_TRANSITIONS.rows)
    for line, row in zip(lines[2:], DEFAULT_TRANSITIONS.rows, strict=True):
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        assert len(cells) == 8, line
        assert cells[0] == row.action.value
        assert cells[2] == (row.target.value if row.target else "(stays)")
        assert set(cells[3].split(", ")) == {r.value for r in row.roles}
        assert cells[7] == (", ".join(g.value for g in row.guards) or "—")


def test_the_markdown_table_shows_kinds_and_guards() -> None:
    lines = transition_table_markdown().splitlines()
    assert (
        "| close | called_back | closed | agent, supervisor, manager | — | reason, note | all | "
        "resolution_recorded, callback_recorded, dissatisfied_close |" in lines
    )
    assert (
        "| refer_to_mediation | assessed, in_progress, on_hold, called_back, reopened | "
        "in_mediation | supervisor, manager | reason, referral | — | complaint | — |" in lines
    )


def test_the_chinese_markdown_table() -> None:
    lines = transition_table_markdown(locale="zh_CN").splitlines()
    assert lines[0] == "| 动作 | 从 | 到 | 角色 | 必需数据 | 可带数据 | 适用类型 | 守卫 |"
    assert "| 回访未接通 | 已解决 | （不变） | 客服、主管、经理 | — | note | 全部 | — |" in lines


# -- bad input ------------------------------------------------------------------------------


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(InvalidLifecycle, match="TransitionTable"):
        mermaid("not a table")  # type: ignore[arg-type]  # the refusal is what is tested
    with pytest.raises(InvalidLifecycle, match="RequestKind"):
        mermaid(kind="repair")  # type: ignore[arg-type]  # the refusal is what is tested
    with pytest.raises(UnsupportedLocale):
        mermaid(locale="klingon-ish")
    with pytest.raises(UnsupportedLocale):
        mermaid(locale=7)  # type: ignore[arg-type]  # the refusal is what is tested
    with pytest.raises(InvalidLifecycle, match="TransitionTable"):
        transition_table_markdown(DEFAULT_TRANSITIONS.rows)  # type: ignore[arg-type]  # tested


# -- the committed docs page ----------------------------------------------------------------

DOCS = Path(__file__).resolve().parent.parent / "docs" / "complaints.md"


def _diagram_section() -> str:
    return "```mermaid\n" + mermaid() + "\n```"


def _table_section() -> str:
    return transition_table_markdown()


SECTIONS: dict[str, Callable[[], str]] = {
    "lifecycle-diagram": _diagram_section,
    "transitions": _table_section,
}


def regenerated(text: str) -> str:
    """``text`` with each generated section replaced by what the code generates now."""
    for name, generate in SECTIONS.items():
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        before, found, rest = text.partition(start)
        assert found, f"docs/complaints.md lacks the marker {start}"
        _, found, after = rest.partition(end)
        assert found, f"docs/complaints.md lacks the marker {end}"
        text = f"{before}{start}\n{generate()}\n{end}{after}"
    return text


def test_the_committed_diagram_and_table_are_the_generated_ones() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert text == regenerated(text), (
        "docs/complaints.md is out of date with the transition table; regenerate it: "
        "PYTHONPATH=. /work/venv/bin/python tests/test_diagram.py"
    )


if __name__ == "__main__":  # regenerate the page's sections
    DOCS.write_text(regenerated(DOCS.read_text(encoding="utf-8")), encoding="utf-8")
