"""The party book's journal: each applied operation, what it touched, and its detail.

Every operation of a :class:`~propcrm.parties.PartyBook` returns a new book with one more
:class:`JournalEntry`; merges and erasures attach their full record as its ``detail`` (any
:class:`JournalDetail`).
"""

from __future__ import annotations

import enum
from typing import Protocol, runtime_checkable

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike

__all__ = ["BookOperation", "JournalDetail", "JournalEntry"]


class BookOperation(enum.Enum):
    """The operations a journal entry records."""

    ADD_PARTY = "add_party"
    ADD_UNIT = "add_unit"
    ADD_RELATION = "add_relation"
    END_RELATION = "end_relation"
    RECORD_FACT = "record_fact"
    HANDOVER = "handover"
    SALE = "sale"
    MOVE_IN = "move_in"
    MOVE_OUT = "move_out"
    LEASE_START = "lease_start"
    LEASE_END = "lease_end"
    MERGE = "merge"
    ERASURE = "erasure"


@runtime_checkable
class JournalDetail(Protocol):
    """The detailed record an operation may attach (a merge record, an erasure record)."""

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for audit lists, in ``locale``."""
        ...


@attrs.frozen
class JournalEntry:
    """One applied operation: what, effective when, which records it touched.

    ``on`` is the business date the operation takes effect (a sale's date); merges and erasures
    carry their instant in ``detail``.
    """

    operation: BookOperation
    on: pendulum.Date | None
    parties: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    opened: tuple[str, ...] = ()
    ended: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()
    reference: str = ""
    detail: JournalDetail | None = None
