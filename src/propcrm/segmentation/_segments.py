"""Ready segments: :class:`Segment`, :class:`SegmentPolicy` and the six segments of the brief.

The domain brief (§5): segments focus limited resources — chronic late payers, frequent
complainers, high-value commercial tenants, new residents due a callback. Each ready segment is a
:class:`Segment`: a code, its name in each locale (from the catalogs) and a rule built from the
leaf rules, so it explains itself like any rule and runs unchanged on the batch path. Every
threshold is a :class:`SegmentPolicy` value; only the one-month callback comes from the brief
(§4), the others are this library's defaults and say so.

>>> import pendulum
>>> from propcrm.analytics import PaymentFact
>>> from propcrm.money import Money
>>> from propcrm.segmentation import PartyFacts, SegmentSubject
>>> late = [
...     PaymentFact(
...         f"N-{m}",
...         pendulum.date(2026, m, 10),
...         Money("250.24"),
...         paid_on=pendulum.date(2026, m, 25),
...     )
...     for m in range(6, 12)
... ]
>>> payer = SegmentSubject("P-7", payments=late)
>>> facts = PartyFacts.of(payer, pendulum.date(2026, 12, 1))
>>> print(chronic_late_payer().evaluate(facts).render())
✓ 长期欠费拖欠户
  ✓ 逾期通知单数 ≥ 3：6张通知单中6张逾期
>>> print(chronic_late_payer().evaluate(facts).render("en_US"))
✓ chronic late payer
  ✓ late notices ≥ 3: 6 of 6 notices late
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from propcrm._i18n import (
    DEFAULT_LOCALE,
    SUPPORTED_LOCALES,
    LocaleLike,
    check_locale,
    pgettext,
)
from propcrm._property_types import PropertyType
from propcrm._validators import check_instance, check_int, check_text, in_field
from propcrm.analytics import DEFAULT_CALLBACK_MONTHS, RfmComponent
from propcrm.errors import InvalidPolicy, InvalidSegmentRule
from propcrm.money import Money, to_decimal
from propcrm.segmentation._checks import check_code
from propcrm.segmentation._complaint_rules import ComplaintsInWindow, LastSatisfaction
from propcrm.segmentation._external_rules import PropertyTypeIs
from propcrm.segmentation._lifecycle_rules import CallbackPending, MovedInWithin
from propcrm.segmentation._outcomes import Explanation
from propcrm.segmentation._punctuality_rules import Arrears, LateStatements, OnTimeRatio
from propcrm.segmentation._right_and_ask_rules import PropertyRightIs
from propcrm.segmentation._rules import AllRules, SegmentRule
from propcrm.segmentation._subjects import PartyFacts, PropertyRight
from propcrm.segmentation._value_rules import RfmScoreBetween

__all__ = [
    "DEFAULT_AT_RISK_COMPLAINTS",
    "DEFAULT_AT_RISK_SATISFACTION",
    "DEFAULT_CHRONIC_LATE_STATEMENTS",
    "DEFAULT_FREQUENT_COMPLAINTS",
    "DEFAULT_HIGH_VALUE_MONETARY_SCORE",
    "DEFAULT_RELIABLE_ON_TIME_RATIO",
    "DEFAULT_SEGMENT_POLICY",
    "Segment",
    "SegmentPolicy",
    "at_risk",
    "chronic_late_payer",
    "frequent_complainer",
    "high_value_commercial_tenant",
    "new_resident_due_callback",
    "ready_segments",
    "reliable_payer",
]


DEFAULT_CHRONIC_LATE_STATEMENTS = 3
"""Late notices in the behaviour window that make a chronic late payer (not from the brief)."""

DEFAULT_RELIABLE_ON_TIME_RATIO = Decimal("0.9")
"""On-time share that, with no arrears, makes a reliable payer (not from the brief)."""

DEFAULT_HIGH_VALUE_MONETARY_SCORE = 4
"""RFM monetary score (of 5) from which a commercial tenant is high-value (the top two fifths;
not from the brief)."""

DEFAULT_FREQUENT_COMPLAINTS = 3
"""Complaints in the complaint window that make a frequent complainer (not from the brief)."""

DEFAULT_AT_RISK_COMPLAINTS = 1
"""Complaints in the complaint window that, with low satisfaction, put a party at risk."""

DEFAULT_AT_RISK_SATISFACTION = 2
"""Latest satisfaction score (1–5) at or below which a complaining party is at risk."""


def _count(minimum: int, maximum: int) -> Any:
    def check(_i: object, attribute: attrs.Attribute[int], value: int) -> None:
        check_int(value, attribute.name, InvalidPolicy, minimum=minimum, maximum=maximum)

    return check


def _share(value: object) -> Decimal:
    allowed = "a decimal from 0 to 1, e.g. '0.9'"
    with in_field("reliable_on_time_ratio", value, allowed):
        result = to_decimal(value, what="on-time ratio", field="reliable_on_time_ratio")
    if not 0 <= result <= 1:
        raise InvalidPolicy(
            f"on-time ratio {value!r} must be from 0 to 1.",
            field="reliable_on_time_ratio",
            value=value,
            allowed=allowed,
        )
    return result


@attrs.frozen
class SegmentPolicy:
    """Thresholds of the ready segments; the defaults are the module's named values."""

    chronic_late_statements: int = attrs.field(
        default=DEFAULT_CHRONIC_LATE_STATEMENTS, validator=_count(1, 1000)
    )
    reliable_on_time_ratio: Decimal = attrs.field(
        default=DEFAULT_RELIABLE_ON_TIME_RATIO, converter=_share
    )
    high_value_monetary_score: int = attrs.field(
        default=DEFAULT_HIGH_VALUE_MONETARY_SCORE, validator=_count(1, 100)
    )
    callback_months: int = attrs.field(default=DEFAULT_CALLBACK_MONTHS, validator=_count(1, 120))
    frequent_complaints: int = attrs.field(
        default=DEFAULT_FREQUENT_COMPLAINTS, validator=_count(1, 1000)
    )
    at_risk_complaints: int = attrs.field(
        default=DEFAULT_AT_RISK_COMPLAINTS, validator=_count(1, 1000)
    )
    at_risk_satisfaction: int = attrs.field(
        default=DEFAULT_AT_RISK_SATISFACTION, validator=_count(1, 5)
    )


