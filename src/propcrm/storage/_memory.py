"""The in-memory adapter: every repository over versioned tables, with real transactions.

The store holds its committed state as one mapping of tables, each a mapping of key to
``(version, value)``, and replaces it whole at each commit (copy-on-write, under one lock). A
unit of work reads the state as it was when it began (a snapshot, so a long report never sees
half of another unit's commit), keeps its writes in a change set, and at commit checks, under
the lock, that every row it wrote is still at the version it wrote from, then publishes the new
state in one assignment. So two threads committing at once never interleave, a stale write
fails with :class:`~propcrm.errors.ConcurrencyConflict` and nothing of its unit is written.

Writes are checked against the latest committed state as they are made as well, so a stale
append fails at once rather than at commit, and a receipt another unit committed meanwhile is
found as a duplicate.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from types import TracebackType
from typing import Any, Self, TypeVar, cast

import attrs

from propcrm._validators import check_instance, check_items
from propcrm.analytics import SurveyResponse
from propcrm.billing import PriceList, PriceLists, Statement, Tariff, TariffVersion
from propcrm.complaints import (
    DEFAULT_LIFECYCLE_POLICY,
    LifecyclePolicy,
    Request,
    State,
    Step,
)
from propcrm.errors import (
    ConcurrencyConflict,
    ConflictingReceipt,
    InvalidPageToken,
    InvalidType,
    InvalidUnit,
    NoPriceListInForce,
    RecordExists,
    RecordNotFound,
    RefusedChange,
    StorageError,
    UnitOfWorkClosed,
    UnknownPriceListVersion,
    UnknownRecord,
)
from propcrm.parties import Party, PartyBook, Relation, Unit
from propcrm.receivables import Account, AccountEvent, Receipt, StepTaken
from propcrm.serialization import from_primitive, to_primitive
from propcrm.sla import (
    DEFAULT_ESCALATION,
    AlertLedger,
    EscalationPolicy,
    SlaAlert,
    next_action_at,
)
from propcrm.storage._community import Concessions
from propcrm.storage._community_affairs import Affairs, Leads
from propcrm.storage._community_assembly import Meetings, Questionnaires
from propcrm.storage._community_parking import Parking, Prepaid
from propcrm.storage._desk import Contacts
from propcrm.storage._desk_notices import Activities, Notices
from propcrm.storage._desk_phone_book import PhoneBooks
from propcrm.storage._desk_schedules import Schedules
from propcrm.storage._desk_solutions import Solutions
from propcrm.storage._values import (
    AccountId,
    AppendResult,
    ArrearsEntry,
    DueRequest,
    Page,
    PostedReceipt,
    Versioned,
    check_key,
    check_limit,
    decode_token,
    encode_token,
    keyset,
    not_found,
)
from propcrm.time import BillingPeriod, as_date, aware

__all__ = ["MemoryStore", "MemoryUnitOfWork"]

T = TypeVar("T")

# One row: (version, value). Tables and rows are never changed in place once committed.
_Row = tuple[int, Any]
_Tables = dict[str, dict[Hashable, _Row]]
_EMPTY: dict[Hashable, _Row] = {}
_BOOK = "book"


class MemoryStore:
    """An in-memory store; calling it gives a fresh :class:`MemoryUnitOfWork`.

    Args:
        policy: the lifecycle policy requests are replayed and checked under.
        escalation: the escalation policy a request's next action is computed by.
        check_serialization: write every stored value through :mod:`propcrm.serialization`
            and keep the copy read back (refusing a value that does not come back equal), as a
            SQL adapter stores it; off, the store keeps the live values (faster, for embedding).

    >>> store = MemoryStore()
    >>> with store() as uow:
    ...     uow.tariffs.get("SUNRISE")
    Traceback (most recent call last):
    ...
    propcrm.errors.RecordNotFound: no tariff 'SUNRISE' is stored.
    """

    def __init__(
        self,
        *,
        policy: LifecyclePolicy = DEFAULT_LIFECYCLE_POLICY,
        escalation: EscalationPolicy = DEFAULT_ESCALATION,
        check_serialization: bool = True,
    ) -> None:
        self.policy = check_instance(policy, "policy", LifecyclePolicy)
        self.escalation = check_instance(escalation, "escalation", EscalationPolicy)
        self.check_serialization = check_instance(check_serialization, "check_serialization", bool)
        self._tables: _Tables = {}
        self._lock = threading.Lock()

    def __call__(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)

    def stored(self, value: T, cls: Any) -> T:
        """``value`` as the store keeps it: through serialization, when checking, and equal."""
        if not self.check_serialization:
            return value
        primitive = to_primitive(value, cls)
        copy = cast("T", from_primitive(primitive, cls))
        if copy != value and to_primitive(copy, cls) != primitive:
            raise StorageError(
                f"{value!r} does not come back equal from serialization; it cannot be stored.",
                field="value",
                value=value,
                allowed="a value that serialization round-trips",
            )
        return copy

    def _commit(self, writes: dict[tuple[str, Hashable], tuple[int, _Row | None]]) -> None:
        with self._lock:
            tables = self._tables
            for (table, key), (expected, row) in sorted(writes.items(), key=repr):
                live = tables.get(table, _EMPTY).get(key)
                actual = 0 if live is None else live[0]
                if actual != expected:
                    refuse_commit(table, key, expected, live, row)
            changed: _Tables = {}
            for (table, key), (_expected, row) in writes.items():
                rows = changed.get(table)
                if rows is None:
                    rows = changed[table] = dict(tables.get(table, _EMPTY))
                if row is None:
                    rows.pop(key, None)
                else:
                    rows[key] = row
            # One assignment publishes the whole commit; readers holding the old mapping
            # keep a consistent snapshot.
            self._tables = {**tables, **changed}


def refuse_commit(
    table: str, key: Hashable, expected: int, live: _Row | None, row: _Row | None
) -> None:
    if table == "receipt" and live is not None and row is not None:
        posted, mine = cast("PostedReceipt", live[1]), cast("PostedReceipt", row[1])
        if not posted.same_as(mine.account, mine.receipt):
            raise receipt_conflict(posted, mine.account, mine.receipt)
    actual = 0 if live is None else live[0]
    raise ConcurrencyConflict(
        f"{table} {key!r} is at version {actual}, not {expected} as this unit of work read it: "
        "another unit of work committed first. Nothing was written; read again and retry.",
        stream=key,
        table=table,
        expected=expected,
        actual=actual,
    )


def receipt_conflict(posted: PostedReceipt, account: AccountId, receipt: Receipt) -> Exception:
    refused = PostedReceipt(account, receipt)
    return ConflictingReceipt(
        f"bank reference {receipt.reference} is already posted in community "
        f"{account.community} ({posted.describe()}); refused {refused.describe()}. A bank "
        "reference names one receipt in a community.",
        field="reference",
        value=receipt.reference,
        posted=posted.receipt,
        refused=receipt,
        posted_account=posted.account,
        refused_account=account,
    )


class MemoryUnitOfWork:
    """One transaction over every repository of a :class:`MemoryStore`.

    Not shared between threads: give each thread (each web request, each job) its own.
    """

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._active = False
        self._base: _Tables = {}
        self._writes: dict[tuple[str, Hashable], tuple[int, _Row | None]] = {}
        # The keys written, by table: a scan reads its own table's writes, not every write of
        # the unit (a billing run's unit of work holds thousands, and scans once per unit).
        self._written: dict[str, dict[Hashable, None]] = {}
        self.parties = Parties(self)
        self.tariffs = Tariffs(self)
        self.price_lists = PriceListRepo(self)
        self.accounts = Accounts(self)
        self.requests = Requests(self)
        self.surveys = Surveys(self)
        self.dunning = Dunning(self)
        self.alerts = Alerts(self)
        self.records = Records(self)
        self.concessions = Concessions(self)
        self.meetings = Meetings(self)
        self.questionnaires = Questionnaires(self)
        self.affairs = Affairs(self)
        self.leads = Leads(self)
        self.parking = Parking(self)
        self.prepaid = Prepaid(self)
        self.contacts = Contacts(self)
        self.phone_book = PhoneBooks(self)
        self.schedules = Schedules(self)
        self.solutions = Solutions(self)
        self.notices = Notices(self)
        self.activities = Activities(self)

    def __enter__(self) -> Self:
        if self._active:
            raise UnitOfWorkClosed(
                "this unit of work is already open; use one `with` block at a time.",
                state="open",
            )
        self._active = True
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.rollback()
        self._active = False

    def commit(self) -> None:
        """Write every change, or (on a conflict) none and raise; then begin again."""
        self._check_open()
        writes, self._writes = self._writes, {}
        self._written = {}
        try:
            self._store._commit(writes)
        finally:
            self._begin()

    def rollback(self) -> None:
        """Forget every change since the last commit."""
        self._writes = {}
        self._written = {}
        self._begin()

    def _begin(self) -> None:
        self._base = self._store._tables

    def _check_open(self) -> None:
        if not self._active:
            raise UnitOfWorkClosed(
                "a unit of work is used inside its `with` block only; open one with "
                "`with store() as uow:`.",
                state="closed",
            )

    # -- rows -------------------------------------------------------------------------------

    def _row(self, table: str, key: Hashable) -> _Row | None:
        """The row as this unit sees it: its own write, else the snapshot it began with."""
        self._check_open()
        written = self._writes.get((table, key))
        if written is not None:
            return written[1]
        return self._base.get(table, _EMPTY).get(key)

    def _latest(self, table: str, key: Hashable) -> _Row | None:
        """The row as this unit wrote it, else as committed now (for unique keys)."""
        self._check_open()
        written = self._writes.get((table, key))
        if written is not None:
            return written[1]
        return self._store._tables.get(table, _EMPTY).get(key)

    def _version(self, table: str, key: Hashable) -> int:
        row = self._latest(table, key)
        return 0 if row is None else row[0]

    def _expect(self, table: str, key: Hashable, expected: object, what: str) -> int:
        """``expected`` if it is the row's latest version; else a conflict, nothing written."""
        check_version(expected)
        actual = self._version(table, key)
        if actual != expected:
            raise ConcurrencyConflict(
                f"{what} is at version {actual}, not {expected} as read: another unit of work "
                "wrote it first. Nothing was written; read it again and retry.",
                stream=key,
                table=table,
                expected=expected,
                actual=actual,
            )
        return expected

    def _write(self, table: str, key: Hashable, expected: int, row: _Row | None) -> None:
        first = self._writes.get((table, key))
        base = expected if first is None else first[0]
        self._writes[(table, key)] = (base, row)
        self._written.setdefault(table, {})[key] = None

    def _scan(self, table: str) -> Iterator[tuple[Hashable, _Row]]:
        """Every row of a table as this unit sees it (snapshot and own writes)."""
        self._check_open()
        rows = dict(self._base.get(table, _EMPTY))
        for key in self._written.get(table, ()):
            row = self._writes[(table, key)][1]
            if row is None:
                rows.pop(key, None)
            else:
                rows[key] = row
        return iter(rows.items())

    def _stored(self, value: T, cls: Any) -> T:
        return self._store.stored(value, cls)

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
        """Nothing to narrow in memory: the entries' repositories filter, sort and cut."""
        del table, kind, order, after, limit, where
        return nullcontext()


