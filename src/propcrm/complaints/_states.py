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

from propcrm.complaints._labels import LABELS, Labelled

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


class State(Labelled):
    """Where a request is. Values are stable codes for storage."""

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


TERMINAL_STATES = frozenset({State.REJECTED, State.DUPLICATE, State.WITHDRAWN})
"""States nothing leaves. A closed request is not terminal: the policy may let it reopen."""

LABELS.update(
    {
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
)

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
