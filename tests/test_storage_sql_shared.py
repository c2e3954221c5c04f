"""What the SQL adapter's decoder reads back shares what repeats, and its memos stay small.

The values are checked equal to the converter's in ``tests/test_storage_sql.py``; here, that
equal parts read twice are one object (a unit's id, a community's code, a currency, a quantity)
while text that names one event is its own, and that a memo's kept keys cost their text, not
the buffer orjson wrote them in.
"""

from __future__ import annotations

import json
import tracemalloc

import pytest
from hypothesis import given, settings

from propcrm.billing import Statement
from propcrm.receivables import Account, AccountEvent, Receipt
from propcrm.serialization import from_primitive
from propcrm.storage.sql._codec import Decoder, _kept_key
from propcrm.testing.strategies import accounts


def _events_read_back(account: Account) -> tuple[Decoder, list[AccountEvent]]:
    decoder = Decoder()
    documents = [decoder.dump_event(event) for event in account.events]
    return decoder, [decoder.event(document) for document in documents]


@settings(max_examples=30)
@given(account=accounts(max_statements=4))
def test_text_that_repeats_is_read_back_once(account: Account) -> None:
    decoder, events = _events_read_back(account)
    assert events == list(account.events)
    for event, document in zip(events, map(decoder.dump_event, account.events), strict=True):
        assert event == from_primitive(json.loads(document), AccountEvent)
    notices = [e for e in events if isinstance(e, Statement)]
    for a in notices:
        for b in notices:
            assert a.community is b.community
            assert a.unit_id is b.unit_id
            assert a.total.currency is b.total.currency
    texts = decoder._text
    assert not any(notice.number in texts for notice in notices)
    paid = [e for e in events if isinstance(e, Receipt)]
    assert not any(receipt.reference in texts for receipt in paid)
    for receipt in paid:
        for notice in notices:
            assert receipt.amount.currency is notice.total.currency


def test_a_notice_number_and_a_bank_reference_are_read_as_they_are() -> None:
    """Text that names one event is never looked up: a memo of them would only churn."""
    decoder = Decoder()
    plan = decoder._field_plan
    import attrs

    assert plan(attrs.fields_dict(Statement)["number"])("N-1") == "N-1"
    assert plan(attrs.fields_dict(Receipt)["reference"])("B-1") == "B-1"
    assert len(decoder._text) == 0
    text = plan(attrs.fields_dict(Statement)["community"])
    first = text("".join(["SUN", "RISE"]))
    assert text("".join(["SUNR", "ISE"])) is first
    optional = plan(attrs.fields_dict(Receipt)["payer"])
    assert optional(None) is None
    assert optional("".join(["P", "-1"])) is optional("".join(["P-", "1"]))


def test_equal_quantities_are_one_decimal() -> None:
    from decimal import Decimal

    decoder = Decoder()
    read = decoder._plan(Decimal)
    one = read("1")
    assert read("1") is one
    assert str(read("1.0")) == "1.0"  # another text, another Decimal (its own exponent)
    assert read("1.0") == one


def test_a_kept_memo_key_costs_its_text_not_orjsons_buffer() -> None:
    orjson = pytest.importorskip("orjson")
    written = [orjson.dumps({"amount": f"{n}.00", "currency": "CNY"}) for n in range(200)]
    assert [_kept_key(key) for key in written] == written
    assert _kept_key("text") == "text"
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [
            _kept_key(orjson.dumps({"amount": f"{n}.00", "currency": "CNY"})) for n in range(200)
        ]
        per_key = (tracemalloc.get_traced_memory()[0] - before) / len(kept)
    finally:
        tracemalloc.stop()
    assert all(type(key) is bytes for key in kept)
    # Some 70 bytes of text and a bytes header each (orjson's own buffers are 4 KiB).
    assert per_key < 200


def test_the_text_memo_never_holds_more_than_its_bound() -> None:
    import pendulum

    from propcrm.billing import opening_statement
    from propcrm.storage.sql._codec import _MEMO_LIMIT
    from propcrm.time import BillingPeriod

    period = BillingPeriod.month(2026, 11)
    writer, reader = Decoder(), Decoder()
    for n in range(_MEMO_LIMIT + 10):
        notice = opening_statement(
            community="SUNRISE",
            unit_id=f"U{n}",
            period=period,
            amount="100.00",
            due_on=pendulum.date(2026, 12, 10),
        )
        assert reader.event(writer.dump_event(notice)) == notice
        assert len(reader._text) <= _MEMO_LIMIT
    assert "SUNRISE" in reader._text
