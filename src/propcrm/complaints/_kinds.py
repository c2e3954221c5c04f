"""What a service request is and how it came in: its kind, its channel, its attachments.

One :class:`~propcrm.complaints.Request` type serves the five kinds of the brief's service desk
(§3, §4): a complaint (投诉), a repair (报修), an enquiry (咨询), a suggestion (建议) and a
special-service order (特约服务). Requests come in on the channels of §4 and §6: the 24-hour
hotline, the counter, the app, WeChat, or a visit.

Attachments are held *by reference* (a storage key or URI the host resolves), never as bytes:
a photo of a leak belongs in the host's object store, and the request keeps the key.

>>> RequestKind.COMPLAINT.label(), RequestKind.REPAIR.label("en_US")
('投诉', 'repair')
>>> Attachment("oss://photos/2026/11/leak-1.jpg", media_type="image/jpeg").ref
'oss://photos/2026/11/leak-1.jpg'
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm.errors import InvalidRequest

__all__ = ["Attachment", "IntakeChannel", "RequestKind"]


class RequestKind(enum.Enum):
    """The kind of a service request. Values are stable codes for storage."""

    # Members are singletons compared by identity, so hashing by identity agrees with equality;
    # Enum's own __hash__ (hash of the name) is Python code, run for every lookup of every step
    # of every replay (a transition row, a clock's kind). Hash values were never stable across
    # processes (string hashing is randomised), so nothing can have depended on them.
    __hash__ = object.__hash__

    COMPLAINT = "complaint"
    REPAIR = "repair"
    ENQUIRY = "enquiry"
    SUGGESTION = "suggestion"
    SPECIAL_SERVICE = "special_service"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The kind's display name in ``locale``."""
        match self:
            case RequestKind.COMPLAINT:
                return pgettext("request kind", "complaint", locale=locale)
            case RequestKind.REPAIR:
                return pgettext("request kind", "repair", locale=locale)
            case RequestKind.ENQUIRY:
                return pgettext("request kind", "enquiry", locale=locale)
            case RequestKind.SUGGESTION:
                return pgettext("request kind", "suggestion", locale=locale)
            case RequestKind.SPECIAL_SERVICE:
                return pgettext("request kind", "special-service order", locale=locale)


class IntakeChannel(enum.Enum):
    """Where a request came in (brief §3: a 24-hour hotline; §6: phone, counter, app)."""

    HOTLINE = "hotline"
    COUNTER = "counter"
    APP = "app"
    WECHAT = "wechat"
    VISIT = "visit"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The channel's display name in ``locale``."""
        match self:
            case IntakeChannel.HOTLINE:
                return pgettext("intake channel", "hotline", locale=locale)
            case IntakeChannel.COUNTER:
                return pgettext("intake channel", "counter", locale=locale)
            case IntakeChannel.APP:
                return pgettext("intake channel", "app", locale=locale)
            case IntakeChannel.WECHAT:
                return pgettext("intake channel", "WeChat", locale=locale)
            case IntakeChannel.VISIT:
                return pgettext("intake channel", "visit", locale=locale)


def _ref(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest(
            f"an attachment is held by reference: a non-empty storage key or URI, not {value!r}.",
            field="ref",
            value=value,
            allowed="a non-empty storage key or URI (str)",
        )


def _text(_instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, str):
        raise InvalidRequest(
            f"an attachment's {attribute.name} is a str, not {value!r}.",
            field=attribute.name,
            value=value,
            allowed="str (empty if unknown)",
        )


@attrs.frozen
class Attachment:
    """A file attached to a request, by reference: the host's storage key or URI, never bytes."""

    ref: str = attrs.field(validator=_ref)
    media_type: str = attrs.field(default="", validator=_text, kw_only=True)
    name: str = attrs.field(default="", validator=_text, kw_only=True)
