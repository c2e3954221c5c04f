"""Notices: kinds and their rules, audiences by date, delivery, receipts, rendering, activities.

Scenario tests read like the domain brief: a water outage for building 3 announced the day
before, a fee adjustment announced a month ahead, an owners' meeting that must be proven
delivered, a walk with more sign-ups than places.
"""

from __future__ import annotations

import itertools

import attrs
import pendulum
import pytest
from hypothesis import given, settings

from propcrm.billing import Approval, Approver, AreaCharge, PropertyType, TariffVersion
from propcrm.errors import (
    DeliveryOutOfOrder,
    InvalidAudience,
    InvalidNotice,
    OutageNoticeTooShort,
    RenderRefused,
    SignUpRefused,
    TariffNoticeTooShort,
    UnknownRecord,
)
from propcrm.money import Money
from propcrm.notices import (
    Activity,
    ActivityRoster,
    AnyAudience,
    DeliveryChannel,
    DeliveryEvent,
    DeliveryLog,
    DeliveryStatus,
    Everyone,
    FieldKind,
    InArrears,
    InBuildings,
    InSegment,
    Listed,
    Notice,
    NoticeField,
    NoticeKind,
    NoticePolicy,
    SignUpStatus,
    SmsPolicy,
    TemplateField,
    WeChatTemplate,
    activity_history,
    check_notice,
    delivery_receipt,
    render_sms,
    render_wechat,
    resolve_audience,
)
from propcrm.parties import Handover, Owner, PartyBook, Person, RelationKind, Tenant, Unit
from propcrm.personal_data import PersonName
from propcrm.segmentation import Outcome, SegmentHistory
from propcrm.sla import PlannedOutage, Utility
from propcrm.testing.strategies import activity_rosters, delivery_logs

D = pendulum.date
SINCE = D(2020, 1, 1)
AT = pendulum.datetime(2026, 12, 1, 9, 0, tz="Asia/Shanghai")
DAY = D(2026, 12, 1)
FEW = settings(max_examples=30, deadline=None)


def flat(unit_id: str, building: str) -> Unit:
    return Unit(
        unit_id=unit_id,
        community="SUNRISE",
        building=building,
        floor=3,
        number=unit_id,
        property_type=PropertyType.RESIDENTIAL,
        building_area="89.37",
        facts=[Handover(SINCE)],
    )


BOOK = PartyBook(
    parties=[
        Person(party_id=p, name=PersonName(n))
        for p, n in [("P1", "王伟"), ("P2", "李娜"), ("P3", "张敏"), ("P4", "刘洋"), ("P5", "陈静")]
    ],
    units=[flat("3-0301", "3"), flat("3-0302", "3"), flat("5-0101", "5")],
    relations=[
        # P1 owns 3-0301 and lets it to P3 from June 2026.
        Owner(relation_id="R1", party_id="P1", unit_id="3-0301", start=SINCE),
        Tenant(
            relation_id="R2", party_id="P3", unit_id="3-0301", start=D(2026, 6, 1), lease_id="L1"
        ),
        # P2 owned 3-0302 until 2026-11-15, when P4 bought it.
        Owner(
            relation_id="R3", party_id="P2", unit_id="3-0302", start=SINCE, until=D(2026, 11, 15)
        ),
        Owner(relation_id="R4", party_id="P4", unit_id="3-0302", start=D(2026, 11, 15)),
        Owner(relation_id="R5", party_id="P5", unit_id="5-0101", start=SINCE),
        Tenant(relation_id="R6", party_id="P2", unit_id="5-0101", start=SINCE, lease_id="L2"),
    ],
)


def notice(kind: NoticeKind = NoticeKind.SERVICE_REMINDER, **changes: object) -> Notice:
    values: dict[str, object] = {
        "notice_id": "N-1",
        "kind": kind,
        "title": "电梯年检",
        "body": "12月5日上午电梯年检，请走楼梯。",
        "issued_at": AT,
        "audience": InBuildings(["3"]),
    }
    values.update(changes)
    return Notice(**values)  # type: ignore[arg-type]


