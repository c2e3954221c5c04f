"""Customer segmentation (客户细分): declarative rules over what we know of a party on a date.

The domain brief (§5) sorts what a segment can be built on into three families, and property
management adds its own schemes (issue 6):

- **external** attributes: property type held (residential, office, commercial …), community and
  location, kind of customer (an individual, an enterprise, a government agency …);
- **internal** attributes: age band, household size (gender, native place, interests, income
  and values are also listed by the brief; they are sensitive personal data that segmentation
  does not need, so they are not modelled);
- **behaviour**: how punctually and how much a party pays, what it buys, how often it complains;
  available only for existing customers;
- **by property right**: owner (业主), tenant (租户) or other occupant (非业主使用人, §1);
- **by value**: special-service spend and RFM scores;
- **by what they ask of us**: service, opinions, fees;
- **lifecycle**: move-in and the callback every new customer is due within a month (§4).

A rule is a typed predicate, never a string evaluated as code. Rules compose with ``&`` (and),
``|`` (or) and ``~`` (not) — or :class:`AllRules`, :class:`AnyRule` and :class:`NotRule` — and
evaluating one on a party gives an :class:`Explanation`: the outcome of every rule in the tree,
with what the party's record showed, as data; ``render(locale)`` writes it in zh_CN (the default)
or en_US.

A party reaches segmentation as a :class:`SegmentSubject`, a plain value (the behaviour facts are
:mod:`propcrm.analytics` values); :func:`segment_subject` builds one from the party book and
billing accounts. :func:`ready_segments` gives the brief's six segments, :func:`evaluate_portfolio`
evaluates rules party by party with explanations, :func:`evaluate_batch` does the same over
columns for a whole portfolio (polars, ``propcrm[batch]``), and :class:`SegmentHistory` records
who was in a segment when.

Three-valued outcomes
---------------------
A behavioural rule on a party with too little history answers
:attr:`Outcome.INSUFFICIENT_HISTORY`, never a low score and never "no match"; so does a rule on
an internal attribute the record does not hold (a person's birth year, a household size). That
third value is Kleene's *unknown*, and the connectives follow Kleene's strong logic:

- ``a & b`` is NO_MATCH if either is NO_MATCH, else INSUFFICIENT_HISTORY if either is, else MATCH;
- ``a | b`` is MATCH if either is MATCH, else INSUFFICIENT_HISTORY if either is, else NO_MATCH;
- ``~a`` swaps MATCH and NO_MATCH and leaves INSUFFICIENT_HISTORY as it is.

So "late payer or complainer" is a match as soon as either is known to hold, and "not a late
payer" of a party without history stays unknown instead of turning into a match. A party is a
**member** of a segment only when the outcome is MATCH.

>>> import pendulum
>>> from propcrm.billing import PropertyType
>>> shop = SegmentSubject(
...     "P-0042",
...     property_types={PropertyType.COMMERCIAL},
...     property_rights={PropertyRight.TENANT},
...     community="SUNRISE",
... )
>>> facts = PartyFacts.of(shop, pendulum.date(2026, 12, 31))
>>> rule = PropertyTypeIs(PropertyType.COMMERCIAL) & LateStatements(at_least=3)
>>> result = rule.evaluate(facts)
>>> result.outcome
<Outcome.INSUFFICIENT_HISTORY: 'insufficient_history'>
>>> print(result.render())
? 同时满足以下全部
  ✓ 持有商业物业：商业
  ? 逾期通知单数 ≥ 3：历史不足：已评估0张通知单，需要3张
>>> print(result.render("en_US"))
? all of
  ✓ holds commercial: commercial
  ? late notices ≥ 3: insufficient history: 0 notices assessed, 3 needed
>>> (rule | PropertyRightIs(PropertyRight.TENANT)).evaluate(facts).outcome
<Outcome.MATCH: 'match'>
"""

from propcrm.segmentation._batch import (
    PortfolioFrames,
    batch_outcomes,
    batch_rfm,
    behaviour_frame,
    compile_rule,
    evaluate_batch,
    flag_mask,
    frames_from_subjects,
)
from propcrm.segmentation._complaint_rules import ComplaintsInWindow, LastSatisfaction
from propcrm.segmentation._external_rules import (
    CommunityIs,
    LocationIs,
    OrganisationIs,
    PropertyTypeIs,
    SubjectKindIs,
)
from propcrm.segmentation._history import (
    MembershipChange,
    MembershipChangeKind,
    SegmentHistory,
    SegmentMembership,
)
from propcrm.segmentation._internal_rules import AgeBetween, HouseholdSizeBetween
from propcrm.segmentation._lifecycle_rules import CallbackPending, MovedInWithin
from propcrm.segmentation._outcomes import Explanation, Outcome
from propcrm.segmentation._party_book import payment_facts, segment_subject
from propcrm.segmentation._portfolio import PortfolioEvaluation, evaluate_portfolio
from propcrm.segmentation._punctuality_rules import (
    Arrears,
    AverageDaysLate,
    LateStatements,
    MaxDaysLate,
    OnTimeRatio,
)
from propcrm.segmentation._right_and_ask_rules import AsksFor, PropertyRightIs
from propcrm.segmentation._rules import AllRules, AnyRule, NotRule, RuleFamily, SegmentRule
from propcrm.segmentation._segments import (
    DEFAULT_SEGMENT_POLICY,
    Segment,
    SegmentPolicy,
    ready_segments,
)
from propcrm.segmentation._subjects import (
    CustomerAsk,
    OrganisationType,
    PartyFacts,
    PropertyRight,
    SegmentSubject,
    SubjectKind,
)
from propcrm.segmentation._value_rules import RfmScoreBetween, ServicePurchases, ServiceSpend

__all__ = [
    "DEFAULT_SEGMENT_POLICY",
    "AgeBetween",
    "AllRules",
    "AnyRule",
    "Arrears",
    "AsksFor",
    "AverageDaysLate",
    "CallbackPending",
    "CommunityIs",
    "ComplaintsInWindow",
    "CustomerAsk",
    "Explanation",
    "HouseholdSizeBetween",
    "LastSatisfaction",
    "LateStatements",
    "LocationIs",
    "MaxDaysLate",
    "MembershipChange",
    "MembershipChangeKind",
    "MovedInWithin",
    "NotRule",
    "OnTimeRatio",
    "OrganisationIs",
    "OrganisationType",
    "Outcome",
    "PartyFacts",
    "PortfolioEvaluation",
    "PortfolioFrames",
    "PropertyRight",
    "PropertyRightIs",
    "PropertyTypeIs",
    "RfmScoreBetween",
    "RuleFamily",
    "Segment",
    "SegmentHistory",
    "SegmentMembership",
    "SegmentPolicy",
    "SegmentRule",
    "SegmentSubject",
    "ServicePurchases",
    "ServiceSpend",
    "SubjectKind",
    "SubjectKindIs",
    "batch_outcomes",
    "batch_rfm",
    "behaviour_frame",
    "compile_rule",
    "evaluate_batch",
    "evaluate_portfolio",
    "flag_mask",
    "frames_from_subjects",
    "payment_facts",
    "ready_segments",
    "segment_subject",
]


def __dir__() -> list[str]:
    return list(__all__)
