r"""Consent to contact a person, per purpose and channel, dated, with withdrawal and history.

PIPL (arts. 13-15) lets a property company process personal data for some purposes only with the
person's consent, which the person may withdraw at any time. A :class:`ConsentLedger` keeps every
grant and withdrawal a person made as dated :class:`ConsentEvent` values, never overwriting one, and
answers "may we contact this person for this purpose on this channel at this instant?" with a
:class:`ConsentDecision` that names the event that decided it. The default is no: without a
grant in force there is no consent.

>>> at = lambda day: pendulum.datetime(2026, 3, day, 10, tz="Asia/Shanghai")
>>> survey, sms = ConsentPurpose.SATISFACTION_SURVEY, ContactChannel.SMS
>>> ledger = (
...     ConsentLedger("P-0001")
...     .grant(survey, sms, at(1), evidence="move-in form #88")
...     .withdraw(survey, sms, at(20), evidence="hotline call")
... )
>>> ledger.may_contact(survey, sms, at(10)).allowed
True
>>> decision = ledger.may_contact(survey, sms, at(25))
>>> print(decision.explain())
不可以：“满意度调查”（短信）的同意已于 2026-03-20T10:00:00+08:00 撤回（hotline call）
>>> print(decision.explain("en_US"))
no: consent for satisfaction survey by SMS was withdrawn at 2026-03-20T10:00:00+08:00
(hotline call)
>>> ledger.may_contact(ConsentPurpose.MARKETING, ContactChannel.WECHAT, at(10)).explain("en_US")
'no: no consent for marketing by WeChat was ever recorded before 2026-03-10T10:00:00+08:00'
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._validators import check_items, check_record_id, check_text, instance_of
from propcrm.errors import InvalidConsentChange, InvalidPolicy, InvalidType
from propcrm.time import aware

__all__ = [
    "DEFAULT_CONSENT_POLICY",
    "ConsentAction",
    "ConsentDecision",
    "ConsentEvent",
    "ConsentLedger",
    "ConsentPolicy",
    "ConsentPurpose",
    "ContactChannel",
]


class ConsentPurpose(enum.Enum):
    """What the contact or sharing is for; ``label(locale)`` names it."""

    MARKETING = "marketing"
    SATISFACTION_SURVEY = "satisfaction_survey"
    SERVICE_NOTICES = "service_notices"
    COMMITTEE_SHARING = "committee_sharing"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The purpose's name, e.g. ``'满意度调查'`` (zh_CN) or ``'satisfaction survey'``."""
        # One literal per member, so that extraction finds every message.
        match self:
            case ConsentPurpose.MARKETING:
                return pgettext("consent purpose", "marketing", locale=locale)
            case ConsentPurpose.SATISFACTION_SURVEY:
                return pgettext("consent purpose", "satisfaction survey", locale=locale)
            case ConsentPurpose.SERVICE_NOTICES:
                return pgettext("consent purpose", "service notices", locale=locale)
            case ConsentPurpose.COMMITTEE_SHARING:
                return pgettext(
                    "consent purpose", "data sharing with the residents' committee", locale=locale
                )


class ContactChannel(enum.Enum):
    """How the person is reached; ``label(locale)`` names the channel."""

    SMS = "sms"
    WECHAT = "wechat"
    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The channel's name, e.g. ``'微信'`` (zh_CN) or ``'WeChat'`` (en_US)."""
        # One literal per member, so that extraction finds every message.
        match self:
            case ContactChannel.SMS:
                return pgettext("contact channel", "SMS", locale=locale)
            case ContactChannel.WECHAT:
                return pgettext("contact channel", "WeChat", locale=locale)
            case ContactChannel.PHONE:
                return pgettext("contact channel", "phone", locale=locale)
            case ContactChannel.LETTER:
                return pgettext("contact channel", "letter", locale=locale)
            case ContactChannel.EMAIL:
                return pgettext("contact channel", "email", locale=locale)


class ConsentAction(enum.Enum):
    """A grant gives consent from its instant on; a withdrawal ends it from its instant on."""

    GRANT = "granted"
    WITHDRAW = "withdrawn"


_CONTRACT_BASIS = "PIPL art. 13(2): necessary to perform the property service contract"
"""The default exemption basis, as stored (English); ``_basis_text`` explains it per locale."""


def _basis_text(basis: str, locale: LocaleLike) -> str:
    if basis == _CONTRACT_BASIS:
        return gettext(
            "PIPL art. 13(2): necessary to perform the property service contract", locale=locale
        )
    return basis


def _instant(value: datetime.datetime) -> pendulum.DateTime:
    if not isinstance(value, datetime.datetime):
        raise InvalidConsentChange(
            f"a consent event needs an aware datetime, not {type(value).__name__}.",
            field="at",
            value=value,
            allowed="aware datetime.datetime",
        )
    return aware(value, field="at")


