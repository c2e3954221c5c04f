"""Goods release (搬迁放行): moving goods out is checked before the gate lets them through.

A :class:`GoodsRelease` is requested for a unit on a day by the owner or a tenant. Before it is
approved it is checked (:func:`check_release`) against the unit's arrears, taken as an input
value (what :mod:`propcrm.receivables` says the unit owes that day, e.g. an
:class:`~propcrm.receivables.ArrearsReport`'s ``total``), so the rule stays pure, and, when a
tenant moves out, against the consent of one of the unit's owners on that day. A refused
release says why, as data (:class:`ReleaseRefusal`) and for people (``describe(locale)``); it
may be decided again once the arrears are paid or the consent is given.

>>> from propcrm.money import Money
>>> at = pendulum.datetime(2026, 6, 30, 9, 0, tz="Asia/Shanghai")
>>> release = GoodsRelease.request(
...     "FX-1",
...     unit_id="1-2-0301",
...     party_id="P9",
...     mover=Mover.TENANT,
...     on=pendulum.date(2026, 6, 30),
...     goods="家具、家电",
...     by="S1",
...     at=at,
... )
>>> check = check_release(release, arrears=Money("1260.00"), owners=["P1"], consent=None)
>>> [r.reason.value for r in check.refusals]
['arrears', 'no_owner_consent']
>>> release.decide(check, by="S1", at=at.add(minutes=5)).state.value
'refused'
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Collection, Iterable
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._validators import check_instance, check_int, check_items, check_record_id, instance_of
from propcrm.affairs._steps import (
    AffairAction,
    AffairState,
    AffairStep,
    AffairTransition,
    AffairTransitionTable,
    advance,
    check_history,
    check_id,
    check_words,
    clauses,
)
from propcrm.errors import IllegalAffairStep, InvalidAffair, ReleaseRefused
from propcrm.money import Money, format_money
from propcrm.time import DEFAULT_ZONE, as_date, local_date

__all__ = [
    "DEFAULT_RELEASE_POLICY",
    "RELEASE_TRANSITIONS",
    "GoodsRelease",
    "Mover",
    "OwnerConsent",
    "RefusalReason",
    "ReleaseCheck",
    "ReleasePolicy",
    "ReleaseRefusal",
    "check_release",
]

RELEASE_TRANSITIONS = AffairTransitionTable(
    "goods release",
    (
        AffairTransition(AffairAction.REQUEST_RELEASE, (), AffairState.REQUESTED),
        AffairTransition(
            AffairAction.APPROVE, (AffairState.REQUESTED, AffairState.REFUSED), AffairState.APPROVED
        ),
        AffairTransition(
            AffairAction.REFUSE, (AffairState.REQUESTED, AffairState.REFUSED), AffairState.REFUSED
        ),
        AffairTransition(AffairAction.LET_OUT, (AffairState.APPROVED,), AffairState.RELEASED),
        AffairTransition(
            AffairAction.CANCEL,
            (AffairState.REQUESTED, AffairState.REFUSED, AffairState.APPROVED),
            AffairState.CANCELLED,
        ),
    ),
)
"""Requested → approved → released, or refused (and decided again), or cancelled."""


class Mover(enum.Enum):
    """Who moves the goods out."""

    OWNER = "owner"
    TENANT = "tenant"
    """A tenant: the goods may be the owner's furniture, so an owner consents."""

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'业主'`` / ``'owner'``, ``'租户'`` / ``'tenant'``."""
        match self:
            case Mover.OWNER:
                return pgettext("mover", "owner", locale=locale)
            case Mover.TENANT:
                return pgettext("mover", "tenant", locale=locale)


def _given_on(value: object) -> pendulum.Date:
    return as_date(value, "given_on")


@attrs.frozen(kw_only=True)
class OwnerConsent:
    """An owner's consent (业主同意书) to moving goods out of ``unit_id``, given on a day."""

    owner_id: str = attrs.field(validator=check_id("party id"))
    unit_id: str = attrs.field(validator=check_id("unit id"))
    given_on: pendulum.Date = attrs.field(converter=_given_on)
    reference: str = attrs.field(default="", validator=instance_of(str))


