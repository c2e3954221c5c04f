"""Receivables: collecting what the fee notices say is owed.

Accounts as a fold over their events (notices, receipts, credits, refunds, waivers, write-offs,
collection costs, corrections, disputes, deferrals), how a payment is allocated (Civil Code
art. 561), late fees under each notice's terms, arrears aged in buckets, dunning under art. 944,
prepaid balances that settle each new notice on its issue date, a late fee beside what a court
would likely allow, and the published fee-usage report beside the period's collections. Built
on :mod:`propcrm.billing`, whose notices it collects.

>>> notice = opening_statement(
...     community="SUNRISE",
...     unit_id="1-2-0301",
...     period=BillingPeriod.month(2026, 11),
...     amount=Money("1000.00"),
...     due_on=pendulum.date(2026, 12, 10),
... )
>>> account = Account("1-2-0301", billed_party="owner-17").post(
...     notice, Receipt("BANK-1", Money("400.00"), received_on=pendulum.date(2026, 12, 20))
... )
>>> row = account.balance(as_of=pendulum.date(2026, 12, 30)).statements[0]
>>> row.late_fee.amount, row.principal_outstanding
(Money('48.90', 'CNY'), Money('630.00', 'CNY'))
"""

from propcrm.receivables._accounts import (
    Account,
    AccountBalance,
    AccountEvent,
    StatementBalance,
    StatementOwed,
    StatementPosition,
    StatementState,
)
from propcrm.receivables._adjustments import (
    Authorisation,
    CollectionCost,
    Correction,
    Credit,
    LateFeeWaiver,
    PrincipalWaiver,
    Refund,
    WriteOff,
)
from propcrm.receivables._allocation import (
    DEFAULT_ALLOCATION,
    Allocation,
    AllocationOrder,
    AllocationPolicy,
    Component,
    Outstanding,
    allocate_payment,
)
from propcrm.receivables._arrears import (
    DEFAULT_AGING,
    AgingPolicy,
    ArrearsReport,
    age_account,
    age_owed,
    arrears_as_of,
)
from propcrm.receivables._deferrals import (
    Deferral,
)
from propcrm.receivables._disputes import (
    DEFAULT_DISPUTES,
    DisputePolicy,
    DisputeRaised,
    DisputeResolved,
)
from propcrm.receivables._dunning import (
    DEFAULT_DUNNING_LEVELS,
    DecisionKind,
    DunningChannel,
    DunningDecision,
    DunningLevel,
    DunningPlan,
    DunningResult,
    DunningRule,
    ForbiddenMeasure,
    StepTaken,
    demand_dates,
    due_steps,
)
from propcrm.receivables._fee_usage import (
    Collections,
    FeeUsageReport,
    collections_between,
    collections_over,
    fee_usage_report,
)
from propcrm.receivables._late_fees import (
    LateFee,
    PrincipalReduction,
    late_fee,
)
from propcrm.receivables._litigation import (
    LitigationExposure,
    litigation_exposure,
    lpr_reference,
)
from propcrm.receivables._prepaid import (
    PrepaidBalance,
    PrepaidMovement,
)
from propcrm.receivables._receipts import (
    PayerRole,
    Receipt,
)

__all__ = [
    "DEFAULT_AGING",
    "DEFAULT_ALLOCATION",
    "DEFAULT_DISPUTES",
    "DEFAULT_DUNNING_LEVELS",
    "Account",
    "AccountBalance",
    "AccountEvent",
    "AgingPolicy",
    "Allocation",
    "AllocationOrder",
    "AllocationPolicy",
    "ArrearsReport",
    "Authorisation",
    "CollectionCost",
    "Collections",
    "Component",
    "Correction",
    "Credit",
    "DecisionKind",
    "Deferral",
    "DisputePolicy",
    "DisputeRaised",
    "DisputeResolved",
    "DunningChannel",
    "DunningDecision",
    "DunningLevel",
    "DunningPlan",
    "DunningResult",
    "DunningRule",
    "FeeUsageReport",
    "ForbiddenMeasure",
    "LateFee",
    "LateFeeWaiver",
    "LitigationExposure",
    "Outstanding",
    "PayerRole",
    "PrepaidBalance",
    "PrepaidMovement",
    "PrincipalReduction",
    "PrincipalWaiver",
    "Receipt",
    "Refund",
    "StatementBalance",
    "StatementOwed",
    "StatementPosition",
    "StatementState",
    "StepTaken",
    "WriteOff",
    "age_account",
    "age_owed",
    "allocate_payment",
    "arrears_as_of",
    "collections_between",
    "collections_over",
    "demand_dates",
    "due_steps",
    "fee_usage_report",
    "late_fee",
    "litigation_exposure",
    "lpr_reference",
]


def __dir__() -> list[str]:
    return list(__all__)
