"""How the adapter writes an account's documents and reads them back.

Reading is the hot path (an arrears scan, loading every account of a community): see
:class:`Decoder`.
"""

from __future__ import annotations

import json
from typing import cast

from propcrm.receivables import Account, AccountEvent, Receipt
from propcrm.serialization import from_primitive, to_primitive

__all__ = ["Decoder"]


def _dumps(primitive: object) -> str:
    return json.dumps(primitive, ensure_ascii=False, separators=(",", ":"))


class Decoder:
    """Writes accounts and their events as documents, and reads them back."""

    def dump_event(self, event: AccountEvent, *, tagged: bool = True) -> str:
        """An event's document (tagged with its class, or a bare receipt's)."""
        return _dumps(to_primitive(event, AccountEvent if tagged else type(event)))

    def dump_account(self, account: Account) -> str:
        """An account's snapshot document."""
        return _dumps(to_primitive(account, Account))

    def event(self, document: str) -> AccountEvent:
        """The event a document of :meth:`dump_event` holds."""
        return cast("AccountEvent", from_primitive(json.loads(document), AccountEvent))

    def receipt(self, document: str) -> Receipt:
        """The receipt an untagged document holds."""
        return from_primitive(json.loads(document), Receipt)

    def account(self, document: str) -> Account:
        """The account a snapshot document holds."""
        return from_primitive(json.loads(document), Account)
