"""The repository protocols, one per aggregate, and the unit of work that holds them.

Each repository is shaped by what the rules and a back office ask of it, not by generic CRUD:
what names a record (an account's :class:`AccountId`, a tariff's name, a request's id), the
as-of questions the rules ask (the tariff in force on a day, the parties related to a unit on a
date) and the pages a back office walks (the arrears scan, the statements of a period). Every
method that lists a community's rows returns a keyset :class:`Page`, whose token an SQL adapter
maps to an index seek.

Writes carry the version they were decided at. Accounts and requests are append-only event
streams (their version is the number of events); the other aggregates are versioned records
(their version counts writes). A write at a stale version raises
:class:`~propcrm.errors.ConcurrencyConflict`, at once or at the latest on commit, and nothing of
the unit of work is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import Protocol, Self, TypeVar

from propcrm.analytics import SurveyResponse
from propcrm.billing import PriceList, PriceLists, Statement, Tariff, TariffVersion
from propcrm.complaints import Request, Step
from propcrm.parties import Party, PartyBook, Relation, Unit
from propcrm.receivables import Account, AccountEvent, StepTaken
from propcrm.sla import AlertLedger, SlaAlert
from propcrm.storage._community import ConcessionRepository
from propcrm.storage._community_affairs import AffairRepository, LeadRepository
from propcrm.storage._community_assembly import AssemblyRepository, QuestionnaireRepository
from propcrm.storage._community_parking import ParkingRepository, PrepaidRepository
from propcrm.storage._desk import ContactRepository
from propcrm.storage._desk_notices import ActivityRepository, NoticeRepository
from propcrm.storage._desk_phone_book import PhoneBookRepository
from propcrm.storage._desk_schedules import ScheduleRepository
from propcrm.storage._desk_solutions import SolutionRepository
from propcrm.storage._values import (
    AccountId,
    AppendResult,
    ArrearsEntry,
    DueRequest,
    Page,
    PostedReceipt,
    Versioned,
)
from propcrm.time import BillingPeriod

__all__ = [
    "AccountRepository",
    "AlertRepository",
    "DunningRepository",
    "PartyRepository",
    "PriceListRepository",
    "RecordRepository",
    "RequestRepository",
    "SurveyRepository",
    "TariffRepository",
    "UnitOfWork",
    "UnitOfWorkFactory",
]

T = TypeVar("T")


class PartyRepository(Protocol):
    """The party book: parties, units and their dated relations, as one versioned aggregate.

    The book is one aggregate because its rules span records (two leases of one unit, owners'
    shares, a sale ending one ownership and starting another); it is saved whole, at the
    version it was read at, and read per record by the queries below.
    """

    def book(self) -> Versioned[PartyBook]:
        """The whole book and its version (an empty book at version 0 before the first save)."""
        ...

    def save(self, book: PartyBook, expected_version: int) -> int:
        """Store ``book`` (the result of operations on the book read); the new version."""
        ...

    def add_records(
        self,
        parties: Iterable[Party] = (),
        units: Iterable[Unit] = (),
        relations: Iterable[Relation] = (),
    ) -> int:
        """Add new records to the book, as a bulk import does; the book's new version.

        The same as ``save(book.with_records(parties, units, relations), version)`` on the
        book read now (:meth:`PartyBook.with_records`: the same book stored, the same refusal),
        but a store that keeps the book in parts reads only the stored records the new ones
        touch (their ids, units, leases, parties) and writes only the new ones.
        """
        ...

    def taken(
        self,
        parties: Iterable[str] = (),
        units: Iterable[str] = (),
        relations: Iterable[str] = (),
    ) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """Which of these party, unit and relation ids the book holds already."""
        ...

    def party(self, party_id: str) -> Party:
        """The party with that id; :class:`~propcrm.errors.RecordNotFound` if none."""
        ...

    def unit(self, unit_id: str) -> Unit:
        """The unit with that id; :class:`~propcrm.errors.RecordNotFound` if none."""
        ...

    def units(self, community: str, *, limit: int = 100, after: str | None = None) -> Page[Unit]:
        """A community's units, by unit id."""
        ...

    def related_to_unit(self, unit_id: str, on: datetime.date) -> tuple[Relation, ...]:
        """The relations to a unit in force on a date (owners, tenants, residents …).

        A daily query: indexed by unit, start and end.
        """
        ...

    def relations_of(self, party_id: str, on: datetime.date | None = None) -> tuple[Relation, ...]:
        """A party's relations: all of them, or those in force ``on``."""
        ...


