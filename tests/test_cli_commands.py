"""Each command through Click's CliRunner on a temporary SQLite file: output, JSON, exit codes."""

from __future__ import annotations

import csv
import importlib
import io
import os
import sqlite3
from pathlib import Path

import pytest
from tests.cli_fixtures import PARTIES, RELATIONS, UNITS, Cli, ok

from propcrm.cli import ExitCode


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


@pytest.fixture
def billed(cli: Cli) -> Cli:
    """SUNRISE with November billed."""
    cli.community()
    ok(cli.run("bill", "--period", "2026-11"))
    return cli


# -- database and community ------------------------------------------------------------------


def test_a_command_on_a_missing_database_says_to_run_init(cli: Cli) -> None:
    """No file at --db: exit 5, the message names the init to run, and no file is made."""
    result = cli.run("bill", "--period", "2026-11")
    assert result.exit_code == ExitCode.DATABASE
    assert "propcrm init --db" in result.stderr
    assert "Traceback" not in result.stderr
    assert not Path(cli.db).exists()


def test_a_database_without_a_community_says_to_record_one(cli: Cli) -> None:
    """A schema but no community: exit 5 naming init --community."""
    ok(cli.run("init", "--community", "SUNRISE", "--name", "阳光花园"))
    # A second community makes the choice explicit.
    ok(cli.run("init", "--community", "MOON", "--name", "月光苑"))
    result = cli.run("bill", "--period", "2026-11")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "MOON, SUNRISE" in result.stderr
    result = cli.run("bill", "--period", "2026-11", "--community", "SUNRISE")
    assert result.exit_code == ExitCode.DATABASE
    assert "has no tariff yet" in result.stderr


def test_an_out_of_date_schema_is_exit_5_and_init_upgrades_it(cli: Cli) -> None:
    """A database at no revision is refused with exit 5; init brings it up to date."""
    sqlite3.connect(cli.db).close()  # an empty SQLite file: no propcrm schema
    result = cli.run("month-end", "--as-of", "2026-12-31")
    assert result.exit_code == ExitCode.DATABASE
    assert "propcrm init --db" in result.stderr
    document = cli.json("init", "--community", "SUNRISE", "--name", "阳光花园")
    assert document["done"] == ["已登记小区 SUNRISE"]


def test_init_json_and_a_tariff_version_changed_is_a_conflict(cli: Cli) -> None:
    """init records the tariff; the same version with other fees is exit 6, nothing written."""
    document = cli.json(
        "init",
        "--community",
        "SUNRISE",
        "--name",
        "阳光花园",
        "--fee",
        "residential=2.80",
        "--approval",
        "业委会决议〔2025〕12号",
        "--approved-on",
        "2025-11-15",
        "--effective-from",
        "2026-01-01",
    )
    assert document["community"] == {"code": "SUNRISE", "name": "阳光花园", "tariff": "SUNRISE"}
    assert document["done"] == ["已登记小区 SUNRISE", "已保存收费标准 SUNRISE"]
    changed = cli.json(
        "init",
        "--community",
        "SUNRISE",
        "--name",
        "阳光花园",
        "--fee",
        "residential=3.00",
        "--approval",
        "业委会决议〔2025〕13号",
        "--approved-on",
        "2025-11-15",
        "--effective-from",
        "2026-01-01",
        code=ExitCode.CONFLICT,
    )
    assert changed["error"]["exit_code"] == ExitCode.CONFLICT
    assert "a version once stored is never changed" in changed["error"]["message"]


def test_a_fee_without_its_approval_is_a_usage_error(cli: Cli) -> None:
    result = cli.run("init", "--community", "SUNRISE", "--name", "x", "--fee", "residential=2.8")
    assert result.exit_code == ExitCode.USAGE
    assert "--fee needs --approval" in result.stderr


# -- imports ---------------------------------------------------------------------------------

BAD_UNITS = """unit_id,community,building,floor,number,property_type,building_area
2-1-0101,SUNRISE,2,1,0101,住宅,89.37
2-1-0102,SUNRISE,2,1,0102,villa,89.37
2-1-0103,SUNRISE,2,1,0103,住宅,1e2
1-2-0301,SUNRISE,1,3,0301,住宅,89.37
2-1-0104,MOON,2,1,0104,住宅,70.00
"""


