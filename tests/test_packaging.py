"""What pyproject.toml promises: an sdist that tests itself, a license, extras users need."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def test_the_sdist_holds_everything_its_own_suite_runs() -> None:
    config = pyproject()
    included = set(config["tool"]["hatch"]["build"]["targets"]["sdist"]["include"])
    # The root conftest.py gives the doctests in src/, docs/ and README.md their names.
    needed = {"conftest.py", *config["tool"]["pytest"]["ini_options"]["testpaths"]}
    assert needed <= included | {"src/propcrm"}
    assert "src/propcrm" in included
    assert all((ROOT / path).exists() for path in included)


def test_the_license_is_declared_and_shipped() -> None:
    project = pyproject()["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "propcrm developers" in text


def test_the_project_links() -> None:
    urls = pyproject()["project"]["urls"]
    assert set(urls) == {"Homepage", "Documentation", "Repository", "Changelog", "Issues"}
    assert all(url.startswith("https://github.com/propcrm/propcrm") for url in urls.values())


def test_extras_are_for_users_and_groups_for_developers() -> None:
    config = pyproject()
    extras = {
        "testing",
        "batch",
        "dask",
        "search",
        "documents",
        "xlsx",
        "sql",
        "postgresql",
        "fast-json",
        "cli",
    }
    assert set(config["project"]["optional-dependencies"]) == extras
    groups = config["dependency-groups"]
    names = {
        name: {entry.split(">")[0] for entry in group if isinstance(entry, str)}
        for name, group in groups.items()
    }
    assert {"pytest", "hypothesis", "polars", "rjieba", "dask[distributed]"} <= names["test"]
    assert {"ruff", "mypy"} <= names["lint"]
    assert {"include-group": "test"} in groups["lint"]  # mypy reads hypothesis's and polars's types
    assert {"pandas", "businesstimedelta", "pytz", "pyinstrument"} <= names["bench"]


def test_the_wheel_ships_the_sql_migrations() -> None:
    """Alembic's revisions live inside the package, which the wheel takes whole."""
    wheel = pyproject()["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["src/propcrm"]
    assert "exclude" not in wheel
    migrations = ROOT / "src/propcrm/storage/sql/_migrations"
    assert sorted(p.name for p in (migrations / "versions").glob("*.py"))
    assert (migrations / "script.py.mako").exists()
