"""Bad input to every public entry point of propcrm.affairs and propcrm.prospects is refused.

Issue 18's rule for issue 17's workflows: each argument of each entry point is fed the malformed
values of its kind (:mod:`tests.bad_input`); :func:`assert_refused` checks that only a
:class:`~propcrm.errors.PropcrmError` carrying its context comes out. Where a shared strategy's
value is valid for an argument (``None`` for an optional one), the case replaces it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from tests.bad_input import (
    assert_refused,
    bad_amounts,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_instants,
    bad_locales,
    bad_text,
    wrong_types,
)

from propcrm.affairs import (
    AffairAction,
    AffairState,
    AffairStep,
    AffairTransition,
    AffairTransitionTable,
    DecorationAffair,
    DecorationPolicy,
    DepositSettlement,
    GoodsRelease,
    HotWorkPermit,
    Inspection,
    MoveIn,
    MoveInItem,
    MoveInPolicy,
    Mover,
    OwnerConsent,
    ReleaseCheck,
    ReleasePolicy,
    Violation,
    ViolationKind,
    Withholding,
    WithholdingReason,
    check_hot_work,
    check_release,
    inspection_schedule,
)
from propcrm.money import Money
from propcrm.parties import PartyBook
from propcrm.prospects import Interest, Lead, LeadSource, LeadStage, LeadStep, convert, funnel
from propcrm.sla import BusinessCalendar, CalendarSet

FEW = settings(max_examples=8, deadline=None)
AT = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
DAY = pendulum.date(2026, 3, 9)
CALENDARS = CalendarSet([BusinessCalendar.china_service_hours()])
MOVE_IN = MoveIn.open("MI-1", unit_id="U1", party_id="P1", by="S1", at=AT)
WORKS = DecorationAffair.register(
    "ZX-1",
    unit_id="U1",
    party_id="P1",
    plan="厨卫改造",
    contractor="安居装饰",
    start=DAY,
    until=DAY.add(days=30),
    deposit=Money("3000.00"),
    by="S1",
    at=AT,
).approve(permit_number="ZX-2026-1", by="S2", at=AT.add(days=1))
RELEASE = GoodsRelease.request(
    "FX-1",
    unit_id="U1",
    party_id="P9",
    mover=Mover.TENANT,
    on=DAY,
    goods="家具",
    by="S1",
    at=AT,
)
LEAD = Lead.new(
    "L-1", source=LeadSource.PHONE, interest=Interest.HOME, party_id="P1", by="S1", at=AT
)


def decoration(**changes: Any) -> DecorationAffair:
    values: dict[str, Any] = {
        "unit_id": "U1",
        "party_id": "P1",
        "plan": "厨卫改造",
        "contractor": "安居装饰",
        "start": DAY,
        "until": DAY.add(days=30),
        "deposit": Money("3000.00"),
        "by": "S1",
        "at": AT,
    }
    values.update(changes)
    affair_id = values.pop("affair_id", "ZX-1")
    return DecorationAffair.register(affair_id, **values)


def release(**changes: Any) -> GoodsRelease:
    values: dict[str, Any] = {
        "unit_id": "U1",
        "party_id": "P9",
        "mover": Mover.TENANT,
        "on": DAY,
        "goods": "家具",
        "by": "S1",
        "at": AT,
    }
    values.update(changes)
    release_id = values.pop("release_id", "FX-1")
    return GoodsRelease.request(release_id, **values)


def lead(**changes: Any) -> Lead:
    values: dict[str, Any] = {
        "source": LeadSource.PHONE,
        "interest": Interest.HOME,
        "party_id": "P1",
        "by": "S1",
        "at": AT,
    }
    values.update(changes)
    lead_id = values.pop("lead_id", "L-1")
    return Lead.new(lead_id, **values)


def _items(bad: object) -> object:
    # An empty list or tuple is a valid empty collection: give one holding a wrong item instead.
    return [object()] if isinstance(bad, list | tuple) and not bad else bad


def _or(bad: object, instead: object) -> object:
    # None is valid for an optional id: give a bad one in its place.
    return instead if bad is None else bad


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: MoveIn.open(bad, unit_id="U1", party_id="P1", by="S1", at=AT),
        lambda bad: MoveIn.open("M", unit_id=bad, party_id="P1", by="S1", at=AT),
        lambda bad: MoveIn.open("M", unit_id="U1", party_id=bad, by="S1", at=AT),
        lambda bad: MoveIn.open("M", unit_id="U1", party_id="P1", by=bad, at=AT),
        lambda bad: MOVE_IN.tick(MoveInItem.KEYS, by=bad, at=AT),
        lambda bad: MOVE_IN.callback_contact(bad, "CB1"),
        lambda bad: AffairStep(AffairAction.OPEN, bad, AT),
        lambda bad: AffairStep(AffairAction.OPEN, "S1", AT, subject=_or(bad, " ")),
        lambda bad: decoration(affair_id=bad),
        lambda bad: decoration(unit_id=bad),
        lambda bad: decoration(party_id=bad),
        lambda bad: WORKS.approve_hot_work(_or(bad, "DH 1"), by="S3", at=AT.add(days=2)),
        lambda bad: check_hot_work(WORKS, _or(bad, "DH 1"), AT),
        lambda bad: WORKS.request_hot_work(
            bad, description="焊接", valid_from=AT, valid_until=AT, by="S1", at=AT
        ),
        lambda bad: WORKS.inspect(bad, by="S2", at=AT.add(days=2), passed=True),
        lambda bad: WORKS.record_violation(
            bad, kind=ViolationKind.NOISE, description="噪音", by="S2", at=AT.add(days=2)
        ),
        lambda bad: WORKS.record_violation(
            "WG-1",
            kind=ViolationKind.NOISE,
            description="噪音",
            by="S2",
            at=AT.add(days=2),
            request_id=_or(bad, "C 1"),
        ),
        lambda bad: Withholding(
            amount=Money("1.00"), reason=WithholdingReason.VIOLATION, violation_id=_or(bad, "")
        ),
        lambda bad: Inspection(inspection_id=bad, at=AT, by="S1", passed=True),
        lambda bad: Violation(
            violation_id=bad, kind=ViolationKind.NOISE, at=AT, by="S1", description="噪音"
        ),
        lambda bad: HotWorkPermit(
            permit_id=bad,
            description="焊接",
            valid_from=AT,
            valid_until=AT.add(hours=1),
            requested_by="S1",
        ),
        lambda bad: release(release_id=bad),
        lambda bad: release(unit_id=bad),
        lambda bad: release(party_id=bad),
        lambda bad: OwnerConsent(owner_id=bad, unit_id="U1", given_on=DAY),
        lambda bad: check_release(RELEASE, arrears=Money.zero(), owners=[bad], consent=None),
        lambda bad: ReleaseCheck(release_id=bad, on=DAY, arrears=Money.zero()),
        lambda bad: RELEASE.let_out(by=bad, at=AT),
        lambda bad: lead(lead_id=bad),
        lambda bad: lead(party_id=_or(bad, "P 1")),
        lambda bad: lead(unit_wanted=_or(bad, "")),
        lambda bad: LeadStep(LeadStage.NEW, bad, AT),
        lambda bad: LEAD.advance(LeadStage.VIEWING, by=bad, at=AT),
        lambda bad: convert(
            LEAD, PartyBook(), unit_id=bad, start=DAY, relation_id="R1", by="S1", at=AT
        ),
        lambda bad: convert(
            LEAD, PartyBook(), unit_id="U1", start=DAY, relation_id=bad, by="S1", at=AT
        ),
    ],
)
@FEW
@given(bad=bad_ids)
def test_ids_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: MoveIn.open("M", unit_id="U1", party_id="P1", by="S1", at=bad),
        lambda bad: MOVE_IN.tick(MoveInItem.KEYS, by="S1", at=bad),
        lambda bad: MOVE_IN.cancel(by="S1", at=bad, reason="改期"),
        lambda bad: AffairStep(AffairAction.OPEN, "S1", bad),
        lambda bad: decoration(at=bad),
        lambda bad: WORKS.request_hot_work(
            "DH-1", description="焊接", valid_from=bad, valid_until=AT, by="S1", at=AT
        ),
        lambda bad: WORKS.request_hot_work(
            "DH-1", description="焊接", valid_from=AT, valid_until=bad, by="S1", at=AT
        ),
        lambda bad: check_hot_work(WORKS, "DH-1", bad),
        lambda bad: WORKS.inspect("XJ-1", by="S2", at=bad, passed=True),
        lambda bad: WORKS.finish(by="S2", at=bad),
        lambda bad: DecorationPolicy().within_working_hours(bad),
        lambda bad: release(at=bad),
        lambda bad: RELEASE.let_out(by="S1", at=bad),
        lambda bad: RELEASE.cancel(by="S1", at=bad, reason="改期"),
        lambda bad: lead(at=bad),
        lambda bad: LEAD.lose(by="S1", at=bad, reason="价格"),
        LEAD.stage_at,
        LEAD.furthest_at,
        lambda bad: funnel([LEAD], as_of=bad),
    ],
)
@FEW
@given(bad=bad_instants)
def test_instants_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: decoration(start=bad),
        lambda bad: decoration(until=bad),
        lambda bad: release(on=bad),
        lambda bad: OwnerConsent(owner_id="P1", unit_id="U1", given_on=bad),
        lambda bad: ReleaseCheck(release_id="FX-1", on=bad, arrears=Money.zero()),
        lambda bad: convert(
            LEAD, PartyBook(), unit_id="U1", start=bad, relation_id="R1", by="S1", at=AT
        ),
    ],
)
@FEW
@given(bad=bad_dates)
def test_dates_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: decoration(deposit=bad),
        lambda bad: decoration(deposit=Money("-1.00")),
        lambda bad: Withholding(amount=bad, reason=WithholdingReason.DAMAGE),
        lambda bad: DepositSettlement(deposit=bad),
        lambda bad: check_release(RELEASE, arrears=bad, owners=[], consent=None),
        lambda bad: ReleasePolicy(arrears_tolerance=bad),
        lambda bad: WORKS.record_violation(
            "WG-1",
            kind=ViolationKind.NOISE,
            description="噪音",
            by="S2",
            at=AT.add(days=2),
            penalty=_or(bad, Money("-5.00")),
        ),
    ],
)
@FEW
@given(bad=bad_amounts)
def test_amounts_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: MoveInPolicy(callback_days=bad),
        lambda bad: DecorationPolicy(inspection_every=bad),
        lambda bad: DecorationPolicy(hot_work_max_hours=bad),
        lambda bad: ReleasePolicy(consent_valid_days=bad),
    ],
)
@FEW
@given(bad=bad_counts)
def test_counts_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: decoration(plan=bad),
        lambda bad: decoration(contractor=bad),
        lambda bad: release(goods=bad),
        lambda bad: MOVE_IN.cancel(by="S1", at=AT, reason=bad),
        lambda bad: WORKS.withdraw(by="S1", at=AT.add(days=2), reason=bad),
        lambda bad: Violation(
            violation_id="WG-1", kind=ViolationKind.NOISE, at=AT, by="S1", description=bad
        ),
        lambda bad: LEAD.lose(by="S1", at=AT, reason=bad),
    ],
)
@FEW
@given(bad=bad_text)
def test_texts_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: MOVE_IN.tick(bad, by="S1", at=AT),
        lambda bad: MoveIn.open("M", unit_id="U1", party_id="P1", by="S1", at=AT, policy=bad),
        lambda bad: MoveInPolicy(required=bad),
        lambda bad: MoveInPolicy(optional=[bad]),
        lambda bad: AffairStep(bad, "S1", AT),
        lambda bad: AffairTransition(bad, (), AffairState.OPEN),
        lambda bad: AffairTransition(AffairAction.OPEN, _items(bad), AffairState.OPEN),
        lambda bad: AffairTransitionTable("t", bad),
        lambda bad: decoration(policy=bad),
        lambda bad: DecorationPolicy(working_hours=bad),
        lambda bad: DecorationPolicy(zone=bad),
        lambda bad: check_hot_work(bad, "DH-1", AT),
        lambda bad: inspection_schedule(bad, CALENDARS),
        lambda bad: inspection_schedule(WORKS, bad),
        lambda bad: WORKS.record_violation(
            "WG-1", kind=bad, description="噪音", by="S2", at=AT.add(days=2)
        ),
        lambda bad: WORKS.settle_deposit(_items(bad), by="S2", at=AT),
        lambda bad: Withholding(amount=Money("1.00"), reason=bad),
        lambda bad: DepositSettlement(deposit=Money("1.00"), withholdings=_items(bad)),
        lambda bad: release(mover=bad),
        lambda bad: check_release(bad, arrears=Money.zero(), owners=[], consent=None),
        lambda bad: check_release(RELEASE, arrears=Money.zero(), owners=[bad], consent=None),
        lambda bad: check_release(RELEASE, arrears=Money.zero(), owners=[], consent=_or(bad, "P1")),
        lambda bad: check_release(
            RELEASE, arrears=Money.zero(), owners=[], consent=None, policy=bad
        ),
        lambda bad: RELEASE.decide(bad, by="S1", at=AT),
        lambda bad: RELEASE.approve(bad, by="S1", at=AT),
        lambda bad: ReleaseCheck(
            release_id="FX-1", on=DAY, arrears=Money.zero(), refusals=_items(bad)
        ),
        lambda bad: lead(source=bad),
        lambda bad: lead(interest=bad),
        lambda bad: lead(mobile=_or(bad, "13812345678")),
        lambda bad: lead(name=_or(bad, "赵六")),
        lambda bad: LeadStep(bad, "S1", AT),
        lambda bad: LEAD.advance(bad, by="S1", at=AT),
        LEAD.follow_up,
        LEAD.follow_ups,
        lambda bad: convert(
            bad, PartyBook(), unit_id="U1", start=DAY, relation_id="R1", by="S", at=AT
        ),
        lambda bad: convert(LEAD, bad, unit_id="U1", start=DAY, relation_id="R1", by="S", at=AT),
        lambda bad: convert(
            LEAD,
            PartyBook(),
            unit_id="U1",
            start=DAY,
            relation_id="R1",
            by="S",
            at=AT,
            party=_or(bad, "P1"),
        ),
        lambda bad: funnel(_items(bad), as_of=AT),
        lambda bad: funnel([bad], as_of=AT),
        lambda bad: funnel([LEAD], as_of=AT, zone_name=bad),
    ],
)
@FEW
@given(bad=wrong_types)
def test_wrong_types_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        MOVE_IN.explain,
        WORKS.history[0].describe,
        lambda bad: check_hot_work(WORKS, "DH-1", AT).describe(bad),
        lambda bad: check_release(RELEASE, arrears=Money.zero(), owners=[], consent=None).describe(
            bad
        ),
        lambda bad: DepositSettlement(deposit=Money("1.00")).explain(bad),
        LEAD.describe,
        lambda bad: funnel([LEAD], as_of=AT).explain(bad),
        funnel([LEAD], as_of=AT).rows[0].explain,
        inspection_schedule(WORKS, CALENDARS)[0].explain,
        AffairState.OPEN.label,
    ],
)
@FEW
@given(bad=bad_locales)
def test_locales_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))