def test_a_bad_import_lists_every_bad_row_and_writes_nothing(cli: Cli) -> None:
    """Four bad rows (two the library refuses, two the database does): exit 4, none written."""
    cli.community()
    document = cli.json("import", "units", cli.file("bad.csv", BAD_UNITS), code=ExitCode.BAD_ROWS)
    report = document["error"]["report"]
    assert (report["lines"], report["good"], report["written"]) == (5, 1, 0)
    assert [(b["line"], b["column"], b["value"]) for b in report["bad"]] == [
        (3, "property_type", "villa"),
        (4, "building_area", "1e2"),
        (5, "unit_id", "1-2-0301"),
        (6, "community", "MOON"),
    ]
    assert report["bad"][2]["reason"] == "unit 1-2-0301 is already in the database."
    units = cli.json("export", "notices", "--period", "2026-11")  # still three units billed
    assert units["rows"] == []
    text = cli.run("import", "units", cli.file("bad.csv", BAD_UNITS), "--locale", "en_US")
    assert text.exit_code == ExitCode.BAD_ROWS
    assert "5 rows, 1 good, 4 bad" in text.stdout
    assert (
        "line 4, column building_area: '1e2' is not a decimal number such as 89.37." in text.stdout
    )
    assert "nothing was written" in text.stderr
    bill = cli.json("bill", "--period", "2026-11")
    assert [n["unit_id"] for n in bill["notices"]] == ["1-2-0301", "1-2-0302", "S-0101"]


def test_skip_bad_writes_the_good_rows_and_the_bad_ones_to_a_file(cli: Cli) -> None:
    """--skip-bad: the one good unit is imported, the four bad rows go to the file."""
    cli.community()
    skipped = cli.folder / "skipped.csv"
    document = cli.json(
        "import", "units", cli.file("bad.csv", BAD_UNITS), "--skip-bad", str(skipped)
    )
    assert document["written"] == 1
    rows = list(csv.reader(io.StringIO(skipped.read_text(encoding="utf-8"))))
    assert rows[0] == ["line", "column", "value", "reason"]
    assert [r[:3] for r in rows[1:]] == [
        ["3", "property_type", "villa"],
        ["4", "building_area", "1e2"],
        ["5", "unit_id", "1-2-0301"],
        ["6", "community", "MOON"],
    ]
    # The new unit has no owner yet: nobody is billable for it, and the bill says so.
    bill = cli.json("bill", "--period", "2026-11")
    assert bill["nobody_billable"] == ["2-1-0101"]


def test_a_dry_run_writes_nothing_even_when_every_row_is_good(cli: Cli) -> None:
    cli.community()
    good = "unit_id,community,building,floor,number,property_type,building_area\n"
    good += "2-1-0101,SUNRISE,2,1,0101,住宅,89.37\n"
    document = cli.json("import", "units", cli.file("good.csv", good), "--dry-run")
    assert (document["good"], document["written"], document["dry_run"]) == (1, 0, True)
    again = cli.json("import", "units", cli.file("good.csv", good))
    assert again["written"] == 1  # not already in the database: the dry run wrote nothing


def test_an_import_with_chinese_headers_through_map_in_gb18030(cli: Cli) -> None:
    cli.community()
    text = "房号,小区,楼栋,楼层,室号,类型,建筑面积\n2-1-0101,SUNRISE,2,1,0101,住宅,89.37\n"
    path = cli.folder / "units-gbk.csv"
    path.write_bytes(text.encode("gb18030"))
    mapping = []
    for field, header in [
        ("unit_id", "房号"),
        ("community", "小区"),
        ("building", "楼栋"),
        ("floor", "楼层"),
        ("number", "室号"),
        ("property_type", "类型"),
        ("building_area", "建筑面积"),
    ]:
        mapping += ["--map", f"{field}={header}"]
    document = cli.json("import", "units", str(path), "--encoding", "gb18030", *mapping)
    assert document["written"] == 1


