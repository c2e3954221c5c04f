"""Tests for complaints._special_services: from an accepted quote to a posted charge (§3)."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.billing_fixtures import (
    COMMUNITY,
    apartment,
    price_list_2026a,
    sample_price_lists,
    sample_tariff,
)

from propcrm.billing import (
    DEFAULT_POLICY,
    BillingPolicy,
    BillingRun,
    ChargeLine,
    PriceItem,
    PriceList,
    PriceLists,
    SpecialServiceOrder,
    Statement,
    UnitUsage,
)
from propcrm.classification import Category
from propcrm.complaints import (
    DEFAULT_LIFECYCLE_POLICY,
    SYSTEM,
    Action,
    Actor,
    CallbackOutcome,
    Intake,
    IntakeChannel,
    LifecyclePolicy,
    Request,
    RequestKind,
    Role,
    State,
    billable_orders,
    post_charge,
    post_charges,
    quote_service,
)
from propcrm.errors import (
    ActionNotPermitted,
    GuardRefused,
    IllegalTransition,
    QuoteError,
    StepOutOfOrder,
)
from propcrm.money import (
    Money,
    RoundingMode,
)
from propcrm.testing.strategies import moneys
from propcrm.time import BillingPeriod, local_date

ZONE = "Asia/Shanghai"
UNIT = "1-2-0301"
NOV = BillingPeriod.month(2026, 11)
DEC = BillingPeriod.month(2026, 12)
AGENT = Actor("KF-01", Role.AGENT)
FITTER = Actor("W-07", Role.HANDLER)
OWNER = Actor("P-301", Role.REQUESTER)


def local(month: int, day: int, hour: int = 9, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz=ZONE)


# -- the lifecycle of an order, step by step --------------------------------------------------


def received(
    request_id: str = "SS-0001",
    *,
    unit: str = UNIT,
    at: pendulum.DateTime | None = None,
    kind: RequestKind = RequestKind.SPECIAL_SERVICE,
    policy: LifecyclePolicy = DEFAULT_LIFECYCLE_POLICY,
) -> Request:
    intake = Intake(
        request_id=request_id,
        kind=kind,
        requester="P-301",
        unit=unit,
        channel=IntakeChannel.APP,
        category=Category.HEATING_AIR_CONDITIONING,
        description="空调清洗",
    )
    return Request.receive(intake, AGENT, at or local(11, 10), policy)


def quoted(
    request_id: str = "SS-0001",
    *,
    code: str = "AC-CLEAN",
    quantity: object = "2",
    unit: str = UNIT,
    at: pendulum.DateTime | None = None,
    price_lists: PriceLists | None = None,
    rounding: RoundingMode = RoundingMode.HALF_UP,
    policy: LifecyclePolicy = DEFAULT_LIFECYCLE_POLICY,
) -> Request:
    """Received, acknowledged, assessed and quoted at ``at`` (10 Nov, under 2026A)."""
    at = at or local(11, 10)
    lists = price_lists or sample_price_lists()
    quote = quote_service(lists, code, quantity, local_date(at, ZONE), rounding=rounding)
    request = received(request_id, unit=unit, at=at, policy=policy)
    request = request.take(Action.ACKNOWLEDGE, AGENT, at.add(minutes=1))
    request = request.take(Action.ASSESS, AGENT, at.add(minutes=2))
    return request.take(Action.QUOTE, AGENT, at.add(minutes=3), quote=quote)


def accepted(request_id: str = "SS-0001", **options: object) -> Request:
    """Quoted, and the quote accepted by the household half an hour later."""
    request = quoted(request_id, **options)  # type: ignore[arg-type]
    return request.take(Action.ACCEPT_QUOTE, OWNER, request.last_step.at.add(minutes=30))


def performed(request: Request, done_at: pendulum.DateTime | None = None) -> Request:
    """Dispatched to the fitter, who starts and finishes the work at ``done_at`` (20 Nov)."""
    done_at = done_at or local(11, 20, 15)
    request = request.take(
        Action.DISPATCH, AGENT, request.last_step.at.add(minutes=1), assignee="W-07"
    )
    request = request.take(Action.START, FITTER, done_at)
    return request.take(Action.RESOLVE, FITTER, done_at, note="已完成")


def called_back(request: Request, score: int) -> Request:
    outcome = CallbackOutcome.SATISFIED if score >= 4 else CallbackOutcome.DISSATISFIED
    at = request.last_step.at.add(hours=2)
    return request.take(Action.CALL_BACK, AGENT, at, outcome=outcome, score=score)


def november_run(policy: BillingPolicy = DEFAULT_POLICY) -> BillingRun:
    return BillingRun(
        community=COMMUNITY,
        period=NOV,
        tariff=sample_tariff(),
        policy=policy,
        price_lists=sample_price_lists(),
    )


def notice_for(*requests: Request, unit: str = UNIT, through: pendulum.Date = NOV.end) -> Statement:
    orders = billable_orders(requests, unit=unit, through=through)
    return november_run().bill(apartment(unit), UnitUsage(orders=orders))


def service_lines(statement: Statement) -> list[ChargeLine]:
    return [line for line in statement.lines if line.explanation.order is not None]


POSTED_AT = local(11, 30, 23)


# -- the brief's scenario ---------------------------------------------------------------------


def test_an_air_conditioner_cleaning_is_billed_at_the_price_the_household_accepted() -> None:
    # 10 Nov: a household orders the cleaning of 2 air conditioners; list 2026A says ¥80.00 each.
    request = accepted("SS-0001", code="AC-CLEAN", quantity="2", at=local(11, 10))
    assert request.quote is not None
    assert request.quote.describe() == "空调清洗 2 台 × ¥80.00 = ¥160.00（价目表 2026A）"
    assert request.state is State.ACCEPTED

    # 16 Nov: price list 2026B takes effect before the work: ¥90.00 each.
    assert sample_price_lists().in_force(pendulum.date(2026, 11, 20)).version == "2026B"

    # 20 Nov: the fitter cleans both units.
    request = performed(request, local(11, 20, 15))

    # 30 Nov: the November notice carries ¥160.00 from 2026A, beside the management fee.
    orders = billable_orders([request], unit=UNIT, through=NOV.end)
    assert orders == (
        SpecialServiceOrder(
            "SS-0001",
            "AC-CLEAN",
            Decimal(2),
            pendulum.date(2026, 11, 20),
            price_list_version="2026A",
        ),
    )
    notice = november_run().bill(apartment(), UnitUsage(orders=orders))
    (line,) = service_lines(notice)
    assert line.name == "特约服务：空调清洗"
    assert line.amount == Money("160.00")
    assert line.unit_price == Money("80.00")
    assert line.explanation.price_list_version == "2026A"
    assert notice.total == Money("250.24") + Money("160.00")

    # The charge is posted once: the request names the notice, and December does not bill it.
    (request,) = post_charges([request], notice, SYSTEM, POSTED_AT)
    assert request.charge_statement == notice.number == "SUNRISE/2026-11/1-2-0301"
    assert request.last_step.action is Action.POST_CHARGE
    assert request.last_step.actor == SYSTEM
    assert billable_orders([request], unit=UNIT, through=DEC.end) == ()
    with pytest.raises(GuardRefused, match="posted once"):
        post_charges([request], notice, SYSTEM, POSTED_AT)
    assert Request.replay(request.history) == request

    # The callback and closing follow as for any request, the charge still on record.
    request = called_back(request, 5)
    request = request.take(Action.CLOSE, AGENT, request.last_step.at)
    assert (request.state, request.charge_statement) == (State.CLOSED, notice.number)


def test_billed_at_the_list_in_force_on_the_day_of_work_the_charge_would_differ() -> None:
    request = performed(accepted())
    (order,) = billable_orders([request], unit=UNIT, through=NOV.end)
    unquoted = attrs.evolve(order, price_list_version=None)  # priced from 2026B, ¥180.00
    notice = november_run().bill(apartment(), UnitUsage(orders=[unquoted]))
    with pytest.raises(QuoteError, match=r"CNY 180.00 from price list 2026B.*CNY 160.00"):
        post_charges([request], notice, SYSTEM, POSTED_AT)


# -- billable_orders --------------------------------------------------------------------------


def test_an_order_is_not_billable_before_it_is_accepted() -> None:
    assert billable_orders([received("SS-1"), quoted("SS-2")], unit=UNIT, through=NOV.end) == ()


def test_an_accepted_order_is_not_billable_before_the_work_is_done() -> None:
    request = accepted()
    request = request.take(Action.DISPATCH, AGENT, local(11, 11), assignee="W-07")
    started = request.take(Action.START, FITTER, local(11, 20))
    for unfinished in (request, started):
        assert billable_orders([unfinished], unit=UNIT, through=NOV.end) == ()
    assert len(billable_orders([performed(accepted())], unit=UNIT, through=NOV.end)) == 1


def test_a_declined_or_withdrawn_order_is_never_billable() -> None:
    declined = quoted("SS-1").take(Action.DECLINE_QUOTE, OWNER, local(11, 11), reason="太贵")
    withdrawn = accepted("SS-2").take(Action.WITHDRAW, OWNER, local(11, 11), reason="不需要了")
    assert declined.state is withdrawn.state is State.WITHDRAWN
    assert billable_orders([declined, withdrawn], unit=UNIT, through=DEC.end) == ()


def test_an_order_is_billable_once_performed_whatever_happens_at_the_callback() -> None:
    request = performed(accepted())
    satisfied = called_back(request, 5)
    closed = satisfied.take(Action.CLOSE, AGENT, satisfied.last_step.at)
    for later in (satisfied, closed):
        assert billable_orders([later], unit=UNIT, through=NOV.end) == billable_orders(
            [request], unit=UNIT, through=NOV.end
        )


def test_an_order_reopened_for_rework_waits_until_it_is_resolved_again() -> None:
    first = performed(accepted(), local(11, 20, 15))
    reopened = called_back(first, 2)  # dissatisfied: reopened by the policy
    assert reopened.state is State.REOPENED
    assert reopened.resolved_at is not None  # performed once already …
    # … but the lifecycle cannot post a charge while rework is pending, so it is not billed.
    assert billable_orders([reopened], unit=UNIT, through=NOV.end) == ()
    redone = reopened.take(Action.START, FITTER, local(12, 2, 10))
    redone = redone.take(Action.RESOLVE, FITTER, local(12, 2, 11), note="重新清洗")
    assert billable_orders([redone], unit=UNIT, through=NOV.end) == ()
    (order,) = billable_orders([redone], unit=UNIT, through=DEC.end)
    assert order.performed_on == pendulum.date(2026, 12, 2)
    assert order.price_list_version == "2026A"  # still the accepted quote's


def test_work_done_after_through_waits_for_the_next_notice() -> None:
    request = performed(accepted(), local(12, 1, 9))
    assert billable_orders([request], unit=UNIT, through=NOV.end) == ()
    assert len(billable_orders([request], unit=UNIT, through=DEC.end)) == 1


def test_the_day_of_work_is_the_local_date_in_the_policys_zone() -> None:
    # 30 Nov 16:30 UTC is 1 Dec 00:30 in Shanghai: December's work, not November's.
    late = performed(accepted(), pendulum.datetime(2026, 11, 30, 16, 30, tz="UTC"))
    assert billable_orders([late], unit=UNIT, through=NOV.end) == ()
    (order,) = billable_orders([late], unit=UNIT, through=DEC.end)
    assert order.performed_on == pendulum.date(2026, 12, 1)
    utc = LifecyclePolicy(zone="UTC")
    late_utc = performed(accepted(policy=utc), pendulum.datetime(2026, 11, 30, 16, 30, tz="UTC"))
    (order,) = billable_orders([late_utc], unit=UNIT, through=NOV.end)
    assert order.performed_on == pendulum.date(2026, 11, 30)


def test_orders_of_other_units_and_other_kinds_are_passed_over() -> None:
    mine = performed(accepted("SS-1"))
    neighbours = performed(accepted("SS-2", unit="1-2-0302"))
    repair = received("R-1", kind=RequestKind.REPAIR)
    orders = billable_orders([mine, neighbours, repair], unit=UNIT, through=NOV.end)
    assert [o.order_id for o in orders] == ["SS-1"]
    (theirs,) = billable_orders([mine, neighbours, repair], unit="1-2-0302", through=NOV.end)
    assert theirs.order_id == "SS-2"


def test_orders_come_by_day_of_work_then_by_request_id() -> None:
    requests = [
        performed(accepted("SS-3"), local(11, 21)),
        performed(accepted("SS-2"), local(11, 20, 17)),
        performed(accepted("SS-1"), local(11, 21)),
    ]
    orders = billable_orders(requests, unit=UNIT, through=NOV.end)
    assert [o.order_id for o in orders] == ["SS-2", "SS-1", "SS-3"]
    assert billable_orders(reversed(requests), unit=UNIT, through=NOV.end) == orders


def test_an_order_carries_the_quoted_quantity_even_in_fractions() -> None:
    request = performed(accepted(code="LAWN", quantity="12.5"))
    (order,) = billable_orders([request], unit=UNIT, through=NOV.end)
    assert (order.service_code, order.quantity) == ("LAWN", Decimal("12.5"))
    notice = november_run().bill(apartment(), UnitUsage(orders=[order]))
    # 12.5 ㎡ × ¥1.35 = ¥16.875, rounded once: ¥16.88 as quoted
    assert service_lines(notice)[0].amount == Money("16.88")
    (posted,) = post_charges([request], notice, SYSTEM, POSTED_AT)
    assert posted.charge_statement == notice.number


def test_a_request_given_twice_is_refused() -> None:
    request = performed(accepted())
    with pytest.raises(QuoteError, match="SS-0001 is given twice"):
        billable_orders([request, called_back(request, 5)], unit=UNIT, through=NOV.end)


@pytest.mark.parametrize("unit", ["", "  ", None])
def test_billable_orders_needs_a_unit(unit: object) -> None:
    with pytest.raises(QuoteError, match="unit id"):
        billable_orders([], unit=unit, through=NOV.end)  # type: ignore[arg-type]


def test_through_is_a_date_not_an_instant() -> None:
    with pytest.raises(TypeError, match="local_date"):
        # a DateTime is a date to the type checker, but its day depends on the zone
        billable_orders([], unit=UNIT, through=local(11, 30))


# -- post_charge and post_charges -------------------------------------------------------------


def test_post_charge_records_the_notice_on_the_request() -> None:
    request = performed(accepted())
    notice = notice_for(request)
    posted = post_charge(request, notice, AGENT, POSTED_AT)
    assert posted.charge_statement == notice.number
    assert posted.last_step.data.statement == notice.number
    assert posted.last_step.actor == AGENT
    assert posted.state is State.RESOLVED  # posting changes no state
    assert request.charge_statement is None  # the request given is a value, unchanged


def test_a_handler_cannot_post_a_charge() -> None:
    request = performed(accepted())
    with pytest.raises(ActionNotPermitted):
        post_charge(request, notice_for(request), FITTER, POSTED_AT)


def test_a_request_whose_order_is_not_on_the_notice_is_refused() -> None:
    request = performed(accepted())
    other = performed(accepted("SS-0002"))
    notice = notice_for(other)
    with pytest.raises(QuoteError, match=r"0 lines for order SS-0001.*orders: SS-0002\."):
        post_charge(request, notice, SYSTEM, POSTED_AT)
    plain = november_run().bill(apartment(), UnitUsage())
    with pytest.raises(QuoteError, match="orders: none"):
        post_charge(request, plain, SYSTEM, POSTED_AT)


def test_a_request_is_posted_to_its_own_units_notice_only() -> None:
    request = performed(accepted())
    neighbours = notice_for(request, unit="1-2-0302")  # billed to the wrong unit by mistake
    with pytest.raises(QuoteError, match=r"is for unit 1-2-0301.*1-2-0302's"):
        post_charge(request, neighbours, SYSTEM, POSTED_AT)


def test_an_order_on_a_notice_twice_is_refused() -> None:
    request = performed(accepted())
    notice = notice_for(request)
    (line,) = service_lines(notice)
    doubled = attrs.evolve(notice, lines=(*notice.lines, line), total=notice.total + line.amount)
    with pytest.raises(QuoteError, match="2 lines for order SS-0001"):
        post_charge(request, doubled, SYSTEM, POSTED_AT)


def test_a_notice_rounded_otherwise_than_the_quote_is_refused() -> None:
    hourly = PriceLists(
        (
            PriceList(
                "2026H",
                effective_from=pendulum.date(2026, 1, 1),
                published_on=pendulum.date(2025, 12, 1),
                items=(PriceItem("CLEAN-H", "家政保洁", Money("33.33"), "小时"),),
            ),
        )
    )
    # 0.5 小时 × ¥33.33 = ¥16.665: ¥16.67 half-up as quoted, ¥16.66 half-even as billed
    request = performed(accepted(code="CLEAN-H", quantity="0.5", price_lists=hourly))
    orders = billable_orders([request], unit=UNIT, through=NOV.end)
    run = BillingRun(
        community=COMMUNITY,
        period=NOV,
        tariff=sample_tariff(),
        policy=BillingPolicy(rounding=RoundingMode.HALF_EVEN),
        price_lists=hourly,
    )
    notice = run.bill(apartment(), UnitUsage(orders=orders))
    with pytest.raises(QuoteError, match=r"CNY 16.66 .* CNY 16.67.*rounding"):
        post_charge(request, notice, SYSTEM, POSTED_AT)


def test_a_different_quantity_or_service_on_the_notice_is_refused() -> None:
    request = performed(accepted())
    (order,) = billable_orders([request], unit=UNIT, through=NOV.end)
    for changed in (
        attrs.evolve(order, quantity=Decimal(3)),
        attrs.evolve(order, service_code="PIPE", quantity=Decimal("3.2")),
    ):
        notice = november_run().bill(apartment(), UnitUsage(orders=[changed]))
        with pytest.raises(QuoteError, match="accepted quote is AC-CLEAN × 2"):
            post_charge(request, notice, SYSTEM, POSTED_AT)


def test_a_charge_from_another_list_at_the_same_price_is_refused() -> None:
    # 2026A and 2026B both price pipe clearing at ¥50.00; the notice must cite the quoted list.
    request = performed(accepted(code="PIPE", quantity="1"))
    (order,) = billable_orders([request], unit=UNIT, through=NOV.end)
    notice = november_run().bill(
        apartment(), UnitUsage(orders=[attrs.evolve(order, price_list_version="2026B")])
    )
    assert service_lines(notice)[0].amount == Money("50.00")
    with pytest.raises(QuoteError, match="from price list 2026B"):
        post_charge(request, notice, SYSTEM, POSTED_AT)


def test_posting_an_unaccepted_or_unperformed_order_is_refused_by_the_lifecycle() -> None:
    request = performed(accepted())
    notice = notice_for(request)
    with pytest.raises(IllegalTransition, match="quoted cannot post_charge"):
        post_charge(quoted(), notice, SYSTEM, POSTED_AT)
    with pytest.raises(IllegalTransition, match="accepted cannot post_charge"):
        post_charge(accepted(), notice, SYSTEM, POSTED_AT)


def test_posting_before_the_work_was_done_is_refused() -> None:
    request = performed(accepted(), local(11, 20, 15))
    with pytest.raises(StepOutOfOrder, match="earlier than its last step"):
        post_charge(request, notice_for(request), SYSTEM, local(11, 20, 14))


def test_post_charges_posts_every_order_of_the_notice_in_line_order() -> None:
    first = performed(accepted("SS-1", code="PIPE", quantity="1"), local(11, 21))
    second = performed(accepted("SS-2"), local(11, 20))
    repair = received("R-9", kind=RequestKind.REPAIR)
    neighbours = performed(accepted("SS-3", unit="1-2-0302"))
    notice = notice_for(first, second)
    posted = post_charges([repair, first, neighbours, second], notice, SYSTEM, POSTED_AT)
    assert [r.request_id for r in posted] == ["SS-2", "SS-1"]
    assert {r.charge_statement for r in posted} == {notice.number}
    assert billable_orders([*posted, repair, neighbours], unit=UNIT, through=DEC.end) == ()


def test_post_charges_refuses_a_notice_charging_an_order_without_its_request() -> None:
    first, second = performed(accepted("SS-1")), performed(accepted("SS-2"))
    notice = notice_for(first, second)
    with pytest.raises(QuoteError, match="charges special-service order SS-2, but no request"):
        post_charges([first], notice, SYSTEM, POSTED_AT)


def test_post_charges_posts_nothing_if_one_posting_is_refused() -> None:
    first, second = performed(accepted("SS-1")), performed(accepted("SS-2"))
    notice = notice_for(first, second)
    second = post_charge(second, notice, SYSTEM, POSTED_AT)
    with pytest.raises(GuardRefused, match="SS-2's charge is already on statement"):
        post_charges([first, second], notice, SYSTEM, POSTED_AT)
    assert first.charge_statement is None


def test_post_charges_refuses_a_request_given_twice() -> None:
    request = performed(accepted())
    with pytest.raises(QuoteError, match="given twice"):
        post_charges([request, request], notice_for(request), SYSTEM, POSTED_AT)


def test_a_notice_without_orders_posts_nothing() -> None:
    request = performed(accepted())
    plain = november_run().bill(apartment(), UnitUsage())
    assert post_charges([request], plain, SYSTEM, POSTED_AT) == ()


# -- properties -------------------------------------------------------------------------------


def two_lists(first: Money, second: Money) -> PriceLists:
    """Cleaning by the hour at ``first`` from 1 Jan 2026, at ``second`` from 16 Nov 2026."""
    return PriceLists(
        (
            PriceList(
                "A",
                effective_from=pendulum.date(2026, 1, 1),
                published_on=pendulum.date(2025, 12, 1),
                items=(PriceItem("CLEAN-H", "家政保洁", first, "小时"),),
            ),
            PriceList(
                "B",
                effective_from=pendulum.date(2026, 11, 16),
                published_on=pendulum.date(2026, 11, 1),
                items=(PriceItem("CLEAN-H", "家政保洁", second, "小时"),),
            ),
        )
    )


@settings(max_examples=40)
@given(
    first=moneys(min_value=Money("0.01"), max_value=Money("999.99")),
    second=moneys(min_value=Money("0.01"), max_value=Money("999.99")),
    quantity=st.decimals(min_value="0.01", max_value="99.99", places=2),
    work_day=st.integers(min_value=11, max_value=30),
    rounding=st.sampled_from([RoundingMode.HALF_UP, RoundingMode.HALF_EVEN, RoundingMode.DOWN]),
)
def test_the_billed_amount_is_the_quoted_amount(
    first: Money, second: Money, quantity: Decimal, work_day: int, rounding: RoundingMode
) -> None:
    lists = two_lists(first, second)
    request = performed(
        accepted(code="CLEAN-H", quantity=quantity, price_lists=lists, rounding=rounding),
        local(11, work_day, 15),
    )
    assert request.quote is not None
    run = BillingRun(
        community=COMMUNITY,
        period=NOV,
        tariff=sample_tariff(),
        policy=BillingPolicy(rounding=rounding),
        price_lists=lists,
    )
    orders = billable_orders([request], unit=UNIT, through=NOV.end)
    notice = run.bill(apartment(), UnitUsage(orders=orders))
    (line,) = service_lines(notice)
    assert line.amount == request.quote.amount
    assert line.explanation.price_list_version == "A"
    (posted,) = post_charges([request], notice, SYSTEM, POSTED_AT)
    assert posted.charge_statement == notice.number
    with pytest.raises(GuardRefused, match="posted once"):
        post_charges([posted], notice, SYSTEM, POSTED_AT)
    assert billable_orders([posted], unit=UNIT, through=DEC.end) == ()


# How far each generated request gets: a prefix of the order's life, or a side road off it.
STAGES = (
    "received",
    "quoted",
    "declined",
    "accepted",
    "withdrawn",
    "started",
    "performed",
    "called back",
    "closed",
    "reopened",
    "redone",
    "posted",
)


def at_stage(request_id: str, stage: str, unit: str, work_day: int) -> Request:
    done_at = local(11, work_day, 15)
    if stage == "received":
        return received(request_id, unit=unit)
    if stage in {"quoted", "declined"}:
        request = quoted(request_id, unit=unit)
        if stage == "declined":
            request = request.take(Action.DECLINE_QUOTE, OWNER, local(11, 11), reason="太贵")
        return request
    request = accepted(request_id, unit=unit)
    if stage == "accepted":
        return request
    if stage == "withdrawn":
        return request.take(Action.WITHDRAW, OWNER, local(11, 11), reason="不需要了")
    if stage == "started":
        request = request.take(Action.DISPATCH, AGENT, local(11, 11), assignee="W-07")
        return request.take(Action.START, FITTER, done_at)
    request = performed(request, done_at)
    if stage in {"called back", "closed"}:
        request = called_back(request, 5)
        if stage == "closed":
            request = request.take(Action.CLOSE, AGENT, request.last_step.at)
    elif stage in {"reopened", "redone"}:
        request = called_back(request, 1)
        if stage == "redone":
            request = request.take(Action.START, FITTER, done_at.add(days=1))
            request = request.take(Action.RESOLVE, FITTER, done_at.add(days=1), note="重做")
    elif stage == "posted":
        request = request.take(Action.POST_CHARGE, SYSTEM, done_at.add(days=1), statement="X/1")
    return request


@settings(max_examples=40)
@given(
    plan=st.lists(
        st.tuples(
            st.sampled_from(STAGES),
            st.sampled_from([UNIT, "1-2-0302"]),
            st.integers(min_value=11, max_value=30),
        ),
        max_size=5,
    ),
    through_day=st.integers(min_value=10, max_value=30),
)
def test_billable_orders_are_exactly_the_performed_accepted_unposted_ones(
    plan: list[tuple[str, str, int]], through_day: int
) -> None:
    requests = [
        at_stage(f"SS-{i:02d}", stage, unit, day) for i, (stage, unit, day) in enumerate(plan)
    ]
    through = pendulum.date(2026, 11, through_day)
    orders = billable_orders(requests, unit=UNIT, through=through)
    by_id = {r.request_id: r for r in requests}
    for order in orders:
        request = by_id[order.order_id]
        assert request.quote is not None
        assert request.quote_accepted
        assert request.charge_statement is None
        assert request.resolved_at is not None
        assert order.performed_on == local_date(request.resolved_at, ZONE) <= through
        assert request.intake.unit == UNIT
        assert request.state in {State.RESOLVED, State.CALLED_BACK, State.CLOSED}
        assert order.price_list_version == request.quote.price_list_version
    expected = {
        f"SS-{i:02d}"
        for i, (stage, unit, day) in enumerate(plan)
        if unit == UNIT
        and stage in {"performed", "called back", "closed", "redone"}
        and day + (stage == "redone") <= through_day
    }
    assert {o.order_id for o in orders} == expected
    assert list(orders) == sorted(orders, key=lambda o: (o.performed_on, o.order_id))


def test_the_sample_lists_price_air_conditioner_cleaning_at_80_then_90() -> None:
    # the scenario above rests on these two figures
    assert price_list_2026a().item("AC-CLEAN").unit_price == Money("80.00")
    assert sample_price_lists().version("2026B").item("AC-CLEAN").unit_price == Money("90.00")