# -- parties ---------------------------------------------------------------------------------


def taken_arguments(*ids: object) -> tuple[tuple[str, ...], ...]:
    """The ids a ``taken`` query names: party, unit and relation ids, each a collection of keys."""
    return tuple(
        tuple(check_key(i, key) for i in check_items(value, field, str))
        for value, field, key in zip(
            ids,
            ("parties", "units", "relations"),
            ("party_id", "unit_id", "relation_id"),
            strict=True,
        )
    )


class Parties:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def book(self) -> Versioned[PartyBook]:
        row = self._uow._row("book", _BOOK)
        return Versioned(PartyBook(), 0) if row is None else Versioned(row[1], row[0])

    def save(self, book: PartyBook, expected_version: int) -> int:
        check_instance(book, "book", PartyBook)
        version = self._uow._expect("book", _BOOK, expected_version, "the party book") + 1
        self._uow._write(
            "book", _BOOK, expected_version, (version, self._uow._stored(book, PartyBook))
        )
        return version

    def add_records(
        self,
        parties: Iterable[Party] = (),
        units: Iterable[Unit] = (),
        relations: Iterable[Relation] = (),
    ) -> int:
        held = self.book()
        return self.save(held.value.with_records(parties, units, relations), held.version)

    def taken(
        self,
        parties: Iterable[str] = (),
        units: Iterable[str] = (),
        relations: Iterable[str] = (),
    ) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        wanted = taken_arguments(parties, units, relations)
        book = self.book().value
        held = (
            {p.party_id for p in book.parties},
            {u.unit_id for u in book.units},
            {r.relation_id for r in book.relations},
        )
        return cast(
            "tuple[frozenset[str], frozenset[str], frozenset[str]]",
            tuple(
                frozenset(i for i in ids if i in has) for ids, has in zip(wanted, held, strict=True)
            ),
        )

    def _lookup(self, getter: Callable[[PartyBook], T], what: str) -> T:
        try:
            return getter(self.book().value)
        except UnknownRecord as error:
            raise RecordNotFound(
                f"no {what} is stored.", field="key", value=what, error=error
            ) from error

    def party(self, party_id: str) -> Party:
        return self._lookup(lambda b: b.party(party_id), f"party {party_id!r}")

    def unit(self, unit_id: str) -> Unit:
        return self._lookup(lambda b: b.unit(unit_id), f"unit {unit_id!r}")

    def units(self, community: str, *, limit: int = 100, after: str | None = None) -> Page[Unit]:
        check_key(community, "community")
        units = self.book().value.units
        return keyset(
            (([u.unit_id], u) for u in units if u.community == community), "units", 1, limit, after
        )

    def related_to_unit(self, unit_id: str, on: datetime.date) -> tuple[Relation, ...]:
        day = as_date(on, "on")
        return self.book().value.relations_to(check_key(unit_id, "unit_id"), day)

    def relations_of(self, party_id: str, on: datetime.date | None = None) -> tuple[Relation, ...]:
        return self._lookup(lambda b: b.relations_of(party_id, on), f"party {party_id!r}")