def test_readings_are_billed_with_their_units_water(cli: Cli) -> None:
    """A metered tariff from --tariff FILE; a reading of 18 t prices 15 × 3.45 + 3 × 4.83."""
    import pendulum

    from propcrm.billing import (
        Approval,
        Approver,
        AreaCharge,
        MeteredCharge,
        PropertyType,
        Tariff,
        TariffVersion,
        Tier,
        TieredPrice,
    )
    from propcrm.money import Money
    from propcrm.serialization import dumps

    water = TieredPrice(
        (Tier(up_to="15", unit_price=Money("3.45")), Tier(up_to=None, unit_price=Money("4.83")))
    )
    tariff = Tariff(
        "SUNRISE",
        [
            TariffVersion(
                "2026",
                effective_from=pendulum.date(2026, 1, 1),
                announced_on=pendulum.date(2025, 11, 20),
                approval=Approval(Approver.OWNERS_COMMITTEE, "决议", pendulum.date(2025, 11, 15)),
                charges={
                    PropertyType.RESIDENTIAL: (
                        AreaCharge("MGMT", "物业管理费", Money("2.80")),
                        MeteredCharge("WATER", "水费", "water", water),
                    ),
                    PropertyType.COMMERCIAL: (AreaCharge("MGMT", "物业管理费", Money("6.50")),),
                },
            )
        ],
    )
    ok(
        cli.run(
            "init",
            "--community",
            "SUNRISE",
            "--name",
            "阳光花园",
            "--tariff",
            cli.file("tariff.json", dumps(tariff)),
        )
    )
    ok(cli.run("import", "units", cli.file("units.csv", UNITS)))
    ok(cli.run("import", "parties", cli.file("parties.csv", PARTIES)))
    ok(cli.run("import", "relations", cli.file("r.csv", RELATIONS), "--map", "pays_fees=pays_fees"))
    readings = "meter_id,kind,previous,current,read_on,unit_id\n"
    readings += "W-0301,water,120,138,2026-11-30,1-2-0301\n"
    readings += "W-9999,water,1,2,2026-11-30,9-9-9999\n"
    bad = cli.json(
        "import",
        "readings",
        cli.file("w.csv", readings),
        "--period",
        "2026-11",
        code=ExitCode.BAD_ROWS,
    )
    assert [(b["line"], b["column"]) for b in bad["error"]["report"]["bad"]] == [(3, "unit_id")]
    kept = cli.json(
        "import",
        "readings",
        cli.file("w.csv", readings),
        "--period",
        "2026-11",
        "--skip-bad",
        str(cli.folder / "bad-readings.csv"),
    )
    assert kept["written"] == 1
    bill = cli.json("bill", "--period", "2026-11")
    flat = bill["notices"][0]
    # 250.24 + 15 × 3.45 + 3 × 4.83 = 250.24 + 51.75 + 14.49
    assert (flat["unit_id"], flat["total"]) == ("1-2-0301", "316.48")


# -- bill ------------------------------------------------------------------------------------


def test_bill_twice_issues_nothing_twice_and_says_so(cli: Cli) -> None:
    cli.community()
    first = cli.json("bill", "--period", "2026-11")
    assert first["issued"] == 3
    assert first["total"] == "976.24"
    assert [(n["number"], n["total"], n["due_on"]) for n in first["notices"]] == [
        ("SUNRISE/2026-11/1-2-0301", "250.24", "2026-12-10"),
        ("SUNRISE/2026-11/1-2-0302", "336.00", "2026-12-10"),
        ("SUNRISE/2026-11/S-0101", "390.00", "2026-12-10"),
    ]
    assert first["notices"][0]["billed_party"] == "owner-1"
    second = cli.run("bill", "--period", "2026-11", "--locale", "en_US")
    assert "0 notices issued for 2026-11" in second.stdout
    assert "3 notices were issued already and were not issued again" in second.stdout
    again = cli.json("bill", "--period", "2026-11")
    assert (again["issued"], again["already_issued"], again["total"]) == (0, 3, "0.00")
    notices = cli.json("export", "notices", "--period", "2026-11", "--format", "json")
    assert len(notices["rows"]) == 3


def test_bill_speaks_chinese_by_default(billed: Cli) -> None:
    result = billed.run("bill", "--period", "2026-11")
    assert "已开具的3张通知单不再重复开具" in result.stdout


