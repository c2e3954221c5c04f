"""Tests for receivables._dunning: who is due which step, and never a cut of a utility."""

from __future__ import annotations

import itertools
from enum import Enum

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.billing import opening_statement
from propcrm.errors import (
    AccountError,
    CommunityMismatch,
    CurrencyMismatch,
    DuplicateAccount,
    ForbiddenAction,
    InvalidPolicy,
    UnknownAccount,
    UnsupportedLocale,
)
from propcrm.money import Money
from propcrm.receivables import (
    DEFAULT_DUNNING_LEVELS,
    Account,
    Authorisation,
    DecisionKind,
    Deferral,
    DisputeRaised,
    DisputeResolved,
    DunningChannel,
    DunningLevel,
    DunningPlan,
    DunningRule,
    ForbiddenMeasure,
    Receipt,
    StepTaken,
    arrears_as_of,
    demand_dates,
    due_steps,
)
from propcrm.receivables._dunning import (
    DEFAULT_FORMAL_DEMAND,
    DEFAULT_LEGAL,
    DEFAULT_PERIOD_TO_PAY_DAYS,
    DEFAULT_REMINDER,
    DecisionReason,
    HoldKind,
)
from propcrm.time import BillingPeriod

COMMUNITY = "SUNRISE"
PLAN = DunningPlan(COMMUNITY)
OK = Authorisation("customer service manager Wang", "meter under test")
REMINDER, FORMAL, LEGAL = DunningLevel.REMINDER, DunningLevel.FORMAL_DEMAND, DunningLevel.LEGAL


def day(month: int, dd: int, year: int = 2026) -> pendulum.Date:
    return pendulum.date(year, month, dd)


def notice(unit: str, year: int, month: int, amount: str, community: str = COMMUNITY):
    period = BillingPeriod.month(year, month)
    return opening_statement(
        community=community,
        unit_id=unit,
        period=period,
        amount=Money(amount),
        due_on=period.end.add(days=10),
    )


def owing(amount: str = "1000.00", unit: str = "U", party: str | None = "P", *months) -> Account:
    """An account owing ``amount`` for each of ``months`` of 2026 (default: November)."""
    acc = Account(unit, billed_party=party)
    for month in months or (11,):
        acc = acc.post(notice(unit, 2026, month, amount))
    return acc


def step(level: DunningLevel, on: pendulum.Date, channel: str = "sms", unit: str = "U"):
    return StepTaken(unit, "P", level, on, channel)


def decide(acc: Account, as_of: pendulum.Date, history=(), plan: DunningPlan = PLAN):
    (decision,) = due_steps(plan, [acc], as_of, history).decisions
    return decision


# -- the defaults ----------------------------------------------------------------------------


def test_default_plan_escalates_reminder_formal_demand_legal() -> None:
    assert DEFAULT_PERIOD_TO_PAY_DAYS == 15
    assert PLAN.levels == DEFAULT_DUNNING_LEVELS
    assert [r.level for r in PLAN.levels] == [REMINDER, FORMAL, LEGAL]
    assert DEFAULT_FORMAL_DEMAND.period_to_pay_days == 15
    assert DEFAULT_REMINDER.channels == (DunningChannel.SMS, DunningChannel.WECHAT)
    assert DEFAULT_LEGAL.channels == (DunningChannel.LAWSUIT, DunningChannel.ARBITRATION)
    assert PLAN.hold_disputed
    assert PLAN.hold_deferred
    assert PLAN.rule(FORMAL) is DEFAULT_FORMAL_DEMAND


def test_level_order_and_labels() -> None:
    assert [lv.rank for lv in DunningLevel] == [0, 1, 2]
    assert FORMAL.label() == "书面催告"
    assert FORMAL.label("en_US") == "formal demand"
    assert ForbiddenMeasure.CUT_GAS.label() == "停气"
    assert ForbiddenMeasure.CUT_GAS.label("en_US") == "cutting the gas"


@pytest.mark.parametrize(
    "enum", [DunningLevel, DunningChannel, ForbiddenMeasure, HoldKind, DecisionKind, DecisionReason]
)
def test_every_label_is_translated_and_distinct(enum: type[Enum]) -> None:
    for locale in ("zh_CN", "en_US"):
        labels = [member.label(locale) for member in enum]  # type: ignore[attr-defined]
        assert all(labels)
        if enum is not DecisionReason:  # a dispute and a deferral are reasons and holds alike
            assert len(set(labels)) == len(labels)
    chinese = [member.label() for member in enum]  # type: ignore[attr-defined]
    assert all(any("\u4e00" <= c <= "\u9fff" for c in text) for text in chinese)
    for member in enum:
        with pytest.raises(UnsupportedLocale):
            member.label("fr_FR")  # type: ignore[attr-defined]


# -- one account, step by step ----------------------------------------------------------------


