"""The stored facts of a portfolio as four polars frames, from accounts or from Parquet.

A batch path reads facts, not events: what each account's ledger holds as of the month-end
date (:meth:`propcrm.receivables.Account.positions`), one row per statement, per principal
reduction, per deferral and per dispute. Amounts are ``Int64`` minor units (fen), rates exact
integer ratios, dates polars ``Date``; nothing is ever a float.

``statements`` (one row per statement):

========================= ========= ==========================================================
column                    type      meaning
========================= ========= ==========================================================
account                   String    the account's id (its unit id)
seq                       Int32     the statement's place in the account's replay order
community                 String    the statement's community (a partition key)
statement                 String    the original statement's number (what facts hang on)
number                    String    the number of the revision in force
currency                  String    ISO 4217 code; amounts are in its minor units
due_on                    Date      the due date of the revision in force, before deferrals
principal_fen             Int64     the principal in force
paid_fen                  Int64     principal paid (for the state)
waived_fen                Int64     principal waived (for the state)
fee_paid_fen              Int64     late fee paid
fee_waived_fen            Int64     late fee waived
fee_written_fen           Int64     late fee written off
costs_fen                 Int64     collection costs charged
costs_paid_fen            Int64     collection costs paid
costs_written_fen         Int64     collection costs written off
written_off               Boolean   a write-off closed the statement
rate_num, rate_den        Int64     the daily late-fee rate, ``rate_num / rate_den`` exactly
grace_days                Int32     grace days (0: none)
grace_threshold           Boolean   a threshold grace (paid in full within it: no fee);
                                    else a deductible
start_on_due              Boolean   the due date itself is the first late day
daily_compounding         Boolean   the fee bears the rate too (handed to the explained path)
cap_kind                  String    ``none``, ``percent`` (of the principal), ``annual``
                                    (a yearly rate over the balance-days) or ``absolute``
cap_num, cap_den          Int64     the cap's exact factor (see :func:`cap_ratio`)
cap_days                  Int32     an annualised cap's days in a year (else 0)
rounding                  String    the policy's rounding mode, by name (``HALF_UP``…)
========================= ========= ==========================================================

``reductions``: ``account``, ``statement``, ``on`` (Date), ``amount_fen`` (Int64): principal
that stopped being owed (paid under the account's allocation order, waived or written off),
lowering the fee's base from the day after ``on``. ``deferrals``: ``account``, ``statement``,
``approved_on``, ``new_due_on`` (a window: in force from its approval). ``disputes``:
``account``, ``statement``, ``raised_on``, ``resolved_on`` (null while open).

``key`` (optional, any integer type, in all four frames or in none): an integer that names the
statement, unique among the statements, and on each fact its statement's. The batch path then
links the facts to their statements by it and reads no text to do so, which is what a
warehouse's surrogate keys are for; the ``account`` and ``statement`` text is then not
compared, so the key must agree with it. :func:`facts_from_accounts` numbers the statements
0, 1, 2… in their order. Without it the facts are linked by their text.
"""

from __future__ import annotations

import datetime
import importlib
import os
from collections.abc import Iterable
from typing import Any

import attrs

from propcrm._validators import check_instance, check_items, check_unique
from propcrm.billing import (
    AbsoluteCap,
    AnnualisedRateCap,
    Compounding,
    GraceKind,
    LateFeePolicy,
    NoCap,
    PercentOfPrincipalCap,
    StartRule,
)
from propcrm.errors import DuplicateAccount, InvalidType, MissingExtra, MissingFacts
from propcrm.receivables import Account
from propcrm.time import as_date

__all__ = [
    "DEFERRAL_SCHEMA",
    "DISPUTE_SCHEMA",
    "KEY",
    "REDUCTION_SCHEMA",
    "STATEMENT_SCHEMA",
    "PortfolioFacts",
    "cap_ratio",
    "facts_from_accounts",
    "numpy_module",
    "polars_module",
    "scan_facts",
    "write_facts",
]

_EXTRA_MESSAGE = (
    "the batch path of propcrm.portfolio needs polars, which is not installed; install the "
    "extra with: pip install 'propcrm[batch]'"
)


