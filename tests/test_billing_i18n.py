"""Billing's and receivables' text for people, in zh_CN (the default) and en_US, and no other.

Each label and sentence comes from the catalogs: the Chinese is the domain's wording (违约金,
住宅, 催缴提醒 …), the English its translation, and an unsupported locale is refused with
``UnsupportedLocale`` rather than answered in English.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from decimal import Decimal

import pendulum
import pytest

from propcrm.billing import (
    DEFAULT_LATE_FEE,
    AbsoluteCap,
    AnnualisedRateCap,
    Approver,
    ChargeExplanation,
    ChargeLine,
    ChargeUnit,
    FeeCategory,
    LateFeePolicy,
    NoCap,
    PercentOfPrincipalCap,
    PropertyType,
    StartRule,
    opening_line,
    opening_statement,
)
from propcrm.errors import UnsupportedLocale
from propcrm.money import Money, Rate, RateBasis
from propcrm.receivables import (
    DEFAULT_AGING,
    Account,
    AllocationOrder,
    DecisionKind,
    DunningChannel,
    DunningLevel,
    DunningPlan,
    ForbiddenMeasure,
    StatementState,
    due_steps,
)
from propcrm.receivables._dunning import DecisionReason, HoldKind
from propcrm.time import BillingPeriod

UNSUPPORTED = ["fr_FR", "zh", "en", "zh_TW", "en_GB"]


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


# -- labels: every member, both locales ---------------------------------------------------------

LABELS: list[tuple[enum.Enum, str, str]] = [
    (PropertyType.RESIDENTIAL, "住宅", "residential"),
    (PropertyType.OFFICE, "办公", "office"),
    (PropertyType.COMMERCIAL, "商业", "commercial"),
    (PropertyType.PARKING, "车位", "parking space"),
    (PropertyType.STORAGE, "储藏室", "storage room"),
    (Approver.OWNERS_COMMITTEE, "业主委员会", "owners' committee"),
    (Approver.PRICE_AUTHORITY, "价格主管部门", "price authority"),
    (ChargeUnit.SQUARE_METRE, "㎡", "m²"),
    (ChargeUnit.HOUSEHOLD, "户", "unit"),
    (ChargeUnit.SPACE, "个", "space"),
    (ChargeUnit.TONNE, "吨", "t"),
    (ChargeUnit.ITEM, "项", "item"),
    (StatementState.OPEN, "未缴", "open"),
    (StatementState.PARTLY_PAID, "部分已缴", "partly paid"),
    (StatementState.PAID, "已缴清", "paid"),
    (StatementState.DISPUTED, "有异议", "disputed"),
    (StatementState.DEFERRED, "已缓缴", "deferred"),
    (StatementState.WAIVED, "已减免", "waived"),
    (StatementState.WRITTEN_OFF, "已核销", "written off"),
    (DunningLevel.REMINDER, "催缴提醒", "reminder"),
    (DunningLevel.FORMAL_DEMAND, "书面催告", "formal demand"),
    (DunningLevel.LEGAL, "诉讼或仲裁", "legal action"),
    (DunningChannel.SMS, "短信", "SMS"),
    (DunningChannel.REGISTERED_MAIL, "挂号信", "registered mail"),
    (DunningChannel.LAWYER_LETTER, "律师函", "lawyer's letter"),
    (ForbiddenMeasure.CUT_WATER, "停水", "cutting the water"),
    (HoldKind.DEFERRAL, "缓缴", "deferral"),
    (DecisionKind.ON_HOLD, "暂缓催缴", "on hold"),
    (DecisionReason.CADENCE, "距上次催缴未满间隔", "cadence"),
]


@pytest.mark.parametrize(("member", "chinese", "english"), LABELS)
def test_labels_in_both_locales(member: enum.Enum, chinese: str, english: str) -> None:
    label: Callable[..., str] = member.label  # type: ignore[attr-defined]
    assert label() == label("zh_CN") == label("zh-CN") == chinese
    assert label("en_US") == label("en-us") == english


ENUMS: list[type[enum.Enum]] = [
    PropertyType,
    Approver,
    FeeCategory,
    ChargeUnit,
    StatementState,
    DunningLevel,
    DunningChannel,
    ForbiddenMeasure,
    HoldKind,
    DecisionKind,
    DecisionReason,
]


@pytest.mark.parametrize("kind", ENUMS)
def test_every_member_has_a_label_in_each_locale(kind: type[enum.Enum]) -> None:
    for member in kind:
        chinese = member.label()  # type: ignore[attr-defined]
        english = member.label("en_US")  # type: ignore[attr-defined]
        assert chinese
        assert english
        # ㎡ is a symbol, the same mark in Chinese text; every other label is in Chinese.
        assert _has_chinese(chinese) or member is ChargeUnit.SQUARE_METRE
        assert not _has_chinese(english)


@pytest.mark.parametrize("kind", ENUMS)
@pytest.mark.parametrize("locale", UNSUPPORTED)
def test_labels_refuse_an_unsupported_locale(kind: type[enum.Enum], locale: str) -> None:
    for member in kind:
        with pytest.raises(UnsupportedLocale):
            member.label(locale)  # type: ignore[attr-defined]


# -- the late-fee sentence and the caps ---------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "chinese", "english"),
    [
        (
            DEFAULT_LATE_FEE,
            "逾期未缴的，自到期日次日起每日按欠缴金额的千分之三计收违约金。",
            (
                "Overdue amounts incur a late fee of 0.3% of the amount owed per day, from the day "
                "after the due date."
            ),
        ),
        (
            LateFeePolicy(start=StartRule.DUE_DATE),
            "逾期未缴的，自到期日起每日按欠缴金额的千分之三计收违约金。",
            (
                "Overdue amounts incur a late fee of 0.3% of the amount owed per day, from the due "
                "date."
            ),
        ),
        (
            LateFeePolicy(rate=Rate.per_mille("0.5", per=RateBasis.DAY)),
            "逾期未缴的，自到期日次日起每日按欠缴金额的千分之零点五计收违约金。",
            (
                "Overdue amounts incur a late fee of 0.05% of the amount owed per day, from the "
                "day after the due date."
            ),
        ),
    ],
)
def test_the_late_fee_sentence(policy: LateFeePolicy, chinese: str, english: str) -> None:
    assert policy.describe() == policy.describe("zh_CN") == chinese
    assert policy.describe("en_US") == english


@pytest.mark.parametrize(
    ("cap", "chinese", "english"),
    [
        (NoCap(), "不设上限", "no cap"),
        (PercentOfPrincipalCap("30"), "不超过本金的30%", "at most 30% of the principal"),
        (
            AnnualisedRateCap(Rate.percent("15.4", per=RateBasis.YEAR)),
            "年化不超过15.4%（一年按365天计）",
            "at most 15.4% a year (365-day year)",
        ),
        (AbsoluteCap(Money("1200.00")), "不超过¥1,200.00", "at most CN¥1,200.00"),
    ],
)
def test_caps_describe_themselves(cap: NoCap, chinese: str, english: str) -> None:
    assert cap.describe() == chinese
    assert cap.describe("en_US") == english


@pytest.mark.parametrize("locale", UNSUPPORTED)
def test_the_terms_refuse_an_unsupported_locale(locale: str) -> None:
    with pytest.raises(UnsupportedLocale):
        DEFAULT_LATE_FEE.describe(locale)
    for cap in (NoCap(), PercentOfPrincipalCap("5"), AbsoluteCap(Money("1.00"))):
        with pytest.raises(UnsupportedLocale):
            cap.describe(locale)


# -- explanations ------------------------------------------------------------------------------


def test_an_opening_line_says_it_was_carried_over() -> None:
    line = opening_line(Money("1000.00"))
    assert line.explanation.rule is None
    assert line.explanation.formula() == "上期结转¥1,000.00"
    assert line.explanation.formula("en_US") == "CN¥1,000.00 carried over"
    assert (line.unit_label(), line.unit_label("en_US")) == ("项", "item")
    with pytest.raises(UnsupportedLocale):
        line.explanation.formula("de_DE")


def test_a_communitys_own_unit_is_printed_as_given_but_the_locale_is_still_checked() -> None:
    line = opening_line(Money("1.00"))
    own = ChargeLine(
        line.code,
        line.name,
        line.kind,
        line.amount,
        ChargeExplanation(
            rule=None,
            quantity=Decimal(1),
            unit_label="台",
            unit_price=line.amount,
            unrounded=line.amount,
            rounding=line.explanation.rounding,
        ),
    )
    assert own.unit_label() == own.unit_label("en_US") == "台"
    with pytest.raises(UnsupportedLocale):
        own.unit_label("fr_FR")


@pytest.mark.parametrize(
    ("order", "needle"),
    [(AllocationOrder.CIVIL_CODE, "民法典"), (AllocationOrder.PRINCIPAL_FIRST, "本金优先")],
)
def test_allocation_orders_describe_themselves(order: AllocationOrder, needle: str) -> None:
    assert needle in order.describe()
    assert not _has_chinese(order.describe("en_US"))
    with pytest.raises(UnsupportedLocale):
        order.describe("fr_FR")


def _decision() -> object:
    notice = opening_statement(
        community="SUNRISE",
        unit_id="U",
        period=BillingPeriod.month(2026, 11),
        amount=Money("1000.00"),
        due_on=pendulum.date(2026, 12, 10),
    )
    account = Account("U", billed_party="P").post(notice)
    return due_steps(DunningPlan("SUNRISE"), [account], pendulum.date(2026, 12, 31)).decisions[0]


def test_a_dunning_decision_in_each_locale_and_no_other() -> None:
    decision = _decision()
    chinese = decision.describe()  # type: ignore[attr-defined]
    english = decision.describe("en_US")  # type: ignore[attr-defined]
    assert "催缴提醒" in chinese
    assert "短信/微信" in chinese
    assert not _has_chinese(english)
    with pytest.raises(UnsupportedLocale):
        decision.describe("zh")  # type: ignore[attr-defined]


def test_aging_buckets_in_each_locale() -> None:
    assert all(_has_chinese(b.label()) for b in DEFAULT_AGING.buckets)
    assert not any(_has_chinese(b.label("en_US")) for b in DEFAULT_AGING.buckets)


# -- text stored as data, translated when shown (issue 12) ---------------------------------------


def test_an_opening_line_stores_a_stable_name_and_shows_it_in_the_readers_language() -> None:
    # It used to store "期初欠费 opening balance": both languages mixed in the data itself.
    line = opening_line(Money("1000.00"))
    assert line.name == "opening balance"
    assert line.display_name() == "期初欠费"
    assert line.display_name("en_US") == "opening balance"
    with pytest.raises(UnsupportedLocale):
        line.display_name("fr_FR")
    notice = opening_statement(
        community="SUNRISE",
        unit_id="1-2-0301",
        period=BillingPeriod.month(2026, 11),
        amount=Money("1000.00"),
        due_on=pendulum.date(2026, 12, 10),
    )
    assert [x.display_name("en_US") for x in notice.lines] == ["opening balance"]


def test_an_opening_line_named_by_the_caller_keeps_the_name_in_every_language() -> None:
    line = opening_line(Money("1000.00"), "旧系统欠费")
    assert line.name == line.display_name() == line.display_name("en_US") == "旧系统欠费"


def test_a_special_service_priced_per_time_is_shown_in_the_readers_language() -> None:
    # PriceItem's default unit used to be the stored text "次", printed as 次 in English too.
    from tests.billing_fixtures import COMMUNITY, apartment, sample_tariff

    from propcrm.billing import (
        BillingRun,
        PriceItem,
        PriceList,
        PriceLists,
        SpecialServiceOrder,
        UnitUsage,
    )

    lists = PriceLists(
        (
            PriceList(
                "2026A",
                effective_from=pendulum.date(2026, 1, 1),
                published_on=pendulum.date(2025, 12, 1),
                items=(PriceItem("PIPE", "管道疏通", Money("50.00")),),
            ),
        )
    )
    item = lists.version("2026A").item("PIPE")
    assert item.unit is ChargeUnit.SERVICE
    assert (item.unit_label, item.unit_text(), item.unit_text("en_US")) == ("次", "次", "service")
    run = BillingRun(
        community=COMMUNITY,
        period=BillingPeriod.month(2026, 11),
        tariff=sample_tariff(),
        price_lists=lists,
    )
    order = SpecialServiceOrder("SS-1", "PIPE", "2", pendulum.date(2026, 11, 20))
    notice = run.bill(apartment(), UnitUsage(orders=[order]))
    (line,) = [x for x in notice.lines if x.code == "SVC"]
    assert (line.unit_label(), line.unit_label("en_US")) == ("次", "service")
