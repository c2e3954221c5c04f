"""The numbers of scheduled care: :class:`CarePolicy`, its defaults and its checks.

Every number of move-in callbacks, regular visits and survey sampling is a field of
:class:`CarePolicy`; :data:`DEFAULT_CARE_POLICY` holds the brief's values (§4), and the
``DEFAULT_*`` constants here are its fields' defaults, each with where it comes from.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

import attrs
import pendulum

from propcrm._validators import instance_of
from propcrm.analytics import DEFAULT_CALLBACK_MONTHS, SATISFACTION_SCALE, BehaviourPolicy
from propcrm.errors import InvalidCarePlan
from propcrm.parties import RelationKind
from propcrm.time import as_date

__all__ = [
    "DEFAULT_CARE_POLICY",
    "DEFAULT_COMPLAINT_LOOKBACK_MONTHS",
    "DEFAULT_DISSATISFIED_UP_TO",
    "DEFAULT_MOVE_IN_KINDS",
    "DEFAULT_VISIT_CADENCE_MONTHS",
    "SATISFACTION_TOP",
    "CarePolicy",
    "check_policy",
    "complaint_window_policy",
]

# DEFAULT_CALLBACK_MONTHS (one month, brief §4) is analytics' own: segmentation's move-in rules
# and these callbacks keep the same window.

DEFAULT_MOVE_IN_KINDS = frozenset(
    {RelationKind.RESIDENT, RelationKind.TENANT, RelationKind.MERCHANT}
)
"""Relations whose start is a move-in: a household (住户), a tenancy (租户), a shop (商户).
Owning is not moving in: a purchase or handover brings no callback of its own."""

DEFAULT_COMPLAINT_LOOKBACK_MONTHS = 3
"""Months of complaints that put a customer first in the visit plan (not from the brief: a
quarter, the brief's survey rhythm (§4), and the same window segmentation counts complaints
over, ``DEFAULT_BEHAVIOUR_POLICY.complaint_window_months`` of :mod:`propcrm.analytics`)."""

DEFAULT_VISIT_CADENCE_MONTHS = 6
"""Months after a visit before a customer is due a regular visit again (not from the brief,
which asks for regular visits without a rhythm: twice a year, so two survey quarters apart)."""

DEFAULT_DISSATISFIED_UP_TO = 2
"""Highest satisfaction score (1-5) counted as dissatisfied: 1 and 2 (3 is neutral; 4 and 5
are satisfied, as in the satisfaction model's CSAT)."""

_MOVE_IN_ALLOWED = DEFAULT_MOVE_IN_KINDS
_MAX_MONTHS = 120
SATISFACTION_TOP = max(SATISFACTION_SCALE)
"""The best score on the satisfaction scale (5)."""


def _months(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_MONTHS:
        raise InvalidCarePlan(
            f"{attribute.name} {value!r} must be an int from 1 to {_MAX_MONTHS} (months).",
            field=attribute.name,
            value=value,
            allowed=f"int 1 to {_MAX_MONTHS}",
        )


def _kinds(value: Iterable[RelationKind]) -> frozenset[RelationKind]:
    if isinstance(value, RelationKind):
        value = (value,)
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidCarePlan(
            f"move_in_kinds are a collection of RelationKinds, not {value!r}.",
            field="move_in_kinds",
            value=value,
            allowed="a collection of RelationKind",
        )
    return frozenset(value)


def _check_kinds(_instance: object, _attribute: object, value: frozenset[RelationKind]) -> None:
    allowed = ", ".join(sorted(k.value for k in _MOVE_IN_ALLOWED))
    if not value or not value <= _MOVE_IN_ALLOWED:
        given = ", ".join(sorted(str(getattr(k, "value", k)) for k in value)) or "none"
        raise InvalidCarePlan(
            f"move_in_kinds ({given}) must be one or more of {allowed}: the relations that "
            "start with someone moving in.",
            field="move_in_kinds",
            value=value,
            allowed=f"one or more of {allowed}",
        )


def _dissatisfied(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < SATISFACTION_TOP:
        raise InvalidCarePlan(
            f"dissatisfied_up_to {value!r} must be an int from 0 (nobody) to 4 on the 1-5 "
            "satisfaction scale.",
            field="dissatisfied_up_to",
            value=value,
            allowed=f"int 0 to {SATISFACTION_TOP - 1}",
        )


@attrs.frozen
class CarePolicy:
    """The numbers of scheduled care (brief §4), each with its default.

    Attributes:
        callback_months: a move-in's callback is due this many calendar months after it
            (1, brief §4: "within one month of move-in"; ``propcrm.analytics``'s
            ``DEFAULT_CALLBACK_MONTHS``, the window segmentation's move-in rules use too).
        move_in_kinds: which relations start with a move-in (residents, tenants and merchants;
            owning is not moving in).
        complaint_lookback_months: complaints this many months back, up to the plan's date,
            put a customer first in the visit plan (3, a quarter).
        visit_cadence_months: a customer is due a regular visit this many months after the
            last one; one never visited is due at once (6).
        dissatisfied_up_to: a latest satisfaction score at or below this moves a customer
            ahead of others in the same tier of the visit plan (2; 0 turns it off).
        survey_vacant_units: the survey also asks the payer of a handed-over unit nobody lives
            in (an absentee owner still pays the fees and judges the service); default on.

    Read a default from :data:`DEFAULT_CARE_POLICY`:

    >>> DEFAULT_CARE_POLICY.callback_months, DEFAULT_CARE_POLICY.dissatisfied_up_to
    (1, 2)
    >>> CarePolicy(visit_cadence_months=0)
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidCarePlan: visit_cadence_months 0 must be an int from 1 to 120 (months).
    """

    callback_months: int = attrs.field(default=DEFAULT_CALLBACK_MONTHS, validator=_months)
    move_in_kinds: frozenset[RelationKind] = attrs.field(
        default=DEFAULT_MOVE_IN_KINDS, converter=_kinds, validator=_check_kinds
    )
    complaint_lookback_months: int = attrs.field(
        default=DEFAULT_COMPLAINT_LOOKBACK_MONTHS, validator=_months
    )
    visit_cadence_months: int = attrs.field(default=DEFAULT_VISIT_CADENCE_MONTHS, validator=_months)
    dissatisfied_up_to: int = attrs.field(
        default=DEFAULT_DISSATISFIED_UP_TO, validator=_dissatisfied
    )
    survey_vacant_units: bool = attrs.field(default=True, validator=instance_of(bool))

    def callback_due(self, moved_in: datetime.date) -> pendulum.Date:
        """The day a callback for a move-in on ``moved_in`` is due by (that day included).

        >>> DEFAULT_CARE_POLICY.callback_due(pendulum.date(2027, 1, 31))
        Date(2027, 2, 28)
        """
        return as_date(moved_in, "moved_in").add(months=self.callback_months)

    def complaint_window(self, as_of: datetime.date) -> tuple[pendulum.Date, pendulum.Date]:
        """First and last day (both included) of the complaints that count on ``as_of``.

        The same window segmentation uses (``BehaviourPolicy.complaint_window``).

        >>> DEFAULT_CARE_POLICY.complaint_window(pendulum.date(2026, 12, 31))
        (Date(2026, 10, 1), Date(2026, 12, 31))
        """
        return complaint_window_policy(self).complaint_window(as_date(as_of, "as_of"))

    def visit_due(self, last_visited: datetime.date) -> pendulum.Date:
        """The first day a customer last visited on ``last_visited`` is due again.

        >>> DEFAULT_CARE_POLICY.visit_due(pendulum.date(2026, 3, 1))
        Date(2026, 9, 1)
        """
        return as_date(last_visited, "last_visited").add(months=self.visit_cadence_months)


DEFAULT_CARE_POLICY = CarePolicy()
"""Callback within one month (§4); residents, tenants, shops; complaints of the last 3 months
first; a visit every 6 months; scores 1-2 dissatisfied; vacant units' payers surveyed."""


def check_policy(policy: object) -> None:
    if not isinstance(policy, CarePolicy):
        raise InvalidCarePlan(
            f"policy must be a CarePolicy, not {type(policy).__name__}.",
            field="policy",
            value=policy,
            allowed="CarePolicy",
        )


def complaint_window_policy(policy: CarePolicy) -> BehaviourPolicy:
    """The analytics policy that counts complaints over ``policy``'s look-back window."""
    return BehaviourPolicy(complaint_window_months=policy.complaint_lookback_months)
