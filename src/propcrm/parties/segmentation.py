"""Customer segmentation (客户细分): declarative rules over what we know of a party on a date.

The domain brief (§5) sorts what a segment can be built on into three families, and property
management adds its own schemes (issue 6):

- **external** attributes: property type held (residential, office, commercial …), community and
  location, kind of customer (an individual, an enterprise, a government agency …);
- **internal** attributes: age band, household size (gender, native place, interests, income
  and values are also listed by the brief; they are sensitive personal data that segmentation
  does not need, so they are not modelled);
- **behaviour**: how punctually and how much a party pays, what it buys, how often it complains;
  available only for existing customers;
- **by property right**: owner (业主), tenant (租户) or other occupant (非业主使用人, §1);
- **by value**: special-service spend and RFM scores;
- **by what they ask of us**: service, opinions, fees;
- **lifecycle**: move-in and the callback every new customer is due within a month (§4).

A rule is a typed predicate, never a string evaluated as code. Rules compose with ``&`` (and),
``|`` (or) and ``~`` (not), and evaluating one on a party gives an :class:`Explanation`: the
outcome of every rule in the tree, with what the party's record showed.

Three-valued outcomes
---------------------
A behavioural rule on a party with too little history answers
:attr:`Outcome.INSUFFICIENT_HISTORY`, never a low score and never "no match"; so does a rule on
an internal attribute the record does not hold (a person's birth year, a household size). That
third value is Kleene's *unknown*, and the connectives follow Kleene's strong logic:

- ``a & b`` is NO_MATCH if either is NO_MATCH, else INSUFFICIENT_HISTORY if either is, else MATCH;
- ``a | b`` is MATCH if either is MATCH, else INSUFFICIENT_HISTORY if either is, else NO_MATCH;
- ``~a`` swaps MATCH and NO_MATCH and leaves INSUFFICIENT_HISTORY as it is.

So "late payer or complainer" is a match as soon as either is known to hold, and "not a late
payer" of a party without history stays unknown instead of turning into a match. A party is a
**member** of a segment only when the outcome is MATCH.

>>> import pendulum
>>> from propcrm.money import Money
>>> shop = SegmentSubject(
...     "P-0042",
...     property_types={PropertyType.COMMERCIAL},
...     property_rights={PropertyRight.TENANT},
...     community="SUNRISE",
... )
>>> facts = PartyFacts.of(shop, pendulum.date(2026, 12, 31))
>>> rule = PropertyTypeIs(PropertyType.COMMERCIAL) & LateStatements(at_least=3)
>>> result = rule.evaluate(facts)
>>> result.outcome
<Outcome.INSUFFICIENT_HISTORY: 'insufficient history'>
>>> print(result.render())
? all of
  ✓ holds commercial: commercial
  ? late notices ≥ 3: insufficient history: 0 notices assessed, 3 needed
>>> (rule | PropertyRightIs(PropertyRight.TENANT)).evaluate(facts).outcome
<Outcome.MATCH: 'match'>
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, TypeVar

import attrs
import pendulum

from propcrm.errors import (
    DuplicateParty,
    InvalidAmount,
    InvalidSegmentRule,
    InvalidSegmentSubject,
    RfmNotComputed,
)
from propcrm.money import CNY, Money, as_optional_money, to_decimal
from propcrm.parties.behaviour import (
    DEFAULT_BEHAVIOUR_POLICY,
    SATISFACTION_SCALE,
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
from propcrm.property_types import PropertyType
from propcrm.time import as_date

__all__ = [
    "DEFAULT_CALLBACK_MONTHS",
    "MAX_AVERAGE_DAYS_LATE",
    "MAX_BOUND_PLACES",
    "AgeBetween",
    "AllOf",
    "AnyOf",
    "Arrears",
    "AsksFor",
    "AverageDaysLate",
    "CallbackPending",
    "CommunityIs",
    "ComplaintsInWindow",
    "CustomerAsk",
    "Explanation",
    "HouseholdSizeBetween",
    "LastSatisfaction",
    "LateStatements",
    "LocationIs",
    "MaxDaysLate",
    "MovedInWithin",
    "Not",
    "OnTimeRatio",
    "OrganisationIs",
    "OrganisationType",
    "Outcome",
    "PartyFacts",
    "PortfolioEvaluation",
    "PropertyRight",
    "PropertyRightIs",
    "PropertyTypeIs",
    "RfmScoreBetween",
    "RuleFamily",
    "SegmentRule",
    "SegmentSubject",
    "ServicePurchases",
    "ServiceSpend",
    "SubjectKind",
    "SubjectKindIs",
    "check_rule_names",
    "evaluate_portfolio",
]

DEFAULT_CALLBACK_MONTHS = 1
"""Every new customer gets a callback visit within one month of move-in (§4)."""

MAX_AVERAGE_DAYS_LATE = Decimal(36_500)
"""The largest average-days-late bound a rule accepts (a century)."""

_E = TypeVar("_E", bound=enum.Enum)


# -- the vocabulary -----------------------------------------------------------------------------


class Outcome(enum.Enum):
    """The three-valued outcome of a rule; combine with ``&``, ``|``, ``~`` (Kleene logic).

    >>> Outcome.INSUFFICIENT_HISTORY & Outcome.NO_MATCH
    <Outcome.NO_MATCH: 'no match'>
    >>> Outcome.INSUFFICIENT_HISTORY | Outcome.MATCH
    <Outcome.MATCH: 'match'>
    >>> ~Outcome.INSUFFICIENT_HISTORY
    <Outcome.INSUFFICIENT_HISTORY: 'insufficient history'>
    """

    MATCH = "match"
    NO_MATCH = "no match"
    INSUFFICIENT_HISTORY = "insufficient history"

    @classmethod
    def of(cls, value: bool | None) -> Outcome:
        """``True`` is MATCH, ``False`` NO_MATCH, ``None`` (unknown) INSUFFICIENT_HISTORY."""
        if value is None:
            return cls.INSUFFICIENT_HISTORY
        return cls.MATCH if value else cls.NO_MATCH

    def as_bool(self) -> bool | None:
        """The outcome as a nullable boolean, as the batch path stores it."""
        if self is Outcome.INSUFFICIENT_HISTORY:
            return None
        return self is Outcome.MATCH

    @property
    def mark(self) -> str:
        """One character for rendered explanations: ✓, ✗ or ?."""
        return _MARKS[self]

    def __and__(self, other: Outcome) -> Outcome:
        if not isinstance(other, Outcome):
            return NotImplemented
        if Outcome.NO_MATCH in (self, other):
            return Outcome.NO_MATCH
        if Outcome.INSUFFICIENT_HISTORY in (self, other):
            return Outcome.INSUFFICIENT_HISTORY
        return Outcome.MATCH

    def __or__(self, other: Outcome) -> Outcome:
        if not isinstance(other, Outcome):
            return NotImplemented
        if Outcome.MATCH in (self, other):
            return Outcome.MATCH
        if Outcome.INSUFFICIENT_HISTORY in (self, other):
            return Outcome.INSUFFICIENT_HISTORY
        return Outcome.NO_MATCH

    def __invert__(self) -> Outcome:
        if self is Outcome.MATCH:
            return Outcome.NO_MATCH
        if self is Outcome.NO_MATCH:
            return Outcome.MATCH
        return self


_MARKS = {Outcome.MATCH: "✓", Outcome.NO_MATCH: "✗", Outcome.INSUFFICIENT_HISTORY: "?"}


class RuleFamily(enum.Enum):
    """Which family or scheme a rule belongs to (§5 and the property-specific schemes)."""

    EXTERNAL = "external"
    INTERNAL = "internal"
    BEHAVIOURAL = "behavioural"
    PROPERTY_RIGHT = "property right"
    VALUE = "value"
    ASKS = "what they ask of us"
    LIFECYCLE = "lifecycle"


class SubjectKind(enum.Enum):
    """A party is a person or an organisation (§1)."""

    PERSON = "person"
    ORGANISATION = "organisation"


class OrganisationType(enum.Enum):
    """The kinds of organisation a community deals with (§1, §5)."""

    ENTERPRISE = "enterprise"
    GOVERNMENT_AGENCY = "government agency"
    OWNERS_COMMITTEE = "owners' committee"
    RESIDENTS_COMMITTEE = "residents' committee"
    PROPERTY_COMPANY = "property company"
    MERCHANT = "merchant"


class PropertyRight(enum.Enum):
    """A party's right to the property it uses: owner (业主), tenant (租户) or other occupant."""

    OWNER = "owner"
    TENANT = "tenant"
    OTHER_OCCUPANT = "other occupant"


