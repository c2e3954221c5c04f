"""What classification looks at: the facts of one service request, as a frozen value.

A request has a :class:`Category` (what is wrong), a :class:`Location` (where), the customer's
own words, the :class:`RequesterProfile` of whoever called, and the aware instant it was
received. The categories are the common ones at a Chinese community's service desk (domain
brief §3, §4); a request that fits none is :attr:`Category.OTHER`.

The requester profile is a plain value filled by whoever knows the customer (the parties model,
a host system), so that :mod:`propcrm.sla` never imports :mod:`propcrm.parties`.

>>> facts = RequestFacts(
...     category=Category.WATER_LEAK,
...     location=Location.IN_HOME,
...     description="厨房水管漏水",
...     requester=RequesterProfile.of(RequesterAttribute.ELDERLY_LIVING_ALONE),
...     received_at=pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Shanghai"),
... )
>>> facts.category.label(), facts.location.label("en_US")
('漏水', 'in-home')
>>> RequestFacts(category=Category.NOISE, received_at=datetime.datetime(2026, 11, 24, 23, 0))
Traceback (most recent call last):
...
propcrm.errors.NaiveDatetime: datetime 2026-11-24 23:00:00 has no time zone; pass an aware \
datetime, e.g. pendulum.datetime(2026, 11, 24, 23, 0, tz='Asia/Shanghai').
"""

from __future__ import annotations

import datetime
import enum
import unicodedata
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._validators import check_instance, check_items
from propcrm.errors import InvalidRequestFacts
from propcrm.time import aware

__all__ = [
    "Category",
    "Location",
    "RequestFacts",
    "RequesterAttribute",
    "RequesterProfile",
    "normalize_text",
]


class Category(enum.Enum):
    """What a service request is about. Values are stable codes for storage."""

    GAS_SMELL = "gas_smell"
    FIRE_ALARM = "fire_alarm"
    LIFT_ENTRAPMENT = "lift_entrapment"
    SECURITY_INCIDENT = "security_incident"
    BURST_PIPE = "burst_pipe"
    WATER_LEAK = "water_leak"
    ROOF_LEAK = "roof_leak"
    SEWAGE_OVERFLOW = "sewage_overflow"
    POWER_OUTAGE = "power_outage"
    ELECTRICAL_FAULT = "electrical_fault"
    NO_WATER = "no_water"
    BLOCKED_DRAIN = "blocked_drain"
    LIFT_FAULT = "lift_fault"
    DOOR_LOCK = "door_lock"
    INTERCOM = "intercom"
    COMMON_AREA_LIGHTING = "common_area_lighting"
    HEATING_AIR_CONDITIONING = "heating_air_conditioning"
    NOISE = "noise"
    PARKING = "parking"
    PEST = "pest"
    CLEANING = "cleaning"
    GREENING = "greening"
    DECORATION_VIOLATION = "decoration_violation"
    PET = "pet"
    FACILITY_DAMAGE = "facility_damage"
    OTHER = "other"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:  # noqa: PLR0912 - one case each
        """The member's name for people, e.g. ``'漏水'`` (zh_CN) or ``'water leak'`` (en_US)."""
        match self:
            case Category.GAS_SMELL:
                return pgettext("request category", "gas smell", locale=locale)
            case Category.FIRE_ALARM:
                return pgettext("request category", "fire alarm", locale=locale)
            case Category.LIFT_ENTRAPMENT:
                return pgettext("request category", "lift entrapment", locale=locale)
            case Category.SECURITY_INCIDENT:
                return pgettext("request category", "security incident", locale=locale)
            case Category.BURST_PIPE:
                return pgettext("request category", "burst pipe", locale=locale)
            case Category.WATER_LEAK:
                return pgettext("request category", "water leak", locale=locale)
            case Category.ROOF_LEAK:
                return pgettext("request category", "roof leak", locale=locale)
            case Category.SEWAGE_OVERFLOW:
                return pgettext("request category", "sewage overflow", locale=locale)
            case Category.POWER_OUTAGE:
                return pgettext("request category", "power outage", locale=locale)
            case Category.ELECTRICAL_FAULT:
                return pgettext("request category", "electrical fault", locale=locale)
            case Category.NO_WATER:
                return pgettext("request category", "no water", locale=locale)
            case Category.BLOCKED_DRAIN:
                return pgettext("request category", "blocked drain", locale=locale)
            case Category.LIFT_FAULT:
                return pgettext("request category", "lift fault", locale=locale)
            case Category.DOOR_LOCK:
                return pgettext("request category", "door or lock", locale=locale)
            case Category.INTERCOM:
                return pgettext("request category", "intercom", locale=locale)
            case Category.COMMON_AREA_LIGHTING:
                return pgettext("request category", "common-area lighting", locale=locale)
            case Category.HEATING_AIR_CONDITIONING:
                return pgettext("request category", "heating or air conditioning", locale=locale)
            case Category.NOISE:
                return pgettext("request category", "noise", locale=locale)
            case Category.PARKING:
                return pgettext("request category", "parking", locale=locale)
            case Category.PEST:
                return pgettext("request category", "pests", locale=locale)
            case Category.CLEANING:
                return pgettext("request category", "cleaning", locale=locale)
            case Category.GREENING:
                return pgettext("request category", "greening", locale=locale)
            case Category.DECORATION_VIOLATION:
                return pgettext("request category", "decoration violation", locale=locale)
            case Category.PET:
                return pgettext("request category", "pet", locale=locale)
            case Category.FACILITY_DAMAGE:
                return pgettext("request category", "damaged common facility", locale=locale)
            case Category.OTHER:
                return pgettext("request category", "other", locale=locale)


