"""Chinese and English display names for the complaints package's enums, in one place.

Each enum derives from :class:`Labelled` and its module registers its members' names in
:data:`LABELS`; ``label(locale)`` picks Chinese for any ``zh`` locale, English otherwise.
"""

from __future__ import annotations

import enum

from propcrm.classification._locale import DEFAULT_LOCALE, is_chinese

__all__ = ["LABELS", "Labelled"]

LABELS: dict[enum.Enum, tuple[str, str]] = {}
"""(Chinese, English) per member; each module adds its own enums' names."""


class Labelled(enum.Enum):
    """An enum whose members carry a Chinese and an English label (registered in LABELS)."""

    def label(self, locale: str = DEFAULT_LOCALE) -> str:
        """The member's display name: Chinese for any ``zh`` locale, English otherwise."""
        zh, en = LABELS[self]
        return zh if is_chinese(locale) else en
