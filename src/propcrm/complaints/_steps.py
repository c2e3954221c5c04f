"""The append-only history of a request: each :class:`Step` is an action, an actor, a time, data.

A request is a fold over its steps; the first is always the receipt, carrying the
:class:`Intake` (who asked, about which unit, through which channel, what about). The data a
step carries is a :class:`StepData`; which of its fields a step needs or may carry is declared
in the transition table, so the lifecycle refuses a resolution without a note or a rejection
without a referral before anything changes.

>>> import pendulum
>>> from propcrm.complaints import Action, Actor, Role
>>> step = Step(
...     Action.HOLD,
...     Actor("W-12", Role.HANDLER),
...     pendulum.datetime(2026, 11, 24, 10, 0, tz="Asia/Shanghai"),
...     StepData(hold_reason=HoldReason.WAITING_FOR_PARTS),
... )
>>> sorted(f.value for f in step.data.given)
['hold_reason']
>>> StepData(score=7)
Traceback (most recent call last):
...
propcrm.errors.InvalidRequest: a satisfaction score is an int from 1 to 5 (brief §4), not 7.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, pgettext
from propcrm._validators import check_record_id, check_text, check_unique, instance_of
from propcrm.analytics import SATISFACTION_SCALE
from propcrm.classification import Category, Location, RequesterProfile, RequestFacts
from propcrm.complaints._actors import Actor
from propcrm.complaints._kinds import Attachment, IntakeChannel, RequestKind
from propcrm.complaints._quotes import Quote
from propcrm.complaints._transitions import Action, Field
from propcrm.errors import InvalidRequest
from propcrm.time import aware

__all__ = [
    "EMPTY",
    "REOPENED_BY_POLICY",
    "CallbackOutcome",
    "CallbackRecord",
    "HoldReason",
    "Intake",
    "Step",
    "StepData",
]

REOPENED_BY_POLICY = "reopen_on_dissatisfied"
"""The reason stored with the reopen the policy adds after a dissatisfied callback.

