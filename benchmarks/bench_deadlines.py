"""Benchmark: resolution deadlines for 1,000,000 service requests over 2025–2026.

Run ``python benchmarks/bench_deadlines.py``. Requests arrive at random seconds of 2025 and
2026 (a seeded generator, never the clock), day and night, weekdays, weekends and holidays, each
with a resolution target of 4 hours, one service day (7.5 h) or two service days of business
time. The calendar is the service-hours calendar: 08:30–12:00 and 13:30–17:30 on China's working
days (holidays closed, make-up workdays worked), Asia/Shanghai.

Timed with ``time.perf_counter``:

- **propcrm**: :meth:`BusinessCalendar.add_many` over all 1,000,000 requests on a fresh calendar,
  so the time includes building its interval index (POSIX seconds in, POSIX seconds out; each
  result equals ``add()``'s, which the tests check). ``S`` is the median of ``REPEATS`` runs,
  each on a new calendar;
- **peer**: ``businesstimedelta`` (WorkDayRule 08:30–17:30, LunchTimeRule 12:00–13:30 and a
  HolidayRule with China's holidays) on a sample of ``SAMPLE`` requests, per request.

``businesstimedelta`` cannot express make-up workdays, so the agreement check uses a calendar
of ours built the same way (the same holiday dates, no make-up days): every sampled deadline
must agree to the second, or the script exits non-zero. Deadlines that run into 2027, whose
holiday notice does not exist yet, are computed provisionally (the calendar's
``UnconfirmedPolicy.PROVISIONAL``); their count is printed instead of the ``ProvisionalHolidays``
warning each fresh calendar would give.

The last line printed is machine-readable::

    requests=1000000 seconds=S peer_us_per_request=P speedup=X

where X = (peer µs per request) / (propcrm µs per request). The goal is S < 5 and X >= 100 on a
two-core machine; nothing asserts it.
"""

from __future__ import annotations

import datetime
import random
import statistics
import sys
import time
import warnings

import businesstimedelta
import holidays
import pendulum
import pytz

from propcrm.errors import ProvisionalHolidays
from propcrm.sla import (
    BusinessCalendar,
    Holiday,
    HolidayList,
    HolidayYear,
    UnconfirmedPolicy,
    WeeklyHours,
)
from propcrm.sla._calendars import DEFAULT_SERVICE_WINDOWS

REQUESTS = 1_000_000
SAMPLE = 2_000
REPEATS = 3
SEED = 20251001
SERVICE_DAY = 27_000
TARGETS = (4 * 3600, SERVICE_DAY, 2 * SERVICE_DAY)
ZONE = "Asia/Shanghai"


def requests(count: int, seed: int) -> tuple[list[int], list[int]]:
    """Arrival instants (POSIX seconds) spread over 2025–2026, and their resolution targets."""
    rng = random.Random(seed)
    first = int(pendulum.datetime(2025, 1, 1, tz=ZONE).timestamp())
    last = int(pendulum.datetime(2027, 1, 1, tz=ZONE).timestamp()) - 1
    starts = [rng.randint(first, last) for _ in range(count)]
    targets = [TARGETS[rng.randrange(len(TARGETS))] for _ in range(count)]
    return starts, targets


def service_calendar() -> BusinessCalendar:
    return BusinessCalendar.china_service_hours(unconfirmed=UnconfirmedPolicy.PROVISIONAL)


def china_holiday_dates() -> list[datetime.date]:
    return sorted(holidays.China(years=range(2025, 2028)))


def calendar_without_make_up_days(days_off: list[datetime.date]) -> BusinessCalendar:
    """Ours, built like the peer: the same windows and holiday dates, no make-up workdays."""
    listed = HolidayList(
        [
            HolidayYear(
                year,
                [Holiday(day, "holiday") for day in days_off if day.year == year],
                source="holidays package dates without make-up days (benchmark only)",
            )
            for year in range(2025, 2028)
        ]
    )
    return BusinessCalendar(
        "bench without make-up days",
        WeeklyHours.weekdays(*DEFAULT_SERVICE_WINDOWS),
        ZONE,
        holidays=listed,
    )


