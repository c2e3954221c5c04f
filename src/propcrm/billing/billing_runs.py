"""Billing runs: turning a tariff, a policy and each unit's usage into its fee notice.

A :class:`BillingRun` does the per-period work once (statement and due dates, the tariff
versions in force, each property type's rules) and then bills unit after unit, so a whole
portfolio costs little more than its arithmetic. :func:`issue_statement` bills a single unit.

Each line is computed exactly and rounded once, to the fen, with the policy's rounding mode;
periodic charges for part of a period are split from the rounded full-period charge by
:mod:`propcrm.billing.proration`, so the parts of a split always sum to the full charge.

>>> tariff = Tariff(
...     "SUNRISE",
...     (
...         TariffVersion(
...             "2026",
...             effective_from=pendulum.date(2026, 1, 1),
...             announced_on=pendulum.date(2025, 11, 1),
...             approval=Approval(
...                 Approver.OWNERS_COMMITTEE,
...                 "业委会决议〔2025〕3号",
...                 approved_on=pendulum.date(2025, 10, 28),
...             ),
...             charges={
...                 PropertyType.RESIDENTIAL: (AreaCharge("MGMT", "物业管理费", Money("2.80")),)
...             },
...         ),
...     ),
... )
>>> unit = UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, building_area="89.37")
>>> notice = issue_statement(
...     community="SUNRISE", unit=unit, period=BillingPeriod.month(2026, 11), tariff=tariff
... )
>>> notice.number, notice.total, notice.due_on, notice.total_in_words()
('SUNRISE-2026-11-1-2-0301', Money('250.24', 'CNY'), Date(2026, 12, 10), '贰佰伍拾元贰角肆分')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

import pendulum

from propcrm.billing.charges import (
    ChargeExplanation,
    ChargeLine,
    MeteredCharge,
    PeriodicCharge,
    Proration,
    SpecialServiceCharge,
)
from propcrm.billing.policy import DEFAULT_POLICY, BillingPolicy
from propcrm.billing.price_lists import PriceLists
from propcrm.billing.proration import period_segments
from propcrm.billing.statements import Statement, statement_number
from propcrm.billing.tariffs import Tariff, TariffVersion
from propcrm.billing.units import ALWAYS, BillableSpan, BillableUnit
from propcrm.billing.usage import NO_USAGE, UnitUsage
from propcrm.errors import CurrencyMismatch, InvalidQuantity, PriceListError
from propcrm.money import EXACT, Money, allocate, minor_unit_places, quantize
from propcrm.property_types import PropertyType
from propcrm.time import BillingPeriod

__all__ = ["DEFAULT_SPECIAL_SERVICE", "BillingRun", "issue_statement"]

DEFAULT_SPECIAL_SERVICE = SpecialServiceCharge("SVC", "特约服务")
"""How special services are labelled where the tariff version has no rule of its own for them."""


class BillingRun:
    """Bills units of one community for one period under one tariff and policy."""

    def __init__(
        self,
        *,
        community: str,
        period: BillingPeriod,
        tariff: Tariff,
        policy: BillingPolicy = DEFAULT_POLICY,
        price_lists: PriceLists | None = None,
    ) -> None:
        self.community = community
        self.period = period
        self.tariff = tariff
        self.policy = policy
        self.price_lists = price_lists
        self.issued_on = policy.cycle.statement_date(period)
        self.due = policy.cycle.due_date(period)
        self._runs = tariff.runs(period.start, period.end)
        self._places = minor_unit_places(policy.currency)
        self._months = Decimal(period.months)
        self._versions = tuple(v.version for _, _, v in self._runs)
        # Check the first number now so a bad community code fails before any unit is billed.
        statement_number(community, period, "x")

    # -- public API ---------------------------------------------------------------------------

    def bill(
        self,
        unit: BillableUnit,
        usage: UnitUsage = NO_USAGE,
        span: BillableSpan = ALWAYS,
        billed_party: str | None = None,
    ) -> Statement:
        """The notice for ``unit``, billable over ``span``, with its ``usage`` in the period."""
        ptype = unit.property_type
        if span == ALWAYS and len(self._runs) == 1:
            version = self._runs[0][2]
            lines = [
                line
                for rule in version.rules_for(ptype)
                if isinstance(rule, PeriodicCharge)
                for line in (self._whole_period_line(rule, unit, usage, version),)
                if line is not None
            ]
        else:
            lines = self._prorated_lines(unit, usage, span)
        if usage.readings:
            lines.extend(self._metered_lines(ptype, usage))
        if usage.orders:
            lines.extend(self._service_lines(ptype, usage))
        currency = self.policy.currency
        total = Money.total((line.amount for line in lines), currency)
        return Statement(
            number=statement_number(
                self.community, self.period, unit.unit_id, first_day=span.start
            ),
            community=self.community,
            unit_id=unit.unit_id,
            property_type=ptype,
            period=self.period,
            issued_on=self.issued_on,
            due=self.due,
            lines=tuple(lines),
            total=total,
            late_fee=self.policy.late_fee,
            tariff_versions=self._versions,
            billed_party=billed_party,
        )

    def bill_all(self, units: Iterable[tuple[BillableUnit, UnitUsage]]) -> Iterator[Statement]:
        """Bill every ``(unit, usage)`` pair in turn (billable for the whole period)."""
        for unit, usage in units:
            yield self.bill(unit, usage)

    # -- periodic charges ---------------------------------------------------------------------

    def _round(self, exact: Decimal) -> Money:
        return Money._trusted(  # exact result of validated inputs
            quantize(exact, self._places, self.policy.rounding), self.policy.currency
        )

    def _full_period(
        self, rule: PeriodicCharge, unit: BillableUnit, usage: UnitUsage
    ) -> tuple[Decimal, Money, Money] | None:
        if rule.unit_price.currency != self.policy.currency:
            raise CurrencyMismatch(
                f"rule {rule.code} is priced in {rule.unit_price.currency}, but the policy bills "
                f"in {self.policy.currency}."
            )
        quantity = rule.quantity(unit, usage)
        if not quantity:
            return None
        exact = EXACT.multiply(EXACT.multiply(rule.unit_price.amount, quantity), self._months)
        unrounded = Money._trusted(exact, self.policy.currency)
        return quantity, unrounded, self._round(exact)

    def _whole_period_line(
        self,
        rule: PeriodicCharge,
        unit: BillableUnit,
        usage: UnitUsage,
        version: TariffVersion,
    ) -> ChargeLine | None:
        full = self._full_period(rule, unit, usage)
        if full is None:
            return None
        quantity, unrounded, amount = full
        explanation = ChargeExplanation(
            formula=rule.formula,
            quantity=quantity,
            unit_label=rule.unit_label,
            unit_price=rule.unit_price,
            unrounded=unrounded,
            rounding=self.policy.rounding,
            months=self.period.months,
            tariff_version=version.version,
        )
        return ChargeLine(rule.code, rule.name, rule.kind, amount, explanation)

    def _prorated_lines(
        self, unit: BillableUnit, usage: UnitUsage, span: BillableSpan
    ) -> list[ChargeLine]:
        cuts = [start for start, _, _ in self._runs]
        cuts.extend(d for d in (span.start, span.until) if d is not None)
        segments = period_segments(self.period, cuts)
        proration = self.policy.proration
        weights = [proration.weight(a, b) for a, b in segments]
        total_weight = sum(weights)
        tagged = [(a, b, self._version_on(a), span.covers(a)) for a, b in segments]
        lines: list[ChargeLine] = []
        # Each version's full-period charge is split over every segment of the period, so the
        # seller's and buyer's parts (or the parts either side of a tariff change) add up.
        for version in dict.fromkeys(v for _, _, v, billable in tagged if billable):
            for rule in version.rules_for(unit.property_type):
                if not isinstance(rule, PeriodicCharge):
                    continue
                full = self._full_period(rule, unit, usage)
                if full is None:
                    continue
                quantity, unrounded, amount = full
                shares = allocate(amount, weights)
                for (a, b, v, billable), weight, share in zip(tagged, weights, shares, strict=True):
                    if v is not version or not billable or weight == 0:
                        continue
                    explanation = ChargeExplanation(
                        formula=f"({rule.formula}) × {weight}/{total_weight}",
                        quantity=quantity,
                        unit_label=rule.unit_label,
                        unit_price=rule.unit_price,
                        unrounded=unrounded,
                        rounding=self.policy.rounding,
                        months=self.period.months,
                        tariff_version=version.version,
                        proration=Proration(proration, a, b, weight, total_weight, amount),
                    )
                    lines.append(ChargeLine(rule.code, rule.name, rule.kind, share, explanation))
        return lines

    def _version_on(self, day: pendulum.Date) -> TariffVersion:
        for start, end, version in self._runs:
            if start <= day <= end:
                return version
        raise AssertionError("segments always lie inside the period")  # pragma: no cover

    # -- usage charges ------------------------------------------------------------------------

    def _usage_version(self, day: pendulum.Date) -> TariffVersion:
        # Usage is priced by the version in force on the day it was measured or performed,
        # which may lie before the period (a late reading) or after it (billing in advance).
        if self.period.contains(day):
            return self._version_on(day)
        return self.tariff.in_force(day)

    def _metered_lines(self, ptype: PropertyType, usage: UnitUsage) -> list[ChargeLine]:
        lines = []
        for reading in usage.readings:
            version = self._usage_version(reading.read_on)
            rule = next(
                (
                    r
                    for r in version.rules_for(ptype)
                    if isinstance(r, MeteredCharge) and r.meter_kind == reading.kind
                ),
                None,
            )
            if rule is None:
                raise InvalidQuantity(
                    f"meter {reading.meter_id} reads {reading.kind!r}, but tariff version "
                    f"{version.version} has no metered charge for {reading.kind!r} on "
                    f"{ptype.value} units; add one or leave the reading out."
                )
            unrounded, tiers = rule.prices.price(reading.consumption)
            single = rule.prices.tiers[0].unit_price if len(rule.prices.tiers) == 1 else None
            explanation = ChargeExplanation(
                formula=rule.formula,
                quantity=reading.consumption,
                unit_label=rule.unit_label,
                unit_price=single,
                unrounded=unrounded,
                rounding=self.policy.rounding,
                tariff_version=version.version,
                tiers=tiers,
                reading=reading,
            )
            amount = self._round(unrounded.amount)
            lines.append(ChargeLine(rule.code, rule.name, rule.kind, amount, explanation))
        return lines

    def _service_lines(self, ptype: PropertyType, usage: UnitUsage) -> list[ChargeLine]:
        if self.price_lists is None:
            raise PriceListError(
                "special-service orders need the community's price lists; pass price_lists to "
                "the billing run."
            )
        lines = []
        for order in usage.orders:
            version = self._usage_version(order.performed_on)
            rule = next(
                (r for r in version.rules_for(ptype) if isinstance(r, SpecialServiceCharge)),
                DEFAULT_SPECIAL_SERVICE,
            )
            price_list = self.price_lists.in_force(order.performed_on)
            item = price_list.item(order.service_code)
            exact = EXACT.multiply(item.unit_price.amount, order.quantity)
            explanation = ChargeExplanation(
                formula=rule.formula,
                quantity=order.quantity,
                unit_label=item.unit_label,
                unit_price=item.unit_price,
                unrounded=Money._trusted(exact, item.unit_price.currency),
                rounding=self.policy.rounding,
                tariff_version=version.version,
                price_list_version=price_list.version,
                order=order,
            )
            amount = self._round(exact)
            lines.append(
                ChargeLine(rule.code, f"{rule.name}：{item.name}", rule.kind, amount, explanation)
            )
        return lines


def issue_statement(
    *,
    community: str,
    unit: BillableUnit,
    period: BillingPeriod,
    tariff: Tariff,
    usage: UnitUsage = NO_USAGE,
    span: BillableSpan = ALWAYS,
    policy: BillingPolicy = DEFAULT_POLICY,
    price_lists: PriceLists | None = None,
    billed_party: str | None = None,
) -> Statement:
    """The fee notice of one unit for one period; see :class:`BillingRun` for a portfolio."""
    run = BillingRun(
        community=community, period=period, tariff=tariff, policy=policy, price_lists=price_lists
    )
    return run.bill(unit, usage, span, billed_party)
