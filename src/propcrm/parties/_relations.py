"""Dated relations between parties and units or organisations, and the rules they keep.

Every relation is typed and dated, half-open ``[start, until)`` like billing's spans: an owner
who sells on the 16th owns ``until`` the 16th and the buyer owns ``from`` the 16th, so no day
belongs to both (domain brief §1). One party holds many relations at once (an owner of one flat
is the tenant of another), and history is never overwritten: ending a relation sets its
``until`` once and keeps it; nothing is deleted.

A relation agreed for a term (a lease, a committee term) also carries ``planned_until``, the
agreed end: it is in force until then unless it is ended earlier, and the agreed end stays on
record beside the actual one.

| relation | of a party to | what it adds |
| --- | --- | --- |
| :class:`Owner` 业主 | a unit | ``share`` (joint ownership), ``pays_fees`` (the designated payer) |
| :class:`Tenant` 租户 | a unit | ``lease_id``, ``role`` (lead or co-tenant), ``pays_fees`` |
| :class:`Resident` 住户 | a unit | ``role`` (户主 head, 户员 member), ``relationship`` |
| :class:`Merchant` 商户 | a unit (shop) | ``shop_name``, ``business_licence`` |
| :class:`Visitor` 访客 | a unit (host) | ``registration_id`` |
| :class:`AgencyContact` | an organisation | ``post`` |
| :class:`CommitteeMember` | a committee | ``post`` (主任, 副主任, 委员), ``term`` (届) |

The rules that relations keep among themselves are data, in this module: the
:data:`EXCLUSIVITY_RULES` (which relations may not be in force on the same day), owners' shares
never above 100 % (:func:`share_conflicts`), and how fully a unit must be owned
(:class:`OwnershipCoverage`, :func:`coverage_conflicts`). Each check returns
:class:`Conflict` values (data: which rule, which relations, from which day), which the party
book turns into a refusal and a merge plan lists.

>>> joint = [
...     Owner(
...         relation_id="R1",
...         party_id="P1",
...         unit_id="1-2-0301",
...         start=pendulum.date(2026, 1, 1),
...         share="0.6",
...     ),
...     Owner(
...         relation_id="R2",
...         party_id="P2",
...         unit_id="1-2-0301",
...         start=pendulum.date(2026, 1, 1),
...         share="0.5",
...     ),
... ]
>>> [c.message for c in share_conflicts(joint)]
['owners of unit 1-2-0301 hold 110 % on 2026-01-01 (R1 60 %, R2 50 %); shares never exceed 100 %.']
"""

from __future__ import annotations

import datetime
import enum
import functools
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, pgettext
from propcrm._validators import check_ascii_digits, check_record_id, check_text, instance_of
from propcrm.errors import (
    HistoryRewrite,
    InvalidAmount,
    InvalidPolicy,
    InvalidRelation,
    InvalidType,
    OverlappingRelations,
    OwnershipExceeded,
    OwnershipGap,
    PartyError,
    RelationConflict,
    UnitNotReady,
)
from propcrm.money import to_decimal
from propcrm.personal_data import CreditCode
from propcrm.time import as_date

__all__ = [
    "EXCLUSIVITY_RULES",
    "FULL_SHARE",
    "RELATION_TYPES",
    "UNIT_RELATION_TYPES",
    "AgencyContact",
    "CommitteeMember",
    "CommitteePost",
    "Conflict",
    "ConflictKind",
    "ExclusivityRule",
    "HouseholdRole",
    "Merchant",
    "Owner",
    "OwnershipCoverage",
    "Relation",
    "RelationKind",
    "Resident",
    "Tenant",
    "TenantRole",
    "Visitor",
    "coverage_conflicts",
    "exclusivity_conflicts",
    "lease_conflicts",
    "ownership_total",
    "share_conflicts",
    "to_share",
]

FULL_SHARE = Decimal(1)
"""The whole of a unit: the owners' shares of a unit add up to at most this on any day."""


