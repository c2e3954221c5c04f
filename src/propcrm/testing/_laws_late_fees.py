"""The late-fee laws: a caller's fee function against the policy it claims to follow."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs
import hypothesis
import pendulum
from hypothesis import strategies as st

from propcrm._validators import check_callable, check_instance, check_int
from propcrm.billing import DEFAULT_LATE_FEE, AbsoluteCap, LateFeePolicy
from propcrm.errors import InvalidPolicy
from propcrm.money import CNY, Money
from propcrm.receivables import LateFee, PrincipalReduction, late_fee
from propcrm.testing._laws import Law, broken, call, chosen_laws, law_settings, run_law
from propcrm.testing.strategies import payment_histories

__all__ = ["LATE_FEE_LAWS", "LateFeeFunction", "check_late_fee_laws"]

LATE_FEE_LAWS = (
    Law.RETURNS,
    Law.IN_CURRENCY,
    Law.NEVER_NEGATIVE,
    Law.ZERO_WHEN_PAID_ON_TIME,
    Law.NEVER_ABOVE_CAP,
    Law.NEVER_FALLING,
    Law.AGREES_WITH_PROPCRM,
)
"""The laws :func:`check_late_fee_laws` runs, in this order."""

LateFeeFunction = Callable[
    [Money, pendulum.Date, pendulum.Date, tuple[PrincipalReduction, ...]], Money
]
"""``fee(principal, due_on, as_of, reductions) -> Money``: :func:`propcrm.receivables.late_fee`'s
first four arguments, giving the fee rounded to the fen."""

_MAX_LATER_DAYS = 60
_DAYS_BEFORE_DUE = 10
# The longest run of days the law of days passing takes the fee on, one call a day.
_MAX_DAILY_RUN = 366


@attrs.frozen
class _Case:
    """One statement's principal, due date, payments, and the days to take the fee on.

    The fee is taken on ``as_of``; the law of days passing takes it on every day from the day
    before the due date to ``later``.
    """

    principal: Money
    due_on: pendulum.Date
    as_of: pendulum.Date
    reductions: tuple[PrincipalReduction, ...]
    later: pendulum.Date

    def inputs(self, as_of: pendulum.Date | None = None) -> dict[str, object]:
        return {
            "principal": self.principal,
            "due_on": self.due_on,
            "as_of": self.as_of if as_of is None else as_of,
            "reductions": self.reductions,
        }


def _cases(policy: LateFeePolicy, max_days_late: int, *, on_time: bool) -> st.SearchStrategy[_Case]:
    currency = policy.cap.amount.currency if isinstance(policy.cap, AbsoluteCap) else CNY
    histories = payment_histories(
        currency=currency,
        policies=policy,
        max_days_late=0 if on_time else max_days_late,
        paid_in_full=True if on_time else None,
    )
    offsets = st.integers(-_DAYS_BEFORE_DUE, max_days_late + _MAX_LATER_DAYS)

    @st.composite
    def draw_case(draw: st.DrawFn) -> _Case:
        history = draw(histories)
        reductions = history.reductions()
        if on_time:
            # Paid in full by the due date; under "from the due date" (到期之日起) the due
            # date itself is late, so the last day to pay is the day before.
            last_to_pay = policy.first_late_day(history.due_on).subtract(days=1)
            reductions = tuple(
                PrincipalReduction(min(r.effective_on, last_to_pay), r.amount, r.source)
                for r in reductions
            )
            on_the_day = draw(st.booleans())
            if reductions and on_the_day:
                # The last payment on the last day to pay: where an off-by-one day shows.
                *earlier, last = reductions
                paid = PrincipalReduction(last_to_pay, last.amount, last.source)
                reductions = (*earlier, paid)
        as_of = history.due_on.add(days=draw(offsets))
        later = as_of.add(days=draw(st.integers(1, _MAX_LATER_DAYS)))
        return _Case(history.principal, history.due_on, as_of, reductions, later)

    return draw_case()


def check_late_fee_laws(
    fee: LateFeeFunction,
    *,
    policy: LateFeePolicy = DEFAULT_LATE_FEE,
    settings: hypothesis.settings | None = None,
    laws: Law | Iterable[Law] | None = None,
    max_days_late: int = 90,
) -> None:
    """Check that ``fee`` holds the late-fee laws of ``policy``; raise on the first one broken.

    ``fee`` is called as ``fee(principal, due_on, as_of, reductions)`` and returns the fee as a
    :class:`~propcrm.money.Money` rounded to the fen: the arguments are those of
    :func:`propcrm.receivables.late_fee` (a ``Money`` principal, ``pendulum.Date`` due date and
    last day counted, a tuple of :class:`~propcrm.receivables.PrincipalReduction`, each
    lowering the base from the day after its ``effective_on``). Wrap a function of another shape
    in a lambda that converts (see the testing guide).

    The cases come from :func:`~propcrm.testing.strategies.payment_histories` (a statement and
    the partial receipts against it, in the cap's currency or CNY), with days counted from ten
    days before the due date to ``max_days_late`` + 60 days after it. The laws, each its own
    hypothesis run, in the order of ``LATE_FEE_LAWS``: returns a ``Money``; in the principal's
    currency, rounded; never negative; zero when paid in full before the first late day; never
    above the cap; never falling as days pass (taken on every day from the day before the due
    date, at most a year, to up to 60 days after the case's ``as_of``); the same as propcrm's
    :func:`late_fee` under ``policy``.

    Args:
        fee: the function to check.
        policy: the late-fee policy ``fee`` claims to follow.
        settings: a ``hypothesis.settings`` for each law's run (``max_examples``, ``database``,
            ``derandomize``…); default the current profile's, without a deadline or the
            explain phase.
        laws: one :class:`Law` or several of ``LATE_FEE_LAWS`` to check; default all.
        max_days_late: the latest payment, in days after the due date (0 to 3650).

    Raises:
        LawBroken: the first law broken, with the shrunk case: ``context`` holds ``law``,
            ``inputs`` (by argument name), ``got`` and ``expected`` (propcrm's fee).

    >>> from hypothesis import Phase, settings
    >>> from propcrm.errors import LawBroken
    >>> quick = settings(max_examples=20, database=None, phases=[Phase.generate, Phase.shrink])
    >>> def brief(principal, due_on, as_of, reductions):  # propcrm's own, to the brief's terms
    ...     return late_fee(principal, due_on, as_of, reductions).amount
    >>> check_late_fee_laws(brief, settings=quick)  # returns: every law holds
    >>> def never_charges(principal, due_on, as_of, reductions):
    ...     return Money.zero(principal.currency)
    >>> try:
    ...     check_late_fee_laws(never_charges, settings=quick)
    ... except LawBroken as error:
    ...     print(error.context["law"].value)
    agrees with propcrm
    """
    check_callable(fee, "fee", example="lambda principal, due_on, as_of, reductions: ...")
    terms = check_instance(policy, "policy", LateFeePolicy, example="LateFeePolicy()")
    check_int(max_days_late, "max_days_late", InvalidPolicy, minimum=0, maximum=3650)
    run = law_settings(settings)
    for law in chosen_laws(laws, LATE_FEE_LAWS, "check_late_fee_laws"):
        holds = _LawsOf(fee, terms).holds(law)
        cases = _cases(terms, max_days_late, on_time=law is Law.ZERO_WHEN_PAID_ON_TIME)
        run_law(law, cases, holds, run)


@attrs.frozen
class _LawsOf:
    """Each late-fee law as a check of one case, for ``fee`` under ``policy``."""

    fee: Callable[..., object]
    policy: LateFeePolicy

    def propcrm(self, case: _Case, as_of: pendulum.Date | None = None) -> LateFee:
        day = case.as_of if as_of is None else as_of
        return late_fee(case.principal, case.due_on, day, case.reductions, policy=self.policy)

    def result(self, case: _Case, as_of: pendulum.Date | None = None) -> Money:
        """The caller's fee, once it is known to be a rounded Money in the right currency."""
        inputs = case.inputs(as_of)
        got = call(self.fee, inputs, lambda: self.propcrm(case, as_of).amount)
        if not isinstance(got, Money):
            broken(
                Law.RETURNS,
                f"it returned a {type(got).__name__}, not a Money",
                inputs,
                got=got,
                expected=self.propcrm(case, as_of).amount,
            )
        if got.currency != case.principal.currency or not got.is_rounded:
            broken(
                Law.IN_CURRENCY,
                f"the principal is in {case.principal.currency}, rounded to its minor unit",
                inputs,
                got=got,
                expected=self.propcrm(case, as_of).amount,
            )
        return got

    def holds(self, law: Law) -> Callable[[_Case], object]:
        checks: dict[Law, Callable[[_Case], object]] = {
            Law.RETURNS: self.result,
            Law.IN_CURRENCY: self.result,
            Law.NEVER_NEGATIVE: self.never_negative,
            Law.ZERO_WHEN_PAID_ON_TIME: self.zero_when_paid_on_time,
            Law.NEVER_ABOVE_CAP: self.never_above_cap,
            Law.NEVER_FALLING: self.never_falling,
            Law.AGREES_WITH_PROPCRM: self.agrees,
        }
        return checks[law]

    def never_negative(self, case: _Case) -> None:
        got = self.result(case)
        if got.is_negative:
            detail = "a fee below zero"
            expected = self.propcrm(case).amount
            broken(Law.NEVER_NEGATIVE, detail, case.inputs(), got=got, expected=expected)

    def zero_when_paid_on_time(self, case: _Case) -> None:
        got = self.result(case)
        if got:
            paid = case.reductions[-1].effective_on if case.reductions else case.due_on
            detail = (
                f"the principal was paid in full by {paid}, before the first late day "
                f"{self.policy.first_late_day(case.due_on)}, yet the fee is not zero"
            )
            expected = self.propcrm(case).amount
            broken(Law.ZERO_WHEN_PAID_ON_TIME, detail, case.inputs(), got=got, expected=expected)

    def never_above_cap(self, case: _Case) -> None:
        got = self.result(case)
        reference = self.propcrm(case)
        limit = reference.cap.limit
        if limit is not None and got > limit:
            detail = f"the cap ({reference.cap.describe('en_US')}) allows at most {limit.amount:f}"
            broken(Law.NEVER_ABOVE_CAP, detail, case.inputs(), got=got, expected=reference.amount)

    def never_falling(self, case: _Case) -> None:
        # Day by day from the day before the due date (at most a year) to later: a fall on
        # any day is found (where a grace period ends, a cap bites, a month turns), and
        # reported as the two days it happened between.
        day = max(case.due_on.subtract(days=1), case.later.subtract(days=_MAX_DAILY_RUN))
        fee = self.result(case, day)
        while day < case.later:
            next_day = day.add(days=1)
            next_fee = self.result(case, next_day)
            if next_fee < fee:
                inputs = {**case.inputs(day), "later_as_of": next_day}
                detail = f"the fee fell from {fee.amount:f} as of {day} to {next_fee.amount:f}"
                detail += f" as of {next_day}"
                expected = (self.propcrm(case, day).amount, self.propcrm(case, next_day).amount)
                broken(Law.NEVER_FALLING, detail, inputs, got=(fee, next_fee), expected=expected)
            day, fee = next_day, next_fee

    def agrees(self, case: _Case) -> None:
        got = self.result(case)
        reference = self.propcrm(case)
        if got != reference.amount:
            detail = f"propcrm's fee under the policy is {reference.amount.amount:f}"
            expected = reference.amount
            broken(Law.AGREES_WITH_PROPCRM, detail, case.inputs(), got=got, expected=expected)
