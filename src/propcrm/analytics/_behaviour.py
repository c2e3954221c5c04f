"""Behaviour scores as of an explicit date: punctuality, discretionary spend, RFM, complaints.

The domain brief (§5) lists behaviour — where, when, how often and how much a customer buys or
pays — as the third family of segmentation attributes, "available only for existing customers".
Everything here is computed **as of a date** from plain facts, so a score for 30 November is the
same whenever it is computed: a payment received on 3 December does not exist on 30 November.

Two kinds of money are kept apart:

- **punctuality**, from billing facts (:class:`PaymentFact`: a fee notice, its due date, what
  was paid and when): on-time ratio, days late, arrears. Fees are owed; paying them says how
  reliable a payer is, not how valuable a customer is;
- **discretionary spend**, from special-service purchases (:class:`ServicePurchase`, 特约服务,
  §3): what a customer chooses to buy from us.

Analytics sits below billing and the party book (the layers point one way), so a billing fact
reaches this module as a plain value the caller builds from its statements and receipts
(:func:`propcrm.segmentation.payment_facts` does it for a billing account).

>>> import pendulum
>>> from propcrm.money import Money
>>> facts = [
...     PaymentFact(
...         "N-2026-09",
...         pendulum.date(2026, 10, 10),
...         Money("250.24"),
...         paid_on=pendulum.date(2026, 10, 8),
...     ),
...     PaymentFact(
...         "N-2026-10",
...         pendulum.date(2026, 11, 10),
...         Money("250.24"),
...         paid_on=pendulum.date(2026, 11, 25),
...     ),
...     PaymentFact("N-2026-11", pendulum.date(2026, 12, 10), Money("250.24")),
... ]
>>> punctuality = payment_behaviour(facts, pendulum.date(2026, 12, 31))
>>> punctuality.on_time_ratio, punctuality.max_days_late, punctuality.arrears
(Fraction(1, 3), 21, Money('250.24', 'CNY'))

Definitions (each a policy value in :class:`BehaviourPolicy`, named where its default is not
from the brief):

- the **window** is the ``window_months`` (12) months before the date;
- a notice is **assessed** once its due date has passed (due before the date) and it fell due
  in the window; it is **on time** if it was paid in full on or before its due date (a payment
  counts from the day the bank's receipt reaches the company, §2, so ``paid_on`` is that day);
- its **days late** are the days from the due date to full payment, or to the date if it is
  still not paid in full;
- **arrears** are what is still unpaid, as of the date, on every notice that fell due before
  the date, however old;
- punctuality needs at least ``min_statements`` (3) assessed notices; with fewer the answer is
  "insufficient history", never a low score;
- an **existing customer** (§5) has a notice that fell due, a payment or a purchase on or before
  the date; the spend figures and RFM scores exist only for existing customers.
"""

from __future__ import annotations

import datetime
import enum
import itertools
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from fractions import Fraction
from typing import Protocol, runtime_checkable

import attrs
import pendulum

from propcrm._epoch import NO_EVENT_KEY, epoch_days
from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, ngettext, pgettext
from propcrm._validators import (
    check_instance,
    check_int,
    check_items,
    check_record_id,
    check_unique,
    in_field,
    instance_of,
)
from propcrm.errors import CurrencyMismatch, InvalidBehaviourFact, InvalidPolicy
from propcrm.money import (
    CNY,
    Money,
    as_money,
    check_currency,
)
from propcrm.time import as_date

__all__ = [
    "DEFAULT_BEHAVIOUR_POLICY",
    "DEFAULT_CALLBACK_MONTHS",
    "DEFAULT_COMPLAINT_WINDOW_MONTHS",
    "DEFAULT_MIN_STATEMENTS",
    "DEFAULT_QUANTILES",
    "DEFAULT_WINDOW_MONTHS",
    "SATISFACTION_SCALE",
    "BehaviourPolicy",
    "ComplaintBehaviour",
    "ComplaintHistory",
    "ComplaintRecord",
    "FixedThresholds",
    "PaymentBehaviour",
    "PaymentFact",
    "Quantiles",
    "RfmComponent",
    "RfmInput",
    "RfmPolicy",
    "RfmScore",
    "RfmSource",
    "SatisfactionScore",
    "ServicePurchase",
    "SpendBehaviour",
    "TieMethod",
    "complaint_behaviour",
    "is_existing_customer",
    "payment_behaviour",
    "rfm_input",
    "rfm_scores",
    "spend_behaviour",
]

DEFAULT_WINDOW_MONTHS = 12
"""Months of behaviour a score looks back over (not from the brief: a year of monthly notices)."""

DEFAULT_MIN_STATEMENTS = 3
"""Assessed notices needed before punctuality is judged (not from the brief: one quarter of
monthly notices, the brief's survey rhythm, §4). Must be at least 1: no history is never a score."""

DEFAULT_COMPLAINT_WINDOW_MONTHS = 3
"""Months of complaints counted (a quarter: the brief's satisfaction survey runs quarterly, §4)."""

