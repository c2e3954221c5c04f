"""The command line: help a person can read in a terminal, the version, the demo."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import propcrm
from propcrm.__main__ import main

# Markup that means something to Sphinx or MkDocs and nothing to a terminal.
MARKUP = re.compile(r"``|:(?:mod|func|class|meth|data|attr):`|\*\*")


def help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_help_is_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(capsys)
    assert not MARKUP.search(text), text
    assert text.startswith("usage: propcrm [-h] [--version] {demo} ...\n")
    assert "Chinese property management" in text
    # Says what the command does, and how to run it.
    assert "demo" in text
    assert "propcrm demo --locale en_US" in text
    assert "https://github.com/propcrm/propcrm" in text


def test_the_demo_help_names_its_locales(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(capsys, "demo")
    assert not MARKUP.search(text), text
    assert text.startswith("usage: propcrm demo [-h] [--locale LOCALE] [--db PATH]\n")
    assert "zh_CN (the default) or en_US" in text


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"propcrm {propcrm.__version__}\n"


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([])
    assert exit_.value.code == 2
    assert "the following arguments are required" in capsys.readouterr().err


def test_python_dash_m_prints_the_same_help() -> None:
    result = subprocess.run(  # our own interpreter and module
        [sys.executable, "-m", "propcrm", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.startswith("usage: propcrm ")
    assert not MARKUP.search(result.stdout)


@pytest.mark.parametrize("locale", ["fr_FR", "zz", "zh", "zh_TW", "en_GB"])
def test_an_unsupported_locale_is_a_usage_error_naming_the_supported_ones(
    locale: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["demo", "--locale", locale])
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""  # nothing of the demo is printed, in English or otherwise
    assert f"argument --locale: locale {locale!r} is not supported" in err
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
    ("locale", "first_line"),
    [
        (None, "物业服务费缴费通知单    编号 SUNRISE/2026-11/1-2-0301"),
        ("zh-CN", "物业服务费缴费通知单    编号 SUNRISE/2026-11/1-2-0301"),
        ("en_US", "Property service fee notice    No. SUNRISE/2026-11/1-2-0301"),
        ("en-us", "Property service fee notice    No. SUNRISE/2026-11/1-2-0301"),
    ],
)
def test_a_supported_locale_in_either_spelling_runs_the_demo(
    locale: str | None,
    first_line: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # the demo writes its SQLite file in the current folder
    argv = ["demo"] if locale is None else ["demo", "--locale", locale]
    assert main(argv) == 0
    assert capsys.readouterr().out.splitlines()[0] == first_line
