"""The party as segmentation sees it: :class:`SegmentSubject` and its :class:`PartyFacts` on a date.

The subject is segmentation's own plain value (kind of customer, property types and rights,
community, internal attributes, move-in and callback, fee notices, special-service purchases,
the complaint side), with the vocabularies it is described in; :class:`PartyFacts` is
everything a rule reads about it on one date, computed once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike
from propcrm._property_types import PropertyType
from propcrm._validators import (
    check_instance,
    check_int,
    check_items,
    check_record_id,
    check_text,
    check_unique,
    instance_of,
)
from propcrm.analytics import (
    DEFAULT_BEHAVIOUR_POLICY,
    BehaviourPolicy,
    ComplaintBehaviour,
    ComplaintHistory,
    FixedThresholds,
    PaymentBehaviour,
    PaymentFact,
    RfmComponent,
    RfmScore,
    ServicePurchase,
    SpendBehaviour,
    complaint_behaviour,
    is_existing_customer,
    payment_behaviour,
    rfm_input,
    rfm_scores,
    spend_behaviour,
)
from propcrm.errors import InvalidSegmentSubject, RfmNotComputed
from propcrm.money import CNY
from propcrm.segmentation import _later as later
from propcrm.segmentation._checks import enum_set
from propcrm.time import as_date

__all__ = [
    "CustomerAsk",
    "OrganisationType",
    "PartyFacts",
    "PropertyRight",
    "SegmentSubject",
    "SubjectKind",
    "member_list",
    "said",
]


class SubjectKind(enum.Enum):
    """A party is a person or an organisation (§1)."""

    PERSON = "person"
    ORGANISATION = "organisation"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'个人'`` or ``'单位'`` (zh_CN); ``'a person'`` or ``'an organisation'`` (en_US)."""
        return said(self)(locale)


class OrganisationType(enum.Enum):
    """The kinds of organisation a community deals with (§1, §5)."""

    ENTERPRISE = "enterprise"
    GOVERNMENT_AGENCY = "government_agency"
    OWNERS_COMMITTEE = "owners_committee"
    RESIDENTS_COMMITTEE = "residents_committee"
    PROPERTY_COMPANY = "property_company"
    MERCHANT = "merchant"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The type's name, e.g. ``'业主委员会'`` (zh_CN) or ``"owners' committee"`` (en_US)."""
        return said(self)(locale)


