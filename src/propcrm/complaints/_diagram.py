"""The lifecycle as pictures: a Mermaid state diagram and a Markdown table, from the table itself.

The issue asks that the state diagram in the docs be generated from the transition table, so it
cannot drift from the rules (docs/complaints.md embeds both outputs; a test compares them).
Both functions read only their arguments: a :class:`~propcrm.complaints.TransitionTable`
(:data:`~propcrm.complaints.DEFAULT_TRANSITIONS` by default) and a locale.

:func:`mermaid` draws one edge per (source, target, action), labelled with the action, the roles
that may take it in brackets, and the data it needs. Steps that keep the state (an escalation, a
reassignment, a progress update, a repeated quote) would put loops on almost every state, so
they are drawn once each, as boxes in a separate section, with the states they apply to.
Rejected, duplicate and withdrawn end the picture (``--> [*]``), and so does closed: nothing but a
reopen within the policy's window leaves it. With ``kind``, the picture is that kind's lifecycle:
only its rows, from the states it can reach.

:func:`transition_table_markdown` renders every row as declared, guards included.

The codes of states, actions, roles and kinds are English words: in ``en_US`` the pictures show
the codes themselves (the API's names, which the docs are written in); in ``zh_CN`` the enums'
``label()``. The fixed words ("needs", "steps that keep the state", the table's header) come
from the catalogs; data fields and guards have no display names and stay codes in every locale.
Any other locale raises :class:`~propcrm.errors.UnsupportedLocale`.

>>> from propcrm.complaints import Action, Field, Role, State, Transition, TransitionTable
>>> table = TransitionTable(
...     [
...         Transition(
...             Action.RECEIVE,
...             (),
...             State.RECEIVED,
...             {Role.AGENT},
...             needs={Field.INTAKE, Field.PRIORITY},
...         ),
...         Transition(Action.UPDATE, {State.RECEIVED}, None, {Role.AGENT}, needs={Field.NOTE}),
...         Transition(
...             Action.REJECT,
...             {State.RECEIVED},
...             State.REJECTED,
...             {Role.AGENT},
...             needs={Field.REASON, Field.REFERRAL},
...         ),
...     ]
... )
>>> print(mermaid(table))
stateDiagram-v2
    [*] --> received : receive [agent] needs intake, priority
    received --> rejected : reject [agent] needs reason, referral
    rejected --> [*]
    state "steps that keep the state" as keeps_state {
        state "update" as keep_update
        keep_update : [agent] needs note
        keep_update : in received
    }
>>> print(mermaid(table, locale="zh_CN").splitlines()[3])
    [*] --> received : 接收 [客服] 需 intake, priority
>>> print(transition_table_markdown(table))
| action | from | to | roles | needs | takes | kinds | guards |
| --- | --- | --- | --- | --- | --- | --- | --- |
| receive | — | received | agent | intake, priority | — | all | — |
| update | received | (stays) | agent | note | — | all | — |
| reject | received | rejected | agent | reason, referral | — | all | — |
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TypeVar

import attrs

from propcrm._i18n import LocaleLike, check_locale, pgettext
from propcrm.complaints._actors import Role
from propcrm.complaints._kinds import RequestKind
from propcrm.complaints._states import TERMINAL_STATES, State
from propcrm.complaints._transitions import (
    ALL_KINDS,
    DEFAULT_TRANSITIONS,
    Action,
    Field,
    Transition,
    TransitionTable,
)
from propcrm.errors import InvalidLifecycle

__all__ = ["mermaid", "transition_table_markdown"]

DIAGRAM_LOCALE = "en_US"
"""The default locale of the generated docs: codes, which are the API's names."""

_ENDS = TERMINAL_STATES | {State.CLOSED}
"""States drawn ``--> [*]``: the terminal ones, and closed (only a timely reopen leaves it)."""

_INDENT = "    "
_STATES_PER_LINE = 4
"""States per line in a box of the steps that keep the state: long lists wrap, boxes stay narrow."""


_CODES_LOCALE = "en_US"
"""The language the codes are written in: there the codes name things themselves."""

_NOTHING = "—"
"""An empty cell or list: a dash in every locale."""


