"""Priority levels of a service request, and the ordered scale a community uses.

The domain brief (§3) names three response levels for in-home repair: **特急 extra-urgent**,
**急 urgent** and **一般 general**. They are :data:`EXTRA_URGENT`, :data:`URGENT` and
:data:`GENERAL`, collected in :data:`DEFAULT_PRIORITIES`. Their response times (10 minutes,
15 minutes, the same day) are targets, not properties of the level; they live in the SLA targets.

A level's ``rank`` orders the levels: rank 1 is the most urgent, and ``sorted`` puts the most
urgent first. A community can add levels (e.g. a 紧急-below-特急 step) with ranks of its own.

>>> EXTRA_URGENT < URGENT < GENERAL
True
>>> DEFAULT_PRIORITIES["P2"].name(), DEFAULT_PRIORITIES["P2"].name("en_US")
('急', 'urgent')
>>> DEFAULT_PRIORITIES.raised(GENERAL).code, DEFAULT_PRIORITIES.raised(EXTRA_URGENT).code
('P2', 'P1')
>>> DEFAULT_PRIORITIES["P9"]
Traceback (most recent call last):
...
propcrm.errors.UnknownPriority: no priority with code 'P9' in scale 'default'; the codes are \
P1, P2, P3.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale
from propcrm._validators import check_instance, check_items
from propcrm.errors import InvalidPriority, UnknownPriority

__all__ = [
    "DEFAULT_PRIORITIES",
    "EXTRA_URGENT",
    "GENERAL",
    "URGENT",
    "Priority",
    "PriorityScale",
]

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _check_code(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or _CODE.fullmatch(value) is None:
        raise InvalidPriority(
            f"priority code {value!r} must be a non-empty str of ASCII letters, digits, '_', "
            f"'.' or '-' (no spaces), starting with a letter or digit, e.g. 'P1'.",
            field="code",
            value=value,
            allowed="ASCII letters, digits, '_', '.' or '-', e.g. 'P1'",
        )


def _check_name(_instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidPriority(
            f"priority {attribute.name} {value!r} must be a non-empty str.",
            field=attribute.name,
            value=value,
            allowed="non-empty text",
        )


def _check_rank(_instance: object, _attribute: object, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidPriority(
            f"priority rank {value!r} must be an int >= 1 (1 is most urgent).",
            field="rank",
            value=value,
            allowed="int >= 1",
        )


@attrs.frozen(order=False)
class Priority:
    """One priority level: a stable code, Chinese and English names, and a rank (1 = most urgent).

    ``str()`` gives the code and both names, for developers' messages; text for people uses
    :meth:`name` with a locale.

    Levels compare by rank only, so ``min(levels)`` is the most urgent one; equality still
    compares every field.

    >>> URGENT.name("en_US"), URGENT.more_urgent_than(GENERAL)
    ('urgent', True)
    >>> Priority("P 1", "特急", "extra-urgent", 1)
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidPriority: priority code 'P 1' must be a non-empty str of ASCII letters, \
digits, '_', '.' or '-' (no spaces), starting with a letter or digit, e.g. 'P1'.
    """

    code: str = attrs.field(validator=_check_code)
    name_zh: str = attrs.field(validator=_check_name)
    name_en: str = attrs.field(validator=_check_name)
    rank: int = attrs.field(validator=_check_rank)

    def name(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The level's name for people: ``name_zh`` in zh_CN, ``name_en`` in en_US.

        The names are the level's own data, not catalog messages: a community that adds a level
        names it in both supported locales. Any other locale raises
        :class:`~propcrm.errors.UnsupportedLocale`.

        >>> EXTRA_URGENT.name(), EXTRA_URGENT.name("en-US")
        ('特急', 'extra-urgent')
        """
        return self.name_zh if check_locale(locale) == "zh_CN" else self.name_en

    def more_urgent_than(self, other: Priority) -> bool:
        """Whether this level has a smaller rank than ``other``."""
        check_instance(other, "other", Priority)
        return self.rank < other.rank

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank >= other.rank

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh} ({self.name_en})"


EXTRA_URGENT = Priority("P1", "特急", "extra-urgent", 1)
"""特急: on site or handled within 10 minutes (domain brief §3; the number is a target)."""

URGENT = Priority("P2", "急", "urgent", 2)
"""急: within 15 minutes (domain brief §3; the number is a target)."""

GENERAL = Priority("P3", "一般", "general", 3)
"""一般: the same day, or at a time agreed with the customer (domain brief §3)."""


def _levels(value: Iterable[Priority]) -> tuple[Priority, ...]:
    levels = check_items(value, "levels", error=InvalidPriority)
    for level in levels:
        if not isinstance(level, Priority):
            raise InvalidPriority(
                f"a priority scale holds Priority values, not {level!r}.",
                field="levels",
                value=level,
                allowed="Priority",
            )
    return tuple(sorted(levels, key=lambda level: level.rank))


