"""Move-in callbacks: who to call back after moving in, by when, and what they said.

The brief (§4): "Callback visit to every new customer within one month of move-in".
:func:`move_in_callbacks` lists the open callbacks (:class:`CareTask`, each with its
:class:`MoveInReason`) as of a date, from a :class:`~propcrm.parties.PartyBook` or its
relations; :func:`callback_response` turns a callback's score into a
:class:`~propcrm.analytics.SurveyResponse` for the satisfaction model.

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
from collections import defaultdict
from collections.abc import Iterable, Mapping

import attrs
import pendulum
from babel.dates import format_date
from babel.lists import format_list

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, ngettext, pgettext
from propcrm._validators import check_instance, check_text, check_unique
from propcrm.analytics import DEFAULT_SURVEY_POLICY, SurveyPolicy, SurveyResponse
from propcrm.care._keys import CareKey, CareKind
from propcrm.care._policy import DEFAULT_CARE_POLICY, CarePolicy, check_policy
from propcrm.errors import InvalidCarePlan, InvalidSurveyResponse
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
from propcrm.time import DEFAULT_ZONE, as_date, aware, local_date

__all__ = ["CareTask", "MoveInReason", "callback_response", "move_in_callbacks"]


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

    def rule(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The rule the callback follows, for people: brief §4."""
        return gettext(
            "brief §4: a callback visit to every new customer within one month of move-in",
            locale=locale,
        )

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for work lists, e.g. ``'2026年11月3日以户主身份入住；1个月内回访'``."""
        name = check_locale(locale)
        day = format_date(self.moved_in, "medium", locale=name)
        roles = format_list([_role(r, name) for r in self.relations], locale=name)
        if not self.household:
            return ngettext(
                "moved in on %(day)s as %(roles)s; callback within %(num)d month",
                "moved in on %(day)s as %(roles)s; callback within %(num)d months",
                self.callback_months,
                locale=name,
                day=day,
                roles=roles,
            )
        return ngettext(
            "moved in on %(day)s as %(roles)s with %(household)s; callback within %(num)d month",
            "moved in on %(day)s as %(roles)s with %(household)s; callback within %(num)d months",
            self.callback_months,
            locale=name,
            day=day,
            roles=roles,
            household=format_list(list(self.household), locale=name),
        )


def _role(relation: Relation, locale: str) -> str:
    if isinstance(relation, Resident):
        if relation.role is HouseholdRole.HEAD:
            return pgettext("care role", "household head", locale=locale)
        return pgettext("care role", "resident", locale=locale)
    if isinstance(relation, Tenant):
        if relation.role is TenantRole.LEAD:
            return pgettext("care role", "lead tenant", locale=locale)
        return pgettext("care role", "co-tenant", locale=locale)
    if isinstance(relation, Merchant):
        return pgettext("care role", "merchant", locale=locale)
    # Only residents, tenants and merchants move in (_MOVE_IN_TYPES).
    raise InvalidCarePlan(
        f"{type(relation).__name__} is not a relation that moves in.",
        field="relations",
        value=relation,
        allowed="Resident, Tenant or Merchant",
    )


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

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for work lists: the kind, who, where, by when, whether late, and why."""
        name = check_locale(locale)
        values = {
            "kind": self.kind.label(name),
            "party": self.party_id,
            "unit": self.unit_id,
            "day": format_date(self.due_by, "medium", locale=name),
            "reason": self.reason.describe(name),
        }
        if self.overdue:
            return gettext(
                "%(kind)s %(party)s %(unit)s: OVERDUE by %(day)s (%(reason)s)",
                locale=name,
                **values,
            )
        return gettext(
            "%(kind)s %(party)s %(unit)s: due by %(day)s (%(reason)s)", locale=name, **values
        )


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
            f"expected a PartyBook or an iterable of relations, not {type(source).__name__}.",
            field="source",
            value=source,
            allowed="a PartyBook or an iterable of relations",
        )
    relations = tuple(source)
    for r in relations:
        if not isinstance(r, _RELATION_TYPES):
            raise InvalidCarePlan(
                f"{r!r} is a {type(r).__name__}, not a relation; pass a PartyBook or its "
                "relations (Resident, Tenant, Merchant … from propcrm.parties).",
                field="source",
                value=r,
                allowed="a relation of propcrm.parties",
            )
    # One relation given twice would be one move-in counted as two households' arrival.
    check_unique((r.relation_id for r in relations), "source", InvalidCarePlan, what="relation id")
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
    if isinstance(done, str | bytes | Mapping | CareKey) or not isinstance(done, Iterable):
        raise InvalidCarePlan(
            f"done is a collection of CareKeys, not {done!r}.",
            field="done",
            value=done,
            allowed="an iterable of CareKey",
        )
    keys = tuple(done)
    for key in keys:
        if not isinstance(key, CareKey) or key.kind is not CareKind.MOVE_IN_CALLBACK:
            raise InvalidCarePlan(
                f"done holds {key!r}; pass the CareKey of each callback made (task.key), "
                "of kind MOVE_IN_CALLBACK.",
                field="done",
                value=key,
                allowed="CareKey of kind MOVE_IN_CALLBACK",
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
    day = as_date(as_of, "as_of")
    first = None if since is None else as_date(since, "since")
    if first is not None and first > day:
        raise InvalidCarePlan(
            f"since {first.isoformat()} is after as_of {day.isoformat()}; the move-ins listed run "
            "from since to as_of, so since must not be later.",
            field="since",
            value=first,
            allowed=f"on or before as_of {day.isoformat()}",
        )
    check_policy(policy)
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
    """A callback's satisfaction score as a :class:`~propcrm.analytics.SurveyResponse`.

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
        raise InvalidCarePlan(
            f"key must be a CareKey or CareTask, not {type(key).__name__}.",
            field="key",
            value=key,
            allowed="CareKey or CareTask",
        )
    check_instance(survey_policy, "survey_policy", SurveyPolicy)
    for field, text in (("staff", staff), ("team", team), ("response_id", response_id)):
        if text is not None:
            check_text(text, field, InvalidSurveyResponse)
    check_text(zone, "zone", InvalidCarePlan, example="'Asia/Shanghai'")
    low, high = survey_policy.csat_scale
    if isinstance(score, bool) or not isinstance(score, int) or not low <= score <= high:
        raise InvalidSurveyResponse(
            f"callback score {score!r} must be an int from {low} to {high}, the CSAT scale.",
            field="score",
            value=score,
            allowed=f"int {low} to {high}",
        )
    instant = aware(answered_at, field="answered_at")
    answered_on = local_date(instant, zone)
    if answered_on < care.on:
        raise InvalidCarePlan(
            f"the callback {care.code} was answered on {answered_on.isoformat()}, before the "
            f"day it arose ({care.on.isoformat()}); a callback comes after the move-in.",
            field="answered_at",
            value=instant,
            allowed=f"on or after {care.on.isoformat()}",
            key=care.code,
        )
    return SurveyResponse(
        care.code if response_id is None else response_id,
        instant,
        team=team,
        staff=staff,
        party_id=care.party_id,
        csat=score,
    )
