"""Behaviour rules on punctuality: on-time ratio, days late, late notices, arrears.

Each needs the policy's minimum of assessed notices (``BehaviourPolicy.min_statements``); with
fewer the answer is insufficient history, never a low score. Ratios and averages are compared
exactly, as fractions.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import ClassVar

import attrs

from propcrm.analytics import PaymentBehaviour
from propcrm.money import Money, as_optional_money
from propcrm.segmentation._checks import (
    MAX_AVERAGE_DAYS_LATE,
    as_fraction,
    bounds_text,
    check_bounds,
    decimal_bound,
    decimal_or_none,
    int_bound,
    money_bound,
    same_currency_bound,
    within,
)
from propcrm.segmentation._outcomes import Outcome
from propcrm.segmentation._rules import LeafRule, RuleFamily, insufficient
from propcrm.segmentation._subjects import PartyFacts

__all__ = ["Arrears", "AverageDaysLate", "LateStatements", "MaxDaysLate", "OnTimeRatio"]


def _punctuality(facts: PartyFacts) -> PaymentBehaviour | None:
    payments = facts.payments
    return payments if payments.sufficient else None


def _too_few(facts: PartyFacts) -> tuple[Outcome, object, str]:
    assessed = facts.payments.assessed
    return insufficient(f"{assessed} notices assessed, {facts.policy.min_statements} needed")


def _ratio(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value)


@attrs.frozen
class OnTimeRatio(LeafRule):
    """Share of assessed notices paid in full by their due date within the bounds (0 to 1)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.BEHAVIOURAL
    at_least: Decimal | None = attrs.field(
        default=None,
        converter=decimal_or_none,
        validator=decimal_bound("on-time ratio", maximum=Decimal(1)),
        kw_only=True,
    )
    at_most: Decimal | None = attrs.field(
        default=None,
        converter=decimal_or_none,
        validator=decimal_bound("on-time ratio", maximum=Decimal(1)),
        kw_only=True,
    )

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The on-time ratio, exactly."""
        payments = _punctuality(facts)
        if payments is None or payments.on_time_ratio is None:
            return _too_few(facts)
        ratio = payments.on_time_ratio
        return (
            Outcome.of(within(ratio, as_fraction(self.at_least), as_fraction(self.at_most))),
            ratio,
            f"{payments.on_time} of {payments.assessed} notices on time",
        )

    def describe(self) -> str:
        """The ratio band."""
        return bounds_text("on-time ratio", self.at_least, self.at_most)


@attrs.frozen
class AverageDaysLate(LeafRule):
    """Mean days late over the assessed notices within the bounds."""

    family: ClassVar[RuleFamily | None] = RuleFamily.BEHAVIOURAL
    at_least: Decimal | None = attrs.field(
        default=None,
        converter=decimal_or_none,
        validator=decimal_bound("average days late", maximum=MAX_AVERAGE_DAYS_LATE),
        kw_only=True,
    )
    at_most: Decimal | None = attrs.field(
        default=None,
        converter=decimal_or_none,
        validator=decimal_bound("average days late", maximum=MAX_AVERAGE_DAYS_LATE),
        kw_only=True,
    )

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The mean days late, exactly."""
        payments = _punctuality(facts)
        if payments is None or payments.average_days_late is None:
            return _too_few(facts)
        mean = payments.average_days_late
        return (
            Outcome.of(within(mean, as_fraction(self.at_least), as_fraction(self.at_most))),
            mean,
            f"{_ratio(mean)} days late on average",
        )

    def describe(self) -> str:
        """The band."""
        return bounds_text("average days late", self.at_least, self.at_most)


@attrs.frozen
class MaxDaysLate(LeafRule):
    """Most days late of one assessed notice within the bounds."""

    family: ClassVar[RuleFamily | None] = RuleFamily.BEHAVIOURAL
    at_least: int | None = attrs.field(
        default=None, validator=int_bound("max days late"), kw_only=True
    )
    at_most: int | None = attrs.field(
        default=None, validator=int_bound("max days late"), kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The most days late."""
        payments = _punctuality(facts)
        if payments is None or payments.max_days_late is None:
            return _too_few(facts)
        most = payments.max_days_late
        return Outcome.of(within(most, self.at_least, self.at_most)), most, f"{most} days at most"

    def describe(self) -> str:
        """The band."""
        return bounds_text("max days late", self.at_least, self.at_most)


@attrs.frozen
class LateStatements(LeafRule):
    """Number of assessed notices not paid in full by their due date within the bounds."""

    family: ClassVar[RuleFamily | None] = RuleFamily.BEHAVIOURAL
    at_least: int | None = attrs.field(
        default=None, validator=int_bound("late notices"), kw_only=True
    )
    at_most: int | None = attrs.field(
        default=None, validator=int_bound("late notices"), kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The late count."""
        payments = _punctuality(facts)
        if payments is None:
            return _too_few(facts)
        late = payments.late
        return (
            Outcome.of(within(late, self.at_least, self.at_most)),
            late,
            f"{late} of {payments.assessed} notices late",
        )

    def describe(self) -> str:
        """The band."""
        return bounds_text("late notices", self.at_least, self.at_most)


@attrs.frozen
class Arrears(LeafRule):
    """Unpaid on notices that fell due before the date, however old, within the bounds.

    Needs at least one notice that fell due; without one the answer is insufficient history.
    """

    family: ClassVar[RuleFamily | None] = RuleFamily.BEHAVIOURAL
    at_least: Money | None = attrs.field(
        default=None,
        converter=as_optional_money,
        validator=money_bound("arrears"),
        kw_only=True,
    )
    at_most: Money | None = attrs.field(
        default=None,
        converter=as_optional_money,
        validator=money_bound("arrears"),
        kw_only=True,
    )

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The arrears."""
        same_currency_bound(facts, self.at_least)
        same_currency_bound(facts, self.at_most)
        payments = facts.payments
        if payments.overdue == 0:
            return insufficient("no notice has fallen due")
        arrears = payments.arrears
        return (
            Outcome.of(within(arrears, self.at_least, self.at_most)),
            arrears,
            f"arrears {arrears}",
        )

    def describe(self) -> str:
        """The band."""
        return bounds_text("arrears", self.at_least, self.at_most)
