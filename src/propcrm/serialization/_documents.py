"""Values to primitives and JSON documents, and back, with the errors a reader can act on."""

from __future__ import annotations

import json
from typing import Any, TypeVar, overload

import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.fns import identity

from propcrm.errors import (
    InvalidDocument,
    PropcrmError,
    SerializationError,
    UnknownTypeTag,
    UnsupportedSchemaVersion,
)
from propcrm.serialization._converter import make_converter
from propcrm.serialization._registry import REGISTRY

T = TypeVar("T")

#: The schema version :func:`dumps` writes and the newest :func:`loads` reads.
SCHEMA_VERSION = 1

_CONVERTER = make_converter()


_JSON_TYPES = frozenset({str, int, float, bool, type(None)})


def to_primitive(value: object, cls: Any = None) -> Any:
    """``value`` as JSON-compatible primitives (dicts, lists, text, ints, bools, None).

    ``cls`` is the type to write it as, where its own class does not say enough: a union or a
    protocol (``tuple[SlaEvent, ...]``) makes each item a tagged object.

    >>> import pendulum
    >>> from propcrm.money import Money
    >>> to_primitive(Money("12.30"))
    {'amount': '12.30', 'currency': 'CNY'}
    >>> to_primitive(pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Shanghai"))
    '2026-11-24T09:30:00+08:00[Asia/Shanghai]'
    """
    if (
        cls is None
        and type(value) not in _JSON_TYPES
        and _CONVERTER.get_unstructure_hook(type(value)) is identity
    ):
        # cattrs hands back what it does not know as it is; that is no primitive, so it is
        # refused here rather than failing later in json.dumps or a database driver.
        REGISTRY.tag_of(type(value))
    return _CONVERTER.unstructure(value, cls)


@overload
def from_primitive(data: object, cls: type[T]) -> T: ...


@overload
def from_primitive(data: object, cls: Any) -> Any: ...


def from_primitive(data: object, cls: Any) -> Any:
    """The ``cls`` value that ``data`` (from :func:`to_primitive`) describes.

    Every value is built through its class's constructor and validators; data they refuse, or
    of the wrong shape, raises :class:`~propcrm.errors.InvalidDocument` naming the path of the
    field (``field``) and chaining the cause.

    >>> from propcrm.billing import LateFeePolicy
    >>> data = to_primitive(LateFeePolicy())
    >>> from_primitive(data, LateFeePolicy) == LateFeePolicy()
    True
    >>> data["cap"] = {"type": "billing.PercentOfPrincipalCap", "percent": 30}
    >>> from_primitive(data, LateFeePolicy)
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidDocument: at cap.percent: a decimal is written as text such as \
'12.30', not int 30.
    """
    try:
        return _CONVERTER.structure(data, cls)
    except Exception as exc:  # every failure leaves here as a SerializationError, with its path
        error, cause = _translate(exc)
        raise error from cause