def test_first_overdue_account_gets_a_reminder_with_its_reasons() -> None:
    d = decide(owing(), day(12, 31))
    assert d.kind is DecisionKind.STEP_DUE
    assert d.reason is DecisionReason.FIRST_STEP
    assert d.level is REMINDER
    assert d.rule is DEFAULT_REMINDER
    assert d.channels == (DunningChannel.SMS, DunningChannel.WECHAT)
    assert d.step_number == 1
    assert d.pay_by == day(1, 7, 2027)
    assert d.overdue.days == 21
    assert d.overdue.amount == Money("1063.00")
    assert d.overdue.principal == Money("1000.00")
    assert d.overdue.late_fees == Money("63.00")
    assert d.overdue.oldest_due_on == day(12, 10)
    assert d.overdue.statements == ("SUNRISE/2026-11/U",)
    assert d.last_step is None
    assert d.describe("en_US") == (
        "U (P): reminder #1 due by SMS/WeChat — CN¥1,063.00 overdue, oldest 21 days, "
        "pay by Jan 7, 2027"
    )
    assert d.describe() == (
        "U（P）：应发第1次催缴提醒（短信/微信）——逾期¥1,063.00，最早一笔已逾期21天，"
        "限2027年1月7日前缴清"
    )


def test_nothing_overdue_means_nothing_due() -> None:
    not_yet = decide(owing(), day(12, 10))
    assert (not_yet.kind, not_yet.reason) == (
        DecisionKind.NOTHING_DUE,
        DecisionReason.NOTHING_OVERDUE,
    )
    paid = owing().post(Receipt("B-1", Money("1000.00"), day(12, 9)))
    assert decide(paid, day(12, 31)).reason is DecisionReason.NOTHING_OVERDUE
    assert decide(paid, day(12, 31)).describe("en_US") == "U (P): nothing due (nothing overdue)"
    assert decide(paid, day(12, 31)).describe() == "U（P）：无需催缴（无逾期欠费）"
    unbilled = decide(Account("U").post(notice("U", 2026, 11, "1000.00")), day(12, 31))
    assert unbilled.describe("en_US").startswith("U: reminder #1")  # no party, no "(None)"


def test_below_the_first_threshold_nothing_is_due() -> None:
    plan = DunningPlan(COMMUNITY, (attrs.evolve(DEFAULT_REMINDER, min_amount=Money("100.00")),))
    d = decide(owing("50.00"), day(12, 31), plan=plan)
    assert (d.kind, d.reason) == (DecisionKind.NOTHING_DUE, DecisionReason.BELOW_THRESHOLD)
    assert d.overdue.amount == Money("53.15")


def test_the_same_level_waits_for_its_cadence() -> None:
    history = [step(REMINDER, day(12, 20))]
    waiting = decide(owing(), day(12, 25), history)
    assert waiting.kind is DecisionKind.WAITING
    assert waiting.reason is DecisionReason.CADENCE
    assert waiting.level is REMINDER
    assert waiting.next_on == day(12, 30)
    assert waiting.escalation_on == day(12, 28)  # after the reminder's 7 days to pay
    assert waiting.last_at_level == history[0]
    assert "waiting (cadence) at reminder until Dec 30, 2026" in waiting.describe("en_US")
    assert "催缴提醒暂不催缴（距上次催缴未满间隔），2026年12月30日起可再催" in waiting.describe()
    again = decide(owing(), day(12, 30), history)  # 20 days overdue: no demand yet
    assert (again.kind, again.reason, again.step_number) == (
        DecisionKind.STEP_DUE,
        DecisionReason.REPEAT,
        2,
    )


def test_used_up_reminders_wait_for_the_formal_demands_threshold() -> None:
    history = [
        step(REMINDER, day(12, 11)),
        step(REMINDER, day(12, 21)),
        step(REMINDER, day(12, 31)),
    ]
    acc = owing("1000.00", "U", "P", 11)
    d = decide(acc, day(1, 8, 2027), history)  # 29 days overdue: below the demand's 30
    assert (d.kind, d.reason, d.next_on) == (
        DecisionKind.WAITING,
        DecisionReason.STEPS_USED,
        None,
    )
    demand = decide(acc, day(1, 9, 2027), history)  # 30 days
    assert (demand.kind, demand.level, demand.reason) == (
        DecisionKind.STEP_DUE,
        FORMAL,
        DecisionReason.ESCALATION,
    )
    assert demand.escalated_after == history[-1]
    assert demand.pay_by == day(1, 24, 2027)
    assert demand.channels == (DunningChannel.LETTER, DunningChannel.REGISTERED_MAIL)


def test_no_formal_demand_while_the_reminders_period_runs() -> None:
    acc = owing("1000.00", "U", "P", 10)  # due 10 Nov: 50 days overdue on 30 Dec
    history = [step(REMINDER, day(12, 23))]
    assert decide(acc, day(12, 30), history).kind is DecisionKind.WAITING  # 7 days to pay
    assert decide(acc, day(12, 31), history).level is FORMAL


