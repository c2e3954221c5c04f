"""What a motion needs to pass: its Civil Code art. 278 kind, thresholds and the assembly policy.

Civil Code art. 278 (2021) lists the matters owners decide together and two majorities:

* every vote needs the participation (参与表决) of owners holding **at least two thirds** of the
  exclusive area and **at least two thirds** of the owners (the quorum);
* raising the repair fund (筹集维修资金), rebuilding or rebuilding works (改建、重建), and changing
  the use of common parts or running a business on them (改变共有部分的用途或者利用共有部分从事
  经营活动) need the consent of **at least three quarters** of the participating area and of the
  participating owners (the special majority);
* every other matter, using the repair fund included, needs **more than half** of both (the
  ordinary majority).

"以上" in Chinese statutes includes the number itself (Civil Code art. 1259), so "two thirds"
and "three quarters" are *at least*; "过半数" is *more than* half. The comparison is part of each
:class:`Threshold`, so a community whose rules say otherwise changes the policy, never the code.
Fractions are exact (:class:`fractions.Fraction`): a float could make 2/3 of 3 owners fail.

>>> DEFAULT_ASSEMBLY_POLICY.approval(MotionKind.RAISE_REPAIR_FUND).describe("en_US")
'at least 3/4'
>>> DEFAULT_ASSEMBLY_POLICY.approval(MotionKind.USE_REPAIR_FUND).describe("zh_CN")
'超过1/2'
>>> Threshold(Fraction(2, 3), Comparison.AT_LEAST).met(2, 3)
True
"""

from __future__ import annotations

import enum
from decimal import Decimal
from fractions import Fraction

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._validators import check_ascii_digits, check_items, instance_of
from propcrm.errors import InvalidMeeting

__all__ = [
    "DEFAULT_ASSEMBLY_POLICY",
    "AssemblyPolicy",
    "Comparison",
    "ExclusiveArea",
    "Majority",
    "MotionKind",
    "Threshold",
]


class MotionKind(enum.Enum):
    """The matters of Civil Code art. 278, plus the fee adjustment that billing needs approved.

    ``label(locale)`` names the kind; which majority it needs is the policy's
    (:meth:`AssemblyPolicy.majority`), the three special kinds by default.
    """

    MEETING_RULES = "meeting_rules"
    MANAGEMENT_RULES = "management_rules"
    ELECT_COMMITTEE = "elect_committee"
    CHOOSE_MANAGER = "choose_manager"
    USE_REPAIR_FUND = "use_repair_fund"
    RAISE_REPAIR_FUND = "raise_repair_fund"
    REBUILD = "rebuild"
    CHANGE_COMMON_USE = "change_common_use"
    FEE_ADJUSTMENT = "fee_adjustment"
    OTHER = "other"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The matter's name, e.g. ``'筹集维修资金'`` (zh_CN) or ``'raising the repair fund'``."""
        # One literal per member, so that extraction finds every message.
        match self:
            case MotionKind.MEETING_RULES:
                return pgettext("motion kind", "the assembly's rules of procedure", locale=locale)
            case MotionKind.MANAGEMENT_RULES:
                return pgettext("motion kind", "the management rules", locale=locale)
            case MotionKind.ELECT_COMMITTEE:
                return pgettext("motion kind", "electing the owners' committee", locale=locale)
            case MotionKind.CHOOSE_MANAGER:
                return pgettext("motion kind", "choosing the property manager", locale=locale)
            case MotionKind.USE_REPAIR_FUND:
                return pgettext("motion kind", "using the repair fund", locale=locale)
            case MotionKind.RAISE_REPAIR_FUND:
                return pgettext("motion kind", "raising the repair fund", locale=locale)
            case MotionKind.REBUILD:
                return pgettext("motion kind", "rebuilding", locale=locale)
            case MotionKind.CHANGE_COMMON_USE:
                return pgettext("motion kind", "changing the use of common parts", locale=locale)
            case MotionKind.FEE_ADJUSTMENT:
                return pgettext("motion kind", "a fee adjustment", locale=locale)
            case MotionKind.OTHER:
                return pgettext("motion kind", "another common matter", locale=locale)


