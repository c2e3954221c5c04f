"""The command line as a whole: help a person can read, the version, exit codes, the demo."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.cli_fixtures import CLOCK

import propcrm
from propcrm.__main__ import main
from propcrm.cli import EXIT_CODE_TABLE, ExitCode, command_group
from propcrm.errors import MissingExtra

# Markup that means something to Sphinx or MkDocs and nothing to a terminal.
MARKUP = re.compile(r"``|:(?:mod|func|class|meth|data|attr):`|\*\*")
COMMANDS = (
    "bill",
    "classify",
    "demo",
    "export",
    "import",
    "init",
    "late-fee",
    "month-end",
    "notices",
    "receipts",
    "requests",
    "sla",
)


def help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main([*argv, "--help"]) == 0
    return capsys.readouterr().out


def test_help_is_plain_text_listing_every_command_and_exit_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = help_of(capsys)
    assert not MARKUP.search(text), text
    assert text.startswith("Usage: propcrm [OPTIONS] COMMAND [ARGS]...\n")
    assert "Chinese property management" in text
    listed = re.findall(r"^  ([a-z-]+)  ", text.split("Commands:")[1], flags=re.MULTILINE)
    assert tuple(listed) == COMMANDS
    for code, meaning in EXIT_CODE_TABLE:
        assert f"  {int(code)}  {meaning}" in text
    assert "propcrm demo --locale en_US" in text
    assert "https://github.com/propcrm/propcrm" in text


@pytest.mark.parametrize(
    ("argv", "first_line"),
    [
        (["demo"], "Usage: propcrm demo [OPTIONS]"),
        (["bill"], "Usage: propcrm bill [OPTIONS]"),
        (["import", "units"], "Usage: propcrm import units [OPTIONS] FILE"),
        (["receipts", "import"], "Usage: propcrm receipts import [OPTIONS] BANKFILE"),
    ],
)
def test_every_command_takes_the_common_options(
    argv: list[str], first_line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = help_of(capsys, *argv)
    assert text.startswith(first_line)
    for option in ("--db URL", "--locale LOCALE", "--json", "--today DATE"):
        assert option in text
    assert "zh_CN (the default) or en_US" in " ".join(text.split())


def test_the_exit_codes_are_distinct_and_documented() -> None:
    codes = [int(code) for code, _meaning in EXIT_CODE_TABLE]
    assert codes == sorted(set(codes)) == [int(c) for c in ExitCode]
    page = (Path(__file__).parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    for code, meaning in EXIT_CODE_TABLE:
        assert f"| {int(code)} | {meaning} |" in page


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"propcrm {propcrm.__version__}\n"


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["nosuch"]) == ExitCode.USAGE
    assert "No such command 'nosuch'" in capsys.readouterr().err


def test_without_click_the_command_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A None in sys.modules makes the import fail, as on a machine without the extra."""
    monkeypatch.setitem(sys.modules, "click", None)
    with pytest.raises(MissingExtra, match=r"pip install 'propcrm\[cli\]'") as missing:
        command_group()
    assert missing.value.context["extra"] == "cli"
    assert main(["demo"]) == ExitCode.MISSING_EXTRA == 7
    out, err = capsys.readouterr()
    assert out == ""
    assert "install the 'cli' extra: pip install 'propcrm[cli]'" in err
    assert "Traceback" not in err


