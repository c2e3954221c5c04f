"""The party book: persons, organisations, units and their dated relations (domain brief §1).

A :class:`PartyBook` answers as-of questions (who owned, occupied and was billable for a unit on
a date) and applies the brief's operations (a sale, a handover, a move-in, a lease) as single
steps refused whole when they would break a rule; who pays is data (:class:`Payer`). Duplicates
are found and merged by plan; a person's PIPL rights are an export and an erasure that also
cover any :class:`PersonalDataHolder` (the owner archive in :mod:`propcrm.archive`, the gate
register in :mod:`propcrm.visitors`). Depends on :mod:`propcrm.money`, :mod:`propcrm.time` and
:mod:`propcrm.personal_data`.
"""

from propcrm.parties._book import PartyBook
from propcrm.parties._book_policy import DEFAULT_BOOK_POLICY, PartyBookPolicy
from propcrm.parties._duplicates import (
    DuplicateCandidate,
    DuplicateMatch,
    FieldDecision,
    FieldSource,
    MatchReason,
    MergePlan,
    MergeRecord,
    apply_merge,
    find_duplicates,
    plan_merge,
)
from propcrm.parties._journal import BookOperation, JournalDetail, JournalEntry
from propcrm.parties._parties import (
    ErasureMark,
    Gender,
    Organisation,
    OrganisationKind,
    Party,
    Person,
)
from propcrm.parties._payers import Payer, PayerReason, PayerSpan
from propcrm.parties._relations import (
    AgencyContact,
    CommitteeMember,
    CommitteePost,
    Conflict,
    ConflictKind,
    ExclusivityRule,
    HouseholdRole,
    Merchant,
    Owner,
    OwnershipCoverage,
    Relation,
    RelationKind,
    Resident,
    Tenant,
    TenantRole,
    Visitor,
)
from propcrm.parties._snapshots import UnitSnapshot
from propcrm.parties._subject_rights import (
    ErasureRecord,
    ErasureResult,
    PersonalDataExport,
    PersonalDataHolder,
    erase_person,
    export_person,
)
from propcrm.parties._units import (
    Decoration,
    DecorationPermit,
    Handover,
    Occupancy,
    Sale,
    Unit,
    UnitFact,
    UnitStatus,
    UnitStatusCode,
)

__all__ = [
    "DEFAULT_BOOK_POLICY",
    "AgencyContact",
    "BookOperation",
    "CommitteeMember",
    "CommitteePost",
    "Conflict",
    "ConflictKind",
    "Decoration",
    "DecorationPermit",
    "DuplicateCandidate",
    "DuplicateMatch",
    "ErasureMark",
    "ErasureRecord",
    "ErasureResult",
    "ExclusivityRule",
    "FieldDecision",
    "FieldSource",
    "Gender",
    "Handover",
    "HouseholdRole",
    "JournalDetail",
    "JournalEntry",
    "MatchReason",
    "Merchant",
    "MergePlan",
    "MergeRecord",
    "Occupancy",
    "Organisation",
    "OrganisationKind",
    "Owner",
    "OwnershipCoverage",
    "Party",
    "PartyBook",
    "PartyBookPolicy",
    "Payer",
    "PayerReason",
    "PayerSpan",
    "Person",
    "PersonalDataExport",
    "PersonalDataHolder",
    "Relation",
    "RelationKind",
    "Resident",
    "Sale",
    "Tenant",
    "TenantRole",
    "Unit",
    "UnitFact",
    "UnitSnapshot",
    "UnitStatus",
    "UnitStatusCode",
    "Visitor",
    "apply_merge",
    "erase_person",
    "export_person",
    "find_duplicates",
    "plan_merge",
]


def __dir__() -> list[str]:
    return list(__all__)
