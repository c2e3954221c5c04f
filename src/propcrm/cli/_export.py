"""``propcrm export arrears|dunning|sla|notices``: a report as CSV, XLSX or JSON.

Each report is a table with fixed columns (docs/cli.md lists them). Amounts are exact decimal
strings in every format, in XLSX too (as text cells: a spreadsheet's numbers are binary
floating point, which cannot hold every amount in fen exactly). CSV is UTF-8 with a byte-order
mark, which Excel needs to read Chinese; XLSX needs openpyxl (the ``xlsx`` extra). Without
``--out`` a CSV or JSON report goes to stdout.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
from collections.abc import Sequence
from pathlib import Path

import click
import pendulum

from propcrm.cli._app import DATE, PERIOD, Session, cli, command_options, community_option
from propcrm.cli._month_end import arrears_entries, dunning_row, month_end_facts
from propcrm.cli._notices import period_statements
from propcrm.cli._output import amount, jsonable
from propcrm.cli._service import community_requests, received_between, sla_row
from propcrm.errors import MissingExtra
from propcrm.receivables import DunningPlan, due_steps
from propcrm.sla import attainment, records_of
from propcrm.time import DEFAULT_ZONE, BillingPeriod

__all__ = ["COLUMNS", "export"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "arrears": (
        "unit_id",
        "billed_party",
        "number",
        "period",
        "due_on",
        "days_overdue",
        "state",
        "principal",
        "late_fees",
        "costs",
        "total",
    ),
    "dunning": ("unit_id", "billed_party", "kind", "level", "channels", "pay_by", "describe"),
    "sla": (
        "priority",
        "met",
        "breached",
        "open",
        "percent_met",
        "median_seconds",
        "p90_seconds",
        "reopens",
        "breaches",
    ),
    "notices": (
        "number",
        "unit_id",
        "billed_party",
        "period",
        "issued_on",
        "due_on",
        "total",
        "total_in_words",
    ),
}
"""Each report's columns, in order."""


def _arrears(session: Session, as_of: pendulum.Date) -> list[dict[str, object]]:
    store = session.store()
    with store() as uow:
        code = session.community(uow).code
        return [
            {
                "unit_id": entry.account.unit_id,
                "billed_party": entry.account.billed_party,
                "number": s.number,
                "period": s.period.code,
                "due_on": s.due_on,
                "days_overdue": s.days_overdue,
                "state": s.state.value,
                "principal": amount(s.principal),
                "late_fees": amount(s.late_fees),
                "costs": amount(s.costs),
                "total": amount(s.total),
            }
            for entry in arrears_entries(uow, code, as_of)
            for s in entry.statements
        ]


def _dunning(session: Session, as_of: pendulum.Date) -> list[dict[str, object]]:
    store = session.store()
    with store() as uow:
        code = session.community(uow).code
        accounts, history = month_end_facts(uow, code, as_of)
    values = [account for _id, account in accounts]
    if not values:
        return []
    decisions = due_steps(DunningPlan(code), values, as_of, history).decisions
    rows = [dunning_row(session, d) for d in decisions]
    for row in rows:
        row["channels"] = " ".join(str(c) for c in row["channels"])  # type: ignore[attr-defined]
    return rows


def _sla(session: Session, first: pendulum.Date, last: pendulum.Date) -> list[dict[str, object]]:
    end = pendulum.datetime(last.year, last.month, last.day, 23, 59, 59, tz=DEFAULT_ZONE)
    chosen = received_between(community_requests(session), first, last)
    records = [r for q in chosen for r in records_of(q.clocks, as_of=end)]
    rows = [sla_row(r) for r in attainment(records)]
    for row in rows:
        row["breaches"] = " ".join(row["breaches"])  # type: ignore[arg-type]
    return rows


