"""Which strategy of :mod:`propcrm.testing.strategies` is each type's default.

Kept apart from the strategies themselves so the hypothesis entry point can read it without
importing the strategy module (see ``_hypothesis_hook``).
"""

from __future__ import annotations

from propcrm.money import Money, Rate
from propcrm.time import BillingPeriod


def default_strategies() -> list[tuple[type, str]]:
    """Pairs of (type, name of its default strategy function)."""
    return [
        (Money, "moneys"),
        (Rate, "rates"),
        (BillingPeriod, "billing_periods"),
    ]
