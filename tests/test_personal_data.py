"""Tests for parties._subject_rights: the PIPL export and erasure of a person's data."""

from __future__ import annotations

import json

import pendulum
import pytest
from hypothesis import given, settings

from propcrm._property_types import PropertyType
from propcrm.archive import (
    CommunicationChannel,
    CommunicationRecord,
    OwnerArchive,
    SpecialServiceRecord,
)
from propcrm.archive._archive import REDACTED
from propcrm.errors import AlreadyErased, InvalidParty, MissingRevealPurpose
from propcrm.money import Money
from propcrm.parties import (
    BookOperation,
    ErasureRecord,
    Gender,
    Organisation,
    OrganisationKind,
    PartyBook,
    Person,
    Unit,
    apply_merge,
    erase_person,
    export_person,
    plan_merge,
)
from propcrm.personal_data import (
    ConsentLedger,
    ConsentPurpose,
    ContactChannel,
    IdCardNumber,
    MobileNumber,
    PersonName,
    RevealLog,
    VehiclePlate,
)
from propcrm.testing._parties_strategies import persons
from propcrm.visitors import (
    EntryMethod,
    IdentityCheck,
    VisitorLog,
    VisitorRegistration,
    VisitPurpose,
)

D = pendulum.date
FLAT = "1-2-0301"
AT = pendulum.datetime(2026, 11, 24, 9, tz="Asia/Shanghai")
CLEAR = ("张三丰", "13812345678", "11010519491231002X", "京A12345", "1949-12-31")


def owner() -> Person:
    return Person(
        party_id="P1",
        name=PersonName("张三丰"),
        mobile=MobileNumber("13812345678"),
        id_number=IdCardNumber("11010519491231002X"),
        plates=(VehiclePlate("京A12345"),),
        gender=Gender.MALE,
        birth_date=D(1949, 12, 31),
    )


def world() -> tuple[PartyBook, OwnerArchive, VisitorLog, ConsentLedger]:
    unit = Unit(
        unit_id=FLAT,
        community="SUNRISE",
        building="1",
        entrance="2",
        floor=3,
        number="0301",
        property_type=PropertyType.RESIDENTIAL,
        building_area="89.37",
    )
    spouse = Person(party_id="P2", name=PersonName("李四"))
    book = (
        PartyBook(parties=[owner(), spouse], units=[unit])
        .sell(FLAT, D(2025, 6, 1), "P1")
        .hand_over(FLAT, D(2026, 3, 1))
        .move_in(FLAT, D(2026, 6, 1), head="P2", members={"P1": "配偶"})
    )
    archive = (
        OwnerArchive()
        .add(
            CommunicationRecord(
                record_id="B1",
                party_id="P1",
                at=AT,
                channel=CommunicationChannel.PHONE,
                summary="业主来电, 回拨 13812345678",
                staff="S001",
            )
        )
        .add(
            SpecialServiceRecord(
                record_id="B2",
                party_id="P1",
                on=D(2026, 7, 1),
                service="空调清洗",
                amount=Money("80.00"),
                reference="SO-7",
            )
        )
    )
    visitors = VisitorLog().register(
        VisitorRegistration(
            registration_id="V1",
            host_unit_id=FLAT,
            visitor_name=PersonName("张三丰"),
            arrives=AT,
            leaves=AT.add(hours=2),
            purpose=VisitPurpose.FAMILY,
            plate=VehiclePlate("京A12345"),
            identity_check=IdentityCheck.ID_DOCUMENT,
            entry=[EntryMethod.QR_CODE],
            visitor_id="P1",
        )
    )
    consents = ConsentLedger("P1").grant(
        ConsentPurpose.SATISFACTION_SURVEY, ContactChannel.SMS, AT, evidence="入住登记表 #88"
    )
    return book, archive, visitors, consents


# -- export -----------------------------------------------------------------------------------


def test_the_export_holds_everything_held_on_the_person() -> None:
    book, archive, visitors, consents = world()
    export = export_person(
        book, "P1", at=AT, archive=archive, visitors=visitors, consents=[consents]
    )
    assert export.person == owner()
    assert {r.kind.value for r in export.relations} == {"owner", "resident"}
    assert [e.operation for e in export.journal] == [BookOperation.SALE, BookOperation.MOVE_IN]
    assert [r.record_id for r in export.archive_records] == ["B2", "B1"]
    assert [v.registration_id for v in export.visits] == ["V1"]
    assert len(export.consents) == 1


def test_the_export_is_masked_by_default_and_json_ready() -> None:
    book, archive, visitors, consents = world()
    data = export_person(
        book, "P1", at=AT, archive=archive, visitors=visitors, consents=[consents]
    ).as_dict()
    text = json.dumps(data, ensure_ascii=False)
    for clear in CLEAR:
        assert clear not in text
    assert data["person"]["name"] == "张*丰"
    assert data["person"]["birth_date"] == "****-**-**"
    # Free text is scrubbed of anything shaped like a mobile or ID number (names cannot be
    # found by shape: keep them out of free text).
    assert data["archive_records"][1]["summary"] == "业主来电, 回拨 138****5678"
    assert data["relations"][0]["type"] == "Owner"
    assert data["consents"][0]["purpose"] == "satisfaction_survey"


