"""The cattrs converter: every public value to JSON-compatible primitives and back.

Hooks are registered once per converter and cattrs generates one function per class from them,
so a call does no introspection. The forms (see the storage guide):

* money ``{"amount": "12.30", "currency": "CNY"}``, decimals as their exact text, fractions
  as ``"1/3"``; a float is refused wherever a number is read;
* dates ``"2026-11-30"``; instants RFC 9557 text with the zone's name,
  ``"2026-11-24T09:30:00+08:00[Asia/Shanghai]"``; times of day ``"09:30:00"``; durations
  ``"PT5400S"`` (whole seconds, and microseconds as six decimals where there are any);
* enums by their value (their code: ``"square_metre"``; a period kind by its months);
* sets as lists sorted by their primitives, tuples as lists, mappings with sorted keys;
* unions of classes and protocol-typed fields as tagged objects ``{"type": "<tag>", ...}``,
  the tag read from the registry; personal identifiers as their clear normalised text;
* values that hold code (exclusivity rules, a holidays class) by their registered name.
"""

from __future__ import annotations

import datetime
import enum
import fractions
import inspect
import json
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import cattrs
import cattrs.gen
import pendulum
from cattrs.errors import AttributeValidationNote, ClassValidationError, ForbiddenExtraKeysError

from propcrm.billing import PriceItem, PriceList
from propcrm.errors import InvalidDocument, InvalidType, PropcrmError, SerializationError
from propcrm.money import Money
from propcrm.parties import ExclusivityRule, PartyBook
from propcrm.personal_data import IdCardNumber, PersonalIdentifier
from propcrm.segmentation import Segment
from propcrm.serialization._registry import REGISTRY, TAG_KEY, TypeRegistry

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INSTANT = re.compile(r"^(?P<local>\d{4}-\d{2}-\d{2}T[^\[\]]+)\[(?P<zone>[^\[\]]+)\]$")
_DURATION = re.compile(r"^(?P<sign>-?)PT(?P<seconds>\d+)(?:\.(?P<micro>\d{6}))?S$")
_FRACTION = re.compile(r"^-?\d+(/\d+)?$")
# Identifiers are stored in clear (storage must lose nothing); the purpose is what a RevealAudit
# of the caller's own would be told if it were asked.
_STORAGE_PURPOSE = "storage"


def _refuse(message: str, value: object, allowed: str) -> typing.NoReturn:
    raise InvalidDocument(message, value=value, allowed=allowed)


def _text(value: object, what: str, example: str) -> str:
    if not isinstance(value, str):
        _refuse(
            f"{what} is written as text such as {example!r}, not {type(value).__name__} {value!r}.",
            value,
            f"text such as {example!r}",
        )
    return value


# -- numbers ------------------------------------------------------------------------------------


def _decimal(value: object, _: object = None) -> Decimal:
    text = _text(value, "a decimal", "12.30")
    try:
        result = Decimal(text)
    except InvalidOperation:
        _refuse(f"{text!r} is not a decimal number.", value, "text such as '12.30'")
    if not result.is_finite():
        _refuse(f"{text!r} is not a finite decimal.", value, "a finite decimal such as '12.30'")
    return result


def _fraction(value: object, _: object) -> fractions.Fraction:
    text = _text(value, "a fraction", "1/3")
    if not _FRACTION.match(text):
        _refuse(f"{text!r} is not a fraction such as '1/3'.", value, "text such as '1/3'")
    try:
        return fractions.Fraction(text)
    except ZeroDivisionError:
        _refuse(f"{text!r} divides by zero.", value, "a non-zero denominator")


def _fraction_text(value: fractions.Fraction) -> str:
    return str(value)


def _money(value: Money) -> dict[str, str]:
    return {"amount": str(value.amount), "currency": value.currency}


def _structure_money(value: object, _: object) -> Money:
    if not isinstance(value, dict) or set(value) - {"amount", "currency"} or "amount" not in value:
        _refuse(
            f"money is written as {{'amount': '12.30', 'currency': 'CNY'}}, not {value!r}.",
            value,
            "an object with 'amount' (text) and 'currency'",
        )
    currency = value.get("currency", "CNY")
    return Money(_decimal(value["amount"]), _text(currency, "a currency", "CNY"))


