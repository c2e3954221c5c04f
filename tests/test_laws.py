"""propcrm.testing.laws: propcrm's own arithmetic holds its laws; broken copies are caught.

Each broken implementation below has one realistic mistake; its check must name the law that
mistake breaks and report the counterexample hypothesis shrank to.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pendulum
import pytest
from hypothesis import Phase, settings

from propcrm.billing import (
    DEFAULT_LATE_FEE,
    AbsoluteCap,
    AnnualisedRateCap,
    Compounding,
    GraceKind,
    LateFeePolicy,
    PercentOfPrincipalCap,
    StartRule,
)
from propcrm.errors import LawBroken, PropcrmError
from propcrm.money import Money, Rate, RateBasis, RoundingMode, allocate
from propcrm.receivables import late_fee
from propcrm.sla import BusinessCalendar, WeeklyHours, Window
from propcrm.testing.laws import (
    ALLOCATION_LAWS,
    DEADLINE_LAWS,
    LATE_FEE_LAWS,
    LateFeeFunction,
    Law,
    check_allocation_laws,
    check_deadline_laws,
    check_late_fee_laws,
)

# The explain phase re-runs a shrunk case many times to say which inputs did not matter: most of
# a failing check's time, and nothing these tests look at.
_PHASES = [Phase.generate, Phase.shrink]
#: propcrm's own functions: the profile decides the randomness (random in the thorough run).
OWN = settings(max_examples=10, database=None, phases=_PHASES)
#: Broken copies: the same examples in every profile, enough to find each mistake, so that each
#: test can say which law is named and what the counterexample shrank to.
CATCH = settings(max_examples=40, database=None, phases=_PHASES, derandomize=True)
SERVICE = BusinessCalendar.china_service_hours()
ONE_MINUTE = datetime.timedelta(minutes=1)


def propcrm_fee(policy: LateFeePolicy = DEFAULT_LATE_FEE) -> LateFeeFunction:
    return lambda principal, due_on, as_of, reductions: (
        late_fee(principal, due_on, as_of, reductions, policy=policy).amount
    )


def from_law(law: Law) -> tuple[Law, ...]:
    """The late-fee laws from ``law`` on: for a copy that holds the ones before it, by design."""
    return LATE_FEE_LAWS[LATE_FEE_LAWS.index(law) :]


def broken_law(check: Callable[[], None]) -> LawBroken:
    with pytest.raises(LawBroken) as caught:
        check()
    return caught.value


# -- propcrm's own functions hold their laws ---------------------------------------------------

POLICIES = {
    "brief": DEFAULT_LATE_FEE,
    "threshold grace": LateFeePolicy(grace_days=5, grace_kind=GraceKind.THRESHOLD),
    "deductible grace, from the due date": LateFeePolicy(
        grace_days=3, grace_kind=GraceKind.DEDUCTIBLE, start=StartRule.DUE_DATE
    ),
    "daily compounding, 30 % cap": LateFeePolicy(
        compounding=Compounding.DAILY, cap=PercentOfPrincipalCap("30")
    ),
    "annualised cap, rounded down": LateFeePolicy(
        cap=AnnualisedRateCap(Rate.percent("15.4", per=RateBasis.YEAR)),
        rounding=RoundingMode.DOWN,
    ),
    "absolute cap in USD": LateFeePolicy(cap=AbsoluteCap(Money("5.00", "USD"))),
}


@pytest.mark.parametrize("policy", POLICIES.values(), ids=POLICIES.keys())
def test_propcrm_late_fee_holds_the_late_fee_laws(policy: LateFeePolicy) -> None:
    check_late_fee_laws(propcrm_fee(policy), policy=policy, settings=OWN)


def test_propcrm_allocate_holds_the_allocation_laws_in_any_currency() -> None:
    check_allocation_laws(allocate, currencies=("CNY", "USD", "JPY", "KWD"), settings=OWN)


CALENDARS = {
    "China service hours": SERVICE,
    "24x7": BusinessCalendar.always(),
    "Berlin, with a lunch break, across DST": BusinessCalendar(
        "Berlin office",
        WeeklyHours.weekdays(Window("09:00", "12:00"), Window("13:00", "18:00")),
        "Europe/Berlin",
    ),
}


@pytest.mark.parametrize("calendar", CALENDARS.values(), ids=CALENDARS.keys())
def test_propcrm_calendars_hold_the_deadline_laws(calendar: BusinessCalendar) -> None:
    check_deadline_laws(calendar.add, between=calendar.between, calendar=calendar, settings=OWN)


# -- late fees --------------------------------------------------------------------------------


def test_a_fee_that_goes_negative_is_caught_on_the_smallest_statement() -> None:
    def minus_a_fen(principal, due_on, as_of, reductions):
        return late_fee(principal, due_on, as_of, reductions).amount - Money("0.01")

    error = broken_law(lambda: check_late_fee_laws(minus_a_fen, settings=CATCH))
    assert error.context["law"] is Law.NEVER_NEGATIVE
    assert error.context["got"] == Money("-0.01")
    assert error.context["expected"] == Money("0.00")
    assert error.context["inputs"]["principal"] == Money("0.01")
    assert "never negative" in str(error)


def test_a_fee_that_falls_after_thirty_days_is_caught_with_both_days() -> None:
    def forgets_after_a_month(principal, due_on, as_of, reductions):
        if (as_of - due_on).days > 30:
            as_of = due_on.add(days=(as_of - due_on).days - 30)
        return late_fee(principal, due_on, as_of, reductions).amount

    error = broken_law(
        lambda: check_late_fee_laws(
            forgets_after_a_month, laws=from_law(Law.NEVER_FALLING), settings=CATCH
        )
    )
    assert error.context["law"] is Law.NEVER_FALLING
    earlier, later = error.context["got"]
    assert later < earlier
    inputs = error.context["inputs"]
    # Reported as the two days the fee fell between: the 30th and 31st day after the due date.
    assert (inputs["as_of"] - inputs["due_on"]).days == 30
    assert (inputs["later_as_of"] - inputs["as_of"]).days == 1
    # propcrm's fee on the same two days does not fall.
    expected_earlier, expected_later = error.context["expected"]
    assert expected_earlier <= expected_later


def test_a_fee_that_ignores_the_cap_is_caught_above_it() -> None:
    capped = LateFeePolicy(cap=PercentOfPrincipalCap("10"))
    error = broken_law(
        lambda: check_late_fee_laws(propcrm_fee(DEFAULT_LATE_FEE), policy=capped, settings=CATCH)
    )
    assert error.context["law"] is Law.NEVER_ABOVE_CAP
    inputs = error.context["inputs"]
    limit = inputs["principal"] * Decimal("0.1")
    assert error.context["got"] > limit >= error.context["expected"]
    assert "at most 10% of the principal" in str(error)


def test_a_fee_charged_on_the_due_date_under_the_briefs_terms_is_caught() -> None:
    # The contract says 到期之日起 (StartRule.DUE_DATE) but the policy claimed is the brief's.
    from_due_date = LateFeePolicy(start=StartRule.DUE_DATE)
    error = broken_law(
        lambda: check_late_fee_laws(
            propcrm_fee(from_due_date),
            laws=[Law.ZERO_WHEN_PAID_ON_TIME, Law.AGREES_WITH_PROPCRM],
            settings=CATCH,
        )
    )
    assert error.context["law"] is Law.ZERO_WHEN_PAID_ON_TIME
    inputs = error.context["inputs"]
    assert error.context["got"].is_positive
    assert error.context["expected"] == Money("0.00")
    assert max(r.effective_on for r in inputs["reductions"]) == inputs["due_on"]


def test_a_fee_that_misreads_the_rounding_mode_disagrees_with_propcrm() -> None:
    half_up = propcrm_fee(LateFeePolicy(rounding=RoundingMode.HALF_UP))
    down = LateFeePolicy(rounding=RoundingMode.DOWN)
    error = broken_law(
        lambda: check_late_fee_laws(
            half_up, policy=down, laws=from_law(Law.AGREES_WITH_PROPCRM), settings=CATCH
        )
    )
    assert error.context["law"] is Law.AGREES_WITH_PROPCRM
    assert error.context["got"] - error.context["expected"] == Money("0.01")


def test_a_fee_that_is_not_money_or_not_rounded_is_caught_first() -> None:
    def as_decimal(principal, due_on, as_of, reductions):
        return late_fee(principal, due_on, as_of, reductions).amount.amount

    error = broken_law(lambda: check_late_fee_laws(as_decimal, settings=CATCH))
    assert error.context["law"] is Law.RETURNS
    assert error.context["got"] == Decimal("0.00")

    def exact(principal, due_on, as_of, reductions):
        return late_fee(principal, due_on, as_of, reductions).exact

    error = broken_law(lambda: check_late_fee_laws(exact, settings=CATCH))
    assert error.context["law"] is Law.IN_CURRENCY
    assert not error.context["got"].is_rounded


def test_a_function_that_raises_breaks_returns_with_the_exception_as_what_it_gave() -> None:
    def refuses_payments(principal, due_on, as_of, reductions):
        if reductions:
            raise ValueError("partial payments not supported")
        return late_fee(principal, due_on, as_of).amount

    error = broken_law(lambda: check_late_fee_laws(refuses_payments, settings=CATCH))
    assert error.context["law"] is Law.RETURNS
    assert isinstance(error.context["got"], ValueError)
    assert len(error.context["inputs"]["reductions"]) == 1
    assert "ValueError: partial payments not supported" in str(error)


# -- allocations ------------------------------------------------------------------------------


def test_an_allocation_that_loses_a_fen_is_caught_on_one_fen() -> None:
    def loses_a_fen(total, ratios):
        parts = list(allocate(total, ratios))
        if len(parts) > 1 and parts[-1].is_positive:
            parts[-1] -= Money.from_minor_units(1, total.currency)
        return parts

    error = broken_law(lambda: check_allocation_laws(loses_a_fen, settings=CATCH))
    assert error.context["law"] is Law.SUMS_TO_TOTAL
    assert error.context["inputs"] == {"total": Money("0.01"), "ratios": (0, 1)}
    assert error.context["got"] == (Money("0.00"), Money("0.00"))
    assert error.context["expected"] == (Money("0.00"), Money("0.01"))


def test_an_allocation_in_the_wrong_currency_is_caught() -> None:
    def in_yuan(total, ratios):
        return [Money(part.amount, "CNY") for part in allocate(total, ratios)]

    error = broken_law(lambda: check_allocation_laws(in_yuan, currencies=["USD"], settings=CATCH))
    assert error.context["law"] is Law.IN_CURRENCY
    assert error.context["inputs"]["total"] == Money("0.00", "USD")
    assert error.context["got"] == (Money("0.00", "CNY"),)


def test_an_allocation_with_a_part_too_few_or_negative_is_caught() -> None:
    def drops_zero_parts(total, ratios):
        return [part for part in allocate(total, ratios) if part]

    error = broken_law(lambda: check_allocation_laws(drops_zero_parts, settings=CATCH))
    assert error.context["law"] is Law.ONE_PART_PER_RATIO
    assert error.context["inputs"]["ratios"] == (1,)
    assert error.context["got"] == ()

    def borrows(total, ratios):
        parts = list(allocate(total, ratios))
        if len(parts) > 1:
            fen = Money.from_minor_units(1, total.currency)
            parts[0], parts[-1] = parts[0] - fen, parts[-1] + fen
        return parts

    error = broken_law(lambda: check_allocation_laws(borrows, settings=CATCH))
    assert error.context["law"] is Law.PARTS_NON_NEGATIVE
    assert error.context["got"][0] == Money("-0.01")


def test_an_allocation_breaking_ties_the_other_way_disagrees_with_propcrm() -> None:
    def last_first(total, ratios):
        return allocate(total, ratios[::-1])[::-1]

    error = broken_law(lambda: check_allocation_laws(last_first, settings=CATCH))
    assert error.context["law"] is Law.AGREES_WITH_PROPCRM
    assert error.context["inputs"] == {"total": Money("0.01"), "ratios": (1, 1)}
    assert error.context["got"] == (Money("0.00"), Money("0.01"))
    assert error.context["expected"] == (Money("0.01"), Money("0.00"))
    # Without the agreement law the same method holds every other law.
    others = [law for law in ALLOCATION_LAWS if law is not Law.AGREES_WITH_PROPCRM]
    check_allocation_laws(last_first, laws=others, settings=OWN)


# -- deadlines --------------------------------------------------------------------------------


def test_a_deadline_a_minute_late_is_caught() -> None:
    def a_minute_late(start, seconds):
        return SERVICE.add(start, seconds) + ONE_MINUTE

    error = broken_law(lambda: check_deadline_laws(a_minute_late, calendar=SERVICE, settings=CATCH))
    assert error.context["law"] is Law.BETWEEN_UNDOES_ADD
    assert error.context["got"] - error.context["expected"] == ONE_MINUTE
    assert set(error.context["inputs"]) == {"start", "seconds"}


def test_a_deadline_in_the_lunch_break_is_caught() -> None:
    def past_noon(start, seconds):
        end = SERVICE.add(start, seconds)
        return end + ONE_MINUTE if seconds and end.time() == datetime.time(12) else end

    error = broken_law(lambda: check_deadline_laws(past_noon, calendar=SERVICE, settings=CATCH))
    assert error.context["law"] is Law.IN_WORKING_TIME
    assert error.context["got"].time() == datetime.time(12, 1)
    assert error.context["expected"].time() == datetime.time(12)
    assert "12:01" in str(error)


def test_a_deadline_that_waits_for_the_next_window_is_caught() -> None:
    # add(11:00, 1 h) is 12:00, when the morning's hour is used up, not 13:30 after lunch.
    def after_lunch(start, seconds):
        end = SERVICE.add(start, seconds)
        return SERVICE.next_working_instant(end) if seconds else end

    error = broken_law(lambda: check_deadline_laws(after_lunch, calendar=SERVICE, settings=CATCH))
    assert error.context["law"] is Law.IN_WORKING_TIME
    got, expected = error.context["got"], error.context["expected"]
    assert got == SERVICE.next_working_instant(expected) > expected
    assert got.time() in {datetime.time(8, 30), datetime.time(13, 30)}


def test_a_deadline_that_drops_the_fraction_of_a_second_is_caught() -> None:
    def whole_seconds(start, seconds):
        return SERVICE.add(start.replace(microsecond=0), seconds)

    error = broken_law(lambda: check_deadline_laws(whole_seconds, calendar=SERVICE, settings=CATCH))
    assert error.context["law"] is Law.BETWEEN_UNDOES_ADD
    start = error.context["inputs"]["start"]
    assert start.microsecond
    # Shrunk to no duration at all: add(start, 0) must be the start itself, fraction and all.
    assert error.context["inputs"]["seconds"] == 0
    assert error.context["got"] == start.replace(microsecond=0)


def test_a_between_that_disagrees_is_caught() -> None:
    def counts_lunch(start, end):
        return int((end - start).total_seconds()) if end.date() == start.date() else 0

    error = broken_law(
        lambda: check_deadline_laws(
            SERVICE.add,
            between=counts_lunch,
            calendar=SERVICE,
            laws=[Law.AGREES_WITH_PROPCRM],
            settings=CATCH,
        )
    )
    assert error.context["law"] is Law.AGREES_WITH_PROPCRM
    assert set(error.context["inputs"]) == {"start", "end"}
    assert error.context["got"] != error.context["expected"]


def test_a_naive_deadline_is_caught_as_the_wrong_kind() -> None:
    def naive(start, seconds):
        return SERVICE.add(start, seconds).naive()

    error = broken_law(lambda: check_deadline_laws(naive, calendar=SERVICE, settings=CATCH))
    assert error.context["law"] is Law.RETURNS


# -- how the checks run -----------------------------------------------------------------------


def test_law_broken_is_a_library_error_and_an_assertion() -> None:
    assert issubclass(LawBroken, PropcrmError)
    assert issubclass(LawBroken, AssertionError)


def test_the_families_list_their_laws_in_order_and_agreement_last() -> None:
    for family in (LATE_FEE_LAWS, ALLOCATION_LAWS, DEADLINE_LAWS):
        assert family[0] is Law.RETURNS
        assert family[-1] is Law.AGREES_WITH_PROPCRM
        assert len(set(family)) == len(family)


def test_the_callers_settings_decide_how_many_examples_each_law_runs() -> None:
    calls: list[object] = []

    def counted(total, ratios):
        calls.append(total)
        return allocate(total, ratios)

    few = settings(max_examples=3, database=None, phases=[Phase.generate])
    check_allocation_laws(counted, laws=Law.RETURNS, settings=few)
    assert 1 <= len(calls) <= 3
    calls.clear()
    check_allocation_laws(counted, laws=[Law.RETURNS, Law.SUMS_TO_TOTAL], settings=few)
    assert 2 <= len(calls) <= 6


def test_only_the_laws_asked_for_run() -> None:
    def above_the_cap(principal, due_on, as_of, reductions):
        return late_fee(principal, due_on, as_of, reductions).amount

    capped = LateFeePolicy(cap=PercentOfPrincipalCap("0"))
    error = broken_law(
        lambda: check_late_fee_laws(
            above_the_cap, policy=capped, laws=Law.NEVER_ABOVE_CAP, settings=CATCH
        )
    )
    assert error.context["law"] is Law.NEVER_ABOVE_CAP
    check_late_fee_laws(
        above_the_cap,
        policy=capped,
        laws=[Law.NEVER_NEGATIVE, Law.NEVER_FALLING],
        settings=OWN,
    )


def test_a_counterexample_is_replayed_by_calling_the_function_with_its_inputs() -> None:
    def minus_a_fen(principal, due_on, as_of, reductions):
        return late_fee(principal, due_on, as_of, reductions).amount - Money("0.01")

    error = broken_law(lambda: check_late_fee_laws(minus_a_fen, settings=CATCH))
    assert minus_a_fen(**error.context["inputs"]) == error.context["got"]
    assert propcrm_fee()(**error.context["inputs"]) == error.context["expected"]
    assert isinstance(error.context["inputs"]["due_on"], pendulum.Date)
