"""The party book's operations: each a function of a book that returns a new, checked book.

A book is one aggregate split by job over a few modules; this one holds the changes of the
domain brief (§1) that :class:`~propcrm.parties.PartyBook`'s methods of the same names apply (a
sale, a handover, a move-in, a lease …), with their documentation there. Each reads the book's
fields directly as a method would, and makes its new book with
:func:`~propcrm.parties._book_changes.derived_book`, which checks what it touched.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import pendulum

from propcrm._validators import check_items, check_record_id, check_unique
from propcrm.errors import (
    DuplicateRecord,
    InvalidRelation,
    InvalidType,
    RelationConflict,
    UnitNotReady,
)
from propcrm.parties._book_changes import FreshIds, derived_book
from propcrm.parties._journal import BookOperation, JournalEntry
from propcrm.parties._parties import Organisation, Party, Person
from propcrm.parties._relations import (
    FULL_SHARE,
    RELATION_TYPES,
    UNIT_RELATION_TYPES,
    HouseholdRole,
    Owner,
    Relation,
    Resident,
    Tenant,
    TenantRole,
    to_share,
)
from propcrm.parties._units import Decoration, Handover, Occupancy, Sale, Unit, UnitFact
from propcrm.time import as_date

if TYPE_CHECKING:
    from propcrm.parties._book import PartyBook

__all__ = [
    "add_party",
    "add_relation",
    "add_unit",
    "end_lease",
    "end_relation",
    "hand_over",
    "move_in",
    "move_out",
    "record_decoration",
    "record_fact",
    "sell",
    "start_lease",
]


def _as_share_map(buyers: str | Mapping[str, object], whole: Decimal) -> dict[str, object]:
    if isinstance(buyers, str):
        return {buyers: whole}
    if not isinstance(buyers, Mapping) or not buyers:
        raise InvalidRelation(
            "buyers must be one party id, or a mapping of party ids to shares like "
            "{'P1': '0.6', 'P2': '0.4'}.",
            field="buyers",
            value=buyers,
            allowed="a party id, or a non-empty mapping of party ids to shares",
        )
    return dict(buyers)


def _reference(value: object) -> str:
    # A journal entry's reference may be empty (none given), but it is text.
    if not isinstance(value, str):
        raise InvalidType(
            f"reference must be text (str), got {type(value).__name__} {value!r}.",
            field="reference",
            value=value,
            allowed="str (empty for none)",
        )
    return value


def _party_ids(values: object, field: str) -> tuple[str, ...]:
    """Party ids given as a collection: each a well-formed id, each once."""
    ids = check_items(values, field, (str,))
    for party_id in ids:
        check_record_id(party_id, "party id", field=field)
    check_unique(ids, field, InvalidRelation, what="party id")
    return ids


def _unit_of(relation: Relation) -> tuple[str, ...]:
    return (relation.target,) if isinstance(relation, UNIT_RELATION_TYPES) else ()


def add_party(book: PartyBook, party: Party) -> PartyBook:
    """:meth:`PartyBook.add_party`."""
    if not isinstance(party, Person | Organisation):
        raise InvalidType(
            f"a party is a Person or Organisation, not {type(party).__name__}.",
            field="party",
            value=party,
            allowed="Person or Organisation",
        )
    if party.party_id in book._parties:
        raise DuplicateRecord(
            f"party id {party.party_id} is taken; give each party its own.",
            field="party_id",
            value=party.party_id,
            allowed="an id not in the book",
        )
    if party.merged_into is not None:
        raise InvalidRelation(
            f"party {party.party_id} arrives merged into {party.merged_into}; merge parties "
            "with a merge plan instead.",
            field="merged_into",
            value=party.merged_into,
            allowed="None (merge with a merge plan)",
        )
    entry = JournalEntry(BookOperation.ADD_PARTY, None, parties=(party.party_id,))
    return derived_book(book, entry, parties={party.party_id: party})


def add_unit(book: PartyBook, unit: Unit) -> PartyBook:
    """:meth:`PartyBook.add_unit`."""
    if not isinstance(unit, Unit):
        raise InvalidType(
            f"a unit is a Unit, not {type(unit).__name__}.",
            field="unit",
            value=unit,
            allowed="Unit",
        )
    if unit.unit_id in book._units:
        raise DuplicateRecord(
            f"unit id {unit.unit_id} is taken; give each unit its own.",
            field="unit_id",
            value=unit.unit_id,
            allowed="an id not in the book",
        )
    entry = JournalEntry(BookOperation.ADD_UNIT, None, units=(unit.unit_id,))
    return derived_book(book, entry, units={unit.unit_id: unit}, targets={unit.unit_id})


def add_relation(book: PartyBook, relation: Relation, reference: str = "") -> PartyBook:
    """:meth:`PartyBook.add_relation`."""
    (relation,) = check_items((relation,), "relation", RELATION_TYPES)
    if relation.relation_id in book._relations:
        raise DuplicateRecord(
            f"relation id {relation.relation_id} is taken; give each relation its own.",
            field="relation_id",
            value=relation.relation_id,
            allowed="an id not in the book",
        )
    entry = JournalEntry(
        BookOperation.ADD_RELATION,
        relation.start,
        parties=(relation.party_id,),
        units=_unit_of(relation),
        opened=(relation.relation_id,),
        reference=_reference(reference),
    )
    return derived_book(book, entry, relations=[relation])


def end_relation(
    book: PartyBook, relation_id: str, on: datetime.date, reference: str = ""
) -> PartyBook:
    """:meth:`PartyBook.end_relation`."""
    ended = book.relation(relation_id).ended(on)
    entry = JournalEntry(
        BookOperation.END_RELATION,
        as_date(on, "on"),
        parties=(ended.party_id,),
        units=_unit_of(ended),
        ended=(relation_id,),
        reference=_reference(reference),
    )
    return derived_book(book, entry, relations=[ended])


def record_fact(book: PartyBook, unit_id: str, fact: UnitFact, reference: str = "") -> PartyBook:
    """:meth:`PartyBook.record_fact`."""
    if isinstance(fact, Sale):
        raise InvalidRelation(
            f"record the sale of {unit_id} with sell(), which ends the sellers' ownership "
            "and opens the buyers' on the same day.",
            field="fact",
            value=fact,
            allowed="a Handover, Occupancy or Decoration (a sale goes through sell())",
        )
    unit = book.unit(unit_id).with_fact(fact)
    day = fact.on if isinstance(fact, Sale | Handover) else fact.start
    operation = BookOperation.HANDOVER if isinstance(fact, Handover) else BookOperation.RECORD_FACT
    entry = JournalEntry(operation, day, units=(unit_id,), reference=_reference(reference))
    return derived_book(book, entry, units={unit_id: unit}, targets={unit_id})


def hand_over(book: PartyBook, unit_id: str, on: datetime.date, reference: str = "") -> PartyBook:
    """:meth:`PartyBook.hand_over`."""
    return record_fact(book, unit_id, Handover(on, reference), reference)


def record_decoration(book: PartyBook, unit_id: str, decoration: Decoration) -> PartyBook:
    """:meth:`PartyBook.record_decoration`."""
    (decoration,) = check_items((decoration,), "decoration", (Decoration,))
    return record_fact(book, unit_id, decoration, decoration.permit.number)


def sell(
    book: PartyBook,
    unit_id: str,
    on: datetime.date,
    buyers: str | Mapping[str, object],
    *,
    sellers: Iterable[str] | None = None,
    payer: str | None = None,
    reference: str = "",
) -> PartyBook:
    """:meth:`PartyBook.sell`."""
    day = as_date(on, "on")
    unit = book.unit(unit_id)
    reference = _reference(reference)
    current = {o.party_id: o for o in book.owners(unit_id, day)}
    named = tuple(current) if sellers is None else _party_ids(sellers, "sellers")
    for seller in named:
        if seller not in current:
            raise RelationConflict(
                f"{seller} does not own unit {unit_id} on {day.isoformat()}, so cannot sell "
                f"it; the owners then are {', '.join(current) or 'none'}.",
                field="sellers",
                value=seller,
                allowed=f"owners on {day.isoformat()}: {', '.join(current) or 'none'}",
            )
    sold = sum((current[s].share for s in named), Decimal(0))
    shares = _as_share_map(buyers, sold if named else FULL_SHARE)
    bought: dict[str, Decimal] = {}
    for buyer, value in shares.items():
        _live_party(book, buyer)
        if buyer in named:
            raise RelationConflict(
                f"{buyer} cannot be both seller and buyer of {unit_id}.",
                field="buyers",
                value=buyer,
                allowed="parties other than the sellers",
            )
        bought[buyer] = to_share(value, "buyers")
    if named and sum(bought.values()) != sold:
        raise InvalidRelation(
            f"the buyers' shares add up to {sum(bought.values())}, but the sellers sell "
            f"{sold}; a sale passes on exactly what is sold.",
            field="buyers",
            value=sum(bought.values()),
            allowed=f"shares adding up to {sold}",
        )
    if payer is not None and payer not in bought:
        raise InvalidRelation(
            f"payer {payer} is not one of the buyers {', '.join(bought)}.",
            field="payer",
            value=payer,
            allowed=f"one of the buyers ({', '.join(bought)}) or None",
        )
    changed: list[Relation] = [current[s].ended(day) for s in named]
    opened: list[Relation] = []
    ids = FreshIds("R", book._relations)
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
        book,
        entry,
        units={unit_id: unit.with_fact(Sale(day, reference))},
        relations=[*changed, *opened],
    )


def move_in(
    book: PartyBook,
    unit_id: str,
    on: datetime.date,
    *,
    head: str | None,
    members: Mapping[str, str] | Iterable[str] = (),
    reference: str = "",
) -> PartyBook:
    """:meth:`PartyBook.move_in`."""
    day = as_date(on, "on")
    unit = book.unit(unit_id)
    reference = _reference(reference)
    status = unit.status(day)
    if not status.handed_over:
        raise UnitNotReady(
            f"unit {unit_id} has not been handed over by {day.isoformat()}; a move-in comes "
            "after the handover (交付).",
            unit_id=unit_id,
            on=day,
        )
    if isinstance(members, Mapping):
        relationships = dict(members)
        for member, relationship in relationships.items():
            check_record_id(member, "party id", field="members")
            if not isinstance(relationship, str):
                raise InvalidType(
                    f"the relationship of {member} to the head must be text such as '配偶', "
                    f"got {type(relationship).__name__} {relationship!r}.",
                    field="members",
                    value=relationship,
                    allowed="str",
                )
    else:
        relationships = dict.fromkeys(_party_ids(members, "members"), "")
    if head is None and not relationships:
        raise InvalidRelation(
            "a move-in needs a household head or at least one member.",
            field="head",
            value=head,
            allowed="a party id, or members",
        )
    ids = FreshIds("R", book._relations)
    opened: list[Relation] = []
    if head is not None:
        _live_party(book, head)
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
        _live_party(book, member)
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
    return derived_book(book, entry, units=units, relations=opened)


def move_out(
    book: PartyBook,
    unit_id: str,
    on: datetime.date,
    parties: Iterable[str] | None = None,
    reference: str = "",
) -> PartyBook:
    """:meth:`PartyBook.move_out`."""
    day = as_date(on, "on")
    reference = _reference(reference)
    residents = book.residents(unit_id, day)
    named = None if parties is None else frozenset(_party_ids(parties, "parties"))
    chosen = residents if named is None else tuple(r for r in residents if r.party_id in named)
    if named is not None and len(chosen) != len(named):
        missing = named - {r.party_id for r in chosen}
        raise RelationConflict(
            f"{', '.join(sorted(missing))} did not live in {unit_id} on {day.isoformat()}.",
            field="parties",
            value=tuple(sorted(missing)),
            allowed=f"residents of {unit_id} on {day.isoformat()}",
        )
    if not chosen:
        raise RelationConflict(
            f"nobody lived in {unit_id} on {day.isoformat()} to move out.",
            unit_id=unit_id,
            on=day,
        )
    return _move_out(book, unit_id, day, chosen, BookOperation.MOVE_OUT, reference)


def _move_out(
    book: PartyBook,
    unit_id: str,
    day: pendulum.Date,
    leaving: Sequence[Relation],
    operation: BookOperation,
    reference: str,
    also: Sequence[Relation] = (),
) -> PartyBook:
    ended = [r.ended(day) for r in leaving]
    unit = book.unit(unit_id)
    units = {}
    leaving_ids = {r.relation_id for r in leaving}
    staying = [r for r in book.residents(unit_id, day) if r.relation_id not in leaving_ids]
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
    return derived_book(book, entry, units=units, relations=changed)


def start_lease(
    book: PartyBook,
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
    """:meth:`PartyBook.start_lease`."""
    day = as_date(start, "start")
    reference = _reference(reference)
    if not book.unit(unit_id).status(day).handed_over:
        raise UnitNotReady(
            f"unit {unit_id} has not been handed over by {day.isoformat()}; a lease starts "
            "after the handover (交付).",
            unit_id=unit_id,
            on=day,
        )
    lease = next(FreshIds("L", book._by_lease)) if lease_id is None else lease_id
    check_record_id(lease, "lease id", InvalidRelation)
    if lease in book._by_lease:
        raise DuplicateRecord(
            f"lease id {lease} is taken; give each lease its own.",
            field="lease_id",
            value=lease,
            allowed="an id not in the book",
        )
    check_record_id(lead, "party id", field="lead")
    tenants = (lead, *check_items(co_tenants, "co_tenants", (str,)))
    if len(set(tenants)) != len(tenants):
        raise InvalidRelation(
            f"lease {lease} names a tenant twice: {', '.join(tenants)}.",
            field="co_tenants",
            value=tenants,
            allowed="each tenant once, the lead included",
        )
    if paying_tenant is not None and paying_tenant not in tenants:
        raise InvalidRelation(
            f"paying tenant {paying_tenant} is not a tenant of lease {lease} "
            f"({', '.join(tenants)}).",
            field="paying_tenant",
            value=paying_tenant,
            allowed=f"one of {', '.join(tenants)}, or None",
        )
    ids = FreshIds("R", book._relations)
    opened: list[Relation] = []
    for party_id in tenants:
        _live_party(book, party_id)
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
    return derived_book(book, entry, relations=opened)


def end_lease(
    book: PartyBook, lease_id: str, on: datetime.date, *, move_out: bool = True, reference: str = ""
) -> PartyBook:
    """:meth:`PartyBook.end_lease`."""
    day = as_date(on, "on")
    reference = _reference(reference)
    if not isinstance(move_out, bool):
        raise InvalidType(
            f"move_out must be True or False, got {type(move_out).__name__} {move_out!r}.",
            field="move_out",
            value=move_out,
            allowed="bool",
        )
    tenancies = book.lease(lease_id)
    live = [t for t in tenancies if t.start < day and (t.end is None or t.end > day)]
    if not live:
        raise RelationConflict(
            f"lease {lease_id} has no tenancy in force before {day.isoformat()} and after "
            "it, so it cannot end then.",
            lease_id=lease_id,
            on=day,
        )
    ended: list[Relation] = [t.ended(day) for t in live]
    unit_id = live[0].unit_id
    leaving: list[Relation] = []
    if move_out:
        names = {t.party_id for t in tenancies}
        residents = book.residents(unit_id, day)
        heads = [r for r in residents if r.role is HouseholdRole.HEAD]
        if heads and heads[0].party_id in names:
            leaving = list(residents)
        else:
            leaving = [r for r in residents if r.party_id in names]
    return _move_out(
        book, unit_id, day, leaving, BookOperation.LEASE_END, reference or lease_id, also=ended
    )


# -- internals ----------------------------------------------------------------------------


def _live_party(book: PartyBook, party_id: str) -> Party:
    party = book.party(party_id)
    if party.merged_into is not None:
        raise InvalidRelation(
            f"party {party_id} was merged into {party.merged_into}; relate that party instead.",
            party_id=party_id,
            merged_into=party.merged_into,
        )
    return party
