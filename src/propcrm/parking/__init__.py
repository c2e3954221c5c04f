"""Parking: spaces, their allocation from a waiting list, and leases that feed the billing run.

Spaces are numbered, underground or surface, fixed or temporary, held by the developer or sold
(:class:`ParkingSpace`). A freed space is offered to the next eligible applicant of a
first-come-first-served :class:`WaitingList` under the community's :class:`ParkingPolicy`
(owners first, one space per unit before a second), and the :class:`Offer` explains itself.
A :class:`Lease` lets a space on half-open days; its rent is the parking tariff's price, and
:func:`bill_leases` bills each lease through :class:`propcrm.billing.BillingRun`, whose own
proration bills exactly the leased days (domain brief §7).

>>> space = ParkingSpace("P-B1-017", "B1-017", SpaceKind.UNDERGROUND)
>>> lease = Lease("L-1", space, "P0001", "1-2-0301", pendulum.date(2026, 11, 14), "SUNRISE-B1")
>>> billing = lease.billing(BillingPeriod.month(2026, 11))
>>> billing.unit.unit_id, billing.usage.parking_spaces, str(billing.span)
('P-B1-017', 1, 'from 2026-11-14')
"""

from propcrm.parking._leases import (
    Lease,
    LeaseBilling,
    bill_leases,
    check_no_overlap,
)
from propcrm.parking._spaces import (
    ParkingSpace,
    SpaceKind,
    SpaceOwnership,
    SpaceTenure,
)
from propcrm.parking._waiting import (
    DEFAULT_PARKING_POLICY,
    ApplicantRole,
    Application,
    Offer,
    ParkingPolicy,
    PassedOver,
    PassReason,
    WaitingList,
    offer_space,
)

__all__ = [
    "DEFAULT_PARKING_POLICY",
    "ApplicantRole",
    "Application",
    "Lease",
    "LeaseBilling",
    "Offer",
    "ParkingPolicy",
    "ParkingSpace",
    "PassReason",
    "PassedOver",
    "SpaceKind",
    "SpaceOwnership",
    "SpaceTenure",
    "WaitingList",
    "bill_leases",
    "check_no_overlap",
    "offer_space",
]


def __dir__() -> list[str]:
    return list(__all__)
