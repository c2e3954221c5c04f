"""Tests for ``python -m propcrm``: the demo's locale is checked once, up front."""

from __future__ import annotations

import subprocess
import sys

import pytest

from propcrm.__main__ import main


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
    locale: str | None, first_line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["demo"] if locale is None else ["demo", "--locale", locale]
    assert main(argv) == 0
    assert capsys.readouterr().out.splitlines()[0] == first_line
