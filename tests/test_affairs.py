"""Public affairs as workflows (issue 17): move-in, decoration, goods release.

Unit tests and properties of each rule, then scenarios that read like the domain brief (§7): a
decoration with a hot-work permit, and a release refused for arrears.
"""

from __future__ import annotations

import itertools

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.affairs import (
    DECORATION_TRANSITIONS,
    MOVE_IN_TRANSITIONS,
    RELEASE_TRANSITIONS,
    AffairAction,
    AffairState,
    AffairStep,
    DecorationAffair,
    DecorationPolicy,
    DepositSettlement,
    GoodsRelease,
    HotWorkProblem,
    MoveIn,
    MoveInItem,
    MoveInPolicy,
    Mover,
    OwnerConsent,
    RefusalReason,
    ViolationKind,
    Withholding,
    WithholdingReason,
    check_hot_work,
    check_release,
    inspection_schedule,
)
from propcrm.billing import PropertyType
from propcrm.contacts import (
    CallbackStatus,
    Channel,
    Contact,
    ContactLog,
    ContactOutcome,
    Direction,
    Purpose,
    callback_state,
)
from propcrm.errors import (
    ChecklistIncomplete,
    DepositExceeded,
    HotWorkRefused,
    IllegalAffairStep,
    InvalidAffair,
    ReleaseRefused,
)
from propcrm.money import Money
from propcrm.parties import Handover, Unit
from propcrm.sla import BusinessCalendar, CalendarSet
from propcrm.testing import strategies

TZ = "Asia/Shanghai"
AT = pendulum.datetime(2026, 3, 2, 9, 0, tz=TZ)
SERVICE = BusinessCalendar.china_service_hours()
CALENDARS = CalendarSet([BusinessCalendar.always(), SERVICE])
FEW = settings(max_examples=30, deadline=None)


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz=TZ)


# -- move-in ------------------------------------------------------------------------------------


def opened(policy: MoveInPolicy | None = None) -> MoveIn:
    kw = {} if policy is None else {"policy": policy}
    return MoveIn.open("MI-1", unit_id="1-2-0301", party_id="P1", by="S1", at=AT, **kw)


def test_a_move_in_completes_only_when_every_required_item_is_done() -> None:
    move_in = opened()
    for n, item in enumerate([i for i in MoveInItem if i is not MoveInItem.KEYS], start=1):
        move_in = move_in.tick(item, by="S1", at=AT.add(minutes=n))
    with pytest.raises(ChecklistIncomplete) as refused:
        move_in.complete(by="S1", at=AT.add(hours=1))
    assert refused.value.context["missing"] == (MoveInItem.KEYS,)
    done = move_in.tick(MoveInItem.KEYS, by="S2", at=AT.add(hours=1), note="2 keys, 2 cards")
    done = done.complete(by="S1", at=AT.add(hours=2))
    assert done.state is AffairState.COMPLETED
    assert done.completed_at == AT.add(hours=2)
    assert done.entries[-1].by == "S2"
    assert done.entries[-1].note == "2 keys, 2 cards"


def test_the_policy_decides_which_items_are_required() -> None:
    policy = MoveInPolicy(
        required=[MoveInItem.DOCUMENTS, MoveInItem.KEYS], optional=[MoveInItem.METER_READINGS]
    )
    move_in = opened(policy).tick(MoveInItem.KEYS, by="S1", at=AT)
    move_in = move_in.tick(MoveInItem.DOCUMENTS, by="S1", at=AT)
    assert move_in.complete(by="S1", at=AT).state is AffairState.COMPLETED
    with pytest.raises(InvalidAffair):
        opened(policy).tick(MoveInItem.FIRST_NOTICE, by="S1", at=AT)


@pytest.mark.parametrize(
    ("required", "optional"),
    [([], []), ([MoveInItem.KEYS], [MoveInItem.KEYS]), ([MoveInItem.KEYS, MoveInItem.KEYS], [])],
)
def test_a_policy_refuses_an_empty_or_ambiguous_checklist(
    required: list[MoveInItem], optional: list[MoveInItem]
) -> None:
    with pytest.raises(InvalidAffair):
        MoveInPolicy(required=required, optional=optional)