def dumps(value: object) -> str:
    """A JSON document of ``value``: schema version, type tag and data; keys sorted.

    >>> from propcrm.money import Money
    >>> dumps(Money("12.30"))
    '{"data":{"amount":"12.30","currency":"CNY"},"propcrm":1,"type":"money.Money"}'
    """
    document = {
        "propcrm": SCHEMA_VERSION,
        "type": REGISTRY.tag_of(type(value)),
        "data": to_primitive(value),
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def loads(text: str | bytes, cls: type[T]) -> T:
    """The ``cls`` value of a document from :func:`dumps`.

    A newer or unknown schema version raises :class:`~propcrm.errors.UnsupportedSchemaVersion`;
    a document of another type, or malformed, :class:`~propcrm.errors.InvalidDocument`.

    >>> from propcrm.money import Money
    >>> loads('{"propcrm": 1, "type": "money.Money", "data": {"amount": "1.5"}}', Money)
    Money('1.5', 'CNY')
    >>> loads('{"propcrm": 2, "type": "money.Money", "data": {"amount": "1.5"}}', Money)
    Traceback (most recent call last):
    ...
    propcrm.errors.UnsupportedSchemaVersion: schema version 2 is newer than this release \
reads (1); upgrade propcrm to read it.
    """
    try:
        document = json.loads(text)
    except (ValueError, TypeError) as exc:
        raise InvalidDocument(
            f"not a JSON document: {exc}.", field="", value=text, allowed="JSON text"
        ) from exc
    if not isinstance(document, dict) or set(document) != {"propcrm", "type", "data"}:
        keys = sorted(document) if isinstance(document, dict) else type(document).__name__
        raise InvalidDocument(
            f"a document is an object with exactly 'propcrm', 'type' and 'data'; got {keys}.",
            field="",
            value=keys,
            allowed="{'propcrm', 'type', 'data'}",
        )
    _check_version(document["propcrm"])
    expected = REGISTRY.tag_of(cls)
    if document["type"] != expected:
        if not REGISTRY.is_known(document["type"]):
            raise UnknownTypeTag(
                f"the document's type {document['type']!r} is no registered class; "
                f"{expected!r} was asked for.",
                field="type",
                value=document["type"],
                allowed=expected,
            )
        raise InvalidDocument(
            f"the document holds a {document['type']!r}, not the {expected!r} asked for.",
            field="type",
            value=document["type"],
            allowed=expected,
        )
    return from_primitive(document["data"], cls)


def _check_version(version: object) -> None:
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise UnsupportedSchemaVersion(
            f"schema version {version!r} is not one propcrm ever wrote; versions are 1 to "
            f"{SCHEMA_VERSION}.",
            field="propcrm",
            value=version,
            allowed=f"1 to {SCHEMA_VERSION}",
        )
    if version > SCHEMA_VERSION:
        raise UnsupportedSchemaVersion(
            f"schema version {version} is newer than this release reads ({SCHEMA_VERSION}); "
            "upgrade propcrm to read it.",
            field="propcrm",
            value=version,
            allowed=f"1 to {SCHEMA_VERSION}",
        )


def _leaf(exc: BaseException, path: str) -> tuple[BaseException, str]:
    """The first underlying error of a cattrs validation group, and the path to it."""
    while isinstance(exc, ClassValidationError | IterableValidationError):
        inner = exc.exceptions[0]
        for note in getattr(inner, "__notes__", ()):
            if isinstance(note, AttributeValidationNote):
                path = f"{path}.{note.name}" if path else note.name
                break
            if isinstance(note, IterableValidationNote):
                path = f"{path}[{note.index!r}]"
                break
        exc = inner
    return exc, path


def _translate(exc: Exception) -> tuple[SerializationError, BaseException]:
    leaf, path = _leaf(exc, "")
    return _error(leaf, path), leaf


def _error(leaf: BaseException, path: str) -> SerializationError:
    where = f"at {path}: " if path else ""
    if isinstance(leaf, ForbiddenExtraKeysError):
        return InvalidDocument(
            f"{where}unexpected keys {sorted(leaf.extra_fields)} for {leaf.cl.__qualname__}.",
            field=path,
            value=sorted(leaf.extra_fields),
            allowed="the class's fields",
            error=leaf,
        )
    if isinstance(leaf, UnknownTypeTag):
        return UnknownTypeTag(
            f"{where}{leaf}", field=path, value=leaf.value, allowed=leaf.allowed, error=leaf
        )
    if isinstance(leaf, PropcrmError):
        return InvalidDocument(
            f"{where}{leaf}", field=path, value=leaf.value, allowed=leaf.allowed, error=leaf
        )
    if isinstance(leaf, KeyError):
        return InvalidDocument(
            f"{where}missing field {leaf}.", field=path, value=None, allowed=None, error=leaf
        )
    if isinstance(leaf, cattrs.StructureHandlerNotFoundError):
        return SerializationError(f"{where}{leaf}", field=path, error=leaf)
    return InvalidDocument(f"{where}{type(leaf).__name__}: {leaf}", field=path, error=leaf)
