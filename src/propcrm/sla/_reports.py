"""SLA attainment: met and breached counts, percent met, median and 90th-percentile times.

Reports read plain frozen :class:`SlaRecord` values, one per target cycle, so anything that
measures a deadline (service requests today, complaints later) can feed them;
:func:`records_of` makes them from a request's clocks. :func:`attainment` groups them by any of
priority, category, team, target kind and period.

Definitions:

* **met**: stopped having used no more business time than the budget; **breached**: stopped
  having used more, or still open with more used by the report's ``as_of`` instant; **open**:
  still open within budget (counted apart, in neither).
* **percent met** = met / (met + breached) × 100, rounded once to :data:`PERCENT_PLACES` (1)
  places with :data:`PERCENT_ROUNDING` (half up); ``None`` when nothing is decided.
* **times** are the business seconds used by the stopped records (met or breached); the median
  and the 90th percentile are by the **nearest-rank** method: the value at rank
  ⌈p/100 × n⌉ of the n times sorted ascending, so every reported time is one that occurred (the
  median of an even count is the lower middle value).
* **reopens**: the number of reopens of the records in the group.

>>> from propcrm.sla import TargetKind
>>> t = pendulum.datetime(2026, 11, 2, 9, 0, tz="Asia/Shanghai")
>>> def record(request_id, used, reopens=0):
...     return SlaRecord(
...         request_id,
...         TargetKind.RESPONSE,
...         "P1",
...         used_seconds=used,
...         budget_seconds=600,
...         started_at=t,
...         stopped_at=t.add(seconds=used),
...         reopens=reopens,
...         category="water_leak",
...     )
>>> rows = attainment([record("R-1", 300), record("R-2", 540), record("R-3", 900, reopens=1)])
>>> row = rows[0]
>>> row.key, row.met, row.breached, row.percent_met, row.median_seconds, row.p90_seconds
((('priority', 'P1'),), 2, 1, Decimal('66.7'), 540, 900)
>>> [r.request_id for r in row.breaches], row.reopens
(['R-3'], 1)
"""

from __future__ import annotations

import datetime
import decimal
import enum
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from propcrm._validators import (
    check_instance,
    check_int,
    check_items,
    check_text,
    check_unique,
    instance_of,
)
from propcrm.errors import InvalidPolicy, InvalidType, UnknownTimeZone
from propcrm.money import (
    RoundingMode,
    quantize,
)
from propcrm.sla._business_time import HORIZON_YEARS
from propcrm.sla._clock import SlaClock
from propcrm.sla._clock_records import ClockState, CycleOutcome
from propcrm.sla._request_clocks import RequestClocks
from propcrm.sla._targets import TargetKind
from propcrm.time import (
    DEFAULT_ZONE,
    BillingPeriod,
    PeriodKind,
    aware,
    local_date,
    zone,
)

__all__ = [
    "MEDIAN_PERCENT",
    "P90_PERCENT",
    "PERCENT_PLACES",
    "PERCENT_ROUNDING",
    "AttainmentRow",
    "RecordStatus",
    "ReportDimension",
    "SlaRecord",
    "attainment",
    "nearest_rank",
    "records_of",
]

PERCENT_PLACES = 1
"""Decimal places of percent met."""

PERCENT_ROUNDING = RoundingMode.HALF_UP
"""How percent met is rounded (四舍五入), once, at the end."""

MEDIAN_PERCENT = 50
"""The median is the 50th percentile (nearest rank)."""

P90_PERCENT = 90
"""The upper percentile reported."""

# Percent met is met × 100 / decided, rounded once with the declared mode. The division runs in
# its own 60-digit context: no count a report holds is close enough to a rounding tie for the
# digits beyond the 60th to matter, and the ambient context is never read.
_DIVISION = decimal.Context(prec=60, traps=[decimal.InvalidOperation, decimal.DivisionByZero])


class RecordStatus(enum.Enum):
    """Whether a record's target was met, breached, or is still open within budget."""

    MET = "met"
    BREACHED = "breached"
    OPEN = "open"


def _instant(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="started_at")


def _optional_instant(value: datetime.datetime | None) -> pendulum.DateTime | None:
    return None if value is None else aware(value)


# No record measures more business time than the calendars' horizon holds.
_MAX_SECONDS = (HORIZON_YEARS + 1) * 366 * 86_400