class RelationKind(enum.Enum):
    """The kinds of relation (domain brief §1); ``label(locale)`` names the kind."""

    OWNER = "owner"
    TENANT = "tenant"
    RESIDENT = "resident"
    MERCHANT = "merchant"
    VISITOR = "visitor"
    AGENCY_CONTACT = "agency_contact"
    COMMITTEE_MEMBER = "committee_member"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The kind's name, e.g. ``'业主'`` (zh_CN) or ``'owner'`` (en_US)."""
        # One literal per member, so that extraction finds every message.
        match self:
            case RelationKind.OWNER:
                return pgettext("relation kind", "owner", locale=locale)
            case RelationKind.TENANT:
                return pgettext("relation kind", "tenant", locale=locale)
            case RelationKind.RESIDENT:
                return pgettext("relation kind", "resident", locale=locale)
            case RelationKind.MERCHANT:
                return pgettext("relation kind", "merchant", locale=locale)
            case RelationKind.VISITOR:
                return pgettext("relation kind", "visitor", locale=locale)
            case RelationKind.AGENCY_CONTACT:
                return pgettext("relation kind", "agency contact", locale=locale)
            case RelationKind.COMMITTEE_MEMBER:
                return pgettext("relation kind", "committee member", locale=locale)


class TenantRole(enum.Enum):
    """A tenant's place in a lease: the lead tenant (承租人) or a co-tenant (共同承租人)."""

    LEAD = "lead"
    CO_TENANT = "co_tenant"


class HouseholdRole(enum.Enum):
    """A resident's place in the household: head (户主) or member (户员)."""

    HEAD = "head"
    MEMBER = "member"


class CommitteePost(enum.Enum):
    """A post on an owners' or residents' committee: chair (主任), vice chair, member (委员)."""

    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"


# -- validators -------------------------------------------------------------------------------


def _id(what: str) -> Callable[[object, object, str], None]:
    def check(_instance: object, _attribute: object, value: str) -> None:
        check_record_id(value, what, InvalidRelation)

    return check


# One named converter a field, so that a refused date names its field (and mypy's attrs plugin
# reads the converter's type).
def _start(value: object) -> pendulum.Date:
    return as_date(value, "start")


def _optional_until(value: object) -> pendulum.Date | None:
    return None if value is None else as_date(value, "until")


def _optional_planned_until(value: object) -> pendulum.Date | None:
    return None if value is None else as_date(value, "planned_until")


_SHARE_ALLOWED = "a fraction above 0 and at most 1, as a str, int or Decimal (e.g. '0.6')"


def to_share(value: object, field: str = "share") -> Decimal:
    """A share of a unit: a fraction above 0 and at most 1 (``'0.6'`` is 60 %), exact.

    >>> to_share("0.6")
    Decimal('0.6')
    >>> to_share("60")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidRelation: share '60' must be above 0 and at most 1 (a fraction: '0.6' \
for 60 %).
    """
    if isinstance(value, str):
        check_ascii_digits(value, field, InvalidRelation)
    try:
        share = to_decimal(value, what="share")
    except InvalidAmount as exc:
        raise InvalidRelation(str(exc), field=field, value=value, allowed=_SHARE_ALLOWED) from None
    if not 0 < share <= FULL_SHARE:
        raise InvalidRelation(
            f"share {value!r} must be above 0 and at most 1 (a fraction: '0.6' for 60 %).",
            field=field,
            value=value,
            allowed=_SHARE_ALLOWED,
        )
    return share


def _text(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidRelation(
            f"{attribute.name} {value!r} must be non-empty text.",
            field=attribute.name,
            value=value,
            allowed="non-empty text",
        )


def _bool(_instance: object, attribute: attrs.Attribute[bool], value: bool) -> None:
    if not isinstance(value, bool):
        raise InvalidRelation(
            f"{attribute.name} {value!r} must be True or False.",
            field=attribute.name,
            value=value,
            allowed="True or False",
        )


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f} %"


