"""Leads (潜在客户) for vacant units and shops, moved through their stages by follow-ups.

A :class:`Lead` records where it came from (:class:`LeadSource`), whom to reach (a known party,
or a name and mobile number, masked like all personal data), what they want
(:class:`Interest`: a flat to rent, or a shop) and which unit, if they named one. Its history is
a list of audited :class:`LeadStep` values; the stage (:class:`LeadStage`) only moves forward —
new, contacted, viewing, negotiating, converted — or to lost. Follow-ups are contacts on the
desk's :class:`~propcrm.contacts.ContactLog`: :meth:`Lead.follow_up` links one (by its id) and
may move the stage on; a promised callback on it is measured like any other.

>>> at = pendulum.datetime(2026, 4, 1, 10, 0, tz="Asia/Shanghai")
>>> lead = Lead.new(
...     "L-1",
...     source=LeadSource.WALK_IN,
...     interest=Interest.SHOP,
...     party_id="P7",
...     unit_wanted="S-101",
...     by="S1",
...     at=at,
... )
>>> lead.advance(LeadStage.VIEWING, by="S1", at=at.add(days=2)).stage.value
'viewing'
"""

from __future__ import annotations

import datetime
import enum
import itertools
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._validators import check_instance, check_items, check_record_id, instance_of
from propcrm.contacts import Contact, ContactLog
from propcrm.errors import IllegalLeadStep, InvalidLead
from propcrm.personal_data import MobileNumber, PersonName
from propcrm.time import aware

__all__ = ["FUNNEL_STAGES", "Interest", "Lead", "LeadSource", "LeadStage", "LeadStep"]


class LeadSource(enum.Enum):
    """Where a lead came from. Values are stable codes for storage."""

    WALK_IN = "walk_in"
    """At the service desk or the sales office."""
    PHONE = "phone"
    REFERRAL = "referral"
    """Recommended by an owner, tenant or merchant."""
    ONLINE = "online"
    """A listing site, the community app or WeChat."""
    AGENT = "agent"
    """A property agent (中介)."""
    SIGNBOARD = "signboard"
    """A 'to let' sign on the unit."""
    OTHER = "other"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The source's name, e.g. ``'上门'`` (zh_CN) or ``'walk-in'`` (en_US)."""
        match self:
            case LeadSource.WALK_IN:
                return pgettext("lead source", "walk-in", locale=locale)
            case LeadSource.PHONE:
                return pgettext("lead source", "phone", locale=locale)
            case LeadSource.REFERRAL:
                return pgettext("lead source", "referral", locale=locale)
            case LeadSource.ONLINE:
                return pgettext("lead source", "online", locale=locale)
            case LeadSource.AGENT:
                return pgettext("lead source", "agent", locale=locale)
            case LeadSource.SIGNBOARD:
                return pgettext("lead source", "signboard", locale=locale)
            case LeadSource.OTHER:
                return pgettext("lead source", "other", locale=locale)


class Interest(enum.Enum):
    """What a lead wants: a home to rent (becomes a tenant) or a shop (becomes a merchant)."""

    HOME = "home"
    SHOP = "shop"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'租住'`` / ``'a home to rent'``, ``'商铺'`` / ``'a shop'``."""
        match self:
            case Interest.HOME:
                return pgettext("lead interest", "a home to rent", locale=locale)
            case Interest.SHOP:
                return pgettext("lead interest", "a shop", locale=locale)


class LeadStage(enum.Enum):
    """Where a lead stands; the funnel's stages in order, then lost."""

    NEW = "new"
    CONTACTED = "contacted"
    VIEWING = "viewing"
    """The unit was shown (带看)."""
    NEGOTIATING = "negotiating"
    """Terms under discussion."""
    CONVERTED = "converted"
    """Became a tenant or merchant of a unit."""
    LOST = "lost"

    @property
    def rank(self) -> int:
        """The stage's place in the funnel (lost: after every other)."""
        return _ORDER.index(self)

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The stage's name."""
        match self:
            case LeadStage.NEW:
                return pgettext("lead stage", "new", locale=locale)
            case LeadStage.CONTACTED:
                return pgettext("lead stage", "contacted", locale=locale)
            case LeadStage.VIEWING:
                return pgettext("lead stage", "viewing", locale=locale)
            case LeadStage.NEGOTIATING:
                return pgettext("lead stage", "negotiating", locale=locale)
            case LeadStage.CONVERTED:
                return pgettext("lead stage", "converted", locale=locale)
            case LeadStage.LOST:
                return pgettext("lead stage", "lost", locale=locale)


_ORDER = tuple(LeadStage)
FUNNEL_STAGES = _ORDER[:-1]
"""The stages a lead passes through on its way to conversion, in order."""
_OVER = frozenset({LeadStage.CONVERTED, LeadStage.LOST})


