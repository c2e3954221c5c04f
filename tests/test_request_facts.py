"""Tests for sla._request_facts: the frozen facts that classification looks at."""

from __future__ import annotations

import datetime
import zoneinfo

import attrs
import pendulum
import pytest
from hypothesis import given

from propcrm.classification import (
    Category,
    Location,
    RequesterAttribute,
    RequesterProfile,
    RequestFacts,
)
from propcrm.classification._request_facts import normalize_text
from propcrm.errors import InvalidRequestFacts, NaiveDatetime, UnsupportedLocale
from propcrm.testing._classification_strategies import request_facts

AT = pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Shanghai")


def test_at_least_twenty_common_categories_besides_other() -> None:
    assert len([c for c in Category if c is not Category.OTHER]) >= 20
    for needed in (
        "WATER_LEAK",
        "BURST_PIPE",
        "POWER_OUTAGE",
        "LIFT_ENTRAPMENT",
        "GAS_SMELL",
        "FIRE_ALARM",
        "BLOCKED_DRAIN",
        "NO_WATER",
        "NOISE",
        "DOOR_LOCK",
        "INTERCOM",
        "PARKING",
        "PEST",
        "CLEANING",
        "GREENING",
        "SECURITY_INCIDENT",
        "ROOF_LEAK",
        "LIFT_FAULT",
        "COMMON_AREA_LIGHTING",
        "HEATING_AIR_CONDITIONING",
        "DECORATION_VIOLATION",
        "PET",
    ):
        assert Category[needed].value == needed.lower()


@pytest.mark.parametrize(
    "member",
    [*Category, *Location, *RequesterAttribute],
    ids=lambda m: f"{type(m).__name__}.{m.name}",
)
def test_every_member_has_a_chinese_and_an_english_label(
    member: Category | Location | RequesterAttribute,
) -> None:
    zh, en = member.label("zh_CN"), member.label("en_US")
    assert zh.strip()
    assert en.strip()
    assert member.label() == zh
    assert en.isascii()  # no Chinese in the English label
    if member is not RequesterAttribute.VIP:  # "VIP" is what a Chinese desk says too
        assert not zh.isascii()  # nor English in the Chinese one


@pytest.mark.parametrize(
    ("member", "zh", "en"),
    [
        (Category.WATER_LEAK, "漏水", "water leak"),
        (Category.GAS_SMELL, "燃气泄漏", "gas smell"),
        (Location.IN_HOME, "户内", "in-home"),
        (RequesterAttribute.ELDERLY_LIVING_ALONE, "独居老人", "elderly living alone"),
    ],
)
def test_labels_in_each_locale(
    member: Category | Location | RequesterAttribute, zh: str, en: str
) -> None:
    assert (member.label("zh_CN"), member.label("zh-CN"), member.label("en_US")) == (zh, zh, en)


@pytest.mark.parametrize("locale", ["fr_FR", "zh", "zh_TW", "en_GB", ""])
def test_a_label_refuses_an_unsupported_locale(locale: str) -> None:
    for member in (Category.NOISE, Location.ROOF, RequesterAttribute.PREGNANT):
        with pytest.raises(UnsupportedLocale, match="'zh_CN' and 'en_US'"):
            member.label(locale)


def test_labels_are_unique_per_enum() -> None:
    for kind in (Category, Location, RequesterAttribute):
        assert len({m.label("zh_CN") for m in kind}) == len(kind)
        assert len({m.label("en_US") for m in kind}) == len(kind)


def test_defaults_are_an_unspecified_location_no_text_and_an_empty_profile() -> None:
    facts = RequestFacts(category=Category.NOISE, received_at=AT)
    assert facts.location is Location.UNSPECIFIED
    assert facts.description == ""
    assert facts.requester == RequesterProfile()
    assert not facts.requester.attributes


def test_arguments_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        RequestFacts(Category.NOISE, AT)  # type: ignore[call-arg]  # the point of the test


def test_naive_received_at_is_refused() -> None:
    naive = datetime.datetime(2026, 11, 24, 9, 30)  # noqa: DTZ001 - the value under test
    with pytest.raises(NaiveDatetime, match="has no time zone"):
        RequestFacts(category=Category.NOISE, received_at=naive)


def test_a_date_or_text_is_not_an_instant() -> None:
    with pytest.raises(InvalidRequestFacts, match="must be an aware datetime"):
        RequestFacts(category=Category.NOISE, received_at="2026-11-24T09:30+08:00")
    with pytest.raises(InvalidRequestFacts, match="must be an aware datetime"):
        RequestFacts(category=Category.NOISE, received_at=datetime.date(2026, 11, 24))


def test_a_standard_library_aware_datetime_becomes_pendulum_and_keeps_its_zone() -> None:
    at = datetime.datetime(2026, 11, 24, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    facts = RequestFacts(category=Category.NOISE, received_at=at)
    assert isinstance(facts.received_at, pendulum.DateTime)
    assert facts.received_at == at
    assert facts.received_at.utcoffset() == datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("category", "noise", "must be a Category member"),
        ("location", "in_home", "must be a Location member"),
        ("description", None, "must be a str"),
        ("requester", frozenset(), "must be a RequesterProfile"),
    ],
)
def test_wrong_types_are_refused(field: str, value: object, message: str) -> None:
    values: dict[str, object] = {"category": Category.NOISE, "received_at": AT}
    values[field] = value
    with pytest.raises(InvalidRequestFacts, match=message):
        RequestFacts(**values)  # type: ignore[arg-type]  # wrong on purpose


def test_requester_profile() -> None:
    profile = RequesterProfile.of(RequesterAttribute.ELDERLY_LIVING_ALONE, RequesterAttribute.VIP)
    assert profile.has(RequesterAttribute.VIP)
    assert not profile.has(RequesterAttribute.PREGNANT)
    assert profile == RequesterProfile(
        [RequesterAttribute.VIP, RequesterAttribute.ELDERLY_LIVING_ALONE]
    )
    with pytest.raises(InvalidRequestFacts, match="RequesterAttribute members"):
        RequesterProfile(frozenset({"vip"}))  # type: ignore[arg-type]  # wrong on purpose


def test_facts_are_frozen() -> None:
    facts = RequestFacts(category=Category.NOISE, received_at=AT)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        facts.category = Category.PET  # type: ignore[misc]  # the point of the test
    assert attrs.evolve(facts, category=Category.PET).category is Category.PET


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("GAS", "gas"),
        ("Ｔｒａｐｐｅｄ", "trapped"),
        ("厨房漏水", "厨房漏水"),
        ("Straße", "strasse"),
    ],
)
def test_normalize_text(text: str, normalized: str) -> None:
    assert normalize_text(text) == normalized


@given(request_facts())
def test_drawn_facts_are_aware_and_equal_to_a_rebuilt_copy(facts: RequestFacts) -> None:
    assert facts.received_at.tzinfo is not None
    assert attrs.evolve(facts) == facts
    assert facts.normalized_description == normalize_text(facts.description)
