"""The party book: an immutable aggregate of parties, units and their dated relations.

A :class:`PartyBook` answers as-of questions — who owned, occupied and was billable for a unit on
a date, which units a party held on a date — and applies the operations of the brief (§1) as
single steps: a move-in, a sale, a lease start or end, a handover. Each operation returns a new
book and records itself in the book's journal; one that would break a rule (overlapping
exclusive relations, shares above 100 %, a handed-over unit without a full owner, a move-in
before handover …) is refused with a specific error, and nothing of it is applied.

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
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

import attrs
import pendulum

from propcrm._i18n import LocaleLike, gettext
from propcrm._trusted import build_trusted, set_cached
from propcrm._validators import check_record_id
from propcrm.errors import (
    DuplicateRecord,
    InvalidRelation,
    RelationConflict,
    UnitNotReady,
    UnknownRecord,
)
from propcrm.parties._book_policy import DEFAULT_BOOK_POLICY, PartyBookPolicy
from propcrm.parties._journal import BookOperation, JournalEntry
from propcrm.parties._parties import Organisation, OrganisationKind, Party, Person
from propcrm.parties._payers import Payer, PayerSpan, payer_on
from propcrm.parties._relations import (
    FULL_SHARE,
    UNIT_RELATION_TYPES,
    AgencyContact,
    CommitteeMember,
    Conflict,
    ConflictKind,
    HouseholdRole,
    Merchant,
    Owner,
    Relation,
    RelationKind,
    Resident,
    Tenant,
    TenantRole,
    coverage_conflicts,
    exclusivity_conflicts,
    lease_conflicts,
    share_conflicts,
    to_share,
)
from propcrm.parties._snapshots import UnitSnapshot
from propcrm.parties._units import Decoration, Handover, Occupancy, Sale, Unit, UnitFact, UnitStatus
from propcrm.time import as_date

__all__ = ["PartyBook", "derived_book"]

_T = TypeVar("_T")

_COMMITTEE_KINDS = frozenset(
    {OrganisationKind.OWNERS_COMMITTEE, OrganisationKind.RESIDENTS_COMMITTEE}
)


def _order(r: Relation) -> tuple[pendulum.Date, str]:
    return r.start, r.relation_id


def _as_share_map(buyers: str | Mapping[str, object], whole: Decimal) -> dict[str, object]:
    if isinstance(buyers, str):
        return {buyers: whole}
    if not isinstance(buyers, Mapping) or not buyers:
        raise InvalidRelation(
            "buyers must be one party id, or a mapping of party ids to shares like "
            "{'P1': '0.6', 'P2': '0.4'}."
        )
    return dict(buyers)


# -- the book ---------------------------------------------------------------------------------


Index = dict[str, tuple[str, ...]]
"""Relation ids by a key (target, party or lease), in the order the relations were added."""


def _indexes(relations: Iterable[Relation]) -> tuple[Index, Index, Index]:
    """The relations' ids by target, by party and by lease, built from scratch."""
    by_target: dict[str, list[str]] = {}
    by_party: dict[str, list[str]] = {}
    by_lease: dict[str, list[str]] = {}
    for r in relations:
        by_target.setdefault(r.target, []).append(r.relation_id)
        by_party.setdefault(r.party_id, []).append(r.relation_id)
        if isinstance(r, Tenant):
            by_lease.setdefault(r.lease_id, []).append(r.relation_id)
    return (
        {k: tuple(v) for k, v in by_target.items()},
        {k: tuple(v) for k, v in by_party.items()},
        {k: tuple(v) for k, v in by_lease.items()},
    )


