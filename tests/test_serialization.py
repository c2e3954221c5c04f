"""Tests for propcrm.serialization: every value the strategies draw, stored and read back."""

from __future__ import annotations

import datetime
import json
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from propcrm.billing import AbsoluteCap, LateFeePolicy, PercentOfPrincipalCap
from propcrm.classification import (
    URGENT,
    AllOf,
    Always,
    Category,
    CategoryIn,
    Predicate,
    Rule,
)
from propcrm.errors import (
    InvalidDocument,
    InvalidType,
    PropcrmError,
    SerializationError,
    UnknownTypeTag,
    UnsupportedSchemaVersion,
)
from propcrm.money import Money, Rate, RateBasis, RoundingMode
from propcrm.parties import PartyBookPolicy
from propcrm.serialization import (
    SCHEMA_VERSION,
    dumps,
    from_primitive,
    loads,
    register_type,
    to_primitive,
    type_tag,
)
from propcrm.sla import Target, TargetKind, Within
from propcrm.testing import strategies
from propcrm.testing._complaints_strategies import feasible_actions
from propcrm.time import PeriodKind

_SETTINGS = settings(
    max_examples=8,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# The strategies that need an argument, given one drawn or fixed here.
_WITH_ARGUMENTS: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "calendar_instants": lambda: strategies.business_calendars().flatmap(
        strategies.calendar_instants
    ),
    "next_steps": lambda: (
        strategies.requests().filter(feasible_actions).flatmap(strategies.next_steps)
    ),
    "sla_clock_event_sequences": lambda: strategies.sla_clock_event_sequences(
        targets=[Target(TargetKind.RESPONSE, Within(600, "hotline"))]
    ),
}
STRATEGIES = sorted(name for name in strategies.__all__ if name != "register_type_strategies")


def _strategy(name: str) -> st.SearchStrategy[Any]:
    if name in _WITH_ARGUMENTS:
        return _WITH_ARGUMENTS[name]()
    strategy: st.SearchStrategy[Any] = getattr(strategies, name)()
    return strategy


def _type_of(value: object) -> Any:
    """The type to read ``value`` back as: its class, or a typed tuple or list of its items."""
    if isinstance(value, tuple | list):
        kinds = tuple(dict.fromkeys(_type_of(item) for item in value)) or (str,)
        item = kinds[0] if len(kinds) == 1 else typing.Union[kinds]  # noqa: UP007  # built at run time
        return tuple[item, ...] if isinstance(value, tuple) else list[item]  # type: ignore[valid-type]
    return type(value)


def _same(a: object, b: object) -> bool:
    """Equal, or, for classes compared by identity (``eq=False``), equal field by field."""
    if a == b:
        return True
    if type(a) is not type(b):
        return False
    if attrs.has(type(a)):
        return all(
            _same(getattr(a, f.name), getattr(b, f.name)) for f in attrs.fields(type(a)) if f.eq
        )
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(map(_same, a, b))  # type: ignore[arg-type]
    if isinstance(a, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)  # type: ignore[attr-defined]
    return False


def test_every_strategy_is_round_tripped() -> None:
    assert set(_WITH_ARGUMENTS) <= set(STRATEGIES)


@pytest.mark.parametrize("name", STRATEGIES)
def test_round_trip(name: str) -> None:
    """Every value a strategy draws comes back equal, from primitives and from JSON text."""

    @_SETTINGS
    @given(_strategy(name))
    def check(value: Any) -> None:
        cls = _type_of(value)
        primitive = to_primitive(value, cls)
        assert _same(from_primitive(primitive, cls), value)
        text = json.dumps(primitive, ensure_ascii=False)
        assert _same(from_primitive(json.loads(text), cls), value)
        if isinstance(cls, type) and not isinstance(value, str | int):
            try:
                type_tag(cls)
            except UnknownTypeTag:
                return  # a testing helper, not a public value: primitives only
            assert _same(loads(dumps(value), cls), value)
            assert dumps(loads(dumps(value), cls)) == dumps(value)

    check()


# -- the forms ----------------------------------------------------------------------------------


@_SETTINGS
@given(strategies.moneys())
def test_money_is_its_exact_text(money: Money) -> None:
    assert to_primitive(money) == {"amount": str(money.amount), "currency": money.currency}


