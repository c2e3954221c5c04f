"""``propcrm notices render``: a period's fee notices as HTML or PDF files, one per notice.

Rendered by :mod:`propcrm.documents` (the ``documents`` extra: Jinja2, and WeasyPrint with a
CJK font for PDF) with the shipped templates or a folder of the community's own
(``--templates DIR``). Each file is named after the notice's number, its slashes made dashes
(``SUNRISE-2026-11-1-2-0301.html``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from propcrm.billing import Statement
from propcrm.cli._app import PERIOD, Session, cli, command_options, community_option
from propcrm.cli._output import amount
from propcrm.documents import DEFAULT_TEMPLATES, FeeNotice, TemplateSet, render_html, render_pdf
from propcrm.time import BillingPeriod

if TYPE_CHECKING:
    from propcrm.storage import UnitOfWork

__all__ = ["notices_group", "period_statements"]


def period_statements(uow: UnitOfWork, community: str, period: BillingPeriod) -> list[Statement]:
    """Every notice of the period, by number."""
    found: list[Statement] = []
    token = None
    while True:
        page = uow.accounts.statements(community, period, limit=1000, after=token)
        found.extend(page.items)
        if page.next is None or not page.items:
            return found
        token = page.next


def file_name(statement: Statement, suffix: str) -> str:
    """The file a notice is written to: its number with its slashes made dashes."""
    return statement.number.replace("/", "-") + suffix


@cli.group("notices")
def notices_group() -> None:
    """Fee notices (缴费通知单) rendered for printing or sending."""


@notices_group.command("render")
@click.option("--period", type=PERIOD, required=True, help="the month of the notices (2026-11)")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf"]),
    default="html",
    show_default=True,
)
@click.option(
    "--out",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="the folder to write the files to (made if missing)",
)
@click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="a folder of the community's own templates, in front of the shipped ones",
)
@community_option
@command_options
def render(
    session: Session,
    *,
    period: BillingPeriod,
    fmt: str,
    folder: Path,
    templates: Path | None,
) -> None:
    """Write each fee notice of a month as an HTML page or a PDF file."""
    store = session.store()
    with store() as uow:
        settings = session.community(uow)
        statements = period_statements(uow, settings.code, period)
    chosen = DEFAULT_TEMPLATES if templates is None else TemplateSet(templates)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    used: set[str] = set()
    with session.out.progress(session._("rendering"), len(statements)) as advance:
        for statement in statements:
            notice = FeeNotice(statement, community_name=settings.name)
            name = file_name(statement, f".{fmt}")
            if name in used:  # a unit's notices to two payers share a number
                name = file_name(statement, f"-{statement.billed_party or 'unit'}.{fmt}")
            used.add(name)
            target = folder / name
            if fmt == "pdf":
                target.write_bytes(render_pdf(notice, locale=session.locale, templates=chosen))
            else:
                page = render_html(notice, locale=session.locale, templates=chosen)
                target.write_text(page, encoding="utf-8")
            written.append((statement, target))
            advance(1)
    out = session.out
    out.table(
        session._("Fee notices of %(period)s", period=period.code),
        [session._("number"), session._("total"), session._("file")],
        [(s.number, out.money(s.total), str(path)) for s, path in written],
        right=(1,),
    )
    out.line(
        session._("%(count)d notices written to %(folder)s", count=len(written), folder=folder)
    )
    out.document(
        {
            "command": "notices render",
            "period": period.code,
            "format": fmt,
            "folder": str(folder),
            "notices": [
                {
                    "number": s.number,
                    "unit_id": s.unit_id,
                    "total": amount(s.total),
                    "due_on": s.due_on,
                    "file": str(path),
                }
                for s, path in written
            ],
        }
    )
