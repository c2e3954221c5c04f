"""Tests for personal_data._identifiers: validated personal data that shows itself masked."""

from __future__ import annotations

import copy
import datetime
import json
import pickle
import re

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from propcrm.errors import (
    InvalidCreditCode,
    InvalidIdentifier,
    InvalidIdNumber,
    InvalidMobileNumber,
    InvalidPersonName,
    InvalidPolicy,
    InvalidVehiclePlate,
    MissingRevealPurpose,
    PropcrmError,
)
from propcrm.personal_data import (
    DEFAULT_MASKING,
    CreditCode,
    IdCardNumber,
    IdentifierKind,
    MobileNumber,
    PersonalIdentifier,
    PersonName,
    PlateKind,
    RevealEvent,
    RevealLog,
    VehiclePlate,
)
from propcrm.testing._personal_data_strategies import (
    ID_REGIONS,
    MOBILE_PREFIXES,
    credit_code_texts,
    credit_codes,
    id_card_numbers,
    id_number_texts,
    mobile_numbers,
    mobile_texts,
    person_name_texts,
    person_names,
    plate_texts,
    vehicle_plates,
)

ID = "11010519491231002X"  # the textbook example of GB 11643, born 31 Dec 1949
USCC = "91110000600037341L"
KEY = b"a-secret-key-of-32-bytes-for-hmac"


def _with_check_digit(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


def _message(exc: pytest.ExceptionInfo[BaseException]) -> str:
    return str(exc.value)


# -- mobile numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "008613812345678",
     "+86-13812345678", "１３８１２３４５６７８"],
)  # fmt: skip
def test_mobile_numbers_are_normalised_to_11_digits(text: str) -> None:
    mobile = MobileNumber(text)
    assert mobile.reveal("test") == "13812345678"
    assert mobile == MobileNumber("13812345678")
    assert hash(mobile) == hash(MobileNumber("13812345678"))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("010-6512-3456", "fixed-line number"),
        ("1381234567", "10 digits"),
        ("10012345678", "not a valid mainland number"),
        ("+852 9123 4567", "country code +852"),
        ("not a number", "not a phone number"),
        ("", "not a phone number"),
    ],
)
def test_invalid_mobile_numbers_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(InvalidMobileNumber, match=re.escape(fragment)) as exc:
        MobileNumber(text)
    assert "11 digits starting with 1" in _message(exc)


def test_a_mobile_must_be_text() -> None:
    with pytest.raises(InvalidMobileNumber, match="must be given as text"):
        MobileNumber(13812345678)  # type: ignore[arg-type]  # the wrong type on purpose


@settings(max_examples=60)
@given(mobile_texts())
def test_every_drawn_mobile_is_valid_and_shows_only_its_ends(text: str) -> None:
    digits = re.sub(r"\D", "", text).removeprefix("86") if text.startswith("+") else text
    digits = re.sub(r"\D", "", digits)
    mobile = MobileNumber(text)
    assert mobile.reveal("test") == digits
    assert str(mobile) == digits[:3] + "****" + digits[7:]


def test_every_mobile_prefix_the_strategy_uses_is_a_mobile_prefix() -> None:
    for prefix in MOBILE_PREFIXES:
        for tail in ("00000000", "12345678", "99999999"):
            MobileNumber(prefix + tail)


# -- ID numbers -------------------------------------------------------------------------------


def test_an_id_number_is_normalised_and_masked() -> None:
    number = IdCardNumber(" 110105 19491231 002x ")
    assert number.reveal("test") == ID
    assert str(number) == "110***********002X"
    assert repr(number) == "IdCardNumber('110***********002X')"
    assert IdCardNumber("１１０１０５１９４９１２３１００２Ｘ") == number


