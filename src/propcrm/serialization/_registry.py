"""Which class each stored type name means, and which named values stand for code.

A document names a class wherever the reader could not tell it from the field's type: at the top
(``"type": "billing.Tariff"``) and inside every tagged union (a rule typed as a protocol, an
account event that is one of twelve classes). The name is the class's public name, its package
and its own name, so it survives moving the class between private modules.

Some public values hold code: an :class:`~propcrm.parties.ExclusivityRule` is three functions,
``ChinaHolidays.holidays_class`` a class of the ``holidays`` package. Code is not data, so such
a value is stored by a name registered for it, and reading refuses a name nobody registered.
"""

from __future__ import annotations

import enum
import importlib
import re
import typing
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from propcrm.errors import InvalidType, UnknownTypeTag
from propcrm.parties import PartyBookPolicy
from propcrm.personal_data import PersonalIdentifier
from propcrm.sla import ChinaHolidays

#: The key that names a tagged value's class (``{"type": "classification.Keywords", ...}``).
TAG_KEY = "type"

_TAG = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+$")

# The packages whose public classes are registered, bottom layer first: a class exported twice
# keeps the first (lowest) package's name.
_PACKAGES = (
    "money",
    "time",
    "billing",
    "sla",
    "classification",
    "personal_data",
    "parties",
    "receivables",
    "analytics",
    "segmentation",
    "complaints",
    "archive",
    "visitors",
    "care",
    "contacts",
    "schedules",
    "solutions",
    "notices",
    "parking",
    "assembly",
    "affairs",
    "prospects",
    "questionnaires",
)


def _is_taggable(value: object) -> bool:
    if not isinstance(value, type):
        return False
    return attrs.has(value) or issubclass(value, PersonalIdentifier)


def _protocol_members(protocol: type) -> frozenset[str]:
    """The attribute and method names a protocol (or abstract base) asks for."""
    names: set[str] = set()
    for base in protocol.__mro__:
        if base in (object, typing.Protocol, typing.Generic):
            continue
        names.update(getattr(base, "__annotations__", {}))
        names.update(name for name in vars(base) if not name.startswith("_"))
    return frozenset(names)


def _implements(cls: type, protocol: type) -> bool:
    try:
        return issubclass(cls, protocol)
    except TypeError:
        # A protocol with data members refuses issubclass(): compare the members by name.
        field_names = {a.name for a in attrs.fields(cls)} if attrs.has(cls) else set()
        return all(
            hasattr(cls, name) or name in field_names for name in _protocol_members(protocol)
        )


