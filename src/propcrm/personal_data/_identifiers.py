"""Personal identifiers as validated values that show themselves masked.

Each type checks its input once, keeps the normalised clear value, and shows only the masked
form (:data:`~propcrm.personal_data.DEFAULT_MASKING`) in ``str()``, ``repr()``, ``format()``
and f-strings. The clear value comes out only through :meth:`PersonalIdentifier.reveal`, which
needs a stated purpose and can report the reveal to an audit callback (a :class:`RevealLog`, or
the caller's own). Equality and hashing use the normalised clear value, so ``+86 138-1234-5678``
equals ``13812345678``.

>>> mobile = MobileNumber("+86 138-1234-5678")
>>> mobile, str(mobile), f"{mobile:>12}"
(MobileNumber('138****5678'), '138****5678', ' 138****5678')
>>> mobile == MobileNumber("13812345678")
True
>>> audit = RevealLog()
>>> mobile.reveal("send the quarterly satisfaction survey by SMS", audit=audit)
'13812345678'
>>> audit.events
[RevealEvent(kind=<IdentifierKind.MOBILE: 'mobile'>, masked='138****5678', \
purpose='send the quarterly satisfaction survey by SMS')]
>>> mobile.reveal("")
Traceback (most recent call last):
...
propcrm.errors.MissingRevealPurpose: revealing a mobile needs a stated purpose (e.g. 'fee \
dunning call'); got an empty one.

Who validates what:

- Mobile numbers: ``phonenumbers`` (Google's numbering-plan metadata): parsing of ``+86``,
  ``0086``, spaces and dashes, and which prefixes are allocated to mobile networks.
- ID numbers: ``python-stdnum`` (``stdnum.cn.ric``): the GB 11643 check digit, the birth date and
  the county code. Only the wording of the errors, the ``today`` check and the masking are ours.
- Credit codes: ``python-stdnum`` (``stdnum.cn.uscc``): GB 32100 alphabet and check character.
- Vehicle plates: **hand-written** (:class:`VehiclePlate`): no maintained Python library knows
  Chinese plates (GA 36-2018).
- Person names: **hand-written** (:class:`PersonName`): there is no standard to check against;
  only emptiness and characters no name holds (digits, symbols) are refused.

The identifiers are deliberately *not* attrs classes, unlike the library's other values:
``attrs.asdict`` and ``attrs.astuple`` recurse into attrs instances and would copy the clear value
into a plain dict on its way to an export. As plain immutable objects they stay opaque there:
``asdict`` keeps the object itself (whose ``str`` is masked; JSON refuses it, failing closed), or
:meth:`MaskingPolicy.export_value <propcrm.personal_data.MaskingPolicy.export_value>` turns
it into its masked text.

Errors never repeat the clear input (error messages end up in logs): they say what is wrong
(length, position of a bad character, check digit expected and found, impossible date) and what
is allowed, and show at most the masked form; their context (``field``, ``allowed``,
``masked``) never carries the value given either.

Full-width forms (``１３８…``, ``京Ａ``) are folded (NFKC), as an input method types them; digits
of other scripts (``١٣٨…``, ``१३८…``), which ``int()`` and python-stdnum would read, are refused.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable
from typing import ClassVar, NoReturn

import attrs
import phonenumbers
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from propcrm._trusted import set_cached
from propcrm._validators import check_items, instance_of
from propcrm.errors import (
    InvalidCreditCode,
    InvalidIdNumber,
    InvalidMobileNumber,
    InvalidPersonName,
    InvalidPolicy,
    InvalidType,
    InvalidVehiclePlate,
    MissingRevealPurpose,
    PropcrmError,
)
from propcrm.personal_data._masking import DEFAULT_MASKING, IdentifierKind, MaskingPolicy
from propcrm.time import as_date

__all__ = [
    "ID_NUMBER_LENGTH",
    "MAX_NAME_LENGTH",
    "MIN_FINGERPRINT_KEY_BYTES",
    "PLATE_LETTERS",
    "PLATE_PROVINCES",
    "CreditCode",
    "IdCardNumber",
    "MobileNumber",
    "PersonName",
    "PersonalIdentifier",
    "PlateKind",
    "RevealAudit",
    "RevealEvent",
    "RevealLog",
    "VehiclePlate",
]

ID_NUMBER_LENGTH = 18
"""Characters in a second-generation resident ID number (GB 11643-1999)."""

MAX_NAME_LENGTH = 100
"""Longest person's name accepted (room for long transliterated minority and foreign names)."""

