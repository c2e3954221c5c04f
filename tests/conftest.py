"""Test-suite settings: hypothesis profiles (no deadlines; derandomized on CI)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Timing is measured by benchmarks, never by tests: no per-example deadline anywhere.
settings.register_profile("dev", deadline=None)
# CI must not fail by chance on a fresh machine: the same examples every run, and a printed
# reproduction blob if one ever fails.
settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
