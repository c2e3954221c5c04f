"""Versioned tariffs: which charge rules apply to each property type, from which day.

A fee adjustment is a new :class:`TariffVersion`. It applies from its effective date only,
records who approved it (the owners' committee or the price authority, with a reference) and when
it was announced; the domain brief (§2) allows adjustment "only after notice to residents and
approval". A version that takes effect fewer than ``min_notice_days`` after its announcement is
refused (:class:`TariffPolicy`).

The default notice is **30 days**: the domain brief requires notice without a figure, and 30 days
is the period local property-fee rules most commonly require for publicising a fee adjustment
(提前30日公示). It is a policy value; set your community's own.

>>> v1 = TariffVersion(
...     "2025",
...     effective_from=pendulum.date(2025, 1, 1),
...     announced_on=pendulum.date(2024, 11, 20),
...     approval=Approval(
...         Approver.OWNERS_COMMITTEE,
...         "业委会决议〔2024〕7号",
...         approved_on=pendulum.date(2024, 11, 15),
...     ),
...     charges={PropertyType.RESIDENTIAL: (AreaCharge("MGMT", "物业管理费", Money("2.50")),)},
... )
>>> v2 = attrs.evolve(
...     v1,
...     version="2026-07",
...     effective_from=pendulum.date(2026, 7, 16),
...     announced_on=pendulum.date(2026, 6, 1),
...     charges={PropertyType.RESIDENTIAL: (AreaCharge("MGMT", "物业管理费", Money("2.80")),)},
... )
>>> tariff = Tariff("SUNRISE", (v1, v2))
>>> [
...     (a.day, b.day, v.version)
...     for a, b, v in tariff.runs(pendulum.date(2026, 7, 1), pendulum.date(2026, 7, 31))
... ]
[(1, 15, '2025'), (16, 31, '2026-07')]
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._property_types import PropertyType
from propcrm._trusted import set_cached
from propcrm._validators import instance_of
from propcrm.billing._charges import (
    AreaCharge,
    ChargeRule,
    FixedCharge,
    MeteredCharge,
    ParkingCharge,
    SpecialServiceCharge,
)
from propcrm.billing._repeated import check_id, items_of, repeated
from propcrm.billing._versioning import (
    in_force_index,
    sorted_versions,
    version_runs,
)
from propcrm.errors import (
    InvalidPeriod,
    InvalidPolicy,
    InvalidType,
    NoTariffInForce,
    TariffError,
    TariffNoticeTooShort,
)
from propcrm.time import as_date

__all__ = [
    "DEFAULT_MIN_NOTICE_DAYS",
    "Approval",
    "Approver",
    "Tariff",
    "TariffPolicy",
    "TariffVersion",
]

DEFAULT_MIN_NOTICE_DAYS = 30
"""Default minimum days between announcing a tariff version and its taking effect."""


class Approver(enum.Enum):
    """Who may approve a fee adjustment (domain brief §2)."""

    OWNERS_COMMITTEE = "owners_committee"
    PRICE_AUTHORITY = "price_authority"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """Who approved, for people: ``'业主委员会'`` (zh_CN) or ``"owners' committee"``."""
        match self:
            case Approver.OWNERS_COMMITTEE:
                return pgettext("approver", "owners' committee", locale=locale)
            case Approver.PRICE_AUTHORITY:
                return pgettext("approver", "price authority", locale=locale)


def _reference(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise TariffError(
            "an approval needs a reference (resolution or document number).",
            field="reference",
            value=value,
            allowed="non-empty text, e.g. '业委会决议〔2025〕3号'",
        )


def _approved_on(value: object) -> pendulum.Date:
    return as_date(value, "approved_on")


@attrs.frozen
class Approval:
    """The approval of a tariff version: by whom, under which reference, on which day."""

    by: Approver = attrs.field(validator=instance_of(Approver))
    reference: str = attrs.field(validator=_reference)
    approved_on: pendulum.Date = attrs.field(converter=_approved_on)


_RULE_TYPES = (AreaCharge, FixedCharge, ParkingCharge, MeteredCharge, SpecialServiceCharge)


def _charges(
    value: Mapping[PropertyType, tuple[ChargeRule, ...]],
) -> Mapping[PropertyType, tuple[ChargeRule, ...]]:
    if not isinstance(value, Mapping):
        raise InvalidType(
            f"tariff charges must map each PropertyType to its rules, got "
            f"{type(value).__name__} {value!r}.",
            field="charges",
            value=value,
            allowed="a mapping of PropertyType to charge rules",
        )
    result: dict[PropertyType, tuple[ChargeRule, ...]] = {}
    for kind, given in value.items():
        if not isinstance(kind, PropertyType):
            raise InvalidType(
                f"tariff charges are keyed by PropertyType, got {kind!r}",
                field="charges",
                value=kind,
                allowed="PropertyType",
            )
        rules: tuple[ChargeRule, ...] = items_of(given, _RULE_TYPES, "charges")
        twice = repeated(r.code for r in rules)
        if twice:
            raise TariffError(
                f"charge code(s) {', '.join(twice)} appear twice for {kind.value}; "
                "each rule of a property type needs its own code.",
                field="charges",
                value=twice[0],
                allowed="each charge code once per property type",
                property_type=kind,
            )
        result[kind] = rules
    return MappingProxyType(result)


def _version_name(_instance: object, _attribute: object, value: Any) -> None:
    check_id(value, "version", TariffError, what="tariff version", example="'2026-07'")


def _effective_from(value: object) -> pendulum.Date:
    return as_date(value, "effective_from")


def _announced_on(value: object) -> pendulum.Date:
    return as_date(value, "announced_on")


@attrs.frozen(eq=False)
class TariffVersion:
    """The charge rules per property type in force from ``effective_from``."""

    version: str = attrs.field(validator=_version_name)
    effective_from: pendulum.Date = attrs.field(converter=_effective_from)
    announced_on: pendulum.Date = attrs.field(converter=_announced_on)
    approval: Approval = attrs.field(validator=instance_of(Approval))
    charges: Mapping[PropertyType, tuple[ChargeRule, ...]] = attrs.field(converter=_charges)

    def __attrs_post_init__(self) -> None:
        if self.approval.approved_on > self.effective_from:
            raise TariffError(
                f"tariff version {self.version} takes effect on "
                f"{self.effective_from.isoformat()} but was approved only on "
                f"{self.approval.approved_on.isoformat()}; a fee applies only after approval.",
                field="effective_from",
                value=self.effective_from,
                allowed=f"on or after {self.approval.approved_on.isoformat()}",
                version=self.version,
            )

    def rules_for(self, property_type: PropertyType) -> tuple[ChargeRule, ...]:
        """The rules for ``property_type``; none if the version does not price it."""
        if type(property_type) is not PropertyType:
            raise _not_a_property_type(property_type)
        return self.charges.get(property_type, ())


def _not_a_property_type(value: object) -> InvalidType:
    return InvalidType(
        f"property type {value!r} is not a PropertyType.",
        field="property_type",
        value=value,
        allowed="PropertyType",
    )


def _notice(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366:
        raise InvalidPolicy(
            f"minimum notice {value!r} must be an int of 0 days or more (at most 366).",
            field="min_notice_days",
            value=value,
            allowed="int from 0 to 366",
        )


@attrs.frozen
class TariffPolicy:
    """Rules every tariff version must meet; ``min_notice_days`` defaults to 30."""

    min_notice_days: int = attrs.field(default=DEFAULT_MIN_NOTICE_DAYS, validator=_notice)

    def check(self, version: TariffVersion) -> None:
        """Refuse ``version`` if it gives residents too little notice."""
        if not isinstance(version, TariffVersion):
            raise InvalidType(
                f"version {version!r} is not a TariffVersion.",
                field="version",
                value=version,
                allowed="TariffVersion",
            )
        earliest = version.announced_on.add(days=self.min_notice_days)
        if version.effective_from < earliest:
            raise TariffNoticeTooShort(
                f"tariff version {version.version} announced on "
                f"{version.announced_on.isoformat()} cannot take effect on "
                f"{version.effective_from.isoformat()}; with {self.min_notice_days} days' notice "
                f"the earliest allowed date is {earliest.isoformat()}.",
                field="effective_from",
                value=version.effective_from,
                allowed=f"on or after {earliest.isoformat()}",
                version=version.version,
            )


def _sorted_versions(versions: Iterable[TariffVersion]) -> tuple[TariffVersion, ...]:
    return sorted_versions(items_of(versions, TariffVersion, "versions"), "tariff")


def _tariff_name(_instance: object, _attribute: object, value: Any) -> None:
    check_id(value, "name", TariffError, what="tariff name", example="'SUNRISE'")


@attrs.frozen(eq=False)
class Tariff:
    """All versions of one community's tariff, checked against ``policy``."""

    name: str = attrs.field(validator=_tariff_name)
    versions: tuple[TariffVersion, ...] = attrs.field(converter=_sorted_versions)
    policy: TariffPolicy = attrs.field(factory=TariffPolicy, validator=instance_of(TariffPolicy))
    _starts: tuple[pendulum.Date, ...] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        for version in self.versions:
            self.policy.check(version)
        set_cached(self, "_starts", tuple(v.effective_from for v in self.versions))

    def with_version(self, version: TariffVersion) -> Tariff:
        """A new tariff with ``version`` added (checked like the others)."""
        return Tariff(self.name, (*self.versions, version), self.policy)

    def in_force(self, day: datetime.date) -> TariffVersion:
        """The version in force on ``day``."""
        d = as_date(day, "day")
        index = in_force_index(self._starts, d)
        if index < 0:
            raise self._none_before(d)
        return self.versions[index]

    def runs(
        self, first: datetime.date, last: datetime.date
    ) -> list[tuple[pendulum.Date, pendulum.Date, TariffVersion]]:
        """The runs of days ``(from, to, version)`` in ``[first, last]``, one per version."""
        a, b = as_date(first, "first"), as_date(last, "last")
        if b < a:
            raise InvalidPeriod(
                f"the last day {b.isoformat()} is before the first {a.isoformat()}.",
                field="last",
                value=b,
                allowed=f"on or after {a.isoformat()}",
            )
        runs = version_runs(self._starts, a, b)
        if runs[0][2] < 0:
            raise self._none_before(a)
        return [(x, y, self.versions[i]) for x, y, i in runs]

    def _none_before(self, day: pendulum.Date) -> NoTariffInForce:
        first = (
            f"its first version takes effect on {self.versions[0].effective_from.isoformat()}"
            if self.versions
            else "it has no versions"
        )
        return NoTariffInForce(
            f"tariff {self.name} has no version in force on {day.isoformat()}; {first}.",
            field="day",
            value=day,
            allowed=(
                f"on or after {self.versions[0].effective_from.isoformat()}"
                if self.versions
                else "no day (the tariff has no versions)"
            ),
            tariff=self.name,
        )
