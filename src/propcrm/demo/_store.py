"""The demo's community in a SQLite file: written through the repositories, read back whole.

:func:`write_community` stores the sample community through :class:`~propcrm.storage.sql.SqlStore`,
one unit of work per aggregate family: the party book; the tariff and the price lists; every
account with its notices and receipts; the service requests and the complaint; the dunning steps
taken and the SLA alerts sent. :func:`read_community` opens the file again with a fresh store
and rebuilds what the sections show from it alone, so the demo printed from the file proves the
round trip. The SQL adapter needs the ``sql`` extra; without it
:class:`~propcrm.errors.MissingExtra` says so.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pendulum

from propcrm._i18n import gettext
from propcrm.billing import Statement
from propcrm.complaints import Request
from propcrm.demo._accounts import sample_accounts as month_end_accounts
from propcrm.demo._accounts import sample_dunning
from propcrm.demo._complaints import DEMO_POLICY, sample_complaint
from propcrm.demo._notices import COMMUNITY, sample_price_lists, sample_statements, sample_tariff
from propcrm.demo._parties import sample_accounts as unit_accounts
from propcrm.demo._parties import sample_book
from propcrm.demo._service import SampleRequest, request_clocks, sample_requests
from propcrm.errors import MissingExtra
from propcrm.parties import PartyBook
from propcrm.receivables import Account, StepTaken
from propcrm.sla import poll_alerts
from propcrm.storage import AccountId
from propcrm.time import DEFAULT_ZONE, BillingPeriod

if TYPE_CHECKING:
    from propcrm.storage.sql import SqlStore

__all__ = ["DEFAULT_DB", "DemoCommunity", "describe_file", "read_community", "write_community"]

DEFAULT_DB = "propcrm-demo.sqlite"
"""Where ``propcrm demo`` writes its file, in the current folder, unless told otherwise."""

NOVEMBER = BillingPeriod.month(2026, 11)
_POLLED_AT = pendulum.datetime(2026, 3, 3, 9, 0, tz=DEFAULT_ZONE)
"""The morning after the last service request: the alert poll whose alerts the file keeps."""
_SERVICE_REQUEST = "demo.service_request"
_CONTENTS = "demo.contents"


@attrs.frozen
class DemoCommunity:
    """Everything the demo's sections show, in the order they show it."""

    statements: tuple[Statement, ...]
    """November's fee notices."""
    accounts: tuple[Account, ...]
    """The month-end accounts, the flat whose litigation exposure is shown first."""
    dunning: tuple[StepTaken, ...]
    requests: tuple[SampleRequest, ...]
    complaint: Request
    book: PartyBook
    unit_accounts: tuple[Account, ...]
    """Each unit's account of the party book, in the book's order of units."""

    def unit_accounts_by_id(self) -> dict[str, Account]:
        """The units' accounts by unit id, as the segments read them."""
        return {account.unit_id: account for account in self.unit_accounts}


@attrs.frozen
class _Contents:
    """What the file holds for each section, in the order shown: its manifest, a record."""

    notices: tuple[AccountId, ...]
    month_end: tuple[AccountId, ...]
    requests: tuple[str, ...]
    complaint: str


def sample_community() -> DemoCommunity:
    """The demo's community, built in memory."""
    book = sample_book()
    units = unit_accounts(book)
    return DemoCommunity(
        statements=tuple(sample_statements()),
        accounts=tuple(month_end_accounts()),
        dunning=tuple(sample_dunning()),
        requests=sample_requests(),
        complaint=sample_complaint(),
        book=book,
        unit_accounts=tuple(units[unit.unit_id] for unit in book.units),
    )


def _store(path: Path, *, upgrade: bool = False) -> SqlStore:
    try:
        # Imported here, so that the demo from memory runs without the extra.
        from propcrm.storage.sql import SqlStore  # noqa: PLC0415
    except ImportError as missing:
        raise MissingExtra(
            "the demo stores its community in a SQLite file through SQLAlchemy, which is not "
            "installed; install the 'sql' extra: pip install 'propcrm[sql]' (or, from a "
            "checkout, pip install '.[sql]').",
            extra="sql",
            module=missing.name or "sqlalchemy",
        ) from missing
    # The complaint's stream is replayed under the demo community's own lifecycle policy.
    return SqlStore(path, policy=DEMO_POLICY, upgrade=upgrade)


def _account_id(account: Account) -> AccountId:
    return AccountId(COMMUNITY, account.unit_id, account.billed_party)


