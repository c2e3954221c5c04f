"""Fee-notice totals over columns equal the totals of the statements issue_statement bills."""

from __future__ import annotations

from decimal import Decimal

import pendulum
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.billing import (
    Approval,
    Approver,
    AreaCharge,
    BillingPolicy,
    MeteredCharge,
    MeterReading,
    ParkingCharge,
    PriceItem,
    PriceList,
    PriceLists,
    PropertyType,
    SpecialServiceCharge,
    SpecialServiceOrder,
    Tariff,
    TariffVersion,
    Tier,
    TieredPrice,
    UnitProfile,
    UnitUsage,
    issue_statement,
)
from propcrm.errors import InvalidQuantity, InvalidType
from propcrm.money import Money, RoundingMode
from propcrm.portfolio import notice_totals
from propcrm.time import BillingPeriod

PERIOD = BillingPeriod.month(2026, 11)


def _decimals(low: int, high: int, places: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda n: Decimal(n).scaleb(-places))


prices = _decimals(1, 99_999, 2)
tier_prices = st.lists(_decimals(1, 9_999, 2), min_size=1, max_size=3)
units = st.lists(
    st.tuples(
        _decimals(1_000, 300_000, 2),  # area, ㎡
        st.integers(0, 2),  # parking spaces
        _decimals(0, 600, 1),  # water, t
        st.none() | _decimals(1, 80, 1),  # a service's quantity
    ),
    min_size=1,
    max_size=6,
)


def _tariff(area_price: Decimal, parking_price: Decimal, tiers: list[Decimal]) -> Tariff:
    bounds = [Decimal(10 * (k + 1)) for k in range(len(tiers) - 1)] + [None]
    water = MeteredCharge(
        "WATER",
        "水费",
        "water",
        TieredPrice(Tier(b, Money(p)) for b, p in zip(bounds, tiers, strict=True)),
    )
    rules = (
        AreaCharge("MGMT", "物业管理费", Money(area_price)),
        ParkingCharge("PARKING", "车位管理费", Money(parking_price)),
        water,
        SpecialServiceCharge("SVC", "特约服务"),
    )
    version = TariffVersion(
        "2026",
        effective_from=pendulum.date(2026, 1, 1),
        announced_on=pendulum.date(2025, 11, 1),
        approval=Approval(
            Approver.OWNERS_COMMITTEE, "决议3号", approved_on=pendulum.date(2025, 10, 28)
        ),
        charges={PropertyType.RESIDENTIAL: rules},
    )
    return Tariff("SUNRISE", (version,))


def _milli(value: Decimal) -> int:
    scaled = value.scaleb(3)
    assert scaled == scaled.to_integral_value()
    return int(scaled)


@settings(max_examples=60, deadline=None)
@given(
    area_price=prices,
    parking_price=prices,
    tiers=tier_prices,
    service_price=prices,
    drawn=units,
    mode=st.sampled_from(list(RoundingMode)),
)
def test_totals_equal_issue_statement(area_price, parking_price, tiers, service_price, drawn, mode):
    tariff = _tariff(area_price, parking_price, tiers)
    lists = PriceLists(
        (
            PriceList(
                "2026A",
                effective_from=pendulum.date(2026, 1, 1),
                published_on=pendulum.date(2025, 12, 1),
                items=(PriceItem("CLEAN", "保洁", Money(service_price), "小时"),),
            ),
        )
    )
    policy = BillingPolicy(rounding=mode)
    rows: dict[str, list] = {k: [] for k in ("account", "code", "price_cfen", "quantity_milli")}
    expected = []
    for i, (area, spaces, water, service) in enumerate(drawn):
        unit = f"1-{i:04d}"
        orders = ()
        if service is not None:
            orders = (SpecialServiceOrder(f"SO-{i}", "CLEAN", service, pendulum.date(2026, 11, 5)),)
        reading = MeterReading(
            f"W-{unit}", "water", Decimal(100), Decimal(100) + water, read_on=PERIOD.end
        )
        statement = issue_statement(
            community="SUNRISE",
            unit=UnitProfile(unit, PropertyType.RESIDENTIAL, building_area=area),
            period=PERIOD,
            tariff=tariff,
            usage=UnitUsage(parking_spaces=spaces, readings=(reading,), orders=orders),
            policy=policy,
            price_lists=lists,
        )
        expected.append((unit, statement.total.minor_units))
        lines = [("MGMT", area_price, area), ("PARKING", parking_price, Decimal(spaces))]
        lines.append(("WATER", None, water))
        if service is not None:
            lines.append(("SVC", service_price, service))
        for code, price, quantity in lines:
            rows["account"].append(unit)
            rows["code"].append(code)
            rows["price_cfen"].append(None if price is None else _milli(price) * 10)
            rows["quantity_milli"].append(_milli(quantity))
    frame = pl.DataFrame({**rows, "months": [PERIOD.months] * len(rows["code"])})
    bounds = [10_000 * (k + 1) for k in range(len(tiers) - 1)] + [None]
    table = pl.DataFrame(
        {
            "code": ["WATER"] * len(tiers),
            "up_to_milli": bounds,
            "price_cfen": [_milli(p) * 10 for p in tiers],
        }
    )
    got = notice_totals(frame, table, mode).select("account", "total_fen").rows()
    assert got == expected
    # A warehouse's keys: the account an integer, the code an Enum or a Categorical.
    for code_type in (pl.Enum(["MGMT", "PARKING", "WATER", "SVC"]), pl.Categorical):
        keyed = frame.with_columns(
            pl.col("account").str.slice(2).cast(pl.Int64), pl.col("code").cast(code_type)
        )
        got = notice_totals(keyed, table, mode).select("account", "total_fen").rows()
        assert got == [(int(unit[2:]), total) for unit, total in expected]