def _strict(kind: type, example: str) -> Callable[[object, object], Any]:
    def structure(value: object, _: object) -> Any:
        # bool is an int: True is never a count, nor 1 a truth value.
        if type(value) is not kind:
            _refuse(
                f"expected {kind.__name__} such as {example}, got {type(value).__name__} "
                f"{value!r}.",
                value,
                f"{kind.__name__} such as {example}",
            )
        return value

    return structure


# -- time ---------------------------------------------------------------------------------------


def _date_text(value: datetime.date) -> str:
    return value.isoformat()


def _date(value: object, _: object) -> pendulum.Date:
    text = _text(value, "a date", "2026-11-30")
    if not _DATE.match(text):
        _refuse(f"{text!r} is not a date such as '2026-11-30'.", value, "YYYY-MM-DD")
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        _refuse(f"{text!r} is not a real date.", value, "a real date as YYYY-MM-DD")
    return pendulum.Date(day.year, day.month, day.day)


def _instant_text(value: datetime.datetime) -> str:
    zone = getattr(value.tzinfo, "key", None)
    if not isinstance(zone, str):
        raise SerializationError(
            f"instant {value.isoformat()} has no zone name (tzinfo {value.tzinfo!r}); only "
            "instants in a named zone such as Asia/Shanghai can be stored without loss.",
            value=value,
            allowed="an aware datetime in an IANA zone",
        )
    return f"{value.isoformat()}[{zone}]"


def _instant(value: object, _: object) -> pendulum.DateTime:
    example = "2026-11-24T09:30:00+08:00[Asia/Shanghai]"
    text = _text(value, "an instant", example)
    match = _INSTANT.match(text)
    if match is None:
        _refuse(
            f"{text!r} is not an instant with its zone name such as {example!r}; a fixed "
            "offset alone loses the zone.",
            value,
            f"RFC 9557 text such as {example!r}",
        )
    try:
        local = datetime.datetime.fromisoformat(match["local"])
    except ValueError:
        _refuse(f"{text!r} is not a date and time with an offset.", value, example)
    if local.tzinfo is None:
        _refuse(f"{text!r} has no UTC offset.", value, example)
    try:
        zone = pendulum.timezone(match["zone"])
    except Exception:  # pendulum raises its own error types for unknown and malformed names
        _refuse(f"{match['zone']!r} is not an IANA time zone.", value, "an IANA zone name")
    result = pendulum.instance(local).in_timezone(zone)
    # The offset and the zone must agree: otherwise one of them is wrong, and which is unknown.
    if result.utcoffset() != local.utcoffset():
        _refuse(
            f"{text!r}: offset {match['local'][-6:]} is not {zone.name}'s at that time "
            f"({result.isoformat()}).",
            value,
            "the zone's own offset at that instant",
        )
    return result


def _time_text(value: datetime.time) -> str:
    return value.isoformat()


def _time(value: object, _: object) -> datetime.time:
    text = _text(value, "a time of day", "09:30:00")
    try:
        return datetime.time.fromisoformat(text)
    except ValueError:
        _refuse(f"{text!r} is not a time of day such as '09:30:00'.", value, "HH:MM:SS")


def _duration_text(value: datetime.timedelta) -> str:
    micro = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    sign = "-" if micro < 0 else ""
    seconds, rest = divmod(abs(micro), 1_000_000)
    return f"{sign}PT{seconds}.{rest:06d}S" if rest else f"{sign}PT{seconds}S"


def _duration(value: object, _: object) -> datetime.timedelta:
    text = _text(value, "a duration", "PT5400S")
    match = _DURATION.match(text)
    if match is None:
        _refuse(f"{text!r} is not a duration such as 'PT5400S'.", value, "PT<seconds>S")
    micro = int(match["seconds"]) * 1_000_000 + int(match["micro"] or 0)
    return datetime.timedelta(microseconds=-micro if match["sign"] else micro)


