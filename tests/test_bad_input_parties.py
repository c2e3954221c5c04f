"""Bad input to every public entry point of ``propcrm.parties`` is refused with context (issue 18).

Each table maps an entry point and argument to a call that puts the malformed value there and
valid values everywhere else; the tests feed it the values of ``tests/bad_input.py`` that its
kind of argument allows, and :func:`assert_refused` checks that only a library error with
context comes out.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.bad_input import (
    assert_refused,
    bad_amounts,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_instants,
    bad_locales,
    bad_text,
    wrong_types,
)

from propcrm._property_types import PropertyType
from propcrm.errors import DuplicateRecord, InvalidRelation, InvalidType
from propcrm.parties import (
    AgencyContact,
    CommitteeMember,
    ConflictKind,
    Decoration,
    DecorationPermit,
    ErasureMark,
    ExclusivityRule,
    FieldSource,
    Handover,
    Merchant,
    Occupancy,
    Organisation,
    OrganisationKind,
    Owner,
    PartyBook,
    PartyBookPolicy,
    Person,
    RelationKind,
    Resident,
    Sale,
    Tenant,
    Unit,
    Visitor,
    apply_merge,
    erase_person,
    export_person,
    find_duplicates,
    plan_merge,
)
from propcrm.personal_data import MobileNumber, PersonName

D = pendulum.date
AT = pendulum.datetime(2026, 11, 24, 9, tz="Asia/Shanghai")
FLAT = "1-2-0301"
KEY = b"a-secret-key-of-the-community"

# Values that are never a date, including None (for the arguments where None is no default).
some_dates = bad_dates.filter(lambda v: v is not None)
# Ids, text and collections where "" or None may mean something: only the wrong types.
not_text = st.sampled_from([7, True, 1.5, b"P1", [], object()])
not_collections = st.sampled_from(["P1", b"P1", 7, True, None, 1.5, object()])


def unit(**changes: object) -> Unit:
    fields: dict[str, object] = {
        "unit_id": FLAT,
        "community": "SUNRISE",
        "building": "1",
        "entrance": "2",
        "floor": 3,
        "number": "0301",
        "property_type": PropertyType.RESIDENTIAL,
        "building_area": "89.37",
    }
    return Unit(**{**fields, **changes})


def person(party_id: str = "P1", **changes: object) -> Person:
    return Person(**{"party_id": party_id, "name": PersonName("张三丰"), **changes})


def book() -> PartyBook:
    """P1 owns the handed-over flat and lives there; P2 and P3 are known; lease L1 to P2."""
    return (
        PartyBook(
            parties=[person("P1"), person("P2"), person("P3", mobile=MobileNumber("13812345678"))],
            units=[unit()],
        )
        .sell(FLAT, D(2025, 6, 1), buyers="P1")
        .hand_over(FLAT, D(2026, 3, 1))
        .move_in(FLAT, D(2026, 3, 10), head="P1")
        .start_lease(FLAT, D(2026, 4, 1), lead="P2", lease_id="L1")
    )


BOOK = book()


def relation_fields(**changes: object) -> dict[str, object]:
    return {"relation_id": "R9", "party_id": "P2", "start": D(2026, 5, 1), **changes}


# -- ids ------------------------------------------------------------------------------------

ID_CALLS: dict[str, Callable[[object], object]] = {
    "Person.party_id": person,
    "Person.merged_into": lambda v: person(merged_into=v) if v is not None else 1 / 0,
    "Organisation.party_id": lambda v: Organisation(
        party_id=v,
        kind=OrganisationKind.ENTERPRISE,
        name="阳光",
    ),
    "Unit.unit_id": lambda v: unit(unit_id=v),
    "Unit.community": lambda v: unit(community=v),
    "Owner.relation_id": lambda v: Owner(**relation_fields(relation_id=v, unit_id=FLAT)),
    "Owner.party_id": lambda v: Owner(**relation_fields(party_id=v, unit_id=FLAT)),
    "Owner.unit_id": lambda v: Owner(**relation_fields(unit_id=v)),
    "Tenant.lease_id": lambda v: Tenant(**relation_fields(unit_id=FLAT, lease_id=v)),
    "Resident.unit_id": lambda v: Resident(**relation_fields(unit_id=v)),
    "Merchant.unit_id": lambda v: Merchant(**relation_fields(unit_id=v, shop_name="店")),
    "Visitor.unit_id": lambda v: Visitor(**relation_fields(unit_id=v)),
    "AgencyContact.organisation_id": lambda v: AgencyContact(
        **relation_fields(organisation_id=v, post="联络员")
    ),
    "CommitteeMember.committee_id": lambda v: CommitteeMember(
        **relation_fields(committee_id=v, term="第一届")
    ),
    "PartyBook.party": BOOK.party,
    "PartyBook.person": BOOK.person,
    "PartyBook.unit": BOOK.unit,
    "PartyBook.relation": BOOK.relation,
    "PartyBook.resolve": BOOK.resolve,
    "PartyBook.lease": BOOK.lease,
    "PartyBook.history": BOOK.history,
    "PartyBook.relations_to": BOOK.relations_to,
    "PartyBook.relations_of": BOOK.relations_of,
    "PartyBook.owners": lambda v: BOOK.owners(v, D(2026, 5, 1)),
    "PartyBook.tenants": lambda v: BOOK.tenants(v, D(2026, 5, 1)),
    "PartyBook.residents": lambda v: BOOK.residents(v, D(2026, 5, 1)),
    "PartyBook.merchants": lambda v: BOOK.merchants(v, D(2026, 5, 1)),
    "PartyBook.occupants": lambda v: BOOK.occupants(v, D(2026, 5, 1)),
    "PartyBook.units_of": lambda v: BOOK.units_of(v, D(2026, 5, 1)),
    "PartyBook.unit_status": lambda v: BOOK.unit_status(v, D(2026, 5, 1)),
    "PartyBook.payer": lambda v: BOOK.payer(v, D(2026, 5, 1)),
    "PartyBook.payer_spans": lambda v: BOOK.payer_spans(v, D(2026, 5, 1), None),
    "PartyBook.snapshot": lambda v: BOOK.snapshot(v, D(2026, 5, 1)),
    "PartyBook.end_relation": lambda v: BOOK.end_relation(v, D(2026, 6, 1)),
    "PartyBook.record_fact": lambda v: BOOK.record_fact(v, Occupancy(D(2026, 3, 10))),
    "PartyBook.hand_over": lambda v: BOOK.hand_over(v, D(2026, 3, 1)),
    "PartyBook.sell.unit_id": lambda v: BOOK.sell(v, D(2026, 6, 1), buyers="P3"),
    "PartyBook.sell.buyers": lambda v: BOOK.sell(FLAT, D(2026, 6, 1), buyers=v),
    "PartyBook.sell.payer": lambda v: (
        BOOK.sell(FLAT, D(2026, 6, 1), buyers="P3", payer=v) if v is not None else 1 / 0
    ),
    "PartyBook.move_in.unit_id": lambda v: BOOK.move_in(v, D(2026, 6, 1), head="P3"),
    "PartyBook.move_in.head": lambda v: (
        BOOK.move_in(FLAT, D(2026, 6, 1), head=v) if v is not None else 1 / 0
    ),
    "PartyBook.move_out": lambda v: BOOK.move_out(v, D(2026, 6, 1)),
    "PartyBook.start_lease.unit_id": lambda v: BOOK.start_lease(v, D(2027, 6, 1), lead="P3"),
    "PartyBook.start_lease.lead": lambda v: BOOK.start_lease(FLAT, D(2027, 6, 1), lead=v),
    "PartyBook.start_lease.lease_id": lambda v: (
        BOOK.start_lease(
            FLAT,
            D(2027, 6, 1),
            lead="P3",
            lease_id=v,
        )
        if v is not None
        else 1 / 0
    ),
    "PartyBook.start_lease.paying_tenant": lambda v: (
        BOOK.start_lease(
            FLAT,
            D(2027, 6, 1),
            lead="P3",
            paying_tenant=v,
        )
        if v is not None
        else 1 / 0
    ),
    "PartyBook.end_lease": lambda v: BOOK.end_lease(v, D(2026, 6, 1)),
    "plan_merge.survivor": lambda v: plan_merge(BOOK, v, "P3"),
    "plan_merge.duplicate": lambda v: plan_merge(BOOK, "P3", v),
    "export_person": lambda v: export_person(BOOK, v, at=AT),
    "erase_person": lambda v: erase_person(BOOK, v, at=AT, reference="req 1"),
}


def refused_unless_allowed(call: Callable[[object], object], bad: object) -> None:
    """``call(bad)`` is refused with context, unless the table marks ``bad`` as allowed there.

    A few arguments take a value the strategies hold as "not given" (None for an optional id,
    an empty collection); their calls above divide by zero for it instead of calling.
    """
    try:
        call(bad)
    except ZeroDivisionError:
        return
    except Exception:  # the refusal itself is checked below
        pass
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize("call", ID_CALLS.values(), ids=ID_CALLS.keys())
@given(bad=bad_ids)
@settings(max_examples=12)
def test_bad_ids_are_refused(call: Callable[[object], object], bad: object) -> None:
    refused_unless_allowed(call, bad)


# -- dates ----------------------------------------------------------------------------------

DATE_CALLS: dict[str, Callable[[object], object]] = {
    "Person.birth_date": lambda v: person(birth_date=v),
    "DecorationPermit.issued_on": lambda v: DecorationPermit("ZX-1", v),
    "Sale.on": Sale,
    "Handover.on": Handover,
    "Occupancy.start": Occupancy,
    "Occupancy.until": lambda v: Occupancy(D(2026, 1, 1), v),
    "Occupancy.covers": lambda v: Occupancy(D(2026, 1, 1)).covers(v),
    "Decoration.start": lambda v: Decoration(
        v, D(2026, 6, 1), DecorationPermit("Z", D(2026, 1, 1))
    ),
    "Decoration.until": lambda v: Decoration(
        D(2026, 5, 1), v, DecorationPermit("Z", D(2026, 1, 1))
    ),
    "Decoration.covers": lambda v: Decoration(
        D(2026, 5, 1), D(2026, 6, 1), DecorationPermit("Z", D(2026, 1, 1))
    ).covers(v),
    "Unit.status": lambda v: unit().status(v),
    "Unit.occupied_on": lambda v: unit().occupied_on(v),
    "Unit.end_occupancy": lambda v: BOOK.unit(FLAT).end_occupancy(v),
    "Owner.start": lambda v: Owner(**relation_fields(start=v, unit_id=FLAT)),
    "Owner.until": lambda v: Owner(**relation_fields(until=v, unit_id=FLAT)),
    "Tenant.planned_until": lambda v: Tenant(
        **relation_fields(planned_until=v, unit_id=FLAT, lease_id="L9")
    ),
    "Relation.covers": BOOK.relations[0].covers,
    "Relation.in_force_between": lambda v: BOOK.relations[0].in_force_between(v, None),
    "Relation.ended": BOOK.relations[0].ended,
    "PartyBook.relations_to": lambda v: BOOK.relations_to(FLAT, v),
    "PartyBook.relations_of": lambda v: BOOK.relations_of("P1", v),
    "PartyBook.owners": lambda v: BOOK.owners(FLAT, v),
    "PartyBook.tenants": lambda v: BOOK.tenants(FLAT, v),
    "PartyBook.residents": lambda v: BOOK.residents(FLAT, v),
    "PartyBook.merchants": lambda v: BOOK.merchants(FLAT, v),
    "PartyBook.occupants": lambda v: BOOK.occupants(FLAT, v),
    "PartyBook.units_of": lambda v: BOOK.units_of("P1", v),
    "PartyBook.unit_status": lambda v: BOOK.unit_status(FLAT, v),
    "PartyBook.payer": lambda v: BOOK.payer(FLAT, v),
    "PartyBook.payer_spans.first": lambda v: BOOK.payer_spans(FLAT, v, None),
    "PartyBook.payer_spans.until": lambda v: BOOK.payer_spans(FLAT, D(2026, 1, 1), v),
    "PartyBook.snapshot": lambda v: BOOK.snapshot(FLAT, v),
    "PartyBook.end_relation": lambda v: BOOK.end_relation(BOOK.relations[0].relation_id, v),
    "PartyBook.hand_over": lambda v: BOOK.hand_over(FLAT, v),
    "PartyBook.sell": lambda v: BOOK.sell(FLAT, v, buyers="P3"),
    "PartyBook.move_in": lambda v: BOOK.move_in(FLAT, v, head="P3"),
    "PartyBook.move_out": lambda v: BOOK.move_out(FLAT, v),
    "PartyBook.start_lease.start": lambda v: BOOK.start_lease(FLAT, v, lead="P3"),
    "PartyBook.start_lease.end": lambda v: BOOK.start_lease(FLAT, D(2027, 6, 1), lead="P3", end=v),
    "PartyBook.end_lease": lambda v: BOOK.end_lease("L1", v),
}
OPTIONAL_DATES = {
    "Person.birth_date",
    "Occupancy.until",
    "Owner.until",
    "Tenant.planned_until",
    "Relation.in_force_between",
    "PartyBook.relations_to",
    "PartyBook.relations_of",
    "PartyBook.payer_spans.until",
    "PartyBook.start_lease.end",
}


@pytest.mark.parametrize("name", DATE_CALLS)
@given(bad=bad_dates)
@settings(max_examples=10)
def test_bad_dates_are_refused(name: str, bad: object) -> None:
    if bad is None and name in OPTIONAL_DATES:
        return  # None is "no date" there
    assert_refused(lambda: DATE_CALLS[name](bad))


# -- instants -------------------------------------------------------------------------------

INSTANT_CALLS: dict[str, Callable[[object], object]] = {
    "ErasureMark.at": lambda v: ErasureMark(v, "req 1"),
    "apply_merge.at": lambda v: apply_merge(
        BOOK, plan_merge(BOOK, "P1", "P3"), at=v, reference="t"
    ),
    "export_person.at": lambda v: export_person(BOOK, "P1", at=v),
    "erase_person.at": lambda v: erase_person(BOOK, "P1", at=v, reference="req 1"),
}


@pytest.mark.parametrize("call", INSTANT_CALLS.values(), ids=INSTANT_CALLS.keys())
@given(bad=bad_instants)
@settings(max_examples=8)
def test_bad_instants_are_refused(call: Callable[[object], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


# -- numbers: shares, areas, floors ------------------------------------------------------------

AMOUNT_CALLS: dict[str, Callable[[object], object]] = {
    "Owner.share": lambda v: Owner(**relation_fields(unit_id=FLAT, share=v)),
    "PartyBook.sell.buyers": lambda v: BOOK.sell(FLAT, D(2026, 6, 1), buyers={"P3": v}),
    "Unit.building_area": lambda v: unit(building_area=v),
    "Unit.inner_area": lambda v: unit(inner_area=v) if v is not None else 1 / 0,
}


@pytest.mark.parametrize("name", AMOUNT_CALLS)
@given(bad=bad_amounts)
@settings(max_examples=30)
def test_bad_shares_and_areas_are_refused(name: str, bad: object) -> None:
    refused_unless_allowed(AMOUNT_CALLS[name], bad)


@given(bad=bad_counts.filter(lambda v: v != -1))  # -1 is a floor: the first below ground
@settings(max_examples=10)
def test_bad_floors_are_refused(bad: object) -> None:
    assert_refused(lambda: unit(floor=bad))


# -- text -----------------------------------------------------------------------------------

TEXT_CALLS: dict[str, Callable[[object], object]] = {
    "Organisation.name": lambda v: Organisation(
        party_id="O1",
        kind=OrganisationKind.ENTERPRISE,
        name=v,
    ),
    "ErasureMark.reference": lambda v: ErasureMark(AT, v),
    "Unit.building": lambda v: unit(building=v),
    "Unit.number": lambda v: unit(number=v),
    "Unit.entrance": lambda v: unit(entrance=v) if v is not None else 1 / 0,
    "DecorationPermit.number": lambda v: DecorationPermit(v, D(2026, 1, 1)),
    "Merchant.shop_name": lambda v: Merchant(**relation_fields(unit_id=FLAT, shop_name=v)),
    "AgencyContact.post": lambda v: AgencyContact(**relation_fields(organisation_id="O1", post=v)),
    "CommitteeMember.term": lambda v: CommitteeMember(**relation_fields(committee_id="O1", term=v)),
    "ExclusivityRule.name": lambda v: ExclusivityRule(v, bool, id),
    "apply_merge.reference": lambda v: apply_merge(
        BOOK, plan_merge(BOOK, "P1", "P3"), at=AT, reference=v
    ),
    "erase_person.reference": lambda v: erase_person(BOOK, "P1", at=AT, reference=v),
}


@pytest.mark.parametrize("name", TEXT_CALLS)
@given(bad=bad_text)
@settings(max_examples=10)
def test_bad_text_is_refused(name: str, bad: object) -> None:
    refused_unless_allowed(TEXT_CALLS[name], bad)


# References of journal entries may be empty (none given), but they are text.
REFERENCE_CALLS: dict[str, Callable[[object], object]] = {
    "add_relation": lambda v: BOOK.add_relation(
        Owner(**relation_fields(party_id="P3", unit_id="X")),
        v,
    ),
    "end_relation": lambda v: BOOK.end_relation(BOOK.relations[0].relation_id, D(2026, 6, 1), v),
    "record_fact": lambda v: BOOK.record_fact(FLAT, Occupancy(D(2026, 3, 10)), v),
    "hand_over": lambda v: BOOK.hand_over(FLAT, D(2026, 3, 1), v),
    "sell": lambda v: BOOK.sell(FLAT, D(2026, 6, 1), buyers="P3", reference=v),
    "move_in": lambda v: BOOK.move_in(FLAT, D(2026, 6, 1), head="P3", reference=v),
    "move_out": lambda v: BOOK.move_out(FLAT, D(2026, 6, 1), reference=v),
    "start_lease": lambda v: BOOK.start_lease(FLAT, D(2027, 6, 1), lead="P3", reference=v),
    "end_lease": lambda v: BOOK.end_lease("L1", D(2026, 6, 1), reference=v),
    "Sale.reference": lambda v: Sale(D(2026, 1, 1), v),
    "Handover.reference": lambda v: Handover(D(2026, 1, 1), v),
}


@pytest.mark.parametrize("call", REFERENCE_CALLS.values(), ids=REFERENCE_CALLS.keys())
@given(bad=not_text)
@settings(max_examples=6)
def test_references_that_are_not_text_are_refused(
    call: Callable[[object], object], bad: object
) -> None:
    assert_refused(lambda: call(bad))


# -- wrong types: records, enums, flags, policies ----------------------------------------------

TYPE_CALLS: dict[str, Callable[[object], object]] = {
    "Person.name": lambda v: person(name=v) if v is not None else 1 / 0,
    "Person.mobile": lambda v: person(mobile=v) if v is not None else 1 / 0,
    "Person.id_number": lambda v: person(id_number=v) if v is not None else 1 / 0,
    "Person.gender": lambda v: person(gender=v) if v is not None else 1 / 0,
    "Person.erased": lambda v: person(erased=v) if v is not None else 1 / 0,
    "Person.plates": lambda v: person(plates=v) if v not in ([], ()) else 1 / 0,
    "Organisation.kind": lambda v: Organisation(party_id="O1", kind=v, name="阳光"),
    "Organisation.credit_code": lambda v: (
        Organisation(
            party_id="O1",
            kind=OrganisationKind.ENTERPRISE,
            name="阳光",
            credit_code=v,
        )
        if v is not None
        else 1 / 0
    ),
    "Unit.property_type": lambda v: unit(property_type=v),
    "Unit.facts": lambda v: unit(facts=v) if v not in ([], ()) else 1 / 0,
    "Unit.with_fact": lambda v: unit().with_fact(v),
    "DecorationPermit.hot_work": lambda v: (
        DecorationPermit("Z", D(2026, 1, 1), v) if not isinstance(v, bool) else 1 / 0
    ),
    "Decoration.permit": lambda v: Decoration(D(2026, 5, 1), D(2026, 6, 1), v),
    "Owner.pays_fees": lambda v: (
        Owner(**relation_fields(unit_id=FLAT, pays_fees=v)) if not isinstance(v, bool) else 1 / 0
    ),
    "Tenant.role": lambda v: Tenant(**relation_fields(unit_id=FLAT, lease_id="L", role=v)),
    "Resident.role": lambda v: Resident(**relation_fields(unit_id=FLAT, role=v)),
    "Resident.relationship": lambda v: Resident(**relation_fields(unit_id=FLAT, relationship=v)),
    "CommitteeMember.post": lambda v: CommitteeMember(
        **relation_fields(committee_id="O1", term="1", post=v)
    ),
    "Relation.overlaps": BOOK.relations[0].overlaps,
    "ExclusivityRule.applies": lambda v: ExclusivityRule("r", v, id),
    "ExclusivityRule.key": lambda v: ExclusivityRule("r", bool, v),
    "PartyBookPolicy.ownership_after_handover": PartyBookPolicy,
    "PartyBookPolicy.exclusivity": lambda v: (
        PartyBookPolicy(exclusivity=v) if v not in ([], ()) else 1 / 0
    ),
    "PartyBookPolicy.residents_need_occupancy": lambda v: (
        PartyBookPolicy(residents_need_occupancy=v) if not isinstance(v, bool) else 1 / 0
    ),
    "PartyBook.parties": lambda v: PartyBook(parties=v) if v not in ([], ()) else 1 / 0,
    "PartyBook.units": lambda v: PartyBook(units=v) if v not in ([], ()) else 1 / 0,
    "PartyBook.relations": lambda v: PartyBook(relations=v) if v not in ([], ()) else 1 / 0,
    "PartyBook.policy": lambda v: PartyBook(policy=v),
    "PartyBook.journal": lambda v: PartyBook(journal=v) if v not in ([], ()) else 1 / 0,
    "PartyBook.relations_to.kinds": lambda v: (
        BOOK.relations_to(FLAT, kinds=v) if v is not None and v not in ([], ()) else 1 / 0
    ),
    "PartyBook.add_party": BOOK.add_party,
    "PartyBook.add_unit": BOOK.add_unit,
    "PartyBook.add_relation": BOOK.add_relation,
    "PartyBook.record_fact": lambda v: BOOK.record_fact(FLAT, v),
    "PartyBook.record_decoration": lambda v: BOOK.record_decoration(FLAT, v),
    "PartyBook.sell.sellers": lambda v: (
        BOOK.sell(FLAT, D(2026, 6, 1), buyers="P3", sellers=v) if v is not None else 1 / 0
    ),
    "PartyBook.move_in.members": lambda v: (
        BOOK.move_in(FLAT, D(2026, 6, 1), head="P3", members=v) if v not in ([], (), {}) else 1 / 0
    ),
    "PartyBook.move_out.parties": lambda v: (
        BOOK.move_out(FLAT, D(2026, 6, 1), v) if v is not None else 1 / 0
    ),
    "PartyBook.start_lease.co_tenants": lambda v: (
        BOOK.start_lease(
            FLAT,
            D(2027, 6, 1),
            lead="P3",
            co_tenants=v,
        )
        if v not in ([], ())
        else 1 / 0
    ),
    "PartyBook.end_lease.move_out": lambda v: (
        BOOK.end_lease("L1", D(2026, 6, 1), move_out=v) if not isinstance(v, bool) else 1 / 0
    ),
    "find_duplicates.book": lambda v: find_duplicates(v, key=KEY),
    "find_duplicates.key": lambda v: find_duplicates(BOOK, key=v),
    "plan_merge.book": lambda v: plan_merge(v, "P1", "P3"),
    "plan_merge.prefer": lambda v: (
        plan_merge(BOOK, "P1", "P3", prefer=v) if v is not None and v not in ({}, (), []) else 1 / 0
    ),
    "apply_merge.book": lambda v: apply_merge(
        v, plan_merge(BOOK, "P1", "P3"), at=AT, reference="t"
    ),
    "apply_merge.plan": lambda v: apply_merge(BOOK, v, at=AT, reference="t"),
    "export_person.book": lambda v: export_person(v, "P1", at=AT),
    "export_person.archive": lambda v: (
        export_person(BOOK, "P1", at=AT, archive=v) if v is not None else 1 / 0
    ),
    "export_person.visitors": lambda v: (
        export_person(BOOK, "P1", at=AT, visitors=v) if v is not None else 1 / 0
    ),
    "export_person.consents": lambda v: (
        export_person(BOOK, "P1", at=AT, consents=v)
        if v is not None and v not in ([], ())
        else 1 / 0
    ),
    "PersonalDataExport.as_dict.purpose": lambda v: (
        export_person(BOOK, "P1", at=AT).as_dict(v) if v is not None else 1 / 0
    ),
    "PersonalDataExport.as_dict.audit": lambda v: (
        export_person(BOOK, "P1", at=AT).as_dict(
            "req 1",
            audit=v,
        )
        if v is not None
        else 1 / 0
    ),
    "PersonalDataExport.as_dict.policy": lambda v: export_person(BOOK, "P1", at=AT).as_dict(
        policy=v
    ),
    "erase_person.book": lambda v: erase_person(v, "P1", at=AT, reference="req 1"),
    "erase_person.archive": lambda v: (
        erase_person(BOOK, "P1", at=AT, reference="r", archive=v) if v is not None else 1 / 0
    ),
}


@pytest.mark.parametrize("name", TYPE_CALLS)
@given(bad=wrong_types)
@settings(max_examples=15)
def test_wrong_types_are_refused(name: str, bad: object) -> None:
    refused_unless_allowed(TYPE_CALLS[name], bad)


# -- locales --------------------------------------------------------------------------------

LOCALE_CALLS: dict[str, Callable[[object], object]] = {
    "OrganisationKind.label": OrganisationKind.ENTERPRISE.label,
    "RelationKind.label": RelationKind.OWNER.label,
    "Relation.describe": BOOK.relations[0].describe,
    "ExclusivityRule.label": PartyBookPolicy().exclusivity[0].label,
    # P3 joins P1's household; merged into P1, P1 would live there twice at once.
    "Conflict.describe": plan_merge(
        BOOK.move_in(FLAT, D(2026, 6, 1), head=None, members=["P3"]), "P1", "P3"
    )
    .conflicts[0]
    .describe,
    "UnitStatusCode.label": BOOK.unit_status(FLAT, D(2026, 5, 1)).code.label,
    "Payer.describe": lambda v: BOOK.payer(FLAT, D(2026, 5, 1)).describe(v),
    "PayerReason.rule": BOOK.payer(FLAT, D(2026, 5, 1)).reason.rule,
    "DuplicateMatch.describe": find_duplicates(
        BOOK.add_party(person("P4", mobile=MobileNumber("13812345678"))), key=KEY
    )[0]
    .matches[0]
    .describe,
    "FieldSource.label": FieldSource.SURVIVOR.label,
    "MergePlan.describe": lambda v: plan_merge(BOOK, "P1", "P3").describe(v),
    "MergeRecord.describe": apply_merge(BOOK, plan_merge(BOOK, "P2", "P3"), at=AT, reference="t")
    .journal[-1]
    .detail.describe,
    "ErasureRecord.describe": erase_person(BOOK, "P1", at=AT, reference="req 1").record.describe,
}


@pytest.mark.parametrize("call", LOCALE_CALLS.values(), ids=LOCALE_CALLS.keys())
@given(bad=bad_locales)
@settings(max_examples=10)
def test_unknown_locales_are_refused(call: Callable[[object], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


# -- duplicate ids in collections ----------------------------------------------------------


def test_a_book_refuses_two_records_with_one_id() -> None:
    error = assert_refused(lambda: PartyBook(parties=[person("P1"), person("P1")]))
    assert isinstance(error, DuplicateRecord)
    assert (error.field, error.value) == ("parties", "P1")


@pytest.mark.parametrize(
    "call",
    [
        lambda: BOOK.sell(FLAT, D(2026, 6, 1), buyers="P3", sellers=["P1", "P1"]),
        lambda: BOOK.move_in(FLAT, D(2026, 6, 1), head="P3", members=["P2", "P2"]),
        lambda: BOOK.move_out(FLAT, D(2026, 6, 1), ["P1", "P1"]),
        lambda: BOOK.start_lease(FLAT, D(2027, 6, 1), lead="P3", co_tenants=["P2", "P2"]),
    ],
    ids=["sellers", "members", "parties", "co_tenants"],
)
def test_a_party_named_twice_in_one_operation_is_refused(call: Callable[[], object]) -> None:
    # Before, sellers named twice sold their share twice and members named twice were merged
    # silently; each is now refused, naming the party.
    error = assert_refused(call)
    assert isinstance(error, InvalidRelation)


def test_kinds_given_as_text_are_refused_not_read_as_letters() -> None:
    error = assert_refused(lambda: BOOK.relations_to(FLAT, kinds="owner"))
    assert isinstance(error, InvalidType)
    assert error.field == "kinds"


def test_a_query_on_one_day_needs_the_day() -> None:
    # owners(unit, None) once returned every owner the unit ever had.
    error = assert_refused(lambda: BOOK.owners(FLAT, None))
    assert error.field == "on"


def test_full_width_and_other_digits_in_a_share_are_refused() -> None:
    for text in ("０.５", "٠.٥"):
        error = assert_refused(lambda text=text: Owner(**relation_fields(unit_id=FLAT, share=text)))
        assert error.allowed == "ASCII digits 0-9"


def test_conflict_errors_carry_the_rule_and_the_relations() -> None:
    owner = BOOK.owners(FLAT, D(2026, 5, 1))[0]
    error = assert_refused(lambda: BOOK.end_relation(owner.relation_id, D(2027, 1, 1)))
    assert error.context["target"] == FLAT
    assert error.context["relation_ids"] == ()  # nobody owns it that day
    assert error.context["on"] == D(2027, 1, 1)
    assert ConflictKind.OWNERSHIP_GAP.error is type(error)


def test_the_remaining_values_are_still_accepted() -> None:
    # The refusals above leave the ordinary calls alone.
    assert BOOK.owners(FLAT, datetime.date(2026, 5, 1))[0].share == Decimal(1)
    assert BOOK.relations_to(FLAT, kinds=[RelationKind.OWNER])