def polars_module() -> Any:
    """polars, imported on first use, or :class:`~propcrm.errors.MissingExtra` naming the extra."""
    if "pl" not in globals():
        try:
            globals()["pl"] = importlib.import_module("polars")
        except ModuleNotFoundError as exc:
            raise MissingExtra(_EXTRA_MESSAGE, extra="batch", module="polars") from exc
    return globals()["pl"]


def numpy_module() -> Any:
    """The numpy module (the batch extra installs it), imported on first use."""
    if "np" not in globals():
        try:
            globals()["np"] = importlib.import_module("numpy")
        except ModuleNotFoundError as exc:
            raise MissingExtra(
                _EXTRA_MESSAGE.replace("needs polars", "needs numpy"), extra="batch", module="numpy"
            ) from exc
    return globals()["np"]


# Column names and polars type names; the frames' dtypes are built from these on first use.
STATEMENT_SCHEMA: dict[str, str] = {
    "account": "String",
    "seq": "Int32",
    "community": "String",
    "statement": "String",
    "number": "String",
    "currency": "String",
    "due_on": "Date",
    "principal_fen": "Int64",
    "paid_fen": "Int64",
    "waived_fen": "Int64",
    "fee_paid_fen": "Int64",
    "fee_waived_fen": "Int64",
    "fee_written_fen": "Int64",
    "costs_fen": "Int64",
    "costs_paid_fen": "Int64",
    "costs_written_fen": "Int64",
    "written_off": "Boolean",
    "rate_num": "Int64",
    "rate_den": "Int64",
    "grace_days": "Int32",
    "grace_threshold": "Boolean",
    "start_on_due": "Boolean",
    "daily_compounding": "Boolean",
    "cap_kind": "String",
    "cap_num": "Int64",
    "cap_den": "Int64",
    "cap_days": "Int32",
    "rounding": "String",
}
"""The statements frame's columns and their polars types."""

REDUCTION_SCHEMA: dict[str, str] = {
    "account": "String",
    "statement": "String",
    "on": "Date",
    "amount_fen": "Int64",
}
"""The principal reductions frame's columns and their polars types."""

DEFERRAL_SCHEMA: dict[str, str] = {
    "account": "String",
    "statement": "String",
    "approved_on": "Date",
    "new_due_on": "Date",
}
"""The deferral windows frame's columns and their polars types."""

DISPUTE_SCHEMA: dict[str, str] = {
    "account": "String",
    "statement": "String",
    "raised_on": "Date",
    "resolved_on": "Date",
}
"""The dispute windows frame's columns and their polars types (``resolved_on`` nullable)."""

KEY = "key"
"""The optional integer column that links a statement's facts to it (see the module)."""

_SCHEMAS = {
    "statements": STATEMENT_SCHEMA,
    "reductions": REDUCTION_SCHEMA,
    "deferrals": DEFERRAL_SCHEMA,
    "disputes": DISPUTE_SCHEMA,
}


def _schema(columns: dict[str, str], *, keyed: bool = False) -> Any:
    pl = polars_module()
    schema = {name: getattr(pl, kind) for name, kind in columns.items()}
    if keyed:
        schema[KEY] = pl.Int64
    return pl.Schema(schema)


def cap_ratio(policy: LateFeePolicy) -> tuple[str, int, int]:
    """The cap as ``(kind, num, den)`` over integers, as the per-account path computes it.

    ``percent``: the fee is at most ``principal × num / den``; ``annual``: at most
    ``balance-days × num / den``; ``absolute``: at most ``num`` minor units (``den`` 1);
    ``none``: no cap (``0, 1``).

    >>> from propcrm.billing import LateFeePolicy, PercentOfPrincipalCap
    >>> cap_ratio(LateFeePolicy(cap=PercentOfPrincipalCap("30")))
    ('percent', 30, 100)
    """
    check_instance(policy, "policy", LateFeePolicy)
    cap = policy.cap
    if isinstance(cap, NoCap):
        return "none", 0, 1
    if isinstance(cap, PercentOfPrincipalCap | AnnualisedRateCap):
        kind = "percent" if isinstance(cap, PercentOfPrincipalCap) else "annual"
        # The same (num, den) as the cap's own limit_units, so the one rounding sees the same.
        num, den = cap.limit_units(1, 1)  # type: ignore[misc]
        return kind, num, den
    assert isinstance(cap, AbsoluteCap)  # the four kinds LateFeePolicy accepts
    return "absolute", cap.amount.minor_units, 1


