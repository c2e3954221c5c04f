"""The prospects funnel: leads by source and month, counted at each stage, with exact rates.

A lead counts in the month (in ``zone``) it was recorded, under its source, at every stage it
reached by ``as_of``: a lead that reached viewing counts as new, contacted and viewing, even if
it was lost later. Rates are exact fractions (:class:`fractions.Fraction`), ``None`` where
nothing reached the stage before.

>>> from propcrm.prospects import Interest
>>> at = pendulum.datetime(2026, 4, 1, 10, 0, tz="Asia/Shanghai")
>>> a = Lead.new(
...     "L-1", source=LeadSource.AGENT, interest=Interest.HOME, party_id="P1", by="S1", at=at
... )
>>> b = Lead.new(
...     "L-2", source=LeadSource.AGENT, interest=Interest.HOME, party_id="P2", by="S1", at=at
... )
>>> report = funnel([a.advance(LeadStage.VIEWING, by="S1", at=at), b], as_of=at.add(days=1))
>>> row = report.rows[0]
>>> row.month, row.count(LeadStage.NEW), row.count(LeadStage.VIEWING), row.rate(LeadStage.CONTACTED)
('2026-04', 2, 1, Fraction(1, 2))
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from fractions import Fraction

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, percent_text, pgettext
from propcrm._validators import check_items, check_unique
from propcrm.errors import InvalidLead
from propcrm.prospects._leads import FUNNEL_STAGES, Lead, LeadSource, LeadStage
from propcrm.time import DEFAULT_ZONE, aware, zone

__all__ = ["Funnel", "FunnelRow", "funnel"]


def _rate(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


@attrs.frozen
class FunnelRow:
    """One source's leads of one month: how many reached each stage, and how many were lost."""

    source: LeadSource
    month: str
    counts: tuple[int, ...]
    """Per stage of :data:`FUNNEL_STAGES` (new … converted), how many leads reached it."""
    lost: int

    def count(self, stage: LeadStage) -> int:
        """How many leads reached ``stage`` (lost: how many were lost)."""
        if stage is LeadStage.LOST:
            return self.lost
        return self.counts[FUNNEL_STAGES.index(stage)]

    def rate(self, stage: LeadStage) -> Fraction | None:
        """Of the leads that reached the stage before ``stage``, the share that reached it."""
        index = FUNNEL_STAGES.index(stage)
        if index == 0:
            return Fraction(1) if self.counts[0] else None
        return _rate(self.counts[index], self.counts[index - 1])

    @property
    def conversion(self) -> Fraction | None:
        """Converted leads over all leads."""
        return _rate(self.counts[-1], self.counts[0])

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The row for people: each stage's count and rate, then the conversion."""
        stages = pgettext("clause separator", ", ", locale=locale).join(
            gettext(
                "%(stage)s %(count)d (%(rate)s)",
                locale=locale,
                stage=stage.label(locale),
                count=self.count(stage),
                rate=percent_text(self.rate(stage), places=1, locale=locale),
            )
            for stage in FUNNEL_STAGES[1:]
        )
        return gettext(
            "%(month)s %(source)s: %(new)d leads; %(stages)s; lost %(lost)d; conversion "
            "%(conversion)s",
            locale=locale,
            month=self.month,
            source=self.source.label(locale),
            new=self.counts[0],
            stages=stages,
            lost=self.lost,
            conversion=percent_text(self.conversion, places=1, locale=locale),
        )


@attrs.frozen
class Funnel:
    """The funnel as of an instant: one row per source and month, in month then source order."""

    as_of: pendulum.DateTime
    rows: tuple[FunnelRow, ...]

    def row(self, source: LeadSource, month: str) -> FunnelRow | None:
        """The row of ``source`` in ``month`` (``'2026-04'``), if any lead came that way."""
        return next((r for r in self.rows if r.source is source and r.month == month), None)

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> tuple[str, ...]:
        """Every row for people."""
        return tuple(r.explain(locale) for r in self.rows)


def funnel(
    leads: Iterable[Lead], *, as_of: datetime.datetime, zone_name: str = DEFAULT_ZONE
) -> Funnel:
    """The funnel of ``leads`` as of ``as_of``: by source and month of recording, in ``zone_name``.

    Leads recorded after ``as_of`` are not counted.
    """
    items: tuple[Lead, ...] = check_items(leads, "leads", Lead, error=InvalidLead)
    check_unique((lead.lead_id for lead in items), "leads", InvalidLead, what="lead id")
    when = aware(as_of, field="as_of")
    tz = zone(zone_name)
    table: dict[tuple[str, LeadSource], list[int]] = {}
    for lead in items:
        furthest = lead.furthest_at(when)
        if furthest is None:
            continue
        month = lead.created_at.in_timezone(tz).format("YYYY-MM")
        counts = table.setdefault((month, lead.source), [0] * (len(FUNNEL_STAGES) + 1))
        for index in range(furthest.rank + 1):
            counts[index] += 1
        if lead.stage_at(when) is LeadStage.LOST:
            counts[-1] += 1
    order = list(LeadSource)
    rows = tuple(
        FunnelRow(source, month, tuple(counts[:-1]), counts[-1])
        for (month, source), counts in sorted(
            table.items(), key=lambda kv: (kv[0][0], order.index(kv[0][1]))
        )
    )
    return Funnel(when, rows)
