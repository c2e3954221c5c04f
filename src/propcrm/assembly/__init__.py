"""The owners' assembly (业主大会): meetings, motions, proxies, ballots and the art. 278 tally.

A :class:`Meeting` puts :class:`Motion` values to the vote; each motion's :class:`MotionKind`
decides, through the :class:`AssemblyPolicy`, the majority it needs (Civil Code art. 278). The
:func:`electorate` is read from the party book as of the meeting date (each owner once by head,
with the exclusive area of their shares); a :class:`BallotBox` accepts :class:`Proxy` and
:class:`Ballot` values and refuses late, duplicate and misused ones; :func:`tally` counts a
motion by area and by head and explains each threshold as data (:class:`Tally`,
:class:`ThresholdCheck`); :func:`approval_from` turns a passed fee adjustment into the
:class:`~propcrm.billing.Approval` a new tariff version needs.

>>> from propcrm.assembly import example_vote
>>> result = example_vote()
>>> result.check(CheckKind.CONSENT_HEADS).met, result.check(CheckKind.CONSENT_AREA).met
(True, False)
>>> print(result.describe("en_US").splitlines()[0])
Motion M1 (a fee adjustment, ordinary matter): not passed

Depends on :mod:`propcrm.money`, :mod:`propcrm.time`, :mod:`propcrm.billing` (the approval) and
:mod:`propcrm.parties` (ownership and areas).
"""

from propcrm.assembly._ballots import BallotBox
from propcrm.assembly._electorate import Elector, Electorate, electorate
from propcrm.assembly._examples import example_vote
from propcrm.assembly._meetings import Ballot, Choice, Meeting, Motion, Proxy
from propcrm.assembly._policy import (
    DEFAULT_ASSEMBLY_POLICY,
    AssemblyPolicy,
    Comparison,
    ExclusiveArea,
    Majority,
    MotionKind,
    Threshold,
)
from propcrm.assembly._tally import (
    CheckKind,
    Count,
    SetAside,
    Tally,
    ThresholdCheck,
    approval_from,
    tally,
)

__all__ = [
    "DEFAULT_ASSEMBLY_POLICY",
    "AssemblyPolicy",
    "Ballot",
    "BallotBox",
    "CheckKind",
    "Choice",
    "Comparison",
    "Count",
    "Elector",
    "Electorate",
    "ExclusiveArea",
    "Majority",
    "Meeting",
    "Motion",
    "MotionKind",
    "Proxy",
    "SetAside",
    "Tally",
    "Threshold",
    "ThresholdCheck",
    "approval_from",
    "electorate",
    "example_vote",
    "tally",
]


def __dir__() -> list[str]:
    return list(__all__)
