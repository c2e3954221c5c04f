"""Bad input to every public entry point of ``propcrm.personal_data`` is refused (issue 18).

Identifiers are personal data: their errors say what is wrong and what is allowed, but never
carry the value given (error contexts end up in logs).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.bad_input import (
    assert_refused,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_instants,
    bad_locales,
    bad_text,
    wrong_types,
)

from propcrm.errors import InvalidIdNumber, InvalidMobileNumber, InvalidVehiclePlate
from propcrm.personal_data import (
    DEFAULT_MASKING,
    ConsentAction,
    ConsentEvent,
    ConsentLedger,
    ConsentPolicy,
    ConsentPurpose,
    ContactChannel,
    CreditCode,
    IdCardNumber,
    IdentifierKind,
    KeepEnds,
    MaskingLogFilter,
    MaskingPolicy,
    MobileNumber,
    PersonName,
    RevealEvent,
    RevealLog,
    VehiclePlate,
)

AT = pendulum.datetime(2026, 3, 1, 10, tz="Asia/Shanghai")
SURVEY, SMS = ConsentPurpose.SATISFACTION_SURVEY, ContactChannel.SMS
MOBILE = MobileNumber("13812345678")
ID_NUMBER = IdCardNumber("11010519491231002X")
LEDGER = ConsentLedger("P1").grant(SURVEY, SMS, AT, evidence="form #88")
KEY = b"a-secret-key-of-the-community"

# Each identifier typed with another script's digits (the full-width forms are folded first).
OTHER_DIGITS = {
    MobileNumber: ["١٣٨١٢٣٤٥٦٧٨", "१३८१२३४५६७८", "138١٢٣٤٥٦٧٨"],
    IdCardNumber: ["١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "11010519491231002٠"],
    CreditCode: ["٩١١١٠٠٠٠٦٠٠٠٣٧٣٤١L"],
    VehiclePlate: ["京A١٢٣٤٥", "京A१२३४५"],
}
IDENTIFIERS: dict[str, Callable[[object], object]] = {
    "MobileNumber": MobileNumber,
    "IdCardNumber": IdCardNumber,
    "CreditCode": CreditCode,
    "VehiclePlate": VehiclePlate,
    "PersonName": PersonName,
}


@pytest.mark.parametrize("make", IDENTIFIERS.values(), ids=IDENTIFIERS.keys())
@given(bad=wrong_types)
@settings(max_examples=15)
def test_identifiers_of_the_wrong_type_are_refused(
    make: Callable[[object], object], bad: object
) -> None:
    error = assert_refused(lambda: make(bad))
    assert error.value is None  # an identifier's error never carries the value given


@pytest.mark.parametrize(
    ("make", "text"),
    [(make, text) for make, texts in OTHER_DIGITS.items() for text in texts],
)
def test_identifiers_with_digits_of_another_script_are_refused(
    make: Callable[[str], object], text: str
) -> None:
    # These read as numbers to int() and to python-stdnum, and were accepted before.
    error = assert_refused(lambda: make(text))
    assert "digit other than 0-9" in str(error)
    assert text not in str(error)
    assert error.value is None


def test_full_width_digits_are_still_folded() -> None:
    assert MobileNumber("１３８１２３４５６７８") == MOBILE


@given(bad=bad_text)
@settings(max_examples=10)
def test_names_that_are_empty_or_not_text_are_refused(bad: object) -> None:
    assert_refused(lambda: PersonName(bad))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: MobileNumber("1381234567"), InvalidMobileNumber),
        (lambda: IdCardNumber("110105194912310021"), InvalidIdNumber),
        (lambda: VehiclePlate("京A1234O"), InvalidVehiclePlate),
    ],
)
def test_identifier_errors_carry_the_masked_form_and_what_is_allowed(
    make: Callable[[], object], error: type[Exception]
) -> None:
    refused = assert_refused(make)
    assert isinstance(refused, error)
    assert refused.field == "text"
    assert refused.allowed


# -- identifiers' methods ---------------------------------------------------------------------

CALLS: dict[str, tuple[Callable[[object], object], st.SearchStrategy[object]]] = {
    "IdCardNumber.today": (
        lambda v: IdCardNumber("11010519491231002X", today=v),
        bad_dates.filter(lambda v: v is not None),  # None: no today given
    ),
    "IdCardNumber.check_region": (
        lambda v: IdCardNumber("11010519491231002X", check_region=v),
        st.sampled_from([None, 1, "yes", 1.5]),
    ),
    "reveal.purpose": (MOBILE.reveal, bad_text),
    "reveal.audit": (lambda v: MOBILE.reveal("survey", audit=v), st.sampled_from([7, "log", b""])),
    "reveal_birth_date.purpose": (ID_NUMBER.reveal_birth_date, bad_text),
    "fingerprint.key": (
        MOBILE.fingerprint,
        st.sampled_from([b"short", "a-secret-key-of-the-community", None, 7, True]),
    ),
    "masked_with.policy": (MOBILE.masked_with, wrong_types),
    "KeepEnds.head": (lambda v: KeepEnds(v, 4), bad_counts.filter(lambda v: v != 0)),
    "KeepEnds.tail": (lambda v: KeepEnds(3, v), bad_counts),
    "KeepEnds.apply.text": (lambda v: KeepEnds(3, 4).apply(v, "*"), wrong_types),
    "KeepEnds.apply.mask_char": (
        lambda v: KeepEnds(3, 4).apply("13812345678", v),
        st.sampled_from(["", "**", "a", "1", None, 7]),
    ),
    "KeepEnds.shown_positions": (KeepEnds(3, 4).shown_positions, bad_counts),
    "MaskingPolicy.mobile": (lambda v: MaskingPolicy(mobile=v), wrong_types),
    "MaskingPolicy.id_number": (lambda v: MaskingPolicy(id_number=v), wrong_types),
    "MaskingPolicy.credit_code": (lambda v: MaskingPolicy(credit_code=v), wrong_types),
    "MaskingPolicy.vehicle_plate": (lambda v: MaskingPolicy(vehicle_plate=v), wrong_types),
    "MaskingPolicy.mask_char": (
        lambda v: MaskingPolicy(mask_char=v),
        st.sampled_from(["", "**", "a", "1", None, 7]),
    ),
    "MaskingPolicy.compound_surnames": (
        lambda v: MaskingPolicy(compound_surnames=v),
        st.sampled_from(["欧阳", 7, None, [7], {"欧阳": 1}]),
    ),
    "MaskingPolicy.rule": (
        DEFAULT_MASKING.rule,
        st.sampled_from([None, True, 1.5, b"100", object(), "mobile", IdentifierKind.PERSON_NAME]),
    ),
    "MaskingPolicy.mask_text.kind": (
        lambda v: DEFAULT_MASKING.mask_text(v, "13812345678"),
        st.sampled_from([7, "mobile", None]),
    ),
    "MaskingPolicy.mask_text.clear": (
        lambda v: DEFAULT_MASKING.mask_text(IdentifierKind.MOBILE, v),
        wrong_types,
    ),
    "MaskingPolicy.mask": (DEFAULT_MASKING.mask, st.sampled_from(["13812345678", 7, None])),
    "MaskingPolicy.mask_name": (DEFAULT_MASKING.mask_name, wrong_types),
    "MaskingPolicy.scrub": (DEFAULT_MASKING.scrub, wrong_types),
    "MaskingLogFilter.policy": (MaskingLogFilter, st.sampled_from([7, "strict", object()])),
    "MaskingLogFilter.name": (lambda v: MaskingLogFilter(name=v), st.sampled_from([7, b"x"])),
    "RevealEvent.kind": (lambda v: RevealEvent(v, "138****5678", "survey"), wrong_types),
    "RevealEvent.purpose": (lambda v: RevealEvent(IdentifierKind.MOBILE, "*", v), wrong_types),
    "RevealLog.events": (RevealLog, st.sampled_from(["x", 7, [7], {}])),
    "RevealLog.__call__": (RevealLog(), wrong_types),
}


@pytest.mark.parametrize("name", CALLS)
@given(data=st.data())
@settings(max_examples=10)
def test_bad_arguments_are_refused(name: str, data: st.DataObject) -> None:
    call, values = CALLS[name]
    bad = data.draw(values)
    assert_refused(lambda: call(bad))


def test_a_fingerprint_key_is_never_carried_by_its_error() -> None:
    error = assert_refused(lambda: MOBILE.fingerprint(b"short-secret"))
    assert error.value is None
    assert error.field == "key"


# -- consent --------------------------------------------------------------------------------

CONSENT_CALLS: dict[str, tuple[Callable[[object], object], st.SearchStrategy[object]]] = {
    "ConsentEvent.purpose": (
        lambda v: ConsentEvent(v, SMS, ConsentAction.GRANT, AT, "form"),
        wrong_types,
    ),
    "ConsentEvent.channel": (
        lambda v: ConsentEvent(SURVEY, v, ConsentAction.GRANT, AT, "form"),
        wrong_types,
    ),
    "ConsentEvent.action": (lambda v: ConsentEvent(SURVEY, SMS, v, AT, "form"), wrong_types),
    "ConsentEvent.at": (
        lambda v: ConsentEvent(SURVEY, SMS, ConsentAction.GRANT, v, "form"),
        bad_instants,
    ),
    "ConsentEvent.evidence": (
        lambda v: ConsentEvent(SURVEY, SMS, ConsentAction.GRANT, AT, v),
        bad_text,
    ),
    "ConsentLedger.party_id": (ConsentLedger, bad_ids),
    "ConsentLedger.events": (
        lambda v: ConsentLedger("P1", v),
        st.sampled_from([7, "grant", [7], {"a": 1}, None]),
    ),
    "ConsentLedger.record": (LEDGER.record, wrong_types),
    "ConsentLedger.grant.purpose": (lambda v: LEDGER.grant(v, SMS, AT, evidence="f"), wrong_types),
    "ConsentLedger.grant.at": (
        lambda v: LEDGER.grant(ConsentPurpose.MARKETING, SMS, v, evidence="f"),
        bad_instants,
    ),
    "ConsentLedger.withdraw.channel": (
        lambda v: LEDGER.withdraw(SURVEY, v, AT.add(days=1), evidence="f"),
        wrong_types,
    ),
    "ConsentLedger.withdraw.evidence": (
        lambda v: LEDGER.withdraw(SURVEY, SMS, AT.add(days=1), evidence=v),
        bad_text,
    ),
    "ConsentLedger.history.purpose": (
        LEDGER.history,
        st.sampled_from([7, "survey", True, object()]),
    ),
    "ConsentLedger.history.channel": (
        lambda v: LEDGER.history(SURVEY, v),
        st.sampled_from([7, "SMS", True, object()]),
    ),
    "ConsentLedger.may_contact.purpose": (lambda v: LEDGER.may_contact(v, SMS, AT), wrong_types),
    "ConsentLedger.may_contact.channel": (
        lambda v: LEDGER.may_contact(SURVEY, v, AT),
        wrong_types,
    ),
    "ConsentLedger.may_contact.at": (lambda v: LEDGER.may_contact(SURVEY, SMS, v), bad_instants),
    "ConsentLedger.may_contact.policy": (
        lambda v: LEDGER.may_contact(SURVEY, SMS, AT, policy=v),
        wrong_types,
    ),
    "ConsentLedger.in_force": (LEDGER.in_force, bad_instants),
    "ConsentPolicy.exempt": (
        lambda v: ConsentPolicy(exempt=v),
        st.sampled_from(["marketing", 7, [7], None, {"a": 1}]),
    ),
    "ConsentPolicy.basis": (lambda v: ConsentPolicy(basis=v), bad_text),
}


@pytest.mark.parametrize("name", CONSENT_CALLS)
@given(data=st.data())
@settings(max_examples=10)
def test_bad_consent_input_is_refused(name: str, data: st.DataObject) -> None:
    call, values = CONSENT_CALLS[name]
    bad = data.draw(values)
    assert_refused(lambda: call(bad))


# -- locales --------------------------------------------------------------------------------

LOCALE_CALLS: dict[str, Callable[[object], object]] = {
    "ConsentPurpose.label": SURVEY.label,
    "ContactChannel.label": SMS.label,
    "ConsentEvent.describe": LEDGER.events[0].describe,
    "ConsentDecision.explain": LEDGER.may_contact(SURVEY, SMS, AT).explain,
    "ConsentDecision.explain (exempt)": LEDGER.may_contact(
        ConsentPurpose.SERVICE_NOTICES,
        SMS,
        AT,
        policy=ConsentPolicy(exempt=frozenset({ConsentPurpose.SERVICE_NOTICES})),
    ).explain,
}


@pytest.mark.parametrize("call", LOCALE_CALLS.values(), ids=LOCALE_CALLS.keys())
@given(bad=bad_locales)
@settings(max_examples=10)
def test_unknown_locales_are_refused(call: Callable[[object], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


def test_the_log_filter_still_masks() -> None:
    record = logging.LogRecord("t", logging.INFO, "", 0, "mobile %s", ("13812345678",), None)
    assert MaskingLogFilter().filter(record)
    assert record.getMessage() == "mobile 138****5678"