# -- relations --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Dated:
    """The fields and dating every relation shares."""

    kind: ClassVar[RelationKind]

    relation_id: str = attrs.field(validator=_id("relation id"))
    party_id: str = attrs.field(validator=_id("party id"))
    start: pendulum.Date = attrs.field(converter=_start)
    until: pendulum.Date | None = attrs.field(default=None, converter=_optional_until)
    planned_until: pendulum.Date | None = attrs.field(
        default=None, converter=_optional_planned_until
    )

    def __attrs_post_init__(self) -> None:
        for name in ("until", "planned_until"):
            end = getattr(self, name)
            if end is not None and end <= self.start:
                raise InvalidRelation(
                    f"relation {self.relation_id}: {name} {end.isoformat()} is not after its "
                    f"start {self.start.isoformat()}; the end is exclusive and must be later.",
                    field=name,
                    value=end,
                    allowed=f"a date after {self.start.isoformat()}",
                    relation_id=self.relation_id,
                )
        if (
            self.until is not None
            and self.planned_until is not None
            and self.until > self.planned_until
        ):
            raise InvalidRelation(
                f"relation {self.relation_id} ends {self.until.isoformat()}, after its agreed "
                f"end {self.planned_until.isoformat()}; a longer term is a new relation "
                "(a renewed lease, a new committee term).",
                field="until",
                value=self.until,
                allowed=f"at most the agreed end {self.planned_until.isoformat()}",
                relation_id=self.relation_id,
            )

    @property
    def target(self) -> str:
        """The id of what the party is related to: a unit, or an organisation."""
        raise NotImplementedError  # pragma: no cover - every relation class overrides it

    @property
    def end(self) -> pendulum.Date | None:
        """The exclusive end in force: ``until`` if ended, else the agreed end, else ``None``."""
        return self.until if self.until is not None else self.planned_until

    def covers(self, day: datetime.date) -> bool:
        """Whether the relation is in force on ``day``."""
        d = as_date(day, "day")
        end = self.end
        return self.start <= d and (end is None or d < end)

    def overlaps(self, other: _Dated) -> bool:
        """Whether the two relations are in force on a common day."""
        if not isinstance(other, _Dated):
            raise InvalidType(
                f"other must be a relation, got {type(other).__name__} {other!r}.",
                field="other",
                value=other,
                allowed="a relation (Owner, Tenant, Resident …)",
            )
        return _overlap(self.start, self.end, other.start, other.end)

    def in_force_between(self, first: datetime.date, until: datetime.date | None) -> bool:
        """Whether the relation is in force on any day of ``[first, until)``."""
        return _overlap(self.start, self.end, as_date(first, "first"), _optional_until(until))

    def ended(self, on: datetime.date) -> Relation:
        """A copy ended on ``on`` (exclusive): the party's last day is the day before.

        Refused (:class:`~propcrm.errors.HistoryRewrite`) if it has ended already, if ``on`` is
        not after the start, or if ``on`` is after the agreed end.
        """
        day = as_date(on, "on")
        if self.until is not None:
            raise HistoryRewrite(
                f"relation {self.relation_id} ended on {self.until.isoformat()} already; an end "
                "is recorded once and never moved.",
                relation_id=self.relation_id,
                until=self.until,
                on=day,
            )
        if day <= self.start:
            raise HistoryRewrite(
                f"relation {self.relation_id} cannot end on {day.isoformat()}: it starts "
                f"{self.start.isoformat()}, and an end must be later than the start.",
                relation_id=self.relation_id,
                start=self.start,
                on=day,
            )
        if self.planned_until is not None and day > self.planned_until:
            raise HistoryRewrite(
                f"relation {self.relation_id} cannot end on {day.isoformat()}, after its agreed "
                f"end {self.planned_until.isoformat()}; it ends then by itself.",
                relation_id=self.relation_id,
                planned_until=self.planned_until,
                on=day,
            )
        result = attrs.evolve(self, until=day)
        assert isinstance(result, RELATION_TYPES)
        return result

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line: kind, party, target and span (the end is exclusive).

        >>> lease = Tenant(
        ...     relation_id="R7",
        ...     party_id="P4",
        ...     unit_id="1-2-0302",
        ...     lease_id="HT-0302",
        ...     start=pendulum.date(2026, 4, 1),
        ...     planned_until=pendulum.date(2027, 4, 1),
        ... )
        >>> print(lease.describe())
        R7：P4 自 2026-04-01 起为 1-2-0302 的租户，于 2027-04-01 终止
        >>> print(lease.describe("en_US"))
        R7: P4 tenant of 1-2-0302 from 2026-04-01 until 2027-04-01
        """
        end = self.end
        values = {
            "relation": self.relation_id,
            "party": self.party_id,
            "kind": self.kind.label(locale),
            "target": self.target,
            "start": self.start.isoformat(),
        }
        if end is None:
            return gettext(
                "%(relation)s: %(party)s %(kind)s of %(target)s from %(start)s",
                locale=locale,
                **values,
            )
        return gettext(
            "%(relation)s: %(party)s %(kind)s of %(target)s from %(start)s until %(end)s",
            locale=locale,
            end=end.isoformat(),
            **values,
        )


def _overlap(
    a_start: pendulum.Date,
    a_end: pendulum.Date | None,
    b_start: pendulum.Date,
    b_end: pendulum.Date | None,
) -> bool:
    return (a_end is None or b_start < a_end) and (b_end is None or a_start < b_end)


@attrs.frozen(kw_only=True)
class Owner(_Dated):
    """Ownership (业主) of a unit, or of ``share`` of it (a fraction: ``'0.6'`` is 60 %).

    ``pays_fees`` designates the fee payer among joint owners; without one, the largest share
    pays (see the registry's payer rule).
    """

    kind = RelationKind.OWNER

    unit_id: str = attrs.field(validator=_id("unit id"))
    share: Decimal = attrs.field(default=FULL_SHARE, converter=to_share)
    pays_fees: bool = attrs.field(default=False, validator=_bool)

    @property
    def target(self) -> str:
        """The unit owned."""
        return self.unit_id


@attrs.frozen(kw_only=True)
class Tenant(_Dated):
    """A tenancy (租户) under lease ``lease_id``; ``planned_until`` is the lease's agreed end.

    ``pays_fees`` marks the tenant who pays the unit's fees under the lease; without one the
    owner pays (domain brief §1: the owner by default).
    """

    kind = RelationKind.TENANT

    unit_id: str = attrs.field(validator=_id("unit id"))
    lease_id: str = attrs.field(validator=_id("lease id"))
    role: TenantRole = attrs.field(default=TenantRole.LEAD, validator=instance_of(TenantRole))
    pays_fees: bool = attrs.field(default=False, validator=_bool)

    @property
    def target(self) -> str:
        """The unit rented."""
        return self.unit_id


@attrs.frozen(kw_only=True)
class Resident(_Dated):
    """Living in a unit (住户) as household head (户主) or member (户员)."""

    kind = RelationKind.RESIDENT

    unit_id: str = attrs.field(validator=_id("unit id"))
    role: HouseholdRole = attrs.field(
        default=HouseholdRole.MEMBER, validator=instance_of(HouseholdRole)
    )
    relationship: str = attrs.field(default="", validator=instance_of(str))
    """Relationship to the head (与户主关系: 配偶, 子女 …); empty for the head."""

    @property
    def target(self) -> str:
        """The unit lived in."""
        return self.unit_id


@attrs.frozen(kw_only=True)
class Merchant(_Dated):
    """Running a shop (商户) in a commercial unit, under a business licence."""

    kind = RelationKind.MERCHANT

    unit_id: str = attrs.field(validator=_id("unit id"))
    shop_name: str = attrs.field(validator=_text)
    business_licence: CreditCode | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_of(CreditCode))
    )

    @property
    def target(self) -> str:
        """The shop's unit."""
        return self.unit_id


@attrs.frozen(kw_only=True)
class Visitor(_Dated):
    """A visit (访客) to a host unit, from a gate registration (see :mod:`.visitors`)."""

    kind = RelationKind.VISITOR

    unit_id: str = attrs.field(validator=_id("unit id"))
    registration_id: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(_id("registration id"))
    )

    @property
    def target(self) -> str:
        """The host unit."""
        return self.unit_id


