"""Tests for billing._price_lists: published, versioned special-service price lists."""

from __future__ import annotations

from decimal import Decimal

import pendulum
import pytest
from tests.billing_fixtures import (
    COMMUNITY,
    apartment,
    price_list_2026a,
    price_list_2026b,
    sample_price_lists,
    sample_tariff,
    sample_version,
    shop,
)

from propcrm._property_types import PropertyType
from propcrm.billing import (
    ChargeKind,
    PriceItem,
    PriceList,
    PriceLists,
    SpecialServiceOrder,
    UnitUsage,
    issue_statement,
)
from propcrm.billing._billing_runs import DEFAULT_SPECIAL_SERVICE
from propcrm.errors import (
    InvalidQuantity,
    NoPriceListInForce,
    OverlappingVersions,
    PriceListError,
    UnknownPriceItem,
    UnknownPriceListVersion,
)
from propcrm.money import Money
from propcrm.time import BillingPeriod

NOV = BillingPeriod.month(2026, 11)


def order(
    code: str = "AC-CLEAN",
    quantity: str = "1",
    performed_on: pendulum.Date | None = None,
    order_id: str = "SO-0001",
) -> SpecialServiceOrder:
    return SpecialServiceOrder(order_id, code, quantity, performed_on or pendulum.date(2026, 11, 3))


def bill_orders(*orders: SpecialServiceOrder, price_lists: PriceLists | None = None):
    return issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=NOV,
        tariff=sample_tariff(),
        usage=UnitUsage(orders=orders),
        price_lists=price_lists if price_lists is not None else sample_price_lists(),
    )


# -- items and lists ------------------------------------------------------------------------


def test_item_defaults_to_per_occasion() -> None:
    assert PriceItem("PIPE", "管道疏通", Money("50.00")).unit_label == "次"


def test_item_with_a_negative_price_is_refused() -> None:
    with pytest.raises(PriceListError, match="negative"):
        PriceItem("PIPE", "管道疏通", Money("-50.00"))


def test_a_free_item_is_allowed() -> None:
    assert PriceItem("KEY", "代收快递", Money("0.00")).unit_price.is_zero


def test_list_looks_up_items_by_code() -> None:
    item = price_list_2026a().item("AC-CLEAN")
    assert item.name == "空调清洗"
    assert item.unit_price == Money("80.00")
    assert item.unit_label == "台"


def test_unknown_service_code_is_a_lookup_error_naming_the_known_codes() -> None:
    with pytest.raises(UnknownPriceItem, match=r"no service 'WINDOW'.*AC-CLEAN, LAWN, PIPE"):
        price_list_2026a().item("WINDOW")
    assert issubclass(UnknownPriceItem, LookupError)
    assert issubclass(UnknownPriceItem, PriceListError)


def test_duplicate_codes_in_one_list_are_refused() -> None:
    with pytest.raises(PriceListError, match="'PIPE' appears twice"):
        PriceList(
            "2026A",
            effective_from=pendulum.date(2026, 1, 1),
            published_on=pendulum.date(2025, 12, 1),
            items=(
                PriceItem("PIPE", "管道疏通", Money("50.00")),
                PriceItem("PIPE", "下水道疏通", Money("60.00")),
            ),
        )


def test_list_published_after_its_effective_date_is_refused() -> None:
    with pytest.raises(PriceListError, match="published in advance"):
        PriceList(
            "2026C",
            effective_from=pendulum.date(2026, 12, 1),
            published_on=pendulum.date(2026, 12, 2),
            items=(),
        )


def test_list_published_on_its_effective_date_is_allowed() -> None:
    day = pendulum.date(2026, 12, 1)
    assert PriceList("2026C", effective_from=day, published_on=day, items=()).items == {}


def test_list_items_cannot_be_changed_after_publication() -> None:
    items = price_list_2026a().items
    with pytest.raises(TypeError):
        items["PIPE"] = PriceItem("PIPE", "管道疏通", Money("1.00"))  # type: ignore[index]


# -- versions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "version"),
    [
        (pendulum.date(2026, 1, 1), "2026A"),
        (pendulum.date(2026, 11, 15), "2026A"),
        (pendulum.date(2026, 11, 16), "2026B"),
        (pendulum.date(2030, 1, 1), "2026B"),
    ],
)
def test_list_in_force_on_a_day(day: pendulum.Date, version: str) -> None:
    assert sample_price_lists().in_force(day).version == version


