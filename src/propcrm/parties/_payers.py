"""Who pays for a unit (domain brief §1): the rule, and its answers as data.

The tenant a lease marks as paying, while that tenancy is in force; otherwise the owner — the
designated one among joint owners, else the largest share (ties: the earliest owner, then the
lowest party id). :func:`payer_on` is that rule; :class:`Payer` says which part of it chose the
party, and :class:`PayerSpan` is a run of days billable to one party by one rule, with the
meaning of billing's ``BillableSpan`` (this package never imports billing).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm.parties._relations import Owner, Tenant

__all__ = ["Payer", "PayerReason", "PayerSpan", "payer_on", "spans_of"]


class PayerReason(enum.Enum):
    """Which rule chose the party billable for a unit on a day; ``rule(locale)`` in words."""

    PAYING_TENANT = "paying_tenant"
    SOLE_OWNER = "sole_owner"
    DESIGNATED_OWNER = "designated_owner"
    LARGEST_SHARE = "largest_share"
    EQUAL_SHARES = "equal_shares"

    def rule(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The rule in words, e.g. ``'唯一业主缴费'`` (zh_CN) or ``'the only owner pays'``."""
        # One literal per member, so that extraction finds every message.
        match self:
            case PayerReason.PAYING_TENANT:
                return pgettext(
                    "payer rule", "the lease makes the tenant pay the fees", locale=locale
                )
            case PayerReason.SOLE_OWNER:
                return pgettext("payer rule", "the only owner pays", locale=locale)
            case PayerReason.DESIGNATED_OWNER:
                return pgettext("payer rule", "the joint owner designated to pay", locale=locale)
            case PayerReason.LARGEST_SHARE:
                return pgettext(
                    "payer rule", "the joint owner with the largest share", locale=locale
                )
            case PayerReason.EQUAL_SHARES:
                return pgettext(
                    "payer rule",
                    "equal largest shares: the earliest owner, then the lowest party id",
                    locale=locale,
                )


@attrs.frozen
class Payer:
    """The party billable for a unit on a day, and why (as data).

    ``relation_id`` is the relation that makes the party pay; ``owners`` are all owners in force
    that day, ``tenant`` the paying tenancy when a tenant pays.
    """

    unit_id: str
    on: pendulum.Date
    party_id: str
    reason: PayerReason
    relation_id: str
    owners: tuple[Owner, ...]
    tenant: Tenant | None = None

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line: who pays and by which rule."""
        return gettext(
            "%(party)s pays for %(unit)s on %(day)s: %(rule)s",
            locale=locale,
            party=self.party_id,
            unit=self.unit_id,
            day=self.on.isoformat(),
            rule=self.reason.rule(locale),
        )


@attrs.frozen
class PayerSpan:
    """Days ``[start, until)`` on which ``party_id`` is billable for ``unit_id``.

    ``start``/``until`` have the meaning of billing's ``BillableSpan``:
    ``BillableSpan(span.start, span.until)`` bills exactly these days. ``until`` is ``None``
    only when the span runs to the end of the range asked for and the range had no end.
    """

    unit_id: str
    party_id: str
    start: pendulum.Date
    until: pendulum.Date | None
    reason: PayerReason


def payer_on(
    unit_id: str, day: pendulum.Date, owners: Sequence[Owner], tenants: Sequence[Tenant]
) -> Payer | None:
    """The party billable for ``unit_id`` on ``day``, given its owners and tenants that day.

    ``None`` when nobody is: no owner and no paying tenant.
    """
    for tenant in tenants:
        if tenant.pays_fees:
            return Payer(
                unit_id,
                day,
                tenant.party_id,
                PayerReason.PAYING_TENANT,
                tenant.relation_id,
                tuple(owners),
                tenant,
            )
    if not owners:
        return None
    if len(owners) == 1:
        chosen, reason = owners[0], PayerReason.SOLE_OWNER
    else:
        designated = [o for o in owners if o.pays_fees]
        if designated:
            chosen, reason = designated[0], PayerReason.DESIGNATED_OWNER
        else:
            largest = max(o.share for o in owners)
            top = sorted(
                (o for o in owners if o.share == largest),
                key=lambda o: (o.start, o.party_id),
            )
            chosen = top[0]
            reason = PayerReason.LARGEST_SHARE if len(top) == 1 else PayerReason.EQUAL_SHARES
    return Payer(unit_id, day, chosen.party_id, reason, chosen.relation_id, tuple(owners))


def spans_of(
    unit_id: str,
    start: pendulum.Date,
    end: pendulum.Date | None,
    changes: Iterable[pendulum.Date],
    payer: Callable[[pendulum.Date], Payer | None],
) -> tuple[PayerSpan, ...]:
    """The days of ``[start, end)`` as spans of one party by one rule, nobody's days left out.

    ``changes`` are the days on which the payer may change (the owners' and tenants' starts and
    ends); ``payer`` answers for one day. The last span stays open when ``end`` is ``None``.
    """
    days = {start, *(d for d in changes if d > start and (end is None or d < end))}
    spans: list[PayerSpan] = []
    ordered = sorted(days)
    for i, day in enumerate(ordered):
        stop = ordered[i + 1] if i + 1 < len(ordered) else end
        chosen = payer(day)
        if chosen is None:
            continue
        last = spans[-1] if spans else None
        if (
            last is not None
            and last.until == day
            and (last.party_id, last.reason) == (chosen.party_id, chosen.reason)
        ):
            spans[-1] = attrs.evolve(last, until=stop)
        else:
            spans.append(PayerSpan(unit_id, chosen.party_id, day, stop, chosen.reason))
    return tuple(spans)