# -- enums, identifiers, named values -----------------------------------------------------------


def _enum_value(value: enum.Enum) -> Any:
    return value.value


_ENUM_CODES: dict[type[enum.Enum], dict[object, enum.Enum]] = {}


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    by_value = _ENUM_CODES.get(cls)
    if by_value is None:
        by_value = _ENUM_CODES[cls] = {member.value: member for member in cls}
    # A bool equals 1 and 0: never a member of an int enum by accident.
    member = None if isinstance(value, bool | float | dict | list) else by_value.get(value)
    if member is None:
        codes = ", ".join(repr(code) for code in by_value)
        _refuse(f"{value!r} is not a {cls.__name__} code; the codes are {codes}.", value, codes)
    return member


def _identifier_text(value: PersonalIdentifier) -> str:
    return value.reveal(_STORAGE_PURPOSE)


def _structure_identifier(cls: type[PersonalIdentifier]) -> Callable[[object, object], Any]:
    def structure(value: object, _: object) -> PersonalIdentifier:
        text = _text(value, f"a {cls.__name__}", "its clear text")
        if cls is IdCardNumber:
            # Stored numbers were accepted once, maybe for a region code retired since.
            return IdCardNumber(text, check_region=False)
        return cls(text)

    return structure


# -- collections --------------------------------------------------------------------------------


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _sorted_list(items: typing.Iterable[Any]) -> list[Any]:
    # A set has no order: sorting its primitives makes equal sets equal documents.
    listed = list(items)
    try:
        return sorted(listed)
    except TypeError:  # objects (tagged values, money): by their canonical JSON text
        return sorted(listed, key=_canonical)


def _sorted_dict(pairs: typing.Iterable[tuple[Any, Any]]) -> dict[Any, Any]:
    return dict(sorted(pairs, key=lambda pair: _canonical(pair[0])))


# -- tagged unions ------------------------------------------------------------------------------


def _members(tp: Any) -> tuple[Any, ...]:
    return tuple(a for a in typing.get_args(tp) if a is not type(None))


def _is_tagged(cls: object) -> bool:
    return isinstance(cls, type) and (
        attrs.has(cls) or issubclass(cls, enum.Enum | PersonalIdentifier) or _is_protocol(cls)
    )


def _is_protocol(tp: object) -> bool:
    return isinstance(tp, type) and (
        bool(getattr(tp, "_is_protocol", False))
        or (not attrs.has(tp) and bool(getattr(tp, "__abstractmethods__", None)))
    )


def _is_tagged_union(tp: object) -> bool:
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return False
    members = _members(tp)
    return len(members) > 1 and any(_is_tagged(m) for m in members)


