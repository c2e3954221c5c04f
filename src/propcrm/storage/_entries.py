"""Entries: the versioned, indexed documents that the CRM repositories are written over.

A CRM aggregate (a contact, an appointment, a meeting, a lead...) is stored as one *entry*: its
kind and key, a version, the value as a serialization document, and three index columns its
repository finds it by: ``scope`` (what it belongs to: a community, a notice, a meeting),
``subject`` (whom it is about: a party, a unit, a staff member) and ``at`` (when: a date or an
instant as text that sorts as time does). Each adapter keeps every entry in one table (the
in-memory one in a mapping, the SQL one in ``propcrm_entries`` with indexes on kind with scope
and at, and kind with subject and at), so the repositories of later issues are written once,
here in the storage layer, and every adapter runs them with its own transactions.

A repository builds on :class:`Entries` for each kind it keeps, and registers the kind's class
with :func:`entry_kind` so that an adapter can read a document back without being told.

A page reads only what it returns: :meth:`Entries.first` hands the adapter the order, the
keyset and the limit (the SQL adapter reads ``... ORDER BY at, key LIMIT n`` on the index past
the token, and as many more rows as the unit has pending writes of the kind), then merges the
unit's own writes, filters, sorts and cuts, so every adapter returns the same page.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Generic, Literal, Protocol, TypeVar, cast

import attrs

from propcrm._validators import check_instance
from propcrm.errors import InvalidPageToken, InvalidType, RecordExists
from propcrm.serialization import to_primitive
from propcrm.storage._values import (
    Page,
    Versioned,
    check_key,
    check_limit,
    decode_token,
    keyset,
    not_found,
)

__all__ = [
    "KINDS",
    "ORDERS",
    "SEPARATOR",
    "Entries",
    "Entry",
    "EntryRows",
    "Key",
    "Order",
    "compose",
    "entry_kind",
    "sortable",
    "token_key",
]

T = TypeVar("T")

#: Every kind of entry and the class its documents are read back as.
KINDS: dict[str, type[Any]] = {}

#: The table every adapter keeps entries in (its row key: ``(kind, key)``).
TABLE = "entry"


Key = str | tuple[str, ...]
"""An entry's key: an id, or the ids that name it together (a community and a code)."""

#: Between the parts of a key: whitespace, which no id holds, so parts never run together.
SEPARATOR = "\x1f"


def compose(key: Key) -> str:
    """The stored key of ``key``: each part checked as an id, joined by :data:`SEPARATOR`."""
    parts = key if isinstance(key, tuple) else (key,)
    if not parts:
        raise InvalidType(
            "a key needs at least one part.", field="key", value=key, allowed="one id or more"
        )
    return SEPARATOR.join(check_key(part, "key") for part in parts)


def entry_kind(kind: str, cls: type[Any]) -> str:
    """Register ``kind`` as stored values of ``cls``; a kind names one class for good."""
    known = KINDS.setdefault(kind, cls)
    if known is not cls:
        raise InvalidType(
            f"entry kind {kind!r} is {known.__qualname__}'s already, not {cls.__qualname__}'s.",
            field="kind",
            value=kind,
            allowed="a kind not registered for another class",
        )
    return kind


def sortable(value: datetime.date | None) -> str:
    """``value`` as index text that sorts as time does: instants in UTC, dates as ISO days.

    >>> sortable(pendulum.datetime(2026, 12, 7, 9, 30, tz="Asia/Shanghai"))
    '2026-12-07T01:30:00.000000Z'
    >>> sortable(pendulum.date(2026, 12, 7)), sortable(None)
    ('2026-12-07', '')
    """
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise InvalidType(
                f"instant {value!r} has no time zone; an index sorts aware instants only.",
                field="at",
                value=value,
                allowed="an aware datetime",
            )
        utc = value.astimezone(datetime.UTC)
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    check_instance(value, "at", datetime.date)
    return value.isoformat()


