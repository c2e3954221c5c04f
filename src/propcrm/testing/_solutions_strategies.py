"""Hypothesis strategies for the solution base: entries and bases with versions and retirements.

Each is a plural noun with keyword-only bounds and shrinks towards the simplest value: one draft
entry of the first category, written at 2026-11-24 10:00 in Shanghai, with no parts.

>>> from hypothesis import given, settings
>>> @settings(max_examples=20, database=None)
... @given(solution_bases())
... def test_serving_versions_are_approved(base):
...     assert all(e.approval is not None for e in base.in_service())
>>> test_serving_versions_are_approved()
"""

from __future__ import annotations

import pendulum
from hypothesis import strategies as st

from propcrm._property_types import PropertyType
from propcrm.classification import Category
from propcrm.solutions import SolutionBase, SolutionEntry

__all__ = ["solution_bases", "solution_entries"]

_WRITTEN = pendulum.datetime(2026, 11, 24, 10, 0, tz="Asia/Shanghai")

_PROBLEMS = [
    "卫生间地漏反味",
    "厨房水管漏水",
    "电梯门关不上",
    "楼道灯不亮",
    "water leak in kitchen",
]
_CAUSES = ["存水弯干涸", "角阀老化", "光幕脏污", "声控开关损坏", "worn valve seal"]
_FIXES = ["往地漏注水", "更换角阀", "清洁光幕", "更换声控开关", "replaced the angle valve"]
_PARTS = ["防臭地漏芯", "角阀", "密封圈", "LED灯泡"]


def solution_entries(
    *, entry_id: str | st.SearchStrategy[str] = "KB-1"
) -> st.SearchStrategy[SolutionEntry]:
    """Version-1 draft entries with realistic text in Chinese or English."""
    ids = entry_id if isinstance(entry_id, st.SearchStrategy) else st.just(entry_id)
    return st.builds(
        SolutionEntry,
        entry_id=ids,
        problem=st.sampled_from(_PROBLEMS),
        cause=st.sampled_from(_CAUSES),
        fix=st.sampled_from(_FIXES),
        category=st.sampled_from(Category),
        unit_type=st.none() | st.sampled_from(PropertyType),
        parts=st.lists(st.sampled_from(_PARTS), max_size=2, unique=True).map(tuple),
        author=st.just("S-07"),
        written_at=st.integers(0, 30).map(lambda days: _WRITTEN.add(days=days)),
    )


def solution_bases(*, max_entries: int = 4) -> st.SearchStrategy[SolutionBase]:
    """Bases grown through their own operations: added, approved, revised, retired entries."""

    @st.composite
    def build(draw: st.DrawFn) -> SolutionBase:
        count = draw(st.integers(1, max_entries))
        base = SolutionBase()
        for n in range(1, count + 1):
            entry = draw(solution_entries(entry_id=f"KB-{n}"))
            base = base.add(entry)
            at = entry.written_at
            for step in draw(st.lists(st.sampled_from(["approve", "revise"]), max_size=3)):
                at = at.add(hours=1)
                latest = base.latest(entry.entry_id)
                if step == "approve" and latest.approval is None:
                    base = base.approve(entry.entry_id, latest.version, approver="S-01", at=at)
                elif step == "revise":
                    base = base.revise(
                        entry.entry_id, author="S-08", at=at, fix=draw(st.sampled_from(_FIXES))
                    )
            if draw(st.booleans()):
                base = base.retire(entry.entry_id, by="S-01", at=at.add(hours=1), reason="过时")
        return base

    return build()
