"""The problem-and-solution base: versions, approval, retirement, ranked search and suggestions."""

from __future__ import annotations

import sys
from collections.abc import Callable

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.solution_fixtures import AT, ENTRIES, LABELLED

from propcrm.billing import PropertyType
from propcrm.classification import Category, Location
from propcrm.complaints import Action, Actor, Intake, IntakeChannel, Request, RequestKind, Role
from propcrm.errors import (
    InvalidSolution,
    MissingExtra,
    SolutionChangeRefused,
    UnknownSolution,
)
from propcrm.solutions import (
    BigramSegmenter,
    EntryStatus,
    JiebaSegmenter,
    MatchField,
    SearchPolicy,
    SolutionBase,
    SolutionEntry,
    SolutionIndex,
    _segmenters,
    default_segmenter,
    entry_from_request,
    suggest,
)
from propcrm.testing.strategies import solution_bases, solution_entries

SEGMENTERS = [BigramSegmenter(), JiebaSegmenter()]
IDS = [s.name for s in SEGMENTERS]
FEW = settings(max_examples=25, deadline=None)


def draft(entry_id: str = "KB-1", **changes: object) -> SolutionEntry:
    values: dict[str, object] = {
        "entry_id": entry_id,
        "problem": "卫生间地漏反味",
        "cause": "存水弯干涸",
        "fix": "往地漏注水",
        "category": Category.BLOCKED_DRAIN,
        "author": "S-07",
        "written_at": AT,
    }
    values.update(changes)
    return SolutionEntry(**values)  # type: ignore[arg-type]


# -- versions, approval, retirement ----------------------------------------------------------


def test_a_new_entry_is_a_draft_and_not_in_service() -> None:
    """A draft is kept but never suggested: an unchecked fix is not the desk's word."""
    base = SolutionBase().add(draft())
    assert base.latest("KB-1").status is EntryStatus.DRAFT
    assert base.in_service() == ()


def test_the_author_may_not_approve_their_own_entry() -> None:
    """Approval is a second person's word that the fix works."""
    base = SolutionBase().add(draft())
    with pytest.raises(SolutionChangeRefused, match="may not approve") as raised:
        base.approve("KB-1", 1, approver="S-07", at=AT.add(hours=1))
    assert raised.value.field == "approver"


def test_a_revision_waits_for_approval_while_the_old_version_serves() -> None:
    """Revising never leaves the desk without an answer."""
    base = SolutionBase().add(draft()).approve("KB-1", 1, approver="S-01", at=AT.add(hours=1))
    base = base.revise("KB-1", author="S-09", at=AT.add(days=2), fix="加装防臭地漏芯")
    assert [e.version for e in base.in_service()] == [1]
    base = base.approve("KB-1", 2, approver="S-01", at=AT.add(days=3))
    (serving,) = base.in_service()
    assert (serving.version, serving.fix, serving.author) == (2, "加装防臭地漏芯", "S-09")
    assert [e.status for e in base.history("KB-1")] == [EntryStatus.APPROVED] * 2


def test_retiring_keeps_every_version_and_takes_the_entry_out_of_service() -> None:
    """Retired, never deleted: the history stays for audits."""
    base = SolutionBase().add(draft()).approve("KB-1", 1, approver="S-01", at=AT.add(hours=1))
    base = base.revise("KB-1", author="S-07", at=AT.add(days=1), cause="下水管倒坡")
    retired = base.retire("KB-1", by="S-01", at=AT.add(days=5), reason="改用新型地漏，方法过时")
    assert len(retired.history("KB-1")) == 2
    assert all(e.status is EntryStatus.RETIRED for e in retired.history("KB-1"))
    assert retired.in_service() == ()
    with pytest.raises(SolutionChangeRefused, match="retired"):
        retired.revise("KB-1", author="S-07", at=AT.add(days=6), fix="x")


def test_revise_refuses_fields_the_base_sets_itself() -> None:
    """Version, author and approval are the base's, not the caller's."""
    base = SolutionBase().add(draft())
    with pytest.raises(InvalidSolution, match="cannot change approval"):
        base.revise("KB-1", author="S-07", at=AT, approval=None)


def test_a_base_refuses_gaps_in_versions() -> None:
    """Versions run 1, 2, 3: a gap would mean a version was deleted."""
    with pytest.raises(InvalidSolution, match="without gaps"):
        SolutionBase([draft(), draft(version=3)])


def test_unknown_entries_and_versions_are_lookup_errors() -> None:
    base = SolutionBase().add(draft())
    with pytest.raises(UnknownSolution):
        base.history("KB-9")
    with pytest.raises(UnknownSolution, match="no version 2"):
        base.version("KB-1", 2)


@FEW
@given(base=solution_bases())
def test_in_service_is_at_most_one_approved_unretired_version_per_entry(
    base: SolutionBase,
) -> None:
    """Property: search sees one version an entry, the newest approved, never a retired one."""
    serving = base.in_service()
    assert len({e.entry_id for e in serving}) == len(serving)
    for entry in serving:
        assert entry.status is EntryStatus.APPROVED
        newer = [e for e in base.history(entry.entry_id) if e.version > entry.version]
        assert all(e.approval is None for e in newer)