def test_no_legal_step_before_the_formal_demands_period_has_run_out() -> None:
    acc = owing("1000.00", "U", "P", 3, 4, 5)  # oldest due 10 April
    history = [step(REMINDER, day(8, 1)), step(FORMAL, day(9, 1), "letter")]
    last_day_to_pay = day(9, 16)
    waiting = decide(acc, last_day_to_pay, history)
    assert waiting.kind is DecisionKind.WAITING
    assert waiting.level is FORMAL
    assert waiting.escalation_on == day(9, 17)
    legal = decide(acc, day(9, 17), history)
    assert (legal.kind, legal.level, legal.reason) == (
        DecisionKind.STEP_DUE,
        LEGAL,
        DecisionReason.ESCALATION,
    )
    assert legal.escalated_after == history[1]
    assert legal.pay_by is None
    assert legal.channels == (DunningChannel.LAWSUIT, DunningChannel.ARBITRATION)


def test_the_latest_formal_demand_sets_the_period() -> None:
    acc = owing("1000.00", "U", "P", 3, 4, 5)
    history = [
        step(REMINDER, day(8, 1)),
        step(FORMAL, day(9, 1), "letter"),
        step(FORMAL, day(10, 1), "letter"),  # a second demand gives 15 more days
    ]
    assert decide(acc, day(10, 16), history).kind is DecisionKind.WAITING
    assert decide(acc, day(10, 17), history).level is LEGAL


def test_legal_needs_its_amount_threshold() -> None:
    acc = owing("300.00", "U", "P", 6)  # due 10 July
    history = [
        step(REMINDER, day(7, 20)),
        step(FORMAL, day(8, 20), "letter"),
        step(FORMAL, day(9, 20), "letter"),
    ]
    d = decide(acc, day(10, 20), history)
    assert d.overdue.days == 102
    assert d.overdue.amount == Money("391.80")  # legal wants 1,000.00
    assert (d.kind, d.reason, d.level) == (
        DecisionKind.WAITING,
        DecisionReason.STEPS_USED,
        FORMAL,
    )
    assert d.escalation_on == day(10, 6)


def test_a_first_step_is_always_the_lowest_level_whatever_the_arrears() -> None:
    acc = owing("5000.00", "U", "P", 1, 2, 3)  # 300+ days overdue and large
    d = decide(acc, day(12, 31))
    assert (d.level, d.reason) == (REMINDER, DecisionReason.FIRST_STEP)


def test_legal_steps_used_up_wait_for_good() -> None:
    acc = owing("1000.00", "U", "P", 6, 7, 8)
    history = [
        step(REMINDER, day(8, 1)),
        step(FORMAL, day(9, 1), "letter"),
        step(LEGAL, day(9, 20), "lawsuit"),
    ]
    d = decide(acc, day(12, 31), history)
    assert (d.kind, d.reason, d.level) == (
        DecisionKind.WAITING,
        DecisionReason.STEPS_USED,
        LEGAL,
    )
    assert d.next_on is None
    assert d.escalation_on is None


def test_steps_about_arrears_since_settled_are_not_counted() -> None:
    # Owed for May, paid in June after a reminder and a demand; owes again for November.
    acc = owing("1000.00", "U", "P", 5).post(Receipt("B-1", Money("1200.00"), day(8, 1)))
    acc = acc.post(notice("U", 2026, 11, "1000.00"))
    old = [step(REMINDER, day(6, 20)), step(FORMAL, day(7, 20), "letter")]
    d = decide(acc, day(12, 31), old)
    assert (d.level, d.reason, d.last_step) == (REMINDER, DecisionReason.FIRST_STEP, None)


def test_history_after_the_date_and_of_other_accounts_is_not_read() -> None:
    history = [step(REMINDER, day(1, 5, 2027)), step(REMINDER, day(12, 31), unit="OTHER")]
    d = decide(owing(), day(12, 31), history)
    assert d.reason is DecisionReason.FIRST_STEP


# -- holds -------------------------------------------------------------------------------------


def disputed() -> Account:
    acc = owing("1000.00", "U", "P", 10, 11)
    return acc.post(DisputeRaised("DS-1", "SUNRISE/2026-11/U", day(12, 1), "meter misread"))


def test_an_open_dispute_puts_the_account_on_hold() -> None:
    d = decide(disputed(), day(12, 31))
    assert (d.kind, d.reason) == (DecisionKind.ON_HOLD, DecisionReason.DISPUTE)
    (hold,) = d.holds
    assert (hold.kind, hold.statement, hold.references) == (
        HoldKind.DISPUTE,
        "SUNRISE/2026-11/U",
        ("DS-1",),
    )
    assert d.overdue.days == 51  # still said, as data
    assert d.describe("en_US").startswith("U (P): on hold (dispute DS-1)")
    assert d.describe().startswith("U（P）：暂缓催缴（异议 DS-1）")


