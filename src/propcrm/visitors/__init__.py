"""Visitors at the gate (访客登记): registrations against a host unit, the register, its policy.

Face recognition is never the only way in (PIPL art. 28; the Supreme People's Court's 2021
provisions on face recognition, art. 10). A :class:`VisitorLog` is a
:class:`~propcrm.parties.PersonalDataHolder`, so ``propcrm.parties.export_person`` and
``erase_person`` cover it. Depends on :mod:`propcrm.time`, :mod:`propcrm.personal_data` and
:mod:`propcrm.parties` (the host unit's people); the party book never imports it.
"""

from propcrm.visitors._visitors import (
    DEFAULT_VISITOR_POLICY,
    EntryMethod,
    IdentityCheck,
    VisitorLog,
    VisitorPolicy,
    VisitorRegistration,
    VisitPurpose,
)

__all__ = [
    "DEFAULT_VISITOR_POLICY",
    "EntryMethod",
    "IdentityCheck",
    "VisitPurpose",
    "VisitorLog",
    "VisitorPolicy",
    "VisitorRegistration",
]


def __dir__() -> list[str]:
    return list(__all__)
