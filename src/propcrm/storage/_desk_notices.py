"""Notices and community activities, stored: notices, their audiences and delivery, rosters.

A notice is added once. Its audience, resolved when it was sent, is stored once with it, so the
receipt proves delivery to the people it was sent to, not to those the party book names today.
Each delivery event the caller feeds back is one entry, numbered per recipient and channel: two
events racing for the same place are refused (:class:`~propcrm.errors.ConcurrencyConflict`),
and one that does not follow the last (delivered, then sent) is refused as
:class:`~propcrm.notices.DeliveryLog` refuses it.

An activity's roster is a versioned entry: a sign-up is saved at the version read, so two
clerks giving away the last place at once cannot both succeed and the capacity and waiting list
hold. Each party's part in each activity is indexed by party for segmentation.

>>> from propcrm.notices import (
...     DeliveryChannel,
...     DeliveryEvent,
...     DeliveryStatus,
...     Listed,
...     Notice,
...     NoticeKind,
...     resolve_audience,
... )
>>> from propcrm.parties import PartyBook, Person
>>> from propcrm.personal_data import PersonName
>>> from propcrm.storage import MemoryStore
>>> book = PartyBook(
...     parties=[
...         Person(party_id="P1", name=PersonName("王伟")),
...         Person(party_id="P2", name=PersonName("李娜")),
...     ]
... )
>>> at = pendulum.datetime(2026, 12, 1, 9, 0, tz="Asia/Shanghai")
>>> notice = Notice(
...     notice_id="N-7",
...     kind=NoticeKind.SERVICE_REMINDER,
...     title="冬季防冻提醒",
...     body="请关好门窗，做好水管保温。",
...     issued_at=at,
...     audience=Listed(["P1", "P2"]),
... )
>>> store = MemoryStore()
>>> with store() as uow:
...     uow.notices.add("SUNRISE", notice)
...     uow.notices.add_audience("N-7", resolve_audience(notice.audience, book, at.date()))
...     uow.notices.record(
...         DeliveryEvent("N-7", "P1", DeliveryChannel.SMS, DeliveryStatus.DELIVERED, at)
...     )
...     uow.commit()
True
True
True
>>> with store() as uow:
...     print(uow.notices.receipt("N-7").explain("en_US"))
N-7: 1 of 2 recipients proven; not yet: P2
"""

from __future__ import annotations

import datetime
from typing import Protocol

from propcrm._validators import check_instance
from propcrm.errors import InvalidNotice, RecordExists, SignUpRefused
from propcrm.notices import (
    DEFAULT_NOTICE_POLICY,
    Activity,
    ActivityRoster,
    Audience,
    DeliveryEvent,
    DeliveryLog,
    DeliveryReceipt,
    Notice,
    NoticePolicy,
    Participation,
    delivery_receipt,
)
from propcrm.storage._desk import timeline
from propcrm.storage._entries import Entries, EntryRows, sortable
from propcrm.storage._values import Page, Versioned, check_key
from propcrm.time import aware

__all__ = ["Activities", "ActivityRepository", "NoticeRepository", "Notices"]


class NoticeRepository(Protocol):
    """Notices to residents: each added once, its audience as resolved, its delivery events.

    Notice ids are the store's (a delivery event names its notice by id alone).
    """

    def add(self, community: str, notice: Notice) -> bool:
        """Store ``notice``; ``False`` if the same is stored, refused if its id is taken."""
        ...

    def get(self, notice_id: str) -> Notice:
        """The notice with that id; :class:`~propcrm.errors.RecordNotFound` if none."""
        ...

    def issued(
        self,
        community: str,
        since: datetime.datetime,
        until: datetime.datetime,
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Notice]:
        """The community's notices issued in ``[since, until)``, in order of issue."""
        ...

    def add_audience(self, notice_id: str, audience: Audience) -> bool:
        """Store the audience the notice was sent to (resolved as of a day), once."""
        ...

    def audience(self, notice_id: str) -> Audience:
        """The audience stored for the notice; :class:`~propcrm.errors.RecordNotFound` if none."""
        ...

    def record(self, event: DeliveryEvent) -> bool:
        """Record what a channel reported; ``False`` if that event is recorded already.

        Refused (:class:`~propcrm.errors.DeliveryOutOfOrder`) if it does not follow the
        recipient's last event on the channel, and if its notice is not stored.
        """
        ...

    def deliveries(self, notice_id: str) -> DeliveryLog:
        """The notice's delivery log, as recorded."""
        ...

    def receipt(
        self,
        notice_id: str,
        *,
        audience: Audience | None = None,
        policy: NoticePolicy = DEFAULT_NOTICE_POLICY,
    ) -> DeliveryReceipt:
        """Who is proven to have received the notice, of ``audience`` (default: the stored one)."""
        ...


