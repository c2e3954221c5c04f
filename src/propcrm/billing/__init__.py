"""Billing: issuing fee notices (缴费通知单) and the rules they are computed by.

Charge rules, versioned and approved tariffs, special-service price lists, metering and tiered
prices, proration, billing cycles and due dates, the late-fee terms each notice states, billing
runs and the notices themselves, declared and approved concessions (vacant units, paying ahead,
fixed-term reductions) shown as lines of their own, and the nine categories the management fee
pays for (domain brief §2), as pure functions over frozen values. Money and time come from
:mod:`propcrm.money` and :mod:`propcrm.time`. Collecting what the notices say is owed
(accounts, receipts, late fees, arrears, dunning) is :mod:`propcrm.receivables`, one layer up.

>>> approval = Approval(Approver.OWNERS_COMMITTEE, "业委会决议 2025-07", pendulum.date(2025, 11, 1))
>>> fees = {PropertyType.RESIDENTIAL: [AreaCharge("MGMT", "物业管理费", Money("2.80"))]}
>>> version = TariffVersion(
...     "2026",
...     effective_from=pendulum.date(2026, 1, 1),
...     announced_on=pendulum.date(2025, 11, 20),
...     approval=approval,
...     charges=fees,
... )
>>> tariff = Tariff("SUNRISE", [version])
>>> unit = UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, building_area="89.37")
>>> notice = issue_statement(
...     community="SUNRISE", unit=unit, period=BillingPeriod.month(2026, 11), tariff=tariff
... )
>>> notice.number, notice.total, notice.due_on
('SUNRISE/2026-11/1-2-0301', Money('250.24', 'CNY'), Date(2026, 12, 10))
"""

from propcrm._property_types import (
    PropertyType,
)
from propcrm.billing._billing_runs import (
    BillingRun,
    issue_statement,
)
from propcrm.billing._charge_units import (
    ChargeUnit,
)
from propcrm.billing._charges import (
    AreaCharge,
    ChargeExplanation,
    ChargeKind,
    ChargeLine,
    ChargeRule,
    FixedCharge,
    MeteredCharge,
    ParkingCharge,
    SpecialServiceCharge,
)
from propcrm.billing._concessions import (
    Concession,
    ConcessionLine,
)
from propcrm.billing._cycles import (
    DEFAULT_CYCLE,
    BillingCyclePolicy,
    DueDate,
    DueDaysAfterStatement,
    DueInAdvance,
    DueOnDayOfFollowingMonth,
    DueRule,
)
from propcrm.billing._fee_categories import (
    FeeCategory,
    FeeUsage,
)
from propcrm.billing._late_fee_terms import (
    DEFAULT_LATE_FEE,
    MAX_DAILY_LATE_FEE_RATE,
    AbsoluteCap,
    AnnualisedRateCap,
    Compounding,
    GraceKind,
    LateFeeCap,
    LateFeePolicy,
    NoCap,
    PercentOfPrincipalCap,
    StartRule,
)
from propcrm.billing._metering import (
    MeterReading,
    MeterReplacement,
    Tier,
    TieredPrice,
)
from propcrm.billing._numbering import (
    statement_number,
)
from propcrm.billing._policy import (
    DEFAULT_POLICY,
    BillingPolicy,
)
from propcrm.billing._price_lists import (
    PriceItem,
    PriceList,
    PriceLists,
    SpecialServiceOrder,
)
from propcrm.billing._proration import (
    ProrationConvention,
    ProrationPolicy,
    split_by_days,
)
from propcrm.billing._statements import (
    Statement,
    opening_line,
    opening_statement,
)
from propcrm.billing._tariffs import (
    Approval,
    Approver,
    Tariff,
    TariffPolicy,
    TariffVersion,
)
from propcrm.billing._units import (
    AreaBasis,
    BillableSpan,
    BillableUnit,
    UnitProfile,
)
from propcrm.billing._usage import (
    UnitUsage,
)

__all__ = [
    "DEFAULT_CYCLE",
    "DEFAULT_LATE_FEE",
    "DEFAULT_POLICY",
    "MAX_DAILY_LATE_FEE_RATE",
    "AbsoluteCap",
    "AnnualisedRateCap",
    "Approval",
    "Approver",
    "AreaBasis",
    "AreaCharge",
    "BillableSpan",
    "BillableUnit",
    "BillingCyclePolicy",
    "BillingPolicy",
    "BillingRun",
    "ChargeExplanation",
    "ChargeKind",
    "ChargeLine",
    "ChargeRule",
    "ChargeUnit",
    "Compounding",
    "Concession",
    "ConcessionLine",
    "DueDate",
    "DueDaysAfterStatement",
    "DueInAdvance",
    "DueOnDayOfFollowingMonth",
    "DueRule",
    "FeeCategory",
    "FeeUsage",
    "FixedCharge",
    "GraceKind",
    "LateFeeCap",
    "LateFeePolicy",
    "MeterReading",
    "MeterReplacement",
    "MeteredCharge",
    "NoCap",
    "ParkingCharge",
    "PercentOfPrincipalCap",
    "PriceItem",
    "PriceList",
    "PriceLists",
    "PropertyType",
    "ProrationConvention",
    "ProrationPolicy",
    "SpecialServiceCharge",
    "SpecialServiceOrder",
    "StartRule",
    "Statement",
    "Tariff",
    "TariffPolicy",
    "TariffVersion",
    "Tier",
    "TieredPrice",
    "UnitProfile",
    "UnitUsage",
    "issue_statement",
    "opening_line",
    "opening_statement",
    "split_by_days",
    "statement_number",
]


def __dir__() -> list[str]:
    return list(__all__)
