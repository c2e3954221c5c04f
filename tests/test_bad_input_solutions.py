"""Bad input to every public entry point of propcrm.solutions is refused with a library error.

Issue 18's rule for the issue-16 solution base: each argument of each entry point in
``propcrm.solutions.__all__`` is fed the malformed values of its kind (:mod:`tests.bad_input`)
and :func:`assert_refused` checks that only a :class:`~propcrm.errors.PropcrmError` with its
context comes out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from tests.bad_input import (
    assert_refused,
    bad_counts,
    bad_ids,
    bad_instants,
    bad_locales,
    bad_number_text,
    bad_text,
    wrong_types,
)
from tests.solution_fixtures import AT, ENTRIES

from propcrm.classification import Category
from propcrm.solutions import (
    BigramSegmenter,
    JiebaSegmenter,
    Retirement,
    SearchPolicy,
    SolutionApproval,
    SolutionBase,
    SolutionEntry,
    SolutionIndex,
    default_segmenter,
    entry_from_request,
    suggest,
)

FEW = settings(max_examples=8, deadline=None)
BASE = SolutionBase(ENTRIES)
INDEX = SolutionIndex.build(ENTRIES, segmenter=BigramSegmenter())
MATCH = INDEX.search("漏水")[0]


def entry(**changes: Any) -> SolutionEntry:
    values: dict[str, Any] = {
        "entry_id": "KB-1",
        "problem": "地漏反味",
        "cause": "存水弯干涸",
        "fix": "注水",
        "category": Category.BLOCKED_DRAIN,
        "author": "S-07",
        "written_at": AT,
    }
    values.update(changes)
    return SolutionEntry(**values)


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: entry(entry_id=bad),
        lambda bad: entry(author=bad),
        lambda bad: entry(source_request=bad) if bad is not None else entry(source_request=""),
        lambda bad: SolutionApproval(bad, AT),
        lambda bad: Retirement("KB-1", bad, AT, "过时"),
        lambda bad: Retirement("KB-1", "S-1", AT, "过时", replaced_by=bad or 7),
        BASE.history,
        BASE.latest,
        lambda bad: BASE.version(bad, 1),
        lambda bad: BASE.approve("KB-01", 1, approver=bad, at=AT),
        lambda bad: BASE.retire(bad, by="S-01", at=AT, reason="x"),
        lambda bad: BASE.retire("KB-01", by=bad, at=AT, reason="x"),
        lambda bad: BASE.revise(bad, author="S-08", at=AT),
        lambda bad: SolutionBase().add(entry()).revise("KB-1", author=bad, at=AT.add(days=1)),
    ],
)
@FEW
@given(bad=bad_ids)
def test_ids_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: entry(problem=bad),
        lambda bad: entry(cause=bad),
        lambda bad: entry(fix=bad),
        lambda bad: entry(parts=[bad]),
        lambda bad: entry(keywords=[bad]),
        lambda bad: Retirement("KB-1", "S-1", AT, bad),
        lambda bad: BASE.retire("KB-01", by="S-01", at=AT.add(days=1), reason=bad),
        INDEX.search,
        BigramSegmenter().terms,
        JiebaSegmenter().terms,
    ],
)
@FEW
@given(bad=bad_text)
def test_text_is_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: entry(written_at=bad),
        lambda bad: SolutionApproval("S-01", bad),
        lambda bad: Retirement("KB-1", "S-1", bad, "过时"),
        lambda bad: BASE.approve("KB-01", 1, approver="S-02", at=bad),
        lambda bad: SolutionBase().add(entry()).revise("KB-1", author="S-8", at=bad),
        lambda bad: BASE.retire("KB-01", by="S-01", at=bad, reason="x"),
        lambda bad: entry_from_request(None, entry_id="K", cause="x", author="S", at=bad),  # type: ignore[arg-type]
    ],
)
@FEW
@given(bad=bad_instants)
def test_instants_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: entry(version=bad),
        lambda bad: BASE.version("KB-01", bad),
        lambda bad: INDEX.search("漏水", limit=bad),
        lambda bad: SearchPolicy(problem_weight=bad),
    ],
)
@FEW
@given(bad=bad_counts)
def test_counts_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: SearchPolicy(k1=bad),
        lambda bad: SearchPolicy(b=bad),
        lambda bad: SearchPolicy(category_boost=bad),
        lambda bad: SearchPolicy(min_score=bad),
    ],
)
@FEW
@given(bad=wrong_types | bad_number_text)
def test_policy_numbers_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize("field", ["k1", "b", "category_boost", "min_score"])
def test_policy_numbers_out_of_range_are_refused(field: str) -> None:
    assert assert_refused(lambda: SearchPolicy(**{field: "-1"})).field == field


# None is a valid "not given" for the optional arguments; it is tested where it is not.
NOT_NONE = wrong_types.filter(lambda value: value is not None)


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: entry(category=bad),
        lambda bad: entry(unit_type=bad),
        lambda bad: entry(approval=bad),
        lambda bad: entry(retired=bad),
        lambda bad: entry(parts=bad if not isinstance(bad, tuple | list | set) else "x"),
        lambda bad: SolutionBase(bad) if bad not in ((), []) else SolutionBase("x"),
        lambda bad: SolutionBase().add(bad),
        lambda bad: entry_from_request(bad, entry_id="K", cause="x", author="S", at=AT),
        lambda bad: SolutionIndex.build(bad if bad not in ((), []) else "x"),
        lambda bad: SolutionIndex.build(ENTRIES, segmenter=bad),
        lambda bad: SolutionIndex.build(ENTRIES, policy=bad),
        lambda bad: INDEX.search("漏水", category=bad),
        lambda bad: INDEX.search("漏水", unit_type=bad),
        lambda bad: suggest(bad, INDEX),
        lambda bad: suggest(bad, bad),
    ],
)
@FEW
@given(bad=NOT_NONE)
def test_wrong_types_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda: SolutionBase().add(None),  # type: ignore[arg-type]
        lambda: SolutionIndex.build(ENTRIES, policy=None),  # type: ignore[arg-type]
        lambda: suggest(None, INDEX),  # type: ignore[arg-type]
        lambda: entry(category=None),
    ],
)
def test_none_is_refused_where_nothing_is_optional(call: Callable[[], object]) -> None:
    assert_refused(call)


def test_revise_refuses_unknown_fields() -> None:
    base = SolutionBase().add(entry())
    assert assert_refused(lambda: base.revise("KB-1", author="S-8", at=AT, colour="red"))


def test_default_segmenter_takes_no_input() -> None:
    """default_segmenter has no arguments to get wrong; it answers with a Segmenter."""
    assert default_segmenter().terms("漏水")


@FEW
@given(bad=bad_locales)
def test_locales_are_refused(bad: object) -> None:
    assert_refused(lambda: MATCH.explain(bad))  # type: ignore[arg-type]
    assert_refused(lambda: MATCH.terms[0].fields[0].label(bad))  # type: ignore[arg-type]
