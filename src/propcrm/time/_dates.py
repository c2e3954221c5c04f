"""Calendar dates: the type of every calendar rule (periods, due dates, holidays).

A ``datetime`` is an instant, not a date, so it is refused where a date is expected (Python
would otherwise accept it, since ``datetime`` subclasses ``date``): take its date in an explicit
zone with :func:`propcrm.time.local_date` first.

>>> as_date(datetime.date(2026, 2, 28))
Date(2026, 2, 28)
>>> as_date("2026-02-28")
Traceback (most recent call last):
...
propcrm.errors.NotADate: expected a date, got str '2026-02-28'; pass datetime.date or \
pendulum.Date, e.g. pendulum.date(2026, 2, 28).
"""

from __future__ import annotations

import datetime

import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, ngettext
from propcrm.errors import InvalidDuration, NotADate

__all__ = ["as_date", "days_inclusive", "format_days"]


def as_date(value: object, field: str = "date") -> pendulum.Date:
    """``value`` as a ``pendulum.Date``; a ``datetime`` or a non-date raises ``NotADate``.

    ``field`` names the argument in the error, for entry points that check their dates here.

    >>> as_date(None, "due_date")
    Traceback (most recent call last):
    ...
    propcrm.errors.NotADate: due_date: expected a date, got NoneType None; pass datetime.date or \
pendulum.Date, e.g. pendulum.date(2026, 2, 28).
    """
    prefix = "" if field == "date" else f"{field}: "
    if isinstance(value, datetime.datetime):
        raise NotADate(
            f"{prefix}expected a date, got the datetime {value}; an instant's date depends on the "
            "zone, so take it with propcrm.time.local_date(value, tz) first.",
            field=field,
            value=value,
            allowed="datetime.date or pendulum.Date",
        )
    if isinstance(value, pendulum.Date):
        return value
    if isinstance(value, datetime.date):
        return pendulum.Date(value.year, value.month, value.day)
    raise NotADate(
        f"{prefix}expected a date, got {type(value).__name__} {value!r}; pass datetime.date or "
        "pendulum.Date, e.g. pendulum.date(2026, 2, 28).",
        field=field,
        value=value,
        allowed="datetime.date or pendulum.Date",
    )


def days_inclusive(first: datetime.date, last: datetime.date) -> int:
    """Number of days from ``first`` to ``last``, both counted; 0 when ``last`` is before ``first``.

    >>> days_inclusive(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    30
    """
    return max((as_date(last, "last") - as_date(first, "first")).days + 1, 0)


def format_days(days: int, locale: LocaleLike = DEFAULT_LOCALE) -> str:
    """A count of whole days for people, in the plural form ``locale`` needs.

    >>> format_days(21), format_days(1, "en_US"), format_days(21, "en_US")
    ('21天', '1 day', '21 days')
    """
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise InvalidDuration(
            f"days {days!r} is not a count of days; pass an int of 0 or more, e.g. 21.",
            field="days",
            value=days,
            allowed="int >= 0",
        )
    return ngettext("%(num)d day", "%(num)d days", days, locale=locale)
