"""How the adapter writes an account's documents, and its fast path for reading them back.

Writing goes through :mod:`propcrm.serialization`, as every document does. Reading is the hot
path (loading and replaying every account of a community, the arrears scan): through the
converter a fee notice costs some 80 µs to rebuild, every validator run again on data that was
valid when it was written. So the adapter reads *its own* documents through a trusted path
(:mod:`propcrm._trusted`): the classes an account's stream is made of (statements, their lines
and explanations, due dates, periods, receipts, money) are built from their fields without
their validators; enums, and every field typed as a union or a protocol (a charge rule, a
late-fee cap, a charge unit), go through the converter, memoised by the document's text, since
a community's statements share them. Anything else, and any event of another class, goes
through the converter whole.

The contract of :mod:`propcrm._trusted` holds because the documents are the adapter's own:
written by :func:`~propcrm.serialization.to_primitive` from values that passed their
validators, in a database only the adapter writes. ``tests/test_storage_sql.py`` checks, over
the exported account strategies, that the trusted path gives values equal to the converter's.
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import functools
import gc
import json
import threading
import types
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, cast

import attrs
import pendulum

from propcrm._trusted import build_trusted, slot_constructor
from propcrm.billing import ChargeExplanation, ChargeLine, DueDate, Statement
from propcrm.money import Money
from propcrm.receivables import Account, AccountEvent, Receipt
from propcrm.serialization import from_primitive, to_primitive
from propcrm.time import BillingPeriod

_orjson: Any
try:
    # An optional speed-up (the ``fast-json`` extra): JSON several times faster to write and
    # nearly twice as fast to read, the same documents; the standard library's json otherwise.
    import orjson as _orjson
except ImportError:  # pragma: no cover - the suite runs with it installed
    _orjson = None

__all__ = ["Decoder", "dumps", "gc_kept", "gc_paused", "loads", "stdlib_dumps"]

_Structure = Callable[[Any], Any]
# The classes an account's stream is built of that the trusted path builds field by field.
_TRUSTED = (Statement, ChargeLine, ChargeExplanation, DueDate, BillingPeriod, Receipt)
# Parts statements share, built once and shared, as frozen values may be: every statement of a
# period its period and due date; a unit's notices, month after month, their fixed charge lines
# (keyed by their text, some 0.4 µs, where building a line and its explanation costs 3 µs; the
# tuple of them is shared, not each line, so that a notice holds no container of its own).
_SHARED = (DueDate, BillingPeriod)
_SHARED_TUPLES = (ChargeLine,)
_MEMO_LIMIT = 4096
# Text fields that name one event (a notice's number, a bank's reference): read as they are,
# where every other text field is shared (Decoder._text).
_OWN_TEXT = frozenset({"number", "reference"})
# A statement's document (as the converter writes it, fields in declaration order) starts with
# its tag; its lines, and the fields after them, follow this key (see Decoder._statement).
_STATEMENT_START = '{"type":"billing.Statement",'
_LINES_KEY = ',"lines":'
# How a settings document ends: its events, last and empty.
_NO_EVENTS = "[]}"


def stdlib_dumps(primitive: object) -> str:
    """Compact JSON text of primitives, by the standard library."""
    return json.dumps(primitive, ensure_ascii=False, separators=(",", ":"))


def dumps(primitive: object) -> str:
    """Compact JSON text of primitives: orjson's where installed, the same text as json's."""
    if _orjson is not None:
        try:
            return cast("bytes", _orjson.dumps(primitive, option=_orjson.OPT_NON_STR_KEYS)).decode()
        except _orjson.JSONEncodeError:
            pass  # what orjson does not write (an int beyond 64 bits, a lone surrogate), json does
    return stdlib_dumps(primitive)


def loads(text: str) -> Any:
    """The primitives of JSON text, by orjson where installed and able."""
    if _orjson is not None:
        try:
            return _orjson.loads(text)
        except _orjson.JSONDecodeError:
            pass
    return json.loads(text)


class _GcPause:
    """Pauses the cyclic garbage collector while the adapter builds a batch of values.

    Decoding a thousand accounts allocates hundreds of thousands of containers, none of them in
    a cycle, and the collector, run every few hundred allocations and over every live object
    at each full pass, took nearly half the time of loading a community. Counted across
    threads: the first to enter records whether the collector was on, the last to leave puts it
    back so; no user code runs inside. The collector is the process's, so other threads run
    without it meanwhile: a store pauses it only when asked (``SqlStore(pause_gc=True)``, for a
    batch job that owns its process), never by default.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._was_enabled = False

    @contextlib.contextmanager
    def __call__(self, active: bool = True) -> Iterator[None]:
        if not active:
            yield
            return
        with self._lock:
            if self._holders == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._holders += 1
        try:
            yield
        finally:
            with self._lock:
                self._holders -= 1
                if self._holders == 0 and self._was_enabled:
                    gc.enable()