def check_frame(value: object, field: str, columns: dict[str, str]) -> Any:
    """``value``, a polars frame holding ``columns``, as a lazy frame; anything else refused."""
    pl = polars_module()
    if not isinstance(value, pl.DataFrame | pl.LazyFrame):
        raise InvalidType(
            f"{field} {value!r} must be a polars DataFrame or LazyFrame.",
            field=field,
            value=value,
            allowed="a polars DataFrame or LazyFrame",
        )
    missing = sorted(set(columns) - set(value.collect_schema().names()))
    if missing:
        raise InvalidType(
            f"the {field} frame lacks the columns {', '.join(missing)}.",
            field=field,
            value=tuple(missing),
            allowed=", ".join(columns),
        )
    return value.lazy()


def _check_frame(value: object, field: str) -> None:
    check_frame(value, field, _SCHEMAS[field])


@attrs.frozen
class PortfolioFacts:
    """The four frames of a portfolio's stored facts (eager or lazy polars frames).

    See the module docstring for their columns; :func:`facts_from_accounts` builds them from
    accounts, :func:`scan_facts` reads them from Parquet.
    """

    statements: Any = attrs.field(validator=lambda _i, a, v: _check_frame(v, a.name))
    reductions: Any = attrs.field(validator=lambda _i, a, v: _check_frame(v, a.name))
    deferrals: Any = attrs.field(validator=lambda _i, a, v: _check_frame(v, a.name))
    disputes: Any = attrs.field(validator=lambda _i, a, v: _check_frame(v, a.name))

    def lazy(self) -> PortfolioFacts:
        """The same facts as lazy frames."""
        return PortfolioFacts(*(frame.lazy() for frame in attrs.astuple(self, recurse=False)))


def _day(ordinal: int) -> datetime.date:
    return datetime.date.fromordinal(ordinal)