def test_python_dash_m_prints_the_same_help() -> None:
    result = subprocess.run(  # our own interpreter and module
        [sys.executable, "-m", "propcrm", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.startswith("Usage: propcrm ")
    assert not MARKUP.search(result.stdout)


@pytest.mark.parametrize("locale", ["fr_FR", "zz", "zh", "zh_TW", "en_GB"])
def test_an_unsupported_locale_is_a_usage_error_naming_the_supported_ones(
    locale: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--locale", locale]) == ExitCode.USAGE
    out, err = capsys.readouterr()
    assert out == ""  # nothing of the demo is printed, in English or otherwise
    assert f"locale {locale!r} is not supported" in err
    assert "'zh_CN' and 'en_US' only" in err
    assert "Traceback" not in err


def test_the_process_exits_2_with_a_message_not_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "propcrm", "demo", "--locale", "zz"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "locale 'zz' is not supported" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("locale", "first_line", "commands"),
    [
        (None, "物业服务费缴费通知单    编号 SUNRISE/2026-11/1-2-0301", "同一文件，用命令行操作"),
        (
            "zh-CN",
            "物业服务费缴费通知单    编号 SUNRISE/2026-11/1-2-0301",
            "同一文件，用命令行操作",
        ),
        ("en_US", "Property service fee notice    No. SUNRISE/2026-11/1-2-0301", "The same file"),
        ("en-us", "Property service fee notice    No. SUNRISE/2026-11/1-2-0301", "The same file"),
    ],
)
def test_a_supported_locale_in_either_spelling_runs_the_demo(
    locale: str | None,
    first_line: str,
    commands: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # the demo writes its SQLite file in the current folder
    argv = ["demo"] if locale is None else ["demo", "--locale", locale]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == first_line
    assert commands in out
    assert (tmp_path / "propcrm-demo.sqlite").exists()


def test_the_demo_tells_the_month_through_the_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each step is shown with its command line, and a second bill issues nothing twice."""
    db = tmp_path / "demo.sqlite"
    assert main(["demo", "--locale", "en_US", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    story = out[out.index("The same file, through the command line (today: 2026-12-31)") :]
    shown = re.findall(r"^\$ propcrm ([a-z-]+(?: [a-z]+)?)", story, flags=re.MULTILINE)
    assert shown == [
        "init",
        "bill",
        "receipts import",
        "bill",
        "bill",
        "month-end",
        "late-fee",
        "classify",
        "requests",
        "sla report",
        "notices render",
        "export arrears",
    ]
    assert "5 notices were issued already and were not issued again" in story
    assert "matched: 1 row" in story
    assert f"The database: {db.resolve()}" in story
    notices = tmp_path / "demo-notices"
    assert f"The rendered notices: {notices}" in story
    assert len(list(notices.glob("*.html"))) == 11


def test_the_demo_as_json_is_one_document_with_each_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from propcrm.cli import main as cli_main

    db = tmp_path / "demo.sqlite"
    assert cli_main(["demo", "--db", str(db), "--json"], clock=CLOCK) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["db"] == str(db.resolve())
    steps = {" ".join(s["argv"][:2]): s for s in document["steps"]}
    assert all(s["exit_code"] == 0 for s in document["steps"])
    bills = [s["document"] for s in document["steps"] if s["argv"][0] == "bill"]
    assert [(b["period"], b["issued"], b["already_issued"]) for b in bills] == [
        ("2026-11", 4, 1),
        ("2026-12", 5, 0),
        ("2026-12", 0, 5),
    ]
    month_end = steps["month-end --as-of"]["document"]
    assert month_end["as_of"] == "2026-12-31"
    arrears = steps["export arrears"]["document"]
    assert arrears["columns"][0] == "unit_id"


# -- the JSON document's text ------------------------------------------------------------------

from hypothesis import given as _given  # noqa: E402
from hypothesis import settings as _settings  # noqa: E402
from hypothesis import strategies as _st  # noqa: E402

from propcrm.cli._output import json_text  # noqa: E402

_JSON = _st.recursive(
    _st.none() | _st.booleans() | _st.integers() | _st.text(),
    lambda inner: _st.lists(inner, max_size=4) | _st.dictionaries(_st.text(), inner, max_size=4),
    max_leaves=20,
)


@_settings(max_examples=200)
@_given(data=_JSON)
def test_the_document_text_is_the_standard_librarys(data: object) -> None:
    """orjson where installed writes exactly what json.dumps(indent=2, sort_keys=True) writes."""
    assert json_text(data) == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


_VALUES = _st.recursive(
    _st.none()
    | _st.booleans()
    | _st.integers()
    | _st.text()
    | _st.dates()
    | _st.decimals(allow_nan=False, allow_infinity=False),
    lambda inner: (
        _st.lists(inner, max_size=3)
        | _st.lists(inner, max_size=3).map(tuple)
        | _st.dictionaries(_st.text() | _st.integers(), inner, max_size=3)
    ),
    max_leaves=12,
)


def _slow_jsonable(value: object) -> object:
    # The checks alone, in their order, without the fast path by exact type.
    import datetime
    from collections.abc import Mapping
    from decimal import Decimal

    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _slow_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_slow_jsonable(v) for v in value]
    return value


@_settings(max_examples=200)
@_given(value=_VALUES)
def test_jsonable_by_exact_type_is_jsonable_by_its_checks(value: object) -> None:
    from propcrm.cli._output import jsonable

    assert jsonable(value) == _slow_jsonable(value)
