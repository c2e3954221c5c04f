"""Hypothesis strategies for public affairs and prospects (issue 17).

Each draws a workflow the way the desk drives it — through its own operations, so every value
passes its validators and its history is legal: move-ins part-way or completed, decorations
registered, approved with inspections and violations, finished and settled, goods releases
requested and decided, and leads moved along the funnel. Everything shrinks towards the
simplest: the first option of every choice, the earliest instant, the fewest steps.

>>> from hypothesis import given, settings
>>> @settings(max_examples=10, database=None)
... @given(decoration_affairs())
... def test_refund_never_exceeds_the_deposit(affair):
...     if affair.settlement is not None:
...         assert affair.settlement.refunded <= affair.deposit
>>> test_refund_never_exceeds_the_deposit()
"""

from __future__ import annotations

import pendulum
from hypothesis import strategies as st

from propcrm.affairs import (
    DecorationAffair,
    GoodsRelease,
    MoveIn,
    MoveInItem,
    MoveInPolicy,
    Mover,
    OwnerConsent,
    ViolationKind,
    Withholding,
    WithholdingReason,
    check_release,
)
from propcrm.money import Money
from propcrm.prospects import Interest, Lead, LeadSource, LeadStage
from propcrm.testing._personal_data_strategies import mobile_numbers

__all__ = [
    "decoration_affairs",
    "goods_releases",
    "leads",
    "move_in_policies",
    "move_ins",
    "owner_consents",
]

# A Monday: every decoration starts a week later, on working days of a confirmed year.
_START = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
_STAFF = ("S1", "S2", "S3")


@st.composite
def move_in_policies(draw: st.DrawFn) -> MoveInPolicy:
    """Policies with one or more required items, some optional ones, 1–60 callback days."""
    items = list(MoveInItem)
    required = draw(st.lists(st.sampled_from(items), min_size=1, unique=True))
    rest = [i for i in items if i not in required]
    optional = draw(st.lists(st.sampled_from(rest), unique=True)) if rest else []
    days = draw(st.integers(min_value=1, max_value=60))
    return MoveInPolicy(required=required, optional=optional, callback_days=days)


@st.composite
def move_ins(draw: st.DrawFn) -> MoveIn:
    """Move-ins with some items ticked, completed when every required one is."""
    policy = draw(st.one_of(st.just(MoveInPolicy()), move_in_policies()))
    at = _START.add(minutes=draw(st.integers(min_value=0, max_value=60 * 24 * 30)))
    move_in = MoveIn.open("MI-1", unit_id="1-2-0301", party_id="P1", by="S1", at=at, policy=policy)
    ticked = draw(st.lists(st.sampled_from(policy.items), unique=True))
    for n, item in enumerate(ticked, start=1):
        move_in = move_in.tick(item, by=draw(st.sampled_from(_STAFF)), at=at.add(minutes=n))
    if not move_in.missing and draw(st.booleans()):
        move_in = move_in.complete(by="S1", at=at.add(hours=2))
    return move_in