@attrs.frozen
class _Labels:
    """How one locale names states, actions, roles and kinds, and its fixed words."""

    locale: str
    codes: bool

    def state(self, state: State) -> str:
        return state.value if self.codes else state.label(self.locale)

    def action(self, action: Action) -> str:
        return action.value if self.codes else action.label(self.locale)

    def role(self, role: Role) -> str:
        return role.value if self.codes else role.label(self.locale)

    def kind(self, kind: RequestKind) -> str:
        return kind.value if self.codes else kind.label(self.locale)

    @property
    def list_sep(self) -> str:
        return pgettext("list separator", ", ", locale=self.locale)

    def roles(self, roles: Iterable[Role]) -> str:
        return self.list_sep.join(self.role(r) for r in _ordered(roles))

    def kinds(self, kinds: Iterable[RequestKind]) -> str:
        return self.list_sep.join(self.kind(k) for k in _ordered(kinds))

    def states(self, states: Iterable[State]) -> str:
        return self.list_sep.join(self.state(s) for s in _ordered(states))

    def needs(self, fields: str) -> str:
        return pgettext("lifecycle diagram", "needs %(fields)s", locale=self.locale, fields=fields)

    def only(self, kinds: str) -> str:
        return pgettext("lifecycle diagram", "(%(kinds)s only)", locale=self.locale, kinds=kinds)

    def but(self, kinds: str) -> str:
        return pgettext("lifecycle diagram", "(except %(kinds)s)", locale=self.locale, kinds=kinds)

    def keeps(self) -> str:
        return pgettext("lifecycle diagram", "steps that keep the state", locale=self.locale)

    def within(self, states: str) -> str:
        return pgettext("lifecycle diagram", "in %(states)s", locale=self.locale, states=states)

    def stays(self) -> str:
        return pgettext("lifecycle diagram", "(stays)", locale=self.locale)

    def all_kinds(self) -> str:
        return pgettext("lifecycle diagram", "all", locale=self.locale)

    def header(self) -> tuple[str, ...]:
        locale = self.locale
        return (
            pgettext("transition table column", "action", locale=locale),
            pgettext("transition table column", "from", locale=locale),
            pgettext("transition table column", "to", locale=locale),
            pgettext("transition table column", "roles", locale=locale),
            pgettext("transition table column", "needs", locale=locale),
            pgettext("transition table column", "takes", locale=locale),
            pgettext("transition table column", "kinds", locale=locale),
            pgettext("transition table column", "guards", locale=locale),
        )


_E = TypeVar("_E", bound=enum.Enum)


def _ordered(members: Iterable[_E]) -> list[_E]:
    # Declaration order reads like the lifecycle (received before resolved, agent before manager)
    # and is as deterministic as sorting by code.
    found = set(members)
    if not found:
        return []
    kind = type(next(iter(found)))
    return [m for m in kind if m in found]


