"""The tally of one motion, explained as data, and a passed fee adjustment as a tariff approval.

:func:`tally` counts a motion's ballots by area and by head: for, against, abstaining, the
participating total and the electorate's total; then checks the four thresholds of Civil Code
art. 278 (participating area and heads against the quorum, consenting area and heads against
the motion's majority). Each :class:`ThresholdCheck` keeps its numbers, its threshold and whether
it was met; the motion passes when all four are. Proxy ballots overridden by the owner's own
ballot are listed in ``set_aside``.

:func:`approval_from` turns a passed fee-adjustment tally into the
:class:`~propcrm.billing.Approval` a new :class:`~propcrm.billing.TariffVersion` needs (domain
brief §2, §7: "a passed motion is that approval"), and refuses any other tally.
"""

from __future__ import annotations

import enum
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import attrs
import pendulum

from propcrm._i18n import (
    DEFAULT_LOCALE,
    LocaleLike,
    check_locale,
    gettext,
    ngettext,
    percent_text,
    pgettext,
)
from propcrm._validators import check_instance, check_record_id, instance_of
from propcrm.assembly._ballots import BallotBox
from propcrm.assembly._meetings import Ballot, Choice
from propcrm.assembly._policy import (
    DEFAULT_ASSEMBLY_POLICY,
    AssemblyPolicy,
    Majority,
    MotionKind,
    Threshold,
)
from propcrm.billing import Approval, Approver
from propcrm.errors import InvalidMeeting, MotionNotPassed

__all__ = ["CheckKind", "Count", "SetAside", "Tally", "ThresholdCheck", "approval_from", "tally"]