def test_lists_are_ordered_by_effective_date_whatever_the_input_order() -> None:
    lists = PriceLists((price_list_2026b(), price_list_2026a()))
    assert [v.version for v in lists.versions] == ["2026A", "2026B"]


def test_no_list_in_force_before_the_first_is_a_lookup_error() -> None:
    with pytest.raises(NoPriceListInForce, match="first takes effect on 2026-01-01"):
        sample_price_lists().in_force(pendulum.date(2025, 12, 31))
    assert issubclass(NoPriceListInForce, LookupError)


def test_no_list_at_all_says_none_has_been_published() -> None:
    with pytest.raises(NoPriceListInForce, match="has not been published"):
        PriceLists(()).in_force(pendulum.date(2026, 11, 3))


def test_two_lists_on_one_day_are_refused() -> None:
    clash = PriceList(
        "2026A-bis",
        effective_from=pendulum.date(2026, 1, 1),
        published_on=pendulum.date(2025, 12, 1),
        items=(),
    )
    with pytest.raises(OverlappingVersions, match="both take effect on 2026-01-01"):
        PriceLists((price_list_2026a(), clash))


def test_one_list_name_twice_is_refused() -> None:
    again = PriceList(
        "2026A",
        effective_from=pendulum.date(2026, 6, 1),
        published_on=pendulum.date(2026, 5, 1),
        items=(),
    )
    with pytest.raises(OverlappingVersions, match="used twice"):
        PriceLists((price_list_2026a(), again))


# -- orders ---------------------------------------------------------------------------------


@pytest.mark.parametrize("quantity", ["-1", 1.5, "two"])
def test_order_quantity_must_be_a_non_negative_decimal(quantity: object) -> None:
    with pytest.raises(InvalidQuantity):
        SpecialServiceOrder("SO-1", "PIPE", quantity, pendulum.date(2026, 11, 3))


# -- orders on a notice ---------------------------------------------------------------------


def test_order_is_priced_from_the_list_in_force_on_the_performed_date() -> None:
    notice = bill_orders(order("AC-CLEAN", "2", pendulum.date(2026, 11, 3)))
    (line,) = (line for line in notice.lines if line.kind is ChargeKind.SPECIAL_SERVICE)
    assert line.amount == Money("160.00")
    assert line.quantity == Decimal(2)
    assert line.unit_price == Money("80.00")
    assert line.unit_label() == line.unit_label("en_US") == "台"  # the community's own unit
    assert line.explanation.price_list_version == "2026A"
    assert line.explanation.order == order("AC-CLEAN", "2", pendulum.date(2026, 11, 3))
    assert line.name == "特约服务：空调清洗"


def test_orders_either_side_of_a_price_list_switch_use_their_own_versions() -> None:
    notice = bill_orders(
        order("AC-CLEAN", "1", pendulum.date(2026, 11, 15), "SO-1"),
        order("AC-CLEAN", "1", pendulum.date(2026, 11, 16), "SO-2"),
    )
    services = [line for line in notice.lines if line.kind is ChargeKind.SPECIAL_SERVICE]
    assert [(s.amount, s.explanation.price_list_version) for s in services] == [
        (Money("80.00"), "2026A"),
        (Money("90.00"), "2026B"),
    ]


def test_order_quantity_in_fractions_is_rounded_once_per_line() -> None:
    notice = bill_orders(order("LAWN", "12.5"))
    (line,) = (line for line in notice.lines if line.kind is ChargeKind.SPECIAL_SERVICE)
    assert line.explanation.unrounded == Money("16.875")
    assert line.amount == Money("16.88")


def test_unknown_service_code_on_an_order_is_refused() -> None:
    with pytest.raises(UnknownPriceItem):
        bill_orders(order("WINDOW"))


def test_a_service_dropped_from_the_newer_list_is_unknown_after_the_switch() -> None:
    assert bill_orders(order("LAWN", "1", pendulum.date(2026, 11, 15))).total.is_positive
    with pytest.raises(UnknownPriceItem, match="2026B"):
        bill_orders(order("LAWN", "1", pendulum.date(2026, 11, 16)))


def test_orders_without_price_lists_are_refused() -> None:
    with pytest.raises(PriceListError, match="price_lists"):
        issue_statement(
            community=COMMUNITY,
            unit=apartment(),
            period=NOV,
            tariff=sample_tariff(),
            usage=UnitUsage(orders=[order()]),
        )


def test_order_performed_before_any_list_is_refused() -> None:
    early = PriceLists((price_list_2026b(),))
    with pytest.raises(NoPriceListInForce):
        bill_orders(order("AC-CLEAN", "1", pendulum.date(2026, 11, 3)), price_lists=early)


