"""Dated versions: the one mechanism behind versioned tariffs and versioned price lists.

A versioned thing is a tuple of versions, each effective from a date until the next one takes
effect. This module holds the lookups both share: the version in force on a date and the runs of
days each version covers inside a range.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from typing import Protocol, TypeVar

import pendulum

from propcrm.billing._repeated import repeated
from propcrm.errors import OverlappingVersions

__all__ = ["Dated", "in_force_index", "sorted_versions", "version_runs"]


class Dated(Protocol):
    """A version with a first effective day and a name."""

    @property
    def effective_from(self) -> pendulum.Date:
        """First day the version applies."""
        ...

    @property
    def version(self) -> str:
        """The version's name as published, e.g. ``'2026-01'``."""
        ...


V = TypeVar("V", bound=Dated)


def sorted_versions(versions: Sequence[V], what: str) -> tuple[V, ...]:
    """``versions`` ordered by effective date; two on one day, or one name twice, are refused."""
    ordered = tuple(sorted(versions, key=lambda v: v.effective_from))
    for before, after in itertools.pairwise(ordered):
        if before.effective_from == after.effective_from:
            raise OverlappingVersions(
                f"{what} versions {before.version!r} and {after.version!r} both take effect on "
                f"{after.effective_from.isoformat()}; each version needs its own effective date.",
                field="effective_from",
                value=after.effective_from,
                allowed="one version per effective date",
                versions=(before.version, after.version),
            )
    duplicated = repeated(v.version for v in ordered)
    if duplicated:
        raise OverlappingVersions(
            f"{what} version name(s) {', '.join(duplicated)} used twice; names must be unique.",
            field="version",
            value=duplicated[0],
            allowed="each version name once",
        )
    return ordered


def in_force_index(starts: Sequence[pendulum.Date], day: pendulum.Date) -> int:
    """Index of the version in force on ``day`` given sorted start dates; -1 before the first."""
    return bisect.bisect_right(starts, day) - 1


def version_runs(
    starts: Sequence[pendulum.Date], first: pendulum.Date, last: pendulum.Date
) -> list[tuple[pendulum.Date, pendulum.Date, int]]:
    """The runs ``(from, to, index)`` of consecutive days in ``[first, last]`` under one version.

    Days before the first version get index -1, so a caller can say exactly which days no
    version covers.
    """
    runs: list[tuple[pendulum.Date, pendulum.Date, int]] = []
    index = in_force_index(starts, first)
    run_start = first
    while True:
        nxt = starts[index + 1] if index + 1 < len(starts) else None
        if nxt is None or nxt > last:
            runs.append((run_start, last, index))
            return runs
        runs.append((run_start, nxt.subtract(days=1), index))
        run_start, index = nxt, index + 1