@pytest.mark.parametrize("text", ["12.30", "0.00", "-0.5", "1E+2", "0.0000001", "12"])
def test_money_keeps_its_exponent(text: str) -> None:
    money = Money(text)
    stored = to_primitive(money)
    assert stored["amount"] == str(Decimal(text))  # 0.0000001 is 1E-7: the same exponent
    back = from_primitive(stored, Money)
    assert back.amount.as_tuple() == Decimal(text).as_tuple()


ZONES = ["Asia/Shanghai", "Asia/Urumqi", "UTC", "America/New_York", "Europe/London"]


@_SETTINGS
@given(
    st.datetimes(
        min_value=datetime.datetime(1990, 1, 1),  # noqa: DTZ001  # st.datetimes takes naive bounds
        max_value=datetime.datetime(2090, 1, 1),  # noqa: DTZ001
        timezones=st.sampled_from(ZONES).map(pendulum.timezone),
    )
)
def test_instants_keep_their_zone_name(when: datetime.datetime) -> None:
    instant = pendulum.instance(when)
    stored = to_primitive(instant)
    assert stored.endswith(f"[{instant.timezone_name}]")
    back = from_primitive(stored, pendulum.DateTime)
    assert back == instant
    assert back.timezone_name == instant.timezone_name
    assert back.utcoffset() == instant.utcoffset()


def test_an_ambiguous_local_time_keeps_its_offset() -> None:
    # 01:30 happens twice in New York on 2026-11-01; the offset says which.
    first = pendulum.datetime(2026, 11, 1, 5, 30, tz="UTC").in_timezone("America/New_York")
    second = pendulum.datetime(2026, 11, 1, 6, 30, tz="UTC").in_timezone("America/New_York")
    assert to_primitive(first) == "2026-11-01T01:30:00-04:00[America/New_York]"
    assert to_primitive(second) == "2026-11-01T01:30:00-05:00[America/New_York]"
    assert from_primitive(to_primitive(second), pendulum.DateTime) == second


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-24T09:30:00+08:00",
        "2026-11-24T09:30:00[Asia/Shanghai]",
        "2026-11-24T09:30:00+09:00[Asia/Shanghai]",
        "2026-11-24T09:30:00+08:00[Asia/Nowhere]",
        "2026-11-24 09:30",
        "2026-13-24T09:30:00+08:00[Asia/Shanghai]",
    ],
)
def test_an_instant_without_its_zone_or_at_odds_with_it_is_refused(text: str) -> None:
    with pytest.raises(InvalidDocument):
        from_primitive(text, pendulum.DateTime)


def test_an_instant_in_a_fixed_offset_is_not_written() -> None:
    fixed = pendulum.datetime(2026, 11, 24, 9, 30, tz=pendulum.FixedTimezone(8 * 3600))
    with pytest.raises(SerializationError, match="no zone name"):
        to_primitive(fixed)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime.timedelta(hours=1, minutes=30), "PT5400S"),
        (datetime.timedelta(days=2, microseconds=5), "PT172800.000005S"),
        (datetime.timedelta(seconds=-1), "-PT1S"),
        (datetime.timedelta(0), "PT0S"),
    ],
)
def test_durations_are_exact(value: datetime.timedelta, text: str) -> None:
    assert to_primitive(value) == text
    assert from_primitive(text, datetime.timedelta) == value


def test_dates_times_decimals_fractions_and_enums() -> None:
    assert to_primitive(pendulum.date(2026, 11, 30)) == "2026-11-30"
    assert to_primitive(datetime.time(9, 30)) == "09:30:00"
    assert to_primitive(Decimal("0.0030")) == "0.0030"
    assert to_primitive(Fraction(1, 3)) == "1/3"
    assert from_primitive("1/3", Fraction) == Fraction(1, 3)
    assert to_primitive(PeriodKind.QUARTER) == 3
    assert from_primitive(3, PeriodKind) is PeriodKind.QUARTER
    assert to_primitive(RoundingMode.HALF_UP) == "ROUND_HALF_UP"
    with pytest.raises(InvalidDocument, match="'day', 'month', 'year'"):
        from_primitive("week", RateBasis)
    with pytest.raises(InvalidDocument):
        from_primitive(True, PeriodKind)  # True == 1, but not a month


