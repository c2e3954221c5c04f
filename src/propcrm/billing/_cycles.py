"""Billing cycles: when a period's fee notice is issued and when it falls due.

The domain brief (§2): the cycle is monthly; at the end of each month finance issues each unit's
notice for that month, and the resident pays by the **10th of the following month**. That is
:data:`DEFAULT_CYCLE`. Other communities bill quarterly or yearly in advance, or give a number of
days after the notice; each is a :class:`BillingCyclePolicy`.

A due date that falls on a non-working day stays where it is unless the policy rolls it forward
through a :class:`~propcrm.time.WorkingDayCalendar` (the SLA business calendars implement it).

>>> nov = BillingPeriod.month(2026, 11)
>>> DEFAULT_CYCLE.statement_date(nov), DEFAULT_CYCLE.due_date(nov).due_on
(Date(2026, 11, 30), Date(2026, 12, 10))
>>> rolled = attrs.evolve(DEFAULT_CYCLE, roll_forward=WeekdayCalendar())
>>> rolled.due_date(BillingPeriod.month(2026, 12)).due_on  # 10 Jan 2027 is a Sunday
Date(2027, 1, 11)
"""

from __future__ import annotations

from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, ngettext
from propcrm._validators import check_text, instance_of
from propcrm.errors import InvalidPolicy, InvalidType
from propcrm.time import (
    BillingPeriod,
    PeriodKind,
    WorkingDayCalendar,
    as_date,
    next_working_day,
)

__all__ = [
    "DEFAULT_CYCLE",
    "DEFAULT_DUE_DAY",
    "BillingCyclePolicy",
    "DueDate",
    "DueDaysAfterStatement",
    "DueInAdvance",
    "DueOnDayOfFollowingMonth",
    "DueRule",
]

DEFAULT_DUE_DAY = 10
"""Day of the following month by which a monthly notice is paid (domain brief §2)."""


