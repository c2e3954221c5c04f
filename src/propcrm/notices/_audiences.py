"""Who a notice is for: rules over the party book, resolved as of a date, each recipient with why.

A rule is data (storable on the notice, never code): the whole community, some buildings, a list
of parties, the members of a segment, everyone whose unit is in arrears, or any of several. The
unit-based rules take the relation kinds that count (``roles``): owners only, or owners and
occupants. :func:`resolve_audience` turns a rule into recipients against a
:class:`~propcrm.parties.PartyBook` on a date; what the book does not hold is given to it: the
segments' histories (:class:`~propcrm.segmentation.SegmentHistory`) and the amounts owed per unit
(from :mod:`propcrm.receivables`). Each :class:`Recipient` carries its reasons as data.

>>> from propcrm.parties import Owner, PartyBook, Person, Unit
>>> from propcrm.personal_data import PersonName
>>> def flat(n, building):
...     return Unit(
...         unit_id=n,
...         community="SUNRISE",
...         building=building,
...         floor=3,
...         number=n,
...         property_type=PropertyType.RESIDENTIAL,
...         building_area="89",
...     )
>>> day, since = pendulum.date(2026, 12, 1), pendulum.date(2020, 1, 1)
>>> book = PartyBook(
...     parties=[
...         Person(party_id="P1", name=PersonName("王伟")),
...         Person(party_id="P2", name=PersonName("李娜")),
...     ],
...     units=[flat("3-0301", "3"), flat("5-0101", "5")],
...     relations=[
...         Owner(
...             relation_id="R1", party_id="P1", unit_id="3-0301", start=pendulum.date(2020, 1, 1)
...         ),
...         Owner(
...             relation_id="R2", party_id="P2", unit_id="5-0101", start=pendulum.date(2020, 1, 1)
...         ),
...     ],
... )
>>> audience = resolve_audience(InBuildings(["3"]), book, day)
>>> [(r.party_id, r.unit_ids) for r in audience.recipients]
[('P1', ('3-0301',))]
>>> print(audience.recipients[0].explain("en_US"))
P1: owner of 3-0301 in building 3
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._validators import (
    check_instance,
    check_items,
    check_record_id,
    check_text,
)
from propcrm.errors import InvalidAudience
from propcrm.money import Money, format_money
from propcrm.parties import PartyBook, RelationKind
from propcrm.segmentation import SegmentHistory
from propcrm.time import as_date

__all__ = [
    "ALL_ROLES",
    "AnyAudience",
    "Audience",
    "AudienceReason",
    "AudienceRule",
    "Everyone",
    "InArrears",
    "InBuildings",
    "InSegment",
    "Listed",
    "Recipient",
    "resolve_audience",
]

_UNIT_ROLES = (
    RelationKind.OWNER,
    RelationKind.TENANT,
    RelationKind.RESIDENT,
    RelationKind.MERCHANT,
)
ALL_ROLES = frozenset(_UNIT_ROLES)
"""Owners, tenants, residents and merchants: everyone a unit-based notice reaches by default."""


def _roles(values: Iterable[RelationKind]) -> frozenset[RelationKind]:
    roles = frozenset(check_items(values, "roles", RelationKind, error=InvalidAudience))
    if not roles or not roles <= ALL_ROLES:
        raise InvalidAudience(
            f"roles {sorted(r.value for r in roles)} must be some of owner, tenant, resident, "
            "merchant.",
            field="roles",
            value=roles,
            allowed="a non-empty set of OWNER, TENANT, RESIDENT, MERCHANT",
        )
    return roles


def _ids(field: str) -> Callable[[Any], tuple[str, ...]]:
    def convert(values: Iterable[str]) -> tuple[str, ...]:
        items: tuple[str, ...] = check_items(values, field, str, error=InvalidAudience)
        if not items:
            raise InvalidAudience(
                f"{field} must name at least one.",
                field=field,
                value=items,
                allowed="one or more ids",
            )
        for item in items:
            check_record_id(item, field.rstrip("s"), InvalidAudience, field=field)
        return tuple(sorted(set(items)))

    return convert


def _buildings(values: Iterable[str]) -> tuple[str, ...]:
    return _ids("buildings")(values)


def _party_ids(values: Iterable[str]) -> tuple[str, ...]:
    return _ids("party_ids")(values)


def _optional_community(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None:
        check_record_id(value, "community", InvalidAudience, field="community")


@runtime_checkable
class AudienceRule(Protocol):
    """**Protocol**: a rule that picks recipients; ``describe(locale)`` says whom in words."""

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """Whom the rule picks, for people."""
        ...


@attrs.frozen
class Everyone:
    """Everyone related to a unit of the community (or of the book, if ``community`` is None)."""

    community: str | None = attrs.field(default=None, validator=_optional_community)
    roles: frozenset[RelationKind] = attrs.field(default=ALL_ROLES, converter=_roles)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'全体业户'`` or ``'everyone'``."""
        return pgettext("audience", "everyone", locale=locale)