def test_a_bad_period_is_a_usage_error(cli: Cli) -> None:
    result = cli.run("bill", "--period", "2026-13")
    assert result.exit_code == ExitCode.USAGE
    assert "'2026-13' is not a month such as 2026-11." in result.stderr


# -- receipts --------------------------------------------------------------------------------

BANK = """reference,unit,amount,date,notice
B-01,1-2-0301,250.24,2026-12-05,
B-02,1-2-0302,300.00,2026-12-05,
B-03,S-0101,400.00,2026-12-05,
B-04,9-9-0909,100.00,2026-12-05,
B-05,1-2-0301,10.00,2026-12-05,SUNRISE/2026-10/1-2-0301
B-01,1-2-0301,250.24,2026-12-05,
B-03,S-0101,390.00,2026-12-05,
B-06,1-2-0302,36.00,2026-12-09,
B-07,1-2-0302,1e3,2026-12-05,
"""
AGAIN = """reference,unit,amount,date
B-01,1-2-0301,250.24,2026-12-05
B-02,1-2-0302,299.00,2026-12-05
"""


def test_a_bank_file_with_every_reconciliation_group(billed: Cli) -> None:
    """Each group once; the groups' totals, the posting and a second file's duplicates."""
    first = billed.json(
        "receipts",
        "import",
        billed.file("bank.csv", BANK),
        "--received-on",
        "2026-12-06",
        "--map",
        "statement=notice",
    )
    groups = {name: (g["count"], g["total"]) for name, g in first["groups"].items() if g["count"]}
    assert groups == {
        "matched": (1, "250.24"),
        "underpaid": (1, "300.00"),
        "overpaid": (1, "400.00"),
        "unknown_unit": (1, "100.00"),
        "unknown_statement": (1, "10.00"),
        "duplicate_in_file": (1, "250.24"),
        "conflict_in_file": (1, "390.00"),
        "dated_after_receipt": (1, "36.00"),
    }
    assert first["groups"]["overpaid"]["rows"][0]["credit"] == "10.00"
    assert first["groups"]["underpaid"]["rows"][0]["owed"] == "336.00"
    assert [(r["line"], r["column"]) for r in first["refused"]] == [(10, "amount")]
    assert (first["rows"], first["total"], first["posted"]) == (8, "1736.48", 3)
    second = billed.json(
        "receipts", "import", billed.file("again.csv", AGAIN), "--received-on", "2026-12-06"
    )
    groups = {name: g["count"] for name, g in second["groups"].items() if g["count"]}
    assert groups == {"already_posted": 1, "conflict_posted": 1}
    assert second["groups"]["conflict_posted"]["rows"][0]["posted_unit"] == "1-2-0302"
    assert second["posted"] == 0
    # What was posted: 1-2-0302 still owes 36.00 and S-0101 holds 10.00 of credit.
    arrears = billed.json("export", "arrears", "--as-of", "2026-12-31", "--format", "json")
    assert [(r["unit_id"], r["principal"]) for r in arrears["rows"]] == [("1-2-0302", "36.00")]


def test_the_receipts_report_for_people_in_both_locales(billed: Cli) -> None:
    bank = billed.file("bank.csv", "reference,unit,amount,date\nB-1,1-2-0301,250.24,2026-12-05\n")
    zh = billed.run("receipts", "import", bank, "--received-on", "2026-12-06")
    assert "金额相符：1行，共¥250.24" in zh.stdout
    en = billed.run("receipts", "import", bank, "--received-on", "2026-12-06", "--locale", "en_US")
    assert "already posted: 1 row, CN¥250.24" in en.stdout
    assert "0 receipts posted, received on 2026-12-06" in en.stdout


# -- month end and late fees -----------------------------------------------------------------


