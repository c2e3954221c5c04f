"""Waiting lists and the allocation policy: who is offered a freed space, and why.

The domain brief (§7) leaves the allocation of the developer's spaces to the community's
decision; the anchors' parking applications rank owners first and give every unit one space
before any unit a second. :class:`ParkingPolicy` is that rule as a value:

- ``one_per_unit_first``: an applicant whose unit holds no space yet comes before one whose unit
  already has a space (on the day of the offer, counting the leases in force);
- ``role_order``: then owners before tenants before non-residents (a role left out of the order
  is not eligible at all);
- ``max_spaces_per_unit``: a unit that already holds this many spaces is passed over;
- within a class, first come first served (the instant of application, then its id).

:func:`offer_space` finds the next eligible applicant for a freed space and explains it as data:
the class that won, and every applicant ahead in the queue who was passed over, with the reason.

>>> at = pendulum.datetime(2026, 3, 1, 9, tz="Asia/Shanghai")
>>> queue = WaitingList(
...     (
...         Application("A-1", "P7", ApplicantRole.TENANT, at, unit_id="3-1-0101"),
...         Application("A-2", "P8", ApplicantRole.OWNER, at.add(days=2), unit_id="1-2-0301"),
...     )
... )
>>> space = ParkingSpace("P-B1-017", "B1-017", SpaceKind.UNDERGROUND)
>>> offer = offer_space(queue, space, on=pendulum.date(2026, 11, 14))
>>> offer.application.application_id, offer.priority
('A-2', (0, 0))
>>> print(offer.describe("en_US"))
space B1-017 offered to application A-2 (owner, first space of the unit)
"""

from __future__ import annotations

import datetime
import enum
from collections import Counter
from collections.abc import Iterable

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._validators import (
    check_instance,
    check_int,
    check_items,
    check_record_id,
    check_unique,
    instance_of,
)
from propcrm.errors import InvalidParking
from propcrm.parking._leases import Lease
from propcrm.parking._spaces import ParkingSpace, SpaceKind
from propcrm.time import as_date, aware

__all__ = [
    "DEFAULT_PARKING_POLICY",
    "ApplicantRole",
    "Application",
    "Offer",
    "ParkingPolicy",
    "PassReason",
    "PassedOver",
    "WaitingList",
    "offer_space",
]


class ApplicantRole(enum.Enum):
    """What the applicant is to the community."""

    OWNER = "owner"
    TENANT = "tenant"
    NON_RESIDENT = "non_resident"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The role for people: ``'业主'`` (zh_CN) or ``'owner'``."""
        match self:
            case ApplicantRole.OWNER:
                return pgettext("parking applicant", "owner", locale=locale)
            case ApplicantRole.TENANT:
                return pgettext("parking applicant", "tenant", locale=locale)
            case ApplicantRole.NON_RESIDENT:
                return pgettext("parking applicant", "non-resident", locale=locale)


def _roles(value: object) -> tuple[ApplicantRole, ...]:
    roles: tuple[ApplicantRole, ...] = check_items(value, "role_order", ApplicantRole)
    check_unique(roles, "role_order", InvalidParking, what="role")
    if not roles:
        raise InvalidParking(
            "role_order is empty, so nobody could ever be offered a space.",
            field="role_order",
            value=roles,
            allowed="at least one ApplicantRole",
        )
    return roles


def _max_spaces(_instance: object, _attribute: object, value: object) -> None:
    check_int(value, "max_spaces_per_unit", InvalidParking, minimum=1, maximum=20)


@attrs.frozen
class ParkingPolicy:
    """How a freed space is allocated; the defaults are the anchors' (owners first, one each)."""

    role_order: tuple[ApplicantRole, ...] = attrs.field(
        default=(ApplicantRole.OWNER, ApplicantRole.TENANT, ApplicantRole.NON_RESIDENT),
        converter=_roles,
    )
    one_per_unit_first: bool = attrs.field(default=True, validator=instance_of(bool))
    max_spaces_per_unit: int = attrs.field(default=2, validator=_max_spaces)