class _Tagged:
    """Tagged (un)structuring of a union of classes or of a protocol's implementations."""

    def __init__(self, converter: cattrs.Converter, registry: TypeRegistry, tp: Any) -> None:
        self._converter = converter
        self._registry = registry
        members = _members(tp) if typing.get_origin(tp) else (tp,)
        self._optional = type(None) in typing.get_args(tp)
        self._classes = tuple(m for m in members if isinstance(m, type) and not _is_protocol(m))
        self._protocols = tuple(m for m in members if _is_protocol(m))
        plain = [m for m in members if not _is_tagged(m)]
        if len(plain) > 1:
            raise SerializationError(
                f"{tp} mixes several untagged types ({plain}); only one can be told apart.",
                value=tp,
                allowed="one untagged member at most",
            )
        self._plain = plain[0] if plain else None
        self._unstructurers: dict[type, Callable[[Any], Any]] = {}
        # Tags already read, with their hooks; cleared when a class is registered.
        self._structurers: dict[str, Callable[[dict[str, Any]], Any]] = {}
        self._version = registry.version

    def allowed(self) -> tuple[type, ...]:
        found = [c for c in self._classes if _is_tagged(c)]
        for protocol in self._protocols:
            found.extend(self._registry.implementations(protocol))
        return tuple(found)

    def unstructure(self, value: Any) -> Any:
        if value is None:
            return None
        cls = value.__class__
        plain = self._plain
        if plain is not None and not _is_tagged(cls):
            return self._converter.unstructure(value, plain)
        hook = self._unstructurers.get(cls)
        if hook is None:
            tag = self._registry.tag_of(cls)
            inner = self._converter.get_unstructure_hook(cls)
            if issubclass(cls, enum.Enum | PersonalIdentifier):

                def hook(item: Any, tag: str = tag, inner: Any = inner) -> Any:
                    return {TAG_KEY: tag, "value": inner(item)}

            else:

                def hook(item: Any, tag: str = tag, inner: Any = inner) -> Any:
                    return {TAG_KEY: tag, **inner(item)}

            self._unstructurers[cls] = hook
        return hook(value)

    def structure(self, value: Any, _: object) -> Any:
        if value is None and self._optional:
            return None
        if not isinstance(value, dict) or TAG_KEY not in value:
            if self._plain is not None and not isinstance(value, dict):
                return self._converter.structure(value, self._plain)
            _refuse(
                f"expected an object with a {TAG_KEY!r} key naming its class, got {value!r}.",
                value,
                f"{{{TAG_KEY!r}: <tag>, ...}}",
            )
        tag = value[TAG_KEY]
        if self._version != self._registry.version:
            self._structurers.clear()
            self._version = self._registry.version
        hook = self._structurers.get(tag) if isinstance(tag, str) else None
        if hook is None:
            hook = self._structurer(self._registry.class_of(tag, self.allowed()))
            self._structurers[tag] = hook
        fields = value.copy()
        del fields[TAG_KEY]
        return hook(fields)

    def _structurer(self, cls: type) -> Callable[[dict[str, Any]], Any]:
        inner = self._converter.get_structure_hook(cls)
        if issubclass(cls, enum.Enum | PersonalIdentifier):

            def structure_value(fields: dict[str, Any]) -> Any:
                if fields.keys() != {"value"}:
                    _refuse(
                        f"a tagged {cls.__name__} holds exactly 'value', not {sorted(fields)}.",
                        fields,
                        "{'type', 'value'}",
                    )
                return inner(fields["value"], cls)

            return structure_value

        def structure_fields(fields: dict[str, Any]) -> Any:
            return inner(fields, cls)

        return structure_fields


# -- the converter ------------------------------------------------------------------------------


def _is_identifier(tp: object) -> bool:
    return isinstance(tp, type) and issubclass(tp, PersonalIdentifier)


def _is_class_of_type(tp: object) -> bool:
    return tp is type or typing.get_origin(tp) is type


def _has_own_init(tp: object) -> bool:
    # attrs classes with init=False and an __init__ of their own (CategoryIn(*categories)).
    return isinstance(tp, type) and attrs.has(tp) and "__attrs_init__" in vars(tp)


def _structure_attrs_init(converter: cattrs.Converter) -> Callable[[Any], Any]:
    """Builds such a class through ``__attrs_init__``: its converters and validators, by field.

    The class's own ``__init__`` takes other arguments (positional items, say) and hands them to
    ``__attrs_init__``; a document holds the fields, so it goes to the same place directly.
    """

    def factory(cls: type) -> Callable[[object, object], Any]:
        hints = typing.get_type_hints(cls)
        fields = [
            (a.name, a.alias, hints.get(a.name, a.type), a.default is attrs.NOTHING)
            for a in attrs.fields(cls)
            if a.init
        ]
        names = {name for name, *_ in fields}

        def structure(value: object, _: object) -> Any:
            if not isinstance(value, dict):
                _refuse(
                    f"expected an object for {cls.__name__}, got {value!r}.", value, "an object"
                )
            extra = set(value) - names
            if extra:
                raise ForbiddenExtraKeysError("", cls, extra)
            kwargs = {}
            errors: list[Exception] = []
            for name, alias, tp, required in fields:
                if name not in value:
                    if required:
                        errors.append(KeyError(name))
                        errors[-1].add_note(AttributeValidationNote(f"missing {name}", name, tp))
                    continue
                try:
                    kwargs[alias] = converter.structure(value[name], tp)
                except Exception as exc:  # gathered as cattrs does, with the field's name
                    exc.add_note(AttributeValidationNote(f"structuring {name}", name, tp))
                    errors.append(exc)
            if errors:
                raise ClassValidationError(f"while structuring {cls.__name__}", errors, cls)
            instance: Any = object.__new__(cls)
            instance.__attrs_init__(**kwargs)
            return instance

        return structure

    return factory


