"""Test-suite settings: the hypothesis profiles.

- ``default``: what the README's test command runs, locally and on CI. The same examples every
  run (derandomized), so the suite cannot fail by chance on a fresh machine, and no per-example
  deadline (timing is measured by the benchmarks, never by tests).
- ``thorough`` (``HYPOTHESIS_PROFILE=thorough``): ten times each test's examples, random, with
  the example database; slower, and run by CI after the default suite. A failure prints the blob
  to reproduce it (``@reproduce_failure``); CI also prints the seed it ran with.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

#: How many times the examples each test asks for the thorough profile runs.
THOROUGH_FACTOR = 10

settings.register_profile(
    "default",
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
    max_examples=settings.get_profile("default").max_examples * THOROUGH_FACTOR,
)
PROFILES = ("default", "thorough")
_active = ["default"]  # what pytest_configure loaded; settings.get_current_profile_name is new


def pytest_configure(config: pytest.Config) -> None:
    profile = os.environ.get("HYPOTHESIS_PROFILE", "default")
    if profile not in PROFILES:
        raise pytest.UsageError(
            f"HYPOTHESIS_PROFILE={profile!r} is not one of this suite's profiles: "
            f"{', '.join(PROFILES)}"
        )
    settings.load_profile(profile)
    _active[0] = profile


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if _active[0] != "thorough":
        return
    # Most tests name their own max_examples, which a profile cannot change: scale them here.
    scaled: set[int] = set()
    for item in items:
        test = getattr(item, "obj", None)
        owner = getattr(item, "cls", None)
        if isinstance(owner, type) and isinstance(getattr(owner, "settings", None), settings):
            # A rule-based state machine's TestCase: its runTest reads the class's settings.
            if id(owner) not in scaled:
                scaled.add(id(owner))
                owner.settings = _thorough(owner.settings)
        elif not getattr(test, "is_hypothesis_test", False):
            continue
        elif hasattr(test, "_hypothesis_internal_use_settings"):
            # @given reads its settings from this attribute on each call (hypothesis's own @seed
            # decorator sets it the same way); one function serves every parametrized case.
            if id(test) not in scaled:
                scaled.add(id(test))
                test._hypothesis_internal_use_settings = _thorough(
                    test._hypothesis_internal_use_settings
                )
        else:
            # Better no thorough run than one that silently runs the default's examples.
            raise pytest.UsageError(f"cannot scale the examples of {item.nodeid}")


def _thorough(own: settings) -> settings:
    # A test that names no max_examples has the profile's, ten times the default's already.
    thorough = settings.get_profile("thorough")
    if own.max_examples == thorough.max_examples:
        return own
    return settings(own, max_examples=own.max_examples * THOROUGH_FACTOR, deadline=None)


# -- PostgreSQL: one throwaway server per test process (per xdist worker), a schema per test --


@pytest.fixture(scope="session")
def postgresql_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a PostgreSQL server: ``PROPCRM_PG_URL``, else a throwaway cluster.

    Without either the PostgreSQL tests skip, unless they were asked for by name
    (``-m postgresql``, as CI runs them): then a missing server fails them.
    """
    from propcrm.errors import PostgresUnavailable
    from propcrm.testing.postgresql import postgresql_url

    try:
        with postgresql_url() as url:
            yield url
    except PostgresUnavailable as error:
        if "postgresql" in (request.config.getoption("markexpr") or ""):
            pytest.fail(f"-m postgresql, but no PostgreSQL: {error}")
        pytest.skip(f"PostgreSQL tests skipped: {error}")


@pytest.fixture
def postgresql_engine(postgresql_server: str) -> Iterator[Any]:
    """An engine on an empty schema of its own (dropped afterwards)."""
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(postgresql_server, poolclass=sa.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = sa.create_engine(
        postgresql_server, connect_args={"options": f"-csearch_path={schema}"}
    )
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
