"""Exact business-time arithmetic over precomputed working intervals, in POSIX seconds.

A business calendar turns each year into sorted, disjoint working intervals ``[start, end)`` in
POSIX seconds (:class:`YearIntervals`). :class:`IntervalIndex` joins the years a query needs
into one run with the cumulative working seconds at each interval's end, so

* the working time before an instant is one bisection (``worked``), and
* the instant at which a number of working seconds is used up is a second one (``add``).

No loop walks days or minutes. Years are built on first use and cached; the run covers a
contiguous range of years and grows as the arithmetic crosses into later years: the years it
needs are built one by one (each once), then joined to the run in one copy, so growing over *n*
years costs time linear in *n*. Only the years a result depends on are built, so a calendar that
refuses an unconfirmed year refuses exactly when an answer would depend on it.

Nothing searches or spans more than :data:`HORIZON_YEARS` years: ``add`` and ``next_working``
raise :class:`~propcrm.errors.NoWorkingTime` for a result further than that after the start's
year, and ``between`` raises :class:`~propcrm.errors.InvalidDuration` for a longer span, so every
call builds at most that many years (well under a second) whatever its arguments.

Instants are POSIX seconds plus microseconds (``0 <= us < 1_000_000``); intervals are whole
seconds. The semantics (documented on :class:`~propcrm.sla.BusinessCalendar`):

* ``add(t, 0) == t``; for ``d > 0`` the result lies inside a window or exactly at its end,
  never at the start of the next window;
* ``between(a, b)`` counts working time in ``[a, b)``; ``between(b, a) == -between(a, b)``.

>>> days = [(1_000, 2_000), (3_000, 4_000)]
>>> index = IntervalIndex(lambda y: YearIntervals.of(y, 0, 10_000, days), lambda s: 2026)
>>> index.add(1_500, 0, 800)  # 500 s to 2000, then 300 s into the next window
(3300, 0)
>>> index.add(1_500, 0, 500)  # uses up the window exactly: its end, not the next start
(2000, 0)
>>> index.between(0, 0, 3_500, 0)
1500
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from math import gcd

import attrs

from propcrm.errors import InvalidDuration, NoWorkingTime

__all__ = [
    "DEFAULT_MAX_IDLE_YEARS",
    "HORIZON_YEARS",
    "LAST_YEAR",
    "MICROSECONDS",
    "IntervalIndex",
    "YearIntervals",
]

MICROSECONDS = 1_000_000
"""Microseconds in a second."""

LAST_YEAR = 9999
"""The last year Python's datetimes reach; arithmetic beyond it raises."""

DEFAULT_MAX_IDLE_YEARS = 3
"""Consecutive years without working time after which a search gives up (NoWorkingTime)."""

HORIZON_YEARS = 50
"""How many years after a start's year arithmetic may reach, and how many years a span may cover.

An SLA deadline lies hours or days ahead; fifty years is far beyond any service commitment and
small enough that building every year of it (about 5 to 15 ms a year) stays under a second.
"""

# add_many's table entries in front of the first interval: a key below every POSIX second, and
# an offset above them all, so that min(0, offset + s) is the 0 seconds worked before it.
_BEFORE_ANY = -(2**62)
_NOTHING_BEFORE = 2**62


@attrs.frozen
class YearIntervals:
    """One year's working intervals, in POSIX seconds.

    ``begin``/``end``: the instants the year's local dates start and end (local midnight of
    1 January and of the next 1 January). ``starts``/``ends``: intervals of the windows of the
    year's days, sorted and disjoint. ``lead_starts``/``lead_ends``: the part after ``begin`` of
    the previous year's overnight windows (empty unless the calendar has overnight windows).
    """

    year: int
    begin: int
    end: int
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    lead_starts: tuple[int, ...] = ()
    lead_ends: tuple[int, ...] = ()

    @classmethod
    def of(
        cls,
        year: int,
        begin: int,
        end: int,
        intervals: Iterable[tuple[int, int]],
        lead: Iterable[tuple[int, int]] = (),
    ) -> YearIntervals:
        """Build from ``(start, end)`` pairs."""
        pairs = list(intervals)
        leads = list(lead)
        return cls(
            year,
            begin,
            end,
            tuple(s for s, _ in pairs),
            tuple(e for _, e in pairs),
            tuple(s for s, _ in leads),
            tuple(e for _, e in leads),
        )

    @property
    def seconds(self) -> int:
        """Working seconds of the year's own intervals."""
        return sum(self.ends) - sum(self.starts)


