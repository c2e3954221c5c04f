"""The party book's checks: references between its records, and the rules its relations keep.

A book is one aggregate split by job over a few modules; this one holds its checks, and reads
the book's fields directly as a method would. :func:`check_book` runs after every change on what
the change touched (and on a whole book when it is built); :func:`target_conflicts` lists the
rules the relations of one unit or organisation break, which a merge plan also runs on the
relations as they would be after the merge.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from propcrm._i18n import LocaleLike, gettext
from propcrm.errors import InvalidRelation, UnknownRecord
from propcrm.parties._parties import Organisation, OrganisationKind
from propcrm.parties._relations import (
    UNIT_RELATION_TYPES,
    CommitteeMember,
    Conflict,
    ConflictKind,
    Merchant,
    Owner,
    Relation,
    Resident,
    Tenant,
    coverage_conflicts,
    exclusivity_conflicts,
    lease_conflicts,
    share_conflicts,
)
from propcrm.parties._units import Occupancy, Unit

if TYPE_CHECKING:
    from propcrm.parties._book import PartyBook

__all__ = ["book_conflicts", "check_book", "check_references", "target_conflicts"]

_COMMITTEE_KINDS = frozenset(
    {OrganisationKind.OWNERS_COMMITTEE, OrganisationKind.RESIDENTS_COMMITTEE}
)


def check_book(
    book: PartyBook, targets: Iterable[str], leases: Iterable[str], parties: Iterable[str]
) -> None:
    """Refuse ``book`` with the first rule broken among ``targets``, ``leases`` and ``parties``."""
    for party_id in parties:
        party = book._parties.get(party_id)
        if party is not None and party.merged_into is not None:
            book.party(party.merged_into)
    conflicts: list[Conflict] = []
    for target in sorted(targets):
        if target not in book._by_target:
            # No relations: none names a record, and a unit without relations breaks a rule
            # only once handed over (it must then be owned). An import's new units, each
            # checked before its owners are, are mostly this.
            unit = book._units.get(target)
            if unit is None or unit.handover is None:
                continue
        relations = book.relations_to(target)
        check_references(book, target, relations)
        conflicts.extend(target_conflicts(book, target, relations))
        if conflicts:
            break
    for lease_id in sorted(leases):
        if conflicts:
            break
        tenancies = [book._relations[i] for i in book._by_lease.get(lease_id, ())]
        conflicts.extend(lease_conflicts(tenancies))
    if conflicts:
        raise conflicts[0].error()


def book_conflicts(book: PartyBook) -> tuple[Conflict, ...]:
    """Every rule a book's relations break (empty for a book built by its own checks)."""
    found: list[Conflict] = []
    for target in sorted(set(book._by_target) | set(book._units)):
        found.extend(target_conflicts(book, target, book.relations_to(target)))
    found.extend(lease_conflicts(book._relations.values()))
    return tuple(found)


def check_references(book: PartyBook, target: str, relations: Sequence[Relation]) -> None:
    """Refuse relations that name a party, unit or organisation ``book`` lacks or merged away."""
    for r in relations:
        party = book._parties.get(r.party_id)
        if party is None:
            raise UnknownRecord(
                f"relation {r.relation_id} names party {r.party_id}, which is not in this "
                "book; add the party first.",
                field="party_id",
                value=r.party_id,
                relation_id=r.relation_id,
            )
        if party.merged_into is not None:
            raise InvalidRelation(
                f"relation {r.relation_id} names party {r.party_id}, which was merged into "
                f"{party.merged_into}; relate that party instead.",
                field="party_id",
                value=r.party_id,
                allowed=f"a party not merged away ({party.merged_into})",
                relation_id=r.relation_id,
            )
        if isinstance(r, UNIT_RELATION_TYPES):
            if target not in book._units:
                raise UnknownRecord(
                    f"relation {r.relation_id} names unit {target}, which is not in this "
                    "book; add the unit first.",
                    field="unit_id",
                    value=target,
                    relation_id=r.relation_id,
                )
            continue
        organisation = book._parties.get(target)
        if not isinstance(organisation, Organisation):
            raise UnknownRecord(
                f"relation {r.relation_id} names organisation {target}, which is not an "
                "organisation in this book; add it first.",
                field="target",
                value=target,
                relation_id=r.relation_id,
            )
        if organisation.merged_into is not None:
            raise InvalidRelation(
                f"relation {r.relation_id} names organisation {target}, which was merged "
                f"into {organisation.merged_into}; relate that organisation instead.",
                field="target",
                value=target,
                allowed=f"an organisation not merged away ({organisation.merged_into})",
                relation_id=r.relation_id,
            )
        if isinstance(r, CommitteeMember) and organisation.kind not in _COMMITTEE_KINDS:
            raise InvalidRelation(
                f"relation {r.relation_id}: {target} is of kind {organisation.kind.value}, not "
                "an owners' or residents' committee.",
                field="committee_id",
                value=target,
                allowed="an owners' or residents' committee",
                relation_id=r.relation_id,
            )


def target_conflicts(book: PartyBook, target: str, relations: Sequence[Relation]) -> list[Conflict]:
    """The rules of ``book`` (its policy, its units' facts) that these relations break."""
    found = list(exclusivity_conflicts(relations, book._policy.exclusivity))
    found.extend(share_conflicts(relations))
    unit = book._units.get(target)
    if unit is None:
        return found
    handover = unit.handover
    if handover is not None:
        owners = [r for r in relations if isinstance(r, Owner)]
        found.extend(
            coverage_conflicts(target, owners, handover.on, book._policy.ownership_after_handover)
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
            and book._policy.residents_need_occupancy
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
