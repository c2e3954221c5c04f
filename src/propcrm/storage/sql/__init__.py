"""The SQL adapter: every repository on SQLAlchemy 2 Core, in a SQLite file or on PostgreSQL.

Needs the ``sql`` extra (``pip install 'propcrm[sql]'``; ``propcrm[postgresql]`` adds psycopg
3). :class:`SqlStore` is a unit-of-work factory like :class:`~propcrm.storage.MemoryStore`; the
schema is managed by the Alembic migrations shipped in this package, run by :func:`upgrade`.
"""

from propcrm.storage.sql._migrate import current_revision, head_revision, revisions, upgrade
from propcrm.storage.sql._store import SqlStore, SqlUnitOfWork

__all__ = [
    "SqlStore",
    "SqlUnitOfWork",
    "current_revision",
    "head_revision",
    "revisions",
    "upgrade",
]


def __dir__() -> list[str]:
    return list(__all__)
