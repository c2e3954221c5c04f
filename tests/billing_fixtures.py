"""Sample billing data shared by the billing tests: plain functions, no pytest magic.

The figures are the domain brief's (§2): 2.80 元/㎡/月 on a 89.37 ㎡ flat, a parking space,
tiered water at 3.45 / 4.83 / 5.83 元 per tonne, and a published special-service price list.
"""

from __future__ import annotations

import pendulum

from propcrm.billing import (
    Approval,
    Approver,
    AreaBasis,
    AreaCharge,
    FixedCharge,
    MeteredCharge,
    MeterReading,
    ParkingCharge,
    PriceItem,
    PriceList,
    PriceLists,
    PropertyType,
    SpecialServiceCharge,
    Tariff,
    TariffPolicy,
    TariffVersion,
    Tier,
    TieredPrice,
    UnitProfile,
)
from propcrm.money import Money

COMMUNITY = "SUNRISE"
"""The sample community's code, the first part of every statement number."""


def approval(
    on: pendulum.Date | None = None,
    reference: str = "业委会决议〔2025〕3号",
    by: Approver = Approver.OWNERS_COMMITTEE,
) -> Approval:
    """An owners' committee approval (28 Oct 2025 unless told otherwise)."""
    return Approval(by, reference, approved_on=on or pendulum.date(2025, 10, 28))


def water_tiers() -> TieredPrice:
    """Tiered water: 0–15 t at 3.45, 15–25 t at 4.83, above 25 t at 5.83 元/t."""
    return TieredPrice(
        (
            Tier("15", Money("3.45")),
            Tier("25", Money("4.83")),
            Tier(None, Money("5.83")),
        )
    )


def residential_rules(mgmt: str = "2.80", basis: AreaBasis = AreaBasis.BUILDING) -> tuple:
    """Management fee per ㎡, parking per space, tiered water and special services."""
    return (
        AreaCharge("MGMT", "物业管理费", Money(mgmt), basis),
        ParkingCharge("PARK", "车位管理费", Money("150.00")),
        MeteredCharge("WATER", "水费", "water", water_tiers()),
        SpecialServiceCharge("SVC", "特约服务"),
    )


def commercial_rules(mgmt: str = "6.50") -> tuple:
    """Shops pay a higher rate per ㎡, a fixed refuse fee and flat-priced water."""
    return (
        AreaCharge("MGMT", "物业管理费", Money(mgmt)),
        FixedCharge("REFUSE", "垃圾清运费", Money("30.00")),
        MeteredCharge("WATER", "水费", "water", TieredPrice.flat(Money("6.20"))),
    )


def parking_rules(fee: str = "60.00") -> tuple:
    """A parking space sold as its own unit pays a fixed fee per month."""
    return (FixedCharge("PARK-MGMT", "车位管理费", Money(fee)),)


def sample_version(
    version: str = "2026",
    *,
    effective_from: pendulum.Date | None = None,
    announced_on: pendulum.Date | None = None,
    approved_on: pendulum.Date | None = None,
    mgmt: str = "2.80",
    commercial_mgmt: str = "6.50",
    basis: AreaBasis = AreaBasis.BUILDING,
) -> TariffVersion:
    """A tariff version pricing residential, commercial and parking units (from 1 Jan 2026)."""
    effective = effective_from or pendulum.date(2026, 1, 1)
    return TariffVersion(
        version,
        effective_from=effective,
        announced_on=announced_on or effective.subtract(days=61),
        approval=approval(approved_on or effective.subtract(days=65)),
        charges={
            PropertyType.RESIDENTIAL: residential_rules(mgmt, basis),
            PropertyType.COMMERCIAL: commercial_rules(commercial_mgmt),
            PropertyType.PARKING: parking_rules(),
        },
    )


def sample_tariff(
    *versions: TariffVersion, policy: TariffPolicy | None = None, name: str = COMMUNITY
) -> Tariff:
    """A tariff of ``versions`` (one 2026 version at 2.80 by default)."""
    return Tariff(name, versions or (sample_version(),), policy or TariffPolicy())


def rise_tariff() -> Tariff:
    """2.50 since 2025, then 2.80 from 16 July 2026, announced 1 June, approved 28 May."""
    return sample_tariff(
        sample_version(
            "2025",
            effective_from=pendulum.date(2025, 1, 1),
            announced_on=pendulum.date(2024, 11, 20),
            approved_on=pendulum.date(2024, 11, 15),
            mgmt="2.50",
        ),
        sample_version(
            "2026-07",
            effective_from=pendulum.date(2026, 7, 16),
            announced_on=pendulum.date(2026, 6, 1),
            approved_on=pendulum.date(2026, 5, 28),
            mgmt="2.80",
        ),
    )


def price_list_2026a() -> PriceList:
    """The list in force from 1 Jan 2026, published 1 Dec 2025."""
    return PriceList(
        "2026A",
        effective_from=pendulum.date(2026, 1, 1),
        published_on=pendulum.date(2025, 12, 1),
        items=(
            PriceItem("AC-CLEAN", "空调清洗", Money("80.00"), "台"),
            PriceItem("PIPE", "管道疏通", Money("50.00"), "次"),
            PriceItem("LAWN", "私家草坪养护", Money("1.35"), "㎡"),
        ),
    )


def price_list_2026b() -> PriceList:
    """The list in force from 16 Nov 2026 (air-conditioner cleaning up to 90.00)."""
    return PriceList(
        "2026B",
        effective_from=pendulum.date(2026, 11, 16),
        published_on=pendulum.date(2026, 11, 1),
        items=(
            PriceItem("AC-CLEAN", "空调清洗", Money("90.00"), "台"),
            PriceItem("PIPE", "管道疏通", Money("50.00"), "次"),
        ),
    )


def sample_price_lists() -> PriceLists:
    """Both 2026 price lists."""
    return PriceLists((price_list_2026a(), price_list_2026b()))


def apartment(
    unit_id: str = "1-2-0301", area: str = "89.37", inner: str | None = "72.15"
) -> UnitProfile:
    """The brief's flat: 89.37 ㎡ building area, 72.15 ㎡ inner area."""
    return UnitProfile(unit_id, PropertyType.RESIDENTIAL, building_area=area, inner_area=inner)


def shop(unit_id: str = "S-101", area: str = "120.00") -> UnitProfile:
    """A ground-floor shop."""
    return UnitProfile(unit_id, PropertyType.COMMERCIAL, building_area=area)


def parking_space(unit_id: str = "P-B1-023") -> UnitProfile:
    """An underground parking space held as a unit of its own."""
    return UnitProfile(unit_id, PropertyType.PARKING, building_area="12.50")


def water_reading(
    previous: str = "120",
    current: str = "138",
    read_on: pendulum.Date | None = None,
    meter_id: str = "W-0301",
) -> MeterReading:
    """A water reading (18 t by default) taken on 30 Nov 2026 unless told otherwise."""
    return MeterReading(
        meter_id, "water", previous, current, read_on or pendulum.date(2026, 11, 30)
    )
