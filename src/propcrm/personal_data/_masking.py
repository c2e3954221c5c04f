"""The one masking policy for personal data: what repr, str, logs and exports show.

PIPL treats ID numbers, mobile numbers, plates and names as personal information; the issue asks
that they are masked wherever a party is shown and unmasked only by an explicit call that states
its purpose. :data:`DEFAULT_MASKING` is that policy: the identifiers of
:mod:`propcrm.personal_data` use it for ``str()``, ``repr()`` and ``format()``, the log
filter :class:`MaskingLogFilter` uses it for log records, and exports call
:meth:`MaskingPolicy.mask` (or :meth:`MaskingPolicy.export_value` as an ``attrs.asdict`` value
serializer).

>>> DEFAULT_MASKING.mask_text(IdentifierKind.MOBILE, "13812345678")
'138****5678'
>>> DEFAULT_MASKING.mask_text(IdentifierKind.ID_NUMBER, "11010519491231002X")
'110***********002X'
>>> DEFAULT_MASKING.mask_name("张三丰"), DEFAULT_MASKING.mask_name("欧阳娜娜")
('张*丰', '欧阳*娜')

A two-character name shows only the surname (showing "the last character" too would show all of
it): ``张三`` becomes ``张*``. Latin and hyphenated or dotted names (``John Smith``,
``阿依古丽·买买提``) keep the first letter of each part.

One hidden character is one mask character, as in the brief's examples (``138****5678``), so a
mask shows the length of what it hides; every kind here has a fixed or near-fixed length anyway.
"""

from __future__ import annotations

import enum
import logging
import re
from typing import Protocol, runtime_checkable

import attrs

from propcrm._validators import check_int, check_items, instance_of
from propcrm.errors import InvalidPolicy, InvalidType

__all__ = [
    "COMPOUND_SURNAMES",
    "DEFAULT_MASKING",
    "IdentifierKind",
    "KeepEnds",
    "Maskable",
    "MaskingLogFilter",
    "MaskingPolicy",
]


class IdentifierKind(enum.Enum):
    """The kinds of personal data the policy knows how to mask."""

    MOBILE = "mobile"
    ID_NUMBER = "id_number"
    CREDIT_CODE = "credit_code"
    VEHICLE_PLATE = "vehicle_plate"
    PERSON_NAME = "person_name"


# The shortest clear value of each fixed-shape kind: a policy must hide at least one character
# of it, or the "mask" would show everything.
_SHORTEST = {
    IdentifierKind.MOBILE: 11,
    IdentifierKind.ID_NUMBER: 18,
    IdentifierKind.CREDIT_CODE: 18,
    IdentifierKind.VEHICLE_PLATE: 7,
}

COMPOUND_SURNAMES = frozenset(
    {
        "万俟", "上官", "东方", "东郭", "令狐", "仲孙", "公孙", "公冶", "公羊", "单于",
        "南宫", "司徒", "司空", "司马", "呼延", "夏侯", "太叔", "宇文", "宗政", "尉迟",
        "左丘", "慕容", "拓跋", "欧阳", "澹台", "濮阳", "独孤", "申屠", "百里", "皇甫",
        "端木", "第五", "诸葛", "赫连", "轩辕", "钟离", "长孙", "闻人", "闾丘", "西门",
        "鲜于", "淳于", "谷梁", "羊舌", "梁丘", "东门", "公良", "乐正", "壤驷", "巫马",
    }
)  # fmt: skip
"""Two-character surnames (复姓) kept whole in a masked name: 欧阳娜娜 → 欧阳*娜.

A name of exactly two characters is read as surname + given name even if it spells one of
these (欧阳 → 欧*), since a compound surname alone is not a full name.
"""

# Separators between the parts of Latin names and transliterated minority names.
_NAME_SEPARATORS = frozenset(" ·•・.-'")