# -- kinds and their rules -------------------------------------------------------------------


def water_outage(starts_at: pendulum.DateTime, *, emergency: bool = False) -> PlannedOutage:
    return PlannedOutage(
        Utility.WATER,
        "3号楼",
        starts_at=starts_at,
        ends_at=starts_at.add(hours=4),
        announced_at=AT,
        reason="二次供水水箱清洗",
        emergency=emergency,
    )


def test_an_outage_notice_a_day_ahead_meets_the_24_hour_rule() -> None:
    """§3: planned outages are announced at least 24 hours ahead; sla's rule decides."""
    checked = check_notice(notice(NoticeKind.PLANNED_OUTAGE, outage=water_outage(AT.add(days=1))))
    assert (checked.notice_seconds, checked.required_seconds) == (86_400, 86_400)
    assert "24 hours ahead" in checked.explain("en_US")
    assert "提前24小时" in checked.explain("zh_CN")


def test_an_outage_notice_counts_from_the_notice_not_the_outage_record() -> None:
    """The notice is the announcement: issued late, it is late whatever the outage says."""
    late = notice(
        NoticeKind.PLANNED_OUTAGE, outage=water_outage(AT.add(days=1)), issued_at=AT.add(hours=3)
    )
    with pytest.raises(OutageNoticeTooShort, match="21 hours ahead"):
        check_notice(late)


def test_an_emergency_may_be_announced_late_and_says_so() -> None:
    burst = notice(
        NoticeKind.EMERGENCY, outage=water_outage(AT.add(hours=1), emergency=True), title="紧急停水"
    )
    assert "emergency" in check_notice(burst).explain("en_US")


def tariff(effective: pendulum.Date) -> TariffVersion:
    return TariffVersion(
        "2027",
        effective_from=effective,
        announced_on=DAY,
        approval=Approval(Approver.OWNERS_COMMITTEE, "业委会决议2026-9", D(2026, 11, 20)),
        charges={
            PropertyType.RESIDENTIAL: (AreaCharge("MGMT", "物业服务费", Money("2.80")),),
        },
    )


def test_a_fee_adjustment_is_announced_30_days_ahead_and_needs_a_receipt() -> None:
    """§2: notice before the fee applies (billing's tariff rule); §7: proven delivered."""
    checked = check_notice(notice(NoticeKind.FEE_ADJUSTMENT, tariff=tariff(D(2027, 1, 1))))
    assert (checked.tariff_notice_days, checked.tariff_required_days) == (31, 30)
    assert checked.needs_receipt
    with pytest.raises(TariffNoticeTooShort):
        check_notice(notice(NoticeKind.FEE_ADJUSTMENT, tariff=tariff(D(2026, 12, 20))))


@pytest.mark.parametrize(
    ("kind", "missing"),
    [
        (NoticeKind.PLANNED_OUTAGE, "outage"),
        (NoticeKind.FEE_ADJUSTMENT, "tariff"),
        (NoticeKind.MEETING, "event_at"),
        (NoticeKind.COMMUNITY_ACTIVITY, "event_at"),
    ],
)
def test_a_kind_refuses_a_notice_without_its_facts(kind: NoticeKind, missing: str) -> None:
    with pytest.raises(InvalidNotice) as raised:
        notice(kind)
    assert raised.value.field == missing


def test_a_reminder_carries_no_outage_or_tariff() -> None:
    with pytest.raises(InvalidNotice, match="carries an outage"):
        notice(outage=water_outage(AT.add(days=2)))


def test_which_kinds_need_receipts_is_policy() -> None:
    policy = NoticePolicy(receipt_kinds=[NoticeKind.SERVICE_REMINDER])
    assert policy.needs_receipt(notice())
    assert not NoticePolicy().needs_receipt(notice())


# -- audiences -------------------------------------------------------------------------------