DEFAULT_CALLBACK_MONTHS = 1
"""Every new customer gets a callback visit within one month of move-in (§4): the window of
segmentation's move-in rules and of scheduled care's move-in callbacks."""

DEFAULT_QUANTILES = 5
"""RFM scores by quintiles, 1 (lowest) to 5 (highest), the usual RFM scale."""

SATISFACTION_SCALE = range(1, 6)
"""Satisfaction (CSAT) scores run from 1 (very dissatisfied) to 5 (very satisfied) (issue 6)."""


def _days_between(earlier: pendulum.Date, later: pendulum.Date) -> int:
    return later.toordinal() - earlier.toordinal()


# -- validators ---------------------------------------------------------------------------------


def _record_id(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    check_record_id(value, attribute.name, InvalidBehaviourFact)


_AMOUNT = "an amount such as '250.24' (str, int or Decimal) or a Money"


def _amount(value: object) -> Money:
    with in_field("amount", value, _AMOUNT):
        return as_money(value)


def _amount_paid(value: object) -> Money:
    with in_field("amount_paid", value, _AMOUNT):
        return as_money(value)


# attrs' mypy plugin only understands converters that are named functions, so each date field
# has its own, naming the field in the error.


def _due_on(value: object) -> pendulum.Date:
    return as_date(value, "due_on")


def _paid_on(value: object) -> pendulum.Date | None:
    return None if value is None else as_date(value, "paid_on")


def _purchased_on(value: object) -> pendulum.Date:
    return as_date(value, "purchased_on")


def _surveyed_on(value: object) -> pendulum.Date:
    return as_date(value, "surveyed_on")


def _input_as_of(value: object) -> pendulum.Date:
    return as_date(value, "as_of")


def _last_event(value: object) -> pendulum.Date | None:
    return None if value is None else as_date(value, "last_event")


def _fen(field: str, what: str, value: Money) -> None:
    with in_field(field, value, "an amount rounded to the minor unit (the fen)"):
        rounded = value.is_rounded
    if not rounded:
        raise InvalidBehaviourFact(
            f"{what} {value!r} has digits below the minor unit; facts carry billed amounts, "
            "rounded to the fen.",
            field=field,
            value=value,
            allowed="an amount rounded to the minor unit (the fen)",
        )


def _whole(what: str, value: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    return check_int(value, what, InvalidPolicy, minimum=minimum, maximum=maximum)


def _currency_arg(currency: object) -> str:
    with in_field("currency", currency, "an ISO 4217 code such as 'CNY'"):
        return check_currency(currency)


def _policy_arg(policy: object) -> BehaviourPolicy:
    return check_instance(policy, "policy", BehaviourPolicy)  # type: ignore[no-any-return]


# -- facts --------------------------------------------------------------------------------------


def _default_paid(fact: PaymentFact) -> Money:
    return fact.amount if fact.paid_on is not None else Money.zero(fact.amount.currency)


@attrs.frozen
class PaymentFact:
    """One fee notice as billing knows it: its due date, its amount, and its payment if any.

    ``paid_on`` is the day the bank's receipt reached the company (§2); ``amount_paid`` defaults
    to the whole amount when ``paid_on`` is given and to zero otherwise. A partial payment has
    ``amount_paid`` below ``amount``; the notice then stays unpaid in part.

    >>> PaymentFact("N-1", pendulum.date(2026, 12, 10), Money("100.00"),
    ...             paid_on=pendulum.date(2026, 12, 1), amount_paid=Money("100.01"))
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidBehaviourFact: notice N-1: amount paid Money('100.01', 'CNY') exceeds \
the amount Money('100.00', 'CNY'); record an overpayment as a credit, not on the notice.
    """

    statement_id: str = attrs.field(validator=_record_id)
    due_on: pendulum.Date = attrs.field(converter=_due_on)
    amount: Money = attrs.field(converter=_amount)
    paid_on: pendulum.Date | None = attrs.field(default=None, converter=_paid_on, kw_only=True)
    amount_paid: Money = attrs.field(
        default=attrs.Factory(_default_paid, takes_self=True), converter=_amount_paid, kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        notice = self.statement_id
        _fen("amount", f"notice {notice}: amount", self.amount)
        _fen("amount_paid", f"notice {notice}: amount paid", self.amount_paid)
        if self.amount_paid.currency != self.amount.currency:
            raise CurrencyMismatch(
                f"notice {notice}: paid in {self.amount_paid.currency} but billed in "
                f"{self.amount.currency}; convert the payment first.",
                field="amount_paid",
                value=self.amount_paid,
                allowed=f"an amount in {self.amount.currency}, the notice's currency",
            )
        if not self.amount.is_positive:
            raise InvalidBehaviourFact(
                f"notice {notice}: amount {self.amount!r} must be above zero.",
                field="amount",
                value=self.amount,
                allowed="an amount above zero",
            )
        if self.amount_paid.is_negative:
            raise InvalidBehaviourFact(
                f"notice {notice}: amount paid {self.amount_paid!r} is negative; "
                "record a refund as its own fact, not on the notice.",
                field="amount_paid",
                value=self.amount_paid,
                allowed="zero up to the notice's amount",
            )
        if self.amount_paid > self.amount:
            raise InvalidBehaviourFact(
                f"notice {notice}: amount paid {self.amount_paid!r} exceeds the "
                f"amount {self.amount!r}; record an overpayment as a credit, not on the notice.",
                field="amount_paid",
                value=self.amount_paid,
                allowed=f"zero up to the notice's amount {self.amount}",
            )
        if (self.paid_on is None) != self.amount_paid.is_zero:
            raise InvalidBehaviourFact(
                f"notice {notice}: a payment needs both a date and an amount above "
                f"zero, got paid_on={self.paid_on} and amount_paid={self.amount_paid!r}.",
                field="paid_on",
                value=self.paid_on,
                allowed="a date with an amount paid above zero, or None with nothing paid",
            )

    def paid_by(self, day: pendulum.Date) -> Money:
        """What had been paid on this notice by ``day`` (zero before the receipt arrived)."""
        on = as_date(day, "day")
        if self.paid_on is not None and self.paid_on <= on:
            return self.amount_paid
        return Money.zero(self.amount.currency)

    def settled_on(self, day: pendulum.Date) -> pendulum.Date | None:
        """The day the notice was paid in full, if that was on or before ``day``."""
        on = as_date(day, "day")
        if self.paid_on is not None and self.paid_on <= on and self.amount_paid == self.amount:
            return self.paid_on
        return None


@attrs.frozen
class ServicePurchase:
    """One special-service purchase (特约服务, §3): discretionary spend, kept apart from fees."""

    purchased_on: pendulum.Date = attrs.field(converter=_purchased_on)
    amount: Money = attrs.field(converter=_amount)
    service: str = attrs.field(default="", kw_only=True, validator=instance_of(str))
    """What was bought, e.g. ``'家电维修'``; ``''`` when not recorded."""

    def __attrs_post_init__(self) -> None:
        _fen("amount", "special-service purchase amount", self.amount)
        if not self.amount.is_positive:
            raise InvalidBehaviourFact(
                f"special-service purchase amount {self.amount!r} must be above zero.",
                field="amount",
                value=self.amount,
                allowed="an amount above zero",
            )
        if self.service and not self.service.strip():
            raise InvalidBehaviourFact(
                f"service {self.service!r} is blank; name the service, or leave it out.",
                field="service",
                value=self.service,
                allowed="a service's name, or '' when not recorded",
            )


# -- the complaint side -------------------------------------------------------------------------


@runtime_checkable
class ComplaintHistory(Protocol):
    """What segmentation reads of a party's complaints and satisfaction (§4).

    The complaints model implements it; :class:`ComplaintRecord` is the plain value for tests and
    for callers who already hold the dates and scores.
    """

    def complaints_between(self, first: pendulum.Date, last: pendulum.Date) -> int:
        """Complaints received on days from ``first`` to ``last``, both included."""
        ...

    def last_satisfaction(self, as_of: pendulum.Date) -> int | None:
        """The latest satisfaction score (1–5) given on or before ``as_of``; ``None`` if none."""
        ...


@attrs.frozen
class SatisfactionScore:
    """One satisfaction (CSAT) answer: the day it was given and its score from 1 to 5."""

    surveyed_on: pendulum.Date = attrs.field(converter=_surveyed_on)
    score: int

    def __attrs_post_init__(self) -> None:
        check_int(
            self.score,
            "score",
            InvalidBehaviourFact,
            minimum=SATISFACTION_SCALE.start,
            maximum=SATISFACTION_SCALE.stop - 1,
        )


def _dates(values: Iterable[object]) -> tuple[pendulum.Date, ...]:
    items = check_items(values, "complaints", datetime.date)
    return tuple(sorted(as_date(value, "complaints") for value in items))


def _scores(values: Iterable[SatisfactionScore]) -> tuple[SatisfactionScore, ...]:
    items = check_items(values, "satisfaction", SatisfactionScore)
    result = tuple(sorted(items, key=lambda score: score.surveyed_on))
    for before, after in itertools.pairwise(result):
        if before.surveyed_on == after.surveyed_on:
            raise InvalidBehaviourFact(
                f"two satisfaction scores on {after.surveyed_on}; keep one answer per day so "
                "the latest score is well defined.",
                field="satisfaction",
                value=after,
                allowed="at most one score a day",
            )
    return result


@attrs.frozen
class ComplaintRecord:
    """A plain :class:`ComplaintHistory`: the days complaints came in and the scores given.

    >>> record = ComplaintRecord(
    ...     complaints=[pendulum.date(2026, 11, 2), pendulum.date(2026, 11, 20)],
    ...     satisfaction=[SatisfactionScore(pendulum.date(2026, 11, 25), 2)],
    ... )
    >>> record.complaints_between(pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 19))
    1
    >>> record.last_satisfaction(pendulum.date(2026, 11, 24)) is None
    True
    """

    complaints: tuple[pendulum.Date, ...] = attrs.field(default=(), converter=_dates)
    satisfaction: tuple[SatisfactionScore, ...] = attrs.field(default=(), converter=_scores)

    def complaints_between(self, first: pendulum.Date, last: pendulum.Date) -> int:
        """Complaints received on days from ``first`` to ``last``, both included."""
        start, end = as_date(first, "first"), as_date(last, "last")
        return sum(1 for day in self.complaints if start <= day <= end)

    def last_satisfaction(self, as_of: pendulum.Date) -> int | None:
        """The latest score given on or before ``as_of``; ``None`` if none was."""
        day = as_date(as_of, "as_of")
        latest = None
        for answer in self.satisfaction:
            if answer.surveyed_on <= day:
                latest = answer.score
        return latest


# -- policy -------------------------------------------------------------------------------------


class RfmSource(enum.Enum):
    """Which events RFM scores count: fee payments or special-service purchases."""

    PAYMENTS = "payments"
    SPECIAL_SERVICES = "special_services"


class TieMethod(enum.Enum):
    """How quantile scoring ranks parties with equal values.

    ``BY_PARTY_ID``: equal values are ordered by party id (ascending, code point order), so every
    party has its own rank and the quantiles hold equal counts (the usual RFM practice, as
    ``pandas.qcut`` on ``rank(method="first")``). ``SHARED``: equal values share the lowest rank
    of their group, so they always get the same score.
    """

    BY_PARTY_ID = "by_party_id"
    SHARED = "shared"


class RfmComponent(enum.Enum):
    """A component of an RFM score, or their total (3–15 with quintiles)."""

    RECENCY = "recency"
    FREQUENCY = "frequency"
    MONETARY = "monetary"
    TOTAL = "total"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The component's name for people, e.g. ``'消费金额'`` (zh_CN) or ``'monetary'``."""
        # One literal per member, so that extraction finds every message.
        match self:
            case RfmComponent.RECENCY:
                return pgettext("RFM component", "recency", locale=locale)
            case RfmComponent.FREQUENCY:
                return pgettext("RFM component", "frequency", locale=locale)
            case RfmComponent.MONETARY:
                return pgettext("RFM component", "monetary", locale=locale)
            case RfmComponent.TOTAL:
                return pgettext("RFM component", "total", locale=locale)


@attrs.frozen
class Quantiles:
    """Score by quantiles of the portfolio: ``count`` equal groups, 1 (lowest) to ``count``.

    Parties are ranked 1 … n by value (later last event, more events, more money is higher),
    ties broken by ``ties``; a party of rank r scores ``(r - 1) * count // n + 1``.
    """

    count: int = attrs.field(
        default=DEFAULT_QUANTILES,
        validator=lambda _i, _a, v: _whole("quantile count", v, minimum=2, maximum=100),
    )
    ties: TieMethod = attrs.field(default=TieMethod.BY_PARTY_ID, validator=instance_of(TieMethod))

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations.

        >>> Quantiles().describe(), Quantiles(ties=TieMethod.SHARED).describe("en_US")
        ('按全部客户分为5档，同值按客户编号排序', '5 quantiles of the portfolio, ties shared')
        """
        # A whole sentence per tie method: the two languages order the parts differently.
        match self.ties:
            case TieMethod.BY_PARTY_ID:
                return ngettext(
                    "%(num)d quantile of the portfolio, ties by party id",
                    "%(num)d quantiles of the portfolio, ties by party id",
                    self.count,
                    locale=locale,
                )
            case TieMethod.SHARED:
                return ngettext(
                    "%(num)d quantile of the portfolio, ties shared",
                    "%(num)d quantiles of the portfolio, ties shared",
                    self.count,
                    locale=locale,
                )


# A century of days, and more events than a century of daily payments: bounds beyond these are
# typing mistakes, not policies.
_MAX_RECENCY_DAYS = 36_500
_MAX_FREQUENCY = 36_500


def _in_order(values: object, field: str) -> None:
    if isinstance(values, AbstractSet):
        raise InvalidPolicy(
            f"{field} {values!r} is a set, which has no order; give the bounds in order, as a "
            "tuple or a list.",
            field=field,
            value=values,
            allowed="a tuple or list of bounds, in order",
        )


def _recency_bounds(values: Iterable[object]) -> tuple[int, ...]:
    _in_order(values, "recency_days")
    items = check_items(values, "recency_days", int)
    for bound in items:
        check_int(bound, "recency_days", InvalidPolicy, minimum=0, maximum=_MAX_RECENCY_DAYS)
    return items


def _frequency_bounds(values: Iterable[object]) -> tuple[int, ...]:
    _in_order(values, "frequency")
    items = check_items(values, "frequency", int)
    for bound in items:
        check_int(bound, "frequency", InvalidPolicy, minimum=1, maximum=_MAX_FREQUENCY)
    return items


def _moneys(values: Iterable[object]) -> tuple[Money, ...]:
    _in_order(values, "monetary")
    items = check_items(values, "monetary", object)
    with in_field("monetary", values, _AMOUNT):
        return tuple(as_money(v) for v in items)


def _descending_days(_i: object, _a: object, value: tuple[int, ...]) -> None:
    if any(a <= b for a, b in itertools.pairwise(value)):
        raise InvalidPolicy(
            f"recency bounds {value!r} must fall strictly (e.g. 365, 180, 90, 30 days): each "
            "step up in score asks for a more recent event.",
            field="recency_days",
            value=value,
            allowed="days that fall strictly, e.g. (365, 180, 90, 30)",
        )


def _ascending_counts(_i: object, _a: object, value: tuple[int, ...]) -> None:
    if any(a >= b for a, b in itertools.pairwise(value)):
        raise InvalidPolicy(
            f"frequency bounds {value!r} must rise strictly (e.g. 2, 4, 8, 12).",
            field="frequency",
            value=value,
            allowed="counts that rise strictly, e.g. (2, 4, 8, 12)",
        )


def _ascending_money(_i: object, _a: object, value: tuple[Money, ...]) -> None:
    for bound in value:
        with in_field("monetary", bound, "amounts above zero, rounded to the fen"):
            rounded = bound.is_rounded
        if not rounded or not bound.is_positive:
            raise InvalidPolicy(
                f"monetary bound {bound!r} must be a Money above zero, rounded to the fen.",
                field="monetary",
                value=bound,
                allowed="amounts above zero, rounded to the fen",
            )
    if any(a >= b for a, b in itertools.pairwise(value)):
        raise InvalidPolicy(
            f"monetary bounds {value!r} must rise strictly.",
            field="monetary",
            value=value,
            allowed="amounts that rise strictly",
        )


@attrs.frozen
class FixedThresholds:
    """Score against fixed bounds: 1 plus the number of bounds a party meets.

    Recency bounds are days since the last event, falling (met when the days are at most the
    bound); frequency and monetary bounds rise (met when the value is at least the bound). A
    party with no event in the window meets no frequency or monetary bound and scores 1.
    """

    recency_days: tuple[int, ...] = attrs.field(
        converter=_recency_bounds, validator=_descending_days
    )
    frequency: tuple[int, ...] = attrs.field(
        converter=_frequency_bounds, validator=_ascending_counts
    )
    monetary: tuple[Money, ...] = attrs.field(converter=_moneys, validator=_ascending_money)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations: ``'固定阈值'`` (zh_CN) or ``'fixed thresholds'``."""
        return pgettext("RFM scoring", "fixed thresholds", locale=locale)


def _positive_months(_i: object, attribute: attrs.Attribute[int], value: int) -> None:
    _whole(attribute.name.replace("_", " "), value, minimum=1, maximum=120)


@attrs.frozen
class RfmPolicy:
    """Where RFM scores come from and how they are scored (quantiles or fixed thresholds)."""

    source: RfmSource = attrs.field(default=RfmSource.PAYMENTS, validator=instance_of(RfmSource))
    scoring: Quantiles | FixedThresholds = attrs.field(
        factory=Quantiles, validator=instance_of(Quantiles, FixedThresholds)
    )


@attrs.frozen
class BehaviourPolicy:
    """Windows and minimum history for behaviour scores; see the module text for each value."""

    window_months: int = attrs.field(default=DEFAULT_WINDOW_MONTHS, validator=_positive_months)
    min_statements: int = attrs.field(
        default=DEFAULT_MIN_STATEMENTS,
        validator=lambda _i, _a, v: _whole("min statements", v, minimum=1, maximum=1000),
    )
    complaint_window_months: int = attrs.field(
        default=DEFAULT_COMPLAINT_WINDOW_MONTHS, validator=_positive_months
    )
    rfm: RfmPolicy = attrs.field(factory=RfmPolicy, validator=instance_of(RfmPolicy))

    def window_start(self, as_of: pendulum.Date) -> pendulum.Date:
        """First day before the behaviour window: notices due on it count, events after it.

        Month arithmetic clamps to the month's end (31 March less one month is 28 or 29
        February).

        >>> BehaviourPolicy().window_start(pendulum.date(2026, 12, 31))
        Date(2025, 12, 31)
        """
        return as_date(as_of, "as_of").subtract(months=self.window_months)

    def complaint_window(self, as_of: pendulum.Date) -> tuple[pendulum.Date, pendulum.Date]:
        """First and last day (both included) of the complaint window ending on ``as_of``.

        >>> BehaviourPolicy().complaint_window(pendulum.date(2026, 12, 31))
        (Date(2026, 10, 1), Date(2026, 12, 31))
        """
        day = as_date(as_of, "as_of")
        return day.subtract(months=self.complaint_window_months).add(days=1), day


DEFAULT_BEHAVIOUR_POLICY = BehaviourPolicy()
"""12-month window, 3 notices before punctuality counts, 3-month complaints, RFM quintiles."""


# -- punctuality --------------------------------------------------------------------------------


def _currency(facts: Iterable[PaymentFact | ServicePurchase], currency: str) -> str:
    _currency_arg(currency)
    for fact in facts:
        if fact.amount.currency != currency:
            raise CurrencyMismatch(
                f"a fact in {fact.amount.currency} in a history scored in {currency}; score "
                "each currency on its own.",
                field="currency",
                value=fact.amount.currency,
                allowed=currency,
            )
    return currency


@attrs.frozen
class PaymentBehaviour:
    """Punctuality as of a date (see the module text for each definition).

    Attributes:
        as_of: the date the figures hold on.
        window_start: notices due on or after it (and before ``as_of``) are assessed.
        assessed: notices assessed.
        on_time: of those, paid in full by their due date.
        total_days_late: days late summed over the assessed notices.
        max_days_late: the most days late of one assessed notice (``None`` if none assessed).
        overdue: notices that fell due before ``as_of``, however old.
        arrears: unpaid on those notices as of ``as_of``.
        sufficient: whether ``assessed`` reaches the policy's minimum.
    """

    as_of: pendulum.Date
    window_start: pendulum.Date
    assessed: int
    on_time: int
    total_days_late: int
    max_days_late: int | None
    overdue: int
    arrears: Money
    sufficient: bool

    @property
    def late(self) -> int:
        """Assessed notices not paid in full by their due date."""
        return self.assessed - self.on_time

    @property
    def on_time_ratio(self) -> Fraction | None:
        """Share of assessed notices paid on time, exactly; ``None`` if none was assessed."""
        return Fraction(self.on_time, self.assessed) if self.assessed else None

    @property
    def average_days_late(self) -> Fraction | None:
        """Mean days late over the assessed notices, exactly; ``None`` if none was assessed."""
        return Fraction(self.total_days_late, self.assessed) if self.assessed else None


def payment_behaviour(
    payments: Iterable[PaymentFact],
    as_of: pendulum.Date,
    *,
    policy: BehaviourPolicy = DEFAULT_BEHAVIOUR_POLICY,
    currency: str = CNY,
) -> PaymentBehaviour:
    """Punctuality of a payment history as of ``as_of``."""
    day = as_date(as_of, "as_of")
    facts: tuple[PaymentFact, ...] = check_items(payments, "payments", PaymentFact)
    _policy_arg(policy)
    _currency(facts, currency)
    start = policy.window_start(day)
    assessed = on_time = total_late = 0
    max_late: int | None = None
    overdue = 0
    unpaid: list[Money] = []
    for fact in facts:
        if fact.due_on >= day:
            continue
        overdue += 1
        unpaid.append(fact.amount - fact.paid_by(day))
        if fact.due_on < start:
            continue
        assessed += 1
        settled = fact.settled_on(day)
        late = max(_days_between(fact.due_on, settled if settled is not None else day), 0)
        on_time += late == 0
        total_late += late
        max_late = late if max_late is None else max(max_late, late)
    return PaymentBehaviour(
        as_of=day,
        window_start=start,
        assessed=assessed,
        on_time=on_time,
        total_days_late=total_late,
        max_days_late=max_late,
        overdue=overdue,
        arrears=Money.total(unpaid, currency),
        sufficient=assessed >= policy.min_statements,
    )


# -- discretionary spend ------------------------------------------------------------------------


@attrs.frozen
class SpendBehaviour:
    """Special-service spend as of a date: purchases in the window, their total, the last one."""

    as_of: pendulum.Date
    purchases: int
    spend: Money
    last_purchase: pendulum.Date | None


def spend_behaviour(
    purchases: Iterable[ServicePurchase],
    as_of: pendulum.Date,
    *,
    policy: BehaviourPolicy = DEFAULT_BEHAVIOUR_POLICY,
    currency: str = CNY,
) -> SpendBehaviour:
    """Discretionary spend as of ``as_of``: purchases after the window start, up to the date."""
    day = as_date(as_of, "as_of")
    items: tuple[ServicePurchase, ...] = check_items(purchases, "purchases", ServicePurchase)
    _policy_arg(policy)
    _currency(items, currency)
    start = policy.window_start(day)
    in_window = [p for p in items if start < p.purchased_on <= day]
    past = [p.purchased_on for p in items if p.purchased_on <= day]
    return SpendBehaviour(
        as_of=day,
        purchases=len(in_window),
        spend=Money.total((p.amount for p in in_window), currency),
        last_purchase=max(past, default=None),
    )


def is_existing_customer(
    payments: Iterable[PaymentFact], purchases: Iterable[ServicePurchase], as_of: pendulum.Date
) -> bool:
    """Whether a party has behaviour on record (§5): a notice due, a payment or a purchase."""
    day = as_date(as_of, "as_of")
    pays: tuple[PaymentFact, ...] = check_items(payments, "payments", PaymentFact)
    buys: tuple[ServicePurchase, ...] = check_items(purchases, "purchases", ServicePurchase)
    return any(
        fact.due_on < day or (fact.paid_on is not None and fact.paid_on <= day) for fact in pays
    ) or any(purchase.purchased_on <= day for purchase in buys)


# -- complaints ---------------------------------------------------------------------------------


@attrs.frozen
class ComplaintBehaviour:
    """Complaints in the window ending on a date, and the latest satisfaction score by then."""

    as_of: pendulum.Date
    first_day: pendulum.Date
    complaints: int
    last_satisfaction: int | None


def complaint_behaviour(
    history: ComplaintHistory | None,
    as_of: pendulum.Date,
    *,
    policy: BehaviourPolicy = DEFAULT_BEHAVIOUR_POLICY,
) -> ComplaintBehaviour | None:
    """What the complaint side says as of ``as_of``; ``None`` when there is no complaint record."""
    day = as_date(as_of, "as_of")
    _policy_arg(policy)
    if history is None:
        return None
    check_instance(history, "history", ComplaintHistory)
    first, last = policy.complaint_window(day)
    count = history.complaints_between(first, last)
    score = history.last_satisfaction(day)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise InvalidBehaviourFact(
            f"complaints_between returned {count!r}; a complaint count is an int of at least 0.",
            field="complaints_between",
            value=count,
            allowed="an int of at least 0",
        )
    if score is not None and (
        isinstance(score, bool) or not isinstance(score, int) or score not in SATISFACTION_SCALE
    ):
        raise InvalidBehaviourFact(
            f"last_satisfaction returned {score!r}; a score is an int from 1 to 5 or None.",
            field="last_satisfaction",
            value=score,
            allowed="an int from 1 to 5, or None",
        )
    return ComplaintBehaviour(day, first, count, score)


# -- RFM ----------------------------------------------------------------------------------------


@attrs.frozen
class RfmInput:
    """What one existing customer's RFM scores are computed from, as of a date.

    ``last_event`` is the latest payment (or purchase) on or before the date, at any time;
    ``frequency`` and ``monetary`` count the events in the window.
    """

    party_id: str = attrs.field(validator=_record_id)
    as_of: pendulum.Date = attrs.field(converter=_input_as_of)
    last_event: pendulum.Date | None = attrs.field(converter=_last_event)
    frequency: int = attrs.field(
        validator=lambda _i, _a, v: check_int(v, "frequency", InvalidBehaviourFact, minimum=0)
    )
    monetary: Money = attrs.field(validator=instance_of(Money))

    def __attrs_post_init__(self) -> None:
        if self.last_event is not None and self.last_event > self.as_of:
            raise InvalidBehaviourFact(
                f"party {self.party_id}: last event on {self.last_event} is after the date "
                f"{self.as_of}; an input as of a date holds only events by then.",
                field="last_event",
                value=self.last_event,
                allowed=f"a date on or before {self.as_of}, or None",
            )
        _fen("monetary", f"party {self.party_id}: monetary", self.monetary)
        if self.monetary.is_negative:
            raise InvalidBehaviourFact(
                f"party {self.party_id}: monetary {self.monetary!r} is negative.",
                field="monetary",
                value=self.monetary,
                allowed="an amount of zero or more",
            )

    @property
    def recency_days(self) -> int | None:
        """Days from the last event to the date; ``None`` if there was no event."""
        return None if self.last_event is None else _days_between(self.last_event, self.as_of)

    @property
    def recency_key(self) -> int:
        """Ranking key for recency (higher is more recent): the last event's epoch days."""
        return NO_EVENT_KEY if self.last_event is None else epoch_days(self.last_event)

    def key(self, component: RfmComponent) -> int:
        """The integer a component is ranked by; higher is better."""
        if component is RfmComponent.RECENCY:
            return self.recency_key
        if component is RfmComponent.FREQUENCY:
            return self.frequency
        if component is RfmComponent.MONETARY:
            return self.monetary.minor_units
        raise InvalidPolicy(
            "the RFM total is a sum of scores, not a ranked value.",
            field="component",
            value=component,
            allowed="RECENCY, FREQUENCY or MONETARY",
        )


def rfm_input(
    party_id: str,
    payments: Iterable[PaymentFact],
    purchases: Iterable[ServicePurchase],
    as_of: pendulum.Date,
    *,
    policy: BehaviourPolicy = DEFAULT_BEHAVIOUR_POLICY,
    currency: str = CNY,
) -> RfmInput | None:
    """The RFM input of one party, or ``None`` if it is not an existing customer on the date."""
    day = as_date(as_of, "as_of")
    check_record_id(party_id, "party_id", InvalidBehaviourFact)
    pays: tuple[PaymentFact, ...] = check_items(payments, "payments", PaymentFact)
    buys: tuple[ServicePurchase, ...] = check_items(purchases, "purchases", ServicePurchase)
    _policy_arg(policy)
    _currency(pays, currency)
    _currency(buys, currency)
    if not is_existing_customer(pays, buys, day):
        return None
    start = policy.window_start(day)
    events: list[tuple[pendulum.Date, Money]]
    if policy.rfm.source is RfmSource.PAYMENTS:
        events = [(f.paid_on, f.amount_paid) for f in pays if f.paid_on is not None]
    else:
        events = [(p.purchased_on, p.amount) for p in buys]
    past = [(on, amount) for on, amount in events if on <= day]
    window = [amount for on, amount in past if on > start]
    return RfmInput(
        party_id=party_id,
        as_of=day,
        last_event=max((on for on, _ in past), default=None),
        frequency=len(window),
        monetary=Money.total(window, currency),
    )


@attrs.frozen
class RfmScore:
    """A party's recency, frequency and monetary scores, with what they were computed from.

    ``method`` is the scoring policy used; ``method.describe(locale)`` says it in words.
    """

    recency: int
    frequency: int
    monetary: int
    source: RfmInput
    method: Quantiles | FixedThresholds

    @property
    def total(self) -> int:
        """The three scores added up."""
        return self.recency + self.frequency + self.monetary

    def component(self, component: RfmComponent) -> int:
        """One component's score, or the total."""
        if component is RfmComponent.RECENCY:
            return self.recency
        if component is RfmComponent.FREQUENCY:
            return self.frequency
        if component is RfmComponent.MONETARY:
            return self.monetary
        return self.total


_RANKED = (RfmComponent.RECENCY, RfmComponent.FREQUENCY, RfmComponent.MONETARY)


def _quantile_scores(
    inputs: Sequence[RfmInput], component: RfmComponent, method: Quantiles
) -> dict[str, int]:
    n = len(inputs)
    ordered = sorted(inputs, key=lambda item: (item.key(component), item.party_id))
    scores: dict[str, int] = {}
    rank = 0
    previous: int | None = None
    for position, item in enumerate(ordered, start=1):
        key = item.key(component)
        if method.ties is TieMethod.BY_PARTY_ID or key != previous:
            rank = position
        previous = key
        scores[item.party_id] = (rank - 1) * method.count // n + 1
    return scores


def _threshold_scores(item: RfmInput, method: FixedThresholds) -> tuple[int, int, int]:
    days = item.recency_days
    recency = 1 + (0 if days is None else sum(days <= bound for bound in method.recency_days))
    frequency = 1 + sum(item.frequency >= bound for bound in method.frequency)
    monetary = 1 + sum(item.monetary >= bound for bound in method.monetary)
    return recency, frequency, monetary


def rfm_scores(
    inputs: Iterable[RfmInput], *, policy: BehaviourPolicy = DEFAULT_BEHAVIOUR_POLICY
) -> dict[str, RfmScore]:
    """RFM scores of a portfolio's existing customers, by the policy's quantiles or thresholds.

    Quantiles rank parties by value (a later last event, more events, more money rank higher;
    an existing customer with no event ranks below every other), ties broken as the policy
    says, and score rank r of n as ``(r - 1) * count // n + 1``. All the inputs must be as of
    the same date.

    >>> day = pendulum.date(2026, 12, 31)
    >>> inputs = [
    ...     RfmInput(pid, day, day, freq, Money(amount))
    ...     for pid, freq, amount in [("A", 1, "10.00"), ("B", 3, "10.00"), ("C", 2, "90.00")]
    ... ]
    >>> {pid: (s.recency, s.frequency, s.monetary) for pid, s in rfm_scores(inputs).items()}
    {'A': (1, 1, 1), 'B': (2, 4, 2), 'C': (4, 2, 4)}
    """
    items: tuple[RfmInput, ...] = check_items(inputs, "inputs", RfmInput)
    _policy_arg(policy)
    check_unique((item.party_id for item in items), "inputs", InvalidBehaviourFact, what="party")
    dates = sorted({item.as_of for item in items})
    if len(dates) > 1:
        raise InvalidBehaviourFact(
            "RFM inputs as of different dates cannot be ranked together.",
            field="inputs",
            value=dates,
            allowed="inputs all as of one date",
        )
    scoring = policy.rfm.scoring
    if isinstance(scoring, FixedThresholds):
        currencies = {bound.currency for bound in scoring.monetary}
        result = {}
        for item in items:
            if currencies - {item.monetary.currency}:
                raise CurrencyMismatch(
                    f"monetary bounds in {sorted(currencies)} but party {item.party_id!r} spends "
                    f"in {item.monetary.currency}.",
                    field="inputs",
                    value=item.monetary.currency,
                    allowed=" or ".join(sorted(currencies)),
                    party_id=item.party_id,
                )
            r, f, m = _threshold_scores(item, scoring)
            result[item.party_id] = RfmScore(r, f, m, item, scoring)
        return result
    if not items:
        return {}
    by_component = {c: _quantile_scores(items, c, scoring) for c in _RANKED}
    return {
        item.party_id: RfmScore(
            by_component[RfmComponent.RECENCY][item.party_id],
            by_component[RfmComponent.FREQUENCY][item.party_id],
            by_component[RfmComponent.MONETARY][item.party_id],
            item,
            scoring,
        )
        for item in items
    }
