"""Hypothesis strategies for concessions, notices with concessions and prepaid balances.

Plural nouns with keyword-only bounds. Every value is built through propcrm's own constructors
and billing run: a concession through its kind's constructor, a notice with concessions through
:func:`propcrm.billing.issue_statement`, a prepaid balance by its top-ups, settlements and
refunds. Each shrinks towards the simplest: a vacant-unit discount of 1 % for November 2026, a
notice with no concession, an empty balance.

>>> from hypothesis import given, settings
>>> @settings(max_examples=20, database=None)
... @given(statements_with_concessions())
... def test_never_below_zero(notice):
...     assert notice.total == notice.charges_total - notice.concessions_total
...     assert not notice.total.is_negative
>>> test_never_below_zero()
"""

from __future__ import annotations

from decimal import Decimal

import pendulum
from hypothesis import strategies as st

from propcrm._property_types import PropertyType
from propcrm.billing import (
    Approval,
    Approver,
    AreaCharge,
    BillableSpan,
    BillingPolicy,
    Concession,
    ConcessionLine,
    FixedCharge,
    ProrationConvention,
    ProrationPolicy,
    Statement,
    Tariff,
    TariffVersion,
    UnitProfile,
    issue_statement,
    opening_statement,
)
from propcrm.money import Money, RoundingMode
from propcrm.receivables import Account, PrepaidBalance, PrepaidMovement
from propcrm.time import BillingPeriod

__all__ = [
    "concession_lines",
    "concessions",
    "prepaid_balances",
    "prepaid_movements",
    "statements_with_concessions",
]

_UNIT = "1-2-0301"
_CHARGES = ("MGMT", "ELEV")
_NOVEMBER = BillingPeriod.month(2026, 11)
_APPROVAL = Approval(Approver.OWNERS_COMMITTEE, "业委会决议〔2026〕5号", pendulum.date(2026, 6, 1))
_TARIFF_APPROVAL = Approval(
    Approver.OWNERS_COMMITTEE, "业委会决议〔2025〕3号", pendulum.date(2025, 10, 28)
)
"""The tariff's approval; its day moves before the tariff's first day when that is earlier."""


def _approved_before(period: BillingPeriod) -> Approval:
    latest = period.start.subtract(months=1)
    if latest >= _APPROVAL.approved_on:
        return _APPROVAL
    return Approval(_APPROVAL.by, _APPROVAL.reference, latest)


def _days(first: pendulum.Date, last: pendulum.Date) -> st.SearchStrategy[pendulum.Date]:
    return st.integers(0, (last - first).days).map(lambda n: first.add(days=n))


def _percents() -> st.SearchStrategy[Decimal]:
    return st.integers(1, 10_000).map(lambda n: Decimal(n).scaleb(-2))


def concessions(
    *,
    unit_id: str = _UNIT,
    charges: tuple[str, ...] = _CHARGES,
    period: BillingPeriod = _NOVEMBER,
) -> st.SearchStrategy[Concession]:
    """Concessions of every kind for ``unit_id`` that reduce some of ``charges``.

    Each covers some days within three months of ``period`` (often all of it, sometimes none),
    approved by the owners' committee on 1 June 2026, or a month before ``period`` if earlier.
    """
    approval = _approved_before(period)
    window = (period.start.subtract(months=3), period.end.add(months=3))
    codes = st.lists(st.sampled_from(charges), min_size=1, unique=True).map(tuple)

    @st.composite
    def build(draw: st.DrawFn) -> Concession:
        kind = draw(st.sampled_from(("vacant_unit", "paid_ahead", "fixed_term")))
        number = draw(st.integers(1, 99))
        reduces = draw(codes)
        if kind == "paid_ahead":
            paid_from = draw(_days(*window)).start_of("month")
            months = draw(st.integers(1, 12))
            free = draw(st.none() | st.integers(1, 2))
            return Concession.paid_ahead(
                f"PA-{number:02d}",
                "预交优惠",
                unit_id=unit_id,
                paid_from=paid_from,
                paid_months=months,
                free_months=free,
                percent=draw(_percents()) if free is None else None,
                evidence=f"BANK-{number:04d}",
                charges=reduces,
                approval=approval,
            )
        first = draw(_days(*window))
        last = draw(_days(first, window[1]))
        if kind == "vacant_unit":
            return Concession.vacant_unit(
                f"VAC-{number:02d}",
                "空置房优惠",
                unit_id=unit_id,
                percent=draw(_percents()),
                first=first,
                last=last,
                evidence="空置核查",
                charges=reduces,
                approval=approval,
            )
        by_amount = draw(st.booleans())
        return Concession.fixed_term(
            f"TERM-{number:02d}",
            "阶段性减免",
            first=first,
            last=last,
            charges=reduces,
            approval=approval,
            percent=None if by_amount else draw(_percents()),
            amount=Money.from_minor_units(draw(st.integers(1, 100_000))) if by_amount else None,
            unit_id=draw(st.sampled_from((None, unit_id))),
        )

    return build()