def test_a_building_reaches_owners_and_occupants_on_the_day() -> None:
    """Building 3 on 1 December: P1 owns, P3 rents 3-0301; P4 has bought 3-0302 from P2."""
    audience = resolve_audience(InBuildings(["3"]), BOOK, DAY)
    assert audience.party_ids == ("P1", "P3", "P4")
    (p3,) = (r for r in audience.recipients if r.party_id == "P3")
    assert p3.explain("en_US") == "P3: tenant of 3-0301 in building 3"


def test_the_same_rule_on_an_earlier_day_reaches_the_old_owner() -> None:
    """Resolved as of a date: before the sale, P2 owned 3-0302; before the lease, no P3."""
    assert resolve_audience(InBuildings(["3"]), BOOK, D(2026, 5, 1)).party_ids == ("P1", "P2")


def test_owners_only() -> None:
    audience = resolve_audience(Everyone(roles=[RelationKind.OWNER]), BOOK, DAY)
    assert audience.party_ids == ("P1", "P4", "P5")


def test_a_party_reached_twice_is_one_recipient_with_both_reasons() -> None:
    """P2 is on the list and lives in 5-0101: one message, two reasons."""
    rule = AnyAudience([Listed(["P2"]), InBuildings(["5"])])
    audience = resolve_audience(rule, BOOK, DAY)
    (p2,) = (r for r in audience.recipients if r.party_id == "P2")
    assert [reason.rule for reason in p2.reasons] == ["Listed", "InBuildings"]
    assert p2.unit_ids == ("5-0101",)
    assert "名单指定" in p2.explain()


def test_a_segment_is_its_members_on_the_day() -> None:
    history = SegmentHistory("late_payers").observe(
        D(2026, 11, 1), {"P1": Outcome.MATCH, "P5": Outcome.NO_MATCH}
    )
    history = history.observe(D(2026, 12, 1), {"P1": Outcome.NO_MATCH, "P5": Outcome.MATCH})
    rule = InSegment("late_payers")
    segments = {"late_payers": history}
    assert resolve_audience(rule, BOOK, D(2026, 11, 20), segments=segments).party_ids == ("P1",)
    assert resolve_audience(rule, BOOK, DAY, segments=segments).party_ids == ("P5",)


def test_a_segment_without_its_history_is_refused_not_empty() -> None:
    """An audience that silently resolves to nobody is a notice nobody gets."""
    with pytest.raises(InvalidAudience, match="pass its history"):
        resolve_audience(InSegment("late_payers"), BOOK, DAY)


def test_arrears_reach_whoever_pays_for_the_unit() -> None:
    arrears = {"3-0301": Money("1200.00"), "5-0101": Money("50.00")}
    rule = InArrears(min_owed=Money("100.00"))
    audience = resolve_audience(rule, BOOK, DAY, arrears=arrears)
    assert audience.party_ids == ("P1",)
    assert "¥1,200.00" in audience.recipients[0].explain("en_US")
    with pytest.raises(InvalidAudience, match="arrears="):
        resolve_audience(rule, BOOK, DAY)


def test_a_listed_party_unknown_to_the_book_is_refused() -> None:
    with pytest.raises(UnknownRecord):
        resolve_audience(Listed(["P9"]), BOOK, DAY)


# -- delivery and receipts -------------------------------------------------------------------


def event(
    party: str, status: DeliveryStatus, minutes: int, channel: DeliveryChannel = DeliveryChannel.SMS
) -> DeliveryEvent:
    return DeliveryEvent(
        "N-1", party, channel, status, AT.add(minutes=minutes), reference=f"m{minutes}"
    )


