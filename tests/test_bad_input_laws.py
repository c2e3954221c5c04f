"""Bad arguments to the law checks of propcrm.testing.laws are refused before any law runs."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.bad_input import assert_refused, bad_counts, bad_dates, wrong_types

from propcrm.billing import DEFAULT_LATE_FEE
from propcrm.errors import InvalidPolicy, InvalidType
from propcrm.money import allocate
from propcrm.receivables import late_fee
from propcrm.sla import BusinessCalendar
from propcrm.testing.laws import (
    Law,
    check_allocation_laws,
    check_deadline_laws,
    check_late_fee_laws,
)

CALENDAR = BusinessCalendar.always()
ONE = settings(max_examples=1, database=None)


def fee(principal, due_on, as_of, reductions):  # type: ignore[no-untyped-def]
    return late_fee(principal, due_on, as_of, reductions).amount


# A bad argument must be refused before the first law runs: a function that fails the test if it
# is ever called proves it.
def never_called(*_args: object) -> object:
    raise AssertionError("a check ran with a bad argument")


def late_fees(**changes: Any) -> object:
    arguments: dict[str, Any] = {"fee": never_called, "settings": ONE, **changes}
    return check_late_fee_laws(arguments.pop("fee"), **arguments)


def allocations(**changes: Any) -> object:
    arguments: dict[str, Any] = {"split": never_called, "settings": ONE, **changes}
    return check_allocation_laws(arguments.pop("split"), **arguments)


def deadlines(**changes: Any) -> object:
    arguments: dict[str, Any] = {
        "add": never_called,
        "calendar": CALENDAR,
        "settings": ONE,
        **changes,
    }
    return check_deadline_laws(arguments.pop("add"), **arguments)


CHECKS = st.sampled_from([late_fees, allocations, deadlines])

#: Where the laws to run are wanted: not laws, no laws, a law name as text.
bad_laws = st.one_of(
    wrong_types.filter(lambda v: v is not None),
    st.sampled_from(["AGREES_WITH_PROPCRM", "agrees with propcrm", [], (), ["RETURNS"], [1]]),
)


@settings(max_examples=30, database=None)
@given(check=CHECKS, bad=wrong_types.filter(lambda v: v is not None))
def test_the_function_to_check_must_be_callable(check: Any, bad: object) -> None:
    name = {late_fees: "fee", allocations: "split", deadlines: "add"}[check]
    error = assert_refused(lambda: check(**{name: bad}))
    assert isinstance(error, InvalidType)
    assert error.field == name


@settings(max_examples=30, database=None)
@given(check=CHECKS, bad=wrong_types.filter(lambda v: v is not None))
def test_settings_must_be_hypothesis_settings(check: Any, bad: object) -> None:
    error = assert_refused(lambda: check(settings=bad))
    assert error.field == "settings"


@settings(max_examples=30, database=None)
@given(check=CHECKS, bad=bad_laws)
def test_laws_must_be_laws(check: Any, bad: object) -> None:
    error = assert_refused(lambda: check(laws=bad))
    assert error.field == "laws"


def test_a_law_of_another_family_is_refused_naming_the_allowed_ones() -> None:
    error = assert_refused(lambda: late_fees(laws=[Law.SUMS_TO_TOTAL]))
    assert isinstance(error, InvalidPolicy)
    assert error.value is Law.SUMS_TO_TOTAL
    assert "Law.NEVER_FALLING" in (error.allowed or "")
    assert_refused(lambda: allocations(laws=Law.IN_WORKING_TIME))
    assert_refused(lambda: deadlines(laws=[Law.RETURNS, Law.NEVER_ABOVE_CAP]))


@settings(max_examples=20, database=None)
@given(bad=wrong_types)
def test_the_policy_and_the_calendar_must_be_what_they_claim(bad: object) -> None:
    assert assert_refused(lambda: late_fees(policy=bad)).field == "policy"
    assert assert_refused(lambda: deadlines(calendar=bad)).field == "calendar"
    if bad is not None:
        assert assert_refused(lambda: deadlines(between=bad)).field == "between"


@settings(max_examples=20, database=None)
@given(bad=st.one_of(bad_counts, st.sampled_from([-5, 10**9])))
def test_counts_are_ints_in_range(bad: object) -> None:
    assert assert_refused(lambda: late_fees(max_days_late=bad)).field == "max_days_late"
    assert assert_refused(lambda: allocations(max_parts=bad)).field == "max_parts"
    assert assert_refused(lambda: deadlines(max_seconds=bad)).field == "max_seconds"


@settings(max_examples=20, database=None)
@given(bad=bad_dates)
def test_the_days_of_the_starts_are_dates(bad: object) -> None:
    assert assert_refused(lambda: deadlines(first=bad)).field == "first"
    assert assert_refused(lambda: deadlines(last=bad)).field == "last"


def test_the_days_of_the_starts_are_in_order() -> None:
    import pendulum

    error = assert_refused(
        lambda: deadlines(first=pendulum.date(2026, 3, 2), last=pendulum.date(2026, 3, 1))
    )
    assert isinstance(error, InvalidPolicy)
    assert error.field == "last"


@settings(max_examples=20, database=None)
@given(bad=st.one_of(wrong_types, st.sampled_from(["CNY", "", [], ["XYZ"], ["cny"], [None]])))
def test_currencies_are_iso_codes(bad: object) -> None:
    assert assert_refused(lambda: allocations(currencies=bad)).field == "currencies"


def test_good_arguments_run_the_laws() -> None:
    """The refusals above are not a check that refuses everything."""
    late_fees(fee=fee, policy=DEFAULT_LATE_FEE, laws=Law.RETURNS)
    allocations(split=allocate, currencies=["JPY"], laws=Law.SUMS_TO_TOTAL)
    deadlines(add=CALENDAR.add, between=CALENDAR.between, laws=Law.AGREES_WITH_PROPCRM)