gc_paused = _GcPause()


@contextlib.contextmanager
def gc_kept(active: bool = True) -> Iterator[Callable[[], None]]:
    """A block in which ``keep()`` takes what is alive out of the collector's young generations.

    A replay hands its caller a batch of accounts at a time, which the caller keeps: each
    batch is some sixty thousand containers, none in a cycle, that the collector would walk
    again in each young collection until they age into the oldest generation (a tenth of a
    community's replay). ``keep()`` moves every tracked object to the collector's permanent
    generation (:func:`gc.freeze`), and the block's end puts them all in the oldest
    generation (:func:`gc.unfreeze`), where they are walked at the next full collection like
    any long-lived object. It is the whole process's collector, so it is done only when the
    store was asked to pause it (``SqlStore(pause_gc=True)``, a batch job that owns its
    process; one that freezes objects itself, before forking, should not ask): cycles that
    become garbage meanwhile are collected after the block.
    """
    if not active:
        yield _nothing
        return
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def _nothing() -> None:
    return None


def _date(text: str) -> pendulum.Date:
    return pendulum.Date(int(text[0:4]), int(text[5:7]), int(text[8:10]))


class Decoder:
    """Writes accounts and their events as documents, and reads them back (trusted)."""

    def __init__(self) -> None:
        self._plans: dict[Any, _Structure] = {}
        self._encoders: dict[Any, _Structure] = {}
        self._events: dict[str, _Structure] = {}
        self._tags: dict[type, str] = {}
        for cls in (Statement, Receipt):
            self._tags[cls] = cast("str", to_primitive_tag(cls))
            self._events[self._tags[cls]] = self._plan(cls)

    # -- writing ---------------------------------------------------------------------------

    def dump_event(self, event: AccountEvent, *, tagged: bool = True) -> str:
        """An event's document (tagged with its class, or a bare receipt's)."""
        cls = type(event)
        if cls not in self._tags:
            return dumps(to_primitive(event, AccountEvent if tagged else cls))
        fields = self._encoder(cls)(event)
        return dumps({"type": self._tags[cls], **fields} if tagged else fields)

    def dump_account(self, account: Account) -> str:
        """An account's snapshot document."""
        return dumps(to_primitive(account, Account))

    def dump_snapshot(self, account: Account) -> str:
        """An account's snapshot document, written field by field (as :meth:`dump_account`)."""
        texts = [self.dump_event(e) for e in account.events]
        return self.snapshot_of(self.dump_settings(account), texts)

    def snapshot_of(self, settings: str, events: list[str]) -> str:
        """The snapshot document: ``settings`` (of :meth:`dump_settings`) with event texts.

        The events' documents are written once and spliced in, not encoded a second time.
        """
        head, empty = settings[: -len(_NO_EVENTS)], settings[-len(_NO_EVENTS) :]
        if empty != _NO_EVENTS:  # pragma: no cover - dump_settings writes the events last
            raise AssertionError(settings)
        return f"{head}[{','.join(events)}]}}"

    def dump_settings(self, account: Account) -> str:
        """An account's settings: the account without its events (what a replay starts from)."""
        return dumps(self._settings_primitive(account))

    def _settings_primitive(self, account: Account) -> dict[str, Any]:
        # An account's policies are shared by a community's accounts: written once each.
        allocation_type, disputes_type = self._account_types
        memo = self._memo("settings")
        parts = memo.get((account.allocation, account.disputes))
        if parts is None:
            parts = memo[(account.allocation, account.disputes)] = (
                to_primitive(account.allocation, allocation_type),
                to_primitive(account.disputes, disputes_type),
            )
        return {
            "unit_id": account.unit_id,
            "billed_party": account.billed_party,
            "currency": account.currency,
            "allocation": parts[0],
            "disputes": parts[1],
            "events": [],
        }

    @functools.cached_property
    def _account_types(self) -> tuple[Any, Any]:
        attrs.resolve_types(Account)
        fields = attrs.fields_dict(Account)
        return fields["allocation"].type, fields["disputes"].type

    def _encoder(self, tp: Any) -> _Structure:
        """How a value of ``tp`` is written: what the converter writes, built more directly.

        The classes of the trusted path are written field by field; the converter writes the
        rest (enums, unions, protocols), remembered by the value's identity (a community's
        statements share their late-fee policy, charge units and rules), and the value is
        kept beside what it was written as, so that its identity is not given to another.
        """
        encode = self._encoders.get(tp)
        if encode is not None:
            return encode
        if tp in (str, int, bool):
            encode = _same
        elif tp is Decimal:
            encode = str
        elif tp is Money:
            encode = _money
        elif tp in (pendulum.Date, datetime.date):
            encode = _iso
        elif _enum(tp):
            # A field typed as one enum holds its code, as the converter writes it (a union's
            # member carries a tag, and goes through the converter below).
            encode = _enum_code
        else:
            origin, args = typing.get_origin(tp), typing.get_args(tp)
            optional = origin in (types.UnionType, typing.Union) and len(args) == 2
            if optional and type(None) in args:
                (inner,) = [a for a in args if a is not type(None)]
                if _plain(inner):
                    item = self._encoder(inner)
                    encode = lambda v: None if v is None else item(v)  # noqa: E731
            elif origin is tuple and len(args) == 2 and args[1] is Ellipsis and _plain(args[0]):
                each = self._encoder(args[0])
                encode = lambda v: [each(i) for i in v]  # noqa: E731
            elif tp in _TRUSTED:
                encode = self._fields(tp)
            if encode is None:
                encode = self._converted(tp)
        self._encoders[tp] = encode
        return encode

    def _fields(self, cls: type[Any]) -> _Structure:
        attrs.resolve_types(cls)
        plans = [(f.name, self._encoder(f.type)) for f in attrs.fields(cls)]
        # One generated function a class, as the decoder's: {"name": plan(value.name), …},
        # text fields read as they are.
        cells: dict[str, Any] = {}
        items = []
        for n, (name, plan) in enumerate(plans):
            if not name.isidentifier():  # pragma: no cover - attrs field names are identifiers
                raise AssertionError(name)
            if plan is _same:
                items.append(f"{name!r}: value.{name}")
            else:
                cells[f"plan{n}"] = plan
                items.append(f"{name!r}: plan{n}(value.{name})")
        return _generated(cells, "value", "{" + ", ".join(items) + "}")

    def _converted(self, tp: Any) -> _Structure:
        memo: dict[int, tuple[Any, Any]] = self._memo(("written", tp))

        def encode(value: Any) -> Any:
            found = memo.get(id(value))
            if found is None:
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                found = memo[id(value)] = (value, to_primitive(value, tp))
            return found[1]

        return encode

    # -- reading ---------------------------------------------------------------------------

    def event(self, document: str) -> AccountEvent:
        """The event a document of :meth:`dump_event` holds."""
        if len(texts := self._text) >= _MEMO_LIMIT:
            texts.clear()
        if document.startswith(_STATEMENT_START):
            statement = self._statement(document)
            if statement is not None:
                return statement
        primitive = loads(document)
        # event_primitive, inlined: a community's replay reads some 140,000 events.
        fast = self._events.get(primitive.get("type", ""))
        if fast is None:
            return cast("AccountEvent", from_primitive(primitive, AccountEvent))
        return cast("AccountEvent", fast(primitive))

    def _statement(self, document: str) -> Statement | None:
        """A statement's document read with its repeating part looked up by text; None if not.

        From its lines on, a unit's notices repeat month after month to the character (lines,
        total, late-fee policy, billed party…): that text is looked up, read once per distinct
        text, and only what comes before it (number, period, dates) is parsed, where parsing
        and building the whole took two thirds of reading a notice. The cut is checked, not
        assumed: both parts must be JSON objects, as they are exactly when the key found is the
        statement's own (a key inside a string is escaped; a cut inside a nested value leaves
        unbalanced text). Anything else is read whole.
        """
        start = document.find(_LINES_KEY)
        if start < 0:
            return None
        tail = document[start:]
        memo = self._tails
        try:
            fields = memo.get(tail)
            if fields is None:
                fields = self._statement_tail(loads("{" + tail[1:]))
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                memo[tail] = fields
            primitive = loads(document[:start] + "}")
        except ValueError:  # not JSON: the key found was not the statement's
            return None
        if type(primitive) is not dict or primitive.get("type") != self._tags[Statement]:
            return None
        primitive.update(fields)
        return cast("Statement", self._statement_given_tail(primitive))

    @functools.cached_property
    def _tails(self) -> dict[str, dict[str, Any]]:
        """The fields of the statements' parts from their lines on, by text."""
        return self._memo("statement tails")

    def _statement_tail(self, primitive: Any) -> dict[str, Any]:
        """The fields of a statement's part from its lines on, read; ValueError if it is not.

        Those fields exactly: one of the rest among them (written after the lines) would be
        missing from what is parsed before.
        """
        if type(primitive) is not dict or primitive.keys() != self._tail_plans.keys():
            raise ValueError(primitive)
        return {name: plan(primitive[name]) for name, plan in self._tail_plans.items()}

    @functools.cached_property
    def _tail_plans(self) -> dict[str, _Structure]:
        """The plans of a statement's fields from its lines on."""
        attrs.resolve_types(Statement)
        names = [f.name for f in attrs.fields(Statement)]
        return {
            name: self._plan(attrs.fields_dict(Statement)[name].type)
            for name in names[names.index("lines") :]
        }

    @functools.cached_property
    def _statement_given_tail(self) -> _Structure:
        """The statement's plan, the fields from its lines on read already (see _statement)."""
        return self._attrs(Statement, given=tuple(self._tail_plans))

    def event_primitive(self, primitive: dict[str, Any]) -> AccountEvent:
        """The event tagged primitives hold."""
        if len(texts := self._text) >= _MEMO_LIMIT:
            texts.clear()
        fast = self._events.get(primitive.get("type", ""))
        if fast is None:
            return cast("AccountEvent", from_primitive(primitive, AccountEvent))
        return cast("AccountEvent", fast(primitive))

    def receipt(self, document: str) -> Receipt:
        """The receipt an untagged document holds."""
        if len(texts := self._text) >= _MEMO_LIMIT:
            texts.clear()
        return cast("Receipt", self._plan(Receipt)(loads(document)))

    def account(self, document: str, events: tuple[AccountEvent, ...] | None = None) -> Account:
        """The account a snapshot document holds (or its settings, with ``events``)."""
        primitive = loads(document)
        if events is None:
            events = tuple([self.event_primitive(e) for e in primitive["events"]])
        allocation, disputes = self._account_parts
        # The public constructor: the account folds its events, as a replay must.
        return Account(
            primitive["unit_id"],
            primitive["billed_party"],
            primitive["currency"],
            allocation(primitive["allocation"]),
            disputes(primitive["disputes"]),
            events,
        )

    @functools.cached_property
    def _account_parts(self) -> tuple[_Structure, _Structure]:
        allocation_type, disputes_type = self._account_types
        return self._plan(allocation_type), self._plan(disputes_type)

    # -- plans -----------------------------------------------------------------------------

    def _memo(self, tp: Any) -> dict[Any, Any]:
        return self._memos_by_type().setdefault(tp, {})

    def _memos_by_type(self) -> dict[Any, dict[Any, Any]]:
        return cast("dict[Any, dict[Any, Any]]", self.__dict__.setdefault("_memos", {}))

    def _plan(self, tp: Any) -> _Structure:
        plan = self._plans.get(tp)
        if plan is None:
            plan = self._plans[tp] = self._make(tp)
        return plan

    def _make(self, tp: Any) -> _Structure:
        if tp in (str, int, bool):
            return _same
        if tp is Decimal:
            # A quantity is one of a few texts ("1", an area): one Decimal each, 104 bytes.
            return self._shared(Decimal, Decimal, by_text=True)
        if tp is Money:
            return self._money()
        if tp in (pendulum.Date, datetime.date):
            # One value a day: a pendulum date carries a ``__dict__``, so each copy costs
            # memory and the collector's time, and a community's notices share their days.
            return self._shared(pendulum.Date, _date, by_text=True)
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return _Members(tp)
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin in (types.UnionType, typing.Union) and len(args) == 2 and type(None) in args:
            (inner,) = [a for a in args if a is not type(None)]
            # A plain class is built by its own plan; a union or protocol (a charge rule, a
            # calendar) through the converter, remembered.
            return _Optional(self._plan(inner) if _plain(inner) else self._memoised(inner))
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis and _plain(args[0]):
            item = self._plan(args[0])
            if args[0] in _SHARED_TUPLES:
                return self._shared(tp, lambda v: tuple([item(i) for i in v]))
            return lambda v: tuple([item(i) for i in v])
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            # Most such tuples are empty (a notice's concessions): no memo key to write.
            memoised = self._memoised(tp)
            return lambda v: () if type(v) is list and not v else memoised(v)
        if tp in _SHARED:
            return self._shared(tp, self._attrs(tp))
        if tp in _TRUSTED:
            return self._attrs(tp)
        return self._memoised(tp)

    def _money(self) -> _Structure:
        """Money, remembered by its amount's text (shared, as frozen values may be).

        A notice's line, its price, its unrounded amount and its total are often one amount,
        and the amounts of a community's notices repeat.
        """
        make_money = slot_constructor(Money)
        memo: dict[str, Money] = self._memo(Money)

        text = self._text.setdefault

        def money(data: dict[str, str]) -> Money:
            amount, currency = data["amount"], data["currency"]
            found = memo.get(amount)
            if found is None or found.currency != currency:
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                found = memo[amount] = make_money(Decimal(amount), text(currency, currency))
            return found

        return money

    def _memoised(self, tp: Any) -> _Structure:
        """The converter's structure of ``tp``, remembered by the primitive's text."""
        memo = self._memo(tp)

        def structure(value: Any) -> Any:
            key = value if value is None else _memo_key(value)
            found = memo.get(key, memo)
            if found is memo:
                found = from_primitive(value, tp)
                if len(memo) < _MEMO_LIMIT:
                    memo[_kept_key(key)] = found
            return found

        return structure

    def _shared(self, tp: Any, build: _Structure, *, by_text: bool = False) -> _Structure:
        """``build``, remembered by the primitive's text (forgotten all at once when full).

        ``by_text``: the primitive is text, its own key.
        """
        memo = self._memo(tp)

        def structure(value: Any) -> Any:
            key = value if by_text else _memo_key(value)
            found = memo.get(key)
            if found is None:
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                found = memo[_kept_key(key)] = build(value)
            return found

        return structure

    @functools.cached_property
    def _text(self) -> _Texts:
        """Text that repeats (a community's code, a unit's id, a currency), one str each.

        Each copy JSON gives is some sixty bytes: an account's dozen notices would hold a dozen
        of its unit's id, a portfolio's notices as many of their community's code. The readers
        call its ``setdefault`` inline; reading an event empties it when it is full.
        """
        texts = _Texts()
        self._memos_by_type()["texts"] = texts  # with the others, for tests that look at them
        return texts

    def _field_plan(self, field: attrs.Attribute[Any]) -> _Structure:
        """A field's plan: its type's, but text shared unless it names one event."""
        if field.name in _OWN_TEXT:
            return _same
        if field.type is str:
            return self._text
        if field.type == str | None:
            return _Optional(self._text)
        return self._plan(field.type)

    def _attrs(self, cls: type[Any], given: tuple[str, ...] = ()) -> _Structure:
        """``cls``'s plan; the fields named in ``given`` are values already, taken as they are."""
        attrs.resolve_types(cls)
        fields = attrs.fields(cls)
        plans = [
            (f.name, _same if f.name in given else self._field_plan(f)) for f in fields if f.init
        ]
        if all(f.init for f in fields):
            # A receipt's __attrs_post_init__ checks its dates and payer: run, as it is cheap.
            post_init = hasattr(cls, "__attrs_post_init__")
            make = slot_constructor(cls, post_init=post_init)  # type: ignore[arg-type]
            return _positional(make, plans)

        def by_name(data: dict[str, Any]) -> Any:
            return build_trusted(cls, **{name: plan(data[name]) for name, plan in plans})

        return by_name


