"""The tables: documents of :mod:`propcrm.serialization` and the few columns the queries index.

Every table is prefixed ``propcrm_`` (and Alembic's version table is ``propcrm_alembic_version``)
so that the store can live in an application's own database beside its tables and its own
migrations. Documents are JSON text, written and read by the adapter alone; the columns beside
them are what a query filters, orders or keeps unique by, never money as a float.
"""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

__all__ = ["VERSION_TABLE", "UtcInstant", "metadata"]

VERSION_TABLE = "propcrm_alembic_version"

# Named constraints and indexes, so that migrations can refer to them on every backend.
metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

_UTC = datetime.UTC
# Fixed width, so that text order is time order on SQLite.
_TEXT_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class UtcInstant(sa.types.TypeDecorator[datetime.datetime]):
    """An instant as UTC: ``TIMESTAMP WITH TIME ZONE``, or fixed-width ISO text on SQLite.

    The zone an instant was taken in lives in the document beside it; the column is only for
    ordering and ranges, so UTC is all it needs.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(27))
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value: datetime.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        utc = value.astimezone(_UTC)
        if dialect.name == "sqlite":
            return utc.strftime(_TEXT_FORMAT)
        return utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            return datetime.datetime.strptime(value, _TEXT_FORMAT).replace(tzinfo=_UTC)
        return value.astimezone(_UTC)  # type: ignore[no-any-return]


def _key(length: int) -> sa.types.TypeEngine[str]:
    """An id or key column: compared byte-wise everywhere, so keyset pages order as Python does.

    PostgreSQL's default collation orders by language rules (and differs between machines);
    ``"C"`` orders by code point, as SQLite and Python do.
    """
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def _document() -> sa.Column[str]:
    return sa.Column("document", sa.Text, nullable=False)


def _version() -> sa.Column[int]:
    return sa.Column("version", sa.Integer, nullable=False)


# The party book is stored in parts (revision 0005): this row holds its version and the book
# without its records (its policy and journal); the parties, units and relations are the rows
# of the three tables below, each at its place in the book's order (``seq``), so that an import
# writes only its new rows and checks only the stored rows its records touch.
party_book = sa.Table(
    "propcrm_party_book",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    _version(),
    _document(),
)


def _seq() -> sa.Column[int]:
    # The record's place in the book (the order it was added in), which a book read whole keeps.
    return sa.Column("seq", sa.Integer, nullable=False)


parties = sa.Table(
    "propcrm_parties",
    metadata,
    sa.Column("party_id", _key(64), primary_key=True),
    _seq(),
    _document(),
)
units = sa.Table(
    "propcrm_units",
    metadata,
    sa.Column("unit_id", _key(64), primary_key=True),
    sa.Column("community", _key(64), nullable=False),
    _seq(),
    _document(),
    sa.Index(None, "community", "unit_id"),
)
relations = sa.Table(
    "propcrm_relations",
    metadata,
    sa.Column("relation_id", _key(64), primary_key=True),
    sa.Column("target", _key(64), nullable=False),
    sa.Column("party_id", _key(64), nullable=False),
    sa.Column("start", sa.Date, nullable=False),
    # The exclusive end in force (ended, else agreed); NULL while open-ended.
    sa.Column("until", sa.Date, nullable=True),
    # A tenancy's lease (NULL for other relations): a new tenancy is checked with its lease's.
    sa.Column("lease_id", _key(64), nullable=True),
    _seq(),
    _document(),
    sa.Index(None, "target", "start", "until"),
    sa.Index(None, "party_id"),
    sa.Index(None, "lease_id"),
)
tariffs = sa.Table(
    "propcrm_tariffs",
    metadata,
    sa.Column("name", _key(64), primary_key=True),
    _version(),
    _document(),
)
price_lists = sa.Table(
    "propcrm_price_lists",
    metadata,
    sa.Column("community", _key(64), primary_key=True),
    _version(),
    _document(),
)
accounts = sa.Table(
    "propcrm_accounts",
    metadata,
    sa.Column("stream_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("community", _key(64), nullable=False),
    sa.Column("unit_id", _key(64), nullable=False),
    # "" for an account with no billed party: a NULL would not be unique.
    sa.Column("billed_party", _key(64), nullable=False),
    _version(),
    # The account as of ``version``: a snapshot, equal to the replay of the events.
    sa.Column("snapshot", sa.Text, nullable=False),
    # The account without its events: what a replay folds the events into.
    sa.Column("settings", sa.Text, nullable=False),
    # The day from which the account owes nothing (its last event's, when it then owes
    # nothing); NULL while it owes something, or for a row written before revision 0002. The
    # arrears scan skips an account settled on or before the day it runs as of.
    sa.Column("settled_from", sa.Date, nullable=True),
    sa.UniqueConstraint("community", "unit_id", "billed_party"),
)
account_events = sa.Table(
    "propcrm_account_events",
    metadata,
    sa.Column(
        "stream_id", sa.Integer, sa.ForeignKey("propcrm_accounts.stream_id"), primary_key=True
    ),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    _document(),
)
statements = sa.Table(
    "propcrm_statements",
    metadata,
    sa.Column("community", _key(64), primary_key=True),
    sa.Column("period_start", sa.Date, primary_key=True),
    sa.Column("number", _key(64), primary_key=True),
    sa.Column("unit_id", _key(64), primary_key=True),
    sa.Column("billed_party", _key(64), primary_key=True),
    sa.Column("period_months", sa.Integer, nullable=False),
    sa.Column("stream_id", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.ForeignKeyConstraint(
        ["stream_id", "version"],
        ["propcrm_account_events.stream_id", "propcrm_account_events.version"],
    ),
)
receipts = sa.Table(
    "propcrm_receipts",
    metadata,
    # Unique per community: the database itself refuses a second posting of a bank reference.
    sa.Column("community", _key(64), primary_key=True),
    sa.Column("reference", _key(64), primary_key=True),
    sa.Column("unit_id", _key(64), nullable=False),
    sa.Column("billed_party", _key(64), nullable=False),
    _document(),
)
requests = sa.Table(
    "propcrm_requests",
    metadata,
    sa.Column("request_id", _key(64), primary_key=True),
    sa.Column("requester", _key(64), nullable=False),
    _version(),
    sa.Index(None, "requester"),
)
request_steps = sa.Table(
    "propcrm_request_steps",
    metadata,
    sa.Column(
        "request_id",
        _key(64),
        sa.ForeignKey("propcrm_requests.request_id"),
        primary_key=True,
    ),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    _document(),
)
next_actions = sa.Table(
    "propcrm_next_actions",
    metadata,
    sa.Column("request_id", _key(64), primary_key=True),
    _version(),
    sa.Column("next_action_at", UtcInstant, nullable=True),
    # The instant with its zone name, as the rules computed it.
    sa.Column("document", sa.Text, nullable=True),
    sa.Index(None, "next_action_at", "request_id"),
)
surveys = sa.Table(
    "propcrm_surveys",
    metadata,
    sa.Column("response_id", _key(64), primary_key=True),
    sa.Column("community", _key(64), nullable=False),
    sa.Column("answered_at", UtcInstant, nullable=False),
    _document(),
    sa.Index(None, "community", "answered_at"),
)
dunning = sa.Table(
    "propcrm_dunning",
    metadata,
    # The step's identity: a digest of its account and its document.
    sa.Column("step_key", _key(64), primary_key=True),
    sa.Column("community", _key(64), nullable=False),
    sa.Column("unit_id", _key(64), nullable=False),
    sa.Column("billed_party", _key(64), nullable=False),
    sa.Column("taken_on", sa.Date, nullable=False),
    _document(),
    sa.Index(None, "community", "taken_on"),
    sa.Index(None, "community", "unit_id", "billed_party"),
)
alerts = sa.Table(
    "propcrm_alerts",
    metadata,
    sa.Column("alert_key", _key(256), primary_key=True),
    sa.Column("request_id", _key(64), nullable=False),
    _document(),
    sa.Index(None, "request_id"),
)
records = sa.Table(
    "propcrm_records",
    metadata,
    sa.Column("kind", _key(128), primary_key=True),
    sa.Column("key", _key(256), primary_key=True),
    _version(),
    _document(),
)
# The CRM repositories' entries (propcrm.storage._entries): one row per aggregate, found by
# kind with its scope or its subject, in order of time.
entries = sa.Table(
    "propcrm_entries",
    metadata,
    sa.Column("kind", _key(64), primary_key=True),
    sa.Column("key", _key(256), primary_key=True),
    _version(),
    sa.Column("scope", _key(256), nullable=False),
    sa.Column("subject", _key(256), nullable=False),
    # A date, or an instant in UTC as fixed-width text (propcrm.storage._entries.sortable).
    sa.Column("at", _key(32), nullable=False),
    _document(),
    sa.Index(None, "kind", "scope", "at"),
    sa.Index(None, "kind", "subject", "at"),
    # Pages by key within one community (parking spaces, prepaid balances) when a group keeps
    # hundreds of communities in one database (revision 0004).
    sa.Index(None, "kind", "scope", "key"),
)
