"""The phone book: numbers linked to parties, units and staff, and calls matched by number.

Numbers are :class:`~propcrm.personal_data.MobileNumber` values: personal data that masks itself
in every ``repr``, log line and explanation (``138****0000``), revealed only with a stated
purpose. An entry links one number to a party (with the unit it concerns, if any) or to a
member of staff (a work phone), over a span of dates. :meth:`PhoneBook.match` finds whom an
incoming number belongs to on a day, with the entries that matched as the reason.

>>> D = pendulum.date
>>> mobile = MobileNumber("13800138000")
>>> book = PhoneBook(
...     [
...         PhoneEntry("E1", mobile, party_id="P1", unit_id="1-2-0301", since=D(2026, 1, 1)),
...         PhoneEntry("E2", MobileNumber("13900139000"), staff="S1", since=D(2026, 1, 1)),
...     ]
... )
>>> match = book.match(MobileNumber("138 0013 8000"), on=D(2026, 11, 24))
>>> match.party_ids, match.unit_ids, match.entries[0].number
(('P1',), ('1-2-0301',), MobileNumber('138****8000'))
>>> book.staff_number("S1", on=D(2026, 11, 24))
MobileNumber('139****9000')
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from propcrm._validators import check_instance, check_items, check_record_id, check_unique
from propcrm.errors import DuplicateRecord, InvalidPhoneBook
from propcrm.personal_data import MobileNumber
from propcrm.time import as_date

__all__ = ["CallerMatch", "PhoneBook", "PhoneEntry"]


def _optional_id(what: str) -> Any:
    def check(_instance: object, _attribute: object, value: Any) -> None:
        if value is not None:
            check_record_id(value, what, InvalidPhoneBook)

    return check


def _entry_id(_instance: object, _attribute: object, value: Any) -> None:
    check_record_id(value, "entry id", InvalidPhoneBook)


def _number(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, MobileNumber):
        raise InvalidPhoneBook(
            f"a phone-book number is a MobileNumber, not {type(value).__name__}; build it with "
            "MobileNumber('13800138000').",
            field="number",
            value=type(value).__name__,
            allowed="MobileNumber",
        )


def _since(value: object) -> pendulum.Date:
    return as_date(value, "since")


def _until(value: object) -> pendulum.Date | None:
    return None if value is None else as_date(value, "until")


def _label(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str):
        raise InvalidPhoneBook(
            f"a label is text such as '本人' or '家属', not {value!r}.",
            field="label",
            value=value,
            allowed="str",
        )


@attrs.frozen
class PhoneEntry:
    """One number of one party (for a unit, optionally) or of one member of staff.

    In use from ``since`` through ``until`` (inclusive; ``None``: still in use).
    """

    entry_id: str = attrs.field(validator=_entry_id)
    number: MobileNumber = attrs.field(validator=_number)
    party_id: str | None = attrs.field(
        default=None, kw_only=True, validator=_optional_id("party id")
    )
    unit_id: str | None = attrs.field(default=None, kw_only=True, validator=_optional_id("unit id"))
    staff: str | None = attrs.field(default=None, kw_only=True, validator=_optional_id("staff"))
    since: pendulum.Date = attrs.field(
        default=pendulum.date(2000, 1, 1), kw_only=True, converter=_since
    )
    until: pendulum.Date | None = attrs.field(default=None, kw_only=True, converter=_until)
    label: str = attrs.field(default="", kw_only=True, validator=_label)

    def __attrs_post_init__(self) -> None:
        if (self.party_id is None) == (self.staff is None):
            raise InvalidPhoneBook(
                f"phone-book entry {self.entry_id} belongs to a party or to staff, exactly one.",
                field="party_id",
                value=(self.party_id, self.staff),
                allowed="party_id or staff, not both, not neither",
            )
        if self.unit_id is not None and self.party_id is None:
            raise InvalidPhoneBook(
                f"phone-book entry {self.entry_id} names a unit without a party.",
                field="unit_id",
                value=self.unit_id,
                allowed="a unit only with a party",
            )
        if self.until is not None and self.until < self.since:
            raise InvalidPhoneBook(
                f"phone-book entry {self.entry_id} ends ({self.until}) before it starts "
                f"({self.since}).",
                field="until",
                value=self.until,
                allowed=f"on or after {self.since}",
            )

    def in_use(self, on: datetime.date) -> bool:
        """Whether the entry is in use on ``on``."""
        day = as_date(on, "on")
        return self.since <= day and (self.until is None or day <= self.until)


@attrs.frozen
class CallerMatch:
    """Who a number belongs to on a day, with the entries that say so (the reason, as data)."""

    number: MobileNumber
    on: pendulum.Date
    entries: tuple[PhoneEntry, ...]

    @property
    def party_ids(self) -> tuple[str, ...]:
        """The parties the number belongs to, sorted (several: a shared family phone)."""
        return tuple(sorted({e.party_id for e in self.entries if e.party_id is not None}))

    @property
    def unit_ids(self) -> tuple[str, ...]:
        """The units the matching entries name, sorted."""
        return tuple(sorted({e.unit_id for e in self.entries if e.unit_id is not None}))

    @property
    def staff(self) -> tuple[str, ...]:
        """The staff the number is assigned to, sorted."""
        return tuple(sorted({e.staff for e in self.entries if e.staff is not None}))

    @property
    def unique_party(self) -> str | None:
        """The one party the number belongs to, or ``None`` if none or several."""
        parties = self.party_ids
        return parties[0] if len(parties) == 1 else None


def _entries(value: Iterable[PhoneEntry]) -> tuple[PhoneEntry, ...]:
    return check_items(value, "entries", PhoneEntry, error=InvalidPhoneBook)


@attrs.frozen
class PhoneBook:
    """The numbers of parties, units and staff; one number may serve several parties.

    A staff number is one member's at a time: two staff entries of one number in use on the
    same day are refused, as are two entry ids alike.
    """

    entries: tuple[PhoneEntry, ...] = attrs.field(default=(), converter=_entries)
    _by_number: dict[MobileNumber, tuple[PhoneEntry, ...]] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        check_unique((e.entry_id for e in self.entries), "entries", DuplicateRecord)
        index: defaultdict[MobileNumber, list[PhoneEntry]] = defaultdict(list)
        for entry in self.entries:
            index[entry.number].append(entry)
        for entries in index.values():
            staffed = [e for e in entries if e.staff is not None]
            for i, a in enumerate(staffed):
                for b in staffed[i + 1 :]:
                    if _overlap(a, b):
                        raise InvalidPhoneBook(
                            f"entries {a.entry_id} and {b.entry_id} give one number "
                            f"({a.number.masked}) to two staff on the same days.",
                            field="entries",
                            value=b.entry_id,
                            allowed="a staff number assigned to one member at a time",
                        )
        object.__setattr__(self, "_by_number", {k: tuple(v) for k, v in index.items()})

    def add(self, entry: PhoneEntry) -> PhoneBook:
        """A book with ``entry`` added."""
        check_instance(entry, "entry", PhoneEntry, error=InvalidPhoneBook)
        return PhoneBook((*self.entries, entry))

    def match(self, number: MobileNumber, *, on: datetime.date) -> CallerMatch:
        """Whom ``number`` belongs to on ``on`` (the entries in use that day)."""
        check_instance(number, "number", MobileNumber, error=InvalidPhoneBook)
        day = as_date(on, "on")
        found = tuple(e for e in self._by_number.get(number, ()) if e.in_use(day))
        return CallerMatch(number, day, found)

    def numbers_of(self, party_id: str, *, on: datetime.date) -> tuple[MobileNumber, ...]:
        """The numbers of party ``party_id`` in use on ``on``, in entry order."""
        check_record_id(party_id, "party id", InvalidPhoneBook)
        day = as_date(on, "on")
        return tuple(e.number for e in self.entries if e.party_id == party_id and e.in_use(day))

    def numbers_of_unit(self, unit_id: str, *, on: datetime.date) -> tuple[MobileNumber, ...]:
        """The numbers linked to unit ``unit_id`` in use on ``on``, in entry order."""
        check_record_id(unit_id, "unit id", InvalidPhoneBook)
        day = as_date(on, "on")
        return tuple(e.number for e in self.entries if e.unit_id == unit_id and e.in_use(day))

    def staff_number(self, staff: str, *, on: datetime.date) -> MobileNumber | None:
        """The number assigned to ``staff`` on ``on``, if any (the latest assigned)."""
        check_record_id(staff, "staff", InvalidPhoneBook)
        day = as_date(on, "on")
        found = [e for e in self.entries if e.staff == staff and e.in_use(day)]
        return max(found, key=lambda e: e.since).number if found else None


def _overlap(a: PhoneEntry, b: PhoneEntry) -> bool:
    a_end = a.until or pendulum.date(9999, 12, 31)
    b_end = b.until or pendulum.date(9999, 12, 31)
    return a.since <= b_end and b.since <= a_end