@st.composite
def decoration_affairs(draw: st.DrawFn) -> DecorationAffair:
    """Decorations at every stage: registered, rejected, approved, finished and settled.

    An approved one may have a hot-work permit (approved and used, or not), an inspection and a
    violation linked to a complaint.
    """
    days = draw(st.integers(min_value=1, max_value=90))
    deposit = Money(draw(st.integers(min_value=0, max_value=5000)))
    affair = DecorationAffair.register(
        "ZX-1",
        unit_id="1-2-0301",
        party_id="P1",
        plan="厨卫改造",
        contractor="安居装饰",
        start=pendulum.date(2026, 3, 9),
        until=pendulum.date(2026, 3, 9).add(days=days),
        deposit=deposit,
        by="S1",
        at=_START,
    )
    stage = draw(st.integers(min_value=0, max_value=3))
    if stage == 0:
        return affair
    if stage == 1 and draw(st.booleans()):
        return affair.reject(by="S2", at=_START.add(hours=1), reason="方案涉及承重墙")
    affair = affair.approve(permit_number="ZX-2026-001", by="S2", at=_START.add(days=1))
    works = pendulum.datetime(2026, 3, 9, 10, 0, tz="Asia/Shanghai")
    if draw(st.booleans()):
        affair = affair.request_hot_work(
            "DH-1",
            description="焊接阳台护栏",
            valid_from=works,
            valid_until=works.add(hours=6),
            by="S1",
            at=_START.add(days=2),
        )
        if draw(st.booleans()):
            affair = affair.approve_hot_work("DH-1", by="S3", at=_START.add(days=3))
            affair = affair.record_hot_work("DH-1", by="S1", at=works.add(hours=1))
    if draw(st.booleans()):
        affair = affair.inspect(
            "XJ-1", by="S2", at=works.add(hours=2), passed=draw(st.booleans()), findings=""
        )
    penalty = draw(st.sampled_from([None, Money("0.00"), Money("200.00")]))
    if draw(st.booleans()):
        affair = affair.record_violation(
            "WG-1",
            kind=draw(st.sampled_from([ViolationKind.NOISE, ViolationKind.WASTE])),
            description="午休时间电钻施工",
            by="S2",
            at=works.add(hours=3),
            request_id=draw(st.sampled_from([None, "C-1"])),
            penalty=penalty,
        )
    if stage < 3:
        return affair
    affair = affair.finish(by="S2", at=works.add(hours=4))
    withholdings = [w for w in affair.proposed_withholdings() if w.amount <= deposit]
    if deposit >= Money("100.00") and draw(st.booleans()):
        withholdings.append(
            Withholding(amount=Money("100.00"), reason=WithholdingReason.WASTE_REMOVAL)
        )
    total = sum((w.amount for w in withholdings), Money.zero())
    if total > deposit:
        withholdings = []
    return affair.settle_deposit(withholdings, by="S2", at=works.add(hours=5))


@st.composite
def owner_consents(draw: st.DrawFn) -> OwnerConsent:
    """Consents of owner P1 to moving goods out of unit 1-2-0301, given in June 2026."""
    day = pendulum.date(2026, 6, 1).add(days=draw(st.integers(min_value=0, max_value=29)))
    return OwnerConsent(owner_id="P1", unit_id="1-2-0301", given_on=day)


@st.composite
def goods_releases(draw: st.DrawFn) -> GoodsRelease:
    """Releases requested on 30 June 2026, decided on drawn arrears and consent, let out or not."""
    mover = draw(st.sampled_from(Mover))
    at = pendulum.datetime(2026, 6, 30, 9, 0, tz="Asia/Shanghai")
    release = GoodsRelease.request(
        "FX-1",
        unit_id="1-2-0301",
        party_id="P1" if mover is Mover.OWNER else "P9",
        mover=mover,
        on=at.date(),
        goods="家具、家电",
        by="S1",
        at=at,
    )
    if draw(st.booleans()):
        return release
    arrears = Money(draw(st.sampled_from([0, 0, 1260])))
    consent = draw(st.one_of(st.none(), owner_consents()))
    check = check_release(release, arrears=arrears, owners=["P1"], consent=consent)
    release = release.decide(check, by="S1", at=at.add(minutes=5))
    if check.allowed and draw(st.booleans()):
        release = release.let_out(by="S3", at=at.add(hours=2))
    return release


@st.composite
def leads(draw: st.DrawFn) -> Lead:
    """Leads from any source, moved forward a few stages, some lost."""
    at = _START.add(days=draw(st.integers(min_value=0, max_value=120)))
    known = draw(st.booleans())
    lead = Lead.new(
        "L-1",
        source=draw(st.sampled_from(LeadSource)),
        interest=draw(st.sampled_from(Interest)),
        party_id="P7" if known else None,
        mobile=None if known else draw(mobile_numbers()),
        unit_wanted=draw(st.sampled_from([None, "1-2-0302", "S-101"])),
        by="S1",
        at=at,
    )
    stages = (LeadStage.CONTACTED, LeadStage.VIEWING, LeadStage.NEGOTIATING)
    for n, stage in enumerate(stages[: draw(st.integers(min_value=0, max_value=3))], start=1):
        lead = lead.advance(stage, by="S1", at=at.add(days=n))
    if draw(st.booleans()):
        lead = lead.lose(by="S1", at=at.add(days=5), reason="选择了别的小区")
    return lead
