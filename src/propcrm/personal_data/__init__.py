"""Personal data under PIPL: identifiers, masking and consent.

Mainland ID numbers (GB 11643), unified social credit codes, mobile numbers, names and vehicle
plates as validated values that mask themselves; the masking policy and a log filter; an audited
record of every reveal; consent given and withdrawn per purpose and channel. Depends only on
:mod:`propcrm.time`; the party book builds on it.
"""

from propcrm.personal_data._consent import (
    DEFAULT_CONSENT_POLICY,
    ConsentAction,
    ConsentDecision,
    ConsentEvent,
    ConsentLedger,
    ConsentPolicy,
    ConsentPurpose,
    ContactChannel,
)
from propcrm.personal_data._identifiers import (
    CreditCode,
    IdCardNumber,
    MobileNumber,
    PersonalIdentifier,
    PersonName,
    PlateKind,
    RevealAudit,
    RevealEvent,
    RevealLog,
    VehiclePlate,
)
from propcrm.personal_data._masking import (
    DEFAULT_MASKING,
    IdentifierKind,
    KeepEnds,
    Maskable,
    MaskingLogFilter,
    MaskingPolicy,
)

__all__ = [
    "DEFAULT_CONSENT_POLICY",
    "DEFAULT_MASKING",
    "ConsentAction",
    "ConsentDecision",
    "ConsentEvent",
    "ConsentLedger",
    "ConsentPolicy",
    "ConsentPurpose",
    "ContactChannel",
    "CreditCode",
    "IdCardNumber",
    "IdentifierKind",
    "KeepEnds",
    "Maskable",
    "MaskingLogFilter",
    "MaskingPolicy",
    "MobileNumber",
    "PersonName",
    "PersonalIdentifier",
    "PlateKind",
    "RevealAudit",
    "RevealEvent",
    "RevealLog",
    "VehiclePlate",
]


def __dir__() -> list[str]:
    return list(__all__)