def facts_from_accounts(accounts: Iterable[Account], as_of: datetime.date) -> PortfolioFacts:
    """The stored facts of ``accounts`` as of ``as_of``, as four eager frames.

    Each account's id is its unit id, so the accounts' units must differ.

    >>> import pendulum
    >>> from propcrm.billing import opening_statement
    >>> from propcrm.money import Money
    >>> from propcrm.time import BillingPeriod
    >>> nov = opening_statement(
    ...     community="SUNRISE",
    ...     unit_id="1-2-0301",
    ...     period=BillingPeriod.month(2026, 11),
    ...     amount=Money("1000.00"),
    ...     due_on=pendulum.date(2026, 12, 10),
    ... )
    >>> facts = facts_from_accounts([Account("1-2-0301").post(nov)], pendulum.date(2026, 12, 31))
    >>> facts.statements.select("account", "principal_fen", "rate_num", "rate_den").rows()
    [('1-2-0301', 100000, 3, 1000)]
    """
    pl = polars_module()
    day = as_date(as_of, "as_of")
    listed: tuple[Account, ...] = check_items(accounts, "accounts", Account)
    check_unique((a.unit_id for a in listed), "accounts", DuplicateAccount, what="unit")
    statements: dict[str, list[Any]] = {name: [] for name in (*STATEMENT_SCHEMA, KEY)}
    reductions: dict[str, list[Any]] = {name: [] for name in (*REDUCTION_SCHEMA, KEY)}
    deferrals: dict[str, list[Any]] = {name: [] for name in (*DEFERRAL_SCHEMA, KEY)}
    disputes: dict[str, list[Any]] = {name: [] for name in (*DISPUTE_SCHEMA, KEY)}
    policies: dict[LateFeePolicy, tuple[Any, ...]] = {}
    for account in listed:
        unit = account.unit_id
        for seq, row in enumerate(account.positions(day)):
            statement = row.statement
            policy = statement.late_fee
            terms = policies.get(policy)
            if terms is None:
                terms = (
                    *policy.rate_ratio,
                    policy.grace_days,
                    policy.grace_kind is GraceKind.THRESHOLD,
                    policy.start is StartRule.DUE_DATE,
                    policy.compounding is Compounding.DAILY,
                    *cap_ratio(policy),
                    policy.cap.days_in_year if isinstance(policy.cap, AnnualisedRateCap) else 0,
                    policy.rounding.name,
                )
                policies[policy] = terms
            key = len(statements[KEY])
            values = (
                unit,
                seq,
                statement.community,
                row.key,
                statement.number,
                account.currency,
                statement.due_on,
                row.principal,
                row.paid,
                row.waived,
                row.fee_paid,
                row.fee_waived,
                row.fee_written,
                row.costs,
                row.costs_paid,
                row.costs_written,
                row.written_off,
                *terms,
                key,
            )
            for column, value in zip(statements.values(), values, strict=True):
                column.append(value)
            for on, units in row.reductions:
                reductions["account"].append(unit)
                reductions["statement"].append(row.key)
                reductions["on"].append(_day(on))
                reductions["amount_fen"].append(units)
                reductions[KEY].append(key)
            for approved, new_due in row.deferrals:
                deferrals["account"].append(unit)
                deferrals["statement"].append(row.key)
                deferrals["approved_on"].append(_day(approved))
                deferrals["new_due_on"].append(_day(new_due))
                deferrals[KEY].append(key)
            for raised, resolved in row.disputes:
                disputes["account"].append(unit)
                disputes["statement"].append(row.key)
                disputes["raised_on"].append(_day(raised))
                disputes["resolved_on"].append(_day(resolved) if resolved else None)
                disputes[KEY].append(key)
    return PortfolioFacts(
        pl.DataFrame(statements, schema=_schema(STATEMENT_SCHEMA, keyed=True)),
        pl.DataFrame(reductions, schema=_schema(REDUCTION_SCHEMA, keyed=True)),
        pl.DataFrame(deferrals, schema=_schema(DEFERRAL_SCHEMA, keyed=True)),
        pl.DataFrame(disputes, schema=_schema(DISPUTE_SCHEMA, keyed=True)),
    )


def write_facts(facts: PortfolioFacts, directory: str | os.PathLike[str]) -> None:
    """Write the four frames as ``statements.parquet``, ``reductions.parquet``… in ``directory``.

    What a group's warehouse exports; :func:`scan_facts` reads them back lazily.
    """
    check_instance(facts, "facts", PortfolioFacts)
    folder = _folder(directory)
    if not os.path.isdir(folder):
        raise MissingFacts(
            f"{folder} is not a folder; write_facts writes four files into an existing folder.",
            field="directory",
            value=folder,
            allowed="an existing folder",
        )
    for name in _SCHEMAS:
        frame = getattr(facts, name)
        if hasattr(frame, "collect"):
            frame = frame.collect()
        frame.write_parquet(os.path.join(folder, f"{name}.parquet"))


def scan_facts(directory: str | os.PathLike[str]) -> PortfolioFacts:
    """The four frames in ``directory`` as lazy ``scan_parquet`` frames (nothing read yet)."""
    pl = polars_module()
    folder = _folder(directory)
    paths = [os.path.join(folder, f"{name}.parquet") for name in _SCHEMAS]
    missing = [os.path.basename(path) for path in paths if not os.path.isfile(path)]
    if missing:
        raise MissingFacts(
            f"{folder} lacks {', '.join(missing)}; a portfolio's facts are the four files "
            "write_facts writes.",
            field="directory",
            value=folder,
            allowed=", ".join(f"{name}.parquet" for name in _SCHEMAS),
        )
    return PortfolioFacts(*(pl.scan_parquet(path) for path in paths))


def _folder(directory: object) -> str:
    if not isinstance(directory, str | os.PathLike):
        raise InvalidType(
            f"directory {directory!r} must be a path (str or os.PathLike).",
            field="directory",
            value=directory,
            allowed="a str or os.PathLike path",
        )
    return os.fspath(directory)
