"""Tests for personal_data._masking: one policy for what repr, str, logs and exports show."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.errors import InvalidPolicy
from propcrm.personal_data import (
    DEFAULT_MASKING,
    CreditCode,
    IdCardNumber,
    IdentifierKind,
    KeepEnds,
    Maskable,
    MaskingLogFilter,
    MaskingPolicy,
    MobileNumber,
    PersonalIdentifier,
    PersonName,
    VehiclePlate,
)
from propcrm.personal_data._masking import COMPOUND_SURNAMES
from propcrm.testing._personal_data_strategies import (
    credit_codes,
    id_card_numbers,
    mobile_numbers,
    person_names,
    vehicle_plates,
)

# -- the defaults the issue names -------------------------------------------------------------


def test_the_issues_examples() -> None:
    assert str(MobileNumber("13812345678")) == "138****5678"
    assert str(IdCardNumber("11010519491231002X")) == "110***********002X"
    assert str(PersonName("张三丰")) == "张*丰"


def test_default_rules() -> None:
    assert DEFAULT_MASKING.mobile == KeepEnds(3, 4)
    assert DEFAULT_MASKING.id_number == KeepEnds(3, 4)
    assert DEFAULT_MASKING.credit_code == KeepEnds(2, 4)
    assert DEFAULT_MASKING.vehicle_plate == KeepEnds(2, 2)
    assert DEFAULT_MASKING.mask_char == "*"
    assert {"欧阳", "司马", "诸葛", "上官"} <= COMPOUND_SURNAMES


def test_identifiers_are_maskable() -> None:
    assert isinstance(MobileNumber("13812345678"), Maskable)
    assert not isinstance("13812345678", Maskable)


# -- the no-more-than-the-policy property -----------------------------------------------------

FIXED_SHAPE = st.one_of(mobile_numbers(), id_card_numbers(), credit_codes(), vehicle_plates())

POLICIES = st.builds(
    MaskingPolicy,
    mobile=st.builds(KeepEnds, st.integers(0, 4), st.integers(0, 4)),
    id_number=st.builds(KeepEnds, st.integers(0, 6), st.integers(0, 6)),
    credit_code=st.builds(KeepEnds, st.integers(0, 6), st.integers(0, 6)),
    vehicle_plate=st.builds(KeepEnds, st.integers(0, 3), st.integers(0, 3)),
    mask_char=st.sampled_from("*#•×"),
)


@settings(max_examples=120)
@given(FIXED_SHAPE, POLICIES)
def test_a_mask_shows_exactly_the_positions_the_policy_allows(
    value: PersonalIdentifier, policy: MaskingPolicy
) -> None:
    clear = value.reveal("test")
    masked = value.masked_with(policy)
    rule = policy.rule(value.kind)
    shown = rule.shown_positions(len(clear))
    assert len(masked) == len(clear)
    assert len(shown) < len(clear)  # something is always hidden
    for i, (m, c) in enumerate(zip(masked, clear, strict=True)):
        assert m == (c if i in shown else policy.mask_char)
    # no clear digit or letter appears outside the allowed positions
    assert all(not masked[i].isalnum() for i in range(len(clear)) if i not in shown)


@settings(max_examples=80)
@given(person_names())
def test_a_masked_name_shows_at_most_the_surname_and_last_character(name: PersonName) -> None:
    clear = name.reveal("test")
    masked = str(name)
    assert len(masked) == len(clear)
    visible = [i for i, char in enumerate(masked) if char != "*"]
    separators = {i for i, char in enumerate(clear) if char in " ·.-'"}
    if separators:  # Latin: the first letter of each part, and the separators
        initials = {0} | {i + 1 for i in separators} - separators
        assert set(visible) == initials | separators
        return
    surname = 2 if len(clear) > 2 and clear[:2] in COMPOUND_SURNAMES else 1
    allowed = set(range(surname))
    if len(clear) - surname >= 2:
        allowed.add(len(clear) - 1)
    assert set(visible) == allowed
    assert all(masked[i] == clear[i] for i in visible)
    assert "*" in masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王", "*"),
        ("王五", "王*"),
        ("欧阳", "欧*"),
        ("欧阳修", "欧阳*"),
        ("欧阳娜娜", "欧阳*娜"),
        ("司马相如", "司马*如"),
        ("张三丰丰", "张**丰"),
        ("Mary-Jane O'Neil", "M***-J*** O'N***"),
    ],
)
def test_names_edge_cases(name: str, masked: str) -> None:
    assert DEFAULT_MASKING.mask_name(name) == masked


def test_a_policy_can_add_compound_surnames() -> None:
    policy = MaskingPolicy(compound_surnames=COMPOUND_SURNAMES | {"张简"})
    assert PersonName("张简明亮").masked_with(policy) == "张简*亮"
    assert str(PersonName("张简明亮")) == "张**亮"


# -- policy validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"mobile": KeepEnds(7, 4)}, "hiding nothing"),
        ({"id_number": KeepEnds(9, 9)}, "hiding nothing"),
        ({"vehicle_plate": KeepEnds(4, 3)}, "hiding nothing"),
        ({"mask_char": "x"}, "not a letter or digit"),
        ({"mask_char": "**"}, "one character"),
    ],
)
def test_a_policy_that_would_hide_nothing_is_refused(
    kwargs: dict[str, object], fragment: str
) -> None:
    with pytest.raises(InvalidPolicy, match=fragment):
        MaskingPolicy(**kwargs)  # type: ignore[arg-type]  # values of several types


def test_keep_ends_refuses_negative_counts_and_masks_short_text_whole() -> None:
    with pytest.raises(InvalidPolicy, match="0 or more"):
        KeepEnds(-1, 2)
    assert KeepEnds(2, 2).apply("abcd", "*") == "****"
    assert KeepEnds(0, 0).apply("abc", "#") == "###"


def test_names_have_no_head_tail_rule() -> None:
    with pytest.raises(InvalidPolicy, match="mask_name"):
        DEFAULT_MASKING.rule(IdentifierKind.PERSON_NAME)
    assert DEFAULT_MASKING.mask_text(IdentifierKind.PERSON_NAME, "李四") == "李*"


def test_exports_use_the_same_policy_as_repr() -> None:
    @attrs.frozen
    class Row:
        plate: VehiclePlate
        code: CreditCode
        note: str

    row = Row(VehiclePlate("京AD12345"), CreditCode("91110000600037341L"), "13812345678")
    exported = attrs.asdict(row, value_serializer=DEFAULT_MASKING.export_value)
    assert exported == {
        "plate": str(row.plate),
        "code": str(row.code),
        "note": "13812345678",  # plain text is not an identifier; scrub() is for free text
    }


# -- scrubbing free text and logs -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("13812345678", "138****5678"),
        ("tel: +86 138 1234 5678.", "tel: 138****5678."),
        ("ID 11010519491231002x ok", "ID 110***********002X ok"),
        ("code 91110000600037341L", "code 91************341L"),
        ("order 2026112400001234567890", "order 2026112400001234567890"),
        ("amount 1234.56 on 2026-11-24", "amount 1234.56 on 2026-11-24"),
    ],
)
def test_scrub_masks_identifiers_in_free_text(text: str, scrubbed: str) -> None:
    assert DEFAULT_MASKING.scrub(text) == scrubbed


@settings(max_examples=60)
@given(st.one_of(mobile_numbers(), id_card_numbers()), st.text(max_size=20))
def test_scrub_never_leaves_a_clear_mobile_or_id_number(
    value: PersonalIdentifier, around: str
) -> None:
    clear = value.reveal("test")
    text = f"{around} {clear} {around}"
    assert clear not in DEFAULT_MASKING.scrub(text)


@pytest.fixture
def masked_log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskingLogFilter())
    logger = logging.getLogger("propcrm.tests.masking")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    yield logger, stream
    logger.removeHandler(handler)


def test_the_log_filter_masks_identifier_arguments_and_clear_text(
    masked_log: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = masked_log
    mobile = MobileNumber("13812345678")
    logger.info("owner %s called", mobile)
    logger.info("owner %(id)s registered", {"id": "11010519491231002X"})
    clear = mobile.reveal("demonstrate the safety net")
    logger.info(f"clear by mistake: {clear}")  # the mistake the filter catches
    lines = stream.getvalue().splitlines()
    assert lines == [
        "owner 138****5678 called",
        "owner 110***********002X registered",
        "clear by mistake: 138****5678",
    ]


def test_the_log_filter_never_drops_a_record() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "nothing personal", None, None)
    assert MaskingLogFilter().filter(record) is True
    assert record.getMessage() == "nothing personal"
