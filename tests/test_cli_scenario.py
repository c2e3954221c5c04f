"""A month in a small community, as the domain brief tells it, through the command line.

Finance issues each unit's fee notice at the end of the month; residents pay through the bank
before the 10th of the following month; a payment counts from the day the bank's receipt reaches
the company; whoever pays late owes 0.3 % of the amount a day from the day after the due date;
and the month end shows who owes what, how old it is, and the dunning steps due (§2).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.cli_fixtures import CLOCK, Cli, ok

from propcrm.cli import ExitCode, command_group

DOCS = Path(__file__).parent.parent / "docs"


def test_a_community_from_import_to_notices_to_receipts_to_month_end(tmp_path: Path) -> None:
    cli = Cli(tmp_path)
    # The office records the community, its approved tariff, its units and who owns them.
    cli.community()
    # At the end of November finance issues each unit's notice, due on 10 December.
    november = cli.json("bill", "--period", "2026-11")
    assert [(n["unit_id"], n["total"], n["due_on"]) for n in november["notices"]] == [
        ("1-2-0301", "250.24", "2026-12-10"),
        ("1-2-0302", "336.00", "2026-12-10"),
        ("S-0101", "390.00", "2026-12-10"),
    ]
    # Customer service delivers them, printed.
    rendered = cli.json(
        "notices", "render", "--period", "2026-11", "--out", str(tmp_path / "notices")
    )
    assert len(rendered["notices"]) == 3
    # The bank's collection file arrives on 6 December: flat 0301 paid in full before the 10th,
    # flat 0302 paid part, the shop nothing.
    bank = cli.file(
        "bank.csv",
        "reference,unit,amount,date\n"
        "ICBC-0001,1-2-0301,250.24,2026-12-05\n"
        "ICBC-0002,1-2-0302,300.00,2026-12-05\n",
    )
    posted = cli.json("receipts", "import", bank, "--received-on", "2026-12-06")
    assert (posted["groups"]["matched"]["count"], posted["groups"]["underpaid"]["count"]) == (1, 1)
    # The shop's payment reaches the company on 20 December, ten days late: 10 × 0.3 % × 390.00
    # = 11.70 of late fee, which the payment settles first (Civil Code art. 561).
    late = cli.file("late.csv", "reference,unit,amount,date\nICBC-0107,S-0101,390.00,2026-12-19\n")
    cli.json("receipts", "import", late, "--received-on", "2026-12-20")
    # Month end, 31 December.
    month_end = cli.json("month-end", "--as-of", "2026-12-31")
    owed = {s["unit_id"]: s for s in month_end["statements"]}
    assert sorted(owed) == ["1-2-0302", "S-0101"]
    # Flat 0302 owes 36.00 from 11 December: 21 days × 0.3 % × 36.00 = 2.268 → 2.27.
    assert (owed["1-2-0302"]["principal_outstanding"], owed["1-2-0302"]["late_fee"]) == (
        "36.00",
        "2.27",
    )
    # The shop: 11.70 of fee (11 to 20 December), paid first, so 11.70 of principal is still
    # owed and accrues from 21 December: 11 days × 0.3 % × 11.70 = 0.3861; the fee, accrued
    # at full precision and rounded once, is 11.70 + 0.3861 = 12.0861 → 12.09.
    shop = owed["S-0101"]
    assert (shop["principal_outstanding"], shop["late_fee_paid"], shop["late_fee"]) == (
        "11.70",
        "11.70",
        "12.09",
    )
    assert month_end["total"] == "50.36"  # 36.00 + 2.27 + 11.70 + 0.39 (the fee still owed)
    assert [(d["unit_id"], d["level"]) for d in month_end["dunning"]] == [
        ("1-2-0302", "reminder"),
        ("S-0101", "reminder"),
    ]
    # The same month end for the finance manager's spreadsheet.
    arrears = cli.json("export", "arrears", "--as-of", "2026-12-31")
    assert [(r["unit_id"], r["total"]) for r in arrears["rows"]] == [
        ("1-2-0302", "38.27"),
        ("S-0101", "12.09"),
    ]
    # December is billed once, however often the job runs.
    assert cli.json("bill", "--period", "2026-12")["issued"] == 3
    assert cli.json("bill", "--period", "2026-12")["already_issued"] == 3


def _walkthrough() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The files and the ``$ propcrm`` blocks of docs/month-end.md, with their output."""
    page = (DOCS / "month-end.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```text\n(.*?)```", page, flags=re.DOTALL)
    files: dict[str, str] = {}
    steps: list[tuple[str, str]] = []
    for block in blocks:
        if block.startswith("$ propcrm "):
            command, _, output = block.partition("\n")
            while command.endswith("\\"):
                more, _, output = output.partition("\n")
                command = command[:-1] + " " + more.strip()
            steps.append((command.removeprefix("$ propcrm "), output))
        elif re.match(r"[a-z.]+\.csv\n", block):
            for part in block.strip("\n").split("\n\n"):
                name, _, body = part.partition("\n")
                files[name] = body + "\n"
    return files, steps


def test_the_month_end_page_shows_the_commands_real_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every ``$ propcrm`` block of docs/month-end.md, run in order, prints what the page shows."""
    files, steps = _walkthrough()
    assert set(files) == {"units.csv", "parties.csv", "relations.csv", "bank.csv"}
    assert len(steps) == 12
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    runner = CliRunner()
    for command, shown in steps:
        argv = [*shlex.split(command), "--locale", "en_US", "--today", "2026-12-31"]
        result = runner.invoke(command_group(), argv, obj={"clock": CLOCK})
        assert result.exit_code == ExitCode.OK, (command, result.stderr)
        assert result.stdout == shown, command
    ok(runner.invoke(command_group(), ["month-end", "--json"], obj={"clock": CLOCK}))
