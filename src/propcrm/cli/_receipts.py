"""``propcrm receipts import BANKFILE``: the bank's collection file reconciled and posted.

The file (CSV or XLSX, as :func:`propcrm.banking.read_bank_file` reads it) is reconciled with
the accounts of the units it names, each unit's payments going to the account of the party the
party book says pays for it on the day the receipt arrived (``--received-on``, default today);
the receipts of the groups that post (matched, less or more than owed) are posted in the same
unit of work, so the file is posted whole or not at all. Rows refused or set aside (unknown
unit or notice, duplicates, conflicts, dated after the receipt) are reported by group and go
back to whoever checks the bank's file; importing the same file again posts nothing twice.

Columns: ``reference``, ``unit``, ``amount`` and ``date`` by default, or as ``--map`` names
them (``--map reference=交易流水号``); ``payer`` and ``statement`` are read when mapped.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import pendulum

from propcrm.banking import BankFileFormat, Reconciliation, RowOutcome, read_bank_file, reconcile
from propcrm.cli._app import (
    DATE,
    Session,
    account_ids,
    cli,
    collector_paused,
    command_options,
    community_option,
)
from propcrm.cli._output import amount
from propcrm.money import Money
from propcrm.receivables import Account, Receipt
from propcrm.storage import AccountId

if TYPE_CHECKING:
    from propcrm.parties import PartyBook
    from propcrm.storage import UnitOfWork

__all__ = ["receipts_group"]

_FIELDS = ("reference", "unit", "amount", "date")
_OPTIONAL = ("payer", "statement")
# Above this many rows the report for people lists each group's count and total only.
_LISTED_ROWS = 200


@cli.group("receipts")
def receipts_group() -> None:
    """The bank's collection files (银行代收): reconcile and post them."""


def _format(mapping: Sequence[str], **layout: Any) -> BankFileFormat:
    columns = {field: field for field in _FIELDS}
    for item in mapping:
        field, sep, header = item.partition("=")
        if not sep or field not in (*_FIELDS, *_OPTIONAL) or not header.strip():
            raise click.BadParameter(
                f"{item!r} is not FIELD=HEADER with a field of {', '.join(_FIELDS + _OPTIONAL)}",
                param_hint="--map",
            )
        columns[field] = header.strip()
    return BankFileFormat(
        reference=columns["reference"],
        unit=columns["unit"],
        amount=columns["amount"],
        date=columns["date"],
        payer=columns.get("payer"),
        statement=columns.get("statement"),
        **layout,
    )


def _accounts(
    uow: UnitOfWork,
    accounts: dict[str, list[AccountId]],
    units: set[str],
    day: pendulum.Date,
) -> dict[str, tuple[AccountId, int, Account]]:
    """For each unit of the file that has an account, the one its payments go to."""
    chosen: dict[str, tuple[AccountId, int, Account]] = {}
    # The party book only when a unit has accounts of several parties: read whole, it costs
    # more than the rest of a 100,000-line file where every unit has one account.
    book: PartyBook | None = None
    known: set[str] = set()
    for unit in sorted(units):
        ids = accounts.get(unit, [])
        if not ids:
            continue
        account_id = ids[-1]
        if len(ids) > 1:
            if book is None:
                book = uow.parties.book().value
                known = {u.unit_id for u in book.units}
            # The account of whoever pays for the unit on the day; else the latest opened.
            payer = book.payer(unit, day) if unit in known else None
            paying = [i for i in ids if payer is not None and i.billed_party == payer.party_id]
            account_id = paying[0] if paying else ids[-1]
        held = uow.accounts.get(account_id)
        chosen[unit] = (account_id, held.version, held.value)
    return chosen