DEFAULT_PARKING_POLICY = ParkingPolicy()
"""Owners, then tenants, then non-residents; one space per unit before a second; two at most."""


def _applied_at(value: object) -> pendulum.DateTime:
    return aware(value, field="applied_at")  # type: ignore[arg-type]  # aware checks the type


def _optional_unit(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None:
        check_record_id(value, "unit id", InvalidParking)


def _application_id(_instance: object, _attribute: object, value: str) -> None:
    check_record_id(value, "application id", InvalidParking)


def _party_id(_instance: object, _attribute: object, value: str) -> None:
    check_record_id(value, "party id", InvalidParking)


@attrs.frozen
class Application:
    """One party's application for a space: role, unit, when, and the kind wanted (any: None).

    Residents (owners, tenants) name their unit, which the one-space-per-unit rule counts;
    a non-resident names none.
    """

    application_id: str = attrs.field(validator=_application_id)
    party_id: str = attrs.field(validator=_party_id)
    role: ApplicantRole = attrs.field(validator=instance_of(ApplicantRole))
    applied_at: pendulum.DateTime = attrs.field(converter=_applied_at)
    unit_id: str | None = attrs.field(default=None, validator=_optional_unit)
    wants: SpaceKind | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_of(SpaceKind))
    )

    def __attrs_post_init__(self) -> None:
        resident = self.role is not ApplicantRole.NON_RESIDENT
        if resident != (self.unit_id is not None):
            raise InvalidParking(
                f"application {self.application_id} is a {self.role.value}'s "
                f"{'without' if resident else 'with'} a unit; owners and tenants name their "
                "unit, non-residents none.",
                field="unit_id",
                value=self.unit_id,
                allowed="a unit id" if resident else "None",
                application_id=self.application_id,
            )


def _applications(value: object) -> tuple[Application, ...]:
    items: tuple[Application, ...] = check_items(value, "applications", Application)
    check_unique(
        (a.application_id for a in items), "applications", InvalidParking, what="application id"
    )
    return tuple(sorted(items, key=lambda a: (a.applied_at, a.application_id)))


@attrs.frozen
class WaitingList:
    """The applications waiting for a space, first come first served (kept in that order)."""

    applications: tuple[Application, ...] = attrs.field(default=(), converter=_applications)

    def join(self, application: Application) -> WaitingList:
        """The list with ``application`` added (an id already waiting is refused)."""
        check_instance(application, "application", Application)
        return WaitingList((*self.applications, application))

    def withdraw(self, application_id: str) -> WaitingList:
        """The list without ``application_id`` (withdrawn, or given a space)."""
        check_record_id(application_id, "application id", InvalidParking)
        kept = tuple(a for a in self.applications if a.application_id != application_id)
        if len(kept) == len(self.applications):
            raise InvalidParking(
                f"application {application_id} is not waiting.",
                field="application_id",
                value=application_id,
                allowed="an application on the list",
            )
        return WaitingList(kept)