def test_month_end_json_to_the_fen(billed: Cli) -> None:
    """21 days late at 0.3 % a day: 250.24 → 15.77, 336.00 → 21.17 (21.168), 390.00 → 24.57."""
    document = billed.json("month-end", "--as-of", "2026-12-31")
    fees = [(s["unit_id"], s["late_fee"], s["late_fee_exact"]) for s in document["statements"]]
    assert fees == [
        ("1-2-0301", "15.77", "15.76512"),
        ("1-2-0302", "21.17", "21.168"),
        ("S-0101", "24.57", "24.57"),
    ]
    segment = document["statements"][0]["segments"][0]
    assert segment == {
        "start": "2026-12-11",
        "end": "2026-12-31",
        "days": 21,
        "base": "250.24",
        "rate_percent": "0.3",
        "amount": "15.76512",
    }
    assert document["total"] == "1037.75"  # 976.24 + 15.77 + 21.17 + 24.57
    (bucket,) = [a for a in document["aging"] if a["statements"]]
    assert (bucket["principal"], bucket["late_fees"], bucket["accounts"]) == ("976.24", "61.51", 3)
    assert [(d["unit_id"], d["kind"], d["level"]) for d in document["dunning"]] == [
        ("1-2-0301", "step_due", "reminder"),
        ("1-2-0302", "step_due", "reminder"),
        ("S-0101", "step_due", "reminder"),
    ]


def test_month_end_before_anything_is_due_owes_nothing(billed: Cli) -> None:
    document = billed.json("month-end", "--as-of", "2026-12-10")
    assert (document["statements"], document["total"], document["dunning"]) == ([], "0.00", [])


def test_month_end_defaults_to_the_clocks_today(billed: Cli) -> None:
    """No --as-of: the runner's fixed clock says 31 December 2026."""
    assert billed.json("month-end")["as_of"] == "2026-12-31"
    assert billed.json("month-end", "--today", "2026-12-20")["as_of"] == "2026-12-20"


def test_late_fee_explain_in_both_locales(billed: Cli) -> None:
    en = ok(
        billed.run(
            "late-fee", "1-2-0301", "--as-of", "2026-12-31", "--explain", "--locale", "en_US"
        )
    )
    assert "2026-12-11–2026-12-31   21 days × CN¥250.24 × 0.3% = 15.76512" in en.stdout
    assert "rounded once, half-up, to the fen: CN¥15.77" in en.stdout
    zh = ok(billed.run("late-fee", "1-2-0301", "--as-of", "2026-12-31", "--explain"))
    assert "21 天 × ¥250.24 × 0.3% = 15.76512" in zh.stdout
    document = billed.json("late-fee", "1-2-0301", "--as-of", "2026-12-31")
    assert [(s["number"], s["late_fee"]) for s in document["statements"]] == [
        ("SUNRISE/2026-11/1-2-0301", "15.77")
    ]


def test_late_fee_of_a_unit_without_an_account_is_exit_3(billed: Cli) -> None:
    result = billed.run("late-fee", "9-9-0909", "--as-of", "2026-12-31")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "unit 9-9-0909 has no account" in result.stderr


# -- service desk ----------------------------------------------------------------------------


def test_classify_a_lift_entrapment_in_both_locales(cli: Cli) -> None:
    document = cli.json("classify", "电梯里有人被困", "--at", "2026-12-31T09:00", db=False)
    assert (document["priority"], document["rule"]) == ("P1", "lift-entrapment")
    zh = ok(cli.run("classify", "电梯里有人被困", db=False))
    assert zh.stdout.startswith("P1 特急：电梯里有人被困")
    en = ok(cli.run("classify", "电梯里有人被困", "--locale", "en_US", db=False))
    assert en.stdout.startswith("P1 extra-urgent: 电梯里有人被困")


def test_requests_and_sla_report_on_an_empty_desk(billed: Cli) -> None:
    document = billed.json("requests", "--at", "2026-12-31T09:00")
    assert (document["open"], document["breached"], document["requests"]) == (0, 0, [])
    report = billed.json("sla", "report", "--from", "2026-11-01", "--to", "2026-11-30")
    assert (report["requests"], report["rows"]) == (0, [])


# -- notices and exports ---------------------------------------------------------------------


def test_notices_render_html_one_file_a_notice(billed: Cli) -> None:
    folder = billed.folder / "notices"
    document = billed.json(
        "notices", "render", "--period", "2026-11", "--format", "html", "--out", str(folder)
    )
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "SUNRISE-2026-11-1-2-0301.html",
        "SUNRISE-2026-11-1-2-0302.html",
        "SUNRISE-2026-11-S-0101.html",
    ]
    page = (folder / names[0]).read_text(encoding="utf-8")
    for text in ("缴费通知单", "阳光花园", "¥250.24", "贰佰伍拾元贰角肆分", "2026年12月10日"):
        assert text in page, text
    assert [n["total"] for n in document["notices"]] == ["250.24", "336.00", "390.00"]


