"""Hypothesis strategies for parties, units, relations and party books.

Every value drawn is valid: persons and organisations pass their checks (their identifiers come
from the personal-data strategies), units have consistent areas and facts, each relation is
well-formed on its own, and a :func:`party_books` book is grown only through the book's own
operations, so it keeps every rule (exclusive relations never overlap, shares never exceed
100 %, handed-over units stay fully owned). :func:`book_operations` draws the operations
themselves, valid or not, for property tests of the refusals.

Shrinking goes towards the first choice and the fewest items: a person with only a name, a
residential unit of 1-1-0101 not yet handed over, a sole owner, a book with no operations.

>>> from hypothesis import given, settings
>>> @settings(max_examples=10, database=None)
... @given(party_books())
... def test_books_keep_their_rules(book):
...     assert book.conflicts() == ()
>>> test_books_keep_their_rules()
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

import attrs
import pendulum
from hypothesis import strategies as st

from propcrm._property_types import PropertyType
from propcrm.errors import PropcrmError
from propcrm.parties._book import PartyBook
from propcrm.parties._parties import Gender, Organisation, OrganisationKind, Party, Person
from propcrm.parties._relations import (
    AgencyContact,
    CommitteeMember,
    CommitteePost,
    HouseholdRole,
    Merchant,
    Owner,
    Relation,
    RelationKind,
    Resident,
    Tenant,
    TenantRole,
    Visitor,
)
from propcrm.parties._units import Handover, Unit
from propcrm.testing._personal_data_strategies import (
    credit_codes,
    id_card_numbers,
    mobile_numbers,
    person_names,
    vehicle_plates,
)

__all__ = [
    "BookStep",
    "book_operations",
    "organisations",
    "parties",
    "party_books",
    "persons",
    "relations",
    "units",
]

_EPOCH = datetime.date(2026, 1, 1)
"""The first day the book strategies date anything (shrinks towards it)."""

_SHARE_SPLITS = (
    ("1",),
    ("0.6", "0.4"),
    ("0.5", "0.5"),
    ("0.5", "0.25", "0.25"),
)
"""How ownership is split in drawn sales: sole, 60/40, halves, a half and two quarters."""

_ORGANISATION_NAMES = {
    OrganisationKind.ENTERPRISE: "阳光科技有限公司",
    OrganisationKind.GOVERNMENT_AGENCY: "朝阳区住房和城乡建设委员会",
    OrganisationKind.OWNERS_COMMITTEE: "阳光花园业主委员会",
    OrganisationKind.RESIDENTS_COMMITTEE: "阳光社区居民委员会",
    OrganisationKind.PROPERTY_COMPANY: "阳光物业服务有限公司",
    OrganisationKind.MERCHANT: "阳光便利店",
}


def _party_id(prefix: str) -> st.SearchStrategy[str]:
    return st.integers(min_value=1, max_value=9999).map(lambda n: f"{prefix}{n:04d}")


def _day(start: datetime.date, max_days: int) -> st.SearchStrategy[pendulum.Date]:
    first = pendulum.Date(start.year, start.month, start.day)
    return st.integers(min_value=0, max_value=max_days).map(lambda n: first.add(days=n))


@st.composite
def persons(draw: st.DrawFn, *, party_id: str | None = None, details: bool = True) -> Person:
    """Persons with a name and, unless ``details`` is off, some of their other data.

    The other data: mobile, ID number, plates, gender and birth date; shrinks to a name only.
    """
    pid = party_id if party_id is not None else draw(_party_id("P"))
    optional = st.booleans() if details else st.just(False)
    return Person(
        party_id=pid,
        name=draw(person_names()),
        mobile=draw(mobile_numbers()) if draw(optional) else None,
        id_number=draw(id_card_numbers()) if draw(optional) else None,
        plates=tuple(draw(st.lists(vehicle_plates(), max_size=2, unique=True)))
        if draw(optional)
        else (),
        gender=draw(st.sampled_from(Gender)) if draw(optional) else None,
        birth_date=draw(st.dates(datetime.date(1930, 1, 1), datetime.date(2020, 12, 31)))
        if draw(optional)
        else None,
    )


@st.composite
def organisations(
    draw: st.DrawFn,
    *,
    party_id: str | None = None,
    kinds: Sequence[OrganisationKind] = tuple(OrganisationKind),
) -> Organisation:
    """Organisations of the given kinds (first to shrink to), with or without a credit code."""
    if not kinds:
        raise ValueError("kinds must not be empty")
    kind = draw(st.sampled_from(tuple(kinds)))
    return Organisation(
        party_id=party_id if party_id is not None else draw(_party_id("ORG")),
        kind=kind,
        name=_ORGANISATION_NAMES[kind],
        credit_code=draw(st.none() | credit_codes()),
    )


def parties() -> st.SearchStrategy[Party]:
    """Persons or organisations, shrinking to a person."""
    return st.one_of(persons(), organisations())


@st.composite
def units(
    draw: st.DrawFn,
    *,
    unit_id: str | None = None,
    property_types: Sequence[PropertyType] = tuple(PropertyType),
    handed_over: bool | None = None,
    handover_from: datetime.date = _EPOCH,
) -> Unit:
    """Units with ids like ``'1-2-0301'``, two-place areas (inner never above building area).

    ``handed_over``: ``True`` always records a handover (on a day from ``handover_from``),
    ``False`` never, ``None`` (default) either, shrinking to none.
    """
    if not property_types:
        raise ValueError("property_types must not be empty")
    building, entrance = draw(st.integers(1, 30)), draw(st.integers(1, 4))
    floor, room = draw(st.integers(1, 33)), draw(st.integers(1, 4))
    area = draw(st.integers(min_value=100, max_value=50_000))
    inner = draw(st.none() | st.integers(min_value=0, max_value=area))
    facts = []
    if draw(st.booleans() if handed_over is None else st.just(handed_over)):
        facts.append(Handover(draw(_day(handover_from, 365))))
    return Unit(
        unit_id=unit_id if unit_id is not None else f"{building}-{entrance}-{floor:02d}{room:02d}",
        community="SUNRISE",
        building=str(building),
        entrance=str(entrance),
        floor=floor,
        number=f"{floor:02d}{room:02d}",
        property_type=draw(st.sampled_from(tuple(property_types))),
        building_area=Decimal(area).scaleb(-2),
        inner_area=None if inner is None else Decimal(inner).scaleb(-2),
        facts=facts,
    )


@st.composite
def relations(
    draw: st.DrawFn,
    *,
    kinds: Sequence[RelationKind] = tuple(RelationKind),
    party_ids: Sequence[str] = ("P0001",),
    unit_ids: Sequence[str] = ("1-1-0101",),
    organisation_ids: Sequence[str] = ("ORG0001",),
    start: datetime.date = _EPOCH,
) -> Relation:
    """Single well-formed relations of the given kinds (the first to shrink to).

    Dates in order, shares in (0, 1], roles and posts of the right types. Whether a set of them
    keeps the book's rules is for :func:`party_books`.
    """
    if not kinds or not party_ids or not unit_ids or not organisation_ids:
        raise ValueError("kinds, party_ids, unit_ids and organisation_ids must not be empty")
    kind = draw(st.sampled_from(tuple(kinds)))
    relation_id = f"R{draw(st.integers(1, 999_999)):06d}"
    party_id = draw(st.sampled_from(tuple(party_ids)))
    first = draw(_day(start, 730))
    length = draw(st.none() | st.integers(min_value=1, max_value=730))
    until = None if length is None else first.add(days=length)
    unit_id = draw(st.sampled_from(tuple(unit_ids)))
    organisation_id = draw(st.sampled_from(tuple(organisation_ids)))
    if kind is RelationKind.OWNER:
        return Owner(
            relation_id=relation_id,
            party_id=party_id,
            start=first,
            until=until,
            unit_id=unit_id,
            share=draw(st.sampled_from(("1", "0.6", "0.5", "0.4", "0.25"))),
        )
    if kind is RelationKind.TENANT:
        return Tenant(
            relation_id=relation_id,
            party_id=party_id,
            start=first,
            planned_until=until,
            unit_id=unit_id,
            lease_id=f"L{draw(st.integers(1, 9999)):04d}",
            role=draw(st.sampled_from(TenantRole)),
            pays_fees=draw(st.booleans()),
        )
    if kind is RelationKind.RESIDENT:
        return Resident(
            relation_id=relation_id,
            party_id=party_id,
            start=first,
            until=until,
            unit_id=unit_id,
            role=draw(st.sampled_from(HouseholdRole)),
        )
    if kind is RelationKind.MERCHANT:
        return Merchant(
            relation_id=relation_id,
            party_id=party_id,
            start=first,
            until=until,
            unit_id=unit_id,
            shop_name="阳光便利店",
            business_licence=draw(st.none() | credit_codes()),
        )
    if kind is RelationKind.VISITOR:
        return Visitor(
            relation_id=relation_id,
            party_id=party_id,
            start=first,
            until=first.add(days=1),
            unit_id=unit_id,
        )
    if kind is RelationKind.AGENCY_CONTACT:
        return AgencyContact(
            relation_id=relation_id,
            party_id=party_id,
            start=first,
            until=until,
            organisation_id=organisation_id,
            post="联络员",
        )
    return CommitteeMember(
        relation_id=relation_id,
        party_id=party_id,
        start=first,
        planned_until=until,
        committee_id=organisation_id,
        post=draw(st.sampled_from(CommitteePost)),
        term="第一届",
    )


# -- operations and books ---------------------------------------------------------------------


@attrs.frozen
class BookStep:
    """One operation on a party book, as data: its name, the unit and the arguments.

    :meth:`apply` runs it; a refused operation raises the book's own error.
    """

    name: str
    unit_id: str
    on: pendulum.Date
    parties: tuple[str, ...] = ()
    shares: tuple[str, ...] = ()
    days: int = 0
    pick: int = 0

    def apply(self, book: PartyBook) -> PartyBook:
        """The book after this operation (or the book's refusal)."""
        if self.name == "sell":
            buyers = dict(zip(self.parties, self.shares, strict=True))
            return book.sell(self.unit_id, self.on, buyers)
        if self.name == "sell_share":
            owners = book.owners(self.unit_id, self.on)
            if not owners:
                return book.sell(self.unit_id, self.on, self.parties[0])
            seller = owners[self.pick % len(owners)]
            return book.sell(self.unit_id, self.on, self.parties[0], sellers=[seller.party_id])
        if self.name == "hand_over":
            return book.hand_over(self.unit_id, self.on)
        if self.name == "start_lease":
            lead, *others = self.parties
            return book.start_lease(
                self.unit_id,
                self.on,
                lead=lead,
                end=self.on.add(days=self.days) if self.days else None,
                co_tenants=others,
                paying_tenant=lead if self.pick % 2 else None,
            )
        if self.name == "end_lease":
            tenants = book.tenants(self.unit_id, self.on)
            lease = tenants[0].lease_id if tenants else "L-NONE"
            return book.end_lease(lease, self.on)
        if self.name == "move_in":
            head, *members = self.parties
            return book.move_in(self.unit_id, self.on, head=head, members=members)
        if self.name == "move_out":
            return book.move_out(self.unit_id, self.on)
        if self.name == "end_relation":
            current = book.relations_to(self.unit_id, self.on)
            if not current:
                return book
            return book.end_relation(current[self.pick % len(current)].relation_id, self.on)
        raise ValueError(f"unknown step {self.name}")


_STEP_NAMES = (
    "sell",
    "hand_over",
    "move_in",
    "start_lease",
    "sell_share",
    "end_lease",
    "move_out",
    "end_relation",
)


@st.composite
def book_operations(
    draw: st.DrawFn,
    *,
    party_ids: Sequence[str] = ("P0001", "P0002", "P0003", "P0004"),
    unit_ids: Sequence[str] = ("1-1-0101",),
    on: datetime.date = _EPOCH,
    max_days: int = 720,
) -> BookStep:
    """Operations on a book's units and parties, valid or not.

    Dated up to ``max_days`` after ``on``. Shrinks towards a sale to one party on the first day.
    """
    if len(party_ids) < 1 or not unit_ids:
        raise ValueError("party_ids and unit_ids must not be empty")
    name = draw(st.sampled_from(_STEP_NAMES))
    people = tuple(draw(st.permutations(tuple(party_ids))))
    shares: tuple[str, ...] = ()
    if name == "sell":
        split = draw(st.sampled_from(_SHARE_SPLITS))
        shares = split if len(split) <= len(people) else ("1",)
        chosen = people[: len(shares)]
    else:
        chosen = people[: draw(st.integers(1, min(3, len(people))))]
    return BookStep(
        name=name,
        unit_id=draw(st.sampled_from(tuple(unit_ids))),
        on=draw(_day(on, max_days)),
        parties=chosen,
        shares=shares,
        days=draw(st.integers(0, 400)),
        pick=draw(st.integers(0, 7)),
    )


@st.composite
def party_books(
    draw: st.DrawFn,
    *,
    max_parties: int = 5,
    max_units: int = 2,
    max_steps: int = 12,
) -> PartyBook:
    """Books grown from persons and units by up to ``max_steps`` of their own operations.

    Refused operations are skipped, so every book keeps all of its rules. Shrinks towards an
    empty history.
    """
    if max_parties < 1 or max_units < 1 or max_steps < 0:
        raise ValueError("max_parties and max_units must be at least 1, max_steps at least 0")
    count = draw(st.integers(1, max_parties))
    people = [draw(persons(party_id=f"P{n:04d}", details=False)) for n in range(1, count + 1)]
    flats = [
        draw(units(unit_id=f"1-1-{n:02d}01", handed_over=False))
        for n in range(1, draw(st.integers(1, max_units)) + 1)
    ]
    book = PartyBook(parties=people, units=flats)
    ids = [p.party_id for p in people]
    # Most units of a real book are sold and handed over before anything else happens to them.
    opening = pendulum.Date(_EPOCH.year, _EPOCH.month, _EPOCH.day)
    for flat in flats:
        if draw(st.booleans()):
            continue
        split = draw(st.sampled_from(_SHARE_SPLITS))
        split = split if len(split) <= len(ids) else ("1",)
        owners = draw(st.permutations(ids))[: len(split)]
        book = book.sell(flat.unit_id, opening, dict(zip(owners, split, strict=True)))
        book = book.hand_over(flat.unit_id, opening.add(days=draw(st.integers(0, 59))))
    steps = draw(
        st.lists(
            book_operations(
                party_ids=ids, unit_ids=[u.unit_id for u in flats], on=opening.add(days=60)
            ),
            max_size=max_steps,
        )
    )
    for step in sorted(steps, key=lambda s: s.on):
        try:
            book = step.apply(book)
        except PropcrmError:
            continue
    return book