class Location(enum.Enum):
    """Where the problem is. ``UNSPECIFIED`` when the caller did not say."""

    IN_HOME = "in_home"
    COMMON_AREA = "common_area"
    LIFT_CAR = "lift_car"
    GARAGE = "garage"
    GROUNDS = "grounds"
    ROOF = "roof"
    SHOP = "shop"
    PLANT_ROOM = "plant_room"
    UNSPECIFIED = "unspecified"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The member's name for people, e.g. ``'户内'`` (zh_CN) or ``'in-home'`` (en_US)."""
        match self:
            case Location.IN_HOME:
                return pgettext("request location", "in-home", locale=locale)
            case Location.COMMON_AREA:
                return pgettext("request location", "common area", locale=locale)
            case Location.LIFT_CAR:
                return pgettext("request location", "lift car", locale=locale)
            case Location.GARAGE:
                return pgettext("request location", "garage", locale=locale)
            case Location.GROUNDS:
                return pgettext("request location", "grounds", locale=locale)
            case Location.ROOF:
                return pgettext("request location", "roof", locale=locale)
            case Location.SHOP:
                return pgettext("request location", "shop", locale=locale)
            case Location.PLANT_ROOM:
                return pgettext("request location", "plant room", locale=locale)
            case Location.UNSPECIFIED:
                return pgettext("request location", "unspecified", locale=locale)


