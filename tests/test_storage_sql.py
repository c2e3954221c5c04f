"""The SQL adapter beyond the contract: its optional import, its schema and its migrations."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import attrs
import pendulum
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from propcrm.errors import ConcurrencyConflict, InvalidType, SchemaOutOfDate
from propcrm.storage.sql import SqlStore, current_revision, head_revision, revisions, upgrade


def test_the_storage_core_does_not_import_sqlalchemy() -> None:
    code = "import sys, propcrm.storage; print('sqlalchemy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_database_behind_is_refused_until_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "crm.sqlite"
    with pytest.raises(SchemaOutOfDate) as caught:
        SqlStore(path)
    assert caught.value.context == {"revision": None, "expected": head_revision()}
    store = SqlStore(path, upgrade=True)
    store.dispose()
    assert current_revision(f"sqlite:///{path}") == head_revision()
    SqlStore(path).dispose()  # at head: opens without upgrading


def test_an_in_memory_sqlite_database_is_refused() -> None:
    with pytest.raises(InvalidType):
        SqlStore("sqlite://")
    with pytest.raises(InvalidType):
        SqlStore(42)  # type: ignore[arg-type]


def _schema_diff(engine: sa.Engine) -> list[object]:
    from propcrm.storage.sql._schema import VERSION_TABLE, metadata

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "version_table": VERSION_TABLE}
        )
        return list(compare_metadata(context, metadata))


def test_the_migrated_schema_is_the_metadata(tmp_path: Path) -> None:
    """What `alembic check` checks: no difference between the migrations and the tables."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'crm.sqlite'}")
    assert upgrade(engine) == head_revision()
    assert _schema_diff(engine) == []
    engine.dispose()


@pytest.mark.parametrize("start", [None, *revisions()])
def test_every_revision_upgrades_to_head_with_its_data(tmp_path: Path, start: str | None) -> None:
    """From an empty database, and from each revision (with rows written there), to head."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'crm.sqlite'}")
    if start is not None:
        upgrade(engine, start)
        with engine.begin() as conn:
            # A row every revision holds: the first one's records table.
            conn.execute(
                sa.text(
                    "INSERT INTO propcrm_records (kind, key, version, document) "
                    'VALUES (\'crm.note\', \'N-1\', 1, \'{"amount":"1.50","currency":"CNY"}\')'
                )
            )
    assert upgrade(engine) == head_revision()
    assert _schema_diff(engine) == []
    store = SqlStore(engine)
    with store() as uow:
        from propcrm.money import Money

        if start is not None:
            assert uow.records.get("crm.note", "N-1", Money).value == Money("1.50")
    engine.dispose()


# -- the trusted read path ---------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402

from propcrm.billing import Statement  # noqa: E402
from propcrm.receivables import Account, AccountEvent, Receipt  # noqa: E402
from propcrm.serialization import from_primitive, to_primitive  # noqa: E402
from propcrm.storage.sql._codec import Decoder, dumps, loads, stdlib_dumps  # noqa: E402
from propcrm.testing import _contract_data as data  # noqa: E402
from propcrm.testing.strategies import accounts, statements  # noqa: E402

DECODER = Decoder()


def _same_as_the_converter(event: AccountEvent) -> None:
    document = DECODER.dump_event(event)
    # Written field by field as the converter writes it, to the character (and orjson writes
    # the text json does).
    assert document == stdlib_dumps(to_primitive(event, AccountEvent))
    if isinstance(event, Receipt):
        assert DECODER.dump_event(event, tagged=False) == stdlib_dumps(to_primitive(event, Receipt))
    trusted, checked = DECODER.event(document), from_primitive(json.loads(document), AccountEvent)
    assert trusted == checked == event
    assert type(trusted) is type(event)
    assert to_primitive(trusted, AccountEvent) == to_primitive(event, AccountEvent)


@settings(max_examples=40)
@given(account=accounts(max_statements=4))
def test_the_trusted_path_reads_an_account_as_the_converter_does(account: Account) -> None:
    for event in account.events:
        _same_as_the_converter(event)
    snapshot = DECODER.dump_account(account)
    assert DECODER.account(snapshot) == from_primitive(json.loads(snapshot), Account) == account
    replayed = DECODER.account(DECODER.dump_settings(account), account.events)
    assert replayed == account
    assert json.loads(DECODER.dump_settings(account)) == {
        **to_primitive(account, Account),
        "events": [],
    }


@settings(max_examples=25)
@given(statement=statements())
def test_the_trusted_path_reads_billing_run_statements(statement: AccountEvent) -> None:
    """Notices with every kind of line: rules, prorations, tiers, readings, orders."""
    _same_as_the_converter(statement)


def _read_whole(document: str) -> AccountEvent:
    """What a document holds, read without looking up its repeating part."""
    return cast("AccountEvent", from_primitive(json.loads(document), AccountEvent))


@settings(max_examples=40)
@given(statement=statements(), later=statements())
def test_a_statement_read_with_its_repeating_part_looked_up_is_the_one_written(
    statement: AccountEvent, later: AccountEvent
) -> None:
    """The part of a notice from its lines on is read once per text, and is exact."""
    decoder = Decoder()
    document = decoder.dump_event(statement)
    assert decoder._statement(document) == statement  # the looked-up path, not the whole
    # Another notice with the same repeating part (its number and period differ) gets it
    # from the memo, shared, and still reads as written.
    assert isinstance(statement, Statement)
    assert isinstance(later, Statement)
    sibling = attrs.evolve(
        statement, number=later.number, period=later.period, issued_on=later.issued_on
    )
    again = decoder._statement(decoder.dump_event(sibling))
    assert again == sibling == _read_whole(decoder.dump_event(sibling))
    assert again is not None
    assert again.lines is decoder.event(document).lines
    assert decoder.event(decoder.dump_event(later)) == later


def test_a_statement_whose_cut_is_not_its_own_is_read_whole() -> None:
    """Text that looks like the key inside a value, or another layout: read whole, exactly."""
    account_id = data.account_id(1)
    notice = data.notice(account_id, 1)
    decoder = Decoder()
    primitive = to_primitive(notice, AccountEvent)
    # The key as text before the lines: escaped in JSON, so not a key; the cut is the real one.
    text = stdlib_dumps(dict(primitive, number='N","lines":[]'))
    assert '"lines":[]' in text.replace("\\", "")
    looked_up = decoder._statement(text)
    assert looked_up is not None
    assert looked_up.number == 'N","lines":[]'
    assert looked_up == Decoder().event_primitive(json.loads(text))
    # The key inside an earlier field (a nested key the converter ignores): the first match
    # cuts inside it, which leaves unbalanced text, so the notice is read whole.
    nested = dict(primitive, due={**primitive["due"], "x": 1, "lines": []})
    document = stdlib_dumps(nested)
    assert document.index(',"lines":') < document.index(',"lines":[{')
    assert decoder._statement(document) is None
    assert decoder.event(document) == notice
    # Fields in another order (a field of the first part after the lines, or sorted keys), or
    # written with spaces: read whole.
    moved = {k: v for k, v in primitive.items() if k != "number"} | {"number": notice.number}
    for other in (
        stdlib_dumps(moved),
        json.dumps(primitive, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        json.dumps(primitive, ensure_ascii=False),
    ):
        assert decoder._statement(other) is None
        assert decoder.event(other) == notice
    # A tag that is not a statement's, though the text starts as one's would after a cut.
    plain = decoder.dump_event(notice)
    assert decoder._statement(plain.replace("billing.Statement", "billing.Other", 1)) is None


def test_memoised_parts_are_forgotten_when_full() -> None:
    decoder = Decoder()

    flat = data.account_id(1)
    for n in range(5000):  # more distinct statements than the memo keeps
        notice = data.notice(flat, 1 + n % 12, f"{100 + n}.00")
        assert decoder.event(dumps(to_primitive(notice, AccountEvent))) == notice


# -- the daily queries' cost -------------------------------------------------------------------


from propcrm.storage.sql import SqlStore as _Store  # noqa: E402


def _community_of(tmp_path: Path, owing: int, settled: int = 0) -> _Store:
    """A store of ``owing`` accounts owing a notice and ``settled`` accounts that paid it."""
    store = _Store(tmp_path / "crm.sqlite", upgrade=True)
    with store() as uow:
        for n in range(1, owing + settled + 1):
            account_id = data.account_id(n)
            events: list[AccountEvent] = [data.notice(account_id, 1)]
            if n > owing:
                events.append(data.receipt(f"R-{n}", "1000.00", pendulum.date(2026, 1, 5)))
            uow.accounts.add(account_id, data.new_account(account_id).post(*events))
        uow.commit()
    return store


def test_the_arrears_scan_decodes_each_account_about_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page reads what it shows and one more, not a batch of hundreds per page."""
    store = _community_of(tmp_path, owing=30)
    decoded = []
    account = store.decoder.account
    monkeypatch.setattr(store.decoder, "account", lambda *a: decoded.append(1) or account(*a))
    pages, token = 0, None
    with store() as uow:
        while True:
            page = uow.accounts.arrears(
                data.COMMUNITY, pendulum.date(2026, 12, 20), limit=5, after=token
            )
            pages, token = pages + 1, page.next
            if token is None:
                break
    store.dispose()
    assert pages == 6
    assert len(decoded) <= 30 + pages


