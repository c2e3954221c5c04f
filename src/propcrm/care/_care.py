"""Scheduled customer care: move-in callbacks, regular visits and quarterly survey rounds.

The domain brief (§4) asks for three kinds of care that run on a calendar, not on a request:

- "Callback visit to every new customer within one month of move-in":
  :func:`move_in_callbacks` lists the open callbacks (:class:`CareTask`) as of a date;
- "regular visits, with priority to customers who have complained": :func:`plan_visits`
  orders who is visited next (:class:`VisitPlan`), complainers first;
- "Satisfaction survey every quarter": :func:`survey_rounds` and :func:`survey_round_for` give
  the rounds of :mod:`propcrm.analytics`, :func:`survey_sample` says who is asked,
  and :func:`callback_response` turns a callback's score into a ``SurveyResponse``.

Every rule reads plain values: a :class:`~propcrm.parties.PartyBook` (or its relations) for
who moved in, and the :class:`~propcrm.parties.ComplaintHistory` protocol for complaints, so
the complaints lifecycle can feed this module without it importing that lifecycle. Every
number is a :class:`CarePolicy` value; every task or planned visit carries why, as data.

A family moves in on 3 November; their callback is due by 3 December:

>>> D = pendulum.date
>>> family = [
...     Resident(
...         relation_id="R1",
...         party_id="P1",
...         unit_id="1-2-0301",
...         start=D(2026, 11, 3),
...         role=HouseholdRole.HEAD,
...     ),
...     Resident(
...         relation_id="R2",
...         party_id="P2",
...         unit_id="1-2-0301",
...         start=D(2026, 11, 3),
...         relationship="配偶",
...     ),
... ]
>>> (task,) = move_in_callbacks(family, as_of=D(2026, 11, 20))
>>> task.party_id, task.unit_id, task.due_by, task.overdue, task.reason.household
('P1', '1-2-0301', Date(2026, 12, 3), False, ('P2',))
>>> move_in_callbacks(family, as_of=D(2026, 11, 20), done=[task.key])
()
"""

from __future__ import annotations

import datetime
import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

import attrs
import pendulum

from propcrm.analytics import (
    DEFAULT_SURVEY_POLICY,
    BehaviourPolicy,
    ComplaintHistory,
    SurveyPolicy,
    SurveyResponse,
    SurveyRound,
    complaint_behaviour,
)
from propcrm.errors import InvalidBehaviourFact, InvalidCarePlan, InvalidSurveyResponse
from propcrm.parties import (
    AgencyContact,
    CommitteeMember,
    HouseholdRole,
    Merchant,
    Owner,
    PartyBook,
    Person,
    Relation,
    RelationKind,
    Resident,
    Tenant,
    TenantRole,
    Visitor,
)
from propcrm.time import (
    DEFAULT_ZONE,
    BillingPeriod,
    as_date,
    aware,
    local_date,
)

__all__ = [
    "DEFAULT_CALLBACK_MONTHS",
    "DEFAULT_CARE_POLICY",
    "DEFAULT_COMPLAINT_LOOKBACK_MONTHS",
    "DEFAULT_DISSATISFIED_UP_TO",
    "DEFAULT_MOVE_IN_KINDS",
    "DEFAULT_VISIT_CADENCE_MONTHS",
    "CareKey",
    "CareKind",
    "CarePolicy",
    "CareTask",
    "MoveInReason",
    "PlannedVisit",
    "SampleReason",
    "SampledParty",
    "SurveySample",
    "VisitPlan",
    "VisitPriority",
    "VisitReason",
    "callback_response",
    "customers_on",
    "move_in_callbacks",
    "plan_visits",
    "survey_round_for",
    "survey_rounds",
    "survey_sample",
]

DEFAULT_CALLBACK_MONTHS = 1
"""Calendar months after a move-in by which its callback visit is made (brief §4: "within one
month of move-in"). Month arithmetic clamps: a move-in on 31 January is due by 28 February."""

DEFAULT_MOVE_IN_KINDS = frozenset(
    {RelationKind.RESIDENT, RelationKind.TENANT, RelationKind.MERCHANT}
)
"""Relations whose start is a move-in: a household (住户), a tenancy (租户), a shop (商户).
Owning is not moving in: a purchase or handover brings no callback of its own."""

DEFAULT_COMPLAINT_LOOKBACK_MONTHS = 3
"""Months of complaints that put a customer first in the visit plan (not from the brief: a
quarter, the brief's survey rhythm (§4), and the same window segmentation counts complaints
over, ``propcrm.parties.DEFAULT_COMPLAINT_WINDOW_MONTHS``)."""

DEFAULT_VISIT_CADENCE_MONTHS = 6
"""Months after a visit before a customer is due a regular visit again (not from the brief,
which asks for regular visits without a rhythm: twice a year, so two survey quarters apart)."""

DEFAULT_DISSATISFIED_UP_TO = 2
"""Highest satisfaction score (1-5) counted as dissatisfied: 1 and 2 (3 is neutral; 4 and 5
are satisfied, as in the satisfaction model's CSAT)."""

_MOVE_IN_ALLOWED = DEFAULT_MOVE_IN_KINDS
_MAX_MONTHS = 120
_SATISFACTION_TOP = 5


# -- policy -----------------------------------------------------------------------------------