# -- tariffs and price lists -----------------------------------------------------------------


class Tariffs:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, tariff: Tariff) -> int:
        check_instance(tariff, "tariff", Tariff)
        if self._uow._latest("tariff", tariff.name) is not None:
            raise RecordExists(
                f"tariff {tariff.name!r} is stored already; add a version to it instead.",
                field="name",
                value=tariff.name,
            )
        self._uow._write("tariff", tariff.name, 0, (1, self._uow._stored(tariff, Tariff)))
        return 1

    def get(self, name: str) -> Versioned[Tariff]:
        row = self._uow._row("tariff", check_key(name, "name"))
        if row is None:
            raise not_found(f"tariff {name!r}")
        return Versioned(row[1], row[0])

    def add_version(self, name: str, version: TariffVersion, expected_version: int) -> int:
        check_instance(version, "version", TariffVersion)
        tariff = self.get(name).value
        new = self._uow._expect("tariff", name, expected_version, f"tariff {name!r}") + 1
        changed = self._uow._stored(tariff.with_version(version), Tariff)
        self._uow._write("tariff", name, expected_version, (new, changed))
        return new

    def in_force(self, name: str, day: datetime.date) -> TariffVersion:
        return self.get(name).value.in_force(day)

    def version(self, name: str, version: str) -> TariffVersion:
        for candidate in self.get(name).value.versions:
            if candidate.version == version:
                return candidate
        raise not_found(f"version {version!r} of tariff {name!r}")