def test_adding_an_account_keeps_the_account_given(tmp_path: Path) -> None:
    """Adding does not fold the account's events again: the value kept is the one given."""
    store = _Store(tmp_path / "crm.sqlite", upgrade=True)
    account_id = data.account_id(1)
    account = data.new_account(account_id).post(
        data.notice(account_id, 1), data.receipt("R-1", "400.00", pendulum.date(2026, 2, 1))
    )
    with store() as uow:
        uow.accounts.add(account_id, account)
        assert uow.accounts.get(account_id).value is account
        # A duplicate within the events posted is still told apart from a fresh one.
        result = uow.accounts.append(
            account_id, [data.notice(account_id, 1), data.notice(account_id, 2)], 2
        )
        assert result.version == 3
        assert len(result.duplicates) == 1
    store.dispose()


def test_adding_accounts_looks_keys_up_through_the_sqlite_driver(tmp_path: Path) -> None:
    """Is the account there, is the receipt posted: no SQLAlchemy statement for either."""
    store = _community_of(tmp_path, owing=1)
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    account_id = data.account_id(2)
    account = data.new_account(account_id).post(
        data.notice(account_id, 1), data.receipt("R-2", "10.00", pendulum.date(2026, 2, 1))
    )
    with store() as uow:
        uow.accounts.add(account_id, account)
        # What the driver read is what SQLAlchemy reads: the stored account and its receipt.
        assert uow.accounts.get(data.account_id(1)).version == 1
        assert uow.accounts.receipt(data.COMMUNITY, "R-2") is not None
        assert uow.accounts.receipt(data.COMMUNITY, "R-9") is None
        # Only the read transaction's BEGIN, as the first statement would have had it.
        assert statements == ["BEGIN"]
        uow.commit()
    with store() as uow:
        assert uow.accounts.get(account_id).value == account
        assert uow.accounts.receipt(data.COMMUNITY, "R-2") is not None
    store.dispose()