MIN_FINGERPRINT_KEY_BYTES = 16
"""Shortest secret key accepted for :meth:`PersonalIdentifier.fingerprint` (128 bits)."""

# What each identifier accepts, for the errors' context. The errors carry no ``value``: the
# input is personal data, and error contexts end up in logs (``masked`` shows it where known).
_MOBILE_ALLOWED = "a mainland mobile number: 11 digits starting with 1, optionally +86"
_ID_ALLOWED = "18 characters: 17 digits and a check character 0-9 or X (GB 11643)"
_CREDIT_CODE_ALLOWED = "18 characters of GB 32100 with the right check character"
_PLATE_ALLOWED = "a mainland plate: 7 characters (ordinary) or 8 (new energy)"
_NAME_ALLOWED = "1 to 100 letters, marks, spaces and the separators · . - '"
_ASCII_DIGITS = frozenset("0123456789")


@attrs.frozen
class RevealEvent:
    """One reveal of a clear value: which kind, its masked form, and the stated purpose.

    It carries no time: a library function does not read the clock; an audit callback that
    stores events adds its own timestamp from the caller's clock.
    """

    kind: IdentifierKind = attrs.field(validator=instance_of(IdentifierKind))
    masked: str = attrs.field(validator=instance_of(str))
    purpose: str = attrs.field(validator=instance_of(str))


RevealAudit = Callable[[RevealEvent], None]
"""A callback told about every reveal (e.g. one that writes an audit trail)."""


def _reveal_events(values: object) -> list[RevealEvent]:
    return list(check_items(values, "events", RevealEvent))


@attrs.define
class RevealLog:
    """A ready audit callback that keeps the events in a list, in order."""

    events: list[RevealEvent] = attrs.field(factory=list, converter=_reveal_events)

    def __call__(self, event: RevealEvent) -> None:
        """Record ``event``."""
        self.events.append(*check_items((event,), "event", RevealEvent))


class PersonalIdentifier:
    """Base of the personal identifiers: masked display, purposeful reveal, keyed fingerprint."""

    __slots__ = ("_clear",)
    kind: ClassVar[IdentifierKind]
    _clear: str

    def __init__(self, text: str) -> None:
        raise TypeError(
            "PersonalIdentifier is the base of the identifiers; build a MobileNumber, "
            "IdCardNumber, CreditCode, VehiclePlate or PersonName instead."
        )

    def _init_clear(self, clear: str) -> None:
        # The one slot, stored once by each subclass's __init__ after validating ``clear``.
        set_cached(self, "_clear", clear)

    @property
    def masked(self) -> str:
        """The masked text under :data:`~propcrm.personal_data.DEFAULT_MASKING` (= ``str()``)."""
        return self.masked_with(DEFAULT_MASKING)

    def masked_with(self, policy: MaskingPolicy) -> str:
        """The masked text under ``policy``."""
        if not isinstance(policy, MaskingPolicy):
            raise InvalidType(
                f"policy must be a MaskingPolicy, got {type(policy).__name__} {policy!r}.",
                field="policy",
                value=policy,
                allowed="MaskingPolicy",
            )
        return policy.mask_text(self.kind, self._clear)

    def reveal(self, purpose: str, *, audit: RevealAudit | None = None) -> str:
        """The clear, normalised value, for the stated ``purpose``; ``audit`` is told first."""
        if not isinstance(purpose, str) or not purpose.strip():
            raise MissingRevealPurpose(
                f"revealing a {self.kind.value.replace('_', ' ')} needs a stated purpose "
                f"(e.g. 'fee dunning call'); got {_describe_purpose(purpose)}.",
                field="purpose",
                value=purpose,
                allowed="non-empty text, e.g. 'fee dunning call'",
            )
        if audit is not None and not callable(audit):
            raise InvalidType(
                f"audit must be a callback taking a RevealEvent, got {type(audit).__name__}.",
                field="audit",
                value=audit,
                allowed="a callable (e.g. a RevealLog), or None",
            )
        if audit is not None:
            audit(RevealEvent(self.kind, self.masked, purpose.strip()))
        return self._clear

    def fingerprint(self, key: bytes) -> str:
        """A keyed hash (HMAC-SHA256, hex) of the normalised value, for finding duplicates.

        Equal values give equal fingerprints under one key; without the key the fingerprint
        cannot be reversed by trying all 10^11 mobiles or all ID numbers, which a plain hash
        could.

        >>> a = MobileNumber("13812345678").fingerprint(b"community-secret-key")
        >>> a == MobileNumber("+86 138 1234 5678").fingerprint(b"community-secret-key")
        True
        >>> len(a)
        64
        """
        if not isinstance(key, bytes) or len(key) < MIN_FINGERPRINT_KEY_BYTES:
            # The key is a secret: the error names it but never carries it.
            raise InvalidPolicy(
                f"a fingerprint key must be bytes of at least {MIN_FINGERPRINT_KEY_BYTES}; "
                "keep one secret key per deployment, outside the data it protects.",
                field="key",
                allowed=f"bytes, at least {MIN_FINGERPRINT_KEY_BYTES} of them",
            )
        message = f"{self.kind.value}:{self._clear}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.masked!r})"

    def __format__(self, format_spec: str) -> str:
        return format(self.masked, format_spec)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, PersonalIdentifier)  # for the type checker: same class
        return self._clear == other._clear

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._clear))

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise attrs.exceptions.FrozenInstanceError

    def __delattr__(self, name: str) -> NoReturn:
        raise attrs.exceptions.FrozenInstanceError

    # Pickle and copy keep the normalised clear value and restore it without validating again:
    # it was validated when the value was made, and an ID number accepted with
    # check_region=False or a given ``today`` would not pass the default checks a second time.
    def __getstate__(self) -> str:
        return self._clear

    def __setstate__(self, clear: str) -> None:
        # Runs on the fresh instance the unpickler made, before anyone holds it.
        set_cached(self, "_clear", clear)


