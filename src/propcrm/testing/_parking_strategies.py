"""Hypothesis strategies for parking: spaces, leases, applications and waiting lists.

Plural nouns with keyword-only bounds; each shrinks towards the simplest value: an underground
fixed space the developer holds, a lease from 2026-11-01 without an end, an owner's application
on 2026-03-01 09:00 in Shanghai, an empty waiting list.

>>> from hypothesis import given, settings
>>> @settings(max_examples=20, database=None)
... @given(parking_leases())
... def test_a_lease_covers_its_start(lease):
...     assert lease.in_force(lease.start)
>>> test_a_lease_covers_its_start()
"""

from __future__ import annotations

import pendulum
from hypothesis import strategies as st

from propcrm.parking import (
    ApplicantRole,
    Application,
    Lease,
    ParkingPolicy,
    ParkingSpace,
    SpaceKind,
    SpaceOwnership,
    SpaceTenure,
    WaitingList,
)

__all__ = [
    "parking_applications",
    "parking_leases",
    "parking_policies",
    "parking_spaces",
    "waiting_lists",
]

_FIRST_DAY = pendulum.date(2026, 11, 1)
_APPLIED = pendulum.datetime(2026, 3, 1, 9, 0, tz="Asia/Shanghai")


def parking_spaces(*, leasable: bool | None = None) -> st.SearchStrategy[ParkingSpace]:
    """Spaces of every kind; ``leasable=True`` only those the company may lease."""

    @st.composite
    def build(draw: st.DrawFn) -> ParkingSpace:
        number = draw(st.integers(1, 999))
        kind = draw(st.sampled_from(SpaceKind))
        prefix = "B1" if kind is SpaceKind.UNDERGROUND else "G"
        if leasable:
            tenure, ownership = SpaceTenure.FIXED, SpaceOwnership.DEVELOPER
        else:
            tenure = draw(st.sampled_from(SpaceTenure))
            ownership = draw(st.sampled_from(SpaceOwnership))
        owner = (
            draw(st.sampled_from(["P1", "P2", "P3"])) if ownership is SpaceOwnership.SOLD else None
        )
        space = ParkingSpace(
            f"P-{prefix}-{number:03d}", f"{prefix}-{number:03d}", kind, tenure, ownership, owner
        )
        if leasable is False and space.leasable:
            return ParkingSpace(
                space.space_id, space.number, kind, SpaceTenure.TEMPORARY, ownership, owner
            )
        return space

    return build()


def parking_leases(
    *, spaces: st.SearchStrategy[ParkingSpace] | None = None, tariff: str = "SUNRISE-P"
) -> st.SearchStrategy[Lease]:
    """Leases of leasable spaces from November 2026 on, open or ending within two years."""

    @st.composite
    def build(draw: st.DrawFn) -> Lease:
        space = draw(spaces if spaces is not None else parking_spaces(leasable=True))
        start = _FIRST_DAY.add(days=draw(st.integers(0, 400)))
        length = draw(st.none() | st.integers(1, 730))
        end = None if length is None else start.add(days=length)
        party = draw(st.sampled_from(["P1", "P2", "P3", "P4"]))
        unit = draw(st.sampled_from([None, "1-2-0301", "3-1-0101"]))
        lease_id = f"L-{draw(st.integers(1, 9999)):04d}"
        return Lease(lease_id, space, party, unit, start, tariff, end)

    return build()


def parking_applications(
    *, roles: st.SearchStrategy[ApplicantRole] | None = None
) -> st.SearchStrategy[Application]:
    """Applications of every role, within a year of 2026-03-01 09:00 (Shanghai)."""

    @st.composite
    def build(draw: st.DrawFn) -> Application:
        role = draw(roles if roles is not None else st.sampled_from(ApplicantRole))
        unit = (
            None
            if role is ApplicantRole.NON_RESIDENT
            else draw(st.sampled_from(["1-2-0301", "3-1-0101", "5-1-1201"]))
        )
        return Application(
            f"A-{draw(st.integers(1, 9999)):04d}",
            draw(st.sampled_from(["P1", "P2", "P3", "P4", "P5"])),
            role,
            _APPLIED.add(minutes=draw(st.integers(0, 525_600))),
            unit_id=unit,
            wants=draw(st.none() | st.sampled_from(SpaceKind)),
        )

    return build()


def waiting_lists(*, max_size: int = 8) -> st.SearchStrategy[WaitingList]:
    """Waiting lists of up to ``max_size`` applications with distinct ids."""
    return st.lists(
        parking_applications(), max_size=max_size, unique_by=lambda a: a.application_id
    ).map(WaitingList)


def parking_policies() -> st.SearchStrategy[ParkingPolicy]:
    """Allocation policies: any non-empty role order, either first-space rule, 1 to 3 spaces."""
    orders = st.permutations(list(ApplicantRole)).flatmap(
        lambda roles: st.integers(1, len(roles)).map(lambda n: tuple(roles[:n]))
    )
    return st.builds(
        ParkingPolicy,
        role_order=orders,
        one_per_unit_first=st.booleans(),
        max_spaces_per_unit=st.integers(1, 3),
    )