def _updated_indexes(base: PartyBook, changed: Iterable[Relation]) -> tuple[Index, Index, Index]:
    """``base``'s indexes with the entries of ``changed`` relations moved; the rest is shared."""
    indexes = (dict(base._by_target), dict(base._by_party), dict(base._by_lease))
    for r in changed:
        old = base._relations.get(r.relation_id)
        for index, old_key, new_key in (
            (indexes[0], None if old is None else old.target, r.target),
            (indexes[1], None if old is None else old.party_id, r.party_id),
            (
                indexes[2],
                old.lease_id if isinstance(old, Tenant) else None,
                r.lease_id if isinstance(r, Tenant) else None,
            ),
        ):
            if old_key is not None and old_key != new_key:
                remaining = tuple(i for i in index[old_key] if i != r.relation_id)
                if remaining:
                    index[old_key] = remaining
                else:  # as a rebuild from scratch would have it: no key without relations
                    del index[old_key]
            if new_key is not None and r.relation_id not in index.get(new_key, ()):
                index[new_key] = (*index.get(new_key, ()), r.relation_id)
    return indexes


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
        party_map = _unique(parties, lambda p: p.party_id, "party", (Person, Organisation))
        unit_map = _unique(units, lambda u: u.unit_id, "unit", (Unit,))
        relation_map = _unique(
            relations,
            lambda r: r.relation_id,
            "relation",
            (*UNIT_RELATION_TYPES, AgencyContact, CommitteeMember),
        )
        if not isinstance(policy, PartyBookPolicy):
            raise TypeError(f"policy must be a PartyBookPolicy, not {type(policy).__name__}.")
        by_target, by_party, by_lease = _indexes(relation_map.values())
        for name, value in (
            ("_parties", party_map),
            ("_units", unit_map),
            ("_relations", relation_map),
            ("_journal", tuple(journal)),
            ("_policy", policy),
            ("_by_target", by_target),
            ("_by_party", by_party),
            ("_by_lease", by_lease),
        ):
            set_cached(self, name, value)
        self._check(set(by_target) | set(unit_map), set(by_lease), set(party_map))

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
        try:
            return self._parties[party_id]
        except KeyError:
            raise UnknownRecord(f"no party with id {party_id!r} in this book.") from None

    def person(self, party_id: str) -> Person:
        """The person with ``party_id``; refuses an organisation."""
        party = self.party(party_id)
        if not isinstance(party, Person):
            raise UnknownRecord(f"party {party_id} is an organisation, not a person.")
        return party

    def unit(self, unit_id: str) -> Unit:
        """The unit with ``unit_id``; :class:`~propcrm.errors.UnknownRecord` if none."""
        try:
            return self._units[unit_id]
        except KeyError:
            raise UnknownRecord(f"no unit with id {unit_id!r} in this book.") from None

    def relation(self, relation_id: str) -> Relation:
        """The relation with ``relation_id``; :class:`~propcrm.errors.UnknownRecord` if none."""
        try:
            return self._relations[relation_id]
        except KeyError:
            raise UnknownRecord(f"no relation with id {relation_id!r} in this book.") from None

    def resolve(self, party_id: str) -> Party:
        """The party that ``party_id`` stands for now: itself, or the party it was merged into."""
        party = self.party(party_id)
        seen = {party_id}
        while party.merged_into is not None:
            if party.merged_into in seen:  # pragma: no cover - merges refuse cycles
                raise RelationConflict(f"party {party_id} is merged in a cycle.")
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
        wanted = None if kinds is None else frozenset(kinds)
        day = None if on is None else as_date(on)
        found = [
            r
            for r in (self._relations[i] for i in ids)
            if (wanted is None or r.kind in wanted) and (day is None or r.covers(day))
        ]
        return tuple(sorted(found, key=_order))

    def owners(self, unit_id: str, on: datetime.date) -> tuple[Owner, ...]:
        """The owners of ``unit_id`` on ``on``, earliest first."""
        self.unit(unit_id)
        return tuple(
            r for r in self.relations_to(unit_id, on, (RelationKind.OWNER,)) if isinstance(r, Owner)
        )

    def tenants(self, unit_id: str, on: datetime.date) -> tuple[Tenant, ...]:
        """The tenants of ``unit_id`` on ``on`` (lead first)."""
        self.unit(unit_id)
        found = [r for r in self.relations_to(unit_id, on) if isinstance(r, Tenant)]
        return tuple(sorted(found, key=lambda t: (t.role is not TenantRole.LEAD, *_order(t))))

    def residents(self, unit_id: str, on: datetime.date) -> tuple[Resident, ...]:
        """The residents of ``unit_id`` on ``on`` (the household head first)."""
        self.unit(unit_id)
        found = [r for r in self.relations_to(unit_id, on) if isinstance(r, Resident)]
        return tuple(sorted(found, key=lambda r: (r.role is not HouseholdRole.HEAD, *_order(r))))

    def merchants(self, unit_id: str, on: datetime.date) -> tuple[Merchant, ...]:
        """The merchant running a shop in ``unit_id`` on ``on`` (at most one)."""
        self.unit(unit_id)
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
        ids = self._by_lease.get(lease_id)
        if ids is None:
            raise UnknownRecord(f"no lease with id {lease_id!r} in this book.")
        found = [r for r in (self._relations[i] for i in ids) if isinstance(r, Tenant)]
        return tuple(sorted(found, key=lambda t: (t.role is not TenantRole.LEAD, *_order(t))))

    def units_of(
        self,
        party_id: str,
        on: datetime.date,
        kinds: Iterable[RelationKind] | None = None,
    ) -> tuple[str, ...]:
        """The units a party held any relation to on ``on`` (or one of ``kinds``), sorted."""
        return tuple(
            sorted(
                {
                    r.target
                    for r in self.relations_of(party_id, on, kinds)
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
        day = as_date(on)
        return payer_on(unit_id, day, self.owners(unit_id, day), self.tenants(unit_id, day))

    def payer_spans(
        self, unit_id: str, first: datetime.date, until: datetime.date | None
    ) -> tuple[PayerSpan, ...]:
        """Who is billable for ``unit_id`` on each day of ``[first, until)``, as spans.

        Days nobody is billable for are left out; consecutive days of one party by one rule
        form one span. ``until=None`` runs to the last change and leaves the last span open.
        """
        start = as_date(first)
        end = None if until is None else as_date(until)
        if end is not None and end <= start:
            raise InvalidRelation(
                f"range until {end.isoformat()} is not after its start {start.isoformat()}."
            )
        days = {start}
        for r in self.relations_to(unit_id, kinds=(RelationKind.OWNER, RelationKind.TENANT)):
            for d in (r.start, r.end):
                if d is not None and d > start and (end is None or d < end):
                    days.add(d)
        spans: list[PayerSpan] = []
        ordered = sorted(days)
        for i, day in enumerate(ordered):
            stop = ordered[i + 1] if i + 1 < len(ordered) else end
            payer = self.payer(unit_id, day)
            if payer is None:
                continue
            last = spans[-1] if spans else None
            if (
                last is not None
                and last.until == day
                and (last.party_id, last.reason) == (payer.party_id, payer.reason)
            ):
                spans[-1] = attrs.evolve(last, until=stop)
            else:
                spans.append(PayerSpan(unit_id, payer.party_id, day, stop, payer.reason))
        return tuple(spans)

    def snapshot(self, unit_id: str, on: datetime.date) -> UnitSnapshot:
        """Status, owners, tenants, residents, merchant and payer of a unit on one day."""
        day = as_date(on)
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
        return tuple(
            e
            for e in self._journal
            if record_id in e.parties
            or record_id in e.units
            or record_id in e.opened
            or record_id in e.ended
            or record_id in e.moved
        )

    # -- operations ---------------------------------------------------------------------------

    def add_party(self, party: Party) -> PartyBook:
        """A book with ``party`` added; its id must be new."""
        if not isinstance(party, Person | Organisation):
            raise TypeError(f"a party is a Person or Organisation, not {type(party).__name__}.")
        if party.party_id in self._parties:
            raise DuplicateRecord(f"party id {party.party_id} is taken; give each party its own.")
        if party.merged_into is not None:
            raise InvalidRelation(
                f"party {party.party_id} arrives merged into {party.merged_into}; merge parties "
                "with a merge plan instead."
            )
        entry = JournalEntry(BookOperation.ADD_PARTY, None, parties=(party.party_id,))
        return derived_book(self, entry, parties={party.party_id: party})

    def add_unit(self, unit: Unit) -> PartyBook:
        """A book with ``unit`` added; its id must be new."""
        if not isinstance(unit, Unit):
            raise TypeError(f"a unit is a Unit, not {type(unit).__name__}.")
        if unit.unit_id in self._units:
            raise DuplicateRecord(f"unit id {unit.unit_id} is taken; give each unit its own.")
        entry = JournalEntry(BookOperation.ADD_UNIT, None, units=(unit.unit_id,))
        return derived_book(self, entry, units={unit.unit_id: unit}, targets={unit.unit_id})

    def add_relation(self, relation: Relation, reference: str = "") -> PartyBook:
        """A book with ``relation`` added, checked against every rule of its target."""
        if relation.relation_id in self._relations:
            raise DuplicateRecord(
                f"relation id {relation.relation_id} is taken; give each relation its own."
            )
        entry = JournalEntry(
            BookOperation.ADD_RELATION,
            relation.start,
            parties=(relation.party_id,),
            units=_unit_of(relation),
            opened=(relation.relation_id,),
            reference=reference,
        )
        return derived_book(self, entry, relations=[relation])

    def end_relation(self, relation_id: str, on: datetime.date, reference: str = "") -> PartyBook:
        """A book in which the relation ends on ``on`` (exclusive); it stays on record."""
        ended = self.relation(relation_id).ended(on)
        entry = JournalEntry(
            BookOperation.END_RELATION,
            as_date(on),
            parties=(ended.party_id,),
            units=_unit_of(ended),
            ended=(relation_id,),
            reference=reference,
        )
        return derived_book(self, entry, relations=[ended])

    def record_fact(self, unit_id: str, fact: UnitFact, reference: str = "") -> PartyBook:
        """A book in which the unit has ``fact`` too (a decoration, an occupancy …).

        A sale is recorded with :meth:`sell`, which moves the ownership with it.
        """
        if isinstance(fact, Sale):
            raise InvalidRelation(
                f"record the sale of {unit_id} with sell(), which ends the sellers' ownership "
                "and opens the buyers' on the same day."
            )
        unit = self.unit(unit_id).with_fact(fact)
        day = fact.on if isinstance(fact, Sale | Handover) else fact.start
        operation = (
            BookOperation.HANDOVER if isinstance(fact, Handover) else BookOperation.RECORD_FACT
        )
        entry = JournalEntry(operation, day, units=(unit_id,), reference=reference)
        return derived_book(self, entry, units={unit_id: unit}, targets={unit_id})

    def hand_over(self, unit_id: str, on: datetime.date, reference: str = "") -> PartyBook:
        """A book in which the unit was handed over (交付) on ``on``; it must be owned from then."""
        return self.record_fact(unit_id, Handover(on, reference), reference)

    def record_decoration(self, unit_id: str, decoration: Decoration) -> PartyBook:
        """A book with the unit's decoration works recorded (after its handover)."""
        return self.record_fact(unit_id, decoration, decoration.permit.number)

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
        day = as_date(on)
        unit = self.unit(unit_id)
        current = {o.party_id: o for o in self.owners(unit_id, day)}
        named = tuple(current) if sellers is None else tuple(sellers)
        for seller in named:
            if seller not in current:
                raise RelationConflict(
                    f"{seller} does not own unit {unit_id} on {day.isoformat()}, so cannot sell "
                    f"it; the owners then are {', '.join(current) or 'none'}."
                )
        sold = sum((current[s].share for s in named), Decimal(0))
        shares = _as_share_map(buyers, sold if named else FULL_SHARE)
        bought: dict[str, Decimal] = {}
        for buyer, value in shares.items():
            self._live_party(buyer)
            if buyer in named:
                raise RelationConflict(f"{buyer} cannot be both seller and buyer of {unit_id}.")
            bought[buyer] = to_share(value)
        if named and sum(bought.values()) != sold:
            raise InvalidRelation(
                f"the buyers' shares add up to {sum(bought.values())}, but the sellers sell "
                f"{sold}; a sale passes on exactly what is sold."
            )
        if payer is not None and payer not in bought:
            raise InvalidRelation(f"payer {payer} is not one of the buyers {', '.join(bought)}.")
        changed: list[Relation] = [current[s].ended(day) for s in named]
        opened: list[Relation] = []
        ids = self._id_source("R")
        for buyer, part in bought.items():
            kept = current.get(buyer)
            share = part
            if kept is not None:  # a co-owner buying more: one relation with the whole share
                changed.append(kept.ended(day))
                share += kept.share
            opened.append(
                Owner(
                    relation_id=next(ids),
                    party_id=buyer,
                    unit_id=unit_id,
                    start=day,
                    share=share,
                    pays_fees=buyer == payer or (kept is not None and kept.pays_fees),
                )
            )
        entry = JournalEntry(
            BookOperation.SALE,
            day,
            parties=(*named, *bought),
            units=(unit_id,),
            opened=tuple(r.relation_id for r in opened),
            ended=tuple(r.relation_id for r in changed),
            reference=reference,
        )
        return derived_book(
            self,
            entry,
            units={unit_id: unit.with_fact(Sale(day, reference))},
            relations=[*changed, *opened],
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
        day = as_date(on)
        unit = self.unit(unit_id)
        status = unit.status(day)
        if not status.handed_over:
            raise UnitNotReady(
                f"unit {unit_id} has not been handed over by {day.isoformat()}; a move-in comes "
                "after the handover (交付)."
            )
        relationships = (
            dict(members) if isinstance(members, Mapping) else dict.fromkeys(members, "")
        )
        if head is None and not relationships:
            raise InvalidRelation("a move-in needs a household head or at least one member.")
        ids = self._id_source("R")
        opened: list[Relation] = []
        if head is not None:
            self._live_party(head)
            opened.append(
                Resident(
                    relation_id=next(ids),
                    party_id=head,
                    unit_id=unit_id,
                    start=day,
                    role=HouseholdRole.HEAD,
                )
            )
        for member, relationship in relationships.items():
            self._live_party(member)
            opened.append(
                Resident(
                    relation_id=next(ids),
                    party_id=member,
                    unit_id=unit_id,
                    start=day,
                    relationship=relationship,
                )
            )
        units = {} if status.occupancy is not None else {unit_id: unit.with_fact(Occupancy(day))}
        entry = JournalEntry(
            BookOperation.MOVE_IN,
            day,
            parties=tuple(r.party_id for r in opened),
            units=(unit_id,),
            opened=tuple(r.relation_id for r in opened),
            reference=reference,
        )
        return derived_book(self, entry, units=units, relations=opened)

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
        day = as_date(on)
        residents = self.residents(unit_id, day)
        chosen = (
            residents
            if parties is None
            else tuple(r for r in residents if r.party_id in set(parties))
        )
        if parties is not None and len(chosen) != len(set(parties)):
            missing = set(parties) - {r.party_id for r in chosen}
            raise RelationConflict(
                f"{', '.join(sorted(missing))} did not live in {unit_id} on {day.isoformat()}."
            )
        if not chosen:
            raise RelationConflict(f"nobody lived in {unit_id} on {day.isoformat()} to move out.")
        return self._move_out(unit_id, day, chosen, BookOperation.MOVE_OUT, reference)

    def _move_out(
        self,
        unit_id: str,
        day: pendulum.Date,
        leaving: Sequence[Relation],
        operation: BookOperation,
        reference: str,
        also: Sequence[Relation] = (),
    ) -> PartyBook:
        ended = [r.ended(day) for r in leaving]
        unit = self.unit(unit_id)
        units = {}
        leaving_ids = {r.relation_id for r in leaving}
        staying = [r for r in self.residents(unit_id, day) if r.relation_id not in leaving_ids]
        if leaving and not staying and unit.occupied_on(day):
            units[unit_id] = unit.end_occupancy(day)
        changed = [*also, *ended]
        entry = JournalEntry(
            operation,
            day,
            parties=tuple(dict.fromkeys(r.party_id for r in changed)),
            units=(unit_id,),
            ended=tuple(r.relation_id for r in changed),
            reference=reference,
        )
        return derived_book(self, entry, units=units, relations=changed)

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
        day = as_date(start)
        if not self.unit(unit_id).status(day).handed_over:
            raise UnitNotReady(
                f"unit {unit_id} has not been handed over by {day.isoformat()}; a lease starts "
                "after the handover (交付)."
            )
        lease = next(_Ids("L", self._by_lease)) if lease_id is None else lease_id
        check_record_id(lease, "lease id", InvalidRelation)
        if lease in self._by_lease:
            raise DuplicateRecord(f"lease id {lease} is taken; give each lease its own.")
        tenants = (lead, *co_tenants)
        if len(set(tenants)) != len(tenants):
            raise InvalidRelation(f"lease {lease} names a tenant twice: {', '.join(tenants)}.")
        if paying_tenant is not None and paying_tenant not in tenants:
            raise InvalidRelation(
                f"paying tenant {paying_tenant} is not a tenant of lease {lease} "
                f"({', '.join(tenants)})."
            )
        ids = self._id_source("R")
        opened: list[Relation] = []
        for party_id in tenants:
            self._live_party(party_id)
            opened.append(
                Tenant(
                    relation_id=next(ids),
                    party_id=party_id,
                    unit_id=unit_id,
                    start=day,
                    planned_until=end,
                    lease_id=lease,
                    role=TenantRole.LEAD if party_id == lead else TenantRole.CO_TENANT,
                    pays_fees=party_id == paying_tenant,
                )
            )
        entry = JournalEntry(
            BookOperation.LEASE_START,
            day,
            parties=tenants,
            units=(unit_id,),
            opened=tuple(r.relation_id for r in opened),
            reference=reference or lease,
        )
        return derived_book(self, entry, relations=opened)

    def end_lease(
        self, lease_id: str, on: datetime.date, *, move_out: bool = True, reference: str = ""
    ) -> PartyBook:
        """The lease ends on ``on`` (before or at its agreed end); the agreed end stays on record.

        With ``move_out`` (the default) the tenants' household moves out the same day: the
        residents of the unit whose household head is one of the lease's tenants, and any tenant
        living there.
        """
        day = as_date(on)
        tenancies = self.lease(lease_id)
        live = [t for t in tenancies if t.start < day and (t.end is None or t.end > day)]
        if not live:
            raise RelationConflict(
                f"lease {lease_id} has no tenancy in force before {day.isoformat()} and after "
                "it, so it cannot end then."
            )
        ended: list[Relation] = [t.ended(day) for t in live]
        unit_id = live[0].unit_id
        leaving: list[Relation] = []
        if move_out:
            names = {t.party_id for t in tenancies}
            residents = self.residents(unit_id, day)
            heads = [r for r in residents if r.role is HouseholdRole.HEAD]
            if heads and heads[0].party_id in names:
                leaving = list(residents)
            else:
                leaving = [r for r in residents if r.party_id in names]
        return self._move_out(
            unit_id, day, leaving, BookOperation.LEASE_END, reference or lease_id, also=ended
        )

    # -- internals ----------------------------------------------------------------------------

    def _live_party(self, party_id: str) -> Party:
        party = self.party(party_id)
        if party.merged_into is not None:
            raise InvalidRelation(
                f"party {party_id} was merged into {party.merged_into}; relate that party instead."
            )
        return party

    def _id_source(self, prefix: str) -> _Ids:
        return _Ids(prefix, self._relations)

    def _check(self, targets: Iterable[str], leases: Iterable[str], parties: Iterable[str]) -> None:
        for party_id in parties:
            party = self._parties.get(party_id)
            if party is not None and party.merged_into is not None:
                self.party(party.merged_into)
        conflicts: list[Conflict] = []
        for target in sorted(targets):
            relations = self.relations_to(target)
            self._check_references(target, relations)
            conflicts.extend(self._conflicts(target, relations))
            if conflicts:
                break
        for lease_id in sorted(leases):
            if conflicts:
                break
            tenancies = [self._relations[i] for i in self._by_lease.get(lease_id, ())]
            conflicts.extend(lease_conflicts(tenancies))
        if conflicts:
            raise conflicts[0].error()

    def conflicts(self) -> tuple[Conflict, ...]:
        """Every rule a book's relations break (empty for a book built by its own checks)."""
        found: list[Conflict] = []
        for target in sorted(set(self._by_target) | set(self._units)):
            found.extend(self._conflicts(target, self.relations_to(target)))
        found.extend(lease_conflicts(self._relations.values()))
        return tuple(found)

    def _check_references(self, target: str, relations: Sequence[Relation]) -> None:
        for r in relations:
            party = self._parties.get(r.party_id)
            if party is None:
                raise UnknownRecord(
                    f"relation {r.relation_id} names party {r.party_id}, which is not in this "
                    "book; add the party first."
                )
            if party.merged_into is not None:
                raise InvalidRelation(
                    f"relation {r.relation_id} names party {r.party_id}, which was merged into "
                    f"{party.merged_into}; relate that party instead."
                )
            if isinstance(r, UNIT_RELATION_TYPES):
                if target not in self._units:
                    raise UnknownRecord(
                        f"relation {r.relation_id} names unit {target}, which is not in this "
                        "book; add the unit first."
                    )
                continue
            organisation = self._parties.get(target)
            if not isinstance(organisation, Organisation):
                raise UnknownRecord(
                    f"relation {r.relation_id} names organisation {target}, which is not an "
                    "organisation in this book; add it first."
                )
            if organisation.merged_into is not None:
                raise InvalidRelation(
                    f"relation {r.relation_id} names organisation {target}, which was merged "
                    f"into {organisation.merged_into}; relate that organisation instead."
                )
            if isinstance(r, CommitteeMember) and organisation.kind not in _COMMITTEE_KINDS:
                raise InvalidRelation(
                    f"relation {r.relation_id}: {target} is of kind {organisation.kind.value}, not "
                    "an owners' or residents' committee."
                )

    def _conflicts(self, target: str, relations: Sequence[Relation]) -> list[Conflict]:
        found = list(exclusivity_conflicts(relations, self._policy.exclusivity))
        found.extend(share_conflicts(relations))
        unit = self._units.get(target)
        if unit is None:
            return found
        handover = unit.handover
        if handover is not None:
            owners = [r for r in relations if isinstance(r, Owner)]
            found.extend(
                coverage_conflicts(
                    target, owners, handover.on, self._policy.ownership_after_handover
                )
            )
        for r in relations:
            needs_handover = isinstance(r, Tenant | Merchant | Resident)
            if needs_handover and (handover is None or r.start < handover.on):
                found.append(
                    Conflict(
                        ConflictKind.NOT_HANDED_OVER,
                        "tenants, merchants and residents come after the handover",
                        target,
                        (r.relation_id,),
                        r.start,
                        f"relation {r.relation_id} ({r.kind.value}) starts "
                        f"{r.start.isoformat()}, before unit {target} was handed over; record "
                        "the handover (交付) first.",
                        describer=functools.partial(_not_handed_over_text, r, target),
                    )
                )
            if (
                isinstance(r, Resident)
                and self._policy.residents_need_occupancy
                and not _within_occupancy(unit, r)
            ):
                found.append(
                    Conflict(
                        ConflictKind.INCONSISTENT,
                        "residents live in a unit only while it is occupied",
                        target,
                        (r.relation_id,),
                        r.start,
                        f"resident relation {r.relation_id} is in force on days unit {target} "
                        "is not occupied (入住); use move_in and move_out, which keep both.",
                        describer=functools.partial(_unoccupied_text, r.relation_id, target),
                    )
                )
        return found


class _Ids:
    """Fresh relation ids in one operation: ``R000042``, ``R000043`` …, skipping taken ones."""

    def __init__(self, prefix: str, taken: Mapping[str, object]) -> None:
        self._prefix = prefix
        self._taken = taken
        self._n = len(taken)

    def __iter__(self) -> _Ids:
        return self

    def __next__(self) -> str:
        self._n += 1
        while f"{self._prefix}{self._n:06d}" in self._taken:
            self._n += 1
        return f"{self._prefix}{self._n:06d}"


def _not_handed_over_text(relation: Relation, unit_id: str, locale: LocaleLike) -> str:
    return gettext(
        "relation %(relation)s (%(kind)s) starts %(day)s, before unit %(unit)s was handed over; "
        "record the handover first.",
        locale=locale,
        relation=relation.relation_id,
        kind=relation.kind.label(locale),
        day=relation.start.isoformat(),
        unit=unit_id,
    )


def _unoccupied_text(relation_id: str, unit_id: str, locale: LocaleLike) -> str:
    return gettext(
        "resident relation %(relation)s is in force on days unit %(unit)s is not occupied; "
        "record residents with their move-in and move-out, which keep both in step.",
        locale=locale,
        relation=relation_id,
        unit=unit_id,
    )


def _within_occupancy(unit: Unit, resident: Resident) -> bool:
    for fact in unit.facts:
        if (
            isinstance(fact, Occupancy)
            and fact.start <= resident.start
            and (fact.until is None or (resident.end is not None and resident.end <= fact.until))
        ):
            return True
    return False


def _unit_of(relation: Relation) -> tuple[str, ...]:
    return (relation.target,) if isinstance(relation, UNIT_RELATION_TYPES) else ()


def _unique(
    values: Iterable[_T],
    key: Callable[[_T], str],
    what: str,
    types: tuple[type, ...],
) -> dict[str, _T]:
    result: dict[str, _T] = {}
    for value in values:
        if not isinstance(value, types):
            names = " or ".join(t.__name__ for t in types)
            raise TypeError(f"a {what} must be a {names}, not {type(value).__name__}.")
        ident = key(value)
        if ident in result:
            raise DuplicateRecord(f"{what} id {ident} is used twice; give each {what} its own.")
        result[ident] = value
    return result


def derived_book(
    book: PartyBook,
    entry: JournalEntry,
    *,
    parties: Mapping[str, Party] | None = None,
    units: Mapping[str, Unit] | None = None,
    relations: Sequence[Relation] = (),
    targets: Iterable[str] = (),
) -> PartyBook:
    """A new book: ``book`` with the changes applied, ``entry`` journaled, and checked.

    The one way an operation (here, a merge or an erasure) makes its new book; ``book`` is left
    as it was. Refuses with the first rule the change breaks.
    """
    party_map = {**book._parties, **parties} if parties else book._parties
    unit_map = {**book._units, **units} if units else book._units
    relation_map = book._relations
    if relations:
        relation_map = dict(book._relations)
        for r in relations:
            relation_map[r.relation_id] = r
    by_target, by_party, by_lease = _updated_indexes(book, relations)
    # Fast path: the unchanged records were checked when ``book`` was built, and the changed
    # ones are checked below against every rule of what they touch (targets, leases, parties)
    # before the new book leaves this function; checking the whole book again, as __init__
    # does, would cost a full pass per operation. A refused change never escapes.
    new = build_trusted(
        PartyBook,
        _parties=party_map,
        _units=unit_map,
        _relations=relation_map,
        _journal=(*book._journal, entry),
        _policy=book._policy,
        _by_target=by_target,
        _by_party=by_party,
        _by_lease=by_lease,
    )
    touched = set(targets) | {r.target for r in relations}
    for r in relations:
        old = book._relations.get(r.relation_id)
        if old is not None:
            touched.add(old.target)
    leases = {r.lease_id for r in relations if isinstance(r, Tenant)}
    new._check(touched, leases, {r.party_id for r in relations} | set(parties or ()))
    return new
