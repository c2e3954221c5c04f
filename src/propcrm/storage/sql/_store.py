"""The SQL adapter: every repository over SQLAlchemy Core, on SQLite or PostgreSQL.

Why Core and not the ORM: what is stored is :mod:`propcrm.serialization` documents and the few
columns the daily queries index, never mapped objects; the aggregates are frozen values with
their own rules, and an ORM's identity map and change tracking would only duplicate (and
fight) the unit of work below, which already knows every row it writes and at what version.

How a unit of work runs. Reads go to the database inside one read transaction, begun at the
first read (on SQLite in WAL mode, a consistent snapshot; on PostgreSQL at its default, read
committed), overlaid with the unit's own writes, which it keeps as a change set, as the
in-memory adapter does, and the repositories are the in-memory adapter's own, so the rules are
checked in one place. :meth:`SqlUnitOfWork.commit` ends the read transaction, begins a write
transaction (``BEGIN IMMEDIATE`` on SQLite, so that two processes serialize on the file lock
instead of failing half-way), and writes every row at the version it was read at: an
``UPDATE … WHERE version = :read`` that changes no row, or an insert that a unique key refuses,
is a :class:`~propcrm.errors.ConcurrencyConflict` and the whole transaction rolls back. A bank
reference is a primary key per community, so the database itself credits a receipt once, even
when two processes post it at the same moment.
"""

from __future__ import annotations

import collections
import datetime
import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar, cast

import attrs
import pendulum
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import exc as sa_exc

import propcrm.storage.sql._schema as t
from propcrm._trusted import slot_constructor
from propcrm._validators import check_instance, check_items
from propcrm.analytics import SurveyResponse
from propcrm.billing import PriceLists, PropertyType, Statement, Tariff
from propcrm.complaints import DEFAULT_LIFECYCLE_POLICY, LifecyclePolicy, Request, Step
from propcrm.errors import (
    ConcurrencyConflict,
    InvalidPageToken,
    InvalidType,
    UnitOfWorkClosed,
)
from propcrm.parties import (
    AgencyContact,
    CommitteeMember,
    Merchant,
    Organisation,
    Owner,
    Party,
    PartyBook,
    Person,
    Relation,
    Resident,
    Tenant,
    Unit,
    Visitor,
)
from propcrm.personal_data import PersonName
from propcrm.receivables import Account, AccountEvent, Receipt, StepTaken
from propcrm.serialization import from_primitive, to_primitive
from propcrm.sla import DEFAULT_ESCALATION, EscalationPolicy, SlaAlert
from propcrm.storage._community import Concessions
from propcrm.storage._community_affairs import Affairs, Leads
from propcrm.storage._community_assembly import Meetings, Questionnaires
from propcrm.storage._community_parking import Parking, Prepaid
from propcrm.storage._desk import Contacts
from propcrm.storage._desk_notices import Activities, Notices
from propcrm.storage._desk_phone_book import PhoneBooks
from propcrm.storage._desk_schedules import Schedules
from propcrm.storage._desk_solutions import Solutions
from propcrm.storage._entries import KINDS, TABLE
from propcrm.storage._memory import (
    Accounts,
    Alerts,
    Dunning,
    Parties,
    PriceListRepo,
    Records,
    Requests,
    Stream,
    Surveys,
    Tariffs,
    refuse_commit,
    taken_arguments,
)
from propcrm.storage._values import (
    AccountId,
    ArrearsEntry,
    DueRequest,
    Page,
    PostedReceipt,
    Versioned,
    check_key,
    check_limit,
    decode_token,
    encode_token,
    not_found,
)
from propcrm.storage.sql._codec import Decoder, dumps, gc_kept, gc_paused, loads
from propcrm.storage.sql._migrate import check_revision, upgrade
from propcrm.time import BillingPeriod, as_date, aware

__all__ = ["SqlStore", "SqlUnitOfWork"]

T = TypeVar("T")
_Row = tuple[int, Any]
_BOOK = "book"
# How many accounts the arrears scan reads at a time while it fills a page.
_SCAN_BATCH = 500


def _dumps(primitive: object) -> str:
    return json.dumps(primitive, ensure_ascii=False, separators=(",", ":"))


def _party_column(party: str | None) -> str:
    return "" if party is None else party


def _account_id(community: str, unit_id: str, party: str) -> AccountId:
    return AccountId(community, unit_id, party or None)


def _alert_key(alert: SlaAlert) -> str:
    return _dumps(to_primitive(alert.key))


def _step_key(account: AccountId, step: StepTaken) -> str:
    text = _dumps([to_primitive(account), to_primitive(step, StepTaken)])
    return hashlib.sha256(text.encode()).hexdigest()


class _Conflict(Exception):
    """A row a commit could not write at the version it was read at."""

    def __init__(self, table: str, key: Hashable, expected: int, row: _Row | None) -> None:
        super().__init__(table, key)
        self.table, self.key, self.expected, self.row = table, key, expected, row


def engine_for(target: str | os.PathLike[str]) -> sa.Engine:
    text = os.fspath(target)
    if "://" not in text:
        text = f"sqlite:///{Path(text)}"
    url = sa.make_url(text)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise InvalidType(
                f"{text!r} is an in-memory SQLite database, which each connection sees empty; "
                "give a file (a temporary one for tests).",
                field="target",
                value=text,
                allowed="a SQLite file path or URL, a PostgreSQL URL, an Engine or a Connection",
            )
        engine = sa.create_engine(
            url, connect_args={"timeout": 60, "check_same_thread": False}, poolclass=sa.NullPool
        )
        _sqlite_transactions(engine)
        return engine
    return sa.create_engine(url)


