"""Tests for sla._priorities: the brief's three levels and ordered, extensible scales."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propcrm.classification import (
    DEFAULT_PRIORITIES,
    EXTRA_URGENT,
    GENERAL,
    URGENT,
    Priority,
    PriorityScale,
)
from propcrm.errors import InvalidPriority, UnknownPriority, UnsupportedLocale
from propcrm.testing._classification_strategies import priorities, priority_scales

SCHEDULED = Priority("P4", "预约", "scheduled", 4)


# -- the brief's levels (§3) ----------------------------------------------------------------


def test_the_three_levels_of_the_brief() -> None:
    assert (EXTRA_URGENT.code, EXTRA_URGENT.name_zh, EXTRA_URGENT.name_en, EXTRA_URGENT.rank) == (
        "P1",
        "特急",
        "extra-urgent",
        1,
    )
    assert (URGENT.code, URGENT.name_zh, URGENT.name_en, URGENT.rank) == ("P2", "急", "urgent", 2)
    assert (GENERAL.code, GENERAL.name_zh, GENERAL.name_en, GENERAL.rank) == (
        "P3",
        "一般",
        "general",
        3,
    )
    assert list(DEFAULT_PRIORITIES) == [EXTRA_URGENT, URGENT, GENERAL]
    assert DEFAULT_PRIORITIES.name == "default"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("zh_CN", "特急"),
        ("zh-cn", "特急"),
        ("en_US", "extra-urgent"),
        ("en-US", "extra-urgent"),
    ],
)
def test_name_follows_the_locale(locale: str, expected: str) -> None:
    assert EXTRA_URGENT.name(locale) == expected


def test_default_locale_is_chinese() -> None:
    assert URGENT.name() == "急"


# zh_TW and a bare "zh" were Chinese and fr_FR English before: a locale propcrm has no catalog
# for is refused now rather than guessed at (docs/i18n.md).
@pytest.mark.parametrize("locale", ["xx_YY", "zh_TW", "zh", "fr_FR", "en"])
def test_an_unsupported_locale_is_refused(locale: str) -> None:
    with pytest.raises(UnsupportedLocale, match="'zh_CN' and 'en_US'"):
        URGENT.name(locale)


def test_levels_order_by_rank_most_urgent_first() -> None:
    assert EXTRA_URGENT < URGENT < GENERAL
    same = Priority("P2", "急", "urgent", 2)
    assert GENERAL > URGENT >= same
    assert same <= URGENT
    assert sorted([GENERAL, EXTRA_URGENT, URGENT]) == [EXTRA_URGENT, URGENT, GENERAL]
    assert min(DEFAULT_PRIORITIES) is EXTRA_URGENT
    assert URGENT.more_urgent_than(GENERAL)
    assert not GENERAL.more_urgent_than(URGENT)


def test_comparison_with_other_types_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        _ = URGENT < 2


def test_str_shows_code_and_both_names() -> None:
    assert str(URGENT) == "P2 急 (urgent)"


def test_priorities_are_frozen_values() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        URGENT.rank = 5  # type: ignore[misc]  # the point of the test
    assert Priority("P2", "急", "urgent", 2) == URGENT
    assert hash(Priority("P2", "急", "urgent", 2)) == hash(URGENT)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"code": "P 1"}, "no spaces"),
        ({"code": ""}, "non-empty"),
        ({"code": "-P"}, "starting with a letter or digit"),
        ({"code": 1}, "must be a non-empty str"),
        ({"name_zh": " "}, "name_zh"),
        ({"name_en": ""}, "name_en"),
        ({"rank": 0}, ">= 1"),
        ({"rank": True}, "must be an int"),
        ({"rank": 1.0}, "must be an int"),
    ],
)
def test_invalid_priorities_are_refused(kwargs: dict[str, object], message: str) -> None:
    values: dict[str, object] = {"code": "P1", "name_zh": "特急", "name_en": "x", "rank": 1}
    values.update(kwargs)
    with pytest.raises(InvalidPriority, match=message):
        Priority(**values)  # type: ignore[arg-type]  # deliberately wrong types


# -- scales ---------------------------------------------------------------------------------


def test_lookup_by_code() -> None:
    assert DEFAULT_PRIORITIES["P1"] is EXTRA_URGENT
    assert "P2" in DEFAULT_PRIORITIES
    assert URGENT in DEFAULT_PRIORITIES
    assert SCHEDULED not in DEFAULT_PRIORITIES
    assert "P4" not in DEFAULT_PRIORITIES
    assert len(DEFAULT_PRIORITIES) == 3
    assert DEFAULT_PRIORITIES.codes == ("P1", "P2", "P3")
    assert DEFAULT_PRIORITIES.most_urgent is EXTRA_URGENT
    assert DEFAULT_PRIORITIES.least_urgent is GENERAL


def test_unknown_code_names_the_known_ones() -> None:
    with pytest.raises(UnknownPriority, match="'P9' in scale 'default'; the codes are P1, P2, P3"):
        DEFAULT_PRIORITIES["P9"]
    with pytest.raises(LookupError):
        DEFAULT_PRIORITIES["P9"]


def test_a_community_adds_a_level() -> None:
    scale = DEFAULT_PRIORITIES.with_level(SCHEDULED)
    assert scale.codes == ("P1", "P2", "P3", "P4")
    assert scale["P4"] is SCHEDULED
    assert DEFAULT_PRIORITIES.codes == ("P1", "P2", "P3")  # unchanged


def test_a_level_between_existing_ones_sorts_into_place() -> None:
    gaps = PriorityScale([Priority("A", "甲", "a", 10), Priority("C", "丙", "c", 30)])
    scale = gaps.with_level(Priority("B", "乙", "b", 20))
    assert scale.codes == ("A", "B", "C")


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ([], "at least one level"),
        ([URGENT, Priority("P2", "急", "urgent", 7)], "two levels with code 'P2'"),
        ([URGENT, Priority("X", "急", "urgent", 2)], r"two levels with rank 2 \(P2, X\)"),
        (["P1"], "holds Priority values"),
    ],
)
def test_invalid_scales_are_refused(levels: list[Priority], message: str) -> None:
    with pytest.raises(InvalidPriority, match=message):
        PriorityScale(levels)


def test_raise_and_lower_step_by_position_and_stop_at_the_ends() -> None:
    assert DEFAULT_PRIORITIES.raised(GENERAL) is URGENT
    assert DEFAULT_PRIORITIES.raised(GENERAL, 2) is EXTRA_URGENT
    assert DEFAULT_PRIORITIES.raised(EXTRA_URGENT) is EXTRA_URGENT
    assert DEFAULT_PRIORITIES.lowered(EXTRA_URGENT) is URGENT
    assert DEFAULT_PRIORITIES.lowered(GENERAL, 5) is GENERAL
    assert DEFAULT_PRIORITIES.raised(URGENT, 0) is URGENT
    gaps = PriorityScale([Priority("A", "甲", "a", 1), Priority("E", "戊", "e", 5)])
    assert gaps.raised(gaps["E"]).code == "A"


def test_raise_refuses_a_foreign_level_and_negative_steps() -> None:
    with pytest.raises(UnknownPriority, match="not a level of scale 'default'"):
        DEFAULT_PRIORITIES.raised(SCHEDULED)
    with pytest.raises(InvalidPriority, match="steps -1"):
        DEFAULT_PRIORITIES.raised(URGENT, -1)


# -- properties -----------------------------------------------------------------------------


@given(priority_scales())
def test_scales_are_sorted_by_rank_with_unique_codes(scale: PriorityScale) -> None:
    ranks = [level.rank for level in scale]
    assert ranks == sorted(set(ranks))
    assert len(set(scale.codes)) == len(scale)
    for level in scale:
        assert scale[level.code] is level


@given(priority_scales(), st.data())
def test_ordering_is_total_and_agrees_with_rank(scale: PriorityScale, data: st.DataObject) -> None:
    a = data.draw(priorities(scale=scale))
    b = data.draw(priorities(scale=scale))
    assert (a < b) + (a == b) + (a > b) == 1
    assert (a < b) == (a.rank < b.rank) == a.more_urgent_than(b)
    assert (a <= b) == (a.rank <= b.rank)


@given(priority_scales(), st.data(), st.integers(min_value=0, max_value=6))
def test_raising_never_lowers_and_lowering_never_raises(
    scale: PriorityScale, data: st.DataObject, steps: int
) -> None:
    level = data.draw(priorities(scale=scale))
    assert scale.raised(level, steps) <= level
    assert scale.lowered(level, steps) >= level
    assert scale.raised(level, steps) in scale
    expected = max(0, scale.position(level) - steps)
    assert scale.position(scale.raised(level, steps)) == expected


@given(priority_scales())
def test_input_order_does_not_matter(scale: PriorityScale) -> None:
    assert PriorityScale(reversed(scale.levels), name=scale.name) == scale
