"""The community's business, stored: concessions here, the rest in ``_community_*`` modules.

Votes and questionnaires are in ``_community_assembly``, public affairs and leads in
``_community_affairs``, parking and prepaid balances in ``_community_parking``. Each repository
of these modules is written once over :class:`~propcrm.storage._entries.Entries`, so the
in-memory and SQL adapters run the same code with their own transactions.
"""

from __future__ import annotations

import datetime
from typing import Protocol

from propcrm._validators import check_instance
from propcrm.billing import Concession
from propcrm.storage._entries import Entries, EntryRows, sortable
from propcrm.storage._values import check_key
from propcrm.time import as_date

__all__ = ["ConcessionRepository", "Concessions"]


class ConcessionRepository(Protocol):
    """A community's approved concessions: each added once, found by code and by the days it covers.

    A concession is an approved policy value (:class:`~propcrm.billing.Concession`): it is never
    changed once stored; a new decision is a new concession with its own code.
    """

    def add(self, community: str, concession: Concession) -> bool:
        """Store ``concession``; ``False`` if the same is stored, refused if its code is taken."""
        ...

    def get(self, community: str, code: str) -> Concession:
        """The concession with ``code``; :class:`~propcrm.errors.RecordNotFound` if none."""
        ...

    def in_force(
        self,
        community: str,
        first: datetime.date,
        last: datetime.date,
        *,
        unit_id: str | None = None,
    ) -> tuple[Concession, ...]:
        """The concessions covering a day from ``first`` to ``last`` (for ``unit_id`` if given).

        In order of their first day, then code: what a billing run of those days applies.
        """
        ...


class Concessions:
    def __init__(self, uow: EntryRows) -> None:
        self._entries = Entries(uow, "billing.concession", Concession, "concession")

    def add(self, community: str, concession: Concession) -> bool:
        check_instance(concession, "concession", Concession)
        key = (check_key(community, "community"), concession.code)
        return self._entries.add(
            key,
            concession,
            scope=community,
            subject=concession.unit_id or "",
            at=sortable(concession.first),
        )

    def get(self, community: str, code: str) -> Concession:
        return self._entries.get((community, code)).value

    def in_force(
        self,
        community: str,
        first: datetime.date,
        last: datetime.date,
        *,
        unit_id: str | None = None,
    ) -> tuple[Concession, ...]:
        start, end = as_date(first, "first"), as_date(last, "last")
        if unit_id is not None:
            check_key(unit_id, "unit_id")
        # Indexed by first day: every concession starting by ``end``, then those still running.
        found = self._entries.find(
            scope=check_key(community, "community"), until=sortable(end + datetime.timedelta(1))
        )
        return tuple(
            c.value
            for c in found
            if c.value.last >= start and (unit_id is None or c.value.applies_to(unit_id))
        )