@attrs.frozen(kw_only=True)
class AgencyContact(_Dated):
    """The contact person of an organisation (a government agency, an enterprise)."""

    kind = RelationKind.AGENCY_CONTACT

    organisation_id: str = attrs.field(validator=_id("organisation id"))
    post: str = attrs.field(validator=_text)

    @property
    def target(self) -> str:
        """The organisation."""
        return self.organisation_id


@attrs.frozen(kw_only=True)
class CommitteeMember(_Dated):
    """A post on an owners' or residents' committee for a term (届); ``planned_until`` ends it."""

    kind = RelationKind.COMMITTEE_MEMBER

    committee_id: str = attrs.field(validator=_id("committee id"))
    post: CommitteePost = attrs.field(
        default=CommitteePost.MEMBER, validator=instance_of(CommitteePost)
    )
    term: str = attrs.field(validator=_text)

    @property
    def target(self) -> str:
        """The committee (an organisation)."""
        return self.committee_id


Relation = Owner | Tenant | Resident | Merchant | Visitor | AgencyContact | CommitteeMember
"""Any dated relation of a party."""

RELATION_TYPES = (Owner, Tenant, Resident, Merchant, Visitor, AgencyContact, CommitteeMember)
"""Every relation class."""
UNIT_RELATION_TYPES = (Owner, Tenant, Resident, Merchant, Visitor)
"""The relations whose target is a unit."""


