"""The one declared transition table of a service request's lifecycle.

Every step a request can take is a row of :data:`DEFAULT_TRANSITIONS`: the :class:`Action`, the
states it leaves from, the state it leads to (``None``: it stays, as an escalation or a
reassignment does), the :class:`~propcrm.complaints.Role` values that may take it, the data it
needs and the data it may carry (:class:`Field`), the request kinds it applies to, and the
:class:`Guard` rules it must pass. The lifecycle reads nothing else: the state diagram in the
docs is generated from this table (:func:`~propcrm.complaints.mermaid`), so the picture cannot
drift from the rules.

A community with other rules passes its own table (``TransitionTable(rows)``) in its
:class:`~propcrm.complaints.LifecyclePolicy`; the table refuses rows that would make a step
ambiguous, or a state that nothing leaves without being terminal.

>>> table = DEFAULT_TRANSITIONS
>>> [a.value for a in table.allowed(State.RESOLVED, RequestKind.REPAIR)]
['call_back', 'callback_attempt', 'escalate']
>>> row = table.find(State.IN_PROGRESS, Action.RESOLVE, RequestKind.REPAIR)
>>> row.target, sorted(f.value for f in row.needs)
(<State.RESOLVED: 'resolved'>, ['note'])
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._validators import check_member, instance_of
from propcrm.complaints._actors import Role
from propcrm.complaints._kinds import RequestKind
from propcrm.complaints._states import TERMINAL_STATES, State
from propcrm.errors import IllegalTransition, InvalidLifecycle

__all__ = [
    "ALL_KINDS",
    "DEFAULT_TRANSITIONS",
    "Action",
    "Field",
    "Guard",
    "Transition",
    "TransitionTable",
]


class Action(enum.Enum):
    """What a step does. Values are stable codes for storage."""

    # Members are singletons compared by identity, so hashing by identity agrees with equality;
    # Enum's own __hash__ (hash of the name) is Python code, run for every lookup of every step
    # of every replay (a transition row, a clock's kind). Hash values were never stable across
    # processes (string hashing is randomised), so nothing can have depended on them.
    __hash__ = object.__hash__

    RECEIVE = "receive"
    ACKNOWLEDGE = "acknowledge"
    ASSESS = "assess"
    REJECT = "reject"
    MARK_DUPLICATE = "mark_duplicate"
    QUOTE = "quote"
    ACCEPT_QUOTE = "accept_quote"
    DECLINE_QUOTE = "decline_quote"
    DISPATCH = "dispatch"
    REASSIGN = "reassign"
    ESCALATE = "escalate"
    REPRIORITISE = "reprioritise"
    AGREE_TIME = "agree_time"
    START = "start"
    HOLD = "hold"
    RESUME = "resume"
    UPDATE = "update"
    REFER_TO_MEDIATION = "refer_to_mediation"
    RESOLVE = "resolve"
    CALLBACK_ATTEMPT = "callback_attempt"
    CALL_BACK = "call_back"
    CLOSE = "close"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"
    POST_CHARGE = "post_charge"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:  # noqa: PLR0912 - one case per member
        """The action's display name in ``locale``."""
        match self:
            case Action.RECEIVE:
                return pgettext("request action", "receive", locale=locale)
            case Action.ACKNOWLEDGE:
                return pgettext("request action", "acknowledge", locale=locale)
            case Action.ASSESS:
                return pgettext("request action", "assess", locale=locale)
            case Action.REJECT:
                return pgettext("request action", "reject", locale=locale)
            case Action.MARK_DUPLICATE:
                return pgettext("request action", "mark duplicate", locale=locale)
            case Action.QUOTE:
                return pgettext("request action", "quote", locale=locale)
            case Action.ACCEPT_QUOTE:
                return pgettext("request action", "accept quote", locale=locale)
            case Action.DECLINE_QUOTE:
                return pgettext("request action", "decline quote", locale=locale)
            case Action.DISPATCH:
                return pgettext("request action", "dispatch", locale=locale)
            case Action.REASSIGN:
                return pgettext("request action", "reassign", locale=locale)
            case Action.ESCALATE:
                return pgettext("request action", "escalate", locale=locale)
            case Action.REPRIORITISE:
                return pgettext("request action", "reprioritise", locale=locale)
            case Action.AGREE_TIME:
                return pgettext("request action", "agree a time", locale=locale)
            case Action.START:
                return pgettext("request action", "start", locale=locale)
            case Action.HOLD:
                return pgettext("request action", "hold", locale=locale)
            case Action.RESUME:
                return pgettext("request action", "resume", locale=locale)
            case Action.UPDATE:
                return pgettext("request action", "progress update", locale=locale)
            case Action.REFER_TO_MEDIATION:
                return pgettext("request action", "refer to mediation", locale=locale)
            case Action.RESOLVE:
                return pgettext("request action", "resolve", locale=locale)
            case Action.CALLBACK_ATTEMPT:
                return pgettext("request action", "callback attempt", locale=locale)
            case Action.CALL_BACK:
                return pgettext("request action", "call back", locale=locale)
            case Action.CLOSE:
                return pgettext("request action", "close", locale=locale)
            case Action.REOPEN:
                return pgettext("request action", "reopen", locale=locale)
            case Action.WITHDRAW:
                return pgettext("request action", "withdraw", locale=locale)
            case Action.POST_CHARGE:
                return pgettext("request action", "post charge", locale=locale)


