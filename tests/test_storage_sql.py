"""The SQL adapter beyond the contract: its optional import, its schema and its migrations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from propcrm.errors import InvalidType, SchemaOutOfDate
from propcrm.storage.sql import SqlStore, current_revision, head_revision, revisions, upgrade


def test_the_storage_core_does_not_import_sqlalchemy() -> None:
    code = "import sys, propcrm.storage; print('sqlalchemy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_database_behind_is_refused_until_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "crm.sqlite"
    with pytest.raises(SchemaOutOfDate) as caught:
        SqlStore(path)
    assert caught.value.context == {"revision": None, "expected": head_revision()}
    store = SqlStore(path, upgrade=True)
    store.dispose()
    assert current_revision(f"sqlite:///{path}") == head_revision()
    SqlStore(path).dispose()  # at head: opens without upgrading


def test_an_in_memory_sqlite_database_is_refused() -> None:
    with pytest.raises(InvalidType):
        SqlStore("sqlite://")
    with pytest.raises(InvalidType):
        SqlStore(42)  # type: ignore[arg-type]


def _schema_diff(engine: sa.Engine) -> list[object]:
    from propcrm.storage.sql._schema import VERSION_TABLE, metadata

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "version_table": VERSION_TABLE}
        )
        return list(compare_metadata(context, metadata))


def test_the_migrated_schema_is_the_metadata(tmp_path: Path) -> None:
    """What `alembic check` checks: no difference between the migrations and the tables."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'crm.sqlite'}")
    assert upgrade(engine) == head_revision()
    assert _schema_diff(engine) == []
    engine.dispose()


@pytest.mark.parametrize("start", [None, *revisions()])
def test_every_revision_upgrades_to_head_with_its_data(tmp_path: Path, start: str | None) -> None:
    """From an empty database, and from each revision (with rows written there), to head."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'crm.sqlite'}")
    if start is not None:
        upgrade(engine, start)
        with engine.begin() as conn:
            # A row every revision holds: the first one's records table.
            conn.execute(
                sa.text(
                    "INSERT INTO propcrm_records (kind, key, version, document) "
                    'VALUES (\'crm.note\', \'N-1\', 1, \'{"amount":"1.50","currency":"CNY"}\')'
                )
            )
    assert upgrade(engine) == head_revision()
    assert _schema_diff(engine) == []
    store = SqlStore(engine)
    with store() as uow:
        from propcrm.money import Money

        if start is not None:
            assert uow.records.get("crm.note", "N-1", Money).value == Money("1.50")
    engine.dispose()
