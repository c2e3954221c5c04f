"""A community's billing policy: one value bundling the cycle, proration, late fee and rounding.

>>> DEFAULT_POLICY.rounding
<RoundingMode.HALF_UP: 'ROUND_HALF_UP'>
"""

from __future__ import annotations

import attrs

from propcrm.billing._cycles import (
    DEFAULT_CYCLE,
    BillingCyclePolicy,
)
from propcrm.billing._late_fee_terms import (
    DEFAULT_LATE_FEE,
    LateFeePolicy,
)
from propcrm.billing._proration import ProrationPolicy
from propcrm.money import (
    CNY,
    RoundingMode,
    check_currency,
)

__all__ = ["DEFAULT_POLICY", "BillingPolicy"]


@attrs.frozen
class BillingPolicy:
    """How a community bills: each part has the domain brief's default.

    ``rounding`` is the mode of the one declared rounding point: each line's amount is rounded
    to the fen once, after its exact computation; the total is the exact sum of rounded lines.
    """

    cycle: BillingCyclePolicy = DEFAULT_CYCLE
    proration: ProrationPolicy = attrs.field(factory=ProrationPolicy)
    late_fee: LateFeePolicy = DEFAULT_LATE_FEE
    rounding: RoundingMode = RoundingMode.HALF_UP
    currency: str = attrs.field(default=CNY, validator=lambda _i, _a, v: check_currency(v))


DEFAULT_POLICY = BillingPolicy()
"""Monthly in arrears, due the 10th, actual-days proration, 0.3 %/day, half-up to the fen."""