def _tolerance(_instance: object, _attribute: object, value: Any) -> None:
    check_instance(value, "arrears_tolerance", Money, error=InvalidAffair)
    assert isinstance(value, Money)
    if value.is_negative:
        raise InvalidAffair(
            f"arrears_tolerance {value} is negative.",
            field="arrears_tolerance",
            value=value,
            allowed=">= 0",
        )


def _valid_days(_instance: object, _attribute: object, value: Any) -> None:
    check_int(value, "consent_valid_days", InvalidAffair, minimum=0, maximum=366)


@attrs.frozen(kw_only=True)
class ReleasePolicy:
    """The release rules.

    Arrears above ``arrears_tolerance`` (¥0.00) block a release; an owner's consent counts for
    ``consent_valid_days`` (30) after it was given.
    """

    arrears_tolerance: Money = attrs.field(default=Money.zero(), validator=_tolerance)
    consent_valid_days: int = attrs.field(default=30, validator=_valid_days)


DEFAULT_RELEASE_POLICY = ReleasePolicy()
"""No arrears tolerated; a consent counts for 30 days."""


class RefusalReason(enum.Enum):
    """Why a goods release is refused."""

    ARREARS = "arrears"
    NO_OWNER_CONSENT = "no_owner_consent"
    CONSENT_NOT_BY_OWNER = "consent_not_by_owner"
    CONSENT_FOR_OTHER_UNIT = "consent_for_other_unit"
    CONSENT_OUT_OF_DATE = "consent_out_of_date"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The reason's name."""
        match self:
            case RefusalReason.ARREARS:
                return pgettext("release refusal", "the unit is in arrears", locale=locale)
            case RefusalReason.NO_OWNER_CONSENT:
                return pgettext("release refusal", "no owner's consent", locale=locale)
            case RefusalReason.CONSENT_NOT_BY_OWNER:
                return pgettext("release refusal", "the consent is not an owner's", locale=locale)
            case RefusalReason.CONSENT_FOR_OTHER_UNIT:
                return pgettext("release refusal", "the consent is for another unit", locale=locale)
            case RefusalReason.CONSENT_OUT_OF_DATE:
                return pgettext("release refusal", "the consent is out of date", locale=locale)


@attrs.frozen
class ReleaseRefusal:
    """One reason a release is refused, with the figure or party behind it."""

    reason: RefusalReason
    amount: Money | None = None
    """The arrears, for :attr:`RefusalReason.ARREARS`."""
    party_id: str | None = None
    """Who gave the consent, for the consent reasons."""

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for people."""
        if self.amount is not None:
            return gettext(
                "%(reason)s: %(amount)s owed",
                locale=locale,
                reason=self.reason.label(locale),
                amount=format_money(self.amount, locale),
            )
        if self.party_id is not None:
            return gettext(
                "%(reason)s (%(party)s)",
                locale=locale,
                reason=self.reason.label(locale),
                party=self.party_id,
            )
        return self.reason.label(locale)


def _check_on(value: object) -> pendulum.Date:
    return as_date(value, "on")


def _refusals(value: Iterable[ReleaseRefusal]) -> tuple[ReleaseRefusal, ...]:
    items: tuple[ReleaseRefusal, ...] = check_items(
        value, "refusals", ReleaseRefusal, error=InvalidAffair
    )
    return items


@attrs.frozen(kw_only=True)
class ReleaseCheck:
    """The check of release ``release_id`` for its day: the arrears seen and every refusal."""

    release_id: str = attrs.field(validator=check_id("release id"))
    on: pendulum.Date = attrs.field(converter=_check_on)
    arrears: Money = attrs.field(validator=instance_of(Money))
    refusals: tuple[ReleaseRefusal, ...] = attrs.field(default=(), converter=_refusals)

    @property
    def allowed(self) -> bool:
        """Whether nothing stands in the way."""
        return not self.refusals

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for people: allowed, or refused and why."""
        if self.allowed:
            return gettext(
                "release %(id)s on %(on)s: allowed",
                locale=locale,
                id=self.release_id,
                on=self.on.isoformat(),
            )
        return gettext(
            "release %(id)s on %(on)s: refused (%(why)s)",
            locale=locale,
            id=self.release_id,
            on=self.on.isoformat(),
            why=clauses(locale).join(r.describe(locale) for r in self.refusals),
        )