def test_statuses_only_move_forward_and_a_failure_may_be_retried() -> None:
    log = DeliveryLog("N-1")
    log = log.record(event("P1", DeliveryStatus.SENT, 0)).record(
        event("P1", DeliveryStatus.FAILED, 1)
    )
    log = log.record(event("P1", DeliveryStatus.SENT, 5)).record(
        event("P1", DeliveryStatus.READ, 9)
    )
    assert log.status("P1", DeliveryChannel.SMS) is DeliveryStatus.READ
    with pytest.raises(DeliveryOutOfOrder, match="read cannot be followed by delivered"):
        log.record(event("P1", DeliveryStatus.DELIVERED, 10))
    with pytest.raises(DeliveryOutOfOrder, match="earlier than the last one"):
        log.record(event("P1", DeliveryStatus.SENT, 2, DeliveryChannel.SMS))


def test_an_owners_meeting_is_proven_delivered_recipient_by_recipient() -> None:
    """Art. 278: a meeting's notice must reach the owners; sent is not proof, delivered is."""
    meeting = notice(
        NoticeKind.MEETING,
        title="业主大会会议通知",
        audience=Everyone(roles=[RelationKind.OWNER]),
        event_at=AT.add(days=15),
        place="小区会所",
    )
    audience = resolve_audience(meeting.audience, BOOK, DAY)
    log = DeliveryLog("N-1")
    log = log.record(event("P1", DeliveryStatus.SENT, 0)).record(
        event("P1", DeliveryStatus.DELIVERED, 1)
    )
    log = log.record(event("P4", DeliveryStatus.SENT, 0))
    log = log.record(event("P5", DeliveryStatus.READ, 3, DeliveryChannel.WECHAT))
    receipt = delivery_receipt(meeting, audience, log)
    assert receipt.needs_receipt
    assert [(e.party_id, e.channel, e.reference) for e in receipt.proofs] == [
        ("P1", DeliveryChannel.SMS, "m1"),
        ("P5", DeliveryChannel.WECHAT, "m3"),
    ]
    assert receipt.unproven == ("P4",)
    assert not receipt.complete
    assert receipt.explain("en_US") == "N-1: 2 of 3 recipients proven; not yet: P4"
    assert log.counts()[DeliveryChannel.SMS, DeliveryStatus.SENT] == 1


@FEW
@given(log=delivery_logs())
def test_a_log_replayed_from_its_events_is_the_same_log(log: DeliveryLog) -> None:
    """Property: every log the operations build is valid as a whole, and statuses never regress."""
    assert DeliveryLog(log.notice_id, log.events) == log
    for party in {e.party_id for e in log.events}:
        for channel in DeliveryChannel:
            statuses = [e.status for e in log.events if (e.party_id, e.channel) == (party, channel)]
            for before, after in itertools.pairwise(statuses):
                assert before is not DeliveryStatus.READ
                assert (before, after) != (DeliveryStatus.DELIVERED, DeliveryStatus.SENT)


# -- rendering -------------------------------------------------------------------------------

SMS = SmsPolicy(signature="【阳光物业】", max_parts=2)


def test_a_short_notice_is_one_sms_with_its_signature() -> None:
    sms = render_sms(notice(), SMS)
    assert sms.text.startswith("【阳光物业】电梯年检：")
    assert (sms.parts, sms.characters) == (1, len(sms.text))


def test_a_longer_notice_is_counted_in_67_character_parts() -> None:
    """Past 70 characters a Chinese SMS is sent in parts of 67."""
    sms = render_sms(notice(body="请" * 100), SMS)
    assert (sms.characters, sms.parts) == (111, 2)
    with pytest.raises(RenderRefused, match="at most 2 \\(134 characters\\)"):
        render_sms(notice(body="请" * 130), SMS)


def test_an_english_notice_is_counted_the_same_way() -> None:
    """The 【】 signature is outside the 7-bit alphabet: English text is UCS-2 too."""
    sms = render_sms(
        notice(title="Lift check", body="x" * 60), SmsPolicy(signature="【Sunrise】", max_parts=2)
    )
    assert (sms.characters, sms.parts) == (80, 2)


