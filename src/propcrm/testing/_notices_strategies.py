"""Hypothesis strategies for notices: audience rules, notices, delivery logs, activity rosters.

Each is a plural noun with keyword-only bounds and shrinks towards the simplest value: the whole
community as audience, a service reminder issued at 2026-12-01 09:00 in Shanghai, an empty log,
an activity nobody has signed up for. Logs and rosters are grown through their own operations,
so every drawn value passes their rules.

>>> from hypothesis import given, settings
>>> @settings(max_examples=20, database=None)
... @given(activity_rosters())
... def test_never_over_capacity(roster):
...     assert len(roster.confirmed) <= roster.activity.capacity
>>> test_never_over_capacity()
"""

from __future__ import annotations

import pendulum
from hypothesis import strategies as st

from propcrm.money import Money
from propcrm.notices import (
    Activity,
    ActivityRoster,
    AnyAudience,
    AudienceRule,
    DeliveryChannel,
    DeliveryEvent,
    DeliveryLog,
    DeliveryStatus,
    Everyone,
    InArrears,
    InBuildings,
    InSegment,
    Listed,
    Notice,
    NoticeKind,
)
from propcrm.parties import RelationKind

__all__ = ["activity_rosters", "audience_rules", "delivery_logs", "notices"]

_ISSUED = pendulum.datetime(2026, 12, 1, 9, 0, tz="Asia/Shanghai")
_ROLES = [RelationKind.OWNER, RelationKind.TENANT, RelationKind.RESIDENT, RelationKind.MERCHANT]
_PARTIES = [f"P{n}" for n in range(1, 9)]


def _simple_rules() -> st.SearchStrategy[AudienceRule]:
    roles = st.sets(st.sampled_from(_ROLES), min_size=1).map(frozenset)
    return st.one_of(
        st.builds(Everyone, community=st.none() | st.just("SUNRISE"), roles=roles),
        st.builds(
            InBuildings,
            buildings=st.lists(st.sampled_from(["1", "2", "3", "5"]), min_size=1, max_size=3),
            roles=roles,
        ),
        st.builds(Listed, party_ids=st.lists(st.sampled_from(_PARTIES), min_size=1, max_size=4)),
        st.builds(InSegment, segment=st.sampled_from(["late_payers", "new_residents"])),
        st.builds(InArrears, min_owed=st.sampled_from(["0.01", "100.00", "1000.00"]).map(Money)),
    )


def audience_rules() -> st.SearchStrategy[AudienceRule]:
    """Audience rules of every kind, and unions of up to three of them."""
    simple = _simple_rules()
    return simple | st.builds(AnyAudience, st.lists(simple, min_size=1, max_size=3))


def notices(*, kinds: st.SearchStrategy[NoticeKind] | None = None) -> st.SearchStrategy[Notice]:
    """Notices of the kinds that need no outage or tariff (those are drawn by their own rules).

    Meetings and activities get a time and a place a week after the notice.
    """
    chosen = kinds or st.sampled_from(
        [
            NoticeKind.SERVICE_REMINDER,
            NoticeKind.EMERGENCY,
            NoticeKind.FEE_NOTICE,
            NoticeKind.MEETING,
            NoticeKind.COMMUNITY_ACTIVITY,
        ]
    )

    @st.composite
    def build(draw: st.DrawFn) -> Notice:
        kind = draw(chosen)
        issued = _ISSUED.add(hours=draw(st.integers(0, 72)))
        event = kind in {NoticeKind.MEETING, NoticeKind.COMMUNITY_ACTIVITY}
        return Notice(
            notice_id=f"N-{draw(st.integers(1, 999))}",
            kind=kind,
            title=draw(st.sampled_from(["电梯年检", "业主大会", "消防演练", "Fire drill"])),
            body=draw(st.sampled_from(["请相互转告。", "届时请配合。", "Please take part."])),
            issued_at=issued,
            audience=draw(audience_rules()),
            event_at=issued.add(days=7) if event else None,
            place="小区会所" if event else None,
        )

    return build()


def delivery_logs(*, notice_id: str = "N-1") -> st.SearchStrategy[DeliveryLog]:
    """Logs grown event by event: each recipient's statuses move forward, retries after failures."""

    @st.composite
    def build(draw: st.DrawFn) -> DeliveryLog:
        log = DeliveryLog(notice_id)
        at = _ISSUED
        for _ in range(draw(st.integers(0, 8))):
            party = draw(st.sampled_from(_PARTIES[:4]))
            channel = draw(st.sampled_from(DeliveryChannel))
            last = log.status(party, channel)
            following = {
                None: [DeliveryStatus.SENT, DeliveryStatus.DELIVERED],
                DeliveryStatus.SENT: [DeliveryStatus.DELIVERED, DeliveryStatus.FAILED],
                DeliveryStatus.DELIVERED: [DeliveryStatus.READ],
                DeliveryStatus.FAILED: [DeliveryStatus.SENT],
                DeliveryStatus.READ: [],
            }[last]
            if not following:
                continue
            at = at.add(seconds=draw(st.integers(0, 600)))
            status = draw(st.sampled_from(following))
            log = log.record(DeliveryEvent(notice_id, party, channel, status, at))
        return log

    return build()


def activity_rosters(*, max_capacity: int = 4) -> st.SearchStrategy[ActivityRoster]:
    """Rosters grown by sign-ups, cancellations and attendance, never over capacity."""

    @st.composite
    def build(draw: st.DrawFn) -> ActivityRoster:
        starts = _ISSUED.add(days=10)
        activity = Activity(
            activity_id="A-1",
            title="社区义诊",
            starts_at=starts,
            ends_at=starts.add(hours=2),
            capacity=draw(st.integers(1, max_capacity)),
            signup_closes_at=starts.subtract(days=1),
        )
        roster = ActivityRoster(activity)
        at = _ISSUED
        for party in draw(st.lists(st.sampled_from(_PARTIES), unique=True, max_size=6)):
            at = at.add(minutes=draw(st.integers(0, 60)))
            roster = roster.sign_up(party, at)
        for party in draw(st.lists(st.sampled_from(_PARTIES), unique=True, max_size=2)):
            if party in roster.confirmed or party in roster.waiting:
                roster = roster.cancel(party, at.add(minutes=1))
        for party in roster.confirmed:
            if draw(st.booleans()):
                roster = roster.attend(party, draw(st.booleans()))
        return roster

    return build()
