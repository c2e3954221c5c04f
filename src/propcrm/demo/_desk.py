"""The demo's service desk at work: callbacks, a refused booking, a suggested fix, a notice.

A Tuesday in November 2026 at 阳光花园's desk, on the community's own parties:

- two callbacks promised on the hotline, one kept that afternoon and one missed (as the desk
  sees them the next morning);
- a home visit that clashes with the plumber's previous job in another building, refused with
  the conflict and the next free slots;
- a leak reported at intake, with the solution base's best match and why it matched;
- the owners' meeting notice resolved to its audience as of the day, delivered by SMS, and the
  receipt that says who is proven to have received it.
"""

from __future__ import annotations

from typing import cast

import pendulum

from propcrm._i18n import LocaleLike, check_locale, gettext
from propcrm.classification import Category, Location
from propcrm.complaints import Intake, IntakeChannel, RequestKind
from propcrm.contacts import (
    Callback,
    Channel,
    Contact,
    ContactLog,
    ContactOutcome,
    Direction,
    Purpose,
    callback_states,
)
from propcrm.demo._parties import sample_book
from propcrm.errors import BookingConflict
from propcrm.notices import (
    DeliveryChannel,
    DeliveryEvent,
    DeliveryLog,
    DeliveryStatus,
    Everyone,
    Notice,
    NoticeKind,
    check_notice,
    delivery_receipt,
    resolve_audience,
)
from propcrm.parties import PartyBook, RelationKind
from propcrm.schedules import (
    Appointment,
    AppointmentKind,
    BookingPolicy,
    Clash,
    Schedule,
    Slot,
    StaffCalendar,
)
from propcrm.sla import BusinessCalendar, CalendarSet
from propcrm.solutions import (
    BigramSegmenter,
    SolutionBase,
    SolutionEntry,
    SolutionIndex,
    suggest,
)
from propcrm.time import DEFAULT_ZONE

__all__ = ["run_desk"]

_TUESDAY = pendulum.datetime(2026, 11, 24, 9, 30, tz=DEFAULT_ZONE)


def _calendars() -> CalendarSet:
    return CalendarSet((BusinessCalendar.always(), BusinessCalendar.china_service_hours()))


def _hotline(contact_id: str, minutes: int, party_id: str, unit_id: str) -> Contact:
    return Contact(
        contact_id=contact_id,
        at=_TUESDAY.add(minutes=minutes),
        channel=Channel.HOTLINE,
        direction=Direction.INBOUND,
        purpose=Purpose.FEES,
        outcome=ContactOutcome.CALLBACK_PROMISED,
        staff="KF-01",
        party_id=party_id,
        unit_id=unit_id,
        duration_seconds=150,
        callback=Callback(f"CB-{contact_id}"),
    )


def _callbacks(locale: str) -> list[str]:
    """Two callbacks promised the same morning; the desk keeps one by 17:30 and not the other."""
    log = ContactLog(
        [_hotline("C-01", 0, "P01", "1-2-0301"), _hotline("C-02", 20, "P04", "1-2-0302")]
    )
    log = log.add(
        Contact(
            contact_id="C-03",
            at=_TUESDAY.replace(hour=15, minute=10),
            channel=Channel.HOTLINE,
            direction=Direction.OUTBOUND,
            purpose=Purpose.CALLBACK,
            outcome=ContactOutcome.RESOLVED,
            staff="KF-01",
            party_id="P01",
            keeps="CB-C-01",
        )
    )
    # A callback due at the close of service hours is late only once the next window opens:
    # the desk's report on Wednesday morning is the first to call it missed.
    wednesday = _TUESDAY.add(days=1).replace(hour=9, minute=0)
    states = callback_states(log, _calendars(), as_of=wednesday)
    heading = gettext(
        "Callbacks promised on the hotline, as of %(time)s",
        locale=locale,
        time=wednesday.format("YYYY-MM-DD HH:mm"),
    )
    return [heading] + [f"    {state.explain(locale)}" for state in states]


def _booking(locale: str) -> list[str]:
    """A home visit that leaves the plumber too little time to cross to another building."""
    nine = _TUESDAY.replace(hour=9, minute=0)

    def visit(appointment_id: str, start: pendulum.DateTime, building: str) -> Appointment:
        return Appointment(
            appointment_id=appointment_id,
            kind=AppointmentKind.HOME_VISIT,
            start=start,
            end=start.add(hours=1),
            attendees=["W-07"],
            building=building,
            party_id="P01",
        )

    calendars = _calendars()
    policy = BookingPolicy(travel_gap_seconds=20 * 60)
    schedule = Schedule([StaffCalendar("W-07", teams=["repair"])])
    schedule = schedule.book(visit("A-01", nine, "1"), calendars, policy)
    rows = [gettext("A booking refused, with the next free slots", locale=locale)]
    try:
        schedule.book(visit("A-02", nine.add(minutes=70), "S"), calendars, policy)
    except BookingConflict as refused:
        # The error carries its conflicts and proposals as data: the desk reads them, not text.
        conflicts = cast("tuple[Clash, ...]", refused.context["conflicts"])
        proposals = cast("tuple[Slot, ...]", refused.context["proposals"])
        rows.extend(f"    {clash.explain(locale)}" for clash in conflicts)
        rows.append(
            "    "
            + gettext(
                "next free slots: %(slots)s",
                locale=locale,
                slots=", ".join(slot.start.format("MM-DD HH:mm") for slot in proposals),
            )
        )
    return rows