@pytest.mark.parametrize(
    ("data", "cls"),
    [
        (12.3, Decimal),
        ({"amount": 12.3, "currency": "CNY"}, Money),
        ({"amount": "12.30", "currency": "CNY", "cents": 1}, Money),
        ("12", int),
        (1, bool),
        (5, str),
        ("2026-2-3", pendulum.Date),
        ("NaN", Decimal),
        ("1.5/2", Fraction),
        ({"value": 0.003, "per": "day"}, Rate),
    ],
)
def test_loose_data_is_refused(data: object, cls: type) -> None:
    with pytest.raises(InvalidDocument):
        from_primitive(data, cls)


def test_sets_are_sorted_so_equal_values_give_equal_documents() -> None:
    one = CategoryIn(Category.WATER_LEAK, Category.GAS_SMELL, Category.FIRE_ALARM)
    two = CategoryIn(Category.FIRE_ALARM, Category.WATER_LEAK, Category.GAS_SMELL)
    assert dumps(one) == dumps(two)
    assert to_primitive(one)["categories"] == ["fire_alarm", "gas_smell", "water_leak"]


# -- tags ---------------------------------------------------------------------------------------


def test_a_union_member_is_tagged_with_its_public_name() -> None:
    stored = to_primitive(LateFeePolicy(cap=AbsoluteCap(Money("50.00"))))
    assert stored["cap"] == {
        "type": "billing.AbsoluteCap",
        "amount": {"amount": "50.00", "currency": "CNY"},
    }


def test_an_unknown_tag_is_refused_naming_the_known_ones() -> None:
    stored = to_primitive(LateFeePolicy())
    stored["cap"] = {"type": "billing.NoSuchCap"}
    with pytest.raises(
        UnknownTypeTag, match=r"billing\.AbsoluteCap, billing\.AnnualisedRateCap"
    ) as e:
        from_primitive(stored, LateFeePolicy)
    assert e.value.field == "cap"
    assert isinstance(e.value, LookupError)


def test_a_tag_of_a_class_outside_the_union_is_refused() -> None:
    stored = to_primitive(LateFeePolicy())
    stored["cap"] = {"type": "money.Money", "amount": "1.00", "currency": "CNY"}
    with pytest.raises(UnknownTypeTag, match=r"'money\.Money'"):
        from_primitive(stored, LateFeePolicy)


def test_an_unregistered_class_is_refused_on_writing() -> None:
    @attrs.frozen
    class Unregistered:
        team: str

    with pytest.raises(UnknownTypeTag, match="register_type"):
        to_primitive(Unregistered("B"), Predicate)


def test_a_registered_class_of_a_protocol_round_trips() -> None:
    @attrs.frozen
    class DaytimeOnly:
        team: str

        def evaluate(self, facts: Any) -> Any:
            return Always().evaluate(facts)

        def describe(self, locale: str = "zh_CN") -> str:
            return self.team

    assert register_type(DaytimeOnly, "tests.DaytimeOnly") == "tests.DaytimeOnly"
    assert register_type(DaytimeOnly, "tests.DaytimeOnly") == "tests.DaytimeOnly"  # again: same
    rule = Rule("night", URGENT, AllOf(DaytimeOnly("B"), Always()))  # type: ignore[arg-type]
    assert loads(dumps(rule), Rule) == rule


def test_registration_refuses_a_taken_tag_and_a_field_named_like_the_tag_key() -> None:
    @attrs.frozen
    class Other:
        team: str

    @attrs.frozen
    class Typed:
        type: str

    with pytest.raises(InvalidType, match="already names"):
        register_type(Other, "money.Money")
    with pytest.raises(InvalidType, match="field named 'type'"):
        register_type(Typed)
    with pytest.raises(InvalidType):
        register_type(Other, "not a tag")


def test_values_that_hold_code_are_stored_by_name() -> None:
    policy = PartyBookPolicy()
    stored = to_primitive(policy)
    assert stored["exclusivity"][1] == "one lease of a unit at a time"
    assert from_primitive(stored, PartyBookPolicy) == policy
    stored["exclusivity"] = ["no such rule"]
    with pytest.raises(UnknownTypeTag, match="one lease of a unit at a time"):
        from_primitive(stored, PartyBookPolicy)


# -- documents ----------------------------------------------------------------------------------


def test_a_document_carries_its_schema_version_and_type() -> None:
    document = json.loads(dumps(LateFeePolicy()))
    assert document["propcrm"] == SCHEMA_VERSION == 1
    assert document["type"] == "billing.LateFeePolicy"