class ActivityRepository(Protocol):
    """A community's activities: each roster a versioned entry, each party's part indexed.

    Sign up, cancel and record attendance on the :class:`~propcrm.notices.ActivityRoster`
    read, then :meth:`save` it at the version read: a roster saved meanwhile by another clerk
    refuses the save, so the capacity and the waiting list hold.
    """

    def add(self, community: str, activity: Activity) -> bool:
        """Store a new activity with an empty roster; ``False`` if the same is stored."""
        ...

    def roster(self, community: str, activity_id: str) -> Versioned[ActivityRoster]:
        """The activity's roster and its version."""
        ...

    def save(self, community: str, roster: ActivityRoster, expected_version: int) -> int:
        """Store the roster read at ``expected_version`` and changed; the new version.

        A roster keeps every sign-up (a cancellation is a status): one that drops any is
        refused.
        """
        ...

    def rosters(
        self, community: str, since: datetime.datetime, until: datetime.datetime
    ) -> tuple[ActivityRoster, ...]:
        """The rosters of the activities starting in ``[since, until)``, in order of start.

        What :func:`~propcrm.notices.activity_history` reads for a whole community.
        """
        ...

    def history(self, party_id: str) -> tuple[Participation, ...]:
        """A party's part in every activity, earliest first: what segmentation reads."""
        ...


class Notices:
    def __init__(self, uow: EntryRows) -> None:
        # Scope: the community; subject: the kind; at: the issue.
        self._notices = Entries(uow, "desk.notice", Notice, "notice")
        self._audiences = Entries(uow, "desk.notice.audience", Audience, "notice audience")
        # Scope: the notice; subject: the recipient; at: the event; key: numbered per channel.
        self._events = Entries(uow, "desk.notice.delivery", DeliveryEvent, "delivery event")

    def add(self, community: str, notice: Notice) -> bool:
        check_key(community, "community")
        check_instance(notice, "notice", Notice, error=InvalidNotice)
        stored = self._notices.read(notice.notice_id)
        if stored is not None and stored.scope != community:
            raise RecordExists(
                f"notice {notice.notice_id} is stored already, for {stored.scope}; a notice id "
                "names one notice in the store.",
                field="notice_id",
                value=notice.notice_id,
                stored=stored.scope,
            )
        return self._notices.add(
            notice.notice_id,
            notice,
            scope=community,
            subject=notice.kind.value,
            at=sortable(notice.issued_at),
        )

    def get(self, notice_id: str) -> Notice:
        return self._notices.get(check_key(notice_id, "notice_id")).value

    def issued(
        self,
        community: str,
        since: datetime.datetime,
        until: datetime.datetime,
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Notice]:
        return timeline(
            self._notices,
            "notices issued",
            scope=check_key(community, "community"),
            since=aware(since, field="since"),
            until=aware(until, field="until"),
            limit=limit,
            after=after,
        )

    def add_audience(self, notice_id: str, audience: Audience) -> bool:
        notice = self.get(notice_id)
        check_instance(audience, "audience", Audience, error=InvalidNotice)
        if audience.rule != notice.audience:
            raise InvalidNotice(
                f"the audience was resolved from {audience.rule!r}, not from notice "
                f"{notice_id}'s rule {notice.audience!r}.",
                field="audience",
                value=audience.rule,
                allowed=repr(notice.audience),
            )
        return self._audiences.add(notice_id, audience, scope=notice_id, at=sortable(audience.on))

    def audience(self, notice_id: str) -> Audience:
        return self._audiences.get(check_key(notice_id, "notice_id")).value

    def record(self, event: DeliveryEvent) -> bool:
        check_instance(event, "event", DeliveryEvent, error=InvalidNotice)
        self.get(event.notice_id)
        before = [
            e.value
            for e in sorted(
                self._events.find(scope=event.notice_id, subject=event.party_id),
                key=lambda e: e.key,
            )
            if e.value.channel is event.channel
        ]
        if event in before:
            return False
        DeliveryLog(event.notice_id, (*before, event))  # refuses an event out of order
        # The place of the event among the recipient's on the channel: two units recording the
        # next event at once both take this key, and the second is refused.
        key = (event.notice_id, event.party_id, event.channel.value, f"{len(before) + 1:06d}")
        self._events.put(
            key, event, 0, scope=event.notice_id, subject=event.party_id, at=sortable(event.at)
        )
        return True

    def deliveries(self, notice_id: str) -> DeliveryLog:
        check_key(notice_id, "notice_id")
        return DeliveryLog(notice_id, (e.value for e in self._events.find(scope=notice_id)))

    def receipt(
        self,
        notice_id: str,
        *,
        audience: Audience | None = None,
        policy: NoticePolicy = DEFAULT_NOTICE_POLICY,
    ) -> DeliveryReceipt:
        notice = self.get(notice_id)
        sent_to = self.audience(notice_id) if audience is None else audience
        return delivery_receipt(notice, sent_to, self.deliveries(notice_id), policy=policy)