def test_a_rejected_dispute_lifts_the_hold() -> None:
    acc = disputed().post(DisputeResolved("DS-1", False, day(12, 15), "reading confirmed"))
    assert decide(acc, day(12, 31)).kind is DecisionKind.STEP_DUE


def test_holds_are_a_policy_flag() -> None:
    plan = DunningPlan(COMMUNITY, hold_disputed=False)
    assert decide(disputed(), day(12, 31), plan=plan).kind is DecisionKind.STEP_DUE


def test_a_deferral_in_force_puts_the_account_on_hold_until_its_date() -> None:
    acc = owing("1000.00", "U", "P", 10, 11)
    acc = acc.post(Deferral("D-1", "SUNRISE/2026-11/U", day(1, 31, 2027), OK, day(12, 5)))
    d = decide(acc, day(12, 31))
    assert (d.kind, d.reason) == (DecisionKind.ON_HOLD, DecisionReason.DEFERRAL)
    assert d.holds[0].until == day(1, 31, 2027)
    assert d.overdue.statements == ("SUNRISE/2026-10/U",)
    assert decide(acc, day(2, 1, 2027)).kind is DecisionKind.STEP_DUE
    plan = DunningPlan(COMMUNITY, hold_deferred=False)
    assert decide(acc, day(12, 31), plan=plan).kind is DecisionKind.STEP_DUE


# -- a community -----------------------------------------------------------------------------


def test_one_decision_per_account_sorted_and_grouped() -> None:
    accounts = [
        owing(unit="B"),
        owing(unit="A"),
        owing(unit="C").post(Receipt("B-1", Money("1000.00"), day(12, 1))),
    ]
    result = due_steps(PLAN, accounts, day(12, 31))
    assert [d.unit_id for d in result.decisions] == ["A", "B", "C"]
    assert [d.unit_id for d in result.due] == ["A", "B"]
    assert result.waiting == result.on_hold == ()
    assert result.decision("C", "P").kind is DecisionKind.NOTHING_DUE
    with pytest.raises(UnknownAccount, match="unit Z billed to P"):
        result.decision("Z", "P")


def test_an_account_of_another_community_is_refused() -> None:
    other = Account("U", billed_party="P").post(notice("U", 2026, 11, "10.00", "MOONLIGHT"))
    with pytest.raises(CommunityMismatch, match="MOONLIGHT, not SUNRISE"):
        due_steps(PLAN, [other], day(12, 31))


def test_an_account_in_another_currency_is_refused() -> None:
    with pytest.raises(CurrencyMismatch, match="HKD"):
        due_steps(PLAN, [Account("U", billed_party="P", currency="HKD")], day(12, 31))


def test_an_account_given_twice_is_refused() -> None:
    with pytest.raises(DuplicateAccount):
        due_steps(PLAN, [owing(), owing()], day(12, 31))


def test_history_must_hold_steps() -> None:
    with pytest.raises(TypeError, match="StepTaken"):
        due_steps(PLAN, [owing()], day(12, 31), ["sms on 1 Dec"])  # type: ignore[list-item]


# -- recording a step --------------------------------------------------------------------------


def test_recording_a_due_step() -> None:
    d = decide(owing(), day(12, 31))
    assert d.record() == StepTaken("U", "P", REMINDER, day(12, 31), DunningChannel.SMS)
    taken = d.record("微信", on=day(1, 2, 2027), reference="WX-1")
    assert (taken.channel, taken.taken_on, taken.reference) == (
        DunningChannel.WECHAT,
        day(1, 2, 2027),
        "WX-1",
    )
    with pytest.raises(InvalidPolicy, match="not one of this reminder step's channels"):
        d.record(DunningChannel.LETTER)
    with pytest.raises(ForbiddenAction, match=r"art\. 944"):
        d.record("停水")


def test_only_a_due_step_can_be_recorded() -> None:
    with pytest.raises(InvalidPolicy, match="no step is due"):
        decide(owing(), day(12, 1)).record()


def test_demand_dates_feed_the_limitation_period() -> None:
    acc = owing("100.00", "U", "P", 1).post()
    history = [step(REMINDER, day(6, 1)), step(FORMAL, day(9, 1), "letter")]
    dates = demand_dates(history)
    assert dates == {("U", "P"): (day(6, 1), day(9, 1))}
    late = pendulum.date(2029, 3, 1)
    plain = arrears_as_of([acc], late).lines[0]
    kept = arrears_as_of([acc], late, interruptions=dates).lines[0]
    assert plain.past_limitation
    assert not kept.past_limitation
    assert kept.limitation_ends_on == pendulum.date(2029, 9, 1)