@attrs.frozen
class Count:
    """Owners counted twice over: the exclusive ``area`` (㎡) they hold and their ``heads``."""

    area: Decimal = attrs.field(validator=instance_of(Decimal))
    heads: int = attrs.field(validator=instance_of(int))

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'1,234.50 ㎡, 12 owners'`` (``'1,234.50㎡，12人'``)."""
        return ngettext(
            "%(area)s ㎡, %(num)d owner",
            "%(area)s ㎡, %(num)d owners",
            self.heads,
            locale=locale,
            area=_area_text(self.area),
        )


def _area_text(area: Decimal) -> str:
    return f"{area.quantize(Decimal('0.01'), ROUND_HALF_UP):,}"


class CheckKind(enum.Enum):
    """The four checks of art. 278: quorum by area and heads, consent by area and heads."""

    QUORUM_AREA = "quorum_area"
    QUORUM_HEADS = "quorum_heads"
    CONSENT_AREA = "consent_area"
    CONSENT_HEADS = "consent_heads"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """What is measured, e.g. ``'参与表决的专有面积'`` / ``'participating area'``."""
        match self:
            case CheckKind.QUORUM_AREA:
                return pgettext("vote check", "participating area", locale=locale)
            case CheckKind.QUORUM_HEADS:
                return pgettext("vote check", "participating owners", locale=locale)
            case CheckKind.CONSENT_AREA:
                return pgettext("vote check", "consenting area", locale=locale)
            case CheckKind.CONSENT_HEADS:
                return pgettext("vote check", "consenting owners", locale=locale)


@attrs.frozen
class ThresholdCheck:
    """One threshold checked: ``part`` of ``whole`` against ``threshold``, and the outcome."""

    kind: CheckKind = attrs.field(validator=instance_of(CheckKind))
    part: Decimal = attrs.field(validator=instance_of(Decimal))
    whole: Decimal = attrs.field(validator=instance_of(Decimal))
    threshold: Threshold = attrs.field(validator=instance_of(Threshold))
    met: bool = attrs.field(validator=instance_of(bool))

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """E.g. ``'participating area: 13,400.00 of 20,000.00 (67.00%), at least 2/3: met'``."""
        name = check_locale(locale)
        heads = self.kind in (CheckKind.QUORUM_HEADS, CheckKind.CONSENT_HEADS)
        part = str(int(self.part)) if heads else _area_text(self.part)
        whole = str(int(self.whole)) if heads else _area_text(self.whole)
        outcome = (
            pgettext("threshold outcome", "met", locale=name)
            if self.met
            else pgettext("threshold outcome", "missed", locale=name)
        )
        return gettext(
            "%(what)s: %(part)s of %(whole)s (%(percent)s), %(threshold)s: %(outcome)s",
            locale=name,
            what=self.kind.label(name),
            part=part,
            whole=whole,
            # Two places: thresholds such as two thirds sit between whole percents.
            percent=percent_text(
                Fraction(self.part) / Fraction(self.whole) if self.whole else None,
                places=2,
                locale=name,
            ),
            threshold=self.threshold.describe(name),
            outcome=outcome,
        )


@attrs.frozen
class SetAside:
    """A proxy ballot not counted because the owner voted in person on the same motion."""

    ballot_id: str
    owner_id: str
    proxy: str
    overridden_by: str


@attrs.frozen
class Tally:
    """The count of one motion and the four checks that decide it; ``passed`` if all are met."""

    meeting_id: str
    motion_id: str
    kind: MotionKind
    majority: Majority
    decided_on: pendulum.Date
    total: Count
    in_favour: Count
    against: Count
    abstaining: Count
    checks: tuple[ThresholdCheck, ...]
    set_aside: tuple[SetAside, ...] = ()
    resolution: str | None = None

    @property
    def participating(self) -> Count:
        """Everyone who cast a counted ballot: for, against or abstaining."""
        return Count(
            self.in_favour.area + self.against.area + self.abstaining.area,
            self.in_favour.heads + self.against.heads + self.abstaining.heads,
        )

    @property
    def quorate(self) -> bool:
        """Whether both participation thresholds were met."""
        return all(
            c.met for c in self.checks if c.kind in (CheckKind.QUORUM_AREA, CheckKind.QUORUM_HEADS)
        )

    @property
    def passed(self) -> bool:
        """Whether every threshold was met."""
        return all(c.met for c in self.checks)

    def check(self, kind: CheckKind) -> ThresholdCheck:
        """The check of ``kind``."""
        return next(c for c in self.checks if c.kind is check_instance(kind, "kind", CheckKind))

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The tally for the notice board: outcome, counts, then every check with its numbers."""
        name = check_locale(locale)
        outcome = (
            pgettext("motion outcome", "passed", locale=name)
            if self.passed
            else pgettext("motion outcome", "not passed", locale=name)
        )
        lines = [
            gettext(
                "Motion %(motion)s (%(kind)s, %(majority)s): %(outcome)s",
                locale=name,
                motion=self.motion_id,
                kind=self.kind.label(name),
                majority=self.majority.label(name),
                outcome=outcome,
            ),
            gettext("Owners in total: %(count)s", locale=name, count=self.total.describe(name)),
            gettext(
                "Participating: %(count)s", locale=name, count=self.participating.describe(name)
            ),
            gettext(
                "For: %(yes)s; against: %(no)s; abstaining: %(abstain)s",
                locale=name,
                yes=self.in_favour.describe(name),
                no=self.against.describe(name),
                abstain=self.abstaining.describe(name),
            ),
        ]
        lines += [check.describe(name) for check in self.checks]
        lines += [
            gettext(
                "Set aside: ballot %(ballot)s under authorisation %(proxy)s, as owner %(owner)s "
                "voted in person (%(by)s)",
                locale=name,
                ballot=s.ballot_id,
                proxy=s.proxy,
                owner=s.owner_id,
                by=s.overridden_by,
            )
            for s in self.set_aside
        ]
        return "\n".join(lines)


def _counted(box: BallotBox, motion_id: str) -> tuple[dict[str, Ballot], list[SetAside]]:
    """Each owner's counted ballot on the motion: in person if any, else by proxy."""
    counted: dict[str, Ballot] = {}
    proxied: dict[str, Ballot] = {}
    for ballot in box.ballots:
        if ballot.motion_id != motion_id:
            continue
        if ballot.proxy is None:
            counted[ballot.owner_id] = ballot
        else:
            proxied[ballot.owner_id] = ballot
    set_aside = []
    for owner, ballot in proxied.items():
        own = counted.get(owner)
        if own is None:
            counted[owner] = ballot
        else:
            set_aside.append(SetAside(ballot.ballot_id, owner, str(ballot.proxy), own.ballot_id))
    set_aside.sort(key=lambda s: s.ballot_id)
    return counted, set_aside


