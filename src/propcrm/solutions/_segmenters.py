"""Turning Chinese and English text into search terms: a word segmenter, or character bigrams.

Chinese is written without spaces, so search needs a segmenter to find its words. The maintained
one propcrm uses is **rjieba**, the Python binding of jieba-rs (the Rust port of jieba, with
jieba's dictionary compiled in): ``pip install 'propcrm[search]'``. jieba itself has had no
release since 2020 and warns on import under current setuptools and Python (``pkg_resources``,
invalid escape sequences), which a library that turns warnings into errors in its tests cannot
carry.

Without the extra the core still searches: :class:`BigramSegmenter` cuts every run of Chinese
characters into overlapping character pairs (``卫生间漏水`` → ``卫生 生间 间漏 漏水``), the
standard dictionary-free indexing of CJK text (Lucene's ``CJKAnalyzer`` does the same). It finds
every two-character word a segmenter would, and some pairs that are no word at all; ranking
keeps those from mattering much. :func:`default_segmenter` picks rjieba when it is installed.

English (and pinyin, model numbers) is split on anything that is not a letter or digit, lower
cased, with a plural ``s`` taken off, and a short list of function words dropped; both segmenters
share that part, so an English query finds the same entries with either.

>>> BigramSegmenter().terms("卫生间漏水, water leaks")
('卫生', '生间', '间漏', '漏水', 'water', 'leak')
"""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from collections.abc import Callable
from typing import Protocol, runtime_checkable

import attrs

from propcrm._validators import check_text
from propcrm.errors import InvalidSolution, MissingExtra

__all__ = [
    "BigramSegmenter",
    "JiebaSegmenter",
    "Segmenter",
    "default_segmenter",
]

# CJK Unified Ideographs and Extension A: the characters a Chinese run is made of.
_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[a-z0-9]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

# Words that carry no meaning for matching a problem to its solution. Short on purpose: a long
# stop list removes words residents use to describe faults ("no", "not working").
_ENGLISH_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "my",
        "of",
        "on",
        "or",
        "our",
        "the",
        "to",
        "was",
        "were",
        "with",
    ]
)
# Single characters a segmenter leaves on their own that say nothing of the fault; the bigram
# segmenter never yields single characters from a longer run, so it needs none.
_CHINESE_STOP = frozenset("的了在我是有和就都而及与着或一个也很到说要去你会上下这那吗呢啊吧")


def _normalise(text: str) -> str:
    # NFKC folds full-width letters and digits (ＡＢＣ１２３) to ASCII, as residents' phones type
    # them; casefold makes "Leak" and "leak" one term.
    return unicodedata.normalize("NFKC", text).casefold()


def _english(word: str) -> str | None:
    if word in _ENGLISH_STOP or (len(word) < 2 and not word.isdigit()):
        return None
    # The plural is the one inflection that changes most fault words ("leaks", "lights");
    # anything more (a stemmer) is out of proportion for a service desk's vocabulary.
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@runtime_checkable
class Segmenter(Protocol):
    """**Protocol**: cuts text into search terms; ``name`` says which segmenter it is."""

    @property
    def name(self) -> str:
        """A stable name (``'bigram'``, ``'jieba'``): an index and its queries must agree."""
        ...

    def terms(self, text: str) -> tuple[str, ...]:
        """The search terms of ``text``, in order, repeats kept (term frequency counts them)."""
        ...


def _terms(text: object, chinese: Callable[[str], list[str]]) -> tuple[str, ...]:
    text = check_text(text, "text", InvalidSolution)
    found: list[str] = []
    for run in _RUNS.findall(_normalise(text)):
        if _HAN.match(run):
            found.extend(chinese(run))
        else:
            word = _english(run)
            if word is not None:
                found.append(word)
    return tuple(found)


@attrs.frozen
class BigramSegmenter:
    """Chinese as overlapping character pairs; needs nothing beyond propcrm itself.

    A run of one character is kept as it is (``水``), so a one-character query still matches.

    >>> BigramSegmenter().terms("停水")
    ('停水',)
    >>> BigramSegmenter().terms("电梯困人")
    ('电梯', '梯困', '困人')
    """

    @property
    def name(self) -> str:
        """``'bigram'``."""
        return "bigram"

    def terms(self, text: str) -> tuple[str, ...]:
        """The terms of ``text``: character pairs of Chinese runs, English words."""
        return _terms(text, _bigrams)


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


@functools.cache
def _rjieba() -> object | None:
    try:
        return importlib.import_module("rjieba")
    except ImportError:
        return None


@attrs.frozen
class JiebaSegmenter:
    """Chinese words found by jieba-rs (``propcrm[search]``), in its search mode.

    Search mode also yields the shorter words inside a long one (``天花板`` gives ``天花`` and
    ``天花板``), so a query for either finds it. Raises :class:`~propcrm.errors.MissingExtra` when
    rjieba is not installed.
    """

    def __attrs_post_init__(self) -> None:
        if _rjieba() is None:
            raise MissingExtra(
                "JiebaSegmenter needs rjieba: pip install 'propcrm[search]' (or use "
                "BigramSegmenter, which needs nothing).",
                field="segmenter",
                value="jieba",
                allowed="rjieba installed, or BigramSegmenter",
                extra="search",
            )

    @property
    def name(self) -> str:
        """``'jieba'``."""
        return "jieba"

    def terms(self, text: str) -> tuple[str, ...]:
        """The terms of ``text``: jieba's words of Chinese runs, English words."""
        return _terms(text, _words)


def _words(run: str) -> list[str]:
    module = _rjieba()
    words: list[str] = module.cut_for_search(run)  # type: ignore[attr-defined]
    return [w for w in words if w not in _CHINESE_STOP]


def default_segmenter() -> Segmenter:
    """:class:`JiebaSegmenter` when ``propcrm[search]`` is installed, else the bigrams.

    >>> default_segmenter().name in {"jieba", "bigram"}
    True
    """
    if _rjieba() is not None:
        return JiebaSegmenter()
    return BigramSegmenter()