def _memo_key(value: Any) -> Any:
    """A primitive's memo key: its JSON text by orjson (several times faster), else its repr.

    Either is exact (equal keys, equal primitives); a document written with its keys in
    another order only misses the memo.
    """
    if _orjson is not None:
        try:
            return _orjson.dumps(value)
        except _orjson.JSONEncodeError:
            pass
    return repr(value)


def _kept_key(key: Any) -> Any:
    """A memo key to keep: orjson's text copied to a bytes object of its own size.

    orjson returns its text in the 4 KiB buffer it wrote it in, so a memo of 4,096 keys kept
    as they came held 16 MiB, where their text is some 2 MiB.
    """
    return bytes(memoryview(key)) if type(key) is bytes else key


def _same(value: Any) -> Any:
    return value


def _positional(make: Callable[..., Any], plans: list[tuple[str, _Structure]]) -> _Structure:
    """``make(plan(data[name]), …)`` for each field, generated as one function.

    A statement is four nested classes and some forty fields: a loop over the plans, a call
    for each text field, cost more than the fields' own building. Generated once per class,
    the plans bound as closure cells, text fields read as they are.
    """
    cells: dict[str, Any] = {"make": make}
    args = []
    for n, (name, plan) in enumerate(plans):
        field = f"data[{name!r}]"
        if plan is _same:
            args.append(field)
        elif isinstance(plan, _Texts):
            cells[f"plan{n}"] = plan.setdefault
            args.append(f"plan{n}((v{n} := {field}), v{n})")
        elif isinstance(plan, _Optional) and isinstance(plan.inner, _Texts):
            cells[f"plan{n}"] = plan.inner.setdefault
            args.append(f"(None if (v{n} := {field}) is None else plan{n}(v{n}, v{n}))")
        elif isinstance(plan, _Members):
            # An enum member is a dict lookup, not a call (a statement has a dozen of them).
            cells[f"plan{n}"] = plan
            args.append(f"plan{n}[{field}]")
        elif isinstance(plan, _Optional):
            cells[f"plan{n}"] = plan.inner
            args.append(f"(None if (v{n} := {field}) is None else plan{n}(v{n}))")
        else:
            cells[f"plan{n}"] = plan
            args.append(f"plan{n}({field})")
    return _generated(cells, "data", f"make({', '.join(args)})")


