"""The allocation laws: a caller's split of an amount over ratios, against propcrm's."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import attrs
import hypothesis
from hypothesis import strategies as st

from propcrm._validators import check_callable, check_int
from propcrm.errors import InvalidPolicy, InvalidType, UnknownCurrency
from propcrm.money import CNY, Money, allocate, check_currency
from propcrm.testing._laws import Law, broken, call, chosen_laws, law_settings, run_law
from propcrm.testing.strategies import moneys

__all__ = ["ALLOCATION_LAWS", "AllocationFunction", "check_allocation_laws"]

ALLOCATION_LAWS = (
    Law.RETURNS,
    Law.ONE_PART_PER_RATIO,
    Law.IN_CURRENCY,
    Law.PARTS_NON_NEGATIVE,
    Law.SUMS_TO_TOTAL,
    Law.AGREES_WITH_PROPCRM,
)
"""The laws :func:`check_allocation_laws` runs, in this order."""

AllocationFunction = Callable[[Money, tuple[int | Decimal, ...]], Sequence[Money]]
"""``split(total, ratios) -> parts``: :func:`propcrm.money.allocate`'s shape, one ``Money``
part per ratio."""

_MAX_TOTAL_UNITS = 100_000_000  # ¥1,000,000.00: wide enough for any one bill or payment


@attrs.frozen
class _Case:
    total: Money
    ratios: tuple[int | Decimal, ...]

    def inputs(self) -> dict[str, object]:
        return {"total": self.total, "ratios": self.ratios}


def _cases(currencies: tuple[str, ...], max_parts: int) -> st.SearchStrategy[_Case]:
    totals = st.sampled_from(currencies).flatmap(
        lambda code: moneys(max_value=Money.from_minor_units(_MAX_TOTAL_UNITS, code))
    )
    # Whole numbers (shares, areas in ㎡) and decimals to the hundredth (areas to 0.01 ㎡);
    # small whole numbers often, so that equal remainders (ties) are common.
    ratio: st.SearchStrategy[int | Decimal] = st.one_of(
        st.integers(0, 3),
        st.integers(0, 100),
        st.integers(0, 100_00).map(lambda n: Decimal(n).scaleb(-2)),
    )
    ratios = st.lists(ratio, min_size=1, max_size=max_parts).filter(any).map(tuple)
    return st.builds(_Case, totals, ratios)


def _currency(code: object) -> str:
    try:
        return check_currency(code)
    except UnknownCurrency as error:
        raise UnknownCurrency(
            str(error), field="currencies", value=code, allowed="ISO 4217 codes, e.g. 'CNY'"
        ) from None


def _currencies(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidType(
            f"currencies must be an iterable of ISO 4217 codes, got {type(value).__name__} "
            f"{value!r}; e.g. ('CNY',).",
            field="currencies",
            value=value,
            allowed="an iterable of ISO 4217 codes",
        )
    codes = tuple(dict.fromkeys(_currency(code) for code in value))
    if not codes:
        raise InvalidPolicy(
            "currencies is empty; give at least one ISO 4217 code, e.g. ('CNY',).",
            field="currencies",
            value=value,
            allowed="at least one ISO 4217 code",
        )
    return codes


def check_allocation_laws(
    split: AllocationFunction,
    *,
    currencies: Iterable[str] = (CNY, "USD"),
    settings: hypothesis.settings | None = None,
    laws: Law | Iterable[Law] | None = None,
    max_parts: int = 8,
) -> None:
    """Check that ``split`` holds the allocation laws; raise on the first one broken.

    ``split`` is called as ``split(total, ratios)``, like :func:`propcrm.money.allocate`: a
    ``Money`` total of zero or more, rounded to its minor unit, and a tuple of ratios (``int``
    or ``Decimal``, zero or more, at least one positive). It returns a sequence of ``Money``
    parts, one per ratio, in order. Wrap a function of another shape in a lambda that converts.

    The totals come from :func:`~propcrm.testing.strategies.moneys` in each of ``currencies``
    (up to 1,000,000.00), the ratios are whole numbers to 100 or decimals to the hundredth, 1 to
    ``max_parts`` of them. The laws, each its own hypothesis run, in the order of
    ``ALLOCATION_LAWS``: returns a sequence of ``Money``; one part per ratio; each part in the
    total's currency, rounded; each part zero or more; the parts sum exactly to the total; the
    same parts as propcrm's :func:`~propcrm.money.allocate` (largest remainder, ties to the
    earlier part). Leave the last out with ``laws`` if your method differs on purpose.

    Args:
        split: the function to check.
        currencies: ISO 4217 codes of the totals; default CNY and USD.
        settings: a ``hypothesis.settings`` for each law's run; default the current profile's,
            without a deadline or the explain phase.
        laws: one :class:`Law` or several of ``ALLOCATION_LAWS`` to check; default all.
        max_parts: the most ratios in a case (1 to 100).

    Raises:
        LawBroken: the first law broken, with the shrunk case: ``context`` holds ``law``,
            ``inputs`` (``total`` and ``ratios``), ``got`` and ``expected`` (propcrm's parts).

    >>> from hypothesis import Phase, settings
    >>> from propcrm.errors import LawBroken
    >>> quick = settings(max_examples=30, database=None, phases=[Phase.generate, Phase.shrink])
    >>> check_allocation_laws(allocate, settings=quick)
    >>> def rounded_shares(total, ratios):  # each share rounded on its own: loses fen
    ...     whole = sum(ratios)
    ...     return [Money(total.amount * r / whole, total.currency).rounded() for r in ratios]
    >>> try:
    ...     check_allocation_laws(rounded_shares, settings=quick)
    ... except LawBroken as error:
    ...     print(error.context["law"].value, error.context["inputs"])
    parts sum exactly to the total {'total': Money('0.01', 'CNY'), 'ratios': (1, 1)}
    """
    check_callable(split, "split", example="lambda total, ratios: allocate(total, ratios)")
    codes = _currencies(currencies)
    check_int(max_parts, "max_parts", InvalidPolicy, minimum=1, maximum=100)
    run = law_settings(settings)
    laws_of = _LawsOf(split)
    for law in chosen_laws(laws, ALLOCATION_LAWS, "check_allocation_laws"):
        run_law(law, _cases(codes, max_parts), laws_of.holds(law), run)


@attrs.frozen
class _LawsOf:
    split: Callable[..., object]

    def result(self, case: _Case) -> tuple[Money, ...]:
        """The caller's parts, once they are one Money per ratio in the total's currency."""
        inputs = case.inputs()
        expected = allocate(case.total, case.ratios)
        got = call(self.split, inputs, lambda: expected)
        if (
            isinstance(got, str | bytes)
            or not isinstance(got, Sequence)
            or not all(isinstance(part, Money) for part in got)
        ):
            detail = f"it returned {type(got).__name__} {got!r}, not a sequence of Money"
            broken(Law.RETURNS, detail, inputs, got=got, expected=expected)
        parts = tuple(part for part in got if isinstance(part, Money))
        if len(parts) != len(case.ratios):
            detail = f"{len(parts)} parts for {len(case.ratios)} ratios"
            broken(Law.ONE_PART_PER_RATIO, detail, inputs, got=parts, expected=expected)
        currency = case.total.currency
        for index, part in enumerate(parts):
            if part.currency != currency or not part.is_rounded:
                detail = f"part #{index} is {part!r}; the total is in {currency}"
                broken(Law.IN_CURRENCY, detail, inputs, got=parts, expected=expected)
        return parts

    def holds(self, law: Law) -> Callable[[_Case], object]:
        checks: dict[Law, Callable[[_Case], object]] = {
            Law.RETURNS: self.result,
            Law.ONE_PART_PER_RATIO: self.result,
            Law.IN_CURRENCY: self.result,
            Law.PARTS_NON_NEGATIVE: self.non_negative,
            Law.SUMS_TO_TOTAL: self.sums_to_total,
            Law.AGREES_WITH_PROPCRM: self.agrees,
        }
        return checks[law]

    def non_negative(self, case: _Case) -> None:
        parts = self.result(case)
        for index, part in enumerate(parts):
            if part.is_negative:
                detail = f"part #{index} is {part.amount:f}"
                expected = allocate(case.total, case.ratios)
                broken(Law.PARTS_NON_NEGATIVE, detail, case.inputs(), got=parts, expected=expected)

    def sums_to_total(self, case: _Case) -> None:
        parts = self.result(case)
        added = Money.total(parts, case.total.currency)
        if added != case.total:
            detail = f"the parts add up to {added.amount:f}, not {case.total.amount:f}"
            expected = allocate(case.total, case.ratios)
            broken(Law.SUMS_TO_TOTAL, detail, case.inputs(), got=parts, expected=expected)

    def agrees(self, case: _Case) -> None:
        parts = self.result(case)
        expected = allocate(case.total, case.ratios)
        if parts != expected:
            detail = "propcrm gives each part its floor, the fen left over by largest remainder"
            broken(Law.AGREES_WITH_PROPCRM, detail, case.inputs(), got=parts, expected=expected)
