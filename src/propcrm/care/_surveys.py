"""Quarterly survey rounds and who is asked in each (brief §4: a survey every quarter).

:func:`survey_rounds` and :func:`survey_round_for` give the empty rounds of
:mod:`propcrm.analytics`; :func:`survey_sample` draws who is asked in one (a
:class:`SurveySample` of :class:`SampledParty` values, each with its :class:`SampleReason`).
"""

from __future__ import annotations

import datetime
import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping

import attrs
import pendulum
from babel.lists import format_list

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, pgettext
from propcrm._validators import check_instance, check_int
from propcrm.analytics import DEFAULT_SURVEY_POLICY, ComplaintHistory, SurveyPolicy, SurveyRound
from propcrm.care._inputs import count_complaints, history_of, mapping_of, party_ids
from propcrm.care._policy import DEFAULT_CARE_POLICY, CarePolicy, check_policy
from propcrm.errors import InvalidCarePlan, InvalidPeriod
from propcrm.parties import HouseholdRole, PartyBook, Person
from propcrm.time import DEFAULT_ZONE, BillingPeriod, as_date

__all__ = [
    "SampleReason",
    "SampledParty",
    "SurveySample",
    "survey_round_for",
    "survey_rounds",
    "survey_sample",
]


_LAST_YEAR = 9998
"""The last year whose rounds can be listed (the next year's first quarter must exist)."""


def survey_rounds(
    year: int,
    *,
    survey_policy: SurveyPolicy = DEFAULT_SURVEY_POLICY,
    zone: str = DEFAULT_ZONE,
) -> tuple[SurveyRound, ...]:
    """The empty survey rounds of ``year`` (brief §4: "Satisfaction survey every quarter").

    One :class:`~propcrm.analytics.SurveyRound` per period of ``survey_policy.round_kind`` (a
    quarter by default), oldest first; answers are added with ``SurveyRound.with_response``
    and summed up with ``propcrm.analytics.quarterly``. A year outside 1-9998 is refused
    (:class:`~propcrm.errors.InvalidPeriod`).

    >>> [r.quarter.code for r in survey_rounds(2026)]
    ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']
    """
    check_int(year, "year")
    if not 1 <= year <= _LAST_YEAR:
        # The years a BillingPeriod holds, refused here with the argument named.
        raise InvalidPeriod(
            f"year {year} is out of range; use an int from 1 to {_LAST_YEAR}.",
            field="year",
            value=year,
            allowed=f"int 1 to {_LAST_YEAR}",
        )
    check_instance(survey_policy, "survey_policy", SurveyPolicy)
    period = BillingPeriod.containing(BillingPeriod.year(year).start, survey_policy.round_kind)
    rounds = []
    while period.start.year == year:
        rounds.append(SurveyRound(period, (), survey_policy, zone))
        period = period.next()
    return tuple(rounds)


def survey_round_for(
    day: datetime.date,
    *,
    survey_policy: SurveyPolicy = DEFAULT_SURVEY_POLICY,
    zone: str = DEFAULT_ZONE,
) -> SurveyRound:
    """The empty survey round whose quarter holds ``day``; ``.next_round()`` gives the next.

    >>> survey_round_for(pendulum.date(2026, 11, 24)).quarter.code
    '2026-Q4'
    """
    check_instance(survey_policy, "survey_policy", SurveyPolicy)
    period = BillingPeriod.containing(as_date(day, "day"), survey_policy.round_kind)
    return SurveyRound(period, (), survey_policy, zone)