class CustomerAsk(enum.Enum):
    """What a party asks of the property company: service, a hearing for opinions, fee matters."""

    SERVICE = "service"
    OPINIONS = "opinions"
    FEES = "fees"


# -- converters ---------------------------------------------------------------------------------


# attrs' mypy plugin only understands converters that are named functions, so each set field
# has its own small converter over one shared helper.


def _enum_set(
    value: object, enum_type: type[_E], error: type[Exception], *, allow_empty: bool
) -> frozenset[_E]:
    what = enum_type.__name__
    items: Iterable[object]
    if isinstance(value, enum_type):
        items = (value,)
    elif isinstance(value, str) or not isinstance(value, Iterable):
        raise error(
            f"{value!r} must be a {what} or a set of them, e.g. {{{what}."
            f"{next(iter(enum_type)).name}}}."
        )
    else:
        items = value
    result: set[_E] = set()
    for item in items:
        if not isinstance(item, enum_type):
            raise error(
                f"{item!r} is not a {what}; allowed: "
                f"{', '.join(member.name for member in enum_type)}."
            )
        result.add(item)
    if not result and not allow_empty:
        raise error(f"a rule over {what} must name at least one.")
    return frozenset(result)


def _held_types(value: object) -> frozenset[PropertyType]:
    return _enum_set(value, PropertyType, InvalidSegmentSubject, allow_empty=True)


def _held_rights(value: object) -> frozenset[PropertyRight]:
    return _enum_set(value, PropertyRight, InvalidSegmentSubject, allow_empty=True)


def _held_asks(value: object) -> frozenset[CustomerAsk]:
    return _enum_set(value, CustomerAsk, InvalidSegmentSubject, allow_empty=True)


def _rule_types(value: object) -> frozenset[PropertyType]:
    return _enum_set(value, PropertyType, InvalidSegmentRule, allow_empty=False)


def _rule_rights(value: object) -> frozenset[PropertyRight]:
    return _enum_set(value, PropertyRight, InvalidSegmentRule, allow_empty=False)


def _rule_asks(value: object) -> frozenset[CustomerAsk]:
    return _enum_set(value, CustomerAsk, InvalidSegmentRule, allow_empty=False)


def _rule_organisations(value: object) -> frozenset[OrganisationType]:
    return _enum_set(value, OrganisationType, InvalidSegmentRule, allow_empty=False)


def _names_set(value: object) -> frozenset[str]:
    items = (value,) if isinstance(value, str) else value
    if not isinstance(items, Iterable):
        raise InvalidSegmentRule(f"{value!r} must be a str or a set of str.")
    result = frozenset(items)
    if not result or any(not isinstance(v, str) or not v.strip() for v in result):
        raise InvalidSegmentRule(f"{value!r} must name at least one non-empty str.")
    return result