@FEW
@given(entry=solution_entries())
def test_revising_adds_a_version_and_keeps_the_old(entry: SolutionEntry) -> None:
    """Property: a revision never changes what was there."""
    base = SolutionBase().add(entry)
    revised = base.revise(
        entry.entry_id, author="S-99", at=entry.written_at.add(days=1), fix="重新处理"
    )
    assert revised.history(entry.entry_id)[0] == entry
    assert revised.latest(entry.entry_id).version == 2


# -- from a resolved request -----------------------------------------------------------------

AGENT, PLUMBER = Actor("KF-01", Role.AGENT), Actor("W-07", Role.HANDLER)


def leak_request(*, resolve: bool = True) -> Request:
    night = pendulum.datetime(2026, 11, 24, 23, 40, tz="Asia/Shanghai")
    request = Request.receive(
        Intake(
            request_id="R-0001",
            kind=RequestKind.REPAIR,
            requester="P-301",
            unit="1-2-0301",
            channel=IntakeChannel.HOTLINE,
            category=Category.WATER_LEAK,
            location=Location.IN_HOME,
            description="厨房水管漏水，水流不止",
        ),
        AGENT,
        night,
    )
    request = request.take(Action.ACKNOWLEDGE, AGENT, night.add(minutes=1))
    request = request.take(Action.ASSESS, AGENT, night.add(minutes=2))
    request = request.take(Action.DISPATCH, AGENT, night.add(minutes=3), assignee="W-07")
    request = request.take(Action.START, PLUMBER, night.add(minutes=9))
    if resolve:
        request = request.take(Action.RESOLVE, PLUMBER, night.add(minutes=50), note="更换角阀")
    return request


def test_a_resolved_request_becomes_a_draft_entry() -> None:
    """The problem, category and fix come from the request; the cause is the author's."""
    entry = entry_from_request(
        leak_request(), entry_id="KB-100", cause="角阀老化", author="W-07", at=AT.add(days=1)
    )
    assert (entry.problem, entry.fix, entry.category, entry.source_request) == (
        "厨房水管漏水，水流不止",
        "更换角阀",
        Category.WATER_LEAK,
        "R-0001",
    )
    assert entry.status is EntryStatus.DRAFT


def test_an_unresolved_request_is_no_solution() -> None:
    """有解必答: only what was solved is a solution."""
    with pytest.raises(SolutionChangeRefused, match="in_progress"):
        entry_from_request(
            leak_request(resolve=False), entry_id="KB-100", cause="x", author="W-07", at=AT
        )


# -- segmenters ------------------------------------------------------------------------------


def test_bigrams_cover_every_two_character_word() -> None:
    """Without the extra, every pair of neighbouring characters is a term."""
    assert BigramSegmenter().terms("楼道灯不亮") == ("楼道", "道灯", "灯不", "不亮")


def test_jieba_finds_words_and_the_words_inside_them() -> None:
    """Search mode keeps the short words inside a long one (天花板 → 天花, 天花板)."""
    terms = JiebaSegmenter().terms("卫生间天花板漏水")
    assert {"卫生间", "天花板", "天花", "漏水"} <= set(terms)


def test_english_is_lower_cased_and_plurals_folded() -> None:
    """Leaks and leak are one term; function words go."""
    assert BigramSegmenter().terms("The Pipes are LEAKING") == ("pipe", "leaking")
    assert JiebaSegmenter().terms("Ｌｉｆｔ doors") == ("lift", "door")


def test_without_the_extra_the_default_is_bigrams(monkeypatch: pytest.MonkeyPatch) -> None:
    """The core works without rjieba, and says how to get the segmenter."""
    monkeypatch.setattr(_segmenters, "_rjieba", lambda: None)
    assert default_segmenter() == BigramSegmenter()
    with pytest.raises(MissingExtra, match=r"propcrm\[search\]"):
        JiebaSegmenter()


def test_with_the_extra_the_default_is_jieba() -> None:
    assert default_segmenter().name == "jieba"


@FEW
@given(text=st.text(min_size=1, max_size=40).filter(str.strip))
def test_segmenters_give_terms_without_spaces(text: str) -> None:
    """Property: any text gives terms (maybe none), each non-empty, none with a space."""
    for segmenter in SEGMENTERS:
        for term in segmenter.terms(text):
            assert term
            assert not any(c.isspace() for c in term)


# -- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize("segmenter", SEGMENTERS, ids=IDS)
def test_search_explains_each_match(segmenter: object) -> None:
    """A match says which terms matched in which fields, and whether the category agreed."""
    index = SolutionIndex.build(ENTRIES, segmenter=segmenter)  # type: ignore[arg-type]
    best = index.search("厨房水管漏水", category=Category.WATER_LEAK)[0]
    assert best.entry.entry_id == "KB-03"
    assert best.same_category
    assert "漏水" in {t.term for t in best.terms}
    found = {t.term: t.fields for t in best.terms}
    assert MatchField.PROBLEM in found["漏水"]
    assert sum(t.score for t in best.terms) == pytest.approx(best.score, abs=1e-3)
    assert "KB-03@1" in best.explain("en_US")
    assert "同一类别" in best.explain("zh_CN")


