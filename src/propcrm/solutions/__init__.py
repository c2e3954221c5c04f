"""The problem-and-solution base (问题及其解决方法的数据库): entries, versions, ranked search.

A resolved request becomes a :class:`SolutionEntry` (:func:`entry_from_request`): the problem,
its cause, the fix, the category, the unit type, the parts, the author and, once a second member
of staff has checked it, the approval. A :class:`SolutionBase` keeps every version of every
entry; entries are revised and retired, never deleted. A :class:`SolutionIndex` ranks the entries
in service for a query in Chinese or English (BM25), and :func:`suggest` gives the desk the best
matches for a request at intake, each with the terms and fields it matched on.

Chinese is cut into words by jieba-rs when ``propcrm[search]`` is installed
(:class:`JiebaSegmenter`), else into character bigrams (:class:`BigramSegmenter`), which needs
nothing; :func:`default_segmenter` picks. Depends on :mod:`propcrm.money`,
:mod:`propcrm.classification` (categories) and :mod:`propcrm.complaints` (requests, intakes).

>>> from propcrm.classification import Category
>>> at = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
>>> def entry(n, problem, fix, category):
...     return SolutionEntry(
...         entry_id=f"KB-{n}",
...         problem=problem,
...         cause="见处理",
...         fix=fix,
...         category=category,
...         author="S-07",
...         written_at=at,
...         approval=SolutionApproval("S-01", at),
...     )
>>> index = SolutionIndex.build(
...     [
...         entry(1, "卫生间地漏反味", "地漏注水，加装防臭芯", Category.BLOCKED_DRAIN),
...         entry(2, "厨房水管漏水", "更换角阀", Category.WATER_LEAK),
...     ],
...     segmenter=BigramSegmenter(),
... )
>>> (best,) = index.search("地漏有臭味", category=Category.BLOCKED_DRAIN)
>>> best.entry.key, [t.term for t in best.terms]
('KB-1@1', ['地漏'])
>>> print(best.explain("en_US"))
KB-1@1 (score 1.58): matched “地漏” (problem, fix); same category
>>> print(best.explain())
KB-1@1（得分 1.58）：匹配“地漏”（问题、处理方法）；同一类别
"""

from propcrm.solutions._entries import (
    EntryStatus,
    Retirement,
    SolutionApproval,
    SolutionBase,
    SolutionEntry,
    entry_from_request,
)
from propcrm.solutions._search import (
    DEFAULT_SEARCH_POLICY,
    MatchField,
    SearchPolicy,
    SolutionIndex,
    SolutionMatch,
    TermMatch,
    suggest,
)
from propcrm.solutions._segmenters import (
    BigramSegmenter,
    JiebaSegmenter,
    Segmenter,
    default_segmenter,
)

__all__ = [
    "DEFAULT_SEARCH_POLICY",
    "BigramSegmenter",
    "EntryStatus",
    "JiebaSegmenter",
    "MatchField",
    "Retirement",
    "SearchPolicy",
    "Segmenter",
    "SolutionApproval",
    "SolutionBase",
    "SolutionEntry",
    "SolutionIndex",
    "SolutionMatch",
    "TermMatch",
    "default_segmenter",
    "entry_from_request",
    "suggest",
]


def __dir__() -> list[str]:
    return list(__all__)