def test_statements_are_written_without_the_converter_once_their_parts_are_known(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A community's notices share their policies: the converter writes each once."""
    import propcrm.storage.sql._codec as codec

    account_id = data.account_id(1)
    notices = [data.notice(account_id, month, f"{month}00.00") for month in range(1, 13)]
    decoder = Decoder()
    first = [decoder.dump_event(notice) for notice in notices]
    calls: list[object] = []
    converter = codec.to_primitive
    monkeypatch.setattr(codec, "to_primitive", lambda *a: calls.append(a) or converter(*a))
    later = [data.notice(account_id, month) for month in range(1, 13)]
    again = [decoder.dump_event(notice) for notice in later]
    assert calls == []
    assert first[0] != again[0]
    assert again == [dumps(converter(notice, AccountEvent)) for notice in later]


def test_orjson_writes_what_json_writes_and_json_takes_what_it_cannot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import propcrm.storage.sql._codec as codec

    assert codec._orjson is not None  # the test group installs the optional speed-up
    for primitive in (
        {"text": "物业 \u2028 \x1f \x7f", "n": -3, "none": None, "flag": True, 1: [1.5]},
        {"big": 2**70},  # beyond orjson's integers
        {"lone": "\ud800"},  # not UTF-8: orjson refuses it
    ):
        assert dumps(primitive) == stdlib_dumps(primitive)
        assert loads(stdlib_dumps(primitive)) == json.loads(stdlib_dumps(primitive))
    # Without orjson, the standard library writes and reads the same documents.
    account_id = data.account_id(1)
    account = data.new_account(account_id).post(
        data.notice(account_id, 1), data.receipt("R-1", "1.00", pendulum.date(2026, 2, 1))
    )
    fast = [Decoder().dump_event(event) for event in account.events]
    monkeypatch.setattr(codec, "_orjson", None)
    decoder = Decoder()
    assert [decoder.dump_event(event) for event in account.events] == fast
    assert tuple(decoder.event(text) for text in fast) == account.events


def test_the_arrears_scan_skips_accounts_settled_by_its_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settled accounts are left in the database; one settled after the day is still read."""
    store = _Store(tmp_path / "crm.sqlite", upgrade=True)
    late = data.account_id(99)
    with store() as uow:
        for n in range(1, 21):
            account_id = data.account_id(n)
            events: list[AccountEvent] = [data.notice(account_id, 1)]
            if n > 3:  # paid before the due date: settled from that day
                events.append(data.receipt(f"R-{n}", "1000.00", pendulum.date(2026, 2, 5)))
            uow.accounts.add(account_id, data.new_account(account_id).post(*events))
        # Ten days late, with the late fee and to spare: owing until 20 February, then not.
        paid_late = data.receipt("R-99", "1100.00", pendulum.date(2026, 2, 20))
        uow.accounts.add(late, data.new_account(late).post(data.notice(late, 1), paid_late))
        uow.commit()
    decoded = []
    account = store.decoder.account
    monkeypatch.setattr(store.decoder, "account", lambda *a: decoded.append(1) or account(*a))

    def owing(day: pendulum.Date) -> list[str]:
        with store() as uow:
            page = uow.accounts.arrears(data.COMMUNITY, day, limit=50)
        return [entry.account.unit_id for entry in page.items]

    assert owing(pendulum.date(2026, 12, 20)) == [data.unit_id(n) for n in (1, 2, 3)]
    assert len(decoded) == 3
    assert owing(pendulum.date(2026, 2, 15)) == [data.unit_id(n) for n in (1, 2, 3, 99)]
    # Rows written before revision 0002 know nothing of it: they are read as before.
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE propcrm_accounts SET settled_from = NULL"))
    decoded.clear()
    assert owing(pendulum.date(2026, 12, 20)) == [data.unit_id(n) for n in (1, 2, 3)]
    assert len(decoded) == 21
    store.dispose()


def test_batches_are_decoded_with_the_garbage_collector_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asked for, paused while the adapter builds values, on for the caller's code, as it was."""
    import gc

    store = _community_of(tmp_path, owing=3, settled=2)
    store.pause_gc = True
    seen: list[bool] = []
    account = store.decoder.account
    monkeypatch.setattr(
        store.decoder, "account", lambda *a: seen.append(gc.isenabled()) or account(*a)
    )
    assert gc.isenabled()
    with store() as uow:
        for _key, _versioned in uow.accounts.replay_all(data.COMMUNITY):
            assert gc.isenabled()  # the caller's loop
        uow.accounts.arrears(data.COMMUNITY, pendulum.date(2026, 12, 20))
    assert seen == [False] * 8
    assert gc.isenabled()
    gc.disable()
    try:
        with store() as uow:
            list(uow.accounts.replay_all(data.COMMUNITY))
        assert not gc.isenabled()  # left off, as it was
    finally:
        gc.enable()
    store.dispose()


def test_a_replay_keeps_its_batches_out_of_young_collections_until_it_ends(
    tmp_path: Path,
) -> None:
    """Asked for, each batch handed out is frozen; the end, or an abandoned loop, unfreezes."""
    import gc

    store = _community_of(tmp_path, owing=3, settled=2)
    with store() as uow:
        counts = [gc.get_freeze_count() for _ in uow.accounts.replay_all(data.COMMUNITY, batch=2)]
    assert counts == [0] * 5  # not asked: the collector is left alone
    assert gc.get_freeze_count() == 0
    store.pause_gc = True
    with store() as uow:
        counts = [gc.get_freeze_count() for _ in uow.accounts.replay_all(data.COMMUNITY, batch=2)]
        assert gc.get_freeze_count() == 0
        assert all(count > 0 for count in counts)
        replay = uow.accounts.replay_all(data.COMMUNITY, batch=2)
        next(replay)
        assert gc.get_freeze_count() > 0
        replay.close()  # a loop left early
        assert gc.get_freeze_count() == 0
    assert gc.isenabled()
    store.dispose()


def test_the_pause_is_counted_across_threads() -> None:
    import gc
    import threading

    from propcrm.storage.sql._codec import gc_paused

    inside, leave = threading.Event(), threading.Event()

    def hold() -> None:
        with gc_paused():
            inside.set()
            leave.wait(30)

    other = threading.Thread(target=hold)
    other.start()
    inside.wait(30)
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread is still inside
    leave.set()
    other.join(30)
    assert gc.isenabled()


def test_a_store_leaves_the_collector_alone_unless_asked(tmp_path: Path) -> None:
    """The collector is the process's: only a batch job that owns it asks for the pause."""
    import gc

    from propcrm.storage.sql._codec import gc_paused

    assert SqlStore(tmp_path / "a.sqlite", upgrade=True).pause_gc is False
    assert SqlStore(tmp_path / "b.sqlite", upgrade=True, pause_gc=True).pause_gc is True
    assert gc.isenabled()
    with gc_paused(False):
        assert gc.isenabled()
    with gc_paused(True):
        assert not gc.isenabled()
    assert gc.isenabled()


# -- appending without reading the stream again ------------------------------------------------


def test_an_append_reads_and_decodes_each_account_once_and_never_its_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Holding an account, appending to it and committing: one read, no events table read.

    A posting used to read an account three times (to hold it, to append, to check its
    version) and its events a fourth, again at the commit.
    """
    store = _community_of(tmp_path, owing=3)
    decoded: list[object] = []
    account = store.decoder.account
    monkeypatch.setattr(store.decoder, "account", lambda *a: decoded.append(1) or account(*a))
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with store() as uow:
        for n in (1, 2, 3):
            held = uow.accounts.get(data.account_id(n))
            paid = data.receipt(f"R-{n}", "300.00", pendulum.date(2026, 1, 20))
            uow.accounts.append(data.account_id(n), [paid], held.version)
            uow.accounts.append(data.account_id(n), [data.notice(data.account_id(n), 2)], 2)
        uow.commit()
    assert len(decoded) == 3
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert not [s for s in reads if "propcrm_account_events" in s]
    # The three streams' rows in one UPDATE, their events in one INSERT.
    assert len([s for s in statements if s.lstrip().upper().startswith("UPDATE")]) == 1
    store.dispose()


def test_a_stream_appended_to_equals_its_replay_and_conflicts_stay_named(tmp_path: Path) -> None:
    store = _community_of(tmp_path, owing=2)
    first, second = data.account_id(1), data.account_id(2)
    with store() as uow:
        uow.accounts.append(first, [data.receipt("R-1", "300.00", pendulum.date(2026, 1, 20))], 1)
        uow.accounts.append(first, [data.notice(first, 2)], 2)
        uow.accounts.append(second, [data.notice(second, 2)], 1)
        uow.commit()
    with store() as uow:
        for account_id, version in ((first, 3), (second, 2)):
            held = uow.accounts.get(account_id)
            assert held.version == version
            assert uow.accounts.replay(account_id).value == held.value
            events = uow.accounts.events(account_id)
            assert len(events) == version
            assert set(events) == set(held.value.events)
        # Posted on from the events read: the stream's prefix read on demand, then the new.
        assert uow.accounts.events(first, 2) == (data.notice(first, 2),)
    # A stale writer loses, told which account, and writes nothing of its batch.
    late, early = store(), store()
    with late as slow, early as fast:
        slow.accounts.get(first)
        slow.accounts.append(second, [data.notice(second, 3)], 2)
        slow.accounts.append(first, [data.notice(first, 3)], 3)
        fast.accounts.append(first, [data.receipt("R-2", "10.00", pendulum.date(2026, 2, 3))], 3)
        fast.commit()
        with pytest.raises(ConcurrencyConflict) as caught:
            slow.commit()
    assert caught.value.context["stream"] == first
    with store() as uow:
        assert uow.accounts.get(second).version == 2
        assert uow.accounts.get(first).version == 4
        assert uow.accounts.replay(first).value == uow.accounts.get(first).value
    store.dispose()


# -- the party book's query tables -------------------------------------------------------------


def _book_tables(store: _Store) -> dict[str, list[tuple[object, ...]]]:
    from propcrm.storage.sql import _schema as t

    with store.engine.connect() as conn:
        return {
            table.name: sorted(tuple(r) for r in conn.execute(sa.select(table)))
            for table in (t.parties, t.units, t.relations)
        }


def test_a_book_saved_after_edits_has_the_query_tables_of_a_full_rewrite(tmp_path: Path) -> None:
    """Only the changed rows are written; the tables end as rewriting them whole would."""
    from propcrm.parties import Person, Unit
    from propcrm.personal_data import PersonName

    store = _Store(tmp_path / "crm.sqlite", upgrade=True)
    with store() as uow:
        uow.parties.save(data.book(owners=3), 0)
        uow.commit()
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with store() as uow:
        held = uow.parties.book()
        flat = held.value.unit(data.unit_id(1))
        grown = held.value.with_records(
            [Person(party_id="buyer", name=PersonName("李四"))],
            [Unit(**{**_unit_fields(flat), "unit_id": "9-9-0901"})],
        )
        # A sale ends one relation and opens another; a second save in the same unit of work.
        version = uow.parties.save(grown, held.version)
        sold = grown.sell(data.unit_id(1), pendulum.date(2026, 3, 1), buyers="buyer")
        uow.parties.save(sold, version)
        uow.commit()
    deletes = [s for s in statements if s.lstrip().upper().startswith("DELETE")]
    # The sold unit's row and the ended relation's replaced; no table emptied and written again.
    assert len(deletes) == 2
    assert all(" IN (" in s for s in deletes)
    fresh = _Store(tmp_path / "fresh.sqlite", upgrade=True)
    with fresh() as uow:
        uow.parties.save(sold, 0)
        uow.commit()
    with store() as uow:
        assert uow.parties.book().value == sold
        (owner,) = uow.parties.related_to_unit(data.unit_id(1), pendulum.date(2026, 3, 2))
        assert owner.party_id == "buyer"
    assert _book_tables(store) == _book_tables(fresh)
    store.dispose()
    fresh.dispose()


def _unit_fields(unit: object) -> dict[str, object]:
    import attrs

    return {f.name: getattr(unit, f.name) for f in attrs.fields(type(unit)) if f.init}


def test_money_read_back_is_shared_by_amount_and_currency_alone() -> None:
    """The decoder remembers Money by its amount's text: never across currencies or exponents."""
    from propcrm.money import Money

    decoder = Decoder()
    money = decoder._plan(Money)
    first = money({"amount": "1.50", "currency": "CNY"})
    assert money({"amount": "1.50", "currency": "CNY"}) is first
    other = money({"amount": "1.50", "currency": "HKD"})
    assert other == Money("1.50", "HKD")
    assert other.currency == "HKD"
    assert str(money({"amount": "1.5", "currency": "CNY"}).amount) == "1.5"
    assert money({"amount": "1.50", "currency": "CNY"}) == first


# -- rows inserted through the SQLite driver -----------------------------------------------------


def test_rows_a_batch_inserts_through_the_driver_read_back_as_sqlalchemy_writes_them(
    tmp_path: Path,
) -> None:
    """Dates as ISO text, which SQLAlchemy reads back as dates; every event and index row."""
    import propcrm.storage.sql._schema as t

    store = _community_of(tmp_path, owing=2, settled=1)
    period = data.notice(data.account_id(1), 1).period
    with store() as uow:
        assert len(uow.accounts.statements(data.COMMUNITY, period).items) == 3
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'crm.sqlite'}")
    with engine.connect() as conn:
        starts = conn.execute(sa.select(t.statements.c.period_start)).scalars().all()
        texts = conn.exec_driver_sql("SELECT period_start FROM propcrm_statements").scalars().all()
        events = conn.execute(sa.select(sa.func.count()).select_from(t.account_events)).scalar()
        receipts = conn.execute(sa.select(t.receipts.c.reference)).scalars().all()
    engine.dispose()
    start = data.notice(data.account_id(1), 1).period.start
    assert starts == [start] * 3
    assert texts == [start.isoformat()] * 3
    assert (events, receipts) == (4, ["R-3"])
    store.dispose()