class Activities:
    def __init__(self, uow: EntryRows) -> None:
        # Scope: the community; at: the activity's start.
        self._rosters = Entries(uow, "desk.activity", ActivityRoster, "activity")
        # Scope: the community; subject: the party; at: the activity's start.
        self._parts = Entries(uow, "desk.activity.party", Participation, "participation")

    def add(self, community: str, activity: Activity) -> bool:
        check_key(community, "community")
        check_instance(activity, "activity", Activity, error=InvalidNotice)
        stored = self._rosters.read((community, activity.activity_id))
        if stored is not None:
            if stored.value.activity == activity:
                return False
            raise RecordExists(
                f"activity {activity.activity_id} is stored already with other details; save "
                "its roster to change them.",
                field="activity_id",
                value=activity.activity_id,
                stored=stored.value.activity,
            )
        self._rosters.put(
            (community, activity.activity_id),
            ActivityRoster(activity),
            0,
            scope=community,
            at=sortable(activity.starts_at),
        )
        return True

    def roster(self, community: str, activity_id: str) -> Versioned[ActivityRoster]:
        return self._rosters.get(
            (check_key(community, "community"), check_key(activity_id, "activity_id"))
        )

    def save(self, community: str, roster: ActivityRoster, expected_version: int) -> int:
        check_instance(roster, "roster", ActivityRoster, error=InvalidNotice)
        activity = roster.activity
        stored = self.roster(community, activity.activity_id).value
        kept = {s.party_id for s in roster.signups}
        dropped = [s.party_id for s in stored.signups if s.party_id not in kept]
        if dropped:
            raise SignUpRefused(
                f"the roster of {activity.activity_id} drops {', '.join(dropped)}; a roster "
                "keeps every sign-up (cancel one instead).",
                field="roster",
                value=dropped,
                allowed="every stored sign-up",
            )
        version = self._rosters.put(
            (community, activity.activity_id),
            roster,
            expected_version,
            scope=community,
            at=sortable(activity.starts_at),
        )
        at = sortable(activity.starts_at)
        for signup in roster.signups:
            part = Participation(
                signup.party_id,
                activity.activity_id,
                activity.title,
                activity.starts_at,
                signup.status,
            )
            key = (community, activity.activity_id, signup.party_id)
            known = self._parts.read(key)
            if known is None or known.value != part:
                self._parts.put(
                    key,
                    part,
                    0 if known is None else known.version,
                    scope=community,
                    subject=signup.party_id,
                    at=at,
                )
        return version

    def rosters(
        self, community: str, since: datetime.datetime, until: datetime.datetime
    ) -> tuple[ActivityRoster, ...]:
        found = self._rosters.find(
            scope=check_key(community, "community"),
            since=sortable(aware(since, field="since")),
            until=sortable(aware(until, field="until")),
        )
        return tuple(e.value for e in found)

    def history(self, party_id: str) -> tuple[Participation, ...]:
        found = self._parts.find(subject=check_key(party_id, "party_id"))
        return tuple(sorted((e.value for e in found), key=lambda p: (p.starts_at, p.activity_id)))
