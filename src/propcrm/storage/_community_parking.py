"""Parking and prepaid balances, stored: spaces, leases, the waiting list, prepaid money.

Leases are versioned and never deleted: a lease is ended (:meth:`~propcrm.parking.Lease.ended`)
and saved again, and what a billing run bills is read by the days in force. Two leases of one
space never overlap, also when two clerks let the space at once: each lease saved writes the
space's lease guard at the version read, so the second clerk to commit is refused
(:class:`~propcrm.errors.ConcurrencyConflict`) and, reading again, meets
:class:`~propcrm.errors.LeaseConflict`.

A prepaid balance is one versioned entry per account: its movements are a ledger, so a save
that would drop a stored movement is refused.
"""

from __future__ import annotations

import datetime
from typing import Protocol

import attrs

from propcrm._validators import check_instance
from propcrm.errors import InvalidParking, PrepaidError
from propcrm.parking import Lease, ParkingSpace, WaitingList, check_no_overlap
from propcrm.receivables import PrepaidBalance, PrepaidMovement
from propcrm.storage._entries import Entries, EntryRows, Key, sortable
from propcrm.storage._values import AccountId, Page, Versioned, check_key
from propcrm.time import as_date

__all__ = ["Parking", "ParkingRepository", "Prepaid", "PrepaidRepository"]


class ParkingRepository(Protocol):
    """A community's parking: spaces, leases, and the waiting list for a space.

    What the parking office asks: a space and its leases over the years, the leases in force
    on the days a billing run covers (what :func:`~propcrm.parking.bill_leases` takes), and
    the waiting list that :func:`~propcrm.parking.offer_space` reads when a space is freed.
    """

    def save_space(self, community: str, space: ParkingSpace, expected_version: int) -> int:
        """Store a space at the version read (0: new); the new version."""
        ...

    def space(self, community: str, space_id: str) -> Versioned[ParkingSpace]:
        """The space; :class:`~propcrm.errors.RecordNotFound` if none."""
        ...

    def spaces(
        self, community: str, *, limit: int = 100, after: str | None = None
    ) -> Page[ParkingSpace]:
        """The community's spaces, by space id."""
        ...

    def save_lease(self, community: str, lease: Lease, expected_version: int) -> int:
        """Store a lease at the version read (0: new); the new version.

        A new lease is of the space as stored and overlaps none of its leases
        (:class:`~propcrm.errors.LeaseConflict`); a stored lease changes only by ending
        earlier (:class:`~propcrm.errors.InvalidParking`).
        """
        ...

    def lease(self, community: str, lease_id: str) -> Versioned[Lease]:
        """The lease; :class:`~propcrm.errors.RecordNotFound` if none."""
        ...

    def of_space(self, community: str, space_id: str) -> tuple[Lease, ...]:
        """A space's leases, by start."""
        ...

    def in_force(
        self, community: str, first: datetime.date, last: datetime.date | None = None
    ) -> tuple[Lease, ...]:
        """The leases with a leased day from ``first`` through ``last`` (default ``first``).

        By start, then lease id; a billing run of a month passes its first and last day.
        """
        ...

    def waiting_list(self, community: str) -> Versioned[WaitingList]:
        """The waiting list (an empty one at version 0 before the first save)."""
        ...

    def save_waiting_list(self, community: str, waiting: WaitingList, expected_version: int) -> int:
        """Store the waiting list at the version read; the new version."""
        ...


class PrepaidRepository(Protocol):
    """Prepaid balances (预存款), one per account, and the statement of their movements."""

    def get(self, account_id: AccountId) -> Versioned[PrepaidBalance]:
        """The account's balance (an empty one at version 0 before the first save)."""
        ...

    def save(self, account_id: AccountId, balance: PrepaidBalance, expected_version: int) -> int:
        """Store ``balance`` at the version read; refused if it drops a stored movement."""
        ...

    def movements(
        self, account_id: AccountId, first: datetime.date, last: datetime.date
    ) -> tuple[PrepaidMovement, ...]:
        """The movements dated ``first`` through ``last``, in the order they replay."""
        ...

    def of_community(
        self, community: str, *, limit: int = 100, after: str | None = None
    ) -> Page[PrepaidBalance]:
        """The community's prepaid balances, by unit and billed party."""
        ...


