"""The one place where frozen values are built or changed without running their validators.

Portfolio runs build millions of values whose fields come from exact arithmetic on values that
were already validated (a late fee's parts, a clock's next state, a notice's lines). Running the
validators and converters again there would only cost time, so those fast paths build values
here, and only here. Everything else constructs values normally or changes them with
:func:`attrs.evolve`.

The contract every caller of this module keeps:

1. **Only already-valid data.** Each field passed is exactly what the class's own ``__init__``
   would have stored for some valid input: already converted (a :class:`~decimal.Decimal`, not a
   string; a tuple, not a list) and already satisfying the field's validator and the class's
   invariants. What is skipped is the *checking*, never the *rule*.
2. **Same value as the explained path.** A value built here equals, field for field, the value
   the public constructor builds from the same fields. Each fast path has a property test that
   checks this against its explained (validated) path: see :func:`rebuilt_validated`, which those
   tests use.
3. **No change after construction.** :func:`set_cached` is for caches derived from a value's own
   fields, set once while the value is being built (``__attrs_post_init__`` or a custom
   ``__init__``); nothing sets a field of a value that anyone else may already hold.

The fast paths:

- :func:`build_trusted` and :func:`derive_trusted`: any attrs class, by field name.
- :func:`continued_trusted`: a value whose post-init fold goes on from the value it derives
  from: an account posted events that all come after its own (``Account.post``), checked
  against the replay by ``tests/test_accounts.py``.
- :func:`slot_constructor`: the hottest values, positionally through the slots' own setters:
  ``Money`` (built for every line, total and balance) and a billing run's charge lines, their
  explanations and prorations (built for every charge of every unit), and its notices. Its
  callers pass every field, in declaration order, exactly as ``__init__`` would store it
  (``Money``: a finite ``Decimal`` that is never ``-0``, and a currency already checked by
  ``check_currency``; a line: the parts of rules, readings and orders already validated, and
  amounts rounded by the run; a notice: the run's checked community, period, dates and
  versions, its lines as a tuple in the policy's currency, and their total less the
  concessions). Property tests rebuild them through the constructors (``tests/test_money.py``,
  ``tests/test_billing_runs.py``). With ``post_init=True``, the SLA events a request's steps
  send its clocks and their copies addressed to each clock (``propcrm.complaints``' clock
  events, ``propcrm.sla``'s ``addressed``): the step's validated instant, actor and reason, and
  a non-empty set of target kinds; the clocks a ``RequestClocksDraft`` or a
  ``RequestClocksFold`` folded, frozen once, with the stretches and pauses their verbs record
  and the starts, cancels and target changes a priority change sends its clocks (the fold's
  events from a sender's instant, actor and reason whose types show the converters would keep
  them; ``tests/test_sla_clock_drafts.py``, ``tests/test_sla_request_fold.py``,
  ``tests/test_sla_fast_fold.py``), among them the clocks ``RequestClocksFold`` opens started
  from a level's drafts and the events its written-out stops, pauses, resumes and starts build,
  and a replay's agreed time (its ``Target`` as the defaults make it, its ``TargetChanged``)
  and priority change (``PriorityChanged``, from the step's checked priority), with the SLA
  policy's own priority-change policy; without ``post_init``, that agreed time's
  ``AgreedTime`` (the step's aware appointment, which its converter keeps as it is) and the
  same-day due (``ServiceDayDue``) a fold's start of a same-day target builds from the day's
  kept answers, field for field what ``service_day_due`` builds (``tests/test_sla_fast_fold.py``
  compares these with the constructors' and rebuilds them); the statements and receipts the
  SQL adapter reads back from its own documents, whose receipts still run their check of dates
  and payer; and the SQL store's party-book records
  (``propcrm.storage.sql._store.RecordDecoder``): a unit without facts, a person with a name
  and nothing else personal, and an owner, from documents
  the store wrote from checked values, each field converted as the converter converts it
  (``tests/test_storage_sql.py`` checks both against ``from_primitive``); and the same three
  records read from an import's file (``propcrm.imports``), only from cells whose text passes
  an exact check that accepts less than the validators do, each field converted as the
  reference path converts it, any other row built by the constructors
  (``tests/test_imports_fast.py`` checks both paths give the same records and bad rows).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

_T = TypeVar("_T", bound=attrs.AttrsInstance)

# Frozen attrs classes set their own fields with object.__setattr__ in their generated __init__;
# the fast paths do the same, without the validators that __init__ would run first.
_set = object.__setattr__


def build_trusted(cls: type[_T], /, **fields: Any) -> _T:
    """An instance of the attrs class ``cls`` from already-valid ``fields``, validators skipped.

    Every field of ``cls`` that has no default must be given; fields with a default and not given
    take it (factories are called), as in ``__init__``. ``__attrs_post_init__`` runs, so derived
    caches are set as usual.

    >>> import attrs
    >>> @attrs.frozen
    ... class Pair:
    ...     left: int = attrs.field(validator=attrs.validators.instance_of(int))
    ...     right: int = 0
    >>> build_trusted(Pair, left=1)
    Pair(left=1, right=0)
    """
    new = object.__new__(cls)
    for field in attrs.fields(cls):
        if field.name in fields:
            value = fields.pop(field.name)
        elif field.default is attrs.NOTHING:
            msg = f"build_trusted({cls.__name__}) needs a value for {field.name!r}"
            raise TypeError(msg)
        elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            factory = field.default
            value = factory.factory(new) if factory.takes_self else factory.factory()
        else:
            value = field.default
        _set(new, field.name, value)
    if fields:
        msg = f"build_trusted({cls.__name__}) got unknown fields: {', '.join(sorted(fields))}"
        raise TypeError(msg)
    post_init = getattr(new, "__attrs_post_init__", None)
    if post_init is not None:
        post_init()
    return new


def derive_trusted(value: _T, /, **changes: Any) -> _T:
    """``attrs.evolve(value, **changes)`` without the validators: for already-valid ``changes``.

    >>> import attrs
    >>> @attrs.frozen
    ... class Pair:
    ...     left: int
    ...     right: int = 0
    >>> derive_trusted(Pair(1, 2), right=5)
    Pair(left=1, right=5)
    """
    cls = type(value)
    names, read, every_field = _derive_plan(cls)
    fields = dict(zip(names, read(value), strict=True))
    fields.update(changes)
    if not every_field or len(fields) != len(names):
        # Fields that are not init arguments take their defaults, and an unknown change is
        # refused with its message: build_trusted does both.
        return build_trusted(cls, **fields)
    # Every field is given and known: what build_trusted does, without its per-field lookups
    # (this runs for every event of every fold).
    new = object.__new__(cls)
    for name, field_value in fields.items():
        _set(new, name, field_value)
    post_init = getattr(new, "__attrs_post_init__", None)
    if post_init is not None:
        post_init()
    return new


def continued_trusted(value: _T, /, caches: dict[str, Any], **changes: Any) -> _T:
    """``value`` with ``changes``, its post-init not run: ``caches`` are what it would compute.

    For a value whose ``__attrs_post_init__`` folds its fields into a cache, changed in a way
    that lets the fold go on from ``value``'s own cache rather than start again (an account
    posted events that all come after its own: its ledger goes on from a copy). ``caches``
    names every field that is not an init argument, each equal to what the post-init would
    compute from the new fields; a property test compares the two (contract 2).

    >>> import attrs
    >>> @attrs.frozen
    ... class Total:
    ...     items: tuple[int, ...]
    ...     sum: int = attrs.field(init=False)
    ...
    ...     def __attrs_post_init__(self) -> None:
    ...         set_cached(self, "sum", sum(self.items))
    >>> before = Total((1, 2))
    >>> after = continued_trusted(before, {"sum": before.sum + 3}, items=(1, 2, 3))
    >>> after == Total((1, 2, 3)), after.sum
    (True, 6)
    """
    cls = type(value)
    names, read, _every_field = _derive_plan(cls)
    fields = dict(zip(names, read(value), strict=True))
    unknown = set(changes) - set(fields)
    derived = {f.name for f in attrs.fields(cls) if not f.init}
    if unknown or set(caches) != derived:
        msg = (
            f"continued_trusted({cls.__name__}): change init fields only ({sorted(unknown)} "
            f"are not), and give every derived field ({sorted(derived)}) as a cache"
        )
        raise TypeError(msg)
    fields.update(changes)
    new = object.__new__(cls)
    for name, field_value in fields.items():
        _set(new, name, field_value)
    for name, cached in caches.items():
        _set(new, name, cached)
    return new


@functools.cache
def _derive_plan(
    cls: type[attrs.AttrsInstance],
) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]], bool]:
    """``cls``'s init field names, one reader of them all, and whether they are all its fields."""
    fields = attrs.fields(cls)
    names = tuple(f.name for f in fields if f.init)
    if len(names) == 1:
        (only,) = names
        return names, lambda value: (getattr(value, only),), len(fields) == 1
    read: Callable[[Any], tuple[Any, ...]] = (
        operator.attrgetter(*names) if names else (lambda _value: ())
    )
    return names, read, len(names) == len(fields)


