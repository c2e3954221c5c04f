"""Tests for complaints._kinds: request kinds, intake channels and attachments."""

from __future__ import annotations

import pytest

from propcrm.complaints import Attachment, IntakeChannel, RequestKind
from propcrm.errors import InvalidRequest, UnsupportedLocale

KIND_LABELS = {
    RequestKind.COMPLAINT: ("投诉", "complaint"),
    RequestKind.REPAIR: ("报修", "repair"),
    RequestKind.ENQUIRY: ("咨询", "enquiry"),
    RequestKind.SUGGESTION: ("建议", "suggestion"),
    RequestKind.SPECIAL_SERVICE: ("特约服务", "special-service order"),
}

CHANNEL_LABELS = {
    IntakeChannel.HOTLINE: ("服务热线", "hotline"),
    IntakeChannel.COUNTER: ("服务前台", "counter"),
    IntakeChannel.APP: ("App", "app"),
    IntakeChannel.WECHAT: ("微信", "WeChat"),
    IntakeChannel.VISIT: ("上门", "visit"),
}


def test_the_five_kinds_of_the_brief_and_the_five_channels() -> None:
    assert set(KIND_LABELS) == set(RequestKind)
    assert set(CHANNEL_LABELS) == set(IntakeChannel)
    assert [k.value for k in RequestKind] == [
        "complaint",
        "repair",
        "enquiry",
        "suggestion",
        "special_service",
    ]


@pytest.mark.parametrize("member", [*RequestKind, *IntakeChannel])
def test_every_member_has_a_chinese_and_an_english_label(
    member: RequestKind | IntakeChannel,
) -> None:
    zh, en = {**KIND_LABELS, **CHANNEL_LABELS}[member]
    assert member.label() == zh
    assert member.label("zh_CN") == zh
    assert member.label("zh-CN") == zh  # either spelling
    assert member.label("en_US") == en


# Only zh_CN and en_US have catalogs: Taiwan's Traditional script and German are refused, never
# answered silently in Simplified Chinese or in English.
@pytest.mark.parametrize("locale", ["zh_TW", "de_DE", "zh", "xx-nonsense-!"])
def test_an_unsupported_locale_is_refused(locale: str) -> None:
    with pytest.raises(UnsupportedLocale, match="'zh_CN' and 'en_US' only"):
        RequestKind.REPAIR.label(locale)
    with pytest.raises(UnsupportedLocale):
        IntakeChannel.APP.label(locale)


def test_an_attachment_is_held_by_reference() -> None:
    photo = Attachment("oss://photos/leak.jpg", media_type="image/jpeg", name="leak.jpg")
    assert (photo.ref, photo.media_type, photo.name) == (
        "oss://photos/leak.jpg",
        "image/jpeg",
        "leak.jpg",
    )
    assert Attachment("key-1") == Attachment("key-1")
    assert Attachment("key-1").media_type == ""


@pytest.mark.parametrize("ref", ["", "   ", None, b"bytes", 42])
def test_an_attachment_needs_a_non_empty_reference(ref: object) -> None:
    with pytest.raises(InvalidRequest, match="by reference: a non-empty storage key or URI"):
        Attachment(ref)  # type: ignore[arg-type]  # bad input on purpose


@pytest.mark.parametrize("field", ["media_type", "name"])
def test_attachment_text_fields_are_str(field: str) -> None:
    with pytest.raises(InvalidRequest, match=f"attachment's {field} is a str"):
        Attachment("key-1", **{field: 3})  # type: ignore[arg-type]  # bad input on purpose