class _Texts(dict[str, str]):
    """Text read back, each distinct string kept once (see Decoder._text)."""

    def __call__(self, value: str) -> str:
        return self.setdefault(value, value)


class _Members(dict[Any, Any]):
    """An enum's members by their stored values.

    A value that is none of them goes to the converter, which refuses it as it refuses any bad
    document.
    """

    def __init__(self, tp: type[enum.Enum]) -> None:
        super().__init__((member.value, member) for member in tp)
        self.tp = tp

    def __missing__(self, value: Any) -> Any:
        return from_primitive(value, self.tp)

    def __call__(self, value: Any) -> Any:
        return self[value]


@attrs.frozen
class _Optional:
    """``inner``'s structure, or None for null."""

    inner: _Structure

    def __call__(self, value: Any) -> Any:
        return None if value is None else self.inner(value)


def _generated(cells: dict[str, Any], argument: str, expression: str) -> _Structure:
    """``lambda argument: expression``, compiled once, ``cells`` bound as closure cells."""
    source = (
        f"def outer({', '.join(cells)}):\n"
        f"    def generated({argument}):\n"
        f"        return {expression}\n"
        "    return generated\n"
    )
    namespace: dict[str, Any] = {}
    exec(source, namespace)  # the source is built from field names alone
    return cast("_Structure", namespace["outer"](**cells))


def _money(value: Money) -> dict[str, str]:
    return {"amount": str(value.amount), "currency": value.currency}


def _iso(value: datetime.date) -> str:
    return value.isoformat()


def _enum_code(value: enum.Enum) -> Any:
    return value._value_  # what .value reads, without the enum's descriptor (a tenth the time)


def _enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)


def _plain(tp: Any) -> bool:
    """Whether the trusted path builds ``tp`` itself (not a union, protocol or mapping)."""
    return tp in (str, int, bool, Decimal, Money, pendulum.Date, datetime.date) or (
        isinstance(tp, type) and (issubclass(tp, enum.Enum) or tp in _TRUSTED)
    )


def to_primitive_tag(cls: type[Any]) -> object:
    """The type tag documents of ``cls`` carry inside an account's stream."""
    return {
        Statement: "billing.Statement",
        Receipt: "receivables.Receipt",
    }[cls]
