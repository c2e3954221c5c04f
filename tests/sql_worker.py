"""A separate process for the SQL adapter's fault and concurrency tests (test_storage_faults.py).

``python tests/sql_worker.py COMMAND URL SCHEMA [ARG]``: ``SCHEMA`` is ``-`` on SQLite. It talks
to the test through its standard streams, one line each way, so that the test knows where it
is without sleeping: it prints ``ready`` and waits for ``go`` (a barrier), prints ``mid`` from
inside a commit, and prints its result as one JSON line at the end.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import sqlalchemy as sa

from propcrm.complaints import Action, Actor, Role
from propcrm.errors import ConcurrencyConflict
from propcrm.money import Money
from propcrm.storage.sql import SqlStore
from propcrm.testing import _contract_data as data

FLATS = [data.account_id(n) for n in range(1, 5)]
DAY = data.at(20).date()


def receipts_file() -> list[Any]:
    return [(flat, data.receipt(f"BANK-{n}", "100.00", DAY)) for n, flat in enumerate(FLATS)]


def open_store(url: str, schema: str) -> SqlStore:
    if schema == "-":
        return SqlStore(url)
    engine = sa.create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    return SqlStore(engine)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def wait_for(word: str) -> None:
    line = sys.stdin.readline().strip()
    if line != word:
        raise SystemExit(f"expected {word!r} from the test, got {line!r}")


def killed_mid_commit(store: SqlStore) -> None:
    """Write to three repositories and stop inside the commit, after its first row."""

    def stop_here() -> None:
        say("mid")
        sys.stdin.readline()  # the test kills us while we wait here
        raise SystemExit("the test was to kill this process mid-commit")

    store.after_first_write = stop_here
    flat = data.account_id(9)
    with store() as uow:
        uow.accounts.add(flat, data.new_account(flat).post(data.notice(flat, 10)))
        uow.tariffs.add(data.tariff())
        uow.records.put("crm.note", "N-1", Money("1.00"), 0)
        uow.commit()


def race(store: SqlStore, clerk: str) -> dict[str, Any]:
    """Post the receipts file and acknowledge BX-1, at the same moment as the other clerk."""
    actor = Actor(clerk, Role.AGENT)
    outcome: dict[str, Any] = {"credited": [], "duplicates": [], "retries": 0}
    with store() as uow:
        read = uow.requests.get("BX-1")
        step = read.value.take(Action.ACKNOWLEDGE, actor, data.at(24, 9, 5)).last_step
        say("ready")
        wait_for("go")
        try:
            uow.requests.append("BX-1", [step], read.version)
            uow.commit()
            outcome["request"] = "appended"
        except ConcurrencyConflict as error:
            outcome["request"] = f"conflict: {error}"
            outcome["request_context"] = {
                k: v for k, v in error.context.items() if k in ("expected", "actual")
            }
    for flat, paid in receipts_file():
        for _attempt in range(100):
            try:
                with store() as uow:
                    version = uow.accounts.get(flat).version
                    result = uow.accounts.append(flat, [paid], expected_version=version)
                    uow.commit()
                break
            except ConcurrencyConflict:
                outcome["retries"] += 1
        else:
            raise SystemExit("never got to post a receipt")
        outcome["credited" if result.appended else "duplicates"].append(paid.reference)
    return outcome


def main() -> None:
    command, url, schema = sys.argv[1:4]
    store = open_store(url, schema)
    if command == "kill":
        killed_mid_commit(store)
    elif command == "race":
        say(json.dumps(race(store, sys.argv[4])))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