class PropertyRight(enum.Enum):
    """A party's right to the property it uses: owner (业主), tenant (租户) or other occupant."""

    OWNER = "owner"
    TENANT = "tenant"
    OTHER_OCCUPANT = "other_occupant"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The right's name: ``'业主'``, ``'租户'``, ``'非业主使用人'`` (zh_CN).

        >>> [right.label("en_US") for right in PropertyRight]
        ['owner', 'tenant', 'other occupant']
        """
        return said(self)(locale)


class CustomerAsk(enum.Enum):
    """What a party asks of the property company: service, a hearing for opinions, fee matters."""

    SERVICE = "service"
    OPINIONS = "opinions"
    FEES = "fees"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """What is asked for: ``'服务'``, ``'意见'``, ``'费用'`` (zh_CN)."""
        return said(self)(locale)


def said(member: enum.Enum) -> later.Later:  # noqa: PLR0912 - one case per member reads best
    """The name of a member of one of segmentation's vocabularies, to be written in a locale.

    One literal per member, so that extraction finds every message. Property types are named
    here too, with the same context and wording as their Chinese names on fee notices.
    """
    match member:
        case SubjectKind.PERSON:
            return later.pgettext("subject kind", "a person")
        case SubjectKind.ORGANISATION:
            return later.pgettext("subject kind", "an organisation")
        case OrganisationType.ENTERPRISE:
            return later.pgettext("organisation type", "enterprise")
        case OrganisationType.GOVERNMENT_AGENCY:
            return later.pgettext("organisation type", "government agency")
        case OrganisationType.OWNERS_COMMITTEE:
            return later.pgettext("organisation type", "owners' committee")
        case OrganisationType.RESIDENTS_COMMITTEE:
            return later.pgettext("organisation type", "residents' committee")
        case OrganisationType.PROPERTY_COMPANY:
            return later.pgettext("organisation type", "property company")
        case OrganisationType.MERCHANT:
            return later.pgettext("organisation type", "merchant")
        case PropertyRight.OWNER:
            return later.pgettext("property right", "owner")
        case PropertyRight.TENANT:
            return later.pgettext("property right", "tenant")
        case PropertyRight.OTHER_OCCUPANT:
            return later.pgettext("property right", "other occupant")
        case CustomerAsk.SERVICE:
            return later.pgettext("customer ask", "service")
        case CustomerAsk.OPINIONS:
            return later.pgettext("customer ask", "opinions")
        case CustomerAsk.FEES:
            return later.pgettext("customer ask", "fees")
        case PropertyType.RESIDENTIAL:
            return later.pgettext("property type", "residential")
        case PropertyType.OFFICE:
            return later.pgettext("property type", "office")
        case PropertyType.COMMERCIAL:
            return later.pgettext("property type", "commercial")
        case PropertyType.PARKING:
            return later.pgettext("property type", "parking")
        case PropertyType.STORAGE:
            return later.pgettext("property type", "storage")
        # The same messages as RfmComponent.label: one catalog entry each.
        case RfmComponent.RECENCY:
            return later.pgettext("RFM component", "recency")
        case RfmComponent.FREQUENCY:
            return later.pgettext("RFM component", "frequency")
        case RfmComponent.MONETARY:
            return later.pgettext("RFM component", "monetary")
        case RfmComponent.TOTAL:
            return later.pgettext("RFM component", "total")
    raise TypeError(f"{member!r} is not of a vocabulary segmentation names.")


def member_list(
    values: Iterable[enum.Enum], style: Literal["standard", "or"] = "standard"
) -> later.Listing:
    """Members' names as one list of the locale, in their enum's order ("none" if empty).

    ``"standard"`` joins with "and" (what a party holds), ``"or"`` with "or" (what a rule
    accepts).
    """
    members = sorted(values, key=lambda member: tuple(type(member).__members__).index(member.name))
    return later.listing((said(member) for member in members), style)


# attrs' mypy plugin only understands converters that are named functions, so each set field
# has its own small converter over one shared helper.


def _held_types(value: object) -> frozenset[PropertyType]:
    return enum_set(
        value, PropertyType, InvalidSegmentSubject, allow_empty=True, field="property_types"
    )


def _held_rights(value: object) -> frozenset[PropertyRight]:
    return enum_set(
        value, PropertyRight, InvalidSegmentSubject, allow_empty=True, field="property_rights"
    )


def _held_asks(value: object) -> frozenset[CustomerAsk]:
    return enum_set(value, CustomerAsk, InvalidSegmentSubject, allow_empty=True, field="asks")


def _optional_text(_i: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None:
        check_text(value, attribute.name, InvalidSegmentSubject, example="'SUNRISE'")


def _party_id(_i: object, attribute: attrs.Attribute[str], value: str) -> None:
    check_record_id(value, attribute.name, InvalidSegmentSubject)


def _subject_int(minimum: int, maximum: int) -> Any:
    def check(_i: object, attribute: attrs.Attribute[int | None], value: int | None) -> None:
        if value is not None:
            check_int(
                value, attribute.name, InvalidSegmentSubject, minimum=minimum, maximum=maximum
            )

    return check


def _moved_in_on(value: object) -> pendulum.Date | None:
    return None if value is None else as_date(value, "moved_in_on")


def _callback_on(value: object) -> pendulum.Date | None:
    return None if value is None else as_date(value, "callback_on")


def _payment_facts(value: object) -> tuple[PaymentFact, ...]:
    return check_items(value, "payments", PaymentFact)


def _purchase_facts(value: object) -> tuple[ServicePurchase, ...]:
    return check_items(value, "purchases", ServicePurchase)


def _complaints(_i: object, _a: object, value: Any) -> None:
    if value is not None and not isinstance(value, ComplaintHistory):
        raise InvalidSegmentSubject(
            f"complaints {value!r} must implement ComplaintHistory (complaints_between, "
            "last_satisfaction) or be None.",
            field="complaints",
            value=value,
            allowed="a ComplaintHistory or None",
        )


@attrs.frozen
class SegmentSubject:
    """A party as segmentation sees it: attributes as of a date and its behaviour facts.

    Its own plain value, so segmentation depends on no other model; an adapter builds it from the
    parties, billing and complaints models. Facts dated after the date a rule is evaluated on are
    ignored by every rule, so one subject can be evaluated on successive dates.

    Attributes:
        party_id: the party's id; ties in quantile scores are broken by it (code point order).
        kind: person or organisation; organisations have an ``organisation`` type, persons none.
        property_types: the property types of the units the party holds or uses.
        community, location: the community code and a wider location (district, city).
        property_rights: owner, tenant, other occupant (several at once, §1).
        asks: what the party has asked of us (service, opinions, fees).
        birth_year, household_size: internal attributes of a person, ``None`` if not recorded.
        moved_in_on, callback_on: the move-in day and the day of its callback visit (§4).
        payments, purchases: fee notices with their payments, special-service purchases.
        complaints: the complaint side (:class:`~propcrm.analytics.ComplaintHistory`),
            ``None`` when the complaints model holds nothing on the party.
    """

    party_id: str = attrs.field(validator=_party_id)
    kind: SubjectKind = attrs.field(
        default=SubjectKind.PERSON, kw_only=True, validator=instance_of(SubjectKind)
    )
    organisation: OrganisationType | None = attrs.field(
        default=None,
        kw_only=True,
        validator=attrs.validators.optional(instance_of(OrganisationType)),
    )
    property_types: frozenset[PropertyType] = attrs.field(
        default=frozenset(),
        converter=_held_types,
        kw_only=True,
    )
    community: str | None = attrs.field(default=None, validator=_optional_text, kw_only=True)
    location: str | None = attrs.field(default=None, validator=_optional_text, kw_only=True)
    property_rights: frozenset[PropertyRight] = attrs.field(
        default=frozenset(),
        converter=_held_rights,
        kw_only=True,
    )
    asks: frozenset[CustomerAsk] = attrs.field(
        default=frozenset(),
        converter=_held_asks,
        kw_only=True,
    )
    birth_year: int | None = attrs.field(
        default=None, validator=_subject_int(1850, 2200), kw_only=True
    )
    household_size: int | None = attrs.field(
        default=None, validator=_subject_int(1, 100), kw_only=True
    )
    moved_in_on: pendulum.Date | None = attrs.field(
        default=None, converter=_moved_in_on, kw_only=True
    )
    callback_on: pendulum.Date | None = attrs.field(
        default=None, converter=_callback_on, kw_only=True
    )
    payments: tuple[PaymentFact, ...] = attrs.field(
        default=(), converter=_payment_facts, kw_only=True
    )
    purchases: tuple[ServicePurchase, ...] = attrs.field(
        default=(), converter=_purchase_facts, kw_only=True
    )
    complaints: ComplaintHistory | None = attrs.field(
        default=None, validator=_complaints, kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        party = self.party_id
        if self.kind is SubjectKind.PERSON:
            if self.organisation is not None:
                raise InvalidSegmentSubject(
                    f"party {party}: a person has no organisation type; use "
                    "kind=SubjectKind.ORGANISATION for an organisation.",
                    field="organisation",
                    value=self.organisation,
                    allowed="None for a person",
                    party_id=party,
                )
        else:
            if self.organisation is None:
                raise InvalidSegmentSubject(
                    f"party {party}: an organisation needs an OrganisationType, got "
                    f"{self.organisation!r}.",
                    field="organisation",
                    value=self.organisation,
                    allowed="an OrganisationType",
                    party_id=party,
                )
            if self.birth_year is not None or self.household_size is not None:
                raise InvalidSegmentSubject(
                    f"party {party}: an organisation has no birth year or household size.",
                    field="birth_year" if self.birth_year is not None else "household_size",
                    value=self.birth_year if self.birth_year is not None else self.household_size,
                    allowed="None for an organisation",
                    party_id=party,
                )
        if self.callback_on is not None and (
            self.moved_in_on is None or self.callback_on < self.moved_in_on
        ):
            raise InvalidSegmentSubject(
                f"party {party}: the callback on {self.callback_on} must follow a "
                f"move-in on or before it (moved in: {self.moved_in_on}).",
                field="callback_on",
                value=self.callback_on,
                allowed="a day on or after the move-in",
                party_id=party,
            )
        # Each notice once, with its payment.
        check_unique(
            (fact.statement_id for fact in self.payments),
            "payments",
            InvalidSegmentSubject,
            what="notice",
        )


@attrs.frozen
class PartyFacts:
    """Everything a rule reads about one party on one date, computed once.

    Build it with :meth:`of`. Quantile RFM scores are relative to a portfolio, so pass the
    portfolio's scores (:func:`~propcrm.analytics.rfm_scores`) or use
    :func:`evaluate_portfolio`; with fixed thresholds the party's own history suffices.
    """

    subject: SegmentSubject
    as_of: pendulum.Date
    policy: BehaviourPolicy
    currency: str
    payments: PaymentBehaviour
    spend: SpendBehaviour
    existing_customer: bool
    complaints: ComplaintBehaviour | None
    rfm: RfmScore | None
    rfm_computed: bool

    @classmethod
    def of(
        cls,
        subject: SegmentSubject,
        as_of: pendulum.Date,
        *,
        policy: BehaviourPolicy = DEFAULT_BEHAVIOUR_POLICY,
        currency: str = CNY,
        rfm: Mapping[str, RfmScore] | None = None,
    ) -> PartyFacts:
        """The facts of ``subject`` as of ``as_of``."""
        day = as_date(as_of, "as_of")
        check_instance(subject, "subject", SegmentSubject)
        check_instance(policy, "policy", BehaviourPolicy)
        if rfm is not None:
            check_instance(rfm, "rfm", Mapping)
        existing = is_existing_customer(subject.payments, subject.purchases, day)
        score: RfmScore | None = None
        computed = True
        if rfm is not None:
            score = rfm.get(subject.party_id)
            if score is None and existing:
                raise RfmNotComputed(
                    f"party {subject.party_id} is an existing customer on {day} but has no RFM "
                    "score in the scores given; compute them over a portfolio that includes it.",
                    party_id=subject.party_id,
                    as_of=day,
                )
        elif isinstance(policy.rfm.scoring, FixedThresholds):
            own = rfm_input(
                subject.party_id,
                subject.payments,
                subject.purchases,
                day,
                policy=policy,
                currency=currency,
            )
            score = None if own is None else rfm_scores([own], policy=policy)[subject.party_id]
        else:
            computed = False
        return cls(
            subject=subject,
            as_of=day,
            policy=policy,
            currency=currency,
            payments=payment_behaviour(subject.payments, day, policy=policy, currency=currency),
            spend=spend_behaviour(subject.purchases, day, policy=policy, currency=currency),
            existing_customer=existing,
            complaints=complaint_behaviour(subject.complaints, day, policy=policy),
            rfm=score,
            rfm_computed=computed,
        )