def _id(what: str) -> Any:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        check_record_id(value, what, InvalidLead, field=attribute.name)

    return check


def _optional_id(what: str) -> Any:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            check_record_id(value, what, InvalidLead, field=attribute.name)

    return check


def _at(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="at")


@attrs.frozen
class LeadStep:
    """One audited step of a lead: the stage it reached (or kept), who, when and why.

    ``contact_id`` names the follow-up contact it came with, ``relation_id`` the relation a
    conversion made.
    """

    stage: LeadStage = attrs.field(validator=instance_of(LeadStage))
    by: str = attrs.field(validator=_id("staff id"))
    at: pendulum.DateTime = attrs.field(converter=_at)
    reason: str = attrs.field(default="", validator=instance_of(str))
    contact_id: str | None = attrs.field(default=None, validator=_optional_id("contact id"))
    relation_id: str | None = attrs.field(default=None, validator=_optional_id("relation id"))


def _history(value: Iterable[LeadStep]) -> tuple[LeadStep, ...]:
    steps: tuple[LeadStep, ...] = check_items(value, "history", LeadStep, error=InvalidLead)
    if not steps or steps[0].stage is not LeadStage.NEW:
        raise InvalidLead(
            "a lead's history begins with its creation (stage new).",
            field="history",
            value=steps[0].stage if steps else None,
            allowed=LeadStage.NEW.value,
        )
    for before, after in itertools.pairwise(steps):
        _check_step(before, after)
    return steps


def _check_step(last: LeadStep, step: LeadStep) -> None:
    if step.at < last.at:
        raise InvalidLead(
            f"a lead step at {step.at.isoformat()} comes before its last step "
            f"({last.at.isoformat()}).",
            field="at",
            value=step.at,
            allowed=f"at or after {last.at.isoformat()}",
        )
    if last.stage in _OVER:
        raise IllegalLeadStep(
            f"the lead is {last.stage.value}; nothing follows.",
            field="stage",
            value=step.stage,
            allowed="none",
        )
    if step.stage is not LeadStage.LOST and step.stage.rank < last.stage.rank:
        raise IllegalLeadStep(
            f"a lead at {last.stage.value} does not go back to {step.stage.value}.",
            field="stage",
            value=step.stage,
            allowed=", ".join(s.value for s in _ORDER if s.rank >= last.stage.rank)
            if last.stage is not LeadStage.NEW
            else ", ".join(s.value for s in _ORDER[1:]),
        )
    if step.stage is LeadStage.LOST and not step.reason.strip():
        raise InvalidLead(
            "a lost lead says why it was lost.",
            field="reason",
            value=step.reason,
            allowed="non-empty text",
        )
    if (step.stage is LeadStage.CONVERTED) != (step.relation_id is not None):
        raise InvalidLead(
            "a conversion names the relation it made, and only a conversion does.",
            field="relation_id",
            value=step.relation_id,
            allowed="a relation id exactly when the stage is converted",
        )


