"""The problem-and-solution base, stored: each version of each entry, never deleted.

Every version of an entry is one entry of its own, written once when it is added or revised;
approving a version and retiring an entry rewrite the versions concerned at the version read,
as :class:`~propcrm.solutions.SolutionBase` decides them on the entry's stored history. So two
members of staff revising one entry at once cannot both write its next version: the second is
refused with :class:`~propcrm.errors.ConcurrencyConflict`.

The base is the company's: one per store, shared by its communities, as the desk's know-how is.

>>> from propcrm.classification import Category
>>> from propcrm.solutions import SolutionEntry
>>> from propcrm.storage import MemoryStore
>>> at = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
>>> drain = SolutionEntry(
...     entry_id="KB-1",
...     problem="卫生间地漏反味",
...     cause="存水弯干涸",
...     fix="往地漏注水",
...     category=Category.BLOCKED_DRAIN,
...     author="S-07",
...     written_at=at,
... )
>>> store = MemoryStore()
>>> with store() as uow:
...     uow.solutions.add(drain)
...     uow.solutions.approve("KB-1", 1, approver="S-01", at=at.add(hours=2)).key
...     uow.commit()
True
'KB-1@1'
>>> with store() as uow:
...     [e.key for e in uow.solutions.in_service()]
['KB-1@1']
"""

from __future__ import annotations

import datetime
from typing import Any, Protocol

import attrs

from propcrm._validators import check_instance, check_int
from propcrm.errors import InvalidSolution, SolutionChangeRefused, UnknownSolution
from propcrm.solutions import EntryStatus, SolutionBase, SolutionEntry
from propcrm.storage._entries import Entries, Entry, EntryRows, sortable
from propcrm.storage._values import check_key

__all__ = ["SolutionRepository", "Solutions"]


class SolutionRepository(Protocol):
    """The solution base: entries added, revised, approved and retired, every version kept.

    Each change is checked by :class:`~propcrm.solutions.SolutionBase` on the entry's stored
    history (an author does not approve their own version; a retired entry is not changed).
    """

    def add(self, entry: SolutionEntry) -> bool:
        """Store a new entry (version 1); ``False`` if the same is stored, refused if another."""
        ...

    def revise(
        self, entry_id: str, *, author: str, at: datetime.datetime, **changes: Any
    ) -> SolutionEntry:
        """Write the entry's next version, a draft carrying ``changes``; that version."""
        ...

    def approve(
        self, entry_id: str, version: int, *, approver: str, at: datetime.datetime
    ) -> SolutionEntry:
        """Approve a draft version (by another member of staff than its author); it, approved."""
        ...

    def retire(
        self,
        entry_id: str,
        *,
        by: str,
        at: datetime.datetime,
        reason: str,
        replaced_by: str | None = None,
    ) -> tuple[SolutionEntry, ...]:
        """Take the entry out of service, every version kept; its versions, retired."""
        ...

    def get(self, entry_id: str, version: int | None = None) -> SolutionEntry:
        """A version of the entry (its newest if none is named)."""
        ...

    def history(self, entry_id: str) -> tuple[SolutionEntry, ...]:
        """Every version of the entry, oldest first."""
        ...

    def base(self) -> SolutionBase:
        """The whole base as stored, every version of every entry."""
        ...

    def in_service(self) -> tuple[SolutionEntry, ...]:
        """The newest approved version of each entry not retired: what search is built on."""
        ...


def _key(entry_id: str, version: int) -> tuple[str, str]:
    # Zero-padded, so that an entry's versions sort as numbers in the key order of pages.
    return (entry_id, f"v{version:05d}")


class Solutions:
    def __init__(self, uow: EntryRows) -> None:
        # Scope: the entry id; subject: the version's status; at: when it was written.
        self._entries = Entries(uow, "desk.solution", SolutionEntry, "solution entry")

    def add(self, entry: SolutionEntry) -> bool:
        check_instance(entry, "entry", SolutionEntry, error=InvalidSolution)
        stored = self._entries.read(_key(entry.entry_id, 1))
        # The draft added again (an import re-run) is the same entry, approved or retired since.
        if stored is not None and attrs.evolve(stored.value, approval=None, retired=None) == entry:
            return False
        if stored is not None:
            raise SolutionChangeRefused(
                f"entry {entry.entry_id} is already in the base; revise it instead.",
                field="entry_id",
                value=entry.entry_id,
                allowed="an entry id not in the base",
            )
        SolutionBase().add(entry)  # a new entry starts at version 1, in service
        return self._write(entry, 0)

    def revise(
        self, entry_id: str, *, author: str, at: datetime.datetime, **changes: Any
    ) -> SolutionEntry:
        rows = self._rows(entry_id)
        base = SolutionBase(r.value for r in rows).revise(entry_id, author=author, at=at, **changes)
        revised = base.latest(entry_id)
        self._write(revised, 0)
        return revised

    def approve(
        self, entry_id: str, version: int, *, approver: str, at: datetime.datetime
    ) -> SolutionEntry:
        rows = self._rows(entry_id)
        base = SolutionBase(r.value for r in rows).approve(
            entry_id, version, approver=approver, at=at
        )
        approved = base.version(entry_id, version)
        self._write(approved, next(r.version for r in rows if r.value.version == version))
        return approved

    def retire(
        self,
        entry_id: str,
        *,
        by: str,
        at: datetime.datetime,
        reason: str,
        replaced_by: str | None = None,
    ) -> tuple[SolutionEntry, ...]:
        rows = self._rows(entry_id)
        # The replacement must be stored: the base the rule checks holds its history too.
        others = [] if replaced_by in (None, entry_id) else self._rows(replaced_by or "")
        base = SolutionBase(r.value for r in (*rows, *others))
        retired = base.retire(entry_id, by=by, at=at, reason=reason, replaced_by=replaced_by)
        versions = retired.history(entry_id)
        for row, entry in zip(rows, versions, strict=True):
            self._write(entry, row.version)
        return versions

    def get(self, entry_id: str, version: int | None = None) -> SolutionEntry:
        history = SolutionBase(self.history(entry_id))
        if version is None:
            return history.latest(entry_id)
        check_int(version, "version", InvalidSolution, minimum=1)
        return history.version(entry_id, version)

    def history(self, entry_id: str) -> tuple[SolutionEntry, ...]:
        return tuple(r.value for r in self._rows(entry_id))

    def base(self) -> SolutionBase:
        return SolutionBase(e.value for e in self._entries.find())

    def in_service(self) -> tuple[SolutionEntry, ...]:
        approved = self._entries.find(subject=EntryStatus.APPROVED.value)
        serving: dict[str, SolutionEntry] = {}
        for found in sorted(approved, key=lambda e: (e.value.entry_id, e.value.version)):
            serving[found.value.entry_id] = found.value
        return tuple(serving[entry_id] for entry_id in sorted(serving))

    def _rows(self, entry_id: str) -> list[Entry[SolutionEntry]]:
        check_key(entry_id, "entry_id")
        rows = sorted(self._entries.find(scope=entry_id), key=lambda e: e.value.version)
        if not rows:
            raise UnknownSolution(
                f"no solution entry {entry_id!r} is stored.",
                field="entry_id",
                value=entry_id,
                allowed="an entry id the base holds",
            )
        return rows

    def _write(self, entry: SolutionEntry, expected_version: int) -> bool:
        self._entries.put(
            _key(entry.entry_id, entry.version),
            entry,
            expected_version,
            scope=entry.entry_id,
            subject=entry.status.value,
            at=sortable(entry.written_at),
        )
        return True
