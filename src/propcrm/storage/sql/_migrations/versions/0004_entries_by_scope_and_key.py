"""Entries paged by key within one scope: an index on (kind, scope, key).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

A page of one community's parking spaces or prepaid balances walks the primary key (kind, key)
and checks each row's community; with many communities in one database most of those rows are
another's. This index reads only the community's.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``ix_propcrm_entries_kind_scope_key``."""
    op.create_index(
        op.f("ix_propcrm_entries_kind_scope_key"), "propcrm_entries", ["kind", "scope", "key"]
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_index(op.f("ix_propcrm_entries_kind_scope_key"), table_name="propcrm_entries")
