"""The CRM repositories' entries: contacts, calendars, solutions, notices, votes, affairs...

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

One table for every kind, each row a document with the three columns its repository finds it by.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _key(length: int) -> sa.types.TypeEngine[str]:
    # Ids compare by code point on PostgreSQL too, so keyset pages order as on SQLite.
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def upgrade() -> None:
    """Create ``propcrm_entries`` and its two indexes."""
    op.create_table(
        "propcrm_entries",
        sa.Column("kind", _key(64), nullable=False),
        sa.Column("key", _key(256), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("scope", _key(256), nullable=False),
        sa.Column("subject", _key(256), nullable=False),
        sa.Column("at", _key(32), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_propcrm_entries")),
    )
    op.create_index(
        op.f("ix_propcrm_entries_kind_scope_at"), "propcrm_entries", ["kind", "scope", "at"]
    )
    op.create_index(
        op.f("ix_propcrm_entries_kind_subject_at"), "propcrm_entries", ["kind", "subject", "at"]
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_index(op.f("ix_propcrm_entries_kind_subject_at"), table_name="propcrm_entries")
    op.drop_index(op.f("ix_propcrm_entries_kind_scope_at"), table_name="propcrm_entries")
    op.drop_table("propcrm_entries")