def _int_bound(what: str, *, minimum: int = 0, maximum: int | None = None) -> Any:
    def check(_i: object, _a: object, value: object) -> None:
        if value is None:
            return
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < minimum
            or (maximum is not None and value > maximum)
        ):
            upper = "" if maximum is None else f" and at most {maximum}"
            raise InvalidSegmentRule(
                f"{what} {value!r} must be an int of at least {minimum}{upper}."
            )

    return check


def _decimal_or_none(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return to_decimal(value, what="bound")
    except InvalidAmount as exc:
        raise InvalidSegmentRule(str(exc)) from None


MAX_BOUND_PLACES = 6
"""Decimal places a ratio or average bound may have: enough for any policy, and small enough
that the batch path compares it exactly in 64-bit integers."""


def _decimal_bound(what: str, *, maximum: Decimal) -> Any:
    def check(_i: object, _a: object, value: Decimal | None) -> None:
        if value is None:
            return
        if not 0 <= value <= maximum:
            raise InvalidSegmentRule(f"{what} {value} must be from 0 to {maximum}.")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -MAX_BOUND_PLACES:
            raise InvalidSegmentRule(
                f"{what} {value} has more than {MAX_BOUND_PLACES} decimal places."
            )

    return check


def _fraction(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def _money_bound(what: str) -> Any:
    def check(_i: object, _a: object, value: object) -> None:
        if value is None:
            return
        if not isinstance(value, Money):
            raise InvalidSegmentRule(f"{what} {value!r} must be a Money, e.g. Money('500.00').")
        if not value.is_rounded or value.is_negative:
            raise InvalidSegmentRule(
                f"{what} {value!r} must be zero or more, rounded to the minor unit."
            )

    return check


def _check_bounds(rule: object, at_least: Any, at_most: Any) -> None:
    if at_least is None and at_most is None:
        raise InvalidSegmentRule(
            f"{type(rule).__name__} needs at_least, at_most or both; with neither it says nothing."
        )
    if at_least is not None and at_most is not None and at_least > at_most:
        raise InvalidSegmentRule(
            f"{type(rule).__name__}: at_least {at_least} is above at_most {at_most}; no value "
            "could match."
        )


def _within(value: Any, at_least: Any, at_most: Any) -> bool:
    return (at_least is None or value >= at_least) and (at_most is None or value <= at_most)


def _bounds_text(name: str, at_least: object, at_most: object) -> str:
    if at_most is None:
        return f"{name} ≥ {at_least}"
    if at_least is None:
        return f"{name} ≤ {at_most}"
    return f"{at_least} ≤ {name} ≤ {at_most}"


# -- the party as segmentation sees it ----------------------------------------------------------


def _optional_text(_i: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidSegmentSubject(f"{attribute.name} {value!r} must be a non-empty str or None.")


def _party_id(_i: object, _a: object, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidSegmentSubject(f"party id {value!r} must be a non-empty str.")


def _subject_int(what: str, minimum: int, maximum: int) -> Any:
    def check(_i: object, _a: object, value: int | None) -> None:
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum
        ):
            raise InvalidSegmentSubject(
                f"{what} {value!r} must be an int from {minimum} to {maximum}."
            )

    return check


def _facts(value: object, kind: type[Any]) -> tuple[Any, ...]:
    if not isinstance(value, Iterable):
        raise InvalidSegmentSubject(f"{value!r} must be an iterable of {kind.__name__}.")
    result = tuple(value)
    for item in result:
        if not isinstance(item, kind):
            raise InvalidSegmentSubject(
                f"{item!r} is a {type(item).__name__}, not a {kind.__name__}."
            )
    return result


def _payment_facts(value: object) -> tuple[PaymentFact, ...]:
    return _facts(value, PaymentFact)


def _purchase_facts(value: object) -> tuple[ServicePurchase, ...]:
    return _facts(value, ServicePurchase)


def _complaints(_i: object, _a: object, value: Any) -> None:
    if value is not None and not isinstance(value, ComplaintHistory):
        raise InvalidSegmentSubject(
            f"complaints {value!r} must implement ComplaintHistory (complaints_between, "
            "last_satisfaction) or be None."
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
        complaints: the complaint side (:class:`~propcrm.parties.behaviour.ComplaintHistory`),
            ``None`` when the complaints model holds nothing on the party.
    """

    party_id: str = attrs.field(validator=_party_id)
    kind: SubjectKind = attrs.field(default=SubjectKind.PERSON, kw_only=True)
    organisation: OrganisationType | None = attrs.field(default=None, kw_only=True)
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
        default=None, validator=_subject_int("birth year", 1850, 2200), kw_only=True
    )
    household_size: int | None = attrs.field(
        default=None, validator=_subject_int("household size", 1, 100), kw_only=True
    )
    moved_in_on: pendulum.Date | None = attrs.field(
        default=None, converter=attrs.converters.optional(as_date), kw_only=True
    )
    callback_on: pendulum.Date | None = attrs.field(
        default=None, converter=attrs.converters.optional(as_date), kw_only=True
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
        if not isinstance(self.kind, SubjectKind):
            raise InvalidSegmentSubject(f"kind {self.kind!r} must be a SubjectKind.")
        if self.kind is SubjectKind.PERSON:
            if self.organisation is not None:
                raise InvalidSegmentSubject(
                    f"party {self.party_id}: a person has no organisation type; use "
                    "kind=SubjectKind.ORGANISATION for an organisation."
                )
        else:
            if not isinstance(self.organisation, OrganisationType):
                raise InvalidSegmentSubject(
                    f"party {self.party_id}: an organisation needs an OrganisationType, got "
                    f"{self.organisation!r}."
                )
            if self.birth_year is not None or self.household_size is not None:
                raise InvalidSegmentSubject(
                    f"party {self.party_id}: an organisation has no birth year or household size."
                )
        if self.callback_on is not None and (
            self.moved_in_on is None or self.callback_on < self.moved_in_on
        ):
            raise InvalidSegmentSubject(
                f"party {self.party_id}: the callback on {self.callback_on} must follow a "
                f"move-in on or before it (moved in: {self.moved_in_on})."
            )
        ids = [fact.statement_id for fact in self.payments]
        if len(ids) != len(set(ids)):
            raise InvalidSegmentSubject(
                f"party {self.party_id}: a notice appears twice in its payments; give each "
                "notice once, with its payment."
            )


@attrs.frozen
class PartyFacts:
    """Everything a rule reads about one party on one date, computed once.

    Build it with :meth:`of`. Quantile RFM scores are relative to a portfolio, so pass the
    portfolio's scores (:func:`~propcrm.parties.behaviour.rfm_scores`) or use
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
        day = as_date(as_of)
        existing = is_existing_customer(subject.payments, subject.purchases, day)
        score: RfmScore | None = None
        computed = True
        if rfm is not None:
            score = rfm.get(subject.party_id)
            if score is None and existing:
                raise RfmNotComputed(
                    f"party {subject.party_id} is an existing customer on {day} but has no RFM "
                    "score in the scores given; compute them over a portfolio that includes it."
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


# -- explanations -------------------------------------------------------------------------------


@attrs.frozen
class Explanation:
    """The outcome of a rule on one party, with the outcomes of its parts, as data.

    Attributes:
        rule: the rule evaluated.
        outcome: its outcome.
        value: what the party's record showed for a leaf rule (an int, a Fraction, Money, a
            date, a set …), ``None`` for connectives and when the record had nothing.
        observed: the same in words.
        children: the explanations of a connective's parts, in order.
    """

    rule: SegmentRule
    outcome: Outcome
    value: object = None
    observed: str = ""
    children: tuple[Explanation, ...] = ()

    def leaves(self) -> Iterator[Explanation]:
        """The explanations of the leaf rules, depth first."""
        if not self.children:
            yield self
        for child in self.children:
            yield from child.leaves()

    def matched(self) -> tuple[Explanation, ...]:
        """The leaf rules that matched."""
        return tuple(leaf for leaf in self.leaves() if leaf.outcome is Outcome.MATCH)

    def render(self, indent: str = "  ") -> str:
        """The explanation as an indented tree: ✓ match, ✗ no match, ? insufficient history."""
        return "\n".join(self._lines(indent, 0))

    def _lines(self, indent: str, depth: int) -> Iterator[str]:
        text = self.rule.describe()
        if self.observed:
            text = f"{text}: {self.observed}"
        yield f"{indent * depth}{self.outcome.mark} {text}"
        for child in self.children:
            yield from child._lines(indent, depth + 1)


# -- rules --------------------------------------------------------------------------------------


class SegmentRule(abc.ABC):
    """A typed predicate over :class:`PartyFacts`; compose with ``&``, ``|`` and ``~``."""

    __slots__ = ()

    family: ClassVar[RuleFamily | None] = None
    """The family of a leaf rule; ``None`` for connectives."""

    @abc.abstractmethod
    def evaluate(self, facts: PartyFacts) -> Explanation:
        """The outcome on one party, explained."""

    @abc.abstractmethod
    def describe(self) -> str:
        """The rule in a few words."""

    def children(self) -> tuple[SegmentRule, ...]:
        """The parts of a connective; a leaf has none."""
        return ()

    def __and__(self, other: object) -> SegmentRule:
        if not isinstance(other, SegmentRule):
            return NotImplemented
        return AllOf(_flatten(AllOf, (self, other)))

    def __or__(self, other: object) -> SegmentRule:
        if not isinstance(other, SegmentRule):
            return NotImplemented
        return AnyOf(_flatten(AnyOf, (self, other)))

    def __invert__(self) -> SegmentRule:
        return Not(self)


def _flatten(kind: type[AllOf | AnyOf], rules: Iterable[SegmentRule]) -> tuple[SegmentRule, ...]:
    result: list[SegmentRule] = []
    for rule in rules:
        if type(rule) is kind:
            result.extend(rule.children())
        else:
            result.append(rule)
    return tuple(result)


def _rules(value: object) -> tuple[SegmentRule, ...]:
    if not isinstance(value, Iterable):
        raise InvalidSegmentRule(f"{value!r} must be an iterable of segment rules.")
    result = tuple(value)
    if not result:
        raise InvalidSegmentRule("a connective needs at least one rule.")
    for rule in result:
        if not isinstance(rule, SegmentRule):
            raise InvalidSegmentRule(f"{rule!r} is not a SegmentRule.")
    return result


@attrs.frozen
class AllOf(SegmentRule):
    """Matches when every rule matches (Kleene *and*: one NO_MATCH decides)."""

    rules: tuple[SegmentRule, ...] = attrs.field(converter=_rules)

    def children(self) -> tuple[SegmentRule, ...]:
        """The rules joined."""
        return self.rules

    def evaluate(self, facts: PartyFacts) -> Explanation:
        """All parts are evaluated, so the explanation is complete."""
        parts = tuple(rule.evaluate(facts) for rule in self.rules)
        outcome = Outcome.MATCH
        for part in parts:
            outcome &= part.outcome
        return Explanation(self, outcome, children=parts)

    def describe(self) -> str:
        """``all of``."""
        return "all of"


@attrs.frozen
class AnyOf(SegmentRule):
    """Matches when any rule matches (Kleene *or*: one MATCH decides)."""

    rules: tuple[SegmentRule, ...] = attrs.field(converter=_rules)

    def children(self) -> tuple[SegmentRule, ...]:
        """The rules joined."""
        return self.rules

    def evaluate(self, facts: PartyFacts) -> Explanation:
        """All parts are evaluated, so the explanation is complete."""
        parts = tuple(rule.evaluate(facts) for rule in self.rules)
        outcome = Outcome.NO_MATCH
        for part in parts:
            outcome |= part.outcome
        return Explanation(self, outcome, children=parts)

    def describe(self) -> str:
        """``any of``."""
        return "any of"


def _rule(_i: object, _a: object, value: Any) -> None:
    if not isinstance(value, SegmentRule):
        raise InvalidSegmentRule(f"{value!r} is not a SegmentRule.")


@attrs.frozen
class Not(SegmentRule):
    """Matches when the rule does not (Kleene *not*: insufficient history stays so)."""

    rule: SegmentRule = attrs.field(validator=_rule)

    def children(self) -> tuple[SegmentRule, ...]:
        """The rule negated."""
        return (self.rule,)

    def evaluate(self, facts: PartyFacts) -> Explanation:
        """The negated outcome, with the inner explanation."""
        inner = self.rule.evaluate(facts)
        return Explanation(self, ~inner.outcome, children=(inner,))

    def describe(self) -> str:
        """``not``."""
        return "not"


class _Leaf(SegmentRule):
    __slots__ = ()

    @abc.abstractmethod
    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The outcome, the observed value and the observation in words."""

    def evaluate(self, facts: PartyFacts) -> Explanation:
        """The outcome on one party, with what its record showed."""
        outcome, value, observed = self.observe(facts)
        return Explanation(self, outcome, value, observed)


def _names(values: Iterable[enum.Enum]) -> str:
    return ", ".join(sorted(member.value for member in values)) or "none"


def _insufficient(reason: str) -> tuple[Outcome, object, str]:
    return Outcome.INSUFFICIENT_HISTORY, None, f"insufficient history: {reason}"


# External -------------------------------------------------------------------------------------


@attrs.frozen
class PropertyTypeIs(_Leaf):
    """Holds a unit of any of these property types (external, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.EXTERNAL
    types: frozenset[PropertyType] = attrs.field(converter=_rule_types)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the party's property types meet these."""
        held = facts.subject.property_types
        return Outcome.of(bool(held & self.types)), held, _names(held)

    def describe(self) -> str:
        """``holds …``."""
        return f"holds {_names(self.types)}"


@attrs.frozen
class CommunityIs(_Leaf):
    """In any of these communities (external, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.EXTERNAL
    communities: frozenset[str] = attrs.field(converter=_names_set)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the party's community is one of these."""
        community = facts.subject.community
        return Outcome.of(community in self.communities), community, f"{community}"

    def describe(self) -> str:
        """``community in …``."""
        return f"community in {', '.join(sorted(self.communities))}"


@attrs.frozen
class LocationIs(_Leaf):
    """In any of these locations (districts, cities; external, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.EXTERNAL
    locations: frozenset[str] = attrs.field(converter=_names_set)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the party's location is one of these."""
        location = facts.subject.location
        return Outcome.of(location in self.locations), location, f"{location}"

    def describe(self) -> str:
        """``location in …``."""
        return f"location in {', '.join(sorted(self.locations))}"


@attrs.frozen
class SubjectKindIs(_Leaf):
    """A person (an individual) or an organisation (external, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.EXTERNAL
    kind: SubjectKind = attrs.field(validator=attrs.validators.instance_of(SubjectKind))

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the party is of this kind."""
        kind = facts.subject.kind
        return Outcome.of(kind is self.kind), kind, f"a {kind.value}"

    def describe(self) -> str:
        """``a person`` or ``an organisation``."""
        return f"a {self.kind.value}"


@attrs.frozen
class OrganisationIs(_Leaf):
    """An organisation of any of these types; a person never matches (external, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.EXTERNAL
    types: frozenset[OrganisationType] = attrs.field(converter=_rule_organisations)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the party is an organisation of these types."""
        own = facts.subject.organisation
        if own is None:
            return Outcome.NO_MATCH, None, "a person"
        return Outcome.of(own in self.types), own, f"a {own.value}"

    def describe(self) -> str:
        """``organisation: …``."""
        return f"organisation: {_names(self.types)}"


# Internal -------------------------------------------------------------------------------------


@attrs.frozen
class AgeBetween(_Leaf):
    """A person whose age band is within the bounds (internal, §5).

    Age is the calendar year of the date less the birth year (the age reached that year; the
    record holds the birth year, not the birthday). Organisations never match; a person without a
    recorded birth year answers insufficient history.
    """

    family: ClassVar[RuleFamily | None] = RuleFamily.INTERNAL
    at_least: int | None = attrs.field(
        default=None, validator=_int_bound("age", maximum=150), kw_only=True
    )
    at_most: int | None = attrs.field(
        default=None, validator=_int_bound("age", maximum=150), kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        _check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The party's age in the year of the date."""
        subject = facts.subject
        if subject.kind is SubjectKind.ORGANISATION:
            return Outcome.NO_MATCH, None, "an organisation"
        if subject.birth_year is None:
            return _insufficient("birth year not recorded")
        age = facts.as_of.year - subject.birth_year
        return Outcome.of(_within(age, self.at_least, self.at_most)), age, f"age {age}"

    def describe(self) -> str:
        """The age band."""
        return _bounds_text("age", self.at_least, self.at_most)


@attrs.frozen
class HouseholdSizeBetween(_Leaf):
    """A person whose household size is within the bounds (internal, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.INTERNAL
    at_least: int | None = attrs.field(
        default=None, validator=_int_bound("household size", minimum=1), kw_only=True
    )
    at_most: int | None = attrs.field(
        default=None, validator=_int_bound("household size", minimum=1), kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        _check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The party's household size."""
        subject = facts.subject
        if subject.kind is SubjectKind.ORGANISATION:
            return Outcome.NO_MATCH, None, "an organisation"
        size = subject.household_size
        if size is None:
            return _insufficient("household size not recorded")
        return Outcome.of(_within(size, self.at_least, self.at_most)), size, f"household of {size}"

    def describe(self) -> str:
        """The household-size band."""
        return _bounds_text("household size", self.at_least, self.at_most)


# Property right, asks, lifecycle ----------------------------------------------------------------


@attrs.frozen
class PropertyRightIs(_Leaf):
    """Holds any of these property rights: owner, tenant, other occupant (§1)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.PROPERTY_RIGHT
    rights: frozenset[PropertyRight] = attrs.field(converter=_rule_rights)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the party holds one of these rights."""
        held = facts.subject.property_rights
        return Outcome.of(bool(held & self.rights)), held, _names(held)

    def describe(self) -> str:
        """``right: …``."""
        return f"right: {_names(self.rights)}"


@attrs.frozen
class AsksFor(_Leaf):
    """Has asked us for any of these: service, opinions, fee matters."""

    family: ClassVar[RuleFamily | None] = RuleFamily.ASKS
    asks: frozenset[CustomerAsk] = attrs.field(converter=_rule_asks)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the party asked for one of these."""
        asked = facts.subject.asks
        return Outcome.of(bool(asked & self.asks)), asked, _names(asked)

    def describe(self) -> str:
        """``asks for …``."""
        return f"asks for {_names(self.asks)}"


@attrs.frozen
class MovedInWithin(_Leaf):
    """Moved in on or before the date and no earlier than ``months`` months before it (§4).

    Month arithmetic clamps to the month's end: on 30 April, one month back is 30 March.
    """

    family: ClassVar[RuleFamily | None] = RuleFamily.LIFECYCLE
    months: int = attrs.field(default=DEFAULT_CALLBACK_MONTHS)

    def __attrs_post_init__(self) -> None:
        months = self.months
        if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 120:
            raise InvalidSegmentRule(f"months {months!r} must be an int from 1 to 120.")

    def cutoff(self, as_of: pendulum.Date) -> pendulum.Date:
        """The earliest move-in day that counts on ``as_of``."""
        return as_of.subtract(months=self.months)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The move-in day against the window."""
        moved = facts.subject.moved_in_on
        if moved is None:
            return Outcome.NO_MATCH, None, "no move-in recorded"
        inside = self.cutoff(facts.as_of) <= moved <= facts.as_of
        return Outcome.of(inside), moved, f"moved in {moved}"

    def describe(self) -> str:
        """``moved in within the last … months``."""
        if self.months == 1:
            return "moved in within the last month"
        return f"moved in within the last {self.months} months"


@attrs.frozen
class CallbackPending(_Leaf):
    """Moved in on or before the date, and no move-in callback visit by then (§4)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.LIFECYCLE

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the callback after the move-in is still to be made."""
        subject = facts.subject
        moved = subject.moved_in_on
        if moved is None or moved > facts.as_of:
            return Outcome.NO_MATCH, None, "not moved in"
        done = subject.callback_on
        if done is not None and done <= facts.as_of:
            return Outcome.NO_MATCH, done, f"called back {done}"
        return Outcome.MATCH, None, "no callback yet"

    def describe(self) -> str:
        """``move-in callback pending``."""
        return "move-in callback pending"


# Behaviour: punctuality -----------------------------------------------------------------------


def _punctuality(facts: PartyFacts) -> PaymentBehaviour | None:
    payments = facts.payments
    return payments if payments.sufficient else None


def _too_few(facts: PartyFacts) -> tuple[Outcome, object, str]:
    assessed = facts.payments.assessed
    return _insufficient(f"{assessed} notices assessed, {facts.policy.min_statements} needed")


def _ratio(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value)


@attrs.frozen
class OnTimeRatio(_Leaf):
    """Share of assessed notices paid in full by their due date within the bounds (0 to 1)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.BEHAVIOURAL
    at_least: Decimal | None = attrs.field(
        default=None,
        converter=_decimal_or_none,
        validator=_decimal_bound("on-time ratio", maximum=Decimal(1)),
        kw_only=True,
    )
    at_most: Decimal | None = attrs.field(
        default=None,
        converter=_decimal_or_none,
        validator=_decimal_bound("on-time ratio", maximum=Decimal(1)),
        kw_only=True,
    )

    def __attrs_post_init__(self) -> None:
        _check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The on-time ratio, exactly."""
        payments = _punctuality(facts)
        if payments is None or payments.on_time_ratio is None:
            return _too_few(facts)
        ratio = payments.on_time_ratio
        return (
            Outcome.of(_within(ratio, _fraction(self.at_least), _fraction(self.at_most))),
            ratio,
            f"{payments.on_time} of {payments.assessed} notices on time",
        )

    def describe(self) -> str:
        """The ratio band."""
        return _bounds_text("on-time ratio", self.at_least, self.at_most)


@attrs.frozen
class AverageDaysLate(_Leaf):
    """Mean days late over the assessed notices within the bounds."""

    family: ClassVar[RuleFamily | None] = RuleFamily.BEHAVIOURAL
    at_least: Decimal | None = attrs.field(
        default=None,
        converter=_decimal_or_none,
        validator=_decimal_bound("average days late", maximum=MAX_AVERAGE_DAYS_LATE),
        kw_only=True,
    )
    at_most: Decimal | None = attrs.field(
        default=None,
        converter=_decimal_or_none,
        validator=_decimal_bound("average days late", maximum=MAX_AVERAGE_DAYS_LATE),
        kw_only=True,
    )

    def __attrs_post_init__(self) -> None:
        _check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The mean days late, exactly."""
        payments = _punctuality(facts)
        if payments is None or payments.average_days_late is None:
            return _too_few(facts)
        mean = payments.average_days_late
        return (
            Outcome.of(_within(mean, _fraction(self.at_least), _fraction(self.at_most))),
            mean,
            f"{_ratio(mean)} days late on average",
        )

    def describe(self) -> str:
        """The band."""
        return _bounds_text("average days late", self.at_least, self.at_most)


@attrs.frozen
class MaxDaysLate(_Leaf):
    """Most days late of one assessed notice within the bounds."""

    family: ClassVar[RuleFamily | None] = RuleFamily.BEHAVIOURAL
    at_least: int | None = attrs.field(
        default=None, validator=_int_bound("max days late"), kw_only=True
    )
    at_most: int | None = attrs.field(
        default=None, validator=_int_bound("max days late"), kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        _check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The most days late."""
        payments = _punctuality(facts)
        if payments is None or payments.max_days_late is None:
            return _too_few(facts)
        most = payments.max_days_late
        return Outcome.of(_within(most, self.at_least, self.at_most)), most, f"{most} days at most"

    def describe(self) -> str:
        """The band."""
        return _bounds_text("max days late", self.at_least, self.at_most)


@attrs.frozen
class LateStatements(_Leaf):
    """Number of assessed notices not paid in full by their due date within the bounds."""

    family: ClassVar[RuleFamily | None] = RuleFamily.BEHAVIOURAL
    at_least: int | None = attrs.field(
        default=None, validator=_int_bound("late notices"), kw_only=True
    )
    at_most: int | None = attrs.field(
        default=None, validator=_int_bound("late notices"), kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        _check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The late count."""
        payments = _punctuality(facts)
        if payments is None:
            return _too_few(facts)
        late = payments.late
        return (
            Outcome.of(_within(late, self.at_least, self.at_most)),
            late,
            f"{late} of {payments.assessed} notices late",
        )

    def describe(self) -> str:
        """The band."""
        return _bounds_text("late notices", self.at_least, self.at_most)


def _money_in(facts: PartyFacts, bound: Money | None) -> None:
    if bound is not None and bound.currency != facts.currency:
        # Comparing across currencies would raise anyway; say which rule and why.
        raise InvalidSegmentRule(
            f"a bound in {bound.currency} on a party scored in {facts.currency}; give bounds in "
            "the portfolio's currency."
        )


@attrs.frozen
class Arrears(_Leaf):
    """Unpaid on notices that fell due before the date, however old, within the bounds.

    Needs at least one notice that fell due; without one the answer is insufficient history.
    """

    family: ClassVar[RuleFamily | None] = RuleFamily.BEHAVIOURAL
    at_least: Money | None = attrs.field(
        default=None,
        converter=as_optional_money,
        validator=_money_bound("arrears"),
        kw_only=True,
    )
    at_most: Money | None = attrs.field(
        default=None,
        converter=as_optional_money,
        validator=_money_bound("arrears"),
        kw_only=True,
    )

    def __attrs_post_init__(self) -> None:
        _check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The arrears."""
        _money_in(facts, self.at_least)
        _money_in(facts, self.at_most)
        payments = facts.payments
        if payments.overdue == 0:
            return _insufficient("no notice has fallen due")
        arrears = payments.arrears
        return (
            Outcome.of(_within(arrears, self.at_least, self.at_most)),
            arrears,
            f"arrears {arrears}",
        )

    def describe(self) -> str:
        """The band."""
        return _bounds_text("arrears", self.at_least, self.at_most)


# Value ----------------------------------------------------------------------------------------


def _not_customer() -> tuple[Outcome, object, str]:
    return _insufficient("not an existing customer on the date")


@attrs.frozen
class ServiceSpend(_Leaf):
    """Special-service spend in the window within the bounds (by value; discretionary)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.VALUE
    at_least: Money | None = attrs.field(
        default=None,
        converter=as_optional_money,
        validator=_money_bound("special-service spend"),
        kw_only=True,
    )
    at_most: Money | None = attrs.field(
        default=None,
        converter=as_optional_money,
        validator=_money_bound("special-service spend"),
        kw_only=True,
    )

    def __attrs_post_init__(self) -> None:
        _check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The spend in the window."""
        _money_in(facts, self.at_least)
        _money_in(facts, self.at_most)
        if not facts.existing_customer:
            return _not_customer()
        spend = facts.spend.spend
        return (
            Outcome.of(_within(spend, self.at_least, self.at_most)),
            spend,
            f"spent {spend} on {facts.spend.purchases} purchases",
        )

    def describe(self) -> str:
        """The band."""
        return _bounds_text("special-service spend", self.at_least, self.at_most)


@attrs.frozen
class ServicePurchases(_Leaf):
    """Number of special-service purchases in the window within the bounds (by value)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.VALUE
    at_least: int | None = attrs.field(
        default=None, validator=_int_bound("purchases"), kw_only=True
    )
    at_most: int | None = attrs.field(default=None, validator=_int_bound("purchases"), kw_only=True)

    def __attrs_post_init__(self) -> None:
        _check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The purchases in the window."""
        if not facts.existing_customer:
            return _not_customer()
        count = facts.spend.purchases
        return Outcome.of(_within(count, self.at_least, self.at_most)), count, f"{count} purchases"

    def describe(self) -> str:
        """The band."""
        return _bounds_text("special-service purchases", self.at_least, self.at_most)


@attrs.frozen
class RfmScoreBetween(_Leaf):
    """An RFM component's score (or the total of the three) within the bounds (by value)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.VALUE
    component: RfmComponent = attrs.field(validator=attrs.validators.instance_of(RfmComponent))
    at_least: int | None = attrs.field(
        default=None, validator=_int_bound("RFM score", minimum=1), kw_only=True
    )
    at_most: int | None = attrs.field(
        default=None, validator=_int_bound("RFM score", minimum=1), kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        _check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The party's score."""
        if not facts.rfm_computed:
            raise RfmNotComputed(
                "quantile RFM scores are relative to a portfolio; pass rfm=rfm_scores(...) to "
                "PartyFacts.of, or use evaluate_portfolio."
            )
        if facts.rfm is None:
            return _not_customer()
        score = facts.rfm.component(self.component)
        name = self.component.value
        return Outcome.of(_within(score, self.at_least, self.at_most)), score, f"{name} {score}"

    def describe(self) -> str:
        """The score band."""
        return _bounds_text(f"RFM {self.component.value}", self.at_least, self.at_most)


# Behaviour: complaints ------------------------------------------------------------------------


@attrs.frozen
class ComplaintsInWindow(_Leaf):
    """Complaints in the policy's complaint window within the bounds (behavioural, §4).

    Without a complaint record (``SegmentSubject.complaints`` is ``None``) the answer is
    insufficient history; a record with no complaints counts zero.
    """

    family: ClassVar[RuleFamily | None] = RuleFamily.BEHAVIOURAL
    at_least: int | None = attrs.field(
        default=None, validator=_int_bound("complaints"), kw_only=True
    )
    at_most: int | None = attrs.field(
        default=None, validator=_int_bound("complaints"), kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        _check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The complaints in the window."""
        side = facts.complaints
        if side is None:
            return _insufficient("no complaint record")
        count = side.complaints
        return (
            Outcome.of(_within(count, self.at_least, self.at_most)),
            count,
            f"{count} complaints since {side.first_day}",
        )

    def describe(self) -> str:
        """The band."""
        return _bounds_text("complaints", self.at_least, self.at_most)


@attrs.frozen
class LastSatisfaction(_Leaf):
    """The latest satisfaction score (1–5) given by the date within the bounds."""

    family: ClassVar[RuleFamily | None] = RuleFamily.BEHAVIOURAL
    at_least: int | None = attrs.field(
        default=None,
        validator=_int_bound("satisfaction", minimum=1, maximum=SATISFACTION_SCALE.stop - 1),
        kw_only=True,
    )
    at_most: int | None = attrs.field(
        default=None,
        validator=_int_bound("satisfaction", minimum=1, maximum=SATISFACTION_SCALE.stop - 1),
        kw_only=True,
    )

    def __attrs_post_init__(self) -> None:
        _check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The latest score."""
        side = facts.complaints
        if side is None or side.last_satisfaction is None:
            return _insufficient("no satisfaction score")
        score = side.last_satisfaction
        return (
            Outcome.of(_within(score, self.at_least, self.at_most)),
            score,
            f"last satisfaction {score}",
        )

    def describe(self) -> str:
        """The band."""
        return _bounds_text("last satisfaction", self.at_least, self.at_most)


# -- a whole portfolio, party by party ----------------------------------------------------------


@attrs.frozen(eq=False)
class PortfolioEvaluation:
    """Rules evaluated party by party over a portfolio on one date (read-only mappings).

    Attributes:
        as_of: the date.
        rule_names: the rules' names, in the order given.
        rfm: RFM scores of the existing customers.
        explanations: party id → rule name → explanation.
    """

    as_of: pendulum.Date
    rule_names: tuple[str, ...]
    rfm: Mapping[str, RfmScore]
    explanations: Mapping[str, Mapping[str, Explanation]]

    def outcomes(self, rule_name: str) -> dict[str, Outcome]:
        """Party id → outcome of one rule."""
        return {party: results[rule_name].outcome for party, results in self.explanations.items()}

    def members(self, rule_name: str) -> tuple[str, ...]:
        """Ids of the parties the rule matched, sorted."""
        return tuple(
            sorted(
                party
                for party, outcome in self.outcomes(rule_name).items()
                if outcome is Outcome.MATCH
            )
        )


def check_rule_names(rules: Mapping[str, SegmentRule]) -> None:
    """Refuse empty names and values that are not rules."""
    for name, rule in rules.items():
        if not isinstance(name, str) or not name.strip():
            raise InvalidSegmentRule(f"rule name {name!r} must be a non-empty str.")
        if not isinstance(rule, SegmentRule):
            raise InvalidSegmentRule(f"rule {name!r} is a {type(rule).__name__}, not a rule.")


def evaluate_portfolio(
    rules: Mapping[str, SegmentRule],
    subjects: Iterable[SegmentSubject],
    as_of: pendulum.Date,
    *,
    policy: BehaviourPolicy = DEFAULT_BEHAVIOUR_POLICY,
    currency: str = CNY,
) -> PortfolioEvaluation:
    """Evaluate named rules on every party of a portfolio, with explanations (pure Python).

    RFM scores are computed over the portfolio's existing customers first, so quantile rules
    see the same ranks as the batch path.

    >>> party = SegmentSubject("P-1", property_rights={PropertyRight.OWNER})
    >>> result = evaluate_portfolio(
    ...     {"owners": PropertyRightIs(PropertyRight.OWNER)}, [party], pendulum.date(2026, 12, 31)
    ... )
    >>> result.members("owners")
    ('P-1',)
    """
    day = as_date(as_of)
    check_rule_names(rules)
    parties = tuple(subjects)
    seen: set[str] = set()
    for subject in parties:
        if not isinstance(subject, SegmentSubject):
            raise InvalidSegmentSubject(f"{subject!r} is not a SegmentSubject.")
        if subject.party_id in seen:
            raise DuplicateParty(f"party {subject.party_id!r} appears twice in the portfolio.")
        seen.add(subject.party_id)
    inputs = [
        item
        for subject in parties
        if (
            item := rfm_input(
                subject.party_id,
                subject.payments,
                subject.purchases,
                day,
                policy=policy,
                currency=currency,
            )
        )
        is not None
    ]
    scores = rfm_scores(inputs, policy=policy)
    explanations: dict[str, Mapping[str, Explanation]] = {}
    for subject in parties:
        facts = PartyFacts.of(subject, day, policy=policy, currency=currency, rfm=scores)
        explanations[subject.party_id] = {
            name: rule.evaluate(facts) for name, rule in rules.items()
        }
    return PortfolioEvaluation(day, tuple(rules), scores, explanations)
