"""Bad input to propcrm.storage: only the library's errors come out, and nothing is written.

Every repository method of the in-memory adapter and of the SQL adapter (on a SQLite file) is
fed malformed keys, versions, dates, instants, page sizes and tokens; each must be refused with a
library error carrying its context (issue 18), and a refused call inside a unit of work must
leave the store as it was. The SQL adapter's own entry points (``SqlStore``, ``upgrade``,
``current_revision``) are fed bad targets and options.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.bad_input import (
    assert_refused,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_instants,
    wrong_types,
)

from propcrm.receivables import Account
from propcrm.storage import AccountId, MemoryStore, UnitOfWorkFactory
from propcrm.storage.sql import SqlStore, current_revision, upgrade

FEW = settings(max_examples=12, deadline=None)
FLAT = AccountId("SUNRISE", "1-2-0301", "owner-17")
DAY = pendulum.date(2026, 12, 1)


def _store(store: UnitOfWorkFactory) -> UnitOfWorkFactory:
    with store() as uow:
        uow.accounts.add(FLAT, Account("1-2-0301", billed_party="owner-17"))
        uow.commit()
    return store


STORES = {
    "memory": _store(MemoryStore()),
    "sqlite": _store(SqlStore(Path(tempfile.mkdtemp()) / "bad.sqlite", upgrade=True)),
}
ADAPTERS = pytest.mark.parametrize("adapter", list(STORES))
Use = Callable[[Any, Any], object]


def _refused_and_nothing_written(adapter: str, use: Use, bad: object) -> None:
    store = STORES[adapter]
    with store() as uow:
        assert_refused(lambda: use(uow, bad))
    with store() as uow:
        assert uow.accounts.get(FLAT).version == 0


@pytest.mark.parametrize("field", ["community", "unit_id", "billed_party"])
@FEW
@given(bad=bad_ids)
def test_an_account_id_refuses_bad_parts(field: str, bad: object) -> None:
    if field == "billed_party" and bad is None:
        return  # an account nobody is billed for yet (a unit between owners)
    parts: dict[str, object] = {"community": "SUNRISE", "unit_id": "1-2-0301", "billed_party": "P"}
    assert_refused(lambda: AccountId(**{**parts, field: bad}))  # type: ignore[arg-type]


@pytest.mark.parametrize("option", ["policy", "escalation", "check_serialization"])
@FEW
@given(bad=wrong_types.filter(lambda v: not isinstance(v, bool)))
def test_a_memory_store_refuses_bad_options(option: str, bad: object) -> None:
    assert_refused(lambda: MemoryStore(**{option: bad}))


KEYS: dict[str, Use] = {
    "accounts.get": lambda u, bad: u.accounts.get(bad),
    "accounts.replay": lambda u, bad: u.accounts.replay(bad),
    "accounts.events": lambda u, bad: u.accounts.events(bad),
    "dunning.taken": lambda u, bad: u.dunning.taken(bad),
}


@ADAPTERS
@pytest.mark.parametrize("use", KEYS.values(), ids=list(KEYS))
@FEW
@given(bad=st.one_of(bad_ids, wrong_types))
def test_account_keys_must_be_account_ids(adapter: str, use: Use, bad: object) -> None:
    _refused_and_nothing_written(adapter, use, bad)


IDS: dict[str, Use] = {
    "requests.get": lambda u, bad: u.requests.get(bad),
    "requests.history": lambda u, bad: u.requests.history(bad),
    "tariffs.get": lambda u, bad: u.tariffs.get(bad),
    "price_lists.get": lambda u, bad: u.price_lists.get(bad),
    "parties.party": lambda u, bad: u.parties.party(bad),
    "parties.unit": lambda u, bad: u.parties.unit(bad),
    "arrears community": lambda u, bad: u.accounts.arrears(bad, DAY),
    "records.get kind": lambda u, bad: u.records.get(bad, "k", dict),
}


@ADAPTERS
@pytest.mark.parametrize("use", IDS.values(), ids=list(IDS))
@FEW
@given(bad=bad_ids)
def test_ids_refuse_empty_blank_spaced_and_non_text(adapter: str, use: Use, bad: object) -> None:
    _refused_and_nothing_written(adapter, use, bad)


@ADAPTERS
@pytest.mark.parametrize(
    "use",
    [
        lambda u, bad: u.accounts.append(FLAT, [], expected_version=bad),
        lambda u, bad: u.requests.append("R-1", [], expected_version=bad),
        lambda u, bad: u.records.put("note", "k", {"a": 1}, expected_version=bad),
    ],
    ids=["accounts.append", "requests.append", "records.put"],
)
@FEW
@given(bad=bad_counts)
def test_an_expected_version_is_an_int_from_zero(adapter: str, use: Use, bad: object) -> None:
    _refused_and_nothing_written(adapter, use, bad)


@ADAPTERS
@FEW
@given(bad=st.sampled_from(["abc", b"abc", {"a": 1}, 7, None]))
def test_events_are_a_collection(adapter: str, bad: object) -> None:
    _refused_and_nothing_written(
        adapter, lambda u, b: u.accounts.append(FLAT, b, expected_version=0), bad
    )


DATES: dict[str, Use] = {
    "accounts.arrears": lambda u, bad: u.accounts.arrears("SUNRISE", bad),
    "parties.related_to_unit": lambda u, bad: u.parties.related_to_unit("1-2-0301", bad),
    "price_lists.in_force": lambda u, bad: u.price_lists.in_force("SUNRISE", bad),
}


@ADAPTERS
@pytest.mark.parametrize("use", DATES.values(), ids=list(DATES))
@FEW
@given(bad=bad_dates)
def test_dates_refuse_text_none_numbers_and_datetimes(adapter: str, use: Use, bad: object) -> None:
    _refused_and_nothing_written(adapter, use, bad)


@ADAPTERS
@FEW
@given(bad=bad_instants)
def test_instants_must_be_aware(adapter: str, bad: object) -> None:
    _refused_and_nothing_written(adapter, lambda u, b: u.requests.due_before(b), bad)


PAGES: dict[str, Use] = {
    "accounts.arrears": lambda u, bad: u.accounts.arrears("SUNRISE", DAY, limit=bad),
    "parties.units": lambda u, bad: u.parties.units("SUNRISE", limit=bad),
    "records.keys": lambda u, bad: u.records.keys("note", limit=bad),
}


@ADAPTERS
@pytest.mark.parametrize("use", PAGES.values(), ids=list(PAGES))
@FEW
@given(bad=st.one_of(bad_counts, st.sampled_from([0, 1001, 10**9])))
def test_a_page_size_is_an_int_from_1_to_1000(adapter: str, use: Use, bad: object) -> None:
    _refused_and_nothing_written(adapter, use, bad)


@ADAPTERS
@FEW
@given(bad=st.sampled_from(["zzz", "", "eyJ4IjogMX0=", 7, b"x"]))
def test_a_page_token_must_be_one_the_store_gave(adapter: str, bad: object) -> None:
    _refused_and_nothing_written(
        adapter, lambda u, b: u.accounts.arrears("SUNRISE", DAY, after=b), bad
    )


@ADAPTERS
@FEW
@given(bad=st.sampled_from(["R1", b"R1", 7, None, {"R1": 1}]))
def test_an_alert_ledger_takes_a_collection_of_request_ids(adapter: str, bad: object) -> None:
    _refused_and_nothing_written(adapter, lambda u, b: u.alerts.ledger(b), bad)


@pytest.mark.parametrize("option", ["policy", "escalation", "upgrade"])
@FEW
@given(bad=wrong_types.filter(lambda v: not isinstance(v, bool)))
def test_a_sql_store_refuses_bad_options(option: str, bad: object) -> None:
    path = Path(tempfile.mkdtemp()) / "options.sqlite"
    assert_refused(lambda: SqlStore(path, **{option: bad}))


@FEW
@given(bad=st.one_of(wrong_types.filter(lambda v: not isinstance(v, str)), st.just("sqlite://")))
def test_a_sql_store_refuses_what_is_not_a_database(bad: object) -> None:
    assert_refused(lambda: SqlStore(bad))  # type: ignore[arg-type]


@FEW
@given(bad=wrong_types.filter(lambda v: not isinstance(v, str)))
def test_migrations_refuse_what_is_not_a_database(bad: object) -> None:
    assert_refused(lambda: upgrade(bad))  # type: ignore[arg-type]
    assert_refused(lambda: current_revision(bad))  # type: ignore[arg-type]