TEMPLATE = WeChatTemplate(
    "tmpl-001",
    [
        TemplateField("thing1", NoticeField.TITLE, FieldKind.THING),
        TemplateField("thing2", NoticeField.BODY, FieldKind.THING),
        TemplateField("time3", NoticeField.EVENT_AT, FieldKind.TIME),
        TemplateField("phrase4", NoticeField.KIND, FieldKind.PHRASE),
    ],
)


def test_wechat_fields_are_filled_within_their_limits() -> None:
    """A thing over 20 characters is shortened and reported; a time is written in Chinese."""
    meeting = notice(
        NoticeKind.MEETING,
        event_at=AT.add(days=7),
        place="会所",
        title="业主大会",
        body="审议物业服务费调整方案和维修资金使用方案，请业主准时参加。",
    )
    message = render_wechat(meeting, TEMPLATE)
    values = dict(message.values)
    assert values["thing1"] == "业主大会"
    assert len(values["thing2"]) == 20
    assert values["thing2"].endswith("…")
    assert values["time3"] == "2026年12月08日 09:00"
    assert values["phrase4"] == "会议通知"
    assert message.shortened == ("thing2",)
    assert message.payload()["data"] == {k: {"value": v} for k, v in message.values}  # type: ignore[index]


def test_wechat_refuses_what_it_may_not_shorten_or_does_not_have() -> None:
    with pytest.raises(RenderRefused, match="event_at"):
        render_wechat(notice(), TEMPLATE)
    strict = attrs.evolve(TEMPLATE, shorten=False)
    meeting = notice(NoticeKind.MEETING, event_at=AT.add(days=7), place="会所", body="请" * 21)
    with pytest.raises(RenderRefused, match="at most 20"):
        render_wechat(meeting, strict)


# -- community activities --------------------------------------------------------------------

WALK = Activity(
    activity_id="A-1",
    title="重阳节登山",
    starts_at=AT.add(days=10),
    ends_at=AT.add(days=10, hours=3),
    capacity=2,
    signup_closes_at=AT.add(days=9),
)


def test_sign_ups_past_capacity_wait_and_move_up_in_order() -> None:
    roster = ActivityRoster(WALK)
    for n, party in enumerate(["P1", "P2", "P3", "P4"]):
        roster = roster.sign_up(party, AT.add(minutes=n))
    assert (roster.confirmed, roster.waiting) == (("P1", "P2"), ("P3", "P4"))
    roster = roster.cancel("P2", AT.add(hours=1))
    assert (roster.confirmed, roster.waiting) == (("P1", "P3"), ("P4",))


def test_sign_up_is_refused_twice_or_after_closing() -> None:
    roster = ActivityRoster(WALK).sign_up("P1", AT)
    with pytest.raises(SignUpRefused, match="already"):
        roster.sign_up("P1", AT.add(minutes=1))
    with pytest.raises(SignUpRefused, match="closed"):
        roster.sign_up("P2", AT.add(days=9, minutes=1))


def test_attendance_is_for_those_with_a_place_and_becomes_history() -> None:
    roster = ActivityRoster(WALK)
    for n, party in enumerate(["P1", "P2", "P3"]):
        roster = roster.sign_up(party, AT.add(minutes=n))
    with pytest.raises(SignUpRefused, match="no place"):
        roster.attend("P3")
    roster = roster.attend("P1").attend("P2", attended=False)
    history = activity_history([roster])
    assert [p.status for p in history["P1"]] == [SignUpStatus.ATTENDED]
    assert [p.status for p in history["P2"]] == [SignUpStatus.NO_SHOW]
    assert [p.status for p in history["P3"]] == [SignUpStatus.WAITING]


@FEW
@given(roster=activity_rosters())
def test_a_roster_never_exceeds_capacity_and_waits_only_when_full(roster: ActivityRoster) -> None:
    """Property: places never above capacity; nobody waits while a place is free."""
    assert len(roster.confirmed) <= roster.activity.capacity
    if roster.waiting:
        assert len(roster.confirmed) == roster.activity.capacity
    assert ActivityRoster(roster.activity, roster.signups) == roster