class PassReason(enum.Enum):
    """Why an applicant ahead in the queue was not offered the space."""

    ROLE_NOT_ELIGIBLE = "role_not_eligible"
    WRONG_KIND = "wrong_kind"
    UNIT_AT_LIMIT = "unit_at_limit"
    LOWER_CLASS = "lower_class"

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The reason for people."""
        match self:
            case PassReason.ROLE_NOT_ELIGIBLE:
                return gettext(
                    "the policy offers spaces to no applicant of this role", locale=locale
                )
            case PassReason.WRONG_KIND:
                return gettext("wants another kind of space", locale=locale)
            case PassReason.UNIT_AT_LIMIT:
                return gettext("the unit already holds the most spaces allowed", locale=locale)
            case PassReason.LOWER_CLASS:
                return gettext("an applicant of a higher priority class is waiting", locale=locale)


@attrs.frozen
class PassedOver:
    """An applicant queued before the one offered the space, and why they were passed over."""

    application_id: str
    reason: PassReason


@attrs.frozen
class Offer:
    """The decision for a freed space: who is offered it (``None``: nobody eligible), and why.

    ``priority`` is the winner's class as ``(holds a space already, role rank)``, lowest first;
    ``passed_over`` lists everyone who applied earlier and was not chosen, and every applicant
    at all when nobody is.
    """

    space: ParkingSpace
    on: pendulum.Date
    application: Application | None
    priority: tuple[int, int] | None
    spaces_held: int | None
    passed_over: tuple[PassedOver, ...]

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for people: who gets the space and in which class."""
        if self.application is None:
            return gettext(
                "space %(number)s: no eligible applicant is waiting",
                locale=locale,
                number=self.space.number,
            )
        if self.spaces_held:
            return gettext(
                "space %(number)s offered to application %(application)s (%(role)s, the unit "
                "holds %(held)d already)",
                locale=locale,
                number=self.space.number,
                application=self.application.application_id,
                role=self.application.role.label(locale),
                held=self.spaces_held,
            )
        return gettext(
            "space %(number)s offered to application %(application)s (%(role)s, first space "
            "of the unit)",
            locale=locale,
            number=self.space.number,
            application=self.application.application_id,
            role=self.application.role.label(locale),
        )


def offer_space(
    waiting: WaitingList,
    space: ParkingSpace,
    *,
    on: datetime.date,
    leases: Iterable[Lease] = (),
    policy: ParkingPolicy = DEFAULT_PARKING_POLICY,
) -> Offer:
    """The next eligible applicant for ``space`` freed ``on`` that day, explained.

    ``leases`` are the community's leases; those in force ``on`` the day count towards each
    unit's spaces. The space itself must be leasable.
    """
    check_instance(waiting, "waiting", WaitingList)
    check_instance(space, "space", ParkingSpace)
    check_instance(policy, "policy", ParkingPolicy)
    day = as_date(on, "on")
    held = Counter(
        lease.unit_id
        for lease in check_items(leases, "leases", Lease)
        if lease.unit_id is not None and lease.in_force(day)
    )
    if not space.leasable:
        raise InvalidParking(
            f"space {space.space_id} is {space.tenure.value} and {space.ownership.value}; only "
            "fixed spaces the developer holds are offered from the waiting list.",
            field="space",
            value=space.space_id,
            allowed="a fixed space held by the developer",
        )
    eligible: list[tuple[tuple[int, int], int, Application]] = []
    refused: dict[str, PassReason] = {}
    for application in waiting.applications:
        count = 0 if application.unit_id is None else held[application.unit_id]
        if application.role not in policy.role_order:
            refused[application.application_id] = PassReason.ROLE_NOT_ELIGIBLE
        elif application.wants is not None and application.wants is not space.kind:
            refused[application.application_id] = PassReason.WRONG_KIND
        elif count >= policy.max_spaces_per_unit:
            refused[application.application_id] = PassReason.UNIT_AT_LIMIT
        else:
            first = 0 if not policy.one_per_unit_first or count == 0 else 1
            eligible.append(
                ((first, policy.role_order.index(application.role)), count, application)
            )
    if not eligible:
        passed = tuple(
            PassedOver(a.application_id, refused[a.application_id]) for a in waiting.applications
        )
        return Offer(space, day, None, None, None, passed)
    # min() keeps the first of equals, and the list is in queue order: FIFO within a class.
    priority, count, chosen = min(eligible, key=lambda entry: entry[0])
    passed_over = []
    for application in waiting.applications:
        if application is chosen:
            break
        reason = refused.get(application.application_id, PassReason.LOWER_CLASS)
        passed_over.append(PassedOver(application.application_id, reason))
    return Offer(space, day, chosen, priority, count, tuple(passed_over))