# -- the limitation period at the legal level ------------------------------------------------


def old_and_new() -> Account:
    """1,200.00 for May 2023 (due 10 June 2023) and 600.00 each for June and July 2026."""
    acc = Account("U", billed_party="P")
    return acc.post(
        notice("U", 2023, 5, "1200.00"),
        notice("U", 2026, 6, "600.00"),
        notice("U", 2026, 7, "600.00"),
    )


LADDER = [step(REMINDER, day(7, 20)), step(FORMAL, day(11, 20), "registered_mail")]
"""A reminder and a formal demand, both after the 2023 debt's period ended on 11 June 2026."""


def test_the_legal_step_leaves_time_barred_debt_out_of_its_claim() -> None:
    """The lawsuit claims the 2026 debts only; the 2023 one is shown apart, with its statement."""
    decision = decide(old_and_new(), day(12, 31), LADDER)
    assert (decision.kind, decision.level) == (DecisionKind.STEP_DUE, LEGAL)
    assert decision.overdue.amount == Money("7650.60")
    assert decision.time_barred is not None
    assert decision.time_barred.amount == Money("5880.00")
    assert (decision.time_barred.principal, decision.time_barred.late_fees) == (
        Money("1200.00"),
        Money("4680.00"),
    )
    assert decision.time_barred.statements == ("SUNRISE/2023-05/U",)
    assert decision.claim is not None
    assert decision.claim.amount == Money("1770.60")
    assert decision.claim.statements == ("SUNRISE/2026-06/U", "SUNRISE/2026-07/U")
    assert decision.describe("en_US") == (
        "U (P): legal action #1 due by lawsuit/arbitration — claims CN¥1,770.60 of "
        "CN¥7,650.60 overdue, oldest 1,300 days; CN¥5,880.00 time-barred, left out "
        "(SUNRISE/2023-05/U)"
    )
    assert decision.describe() == (
        "U（P）：应发第1次诉讼或仲裁（起诉/仲裁）——逾期¥7,650.60，主张其中¥1,770.60，"
        "最早一笔已逾期1,300天；¥5,880.00已过诉讼时效，未予主张（SUNRISE/2023-05/U）"
    )


def test_a_plan_may_claim_time_barred_debt() -> None:
    """With claim_time_barred the claim is everything overdue, and says the barred part is in."""
    plan = DunningPlan(COMMUNITY, claim_time_barred=True)
    decision = decide(old_and_new(), day(12, 31), LADDER, plan)
    assert decision.claim is not None
    assert decision.claim.amount == Money("7650.60")
    assert decision.time_barred is not None
    assert decision.time_barred.amount == Money("5880.00")
    assert decision.describe("en_US").endswith(
        "claims CN¥7,650.60 of CN¥7,650.60 overdue, oldest 1,300 days; CN¥5,880.00 "
        "time-barred, claimed (SUNRISE/2023-05/U)"
    )
    assert decision.describe().endswith("¥5,880.00已过诉讼时效，仍一并主张（SUNRISE/2023-05/U）")


def test_the_legal_thresholds_read_only_the_debt_it_can_claim() -> None:
    """Only 913.20 is claimable, below the legal 1,000.00: a second formal demand instead."""
    acc = Account("U", billed_party="P").post(
        notice("U", 2023, 5, "1200.00"), notice("U", 2026, 6, "600.00")
    )
    decision = decide(acc, day(12, 31), LADDER)
    assert (decision.kind, decision.level, decision.step_number) == (
        DecisionKind.STEP_DUE,
        FORMAL,
        2,
    )
    assert decision.claim is None
    assert decision.time_barred is not None
    assert decision.time_barred.amount == Money("5880.00")
    assert decision.describe("en_US").endswith("; CN¥5,880.00 time-barred (SUNRISE/2023-05/U)")
    assert decision.describe().endswith("；¥5,880.00已过诉讼时效（SUNRISE/2023-05/U）")
    claiming = decide(acc, day(12, 31), LADDER, DunningPlan(COMMUNITY, claim_time_barred=True))
    assert claiming.level is LEGAL


def test_a_demand_within_the_period_restarts_it() -> None:
    """A reminder on 1 June 2026 reached 赵 before 11 June: the 2023 debt is claimable again."""
    history = [step(REMINDER, day(6, 1)), *LADDER[1:]]
    decision = decide(old_and_new(), day(12, 31), history)
    assert decision.time_barred is None
    assert decision.claim is not None
    assert decision.claim.amount == Money("7650.60")
    assert "time-barred" not in decision.describe("en_US")
    assert "诉讼时效" not in decision.describe()