def _describe_purpose(purpose: object) -> str:
    if isinstance(purpose, str):
        return "an empty one"
    return f"a {type(purpose).__name__} instead of text"


def _require_text(value: object, error: type[PropcrmError], what: str, allowed: str) -> str:
    if not isinstance(value, str):
        raise error(
            f"{what} must be given as text (str), not {type(value).__name__}.",
            field="text",
            allowed=f"str: {allowed}",
        )
    return value


def _ascii_digits_only(text: str, error: type[PropcrmError], what: str, allowed: str) -> None:
    # Full-width digits (１３８…) are folded by NFKC before this runs: an input method's digits,
    # checked afterwards by the number's own rules. Any other script's digits (٠١٢, ०१२) are
    # refused rather than read as numbers nobody could check by eye.
    bad = _positions(text, lambda char: not char.isdecimal() or char in _ASCII_DIGITS)
    if bad:
        raise error(
            f"{what} holds a digit other than 0-9 at position {bad}; write it with the digits 0-9.",
            field="text",
            allowed=allowed,
        )


def _compact(text: str) -> str:
    """Full-width forms folded (NFKC), separators and surrounding space dropped, upper case."""
    return re.sub(r"[\s\-·•.]", "", unicodedata.normalize("NFKC", text)).upper()


def _positions(text: str, allowed: Callable[[str], bool]) -> str:
    """1-based positions of the characters of ``text`` that are not allowed, as text."""
    return ", ".join(str(i) for i, char in enumerate(text, 1) if not allowed(char))


# -- mobile numbers ---------------------------------------------------------------------------

_MOBILE_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


