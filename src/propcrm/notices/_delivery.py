"""What happened to a notice on each channel, per recipient, and the receipt that proves delivery.

The caller sends (an SMS gateway, WeChat, a letter) and feeds back what each channel reported as
a :class:`DeliveryEvent`; a :class:`DeliveryLog` keeps them per notice, refusing a status that
goes backwards or an event earlier than the last one for the same recipient and channel.
:func:`delivery_receipt` says, for a resolved audience, who is proven to have received the
notice (delivered or read, on any channel), and who is not yet.

>>> at = pendulum.datetime(2026, 12, 1, 9, 0, tz="Asia/Shanghai")
>>> log = DeliveryLog("N-7")
>>> log = log.record(DeliveryEvent("N-7", "P1", DeliveryChannel.SMS, DeliveryStatus.SENT, at))
>>> log = log.record(
...     DeliveryEvent("N-7", "P1", DeliveryChannel.SMS, DeliveryStatus.DELIVERED, at.add(seconds=5))
... )
>>> log.status("P1", DeliveryChannel.SMS)
<DeliveryStatus.DELIVERED: 'delivered'>
>>> late = at.add(minutes=1)
>>> log.record(DeliveryEvent("N-7", "P1", DeliveryChannel.SMS, DeliveryStatus.SENT, late))
Traceback (most recent call last):
...
propcrm.errors.DeliveryOutOfOrder: P1 on sms: delivered cannot be followed by sent; after \
delivered only read may follow.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, ngettext
from propcrm._validators import check_instance, check_items, check_record_id, check_text
from propcrm.errors import DeliveryOutOfOrder, InvalidNotice
from propcrm.notices._audiences import Audience
from propcrm.notices._kinds import DeliveryChannel, DeliveryStatus
from propcrm.notices._notices import DEFAULT_NOTICE_POLICY, Notice, NoticePolicy
from propcrm.time import aware

__all__ = [
    "DeliveryEvent",
    "DeliveryLog",
    "DeliveryReceipt",
    "delivery_receipt",
]

_NEXT: dict[DeliveryStatus | None, frozenset[DeliveryStatus]] = {
    None: frozenset({DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ}),
    DeliveryStatus.SENT: frozenset(
        {DeliveryStatus.DELIVERED, DeliveryStatus.READ, DeliveryStatus.FAILED}
    ),
    DeliveryStatus.DELIVERED: frozenset({DeliveryStatus.READ}),
    DeliveryStatus.READ: frozenset(),
    # A failed attempt may be retried: the next event starts a new attempt.
    DeliveryStatus.FAILED: frozenset({DeliveryStatus.SENT}),
}


def _id(_instance: object, attribute: attrs.Attribute[str], value: Any) -> None:
    check_record_id(value, attribute.name.replace("_", " "), InvalidNotice, field=attribute.name)


def _at(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="at")


def _optional_text(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        check_text(value, attribute.name, InvalidNotice, max_length=200)


def _member(kind: type) -> Callable[[Any, Any, Any], None]:
    def check(_instance: object, attribute: attrs.Attribute[object], value: Any) -> None:
        check_instance(value, attribute.name, kind, error=InvalidNotice)

    return check


@attrs.frozen
class DeliveryEvent:
    """What a channel reported for one recipient of one notice, and when.

    ``reference`` is the channel's own id (an SMS gateway's message id, a WeChat msgid), kept
    as the proof; ``detail`` the channel's reason for a failure.
    """

    notice_id: str = attrs.field(validator=_id)
    party_id: str = attrs.field(validator=_id)
    channel: DeliveryChannel = attrs.field(validator=_member(DeliveryChannel))
    status: DeliveryStatus = attrs.field(validator=_member(DeliveryStatus))
    at: pendulum.DateTime = attrs.field(converter=_at)
    reference: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)
    detail: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)


def _events(values: Iterable[DeliveryEvent]) -> tuple[DeliveryEvent, ...]:
    events: tuple[DeliveryEvent, ...] = check_items(values, "events", DeliveryEvent)
    return events


@attrs.frozen
class DeliveryLog:
    """Every delivery event of one notice, in the order recorded; add with :meth:`record`."""

    notice_id: str = attrs.field(validator=_id)
    events: tuple[DeliveryEvent, ...] = attrs.field(default=(), converter=_events)

    def __attrs_post_init__(self) -> None:
        last: dict[tuple[str, DeliveryChannel], DeliveryEvent] = {}
        for event in self.events:
            _check_next(self.notice_id, last, event)
            last[event.party_id, event.channel] = event

    def record(self, event: DeliveryEvent) -> DeliveryLog:
        """The log with ``event`` added, if it follows the recipient's last one on its channel."""
        check_instance(event, "event", DeliveryEvent, error=InvalidNotice)
        return DeliveryLog(self.notice_id, (*self.events, event))

    def status(self, party_id: str, channel: DeliveryChannel) -> DeliveryStatus | None:
        """The last status ``channel`` reported for ``party_id``, ``None`` if nothing yet."""
        check_record_id(party_id, "party id", InvalidNotice, field="party_id")
        check_instance(channel, "channel", DeliveryChannel, error=InvalidNotice)
        found = None
        for event in self.events:
            if event.party_id == party_id and event.channel is channel:
                found = event.status
        return found

    def counts(self) -> dict[tuple[DeliveryChannel, DeliveryStatus], int]:
        """How many recipients stand at each status on each channel (their last status)."""
        last: dict[tuple[str, DeliveryChannel], DeliveryStatus] = {}
        for event in self.events:
            last[event.party_id, event.channel] = event.status
        return dict(Counter((channel, status) for (_, channel), status in last.items()))


