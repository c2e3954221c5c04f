"""Tests for analytics._behaviour: punctuality, spend, complaints and RFM as of a date."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._epoch import NO_EVENT_KEY, epoch_days
from propcrm.analytics import (
    DEFAULT_BEHAVIOUR_POLICY,
    BehaviourPolicy,
    ComplaintHistory,
    ComplaintRecord,
    FixedThresholds,
    PaymentFact,
    Quantiles,
    RfmComponent,
    RfmInput,
    RfmPolicy,
    RfmSource,
    SatisfactionScore,
    ServicePurchase,
    TieMethod,
    complaint_behaviour,
    is_existing_customer,
    payment_behaviour,
    rfm_input,
    rfm_scores,
    spend_behaviour,
)
from propcrm.analytics._behaviour import (
    DEFAULT_COMPLAINT_WINDOW_MONTHS,
    DEFAULT_MIN_STATEMENTS,
    DEFAULT_QUANTILES,
    DEFAULT_WINDOW_MONTHS,
)
from propcrm.errors import (
    CurrencyMismatch,
    InvalidAmount,
    InvalidBehaviourFact,
    InvalidPolicy,
    InvalidType,
    UnsupportedLocale,
)
from propcrm.money import Money
from propcrm.testing._segmentation_strategies import (
    as_of_dates,
    payment_fact_histories,
    service_purchases,
)

DAY = pendulum.date(2026, 12, 1)
FEE = Money("250.24")


def notice(
    month: int,
    paid: tuple[int, int] | None = None,
    *,
    year: int = 2026,
    amount: Money = FEE,
    paid_amount: Money | None = None,
) -> PaymentFact:
    """The fee notice for a month, due the 10th of the next (§2), paid on (month, day)."""
    due = pendulum.date(year, month, 10).add(months=1)
    if paid is None:
        return PaymentFact(f"N-{year}-{month:02d}", due, amount)
    paid_on = pendulum.date(due.year, *paid)
    kwargs = {} if paid_amount is None else {"amount_paid": paid_amount}
    return PaymentFact(f"N-{year}-{month:02d}", due, amount, paid_on=paid_on, **kwargs)


# -- facts ------------------------------------------------------------------------------------


def test_payment_fact_defaults_to_a_full_payment_when_dated() -> None:
    paid = notice(10, (11, 8))
    assert paid.amount_paid == FEE
    assert notice(10).amount_paid == Money.zero()


def test_payment_fact_refuses_what_makes_no_sense() -> None:
    due = pendulum.date(2026, 12, 10)
    with pytest.raises(InvalidBehaviourFact, match="above zero"):
        PaymentFact("N-1", due, Money("0.00"))
    with pytest.raises(InvalidBehaviourFact, match="rounded to the fen"):
        PaymentFact("N-1", due, Money("1.005"))
    with pytest.raises(InvalidBehaviourFact, match="exceeds the amount"):
        PaymentFact("N-1", due, Money("1.00"), paid_on=due, amount_paid=Money("1.01"))
    with pytest.raises(InvalidBehaviourFact, match="is negative"):
        PaymentFact("N-1", due, Money("1.00"), paid_on=due, amount_paid=Money("-1.00"))
    with pytest.raises(InvalidBehaviourFact, match="both a date and an amount"):
        PaymentFact("N-1", due, Money("1.00"), amount_paid=Money("1.00"))
    with pytest.raises(InvalidBehaviourFact, match="both a date and an amount"):
        PaymentFact("N-1", due, Money("1.00"), paid_on=due, amount_paid=Money("0.00"))
    with pytest.raises(CurrencyMismatch):
        PaymentFact("N-1", due, Money("1.00"), paid_on=due, amount_paid=Money("1.00", "USD"))
    with pytest.raises(InvalidBehaviourFact, match="non-empty text") as refused:
        PaymentFact(" ", due, Money("1.00"))
    assert (refused.value.field, refused.value.value) == ("statement_id", " ")
    with pytest.raises(TypeError, match="datetime"):
        PaymentFact("N-1", pendulum.datetime(2026, 12, 10), Money("1.00"))  # type: ignore[arg-type]


def test_service_purchase_refuses_zero_and_unrounded_amounts() -> None:
    with pytest.raises(InvalidBehaviourFact, match="above zero"):
        ServicePurchase(DAY, Money("0.00"))
    with pytest.raises(InvalidBehaviourFact, match="fen"):
        ServicePurchase(DAY, Money("0.001"))
    assert ServicePurchase(DAY, Decimal("1.00")).amount == Money("1.00")
    with pytest.raises(InvalidAmount, match="float"):
        ServicePurchase(DAY, 1.0)


# -- punctuality ------------------------------------------------------------------------------


def test_paid_on_the_due_date_is_on_time_a_day_later_is_late() -> None:
    history = [notice(8, (9, 10)), notice(9, (10, 11)), notice(10, (11, 1))]
    result = payment_behaviour(history, DAY)
    assert (result.assessed, result.on_time, result.late) == (3, 2, 1)
    assert result.on_time_ratio == Fraction(2, 3)
    assert (result.total_days_late, result.max_days_late) == (1, 1)
    assert result.average_days_late == Fraction(1, 3)
    assert result.arrears == Money("0.00")
    assert result.sufficient


def test_unpaid_notices_count_late_up_to_the_date_and_are_arrears() -> None:
    result = payment_behaviour([notice(9), notice(10)], DAY)
    # due 10 Oct and 10 Nov: 52 and 21 days late on 1 December
    assert (result.assessed, result.on_time, result.max_days_late) == (2, 0, 52)
    assert result.total_days_late == 52 + 21
    assert result.arrears == FEE * 2
    assert result.overdue == 2


def test_a_notice_due_on_or_after_the_date_is_not_assessed_yet() -> None:
    due_today = PaymentFact("N-1", DAY, FEE)
    result = payment_behaviour([due_today, notice(11)], DAY)
    assert (result.assessed, result.overdue) == (0, 0)
    assert result.on_time_ratio is None
    assert result.average_days_late is None
    assert result.max_days_late is None
    assert result.arrears == Money.zero()
    assert not result.sufficient


def test_a_partial_payment_is_late_and_leaves_arrears() -> None:
    part = notice(10, (11, 5), paid_amount=Money("100.00"))
    result = payment_behaviour([part], DAY)
    assert (result.on_time, result.late, result.max_days_late) == (0, 1, 21)
    assert result.arrears == FEE - Money("100.00")


def test_payments_after_the_date_do_not_exist_yet() -> None:
    paid_later = notice(10, (12, 5))
    result = payment_behaviour([paid_later], DAY)
    assert result.arrears == FEE
    assert result.max_days_late == 21
    assert payment_behaviour([paid_later], pendulum.date(2026, 12, 31)).max_days_late == 25


def test_only_notices_due_in_the_window_are_assessed_but_all_arrears_count() -> None:
    old = notice(1, year=2025)  # due 10 Feb 2025, never paid
    result = payment_behaviour([old, notice(10, (11, 1))], DAY)
    assert result.assessed == 1
    assert result.on_time == 1
    assert result.arrears == FEE
    assert result.overdue == 2
    assert result.window_start == pendulum.date(2025, 12, 1)
    policy = BehaviourPolicy(window_months=24)
    assert payment_behaviour([old], DAY, policy=policy).assessed == 1


def test_punctuality_needs_the_minimum_history() -> None:
    two = [notice(9, (10, 1)), notice(10, (11, 1))]
    assert not payment_behaviour(two, DAY).sufficient
    assert payment_behaviour(two, DAY, policy=BehaviourPolicy(min_statements=2)).sufficient


def test_mixed_currencies_are_refused() -> None:
    usd = PaymentFact("N-1", pendulum.date(2026, 11, 10), Money("1.00", "USD"))
    with pytest.raises(CurrencyMismatch, match="USD"):
        payment_behaviour([usd], DAY)
    assert payment_behaviour([usd], DAY, currency="USD").arrears == Money("1.00", "USD")


def test_policy_defaults_and_limits() -> None:
    assert DEFAULT_WINDOW_MONTHS == 12
    assert DEFAULT_MIN_STATEMENTS == 3
    assert DEFAULT_COMPLAINT_WINDOW_MONTHS == 3
    assert DEFAULT_QUANTILES == 5
    assert BehaviourPolicy() == DEFAULT_BEHAVIOUR_POLICY
    with pytest.raises(InvalidPolicy, match="at least 1"):
        BehaviourPolicy(min_statements=0)
    with pytest.raises(InvalidPolicy, match="window months"):
        BehaviourPolicy(window_months=0)
    with pytest.raises(InvalidPolicy, match="quantile count"):
        Quantiles(1)
    with pytest.raises(InvalidType, match="quantile count"):
        Quantiles(True)


def test_windows_clamp_to_the_end_of_the_month() -> None:
    policy = BehaviourPolicy(window_months=1, complaint_window_months=1)
    assert policy.window_start(pendulum.date(2026, 3, 31)) == pendulum.date(2026, 2, 28)
    assert policy.complaint_window(pendulum.date(2026, 3, 31)) == (
        pendulum.date(2026, 3, 1),
        pendulum.date(2026, 3, 31),
    )


@settings(max_examples=60)
@given(history=payment_fact_histories(), as_of=as_of_dates())
def test_punctuality_figures_are_consistent(
    history: tuple[PaymentFact, ...], as_of: pendulum.Date
) -> None:
    result = payment_behaviour(history, as_of)
    assert 0 <= result.on_time <= result.assessed <= result.overdue <= len(history)
    assert result.total_days_late >= result.late
    if result.assessed:
        assert result.max_days_late is not None
        assert result.max_days_late * result.assessed >= result.total_days_late
    assert Money.zero() <= result.arrears <= Money.total(f.amount for f in history)


@settings(max_examples=40)
@given(history=payment_fact_histories(min_size=1), as_of=as_of_dates(), later=st.integers(1, 90))
def test_facts_after_the_date_change_nothing(
    history: tuple[PaymentFact, ...], as_of: pendulum.Date, later: int
) -> None:
    extra = PaymentFact("N-later", as_of.add(days=later), FEE, paid_on=as_of.add(days=later))
    assert payment_behaviour((*history, extra), as_of) == payment_behaviour(history, as_of)


# -- spend and existing customers ----------------------------------------------------------


def test_spend_counts_purchases_after_the_window_start_up_to_the_date() -> None:
    purchases = [
        ServicePurchase(pendulum.date(2025, 12, 1), Money("10.00")),  # the window's start: out
        ServicePurchase(pendulum.date(2025, 12, 2), Money("20.00")),
        ServicePurchase(DAY, Money("30.00")),
        ServicePurchase(DAY.add(days=1), Money("40.00")),  # after the date
    ]
    result = spend_behaviour(purchases, DAY)
    assert (result.purchases, result.spend) == (2, Money("50.00"))
    assert result.last_purchase == DAY


def test_an_existing_customer_has_a_notice_due_a_payment_or_a_purchase() -> None:
    assert not is_existing_customer([], [], DAY)
    assert not is_existing_customer([PaymentFact("N-1", DAY, FEE)], [], DAY)
    assert is_existing_customer([notice(10)], [], DAY)
    prepaid = PaymentFact("N-1", DAY.add(days=9), FEE, paid_on=DAY)
    assert is_existing_customer([prepaid], [], DAY)
    assert is_existing_customer([], [ServicePurchase(DAY, Money("1.00"))], DAY)
    assert not is_existing_customer([], [ServicePurchase(DAY.add(days=1), Money("1.00"))], DAY)


# -- complaints -------------------------------------------------------------------------------


def test_complaint_record_implements_the_protocol() -> None:
    record = ComplaintRecord(
        complaints=[pendulum.date(2026, 9, 1), pendulum.date(2026, 9, 2), DAY],
        satisfaction=[
            SatisfactionScore(pendulum.date(2026, 9, 30), 4),
            SatisfactionScore(pendulum.date(2026, 6, 30), 1),
        ],
    )
    assert isinstance(record, ComplaintHistory)
    assert record.satisfaction[0].surveyed_on == pendulum.date(2026, 6, 30)  # kept in date order
    side = complaint_behaviour(record, DAY)
    assert side is not None
    assert side.first_day == pendulum.date(2026, 9, 2)
    assert (side.complaints, side.last_satisfaction) == (2, 4)
    assert complaint_behaviour(None, DAY) is None
    assert record.last_satisfaction(pendulum.date(2026, 7, 1)) == 1


def test_complaint_facts_are_checked() -> None:
    with pytest.raises(InvalidBehaviourFact, match="at most 5") as refused:
        SatisfactionScore(DAY, 6)
    assert refused.value.allowed == "1 to 5"
    with pytest.raises(InvalidType, match="must be an int"):
        SatisfactionScore(DAY, True)
    with pytest.raises(InvalidBehaviourFact, match="one answer per day"):
        ComplaintRecord(satisfaction=[SatisfactionScore(DAY, 1), SatisfactionScore(DAY, 2)])


@attrs.frozen
class _Broken:
    count: object
    score: object

    def complaints_between(self, first: pendulum.Date, last: pendulum.Date) -> int:
        return self.count  # type: ignore[return-value]  # deliberately wrong

    def last_satisfaction(self, as_of: pendulum.Date) -> int | None:
        return self.score  # type: ignore[return-value]  # deliberately wrong


def test_a_complaint_side_returning_nonsense_is_refused() -> None:
    with pytest.raises(InvalidBehaviourFact, match="complaints_between"):
        complaint_behaviour(_Broken(-1, None), DAY)
    with pytest.raises(InvalidBehaviourFact, match="last_satisfaction"):
        complaint_behaviour(_Broken(0, 9), DAY)


# -- RFM --------------------------------------------------------------------------------------


def _input(pid: str, last: pendulum.Date | None, frequency: int, monetary: str) -> RfmInput:
    return RfmInput(pid, DAY, last, frequency, Money(monetary))


def test_rfm_input_from_payments_and_from_special_services() -> None:
    payments = [notice(9, (10, 1)), notice(10, (11, 12)), notice(11, (12, 20))]
    purchases = [ServicePurchase(pendulum.date(2026, 5, 1), Money("80.00"))]
    from_payments = rfm_input("P-1", payments, purchases, DAY)
    assert from_payments == RfmInput("P-1", DAY, pendulum.date(2026, 11, 12), 2, FEE * 2)
    assert from_payments.recency_days == 19
    services = BehaviourPolicy(rfm=RfmPolicy(RfmSource.SPECIAL_SERVICES))
    from_services = rfm_input("P-1", payments, purchases, DAY, policy=services)
    assert from_services == RfmInput("P-1", DAY, pendulum.date(2026, 5, 1), 1, Money("80.00"))
    assert rfm_input("P-2", [], [], DAY) is None


def test_an_existing_customer_without_events_ranks_least_recent() -> None:
    never = rfm_input("P-1", [notice(10)], [], DAY)
    assert never == RfmInput("P-1", DAY, None, 0, Money("0.00"))
    assert never.recency_days is None
    assert never.recency_key == NO_EVENT_KEY < epoch_days(pendulum.date(1, 1, 1))


def test_quintiles_of_ten_parties_hold_two_each() -> None:
    inputs = [_input(f"P-{i}", DAY, i, f"{i}.00") for i in range(10)]
    scores = rfm_scores(inputs)
    assert [scores[f"P-{i}"].frequency for i in range(10)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # Equal recency: the tie is broken by party id, P-0 ranks first and P-9 last.
    assert (scores["P-0"].recency, scores["P-9"].recency) == (1, 5)
    assert scores["P-9"].total == 15


def test_ties_by_party_id_or_shared() -> None:
    inputs = [_input(pid, DAY, 1, "5.00") for pid in ("b", "a", "c", "d", "e")]
    by_id = rfm_scores(inputs)
    assert [by_id[pid].monetary for pid in "abcde"] == [1, 2, 3, 4, 5]
    shared = rfm_scores(
        inputs, policy=BehaviourPolicy(rfm=RfmPolicy(scoring=Quantiles(5, TieMethod.SHARED)))
    )
    assert {score.monetary for score in shared.values()} == {1}


def test_shared_ties_take_the_lowest_rank_of_their_group() -> None:
    amounts = ["1.00", "2.00", "2.00", "2.00", "9.00"]
    inputs = [_input(f"P-{i}", DAY, 1, a) for i, a in enumerate(amounts)]
    policy = BehaviourPolicy(rfm=RfmPolicy(scoring=Quantiles(5, TieMethod.SHARED)))
    scores = rfm_scores(inputs, policy=policy)
    assert [scores[f"P-{i}"].monetary for i in range(5)] == [1, 2, 2, 2, 5]


def test_fixed_thresholds_count_the_bounds_met() -> None:
    thresholds = FixedThresholds(
        recency_days=(365, 90, 30),
        frequency=(2, 6, 12),
        monetary=(Money("100.00"), Money("1000.00"), Money("3000.00")),
    )
    policy = BehaviourPolicy(rfm=RfmPolicy(scoring=thresholds))
    scores = rfm_scores(
        [
            _input("A", DAY.subtract(days=30), 12, "3000.00"),
            _input("B", DAY.subtract(days=31), 2, "999.99"),
            _input("C", None, 0, "0.00"),
        ],
        policy=policy,
    )
    assert [(s.recency, s.frequency, s.monetary) for s in scores.values()] == [
        (4, 4, 4),
        (3, 2, 2),
        (1, 1, 1),
    ]
    assert scores["A"].component(RfmComponent.TOTAL) == 12
    assert scores["A"].method == policy.rfm.scoring
    assert scores["A"].method.describe("en_US") == "fixed thresholds"
    assert scores["A"].method.describe() == "固定阈值"


def test_fixed_thresholds_must_be_ordered() -> None:
    money = (Money("1.00"), Money("2.00"))
    with pytest.raises(InvalidPolicy, match="fall strictly"):
        FixedThresholds(recency_days=(30, 90), frequency=(1, 2), monetary=money)
    with pytest.raises(InvalidPolicy, match="rise strictly"):
        FixedThresholds(recency_days=(90, 30), frequency=(2, 2), monetary=money)
    with pytest.raises(InvalidPolicy, match="rise strictly"):
        FixedThresholds(recency_days=(90, 30), frequency=(1, 2), monetary=money[::-1])
    with pytest.raises(InvalidPolicy, match="above zero"):
        FixedThresholds(recency_days=(90,), frequency=(1,), monetary=(Money("0.00"),))


def test_rfm_scores_refuse_duplicates_and_mixed_dates() -> None:
    with pytest.raises(InvalidBehaviourFact, match="names the party 'A' twice"):
        rfm_scores([_input("A", DAY, 1, "1.00"), _input("A", DAY, 2, "1.00")])
    other = RfmInput("B", DAY.add(days=1), None, 0, Money("0.00"))
    with pytest.raises(InvalidBehaviourFact, match="different dates"):
        rfm_scores([_input("A", DAY, 1, "1.00"), other])
    assert rfm_scores([]) == {}
    with pytest.raises(InvalidPolicy, match="sum of scores"):
        _input("A", DAY, 1, "1.00").key(RfmComponent.TOTAL)


_KEYS = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 3), st.sampled_from(["1.00", "2.00", "3.00"])),
    min_size=1,
    max_size=25,
)


@settings(max_examples=60)
@given(rows=_KEYS, count=st.integers(2, 7), ties=st.sampled_from(TieMethod))
def test_quantile_scores_are_in_range_monotonic_and_balanced(
    rows: list[tuple[int, int, str]], count: int, ties: TieMethod
) -> None:
    inputs = [
        _input(f"P-{i:02d}", DAY.subtract(days=days), freq, amount)
        for i, (days, freq, amount) in enumerate(rows)
    ]
    policy = BehaviourPolicy(rfm=RfmPolicy(scoring=Quantiles(count, ties)))
    scores = rfm_scores(inputs, policy=policy)
    for a in inputs:
        sa = scores[a.party_id]
        assert all(1 <= sa.component(c) <= count for c in list(RfmComponent)[:3])
        for b in inputs:
            sb = scores[b.party_id]
            if a.frequency < b.frequency:
                assert sa.frequency <= sb.frequency
            if ties is TieMethod.SHARED and a.monetary == b.monetary:
                assert sa.monetary == sb.monetary
    if ties is TieMethod.BY_PARTY_ID:
        sizes = [sum(1 for s in scores.values() if s.frequency == q) for q in range(1, count + 1)]
        assert max(sizes) - min(sizes) <= 1 or len(inputs) < count


@settings(max_examples=30)
@given(purchases=service_purchases(), as_of=as_of_dates())
def test_spend_is_never_negative_and_counts_only_the_window(
    purchases: tuple[ServicePurchase, ...], as_of: pendulum.Date
) -> None:
    result = spend_behaviour(purchases, as_of)
    assert result.spend >= Money.zero()
    assert result.purchases <= len(purchases)
    assert result.last_purchase is None or result.last_purchase <= as_of


# -- text in each locale ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("component", "zh_cn", "en_us"),
    [
        (RfmComponent.RECENCY, "最近消费", "recency"),
        (RfmComponent.FREQUENCY, "消费频次", "frequency"),
        (RfmComponent.MONETARY, "消费金额", "monetary"),
        (RfmComponent.TOTAL, "合计", "total"),
    ],
)
def test_rfm_components_are_named_in_each_locale(
    component: RfmComponent, zh_cn: str, en_us: str
) -> None:
    assert component.label() == component.label("zh_CN") == zh_cn
    assert component.label("en_US") == en_us
    with pytest.raises(UnsupportedLocale):
        component.label("fr_FR")


@pytest.mark.parametrize(
    ("scoring", "zh_cn", "en_us"),
    [
        (
            Quantiles(),
            "按全部客户分为5档，同值按客户编号排序",
            "5 quantiles of the portfolio, ties by party id",
        ),
        (
            Quantiles(count=2, ties=TieMethod.SHARED),
            "按全部客户分为2档，同值同档",
            "2 quantiles of the portfolio, ties shared",
        ),
        (
            FixedThresholds(recency_days=(30,), frequency=(2,), monetary=(Money("1.00"),)),
            "固定阈值",
            "fixed thresholds",
        ),
    ],
)
def test_rfm_scoring_describes_itself_in_each_locale(
    scoring: Quantiles | FixedThresholds, zh_cn: str, en_us: str
) -> None:
    assert scoring.describe() == scoring.describe("zh-CN") == zh_cn
    assert scoring.describe("en_US") == en_us
    with pytest.raises(UnsupportedLocale):
        scoring.describe("en")