class SampleReason(enum.Enum):
    """Why a party is asked in a survey round, in order of precedence for a unit."""

    HOUSEHOLD_HEAD = "household_head"
    """The household head (户主) of an occupied unit."""
    RESIDENT = "resident"
    """A resident of a unit whose household has no head on record."""
    TENANT = "tenant"
    """A tenant (the lead tenant first) of a unit nobody lives in (an office, a store room)."""
    MERCHANT = "merchant"
    """The merchant of a shop."""
    PAYER = "payer"
    """The party paying the fees of a handed-over unit nobody occupies."""
    LISTED = "listed"
    """Named by the caller (a sample from party ids rather than a book)."""
    COMPLAINED = "complained"
    """Complained during the round's quarter: always asked."""

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """Why a party is asked, in words: ``'户主'``, ``'本季度有投诉'`` (zh_CN) and so on.

        >>> SampleReason.HOUSEHOLD_HEAD.label(), SampleReason.PAYER.label("en_US")
        ('户主', 'pays the fees')
        """
        # One literal per member, so that extraction finds every message.
        match self:
            case SampleReason.HOUSEHOLD_HEAD:
                return pgettext("sample reason", "household head", locale=locale)
            case SampleReason.RESIDENT:
                return pgettext("sample reason", "resident", locale=locale)
            case SampleReason.TENANT:
                return pgettext("sample reason", "tenant", locale=locale)
            case SampleReason.MERCHANT:
                return pgettext("sample reason", "merchant", locale=locale)
            case SampleReason.PAYER:
                return pgettext("sample reason", "pays the fees", locale=locale)
            case SampleReason.LISTED:
                return pgettext("sample reason", "on the list given", locale=locale)
            case SampleReason.COMPLAINED:
                return pgettext("sample reason", "complained this quarter", locale=locale)


