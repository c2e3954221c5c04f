"""Decoration (装修): registration, hot-work permits, scheduled inspections, violations, deposit.

A :class:`DecorationAffair` is registered with its plan, contractor, period (``start`` until
``until``, exclusive) and deposit; approval issues the decoration permit
(:class:`~propcrm.parties.DecorationPermit`, so :meth:`DecorationAffair.as_fact` is the
:class:`~propcrm.parties.Decoration` fact the unit records). While the works are approved:

- hot work (动火作业: welding, cutting) needs a :class:`HotWorkPermit` of its own, requested for
  a window inside the works and approved by someone other than who asked for it; hot work at an
  instant outside an approved window is refused (:func:`check_hot_work` says why, as data);
- inspections follow a schedule computed on the SLA business calendar
  (:func:`inspection_schedule`: every N working days of the works), and each is recorded;
- violations (working hours, noise, …) are recorded, linked to the complaint that reported
  them (its request id); a working-hours violation must lie outside the policy's hours.

When the works are finished (or the application rejected or withdrawn) the deposit is settled:
refunded whole or withheld in part, each withholding with its reason
(:class:`DepositSettlement`, which explains itself).
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._validators import (
    check_instance,
    check_int,
    check_items,
    check_record_id,
    check_unique,
    instance_of,
)
from propcrm.affairs._steps import (
    AffairAction,
    AffairState,
    AffairStep,
    AffairTransition,
    AffairTransitionTable,
    advance,
    check_history,
    check_id,
    check_optional_id,
    check_words,
    clauses,
)
from propcrm.errors import DepositExceeded, HotWorkRefused, IllegalAffairStep, InvalidAffair
from propcrm.money import Money, format_money
from propcrm.parties import Decoration, DecorationPermit
from propcrm.sla import SERVICE_CALENDAR, BusinessCalendar, CalendarSet, WeeklyHours, Window
from propcrm.time import DEFAULT_ZONE, as_date, aware, zone

__all__ = [
    "DECORATION_TRANSITIONS",
    "DEFAULT_DECORATION_POLICY",
    "DecorationAffair",
    "DecorationPolicy",
    "DepositSettlement",
    "HotWorkCheck",
    "HotWorkPermit",
    "HotWorkProblem",
    "Inspection",
    "InspectionSlot",
    "Violation",
    "ViolationKind",
    "Withholding",
    "WithholdingReason",
    "check_hot_work",
    "inspection_schedule",
]

_WORKS = (AffairState.APPROVED,)

DECORATION_TRANSITIONS = AffairTransitionTable(
    "decoration",
    (
        AffairTransition(AffairAction.REGISTER, (), AffairState.REGISTERED),
        AffairTransition(AffairAction.APPROVE, (AffairState.REGISTERED,), AffairState.APPROVED),
        AffairTransition(AffairAction.REJECT, (AffairState.REGISTERED,), AffairState.REJECTED),
        AffairTransition(
            AffairAction.WITHDRAW,
            (AffairState.REGISTERED, AffairState.APPROVED),
            AffairState.WITHDRAWN,
        ),
        AffairTransition(AffairAction.REQUEST_HOT_WORK, _WORKS, None),
        AffairTransition(AffairAction.APPROVE_HOT_WORK, _WORKS, None),
        AffairTransition(AffairAction.HOT_WORK, _WORKS, None),
        AffairTransition(AffairAction.INSPECT, _WORKS, None),
        AffairTransition(AffairAction.RECORD_VIOLATION, _WORKS, None),
        AffairTransition(AffairAction.FINISH, _WORKS, AffairState.FINISHED),
        AffairTransition(
            AffairAction.SETTLE_DEPOSIT,
            (AffairState.FINISHED, AffairState.REJECTED, AffairState.WITHDRAWN),
            AffairState.SETTLED,
        ),
    ),
)
"""Registered → approved (hot work, inspections, violations) → finished → settled; rejected or
withdrawn affairs settle their deposit too."""

DEFAULT_WORKING_HOURS = WeeklyHours.weekdays(Window("08:00", "12:00"), Window("14:00", "18:00"))
"""When decoration works may make noise: weekdays 08:00–12:00 and 14:00–18:00."""


def _every(_instance: object, _attribute: object, value: Any) -> None:
    check_int(value, "inspection_every", InvalidAffair, minimum=1, maximum=60)


def _hours(_instance: object, _attribute: object, value: Any) -> None:
    check_int(value, "hot_work_max_hours", InvalidAffair, minimum=1, maximum=24 * 14)


def _zone(_instance: object, _attribute: object, value: Any) -> None:
    zone(value)  # refuses anything but an IANA name


@attrs.frozen(kw_only=True)
class DecorationPolicy:
    """The community's decoration rules.

    Attributes:
        inspection_every: inspect every this many working days of the works (5).
        inspection_calendar: the calendar (by name) whose working days count
            (``'CN service hours'``: China's working days, holidays and make-up days).
        working_hours: when works may make noise (weekdays 08:00–12:00, 14:00–18:00).
        zone: the community's zone, for the period's dates (Asia/Shanghai).
        hot_work_max_hours: the longest window one hot-work permit may cover (24).
    """

    inspection_every: int = attrs.field(default=5, validator=_every)
    inspection_calendar: str = attrs.field(default=SERVICE_CALENDAR, validator=check_words)
    working_hours: WeeklyHours = attrs.field(
        default=DEFAULT_WORKING_HOURS, validator=instance_of(WeeklyHours)
    )
    zone: str = attrs.field(default=DEFAULT_ZONE, validator=_zone)
    hot_work_max_hours: int = attrs.field(default=24, validator=_hours)

    def within_working_hours(self, at: datetime.datetime) -> bool:
        """Whether ``at`` lies inside the working hours (holidays are not looked at)."""
        when = aware(at, self.zone, field="at")
        calendar = BusinessCalendar("decoration hours", self.working_hours, self.zone)
        return any(s <= when < e for s, e in calendar.windows_on(when.date()))


DEFAULT_DECORATION_POLICY = DecorationPolicy()
"""Inspections every 5 working days on ``CN service hours``; noisy work on weekdays in office
hours; hot-work permits of at most 24 hours."""


class HotWorkProblem(enum.Enum):
    """Why hot work is refused at an instant."""

    NO_SUCH_PERMIT = "no_such_permit"
    NOT_APPROVED = "not_approved"
    BEFORE_WINDOW = "before_window"
    AFTER_WINDOW = "after_window"
    WORKS_NOT_APPROVED = "works_not_approved"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """Why, for people."""
        match self:
            case HotWorkProblem.NO_SUCH_PERMIT:
                return pgettext("hot work problem", "no such hot-work permit", locale=locale)
            case HotWorkProblem.NOT_APPROVED:
                return pgettext("hot work problem", "the permit is not approved", locale=locale)
            case HotWorkProblem.BEFORE_WINDOW:
                return pgettext("hot work problem", "before the permit's window", locale=locale)
            case HotWorkProblem.AFTER_WINDOW:
                return pgettext("hot work problem", "after the permit's window", locale=locale)
            case HotWorkProblem.WORKS_NOT_APPROVED:
                return pgettext(
                    "hot work problem", "the decoration is not under approved works", locale=locale
                )


def _valid_from(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="valid_from")


def _valid_until(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="valid_until")


def _at(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="at")


@attrs.frozen(kw_only=True)
class HotWorkPermit:
    """A hot-work permit (动火作业证): what, where, its window, who asked and who approved.

    Valid from ``valid_from`` until ``valid_until`` (exclusive), once approved.
    """

    permit_id: str = attrs.field(validator=check_id("permit id"))
    description: str = attrs.field(validator=check_words)
    valid_from: pendulum.DateTime = attrs.field(converter=_valid_from)
    valid_until: pendulum.DateTime = attrs.field(converter=_valid_until)
    requested_by: str = attrs.field(validator=check_id("staff id"))
    approved_by: str | None = attrs.field(default=None, validator=check_optional_id("staff id"))

    def __attrs_post_init__(self) -> None:
        if self.valid_until <= self.valid_from:
            raise InvalidAffair(
                f"hot-work permit {self.permit_id} ends {self.valid_until.isoformat()}, not "
                f"after it begins {self.valid_from.isoformat()}.",
                field="valid_until",
                value=self.valid_until,
                allowed=f"after {self.valid_from.isoformat()}",
            )
        if self.approved_by is not None and self.approved_by == self.requested_by:
            raise InvalidAffair(
                f"hot-work permit {self.permit_id} is approved by {self.approved_by}, who asked "
                "for it; another person approves.",
                field="approved_by",
                value=self.approved_by,
                allowed=f"anyone but {self.requested_by}",
            )

    @property
    def approved(self) -> bool:
        """Whether the permit was approved."""
        return self.approved_by is not None

    def covers(self, at: datetime.datetime) -> bool:
        """Whether ``at`` lies inside the permit's window."""
        when = aware(at, field="at")
        return self.valid_from <= when < self.valid_until


@attrs.frozen
class HotWorkCheck:
    """Whether hot work under ``permit_id`` may go ahead at ``at``, and if not why (as data)."""

    affair_id: str
    permit_id: str
    at: pendulum.DateTime
    problems: tuple[HotWorkProblem, ...]

    @property
    def allowed(self) -> bool:
        """Whether nothing stands in the way."""
        return not self.problems

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for people."""
        if self.allowed:
            return gettext(
                "hot work under %(permit)s at %(at)s: allowed",
                locale=locale,
                permit=self.permit_id,
                at=self.at.isoformat(),
            )
        return gettext(
            "hot work under %(permit)s at %(at)s: refused (%(why)s)",
            locale=locale,
            permit=self.permit_id,
            at=self.at.isoformat(),
            why=clauses(locale).join(p.label(locale) for p in self.problems),
        )


@attrs.frozen(kw_only=True)
class Inspection:
    """An inspection of the works (装修巡查): when, by whom, passed or not, what was found."""

    inspection_id: str = attrs.field(validator=check_id("inspection id"))
    at: pendulum.DateTime = attrs.field(converter=_at)
    by: str = attrs.field(validator=check_id("staff id"))
    passed: bool = attrs.field(validator=instance_of(bool))
    findings: str = attrs.field(default="", validator=instance_of(str))


@attrs.frozen
class InspectionSlot:
    """A scheduled inspection: the ``number``-th, on the ``working_day``-th working day, at ``at``.

    ``at`` is the start of that day's first window on the calendar ``calendar``.
    """

    number: int
    on: pendulum.Date
    at: pendulum.DateTime
    working_day: int
    calendar: str

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """Why the inspection falls when it does."""
        return gettext(
            "inspection %(number)d at %(at)s: working day %(day)d of the works on %(calendar)s",
            locale=locale,
            number=self.number,
            at=self.at.isoformat(),
            day=self.working_day,
            calendar=self.calendar,
        )


class ViolationKind(enum.Enum):
    """What a decoration violation is about."""

    WORKING_HOURS = "working_hours"
    """Works outside the permitted hours (a weekend, the lunch break, the night)."""
    NOISE = "noise"
    """Noise beyond what the rules allow, whatever the hour."""
    HOT_WORK = "hot_work"
    """Hot work without a valid permit."""
    STRUCTURE = "structure"
    """Load-bearing walls, the façade, waterproofing or shared pipes touched."""
    WASTE = "waste"
    """Construction waste left in common areas."""
    OTHER = "other"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The kind's name, e.g. ``'违规时间施工'`` (zh_CN)."""
        match self:
            case ViolationKind.WORKING_HOURS:
                return pgettext("violation kind", "work outside working hours", locale=locale)
            case ViolationKind.NOISE:
                return pgettext("violation kind", "noise", locale=locale)
            case ViolationKind.HOT_WORK:
                return pgettext("violation kind", "hot work without a permit", locale=locale)
            case ViolationKind.STRUCTURE:
                return pgettext("violation kind", "structural change", locale=locale)
            case ViolationKind.WASTE:
                return pgettext("violation kind", "construction waste", locale=locale)
            case ViolationKind.OTHER:
                return pgettext("violation kind", "other", locale=locale)


def _penalty(_instance: object, _attribute: object, value: Any) -> None:
    if value is None:
        return
    check_instance(value, "penalty", Money, error=InvalidAffair)
    if value.is_negative:
        raise InvalidAffair(
            f"penalty {value} is negative.", field="penalty", value=value, allowed=">= 0"
        )


@attrs.frozen(kw_only=True)
class Violation:
    """A violation found during the works, linked to the complaint that reported it.

    ``request_id`` is the complaint's id (:mod:`propcrm.complaints`), ``None`` when staff
    found it themselves; ``penalty`` is what the rules let the company withhold for it.
    """

    violation_id: str = attrs.field(validator=check_id("violation id"))
    kind: ViolationKind = attrs.field(validator=instance_of(ViolationKind))
    at: pendulum.DateTime = attrs.field(converter=_at)
    by: str = attrs.field(validator=check_id("staff id"))
    description: str = attrs.field(validator=check_words)
    request_id: str | None = attrs.field(default=None, validator=check_optional_id("request id"))
    penalty: Money | None = attrs.field(default=None, validator=_penalty)


class WithholdingReason(enum.Enum):
    """Why part of a deposit is withheld."""

    VIOLATION = "violation"
    """A recorded violation's penalty (names the violation)."""
    DAMAGE = "damage"
    """Damage to common parts (corridors, lifts) to repair."""
    WASTE_REMOVAL = "waste_removal"
    """Construction waste the company had to remove."""
    OTHER = "other"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The reason's name."""
        match self:
            case WithholdingReason.VIOLATION:
                return pgettext("withholding reason", "violation", locale=locale)
            case WithholdingReason.DAMAGE:
                return pgettext("withholding reason", "damage to common parts", locale=locale)
            case WithholdingReason.WASTE_REMOVAL:
                return pgettext("withholding reason", "waste removal", locale=locale)
            case WithholdingReason.OTHER:
                return pgettext("withholding reason", "other", locale=locale)


def _positive(_instance: object, _attribute: object, value: Any) -> None:
    check_instance(value, "amount", Money, error=InvalidAffair)
    assert isinstance(value, Money)
    if not value.is_positive:
        raise InvalidAffair(
            f"a withholding of {value} withholds nothing; give a positive amount.",
            field="amount",
            value=value,
            allowed="> 0",
        )


@attrs.frozen(kw_only=True)
class Withholding:
    """An amount withheld from the deposit, with its reason (and its violation, for one)."""

    amount: Money = attrs.field(validator=_positive)
    reason: WithholdingReason = attrs.field(validator=instance_of(WithholdingReason))
    violation_id: str | None = attrs.field(
        default=None, validator=check_optional_id("violation id")
    )
    note: str = attrs.field(default="", validator=instance_of(str))

    def __attrs_post_init__(self) -> None:
        if (self.reason is WithholdingReason.VIOLATION) != (self.violation_id is not None):
            raise InvalidAffair(
                "a withholding for a violation names the violation, and only such a one does.",
                field="violation_id",
                value=self.violation_id,
                allowed="a violation id exactly when reason is VIOLATION",
            )
        if self.reason is WithholdingReason.OTHER and not self.note.strip():
            raise InvalidAffair(
                "a withholding for another reason says what it is in its note.",
                field="note",
                value=self.note,
                allowed="non-empty text",
            )

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line: how much, and why."""
        why = self.reason.label(locale)
        if self.violation_id is not None:
            why = gettext("%(why)s %(id)s", locale=locale, why=why, id=self.violation_id)
        if self.note:
            why = gettext("%(why)s: %(note)s", locale=locale, why=why, note=self.note)
        return gettext(
            "withheld %(amount)s: %(why)s",
            locale=locale,
            amount=format_money(self.amount, locale),
            why=why,
        )


def _withholdings(value: Iterable[Withholding]) -> tuple[Withholding, ...]:
    items: tuple[Withholding, ...] = check_items(
        value, "withholdings", Withholding, error=InvalidAffair
    )
    return items


@attrs.frozen(kw_only=True)
class DepositSettlement:
    """What becomes of the deposit: the withholdings with their reasons, and the refund."""

    deposit: Money = attrs.field(validator=instance_of(Money))
    withholdings: tuple[Withholding, ...] = attrs.field(default=(), converter=_withholdings)

    def __attrs_post_init__(self) -> None:
        withheld = self.withheld
        if withheld > self.deposit:
            raise DepositExceeded(
                f"the withholdings come to {withheld}, more than the deposit of {self.deposit}.",
                field="withholdings",
                value=withheld,
                allowed=f"at most {self.deposit}",
            )
        check_unique(
            (w.violation_id for w in self.withholdings if w.violation_id is not None),
            "withholdings",
            InvalidAffair,
            what="violation",
        )

    @property
    def withheld(self) -> Money:
        """The sum withheld."""
        return sum((w.amount for w in self.withholdings), Money.zero(self.deposit.currency))

    @property
    def refunded(self) -> Money:
        """What goes back to the payer: the deposit less the withholdings."""
        return self.deposit - self.withheld

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> tuple[str, ...]:
        """The settlement for people: the deposit, each withholding and the refund."""
        lines = [
            gettext("deposit %(amount)s", locale=locale, amount=format_money(self.deposit, locale))
        ]
        lines.extend(w.describe(locale) for w in self.withholdings)
        lines.append(
            gettext(
                "refunded %(amount)s", locale=locale, amount=format_money(self.refunded, locale)
            )
        )
        return tuple(lines)


def _start(value: object) -> pendulum.Date:
    return as_date(value, "start")


def _until(value: object) -> pendulum.Date:
    return as_date(value, "until")


def _deposit(_instance: object, _attribute: object, value: Any) -> None:
    check_instance(value, "deposit", Money, error=InvalidAffair)
    assert isinstance(value, Money)
    if value.is_negative:
        raise InvalidAffair(
            f"deposit {value} is negative.", field="deposit", value=value, allowed=">= 0"
        )


def _history(value: object) -> tuple[AffairStep, ...]:
    return check_history(DECORATION_TRANSITIONS, value)


def _hot_work_permits(value: object) -> tuple[HotWorkPermit, ...]:
    return check_items(value, "hot_work_permits", HotWorkPermit, error=InvalidAffair)


def _inspections(value: object) -> tuple[Inspection, ...]:
    return check_items(value, "inspections", Inspection, error=InvalidAffair)


def _violations(value: object) -> tuple[Violation, ...]:
    return check_items(value, "violations", Violation, error=InvalidAffair)


@attrs.frozen(kw_only=True)
class DecorationAffair:
    """A decoration (装修) of ``unit_id`` registered by ``party_id``, and all that followed.

    The permits, inspections, violations and settlement are kept beside the audited history;
    each was added by the step that names it (its ``subject``).
    """

    affair_id: str = attrs.field(validator=check_id("affair id"))
    unit_id: str = attrs.field(validator=check_id("unit id"))
    party_id: str = attrs.field(validator=check_id("party id"))
    plan: str = attrs.field(validator=check_words)
    contractor: str = attrs.field(validator=check_words)
    start: pendulum.Date = attrs.field(converter=_start)
    until: pendulum.Date = attrs.field(converter=_until)
    deposit: Money = attrs.field(validator=_deposit)
    policy: DecorationPolicy = attrs.field(
        default=DEFAULT_DECORATION_POLICY, validator=instance_of(DecorationPolicy)
    )
    permit: DecorationPermit | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_of(DecorationPermit))
    )
    hot_work_permits: tuple[HotWorkPermit, ...] = attrs.field(
        default=(),
        converter=_hot_work_permits,
    )
    inspections: tuple[Inspection, ...] = attrs.field(
        default=(),
        converter=_inspections,
    )
    violations: tuple[Violation, ...] = attrs.field(
        default=(),
        converter=_violations,
    )
    settlement: DepositSettlement | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_of(DepositSettlement))
    )
    history: tuple[AffairStep, ...] = attrs.field(converter=_history)

    def __attrs_post_init__(self) -> None:
        if self.until <= self.start:
            raise InvalidAffair(
                f"decoration {self.affair_id} ends {self.until.isoformat()}, not after it "
                f"starts {self.start.isoformat()}; the end is exclusive.",
                field="until",
                value=self.until,
                allowed=f"a date after {self.start.isoformat()}",
            )
        for field, ids, action in (
            ("hot_work_permits", [p.permit_id for p in self.hot_work_permits], "request_hot_work"),
            ("inspections", [i.inspection_id for i in self.inspections], "inspect"),
            ("violations", [v.violation_id for v in self.violations], "record_violation"),
        ):
            check_unique(ids, field, InvalidAffair)
            stepped = [s.subject for s in self.history if s.action.value == action]
            if sorted(ids) != sorted(s for s in stepped if s is not None):
                raise InvalidAffair(
                    f"decoration {self.affair_id}: the {field} and the history's "
                    f"{action} steps disagree.",
                    field=field,
                    value=tuple(ids),
                    allowed="one record per step, with the step's subject as its id",
                )
        approved = any(s.action is AffairAction.APPROVE for s in self.history)
        if approved != (self.permit is not None):
            raise InvalidAffair(
                f"decoration {self.affair_id}: a permit goes with an approval, and an approval "
                "with a permit.",
                field="permit",
                value=self.permit,
                allowed="a DecorationPermit exactly when the history approves",
            )
        settled = self.state is AffairState.SETTLED
        if settled != (self.settlement is not None):
            raise InvalidAffair(
                f"decoration {self.affair_id}: a settlement goes with a settled affair.",
                field="settlement",
                value=self.settlement,
                allowed="a DepositSettlement exactly when the affair is settled",
            )
        if self.settlement is not None and self.settlement.deposit != self.deposit:
            raise InvalidAffair(
                f"decoration {self.affair_id} settles a deposit of {self.settlement.deposit}, "
                f"not its own {self.deposit}.",
                field="settlement",
                value=self.settlement.deposit,
                allowed=str(self.deposit),
            )

    # -- opening and reading ---------------------------------------------------------------------

    @classmethod
    def register(
        cls,
        affair_id: str,
        *,
        unit_id: str,
        party_id: str,
        plan: str,
        contractor: str,
        start: datetime.date,
        until: datetime.date,
        deposit: Money,
        by: str,
        at: datetime.datetime,
        policy: DecorationPolicy = DEFAULT_DECORATION_POLICY,
    ) -> DecorationAffair:
        """A decoration registered (装修登记) by ``by`` at ``at``, waiting for approval."""
        return cls(
            affair_id=affair_id,
            unit_id=unit_id,
            party_id=party_id,
            plan=plan,
            contractor=contractor,
            start=start,
            until=until,
            deposit=deposit,
            policy=policy,
            history=(AffairStep(AffairAction.REGISTER, by, at),),
        )

    @property
    def state(self) -> AffairState:
        """Where the decoration stands."""
        return DECORATION_TRANSITIONS.state_of(self.history)

    @property
    def window(self) -> tuple[pendulum.DateTime, pendulum.DateTime]:
        """The works' period as instants: ``start`` 00:00 until ``until`` 00:00, local."""
        tz = zone(self.policy.zone)
        first = pendulum.datetime(self.start.year, self.start.month, self.start.day, tz=tz)
        end = pendulum.datetime(self.until.year, self.until.month, self.until.day, tz=tz)
        return first, end

    def as_fact(self) -> Decoration:
        """The unit's :class:`~propcrm.parties.Decoration` fact, once approved and not withdrawn."""
        withdrawn = any(s.action is AffairAction.WITHDRAW for s in self.history)
        if self.permit is None or withdrawn:
            raise IllegalAffairStep(
                f"decoration {self.affair_id} is {self.state.value}; only an approved one is a "
                "fact of its unit.",
                field="state",
                value=self.state,
                allowed=AffairState.APPROVED.value,
            )
        return Decoration(self.start, self.until, self.permit)

    def hot_work_permit(self, permit_id: str) -> HotWorkPermit | None:
        """The hot-work permit ``permit_id``, if requested."""
        return next((p for p in self.hot_work_permits if p.permit_id == permit_id), None)

    def proposed_withholdings(self) -> tuple[Withholding, ...]:
        """One withholding per violation that carries a penalty: the default settlement."""
        return tuple(
            Withholding(
                amount=v.penalty,
                reason=WithholdingReason.VIOLATION,
                violation_id=v.violation_id,
                note=v.kind.label("zh_CN"),
            )
            for v in self.violations
            if v.penalty is not None and v.penalty.is_positive
        )

    # -- steps -----------------------------------------------------------------------------------

    def _step(
        self,
        action: AffairAction,
        by: str,
        at: datetime.datetime,
        *,
        reason: str = "",
        subject: str | None = None,
    ) -> tuple[AffairStep, ...]:
        return advance(
            DECORATION_TRANSITIONS, self.history, action, by, at, reason=reason, subject=subject
        )

    def approve(self, *, permit_number: str, by: str, at: datetime.datetime) -> DecorationAffair:
        """Approved: the decoration permit ``permit_number`` issued on ``at``'s local date.

        Refused when the approval's date is after the works' start (works need the permit
        first).
        """
        history = self._step(AffairAction.APPROVE, by, at, subject=permit_number)
        issued = history[-1].at.in_timezone(zone(self.policy.zone)).date()
        if issued > self.start:
            raise InvalidAffair(
                f"decoration {self.affair_id} starts {self.start.isoformat()}; a permit issued "
                f"{issued.isoformat()} comes too late.",
                field="at",
                value=at,
                allowed=f"on or before {self.start.isoformat()}",
            )
        hot = any(p.approved for p in self.hot_work_permits)
        permit = DecorationPermit(permit_number, issued, hot_work=hot)
        return attrs.evolve(self, history=history, permit=permit)

    def reject(self, *, by: str, at: datetime.datetime, reason: str) -> DecorationAffair:
        """The application turned down (the reason is kept)."""
        return attrs.evolve(self, history=self._step(AffairAction.REJECT, by, at, reason=reason))

    def withdraw(self, *, by: str, at: datetime.datetime, reason: str) -> DecorationAffair:
        """The applicant withdraws, before or after approval (the reason is kept)."""
        history = self._step(AffairAction.WITHDRAW, by, at, reason=reason)
        return attrs.evolve(self, history=history)

    def request_hot_work(
        self,
        permit_id: str,
        *,
        description: str,
        valid_from: datetime.datetime,
        valid_until: datetime.datetime,
        by: str,
        at: datetime.datetime,
    ) -> DecorationAffair:
        """A hot-work permit asked for: a window inside the works, no longer than the policy's."""
        permit = HotWorkPermit(
            permit_id=permit_id,
            description=description,
            valid_from=valid_from,
            valid_until=valid_until,
            requested_by=by,
        )
        if self.hot_work_permit(permit.permit_id) is not None:
            raise InvalidAffair(
                f"hot-work permit {permit_id} is requested already.",
                field="permit_id",
                value=permit_id,
                allowed="a new permit id",
            )
        first, end = self.window
        if permit.valid_from < first or permit.valid_until > end:
            raise InvalidAffair(
                f"hot-work permit {permit_id} runs {permit.valid_from.isoformat()} to "
                f"{permit.valid_until.isoformat()}, outside the works ({first.isoformat()} to "
                f"{end.isoformat()}).",
                field="valid_until" if permit.valid_from >= first else "valid_from",
                value=(permit.valid_from, permit.valid_until),
                allowed=f"within {first.isoformat()} to {end.isoformat()}",
            )
        longest = self.policy.hot_work_max_hours * 3600
        if (permit.valid_until - permit.valid_from).total_seconds() > longest:
            raise InvalidAffair(
                f"hot-work permit {permit_id} covers more than "
                f"{self.policy.hot_work_max_hours} hours; ask for one window at a time.",
                field="valid_until",
                value=permit.valid_until,
                allowed=f"at most {self.policy.hot_work_max_hours} hours after valid_from",
            )
        history = self._step(AffairAction.REQUEST_HOT_WORK, by, at, subject=permit_id)
        return attrs.evolve(
            self, history=history, hot_work_permits=(*self.hot_work_permits, permit)
        )

    def approve_hot_work(
        self, permit_id: str, *, by: str, at: datetime.datetime
    ) -> DecorationAffair:
        """The hot-work permit approved by ``by`` (not who asked for it), before its window ends."""
        permit = self.hot_work_permit(permit_id)
        if permit is None or permit.approved:
            raise IllegalAffairStep(
                f"hot-work permit {permit_id} is "
                f"{'approved already' if permit else 'not requested'}.",
                field="permit_id",
                value=permit_id,
                allowed=", ".join(p.permit_id for p in self.hot_work_permits if not p.approved)
                or "no permit is waiting",
            )
        history = self._step(AffairAction.APPROVE_HOT_WORK, by, at, subject=permit_id)
        if history[-1].at >= permit.valid_until:
            raise InvalidAffair(
                f"hot-work permit {permit_id} expired at {permit.valid_until.isoformat()}; "
                "approving it now permits nothing.",
                field="at",
                value=at,
                allowed=f"before {permit.valid_until.isoformat()}",
            )
        approved = attrs.evolve(permit, approved_by=by)
        permits = tuple(approved if p is permit else p for p in self.hot_work_permits)
        decoration_permit = self.permit
        if decoration_permit is not None:
            decoration_permit = attrs.evolve(decoration_permit, hot_work=True)
        return attrs.evolve(
            self, history=history, hot_work_permits=permits, permit=decoration_permit
        )

    def record_hot_work(
        self, permit_id: str, *, by: str, at: datetime.datetime, note: str = ""
    ) -> DecorationAffair:
        """Hot work done under ``permit_id`` at ``at``; :class:`HotWorkRefused` if not valid."""
        check = check_hot_work(self, permit_id, at)
        if not check.allowed:
            raise HotWorkRefused(
                check.describe("en_US"),
                field="at",
                value=check.at,
                allowed="an instant inside an approved permit's window, during approved works",
                reasons=check.problems,
                check=check,
            )
        history = self._step(AffairAction.HOT_WORK, by, at, reason=note, subject=permit_id)
        return attrs.evolve(self, history=history)

    def inspect(
        self,
        inspection_id: str,
        *,
        by: str,
        at: datetime.datetime,
        passed: bool,
        findings: str = "",
    ) -> DecorationAffair:
        """An inspection recorded (passed or not, with what was found)."""
        inspection = Inspection(
            inspection_id=inspection_id, at=at, by=by, passed=passed, findings=findings
        )
        if any(i.inspection_id == inspection_id for i in self.inspections):
            raise InvalidAffair(
                f"inspection {inspection_id} is recorded already.",
                field="inspection_id",
                value=inspection_id,
                allowed="a new inspection id",
            )
        history = self._step(AffairAction.INSPECT, by, at, reason=findings, subject=inspection_id)
        return attrs.evolve(self, history=history, inspections=(*self.inspections, inspection))

    def record_violation(
        self,
        violation_id: str,
        *,
        kind: ViolationKind,
        description: str,
        by: str,
        at: datetime.datetime,
        request_id: str | None = None,
        penalty: Money | None = None,
    ) -> DecorationAffair:
        """A violation recorded; one of working hours must lie outside the policy's hours."""
        violation = Violation(
            violation_id=violation_id,
            kind=kind,
            at=at,
            by=by,
            description=description,
            request_id=request_id,
            penalty=penalty,
        )
        if any(v.violation_id == violation_id for v in self.violations):
            raise InvalidAffair(
                f"violation {violation_id} is recorded already.",
                field="violation_id",
                value=violation_id,
                allowed="a new violation id",
            )
        if kind is ViolationKind.WORKING_HOURS and self.policy.within_working_hours(at):
            raise InvalidAffair(
                f"{violation.at.isoformat()} is inside the working hours; it is no working-hours "
                "violation (record noise as NOISE).",
                field="at",
                value=violation.at,
                allowed="an instant outside the policy's working hours",
            )
        history = self._step(
            AffairAction.RECORD_VIOLATION, by, at, reason=description, subject=violation_id
        )
        return attrs.evolve(self, history=history, violations=(*self.violations, violation))

    def finish(self, *, by: str, at: datetime.datetime, note: str = "") -> DecorationAffair:
        """The works finished and accepted (竣工验收)."""
        return attrs.evolve(self, history=self._step(AffairAction.FINISH, by, at, reason=note))

    def settle_deposit(
        self,
        withholdings: Iterable[Withholding] = (),
        *,
        by: str,
        at: datetime.datetime,
    ) -> DecorationAffair:
        """The deposit refunded, less ``withholdings`` (each naming a recorded violation)."""
        settlement = DepositSettlement(deposit=self.deposit, withholdings=withholdings)
        known = {v.violation_id for v in self.violations}
        for w in settlement.withholdings:
            if w.violation_id is not None and w.violation_id not in known:
                raise InvalidAffair(
                    f"withholding for violation {w.violation_id}, which decoration "
                    f"{self.affair_id} did not record.",
                    field="violation_id",
                    value=w.violation_id,
                    allowed=", ".join(sorted(known)) or "no violation is recorded",
                )
        history = self._step(AffairAction.SETTLE_DEPOSIT, by, at)
        return attrs.evolve(self, history=history, settlement=settlement)


def check_hot_work(affair: DecorationAffair, permit_id: str, at: datetime.datetime) -> HotWorkCheck:
    """Whether hot work under ``permit_id`` may go ahead at ``at``, with every problem found.

    >>> from propcrm.money import Money
    >>> at = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
    >>> works = DecorationAffair.register(
    ...     "ZX-1",
    ...     unit_id="1-2-0301",
    ...     party_id="P1",
    ...     plan="厨卫改造",
    ...     contractor="安居装饰",
    ...     start=pendulum.date(2026, 3, 9),
    ...     until=pendulum.date(2026, 5, 9),
    ...     deposit=Money("3000.00"),
    ...     by="S1",
    ...     at=at,
    ... ).approve(permit_number="ZX-2026-031", by="S2", at=at.add(days=1))
    >>> check_hot_work(works, "DH-1", at.add(days=10)).describe("en_US")
    'hot work under DH-1 at 2026-03-12T09:00:00+08:00: refused (no such hot-work permit)'
    """
    check_instance(affair, "affair", DecorationAffair, error=InvalidAffair)
    check_record_id(permit_id, "permit id", InvalidAffair, field="permit_id")
    when = aware(at, field="at")
    problems: list[HotWorkProblem] = []
    if affair.state is not AffairState.APPROVED:
        problems.append(HotWorkProblem.WORKS_NOT_APPROVED)
    permit = affair.hot_work_permit(permit_id)
    if permit is None:
        problems.append(HotWorkProblem.NO_SUCH_PERMIT)
    else:
        if not permit.approved:
            problems.append(HotWorkProblem.NOT_APPROVED)
        if when < permit.valid_from:
            problems.append(HotWorkProblem.BEFORE_WINDOW)
        elif when >= permit.valid_until:
            problems.append(HotWorkProblem.AFTER_WINDOW)
    return HotWorkCheck(affair.affair_id, permit_id, when, tuple(problems))


def inspection_schedule(
    affair: DecorationAffair, calendars: CalendarSet
) -> tuple[InspectionSlot, ...]:
    """When the works are inspected: every ``inspection_every`` working days of the period.

    The working days are those with working time on the policy's calendar (China's working
    days, holidays and make-up days on ``CN service hours``); the k-th inspection falls on the
    (k × N)-th working day from ``start``, at the opening of that day's first window.

    >>> from propcrm.money import Money
    >>> from propcrm.sla import BusinessCalendar, CalendarSet
    >>> works = DecorationAffair.register(
    ...     "ZX-1",
    ...     unit_id="1-2-0301",
    ...     party_id="P1",
    ...     plan="厨卫改造",
    ...     contractor="安居装饰",
    ...     start=pendulum.date(2026, 3, 9),
    ...     until=pendulum.date(2026, 4, 9),
    ...     deposit=Money("3000.00"),
    ...     by="S1",
    ...     at=pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai"),
    ... )
    >>> calendars = CalendarSet([BusinessCalendar.china_service_hours()])
    >>> [s.at.format("MM-DD HH:mm") for s in inspection_schedule(works, calendars)]
    ['03-13 08:30', '03-20 08:30', '03-27 08:30', '04-03 08:30']
    """
    check_instance(affair, "affair", DecorationAffair, error=InvalidAffair)
    check_instance(calendars, "calendars", CalendarSet)
    name = affair.policy.inspection_calendar
    calendar = calendars[name]
    every = affair.policy.inspection_every
    slots: list[InspectionSlot] = []
    working = 0
    day = affair.start
    while day < affair.until:
        windows = calendar.windows_on(day)
        if windows:
            working += 1
            if working % every == 0:
                at = windows[0][0]
                slots.append(InspectionSlot(len(slots) + 1, day, at, working, name))
        day = day.add(days=1)
    return tuple(slots)