class MobileNumber(PersonalIdentifier):
    """A mainland China mobile number, normalised to its 11 digits; shown as ``138****5678``.

    Validation is ``phonenumbers``'s: ``+86``/``0086`` prefixes, spaces and dashes are accepted;
    the number must be valid in the mainland numbering plan and of the mobile type.

    >>> MobileNumber("0086 139 0000 1234")
    MobileNumber('139****1234')
    >>> MobileNumber("010-6512-3456")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidMobileNumber: a fixed-line number was given where a mobile number is \
needed; a mainland mobile has 11 digits starting with 1 (e.g. 138 1234 5678).
    >>> MobileNumber("1381234567")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidMobileNumber: the number given (10 digits) is not a valid mainland \
number; a mainland mobile has 11 digits starting with 1 (e.g. 138 1234 5678).
    """

    __slots__ = ()
    kind = IdentifierKind.MOBILE

    _ALLOWED = "a mainland mobile has 11 digits starting with 1 (e.g. 138 1234 5678)"

    def __init__(self, text: str) -> None:
        text = _require_text(text, InvalidMobileNumber, "a mobile number", _MOBILE_ALLOWED)
        try:
            folded = unicodedata.normalize("NFKC", text)
            _ascii_digits_only(folded, InvalidMobileNumber, "a mobile number", _MOBILE_ALLOWED)
            number = phonenumbers.parse(folded, "CN")
        except phonenumbers.NumberParseException:
            raise InvalidMobileNumber(
                f"the text given ({len(text)} characters) is not a phone number; {self._ALLOWED}.",
                field="text",
                allowed=_MOBILE_ALLOWED,
            ) from None
        if number.country_code != 86:
            raise InvalidMobileNumber(
                f"the number given has country code +{number.country_code}, not +86; only "
                f"mainland China numbers are accepted: {self._ALLOWED}.",
                field="text",
                allowed=_MOBILE_ALLOWED,
            )
        digits = str(number.national_number)
        if not phonenumbers.is_valid_number(number):
            raise InvalidMobileNumber(
                f"the number given ({len(digits)} digits) is not a valid mainland number; "
                f"{self._ALLOWED}.",
                field="text",
                allowed=_MOBILE_ALLOWED,
            )
        if phonenumbers.number_type(number) not in _MOBILE_TYPES:
            raise InvalidMobileNumber(
                f"a fixed-line number was given where a mobile number is needed; {self._ALLOWED}.",
                field="text",
                allowed=_MOBILE_ALLOWED,
            )
        self._init_clear(digits)


# -- resident ID numbers ----------------------------------------------------------------------


class IdCardNumber(PersonalIdentifier):
    """A mainland resident ID number (居民身份证号码); shown as ``110***********1234``.

    18 characters: a 6-digit county code, the birth date (YYYYMMDD), a 3-digit sequence and the
    GB 11643 MOD 11-2 check character (0–9 or X). Checked by ``python-stdnum``: the check
    character, a real birth date, and (``check_region``, on by default) that the county code
    existed in the birth year. A birth date after ``today`` (a date, e.g. ``clock.today()``) is
    refused when ``today`` is given (the library never reads the clock itself). First-generation
    15-digit numbers are refused.

    >>> IdCardNumber("11010519491231002x")
    IdCardNumber('110***********002X')
    >>> IdCardNumber("110105194912310021")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidIdNumber: ID number 110***********0021: the check character (18th) is \
'1' but the first 17 digits give 'X' (GB 11643 MOD 11-2); a digit is probably mistyped.
    >>> IdCardNumber("110105194902300020")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidIdNumber: ID number 110***********0020: characters 7-14 are not a real \
date (YYYYMMDD), so this is no real birth date.
    >>> IdCardNumber("11010519491231002X", today=datetime.date(1949, 12, 1))
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidIdNumber: ID number 110***********002X: the birth date lies after \
1949-12-01, the date given as today.
    """

    __slots__ = ()
    kind = IdentifierKind.ID_NUMBER

    def __init__(
        self, text: str, *, today: datetime.date | None = None, check_region: bool = True
    ) -> None:
        text = _require_text(text, InvalidIdNumber, "an ID number", _ID_ALLOWED)
        number = _compact(text)
        _ascii_digits_only(number, InvalidIdNumber, "an ID number", _ID_ALLOWED)
        if not isinstance(check_region, bool):
            raise InvalidType(
                f"check_region must be True or False, got {type(check_region).__name__}.",
                field="check_region",
                value=check_region,
                allowed="bool",
            )
        if len(number) != ID_NUMBER_LENGTH:
            raise InvalidIdNumber(
                f"an ID number has {ID_NUMBER_LENGTH} characters (17 digits and a check "
                f"character 0-9 or X); the one given has {len(number)}. First-generation "
                "15-digit numbers are not accepted.",
                field="text",
                allowed=_ID_ALLOWED,
            )
        masked = DEFAULT_MASKING.mask_text(IdentifierKind.ID_NUMBER, number)
        bad = _positions(number[:-1], _ASCII_DIGITS.__contains__)
        if bad or number[-1] not in "0123456789X":
            last = "" if number[-1] in "0123456789X" else f"{', ' if bad else ''}18"
            raise InvalidIdNumber(
                f"ID number {masked}: characters 1-17 must be digits and the 18th a digit or X; "
                f"wrong at position {bad}{last}.",
                field="text",
                allowed=_ID_ALLOWED,
                masked=masked,
            )
        expected = ric.calc_check_digit(number)
        if number[-1] != expected:
            raise InvalidIdNumber(
                f"ID number {masked}: the check character (18th) is {number[-1]!r} but the "
                f"first 17 digits give {expected!r} (GB 11643 MOD 11-2); a digit is probably "
                "mistyped.",
                field="text",
                allowed=_ID_ALLOWED,
                masked=masked,
            )
        try:
            born = ric.get_birth_date(number)
        except ValidationError:
            raise InvalidIdNumber(
                f"ID number {masked}: characters 7-14 are not a real date (YYYYMMDD), so this is "
                "no real birth date.",
                field="text",
                allowed=_ID_ALLOWED,
                masked=masked,
            ) from None
        if today is not None and born > as_date(today, "today"):
            raise InvalidIdNumber(
                f"ID number {masked}: the birth date lies after {today.isoformat()}, the date "
                "given as today.",
                field="text",
                allowed=_ID_ALLOWED,
                masked=masked,
            )
        if check_region:
            try:
                ric.get_birth_place(number)
            except ValidationError:
                raise InvalidIdNumber(
                    f"ID number {masked}: characters 1-6 are not a county code that existed in "
                    "the birth year (python-stdnum's list). If the card is genuine and its code "
                    "is newer than that list, update python-stdnum or pass check_region=False.",
                    field="text",
                    allowed=_ID_ALLOWED,
                    masked=masked,
                ) from None
        self._init_clear(number)

    def reveal_birth_date(self, purpose: str, *, audit: RevealAudit | None = None) -> datetime.date:
        """The birth date (personal data too), for the stated ``purpose``, e.g. an age band.

        >>> IdCardNumber("11010519491231002X").reveal_birth_date("age band for segmentation")
        datetime.date(1949, 12, 31)
        """
        born: datetime.date = ric.get_birth_date(self.reveal(purpose, audit=audit))
        return born


