"""The month end of a whole portfolio over columns (polars, ``propcrm[batch]``).

The explained per-account path (:meth:`propcrm.receivables.Account.balance`) says why each
figure is what it is; this batch path computes the same figures for every account of a
portfolio at once, over columns of stored facts in integer fen, and equals the explained path
to the fen on every account (a property test checks it). It names the accounts it leaves to
the explained path (figures too large for 64-bit integers), and :func:`explain` hands one
back.
:func:`dunning_steps` decides the dunning step due for every account from the month end, as
:func:`propcrm.receivables.due_steps` does.

The facts come from accounts (:func:`facts_from_accounts`) or from Parquet files a warehouse
exports (:func:`scan_facts`); :func:`stream_month_end` processes them a range of accounts at a
time, with memory bounded by the chunk.

:func:`reallocate` allocates raw receipts again under each account's allocation order, as
the per-account fold does, and gives the facts back; :func:`raw_facts_from_accounts` builds
its three frames from accounts.
:func:`notice_totals` sums a portfolio's fee notices over columns, each line rounded once as
the billing rules round it.
:func:`distributed_month_end` runs the month end partitioned by community on a Dask cluster
(``propcrm[dask]``) and :func:`distributed_replay` rebuilds accounts from their event
histories there (an audit).

polars and Dask are imported on first use, so ``import propcrm.portfolio`` works without them.
"""

from propcrm.portfolio._clocks import SLA_CLOCK_SCHEMA, sla_clocks
from propcrm.portfolio._distributed import distributed_month_end, distributed_replay
from propcrm.portfolio._dunning import (
    STEP_SCHEMA,
    dunning_steps,
    steps_frame,
)
from propcrm.portfolio._frames import (
    DEFERRAL_SCHEMA,
    DISPUTE_SCHEMA,
    REDUCTION_SCHEMA,
    STATEMENT_SCHEMA,
    PortfolioFacts,
    cap_ratio,
    facts_from_accounts,
    scan_facts,
    write_facts,
)
from propcrm.portfolio._month_end import (
    MonthEnd,
    explain,
    month_end,
    month_end_chunks,
    stream_month_end,
)
from propcrm.portfolio._notices import NOTICE_LINE_SCHEMA, NOTICE_TIER_SCHEMA, notice_totals
from propcrm.portfolio._reallocate import (
    POLICY_SCHEMA,
    RECEIPT_SCHEMA,
    RawFacts,
    Reallocation,
    raw_facts_from_accounts,
    reallocate,
)

__all__ = [
    "DEFERRAL_SCHEMA",
    "DISPUTE_SCHEMA",
    "NOTICE_LINE_SCHEMA",
    "NOTICE_TIER_SCHEMA",
    "POLICY_SCHEMA",
    "RECEIPT_SCHEMA",
    "REDUCTION_SCHEMA",
    "SLA_CLOCK_SCHEMA",
    "STATEMENT_SCHEMA",
    "STEP_SCHEMA",
    "MonthEnd",
    "PortfolioFacts",
    "RawFacts",
    "Reallocation",
    "cap_ratio",
    "distributed_month_end",
    "distributed_replay",
    "dunning_steps",
    "explain",
    "facts_from_accounts",
    "month_end",
    "month_end_chunks",
    "notice_totals",
    "raw_facts_from_accounts",
    "reallocate",
    "scan_facts",
    "sla_clocks",
    "steps_frame",
    "stream_month_end",
    "write_facts",
]


def __dir__() -> list[str]:
    return list(__all__)
