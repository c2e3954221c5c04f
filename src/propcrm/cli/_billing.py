"""``propcrm bill --period 2026-11``: each unit's fee notice for the month, issued once.

Every unit of the community is billed by the tariff ``init`` recorded, under the default
billing policy, to the party the party book says pays for it (a sale or a lease in the month
splits the notice by days); the period's meter readings (``import readings``) price its metered
charges. A notice is posted to the account of its unit and billed party, opened if new. All
notices are written in one unit of work, so a run writes all or nothing; and a notice already
issued (same number) is never issued again, so running ``bill`` twice issues nothing twice and
says so.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import click

from propcrm.billing import BillableSpan, BillingRun, PriceLists, Statement, Tariff, UnitUsage
from propcrm.cli._app import (
    PERIOD,
    Session,
    account_ids,
    cli,
    collector_paused,
    command_options,
    community_option,
)
from propcrm.cli._errors import CommandFailed, ExitCode
from propcrm.cli._imports import READINGS_KIND, PeriodReadings
from propcrm.cli._output import amount
from propcrm.errors import RecordNotFound
from propcrm.money import Money
from propcrm.receivables import Account
from propcrm.storage import AccountId
from propcrm.time import BillingPeriod

if TYPE_CHECKING:
    from propcrm.billing import MeterReading
    from propcrm.storage import UnitOfWork

__all__ = ["bill", "existing_numbers", "tariff_of"]

# Above this many notices the table is left out of the output for people: --json lists them all.
_TABLE_ROWS = 50


def tariff_of(session: Session, uow: UnitOfWork) -> tuple[str, Tariff, PriceLists | None]:
    """The community's code, tariff and price lists, as ``init`` recorded them."""
    settings = session.community(uow)
    if settings.tariff is None:
        raise CommandFailed(
            f"community {settings.code} has no tariff yet; record one with propcrm init "
            f"--community {settings.code} --name NAME --tariff FILE (or --fee TYPE=PRICE).",
            ExitCode.DATABASE,
        )
    tariff = uow.tariffs.get(settings.tariff).value
    try:
        price_lists: PriceLists | None = uow.price_lists.get(settings.code).value
    except RecordNotFound:
        price_lists = None
    return settings.code, tariff, price_lists


def existing_numbers(uow: UnitOfWork, community: str, period: BillingPeriod) -> set[str]:
    """The numbers of the notices already issued in the period."""
    numbers: set[str] = set()
    token = None
    while True:
        page = uow.accounts.statements(community, period, limit=1000, after=token)
        numbers.update(s.number for s in page.items)
        if page.next is None or not page.items:
            return numbers
        token = page.next


def _readings(uow: UnitOfWork, period: BillingPeriod) -> dict[str, list[MeterReading]]:
    try:
        held = uow.records.get(READINGS_KIND, period.code, PeriodReadings).value
    except RecordNotFound:
        return {}
    by_unit: dict[str, list[MeterReading]] = defaultdict(list)
    for entry in held.readings:
        by_unit[entry.unit_id].append(entry.reading)
    return by_unit


def _post(uow: UnitOfWork, community: str, statement: Statement, existing: set[AccountId]) -> None:
    account_id = AccountId(community, statement.unit_id, statement.billed_party)
    if account_id in existing:
        version = uow.accounts.get(account_id).version
        uow.accounts.append(account_id, [statement], version)
    else:
        # Opened with its notice: one account built (and folded), not an empty one posted to.
        opened = Account(statement.unit_id, billed_party=statement.billed_party, events=[statement])
        uow.accounts.add(account_id, opened)
        existing.add(account_id)


@cli.command()
@click.option("--period", type=PERIOD, required=True, help="the month to bill (2026-11)")
@community_option
@command_options
@collector_paused()
def bill(session: Session, *, period: BillingPeriod) -> None:
    """Issue every unit's fee notice for a month; a notice already issued is never issued again."""
    store = session.store()
    issued: list[Statement] = []
    already = 0
    nobody: list[str] = []
    with store() as uow:
        code, tariff, price_lists = tariff_of(session, uow)
        run = BillingRun(community=code, period=period, tariff=tariff, price_lists=price_lists)
        before = existing_numbers(uow, code, period)
        existing = {i for ids in account_ids(store, code).values() for i in ids}
        readings = _readings(uow, period)
        book = uow.parties.book().value
        units = [u for u in book.units if u.community == code]
        until = period.end.add(days=1)
        # Values every unit without readings and every whole month share (they are frozen).
        no_usage, whole_month = UnitUsage(), BillableSpan()
        with session.out.progress(session._("billing"), len(units)) as advance:
            for unit in units:
                spans = book.payer_spans(unit.unit_id, period.start, until)
                if not spans:
                    nobody.append(unit.unit_id)
                own = readings.get(unit.unit_id)
                for index, span in enumerate(spans):
                    whole = span.start <= period.start and (
                        span.until is None or span.until >= until
                    )
                    # A unit's readings are billed on the notice of the payer the month ends with.
                    last = index == len(spans) - 1
                    usage = UnitUsage(readings=own) if last and own else no_usage
                    statement = run.bill(
                        unit,
                        usage,
                        whole_month if whole else BillableSpan(span.start, span.until),
                        billed_party=span.party_id,
                    )
                    if statement.number in before:
                        already += 1
                        continue
                    _post(uow, code, statement, existing)
                    issued.append(statement)
                advance(1)
        uow.commit()
    total = Money.total((s.total for s in issued), run.policy.currency)
    _show(session, period, issued, already, nobody, total)


def _show(
    session: Session,
    period: BillingPeriod,
    issued: list[Statement],
    already: int,
    nobody: list[str],
    total: Money,
) -> None:
    out = session.out
    if issued and len(issued) <= _TABLE_ROWS:
        out.table(
            session._("Fee notices issued for %(period)s", period=period.code),
            [
                session._("number"),
                session._("unit"),
                session._("billed party"),
                session._("total"),
                session._("due on"),
            ],
            [
                (
                    s.number,
                    s.unit_id,
                    s.billed_party or "",
                    out.money(s.total),
                    s.due_on.isoformat(),
                )
                for s in issued
            ],
            right=(3,),
        )
    out.line(
        session._(
            "%(count)d notices issued for %(period)s, %(total)s in all",
            count=len(issued),
            period=period.code,
            total=out.money(total),
        )
    )
    if already:
        out.line(
            session._(
                "%(count)d notices were issued already and were not issued again",
                count=already,
            )
        )
    if nobody:
        out.line(
            session._(
                "nobody is billable for %(units)s: no owner recorded", units=", ".join(nobody)
            )
        )
    out.document(
        {
            "command": "bill",
            "period": period.code,
            "currency": total.currency,
            "issued": len(issued),
            "already_issued": already,
            "total": amount(total),
            "nobody_billable": nobody,
            "notices": [
                {
                    "number": s.number,
                    "unit_id": s.unit_id,
                    "billed_party": s.billed_party,
                    "total": amount(s.total),
                    "due_on": s.due_on,
                }
                for s in issued
            ],
        }
    )