class TypeRegistry:
    """Stored names for classes (tags) and for values that hold code.

    >>> registry = TypeRegistry()
    >>> from propcrm.money import Money
    >>> registry.register(Money)
    'money.Money'
    >>> registry.class_of("money.Money") is Money
    True
    """

    def __init__(self) -> None:
        self._classes: dict[str, type] = {}
        self._tags: dict[type, str] = {}
        self._values: dict[str, object] = {}
        self._names: dict[int, str] = {}
        self._implementations: dict[type, tuple[type, ...]] = {}
        #: Counts registrations, so that converters know when what they cached is stale.
        self.version = 0

    # -- classes ----------------------------------------------------------------------------

    def register(self, cls: type, tag: str | None = None) -> str:
        """Register ``cls`` under ``tag`` (by default ``<package>.<ClassName>``); return the tag.

        Registering a class again under its own tag does nothing; a tag already taken by another
        class, or a class with a field named like the tag key, is refused.
        """
        if not isinstance(cls, type):
            raise InvalidType(
                f"only a class can be registered, not {cls!r}.",
                field="cls",
                value=cls,
                allowed="a class",
            )
        tag = _default_tag(cls) if tag is None else tag
        if not isinstance(tag, str) or not _TAG.match(tag):
            raise InvalidType(
                f"a type tag is a dotted name such as 'myapp.GateRule', not {tag!r}.",
                field="tag",
                value=tag,
                allowed="a dotted name",
            )
        if attrs.has(cls) and any(a.name == TAG_KEY for a in attrs.fields(cls)):
            raise InvalidType(
                f"{cls.__qualname__} has a field named {TAG_KEY!r}, the key that holds the "
                "type tag of a stored value; rename the field to register the class.",
                field="cls",
                value=cls,
                allowed=f"a class without a field named {TAG_KEY!r}",
            )
        known = self._classes.get(tag)
        if known is not None and known is not cls:
            raise InvalidType(
                f"type tag {tag!r} already names {known.__module__}.{known.__qualname__}; "
                "choose another tag.",
                field="tag",
                value=tag,
                allowed="a tag not registered yet",
            )
        self._classes[tag] = cls
        self._tags.setdefault(cls, tag)
        self._implementations.clear()
        self.version += 1
        return tag

    def tag_of(self, cls: type) -> str:
        """The tag ``cls`` is stored under; :class:`~propcrm.errors.UnknownTypeTag` if none."""
        if not isinstance(cls, type):
            raise InvalidType(
                f"a type tag belongs to a class, not {type(cls).__name__} {cls!r}.",
                field="cls",
                value=cls,
                allowed="a class",
            )
        try:
            return self._tags[cls]
        except (KeyError, TypeError):
            raise UnknownTypeTag(
                f"{cls.__module__}.{cls.__qualname__} has no type tag; register it with "
                "propcrm.serialization.register_type() to store it.",
                field=TAG_KEY,
                value=cls,
                allowed="a registered class",
            ) from None

    def class_of(self, tag: object, allowed: Iterable[type] | None = None) -> type:
        """The class ``tag`` names, which must be one of ``allowed`` where that is given."""
        cls = self._classes.get(tag) if isinstance(tag, str) else None
        choices = self._classes.values() if allowed is None else allowed
        if cls is None or (allowed is not None and cls not in choices):
            names = sorted(self._tags[c] for c in choices if c in self._tags)
            shown = ", ".join(names) if len(names) <= 60 else ", ".join(names[:60]) + ", …"
            raise UnknownTypeTag(
                f"unknown type tag {tag!r}; the known ones here are: {shown}.",
                field=TAG_KEY,
                value=tag,
                allowed=shown,
            )
        return cls

    def has_tag(self, cls: type) -> bool:
        """Whether ``cls`` has a tag."""
        return cls in self._tags

    def is_known(self, tag: object) -> bool:
        """Whether ``tag`` names a registered class."""
        return isinstance(tag, str) and tag in self._classes

    def implementations(self, protocol: type) -> tuple[type, ...]:
        """Every registered class that implements ``protocol`` (or subclasses it)."""
        found = self._implementations.get(protocol)
        if found is None:
            found = tuple(
                cls
                for cls in self._classes.values()
                if cls is not protocol and _implements(cls, protocol)
            )
            self._implementations[protocol] = found
        return found

    # -- values that hold code -------------------------------------------------------------

    def register_value(self, value: object, name: str) -> None:
        """Store ``value`` (a rule of functions, a class) by ``name`` wherever it appears."""
        if not isinstance(name, str) or not name.strip():
            raise InvalidType(
                f"a stored name is non-empty text, not {name!r}.",
                field="name",
                value=name,
                allowed="non-empty text",
            )
        known = self._values.get(name)
        if known is not None and known is not value:
            raise InvalidType(
                f"name {name!r} already stands for {known!r}; choose another name.",
                field="name",
                value=name,
                allowed="a name not registered yet",
            )
        self._values[name] = value
        self._names.setdefault(id(value), name)

    def name_of(self, value: object) -> str:
        """The name ``value`` was registered under."""
        try:
            return self._names[id(value)]
        except KeyError:
            raise UnknownTypeTag(
                f"{value!r} holds code and has no stored name; register it with "
                "propcrm.serialization.register_value(value, name) to store it.",
                field="name",
                value=value,
                allowed="a registered value",
            ) from None

    def value_of(self, name: object, check: Callable[[object], bool]) -> Any:
        """The value registered as ``name``, which must pass ``check``."""
        value = self._values.get(name) if isinstance(name, str) else None
        if value is None or not check(value):
            names = sorted(n for n, v in self._values.items() if check(v))
            raise UnknownTypeTag(
                f"unknown name {name!r}; the registered ones are: {', '.join(names)}.",
                field="name",
                value=name,
                allowed=", ".join(names),
            )
        return value


def _default_tag(cls: type) -> str:
    parts = cls.__module__.split(".")
    package = parts[1] if parts[0] == "propcrm" and len(parts) > 1 else cls.__module__
    return f"{package}.{cls.__name__}"


def _standard_registry() -> TypeRegistry:
    registry = TypeRegistry()
    for prefix in _PACKAGES:
        package = importlib.import_module(f"propcrm.{prefix}")
        for name in package.__all__:
            value = getattr(package, name)
            storable = _is_taggable(value) or (
                isinstance(value, type) and issubclass(value, enum.Enum)
            )
            if storable and not registry.has_tag(value):
                registry.register(value, f"{prefix}.{name}")
    for rule in PartyBookPolicy().exclusivity:
        registry.register_value(rule, rule.name)
    # The holidays package's China, which ChinaHolidays reads by default.
    default_holidays = attrs.fields(ChinaHolidays).holidays_class.default
    registry.register_value(default_holidays, "holidays.China")
    return registry


#: The registry every converter of :func:`~propcrm.serialization.make_converter` reads.
REGISTRY = _standard_registry()


def register_type(cls: type, tag: str | None = None) -> str:
    """Make ``cls`` storable wherever a union or protocol admits it; return its type tag.

    The tag defaults to ``<package>.<ClassName>``; it is what documents store, so keep it
    stable once documents exist.

    >>> import attrs
    >>> @attrs.frozen
    ... class GateOpen:
    ...     gate: str
    >>> register_type(GateOpen, "myapp.GateOpen")
    'myapp.GateOpen'
    """
    return REGISTRY.register(cls, tag)


def register_value(value: object, name: str) -> None:
    """Store ``value``, which holds code (an exclusivity rule, a holidays class), by ``name``."""
    REGISTRY.register_value(value, name)


def type_tag(cls: type) -> str:
    """The type tag ``cls`` is stored under.

    >>> from propcrm.classification import Keywords
    >>> type_tag(Keywords)
    'classification.Keywords'
    """
    return REGISTRY.tag_of(cls)
