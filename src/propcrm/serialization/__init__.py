"""Every public value as JSON-compatible primitives and versioned JSON documents, and back.

One cattrs converter, configured once: money and decimals as exact text, dates and instants
with their zone's name, enums by their codes, rules, calendars, caps and policies as tagged
unions, so that a classification rule set or a late-fee policy is storable data.

>>> from propcrm.billing import LateFeePolicy, PercentOfPrincipalCap
>>> policy = LateFeePolicy(cap=PercentOfPrincipalCap("30"))
>>> loads(dumps(policy), LateFeePolicy) == policy
True
>>> to_primitive(policy)["cap"]
{'type': 'billing.PercentOfPrincipalCap', 'percent': '30'}
"""

from propcrm.serialization._converter import make_converter
from propcrm.serialization._documents import (
    SCHEMA_VERSION,
    dumps,
    from_primitive,
    loads,
    to_primitive,
)
from propcrm.serialization._registry import (
    TypeRegistry,
    register_type,
    register_value,
    type_tag,
)

__all__ = [
    "SCHEMA_VERSION",
    "TypeRegistry",
    "dumps",
    "from_primitive",
    "loads",
    "make_converter",
    "register_type",
    "register_value",
    "to_primitive",
    "type_tag",
]


def __dir__() -> list[str]:
    return list(__all__)
