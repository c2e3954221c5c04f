"""有求必应, 有应必解, 有解必答 as a report: requests missing a response, resolution, callback.

The brief's principle (§4) — every request gets a response, every response a resolution, every
resolution a report back to the customer — is enforced by the lifecycle's guards at closing;
:func:`principle_gaps` shows, as of an instant, every request still owed one of the three:

* :attr:`Gap.RESPONSE` (有求必应): its response target has not stopped — no one is on site or
  handling it yet (the response clock is running, or paused by a hold or a mediation);
* :attr:`Gap.RESOLUTION` (有应必解): it was responded to (someone went on site, handled it, or
  reopened it) but is not resolved;
* :attr:`Gap.CALLBACK` (有解必答): it is resolved, and the latest resolution has no callback.

Each request is listed once, under the first principle it is missing: a request no one has
answered is owed a resolution too, but what it waits for now is the response. A request
rejected, marked duplicate or withdrawn owes nothing; a request called back (waiting only for
its closing) or closed owes nothing either — and a request cannot be closed without a callback:
the close transition leaves only from *called back*, and its guards check a resolution and a
callback record.

Everything is **as of** ``as_of``: a request received later is not considered, and one whose
history goes on past ``as_of`` is read as its history stood then (the steps up to ``as_of``,
replayed). Every entry is a :class:`GapEntry` (data: the gap, since when, the deadline of the
target that measures it, whether that target is overdue, who has it, the escalation level);
:class:`GapReport` holds them in a fixed order — overdue first, then the longest waiting, then
by request id — with counts by gap and by kind, and :meth:`GapReport.explain` renders them for
people with babel (zh_CN by default, en_US too).

A leak reported at 23:40 at priority P2 has 15 minutes for a response:

>>> import pendulum
>>> from propcrm.complaints import Action, Actor, Intake, IntakeChannel, Request, RequestKind, Role
>>> from propcrm.classification import Category, Location
>>> agent = Actor("KF-01", Role.AGENT)
>>> night = pendulum.datetime(2026, 11, 24, 23, 40, tz="Asia/Shanghai")
>>> leak = Request.receive(
...     Intake(
...         request_id="R-0001",
...         kind=RequestKind.REPAIR,
...         requester="P-301",
...         unit="1-2-0301",
...         channel=IntakeChannel.HOTLINE,
...         category=Category.WATER_LEAK,
...         location=Location.IN_HOME,
...     ),
...     agent,
...     night,
... ).take(Action.ACKNOWLEDGE, agent, night.add(minutes=1))
>>> report = principle_gaps([leak], as_of=night.add(minutes=20))
>>> (entry,) = report.entries
>>> entry.gap, entry.overdue
(<Gap.RESPONSE: 'response'>, True)
>>> entry.deadline
DateTime(2026, 11, 24, 23, 55, 0, tzinfo=Timezone('Asia/Shanghai'))
>>> report.by_gap[Gap.RESPONSE], report.by_kind[RequestKind.REPAIR]
(1, 1)
>>> for line in report.explain():
...     print(line)
截至 2026/11/25 00:00：未响应 1，未解决 0，未回访 0；已超时 1
R-0001 报修 未响应（有求必应）：2026/11/24 23:40 起，已等待 20分钟，期限 2026/11/24 23:55，已超时
>>> print(entry.explain("en_US"))
R-0001 repair missing a response (every request gets a response) since 11/24/26, 11:40...PM \
(20 minutes); due 11/24/26, 11:55...PM; OVERDUE
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Iterator

import attrs
import pendulum
from babel.dates import format_datetime, format_timedelta

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, ngettext, pgettext
from propcrm._validators import check_text
from propcrm.complaints._kinds import RequestKind
from propcrm.complaints._requests import Request, each_once
from propcrm.complaints._states import State
from propcrm.complaints._steps import HoldReason
from propcrm.complaints._transitions import Action
from propcrm.sla import (
    ClockState,
    SlaClock,
    TargetKind,
)
from propcrm.time import (
    DEFAULT_ZONE,
    aware,
)

__all__ = ["Gap", "GapEntry", "GapReport", "principle_gaps", "status_counts"]


class Gap(enum.Enum):
    """Which of the brief's three promises (§4) a request is still owed. Values are stable codes."""

    RESPONSE = "response"
    """有求必应: no one has responded (on site, or handling it) yet."""
    RESOLUTION = "resolution"
    """有应必解: responded to, not resolved."""
    CALLBACK = "callback"
    """有解必答: resolved, and the resolution not yet reported back (回访)."""

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """What is missing, for people, in ``locale``."""
        match self:
            case Gap.RESPONSE:
                return pgettext("principle gap", "missing a response", locale=locale)
            case Gap.RESOLUTION:
                return pgettext("principle gap", "missing a resolution", locale=locale)
            case Gap.CALLBACK:
                return pgettext("principle gap", "missing a callback", locale=locale)

    def principle(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The principle the gap breaks: the brief's four characters, or their English."""
        match self:
            case Gap.RESPONSE:
                return pgettext("service principle", "every request gets a response", locale=locale)
            case Gap.RESOLUTION:
                return pgettext(
                    "service principle", "every response gets a resolution", locale=locale
                )
            case Gap.CALLBACK:
                return pgettext(
                    "service principle", "every resolution is reported back", locale=locale
                )

    @property
    def target(self) -> TargetKind:
        """The SLA target that measures the gap (its deadline and whether it is overdue)."""
        return _TARGETS[self]


_TARGETS = {
    Gap.RESPONSE: TargetKind.RESPONSE,
    Gap.RESOLUTION: TargetKind.RESOLUTION,
    Gap.CALLBACK: TargetKind.CALLBACK,
}

# Called back (waiting only for its closing) or closed: the three promises are kept.
_KEPT = frozenset({State.CALLED_BACK, State.CLOSED})


@attrs.frozen
class GapEntry:
    """One request missing a response, a resolution or a callback, as of the report's instant.

    Attributes:
        request_id, kind, state, priority: the request as of the report's instant.
        requester, unit: the party who asked (who the callback is owed to), and the unit.
        gap: what it is missing (the first of the three principles it is missing).
        received_at: when the request came in.
        since: when the gap opened: the receipt (or the latest reopen, which asks for the
            response and the resolution again) for a response or a resolution; the latest
            resolution for a callback.
        waited_seconds: wall-clock seconds from ``since`` to the report's instant.
        deadline: the deadline of the SLA target that measures the gap (:attr:`Gap.target`),
            ``None`` when the request has no such target running or paused (the default SLA
            policy has response targets only) or while it is paused with budget left.
        clock_state: that target's clock state, ``None`` when the request has no such target.
        overdue: whether that target had used more than its budget by the report's instant
            (as :mod:`propcrm.sla` counts a breach); never without a target.
        assignee, team, escalation_level, hold_reason: who has it, how far it was escalated,
            and why it is on hold, if it is.
        callback_attempts: unanswered callback attempts for the latest resolution (0 unless the
            gap is a callback).
        reopens: how often the request was reopened.
    """

    request_id: str
    kind: RequestKind
    gap: Gap
    state: State
    priority: str
    requester: str
    unit: str | None
    received_at: pendulum.DateTime
    since: pendulum.DateTime
    waited_seconds: int
    deadline: pendulum.DateTime | None
    clock_state: ClockState | None
    overdue: bool
    assignee: str | None
    team: str | None
    escalation_level: int
    hold_reason: HoldReason | None
    callback_attempts: int
    reopens: int

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE, *, tz: str = DEFAULT_ZONE) -> str:
        """One line for people, in ``locale``, times shown in zone ``tz``."""
        name = check_locale(locale)  # babel formats the times and the wait
        if self.deadline is not None:
            deadline = gettext("due %(time)s", locale=name, time=_when(self.deadline, name, tz))
        elif self.clock_state is ClockState.PAUSED:
            deadline = gettext("clock paused", locale=name)
        else:
            deadline = gettext("no time target", locale=name)
        parts = [deadline]
        if self.overdue:
            parts.append(gettext("OVERDUE", locale=name))
        if self.hold_reason is not None:
            reason = self.hold_reason.label(name)
            parts.append(gettext("on hold: %(reason)s", locale=name, reason=reason))
        if self.assignee is not None:
            parts.append(gettext("assignee %(assignee)s", locale=name, assignee=self.assignee))
        if self.escalation_level:
            level = self.escalation_level
            parts.append(gettext("escalated to level %(level)d", locale=name, level=level))
        if self.callback_attempts:
            parts.append(
                ngettext(
                    "%(num)d unanswered callback attempt",
                    "%(num)d unanswered callback attempts",
                    self.callback_attempts,
                    locale=name,
                )
            )
        waited = datetime.timedelta(seconds=self.waited_seconds)
        # Joined apart: extraction misreads a gettext call nested in another's arguments.
        details = pgettext("clause separator", "; ", locale=name).join(parts)
        return gettext(
            # TRANSLATORS: a request owed a response, resolution or callback: its id, kind, gap,
            # the principle it breaks, since when and for how long, then details (due, ...).
            "%(request)s %(kind)s %(gap)s (%(principle)s) since %(since)s (%(waited)s); "
            "%(details)s",
            locale=name,
            request=self.request_id,
            kind=self.kind.label(name),
            gap=self.gap.label(name),
            principle=self.gap.principle(name),
            since=_when(self.since, name, tz),
            waited=format_timedelta(waited, locale=name),
            details=details,
        )