def _sqlite_transactions(engine: sa.Engine) -> None:
    """WAL, and transactions begun by us: deferred to read, ``BEGIN IMMEDIATE`` to write.

    pysqlite's own transaction handling begins late and never immediately; SQLAlchemy's
    documented recipe turns it off and emits BEGIN itself.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Up to 32 MB of pages a connection (SQLite's default is 2 MB): a 100,000-row import
        # inserts into three tables and their indexes, and spilled pages were read again.
        cursor.execute("PRAGMA cache_size=-32000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        writing = connection.info.get("propcrm.writing", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


class SqlStore:
    """A store in a SQL database; calling it gives a fresh :class:`SqlUnitOfWork`.

    Args:
        target: a SQLite file (a path, or a ``sqlite:///`` URL), a PostgreSQL URL
            (``postgresql+psycopg://…``), an :class:`sqlalchemy.engine.Engine` of your own, or
            a :class:`sqlalchemy.engine.Connection` whose transaction you own (each commit
            of a unit of work then writes inside it, in a savepoint, and you commit).
        policy: the lifecycle policy requests are replayed and checked under.
        escalation: the escalation policy a request's next action is computed by.
        upgrade: migrate the schema to this release's revision first; without it, a database
            whose schema is behind is refused with :class:`~propcrm.errors.SchemaOutOfDate`.

    >>> import tempfile, pathlib
    >>> from propcrm.storage.sql import SqlStore
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "crm.sqlite"
    >>> SqlStore(path)
    Traceback (most recent call last):
    ...
    propcrm.errors.SchemaOutOfDate: the database's propcrm schema is at revision (none), not ...
    >>> store = SqlStore(path, upgrade=True)
    >>> with store() as uow:
    ...     uow.parties.book().version
    0
    >>> store.dispose()
    """

    def __init__(
        self,
        target: str | os.PathLike[str] | sa.Engine | sa.Connection,
        *,
        policy: LifecyclePolicy = DEFAULT_LIFECYCLE_POLICY,
        escalation: EscalationPolicy = DEFAULT_ESCALATION,
        upgrade: bool = False,
        pause_gc: bool = False,
    ) -> None:
        self.policy = check_instance(policy, "policy", LifecyclePolicy)
        #: Whether to pause Python's cyclic garbage collector while a batch of accounts is
        #: decoded, a scan page read or a commit written (about half of a bulk load's time).
        #: The collector is the whole process's, so this is for a batch job that owns its
        #: process, never a web server's threads.
        self.pause_gc = check_instance(pause_gc, "pause_gc", bool)
        self.escalation = check_instance(escalation, "escalation", EscalationPolicy)
        check_instance(upgrade, "upgrade", bool)
        self._owned = False
        self._connection: sa.Connection | None = None
        if isinstance(target, sa.Connection):
            self._connection = target
            self._engine = target.engine
        elif isinstance(target, sa.Engine):
            self._engine = target
        elif isinstance(target, (str, os.PathLike)):
            self._engine = engine_for(target)
            self._owned = True
        else:
            raise InvalidType(
                f"{target!r} is not a database to store in.",
                field="target",
                value=target,
                allowed="a SQLite file path or URL, a PostgreSQL URL, an Engine or a Connection",
            )
        if upgrade:
            _upgrade(self._connection or self._engine)
        check_revision(self._connection or self._engine)
        self.decoder = Decoder()
        # Lookups by key go to the SQLite driver directly (see _raw_first), unless the store
        # writes inside a connection it was given, whose transaction is the caller's.
        self._raw_sqlite = self._connection is None and self._engine.dialect.name == "sqlite"
        # Test hook: called once a commit has written its first row (the fault tests kill the
        # process there). None in normal use.
        self.after_first_write: Callable[[], None] | None = None

    @property
    def engine(self) -> sa.Engine:
        """The engine the store connects through."""
        return self._engine

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self)

    def dispose(self) -> None:
        """Close the connections of an engine this store made (not of one it was given)."""
        if self._owned:
            self._engine.dispose()


def _upgrade(bind: sa.Engine | sa.Connection) -> None:
    upgrade(bind)


class SqlUnitOfWork:
    """One transaction over every repository of a :class:`SqlStore`.

    Not shared between threads: give each thread (each web request, each job) its own. It
    holds one database connection while its ``with`` block is open.
    """

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._active = False
        self._conn: sa.Connection | None = None
        self._writes: dict[tuple[str, Hashable], tuple[int, _Row | None]] = {}
        # The keys written, by table: a scan reads its own table's writes, not every write of
        # the unit (a billing run's unit of work holds thousands, and scans once per unit).
        self._written: dict[str, dict[Hashable, None]] = {}
        self._scope: dict[str, list[sa.ColumnElement[bool]]] = {}
        # Within a narrowed scan: the order and the most rows to read (a keyset page).
        self._shape: dict[str, tuple[list[sa.ColumnElement[Any]], int | None]] = {}
        # The rows read from the database: a write to one updates it at the version read,
        # a write to any other inserts it.
        self._existing: set[tuple[str, Hashable]] = set()
        self._writing: set[tuple[str, Hashable]] = set()
        # The rows read from the database by key, decoded, until the read transaction ends:
        # a posting reads an account three times (to hold it, to append, to check its
        # version), and decoding it is most of the cost. Kept with _existing, cleared with it.
        self._read: dict[tuple[str, Hashable], _Row | None] = {}
        # The party book's ids a lookup (parties.taken) found absent, by table, until the read
        # transaction ends: an import asks taken() to report its stored ids as bad rows, then
        # add_records asks again of the same 100,000 ids.
        self._absent: dict[str, set[str]] = {}
        # While a commit writes: the rows it read, which a writer may diff against.
        self._base: dict[tuple[str, Hashable], _Row | None] = {}
        self._batch: _Batch | None = None
        self.parties = _SqlParties(cast("Any", self))
        self.tariffs = Tariffs(cast("Any", self))
        self.price_lists = PriceListRepo(cast("Any", self))
        self.accounts = _SqlAccounts(cast("Any", self))
        self.requests = _SqlRequests(cast("Any", self))
        self.surveys = _SqlSurveys(cast("Any", self))
        self.dunning = _SqlDunning(cast("Any", self))
        self.alerts = _SqlAlerts(cast("Any", self))
        self.records = _SqlRecords(cast("Any", self))
        self.concessions = Concessions(cast("Any", self))
        self.meetings = Meetings(cast("Any", self))
        self.questionnaires = Questionnaires(cast("Any", self))
        self.affairs = Affairs(cast("Any", self))
        self.leads = Leads(cast("Any", self))
        self.parking = Parking(cast("Any", self))
        self.prepaid = Prepaid(cast("Any", self))
        self.contacts = Contacts(cast("Any", self))
        self.phone_book = PhoneBooks(cast("Any", self))
        self.schedules = Schedules(cast("Any", self))
        self.solutions = Solutions(cast("Any", self))
        self.notices = Notices(cast("Any", self))
        self.activities = Activities(cast("Any", self))

    # -- the transaction --------------------------------------------------------------------

    def __enter__(self) -> Self:
        if self._active:
            raise UnitOfWorkClosed(
                "this unit of work is already open; use one `with` block at a time.",
                state="open",
            )
        given = self._store._connection
        self._conn = given if given is not None else self._store._engine.connect()
        self._active = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            self._active = False
            if self._conn is not None and self._store._connection is None:
                self._conn.close()
            self._conn = None

    def commit(self) -> None:
        """Write every change, or (on a conflict) none and raise; then begin again."""
        conn = self._open()
        writes, self._writes = self._writes, {}
        self._written = {}
        self._writing, self._existing = self._existing, set()
        self._base, self._read = self._read, {}
        self._end_read()
        if not writes:
            self._base = {}
            return
        try:
            self._write_all(conn, writes)
        except _Conflict as conflict:
            self._end_read()
            live = self._load(conflict.table, conflict.key)
            self._end_read()
            self._existing = set()
            self._read = {}
            refuse_commit(conflict.table, conflict.key, conflict.expected, live, conflict.row)
            raise AssertionError("unreachable") from None  # refuse_commit always raises
        except sa_exc.OperationalError as error:
            raise ConcurrencyConflict(
                "the database refused the commit (a lock or deadlock with another unit of "
                f"work: {error.orig}). Nothing was written; read again and retry.",
                stream=None,
                error=error,
            ) from error
        finally:
            self._base = {}

    def _write_all(
        self, conn: sa.Connection, writes: dict[tuple[str, Hashable], tuple[int, _Row | None]]
    ) -> None:
        try:
            self._write_in_transaction(conn, writes, batched=True)
        except _Retry:
            # Row by row, in a new transaction, to name the row a unique key refused.
            self._write_in_transaction(conn, writes, batched=False)

    def _write_in_transaction(
        self,
        conn: sa.Connection,
        writes: dict[tuple[str, Hashable], tuple[int, _Row | None]],
        *,
        batched: bool,
    ) -> None:
        if self._store._connection is not None:
            with conn.begin_nested():
                self._write_rows(conn, writes, batched=batched)
            return
        conn.info["propcrm.writing"] = True
        try:
            with conn.begin():
                self._write_rows(conn, writes, batched=batched)
        finally:
            conn.info["propcrm.writing"] = False

    def _write_rows(
        self,
        conn: sa.Connection,
        writes: dict[tuple[str, Hashable], tuple[int, _Row | None]],
        *,
        batched: bool,
    ) -> None:
        with gc_paused(self._store.pause_gc):
            self._write_batch(conn, writes, batched=batched)

    def _write_batch(
        self,
        conn: sa.Connection,
        writes: dict[tuple[str, Hashable], tuple[int, _Row | None]],
        *,
        batched: bool,
    ) -> None:
        hook = self._store.after_first_write
        self._batch = _Batch() if batched else None
        # One order for every writer, so that two writers never wait on each other in a cycle.
        ordered = sorted(writes.items(), key=lambda item: (_ORDER[item[0][0]], repr(item[0][1])))
        try:
            for n, ((table, key), (expected, row)) in enumerate(ordered):
                _WRITERS[table](self, conn, key, expected, row)
                if n == 0 and hook is not None and self._batch is None:
                    hook()
            if self._batch is not None:
                self._batch.flush(self, conn)
                if hook is not None:
                    hook()
        finally:
            self._batch = None

    def rollback(self) -> None:
        """Forget every change since the last commit."""
        self._writes = {}
        self._written = {}
        self._existing = set()
        self._read = {}
        if self._conn is not None:
            self._end_read()

    def _end_read(self) -> None:
        self._absent = {}
        conn = self._conn
        if conn is not None and self._store._connection is None and conn.in_transaction():
            conn.rollback()

    def _open(self) -> sa.Connection:
        if not self._active or self._conn is None:
            raise UnitOfWorkClosed(
                "a unit of work is used inside its `with` block only; open one with "
                "`with store() as uow:`.",
                state="closed",
            )
        return self._conn

    def _check_open(self) -> None:
        self._open()

    # -- rows, as the in-memory repositories ask for them ----------------------------------

    def _row(self, table: str, key: Hashable) -> _Row | None:
        self._check_open()
        written = self._writes.get((table, key))
        if written is not None:
            return written[1]
        return self._load(table, key)

    _latest = _row

    def _version(self, table: str, key: Hashable) -> int:
        row = self._latest(table, key)
        return 0 if row is None else int(row[0])

    def _expect(self, table: str, key: Hashable, expected: object, what: str) -> int:
        from propcrm.storage._memory import MemoryUnitOfWork  # noqa: PLC0415

        return MemoryUnitOfWork._expect(cast("Any", self), table, key, expected, what)

    def _write(self, table: str, key: Hashable, expected: int, row: _Row | None) -> None:
        first = self._writes.get((table, key))
        base = expected if first is None else first[0]
        self._writes[(table, key)] = (base, row)
        self._written.setdefault(table, {})[key] = None

    def _stored(self, value: T, _cls: Any) -> T:
        return value

    def _pending(self, *tables: str) -> bool:
        return any(self._written.get(name) for name in tables)

    def _load(self, table: str, key: Hashable) -> _Row | None:
        conn = self._open()
        found = self._read.get((table, key), self._read)
        if found is not self._read:
            return cast("_Row | None", found)
        spec = _SPECS[table]
        if spec.raw is not None and self._store._raw_sqlite:
            record = _raw_first(conn, spec, key)
        else:
            record = conn.execute(spec.by_key, spec.params(key)).first()
        row = None
        if record is not None:
            self._existing.add((table, key))
            row = spec.row(self, record)
        self._read[(table, key)] = row
        return row

    def _exists(self, table: str, key: Hashable) -> bool:
        return (table, key) in self._writing

    @contextmanager
    def _scoped(
        self,
        table: str,
        *where: sa.ColumnElement[bool],
        order: Sequence[sa.ColumnElement[Any]] = (),
        limit: int | None = None,
    ) -> Iterator[None]:
        """Within: :meth:`_scan` of ``table`` reads only the rows ``where`` selects.

        With ``order`` and ``limit``, only the first ``limit`` of them in that order.
        """
        self._scope[table] = list(where)
        self._shape[table] = (list(order), limit)
        try:
            yield
        finally:
            self._scope.pop(table, None)
            self._shape.pop(table, None)

    def _narrowed(
        self,
        table: str,
        kind: str,
        *,
        order: tuple[str, ...] = (),
        after: tuple[str, ...] | None = None,
        limit: int | None = None,
        **where: str | tuple[str, str] | None,
    ) -> AbstractContextManager[None]:
        """Within: :meth:`_scan` of the entries reads only ``kind``'s rows that ``where`` picks.

        Each of ``scope``, ``subject`` is a value to equal and ``at`` a half-open range; the
        caller filters again, since its own writes are not in the database yet. With ``order``
        (index columns), only rows sorting after ``after`` are read, in that order, and with
        ``limit``, the first ``limit`` and one more for each of this unit's own writes of the
        kind: each such write may hide a stored row the caller then drops (moved out of the
        range, or now sorted elsewhere), so the caller always has its ``limit`` first rows.
        """
        columns = t.entries.c
        clauses = [columns.kind == kind]
        for name, value in where.items():
            if isinstance(value, tuple):
                clauses += [columns[name] >= value[0], columns[name] < value[1]]
            elif value is not None:
                clauses.append(columns[name] == value)
        ordering = [columns[name] for name in order]
        if after is not None:
            clauses += _past(ordering, after)
        if limit is not None:
            written = cast("Iterable[tuple[str, str]]", self._written.get(table, ()))
            limit += len([key for key in written if key[0] == kind])
        return self._scoped(table, *clauses, order=ordering, limit=limit)

    def _scan(self, table: str) -> Iterator[tuple[Hashable, _Row]]:
        """The rows of ``table`` (those the scope selects) as this unit sees them."""
        conn = self._open()
        spec = _SPECS[table]
        query = spec.select.where(*self._scope.get(table, ()))
        order, limit = self._shape.get(table, ((), None))
        if order:
            query = query.order_by(*order)
        if limit is not None:
            query = query.limit(limit)
        rows = dict(spec.decode(self, record) for record in conn.execute(query))
        for key in self._written.get(table, ()):
            row = self._writes[(table, key)][1]
            if row is None:
                rows.pop(key, None)
            else:
                rows[key] = row
        return iter(rows.items())

    def _execute(self, query: sa.Executable) -> sa.CursorResult[Any]:
        return self._open().execute(query)


def _past(
    columns: Sequence[sa.ColumnElement[Any]], after: Sequence[str]
) -> list[sa.ColumnElement[bool]]:
    """The rows sorting after ``after`` in the order of ``columns``, as the index reads them.

    ``(at, key) > (a, k)`` is ``at >= a`` (the index range) and ``at > a or key > k``; written
    out, not as a row value, so that every SQLite and PostgreSQL plans it on the index.
    """
    first, value = columns[0], after[0]
    if len(columns) == 1:
        return [first > value]
    rest = sa.and_(*_past(columns[1:], after[1:]))
    return [first >= value, sa.or_(first > value, rest)]


# -- the tables: how a row is read and written -----------------------------------------------


class _Spec:
    """How one table's rows are read: the key's columns and values, and the row's decoding."""

    def __init__(
        self,
        select: sa.Select[Any],
        columns: tuple[str, ...],
        values: Callable[[Any], tuple[Any, ...]],
        decode: Callable[[SqlUnitOfWork, Any], tuple[Hashable, _Row]],
        *,
        raw: bool = False,
        row: Callable[[SqlUnitOfWork, Any], _Row] | None = None,
    ) -> None:
        self.select, self.columns, self.values, self.decode = select, columns, values, decode
        # The row alone, for a lookup by key, which has its key already (building an account's
        # key again checks its three parts).
        self.row = row or (lambda uow, record: decode(uow, record)[1])
        table = select.get_final_froms()[0]
        self.table = cast("sa.Table", table)
        self.raw: str | None = None
        self.record: Callable[..., Any] = tuple
        names = [c.name for c in select.selected_columns]
        if raw:
            # The statement as the SQLite driver takes it, and rows with the columns' names.
            where = " AND ".join(f"{name} = ?" for name in columns)
            self.raw = f"SELECT {', '.join(names)} FROM {self.table.name} WHERE {where}"
            make_type: Any = collections.namedtuple
            self.record = make_type("Row", names)._make
        # Built once: a lookup by key is the commonest statement, and building the expression
        # costs more than running it.
        self.by_key = select.where(
            *[self.table.c[name] == sa.bindparam(f"k{n}") for n, name in enumerate(columns)]
        )

    def params(self, key: Any) -> dict[str, Any]:
        return {f"k{n}": v for n, v in enumerate(self.values(key))}

    def where(self, key: Any) -> list[sa.ColumnElement[bool]]:
        return [
            self.table.c[name] == v for name, v in zip(self.columns, self.values(key), strict=True)
        ]


def _driver(conn: sa.Connection) -> Any:
    """The SQLite driver's connection under ``conn``, inside the unit's read transaction."""
    if not conn.in_transaction():
        conn.begin()  # BEGIN, by the store's own hook, as a first execute would
    return conn.connection.driver_connection


def _raw_insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """``rows`` (of the same columns, in the same order) inserted through the SQLite driver.

    A commit of a community writes some 250,000 event and statement rows, and SQLAlchemy's
    parameters cost as much as SQLite's own insert of them. The columns are text and
    integers, and dates, which are written as SQLAlchemy writes them on SQLite (ISO text).
    """
    names = list(rows[0])
    dates = [n for n, name in enumerate(names) if isinstance(table.c[name].type, sa.Date)]
    values: list[Any] = [tuple(row.values()) for row in rows]
    if dates:
        values = [list(row) for row in values]
        for row in values:
            for n in dates:
                if row[n] is not None:
                    row[n] = row[n].isoformat()
    marks = ", ".join("?" * len(names))
    _driver(conn).executemany(
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", values
    )


def _raw_first(conn: sa.Connection, spec: _Spec, key: Any) -> Any:
    """The row of ``key`` read through the SQLite driver itself, in the unit's read transaction.

    A lookup by key is what adding accounts and posting receipts do most (is it there
    already?), and SQLAlchemy's execution costs several times the query's own; the tables read
    this way hold only text and integer columns, which need no conversion.
    """
    cursor = _driver(conn).execute(spec.raw, spec.values(key))
    try:
        found = cursor.fetchone()
    finally:
        cursor.close()
    return None if found is None else spec.record(found)


class _SqlStream:
    """An account's stream read from the database: its snapshot now, its events when asked.

    The stored events are read only when asked for whole; what a posting adds is kept as it
    was given (``tail``), so that a commit appends it without reading the stream again.
    """

    def __init__(
        self,
        uow: SqlUnitOfWork,
        stream_id: int,
        account: Account,
        stored: int,
        tail: tuple[AccountEvent, ...] = (),
    ) -> None:
        self._uow, self.stream_id, self.account = uow, stream_id, account
        self.stored, self.tail = stored, tail
        self._events: tuple[AccountEvent, ...] | None = None

    @property
    def length(self) -> int:
        return self.stored + len(self.tail)

    @property
    def events(self) -> tuple[AccountEvent, ...]:
        if self._events is None:
            query = (
                sa.select(t.account_events.c.document)
                .where(
                    t.account_events.c.stream_id == self.stream_id,
                    t.account_events.c.version <= self.stored,
                )
                .order_by(t.account_events.c.version)
            )
            decode = self._uow._store.decoder.event
            self._events = tuple(decode(doc) for (doc,) in self._uow._execute(query)) + self.tail
        return self._events

    def since(self, version: int) -> tuple[AccountEvent, ...]:
        if version >= self.stored:
            return self.tail[version - self.stored :]
        return self.events[version:]

    def then(self, account: Account, fresh: tuple[AccountEvent, ...]) -> _SqlStream:
        return _SqlStream(self._uow, self.stream_id, account, self.stored, self.tail + fresh)


def _decode_account(uow: SqlUnitOfWork, r: Any) -> tuple[Hashable, _Row]:
    key = _account_id(r.community, r.unit_id, r.billed_party)
    return key, _account_row(uow, r)


def _account_row(uow: SqlUnitOfWork, r: Any) -> _Row:
    account = uow._store.decoder.account(r.snapshot)
    return r.version, _SqlStream(uow, r.stream_id, account, r.version)


def _decode_request(uow: SqlUnitOfWork, r: Any) -> tuple[Hashable, _Row]:
    query = (
        sa.select(t.request_steps.c.document)
        .where(t.request_steps.c.request_id == r.request_id)
        .order_by(t.request_steps.c.version)
    )
    steps = [from_primitive(json.loads(doc), Step) for (doc,) in uow._execute(query)]
    return r.request_id, (r.version, Request.replay(steps, uow._store.policy))


def _loads(document: str, cls: Any) -> Any:
    return from_primitive(loads(document), cls)


def _decode_next(_uow: SqlUnitOfWork, r: Any) -> tuple[Hashable, _Row]:
    at = None if r.document is None else _loads(r.document, pendulum.DateTime)
    return r.request_id, (r.version, at)


def _decode_dunning(_uow: SqlUnitOfWork, r: Any) -> tuple[Hashable, _Row]:
    step = _loads(r.document, StepTaken)
    return (_account_id(r.community, r.unit_id, r.billed_party), step), (1, step)


def _decode_entry(_uow: SqlUnitOfWork, r: Any) -> tuple[Hashable, _Row]:
    value = _loads(r.document, KINDS[r.kind])
    return (r.kind, r.key), (r.version, (value, r.scope, r.subject, r.at))


def _decode_alert(_uow: SqlUnitOfWork, r: Any) -> tuple[Hashable, _Row]:
    alert = cast("SlaAlert", _loads(r.document, SlaAlert))
    return alert.key, (1, alert)


_SPECS: dict[str, _Spec] = {
    "book": _Spec(
        sa.select(t.party_book.c.version, t.party_book.c.document),
        ("id",),
        lambda _key: (1,),
        lambda uow, r: (_BOOK, (r.version, _read_book(uow, r.document))),
    ),
    "tariff": _Spec(
        sa.select(t.tariffs),
        ("name",),
        lambda key: (key,),
        lambda _uow, r: (r.name, (r.version, _loads(r.document, Tariff))),
    ),
    "price_lists": _Spec(
        sa.select(t.price_lists),
        ("community",),
        lambda key: (key,),
        lambda _uow, r: (r.community, (r.version, _loads(r.document, PriceLists))),
    ),
    "account": _Spec(
        sa.select(t.accounts),
        ("community", "unit_id", "billed_party"),
        lambda key: (key.community, key.unit_id, _party_column(key.billed_party)),
        _decode_account,
        raw=True,
        row=_account_row,
    ),
    "receipt": _Spec(
        sa.select(t.receipts),
        ("community", "reference"),
        tuple,
        lambda _uow, r: (
            (r.community, r.reference),
            (
                1,
                PostedReceipt(
                    _account_id(r.community, r.unit_id, r.billed_party),
                    _loads(r.document, Receipt),
                ),
            ),
        ),
        raw=True,
    ),
    "request": _Spec(
        sa.select(t.requests),
        ("request_id",),
        lambda key: (key,),
        _decode_request,
    ),
    "next_action": _Spec(
        sa.select(t.next_actions),
        ("request_id",),
        lambda key: (key,),
        _decode_next,
    ),
    "survey": _Spec(
        sa.select(t.surveys),
        ("response_id",),
        lambda key: (key,),
        lambda _uow, r: (
            r.response_id,
            (1, (r.community, _loads(r.document, SurveyResponse))),
        ),
    ),
    "dunning": _Spec(
        sa.select(t.dunning),
        ("step_key",),
        lambda key: (_step_key(*key),),
        _decode_dunning,
    ),
    "alert": _Spec(
        sa.select(t.alerts),
        ("alert_key",),
        lambda key: (_dumps(to_primitive(key)),),
        _decode_alert,
    ),
    "record": _Spec(
        sa.select(t.records),
        ("kind", "key"),
        tuple,
        lambda _uow, r: ((r.kind, r.key), (r.version, json.loads(r.document))),
    ),
    TABLE: _Spec(sa.select(t.entries), ("kind", "key"), tuple, _decode_entry, raw=True),
}


def _insert(
    conn: sa.Connection, table: sa.Table, values: dict[str, Any], conflict: _Conflict
) -> Any:
    try:
        return conn.execute(table.insert(), values)
    except sa_exc.IntegrityError as error:
        raise conflict from error


def _versioned(
    uow: SqlUnitOfWork,
    conn: sa.Connection,
    table: sa.Table,
    where: list[sa.ColumnElement[bool]],
    expected: int,
    values: dict[str, Any],
    conflict: _Conflict,
) -> None:
    """Insert a new row, or update the row read if still at ``expected``; else a conflict."""
    if not uow._exists(conflict.table, conflict.key):
        _insert(conn, table, values, conflict)
        return
    changed = conn.execute(
        table.update().where(*where, table.c.version == expected).values(**values)
    )
    if changed.rowcount != 1:
        raise conflict


# -- the party book, stored in parts ---------------------------------------------------------
#
# The book's row holds its version and the book without its records (its policy and journal);
# its parties, units and relations are the rows of their tables, each at its place in the
# book's order (``seq``). A book read whole is built from them; a save writes the records that
# differ from the book read; an import (``add_records``) reads only the stored rows its records
# touch and writes only its new rows.

_RECORD_TABLES = (t.parties, t.units, t.relations)
# The relation types a book takes, in the order its refusal names them.
_RELATION_TYPES = (Owner, Tenant, Resident, Merchant, Visitor, AgencyContact, CommitteeMember)
_UNIT_RELATION_TYPES = (Owner, Tenant, Resident, Merchant, Visitor)


def _party_key(party: Party) -> str:
    return party.party_id


def _party_row(party: Party, seq: int) -> dict[str, Any]:
    return {"party_id": party.party_id, "seq": seq, "document": record_document(party, Party)}


def _unit_key(unit: Unit) -> str:
    return unit.unit_id


def _unit_row(unit: Unit, seq: int) -> dict[str, Any]:
    return {
        "unit_id": unit.unit_id,
        "community": unit.community,
        "seq": seq,
        "document": record_document(unit, Unit),
    }


def _relation_key(relation: Relation) -> str:
    return relation.relation_id


def _relation_row(relation: Relation, seq: int) -> dict[str, Any]:
    return {
        "relation_id": relation.relation_id,
        "target": relation.target,
        "party_id": relation.party_id,
        "start": relation.start,
        "until": relation.end,
        "lease_id": relation.lease_id if isinstance(relation, Tenant) else None,
        "seq": seq,
        "document": record_document(relation, Relation),
    }


def _iso(day: datetime.date | None) -> str | None:
    return None if day is None else day.isoformat()


def record_document(record: Any, cls: Any) -> str:
    """A party book record's document: ``dumps(to_primitive(record, cls))``, the same text.

    The plainest records (those :class:`RecordDecoder` reads on its trusted path: a unit
    without facts, a person with a name and nothing else personal, an owner) have their
    primitives built here field by field, as the converter builds them (an enum by its code, a
    decimal by ``str``, a day in ISO form, a name by its clear text for storage), where the
    converter's generated hooks cost several times as much for an import of 100,000 rows;
    every other record goes through the converter. ``tests/test_storage_sql.py`` checks the two
    give the same text.
    """
    kind = type(record)
    if kind is Unit and cls is Unit and not record.facts:
        inner = record.inner_area
        primitive: dict[str, Any] = {
            "unit_id": record.unit_id,
            "community": record.community,
            "building": record.building,
            "entrance": record.entrance,
            "floor": record.floor,
            "number": record.number,
            "property_type": record.property_type.value,
            "building_area": str(record.building_area),
            "inner_area": None if inner is None else str(inner),
            "facts": [],
        }
    elif (
        kind is Person
        and cls is Party
        and record.name is not None
        and record.mobile is None
        and record.id_number is None
        and not record.plates
        and record.gender is None
        and record.birth_date is None
        and record.erased is None
    ):
        primitive = {
            "type": _PERSON_TYPE,
            "party_id": record.party_id,
            "name": record.name.reveal(_STORAGE),
            "mobile": None,
            "id_number": None,
            "plates": [],
            "gender": None,
            "birth_date": None,
            "merged_into": record.merged_into,
            "erased": None,
        }
    elif kind is Owner and cls is Relation:
        primitive = {
            "type": _OWNER_TYPE,
            "relation_id": record.relation_id,
            "party_id": record.party_id,
            "start": record.start.isoformat(),
            "until": _iso(record.until),
            "planned_until": _iso(record.planned_until),
            "unit_id": record.unit_id,
            "share": str(record.share),
            "pays_fees": record.pays_fees,
        }
    else:
        primitive = to_primitive(record, cls)
    return dumps(primitive)


_KEYS: tuple[Callable[[Any], str], ...] = (_party_key, _unit_key, _relation_key)
_ROWS: tuple[Callable[[Any, int], dict[str, Any]], ...] = (_party_row, _unit_row, _relation_row)
_CLASSES: tuple[Any, ...] = (Party, Unit, Relation)


def _records(book: PartyBook) -> tuple[tuple[Any, ...], ...]:
    return book.parties, book.units, book.relations


def book_head(book: PartyBook) -> str:
    """The book's row's document: the book without its records (its policy and journal)."""
    head = PartyBook(policy=book.policy, journal=book.journal)
    return _dumps(to_primitive(head, PartyBook))


def book_rows(book: PartyBook) -> tuple[list[dict[str, Any]], ...]:
    """The rows of the book's parties, units and relations, in its order."""
    return tuple(
        [row_of(record, n) for n, record in enumerate(records)]
        for records, row_of in zip(_records(book), _ROWS, strict=True)
    )


def _read_book(uow: SqlUnitOfWork, head: str) -> PartyBook:
    """The whole book: its row's policy and journal, its records from their tables, in order."""
    empty = cast("PartyBook", _loads(head, PartyBook))
    records = []
    decode = RecordDecoder()
    for table, cls in zip(_RECORD_TABLES, _CLASSES, strict=True):
        query = sa.select(table.c.document).order_by(table.c.seq)
        records.append([decode(doc, cls) for (doc,) in uow._execute(query)])
    return PartyBook(*records, policy=empty.policy, journal=empty.journal)


_UNIT_FIELDS = frozenset(a.name for a in attrs.fields(Unit))
# Every field, in declaration order (propcrm._trusted.slot_constructor); the post-init checks run.
_make_unit = slot_constructor(Unit, post_init=True)
_make_person = slot_constructor(Person, post_init=True)
_make_owner = slot_constructor(Owner, post_init=True)
_OWNER_FIELDS = frozenset(a.name for a in attrs.fields(Owner)) | {"type"}
_OWNER_TYPE = to_primitive(
    Owner(relation_id="R", party_id="P", unit_id="U", start=datetime.date(2026, 1, 1)), Relation
)["type"]
_PERSON_FIELDS = frozenset(a.name for a in attrs.fields(Person)) | {"type"}
_PERSON_TYPE = to_primitive(Person(party_id="P", name=PersonName("张三")), Party)["type"]
# The purpose the converter reveals a name for when it writes a document.
_STORAGE = "storage"


class RecordDecoder:
    """A party book's records read from their documents, the plainest ones on a trusted path.

    A unit without facts, a person with a name and nothing else personal, and an owner are
    built from their document's fields through :func:`propcrm._trusted.slot_constructor` (the
    documents were written from checked values, and each field is converted as the converter
    converts it); a name and a date are built once per text. Every other record, and every
    document of another shape, goes through :func:`propcrm.serialization.from_primitive`. A
    book of 100,000 units and their owners is read several times faster;
    ``tests/test_storage_sql.py`` checks the two paths
    give the same records.
    """

    def __init__(self) -> None:
        self._names: dict[str, PersonName] = {}
        self._days: dict[str, pendulum.Date] = {}

    def _day(self, text: str | None) -> pendulum.Date | None:
        if text is None:
            return None
        day = self._days.get(text)
        if day is None:
            # As the converter reads a date: ISO text, a pendulum date.
            read = datetime.date.fromisoformat(text)
            day = self._days[text] = pendulum.Date(read.year, read.month, read.day)
        return day

    def __call__(self, document: str, cls: Any) -> Any:
        primitive = loads(document)
        fast = self.trusted(primitive, cls)
        return from_primitive(primitive, cls) if fast is None else fast

    def trusted(self, primitive: Any, cls: Any) -> Any:
        """The record on the trusted path, or None where it does not apply."""
        if not isinstance(primitive, dict):
            return None
        if cls is Unit and primitive.keys() == _UNIT_FIELDS and primitive["facts"] == []:
            inner = primitive["inner_area"]
            return _make_unit(
                primitive["unit_id"],
                primitive["community"],
                primitive["building"],
                primitive["entrance"],
                primitive["floor"],
                primitive["number"],
                PropertyType(primitive["property_type"]),
                Decimal(primitive["building_area"]),
                None if inner is None else Decimal(inner),
                (),
            )
        if (
            cls is Party
            and primitive.keys() == _PERSON_FIELDS
            and primitive["type"] == _PERSON_TYPE
            and isinstance(primitive["name"], str)
            and primitive["plates"] == []
            and primitive["mobile"] is None
            and primitive["id_number"] is None
            and primitive["gender"] is None
            and primitive["birth_date"] is None
            and primitive["erased"] is None
        ):
            text = primitive["name"]
            name = self._names.get(text)
            if name is None:
                name = self._names[text] = PersonName(text)
            merged = primitive["merged_into"]
            return _make_person(
                primitive["party_id"], name, None, None, (), None, None, merged, None
            )
        if (
            cls is Relation
            and primitive.keys() == _OWNER_FIELDS
            and primitive["type"] == _OWNER_TYPE
            and isinstance(primitive["start"], str)
        ):
            return _make_owner(
                primitive["relation_id"],
                primitive["party_id"],
                self._day(primitive["start"]),
                self._day(primitive["until"]),
                self._day(primitive["planned_until"]),
                primitive["unit_id"],
                Decimal(primitive["share"]),
                primitive["pays_fees"],
            )
        return None


class _Growth:
    """New records added to the stored book (an import): what a commit inserts.

    ``base`` is the stored book's version they were checked at, ``head`` whether its row
    exists; ``added`` the parties, units and relations, each in the order given.
    """

    def __init__(self, base: int, head: bool, added: tuple[tuple[Any, ...], ...]) -> None:
        self.base, self.head, self.added = base, head, added


def _write_book(
    uow: SqlUnitOfWork, conn: sa.Connection, key: Hashable, expected: int, row: _Row | None
) -> None:
    version, value = cast("tuple[int, Any]", row)
    conflict = _Conflict("book", key, expected, row)
    if isinstance(value, _Growth):
        _write_growth(conn, version, expected, value, conflict, raw=uow._store._raw_sqlite)
        return
    book = cast("PartyBook", value)
    values = {"id": 1, "version": version, "document": book_head(book)}
    _versioned(uow, conn, t.party_book, [t.party_book.c.id == 1], expected, values, conflict)
    # Written at the version read, the tables hold the book this unit of work read: only the
    # records that differ from it are written (a sale changes a few), every row where it was
    # not read.
    read = uow._base.get(("book", key))
    base: PartyBook | None = None
    if read is not None and read[0] == expected:
        base = cast("PartyBook", read[1])
    else:
        for table in _RECORD_TABLES:
            conn.execute(table.delete())
    for table, records, old, key_of, row_of in zip(
        _RECORD_TABLES,
        _records(book),
        _records(base) if base is not None else ((), (), ()),
        _KEYS,
        _ROWS,
        strict=True,
    ):
        _write_changed(conn, table, records, old, key_of, row_of)


def _write_growth(
    conn: sa.Connection,
    version: int,
    expected: int,
    growth: _Growth,
    conflict: _Conflict,
    *,
    raw: bool = False,
) -> None:
    """The book's row moved on from ``expected`` (or made), then the new records inserted."""
    book = t.party_book
    if growth.head:
        moved = conn.execute(
            book.update().where(book.c.id == 1, book.c.version == expected).values(version=version)
        )
        if moved.rowcount != 1:
            raise conflict
    else:
        values = {"id": 1, "version": version, "document": book_head(PartyBook())}
        _insert(conn, book, values, conflict)
    # The book's row is this transaction's now: no other writer adds records until it ends.
    for table, records, row_of in zip(_RECORD_TABLES, growth.added, _ROWS, strict=True):
        if not records:
            continue
        last = conn.execute(sa.select(sa.func.max(table.c.seq))).scalar()
        first = 0 if last is None else last + 1
        if raw:
            _raw_records(conn, table, records, first, conflict)
            continue
        rows = [row_of(record, first + n) for n, record in enumerate(records)]
        _insert_many(conn, table, rows, conflict)


def _insert_many(
    conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]], conflict: _Conflict
) -> None:
    try:
        conn.execute(table.insert(), rows)
    except sa_exc.IntegrityError as error:
        raise conflict from error


