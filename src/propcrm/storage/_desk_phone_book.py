"""The phone book, stored: numbers of parties, units and staff, matched to callers by number.

Each entry is a versioned entry of its community, ended (never deleted) when a number changes
hands. The number index holds a keyed hash of the number, never the clear number. A staff
number is one member's at a time, also when two clerks give it away at once: each staff entry
added writes the number's guard (per community and keyed hash) at the version read before the
rule looked at the book, so the second clerk to commit is refused
(:class:`~propcrm.errors.ConcurrencyConflict`) and, reading again, meets the rule.

>>> from propcrm.contacts import PhoneEntry
>>> from propcrm.personal_data import MobileNumber
>>> from propcrm.storage import MemoryStore
>>> mobile = MobileNumber("13800138000")
>>> store = MemoryStore()
>>> with store() as uow:
...     uow.phone_book.add("SUNRISE", PhoneEntry("E1", mobile, party_id="P1"))
...     uow.commit()
True
>>> with store() as uow:
...     uow.phone_book.match(
...         MobileNumber("138 0013 8000"), on=pendulum.date(2026, 11, 24)
...     ).party_ids
('P1',)
"""

from __future__ import annotations

import datetime
from typing import Protocol

import attrs

from propcrm._validators import check_instance
from propcrm.contacts import CallerMatch, PhoneBook, PhoneEntry
from propcrm.errors import InvalidPhoneBook
from propcrm.personal_data import MobileNumber
from propcrm.storage._entries import Entries, EntryRows, sortable
from propcrm.storage._values import Versioned, check_key
from propcrm.time import as_date

__all__ = ["PhoneBookRepository", "PhoneBooks"]


# The key of the phone book's number index: a keyed hash, so that no index column, query log
# or page token holds a clear number; the document holds it, as the value's own serialization.
_NUMBER_KEY = b"propcrm.storage.phone_book"


def _number_index(number: MobileNumber) -> str:
    return "tel:" + number.fingerprint(_NUMBER_KEY)[:40]


class PhoneBookRepository(Protocol):
    """A community's phone book: numbers of parties, units and staff, over dated spans.

    An entry is added once and ended (a new version, its last day set), never deleted, so a
    call matched last year is matched the same way today. A staff number is one member's at a
    time, as :class:`~propcrm.contacts.PhoneBook` requires.
    """

    def add(self, community: str, entry: PhoneEntry) -> bool:
        """Store ``entry``; ``False`` if the same is stored, refused if its id is taken."""
        ...

    def get(self, community: str, entry_id: str) -> Versioned[PhoneEntry]:
        """The entry and its version."""
        ...

    def end(self, community: str, entry_id: str, last: datetime.date, expected_version: int) -> int:
        """End the entry read at ``expected_version`` on ``last`` (its last day); the version."""
        ...

    def book(self, community: str) -> PhoneBook:
        """The community's phone book as stored, every entry, ended ones too."""
        ...

    def match(
        self, number: MobileNumber, *, on: datetime.date, community: str | None = None
    ) -> CallerMatch:
        """Whom ``number`` belongs to on ``on``: in ``community``, or in any (a shared hotline)."""
        ...


class PhoneBooks:
    def __init__(self, uow: EntryRows) -> None:
        self._uow = uow
        # Scope: the community; subject: the number's keyed hash; at: the entry's first day.
        self._entries = Entries(uow, "desk.phone", PhoneEntry, "phone-book entry")
        # One per community and number given to staff, written with each staff entry of it:
        # two clerks giving one number away race on it, not on their entries' own keys.
        self._guards = Entries(uow, "desk.phone_guard", str, "staff number's entries")

    def add(self, community: str, entry: PhoneEntry) -> bool:
        check_key(community, "community")
        check_instance(entry, "entry", PhoneEntry, error=InvalidPhoneBook)
        key = (community, entry.entry_id)
        stored = self._entries.read(key)
        if stored is not None and stored.value == entry:
            return False
        number = _number_index(entry.number)
        # The guard before the entries the rule reads: a staff entry another clerk commits
        # after this read makes the guard's write stale, whether or not the find shows it. Only
        # staff entries clash (a family number serves several parties), so only they guard.
        guard = self._guards.read((community, number)) if entry.staff is not None else None
        if stored is None:
            self._check_number(community, entry)
        added = self._entries.add(
            key, entry, scope=community, subject=number, at=sortable(entry.since)
        )
        if entry.staff is not None:
            self._guards.put(
                (community, number), entry.entry_id, 0 if guard is None else guard.version
            )
        return added

    def _check_number(self, community: str, entry: PhoneEntry) -> None:
        same = [
            e.value
            for e in self._entries.find(scope=community, subject=_number_index(entry.number))
            if e.value.entry_id != entry.entry_id
        ]
        PhoneBook((*same, entry))  # refuses a staff number given to two members at once

    def get(self, community: str, entry_id: str) -> Versioned[PhoneEntry]:
        return self._entries.get((check_key(community, "community"), entry_id))

    def end(self, community: str, entry_id: str, last: datetime.date, expected_version: int) -> int:
        stored = self.get(community, entry_id)
        self._entries.expect((community, entry_id), expected_version)
        day = as_date(last, "last")
        ended = attrs.evolve(stored.value, until=day)
        if stored.value.until is not None and day > stored.value.until:
            raise InvalidPhoneBook(
                f"phone-book entry {entry_id} ended on {stored.value.until}; it cannot be ended "
                f"later ({day}): add a new entry for the number instead.",
                field="last",
                value=day,
                allowed=f"on or before {stored.value.until}",
            )
        return self._entries.put(
            (community, entry_id),
            ended,
            expected_version,
            scope=community,
            subject=_number_index(ended.number),
            at=sortable(ended.since),
        )

    def book(self, community: str) -> PhoneBook:
        found = self._entries.find(scope=check_key(community, "community"))
        return PhoneBook(e.value for e in found)

    def match(
        self, number: MobileNumber, *, on: datetime.date, community: str | None = None
    ) -> CallerMatch:
        check_instance(number, "number", MobileNumber, error=InvalidPhoneBook)
        day = as_date(on, "on")
        if community is not None:
            check_key(community, "community")
        found = self._entries.find(scope=community, subject=_number_index(number))
        # Entries of several communities may share ids: the book of one match is per entry.
        return CallerMatch(number, day, tuple(e.value for e in found if e.value.in_use(day)))