@pytest.mark.parametrize("version", [2, 0, -1, "1", True, None, 1.0])
def test_an_unknown_or_newer_schema_version_is_refused(version: object) -> None:
    document = json.loads(dumps(LateFeePolicy()))
    document["propcrm"] = version
    with pytest.raises(UnsupportedSchemaVersion) as e:
        loads(json.dumps(document), LateFeePolicy)
    assert e.value.field == "propcrm"
    assert e.value.allowed == "1 to 1"


def test_a_document_of_another_type_is_refused() -> None:
    with pytest.raises(InvalidDocument, match=r"not the 'classification\.Rule'") as e:
        loads(dumps(LateFeePolicy()), Rule)
    assert e.value.field == "type"
    with pytest.raises(UnknownTypeTag, match=r"'billing\.LateFeePolicy' was asked for"):
        loads('{"propcrm": 1, "type": "billing.Nothing", "data": {}}', LateFeePolicy)


@pytest.mark.parametrize(
    "text",
    ["", "[]", "{", '{"propcrm": 1, "type": "billing.LateFeePolicy"}', '"x"', "null"],
)
def test_a_malformed_envelope_is_refused(text: str) -> None:
    with pytest.raises(InvalidDocument):
        loads(text, LateFeePolicy)


def test_a_refused_field_is_named_by_its_path_and_chained() -> None:
    stored = to_primitive(LateFeePolicy(cap=PercentOfPrincipalCap("30")))
    stored["rate"]["value"] = "-1"
    with pytest.raises(InvalidDocument, match=r"^at rate: ") as e:
        from_primitive(stored, LateFeePolicy)
    assert e.value.field == "rate"
    assert isinstance(e.value.__cause__, PropcrmError)
    assert e.value.context["error"] is e.value.__cause__


_BAD_LEAVES = st.sampled_from([1.5, None, True, -1, "", "x", [], {}, {"type": "nope"}])


def _mutate(data: Any, draw: st.DrawFn) -> Any:
    """``data`` with one leaf replaced, one key dropped or one key added, somewhere."""
    if isinstance(data, dict) and data and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(data)))
        how = draw(st.sampled_from(["descend", "drop", "add"]))
        if how == "drop":
            return {k: v for k, v in data.items() if k != key}
        if how == "add":
            return {**data, "unexpected": 1}
        return {**data, key: _mutate(data[key], draw)}
    if isinstance(data, list) and data and draw(st.booleans()):
        index = draw(st.integers(0, len(data) - 1))
        return [*data[:index], _mutate(data[index], draw), *data[index + 1 :]]
    return draw(_BAD_LEAVES)


@st.composite
def _bad_documents(draw: st.DrawFn) -> tuple[Any, type]:
    value = draw(
        st.one_of(
            strategies.late_fee_policies(),
            strategies.rule_sets(),
            strategies.receipts(),
            strategies.weekly_hours(),
            strategies.persons(),
        )
    )
    return _mutate(to_primitive(value), draw), type(value)


@_SETTINGS
@given(_bad_documents())
def test_bad_data_raises_the_librarys_error_or_makes_a_valid_value(case: tuple[Any, type]) -> None:
    data, cls = case
    try:
        value = from_primitive(data, cls)
    except SerializationError:
        pass  # the library's error (a ValueError), and nothing else, refuses bad data
    else:
        # Some changes still describe a value (another text for a name): it is a whole one.
        assert from_primitive(to_primitive(value), cls) == value


def test_price_lists_round_trip_and_refuse_an_item_under_another_code() -> None:
    # A price list writes its items by code; reading them back once failed (the constructor
    # takes the items, not the mapping).
    from propcrm.billing import PriceItem, PriceList, PriceLists
    from propcrm.errors import InvalidDocument

    listed = PriceList(
        "2026",
        effective_from=pendulum.date(2026, 1, 1),
        published_on=pendulum.date(2025, 12, 1),
        items=[PriceItem("UNCLOG", "疏通下水道", Money("50.00"))],
    )
    lists = PriceLists([listed])
    back = from_primitive(to_primitive(lists), PriceLists)
    # Price lists compare by identity, so compare what they hold.
    assert to_primitive(back) == to_primitive(lists)
    assert back.version("2026").item("UNCLOG") == listed.item("UNCLOG")
    data = to_primitive(listed)
    data["items"]["OTHER"] = data["items"].pop("UNCLOG")
    with pytest.raises(InvalidDocument, match="stored under the code 'OTHER'"):
        from_primitive(data, PriceList)
