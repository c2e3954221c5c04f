"""Notices and announcements (通知/公告): kinds, audiences, delivery, receipts, activities.

A :class:`Notice` has a kind (service reminders, planned outages, emergencies, fee notices and
fee adjustments, meeting notices, community activities), its text, and an audience *rule* (the
whole community, buildings, a list, a segment, everyone in arrears, any of several; owners only
or everyone related to a unit) that :func:`resolve_audience` turns into recipients against the
:class:`~propcrm.parties.PartyBook` as of a date, each with its reasons. :func:`check_notice`
applies the rules that already exist for its kind: the 24-hour outage notice of
:mod:`propcrm.sla` and the tariff notice period of :mod:`propcrm.billing`.

Channels are the caller's: propcrm renders the text for each (:func:`render_sms` within the
carriers' lengths, :func:`render_wechat` into a template's fields) and records what each channel
reported (:class:`DeliveryLog`); :func:`delivery_receipt` proves who received a notice that must
be proven delivered (fee adjustments and meetings by default).

Each community activity has a :class:`ActivityRoster`, with capacity, a waiting list and attendance;
:func:`activity_history` gives each party's participations for segmentation.

Depends on :mod:`propcrm.money`, :mod:`propcrm.time`, :mod:`propcrm.billing`, :mod:`propcrm.sla`,
:mod:`propcrm.parties` and :mod:`propcrm.segmentation`.
"""

from propcrm.notices._activities import (
    Activity,
    ActivityRoster,
    Participation,
    SignUp,
    SignUpStatus,
    activity_history,
)
from propcrm.notices._audiences import (
    ALL_ROLES,
    AnyAudience,
    Audience,
    AudienceReason,
    AudienceRule,
    Everyone,
    InArrears,
    InBuildings,
    InSegment,
    Listed,
    Recipient,
    resolve_audience,
)
from propcrm.notices._delivery import (
    DeliveryEvent,
    DeliveryLog,
    DeliveryReceipt,
    delivery_receipt,
)
from propcrm.notices._kinds import DeliveryChannel, DeliveryStatus, NoticeKind
from propcrm.notices._notices import (
    DEFAULT_NOTICE_POLICY,
    Notice,
    NoticeCheck,
    NoticePolicy,
    check_notice,
)
from propcrm.notices._rendering import (
    FieldKind,
    NoticeField,
    SmsPolicy,
    SmsText,
    TemplateField,
    WeChatMessage,
    WeChatTemplate,
    render_sms,
    render_wechat,
)

__all__ = [
    "ALL_ROLES",
    "DEFAULT_NOTICE_POLICY",
    "Activity",
    "ActivityRoster",
    "AnyAudience",
    "Audience",
    "AudienceReason",
    "AudienceRule",
    "DeliveryChannel",
    "DeliveryEvent",
    "DeliveryLog",
    "DeliveryReceipt",
    "DeliveryStatus",
    "Everyone",
    "FieldKind",
    "InArrears",
    "InBuildings",
    "InSegment",
    "Listed",
    "Notice",
    "NoticeCheck",
    "NoticeField",
    "NoticeKind",
    "NoticePolicy",
    "Participation",
    "Recipient",
    "SignUp",
    "SignUpStatus",
    "SmsPolicy",
    "SmsText",
    "TemplateField",
    "WeChatMessage",
    "WeChatTemplate",
    "activity_history",
    "check_notice",
    "delivery_receipt",
    "render_sms",
    "render_wechat",
    "resolve_audience",
]


def __dir__() -> list[str]:
    return list(__all__)