# -- conflicts --------------------------------------------------------------------------------


class ConflictKind(enum.Enum):
    """What rule a set of relations breaks; each maps to the error a refusal raises."""

    OVERLAP = "overlap"
    SHARE_EXCEEDED = "share_exceeded"
    OWNERSHIP_GAP = "ownership_gap"
    NOT_HANDED_OVER = "not_handed_over"
    INCONSISTENT = "inconsistent"

    @property
    def error(self) -> type[PartyError]:
        """The exception class a refusal for this kind raises."""
        return _CONFLICT_ERRORS[self]


_CONFLICT_ERRORS: dict[ConflictKind, type[PartyError]] = {
    ConflictKind.OVERLAP: OverlappingRelations,
    ConflictKind.SHARE_EXCEEDED: OwnershipExceeded,
    ConflictKind.OWNERSHIP_GAP: OwnershipGap,
    ConflictKind.NOT_HANDED_OVER: UnitNotReady,
    ConflictKind.INCONSISTENT: RelationConflict,
}


@attrs.frozen
class Conflict:
    """A broken rule, as data: which rule, which relations, from which day, and why.

    ``message`` is the English text of the refusal (the exception's message, for developers);
    :meth:`describe` writes the conflict for staff in a locale, as a merge plan shows it.
    ``describer`` is how: the conflicts this package finds set it; a conflict built elsewhere
    without one describes itself by its ``message``.
    """

    kind: ConflictKind
    rule: str
    target: str
    relation_ids: tuple[str, ...]
    on: pendulum.Date | None
    message: str
    describer: Callable[[LocaleLike], str] | None = attrs.field(
        default=None, kw_only=True, eq=False, repr=False
    )

    def error(self) -> PartyError:
        """The exception that refuses a change leading to this conflict."""
        return self.kind.error(
            self.message,
            rule=self.rule,
            target=self.target,
            relation_ids=self.relation_ids,
            on=self.on,
        )

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The conflict in one sentence for staff, e.g. in a blocked merge plan."""
        if self.describer is None:
            check_locale(locale)
            return self.message
        return self.describer(locale)


def _rule_name(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    check_text(value, attribute.name, InvalidPolicy, example="'one lease of a unit at a time'")


def _callable(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not callable(value):
        raise InvalidPolicy(
            f"{attribute.name} must be a function of a relation, got {type(value).__name__} "
            f"{value!r}.",
            field=attribute.name,
            value=value,
            allowed="a callable taking a relation",
        )


@attrs.frozen
class ExclusivityRule:
    """Relations it ``applies`` to, of one ``key`` and different ``group``, never share a day.

    ``group`` lets related relations share days: the tenants of one lease (same ``lease_id``)
    are in force together, tenants of two leases of a unit are not.
    """

    name: str = attrs.field(validator=_rule_name)
    applies: Callable[[Relation], bool] = attrs.field(validator=_callable)
    key: Callable[[Relation], Hashable] = attrs.field(validator=_callable)
    group: Callable[[Relation], Hashable] = attrs.field(
        default=lambda r: r.relation_id, validator=_callable
    )

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The rule in words: the standard rules translated, a community's own as it named it.

        >>> EXCLUSIVITY_RULES[1].label(), EXCLUSIVITY_RULES[1].label("en_US")
        ('同一房屋同一时间只能有一份租约', 'one lease of a unit at a time')
        """
        # One literal per standard rule (its name is its key), so that extraction finds each.
        match self.name:
            case "a party holds one relation of a kind to a target at a time":
                return pgettext(
                    "exclusivity rule",
                    "a party holds one relation of a kind to a target at a time",
                    locale=locale,
                )
            case "one lease of a unit at a time":
                return pgettext("exclusivity rule", "one lease of a unit at a time", locale=locale)
            case "one lead tenant of a unit at a time":
                return pgettext(
                    "exclusivity rule", "one lead tenant of a unit at a time", locale=locale
                )
            case "one fee-paying tenant of a unit at a time":
                return pgettext(
                    "exclusivity rule", "one fee-paying tenant of a unit at a time", locale=locale
                )
            case "one designated fee-paying owner of a unit at a time":
                return pgettext(
                    "exclusivity rule",
                    "one designated fee-paying owner of a unit at a time",
                    locale=locale,
                )
            case "one household head (户主) of a unit at a time":
                # The name quotes the Chinese term for developers; people read it translated.
                return pgettext(
                    "exclusivity rule", "one household head of a unit at a time", locale=locale
                )
            case "one merchant in a shop at a time":
                return pgettext(
                    "exclusivity rule", "one merchant in a shop at a time", locale=locale
                )
            case "one chair (主任) of a committee at a time":
                return pgettext(
                    "exclusivity rule", "one chair of a committee at a time", locale=locale
                )
            case _:
                # A community's own rule: its name is data, printed as given.
                check_locale(locale)
                return self.name