@attrs.frozen
class SampledParty:
    """One party asked in a round: the units it answers for, why, and its complaints so far."""

    party_id: str
    units: tuple[str, ...]
    reasons: tuple[SampleReason, ...]
    complaints: int

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for the survey list: who, for which units, and why.

        >>> SampledParty("P1", ("1-2-0301",), (SampleReason.HOUSEHOLD_HEAD,), 0).describe()
        'P1（1-2-0301）：户主'
        """
        name = check_locale(locale)
        reasons = format_list([reason.label(name) for reason in self.reasons], locale=name)
        if not self.units:
            return gettext(
                "%(party)s: %(reasons)s", locale=name, party=self.party_id, reasons=reasons
            )
        return gettext(
            "%(party)s (%(units)s): %(reasons)s",
            locale=name,
            party=self.party_id,
            units=format_list(list(self.units), locale=name),
            reasons=reasons,
        )


@attrs.frozen
class SurveySample:
    """Who is asked in the round of ``quarter``, as drawn on ``as_of``, sorted by party id."""

    quarter: BillingPeriod
    as_of: pendulum.Date
    parties: tuple[SampledParty, ...]

    @property
    def party_ids(self) -> tuple[str, ...]:
        """The parties asked, sorted."""
        return tuple(p.party_id for p in self.parties)


def _unit_respondents(
    book: PartyBook, day: pendulum.Date, policy: CarePolicy
) -> list[tuple[str, str, SampleReason]]:
    """Per handed-over unit, the one party who answers for it (first non-erased candidate)."""
    erased = {p.party_id for p in book.parties if isinstance(p, Person) and p.erased is not None}
    found = []
    for unit in sorted(book.units, key=lambda u: u.unit_id):
        if not unit.status(day).handed_over:
            continue
        residents = book.residents(unit.unit_id, day)
        candidates = [
            (
                r.party_id,
                SampleReason.HOUSEHOLD_HEAD
                if r.role is HouseholdRole.HEAD
                else SampleReason.RESIDENT,
            )
            for r in residents
        ]
        candidates += [(t.party_id, SampleReason.TENANT) for t in book.tenants(unit.unit_id, day)]
        candidates += [
            (m.party_id, SampleReason.MERCHANT) for m in book.merchants(unit.unit_id, day)
        ]
        payer = book.payer(unit.unit_id, day)
        if payer is not None and (candidates or policy.survey_vacant_units):
            candidates.append((payer.party_id, SampleReason.PAYER))
        chosen = next(((p, why) for p, why in candidates if p not in erased), None)
        if chosen is not None:
            found.append((chosen[0], unit.unit_id, chosen[1]))
    return found


def survey_sample(
    source: PartyBook | Iterable[str],
    survey: SurveyRound,
    *,
    as_of: datetime.date,
    complaints: Mapping[str, ComplaintHistory] | None = None,
    policy: CarePolicy = DEFAULT_CARE_POLICY,
) -> SurveySample:
    """Who is asked in ``survey`` (brief §4: a satisfaction survey every quarter).

    From a :class:`~propcrm.parties.PartyBook`: one party per unit handed over by ``as_of``,
    the first of its household head (户主), any resident, its tenants (lead first), its
    merchant, and (with ``policy.survey_vacant_units``, or when all before are erased) the party
    paying its fees. Parties whose personal data was erased are never asked. A party answering
    for two units is asked once and lists both. From party ids: those parties.

    Either way, every party in ``complaints`` with a complaint from the quarter's first day to
    ``as_of`` is asked too (a household member who complained, a complainer from another
    list): their view is the one the round most needs. ``as_of`` must fall in the round's
    quarter. The sample is a census, not random, so it is the same every time it is drawn.

    >>> from propcrm.analytics import ComplaintRecord
    >>> D = pendulum.date
    >>> q4 = survey_round_for(D(2026, 10, 1))
    >>> sample = survey_sample(
    ...     ["P1", "P2"],
    ...     q4,
    ...     as_of=D(2026, 11, 24),
    ...     complaints={"P7": ComplaintRecord(complaints=[D(2026, 11, 2)])},
    ... )
    >>> [(p.party_id, [r.value for r in p.reasons], p.complaints) for p in sample.parties]
    [('P1', ['listed'], 0), ('P2', ['listed'], 0), ('P7', ['complained'], 1)]
    """
    day = as_date(as_of, "as_of")
    if not isinstance(survey, SurveyRound):
        raise InvalidCarePlan(
            f"survey must be a SurveyRound, not {type(survey).__name__}.",
            field="survey",
            value=survey,
            allowed="SurveyRound",
        )
    quarter = survey.quarter
    if not quarter.contains(day):
        raise InvalidCarePlan(
            f"a sample for round {quarter.code} is drawn on a day from "
            f"{quarter.start.isoformat()} to {quarter.end.isoformat()}, not {day.isoformat()}.",
            field="as_of",
            value=day,
            allowed=f"{quarter.start.isoformat()} to {quarter.end.isoformat()}",
        )
    check_policy(policy)
    if complaints is not None:
        mapping_of(complaints, "complaints")
    units: dict[str, list[str]] = defaultdict(list)
    reasons: dict[str, set[SampleReason]] = defaultdict(set)
    book = source if isinstance(source, PartyBook) else None
    if isinstance(source, PartyBook):
        for party_id, unit_id, why in _unit_respondents(source, day, policy):
            units[party_id].append(unit_id)
            reasons[party_id].add(why)
    else:
        for party_id in party_ids(source, "the parties to survey"):
            reasons[party_id].add(SampleReason.LISTED)
    known = frozenset(p.party_id for p in book.parties) if book is not None else frozenset()
    counts: dict[str, int] = {}
    for party_id in sorted(complaints or {}):
        history = history_of(complaints or {}, party_id)
        count = 0 if history is None else count_complaints(history, quarter.start, day)
        if count == 0:
            continue
        asked = party_id
        if book is not None and party_id in known:
            party = book.resolve(party_id)
            if isinstance(party, Person) and party.erased is not None:
                continue
            asked = party.party_id
        counts[asked] = counts.get(asked, 0) + count
        reasons[asked].add(SampleReason.COMPLAINED)
    order = list(SampleReason)
    return SurveySample(
        quarter,
        day,
        tuple(
            SampledParty(
                party_id,
                tuple(units.get(party_id, ())),
                tuple(sorted(reasons[party_id], key=order.index)),
                counts.get(party_id, 0),
            )
            for party_id in sorted(reasons)
        ),
    )