def _when(value: pendulum.DateTime, locale: str, tz: str) -> str:
    # A zone is named, never left out: the same report read in two zones must say which.
    check_text(tz, "tz", example="'Asia/Shanghai'")
    return format_datetime(aware(value, tz), "short", locale=locale)


def _entry_order(entry: GapEntry) -> tuple[bool, pendulum.DateTime, str]:
    return (not entry.overdue, entry.since, entry.request_id)


@attrs.frozen
class GapReport:
    """The requests missing a response, a resolution or a callback as of ``as_of``.

    ``entries`` are in the report's order: overdue first, then by ``since`` (the longest
    waiting first), then by request id. ``considered`` counts the requests received by
    ``as_of``, listed or not.
    """

    as_of: pendulum.DateTime
    entries: tuple[GapEntry, ...]
    considered: int

    def __iter__(self) -> Iterator[GapEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def of(self, gap: Gap) -> tuple[GapEntry, ...]:
        """The entries missing ``gap``, in the report's order."""
        return tuple(e for e in self.entries if e.gap is gap)

    @property
    def overdue(self) -> tuple[GapEntry, ...]:
        """The entries whose target is overdue (they come first in ``entries``)."""
        return tuple(e for e in self.entries if e.overdue)

    def count(self, gap: Gap | None = None, kind: RequestKind | None = None) -> int:
        """Entries with ``gap`` and of ``kind`` (``None``: any)."""
        return sum(
            1
            for e in self.entries
            if (gap is None or e.gap is gap) and (kind is None or e.kind is kind)
        )

    @property
    def by_gap(self) -> dict[Gap, int]:
        """Entries per gap, every gap listed (zero when none), in the principle's order."""
        return {gap: self.count(gap=gap) for gap in Gap}

    @property
    def by_kind(self) -> dict[RequestKind, int]:
        """Entries per request kind, every kind listed (zero when none)."""
        return {kind: self.count(kind=kind) for kind in RequestKind}

    def explain(
        self, locale: LocaleLike = DEFAULT_LOCALE, *, tz: str = DEFAULT_ZONE
    ) -> tuple[str, ...]:
        """A summary line, then one line per entry, in ``locale`` with times in zone ``tz``."""
        name = check_locale(locale)  # babel formats the report's instant
        counts = self.by_gap
        tally = pgettext("count separator", ", ", locale=name).join(
            # TRANSLATORS: one gap's count in a report's summary, e.g. "2 missing a callback".
            gettext("%(count)d %(gap)s", locale=name, count=counts[gap], gap=gap.label(name))
            for gap in Gap
        )
        head = gettext(
            "As of %(time)s: %(tally)s; %(overdue)d overdue",
            locale=name,
            time=_when(self.as_of, name, tz),
            tally=tally,
            overdue=len(self.overdue),
        )
        return (head, *(entry.explain(name, tz=tz) for entry in self.entries))


# -- building the report ----------------------------------------------------------------------


def _instant(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="as_of")


def _requests(requests: Iterable[Request]) -> tuple[Request, ...]:
    return each_once(requests, "a report")


def _gap(request: Request) -> Gap | None:
    if request.is_final or request.state in _KEPT:
        return None
    # The policy refuses an SLA level without a response target (有求必应), and a priority
    # change only moves between levels, so every request has this clock.
    if request.clocks.clock(TargetKind.RESPONSE).is_open:
        return Gap.RESPONSE
    if request.state is State.RESOLVED:
        return Gap.CALLBACK
    return Gap.RESOLUTION


def _clock(request: Request, kind: TargetKind) -> SlaClock | None:
    return next((c for c in request.clocks.clocks if c.kind is kind), None)


def _since(request: Request, gap: Gap) -> pendulum.DateTime:
    if gap is Gap.CALLBACK:
        assert request.resolved_at is not None  # a resolved request has it
        return request.resolved_at
    reopened = [s.at for s in request.history if s.action is Action.REOPEN]
    return reopened[-1] if reopened else request.received_at


def _entry(request: Request, gap: Gap, at: pendulum.DateTime) -> GapEntry:
    clock = _clock(request, gap.target)
    running = clock is not None and clock.is_open
    since = _since(request, gap)
    return GapEntry(
        request_id=request.request_id,
        kind=request.kind,
        gap=gap,
        state=request.state,
        priority=request.priority,
        requester=request.intake.requester,
        unit=request.intake.unit,
        received_at=request.received_at,
        since=since,
        waited_seconds=int((at - since).total_seconds()),
        deadline=clock.deadline if clock is not None and running else None,
        clock_state=None if clock is None else clock.state,
        overdue=clock is not None and running and clock.remaining(at) < 0,
        assignee=request.assignee,
        team=request.team,
        escalation_level=request.escalation_level,
        hold_reason=request.hold_reason,
        callback_attempts=request.callback_attempts if gap is Gap.CALLBACK else 0,
        reopens=request.reopens,
    )


def principle_gaps(requests: Iterable[Request], *, as_of: datetime.datetime) -> GapReport:
    """The requests that, as of ``as_of``, miss a response, a resolution or a callback (§4).

    See the module text for what each gap means and the report's order. Requests are read as
    their histories stood at ``as_of``; each request id may be given once.
    """
    at = _instant(as_of)
    entries: list[GapEntry] = []
    considered = 0
    for request in _requests(requests):
        then = request.as_of(at)
        if then is None:
            continue
        considered += 1
        gap = _gap(then)
        if gap is not None:
            entries.append(_entry(then, gap, at))
    return GapReport(at, tuple(sorted(entries, key=_entry_order)), considered)


def status_counts(
    requests: Iterable[Request], *, as_of: datetime.datetime | None = None
) -> dict[tuple[State, RequestKind], int]:
    """How many requests are in each state, by kind: ``(state, kind) → count``.

    Only the pairs that occur are listed, in the order of :class:`State`, then of
    :class:`RequestKind`. With ``as_of``, each request is counted in the state its history
    had then, and requests received later are left out; without, in its current state.
    """
    at = None if as_of is None else _instant(as_of)
    tally: dict[tuple[State, RequestKind], int] = {}
    for request in _requests(requests):
        then = request if at is None else request.as_of(at)
        if then is not None:
            key = (then.state, then.kind)
            tally[key] = tally.get(key, 0) + 1
    states, kinds = list(State), list(RequestKind)
    return {
        key: tally[key]
        for key in sorted(tally, key=lambda k: (states.index(k[0]), kinds.index(k[1])))
    }
