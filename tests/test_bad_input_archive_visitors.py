"""Bad input to every public entry point of propcrm.archive and propcrm.visitors (issue 18)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.bad_input import (
    assert_refused,
    bad_amounts,
    bad_dates,
    bad_ids,
    bad_instants,
    bad_locales,
    bad_text,
    wrong_types,
)

from propcrm._property_types import PropertyType
from propcrm.archive import (
    CommunicationChannel,
    CommunicationRecord,
    DecorationExtension,
    DecorationRecord,
    DecorationViolation,
    HandoverInspection,
    OwnerArchive,
    PublicAffair,
    PublicAffairRecord,
    RepairRecord,
    SpecialServiceRecord,
    UsageRecord,
    WarrantyRecord,
)
from propcrm.errors import DuplicateRecord
from propcrm.parties import DecorationPermit, PartyBook, Person, Unit
from propcrm.personal_data import PersonName
from propcrm.visitors import (
    EntryMethod,
    IdentityCheck,
    VisitorLog,
    VisitorPolicy,
    VisitorRegistration,
    VisitPurpose,
)

D = pendulum.date
AT = pendulum.datetime(2026, 11, 24, 14, tz="Asia/Shanghai")
FLAT = "1-2-0301"
PERMIT = DecorationPermit("ZX-1", D(2026, 3, 5))
archive_amounts = bad_amounts
not_text = st.sampled_from([7, True, 1.5, b"x", [], object()])
# Where a collection of party ids is wanted a set of ids is one: everything else is wrong.
not_id_collections = wrong_types.filter(lambda v: not isinstance(v, set))


def dated(**changes: object) -> dict[str, object]:
    return {"record_id": "A9", "unit_id": FLAT, "on": D(2026, 3, 5), **changes}


def personal(**changes: object) -> dict[str, object]:
    return {"record_id": "A9", "party_id": "P1", **changes}


ARCHIVE = (
    OwnerArchive()
    .add(DecorationRecord(**dated(record_id="A1", permit=PERMIT, planned_until=D(2026, 5, 5))))
    .add(PublicAffairRecord(**personal(record_id="A2", on=D(2026, 3, 1), affair=PublicAffair.FEES)))
)


def registration(**changes: object) -> VisitorRegistration:
    fields: dict[str, object] = {
        "registration_id": "V1",
        "host_unit_id": FLAT,
        "visitor_name": PersonName("王小明"),
        "arrives": AT,
        "leaves": AT.add(hours=2),
        "purpose": VisitPurpose.FAMILY,
        "identity_check": IdentityCheck.ID_DOCUMENT,
        "entry": [EntryMethod.ID_CHECK],
        "visitor_id": "P7",
    }
    return VisitorRegistration(**{**fields, **changes})  # type: ignore[arg-type]


LOG = VisitorLog([registration()])
BOOK = (
    PartyBook(
        parties=[Person(party_id="P1", name=PersonName("张三丰"))],
        units=[
            Unit(
                unit_id=FLAT,
                community="SUNRISE",
                building="1",
                floor=3,
                number="0301",
                property_type=PropertyType.RESIDENTIAL,
                building_area="89.37",
            )
        ],
    )
    .sell(FLAT, D(2025, 6, 1), buyers="P1")
    .hand_over(FLAT, D(2026, 3, 1))
)


def refused_unless_allowed(call: Callable[[object], object], bad: object) -> None:
    """``call(bad)`` is refused, unless the table marks ``bad`` as allowed (by dividing by 0)."""
    try:
        call(bad)
    except ZeroDivisionError:
        return
    except Exception:  # the refusal itself is checked below
        pass
    assert_refused(lambda: call(bad))


def optional(call: Callable[[object], object]) -> Callable[[object], object]:
    """``call``, for an argument where None means "not given"."""
    return lambda v: call(v) if v is not None else 1 / 0


CALLS: dict[str, tuple[Callable[[object], object], st.SearchStrategy[object]]] = {
    # -- the archive, ids --
    "HandoverInspection.record_id": (
        lambda v: HandoverInspection(**dated(record_id=v, inspector="王工", passed=True)),
        bad_ids,
    ),
    "WarrantyRecord.unit_id": (
        lambda v: WarrantyRecord(**dated(unit_id=v, item="防水", until=D(2028, 1, 1))),
        bad_ids,
    ),
    "PublicAffairRecord.party_id": (
        lambda v: PublicAffairRecord(
            **personal(party_id=v, on=D(2026, 1, 1), affair=PublicAffair.FEES)
        ),
        bad_ids,
    ),
    "PublicAffairRecord.unit_id": (
        optional(
            lambda v: PublicAffairRecord(
                **personal(on=D(2026, 1, 1), affair=PublicAffair.FEES, unit_id=v)
            )
        ),
        bad_ids,
    ),
    "SpecialServiceRecord.unit_id": (
        optional(
            lambda v: SpecialServiceRecord(**personal(on=D(2026, 1, 1), service="保洁", unit_id=v))
        ),
        bad_ids,
    ),
    "OwnerArchive.unit_file": (ARCHIVE.unit_file, bad_ids),
    "OwnerArchive.person_file": (ARCHIVE.person_file, bad_ids),
    "OwnerArchive.decoration_until.unit_id": (
        lambda v: ARCHIVE.decoration_until(v, "ZX-1"),
        bad_ids,
    ),
    "OwnerArchive.decoration_until.permit_number": (
        lambda v: ARCHIVE.decoration_until(FLAT, v),
        bad_text,
    ),
    "OwnerArchive.open_violations.unit_id": (
        lambda v: ARCHIVE.open_violations(v, D(2026, 4, 1)),
        bad_ids,
    ),
    "OwnerArchive.warranties.unit_id": (lambda v: ARCHIVE.warranties(v, D(2026, 4, 1)), bad_ids),
    "OwnerArchive.reassigned.from_party": (lambda v: ARCHIVE.reassigned(v, "P2"), bad_ids),
    "OwnerArchive.reassigned.to_party": (lambda v: ARCHIVE.reassigned("P1", v), bad_ids),
    "OwnerArchive.redacted": (ARCHIVE.redacted, bad_ids),
    # -- the archive, dates and instants --
    "UsageRecord.on": (lambda v: UsageRecord(**dated(on=v, description="出租")), bad_dates),
    "WarrantyRecord.until": (
        lambda v: WarrantyRecord(**dated(item="防水", until=v)),
        bad_dates,
    ),
    "RepairRecord.completed_on": (
        optional(lambda v: RepairRecord(**dated(description="漏水", completed_on=v))),
        bad_dates,
    ),
    "DecorationRecord.planned_until": (
        lambda v: DecorationRecord(**dated(permit=PERMIT, planned_until=v)),
        bad_dates,
    ),
    "DecorationViolation.rectify_by": (
        optional(
            lambda v: DecorationViolation(
                **dated(permit_number="ZX-1", description="拆墙", rectify_by=v)
            )
        ),
        bad_dates,
    ),
    "DecorationExtension.until": (
        lambda v: DecorationExtension(**dated(permit_number="ZX-1", until=v)),
        bad_dates,
    ),
    "CommunicationRecord.at": (
        lambda v: CommunicationRecord(
            **personal(at=v, channel=CommunicationChannel.PHONE, summary="催缴")
        ),
        bad_instants,
    ),
    "OwnerArchive.unit_file.until": (optional(lambda v: ARCHIVE.unit_file(FLAT, v)), bad_dates),
    "OwnerArchive.person_file.until": (optional(lambda v: ARCHIVE.person_file("P1", v)), bad_dates),
    "OwnerArchive.open_violations.on": (lambda v: ARCHIVE.open_violations(FLAT, v), bad_dates),
    "OwnerArchive.warranties.on": (lambda v: ARCHIVE.warranties(FLAT, v), bad_dates),
    # -- the archive, text --
    "HandoverInspection.inspector": (
        lambda v: HandoverInspection(**dated(inspector=v, passed=True)),
        bad_text,
    ),
    "RepairRecord.description": (lambda v: RepairRecord(**dated(description=v)), bad_text),
    "DecorationViolation.permit_number": (
        lambda v: DecorationViolation(**dated(permit_number=v, description="拆墙")),
        bad_text,
    ),
    "CommunicationRecord.summary": (
        lambda v: CommunicationRecord(
            **personal(at=AT, channel=CommunicationChannel.PHONE, summary=v)
        ),
        bad_text,
    ),
    "SpecialServiceRecord.service": (
        lambda v: SpecialServiceRecord(**personal(on=D(2026, 1, 1), service=v)),
        bad_text,
    ),
    "PublicAffairRecord.outcome": (
        lambda v: PublicAffairRecord(
            **personal(on=D(2026, 1, 1), affair=PublicAffair.FEES, outcome=v)
        ),
        not_text,
    ),
    # -- the archive, amounts --
    "RepairRecord.cost": (
        optional(lambda v: RepairRecord(**dated(description="漏水", cost=v))),
        archive_amounts,
    ),
    "DecorationRecord.deposit": (
        optional(
            lambda v: DecorationRecord(
                **dated(permit=PERMIT, planned_until=D(2026, 5, 5), deposit=v)
            )
        ),
        archive_amounts,
    ),
    "SpecialServiceRecord.amount": (
        optional(
            lambda v: SpecialServiceRecord(**personal(on=D(2026, 1, 1), service="保洁", amount=v))
        ),
        archive_amounts,
    ),
    # -- the archive, wrong types --
    "HandoverInspection.passed": (
        lambda v: HandoverInspection(**dated(inspector="王工", passed=v)),
        wrong_types.filter(lambda v: not isinstance(v, bool)),
    ),
    "HandoverInspection.defects": (
        lambda v: HandoverInspection(**dated(inspector="王工", passed=False, defects=v)),
        st.sampled_from(["裂缝", 7, None, [7], {"裂缝": 1}]),
    ),
    "DecorationRecord.permit": (
        lambda v: DecorationRecord(**dated(permit=v, planned_until=D(2026, 5, 5))),
        wrong_types,
    ),
    "PublicAffairRecord.affair": (
        lambda v: PublicAffairRecord(**personal(on=D(2026, 1, 1), affair=v)),
        wrong_types,
    ),
    "CommunicationRecord.channel": (
        lambda v: CommunicationRecord(**personal(at=AT, channel=v, summary="催缴")),
        wrong_types,
    ),
    "OwnerArchive.unit_records": (
        lambda v: OwnerArchive(unit_records=v) if v not in ([], ()) else 1 / 0,
        wrong_types,
    ),
    "OwnerArchive.person_records": (
        lambda v: OwnerArchive(person_records=v) if v not in ([], ()) else 1 / 0,
        wrong_types,
    ),
    "OwnerArchive.add": (ARCHIVE.add, wrong_types),
    "OwnerArchive.personal_records": (
        lambda v: ARCHIVE.personal_records(v) if v not in ([], (), {}) else 1 / 0,
        st.one_of(not_id_collections, st.just("P1"), st.just(["P1", "P1"]), st.just([""])),
    ),
    "OwnerArchive.without_personal_data": (
        lambda v: ARCHIVE.without_personal_data(v) if v not in ([], (), {}) else 1 / 0,
        st.one_of(not_id_collections, st.just("P1"), st.just(["P1", "P1"]), st.just([None])),
    ),
    # -- visitors, the registration --
    "VisitorRegistration.registration_id": (lambda v: registration(registration_id=v), bad_ids),
    "VisitorRegistration.host_unit_id": (lambda v: registration(host_unit_id=v), bad_ids),
    "VisitorRegistration.visitor_id": (optional(lambda v: registration(visitor_id=v)), bad_ids),
    "VisitorRegistration.host_confirmed_by": (
        optional(lambda v: registration(host_confirmed_by=v)),
        bad_ids,
    ),
    "VisitorRegistration.arrives": (lambda v: registration(arrives=v), bad_instants),
    "VisitorRegistration.leaves": (lambda v: registration(leaves=v), bad_instants),
    "VisitorRegistration.visitor_name": (
        optional(lambda v: registration(visitor_name=v)),
        wrong_types,
    ),
    "VisitorRegistration.purpose": (lambda v: registration(purpose=v), wrong_types),
    "VisitorRegistration.purpose_note": (lambda v: registration(purpose_note=v), not_text),
    "VisitorRegistration.plate": (optional(lambda v: registration(plate=v)), wrong_types),
    "VisitorRegistration.identity_check": (lambda v: registration(identity_check=v), wrong_types),
    "VisitorRegistration.id_number": (optional(lambda v: registration(id_number=v)), wrong_types),
    "VisitorRegistration.entry": (
        lambda v: registration(entry=v),
        st.one_of(wrong_types, st.just("qr_code")),
    ),
    "VisitorRegistration.erased": (
        lambda v: registration(erased=v),
        wrong_types.filter(lambda v: not isinstance(v, bool)),
    ),
    "VisitorRegistration.covers": (registration().covers, bad_instants),
    "VisitorRegistration.as_relation.relation_id": (registration().as_relation, bad_ids),
    "VisitorRegistration.as_relation.tz": (
        lambda v: registration().as_relation("R1", v),
        st.sampled_from(["Mars/Base", "", None, 7, "+08:00"]),
    ),
    # -- visitors, the policy and the log --
    "VisitorPolicy.max_window": (
        VisitorPolicy,
        st.one_of(
            wrong_types, st.just(datetime.timedelta(0)), st.just(-datetime.timedelta(hours=1))
        ),
    ),
    "VisitorPolicy.host_must_be_there": (
        lambda v: VisitorPolicy(host_must_be_there=v),
        wrong_types.filter(lambda v: not isinstance(v, bool)),
    ),
    "VisitorLog.registrations": (
        lambda v: VisitorLog(v) if v not in ([], ()) else 1 / 0,
        st.one_of(wrong_types, st.just([registration(), registration()])),
    ),
    "VisitorLog.policy": (lambda v: VisitorLog(policy=v), wrong_types),
    "VisitorLog.register": (LOG.register, wrong_types),
    "VisitorLog.register.book": (
        optional(lambda v: LOG.register(registration(registration_id="V2"), book=v)),
        wrong_types,
    ),
    "VisitorLog.register.tz": (
        lambda v: LOG.register(registration(registration_id="V2"), tz=v),
        st.sampled_from(["Mars/Base", "", None, 7]),
    ),
    "VisitorLog.on_site": (VisitorLog().on_site, bad_instants),
    "VisitorLog.visits_to.unit_id": (lambda v: LOG.visits_to(v, D(2026, 11, 24)), bad_ids),
    "VisitorLog.visits_to.day": (lambda v: VisitorLog().visits_to(FLAT, v), bad_dates),
    "VisitorLog.visits_to.tz": (
        lambda v: VisitorLog().visits_to(FLAT, D(2026, 11, 24), v),
        st.sampled_from(["Mars/Base", "", None, 7]),
    ),
    "VisitorLog.of_visitor": (LOG.of_visitor, bad_ids),
    "VisitorLog.erased": (LOG.erased, bad_ids),
    "VisitorLog.personal_records": (
        lambda v: LOG.personal_records(v) if v not in ([], (), {}) else 1 / 0,
        st.one_of(not_id_collections, st.just("P7"), st.just(["P7", "P7"])),
    ),
    "VisitorLog.without_personal_data": (
        lambda v: LOG.without_personal_data(v) if v not in ([], (), {}) else 1 / 0,
        st.one_of(not_id_collections, st.just("P7"), st.just(["P7", "P7"])),
    ),
    "VisitorLog.purged": (VisitorLog().purged, bad_instants),
}


@pytest.mark.parametrize("name", CALLS)
@given(data=st.data())
@settings(max_examples=12)
def test_bad_arguments_are_refused(name: str, data: st.DataObject) -> None:
    call, values = CALLS[name]
    refused_unless_allowed(call, data.draw(values))


LOCALE_CALLS: dict[str, Callable[[object], object]] = {
    "PublicAffair.label": PublicAffair.FEES.label,
    "VisitPurpose.label": VisitPurpose.FAMILY.label,
}


@pytest.mark.parametrize("call", LOCALE_CALLS.values(), ids=LOCALE_CALLS.keys())
@given(bad=bad_locales)
@settings(max_examples=10)
def test_unknown_locales_are_refused(call: Callable[[object], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


def test_an_amount_refused_in_the_archive_names_the_archive_field() -> None:
    error = assert_refused(lambda: RepairRecord(**dated(description="漏水", cost=12.5)))
    assert error.field == "cost"


def test_two_registrations_with_one_id_are_refused_naming_it() -> None:
    error = assert_refused(lambda: VisitorLog([registration(), registration()]))
    assert isinstance(error, DuplicateRecord)
    assert error.value == "V1"


def test_an_empty_log_refuses_a_bad_instant_too() -> None:
    # on_site once returned () for any `at` when the log held no registration.
    error = assert_refused(lambda: VisitorLog().on_site("2026-11-24T14:00"))
    assert error.field == "at"


def test_the_book_is_checked_with_a_valid_registration() -> None:
    assert LOG.register(registration(registration_id="V2"), book=BOOK)