def _register_constructor_shaped(converter: cattrs.Converter, cls: type) -> None:
    """A class stored as the arguments of its constructor, each read back from its property.

    A :class:`~propcrm.parties.PartyBook` keeps its records in private indexes; its constructor
    takes them as plain sequences, which its public properties of the same names return.
    """
    signature = inspect.signature(cls)
    shape = attrs.make_class(
        f"{cls.__name__}Arguments",
        {
            name: attrs.field(
                type=typing.get_type_hints(getattr(cls, name).fget)["return"],
                kw_only=parameter.kind is inspect.Parameter.KEYWORD_ONLY,
            )
            for name, parameter in signature.parameters.items()
        },
        frozen=True,
    )
    names = tuple(signature.parameters)
    unstructure_shape = converter.get_unstructure_hook(shape)
    structure_shape = converter.get_structure_hook(shape)

    def unstructure(value: Any) -> Any:
        return unstructure_shape(shape(**{name: getattr(value, name) for name in names}))

    def structure(value: object, _: object) -> Any:
        arguments = structure_shape(value, shape)
        return cls(**{name: getattr(arguments, name) for name in names})

    converter.register_unstructure_hook(cls, unstructure)
    converter.register_structure_hook(cls, structure)


def _register_segment(converter: cattrs.Converter) -> None:
    """A segment's names are pairs once made, and a mapping of locale to name when given."""
    pairs = typing.get_type_hints(Segment)["names"]

    def names(value: object, _: object) -> dict[str, str]:
        return dict(converter.structure(value, pairs))

    converter.register_structure_hook(
        Segment,
        cattrs.gen.make_dict_structure_fn(
            Segment,
            converter,
            _cattrs_forbid_extra_keys=True,
            names=cattrs.gen.override(struct_hook=names),
        ),
    )


def _register_price_list(converter: cattrs.Converter) -> None:
    """A price list is written as it holds its items, by code; its constructor takes the items.

    A key that is not its item's code is refused rather than silently re-keyed.
    """

    def items(value: object, _: object) -> tuple[PriceItem, ...]:
        by_code = converter.structure(value, dict[str, PriceItem])
        for code, item in by_code.items():
            if item.code != code:
                _refuse(
                    f"price item {item.code!r} is stored under the code {code!r}.",
                    value,
                    "each item under its own code",
                )
        return tuple(by_code.values())

    converter.register_structure_hook(
        PriceList,
        cattrs.gen.make_dict_structure_fn(
            PriceList,
            converter,
            _cattrs_forbid_extra_keys=True,
            items=cattrs.gen.override(struct_hook=items),
        ),
    )