def test_the_birth_date_is_revealed_only_with_a_purpose() -> None:
    audit = RevealLog()
    born = IdCardNumber(ID).reveal_birth_date("age band for segmentation", audit=audit)
    assert born == datetime.date(1949, 12, 31)
    assert audit.events == [
        RevealEvent(IdentifierKind.ID_NUMBER, "110***********002X", "age band for segmentation")
    ]
    with pytest.raises(MissingRevealPurpose):
        IdCardNumber(ID).reveal_birth_date(" ")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("11010519491231002", "has 17"),
        ("110105491231002", "15-digit numbers are not accepted"),
        ("1101051949123100XX", "wrong at position 17"),
        ("11010519491231002A", "wrong at position 18"),
        ("110105194912310021", "is '1' but the first 17 digits give 'X'"),
        (_with_check_digit("11010519490230002"), "not a real date"),
        (_with_check_digit("11010519491331002"), "not a real date"),
        (_with_check_digit("99999919491231002"), "not a county code"),
    ],
)
def test_invalid_id_numbers_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(InvalidIdNumber, match=re.escape(fragment)):
        IdCardNumber(text)


def test_an_unknown_county_code_passes_when_the_caller_turns_the_region_check_off() -> None:
    text = _with_check_digit("99999919491231002")
    assert IdCardNumber(text, check_region=False).reveal("test") == text


def test_a_birth_date_after_today_is_refused_and_today_itself_is_allowed() -> None:
    born = datetime.date(1949, 12, 31)
    assert IdCardNumber(ID, today=born).reveal("test") == ID
    with pytest.raises(InvalidIdNumber, match="lies after 1949-12-30"):
        IdCardNumber(ID, today=born - datetime.timedelta(days=1))


def test_today_must_be_a_date_not_an_instant() -> None:
    instant = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    with pytest.raises(TypeError, match="an instant's date depends on the zone"):
        IdCardNumber(ID, today=instant)


def test_errors_are_value_errors_and_propcrm_errors() -> None:
    with pytest.raises(ValueError, match="18 characters"):
        IdCardNumber("123")
    for cls in (InvalidIdNumber, InvalidMobileNumber, InvalidCreditCode, InvalidVehiclePlate,
                InvalidPersonName):  # fmt: skip
        assert issubclass(cls, InvalidIdentifier)
        assert issubclass(cls, PropcrmError)


@settings(max_examples=80)
@given(id_number_texts())
def test_every_drawn_id_number_is_valid_and_round_trips(text: str) -> None:
    number = IdCardNumber(text)
    assert number.reveal("test") == text.upper()
    assert number.reveal_birth_date("test") == datetime.date(
        int(text[6:10]), int(text[10:12]), int(text[12:14])
    )


@settings(max_examples=80)
@given(id_number_texts(), st.integers(0, 16), st.integers(1, 9))
def test_any_single_mistyped_digit_is_caught_and_the_error_hides_the_number(
    text: str, position: int, shift: int
) -> None:
    digit = (int(text[position]) + shift) % 10
    typo = text[:position] + str(digit) + text[position + 1 :]
    with pytest.raises(InvalidIdNumber) as exc:
        IdCardNumber(typo)
    message = _message(exc)
    assert typo.upper() not in message
    assert text.upper() not in message
    # nothing of the hidden middle (characters 4-14) is repeated
    assert typo[3:14] not in message


def test_every_region_the_strategy_uses_is_known_for_every_birth_year() -> None:
    for region in ID_REGIONS:
        for year in (1900, 1920, 1950, 1980, 2000, 2025, 2029):
            IdCardNumber(_with_check_digit(f"{region}{year}0101123"))


# -- credit codes -----------------------------------------------------------------------------


def test_a_credit_code_is_normalised_and_masked() -> None:
    code = CreditCode("9111 0000 6000 3734 1l")
    assert code.reveal("test") == USCC
    assert repr(code) == "CreditCode('91************341L')"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("9111000060003734", "has 16"),
        ("A1110000600037341L", "characters 1-8"),
        ("91110000600037341I", "other than I, O, S, V, Z; wrong at position 18"),
        ("91110000600037341M", "is 'M' but the first 17 give 'L'"),
    ],
)
def test_invalid_credit_codes_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(InvalidCreditCode, match=re.escape(fragment)) as exc:
        CreditCode(text)
    assert text not in _message(exc)


@settings(max_examples=60)
@given(credit_code_texts())
def test_every_drawn_credit_code_is_valid(text: str) -> None:
    assert CreditCode(text).reveal("test") == text


