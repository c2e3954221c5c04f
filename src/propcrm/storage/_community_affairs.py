"""Public affairs and prospects, stored: move-ins, decorations, goods releases and leads.

Each is a versioned entry, saved at the version read (a move-in ticked by the gate while the
desk completes it: the second save is refused), indexed by the community, the unit and the
instant it was opened or recorded.
"""

from __future__ import annotations

import datetime
from datetime import UTC
from typing import Protocol, TypeVar

from propcrm._validators import check_instance
from propcrm.affairs import (
    DECORATION_TRANSITIONS,
    MOVE_IN_TRANSITIONS,
    RELEASE_TRANSITIONS,
    AffairTransitionTable,
    DecorationAffair,
    GoodsRelease,
    MoveIn,
)
from propcrm.errors import InvalidType
from propcrm.prospects import Lead, LeadSource
from propcrm.storage._entries import Entries, Entry, EntryRows, sortable
from propcrm.storage._values import Page, Versioned, check_key, keyset
from propcrm.time import DEFAULT_ZONE, as_date, zone

__all__ = ["Affair", "AffairRepository", "Affairs", "LeadRepository", "Leads"]

Affair = MoveIn | DecorationAffair | GoodsRelease
"""A public affair: a move-in, a decoration or a goods release."""

A = TypeVar("A", MoveIn, DecorationAffair, GoodsRelease)


class AffairRepository(Protocol):
    """A community's public affairs: move-ins, decorations and goods releases.

    What the desk asks: one affair to work on (and save at the version read), a unit's
    affairs (before a sale or a move-out), and the affairs still open on a day (the morning
    list; a decoration is open until its deposit is settled).
    """

    def save(self, community: str, affair: Affair, expected_version: int) -> int:
        """Store ``affair`` at the version read (0: new); the new version."""
        ...

    def get(self, community: str, affair_id: str, kind: type[A]) -> Versioned[A]:
        """The affair of that kind (``MoveIn``, ``DecorationAffair``, ``GoodsRelease``)."""
        ...

    def of_unit(self, community: str, unit_id: str) -> tuple[Affair, ...]:
        """A unit's affairs of every kind, by the instant each was opened."""
        ...

    def open_on(
        self, community: str, day: datetime.date, *, limit: int = 100, after: str | None = None
    ) -> Page[Affair]:
        """The affairs opened by the end of ``day`` and not over on it, by opening instant.

        "Over" is a state the affair's transition table allows nothing from (completed,
        cancelled, settled, released...); each step counts on the day of its instant.
        """
        ...


class LeadRepository(Protocol):
    """A community's prospects: leads by source and month (the funnel), by unit wanted."""

    def save(self, community: str, lead: Lead, expected_version: int) -> int:
        """Store ``lead`` at the version read (0: new); the new version."""
        ...

    def get(self, community: str, lead_id: str) -> Versioned[Lead]:
        """The lead; :class:`~propcrm.errors.RecordNotFound` if none."""
        ...

    def recorded(
        self,
        community: str,
        first: datetime.date,
        last: datetime.date,
        *,
        source: LeadSource | None = None,
        zone_name: str = DEFAULT_ZONE,
    ) -> tuple[Lead, ...]:
        """Leads recorded from ``first`` through ``last`` (days in ``zone_name``), by instant.

        What :func:`~propcrm.prospects.funnel` counts for those months.
        """
        ...

    def wanting(self, community: str, unit_id: str) -> tuple[Lead, ...]:
        """The leads that named ``unit_id`` (to call when it falls vacant), by instant."""
        ...


_TABLES: dict[type, AffairTransitionTable] = {
    MoveIn: MOVE_IN_TRANSITIONS,
    DecorationAffair: DECORATION_TRANSITIONS,
    GoodsRelease: RELEASE_TRANSITIONS,
}


def _affair_id(affair: Affair) -> str:
    return affair.release_id if isinstance(affair, GoodsRelease) else affair.affair_id


def _open_on(affair: Affair, day: datetime.date) -> bool:
    table = _TABLES[type(affair)]
    steps = tuple(s for s in affair.history if s.at.date() <= day)
    return bool(steps) and bool(table.allowed(table.state_of(steps)))


