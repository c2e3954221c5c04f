"""Tests for billing._units: units as billing sees them, and billable spans."""

from __future__ import annotations

import datetime
from decimal import Decimal

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propcrm.billing import (
    AreaBasis,
    BillableSpan,
    BillableUnit,
    PropertyType,
    UnitProfile,
)
from propcrm.billing._units import ALWAYS
from propcrm.errors import InvalidQuantity, PropcrmError

# -- UnitProfile ----------------------------------------------------------------------------


def test_profile_keeps_areas_as_exact_decimals() -> None:
    unit = UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, "89.37", "72.15")
    assert unit.building_area == Decimal("89.37")
    assert unit.inner_area == Decimal("72.15")
    assert isinstance(unit.building_area, Decimal)


@pytest.mark.parametrize("area", ["89.37", 89, Decimal("89.37"), "0"])
def test_profile_accepts_str_int_and_decimal_areas(area: object) -> None:
    unit = UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, building_area=area)
    assert unit.building_area == Decimal(str(area))


def test_profile_defaults_to_zero_building_area_and_unknown_inner_area() -> None:
    unit = UnitProfile("P-B1-023", PropertyType.PARKING)
    assert unit.building_area == 0
    assert unit.inner_area is None


@pytest.mark.parametrize("area", [89.37, "-1", "abc", True, None, "NaN", "Infinity"])
def test_profile_refuses_a_bad_building_area(area: object) -> None:
    with pytest.raises(InvalidQuantity):
        UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, building_area=area)


@pytest.mark.parametrize("area", [72.15, "-0.01", "七十"])
def test_profile_refuses_a_bad_inner_area(area: object) -> None:
    with pytest.raises(InvalidQuantity):
        UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, "89.37", inner_area=area)


@pytest.mark.parametrize("unit_id", ["", "   ", "1-2 0301", "1-2-0301\n", 301, None])
def test_profile_refuses_a_unit_id_that_is_empty_or_has_spaces(unit_id: object) -> None:
    with pytest.raises(InvalidQuantity, match="unit id"):
        UnitProfile(unit_id, PropertyType.RESIDENTIAL, "89.37")  # type: ignore[arg-type]


def test_profile_refuses_a_property_type_that_is_not_the_enum() -> None:
    with pytest.raises(TypeError):
        UnitProfile("1-2-0301", "residential", "89.37")  # type: ignore[arg-type]


def test_profile_is_frozen() -> None:
    unit = UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, "89.37")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        unit.building_area = Decimal(90)  # type: ignore[misc]


def test_errors_are_both_propcrm_and_value_errors() -> None:
    with pytest.raises(PropcrmError):
        UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, "-5")
    assert issubclass(InvalidQuantity, ValueError)


# -- areas by basis -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("basis", "expected"),
    [(AreaBasis.BUILDING, Decimal("89.37")), (AreaBasis.INNER, Decimal("72.15"))],
)
def test_area_by_basis(basis: AreaBasis, expected: Decimal) -> None:
    unit = UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, "89.37", "72.15")
    assert unit.area(basis) == expected


def test_inner_area_basis_needs_a_known_inner_area() -> None:
    unit = UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, "89.37")
    with pytest.raises(InvalidQuantity, match=r"1-2-0301 has no inner area.*套内面积"):
        unit.area(AreaBasis.INNER)


def test_building_area_basis_does_not_need_an_inner_area() -> None:
    unit = UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, "89.37")
    assert unit.area(AreaBasis.BUILDING) == Decimal("89.37")


# -- the BillableUnit protocol --------------------------------------------------------------


def test_unit_profile_satisfies_the_billable_unit_protocol() -> None:
    unit = UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, "89.37")
    assert isinstance(unit, BillableUnit)


def test_any_object_with_the_four_attributes_is_a_billable_unit() -> None:
    @attrs.frozen
    class Flat:
        unit_id: str
        property_type: PropertyType
        building_area: Decimal
        inner_area: Decimal | None
        owner: str

    flat = Flat("3-1-1201", PropertyType.RESIDENTIAL, Decimal("120.5"), None, "王芳")
    assert isinstance(flat, BillableUnit)