def peer_rules(days_off: list[datetime.date]) -> businesstimedelta.Rules:
    tz = pytz.timezone(ZONE)
    return businesstimedelta.Rules(
        [
            businesstimedelta.WorkDayRule(
                start_time=datetime.time(8, 30), end_time=datetime.time(17, 30), tz=tz
            ),
            businesstimedelta.LunchTimeRule(
                start_time=datetime.time(12, 0), end_time=datetime.time(13, 30), tz=tz
            ),
            businesstimedelta.HolidayRule(days_off, tz=tz),
        ]
    )


def main() -> int:
    warnings.simplefilter("ignore", ProvisionalHolidays)  # counted and printed below instead
    generated = time.perf_counter()
    starts, targets = requests(REQUESTS, SEED)
    generated = time.perf_counter() - generated

    probe = service_calendar()
    build = time.perf_counter()
    for year in (2025, 2026, 2027):
        probe.windows_on(datetime.date(year, 6, 1))  # builds the year's intervals
    build = time.perf_counter() - build

    runs = []
    deadlines: list[int] = []
    for _ in range(REPEATS):
        calendar = service_calendar()  # cold: the index is built inside the timed call
        began = time.perf_counter()
        deadlines = calendar.add_many(starts, targets)
        runs.append(time.perf_counter() - began)
    seconds = statistics.median(runs)

    calendar = service_calendar()
    single = time.perf_counter()
    zone = pendulum.timezone(ZONE)
    checked = 0
    for k in range(0, REQUESTS, REQUESTS // 20_000):
        start = pendulum.DateTime.fromtimestamp(starts[k], zone)
        if int(calendar.add(start, targets[k]).timestamp()) != deadlines[k]:
            print(f"add() and add_many() disagree on request {k}", file=sys.stderr)
            return 1
        checked += 1
    single_us = (time.perf_counter() - single) / checked * 1e6

    new_year = int(pendulum.datetime(2027, 1, 1, tz=ZONE).timestamp())
    provisional = sum(1 for d in deadlines if d >= new_year)

    days_off = china_holiday_dates()
    ours = calendar_without_make_up_days(days_off)
    rules = peer_rules(days_off)
    rng = random.Random(SEED + 1)
    sample = rng.sample(range(REQUESTS), SAMPLE)
    sample_starts = [starts[k] for k in sample]
    sample_targets = [targets[k] for k in sample]
    expected = ours.add_many(sample_starts, sample_targets)
    tz = pytz.timezone(ZONE)
    peer_starts = [datetime.datetime.fromtimestamp(s, tz) for s in sample_starts]
    peer_deltas = [businesstimedelta.BusinessTimeDelta(rules, seconds=d) for d in sample_targets]
    began = time.perf_counter()
    peer = [s + d for s, d in zip(peer_starts, peer_deltas, strict=True)]
    peer_us = (time.perf_counter() - began) / SAMPLE * 1e6
    disagreements = [
        (k, e, int(p.timestamp()))
        for k, e, p in zip(sample, expected, peer, strict=True)
        if int(p.timestamp()) != e
    ]
    with_make_up = calendar.add_many(sample_starts, sample_targets)
    differ = sum(1 for a, b in zip(with_make_up, expected, strict=True) if a != b)

    our_us = seconds / REQUESTS * 1e6
    print(f"requests generated:      {REQUESTS:,} in {generated:.2f} s (not timed)")
    print(f"index build 2025-2027:   {build * 1000:.1f} ms")
    print(
        f"add_many runs:           {', '.join(f'{r:.3f}' for r in runs)} s (median {seconds:.3f})"
    )
    print(f"propcrm per request:     {our_us:.2f} µs (batch), {single_us:.2f} µs (add(), pendulum)")
    print(f"provisional (2027):      {provisional:,} deadlines fall in 2027, not yet confirmed")
    print(f"peer per request:        {peer_us:.1f} µs over {SAMPLE:,} sampled requests")
    print(f"agreement with the peer: {SAMPLE - len(disagreements):,}/{SAMPLE:,}")
    print(f"make-up days change:     {differ:,} of the sampled deadlines")
    if disagreements:
        for k, e, p in disagreements[:10]:
            print(
                f"  request {k}: start {pendulum.from_timestamp(starts[k], ZONE)} target "
                f"{targets[k]} s: ours {pendulum.from_timestamp(e, ZONE)}, "
                f"peer {pendulum.from_timestamp(p, ZONE)}",
                file=sys.stderr,
            )
        return 1
    print(
        f"requests={REQUESTS} seconds={seconds:.3f} peer_us_per_request={peer_us:.1f} "
        f"speedup={peer_us / our_us:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