def test_no_price_lists_needed_without_orders() -> None:
    notice = issue_statement(
        community=COMMUNITY, unit=apartment(), period=NOV, tariff=sample_tariff()
    )
    assert notice.total == Money("250.24")


def test_services_use_the_default_label_where_the_tariff_has_no_service_rule() -> None:
    # the sample commercial rules have no SpecialServiceCharge
    notice = issue_statement(
        community=COMMUNITY,
        unit=shop(),
        period=NOV,
        tariff=sample_tariff(),
        usage=UnitUsage(orders=[order("PIPE")]),
        price_lists=sample_price_lists(),
    )
    (line,) = (line for line in notice.lines if line.kind is ChargeKind.SPECIAL_SERVICE)
    assert line.code == DEFAULT_SPECIAL_SERVICE.code == "SVC"
    assert line.name == "特约服务：管道疏通"
    assert line.explanation.tariff_version == sample_version().version
    assert PropertyType.COMMERCIAL is shop().property_type


# -- orders priced from a named version (an accepted quote's) -------------------------------


def test_lists_look_up_a_version_by_name() -> None:
    lists = sample_price_lists()
    assert lists.version("2026A") is lists.versions[0]
    assert lists.version("2026B").item("AC-CLEAN").unit_price == Money("90.00")


def test_an_unknown_version_name_is_a_lookup_error_naming_the_known_versions() -> None:
    with pytest.raises(UnknownPriceListVersion, match=r"'2025B' is published.*2026A, 2026B\."):
        sample_price_lists().version("2025B")
    assert issubclass(UnknownPriceListVersion, LookupError)
    assert issubclass(UnknownPriceListVersion, PriceListError)


def test_no_versions_at_all_are_named_as_none() -> None:
    with pytest.raises(UnknownPriceListVersion, match="versions are: none"):
        PriceLists(()).version("2026A")


def test_an_order_names_no_version_unless_told() -> None:
    assert order().price_list_version is None
    named = SpecialServiceOrder(
        "SO-1", "AC-CLEAN", "2", pendulum.date(2026, 11, 20), price_list_version="2026A"
    )
    assert named.price_list_version == "2026A"


@pytest.mark.parametrize("version", ["", "   ", 2026, b"2026A"])
def test_an_orders_version_must_be_a_name(version: object) -> None:
    with pytest.raises(PriceListError, match="price_list_version"):
        SpecialServiceOrder(
            "SO-1", "AC-CLEAN", "1", pendulum.date(2026, 11, 3), price_list_version=version
        )


def test_an_order_naming_a_version_is_priced_from_it_after_a_newer_list_took_effect() -> None:
    named = SpecialServiceOrder(
        "SO-1", "AC-CLEAN", "2", pendulum.date(2026, 11, 20), price_list_version="2026A"
    )
    notice = bill_orders(named)
    (line,) = (line for line in notice.lines if line.kind is ChargeKind.SPECIAL_SERVICE)
    assert line.amount == Money("160.00")  # 2026B, in force on the 20th, would say 180.00
    assert line.unit_price == Money("80.00")
    assert line.explanation.price_list_version == "2026A"
    assert line.explanation.order == named
    assert line.explanation.tariff_version == sample_version().version


def test_an_order_naming_the_version_in_force_bills_the_same_amount() -> None:
    day = pendulum.date(2026, 11, 20)
    plain = bill_orders(order("AC-CLEAN", "2", day))
    named = bill_orders(
        SpecialServiceOrder("SO-0001", "AC-CLEAN", "2", day, price_list_version="2026B")
    )
    assert named.total == plain.total
    assert [line.amount for line in named.lines] == [line.amount for line in plain.lines]


def test_an_order_naming_an_unknown_version_is_refused() -> None:
    with pytest.raises(UnknownPriceListVersion, match="2025B"):
        bill_orders(
            SpecialServiceOrder(
                "SO-1", "AC-CLEAN", "1", pendulum.date(2026, 11, 3), price_list_version="2025B"
            )
        )


def test_an_order_naming_a_version_without_its_service_is_refused() -> None:
    # the 2026B list has no lawn care, whatever day the work was performed
    with pytest.raises(UnknownPriceItem, match="2026B"):
        bill_orders(
            SpecialServiceOrder(
                "SO-1", "LAWN", "10", pendulum.date(2026, 11, 3), price_list_version="2026B"
            )
        )