def _agency_post(r: Relation) -> str:
    return r.post if isinstance(r, AgencyContact) else ""


EXCLUSIVITY_RULES: tuple[ExclusivityRule, ...] = (
    ExclusivityRule(
        "a party holds one relation of a kind to a target at a time",
        lambda r: not isinstance(r, Visitor),  # one may visit a unit twice in a day
        lambda r: (r.kind, r.party_id, r.target, _agency_post(r)),
    ),
    ExclusivityRule(
        "one lease of a unit at a time",
        lambda r: isinstance(r, Tenant),
        lambda r: r.target,
        lambda r: r.lease_id if isinstance(r, Tenant) else r.relation_id,
    ),
    ExclusivityRule(
        "one lead tenant of a unit at a time",
        lambda r: isinstance(r, Tenant) and r.role is TenantRole.LEAD,
        lambda r: r.target,
    ),
    ExclusivityRule(
        "one fee-paying tenant of a unit at a time",
        lambda r: isinstance(r, Tenant) and r.pays_fees,
        lambda r: r.target,
    ),
    ExclusivityRule(
        "one designated fee-paying owner of a unit at a time",
        lambda r: isinstance(r, Owner) and r.pays_fees,
        lambda r: r.target,
    ),
    ExclusivityRule(
        "one household head (户主) of a unit at a time",
        lambda r: isinstance(r, Resident) and r.role is HouseholdRole.HEAD,
        lambda r: r.target,
    ),
    ExclusivityRule(
        "one merchant in a shop at a time",
        lambda r: isinstance(r, Merchant),
        lambda r: r.target,
    ),
    ExclusivityRule(
        "one chair (主任) of a committee at a time",
        lambda r: isinstance(r, CommitteeMember) and r.post is CommitteePost.CHAIR,
        lambda r: r.target,
    ),
)
"""Which relations may not be in force on the same day (the brief's "exclusive relations")."""


def _start_order(r: Relation) -> tuple[pendulum.Date, str]:
    return r.start, r.relation_id


def exclusivity_conflicts(
    relations: Iterable[Relation], rules: Sequence[ExclusivityRule] = EXCLUSIVITY_RULES
) -> tuple[Conflict, ...]:
    """Pairs of relations in force on a common day that one of ``rules`` keeps apart.

    >>> heads = [
    ...     Resident(relation_id=f"R{n}", party_id=f"P{n}", unit_id="1-2-0301",
    ...              start=pendulum.date(2026, 3, n), role=HouseholdRole.HEAD)
    ...     for n in (1, 2)
    ... ]
    >>> print(exclusivity_conflicts(heads)[0].message)
    R1 and R2 are both in force on 2026-03-02, but one household head (户主) of a unit at a time \
(1-2-0301).
    """
    items = tuple(relations)
    found: list[Conflict] = []
    if len(items) < 2:
        # A conflict is a pair: a unit with one relation (most of a book's) keeps every rule.
        return ()
    for rule in rules:
        by_key: dict[Hashable, list[Relation]] = defaultdict(list)
        for r in items:
            if rule.applies(r):
                by_key[rule.key(r)].append(r)
        for group in by_key.values():
            found.extend(_overlaps_in(rule, sorted(group, key=_start_order)))
    return tuple(found)