# -- vehicle plates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "clear", "kind"),
    [
        ("京A12345", "京A12345", PlateKind.ORDINARY),
        ("京A·1234Z", "京A1234Z", PlateKind.ORDINARY),
        ("沪 b 88888", "沪B88888", PlateKind.ORDINARY),
        ("粤BD12345", "粤BD12345", PlateKind.NEW_ENERGY_SMALL),
        ("粤BFA1234", "粤BFA1234", PlateKind.NEW_ENERGY_SMALL),
        ("苏E12345D", "苏E12345D", PlateKind.NEW_ENERGY_LARGE),
        ("川Ａ１２３４５Ｆ", "川A12345F", PlateKind.NEW_ENERGY_LARGE),
    ],
)
def test_plates_are_normalised_and_classified(text: str, clear: str, kind: PlateKind) -> None:
    plate = VehiclePlate(text)
    assert plate.reveal("test") == clear
    assert plate.plate_kind is kind


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("京A1234", "has 6"),
        ("京A1234567", "has 9"),
        ("AA12345", "province abbreviation"),
        ("港A12345", "province abbreviation"),
        ("京112345", "issuing authority"),
        ("京I12345", "issuing authority"),
        ("京O12345", "issuing authority"),
        ("京A1234O", "character 7 is not allowed"),
        ("京A12I45", "character 5 is not allowed"),
        ("京A12345A", "fits neither form"),
        ("京AA12345", "fits neither form"),
        ("京AD1234A", "fits neither form"),
        ("京AD12D45", "fits neither form"),
        ("京ADI1234", "fits neither form"),
        ("京A1234DF", "fits neither form"),
        ("京A1234学", "character 7 is not allowed"),
    ],
)
def test_invalid_plates_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(InvalidVehiclePlate, match=re.escape(fragment)):
        VehiclePlate(text)


@settings(max_examples=80)
@given(plate_texts())
def test_every_drawn_plate_is_valid(text: str) -> None:
    plate = VehiclePlate(text)
    assert plate.reveal("test") == text
    if len(text) == 7:
        expected = PlateKind.ORDINARY
    elif text[2] in "DF" and text[7].isdigit():
        expected = PlateKind.NEW_ENERGY_SMALL
    else:
        expected = PlateKind.NEW_ENERGY_LARGE
    assert plate.plate_kind is expected


# -- person names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "clear", "masked"),
    [
        ("张三丰", "张三丰", "张*丰"),
        (" 张  三 丰 ", "张三丰", "张*丰"),
        ("张三", "张三", "张*"),
        ("欧阳娜娜", "欧阳娜娜", "欧阳*娜"),
        ("诸葛亮", "诸葛亮", "诸葛*"),
        ("John  Smith", "John Smith", "J*** S****"),
        ("阿依古丽·买买提", "阿依古丽·买买提", "阿***·买**"),
    ],
)
def test_names_are_normalised_and_masked(text: str, clear: str, masked: str) -> None:
    name = PersonName(text)
    assert name.reveal("test") == clear
    assert str(name) == masked


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("", "must not be empty"), ("   ", "must not be empty"), ("张3", "position 2"),
     ("Tom@Home", "position 4"), ("王" * 101, "at most 100")],
)  # fmt: skip
def test_invalid_names_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(InvalidPersonName, match=re.escape(fragment)):
        PersonName(text)


@settings(max_examples=60)
@given(person_name_texts())
def test_every_drawn_name_is_valid(text: str) -> None:
    assert PersonName(text).reveal("test") == text


# -- reveal, audit, fingerprint ---------------------------------------------------------------


@pytest.mark.parametrize("purpose", ["", "   ", None, 42])
def test_reveal_refuses_a_missing_purpose(purpose: object) -> None:
    with pytest.raises(MissingRevealPurpose, match="needs a stated purpose"):
        MobileNumber("13812345678").reveal(purpose)  # type: ignore[arg-type]  # wrong on purpose


def test_reveal_tells_the_audit_callback_before_returning() -> None:
    seen: list[RevealEvent] = []
    plate = VehiclePlate("京A12345")
    assert plate.reveal("  visitor gate check  ", audit=seen.append) == "京A12345"
    assert seen == [RevealEvent(IdentifierKind.VEHICLE_PLATE, "京A***45", "visitor gate check")]