def _positive_day(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 31:
        raise InvalidPolicy(
            f"due day {value!r} must be an int from 1 to 31.",
            field=attribute.name,
            value=value,
            allowed="int from 1 to 31",
        )


def _days(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366:
        raise InvalidPolicy(
            f"day count {value!r} must be an int from 0 to 366.",
            field=attribute.name,
            value=value,
            allowed="int from 0 to 366",
        )


def _due_rule(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, DueOnDayOfFollowingMonth | DueDaysAfterStatement | DueInAdvance):
        raise InvalidType(
            f"due rule {value!r} is not one of DueOnDayOfFollowingMonth, DueDaysAfterStatement "
            "or DueInAdvance.",
            field="due",
            value=value,
            allowed="DueOnDayOfFollowingMonth, DueDaysAfterStatement or DueInAdvance",
        )


def _period(period: object) -> BillingPeriod:
    if not isinstance(period, BillingPeriod):
        raise InvalidType(
            f"period {period!r} is not a BillingPeriod; pass e.g. BillingPeriod.month(2026, 11).",
            field="period",
            value=period,
            allowed="BillingPeriod",
        )
    return period


def _due_on(value: object) -> pendulum.Date:
    return as_date(value, "due_on")


def _nominal(value: object) -> pendulum.Date:
    return as_date(value, "nominal")


def _calendar_name(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None:
        check_text(value, "calendar", InvalidPolicy, max_length=64, example="'weekdays'")


def _calendar(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and not isinstance(value, WorkingDayCalendar):
        raise InvalidType(
            f"roll_forward {value!r} is not a working-day calendar; pass one (e.g. "
            "WeekdayCalendar()) or None.",
            field="roll_forward",
            value=value,
            allowed="WorkingDayCalendar or None",
        )


@attrs.frozen
class DueOnDayOfFollowingMonth:
    """Due on day ``day`` of the month after the period ends (the month's last day if shorter)."""

    day: int = attrs.field(default=DEFAULT_DUE_DAY, validator=_positive_day)

    def nominal(self, period: BillingPeriod, _statement_date: pendulum.Date) -> pendulum.Date:
        """The due date before any roll-forward."""
        month = _period(period).end.add(days=1)
        return month.replace(day=min(self.day, month.days_in_month))

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations.

        >>> DueOnDayOfFollowingMonth().describe(), DueOnDayOfFollowingMonth().describe("en_US")
        ('账期结束后次月10日', 'day 10 of the month after the period')
        """
        return gettext("day %(day)d of the month after the period", locale=locale, day=self.day)


@attrs.frozen
class DueDaysAfterStatement:
    """Due ``days`` days after the notice is issued."""

    days: int = attrs.field(validator=_days)

    def nominal(self, _period: BillingPeriod, statement_date: pendulum.Date) -> pendulum.Date:
        """The due date before any roll-forward."""
        return as_date(statement_date, "statement_date").add(days=self.days)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations.

        >>> DueDaysAfterStatement(1).describe("en_US"), DueDaysAfterStatement(15).describe()
        ('1 day after the statement date', '通知单开具后15天')
        """
        return ngettext(
            "%(num)d day after the statement date",
            "%(num)d days after the statement date",
            self.days,
            locale=locale,
        )


@attrs.frozen
class DueInAdvance:
    """Prepaid: due ``days_before`` days before the period starts (0: on its first day)."""

    days_before: int = attrs.field(default=0, validator=_days)

    def nominal(self, period: BillingPeriod, _statement_date: pendulum.Date) -> pendulum.Date:
        """The due date before any roll-forward."""
        return _period(period).start.subtract(days=self.days_before)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations.

        >>> DueInAdvance().describe("en_US"), DueInAdvance(5).describe()
        ('in advance, on the first day of the period', '预缴，账期开始前5天')
        """
        if self.days_before == 0:
            return gettext("in advance, on the first day of the period", locale=locale)
        return ngettext(
            "in advance, %(num)d day before the period starts",
            "in advance, %(num)d days before the period starts",
            self.days_before,
            locale=locale,
        )


DueRule = DueOnDayOfFollowingMonth | DueDaysAfterStatement | DueInAdvance
"""The ways a due date can be set."""


@attrs.frozen
class DueDate:
    """A due date and how it was reached, as data.

    ``rule`` is the cycle's due rule, or ``None`` for a due date agreed outside any cycle
    (an opening balance); ``calendar`` names the roll-forward calendar, if any.
    """

    due_on: pendulum.Date = attrs.field(converter=_due_on)
    nominal: pendulum.Date = attrs.field(converter=_nominal)
    rule: DueRule | None = attrs.field(validator=attrs.validators.optional(_due_rule))
    calendar: str | None = attrs.field(validator=_calendar_name)

    @property
    def rolled(self) -> bool:
        """Whether the due date was moved off a non-working day."""
        return self.due_on != self.nominal

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """How the due date was set, for explanations.

        >>> DEFAULT_CYCLE.due_date(BillingPeriod.month(2026, 11)).describe("en_US")
        'day 10 of the month after the period'
        """
        if self.rule is None:
            return gettext("agreed due date", locale=locale)
        return self.rule.describe(locale)


@attrs.frozen
class BillingCyclePolicy:
    """Period kind, when the notice is issued, when it is due, and the roll-forward calendar.

    ``issue_days_before``: ``None`` bills in arrears (the notice is issued on the period's last
    day, the brief's practice); a number bills in advance, that many days before the period.
    """

    period_kind: PeriodKind = attrs.field(
        default=PeriodKind.MONTH, validator=instance_of(PeriodKind)
    )
    due: DueRule = attrs.field(factory=DueOnDayOfFollowingMonth, validator=_due_rule)
    issue_days_before: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(_days)
    )
    roll_forward: WorkingDayCalendar | None = attrs.field(default=None, validator=_calendar)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.due, DueInAdvance) and self.issue_days_before is None:
            raise InvalidPolicy(
                "a notice due in advance must also be issued in advance; set issue_days_before "
                "(e.g. 15) or use a due rule for billing in arrears.",
                field="issue_days_before",
                value=None,
                allowed="a number of days, with a due rule in advance",
            )

    @classmethod
    def prepaid(
        cls, kind: PeriodKind, *, issue_days_before: int = 15, due_days_before: int = 0
    ) -> BillingCyclePolicy:
        """Billing in advance for quarters, half-years or years."""
        return cls(kind, DueInAdvance(due_days_before), issue_days_before)

    def statement_date(self, period: BillingPeriod) -> pendulum.Date:
        """The day the notice for ``period`` is issued."""
        self._check_kind(period)
        if self.issue_days_before is None:
            return period.end
        return period.start.subtract(days=self.issue_days_before)

    def due_date(self, period: BillingPeriod) -> DueDate:
        """The due date for ``period``, rolled forward if the policy says so."""
        issued = self.statement_date(period)
        nominal = self.due.nominal(period, issued)
        if nominal < issued:
            raise InvalidPolicy(
                f"the notice for {period.code} would fall due on {nominal.isoformat()}, before "
                f"it is issued on {issued.isoformat()}; issue it earlier or make it due later.",
                field="due",
                value=nominal,
                allowed=f"on or after {issued.isoformat()}",
                period=period.code,
            )
        if self.roll_forward is None:
            return DueDate(nominal, nominal, self.due, None)
        rolled = next_working_day(self.roll_forward, nominal)
        return DueDate(rolled, nominal, self.due, self.roll_forward.name)

    def _check_kind(self, period: BillingPeriod) -> None:
        _period(period)
        if period.kind is not self.period_kind:
            raise InvalidPolicy(
                f"this cycle bills {self.period_kind.name.lower()} periods, not "
                f"{period.kind.name.lower()} ones like {period.code}.",
                field="period",
                value=period.code,
                allowed=f"{self.period_kind.name.lower()} periods",
            )


DEFAULT_CYCLE = BillingCyclePolicy()
"""Monthly, issued on the period's last day, due the 10th of the following month."""