DEFAULT_SEGMENT_POLICY = SegmentPolicy()
"""The ready segments' default thresholds."""


def _inner(_i: object, _a: object, value: Any) -> None:
    if not isinstance(value, SegmentRule):
        raise InvalidSegmentRule(
            f"a segment's rule {value!r} is not a SegmentRule.",
            field="rule",
            value=value,
            allowed="a SegmentRule",
        )


_NAMES = "a mapping of locale to name, e.g. {'zh_CN': '贵宾户', 'en_US': 'VIP'}"


def _names(value: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping):
        raise InvalidSegmentRule(
            f"a segment's names {value!r} must be a mapping of locale to name, e.g. "
            "{'zh_CN': '贵宾户', 'en_US': 'VIP'}.",
            field="names",
            value=value,
            allowed=_NAMES,
        )
    names: dict[str, str] = {}
    for locale, name in value.items():
        key = check_locale(locale)  # an unsupported locale raises UnsupportedLocale
        check_text(name, "names", InvalidSegmentRule, example="'贵宾户'")
        if key in names:
            raise InvalidSegmentRule(
                f"a segment's names give {key} twice (as {locale!r}); give each locale once.",
                field="names",
                value=locale,
                allowed=_NAMES,
            )
        names[key] = name
    missing = [locale for locale in SUPPORTED_LOCALES if locale not in names]
    if missing:
        raise InvalidSegmentRule(
            f"a segment needs a name in every supported locale; missing: {', '.join(missing)}.",
            field="names",
            value=value,
            allowed=_NAMES,
        )
    return tuple((locale, names[locale]) for locale in SUPPORTED_LOCALES)


@attrs.frozen
class Segment(SegmentRule):
    """A named segment: a code, its name in each supported locale and the rule that defines it.

    A segment of your own is named in your words, as data: ``Segment("vip", {"zh_CN": "贵宾户",
    "en_US": "VIP"}, rule)``; the ready segments take theirs from the catalogs. A segment is
    itself a rule: its explanation is the rule's, under the segment's name.
    """

    code: str = attrs.field(validator=check_code)
    names: tuple[tuple[str, str], ...] = attrs.field(converter=_names)
    rule: SegmentRule = attrs.field(validator=_inner)

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The segment's name in ``locale``.

        >>> chronic_late_payer().label(), chronic_late_payer().label("en_US")
        ('长期欠费拖欠户', 'chronic late payer')
        """
        return dict(self.names)[check_locale(locale)]

    def children(self) -> tuple[SegmentRule, ...]:
        """The defining rule."""
        return (self.rule,)

    def evaluate(self, facts: PartyFacts) -> Explanation:
        """The rule's outcome, under the segment's name."""
        inner = self.rule.evaluate(facts)
        if type(self.rule) is AllRules:
            # A segment holds when its defining conditions all hold; an "all of" level directly
            # under it would say nothing more.
            return Explanation(self, inner.outcome, children=inner.children)
        return Explanation(self, inner.outcome, children=(inner,))

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The segment's name in ``locale``, as :meth:`label`."""
        return self.label(locale)