def set_cached(instance: object, name: str, value: object) -> None:
    """Set the derived cache ``name`` of a frozen ``instance`` while it is being built.

    Only for caches computed from the instance's own fields (``init=False`` attributes), from its
    ``__attrs_post_init__`` or its own ``__init__``: never on a value someone else holds.

    One fast path also sets a cache from outside the class, on a value it has just built and
    not yet handed out: ``propcrm.sla``'s ``RequestClocksFold`` sets an ``SlaClock``'s
    ``_deadline_plan`` (a slot of a plain base class, not an attrs field, so it takes no part
    in construction, equality, repr, ``evolve`` or pickling: a clock built any other way lacks
    it and computes its deadline from its fields) to what its deadline is computed from: the
    POSIX seconds and business seconds the fold read, which give the same instant as the
    clock's own fields (``tests/test_sla_fast_fold.py`` compares the two, with nothing cached).
    Likewise ``Request.replay`` sets the ``_waits`` of the request it has just built (an
    ``init=False`` field: after which steps its fold left it waiting), which its clocks' fold
    reads instead of walking the transition table again; a request built otherwise has none,
    and its clocks' fold replays its history for them.
    """
    _set(instance, name, value)


def rebuilt_validated(value: _T) -> _T:
    """``value`` rebuilt through its class's public constructor, every validator run.

    The fast paths' property tests compare a trusted value with this (they must be equal, and
    this must not raise).
    """
    cls = type(value)
    return cls(**{f.alias: getattr(value, f.name) for f in attrs.fields(cls) if f.init})