def _party_values(party: Party, seq: int) -> tuple[Any, ...]:
    return party.party_id, seq, record_document(party, Party)


def _unit_values(unit: Unit, seq: int) -> tuple[Any, ...]:
    return unit.unit_id, unit.community, seq, record_document(unit, Unit)


def _relation_values(relation: Relation, seq: int) -> tuple[Any, ...]:
    end = relation.end
    return (
        relation.relation_id,
        relation.target,
        relation.party_id,
        # As SQLAlchemy writes a date on SQLite (see _raw_insert).
        relation.start.isoformat(),
        None if end is None else end.isoformat(),
        relation.lease_id if isinstance(relation, Tenant) else None,
        seq,
        record_document(relation, Relation),
    )


# The raw path's rows: the columns _ROWS's dictionaries name, in their order, as tuples.
_VALUES: dict[str, tuple[tuple[str, ...], Callable[[Any, int], tuple[Any, ...]]]] = {
    t.parties.name: (("party_id", "seq", "document"), _party_values),
    t.units.name: (("unit_id", "community", "seq", "document"), _unit_values),
    t.relations.name: (
        ("relation_id", "target", "party_id", "start", "until", "lease_id", "seq", "document"),
        _relation_values,
    ),
}


def _raw_records(
    conn: sa.Connection, table: sa.Table, records: Sequence[Any], first: int, conflict: _Conflict
) -> None:
    """An import's records inserted through the SQLite driver from ``seq`` ``first`` on.

    100,000 rows: SQLAlchemy's parameters, and dictionaries turned into tuples, cost more than
    SQLite's insert. The rows are those ``_ROWS`` gives, in tuples.
    """
    names, values_of = _VALUES[table.name]
    values = [values_of(record, first + n) for n, record in enumerate(records)]
    marks = ", ".join("?" * len(names))
    try:
        _driver(conn).executemany(
            f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", values
        )
    except sqlite3.IntegrityError as error:
        raise conflict from error


