"""Hypothesis strategies for personal data and satisfaction surveys.

Every value drawn passes its type's own validation: ID numbers carry a correct GB 11643 check
character, a real birth date and a county code python-stdnum knows for every birth year drawn;
credit codes a correct GB 32100 check character; mobile numbers a prefix the numbering plan gives
to mobile networks. The ``*_texts`` strategies draw the clear text (sometimes with the spaces,
dashes, ``+86`` or lower case that the types normalise away); the others build the value types.

>>> from hypothesis import given, settings
>>> @settings(max_examples=20, database=None)
... @given(id_card_numbers())
... def test_id_numbers_mask_the_middle(number):
...     assert str(number)[3:14] == "*" * 11
>>> test_id_numbers_mask_the_middle()
"""

from __future__ import annotations

import datetime

import pendulum
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from propcrm.analytics import (
    DEFAULT_SURVEY_POLICY,
    CriterionScore,
    ServiceCriterion,
    SurveyPolicy,
    SurveyResponse,
    SurveyRound,
)
from propcrm.personal_data._consent import ConsentPurpose, ContactChannel
from propcrm.personal_data._identifiers import (
    PLATE_LETTERS,
    PLATE_PROVINCES,
    CreditCode,
    IdCardNumber,
    MobileNumber,
    PersonName,
    VehiclePlate,
)
from propcrm.personal_data._masking import COMPOUND_SURNAMES
from propcrm.time import (
    DEFAULT_ZONE,
    BillingPeriod,
)

__all__ = [
    "consent_channels",
    "consent_purposes",
    "credit_code_texts",
    "credit_codes",
    "id_card_numbers",
    "id_number_texts",
    "mobile_numbers",
    "mobile_texts",
    "person_name_texts",
    "person_names",
    "plate_texts",
    "survey_responses",
    "survey_rounds",
    "vehicle_plates",
]

# County codes python-stdnum accepts for every birth year from 1900 to 2029 (the municipalities'
# central districts; other provinces' codes changed over the decades). Checked by a test.
ID_REGIONS = (
    "110101",
    "110102",
    "110105",
    "110106",
    "110108",
    "120101",
    "120102",
    "120103",
    "310101",
    "310104",
    "310105",
    "310106",
    "310107",
    "310110",
)
_EARLIEST_BIRTH = datetime.date(1920, 1, 1)
_LATEST_BIRTH = datetime.date(2025, 12, 31)

# Three-digit prefixes all of whose numbers phonenumbers' metadata calls mobile. Checked by a test.
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "166", "176", "177", "178",
    "180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
    "198", "199",
)  # fmt: skip

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
_LATIN_GIVEN = ("John", "Mary", "Anna", "Li", "Pierre", "Olga")
_LATIN_FAMILY = ("Smith", "Chen", "Müller", "O'Neil", "Garcia", "Kim")
_DIGITS = "0123456789"
_PLATE_ALNUM = "".join(sorted(PLATE_LETTERS)) + _DIGITS


def _check_digit(body: str) -> str:
    # stdnum's function reads all but the last character, so it gets a placeholder check digit.
    result: str = ric.calc_check_digit(body + "0")
    return result


@st.composite
def id_number_texts(
    draw: st.DrawFn,
    *,
    min_birth: datetime.date = _EARLIEST_BIRTH,
    max_birth: datetime.date = _LATEST_BIRTH,
) -> str:
    """Clear text of valid 18-character ID numbers born between ``min_birth`` and ``max_birth``."""
    region = draw(st.sampled_from(ID_REGIONS))
    born = draw(st.dates(min_value=min_birth, max_value=max_birth))
    sequence = draw(st.integers(0, 999))
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    number = body + _check_digit(body)
    return number.lower() if draw(st.booleans()) else number


def id_card_numbers(
    *, min_birth: datetime.date = _EARLIEST_BIRTH, max_birth: datetime.date = _LATEST_BIRTH
) -> st.SearchStrategy[IdCardNumber]:
    """Valid :class:`~propcrm.personal_data.IdCardNumber` values."""
    return id_number_texts(min_birth=min_birth, max_birth=max_birth).map(IdCardNumber)


@st.composite
def credit_code_texts(draw: st.DrawFn) -> str:
    """Clear text of valid unified social credit codes (GB 32100)."""
    head = draw(st.text(_DIGITS, min_size=8, max_size=8))
    organisation = draw(st.text(_USCC_ALPHABET, min_size=9, max_size=9))
    body = head + organisation
    check: str = uscc.calc_check_digit(body)
    return body + check


def credit_codes() -> st.SearchStrategy[CreditCode]:
    """Valid :class:`~propcrm.personal_data.CreditCode` values."""
    return credit_code_texts().map(CreditCode)


@st.composite
def mobile_texts(draw: st.DrawFn) -> str:
    """Clear text of mainland mobile numbers, plain or written with +86, spaces or dashes."""
    digits = draw(st.sampled_from(MOBILE_PREFIXES)) + draw(st.text(_DIGITS, min_size=8, max_size=8))
    style = draw(st.sampled_from(("plain", "spaced", "dashed", "international")))
    if style == "spaced":
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if style == "dashed":
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if style == "international":
        return f"+86 {digits}"
    return digits