class TariffRepository(Protocol):
    """Tariffs by name (usually the community's), with their dated, approved versions."""

    def add(self, tariff: Tariff) -> int:
        """Store a new tariff (version 1); :class:`~propcrm.errors.RecordExists` if named."""
        ...

    def get(self, name: str) -> Versioned[Tariff]:
        """The tariff with its versions."""
        ...

    def add_version(self, name: str, version: TariffVersion, expected_version: int) -> int:
        """Add a version to the tariff (checked as :meth:`Tariff.with_version` checks it)."""
        ...

    def in_force(self, name: str, day: datetime.date) -> TariffVersion:
        """The version in force on ``day`` (:class:`~propcrm.errors.NoTariffInForce` if none)."""
        ...

    def version(self, name: str, version: str) -> TariffVersion:
        """The version named ``version``; :class:`~propcrm.errors.RecordNotFound` if none."""
        ...


class PriceListRepository(Protocol):
    """A community's special-service price lists, each version published once."""

    def get(self, community: str) -> Versioned[PriceLists]:
        """Every published version; :class:`~propcrm.errors.RecordNotFound` before the first."""
        ...

    def publish(self, community: str, price_list: PriceList, expected_version: int) -> int:
        """Publish a version (``expected_version`` 0 for the community's first)."""
        ...

    def in_force(self, community: str, day: datetime.date) -> PriceList:
        """The list in force on ``day``."""
        ...

    def version(self, community: str, version: str) -> PriceList:
        """The list published as ``version``."""
        ...


