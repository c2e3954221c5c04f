"""Converters, validators and texts shared by the segment rules and the segmentation subject.

Each rule's bounds (``at_least``, ``at_most``) are checked the same way and described the same
way; sets of enum members and of names are converted the same way for subjects and rules.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from propcrm._validators import check_int, check_record_id, in_field
from propcrm.errors import InvalidSegmentRule, PropcrmError
from propcrm.money import Money, as_optional_money, to_decimal
from propcrm.segmentation._later import written

if TYPE_CHECKING:
    from propcrm.segmentation._subjects import PartyFacts

__all__ = [
    "MAX_AVERAGE_DAYS_LATE",
    "MAX_BOUND_PLACES",
    "as_fraction",
    "bounds_text",
    "check_bounds",
    "check_code",
    "decimal_bound",
    "decimal_or_none",
    "enum_set",
    "int_bound",
    "money_at_least",
    "money_at_most",
    "money_bound",
    "names_set",
    "same_currency_bound",
    "within",
]

MAX_AVERAGE_DAYS_LATE = Decimal(36_500)
"""The largest average-days-late bound a rule accepts (a century)."""

_E = TypeVar("_E", bound=enum.Enum)


def enum_set(
    value: object,
    enum_type: type[_E],
    error: type[PropcrmError],
    *,
    allow_empty: bool,
    field: str | None = None,
) -> frozenset[_E]:
    what = enum_type.__name__
    name = field or what
    members = ", ".join(member.name for member in enum_type)
    allowed = f"a {what} or a set of them ({members})"
    items: Iterable[object]
    if isinstance(value, enum_type):
        items = (value,)
    elif isinstance(value, str) or not isinstance(value, Iterable):
        raise error(
            f"{value!r} must be a {what} or a set of them, e.g. {{{what}."
            f"{next(iter(enum_type)).name}}}.",
            field=name,
            value=value,
            allowed=allowed,
        )
    else:
        items = value
    result: set[_E] = set()
    for item in items:
        if not isinstance(item, enum_type):
            raise error(
                f"{item!r} is not a {what}; allowed: {members}.",
                field=name,
                value=item,
                allowed=allowed,
            )
        result.add(item)
    if not result and not allow_empty:
        raise error(
            f"a rule over {what} must name at least one.",
            field=name,
            value=value,
            allowed=f"at least one {what} ({members})",
        )
    return frozenset(result)


def names_set(value: object, field: str = "names") -> frozenset[str]:
    allowed = "a non-empty str or a set of them"
    items = (value,) if isinstance(value, str) else value
    if isinstance(items, bytes) or not isinstance(items, Iterable):
        raise InvalidSegmentRule(
            f"{value!r} must be a str or a set of str.", field=field, value=value, allowed=allowed
        )
    result = frozenset(items)
    if not result or any(not isinstance(v, str) or not v.strip() for v in result):
        raise InvalidSegmentRule(
            f"{value!r} must name at least one non-empty str.",
            field=field,
            value=value,
            allowed=allowed,
        )
    return result


def int_bound(what: str, *, minimum: int = 0, maximum: int | None = None) -> Any:
    def check(_i: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            check_int(value, attribute.name, InvalidSegmentRule, minimum=minimum, maximum=maximum)

    return check


def decimal_or_none(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        with in_field("bound", value, "a decimal such as '0.9' (str, int or Decimal)"):
            return to_decimal(value, what="bound")
    except PropcrmError as exc:
        # A bound of a segment rule: the rule's own error, with the amount error's context.
        raise InvalidSegmentRule(
            str(exc), field=exc.field, value=exc.value, allowed=exc.allowed
        ) from None


MAX_BOUND_PLACES = 6
"""Decimal places a ratio or average bound may have: enough for any policy, and small enough
that the batch path compares it exactly in 64-bit integers."""


def decimal_bound(what: str, *, maximum: Decimal) -> Any:
    def check(_i: object, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
        if value is None:
            return
        allowed = f"0 to {maximum}, at most {MAX_BOUND_PLACES} decimal places"
        if not 0 <= value <= maximum:
            raise InvalidSegmentRule(
                f"{what} {value} must be from 0 to {maximum}.",
                field=attribute.name,
                value=value,
                allowed=allowed,
            )
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -MAX_BOUND_PLACES:
            raise InvalidSegmentRule(
                f"{what} {value} has more than {MAX_BOUND_PLACES} decimal places.",
                field=attribute.name,
                value=value,
                allowed=allowed,
            )

    return check


def as_fraction(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)


_AMOUNT = "an amount such as '500.00' (str, int or Decimal) or a Money"


def money_at_least(value: object) -> Money | None:
    """A rule's ``at_least`` money bound, through the one door for amounts."""
    with in_field("at_least", value, _AMOUNT):
        return as_optional_money(value)


def money_at_most(value: object) -> Money | None:
    """A rule's ``at_most`` money bound, through the one door for amounts."""
    with in_field("at_most", value, _AMOUNT):
        return as_optional_money(value)


def money_bound(what: str) -> Any:
    # The bound's converter (as_optional_money) has already made it Money or refused it.
    def check(_i: object, attribute: attrs.Attribute[Any], value: Money | None) -> None:
        if value is None:
            return
        allowed = "an amount of zero or more, rounded to the minor unit"
        with in_field(attribute.name, value, allowed):
            rounded = value.is_rounded
        if not rounded or value.is_negative:
            raise InvalidSegmentRule(
                f"{what} {value!r} must be zero or more, rounded to the minor unit.",
                field=attribute.name,
                value=value,
                allowed="an amount of zero or more, rounded to the minor unit",
            )

    return check


def check_bounds(rule: object, at_least: Any, at_most: Any) -> None:
    if at_least is None and at_most is None:
        raise InvalidSegmentRule(
            f"{type(rule).__name__} needs at_least, at_most or both; with neither it says nothing.",
            field="at_least",
            value=None,
            allowed="at_least, at_most or both",
            rule=type(rule).__name__,
        )
    if at_least is not None and at_most is not None and at_least > at_most:
        raise InvalidSegmentRule(
            f"{type(rule).__name__}: at_least {at_least} is above at_most {at_most}; no value "
            "could match.",
            field="at_least",
            value=at_least,
            allowed=f"at most at_most ({at_most})",
            rule=type(rule).__name__,
        )


def within(value: Any, at_least: Any, at_most: Any) -> bool:
    return (at_least is None or value >= at_least) and (at_most is None or value <= at_most)


def bounds_text(name: str, at_least: object, at_most: object, locale: str) -> str:
    """A band as a formula, ``name ≥ low``, the same in every language.

    Only the name (in ``locale`` already) and money bounds (written for ``locale``) differ.
    """
    low, high = written(at_least, locale), written(at_most, locale)
    if at_most is None:
        return f"{name} ≥ {low}"
    if at_least is None:
        return f"{name} ≤ {high}"
    return f"{low} ≤ {name} ≤ {high}"


def same_currency_bound(facts: PartyFacts, bound: Money | None) -> None:
    """Refuse a money bound in another currency than the one the party is scored in."""
    if bound is not None and bound.currency != facts.currency:
        # Comparing across currencies would raise anyway; say which rule and why.
        raise InvalidSegmentRule(
            f"a bound in {bound.currency} on a party scored in {facts.currency}; give bounds in "
            "the portfolio's currency.",
            field="currency",
            value=bound,
            allowed=f"a bound in {facts.currency}",
            party_id=facts.subject.party_id,
        )


def check_code(_i: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse a segment code that is not a usable id: non-empty text without spaces."""
    check_record_id(value, attribute.name, InvalidSegmentRule)
