"""The mutable state a request's fold works on; frozen into a Request once the step is taken.

A replay folds many steps into one draft and freezes it once, which is what makes replaying a
portfolio's histories cheap. Nothing outside :mod:`propcrm.complaints` sees a draft.
"""

from __future__ import annotations

import pendulum

from propcrm.complaints._kinds import RequestKind
from propcrm.complaints._quotes import Quote
from propcrm.complaints._states import State
from propcrm.complaints._steps import CallbackRecord, HoldReason, Intake, Step


class Draft:
    """A request being folded: the same fields as :class:`~propcrm.complaints.Request`."""

    __slots__ = (
        "appointment",
        "appointment_done",
        "assignee",
        "callback",
        "callback_attempts",
        "charge_statement",
        "closed_at",
        "duplicate_of",
        "escalation_level",
        "history",
        "hold_reason",
        "intake",
        "kind",
        "priority",
        "quote",
        "quote_accepted",
        "received_at",
        "referral",
        "reopens",
        "request_id",
        "resolution",
        "resolved_at",
        "state",
        "team",
    )

    def __init__(self, receipt: Step, intake: Intake, priority: str) -> None:
        self.request_id: str = intake.request_id
        self.kind: RequestKind = intake.kind
        self.intake: Intake = intake
        self.received_at: pendulum.DateTime = receipt.at
        self.state: State = State.RECEIVED
        self.priority: str = priority
        self.assignee: str | None = None
        self.team: str | None = None
        self.escalation_level: int = 0
        self.hold_reason: HoldReason | None = None
        self.appointment: pendulum.DateTime | None = None
        self.appointment_done: bool = False
        self.resolution: str | None = None
        self.resolved_at: pendulum.DateTime | None = None
        self.callback_attempts: int = 0
        self.callback: CallbackRecord | None = None
        self.quote: Quote | None = None
        self.quote_accepted: bool = False
        self.charge_statement: str | None = None
        self.referral: str | None = None
        self.duplicate_of: str | None = None
        self.closed_at: pendulum.DateTime | None = None
        self.reopens: int = 0
        self.history: list[Step] = [receipt]

    @property
    def last_at(self) -> pendulum.DateTime:
        """When the last step was taken."""
        return self.history[-1].at
