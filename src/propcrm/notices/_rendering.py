"""A notice's text for each channel: an SMS within its length, WeChat template fields within theirs.

Sending is the caller's; propcrm writes what is sent and refuses what the channel would cut.

**SMS.** Mainland carriers require the sender's signature in 【】 at the start, and 【 is outside
the 7-bit GSM alphabet, so every such message is sent as UCS-2: 70 characters fit in one message,
67 in each part of a longer one (the rest of each part carries the joining header).
:func:`render_sms` counts the parts and refuses more than the policy allows.

**WeChat.** A template (模板消息 / 订阅消息) has named fields of fixed kinds: ``thing`` at most
20 characters, ``phrase`` 5, ``character_string`` 32, and ``time`` a date and time. The caller
declares which field carries what (:class:`TemplateField`); :func:`render_wechat` fills them,
shortening a ``thing`` with an ellipsis where the template allows, and says which it shortened.

>>> ten = pendulum.datetime(2026, 12, 1, 10, 0, tz="Asia/Shanghai")
>>> from propcrm.notices import Everyone, Notice, NoticeKind
>>> notice = Notice(
...     notice_id="N-2",
...     kind=NoticeKind.SERVICE_REMINDER,
...     title="冬季供暖试水",
...     body="12月3日起暖气试水，请关好阀门，家中留人。",
...     issued_at=ten,
...     audience=Everyone(),
... )
>>> sms = render_sms(notice, SmsPolicy(signature="【阳光物业】"))
>>> sms.text, sms.characters, sms.parts
('【阳光物业】冬季供暖试水：12月3日起暖气试水，请关好阀门，家中留人。', 35, 1)
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale
from propcrm._validators import check_instance, check_int, check_items, check_text, instance_of
from propcrm.errors import InvalidNotice, RenderRefused
from propcrm.notices._notices import Notice

__all__ = [
    "FieldKind",
    "NoticeField",
    "SmsPolicy",
    "SmsText",
    "TemplateField",
    "WeChatMessage",
    "WeChatTemplate",
    "render_sms",
    "render_wechat",
]


def _signature(_instance: object, _attribute: object, value: Any) -> None:
    text = check_text(value, "signature", InvalidNotice, max_length=20)
    if not (text.startswith("【") and text.endswith("】")):
        raise InvalidNotice(
            f"an SMS signature is the sender's name in 【】, got {text!r}.",
            field="signature",
            value=text,
            allowed="text like '【阳光物业】'",
        )


def _limit(field: str, maximum: int) -> Callable[[Any, Any, Any], None]:
    def check(_instance: object, _attribute: object, value: Any) -> None:
        check_int(value, field, InvalidNotice, minimum=1, maximum=maximum)

    return check


@attrs.frozen
class SmsPolicy:
    """The sender's signature, the most parts one notice may take, and the carriers' sizes."""

    signature: str = attrs.field(validator=_signature)
    max_parts: int = attrs.field(default=3, validator=_limit("max_parts", 10))
    single: int = attrs.field(default=70, validator=_limit("single", 1000))
    part: int = attrs.field(default=67, validator=_limit("part", 1000))


@attrs.frozen
class SmsText:
    """The text to send, its length in characters, and how many messages it takes."""

    text: str
    characters: int
    parts: int


def render_sms(notice: Notice, policy: SmsPolicy) -> SmsText:
    """``【signature】title：body``, if it fits in ``policy.max_parts`` messages."""
    check_instance(notice, "notice", Notice, error=InvalidNotice)
    check_instance(policy, "policy", SmsPolicy, error=InvalidNotice)
    text = f"{policy.signature}{notice.title}：{notice.body}"
    single, part = policy.single, policy.part
    length = len(text)
    parts = 1 if length <= single else -(-length // part)
    if parts > policy.max_parts:
        most = single if policy.max_parts == 1 else part * policy.max_parts
        raise RenderRefused(
            f"the SMS for notice {notice.notice_id} is {length} characters, {parts} messages; "
            f"at most {policy.max_parts} ({most} characters) are allowed. Shorten the body or "
            "send a link.",
            field="body",
            value=length,
            allowed=f"at most {most} characters with the signature and title",
        )
    return SmsText(text, length, parts)


class NoticeField(enum.Enum):
    """What of a notice a template field carries."""

    TITLE = "title"
    BODY = "body"
    KIND = "kind"
    ISSUED_AT = "issued_at"
    EVENT_AT = "event_at"
    PLACE = "place"


class FieldKind(enum.Enum):
    """WeChat's field kinds and their limits."""

    THING = "thing"
    PHRASE = "phrase"
    CHARACTER_STRING = "character_string"
    TIME = "time"

    @property
    def max_length(self) -> int | None:
        """The longest value the kind takes (``None``: a time, formatted)."""
        return {"thing": 20, "phrase": 5, "character_string": 32}.get(self.value)


