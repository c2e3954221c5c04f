"""Bad input to every public entry point of propcrm.receivables is refused with context (issue 18).

Each test feeds one argument of one entry point the malformed values of its kind (from
``tests/bad_input.py``) and asserts through :func:`assert_refused` that only a library error
comes out, carrying its context as data. The other arguments are the valid ones below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.bad_input import (
    assert_refused,
    bad_amounts,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_locales,
    bad_text,
    wrong_types,
)

from propcrm.billing import FeeCategory, FeeUsage, opening_statement
from propcrm.errors import DuplicateReference, InvalidQuantity
from propcrm.money import Money, Rate, RateBasis
from propcrm.receivables import (
    Account,
    AgingPolicy,
    AllocationOrder,
    AllocationPolicy,
    Authorisation,
    CollectionCost,
    Correction,
    Credit,
    Deferral,
    DisputePolicy,
    DisputeRaised,
    DisputeResolved,
    DunningChannel,
    DunningLevel,
    DunningPlan,
    DunningRule,
    LateFeeWaiver,
    Outstanding,
    PrepaidBalance,
    PrepaidMovement,
    PrincipalReduction,
    PrincipalWaiver,
    Receipt,
    Refund,
    StatementState,
    StepTaken,
    WriteOff,
    age_account,
    age_owed,
    allocate_payment,
    arrears_as_of,
    collections_between,
    collections_over,
    demand_dates,
    due_steps,
    fee_usage_report,
    late_fee,
    litigation_exposure,
    lpr_reference,
)
from propcrm.time import BillingPeriod

FEW = settings(max_examples=10, database=None)

UNIT = "1-2-0301"
DAY = pendulum.date(2026, 12, 20)
OK = Authorisation("finance manager Li", "goodwill")
NOV = opening_statement(
    community="SUNRISE",
    unit_id=UNIT,
    period=BillingPeriod.month(2026, 11),
    amount=Money("1000.00"),
    due_on=pendulum.date(2026, 12, 10),
)
BOOKS = Account(UNIT, billed_party="owner-17", events=(NOV,))
PREPAID = PrepaidBalance(UNIT).top_up("BANK-1", Money("100.00"), on=DAY)


def _post(event: object) -> Account:
    return BOOKS.post(event)  # type: ignore[arg-type]


BALANCE = BOOKS.balance(DAY)
LPR = Rate.percent("3.0", per=RateBasis.YEAR)
FEE = late_fee(Money("1000.00"), pendulum.date(2026, 12, 10), DAY)
STEP = StepTaken(UNIT, "owner-17", DunningLevel.REMINDER, DAY, "sms")
USAGE = FeeUsage(budget={FeeCategory.STAFF: Money("1.00")}, actual={FeeCategory.STAFF: Money("1")})
COLLECTIONS = collections_over([BOOKS], BillingPeriod.month(2026, 12))
DECISION = due_steps(DunningPlan("SUNRISE"), [BOOKS], pendulum.date(2027, 1, 20)).decisions[0]

# Each entry point as a call taking keyword arguments, with valid values for all of them; a test
# replaces one argument by a malformed value.
ENTRY: dict[str, tuple[Callable[..., object], dict[str, Any]]] = {
    "Account": (
        Account,
        {"unit_id": UNIT, "billed_party": "owner-17", "events": (NOV,)},
    ),
    "Account.post": (_post, {"event": NOV}),
    "Account.balance": (BOOKS.balance, {"as_of": DAY}),
    "Account.owed": (BOOKS.owed, {"as_of": DAY}),
    "Account.credit": (BOOKS.credit, {"as_of": DAY}),
    "Account.positions": (BOOKS.positions, {"as_of": DAY}),
    "Account.late_fee": (BOOKS.late_fee, {"statement": NOV.number, "as_of": DAY}),
    "AccountBalance.statement": (BALANCE.statement, {"number": NOV.number}),
    "Receipt": (
        Receipt,
        {"reference": "BANK-1", "amount": Money("1.00"), "received_on": DAY, "paid_on": DAY},
    ),
    "Authorisation": (Authorisation, {"approver": "Li", "reason": "goodwill"}),
    "LateFeeWaiver": (
        LateFeeWaiver,
        {"reference": "W-1", "statement": NOV.number, "authorisation": OK, "on": DAY},
    ),
    "PrincipalWaiver": (
        PrincipalWaiver,
        {"reference": "W-1", "statement": NOV.number, "authorisation": OK, "on": DAY},
    ),
    "WriteOff": (
        WriteOff,
        {"reference": "WO-1", "statement": NOV.number, "authorisation": OK, "on": DAY},
    ),
    "Credit": (
        Credit,
        {"reference": "CR-1", "amount": Money("1.00"), "on": DAY, "reason": "transfer"},
    ),
    "Refund": (
        Refund,
        {"reference": "RF-1", "amount": Money("1.00"), "on": DAY, "authorisation": OK},
    ),
    "CollectionCost": (
        CollectionCost,
        {
            "reference": "C-1",
            "statement": NOV.number,
            "amount": Money("1.00"),
            "on": DAY,
            "reason": "letter",
        },
    ),
    "Correction": (
        Correction,
        {"reference": "COR-1", "corrected": NOV.revised(NOV.lines), "on": DAY, "reason": "area"},
    ),
    "Deferral": (
        Deferral,
        {
            "reference": "D-1",
            "statement": NOV.number,
            "new_due_on": pendulum.date(2026, 12, 31),
            "authorisation": OK,
            "approved_on": DAY,
        },
    ),
    "DisputeRaised": (
        DisputeRaised,
        {"reference": "DSP-1", "statement": NOV.number, "raised_on": DAY, "reason": "meter"},
    ),
    "DisputeResolved": (
        DisputeResolved,
        {"reference": "DSP-1", "upheld": False, "resolved_on": DAY, "note": "rejected"},
    ),
    "DisputePolicy": (DisputePolicy, {"min_days_before_due": 5}),
    "DisputePolicy.last_day_to_raise": (DisputePolicy().last_day_to_raise, {"due_on": DAY}),
    "DisputePolicy.check_raised_in_time": (
        DisputePolicy().check_raised_in_time,
        {"statement": NOV.number, "due_on": pendulum.date(2026, 12, 31), "raised_on": DAY},
    ),
    "AllocationPolicy": (
        AllocationPolicy,
        {"order": AllocationOrder.CIVIL_CODE, "honour_designation": True},
    ),
    "Outstanding": (
        Outstanding,
        {"statement": NOV.number, "due_on": DAY, "principal": Money("1.00")},
    ),
    "allocate_payment": (
        allocate_payment,
        {
            "amount": Money("1.00"),
            "outstanding": [Outstanding(NOV.number, DAY, principal=Money("1.00"))],
            "on": DAY,
            "policy": AllocationPolicy(),
            "designation": (NOV.number,),
            "source": "receipt BANK-1",
        },
    ),
    "AgingPolicy": (AgingPolicy, {"edges": (30, 90), "limitation_years": 3}),
    "AgingPolicy.bucket_for": (AgingPolicy().bucket_for, {"days_overdue": 3}),
    "AgingPolicy.limitation_ends_on": (
        AgingPolicy().limitation_ends_on,
        {"due_on": DAY, "interruptions": [DAY]},
    ),
    "age_account": (age_account, {"account": BOOKS, "as_of": DAY, "policy": AgingPolicy()}),
    "age_owed": (age_owed, {"rows": BOOKS.owed(DAY), "as_of": DAY, "policy": AgingPolicy()}),
    "arrears_as_of": (
        arrears_as_of,
        {"accounts": [BOOKS], "as_of": DAY, "policy": AgingPolicy(), "interruptions": None},
    ),
    "DunningRule": (
        DunningRule,
        {
            "level": DunningLevel.REMINDER,
            "min_days_overdue": 1,
            "min_amount": Money("0.01"),
            "channels": ("sms",),
            "period_to_pay_days": 7,
            "repeat_after_days": 10,
            "max_steps": 3,
        },
    ),
    "DunningPlan": (
        DunningPlan,
        {"community": "SUNRISE", "hold_disputed": True, "claim_time_barred": False},
    ),
    "DunningPlan.rule": (DunningPlan("SUNRISE").rule, {"level": DunningLevel.REMINDER}),
    "DunningChannel.parse": (DunningChannel.parse, {"value": "sms"}),
    "StepTaken": (
        StepTaken,
        {
            "unit_id": UNIT,
            "billed_party": "owner-17",
            "level": DunningLevel.REMINDER,
            "taken_on": DAY,
            "channel": "sms",
        },
    ),
    "DunningDecision.record": (DECISION.record, {"channel": None, "on": DAY}),
    "due_steps": (
        due_steps,
        {
            "plan": DunningPlan("SUNRISE"),
            "accounts": [BOOKS],
            "as_of": DAY,
            "history": [STEP],
        },
    ),
    "demand_dates": (demand_dates, {"history": [STEP]}),
    "collections_between": (collections_between, {"opening": [], "closing": [BALANCE]}),
    "collections_over": (
        collections_over,
        {"accounts": [BOOKS], "period": BillingPeriod.month(2026, 12)},
    ),
    "Collections.collection_rate": (COLLECTIONS.collection_rate, {"places": 2}),
    "fee_usage_report": (
        fee_usage_report,
        {"usage": USAGE, "collections": COLLECTIONS, "places": 2},
    ),
    "PrincipalReduction": (
        PrincipalReduction,
        {"effective_on": DAY, "amount": Money("1.00"), "source": "R-1"},
    ),
    "late_fee": (
        late_fee,
        {
            "principal": Money("1000.00"),
            "due_on": pendulum.date(2026, 12, 10),
            "as_of": DAY,
            "reductions": [PrincipalReduction(DAY, Money("1.00"), "R-1")],
            "statement": NOV.number,
        },
    ),
    "litigation_exposure": (
        litigation_exposure,
        {"fee": FEE, "reference": LPR, "label": "LPR + 30 %", "days_in_year": 365},
    ),
    "lpr_reference": (lpr_reference, {"lpr": LPR, "factor": "1.3"}),
    "PrepaidBalance": (
        PrepaidBalance,
        {"unit_id": UNIT, "billed_party": "owner-17", "currency": "CNY", "movements": ()},
    ),
    "PrepaidMovement": (
        PrepaidMovement,
        {"kind": "top_up", "reference": "BANK-1", "amount": Money("1.00"), "on": DAY},
    ),
    "PrepaidBalance.top_up": (
        PREPAID.top_up,
        {"reference": "BANK-2", "amount": Money("1.00"), "on": DAY},
    ),
    "PrepaidBalance.refund": (
        PREPAID.refund,
        {"reference": "R-1", "amount": Money("1.00"), "on": DAY},
    ),
    "PrepaidBalance.settle": (PREPAID.settle, {"account": Account(UNIT), "notice": NOV}),
    "PrepaidBalance.balance_on": (PREPAID.balance_on, {"day": DAY}),
}

# Which arguments take which kind of value.
DATES = [
    ("Account.balance", "as_of"),
    ("Account.owed", "as_of"),
    ("Account.credit", "as_of"),
    ("Account.positions", "as_of"),
    ("Account.late_fee", "as_of"),
    ("Receipt", "received_on"),
    ("Receipt", "paid_on"),
    ("LateFeeWaiver", "on"),
    ("PrincipalWaiver", "on"),
    ("WriteOff", "on"),
    ("Credit", "on"),
    ("Refund", "on"),
    ("CollectionCost", "on"),
    ("Correction", "on"),
    ("Deferral", "new_due_on"),
    ("Deferral", "approved_on"),
    ("DisputeRaised", "raised_on"),
    ("DisputeResolved", "resolved_on"),
    ("DisputePolicy.last_day_to_raise", "due_on"),
    ("DisputePolicy.check_raised_in_time", "due_on"),
    ("DisputePolicy.check_raised_in_time", "raised_on"),
    ("Outstanding", "due_on"),
    ("allocate_payment", "on"),
    ("AgingPolicy.limitation_ends_on", "due_on"),
    ("age_account", "as_of"),
    ("age_owed", "as_of"),
    ("arrears_as_of", "as_of"),
    ("StepTaken", "taken_on"),
    ("DunningDecision.record", "on"),
    ("due_steps", "as_of"),
    ("PrincipalReduction", "effective_on"),
    ("late_fee", "due_on"),
    ("late_fee", "as_of"),
    ("PrepaidMovement", "on"),
    ("PrepaidBalance.top_up", "on"),
    ("PrepaidBalance.refund", "on"),
    ("PrepaidBalance.balance_on", "day"),
]
AMOUNTS = [
    ("Receipt", "amount"),
    ("Credit", "amount"),
    ("Refund", "amount"),
    ("CollectionCost", "amount"),
    ("LateFeeWaiver", "amount"),
    ("PrincipalWaiver", "amount"),
    ("Outstanding", "principal"),
    ("Outstanding", "late_fees"),
    ("allocate_payment", "amount"),
    ("DunningRule", "min_amount"),
    ("PrincipalReduction", "amount"),
    ("late_fee", "principal"),
    ("lpr_reference", "factor"),
    ("PrepaidMovement", "amount"),
    ("PrepaidBalance.top_up", "amount"),
    ("PrepaidBalance.refund", "amount"),
]
IDS = [
    ("PrepaidBalance", "unit_id"),
    ("PrepaidBalance", "billed_party"),
    ("PrepaidMovement", "reference"),
    ("PrepaidBalance.top_up", "reference"),
    ("Account", "unit_id"),
    ("Account", "billed_party"),
    ("Account.late_fee", "statement"),
    ("AccountBalance.statement", "number"),
    ("Receipt", "reference"),
    ("Receipt", "payer"),
    ("LateFeeWaiver", "reference"),
    ("LateFeeWaiver", "statement"),
    ("PrincipalWaiver", "statement"),
    ("WriteOff", "statement"),
    ("Credit", "reference"),
    ("Refund", "reference"),
    ("CollectionCost", "statement"),
    ("Correction", "reference"),
    ("Deferral", "reference"),
    ("Deferral", "statement"),
    ("DisputeRaised", "statement"),
    ("DisputeResolved", "reference"),
    ("Outstanding", "statement"),
    ("StepTaken", "unit_id"),
    ("StepTaken", "billed_party"),
]
TEXT = [
    ("Authorisation", "approver"),
    ("Authorisation", "reason"),
    ("Credit", "reason"),
    ("CollectionCost", "reason"),
    ("Correction", "reason"),
    ("DisputeRaised", "reason"),
    ("DisputeResolved", "note"),
    ("allocate_payment", "source"),
    ("DunningPlan", "community"),
    ("litigation_exposure", "label"),
]
COUNTS = [
    ("DisputePolicy", "min_days_before_due"),
    ("AgingPolicy", "limitation_years"),
    ("AgingPolicy.bucket_for", "days_overdue"),
    ("DunningRule", "min_days_overdue"),
    ("DunningRule", "period_to_pay_days"),
    ("DunningRule", "repeat_after_days"),
    ("DunningRule", "max_steps"),
    ("Collections.collection_rate", "places"),
    ("fee_usage_report", "places"),
    ("litigation_exposure", "days_in_year"),
]
# Arguments that take a value of one kind of the library's (a policy, a statement, a record…):
# any wrong type is refused.
TYPED = [
    ("PrepaidBalance", "movements"),
    ("PrepaidBalance.settle", "account"),
    ("PrepaidBalance.settle", "notice"),
    ("Account", "events"),
    ("Account.post", "event"),
    ("LateFeeWaiver", "authorisation"),
    ("Refund", "authorisation"),
    ("Deferral", "authorisation"),
    ("Correction", "corrected"),
    ("DisputeResolved", "upheld"),
    ("AllocationPolicy", "order"),
    ("AllocationPolicy", "honour_designation"),
    ("allocate_payment", "outstanding"),
    ("allocate_payment", "policy"),
    ("allocate_payment", "designation"),
    ("AgingPolicy", "edges"),
    ("AgingPolicy.limitation_ends_on", "interruptions"),
    ("age_account", "account"),
    ("age_account", "policy"),
    ("age_owed", "rows"),
    ("age_owed", "policy"),
    ("arrears_as_of", "accounts"),
    ("arrears_as_of", "policy"),
    ("DunningRule", "level"),
    ("DunningRule", "channels"),
    ("DunningPlan", "hold_disputed"),
    ("DunningPlan", "claim_time_barred"),
    ("DunningPlan.rule", "level"),
    ("DunningChannel.parse", "value"),
    ("StepTaken", "level"),
    ("StepTaken", "channel"),
    ("due_steps", "plan"),
    ("due_steps", "accounts"),
    ("due_steps", "history"),
    ("demand_dates", "history"),
    ("collections_between", "closing"),
    ("collections_over", "accounts"),
    ("collections_over", "period"),
    ("fee_usage_report", "usage"),
    ("fee_usage_report", "collections"),
    ("late_fee", "reductions"),
    ("litigation_exposure", "fee"),
    ("litigation_exposure", "reference"),
    ("lpr_reference", "lpr"),
]
# Where None is a valid value (an optional argument), it is left out of the malformed ones.
OPTIONAL = {
    ("PrepaidBalance", "billed_party"),
    ("Receipt", "paid_on"),
    ("Receipt", "payer"),
    ("Account", "billed_party"),
    ("LateFeeWaiver", "amount"),
    ("PrincipalWaiver", "amount"),
    ("StepTaken", "billed_party"),
    ("DunningDecision.record", "on"),
}
# Iterables of nothing are valid there: an empty tuple, list or dict is no bad input.
EMPTY_OK = {
    ("PrepaidBalance", "movements"),
    ("Account", "events"),
    ("allocate_payment", "outstanding"),
    ("allocate_payment", "designation"),
    ("AgingPolicy.limitation_ends_on", "interruptions"),
    ("age_owed", "rows"),
    ("arrears_as_of", "accounts"),
    ("due_steps", "accounts"),
    ("due_steps", "history"),
    ("demand_dates", "history"),
    ("late_fee", "reductions"),
}


def _call(entry: str, argument: str, value: object) -> Callable[[], object]:
    function, valid = ENTRY[entry]
    return lambda: function(**{**valid, argument: value})


def _usable(entry: str, argument: str, value: object) -> bool:
    if value is None and (entry, argument) in OPTIONAL:
        return False
    empty = isinstance(value, tuple | list | dict) and not value
    return not (empty and (entry, argument) in EMPTY_OK)


def test_the_valid_calls_are_accepted() -> None:
    # Without this, a test below could pass only because its "valid" arguments were not.
    for function, valid in ENTRY.values():
        function(**valid)


def test_every_entry_point_is_exercised() -> None:
    import propcrm.receivables as package

    named = {entry.split(".")[0] for entry in ENTRY}
    callables = {
        name
        for name in package.__all__
        if callable(getattr(package, name)) and not name.startswith("DEFAULT")
    }
    # Results and enums are made by the library, not by callers, or take no arguments.
    made_by_the_library = {
        "AccountBalance",
        "AccountEvent",
        "Allocation",
        "ArrearsReport",
        "Collections",
        "Component",
        "DecisionKind",
        "DunningDecision",
        "DunningResult",
        "FeeUsageReport",
        "ForbiddenMeasure",
        "LateFee",
        "LitigationExposure",
        "PayerRole",
        "StatementBalance",
        "StatementOwed",
        "StatementPosition",
        "StatementState",
        "AllocationOrder",
        "DunningLevel",
    }
    assert callables - made_by_the_library - named == set()


@pytest.mark.parametrize("where", DATES, ids="-".join)
@FEW
@given(bad=bad_dates)
def test_dates_refuse_text_none_numbers_and_datetimes(where: tuple[str, str], bad: object) -> None:
    if _usable(*where, bad):
        error = assert_refused(_call(*where, bad))
        assert error.field is not None


@pytest.mark.parametrize("where", AMOUNTS, ids="-".join)
@FEW
@given(bad=bad_amounts)
def test_amounts_refuse_floats_bools_and_non_numbers(where: tuple[str, str], bad: object) -> None:
    if _usable(*where, bad):
        assert_refused(_call(*where, bad))


@pytest.mark.parametrize("where", [w for w in AMOUNTS if w[0] != "lpr_reference"], ids="-".join)
@FEW
@given(bad=st.sampled_from([Money("-1.00"), Money("1.001")]))
def test_amounts_refuse_negative_and_unrounded_money(where: tuple[str, str], bad: Money) -> None:
    assert_refused(_call(*where, bad))


@pytest.mark.parametrize("bad", ["0", "-1.3", "NaN", "1000", True])
def test_an_lpr_factor_is_a_number_above_zero_and_not_absurd(bad: object) -> None:
    assert_refused(lambda: lpr_reference(LPR, bad))  # type: ignore[arg-type]


@pytest.mark.parametrize("where", IDS, ids="-".join)
@FEW
@given(bad=bad_ids)
def test_ids_refuse_empty_blank_spaced_and_non_text(where: tuple[str, str], bad: object) -> None:
    entry, argument = where
    if not _usable(entry, argument, bad):
        return
    spaced = isinstance(bad, str) and bad.strip() and bad != bad.strip()
    long_or_inner = isinstance(bad, str) and (len(bad) > 64 or " " in bad.strip())
    # References and statement numbers are free text without surrounding spaces; party and
    # unit ids also refuse inner spaces and more than 64 characters.
    record_ids = {"unit_id", "billed_party", "payer"}
    if long_or_inner and not spaced and argument not in record_ids:
        return
    assert_refused(_call(entry, argument, bad))


@pytest.mark.parametrize("where", TEXT, ids="-".join)
@FEW
@given(bad=bad_text)
def test_text_refuses_empty_blank_and_non_text(where: tuple[str, str], bad: object) -> None:
    assert_refused(_call(*where, bad))


@pytest.mark.parametrize("where", COUNTS, ids="-".join)
@FEW
@given(bad=bad_counts)
def test_counts_refuse_bools_floats_text_and_negatives(where: tuple[str, str], bad: object) -> None:
    assert_refused(_call(*where, bad))


@pytest.mark.parametrize("where", TYPED, ids="-".join)
@FEW
@given(bad=wrong_types)
def test_wrong_types_are_refused(where: tuple[str, str], bad: object) -> None:
    entry, argument = where
    if not _usable(entry, argument, bad):
        return
    if isinstance(bad, bool) and argument in {"upheld", "honour_designation", "hold_disputed"}:
        return
    if isinstance(bad, bool) and argument == "claim_time_barred":
        return
    assert_refused(_call(entry, argument, bad))


@FEW
@given(bad=bad_locales)
def test_locales_are_refused_where_text_is_made_for_people(bad: object) -> None:
    for describe in (
        StatementState.OPEN.label,
        AllocationOrder.CIVIL_CODE.describe,
        AgingPolicy().buckets[1].label,
        DunningLevel.REMINDER.label,
        DunningChannel.SMS.label,
        FEE.grace,
        FEE.rounding,
        DECISION.describe,
    ):
        assert_refused(lambda describe=describe: describe(bad))  # type: ignore[misc]


def test_a_designation_naming_one_statement_twice_is_refused() -> None:
    owed = [Outstanding(NOV.number, DAY, principal=Money("100.00"))]
    error = assert_refused(
        lambda: allocate_payment(Money("200.00"), owed, on=DAY, designation=[NOV.number] * 2)
    )
    assert isinstance(error, InvalidQuantity)
    error = assert_refused(
        lambda: Receipt("BANK-1", Money("1.00"), received_on=DAY, designation=("A", "A"))
    )
    assert error.value == "A"


def test_two_outstanding_statements_with_the_same_number_are_refused() -> None:
    twice = [Outstanding(NOV.number, DAY, principal=Money("100.00"))] * 2
    error = assert_refused(lambda: allocate_payment(Money("200.00"), twice, on=DAY))
    assert isinstance(error, DuplicateReference)
    rows = BOOKS.owed(DAY) * 2
    assert isinstance(assert_refused(lambda: age_owed(rows, DAY)), DuplicateReference)


def test_a_negative_opening_balance_never_reaches_the_account() -> None:
    # Billing refuses it when it is built; receivables would refuse it again when posted.
    error = assert_refused(
        lambda: BOOKS.post(
            opening_statement(
                community="SUNRISE",
                unit_id=UNIT,
                period=BillingPeriod.month(2026, 10),
                amount=Money("-5.00"),
                due_on=pendulum.date(2026, 11, 10),
            )
        )
    )
    assert error.field in {"amount", "total"}


def test_a_duplicate_account_is_refused() -> None:
    assert_refused(lambda: arrears_as_of([BOOKS, BOOKS], DAY))
    assert_refused(lambda: collections_between([], [BALANCE, BALANCE]))