def test_a_line_without_price_or_tiers_is_refused():
    lines = pl.DataFrame(
        {
            "account": ["A"],
            "code": ["WATER"],
            "price_cfen": [None],
            "quantity_milli": [1_000],
            "months": [1],
        },
        schema_overrides={"price_cfen": pl.Int64},
    )
    with pytest.raises(InvalidQuantity) as caught:
        notice_totals(lines)
    assert caught.value.value == "WATER"


def test_frames_without_their_columns_are_refused():
    with pytest.raises(InvalidType) as caught:
        notice_totals(pl.DataFrame({"account": ["A"]}))
    assert caught.value.field == "lines"
    with pytest.raises(InvalidType):
        notice_totals([("A", "MGMT", 1, 1, 1)])
    lines = pl.DataFrame(
        {"account": ["A"], "code": ["M"], "price_cfen": [1], "quantity_milli": [1], "months": [1]}
    )
    with pytest.raises(InvalidType) as caught:
        notice_totals(lines, rounding="HALF_UP")
    assert caught.value.field == "rounding"


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", "D"]),
            st.integers(0, 10**9),  # price, 1/100 fen
            st.integers(0, 10**6),  # quantity, 1/1000
        ),
        min_size=1,
        max_size=12,
    ),
    mode=st.sampled_from(list(RoundingMode)),
)
def test_totals_in_any_line_order_equal_a_group_by(rows, mode):
    # Lines of an account together (sorted or not) take the running sums; others the group-by.
    lines = pl.DataFrame(
        {
            "account": [a for a, _, _ in rows],
            "code": ["MGMT"] * len(rows),
            "price_cfen": [p for _, p, _ in rows],
            "quantity_milli": [q for _, _, q in rows],
            "months": [1] * len(rows),
        }
    )
    expected = {}
    for account, price, quantity in rows:
        fen, lines_of = expected.get(account, (0, 0))
        exact = Decimal(price * quantity) / 100_000
        expected[account] = (
            fen + int(exact.quantize(Decimal(1), rounding=mode.value)),
            lines_of + 1,
        )
    got = notice_totals(lines, rounding=mode).rows()
    assert got == [(account, *sums) for account, sums in expected.items()]
    together = lines.sort("account", descending=True, maintain_order=True)
    want = [(a, *expected[a]) for a in together.get_column("account").unique(maintain_order=True)]
    assert notice_totals(together, rounding=mode).rows() == want
    # Integer account keys, in any order: the same totals under each key.
    numbered = lines.with_columns(pl.col("account").replace_strict(NUMBERS, return_dtype=pl.Int64))
    assert notice_totals(numbered, rounding=mode).rows() == [
        (NUMBERS[account], *sums) for account, sums in expected.items()
    ]


NUMBERS = {"A": 7, "B": 3, "C": 11, "D": 0}


def test_no_lines_give_no_totals():
    lines = pl.DataFrame(
        schema={
            "account": pl.Int64,
            "code": pl.String,
            "price_cfen": pl.Int64,
            "quantity_milli": pl.Int64,
            "months": pl.Int64,
        }
    )
    got = notice_totals(lines)
    assert got.columns == ["account", "total_fen", "lines"]
    assert got.height == 0
