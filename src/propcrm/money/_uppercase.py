"""Chinese uppercase amounts (大写金额) for receipts and fee notices.

The text follows the People's Bank of China rules for filling in bills and settlement vouchers
(正确填写票据和结算凭证的基本规定). Where those rules allow a choice, propcrm always makes the
same one, so that two notices for the same amount read the same:

* Digits are 零壹贰叁肆伍陆柒捌玖; 拾佰仟 count within a group of four digits, and the groups are
  named 万 and 亿. The yuan part ends in 元, then come 角 and 分.
* The digit before 拾 is always written, a leading ten included (壹拾元整, never 拾元整), so that
  nothing can be written in front of it.
* Zero digits standing between non-zero digits of the yuan part are written as one 零, across group
  boundaries too; trailing zeros write nothing, and a group of four zeros writes no group name.
* When the 角 is zero, the 分 is not and there is a yuan part, a 零 stands before the 分.
* 整 ends the text only when both 角 and 分 are zero; an amount below one yuan writes no 零元.

>>> chinese_uppercase(Money("1005.00"))
'壹仟零伍元整'
>>> chinese_uppercase(Money("16409.02"))
'壹万陆仟肆佰零玖元零贰分'
>>> chinese_uppercase(Money("1680.32"))
'壹仟陆佰捌拾元叁角贰分'
>>> chinese_uppercase(Money("107000.53"))
'壹拾万零柒仟元伍角叁分'
>>> chinese_uppercase(Money("10.00")), chinese_uppercase(Money("110000.00"))
('壹拾元整', '壹拾壹万元整')
>>> chinese_uppercase(Money("1000000000.00")), chinese_uppercase(Money("1000000001.00"))
('壹拾亿元整', '壹拾亿零壹元整')
>>> chinese_uppercase(Money("100010000.00")), chinese_uppercase(Money("100000000.01"))
('壹亿零壹万元整', '壹亿元零壹分')
>>> chinese_uppercase(Money("1.50"))
'壹元伍角'
>>> chinese_uppercase(Money("0.00")), chinese_uppercase(Money("0.56"))
('零元整', '伍角陆分')
>>> chinese_uppercase(Money("0.05")), chinese_uppercase(Money("0.50"))
('伍分', '伍角')

Only amounts from zero to :data:`MAX_UPPERCASE` that are already rounded to the fen have an
uppercase form:

>>> chinese_uppercase(Money("1.005"))
Traceback (most recent call last):
...
propcrm.errors.InvalidAmount: amount 1.005 has digits below the fen and has no 大写金额; round it \
first with .rounded(mode), e.g. Money('1.005').rounded(RoundingMode.HALF_UP).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from propcrm.errors import AmountOutOfRange, InvalidAmount, UnsupportedCurrency
from propcrm.money._currency import CNY
from propcrm.money._money import Money, as_money

__all__ = ["MAX_UPPERCASE", "chinese_uppercase"]

MAX_UPPERCASE: Final[Money] = Money("999999999999.99")
"""The largest amount with an uppercase form: 亿 is the largest group name written."""

_DIGITS: Final = "零壹贰叁肆伍陆柒捌玖"
_ZERO: Final = _DIGITS[0]
# Indexed by the power of ten within a group of four digits.
_PLACES: Final = ("", "拾", "佰", "仟")
# Indexed by the group, counted from the ones group upwards.
_GROUP_NAMES: Final = ("", "万", "亿")
_GROUP: Final = 10_000
_RANGE: Final = f"¥0 to ¥{MAX_UPPERCASE.amount:,}, rounded to the fen"


def _group_text(group: int) -> str:
    """Write 1..9999 with its inner zeros as one 零 and no leading or trailing 零."""
    parts: list[str] = []
    zero_pending = False
    for power in (3, 2, 1, 0):
        digit = group // 10**power % 10
        if digit == 0:
            # Only a zero after a written digit can stand between two non-zero digits.
            zero_pending = zero_pending or bool(parts)
            continue
        if zero_pending:
            parts.append(_ZERO)
            zero_pending = False
        parts.append(_DIGITS[digit] + _PLACES[power])
    return "".join(parts)


def _yuan_text(yuan: int) -> str:
    """Write a positive whole number of yuan (without the 元)."""
    groups: list[int] = []
    while yuan:
        yuan, group = divmod(yuan, _GROUP)
        groups.append(group)

    parts: list[str] = []
    zero_pending = False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            # A whole group of zeros is named nowhere, but it still separates the digits around it.
            zero_pending = zero_pending or bool(parts)
            continue
        # A group below 1000 starts with zeros that sit between it and the group written before.
        if parts and (zero_pending or group < 1000):
            parts.append(_ZERO)
        parts.append(_group_text(group) + _GROUP_NAMES[index])
        # Trailing zeros of this group matter only if a later group writes a non-zero digit.
        zero_pending = group % 10 == 0
    return "".join(parts)


def _check(value: object) -> Money:
    money = as_money(value)
    if money.currency != CNY:
        raise UnsupportedCurrency(
            f"大写金额 is written only for CNY amounts, not {money.currency}; "
            "convert the amount to CNY first.",
            field="currency",
            value=money.currency,
            allowed=CNY,
        )
    if money.amount < 0:
        raise AmountOutOfRange(
            f"amount {money.amount} is negative, and negative amounts have no uppercase form "
            f"(大写金额); the allowed range is ¥0 to ¥{MAX_UPPERCASE.amount:,}. Write a refund as "
            "a positive amount with its own label (e.g. 退款).",
            field="amount",
            value=money.amount,
            allowed=_RANGE,
        )
    if money.amount > MAX_UPPERCASE.amount:
        raise AmountOutOfRange(
            f"amount ¥{money.amount:,f} is above ¥{MAX_UPPERCASE.amount:,}, the largest amount "
            "with a 大写金额 (亿 is the largest group name written).",
            field="amount",
            value=money.amount,
            allowed=_RANGE,
        )
    if not money.is_rounded:
        raise InvalidAmount(
            f"amount {money.amount} has digits below the fen and has no 大写金额; round it first "
            f"with .rounded(mode), e.g. Money('{money.amount}').rounded(RoundingMode.HALF_UP).",
            field="amount",
            value=money.amount,
            allowed="an amount rounded to the fen",
        )
    return money


def chinese_uppercase(money: Money | Decimal | int | str) -> str:
    """The Chinese uppercase amount (大写金额) of ``money``, as printed on receipts and notices.

    Args:
        money: a CNY amount from ¥0 to ¥999,999,999,999.99 (:data:`MAX_UPPERCASE`), rounded to
            the fen.

    Returns:
        The uppercase text, e.g. ``'壹万陆仟肆佰零玖元零贰分'`` for ¥16,409.02 and ``'零元整'`` for
        zero. See the module documentation for the rules.

    Raises:
        UnsupportedCurrency: the currency is not CNY.
        AmountOutOfRange: the amount is negative or above :data:`MAX_UPPERCASE`.
        InvalidAmount: ``money`` is not an amount ``Money`` accepts, or has digits below the fen
            (round it first).

    >>> chinese_uppercase(Money("60000000.30"))
    '陆仟万元叁角'
    """
    fen_total = _check(money).minor_units
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)

    if yuan == 0 and cents == 0:
        return _ZERO + "元整"
    text = _yuan_text(yuan) + "元" if yuan else ""
    if cents == 0:
        return text + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        # Without it the 分 digit would read as if it followed the yuan directly.
        text += _ZERO
    if fen:
        text += _DIGITS[fen] + "分"
    return text