class RequesterAttribute(enum.Enum):
    """Facts about the requester that a rule may take into account (care, not status, mostly)."""

    ELDERLY_LIVING_ALONE = "elderly_living_alone"
    ELDERLY = "elderly"
    DISABLED = "disabled"
    PREGNANT = "pregnant"
    INFANT_IN_HOUSEHOLD = "infant_in_household"
    SERIOUSLY_ILL = "seriously_ill"
    VIP = "vip"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The member's name for people, e.g. ``'老人'`` (zh_CN) or ``'elderly'`` (en_US).

        A literal per member, so that extraction sees every one (docs/i18n.md).
        """
        match self:
            case RequesterAttribute.ELDERLY_LIVING_ALONE:
                return pgettext("requester attribute", "elderly living alone", locale=locale)
            case RequesterAttribute.ELDERLY:
                return pgettext("requester attribute", "elderly", locale=locale)
            case RequesterAttribute.DISABLED:
                return pgettext("requester attribute", "disabled", locale=locale)
            case RequesterAttribute.PREGNANT:
                return pgettext("requester attribute", "pregnant", locale=locale)
            case RequesterAttribute.INFANT_IN_HOUSEHOLD:
                return pgettext("requester attribute", "infant in household", locale=locale)
            case RequesterAttribute.SERIOUSLY_ILL:
                return pgettext("requester attribute", "seriously ill", locale=locale)
            case RequesterAttribute.VIP:
                return pgettext("requester attribute", "VIP", locale=locale)


def _attribute_set(value: Iterable[RequesterAttribute]) -> frozenset[RequesterAttribute]:
    items = check_items(value, "attributes", error=InvalidRequestFacts)
    for item in items:
        if not isinstance(item, RequesterAttribute):
            raise InvalidRequestFacts(
                f"a requester profile holds RequesterAttribute members, not {item!r}; use e.g. "
                f"RequesterAttribute.ELDERLY_LIVING_ALONE.",
                field="attributes",
                value=item,
                allowed="RequesterAttribute",
            )
    return frozenset(items)


@attrs.frozen
class RequesterProfile:
    """The requester facts a rule may look at. Empty when nothing is known (the usual case).

    >>> RequesterProfile.of(RequesterAttribute.PREGNANT).has(RequesterAttribute.PREGNANT)
    True
    """

    attributes: frozenset[RequesterAttribute] = attrs.field(
        default=frozenset(), converter=_attribute_set
    )

    @classmethod
    def of(cls, *attributes: RequesterAttribute) -> RequesterProfile:
        """A profile with the given attributes."""
        return cls(attributes)

    def has(self, attribute: RequesterAttribute) -> bool:
        """Whether the requester has ``attribute``."""
        check_instance(attribute, "attribute", RequesterAttribute)
        return attribute in self.attributes


def normalize_text(text: str) -> str:
    """``text`` as keyword matching sees it: NFKC-normalised (full-width to half-width), casefolded.

    >>> normalize_text("ＧＡＳ Leak 漏水")
    'gas leak 漏水'
    """
    return unicodedata.normalize("NFKC", text).casefold()


def _enum_member(kind: type[enum.Enum]) -> Any:
    def check(_instance: object, attribute: Any, value: object) -> None:
        if not isinstance(value, kind):
            raise InvalidRequestFacts(
                f"{attribute.name} {value!r} must be a {kind.__name__} member, e.g. "
                f"{kind.__name__}.{next(iter(kind)).name}.",
                field=attribute.name,
                value=value,
                allowed=kind.__name__,
            )

    return check


def _text(_instance: object, _attribute: object, value: object) -> None:
    if not isinstance(value, str):
        raise InvalidRequestFacts(
            f"description {value!r} must be a str (empty if none).",
            field="description",
            value=value,
            allowed="str",
        )


def _profile(_instance: object, _attribute: object, value: object) -> None:
    if not isinstance(value, RequesterProfile):
        raise InvalidRequestFacts(
            f"requester {value!r} must be a RequesterProfile (RequesterProfile() if unknown).",
            field="requester",
            value=value,
            allowed="a RequesterProfile",
        )


def _instant(value: Any) -> pendulum.DateTime:
    if not isinstance(value, datetime.datetime):
        raise InvalidRequestFacts(
            f"received_at {value!r} must be an aware datetime, e.g. "
            f"pendulum.datetime(2026, 11, 24, 9, 30, tz='Asia/Shanghai').",
            field="received_at",
            value=value,
            allowed="aware datetime.datetime",
        )
    return aware(value, field="received_at")


@attrs.frozen(kw_only=True)
class RequestFacts:
    """The facts of one service request that classification looks at. All arguments by keyword.

    ``received_at`` must be aware (:class:`~propcrm.errors.NaiveDatetime` otherwise); it keeps
    its zone, and each time-of-day rule converts it to the zone the rule names.
    """

    category: Category = attrs.field(validator=_enum_member(Category))
    received_at: pendulum.DateTime = attrs.field(converter=_instant)
    location: Location = attrs.field(default=Location.UNSPECIFIED, validator=_enum_member(Location))
    description: str = attrs.field(default="", validator=_text)
    requester: RequesterProfile = attrs.field(factory=RequesterProfile, validator=_profile)

    @property
    def normalized_description(self) -> str:
        """The description as keyword matching sees it (see :func:`normalize_text`)."""
        return normalize_text(self.description)