def _overlaps_in(rule: ExclusivityRule, ordered: list[Relation]) -> list[Conflict]:
    found: list[Conflict] = []
    active: list[Relation] = []
    for r in ordered:
        active = [a for a in active if a.end is None or a.end > r.start]
        found.extend(
            Conflict(
                ConflictKind.OVERLAP,
                rule.name,
                r.target,
                (a.relation_id, r.relation_id),
                r.start,
                f"{a.relation_id} and {r.relation_id} are both in force on "
                f"{r.start.isoformat()}, but {rule.name} ({r.target}).",
                describer=functools.partial(
                    _overlap_text, a.relation_id, r.relation_id, r.start, rule, r.target
                ),
            )
            for a in active
            if rule.group(a) != rule.group(r)
        )
        active.append(r)
    return found


def _overlap_text(
    first: str,
    second: str,
    day: pendulum.Date,
    rule: ExclusivityRule,
    target: str,
    locale: LocaleLike,
) -> str:
    return gettext(
        "%(first)s and %(second)s are both in force on %(day)s, but %(rule)s (%(target)s).",
        locale=locale,
        first=first,
        second=second,
        day=day.isoformat(),
        rule=rule.label(locale),
        target=target,
    )


def _change_days(relations: Iterable[Relation]) -> list[pendulum.Date]:
    days = set()
    for r in relations:
        days.add(r.start)
        if r.end is not None:
            days.add(r.end)
    return sorted(days)


def ownership_total(owners: Iterable[Owner], day: datetime.date) -> Decimal:
    """The sum of the shares of ``owners`` in force on ``day``."""
    return sum((o.share for o in owners if o.covers(day)), Decimal(0))


def _owners_by_unit(relations: Iterable[Relation]) -> dict[str, list[Owner]]:
    by_unit: dict[str, list[Owner]] = defaultdict(list)
    for r in relations:
        if isinstance(r, Owner):
            by_unit[r.unit_id].append(r)
    return by_unit


def share_conflicts(relations: Iterable[Relation]) -> tuple[Conflict, ...]:
    """The first day, per unit, on which the owners' shares add up to more than 100 %."""
    found = []
    for unit_id, owners in _owners_by_unit(relations).items():
        if sum((o.share for o in owners), Decimal(0)) <= FULL_SHARE:
            continue  # all of them together, on whatever days, hold 100 % at most
        for day in _change_days(owners):
            holding = sorted((o for o in owners if o.covers(day)), key=_start_order)
            total = sum((o.share for o in holding), Decimal(0))
            if total > FULL_SHARE:
                parts = ", ".join(f"{o.relation_id} {_percent(o.share)}" for o in holding)
                found.append(
                    Conflict(
                        ConflictKind.SHARE_EXCEEDED,
                        "owners' shares never exceed 100 %",
                        unit_id,
                        tuple(o.relation_id for o in holding),
                        day,
                        f"owners of unit {unit_id} hold {_percent(total)} on {day.isoformat()} "
                        f"({parts}); shares never exceed 100 %.",
                        describer=functools.partial(
                            _share_text, unit_id, total, day, tuple(holding)
                        ),
                    )
                )
                break
    return tuple(found)


def _share_text(
    unit_id: str, total: Decimal, day: pendulum.Date, holding: tuple[Owner, ...], locale: LocaleLike
) -> str:
    separator = pgettext("list separator", ", ", locale=locale)
    return gettext(
        "owners of unit %(unit)s hold %(total)s on %(day)s (%(shares)s); shares never exceed "
        "100 %%.",
        locale=locale,
        unit=unit_id,
        total=_percent(total),
        day=day.isoformat(),
        shares=separator.join(f"{o.relation_id} {_percent(o.share)}" for o in holding),
    )


class OwnershipCoverage(enum.Enum):
    """How fully a unit must be owned on every day from its handover (交付) on.

    ``FULL`` (the default): shares add up to exactly 100 %, so a sale or an end of ownership
    that leaves part of a unit unowned is refused. ``ANY_OWNER``: at least one owner.
    ``NONE``: no requirement (for portfolios whose ownership records are incomplete).
    """

    FULL = "full"
    ANY_OWNER = "any_owner"
    NONE = "none"


