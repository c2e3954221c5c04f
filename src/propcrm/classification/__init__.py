"""Classification as data: which priority a service request gets, and why.

Domain brief §3: in-home repairs are 特急 extra-urgent, 急 urgent or 一般 general
(:data:`DEFAULT_PRIORITIES`). A :class:`RuleSet` of :class:`Rule` values pairs typed predicates
over the :class:`RequestFacts` (:class:`CategoryIn`, :class:`Keywords`, :class:`TimeOfDay`, ...,
combined with :class:`AllOf`, :class:`AnyOf`, :class:`Not` or ``&``, ``|``, ``~``) with
priority levels; :func:`classify` returns a :class:`Classification` with its evidence, and
staff correct it with :func:`override`. :data:`DEFAULT_RULES` is the shipped rule set.

The SLA engine (:mod:`propcrm.sla`) knows a priority only by its code, so neither package
imports the other. Depends only on :mod:`propcrm.money` and :mod:`propcrm.time`.
"""

from propcrm.classification._classification import (
    Classification,
    RaiseRule,
    Rule,
    RuleSet,
    classify,
    rule_table,
)
from propcrm.classification._default_rules import (
    DEFAULT_RULES,
)
from propcrm.classification._overrides import (
    OverriddenClassification,
    override,
)
from propcrm.classification._predicates import (
    AllOf,
    Always,
    AnyOf,
    CategoryIn,
    Keywords,
    LocationIn,
    Not,
    Predicate,
    PredicateOutcome,
    RequesterHas,
    TimeOfDay,
)
from propcrm.classification._priorities import (
    DEFAULT_PRIORITIES,
    EXTRA_URGENT,
    GENERAL,
    URGENT,
    Priority,
    PriorityScale,
)
from propcrm.classification._request_facts import (
    Category,
    Location,
    RequesterAttribute,
    RequesterProfile,
    RequestFacts,
)

__all__ = [
    "DEFAULT_PRIORITIES",
    "DEFAULT_RULES",
    "EXTRA_URGENT",
    "GENERAL",
    "URGENT",
    "AllOf",
    "Always",
    "AnyOf",
    "Category",
    "CategoryIn",
    "Classification",
    "Keywords",
    "Location",
    "LocationIn",
    "Not",
    "OverriddenClassification",
    "Predicate",
    "PredicateOutcome",
    "Priority",
    "PriorityScale",
    "RaiseRule",
    "RequestFacts",
    "RequesterAttribute",
    "RequesterHas",
    "RequesterProfile",
    "Rule",
    "RuleSet",
    "TimeOfDay",
    "classify",
    "override",
    "rule_table",
]


def __dir__() -> list[str]:
    return list(__all__)