class PriceListRepo:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def get(self, community: str) -> Versioned[PriceLists]:
        row = self._uow._row("price_lists", check_key(community, "community"))
        if row is None:
            raise not_found(f"price list of community {community!r}")
        return Versioned(row[1], row[0])

    def publish(self, community: str, price_list: PriceList, expected_version: int) -> int:
        check_instance(price_list, "price_list", PriceList)
        key = check_key(community, "community")
        what = f"the price lists of {community!r}"
        new = self._uow._expect("price_lists", key, expected_version, what) + 1
        row = self._uow._row("price_lists", key)
        earlier = () if row is None else cast("PriceLists", row[1]).versions
        lists = self._uow._stored(PriceLists((*earlier, price_list)), PriceLists)
        self._uow._write("price_lists", key, expected_version, (new, lists))
        return new

    def in_force(self, community: str, day: datetime.date) -> PriceList:
        day = as_date(day, "day")
        try:
            lists = self.get(community).value
        except RecordNotFound as error:
            raise NoPriceListInForce(
                f"community {community!r} has published no price list.",
                field="community",
                value=community,
                error=error,
            ) from error
        return lists.in_force(day)

    def version(self, community: str, version: str) -> PriceList:
        try:
            return self.get(community).value.version(version)
        except UnknownPriceListVersion as error:
            raise RecordNotFound(
                f"no price list {version!r} is published in {community!r}.",
                field="version",
                value=version,
                error=error,
            ) from error