def mobile_numbers() -> st.SearchStrategy[MobileNumber]:
    """Valid :class:`~propcrm.personal_data.MobileNumber` values."""
    return mobile_texts().map(MobileNumber)


@st.composite
def plate_texts(draw: st.DrawFn) -> str:
    """Clear text of ordinary (7-character) and new-energy (8-character) plates."""
    head = draw(st.sampled_from(sorted(PLATE_PROVINCES))) + draw(
        st.sampled_from(sorted(PLATE_LETTERS))
    )
    kind = draw(st.sampled_from(("ordinary", "small", "large")))
    if kind == "ordinary":
        return head + draw(st.text(_PLATE_ALNUM, min_size=5, max_size=5))
    if kind == "small":
        return (
            head
            + draw(st.sampled_from("DF"))
            + draw(st.sampled_from(_PLATE_ALNUM))
            + draw(st.text(_DIGITS, min_size=4, max_size=4))
        )
    return head + draw(st.text(_DIGITS, min_size=5, max_size=5)) + draw(st.sampled_from("DF"))


def vehicle_plates() -> st.SearchStrategy[VehiclePlate]:
    """Valid :class:`~propcrm.personal_data.VehiclePlate` values of all three kinds."""
    return plate_texts().map(VehiclePlate)


@st.composite
def person_name_texts(draw: st.DrawFn) -> str:
    """Chinese names (single and compound surnames, 1-3 given characters) and Latin names."""
    kind = draw(st.sampled_from(("chinese", "compound", "latin")))
    if kind == "latin":
        return f"{draw(st.sampled_from(_LATIN_GIVEN))} {draw(st.sampled_from(_LATIN_FAMILY))}"
    surname = draw(
        st.sampled_from(_SURNAMES)
        if kind == "chinese"
        else st.sampled_from(sorted(COMPOUND_SURNAMES))
    )
    return surname + draw(st.text(_GIVEN, min_size=1, max_size=3))


def person_names() -> st.SearchStrategy[PersonName]:
    """Valid :class:`~propcrm.personal_data.PersonName` values."""
    return person_name_texts().map(PersonName)


def consent_purposes() -> st.SearchStrategy[ConsentPurpose]:
    """Consent purposes, shrinking to the first (marketing)."""
    return st.sampled_from(ConsentPurpose)


def consent_channels() -> st.SearchStrategy[ContactChannel]:
    """Contact channels, shrinking to the first (SMS)."""
    return st.sampled_from(ContactChannel)


_TEAMS = ("客服一组", "客服二组", "工程部")
_STAFF = ("S001", "S002", "S003", "S004")


@st.composite
def survey_responses(
    draw: st.DrawFn,
    *,
    quarter: BillingPeriod | None = None,
    policy: SurveyPolicy = DEFAULT_SURVEY_POLICY,
    zone: str = DEFAULT_ZONE,
) -> SurveyResponse:
    """Survey responses answered within ``quarter`` (default: 2026 Q1), within ``policy``'s scales.

    Each answers CSAT, NPS and any of the ten criteria, or leaves any of them out, as real
    respondents do.
    """
    period = quarter if quarter is not None else BillingPeriod.quarter(2026, 1)
    day = draw(st.integers(0, period.days - 1))
    seconds = draw(st.integers(0, 24 * 3600 - 1))
    start = period.start
    answered = pendulum.datetime(start.year, start.month, start.day, tz=zone).add(
        days=day, seconds=seconds
    )
    low, high = policy.servqual_scale
    criteria = draw(st.lists(st.sampled_from(ServiceCriterion), unique=True, max_size=10))
    scores = tuple(
        CriterionScore(criterion, draw(st.integers(low, high)), draw(st.integers(low, high)))
        for criterion in criteria
    )
    return SurveyResponse(
        response_id=f"R{draw(st.integers(0, 10**9)):09d}",
        answered_at=answered,
        team=draw(st.sampled_from(_TEAMS)),
        staff=draw(st.none() | st.sampled_from(_STAFF)),
        csat=draw(st.none() | st.integers(*policy.csat_scale)),
        nps=draw(st.none() | st.integers(*policy.nps_scale)),
        criteria=scores,
    )


@st.composite
def survey_rounds(
    draw: st.DrawFn,
    *,
    quarter: BillingPeriod | None = None,
    policy: SurveyPolicy = DEFAULT_SURVEY_POLICY,
    max_responses: int = 60,
) -> SurveyRound:
    """A quarter's survey round holding up to ``max_responses`` responses with distinct ids."""
    period = quarter if quarter is not None else BillingPeriod.quarter(2026, 1)
    responses = draw(
        st.lists(
            survey_responses(quarter=period, policy=policy),
            max_size=max_responses,
            unique_by=lambda r: r.response_id,
        )
    )
    return SurveyRound(period, tuple(responses), policy)
