"""The complaint side of segmentation: a party's complaints and callback scores, from its requests.

Segmentation (brief §5: "frequent complainers", and the at-risk customers who complained and
rated us low) reads a party's complaints through the
:class:`~propcrm.parties.ComplaintHistory` protocol, so that :mod:`propcrm.parties` never
imports the complaints model. :class:`ComplaintLog` implements it from the party's
:class:`~propcrm.complaints.Request` values; pass one as ``complaints=`` to
:class:`~propcrm.parties.SegmentSubject` (or to
:func:`~propcrm.analytics.segment_subject`), or the mapping
:func:`complaint_logs` builds for a whole portfolio to the care plans of
:mod:`propcrm.care`.

What counts (each a choice the brief leaves open, made here):

- **a complaint** is a request of kind :attr:`~propcrm.complaints.RequestKind.COMPLAINT` made
  by the party (its intake's ``requester``), counted on the local date it was received (in
  ``zone``, Asia/Shanghai by default). Repairs, enquiries and the other kinds are not
  complaints, however unhappy;
- **a duplicate** does not count: the complaint it repeats is counted once, as the original.
  It counts for the days before it was marked duplicate, though — ``complaints_between(first,
  last)`` counts what was known on ``last`` — so a segment evaluated on an earlier date reads
  the record as it stood then;
- **a rejected complaint counts** (:data:`DEFAULT_COUNT_REJECTED`): a complaint turned away
  as a matter for the utility or the residents' committee was still made to us, and how often
  a resident complains is what the segment measures. ``count_rejected=False`` leaves it out
  from the day of its rejection, like a duplicate. A **withdrawn** complaint counts too;
- **satisfaction** is the score given at a callback (回访) of any of the party's requests,
  of any kind: a repair's callback says as much about how the party rates us as a
  complaint's. ``last_satisfaction(as_of)`` is the latest score given on or before that
  local date; an unreachable callback gave none and is skipped.

A resident complains about noise on 3 and 20 November, and on the 20th once more about the same
noise:

>>> import pendulum
>>> from propcrm.complaints import (
...     Action,
...     Actor,
...     CallbackOutcome,
...     Intake,
...     IntakeChannel,
...     Request,
...     RequestKind,
...     Role,
... )
>>> from propcrm.classification import Category
>>> desk, boss = Actor("KF-01", Role.AGENT), Actor("S-1", Role.SUPERVISOR)
>>> def complaint(request_id, day):
...     intake = Intake(
...         request_id=request_id,
...         kind=RequestKind.COMPLAINT,
...         requester="P-301",
...         channel=IntakeChannel.APP,
...         category=Category.NOISE,
...         description="楼上深夜噪音",
...     )
...     at = pendulum.datetime(2026, 11, day, 20, 0, tz="Asia/Shanghai")
...     return Request.receive(intake, desk, at).take(Action.ACKNOWLEDGE, desk, at)
>>> at = pendulum.datetime(2026, 11, 3, 20, 0, tz="Asia/Shanghai")
>>> first = (
...     complaint("C-1", 3)
...     .take(Action.ASSESS, desk, at)
...     .take(Action.DISPATCH, desk, at, assignee="S-1")
...     .take(Action.START, boss, at)
...     .take(Action.RESOLVE, boss, at.add(days=1), note="已约谈楼上住户")
...     .take(Action.CALL_BACK, desk, at.add(days=2), outcome=CallbackOutcome.SATISFIED, score=4)
... )
>>> again = complaint("C-2", 20)
>>> same = complaint("C-3", 20).take(
...     Action.MARK_DUPLICATE, desk, at.add(days=18), reason="同一噪音", duplicate_of="C-2"
... )
>>> log = ComplaintLog.of([first, again, same], "P-301")
>>> log.complaints_between(pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 30))
2
>>> log.complaints_between(pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 20))
3
>>> (
...     log.last_satisfaction(pendulum.date(2026, 11, 4)),
...     log.last_satisfaction(pendulum.date(2026, 11, 30)),
... )
(None, 4)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import attrs
import pendulum

from propcrm._validators import (
    check_instance,
    check_record_id,
    check_text,
    check_unique,
)
from propcrm.analytics import SATISFACTION_SCALE
from propcrm.complaints._kinds import RequestKind
from propcrm.complaints._requests import Request, each_once
from propcrm.complaints._transitions import Action
from propcrm.errors import InvalidRequest
from propcrm.time import (
    DEFAULT_ZONE,
    as_date,
    aware,
    local_date,
)
from propcrm.time import zone as iana_zone

__all__ = [
    "DEFAULT_COUNT_REJECTED",
    "CallbackScore",
    "ComplaintLog",
    "LoggedComplaint",
    "complaint_logs",
]

_T = TypeVar("_T")

DEFAULT_COUNT_REJECTED = True
"""Whether a rejected complaint still counts as a complaint (not from the brief; see above)."""


def _id(_instance: object, attribute: Any, value: Any) -> None:
    check_record_id(value, attribute.name, InvalidRequest)


def _day(value: Any) -> pendulum.Date:
    return as_date(value, "day")


def _optional_day(value: Any) -> pendulum.Date | None:
    return None if value is None else as_date(value, "set_aside_on")


def _instant(value: Any) -> pendulum.DateTime:
    return aware(value, field="at")


def _score(_instance: object, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SATISFACTION_SCALE:
        low, high = min(SATISFACTION_SCALE), max(SATISFACTION_SCALE)
        raise InvalidRequest(
            f"a satisfaction score is an int from {low} to {high} (brief §4), not {value!r}.",
            field=attribute.name,
            value=value,
            allowed=f"int {low} to {high}",
        )


@attrs.frozen
class LoggedComplaint:
    """One complaint as segmentation counts it: received on a local date, perhaps set aside.

    ``set_aside_on`` is the local date it stopped counting (marked a duplicate, or rejected when
    rejected complaints do not count); it counts on every day before that one.
    """

    request_id: str = attrs.field(validator=_id)
    received_on: pendulum.Date = attrs.field(converter=_day)
    set_aside_on: pendulum.Date | None = attrs.field(default=None, converter=_optional_day)

    def __attrs_post_init__(self) -> None:
        if self.set_aside_on is not None and self.set_aside_on < self.received_on:
            raise InvalidRequest(
                f"complaint {self.request_id} is set aside on {self.set_aside_on}, before it was "
                f"received on {self.received_on}.",
                field="set_aside_on",
                value=self.set_aside_on,
                allowed=f"on or after {self.received_on}",
                request_id=self.request_id,
            )

    def counts_on(self, day: pendulum.Date) -> bool:
        """Whether, as known on ``day``, the complaint counts (received by then, not set aside)."""
        return self.received_on <= day and (self.set_aside_on is None or day < self.set_aside_on)


@attrs.frozen
class CallbackScore:
    """A satisfaction score (1–5) given at a callback (回访), and when: instant and local date."""

    request_id: str = attrs.field(validator=_id)
    at: pendulum.DateTime = attrs.field(converter=_instant)
    given_on: pendulum.Date = attrs.field(converter=_day)
    score: int = attrs.field(validator=_score)


def _items(value: object, kind: type[_T], field: str) -> tuple[_T, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidRequest(
            f"a complaint log's {field} are a collection of {kind.__name__} values, not {value!r}.",
            field=field,
            value=value,
            allowed=f"an iterable of {kind.__name__}",
        )
    found = tuple(value)
    for item in found:
        if not isinstance(item, kind):
            raise InvalidRequest(
                f"a complaint log holds {kind.__name__} values, not {item!r}.",
                field=field,
                value=item,
                allowed=kind.__name__,
            )
    return found


def _complaints(value: Iterable[LoggedComplaint]) -> tuple[LoggedComplaint, ...]:
    found = _items(value, LoggedComplaint, "complaints")
    # One request is one complaint: the same id twice would count it twice.
    check_unique((c.request_id for c in found), "complaints", InvalidRequest, what="request id")
    return tuple(sorted(found, key=lambda c: (c.received_on, c.request_id)))


def _scores(value: Iterable[CallbackScore]) -> tuple[CallbackScore, ...]:
    found = _items(value, CallbackScore, "scores")
    # By instant, so the latest score on a day is the one given last; a tie by request id.
    return tuple(sorted(found, key=lambda s: (s.at, s.request_id)))


def _zone(_instance: object, attribute: Any, value: Any) -> None:
    _check_zone(value, attribute.name)


def _check_zone(value: object, field: str) -> None:
    check_text(value, field, InvalidRequest, example="'Asia/Shanghai'")
    iana_zone(str(value))  # UnknownTimeZone for a name that is not an IANA zone


@attrs.frozen
class ComplaintLog:
    """A party's complaints and callback scores: a :class:`~propcrm.parties.ComplaintHistory`.

    Build it with :meth:`of` (or :func:`complaint_logs` for a portfolio); the fields are sorted
    (complaints by day, scores by instant). ``zone`` is the zone whose local dates it holds.
    """

    party_id: str = attrs.field(validator=_id)
    complaints: tuple[LoggedComplaint, ...] = attrs.field(default=(), converter=_complaints)
    scores: tuple[CallbackScore, ...] = attrs.field(default=(), converter=_scores)
    zone: str = attrs.field(default=DEFAULT_ZONE, validator=_zone, kw_only=True)

    @classmethod
    def of(
        cls,
        requests: Iterable[Request],
        party_id: str,
        *,
        zone: str = DEFAULT_ZONE,
        count_rejected: bool = DEFAULT_COUNT_REJECTED,
    ) -> ComplaintLog:
        """The log of ``party_id`` from ``requests`` (other parties' requests are skipped).

        Each request id may be given once. See the module text for what counts.
        """
        check_record_id(party_id, "party_id", InvalidRequest)
        check_instance(count_rejected, "count_rejected", bool)
        mine = [r for r in _requests(requests) if r.intake.requester == party_id]
        return _log(party_id, mine, zone, count_rejected)

    def complaints_between(self, first: datetime.date, last: datetime.date) -> int:
        """Complaints received on local days from ``first`` to ``last``, both included.

        A complaint marked duplicate (or rejected, when those do not count) on or before
        ``last`` is left out: the count is the record as it stood on ``last``.
        """
        start, end = as_date(first, "first"), as_date(last, "last")
        return sum(1 for c in self.complaints if start <= c.received_on and c.counts_on(end))

    def last_satisfaction(self, as_of: datetime.date) -> int | None:
        """The latest callback score given on or before the local date ``as_of``; else ``None``."""
        day = as_date(as_of, "as_of")
        latest = None
        for given in self.scores:
            if given.given_on > day:
                break
            latest = given.score
        return latest


def _requests(requests: Iterable[Request]) -> tuple[Request, ...]:
    return each_once(requests, "a complaint log")


def _set_aside(request: Request, zone: str, count_rejected: bool) -> pendulum.Date | None:
    ending = {Action.MARK_DUPLICATE} if count_rejected else {Action.MARK_DUPLICATE, Action.REJECT}
    for step in request.history:
        if step.action in ending:
            return local_date(step.at, zone)
    return None


def _log(party_id: str, requests: Iterable[Request], tz: str, count_rejected: bool) -> ComplaintLog:
    _check_zone(tz, "zone")  # UnknownTimeZone before any date is taken in it
    complaints: list[LoggedComplaint] = []
    scores: list[CallbackScore] = []
    for request in requests:
        if request.kind is RequestKind.COMPLAINT:
            complaints.append(
                LoggedComplaint(
                    request.request_id,
                    local_date(request.received_at, tz),
                    _set_aside(request, tz, count_rejected),
                )
            )
        scores.extend(
            CallbackScore(request.request_id, callback.at, local_date(callback.at, tz), score)
            for callback in request.callbacks
            if (score := callback.score) is not None
        )
    return ComplaintLog(party_id, complaints, scores, zone=tz)


def complaint_logs(
    requests: Iterable[Request],
    *,
    zone: str = DEFAULT_ZONE,
    count_rejected: bool = DEFAULT_COUNT_REJECTED,
) -> Mapping[str, ComplaintLog]:
    """A log for every party that made one of ``requests``, by party id (sorted).

    A party with requests but no complaints has a log that counts zero (known: no
    complaints); a party with no request has none (segmentation then says "no complaint
    record", which is not the same as none).
    """
    check_instance(count_rejected, "count_rejected", bool)
    _check_zone(zone, "zone")  # UnknownTimeZone before any request is read
    by_party: dict[str, list[Request]] = {}
    for request in _requests(requests):
        by_party.setdefault(request.intake.requester, []).append(request)
    return {party: _log(party, by_party[party], zone, count_rejected) for party in sorted(by_party)}