# -- accounts --------------------------------------------------------------------------------


@attrs.frozen
class Stream:
    """An account's stream: its events in posting order and the account they fold into."""

    account: Account
    events: tuple[AccountEvent, ...]

    @property
    def length(self) -> int:
        """How many events the stream holds: its version."""
        return len(self.events)

    def since(self, version: int) -> tuple[AccountEvent, ...]:
        """The events after the first ``version`` (what a commit appends to the stored ones)."""
        return self.events[version:]

    def then(self, account: Account, fresh: tuple[AccountEvent, ...]) -> Stream:
        """This stream with ``fresh`` posted, folding into ``account``."""
        return Stream(account, self.events + fresh)


class Accounts:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, account_id: AccountId, account: Account) -> AppendResult[AccountEvent]:
        check_instance(account_id, "account_id", AccountId)
        check_instance(account, "account", Account)
        if (account.unit_id, account.billed_party) != (account_id.unit_id, account_id.billed_party):
            raise InvalidUnit(
                f"the account of unit {account.unit_id} billed to {account.billed_party} is not "
                f"the account {account_id.unit_id} billed to {account_id.billed_party} named.",
                field="account_id",
                value=account_id,
                allowed=f"AccountId(community, {account.unit_id!r}, {account.billed_party!r})",
            )
        if self._uow._latest("account", account_id) is not None:
            raise RecordExists(
                f"the account {account_id} is stored already; append to it instead.",
                field="account_id",
                value=account_id,
            )
        return self._post(account_id, None, account.events, 0, whole=account)

    def append(
        self, account_id: AccountId, events: Sequence[AccountEvent], expected_version: int
    ) -> AppendResult[AccountEvent]:
        # Arguments first: a malformed call is refused the same whether the account exists.
        check_version(expected_version)
        events = check_items(events, "events", object)
        stream = self._stream(account_id)
        self._uow._expect("account", account_id, expected_version, f"account {account_id}")
        return self._post(account_id, stream.value, events, expected_version)

    def _post(
        self,
        account_id: AccountId,
        stream: Stream | None,
        events: Iterable[AccountEvent],
        expected: int,
        *,
        whole: Account | None = None,
    ) -> AppendResult[AccountEvent]:
        """Post ``events`` to ``stream`` (None: a new one, of ``whole``, the account added)."""
        # Both callers pass a checked collection: append checks the caller's, add an Account's.
        given = [self._uow._stored(e, AccountEvent) for e in events]
        # Equal events have the same kind and reference: compared within those only, so that
        # a stream of hundreds of events is not hashed whole or compared pair by pair. The
        # account holds the stream's events (in replay order), so a stored stream need not be
        # read to know them.
        posted = {} if stream is None else _by_reference(stream.account.events)
        seen: dict[tuple[type, str], list[AccountEvent]] = {}
        fresh: list[AccountEvent] = []
        duplicates: list[AccountEvent] = []
        receipts: dict[str, Receipt] = {}
        for event in given:
            if isinstance(event, Statement) and event.community != account_id.community:
                raise RefusedChange(
                    f"statement {event.number} is for community {event.community}, not the "
                    f"account's {account_id.community}.",
                    field="community",
                    value=event.community,
                    allowed=account_id.community,
                    statement=event.number,
                )
            marker = _marker(event)
            if event in posted.get(marker, ()) or event in seen.get(marker, ()):
                duplicates.append(event)
                continue
            if isinstance(event, Receipt) and event.reference not in receipts:
                known = self.receipt(account_id.community, event.reference)
                if known is not None:
                    if not known.same_as(account_id, event):
                        raise receipt_conflict(known, account_id, event)
                    duplicates.append(event)
                    continue
                receipts[event.reference] = event
            fresh.append(event)
            seen.setdefault(marker, []).append(event)
        if (
            whole is not None
            and len(fresh) == len(whole.events)
            and all(a is b for a, b in zip(fresh, whole.events, strict=True))
        ):
            # Every event of the account given, unchanged: it has folded them already (and
            # checked every invariant doing so); posting them again would only fold again.
            account = whole
        else:
            # The account checks every invariant (a reference reused within it included).
            if stream is None:
                base = attrs.evolve(cast("Account", whole), events=())
            else:
                base = stream.account
            account = base.post(*fresh)
        grown = (
            Stream(account, tuple(fresh)) if stream is None else stream.then(account, tuple(fresh))
        )
        version = grown.length
        self._uow._write("account", account_id, expected, (version, grown))
        for reference, receipt in receipts.items():
            key = (account_id.community, reference)
            self._uow._write("receipt", key, 0, (1, PostedReceipt(account_id, receipt)))
        return AppendResult(version, tuple(fresh), tuple(duplicates))

    def _stream(self, account_id: AccountId) -> Versioned[Stream]:
        check_instance(account_id, "account_id", AccountId)
        row = self._uow._row("account", account_id)
        if row is None:
            raise not_found(f"account {account_id}")
        return Versioned(row[1], row[0])

    def get(self, account_id: AccountId) -> Versioned[Account]:
        stream = self._stream(account_id)
        return Versioned(stream.value.account, stream.version)

    def replay(self, account_id: AccountId) -> Versioned[Account]:
        stream = self._stream(account_id)
        snapshot = stream.value.account
        rebuilt = Account(
            snapshot.unit_id,
            snapshot.billed_party,
            snapshot.currency,
            snapshot.allocation,
            snapshot.disputes,
            stream.value.events,
        )
        return Versioned(rebuilt, stream.version)

    def events(self, account_id: AccountId, after: int = 0) -> tuple[AccountEvent, ...]:
        return self._stream(account_id).value.events[after:]

    def of_unit(self, community: str, unit_id: str) -> tuple[AccountId, ...]:
        check_key(community, "community")
        check_key(unit_id, "unit_id")
        found = [
            key
            for key, _row in self._uow._scan("account")
            if isinstance(key, AccountId) and key.community == community and key.unit_id == unit_id
        ]
        return tuple(sorted(found, key=lambda k: k.sort_key))

    def receipt(self, community: str, reference: str) -> PostedReceipt | None:
        row = self._uow._latest("receipt", (community, reference))
        return None if row is None else cast("PostedReceipt", row[1])

    def _of_community(self, community: str) -> Iterator[tuple[AccountId, Stream]]:
        check_key(community, "community")
        for key, row in self._uow._scan("account"):
            if isinstance(key, AccountId) and key.community == community:
                yield key, row[1]

    def arrears(
        self,
        community: str,
        as_of: datetime.date,
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[ArrearsEntry]:
        day = as_date(as_of, "as_of")
        size = check_limit(limit)
        start = None if after is None else tuple(decode_token(after, "arrears", 4))
        if start is not None and start[0] != day.isoformat():
            raise InvalidPageToken(
                f"page token {after!r} is of the arrears as of {start[0]}, not {day.isoformat()}.",
                field="after",
                value=after,
                allowed=f"a token of the arrears as of {day.isoformat()}",
            )
        candidates = sorted(self._of_community(community), key=lambda kv: kv[0].sort_key)
        items: list[ArrearsEntry] = []
        last: AccountId | None = None
        more = False
        for key, stream in candidates:
            if start is not None and key.sort_key <= tuple(start[1:]):
                continue
            overdue = tuple(s for s in stream.account.owed(day) if s.due_on < day)
            if not overdue:
                continue
            if len(items) == size:
                more = True
                break
            items.append(ArrearsEntry(key, day, overdue))
            last = key
        token = None
        if more and last is not None:
            token = encode_token("arrears", [day.isoformat(), *last.sort_key])
        return Page(tuple(items), token)

    def statements(
        self,
        community: str,
        period: BillingPeriod,
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Statement]:
        check_instance(period, "period", BillingPeriod)
        rows = [
            ([event.number, *key.sort_key], event)
            for key, stream in self._of_community(community)
            for event in stream.events
            if isinstance(event, Statement) and event.period == period
        ]
        return keyset(rows, "statements", 4, limit, after)


# -- requests --------------------------------------------------------------------------------


def _marker(event: AccountEvent) -> tuple[type, str]:
    """An event's kind and reference: two equal events have the same."""
    return type(event), event.number if isinstance(event, Statement) else event.reference


def _by_reference(events: Iterable[AccountEvent]) -> dict[tuple[type, str], list[AccountEvent]]:
    found: dict[tuple[type, str], list[AccountEvent]] = {}
    for event in events:
        found.setdefault(_marker(event), []).append(event)
    return found


def is_open(request: Request) -> bool:
    return not request.is_final and request.state is not State.CLOSED


class Requests:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, request: Request) -> int:
        check_instance(request, "request", Request)
        key = request.request_id
        if self._uow._latest("request", key) is not None:
            raise RecordExists(
                f"request {key} is stored already; append its steps instead.",
                field="request_id",
                value=key,
            )
        history = self._uow._stored(request.history, tuple[Step, ...])
        stored = Request.replay(history, self._uow._store.policy)
        self._uow._write("request", key, 0, (len(history), stored))
        self._schedule(stored)
        return len(history)

    def append(
        self, request_id: str, steps: Sequence[Step], expected_version: int
    ) -> AppendResult[Step]:
        check_version(expected_version)
        steps = check_items(steps, "steps", Step)
        current = self.get(request_id)
        self._uow._expect("request", request_id, expected_version, f"request {request_id}")
        request = current.value
        for step in steps:
            request = request.apply(self._uow._stored(step, Step))
        appended = request.history[current.version :]
        version = len(request.history)
        self._uow._write("request", request_id, expected_version, (version, request))
        self._schedule(request)
        return AppendResult(version, appended)

    def _schedule(self, request: Request) -> None:
        """Keep the request's next action (the index ``due_before`` reads) up to date."""
        key = request.request_id
        at = None
        if is_open(request):
            ledger = self._uow.alerts.ledger([key])
            at = next_action_at(request.clocks, self._uow._store.escalation, sent=ledger)
        row = self._uow._latest("next_action", key)
        version = 0 if row is None else row[0]
        if row is None or row[1] != at:
            self._uow._write("next_action", key, version, (version + 1, at))

    def get(self, request_id: str) -> Versioned[Request]:
        row = self._uow._row("request", check_key(request_id, "request_id"))
        if row is None:
            raise not_found(f"request {request_id!r}")
        return Versioned(row[1], row[0])

    def replay(self, request_id: str) -> Versioned[Request]:
        current = self.get(request_id)
        rebuilt = Request.replay(current.value.history, self._uow._store.policy)
        return Versioned(rebuilt, current.version)

    def history(self, request_id: str, after: int = 0) -> tuple[Step, ...]:
        return self.get(request_id).value.history[after:]

    def of_requester(self, party_id: str) -> tuple[Request, ...]:
        check_key(party_id, "party_id")
        found = [
            cast("Request", row[1])
            for _key, row in self._uow._scan("request")
            if cast("Request", row[1]).intake.requester == party_id
        ]
        return tuple(sorted(found, key=lambda r: r.request_id))

    def due_before(
        self, instant: datetime.datetime, *, limit: int = 100, after: str | None = None
    ) -> Page[DueRequest]:
        when = aware(instant, field="instant")
        rows = [
            ([at.in_tz("UTC").isoformat(), key], DueRequest(cast("str", key), at))
            for key, (_version, at) in self._uow._scan("next_action")
            if at is not None and at <= when
        ]
        return keyset(rows, "due_before", 2, limit, after)