def _check_next(
    notice_id: str, last: dict[tuple[str, DeliveryChannel], DeliveryEvent], event: DeliveryEvent
) -> None:
    if event.notice_id != notice_id:
        raise InvalidNotice(
            f"an event of notice {event.notice_id} cannot go in the log of {notice_id}.",
            field="notice_id",
            value=event.notice_id,
            allowed=notice_id,
        )
    before = last.get((event.party_id, event.channel))
    if before is not None and event.at < before.at:
        raise DeliveryOutOfOrder(
            f"{event.party_id} on {event.channel.value}: an event at {event.at.isoformat()} is "
            f"earlier than the last one, at {before.at.isoformat()}.",
            field="at",
            value=event.at,
            allowed=f"at or after {before.at.isoformat()}",
        )
    previous = None if before is None else before.status
    allowed = _NEXT[previous]
    if event.status not in allowed:
        names = ", ".join(sorted(s.value for s in allowed)) or "nothing"
        raise DeliveryOutOfOrder(
            f"{event.party_id} on {event.channel.value}: "
            f"{previous.value if previous else 'nothing'} cannot be followed by "
            f"{event.status.value}; after {previous.value if previous else 'nothing'} only "
            f"{names} may follow.",
            field="status",
            value=event.status,
            allowed=names,
        )


@attrs.frozen
class DeliveryReceipt:
    """Who is proven to have received a notice (their proving event), and who is not yet."""

    notice_id: str
    needs_receipt: bool
    proofs: tuple[DeliveryEvent, ...]
    unproven: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Every recipient is proven to have received it."""
        return not self.unproven

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'N-7: 2 of 3 recipients proven; not yet: P3'``."""
        total = len(self.proofs) + len(self.unproven)
        text = ngettext(
            "%(notice)s: %(proven)d of %(num)d recipient proven",
            "%(notice)s: %(proven)d of %(num)d recipients proven",
            total,
            locale=locale,
            notice=self.notice_id,
            proven=len(self.proofs),
        )
        if self.unproven:
            text += gettext(
                "; not yet: %(parties)s", locale=locale, parties=", ".join(self.unproven)
            )
        return text


def delivery_receipt(
    notice: Notice,
    audience: Audience,
    log: DeliveryLog,
    *,
    policy: NoticePolicy = DEFAULT_NOTICE_POLICY,
) -> DeliveryReceipt:
    """For each recipient of ``audience``, the first event proving ``notice`` reached them.

    Delivered or read on any channel proves it; sent does not, and neither does a failure.
    """
    check_instance(notice, "notice", Notice, error=InvalidNotice)
    check_instance(audience, "audience", Audience, error=InvalidNotice)
    check_instance(log, "log", DeliveryLog, error=InvalidNotice)
    if log.notice_id != notice.notice_id:
        raise InvalidNotice(
            f"the log is of notice {log.notice_id}, not {notice.notice_id}.",
            field="log",
            value=log.notice_id,
            allowed=notice.notice_id,
        )
    first: dict[str, DeliveryEvent] = {}
    for event in log.events:
        if event.status.proves_delivery:
            first.setdefault(event.party_id, event)
    proofs = tuple(first[p] for p in audience.party_ids if p in first)
    unproven = tuple(p for p in audience.party_ids if p not in first)
    return DeliveryReceipt(notice.notice_id, policy.needs_receipt(notice), proofs, unproven)
