"""What the law checks share: the laws, how a check runs under hypothesis, how a break is told.

Each law of a check is its own hypothesis run, in the order the check lists its laws, so the
counterexample reported is shrunk for the law it names: a fee that is too high and so also
disagrees with propcrm is reported as above the cap, its simplest case, never as whichever law
the shrinker happened to reach first.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from typing import NoReturn, TypeVar

import hypothesis
from hypothesis import Phase, given
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

from propcrm._validators import check_instance
from propcrm.errors import InvalidPolicy, InvalidType, LawBroken

__all__ = ["Law", "broken", "call", "chosen_laws", "law_settings", "run_law"]

_C = TypeVar("_C")


class Law(enum.Enum):
    """A law propcrm's money and business time hold; the value says it in words.

    Each check runs the laws of its family (``LATE_FEE_LAWS``, ``ALLOCATION_LAWS``,
    ``DEADLINE_LAWS``), in that order; :class:`~propcrm.errors.LawBroken` names the one broken.

    >>> Law.NEVER_FALLING.value
    'never falling as days pass'
    """

    RETURNS = "returns a result of the documented kind"
    """Every family: the function returns (does not raise) a value of the documented type."""
    IN_CURRENCY = "in the input's currency, rounded to its minor unit"
    """Fees and allocations: every amount in the input's currency, with no digit below the fen."""
    NEVER_NEGATIVE = "never negative"
    """Late fees: no fee is below zero."""
    ZERO_WHEN_PAID_ON_TIME = "zero when paid in full before the first late day"
    """Late fees: a principal paid in full by the last day to pay owes no fee, on any day."""
    NEVER_ABOVE_CAP = "never above the cap"
    """Late fees: the fee never exceeds the policy's cap (propcrm's limit for the same days)."""
    NEVER_FALLING = "never falling as days pass"
    """Late fees: the fee as of a later day is never less than as of an earlier one."""
    ONE_PART_PER_RATIO = "one part per ratio"
    """Allocations: as many parts as ratios, in the ratios' order."""
    PARTS_NON_NEGATIVE = "each part zero or more"
    """Allocations: no part below zero (the total is zero or more)."""
    SUMS_TO_TOTAL = "parts sum exactly to the total"
    """Allocations: the parts add up to the total, to the fen."""
    BETWEEN_UNDOES_ADD = "between(start, add(start, n)) == n"
    """Deadlines: the working seconds from a start to its deadline are the duration asked for."""
    NEVER_EARLIER_FOR_LONGER = "never earlier for a longer duration"
    """Deadlines: ``add(start, n) <= add(start, m)`` whenever ``n <= m``."""
    IN_WORKING_TIME = "lands in working time"
    """Deadlines: for ``n > 0`` the deadline lies inside a window or exactly at its end."""
    AGREES_WITH_PROPCRM = "agrees with propcrm"
    """Every family: the same result as propcrm's own function for the same inputs."""


def law_settings(value: object) -> hypothesis.settings:
    """The settings each law runs with.

    The caller's, else the current profile's without a deadline and without the explain phase;
    either way a law reports one counterexample, the simplest, whatever else it found.
    """
    if value is None:
        # Loading a year of a calendar's index, or a first import, can take longer than
        # hypothesis's 200 ms deadline; that would be reported as a flaky law, not a broken one.
        # The explain phase would re-run the shrunk case many times over to say which inputs
        # did not matter; the report names every input already, and it is most of a check's time.
        phases = [phase for phase in hypothesis.settings().phases if phase is not Phase.explain]
        base = hypothesis.settings(deadline=None, phases=phases)
    else:
        base = check_instance(
            value, "settings", hypothesis.settings, example="settings(max_examples=50)"
        )
    return hypothesis.settings(base, report_multiple_bugs=False)


def chosen_laws(value: object, family: tuple[Law, ...], what: str) -> tuple[Law, ...]:
    """The laws to run: ``value`` (one law or several, ``None`` for all) in the family's order."""
    if value is None:
        return family
    allowed = ", ".join(f"Law.{law.name}" for law in family)
    if isinstance(value, Law):
        picked = [value]
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes):
        picked = list(value)
    else:
        raise InvalidType(
            f"laws must be a Law or an iterable of them, got {type(value).__name__} {value!r}; "
            f"{what} has {allowed}.",
            field="laws",
            value=value,
            allowed=allowed,
        )
    for law in picked:
        check_instance(law, "laws", Law, example=f"Law.{family[-1].name}")
        if law not in family:
            raise InvalidPolicy(
                f"{law} is not a law of {what}; choose from {allowed}.",
                field="laws",
                value=law,
                allowed=allowed,
            )
    if not picked:
        raise InvalidPolicy(
            f"laws is empty, so nothing would be checked; choose from {allowed}, or pass None "
            "for all of them.",
            field="laws",
            value=value,
            allowed=allowed,
        )
    return tuple(law for law in family if law in picked)


def run_law(
    law: Law,
    cases: st.SearchStrategy[_C],
    holds: Callable[[_C], object],
    settings: hypothesis.settings,
) -> None:
    """Run ``holds`` on cases drawn from ``cases``; the shrunk ``LawBroken`` comes out."""

    def check(case: _C) -> None:
        holds(case)

    # Hypothesis names the test in its report ("Falsifying example: never_falling(case=...)").
    check.__name__ = check.__qualname__ = law.name.lower()
    settings(given(case=cases)(check))()


def call(
    function: Callable[..., object],
    inputs: Mapping[str, object],
    expected: Callable[[], object],
) -> object:
    """``function(*inputs.values())``; raising is the law :attr:`Law.RETURNS` broken."""
    try:
        return function(*inputs.values())
    except HypothesisException:
        raise
    except Exception as error:  # anything the caller's function raises is the finding
        failure = error
    # Raised outside the except clause: the same law broken by another exception type is one
    # finding for hypothesis to shrink, not one per type.
    return broken(
        Law.RETURNS,
        f"it raised {type(failure).__name__}: {failure}",
        inputs,
        got=failure,
        expected=expected(),
    )


def broken(
    law: Law, detail: str, inputs: Mapping[str, object], *, got: object, expected: object
) -> NoReturn:
    """Raise :class:`~propcrm.errors.LawBroken` for ``law`` with the case that broke it."""
    shown = ", ".join(f"{name}={value!r}" for name, value in inputs.items())
    raise LawBroken(
        f"law broken: {law.value}: {detail}. Inputs: {shown}. "
        f"The function gave {got!r}; propcrm gives {expected!r}.",
        law=law,
        inputs=dict(inputs),
        got=got,
        expected=expected,
    )
