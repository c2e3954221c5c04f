"""``propcrm month-end`` and ``propcrm late-fee``: late fees explained, arrears aged, dunning due.

The month end runs on the explained per-account path (:meth:`propcrm.receivables.Account.balance`,
:func:`~propcrm.receivables.arrears_as_of`, :func:`~propcrm.receivables.due_steps`) over the
accounts the store's indexed arrears scan finds owing on the day, rather than on the columnar
:mod:`propcrm.portfolio` path: each late fee must come with its breakdown (segments, cap, grace,
the one rounding), which only the explained path gives; it needs no polars; and the scan already
leaves out the accounts that owe nothing, so the accounts explained are only those in arrears.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import click
import pendulum

from propcrm._i18n import ngettext
from propcrm.cli._app import DATE, Session, cli, command_options, community_option
from propcrm.cli._errors import CommandFailed, ExitCode
from propcrm.cli._output import amount
from propcrm.receivables import (
    Account,
    DunningDecision,
    DunningPlan,
    StatementBalance,
    StepTaken,
    arrears_as_of,
    demand_dates,
    due_steps,
)
from propcrm.storage import AccountId, ArrearsEntry

if TYPE_CHECKING:
    from propcrm.storage import UnitOfWork

__all__ = ["arrears_entries", "late_fee_command", "month_end", "month_end_facts", "statement_row"]


def arrears_entries(
    uow: UnitOfWork, community: str, as_of: pendulum.Date
) -> Iterator[ArrearsEntry]:
    """Every account of the community with overdue statements on the day, page by page."""
    token = None
    while True:
        page = uow.accounts.arrears(community, as_of, limit=1000, after=token)
        yield from page.items
        if page.next is None or not page.items:
            return
        token = page.next


def statement_row(session: Session, row: StatementBalance) -> dict[str, object]:
    """One statement's balance with its late fee's breakdown, for JSON."""
    fee = row.late_fee
    return {
        "number": row.number,
        "due_on": row.due_on,
        "state": row.state.value,
        "days_overdue": row.days_overdue,
        "principal": amount(row.principal),
        "principal_paid": amount(row.principal_paid),
        "principal_outstanding": amount(row.principal_outstanding),
        "late_fee": amount(fee.amount),
        "late_fee_exact": amount(fee.exact),
        "late_fee_paid": amount(row.late_fee_paid),
        "late_fee_waived": amount(row.late_fee_waived),
        "late_fee_outstanding": amount(row.late_fee_outstanding),
        "costs_outstanding": amount(row.costs_outstanding),
        "outstanding": amount(row.outstanding),
        "segments": [
            {
                "start": s.start,
                "end": s.end,
                "days": s.days,
                "base": amount(s.base),
                "rate_percent": f"{s.rate.as_percent}",
                "amount": amount(s.amount),
            }
            for s in fee.segments
        ],
        "cap": fee.cap.describe(session.locale),
        "grace": fee.grace(session.locale),
        "rounding": fee.rounding(session.locale),
    }


def _breakdown(session: Session, unit: str, row: StatementBalance) -> list[str]:
    out = session.out
    fee = row.late_fee
    lines = [
        session._(
            "%(unit)s %(number)s: principal %(principal)s, paid %(paid)s, late fee "
            "%(fee)s (paid %(fee_paid)s, waived %(waived)s), %(state)s",
            unit=unit,
            number=row.number,
            principal=out.money(row.principal),
            paid=out.money(row.principal_paid),
            fee=out.money(fee.amount),
            fee_paid=out.money(row.late_fee_paid),
            waived=out.money(row.late_fee_waived),
            state=row.state.label(session.locale),
        )
    ]
    lines.extend(
        f"    {s.start}–{s.end} "
        # The count right-aligned in four places, so that the segments' columns line up.
        + ngettext(
            "%(days)s day",
            "%(days)s days",
            s.days,
            locale=session.locale,
            days=format(s.days, ">4"),
        )
        + f" × {out.money(s.base)} × {s.rate.as_percent}% = {s.amount.amount:f}"
        for s in fee.segments
    )
    if fee.cap.bit or fee.grace_outcome != "none":
        lines.append(f"    {fee.cap.describe(session.locale)}; {fee.grace(session.locale)}")
    lines.append(f"    {fee.rounding(session.locale)}")
    return lines


def month_end_facts(
    uow: UnitOfWork, community: str, as_of: pendulum.Date
) -> tuple[list[tuple[AccountId, Account]], list[StepTaken]]:
    """The accounts in arrears on the day, with the dunning steps taken on them."""
    accounts = [
        (e.account, uow.accounts.get(e.account).value)
        for e in arrears_entries(uow, community, as_of)
    ]
    history = [step for account_id, _a in accounts for step in uow.dunning.taken(account_id)]
    return accounts, history


@cli.command("month-end")
@click.option("--as-of", type=DATE, default=None, help="the month-end day (default: today)")
@community_option
@command_options
def month_end(session: Session, *, as_of: pendulum.Date | None) -> None:
    """Late fees with their breakdowns, arrears aged, and the dunning steps due."""
    day = as_of or session.today
    out = session.out
    store = session.store()
    with store() as uow:
        code = session.community(uow).code
        accounts, history = month_end_facts(uow, code, day)
    values = [account for _id, account in accounts]
    out.line(session._("Accounts and late fees as of %(day)s", day=day.isoformat()))
    statements = []
    for account_id, account in accounts:
        for row in account.balance(day).statements:
            if row.days_overdue <= 0 or row.outstanding.amount == 0:
                continue
            for line in _breakdown(session, account_id.unit_id, row):
                out.line(line)
            statements.append(
                {"unit_id": account_id.unit_id, "billed_party": account_id.billed_party}
                | statement_row(session, row)
            )
    report = arrears_as_of(values, day, interruptions=demand_dates(history))
    out.table(
        session._("Arrears by age"),
        [session._("age"), session._("principal"), session._("late fees"), session._("statements")],
        [
            (r.label(session.locale), out.money(r.principal), out.money(r.late_fees), r.statements)
            for r in report.rows
            if r.statements
        ],
        right=(1, 2, 3),
    )
    out.line(
        session._(
            "total %(total)s; past the limitation period %(barred)s",
            total=out.money(report.total),
            barred=out.money(report.past_limitation),
        )
    )
    decisions = due_steps(DunningPlan(code), values, day, history).decisions if values else ()
    out.line(session._("Dunning"))
    for decision in decisions:
        out.line(f"    {decision.describe(session.locale)}")
    out.document(
        {
            "command": "month-end",
            "as_of": day,
            "currency": report.currency,
            "statements": statements,
            "aging": [
                {
                    "bucket": r.bucket.code,
                    "label": r.label(session.locale),
                    "principal": amount(r.principal),
                    "late_fees": amount(r.late_fees),
                    "costs": amount(r.costs),
                    "total": amount(r.total),
                    "statements": r.statements,
                    "accounts": r.accounts,
                }
                for r in report.rows
            ],
            "total": amount(report.total),
            "past_limitation": amount(report.past_limitation),
            "dunning": [dunning_row(session, d) for d in decisions],
        }
    )


def dunning_row(session: Session, decision: DunningDecision) -> dict[str, object]:
    """One dunning decision for JSON: the account, the kind, the level and the reason."""
    return {
        "unit_id": decision.unit_id,
        "billed_party": decision.billed_party,
        "kind": decision.kind.value,
        "level": None if decision.level is None else decision.level.value,
        "channels": [c.value for c in decision.channels],
        "pay_by": decision.pay_by,
        "describe": decision.describe(session.locale),
    }


@cli.command("late-fee")
@click.argument("unit")
@click.option("--as-of", type=DATE, default=None, help="the last day counted (default: today)")
@click.option("--explain", is_flag=True, help="each fee's segments, cap, grace and rounding")
@community_option
@command_options
def late_fee_command(
    session: Session, *, unit: str, as_of: pendulum.Date | None, explain: bool
) -> None:
    """The late fees of a unit's notices on a day, and (--explain) how each was computed."""
    day = as_of or session.today
    out = session.out
    store = session.store()
    with store() as uow:
        code = session.community(uow).code
        ids = uow.accounts.of_unit(code, unit)
        if not ids:
            raise CommandFailed(
                f"unit {unit} has no account in community {code}: no notice was ever issued "
                "to it (propcrm bill), or the unit id is not this community's.",
                ExitCode.INVALID_INPUT,
            )
        accounts = [(i, uow.accounts.get(i).value) for i in ids]
    rows = []
    for account_id, account in accounts:
        for row in account.balance(day).statements:
            rows.append(
                {"unit_id": unit, "billed_party": account_id.billed_party}
                | statement_row(session, row)
            )
            if explain:
                for line in _breakdown(session, unit, row):
                    out.line(line)
    if not explain:
        out.table(
            session._("Late fees of %(unit)s as of %(day)s", unit=unit, day=day.isoformat()),
            [
                session._("number"),
                session._("days overdue"),
                session._("principal owed"),
                session._("late fee"),
                session._("state"),
            ],
            [
                (
                    r["number"],
                    r["days_overdue"],
                    r["principal_outstanding"],
                    r["late_fee"],
                    r["state"],
                )
                for r in rows
            ],
            right=(1, 2, 3),
        )
    out.document({"command": "late-fee", "unit_id": unit, "as_of": day, "statements": rows})