def test_interruptions_given_replace_the_history_dates() -> None:
    """A caller who knows the June reminder never reached the debtor passes the real dates."""
    history = [step(REMINDER, day(6, 1)), *LADDER[1:]]
    (decision,) = due_steps(
        PLAN, [old_and_new()], day(12, 31), history, interruptions={("U", "P"): [day(11, 20)]}
    ).decisions
    assert decision.time_barred is not None
    assert decision.time_barred.statements == ("SUNRISE/2023-05/U",)


def test_nothing_time_barred_means_no_time_barred_part() -> None:
    decision = decide(owing(), day(12, 31))
    assert (decision.time_barred, decision.claim) == (None, None)


def test_the_plan_checks_its_limitation_settings() -> None:
    with pytest.raises(InvalidPolicy):
        DunningPlan(COMMUNITY, aging=3)  # type: ignore[arg-type]
    with pytest.raises(InvalidPolicy):
        DunningPlan(COMMUNITY, claim_time_barred="no")  # type: ignore[arg-type]


# -- plans that are refused ------------------------------------------------------------------


def rule(level: DunningLevel = REMINDER, **changes) -> DunningRule:
    base = {REMINDER: DEFAULT_REMINDER, FORMAL: DEFAULT_FORMAL_DEMAND, LEGAL: DEFAULT_LEGAL}
    return attrs.evolve(base[level], **changes)


@pytest.mark.parametrize(
    ("levels", "match"),
    [
        ((), "one or more"),
        ((DEFAULT_FORMAL_DEMAND, DEFAULT_REMINDER), "in the order"),
        ((DEFAULT_REMINDER, DEFAULT_REMINDER), "distinct"),
        ((DEFAULT_REMINDER, DEFAULT_LEGAL), "needs a formal demand"),
        ((DEFAULT_REMINDER, rule(FORMAL, min_days_overdue=0 + 1)), None),
        ((rule(min_days_overdue=40), DEFAULT_FORMAL_DEMAND), "may not fall"),
        ((DEFAULT_FORMAL_DEMAND, rule(LEGAL, min_amount=Money("0.00"))), "may not fall"),
        (("reminder",), "DunningRule"),
    ],
)
def test_plans_that_break_the_ladder_are_refused(levels: tuple, match: str | None) -> None:
    if match is None:
        assert DunningPlan(COMMUNITY, levels).levels == levels
        return
    with pytest.raises(InvalidPolicy, match=match):
        DunningPlan(COMMUNITY, levels)


def test_a_plan_may_start_at_the_formal_demand() -> None:
    plan = DunningPlan(COMMUNITY, (DEFAULT_FORMAL_DEMAND, DEFAULT_LEGAL))
    d = decide(owing("1000.00", "U", "P", 6), day(12, 31), plan=plan)
    assert (d.level, d.reason) == (FORMAL, DecisionReason.FIRST_STEP)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"period_to_pay_days": 0, "level": FORMAL}, "reasonable period"),
        ({"channels": ("sms", "lawsuit")}, "legal level"),
        ({"channels": ()}, "one or more"),
        ({"channels": ("sms", "SMS")}, "distinct"),
        ({"channels": ("fax",)}, "not a dunning channel"),
        ({"channels": (42,)}, "must be a DunningChannel"),
        ({"min_days_overdue": 0}, "min_days_overdue"),
        ({"repeat_after_days": 7, "period_to_pay_days": 7}, "repeat after more days"),
        ({"max_steps": 0}, "max_steps"),
        ({"min_amount": Money("-1.00")}, "amount threshold"),
        ({"min_amount": Money("0.001")}, "amount threshold"),
    ],
)
def test_rules_that_make_no_sense_are_refused(changes: dict, match: str) -> None:
    with pytest.raises(InvalidPolicy, match=match):
        rule(**changes)


def test_thresholds_in_another_currency_are_refused() -> None:
    with pytest.raises(CurrencyMismatch, match="HKD"):
        DunningPlan(COMMUNITY, (rule(min_amount=Money("1.00", "HKD")),))


# -- art. 944: never a cut of a utility ------------------------------------------------------

FORBIDDEN_NAMES = [
    "cut_water",
    "CUT_POWER",
    "cut-heat",
    "cut gas",
    "Water-Cut",
    "power off",
    "shutOffGas",
    "disconnect electricity",
    "stop heating",
    "suspend the water supply",
    "cut utilities",
    "停水",
    "停电",
    "断水",
    "断电",
    "停暖",
    "停止供暖",
    "停气",
    "停止供应燃气",
    "关闭燃气",
    "限电",
    "拉闸",
    "ＣＵＴ＿ＷＡＴＥＲ",  # full-width, as an input method may type it
]


@pytest.mark.parametrize("name", FORBIDDEN_NAMES)
def test_a_cut_of_a_utility_is_refused_citing_art_944(name: str) -> None:
    with pytest.raises(ForbiddenAction, match=r"Civil Code art\. 944") as refused:
        DunningChannel.parse(name)
    assert "供电、供水、供热、供燃气" in str(refused.value)