def test_a_refused_reveal_is_not_audited() -> None:
    audit = RevealLog()
    with pytest.raises(MissingRevealPurpose):
        MobileNumber("13812345678").reveal("", audit=audit)
    assert audit.events == []


def test_fingerprints_are_keyed_and_kind_separated() -> None:
    mobile = MobileNumber("13812345678")
    assert mobile.fingerprint(KEY) == MobileNumber("+86 138 1234 5678").fingerprint(KEY)
    assert mobile.fingerprint(KEY) != mobile.fingerprint(KEY + b"x")
    assert "13812345678" not in mobile.fingerprint(KEY)
    # the same text under two kinds does not collide
    assert PersonName("Li").fingerprint(KEY) != PersonName("Lee").fingerprint(KEY)
    with pytest.raises(InvalidPolicy, match="at least 16"):
        mobile.fingerprint(b"short")


# -- masked wherever shown, opaque to attrs ---------------------------------------------------

SAMPLES: list[PersonalIdentifier] = [
    MobileNumber("13812345678"),
    IdCardNumber(ID),
    CreditCode(USCC),
    VehiclePlate("粤BD12345"),
    PersonName("张三丰"),
]


@pytest.mark.parametrize("value", SAMPLES, ids=lambda v: type(v).__name__)
def test_every_way_of_showing_a_value_is_masked(value: PersonalIdentifier) -> None:
    clear = value.reveal("test")
    masked = DEFAULT_MASKING.mask(value)
    shown = [
        str(value),
        repr(value),
        f"{value}",
        f"{value!r}",
        f"{value:>30}",
        "%s" % value,  # noqa: UP031 - checking %-formatting on purpose
        repr([value]),
        repr({"v": value}),
        str(attrs.make_class("Holder", ["v"])(value)),
    ]
    for text in shown:
        assert clear not in text
        assert masked in text
    assert value.masked == masked


@pytest.mark.parametrize("value", SAMPLES, ids=lambda v: type(v).__name__)
def test_values_are_immutable_and_survive_pickle_and_copy(value: PersonalIdentifier) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        value._clear = "x"  # mutation attempted on purpose
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del value._clear
    assert pickle.loads(pickle.dumps(value)) == value
    assert copy.deepcopy(value) == value
    assert copy.copy(value) == value


def test_asdict_keeps_identifiers_opaque_and_json_refuses_them() -> None:
    @attrs.frozen
    class Owner:
        name: PersonName
        mobile: MobileNumber

    owner = Owner(PersonName("张三丰"), MobileNumber("13812345678"))
    plain = attrs.asdict(owner)
    assert plain["mobile"] is owner.mobile
    with pytest.raises(TypeError):
        json.dumps(plain)
    masked = attrs.asdict(owner, value_serializer=DEFAULT_MASKING.export_value)
    assert json.dumps(masked, ensure_ascii=False) == '{"name": "张*丰", "mobile": "138****5678"}'


def test_the_base_class_is_not_built_directly() -> None:
    with pytest.raises(TypeError, match="build a MobileNumber"):
        PersonalIdentifier("13812345678")


def test_equality_is_per_type() -> None:
    assert MobileNumber("13812345678") != "13812345678"
    assert PersonName("Li") != VehiclePlate("京A12345")
    assert len({MobileNumber("13812345678"), MobileNumber("+8613812345678")}) == 1


# -- the fast path: unpickling and copying restore the clear value without validating again ---


@settings(max_examples=60)
@given(
    st.one_of(
        id_card_numbers(), credit_codes(), mobile_numbers(), vehicle_plates(), person_names()
    ),
    st.integers(min_value=0, max_value=pickle.HIGHEST_PROTOCOL),
)
def test_a_restored_value_equals_the_value_validated_again(
    value: PersonalIdentifier, protocol: int
) -> None:
    """What pickle or copy restores, unvalidated, is what the constructor makes of the value."""
    validated = type(value)(value.reveal("test the restore path"))
    for restored in (pickle.loads(pickle.dumps(value, protocol)), copy.copy(value)):
        assert type(restored) is type(value)
        assert restored == validated
        assert restored.reveal("test the restore path") == validated.reveal("test")
