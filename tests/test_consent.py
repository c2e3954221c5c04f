"""Tests for personal_data._consent: dated consent per purpose and channel, with withdrawal."""

from __future__ import annotations

import datetime

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.errors import InvalidConsentChange, NaiveDatetime
from propcrm.personal_data import (
    DEFAULT_CONSENT_POLICY,
    ConsentAction,
    ConsentEvent,
    ConsentLedger,
    ConsentPolicy,
    ConsentPurpose,
    ContactChannel,
)
from propcrm.testing._personal_data_strategies import consent_channels, consent_purposes

MARKETING = ConsentPurpose.MARKETING
SURVEY = ConsentPurpose.SATISFACTION_SURVEY
NOTICES = ConsentPurpose.SERVICE_NOTICES
COMMITTEE = ConsentPurpose.COMMITTEE_SHARING
SMS, WECHAT, PHONE = ContactChannel.SMS, ContactChannel.WECHAT, ContactChannel.PHONE


def at(day: int, hour: int = 10) -> pendulum.DateTime:
    return pendulum.datetime(2026, 3, day, hour, tz="Asia/Shanghai")


def test_no_consent_means_no() -> None:
    decision = ConsentLedger("P-1").may_contact(MARKETING, SMS, at(1))
    assert decision.allowed is False
    assert decision.decided_by is None
    assert decision.explain("en_US").startswith(
        "no: no consent for marketing by SMS was ever recorded"
    )
    assert decision.explain() == (
        "不可以：2026-03-01T10:00:00+08:00 前从未记录“营销推广”（短信）的同意"
    )
    assert DEFAULT_CONSENT_POLICY.exempt == frozenset()


def test_a_grant_allows_from_its_instant_on_and_a_withdrawal_ends_it() -> None:
    ledger = (
        ConsentLedger("P-1")
        .grant(SURVEY, SMS, at(5), evidence="move-in form #88")
        .withdraw(SURVEY, SMS, at(20), evidence="hotline call #301")
    )
    assert not ledger.may_contact(SURVEY, SMS, at(5, 9)).allowed
    assert ledger.may_contact(SURVEY, SMS, at(5)).allowed  # in force at its own instant
    assert ledger.may_contact(SURVEY, SMS, at(19)).allowed
    after = ledger.may_contact(SURVEY, SMS, at(20))
    assert not after.allowed
    assert after.decided_by == ledger.events[1]
    assert "withdrawn" in after.explain("en_US")
    assert "hotline call #301" in after.explain("en_US")
    assert after.explain() == (
        "不可以：“满意度调查”（短信）的同意已于 2026-03-20T10:00:00+08:00 撤回（hotline call #301）"
    )


def test_consent_is_per_purpose_and_per_channel() -> None:
    ledger = ConsentLedger("P-1").grant(SURVEY, SMS, at(1), evidence="form")
    assert ledger.may_contact(SURVEY, SMS, at(2)).allowed
    assert not ledger.may_contact(SURVEY, WECHAT, at(2)).allowed
    assert not ledger.may_contact(MARKETING, SMS, at(2)).allowed
    assert ledger.in_force(at(2)) == {(SURVEY, SMS)}


def test_consent_can_be_granted_again_after_withdrawal_and_renewed() -> None:
    ledger = (
        ConsentLedger("P-1")
        .grant(COMMITTEE, PHONE, at(1), evidence="form A")
        .withdraw(COMMITTEE, PHONE, at(2), evidence="letter")
        .grant(COMMITTEE, PHONE, at(3), evidence="form B")
        .grant(COMMITTEE, PHONE, at(4), evidence="renewal, form C")
    )
    assert [e.action for e in ledger.history(COMMITTEE, PHONE)] == [
        ConsentAction.GRANT,
        ConsentAction.WITHDRAW,
        ConsentAction.GRANT,
        ConsentAction.GRANT,
    ]
    assert not ledger.may_contact(COMMITTEE, PHONE, at(2, 12)).allowed
    assert ledger.may_contact(COMMITTEE, PHONE, at(5)).decided_by == ledger.events[-1]


def test_instants_in_other_zones_are_compared_as_instants() -> None:
    ledger = ConsentLedger("P-1").grant(MARKETING, WECHAT, at(10, 8), evidence="WeChat opt-in")
    # 00:30 UTC is 08:30 in Shanghai, after the grant at 08:00
    assert ledger.may_contact(
        MARKETING, WECHAT, pendulum.datetime(2026, 3, 10, 0, 30, tz="UTC")
    ).allowed
    assert not ledger.may_contact(
        MARKETING, WECHAT, pendulum.datetime(2026, 3, 9, 23, 30, tz="UTC")
    ).allowed


def test_history_is_kept_in_order_and_filterable() -> None:
    ledger = (
        ConsentLedger("P-1")
        .grant(SURVEY, SMS, at(1), evidence="form")
        .grant(MARKETING, SMS, at(2), evidence="form")
        .withdraw(SURVEY, SMS, at(3), evidence="call")
    )
    assert len(ledger.history()) == 3
    assert len(ledger.history(SURVEY)) == 2
    assert len(ledger.history(channel=SMS)) == 3
    assert ledger.history(NOTICES) == ()


# -- refused changes --------------------------------------------------------------------------