# -- surveys, dunning, alerts, records -------------------------------------------------------


class Surveys:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, community: str, response: SurveyResponse) -> bool:
        check_key(community, "community")
        check_instance(response, "response", SurveyResponse)
        key = response.response_id
        row = self._uow._latest("survey", key)
        if row is not None:
            if row[1] == (community, response):
                return False
            raise RecordExists(
                f"survey response {key} is stored already with other answers or community.",
                field="response_id",
                value=key,
                stored=row[1][1],
            )
        stored = self._uow._stored(response, SurveyResponse)
        self._uow._write("survey", key, 0, (1, (community, stored)))
        return True

    def get(self, response_id: str) -> SurveyResponse:
        row = self._uow._row("survey", check_key(response_id, "response_id"))
        if row is None:
            raise not_found(f"survey response {response_id!r}")
        return cast("SurveyResponse", row[1][1])

    def answered(
        self, community: str, since: datetime.datetime, until: datetime.datetime
    ) -> tuple[SurveyResponse, ...]:
        first, last = aware(since, field="since"), aware(until, field="until")
        found = [
            response
            for _key, (_version, (where, response)) in self._uow._scan("survey")
            if where == community and first <= response.answered_at < last
        ]
        return tuple(sorted(found, key=lambda r: (r.answered_at, r.response_id)))