# How many keys one DELETE or SELECT names (SQLite's limit on a statement's parameters is far
# above).
_CHUNK = 500


def _write_changed(
    conn: sa.Connection,
    table: sa.Table,
    records: Sequence[Any],
    old: Iterable[Any],
    key_of: Callable[[Any], str],
    row_of: Callable[[Any, int], dict[str, Any]],
) -> None:
    """The rows of ``records`` that differ from ``old`` (the rows the table holds) written."""
    before = {key_of(r): (n, r) for n, r in enumerate(old)}
    changed: list[dict[str, Any]] = []
    stale: list[str] = []
    seen: set[str] = set()
    for n, record in enumerate(records):
        k = key_of(record)
        seen.add(k)
        held = before.get(k)
        if held is not None:
            # A record the book kept is the same object (a book shares what did not change);
            # one equal at the same place is written already.
            place, was = held
            if place == n and (was is record or was == record):
                continue
            stale.append(k)
        changed.append(row_of(record, n))
    stale.extend(k for k in before if k not in seen)
    (column,) = table.primary_key.columns
    for n in range(0, len(stale), _CHUNK):
        conn.execute(table.delete().where(column.in_(stale[n : n + _CHUNK])))
    if changed:
        conn.execute(table.insert(), changed)


def _write_simple(
    table: sa.Table, name: str, cls: Any, key_columns: Callable[[Any], dict[str, Any]]
) -> Callable[[SqlUnitOfWork, sa.Connection, Hashable, int, _Row | None], None]:
    def write(
        uow: SqlUnitOfWork, conn: sa.Connection, key: Hashable, expected: int, row: _Row | None
    ) -> None:
        version, value = cast("_Row", row)
        columns = key_columns(key)
        document = _dumps(value if cls is None else to_primitive(value, cls))
        where = [table.c[k] == v for k, v in columns.items()]
        conflict = _Conflict(name, key, expected, row)
        _versioned(
            uow,
            conn,
            table,
            where,
            expected,
            {**columns, "version": version, "document": document},
            conflict,
        )

    return write