# -- unified social credit codes --------------------------------------------------------------

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z


class CreditCode(PersonalIdentifier):
    """A unified social credit code (统一社会信用代码, GB 32100); shown as ``91************341L``.

    An organisation's code is public, but the code of a sole trader (个体工商户) identifies a
    person, so it is masked like the rest. Checked by ``python-stdnum`` (``stdnum.cn.uscc``).

    >>> CreditCode("91110000600037341L")
    CreditCode('91************341L')
    >>> CreditCode("91110000600037341M")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidCreditCode: credit code 91************341M: the check character (18th) \
is 'M' but the first 17 give 'L' (GB 32100); a character is probably mistyped.
    """

    __slots__ = ()
    kind = IdentifierKind.CREDIT_CODE

    def __init__(self, text: str) -> None:
        text = _require_text(text, InvalidCreditCode, "a credit code", _CREDIT_CODE_ALLOWED)
        code = _compact(text)
        _ascii_digits_only(code, InvalidCreditCode, "a credit code", _CREDIT_CODE_ALLOWED)
        if len(code) != ID_NUMBER_LENGTH:
            raise InvalidCreditCode(
                f"a unified social credit code has {ID_NUMBER_LENGTH} characters; the one given "
                f"has {len(code)}.",
                field="text",
                allowed=_CREDIT_CODE_ALLOWED,
            )
        masked = DEFAULT_MASKING.mask_text(IdentifierKind.CREDIT_CODE, code)
        bad_head = _positions(code[:8], _ASCII_DIGITS.__contains__)
        if bad_head:
            raise InvalidCreditCode(
                f"credit code {masked}: characters 1-8 (authority, entity type, region) must be "
                f"digits; wrong at position {bad_head}.",
                field="text",
                allowed=_CREDIT_CODE_ALLOWED,
                masked=masked,
            )
        bad_tail = [str(i) for i, char in enumerate(code[8:], 9) if char not in _USCC_ALPHABET]
        if bad_tail:
            raise InvalidCreditCode(
                f"credit code {masked}: characters 9-18 must be digits or capital letters other "
                f"than I, O, S, V, Z; wrong at position {', '.join(bad_tail)}.",
                field="text",
                allowed=_CREDIT_CODE_ALLOWED,
                masked=masked,
            )
        expected = uscc.calc_check_digit(code)
        if code[-1] != expected:
            raise InvalidCreditCode(
                f"credit code {masked}: the check character (18th) is {code[-1]!r} but the "
                f"first 17 give {expected!r} (GB 32100); a character is probably mistyped.",
                field="text",
                allowed=_CREDIT_CODE_ALLOWED,
                masked=masked,
            )
        self._init_clear(code)