def test_move_in_steps_are_guarded_and_audited() -> None:
    move_in = opened().tick(MoveInItem.KEYS, by="S1", at=AT.add(hours=1))
    with pytest.raises(IllegalAffairStep):
        move_in.tick(MoveInItem.KEYS, by="S1", at=AT.add(hours=2))
    with pytest.raises(InvalidAffair, match="before the affair's last step"):
        move_in.tick(MoveInItem.DOCUMENTS, by="S1", at=AT)
    with pytest.raises(InvalidAffair, match="needs a reason"):
        move_in.cancel(by="S1", at=AT.add(hours=2), reason=" ")
    cancelled = move_in.cancel(by="S3", at=AT.add(hours=2), reason="业主改期")
    assert cancelled.state is AffairState.CANCELLED
    assert cancelled.history[-1] == AffairStep(
        AffairAction.CANCEL, "S3", AT.add(hours=2), reason="业主改期"
    )
    with pytest.raises(IllegalAffairStep) as refused:
        cancelled.tick(MoveInItem.DOCUMENTS, by="S1", at=AT.add(hours=3))
    assert refused.value.field == "action"
    with pytest.raises(IllegalAffairStep):
        cancelled.callback_contact("C1", "CB1")


def test_on_completion_the_new_customer_callback_is_due_within_a_month() -> None:
    move_in = opened()
    for item in MoveInItem:
        move_in = move_in.tick(item, by="S1", at=AT)
    move_in = move_in.complete(by="S1", at=AT.add(hours=1))
    promise = move_in.callback_contact("C1", "CB-MI-1")
    log = ContactLog([promise])
    state = callback_state(log, "CB-MI-1", CALENDARS, as_of=AT.add(days=10))
    assert state.status is CallbackStatus.PENDING
    assert state.deadline == AT.add(hours=1).add(days=30)
    kept = Contact(
        contact_id="C2",
        at=AT.add(days=20),
        channel=Channel.HOTLINE,
        direction=Direction.OUTBOUND,
        purpose=Purpose.CALLBACK,
        outcome=ContactOutcome.RESOLVED,
        staff="S1",
        party_id="P1",
        keeps="CB-MI-1",
    )
    after = callback_state(log.add(kept), "CB-MI-1", CALENDARS, as_of=AT.add(days=40))
    assert after.status is CallbackStatus.KEPT


def test_a_move_in_explains_its_checklist_in_both_languages() -> None:
    move_in = opened().tick(MoveInItem.KEYS, by="S1", at=AT)
    assert move_in.explain()[0] == "1-2-0301入住MI-1：办理中"
    assert "keys: done by S1 at 2026-03-02T09:00:00+08:00" in move_in.explain("en_US")
    assert "documents: to do" in move_in.explain("en_US")


@FEW
@given(move_in=strategies.move_ins())
def test_a_move_in_is_the_fold_of_its_history(move_in: MoveIn) -> None:
    assert attrs.evolve(move_in) == move_in
    assert MOVE_IN_TRANSITIONS.state_of(move_in.history) is move_in.state
    if move_in.state is AffairState.COMPLETED:
        assert move_in.missing == ()
    assert set(move_in.done) <= set(move_in.policy.items)


@FEW
@given(policy=strategies.move_in_policies(), data=st.data())
def test_completion_is_possible_exactly_when_nothing_required_is_missing(
    policy: MoveInPolicy, data: st.DataObject
) -> None:
    ticked = data.draw(st.lists(st.sampled_from(policy.items), unique=True))
    move_in = opened(policy)
    for item in ticked:
        move_in = move_in.tick(item, by="S1", at=AT)
    if set(policy.required) <= set(ticked):
        assert move_in.complete(by="S1", at=AT).state is AffairState.COMPLETED
    else:
        with pytest.raises(ChecklistIncomplete):
            move_in.complete(by="S1", at=AT)


# -- decoration ---------------------------------------------------------------------------------


WORKS_START = pendulum.date(2026, 3, 9)
WORKS_UNTIL = pendulum.date(2026, 5, 9)


def registered(
    start: pendulum.Date = WORKS_START,
    until: pendulum.Date = WORKS_UNTIL,
    policy: DecorationPolicy | None = None,
) -> DecorationAffair:
    kw = {} if policy is None else {"policy": policy}
    return DecorationAffair.register(
        "ZX-1",
        unit_id="1-2-0301",
        party_id="P1",
        plan="厨卫改造，更换地板",
        contractor="安居装饰有限公司",
        start=start,
        until=until,
        deposit=Money("3000.00"),
        by="S1",
        at=at(3, 3),
        **kw,
    )


def approved() -> DecorationAffair:
    return registered().approve(permit_number="ZX-2026-031", by="S2", at=at(3, 5))