def _write_entry(
    uow: SqlUnitOfWork, conn: sa.Connection, key: Hashable, expected: int, row: _Row | None
) -> None:
    kind, name = cast("tuple[str, str]", key)
    version, (value, scope, subject, at) = cast("tuple[int, tuple[Any, str, str, str]]", row)
    columns = {"kind": kind, "key": name}
    values = {
        **columns,
        "version": version,
        "scope": scope,
        "subject": subject,
        "at": at,
        "document": _dumps(to_primitive(value, KINDS[kind])),
    }
    if uow._batch is not None and not uow._exists(TABLE, key):
        # New entries (a meeting's ballots, a survey's responses) go in one statement each
        # commit; a taken key makes the commit write again row by row to name it.
        uow._batch.entries.append(values)
        return
    where = [t.entries.c[k] == v for k, v in columns.items()]
    _versioned(uow, conn, t.entries, where, expected, values, _Conflict(TABLE, key, expected, row))


class _Batch:
    """Rows of one commit written many at a time: account streams and bank references.

    A commit of a whole community (a migration, a billing run, a bank file) writes thousands
    of streams; one statement each would cost more than the documents. A batch that a unique
    key refuses, or whose update finds a stream moved on, raises :class:`_Retry`, and the
    commit writes again row by row to name the conflict.
    """

    def __init__(self) -> None:
        self.accounts: list[tuple[AccountId, int, Stream]] = []
        # Streams read in the unit of work: their rows' updates, and the events they gain.
        self.updated: list[dict[str, Any]] = []
        self.appended: list[tuple[AccountId, int, int, tuple[AccountEvent, ...]]] = []
        self.receipts: list[dict[str, Any]] = []
        self.entries: list[dict[str, Any]] = []

    def flush(self, uow: SqlUnitOfWork, conn: sa.Connection) -> None:
        encoder = uow._store.decoder
        events: list[dict[str, Any]] = []
        statements: list[dict[str, Any]] = []
        try:
            if self.updated:
                self._update(conn)
                for account_id, stream_id, expected, new in self.appended:
                    texts = [encoder.dump_event(e) for e in new]
                    _event_rows(account_id, stream_id, expected, new, texts, events, statements)
            if self.accounts:
                self._insert_accounts(encoder, conn, events, statements)
            raw = uow._store._raw_sqlite
            for table, rows in (
                (t.account_events, events),
                (t.statements, statements),
                (t.receipts, self.receipts),
            ):
                if rows and raw:
                    _raw_insert(conn, table, rows)
                elif rows:
                    conn.execute(table.insert(), rows)
            if self.entries:
                conn.execute(t.entries.insert(), self.entries)
        except (sa_exc.IntegrityError, sqlite3.IntegrityError) as error:
            raise _Retry from error

    def _insert_accounts(
        self,
        encoder: Decoder,
        conn: sa.Connection,
        events: list[dict[str, Any]],
        statements: list[dict[str, Any]],
    ) -> None:
        """The new streams' rows, their ids given back; their events' rows to ``events``."""
        rows = []
        documents: list[list[str]] = []
        for account_id, version, stream in self.accounts:
            texts = [encoder.dump_event(e) for e in stream.events]
            settings = encoder.dump_settings(stream.account)
            rows.append(
                {
                    "community": account_id.community,
                    "unit_id": account_id.unit_id,
                    "billed_party": _party_column(account_id.billed_party),
                    "version": version,
                    "snapshot": encoder.snapshot_of(settings, texts),
                    "settings": settings,
                    "settled_from": settled_from(stream.account),
                }
            )
            documents.append(texts)
        inserted = conn.execute(
            t.accounts.insert().returning(t.accounts.c.stream_id, sort_by_parameter_order=True),
            rows,
        )
        ids = [r[0] for r in inserted]
        for (account_id, _version, stream), stream_id, texts in zip(
            self.accounts, ids, documents, strict=True
        ):
            _event_rows(account_id, stream_id, 0, stream.events, texts, events, statements)

    def _update(self, conn: sa.Connection) -> None:
        """Each stream read updated at its version read; a stream moved on makes a retry."""
        if not conn.dialect.supports_sane_multi_rowcount:  # pragma: no cover - psycopg's is
            for values in self.updated:
                if conn.execute(_UPDATE_ACCOUNT, values).rowcount != 1:
                    raise _Retry
            return
        if conn.execute(_UPDATE_ACCOUNT, self.updated).rowcount != len(self.updated):
            raise _Retry


def _event_rows(
    account_id: AccountId,
    stream_id: int,
    expected: int,
    new: Iterable[AccountEvent],
    texts: list[str],
    events: list[dict[str, Any]],
    statements: list[dict[str, Any]],
) -> None:
    """The rows of a stream's ``new`` events, numbered after ``expected``, added to the lists."""
    for n, (posted, text) in enumerate(zip(new, texts, strict=True), start=expected + 1):
        events.append({"stream_id": stream_id, "version": n, "document": text})
        if isinstance(posted, Statement):
            statements.append(_statement_row(account_id, posted, stream_id, n))


class _Retry(Exception):
    """A batch a unique key refused: write again row by row to find which."""


def settled_from(account: Account) -> datetime.date | None:
    """The day from which ``account`` owes nothing, or None while it owes something.

    On and after its last event's day an account's balance is its final fold, and a statement
    whose principal is settled stops accruing late fees: owing nothing that day, it owes
    nothing on any later one. Before it, earlier events alone may leave something owing.
    """
    if not account.events:
        return datetime.date.min
    # Events are in replay order, by the day they take effect first (a statement's: its issue).
    event = account.events[-1]
    last = event.issued_on if isinstance(event, Statement) else event.on
    return None if account.owes(last) else last


def _statement_row(
    account_id: AccountId, statement: Statement, stream_id: int, version: int
) -> dict[str, Any]:
    return {
        "community": account_id.community,
        "period_start": statement.period.start,
        "number": statement.number,
        "unit_id": account_id.unit_id,
        "billed_party": _party_column(account_id.billed_party),
        "period_months": statement.period.months,
        "stream_id": stream_id,
        "version": version,
    }


def _write_account(
    uow: SqlUnitOfWork, conn: sa.Connection, key: Hashable, expected: int, row: _Row | None
) -> None:
    account_id = cast("AccountId", key)
    version, stream = cast("tuple[int, Stream | _SqlStream]", row)
    batch = uow._batch
    if not uow._exists("account", key) and batch is not None:
        batch.accounts.append((account_id, version, cast("Stream", stream)))
        return
    encoder = uow._store.decoder
    snapshot = encoder.dump_snapshot(stream.account)
    new = stream.since(expected)
    if batch is not None and isinstance(stream, _SqlStream):
        # Read in this unit of work, so its stream id is known: updated with the others in
        # one statement, its new events inserted with theirs.
        batch.updated.append(
            {
                "b_stream_id": stream.stream_id,
                "b_expected": expected,
                "b_version": version,
                "b_snapshot": snapshot,
                "b_settled_from": settled_from(stream.account),
            }
        )
        batch.appended.append((account_id, stream.stream_id, expected, new))
        return
    conflict = _Conflict("account", key, expected, row)
    where = _SPECS["account"].where(account_id)
    if not uow._exists("account", key):
        values = {
            "community": account_id.community,
            "unit_id": account_id.unit_id,
            "billed_party": _party_column(account_id.billed_party),
            "version": version,
            "snapshot": snapshot,
            "settings": encoder.dump_settings(stream.account),
            "settled_from": settled_from(stream.account),
        }
        stream_id = _insert(conn, t.accounts, values, conflict).inserted_primary_key[0]
    else:
        changed = conn.execute(
            t.accounts.update()
            .where(*where, t.accounts.c.version == expected)
            .values(version=version, snapshot=snapshot, settled_from=settled_from(stream.account))
            .returning(t.accounts.c.stream_id)
        ).first()
        if changed is None:
            raise conflict
        stream_id = changed[0]
    if not new:
        return
    conn.execute(
        t.account_events.insert(),
        [
            {"stream_id": stream_id, "version": n, "document": encoder.dump_event(e)}
            for n, e in enumerate(new, start=expected + 1)
        ],
    )
    statements = [
        _statement_row(account_id, e, stream_id, n)
        for n, e in enumerate(new, start=expected + 1)
        if isinstance(e, Statement)
    ]
    if statements:
        conn.execute(t.statements.insert(), statements)


