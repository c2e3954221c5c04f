"""The codes of a contact: channel, direction, purpose and outcome, each naming itself."""

from __future__ import annotations

import enum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext

__all__ = ["Channel", "ContactOutcome", "Direction", "Purpose"]


class Channel(enum.Enum):
    """How a contact took place (issue 16). Values are stable codes for storage."""

    HOTLINE = "hotline"
    """A call on the 24-hour service hotline (either way)."""
    VISIT = "visit"
    """The customer at the service desk, or staff at the customer's door."""
    WECHAT = "wechat"
    """A WeChat message or call."""
    SMS = "sms"
    LETTER = "letter"
    APP = "app"
    """The community app or mini-program."""

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The channel's name, e.g. ``'热线电话'`` (zh_CN) or ``'hotline call'`` (en_US)."""
        # One literal per member, so that extraction finds every message.
        match self:
            case Channel.HOTLINE:
                return pgettext("contact channel", "hotline call", locale=locale)
            case Channel.VISIT:
                return pgettext("contact channel", "visit", locale=locale)
            case Channel.WECHAT:
                return pgettext("contact channel", "WeChat", locale=locale)
            case Channel.SMS:
                return pgettext("contact channel", "SMS", locale=locale)
            case Channel.LETTER:
                return pgettext("contact channel", "letter", locale=locale)
            case Channel.APP:
                return pgettext("contact channel", "app", locale=locale)


class Direction(enum.Enum):
    """Who started the contact."""

    INBOUND = "inbound"
    """The customer reached us (来电, 来访)."""
    OUTBOUND = "outbound"
    """We reached the customer (去电, 回访, 上门)."""

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'呼入'`` / ``'inbound'``, ``'呼出'`` / ``'outbound'``."""
        match self:
            case Direction.INBOUND:
                return pgettext("contact direction", "inbound", locale=locale)
            case Direction.OUTBOUND:
                return pgettext("contact direction", "outbound", locale=locale)


class Purpose(enum.Enum):
    """What the contact was about."""

    REPAIR = "repair"
    """报修: a repair request."""
    COMPLAINT = "complaint"
    """投诉."""
    ENQUIRY = "enquiry"
    """咨询: a question answered."""
    FEES = "fees"
    """费用: fees, bills, arrears."""
    SUGGESTION = "suggestion"
    """建议 or praise."""
    CALLBACK = "callback"
    """回访/回电: keeping a promised callback, or a follow-up visit."""
    NOTICE = "notice"
    """通知: telling the customer something (an outage, a meeting)."""
    OTHER = "other"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The purpose's name, e.g. ``'报修'`` (zh_CN) or ``'repair'`` (en_US)."""
        match self:
            case Purpose.REPAIR:
                return pgettext("contact purpose", "repair", locale=locale)
            case Purpose.COMPLAINT:
                return pgettext("contact purpose", "complaint", locale=locale)
            case Purpose.ENQUIRY:
                return pgettext("contact purpose", "enquiry", locale=locale)
            case Purpose.FEES:
                return pgettext("contact purpose", "fees", locale=locale)
            case Purpose.SUGGESTION:
                return pgettext("contact purpose", "suggestion", locale=locale)
            case Purpose.CALLBACK:
                return pgettext("contact purpose", "callback", locale=locale)
            case Purpose.NOTICE:
                return pgettext("contact purpose", "notice", locale=locale)
            case Purpose.OTHER:
                return pgettext("contact purpose", "other", locale=locale)


class ContactOutcome(enum.Enum):
    """How the contact ended."""

    RESOLVED = "resolved"
    """Settled on this contact (counts for first-contact resolution)."""
    REQUEST_OPENED = "request_opened"
    """A service request or complaint was opened (linked by ``request_id``)."""
    CALLBACK_PROMISED = "callback_promised"
    """Not settled: somebody will call back (the contact carries the :class:`Callback`)."""
    REFERRED = "referred"
    """Passed to another department or party (the utility, the committee)."""
    NO_ANSWER = "no_answer"
    """An outbound attempt nobody answered: it does not keep a callback."""

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The outcome's name, e.g. ``'当场解决'`` (zh_CN) or ``'resolved'`` (en_US)."""
        match self:
            case ContactOutcome.RESOLVED:
                return pgettext("contact outcome", "resolved", locale=locale)
            case ContactOutcome.REQUEST_OPENED:
                return pgettext("contact outcome", "request opened", locale=locale)
            case ContactOutcome.CALLBACK_PROMISED:
                return pgettext("contact outcome", "callback promised", locale=locale)
            case ContactOutcome.REFERRED:
                return pgettext("contact outcome", "referred", locale=locale)
            case ContactOutcome.NO_ANSWER:
                return pgettext("contact outcome", "no answer", locale=locale)
