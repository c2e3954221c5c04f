"""Dates as day numbers, the one definition both RFM paths rank recency by.

The per-party path (:mod:`propcrm.analytics`) and the batch path (polars, in
:mod:`propcrm.segmentation`) must give every party the same recency rank, so they must turn a date
into the same integer and rank a customer without any event at the same place. Both import these
two names from here rather than keeping copies that could drift apart.
"""

from __future__ import annotations

import datetime
from typing import Final

__all__ = ["NO_EVENT_KEY", "epoch_days"]

_EPOCH_ORDINAL: Final = datetime.date(1970, 1, 1).toordinal()

NO_EVENT_KEY: Final = -10_000_000
"""Recency ranking key of an existing customer with no event at all: below every real date's
:func:`epoch_days` (1 January of year 1 is -719,162), so such a customer ranks least recent."""


def epoch_days(day: datetime.date) -> int:
    """Days from 1970-01-01 to ``day``: the integer polars stores a ``pl.Date`` as.

    >>> import pendulum
    >>> epoch_days(pendulum.date(1970, 1, 2)), epoch_days(pendulum.date(1969, 12, 31))
    (1, -1)
    """
    return day.toordinal() - _EPOCH_ORDINAL