class Affairs:
    def __init__(self, uow: EntryRows) -> None:
        self._kinds: dict[type, Entries[Affair]] = {
            MoveIn: Entries(uow, "affairs.move_in", MoveIn, "move-in"),
            DecorationAffair: Entries(
                uow,
                "affairs.decoration",
                DecorationAffair,
                "decoration",
            ),
            GoodsRelease: Entries(
                uow,
                "affairs.release",
                GoodsRelease,
                "goods release",
            ),
        }

    def _entries(self, kind: object) -> Entries[Affair]:
        entries = self._kinds.get(kind) if isinstance(kind, type) else None
        if entries is None:
            raise InvalidType(
                f"kind {kind!r} is not a kind of public affair.",
                field="kind",
                value=kind,
                allowed="MoveIn, DecorationAffair or GoodsRelease",
            )
        return entries

    def save(self, community: str, affair: Affair, expected_version: int) -> int:
        check_key(community, "community")
        check_instance(affair, "affair", MoveIn, DecorationAffair, GoodsRelease)
        return self._entries(type(affair)).put(
            (community, _affair_id(affair)),
            affair,
            expected_version,
            scope=community,
            subject=affair.unit_id,
            at=sortable(affair.history[0].at),
        )

    def get(self, community: str, affair_id: str, kind: type[A]) -> Versioned[A]:
        entries = self._entries(kind)
        return entries.get((check_key(community, "community"), affair_id))  # type: ignore[return-value]

    def _found(self, community: str, **where: str | None) -> list[Entry[Affair]]:
        check_key(community, "community")
        found = [e for entries in self._kinds.values() for e in entries.find(**where)]
        found.sort(key=lambda e: (e.at, e.key))
        return found

    def of_unit(self, community: str, unit_id: str) -> tuple[Affair, ...]:
        check_key(unit_id, "unit_id")
        return tuple(e.value for e in self._found(community, scope=community, subject=unit_id))

    def open_on(
        self, community: str, day: datetime.date, *, limit: int = 100, after: str | None = None
    ) -> Page[Affair]:
        on = as_date(day, "day")
        # Indexed by the opening instant in UTC: the day ends there at most 12 hours after
        # UTC's own midnight (UTC-12); the steps' own days are compared exactly below.
        bound = datetime.datetime.combine(on + datetime.timedelta(1), datetime.time(12), UTC)
        found = self._found(community, scope=community, until=sortable(bound))
        rows = [([e.at, e.key], e.value) for e in found if _open_on(e.value, on)]
        return keyset(rows, "affairs.open_on", 2, limit, after)


class Leads:
    def __init__(self, uow: EntryRows) -> None:
        self._leads = Entries(uow, "prospects.lead", Lead, "lead")

    def save(self, community: str, lead: Lead, expected_version: int) -> int:
        check_key(community, "community")
        check_instance(lead, "lead", Lead)
        return self._leads.put(
            (community, lead.lead_id),
            lead,
            expected_version,
            scope=community,
            subject=lead.unit_wanted or "",
            at=sortable(lead.created_at),
        )

    def get(self, community: str, lead_id: str) -> Versioned[Lead]:
        return self._leads.get((check_key(community, "community"), lead_id))

    def recorded(
        self,
        community: str,
        first: datetime.date,
        last: datetime.date,
        *,
        source: LeadSource | None = None,
        zone_name: str = DEFAULT_ZONE,
    ) -> tuple[Lead, ...]:
        check_key(community, "community")
        start, end = as_date(first, "first"), as_date(last, "last")
        if source is not None:
            check_instance(source, "source", LeadSource)
        tz = zone(zone_name)
        since = datetime.datetime.combine(start, datetime.time(), tz)
        until = datetime.datetime.combine(end + datetime.timedelta(1), datetime.time(), tz)
        found = self._leads.find(scope=community, since=sortable(since), until=sortable(until))
        return tuple(e.value for e in found if source is None or e.value.source is source)

    def wanting(self, community: str, unit_id: str) -> tuple[Lead, ...]:
        check_key(community, "community")
        found = self._leads.find(scope=community, subject=check_key(unit_id, "unit_id"))
        return tuple(e.value for e in found)