def _months(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_MONTHS:
        raise InvalidCarePlan(
            f"{attribute.name} {value!r} must be an int from 1 to {_MAX_MONTHS} (months)."
        )


def _kinds(value: Iterable[RelationKind]) -> frozenset[RelationKind]:
    if isinstance(value, RelationKind):
        value = (value,)
    return frozenset(value)


def _check_kinds(_instance: object, _attribute: object, value: frozenset[RelationKind]) -> None:
    allowed = ", ".join(sorted(k.value for k in _MOVE_IN_ALLOWED))
    if not value or not value <= _MOVE_IN_ALLOWED:
        given = ", ".join(sorted(str(getattr(k, "value", k)) for k in value)) or "none"
        raise InvalidCarePlan(
            f"move_in_kinds ({given}) must be one or more of {allowed}: the relations that "
            "start with someone moving in."
        )


def _dissatisfied(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < _SATISFACTION_TOP:
        raise InvalidCarePlan(
            f"dissatisfied_up_to {value!r} must be an int from 0 (nobody) to 4 on the 1-5 "
            "satisfaction scale."
        )


@attrs.frozen
class CarePolicy:
    """The numbers of scheduled care (brief §4), each with its default.

    Attributes:
        callback_months: a move-in's callback is due this many calendar months after it
            (:data:`DEFAULT_CALLBACK_MONTHS`, brief §4).
        move_in_kinds: which relations start with a move-in (:data:`DEFAULT_MOVE_IN_KINDS`).
        complaint_lookback_months: complaints this many months back, up to the plan's date,
            put a customer first in the visit plan (:data:`DEFAULT_COMPLAINT_LOOKBACK_MONTHS`).
        visit_cadence_months: a customer is due a regular visit this many months after the
            last one; one never visited is due at once (:data:`DEFAULT_VISIT_CADENCE_MONTHS`).
        dissatisfied_up_to: a latest satisfaction score at or below this moves a customer
            ahead of others in the same tier of the visit plan (:data:`DEFAULT_DISSATISFIED_UP_TO`;
            0 turns it off).
        survey_vacant_units: the survey also asks the payer of a handed-over unit nobody lives
            in (an absentee owner still pays the fees and judges the service); default on.

    >>> CarePolicy(visit_cadence_months=0)
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidCarePlan: visit_cadence_months 0 must be an int from 1 to 120 (months).
    """

    callback_months: int = attrs.field(default=DEFAULT_CALLBACK_MONTHS, validator=_months)
    move_in_kinds: frozenset[RelationKind] = attrs.field(
        default=DEFAULT_MOVE_IN_KINDS, converter=_kinds, validator=_check_kinds
    )
    complaint_lookback_months: int = attrs.field(
        default=DEFAULT_COMPLAINT_LOOKBACK_MONTHS, validator=_months
    )
    visit_cadence_months: int = attrs.field(default=DEFAULT_VISIT_CADENCE_MONTHS, validator=_months)
    dissatisfied_up_to: int = attrs.field(
        default=DEFAULT_DISSATISFIED_UP_TO, validator=_dissatisfied
    )
    survey_vacant_units: bool = attrs.field(
        default=True, validator=attrs.validators.instance_of(bool)
    )

    def callback_due(self, moved_in: datetime.date) -> pendulum.Date:
        """The day a callback for a move-in on ``moved_in`` is due by (that day included).

        >>> DEFAULT_CARE_POLICY.callback_due(pendulum.date(2027, 1, 31))
        Date(2027, 2, 28)
        """
        return as_date(moved_in).add(months=self.callback_months)

    def complaint_window(self, as_of: datetime.date) -> tuple[pendulum.Date, pendulum.Date]:
        """First and last day (both included) of the complaints that count on ``as_of``.

        The same window segmentation uses (``BehaviourPolicy.complaint_window``).

        >>> DEFAULT_CARE_POLICY.complaint_window(pendulum.date(2026, 12, 31))
        (Date(2026, 10, 1), Date(2026, 12, 31))
        """
        return self._behaviour().complaint_window(as_date(as_of))

    def visit_due(self, last_visited: datetime.date) -> pendulum.Date:
        """The first day a customer last visited on ``last_visited`` is due again.

        >>> DEFAULT_CARE_POLICY.visit_due(pendulum.date(2026, 3, 1))
        Date(2026, 9, 1)
        """
        return as_date(last_visited).add(months=self.visit_cadence_months)

    def _behaviour(self) -> BehaviourPolicy:
        return BehaviourPolicy(complaint_window_months=self.complaint_lookback_months)


DEFAULT_CARE_POLICY = CarePolicy()
"""Callback within one month (§4); residents, tenants, shops; complaints of the last 3 months
first; a visit every 6 months; scores 1-2 dissatisfied; vacant units' payers surveyed."""


# -- keys and tasks ---------------------------------------------------------------------------


class CareKind(enum.Enum):
    """What a piece of scheduled care is; ``label`` is the customer-service term."""

    MOVE_IN_CALLBACK = "move_in_callback"
    REGULAR_VISIT = "regular_visit"

    @property
    def label(self) -> str:
        """The Chinese term."""
        return _CARE_LABELS[self]


_CARE_LABELS = {
    CareKind.MOVE_IN_CALLBACK: "入住回访",
    CareKind.REGULAR_VISIT: "定期走访",
}


def _record_id(what: str) -> Callable[[object, object, str], None]:
    def check(_instance: object, _attribute: object, value: str) -> None:
        if not isinstance(value, str) or not value or any(c.isspace() for c in value):
            raise InvalidCarePlan(
                f"{what} {value!r} must be non-empty text without spaces, e.g. 'P0001'."
            )

    return check


@attrs.frozen
class CareKey:
    """What identifies one piece of care: its kind, the party, the unit and the day it arose.

    For a move-in callback ``on`` is the move-in day, so a customer who moves out and back in
    later is called back again, while the callback for the first stay stays done. Keep
    ``task.key`` (or its :attr:`code`) when a callback is made and pass it back as ``done``.

    >>> CareKey(CareKind.MOVE_IN_CALLBACK, "P1", "1-2-0301", pendulum.date(2026, 11, 3)).code
    'move_in_callback/P1/1-2-0301/2026-11-03'
    """

    kind: CareKind = attrs.field(validator=attrs.validators.instance_of(CareKind))
    party_id: str = attrs.field(validator=_record_id("party id"))
    unit_id: str = attrs.field(validator=_record_id("unit id"))
    on: pendulum.Date = attrs.field(converter=as_date)

    @property
    def code(self) -> str:
        """A stable text form for storage: ``kind/party/unit/day``."""
        return f"{self.kind.value}/{self.party_id}/{self.unit_id}/{self.on.isoformat()}"


@attrs.frozen
class MoveInReason:
    """Why a callback is due, as data: the move-in, the relations it opened, the rule.

    ``relations`` are the customer's relations to the unit that began on the move-in day;
    ``household`` the others who moved into the unit with them that day (household members,
    co-tenants), who are called back together with them.
    """

    moved_in: pendulum.Date
    relations: tuple[Relation, ...]
    household: tuple[str, ...]
    callback_months: int
    rule: str = "brief §4: a callback visit to every new customer within one month of move-in"

    def describe(self) -> str:
        """One line for work lists."""
        roles = ", ".join(_role(r) for r in self.relations)
        others = f" with {', '.join(self.household)}" if self.household else ""
        months = "month" if self.callback_months == 1 else f"{self.callback_months} months"
        return (
            f"moved in on {self.moved_in.isoformat()} as {roles}{others}; callback within {months}"
        )


def _role(relation: Relation) -> str:
    if isinstance(relation, Resident):
        return "household head (户主)" if relation.role is HouseholdRole.HEAD else "resident"
    if isinstance(relation, Tenant):
        return "lead tenant (承租人)" if relation.role is TenantRole.LEAD else "co-tenant"
    return f"{relation.kind.value} ({relation.kind.label})"


@attrs.frozen
class CareTask:
    """One open callback: who, which unit, due by when, whether late as of ``as_of``, and why.

    ``due_by`` is the last day the callback is on time; the task is ``overdue`` from the day
    after. ``days_left`` counts the days from ``as_of`` to ``due_by`` (negative when late).
    """

    kind: CareKind
    party_id: str
    unit_id: str
    due_by: pendulum.Date
    as_of: pendulum.Date
    reason: MoveInReason

    @property
    def key(self) -> CareKey:
        """The key that marks this task done."""
        return CareKey(self.kind, self.party_id, self.unit_id, self.reason.moved_in)

    @property
    def overdue(self) -> bool:
        """Whether the callback is late on ``as_of`` (``due_by`` has passed)."""
        return self.as_of > self.due_by

    @property
    def days_left(self) -> int:
        """Days from ``as_of`` to ``due_by``: 0 on the last day, negative once overdue."""
        return self.due_by.toordinal() - self.as_of.toordinal()

    def describe(self) -> str:
        """One line for work lists."""
        state = "OVERDUE" if self.overdue else "due"
        return (
            f"{self.kind.label} {self.party_id} {self.unit_id}: {state} by "
            f"{self.due_by.isoformat()} ({self.reason.describe()})"
        )


# -- move-in callbacks ------------------------------------------------------------------------

_MOVE_IN_TYPES = (Resident, Tenant, Merchant)
_RELATION_TYPES = (Owner, Tenant, Resident, Merchant, Visitor, AgencyContact, CommitteeMember)


def _is_contact(relation: Relation) -> bool:
    """Whether the relation makes its party the customer of a move-in, not one of a household."""
    if isinstance(relation, Resident):
        return relation.role is HouseholdRole.HEAD
    if isinstance(relation, Tenant):
        return relation.role is TenantRole.LEAD
    return isinstance(relation, Merchant)


@attrs.frozen
class _Arrival:
    party_id: str
    unit_id: str
    day: pendulum.Date
    relations: tuple[Relation, ...]


def _relations_of(
    source: PartyBook | Iterable[Relation],
) -> tuple[tuple[Relation, ...], frozenset[str]]:
    """The relations to read, and the parties nobody may call (their personal data is erased)."""
    if isinstance(source, PartyBook):
        erased = frozenset(
            p.party_id for p in source.parties if isinstance(p, Person) and p.erased is not None
        )
        return source.relations, erased
    if isinstance(source, str | bytes | Mapping) or not isinstance(source, Iterable):
        raise InvalidCarePlan(
            f"expected a PartyBook or an iterable of relations, not {type(source).__name__}."
        )
    relations = tuple(source)
    for r in relations:
        if not isinstance(r, _RELATION_TYPES):
            raise InvalidCarePlan(
                f"{r!r} is a {type(r).__name__}, not a relation; pass a PartyBook or its "
                "relations (Resident, Tenant, Merchant … from propcrm.parties)."
            )
    return relations, frozenset()


def _arrivals(relations: Iterable[Relation], kinds: frozenset[RelationKind]) -> list[_Arrival]:
    """Each day a party begins to be at a unit after a day it was not (by ``kinds``)."""
    by_pair: dict[tuple[str, str], list[Relation]] = defaultdict(list)
    for r in relations:
        if isinstance(r, _MOVE_IN_TYPES) and r.kind in kinds:
            by_pair[r.party_id, r.unit_id].append(r)
    arrivals: list[_Arrival] = []
    for (party_id, unit_id), held in by_pair.items():
        held.sort(key=lambda r: (r.start, r.relation_id))
        # Merge the party's relations to the unit into unbroken stays: a lease renewed the day
        # the old one ends, or a tenant who moves in as household head, is one stay, one arrival.
        stay_end: pendulum.Date | None = None
        opening: list[Relation] = []
        for r in held:
            if opening and (stay_end is None or r.start <= stay_end):
                if r.start == opening[0].start:
                    opening.append(r)
                stay_end = None if stay_end is None or r.end is None else max(stay_end, r.end)
                continue
            if opening:
                arrivals.append(_Arrival(party_id, unit_id, opening[0].start, tuple(opening)))
            opening, stay_end = [r], r.end
        arrivals.append(_Arrival(party_id, unit_id, opening[0].start, tuple(opening)))
    return arrivals


def _done_keys(done: Iterable[CareKey]) -> frozenset[CareKey]:
    keys = tuple(done)
    for key in keys:
        if not isinstance(key, CareKey) or key.kind is not CareKind.MOVE_IN_CALLBACK:
            raise InvalidCarePlan(
                f"done holds {key!r}; pass the CareKey of each callback made (task.key), "
                "of kind MOVE_IN_CALLBACK."
            )
    return frozenset(keys)


def move_in_callbacks(
    source: PartyBook | Iterable[Relation],
    *,
    as_of: datetime.date,
    since: datetime.date | None = None,
    policy: CarePolicy = DEFAULT_CARE_POLICY,
    done: Iterable[CareKey] = (),
) -> tuple[CareTask, ...]:
    """The move-in callbacks open on ``as_of`` (brief §4), earliest due first.

    A **move-in** is the first day a party is at a unit by a relation of
    ``policy.move_in_kinds`` after a day it was not: a lease renewed the day the old one ends,
    or a lead tenant who moves in as household head later, is one stay and one callback. The
    **customer** called back is the household head (户主), the lead tenant (承租人) or the
    merchant; household members and co-tenants who arrive with them on the same day are listed
    in ``reason.household`` and visited with them. Members who join a household later (a move-in
    without a head, the book's own meaning of ``head=None``) bring no callback of their own.
    Parties whose personal data was erased cannot be called and are left out (books only).

    Each move-in from ``since`` (default: all history) to ``as_of``, both included, gives one
    :class:`CareTask` due by the move-in plus ``policy.callback_months``, unless its key is in
    ``done``. Order: due date, then party id, unit id and move-in day.

    >>> D = pendulum.date
    >>> shop = Merchant(relation_id="R9", party_id="O1", unit_id="S-101",
    ...                 start=D(2026, 9, 15), shop_name="阳光便利店")
    >>> [(t.party_id, t.due_by.isoformat(), t.overdue, t.days_left)
    ...  for t in move_in_callbacks([shop], as_of=D(2026, 10, 20))]
    [('O1', '2026-10-15', True, -5)]
    >>> move_in_callbacks([shop], as_of=D(2026, 10, 20), since=D(2026, 11, 1))
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidCarePlan: since 2026-11-01 is after as_of 2026-10-20; the move-ins \
listed run from since to as_of, so since must not be later.
    """
    day = as_date(as_of)
    first = None if since is None else as_date(since)
    if first is not None and first > day:
        raise InvalidCarePlan(
            f"since {first.isoformat()} is after as_of {day.isoformat()}; the move-ins listed run "
            "from since to as_of, so since must not be later."
        )
    _check_policy(policy)
    relations, erased = _relations_of(source)
    finished = _done_keys(done)
    by_day: dict[tuple[str, pendulum.Date], list[_Arrival]] = defaultdict(list)
    for arrival in _arrivals(relations, policy.move_in_kinds):
        if arrival.day <= day and (first is None or arrival.day >= first):
            by_day[arrival.unit_id, arrival.day].append(arrival)
    tasks: list[CareTask] = []
    for (unit_id, moved_in), arrived in by_day.items():
        contacts = [a for a in arrived if any(_is_contact(r) for r in a.relations)]
        household = tuple(sorted(a.party_id for a in arrived if a not in contacts))
        for contact in contacts:
            if contact.party_id in erased:
                continue
            task = CareTask(
                kind=CareKind.MOVE_IN_CALLBACK,
                party_id=contact.party_id,
                unit_id=unit_id,
                due_by=policy.callback_due(moved_in),
                as_of=day,
                reason=MoveInReason(
                    moved_in=moved_in,
                    relations=contact.relations,
                    household=household,
                    callback_months=policy.callback_months,
                ),
            )
            if task.key not in finished:
                tasks.append(task)
    tasks.sort(key=lambda t: (t.due_by, t.party_id, t.unit_id, t.reason.moved_in))
    return tuple(tasks)


def _check_policy(policy: object) -> None:
    if not isinstance(policy, CarePolicy):
        raise InvalidCarePlan(f"policy must be a CarePolicy, not {type(policy).__name__}.")


# -- regular visits ---------------------------------------------------------------------------


class VisitPriority(enum.Enum):
    """Why a customer is in the visit plan, in the order the tiers are visited."""

    COMPLAINED = "complained"
    """Complained within the look-back window and not visited since the latest complaint."""
    DUE = "due"
    """Never visited, or last visited a cadence or more ago."""


@attrs.frozen
class VisitReason:
    """Why a customer is planned, as data.

    ``complaints`` are those received from ``complaints_from`` to the plan's date;
    ``last_complaint`` is the latest of them; ``due_since`` is the first day the cadence made the
    customer due (``None`` when never visited); ``last_satisfaction`` is the latest score on
    record and ``dissatisfied`` whether it is at or below the policy's threshold.
    """

    priority: VisitPriority
    complaints: int
    complaints_from: pendulum.Date
    last_complaint: pendulum.Date | None
    last_visited: pendulum.Date | None
    due_since: pendulum.Date | None
    last_satisfaction: int | None
    dissatisfied: bool

    @property
    def never_visited(self) -> bool:
        """Whether no visit is on record."""
        return self.last_visited is None

    def describe(self) -> str:
        """One line for the visit list."""
        if self.priority is VisitPriority.COMPLAINED:
            assert self.last_complaint is not None
            times = "once" if self.complaints == 1 else f"{self.complaints} times"
            visit = (
                "never visited"
                if self.last_visited is None
                else f"last visited {self.last_visited.isoformat()}"
            )
            text = (
                f"complained {times} since {self.complaints_from.isoformat()} (latest "
                f"{self.last_complaint.isoformat()}), {visit}"
            )
        elif self.last_visited is None:
            text = "never visited"
        else:
            assert self.due_since is not None
            text = (
                f"last visited {self.last_visited.isoformat()}, due since "
                f"{self.due_since.isoformat()}"
            )
        if self.dissatisfied:
            text += f"; last satisfaction {self.last_satisfaction} (dissatisfied)"
        return text


@attrs.frozen
class PlannedVisit:
    """One customer in the plan: their place (``rank``, from 1) and why they are there."""

    rank: int
    party_id: str
    reason: VisitReason

    @property
    def kind(self) -> CareKind:
        """Always :attr:`CareKind.REGULAR_VISIT`."""
        return CareKind.REGULAR_VISIT

    def describe(self) -> str:
        """One line: rank, party and reason."""
        return f"{self.rank}. {self.party_id}: {self.reason.describe()}"


@attrs.frozen
class VisitPlan:
    """A visit plan: who is visited, who is deferred, who is not due.

    ``visits`` holds at most ``capacity`` visits; ``deferred`` the customers due but over
    capacity, in the same order, their ranks continuing; ``not_due`` the rest. Nobody drops
    out unseen: every party given is in exactly one of the three.
    """

    as_of: pendulum.Date
    capacity: int
    visits: tuple[PlannedVisit, ...]
    deferred: tuple[PlannedVisit, ...]
    not_due: tuple[str, ...]

    @property
    def party_ids(self) -> tuple[str, ...]:
        """The parties visited, in order."""
        return tuple(v.party_id for v in self.visits)


def _count(history: ComplaintHistory, first: pendulum.Date, last: pendulum.Date) -> int:
    count = history.complaints_between(first, last)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise InvalidBehaviourFact(
            f"complaints_between returned {count!r}; a complaint count is an int of at least 0."
        )
    return count


def _last_complaint(
    history: ComplaintHistory, first: pendulum.Date, last: pendulum.Date
) -> pendulum.Date:
    """The latest day in ``[first, last]`` with a complaint, asked of the protocol only.

    ``complaints_between(d, last)`` can only fall as ``d`` moves later, so the latest complaint
    is the latest ``d`` at which it is still above 0: a binary search, about 7 questions for a
    quarter, so any :class:`ComplaintHistory` can answer.
    """
    low, high = 0, last.toordinal() - first.toordinal()
    while low < high:
        middle = (low + high + 1) // 2
        if _count(history, first.add(days=middle), last) > 0:
            low = middle
        else:
            high = middle - 1
    return first.add(days=low)


def _party_ids(parties: Iterable[str], what: str) -> tuple[str, ...]:
    if isinstance(parties, str | bytes | Mapping) or not isinstance(parties, Iterable):
        raise InvalidCarePlan(f"{what} must be an iterable of party ids like ['P1', 'P2'].")
    ids = tuple(parties)
    seen: set[str] = set()
    for party_id in ids:
        _record_id("party id")(None, None, party_id)
        if party_id in seen:
            raise InvalidCarePlan(f"party {party_id} is given twice in {what}; give each once.")
        seen.add(party_id)
    return ids


def _history(complaints: Mapping[str, ComplaintHistory], party_id: str) -> ComplaintHistory | None:
    history = complaints.get(party_id)
    if history is not None and not isinstance(history, ComplaintHistory):
        raise InvalidCarePlan(
            f"complaints of {party_id} is a {type(history).__name__}; it must implement "
            "ComplaintHistory (complaints_between, last_satisfaction), e.g. a ComplaintRecord."
        )
    return history


def _check_capacity(capacity: int) -> None:
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
        raise InvalidCarePlan(
            f"capacity {capacity!r} must be an int of 0 or more: the most visits the plan holds."
        )


def _visit_reason(
    history: ComplaintHistory | None,
    visited: pendulum.Date | None,
    day: pendulum.Date,
    policy: CarePolicy,
    window: BehaviourPolicy,
) -> VisitReason | None:
    behaviour = complaint_behaviour(history, day, policy=window)
    first = window.complaint_window(day)[0]
    count = 0 if behaviour is None else behaviour.complaints
    score = None if behaviour is None else behaviour.last_satisfaction
    latest = None
    if history is not None and count > 0:
        latest = _last_complaint(history, first, day)
    due_since = None if visited is None else policy.visit_due(visited)
    # A visit after the latest complaint has followed it up; a visit that same day may have come
    # before it (dates cannot tell), so it does not count: missing a complainer is the worse error.
    if latest is not None and (visited is None or visited <= latest):
        priority = VisitPriority.COMPLAINED
    elif due_since is None or due_since <= day:
        priority = VisitPriority.DUE
    else:
        return None
    return VisitReason(
        priority=priority,
        complaints=count,
        complaints_from=first,
        last_complaint=latest,
        last_visited=visited,
        due_since=due_since,
        last_satisfaction=score,
        dissatisfied=score is not None and score <= policy.dissatisfied_up_to,
    )


def _visit_order(item: tuple[str, VisitReason]) -> tuple[int, int, int, int, str]:
    party_id, reason = item
    # Dissatisfied customers lowest score first; everyone else level on this key.
    unhappy = reason.last_satisfaction if reason.dissatisfied else None
    score = _SATISFACTION_TOP + 1 if unhappy is None else unhappy
    if reason.priority is VisitPriority.COMPLAINED:
        assert reason.last_complaint is not None
        return (0, -reason.complaints, -reason.last_complaint.toordinal(), score, party_id)
    oldest = 0 if reason.last_visited is None else reason.last_visited.toordinal()
    return (1, score, oldest, 0, party_id)


def plan_visits(
    parties: Iterable[str],
    *,
    as_of: datetime.date,
    complaints: Mapping[str, ComplaintHistory],
    last_visited: Mapping[str, datetime.date],
    capacity: int,
    policy: CarePolicy = DEFAULT_CARE_POLICY,
) -> VisitPlan:
    """The regular visits to make next, complainers first (brief §4).

    The brief: "regular visits, with priority to customers who have complained". Two tiers,
    in this order:

    1. **complained**: complaints received in the look-back window (the
       ``policy.complaint_lookback_months`` up to ``as_of``), and no visit after the latest of
       them; whatever the cadence. Most complaints first, then the latest complaint most
       recent first, then the dissatisfied (below).
    2. **due**: never visited, or last visited ``policy.visit_cadence_months`` or more ago.
       The dissatisfied first, then never visited, then the oldest last visit.

    **Dissatisfied**: a latest satisfaction score at or below ``policy.dissatisfied_up_to``
    (lowest score first). It orders customers within a tier but does not make anyone due by
    itself, as the protocol does not say when the score was given. Ties: party id.
    ``capacity`` cuts the list; the rest of the due customers are ``deferred``, in order.

    Complaints are read only through :class:`~propcrm.parties.ComplaintHistory`, so the
    complaints lifecycle can feed the plan; ``complaints`` and ``last_visited`` may hold other
    parties too, which are ignored. A party missing from them has no complaints, or no visit.

    >>> from propcrm.analytics import ComplaintRecord
    >>> D = pendulum.date
    >>> plan = plan_visits(
    ...     ["P1", "P2", "P3", "P4"],
    ...     as_of=D(2026, 12, 1),
    ...     complaints={"P3": ComplaintRecord(complaints=[D(2026, 11, 20)])},
    ...     last_visited={"P1": D(2026, 10, 1), "P2": D(2026, 3, 1), "P3": D(2026, 11, 1)},
    ...     capacity=2,
    ... )
    >>> [v.describe() for v in plan.visits]
    ['1. P3: complained once since 2026-09-02 (latest 2026-11-20), last visited 2026-11-01',
     '2. P4: never visited']
    >>> [v.party_id for v in plan.deferred], plan.not_due
    (['P2'], ('P1',))
    """
    day = as_date(as_of)
    _check_capacity(capacity)
    _check_policy(policy)
    ids = _party_ids(parties, "parties")
    window = policy._behaviour()
    planned: list[tuple[str, VisitReason]] = []
    not_due: list[str] = []
    for party_id in ids:
        visited = last_visited.get(party_id)
        visited_on = None if visited is None else as_date(visited)
        if visited_on is not None and visited_on > day:
            raise InvalidCarePlan(
                f"party {party_id} was last visited on {visited_on.isoformat()}, after the "
                f"plan's date {day.isoformat()}; a visit on record is on or before as_of."
            )
        reason = _visit_reason(_history(complaints, party_id), visited_on, day, policy, window)
        if reason is None:
            not_due.append(party_id)
        else:
            planned.append((party_id, reason))
    planned.sort(key=_visit_order)
    ranked = tuple(
        PlannedVisit(rank, party_id, reason)
        for rank, (party_id, reason) in enumerate(planned, start=1)
    )
    return VisitPlan(day, capacity, ranked[:capacity], ranked[capacity:], tuple(sorted(not_due)))


# -- survey rounds ----------------------------------------------------------------------------


def survey_rounds(
    year: int,
    *,
    survey_policy: SurveyPolicy = DEFAULT_SURVEY_POLICY,
    zone: str = DEFAULT_ZONE,
) -> tuple[SurveyRound, ...]:
    """The empty survey rounds of ``year`` (brief §4: "Satisfaction survey every quarter").

    One :class:`~propcrm.parties.SurveyRound` per period of ``survey_policy.round_kind`` (a
    quarter by default), oldest first; answers are added with ``SurveyRound.with_response``
    and summed up with ``propcrm.parties.quarterly``. A year outside 1-9998 is refused
    (:class:`~propcrm.errors.InvalidPeriod`).

    >>> [r.quarter.code for r in survey_rounds(2026)]
    ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']
    """
    period = BillingPeriod.containing(BillingPeriod.year(year).start, survey_policy.round_kind)
    rounds = []
    while period.start.year == year:
        rounds.append(SurveyRound(period, (), survey_policy, zone))
        period = period.next()
    return tuple(rounds)


def survey_round_for(
    day: datetime.date,
    *,
    survey_policy: SurveyPolicy = DEFAULT_SURVEY_POLICY,
    zone: str = DEFAULT_ZONE,
) -> SurveyRound:
    """The empty survey round whose quarter holds ``day``; ``.next_round()`` gives the next.

    >>> survey_round_for(pendulum.date(2026, 11, 24)).quarter.code
    '2026-Q4'
    """
    period = BillingPeriod.containing(as_date(day), survey_policy.round_kind)
    return SurveyRound(period, (), survey_policy, zone)


class SampleReason(enum.Enum):
    """Why a party is asked in a survey round, in order of precedence for a unit."""

    HOUSEHOLD_HEAD = "household_head"
    """The household head (户主) of an occupied unit."""
    RESIDENT = "resident"
    """A resident of a unit whose household has no head on record."""
    TENANT = "tenant"
    """A tenant (the lead tenant first) of a unit nobody lives in (an office, a store room)."""
    MERCHANT = "merchant"
    """The merchant of a shop."""
    PAYER = "payer"
    """The party paying the fees of a handed-over unit nobody occupies."""
    LISTED = "listed"
    """Named by the caller (a sample from party ids rather than a book)."""
    COMPLAINED = "complained"
    """Complained during the round's quarter: always asked."""


@attrs.frozen
class SampledParty:
    """One party asked in a round: the units it answers for, why, and its complaints so far."""

    party_id: str
    units: tuple[str, ...]
    reasons: tuple[SampleReason, ...]
    complaints: int


@attrs.frozen
class SurveySample:
    """Who is asked in the round of ``quarter``, as drawn on ``as_of``, sorted by party id."""

    quarter: BillingPeriod
    as_of: pendulum.Date
    parties: tuple[SampledParty, ...]

    @property
    def party_ids(self) -> tuple[str, ...]:
        """The parties asked, sorted."""
        return tuple(p.party_id for p in self.parties)


def _unit_respondents(
    book: PartyBook, day: pendulum.Date, policy: CarePolicy
) -> list[tuple[str, str, SampleReason]]:
    """Per handed-over unit, the one party who answers for it (first non-erased candidate)."""
    erased = {p.party_id for p in book.parties if isinstance(p, Person) and p.erased is not None}
    found = []
    for unit in sorted(book.units, key=lambda u: u.unit_id):
        if not unit.status(day).handed_over:
            continue
        residents = book.residents(unit.unit_id, day)
        candidates = [
            (
                r.party_id,
                SampleReason.HOUSEHOLD_HEAD
                if r.role is HouseholdRole.HEAD
                else SampleReason.RESIDENT,
            )
            for r in residents
        ]
        candidates += [(t.party_id, SampleReason.TENANT) for t in book.tenants(unit.unit_id, day)]
        candidates += [
            (m.party_id, SampleReason.MERCHANT) for m in book.merchants(unit.unit_id, day)
        ]
        payer = book.payer(unit.unit_id, day)
        if payer is not None and (candidates or policy.survey_vacant_units):
            candidates.append((payer.party_id, SampleReason.PAYER))
        chosen = next(((p, why) for p, why in candidates if p not in erased), None)
        if chosen is not None:
            found.append((chosen[0], unit.unit_id, chosen[1]))
    return found


def survey_sample(
    source: PartyBook | Iterable[str],
    survey: SurveyRound,
    *,
    as_of: datetime.date,
    complaints: Mapping[str, ComplaintHistory] | None = None,
    policy: CarePolicy = DEFAULT_CARE_POLICY,
) -> SurveySample:
    """Who is asked in ``survey`` (brief §4: a satisfaction survey every quarter).

    From a :class:`~propcrm.parties.PartyBook`: one party per unit handed over by ``as_of``,
    the first of its household head (户主), any resident, its tenants (lead first), its
    merchant, and (with ``policy.survey_vacant_units``, or when all before are erased) the party
    paying its fees. Parties whose personal data was erased are never asked. A party answering
    for two units is asked once and lists both. From party ids: those parties.

    Either way, every party in ``complaints`` with a complaint from the quarter's first day to
    ``as_of`` is asked too (a household member who complained, a complainer from another
    list): their view is the one the round most needs. ``as_of`` must fall in the round's
    quarter. The sample is a census, not random, so it is the same every time it is drawn.

    >>> from propcrm.analytics import ComplaintRecord
    >>> D = pendulum.date
    >>> q4 = survey_round_for(D(2026, 10, 1))
    >>> sample = survey_sample(
    ...     ["P1", "P2"],
    ...     q4,
    ...     as_of=D(2026, 11, 24),
    ...     complaints={"P7": ComplaintRecord(complaints=[D(2026, 11, 2)])},
    ... )
    >>> [(p.party_id, [r.value for r in p.reasons], p.complaints) for p in sample.parties]
    [('P1', ['listed'], 0), ('P2', ['listed'], 0), ('P7', ['complained'], 1)]
    """
    day = as_date(as_of)
    if not isinstance(survey, SurveyRound):
        raise InvalidCarePlan(f"survey must be a SurveyRound, not {type(survey).__name__}.")
    quarter = survey.quarter
    if not quarter.contains(day):
        raise InvalidCarePlan(
            f"a sample for round {quarter.code} is drawn on a day from "
            f"{quarter.start.isoformat()} to {quarter.end.isoformat()}, not {day.isoformat()}."
        )
    _check_policy(policy)
    units: dict[str, list[str]] = defaultdict(list)
    reasons: dict[str, set[SampleReason]] = defaultdict(set)
    book = source if isinstance(source, PartyBook) else None
    if isinstance(source, PartyBook):
        for party_id, unit_id, why in _unit_respondents(source, day, policy):
            units[party_id].append(unit_id)
            reasons[party_id].add(why)
    else:
        for party_id in _party_ids(source, "the parties to survey"):
            reasons[party_id].add(SampleReason.LISTED)
    known = frozenset(p.party_id for p in book.parties) if book is not None else frozenset()
    counts: dict[str, int] = {}
    for party_id in sorted(complaints or {}):
        history = _history(complaints or {}, party_id)
        count = 0 if history is None else _count(history, quarter.start, day)
        if count == 0:
            continue
        asked = party_id
        if book is not None and party_id in known:
            party = book.resolve(party_id)
            if isinstance(party, Person) and party.erased is not None:
                continue
            asked = party.party_id
        counts[asked] = counts.get(asked, 0) + count
        reasons[asked].add(SampleReason.COMPLAINED)
    order = list(SampleReason)
    return SurveySample(
        quarter,
        day,
        tuple(
            SampledParty(
                party_id,
                tuple(units.get(party_id, ())),
                tuple(sorted(reasons[party_id], key=order.index)),
                counts.get(party_id, 0),
            )
            for party_id in sorted(reasons)
        ),
    )


def customers_on(book: PartyBook, on: datetime.date) -> tuple[str, ...]:
    """The parties to care for on ``on``, sorted: the natural ``parties`` of :func:`plan_visits`.

    Owners, tenants, residents and merchants on that day, leaving out merged records and
    parties whose personal data was erased.
    """
    day = as_date(on)
    live = {
        p.party_id
        for p in book.parties
        if p.merged_into is None and not (isinstance(p, Person) and p.erased is not None)
    }
    holding = {
        r.party_id
        for r in book.relations
        if isinstance(r, Owner | Resident | Tenant | Merchant) and r.covers(day)
    }
    return tuple(sorted(live & holding))


# -- callbacks feeding the satisfaction model -------------------------------------------------


def callback_response(
    key: CareKey | CareTask,
    *,
    score: int,
    answered_at: datetime.datetime,
    staff: str | None = None,
    team: str | None = None,
    response_id: str | None = None,
    survey_policy: SurveyPolicy = DEFAULT_SURVEY_POLICY,
    zone: str = DEFAULT_ZONE,
) -> SurveyResponse:
    """A callback's satisfaction score as a :class:`~propcrm.parties.SurveyResponse`.

    The score is the CSAT answer (1-5 on the default scale), the party is the customer called
    back, and ``staff``/``team`` are who made the visit, so the satisfaction model can judge
    them (brief §4: staff performance is assessed on customer satisfaction). ``response_id``
    defaults to the care key's :attr:`~CareKey.code`, which marks it as a callback. A callback
    answered before the day its care arose is refused.

    A ``SurveyResponse`` has no field for the instrument it came from: adding callback
    answers to the quarter's round mixes new residents' first impressions into the census of
    every unit (:func:`survey_sample`), so keep them in a round of their own unless that is what
    is wanted.

    >>> key = CareKey(CareKind.MOVE_IN_CALLBACK, "P1", "1-2-0301", pendulum.date(2026, 11, 3))
    >>> r = callback_response(
    ...     key,
    ...     score=4,
    ...     staff="S001",
    ...     answered_at=pendulum.datetime(2026, 11, 28, 15, tz="Asia/Shanghai"),
    ... )
    >>> r.response_id, r.party_id, r.csat, r.staff
    ('move_in_callback/P1/1-2-0301/2026-11-03', 'P1', 4, 'S001')
    """
    care = key.key if isinstance(key, CareTask) else key
    if not isinstance(care, CareKey):
        raise InvalidCarePlan(f"key must be a CareKey or CareTask, not {type(key).__name__}.")
    low, high = survey_policy.csat_scale
    if isinstance(score, bool) or not isinstance(score, int) or not low <= score <= high:
        raise InvalidSurveyResponse(
            f"callback score {score!r} must be an int from {low} to {high}, the CSAT scale."
        )
    instant = aware(answered_at)
    answered_on = local_date(instant, zone)
    if answered_on < care.on:
        raise InvalidCarePlan(
            f"the callback {care.code} was answered on {answered_on.isoformat()}, before the "
            f"day it arose ({care.on.isoformat()}); a callback comes after the move-in."
        )
    return SurveyResponse(
        care.code if response_id is None else response_id,
        instant,
        team=team,
        staff=staff,
        party_id=care.party_id,
        csat=score,
    )
