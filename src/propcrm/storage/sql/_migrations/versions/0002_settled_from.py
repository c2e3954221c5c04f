"""The day from which an account owes nothing, so that the arrears scan skips settled accounts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07

Rows written before it hold NULL, which the scan reads as "may owe": they are scanned as
before until their account is next written.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``propcrm_accounts.settled_from``."""
    with op.batch_alter_table("propcrm_accounts") as batch:
        batch.add_column(sa.Column("settled_from", sa.Date(), nullable=True))


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("propcrm_accounts") as batch:
        batch.drop_column("settled_from")
