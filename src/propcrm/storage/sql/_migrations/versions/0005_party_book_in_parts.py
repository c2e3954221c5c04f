"""The party book stored in parts: its records are the rows of its three tables.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

Before, ``propcrm_party_book`` held the whole book as one document, read whole and written whole
on every import, and the parties, units and relations tables were copies kept beside it for
queries. From here on those tables are the book's records (each with ``seq``, its place in the
book's order, and a tenancy with its ``lease_id``), and the book's row keeps only its version
and the book without its records (policy and journal). The upgrade moves a stored book's
records into the tables, in its order; the downgrade puts them back into the document.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TABLES = (
    ("propcrm_parties", "party_id", "parties"),
    ("propcrm_units", "unit_id", "units"),
    ("propcrm_relations", "relation_id", "relations"),
)


# The date columns (of the relations), which the driver is given as dates.
_DAYS = ("start", "until")


def _key(length: int) -> sa.types.TypeEngine[str]:
    # Ids compare by code point on PostgreSQL too, so keyset pages order as on SQLite.
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def upgrade() -> None:
    """Add ``seq`` (and ``lease_id``), and move the stored book's records into the tables."""
    for table, _key_column, _field in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
            if table == "propcrm_relations":
                batch.add_column(sa.Column("lease_id", _key(64), nullable=True))
    conn = op.get_bind()
    found = conn.execute(sa.text("SELECT document FROM propcrm_party_book WHERE id = 1")).first()
    if found is not None:
        _move_records(conn, found[0])
    for table, _key_column, _field in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("seq", existing_type=sa.Integer(), nullable=False)
    op.create_index(
        op.f("ix_propcrm_relations_lease_id"), "propcrm_relations", ["lease_id"], unique=False
    )


def _move_records(conn: sa.Connection, document: str) -> None:
    # The library reads the document and writes its rows, as the store writes them: the
    # tables were copies of the book, and are rewritten from it so that they are exactly it.
    from propcrm.parties import PartyBook  # noqa: PLC0415
    from propcrm.serialization import from_primitive  # noqa: PLC0415
    from propcrm.storage.sql._store import book_head, book_rows  # noqa: PLC0415

    book = from_primitive(json.loads(document), PartyBook)
    rows = book_rows(book)
    for (table, _key_column, _field), values in zip(_TABLES, rows, strict=True):
        conn.execute(sa.text(f"DELETE FROM {table}"))
        if values:
            columns = [sa.column(k, sa.Date() if k in _DAYS else None) for k in values[0]]
            conn.execute(sa.table(table, *columns).insert(), values)
    conn.execute(
        sa.text("UPDATE propcrm_party_book SET document = :document WHERE id = 1"),
        {"document": book_head(book)},
    )


def downgrade() -> None:
    """Put the records back into the book's document; drop ``seq`` and ``lease_id``."""
    conn = op.get_bind()
    found = conn.execute(sa.text("SELECT document FROM propcrm_party_book WHERE id = 1")).first()
    if found is not None:
        head = json.loads(found[0])
        for table, _key_column, field in _TABLES:
            documents = conn.execute(sa.text(f"SELECT document FROM {table} ORDER BY seq"))
            head[field] = [json.loads(doc) for (doc,) in documents]
        conn.execute(
            sa.text("UPDATE propcrm_party_book SET document = :document WHERE id = 1"),
            {"document": json.dumps(head, ensure_ascii=False, separators=(",", ":"))},
        )
    op.drop_index(op.f("ix_propcrm_relations_lease_id"), table_name="propcrm_relations")
    for table, _key_column, _field in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("seq")
            if table == "propcrm_relations":
                batch.drop_column("lease_id")
