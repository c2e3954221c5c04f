"""Benchmark: the worst calls on a business calendar, each on a fresh calendar (issue 18).

Run ``python benchmarks/bench_calendar_horizon.py``. Before the horizon, a calendar with no
holiday provider grew its interval index one year at a time, copying the whole run each time:
``add`` with a very long duration took about 30 CPU minutes before it gave up, and
``always().add(t, 10**15)`` 19 s. Every call below must now answer or refuse in well under a
second: a duration longer than the whole horizon is refused before a year is built, and any
other call builds at most ``BusinessCalendar.HORIZON_YEARS`` (50) years, joined in one copy.

For each calendar kind and call it prints the time (``time.perf_counter``, the best of
``REPEATS`` runs, each on a new calendar), the years the index built and the outcome. The last
line is machine-readable::

    calls=N worst_seconds=S

The goal is S < 1 on a two-core machine; nothing asserts it (the tests check the growth
structurally: how many years are built and how many intervals are copied).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable

import pendulum

from propcrm.errors import PropcrmError, ProvisionalHolidays
from propcrm.sla import (
    BusinessCalendar,
    Open,
    UnconfirmedPolicy,
    WeeklyHours,
    Window,
)

REPEATS = 3
SH = "Asia/Shanghai"
START = pendulum.datetime(2026, 3, 2, 9, 0, tz=SH)
YEAR = 366 * 86_400


def _calendars() -> dict[str, Callable[[], BusinessCalendar]]:
    return {
        "24x7": BusinessCalendar.always,
        "service hours, no holidays": lambda: BusinessCalendar(
            "service", WeeklyHours.weekdays(Window("08:30", "12:00"), Window("13:30", "17:30"))
        ),
        "China, strict": BusinessCalendar.china_service_hours,
        "China, provisional": lambda: BusinessCalendar.china_service_hours(
            unconfirmed=UnconfirmedPolicy.PROVISIONAL
        ),
        "night shift, New York": lambda: BusinessCalendar(
            "nights", WeeklyHours.weekdays(Window("22:00", "06:00")), "America/New_York"
        ),
        "one hour in 2026, idle 50": lambda: BusinessCalendar(
            "sparse",
            WeeklyHours(),
            overrides=[Open(pendulum.date(2026, 6, 1), [Window("09:00", "10:00")])],
            max_idle_years=BusinessCalendar.HORIZON_YEARS,
        ),
    }


_CALLS: dict[str, Callable[[BusinessCalendar], object]] = {
    "add(t, 10**15)": lambda c: c.add(START, 10**15),
    "add(t, 51 years)": lambda c: c.add(START, 51 * YEAR),
    "add(t, 10 years)": lambda c: c.add(START, 10 * YEAR),
    "add_many([t], 51 years)": lambda c: c.add_many([int(START.timestamp())], 51 * YEAR),
    "between(year 1, 9999)": lambda c: c.between(
        pendulum.datetime(1, 1, 2, tz=SH), pendulum.datetime(9999, 12, 30, tz=SH)
    ),
    "between(2026, 2076)": lambda c: c.between(START, START.add(years=50)),
    "next_working_instant": lambda c: c.next_working_instant(START.add(years=1)),
}


def _run(
    make: Callable[[], BusinessCalendar], call: Callable[[BusinessCalendar], object]
) -> tuple[float, int, str]:
    best, built, outcome = float("inf"), 0, ""
    for _ in range(REPEATS):
        calendar = make()
        began = time.perf_counter()
        try:
            call(calendar)
            outcome = "answered"
        except PropcrmError as error:
            outcome = type(error).__name__
        best = min(best, time.perf_counter() - began)
        index = calendar._cache.index  # the benchmark reports the years built
        built = 0 if index is None else len(index._years)
    return best, built, outcome


def main() -> None:
    warnings.simplefilter("ignore", ProvisionalHolidays)
    worst, calls = 0.0, 0
    print(f"{'calendar':28} {'call':26} {'seconds':>8} {'years':>6}  outcome")
    for name, make in _calendars().items():
        for label, call in _CALLS.items():
            seconds, built, outcome = _run(make, call)
            worst, calls = max(worst, seconds), calls + 1
            print(f"{name:28} {label:26} {seconds:8.3f} {built:6d}  {outcome}")
    print(f"calls={calls} worst_seconds={worst:.3f}")


if __name__ == "__main__":
    main()