def test_the_category_breaks_a_tie_in_words() -> None:
    """Two entries with the same words: the one of the request's category comes first."""
    one = draft("KB-1", category=Category.WATER_LEAK)
    two = draft("KB-2", category=Category.ROOF_LEAK)
    index = SolutionIndex.build([one, two], segmenter=BigramSegmenter())
    assert [m.entry.entry_id for m in index.search("地漏反味")] == ["KB-1", "KB-2"]
    ranked = index.search("地漏反味", category=Category.ROOF_LEAK)
    assert [m.entry.entry_id for m in ranked] == ["KB-2", "KB-1"]


def test_a_category_alone_is_no_match() -> None:
    index = SolutionIndex.build(ENTRIES, segmenter=BigramSegmenter())
    assert index.search("zzzz", category=Category.WATER_LEAK) == ()


def test_search_sees_only_entries_in_service() -> None:
    """Drafts and retired entries are kept but never found."""
    base = SolutionBase().add(draft("KB-1")).add(draft("KB-2"))
    base = base.approve("KB-2", 1, approver="S-01", at=AT.add(hours=1))
    index = SolutionIndex.build(base, segmenter=BigramSegmenter())
    assert [m.entry.entry_id for m in index.search("地漏")] == ["KB-2"]
    base = base.retire("KB-2", by="S-01", at=AT.add(days=1), reason="过时")
    assert SolutionIndex.build(base, segmenter=BigramSegmenter()).search("地漏") == ()


@FEW
@given(
    query=st.sampled_from([q for q, _, _ in LABELLED]),
    limit=st.integers(1, 10),
    category=st.none() | st.sampled_from(Category),
)
def test_ranking_is_ordered_and_limited(query: str, limit: int, category: Category) -> None:
    """Property: best first, at most ``limit``, each match sharing a term with the query."""
    for segmenter in SEGMENTERS:
        index = SolutionIndex.build(ENTRIES, segmenter=segmenter)
        found = index.search(query, category=category, limit=limit)
        assert len(found) <= limit
        assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
        assert all(m.terms and m.score > 0 for m in found)
        assert all(m.same_category == (m.entry.category is category) for m in found)


def test_min_score_leaves_weak_matches_out() -> None:
    strict = SearchPolicy(min_score="100")
    index = SolutionIndex.build(ENTRIES, segmenter=BigramSegmenter(), policy=strict)
    assert index.search("厨房水管漏水") == ()


def test_suggest_reads_the_intake() -> None:
    """On intake the desk sees the best entries for the description and category."""
    intake = leak_request().intake
    index = SolutionIndex.build(ENTRIES)
    suggestions = suggest(intake, index, limit=2, unit_type=PropertyType.RESIDENTIAL)
    assert suggestions[0].entry.entry_id == "KB-03"
    assert suggestions[0].same_unit_type
    silent = attrs.evolve(intake, description="")
    assert suggest(silent, index) == ()


# -- recall on the labelled set ---------------------------------------------------------------


def recall(segmenter: object, k: int, *, with_category: bool = True) -> float:
    index = SolutionIndex.build(ENTRIES, segmenter=segmenter)  # type: ignore[arg-type]
    hits = 0
    for query, category, expected in LABELLED:
        hint = category if with_category else None
        found = [m.entry.entry_id for m in index.search(query, category=hint, limit=k)]
        hits += expected in found
    return hits / len(LABELLED)


@pytest.mark.parametrize(
    ("segmenter", "floor_at_1", "floor_at_3"),
    [(BigramSegmenter(), 0.8, 0.9), (JiebaSegmenter(), 0.8, 0.9)],
    ids=IDS,
)
def test_recall_on_the_labelled_set(
    segmenter: object,
    floor_at_1: float,
    floor_at_3: float,
    capsys: pytest.CaptureFixture[str],
    record_property: Callable[[str, object], None],
) -> None:
    """Recall@1 and @3 of the labelled set, printed for the report and held above a floor.

    With the category the desk chose (as on intake) and without it (a free-text search).
    """
    at_1, at_3 = recall(segmenter, 1), recall(segmenter, 3)
    bare_1 = recall(segmenter, 1, with_category=False)
    bare_3 = recall(segmenter, 3, with_category=False)
    with capsys.disabled():
        name = segmenter.name  # type: ignore[attr-defined]
        report = (
            f"solutions recall ({name}, {len(LABELLED)} queries): with category @1={at_1:.2f} "
            f"@3={at_3:.2f}; text only @1={bare_1:.2f} @3={bare_3:.2f}"
        )
        sys.stdout.write(f"\n{report}\n")
    record_property("recall_at_1", at_1)
    record_property("recall_at_3", at_3)
    record_property("recall_text_only_at_1", bare_1)
    record_property("recall_text_only_at_3", bare_3)
    assert min(at_1, bare_1) >= floor_at_1
    assert min(at_3, bare_3) >= floor_at_3
