"""Parking spaces (车位): numbered, underground or surface, fixed or temporary, held or sold.

A space is a frozen value. Who holds it decides what the property company may do with it: a
space the developer still holds (开发商持有) is leased through the company, by the allocation
policy and the waiting list; a sold space (已售) belongs to its buyer, who parks on it or lets it
privately, so the company leases it to nobody (its management fee is the owner's unit's parking
charge, billed as before).

>>> space = ParkingSpace("P-B1-017", "B1-017", SpaceKind.UNDERGROUND)
>>> space.kind.label(), space.tenure.label("en_US"), space.leasable
('地下车位', 'fixed space', True)
"""

from __future__ import annotations

import enum

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._validators import check_record_id, check_text, instance_of
from propcrm.errors import InvalidParking

__all__ = ["ParkingSpace", "SpaceKind", "SpaceOwnership", "SpaceTenure"]


class SpaceKind(enum.Enum):
    """Where a space is: underground (地下) or on the surface (地面)."""

    UNDERGROUND = "underground"
    SURFACE = "surface"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The kind for people: ``'地下车位'`` (zh_CN) or ``'underground space'``."""
        match self:
            case SpaceKind.UNDERGROUND:
                return pgettext("parking space", "underground space", locale=locale)
            case SpaceKind.SURFACE:
                return pgettext("parking space", "surface space", locale=locale)


class SpaceTenure(enum.Enum):
    """Whether a space is one lessee's (固定车位) or shared first come first served (临时车位)."""

    FIXED = "fixed"
    TEMPORARY = "temporary"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The tenure for people: ``'固定车位'`` (zh_CN) or ``'fixed space'``."""
        match self:
            case SpaceTenure.FIXED:
                return pgettext("parking space", "fixed space", locale=locale)
            case SpaceTenure.TEMPORARY:
                return pgettext("parking space", "temporary space", locale=locale)


class SpaceOwnership(enum.Enum):
    """Who owns a space: the developer still (开发商持有), or a buyer (已售)."""

    DEVELOPER = "developer"
    SOLD = "sold"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The ownership for people: ``'开发商持有'`` (zh_CN) or ``'held by the developer'``."""
        match self:
            case SpaceOwnership.DEVELOPER:
                return pgettext("parking space", "held by the developer", locale=locale)
            case SpaceOwnership.SOLD:
                return pgettext("parking space", "sold", locale=locale)


def _space_id(_instance: object, _attribute: object, value: str) -> None:
    check_record_id(value, "space id", InvalidParking)


def _number(_instance: object, _attribute: object, value: str) -> None:
    check_text(value, "number", InvalidParking, max_length=32, example="'B1-017'")


def _owner(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None:
        check_record_id(value, "owner id", InvalidParking, field="owner_id")


@attrs.frozen
class ParkingSpace:
    """One space: its id (also its billing unit id), painted number, kind, tenure and owner.

    A sold space names its owner (a party id); a space the developer holds names none.
    """

    space_id: str = attrs.field(validator=_space_id)
    number: str = attrs.field(validator=_number)
    kind: SpaceKind = attrs.field(validator=instance_of(SpaceKind))
    tenure: SpaceTenure = attrs.field(default=SpaceTenure.FIXED, validator=instance_of(SpaceTenure))
    ownership: SpaceOwnership = attrs.field(
        default=SpaceOwnership.DEVELOPER, validator=instance_of(SpaceOwnership)
    )
    owner_id: str | None = attrs.field(default=None, validator=_owner)

    def __attrs_post_init__(self) -> None:
        sold = self.ownership is SpaceOwnership.SOLD
        if sold != (self.owner_id is not None):
            raise InvalidParking(
                f"space {self.space_id} is {self.ownership.value} "
                f"{'without' if sold else 'with'} an owner; a sold space names its owner's "
                "party id and a space the developer holds names none.",
                field="owner_id",
                value=self.owner_id,
                allowed="a party id" if sold else "None",
                space_id=self.space_id,
            )

    @property
    def leasable(self) -> bool:
        """Whether the company may lease the space: a fixed space the developer still holds."""
        return self.ownership is SpaceOwnership.DEVELOPER and self.tenure is SpaceTenure.FIXED