class Field(enum.Enum):
    """The data a step may carry (the fields of :class:`~propcrm.complaints.StepData`)."""

    # Hashed by identity, as Action (see there): looked up for every step of every replay.
    __hash__ = object.__hash__

    INTAKE = "intake"
    PRIORITY = "priority"
    CLASSIFIED_BY = "classified_by"
    REASON = "reason"
    NOTE = "note"
    REFERRAL = "referral"
    DUPLICATE_OF = "duplicate_of"
    ASSIGNEE = "assignee"
    TEAM = "team"
    LEVEL = "level"
    HOLD_REASON = "hold_reason"
    OUTCOME = "outcome"
    SCORE = "score"
    APPOINTMENT = "appointment"
    QUOTE = "quote"
    STATEMENT = "statement"


class Guard(enum.Enum):
    """A rule a step must pass beyond its state, role and data.

    Each is one function in :mod:`propcrm.complaints`.
    """

    # Hashed by identity, as Action (see there): looked up for every step of every replay.
    __hash__ = object.__hash__

    RESPONSE_TARGET = "response_target"
    """有求必应: the request's priority has a response (acknowledgement) target."""
    RESOLUTION_RECORDED = "resolution_recorded"
    """有应必解: a request is closed only after a resolution was recorded."""
    CALLBACK_RECORDED = "callback_recorded"
    """有解必答: a request is closed only with a callback outcome (and a score if reached)."""
    DISSATISFIED_CLOSE = "dissatisfied_close"
    """A dissatisfied callback reopens under the default policy; closing it needs the policy
    to allow it, a supervisor or manager and a reason."""
    CALLBACK_OUTCOME = "callback_outcome"
    """A reached callback carries a score that fits its outcome; "unreachable" only after the
    policy's number of unanswered attempts."""
    PRIORITY_CHANGE = "priority_change"
    """A new priority is one the SLA policy has, differs from the current one, with a reason."""
    ASSIGNEE_FITS = "assignee_fits"
    """An assignee is on the roster (when the policy has one) with the territory and skill."""
    NEW_ASSIGNEE = "new_assignee"
    """A reassignment names someone other than the current assignee."""
    HAS_ASSIGNEE = "has_assignee"
    """Work starts only on a request that has an assignee."""
    HANDLER_IS_ASSIGNEE = "handler_is_assignee"
    """A handler starts or resolves only the requests assigned to them."""
    ESCALATION_LEVEL = "escalation_level"
    """An escalation goes up, to at most the policy's highest level."""
    APPOINTMENT_AHEAD = "appointment_ahead"
    """An agreed time lies after the step, and no agreed time was already kept or missed."""
    REOPEN_WINDOW = "reopen_window"
    """A closed request reopens only within the policy's days after closing."""
    NOT_ITSELF = "not_itself"
    """A request is not a duplicate of itself."""
    QUOTE_DATED = "quote_dated"
    """A quote is dated between the request's receipt and the step that gives it."""
    CHARGE_POSTABLE = "charge_postable"
    """A special service's charge is posted once, for an accepted quote, after the work."""