class Parking:
    def __init__(self, uow: EntryRows) -> None:
        self._spaces = Entries(uow, "parking.space", ParkingSpace, "parking space")
        self._leases = Entries(uow, "parking.lease", Lease, "lease")
        # One per space, written with each of its leases: two clerks letting one space race
        # on it, not on the leases' own keys.
        self._guards = Entries(uow, "parking.space_guard", str, "space's leases")
        self._waiting = Entries(uow, "parking.waiting_list", WaitingList, "waiting list")

    def save_space(self, community: str, space: ParkingSpace, expected_version: int) -> int:
        check_key(community, "community")
        check_instance(space, "space", ParkingSpace)
        return self._spaces.put(
            (community, space.space_id), space, expected_version, scope=community
        )

    def space(self, community: str, space_id: str) -> Versioned[ParkingSpace]:
        return self._spaces.get((check_key(community, "community"), space_id))

    def spaces(
        self, community: str, *, limit: int = 100, after: str | None = None
    ) -> Page[ParkingSpace]:
        check_key(community, "community")
        return self._spaces.page("parking.spaces", scope=community, limit=limit, after=after)

    def save_lease(self, community: str, lease: Lease, expected_version: int) -> int:
        check_key(community, "community")
        check_instance(lease, "lease", Lease)
        key: Key = (community, lease.lease_id)
        space_id = lease.space.space_id
        # The guard first: a lease another clerk commits after this read makes the guard's
        # write stale, whether or not the leases read below show it.
        guard = self._guards.read((community, space_id))
        stored = self._leases.read(key)
        if stored is None:
            self._check_space(community, lease)
        else:
            _check_ended(stored.value, lease)
        others = [e.value for e in self._leases.find(scope=community, subject=space_id)]
        check_no_overlap([*(o for o in others if o.lease_id != lease.lease_id), lease])
        version = self._leases.put(
            key,
            lease,
            expected_version,
            scope=community,
            subject=space_id,
            at=sortable(lease.start),
        )
        self._guards.put(
            (community, space_id), lease.lease_id, 0 if guard is None else guard.version
        )
        return version

    def _check_space(self, community: str, lease: Lease) -> None:
        stored = self._spaces.read((community, lease.space.space_id))
        if stored is None or stored.value != lease.space:
            raise InvalidParking(
                f"lease {lease.lease_id} lets space {lease.space.space_id} "
                f"{'which is not stored' if stored is None else 'as it no longer is'}; a new "
                "lease lets the space as stored.",
                field="space",
                value=lease.space,
                allowed="the space as stored",
                lease_id=lease.lease_id,
            )

    def lease(self, community: str, lease_id: str) -> Versioned[Lease]:
        return self._leases.get((check_key(community, "community"), lease_id))

    def of_space(self, community: str, space_id: str) -> tuple[Lease, ...]:
        check_key(community, "community")
        found = self._leases.find(scope=community, subject=check_key(space_id, "space_id"))
        return tuple(e.value for e in found)

    def in_force(
        self, community: str, first: datetime.date, last: datetime.date | None = None
    ) -> tuple[Lease, ...]:
        check_key(community, "community")
        start = as_date(first, "first")
        end = start if last is None else as_date(last, "last")
        # Indexed by start: every lease begun by ``end``, then those not ended by ``start``.
        found = self._leases.find(scope=community, until=sortable(end + datetime.timedelta(1)))
        return tuple(e.value for e in found if e.value.end is None or e.value.end > start)

    def waiting_list(self, community: str) -> Versioned[WaitingList]:
        found = self._waiting.read(check_key(community, "community"))
        return (
            Versioned(WaitingList(), 0) if found is None else Versioned(found.value, found.version)
        )

    def save_waiting_list(self, community: str, waiting: WaitingList, expected_version: int) -> int:
        check_key(community, "community")
        check_instance(waiting, "waiting", WaitingList)
        return self._waiting.put(community, waiting, expected_version, scope=community)


