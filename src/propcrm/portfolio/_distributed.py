"""The month end and the replay of event histories on a Dask cluster, one partition per task.

A group spreads its portfolio over a cluster by community: each partition (a folder of the
Parquet facts :func:`~propcrm.portfolio.write_facts` writes, or a
:class:`~propcrm.portfolio.PortfolioFacts` value) holds whole accounts, each worker runs
:func:`~propcrm.portfolio.month_end` on the partitions it is given, and the client gathers the
results into one :class:`~propcrm.portfolio.MonthEnd`, equal to the single-process run over
the same facts. Nothing is computed differently on the cluster: the workers run the same
function the single process runs, so equality follows from the partitions holding whole
accounts, which the gathering checks.

Dask (``dask.distributed``, the ``propcrm[dask]`` extra) is imported here only, on first use.
"""

from __future__ import annotations

import datetime
import importlib
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from propcrm._validators import check_instance, check_items, check_iterable, check_text
from propcrm.errors import DuplicateAccount, InvalidQuantity, InvalidType, MissingExtra
from propcrm.portfolio._frames import (
    KEY,
    PortfolioFacts,
    facts_from_accounts,
    polars_module,
    scan_facts,
)
from propcrm.portfolio._month_end import STATEMENT_COLUMNS, MonthEnd, month_end
from propcrm.receivables import DEFAULT_AGING, Account, AccountEvent, AgingPolicy
from propcrm.time import as_date

__all__ = ["distributed_month_end", "distributed_replay"]

_EXTRA_MESSAGE = (
    "running propcrm.portfolio on a cluster needs dask.distributed, which is not installed; "
    "install the extra with: pip install 'propcrm[dask]'"
)


def _distributed() -> Any:
    """``distributed``, imported on first use, or :class:`~propcrm.errors.MissingExtra`."""
    try:
        return importlib.import_module("distributed")
    except ModuleNotFoundError as exc:
        raise MissingExtra(_EXTRA_MESSAGE, extra="dask", module="distributed") from exc


def _check_client(client: object) -> Any:
    distributed = _distributed()
    return check_instance(client, "client", distributed.Client)


def _partitions(partitions: object) -> tuple[str | PortfolioFacts, ...]:
    listed: tuple[object, ...] = check_items(
        partitions, "partitions", str, os.PathLike, PortfolioFacts
    )
    if not listed:
        raise InvalidQuantity(
            "a distributed run needs at least one partition.",
            field="partitions",
            value=listed,
            allowed="one or more Parquet folders or PortfolioFacts values",
        )
    return tuple(
        p if isinstance(p, PortfolioFacts | str) else os.fspath(cast("os.PathLike[str]", p))
        for p in listed
    )


def _columns(columns: object) -> tuple[str, ...]:
    names: tuple[str, ...] = check_items(columns, "columns", str)
    unknown = [name for name in names if name not in STATEMENT_COLUMNS]
    if unknown:
        raise InvalidType(
            f"columns names {', '.join(map(repr, unknown))}, which the month end has not.",
            field="columns",
            value=tuple(unknown),
            allowed=", ".join(STATEMENT_COLUMNS),
        )
    return names


def _month_end_of(
    partition: str | PortfolioFacts,
    as_of: datetime.date,
    aging: AgingPolicy,
    columns: tuple[str, ...] | None,
) -> MonthEnd:
    """One partition's month end, on a worker (a folder is read there, lazily)."""
    facts = scan_facts(partition) if isinstance(partition, str) else partition
    result = month_end(facts, as_of, aging)
    if columns is None:
        return result
    return MonthEnd(result.as_of, result.statements.select(columns), result.aging, result.explain)


def _owners(part: MonthEnd) -> Any:
    """The accounts a part names (aging, statements, explain), each once: a polars Series."""
    pl = polars_module()
    names = [part.aging.get_column("account"), pl.Series(part.explain, dtype=pl.String)]
    if "account" in part.statements.columns:
        names.append(part.statements.get_column("account"))
    return pl.concat([name.cast(pl.String) for name in names]).unique()


def _gathered(parts: Sequence[MonthEnd]) -> MonthEnd:
    """The parts as one, refusing an account found in two partitions."""
    owners = [_owners(part) for part in parts]
    everyone = polars_module().concat(owners)
    # Counted over columns: a million accounts' names walked in Python cost a third of a
    # second; they are walked only to name the account shared.
    if everyone.n_unique() != everyone.len():
        seen: dict[str, int] = {}
        for index, names in enumerate(owners):
            for account in names.sort().to_list():
                first = seen.setdefault(account, index)
                if first != index:
                    raise DuplicateAccount(
                        f"account {account!r} is in partitions {first} and {index}; each "
                        "partition must hold whole accounts (partition by community).",
                        field="partitions",
                        value=account,
                        allowed="partitions whose accounts differ",
                    )
    return MonthEnd.concat(parts)


