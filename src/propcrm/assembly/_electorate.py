"""Who may vote, and with how much area: the owners of a community as of the meeting date.

:func:`electorate` reads the :class:`~propcrm.parties.PartyBook`: for every unit of the community,
its owners on the meeting date and their shares. An owner's area is the sum, over the units they
own that day, of their share of the unit's exclusive area (a co-owner with 60 % of a 100 ㎡ flat
votes with 60 ㎡). An owner counts **once by head**, however many units or shares they hold (the
brief; the Supreme People's Court's interpretation 法释〔2009〕7号 art. 9 counts a buyer of several
units as one). Co-owners of one unit are each an owner and each a head, as the register names
them. Units nobody owns that day are listed apart (``unowned``): their area is no owner's and is
left out of the totals, so the explanation can show it.

>>> import pendulum
>>> from propcrm.parties import Owner, PartyBook, Person, Unit
>>> from propcrm.personal_data import PersonName
>>> from propcrm._property_types import PropertyType
>>> def flat(n, area):
...     return Unit(
...         unit_id=n,
...         community="SUNRISE",
...         building="1",
...         floor=1,
...         number=n,
...         property_type=PropertyType.RESIDENTIAL,
...         building_area=area,
...     )
>>> since = pendulum.date(2020, 1, 1)
>>> book = PartyBook(
...     parties=[Person(party_id=p, name=PersonName("王伟")) for p in ("P1", "P2")],
...     units=[flat("0101", "100"), flat("0102", "80")],
...     relations=[
...         Owner(relation_id="R1", party_id="P1", unit_id="0101", start=since, share="0.6"),
...         Owner(relation_id="R2", party_id="P2", unit_id="0101", start=since, share="0.4"),
...         Owner(relation_id="R3", party_id="P1", unit_id="0102", start=since),
...     ],
... )
>>> voters = electorate(book, "SUNRISE", pendulum.date(2026, 6, 20))
>>> [(e.party_id, str(e.area), e.units) for e in voters.electors]
[('P1', '140.0', ('0101', '0102')), ('P2', '40.0', ('0101',))]
>>> str(voters.total_area), voters.total_heads
('180.0', 2)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

import attrs
import pendulum

from propcrm._validators import (
    check_instance,
    check_items,
    check_record_id,
    check_unique,
    instance_of,
)
from propcrm.assembly._policy import DEFAULT_ASSEMBLY_POLICY, AssemblyPolicy, ExclusiveArea
from propcrm.errors import InvalidMeeting
from propcrm.parties import Owner, PartyBook, RelationKind
from propcrm.time import as_date

__all__ = ["Elector", "Electorate", "electorate"]


def _area(value: object) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise InvalidMeeting(
            f"area {value!r} must be a finite Decimal of 0 ㎡ or more.",
            field="area",
            value=value,
            allowed="a Decimal >= 0",
        )
    return value


def _unit_ids(value: Iterable[str]) -> tuple[str, ...]:
    ids: tuple[str, ...] = check_items(value, "units", str, error=InvalidMeeting)
    for unit_id in ids:
        check_record_id(unit_id, "unit id", InvalidMeeting, field="units")
    return ids


def _party_id(_instance: object, _attribute: object, value: str) -> None:
    check_record_id(value, "party id", InvalidMeeting)


@attrs.frozen
class Elector:
    """One owner in a vote: the units held on the meeting date and the exclusive area they give."""

    party_id: str = attrs.field(validator=_party_id)
    area: Decimal = attrs.field(converter=_area)
    units: tuple[str, ...] = attrs.field(converter=_unit_ids)


def _electors(value: Iterable[Elector]) -> tuple[Elector, ...]:
    electors: tuple[Elector, ...] = check_items(value, "electors", Elector, error=InvalidMeeting)
    check_unique((e.party_id for e in electors), "electors", InvalidMeeting, what="party id")
    return electors


def _as_of(value: object) -> pendulum.Date:
    return as_date(value, "as_of")


def _community(_instance: object, _attribute: object, value: str) -> None:
    check_record_id(value, "community", InvalidMeeting)


@attrs.frozen
class Electorate:
    """The owners who may vote in one community on ``as_of``, each once, with their area.

    ``unowned`` lists the units of the community that nobody owned that day (left out of the
    totals). Build it with :func:`electorate`, or from stored values.
    """

    community: str = attrs.field(validator=_community)
    as_of: pendulum.Date = attrs.field(converter=_as_of)
    electors: tuple[Elector, ...] = attrs.field(converter=_electors)
    unowned: tuple[str, ...] = attrs.field(default=(), converter=_unit_ids)
    area_basis: ExclusiveArea = attrs.field(
        default=ExclusiveArea.BUILDING, validator=instance_of(ExclusiveArea)
    )

    @property
    def total_area(self) -> Decimal:
        """The exclusive area of every owned unit: the whole the quorum is measured against."""
        return sum((e.area for e in self.electors), Decimal(0))

    @property
    def total_heads(self) -> int:
        """The number of owners, each counted once."""
        return len(self.electors)


def electorate(
    book: PartyBook,
    community: str,
    on: datetime.date,
    *,
    policy: AssemblyPolicy = DEFAULT_ASSEMBLY_POLICY,
) -> Electorate:
    """The owners of ``community``'s units on ``on`` (the meeting date), from ``book``.

    Areas are exact: each owner's share times the unit's area under ``policy.area_basis``; a
    unit without an inner area under :attr:`ExclusiveArea.INNER` is refused
    (:class:`~propcrm.errors.InvalidMeeting`) rather than counted as nothing.
    """
    check_instance(book, "book", PartyBook, error=InvalidMeeting)
    check_record_id(community, "community", InvalidMeeting)
    day = as_date(on, "on")
    check_instance(policy, "policy", AssemblyPolicy, error=InvalidMeeting)
    inner = policy.area_basis is ExclusiveArea.INNER
    areas: dict[str, Decimal] = {}
    units: dict[str, list[str]] = {}
    unowned: list[str] = []
    owner_kind = (RelationKind.OWNER,)
    for unit in book.units:
        if unit.community != community:
            continue
        area = unit.inner_area if inner else unit.building_area
        if area is None:
            raise InvalidMeeting(
                f"unit {unit.unit_id} has no inner area, and the policy counts inner areas.",
                field="inner_area",
                value=None,
                allowed="a unit with an inner area, or ExclusiveArea.BUILDING",
                unit_id=unit.unit_id,
            )
        owners = book.relations_to(unit.unit_id, day, owner_kind)
        if not owners:
            unowned.append(unit.unit_id)
            continue
        for owner in owners:
            share = owner.share if isinstance(owner, Owner) else Decimal(0)
            party = owner.party_id
            areas[party] = areas.get(party, Decimal(0)) + share * area
            units.setdefault(party, []).append(unit.unit_id)
    return Electorate(
        community,
        day,
        tuple(Elector(party, areas[party], tuple(sorted(units[party]))) for party in sorted(areas)),
        tuple(sorted(unowned)),
        policy.area_basis,
    )