@attrs.frozen
class InBuildings:
    """Those related to a unit in one of ``buildings`` (栋), of ``community`` if given."""

    buildings: tuple[str, ...] = attrs.field(converter=_buildings)
    community: str | None = attrs.field(default=None, validator=_optional_community)
    roles: frozenset[RelationKind] = attrs.field(default=ALL_ROLES, converter=_roles)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'3、5栋'`` or ``'buildings 3, 5'``."""
        separator = pgettext("list separator", ", ", locale=locale)
        return gettext(
            "buildings %(buildings)s", locale=locale, buildings=separator.join(self.buildings)
        )


@attrs.frozen
class Listed:
    """The parties named, whatever their units (a committee, the callers of one complaint)."""

    party_ids: tuple[str, ...] = attrs.field(converter=_party_ids)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'名单上的3人'`` or ``'3 listed parties'``."""
        n = len(self.party_ids)
        return gettext("%(num)d listed parties", locale=locale, num=n)


def _segment(_instance: object, _attribute: object, value: Any) -> None:
    check_text(value, "segment", InvalidAudience, max_length=64)


@attrs.frozen
class InSegment:
    """The members of a segment on the day (its :class:`~propcrm.segmentation.SegmentHistory`)."""

    segment: str = attrs.field(validator=_segment)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'客户细分 late_payers 的成员'`` or ``'members of segment late_payers'``."""
        return gettext("members of segment %(segment)s", locale=locale, segment=self.segment)


def _min_owed(_instance: object, _attribute: object, value: Any) -> None:
    money: Money = check_instance(value, "min_owed", Money, error=InvalidAudience)
    if not money.is_positive:
        raise InvalidAudience(
            f"min_owed {value} must be above zero: a unit owing nothing is not in arrears.",
            field="min_owed",
            value=value,
            allowed="a positive amount",
        )


@attrs.frozen
class InArrears:
    """Who pays for a unit owing at least ``min_owed`` on the day (its payer, §2's dunning)."""

    min_owed: Money = attrs.field(default=Money("0.01"), validator=_min_owed)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'欠费至少 ¥0.01 的业户'`` or ``'units owing at least ¥0.01'``."""
        return gettext(
            "units owing at least %(amount)s",
            locale=locale,
            amount=format_money(self.min_owed, locale),
        )


def _rules(values: Iterable[AudienceRule]) -> tuple[AudienceRule, ...]:
    rules: tuple[AudienceRule, ...] = check_items(values, "rules", error=InvalidAudience)
    if not rules:
        raise InvalidAudience(
            "AnyAudience needs at least one rule.",
            field="rules",
            value=rules,
            allowed="one or more",
        )
    for rule in rules:
        if not isinstance(rule, RULE_TYPES):
            raise InvalidAudience(
                f"rules holds {type(rule).__name__} {rule!r}, which is not an audience rule.",
                field="rules",
                value=rule,
                allowed="Everyone, InBuildings, Listed, InSegment, InArrears or AnyAudience",
            )
    return rules


@attrs.frozen
class AnyAudience:
    """Everyone any of ``rules`` picks, once each, with every reason that picked them."""

    rules: tuple[AudienceRule, ...] = attrs.field(converter=_rules)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The rules' descriptions, joined."""
        separator = pgettext("list separator", ", ", locale=locale)
        return separator.join(rule.describe(locale) for rule in self.rules)


RULE_TYPES = (Everyone, InBuildings, Listed, InSegment, InArrears, AnyAudience)


@attrs.frozen
class AudienceReason:
    """Why one party is a recipient: the rule that picked it and, for unit rules, unit and role.

    ``segment`` names the segment of :class:`InSegment`; ``owed`` is what the unit owed for
    :class:`InArrears`.
    """

    rule: str
    unit_id: str | None = None
    role: RelationKind | None = None
    building: str | None = None
    segment: str | None = None
    owed: Money | None = None

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One reason in words."""
        if self.unit_id is None:
            if self.rule == "InSegment":
                return gettext("member of segment %(segment)s", locale=locale, segment=self.segment)
            return gettext("on the list", locale=locale)
        role = self.role.label(locale) if self.role is not None else ""
        if self.rule == "InArrears":
            return gettext(
                "pays for %(unit)s, which owes %(amount)s",
                locale=locale,
                unit=self.unit_id,
                amount=format_money(self.owed, locale) if self.owed is not None else "",
            )
        if self.rule == "InBuildings":
            return gettext(
                "%(role)s of %(unit)s in building %(building)s",
                locale=locale,
                role=role,
                unit=self.unit_id,
                building=self.building,
            )
        return gettext("%(role)s of %(unit)s", locale=locale, role=role, unit=self.unit_id)


@attrs.frozen
class Recipient:
    """One party a notice goes to, the units it is reached through, and why."""

    party_id: str
    reasons: tuple[AudienceReason, ...]

    @property
    def unit_ids(self) -> tuple[str, ...]:
        """The units named by the reasons, sorted."""
        return tuple(sorted({r.unit_id for r in self.reasons if r.unit_id is not None}))

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'P1: owner of 3-0301 in building 3'``."""
        separator = pgettext("summary separator", "; ", locale=locale)
        return gettext(
            "%(party)s: %(reasons)s",
            locale=locale,
            party=self.party_id,
            reasons=separator.join(r.explain(locale) for r in self.reasons),
        )


@attrs.frozen
class Audience:
    """The recipients a rule picked on ``on``, sorted by party id."""

    rule: AudienceRule
    on: pendulum.Date
    recipients: tuple[Recipient, ...]

    @property
    def party_ids(self) -> tuple[str, ...]:
        """The recipients' ids."""
        return tuple(r.party_id for r in self.recipients)

    def __len__(self) -> int:
        return len(self.recipients)


def resolve_audience(
    rule: AudienceRule,
    book: PartyBook,
    on: datetime.date,
    *,
    segments: Mapping[str, SegmentHistory] | None = None,
    arrears: Mapping[str, Money] | None = None,
) -> Audience:
    """The recipients of ``rule`` on ``on``, from ``book`` and what the caller gives.

    ``segments``: each segment's history, by name, for :class:`InSegment`; ``arrears``: the
    amount each unit owes on the day, for :class:`InArrears`. A rule that needs one that was not
    given raises :class:`~propcrm.errors.InvalidAudience`, never an empty audience.
    """
    if not isinstance(rule, RULE_TYPES):
        raise InvalidAudience(
            f"rule must be an audience rule, got {type(rule).__name__} {rule!r}.",
            field="rule",
            value=rule,
            allowed="Everyone, InBuildings, Listed, InSegment, InArrears or AnyAudience",
        )
    check_instance(book, "book", PartyBook, error=InvalidAudience)
    day = as_date(on, "on")
    if segments is not None:
        check_instance(segments, "segments", Mapping, error=InvalidAudience)
        for history in segments.values():
            check_instance(history, "segments", SegmentHistory, error=InvalidAudience)
    if arrears is not None:
        check_instance(arrears, "arrears", Mapping, error=InvalidAudience)
        for owed in arrears.values():
            check_instance(owed, "arrears", Money, error=InvalidAudience)
    found: dict[str, list[AudienceReason]] = {}
    _collect(rule, book, day, segments, arrears, found)
    # Most people are reached for one reason; hashing a lone reason to drop duplicates cost a
    # third of a 20,000-unit audience.
    recipients = tuple(
        Recipient(party_id, _distinct(found[party_id])) for party_id in sorted(found)
    )
    return Audience(rule, day, recipients)


def _distinct(reasons: list[AudienceReason]) -> tuple[AudienceReason, ...]:
    return (reasons[0],) if len(reasons) == 1 else tuple(dict.fromkeys(reasons))


def _collect(
    rule: AudienceRule,
    book: PartyBook,
    day: pendulum.Date,
    segments: Mapping[str, SegmentHistory] | None,
    arrears: Mapping[str, Money] | None,
    found: dict[str, list[AudienceReason]],
) -> None:
    match rule:
        case AnyAudience(rules=rules):
            for inner in rules:
                _collect(inner, book, day, segments, arrears, found)
        case Everyone(community=community, roles=roles):
            for unit in book.units:
                if community is None or unit.community == community:
                    _unit_people(book, unit.unit_id, day, roles, "Everyone", None, found)
        case InBuildings(buildings=buildings, community=community, roles=roles):
            wanted = frozenset(buildings)
            for unit in book.units:
                if unit.building in wanted and (community is None or unit.community == community):
                    _unit_people(
                        book, unit.unit_id, day, roles, "InBuildings", unit.building, found
                    )
        case Listed(party_ids=party_ids):
            for party_id in party_ids:
                book.party(party_id)  # an unknown id is refused, never silently dropped
                found.setdefault(party_id, []).append(AudienceReason("Listed"))
        case InSegment(segment=segment):
            _segment_members(segment, day, segments, found)
        case InArrears(min_owed=min_owed):
            _payers_in_arrears(min_owed, book, day, arrears, found)


def _segment_members(
    segment: str,
    day: pendulum.Date,
    segments: Mapping[str, SegmentHistory] | None,
    found: dict[str, list[AudienceReason]],
) -> None:
    if segments is None or segment not in segments:
        raise InvalidAudience(
            f"the audience names segment {segment!r}; pass its history in "
            "segments={name: SegmentHistory}.",
            field="segments",
            value=None if segments is None else sorted(segments),
            allowed=f"a mapping holding {segment!r}",
        )
    for party_id in sorted(segments[segment].members_on(day)):
        reason = AudienceReason("InSegment", segment=segment)
        found.setdefault(party_id, []).append(reason)


def _payers_in_arrears(
    min_owed: Money,
    book: PartyBook,
    day: pendulum.Date,
    arrears: Mapping[str, Money] | None,
    found: dict[str, list[AudienceReason]],
) -> None:
    if arrears is None:
        raise InvalidAudience(
            "the audience is everyone in arrears; pass the amount each unit owes in "
            "arrears={unit_id: Money}.",
            field="arrears",
            value=None,
            allowed="a mapping of unit id to Money",
        )
    for unit_id in sorted(arrears):
        owed = arrears[unit_id]
        if owed.currency != min_owed.currency or owed < min_owed:
            continue
        payer = book.payer(unit_id, day)
        if payer is None:
            continue
        reason = AudienceReason("InArrears", unit_id=unit_id, owed=owed)
        found.setdefault(payer.party_id, []).append(reason)


def _unit_people(
    book: PartyBook,
    unit_id: str,
    day: pendulum.Date,
    roles: frozenset[RelationKind],
    rule: str,
    building: str | None,
    found: dict[str, list[AudienceReason]],
) -> None:
    # Filtering the kinds here rather than in relations_to saves checking the same roles again
    # for each of a community's units.
    for relation in book.relations_to(unit_id, day):
        if relation.kind not in roles:
            continue
        reason = AudienceReason(rule, unit_id=unit_id, role=relation.kind, building=building)
        found.setdefault(relation.party_id, []).append(reason)
