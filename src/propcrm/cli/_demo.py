"""``propcrm demo``: the sample community in a SQLite file, then a month end through the commands.

First the demo of :func:`propcrm.demo.run_demo` stores the sample community (阳光花园, SUNRISE) in
the file and prints it back, section by section (notices, late fees, service requests, a
complaint's lifecycle, parties, the service desk, the community's business, the file). Then it
tells the back office's month through the same commands a user types, run in this process on
that file, each shown with its command line: ``init`` records the community and its tariff;
``bill`` issues November's notices (those already in the file are not issued twice) and again
December's, twice; ``receipts import`` reconciles a bank file; ``month-end``, ``late-fee``,
``classify``, ``requests``, ``sla report``, ``notices render`` (HTML files in a folder beside the
database) and ``export arrears``. The story's today is 31 December 2026, whatever the clock says.
"""

from __future__ import annotations

import contextlib
import io
import json
import shlex
import tempfile
from pathlib import Path
from typing import Any

import click
import pendulum

from propcrm.cli._app import Session, cli, command_options, open_store
from propcrm.cli._errors import CommandFailed, ExitCode
from propcrm.cli._notices import period_statements
from propcrm.demo import DEFAULT_DB, run_demo
from propcrm.serialization import dumps
from propcrm.time import BillingPeriod

__all__ = ["demo"]

_RULE = "=" * 78
_TODAY = pendulum.date(2026, 12, 31)
_COMMUNITY = "SUNRISE"


def _bank_file(db: str, folder: Path) -> Path:
    """A bank collection file for the demo: one row of each common group, from the notices."""
    store = open_store(db)
    try:
        with store() as uow:
            november = period_statements(uow, _COMMUNITY, BillingPeriod.month(2026, 11))
    finally:
        store.dispose()
    # Units with one notice in November, so that each row meets the account it pays.
    counts: dict[str, int] = {}
    for statement in november:
        counts[statement.unit_id] = counts.get(statement.unit_id, 0) + 1
    single = [s for s in november if counts[s.unit_id] == 1]
    exact, less = single[-1], single[0]
    rows = [
        "reference,unit,amount,date",
        f"ICBC-20261205-0001,{exact.unit_id},{exact.total.amount:f},2026-12-05",
        f"ICBC-20261205-0002,{less.unit_id},{less.total.amount - 100:f},2026-12-05",
        "ICBC-20261205-0003,9-9-0909,300.00,2026-12-05",
        f"ICBC-20261205-0001,{exact.unit_id},{exact.total.amount:f},2026-12-05",
    ]
    path = folder / "bank-2026-12-06.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _tariff_file(db: str, folder: Path) -> Path:
    store = open_store(db)
    try:
        with store() as uow:
            tariff = uow.tariffs.get(_COMMUNITY).value
    finally:
        store.dispose()
    path = folder / "tariff.json"
    path.write_text(dumps(tariff), encoding="utf-8")
    return path


@cli.command()
@command_options(db_default=DEFAULT_DB)
def demo(session: Session) -> None:
    """Build the sample community in a SQLite file and run a month end on it, command by command.

    The file (propcrm-demo.sqlite in the current folder unless --db says otherwise) is replaced
    if it exists. Needs the sql extra (in the cli extra).
    """
    if "://" in session.db:
        raise click.UsageError("the demo writes a SQLite file: give --db a path, not a URL")
    db = session.db
    out = session.out
    shown = run_demo(session.locale, db=db)
    for line in shown.splitlines():
        out.line(line)
    out.line(_RULE)
    out.line(session._("The same file, through the command line (today: %(day)s)", day=_TODAY))
    notices = Path(db).resolve().with_name(Path(db).stem + "-notices")
    documents: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        tariff = _tariff_file(db, folder)
        steps: list[list[str]] = [
            ["init", "--community", _COMMUNITY, "--name", "阳光花园", "--tariff", str(tariff)],
            ["bill", "--period", "2026-11"],
            ["receipts", "import", str(_bank_file(db, folder)), "--received-on", "2026-12-06"],
            ["bill", "--period", "2026-12"],
            ["bill", "--period", "2026-12"],
            ["month-end", "--as-of", "2026-12-31"],
            ["late-fee", "1-2-0301", "--as-of", "2026-12-31", "--explain"],
            ["classify", "电梯里有人被困", "--at", "2026-12-31T09:00"],
            ["requests", "--at", "2026-11-24T09:00"],
            ["sla", "report", "--from", "2026-11-01", "--to", "2026-11-30"],
            ["notices", "render", "--period", "2026-11", "--format", "html", "--out", str(notices)],
            ["export", "arrears", "--as-of", "2026-12-31", "--format", "csv"],
        ]
        for step in steps:
            argv = [*step, "--db", db, "--locale", session.locale, "--today", _TODAY.isoformat()]
            if session.out.as_json:
                documents.append({"argv": step} | _run_captured(argv))
                continue
            out.line("")
            out.line("$ propcrm " + " ".join(shlex.quote(a) for a in _shown(step, folder)))
            _run(argv)
    out.line("")
    out.line(session._("The database: %(path)s", path=Path(db).resolve()))
    out.line(session._("The rendered notices: %(path)s", path=notices))
    out.line(
        session._(
            "Go on from here: propcrm month-end --db %(db)s --as-of 2027-01-31", db=shlex.quote(db)
        )
    )
    out.document(
        {
            "command": "demo",
            "db": str(Path(db).resolve()),
            "notices": str(notices),
            "today": _TODAY,
            "steps": documents,
        }
    )


def _shown(step: list[str], folder: Path) -> list[str]:
    # The scratch folder's files are shown by their names: the folder is gone when the demo ends.
    return [Path(a).name if a.startswith(str(folder)) else a for a in step]


def _run(argv: list[str]) -> None:
    code = cli.main(argv, prog_name="propcrm", standalone_mode=False)
    if code:
        raise CommandFailed(f"the demo's step {argv[0]} failed.", ExitCode(int(code)))


def _run_captured(argv: list[str]) -> dict[str, Any]:
    # An export prints its report; as JSON, it is the step's document.
    args = [a if a != "csv" else "json" for a in argv] if argv[0] == "export" else [*argv, "--json"]
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = cli.main(args, prog_name="propcrm", standalone_mode=False)
    return {"exit_code": int(code or 0), "document": json.loads(buffer.getvalue())}