def test_export_arrears_as_csv_and_xlsx(billed: Cli) -> None:
    result = ok(billed.run("export", "arrears", "--as-of", "2026-12-31"))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["unit_id"], r["principal"], r["late_fees"], r["total"]) for r in rows] == [
        ("1-2-0301", "250.24", "15.77", "266.01"),
        ("1-2-0302", "336.00", "21.17", "357.17"),
        ("S-0101", "390.00", "24.57", "414.57"),
    ]
    openpyxl = pytest.importorskip("openpyxl")
    target = billed.folder / "arrears.xlsx"
    summary = billed.json(
        "export", "arrears", "--as-of", "2026-12-31", "--format", "xlsx", "--out", str(target)
    )
    assert summary["rows"] == 3
    sheet = openpyxl.load_workbook(target).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("unit_id", "billed_party", "number")
    assert values[1][7] == "250.24"  # the amount as exact text, not a float


def test_export_dunning_and_an_xlsx_without_out(billed: Cli) -> None:
    result = ok(billed.run("export", "dunning", "--as-of", "2026-12-31"))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["unit_id"], r["level"]) for r in rows] == [
        ("1-2-0301", "reminder"),
        ("1-2-0302", "reminder"),
        ("S-0101", "reminder"),
    ]
    wrong = billed.run("export", "arrears", "--format", "xlsx")
    assert wrong.exit_code == ExitCode.USAGE


def test_an_unsupported_locale_is_a_usage_error(cli: Cli) -> None:
    result = cli.run("month-end", "--locale", "fr_FR")
    assert result.exit_code == ExitCode.USAGE
    assert "locale 'fr_FR' is not supported" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.documents
def test_notices_render_pdf_holds_the_amounts_the_uppercase_and_the_due_date(billed: Cli) -> None:
    """Through WeasyPrint (skipped without it, unless PROPCRM_REQUIRE_DOCUMENTS=1)."""
    try:
        importlib.import_module("weasyprint")
    except (ImportError, OSError) as error:
        if os.environ.get("PROPCRM_REQUIRE_DOCUMENTS") == "1":
            pytest.fail(f"PROPCRM_REQUIRE_DOCUMENTS=1 but WeasyPrint cannot load: {error}")
        pytest.skip(f"WeasyPrint cannot load: {error}")
    pypdf = pytest.importorskip("pypdf")
    folder = billed.folder / "pdf"
    document = billed.json(
        "notices", "render", "--period", "2026-11", "--format", "pdf", "--out", str(folder)
    )
    first = Path(document["notices"][0]["file"])
    assert first.name == "SUNRISE-2026-11-1-2-0301.pdf"
    pages = pypdf.PdfReader(io.BytesIO(first.read_bytes())).pages
    text = "\n".join(page.extract_text() for page in pages)
    for expected in ("¥250.24", "贰佰伍拾元贰角肆分", "2026年12月10日"):
        assert expected in text, expected


def test_bulk_commands_pause_the_collector_and_put_it_back(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Import, bill and receipts run without the cyclic collector; after, it is as it was."""
    import gc

    from propcrm.receivables import Account

    seen: list[bool] = []
    fold = Account.__attrs_post_init__
    monkeypatch.setattr(
        Account, "__attrs_post_init__", lambda self: seen.append(gc.isenabled()) or fold(self)
    )
    assert gc.isenabled()
    cli.community()
    ok(cli.run("bill", "--period", "2026-11"))
    assert seen
    assert not any(seen)
    assert gc.isenabled()
    gc.disable()
    try:
        ok(cli.run("bill", "--period", "2026-12"))
        assert not gc.isenabled()  # left off, as the caller had it
    finally:
        gc.enable()
    failed = cli.run("import", "units", cli.file("bad.csv", "unit_id\n"))
    assert failed.exit_code != 0
    assert gc.isenabled()  # put back after a refusal too
