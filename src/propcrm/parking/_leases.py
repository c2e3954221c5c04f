"""Parking leases (车位租赁) and how they feed the billing run.

A lease lets one fixed space the developer holds to one party, from ``start`` (inclusive) until
``end`` (exclusive, open when ``None``): half-open like every dated relation in propcrm, so a
lease ending on the 14th and the next starting on the 14th share no day.

The rent is a tariff's price, not a number on the lease: the lease names the parking tariff
(``tariff``) whose :class:`~propcrm.billing.ParkingCharge` for ``PropertyType.PARKING`` is the
monthly rent per space. Rents then change the way every fee changes, by an announced and
approved tariff version, and a community with an underground and a surface price keeps one
tariff for each.

A billing run receives, per unit, a :class:`~propcrm.billing.BillableUnit`, its
:class:`~propcrm.billing.UnitUsage` and a :class:`~propcrm.billing.BillableSpan`.
:meth:`Lease.billing` gives exactly those for the space (one space, billable on the leased
days), so the run's own proration bills the leased days and nothing else; :func:`bill_leases`
bills every lease of a run's tariff. No proration is computed here.

>>> from propcrm.parking import SpaceKind
>>> rent = ParkingCharge("PARK", "地下车位租金", Money("300.00"))
>>> tariff = Tariff(
...     "SUNRISE-B1",
...     (
...         TariffVersion(
...             "2026",
...             effective_from=pendulum.date(2026, 1, 1),
...             announced_on=pendulum.date(2025, 11, 1),
...             approval=Approval(
...                 Approver.PRICE_AUTHORITY, "沪价〔2025〕12号", pendulum.date(2025, 10, 20)
...             ),
...             charges={PropertyType.PARKING: (rent,)},
...         ),
...     ),
... )
>>> lease = Lease(
...     "L-0001",
...     ParkingSpace("P-B1-017", "B1-017", SpaceKind.UNDERGROUND),
...     party_id="P0001",
...     unit_id="1-2-0301",
...     start=pendulum.date(2026, 11, 14),
...     tariff="SUNRISE-B1",
... )
>>> run = BillingRun(community="SUNRISE", period=BillingPeriod.month(2026, 11), tariff=tariff)
>>> (notice,) = bill_leases(run, [lease])
>>> notice.number, notice.total, notice.lines[0].explanation.formula("en_US")
('SUNRISE/2026-11/P-B1-017/F1114', Money('170.00', 'CNY'), \
'(price per space × spaces × months) × 17/30')
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterable

import attrs
import pendulum

from propcrm._property_types import PropertyType
from propcrm._validators import check_instance, check_items, check_record_id, instance_of
from propcrm.billing import BillableSpan, BillingRun, Statement, UnitProfile, UnitUsage
from propcrm.errors import InvalidParking, LeaseConflict
from propcrm.parking._spaces import ParkingSpace
from propcrm.time import BillingPeriod, as_date

__all__ = ["Lease", "LeaseBilling", "bill_leases", "check_no_overlap"]

_ONE_SPACE = UnitUsage(parking_spaces=1)


def _id(what: str) -> Callable[[object, object, str], None]:
    def check(_instance: object, _attribute: object, value: str) -> None:
        check_record_id(value, what, InvalidParking)

    return check


def _optional_unit(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None:
        check_record_id(value, "unit id", InvalidParking)


def _start(value: object) -> pendulum.Date:
    return as_date(value, "start")


def _end(value: object) -> pendulum.Date | None:
    return None if value is None else as_date(value, "end")


def _space(_instance: object, _attribute: object, value: ParkingSpace) -> None:
    check_instance(value, "space", ParkingSpace)
    if not value.leasable:
        raise InvalidParking(
            f"space {value.space_id} is {value.tenure.value} and {value.ownership.value}; the "
            "company leases only fixed spaces the developer holds (a sold space is its "
            "owner's, a temporary one is shared).",
            field="space",
            value=value.space_id,
            allowed="a fixed space held by the developer",
        )


@attrs.frozen
class LeaseBilling:
    """What a billing run receives for one lease: the space as a unit, its usage, its days."""

    unit: UnitProfile = attrs.field(validator=instance_of(UnitProfile))
    usage: UnitUsage = attrs.field(validator=instance_of(UnitUsage))
    span: BillableSpan = attrs.field(validator=instance_of(BillableSpan))
    billed_party: str = attrs.field(validator=_id("billed party"))


@attrs.frozen
class Lease:
    """A space let to ``party_id`` (living in ``unit_id``, if a resident) on the leased days.

    ``tariff`` names the parking tariff whose parking charge is the monthly rent.
    """

    lease_id: str = attrs.field(validator=_id("lease id"))
    space: ParkingSpace = attrs.field(validator=_space)
    party_id: str = attrs.field(validator=_id("party id"))
    unit_id: str | None = attrs.field(validator=_optional_unit)
    start: pendulum.Date = attrs.field(converter=_start)
    tariff: str = attrs.field(validator=_id("tariff"))
    end: pendulum.Date | None = attrs.field(default=None, converter=_end)

    def __attrs_post_init__(self) -> None:
        if self.end is not None and self.end <= self.start:
            raise InvalidParking(
                f"lease {self.lease_id} ends on {self.end.isoformat()}, not after its start "
                f"{self.start.isoformat()}; the end is exclusive and must be later.",
                field="end",
                value=self.end,
                allowed=f"a date after {self.start.isoformat()}",
                lease_id=self.lease_id,
            )

    @property
    def span(self) -> BillableSpan:
        """The leased days as billing's half-open span."""
        return BillableSpan(self.start, self.end)

    def in_force(self, day: datetime.date) -> bool:
        """Whether ``day`` is a leased day."""
        return self.span.covers(as_date(day, "day"))

    def ended(self, end: datetime.date) -> Lease:
        """The lease ended on ``end`` (exclusive): the space is free from that day.

        >>> from propcrm.parking import SpaceKind
        >>> space = ParkingSpace("P-1", "1", SpaceKind.SURFACE)
        >>> lease = Lease("L-1", space, "P1", None, pendulum.date(2026, 1, 1), "T")
        >>> lease.ended(pendulum.date(2026, 11, 14)).end
        Date(2026, 11, 14)
        """
        day = as_date(end, "end")
        if self.end is not None and day > self.end:
            raise InvalidParking(
                f"lease {self.lease_id} already ends on {self.end.isoformat()}; it cannot be "
                f"ended later, on {day.isoformat()} (agree a new lease instead).",
                field="end",
                value=day,
                allowed=f"on or before {self.end.isoformat()}",
                lease_id=self.lease_id,
            )
        return attrs.evolve(self, end=day)

    def billing(self, period: BillingPeriod) -> LeaseBilling | None:
        """What a billing run over ``period`` receives for this lease; ``None`` if no day in it.

        The space is the billed unit (its id numbers the notice), of type
        ``PropertyType.PARKING``, with one space in its usage and the leased days as its span
        (billable always, when the lease covers the whole period).
        """
        check_instance(period, "period", BillingPeriod, example="BillingPeriod.month(2026, 11)")
        span = self.span
        if not span.overlaps(period.start, period.end):
            return None
        if span.covers(period.start) and span.covers(period.end):
            # Leased all period: the whole-period line, without a proration of 30/30 days.
            span = BillableSpan()
        unit = UnitProfile(self.space.space_id, PropertyType.PARKING)
        return LeaseBilling(unit, _ONE_SPACE, span, self.party_id)


