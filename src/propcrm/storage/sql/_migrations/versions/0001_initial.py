"""The first schema: streams, their snapshots, the bank-reference index and the query tables.

Revision ID: 0001
Revises:
Create Date: 2026-12-06
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _key(length: int) -> sa.types.TypeEngine[str]:
    # Ids compare by code point on PostgreSQL too, so keyset pages order as on SQLite.
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def _instant() -> sa.types.TypeEngine[Any]:
    # UTC: TIMESTAMP WITH TIME ZONE, or fixed-width ISO text on SQLite (see _schema.UtcInstant).
    return sa.DateTime(timezone=True).with_variant(sa.String(27), "sqlite")


def upgrade() -> None:
    """Create every table and index."""
    op.create_table(
        "propcrm_accounts",
        sa.Column("stream_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("community", _key(64), nullable=False),
        sa.Column("unit_id", _key(64), nullable=False),
        sa.Column("billed_party", _key(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("stream_id", name=op.f("pk_propcrm_accounts")),
        sa.UniqueConstraint(
            "community",
            "unit_id",
            "billed_party",
            name=op.f("uq_propcrm_accounts_community_unit_id_billed_party"),
        ),
    )
    op.create_table(
        "propcrm_alerts",
        sa.Column("alert_key", _key(256), nullable=False),
        sa.Column("request_id", _key(64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("alert_key", name=op.f("pk_propcrm_alerts")),
    )
    op.create_index(
        op.f("ix_propcrm_alerts_request_id"), "propcrm_alerts", ["request_id"], unique=False
    )
    op.create_table(
        "propcrm_dunning",
        sa.Column("step_key", _key(64), nullable=False),
        sa.Column("community", _key(64), nullable=False),
        sa.Column("unit_id", _key(64), nullable=False),
        sa.Column("billed_party", _key(64), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("step_key", name=op.f("pk_propcrm_dunning")),
    )
    op.create_index(
        op.f("ix_propcrm_dunning_community_taken_on"),
        "propcrm_dunning",
        ["community", "taken_on"],
        unique=False,
    )
    op.create_index(
        op.f("ix_propcrm_dunning_community_unit_id_billed_party"),
        "propcrm_dunning",
        ["community", "unit_id", "billed_party"],
        unique=False,
    )
    op.create_table(
        "propcrm_next_actions",
        sa.Column("request_id", _key(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("next_action_at", _instant(), nullable=True),
        sa.Column("document", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_propcrm_next_actions")),
    )
    op.create_index(
        op.f("ix_propcrm_next_actions_next_action_at_request_id"),
        "propcrm_next_actions",
        ["next_action_at", "request_id"],
        unique=False,
    )
    op.create_table(
        "propcrm_parties",
        sa.Column("party_id", _key(64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("party_id", name=op.f("pk_propcrm_parties")),
    )
    op.create_table(
        "propcrm_party_book",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_propcrm_party_book")),
    )
    op.create_table(
        "propcrm_price_lists",
        sa.Column("community", _key(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("community", name=op.f("pk_propcrm_price_lists")),
    )
    op.create_table(
        "propcrm_receipts",
        sa.Column("community", _key(64), nullable=False),
        sa.Column("reference", _key(64), nullable=False),
        sa.Column("unit_id", _key(64), nullable=False),
        sa.Column("billed_party", _key(64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("community", "reference", name=op.f("pk_propcrm_receipts")),
    )
    op.create_table(
        "propcrm_records",
        sa.Column("kind", _key(128), nullable=False),
        sa.Column("key", _key(256), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_propcrm_records")),
    )
    op.create_table(
        "propcrm_relations",
        sa.Column("relation_id", _key(64), nullable=False),
        sa.Column("target", _key(64), nullable=False),
        sa.Column("party_id", _key(64), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("relation_id", name=op.f("pk_propcrm_relations")),
    )
    op.create_index(
        op.f("ix_propcrm_relations_party_id"), "propcrm_relations", ["party_id"], unique=False
    )
    op.create_index(
        op.f("ix_propcrm_relations_target_start_until"),
        "propcrm_relations",
        ["target", "start", "until"],
        unique=False,
    )
    op.create_table(
        "propcrm_requests",
        sa.Column("request_id", _key(64), nullable=False),
        sa.Column("requester", _key(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_propcrm_requests")),
    )
    op.create_index(
        op.f("ix_propcrm_requests_requester"), "propcrm_requests", ["requester"], unique=False
    )
    op.create_table(
        "propcrm_surveys",
        sa.Column("response_id", _key(64), nullable=False),
        sa.Column("community", _key(64), nullable=False),
        sa.Column("answered_at", _instant(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("response_id", name=op.f("pk_propcrm_surveys")),
    )
    op.create_index(
        op.f("ix_propcrm_surveys_community_answered_at"),
        "propcrm_surveys",
        ["community", "answered_at"],
        unique=False,
    )
    op.create_table(
        "propcrm_tariffs",
        sa.Column("name", _key(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_propcrm_tariffs")),
    )
    op.create_table(
        "propcrm_units",
        sa.Column("unit_id", _key(64), nullable=False),
        sa.Column("community", _key(64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_propcrm_units")),
    )
    op.create_index(
        op.f("ix_propcrm_units_community_unit_id"),
        "propcrm_units",
        ["community", "unit_id"],
        unique=False,
    )
    op.create_table(
        "propcrm_account_events",
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["stream_id"],
            ["propcrm_accounts.stream_id"],
            name=op.f("fk_propcrm_account_events_stream_id_propcrm_accounts"),
        ),
        sa.PrimaryKeyConstraint("stream_id", "version", name=op.f("pk_propcrm_account_events")),
    )
    op.create_table(
        "propcrm_request_steps",
        sa.Column("request_id", _key(64), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["propcrm_requests.request_id"],
            name=op.f("fk_propcrm_request_steps_request_id_propcrm_requests"),
        ),
        sa.PrimaryKeyConstraint("request_id", "version", name=op.f("pk_propcrm_request_steps")),
    )
    op.create_table(
        "propcrm_statements",
        sa.Column("community", _key(64), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("number", _key(64), nullable=False),
        sa.Column("unit_id", _key(64), nullable=False),
        sa.Column("billed_party", _key(64), nullable=False),
        sa.Column("period_months", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["stream_id", "version"],
            ["propcrm_account_events.stream_id", "propcrm_account_events.version"],
            name=op.f("fk_propcrm_statements_stream_id_propcrm_account_events"),
        ),
        sa.PrimaryKeyConstraint(
            "community",
            "period_start",
            "number",
            "unit_id",
            "billed_party",
            name=op.f("pk_propcrm_statements"),
        ),
    )


def downgrade() -> None:
    """Drop them all."""
    op.drop_table("propcrm_statements")
    op.drop_table("propcrm_request_steps")
    op.drop_table("propcrm_account_events")
    op.drop_index(op.f("ix_propcrm_units_community_unit_id"), table_name="propcrm_units")
    op.drop_table("propcrm_units")
    op.drop_table("propcrm_tariffs")
    op.drop_index(op.f("ix_propcrm_surveys_community_answered_at"), table_name="propcrm_surveys")
    op.drop_table("propcrm_surveys")
    op.drop_index(op.f("ix_propcrm_requests_requester"), table_name="propcrm_requests")
    op.drop_table("propcrm_requests")
    op.drop_index(op.f("ix_propcrm_relations_target_start_until"), table_name="propcrm_relations")
    op.drop_index(op.f("ix_propcrm_relations_party_id"), table_name="propcrm_relations")
    op.drop_table("propcrm_relations")
    op.drop_table("propcrm_records")
    op.drop_table("propcrm_receipts")
    op.drop_table("propcrm_price_lists")
    op.drop_table("propcrm_party_book")
    op.drop_table("propcrm_parties")
    op.drop_index(
        op.f("ix_propcrm_next_actions_next_action_at_request_id"), table_name="propcrm_next_actions"
    )
    op.drop_table("propcrm_next_actions")
    op.drop_index(
        op.f("ix_propcrm_dunning_community_unit_id_billed_party"), table_name="propcrm_dunning"
    )
    op.drop_index(op.f("ix_propcrm_dunning_community_taken_on"), table_name="propcrm_dunning")
    op.drop_table("propcrm_dunning")
    op.drop_index(op.f("ix_propcrm_alerts_request_id"), table_name="propcrm_alerts")
    op.drop_table("propcrm_alerts")
    op.drop_table("propcrm_accounts")
