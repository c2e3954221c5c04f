"""Scheduled customer care: move-in callbacks, care visits and survey sampling (brief §4).

Plans who to call after they move in, who to visit (recent complainants first, then anyone not
visited for months) and who to ask in each quarter's survey round, each with its reason. Builds on
:mod:`propcrm.parties` and :mod:`propcrm.analytics`.
"""

from propcrm.care._care import (
    DEFAULT_CALLBACK_MONTHS,
    DEFAULT_CARE_POLICY,
    DEFAULT_COMPLAINT_LOOKBACK_MONTHS,
    DEFAULT_DISSATISFIED_UP_TO,
    DEFAULT_MOVE_IN_KINDS,
    DEFAULT_VISIT_CADENCE_MONTHS,
    CareKey,
    CareKind,
    CarePolicy,
    CareTask,
    MoveInReason,
    PlannedVisit,
    SampledParty,
    SampleReason,
    SurveySample,
    VisitPlan,
    VisitPriority,
    VisitReason,
    callback_response,
    customers_on,
    move_in_callbacks,
    plan_visits,
    survey_round_for,
    survey_rounds,
    survey_sample,
)

__all__ = [
    "DEFAULT_CALLBACK_MONTHS",
    "DEFAULT_CARE_POLICY",
    "DEFAULT_COMPLAINT_LOOKBACK_MONTHS",
    "DEFAULT_DISSATISFIED_UP_TO",
    "DEFAULT_MOVE_IN_KINDS",
    "DEFAULT_VISIT_CADENCE_MONTHS",
    "CareKey",
    "CareKind",
    "CarePolicy",
    "CareTask",
    "MoveInReason",
    "PlannedVisit",
    "SampleReason",
    "SampledParty",
    "SurveySample",
    "VisitPlan",
    "VisitPriority",
    "VisitReason",
    "callback_response",
    "customers_on",
    "move_in_callbacks",
    "plan_visits",
    "survey_round_for",
    "survey_rounds",
    "survey_sample",
]
