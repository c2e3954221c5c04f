"""Time zones and aware datetimes.

Every instant in propcrm is an aware ``pendulum.DateTime``. Asia/Shanghai is the default zone,
but each rule takes its zone as an argument; nothing reads a process-wide setting. A naive
datetime is refused, never assumed to be in some zone.

>>> import datetime
>>> aware(datetime.datetime(2026, 11, 24, 9, 30))
Traceback (most recent call last):
...
propcrm.errors.NaiveDatetime: datetime 2026-11-24 09:30:00 has no time zone; pass an aware \
datetime, e.g. pendulum.datetime(2026, 11, 24, 9, 30, tz='Asia/Shanghai').
>>> aware(pendulum.datetime(2026, 11, 24, 1, 30, tz="UTC"), "Asia/Shanghai")
DateTime(2026, 11, 24, 9, 30, 0, tzinfo=Timezone('Asia/Shanghai'))
"""

from __future__ import annotations

import datetime
from functools import cache

import pendulum

from propcrm.errors import NaiveDatetime, NotAnInstant, UnknownTimeZone

__all__ = ["DEFAULT_ZONE", "aware", "local_date", "zone"]

DEFAULT_ZONE = "Asia/Shanghai"
"""The default zone of every rule (China Standard Time, no daylight saving)."""


def zone(name: str) -> pendulum.Timezone:
    """The IANA zone called ``name``; :class:`~propcrm.errors.UnknownTimeZone` if there is none.

    >>> zone(None)
    Traceback (most recent call last):
    ...
    propcrm.errors.UnknownTimeZone: time zone None is not an IANA zone name; use one like \
'Asia/Shanghai'.
    """
    # Only text reaches the cache: an unhashable name would fail there with a bare TypeError.
    return _zone(name) if type(name) is str else _zone_refused(name)


def _zone_refused(name: object) -> pendulum.Timezone:
    raise UnknownTimeZone(
        f"time zone {name!r} is not an IANA zone name; use one like 'Asia/Shanghai'.",
        field="tz",
        value=name,
        allowed="an IANA zone name",
    )


@cache
def _zone(name: str) -> pendulum.Timezone:
    if not name.strip():
        _zone_refused(name)
    try:
        found = pendulum.timezone(name)
    except Exception:  # pendulum raises a zoneinfo error type that differs by version
        raise UnknownTimeZone(
            f"time zone {name!r} is not an IANA zone name; use one like 'Asia/Shanghai'.",
            field="tz",
            value=name,
            allowed="an IANA zone name",
        ) from None
    if not isinstance(found, pendulum.Timezone):  # a fixed offset such as "+08:00"
        raise UnknownTimeZone(
            f"time zone {name!r} is a fixed offset; use an IANA zone name like 'Asia/Shanghai'.",
            field="tz",
            value=name,
            allowed="an IANA zone name",
        )
    return found


def aware(
    value: datetime.datetime, tz: str | None = None, *, field: str = "instant"
) -> pendulum.DateTime:
    """``value`` as a pendulum ``DateTime``, converted to ``tz`` when given; naive values raise.

    Anything but a ``datetime`` raises :class:`~propcrm.errors.NotAnInstant`; ``field`` names
    the argument in the error, for entry points that check their instants here.

    >>> aware("2026-11-24 09:30", field="received_at")
    Traceback (most recent call last):
    ...
    propcrm.errors.NotAnInstant: received_at must be an aware datetime, got str \
'2026-11-24 09:30'; e.g. pendulum.datetime(2026, 11, 24, 9, 30, tz='Asia/Shanghai').
    """
    if not isinstance(value, datetime.datetime):
        raise NotAnInstant(
            f"{field} must be an aware datetime, got {type(value).__name__} {value!r}; e.g. "
            f"pendulum.datetime(2026, 11, 24, 9, 30, tz='{DEFAULT_ZONE}').",
            field=field,
            value=value,
            allowed="aware datetime.datetime",
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetime(
            f"datetime {value} has no time zone; pass an aware datetime, e.g. "
            f"pendulum.datetime({value.year}, {value.month}, {value.day}, {value.hour}, "
            f"{value.minute}, tz='{DEFAULT_ZONE}').",
            field=field,
            value=value,
            allowed="aware datetime.datetime",
        )
    result = pendulum.instance(value)
    return result.in_timezone(zone(tz)) if tz is not None else result


def local_date(value: datetime.datetime, tz: str = DEFAULT_ZONE) -> pendulum.Date:
    """The calendar date of the instant ``value`` in zone ``tz``.

    >>> local_date(pendulum.datetime(2026, 11, 30, 17, 0, tz="UTC"))
    Date(2026, 12, 1)
    """
    zone(tz)  # None would otherwise mean "the instant's own zone", which no rule wants
    return aware(value, tz, field="value").date()