# -- vehicle plates (hand-written) ------------------------------------------------------------

PLATE_PROVINCES = frozenset("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
"""The 31 provincial abbreviations that open a mainland plate (GA 36-2018)."""

PLATE_LETTERS = frozenset("ABCDEFGHJKLMNPQRSTUVWXYZ")
"""Letters used on plates: the Latin alphabet without I and O (read as 1 and 0)."""

_PLATE_DIGITS = frozenset("0123456789")
_ENERGY_LETTERS = frozenset("DF")  # D: pure electric; F: other new energy (hybrid, fuel cell)


class PlateKind(enum.Enum):
    """The plate families :class:`VehiclePlate` accepts."""

    ORDINARY = "ordinary"
    """7 characters: province, authority letter, 5 letters or digits (blue/yellow plates)."""
    NEW_ENERGY_SMALL = "new_energy_small"
    """8 characters; the 3rd is D or F, the 4th a letter or digit, the last four digits."""
    NEW_ENERGY_LARGE = "new_energy_large"
    """8 characters; the 3rd to 7th are digits and the last is D or F."""


class VehiclePlate(PersonalIdentifier):
    """A mainland vehicle plate (机动车号牌); shown as ``京A***45``.

    **Hand-written**: no maintained Python library validates Chinese plates. The rules follow
    GA 36-2018 for the plates a community gate sees:

    - ordinary plates, 7 characters: a province abbreviation (京, 沪, 粤 …, 31 in all), the
      issuing authority's letter, then 5 letters or digits;
    - new-energy plates, 8 characters: small vehicles have D or F as the 3rd character, a letter
      or digit as the 4th and digits after it; large vehicles have five digits and D or F last;
    - letters never include I or O.

    Spaces, the middle dot and dashes are dropped, full-width letters folded, case ignored.
    Special plates (警 police, 学 learner, 挂 trailer, 使/领 diplomatic, 港/澳 cross-border,
    military and armed-police plates) are not accepted: they are rare at a residential gate and
    have their own rules; a gate that sees them can record them as free text.

    >>> VehiclePlate("京A·12345").plate_kind, VehiclePlate("沪ad12345").plate_kind
    (<PlateKind.ORDINARY: 'ordinary'>, <PlateKind.NEW_ENERGY_SMALL: 'new_energy_small'>)
    >>> VehiclePlate("粤B12345F")
    VehiclePlate('粤B****5F')
    >>> VehiclePlate("京A1234O")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidVehiclePlate: plate 京A***4O: character 7 is not allowed; after the \
province and authority letter an ordinary plate has 5 digits or capital letters other than I and O.
    """

    __slots__ = ()
    kind = IdentifierKind.VEHICLE_PLATE

    def __init__(self, text: str) -> None:
        text = _require_text(text, InvalidVehiclePlate, "a vehicle plate", _PLATE_ALLOWED)
        plate = _compact(text)
        _ascii_digits_only(plate, InvalidVehiclePlate, "a vehicle plate", _PLATE_ALLOWED)
        if len(plate) not in {7, 8}:
            raise InvalidVehiclePlate(
                f"a plate has 7 characters (ordinary) or 8 (new energy); the one given has "
                f"{len(plate)}.",
                field="text",
                allowed=_PLATE_ALLOWED,
            )
        masked = DEFAULT_MASKING.mask_text(IdentifierKind.VEHICLE_PLATE, plate)
        if plate[0] not in PLATE_PROVINCES:
            raise InvalidVehiclePlate(
                f"plate {masked}: the first character must be a province abbreviation "
                f"({''.join(sorted(PLATE_PROVINCES))}); special plates are not accepted.",
                field="text",
                allowed=_PLATE_ALLOWED,
                masked=masked,
            )
        if plate[1] not in PLATE_LETTERS:
            raise InvalidVehiclePlate(
                f"plate {masked}: the second character must be the issuing authority's capital "
                "letter (A-Z without I and O).",
                field="text",
                allowed=_PLATE_ALLOWED,
                masked=masked,
            )
        _plate_kind(plate, masked)  # raises if the serial fits no family
        self._init_clear(plate)

    @property
    def plate_kind(self) -> PlateKind:
        """Ordinary, small new-energy or large new-energy (not personal: no reveal needed)."""
        return _plate_kind(self._clear, "")


def _plate_kind(plate: str, masked: str) -> PlateKind:
    serial = plate[2:]
    alphanumeric = PLATE_LETTERS | _PLATE_DIGITS
    if len(serial) == 5:
        bad = [str(i) for i, char in enumerate(serial, 3) if char not in alphanumeric]
        if bad:
            raise InvalidVehiclePlate(
                f"plate {masked}: character {', '.join(bad)} is not allowed; after the province "
                "and authority letter an ordinary plate has 5 digits or capital letters other "
                "than I and O.",
                field="text",
                allowed=_PLATE_ALLOWED,
                masked=masked,
            )
        return PlateKind.ORDINARY
    if (
        serial[0] in _ENERGY_LETTERS
        and serial[1] in alphanumeric
        and all(char in _PLATE_DIGITS for char in serial[2:])
    ):
        return PlateKind.NEW_ENERGY_SMALL
    if all(char in _PLATE_DIGITS for char in serial[:5]) and serial[5] in _ENERGY_LETTERS:
        return PlateKind.NEW_ENERGY_LARGE
    raise InvalidVehiclePlate(
        f"plate {masked}: an 8-character plate is a new-energy plate, and it fits neither form: "
        "small vehicles have D or F 3rd, a letter (not I or O) or digit 4th and four digits "
        "after it; large vehicles have five digits from the 3rd and D or F last.",
        field="text",
        allowed=_PLATE_ALLOWED,
        masked=masked,
    )


# -- person names (hand-written) --------------------------------------------------------------

_NAME_PUNCTUATION = frozenset(" ·•・.-'")


def _name_char_allowed(char: str) -> bool:
    return char in _NAME_PUNCTUATION or unicodedata.category(char)[0] in {"L", "M"}


def _is_han(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK")


class PersonName(PersonalIdentifier):
    """A person's name; shown with the surname and last character: ``张*丰``, ``欧阳*娜``, ``张*``.

    **Hand-written**: names have no check digit and no library to ask. Refused only: an empty
    name, one over 100 characters, and characters no name holds (digits,
    symbols). Unicode is normalised (NFC), runs of spaces become one, and spaces between Chinese
    characters are dropped (``张 三`` is ``张三``). Latin and minority names separated by spaces,
    ``·`` or ``-`` keep the first letter of each part when masked (see
    :meth:`~propcrm.personal_data.MaskingPolicy.mask_name`).

    >>> PersonName("张 三丰"), PersonName("司马相如"), PersonName("  John   Smith ")
    (PersonName('张*丰'), PersonName('司马*如'), PersonName('J*** S****'))
    >>> PersonName("张3")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidPersonName: a name holds letters, marks, spaces and the separators · . \
- ' only; wrong at position 2.
    """

    __slots__ = ()
    kind = IdentifierKind.PERSON_NAME

    def __init__(self, text: str) -> None:
        text = _require_text(text, InvalidPersonName, "a name", _NAME_ALLOWED)
        name = " ".join(unicodedata.normalize("NFC", text).split())
        name = "".join(
            char
            for i, char in enumerate(name)
            if not (
                char == " "
                and 0 < i < len(name) - 1
                and _is_han(name[i - 1])
                and _is_han(name[i + 1])
            )
        )
        if not name:
            raise InvalidPersonName(
                "a name must not be empty.", field="text", allowed=_NAME_ALLOWED
            )
        if len(name) > MAX_NAME_LENGTH:
            raise InvalidPersonName(
                f"a name has at most {MAX_NAME_LENGTH} characters; the one given has {len(name)}.",
                field="text",
                allowed=_NAME_ALLOWED,
            )
        bad = _positions(name, _name_char_allowed)
        if bad:
            raise InvalidPersonName(
                "a name holds letters, marks, spaces and the separators · . - ' only; wrong at "
                f"position {bad}.",
                field="text",
                allowed=_NAME_ALLOWED,
            )
        self._init_clear(name)
