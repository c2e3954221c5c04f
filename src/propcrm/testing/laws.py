"""The laws propcrm's fee, allocation and business-time arithmetic holds, as checks for your code.

A project that computes late fees, splits amounts or counts business time itself can check its
functions against the laws propcrm holds, and against propcrm's own result for the same inputs,
in a few lines. Each check draws its cases from :mod:`propcrm.testing.strategies`, runs every
law as its own hypothesis property and raises :class:`~propcrm.errors.LawBroken` (an
``AssertionError``) for the first law broken, with the counterexample hypothesis shrank to:

>>> from hypothesis import Phase, settings
>>> from propcrm.errors import LawBroken
>>> def fee_on_principal(principal, due_on, as_of, reductions):  # 0.3 % a day, but...
...     days = max(0, (as_of - due_on).days)  # ...ignoring what was paid
...     return (principal * Decimal("0.003") * days).rounded()
>>> quick = settings(max_examples=30, database=None, phases=[Phase.generate, Phase.shrink])
>>> try:
...     check_late_fee_laws(fee_on_principal, settings=quick)
... except LawBroken as error:
...     broken = error
>>> broken.context["law"]
<Law.ZERO_WHEN_PAID_ON_TIME: 'zero when paid in full before the first late day'>
>>> sorted(broken.context["inputs"])
['as_of', 'due_on', 'principal', 'reductions']
>>> broken.context["got"] > broken.context["expected"] == Money("0.00")
True

Pass a ``hypothesis.settings`` as ``settings`` (``max_examples``, ``derandomize`` …) and a subset
of the family's laws as ``laws``. The function's expected shape is documented with each check
(:data:`LateFeeFunction`, :data:`AllocationFunction`, :data:`AddFunction`); wrap one of another
shape in a lambda. Call a check from a plain test, not from inside a ``@given`` test: it runs
hypothesis itself. Needs the ``testing`` extra (``pip install 'propcrm[testing]'``).
"""

from __future__ import annotations

from propcrm.testing._laws import Law
from propcrm.testing._laws_allocation import (
    ALLOCATION_LAWS,
    AllocationFunction,
    check_allocation_laws,
)
from propcrm.testing._laws_deadlines import (
    DEADLINE_LAWS,
    AddFunction,
    BetweenFunction,
    check_deadline_laws,
)
from propcrm.testing._laws_late_fees import (
    LATE_FEE_LAWS,
    LateFeeFunction,
    check_late_fee_laws,
)

__all__ = [
    "ALLOCATION_LAWS",
    "DEADLINE_LAWS",
    "LATE_FEE_LAWS",
    "AddFunction",
    "AllocationFunction",
    "BetweenFunction",
    "LateFeeFunction",
    "Law",
    "check_allocation_laws",
    "check_deadline_laws",
    "check_late_fee_laws",
]


def __dir__() -> list[str]:
    return list(__all__)
