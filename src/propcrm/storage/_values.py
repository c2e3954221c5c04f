"""The values repositories take and give: keys, versions, pages and the daily queries' rows."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

import attrs
import pendulum

from propcrm._validators import check_record_id
from propcrm.errors import (
    InvalidPageToken,
    InvalidParty,
    InvalidType,
    InvalidUnit,
    RecordNotFound,
)
from propcrm.money import Money
from propcrm.receivables import Receipt, StatementOwed

__all__ = [
    "AccountId",
    "AppendResult",
    "ArrearsEntry",
    "DueRequest",
    "Page",
    "PostedReceipt",
    "Versioned",
    "check_key",
    "check_limit",
    "decode_token",
    "encode_token",
    "keyset",
    "not_found",
]

T = TypeVar("T")
E = TypeVar("E")


def _community(_instance: object, _attribute: object, value: str) -> None:
    check_record_id(value, "community", InvalidUnit)


def _unit_id(_instance: object, _attribute: object, value: str) -> None:
    check_record_id(value, "unit id", InvalidUnit)


def _billed_party(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None:
        check_record_id(value, "billed party", InvalidParty)


@attrs.frozen
class AccountId:
    """What names an account's stream: its community, unit and billed party.

    An account (:class:`~propcrm.receivables.Account`) is a unit's with one billed party; the
    community is the storage's own, since a bank reference is unique per community.

    >>> AccountId("SUNRISE", "1-2-0301", "owner-17")
    AccountId(community='SUNRISE', unit_id='1-2-0301', billed_party='owner-17')
    """

    community: str = attrs.field(validator=_community)
    unit_id: str = attrs.field(validator=_unit_id)
    billed_party: str | None = attrs.field(default=None, validator=_billed_party)

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """The key the arrears scan orders and pages by (no billed party sorts first)."""
        party = self.billed_party
        return (self.unit_id, "" if party is None else "+", party or "")


@attrs.frozen
class Versioned(Generic[T]):
    """A value read from a store and the version it was read at; write back at that version.

    Versions count writes: ``0`` is "not there yet", a stream's version is the number of events
    it holds, a record's the number of times it was written.
    """

    value: T
    version: int


@attrs.frozen
class Page(Generic[T]):
    """One page of a query: its items and the token of the next page (``None`` on the last).

    Pages are keyset pages: the token names the last item's key, so a page is stable while rows
    are added or changed elsewhere, and the next page costs an index seek, never an offset.
    """

    items: tuple[T, ...]
    next: str | None


@attrs.frozen
class AppendResult(Generic[E]):
    """What an append wrote: the stream's new version, the events appended and those skipped.

    ``duplicates`` are events the stream (or, for receipts, the community) already held with
    the same contents: posted twice, credited once, and reported rather than refused.
    """

    version: int
    appended: tuple[E, ...]
    duplicates: tuple[E, ...] = ()


@attrs.frozen
class PostedReceipt:
    """A receipt as the community's bank-reference index holds it: the account it credited."""

    account: AccountId
    receipt: Receipt

    def same_as(self, account: AccountId, receipt: Receipt) -> bool:
        """Whether ``receipt`` for ``account`` is this receipt again (same contents and unit)."""
        return self.receipt == receipt and self.account.unit_id == account.unit_id

    def describe(self) -> str:
        """One line naming the receipt, its amount, date and unit."""
        r = self.receipt
        return (
            f"receipt {r.reference} for {r.amount.amount:f} {r.amount.currency} received "
            f"{r.received_on.isoformat()} for unit {self.account.unit_id}"
        )


@attrs.frozen
class ArrearsEntry:
    """One account of the arrears scan: what its overdue statements owe as of a date."""

    account: AccountId
    as_of: pendulum.Date
    statements: tuple[StatementOwed, ...]

    @property
    def total(self) -> Money:
        """Principal, late fees and costs of every overdue statement."""
        return Money.total(
            (s.total for s in self.statements), self.statements[0].principal.currency
        )

    @property
    def oldest_due_on(self) -> pendulum.Date:
        """The due date of the oldest overdue statement."""
        return min(s.due_on for s in self.statements)


@attrs.frozen
class DueRequest:
    """An open request whose next action (its earliest alert not yet sent) is due."""

    request_id: str
    next_action_at: pendulum.DateTime


def check_limit(limit: object) -> int:
    """``limit`` if it is a page size from 1 to 1000."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 1000:
        raise InvalidType(
            f"limit {limit!r} must be an int from 1 to 1000.",
            field="limit",
            value=limit,
            allowed="an int from 1 to 1000",
        )
    return limit


def encode_token(query: str, key: list[Any]) -> str:
    """An opaque token for the page after ``key`` of ``query`` (text, for any store)."""
    text = json.dumps([query, key], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode()


def decode_token(token: str, query: str, size: int) -> list[Any]:
    """The key a token of ``query`` names; a token of another query or malformed is refused."""
    try:
        name, key = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError, binascii.Error, AttributeError) as error:
        raise InvalidPageToken(
            f"page token {token!r} is not one this store gave.",
            field="after",
            value=token,
            allowed="the next token of the previous page",
            error=error,
        ) from error
    if name != query or not isinstance(key, list) or len(key) != size:
        raise InvalidPageToken(
            f"page token {token!r} is not a token of the {query} query.",
            field="after",
            value=token,
            allowed=f"a token the {query} query gave",
        )
    return key


def check_key(value: object, field: str) -> str:
    return check_record_id(value, field.replace("_", " "), InvalidType, field=field)


def not_found(what: str) -> RecordNotFound:
    return RecordNotFound(f"no {what} is stored.", field="key", value=what)


def keyset(
    rows: Iterable[tuple[list[Any], T]], query: str, width: int, limit: int, after: str | None
) -> Page[T]:
    """A page of ``rows`` (key of ``width`` parts, item) by key, after the token's key."""
    size = check_limit(limit)
    ordered = sorted(rows, key=lambda r: r[0])
    start = None if after is None else decode_token(after, query, width)
    if start is not None:
        ordered = [r for r in ordered if r[0] > start]
    chosen = ordered[:size]
    more = len(ordered) > size
    token = encode_token(query, chosen[-1][0]) if more else None
    return Page(tuple(item for _key, item in chosen), token)