class EntryRows(Protocol):
    """What :class:`Entries` needs of a unit of work: its versioned rows, as every adapter has."""

    def _row(self, table: str, key: Hashable) -> Any: ...
    def _latest(self, table: str, key: Hashable) -> Any: ...
    def _expect(self, table: str, key: Hashable, expected: object, what: str) -> int: ...
    def _write(self, table: str, key: Hashable, expected: int, row: Any) -> None: ...
    def _scan(self, table: str) -> Iterator[tuple[Hashable, Any]]: ...
    def _stored(self, value: T, cls: Any) -> T: ...
    def _narrowed(
        self,
        table: str,
        kind: str,
        *,
        order: tuple[str, ...] = (),
        after: tuple[str, ...] | None = None,
        limit: int | None = None,
        **where: str | tuple[str, str] | None,
    ) -> AbstractContextManager[None]: ...


@attrs.frozen
class Entry(Generic[T]):
    """One stored entry: its key, value, version and index."""

    key: str
    value: T
    version: int
    scope: str
    subject: str
    at: str


class Entries(Generic[T]):
    """The entries of one kind in a unit of work: read, put at a version, add once, find.

    ``what`` names the kind in messages ("contact", "appointment").
    """

    def __init__(self, uow: EntryRows, kind: str, cls: type[T], what: str) -> None:
        if KINDS.get(kind) is not cls:
            entry_kind(kind, cls)
        self._uow, self.kind, self.cls, self.what = uow, kind, cls, what

    def read(self, key: Key) -> Entry[T] | None:
        """The entry under ``key``, or ``None``."""
        stored = compose(key)
        row = self._uow._row(TABLE, (self.kind, stored))
        return None if row is None else self._entry(stored, row)

    def get(self, key: Key) -> Versioned[T]:
        """The value under ``key`` with its version; :class:`RecordNotFound` if none."""
        found = self.read(key)
        if found is None:
            raise not_found(f"{self.what} {_shown(key)}")
        return Versioned(found.value, found.version)

    def put(
        self,
        key: Key,
        value: T,
        expected_version: int,
        *,
        scope: str = "",
        subject: str = "",
        at: str = "",
    ) -> int:
        """Store ``value`` at ``expected_version`` (0: new); the new version."""
        check_instance(value, self.what.replace(" ", "_"), self.cls)
        row_key = (self.kind, compose(key))
        version = self.expect(key, expected_version) + 1
        stored = self._uow._stored(value, self.cls)
        self._uow._write(TABLE, row_key, expected_version, (version, (stored, scope, subject, at)))
        return version

    def expect(self, key: Key, expected_version: int) -> int:
        """``expected_version`` if it is ``key``'s latest; else a conflict, nothing written.

        A repository calls it before its rules look at a value decided at that version: a
        clerk who read version 1 must hear "read again" (a
        :class:`~propcrm.errors.ConcurrencyConflict`), not a rule refusing what another did
        since.
        """
        what = f"{self.what} {_shown(key)}"
        return self._uow._expect(TABLE, (self.kind, compose(key)), expected_version, what)

    def add(self, key: Key, value: T, *, scope: str = "", subject: str = "", at: str = "") -> bool:
        """Store a new ``value``; ``False`` if the same is stored already, refused if another."""
        check_instance(value, self.what.replace(" ", "_"), self.cls)
        row_key = (self.kind, compose(key))
        live = self._uow._latest(TABLE, row_key)
        if live is not None:
            stored = cast("T", live[1][0])
            if _same(stored, value, self.cls):
                return False
            raise RecordExists(
                f"{self.what} {_shown(key)} is stored already with other contents; it is written "
                "once and never changed.",
                field="key",
                value=key,
                stored=stored,
            )
        self.put(key, value, 0, scope=scope, subject=subject, at=at)
        return True

    def find(
        self,
        *,
        scope: str | None = None,
        subject: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[Entry[T]]:
        """Entries by index, ``since <= at < until``, in order of ``at`` then key."""
        return self.first(None, scope=scope, subject=subject, since=since, until=until)

    def first(
        self,
        limit: int | None,
        *,
        order: Order = "at",
        after: tuple[str, ...] | None = None,
        scope: str | None = None,
        subject: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[Entry[T]]:
        """The first ``limit`` entries ``find`` selects (all if ``None``) past ``after``.

        In ``order``: ``"at"`` (``at``, then key) or ``"key"``; ``after`` is the last entry's
        sort key so far (``(at, key)`` or ``(key,)``). The adapter may read only those that can
        be among them (SQL: the index range past ``after``, ``ORDER BY ... LIMIT``), with more
        to spare for this unit's own writes; they are filtered, sorted and cut here, so the
        result is exactly what the unit sees, pending writes included.
        """
        columns = ORDERS[order]
        between = None if since is None and until is None else (since or "", until or "\uffff")
        # A whole range is sorted here anyway; the database sorts only to cut a page.
        paged = limit is not None or after is not None
        with self._uow._narrowed(
            TABLE,
            self.kind,
            order=columns if paged else (),
            after=after,
            limit=limit,
            scope=scope,
            subject=subject,
            at=between,
        ):
            rows = list(self._uow._scan(TABLE))
        found = []
        for row_key, row in rows:
            kind, key = cast("tuple[str, str]", row_key)
            if kind != self.kind:
                continue
            entry = self._entry(key, row)
            if scope is not None and entry.scope != scope:
                continue
            if subject is not None and entry.subject != subject:
                continue
            if between is not None and not between[0] <= entry.at < between[1]:
                continue
            if after is not None and _sort_key(entry, columns) <= after:
                continue
            found.append(entry)
        found.sort(key=lambda e: _sort_key(e, columns))
        return found if limit is None else found[:limit]

    def page(
        self,
        query: str,
        *,
        scope: str | None = None,
        subject: str | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[T]:
        """A keyset page of the values ``find`` selects, in order of key.

        Only the page and one more entry are read: the one more says whether a next page is.
        """
        size = check_limit(limit)
        start = None if after is None else token_key(after, query, 1)
        found = self.first(size + 1, order="key", after=start, scope=scope, subject=subject)
        rows = [([e.key], e.value) for e in found]
        return keyset(rows, query, 1, limit, after)

    def _entry(self, key: str, row: Any) -> Entry[T]:
        version, (value, scope, subject, at) = row
        return Entry(key, cast("T", value), version, scope, subject, at)


Order = Literal["at", "key"]
"""How :meth:`Entries.first` sorts: by ``at`` then key (time order), or by key alone."""

#: The index columns of each order, most significant first.
ORDERS: dict[str, tuple[str, ...]] = {"at": ("at", "key"), "key": ("key",)}


def token_key(token: str, query: str, width: int) -> tuple[str, ...]:
    """The sort key a page token of ``query`` names: ``width`` texts, else the token is refused.

    Tokens travel through clients; one whose parts are not text names no entry, and must not
    reach an index comparison.
    """
    key = decode_token(token, query, width)
    if not all(isinstance(part, str) for part in key):
        raise InvalidPageToken(
            f"page token {token!r} is not a token of the {query} query.",
            field="after",
            value=token,
            allowed=f"a token the {query} query gave",
        )
    return tuple(key)


def _sort_key(entry: Entry[Any], columns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(getattr(entry, column) for column in columns)


def _shown(key: Key) -> str:
    return repr(key) if isinstance(key, str) else " ".join(map(repr, key))


def _same(stored: object, value: object, cls: type[Any]) -> bool:
    """Equal, or equal in what they hold (values compared by identity, such as tariffs)."""
    return stored == value or bool(to_primitive(stored, cls) == to_primitive(value, cls))
