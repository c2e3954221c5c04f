"""Tests for complaints._steps: the intake, the data of a step, the step itself."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.bad_input import assert_refused

from propcrm.classification import (
    Category,
    Location,
    RequesterAttribute,
    RequesterProfile,
    RequestFacts,
)
from propcrm.complaints import (
    SYSTEM,
    Action,
    Actor,
    Attachment,
    CallbackOutcome,
    CallbackRecord,
    Field,
    HoldReason,
    Intake,
    IntakeChannel,
    Quote,
    RequestKind,
    Role,
    Step,
    StepData,
)
from propcrm.complaints._steps import EMPTY
from propcrm.errors import (
    InvalidRequest,
    InvalidType,
    NaiveDatetime,
    NotAnInstant,
    UnsupportedLocale,
)
from propcrm.money import Money

AT = pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Shanghai")
AGENT = Actor("KF-01", Role.AGENT)


def intake(**changes: object) -> Intake:
    values: dict[str, object] = {
        "request_id": "R-1",
        "kind": RequestKind.REPAIR,
        "requester": "P-301",
        "channel": IntakeChannel.HOTLINE,
        "category": Category.WATER_LEAK,
    }
    values.update(changes)
    return Intake(**values)  # type: ignore[arg-type]  # test input of every kind


QUOTE = Quote(
    "2026A",
    "AC-CLEAN",
    "空调清洗",
    "3",
    "台",
    Money("80.00"),
    Money("240.00"),
    pendulum.date(2026, 11, 24),
)

# One valid value per field, to build a StepData carrying any subset of fields.
SAMPLES: dict[Field, object] = {
    Field.INTAKE: intake(),
    Field.PRIORITY: "P2",
    Field.CLASSIFIED_BY: "rule 'leak'",
    Field.REASON: "night leak",
    Field.NOTE: "换阀门",
    Field.REFERRAL: "居委会",
    Field.DUPLICATE_OF: "R-0",
    Field.ASSIGNEE: "W-07",
    Field.TEAM: "ENG",
    Field.LEVEL: 2,
    Field.HOLD_REASON: HoldReason.WAITING_FOR_PARTS,
    Field.OUTCOME: CallbackOutcome.SATISFIED,
    Field.SCORE: 5,
    Field.APPOINTMENT: AT.add(hours=2),
    Field.QUOTE: QUOTE,
    Field.STATEMENT: "ST-2026-11",
}


# -- Intake ---------------------------------------------------------------------------------


def test_intake_defaults() -> None:
    made = intake()
    assert made.unit is None
    assert made.territory is None
    assert (made.description, made.remedy_sought, made.attachments) == ("", "", ())
    assert made.location is Location.UNSPECIFIED
    assert made.requester_profile == RequesterProfile()


def test_intake_holds_everything_the_issue_names() -> None:
    made = intake(
        unit="1-2-0301",
        description="厨房水管漏水",
        remedy_sought="修好并赔偿地板",
        attachments=[Attachment("oss://leak.jpg")],
        location=Location.IN_HOME,
        territory="B1",
    )
    assert made.attachments == (Attachment("oss://leak.jpg"),)  # a list becomes a tuple
    assert made.remedy_sought == "修好并赔偿地板"


def test_intake_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        Intake("R-1", RequestKind.REPAIR, "P-1", IntakeChannel.APP, Category.OTHER)  # type: ignore[misc]  # positional on purpose


def test_intake_facts_are_what_the_classifier_reads() -> None:
    profile = RequesterProfile.of(RequesterAttribute.PREGNANT)
    made = intake(location=Location.IN_HOME, description="漏水", requester_profile=profile)
    assert made.facts(AT) == RequestFacts(
        category=Category.WATER_LEAK,
        received_at=AT,
        location=Location.IN_HOME,
        description="漏水",
        requester=profile,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"request_id": ""}, "request_id '' must be non-empty text without spaces"),
        ({"request_id": 7}, "request_id 7 must be non-empty text without spaces"),
        ({"request_id": "R 1"}, "request_id 'R 1' must be non-empty text without spaces"),
        ({"request_id": "R" * 65}, "at most 64 characters"),
        ({"requester": " "}, "requester ' ' must be non-empty text without spaces"),
        ({"unit": ""}, "unit '' must be non-empty text without spaces"),
        ({"territory": ""}, "territory '' must be non-empty text without spaces"),
        ({"kind": "repair"}, "kind 'repair' must be a RequestKind member, e.g. RequestKind."),
        ({"channel": "app"}, "channel 'app' must be a IntakeChannel member"),
        ({"category": "leak"}, "category 'leak' must be a Category member"),
        ({"location": "home"}, "location 'home' must be a Location member"),
        ({"description": " "}, "description must not be empty, got ' '"),
        ({"remedy_sought": "\n"}, "remedy_sought must not be empty"),
        (
            {"kind": RequestKind.COMPLAINT, "description": ""},
            "complaint R-1 needs a description of what it is about",
        ),
        ({"attachments": ["oss://x"]}, "attachments are Attachment references"),
    ],
)
def test_intake_refuses_bad_input(changes: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        intake(**changes)


@pytest.mark.parametrize(("field", "value"), [("description", None), ("remedy_sought", 3)])
def test_intake_text_is_text(field: str, value: object) -> None:
    with pytest.raises(InvalidType, match=f"{field} must be text"):
        intake(**{field: value})


def test_only_a_complaint_needs_a_description() -> None:
    # A repair's category and location say what it is; a complaint's category cannot.
    assert intake(kind=RequestKind.REPAIR, description="").description == ""
    error = assert_refused(lambda: intake(kind=RequestKind.COMPLAINT, description=""))
    assert (error.field, error.value) == ("description", "")


def test_an_attachment_is_given_once() -> None:
    leak = Attachment("oss://photos/leak-1.jpg")
    with pytest.raises(
        InvalidRequest, match=r"names the reference 'oss://photos/leak-1\.jpg' twice"
    ):
        intake(attachments=[leak, leak])


def test_intake_profile_must_be_a_profile() -> None:
    with pytest.raises(TypeError, match="requester_profile"):
        intake(requester_profile={"pregnant"})


# -- StepData -------------------------------------------------------------------------------


def test_every_intake_field_is_documented() -> None:
    # requester_profile, which raises an elderly resident's leak to 特急, was once in no document.
    docs = Path(__file__).resolve().parent.parent / "docs"
    complaints = (docs / "complaints.md").read_text(encoding="utf-8")
    for field in attrs.fields(Intake):
        assert re.search(rf"\b{field.name}\b", complaints), field.name
    assert "requester_profile=RequesterProfile.of(" in (Intake.__doc__ or "")
    assert "Intake(requester_profile=…)" in (docs / "sla-classification.md").read_text(
        encoding="utf-8"
    )


def test_fields_are_exactly_the_step_data_attributes() -> None:
    names = {a.name for a in attrs.fields(StepData) if a.init}
    assert names == {f.value for f in Field}


def test_empty_carries_nothing() -> None:
    assert StepData() == EMPTY
    assert EMPTY.given == frozenset()


@given(st.sets(st.sampled_from(list(Field))))
def test_given_is_the_fields_carried(fields: set[Field]) -> None:
    data = StepData(**{f.value: SAMPLES[f] for f in fields})  # type: ignore[arg-type]  # samples
    assert data.given == fields


def test_given_is_not_part_of_equality() -> None:
    assert StepData(note="a") == StepData(note="a")
    assert StepData(note="a") != StepData(note="b")


@pytest.mark.parametrize("score", [1, 3, 5])
def test_scores_on_the_one_to_five_scale(score: int) -> None:
    assert StepData(score=score).score == score


@pytest.mark.parametrize("score", [0, 6, -1, True, 4.0, "5"])
def test_a_score_off_the_scale_is_refused(score: object) -> None:
    with pytest.raises(InvalidRequest, match=r"a satisfaction score is an int from 1 to 5 \(brief"):
        StepData(score=score)  # type: ignore[arg-type]  # bad input on purpose


@pytest.mark.parametrize("level", [0, -2, True, 1.5, "2"])
def test_an_escalation_level_is_one_or_more(level: object) -> None:
    with pytest.raises(InvalidRequest, match="an escalation level is an int of 1 or more"):
        StepData(level=level)  # type: ignore[arg-type]  # bad input on purpose


@pytest.mark.parametrize(
    "field", ["priority", "classified_by", "reason", "note", "referral", "duplicate_of"]
)
@pytest.mark.parametrize("value", ["", "   ", 5])
def test_text_fields_are_non_empty_when_given(field: str, value: object) -> None:
    with pytest.raises(InvalidRequest, match=f"{field} must be non-empty text when given"):
        StepData(**{field: value})  # type: ignore[arg-type]  # bad input on purpose


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hold_reason", "parts", "hold_reason 'parts' must be a HoldReason member"),
        ("outcome", "satisfied", "outcome 'satisfied' must be a CallbackOutcome member"),
    ],
)
def test_enum_fields_need_members(field: str, value: object, message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        StepData(**{field: value})  # type: ignore[arg-type]  # bad input on purpose


def test_appointment_is_an_aware_datetime() -> None:
    utc = pendulum.datetime(2026, 11, 24, 3, 0, tz="UTC")
    data = StepData(appointment=datetime.datetime(2026, 11, 24, 3, 0, tzinfo=datetime.UTC))
    assert isinstance(data.appointment, pendulum.DateTime)
    assert data.appointment == utc
    with pytest.raises(NotAnInstant, match="appointment must be an aware datetime"):
        StepData(appointment=pendulum.date(2026, 11, 24))  # type: ignore[arg-type]  # on purpose
    with pytest.raises(NaiveDatetime):
        StepData(appointment=datetime.datetime(2026, 11, 24, 9, 0))  # noqa: DTZ001 - naive on purpose


@pytest.mark.parametrize(("field", "value"), [("intake", "R-1"), ("quote", "240.00")])
def test_intake_and_quote_are_typed(field: str, value: object) -> None:
    with pytest.raises(TypeError, match=field):
        StepData(**{field: value})  # type: ignore[arg-type]  # bad input on purpose


# -- Step -----------------------------------------------------------------------------------


def test_a_step_with_no_data_carries_empty() -> None:
    step = Step(Action.ACKNOWLEDGE, AGENT, AT)
    assert step.data is EMPTY
    assert step == Step(Action.ACKNOWLEDGE, AGENT, AT, StepData())


def test_a_step_time_becomes_a_pendulum_datetime() -> None:
    step = Step(
        Action.ACKNOWLEDGE, AGENT, datetime.datetime(2026, 11, 24, 1, 30, tzinfo=datetime.UTC)
    )
    assert isinstance(step.at, pendulum.DateTime)
    assert step.at == AT


def test_a_step_refuses_bad_input() -> None:
    with pytest.raises(InvalidRequest, match="action 'hold' must be a Action member"):
        Step("hold", AGENT, AT)  # type: ignore[arg-type]  # bad input on purpose
    with pytest.raises(TypeError, match="actor"):
        Step(Action.HOLD, "KF-01", AT)  # type: ignore[arg-type]  # bad input on purpose
    with pytest.raises(NotAnInstant, match="at must be an aware datetime"):
        Step(Action.HOLD, AGENT, pendulum.date(2026, 11, 24))  # type: ignore[arg-type]  # on purpose
    with pytest.raises(NaiveDatetime):
        Step(Action.HOLD, AGENT, datetime.datetime(2026, 11, 24, 9, 0))  # noqa: DTZ001 - on purpose
    with pytest.raises(TypeError, match="data"):
        Step(Action.HOLD, AGENT, AT, {"hold_reason": HoldReason.WAITING_FOR_PARTS})  # type: ignore[arg-type]  # on purpose


def test_describe_says_when_who_what() -> None:
    step = Step(Action.DISPATCH, AGENT, AT, StepData(assignee="W-07"))
    assert step.describe() == "2026-11-24 09:30 KF-01 (客服) 派工"
    assert step.describe("en_US") == "2026-11-24 09:30 KF-01 (agent) dispatch"
    assert Step(Action.REOPEN, SYSTEM, AT).describe("en_US").endswith("system (system) reopen")
    with pytest.raises(UnsupportedLocale):
        step.describe("en_GB")


@pytest.mark.parametrize(
    ("member", "zh", "en"),
    [
        (HoldReason.WAITING_FOR_OWNER, "等待业主", "waiting for the owner"),
        (HoldReason.WAITING_FOR_PARTS, "等待配件", "waiting for parts"),
        (HoldReason.WAITING_FOR_THIRD_PARTY, "等待第三方", "waiting for a third party"),
        (CallbackOutcome.SATISFIED, "满意", "satisfied"),
        (CallbackOutcome.DISSATISFIED, "不满意", "dissatisfied"),
        (CallbackOutcome.UNREACHABLE, "无法联系", "unreachable"),
    ],
)
def test_hold_reasons_and_callback_outcomes_in_both_locales(
    member: HoldReason | CallbackOutcome, zh: str, en: str
) -> None:
    assert (member.label(), member.label("zh_CN"), member.label("en_US")) == (zh, zh, en)
    with pytest.raises(UnsupportedLocale):
        member.label("zh_TW")


# -- reasons and outcomes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "zh", "en"),
    [
        (HoldReason.WAITING_FOR_OWNER, "等待业主", "waiting for the owner"),
        (HoldReason.WAITING_FOR_PARTS, "等待配件", "waiting for parts"),
        (HoldReason.WAITING_FOR_THIRD_PARTY, "等待第三方", "waiting for a third party"),
        (CallbackOutcome.SATISFIED, "满意", "satisfied"),
        (CallbackOutcome.DISSATISFIED, "不满意", "dissatisfied"),
        (CallbackOutcome.UNREACHABLE, "无法联系", "unreachable"),
    ],
)
def test_labels(member: HoldReason | CallbackOutcome, zh: str, en: str) -> None:
    assert (member.label(), member.label("en_US")) == (zh, en)


def test_hold_and_outcome_members_are_all_labelled() -> None:
    assert len(HoldReason) == 3
    assert len(CallbackOutcome) == 3


def test_only_an_unreachable_customer_was_not_reached() -> None:
    assert CallbackOutcome.SATISFIED.reached
    assert CallbackOutcome.DISSATISFIED.reached
    assert not CallbackOutcome.UNREACHABLE.reached


def test_a_callback_record() -> None:
    record = CallbackRecord(AT, AGENT, CallbackOutcome.SATISFIED, 5, 1)
    assert record.note is None
    assert record == CallbackRecord(AT, AGENT, CallbackOutcome.SATISFIED, 5, 1, None)