class Dunning:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def record(self, community: str, step: StepTaken) -> bool:
        check_instance(step, "step", StepTaken)
        key = (AccountId(community, step.unit_id, step.billed_party), step)
        if self._uow._latest("dunning", key) is not None:
            return False
        self._uow._write("dunning", key, 0, (1, self._uow._stored(step, StepTaken)))
        return True

    def _steps(self, keep: Callable[[AccountId, StepTaken], bool]) -> tuple[StepTaken, ...]:
        found = [
            cast("StepTaken", row[1])
            for (account, step), row in cast(
                "Iterator[tuple[tuple[AccountId, StepTaken], _Row]]", self._uow._scan("dunning")
            )
            if keep(account, step)
        ]
        return tuple(sorted(found, key=lambda s: (s.taken_on, s.unit_id, repr(s))))

    def taken(self, account_id: AccountId) -> tuple[StepTaken, ...]:
        check_instance(account_id, "account_id", AccountId)
        return self._steps(lambda account, _step: account == account_id)

    def taken_between(
        self, community: str, first: datetime.date, last: datetime.date
    ) -> tuple[StepTaken, ...]:
        start, end = as_date(first, "first"), as_date(last, "last")
        return self._steps(
            lambda account, step: account.community == community and start <= step.taken_on <= end
        )