def test_an_object_without_areas_is_not_a_billable_unit() -> None:
    @attrs.frozen
    class Person:
        unit_id: str
        property_type: PropertyType

    assert not isinstance(Person("x", PropertyType.RESIDENTIAL), BillableUnit)


# -- BillableSpan ---------------------------------------------------------------------------


def test_span_is_half_open_start_included_until_excluded() -> None:
    span = BillableSpan(start=pendulum.date(2026, 11, 5), until=pendulum.date(2026, 11, 20))
    assert not span.covers(pendulum.date(2026, 11, 4))
    assert span.covers(pendulum.date(2026, 11, 5))
    assert span.covers(pendulum.date(2026, 11, 19))
    assert not span.covers(pendulum.date(2026, 11, 20))


def test_seller_and_buyer_spans_share_the_sale_day_without_overlap() -> None:
    sale = pendulum.date(2026, 11, 16)
    seller, buyer = BillableSpan(until=sale), BillableSpan(start=sale)
    days = [pendulum.date(2026, 11, day) for day in range(1, 31)]
    assert [seller.covers(d) for d in days].count(True) == 15
    assert [buyer.covers(d) for d in days].count(True) == 15
    assert not any(seller.covers(d) and buyer.covers(d) for d in days)
    assert all(seller.covers(d) or buyer.covers(d) for d in days)


def test_always_covers_every_day() -> None:
    assert BillableSpan() == ALWAYS
    assert ALWAYS.covers(pendulum.date(1900, 1, 1))
    assert ALWAYS.covers(pendulum.date(2999, 12, 31))


@pytest.mark.parametrize(
    ("start", "until"),
    [
        (pendulum.date(2026, 11, 16), pendulum.date(2026, 11, 16)),
        (pendulum.date(2026, 11, 16), pendulum.date(2026, 11, 15)),
    ],
)
def test_span_must_end_after_it_starts(start: pendulum.Date, until: pendulum.Date) -> None:
    with pytest.raises(InvalidQuantity, match="not after its start"):
        BillableSpan(start=start, until=until)


def test_span_accepts_a_plain_datetime_date_and_converts_it() -> None:
    span = BillableSpan(start=datetime.date(2026, 11, 16))
    assert span.start == pendulum.date(2026, 11, 16)
    assert isinstance(span.start, pendulum.Date)


def test_span_refuses_a_datetime_as_a_date() -> None:
    with pytest.raises(TypeError, match="datetime"):
        BillableSpan(start=pendulum.datetime(2026, 11, 16, tz="Asia/Shanghai"))


@given(
    start=st.dates(min_value=pendulum.date(2020, 1, 1), max_value=pendulum.date(2030, 1, 1)),
    length=st.integers(min_value=1, max_value=400),
    probe=st.integers(min_value=-30, max_value=430),
)
def test_span_covers_exactly_length_days(start: datetime.date, length: int, probe: int) -> None:
    first = pendulum.date(start.year, start.month, start.day)
    span = BillableSpan(start=first, until=first.add(days=length))
    assert span.covers(first.add(days=probe)) == (0 <= probe < length)


@pytest.mark.parametrize(
    ("span", "overlaps", "text"),
    [
        (BillableSpan(), True, "always"),
        (BillableSpan(until=pendulum.date(2026, 11, 1)), False, "until 2026-11-01 (exclusive)"),
        (BillableSpan(until=pendulum.date(2026, 11, 2)), True, "until 2026-11-02 (exclusive)"),
        (BillableSpan(start=pendulum.date(2026, 11, 30)), True, "from 2026-11-30"),
        (BillableSpan(start=pendulum.date(2026, 12, 1)), False, "from 2026-12-01"),
    ],
)
def test_a_span_overlaps_a_range_when_one_of_its_days_is_billable(
    span: BillableSpan, overlaps: bool, text: str
) -> None:
    assert span.overlaps(pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 30)) is overlaps
    assert str(span) == text
