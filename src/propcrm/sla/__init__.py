"""SLA engine: business calendars, targets and deadlines, the SLA clock, escalation, reports.

Domain brief §3. A request's service levels (:class:`SlaPolicy`: the targets of each priority,
on named calendars) are measured by :class:`RequestClocks`, a fold over the request's events
(:class:`Started`, :class:`Paused`, ...); :class:`BusinessCalendar` counts business time with
China's holidays and make-up workdays; :func:`poll_alerts` says when to warn and escalate,
:func:`attainment` reports what was met. Which priority a request gets is
:mod:`propcrm.classification`'s business: here a priority is only the code of a service level.

Depends only on :mod:`propcrm.money` and :mod:`propcrm.time`.
"""

from propcrm.sla._calendars import (
    BusinessCalendar,
)
from propcrm.sla._clock import (
    SlaClock,
)
from propcrm.sla._clock_records import (
    ClockState,
)
from propcrm.sla._clock_shapes import ClockShape
from propcrm.sla._escalation import (
    DEFAULT_ESCALATION,
    AlertLedger,
    Crossing,
    EscalationChannel,
    EscalationLevel,
    EscalationPolicy,
    SlaAlert,
    next_action_at,
    poll_alerts,
)
from propcrm.sla._events import (
    Cancelled,
    Paused,
    PriorityChanged,
    Reopened,
    Reset,
    Resumed,
    SlaEvent,
    Started,
    Stopped,
    TargetChanged,
)
from propcrm.sla._holidays import (
    ChinaHolidays,
    Holiday,
    HolidayList,
    HolidayProvider,
    HolidayYear,
    MakeUpDay,
    UnconfirmedPolicy,
)
from propcrm.sla._outages import (
    DEFAULT_OUTAGE_NOTICE,
    NoticeRule,
    OutageNoticePolicy,
    PlannedOutage,
    Utility,
)
from propcrm.sla._reports import (
    RecordStatus,
    ReportDimension,
    SlaRecord,
    attainment,
    records_of,
)
from propcrm.sla._request_clocks import (
    RequestClocks,
    RequestClocksDraft,
)
from propcrm.sla._request_fold import (
    RequestClocksFold,
)
from propcrm.sla._targets import (
    DEFAULT_SLA_POLICY,
    HOTLINE_CALENDAR,
    SERVICE_CALENDAR,
    AgreedTime,
    BusinessTime,
    CalendarSet,
    PriorityChangePolicy,
    ReopenPolicy,
    SameServiceDay,
    ServiceLevel,
    SlaPolicy,
    Target,
    TargetKind,
    Within,
)
from propcrm.sla._working_hours import (
    Closed,
    Open,
    WeeklyHours,
    Window,
)

__all__ = [
    "DEFAULT_ESCALATION",
    "DEFAULT_OUTAGE_NOTICE",
    "DEFAULT_SLA_POLICY",
    "HOTLINE_CALENDAR",
    "SERVICE_CALENDAR",
    "AgreedTime",
    "AlertLedger",
    "BusinessCalendar",
    "BusinessTime",
    "CalendarSet",
    "Cancelled",
    "ChinaHolidays",
    "ClockShape",
    "ClockState",
    "Closed",
    "Crossing",
    "EscalationChannel",
    "EscalationLevel",
    "EscalationPolicy",
    "Holiday",
    "HolidayList",
    "HolidayProvider",
    "HolidayYear",
    "MakeUpDay",
    "NoticeRule",
    "Open",
    "OutageNoticePolicy",
    "Paused",
    "PlannedOutage",
    "PriorityChangePolicy",
    "PriorityChanged",
    "RecordStatus",
    "ReopenPolicy",
    "Reopened",
    "ReportDimension",
    "RequestClocks",
    "RequestClocksDraft",
    "RequestClocksFold",
    "Reset",
    "Resumed",
    "SameServiceDay",
    "ServiceLevel",
    "SlaAlert",
    "SlaClock",
    "SlaEvent",
    "SlaPolicy",
    "SlaRecord",
    "Started",
    "Stopped",
    "Target",
    "TargetChanged",
    "TargetKind",
    "UnconfirmedPolicy",
    "Utility",
    "WeeklyHours",
    "Window",
    "Within",
    "attainment",
    "next_action_at",
    "poll_alerts",
    "records_of",
]


def __dir__() -> list[str]:
    return list(__all__)