class Alerts:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def record(self, alerts: Iterable[SlaAlert]) -> tuple[SlaAlert, ...]:
        recorded: list[SlaAlert] = []
        for alert in check_items(alerts, "alerts", SlaAlert):
            if self._uow._latest("alert", alert.key) is None:
                stored = self._uow._stored(alert, SlaAlert)
                self._uow._write("alert", alert.key, 0, (1, stored))
                recorded.append(stored)
        # What is sent moves each request's next action on.
        for request_id in sorted({a.request_id for a in recorded}):
            row = self._uow._row("request", request_id)
            if row is not None:
                self._uow.requests._schedule(row[1])
        return tuple(recorded)

    def alerts(self, request_id: str) -> tuple[SlaAlert, ...]:
        found = [
            cast("SlaAlert", row[1])
            for _key, row in self._uow._scan("alert")
            if cast("SlaAlert", row[1]).request_id == request_id
        ]
        return tuple(sorted(found, key=lambda a: (a.due_at, a.kind.value, a.crossing.value)))

    def ledger(self, request_ids: Iterable[str]) -> AlertLedger:
        wanted = set(check_items(request_ids, "request_ids", str))
        return AlertLedger().with_alerts(
            cast("SlaAlert", row[1])
            for _key, row in self._uow._scan("alert")
            if cast("SlaAlert", row[1]).request_id in wanted
        )


class Records:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def put(self, kind: str, key: str, value: object, expected_version: int) -> int:
        row_key = (check_key(kind, "kind"), check_key(key, "key"))
        new = self._uow._expect("record", row_key, expected_version, f"{kind} {key!r}") + 1
        # Always primitives, as every adapter stores them: get() reads them back as the class
        # its caller names.
        self._uow._write("record", row_key, expected_version, (new, to_primitive(value)))
        return new

    def get(self, kind: str, key: str, cls: type[T]) -> Versioned[T]:
        row = self._uow._row("record", (check_key(kind, "kind"), check_key(key, "key")))
        if row is None:
            raise not_found(f"{kind} {key!r}")
        return Versioned(from_primitive(row[1], cls), row[0])

    def keys(self, kind: str, *, limit: int = 100, after: str | None = None) -> Page[str]:
        check_key(kind, "kind")
        rows = [
            ([key[1]], cast("str", key[1]))
            for key, _row in self._uow._scan("record")
            if isinstance(key, tuple) and key[0] == kind
        ]
        return keyset(rows, "keys", 1, limit, after)


def check_version(expected: object) -> int:
    """A version a caller read: an int from 0 (nothing written yet) up."""
    if isinstance(expected, bool) or not isinstance(expected, int) or expected < 0:
        raise InvalidType(
            f"expected_version {expected!r} must be an int from 0 up (the version read).",
            field="expected_version",
            value=expected,
            allowed="an int >= 0",
        )
    return expected