def _evidence(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidConsentChange(
            "a consent event needs its evidence: how the person said so (a signed form, a "
            "recorded call, a WeChat confirmation), e.g. evidence='move-in form #88'.",
            field="evidence",
            value=value,
            allowed="non-empty text",
        )


@attrs.frozen
class ConsentEvent:
    """One grant or withdrawal, at an instant, with the evidence of it."""

    purpose: ConsentPurpose = attrs.field(validator=instance_of(ConsentPurpose))
    channel: ContactChannel = attrs.field(validator=instance_of(ContactChannel))
    action: ConsentAction = attrs.field(validator=instance_of(ConsentAction))
    at: pendulum.DateTime = attrs.field(converter=_instant)
    evidence: str = attrs.field(validator=_evidence)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations; the evidence is printed as it was recorded."""
        values = {
            "purpose": self.purpose.label(locale),
            "channel": self.channel.label(locale),
            "at": self.at.isoformat(),
            "evidence": self.evidence,
        }
        # A whole sentence per action: the two languages put the verb in different places.
        match self.action:
            case ConsentAction.GRANT:
                return gettext(
                    "consent for %(purpose)s by %(channel)s was granted at %(at)s (%(evidence)s)",
                    locale=locale,
                    **values,
                )
            case ConsentAction.WITHDRAW:
                return gettext(
                    "consent for %(purpose)s by %(channel)s was withdrawn at %(at)s (%(evidence)s)",
                    locale=locale,
                    **values,
                )


def _purposes(values: object) -> frozenset[ConsentPurpose]:
    return frozenset(check_items(values, "exempt", ConsentPurpose))


def _basis(_instance: object, _attribute: object, value: str) -> None:
    check_text(value, "basis", InvalidPolicy, example="'PIPL art. 13(2)'")


@attrs.frozen
class ConsentPolicy:
    """Purposes a community has decided need no consent, with the legal basis it relies on.

    Empty by default: no consent means no contact. A community may exempt, say, service notices
    where contacting owners is necessary to perform the service contract (PIPL art. 13(2)); the
    decision then says so. The default ``basis`` is explained in the decision's locale; a basis
    a community writes itself is printed as written.
    """

    exempt: frozenset[ConsentPurpose] = attrs.field(factory=frozenset, converter=_purposes)
    basis: str = attrs.field(default=_CONTRACT_BASIS, validator=_basis)


DEFAULT_CONSENT_POLICY = ConsentPolicy()
"""No purpose is exempt: every contact needs a grant in force."""


@attrs.frozen
class ConsentDecision:
    """The answer to "may we?", with the event (if any) that decided it."""

    allowed: bool
    purpose: ConsentPurpose
    channel: ContactChannel
    at: pendulum.DateTime
    decided_by: ConsentEvent | None
    exempt_basis: str | None = None

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The decision in one line, with the event or the exemption that decided it."""
        if self.exempt_basis is not None:
            # An exempt purpose is always allowed: the policy needs no grant.
            return gettext(
                "yes: %(purpose)s needs no consent (%(basis)s)",
                locale=locale,
                purpose=self.purpose.label(locale),
                basis=_basis_text(self.exempt_basis, locale),
            )
        if self.decided_by is None:
            # Without an event and without an exemption the answer is always no.
            return gettext(
                "no: no consent for %(purpose)s by %(channel)s was ever recorded before %(at)s",
                locale=locale,
                purpose=self.purpose.label(locale),
                channel=self.channel.label(locale),
                at=self.at.isoformat(),
            )
        event = self.decided_by.describe(locale)
        if self.allowed:
            return gettext("yes: %(event)s", locale=locale, event=event)
        return gettext("no: %(event)s", locale=locale, event=event)


def _check_order(
    instance: ConsentLedger, _attribute: object, events: tuple[ConsentEvent, ...]
) -> None:
    latest: dict[tuple[ConsentPurpose, ContactChannel], ConsentEvent] = {}
    for event in events:
        key = (event.purpose, event.channel)
        previous = latest.get(key)
        if previous is not None and event.at <= previous.at:
            raise InvalidConsentChange(
                f"for party {instance.party_id}, {event.action.value} consent for "
                f"{event.purpose.value} by {event.channel.value} at {event.at.isoformat()} is not "
                f"after the previous event at {previous.at.isoformat()}; history is appended in "
                "time order, never rewritten.",
                field="events",
                value=event,
                allowed=f"an event after {previous.at.isoformat()}",
                party_id=instance.party_id,
            )
        if event.action is ConsentAction.WITHDRAW and (
            previous is None or previous.action is ConsentAction.WITHDRAW
        ):
            raise InvalidConsentChange(
                f"party {instance.party_id} has no consent for {event.purpose.value} by "
                f"{event.channel.value} in force at {event.at.isoformat()}, so there is nothing "
                "to withdraw.",
                field="events",
                value=event,
                allowed="a withdrawal of a grant in force",
                party_id=instance.party_id,
            )
        latest[key] = event


def _events(value: Iterable[ConsentEvent]) -> tuple[ConsentEvent, ...]:
    events: tuple[ConsentEvent, ...] = check_items(value, "events", ConsentEvent)
    return events


def _party_id(_instance: object, _attribute: object, value: str) -> None:
    check_record_id(value, "party id", InvalidConsentChange)


def _required(value: object, field: str, kind: type[enum.Enum]) -> None:
    if not isinstance(value, kind):
        raise InvalidType(
            f"{field} must be a {kind.__name__}, got {type(value).__name__} {value!r}.",
            field=field,
            value=value,
            allowed=kind.__name__,
        )


def _optional(value: object, field: str, kind: type[enum.Enum]) -> None:
    if value is not None and not isinstance(value, kind):
        raise InvalidType(
            f"{field} must be a {kind.__name__} or None, got {type(value).__name__} {value!r}.",
            field=field,
            value=value,
            allowed=f"{kind.__name__} or None",
        )


@attrs.frozen
class ConsentLedger:
    """Every consent event of one party, in the order recorded; changed by returning a new one.

    Per purpose and channel, events must come in time order and a withdrawal needs a grant in
    force; a second grant while one is in force is a renewal (new evidence) and is kept.
    """

    party_id: str = attrs.field(validator=_party_id)
    events: tuple[ConsentEvent, ...] = attrs.field(
        default=(), converter=_events, validator=_check_order
    )

    def record(self, event: ConsentEvent) -> ConsentLedger:
        """This ledger with ``event`` appended (refused if out of order or withdrawing nothing)."""
        return attrs.evolve(self, events=(*self.events, event))

    def grant(
        self,
        purpose: ConsentPurpose,
        channel: ContactChannel,
        at: datetime.datetime,
        *,
        evidence: str,
    ) -> ConsentLedger:
        """Record consent for ``purpose`` by ``channel`` from ``at`` on."""
        return self.record(ConsentEvent(purpose, channel, ConsentAction.GRANT, at, evidence))

    def withdraw(
        self,
        purpose: ConsentPurpose,
        channel: ContactChannel,
        at: datetime.datetime,
        *,
        evidence: str,
    ) -> ConsentLedger:
        """Record the withdrawal of consent for ``purpose`` by ``channel`` from ``at`` on."""
        return self.record(ConsentEvent(purpose, channel, ConsentAction.WITHDRAW, at, evidence))

    def history(
        self, purpose: ConsentPurpose | None = None, channel: ContactChannel | None = None
    ) -> tuple[ConsentEvent, ...]:
        """The events, optionally of one purpose and/or channel, in the order recorded."""
        _optional(purpose, "purpose", ConsentPurpose)
        _optional(channel, "channel", ContactChannel)
        return tuple(
            event
            for event in self.events
            if (purpose is None or event.purpose is purpose)
            and (channel is None or event.channel is channel)
        )

    def may_contact(
        self,
        purpose: ConsentPurpose,
        channel: ContactChannel,
        at: datetime.datetime,
        *,
        policy: ConsentPolicy = DEFAULT_CONSENT_POLICY,
    ) -> ConsentDecision:
        """Whether ``purpose`` by ``channel`` is allowed at the instant ``at``, and why.

        The last event for that purpose and channel at or before ``at`` decides: a grant allows,
        a withdrawal forbids; with none, the answer is no unless ``policy`` exempts the purpose.
        An event at exactly ``at`` is already in force.
        """
        instant = aware(at, field="at")
        _required(purpose, "purpose", ConsentPurpose)
        _required(channel, "channel", ContactChannel)
        if not isinstance(policy, ConsentPolicy):
            raise InvalidType(
                f"policy must be a ConsentPolicy, got {type(policy).__name__} {policy!r}.",
                field="policy",
                value=policy,
                allowed="ConsentPolicy",
            )
        deciding = None
        for event in self.history(purpose, channel):
            if event.at <= instant:
                deciding = event
        if purpose in policy.exempt:
            return ConsentDecision(True, purpose, channel, instant, deciding, policy.basis)
        allowed = deciding is not None and deciding.action is ConsentAction.GRANT
        return ConsentDecision(allowed, purpose, channel, instant, deciding)

    def in_force(self, at: datetime.datetime) -> frozenset[tuple[ConsentPurpose, ContactChannel]]:
        """Every (purpose, channel) pair with a grant in force at ``at``."""
        return frozenset(
            (purpose, channel)
            for purpose in ConsentPurpose
            for channel in ContactChannel
            if self.may_contact(purpose, channel, at).allowed
        )
