"""The states of a service request, and the ISO 10002 stage each belongs to.

ISO 10002 (identical in China as GB/T 19012-2019) runs a complaint through receipt,
acknowledgement, initial assessment, investigation, response, communicating the decision and
closing, with tracking throughout; third-party mediation is ISO 10003 (GB/T 19013). The brief's
flow 受理 accept → 处理 handle → 跟踪 track → 回访 call back (§4) maps onto them: tracking is the
request's append-only history, so no state stands for it.

>>> State.ACKNOWLEDGED.label(), State.ACKNOWLEDGED.stage
('已受理', <Iso10002Stage.ACKNOWLEDGEMENT: 'acknowledgement'>)
>>> sorted(s.value for s in TERMINAL_STATES)
['duplicate', 'rejected', 'withdrawn']
"""

from __future__ import annotations

import enum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext

__all__ = ["TERMINAL_STATES", "Iso10002Stage", "State"]


class Iso10002Stage(enum.Enum):
    """The stages of complaints handling in ISO 10002 / GB/T 19012, and ISO 10003 mediation."""

    RECEIPT = "receipt"
    ACKNOWLEDGEMENT = "acknowledgement"
    INITIAL_ASSESSMENT = "initial_assessment"
    INVESTIGATION = "investigation"
    RESPONSE = "response"
    COMMUNICATING_DECISION = "communicating_decision"
    CLOSING = "closing"
    MEDIATION = "mediation"


class State(enum.Enum):
    """Where a request is. Values are stable codes for storage."""

    # Members are singletons compared by identity, so hashing by identity agrees with equality;
    # Enum's own __hash__ (hash of the name) is Python code, run for every lookup of every step
    # of every replay (a transition row, a clock's kind). Hash values were never stable across
    # processes (string hashing is randomised), so nothing can have depended on them.
    __hash__ = object.__hash__

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    ASSESSED = "assessed"
    QUOTED = "quoted"
    ACCEPTED = "accepted"
    DISPATCHED = "dispatched"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    IN_MEDIATION = "in_mediation"
    RESOLVED = "resolved"
    CALLED_BACK = "called_back"
    REOPENED = "reopened"
    CLOSED = "closed"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    WITHDRAWN = "withdrawn"

    @property
    def stage(self) -> Iso10002Stage:
        """The ISO 10002 stage (or ISO 10003 mediation) the state belongs to."""
        return _STAGES[self]

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:  # noqa: PLR0912 - one case per member
        """The state's display name in ``locale``."""
        match self:
            case State.RECEIVED:
                return pgettext("request state", "received", locale=locale)
            case State.ACKNOWLEDGED:
                return pgettext("request state", "acknowledged", locale=locale)
            case State.ASSESSED:
                return pgettext("request state", "assessed", locale=locale)
            case State.QUOTED:
                return pgettext("request state", "quoted", locale=locale)
            case State.ACCEPTED:
                return pgettext("request state", "quote accepted", locale=locale)
            case State.DISPATCHED:
                return pgettext("request state", "dispatched", locale=locale)
            case State.IN_PROGRESS:
                return pgettext("request state", "in progress", locale=locale)
            case State.ON_HOLD:
                return pgettext("request state", "on hold", locale=locale)
            case State.IN_MEDIATION:
                return pgettext("request state", "in mediation", locale=locale)
            case State.RESOLVED:
                return pgettext("request state", "resolved", locale=locale)
            case State.CALLED_BACK:
                return pgettext("request state", "called back", locale=locale)
            case State.REOPENED:
                return pgettext("request state", "reopened", locale=locale)
            case State.CLOSED:
                return pgettext("request state", "closed", locale=locale)
            case State.REJECTED:
                return pgettext("request state", "rejected", locale=locale)
            case State.DUPLICATE:
                return pgettext("request state", "duplicate", locale=locale)
            case State.WITHDRAWN:
                return pgettext("request state", "withdrawn", locale=locale)


TERMINAL_STATES = frozenset({State.REJECTED, State.DUPLICATE, State.WITHDRAWN})
"""States nothing leaves. A closed request is not terminal: the policy may let it reopen."""


_STAGES = {
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