def _check_name_of_scale(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidPriority(
            f"a priority scale's name {value!r} must be a non-empty str.",
            field="name",
            value=value,
            allowed="non-empty text",
        )


@attrs.frozen
class PriorityScale:
    """The ordered priority levels of a community: unique codes, unique ranks, most urgent first.

    Lookup is by code. Raising or lowering a level moves by position in the scale, not by rank
    arithmetic, so a scale with ranks 1, 2, 5 still steps 5 → 2 → 1.

    >>> scale = DEFAULT_PRIORITIES.with_level(Priority("P4", "预约", "scheduled", 4))
    >>> [level.code for level in scale], scale.least_urgent.name("en_US")
    (['P1', 'P2', 'P3', 'P4'], 'scheduled')
    >>> PriorityScale([EXTRA_URGENT, Priority("X", "特急", "extra-urgent", 1)])
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidPriority: priority scale 'custom' has two levels with rank 1 (P1, X); \
ranks must be unique so that levels are totally ordered.
    """

    levels: tuple[Priority, ...] = attrs.field(converter=_levels)
    name: str = attrs.field(default="custom", validator=_check_name_of_scale)

    def __attrs_post_init__(self) -> None:
        if not self.levels:
            raise InvalidPriority(
                f"priority scale {self.name!r} must hold at least one level.",
                field="levels",
                value=self.levels,
                allowed="at least one Priority",
            )
        by_code: dict[str, Priority] = {}
        by_rank: dict[int, Priority] = {}
        for level in self.levels:
            if level.code in by_code:
                raise InvalidPriority(
                    f"priority scale {self.name!r} has two levels with code {level.code!r}; "
                    f"codes must be unique.",
                    field="levels",
                    value=level.code,
                    allowed="each code once",
                )
            if level.rank in by_rank:
                raise InvalidPriority(
                    f"priority scale {self.name!r} has two levels with rank {level.rank} "
                    f"({by_rank[level.rank].code}, {level.code}); ranks must be unique so that "
                    f"levels are totally ordered.",
                    field="levels",
                    value=level.rank,
                    allowed="each rank once",
                )
            by_code[level.code] = level
            by_rank[level.rank] = level

    def __iter__(self) -> Iterator[Priority]:
        return iter(self.levels)

    def __len__(self) -> int:
        return len(self.levels)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return any(level.code == item for level in self.levels)
        return item in self.levels

    def __getitem__(self, code: str) -> Priority:
        """The level with ``code``; :class:`~propcrm.errors.UnknownPriority` if there is none."""
        for level in self.levels:
            if level.code == code:
                return level
        raise UnknownPriority(
            f"no priority with code {code!r} in scale {self.name!r}; the codes are "
            f"{', '.join(self.codes)}.",
            field="code",
            value=code,
            allowed=", ".join(self.codes),
        )

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes, most urgent first."""
        return tuple(level.code for level in self.levels)

    @property
    def most_urgent(self) -> Priority:
        """The level with the smallest rank."""
        return self.levels[0]

    @property
    def least_urgent(self) -> Priority:
        """The level with the largest rank."""
        return self.levels[-1]

    def position(self, priority: Priority) -> int:
        """The 0-based position of ``priority`` (0 = most urgent); it must belong to the scale."""
        try:
            return self.levels.index(priority)
        except ValueError:
            raise UnknownPriority(
                f"priority {priority} is not a level of scale {self.name!r}; the codes are "
                f"{', '.join(self.codes)}.",
                field="priority",
                value=priority,
                allowed=", ".join(self.codes),
            ) from None

    def raised(self, priority: Priority, steps: int = 1) -> Priority:
        """``priority`` made ``steps`` levels more urgent, stopping at the most urgent level."""
        _check_steps(steps)
        return self.levels[max(0, self.position(priority) - steps)]

    def lowered(self, priority: Priority, steps: int = 1) -> Priority:
        """``priority`` made ``steps`` levels less urgent, stopping at the least urgent level."""
        _check_steps(steps)
        return self.levels[min(len(self.levels) - 1, self.position(priority) + steps)]

    def with_level(self, priority: Priority) -> PriorityScale:
        """A new scale with ``priority`` added; its code and rank must be new to the scale."""
        return attrs.evolve(self, levels=(*self.levels, priority))


def _check_steps(steps: int) -> None:
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise InvalidPriority(
            f"steps {steps!r} must be an int >= 0.", field="steps", value=steps, allowed="int >= 0"
        )


DEFAULT_PRIORITIES = PriorityScale((EXTRA_URGENT, URGENT, GENERAL), name="default")
"""特急, 急, 一般 — the brief's three levels (§3), most urgent first."""