def _key(_instance: object, _attribute: object, value: Any) -> None:
    text = check_text(value, "key", InvalidNotice, max_length=32)
    if not text.replace("_", "").isalnum() or not text.isascii():
        raise InvalidNotice(
            f"a template field key is ASCII letters, digits and _, like 'thing1', got {text!r}.",
            field="key",
            value=text,
            allowed="ASCII letters, digits and _",
        )


@attrs.frozen
class TemplateField:
    """One field of a template: its key (``thing1``), what it carries, and its kind."""

    key: str = attrs.field(validator=_key)
    source: NoticeField = attrs.field(validator=instance_of(NoticeField))
    kind: FieldKind = attrs.field(validator=instance_of(FieldKind))


def _fields(values: Iterable[TemplateField]) -> tuple[TemplateField, ...]:
    fields: tuple[TemplateField, ...] = check_items(values, "fields", TemplateField)
    if not fields:
        raise InvalidNotice(
            "a template has at least one field.", field="fields", value=fields, allowed="1 or more"
        )
    keys = [f.key for f in fields]
    if len(set(keys)) != len(keys):
        raise InvalidNotice(
            f"template field keys {keys} repeat; each key appears once.",
            field="fields",
            value=keys,
            allowed="distinct keys",
        )
    return fields


def _template_id(_instance: object, _attribute: object, value: Any) -> None:
    check_text(value, "template_id", InvalidNotice, max_length=128)


@attrs.frozen
class WeChatTemplate:
    """A template registered with WeChat: its id and fields; ``shorten`` lets things be cut."""

    template_id: str = attrs.field(validator=_template_id)
    fields: tuple[TemplateField, ...] = attrs.field(converter=_fields)
    shorten: bool = attrs.field(default=True, validator=instance_of(bool))


@attrs.frozen
class WeChatMessage:
    """The filled template: each key's value, and the keys whose values were shortened."""

    template_id: str
    values: tuple[tuple[str, str], ...]
    shortened: tuple[str, ...]

    def payload(self) -> dict[str, object]:
        """The ``template_id`` and ``data`` as WeChat's API takes them."""
        return {
            "template_id": self.template_id,
            "data": {key: {"value": value} for key, value in self.values},
        }


def _source(notice: Notice, source: NoticeField, kind: FieldKind, locale: str) -> str | None:
    match source:
        case NoticeField.TITLE:
            return notice.title
        case NoticeField.BODY:
            return notice.body
        case NoticeField.KIND:
            return notice.kind.label(locale)
        case NoticeField.PLACE:
            return notice.place
        case NoticeField.ISSUED_AT | NoticeField.EVENT_AT:
            instant = notice.issued_at if source is NoticeField.ISSUED_AT else notice.event_at
            if instant is None:
                return None
            if kind is not FieldKind.TIME:
                return instant.format("YYYY-MM-DD HH:mm")
            pattern = "YYYY年MM月DD日 HH:mm" if locale == "zh_CN" else "YYYY-MM-DD HH:mm"
            return instant.format(pattern)


def render_wechat(
    notice: Notice, template: WeChatTemplate, locale: LocaleLike = DEFAULT_LOCALE
) -> WeChatMessage:
    """Fill ``template`` from ``notice``; refuse what does not fit and may not be shortened."""
    check_instance(notice, "notice", Notice, error=InvalidNotice)
    check_instance(template, "template", WeChatTemplate, error=InvalidNotice)
    name = check_locale(locale)
    values = []
    shortened = []
    for field in template.fields:
        value = _source(notice, field.source, field.kind, name)
        if value is None:
            raise RenderRefused(
                f"template {template.template_id} field {field.key} carries "
                f"{field.source.value}, which notice {notice.notice_id} does not have.",
                field=field.key,
                value=None,
                allowed=f"a notice with {field.source.value}",
            )
        limit = field.kind.max_length
        if limit is not None and len(value) > limit:
            if not (template.shorten and field.kind is FieldKind.THING):
                raise RenderRefused(
                    f"template field {field.key} ({field.kind.value}) takes at most {limit} "
                    f"characters; {field.source.value} of notice {notice.notice_id} has "
                    f"{len(value)}.",
                    field=field.key,
                    value=value,
                    allowed=f"at most {limit} characters",
                )
            value = value[: limit - 1] + "…"
            shortened.append(field.key)
        values.append((field.key, value))
    return WeChatMessage(template.template_id, tuple(values), tuple(shortened))
