"""The schema's Alembic migrations, run from code: no ``alembic.ini`` and no ``env.py`` needed.

The revisions live in ``_migrations/versions`` inside the package (so they ship in the wheel);
the version table is ``propcrm_alembic_version``, so an application's own Alembic history in
the same database is left alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from propcrm.errors import InvalidType, SchemaOutOfDate
from propcrm.storage.sql._schema import VERSION_TABLE, metadata

__all__ = ["check_revision", "current_revision", "head_revision", "revisions", "upgrade"]

_LOCATION = Path(__file__).parent / "_migrations"


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(_LOCATION))
    return ScriptDirectory.from_config(config)


def head_revision() -> str:
    """The revision this release's schema is at."""
    head = _script().get_current_head()
    assert head is not None
    return head


def revisions() -> tuple[str, ...]:
    """Every revision, oldest first."""
    return tuple(reversed([r.revision for r in _script().walk_revisions()]))


def _bind(target: object) -> sa.Engine | sa.Connection:
    if isinstance(target, (sa.Engine, sa.Connection)):
        return target
    if isinstance(target, str):
        from propcrm.storage.sql._store import engine_for  # noqa: PLC0415

        return engine_for(target)
    raise InvalidType(
        f"{target!r} is not a database to migrate.",
        field="target",
        value=target,
        allowed="a database URL, an Engine or a Connection",
    )


def _with_connection(target: object, work: Any, *, write: bool) -> Any:
    bind = _bind(target)
    if isinstance(bind, sa.Connection):
        return work(bind)
    try:
        with bind.connect() as conn:
            conn.info["propcrm.writing"] = write
            with conn.begin():
                return work(conn)
    finally:
        if not isinstance(target, sa.Engine):
            bind.dispose()


def current_revision(target: sa.Engine | sa.Connection | str) -> str | None:
    """The revision the database's propcrm schema is at (``None``: none yet)."""

    def read(conn: sa.Connection) -> str | None:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()

    return _with_connection(target, read, write=False)  # type: ignore[no-any-return]


def upgrade(target: sa.Engine | sa.Connection | str, revision: str = "head") -> str:
    """Migrate the database's propcrm schema up to ``revision`` (default: this release's).

    One transaction on PostgreSQL and SQLite alike (both run DDL in a transaction), so a failed
    migration leaves the schema as it was. Returns the revision reached.

    >>> import tempfile, pathlib
    >>> from propcrm.storage.sql import upgrade
    >>> upgrade(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'crm.sqlite'}")
    '0005'
    """
    script = _script()

    def run(conn: sa.Connection) -> str | None:
        def steps(rev: Any, _context: Any) -> Any:
            return script._upgrade_revs(revision, rev)

        with EnvironmentContext(
            Config(), script, fn=steps, destination_rev=revision
        ) as environment:
            environment.configure(
                connection=conn,
                target_metadata=metadata,
                version_table=VERSION_TABLE,
                transactional_ddl=True,
            )
            environment.run_migrations()
        return MigrationContext.configure(
            conn, opts={"version_table": VERSION_TABLE}
        ).get_current_revision()

    reached = _with_connection(target, run, write=True)
    return str(reached)


def check_revision(target: sa.Engine | sa.Connection) -> None:
    """Refuse a database whose schema is not at this release's revision."""
    current, head = current_revision(target), head_revision()
    if current != head:
        raise SchemaOutOfDate(
            f"the database's propcrm schema is at revision {current or '(none)'}, not this "
            f"release's {head}; run propcrm.storage.sql.upgrade() on it, or open it with "
            "SqlStore(..., upgrade=True).",
            revision=current,
            expected=head,
        )