def coverage_conflicts(
    unit_id: str,
    owners: Iterable[Owner],
    since: datetime.date,
    coverage: OwnershipCoverage = OwnershipCoverage.FULL,
) -> tuple[Conflict, ...]:
    """The first day from ``since`` on which ``unit_id`` is not owned as ``coverage`` asks.

    >>> sold = Owner(relation_id="R1", party_id="P1", unit_id="1-2-0301",
    ...              start=pendulum.date(2026, 1, 1), until=pendulum.date(2026, 11, 16))
    >>> print(coverage_conflicts("1-2-0301", [sold], pendulum.date(2026, 3, 1))[0].message)
    unit 1-2-0301 is owned 0 % on 2026-11-16, after its handover on 2026-03-01; from the handover \
on, its owners must hold 100 % every day.
    """
    if coverage is OwnershipCoverage.NONE:
        return ()
    start = as_date(since, "since")
    held = [o for o in owners if o.unit_id == unit_id]
    days = [start, *(d for d in _change_days(held) if d > start)]
    for day in days:
        holding = [o for o in held if o.covers(day)]
        total = sum((o.share for o in holding), Decimal(0))
        short = total != FULL_SHARE if coverage is OwnershipCoverage.FULL else not holding
        if short:
            need = "hold 100 %" if coverage is OwnershipCoverage.FULL else "include an owner"
            return (
                Conflict(
                    ConflictKind.OWNERSHIP_GAP,
                    f"a handed-over unit is owned ({coverage.value})",
                    unit_id,
                    tuple(o.relation_id for o in holding),
                    day,
                    f"unit {unit_id} is owned {_percent(total)} on {day.isoformat()}, after its "
                    f"handover on {start.isoformat()}; from the handover on, its owners must "
                    f"{need} every day.",
                    describer=functools.partial(
                        _coverage_text, unit_id, total, day, start, coverage
                    ),
                ),
            )
    return ()


def _coverage_text(
    unit_id: str,
    total: Decimal,
    day: pendulum.Date,
    handover: pendulum.Date,
    coverage: OwnershipCoverage,
    locale: LocaleLike,
) -> str:
    values = {
        "unit": unit_id,
        "total": _percent(total),
        "day": day.isoformat(),
        "handover": handover.isoformat(),
    }
    if coverage is OwnershipCoverage.FULL:
        return gettext(
            "unit %(unit)s is owned %(total)s on %(day)s, after its handover on %(handover)s; "
            "from the handover on, its owners must hold 100 %% every day.",
            locale=locale,
            **values,
        )
    return gettext(
        "unit %(unit)s is owned %(total)s on %(day)s, after its handover on %(handover)s; "
        "from the handover on, it must have an owner every day.",
        locale=locale,
        **values,
    )


def _lease_text(lease_id: str, units: tuple[str, ...], locale: LocaleLike) -> str:
    return gettext(
        "lease %(lease)s has tenancies of units %(units)s; a lease is of one unit, so give each "
        "unit's lease its own number.",
        locale=locale,
        lease=lease_id,
        units=pgettext("list separator", ", ", locale=locale).join(units),
    )


def lease_conflicts(relations: Iterable[Relation]) -> tuple[Conflict, ...]:
    """Leases whose tenancies name more than one unit (a lease is of one unit)."""
    units: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in relations:
        if isinstance(r, Tenant):
            units[r.lease_id][r.unit_id].append(r.relation_id)
    found = []
    for lease_id, by_unit in units.items():
        if len(by_unit) > 1:
            ids = tuple(i for ids in by_unit.values() for i in ids)
            found.append(
                Conflict(
                    ConflictKind.INCONSISTENT,
                    "a lease is of one unit",
                    lease_id,
                    ids,
                    None,
                    f"lease {lease_id} has tenancies of units {', '.join(sorted(by_unit))}; "
                    "a lease is of one unit, so give each unit's lease its own id.",
                    describer=functools.partial(_lease_text, lease_id, tuple(sorted(by_unit))),
                )
            )
    return tuple(found)
