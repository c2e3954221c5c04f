"""Billing runs: turning a tariff, a policy and each unit's usage into its fee notice.

A :class:`BillingRun` does the per-period work once (statement and due dates, the tariff
versions in force, each property type's rules) and then bills unit after unit, so a whole
portfolio costs little more than its arithmetic. Within a run each rule prices a quantity once:
units that share an area, a parking count or a consumption share the frozen results.
:func:`issue_statement` bills a single unit; ``benchmarks/bench_statements.py`` times a run.

Each line is computed exactly and rounded once, to the fen, with the policy's rounding mode;
periodic charges for part of a period are split from the rounded full-period charge by
:mod:`propcrm.billing`, so the parts of a split always sum to the full charge.

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
('SUNRISE/2026-11/1-2-0301', Money('250.24', 'CNY'), Date(2026, 12, 10), '贰佰伍拾元贰角肆分')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Generic, TypeVar

import pendulum

from propcrm._property_types import PropertyType
from propcrm._trusted import slot_constructor
from propcrm._validators import check_text, check_unique
from propcrm.billing._charges import (
    AreaCharge,
    ChargeExplanation,
    ChargeLine,
    ChargeRule,
    MeteredCharge,
    PeriodicCharge,
    Proration,
    SpecialServiceCharge,
)
from propcrm.billing._concessions import (
    Concession,
    ConcessionLine,
    check_concessions,
    concession_lines,
)
from propcrm.billing._metering import TierUse
from propcrm.billing._numbering import numbering, statement_number
from propcrm.billing._policy import (
    DEFAULT_POLICY,
    BillingPolicy,
)
from propcrm.billing._price_lists import PriceLists
from propcrm.billing._proration import range_segments
from propcrm.billing._quantities import quantity_value
from propcrm.billing._statements import Statement
from propcrm.billing._tariffs import (
    Tariff,
    TariffVersion,
)
from propcrm.billing._units import (
    ALWAYS,
    BillableSpan,
    BillableUnit,
)
from propcrm.billing._usage import (
    NO_USAGE,
    UnitUsage,
)
from propcrm.errors import (
    CurrencyMismatch,
    DuplicateRecord,
    InvalidQuantity,
    InvalidType,
    NotBillable,
    PriceListError,
)
from propcrm.money import (
    EXACT,
    Money,
    allocate,
    minor_unit_places,
    quantize,
)
from propcrm.time import BillingPeriod

__all__ = ["DEFAULT_SPECIAL_SERVICE", "BillingRun", "issue_statement"]

DEFAULT_SPECIAL_SERVICE = SpecialServiceCharge("SVC", "特约服务")
"""How special services are labelled where the tariff version has no rule of its own for them."""


# A run builds a line and its explanation for every charge of every unit, from values already
# validated (the rules, the readings, the orders, the tariff and price-list versions) and exact
# arithmetic on them: it builds them through propcrm._trusted.slot_constructor, under that
# module's contract (tests/test_billing_runs.py rebuilds them through the constructors).
# Arguments are positional, in field order.
_new_line: Callable[..., ChargeLine] = slot_constructor(ChargeLine)
_new_explanation: Callable[..., ChargeExplanation] = slot_constructor(ChargeExplanation)
_new_proration: Callable[..., Proration] = slot_constructor(Proration)
# And the notice itself: its own checks hold by construction (see bill()).
_new_statement: Callable[..., Statement] = slot_constructor(Statement)

_R = TypeVar("_R")
_V = TypeVar("_V")


class _Memo(Generic[_R, _V]):
    """A rule, and what a billing run has worked out with it so far, by quantity.

    Within a run, what a rule charges is a pure function of the quantity, and a portfolio's
    quantities repeat: units of one floor plan share an area, parking is mostly one space, water
    is read in whole or tenth tonnes. So a run works each quantity out once per rule and shares
    the frozen result. Quantities are keyed by their text, which tells apart equal decimals that
    are explained differently (18 and 18.0).
    """

    __slots__ = ("by_quantity", "rule")

    def __init__(self, rule: _R) -> None:
        self.rule = rule
        self.by_quantity: dict[str, _V] = {}


_MeteredPrice = tuple[Money, tuple[TierUse, ...], Money | None, Money]
"""A consumption's exact price, the tiers it used, the single tier's price if any, the amount."""


class _Rules:
    """One tariff version's rules for one property type, sorted by what a billing run does.

    A run bills many units of each property type; sorting the rules once per version and type
    spares filtering ``rules_for`` again for every unit, reading and order.
    """

    __slots__ = ("metered", "periodic", "service")

    def __init__(self, rules: tuple[ChargeRule, ...]) -> None:
        # Whole-period lines hold nothing of the unit but the quantity, so they are shared.
        self.periodic: tuple[_Memo[PeriodicCharge, ChargeLine], ...] = tuple(
            _Memo(r) for r in rules if isinstance(r, PeriodicCharge)
        )
        self.metered: dict[str, _Memo[MeteredCharge, _MeteredPrice]] = {}
        for rule in rules:
            if isinstance(rule, MeteredCharge) and rule.meter_kind not in self.metered:
                self.metered[rule.meter_kind] = _Memo(rule)  # the first rule for a kind wins
        self.service = next(
            (r for r in rules if isinstance(r, SpecialServiceCharge)), DEFAULT_SPECIAL_SERVICE
        )


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
        concessions: Sequence[Concession] = (),
    ) -> None:
        _check_kind(period, BillingPeriod, "period")
        _check_kind(tariff, Tariff, "tariff")
        _check_kind(policy, BillingPolicy, "policy")
        if price_lists is not None:
            _check_kind(price_lists, PriceLists, "price_lists")
        self.community = community
        self.period = period
        self.tariff = tariff
        self.policy = policy
        self.price_lists = price_lists
        # Declared and approved policy values, applied to each notice in the order given.
        self.concessions = check_concessions(concessions)
        self.issued_on = policy.cycle.statement_date(period)
        self.due = policy.cycle.due_date(period)
        self._runs = tariff.runs(period.start, period.end)
        self._places = minor_unit_places(policy.currency)
        self._months = Decimal(period.months)
        self._month_count = period.months
        self._versions = tuple(v.version for _, _, v in self._runs)
        # The one version in force all period, if there is just one (the usual case).
        self._whole = self._runs[0][2] if len(self._runs) == 1 else None
        self._first, self._last = period.start, period.end
        self._rules: dict[tuple[TariffVersion, PropertyType], _Rules] = {}
        self._priced_types: dict[PropertyType, bool] = {}
        # Checks the community code now, so a bad one fails before any unit is billed.
        self._number = numbering(community, period)

    # -- public API ---------------------------------------------------------------------------

    def bill(
        self,
        unit: BillableUnit,
        usage: UnitUsage = NO_USAGE,
        span: BillableSpan = ALWAYS,
        billed_party: str | None = None,
    ) -> Statement:
        """The notice for ``unit``, billable over ``span``, with its ``usage`` in the period."""
        ptype = _checked_arguments(unit, usage, span, billed_party)
        if span is not ALWAYS and not span.overlaps(self._first, self._last):
            raise NotBillable(
                f"unit {unit.unit_id} is billable {span}, which has no day in period "
                f"{self.period.code} ({self._first.isoformat()} to "
                f"{self._last.isoformat()}); bill it for a period its span overlaps.",
                field="span",
                value=span,
                allowed=f"a span with a day in {self.period.code}",
                unit_id=unit.unit_id,
            )
        if not usage.orders and not self._priced(ptype):
            raise NotBillable(
                f"tariff {self.tariff.name} prices nothing for {ptype.value} units in period "
                f"{self.period.code} (versions {', '.join(self._versions)}), so unit "
                f"{unit.unit_id} would get an empty notice; add {ptype.value} charges to the "
                "tariff or leave such units out of the run.",
                field="unit",
                value=unit.unit_id,
                allowed=f"units of a type the tariff prices in {self.period.code}",
                property_type=ptype,
            )
        # A notice for days from inside the period (a buyer from the 16th) gets its own number.
        first_day = span.start if span.start is not None and span.start > self._first else None
        version = self._whole
        if version is not None and (span is ALWAYS or span == ALWAYS):
            lines = []
            for memo in self._rules_of(version, ptype).periodic:
                line = self._whole_period_line(memo, unit, usage, version)
                if line is not None:
                    lines.append(line)
        else:
            lines = self._prorated_lines(unit, usage, span)
        if usage.readings:
            lines.extend(self._metered_lines(ptype, usage))
        if usage.orders:
            lines.extend(self._service_lines(ptype, usage))
        if not lines:
            # Rare, so the hot path pays one test: only now find out whether the rules had
            # nothing to price (refused) or the proration policy gave the days no weight.
            self._refuse_if_unpriced(unit, usage, span)
        total = Money.total([line.amount for line in lines], self.policy.currency)
        reductions: tuple[ConcessionLine, ...] = ()
        if self.concessions:
            reductions = concession_lines(
                self.concessions,
                unit_id=unit.unit_id,
                period=self.period,
                issued_on=self.issued_on,
                lines=lines,
                proration=self.policy.proration,
                rounding=self.policy.rounding,
                currency=self.policy.currency,
            )
            if reductions:
                # Each line is capped at what is left of what it reduces: never below zero.
                total = total - Money.total((r.amount for r in reductions), total.currency)
        # Built without the statement's own checks, which hold here by construction: every
        # line is in the policy's currency, rounded to its minor unit (by _round, or by allocate
        # for prorated parts), and the total is Money.total of the lines less the concessions.
        return _new_statement(
            self._number(unit.unit_id)
            if first_day is None
            else statement_number(self.community, self.period, unit.unit_id, first_day=first_day),
            self.community,
            unit.unit_id,
            ptype,
            self.period,
            self.issued_on,
            self.due,
            tuple(lines),
            total,
            self.policy.late_fee,
            self._versions,
            billed_party,
            0,  # revision
            None,  # supersedes
            reductions,
        )

    def bill_all(self, units: Iterable[tuple[BillableUnit, UnitUsage]]) -> Iterator[Statement]:
        """Bill every ``(unit, usage)`` pair in turn (billable for the whole period).

        Each unit may appear once: a unit id given twice raises
        :class:`~propcrm.errors.DuplicateRecord` before any notice is issued, since it would be
        billed twice.
        """
        pairs = _pairs(units)
        check_unique((unit.unit_id for unit, _ in pairs), "units", DuplicateRecord, what="unit id")
        for unit, usage in pairs:
            yield self.bill(unit, usage)

    # -- periodic charges ---------------------------------------------------------------------

    def _round(self, exact: Decimal) -> Money:
        return Money._trusted(  # exact result of validated inputs
            quantize(exact, self._places, self.policy.rounding), self.policy.currency
        )

    def _same_currency(self, what: str, price: Money) -> None:
        if price.currency != self.policy.currency:
            raise CurrencyMismatch(
                f"rule {what} is priced in {price.currency}, but the policy bills in "
                f"{self.policy.currency}; price it in {self.policy.currency} or bill in "
                f"{price.currency}.",
                field="currency",
                value=price.currency,
                allowed=self.policy.currency,
                rule=what,
            )

    def _quantity(self, rule: PeriodicCharge, unit: BillableUnit, usage: UnitUsage) -> Decimal:
        self._same_currency(rule.code, rule.unit_price)
        quantity = rule.quantity(unit, usage)
        if type(quantity) is not Decimal:
            # A duck-typed unit's own attribute: checked like any area (a float is refused).
            quantity = quantity_value(quantity, "area")
        return quantity

    def _amounts(self, rule: PeriodicCharge, quantity: Decimal) -> tuple[Money, Money]:
        exact = EXACT.multiply(EXACT.multiply(rule.unit_price.amount, quantity), self._months)
        return Money._trusted(exact, self.policy.currency), self._round(exact)

    def _full_period(
        self, rule: PeriodicCharge, unit: BillableUnit, usage: UnitUsage
    ) -> tuple[Decimal, Money, Money] | None:
        quantity = self._quantity(rule, unit, usage)
        if not quantity:
            return None
        return quantity, *self._amounts(rule, quantity)

    def _whole_period_line(
        self,
        memo: _Memo[PeriodicCharge, ChargeLine],
        unit: BillableUnit,
        usage: UnitUsage,
        version: TariffVersion,
    ) -> ChargeLine | None:
        rule = memo.rule
        quantity = self._quantity(rule, unit, usage)
        if not quantity:
            return None
        key = str(quantity)  # a Decimal: _quantity checked it
        line = memo.by_quantity.get(key)
        if line is None:
            unrounded, amount = self._amounts(rule, quantity)
            line = self._periodic_line(rule, quantity, unrounded, amount, version)
            memo.by_quantity[key] = line
        return line

    def _periodic_line(
        self,
        rule: PeriodicCharge,
        quantity: Decimal,
        unrounded: Money,
        amount: Money,
        version: TariffVersion,
        proration: Proration | None = None,
    ) -> ChargeLine:
        """A periodic rule's line: the whole period's, or a prorated part of it."""
        # rule, quantity, unit_label, unit_price, unrounded, rounding, months, tariff_version,
        # price_list_version, proration, tiers, reading, order: see _new_explanation.
        explanation = _new_explanation(
            rule,
            quantity,
            rule.unit_label,
            rule.unit_price,
            unrounded,
            self.policy.rounding,
            self._month_count,
            version.version,
            None,
            proration,
            (),
            None,
            None,
        )
        return _new_line(rule.code, rule.name, rule.kind, amount, explanation)

    def _prorated_lines(
        self, unit: BillableUnit, usage: UnitUsage, span: BillableSpan
    ) -> list[ChargeLine]:
        # Two steps, so that every split adds up: first each version's full-period charge is
        # split over the version runs (exactly as on a whole-period notice across a tariff
        # change), then a run's share is split over the days of the run the unit is billable in
        # and the days it is not. A seller's and a buyer's parts thus always add up to the
        # whole-period notice, whether or not the tariff changed in the same period.
        proration = self.policy.proration
        cuts = [d for d in (span.start, span.until) if d is not None]
        run_weights = [proration.weight(a, b) for a, b, _ in self._runs]
        total_weight = sum(run_weights)
        lines: list[ChargeLine] = []
        for index, (run_first, run_last, version) in enumerate(self._runs):
            parts = range_segments(run_first, run_last, cuts)
            part_weights = [proration.weight(a, b) for a, b in parts]
            billable = [
                span.covers(a) and w > 0 for (a, _), w in zip(parts, part_weights, strict=True)
            ]
            if not any(billable):
                continue
            for rule in version.rules_for(unit.property_type):
                if not isinstance(rule, PeriodicCharge):
                    continue
                full = self._full_period(rule, unit, usage)
                if full is None:
                    continue
                quantity, unrounded, amount = full
                run_share = allocate(amount, run_weights)[index]
                shares = allocate(run_share, part_weights)
                for (a, b), weight, share, bill_it in zip(
                    parts, part_weights, shares, billable, strict=True
                ):
                    if not bill_it:
                        continue
                    part = _new_proration(proration, a, b, weight, total_weight, amount)
                    lines.append(
                        self._periodic_line(rule, quantity, unrounded, share, version, part)
                    )
        return lines

    def _version_on(self, day: pendulum.Date) -> TariffVersion:
        for start, end, version in self._runs:
            if start <= day <= end:
                return version
        raise AssertionError("segments always lie inside the period")  # pragma: no cover

    def _refuse_if_unpriced(self, unit: BillableUnit, usage: UnitUsage, span: BillableSpan) -> None:
        """Raise NotBillable unless some rule found a quantity for the unit's billable days.

        A notice without lines is refused when every rule of the versions in force on those
        days had nothing to price (no parking spaces for a parking charge, no reading for a
        metered one, no area); it stands when a rule priced a quantity that the proration
        policy gave no weight (a move-in after the cut-off day of a whole-month policy).
        """
        ptype = unit.property_type
        cuts = [d for d in (span.start, span.until) if d is not None]
        rules: list[ChargeRule] = []
        for first, last, version in self._runs:
            if any(span.covers(a) for a, _ in range_segments(first, last, cuts)):
                rules.extend(r for r in version.rules_for(ptype) if r not in rules)
        reasons = []
        for rule in rules:
            if isinstance(rule, PeriodicCharge):
                quantity = rule.quantity(unit, usage)
                if quantity:
                    return
                # A fixed charge's quantity is always one, so only these two can be zero.
                what = (
                    f"{rule.basis.value} area, and the unit's is {quantity} ㎡"
                    if isinstance(rule, AreaCharge)
                    else "parking spaces, and its usage holds none"
                )
            elif isinstance(rule, MeteredCharge):
                what = f"{rule.meter_kind} meter readings, and its usage holds none"
            else:
                what = "special-service orders, and its usage holds none"
            reasons.append(f"{rule.code} ({rule.name}) prices {what}")
        if not reasons:
            reasons.append(
                f"tariff {self.tariff.name} prices nothing for {ptype.value} units on its "
                f"billable days ({span})"
            )
        raise NotBillable(
            f"unit {unit.unit_id} ({ptype.value}) would get an empty notice for period "
            f"{self.period.code}: {'; '.join(reasons)}. Record what its charges price, or "
            "leave the unit out of the run.",
            field="unit",
            value=unit.unit_id,
            allowed="a unit with something its charges price",
            reasons=tuple(reasons),
        )

    def _priced(self, ptype: PropertyType) -> bool:
        priced = self._priced_types.get(ptype)
        if priced is None:
            priced = self._priced_types[ptype] = any(v.rules_for(ptype) for _, _, v in self._runs)
        return priced

    def _rules_of(self, version: TariffVersion, ptype: PropertyType) -> _Rules:
        key = (version, ptype)
        rules = self._rules.get(key)
        if rules is None:
            rules = self._rules[key] = _Rules(version.rules_for(ptype))
        return rules

    # -- usage charges ------------------------------------------------------------------------

    def _usage_version(self, day: pendulum.Date) -> TariffVersion:
        # Usage is priced by the version in force on the day it was measured or performed,
        # which may lie before the period (a late reading) or after it (billing in advance).
        # Readings and orders hold pendulum Dates already (their classes convert them), so the
        # bounds found once stand in for period.contains, which works out the end every time.
        if self._first <= day <= self._last:
            return self._whole or self._version_on(day)
        return self.tariff.in_force(day)

    def _metered_lines(self, ptype: PropertyType, usage: UnitUsage) -> list[ChargeLine]:
        lines = []
        for reading in usage.readings:
            version = self._usage_version(reading.read_on)
            memo = self._rules_of(version, ptype).metered.get(reading.kind)
            if memo is None:
                raise InvalidQuantity(
                    f"meter {reading.meter_id} reads {reading.kind!r}, but tariff version "
                    f"{version.version} has no metered charge for {reading.kind!r} on "
                    f"{ptype.value} units; add one or leave the reading out.",
                    field="readings",
                    value=reading.kind,
                    allowed="a meter kind the tariff version prices",
                    meter_id=reading.meter_id,
                    version=version.version,
                )
            rule = memo.rule
            consumption = reading.consumption
            unrounded, tiers, single, amount = self._price(memo, consumption)
            explanation = _new_explanation(
                rule,
                consumption,
                rule.unit_label,
                single,
                unrounded,
                self.policy.rounding,
                None,
                version.version,
                None,
                None,
                tiers,
                reading,
                None,
            )
            lines.append(_new_line(rule.code, rule.name, rule.kind, amount, explanation))
        return lines

    def _price(
        self, memo: _Memo[MeteredCharge, _MeteredPrice], consumption: Decimal
    ) -> _MeteredPrice:
        key = str(consumption)  # always a Decimal: MeterReading computes it
        priced = memo.by_quantity.get(key)
        if priced is None:
            prices = memo.rule.prices
            self._same_currency(memo.rule.code, prices.tiers[0].unit_price)
            unrounded, tiers = prices.price(consumption)
            single = prices.tiers[0].unit_price if len(prices.tiers) == 1 else None
            priced = (unrounded, tiers, single, self._round(unrounded.amount))
            memo.by_quantity[key] = priced
        return priced

    def _service_lines(self, ptype: PropertyType, usage: UnitUsage) -> list[ChargeLine]:
        if self.price_lists is None:
            raise PriceListError(
                "special-service orders need the community's price lists; pass price_lists to "
                "the billing run.",
                field="price_lists",
                value=None,
                allowed="PriceLists",
            )
        lines = []
        for order in usage.orders:
            version = self._usage_version(order.performed_on)
            rule = self._rules_of(version, ptype).service
            # An order with an accepted quote is billed at the quoted list's prices (§3).
            price_list = (
                self.price_lists.in_force(order.performed_on)
                if order.price_list_version is None
                else self.price_lists.version(order.price_list_version)
            )
            item = price_list.item(order.service_code)
            self._same_currency(f"{rule.code} ({item.code})", item.unit_price)
            exact = EXACT.multiply(item.unit_price.amount, order.quantity)
            explanation = _new_explanation(
                rule,
                order.quantity,
                item.unit,  # a built-in unit is translated when the line is shown
                item.unit_price,
                Money._trusted(exact, item.unit_price.currency),
                self.policy.rounding,
                None,
                version.version,
                price_list.version,
                None,
                (),
                None,
                order,
            )
            amount = self._round(exact)
            lines.append(
                _new_line(rule.code, f"{rule.name}：{item.name}", rule.kind, amount, explanation)
            )
        return lines


def _check_kind(value: object, kind: type, field: str) -> None:
    if not isinstance(value, kind):
        raise InvalidType(
            f"{field} {value!r} is not a {kind.__name__}.",
            field=field,
            value=value,
            allowed=kind.__name__,
        )


def _checked_arguments(
    unit: object, usage: object, span: object, billed_party: object
) -> PropertyType:
    """The unit's property type, once ``bill``'s arguments are known to be what it takes."""
    try:
        ptype = unit.property_type  # type: ignore[attr-defined]
    except AttributeError:
        ptype = None
    # Exact type tests first: this runs for every unit of a portfolio.
    if type(ptype) is not PropertyType:
        raise _not_a_unit(unit)
    if type(usage) is not UnitUsage:
        _check_kind(usage, UnitUsage, "usage")
    if span is not ALWAYS:
        _check_kind(span, BillableSpan, "span")
    if billed_party is not None:
        check_text(billed_party, "billed_party", InvalidQuantity, max_length=200)
    return ptype


def _not_a_unit(unit: object) -> InvalidType:
    return InvalidType(
        f"unit {unit!r} is not a billable unit: it needs unit_id, a PropertyType property_type, "
        "building_area and inner_area (a UnitProfile has them).",
        field="unit",
        value=unit,
        allowed="a BillableUnit such as UnitProfile",
    )


def _pairs(units: object) -> list[tuple[BillableUnit, UnitUsage]]:
    if isinstance(units, str | bytes) or not isinstance(units, Iterable):
        raise InvalidType(
            f"units {units!r} is not an iterable of (unit, usage) pairs.",
            field="units",
            value=units,
            allowed="an iterable of (unit, usage) pairs",
        )
    pairs = []
    for pair in units:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise InvalidType(
                f"units holds {pair!r}; each item is a (unit, usage) pair.",
                field="units",
                value=pair,
                allowed="(unit, usage) pairs",
            )
        if not isinstance(getattr(pair[0], "unit_id", None), str):
            raise _not_a_unit(pair[0])
        pairs.append(pair)
    return pairs


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
    concessions: Sequence[Concession] = (),
) -> Statement:
    """The fee notice of one unit for one period; see :class:`BillingRun` for a portfolio.

    ``concessions`` are applied as lines of their own (see :class:`~propcrm.billing.Concession`).
    """
    run = BillingRun(
        community=community,
        period=period,
        tariff=tariff,
        policy=policy,
        price_lists=price_lists,
        concessions=concessions,
    )
    return run.bill(unit, usage, span, billed_party)