def _on(value: object) -> pendulum.Date:
    return as_date(value, "on")


def _history(value: object) -> tuple[AffairStep, ...]:
    return check_history(RELEASE_TRANSITIONS, value)


def _checks(value: Iterable[ReleaseCheck]) -> tuple[ReleaseCheck, ...]:
    items: tuple[ReleaseCheck, ...] = check_items(
        value, "checks", ReleaseCheck, error=InvalidAffair
    )
    return items


@attrs.frozen(kw_only=True)
class GoodsRelease:
    """A release of goods (搬迁放行) out of ``unit_id`` on ``on``, moved by an owner or a tenant.

    ``checks`` keeps every check a decision was taken on, in order; the last one decides.
    """

    release_id: str = attrs.field(validator=check_id("release id"))
    unit_id: str = attrs.field(validator=check_id("unit id"))
    party_id: str = attrs.field(validator=check_id("party id"))
    mover: Mover = attrs.field(validator=instance_of(Mover))
    on: pendulum.Date = attrs.field(converter=_on)
    goods: str = attrs.field(validator=check_words)
    checks: tuple[ReleaseCheck, ...] = attrs.field(default=(), converter=_checks)
    history: tuple[AffairStep, ...] = attrs.field(converter=_history)

    def __attrs_post_init__(self) -> None:
        decided = [
            s for s in self.history if s.action in (AffairAction.APPROVE, AffairAction.REFUSE)
        ]
        if len(decided) != len(self.checks):
            raise InvalidAffair(
                f"release {self.release_id} has {len(decided)} decisions and "
                f"{len(self.checks)} checks; each decision keeps its check.",
                field="checks",
                value=len(self.checks),
                allowed=str(len(decided)),
            )
        for step, check in zip(decided, self.checks, strict=True):
            if check.release_id != self.release_id or (
                (step.action is AffairAction.APPROVE) != check.allowed
            ):
                raise InvalidAffair(
                    f"release {self.release_id}: a decision disagrees with its check.",
                    field="checks",
                    value=check,
                    allowed="an approval on an allowed check, a refusal on a refused one",
                )

    @classmethod
    def request(
        cls,
        release_id: str,
        *,
        unit_id: str,
        party_id: str,
        mover: Mover,
        on: datetime.date,
        goods: str,
        by: str,
        at: datetime.datetime,
    ) -> GoodsRelease:
        """A release requested by ``party_id`` (recorded by ``by`` at ``at``)."""
        return cls(
            release_id=release_id,
            unit_id=unit_id,
            party_id=party_id,
            mover=mover,
            on=on,
            goods=goods,
            history=(AffairStep(AffairAction.REQUEST_RELEASE, by, at),),
        )

    @property
    def state(self) -> AffairState:
        """Requested, approved, refused, released or cancelled."""
        return RELEASE_TRANSITIONS.state_of(self.history)

    @property
    def refusals(self) -> tuple[ReleaseRefusal, ...]:
        """Why the last decision refused the release (empty if it did not)."""
        return self.checks[-1].refusals if self.checks else ()

    def decide(self, check: ReleaseCheck, *, by: str, at: datetime.datetime) -> GoodsRelease:
        """Approved if ``check`` allows it, refused (with its reasons) if not."""
        check_instance(check, "check", ReleaseCheck, error=InvalidAffair)
        if check.release_id != self.release_id or check.on != self.on:
            raise InvalidAffair(
                f"the check is of release {check.release_id} on {check.on.isoformat()}, not "
                f"{self.release_id} on {self.on.isoformat()}.",
                field="check",
                value=check.release_id,
                allowed=self.release_id,
            )
        action = AffairAction.APPROVE if check.allowed else AffairAction.REFUSE
        reason = "" if check.allowed else "; ".join(r.reason.value for r in check.refusals)
        history = advance(RELEASE_TRANSITIONS, self.history, action, by, at, reason=reason)
        return attrs.evolve(self, history=history, checks=(*self.checks, check))

    def approve(self, check: ReleaseCheck, *, by: str, at: datetime.datetime) -> GoodsRelease:
        """Approved on ``check``; :class:`ReleaseRefused`, with the reasons, if it refuses."""
        check_instance(check, "check", ReleaseCheck, error=InvalidAffair)
        if not check.allowed:
            raise ReleaseRefused(
                check.describe("en_US"),
                field="check",
                value=tuple(r.reason for r in check.refusals),
                allowed="a check without refusals",
                reasons=check.refusals,
            )
        return self.decide(check, by=by, at=at)

    def let_out(self, *, by: str, at: datetime.datetime, zone: str = DEFAULT_ZONE) -> GoodsRelease:
        """The goods let through the gate by ``by``, on the release's day (local in ``zone``)."""
        day = local_date(at, zone)
        if self.state is AffairState.APPROVED and day != self.on:
            raise IllegalAffairStep(
                f"release {self.release_id} is for {self.on.isoformat()}, not "
                f"{day.isoformat()}; request a new one.",
                field="at",
                value=at,
                allowed=f"an instant on {self.on.isoformat()}",
            )
        history = advance(RELEASE_TRANSITIONS, self.history, AffairAction.LET_OUT, by, at)
        return attrs.evolve(self, history=history)

    def cancel(self, *, by: str, at: datetime.datetime, reason: str) -> GoodsRelease:
        """The release called off (the reason is kept)."""
        history = advance(
            RELEASE_TRANSITIONS, self.history, AffairAction.CANCEL, by, at, reason=reason
        )
        return attrs.evolve(self, history=history)