# -- the party book in parts -------------------------------------------------------------------

import tempfile  # noqa: E402

import hypothesis  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from propcrm.errors import PropcrmError  # noqa: E402
from propcrm.parties import PartyBook  # noqa: E402
from propcrm.testing.strategies import parties as parties_strategy  # noqa: E402
from propcrm.testing.strategies import party_books  # noqa: E402
from propcrm.testing.strategies import persons as persons_strategy  # noqa: E402
from propcrm.testing.strategies import relations as relations_strategy  # noqa: E402
from propcrm.testing.strategies import units as units_strategy  # noqa: E402


def _outcome(add: Any) -> tuple[str, ...] | None:
    try:
        add()
    except PropcrmError as error:
        return type(error).__name__, str(error), repr(sorted(error.context.items(), key=str))
    return None


@st.composite
def _additions(draw: st.DrawFn) -> tuple[PartyBook, tuple[Any, Any, Any]]:
    """A stored book and records to add: another book's, some of them, ids kept or renamed.

    Both books name their parties P0001…, their units 1-1-0101… and their relations R000001…,
    so the records to add collide with stored ids, name stored parties and units, or (renamed)
    add new ones whose relations overlap, share, lease and merge with the stored ones.
    """
    stored = draw(party_books(max_steps=8))
    other = draw(party_books(max_steps=8))
    parties = [p for p in other.parties if draw(st.booleans())]
    units = [u for u in other.units if draw(st.booleans())]
    prefix = draw(st.sampled_from(["", "X"]))
    relations = [
        attrs.evolve(r, relation_id=prefix + r.relation_id)
        for r in other.relations
        if draw(st.booleans())
    ]
    return stored, (tuple(parties), tuple(units), tuple(relations))


