"""The party book: an immutable aggregate of parties, units and their dated relations.

A :class:`PartyBook` answers as-of questions — who owned, occupied and was billable for a unit on
a date, which units a party held on a date — and applies the operations of the brief (§1) as
single steps: a move-in, a sale, a lease start or end, a handover. Each operation returns a new
book and records itself in the book's journal; one that would break a rule (overlapping
exclusive relations, shares above 100 %, a handed-over unit without a full owner, a move-in
before handover …) is refused with a specific error, and nothing of it is applied.

The book is one aggregate split by job: this module holds the class, its records and its as-of
queries; its operations are in ``_book_operations.py`` (records, sales) and
``_book_occupancy.py`` (moves, leases), its checks in ``_book_rules.py``, and what every change
needs (indexes, fresh ids, ``derived_book``) in ``_book_changes.py``.

Who pays (:meth:`PartyBook.payer`) follows the rule of ``_payers.py``; the answer is data
that says which rule chose the payer. Billing reads it as plain values
(:meth:`PartyBook.payer_spans` gives ``start``/``until`` spans that map one-to-one onto
billing's ``BillableSpan``); this package never imports billing.

>>> import pendulum
>>> from propcrm.personal_data import PersonName
>>> from propcrm.parties import Person, Unit
>>> from propcrm._property_types import PropertyType
>>> flat = Unit(unit_id="1-2-0301", community="SUNRISE", building="1", entrance="2", floor=3,
...             number="0301", property_type=PropertyType.RESIDENTIAL, building_area="89.37")
>>> book = PartyBook(
...     parties=[Person(party_id="P1", name=PersonName("张三丰")),
...              Person(party_id="P2", name=PersonName("李四"))],
...     units=[flat],
... )
>>> book = book.sell("1-2-0301", pendulum.date(2025, 6, 1), buyers="P1")
>>> book = book.hand_over("1-2-0301", pendulum.date(2026, 3, 1))
>>> book = book.sell("1-2-0301", pendulum.date(2026, 11, 16), buyers="P2")
>>> [(s.party_id, s.start.isoformat(), s.until and s.until.isoformat())
...  for s in book.payer_spans("1-2-0301", pendulum.date(2026, 11, 1), pendulum.date(2026, 12, 1))]
[('P1', '2026-11-01', '2026-11-16'), ('P2', '2026-11-16', '2026-12-01')]
>>> book.end_relation(book.owners("1-2-0301", pendulum.date(2026, 12, 1))[0].relation_id,
...                   pendulum.date(2027, 1, 1))
Traceback (most recent call last):
...
propcrm.errors.OwnershipGap: unit 1-2-0301 is owned 0 % on 2027-01-01, after its handover on \
2026-03-01; from the handover on, its owners must hold 100 % every day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

import attrs
import pendulum

from propcrm._trusted import set_cached
from propcrm._validators import check_items, check_record_id
from propcrm.errors import (
    InvalidRelation,
    InvalidType,
    InvalidUnit,
    RelationConflict,
    UnknownRecord,
)
from propcrm.parties import _book_occupancy as occupancy
from propcrm.parties import _book_operations as ops
from propcrm.parties._book_changes import Index, build_indexes, grown_book, unique_records
from propcrm.parties._book_policy import DEFAULT_BOOK_POLICY, PartyBookPolicy
from propcrm.parties._book_rules import book_conflicts, check_book
from propcrm.parties._journal import JournalEntry
from propcrm.parties._parties import Organisation, Party, Person
from propcrm.parties._payers import Payer, PayerSpan, payer_on, spans_of
from propcrm.parties._relations import (
    UNIT_RELATION_TYPES,
    AgencyContact,
    CommitteeMember,
    Conflict,
    HouseholdRole,
    Merchant,
    Owner,
    Relation,
    RelationKind,
    Resident,
    Tenant,
    TenantRole,
)
from propcrm.parties._snapshots import UnitSnapshot
from propcrm.parties._units import Decoration, Unit, UnitFact, UnitStatus
from propcrm.time import as_date

__all__ = ["PartyBook"]


def _order(r: Relation) -> tuple[pendulum.Date, str]:
    return r.start, r.relation_id


# An attrs class for its fields, equality and slots, so that derived_book can build one through
# propcrm._trusted; not attrs-frozen only because attrs refuses a frozen class its own
# __setattr__, and this one explains the refusal (see __setattr__). Nothing sets a field after
# construction: __init__ and build_trusted are the only writers.
@attrs.define(init=False, repr=False, eq=True, on_setattr=attrs.setters.NO_OP)
class PartyBook:
    """Parties, units and relations, with as-of queries and operations that return a new book.

    Build one from existing records (``PartyBook(parties=…, units=…, relations=…)``, checked as
    a whole) or grow one with the operations. A book is immutable: every operation returns a new
    book and leaves the old one as it was.
    """

    _parties: dict[str, Party]
    _units: dict[str, Unit]
    _relations: dict[str, Relation]
    _journal: tuple[JournalEntry, ...]
    _policy: PartyBookPolicy
    # Indexes derived from _relations (equal relations give equal indexes), so not compared.
    _by_target: Index = attrs.field(init=False, eq=False)
    _by_party: Index = attrs.field(init=False, eq=False)
    _by_lease: Index = attrs.field(init=False, eq=False)

    def __init__(
        self,
        parties: Iterable[Party] = (),
        units: Iterable[Unit] = (),
        relations: Iterable[Relation] = (),
        *,
        policy: PartyBookPolicy = DEFAULT_BOOK_POLICY,
        journal: Iterable[JournalEntry] = (),
    ) -> None:
        party_map = unique_records(
            parties, lambda p: p.party_id, "parties", "party", (Person, Organisation)
        )
        unit_map = unique_records(units, lambda u: u.unit_id, "units", "unit", (Unit,))
        relation_map = unique_records(
            relations,
            lambda r: r.relation_id,
            "relations",
            "relation",
            (*UNIT_RELATION_TYPES, AgencyContact, CommitteeMember),
        )
        if not isinstance(policy, PartyBookPolicy):
            raise InvalidType(
                f"policy must be a PartyBookPolicy, not {type(policy).__name__}.",
                field="policy",
                value=policy,
                allowed="PartyBookPolicy",
            )
        entries = check_items(journal, "journal", JournalEntry)
        by_target, by_party, by_lease = build_indexes(relation_map.values())
        for name, value in (
            ("_parties", party_map),
            ("_units", unit_map),
            ("_relations", relation_map),
            ("_journal", entries),
            ("_policy", policy),
            ("_by_target", by_target),
            ("_by_party", by_party),
            ("_by_lease", by_lease),
        ):
            set_cached(self, name, value)
        check_book(self, set(by_target) | set(unit_map), set(by_lease), set(party_map))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a PartyBook is immutable; use its operations (cannot set {name}).")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a PartyBook is immutable (cannot delete {name}).")

    def __repr__(self) -> str:
        return (
            f"PartyBook(parties={len(self._parties)}, units={len(self._units)}, "
            f"relations={len(self._relations)}, journal={len(self._journal)})"
        )

    # -- records ------------------------------------------------------------------------------

    @property
    def policy(self) -> PartyBookPolicy:
        """The rules this book keeps."""
        return self._policy

    @property
    def parties(self) -> tuple[Party, ...]:
        """Every party, merged and erased ones included, in the order they were added."""
        return tuple(self._parties.values())

    @property
    def units(self) -> tuple[Unit, ...]:
        """Every unit, in the order they were added."""
        return tuple(self._units.values())

    @property
    def relations(self) -> tuple[Relation, ...]:
        """Every relation ever recorded, ended ones included, in the order they were added."""
        return tuple(self._relations.values())

    @property
    def journal(self) -> tuple[JournalEntry, ...]:
        """The operations applied to this book, oldest first."""
        return self._journal

    def party(self, party_id: str) -> Party:
        """The party with ``party_id``; :class:`~propcrm.errors.UnknownRecord` if none."""
        party = self._parties.get(check_record_id(party_id, "party id"))
        if party is None:
            raise UnknownRecord(
                f"no party with id {party_id!r} in this book.", field="party_id", value=party_id
            )
        return party

    def person(self, party_id: str) -> Person:
        """The person with ``party_id``; refuses an organisation."""
        party = self.party(party_id)
        if not isinstance(party, Person):
            raise UnknownRecord(
                f"party {party_id} is an organisation, not a person.",
                field="party_id",
                value=party_id,
                allowed="the id of a person",
            )
        return party

    def unit(self, unit_id: str) -> Unit:
        """The unit with ``unit_id``; :class:`~propcrm.errors.UnknownRecord` if none."""
        unit = self._units.get(check_record_id(unit_id, "unit id", InvalidUnit))
        if unit is None:
            raise UnknownRecord(
                f"no unit with id {unit_id!r} in this book.", field="unit_id", value=unit_id
            )
        return unit

    def relation(self, relation_id: str) -> Relation:
        """The relation with ``relation_id``; :class:`~propcrm.errors.UnknownRecord` if none."""
        relation = self._relations.get(check_record_id(relation_id, "relation id", InvalidRelation))
        if relation is None:
            raise UnknownRecord(
                f"no relation with id {relation_id!r} in this book.",
                field="relation_id",
                value=relation_id,
            )
        return relation

    def resolve(self, party_id: str) -> Party:
        """The party that ``party_id`` stands for now: itself, or the party it was merged into."""
        party = self.party(party_id)
        seen = {party_id}
        while party.merged_into is not None:
            if party.merged_into in seen:  # pragma: no cover - merges refuse cycles
                raise RelationConflict(f"party {party_id} is merged in a cycle.", party_id=party_id)
            seen.add(party.merged_into)
            party = self.party(party.merged_into)
        return party

    # -- as-of queries ------------------------------------------------------------------------

    def relations_to(
        self,
        target: str,
        on: datetime.date | None = None,
        kinds: Iterable[RelationKind] | None = None,
    ) -> tuple[Relation, ...]:
        """Relations to a unit or organisation: all of them, or those in force ``on``."""
        check_record_id(target, "target", InvalidRelation)
        return self._select(self._by_target.get(target, ()), on, kinds)

    def relations_of(
        self,
        party_id: str,
        on: datetime.date | None = None,
        kinds: Iterable[RelationKind] | None = None,
    ) -> tuple[Relation, ...]:
        """The relations a party holds: all of them (its history), or those in force ``on``."""
        self.party(party_id)
        return self._select(self._by_party.get(party_id, ()), on, kinds)

    def _select(
        self,
        ids: Iterable[str],
        on: datetime.date | None,
        kinds: Iterable[RelationKind] | None,
    ) -> tuple[Relation, ...]:
        wanted = None if kinds is None else frozenset(check_items(kinds, "kinds", RelationKind))
        day = None if on is None else as_date(on, "on")
        found = [
            r
            for r in (self._relations[i] for i in ids)
            if (wanted is None or r.kind in wanted) and (day is None or r.covers(day))
        ]
        return tuple(sorted(found, key=_order))

    def owners(self, unit_id: str, on: datetime.date) -> tuple[Owner, ...]:
        """The owners of ``unit_id`` on ``on``, earliest first."""
        self.unit(unit_id)
        on = as_date(on, "on")  # required: relations_to(…, None) is every day
        return tuple(
            r for r in self.relations_to(unit_id, on, (RelationKind.OWNER,)) if isinstance(r, Owner)
        )

    def tenants(self, unit_id: str, on: datetime.date) -> tuple[Tenant, ...]:
        """The tenants of ``unit_id`` on ``on`` (lead first)."""
        self.unit(unit_id)
        on = as_date(on, "on")  # required: relations_to(…, None) is every day
        found = [r for r in self.relations_to(unit_id, on) if isinstance(r, Tenant)]
        return tuple(sorted(found, key=lambda t: (t.role is not TenantRole.LEAD, *_order(t))))

    def residents(self, unit_id: str, on: datetime.date) -> tuple[Resident, ...]:
        """The residents of ``unit_id`` on ``on`` (the household head first)."""
        self.unit(unit_id)
        on = as_date(on, "on")  # required: relations_to(…, None) is every day
        found = [r for r in self.relations_to(unit_id, on) if isinstance(r, Resident)]
        return tuple(sorted(found, key=lambda r: (r.role is not HouseholdRole.HEAD, *_order(r))))

    def merchants(self, unit_id: str, on: datetime.date) -> tuple[Merchant, ...]:
        """The merchant running a shop in ``unit_id`` on ``on`` (at most one)."""
        self.unit(unit_id)
        on = as_date(on, "on")  # required: relations_to(…, None) is every day
        return tuple(r for r in self.relations_to(unit_id, on) if isinstance(r, Merchant))

    def occupants(self, unit_id: str, on: datetime.date) -> tuple[str, ...]:
        """Party ids of those who occupied ``unit_id`` on ``on``: residents, tenants, merchants."""
        found: dict[str, None] = {}
        for group in (
            self.residents(unit_id, on),
            self.tenants(unit_id, on),
            self.merchants(unit_id, on),
        ):
            for r in group:
                found.setdefault(r.party_id)
        return tuple(found)

    def lease(self, lease_id: str) -> tuple[Tenant, ...]:
        """The tenancies of one lease, lead first."""
        ids = self._by_lease.get(check_record_id(lease_id, "lease id", InvalidRelation))
        if ids is None:
            raise UnknownRecord(
                f"no lease with id {lease_id!r} in this book.", field="lease_id", value=lease_id
            )
        found = [r for r in (self._relations[i] for i in ids) if isinstance(r, Tenant)]
        return tuple(sorted(found, key=lambda t: (t.role is not TenantRole.LEAD, *_order(t))))

    def units_of(
        self,
        party_id: str,
        on: datetime.date,
        kinds: Iterable[RelationKind] | None = None,
    ) -> tuple[str, ...]:
        """The units a party held any relation to on ``on`` (or one of ``kinds``), sorted."""
        day = as_date(on, "on")  # required here: relations_of(…, None) would be every day
        return tuple(
            sorted(
                {
                    r.target
                    for r in self.relations_of(party_id, day, kinds)
                    if isinstance(r, UNIT_RELATION_TYPES)
                }
            )
        )

    def unit_status(self, unit_id: str, on: datetime.date) -> UnitStatus:
        """The unit's status on ``on``, derived from its dated facts."""
        return self.unit(unit_id).status(on)

    def payer(self, unit_id: str, on: datetime.date) -> Payer | None:
        """The party billable for ``unit_id`` on ``on``, with the rule that chose it.

        ``None`` when nobody is: no owner is recorded and no tenant pays (an unsold unit of a
        developer that is not in the book).
        """
        day = as_date(on, "on")
        return payer_on(unit_id, day, self.owners(unit_id, day), self.tenants(unit_id, day))

    def payer_spans(
        self, unit_id: str, first: datetime.date, until: datetime.date | None
    ) -> tuple[PayerSpan, ...]:
        """Who is billable for ``unit_id`` on each day of ``[first, until)``, as spans.

        Days nobody is billable for are left out; consecutive days of one party by one rule
        form one span. ``until=None`` runs to the last change and leaves the last span open.
        """
        self.unit(unit_id)
        start = as_date(first, "first")
        end = None if until is None else as_date(until, "until")
        if end is not None and end <= start:
            raise InvalidRelation(
                f"range until {end.isoformat()} is not after its start {start.isoformat()}.",
                field="until",
                value=end,
                allowed=f"a date after {start.isoformat()}, or None",
            )
        relations = self.relations_to(unit_id, kinds=(RelationKind.OWNER, RelationKind.TENANT))
        changes = (d for r in relations for d in (r.start, r.end) if d is not None)

        def payer(day: pendulum.Date) -> Payer | None:
            # What self.payer(unit_id, day) answers, from the unit's owners and tenants read
            # once (in the same order) instead of looked up again for every day of a change.
            owners = tuple(r for r in relations if isinstance(r, Owner) and r.covers(day))
            tenants = sorted(
                (r for r in relations if isinstance(r, Tenant) and r.covers(day)),
                key=lambda t: (t.role is not TenantRole.LEAD, *_order(t)),
            )
            return payer_on(unit_id, day, owners, tuple(tenants))

        return spans_of(unit_id, start, end, changes, payer)

    def snapshot(self, unit_id: str, on: datetime.date) -> UnitSnapshot:
        """Status, owners, tenants, residents, merchant and payer of a unit on one day."""
        day = as_date(on, "on")
        return UnitSnapshot(
            unit_id,
            day,
            self.unit_status(unit_id, day),
            self.owners(unit_id, day),
            self.tenants(unit_id, day),
            self.residents(unit_id, day),
            self.merchants(unit_id, day),
            self.payer(unit_id, day),
        )

    def history(self, record_id: str) -> tuple[JournalEntry, ...]:
        """The journal entries that touched a party, unit or relation, oldest first."""
        check_record_id(record_id, "record id")
        return tuple(
            e
            for e in self._journal
            if record_id in e.parties
            or record_id in e.units
            or record_id in e.opened
            or record_id in e.ended
            or record_id in e.moved
        )

    # -- operations (in _book_operations) ------------------------------------------------------

    def with_records(
        self,
        parties: Iterable[Party] = (),
        units: Iterable[Unit] = (),
        relations: Iterable[Relation] = (),
    ) -> PartyBook:
        """A book with these records added at once, as a bulk import adds them (unjournaled).

        The same book, or the same refusal, as building it whole from the old records and the
        new with this book's policy and journal, but only what the new records touch is
        checked: each id new, and the rules of the units, organisations, leases and parties
        they name. Use it to load records from elsewhere; the operations journal changes.
        """
        return grown_book(self, parties, units, relations)

    def add_party(self, party: Party) -> PartyBook:
        """A book with ``party`` added; its id must be new."""
        return ops.add_party(self, party)

    def add_unit(self, unit: Unit) -> PartyBook:
        """A book with ``unit`` added; its id must be new."""
        return ops.add_unit(self, unit)

    def add_relation(self, relation: Relation, reference: str = "") -> PartyBook:
        """A book with ``relation`` added, checked against every rule of its target."""
        return ops.add_relation(self, relation, reference)

    def end_relation(self, relation_id: str, on: datetime.date, reference: str = "") -> PartyBook:
        """A book in which the relation ends on ``on`` (exclusive); it stays on record."""
        return ops.end_relation(self, relation_id, on, reference)

    def record_fact(self, unit_id: str, fact: UnitFact, reference: str = "") -> PartyBook:
        """A book in which the unit has ``fact`` too (a decoration, an occupancy …).

        A sale is recorded with :meth:`sell`, which moves the ownership with it.
        """
        return ops.record_fact(self, unit_id, fact, reference)

    def hand_over(self, unit_id: str, on: datetime.date, reference: str = "") -> PartyBook:
        """A book in which the unit was handed over (交付) on ``on``; it must be owned from then."""
        return ops.hand_over(self, unit_id, on, reference)

    def record_decoration(self, unit_id: str, decoration: Decoration) -> PartyBook:
        """A book with the unit's decoration works recorded (after its handover)."""
        return ops.record_decoration(self, unit_id, decoration)

    def sell(
        self,
        unit_id: str,
        on: datetime.date,
        buyers: str | Mapping[str, object],
        *,
        sellers: Iterable[str] | None = None,
        payer: str | None = None,
        reference: str = "",
    ) -> PartyBook:
        """A sale on ``on``: the sellers' ownership ends and the buyers' begins that day.

        ``sellers`` default to every owner on ``on``; ``buyers`` is one party id (who takes the
        sold shares whole) or a mapping of party ids to shares, which must add up to the shares
        sold. A buyer who already owns part of the unit gets one relation with both parts. A
        lease in force is not touched: a sale does not break a lease (买卖不破租赁, Civil Code
        art. 725). ``payer`` designates the fee payer among joint buyers.
        """
        return ops.sell(
            self, unit_id, on, buyers, sellers=sellers, payer=payer, reference=reference
        )

    def move_in(
        self,
        unit_id: str,
        on: datetime.date,
        *,
        head: str | None,
        members: Mapping[str, str] | Iterable[str] = (),
        reference: str = "",
    ) -> PartyBook:
        """A move-in (入住) on ``on``: residents from that day, and the unit occupied.

        ``head`` becomes the household head (户主), ``None`` to join an existing household;
        ``members`` are party ids, or a mapping of party ids to their relationship to the head
        (``{'P2': '配偶'}``). The unit must have been handed over.
        """
        return occupancy.move_in(self, unit_id, on, head=head, members=members, reference=reference)

    def move_out(
        self,
        unit_id: str,
        on: datetime.date,
        parties: Iterable[str] | None = None,
        reference: str = "",
    ) -> PartyBook:
        """A move-out on ``on``: the residents' relations end (all, or those of ``parties``).

        When nobody is left, the unit's occupancy ends too.
        """
        return occupancy.move_out(self, unit_id, on, parties, reference)

    def start_lease(
        self,
        unit_id: str,
        start: datetime.date,
        *,
        lead: str,
        end: datetime.date | None = None,
        co_tenants: Iterable[str] = (),
        paying_tenant: str | None = None,
        lease_id: str | None = None,
        reference: str = "",
    ) -> PartyBook:
        """A lease of ``unit_id`` from ``start`` until its agreed ``end`` (exclusive).

        ``lead`` is the lead tenant (承租人), ``co_tenants`` the others; ``paying_tenant`` is the
        tenant who pays the fees under the lease (default: nobody, so the owner pays). The unit
        must be handed over, and no other lease may be in force on any of its days.
        """
        return occupancy.start_lease(
            self,
            unit_id,
            start,
            lead=lead,
            end=end,
            co_tenants=co_tenants,
            paying_tenant=paying_tenant,
            lease_id=lease_id,
            reference=reference,
        )

    def end_lease(
        self, lease_id: str, on: datetime.date, *, move_out: bool = True, reference: str = ""
    ) -> PartyBook:
        """The lease ends on ``on`` (before or at its agreed end); the agreed end stays on record.

        With ``move_out`` (the default) the tenants' household moves out the same day: the
        residents of the unit whose household head is one of the lease's tenants, and any tenant
        living there.
        """
        return occupancy.end_lease(self, lease_id, on, move_out=move_out, reference=reference)

    # -- checks (in _book_rules) ----------------------------------------------------------------

    def conflicts(self) -> tuple[Conflict, ...]:
        """Every rule a book's relations break (empty for a book built by its own checks)."""
        return book_conflicts(self)
