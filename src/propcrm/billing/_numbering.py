"""Fee-notice numbers: deterministic, one per unit, period, first billed day and revision.

Numbers are deterministic: ``{community}/{period code}/{unit id}``; a notice for days that start
after the period's first day (a buyer from the 16th) adds ``/F{MMDD}`` of its first day, and
revision ``n`` > 0 adds ``/R{n}``. Re-running a billing run never gives a notice a new number,
and the seller's and the buyer's notices for one unit and month never share one. Community codes
and unit ids may hold hyphens but no ``/`` and no spaces, so two different notices can never
share a number (with hyphens as separators, unit ``U-R2`` would collide with revision 2 of ``U``).

>>> nov = BillingPeriod.month(2026, 11)
>>> statement_number("SUNRISE", nov, "1-2-0301")
'SUNRISE/2026-11/1-2-0301'
>>> statement_number("SUNRISE", nov, "1-2-0301", first_day=pendulum.date(2026, 11, 16))
'SUNRISE/2026-11/1-2-0301/F1116'
>>> statement_number("SUNRISE", nov, "1-2-0301", revision=2)
'SUNRISE/2026-11/1-2-0301/R2'
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from propcrm._validators import MAX_ID_LENGTH
from propcrm.errors import InvalidQuantity, InvalidType
from propcrm.time import (
    BillingPeriod,
    as_date,
)

__all__ = ["check_token", "numbering", "statement_number"]


def check_token(what: str, value: object) -> str:
    # One word: non-empty, no whitespace (str.split() splits on exactly the characters
    # str.isspace() accepts, in C) and no "/", the separator of a number's parts.
    if (
        not isinstance(value, str)
        or value.split() != [value]
        or "/" in value
        or len(value) > MAX_ID_LENGTH
    ):
        raise InvalidQuantity(
            f"{what} {value!r} must be a non-empty str without spaces or '/', at most "
            f"{MAX_ID_LENGTH} characters, e.g. '1-2-0301'.",
            field=what.replace(" ", "_"),
            value=value,
            allowed=f"non-empty text without spaces or '/', at most {MAX_ID_LENGTH} characters",
        )
    return value


def numbering(community: str, period: BillingPeriod) -> Callable[[str], str]:
    """Plain numbers (no first day, revision 0) of ``community``'s notices for ``period``.

    The community code is checked and the prefix built once, here, rather than for each of the
    notices of a billing run.
    """
    if not isinstance(period, BillingPeriod):
        raise InvalidType(
            f"period {period!r} is not a BillingPeriod; pass e.g. BillingPeriod.month(2026, 11).",
            field="period",
            value=period,
            allowed="BillingPeriod",
        )
    prefix = f"{check_token('community code', community)}/{period.code}/"

    def number(unit_id: str) -> str:
        return prefix + check_token("unit id", unit_id)

    return number


def statement_number(
    community: str,
    period: BillingPeriod,
    unit_id: str,
    revision: int = 0,
    *,
    first_day: datetime.date | None = None,
) -> str:
    """The deterministic number of a unit's notice for a period, part of it, or a revision.

    Args:
        community: the community's code (no spaces, no ``/``).
        period: the billing period.
        unit_id: the unit's id (no spaces, no ``/``).
        revision: 0 for the first issue; a correction carries the next number.
        first_day: the first billed day, when the notice covers days from inside the period.
    """
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 0:
        raise InvalidQuantity(
            f"revision {revision!r} must be an int of 0 or more.",
            field="revision",
            value=revision,
            allowed="int >= 0",
        )
    number = numbering(community, period)(unit_id)
    if first_day is not None and as_date(first_day, "first_day") != period.start:
        day = as_date(first_day, "first_day")
        if not period.contains(day):
            raise InvalidQuantity(
                f"first billed day {day.isoformat()} lies outside period {period.code} "
                f"({period.start.isoformat()} to {period.end.isoformat()}).",
                field="first_day",
                value=day,
                allowed=f"{period.start.isoformat()} to {period.end.isoformat()}",
            )
        number += f"/F{day.month:02d}{day.day:02d}"
    return number if revision == 0 else f"{number}/R{revision}"