def _non_negative(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidPolicy(
            f"{attribute.name} {value!r} must be an int of 0 or more.",
            field=attribute.name,
            value=value,
            allowed="an int of 0 or more",
        )


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidType(
            f"{field} must be text (str), got {type(value).__name__}.",
            field=field,
            allowed="str",
        )
    return value


@attrs.frozen
class KeepEnds:
    """Show ``head`` leading and ``tail`` trailing characters, mask every one in between.

    A text too short to hide anything between its ends is masked whole (fail closed).

    >>> KeepEnds(3, 4).apply("13812345678", "*")
    '138****5678'
    >>> KeepEnds(3, 4).apply("1234567", "*")
    '*******'
    """

    head: int = attrs.field(validator=_non_negative)
    tail: int = attrs.field(validator=_non_negative)

    def apply(self, text: str, mask_char: str) -> str:
        """``text`` with its middle (or, if too short, all of it) masked."""
        _text(text, "text")
        _mask_char(self, None, mask_char)
        if self.head + self.tail >= len(text):
            return mask_char * len(text)
        hidden = len(text) - self.head - self.tail
        return text[: self.head] + mask_char * hidden + text[len(text) - self.tail :]

    def shown_positions(self, length: int) -> frozenset[int]:
        """Indices of a ``length``-character text this rule leaves visible."""
        check_int(length, "length", InvalidPolicy, minimum=0)
        if self.head + self.tail >= length:
            return frozenset()
        return frozenset(range(self.head)) | frozenset(range(length - self.tail, length))


def _mask_char(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or len(value) != 1 or value.isalnum():
        raise InvalidPolicy(
            f"mask character {value!r} must be one character that is not a letter or digit, "
            "e.g. '*'.",
            field="mask_char",
            value=value,
            allowed="one character that is not a letter or digit",
        )


@runtime_checkable
class Maskable(Protocol):
    """Anything that can show itself under a masking policy (the identifiers do)."""

    def masked_with(self, policy: MaskingPolicy) -> str:
        """The value as ``policy`` shows it."""
        ...


# Clear values that slipped into a log message as plain text. Digit runs are bounded so a
# longer number (an order id) is not half-masked; names cannot be found by pattern.
_MOBILE_IN_TEXT = re.compile(
    r"(?<![0-9])(?:\+?86[ -]?)?(1[3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9])"
)
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{16}[0-9Xx])(?![0-9A-Za-z])")
_CREDIT_CODE_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])([0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10})(?![0-9A-Za-z])"
)


def _surnames(values: object) -> frozenset[str]:
    return frozenset(check_items(values, "compound_surnames", str))


@attrs.frozen
class MaskingPolicy:
    """How each kind of personal data is shown when it is not revealed.

    Defaults: mobile ``138****5678`` (first 3, last 4), ID number ``110***********1234``
    (first 3, last 4) — both from the issue; credit code first 2 (registering authority and
    entity type) and last 4; plate first 2 (province and issuing authority) and last 2; a
    person's name keeps the surname and the last character of the given name.

    >>> strict = MaskingPolicy(mobile=KeepEnds(0, 4))
    >>> strict.mask_text(IdentifierKind.MOBILE, "13812345678")
    '*******5678'
    >>> MaskingPolicy(mobile=KeepEnds(7, 4))
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidPolicy: mobile masking keeps 7 + 4 characters of a value of 11, hiding \
nothing; keep fewer.
    """

    mobile: KeepEnds = attrs.field(default=KeepEnds(3, 4), validator=instance_of(KeepEnds))
    id_number: KeepEnds = attrs.field(default=KeepEnds(3, 4), validator=instance_of(KeepEnds))
    credit_code: KeepEnds = attrs.field(default=KeepEnds(2, 4), validator=instance_of(KeepEnds))
    vehicle_plate: KeepEnds = attrs.field(default=KeepEnds(2, 2), validator=instance_of(KeepEnds))
    mask_char: str = attrs.field(default="*", validator=_mask_char)
    compound_surnames: frozenset[str] = attrs.field(default=COMPOUND_SURNAMES, converter=_surnames)

    def __attrs_post_init__(self) -> None:
        for kind, shortest in _SHORTEST.items():
            rule = self.rule(kind)
            if rule.head + rule.tail >= shortest:
                raise InvalidPolicy(
                    f"{kind.value.replace('_', ' ')} masking keeps {rule.head} + {rule.tail} "
                    f"characters of a value of {shortest}, hiding nothing; keep fewer.",
                    field=kind.value,
                    value=rule,
                    allowed=f"head + tail below {shortest}",
                )

    def rule(self, kind: IdentifierKind) -> KeepEnds:
        """The head/tail rule for a fixed-shape kind (not names; see :meth:`mask_name`)."""
        rules = {
            IdentifierKind.MOBILE: self.mobile,
            IdentifierKind.ID_NUMBER: self.id_number,
            IdentifierKind.CREDIT_CODE: self.credit_code,
            IdentifierKind.VEHICLE_PLATE: self.vehicle_plate,
        }
        if not isinstance(kind, IdentifierKind):
            raise InvalidType(
                f"kind must be an IdentifierKind, got {type(kind).__name__} {kind!r}.",
                field="kind",
                value=kind,
                allowed="IdentifierKind",
            )
        if kind not in rules:
            raise InvalidPolicy(
                f"{kind.value} has no head/tail rule; use mask_name.",
                field="kind",
                value=kind,
                allowed="a kind other than PERSON_NAME",
            )
        return rules[kind]

    def mask_text(self, kind: IdentifierKind, clear: str) -> str:
        """``clear`` (already normalised) masked as ``kind``."""
        _text(clear, "clear")
        if kind is IdentifierKind.PERSON_NAME:
            return self.mask_name(clear)
        return self.rule(kind).apply(clear, self.mask_char)

    def mask(self, value: Maskable) -> str:
        """A value's masked text under this policy: what exports write for it.

        >>> from propcrm.personal_data import MobileNumber
        >>> DEFAULT_MASKING.mask(MobileNumber("+86 138 1234 5678"))
        '138****5678'
        """
        if not isinstance(value, Maskable):
            raise InvalidType(
                f"value must be a personal identifier (Maskable), got {type(value).__name__}.",
                field="value",
                allowed="a Maskable such as MobileNumber",
            )
        return value.masked_with(self)

    def export_value(self, _instance: object, _field: object, value: object) -> object:
        """An ``attrs.asdict`` value serializer that masks every identifier it meets.

        Identifiers are deliberately not attrs classes, so ``asdict`` hands them to this hook
        instead of copying their clear value into the dict.

        >>> from propcrm.personal_data import MobileNumber
        >>> @attrs.frozen
        ... class Contact:
        ...     mobile: MobileNumber
        >>> attrs.asdict(
        ...     Contact(MobileNumber("13812345678")), value_serializer=DEFAULT_MASKING.export_value
        ... )
        {'mobile': '138****5678'}
        """
        if isinstance(value, Maskable):
            return value.masked_with(self)
        return value

    def mask_name(self, clear: str) -> str:
        """A person's name with the surname and the last character shown.

        >>> [DEFAULT_MASKING.mask_name(n) for n in ("张三", "张三丰", "司马相如", "欧阳")]
        ['张*', '张*丰', '司马*如', '欧*']
        >>> DEFAULT_MASKING.mask_name("John Smith"), DEFAULT_MASKING.mask_name("阿依古丽·买买提")
        ('J*** S****', '阿***·买**')
        >>> DEFAULT_MASKING.mask_name("王")
        '*'
        """
        _text(clear, "clear")
        if any(char in _NAME_SEPARATORS for char in clear):
            return "".join(self._initial_only(part) for part in re.split(r"([ ·•・.\-'])", clear))
        if len(clear) <= 1:
            return self.mask_char * len(clear)
        surname = 2 if len(clear) > 2 and clear[:2] in self.compound_surnames else 1
        given = clear[surname:]
        if len(given) == 1:
            return clear[:surname] + self.mask_char
        return clear[:surname] + self.mask_char * (len(given) - 1) + given[-1]

    def _initial_only(self, part: str) -> str:
        if not part or part in _NAME_SEPARATORS:
            return part
        return part[0] + self.mask_char * (len(part) - 1)

    def scrub(self, text: str) -> str:
        """``text`` with anything shaped like a mobile, ID number or credit code masked.

        The safety net for clear values that reached free text (a log message built with an
        f-string). It finds digits by shape only; names cannot be found this way.

        >>> DEFAULT_MASKING.scrub("call 138-1234-5678 about 11010519491231002X")
        'call 138****5678 about 110***********002X'
        """
        _text(text, "text")
        text = _ID_IN_TEXT.sub(lambda m: self.id_number.apply(m[1].upper(), self.mask_char), text)
        text = _CREDIT_CODE_IN_TEXT.sub(
            lambda m: self.credit_code.apply(m[1], self.mask_char), text
        )
        return _MOBILE_IN_TEXT.sub(
            lambda m: self.mobile.apply(m[1] + m[2] + m[3], self.mask_char), text
        )


