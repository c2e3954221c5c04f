"""Customer analytics: behaviour scores and satisfaction surveys, as of explicit dates.

What a customer did and said, measured (domain brief §4, §5): punctuality of fee payments,
discretionary spend on special services, RFM scores over a portfolio, the complaint side
(complaints in a window, the latest satisfaction score), and the quarterly satisfaction survey
with CSAT, NPS and the ten SERVQUAL gaps. Every figure is computed from plain facts
(:class:`PaymentFact`, :class:`ServicePurchase`, a :class:`ComplaintHistory`,
:class:`SurveyResponse`), so this package needs only :mod:`propcrm.money` and
:mod:`propcrm.time`; :mod:`propcrm.segmentation` sorts customers by these measures, and
:mod:`propcrm.care` schedules visits and surveys with them.

>>> import pendulum
>>> from propcrm.money import Money
>>> notices = [
...     PaymentFact(
...         f"N-{m}", pendulum.date(2026, m, 10), Money("250.24"), paid_on=pendulum.date(2026, m, 8)
...     )
...     for m in range(1, 12)
... ]
>>> payment_behaviour(notices, pendulum.date(2026, 12, 1)).on_time_ratio
Fraction(1, 1)
>>> csat([5, 4, 4, 2]).score
Decimal('75.0')

Every threshold is a policy value: :class:`BehaviourPolicy` (windows, minimum history, RFM
scoring) and :class:`SurveyPolicy` (scales, thresholds, minimum responses, confidence), with
:data:`DEFAULT_BEHAVIOUR_POLICY` and :data:`DEFAULT_SURVEY_POLICY` holding the defaults.
"""

from propcrm.analytics._behaviour import (
    DEFAULT_BEHAVIOUR_POLICY,
    DEFAULT_CALLBACK_MONTHS,
    SATISFACTION_SCALE,
    BehaviourPolicy,
    ComplaintBehaviour,
    ComplaintHistory,
    ComplaintRecord,
    FixedThresholds,
    PaymentBehaviour,
    PaymentFact,
    Quantiles,
    RfmComponent,
    RfmInput,
    RfmPolicy,
    RfmScore,
    RfmSource,
    SatisfactionScore,
    ServicePurchase,
    SpendBehaviour,
    TieMethod,
    complaint_behaviour,
    is_existing_customer,
    payment_behaviour,
    rfm_input,
    rfm_scores,
    spend_behaviour,
)
from propcrm.analytics._satisfaction import (
    DEFAULT_SURVEY_POLICY,
    ConfidenceInterval,
    CriterionGap,
    CriterionScore,
    CsatResult,
    IntervalMethod,
    NpsResult,
    SatisfactionSummary,
    ServiceCriterion,
    SurveyGrouping,
    SurveyPolicy,
    SurveyResponse,
    SurveyRound,
    csat,
    nps,
    quarterly,
    summarise,
)

__all__ = [
    "DEFAULT_BEHAVIOUR_POLICY",
    "DEFAULT_CALLBACK_MONTHS",
    "DEFAULT_SURVEY_POLICY",
    "SATISFACTION_SCALE",
    "BehaviourPolicy",
    "ComplaintBehaviour",
    "ComplaintHistory",
    "ComplaintRecord",
    "ConfidenceInterval",
    "CriterionGap",
    "CriterionScore",
    "CsatResult",
    "FixedThresholds",
    "IntervalMethod",
    "NpsResult",
    "PaymentBehaviour",
    "PaymentFact",
    "Quantiles",
    "RfmComponent",
    "RfmInput",
    "RfmPolicy",
    "RfmScore",
    "RfmSource",
    "SatisfactionScore",
    "SatisfactionSummary",
    "ServiceCriterion",
    "ServicePurchase",
    "SpendBehaviour",
    "SurveyGrouping",
    "SurveyPolicy",
    "SurveyResponse",
    "SurveyRound",
    "TieMethod",
    "complaint_behaviour",
    "csat",
    "is_existing_customer",
    "nps",
    "payment_behaviour",
    "quarterly",
    "rfm_input",
    "rfm_scores",
    "spend_behaviour",
    "summarise",
]


def __dir__() -> list[str]:
    return list(__all__)
