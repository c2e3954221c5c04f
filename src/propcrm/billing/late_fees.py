"""The late-fee rule (违约金) as printed on every fee notice.

Domain brief §2: **0.3 % (千分之三) of the amount owed, per day, from the day it becomes overdue**.
This module holds the policy value a statement carries and the sentence printed on the notice.
Computing the fee over payments, caps and disputes builds on it in the next step of the library.

>>> DEFAULT_LATE_FEE.describe()
'逾期未缴的，自到期日次日起每日按欠缴金额的千分之三计收违约金。'
>>> print(DEFAULT_LATE_FEE.describe("en_US"))
Overdue amounts incur a late fee of 0.3% of the amount owed per day, from the day after the
due date.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from propcrm.errors import InvalidPolicy
from propcrm.money import EXACT, Rate, RateBasis

__all__ = ["DEFAULT_LATE_FEE", "DEFAULT_LATE_FEE_RATE", "LateFeePolicy"]

DEFAULT_LATE_FEE_RATE = Rate.per_mille("3", per=RateBasis.DAY)
"""0.3 % of the amount owed per day (domain brief §2)."""

_MILLE = Decimal(1000)


def _daily(_instance: object, _attribute: object, value: Rate) -> None:
    if not isinstance(value, Rate) or value.per is not RateBasis.DAY:
        raise InvalidPolicy(f"late-fee rate {value!r} must be a Rate per day.")


@attrs.frozen
class LateFeePolicy:
    """The daily late-fee rate on the amount owed, accruing from the day after the due date."""

    rate: Rate = attrs.field(default=DEFAULT_LATE_FEE_RATE, validator=_daily)

    def describe(self, locale: str = "zh_CN") -> str:
        """The sentence printed on a fee notice, in ``locale``.

        Chinese for any ``zh`` locale, English for every other one (the only two languages the
        notices are written in today).
        """
        if locale.startswith("zh"):
            mille = EXACT.multiply(self.rate.value, _MILLE).normalize(EXACT)
            return (
                f"逾期未缴的，自到期日次日起每日按欠缴金额的千分之{_chinese_number(mille)}"
                "计收违约金。"
            )
        return (
            f"Overdue amounts incur a late fee of {self.rate.as_percent}% of the amount owed "
            "per day, from the day after the due date."
        )


_DIGITS = "零一二三四五六七八九"


def _chinese_number(value: Decimal) -> str:
    """Per-mille figures as written in contracts: 三, 零点五, 十, 十五, 二十五; Arabic from 100."""
    whole, _, frac = format(value, "f").partition(".")
    number = int(whole)
    if number >= 100:
        return format(value, "f")
    tens, ones = divmod(number, 10)
    if tens == 0:
        spoken = _DIGITS[ones]
    else:
        spoken = ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return spoken + ("点" + "".join(_DIGITS[int(c)] for c in frac) if frac else "")


DEFAULT_LATE_FEE = LateFeePolicy()
"""0.3 % per day from the day after the due date."""