class Majority(enum.Enum):
    """Which consent a motion needs: the ordinary majority or the special one (art. 278)."""

    ORDINARY = "ordinary"
    SPECIAL = "special"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'一般事项'`` / ``'ordinary matter'`` or ``'重大事项'`` / ``'special matter'``."""
        match self:
            case Majority.ORDINARY:
                return pgettext("majority", "ordinary matter", locale=locale)
            case Majority.SPECIAL:
                return pgettext("majority", "special matter", locale=locale)


class Comparison(enum.Enum):
    """How a share is compared with its threshold: at least it (以上) or more than it (过半数)."""

    AT_LEAST = "at_least"
    MORE_THAN = "more_than"


class ExclusiveArea(enum.Enum):
    """Which area of a unit is its exclusive area (专有部分面积) in a vote.

    ``BUILDING`` (the default): the building area, which the real-estate register records; the
    Supreme People's Court's interpretation on building ownership (法释〔2009〕7号, art. 8) counts
    the registered area. ``INNER``: the inner (套内) area, for communities whose rules say so; a
    unit without one is refused when the electorate is drawn.
    """

    BUILDING = "building"
    INNER = "inner"


def _fraction(value: object) -> Fraction:
    allowed = "a Fraction, Decimal or text such as '2/3', above 0 and at most 1 (no float)"
    if isinstance(value, str):
        check_ascii_digits(value, "fraction", InvalidMeeting)
        try:
            value = Fraction(value)
        except (ValueError, ZeroDivisionError):
            raise InvalidMeeting(
                f"fraction {value!r} is not a fraction such as '2/3'.",
                field="fraction",
                value=value,
                allowed=allowed,
            ) from None
    if isinstance(value, Decimal) and value.is_finite():
        value = Fraction(value)
    if not isinstance(value, Fraction) or not 0 < value <= 1:
        raise InvalidMeeting(
            f"fraction {value!r} must be above 0 and at most 1, exact (a Fraction, Decimal or "
            "text such as '2/3').",
            field="fraction",
            value=value,
            allowed=allowed,
        )
    return value


@attrs.frozen
class Threshold:
    """A share that must be reached: ``fraction`` with its ``comparison`` (at least, more than).

    >>> half = Threshold(Fraction(1, 2), Comparison.MORE_THAN)
    >>> half.met(50, 100), half.met(51, 100), half.met(0, 0)
    (False, True, False)
    """

    fraction: Fraction = attrs.field(converter=_fraction)
    comparison: Comparison = attrs.field(
        default=Comparison.AT_LEAST, validator=instance_of(Comparison)
    )

    def met(self, part: int | Decimal, whole: int | Decimal) -> bool:
        """Whether ``part`` of ``whole`` reaches the threshold, exactly; never if ``whole`` is 0."""
        if not whole:
            return False
        share = Fraction(part) / Fraction(whole)
        if self.comparison is Comparison.AT_LEAST:
            return share >= self.fraction
        return share > self.fraction

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'at least 2/3'`` or ``'more than 1/2'`` (``'不低于2/3'``, ``'超过1/2'``)."""
        text = f"{self.fraction.numerator}/{self.fraction.denominator}"
        if self.comparison is Comparison.AT_LEAST:
            return gettext("at least %(fraction)s", locale=locale, fraction=text)
        return gettext("more than %(fraction)s", locale=locale, fraction=text)


_SPECIAL_KINDS = frozenset(
    {MotionKind.RAISE_REPAIR_FUND, MotionKind.REBUILD, MotionKind.CHANGE_COMMON_USE}
)


def _kinds(value: object) -> frozenset[MotionKind]:
    return frozenset(check_items(value, "special_kinds", MotionKind, error=InvalidMeeting))


@attrs.frozen
class AssemblyPolicy:
    """The thresholds of a vote, with Civil Code art. 278 as defaults.

    ``quorum`` applies to the participating share of the whole exclusive area and of all owners;
    ``ordinary`` and ``special`` to the consenting share of the participating area and owners.
    ``special_kinds`` are the motion kinds that need ``special``. ``area_basis`` picks the area
    that counts (:class:`ExclusiveArea`).
    """

    quorum: Threshold = attrs.field(
        default=Threshold(Fraction(2, 3), Comparison.AT_LEAST), validator=instance_of(Threshold)
    )
    ordinary: Threshold = attrs.field(
        default=Threshold(Fraction(1, 2), Comparison.MORE_THAN), validator=instance_of(Threshold)
    )
    special: Threshold = attrs.field(
        default=Threshold(Fraction(3, 4), Comparison.AT_LEAST), validator=instance_of(Threshold)
    )
    special_kinds: frozenset[MotionKind] = attrs.field(default=_SPECIAL_KINDS, converter=_kinds)
    area_basis: ExclusiveArea = attrs.field(
        default=ExclusiveArea.BUILDING, validator=instance_of(ExclusiveArea)
    )

    def majority(self, kind: MotionKind) -> Majority:
        """Which majority ``kind`` needs under this policy."""
        if not isinstance(kind, MotionKind):
            raise InvalidMeeting(
                f"kind must be a MotionKind, got {type(kind).__name__} {kind!r}.",
                field="kind",
                value=kind,
                allowed="a MotionKind member",
            )
        return Majority.SPECIAL if kind in self.special_kinds else Majority.ORDINARY

    def approval(self, kind: MotionKind) -> Threshold:
        """The consent threshold ``kind`` needs: :attr:`special` or :attr:`ordinary`."""
        return self.special if self.majority(kind) is Majority.SPECIAL else self.ordinary


DEFAULT_ASSEMBLY_POLICY = AssemblyPolicy()
"""Civil Code art. 278: quorum at least 2/3, ordinary more than 1/2, special at least 3/4."""