def test_the_export_reveals_only_for_a_stated_purpose_and_audits_it() -> None:
    book, *_ = world()
    export = export_person(book, "P1", at=AT)
    audit = RevealLog()
    data = export.as_dict("PIPL art. 45 request #17", audit=audit)
    assert data["person"]["mobile"] == "13812345678"
    assert data["person"]["id_number"] == "11010519491231002X"
    assert data["person"]["birth_date"] == "1949-12-31"
    assert {e.purpose for e in audit.events} == {"PIPL art. 45 request #17"}
    assert len(audit.events) == 4  # name, mobile, ID number, plate
    with pytest.raises(MissingRevealPurpose):
        export.as_dict(" ")


def test_a_merged_party_stands_for_the_survivor_in_an_export() -> None:
    book = PartyBook(
        parties=[
            owner(),
            Person(party_id="P9", name=PersonName("张三丰"), mobile=MobileNumber("13812345678")),
        ]
    )
    merged = apply_merge(book, plan_merge(book, "P1", "P9"), at=AT, reference="T-1")
    export = export_person(merged, "P9", at=AT)
    assert export.party_id == "P1"
    assert [p.party_id for p in export.merged_records] == ["P9"]


def test_organisations_have_no_personal_data_rights() -> None:
    org = Organisation(party_id="O1", kind=OrganisationKind.ENTERPRISE, name="阳光科技")
    book = PartyBook(parties=[org])
    with pytest.raises(InvalidParty, match="organisation"):
        export_person(book, "O1", at=AT)
    with pytest.raises(InvalidParty, match="organisation"):
        erase_person(book, "O1", at=AT, reference="x")


# -- erasure ----------------------------------------------------------------------------------


def test_erasure_removes_personal_data_and_keeps_the_financial_records() -> None:
    book, archive, visitors, _ = world()
    result = erase_person(
        book,
        "P1",
        at=AT,
        reference="PIPL art. 47 request #18",
        archive=archive,
        visitors=visitors,
    )
    person = result.book.person("P1")
    assert person.personal_fields() == ()
    assert person.erased is not None
    assert person.erased.reference == "PIPL art. 47 request #18"
    assert result.book.relations_of("P1") != ()
    assert [r.relation_id for r in result.book.relations] == [r.relation_id for r in book.relations]
    payer = result.book.payer(FLAT, D(2026, 7, 1))
    assert payer is not None
    assert payer.party_id == "P1"  # billing history still finds the payer by id
    (resident,) = [r for r in result.book.relations_of("P1") if r.kind.value == "resident"]
    assert resident.relationship == ""  # 配偶 said something about the person
    assert result.archive is not None
    service, call = result.archive.person_file("P1")
    assert call.summary == REDACTED  # type: ignore[union-attr]
    assert service.amount == Money("80.00")  # type: ignore[union-attr]
    assert result.visitors is not None
    assert result.visitors.registrations[0].visitor_name is None


def test_erasure_is_recorded_and_refused_twice() -> None:
    book, archive, visitors, _ = world()
    result = erase_person(book, "P1", at=AT, reference="req-18", archive=archive, visitors=visitors)
    record = result.record
    assert isinstance(record, ErasureRecord)
    assert record.erased_fields == (
        "name",
        "mobile",
        "id_number",
        "plates",
        "gender",
        "birth_date",
    )
    assert record.redacted_archive_records == ("B1",)
    assert record.redacted_visits == ("V1",)
    assert len(record.kept_relations) == 2
    entry = result.book.journal[-1]
    assert entry.operation is BookOperation.ERASURE
    assert entry.detail is record
    assert "kept 2 relations for the financial records" in record.describe("en_US")
    assert record.describe() == (
        "2026-11-24T09:00:00+08:00：已删除 P1 的姓名、手机号、身份证号、车牌号、性别、出生日期"
        "（req-18）；为财务记录保留 2 条关系"
    )
    with pytest.raises(AlreadyErased, match="req-18"):
        erase_person(result.book, "P1", at=AT, reference="again")
    with pytest.raises(InvalidParty, match="needs a reference"):
        erase_person(book, "P1", at=AT, reference="")


def test_after_erasure_the_export_holds_no_personal_data_even_when_revealed() -> None:
    book, archive, visitors, _ = world()
    result = erase_person(book, "P1", at=AT, reference="req", archive=archive, visitors=visitors)
    data = export_person(
        result.book, "P1", at=AT, archive=result.archive, visitors=result.visitors
    ).as_dict("check the erasure")
    text = json.dumps(data, ensure_ascii=False)
    for clear in CLEAR:
        assert clear not in text


def test_erasing_a_survivor_erases_the_records_merged_into_it() -> None:
    book = PartyBook(
        parties=[
            owner(),
            Person(party_id="P9", name=PersonName("张三丰"), mobile=MobileNumber("13812345678")),
        ]
    )
    merged = apply_merge(book, plan_merge(book, "P1", "P9"), at=AT, reference="T-1")
    result = erase_person(merged, "P9", at=AT, reference="req")
    assert result.record.party_ids == ("P1", "P9")
    assert result.book.person("P9").personal_fields() == ()
    assert result.book.person("P9").merged_into == "P1"


@settings(max_examples=30)
@given(persons())
def test_no_personal_value_survives_an_erasure(person: Person) -> None:
    book = PartyBook(parties=[person])
    export_before = export_person(book, person.party_id, at=AT).as_dict("property test")
    result = erase_person(book, person.party_id, at=AT, reference="property")
    export_after = export_person(result.book, person.party_id, at=AT).as_dict("property test")
    for field in ("name", "mobile", "id_number", "birth_date", "gender"):
        assert export_after["person"][field] is None
    assert export_after["person"]["plates"] == []
    held = [export_before["person"][f] for f in ("mobile", "id_number")]
    text = json.dumps(export_after, ensure_ascii=False)
    for value in held:
        if value is not None:
            assert value not in text
