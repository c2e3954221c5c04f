"""The party book's occupancy operations: move-ins and move-outs, leases started and ended.

Functions of a book that return a new, checked book, as :class:`~propcrm.parties.PartyBook`'s
methods of the same names document; the ownership and record operations are in
``_book_operations.py``, whose argument checks these share.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import pendulum

from propcrm._validators import check_items, check_record_id
from propcrm.errors import (
    DuplicateRecord,
    InvalidRelation,
    InvalidType,
    RelationConflict,
    UnitNotReady,
)
from propcrm.parties._book_changes import FreshIds, derived_book
from propcrm.parties._book_operations import live_party, party_ids, reference_text
from propcrm.parties._journal import BookOperation, JournalEntry
from propcrm.parties._relations import HouseholdRole, Relation, Resident, Tenant, TenantRole
from propcrm.parties._units import Occupancy
from propcrm.time import as_date

if TYPE_CHECKING:
    from propcrm.parties._book import PartyBook

__all__ = ["end_lease", "move_in", "move_out", "start_lease"]


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
    reference = reference_text(reference)
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
        relationships = dict.fromkeys(party_ids(members, "members"), "")
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
        live_party(book, head)
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
        live_party(book, member)
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
    reference = reference_text(reference)
    residents = book.residents(unit_id, day)
    named = None if parties is None else frozenset(party_ids(parties, "parties"))
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
    reference = reference_text(reference)
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
    tenants = (lead, *check_items(co_tenants, "co_tenants", str))
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
        live_party(book, party_id)
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
    reference = reference_text(reference)
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
