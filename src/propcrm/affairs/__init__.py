"""Public affairs as workflows (issue 17): move-in, decoration and goods release.

Each affair is a state machine over an audited history (:class:`AffairStep`: who, when, why),
guarded by its declared :class:`AffairTransitionTable` (:data:`MOVE_IN_TRANSITIONS`,
:data:`DECORATION_TRANSITIONS`, :data:`RELEASE_TRANSITIONS`); an action the state does not
allow raises :class:`~propcrm.errors.IllegalAffairStep`.

- :class:`MoveIn` (入住): a checklist configured by a :class:`MoveInPolicy`, completed only
  when every required item is done, then the new-customer callback on
  :mod:`propcrm.contacts`' callbacks.
- :class:`DecorationAffair` (装修): registration, approval (a
  :class:`~propcrm.parties.DecorationPermit`), hot-work permits (动火作业) with their own
  approval and window (:func:`check_hot_work`), inspections on a business-calendar schedule
  (:func:`inspection_schedule`), violations linked to complaints, and the deposit refunded or
  withheld with reasons (:class:`DepositSettlement`).
- :class:`GoodsRelease` (搬迁放行): checked against the unit's arrears and, for a tenant, an
  owner's consent (:func:`check_release`); a refusal says why.

The owner archive's :class:`~propcrm.archive.PublicAffairRecord` and
:class:`~propcrm.archive.DecorationRecord` stay the short entries in a person's or unit's file.

Depends on :mod:`propcrm.money`, :mod:`propcrm.time`, :mod:`propcrm.sla`,
:mod:`propcrm.personal_data`, :mod:`propcrm.parties` and :mod:`propcrm.contacts`.
"""

from propcrm.affairs._decoration import (
    DECORATION_TRANSITIONS,
    DEFAULT_DECORATION_POLICY,
    DecorationAffair,
    DecorationPolicy,
    DepositSettlement,
    HotWorkCheck,
    HotWorkPermit,
    HotWorkProblem,
    Inspection,
    InspectionSlot,
    Violation,
    ViolationKind,
    Withholding,
    WithholdingReason,
    check_hot_work,
    inspection_schedule,
)
from propcrm.affairs._move_in import (
    DEFAULT_MOVE_IN_POLICY,
    MOVE_IN_TRANSITIONS,
    ChecklistEntry,
    MoveIn,
    MoveInItem,
    MoveInPolicy,
)
from propcrm.affairs._release import (
    DEFAULT_RELEASE_POLICY,
    RELEASE_TRANSITIONS,
    GoodsRelease,
    Mover,
    OwnerConsent,
    RefusalReason,
    ReleaseCheck,
    ReleasePolicy,
    ReleaseRefusal,
    check_release,
)
from propcrm.affairs._steps import (
    AffairAction,
    AffairState,
    AffairStep,
    AffairTransition,
    AffairTransitionTable,
)

__all__ = [
    "DECORATION_TRANSITIONS",
    "DEFAULT_DECORATION_POLICY",
    "DEFAULT_MOVE_IN_POLICY",
    "DEFAULT_RELEASE_POLICY",
    "MOVE_IN_TRANSITIONS",
    "RELEASE_TRANSITIONS",
    "AffairAction",
    "AffairState",
    "AffairStep",
    "AffairTransition",
    "AffairTransitionTable",
    "ChecklistEntry",
    "DecorationAffair",
    "DecorationPolicy",
    "DepositSettlement",
    "GoodsRelease",
    "HotWorkCheck",
    "HotWorkPermit",
    "HotWorkProblem",
    "Inspection",
    "InspectionSlot",
    "MoveIn",
    "MoveInItem",
    "MoveInPolicy",
    "Mover",
    "OwnerConsent",
    "RefusalReason",
    "ReleaseCheck",
    "ReleasePolicy",
    "ReleaseRefusal",
    "Violation",
    "ViolationKind",
    "Withholding",
    "WithholdingReason",
    "check_hot_work",
    "check_release",
    "inspection_schedule",
]


def __dir__() -> list[str]:
    return list(__all__)