@pytest.fixture(scope="module")
def book_store() -> Iterator[SqlStore]:
    with tempfile.TemporaryDirectory() as folder:
        store = SqlStore(Path(folder) / "crm.sqlite", upgrade=True)
        yield store
        store.dispose()


@settings(max_examples=60, deadline=None)
@given(case=_additions())
def test_records_added_in_parts_are_the_book_with_them(
    book_store: SqlStore, case: tuple[PartyBook, tuple[Any, Any, Any]]
) -> None:
    """add_records reads only the rows the records touch: the same book, or the same refusal."""
    stored, added = case
    with book_store() as uow:
        uow.parties.save(stored, uow.parties.book().version)
        uow.commit()
    with book_store() as uow:
        version = uow.parties.book().version
    assert version >= 1
    expected: list[PartyBook] = []
    reference = _outcome(lambda: expected.append(stored.with_records(*added)))
    hypothesis.event("added" if reference is None else f"refused: {reference[0]}")
    with book_store() as uow:
        refused = _outcome(lambda: uow.parties.add_records(*added))
        assert refused == reference
        uow.commit()
    with book_store() as uow:
        read = uow.parties.book()
    if reference is not None:
        assert read.version == version
        assert read.value.relations == stored.relations
        return
    (grown,) = expected
    assert read.version == version + 1
    assert read.value == grown
    # In the book's order, as the whole book would be stored and read.
    assert read.value.parties == grown.parties
    assert read.value.units == grown.units
    assert read.value.relations == grown.relations