@pytest.mark.parametrize("measure", list(ForbiddenMeasure))
def test_forbidden_measures_are_never_channels(measure: ForbiddenMeasure) -> None:
    with pytest.raises(ForbiddenAction, match=measure.what):
        DunningChannel.parse(measure)
    with pytest.raises(ForbiddenAction):
        rule(channels=("sms", measure))
    with pytest.raises(ForbiddenAction):
        StepTaken("U", "P", REMINDER, day(12, 31), measure)  # type: ignore[arg-type]


def test_forbidden_action_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="944"):
        DunningChannel.parse("cut_water")


@pytest.mark.parametrize("channel", list(DunningChannel))
def test_every_channel_parses_from_its_value_and_label(channel: DunningChannel) -> None:
    assert DunningChannel.parse(channel.value) is channel
    assert DunningChannel.parse(channel.label()) is channel
    assert DunningChannel.parse(channel.value.upper().replace("_", " ")) is channel
    assert channel.is_proceeding == (
        channel in {DunningChannel.LAWSUIT, DunningChannel.ARBITRATION}
    )


_VERBS = ["cut", "stop", "disconnect", "shut off", "suspend", "turn off", "cutoff"]
_UTILITIES = ["water", "power", "electricity", "heat", "heating", "gas"]
_ZH_VERBS = ["停", "断", "停止", "中断", "暂停", "停止供", "切断"]
_ZH_UTILITIES = ["水", "电", "暖", "气", "燃气", "暖气"]


@st.composite
def forbidden_names(draw: st.DrawFn) -> object:
    kind = draw(st.sampled_from(["member", "english", "chinese"]))
    if kind == "member":
        return draw(st.sampled_from(list(ForbiddenMeasure)))
    if kind == "chinese":
        return draw(st.sampled_from(_ZH_VERBS)) + draw(st.sampled_from(_ZH_UTILITIES))
    words = [draw(st.sampled_from(_VERBS)), draw(st.sampled_from(_UTILITIES))]
    if draw(st.booleans()):
        words.reverse()
    sep = draw(st.sampled_from([" ", "_", "-", ""]))
    text = sep.join(words)
    case = draw(st.sampled_from([str.lower, str.upper, str.title]))
    return case(text)


@settings(max_examples=60)
@given(name=forbidden_names(), others=st.lists(st.sampled_from(list(DunningChannel)), max_size=3))
def test_a_forbidden_measure_is_always_refused_wherever_it_is_named(
    name: object, others: list[DunningChannel]
) -> None:
    with pytest.raises(ForbiddenAction, match="944"):
        DunningChannel.parse(name)
    with pytest.raises(ForbiddenAction, match="944"):
        DunningRule(REMINDER, 1, Money("0.01"), (*dict.fromkeys(others), name))
    with pytest.raises(ForbiddenAction, match="944"):
        StepTaken("U", "P", FORMAL, day(12, 31), name)  # type: ignore[arg-type]


# -- properties over portfolios and time -----------------------------------------------------


@st.composite
def dunned_accounts(draw: st.DrawFn, unit: str) -> Account:
    """An account with notices of 2026, some paid, maybe a dispute or a deferral."""
    acc = Account(unit, billed_party="P")
    months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=6, unique=True))
    notices = [notice(unit, 2026, m, str(draw(st.integers(1, 3000)))) for m in sorted(months)]
    acc = acc.post(*notices)
    for i in range(draw(st.integers(0, 3))):
        target = draw(st.sampled_from(notices))
        kind = draw(st.sampled_from(["receipt", "dispute", "deferral"]))
        event: object
        if kind == "receipt":
            on = target.due_on.add(days=draw(st.integers(-40, 60)))
            event = Receipt(f"B-{i}", Money.from_minor_units(draw(st.integers(1, 400_000))), on)
        elif kind == "dispute":
            on = target.due_on.subtract(days=draw(st.integers(5, 30)))
            event = DisputeRaised(f"DS-{i}", target.number, on, "amount wrong")
        else:
            on = target.due_on.add(days=draw(st.integers(-10, 10)))
            new_due = target.due_on.add(days=draw(st.integers(1, 60)))
            event = Deferral(f"D-{i}", target.number, new_due, OK, on)
        try:
            acc = acc.post(event)  # type: ignore[arg-type]
        except AccountError:
            continue
    return acc


@st.composite
def histories(draw: st.DrawFn, units: list[str]) -> list[StepTaken]:
    steps = []
    for _ in range(draw(st.integers(0, 6))):
        level = draw(st.sampled_from(list(DunningLevel)))
        channel = draw(st.sampled_from(PLAN.rule(level).channels))
        when = day(1, 1).add(days=draw(st.integers(0, 500)))
        steps.append(StepTaken(draw(st.sampled_from(units)), "P", level, when, channel))
    return steps


