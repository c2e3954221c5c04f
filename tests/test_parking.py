"""Parking: spaces, allocation from the waiting list, leases billed for exactly their days."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._property_types import PropertyType
from propcrm.billing import (
    Approval,
    Approver,
    BillingRun,
    ParkingCharge,
    ProrationConvention,
    ProrationPolicy,
    Tariff,
    TariffVersion,
    split_by_days,
)
from propcrm.billing import (
    BillingPolicy as Policy,
)
from propcrm.errors import InvalidParking, LeaseConflict
from propcrm.money import Money
from propcrm.parking import (
    ApplicantRole,
    Application,
    Lease,
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
from propcrm.testing.strategies import (
    parking_leases,
    parking_policies,
    parking_spaces,
    waiting_lists,
)
from propcrm.time import BillingPeriod

NOV = BillingPeriod.month(2026, 11)
RENT = ParkingCharge("PARK", "地下车位租金", Money("300.00"))
TARIFF = Tariff(
    "SUNRISE-P",
    (
        TariffVersion(
            "2026",
            effective_from=pendulum.date(2026, 1, 1),
            announced_on=pendulum.date(2025, 11, 1),
            approval=Approval(
                Approver.PRICE_AUTHORITY, "沪价〔2025〕12号", pendulum.date(2025, 10, 20)
            ),
            charges={PropertyType.PARKING: (RENT,)},
        ),
    ),
)
SPACE = ParkingSpace("P-B1-017", "B1-017", SpaceKind.UNDERGROUND)
SURFACE = ParkingSpace("P-G-003", "G-003", SpaceKind.SURFACE)
AT = pendulum.datetime(2026, 3, 1, 9, tz="Asia/Shanghai")
DAY = pendulum.date(2026, 11, 14)


def lease(lease_id: str = "L-1", **changes: object) -> Lease:
    values: dict[str, object] = {
        "space": SPACE,
        "party_id": "P0001",
        "unit_id": "1-2-0301",
        "start": DAY,
        "tariff": "SUNRISE-P",
    }
    values.update(changes)
    return Lease(lease_id, **values)  # type: ignore[arg-type]


def run(period: BillingPeriod = NOV, policy: Policy | None = None) -> BillingRun:
    if policy is None:
        return BillingRun(community="SUNRISE", period=period, tariff=TARIFF)
    return BillingRun(community="SUNRISE", period=period, tariff=TARIFF, policy=policy)


# -- spaces -----------------------------------------------------------------------------------


def test_a_sold_space_names_its_owner_and_a_held_one_none() -> None:
    sold = ParkingSpace("P-1", "1", SpaceKind.SURFACE, ownership=SpaceOwnership.SOLD, owner_id="P9")
    assert not sold.leasable
    with pytest.raises(InvalidParking):
        ParkingSpace("P-1", "1", SpaceKind.SURFACE, ownership=SpaceOwnership.SOLD)
    with pytest.raises(InvalidParking):
        ParkingSpace("P-1", "1", SpaceKind.SURFACE, owner_id="P9")


def test_only_fixed_spaces_the_developer_holds_are_leased() -> None:
    temporary = ParkingSpace("P-2", "2", SpaceKind.SURFACE, SpaceTenure.TEMPORARY)
    with pytest.raises(InvalidParking):
        lease(space=temporary)
    sold = ParkingSpace("P-1", "1", SpaceKind.SURFACE, ownership=SpaceOwnership.SOLD, owner_id="P9")
    with pytest.raises(InvalidParking):
        lease(space=sold)


# -- leases and the billing run --------------------------------------------------------------


def test_a_lease_from_the_14th_is_billed_for_17_days_of_november() -> None:
    # The scenario of the brief: a resident leases B1-017 from 14 November at 300 元 a month.
    (notice,) = bill_leases(run(), [lease()])
    line = notice.lines[0]
    assert notice.unit_id == "P-B1-017"
    assert notice.billed_party == "P0001"
    assert notice.total == Money("170.00")  # 300 × 17/30
    assert line.explanation.proration is not None
    assert (line.explanation.proration.weight, line.explanation.proration.total_weight) == (17, 30)
    assert line.explanation.proration.first == DAY
    assert line.explanation.proration.last == pendulum.date(2026, 11, 30)


def test_a_lease_ending_mid_month_stops_its_charge() -> None:
    ended = lease(start=pendulum.date(2026, 1, 1)).ended(pendulum.date(2026, 11, 14))
    (notice,) = bill_leases(run(), [ended])
    assert notice.total == Money("130.00")  # 13 days: 1st to 13th
    assert bill_leases(run(BillingPeriod.month(2026, 12)), [ended]) == ()


def test_a_whole_month_lease_is_the_full_rent_without_proration() -> None:
    (notice,) = bill_leases(run(), [lease(start=pendulum.date(2026, 1, 1))])
    assert notice.total == Money("300.00")
    assert notice.lines[0].explanation.proration is None


def test_the_billing_policys_own_proration_applies() -> None:
    cutoff = Policy(proration=ProrationPolicy(ProrationConvention.WHOLE_MONTH_CUTOFF))
    (notice,) = bill_leases(run(policy=cutoff), [lease()])
    assert notice.total == Money("300.00")  # the 14th is before the 15th: the whole month


def test_leases_of_other_tariffs_and_other_periods_are_left_out() -> None:
    other = lease("L-2", space=SURFACE, tariff="SUNRISE-G")
    later = lease("L-3", start=pendulum.date(2026, 12, 1))
    current = lease(end=pendulum.date(2026, 12, 1))
    assert [n.unit_id for n in bill_leases(run(), [current, other, later])] == ["P-B1-017"]


def test_two_leases_of_one_space_on_one_day_are_refused() -> None:
    first = lease(start=pendulum.date(2026, 1, 1), end=pendulum.date(2026, 11, 15))
    with pytest.raises(LeaseConflict):
        check_no_overlap([first, lease("L-2")])
    # Half-open: the next lease may start on the day the last one ends.
    assert len(check_no_overlap([first, lease("L-2", start=pendulum.date(2026, 11, 15))])) == 2


def test_a_space_changing_lessee_mid_month_bills_each_their_days() -> None:
    first = lease(start=pendulum.date(2026, 1, 1), end=pendulum.date(2026, 11, 14))
    second = lease("L-2", party_id="P0002", unit_id="3-1-0101")
    notices = bill_leases(run(), [first, second])
    assert [n.total for n in notices] == [Money("130.00"), Money("170.00")]
    assert len({n.number for n in notices}) == 2


@settings(max_examples=60, deadline=None)
@given(parking_leases(), st.integers(2026, 2028), st.integers(1, 12))
def test_a_lease_is_billed_exactly_its_days_of_the_period(
    lease: Lease, year: int, month: int
) -> None:
    period = BillingPeriod.month(year, month)
    notices = bill_leases(run(period), [lease])
    first = max(period.start, lease.start)
    last = period.end if lease.end is None else min(period.end, lease.end.subtract(days=1))
    if last < first:
        assert notices == ()
        return
    (notice,) = notices
    days = (last - first).days + 1
    # The run's own split of the full month's rent: the leased part of it, to the fen.
    cuts = [d for d in (lease.start, lease.end) if d is not None]
    parts = split_by_days(Money("300.00"), period, cuts)
    expected = Money.total([p.amount for p in parts if first <= p.first and p.last <= last], "CNY")
    assert notice.total == expected
    assert sum(p.weight for p in parts if first <= p.first and p.last <= last) == days


# -- allocation -------------------------------------------------------------------------------


def apply(
    app_id: str, role: ApplicantRole, minutes: int, unit: str | None = "1-2-0301", **kw: object
) -> Application:
    if role is ApplicantRole.NON_RESIDENT:
        unit = None
    return Application(app_id, f"P-{app_id}", role, AT.add(minutes=minutes), unit_id=unit, **kw)  # type: ignore[arg-type]


def test_owners_first_then_first_come_first_served() -> None:
    queue = WaitingList(
        (
            apply("A-1", ApplicantRole.NON_RESIDENT, 0),
            apply("A-2", ApplicantRole.TENANT, 1, "3-1-0101"),
            apply("A-3", ApplicantRole.OWNER, 2, "5-1-1201"),
            apply("A-4", ApplicantRole.OWNER, 3, "1-2-0301"),
        )
    )
    offer = offer_space(queue, SPACE, on=DAY)
    assert offer.application is not None
    assert offer.application.application_id == "A-3"
    assert [(p.application_id, p.reason) for p in offer.passed_over] == [
        ("A-1", PassReason.LOWER_CLASS),
        ("A-2", PassReason.LOWER_CLASS),
    ]


def test_one_space_per_unit_before_a_second() -> None:
    queue = WaitingList(
        (
            apply("A-1", ApplicantRole.OWNER, 0, "1-2-0301"),
            apply("A-2", ApplicantRole.TENANT, 5, "3-1-0101"),
        )
    )
    held = [lease(space=SURFACE, start=pendulum.date(2026, 1, 1))]  # 1-2-0301 has a space
    offer = offer_space(queue, SPACE, on=DAY, leases=held)
    assert offer.application is not None
    assert offer.application.application_id == "A-2"
    without_rule = ParkingPolicy(one_per_unit_first=False)
    offer = offer_space(queue, SPACE, on=DAY, leases=held, policy=without_rule)
    assert offer.application is not None
    assert offer.application.application_id == "A-1"
    assert offer.spaces_held == 1
    assert "holds 1 already" in offer.describe("en_US")


def test_ineligible_applicants_are_passed_over_with_their_reason() -> None:
    queue = WaitingList(
        (
            apply("A-1", ApplicantRole.OWNER, 0, wants=SpaceKind.SURFACE),
            apply("A-2", ApplicantRole.NON_RESIDENT, 1),
            apply("A-3", ApplicantRole.OWNER, 2, "1-2-0301"),
        )
    )
    policy = ParkingPolicy(
        role_order=(ApplicantRole.OWNER, ApplicantRole.TENANT), max_spaces_per_unit=1
    )
    held = [lease(space=SURFACE, start=pendulum.date(2026, 1, 1))]
    offer = offer_space(queue, SPACE, on=DAY, leases=held, policy=policy)
    assert offer.application is None
    assert [p.reason for p in offer.passed_over] == [
        PassReason.WRONG_KIND,
        PassReason.ROLE_NOT_ELIGIBLE,
        PassReason.UNIT_AT_LIMIT,
    ]
    assert offer.describe() == "车位B1-017：没有符合条件的申请人在等候"


def test_the_waiting_list_refuses_an_id_twice_and_withdraws() -> None:
    queue = WaitingList().join(apply("A-1", ApplicantRole.OWNER, 0))
    with pytest.raises(InvalidParking):
        queue.join(apply("A-1", ApplicantRole.TENANT, 5))
    assert queue.withdraw("A-1") == WaitingList()
    with pytest.raises(InvalidParking):
        queue.withdraw("A-9")


@settings(max_examples=80, deadline=None)
@given(waiting_lists(), parking_policies(), parking_spaces(leasable=True))
def test_the_offer_is_the_best_class_and_earliest_within_it(
    queue: WaitingList, policy: ParkingPolicy, space: ParkingSpace
) -> None:
    offer = offer_space(queue, space, on=DAY, policy=policy)
    eligible = [
        a
        for a in queue.applications
        if a.role in policy.role_order and (a.wants is None or a.wants is space.kind)
    ]
    if not eligible:
        assert offer.application is None
        assert len(offer.passed_over) == len(queue.applications)
        return
    # No leases: every unit holds nothing, so the class is the role's rank alone.
    best = min(policy.role_order.index(a.role) for a in eligible)
    chosen = next(a for a in eligible if policy.role_order.index(a.role) == best)
    assert offer.application == chosen
    assert [p.application_id for p in offer.passed_over] == [
        a.application_id for a in queue.applications[: queue.applications.index(chosen)]
    ]