def _notices(session: Session, period: BillingPeriod) -> list[dict[str, object]]:
    store = session.store()
    with store() as uow:
        code = session.community(uow).code
        statements = period_statements(uow, code, period)
    return [
        {
            "number": s.number,
            "unit_id": s.unit_id,
            "billed_party": s.billed_party,
            "period": s.period.code,
            "issued_on": s.issued_on,
            "due_on": s.due_on,
            "total": amount(s.total),
            "total_in_words": s.total_in_words(),
        }
        for s in statements
    ]


def _cells(row: dict[str, object], columns: Sequence[str]) -> list[object]:
    return ["" if row.get(c) is None else jsonable(row.get(c)) for c in columns]


def write_csv(rows: list[dict[str, object]], columns: Sequence[str]) -> str:
    """The rows as CSV text, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(_cells(row, columns) for row in rows)
    return buffer.getvalue()


def write_xlsx(
    rows: list[dict[str, object]], columns: Sequence[str], target: Path, title: str
) -> None:
    """The rows as an XLSX workbook, every cell text (amounts stay exact)."""
    try:
        openpyxl = importlib.import_module("openpyxl")
    except ImportError as missing:
        raise MissingExtra(
            "writing XLSX needs openpyxl: pip install 'propcrm[xlsx]' (or export --format csv).",
            extra="xlsx",
            module="openpyxl",
        ) from missing
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(list(columns))
    for row in rows:
        sheet.append([str(c) for c in _cells(row, columns)])
    book.save(target)


def _rows(
    session: Session,
    report: str,
    day: pendulum.Date,
    period: BillingPeriod | None,
    first: pendulum.Date | None,
    last: pendulum.Date | None,
) -> list[dict[str, object]]:
    if report == "arrears":
        return _arrears(session, day)
    if report == "dunning":
        return _dunning(session, day)
    if report == "sla":
        if first is None or last is None:
            raise click.UsageError("export sla needs --from and --to")
        return _sla(session, first, last)
    if period is None:
        raise click.UsageError("export notices needs --period")
    return _notices(session, period)


@cli.command("export")
@click.argument("report", type=click.Choice(list(COLUMNS)))
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv", show_default=True
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="the file to write")
@click.option("--as-of", type=DATE, default=None, help="arrears, dunning: the day (default: today)")
@click.option("--period", type=PERIOD, default=None, help="notices: the month (2026-11)")
@click.option("--from", "first", type=DATE, default=None, help="sla: the first day of receipt")
@click.option("--to", "last", type=DATE, default=None, help="sla: the last day of receipt")
@community_option
@command_options
def export(
    session: Session,
    *,
    report: str,
    fmt: str,
    out: Path | None,
    as_of: pendulum.Date | None,
    period: BillingPeriod | None,
    first: pendulum.Date | None,
    last: pendulum.Date | None,
) -> None:
    """Export a report (arrears, dunning, sla, notices) as CSV, XLSX or JSON."""
    if fmt == "xlsx" and out is None and not session.out.as_json:
        raise click.UsageError("an XLSX export needs --out FILE")
    if session.out.as_json and out is None:
        fmt = "json"  # --json without a file: the report itself is the one JSON document
    rows = _rows(session, report, as_of or session.today, period, first, last)
    columns = COLUMNS[report]
    document = {"command": "export", "report": report, "columns": list(columns), "rows": rows}
    if fmt == "xlsx":
        assert out is not None
        write_xlsx(rows, columns, out, report)
    elif fmt == "csv":
        text = write_csv(rows, columns)
        if out is None:
            click.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8-sig")
    else:
        text = json.dumps(jsonable(document), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        if out is None:
            click.echo(text, nl=False)
            return
        out.write_text(text, encoding="utf-8")
    if out is not None:
        session.out.line(session._("%(count)d rows written to %(file)s", count=len(rows), file=out))
        session.out.document(
            {
                "command": "export",
                "report": report,
                "file": str(out),
                "format": fmt,
                "rows": len(rows),
            }
        )