@receipts_group.command("import")
@click.argument("bankfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--received-on",
    type=DATE,
    default=None,
    help="the day the bank's receipt (回单) reached the office, from which the payments count "
    "(default: today)",
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="FIELD=HEADER",
    help="the header of a field's column: reference, unit, amount, date (default: the "
    "field's name), payer, statement (read only when mapped); repeat",
)
@click.option("--encoding", default="utf-8-sig", show_default=True, help="utf-8-sig, gb18030, gbk")
@click.option("--delimiter", default=",", show_default=True)
@click.option("--header-line", type=int, default=1, show_default=True)
@click.option("--sheet", help="the XLSX sheet (default: the active one)")
@community_option
@command_options
@collector_paused()
def import_receipts(
    session: Session,
    *,
    bankfile: Path,
    received_on: pendulum.Date | None,
    mapping: tuple[str, ...],
    encoding: str,
    delimiter: str,
    header_line: int,
    sheet: str | None,
) -> None:
    """Reconcile a bank collection file with what is owed, post its receipts, report each group."""
    day = received_on or session.today
    fmt = _format(
        mapping, encoding=encoding, delimiter=delimiter, header_line=header_line, sheet=sheet
    )
    bank_file = read_bank_file(bankfile.read_bytes(), fmt)
    store = session.store()
    with store() as uow:
        code = session.community(uow).code
        units = {r.unit_id for r in bank_file.rows}
        chosen = _accounts(uow, account_ids(store, code), units, day)

        def posted(reference: str) -> tuple[str, Receipt] | None:
            found = uow.accounts.receipt(code, reference)
            return None if found is None else (found.account.unit_id, found.receipt)

        result = reconcile(
            bank_file,
            {unit: account for unit, (_id, _v, account) in chosen.items()},
            posted=posted,
            received_on=day,
        )
        to_post = result.receipts()
        with session.out.progress(session._("posting"), len(to_post)) as advance:
            for unit, receipts in to_post.items():
                account_id, version, _account = chosen[unit]
                uow.accounts.append(account_id, list(receipts), version)
                advance(1)
        uow.commit()
    _show(session, bankfile, day, result, sum(len(r) for r in to_post.values()))


def _show(
    session: Session, bankfile: Path, day: pendulum.Date, result: Reconciliation, posted: int
) -> None:
    out = session.out
    if len(result.rows) + len(result.rejected) <= _LISTED_ROWS:
        for line in result.describe(session.locale).splitlines():
            out.line(line)
    else:
        out.table(
            session._("Bank file %(file)s", file=bankfile.name),
            [session._("group"), session._("rows"), session._("amount")],
            [
                (outcome.label(session.locale), len(rows), out.money(result.total(outcome)))
                for outcome, rows in result.groups.items()
            ]
            + [(session._("refused"), len(result.rejected), "")],
            right=(1, 2),
        )
    out.line(
        session._(
            "%(count)d receipts posted, received on %(day)s", count=posted, day=day.isoformat()
        )
    )
    groups = {}
    for outcome in RowOutcome:
        rows = result.group(outcome)
        groups[outcome.value] = {
            "count": len(rows),
            "total": amount(Money.total((r.row.amount for r in rows), result.currency)),
            "rows": [
                {
                    "line": r.row.line,
                    "reference": r.row.reference,
                    "unit_id": r.row.unit_id,
                    "amount": amount(r.row.amount),
                    "paid_on": r.row.paid_on,
                    "owed": None if r.owed is None else amount(r.owed),
                    "credit": None if r.credit is None else amount(r.credit),
                    "first_line": r.first_line,
                    "posted_unit": r.posted_unit,
                    "reason": r.describe(session.locale),
                }
                for r in rows
            ],
        }
    out.document(
        {
            "command": "receipts import",
            "file": str(bankfile),
            "received_on": day,
            "currency": result.currency,
            "rows": len(result.rows),
            "total": amount(result.total()),
            "posted": posted,
            "groups": groups,
            "refused": [
                {
                    "line": e.line,
                    "column": e.column,
                    "value": e.value,
                    "reason": e.describe(session.locale),
                }
                for e in result.rejected
            ],
        }
    )
