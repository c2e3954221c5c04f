"""Bad input to the concession and prepaid entry points is refused with a library error.

``propcrm.billing``'s ``Concession`` (its constructors, ``covers``, ``describe``), the
``concessions`` of a billing run, ``ConcessionLine.describe``, and ``propcrm.receivables``'
``PrepaidBalance`` and ``PrepaidMovement``: each argument is fed the malformed values of its kind
(:mod:`tests.bad_input`) and :func:`assert_refused` checks that only a
:class:`~propcrm.errors.PropcrmError` with its context comes out.
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
    bad_number_text,
    bad_text,
    wrong_types,
)
from tests.test_concessions import COMMITTEE, NOV, bill, tariff, vacancy

from propcrm.billing import BillingRun, Concession, ConcessionLine
from propcrm.money import Money
from propcrm.receivables import Account, PrepaidBalance, PrepaidMovement

FEW = settings(max_examples=8, deadline=None)
NOT_NONE = wrong_types.filter(lambda value: value is not None)
DAY = pendulum.date(2026, 11, 1)
NOTICE = bill(NOV, vacancy())
LINE: ConcessionLine = NOTICE.concessions[0]
FUNDED = PrepaidBalance("1-2-0301").top_up("BANK-1", Money("100.00"), on=DAY)


def fixed_term(**changes: Any) -> Concession:
    values: dict[str, Any] = {
        "first": NOV.start,
        "last": NOV.end,
        "charges": ("MGMT",),
        "approval": COMMITTEE,
        "percent": "20",
    }
    values.update(changes)
    return Concession.fixed_term("T-1", "阶段性减免", **values)


def paid_ahead(**changes: Any) -> Concession:
    values: dict[str, Any] = {
        "unit_id": "1-2-0301",
        "paid_from": pendulum.date(2026, 1, 1),
        "evidence": "BANK-1",
        "charges": ("MGMT",),
        "approval": COMMITTEE,
        "free_months": 1,
    }
    values.update(changes)
    return Concession.paid_ahead("PA-1", "预交优惠", **values)


# -- concessions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: Concession.vacant_unit(
            bad,
            "空置",
            unit_id="1-2-0301",
            percent="50",
            first=NOV.start,
            last=NOV.end,
            evidence="x",
            charges=("MGMT",),
            approval=COMMITTEE,
        ),
        lambda bad: vacancy(unit_id=bad),
        lambda bad: vacancy(charges=(bad,)),
        lambda bad: paid_ahead(unit_id=bad),
        lambda bad: fixed_term(unit_id=bad) if bad is not None else fixed_term(unit_id=""),
    ],
)
@FEW
@given(bad=bad_ids)
def test_codes_and_ids_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: vacancy(evidence=bad),
        lambda bad: paid_ahead(evidence=bad),
        lambda bad: fixed_term(evidence=bad) if bad is not None else fixed_term(evidence=""),
        lambda bad: Concession.fixed_term(
            "T-1",
            bad,
            first=NOV.start,
            last=NOV.end,
            charges=("MGMT",),
            approval=COMMITTEE,
            percent="5",
        ),
    ],
)
@FEW
@given(bad=bad_text)
def test_text_is_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: vacancy(first=bad),
        lambda bad: vacancy(last=bad),
        lambda bad: paid_ahead(paid_from=bad),
        lambda bad: fixed_term(first=bad),
        lambda bad: vacancy().covers(bad),
    ],
)
@FEW
@given(bad=bad_dates)
def test_dates_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: vacancy(percent=bad),
        lambda bad: paid_ahead(free_months=None, percent=bad),
        lambda bad: fixed_term(percent=bad),
    ],
)
@FEW
@given(bad=bad_amounts | bad_number_text | st.sampled_from(["0", "-1", "100.5", "1e3"]))
def test_percents_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@FEW
@given(bad=bad_amounts | st.sampled_from(["0", "-1.00", "0.001"]))
def test_reduction_amounts_are_refused(bad: object) -> None:
    assert_refused(lambda: fixed_term(percent=None, amount=bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: paid_ahead(paid_months=bad),
        lambda bad: (
            paid_ahead(free_months=bad) if bad is not None else paid_ahead(free_months=None)
        ),
    ],
)
@FEW
@given(bad=bad_counts)
def test_counts_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: vacancy(approval=bad),
        lambda bad: vacancy(charges=bad) if bad != () else vacancy(charges=()),
        lambda bad: BillingRun(community="SUNRISE", period=NOV, tariff=tariff(), concessions=bad),
        lambda bad: BillingRun(community="SUNRISE", period=NOV, tariff=tariff(), concessions=[bad]),
    ],
)
@FEW
@given(bad=NOT_NONE)
def test_wrong_types_are_refused(call: Callable[[Any], object], bad: object) -> None:
    if isinstance(bad, list | tuple | set) and not bad:
        bad = "MGMT"  # an empty collection is a collection; text is not one
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        vacancy().describe,
        vacancy().kind_label,
        LINE.describe,
        NOTICE.explain,
        FUNDED.describe,
        FUNDED.movements[0].describe,
        FUNDED.movements[0].kind_label,
    ],
)
@FEW
@given(bad=bad_locales)
def test_locales_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


# -- prepaid balances ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        PrepaidBalance,
        lambda bad: PrepaidBalance("1-2-0301", bad) if bad is not None else PrepaidBalance(""),
        FUNDED.movement,
    ],
)
@FEW
@given(bad=bad_ids)
def test_prepaid_ids_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: FUNDED.top_up(bad, Money("1.00"), on=DAY),
        lambda bad: FUNDED.refund(bad, Money("1.00"), on=DAY),
        lambda bad: PrepaidMovement("top_up", bad, Money("1.00"), DAY),
    ],
)
@FEW
@given(bad=bad_text | st.just(" BANK-1"))
def test_references_are_refused(call: Callable[[Any], object], bad: object) -> None:
    # A reference is a bank serial number: text as given, spaces inside allowed, as on receipts.
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: FUNDED.top_up("BANK-2", bad, on=DAY),
        lambda bad: FUNDED.refund("R-1", bad, on=DAY),
        lambda bad: PrepaidMovement("refund", "R-1", bad, DAY),
    ],
)
@FEW
@given(bad=bad_amounts)
def test_prepaid_amounts_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: FUNDED.top_up("BANK-2", Money("1.00"), on=bad),
        lambda bad: FUNDED.refund("R-1", Money("1.00"), on=bad),
        lambda bad: PrepaidMovement("top_up", "B-2", Money("1.00"), bad),
        FUNDED.balance_on,
        FUNDED.available_on,
    ],
)
@FEW
@given(bad=bad_dates)
def test_prepaid_dates_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: PrepaidMovement(bad, "B-2", Money("1.00"), DAY),
        lambda bad: PrepaidMovement("settlement", "prepaid:S", Money("1.00"), DAY, statement=bad),
        lambda bad: PrepaidBalance("1-2-0301", movements=bad),
        lambda bad: PrepaidBalance("1-2-0301", movements=[bad]),
        lambda bad: PrepaidBalance("1-2-0301", currency=bad),
        lambda bad: FUNDED.settle(bad, NOTICE),
        lambda bad: FUNDED.settle(Account("1-2-0301"), bad),
        lambda bad: FUNDED.available_on(DAY, bad),
    ],
)
@FEW
@given(bad=NOT_NONE)
def test_prepaid_wrong_types_are_refused(call: Callable[[Any], object], bad: object) -> None:
    if isinstance(bad, list | tuple | set) and not bad:
        bad = "top-up"  # an empty collection is a collection: text is not one, nor a kind
    assert_refused(lambda: call(bad))


def test_settling_another_units_notice_is_refused() -> None:
    assert_refused(lambda: FUNDED.settle(Account("1-2-0302"), NOTICE))
    assert_refused(lambda: PrepaidBalance("1-2-0302").settle(Account("1-2-0302"), NOTICE))