DEFAULT_MASKING = MaskingPolicy()
"""The masking policy used for every repr, str, log and export unless a caller passes another."""


class MaskingLogFilter(logging.Filter):
    r"""A ``logging.Filter`` that masks personal data in each record before it is written.

    Identifier arguments are masked by their own ``str()`` already; the filter also runs
    :meth:`MaskingPolicy.scrub` over the formatted message, so a clear value that reached it as
    text is masked too. Attach it to a handler (it rewrites ``msg``/``args`` in place, so every
    later handler sees the masked text).

    >>> import io
    >>> stream = io.StringIO()
    >>> handler = logging.StreamHandler(stream)
    >>> handler.addFilter(MaskingLogFilter())
    >>> log = logging.getLogger("propcrm.doctest.masking")
    >>> log.addHandler(handler)
    >>> log.propagate = False
    >>> log.warning("owner mobile %s", "13812345678")
    >>> stream.getvalue()
    'owner mobile 138****5678\n'
    >>> log.removeHandler(handler)
    """

    def __init__(self, policy: MaskingPolicy = DEFAULT_MASKING, name: str = "") -> None:
        if not isinstance(policy, MaskingPolicy):
            raise InvalidType(
                f"policy must be a MaskingPolicy, got {type(policy).__name__} {policy!r}.",
                field="policy",
                value=policy,
                allowed="MaskingPolicy",
            )
        _text(name, "name")
        super().__init__(name)
        self.policy = policy

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the record's message; never drops a record."""
        message = record.getMessage()
        record.msg = self.policy.scrub(message)
        record.args = None
        return True