def test_a_book_stored_whole_before_revision_0005_is_moved_into_its_tables(
    tmp_path: Path,
) -> None:
    """The upgrade keeps the book, in its order; the downgrade gives the document back."""
    from propcrm.serialization import to_primitive
    from propcrm.testing import _contract_data as data

    book = data.book().sell(data.unit_id(1), pendulum.date(2026, 11, 16), buyers="owner-2")
    # Added in an order that is not the ids': the book's own order is what is kept.
    book = PartyBook(
        reversed(book.parties), reversed(book.units), reversed(book.relations), journal=book.journal
    )
    document = json.dumps(to_primitive(book, PartyBook), ensure_ascii=False, separators=(",", ":"))
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'crm.sqlite'}")
    upgrade(engine, "0004")
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO propcrm_party_book (id, version, document) VALUES (1, 3, :d)"),
            {"d": document},
        )
    upgrade(engine)
    store = SqlStore(engine)
    with store() as uow:
        read = uow.parties.book()
        assert read.version == 3
        assert read.value == book
        assert (read.value.parties, read.value.units, read.value.relations) == (
            book.parties,
            book.units,
            book.relations,
        )
        assert read.value.journal == book.journal
        assert uow.parties.related_to_unit(data.unit_id(1), pendulum.date(2026, 11, 16))
    _downgrade(engine, "0004")
    with engine.connect() as conn:
        (back,) = conn.execute(sa.text("SELECT document FROM propcrm_party_book")).one()
    assert json.loads(back) == json.loads(document)
    engine.dispose()


def _downgrade(engine: sa.Engine, revision: str) -> None:
    from alembic.config import Config
    from alembic.runtime.environment import EnvironmentContext

    from propcrm.storage.sql._migrate import _script
    from propcrm.storage.sql._schema import VERSION_TABLE, metadata

    script = _script()
    with (
        engine.begin() as conn,
        EnvironmentContext(
            Config(),
            script,
            fn=lambda rev, _context: script._downgrade_revs(revision, rev),
            destination_rev=revision,
        ) as environment,
    ):
        environment.configure(
            connection=conn,
            target_metadata=metadata,
            version_table=VERSION_TABLE,
            transactional_ddl=True,
        )
        environment.run_migrations()


def _book_class(record: Any) -> type[Any]:
    """The class a party book's record is written and read as: Unit, Party or Relation."""
    from propcrm.parties import Organisation, Party, Person, Relation, Unit

    if isinstance(record, Unit):
        return Unit
    return Party if isinstance(record, Person | Organisation) else Relation


@settings(max_examples=150)
@given(
    record=st.one_of(
        units_strategy(),
        relations_strategy(),
        parties_strategy(),
        st.builds(
            lambda p: attrs.evolve(p, merged_into="P-KEPT"),
            persons_strategy(details=False),
        ),
    )
)
def test_the_trusted_path_reads_book_records_as_the_converter_does(record: Any) -> None:
    """Units without facts and persons with a name only: the records from_primitive builds."""
    from propcrm.storage.sql._store import RecordDecoder

    cls = _book_class(record)
    document = stdlib_dumps(to_primitive(record, cls))
    decoder = RecordDecoder()
    fast = decoder.trusted(json.loads(document), cls)
    hypothesis.event(f"{'trusted' if fast is not None else 'converter'} {type(record).__name__}")
    checked = from_primitive(json.loads(document), cls)
    read = decoder(document, cls)
    assert read == checked == record
    assert type(read) is type(checked)
    assert repr(read) == repr(checked)
    assert to_primitive(read, cls) == to_primitive(checked, cls)
    # Read twice (a name built once per text), the same again.
    assert decoder(document, cls) == checked


@settings(max_examples=200)
@given(
    record=st.one_of(
        units_strategy(handed_over=False),
        units_strategy(),
        relations_strategy(),
        persons_strategy(details=False),
        parties_strategy(),
        st.builds(
            lambda p: attrs.evolve(p, merged_into="P-KEPT"),
            persons_strategy(details=False),
        ),
    )
)
def test_book_records_are_written_as_the_converter_writes_them(record: Any) -> None:
    """The plainest records' documents built field by field: the converter's text, exactly."""
    from propcrm.storage.sql._store import RecordDecoder, record_document

    cls = _book_class(record)
    decoder = RecordDecoder()
    expected = stdlib_dumps(to_primitive(record, cls))
    fast = decoder.trusted(json.loads(expected), cls)
    hypothesis.event(f"{'own' if fast is not None else 'converter'} {type(record).__name__}")
    assert record_document(record, cls) == expected
    assert decoder(record_document(record, cls), cls) == record
    # The endings the owners' lookups read instead of the document, only where they say so.
    from propcrm.storage.sql._store import _NO_FACTS, _NOT_MERGED

    read = json.loads(expected)
    if expected.endswith(_NO_FACTS):
        assert read["facts"] == []
    if expected.endswith(_NOT_MERGED):
        assert read["merged_into"] is None
    hypothesis.event(f"ends as read: {expected.endswith((_NO_FACTS, _NOT_MERGED))}")


def test_book_rows_inserted_through_the_driver_read_back_as_sqlalchemy_writes_them(
    tmp_path: Path,
) -> None:
    """An import's rows (dates as ISO text) are the rows SQLAlchemy would have written."""
    import datetime

    import propcrm.storage.sql._schema as t

    book = data.book().sell(data.unit_id(1), pendulum.date(2026, 11, 16), buyers="owner-2")
    store = SqlStore(tmp_path / "crm.sqlite", upgrade=True)
    with store() as uow:
        uow.parties.add_records(book.parties, book.units, book.relations)
        uow.commit()
    with store() as uow:
        assert uow.parties.book().value == PartyBook(book.parties, book.units, book.relations)
        (ended,) = [r for r in book.relations if r.end is not None]
        assert uow.parties.related_to_unit(ended.target, ended.start) == tuple(
            r for r in book.relations_to(ended.target) if r.covers(ended.start)
        )
    store.dispose()
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'crm.sqlite'}")
    with engine.connect() as conn:
        read = conn.execute(sa.select(t.relations.c.start, t.relations.c.until)).all()
        texts = conn.exec_driver_sql("SELECT start, until FROM propcrm_relations").all()
    engine.dispose()

    def iso(day: Any) -> str:
        return "" if day is None else str(day.isoformat())

    written = sorted((iso(r.start), iso(r.end)) for r in book.relations)
    assert sorted((iso(start), iso(until)) for start, until in read) == written
    assert all(isinstance(start, datetime.date) for start, _until in read)
    assert sorted((start, until or "") for start, until in texts) == written


