"""The service desk, stored: the contact log with its callbacks (and the desk's shared helpers).

Each repository here is written once over :class:`~propcrm.storage._entries.Entries`, so the
in-memory and SQL adapters run the same code with their own transactions. The phone book
(:mod:`propcrm.storage._desk_phone_book`), the calendars (:mod:`~._desk_schedules`), the
solution base (:mod:`~._desk_solutions`) and the notices and activities
(:mod:`~._desk_notices`) are written the same way, with the helpers below.

A contact is appended, never changed: it is one entry, and the indexes a desk reads it by
(community, party, unit, staff) are entries of their own written in the same unit of work. A
callback is a versioned entry whose index moves from "open" to "kept" when an answered contact
keeps it, so the escalation finds the callbacks still open without reading the desk's history.

A callback promised on a hotline call and kept the same afternoon:

>>> from propcrm.contacts import Callback, Channel, Contact, ContactOutcome, Direction, Purpose
>>> at = pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Shanghai")
>>> call = Contact(
...     contact_id="C1",
...     at=at,
...     channel=Channel.HOTLINE,
...     direction=Direction.INBOUND,
...     purpose=Purpose.FEES,
...     outcome=ContactOutcome.CALLBACK_PROMISED,
...     staff="S1",
...     party_id="P1",
...     unit_id="1-2-0301",
...     callback=Callback("CB1"),
... )
>>> from propcrm.storage import MemoryStore
>>> store = MemoryStore()
>>> with store() as uow:
...     uow.contacts.add("SUNRISE", call)
...     uow.commit()
True
>>> with store() as uow:
...     [c.contact_id for c in uow.contacts.open_callbacks("SUNRISE", at.add(hours=1)).items]
['C1']
>>> back = attrs.evolve(
...     call,
...     contact_id="C2",
...     at=at.add(hours=3),
...     direction=Direction.OUTBOUND,
...     purpose=Purpose.CALLBACK,
...     outcome=ContactOutcome.RESOLVED,
...     callback=None,
...     keeps="CB1",
... )
>>> with store() as uow:
...     uow.contacts.add("SUNRISE", back)
...     uow.commit()
True
>>> with store() as uow:
...     uow.contacts.open_callbacks("SUNRISE", at.add(hours=4)).items
()
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Protocol, TypeVar

from propcrm._validators import check_instance, check_items
from propcrm.contacts import Contact, ContactLog
from propcrm.errors import InvalidContact, RecordExists, UnknownCallback
from propcrm.storage._entries import (
    SEPARATOR,
    Entries,
    Entry,
    EntryRows,
    sortable,
    token_key,
)
from propcrm.storage._values import (
    Page,
    check_key,
    check_limit,
    keyset,
)
from propcrm.time import aware

__all__ = [
    "ContactRepository",
    "Contacts",
    "just_after",
    "state_scope",
    "timeline",
]

T = TypeVar("T")


# -- shared by the desk's repositories ----------------------------------------------------------


def just_after(value: datetime.datetime) -> datetime.datetime:
    """The first index instant after ``value``: ``until`` for "at or before ``value``"."""
    return value + datetime.timedelta(microseconds=1)


def state_scope(scope: str, state: str) -> str:
    """An index scope narrowed to a state ("open", "done"): the separator keeps it apart.

    Ids never hold the separator, so ``SUNRISE`` + "open" can never be another scope's name.
    """
    return f"{scope}{SEPARATOR}{state}"


def timeline(
    entries: Entries[T],
    query: str,
    *,
    scope: str | tuple[str, ...] | None = None,
    subject: str | None = None,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    limit: int = 100,
    after: str | None = None,
) -> Page[T]:
    """A keyset page of entries in time order (``at``, then key), ``since <= at < until``.

    ``scope`` may name several scopes (the states of one community's entries): they are read
    as one timeline, the page's worth of each, merged.

    The token names the last entry's ``at`` and key: the next page reads from there on the
    index, and only the page and one more entry (which says whether a next page is).
    """
    size = check_limit(limit)
    low = None if since is None else sortable(aware(since, field="since"))
    high = None if until is None else sortable(aware(until, field="until"))
    start = None if after is None else token_key(after, query, 2)
    scopes = scope if isinstance(scope, tuple) else (scope,)
    found = [
        e
        for s in scopes
        for e in entries.first(
            size + 1, after=start, scope=s, subject=subject, since=low, until=high
        )
    ]
    rows = [([e.at, e.key], e.value) for e in found]
    return keyset(rows, query, 2, limit, after)


# -- contacts -------------------------------------------------------------------------------------

_OPEN, _KEPT = "open", "kept"


class ContactRepository(Protocol):
    """The desk's contact log: every contact on any channel, added once, read by who and when.

    A contact that promises a callback opens it; an answered contact that keeps it closes it
    (an unanswered attempt is logged and keeps nothing). A contact keeping a callback that no
    stored contact of the community promised, or keeping it before it was promised, is refused
    as :class:`~propcrm.contacts.ContactLog` refuses it. Pages are in time order.
    """

    def add(self, community: str, contact: Contact) -> bool:
        """Store ``contact``; ``False`` if the same is stored, refused if its id is taken."""
        ...

    def get(self, contact_id: str) -> Contact:
        """The contact with that id; :class:`~propcrm.errors.RecordNotFound` if none."""
        ...

    def between(
        self,
        community: str,
        since: datetime.datetime,
        until: datetime.datetime,
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Contact]:
        """The community's contacts made in ``[since, until)``."""
        ...

    def of_party(
        self,
        party_id: str,
        *,
        since: datetime.datetime | None = None,
        until: datetime.datetime | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Contact]:
        """A party's contacts (its history on every channel), in ``[since, until)`` if given."""
        ...

    def of_unit(
        self,
        unit_id: str,
        *,
        since: datetime.datetime | None = None,
        until: datetime.datetime | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Contact]:
        """The contacts about a unit, in ``[since, until)`` if given."""
        ...

    def of_staff(
        self,
        staff: str,
        *,
        since: datetime.datetime | None = None,
        until: datetime.datetime | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Contact]:
        """The contacts a member of staff took or made, in ``[since, until)`` if given."""
        ...

    def log(self, community: str, since: datetime.datetime, until: datetime.datetime) -> ContactLog:
        """The community's contacts of ``[since, until)`` as a :class:`ContactLog`.

        What :func:`~propcrm.contacts.contact_statistics` and the callback states run on. The
        promises (made before ``since``) of the callbacks kept inside the window come with it,
        so that the log holds together; widen ``until`` by the repeat window for first-contact
        resolution, as :func:`~propcrm.contacts.contact_statistics` explains.
        """
        ...

    def open_callbacks(
        self,
        community: str,
        as_of: datetime.datetime,
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Contact]:
        """The promises of the callbacks still open at ``as_of``, in order of promise.

        Open: promised at or before ``as_of`` and not kept by an answered contact by then.
        Pass their ids to :meth:`callback_log` for the escalation's clocks.
        """
        ...

    def callback_log(self, callback_ids: Iterable[str]) -> ContactLog:
        """The promises of these callbacks and every contact made to keep them, as a log.

        :func:`~propcrm.contacts.callback_state` and :func:`~propcrm.contacts.callback_clocks`
        run on it; :class:`~propcrm.errors.UnknownCallback` for an id nobody promised.
        """
        ...


class Contacts:
    def __init__(self, uow: EntryRows) -> None:
        self._uow = uow
        # By community (scope) and party (subject); by unit (scope) and staff (subject); the
        # callbacks by state (scope) and owner (subject); the contacts keeping each callback.
        self._contacts = Entries(uow, "desk.contact", Contact, "contact")
        self._seen = Entries(uow, "desk.contact.unit_staff", Contact, "contact")
        self._callbacks = Entries(uow, "desk.callback", Contact, "callback")
        self._keeping = Entries(uow, "desk.callback.keeping", Contact, "contact")

    def add(self, community: str, contact: Contact) -> bool:
        check_key(community, "community")
        check_instance(contact, "contact", Contact)
        stored = self._contacts.read(contact.contact_id)
        if stored is not None:
            if stored.value == contact and stored.scope == community:
                return False
            raise RecordExists(
                f"contact {contact.contact_id} is stored already with other contents; a contact "
                "is logged once and never changed.",
                field="contact_id",
                value=contact.contact_id,
                stored=stored.value,
            )
        promise = self._promise_kept(community, contact)
        if contact.callback is not None:
            taken = self._callbacks.read(contact.callback.callback_id)
            if taken is not None:
                raise RecordExists(
                    f"callback {contact.callback.callback_id} was promised already, on contact "
                    f"{taken.value.contact_id}; each callback id is promised once.",
                    field="callback",
                    value=contact.callback.callback_id,
                    stored=taken.value.contact_id,
                )
        at = sortable(contact.at)
        # The versioned write first: if another unit kept the callback meanwhile, it fails
        # before anything of this contact is written.
        if promise is not None and contact.answered:
            kept_at = promise.at if promise.scope == state_scope(community, _KEPT) else None
            if kept_at is None or at < kept_at:
                self._callbacks.put(
                    promise.key,
                    promise.value,
                    promise.version,
                    scope=state_scope(community, _KEPT),
                    subject=promise.subject,
                    at=at,
                )
        if not self._contacts.add(
            contact.contact_id, contact, scope=community, subject=contact.party_id or "", at=at
        ):
            return False
        self._seen.add(
            contact.contact_id, contact, scope=contact.unit_id or "", subject=contact.staff, at=at
        )
        if contact.callback is not None:
            owner = contact.callback.staff or contact.staff
            self._callbacks.put(
                contact.callback.callback_id,
                contact,
                0,
                scope=state_scope(community, _OPEN),
                subject=owner,
                at=at,
            )
        if contact.keeps is not None:
            self._keeping.add(
                contact.contact_id, contact, scope=contact.keeps, subject=community, at=at
            )
        return True

    def _promise_kept(self, community: str, contact: Contact) -> Entry[Contact] | None:
        """The callback entry ``contact`` keeps, checked as a contact log checks it."""
        if contact.keeps is None:
            return None
        promise = self._callbacks.read(contact.keeps)
        if promise is None or promise.scope.split(SEPARATOR)[0] != community:
            raise UnknownCallback(
                f"contact {contact.contact_id} keeps callback {contact.keeps}, which no stored "
                f"contact of {community} promised.",
                field="keeps",
                value=contact.keeps,
                allowed="the id of a callback promised in the community",
            )
        if contact.at < promise.value.at:
            raise InvalidContact(
                f"contact {contact.contact_id} at {contact.at.isoformat()} keeps callback "
                f"{contact.keeps}, promised later ({promise.value.at.isoformat()}).",
                field="at",
                value=contact.at,
                allowed=f"at or after {promise.value.at.isoformat()}",
            )
        return promise

    def get(self, contact_id: str) -> Contact:
        return self._contacts.get(check_key(contact_id, "contact_id")).value

    def between(
        self,
        community: str,
        since: datetime.datetime,
        until: datetime.datetime,
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Contact]:
        return timeline(
            self._contacts,
            "contacts",
            scope=check_key(community, "community"),
            since=aware(since, field="since"),
            until=aware(until, field="until"),
            limit=limit,
            after=after,
        )

    def of_party(
        self,
        party_id: str,
        *,
        since: datetime.datetime | None = None,
        until: datetime.datetime | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Contact]:
        return timeline(
            self._contacts,
            "contacts of party",
            subject=check_key(party_id, "party_id"),
            since=since,
            until=until,
            limit=limit,
            after=after,
        )

    def of_unit(
        self,
        unit_id: str,
        *,
        since: datetime.datetime | None = None,
        until: datetime.datetime | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Contact]:
        return timeline(
            self._seen,
            "contacts of unit",
            scope=check_key(unit_id, "unit_id"),
            since=since,
            until=until,
            limit=limit,
            after=after,
        )

    def of_staff(
        self,
        staff: str,
        *,
        since: datetime.datetime | None = None,
        until: datetime.datetime | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Contact]:
        return timeline(
            self._seen,
            "contacts of staff",
            subject=check_key(staff, "staff"),
            since=since,
            until=until,
            limit=limit,
            after=after,
        )

    def log(self, community: str, since: datetime.datetime, until: datetime.datetime) -> ContactLog:
        check_key(community, "community")
        low, high = aware(since, field="since"), aware(until, field="until")
        inside = [
            e.value
            for e in self._contacts.find(scope=community, since=sortable(low), until=sortable(high))
        ]
        present = {c.contact_id for c in inside}
        earlier = {}
        for contact in inside:
            if contact.keeps is not None:
                promise = self._callbacks.get(contact.keeps).value
                if promise.contact_id not in present:
                    earlier[promise.contact_id] = promise
        return ContactLog(_logged([*earlier.values(), *inside]))

    def open_callbacks(
        self,
        community: str,
        as_of: datetime.datetime,
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Contact]:
        check_key(community, "community")
        when = aware(as_of, field="as_of")
        check_limit(limit)
        # Open now and promised by then; or kept only after then (its index time is the keeping).
        still = self._callbacks.find(
            scope=state_scope(community, _OPEN), until=sortable(just_after(when))
        )
        later = self._callbacks.find(
            scope=state_scope(community, _KEPT), since=sortable(just_after(when))
        )
        rows = [
            ([sortable(e.value.at), e.key], e.value) for e in (*still, *later) if e.value.at <= when
        ]
        return keyset(rows, "open callbacks", 2, limit, after)

    def callback_log(self, callback_ids: Iterable[str]) -> ContactLog:
        ids = check_items(callback_ids, "callback_ids", str)
        found: dict[str, Contact] = {}
        for callback_id in ids:
            check_key(callback_id, "callback_id")
            promise = self._callbacks.read(callback_id)
            if promise is None:
                raise UnknownCallback(
                    f"no stored contact promised callback {callback_id}.",
                    field="callback_ids",
                    value=callback_id,
                    allowed="the ids of promised callbacks",
                )
            found[promise.value.contact_id] = promise.value
            for keeping in self._keeping.find(scope=callback_id):
                found[keeping.key] = keeping.value
        return ContactLog(_logged(found.values()))


def _logged(contacts: Iterable[Contact]) -> tuple[Contact, ...]:
    """Contacts in time order, each promise before the contacts keeping it (even at one instant)."""
    ordered = sorted(contacts, key=lambda c: (c.at, c.contact_id))
    promised = {c.callback.callback_id for c in ordered if c.callback is not None}
    done: list[Contact] = []
    seen: set[str] = set()
    waiting: dict[str, list[Contact]] = {}

    def emit(contact: Contact) -> None:
        done.append(contact)
        if contact.callback is not None:
            seen.add(contact.callback.callback_id)
            for held in waiting.pop(contact.callback.callback_id, []):
                emit(held)

    for contact in ordered:
        if contact.keeps in promised and contact.keeps not in seen:
            waiting.setdefault(contact.keeps, []).append(contact)
        else:
            emit(contact)
    return tuple(done)
