"""Shared helpers for the command-line tests: a runner on a fixed clock and a small community.

The community: three units of SUNRISE (two flats and a shop) with their owners, billed by a
tariff of 2.80 元/㎡ for flats and 6.50 元/㎡ for shops, approved by the owners' committee.
November's notices: 89.37 ㎡ × 2.80 = 250.236 → ¥250.24; 120.00 ㎡ × 2.80 = ¥336.00;
60.00 ㎡ × 6.50 = ¥390.00; ¥976.24 in all, due 10 December 2026.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pendulum
from click.testing import CliRunner, Result

from propcrm.cli import command_group
from propcrm.time import FixedClock

# The clock every test runs the commands on: never the machine's.
CLOCK = FixedClock(pendulum.datetime(2026, 12, 31, 9, 0, tz="Asia/Shanghai"))

UNITS = """unit_id,community,building,floor,number,property_type,building_area
1-2-0301,SUNRISE,1,3,0301,住宅,89.37
1-2-0302,SUNRISE,1,3,0302,residential,120.00
S-0101,SUNRISE,S,1,0101,commercial,60.00
"""
PARTIES = """party_id,kind,name,mobile
owner-1,person,张伟,13812345678
owner-2,person,李娜,
shop-1,enterprise,阳光便利店,
"""
RELATIONS = """relation_id,kind,party_id,unit_id,start,pays_fees
R1,owner,owner-1,1-2-0301,2020-01-01,是
R2,owner,owner-2,1-2-0302,2021-05-01,是
R3,owner,shop-1,S-0101,2019-03-01,是
"""
FEES = [
    "--fee",
    "residential=2.80",
    "--fee",
    "commercial=6.50",
    "--approval",
    "业委会决议〔2025〕12号",
    "--approved-on",
    "2025-11-15",
    "--announced-on",
    "2025-11-20",
    "--effective-from",
    "2026-01-01",
]


class Cli:
    """The ``propcrm`` group run in-process on one database, on :data:`CLOCK`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db = str(folder / "crm.sqlite")
        self.runner = CliRunner()

    def run(self, *args: str, db: bool = True) -> Result:
        """Run a command line (``--db`` added unless ``db=False``)."""
        argv = [*args, "--db", self.db] if db else list(args)
        return self.runner.invoke(command_group(), argv, obj={"clock": CLOCK})

    def json(self, *args: str, code: int = 0, db: bool = True) -> Any:
        """Run with ``--json``; the one document on stdout, after checking the exit code."""
        result = self.run(*args, "--json", db=db)
        assert result.exit_code == code, (result.stdout, result.stderr)
        return json.loads(result.stdout)

    def file(self, name: str, text: str, encoding: str = "utf-8") -> str:
        """Write a file in the test's folder; its path."""
        path = self.folder / name
        path.write_text(text, encoding=encoding)
        return str(path)

    def community(self) -> None:
        """Init SUNRISE with its tariff and import its units, owners and relations."""
        ok(self.run("init", "--community", "SUNRISE", "--name", "阳光花园", *FEES))
        ok(self.run("import", "units", self.file("units.csv", UNITS)))
        ok(
            self.run(
                "import", "parties", self.file("parties.csv", PARTIES), "--map", "mobile=mobile"
            )
        )
        ok(
            self.run(
                "import",
                "relations",
                self.file("relations.csv", RELATIONS),
                "--map",
                "pays_fees=pays_fees",
            )
        )


def ok(result: Result) -> Result:
    """``result`` after checking the command succeeded."""
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return result