@attrs.frozen(kw_only=True)
class Lead:
    """A prospect (潜在客户): source, whom to reach, interest, unit wanted, audited history.

    ``party_id`` names the party when the prospect is in the party book already; otherwise
    ``mobile`` (and ideally ``name``) say whom to reach, and the party is added on conversion.
    """

    lead_id: str = attrs.field(validator=_id("lead id"))
    source: LeadSource = attrs.field(validator=instance_of(LeadSource))
    interest: Interest = attrs.field(validator=instance_of(Interest))
    party_id: str | None = attrs.field(default=None, validator=_optional_id("party id"))
    name: PersonName | None = attrs.field(
        default=None, validator=instance_of(PersonName, type(None))
    )
    mobile: MobileNumber | None = attrs.field(
        default=None, validator=instance_of(MobileNumber, type(None))
    )
    unit_wanted: str | None = attrs.field(default=None, validator=_optional_id("unit id"))
    history: tuple[LeadStep, ...] = attrs.field(converter=_history)

    def __attrs_post_init__(self) -> None:
        if self.party_id is None and self.mobile is None:
            raise InvalidLead(
                f"lead {self.lead_id} has no way to reach the prospect; give a party id or a "
                "mobile number.",
                field="mobile",
                value=None,
                allowed="a MobileNumber, or a party_id",
            )
        contacts = [s.contact_id for s in self.history if s.contact_id is not None]
        if len(contacts) != len(set(contacts)):
            raise InvalidLead(
                f"lead {self.lead_id} links one contact twice.",
                field="history",
                value=tuple(contacts),
                allowed="each contact once",
            )

    @classmethod
    def new(
        cls,
        lead_id: str,
        *,
        source: LeadSource,
        interest: Interest,
        by: str,
        at: datetime.datetime,
        party_id: str | None = None,
        name: PersonName | None = None,
        mobile: MobileNumber | None = None,
        unit_wanted: str | None = None,
    ) -> Lead:
        """A lead recorded by ``by`` at ``at`` (stage new)."""
        return cls(
            lead_id=lead_id,
            source=source,
            interest=interest,
            party_id=party_id,
            name=name,
            mobile=mobile,
            unit_wanted=unit_wanted,
            history=(LeadStep(LeadStage.NEW, by, at),),
        )

    @property
    def stage(self) -> LeadStage:
        """The lead's stage now."""
        return self.history[-1].stage

    @property
    def created_at(self) -> pendulum.DateTime:
        """When the lead was recorded."""
        return self.history[0].at

    def stage_at(self, as_of: datetime.datetime) -> LeadStage | None:
        """The stage as of ``as_of`` (``None`` before the lead existed)."""
        when = aware(as_of, field="as_of")
        seen = [s.stage for s in self.history if s.at <= when]
        return seen[-1] if seen else None

    def furthest_at(self, as_of: datetime.datetime) -> LeadStage | None:
        """The furthest funnel stage reached by ``as_of`` (a lost lead keeps what it reached)."""
        when = aware(as_of, field="as_of")
        reached = [s.stage for s in self.history if s.at <= when and s.stage is not LeadStage.LOST]
        return max(reached, key=lambda s: s.rank) if reached else None

    @property
    def contact_ids(self) -> tuple[str, ...]:
        """The ids of the follow-up contacts, in order."""
        return tuple(s.contact_id for s in self.history if s.contact_id is not None)

    def _with(self, step: LeadStep) -> Lead:
        return attrs.evolve(self, history=(*self.history, step))

    def advance(
        self, stage: LeadStage, *, by: str, at: datetime.datetime, reason: str = ""
    ) -> Lead:
        """The lead moved on to ``stage`` (forward only; losing and converting have their own)."""
        check_instance(stage, "stage", LeadStage, error=InvalidLead)
        if stage in _OVER:
            raise IllegalLeadStep(
                f"use {'lose' if stage is LeadStage.LOST else 'convert'} for {stage.value}.",
                field="stage",
                value=stage,
                allowed="contacted, viewing or negotiating",
            )
        return self._with(LeadStep(stage, by, at, reason))

    def follow_up(self, contact: Contact, *, stage: LeadStage | None = None) -> Lead:
        """The lead with ``contact`` (on the contact log) as a follow-up, at the contact's time.

        The stage moves to ``stage`` when given; a first follow-up of a new lead moves it to
        contacted (an unanswered call does not).
        """
        check_instance(contact, "contact", Contact, error=InvalidLead)
        if stage is None:
            answered = contact.answered and self.stage is LeadStage.NEW
            stage = LeadStage.CONTACTED if answered else self.stage
        check_instance(stage, "stage", LeadStage, error=InvalidLead)
        if stage in _OVER:
            raise IllegalLeadStep(
                f"a follow-up does not make a lead {stage.value}.",
                field="stage",
                value=stage,
                allowed="contacted, viewing or negotiating",
            )
        if self.party_id is not None and contact.party_id not in (None, self.party_id):
            raise InvalidLead(
                f"contact {contact.contact_id} is with {contact.party_id}, not the lead's party "
                f"{self.party_id}.",
                field="contact",
                value=contact.party_id,
                allowed=self.party_id,
            )
        step = LeadStep(stage, contact.staff, contact.at, contact.summary, contact.contact_id)
        return self._with(step)

    def follow_ups(self, log: ContactLog) -> tuple[Contact, ...]:
        """The lead's follow-up contacts, read from the desk's ``log``."""
        check_instance(log, "log", ContactLog, error=InvalidLead)
        found = {c.contact_id: c for c in log.contacts}
        missing = [c for c in self.contact_ids if c not in found]
        if missing:
            raise InvalidLead(
                f"lead {self.lead_id}'s follow-ups {', '.join(missing)} are not on the log.",
                field="log",
                value=tuple(missing),
                allowed="a log holding every follow-up of the lead",
            )
        return tuple(found[c] for c in self.contact_ids)

    def lose(self, *, by: str, at: datetime.datetime, reason: str) -> Lead:
        """The lead lost (the reason is kept: price, chose elsewhere, unreachable …)."""
        return self._with(LeadStep(LeadStage.LOST, by, at, reason))

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for people: the lead, its source, interest and stage."""
        return gettext(
            "lead %(id)s (%(source)s, %(interest)s): %(stage)s",
            locale=locale,
            id=self.lead_id,
            source=self.source.label(locale),
            interest=self.interest.label(locale),
            stage=self.stage.label(locale),
        )