def test_approval_issues_the_permit_and_makes_the_unit_fact() -> None:
    works = approved()
    assert works.state is AffairState.APPROVED
    assert works.permit is not None
    assert works.permit.issued_on == pendulum.date(2026, 3, 5)
    flat = Unit(
        unit_id="1-2-0301",
        community="SUNRISE",
        building="1",
        entrance="2",
        floor=3,
        number="0301",
        property_type=PropertyType.RESIDENTIAL,
        building_area="89.37",
        facts=[Handover(pendulum.date(2026, 3, 1))],
    )
    flat = flat.with_fact(works.as_fact())
    assert flat.status(pendulum.date(2026, 4, 1)).code.value == "decorating"
    with pytest.raises(IllegalAffairStep):
        registered().as_fact()
    with pytest.raises(IllegalAffairStep):
        works.withdraw(by="S1", at=at(3, 6), reason="业主出国").as_fact()


def test_a_permit_issued_after_the_works_start_is_refused() -> None:
    with pytest.raises(InvalidAffair, match="too late"):
        registered().approve(permit_number="ZX-2026-031", by="S2", at=at(3, 10))


def test_hot_work_needs_its_own_approval_by_someone_else() -> None:
    works = approved().request_hot_work(
        "DH-1",
        description="焊接阳台护栏",
        valid_from=at(3, 16, 9),
        valid_until=at(3, 16, 17),
        by="S1",
        at=at(3, 12),
    )
    with pytest.raises(InvalidAffair, match="another person approves"):
        works.approve_hot_work("DH-1", by="S1", at=at(3, 13))
    assert check_hot_work(works, "DH-1", at(3, 16, 10)).problems == (HotWorkProblem.NOT_APPROVED,)
    works = works.approve_hot_work("DH-1", by="S3", at=at(3, 13))
    assert works.permit is not None
    assert works.permit.hot_work
    with pytest.raises(IllegalAffairStep):
        works.approve_hot_work("DH-1", by="S3", at=at(3, 13))


@pytest.mark.parametrize(
    ("start", "end", "match"),
    [
        (at(3, 8, 10), at(3, 8, 12), "outside the works"),
        (at(5, 8, 20), at(5, 9, 1), "outside the works"),
        (at(3, 16, 9), at(3, 17, 10), "more than 24 hours"),
        (at(3, 16, 9), at(3, 16, 9), "not after it begins"),
    ],
)
def test_a_hot_work_window_lies_inside_the_works_and_within_the_policy(
    start: pendulum.DateTime, end: pendulum.DateTime, match: str
) -> None:
    with pytest.raises(InvalidAffair, match=match):
        approved().request_hot_work(
            "DH-1", description="切割", valid_from=start, valid_until=end, by="S1", at=at(3, 6)
        )


@FEW
@given(minutes=st.integers(min_value=-600, max_value=1800))
def test_hot_work_is_allowed_exactly_inside_the_approved_window(minutes: int) -> None:
    works = (
        approved()
        .request_hot_work(
            "DH-1",
            description="焊接",
            valid_from=at(3, 16, 9),
            valid_until=at(3, 16, 17),
            by="S1",
            at=at(3, 12),
        )
        .approve_hot_work("DH-1", by="S3", at=at(3, 13))
    )
    when = at(3, 16, 9).add(minutes=minutes)
    inside = at(3, 16, 9) <= when < at(3, 16, 17)
    check = check_hot_work(works, "DH-1", when)
    assert check.allowed is inside
    if inside:
        assert works.record_hot_work("DH-1", by="S1", at=when).history[-1].subject == "DH-1"
    else:
        with pytest.raises(HotWorkRefused):
            works.record_hot_work("DH-1", by="S1", at=when)


def test_the_first_inspections_fall_every_five_working_days() -> None:
    slots = inspection_schedule(approved(), CALENDARS)
    # 9–13 March is the first working week; 5 April (清明, a Sunday) moves the holiday to Monday 6.
    assert [s.on.isoformat() for s in slots[:5]] == [
        "2026-03-13",
        "2026-03-20",
        "2026-03-27",
        "2026-04-03",
        "2026-04-13",
    ]
    assert slots[0].at == at(3, 13, 8, 30)
    assert slots[0].working_day == 5
    assert slots[1].explain("en_US") == (
        "inspection 2 at 2026-03-20T08:30:00+08:00: working day 10 of the works on CN service hours"
    )