# An account read in the unit of work, written at the version read: by stream id, many rows
# a statement (the bind names differ from the columns', as an UPDATE's must).
_UPDATE_ACCOUNT = (
    t.accounts.update()
    .where(
        t.accounts.c.stream_id == sa.bindparam("b_stream_id"),
        t.accounts.c.version == sa.bindparam("b_expected"),
    )
    .values(
        version=sa.bindparam("b_version"),
        snapshot=sa.bindparam("b_snapshot"),
        settled_from=sa.bindparam("b_settled_from"),
    )
)


def _write_receipt(
    uow: SqlUnitOfWork, conn: sa.Connection, key: Hashable, expected: int, row: _Row | None
) -> None:
    community, reference = cast("tuple[str, str]", key)
    posted = cast("PostedReceipt", cast("_Row", row)[1])
    values = {
        "community": community,
        "reference": reference,
        "unit_id": posted.account.unit_id,
        "billed_party": _party_column(posted.account.billed_party),
        "document": uow._store.decoder.dump_event(posted.receipt, tagged=False),
    }
    if uow._batch is not None:
        uow._batch.receipts.append(values)
        return
    _insert(conn, t.receipts, values, _Conflict("receipt", key, expected, row))


def _write_request(
    uow: SqlUnitOfWork, conn: sa.Connection, key: Hashable, expected: int, row: _Row | None
) -> None:
    version, request = cast("tuple[int, Request]", row)
    conflict = _Conflict("request", key, expected, row)
    where = [t.requests.c.request_id == key]
    values = {"request_id": key, "requester": request.intake.requester, "version": version}
    _versioned(uow, conn, t.requests, where, expected, values, conflict)
    new = request.history[expected:]
    if new:
        conn.execute(
            t.request_steps.insert(),
            [
                {"request_id": key, "version": n, "document": _dumps(to_primitive(s, Step))}
                for n, s in enumerate(new, start=expected + 1)
            ],
        )


def _write_next(
    uow: SqlUnitOfWork, conn: sa.Connection, key: Hashable, expected: int, row: _Row | None
) -> None:
    version, at = cast("tuple[int, pendulum.DateTime | None]", row)
    values = {
        "request_id": key,
        "version": version,
        "next_action_at": at,
        "document": None if at is None else _dumps(to_primitive(at, pendulum.DateTime)),
    }
    conflict = _Conflict("next_action", key, expected, row)
    _versioned(
        uow, conn, t.next_actions, [t.next_actions.c.request_id == key], expected, values, conflict
    )


def _write_survey(
    uow: SqlUnitOfWork, conn: sa.Connection, key: Hashable, expected: int, row: _Row | None
) -> None:
    community, response = cast("tuple[str, SurveyResponse]", cast("_Row", row)[1])
    values = {
        "response_id": key,
        "community": community,
        "answered_at": response.answered_at,
        "document": _dumps(to_primitive(response, SurveyResponse)),
    }
    _insert(conn, t.surveys, values, _Conflict("survey", key, expected, row))


def _write_dunning(
    uow: SqlUnitOfWork, conn: sa.Connection, key: Hashable, expected: int, row: _Row | None
) -> None:
    account, step = cast("tuple[AccountId, StepTaken]", key)
    values = {
        "step_key": _step_key(account, step),
        "community": account.community,
        "unit_id": account.unit_id,
        "billed_party": _party_column(account.billed_party),
        "taken_on": step.taken_on,
        "document": _dumps(to_primitive(step, StepTaken)),
    }
    _insert(conn, t.dunning, values, _Conflict("dunning", key, expected, row))


def _write_alert(
    uow: SqlUnitOfWork, conn: sa.Connection, key: Hashable, expected: int, row: _Row | None
) -> None:
    alert = cast("SlaAlert", cast("_Row", row)[1])
    values = {
        "alert_key": _alert_key(alert),
        "request_id": alert.request_id,
        "document": _dumps(to_primitive(alert, SlaAlert)),
    }
    _insert(conn, t.alerts, values, _Conflict("alert", key, expected, row))


_WRITERS: dict[str, Callable[[SqlUnitOfWork, sa.Connection, Hashable, int, _Row | None], None]] = {
    "book": _write_book,
    "tariff": _write_simple(t.tariffs, "tariff", Tariff, lambda key: {"name": key}),
    "price_lists": _write_simple(
        t.price_lists, "price_lists", PriceLists, lambda key: {"community": key}
    ),
    "account": _write_account,
    "receipt": _write_receipt,
    "request": _write_request,
    "next_action": _write_next,
    "survey": _write_survey,
    "dunning": _write_dunning,
    "alert": _write_alert,
    "record": _write_simple(t.records, "record", None, lambda key: {"kind": key[0], "key": key[1]}),
    TABLE: _write_entry,
}
# Streams before the rows that refer to them; then the rest, each table in one order.
_ORDER = {name: n for n, name in enumerate(_WRITERS)}


# -- the repositories: the in-memory adapter's, with the daily queries on the indexes --------


def _token(after: str, query: str, size: int) -> list[str]:
    """The key parts of a page token of ``query``, each text (as every key column is)."""
    parts = decode_token(after, query, size)
    if not all(isinstance(part, str) for part in parts):
        raise InvalidPageToken(
            f"page token {after!r} is not a token of the {query} query.",
            field="after",
            value=after,
            allowed=f"a token the {query} query gave",
        )
    return cast("list[str]", parts)


def _chunked(
    uow: SqlUnitOfWork, query: sa.Select[Any], column: sa.ColumnElement[Any], keys: Iterable[str]
) -> Iterator[Any]:
    """The rows of ``query`` whose ``column`` is one of ``keys``, a few hundred keys a statement."""
    # Sorted for the index's locality; de-duplicated keeping their order first, because a
    # file's ids usually come in order, which the sort then only checks (a set would shuffle
    # 100,000 ids for it to sort again).
    ordered = sorted(dict.fromkeys(keys))
    if uow._store._raw_sqlite:
        # Through the driver, as _raw_first: an import looks up 100,000 ids, and SQLAlchemy's
        # expanding parameters cost more than SQLite's lookups. The columns read are text
        # and integers, which need no conversion.
        head = str(query.compile(dialect=uow._store._engine.dialect))
        where = f"{column.table.name}.{column.name}"
        driver = _driver(uow._open())
        for n in range(0, len(ordered), _CHUNK):
            chunk = ordered[n : n + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            yield from driver.execute(f"{head} WHERE {where} IN ({marks})", chunk)
        return
    # One statement, compiled once, whatever the keys (an expanding parameter).
    chunked = query.where(column.in_(sa.bindparam("keys", expanding=True)))
    for n in range(0, len(ordered), _CHUNK):
        yield from uow._open().execute(chunked, {"keys": ordered[n : n + _CHUNK]})


def _part(
    uow: SqlUnitOfWork,
    head: Any,
    parties: Sequence[Party],
    units: Sequence[Unit],
    relations: Sequence[Relation],
) -> PartyBook:
    """The stored records new ones touch: a book of its own, on which they are checked.

    What :meth:`PartyBook.with_records` reads of a book for them: the stored records with their
    ids; every relation to the units and organisations they are or name, and to those of the
    leases among them (closed over: a lease's other tenancies, their units' relations); every
    party those relations name, and the parties those were merged into. Each rule is checked
    on the relations of one target, one lease or one party's merge, so the part keeps every
    rule the whole book keeps (it is built, and checked, as any book is), and the new records
    break a rule of the part exactly when they break it in the whole book.
    """
    c = t.relations.c
    found: dict[str, dict[str, tuple[int, Any]]] = {"parties": {}, "units": {}, "relations": {}}

    decode = RecordDecoder()

    def read(table: sa.Table, name: str, cls: Any, column: Any, keys: Iterable[str]) -> list[Any]:
        (key_column,) = table.primary_key.columns
        fresh = []
        query = sa.select(key_column, table.c.seq, table.c.document)
        for key, seq, document in _chunked(uow, query, column, keys):
            if key not in found[name]:
                record = decode(document, cls)
                found[name][key] = (seq, record)
                fresh.append(record)
        return fresh

    relation_ids = [r.relation_id for r in relations]
    targets = {u.unit_id for u in units} | {r.target for r in relations}
    leases = {r.lease_id for r in relations if isinstance(r, Tenant)}
    for record in read(t.relations, "relations", Relation, c.relation_id, relation_ids):
        targets.add(record.target)
    done_targets: set[str] = set()
    done_leases: set[str] = set()
    while targets - done_targets or leases - done_leases:
        new_targets, new_leases = targets - done_targets, leases - done_leases
        done_targets |= new_targets
        done_leases |= new_leases
        for record in read(t.relations, "relations", Relation, c.target, new_targets):
            if isinstance(record, Tenant):
                leases.add(record.lease_id)
        for record in read(t.relations, "relations", Relation, c.lease_id, new_leases):
            targets.add(record.target)
    read(t.units, "units", Unit, t.units.c.unit_id, targets | {u.unit_id for u in units})
    every = [*relations, *(r for _seq, r in found["relations"].values())]
    wanted = (
        {p.party_id for p in parties}
        | {p.merged_into for p in parties if p.merged_into is not None}
        | {r.party_id for r in every}
        # The organisations relations name (an agency's contacts, a committee's members).
        | {r.target for r in every if not isinstance(r, _UNIT_RELATION_TYPES)}
    )
    while wanted:
        fresh = read(t.parties, "parties", Party, t.parties.c.party_id, wanted)
        wanted = {p.merged_into for p in fresh if p.merged_into is not None}
    policy = PartyBook().policy
    if head is not None:
        policy = cast("PartyBook", _loads(head.document, PartyBook)).policy
    ordered = [
        [record for _seq, record in sorted(found[name].values(), key=lambda item: item[0])]
        for name in ("parties", "units", "relations")
    ]
    return PartyBook(*ordered, policy=policy)


def _plain_owners(
    uow: SqlUnitOfWork,
    parties: Sequence[Party],
    units: Sequence[Unit],
    relations: Sequence[Relation],
) -> bool:
    """Whether new owners alone break no rule of the stored book, found by indexed lookups.

    An import of owners, each of a unit of its own that nothing is related to yet, which has no
    dated facts, to a party not merged away: on such a unit the owner is the only relation, so
    no rule of a pair (exclusivity, overlapping shares) applies, a unit not handed over needs no
    owner yet, and what with_records checks comes down to ids (the relation's new, its party
    and unit stored). Found so, the records are added as with_records would (it would return
    the book with them); anything else, or anything not found so, is checked on the book's part
    (:func:`_part`), which gives the refusal. ``tests/test_storage_sql.py`` checks that whatever
    this accepts, with_records accepts on the whole book.
    """
    if parties or units or not relations or not all(type(r) is Owner for r in relations):
        return False
    ids = dict.fromkeys(r.relation_id for r in relations)
    targets = dict.fromkeys(r.target for r in relations)
    if len(ids) != len(relations) or len(targets) != len(relations):
        return False
    c = t.relations.c
    if _any_stored(uow, t.relations, ids):
        return False
    if any(True for _ in _chunked(uow, sa.select(c.target), c.target, targets)):
        return False
    u, p = t.units.c, t.parties.c
    named = dict.fromkeys(r.party_id for r in relations)
    return _all_end(uow, u.unit_id, u.document, targets, _NO_FACTS) and _all_end(
        uow, p.party_id, p.document, named, _NOT_MERGED
    )


def _all_end(
    uow: SqlUnitOfWork,
    key: sa.ColumnElement[Any],
    document: sa.ColumnElement[Any],
    keys: Collection[str],
    ending: str,
) -> bool:
    """Whether every one of ``keys`` is stored, its document ending with ``ending``.

    Counted in the database, a few hundred keys a query, rather than 100,000 documents read: a
    document that ends otherwise may still mean the same, but then the caller takes the
    reference path, which is never wrong.
    """
    if "'" in ending:  # pragma: no cover - the endings are the module's constants
        raise AssertionError(ending)
    # Literals, not parameters: the raw SQLite path appends the keys' parameters to the text.
    one: sa.ColumnElement[int] = sa.literal_column("1")
    zero: sa.ColumnElement[int] = sa.literal_column("0")
    tail = sa.func.substr(
        document, sa.func.length(document) - sa.literal_column(str(len(ending) - 1))
    )
    ends = sa.case((tail == sa.literal_column(f"'{ending}'"), one), else_=zero)
    query = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(ends), zero))
    found = matching = 0
    for count, match in _chunked(uow, query, key, keys):
        found += count
        matching += match
    return found == matching == len(keys)


