"""The demo's service desk: requests classified, with SLA deadlines and what decided them.

Five requests around National Day 2025 and a March morning: a gas smell at midnight, a blocked
lawn after the day's cut-off on the eve of the holiday, a leak reported on a make-up Sunday, a
lift fault raised to 特急 by staff after five minutes, and a water cut paused while the
resident was out.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pendulum

from propcrm._i18n import LocaleLike, check_locale, gettext
from propcrm.classification import (
    DEFAULT_RULES,
    Category,
    Classification,
    Location,
    Priority,
    RequesterAttribute,
    RequesterProfile,
    RequestFacts,
    classify,
)
from propcrm.complaints import reason_text
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    BusinessCalendar,
    CalendarSet,
    Paused,
    PriorityChanged,
    RequestClocks,
    Resumed,
    SlaEvent,
    Started,
)
from propcrm.time import DEFAULT_ZONE

__all__ = ["SampleRequest", "request_clocks", "run_service", "sample_requests"]


@attrs.frozen
class SampleRequest:
    """A request of the demo: its id, what the resident said, and what happened to it."""

    request_id: str
    facts: RequestFacts
    later: tuple[SlaEvent, ...] = ()


def _at(year: int, month: int, day: int, hour: int, minute: int) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=DEFAULT_ZONE)


def sample_requests() -> tuple[SampleRequest, ...]:
    """The demo's five requests."""
    return (
        SampleRequest(
            "R-01",
            RequestFacts(
                category=Category.GAS_SMELL,
                location=Location.IN_HOME,
                description="厨房燃气味道很重",
                received_at=_at(2025, 9, 30, 23, 55),
            ),
        ),
        SampleRequest(
            "R-02",
            RequestFacts(
                category=Category.GREENING,
                location=Location.COMMON_AREA,
                description="5号楼前草坪该修剪了",
                received_at=_at(2025, 9, 30, 16, 30),
            ),
        ),
        SampleRequest(
            "R-03",
            RequestFacts(
                category=Category.PEST,
                location=Location.COMMON_AREA,
                description="垃圾房有蟑螂",
                received_at=_at(2025, 9, 28, 10, 0),
            ),
        ),
        SampleRequest(
            "R-04",
            RequestFacts(
                category=Category.LIFT_FAULT,
                location=Location.COMMON_AREA,
                description="3号楼电梯异响",
                received_at=_at(2026, 3, 2, 9, 0),
            ),
            (
                PriorityChanged(
                    _at(2026, 3, 2, 9, 5), "值班主管", "电梯内有老人被困", priority="P1"
                ),
            ),
        ),
        SampleRequest(
            "R-05",
            RequestFacts(
                category=Category.NO_WATER,
                location=Location.IN_HOME,
                description="家里停水了",
                requester=RequesterProfile.of(RequesterAttribute.ELDERLY_LIVING_ALONE),
                received_at=_at(2026, 3, 2, 9, 20),
            ),
            (
                Paused(_at(2026, 3, 2, 9, 25), "维修 王师傅", "业主外出，约定回来再入户"),
                Resumed(_at(2026, 3, 2, 9, 45), "维修 王师傅"),
            ),
        ),
    )


def _calendars() -> CalendarSet:
    # The hotline answers 24×7; the service desk keeps China's working days (make-up days too).
    return CalendarSet((BusinessCalendar.always(), BusinessCalendar.china_service_hours()))


def _level(priority: Priority, locale: str) -> str:
    # A level as the classification's explanation writes it: its code and its name.
    return f"{priority.code} {priority.name(locale)}"


def _priority_changes(request: SampleRequest, found: Classification, locale: str) -> list[str]:
    """Each change of priority after intake: when, who, from what, to what, and why.

    The deadlines follow the priority in force, so a request shown at its classified priority
    must also show every later change, or a P2 request would seem to have P1's deadline.
    """
    lines = []
    before = found.priority
    for event in request.later:
        if not isinstance(event, PriorityChanged):
            continue
        after = found.scale[event.priority]
        lines.append(
            gettext(
                "%(time)s %(actor)s changed the priority from %(before)s to %(after)s: %(reason)s",
                locale=locale,
                time=event.at.in_tz(DEFAULT_ZONE).format("MM-DD HH:mm"),
                actor=event.actor,
                before=_level(before, locale),
                after=_level(after, locale),
                reason=event.reason,
            )
        )
        before = after
    return lines


def request_clocks(request: SampleRequest) -> RequestClocks:
    """The request's SLA clocks: opened at its classified priority, then each event applied."""
    facts = request.facts
    found = classify(facts, DEFAULT_RULES)
    clocks = RequestClocks.open(
        request.request_id, found.priority.code, DEFAULT_SLA_POLICY, _calendars()
    )
    # The actor of an SLA event is data (who started the clock), never printed here.
    clocks = clocks.apply(Started(facts.received_at, "KF-01"))
    for event in request.later:
        clocks = clocks.apply(event)
    return clocks


def run_service(
    locale: LocaleLike = "zh_CN", requests: Sequence[SampleRequest] | None = None
) -> str:
    """Each request: its priority and why, then each target's deadline and what moved it.

    The requests are the sample's unless given.
    """
    name = check_locale(locale)
    rows = [gettext("Service requests and their SLA deadlines", locale=name)]
    for request in sample_requests() if requests is None else requests:
        facts = request.facts
        found = classify(facts, DEFAULT_RULES)
        clocks = request_clocks(request)
        received = facts.received_at.format("YYYY-MM-DD HH:mm")
        rows.append(
            gettext(
                # TRANSLATORS: a request: its id, when it came in, its category, and what the
                # resident said (quoted as given).
                "%(request)s %(received)s %(category)s “%(description)s”",
                locale=name,
                request=request.request_id,
                received=received,
                category=facts.category.label(name),
                description=facts.description,
            )
        )
        reasons = found.explain(name)
        rows.append(f"    {reasons[0]}")
        if found.raised_by is not None:
            rows.append(f"    {reasons[-1]}")
        rows.extend(f"    {line}" for line in _priority_changes(request, found, name))
        rows.extend(
            f"    {explanation.summary(name, reason_text=reason_text)}"
            for explanation in clocks.explain()
        )
    return "\n".join(rows)
