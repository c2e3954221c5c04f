"""PartyBook.with_records: a bulk import's records added, checked where they touch the book.

It must give the book, or the refusal, that building the whole book again would: the tests
build both from the same records and compare.
"""

from __future__ import annotations

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from propcrm.errors import DuplicateRecord, PropcrmError, UnknownRecord
from propcrm.parties import Owner, PartyBook, Person
from propcrm.personal_data import PersonName
from propcrm.testing.strategies import party_books, persons, relations, units


def _whole(book: PartyBook, parties: list, units: list, relations: list) -> PartyBook:
    return PartyBook(
        [*book.parties, *parties],
        [*book.units, *units],
        [*book.relations, *relations],
        policy=book.policy,
        journal=book.journal,
    )


def _outcome(build: object) -> object:
    try:
        return build()  # type: ignore[operator]
    except PropcrmError as error:
        return (type(error), str(error))


@st.composite
def _additions(draw: st.DrawFn) -> tuple[PartyBook, list, list, list]:
    book = draw(party_books(max_parties=4, max_units=2, max_steps=6))
    party_ids = [p.party_id for p in book.parties]
    new_people = [
        draw(persons(party_id=f"Q{n:04d}", details=False)) for n in range(draw(st.integers(0, 2)))
    ]
    # Sometimes an id the book holds, to be refused as the whole book refuses it.
    if draw(st.booleans()) and party_ids:
        new_people.append(draw(persons(party_id=draw(st.sampled_from(party_ids)), details=False)))
    new_units = [
        draw(units(unit_id=f"2-1-{n:02d}01")) for n in range(1, draw(st.integers(0, 2)) + 1)
    ]
    unit_ids = [u.unit_id for u in (*book.units, *new_units)]
    named = party_ids + [p.party_id for p in new_people] + ["NOBODY"]
    new_relations = draw(
        st.lists(
            relations(party_ids=named, unit_ids=[*unit_ids, "9-9-9901"]),
            max_size=3,
            unique_by=lambda r: r.relation_id,
        )
    )
    return book, new_people, new_units, new_relations


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(case=_additions())
def test_records_added_give_the_book_or_the_refusal_of_a_whole_rebuild(
    case: tuple[PartyBook, list, list, list],
) -> None:
    book, parties, added_units, added_relations = case
    grown = _outcome(lambda: book.with_records(parties, added_units, added_relations))
    whole = _outcome(lambda: _whole(book, parties, added_units, added_relations))
    assert grown == whole
    if isinstance(grown, PartyBook):
        assert grown.journal == book.journal
        # The indexes answer as a rebuilt book's do, in the same order.
        for unit in grown.units:
            assert grown.relations_to(unit.unit_id) == whole.relations_to(unit.unit_id)  # type: ignore[union-attr]
        for party in grown.parties:
            assert grown.relations_of(party.party_id) == whole.relations_of(party.party_id)  # type: ignore[union-attr]


def test_an_id_taken_or_an_unknown_unit_is_refused_and_the_book_is_left_as_it_was() -> None:
    book = PartyBook([Person(party_id="P1", name=PersonName("张三"))])
    with pytest.raises(DuplicateRecord, match="party id P1 is used twice"):
        book.with_records([Person(party_id="P1", name=PersonName("李四"))])
    owner = Owner(
        relation_id="R1",
        party_id="P2",
        start=pendulum.date(2026, 1, 1),
        unit_id="1-1-0101",
        share="1",
    )
    with pytest.raises(UnknownRecord, match="names unit 1-1-0101"):
        book.with_records([Person(party_id="P2", name=PersonName("李四"))], relations=[owner])
    grown = book.with_records([Person(party_id="P2", name=PersonName("李四"))])
    assert [p.party_id for p in grown.parties] == ["P1", "P2"]
    assert [p.party_id for p in book.parties] == ["P1"]


def test_a_unit_without_relations_is_checked_only_once_handed_over() -> None:
    """The checks skip a unit nobody is related to, unless it was handed over (then unowned)."""
    from propcrm._property_types import PropertyType
    from propcrm.errors import OwnershipGap
    from propcrm.parties import Handover, Unit

    plain = Unit(
        unit_id="1-1-0101",
        community="SUNRISE",
        building="1",
        floor=1,
        number="0101",
        property_type=PropertyType.RESIDENTIAL,
        building_area="89.37",
    )
    handed = plain.with_fact(Handover(on=pendulum.date(2026, 3, 1)))
    assert PartyBook(units=[plain]).with_records(units=[]).units == (plain,)
    with pytest.raises(OwnershipGap):
        PartyBook(units=[handed])
    with pytest.raises(OwnershipGap):
        PartyBook(units=[plain]).with_records(units=[attrs.evolve(handed, unit_id="1-1-0102")])


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(book=party_books(max_steps=12), data=st.data())
def test_payer_spans_name_each_days_payer(book: PartyBook, data: st.DataObject) -> None:
    """The spans read the unit's owners and tenants once: each day's payer as payer() says."""
    from propcrm.parties import RelationKind
    from propcrm.parties._payers import spans_of

    first = pendulum.date(2025, 12, 1).add(days=data.draw(st.integers(0, 200)))
    until = data.draw(st.none() | st.integers(1, 300).map(lambda n: first.add(days=n)))
    for unit in book.units:
        spans = book.payer_spans(unit.unit_id, first, until)
        kinds = (RelationKind.OWNER, RelationKind.TENANT)
        changes = [
            d for r in book.relations_to(unit.unit_id, kinds=kinds) for d in (r.start, r.end) if d
        ]
        reference = spans_of(
            unit.unit_id, first, until, changes, lambda day, u=unit.unit_id: book.payer(u, day)
        )
        assert spans == reference
        day = first.add(days=data.draw(st.integers(0, 299)))
        if until is None or day < until:
            payer = book.payer(unit.unit_id, day)
            covering = [s for s in spans if s.start <= day and (s.until is None or day < s.until)]
            assert [s.party_id for s in covering] == ([] if payer is None else [payer.party_id])