def distributed_month_end(
    client: Any,
    partitions: Iterable[str | os.PathLike[str] | PortfolioFacts],
    as_of: datetime.date,
    aging: AgingPolicy = DEFAULT_AGING,
    *,
    columns: Iterable[str] | None = None,
) -> MonthEnd:
    """:func:`~propcrm.portfolio.month_end` of each partition on a Dask cluster, gathered.

    ``client`` is a ``distributed.Client``; each partition is a folder of the four Parquet
    files :func:`~propcrm.portfolio.write_facts` writes (read by the worker, so the path must
    be readable there: shared storage, or the same machine), or a
    :class:`~propcrm.portfolio.PortfolioFacts` value (sent to the cluster first). Each
    partition must hold whole accounts (one community per partition does); an account found
    in two is refused with :class:`~propcrm.errors.DuplicateAccount`.

    The result equals :func:`~propcrm.portfolio.month_end` over all the partitions' facts at
    once (statements in the partitions' order), to the fen. ``columns`` names the statements'
    columns to gather (all by default): a million units' twelve million statement rows are
    gigabytes, and a month end often needs only its aging, which is always gathered whole
    (``columns=()`` gathers no statements).

    The workers need propcrm, polars and the same Python as the client.
    """
    listed = _partitions(partitions)
    day = as_date(as_of, "as_of")
    check_instance(aging, "aging", AgingPolicy)
    wanted = None if columns is None else _columns(columns)
    check = _check_client(client)
    # Facts travel once, ahead of the tasks: inside the task graph they would be serialised
    # with it (and distributed warns about large graphs). Not keyed by their hash: equal facts
    # scattered by an earlier call share its key, and its release can take them away under
    # this call's tasks (distributed 2024.8 cancels them, "computation on lost data").
    facts = [p for p in listed if isinstance(p, PortfolioFacts)]
    scattered = iter(check.scatter(facts, hash=False) if facts else ())
    inputs = [next(scattered) if isinstance(p, PortfolioFacts) else p for p in listed]
    futures = check.map(_month_end_of, inputs, as_of=day, aging=aging, columns=wanted, pure=False)
    return _gathered(_as_they_finish(futures))


def _as_they_finish(futures: list[Any]) -> list[Any]:
    """The futures' results in their order, each fetched as soon as its task has finished.

    ``client.gather`` after the last task would leave the workers idle while the client
    fetches every part (a million units' agings are some 200 MB); fetched as they finish, only
    the last parts' transfer follows the computation (400,000 units in 2.0-2.1 s rather than
    2.2-2.5 on two workers). A task that failed raises its error here, as ``gather`` would.
    """
    place = {future.key: index for index, future in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    for future, result in _distributed().as_completed(futures, with_results=True):
        results[place[future.key]] = result
    return results


def _replayed(
    histories: Mapping[str, Sequence[AccountEvent]], as_of: datetime.date
) -> PortfolioFacts:
    """One partition's accounts rebuilt from their events, as facts, on a worker."""
    accounts = [Account(unit).post(*events) for unit, events in histories.items()]
    return facts_from_accounts(accounts, as_of)


def distributed_replay(
    client: Any,
    partitions: Iterable[Mapping[str, Sequence[AccountEvent]]],
    as_of: datetime.date,
) -> PortfolioFacts:
    """Every account rebuilt from its events on a Dask cluster: its facts as of ``as_of``.

    An audit, or a retroactive change replayed: each partition maps unit ids to their whole
    event histories (statements, receipts, waivers… in the order they were posted); each
    worker posts them to fresh :class:`~propcrm.receivables.Account` values and reads their
    facts (:meth:`~propcrm.receivables.Account.positions`), and the client gathers the facts
    of all the partitions, equal to :func:`~propcrm.portfolio.facts_from_accounts` of the
    same accounts rebuilt in one process. Compare them with the stored facts, or pass them to
    :func:`~propcrm.portfolio.month_end`. A history the ledger refuses raises its error here.
    """
    given = check_iterable(partitions, "partitions", "an iterable of mappings of unit id to events")
    listed: tuple[Mapping[str, Sequence[AccountEvent]], ...] = check_items(
        given, "partitions", Mapping
    )
    if not listed:
        raise InvalidQuantity(
            "a distributed replay needs at least one partition.",
            field="partitions",
            value=listed,
            allowed="one or more mappings of unit id to events",
        )
    day = as_date(as_of, "as_of")
    seen: set[str] = set()
    for histories in listed:
        for unit in histories:
            check_text(unit, "partitions")
            if unit in seen:
                raise DuplicateAccount(
                    f"unit {unit!r} is in two partitions; each account's history is replayed once.",
                    field="partitions",
                    value=unit,
                    allowed="partitions whose unit ids differ",
                )
            seen.add(unit)
    check = _check_client(client)
    futures = check.map(_replayed, check.scatter(list(listed), hash=False), as_of=day, pure=False)
    pl = polars_module()
    parts: list[PortfolioFacts] = _as_they_finish(futures)
    # Each worker numbers its statements' keys from 0: they follow on from the partitions
    # before, as facts_from_accounts numbers those of all the accounts.
    offsets = [0]
    for part in parts[:-1]:
        offsets.append(offsets[-1] + part.statements.height)
    return PortfolioFacts(
        *(
            pl.concat(
                [
                    getattr(part, name).with_columns(pl.col(KEY) + offset)
                    for part, offset in zip(parts, offsets, strict=True)
                ]
            )
            for name in ("statements", "reductions", "deferrals", "disputes")
        )
    )
