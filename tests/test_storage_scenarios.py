"""A back office on the in-memory store: month-end notices and receipts, a bank file read twice."""

from __future__ import annotations

import pendulum
import pytest

from propcrm.billing import Statement, opening_statement
from propcrm.complaints import Action, Actor, Role
from propcrm.errors import ConcurrencyConflict, ConflictingReceipt
from propcrm.money import Money
from propcrm.receivables import Account, Receipt
from propcrm.storage import AccountId, ArrearsEntry, MemoryStore
from propcrm.testing import _contract_data as data
from propcrm.time import BillingPeriod

NOVEMBER = BillingPeriod.month(2026, 11)
FLATS = [AccountId("SUNRISE", f"1-1-{n:04d}", f"owner-{n}") for n in range(1, 21)]


def _notice(flat: AccountId) -> Statement:
    return opening_statement(
        community="SUNRISE",
        unit_id=flat.unit_id,
        period=NOVEMBER,
        amount=Money("300.00"),
        due_on=pendulum.date(2026, 12, 10),
        billed_party=flat.billed_party,
    )


def _bank_file() -> list[tuple[AccountId, Receipt]]:
    # Every other flat pays in full on 5 December.
    return [
        (
            flat,
            Receipt(f"BANK-1205-{n:03d}", Money("300.00"), received_on=pendulum.date(2026, 12, 5)),
        )
        for n, flat in enumerate(FLATS)
        if n % 2 == 0
    ]


def _post_file(store: MemoryStore, rows: list[tuple[AccountId, Receipt]]) -> tuple[int, int]:
    """Post a bank file in one unit of work; (credited, duplicates)."""
    credited = duplicates = 0
    with store() as uow:
        for flat, receipt in rows:
            result = uow.accounts.append(flat, [receipt], uow.accounts.get(flat).version)
            credited += len(result.appended)
            duplicates += len(result.duplicates)
        uow.commit()
    return credited, duplicates


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    with store() as uow:
        for flat in FLATS:
            uow.accounts.add(flat, Account(flat.unit_id, billed_party=flat.billed_party))
            uow.accounts.append(flat, [_notice(flat)], expected_version=0)
        uow.commit()
    return store


def test_november_notices_and_receipts_leave_the_unpaid_half_in_arrears(store: MemoryStore) -> None:
    assert _post_file(store, _bank_file()) == (10, 0)
    with store() as uow:
        statements = uow.accounts.statements("SUNRISE", NOVEMBER, limit=1000).items
        arrears: list[ArrearsEntry] = []
        after = None
        while True:
            page = uow.accounts.arrears(
                "SUNRISE", pendulum.date(2026, 12, 31), limit=3, after=after
            )
            arrears.extend(page.items)
            if page.next is None:
                break
            after = page.next
    assert len(statements) == 20
    assert [e.account for e in arrears] == FLATS[1::2]
    # 300.00 and 21 days of late fee at 0.3 % a day.
    assert {e.total for e in arrears} == {Money("318.90")}


def test_a_receipt_file_posted_twice_credits_each_receipt_once(store: MemoryStore) -> None:
    rows = _bank_file()
    assert _post_file(store, rows) == (10, 0)
    assert _post_file(store, rows) == (0, 10)
    with store() as uow:
        for flat, receipt in rows:
            assert uow.accounts.get(flat).value.receipts() == (receipt,)


def test_a_bank_line_keyed_to_the_wrong_flat_is_refused_and_the_file_with_it(
    store: MemoryStore,
) -> None:
    rows = _bank_file()
    _post_file(store, rows[:1])
    (first, receipt), (second, _other) = rows[0], rows[1]
    with pytest.raises(ConflictingReceipt) as caught:
        _post_file(store, [*rows[1:], (second, receipt)])
    assert first.unit_id in str(caught.value)
    assert second.unit_id in str(caught.value)
    with store() as uow:  # none of the second file's receipts was written
        assert uow.accounts.get(second).version == 1


def test_two_clerks_append_to_one_request_and_the_stale_one_is_told() -> None:
    store = MemoryStore()
    with store() as uow:
        uow.requests.add(data.leak("BX-9", data.at(24, 9)))
        uow.commit()
    desk, night = Actor("KF-01", Role.AGENT), Actor("KF-02", Role.AGENT)
    with store() as first, store() as second:
        mine, theirs = first.requests.get("BX-9"), second.requests.get("BX-9")
        first.requests.append(
            "BX-9", [mine.value.take(Action.ACKNOWLEDGE, desk, data.at(24, 9, 2)).last_step], 1
        )
        first.commit()
        late = theirs.value.take(Action.ACKNOWLEDGE, night, data.at(24, 9, 3)).last_step
        with pytest.raises(ConcurrencyConflict) as caught:
            second.requests.append("BX-9", [late], theirs.version)
    assert (caught.value.context["expected"], caught.value.context["actual"]) == (1, 2)
    with store() as uow:
        assert [s.actor for s in uow.requests.history("BX-9")] == [data.AGENT, desk]