ALL_KINDS = frozenset(RequestKind)
"""Every request kind: the default of a row's ``kinds``."""


_E = TypeVar("_E", bound=enum.Enum)


def _listed(kind: type[_E], part: str, value: object, required: bool) -> tuple[_E, ...]:
    """``value``'s members in order, each a ``kind``; at least one if ``required``."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidLifecycle(
            f"a transition's {part} are a collection of {kind.__name__}s, not {value!r}.",
            field=part,
            value=value,
            allowed=f"a collection of {kind.__name__}",
        )
    found = tuple(value)
    wrong = next((m for m in found if not isinstance(m, kind)), None)
    if wrong is None and (found or not required):
        return found
    shown = value if wrong is None else wrong
    raise InvalidLifecycle(
        f"a transition needs a non-empty set of {kind.__name__}s as its {part}, not {shown!r}."
        if required
        else f"a transition's {part} are {kind.__name__}s, not {shown!r}.",
        field=part,
        value=shown,
        allowed=f"{'a non-empty ' if required else 'a '}collection of {kind.__name__}",
    )


# Named converters (the attrs mypy plugin reads only named functions), each one check.
def _states(value: Iterable[State]) -> frozenset[State]:
    return frozenset(_listed(State, "sources", value, required=False))


def _roles(value: Iterable[Role]) -> frozenset[Role]:
    return frozenset(_listed(Role, "roles", value, required=True))


def _fields(value: Iterable[Field]) -> frozenset[Field]:
    return frozenset(_listed(Field, "data", value, required=False))


def _kinds(value: Iterable[RequestKind]) -> frozenset[RequestKind]:
    return frozenset(_listed(RequestKind, "kinds", value, required=True))


def _guards(value: Iterable[Guard]) -> tuple[Guard, ...]:
    return _listed(Guard, "guards", value, required=False)  # in order: guards run in turn


def _target(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and not isinstance(value, State):
        raise InvalidLifecycle(
            f"a transition leads to a State (or None: stays), not {value!r}.",
            field="target",
            value=value,
            allowed="a State or None",
        )


@attrs.frozen
class Transition:
    """One row of the table: ``action`` from any of ``sources`` to ``target``.

    ``target=None`` keeps the state. ``sources`` is empty only for :attr:`Action.RECEIVE`, which
    creates the request. ``needs`` must all be given; ``takes`` may be; anything else is refused.
    """

    action: Action = attrs.field(validator=instance_of(Action))
    sources: frozenset[State] = attrs.field(converter=_states)
    target: State | None = attrs.field(validator=_target)
    roles: frozenset[Role] = attrs.field(converter=_roles)
    needs: frozenset[Field] = attrs.field(default=frozenset(), converter=_fields, kw_only=True)
    takes: frozenset[Field] = attrs.field(default=frozenset(), converter=_fields, kw_only=True)
    kinds: frozenset[RequestKind] = attrs.field(default=ALL_KINDS, converter=_kinds, kw_only=True)
    guards: tuple[Guard, ...] = attrs.field(default=(), converter=_guards, kw_only=True)
    fields: frozenset[Field] = attrs.field(init=False, eq=False, repr=False)
    """Every field the step may carry: what it needs and what it takes."""

    @fields.default
    def _fields(self) -> frozenset[Field]:
        # Kept, not recomputed: a replay checks every step's data against it.
        return self.needs | self.takes

    def __attrs_post_init__(self) -> None:
        if (self.action is Action.RECEIVE) != (not self.sources):
            raise InvalidLifecycle(
                f"the {self.action.value} row: only receive has no source state (it creates the "
                "request); every other action leaves from at least one state.",
                field="sources",
                value=self.sources,
                allowed="no state for receive, at least one for every other action",
                action=self.action,
            )
        if self.needs & self.takes:
            both = ", ".join(sorted(f.value for f in self.needs & self.takes))
            raise InvalidLifecycle(
                f"the {self.action.value} row both needs and takes {both}; list each field once.",
                field="takes",
                value=self.needs & self.takes,
                allowed="fields the row does not need",
                action=self.action,
            )
        if self.target is None and self.action is Action.RECEIVE:
            raise InvalidLifecycle(
                "the receive row must lead to a state.",
                field="target",
                value=None,
                allowed="a State",
                action=self.action,
            )

    def leads_to(self, source: State) -> State:
        """The state after taking this step from ``source``."""
        if type(source) is not State:
            check_member(source, State, "source")
        return source if self.target is None else self.target


def _rows(value: Iterable[Transition]) -> tuple[Transition, ...]:
    return _checked_rows(value)


def _checked_rows(value: object) -> tuple[Transition, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidLifecycle(
            f"a transition table holds a collection of Transitions, not {value!r}.",
            field="rows",
            value=value,
            allowed="an iterable of Transition",
        )
    rows = tuple(value)
    for row in rows:
        if not isinstance(row, Transition):
            raise InvalidLifecycle(
                f"a transition table holds Transitions, not {row!r}.",
                field="rows",
                value=row,
                allowed="Transition",
            )
    return rows


_Key = tuple[State | None, Action, RequestKind]


def _index(rows: tuple[Transition, ...]) -> dict[_Key, Transition]:
    index: dict[_Key, Transition] = {}
    for row in rows:
        sources: Iterable[State | None] = row.sources or (None,)
        for source in sources:
            for kind in row.kinds:
                key = (source, row.action, kind)
                if key in index:
                    where = source.value if source is not None else "nowhere"
                    raise InvalidLifecycle(
                        f"two rows let a {kind.value} {row.action.value} from {where}; "
                        "each step must have exactly one row.",
                        state=source,
                        action=row.action,
                        kind=kind,
                    )
                index[key] = row
    return index


@attrs.frozen
class TransitionTable:
    """The declared transitions. Lookups are by (state, action, kind); each has one row."""

    rows: tuple[Transition, ...] = attrs.field(converter=_rows)
    _index: dict[_Key, Transition] = attrs.field(
        init=False, repr=False, eq=False, default=attrs.Factory(lambda s: _index(s.rows), True)
    )

    def __attrs_post_init__(self) -> None:
        for row in self.rows:
            final = row.sources & TERMINAL_STATES
            if final:
                names = ", ".join(sorted(s.value for s in final))
                raise InvalidLifecycle(
                    f"the {row.action.value} row leaves {names}; rejected, duplicate and "
                    "withdrawn requests are final, so no row may leave them.",
                    action=row.action,
                    states=final,
                )
        if not any(r.action is Action.RECEIVE for r in self.rows):
            raise InvalidLifecycle(
                "a transition table needs a receive row: requests start there.",
                action=Action.RECEIVE,
            )
        for kind in RequestKind:
            for state in self.reachable(kind):
                if state not in TERMINAL_STATES and not self.allowed(state, kind):
                    raise InvalidLifecycle(
                        f"a {kind.value} request can reach {state.value} but no row leaves it; "
                        "every state but rejected, duplicate and withdrawn needs a way on.",
                        state=state,
                        kind=kind,
                    )

    def find(self, state: State, action: Action, kind: RequestKind) -> Transition:
        """The row for ``action`` from ``state`` for a request of ``kind``.

        Raises :class:`~propcrm.errors.IllegalTransition`, naming the state, the action and the
        actions the state allows, when the table has no such row.
        """
        if type(state) is State and type(action) is Action and type(kind) is RequestKind:
            # Members (the replay's case, at every step): the checks below cannot refuse them.
            found = self._index.get((state, action, kind))
            if found is not None:
                return found
        check_member(state, State, "state")
        check_member(action, Action, "action")
        check_member(kind, RequestKind, "kind")
        row = self._index.get((state, action, kind))
        if row is None:
            allowed = ", ".join(a.value for a in self.allowed(state, kind)) or "none (final)"
            raise IllegalTransition(
                f"a {kind.value} request in state {state.value} cannot {action.value}; "
                f"from {state.value} it can: {allowed}.",
                state=state,
                action=action,
                kind=kind,
                allowed_actions=self.allowed(state, kind),
            )
        return row

    def receive_row(self, kind: RequestKind) -> Transition:
        """The row that creates a request of ``kind``."""
        check_member(kind, RequestKind, "kind")
        row = self._index.get((None, Action.RECEIVE, kind))
        if row is None:
            raise IllegalTransition(
                f"the transition table has no receive row for {kind.value}.",
                action=Action.RECEIVE,
                kind=kind,
            )
        return row

    def allowed(self, state: State, kind: RequestKind) -> tuple[Action, ...]:
        """The actions a request of ``kind`` may take from ``state``, sorted by code."""
        check_member(state, State, "state")
        check_member(kind, RequestKind, "kind")
        return tuple(
            sorted(
                {a for (s, a, k) in self._index if s is state and k is kind},
                key=lambda a: a.value,
            )
        )

    def reachable(self, kind: RequestKind) -> tuple[State, ...]:
        """The states a request of ``kind`` can reach from receipt, in table order."""
        check_member(kind, RequestKind, "kind")
        seen: list[State] = []
        frontier = [r.target for r in self.rows if r.action is Action.RECEIVE and kind in r.kinds]
        while frontier:
            state = frontier.pop()
            if state is None or state in seen:
                continue
            seen.append(state)
            frontier.extend(
                row.leads_to(state)
                for row in self.rows
                if state in row.sources and kind in row.kinds
            )
        return tuple(sorted(seen, key=list(State).index))


_S = State
_R = Role
_K = RequestKind
_F = Field
_G = Guard

_DESK = frozenset({_R.AGENT, _R.SUPERVISOR, _R.MANAGER})
_ASSIGNERS = frozenset({_R.DISPATCHER, _R.AGENT, _R.SUPERVISOR, _R.MANAGER})
_WORKERS = frozenset({_R.HANDLER, _R.SUPERVISOR, _R.MANAGER})
_STAFF = frozenset({_R.AGENT, _R.DISPATCHER, _R.HANDLER, _R.SUPERVISOR, _R.MANAGER})
_SENIOR = frozenset({_R.SUPERVISOR, _R.MANAGER})
_BEFORE_WORK = frozenset({_S.RECEIVED, _S.ACKNOWLEDGED, _S.ASSESSED})
_OPEN = frozenset(
    {
        _S.ACKNOWLEDGED,
        _S.ASSESSED,
        _S.QUOTED,
        _S.ACCEPTED,
        _S.DISPATCHED,
        _S.IN_PROGRESS,
        _S.ON_HOLD,
        _S.REOPENED,
        _S.IN_MEDIATION,
    }
)
_NOT_SPECIAL = ALL_KINDS - {_K.SPECIAL_SERVICE}
_SPECIAL = frozenset({_K.SPECIAL_SERVICE})
_ANSWERED = frozenset({_K.ENQUIRY, _K.SUGGESTION})

DEFAULT_TRANSITIONS = TransitionTable(
    (
        # 受理: receipt and acknowledgement (ISO 10002 receipt, acknowledgement).
        Transition(
            Action.RECEIVE,
            (),
            _S.RECEIVED,
            {_R.REQUESTER, _R.AGENT, _R.SYSTEM},
            needs={_F.INTAKE, _F.PRIORITY},
            takes={_F.CLASSIFIED_BY},
            guards=[_G.RESPONSE_TARGET],
        ),
        Transition(
            Action.ACKNOWLEDGE,
            {_S.RECEIVED},
            _S.ACKNOWLEDGED,
            _DESK | {_R.SYSTEM},
            takes={_F.NOTE},
        ),
        Transition(
            Action.ASSESS,
            {_S.ACKNOWLEDGED},
            _S.ASSESSED,
            _DESK,
            takes={_F.PRIORITY, _F.REASON, _F.NOTE},
            guards=[_G.PRIORITY_CHANGE],
        ),
        Transition(Action.REJECT, _BEFORE_WORK, _S.REJECTED, _DESK, needs={_F.REASON, _F.REFERRAL}),
        Transition(
            Action.MARK_DUPLICATE,
            _BEFORE_WORK,
            _S.DUPLICATE,
            _DESK,
            needs={_F.REASON, _F.DUPLICATE_OF},
            guards=[_G.NOT_ITSELF],
        ),
        # 特约服务: priced from the published list, quoted, accepted by the customer (§3).
        Transition(
            Action.QUOTE,
            {_S.ASSESSED, _S.QUOTED},
            _S.QUOTED,
            _ASSIGNERS,
            needs={_F.QUOTE},
            kinds=_SPECIAL,
            guards=[_G.QUOTE_DATED],
        ),
        Transition(
            Action.ACCEPT_QUOTE,
            {_S.QUOTED},
            _S.ACCEPTED,
            {_R.REQUESTER, _R.AGENT},
            takes={_F.NOTE},
            kinds=_SPECIAL,
        ),
        Transition(
            Action.DECLINE_QUOTE,
            {_S.QUOTED},
            _S.WITHDRAWN,
            {_R.REQUESTER, _R.AGENT},
            needs={_F.REASON},
            kinds=_SPECIAL,
        ),
        # 派工 and 处理: dispatch, work, hold (ISO 10002 investigation).
        Transition(
            Action.DISPATCH,
            {_S.ASSESSED, _S.REOPENED},
            _S.DISPATCHED,
            _ASSIGNERS,
            needs={_F.ASSIGNEE},
            takes={_F.TEAM, _F.NOTE},
            kinds=_NOT_SPECIAL,
            guards=[_G.ASSIGNEE_FITS],
        ),
        Transition(
            Action.DISPATCH,
            {_S.ACCEPTED, _S.REOPENED},
            _S.DISPATCHED,
            _ASSIGNERS,
            needs={_F.ASSIGNEE},
            takes={_F.TEAM, _F.NOTE},
            kinds=_SPECIAL,
            guards=[_G.ASSIGNEE_FITS],
        ),
        Transition(
            Action.REASSIGN,
            {_S.DISPATCHED, _S.ON_HOLD, _S.REOPENED},
            None,
            _ASSIGNERS - {_R.AGENT},
            needs={_F.ASSIGNEE, _F.REASON},
            takes={_F.TEAM},
            guards=[_G.NEW_ASSIGNEE, _G.ASSIGNEE_FITS],
        ),
        Transition(
            # The new assignee has not started: the request waits for them, dispatched.
            Action.REASSIGN,
            {_S.IN_PROGRESS},
            _S.DISPATCHED,
            _ASSIGNERS - {_R.AGENT},
            needs={_F.ASSIGNEE, _F.REASON},
            takes={_F.TEAM},
            guards=[_G.NEW_ASSIGNEE, _G.ASSIGNEE_FITS],
        ),
        Transition(
            Action.ESCALATE,
            _OPEN | {_S.RECEIVED, _S.RESOLVED, _S.CALLED_BACK},
            None,
            _STAFF | {_R.SYSTEM},
            needs={_F.LEVEL, _F.REASON},
            takes={_F.ASSIGNEE},
            guards=[_G.ESCALATION_LEVEL, _G.ASSIGNEE_FITS],
        ),
        Transition(
            Action.REPRIORITISE,
            _OPEN - {_S.ACKNOWLEDGED, _S.IN_MEDIATION},
            None,
            _DESK,
            needs={_F.PRIORITY, _F.REASON},
            guards=[_G.PRIORITY_CHANGE],
        ),
        Transition(
            Action.AGREE_TIME,
            {_S.ASSESSED, _S.ACCEPTED, _S.DISPATCHED, _S.REOPENED},
            None,
            _STAFF,
            needs={_F.APPOINTMENT},
            takes={_F.REASON},
            guards=[_G.APPOINTMENT_AHEAD],
        ),
        Transition(
            Action.START,
            {_S.DISPATCHED, _S.REOPENED},
            _S.IN_PROGRESS,
            _WORKERS,
            takes={_F.NOTE},
            guards=[_G.HAS_ASSIGNEE, _G.HANDLER_IS_ASSIGNEE],
        ),
        Transition(
            # Only work under way is held: resuming goes back to it. Before work starts, a wait
            # for the owner is an agreed time, which the response clock respects.
            Action.HOLD,
            {_S.IN_PROGRESS},
            _S.ON_HOLD,
            _WORKERS | {_R.DISPATCHER},
            needs={_F.HOLD_REASON},
            takes={_F.NOTE},
        ),
        Transition(
            Action.RESUME,
            {_S.ON_HOLD},
            _S.IN_PROGRESS,
            _WORKERS | {_R.DISPATCHER},
            takes={_F.NOTE},
            guards=[_G.HANDLER_IS_ASSIGNEE],
        ),
        # 跟踪: progress reported to the customer.
        Transition(Action.UPDATE, _OPEN, None, _STAFF, needs={_F.NOTE}),
        # Third-party mediation for hard disputes (§4; ISO 10003).
        Transition(
            Action.REFER_TO_MEDIATION,
            {_S.ASSESSED, _S.IN_PROGRESS, _S.ON_HOLD, _S.CALLED_BACK, _S.REOPENED},
            _S.IN_MEDIATION,
            _SENIOR,
            needs={_F.REFERRAL, _F.REASON},
            kinds={_K.COMPLAINT},
        ),
        # 有应必解: the response (ISO 10002 response).
        Transition(
            Action.RESOLVE,
            {_S.IN_PROGRESS},
            _S.RESOLVED,
            _WORKERS,
            needs={_F.NOTE},
            guards=[_G.HANDLER_IS_ASSIGNEE],
        ),
        Transition(
            # An enquiry or a suggestion is answered at the desk.
            Action.RESOLVE,
            {_S.ASSESSED},
            _S.RESOLVED,
            _DESK,
            needs={_F.NOTE},
            kinds=_ANSWERED,
        ),
        Transition(
            Action.RESOLVE,
            {_S.IN_MEDIATION},
            _S.RESOLVED,
            _SENIOR,
            needs={_F.NOTE},
            kinds={_K.COMPLAINT},
        ),
        # 回访 and 有解必答: the callback (ISO 10002 communicating the decision).
        Transition(Action.CALLBACK_ATTEMPT, {_S.RESOLVED}, None, _DESK, takes={_F.NOTE}),
        Transition(
            Action.CALL_BACK,
            {_S.RESOLVED},
            _S.CALLED_BACK,
            _DESK,
            needs={_F.OUTCOME},
            takes={_F.SCORE, _F.NOTE},
            guards=[_G.CALLBACK_OUTCOME],
        ),
        Transition(
            Action.CLOSE,
            {_S.CALLED_BACK},
            _S.CLOSED,
            _DESK,
            takes={_F.REASON, _F.NOTE},
            guards=[_G.RESOLUTION_RECORDED, _G.CALLBACK_RECORDED, _G.DISSATISFIED_CLOSE],
        ),
        Transition(
            Action.REOPEN,
            {_S.CALLED_BACK, _S.CLOSED},
            _S.REOPENED,
            _DESK | {_R.REQUESTER, _R.SYSTEM},
            needs={_F.REASON},
            guards=[_G.REOPEN_WINDOW],
        ),
        Transition(
            Action.WITHDRAW,
            _OPEN | {_S.RECEIVED},
            _S.WITHDRAWN,
            _DESK | {_R.REQUESTER},
            needs={_F.REASON},
        ),
        Transition(
            Action.POST_CHARGE,
            {_S.RESOLVED, _S.CALLED_BACK, _S.CLOSED},
            None,
            {_R.SYSTEM, _R.AGENT},
            needs={_F.STATEMENT},
            kinds=_SPECIAL,
            guards=[_G.CHARGE_POSTABLE],
        ),
    )
)
"""The default lifecycle (brief §4, ISO 10002); the state diagram in docs/complaints.md shows it."""
