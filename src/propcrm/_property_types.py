"""Property types: what a unit is used as, which decides its prices (domain brief §2, §5).

Shared by billing (prices differ by property type) and, later, the parties model (units), so it
lives in the bottom layer beside :mod:`propcrm.money` and :mod:`propcrm.time`.

>>> PropertyType.RESIDENTIAL.label
'住宅'
>>> PropertyType("parking") is PropertyType.PARKING
True
"""

from __future__ import annotations

import enum

__all__ = ["PropertyType"]


class PropertyType(enum.Enum):
    """Property type of a unit; the value is a stable English code, ``label`` the Chinese name."""

    RESIDENTIAL = "residential"
    OFFICE = "office"
    COMMERCIAL = "commercial"
    PARKING = "parking"
    STORAGE = "storage"

    @property
    def label(self) -> str:
        """The Chinese name used on fee notices."""
        return _LABELS[self]


_LABELS = {
    PropertyType.RESIDENTIAL: "住宅",
    PropertyType.OFFICE: "办公",
    PropertyType.COMMERCIAL: "商业",
    PropertyType.PARKING: "车位",
    PropertyType.STORAGE: "储藏室",
}
