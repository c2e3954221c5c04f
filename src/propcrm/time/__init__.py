"""Time: aware instants in explicit zones, injectable clocks, dates, billing periods, calendars.

The bottom layer of propcrm beside :mod:`propcrm.money`. Asia/Shanghai is the default zone; every
rule takes its zone, clock and calendar as arguments.
"""

from propcrm.time._calendars import (
    MAX_ROLL_DAYS,
    WeekdayCalendar,
    WorkingDayCalendar,
    next_working_day,
)
from propcrm.time._clock import Clock, FixedClock, SystemClock
from propcrm.time._dates import as_date, days_inclusive, format_days
from propcrm.time._periods import BillingPeriod, PeriodKind
from propcrm.time._zones import DEFAULT_ZONE, aware, local_date, zone

__all__ = [
    "DEFAULT_ZONE",
    "MAX_ROLL_DAYS",
    "BillingPeriod",
    "Clock",
    "FixedClock",
    "PeriodKind",
    "SystemClock",
    "WeekdayCalendar",
    "WorkingDayCalendar",
    "as_date",
    "aware",
    "days_inclusive",
    "format_days",
    "local_date",
    "next_working_day",
    "zone",
]


def __dir__() -> list[str]:
    return list(__all__)