def _owner_ids(value: object) -> frozenset[str]:
    ids: tuple[str, ...] = check_items(value, "owners", str, error=InvalidAffair)
    for party_id in ids:
        check_record_id(party_id, "party id", InvalidAffair, field="owners")
    return frozenset(ids)


def check_release(
    release: GoodsRelease,
    *,
    arrears: Money,
    owners: Collection[str],
    consent: OwnerConsent | None,
    policy: ReleasePolicy = DEFAULT_RELEASE_POLICY,
) -> ReleaseCheck:
    """Check ``release`` on its day against the unit's ``arrears`` and the owner's ``consent``.

    ``arrears`` is what the unit owes that day (an input: the rule reads no ledger); ``owners``
    are the party ids of the unit's owners that day (``book.owners(unit_id, on)``). A consent is
    needed when a tenant moves out; it must be by one of ``owners``, for the unit, given on or
    before the day and not more than the policy's days before it. Every refusal found is listed.
    """
    check_instance(release, "release", GoodsRelease, error=InvalidAffair)
    check_instance(arrears, "arrears", Money, error=InvalidAffair)
    owner_ids = _owner_ids(owners)
    if consent is not None:
        check_instance(consent, "consent", OwnerConsent, error=InvalidAffair)
    check_instance(policy, "policy", ReleasePolicy, error=InvalidAffair)
    refusals: list[ReleaseRefusal] = []
    if arrears > policy.arrears_tolerance:
        refusals.append(ReleaseRefusal(RefusalReason.ARREARS, amount=arrears))
    if release.mover is Mover.TENANT:
        if consent is None:
            refusals.append(ReleaseRefusal(RefusalReason.NO_OWNER_CONSENT))
        else:
            if consent.owner_id not in owner_ids:
                refusals.append(
                    ReleaseRefusal(RefusalReason.CONSENT_NOT_BY_OWNER, party_id=consent.owner_id)
                )
            if consent.unit_id != release.unit_id:
                refusals.append(
                    ReleaseRefusal(RefusalReason.CONSENT_FOR_OTHER_UNIT, party_id=consent.owner_id)
                )
            age = (release.on - consent.given_on).days
            if not 0 <= age <= policy.consent_valid_days:
                refusals.append(
                    ReleaseRefusal(RefusalReason.CONSENT_OUT_OF_DATE, party_id=consent.owner_id)
                )
    return ReleaseCheck(
        release_id=release.release_id, on=release.on, arrears=arrears, refusals=tuple(refusals)
    )
