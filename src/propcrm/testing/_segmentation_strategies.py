"""Hypothesis strategies for segmentation: payment histories, segment subjects, portfolios, rules.

Like the other strategies of :mod:`propcrm.testing`, each is a plural noun, takes keyword-only
bounds and shrinks towards the simplest value: no notices, a person with nothing recorded, the
first party id, the first rule kind. Dates cluster around :data:`BASE_DATE` (the behaviour
window of an as-of date in late 2026) and amounts come from a few values, so portfolios are full
of the edge cases segmentation must get right: ties in every RFM component, parties with no
history, notices paid on their due date, in part, after the as-of date, or never.

>>> from hypothesis import given, settings
>>> @settings(max_examples=20, database=None)
... @given(segment_subjects())
... def test_subject_ids_are_text(subject):
...     assert subject.party_id
>>> test_subject_ids_are_text()
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import attrs
import pendulum
from hypothesis import strategies as st

from propcrm._property_types import PropertyType
from propcrm.analytics import (
    BehaviourPolicy,
    ComplaintRecord,
    FixedThresholds,
    PaymentFact,
    Quantiles,
    RfmComponent,
    RfmPolicy,
    RfmSource,
    SatisfactionScore,
    ServicePurchase,
    TieMethod,
)
from propcrm.money import Money
from propcrm.segmentation import (
    AgeBetween,
    AllRules,
    AnyRule,
    Arrears,
    AsksFor,
    AverageDaysLate,
    CallbackPending,
    CommunityIs,
    ComplaintsInWindow,
    CustomerAsk,
    HouseholdSizeBetween,
    LastSatisfaction,
    LateStatements,
    LocationIs,
    MaxDaysLate,
    MovedInWithin,
    NotRule,
    OnTimeRatio,
    OrganisationIs,
    OrganisationType,
    PropertyRight,
    PropertyRightIs,
    PropertyTypeIs,
    RfmScoreBetween,
    SegmentRule,
    SegmentSubject,
    ServicePurchases,
    ServiceSpend,
    SubjectKind,
    SubjectKindIs,
    ready_segments,
)

__all__ = [
    "BASE_DATE",
    "as_of_dates",
    "behaviour_policies",
    "complaint_records",
    "payment_fact_histories",
    "portfolios",
    "segment_rules",
    "segment_subjects",
    "service_purchases",
]

BASE_DATE = pendulum.date(2026, 12, 1)
"""The middle of the drawn dates: histories run about a year and a half either side of it."""

_SPAN_DAYS = 540
_AMOUNTS = ("100.00", "250.24", "88.80", "1200.00")
_COMMUNITIES = ("SUNRISE", "LAKESIDE", "RIVERSIDE")
_LOCATIONS = ("浦东新区", "徐汇区")
# Ids that sort differently as text and as numbers, and beyond ASCII, to test tie order.
_ID_ALPHABET = "AB12z中é"


def as_of_dates(*, span_days: int = _SPAN_DAYS) -> st.SearchStrategy[pendulum.Date]:
    """Days within ``span_days`` of :data:`BASE_DATE`; shrinks to the base date itself."""
    return st.integers(min_value=-span_days, max_value=span_days).map(
        lambda n: BASE_DATE.add(days=n)
    )


def _day_near(days: int) -> st.SearchStrategy[pendulum.Date]:
    return st.integers(min_value=-days, max_value=days).map(lambda n: BASE_DATE.add(days=n))


@st.composite
def _payment(draw: st.DrawFn, statement_id: str, due_on: pendulum.Date) -> PaymentFact:
    amount = Money(draw(st.sampled_from(_AMOUNTS)))
    how = draw(st.sampled_from(("on time", "late", "unpaid", "partial", "on the day")))
    if how == "unpaid":
        return PaymentFact(statement_id, due_on, amount)
    if how == "on the day":
        return PaymentFact(statement_id, due_on, amount, paid_on=due_on)
    offset = draw(st.integers(min_value=1, max_value=120))
    paid_on = due_on.subtract(days=offset) if how == "on time" else due_on.add(days=offset)
    paid = amount if how != "partial" else Money(amount.amount / 2).rounded()
    return PaymentFact(statement_id, due_on, amount, paid_on=paid_on, amount_paid=paid)


@st.composite
def _histories(draw: st.DrawFn, min_size: int, max_size: int) -> tuple[PaymentFact, ...]:
    count = draw(st.integers(min_value=min_size, max_value=max_size))
    if count == 0:
        return ()
    # Monthly notices due the 10th from a drawn month, as a fee cycle issues them (§2).
    first = BASE_DATE.subtract(months=draw(st.integers(min_value=0, max_value=18))).replace(day=10)
    return tuple(
        draw(_payment(f"N-{index + 1:02d}", first.add(months=index))) for index in range(count)
    )


def payment_fact_histories(
    *, min_size: int = 0, max_size: int = 14
) -> st.SearchStrategy[tuple[PaymentFact, ...]]:
    """One party's fee notices, monthly and due the 10th.

    Each is paid early, on the day, late, in part or never; shrinks to no notices.
    """
    if not 0 <= min_size <= max_size:
        raise ValueError(f"need 0 <= min_size <= max_size, got {min_size}, {max_size}")
    return _histories(min_size, max_size)


def service_purchases(*, max_size: int = 4) -> st.SearchStrategy[tuple[ServicePurchase, ...]]:
    """Special-service purchases around the base date; shrinks to none."""
    purchase = st.builds(
        ServicePurchase,
        _day_near(_SPAN_DAYS),
        st.sampled_from(_AMOUNTS).map(Money),
    )
    return st.lists(purchase, max_size=max_size).map(tuple)


def complaint_records(*, max_complaints: int = 6) -> st.SearchStrategy[ComplaintRecord]:
    """Complaint records: complaint days and satisfaction scores (one a day at most)."""
    scores = st.lists(
        st.tuples(_day_near(200), st.integers(min_value=1, max_value=5)),
        max_size=3,
        unique_by=lambda pair: pair[0],
    ).map(lambda pairs: [SatisfactionScore(day, score) for day, score in pairs])
    return st.builds(
        ComplaintRecord,
        complaints=st.lists(_day_near(200), max_size=max_complaints),
        satisfaction=scores,
    )


def _enum_sets(members: Sequence[object]) -> st.SearchStrategy[frozenset[object]]:
    return st.frozensets(st.sampled_from(members), max_size=len(members))


@st.composite
def _subjects(draw: st.DrawFn, party_id: str) -> SegmentSubject:
    organisation = draw(st.booleans())
    moved = draw(st.none() | _day_near(90))
    callback = None
    if moved is not None and draw(st.booleans()):
        callback = moved.add(days=draw(st.integers(min_value=0, max_value=60)))
    person_fields = (
        {}
        if organisation
        else {
            "birth_year": draw(st.none() | st.integers(min_value=1930, max_value=2010)),
            "household_size": draw(st.none() | st.integers(min_value=1, max_value=7)),
        }
    )
    return SegmentSubject(
        party_id,
        kind=SubjectKind.ORGANISATION if organisation else SubjectKind.PERSON,
        organisation=draw(st.sampled_from(OrganisationType)) if organisation else None,
        property_types=draw(_enum_sets(tuple(PropertyType))),
        community=draw(st.none() | st.sampled_from(_COMMUNITIES)),
        location=draw(st.none() | st.sampled_from(_LOCATIONS)),
        property_rights=draw(_enum_sets(tuple(PropertyRight))),
        asks=draw(_enum_sets(tuple(CustomerAsk))),
        moved_in_on=moved,
        callback_on=callback,
        payments=draw(payment_fact_histories()),
        purchases=draw(service_purchases()),
        complaints=draw(st.none() | complaint_records()),
        **person_fields,
    )


def party_ids(*, max_size: int = 4) -> st.SearchStrategy[str]:
    """Party ids from a small alphabet with digits, letters of both cases and CJK."""
    return st.text(alphabet=_ID_ALPHABET, min_size=1, max_size=max_size)


def segment_subjects(
    *, party_id: str | st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[SegmentSubject]:
    """Parties as segmentation sees them; shrinks to a person with nothing recorded."""
    ids = party_ids() if party_id is None else party_id
    ids = ids if isinstance(ids, st.SearchStrategy) else st.just(ids)
    return ids.flatmap(_subjects)


@st.composite
def _portfolios(draw: st.DrawFn, min_size: int, max_size: int) -> list[SegmentSubject]:
    ids = draw(st.lists(party_ids(), min_size=min_size, max_size=max_size, unique=True))
    # A few histories shared between parties make ties in every RFM component.
    shared = draw(st.lists(payment_fact_histories(min_size=1), min_size=1, max_size=2))
    subjects = []
    for pid in ids:
        subject: SegmentSubject = draw(_subjects(pid))
        share: bool = draw(st.booleans())
        if subject.payments and share:
            history: tuple[PaymentFact, ...] = draw(st.sampled_from(shared))
            subject = attrs.evolve(subject, payments=history)
        subjects.append(subject)
    return subjects


def portfolios(*, min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[list[SegmentSubject]]:
    """Portfolios of parties with unique ids, some sharing a payment history (ties)."""
    if not 0 <= min_size <= max_size:
        raise ValueError(f"need 0 <= min_size <= max_size, got {min_size}, {max_size}")
    return _portfolios(min_size, max_size)


def behaviour_policies() -> st.SearchStrategy[BehaviourPolicy]:
    """Behaviour policies: windows, minimum history, RFM source and scoring.

    Shrinks to the shortest window, one notice of history and RFM quantiles.
    """
    thresholds = st.builds(
        FixedThresholds,
        recency_days=st.just((365, 180, 90, 30)),
        frequency=st.just((2, 4, 8, 12)),
        monetary=st.just((Money("100.00"), Money("500.00"), Money("1500.00"), Money("4000.00"))),
    )
    quantiles = st.builds(
        Quantiles, st.integers(min_value=2, max_value=6), st.sampled_from(TieMethod)
    )
    return st.builds(
        BehaviourPolicy,
        window_months=st.integers(min_value=1, max_value=18),
        min_statements=st.integers(min_value=1, max_value=4),
        complaint_window_months=st.integers(min_value=1, max_value=6),
        rfm=st.builds(RfmPolicy, st.sampled_from(RfmSource), quantiles | thresholds),
    )


# Bounds are ints, Decimals or Money; Any lets one helper order all three.
def _bounds(values: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, Any]]:
    def ordered(pair: tuple[Any, Any]) -> bool:
        low, high = pair
        return low is None or high is None or bool(low <= high)

    return (
        st.tuples(st.none() | values, st.none() | values)
        .filter(lambda pair: pair != (None, None))
        .filter(ordered)
    )


def _bounded(
    kind: Callable[..., SegmentRule], values: st.SearchStrategy[Any]
) -> st.SearchStrategy[SegmentRule]:
    return _bounds(values).map(lambda pair: kind(at_least=pair[0], at_most=pair[1]))


def _leaves() -> st.SearchStrategy[SegmentRule]:
    small = st.integers(min_value=0, max_value=6)
    ratio = st.sampled_from(("0", "0.25", "0.5", "0.9", "1")).map(Decimal)
    days = st.sampled_from(("0", "0.5", "3", "10.25", "40")).map(Decimal)
    money = st.sampled_from(("0.00", "88.80", "250.24", "1000.00")).map(Money)
    score = st.integers(min_value=1, max_value=6)
    return st.one_of(
        _enum_sets(tuple(PropertyType)).filter(bool).map(PropertyTypeIs),
        _enum_sets(tuple(PropertyRight)).filter(bool).map(PropertyRightIs),
        _enum_sets(tuple(CustomerAsk)).filter(bool).map(AsksFor),
        _enum_sets(tuple(OrganisationType)).filter(bool).map(OrganisationIs),
        st.sampled_from(SubjectKind).map(SubjectKindIs),
        st.frozensets(st.sampled_from(_COMMUNITIES), min_size=1).map(CommunityIs),
        st.frozensets(st.sampled_from(_LOCATIONS), min_size=1).map(LocationIs),
        _bounded(AgeBetween, st.integers(min_value=0, max_value=100)),
        _bounded(HouseholdSizeBetween, st.integers(min_value=1, max_value=7)),
        st.integers(min_value=1, max_value=3).map(MovedInWithin),
        st.just(CallbackPending()),
        _bounded(OnTimeRatio, ratio),
        _bounded(AverageDaysLate, days),
        _bounded(MaxDaysLate, st.integers(min_value=0, max_value=150)),
        _bounded(LateStatements, small),
        _bounded(Arrears, money),
        _bounded(ServiceSpend, money),
        _bounded(ServicePurchases, small),
        st.tuples(st.sampled_from(RfmComponent), _bounds(score)).map(
            lambda c: RfmScoreBetween(c[0], at_least=c[1][0], at_most=c[1][1])
        ),
        _bounded(ComplaintsInWindow, small),
        _bounded(LastSatisfaction, st.integers(min_value=1, max_value=5)),
        st.sampled_from(list(ready_segments().values())),
    )


def segment_rules(*, max_leaves: int = 6) -> st.SearchStrategy[SegmentRule]:
    """Rule trees of every leaf type joined by and / or / not; shrinks to one leaf."""
    return st.recursive(
        _leaves(),
        lambda parts: st.one_of(
            st.lists(parts, min_size=1, max_size=3).map(AllRules),
            st.lists(parts, min_size=1, max_size=3).map(AnyRule),
            parts.map(NotRule),
        ),
        max_leaves=max_leaves,
    )
