"""Tests for sla._predicates: typed predicates, their evidence, and the combinator laws."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propcrm.classification import (
    AllOf,
    Always,
    AnyOf,
    Category,
    CategoryIn,
    Keywords,
    Location,
    LocationIn,
    Not,
    Predicate,
    RequesterAttribute,
    RequesterHas,
    RequesterProfile,
    RequestFacts,
    TimeOfDay,
)
from propcrm.classification._predicates import (
    CategoryEvidence,
    KeywordEvidence,
    KeywordHit,
    LocationEvidence,
    RequesterEvidence,
    TimeOfDayEvidence,
)
from propcrm.errors import InvalidRule, UnknownTimeZone, UnsupportedLocale
from propcrm.testing._classification_strategies import (
    predicates,
    request_facts,
    time_of_day_predicates,
)

SHANGHAI = "Asia/Shanghai"


def facts(
    description: str = "",
    *,
    category: Category = Category.OTHER,
    location: Location = Location.UNSPECIFIED,
    requester: RequesterProfile | None = None,
    at: pendulum.DateTime | None = None,
) -> RequestFacts:
    return RequestFacts(
        category=category,
        location=location,
        description=description,
        requester=requester or RequesterProfile(),
        received_at=at or pendulum.datetime(2026, 11, 24, 9, 30, tz=SHANGHAI),
    )


# -- leaves ---------------------------------------------------------------------------------


def test_always_holds_without_evidence() -> None:
    outcome = Always().evaluate(facts())
    assert outcome.holds
    assert outcome.evidence is None
    assert outcome.children == ()


def test_category_in() -> None:
    when = CategoryIn(Category.GAS_SMELL, Category.FIRE_ALARM)
    gas = when.evaluate(facts(category=Category.GAS_SMELL))
    assert gas.holds
    assert gas.evidence == CategoryEvidence(Category.GAS_SMELL)
    other = when.evaluate(facts(category=Category.NOISE))
    assert not other.holds
    assert other.evidence == CategoryEvidence(Category.NOISE)


def test_location_in() -> None:
    when = LocationIn(Location.IN_HOME)
    assert when.evaluate(facts(location=Location.IN_HOME)).holds
    outside = when.evaluate(facts(location=Location.COMMON_AREA))
    assert not outside.holds
    assert outside.evidence == LocationEvidence(Location.COMMON_AREA)


def test_requester_has_reports_which_attributes_are_present() -> None:
    when = RequesterHas(RequesterAttribute.ELDERLY_LIVING_ALONE, RequesterAttribute.DISABLED)
    profile = RequesterProfile.of(RequesterAttribute.DISABLED, RequesterAttribute.VIP)
    outcome = when.evaluate(facts(requester=profile))
    assert outcome.holds
    assert outcome.evidence == RequesterEvidence((RequesterAttribute.DISABLED,))
    assert not when.evaluate(facts()).holds
    assert when.evaluate(facts()).evidence == RequesterEvidence(())


@pytest.mark.parametrize(
    ("text", "keyword", "hit"),
    [
        ("厨房漏水了", "漏水", (2, 4)),
        ("电梯困人！", "困人", (2, 4)),
        ("I smell GAS downstairs", "gas", (8, 11)),
        ("Gas!", "gas", (0, 3)),
        ("煤气gas味", "gas", (2, 5)),
        ("someone is TRAPPED in lift 3", "trapped", (11, 18)),
        ("ＧＡＳ leak", "gas", (0, 3)),  # full-width letters
        ("the lift is stuck  in the middle", "stuck in", None),  # two spaces: not the phrase
        ("a new gasket please", "gas", None),  # whole words only
        ("biogas plant", "gas", None),
        ("pipes leaking", "leak", None),
        ("no water since 8", "no water", (0, 8)),
        ("楼上没有漏水", "漏水", (4, 6)),  # literal: negation is not understood
    ],
)
def test_keyword_matching(text: str, keyword: str, hit: tuple[int, int] | None) -> None:
    outcome = Keywords(keyword).evaluate(facts(text))
    if hit is None:
        assert not outcome.holds
        assert outcome.evidence == KeywordEvidence(())
    else:
        assert outcome.holds
        assert outcome.evidence == KeywordEvidence((KeywordHit(keyword, *hit),))


def test_english_keywords_are_case_insensitive_both_ways() -> None:
    assert Keywords("Trapped").evaluate(facts("we are trapped")).holds
    assert Keywords("trapped").evaluate(facts("WE ARE TRAPPED")).holds


def test_every_keyword_found_is_evidence_in_the_predicate_order() -> None:
    outcome = Keywords("着火", "smoke", "fire").evaluate(facts("FIRE! smoke everywhere, 着火了"))
    assert outcome.evidence == KeywordEvidence(
        (KeywordHit("着火", 24, 26), KeywordHit("smoke", 6, 11), KeywordHit("fire", 0, 4))
    )


def test_a_later_whole_word_occurrence_is_found_after_a_partial_one() -> None:
    outcome = Keywords("gas").evaluate(facts("gasket and gas"))
    assert outcome.evidence == KeywordEvidence((KeywordHit("gas", 11, 14),))


def test_time_of_day_daytime_window_is_half_open() -> None:
    window = TimeOfDay(datetime.time(8, 30), datetime.time(17, 30), zone=SHANGHAI)
    day = pendulum.datetime(2026, 11, 24, tz=SHANGHAI)
    assert window.evaluate(facts(at=day.at(8, 30))).holds
    assert window.evaluate(facts(at=day.at(17, 29, 59))).holds
    assert not window.evaluate(facts(at=day.at(17, 30))).holds
    assert not window.evaluate(facts(at=day.at(8, 29, 59))).holds
    assert not window.overnight


@pytest.mark.parametrize(
    ("hour", "minute", "holds"),
    [(21, 59, False), (22, 0, True), (23, 30, True), (0, 0, True), (5, 59, True), (6, 0, False)],
)
def test_time_of_day_overnight_window(hour: int, minute: int, holds: bool) -> None:
    night = TimeOfDay(datetime.time(22), datetime.time(6), zone=SHANGHAI)
    at = pendulum.datetime(2026, 11, 24, hour, minute, tz=SHANGHAI)
    assert night.overnight
    assert night.evaluate(facts(at=at)).holds is holds


def test_time_of_day_reads_the_instant_in_its_own_zone() -> None:
    night = TimeOfDay(datetime.time(22), datetime.time(6), zone=SHANGHAI)
    # 15:30 UTC is 23:30 in Shanghai.
    outcome = night.evaluate(facts(at=pendulum.datetime(2026, 11, 24, 15, 30, tz="UTC")))
    assert outcome.holds
    assert outcome.evidence == TimeOfDayEvidence(datetime.time(23, 30), SHANGHAI)


def test_time_of_day_uses_local_wall_time_across_daylight_saving() -> None:
    morning = TimeOfDay(datetime.time(9), datetime.time(10), zone="America/New_York")
    # 09:30 local on both sides of the March 2026 change: 14:30 UTC before, 13:30 UTC after.
    assert morning.evaluate(facts(at=pendulum.datetime(2026, 3, 6, 14, 30, tz="UTC"))).holds
    assert morning.evaluate(facts(at=pendulum.datetime(2026, 3, 9, 13, 30, tz="UTC"))).holds
    assert not morning.evaluate(facts(at=pendulum.datetime(2026, 3, 9, 14, 30, tz="UTC"))).holds


# -- combinators ----------------------------------------------------------------------------


def test_combinators_keep_every_child_outcome() -> None:
    when = AllOf(CategoryIn(Category.WATER_LEAK), LocationIn(Location.IN_HOME))
    outcome = when.evaluate(facts(category=Category.NOISE, location=Location.IN_HOME))
    assert not outcome.holds
    assert [child.holds for child in outcome.children] == [False, True]
    assert outcome.evidence is None


def test_operators_build_combinators() -> None:
    a, b = CategoryIn(Category.PET), LocationIn(Location.GROUNDS)
    assert (a & b) == AllOf(a, b)
    assert (a | b) == AnyOf(a, b)
    assert ~a == Not(a)


def test_describe_in_both_languages() -> None:
    night = TimeOfDay(datetime.time(22), datetime.time(6), zone=SHANGHAI)
    when = (CategoryIn(Category.NOISE) & night) | Keywords("吵")
    assert when.describe("en_US") == (
        "(category is noise and received 22:00–06:00 (Asia/Shanghai)) or description mentions “吵”"
    )
    assert when.describe("zh_CN") == (
        "(类别为噪音，且受理时间在22:00–06:00（Asia/Shanghai）)，或描述含“吵”之一"
    )
    assert Not(Always()).describe("en_US") == "not (any request)"
    assert CategoryIn(Category.PET, Category.NOISE).describe("en_US") == (
        "category is one of noise, pet"
    )


@pytest.mark.parametrize(
    ("predicate", "zh", "en"),
    [
        (Always(), "任何请求", "any request"),
        (CategoryIn(Category.PET), "类别为宠物", "category is pet"),
        (
            CategoryIn(Category.PET, Category.NOISE),
            "类别为噪音、宠物之一",
            "category is one of noise, pet",
        ),
        (LocationIn(Location.ROOF), "位置为屋面", "location is roof"),
        (
            LocationIn(Location.ROOF, Location.GARAGE),
            "位置为车库、屋面之一",
            "location is one of garage, roof",
        ),
        (RequesterHas(RequesterAttribute.PREGNANT), "报修人为孕妇", "requester is pregnant"),
        (
            RequesterHas(RequesterAttribute.PREGNANT, RequesterAttribute.ELDERLY),
            "报修人为老人、孕妇之一",
            "requester is one of elderly, pregnant",
        ),
        (
            Keywords("漏水", "leak"),
            "描述含“漏水”、“leak”之一",
            "description mentions “漏水”, “leak”",
        ),
        (
            TimeOfDay(datetime.time(18), datetime.time(6), zone=SHANGHAI),
            "受理时间在18:00–06:00（Asia/Shanghai）",
            "received 18:00–06:00 (Asia/Shanghai)",
        ),
        (
            AllOf(Always(), Always(), Always()),
            "任何请求，且任何请求，且任何请求",
            "any request and any request and any request",
        ),
        (AnyOf(Always(), Always()), "任何请求，或任何请求", "any request or any request"),
        (Not(CategoryIn(Category.PET)), "并非（类别为宠物）", "not (category is pet)"),
    ],
)
def test_each_predicate_describes_itself_in_each_locale(
    predicate: Predicate, zh: str, en: str
) -> None:
    assert predicate.describe("zh_CN") == zh
    assert predicate.describe() == zh  # zh_CN is the default
    assert predicate.describe("en-US") == en


@pytest.mark.parametrize("locale", ["fr_FR", "zh", "zh_TW", "en"])
def test_describe_refuses_an_unsupported_locale(locale: str) -> None:
    for predicate in (Always(), Keywords("x"), Not(CategoryIn(Category.PET))):
        with pytest.raises(UnsupportedLocale, match="'zh_CN' and 'en_US'"):
            predicate.describe(locale)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (CategoryIn, "at least one Category"),
        (lambda: CategoryIn("noise"), "is not a Category"),  # type: ignore[arg-type]
        (lambda: LocationIn(Category.NOISE), "is not a Location"),  # type: ignore[arg-type]
        (RequesterHas, "at least one RequesterAttribute"),
        (Keywords, "at least one keyword"),
        (lambda: Keywords(" "), "non-empty str"),
        (lambda: Keywords("Gas", "gas"), "listed twice"),
        (AllOf, "at least one predicate"),
        (lambda: AnyOf("category == 'gas'"), "never strings"),  # type: ignore[arg-type]
        (lambda: Not("x"), "never strings"),  # type: ignore[arg-type]
        (lambda: TimeOfDay(datetime.time(8), datetime.time(8), zone=SHANGHAI), "is empty"),
        (lambda: TimeOfDay("22:00", datetime.time(6), zone=SHANGHAI), "naive datetime.time"),  # type: ignore[arg-type]
        (
            lambda: TimeOfDay(
                datetime.time(22, tzinfo=datetime.UTC), datetime.time(6), zone=SHANGHAI
            ),
            "naive datetime.time",
        ),
    ],
)
def test_malformed_predicates_are_refused(build: Callable[[], object], message: str) -> None:
    # The wrong types above are deliberate: the validators must refuse what mypy would.
    with pytest.raises(InvalidRule, match=message):
        build()


def test_time_of_day_needs_an_iana_zone() -> None:
    with pytest.raises(UnknownTimeZone):
        TimeOfDay(datetime.time(22), datetime.time(6), zone="Beijing")


def test_every_shipped_predicate_satisfies_the_protocol() -> None:
    for predicate in (
        Always(),
        CategoryIn(Category.PET),
        LocationIn(Location.ROOF),
        Keywords("x"),
        RequesterHas(RequesterAttribute.VIP),
        TimeOfDay(datetime.time(1), datetime.time(2), zone="UTC"),
        AllOf(Always()),
        AnyOf(Always()),
        Not(Always()),
    ):
        assert isinstance(predicate, Predicate)


# -- properties -----------------------------------------------------------------------------


@given(predicates(), request_facts())
def test_not_inverts(p: Predicate, f: RequestFacts) -> None:
    assert Not(p).evaluate(f).holds is not p.evaluate(f).holds
    assert Not(Not(p)).evaluate(f).holds is p.evaluate(f).holds


@given(st.lists(predicates(max_leaves=3), min_size=1, max_size=4), request_facts())
def test_all_and_any_agree_with_their_children(ps: list[Predicate], f: RequestFacts) -> None:
    results = [p.evaluate(f).holds for p in ps]
    assert AllOf(*ps).evaluate(f).holds is all(results)
    assert AnyOf(*ps).evaluate(f).holds is any(results)


@given(predicates(max_leaves=3), predicates(max_leaves=3), request_facts())
def test_de_morgan_commutativity_and_identity(p: Predicate, q: Predicate, f: RequestFacts) -> None:
    def holds(predicate: Predicate) -> bool:
        return predicate.evaluate(f).holds

    assert holds(Not(AllOf(p, q))) is holds(AnyOf(Not(p), Not(q)))
    assert holds(Not(AnyOf(p, q))) is holds(AllOf(Not(p), Not(q)))
    assert holds(AllOf(p, q)) is holds(AllOf(q, p))
    assert holds(AnyOf(p, q)) is holds(AnyOf(q, p))
    assert holds(AllOf(p, Always())) is holds(p)
    assert holds(AnyOf(p, Not(Always()))) is holds(p)
    assert holds(AllOf(p, p)) is holds(p)
    assert holds(AnyOf(p, Not(p)))


@given(
    predicates(max_leaves=3), predicates(max_leaves=3), predicates(max_leaves=3), request_facts()
)
def test_associativity_and_distribution(
    p: Predicate, q: Predicate, r: Predicate, f: RequestFacts
) -> None:
    def holds(predicate: Predicate) -> bool:
        return predicate.evaluate(f).holds

    assert holds(AllOf(AllOf(p, q), r)) is holds(AllOf(p, AllOf(q, r))) is holds(AllOf(p, q, r))
    assert holds(AnyOf(AnyOf(p, q), r)) is holds(AnyOf(p, AnyOf(q, r))) is holds(AnyOf(p, q, r))
    assert holds(AllOf(p, AnyOf(q, r))) is holds(AnyOf(AllOf(p, q), AllOf(p, r)))


@given(predicates(), request_facts())
def test_evaluation_is_deterministic(p: Predicate, f: RequestFacts) -> None:
    assert p.evaluate(f) == p.evaluate(f)


@given(time_of_day_predicates(), request_facts())
def test_a_window_and_its_complement_partition_the_day(window: TimeOfDay, f: RequestFacts) -> None:
    complement = TimeOfDay(window.end, window.start, zone=window.zone)
    assert window.evaluate(f).holds is not complement.evaluate(f).holds


@given(
    st.sampled_from(["漏水", "gas", "trapped", "着火"]), st.text(max_size=10), st.text(max_size=10)
)
def test_a_keyword_standing_alone_in_any_text_is_found(word: str, before: str, after: str) -> None:
    text = f"{before} {word.upper()} {after}"
    assert Keywords(word).evaluate(facts(text)).holds
