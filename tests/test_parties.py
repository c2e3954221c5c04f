"""Tests for parties._parties: persons, organisations and party ids, masked when shown."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings

from propcrm._validators import MAX_ID_LENGTH, check_record_id
from propcrm.errors import InvalidParty, PartyError, UnknownRecord
from propcrm.parties import ErasureMark, Gender, Organisation, OrganisationKind, Person
from propcrm.parties._parties import PERSONAL_FIELDS
from propcrm.personal_data import (
    IdCardNumber,
    MobileNumber,
    PersonName,
    VehiclePlate,
)
from propcrm.testing._parties_strategies import organisations, persons

ERASED = ErasureMark(pendulum.datetime(2026, 11, 24, 9, tz="Asia/Shanghai"), "PIPL request #1")


def full_person() -> Person:
    return Person(
        party_id="P0001",
        name=PersonName("张三丰"),
        mobile=MobileNumber("13812345678"),
        id_number=IdCardNumber("11010519491231002X"),
        plates=(VehiclePlate("京A12345"),),
        gender=Gender.MALE,
        birth_date=pendulum.date(1949, 12, 31),
    )


# -- ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["P0001", "1-2-0301", "ORG-YWH", "x" * MAX_ID_LENGTH])
def test_record_ids_are_non_empty_text_without_spaces(value: str) -> None:
    assert check_record_id(value, "party id") == value


@pytest.mark.parametrize("value", ["", "P 1", " P1", "P1\n", "x" * (MAX_ID_LENGTH + 1), 1, None])
def test_bad_record_ids_are_refused_with_what_is_allowed(value: object) -> None:
    with pytest.raises(InvalidParty, match="must be non-empty text without spaces") as caught:
        check_record_id(value, "party id")
    assert (caught.value.field, caught.value.value) == ("party_id", value)
    assert caught.value.allowed == "non-empty text without spaces, at most 64 characters"


def test_record_id_errors_take_the_callers_error_class_and_field() -> None:
    with pytest.raises(UnknownRecord) as caught:
        check_record_id("", "unit id", UnknownRecord, field="host_unit_id")
    assert caught.value.field == "host_unit_id"


# -- persons ----------------------------------------------------------------------------------


def test_a_person_is_shown_masked_in_repr_and_str() -> None:
    person = full_person()
    shown = repr(person) + str(person) + f"{person}"
    for clear in ("张三丰", "13812345678", "11010519491231002X", "京A12345", "1949"):
        assert clear not in shown
    assert "张*丰" in shown
    assert "138****5678" in shown
    assert "110***********002X" in shown
    assert "'****-**-**'" in repr(person)
    assert str(person) == "张*丰 (P0001)"


def test_a_person_needs_a_name_unless_erased() -> None:
    with pytest.raises(InvalidParty, match="has no name"):
        Person(party_id="P1", name=None)
    erased = Person(party_id="P1", name=None, erased=ERASED)
    assert str(erased) == "[已删除] (P1)"
    assert erased.personal_fields() == ()


def test_an_erased_person_holds_no_personal_data() -> None:
    with pytest.raises(InvalidParty, match="still holds name, mobile"):
        Person(
            party_id="P1",
            name=PersonName("李四"),
            mobile=MobileNumber("13912345678"),
            erased=ERASED,
        )


def test_personal_fields_lists_what_is_held() -> None:
    assert full_person().personal_fields() == PERSONAL_FIELDS
    assert Person(party_id="P1", name=PersonName("李四")).personal_fields() == ("name",)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "张三丰"),
        ("mobile", "13812345678"),
        ("id_number", "11010519491231002X"),
        ("gender", "male"),
    ],
)
def test_personal_fields_take_only_the_validated_types(field: str, value: object) -> None:
    kwargs: dict[str, object] = {"party_id": "P1", "name": PersonName("李四"), field: value}
    with pytest.raises(TypeError):
        Person(**kwargs)  # type: ignore[arg-type]


def test_plates_are_a_sequence_of_distinct_validated_plates() -> None:
    plate = VehiclePlate("京A12345")
    with pytest.raises(InvalidParty, match="not a single one"):
        Person(party_id="P1", name=PersonName("李四"), plates=plate)  # type: ignore[arg-type]
    with pytest.raises(InvalidParty, match="must be a VehiclePlate"):
        Person(party_id="P1", name=PersonName("李四"), plates=["京A12345"])  # type: ignore[list-item]
    with pytest.raises(InvalidParty, match="listed twice"):
        Person(party_id="P1", name=PersonName("李四"), plates=[plate, VehiclePlate("京a·12345")])


def test_birth_dates_accept_dates_and_refuse_datetimes() -> None:
    person = Person(party_id="P1", name=PersonName("李四"), birth_date=pendulum.date(1980, 1, 2))
    assert person.birth_date == pendulum.date(1980, 1, 2)
    with pytest.raises(TypeError, match="datetime"):
        Person(
            party_id="P1",
            name=PersonName("李四"),
            birth_date=pendulum.datetime(1980, 1, 2),  # an instant is not a date
        )


def test_a_party_cannot_be_merged_into_itself() -> None:
    with pytest.raises(InvalidParty, match="into itself"):
        Person(party_id="P1", name=PersonName("李四"), merged_into="P1")
    with pytest.raises(InvalidParty, match="into itself"):
        Organisation(
            party_id="O1", kind=OrganisationKind.ENTERPRISE, name="阳光科技", merged_into="O1"
        )


def test_erasure_marks_need_aware_instants() -> None:
    import datetime

    with pytest.raises(ValueError, match="no time zone"):
        ErasureMark(datetime.datetime(2026, 11, 24, 9), "request")  # noqa: DTZ001 - the point


# -- organisations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (OrganisationKind.ENTERPRISE, "企业"),
        (OrganisationKind.GOVERNMENT_AGENCY, "政府机构"),
        (OrganisationKind.OWNERS_COMMITTEE, "业主委员会"),
        (OrganisationKind.RESIDENTS_COMMITTEE, "居民委员会"),
        (OrganisationKind.PROPERTY_COMPANY, "物业服务企业"),
        (OrganisationKind.MERCHANT, "商户"),
    ],
)
def test_the_organisation_kinds_of_the_brief_have_chinese_labels(
    kind: OrganisationKind, label: str
) -> None:
    assert kind.label() == label


def test_an_organisation_shows_its_name_and_masks_its_credit_code() -> None:
    from propcrm.personal_data import CreditCode

    org = Organisation(
        party_id="ORG1",
        kind=OrganisationKind.MERCHANT,
        name="阳光便利店",
        credit_code=CreditCode("91110000600037341L"),
    )
    assert str(org) == "阳光便利店 (ORG1)"
    assert "91110000600037341L" not in repr(org)
    assert "91************341L" in repr(org)


def test_an_organisation_needs_a_name_and_a_kind() -> None:
    with pytest.raises(InvalidParty, match="needs a name"):
        Organisation(party_id="O1", kind=OrganisationKind.ENTERPRISE, name="  ")
    with pytest.raises(TypeError):
        Organisation(party_id="O1", kind="enterprise", name="阳光科技")  # type: ignore[arg-type]


def test_party_errors_are_value_errors() -> None:
    assert issubclass(InvalidParty, PartyError)
    assert issubclass(InvalidParty, ValueError)


# -- properties -------------------------------------------------------------------------------


@settings(max_examples=40)
@given(persons())
def test_no_clear_identifier_ever_shows_in_a_persons_repr(person: Person) -> None:
    shown = repr(person) + str(person)
    purpose = "test that masks never reveal more than the policy"
    for value in (person.mobile, person.id_number, *person.plates):
        if value is not None:
            assert value.reveal(purpose) not in shown
            assert value.masked in shown
    assert person.name is not None
    clear_name = person.name.reveal(purpose)
    if len(clear_name) > 1:
        assert clear_name not in shown
    if person.birth_date is not None:
        assert person.birth_date.isoformat() not in shown


@settings(max_examples=20)
@given(organisations())
def test_drawn_organisations_are_valid_and_labelled(org: Organisation) -> None:
    assert org.kind.label()
    assert str(org).endswith(f"({org.party_id})")
