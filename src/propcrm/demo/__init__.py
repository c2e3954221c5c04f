"""The demo behind ``python -m propcrm demo``: a day in the life of a sample community.

Everything is built in memory for one community (阳光花园, code SUNRISE) and printed in the
locale asked for (zh_CN by default, en_US too):

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
   of goods refused for the unit's arrears (:mod:`propcrm.demo._community`).
"""

from __future__ import annotations

from propcrm._i18n import LocaleLike, check_locale
from propcrm.demo._accounts import run_accounts
from propcrm.demo._community import run_community
from propcrm.demo._complaints import run_complaints
from propcrm.demo._desk import run_desk
from propcrm.demo._notices import render_statement, run_notices, sample_statements
from propcrm.demo._parties import run_parties
from propcrm.demo._service import run_service

__all__ = ["render_statement", "run_demo", "sample_statements"]

_RULE = "=" * 78


def run_demo(locale: LocaleLike = "zh_CN") -> str:
    """The demo's whole output in ``locale`` (zh_CN or en_US): each section under a rule.

    Names and data (the community 阳光花园, people, addresses, the fee items the community
    named, residents' and staff's own words) and amounts in Chinese uppercase are printed as
    given in both locales. Any other locale raises :class:`~propcrm.errors.UnsupportedLocale`.
    """
    name = check_locale(locale)  # once, before any section is built
    sections = (
        run_notices,
        run_accounts,
        run_service,
        run_complaints,
        run_parties,
        run_desk,
        run_community,
    )
    return f"\n{_RULE}\n".join(section(name) for section in sections)
