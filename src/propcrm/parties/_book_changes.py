"""How a party book changes: its relation indexes, fresh ids, and :func:`derived_book`.

A book is one aggregate split by job over a few modules; this one holds what every change
needs, and reads the book's fields directly as a method would. :func:`derived_book` is the one
way an operation (in the book, a merge, an erasure) makes its new book: it shares what did not
change, moves the changed relations in the indexes, and checks what the change touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from propcrm._trusted import build_trusted
from propcrm._validators import check_items
from propcrm.errors import DuplicateRecord
from propcrm.parties._book_rules import check_book
from propcrm.parties._journal import JournalEntry
from propcrm.parties._parties import Organisation, Party, Person
from propcrm.parties._relations import (
    UNIT_RELATION_TYPES,
    AgencyContact,
    CommitteeMember,
    Relation,
    Tenant,
)
from propcrm.parties._units import Unit

if TYPE_CHECKING:
    from propcrm.parties._book import PartyBook

__all__ = [
    "FreshIds",
    "Index",
    "build_indexes",
    "derived_book",
    "grown_book",
    "unique_records",
]

_T = TypeVar("_T")

Index = dict[str, tuple[str, ...]]
"""Relation ids by a key (target, party or lease), in the order the relations were added."""


def build_indexes(relations: Iterable[Relation]) -> tuple[Index, Index, Index]:
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


def updated_indexes(base: PartyBook, changed: Iterable[Relation]) -> tuple[Index, Index, Index]:
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


class FreshIds:
    """Fresh relation ids in one operation: ``R000042``, ``R000043`` …, skipping taken ones."""

    def __init__(self, prefix: str, taken: Mapping[str, object]) -> None:
        self._prefix = prefix
        self._taken = taken
        self._n = len(taken)

    def __iter__(self) -> FreshIds:
        return self

    def __next__(self) -> str:
        self._n += 1
        while f"{self._prefix}{self._n:06d}" in self._taken:
            self._n += 1
        return f"{self._prefix}{self._n:06d}"


def unique_records(
    values: Iterable[_T],
    key: Callable[[_T], str],
    field: str,
    what: str,
    types: tuple[type, ...],
    taken: Mapping[str, object] | None = None,
) -> dict[str, _T]:
    """``values`` by their ids: a collection of ``types``, each id once (and not ``taken``)."""
    result: dict[str, _T] = {}
    for value in check_items(values, field, *types):
        ident = key(value)
        if ident in result or (taken is not None and ident in taken):
            raise DuplicateRecord(
                f"{what} id {ident} is used twice; give each {what} its own.",
                field=field,
                value=ident,
                allowed=f"each {what} id once",
            )
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
    by_target, by_party, by_lease = updated_indexes(book, relations)
    # Fast path: the unchanged records were checked when ``book`` was built, and the changed
    # ones are checked below against every rule of what they touch (targets, leases, parties)
    # before the new book leaves this function; checking the whole book again, as __init__
    # does, would cost a full pass per operation. A refused change never escapes.
    new = build_trusted(
        type(book),
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
    check_book(new, touched, leases, {r.party_id for r in relations} | set(parties or ()))
    return new


def grown_book(
    book: PartyBook,
    parties: Iterable[Party],
    units: Iterable[Unit],
    relations: Iterable[Relation],
) -> PartyBook:
    """``book`` with new records added and its journal as it was: :meth:`PartyBook.with_records`.

    Equal to the book built whole from the old records and the new (``PartyBook(old + new,
    policy=…, journal=…)``) and refused with the same error, but checked as an operation is:
    the old records kept every rule when ``book`` was built and adding records changes none of
    them, so only what the new ones touch is checked (their parties' merges, the units and
    organisations they name or are, their leases). A bulk import of 100,000 rows checks its
    rows, not the book again.
    """
    party_map = unique_records(
        parties, lambda p: p.party_id, "parties", "party", (Person, Organisation), book._parties
    )
    unit_map = unique_records(units, lambda u: u.unit_id, "units", "unit", (Unit,), book._units)
    relation_map = unique_records(
        relations,
        lambda r: r.relation_id,
        "relations",
        "relation",
        (*UNIT_RELATION_TYPES, AgencyContact, CommitteeMember),
        book._relations,
    )
    indexes = []
    for old, added in zip(
        (book._by_target, book._by_party, book._by_lease),
        build_indexes(relation_map.values()),
        strict=True,
    ):
        # In the order the relations were added, old ones first, as a rebuild would have them.
        index = dict(old)
        for key, ids in added.items():
            index[key] = (*old.get(key, ()), *ids)
        indexes.append(index)
    new = build_trusted(
        type(book),
        _parties={**book._parties, **party_map},
        _units={**book._units, **unit_map},
        _relations={**book._relations, **relation_map},
        _journal=book._journal,
        _policy=book._policy,
        _by_target=indexes[0],
        _by_party=indexes[1],
        _by_lease=indexes[2],
    )
    touched = set(unit_map) | {r.target for r in relation_map.values()}
    leases = {r.lease_id for r in relation_map.values() if isinstance(r, Tenant)}
    check_book(new, touched, leases, set(party_map) | {r.party_id for r in relation_map.values()})
    return new