def write_community(path: str | os.PathLike[str], community: DemoCommunity) -> bool:
    """Store ``community`` in a new SQLite file at ``path``; whether an old one was replaced."""
    target = Path(path)
    replaced = target.exists()
    # SQLite's write-ahead log and shared memory belong to the file they replace.
    for old in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        old.unlink(missing_ok=True)
    store = _store(target, upgrade=True)
    try:
        with store() as uow:
            uow.parties.save(community.book, 0)
            uow.commit()
        with store() as uow:
            uow.tariffs.add(sample_tariff())
            for version, price_list in enumerate(sample_price_lists().versions):
                uow.price_lists.publish(COMMUNITY, price_list, version)
            uow.commit()
        with store() as uow:
            for account in (*community.unit_accounts, *community.accounts):
                uow.accounts.add(_account_id(account), account)
            # A notice is posted to its unit's account with its billed party, opened if new:
            # 1-2-0301's November notice follows its March-to-October ones.
            for statement in community.statements:
                account_id = AccountId(COMMUNITY, statement.unit_id, statement.billed_party)
                if account_id in uow.accounts.of_unit(COMMUNITY, statement.unit_id):
                    version = uow.accounts.get(account_id).version
                    uow.accounts.append(account_id, [statement], version)
                else:
                    opened = Account(statement.unit_id, billed_party=statement.billed_party)
                    uow.accounts.add(account_id, opened.post(statement))
            uow.commit()
        with store() as uow:
            # The service requests are classification facts and SLA events, not lifecycle
            # requests: they are kept as records; the complaint is a request's stream.
            for request in community.requests:
                uow.records.put(_SERVICE_REQUEST, request.request_id, request, 0)
            uow.requests.add(community.complaint)
            contents = _Contents(
                notices=tuple(
                    AccountId(COMMUNITY, s.unit_id, s.billed_party) for s in community.statements
                ),
                month_end=tuple(_account_id(account) for account in community.accounts),
                requests=tuple(request.request_id for request in community.requests),
                complaint=community.complaint.request_id,
            )
            uow.records.put(_CONTENTS, COMMUNITY, contents, 0)
            uow.commit()
        with store() as uow:
            for step in community.dunning:
                uow.dunning.record(COMMUNITY, step)
            alerts, _ = poll_alerts(
                [request_clocks(request) for request in community.requests], _POLLED_AT
            )
            uow.alerts.record(alerts)
            uow.commit()
    finally:
        store.dispose()
    return replaced


def read_community(path: str | os.PathLike[str]) -> DemoCommunity:
    """The demo's community as a fresh store reads it back from the file at ``path``."""
    store = _store(Path(path))
    try:
        with store() as uow:
            contents = uow.records.get(_CONTENTS, COMMUNITY, _Contents).value
            book = uow.parties.book().value
            statements = tuple(
                event
                for account_id in dict.fromkeys(contents.notices)
                for event in uow.accounts.get(account_id).value.events
                if isinstance(event, Statement) and event.period == NOVEMBER
            )
            # The units' own accounts hold their notices from March on; the segments score
            # them on 1 December, before November's notices fall due.
            units = tuple(
                uow.accounts.get(AccountId(COMMUNITY, unit.unit_id)).value for unit in book.units
            )
            return DemoCommunity(
                statements=statements,
                accounts=tuple(uow.accounts.get(i).value for i in contents.month_end),
                dunning=uow.dunning.taken_between(
                    COMMUNITY, pendulum.date(1970, 1, 1), pendulum.date(9999, 12, 31)
                ),
                requests=tuple(
                    uow.records.get(_SERVICE_REQUEST, key, SampleRequest).value
                    for key in contents.requests
                ),
                complaint=uow.requests.get(contents.complaint).value,
                book=book,
                unit_accounts=units,
            )
    finally:
        store.dispose()


def describe_file(path: str | os.PathLike[str], replaced: bool, locale: str) -> str:
    """The section that says where the file is, what it holds, and how to open it."""
    target = Path(path).resolve()
    # Read as anyone opening the file would: plain sqlite3, no adapter in between.
    conn = sqlite3.connect(target)
    try:
        tables = sorted(
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name.startswith("propcrm_") and name != "propcrm_alembic_version"
        )
        counts: dict[str, int] = {
            name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables
        }
    finally:
        conn.close()
    rows = [gettext("The sample community, stored in a SQLite file", locale=locale)]
    rows.append("    " + str(target))
    if replaced:
        rows.append("    " + gettext("(a file was there already: it was replaced)", locale=locale))
    rows.append(gettext("Rows per table", locale=locale))
    width = max(len(name) for name in tables)
    rows.extend(f"    {name:<{width}} {count:>5}" for name, count in counts.items())
    rows.append(gettext("Open it with", locale=locale))
    rows.append(f"    sqlite3 {shlex.quote(str(target))} '.tables'")
    return "\n".join(rows)
