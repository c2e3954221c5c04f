"""The command line: help a person can read in a terminal, the version, the demo."""

from __future__ import annotations

import re
import subprocess
import sys

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
    assert text.startswith("usage: propcrm demo [-h] [--locale LOCALE]\n")
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