def _solution(locale: str) -> list[str]:
    """A leak reported at intake; the base has seen the same one before."""
    written = _TUESDAY.subtract(months=2)
    base = SolutionBase()
    for n, (problem, cause, fix, category) in enumerate(
        [
            ("卫生间地漏反味", "存水弯干涸", "往地漏注水，加装防臭地漏芯", Category.BLOCKED_DRAIN),
            ("厨房水管漏水", "角阀老化", "关总阀，更换角阀和密封圈", Category.WATER_LEAK),
            ("电梯门关不上", "光幕脏污", "清洁光幕，调整门机", Category.LIFT_FAULT),
        ],
        start=1,
    ):
        entry = SolutionEntry(
            entry_id=f"KB-{n}",
            problem=problem,
            cause=cause,
            fix=fix,
            category=category,
            author="W-07",
            written_at=written,
        )
        base = base.add(entry).approve(f"KB-{n}", 1, approver="S-01", at=written.add(hours=2))
    # Bigrams, not jieba-rs, so that the demo reads the same with or without propcrm[search].
    index = SolutionIndex.build(base, segmenter=BigramSegmenter())
    intake = Intake(
        request_id="R-06",
        kind=RequestKind.REPAIR,
        requester="P03",
        unit="1-2-0302",
        channel=IntakeChannel.HOTLINE,
        category=Category.WATER_LEAK,
        location=Location.IN_HOME,
        description="厨房水池下面的水管在漏水",
    )
    best = suggest(intake, index, limit=1)
    rows = [
        gettext(
            "Intake %(request)s “%(description)s”: the solution base suggests",
            locale=locale,
            request=intake.request_id,
            description=intake.description,
        )
    ]
    for match in best:
        rows.append(f"    {match.explain(locale)}")
        rows.append(f"    {match.entry.fix}")
    return rows


def _notice(locale: str, book: PartyBook) -> list[str]:
    """The owners' meeting notice: its rule, its audience on the day, and proof of delivery."""
    at = pendulum.datetime(2026, 12, 1, 9, tz=DEFAULT_ZONE)
    meeting = Notice(
        notice_id="N-08",
        kind=NoticeKind.MEETING,
        title="业主大会会议通知",
        body="12月20日19:00在会所召开业主大会，审议物业服务费调整方案。",
        issued_at=at,
        audience=Everyone(roles=[RelationKind.OWNER]),
        event_at=at.add(days=19),
        place="会所",
    )
    owners = resolve_audience(meeting.audience, book, at.date())
    log = DeliveryLog(meeting.notice_id)
    # What the SMS gateway reported back: every owner was sent the text, and all but the last
    # delivery report have come in.
    for n, party_id in enumerate(owners.party_ids):
        log = log.record(
            DeliveryEvent(meeting.notice_id, party_id, DeliveryChannel.SMS, DeliveryStatus.SENT, at)
        )
        if n < len(owners) - 1:
            log = log.record(
                DeliveryEvent(
                    meeting.notice_id,
                    party_id,
                    DeliveryChannel.SMS,
                    DeliveryStatus.DELIVERED,
                    at.add(minutes=1),
                )
            )
    rows = [
        gettext("A notice delivered to its audience", locale=locale),
        f"    {check_notice(meeting).explain(locale)}",
    ]
    rows.extend(f"    {recipient.explain(locale)}" for recipient in owners.recipients)
    rows.append(f"    {delivery_receipt(meeting, owners, log).explain(locale)}")
    return rows


def run_desk(locale: LocaleLike = "zh_CN", book: PartyBook | None = None) -> str:
    """The desk's scenes: callbacks kept and missed, a refused booking, a fix, a notice.

    The notice's audience is resolved in the party book, the sample's unless given.
    """
    name = check_locale(locale)
    rows = [gettext("The service desk at work", locale=name)]
    for scene in (_callbacks, _booking, _solution):
        rows.extend(scene(name))
    rows.extend(_notice(name, sample_book() if book is None else book))
    return "\n".join(rows)
