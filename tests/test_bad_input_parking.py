"""Bad input to every public entry point of propcrm.parking is refused with a library error.

Each argument of each entry point in ``propcrm.parking.__all__`` is fed the malformed values of
its kind (:mod:`tests.bad_input`) and :func:`assert_refused` checks that only a
:class:`~propcrm.errors.PropcrmError` with its context comes out. ``None`` is left out where an
argument is optional.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from tests.bad_input import (
    assert_refused,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_instants,
    bad_locales,
    bad_text,
    wrong_types,
)
from tests.test_parking import AT, DAY, NOV, SPACE, lease, run

from propcrm.parking import (
    ApplicantRole,
    Application,
    Offer,
    ParkingPolicy,
    ParkingSpace,
    PassReason,
    SpaceKind,
    SpaceOwnership,
    SpaceTenure,
    WaitingList,
    bill_leases,
    check_no_overlap,
    offer_space,
)

FEW = settings(max_examples=8, deadline=None)
NOT_NONE = wrong_types.filter(lambda value: value is not None)
# An empty list or set is a collection, rightly accepted where a collection is wanted.
NOT_A_COLLECTION = NOT_NONE.filter(lambda value: not isinstance(value, list | tuple | set))
APPLICATION = Application("A-1", "P1", ApplicantRole.OWNER, AT, unit_id="1-2-0301")
QUEUE = WaitingList((APPLICATION,))


def application(**changes: Any) -> Application:
    values: dict[str, Any] = {
        "application_id": "A-1",
        "party_id": "P1",
        "role": ApplicantRole.OWNER,
        "applied_at": AT,
        "unit_id": "1-2-0301",
    }
    values.update(changes)
    return Application(**values)


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: ParkingSpace(bad, "B1-017", SpaceKind.UNDERGROUND),
        lambda bad: (
            ParkingSpace("P-1", "1", SpaceKind.SURFACE, ownership=SpaceOwnership.SOLD, owner_id=bad)
            if bad is not None
            else ParkingSpace("P-1", "1", SpaceKind.SURFACE, ownership=SpaceOwnership.SOLD)
        ),
        lease,
        lambda bad: lease(party_id=bad),
        lambda bad: lease(unit_id=bad) if bad is not None else lease(unit_id=""),
        lambda bad: lease(tariff=bad),
        lambda bad: application(application_id=bad),
        lambda bad: application(party_id=bad),
        lambda bad: application(unit_id=bad),
        QUEUE.withdraw,
    ],
)
@FEW
@given(bad=bad_ids)
def test_ids_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@FEW
@given(bad=bad_text)
def test_a_space_number_is_text(bad: object) -> None:
    assert_refused(lambda: ParkingSpace("P-1", bad, SpaceKind.SURFACE))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: lease(start=bad),
        lambda bad: lease(end=bad) if bad is not None else lease(end=DAY),  # not after start
        lambda bad: lease(start=DAY.subtract(days=9)).ended(bad),
        lambda bad: lease().in_force(bad),
        lambda bad: offer_space(QUEUE, SPACE, on=bad),
    ],
)
@FEW
@given(bad=bad_dates)
def test_dates_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@FEW
@given(bad=bad_instants)
def test_an_application_instant_is_aware(bad: object) -> None:
    assert_refused(lambda: application(applied_at=bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: ParkingSpace("P-1", "1", bad),
        lambda bad: ParkingSpace("P-1", "1", SpaceKind.SURFACE, tenure=bad),
        lambda bad: ParkingSpace("P-1", "1", SpaceKind.SURFACE, ownership=bad),
        lambda bad: lease(space=bad),
        lambda bad: lease().billing(bad),
        lambda bad: application(role=bad),
        lambda bad: application(wants=bad),
        lambda bad: ParkingPolicy(role_order=bad),
        lambda bad: ParkingPolicy(role_order=[bad]),
        # a bool is the right type here: stand in another wrong one
        lambda bad: ParkingPolicy(one_per_unit_first="yes" if isinstance(bad, bool) else bad),
        lambda bad: WaitingList([bad]),
        QUEUE.join,
        lambda bad: offer_space(bad, SPACE, on=DAY),
        lambda bad: offer_space(QUEUE, bad, on=DAY),
        lambda bad: offer_space(QUEUE, SPACE, on=DAY, policy=bad),
        lambda bad: bill_leases(bad, [lease()]),
        lambda bad: check_no_overlap([bad]),
    ],
)
@FEW
@given(bad=NOT_NONE)
def test_wrong_types_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        WaitingList,
        lambda bad: offer_space(QUEUE, SPACE, on=DAY, leases=bad),
        lambda bad: bill_leases(run(), bad),
        check_no_overlap,
    ],
)
@FEW
@given(bad=NOT_A_COLLECTION)
def test_collections_of_the_wrong_type_are_refused(
    call: Callable[[Any], object], bad: object
) -> None:
    assert_refused(lambda: call(bad))


@FEW
@given(bad=bad_counts)
def test_a_space_limit_is_a_positive_int(bad: object) -> None:
    assert_refused(lambda: ParkingPolicy(max_spaces_per_unit=bad))  # type: ignore[arg-type]


def test_inconsistent_values_are_refused() -> None:
    assert_refused(lambda: ParkingPolicy(role_order=()))
    assert_refused(lambda: ParkingPolicy(role_order=(ApplicantRole.OWNER,) * 2))
    assert_refused(lambda: application(role=ApplicantRole.NON_RESIDENT))
    assert_refused(lambda: application(unit_id=None))
    assert_refused(lambda: QUEUE.join(APPLICATION))
    temporary = ParkingSpace("P-9", "9", SpaceKind.SURFACE, SpaceTenure.TEMPORARY)
    assert_refused(lambda: offer_space(QUEUE, temporary, on=DAY))
    assert_refused(lambda: lease(end=NOV.end).ended(NOV.end.add(days=3)))


@pytest.mark.parametrize(
    "describe",
    [
        SpaceKind.SURFACE.label,
        SpaceTenure.FIXED.label,
        SpaceOwnership.SOLD.label,
        ApplicantRole.OWNER.label,
        PassReason.WRONG_KIND.describe,
        offer_space(QUEUE, SPACE, on=DAY).describe,
        Offer(SPACE, DAY, None, None, None, ()).describe,
    ],
)
@FEW
@given(bad=bad_locales)
def test_locales_are_refused(describe: Callable[[Any], str], bad: object) -> None:
    assert_refused(lambda: describe(bad))
