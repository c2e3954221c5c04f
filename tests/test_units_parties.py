"""Tests for parties._units: units, their dated facts and the status derived from them.

The unit must satisfy billing's ``BillableUnit`` protocol structurally; billing is imported here,
in the tests only (the parties package never imports it).
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.billing_fixtures import COMMUNITY, sample_tariff

from propcrm._property_types import PropertyType
from propcrm.billing import (
    BillableSpan,
    BillableUnit,
    issue_statement,
)
from propcrm.billing._units import area_value as billing_area_value
from propcrm.errors import InvalidQuantity, InvalidUnit, UnitNotReady
from propcrm.parties import (
    Decoration,
    DecorationPermit,
    Handover,
    Occupancy,
    Sale,
    Unit,
    UnitStatusCode,
)
from propcrm.parties._units import area_value
from propcrm.testing._parties_strategies import units
from propcrm.time import BillingPeriod

D = pendulum.date
PERMIT = DecorationPermit("ZX-2026-031", D(2026, 1, 5))


def flat(**changes: object) -> Unit:
    base = Unit(
        unit_id="1-2-0301",
        community="SUNRISE",
        building="1",
        entrance="2",
        floor=3,
        number="0301",
        property_type=PropertyType.RESIDENTIAL,
        building_area="89.37",
        inner_area="72.15",
    )
    return attrs.evolve(base, **changes)


def lived_in() -> Unit:
    return flat(
        facts=[
            Sale(D(2025, 6, 1)),
            Handover(D(2026, 3, 1)),
            Decoration(D(2026, 3, 10), D(2026, 5, 10), PERMIT),
            Occupancy(D(2026, 6, 1), D(2027, 1, 1)),
        ]
    )


# -- fields -----------------------------------------------------------------------------------


def test_areas_are_exact_decimals() -> None:
    unit = flat()
    assert unit.building_area == Decimal("89.37")
    assert unit.inner_area == Decimal("72.15")
    assert flat(building_area=90, inner_area=None).building_area == Decimal(90)


@pytest.mark.parametrize("area", [89.37, "-1", "abc", True, "NaN"])
def test_bad_areas_are_refused(area: object) -> None:
    with pytest.raises(InvalidQuantity):
        flat(building_area=area)


def test_inner_area_is_not_above_building_area() -> None:
    with pytest.raises(InvalidQuantity, match="above the building area"):
        flat(inner_area="90.00")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("unit_id", "1 2 0301", "unit id"),
        ("community", "", "community code"),
        ("building", " ", "building"),
        ("number", "", "number"),
        ("entrance", "", "entrance"),
        ("floor", 0, "non-zero"),
        ("floor", True, "non-zero"),
    ],
)
def test_bad_location_fields_are_refused(field: str, value: object, message: str) -> None:
    with pytest.raises(InvalidUnit, match=message):
        flat(**{field: value})


def test_basement_floors_are_negative_and_entrances_optional() -> None:
    space = flat(
        unit_id="P-B1-023",
        entrance=None,
        floor=-1,
        number="B1-023",
        property_type=PropertyType.PARKING,
        building_area="12.50",
        inner_area=None,
    )
    assert space.floor == -1
    assert space.address == "SUNRISE 1栋B1-023室"
    assert flat().address == "SUNRISE 1栋2单元0301室"


# -- billing's protocol -----------------------------------------------------------------------


def test_a_unit_is_a_billable_unit() -> None:
    unit: BillableUnit = flat()  # checked structurally by mypy too
    assert isinstance(unit, BillableUnit)


def test_billing_bills_a_parties_unit_directly() -> None:
    notice = issue_statement(
        community=COMMUNITY,
        unit=flat(),
        period=BillingPeriod.month(2026, 11),
        tariff=sample_tariff(),
        span=BillableSpan(D(2026, 11, 16)),
        billed_party="P0002",
    )
    assert notice.unit_id == "1-2-0301"
    assert notice.total.amount > 0


@settings(max_examples=50)
@given(st.one_of(st.integers(-5, 10**6), st.decimals(allow_nan=True, places=3).map(str)))
def test_area_rule_agrees_with_billing(value: object) -> None:
    try:
        expected = billing_area_value(value)
    except InvalidQuantity:
        with pytest.raises(InvalidQuantity):
            area_value(value)
    else:
        assert area_value(value) == expected


# -- facts ------------------------------------------------------------------------------------


def test_facts_are_kept_in_date_order() -> None:
    unit = flat(facts=[Handover(D(2026, 3, 1)), Sale(D(2025, 6, 1))])
    assert unit.facts == (Sale(D(2025, 6, 1)), Handover(D(2026, 3, 1)))


def test_a_unit_is_handed_over_once() -> None:
    with pytest.raises(InvalidUnit, match="handed over once"):
        flat(facts=[Handover(D(2026, 3, 1)), Handover(D(2026, 4, 1))])


@pytest.mark.parametrize(
    "fact",
    [Occupancy(D(2026, 2, 1)), Decoration(D(2026, 2, 1), D(2026, 3, 1), PERMIT)],
    ids=["occupancy", "decoration"],
)
def test_occupancy_and_decoration_come_after_handover(fact: Occupancy | Decoration) -> None:
    with pytest.raises(UnitNotReady, match="has no handover"):
        flat(facts=[fact])
    with pytest.raises(UnitNotReady, match="handed over on 2026-03-01"):
        flat(facts=[Handover(D(2026, 3, 1)), fact])


def test_occupancies_and_decorations_do_not_overlap() -> None:
    with pytest.raises(InvalidUnit, match="overlap"):
        flat(facts=[Handover(D(2026, 3, 1)), Occupancy(D(2026, 3, 1)), Occupancy(D(2026, 5, 1))])
    with pytest.raises(InvalidUnit, match="overlap"):
        flat(
            facts=[
                Handover(D(2026, 3, 1)),
                Decoration(D(2026, 3, 10), D(2026, 5, 10), PERMIT),
                Decoration(D(2026, 5, 1), D(2026, 6, 1), PERMIT),
            ]
        )
    back_to_back = [Handover(D(2026, 3, 1)), Occupancy(D(2026, 3, 1), D(2026, 5, 1))]
    assert len(flat(facts=[*back_to_back, Occupancy(D(2026, 5, 1))]).facts) == 3


def test_spans_end_after_they_start() -> None:
    with pytest.raises(InvalidUnit, match="not after its start"):
        Occupancy(D(2026, 5, 1), D(2026, 5, 1))
    with pytest.raises(InvalidUnit, match="not after its start"):
        Decoration(D(2026, 5, 1), D(2026, 4, 1), PERMIT)
    with pytest.raises(InvalidUnit, match="issued later"):
        Decoration(D(2026, 1, 1), D(2026, 4, 1), PERMIT)


def test_only_facts_are_facts() -> None:
    with pytest.raises(InvalidUnit, match="a fact is a Sale"):
        flat(facts=["sold"])


# -- status -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "code", "label"),
    [
        (D(2025, 5, 31), UnitStatusCode.UNSOLD, "未售"),
        (D(2025, 6, 1), UnitStatusCode.SOLD, "已售未交付"),
        (D(2026, 3, 1), UnitStatusCode.VACANT, "已交付空置"),
        (D(2026, 3, 10), UnitStatusCode.DECORATING, "装修中"),
        (D(2026, 5, 10), UnitStatusCode.VACANT, "已交付空置"),
        (D(2026, 6, 1), UnitStatusCode.OCCUPIED, "已入住"),
        (D(2026, 12, 31), UnitStatusCode.OCCUPIED, "已入住"),
        (D(2027, 1, 1), UnitStatusCode.VACANT, "已交付空置"),
    ],
)
def test_status_is_derived_from_the_facts_on_each_date(
    day: pendulum.Date, code: UnitStatusCode, label: str
) -> None:
    status = lived_in().status(day)
    assert status.code is code
    assert status.code.label() == label


def test_status_names_the_facts_it_comes_from() -> None:
    status = lived_in().status(D(2026, 6, 15))
    assert status.last_sale == Sale(D(2025, 6, 1))
    assert status.handover == Handover(D(2026, 3, 1))
    assert status.occupancy == Occupancy(D(2026, 6, 1), D(2027, 1, 1))
    assert status.decoration is None
    assert status.handed_over


def test_decoration_while_occupied_shows_as_decorating() -> None:
    unit = flat(
        facts=[
            Handover(D(2026, 3, 1)),
            Occupancy(D(2026, 3, 1)),
            Decoration(D(2026, 8, 1), D(2026, 8, 20), PERMIT),
        ]
    )
    assert unit.status(D(2026, 8, 5)).code is UnitStatusCode.DECORATING
    assert unit.status(D(2026, 8, 5)).occupancy is not None


def test_ending_an_occupancy_keeps_it_on_record() -> None:
    unit = flat(facts=[Handover(D(2026, 3, 1)), Occupancy(D(2026, 3, 1))])
    moved_out = unit.end_occupancy(D(2026, 9, 1))
    assert Occupancy(D(2026, 3, 1), D(2026, 9, 1)) in moved_out.facts
    assert moved_out.occupied_on(D(2026, 8, 31))
    assert not moved_out.occupied_on(D(2026, 9, 1))
    with pytest.raises(InvalidUnit, match="no occupancy in force"):
        moved_out.end_occupancy(D(2026, 10, 1))
    with pytest.raises(InvalidUnit, match="no occupancy in force"):
        unit.end_occupancy(D(2026, 3, 1))


def test_status_refuses_datetimes() -> None:
    with pytest.raises(TypeError, match="datetime"):
        flat().status(pendulum.datetime(2026, 3, 1))


@settings(max_examples=30)
@given(units())
def test_drawn_units_are_valid_billable_units(unit: Unit) -> None:
    assert isinstance(unit, BillableUnit)
    assert unit.inner_area is None or unit.inner_area <= unit.building_area
    handover = unit.handover
    if handover is not None:
        assert unit.status(handover.on).handed_over
        assert not unit.status(handover.on.subtract(days=1)).handed_over