@st.composite
def _owners(draw: st.DrawFn) -> tuple[PartyBook, tuple[Any, ...]]:
    """A stored book and new owners: of its units or others, its parties or others, ids new or not.

    Mostly owners the lookups can accept (one each to a unit with no relation and no facts, of a
    stored party not merged away), and every way one of them can fail to be.
    """
    import datetime
    from decimal import Decimal

    from propcrm.billing import PropertyType
    from propcrm.parties import Owner, Person, Unit
    from propcrm.personal_data import PersonName

    stored = draw(party_books(max_steps=8))
    fresh = [
        Unit(
            unit_id=f"7-7-{n:04d}",
            community="C",
            building="7",
            floor=1,
            number=f"{n:04d}",
            property_type=PropertyType.RESIDENTIAL,
            building_area=Decimal("80.5"),
        )
        for n in range(draw(st.integers(0, 4)))
    ]
    people = [Person(party_id=f"P-F{n}", name=PersonName("王五")) for n in range(2)]
    if draw(st.booleans()):
        people.append(Person(party_id="P-M", name=PersonName("赵六"), merged_into="P-F0"))
    stored = stored.with_records(people, fresh)
    related = {r.target for r in stored.relations}
    free = [u.unit_id for u in stored.units if u.unit_id not in related and not u.facts]
    units = [*free, *free, *(u.unit_id for u in stored.units), "9-9-9999"]
    parties = ["P-NEW", "P-M", "P-F0", "P-F1", *(p.party_id for p in stored.parties)]
    taken = [r.relation_id for r in stored.relations]
    owners = []
    for n in range(draw(st.integers(1, 4))):
        relation_id = draw(st.sampled_from([f"N{n}", f"N{n}", "N0", *taken]))
        owners.append(
            Owner(
                relation_id=relation_id,
                party_id=draw(st.sampled_from(parties)),
                unit_id=draw(st.sampled_from(units)),
                start=draw(st.dates(datetime.date(2019, 1, 1), datetime.date(2027, 1, 1))),
                share=draw(st.sampled_from(["1", "0.5"])),
                pays_fees=draw(st.booleans()),
            )
        )
    return stored, tuple(owners)


@settings(max_examples=150, deadline=None)
@given(case=_owners())
def test_owners_found_plain_by_lookups_are_what_with_records_accepts(
    book_store: SqlStore, case: tuple[PartyBook, tuple[Any, ...]]
) -> None:
    """What _plain_owners accepts, with_records accepts on the whole book; the same outcome."""
    from propcrm.storage.sql._store import _plain_owners

    stored, owners = case
    with book_store() as uow:
        uow.parties.save(stored, uow.parties.book().version)
        uow.commit()
    expected: list[PartyBook] = []
    reference = _outcome(lambda: expected.append(stored.with_records(relations=owners)))
    with book_store() as uow:
        version = uow.parties.book().version
    with book_store() as uow:
        plain = _plain_owners(uow, (), (), owners)
        hypothesis.event(f"plain: {plain}; refused: {reference is not None}")
        if plain:
            assert reference is None
        refused = _outcome(lambda: uow.parties.add_records((), (), owners))
        assert refused == reference
        uow.commit()
    with book_store() as uow:
        read = uow.parties.book()
    if reference is None:
        (grown,) = expected
        assert read.version == version + 1
        assert read.value == grown
        assert read.value.relations == grown.relations
    else:
        assert read.version == version


@settings(max_examples=100)
@given(
    record=st.one_of(units_strategy(), relations_strategy(), parties_strategy()),
    seq=st.integers(0, 10**6),
)
def test_an_imports_raw_rows_are_the_rows_sqlalchemy_is_given(record: Any, seq: int) -> None:
    """The driver's tuples: each column of the row SQLAlchemy inserts, dates as ISO text."""
    import datetime

    import propcrm.storage.sql._schema as t
    from propcrm.parties import Organisation, Person, Unit
    from propcrm.storage.sql._store import _VALUES, _party_row, _relation_row, _unit_row

    table, row_of = (
        (t.units, _unit_row)
        if isinstance(record, Unit)
        else (t.parties, _party_row)
        if isinstance(record, Person | Organisation)
        else (t.relations, _relation_row)
    )
    names, values_of = _VALUES[table.name]
    row = row_of(record, seq)
    assert set(names) == set(row) == {c.name for c in table.columns}
    expected = tuple(
        row[n].isoformat() if isinstance(row[n], datetime.date) else row[n] for n in names
    )
    assert values_of(record, seq) == expected


@st.composite
def _new_units(draw: st.DrawFn) -> tuple[PartyBook, tuple[Any, ...]]:
    """A stored book and new units: ids new, stored or twice, with facts or not."""
    from decimal import Decimal

    from propcrm.billing import PropertyType
    from propcrm.parties import Unit

    stored = draw(party_books(max_steps=8))
    taken = [u.unit_id for u in stored.units]
    # An organisation's id, which relations name as their target (a unit id may equal it).
    named = sorted({r.target for r in stored.relations} - set(taken))
    units = []
    for n in range(draw(st.integers(1, 4))):
        unit_id = draw(
            st.sampled_from([f"8-8-{n:04d}", f"8-8-{n:04d}", "8-8-0000", *taken, *named])
        )
        if draw(st.integers(0, 3)) == 0:
            units.append(attrs.evolve(draw(units_strategy()), unit_id=unit_id))
            continue
        units.append(
            Unit(
                unit_id=unit_id,
                community="C",
                building="8",
                floor=1,
                number=f"{n:04d}",
                property_type=PropertyType.RESIDENTIAL,
                building_area=Decimal(70),
            )
        )
    return stored, tuple(units)