def _working_days(first: pendulum.Date, end: pendulum.Date) -> list[pendulum.Date]:
    days, day = [], first
    while day < end:
        if SERVICE.windows_on(day):
            days.append(day)
        day = day.add(days=1)
    return days


@FEW
@given(
    offset=st.integers(min_value=0, max_value=150),  # 2026: a confirmed year
    length=st.integers(min_value=1, max_value=120),
    every=st.integers(min_value=1, max_value=15),
)
def test_inspections_fall_on_every_nth_working_day_of_the_works(
    offset: int, length: int, every: int
) -> None:
    start = pendulum.date(2026, 3, 9).add(days=offset)
    until = start.add(days=length)
    works = registered(start=start, until=until, policy=DecorationPolicy(inspection_every=every))
    slots = inspection_schedule(works, CALENDARS)
    working = _working_days(start, until)
    assert len(slots) == len(working) // every
    for n, slot in enumerate(slots, start=1):
        assert slot.number == n
        assert slot.on == working[n * every - 1]
        assert start <= slot.on < until
        assert slot.at == SERVICE.windows_on(slot.on)[0][0]
    assert all(a.at < b.at for a, b in itertools.pairwise(slots))


def test_a_working_hours_violation_lies_outside_the_working_hours() -> None:
    works = approved()
    with pytest.raises(InvalidAffair, match="inside the working hours"):
        works.record_violation(
            "WG-1",
            kind=ViolationKind.WORKING_HOURS,
            description="电钻",
            by="S2",
            at=at(3, 16, 10),
        )
    lunch = works.record_violation(
        "WG-1",
        kind=ViolationKind.WORKING_HOURS,
        description="午休时间电钻施工",
        by="S2",
        at=at(3, 16, 12, 30),
        request_id="C-88",
    )
    assert lunch.violations[0].request_id == "C-88"
    assert DecorationPolicy().within_working_hours(at(3, 21, 10)) is False  # a Saturday


@pytest.mark.parametrize(
    "withholdings",
    [
        [],
        [Withholding(amount=Money("3000.00"), reason=WithholdingReason.DAMAGE)],
        [
            Withholding(amount=Money("0.01"), reason=WithholdingReason.WASTE_REMOVAL),
            Withholding(amount=Money("2999.98"), reason=WithholdingReason.OTHER, note="门禁卡"),
        ],
    ],
)
def test_a_settlement_refunds_the_deposit_less_what_is_withheld(
    withholdings: list[Withholding],
) -> None:
    settlement = DepositSettlement(deposit=Money("3000.00"), withholdings=withholdings)
    assert settlement.refunded + settlement.withheld == Money("3000.00")
    assert settlement.refunded >= Money.zero()


@FEW
@given(cents=st.lists(st.integers(min_value=1, max_value=200_000), max_size=5))
def test_no_settlement_withholds_more_than_the_deposit(cents: list[int]) -> None:
    withholdings = [
        Withholding(amount=Money.from_minor_units(c), reason=WithholdingReason.DAMAGE)
        for c in cents
    ]
    deposit = Money("3000.00")
    if sum(cents) > 300_000:
        with pytest.raises(DepositExceeded):
            DepositSettlement(deposit=deposit, withholdings=withholdings)
    else:
        settlement = DepositSettlement(deposit=deposit, withholdings=withholdings)
        assert settlement.refunded == Money.from_minor_units(300_000 - sum(cents))


def test_a_withholding_names_its_violation_and_another_reason_says_what() -> None:
    with pytest.raises(InvalidAffair):
        Withholding(amount=Money("1.00"), reason=WithholdingReason.VIOLATION)
    with pytest.raises(InvalidAffair):
        Withholding(amount=Money("1.00"), reason=WithholdingReason.OTHER)
    with pytest.raises(InvalidAffair):
        Withholding(amount=Money("0.00"), reason=WithholdingReason.DAMAGE)


def test_a_deposit_is_settled_only_once_the_works_are_over() -> None:
    with pytest.raises(IllegalAffairStep):
        approved().settle_deposit(by="S2", at=at(4, 1))
    rejected = registered().reject(by="S2", at=at(3, 4), reason="方案涉及承重墙")
    settled = rejected.settle_deposit(by="S2", at=at(3, 4, 10))
    assert settled.state is AffairState.SETTLED
    assert settled.settlement is not None
    assert settled.settlement.refunded == Money("3000.00")
    with pytest.raises(IllegalAffairStep):
        settled.inspect("XJ-1", by="S2", at=at(3, 5), passed=True)


