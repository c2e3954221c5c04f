"""Tests for demo.parties: the demo's parties, payers and segments, always masked."""

from __future__ import annotations

import re

import pytest

from propcrm.demo._parties import AS_OF, run_parties, sample_accounts, sample_book
from propcrm.parties import (
    Organisation,
    PayerReason,
    Person,
)

LOCALES = ("zh_CN", "en_US")
PURPOSE = "test that the demo never prints a clear value"
CLEAR_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
CLEAR_ID = re.compile(r"(?<![0-9A-Z])\d{17}[\dX](?![0-9A-Z])")


def clear_values() -> set[str]:
    """Every personal value of the sample book, in clear (names, mobiles, ID numbers, codes)."""
    values: set[str] = set()
    for party in sample_book().parties:
        if isinstance(party, Person):
            for identifier in (party.name, party.mobile, party.id_number):
                if identifier is not None:
                    values.add(identifier.reveal(PURPOSE))
        elif party.credit_code is not None:
            values.add(party.credit_code.reveal(PURPOSE))
    return values


@pytest.mark.parametrize("locale", LOCALES)
def test_parties_are_shown_masked(locale: str) -> None:
    text = run_parties(locale)
    for masked in ("张*丰 (P01)", "138****5678", "110***********002X", "91************341L"):
        assert masked in text


@pytest.mark.parametrize("locale", LOCALES)
def test_no_clear_mobile_id_number_or_name_is_ever_printed(locale: str) -> None:
    text = run_parties(locale)
    assert CLEAR_MOBILE.search(text) is None
    assert CLEAR_ID.search(text) is None
    leaked = {value for value in clear_values() if value in text}
    assert leaked == set()


def test_the_clear_values_checked_are_the_sample_books() -> None:
    values = clear_values()
    assert {"13812345678", "11010519491231002X", "张三丰", "91110000600037341L"} <= values


@pytest.mark.parametrize("locale", LOCALES)
def test_payers_over_november_and_december_with_their_rules(locale: str) -> None:
    text = run_parties(locale)
    if locale == "zh_CN":
        assert "张*丰 (P01) 60 %、李* (P02) 40 %" in text
        assert "2026年11月1日 至 2026年12月15日  赵* (P04): 租约约定由租户缴费" in text
        assert "2026年12月16日 至 2026年12月31日  钱* (P05): 唯一业主缴费" in text
        assert "2026年11月1日 至 2026年11月19日  孙* (P06): 唯一业主缴费" in text
        assert "2026年11月20日 至 2026年12月31日  周* (P07): 唯一业主缴费" in text
    else:
        assert "张*丰 (P01): the joint owner with the largest share" in text
        assert "Nov 1, 2026 to Dec 15, 2026  赵* (P04): the lease makes the tenant pay" in text
        assert "Nov 20, 2026 to Dec 31, 2026  周* (P07): the only owner pays" in text


@pytest.mark.parametrize("locale", LOCALES)
def test_segments_are_shown_with_their_explanations(locale: str) -> None:
    text = run_parties(locale)
    lines = {
        "zh_CN": (
            "✓ 按时缴费户",
            "✓ 逾期通知单数 ≥ 3：7张通知单中3张逾期",
            "✓ 高价值商业租户",
            "✓ 新入住待回访",
            "? 按时缴费户",
            "? 按时缴费率 ≥ 0.9：历史不足：已评估0张通知单，需要3张",
        ),
        "en_US": (
            "✓ reliable payer",
            "✓ late notices ≥ 3: 3 of 7 notices late",
            "✓ high-value commercial tenant",
            "✓ new resident due the callback",
            "? reliable payer",
            "? on-time ratio ≥ 0.9: insufficient history: 0 notices assessed, 3 needed",
        ),
    }
    for line in lines[locale]:
        assert line in text


def test_zh_cn_is_the_default_and_the_output_is_deterministic() -> None:
    assert run_parties() == run_parties("zh_CN") == run_parties("zh_CN")
    assert "客户细分（2026年12月1日）" in run_parties()
    assert "Segments (Dec 1, 2026)" in run_parties("en_US")


@pytest.mark.parametrize("reason", list(PayerReason))
def test_every_payer_rule_has_its_chinese_wording(reason: PayerReason) -> None:
    # The demo prints the party book's own wording of the rule, in each locale.
    zh, en = reason.rule("zh_CN"), reason.rule("en_US")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in en)


def test_the_notices_are_billed_to_the_payer_of_their_month() -> None:
    book = sample_book()
    accounts = sample_accounts(book)
    assert set(accounts) == {unit.unit_id for unit in book.units}
    for unit_id, account in accounts.items():
        for row in account.balance(AS_OF).statements:
            payer = book.payer(unit_id, row.statement.period.start)
            assert payer is not None
            assert row.statement.billed_party == payer.party_id
            assert row.principal_outstanding.is_zero
    assert any(isinstance(p, Organisation) for p in book.parties)