def make_converter(registry: TypeRegistry | None = None) -> cattrs.Converter:
    """A fresh converter configured for every propcrm value.

    Register hooks for your own types on it, and your own classes of a protocol (a predicate,
    a segment rule) with :func:`register_type`, which every converter reads.

    >>> from propcrm.money import Money
    >>> converter = make_converter()
    >>> converter.unstructure(Money("12.30"))
    {'amount': '12.30', 'currency': 'CNY'}
    >>> converter.structure({"amount": "12.30", "currency": "CNY"}, Money)
    Money('12.30', 'CNY')
    """
    if registry is None:
        registry = REGISTRY
    elif not isinstance(registry, TypeRegistry):
        raise InvalidType(
            f"registry must be a TypeRegistry, got {type(registry).__name__} {registry!r}.",
            field="registry",
            value=registry,
            allowed="a TypeRegistry, or None for the standard one",
        )
    converter = cattrs.Converter(
        forbid_extra_keys=True,
        detailed_validation=True,
        unstruct_collection_overrides={
            AbstractSet: _sorted_list,
            frozenset: _sorted_list,
            Sequence: list,
            tuple: list,
            Mapping: _sorted_dict,
        },
    )
    for kind, example in ((str, "'text'"), (int, "12"), (bool, "true")):
        converter.register_structure_hook(kind, _strict(kind, example))
    converter.register_unstructure_hook(float, _refuse_float)
    converter.register_structure_hook(float, _refuse_float)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(Decimal, _decimal)
    converter.register_unstructure_hook(fractions.Fraction, _fraction_text)
    converter.register_structure_hook(fractions.Fraction, _fraction)
    converter.register_unstructure_hook(Money, _money)
    converter.register_structure_hook(Money, _structure_money)
    for day in (datetime.date, pendulum.Date):
        converter.register_unstructure_hook(day, _date_text)
        converter.register_structure_hook(day, _date)
    for instant in (datetime.datetime, pendulum.DateTime):
        converter.register_unstructure_hook(instant, _instant_text)
        converter.register_structure_hook(instant, _instant)
    converter.register_unstructure_hook(datetime.time, _time_text)
    converter.register_structure_hook(datetime.time, _time)
    converter.register_unstructure_hook(datetime.timedelta, _duration_text)
    converter.register_structure_hook(datetime.timedelta, _duration)
    # On the base class: cattrs dispatches enums by class before any predicate (24.1 does).
    converter.register_unstructure_hook(enum.Enum, _enum_value)
    converter.register_structure_hook(enum.Enum, _structure_enum)
    converter.register_unstructure_hook_func(_is_identifier, _identifier_text)
    converter.register_structure_hook_factory(_is_identifier, _structure_identifier)
    converter.register_structure_hook_factory(_has_own_init, _structure_attrs_init(converter))
    _register_named(converter, registry)
    _register_tagged(converter, registry)
    # Last: these generate their functions now, from the hooks above.
    _register_constructor_shaped(converter, PartyBook)
    _register_segment(converter)
    _register_price_list(converter)
    return converter


def _refuse_float(value: object, _: object = None) -> typing.NoReturn:
    _refuse(
        f"{value!r} is a float; propcrm stores exact numbers as text such as '12.30'.",
        value,
        "text such as '12.30'",
    )


def _register_named(converter: cattrs.Converter, registry: TypeRegistry) -> None:
    """Values that hold code: by the name registered for them."""
    converter.register_unstructure_hook(ExclusivityRule, registry.name_of)

    def rule(value: object, _: object) -> ExclusivityRule:
        found: ExclusivityRule = registry.value_of(
            _text(value, "an exclusivity rule", "its name"),
            lambda v: isinstance(v, ExclusivityRule),
        )
        return found

    converter.register_structure_hook(ExclusivityRule, rule)

    def structure_class(tp: Any) -> Callable[[object, object], type]:
        args = typing.get_args(tp)
        base = args[0] if args and isinstance(args[0], type) else object

        def structure(value: object, _: object) -> type:
            found: type = registry.value_of(
                _text(value, "a class", "its registered name"),
                lambda v: isinstance(v, type) and issubclass(v, base),
            )
            return found

        return structure

    converter.register_unstructure_hook_func(_is_class_of_type, registry.name_of)
    converter.register_structure_hook_factory(_is_class_of_type, structure_class)


def _register_tagged(converter: cattrs.Converter, registry: TypeRegistry) -> None:
    def unstructure(tp: Any) -> Callable[[Any], Any]:
        return _Tagged(converter, registry, tp).unstructure

    def structure(tp: Any) -> Callable[[Any, object], Any]:
        return _Tagged(converter, registry, tp).structure

    converter.register_unstructure_hook_factory(_is_tagged_union, unstructure)
    converter.register_structure_hook_factory(_is_tagged_union, structure)
    converter.register_unstructure_hook_factory(_is_protocol, unstructure)
    converter.register_structure_hook_factory(_is_protocol, structure)


#: Errors a class's own constructor or validator raises on bad data, besides propcrm's.
_VALIDATION_ERRORS = (PropcrmError, ValueError, TypeError, KeyError, LookupError)
