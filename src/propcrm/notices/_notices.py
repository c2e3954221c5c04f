"""A notice (通知/公告): its kind, text, audience rule, and the rules its kind must keep.

A planned-outage notice carries its :class:`~propcrm.sla.PlannedOutage` and a fee-adjustment
notice its :class:`~propcrm.billing.TariffVersion`; :func:`check_notice` applies the rules that
already exist for them, :class:`~propcrm.sla.OutageNoticePolicy` (24 hours ahead, emergencies
excepted) and :class:`~propcrm.billing.TariffPolicy` (30 days), to the instant the notice is
issued, and says which rule let it through. A meeting or activity notice names when and where.
Which kinds must be proven delivered is the :class:`NoticePolicy`'s (fee adjustments and
meetings by default).

>>> from propcrm.notices import InBuildings
>>> from propcrm.sla import Utility
>>> ten = pendulum.datetime(2026, 7, 1, 10, 0, tz="Asia/Shanghai")
>>> outage = PlannedOutage(
...     Utility.WATER, "3号楼", starts_at=ten.add(days=1), ends_at=ten.add(days=1, hours=4),
...     announced_at=ten, reason="二次供水水箱清洗",
... )
>>> notice = Notice(
...     notice_id="N-1", kind=NoticeKind.PLANNED_OUTAGE, title="3号楼停水通知",
...     body="7月2日10:00-14:00清洗水箱，请提前储水。", issued_at=ten,
...     audience=InBuildings(["3"]), outage=outage,
... )
>>> print(check_notice(notice).explain("en_US"))
N-1 planned outage notice: issued 24 hours ahead (24 hours required)
>>> check_notice(attrs.evolve(notice, issued_at=ten.add(hours=2)))
Traceback (most recent call last):
...
propcrm.errors.OutageNoticeTooShort: the water outage for 3号楼 starting 2026-07-02T10:00:00+08:00 \
was announced 22 hours ahead, at 2026-07-01T12:00:00+08:00; planned outages need 24 hours' \
notice (announce by 2026-07-01T10:00:00+08:00), or mark it an emergency.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, ngettext, pgettext
from propcrm._validators import check_instance, check_items, check_record_id, check_text
from propcrm.billing import TariffPolicy, TariffVersion
from propcrm.errors import InvalidNotice
from propcrm.notices._audiences import RULE_TYPES, AudienceRule
from propcrm.notices._kinds import NoticeKind
from propcrm.sla import (
    DEFAULT_OUTAGE_NOTICE,
    NoticeRule,
    OutageNoticePolicy,
    PlannedOutage,
)
from propcrm.time import DEFAULT_ZONE, aware, local_date

__all__ = [
    "DEFAULT_NOTICE_POLICY",
    "Notice",
    "NoticeCheck",
    "NoticePolicy",
    "check_notice",
]

MAX_TITLE = 60
"""Longest title: a notice board's headline, and a WeChat template's first field."""
MAX_BODY = 2000
"""Longest body text."""


def _id(_instance: object, _attribute: object, value: Any) -> None:
    check_record_id(value, "notice id", InvalidNotice, field="notice_id")


def _kind(_instance: object, _attribute: object, value: Any) -> None:
    check_instance(value, "kind", NoticeKind, error=InvalidNotice)


def _title(_instance: object, _attribute: object, value: Any) -> None:
    check_text(value, "title", InvalidNotice, max_length=MAX_TITLE)


def _body(_instance: object, _attribute: object, value: Any) -> None:
    check_text(value, "body", InvalidNotice, max_length=MAX_BODY)


def _place(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None:
        check_text(value, "place", InvalidNotice, max_length=MAX_TITLE)


def _issued_at(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="issued_at")


def _event_at(value: datetime.datetime | None) -> pendulum.DateTime | None:
    return None if value is None else aware(value, field="event_at")


def _audience(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, RULE_TYPES):
        raise InvalidNotice(
            f"audience must be an audience rule, got {type(value).__name__} {value!r}.",
            field="audience",
            value=value,
            allowed="Everyone, InBuildings, Listed, InSegment, InArrears or AnyAudience",
        )


def _optional(kind: type) -> Callable[[Any, Any, Any], None]:
    def check(_instance: object, attribute: attrs.Attribute[object], value: Any) -> None:
        if value is not None:
            check_instance(value, attribute.name, kind, error=InvalidNotice)

    return check


# What each kind must carry, and may not.
_NEEDS: dict[NoticeKind, tuple[str, ...]] = {
    NoticeKind.PLANNED_OUTAGE: ("outage",),
    NoticeKind.FEE_ADJUSTMENT: ("tariff",),
    NoticeKind.MEETING: ("event_at", "place"),
    NoticeKind.COMMUNITY_ACTIVITY: ("event_at", "place"),
}


@attrs.frozen(kw_only=True)
class Notice:
    """A notice to residents: what, to whom (a rule, resolved when it is sent), and its facts.

    Attributes:
        notice_id: the notice's id.
        kind: what it is about; decides what it must carry and whether it needs a receipt.
        title, body: its text (at most 60 and 2,000 characters).
        issued_at: when it was issued: the instant its notice period counts from.
        audience: the rule that chooses its recipients.
        outage: the planned outage (planned-outage notices; optional on an emergency).
        tariff: the tariff version announced (fee-adjustment notices).
        event_at, place: when and where (meetings and community activities).
    """

    notice_id: str = attrs.field(validator=_id)
    kind: NoticeKind = attrs.field(validator=_kind)
    title: str = attrs.field(validator=_title)
    body: str = attrs.field(validator=_body)
    issued_at: pendulum.DateTime = attrs.field(converter=_issued_at)
    audience: AudienceRule = attrs.field(validator=_audience)
    outage: PlannedOutage | None = attrs.field(default=None, validator=_optional(PlannedOutage))
    tariff: TariffVersion | None = attrs.field(default=None, validator=_optional(TariffVersion))
    event_at: pendulum.DateTime | None = attrs.field(default=None, converter=_event_at)
    place: str | None = attrs.field(default=None, validator=_place)

    def __attrs_post_init__(self) -> None:
        for name in _NEEDS.get(self.kind, ()):
            if getattr(self, name) is None:
                raise InvalidNotice(
                    f"a {self.kind.value} notice needs {name}; notice {self.notice_id} has none.",
                    field=name,
                    value=None,
                    allowed=f"{name} for a {self.kind.value} notice",
                )
        allowed_outage = {NoticeKind.PLANNED_OUTAGE, NoticeKind.EMERGENCY}
        if self.outage is not None and self.kind not in allowed_outage:
            raise InvalidNotice(
                f"only an outage or emergency notice carries an outage; {self.notice_id} is a "
                f"{self.kind.value} notice.",
                field="outage",
                value=self.outage,
                allowed="None",
            )
        if self.tariff is not None and self.kind is not NoticeKind.FEE_ADJUSTMENT:
            raise InvalidNotice(
                f"only a fee-adjustment notice carries a tariff version; {self.notice_id} is a "
                f"{self.kind.value} notice.",
                field="tariff",
                value=self.tariff.version,
                allowed="None",
            )
        if self.event_at is not None and self.event_at < self.issued_at:
            raise InvalidNotice(
                f"notice {self.notice_id} announces an event at {self.event_at.isoformat()}, "
                f"before it was issued at {self.issued_at.isoformat()}.",
                field="event_at",
                value=self.event_at,
                allowed=f"at or after {self.issued_at.isoformat()}",
            )


def _kinds(values: Iterable[NoticeKind]) -> frozenset[NoticeKind]:
    return frozenset(check_items(values, "receipt_kinds", NoticeKind, error=InvalidNotice))


@attrs.frozen
class NoticePolicy:
    """Which kinds must be proven delivered, and the outage and tariff rules to apply.

    Fee adjustments need notice to residents before they apply (§2, §7), and a meeting's
    decisions hold only if owners were called to it (Civil Code art. 278): both are proven,
    not just sent, by default.
    """

    receipt_kinds: frozenset[NoticeKind] = attrs.field(
        default=frozenset({NoticeKind.FEE_ADJUSTMENT, NoticeKind.MEETING}), converter=_kinds
    )
    outages: OutageNoticePolicy = attrs.field(
        default=DEFAULT_OUTAGE_NOTICE, validator=_optional(OutageNoticePolicy)
    )
    tariffs: TariffPolicy = attrs.field(factory=TariffPolicy, validator=_optional(TariffPolicy))

    def needs_receipt(self, notice: Notice) -> bool:
        """Whether ``notice`` must be proven delivered to each recipient."""
        check_instance(notice, "notice", Notice, error=InvalidNotice)
        return notice.kind in self.receipt_kinds


DEFAULT_NOTICE_POLICY = NoticePolicy()
"""Receipts for fee adjustments and meetings; 24 hours for outages; 30 days for fees."""


@attrs.frozen
class NoticeCheck:
    """The rules a notice met: the outage rule and notice, the tariff's notice, the receipt need."""

    notice: Notice
    needs_receipt: bool
    outage_rule: NoticeRule | None = None
    notice_seconds: int | None = None
    required_seconds: int | None = None
    tariff_notice_days: int | None = None
    tariff_required_days: int | None = None

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line: the kind and which rule let it through."""
        head = f"{self.notice.notice_id} {self.notice.kind.label(locale)}"
        parts = []
        if self.outage_rule is not None:
            given = (self.notice_seconds or 0) // 3600
            required = (self.required_seconds or 0) // 3600
            if self.outage_rule is NoticeRule.EMERGENCY:
                parts.append(
                    gettext(
                        "emergency, issued %(given)s ahead (%(required)s otherwise required)",
                        locale=locale,
                        given=_hours(given, locale),
                        required=_hours(required, locale),
                    )
                )
            else:
                parts.append(
                    gettext(
                        "issued %(given)s ahead (%(required)s required)",
                        locale=locale,
                        given=_hours(given, locale),
                        required=_hours(required, locale),
                    )
                )
        if self.tariff_notice_days is not None:
            parts.append(
                gettext(
                    "takes effect %(given)s after notice (%(required)s required)",
                    locale=locale,
                    given=_days(self.tariff_notice_days, locale),
                    required=_days(self.tariff_required_days or 0, locale),
                )
            )
        if self.needs_receipt:
            parts.append(gettext("to be proven delivered", locale=locale))
        if not parts:
            return head
        separator = pgettext("summary separator", "; ", locale=locale)
        return gettext("%(head)s: %(rules)s", locale=locale, head=head, rules=separator.join(parts))


def _hours(n: int, locale: LocaleLike) -> str:
    return ngettext("%(num)d hour", "%(num)d hours", n, locale=locale)


def _days(n: int, locale: LocaleLike) -> str:
    return ngettext("%(num)d day", "%(num)d days", n, locale=locale)


def check_notice(notice: Notice, policy: NoticePolicy = DEFAULT_NOTICE_POLICY) -> NoticeCheck:
    """The rules ``notice`` meets, or the error of the rule it breaks.

    The outage and tariff rules are :mod:`propcrm.sla`'s and :mod:`propcrm.billing`'s, applied
    as of the notice's own issue: an outage counts as announced when its notice was issued, and
    a tariff version as announced on the notice's date (in the issue instant's zone).
    """
    check_instance(notice, "notice", Notice, error=InvalidNotice)
    check_instance(policy, "policy", NoticePolicy, error=InvalidNotice)
    decision = None
    notice_days = required_days = None
    if notice.outage is not None:
        if notice.issued_at > notice.outage.starts_at:
            raise InvalidNotice(
                f"notice {notice.notice_id} was issued at {notice.issued_at.isoformat()}, after "
                f"the outage began at {notice.outage.starts_at.isoformat()}.",
                field="issued_at",
                value=notice.issued_at,
                allowed=f"at or before {notice.outage.starts_at.isoformat()}",
            )
        announced = attrs.evolve(notice.outage, announced_at=notice.issued_at)
        decision = policy.outages.check(announced)
    if notice.tariff is not None:
        day = local_date(notice.issued_at, notice.issued_at.timezone_name or DEFAULT_ZONE)
        version = attrs.evolve(notice.tariff, announced_on=day)
        policy.tariffs.check(version)
        notice_days = (version.effective_from - day).days
        required_days = policy.tariffs.min_notice_days
    return NoticeCheck(
        notice,
        notice.kind in policy.receipt_kinds,
        outage_rule=None if decision is None else decision.rule,
        notice_seconds=None if decision is None else decision.notice_seconds,
        required_seconds=None if decision is None else decision.required_seconds,
        tariff_notice_days=notice_days,
        tariff_required_days=required_days,
    )