def check_no_overlap(leases: Iterable[Lease]) -> tuple[Lease, ...]:
    """``leases`` as a tuple, if no two of them let one space on the same day.

    >>> from propcrm.parking import SpaceKind
    >>> space = ParkingSpace("P-1", "1", SpaceKind.SURFACE)
    >>> jan, may = pendulum.date(2026, 1, 1), pendulum.date(2026, 5, 20)
    >>> a = Lease("L-1", space, "P1", None, jan, "T", pendulum.date(2026, 6, 1))
    >>> b = Lease("L-2", space, "P2", None, may, "T")
    >>> check_no_overlap([a, b])
    Traceback (most recent call last):
    ...
    propcrm.errors.LeaseConflict: leases L-1 and L-2 both let space P-1 on 2026-05-20; a space \
has one lessee a day.
    """
    items: tuple[Lease, ...] = check_items(leases, "leases", Lease)
    by_space: dict[str, list[Lease]] = {}
    for lease in items:
        by_space.setdefault(lease.space.space_id, []).append(lease)
    for space_leases in by_space.values():
        ordered = sorted(space_leases, key=lambda lease: (lease.start, lease.lease_id))
        for before, after in itertools.pairwise(ordered):
            if before.end is None or before.end > after.start:
                raise LeaseConflict(
                    f"leases {before.lease_id} and {after.lease_id} both let space "
                    f"{after.space.space_id} on {after.start.isoformat()}; a space has one "
                    "lessee a day.",
                    field="leases",
                    value=after.lease_id,
                    allowed=f"a lease of {after.space.space_id} starting on or after "
                    f"{'its predecessor' if before.end is None else before.end.isoformat()}",
                    conflicts_with=before.lease_id,
                )
    return items


def bill_leases(run: BillingRun, leases: Iterable[Lease]) -> tuple[Statement, ...]:
    """The notices ``run`` issues for the leases of its tariff with a leased day in its period.

    Leases of other tariffs, or with no day in the period, are left for their own runs. Each
    notice is ``run.bill`` of :meth:`Lease.billing`: the tariff in force prices the rent, and
    the run's proration policy weighs the leased days.
    """
    check_instance(run, "run", BillingRun)
    items = check_no_overlap(leases)
    notices = []
    for lease in items:
        if lease.tariff != run.tariff.name:
            continue
        billing = lease.billing(run.period)
        if billing is None:
            continue
        notices.append(run.bill(billing.unit, billing.usage, billing.span, billing.billed_party))
    return tuple(notices)