def tally(
    box: BallotBox, motion_id: str, *, policy: AssemblyPolicy = DEFAULT_ASSEMBLY_POLICY
) -> Tally:
    """Count ``motion_id``'s ballots in ``box`` and check them against ``policy``.

    Participation is measured against the electorate's totals, consent against the
    participating area and heads; abstentions participate and do not consent.
    """
    check_instance(box, "box", BallotBox, error=InvalidMeeting)
    check_record_id(motion_id, "motion id", InvalidMeeting)
    check_instance(policy, "policy", AssemblyPolicy, error=InvalidMeeting)
    meeting = box.meeting
    motion = meeting.motion(motion_id)
    if box.electorate.area_basis is not policy.area_basis:
        raise InvalidMeeting(
            f"the electorate counts {box.electorate.area_basis.value} areas, the policy "
            f"{policy.area_basis.value} areas; draw the electorate with this policy.",
            field="policy",
            value=policy.area_basis,
            allowed=f"a policy counting {box.electorate.area_basis.value} areas",
        )
    counted, set_aside = _counted(box, motion_id)
    area_of = {e.party_id: e.area for e in box.electorate.electors}
    areas = {Choice.FOR: Decimal(0), Choice.AGAINST: Decimal(0), Choice.ABSTAIN: Decimal(0)}
    heads = dict.fromkeys(Choice, 0)
    for owner, ballot in counted.items():
        areas[ballot.choice] += area_of[owner]
        heads[ballot.choice] += 1
    total = Count(box.electorate.total_area, box.electorate.total_heads)
    area_in = sum(areas.values(), Decimal(0))
    heads_in = sum(heads.values())
    consent = policy.approval(motion.kind)

    def check(
        kind: CheckKind, part: Decimal, whole: Decimal, threshold: Threshold
    ) -> ThresholdCheck:
        return ThresholdCheck(kind, part, whole, threshold, threshold.met(part, whole))

    checks = (
        check(CheckKind.QUORUM_AREA, area_in, total.area, policy.quorum),
        check(CheckKind.QUORUM_HEADS, Decimal(heads_in), Decimal(total.heads), policy.quorum),
        check(CheckKind.CONSENT_AREA, areas[Choice.FOR], area_in, consent),
        check(CheckKind.CONSENT_HEADS, Decimal(heads[Choice.FOR]), Decimal(heads_in), consent),
    )
    return Tally(
        meeting.meeting_id,
        motion_id,
        motion.kind,
        policy.majority(motion.kind),
        pendulum.Date(meeting.decided_on.year, meeting.decided_on.month, meeting.decided_on.day),
        total,
        Count(areas[Choice.FOR], heads[Choice.FOR]),
        Count(areas[Choice.AGAINST], heads[Choice.AGAINST]),
        Count(areas[Choice.ABSTAIN], heads[Choice.ABSTAIN]),
        checks,
        tuple(set_aside),
        motion.resolution,
    )


def approval_from(result: Tally) -> Approval:
    """The tariff approval a passed fee-adjustment motion gives (brief §7).

    The approver is the owners' committee, which executes the assembly's resolutions (Civil Code
    art. 277); the reference is the motion's resolution number, or ``meeting/motion``; the
    approval date is the day the vote closed. A failed motion, or one of another kind, is
    refused with :class:`~propcrm.errors.MotionNotPassed`, its checks in the message.
    """
    check_instance(result, "tally", Tally, error=MotionNotPassed)
    if result.kind is not MotionKind.FEE_ADJUSTMENT:
        raise MotionNotPassed(
            f"motion {result.motion_id} is {result.kind.value}, not a fee adjustment; only a fee "
            "adjustment approves a tariff.",
            field="kind",
            value=result.kind,
            allowed=MotionKind.FEE_ADJUSTMENT.value,
        )
    if not result.passed:
        missed = [c.describe("en_US") for c in result.checks if not c.met]
        raise MotionNotPassed(
            f"motion {result.motion_id} did not pass, so it approves nothing: {'; '.join(missed)}.",
            field="tally",
            value=result.motion_id,
            allowed="a passed fee-adjustment motion",
            missed=tuple(c.kind for c in result.checks if not c.met),
        )
    reference = result.resolution or f"{result.meeting_id}/{result.motion_id}"
    return Approval(Approver.OWNERS_COMMITTEE, reference, result.decided_on)