class _Run:
    """A contiguous range of years joined into one sorted run (a snapshot; never mutated)."""

    __slots__ = ("begin", "cumend", "end", "ends", "first", "idle", "last", "starts")

    def __init__(
        self,
        first: int,
        last: int,
        begin: int,
        end: int,
        starts: list[int],
        ends: list[int],
        cumend: list[int],
        idle: int,
    ) -> None:
        self.first = first
        self.last = last
        self.begin = begin
        self.end = end
        self.starts = starts
        self.ends = ends
        self.cumend = cumend
        self.idle = idle  # trailing years without working time

    @property
    def total(self) -> int:
        return self.cumend[-1] if self.cumend else 0


def _append(
    starts: list[int],
    ends: list[int],
    cumend: list[int],
    new_starts: Sequence[int],
    new_ends: Sequence[int],
) -> None:
    # Intervals come sorted and disjoint (a year's windows are trimmed where they would overlap),
    # so one that starts where the last ends touches it: 24×7 across midnight. Touching
    # intervals are joined: fewer entries, same arithmetic.
    total = cumend[-1] if cumend else 0
    for s, e in zip(new_starts, new_ends, strict=True):
        total += e - s
        if ends and s == ends[-1]:
            ends[-1] = e
            cumend[-1] = total
        else:
            starts.append(s)
            ends.append(e)
            cumend.append(total)


def _add_by_bisection(run: _Run, starts: Sequence[int], durations: Sequence[int]) -> list[int]:
    """``add`` for each start, by two bisections of the run (any calendar)."""
    cumend = run.cumend
    # For s in [starts[i], starts[i + 1]) the working seconds before s are
    # min(cumend[i], cumend[i] - ends[i] + s), and the instant at which a cumulative total t is
    # reached is t - (cumend[j] - ends[j]), j = bisect_left(cumend, t). Two entries in front
    # (nothing worked before the first interval) make bisect_right's answer index the tables
    # directly, so the lookups run in map (C) and each request is one expression.
    offsets = [c - e for c, e in zip(cumend, run.ends, strict=True)]
    worked = [0, 0, *cumend]
    shift = [_NOTHING_BEFORE, _NOTHING_BEFORE, *offsets]
    keys = [_BEFORE_ANY, *run.starts]
    totals = [
        (w if w < (o := shift[k] + s) else o) + d
        for k, s, d in zip(map(bisect_right, repeat(keys), starts), starts, durations, strict=True)
        for w in (worked[k],)
    ]
    return [
        t - offsets[j]
        for t, j in zip(totals, map(bisect_left, repeat(cumend), totals), strict=True)
    ]


# A grid is used when it has at most this many cells per interval of the run (and in all): a
# calendar of half-hour windows has 48 cells a day; one of odd minutes would need too many.
_GRID_CELLS_PER_INTERVAL = 64
_GRID_MAX_CELLS = 4_000_000


