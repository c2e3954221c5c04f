"""The one check behind every "must be unique" rule of billing (codes, version names, ids)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

__all__ = ["repeated"]


def repeated(keys: Iterable[str]) -> list[str]:
    """The keys that occur more than once, sorted, so an error can name every one of them.

    >>> repeated(["MGMT", "PARK", "MGMT"])
    ['MGMT']
    """
    return sorted(key for key, count in Counter(keys).items() if count > 1)
