"""Bounded memos that let equal immutable values the library builds be one object.

An account with a year of history holds thirty-odd events, and most of what they are made of
repeats across a portfolio: the days (a community's notices share their issue and due dates,
its bank receipts a few hundred days), the due date built from a day, a unit's fee month after
month. Each copy of a ``pendulum.Date`` costs 72 bytes, a ``Decimal`` 104, a ``Money`` 48 more:
sharing equal ones is most of what keeps an account's events small.

Every memo here is a **cache, not a setting**: it decides which object holds a value, never the
value. What comes out equals, hashes, prints and behaves as what went in (the values are
frozen, so sharing one is safe), and a process that never looks at object identity cannot tell
whether a memo was used. Each is bounded: when full it is emptied and starts again, so a run
over many distinct values costs at most the bound, and the common values come back at once.
"""

from __future__ import annotations

from typing import Generic, TypeVar

import pendulum

__all__ = ["DATE_BOUND", "Memo", "shared_date"]

_K = TypeVar("_K")
_V = TypeVar("_V")


class Memo(Generic[_K, _V]):
    """A dict of at most ``bound`` entries, emptied when a new key would pass the bound.

    >>> memo: Memo[int, str] = Memo(2)
    >>> memo.keep(1, "one"), memo.keep(2, "two"), memo.get(1)
    ('one', 'two', 'one')
    >>> memo.keep(3, "three"), len(memo), memo.get(1)
    ('three', 1, None)
    """

    __slots__ = ("bound", "values")

    def __init__(self, bound: int) -> None:
        self.bound = bound
        self.values: dict[_K, _V] = {}

    def get(self, key: _K) -> _V | None:
        """The value kept for ``key``, or None."""
        return self.values.get(key)

    def keep(self, key: _K, value: _V) -> _V:
        """Keep ``value`` for ``key`` (emptying the memo first if it is full); return ``value``."""
        values = self.values
        if len(values) >= self.bound:
            values.clear()
        values[key] = value
        return value

    def __len__(self) -> int:
        return len(self.values)


# Some twenty years of days: a portfolio's events fall on far fewer distinct days than that.
DATE_BOUND = 8192
_DATES: dict[pendulum.Date, pendulum.Date] = {}


def shared_date(day: pendulum.Date) -> pendulum.Date:
    """The one ``pendulum.Date`` kept for ``day``'s day (``day`` itself the first time).

    A subclass of ``pendulum.Date`` is returned as it is, never swapped for a plain date.

    >>> a, b = pendulum.date(2026, 11, 30), pendulum.date(2026, 11, 30)
    >>> shared_date(a) is shared_date(b) is shared_date(a), shared_date(b) == b
    (True, True)
    """
    if type(day) is not pendulum.Date:
        return day
    kept = _DATES.get(day)
    if kept is None:
        if len(_DATES) >= DATE_BOUND:
            _DATES.clear()
        kept = _DATES[day] = day
    return kept
