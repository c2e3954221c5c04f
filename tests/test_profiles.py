"""The hypothesis profiles of tests/conftest.py: the default suite, and the thorough one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SAMPLE = """
from hypothesis import given, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

drawn = []
machines = []


@settings(max_examples=7, database=None)
@given(st.integers())
def test_names_its_examples(n):
    drawn.append(n)


@pytest.mark.parametrize("case", [1, 2])
@settings(max_examples=3, database=None)
@given(st.integers())
def test_parametrized(case, n):
    drawn.append(n)


class Machine(RuleBasedStateMachine):
    @initialize()
    def start(self):
        machines.append(self)

    @rule(n=st.integers())
    def step(self, n):
        pass


Machine.TestCase.settings = settings(max_examples=2, stateful_step_count=5, database=None)
TestMachine = Machine.TestCase


def test_zz_counts():
    print(f"COUNTS {len(drawn)} {len(machines)} {settings.default.max_examples}")
"""


def run_sample(tmp_path: Path, profile: str | None) -> subprocess.CompletedProcess[str]:
    # The suite's own conftest, over a sample whose examples are counted.
    shutil.copy(Path(__file__).with_name("conftest.py"), tmp_path / "conftest.py")
    (tmp_path / "test_sample.py").write_text("import pytest\n" + textwrap.dedent(SAMPLE))
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_PROFILE"}
    if profile is not None:
        env["HYPOTHESIS_PROFILE"] = profile
    return subprocess.run(  # our own interpreter and sample
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )


def counts(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    [line] = [line for line in result.stdout.splitlines() if "COUNTS" in line]
    return line.split("COUNTS ")[1].split()


# A state machine's count is a floor: hypothesis may start a few more machines than examples
# (runs it discards), never fewer.


def test_the_default_profile_runs_what_each_test_asks(tmp_path: Path) -> None:
    examples, machines, profile_default = counts(run_sample(tmp_path, None))
    assert (examples, profile_default) == ("13", "100")
    assert 2 <= int(machines) < 10


def test_the_thorough_profile_runs_ten_times_as_many(tmp_path: Path) -> None:
    # 7 + 2 × 3 examples, and 2 state machines, each ten times.
    examples, machines, profile_default = counts(run_sample(tmp_path, "thorough"))
    assert (examples, profile_default) == ("130", "1000")
    assert 20 <= int(machines) < 40


def test_an_unknown_profile_is_refused(tmp_path: Path) -> None:
    result = run_sample(tmp_path, "fast")
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert "HYPOTHESIS_PROFILE='fast' is not one of this suite's profiles: default, thorough" in (
        result.stderr
    )
