"""The events of an SLA clock: six verbs and three changes of policy, as frozen values.

The verbs :class:`Started`, :class:`Paused`, :class:`Resumed`, :class:`Stopped`, :class:`Reset`
and :class:`Cancelled` drive a clock; :class:`PriorityChanged`, :class:`TargetChanged` (an SLA
change for one target, e.g. a time agreed with the customer) and :class:`Reopened` record
changes of policy. Every event has an aware timestamp, an actor and a reason; a verb (and a
reopen) may name the targets it is for (``targets=None``: every target it applies to).
:func:`addressed` is an event as a request hands it to one target's clock.

>>> import pendulum
>>> from propcrm.sla import TargetKind
>>> nine = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
>>> addressed(Started(nine, "客服小王"), TargetKind.RESPONSE).targets
frozenset({<TargetKind.RESPONSE: 'response'>})
>>> Paused(nine, "客服小王")
Traceback (most recent call last):
...
propcrm.errors.InvalidEvent: a pause event needs a reason (it is shown in the deadline's \
explanation).
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Hashable, Iterable
from typing import Any, ClassVar, Final, TypeVar, cast

import attrs
import pendulum

from propcrm._trusted import slot_constructor
from propcrm._validators import check_text, instance_of
from propcrm.errors import InvalidEvent
from propcrm.sla._targets import PriorityChangePolicy, ReopenPolicy, Target, TargetKind
from propcrm.time import aware

__all__ = [
    "ADDRESSED_TO",
    "EVENT_TYPES",
    "Cancelled",
    "Paused",
    "PriorityChanged",
    "Reopened",
    "Reset",
    "Resumed",
    "SlaEvent",
    "Started",
    "Stopped",
    "TargetChanged",
    "VerbEvent",
    "VerbEvents",
    "addressed",
    "kinds_text",
]


def _instant(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="at")


def _actor(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidEvent(
            f"an SLA event needs the actor who recorded it (staff id or name), not {value!r}.",
            field="actor",
            value=value,
            allowed="non-empty text (a staff id or name)",
        )


def _reason(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str):
        raise InvalidEvent(
            f"an event's reason is a str, not {value!r}.",
            field="reason",
            value=value,
            allowed="str",
        )


def _priority(_instance: object, _attribute: object, value: Any) -> None:
    check_text(value, "priority", InvalidEvent, example="'P1'")


_ALLOWED_TARGETS = "None or a non-empty set of TargetKind"


def _selector(value: Any) -> frozenset[TargetKind] | None:
    if value is None:
        return None
    if isinstance(value, TargetKind):
        kinds = frozenset({value})
    elif isinstance(value, str | bytes) or not isinstance(value, Iterable):
        kinds = frozenset()
    else:
        kinds = frozenset(value) if all(isinstance(k, Hashable) for k in value) else frozenset()
    if not kinds or not all(isinstance(k, TargetKind) for k in kinds):
        raise InvalidEvent(
            f"targets {value!r} must be None (every target the verb applies to) or a non-empty "
            "set of TargetKind, e.g. {TargetKind.RESPONSE}.",
            field="targets",
            value=value,
            allowed=_ALLOWED_TARGETS,
        )
    return kinds


@attrs.frozen
class _Event:
    """Fields every SLA event has: when, who, why."""

    at: pendulum.DateTime = attrs.field(converter=_instant)
    actor: str = attrs.field(validator=_actor)
    reason: str = attrs.field(default="", validator=_reason)

    verb: ClassVar[str] = "event"
    needs_reason: ClassVar[bool] = False

    def __attrs_post_init__(self) -> None:
        if self.needs_reason and not self.reason.strip():
            raise InvalidEvent(
                f"a {self.verb} event needs a reason (it is shown in the deadline's explanation).",
                field="reason",
                value=self.reason,
                allowed="non-empty text",
                verb=self.verb,
            )


@attrs.frozen
class VerbEvent(_Event):
    """An event addressed to some targets; ``targets=None`` means every target it applies to."""

    targets: frozenset[TargetKind] | None = attrs.field(
        default=None, converter=_selector, kw_only=True
    )


@attrs.frozen
class Started(VerbEvent):
    """Start the clock(s): the request is received (or a call-back becomes due)."""

    verb: ClassVar[str] = "start"


@attrs.frozen
class Paused(VerbEvent):
    """Pause the clock(s), e.g. waiting for the customer or for parts; needs a reason."""

    verb: ClassVar[str] = "pause"
    needs_reason: ClassVar[bool] = True


@attrs.frozen
class Resumed(VerbEvent):
    """Resume paused clock(s)."""

    verb: ClassVar[str] = "resume"


@attrs.frozen
class Stopped(VerbEvent):
    """Stop the clock(s): the target is reached (on site, resolved, called back)."""

    verb: ClassVar[str] = "stop"


@attrs.frozen
class Reset(VerbEvent):
    """Start the measurement again from zero now (e.g. a progress update was given)."""

    verb: ClassVar[str] = "reset"
    needs_reason: ClassVar[bool] = True


@attrs.frozen
class Cancelled(VerbEvent):
    """Withdraw the clock(s): no outcome is recorded. With ``targets=None`` the whole request."""

    verb: ClassVar[str] = "cancel"
    needs_reason: ClassVar[bool] = True


@attrs.frozen
class Reopened(VerbEvent):
    """Reopen stopped clock(s) under ``policy`` (``None``: the SLA policy's; filled when stored)."""

    policy: ReopenPolicy | None = attrs.field(
        default=None,
        kw_only=True,
        validator=attrs.validators.optional(instance_of(ReopenPolicy)),
    )

    verb: ClassVar[str] = "reopen"
    needs_reason: ClassVar[bool] = True


@attrs.frozen
class PriorityChanged(_Event):
    """The request's priority changes to ``priority`` (a code of the SLA policy)."""

    priority: str = attrs.field(kw_only=True, validator=_priority)
    policy: PriorityChangePolicy | None = attrs.field(
        default=None,
        kw_only=True,
        validator=attrs.validators.optional(instance_of(PriorityChangePolicy)),
    )

    verb: ClassVar[str] = "priority change"
    needs_reason: ClassVar[bool] = True


@attrs.frozen
class TargetChanged(_Event):
    """One target's spec changes (or a target is added), e.g. a time agreed with the customer."""

    target: Target = attrs.field(kw_only=True, validator=instance_of(Target))
    policy: PriorityChangePolicy | None = attrs.field(
        default=None,
        kw_only=True,
        validator=attrs.validators.optional(instance_of(PriorityChangePolicy)),
    )

    verb: ClassVar[str] = "target change"
    needs_reason: ClassVar[bool] = True


SlaEvent = (
    Started
    | Paused
    | Resumed
    | Stopped
    | Reset
    | Cancelled
    | Reopened
    | PriorityChanged
    | TargetChanged
)
"""Any event of an SLA clock."""

VerbEvents = Started | Paused | Resumed | Stopped | Reset | Cancelled | Reopened
"""The events addressed to targets (the six verbs and a reopen)."""

EVENT_TYPES = (
    Started,
    Paused,
    Resumed,
    Stopped,
    Reset,
    Cancelled,
    Reopened,
    PriorityChanged,
    TargetChanged,
)

ADDRESSED_TO: Final = {kind: frozenset({kind}) for kind in TargetKind}
"""The ``targets`` of an event addressed to one kind, as a request hands it to that clock."""


_V = TypeVar("_V", bound=VerbEvent)

# The exact event classes whose copies addressed() builds without their validators (see there).
_TRUSTED_EVENTS: Final = frozenset({Started, Paused, Resumed, Stopped, Reset, Cancelled, Reopened})


def addressed(event: _V, kind: TargetKind) -> _V:
    """``event`` as a request gives it to the clock of ``kind`` (``targets={kind}``).

    The event itself when it already names just that kind: events are frozen, so sharing one
    is indistinguishable from an equal copy. Otherwise a copy with ``targets={kind}``, built
    through :func:`propcrm._trusted.slot_constructor`: a broadcast goes to every clock of a
    request, and the copy's only new field is exactly what the ``targets`` converter returns
    for that kind, on an event that was validated when it was made. A subclass (which may check
    more) is evolved, validators and all.
    """
    only = ADDRESSED_TO[kind]
    if event.targets == only:
        return event
    copier = _COPIERS.get(type(event))
    if copier is None:
        return attrs.evolve(event, targets=only)
    make, read, where = copier
    fields = list(read(event))
    fields[where] = only
    copy: _V = make(*fields)
    return copy


def _copier(cls: type[VerbEvent]) -> tuple[Callable[..., Any], Callable[[Any], Any], int]:
    """``cls``'s positional trusted constructor, a reader of its fields, where ``targets`` is."""
    names = tuple(f.name for f in attrs.fields(cls))
    # (Called through a plain callable: mypy takes a class held in a variable for unhashable.)
    constructor = cast("Callable[..., Callable[..., Any]]", slot_constructor)
    return (
        constructor(cls, post_init=True),
        operator.attrgetter(*names),
        names.index("targets"),
    )


def kinds_text(kinds: Iterable[TargetKind]) -> str:
    """The target kinds' values, sorted and comma-separated, for messages."""
    return ", ".join(sorted(k.value for k in kinds))


_COPIERS: Final = {cls: _copier(cls) for cls in _TRUSTED_EVENTS}
