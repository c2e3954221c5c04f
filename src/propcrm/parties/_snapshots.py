"""A unit on one day, all at once: :class:`UnitSnapshot` (``PartyBook.snapshot``)."""

from __future__ import annotations

import attrs
import pendulum

from propcrm.parties._payers import Payer
from propcrm.parties._relations import Merchant, Owner, Resident, Tenant
from propcrm.parties._units import UnitStatus

__all__ = ["UnitSnapshot"]


@attrs.frozen
class UnitSnapshot:
    """Everything about a unit on one day: status, owners, occupants and the payer."""

    unit_id: str
    on: pendulum.Date
    status: UnitStatus
    owners: tuple[Owner, ...]
    tenants: tuple[Tenant, ...]
    residents: tuple[Resident, ...]
    merchants: tuple[Merchant, ...]
    payer: Payer | None
