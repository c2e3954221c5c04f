"""Faults and concurrency of the SQL adapter, with real processes, on SQLite and PostgreSQL.

A process killed (SIGKILL) in the middle of a commit leaves nothing half-written; two
processes posting the same receipts and acknowledging the same request at once credit each
receipt once and lose no step, and the loser is told why. The processes are
``tests/sql_worker.py``; they say where they are on their standard output, so nothing sleeps.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from propcrm.errors import RecordNotFound
from propcrm.money import Money
from propcrm.storage.sql import SqlStore
from propcrm.testing import _contract_data as data

WORKER = Path(__file__).with_name("sql_worker.py")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(URL, schema) of an empty, migrated database; the schema is ``-`` on SQLite."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'crm.sqlite'}"
        SqlStore(url, upgrade=True).dispose()
        yield url, "-"
        return
    engine: Any = request.getfixturevalue("postgresql_engine")
    SqlStore(engine, upgrade=True)
    yield engine.url.render_as_string(hide_password=False), engine.dialect.default_schema_name


def _store(target: tuple[str, str]) -> SqlStore:
    url, schema = target
    if schema == "-":
        return SqlStore(url)
    return SqlStore(sa.create_engine(url, connect_args={"options": f"-csearch_path={schema}"}))


def _worker(command: str, target: tuple[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), command, *target, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(WORKER.parent)},
    )


def test_a_process_killed_mid_commit_leaves_nothing(target: tuple[str, str]) -> None:
    with _worker("kill", target) as worker:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "mid"  # inside the commit, a row written
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=60)
    assert worker.returncode == -signal.SIGKILL
    store, flat = _store(target), data.account_id(9)
    with store() as uow:
        with pytest.raises(RecordNotFound):
            uow.accounts.get(flat)
        with pytest.raises(RecordNotFound):
            uow.tariffs.get(data.COMMUNITY)
        with pytest.raises(RecordNotFound):
            uow.records.get("crm.note", "N-1", Money)
        assert uow.accounts.statements(data.COMMUNITY, data.notice(flat, 10).period).items == ()
    # The dead writer's lock is gone: the same unit of work commits now.
    with store() as uow:
        uow.accounts.add(flat, data.new_account(flat).post(data.notice(flat, 10)))
        uow.tariffs.add(data.tariff())
        uow.commit()
    with store() as uow:
        assert uow.accounts.get(flat).version == 1
    store.engine.dispose()


def test_two_processes_post_the_same_receipts_and_append_to_one_request(
    target: tuple[str, str],
) -> None:
    store = _store(target)
    flats = [data.account_id(n) for n in range(1, 5)]
    with store() as uow:
        for flat in flats:
            uow.accounts.add(flat, data.new_account(flat).post(data.notice(flat, 10)))
        uow.requests.add(data.leak("BX-1", data.at(24)))
        uow.commit()
    clerks = [_worker("race", target, name) for name in ("KF-07", "KF-08")]
    for clerk in clerks:  # the barrier: both have read the request at version 1
        assert clerk.stdout is not None
        assert clerk.stdout.readline().strip() == "ready"
    for clerk in clerks:
        assert clerk.stdin is not None
        clerk.stdin.write("go\n")
        clerk.stdin.flush()
    results = []
    for clerk in clerks:
        out, _ = clerk.communicate(timeout=120)
        assert clerk.returncode == 0, out
        results.append(json.loads(out.strip().splitlines()[-1]))
    outcomes = sorted(r["request"].split(":")[0] for r in results)
    assert outcomes == ["appended", "conflict"]
    loser = next(r for r in results if r["request"].startswith("conflict"))
    assert "another unit of work" in loser["request"]
    assert loser["request_context"] == {"expected": 1, "actual": 2}
    # Each receipt credited by exactly one of the two, reported as a duplicate to the other.
    for n in range(4):
        reference = f"BANK-{n}"
        assert sum(reference in r["credited"] for r in results) == 1
        assert sum(reference in r["duplicates"] for r in results) == 1
    with store() as uow:
        history = uow.requests.history("BX-1")
        assert len(history) == 2  # the intake and one acknowledgement: no step lost or doubled
        for n, flat in enumerate(flats):
            receipts = uow.accounts.get(flat).value.receipts()
            assert [r.reference for r in receipts] == [f"BANK-{n}"]
    store.engine.dispose()
