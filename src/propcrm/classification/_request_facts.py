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

from propcrm.classification._locale import DEFAULT_LOCALE, is_chinese
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


class _Labelled(enum.Enum):
    """An enum whose members carry a Chinese and an English label (set in ``_LABELS``)."""

    def label(self, locale: str = DEFAULT_LOCALE) -> str:
        """The member's display name: Chinese for any ``zh`` locale, English otherwise."""
        zh, en = _LABELS[self]
        return zh if is_chinese(locale) else en


class Category(_Labelled):
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


class Location(_Labelled):
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


class RequesterAttribute(_Labelled):
    """Facts about the requester that a rule may take into account (care, not status, mostly)."""

    ELDERLY_LIVING_ALONE = "elderly_living_alone"
    ELDERLY = "elderly"
    DISABLED = "disabled"
    PREGNANT = "pregnant"
    INFANT_IN_HOUSEHOLD = "infant_in_household"
    SERIOUSLY_ILL = "seriously_ill"
    VIP = "vip"


_LABELS: dict[_Labelled, tuple[str, str]] = {
    Category.GAS_SMELL: ("燃气泄漏", "gas smell"),
    Category.FIRE_ALARM: ("火警", "fire alarm"),
    Category.LIFT_ENTRAPMENT: ("电梯困人", "lift entrapment"),
    Category.SECURITY_INCIDENT: ("治安事件", "security incident"),
    Category.BURST_PIPE: ("爆管", "burst pipe"),
    Category.WATER_LEAK: ("漏水", "water leak"),
    Category.ROOF_LEAK: ("屋面渗漏", "roof leak"),
    Category.SEWAGE_OVERFLOW: ("污水外溢", "sewage overflow"),
    Category.POWER_OUTAGE: ("停电", "power outage"),
    Category.ELECTRICAL_FAULT: ("电路故障", "electrical fault"),
    Category.NO_WATER: ("停水", "no water"),
    Category.BLOCKED_DRAIN: ("下水道堵塞", "blocked drain"),
    Category.LIFT_FAULT: ("电梯故障", "lift fault"),
    Category.DOOR_LOCK: ("门锁", "door or lock"),
    Category.INTERCOM: ("楼宇对讲", "intercom"),
    Category.COMMON_AREA_LIGHTING: ("公共照明", "common-area lighting"),
    Category.HEATING_AIR_CONDITIONING: ("供暖空调", "heating or air conditioning"),
    Category.NOISE: ("噪音", "noise"),
    Category.PARKING: ("停车", "parking"),
    Category.PEST: ("虫鼠害", "pests"),
    Category.CLEANING: ("保洁", "cleaning"),
    Category.GREENING: ("绿化", "greening"),
    Category.DECORATION_VIOLATION: ("违规装修", "decoration violation"),
    Category.PET: ("宠物", "pet"),
    Category.FACILITY_DAMAGE: ("公共设施损坏", "damaged common facility"),
    Category.OTHER: ("其他", "other"),
    Location.IN_HOME: ("户内", "in-home"),
    Location.COMMON_AREA: ("公共区域", "common area"),
    Location.LIFT_CAR: ("电梯轿厢", "lift car"),
    Location.GARAGE: ("车库", "garage"),
    Location.GROUNDS: ("园区室外", "grounds"),
    Location.ROOF: ("屋面", "roof"),
    Location.SHOP: ("商铺", "shop"),
    Location.PLANT_ROOM: ("设备房", "plant room"),
    Location.UNSPECIFIED: ("未说明", "unspecified"),
    RequesterAttribute.ELDERLY_LIVING_ALONE: ("独居老人", "elderly living alone"),
    RequesterAttribute.ELDERLY: ("老人", "elderly"),
    RequesterAttribute.DISABLED: ("残障人士", "disabled"),
    RequesterAttribute.PREGNANT: ("孕妇", "pregnant"),
    RequesterAttribute.INFANT_IN_HOUSEHOLD: ("家有婴幼儿", "infant in household"),
    RequesterAttribute.SERIOUSLY_ILL: ("重病患者", "seriously ill"),
    RequesterAttribute.VIP: ("VIP", "VIP"),
}


def _attribute_set(value: Iterable[RequesterAttribute]) -> frozenset[RequesterAttribute]:
    found = frozenset(value)
    for item in found:
        if not isinstance(item, RequesterAttribute):
            raise InvalidRequestFacts(
                f"a requester profile holds RequesterAttribute members, not {item!r}; use e.g. "
                f"RequesterAttribute.ELDERLY_LIVING_ALONE."
            )
    return found


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
        return cls(frozenset(attributes))

    def has(self, attribute: RequesterAttribute) -> bool:
        """Whether the requester has ``attribute``."""
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
                f"{kind.__name__}.{next(iter(kind)).name}."
            )

    return check


def _text(_instance: object, _attribute: object, value: object) -> None:
    if not isinstance(value, str):
        raise InvalidRequestFacts(f"description {value!r} must be a str (empty if none).")


def _profile(_instance: object, _attribute: object, value: object) -> None:
    if not isinstance(value, RequesterProfile):
        raise InvalidRequestFacts(
            f"requester {value!r} must be a RequesterProfile (RequesterProfile() if unknown)."
        )


def _instant(value: Any) -> pendulum.DateTime:
    if not isinstance(value, datetime.datetime):
        raise InvalidRequestFacts(
            f"received_at {value!r} must be an aware datetime, e.g. "
            f"pendulum.datetime(2026, 11, 24, 9, 30, tz='Asia/Shanghai')."
        )
    return aware(value)


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
