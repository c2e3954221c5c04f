"""Prospects (潜在客户, issue 17): leads for vacant units and shops, followed up to conversion.

A :class:`Lead` has a source, whom to reach, an interest and the unit wanted; its audited
history moves it through :class:`LeadStage` (new, contacted, viewing, negotiating, converted,
or lost), follow-ups being contacts on :mod:`propcrm.contacts`' log. :func:`convert` makes it a
tenant or merchant relation in the :class:`~propcrm.parties.PartyBook` (refusing a unit that is
not vacant), and :func:`funnel` counts leads at each stage by source and month, with exact
conversion rates that explain themselves.

Depends on :mod:`propcrm.money`, :mod:`propcrm.time`, :mod:`propcrm.sla`,
:mod:`propcrm.personal_data`, :mod:`propcrm.parties` and :mod:`propcrm.contacts`.
"""

from propcrm.prospects._conversion import Conversion, convert
from propcrm.prospects._funnel import Funnel, FunnelRow, funnel
from propcrm.prospects._leads import FUNNEL_STAGES, Interest, Lead, LeadSource, LeadStage, LeadStep

__all__ = [
    "FUNNEL_STAGES",
    "Conversion",
    "Funnel",
    "FunnelRow",
    "Interest",
    "Lead",
    "LeadSource",
    "LeadStage",
    "LeadStep",
    "convert",
    "funnel",
]


def __dir__() -> list[str]:
    return list(__all__)