def _seconds(_instance: object, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_SECONDS:
        raise InvalidPolicy(
            f"{attribute.name} {value!r} must be whole seconds, from 0 to {_MAX_SECONDS}.",
            field=attribute.name,
            value=value,
            allowed=f"int seconds from 0 to {_MAX_SECONDS}",
        )


def _id(_instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidPolicy(
            f"an SLA record needs a {attribute.name}, not {value!r}.",
            field=attribute.name,
            value=value,
            allowed="non-empty text",
        )


def _label(value: object, field: str) -> None:
    if value is not None:
        check_text(value, field, InvalidPolicy)


def _optional_label(_instance: object, attribute: Any, value: Any) -> None:
    _label(value, attribute.name)


def _count(minimum: int) -> Callable[[object, Any, Any], None]:
    def check(_instance: object, attribute: Any, value: Any) -> None:
        check_int(value, attribute.name, InvalidPolicy, minimum=minimum)

    return check


@attrs.frozen
class SlaRecord:
    """One cycle of one target of one request (or complaint), as a report reads it.

    ``used_seconds`` is the business time used (at the stop, or at the report instant while
    open); ``budget_seconds`` the target's budget; ``failed_by`` what was used beyond it;
    ``stopped_at`` is ``None`` while the target is open. The status follows from them.
    """

    request_id: str = attrs.field(validator=_id)
    kind: TargetKind = attrs.field(validator=instance_of(TargetKind))
    priority: str = attrs.field(validator=_id)
    used_seconds: int = attrs.field(kw_only=True, validator=_seconds)
    budget_seconds: int = attrs.field(kw_only=True, validator=_seconds)
    started_at: pendulum.DateTime = attrs.field(kw_only=True, converter=_instant)
    deadline: pendulum.DateTime | None = attrs.field(
        default=None, kw_only=True, converter=_optional_instant
    )
    stopped_at: pendulum.DateTime | None = attrs.field(
        default=None, kw_only=True, converter=_optional_instant
    )
    category: str | None = attrs.field(default=None, kw_only=True, validator=_optional_label)
    team: str | None = attrs.field(default=None, kw_only=True, validator=_optional_label)
    cycle: int = attrs.field(default=1, kw_only=True, validator=_count(1))
    reopens: int = attrs.field(default=0, kw_only=True, validator=_count(0))

    def __attrs_post_init__(self) -> None:
        if self.stopped_at is not None and self.stopped_at < self.started_at:
            raise InvalidPolicy(
                f"record {self.request_id} stops at {self.stopped_at.isoformat()}, before it "
                f"starts at {self.started_at.isoformat()}.",
                field="stopped_at",
                value=self.stopped_at,
                allowed=f"at or after {self.started_at.isoformat()}",
                request_id=self.request_id,
            )

    @property
    def failed_by(self) -> int:
        """Business seconds used beyond the budget."""
        return max(0, self.used_seconds - self.budget_seconds)

    @property
    def status(self) -> RecordStatus:
        """Breached if more than the budget was used; else met if stopped, open if not."""
        if self.used_seconds > self.budget_seconds:
            return RecordStatus.BREACHED
        return RecordStatus.OPEN if self.stopped_at is None else RecordStatus.MET


def _from_outcome(
    request: RequestClocks,
    outcome: CycleOutcome,
    kind: TargetKind,
    category: str | None,
    team: str | None,
) -> SlaRecord:
    return SlaRecord(
        request.request_id,
        kind,
        request.priority,
        used_seconds=outcome.consumed,
        budget_seconds=outcome.budget,
        started_at=outcome.started_at,
        deadline=outcome.deadline,
        stopped_at=outcome.stopped_at,
        cycle=outcome.cycle,
        reopens=outcome.reopens,
        category=category,
        team=team,
    )


def _current(
    request: RequestClocks,
    clock: SlaClock,
    as_of: pendulum.DateTime,
    category: str | None,
    team: str | None,
) -> SlaRecord | None:
    outcome = clock.outcome()
    if outcome is not None:
        return _from_outcome(request, outcome, clock.kind, category, team)
    if clock.state not in (ClockState.RUNNING, ClockState.PAUSED):
        return None
    assert clock.anchor is not None  # an open clock has started
    used = clock.consumed_at(as_of)
    return SlaRecord(
        request.request_id,
        clock.kind,
        request.priority,
        used_seconds=used,
        budget_seconds=clock.budget,
        started_at=clock.anchor,
        deadline=clock.deadline,
        cycle=clock.cycle,
        reopens=clock.reopens,
        category=category,
        team=team,
    )


def records_of(
    request: RequestClocks,
    *,
    as_of: datetime.datetime,
    category: str | None = None,
    team: str | None = None,
) -> tuple[SlaRecord, ...]:
    """The records of every cycle of every target of ``request``, as of the instant ``as_of``.

    Cancelled and unstarted targets have none; earlier cycles (closed by a new-cycle reopen)
    have one each. The request's current priority labels them all.
    """
    when = aware(as_of, field="as_of")
    check_instance(request, "request", RequestClocks)
    _label(category, "category")
    _label(team, "team")
    found: list[SlaRecord] = []
    for clock in request.clocks:
        found.extend(_from_outcome(request, o, clock.kind, category, team) for o in clock.outcomes)
        current = _current(request, clock, when, category, team)
        if current is not None:
            found.append(current)
    return tuple(found)


def nearest_rank(values: Sequence[int], percent: int) -> int | None:
    """The ``percent``-th percentile of ``values`` by nearest rank; ``None`` for no values.

    >>> nearest_rank([10, 20, 30, 40], 50), nearest_rank([10, 20, 30, 40], 90)
    (20, 40)
    """
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 < percent <= 100:
        raise InvalidPolicy(
            f"percentile {percent!r} must be an int from 1 to 100.",
            field="percent",
            value=percent,
            allowed="int from 1 to 100",
        )
    if not values:
        return None
    ordered = sorted(values)
    rank = -(-percent * len(ordered) // 100)
    return ordered[rank - 1]


class ReportDimension(enum.Enum):
    """What attainment can be grouped by."""

    PRIORITY = "priority"
    CATEGORY = "category"
    TEAM = "team"
    KIND = "kind"
    PERIOD = "period"


@attrs.frozen
class AttainmentRow:
    """Attainment of one group of records; ``key`` pairs each dimension's name with its value."""

    key: tuple[tuple[str, str | None], ...]
    met: int
    breached: int
    open: int
    percent_met: Decimal | None
    median_seconds: int | None
    p90_seconds: int | None
    reopens: int
    breaches: tuple[SlaRecord, ...]

    @property
    def decided(self) -> int:
        """Records met or breached."""
        return self.met + self.breached


def _value(
    record: SlaRecord, dimension: ReportDimension, period: PeriodKind, tz: str
) -> str | None:
    match dimension:
        case ReportDimension.PRIORITY:
            return record.priority
        case ReportDimension.CATEGORY:
            return record.category
        case ReportDimension.TEAM:
            return record.team
        case ReportDimension.KIND:
            return record.kind.value
        case ReportDimension.PERIOD:
            return BillingPeriod.containing(local_date(record.started_at, tz), period).code


def _percent(met: int, decided: int, places: int, rounding: RoundingMode) -> Decimal | None:
    if decided == 0:
        return None
    exact = _DIVISION.divide(Decimal(met * 100), Decimal(decided))
    return quantize(exact, places, rounding)


def _sort_key(row: AttainmentRow) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, value or "") for _name, value in row.key)


def attainment(
    records: Iterable[SlaRecord],
    *,
    by: Sequence[ReportDimension] = (ReportDimension.PRIORITY,),
    period: PeriodKind = PeriodKind.MONTH,
    tz: str = DEFAULT_ZONE,
    places: int = PERCENT_PLACES,
    rounding: RoundingMode = PERCENT_ROUNDING,
) -> tuple[AttainmentRow, ...]:
    """Attainment per group of ``records``, grouped by the dimensions ``by``, sorted by key.

    A record's period is the :class:`~propcrm.time.BillingPeriod` of kind ``period`` holding its
    start's local date in ``tz``. ``by=()`` gives one row for all records.
    """
    dimensions = check_items(by, "by", error=InvalidPolicy)
    check_instance(period, "period", PeriodKind)
    check_instance(rounding, "rounding", RoundingMode)
    if not isinstance(tz, str):
        raise UnknownTimeZone(
            f"tz {tz!r} must be an IANA zone name, e.g. 'Asia/Shanghai'.",
            field="tz",
            value=tz,
            allowed="an IANA zone name",
        )
    zone(tz)
    if len(set(dimensions)) != len(dimensions) or not all(
        isinstance(d, ReportDimension) for d in dimensions
    ):
        raise InvalidPolicy(
            f"group by {dimensions!r}: each ReportDimension at most once.",
            field="dimensions",
            value=dimensions,
            allowed="each ReportDimension at most once",
        )
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 10:
        raise InvalidPolicy(
            f"percent places {places!r} must be an int from 0 to 10.",
            field="places",
            value=places,
            allowed="int from 0 to 10",
        )
    groups: dict[tuple[tuple[str, str | None], ...], list[SlaRecord]] = {}
    given = check_items(records, "records", error=InvalidPolicy)
    for record in given:
        if not isinstance(record, SlaRecord):
            raise InvalidType(
                f"attainment reads SlaRecord values, not {record!r}.",
                field="records",
                value=record,
                allowed="SlaRecord",
            )
    # A cycle counted twice would count its outcome twice.
    check_unique(
        ((r.request_id, r.kind.value, r.cycle) for r in given),
        "records",
        InvalidPolicy,
        what="(request, target, cycle)",
    )
    for record in given:
        key = tuple((d.value, _value(record, d, period, tz)) for d in dimensions)
        groups.setdefault(key, []).append(record)
    rows = []
    for key, members in groups.items():
        met = [r for r in members if r.status is RecordStatus.MET]
        breached = [r for r in members if r.status is RecordStatus.BREACHED]
        times = [r.used_seconds for r in members if r.stopped_at is not None]
        rows.append(
            AttainmentRow(
                key=key,
                met=len(met),
                breached=len(breached),
                open=len(members) - len(met) - len(breached),
                percent_met=_percent(len(met), len(met) + len(breached), places, rounding),
                median_seconds=nearest_rank(times, MEDIAN_PERCENT),
                p90_seconds=nearest_rank(times, P90_PERCENT),
                reopens=sum(r.reopens for r in members),
                breaches=tuple(sorted(breached, key=lambda r: (r.started_at, r.request_id))),
            )
        )
    return tuple(sorted(rows, key=_sort_key))