def statements_with_concessions(
    *, period: BillingPeriod = _NOVEMBER, max_concessions: int = 3
) -> st.SearchStrategy[Statement]:
    """Notices billed with up to ``max_concessions`` concessions, by the billing run.

    The tariff prices a management fee per ㎡ (``MGMT``) and a fixed lift fee (``ELEV``); the
    unit may move in during the period; proration and rounding modes vary.
    """

    @st.composite
    def build(draw: st.DrawFn) -> Statement:
        area = Decimal(draw(st.integers(100, 50_000))).scaleb(-2)
        unit = UnitProfile(_UNIT, PropertyType.RESIDENTIAL, building_area=area)
        mgmt = Money.from_minor_units(draw(st.integers(1, 900)))
        lift = Money.from_minor_units(draw(st.integers(0, 9000)))
        effective = min(pendulum.date(2026, 1, 1), period.start)
        version = TariffVersion(
            "2026",
            effective_from=effective,
            announced_on=effective.subtract(days=61),
            approval=Approval(
                _TARIFF_APPROVAL.by, _TARIFF_APPROVAL.reference, effective.subtract(days=65)
            ),
            charges={
                PropertyType.RESIDENTIAL: (
                    AreaCharge("MGMT", "物业管理费", mgmt),
                    FixedCharge("ELEV", "电梯费", lift),
                )
            },
        )
        policy = BillingPolicy(
            proration=ProrationPolicy(draw(st.sampled_from(ProrationConvention))),
            rounding=draw(st.sampled_from(RoundingMode)),
        )
        moved_in = draw(st.none() | _days(period.start.add(days=1), period.end))
        span = BillableSpan(start=moved_in) if moved_in is not None else BillableSpan()
        drawn = draw(
            st.lists(
                concessions(period=period), max_size=max_concessions, unique_by=lambda c: c.code
            )
        )
        return issue_statement(
            community="SUNRISE",
            unit=unit,
            period=period,
            tariff=Tariff("SUNRISE", (version,)),
            span=span,
            policy=policy,
            concessions=drawn,
        )

    return build()


def concession_lines() -> st.SearchStrategy[ConcessionLine]:
    """Concession lines of notices billed by :func:`statements_with_concessions`."""
    return (
        statements_with_concessions(max_concessions=3)
        .filter(lambda notice: bool(notice.concessions))
        .flatmap(lambda notice: st.sampled_from(notice.concessions))
    )


def prepaid_movements() -> st.SearchStrategy[PrepaidMovement]:
    """Top-ups, settlements and refunds of up to 10,000.00, in 2026."""

    @st.composite
    def build(draw: st.DrawFn) -> PrepaidMovement:
        amount = Money.from_minor_units(draw(st.integers(1, 1_000_000)))
        on = draw(_days(pendulum.date(2026, 1, 1), pendulum.date(2026, 12, 31)))
        if draw(st.integers(0, 2)) == 1:
            number = f"SUNRISE/{on.format('YYYY-MM')}/{_UNIT}"
            return PrepaidMovement("settlement", f"prepaid:{number}", amount, on, statement=number)
        kind = draw(st.sampled_from(("top_up", "refund")))
        reference = f"BANK-{draw(st.integers(1, 9999)):04d}"
        if kind == "top_up":
            return PrepaidMovement("top_up", reference, amount, on)
        return PrepaidMovement("refund", reference, amount, on)

    return build()


def prepaid_balances(*, max_notices: int = 6) -> st.SearchStrategy[PrepaidBalance]:
    """Balances built as a household uses them: top-ups, notices settled, refunds.

    Monthly notices from January 2026 are settled on their issue dates; refunds never take
    more than the balance can spare.
    """

    @st.composite
    def build(draw: st.DrawFn) -> PrepaidBalance:
        prepaid = PrepaidBalance(_UNIT)
        account = Account(_UNIT)
        period = BillingPeriod.month(2026, 1)
        for index in range(draw(st.integers(0, max_notices))):
            if draw(st.booleans()):
                prepaid = prepaid.top_up(
                    f"BANK-{index:04d}",
                    Money.from_minor_units(draw(st.integers(1, 500_000))),
                    on=period.start,
                )
            notice = opening_statement(
                community="SUNRISE",
                unit_id=_UNIT,
                period=period,
                amount=Money.from_minor_units(draw(st.integers(0, 100_000))),
                due_on=period.end.add(days=10),
            )
            prepaid, account = prepaid.settle(account, notice)
            spare = prepaid.available_on(period.end, "refund")
            if spare.is_positive and draw(st.booleans()):
                refund = Money.from_minor_units(draw(st.integers(1, spare.minor_units)))
                prepaid = prepaid.refund(f"REFUND-{index:04d}", refund, on=period.end)
            period = period.next()
        return prepaid

    return build()
