"""The demo stores its community in a SQLite file and prints every section from what it reads."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import attrs
import pytest

from propcrm.__main__ import main
from propcrm.cli import ExitCode
from propcrm.demo import run_demo
from propcrm.demo._service import SampleRequest, run_service
from propcrm.demo._store import (
    DemoCommunity,
    _store,
    read_community,
    sample_community,
    write_community,
)
from propcrm.errors import MissingExtra

RULE = "=" * 78


@pytest.mark.parametrize("locale", ["zh_CN", "en_US"])
def test_the_sections_read_the_same_from_the_file_as_from_memory(
    locale: str, tmp_path: Path
) -> None:
    from_memory = run_demo(locale)
    from_file = run_demo(locale, db=tmp_path / "demo.sqlite")
    assert from_file.startswith(f"{from_memory}\n{RULE}\n")
    # One section more, the last: the file's.
    assert from_file.count(f"\n{RULE}\n") == from_memory.count(f"\n{RULE}\n") + 1


def test_the_community_read_back_equals_the_one_stored(tmp_path: Path) -> None:
    community = sample_community()
    write_community(tmp_path / "demo.sqlite", community)
    back = read_community(tmp_path / "demo.sqlite")
    assert isinstance(back, DemoCommunity)
    assert attrs.evolve(back, unit_accounts=()) == attrs.evolve(community, unit_accounts=())
    # A unit's account holds its notices from March on, November's (printed by the first
    # section) included: 1-2-0301 is both the parties' flat and a notice's.
    november = set(community.statements)
    for read, built in zip(back.unit_accounts, community.unit_accounts, strict=True):
        assert [e for e in read.events if e not in november] == list(built.events)
    assert [e for a in back.unit_accounts for e in a.events if e in november] == [
        community.statements[0]
    ]


def test_the_sections_print_what_the_file_holds_not_what_memory_holds(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    write_community(path, sample_community())
    store = _store(path)
    with store() as uow:
        stored = uow.records.get("demo.service_request", "R-01", SampleRequest)
        changed = SampleRequest(
            stored.value.request_id,
            stored.value.facts.__class__(
                category=stored.value.facts.category,
                location=stored.value.facts.location,
                description="走廊有燃气味",
                received_at=stored.value.facts.received_at,
            ),
        )
        uow.records.put("demo.service_request", "R-01", changed, stored.version)
        uow.commit()
    store.dispose()
    text = run_service("zh_CN", read_community(path).requests)
    assert "走廊有燃气味" in text
    assert "厨房燃气味道很重" not in text


def test_the_file_section_names_the_file_its_rows_and_how_to_open_it(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    section = run_demo("en_US", db=path).split(f"\n{RULE}\n")[-1].splitlines()
    assert section[0] == "The sample community, stored in a SQLite file"
    assert section[1].strip() == str(path.resolve())
    assert section[-2:] == ["Open it with", f"    sqlite3 {path.resolve()} '.tables'"]
    rows = section[section.index("Rows per table") + 1 : section.index("Open it with")]
    counts = {name: int(count) for name, count in (row.split() for row in rows)}
    with sqlite3.connect(path) as conn:
        for table, count in counts.items():
            assert conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == count
    assert counts["propcrm_party_book"] == 1
    assert counts["propcrm_tariffs"] == counts["propcrm_price_lists"] == 1
    assert counts["propcrm_requests"] == 1  # the complaint
    assert counts["propcrm_dunning"] == 2
    assert counts["propcrm_alerts"] > 0
    assert "replaced" not in "\n".join(section)


def test_an_existing_file_is_replaced_and_the_demo_says_so(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    path.write_bytes(b"not a database")
    text = run_demo("en_US", db=path)
    assert "(a file was there already: it was replaced)" in text
    assert "（原有同名文件，已替换）" in run_demo("zh_CN", db=path)


def test_without_sqlalchemy_the_demo_names_the_extra_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A None in sys.modules makes the import fail, as on a machine without the extra.
    monkeypatch.setitem(sys.modules, "propcrm.storage.sql", None)
    with pytest.raises(MissingExtra, match=r"pip install 'propcrm\[sql\]'") as missing:
        run_demo("en_US", db=tmp_path / "demo.sqlite")
    assert missing.value.context["extra"] == "sql"
    # The command line's documented exit code for a missing extra.
    assert main(["demo", "--db", str(tmp_path / "demo.sqlite")]) == ExitCode.MISSING_EXTRA
    out, err = capsys.readouterr()
    assert out == ""
    assert "install the 'sql' extra" in err
    assert "Traceback" not in err


def test_the_command_writes_the_file_it_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "elsewhere.sqlite"
    assert main(["demo", "--locale", "en_US", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert path.exists()
    assert str(path.resolve()) in out


def test_the_command_writes_propcrm_demo_sqlite_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    assert (tmp_path / "propcrm-demo.sqlite").exists()
    assert main(["demo"]) == 0  # the second run replaces the first's file
    assert "（原有同名文件，已替换）" in capsys.readouterr().out