@functools.cache
def slot_constructor(cls: type[_T], /, *, post_init: bool = False) -> Callable[..., _T]:
    """A positional constructor of the slotted, frozen attrs class ``cls``, validators skipped.

    The function takes every field of ``cls`` in declaration order and assigns each through its
    slot's own descriptor, as attrs' generated ``__init__`` does after validating, without the
    converters and validators. It is generated once per class and cached, with the descriptors
    bound as locals: it is what a hand-written fast path would be, kept here under the contract.
    Only for classes without defaults that need computing or ``init=False`` fields. A class with
    an ``__attrs_post_init__`` needs ``post_init=True``, which calls it on the new value (an
    SLA event's check that it has a reason, for events built for every step of every replay).

    >>> import attrs
    >>> @attrs.frozen
    ... class Pair:
    ...     left: int = attrs.field(validator=attrs.validators.instance_of(int))
    ...     right: int = 0
    >>> make = slot_constructor(Pair)
    >>> make(1, 2), make is slot_constructor(Pair)
    (Pair(left=1, right=2), True)
    """
    fields = attrs.fields(cls)
    has_post_init = hasattr(cls, "__attrs_post_init__")
    if has_post_init is not post_init or not all(f.init for f in fields):
        msg = (
            f"slot_constructor({cls.__name__}): only for classes whose fields are all set by "
            "init, with post_init=True exactly when the class has __attrs_post_init__"
        )
        raise TypeError(msg)
    # A field inherited from an attrs base has its slot (and the slot's setter) on that base.
    slots = [next(vars(k)[f.name] for k in cls.__mro__ if f.name in vars(k)) for f in fields]
    setters = {f"_set{i}": slot.__set__ for i, slot in enumerate(slots)}
    params = ", ".join(f"a{i}" for i in range(len(fields)))
    # The class and the setters are closure cells of the generated function: cheaper to read
    # than globals or keyword defaults, and as cheap as a hand-written fast path's.
    cells = ", ".join(("_new", "_cls", *setters))
    body = "".join(f"        _set{i}(inst, a{i})\n" for i in range(len(fields)))
    if post_init:
        body += "        inst.__attrs_post_init__()\n"
    source = (
        f"def outer({cells}):\n"
        f"    def make({params}):\n        inst = _new(_cls)\n{body}        return inst\n"
        "    return make\n"
    )
    namespace: dict[str, Any] = {}
    exec(source, namespace)  # generated from field positions only, as attrs does
    make: Callable[..., _T] = namespace["outer"](object.__new__, cls, *setters.values())
    make.__qualname__ = f"slot_constructor.<{cls.__qualname__}>"
    return make