@FEW
@given(affair=strategies.decoration_affairs())
def test_a_decoration_is_the_fold_of_its_history(affair: DecorationAffair) -> None:
    assert attrs.evolve(affair) == affair
    assert DECORATION_TRANSITIONS.state_of(affair.history) is affair.state
    for action in DECORATION_TRANSITIONS.allowed(affair.state):
        assert DECORATION_TRANSITIONS.find(affair.state, action).action is action
    if affair.settlement is not None:
        assert affair.settlement.refunded + affair.settlement.withheld == affair.deposit


def test_a_decoration_with_a_hot_work_permit() -> None:
    """Domain brief §7: registration, approval, a hot-work permit, inspections, a noise
    complaint, acceptance, and the deposit settled with reasons."""
    # 3 March: the owner registers the works, ¥3,000 deposit; approved on the 5th.
    works = approved()
    # The first scheduled inspection, Friday 13 March, passes.
    first = inspection_schedule(works, CALENDARS)[0]
    works = works.inspect("XJ-1", by="S2", at=first.at, passed=True)
    # The welder needs a hot-work permit for the balcony rail on Monday 16 March.
    works = works.request_hot_work(
        "DH-1",
        description="焊接阳台护栏",
        valid_from=at(3, 16, 9),
        valid_until=at(3, 16, 17),
        by="S1",
        at=at(3, 13, 10),
    ).approve_hot_work("DH-1", by="安全员S3", at=at(3, 13, 11))
    works = works.record_hot_work("DH-1", by="S1", at=at(3, 16, 9, 30))
    # He comes back at 18:00 to finish: the permit's window is over.
    with pytest.raises(HotWorkRefused) as refused:
        works.record_hot_work("DH-1", by="S1", at=at(3, 16, 18))
    assert refused.value.context["reasons"] == (HotWorkProblem.AFTER_WINDOW,)
    late = check_hot_work(works, "DH-1", at(3, 16, 18))
    assert late.describe() == "动火证DH-1，2026-03-16T18:00:00+08:00：不准（已过动火证有效时段）"
    # Saturday 21 March, 08:30: a neighbour complains of drilling (complaint C-88).
    works = works.record_violation(
        "WG-1",
        kind=ViolationKind.WORKING_HOURS,
        description="周六早上电钻施工",
        by="S2",
        at=at(3, 21, 8, 30),
        request_id="C-88",
        penalty=Money("500.00"),
    )
    # 8 May: the works are accepted; the deposit is settled less the penalty and a repair.
    works = works.finish(by="S2", at=at(5, 8, 15))
    withholdings = [
        *works.proposed_withholdings(),
        Withholding(amount=Money("300.00"), reason=WithholdingReason.DAMAGE, note="电梯轿厢划痕"),
    ]
    works = works.settle_deposit(withholdings, by="S2", at=at(5, 8, 16))
    assert works.state is AffairState.SETTLED
    assert works.settlement is not None
    assert works.settlement.refunded == Money("2200.00")
    assert works.settlement.explain("en_US") == (
        "deposit CN¥3,000.00",
        "withheld CN¥500.00: violation WG-1: 违规时间施工",
        "withheld CN¥300.00: damage to common parts: 电梯轿厢划痕",
        "refunded CN¥2,200.00",
    )
    assert [s.action for s in works.history][-2:] == [
        AffairAction.FINISH,
        AffairAction.SETTLE_DEPOSIT,
    ]


# -- goods release ------------------------------------------------------------------------------


def requested(mover: Mover = Mover.TENANT) -> GoodsRelease:
    return GoodsRelease.request(
        "FX-1",
        unit_id="1-2-0301",
        party_id="P9" if mover is Mover.TENANT else "P1",
        mover=mover,
        on=pendulum.date(2026, 6, 30),
        goods="家具、家电",
        by="S1",
        at=at(6, 29),
    )


CONSENT = OwnerConsent(owner_id="P1", unit_id="1-2-0301", given_on=pendulum.date(2026, 6, 28))


