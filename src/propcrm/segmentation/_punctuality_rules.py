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

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, pgettext
from propcrm.analytics import PaymentBehaviour
from propcrm.money import Money
from propcrm.segmentation import _later as later
from propcrm.segmentation._checks import (
    MAX_AVERAGE_DAYS_LATE,
    as_fraction,
    bounds_text,
    check_bounds,
    decimal_bound,
    decimal_or_none,
    int_bound,
    money_at_least,
    money_at_most,
    money_bound,
    same_currency_bound,
    within,
)
from propcrm.segmentation._outcomes import Observation, Outcome
from propcrm.segmentation._rules import LeafRule, RuleFamily, insufficient
from propcrm.segmentation._subjects import PartyFacts

__all__ = ["Arrears", "AverageDaysLate", "LateStatements", "MaxDaysLate", "OnTimeRatio"]


def _punctuality(facts: PartyFacts) -> PaymentBehaviour | None:
    payments = facts.payments
    return payments if payments.sufficient else None


def _too_few(facts: PartyFacts) -> tuple[Outcome, object, Observation]:
    assessed = facts.payments.assessed
    return insufficient(
        later.ngettext(
            "insufficient history: %(num)d notice assessed, %(needed)d needed",
            "insufficient history: %(num)d notices assessed, %(needed)d needed",
            assessed,
            needed=facts.policy.min_statements,
        )
    )


def _ratio(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value)


def _plural_count(value: Fraction) -> int:
    # The count that picks a plural form for an exact mean: a whole number is its own count; a
    # fraction takes the form of "many" in both languages (CLDR: 1.5 days, 1/2 days), which
    # 2 selects.
    return value.numerator if value.denominator == 1 else 2


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

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """The on-time ratio, exactly."""
        payments = _punctuality(facts)
        if payments is None or payments.on_time_ratio is None:
            return _too_few(facts)
        ratio = payments.on_time_ratio
        return (
            Outcome.of(within(ratio, as_fraction(self.at_least), as_fraction(self.at_most))),
            ratio,
            later.ngettext(
                "%(on_time)d of %(num)d notice on time",
                "%(on_time)d of %(num)d notices on time",
                payments.assessed,
                on_time=payments.on_time,
            ),
        )

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The ratio band, e.g. ``'按时缴费率 ≥ 0.9'`` (zh_CN)."""
        name = check_locale(locale)
        measure = pgettext("segment measure", "on-time ratio", locale=name)
        return bounds_text(measure, self.at_least, self.at_most, name)


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

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """The mean days late, exactly."""
        payments = _punctuality(facts)
        if payments is None or payments.average_days_late is None:
            return _too_few(facts)
        mean = payments.average_days_late
        return (
            Outcome.of(within(mean, as_fraction(self.at_least), as_fraction(self.at_most))),
            mean,
            later.ngettext(
                "%(mean)s day late on average",
                "%(mean)s days late on average",
                _plural_count(mean),
                mean=_ratio(mean),
            ),
        )

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The band, e.g. ``'平均逾期天数 ≥ 10'`` (zh_CN)."""
        name = check_locale(locale)
        measure = pgettext("segment measure", "average days late", locale=name)
        return bounds_text(measure, self.at_least, self.at_most, name)


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

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """The most days late."""
        payments = _punctuality(facts)
        if payments is None or payments.max_days_late is None:
            return _too_few(facts)
        most = payments.max_days_late
        observed = later.ngettext("%(num)d day at most", "%(num)d days at most", most)
        return Outcome.of(within(most, self.at_least, self.at_most)), most, observed

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The band, e.g. ``'最长逾期天数 ≥ 30'`` (zh_CN)."""
        name = check_locale(locale)
        measure = pgettext("segment measure", "max days late", locale=name)
        return bounds_text(measure, self.at_least, self.at_most, name)


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

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """The late count."""
        payments = _punctuality(facts)
        if payments is None:
            return _too_few(facts)
        late = payments.late
        return (
            Outcome.of(within(late, self.at_least, self.at_most)),
            late,
            later.ngettext(
                "%(late)d of %(num)d notice late",
                "%(late)d of %(num)d notices late",
                payments.assessed,
                late=late,
            ),
        )

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The band, e.g. ``'逾期通知单数 ≥ 3'`` (zh_CN) or ``'late notices ≥ 3'`` (en_US)."""
        name = check_locale(locale)
        measure = pgettext("segment measure", "late notices", locale=name)
        return bounds_text(measure, self.at_least, self.at_most, name)


@attrs.frozen
class Arrears(LeafRule):
    """Unpaid on notices that fell due before the date, however old, within the bounds.

    Needs at least one notice that fell due; without one the answer is insufficient history.
    """

    family: ClassVar[RuleFamily | None] = RuleFamily.BEHAVIOURAL
    at_least: Money | None = attrs.field(
        default=None,
        converter=money_at_least,
        validator=money_bound("arrears"),
        kw_only=True,
    )
    at_most: Money | None = attrs.field(
        default=None,
        converter=money_at_most,
        validator=money_bound("arrears"),
        kw_only=True,
    )

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """The arrears."""
        same_currency_bound(facts, self.at_least)
        same_currency_bound(facts, self.at_most)
        payments = facts.payments
        if payments.overdue == 0:
            return insufficient(later.gettext("insufficient history: no notice has fallen due"))
        arrears = payments.arrears
        return (
            Outcome.of(within(arrears, self.at_least, self.at_most)),
            arrears,
            later.gettext("arrears %(amount)s", amount=arrears),
        )

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The band, e.g. ``'欠费 ≤ ¥0.00'`` (zh_CN)."""
        name = check_locale(locale)
        measure = pgettext("segment measure", "arrears", locale=name)
        return bounds_text(measure, self.at_least, self.at_most, name)
