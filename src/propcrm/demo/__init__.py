"""The demo behind ``python -m propcrm demo``: a day in the life of a sample community.

Everything is built for one community (阳光花园, code SUNRISE) and printed in the locale asked
for (zh_CN by default, en_US too). ``run_demo(locale)`` prints it from memory; given ``db``, a
path, it first stores the community in a SQLite file there through
:class:`~propcrm.storage.sql.SqlStore` and prints every section from what a fresh store reads
back, then a last section on the file (the command line always does this):

1. November 2026's fee notices (:mod:`propcrm.demo._notices`);
2. late fees and the arrears aging of a few accounts at month-end (:mod:`propcrm.demo._accounts`);
3. service requests classified, with their SLA deadlines and what decided them
   (:mod:`propcrm.demo._service`);
4. a complaint walked through its lifecycle, from receipt to close, with its SLA clocks
   (:mod:`propcrm.demo._complaints`);
5. the community's parties, masked, who is billable, and a few segments with their reasons
   (:mod:`propcrm.demo._parties`);
6. the service desk at work: a callback kept and one missed, a booking refused with the next
   free slots, a solution suggested on intake, and a notice delivered to its audience
   (:mod:`propcrm.demo._desk`);
7. the community's business: an owners' vote that passes on heads and fails on area, a
   decoration's hot work allowed inside its permit's window and refused after it, and a release
   of goods refused for the unit's arrears, and a prepaid balance settling a notice
   (:mod:`propcrm.demo._community`);
8. with ``db``: where the file is, its rows per table and how to open it
   (:mod:`propcrm.demo._store`).
"""

from __future__ import annotations

import os

from propcrm._i18n import LocaleLike, check_locale
from propcrm.demo._accounts import run_accounts
from propcrm.demo._community import run_community
from propcrm.demo._complaints import run_complaints
from propcrm.demo._desk import run_desk
from propcrm.demo._notices import render_statement, run_notices, sample_statements
from propcrm.demo._parties import run_parties
from propcrm.demo._service import run_service
from propcrm.demo._store import (
    DEFAULT_DB,
    DemoCommunity,
    describe_file,
    read_community,
    sample_community,
    write_community,
)

__all__ = ["DEFAULT_DB", "render_statement", "run_demo", "sample_statements"]

_RULE = "=" * 78


def run_demo(locale: LocaleLike = "zh_CN", *, db: str | os.PathLike[str] | None = None) -> str:
    """The demo's whole output in ``locale`` (zh_CN or en_US): each section under a rule.

    Names and data (the community 阳光花园, people, addresses, the fee items the community
    named, residents' and staff's own words) and amounts in Chinese uppercase are printed as
    given in both locales. Any other locale raises :class:`~propcrm.errors.UnsupportedLocale`.

    Without ``db`` the sections are printed from the community built in memory. With ``db``, a
    path, the community is stored in a new SQLite file there (a file already there is
    replaced), every section is printed from what a fresh store reads back from it, and a last
    section says where the file is, its rows per table and how to open it; the sections read
    the same either way. That needs the ``sql`` extra, or raises
    :class:`~propcrm.errors.MissingExtra`.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "demo.sqlite"
    >>> text = run_demo("en_US", db=path)
    >>> text.startswith(run_demo("en_US"))
    True
    >>> print(text[text.index("Rows per table") :].splitlines()[1].split()[0])
    propcrm_account_events
    """
    name = check_locale(locale)  # once, before any section is built
    if db is None:
        return _render(sample_community(), name)
    replaced = write_community(db, sample_community())
    shown = _render(read_community(db), name)
    return f"{shown}\n{_RULE}\n{describe_file(db, replaced, name)}"


def _render(community: DemoCommunity, locale: str) -> str:
    sections = (
        run_notices(locale, community.statements),
        run_accounts(locale, community.accounts, community.dunning),
        run_service(locale, community.requests),
        run_complaints(locale, community.complaint),
        run_parties(locale, community.book, community.unit_accounts_by_id()),
        run_desk(locale, community.book),
        run_community(locale, community.accounts, community.statements),
    )
    return f"\n{_RULE}\n".join(sections)
