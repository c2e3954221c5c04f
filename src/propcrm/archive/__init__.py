"""The owner archive (业主档案): dated records of each unit and each person (domain brief §1).

Unit records — the handover inspection (承接查验), warranty items (工程保修), repairs (维修),
decoration registration, violations and extensions (装饰装修), usage — and person records:
public affairs, communications, special services. An :class:`OwnerArchive` is a
:class:`~propcrm.parties.PersonalDataHolder`, so ``propcrm.parties.export_person`` and
``erase_person`` cover it. Depends on :mod:`propcrm.money`, :mod:`propcrm.time` and
:mod:`propcrm.parties` (a decoration's permit); the party book never imports it.
"""

from propcrm.archive._archive import (
    CommunicationChannel,
    CommunicationRecord,
    DecorationExtension,
    DecorationRecord,
    DecorationViolation,
    HandoverInspection,
    OwnerArchive,
    PersonRecord,
    PublicAffair,
    PublicAffairRecord,
    RepairRecord,
    SpecialServiceRecord,
    UnitRecord,
    UsageRecord,
    WarrantyRecord,
)

__all__ = [
    "CommunicationChannel",
    "CommunicationRecord",
    "DecorationExtension",
    "DecorationRecord",
    "DecorationViolation",
    "HandoverInspection",
    "OwnerArchive",
    "PersonRecord",
    "PublicAffair",
    "PublicAffairRecord",
    "RepairRecord",
    "SpecialServiceRecord",
    "UnitRecord",
    "UsageRecord",
    "WarrantyRecord",
]


def __dir__() -> list[str]:
    return list(__all__)