@settings(max_examples=100, deadline=None)
@given(case=_new_units(), asked_first=st.booleans())
def test_units_found_plain_by_lookups_are_what_with_records_accepts(
    book_store: SqlStore, case: tuple[PartyBook, tuple[Any, ...]], asked_first: bool
) -> None:
    """What _plain_units accepts, with_records accepts on the whole book; the same outcome.

    Also when taken() was asked about the ids first, as an import asks (the ids it found
    absent are not looked up again).
    """
    from propcrm.storage.sql._store import _plain_units

    stored, units = case
    with book_store() as uow:
        uow.parties.save(stored, uow.parties.book().version)
        uow.commit()
    expected: list[PartyBook] = []
    reference = _outcome(lambda: expected.append(stored.with_records(units=units)))
    with book_store() as uow:
        version = uow.parties.book().version
    with book_store() as uow:
        if asked_first:
            uow.parties.taken(units=[u.unit_id for u in units])
        plain = _plain_units(uow, (), units, ())
        hypothesis.event(f"plain: {plain}; refused: {reference is not None}")
        if plain:
            assert reference is None
        refused = _outcome(lambda: uow.parties.add_records((), units, ()))
        assert refused == reference
        uow.commit()
    with book_store() as uow:
        read = uow.parties.book()
    if reference is None:
        (grown,) = expected
        assert read.version == version + 1
        assert read.value == grown
        assert read.value.units == grown.units
    else:
        assert read.version == version


def test_ids_found_absent_are_looked_up_again_once_the_book_changes(book_store: SqlStore) -> None:
    """What taken() found absent holds until the unit of work writes the book or its read ends."""
    from decimal import Decimal

    from propcrm.billing import PropertyType
    from propcrm.parties import Unit

    unit = Unit(
        unit_id="8-8-0001",
        community="C",
        building="8",
        floor=1,
        number="0001",
        property_type=PropertyType.RESIDENTIAL,
        building_area=Decimal(70),
    )
    with book_store() as uow:
        assert uow.parties.taken(units=[unit.unit_id])[1] == frozenset()
        assert uow._absent["propcrm_units"] == {unit.unit_id}
        uow.parties.add_records((), (unit,), ())
        # Pending: the same unit again is refused (the unit of work's own write).
        with pytest.raises(PropcrmError):
            uow.parties.add_records((), (unit,), ())
        uow.commit()
        assert uow._absent == {}
        # Stored now: asked again after the commit, and added again, it is refused.
        assert uow.parties.taken(units=[unit.unit_id])[1] == {unit.unit_id}
        with pytest.raises(PropcrmError):
            uow.parties.add_records((), (unit,), ())


_ID_CELLS = st.one_of(
    st.sampled_from(["U1", "1-1-0001", "x" * 64, "x" * 65, "A B", "", " U1", "房1", "U\u3000"]),
    st.text(max_size=6),
    st.integers(),
    st.none(),
)


@settings(max_examples=200)
@given(
    ids=st.lists(
        st.one_of(
            st.lists(_ID_CELLS, max_size=4),
            st.lists(_ID_CELLS, max_size=4).map(tuple),
            st.lists(_ID_CELLS, max_size=4).map(set),
            st.just("U1"),
            st.just({"U1": 1}),
        ),
        min_size=3,
        max_size=3,
    )
)
def test_plain_ids_are_the_ids_taken_arguments_accepts(ids: list[Any]) -> None:
    from propcrm.storage._memory import taken_arguments
    from propcrm.storage.sql._store import _plain_ids

    plain = _plain_ids(*ids)
    hypothesis.event(f"plain: {plain is not None}")
    reference = _outcome(lambda: taken_arguments(*ids))
    if plain is not None:
        assert reference is None
        assert plain == taken_arguments(*ids)


@st.composite
def _new_parties(draw: st.DrawFn) -> tuple[PartyBook, tuple[Any, ...]]:
    """A stored book and new parties: ids new, stored or twice, merged into another or not."""
    stored = draw(party_books(max_steps=8))
    taken = [p.party_id for p in stored.parties]
    parties = []
    for n in range(draw(st.integers(1, 4))):
        party_id = draw(st.sampled_from(["N0", f"N{n}"]) | st.sampled_from(taken or ["N0"]))
        party = draw(parties_strategy())
        merged = draw(
            st.none() | st.sampled_from(["N0", "N-MISSING"]) | st.sampled_from(taken or ["N0"])
        )
        if merged == party_id:
            merged = None
        parties.append(attrs.evolve(party, party_id=party_id, merged_into=merged))
    return stored, tuple(parties)


def _twice() -> tuple[PartyBook, tuple[Any, ...]]:
    from propcrm.parties import Person
    from propcrm.personal_data import PersonName

    person = Person(party_id="N0", name=PersonName("王五"))
    return PartyBook(), (person, attrs.evolve(person, name=PersonName("赵六")))


@settings(max_examples=100, deadline=None)
@given(case=_new_parties())
@hypothesis.example(case=_twice())
def test_parties_found_plain_by_lookups_are_what_with_records_accepts(
    book_store: SqlStore, case: tuple[PartyBook, tuple[Any, ...]]
) -> None:
    """What _plain_parties accepts, with_records accepts on the whole book; the same outcome."""
    from propcrm.storage.sql._store import _plain_parties

    stored, parties = case
    with book_store() as uow:
        uow.parties.save(stored, uow.parties.book().version)
        uow.commit()
    expected: list[PartyBook] = []
    reference = _outcome(lambda: expected.append(stored.with_records(parties=parties)))
    with book_store() as uow:
        version = uow.parties.book().version
    with book_store() as uow:
        plain = _plain_parties(uow, parties, (), ())
        hypothesis.event(f"plain: {plain}; refused: {reference is not None}")
        if plain:
            assert reference is None
        refused = _outcome(lambda: uow.parties.add_records(parties, (), ()))
        assert refused == reference
        uow.commit()
    with book_store() as uow:
        read = uow.parties.book()
    if reference is None:
        (grown,) = expected
        assert read.version == version + 1
        assert read.value == grown
        assert read.value.parties == grown.parties
    else:
        assert read.version == version