@pytest.mark.parametrize(
    ("consent", "reasons"),
    [
        (CONSENT, []),
        (None, [RefusalReason.NO_OWNER_CONSENT]),
        (attrs.evolve(CONSENT, owner_id="P9"), [RefusalReason.CONSENT_NOT_BY_OWNER]),
        (attrs.evolve(CONSENT, unit_id="1-2-0302"), [RefusalReason.CONSENT_FOR_OTHER_UNIT]),
        (
            attrs.evolve(CONSENT, given_on=pendulum.date(2026, 5, 1)),
            [RefusalReason.CONSENT_OUT_OF_DATE],
        ),
        (
            attrs.evolve(CONSENT, given_on=pendulum.date(2026, 7, 1)),
            [RefusalReason.CONSENT_OUT_OF_DATE],
        ),
    ],
)
def test_a_tenant_moving_out_needs_a_current_owner_consent(
    consent: OwnerConsent | None, reasons: list[RefusalReason]
) -> None:
    check = check_release(requested(), arrears=Money.zero(), owners=["P1"], consent=consent)
    assert [r.reason for r in check.refusals] == reasons


def test_an_owner_moving_out_needs_no_consent() -> None:
    check = check_release(requested(Mover.OWNER), arrears=Money.zero(), owners=["P1"], consent=None)
    assert check.allowed


@FEW
@given(cents=st.integers(min_value=0, max_value=10**8), tolerance=st.integers(0, 10**4))
def test_arrears_block_a_release_exactly_above_the_tolerance(cents: int, tolerance: int) -> None:
    from propcrm.affairs import ReleasePolicy

    arrears = Money.from_minor_units(cents)
    policy = ReleasePolicy(arrears_tolerance=Money.from_minor_units(tolerance))
    check = check_release(
        requested(Mover.OWNER), arrears=arrears, owners=["P1"], consent=None, policy=policy
    )
    assert check.allowed is (cents <= tolerance)


def test_a_release_refused_for_arrears() -> None:
    """Domain brief §7: goods are verified before release; a unit in arrears is held."""
    # The tenant of 1-2-0301 asks to move out on 30 June; the unit owes ¥1,260.00.
    release = requested()
    check = check_release(release, arrears=Money("1260.00"), owners=["P1"], consent=CONSENT)
    assert [r.reason for r in check.refusals] == [RefusalReason.ARREARS]
    assert check.describe() == "放行单FX-1（2026-06-30）：不予放行（房屋欠费：欠费¥1,260.00）"
    assert check.describe("en_US") == (
        "release FX-1 on 2026-06-30: refused (the unit is in arrears: CN¥1,260.00 owed)"
    )
    with pytest.raises(ReleaseRefused) as refused:
        release.approve(check, by="S1", at=at(6, 30, 8))
    assert refused.value.context["reasons"] == check.refusals
    release = release.decide(check, by="S1", at=at(6, 30, 8))
    assert release.state is AffairState.REFUSED
    assert release.refusals == check.refusals
    assert release.history[-1].reason == "arrears"
    # The gate will not let the goods out.
    with pytest.raises(IllegalAffairStep):
        release.let_out(by="门岗S9", at=at(6, 30, 9))
    # The arrears are paid at 09:30; checked again, the release is approved and let out.
    paid = check_release(release, arrears=Money.zero(), owners=["P1"], consent=CONSENT)
    release = release.decide(paid, by="S1", at=at(6, 30, 9, 30))
    assert release.state is AffairState.APPROVED
    with pytest.raises(IllegalAffairStep, match="request a new one"):
        release.let_out(by="门岗S9", at=at(7, 1, 9))
    release = release.let_out(by="门岗S9", at=at(6, 30, 10))
    assert release.state is AffairState.RELEASED
    assert [s.action for s in release.history] == [
        AffairAction.REQUEST_RELEASE,
        AffairAction.REFUSE,
        AffairAction.APPROVE,
        AffairAction.LET_OUT,
    ]


def test_a_release_keeps_its_decisions_consistent_with_their_checks() -> None:
    release = requested()
    check = check_release(release, arrears=Money.zero(), owners=["P1"], consent=CONSENT)
    decided = release.decide(check, by="S1", at=at(6, 30, 8))
    with pytest.raises(InvalidAffair):
        attrs.evolve(decided, checks=())
    other = attrs.evolve(requested(), release_id="FX-2")
    with pytest.raises(InvalidAffair):
        other.decide(check, by="S1", at=at(6, 30, 8))


@FEW
@given(release=strategies.goods_releases())
def test_a_release_is_the_fold_of_its_history(release: GoodsRelease) -> None:
    assert attrs.evolve(release) == release
    assert RELEASE_TRANSITIONS.state_of(release.history) is release.state
    if release.state is AffairState.RELEASED:
        assert release.checks[-1].allowed
