"""Scheduled customer care: move-in callbacks, regular visits and survey sampling (brief §4).

The brief asks for three kinds of care that run on a calendar, not on a request:

- "Callback visit to every new customer within one month of move-in":
  :func:`move_in_callbacks` lists the open callbacks (:class:`CareTask`) as of a date, and
  :func:`callback_response` turns a callback's score into a ``SurveyResponse``;
- "regular visits, with priority to customers who have complained": :func:`plan_visits`
  orders who is visited next (:class:`VisitPlan`), complainers first;
- "Satisfaction survey every quarter": :func:`survey_rounds` and :func:`survey_round_for` give
  the rounds of :mod:`propcrm.analytics`, and :func:`survey_sample` says who is asked.

Every rule reads plain values: a :class:`~propcrm.parties.PartyBook` (or its relations) for
who moved in, and the :class:`~propcrm.analytics.ComplaintHistory` protocol for complaints, so
the complaints lifecycle can feed these rules without this package importing it. Every number
is a field of :class:`CarePolicy` (:data:`DEFAULT_CARE_POLICY` holds the brief's); every task
or planned visit carries why, as data. Builds on :mod:`propcrm.parties` and
:mod:`propcrm.analytics`.

>>> import pendulum
>>> from propcrm.parties import Merchant
>>> shop = Merchant(
...     relation_id="R9",
...     party_id="O1",
...     unit_id="S-101",
...     start=pendulum.date(2026, 11, 3),
...     shop_name="阳光便利店",
... )
>>> (task,) = move_in_callbacks([shop], as_of=pendulum.date(2026, 11, 20))
>>> task.party_id, task.due_by, task.overdue
('O1', Date(2026, 12, 3), False)
>>> DEFAULT_CARE_POLICY.visit_cadence_months
6
"""

from propcrm.care._callbacks import (
    CareTask,
    MoveInReason,
    callback_response,
    move_in_callbacks,
)
from propcrm.care._keys import CareKey, CareKind
from propcrm.care._policy import DEFAULT_CARE_POLICY, CarePolicy
from propcrm.care._surveys import (
    SampledParty,
    SampleReason,
    SurveySample,
    survey_round_for,
    survey_rounds,
    survey_sample,
)
from propcrm.care._visits import (
    PlannedVisit,
    VisitPlan,
    VisitPriority,
    VisitReason,
    customers_on,
    plan_visits,
)

__all__ = [
    "DEFAULT_CARE_POLICY",
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


def __dir__() -> list[str]:
    return list(__all__)
