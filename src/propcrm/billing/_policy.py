"""A community's billing policy: one value bundling the cycle, proration, late fee and rounding.

>>> DEFAULT_POLICY.rounding
<RoundingMode.HALF_UP: 'ROUND_HALF_UP'>
"""

from __future__ import annotations

import attrs

from propcrm._validators import instance_of
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

    cycle: BillingCyclePolicy = attrs.field(
        default=DEFAULT_CYCLE, validator=instance_of(BillingCyclePolicy)
    )
    proration: ProrationPolicy = attrs.field(
        factory=ProrationPolicy, validator=instance_of(ProrationPolicy)
    )
    late_fee: LateFeePolicy = attrs.field(
        default=DEFAULT_LATE_FEE, validator=instance_of(LateFeePolicy)
    )
    rounding: RoundingMode = attrs.field(
        default=RoundingMode.HALF_UP, validator=instance_of(RoundingMode)
    )
    currency: str = attrs.field(default=CNY, validator=lambda _i, _a, v: check_currency(v))


DEFAULT_POLICY = BillingPolicy()
"""Monthly in arrears, due the 10th, actual-days proration, 0.3 %/day, half-up to the fen."""