A stable code, not a sentence: the history is data, read in either language;
:meth:`Step.reason_text` says it to people in theirs."""


class HoldReason(enum.Enum):
    """Why work is on hold; each pauses the SLA clocks (the wait is not the company's)."""

    WAITING_FOR_OWNER = "waiting_for_owner"
    WAITING_FOR_PARTS = "waiting_for_parts"
    WAITING_FOR_THIRD_PARTY = "waiting_for_third_party"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """Why work is on hold, for people, in ``locale``."""
        match self:
            case HoldReason.WAITING_FOR_OWNER:
                return pgettext("hold reason", "waiting for the owner", locale=locale)
            case HoldReason.WAITING_FOR_PARTS:
                return pgettext("hold reason", "waiting for parts", locale=locale)
            case HoldReason.WAITING_FOR_THIRD_PARTY:
                return pgettext("hold reason", "waiting for a third party", locale=locale)


class CallbackOutcome(enum.Enum):
    """How a callback (回访) ended."""

    SATISFIED = "satisfied"
    DISSATISFIED = "dissatisfied"
    UNREACHABLE = "unreachable"

    @property
    def reached(self) -> bool:
        """Whether the customer was reached (and so gave a score)."""
        return self is not CallbackOutcome.UNREACHABLE

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """How the callback ended, for people, in ``locale``."""
        match self:
            case CallbackOutcome.SATISFIED:
                return pgettext("callback outcome", "satisfied", locale=locale)
            case CallbackOutcome.DISSATISFIED:
                return pgettext("callback outcome", "dissatisfied", locale=locale)
            case CallbackOutcome.UNREACHABLE:
                return pgettext("callback outcome", "unreachable", locale=locale)


def _id(_instance: object, attribute: Any, value: Any) -> None:
    check_record_id(value, attribute.name, InvalidRequest)


def _optional_id(instance: object, attribute: Any, value: Any) -> None:
    if value is not None:
        _id(instance, attribute, value)


def _text_or_empty(_instance: object, attribute: Any, value: Any) -> None:
    # Empty means "not given"; text of only spaces is neither given nor empty: a slip.
    if value != "":
        check_text(value, attribute.name, InvalidRequest, example="'卫生间漏水'")


def _member(kind: type[enum.Enum], optional: bool = False) -> Any:
    def check(_instance: object, attribute: Any, value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, kind):
            raise InvalidRequest(
                f"{attribute.name} {value!r} must be a {kind.__name__} member, e.g. "
                f"{kind.__name__}.{next(iter(kind)).name}.",
                field=attribute.name,
                value=value,
                allowed=f"a {kind.__name__} member" + (" or None" if optional else ""),
            )

    return check


def _attachments(value: Iterable[Attachment]) -> tuple[Attachment, ...]:
    return _checked_attachments(value)


def _checked_attachments(value: object) -> tuple[Attachment, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidRequest(
            f"attachments are a collection of Attachment references, not {value!r}.",
            field="attachments",
            value=value,
            allowed="an iterable of Attachment",
        )
    found = tuple(value)
    for item in found:
        if not isinstance(item, Attachment):
            raise InvalidRequest(
                f"attachments are Attachment references (a storage key or URI), not {item!r}.",
                field="attachments",
                value=item,
                allowed="Attachment",
            )
    check_unique((a.ref for a in found), "attachments", InvalidRequest, what="reference")
    return found


@attrs.frozen(kw_only=True)
class Intake:
    """What a request says when it comes in. All arguments by keyword.

    ``requester`` and ``unit`` are ids of the parties model (a party, a unit); ``unit`` is
    ``None`` for a request about no unit (a suggestion about the grounds). ``territory`` is the
    host's zone or building code that dispatch by territory reads (``None`` if the host does
    not dispatch by territory). ``category``, ``location`` and ``requester_profile`` are what
    the SLA classifier reads (:class:`~propcrm.classification.RequestFacts`).

    ``requester_profile`` (a :class:`~propcrm.classification.RequesterProfile`, empty by
    default) says who is asking as care needs only, e.g. an elderly resident living alone. The
    default rule set's raise rules read it: a leak in that resident's home is raised one level,
    from 急 to 特急.

    >>> from propcrm.classification import DEFAULT_RULES, RequesterAttribute, classify
    >>> intake = Intake(
    ...     request_id="R-1124-08",
    ...     kind=RequestKind.REPAIR,
    ...     requester="P-518",
    ...     channel=IntakeChannel.HOTLINE,
    ...     category=Category.WATER_LEAK,
    ...     location=Location.IN_HOME,
    ...     requester_profile=RequesterProfile.of(RequesterAttribute.ELDERLY_LIVING_ALONE),
    ... )
    >>> night = pendulum.datetime(2026, 11, 24, 23, 40, tz="Asia/Shanghai")
    >>> found = classify(intake.facts(night), DEFAULT_RULES)
    >>> str(found.base_priority), str(found.priority), found.raised_by.name
    ('P2 急 (urgent)', 'P1 特急 (extra-urgent)', 'elderly-alone-at-home')
    """

    request_id: str = attrs.field(validator=_id)
    kind: RequestKind = attrs.field(validator=_member(RequestKind))
    requester: str = attrs.field(validator=_id)
    channel: IntakeChannel = attrs.field(validator=_member(IntakeChannel))
    category: Category = attrs.field(validator=_member(Category))
    unit: str | None = attrs.field(default=None, validator=_optional_id)
    description: str = attrs.field(default="", validator=_text_or_empty)
    remedy_sought: str = attrs.field(default="", validator=_text_or_empty)
    attachments: tuple[Attachment, ...] = attrs.field(default=(), converter=_attachments)
    location: Location = attrs.field(default=Location.UNSPECIFIED, validator=_member(Location))
    requester_profile: RequesterProfile = attrs.field(
        factory=RequesterProfile, validator=instance_of(RequesterProfile)
    )
    territory: str | None = attrs.field(default=None, validator=_optional_id)

    def __attrs_post_init__(self) -> None:
        if self.kind is RequestKind.COMPLAINT and not self.description:
            # A complaint is recorded with what it is about (ISO 10002 / GB/T 19012 6.4); a
            # repair's category and location can say it all, a complaint's category cannot.
            raise InvalidRequest(
                f"complaint {self.request_id} needs a description of what it is about, "
                "e.g. '楼上深夜噪音'.",
                field="description",
                value=self.description,
                allowed="non-empty text for a complaint",
            )

    def facts(self, received_at: datetime.datetime) -> RequestFacts:
        """What the SLA classifier reads of this request, received at ``received_at``."""
        return RequestFacts(
            category=self.category,
            received_at=received_at,
            location=self.location,
            description=self.description,
            requester=self.requester_profile,
        )


def _optional_text(_instance: object, attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidRequest(
            f"{attribute.name} must be non-empty text when given (or left out), not {value!r}.",
            field=attribute.name,
            value=value,
            allowed="non-empty text or None",
        )


def _level(_instance: object, attribute: Any, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise InvalidRequest(
            f"an escalation level is an int of 1 or more, not {value!r}.",
            field=attribute.name,
            value=value,
            allowed="int >= 1",
        )


def _score(_instance: object, attribute: Any, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value not in SATISFACTION_SCALE:
        low, high = min(SATISFACTION_SCALE), max(SATISFACTION_SCALE)
        raise InvalidRequest(
            f"a satisfaction score is an int from {low} to {high} (brief §4), not {value!r}.",
            field=attribute.name,
            value=value,
            allowed=f"int {low} to {high}",
        )


def _appointment(value: Any) -> pendulum.DateTime | None:
    return None if value is None else aware(value, field="appointment")


def _optional(kind: type) -> Any:
    return attrs.validators.optional(instance_of(kind))


@attrs.frozen(kw_only=True)
class StepData:
    """The data a step carries.

    Every field is optional here; the transition table says which a step needs and which it may
    carry (:attr:`given` is what this one carries).
    """

    intake: Intake | None = attrs.field(default=None, validator=_optional(Intake))
    priority: str | None = attrs.field(default=None, validator=_optional_text)
    classified_by: str | None = attrs.field(default=None, validator=_optional_text)
    reason: str | None = attrs.field(default=None, validator=_optional_text)
    note: str | None = attrs.field(default=None, validator=_optional_text)
    referral: str | None = attrs.field(default=None, validator=_optional_text)
    duplicate_of: str | None = attrs.field(default=None, validator=_optional_text)
    assignee: str | None = attrs.field(default=None, validator=_optional_text)
    team: str | None = attrs.field(default=None, validator=_optional_text)
    level: int | None = attrs.field(default=None, validator=_level)
    hold_reason: HoldReason | None = attrs.field(default=None, validator=_member(HoldReason, True))
    outcome: CallbackOutcome | None = attrs.field(
        default=None, validator=_member(CallbackOutcome, True)
    )
    score: int | None = attrs.field(default=None, validator=_score)
    appointment: pendulum.DateTime | None = attrs.field(default=None, converter=_appointment)
    quote: Quote | None = attrs.field(default=None, validator=_optional(Quote))
    statement: str | None = attrs.field(default=None, validator=_optional_text)
    given: frozenset[Field] = attrs.field(init=False, repr=False, eq=False)

    @given.default
    def _given(self) -> frozenset[Field]:
        # Computed once: the lifecycle checks it against the table at every step of a replay.
        return frozenset(f for f in Field if getattr(self, f.value) is not None)


EMPTY = StepData()
"""A step that carries no data (an acknowledgement, a resume)."""


def _instant(value: Any) -> pendulum.DateTime:
    return aware(value, field="at")


@attrs.frozen
class Step:
    """One entry of a request's history: ``actor`` took ``action`` at ``at`` with ``data``."""

    action: Action = attrs.field(validator=_member(Action))
    actor: Actor = attrs.field(validator=instance_of(Actor))
    at: pendulum.DateTime = attrs.field(converter=_instant)
    data: StepData = attrs.field(default=EMPTY, validator=instance_of(StepData))

    def reason_text(self, locale: LocaleLike = DEFAULT_LOCALE) -> str | None:
        """The step's reason for people, in ``locale``; ``None`` if it has none.

        A reason the staff wrote is theirs, shown as written; the reason the lifecycle itself
        records (:data:`REOPENED_BY_POLICY`) is a code, said here in ``locale``.

        >>> from propcrm.complaints import SYSTEM
        >>> at = pendulum.datetime(2026, 11, 24, 10, 0, tz="Asia/Shanghai")
        >>> reopen = Step(Action.REOPEN, SYSTEM, at, StepData(reason=REOPENED_BY_POLICY))
        >>> reopen.reason_text(), reopen.reason_text("en_US")
        ('回访不满意：按政策重新处理', 'dissatisfied callback: reopened by policy')
        >>> Step(Action.REOPEN, SYSTEM, at, StepData(reason="业主再次报修")).reason_text("en_US")
        '业主再次报修'
        """
        reason = self.data.reason
        if reason == REOPENED_BY_POLICY and self.action is Action.REOPEN:
            return pgettext(
                "step reason", "dissatisfied callback: reopened by policy", locale=locale
            )
        check_locale(locale)  # the same refusal of an unknown locale as every text here
        return reason

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for people, in ``locale``: when, who in which role, what.

        >>> from propcrm.complaints import Role
        >>> step = Step(
        ...     Action.HOLD,
        ...     Actor("W-12", Role.HANDLER),
        ...     pendulum.datetime(2026, 11, 24, 10, 0, tz="Asia/Shanghai"),
        ...     StepData(hold_reason=HoldReason.WAITING_FOR_PARTS),
        ... )
        >>> step.describe(), step.describe("en_US")
        ('2026-11-24 10:00 W-12 (维修/处理人员) 挂起', '2026-11-24 10:00 W-12 (handler) hold')
        """
        return gettext(
            # TRANSLATORS: a step of a request's history: when, who (their role), what they did.
            "%(when)s %(actor)s (%(role)s) %(action)s",
            locale=locale,
            when=self.at.format("YYYY-MM-DD HH:mm"),
            actor=self.actor.actor_id,
            role=self.actor.role.label(locale),
            action=self.action.label(locale),
        )


@attrs.frozen
class CallbackRecord:
    """A callback (回访) as the request keeps it: when, by whom, how it ended, the score given."""

    at: pendulum.DateTime
    actor: Actor
    outcome: CallbackOutcome
    score: int | None
    attempts: int
    note: str | None = None