class AccountRepository(Protocol):
    """Accounts as append-only event streams, with the community's bank-reference index.

    A bank reference is unique per community across all its accounts: a receipt posted again
    with the same reference, amount, date and unit is a duplicate (credited once, reported in
    :attr:`AppendResult.duplicates`); the same reference with another amount, date or unit is
    refused with :class:`~propcrm.errors.ConflictingReceipt` naming both.
    """

    def add(self, account_id: AccountId, account: Account) -> AppendResult[AccountEvent]:
        """Open the account's stream with its settings and events (its version: their number).

        The account's unit and billed party must be the id's.
        """
        ...

    def append(
        self, account_id: AccountId, events: Sequence[AccountEvent], expected_version: int
    ) -> AppendResult[AccountEvent]:
        """Post ``events`` to the stream read at ``expected_version``.

        Refused whole when the account refuses them, when a receipt's reference conflicts, or
        (:class:`~propcrm.errors.ConcurrencyConflict`) when the stream moved on.
        """
        ...

    def get(self, account_id: AccountId) -> Versioned[Account]:
        """The account as stored (from its snapshot, where the store keeps one)."""
        ...

    def replay(self, account_id: AccountId) -> Versioned[Account]:
        """The account rebuilt from its events alone; equal to :meth:`get`."""
        ...

    def events(self, account_id: AccountId, after: int = 0) -> tuple[AccountEvent, ...]:
        """The stream's events in posting order, from version ``after`` on."""
        ...

    def of_unit(self, community: str, unit_id: str) -> tuple[AccountId, ...]:
        """The accounts of a unit (one per billed party over the years)."""
        ...

    def receipt(self, community: str, reference: str) -> PostedReceipt | None:
        """The receipt posted in the community under a bank reference, if any."""
        ...

    def arrears(
        self,
        community: str,
        as_of: datetime.date,
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[ArrearsEntry]:
        """The accounts with overdue statements as of a date, by unit and billed party."""
        ...

    def statements(
        self,
        community: str,
        period: BillingPeriod,
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Statement]:
        """The statements of a billing period, by number (revisions included)."""
        ...


class RequestRepository(Protocol):
    """Service requests and complaints as append-only streams of their steps.

    The store replays and re-checks every step under its lifecycle policy; a step that adds
    others (a dissatisfied callback reopens) appends them too, so the stream is the history.
    """

    def add(self, request: Request) -> int:
        """Store a new request (its history so far); its version."""
        ...

    def append(
        self, request_id: str, steps: Sequence[Step], expected_version: int
    ) -> AppendResult[Step]:
        """Apply ``steps`` to the request read at ``expected_version``."""
        ...

    def get(self, request_id: str) -> Versioned[Request]:
        """The request as stored."""
        ...

    def replay(self, request_id: str) -> Versioned[Request]:
        """The request rebuilt from its history alone; equal to :meth:`get`."""
        ...

    def history(self, request_id: str, after: int = 0) -> tuple[Step, ...]:
        """The steps from version ``after`` on."""
        ...

    def of_requester(self, party_id: str) -> tuple[Request, ...]:
        """The requests a party made, by id (what a complaint log reads)."""
        ...

    def due_before(
        self, instant: datetime.datetime, *, limit: int = 100, after: str | None = None
    ) -> Page[DueRequest]:
        """Open requests whose next action falls at or before ``instant``, earliest first.

        The next action is :func:`~propcrm.sla.next_action_at` of the request's clocks, past
        the alerts the ledger holds; a daily (minutely) query, indexed by that instant.
        """
        ...


class SurveyRepository(Protocol):
    """Satisfaction survey responses, by community and time answered."""

    def add(self, community: str, response: SurveyResponse) -> bool:
        """Store a response; ``False`` if the same one is stored already."""
        ...

    def get(self, response_id: str) -> SurveyResponse:
        """The response with that id."""
        ...

    def answered(
        self, community: str, since: datetime.datetime, until: datetime.datetime
    ) -> tuple[SurveyResponse, ...]:
        """Responses answered in ``[since, until)``, in time order."""
        ...


class DunningRepository(Protocol):
    """The dunning steps taken (what :func:`~propcrm.receivables.due_steps` reads)."""

    def record(self, community: str, step: StepTaken) -> bool:
        """Record a step taken; ``False`` if the same step is recorded already."""
        ...

    def taken(self, account_id: AccountId) -> tuple[StepTaken, ...]:
        """The steps taken for an account, by date."""
        ...

    def taken_between(
        self, community: str, first: datetime.date, last: datetime.date
    ) -> tuple[StepTaken, ...]:
        """The community's steps taken from ``first`` through ``last``, by date."""
        ...


class AlertRepository(Protocol):
    """The alert ledger: each SLA alert sent once (see :func:`~propcrm.sla.poll_alerts`)."""

    def record(self, alerts: Iterable[SlaAlert]) -> tuple[SlaAlert, ...]:
        """Record alerts sent; those not recorded before, in the order given."""
        ...

    def ledger(self, request_ids: Iterable[str]) -> AlertLedger:
        """The ledger of the alerts sent for these requests, to pass to the next poll."""
        ...

    def alerts(self, request_id: str) -> tuple[SlaAlert, ...]:
        """The alerts sent for a request, by due time."""
        ...


class RecordRepository(Protocol):
    """Room for the CRM records later issues add: any serializable value, by kind and key.

    Values are stored as :mod:`propcrm.serialization` primitives and read back with their
    class; kinds are the caller's (``"care.visit"``).
    """

    def put(self, kind: str, key: str, value: object, expected_version: int) -> int:
        """Store ``value`` under ``kind`` and ``key`` at ``expected_version`` (0: new)."""
        ...

    def get(self, kind: str, key: str, cls: type[T]) -> Versioned[T]:
        """The value stored, read back as ``cls``."""
        ...

    def keys(self, kind: str, *, limit: int = 100, after: str | None = None) -> Page[str]:
        """The keys of a kind, in order."""
        ...


class UnitOfWork(Protocol):
    """Every repository, and one transaction over all of them.

    ``with uow:`` begins; :meth:`commit` makes every change visible at once, or raises and
    writes none; leaving the block without a commit (or by an exception) rolls back. Inside,
    reads see the unit's own writes; outside, no one sees them before the commit. A unit of
    work may commit more than once inside its block; each commit begins the next transaction.
    """

    @property
    def parties(self) -> PartyRepository: ...
    @property
    def tariffs(self) -> TariffRepository: ...
    @property
    def price_lists(self) -> PriceListRepository: ...
    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def requests(self) -> RequestRepository: ...
    @property
    def surveys(self) -> SurveyRepository: ...
    @property
    def dunning(self) -> DunningRepository: ...
    @property
    def alerts(self) -> AlertRepository: ...
    @property
    def records(self) -> RecordRepository: ...
    @property
    def concessions(self) -> ConcessionRepository: ...
    @property
    def meetings(self) -> AssemblyRepository: ...
    @property
    def questionnaires(self) -> QuestionnaireRepository: ...
    @property
    def affairs(self) -> AffairRepository: ...
    @property
    def leads(self) -> LeadRepository: ...
    @property
    def parking(self) -> ParkingRepository: ...
    @property
    def prepaid(self) -> PrepaidRepository: ...
    @property
    def contacts(self) -> ContactRepository: ...
    @property
    def phone_book(self) -> PhoneBookRepository: ...
    @property
    def schedules(self) -> ScheduleRepository: ...
    @property
    def solutions(self) -> SolutionRepository: ...
    @property
    def notices(self) -> NoticeRepository: ...
    @property
    def activities(self) -> ActivityRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Write every change of the unit of work, or none (and raise)."""
        ...

    def rollback(self) -> None:
        """Forget every change since the last commit."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
"""What an adapter gives: a callable returning a fresh unit of work (one per task or request)."""
