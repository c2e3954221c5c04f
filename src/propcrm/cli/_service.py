"""``propcrm classify``, ``propcrm requests`` and ``propcrm sla report``: the service desk.

``classify`` runs the default classification rules on what a resident said and prints the
priority and why. ``requests`` lists every request still owed a response, a resolution or a
callback (有求必应, 有应必解, 有解必答), with the deadline of its next action and whether it is
breached; ``sla report`` gives the SLA attainment of the requests received in a range, by
priority. Both read the requests of the community's parties (the store keeps requests by
requester), as of an instant: ``--at``, else the end of ``--today``, else the clock's now.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import click
import pendulum

from propcrm.classification import DEFAULT_RULES, Category, Location, RequestFacts, classify
from propcrm.cli._app import DATE, INSTANT, Session, cli, command_options, community_option
from propcrm.complaints import Request, principle_gaps
from propcrm.sla import attainment, records_of
from propcrm.time import DEFAULT_ZONE

__all__ = [
    "classify_command",
    "community_requests",
    "received_between",
    "requests_command",
    "sla_group",
    "sla_row",
]


def _instant(
    session: Session, at: pendulum.DateTime | None, explicit_today: bool
) -> pendulum.DateTime:
    if at is not None:
        return at
    if explicit_today:
        day = session.today
        return pendulum.datetime(day.year, day.month, day.day, 23, 59, 59, tz=DEFAULT_ZONE)
    return session.clock.now()


def community_requests(session: Session) -> list[Request]:
    """Every request about the community's units (or about none), by id.

    The repositories find requests by id, by requester and by next action; a listing of all
    reads the ids from the store's documented ``propcrm_requests`` table.
    """
    import sqlalchemy as sa  # noqa: PLC0415 - the sql extra, present once the store opened

    store = session.store()
    with store.engine.connect() as conn:
        ids = [row[0] for row in conn.execute(sa.text(_REQUEST_IDS))]
    with store() as uow:
        code = session.community(uow).code
        units = {u.unit_id for u in uow.parties.book().value.units if u.community == code}
        found = [uow.requests.get(request_id).value for request_id in ids]
    return [r for r in found if r.intake.unit is None or r.intake.unit in units]


_REQUEST_IDS = "SELECT request_id FROM propcrm_requests ORDER BY request_id"


@cli.command("classify")
@click.argument("text")
@click.option(
    "--category",
    type=click.Choice([c.value for c in Category]),
    default=Category.OTHER.value,
    show_default=True,
    help="the category the desk chose, if any",
)
@click.option(
    "--location",
    type=click.Choice([loc.value for loc in Location]),
    default=Location.UNSPECIFIED.value,
    show_default=True,
)
@click.option("--at", type=INSTANT, default=None, help="when it was received (default: now)")
@command_options
def classify_command(
    session: Session, *, text: str, category: str, location: str, at: pendulum.DateTime | None
) -> None:
    """The priority of a service request from what the resident said, and why (no database)."""
    facts = RequestFacts(
        category=Category(category),
        location=Location(location),
        description=text,
        received_at=at or session.clock.now(),
    )
    found = classify(facts, DEFAULT_RULES)
    reasons = found.explain(session.locale)
    out = session.out
    out.line(
        session._(
            "%(code)s %(name)s: %(text)s",
            code=found.priority.code,
            name=found.priority.name(session.locale),
            text=text,
        )
    )
    for reason in reasons:
        out.line(f"    {reason}")
    out.document(
        {
            "command": "classify",
            "text": text,
            "category": category,
            "priority": found.priority.code,
            "priority_name": found.priority.name(session.locale),
            "rule": found.rule.name,
            "explain": list(reasons),
        }
    )


@cli.command("requests")
@click.option("--at", type=INSTANT, default=None, help="as of this instant (default: now)")
@community_option
@command_options
def requests_command(session: Session, *, at: pendulum.DateTime | None) -> None:
    """Open requests: what each still owes, its next action's deadline, and breaches."""
    when = _instant(session, at, session.today_given)
    report = principle_gaps(community_requests(session), as_of=when)
    out = session.out
    for line in report.explain(session.locale):
        out.line(line)
    out.document(
        {
            "command": "requests",
            "at": when,
            "open": len(report),
            "breached": len(report.overdue),
            "requests": [
                {
                    "request_id": e.request_id,
                    "kind": e.kind.value,
                    "gap": e.gap.value,
                    "state": e.state.value,
                    "priority": e.priority,
                    "unit": e.unit,
                    "received_at": e.received_at,
                    "since": e.since,
                    "deadline": e.deadline,
                    "breached": e.overdue,
                    "assignee": e.assignee,
                    "escalation_level": e.escalation_level,
                    "explain": e.explain(session.locale),
                }
                for e in report.entries
            ],
        }
    )


@cli.group("sla")
def sla_group() -> None:
    """SLA reports over the service requests."""


def received_between(
    requests: Iterable[Request], first: pendulum.Date, last: pendulum.Date
) -> list[Request]:
    return [r for r in requests if first <= r.received_at.in_tz(DEFAULT_ZONE).date() <= last]


@sla_group.command("report")
@click.option("--from", "first", type=DATE, required=True, help="the first day of receipt")
@click.option("--to", "last", type=DATE, required=True, help="the last day of receipt")
@community_option
@command_options
def sla_report(session: Session, *, first: pendulum.Date, last: pendulum.Date) -> None:
    """SLA attainment of the requests received from --from to --to, by priority."""
    end = pendulum.datetime(last.year, last.month, last.day, 23, 59, 59, tz=DEFAULT_ZONE)
    chosen = received_between(community_requests(session), first, last)
    records = [
        record
        for request in chosen
        for record in records_of(request.clocks, as_of=end, category=request.facts.category.value)
    ]
    rows = attainment(records)
    out = session.out
    out.table(
        session._(
            "SLA attainment, %(first)s to %(last)s", first=first.isoformat(), last=last.isoformat()
        ),
        [
            session._("priority"),
            session._("met"),
            session._("breached"),
            session._("open"),
            session._("% met"),
            session._("median (s)"),
            session._("90th percentile (s)"),
        ],
        [
            (
                dict(r.key).get("priority") or "",
                r.met,
                r.breached,
                r.open,
                "" if r.percent_met is None else f"{r.percent_met}",
                "" if r.median_seconds is None else r.median_seconds,
                "" if r.p90_seconds is None else r.p90_seconds,
            )
            for r in rows
        ],
        right=(1, 2, 3, 4, 5, 6),
    )
    out.document(
        {
            "command": "sla report",
            "from": first,
            "to": last,
            "requests": len(chosen),
            "rows": [sla_row(r) for r in rows],
        }
    )


def sla_row(row: Any) -> dict[str, object]:
    """One attainment row for JSON (percent as an exact string)."""
    return {
        "priority": dict(row.key).get("priority"),
        "met": row.met,
        "breached": row.breached,
        "open": row.open,
        "percent_met": None if row.percent_met is None else f"{row.percent_met}",
        "median_seconds": row.median_seconds,
        "p90_seconds": row.p90_seconds,
        "reopens": row.reopens,
        "breaches": sorted({b.request_id for b in row.breaches}),
    }