def _catalog_names(name: Callable[[str], str]) -> dict[str, str]:
    """A ready segment's names, from its catalog message in every supported locale."""
    return {locale: name(locale) for locale in SUPPORTED_LOCALES}


# -- the ready segments -------------------------------------------------------------------------


def chronic_late_payer(policy: SegmentPolicy = DEFAULT_SEGMENT_POLICY) -> Segment:
    """Late on at least ``chronic_late_statements`` notices due in the behaviour window."""
    return Segment(
        "chronic-late-payer",
        _catalog_names(lambda locale: pgettext("segment", "chronic late payer", locale=locale)),
        LateStatements(at_least=policy.chronic_late_statements),
    )


def reliable_payer(policy: SegmentPolicy = DEFAULT_SEGMENT_POLICY) -> Segment:
    """Paid at least ``reliable_on_time_ratio`` of notices on time, and owes nothing overdue."""
    return Segment(
        "reliable-payer",
        _catalog_names(lambda locale: pgettext("segment", "reliable payer", locale=locale)),
        OnTimeRatio(at_least=policy.reliable_on_time_ratio) & Arrears(at_most=Money.zero()),
    )


def high_value_commercial_tenant(policy: SegmentPolicy = DEFAULT_SEGMENT_POLICY) -> Segment:
    """A tenant of commercial property with an RFM monetary score of at least the policy's."""
    return Segment(
        "high-value-commercial-tenant",
        _catalog_names(
            lambda locale: pgettext("segment", "high-value commercial tenant", locale=locale)
        ),
        PropertyRightIs(PropertyRight.TENANT)
        & PropertyTypeIs(PropertyType.COMMERCIAL)
        & RfmScoreBetween(RfmComponent.MONETARY, at_least=policy.high_value_monetary_score),
    )


def new_resident_due_callback(policy: SegmentPolicy = DEFAULT_SEGMENT_POLICY) -> Segment:
    """Moved in within ``callback_months`` and not yet called back (§4: within one month)."""
    return Segment(
        "new-resident-callback",
        _catalog_names(
            lambda locale: pgettext("segment", "new resident due the callback", locale=locale)
        ),
        MovedInWithin(policy.callback_months) & CallbackPending(),
    )


def frequent_complainer(policy: SegmentPolicy = DEFAULT_SEGMENT_POLICY) -> Segment:
    """At least ``frequent_complaints`` complaints in the complaint window."""
    return Segment(
        "frequent-complainer",
        _catalog_names(lambda locale: pgettext("segment", "frequent complainer", locale=locale)),
        ComplaintsInWindow(at_least=policy.frequent_complaints),
    )


def at_risk(policy: SegmentPolicy = DEFAULT_SEGMENT_POLICY) -> Segment:
    """Complained in the window and last rated us at or below ``at_risk_satisfaction``."""
    return Segment(
        "at-risk",
        _catalog_names(lambda locale: pgettext("segment", "at risk", locale=locale)),
        ComplaintsInWindow(at_least=policy.at_risk_complaints)
        & LastSatisfaction(at_most=policy.at_risk_satisfaction),
    )


def ready_segments(policy: SegmentPolicy = DEFAULT_SEGMENT_POLICY) -> dict[str, Segment]:
    """The six ready segments, by code, in the brief's order of concern.

    >>> list(ready_segments())
    ['chronic-late-payer', 'reliable-payer', 'high-value-commercial-tenant', \
'new-resident-callback', 'frequent-complainer', 'at-risk']
    """
    check_instance(policy, "policy", SegmentPolicy)
    segments = (
        chronic_late_payer(policy),
        reliable_payer(policy),
        high_value_commercial_tenant(policy),
        new_resident_due_callback(policy),
        frequent_complainer(policy),
        at_risk(policy),
    )
    return {segment.code: segment for segment in segments}
