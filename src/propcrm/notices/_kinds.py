"""The kinds of notice, the channels they go out on, and what a channel reports back."""

from __future__ import annotations

import enum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext

__all__ = ["DeliveryChannel", "DeliveryStatus", "NoticeKind"]


class NoticeKind(enum.Enum):
    """What a notice is about (issue 16's kinds; domain brief §2, §3, §7).

    >>> NoticeKind.FEE_ADJUSTMENT.label(), NoticeKind.FEE_ADJUSTMENT.label("en_US")
    ('调价通知', 'fee adjustment notice')
    """

    SERVICE_REMINDER = "service_reminder"
    PLANNED_OUTAGE = "planned_outage"
    EMERGENCY = "emergency"
    FEE_NOTICE = "fee_notice"
    FEE_ADJUSTMENT = "fee_adjustment"
    MEETING = "meeting"
    COMMUNITY_ACTIVITY = "community_activity"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The kind's name as printed on a notice."""
        match self:
            case NoticeKind.SERVICE_REMINDER:
                return pgettext("notice kind", "service reminder", locale=locale)
            case NoticeKind.PLANNED_OUTAGE:
                return pgettext("notice kind", "planned outage notice", locale=locale)
            case NoticeKind.EMERGENCY:
                return pgettext("notice kind", "emergency notice", locale=locale)
            case NoticeKind.FEE_NOTICE:
                return pgettext("notice kind", "fee notice", locale=locale)
            case NoticeKind.FEE_ADJUSTMENT:
                return pgettext("notice kind", "fee adjustment notice", locale=locale)
            case NoticeKind.MEETING:
                return pgettext("notice kind", "meeting notice", locale=locale)
            case NoticeKind.COMMUNITY_ACTIVITY:
                return pgettext("notice kind", "community activity", locale=locale)


class DeliveryChannel(enum.Enum):
    """A way a notice reaches a recipient; sending is the caller's, the record is propcrm's."""

    SMS = "sms"
    WECHAT = "wechat"
    APP = "app"
    LETTER = "letter"
    NOTICE_BOARD = "notice_board"
    PHONE = "phone"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The channel's name: ``'短信'`` or ``'SMS'``."""
        match self:
            case DeliveryChannel.SMS:
                return pgettext("notice channel", "SMS", locale=locale)
            case DeliveryChannel.WECHAT:
                return pgettext("notice channel", "WeChat", locale=locale)
            case DeliveryChannel.APP:
                return pgettext("notice channel", "app", locale=locale)
            case DeliveryChannel.LETTER:
                return pgettext("notice channel", "letter", locale=locale)
            case DeliveryChannel.NOTICE_BOARD:
                return pgettext("notice channel", "notice board", locale=locale)
            case DeliveryChannel.PHONE:
                return pgettext("notice channel", "phone call", locale=locale)


class DeliveryStatus(enum.Enum):
    """What a channel reported for one recipient: sent, delivered, read, or failed.

    Statuses move forward only (sent → delivered → read); a failure ends an attempt, and a new
    attempt starts again at sent.
    """

    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"

    @property
    def proves_delivery(self) -> bool:
        """Delivered and read prove the notice reached the recipient; sent does not."""
        return self in {DeliveryStatus.DELIVERED, DeliveryStatus.READ}

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The status's name: ``'已送达'`` or ``'delivered'``."""
        match self:
            case DeliveryStatus.SENT:
                return pgettext("delivery status", "sent", locale=locale)
            case DeliveryStatus.DELIVERED:
                return pgettext("delivery status", "delivered", locale=locale)
            case DeliveryStatus.READ:
                return pgettext("delivery status", "read", locale=locale)
            case DeliveryStatus.FAILED:
                return pgettext("delivery status", "failed", locale=locale)