def _chunks(items: list[_E], size: int) -> list[list[_E]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _fields(fields: Iterable[Field]) -> str:
    return ", ".join(f.value for f in _ordered(fields))


def _check(table: object, locale: object) -> _Labels:
    if not isinstance(table, TransitionTable):
        raise InvalidLifecycle(
            f"a diagram is drawn from a TransitionTable, not {table!r}.",
            field="table",
            value=table,
            allowed="TransitionTable",
        )
    name = check_locale(locale)  # UnsupportedLocale for anything but zh_CN and en_US
    return _Labels(name, codes=name == _CODES_LOCALE)


@attrs.frozen
class _Step:
    """One drawable step: ``action`` from ``source`` to ``target`` by ``roles``, needing data."""

    source: State
    target: State
    action: Action
    roles: frozenset[Role]
    needs: frozenset[Field]


def _steps(
    table: TransitionTable, kind: RequestKind | None
) -> tuple[list[Transition], dict[_Step, set[RequestKind]]]:
    """The receive rows, and every other step with the kinds it applies to."""
    receipts: list[Transition] = []
    steps: dict[_Step, set[RequestKind]] = {}
    reachable = set(table.reachable(kind)) if kind is not None else set(State)
    for row in table.rows:
        kinds = row.kinds if kind is None else row.kinds & {kind}
        if not kinds:
            continue
        if row.action is Action.RECEIVE:
            receipts.append(row)
            continue
        for source in row.sources & reachable:
            step = _Step(source, row.leads_to(source), row.action, row.roles, row.needs)
            steps.setdefault(step, set()).update(kinds)
    return receipts, steps


def _created(row: Transition) -> State:
    assert row.target is not None  # Transition refuses a receive row that leads nowhere
    return row.target


def _label(
    labels: _Labels,
    action: Action | None,
    roles: frozenset[Role],
    needs: frozenset[Field],
    kinds: Iterable[RequestKind],
    scope: frozenset[RequestKind],
) -> str:
    parts = [f"[{labels.roles(roles)}]"]
    if needs:
        parts.append(labels.needs(_fields(needs)))
    found = frozenset(kinds)
    if found != scope:
        # Name the shorter side: "(except special_service)" rather than four kinds.
        left_out = scope - found
        if len(left_out) < len(found):
            parts.append(labels.but(labels.kinds(left_out)))
        else:
            parts.append(labels.only(labels.kinds(found)))
    if action is not None:
        parts.insert(0, labels.action(action))
    return " ".join(parts)


def mermaid(
    table: TransitionTable = DEFAULT_TRANSITIONS,
    *,
    kind: RequestKind | None = None,
    locale: LocaleLike = DIAGRAM_LOCALE,
) -> str:
    """The lifecycle of ``table`` as a Mermaid ``stateDiagram-v2`` (deterministic text).

    Every row appears: each (source, target, action) as an edge labelled with the action, the
    roles in brackets and the data it needs (and, for the whole table, the kinds a row is
    limited to); each step that keeps the state once, in the section "steps that keep the
    state", with the states it applies to. ``kind`` draws one kind's lifecycle. Edges are in
    the declaration order of their states and actions.

    >>> from propcrm.complaints import RequestKind
    >>> text = mermaid()
    >>> "    in_progress --> resolved : resolve [handler, supervisor, manager] needs note" in text
    True
    >>> "quoted" in mermaid(kind=RequestKind.REPAIR)
    False
    """
    labels = _check(table, locale)
    if kind is not None and not isinstance(kind, RequestKind):
        raise InvalidLifecycle(
            f"kind is a RequestKind (or None: every kind), not {kind!r}.",
            field="kind",
            value=kind,
            allowed="a RequestKind member or None",
        )
    scope = ALL_KINDS if kind is None else frozenset({kind})
    receipts, steps = _steps(table, kind)
    states = list(State)
    actions = list(Action)

    lines = ["stateDiagram-v2"]
    entries = sorted(
        ((_created(row), row) for row in receipts),
        key=lambda entry: (states.index(entry[0]), labels.roles(entry[1].roles)),
    )
    shown = {t for t, _ in entries} | {s.source for s in steps} | {s.target for s in steps}
    if not labels.codes:  # the codes are the states' ids already
        lines += [f'{_INDENT}state "{labels.state(s)}" as {s.value}' for s in _ordered(shown)]
    for target, row in entries:
        text = _label(labels, row.action, row.roles, row.needs, row.kinds & scope, scope)
        lines.append(f"{_INDENT}[*] --> {target.value} : {text}")

    def edge_key(step: _Step) -> tuple[int, int, int, str, str]:
        return (
            states.index(step.source),
            states.index(step.target),
            actions.index(step.action),
            labels.roles(step.roles),
            _fields(step.needs),
        )

    moves = sorted((s for s in steps if s.source is not s.target), key=edge_key)
    for step in moves:
        text = _label(labels, step.action, step.roles, step.needs, steps[step], scope)
        lines.append(f"{_INDENT}{step.source.value} --> {step.target.value} : {text}")
    lines += [f"{_INDENT}{s.value} --> [*]" for s in _ordered(shown) if s in _ENDS]

    # Steps that keep the state, one box per (action, roles, needs, kinds), listing its states.
    keeps: dict[
        tuple[Action, frozenset[Role], frozenset[Field], frozenset[RequestKind]], set[State]
    ]
    keeps = {}
    for step in (s for s in steps if s.source is s.target):
        key = (step.action, step.roles, step.needs, frozenset(steps[step]))
        keeps.setdefault(key, set()).add(step.source)
    if keeps:
        lines.append(f'{_INDENT}state "{labels.keeps()}" as keeps_state {{')
        used: dict[str, int] = {}
        ordered = sorted(
            keeps.items(),
            key=lambda item: (
                actions.index(item[0][0]),
                min(states.index(s) for s in item[1]),
                labels.roles(item[0][1]),
            ),
        )
        for (action, roles, needs, kinds), sources in ordered:
            used[action.value] = used.get(action.value, 0) + 1
            box = f"keep_{action.value}"
            if used[action.value] > 1:
                box += f"_{used[action.value]}"
            inner = _INDENT * 2
            lines.append(f'{inner}state "{labels.action(action)}" as {box}')
            lines.append(f"{inner}{box} : {_label(labels, None, roles, needs, kinds, scope)}")
            chunks = _chunks(_ordered(sources), _STATES_PER_LINE)
            texts = [labels.states(chunk) for chunk in chunks]
            texts = [t + labels.list_sep.rstrip() for t in texts[:-1]] + texts[-1:]
            texts[0] = labels.within(texts[0])
            lines += [f"{inner}{box} : {text}" for text in texts]
        lines.append(f"{_INDENT}}}")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def transition_table_markdown(
    table: TransitionTable = DEFAULT_TRANSITIONS, locale: LocaleLike = DIAGRAM_LOCALE
) -> str:
    """Every row of ``table`` as a Markdown table, in declaration order.

    Columns: the action, the states it leaves from, the state it leads to ("(stays)" when it
    keeps the state), the roles that may take it, the data it needs and the data it may carry,
    the kinds it applies to, and its guards (in the order they are checked).

    >>> print(transition_table_markdown(locale="zh_CN").splitlines()[2].replace(" | ", "|"))
    | 接收|—|已接收|客户、客服、系统|intake, priority|classified_by|全部|response_target |
    """
    labels = _check(table, locale)
    header = labels.header()
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" for _ in header) + " |",
    ]
    for row in table.rows:
        cells = [
            labels.action(row.action),
            labels.states(row.sources) or _NOTHING,
            labels.state(row.target) if row.target is not None else labels.stays(),
            labels.roles(row.roles),
            _fields(row.needs) or _NOTHING,
            _fields(row.takes) or _NOTHING,
            labels.all_kinds() if row.kinds == ALL_KINDS else labels.kinds(row.kinds),
            ", ".join(g.value for g in row.guards) or _NOTHING,
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)