def test_withdrawing_what_was_never_granted_is_refused() -> None:
    with pytest.raises(InvalidConsentChange, match="nothing to withdraw"):
        ConsentLedger("P-1").withdraw(MARKETING, SMS, at(1), evidence="call")


def test_withdrawing_twice_is_refused() -> None:
    ledger = (
        ConsentLedger("P-1")
        .grant(MARKETING, SMS, at(1), evidence="form")
        .withdraw(MARKETING, SMS, at(2), evidence="call")
    )
    with pytest.raises(InvalidConsentChange, match="nothing to withdraw"):
        ledger.withdraw(MARKETING, SMS, at(3), evidence="call again")


@pytest.mark.parametrize("day", [1, 5])
def test_an_event_not_after_the_previous_one_is_refused(day: int) -> None:
    ledger = ConsentLedger("P-1").grant(MARKETING, SMS, at(5), evidence="form")
    with pytest.raises(InvalidConsentChange, match="history is appended in time order"):
        ledger.withdraw(MARKETING, SMS, at(day), evidence="call")


def test_an_earlier_event_on_another_channel_is_fine() -> None:
    ledger = ConsentLedger("P-1").grant(MARKETING, SMS, at(5), evidence="form")
    ledger = ledger.grant(MARKETING, WECHAT, at(1), evidence="form")
    assert ledger.may_contact(MARKETING, WECHAT, at(2)).allowed


def test_naive_datetimes_and_missing_evidence_are_refused() -> None:
    with pytest.raises(NaiveDatetime):
        ConsentLedger("P-1").grant(MARKETING, SMS, datetime.datetime(2026, 3, 1), evidence="x")  # noqa: DTZ001 - naive on purpose
    with pytest.raises(NaiveDatetime):
        ConsentLedger("P-1").may_contact(MARKETING, SMS, datetime.datetime(2026, 3, 1))  # noqa: DTZ001 - naive on purpose
    with pytest.raises(InvalidConsentChange, match="needs its evidence"):
        ConsentLedger("P-1").grant(MARKETING, SMS, at(1), evidence="  ")
    with pytest.raises(InvalidConsentChange, match="aware datetime"):
        ConsentEvent(MARKETING, SMS, ConsentAction.GRANT, "2026-03-01", "form")  # type: ignore[arg-type]  # wrong on purpose


def test_a_refused_change_leaves_the_ledger_as_it_was() -> None:
    ledger = ConsentLedger("P-1").grant(MARKETING, SMS, at(5), evidence="form")
    with pytest.raises(InvalidConsentChange):
        ledger.grant(MARKETING, SMS, at(4), evidence="form")
    assert len(ledger.events) == 1
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ledger.events = ()  # type: ignore[misc]  # mutation attempted on purpose


# -- policy exemptions ------------------------------------------------------------------------


def test_a_community_may_exempt_a_purpose_and_the_decision_says_why() -> None:
    policy = ConsentPolicy(exempt=frozenset({NOTICES}))
    decision = ConsentLedger("P-1").may_contact(NOTICES, SMS, at(1), policy=policy)
    assert decision.allowed
    assert "needs no consent (PIPL art. 13(2)" in decision.explain("en_US")
    assert decision.explain() == (
        "可以：“服务通知”无需同意（《个人信息保护法》第十三条第一款第（二）项：履行物业服务合同所必需）"
    )
    assert not ConsentLedger("P-1").may_contact(MARKETING, SMS, at(1), policy=policy).allowed


# -- against a simple model -------------------------------------------------------------------


@st.composite
def ledgers_and_events(draw: st.DrawFn) -> tuple[ConsentLedger, list[ConsentEvent]]:
    """A ledger built from random but valid steps, with the list of events it should hold."""
    ledger = ConsentLedger("P-1")
    events: list[ConsentEvent] = []
    instant = at(1)
    for _ in range(draw(st.integers(0, 12))):
        purpose, channel = draw(consent_purposes()), draw(consent_channels())
        instant = instant.add(hours=draw(st.integers(1, 48)))
        in_force = ledger.may_contact(purpose, channel, instant).allowed
        withdraw = in_force and draw(st.booleans())
        action = ConsentAction.WITHDRAW if withdraw else ConsentAction.GRANT
        event = ConsentEvent(purpose, channel, action, instant, "evidence")
        ledger = ledger.record(event)
        events.append(event)
    return ledger, events


@settings(max_examples=60)
@given(ledgers_and_events(), consent_purposes(), consent_channels(), st.integers(0, 24 * 40))
def test_the_decision_is_the_last_event_at_or_before_the_instant(
    built: tuple[ConsentLedger, list[ConsentEvent]],
    purpose: ConsentPurpose,
    channel: ContactChannel,
    hours: int,
) -> None:
    ledger, events = built
    instant = at(1).add(hours=hours)
    relevant = [
        e for e in events if e.purpose is purpose and e.channel is channel and e.at <= instant
    ]
    expected = bool(relevant) and relevant[-1].action is ConsentAction.GRANT
    decision = ledger.may_contact(purpose, channel, instant)
    assert decision.allowed is expected
    assert decision.decided_by == (relevant[-1] if relevant else None)
    assert decision.explain("en_US").startswith("yes" if expected else "no")
    assert decision.explain("zh_CN").startswith("可以" if expected else "不可以")
    assert ledger.events == tuple(events)