@settings(max_examples=40)
@given(data=st.data())
def test_every_account_lands_in_exactly_one_decision(data: st.DataObject) -> None:
    units = data.draw(st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=4, unique=True))
    accounts = [data.draw(dunned_accounts(u)) for u in units]
    history = data.draw(histories(units))
    as_of = day(1, 1).add(days=data.draw(st.integers(0, 500)))
    result = due_steps(PLAN, accounts, as_of, history)
    assert sorted(d.unit_id for d in result.decisions) == sorted(units)
    kinds = (result.due, result.waiting, result.on_hold)
    nothing = [d for d in result.decisions if d.kind is DecisionKind.NOTHING_DUE]
    assert sum(map(len, kinds)) + len(nothing) == len(accounts)
    for d in result.decisions:
        assert (d.kind is DecisionKind.STEP_DUE) == bool(d.channels)
        assert (d.kind is DecisionKind.ON_HOLD) == bool(d.holds)
        if d.kind in {DecisionKind.STEP_DUE, DecisionKind.WAITING}:
            assert d.rule is not None
            assert d.rule.level is d.level
            assert d.rule.met_by(d.overdue)
        if d.kind is DecisionKind.STEP_DUE:
            assert set(d.channels) <= set(d.rule.channels)  # type: ignore[union-attr]
            assert not any(c.is_proceeding for c in d.channels) or d.level is LEGAL
        if d.overdue.days == 0:
            assert d.kind is DecisionKind.NOTHING_DUE


@st.composite
def plans(draw: st.DrawFn) -> DunningPlan:
    days = sorted(draw(st.lists(st.integers(1, 120), min_size=3, max_size=3)))
    amounts = sorted(draw(st.lists(st.integers(1, 300_000), min_size=3, max_size=3)))
    rules = []
    for level, channel, d, a in zip(
        DunningLevel, ("sms", "letter", "lawsuit"), days, amounts, strict=True
    ):
        period = draw(st.integers(1 if level is FORMAL else 0, 20))
        rules.append(
            DunningRule(
                level,
                min_days_overdue=d,
                min_amount=Money.from_minor_units(a),
                channels=(channel,),
                period_to_pay_days=period,
                repeat_after_days=period + draw(st.integers(1, 20)),
                max_steps=draw(st.integers(1, 3)),
            )
        )
    if draw(st.booleans()):
        rules = rules[1:]  # no reminder level
    return DunningPlan(COMMUNITY, tuple(rules))


@settings(max_examples=25)
@given(
    plan=plans(),
    months=st.lists(st.integers(1, 9), min_size=1, max_size=4, unique=True),
    amount=st.integers(10_000, 400_000),
    strides=st.lists(st.integers(1, 6), min_size=40, max_size=80),
)
def test_steps_taken_as_offered_respect_cadence_and_escalation(
    plan: DunningPlan, months: list[int], amount: int, strides: list[int]
) -> None:
    acc = Account("U", billed_party="P")
    for m in months:
        acc = acc.post(notice("U", 2026, m, str(Money.from_minor_units(amount).amount)))
    history: list[StepTaken] = []
    today = day(2, 1)
    for stride in strides:
        today = today.add(days=stride)
        (d,) = due_steps(plan, [acc], today, history).decisions
        if d.kind is DecisionKind.STEP_DUE:
            assert d.rule is not None
            assert d.rule.met_by(d.overdue)
            history.append(d.record())
    rules = {r.level: r for r in plan.levels}
    order = [r.level for r in plan.levels]
    for level, rule_ in rules.items():
        mine = [s for s in history if s.level is level]
        assert len(mine) <= rule_.max_steps
        for a, b in itertools.pairwise(mine):
            assert (b.taken_on - a.taken_on).days >= rule_.repeat_after_days
    for s in history:
        index = order.index(s.level)
        if index == 0:
            continue
        lower = rules[order[index - 1]]
        before = [p for p in history if p.level is lower.level and p.taken_on < s.taken_on]
        assert before, f"{s.level.value} on {s.taken_on} without a {lower.level.value} before"
        assert s.taken_on > before[-1].taken_on.add(days=lower.period_to_pay_days)


def test_the_demo_shows_the_claim_and_the_time_barred_part_apart() -> None:
    """The demo's lawsuit claims 1,770.60, not the 7,650.60 that holds 5,880.00 time-barred."""
    from propcrm.demo._accounts import run_accounts

    text = run_accounts("en_US")
    assert (
        "2-1-0101 (owner-21): legal action #1 due by lawsuit/arbitration — claims CN¥1,770.60 "
        "of CN¥7,650.60 overdue, oldest 1,300 days; CN¥5,880.00 time-barred, left out "
        "(SUNRISE/2023-05/2-1-0101)"
    ) in text
