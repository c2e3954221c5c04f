"""Service requests and complaints: a strict, audited lifecycle with SLA clocks (brief §3–§4).

One :class:`Request` type serves complaints, repairs, enquiries, suggestions and special-service
orders. Its lifecycle follows ISO 10002 (GB/T 19012) and the brief's 受理 → 处理 → 跟踪 → 回访,
with third-party mediation (ISO 10003); every step is a row of one declared
:class:`TransitionTable`, checked for state, role, data and guards, and recorded in an
append-only history that :meth:`Request.replay` rebuilds exactly, SLA clocks included.

>>> import pendulum
>>> from propcrm.classification import Category
>>> agent = Actor("KF-01", Role.AGENT)
>>> at = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
>>> leak = Request.receive(
...     Intake(
...         request_id="BX-1",
...         kind=RequestKind.REPAIR,
...         requester="P-1",
...         channel=IntakeChannel.HOTLINE,
...         category=Category.WATER_LEAK,
...         description="卫生间漏水",
...     ),
...     agent,
...     at,
... )
>>> leak.state.value, sorted(a.value for a in leak.allowed_actions)[:3]
('received', ['acknowledge', 'escalate', 'mark_duplicate'])
>>> Request.replay(leak.take(Action.ACKNOWLEDGE, agent, at).history).state.value
'acknowledged'

Every number is a field of :class:`LifecyclePolicy` (:data:`DEFAULT_LIFECYCLE_POLICY` holds the
defaults). Depends on :mod:`propcrm.sla`, :mod:`propcrm.parties` and :mod:`propcrm.billing`,
never the other way round.
"""

from propcrm.complaints._actors import (
    SYSTEM,
    Actor,
    Role,
)
from propcrm.complaints._clock_shapes import (
    CLOCK_COLUMNS,
    ClockColumns,
    ShapedClocks,
    ShapeGroup,
    clock_columns,
    shape_clocks,
)
from propcrm.complaints._clocks import reason_text
from propcrm.complaints._diagram import (
    mermaid,
    transition_table_markdown,
)
from propcrm.complaints._dispatch import (
    ANYWHERE,
    SKILL_BY_CATEGORY,
    CandidateTrial,
    DispatchDecision,
    RejectReason,
    Roster,
    Skill,
    StaffMember,
    Team,
    choose_assignee,
    skill_for,
)
from propcrm.complaints._history import (
    CallbackScore,
    ComplaintLog,
    LoggedComplaint,
    complaint_logs,
)
from propcrm.complaints._kinds import (
    Attachment,
    IntakeChannel,
    RequestKind,
)
from propcrm.complaints._policy import (
    DEFAULT_LIFECYCLE_POLICY,
    AssigneeCheck,
    LifecyclePolicy,
)
from propcrm.complaints._quotes import (
    Quote,
    quote_service,
)
from propcrm.complaints._reports import (
    Gap,
    GapEntry,
    GapReport,
    principle_gaps,
    status_counts,
)
from propcrm.complaints._requests import (
    Assignment,
    Request,
)
from propcrm.complaints._special_services import (
    billable_orders,
    post_charge,
    post_charges,
)
from propcrm.complaints._states import (
    TERMINAL_STATES,
    Iso10002Stage,
    State,
)
from propcrm.complaints._steps import (
    CallbackOutcome,
    CallbackRecord,
    HoldReason,
    Intake,
    Step,
    StepData,
)
from propcrm.complaints._transitions import (
    DEFAULT_TRANSITIONS,
    Action,
    Field,
    Guard,
    Transition,
    TransitionTable,
)

__all__ = [
    "ANYWHERE",
    "CLOCK_COLUMNS",
    "DEFAULT_LIFECYCLE_POLICY",
    "DEFAULT_TRANSITIONS",
    "SKILL_BY_CATEGORY",
    "SYSTEM",
    "TERMINAL_STATES",
    "Action",
    "Actor",
    "AssigneeCheck",
    "Assignment",
    "Attachment",
    "CallbackOutcome",
    "CallbackRecord",
    "CallbackScore",
    "CandidateTrial",
    "ClockColumns",
    "ComplaintLog",
    "DispatchDecision",
    "Field",
    "Gap",
    "GapEntry",
    "GapReport",
    "Guard",
    "HoldReason",
    "Intake",
    "IntakeChannel",
    "Iso10002Stage",
    "LifecyclePolicy",
    "LoggedComplaint",
    "Quote",
    "RejectReason",
    "Request",
    "RequestKind",
    "Role",
    "Roster",
    "ShapeGroup",
    "ShapedClocks",
    "Skill",
    "StaffMember",
    "State",
    "Step",
    "StepData",
    "Team",
    "Transition",
    "TransitionTable",
    "billable_orders",
    "choose_assignee",
    "clock_columns",
    "complaint_logs",
    "mermaid",
    "post_charge",
    "post_charges",
    "principle_gaps",
    "quote_service",
    "reason_text",
    "shape_clocks",
    "skill_for",
    "status_counts",
    "transition_table_markdown",
]


def __dir__() -> list[str]:
    return list(__all__)
