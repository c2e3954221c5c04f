"""The party book's operations: each a function of a book that returns a new, checked book.

A book is one aggregate split by job over a few modules; this one holds the changes of the
domain brief (§1) that :class:`~propcrm.parties.PartyBook`'s methods of the same names apply
(adding records, a handover, a sale; moves and leases are in ``_book_occupancy.py``), with their
documentation there, and the argument checks both share. Each reads the book's fields directly
as a method would, and makes its new book with
``derived_book``, which checks what it touched.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from propcrm._validators import check_items, check_record_id, check_unique
from propcrm.errors import (
    DuplicateRecord,
    InvalidRelation,
    InvalidType,
    RelationConflict,
)
from propcrm.parties._book_changes import FreshIds, derived_book
from propcrm.parties._journal import BookOperation, JournalEntry
from propcrm.parties._parties import Organisation, Party, Person
from propcrm.parties._relations import (
    FULL_SHARE,
    RELATION_TYPES,
    UNIT_RELATION_TYPES,
    Owner,
    Relation,
    to_share,
)
from propcrm.parties._units import Decoration, Handover, Sale, Unit, UnitFact
from propcrm.time import as_date

if TYPE_CHECKING:
    from propcrm.parties._book import PartyBook

__all__ = [
    "add_party",
    "add_relation",
    "add_unit",
    "end_relation",
    "hand_over",
    "live_party",
    "party_ids",
    "record_decoration",
    "record_fact",
    "reference_text",
    "sell",
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


def reference_text(value: object) -> str:
    """``value`` if it is a journal entry's reference: text, empty for none given."""
    if not isinstance(value, str):
        raise InvalidType(
            f"reference must be text (str), got {type(value).__name__} {value!r}.",
            field="reference",
            value=value,
            allowed="str (empty for none)",
        )
    return value


def party_ids(values: object, field: str) -> tuple[str, ...]:
    """Party ids given as a collection: each a well-formed id, each once."""
    ids = check_items(values, field, str)
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
    (relation,) = check_items((relation,), "relation", *RELATION_TYPES)
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
        reference=reference_text(reference),
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
        reference=reference_text(reference),
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
    entry = JournalEntry(operation, day, units=(unit_id,), reference=reference_text(reference))
    return derived_book(book, entry, units={unit_id: unit}, targets={unit_id})


def hand_over(book: PartyBook, unit_id: str, on: datetime.date, reference: str = "") -> PartyBook:
    """:meth:`PartyBook.hand_over`."""
    return record_fact(book, unit_id, Handover(on, reference), reference)


def record_decoration(book: PartyBook, unit_id: str, decoration: Decoration) -> PartyBook:
    """:meth:`PartyBook.record_decoration`."""
    (decoration,) = check_items((decoration,), "decoration", Decoration)
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
    reference = reference_text(reference)
    current = {o.party_id: o for o in book.owners(unit_id, day)}
    named = tuple(current) if sellers is None else party_ids(sellers, "sellers")
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
        live_party(book, buyer)
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


# -- internals ----------------------------------------------------------------------------


def live_party(book: PartyBook, party_id: str) -> Party:
    """The party ``party_id``, refused if it was merged into another."""
    party = book.party(party_id)
    if party.merged_into is not None:
        raise InvalidRelation(
            f"party {party_id} was merged into {party.merged_into}; relate that party instead.",
            party_id=party_id,
            merged_into=party.merged_into,
        )
    return party