# How a unit's document ends when it has no facts, and a person's when not merged away (nor
# erased): a document (a JSON object) that ends so has that member last, and the converter
# writes each member once. A document that ends otherwise sends the import the reference way
# (see _all_end).
_NO_FACTS = ',"facts":[]}'
_NOT_MERGED = ',"merged_into":null,"erased":null}'


# Printable ASCII without a space, at most 64 characters: ids check_key accepts as they are.
_PLAIN_ID = re.compile(r"[!-~]{1,64}")


def _plain_ids(*ids: object) -> tuple[tuple[str, ...], ...] | None:
    """taken_arguments' ids where each is a list or tuple of plain ids; else None.

    An import asks about 100,000 ids, which taken_arguments checks one by one; lists of ids
    this accepts are ids it accepts, given back as it gives them (tested), and anything else
    goes to it for its checks and refusals.
    """
    plain = _PLAIN_ID.fullmatch
    for value in ids:
        if type(value) not in (list, tuple):
            return None
        for item in cast("Sequence[object]", value):
            if type(item) is not str or not plain(item):
                return None
    return tuple(tuple(cast("Sequence[str]", value)) for value in ids)


def _any_stored(uow: SqlUnitOfWork, table: sa.Table, ids: Collection[str]) -> bool:
    """Whether any of ``ids`` is a stored key of ``table`` (of the party book's record tables).

    Ids that taken() found absent in this read transaction are not looked up again, unless
    the unit of work has changed the book since (then its writes are pending).
    """
    absent = None if uow._pending("book") else uow._absent.get(table.name)
    unknown = ids if absent is None else [k for k in ids if k not in absent]
    if not unknown:
        return False
    (column,) = table.primary_key.columns
    return any(True for _ in _chunked(uow, sa.select(column), column, unknown))


def _plain_units(
    uow: SqlUnitOfWork,
    parties: Sequence[Party],
    units: Sequence[Unit],
    relations: Sequence[Relation],
) -> bool:
    """Whether new units alone break no rule of the stored book, found by indexed lookups.

    Units without dated facts (not handed over: no rule asks them to be owned yet), each id
    once, none stored, and none the target of a stored relation: with_records checks no more
    of them (their ids, and the rules of the relations to them, which are none). Anything else
    is checked on the book's part; ``tests/test_storage_sql.py`` checks that what this accepts,
    with_records accepts.
    """
    if parties or relations or not units or not all(type(u) is Unit and not u.facts for u in units):
        return False
    ids = dict.fromkeys(u.unit_id for u in units)
    if len(ids) != len(units):
        return False
    if _any_stored(uow, t.units, ids):
        return False
    r = t.relations.c
    return not any(True for _ in _chunked(uow, sa.select(r.target), r.target, ids))


def _plain_parties(
    uow: SqlUnitOfWork,
    parties: Sequence[Party],
    units: Sequence[Unit],
    relations: Sequence[Relation],
) -> bool:
    """Whether new parties alone break no rule of the stored book, found by an indexed lookup.

    Parties not merged into another, each id once and none stored: with_records checks no
    more of them (no relation names a party the book lacks, and a party not merged away has
    no merge to check). Anything else is checked on the book's part;
    ``tests/test_storage_sql.py`` checks that what this accepts, with_records accepts.
    """
    if units or relations or not parties or any(p.merged_into is not None for p in parties):
        return False
    ids = dict.fromkeys(p.party_id for p in parties)
    if len(ids) != len(parties):
        return False
    return not _any_stored(uow, t.parties, ids)


class _SqlParties(Parties):
    _uow: Any

    def _book_pending(self) -> bool:
        return bool(self._uow._pending("book"))

    def book(self) -> Versioned[PartyBook]:
        row = self._uow._row("book", _BOOK)
        if row is not None and isinstance(row[1], _Growth):
            # Records added in this unit of work: the stored book with them, as it will be.
            stored = self._uow._load("book", _BOOK)
            base = PartyBook() if stored is None else cast("PartyBook", stored[1])
            return Versioned(base.with_records(*row[1].added), row[0])
        return super().book()

    def add_records(
        self,
        parties: Iterable[Party] = (),
        units: Iterable[Unit] = (),
        relations: Iterable[Relation] = (),
    ) -> int:
        if self._book_pending() or ("book", _BOOK) in self._uow._read:
            return super().add_records(parties, units, relations)
        # The arguments as with_records checks them first (the same refusal for a bad one).
        added = (
            check_items(parties, "parties", Person, Organisation),
            check_items(units, "units", Unit),
            check_items(relations, "relations", *_RELATION_TYPES),
        )
        head = self._uow._execute(
            sa.select(t.party_book.c.version, t.party_book.c.document).where(t.party_book.c.id == 1)
        ).first()
        version = 0 if head is None else int(head.version)
        if not (
            _plain_owners(self._uow, *added)
            or _plain_units(self._uow, *added)
            or _plain_parties(self._uow, *added)
        ):
            part = _part(self._uow, head, *added)
            # The rules, checked on the part as on the whole book: the same refusal, if any.
            part.with_records(*added)
        self._uow._write(
            "book", _BOOK, version, (version + 1, _Growth(version, head is not None, added))
        )
        return version + 1

    def taken(
        self,
        parties: Iterable[str] = (),
        units: Iterable[str] = (),
        relations: Iterable[str] = (),
    ) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        if self._book_pending():
            return super().taken(parties, units, relations)
        wanted = _plain_ids(parties, units, relations) or taken_arguments(parties, units, relations)
        found = []
        for table, ids in zip(_RECORD_TABLES, wanted, strict=True):
            (column,) = table.primary_key.columns
            stored = frozenset(k for (k,) in _chunked(self._uow, sa.select(column), column, ids))
            found.append(stored)
            if ids:
                absent = self._uow._absent.setdefault(table.name, set())
                absent.update(k for k in ids if k not in stored)
        return found[0], found[1], found[2]

    def party(self, party_id: str) -> Party:
        if self._book_pending():
            return super().party(party_id)
        key = check_key(party_id, "party_id")
        found = self._uow._execute(
            sa.select(t.parties.c.document).where(t.parties.c.party_id == key)
        ).first()
        if found is None:
            raise not_found(f"party {party_id!r}")
        return cast("Party", _loads(found[0], Party))

    def unit(self, unit_id: str) -> Unit:
        if self._book_pending():
            return super().unit(unit_id)
        key = check_key(unit_id, "unit_id")
        found = self._uow._execute(
            sa.select(t.units.c.document).where(t.units.c.unit_id == key)
        ).first()
        if found is None:
            raise not_found(f"unit {unit_id!r}")
        return cast("Unit", _loads(found[0], Unit))

    def units(self, community: str, *, limit: int = 100, after: str | None = None) -> Page[Unit]:
        if self._book_pending():
            return super().units(community, limit=limit, after=after)
        where = [t.units.c.community == check_key(community, "community")]
        size = check_limit(limit)
        if after is not None:
            (last,) = _token(after, "units", 1)
            where.append(t.units.c.unit_id > last)
        query = sa.select(t.units.c.document).where(*where).order_by(t.units.c.unit_id)
        found = [_loads(doc, Unit) for (doc,) in self._uow._execute(query.limit(size + 1))]
        more = len(found) > size
        chosen = found[:size]
        return Page(tuple(chosen), encode_token("units", [chosen[-1].unit_id]) if more else None)

    def related_to_unit(self, unit_id: str, on: datetime.date) -> tuple[Relation, ...]:
        if self._book_pending():
            return super().related_to_unit(unit_id, on)
        day = as_date(on, "on")
        c = t.relations.c
        query = sa.select(c.document).where(
            c.target == check_key(unit_id, "unit_id"),
            c.start <= day,
            sa.or_(c.until.is_(None), c.until > day),
        )
        found = [cast("Relation", _loads(doc, Relation)) for (doc,) in self._uow._execute(query)]
        return tuple(sorted(found, key=lambda r: (r.start, r.relation_id)))


