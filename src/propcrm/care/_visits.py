"""Regular visits: who to visit next, complainers first, and why (brief §4).

"Regular visits, with priority to customers who have complained": :func:`plan_visits` ranks
the customers (:func:`customers_on` gives a book's) into a :class:`VisitPlan` of
:class:`PlannedVisit` values, each with its :class:`VisitReason`.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Mapping

import attrs
import pendulum
from babel.dates import format_date

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, ngettext, pgettext
from propcrm._validators import check_instance
from propcrm.analytics import BehaviourPolicy, ComplaintHistory, complaint_behaviour
from propcrm.care._inputs import count_complaints, history_of, mapping_of, party_ids
from propcrm.care._keys import CareKind
from propcrm.care._policy import (
    DEFAULT_CARE_POLICY,
    SATISFACTION_TOP,
    CarePolicy,
    check_policy,
    complaint_window_policy,
)
from propcrm.errors import InvalidCarePlan
from propcrm.parties import Merchant, Owner, PartyBook, Person, Resident, Tenant
from propcrm.time import as_date

__all__ = [
    "PlannedVisit",
    "VisitPlan",
    "VisitPriority",
    "VisitReason",
    "customers_on",
    "plan_visits",
]


class VisitPriority(enum.Enum):
    """Why a customer is in the visit plan, in the order the tiers are visited."""

    COMPLAINED = "complained"
    """Complained within the look-back window and not visited since the latest complaint."""
    DUE = "due"
    """Never visited, or last visited a cadence or more ago."""

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The tier's name: ``'有投诉'`` or ``'到期走访'`` (zh_CN)."""
        # One literal per member, so that extraction finds every message.
        match self:
            case VisitPriority.COMPLAINED:
                return pgettext("visit priority", "complained", locale=locale)
            case VisitPriority.DUE:
                return pgettext("visit priority", "due", locale=locale)


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

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for the visit list."""
        name = check_locale(locale)
        text = self._why(name)
        if self.dissatisfied:
            text = gettext(
                "%(reason)s; last satisfaction %(score)d (dissatisfied)",
                locale=name,
                reason=text,
                score=self.last_satisfaction,
            )
        return text

    def _why(self, locale: str) -> str:
        def day(value: pendulum.Date | None) -> str:
            assert value is not None
            return format_date(value, "medium", locale=locale)

        if self.priority is VisitPriority.COMPLAINED:
            values = {"since": day(self.complaints_from), "latest": day(self.last_complaint)}
            if self.last_visited is not None:
                values["visited"] = day(self.last_visited)
            # "once" is a word of its own in English, not the singular of "%(num)d times".
            if self.complaints == 1 and self.last_visited is None:
                return gettext(
                    "complained once since %(since)s (latest %(latest)s), never visited",
                    locale=locale,
                    **values,
                )
            if self.complaints == 1:
                return gettext(
                    "complained once since %(since)s (latest %(latest)s), last visited %(visited)s",
                    locale=locale,
                    **values,
                )
            if self.last_visited is None:
                return ngettext(
                    "complained %(num)d time since %(since)s (latest %(latest)s), never visited",
                    "complained %(num)d times since %(since)s (latest %(latest)s), never visited",
                    self.complaints,
                    locale=locale,
                    **values,
                )
            return ngettext(
                "complained %(num)d time since %(since)s (latest %(latest)s), last visited "
                "%(visited)s",
                "complained %(num)d times since %(since)s (latest %(latest)s), last visited "
                "%(visited)s",
                self.complaints,
                locale=locale,
                **values,
            )
        if self.last_visited is None:
            return gettext("never visited", locale=locale)
        return gettext(
            "last visited %(visited)s, due since %(due)s",
            locale=locale,
            visited=day(self.last_visited),
            due=day(self.due_since),
        )


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

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line: rank, party and reason."""
        name = check_locale(locale)
        return gettext(
            "%(rank)d. %(party)s: %(reason)s",
            locale=name,
            rank=self.rank,
            party=self.party_id,
            reason=self.reason.describe(name),
        )


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
        if count_complaints(history, first.add(days=middle), last) > 0:
            low = middle
        else:
            high = middle - 1
    return first.add(days=low)


def _check_capacity(capacity: int) -> None:
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
        raise InvalidCarePlan(
            f"capacity {capacity!r} must be an int of 0 or more: the most visits the plan holds.",
            field="capacity",
            value=capacity,
            allowed="int >= 0",
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
    score = SATISFACTION_TOP + 1 if unhappy is None else unhappy
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

    Complaints are read only through :class:`~propcrm.analytics.ComplaintHistory`, so the
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
    ['1. P3：2026年9月2日以来投诉1次（最近一次2026年11月20日），上次走访于2026年11月1日',
     '2. P4：从未走访']
    >>> [v.describe("en_US") for v in plan.visits]
    ['1. P3: complained once since Sep 2, 2026 (latest Nov 20, 2026), last visited Nov 1, 2026',
     '2. P4: never visited']
    >>> [v.party_id for v in plan.deferred], plan.not_due
    (['P2'], ('P1',))
    """
    day = as_date(as_of, "as_of")
    _check_capacity(capacity)
    check_policy(policy)
    mapping_of(complaints, "complaints")
    mapping_of(last_visited, "last_visited")
    ids = party_ids(parties, "parties")
    window = complaint_window_policy(policy)
    planned: list[tuple[str, VisitReason]] = []
    not_due: list[str] = []
    for party_id in ids:
        visited = last_visited.get(party_id)
        visited_on = None if visited is None else as_date(visited, "last_visited")
        if visited_on is not None and visited_on > day:
            raise InvalidCarePlan(
                f"party {party_id} was last visited on {visited_on.isoformat()}, after the "
                f"plan's date {day.isoformat()}; a visit on record is on or before as_of.",
                field="last_visited",
                value=visited_on,
                allowed=f"on or before as_of {day.isoformat()}",
                party_id=party_id,
            )
        reason = _visit_reason(history_of(complaints, party_id), visited_on, day, policy, window)
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


def customers_on(book: PartyBook, on: datetime.date) -> tuple[str, ...]:
    """The parties to care for on ``on``, sorted: the natural ``parties`` of :func:`plan_visits`.

    Owners, tenants, residents and merchants on that day, leaving out merged records and
    parties whose personal data was erased.
    """
    check_instance(book, "book", PartyBook)
    day = as_date(on, "on")
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
