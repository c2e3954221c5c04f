"""Billing: charge rules, versioned tariffs, proration, billing cycles and fee notices.

Everything a community's month-end billing needs, as pure functions over frozen values
(domain brief §2). Money and time come from :mod:`propcrm.money` and :mod:`propcrm.time`;
:class:`~propcrm.time.BillingPeriod` is re-exported here because every billing call takes one.
"""

from propcrm.billing.billing_runs import DEFAULT_SPECIAL_SERVICE, BillingRun, issue_statement
from propcrm.billing.charges import (
    AreaCharge,
    ChargeExplanation,
    ChargeKind,
    ChargeLine,
    ChargeRule,
    FixedCharge,
    MeteredCharge,
    ParkingCharge,
    PeriodicCharge,
    Proration,
    SpecialServiceCharge,
)
from propcrm.billing.cycles import (
    DEFAULT_CYCLE,
    DEFAULT_DUE_DAY,
    BillingCyclePolicy,
    DueDate,
    DueDaysAfterStatement,
    DueInAdvance,
    DueOnDayOfFollowingMonth,
    DueRule,
)
from propcrm.billing.fee_categories import FeeCategory, FeeUsage, FeeUsageRow
from propcrm.billing.late_fees import DEFAULT_LATE_FEE, DEFAULT_LATE_FEE_RATE, LateFeePolicy
from propcrm.billing.metering import MeterReading, MeterReplacement, Tier, TieredPrice, TierUse
from propcrm.billing.policy import DEFAULT_POLICY, BillingPolicy
from propcrm.billing.price_lists import PriceItem, PriceList, PriceLists, SpecialServiceOrder
from propcrm.billing.proration import (
    ProrationConvention,
    ProrationPart,
    ProrationPolicy,
    period_segments,
    split_by_days,
)
from propcrm.billing.statements import Statement, statement_number
from propcrm.billing.tariffs import (
    DEFAULT_MIN_NOTICE_DAYS,
    Approval,
    Approver,
    Tariff,
    TariffPolicy,
    TariffVersion,
)
from propcrm.billing.units import ALWAYS, AreaBasis, BillableSpan, BillableUnit, UnitProfile
from propcrm.billing.usage import NO_USAGE, UnitUsage
from propcrm.property_types import PropertyType
from propcrm.time import BillingPeriod, PeriodKind

__all__ = [
    "ALWAYS",
    "DEFAULT_CYCLE",
    "DEFAULT_DUE_DAY",
    "DEFAULT_LATE_FEE",
    "DEFAULT_LATE_FEE_RATE",
    "DEFAULT_MIN_NOTICE_DAYS",
    "DEFAULT_POLICY",
    "DEFAULT_SPECIAL_SERVICE",
    "NO_USAGE",
    "Approval",
    "Approver",
    "AreaBasis",
    "AreaCharge",
    "BillableSpan",
    "BillableUnit",
    "BillingCyclePolicy",
    "BillingPeriod",
    "BillingPolicy",
    "BillingRun",
    "ChargeExplanation",
    "ChargeKind",
    "ChargeLine",
    "ChargeRule",
    "DueDate",
    "DueDaysAfterStatement",
    "DueInAdvance",
    "DueOnDayOfFollowingMonth",
    "DueRule",
    "FeeCategory",
    "FeeUsage",
    "FeeUsageRow",
    "FixedCharge",
    "LateFeePolicy",
    "MeterReading",
    "MeterReplacement",
    "MeteredCharge",
    "ParkingCharge",
    "PeriodKind",
    "PeriodicCharge",
    "PriceItem",
    "PriceList",
    "PriceLists",
    "PropertyType",
    "Proration",
    "ProrationConvention",
    "ProrationPart",
    "ProrationPolicy",
    "SpecialServiceCharge",
    "SpecialServiceOrder",
    "Statement",
    "Tariff",
    "TariffPolicy",
    "TariffVersion",
    "Tier",
    "TierUse",
    "TieredPrice",
    "UnitProfile",
    "UnitUsage",
    "issue_statement",
    "period_segments",
    "split_by_days",
    "statement_number",
]