class _Grid:
    """A run cut into cells of ``step`` seconds, none of which an interval begins or ends inside.

    ``step`` divides the distance from the run's start to every interval's bounds (their
    greatest common divisor; 1800 s for windows on the half hour), so a cell lies wholly in an
    interval or wholly between two. The working seconds before an instant ``s`` of cell ``k``
    are then ``base[k] + inside[k] * s``; and since every cumulative total is a multiple of
    ``step`` too, the instant at which a total ``t > 0`` is reached is ``t - shift[(t - 1) //
    step]``: list look-ups where bisection searched (what ``add_many`` does a million times).
    """

    __slots__ = ("base", "begin", "inside", "shift", "step")

    def __init__(
        self, begin: int, step: int, base: list[int], inside: list[int], shift: list[int]
    ) -> None:
        self.begin = begin
        self.step = step
        self.base = base
        self.inside = inside
        self.shift = shift

    @classmethod
    def of(cls, run: _Run) -> _Grid | None:
        begin = run.begin
        step = gcd(
            run.end - begin, *[s - begin for s in run.starts], *[e - begin for e in run.ends]
        )
        cells = (run.end - begin) // step if step else 0
        if not cells or cells > min(
            _GRID_MAX_CELLS, _GRID_CELLS_PER_INTERVAL * len(run.starts) + 1024
        ):
            return None
        base: list[int] = []
        inside: list[int] = []
        shift: list[int] = []
        at, before = begin, 0
        for s, e, c in zip(run.starts, run.ends, run.cumend, strict=True):
            gap = (s - at) // step
            base.extend(repeat(before, gap))
            inside.extend(repeat(0, gap))
            cell = (e - s) // step
            base.extend(repeat(c - e, cell))
            inside.extend(repeat(1, cell))
            shift.extend(repeat(c - e, (c - before) // step))
            at, before = e, c
        gap = (run.end - at) // step
        base.extend(repeat(before, gap))
        inside.extend(repeat(0, gap))
        return cls(begin, step, base, inside, shift)


def _add_on_grid(grid: _Grid, starts: Sequence[int], durations: Sequence[int]) -> list[int]:
    """``add`` for each start inside the grid's run, by look-ups in its cells."""
    base, inside, shift, step, begin = grid.base, grid.inside, grid.shift, grid.step, grid.begin
    # (A zero duration can give t == 0, whose look-up is harmless: add_many puts s back.)
    # The cell computed in the comprehension: 15 % faster than zipping in a map of the cells.
    return [
        (t := base[k := (s - begin) // step] + inside[k] * s + d) - shift[(t - 1) // step]
        for s, d in zip(starts, durations, strict=True)
    ]


class IntervalIndex:
    """Working intervals of a calendar over the years its queries need, built lazily.

    ``build(year)`` returns the year's intervals; ``year_of(posix)`` the local year of an instant.
    ``short_span``: spans of at most this many seconds cannot cover more than ``horizon_years``
    of the caller's years, so ``between`` does not look their years up (-1: every span is).
    The index is a cache owned by one calendar (thread-safe: queries read an immutable
    snapshot; building a range takes a lock).
    """

    __slots__ = (
        "_build",
        "_grid",
        "_lock",
        "_run",
        "_short_span",
        "_year_of",
        "_years",
        "copied",
        "horizon_years",
        "max_idle_years",
    )

    def __init__(
        self,
        build: Callable[[int], YearIntervals],
        year_of: Callable[[int], int],
        *,
        max_idle_years: int = DEFAULT_MAX_IDLE_YEARS,
        horizon_years: int = HORIZON_YEARS,
        short_span: int = -1,
    ) -> None:
        self._build = build
        self._year_of = year_of
        self._years: dict[int, YearIntervals] = {}
        self._run: _Run | None = None
        # The grid add_many last used, with the run it was cut from (runs are snapshots).
        self._grid: tuple[_Run, _Grid | None] | None = None
        self._lock = threading.RLock()
        self.max_idle_years = max_idle_years
        self.horizon_years = horizon_years
        # Spans of at most this many seconds are not checked: the caller's years are long
        # enough that they cannot cover more than the horizon (finding the years of both ends
        # was most of a short span's cost).
        self._short_span = short_span
        # Intervals copied from an existing run into a grown one: the cost of growing, which
        # the tests hold linear (copying the whole run once per year made it quadratic).
        self.copied = 0

    # -- building -------------------------------------------------------------------------------

    def year(self, year: int) -> YearIntervals:
        """The intervals of ``year`` (built once)."""
        with self._lock:  # built years only: queries take no lock (they read a run)
            found = self._years.get(year)
            if found is None:
                found = self._years[year] = self._build(year)
        return found

    def _fresh(self, first: int, last: int) -> _Run:
        head = self.year(first)
        starts: list[int] = []
        ends: list[int] = []
        cumend: list[int] = []
        _append(starts, ends, cumend, head.lead_starts, head.lead_ends)
        run = _Run(first, first - 1, head.begin, head.begin, starts, ends, cumend, 0)
        return self._extended(run, last)

    def _extended(self, run: _Run, last: int) -> _Run:
        self.copied += len(run.starts)
        starts, ends, cumend = list(run.starts), list(run.ends), list(run.cumend)
        idle, end = run.idle, run.end
        for year in range(run.last + 1, last + 1):
            table = self.year(year)
            _append(starts, ends, cumend, table.starts, table.ends)
            idle = idle + 1 if not table.starts else 0
            end = table.end
        return _Run(run.first, last, run.begin, end, starts, ends, cumend, idle)

    def _covering(self, low: int, high: int) -> _Run:
        """A run whose years hold every instant in ``[low, high]``."""
        run = self._run
        if run is not None and run.begin <= low and high < run.end:
            return run
        with self._lock:
            run = self._run
            if run is None:
                run = self._fresh(self._year_of(low), self._year_of(high))
            else:
                first, last = self._year_of(low), self._year_of(high)
                if max(last, run.last) - min(first, run.first) > 2 * self.horizon_years:
                    # A run grown across many calls would be copied whole on each growth: start
                    # afresh with the years of this query (at most the horizon) instead.
                    run = self._fresh(first, last)
                elif first > run.last + 1 or last < run.first - 1:
                    # Far from the current range: only the years between the two instants are
                    # needed, not those between the old range and them.
                    run = self._fresh(first, last)
                elif first >= run.first:
                    run = self._extended(run, max(last, run.last))
                else:
                    run = self._fresh(first, max(last, run.last))
            self._run = run
            return run

    def _grown(
        self, run: _Run, needed_by: str, wanted: int, since: int, keep: int | None = None
    ) -> _Run:
        """``run`` grown by the fewest years that bring its working seconds to ``wanted``.

        The years are built (or found in the cache) one by one and joined to the run in one
        copy. A run that would span more than twice the horizon starts afresh at year ``keep``
        (``since`` by default) instead, so its totals change: callers measure against the run
        returned. Raises :class:`~propcrm.errors.NoWorkingTime` past year :data:`LAST_YEAR`, after
        ``max_idle_years`` years without working time, or past ``horizon_years`` after the year
        ``since``.
        """
        total, idle, last = run.total, run.idle, run.last
        while total < wanted or last == run.last:
            last += 1
            if last > LAST_YEAR:
                raise NoWorkingTime(
                    f"{needed_by} needs working time after the end of year {LAST_YEAR}; "
                    "no instant lies beyond it.",
                    field="year",
                    value=last,
                    allowed=f"up to {LAST_YEAR}",
                )
            if last - since > self.horizon_years:
                raise NoWorkingTime(
                    f"{needed_by} reaches beyond the end of {since + self.horizon_years}, "
                    f"{self.horizon_years} years after {since}; the calendar looks no further "
                    "(an SLA deadline lies hours or days ahead).",
                    allowed=f"a result within {self.horizon_years} years of the start's year",
                    horizon_years=self.horizon_years,
                    start_year=since,
                )
            table = self.year(last)
            total += table.seconds
            idle = idle + 1 if not table.starts else 0
            if idle >= self.max_idle_years:
                raise NoWorkingTime(
                    f"{needed_by} needs working time, but the calendar has none in the "
                    f"{idle} years up to the end of {last}; give it windows or fewer closed days.",
                    field="year",
                    value=last,
                    allowed=f"fewer than {self.max_idle_years} years in a row without windows",
                    max_idle_years=self.max_idle_years,
                )
        first = since if keep is None else keep
        with self._lock:
            current = self._run
            # No test of ``first > run.first`` is needed: ``last`` lies within the horizon of
            # ``since`` and ``keep`` within the horizon before it, so a run spanning more than
            # twice the horizon always begins before ``first``.
            if last - run.first > 2 * self.horizon_years:
                grown = self._fresh(first, last)
            else:
                grown = self._extended(run, last)
            if current is None or (current.first == grown.first and current.last < grown.last):
                self._run = grown
        return grown

    def check_span(self, a: int, b: int) -> None:
        """Refuse a span ``[a, b]`` (``a <= b``) over more than ``horizon_years`` years."""
        first, last = self._year_of(a), self._year_of(b)
        if last - first > self.horizon_years:
            raise InvalidDuration(
                f"the span from {first} to {last} covers {last - first} years; business time is "
                f"counted over at most {self.horizon_years} years at once.",
                field="end",
                value=last,
                allowed=f"an end within {self.horizon_years} years of the start's year",
                horizon_years=self.horizon_years,
            )

    # -- arithmetic -------------------------------------------------------------------------------

    @staticmethod
    def _worked(run: _Run, s: int, us: int) -> int:
        """Working microseconds of ``run`` before the instant ``s`` seconds + ``us``."""
        i = bisect_right(run.starts, s) - 1
        if i < 0:
            return 0
        e = run.ends[i]
        if s >= e:
            return run.cumend[i] * MICROSECONDS
        return (run.cumend[i] - (e - s)) * MICROSECONDS + us

    @staticmethod
    def _seconds_before(run: _Run, s: int) -> int:
        """Working seconds of ``run`` before the whole-second instant ``s``."""
        i = bisect_right(run.starts, s) - 1
        return 0 if i < 0 else run.cumend[i] - max(run.ends[i] - s, 0)

    def between(self, a: int, a_us: int, b: int, b_us: int) -> int:
        """Whole working seconds in ``[a, b)`` (negative if ``b`` is before ``a``).

        A fraction of a second is truncated toward zero, so the sign flips exactly.
        """
        if a > b or (a == b and a_us > b_us):
            return -self.between(b, b_us, a, a_us)
        if b - a > self._short_span:
            self.check_span(a, b)
        # [a, b) ends before b: at a whole second b, the last instant counted is in b - 1's year,
        # so a span to midnight of 1 January does not need (or refuse for) the new year.
        high = b if b_us or a >= b else b - 1  # (b, or max(a, b - 1))
        run = self._run
        if run is None or not (run.begin <= a and high < run.end):
            run = self._covering(a, high)
        # _worked at both ends, written out: a clock measures every running stretch this way.
        starts, ends, cumend = run.starts, run.ends, run.cumend
        i = bisect_right(starts, b) - 1
        if i < 0:
            worked = 0
        elif b >= ends[i]:
            worked = cumend[i] * MICROSECONDS
        else:
            worked = (cumend[i] - (ends[i] - b)) * MICROSECONDS + b_us
        i = bisect_right(starts, a) - 1
        if i >= 0:
            if a >= ends[i]:
                worked -= cumend[i] * MICROSECONDS
            else:
                worked -= (cumend[i] - (ends[i] - a)) * MICROSECONDS + a_us
        return worked // MICROSECONDS

    def add(self, s: int, us: int, seconds: int) -> tuple[int, int]:
        """The instant (seconds, microseconds) ``seconds`` working seconds after ``s`` + ``us``."""
        if seconds == 0:
            return s, us
        run = self._run
        if run is None or not (run.begin <= s < run.end):
            run = self._covering(s, s)  # (refuses an instant outside the years, as _year_of does)
        target = self._worked(run, s, us) + seconds * MICROSECONDS
        if target > run.total * MICROSECONDS:
            # The start's year, asked only when the run must grow (a report reads every
            # clock's deadline, and a deadline a few days ahead lies within the run).
            since = self._year_of(s)
            while target > run.total * MICROSECONDS:
                wanted = -(-target // MICROSECONDS)
                run = self._grown(run, f"adding {seconds} working seconds", wanted, since)
                target = self._worked(run, s, us) + seconds * MICROSECONDS
        whole, frac = divmod(target, MICROSECONDS)
        j = bisect_left(run.cumend, whole + (1 if frac else 0))
        return divmod((run.ends[j] - run.cumend[j]) * MICROSECONDS + target, MICROSECONDS)

    def add_many(
        self,
        starts: Sequence[int],
        seconds: int | Sequence[int],
        *,
        span: tuple[int, int] | None = None,
        durations_span: tuple[int, int] | None = None,
    ) -> list[int]:
        """``add`` for many whole-second instants: POSIX seconds in, POSIX seconds out.

        ``span``: ``(min(starts), max(starts))`` and ``durations_span`` the same of the
        durations, when the caller has them already (a scan of a million items each).
        """
        count = len(starts)
        if count == 0:
            return []
        durations = [seconds] * count if isinstance(seconds, int) else seconds
        earliest, latest = span if span is not None else (min(starts), max(starts))
        shortest, longest = (
            durations_span if durations_span is not None else (min(durations), max(durations))
        )
        first_year = self._year_of(earliest)
        if self._year_of(latest) - first_year > self.horizon_years:
            # Starts further apart than the horizon are not joined into one run.
            return [self.add(starts[k], 0, durations[k])[0] for k in range(count)]
        run = self._covering(earliest, latest)
        since = self._year_of(latest)
        # Grow once up front for the longest duration from the last start, so the loop below
        # never has to: every target then lies inside the run.
        while run.total - self._seconds_before(run, latest) < longest:
            wanted = self._seconds_before(run, latest) + longest
            run = self._grown(run, f"adding {longest} working seconds", wanted, since, first_year)
        cumend = run.cumend
        if not cumend:  # no working time at all: every duration is 0 (or the run grew)
            return list(starts)
        grid = self._grid_of(run)
        if grid is not None:
            results = _add_on_grid(grid, starts, durations)
        else:
            results = _add_by_bisection(run, starts, durations)
        if shortest == 0:
            # add(s, 0) is s itself, even outside working time.
            for k in range(count):
                if durations[k] == 0:
                    results[k] = starts[k]
        return results

    def _grid_of(self, run: _Run) -> _Grid | None:
        """The grid of ``run`` (built once per run), or None if it would be too fine."""
        found = self._grid
        if found is not None and found[0] is run:
            return found[1]
        grid = _Grid.of(run)
        self._grid = (run, grid)
        return grid

    def next_working(self, s: int, us: int) -> tuple[int, int]:
        """``s``+``us`` itself if inside an interval, else the start of the next interval."""
        run = self._covering(s, s)
        while True:
            i = bisect_right(run.starts, s) - 1
            if i >= 0 and s < run.ends[i]:
                return s, us
            if i + 1 < len(run.starts):
                return run.starts[i + 1], 0
            since = self._year_of(s)
            run = self._grown(run, "finding the next working instant", run.total + 1, since)