class _SqlAccounts(Accounts):
    _uow: Any

    def replay(self, account_id: AccountId) -> Versioned[Account]:
        if self._uow._pending("account"):
            return super().replay(account_id)
        check_instance(account_id, "account_id", AccountId)
        where = _SPECS["account"].where(account_id)
        c = t.accounts.c
        found = self._uow._execute(
            sa.select(c.stream_id, c.version, c.settings).where(*where)
        ).first()
        if found is None:
            raise not_found(f"account {account_id}")
        query = (
            sa.select(t.account_events.c.document)
            .where(t.account_events.c.stream_id == found.stream_id)
            .order_by(t.account_events.c.version)
        )
        decoder = self._uow._store.decoder
        events = tuple([decoder.event(doc) for (doc,) in self._uow._execute(query)])
        return Versioned(decoder.account(found.settings, events), found.version)

    def replay_all(
        self, community: str, *, batch: int = 1000
    ) -> Iterator[tuple[AccountId, Versioned[Account]]]:
        """Every account of a community rebuilt from its events, by unit: a few queries a batch.

        What a nightly job or a migration reads; :meth:`replay` one by one costs two queries
        an account. Committed accounts only (this unit's own writes are not in it).
        """
        check_key(community, "community")
        size = check_limit(batch)
        pause = self._uow._store.pause_gc
        with gc_kept(pause) as keep:
            yield from self._replayed(community, size, keep)

    def _replayed(
        self, community: str, size: int, keep: Callable[[], None]
    ) -> Iterator[tuple[AccountId, Versioned[Account]]]:
        c = t.accounts.c
        decoder = self._uow._store.decoder
        position: tuple[str, str] | None = None
        while True:
            where = [c.community == community]
            if position is not None:
                where.append(sa.tuple_(c.unit_id, c.billed_party) > sa.tuple_(*position))
            heads = self._uow._execute(
                sa.select(c.stream_id, c.unit_id, c.billed_party, c.version, c.settings)
                .where(*where)
                .order_by(c.unit_id, c.billed_party)
                .limit(size)
            ).all()
            if not heads:
                return
            events: dict[int, list[AccountEvent]] = {h.stream_id: [] for h in heads}
            with gc_paused(self._uow._store.pause_gc):
                for stream_id, document in self._event_rows(list(events)):
                    events[stream_id].append(decoder.event(document))
                done = [
                    (
                        _account_id(community, h.unit_id, h.billed_party),
                        Versioned(
                            decoder.account(h.settings, tuple(events[h.stream_id])), h.version
                        ),
                    )
                    for h in heads
                ]
                keep()
            yield from done
            if len(heads) < size:
                return
            position = (heads[-1].unit_id, heads[-1].billed_party)

    def _event_rows(self, streams: list[int]) -> Iterable[tuple[int, str]]:
        """The events of ``streams`` as (stream, document), in stream and version order.

        On SQLite through the driver itself, in the unit's read transaction, as a lookup by
        key is (see ``_raw_first``): a community's replay reads some 140,000 rows of two plain
        columns, and SQLAlchemy's rows cost a fifth of reading them.
        """
        e = t.account_events.c
        uow = self._uow
        if uow._store._raw_sqlite:
            marks = ", ".join("?" * len(streams))
            return cast(
                "list[tuple[int, str]]",
                _driver(uow._open())
                .execute(
                    f"SELECT stream_id, document FROM {t.account_events.name} "
                    f"WHERE stream_id IN ({marks}) ORDER BY stream_id, version",
                    streams,
                )
                .fetchall(),
            )
        query = (
            sa.select(e.stream_id, e.document)
            .where(e.stream_id.in_(streams))
            .order_by(e.stream_id, e.version)
        )
        return cast("Iterable[tuple[int, str]]", uow._execute(query))

    def of_unit(self, community: str, unit_id: str) -> tuple[AccountId, ...]:
        c = t.accounts.c
        where = (
            c.community == check_key(community, "community"),
            c.unit_id == check_key(unit_id, "unit_id"),
        )
        with self._uow._scoped("account", *where):
            return super().of_unit(community, unit_id)

    def _page_of_community(
        self, community: str, day: datetime.date, after: tuple[str, str] | None, size: int
    ) -> list[Any]:
        """The next ``size`` rows of a community's accounts that may owe on ``day``."""
        c = t.accounts.c
        where = [c.community == community, sa.or_(c.settled_from.is_(None), c.settled_from > day)]
        if after is not None:
            where.append(sa.tuple_(c.unit_id, c.billed_party) > sa.tuple_(*after))
        query = sa.select(t.accounts).where(*where).order_by(c.unit_id, c.billed_party).limit(size)
        return list(self._uow._execute(query))

    def arrears(
        self,
        community: str,
        as_of: datetime.date,
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[ArrearsEntry]:
        if self._uow._pending("account"):
            with self._uow._scoped("account", t.accounts.c.community == community):
                return super().arrears(community, as_of, limit=limit, after=after)
        day = as_date(as_of, "as_of")
        size = check_limit(limit)
        check_key(community, "community")
        position: tuple[str, str] | None = None
        if after is not None:
            start = decode_token(after, "arrears", 4)
            if start[0] != day.isoformat():
                raise InvalidPageToken(
                    f"page token {after!r} is of the arrears as of {start[0]}, not "
                    f"{day.isoformat()}.",
                    field="after",
                    value=after,
                    allowed=f"a token of the arrears as of {day.isoformat()}",
                )
            position = (str(start[1]), str(start[3]))
        with gc_paused(self._uow._store.pause_gc):
            return self._arrears_page(community, day, size, position)

    def _arrears_page(
        self, community: str, day: pendulum.Date, size: int, position: tuple[str, str] | None
    ) -> Page[ArrearsEntry]:
        items: list[ArrearsEntry] = []
        last: AccountId | None = None
        # A page needs size + 1 owing accounts (the last tells there is a next page): read
        # that many first, more only while settled ones are skipped; each row is decoded only
        # when it is reached, so a page decodes what it shows and one more.
        wanted = size + 1
        while True:
            batch = self._page_of_community(community, day, position, wanted)
            for row in batch:
                key, (_version, stream) = _decode_account(self._uow, row)
                overdue = tuple(s for s in stream.account.owed(day) if s.due_on < day)
                if not overdue:
                    continue
                if len(items) == size:
                    token = encode_token(
                        "arrears", [day.isoformat(), *cast("AccountId", last).sort_key]
                    )
                    return Page(tuple(items), token)
                items.append(ArrearsEntry(cast("AccountId", key), day, overdue))
                last = cast("AccountId", key)
            if len(batch) < wanted:
                return Page(tuple(items), None)
            position = (batch[-1].unit_id, batch[-1].billed_party)
            wanted = min(2 * wanted, max(size + 1, _SCAN_BATCH))

    def statements(
        self,
        community: str,
        period: BillingPeriod,
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Statement]:
        check_instance(period, "period", BillingPeriod)
        if self._uow._pending("account"):
            with self._uow._scoped("account", t.accounts.c.community == community):
                return super().statements(community, period, limit=limit, after=after)
        size = check_limit(limit)
        s, e = t.statements.c, t.account_events.c
        where = [
            s.community == check_key(community, "community"),
            s.period_start == period.start,
            s.period_months == period.months,
        ]
        if after is not None:
            number, unit_id, _mark, party = _token(after, "statements", 4)
            where.append(
                sa.tuple_(s.number, s.unit_id, s.billed_party) > sa.tuple_(number, unit_id, party)
            )
        query = (
            sa.select(s.number, s.unit_id, s.billed_party, e.document)
            .join(t.account_events, sa.and_(e.stream_id == s.stream_id, e.version == s.version))
            .where(*where)
            .order_by(s.number, s.unit_id, s.billed_party)
            .limit(size + 1)
        )
        decode = self._uow._store.decoder.event
        found = [
            (r.number, r.unit_id, r.billed_party, decode(r.document))
            for r in self._uow._execute(query)
        ]
        chosen = found[:size]
        token = None
        if len(found) > size:
            number, unit_id, party, _statement = chosen[-1]
            token = encode_token(
                "statements", [number, *_account_id(community, unit_id, party).sort_key]
            )
        return Page(tuple(cast("Statement", item[3]) for item in chosen), token)


class _SqlRequests(Requests):
    _uow: Any

    def of_requester(self, party_id: str) -> tuple[Request, ...]:
        where = t.requests.c.requester == check_key(party_id, "party_id")
        with self._uow._scoped("request", where):
            return super().of_requester(party_id)

    def due_before(
        self, instant: datetime.datetime, *, limit: int = 100, after: str | None = None
    ) -> Page[DueRequest]:
        when = aware(instant, field="instant")
        c = t.next_actions.c
        if self._uow._pending("next_action"):
            with self._uow._scoped("next_action", c.next_action_at <= when):
                return super().due_before(when, limit=limit, after=after)
        size = check_limit(limit)
        where = [c.next_action_at.is_not(None), c.next_action_at <= when]
        if after is not None:
            at, request_id = _token(after, "due_before", 2)
            try:
                since = pendulum.parse(at)
            except (ValueError, TypeError) as error:
                raise InvalidPageToken(
                    f"page token {after!r} is not one this store gave.",
                    field="after",
                    value=after,
                    allowed="the next token of the previous page",
                    error=error,
                ) from error
            where.append(
                sa.tuple_(c.next_action_at, c.request_id)
                > sa.tuple_(sa.literal(since, t.UtcInstant()), sa.literal(request_id))
            )
        query = (
            sa.select(c.request_id, c.document)
            .where(*where)
            .order_by(c.next_action_at, c.request_id)
            .limit(size + 1)
        )
        found = [
            DueRequest(r.request_id, _loads(r.document, pendulum.DateTime))
            for r in self._uow._execute(query)
        ]
        chosen = found[:size]
        token = None
        if len(found) > size:
            last = chosen[-1]
            token = encode_token(
                "due_before", [last.next_action_at.in_tz("UTC").isoformat(), last.request_id]
            )
        return Page(tuple(chosen), token)


class _SqlSurveys(Surveys):
    _uow: Any

    def answered(
        self, community: str, since: datetime.datetime, until: datetime.datetime
    ) -> tuple[SurveyResponse, ...]:
        first, last = aware(since, field="since"), aware(until, field="until")
        c = t.surveys.c
        where = (c.community == community, c.answered_at >= first, c.answered_at < last)
        with self._uow._scoped("survey", *where):
            return super().answered(community, first, last)


class _SqlDunning(Dunning):
    _uow: Any

    def taken(self, account_id: AccountId) -> tuple[StepTaken, ...]:
        check_instance(account_id, "account_id", AccountId)
        c = t.dunning.c
        where = (
            c.community == account_id.community,
            c.unit_id == account_id.unit_id,
            c.billed_party == _party_column(account_id.billed_party),
        )
        with self._uow._scoped("dunning", *where):
            return super().taken(account_id)

    def taken_between(
        self, community: str, first: datetime.date, last: datetime.date
    ) -> tuple[StepTaken, ...]:
        start, end = as_date(first, "first"), as_date(last, "last")
        c = t.dunning.c
        where = (c.community == community, c.taken_on >= start, c.taken_on <= end)
        with self._uow._scoped("dunning", *where):
            return super().taken_between(community, start, end)


class _SqlAlerts(Alerts):
    _uow: Any

    def alerts(self, request_id: str) -> tuple[SlaAlert, ...]:
        with self._uow._scoped("alert", t.alerts.c.request_id == request_id):
            return super().alerts(request_id)

    def ledger(self, request_ids: Iterable[str]) -> Any:
        wanted = check_items(request_ids, "request_ids", str)
        with self._uow._scoped("alert", t.alerts.c.request_id.in_(list(wanted))):
            return super().ledger(wanted)


class _SqlRecords(Records):
    _uow: Any

    def keys(self, kind: str, *, limit: int = 100, after: str | None = None) -> Page[str]:
        where = [t.records.c.kind == check_key(kind, "kind")]
        if after is not None:
            (last,) = _token(after, "keys", 1)
            where.append(t.records.c.key > last)
        with self._uow._scoped("record", *where):
            return super().keys(kind, limit=limit, after=after)