def _check_ended(stored: Lease, lease: Lease) -> None:
    """A stored lease changes only by ending: the same lease, ended no later than it was."""
    if attrs.evolve(lease, end=stored.end) != stored:
        raise InvalidParking(
            f"lease {lease.lease_id} is stored with other terms; a lease is only ever ended "
            "(agree a new lease for new terms).",
            field="lease",
            value=lease,
            allowed="the stored lease, ended",
            lease_id=lease.lease_id,
        )
    if lease.end == stored.end:
        return
    if lease.end is None:
        raise InvalidParking(
            f"lease {lease.lease_id} ended on {stored.end}; an ended lease is not reopened "
            "(agree a new lease instead).",
            field="end",
            value=None,
            allowed=f"on or before {stored.end}",
            lease_id=lease.lease_id,
        )
    stored.ended(lease.end)  # the lease's own rule: never ended later than it was


def _account_key(account_id: AccountId) -> Key:
    check_instance(account_id, "account_id", AccountId)
    a = account_id
    return (
        (a.community, a.unit_id)
        if a.billed_party is None
        else (
            a.community,
            a.unit_id,
            a.billed_party,
        )
    )


class Prepaid:
    def __init__(self, uow: EntryRows) -> None:
        self._balances = Entries(uow, "receivables.prepaid", PrepaidBalance, "prepaid balance")

    def get(self, account_id: AccountId) -> Versioned[PrepaidBalance]:
        found = self._balances.read(_account_key(account_id))
        if found is None:
            empty = PrepaidBalance(account_id.unit_id, account_id.billed_party)
            return Versioned(empty, 0)
        return Versioned(found.value, found.version)

    def save(self, account_id: AccountId, balance: PrepaidBalance, expected_version: int) -> int:
        key = _account_key(account_id)
        check_instance(balance, "balance", PrepaidBalance)
        if (balance.unit_id, balance.billed_party) != (account_id.unit_id, account_id.billed_party):
            raise PrepaidError(
                f"the prepaid balance of unit {balance.unit_id} (billed party "
                f"{balance.billed_party}) is not account {account_id}'s.",
                field="balance",
                value=(balance.unit_id, balance.billed_party),
                allowed=f"unit {account_id.unit_id}, billed party {account_id.billed_party}",
            )
        stored = self._balances.read(key)
        if stored is not None:
            kept = set(balance.movements)
            dropped = [m for m in stored.value.movements if m not in kept]
            if dropped:
                raise PrepaidError(
                    f"the prepaid balance of {account_id} would lose movement "
                    f"{dropped[0].reference}; movements are a ledger, never removed (refund or "
                    "settle instead).",
                    field="balance",
                    value=dropped[0].reference,
                    allowed="every stored movement, and new ones",
                )
        return self._balances.put(
            key,
            balance,
            expected_version,
            scope=account_id.community,
            subject=account_id.unit_id,
        )

    def movements(
        self, account_id: AccountId, first: datetime.date, last: datetime.date
    ) -> tuple[PrepaidMovement, ...]:
        start, end = as_date(first, "first"), as_date(last, "last")
        balance = self.get(account_id).value
        return tuple(m for m in balance.movements if start <= m.on <= end)

    def of_community(
        self, community: str, *, limit: int = 100, after: str | None = None
    ) -> Page[PrepaidBalance]:
        check_key(community, "community")
        return self._balances.page(
            "prepaid.of_community", scope=community, limit=limit, after=after
        )
