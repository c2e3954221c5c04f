"""The ballot box of one meeting: proxies registered and ballots accepted under the meeting's rules.

A :class:`BallotBox` holds a :class:`Meeting`, its :class:`Electorate`, the proxies and the
ballots; building one, or adding to it, refuses what the rules refuse, each with its own error:

* a ballot after the meeting's close instant: :class:`~propcrm.errors.LateBallot`;
* a second ballot of one owner on one motion cast the same way (two in person, or two under
  the proxy): :class:`~propcrm.errors.DuplicateBallot`, and a ballot id used twice too;
* a ballot before the opening, for a motion the meeting lacks, or from a party who owns nothing
  in the community on the meeting date: :class:`~propcrm.errors.BallotRefused`;
* a proxy ballot under an authorisation nobody registered, or registered for another owner, an
  authorisation registered twice, or a second authorisation from one owner:
  :class:`~propcrm.errors.ProxyRefused` (a written authorisation is used once, for its owner).

**An owner who votes in person overrides their proxy** on that motion, whichever came first: an
agent acts for the principal, who keeps the right to act himself (Civil Code art. 162), and the
owner's own act is the surest evidence of their will. Both ballots stay in the box; the tally
counts the owner's and lists the proxy's as set aside, with the reason (see ``_tally.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from propcrm._validators import check_instance, check_items, instance_of
from propcrm.assembly._electorate import Electorate
from propcrm.assembly._meetings import Ballot, Meeting, Proxy
from propcrm.errors import (
    BallotRefused,
    DuplicateBallot,
    InvalidMeeting,
    LateBallot,
    ProxyRefused,
)

__all__ = ["BallotBox"]


def _proxies(value: Iterable[Proxy]) -> tuple[Proxy, ...]:
    return check_items(value, "proxies", Proxy, error=ProxyRefused)


def _ballots(value: Iterable[Ballot]) -> tuple[Ballot, ...]:
    return check_items(value, "ballots", Ballot, error=BallotRefused)


def _check_proxies(proxies: tuple[Proxy, ...]) -> dict[str, Proxy]:
    by_reference: dict[str, Proxy] = {}
    by_owner: dict[str, Proxy] = {}
    for proxy in proxies:
        if proxy.authorisation in by_reference:
            raise ProxyRefused(
                f"authorisation {proxy.authorisation} is registered already (for owner "
                f"{by_reference[proxy.authorisation].owner_id}); a written authorisation is "
                "used once.",
                field="authorisation",
                value=proxy.authorisation,
                allowed="an authorisation not registered yet",
            )
        if proxy.owner_id in by_owner:
            raise ProxyRefused(
                f"owner {proxy.owner_id} has authorised {by_owner[proxy.owner_id].holder_id} "
                f"already ({by_owner[proxy.owner_id].authorisation}); an owner gives one "
                "authorisation per meeting.",
                field="owner_id",
                value=proxy.owner_id,
                allowed="an owner without an authorisation in this meeting",
            )
        by_reference[proxy.authorisation] = proxy
        by_owner[proxy.owner_id] = proxy
    return by_reference


def _check_ballots(box: BallotBox, proxies: dict[str, Proxy]) -> None:
    meeting = box.meeting
    motions = {m.motion_id for m in meeting.motions}
    electors = {e.party_id for e in box.electorate.electors}
    opens, closes = meeting.opens_at, meeting.closes_at
    ids: set[str] = set()
    seen: set[tuple[str, str, bool]] = set()
    for ballot in box.ballots:
        if ballot.ballot_id in ids:
            raise DuplicateBallot(
                f"ballot id {ballot.ballot_id} is in the box already.",
                field="ballot_id",
                value=ballot.ballot_id,
                allowed="a ballot id not used yet",
            )
        ids.add(ballot.ballot_id)
        if ballot.cast_at > closes:
            raise LateBallot(
                f"ballot {ballot.ballot_id} was cast at {ballot.cast_at.isoformat()}, after the "
                f"meeting closed at {closes.isoformat()}.",
                field="cast_at",
                value=ballot.cast_at,
                allowed=f"{opens.isoformat()} to {closes.isoformat()}",
                ballot_id=ballot.ballot_id,
            )
        if ballot.cast_at < opens:
            raise BallotRefused(
                f"ballot {ballot.ballot_id} was cast at {ballot.cast_at.isoformat()}, before the "
                f"meeting opened at {opens.isoformat()}.",
                field="cast_at",
                value=ballot.cast_at,
                allowed=f"{opens.isoformat()} to {closes.isoformat()}",
                ballot_id=ballot.ballot_id,
            )
        if ballot.motion_id not in motions:
            raise BallotRefused(
                f"ballot {ballot.ballot_id} is for motion {ballot.motion_id}, which meeting "
                f"{meeting.meeting_id} does not put to the vote.",
                field="motion_id",
                value=ballot.motion_id,
                allowed=", ".join(sorted(motions)),
                ballot_id=ballot.ballot_id,
            )
        if ballot.owner_id not in electors:
            raise BallotRefused(
                f"ballot {ballot.ballot_id}: {ballot.owner_id} owns no unit of "
                f"{box.electorate.community} on {box.electorate.as_of.isoformat()}, so cannot "
                "vote.",
                field="owner_id",
                value=ballot.owner_id,
                allowed="an owner of the community on the meeting date",
                ballot_id=ballot.ballot_id,
            )
        if ballot.proxy is not None:
            proxy = proxies.get(ballot.proxy)
            if proxy is None:
                raise ProxyRefused(
                    f"ballot {ballot.ballot_id} names authorisation {ballot.proxy}, which nobody "
                    "registered; register the written authorisation first.",
                    field="proxy",
                    value=ballot.proxy,
                    allowed="a registered authorisation",
                    ballot_id=ballot.ballot_id,
                )
            if proxy.owner_id != ballot.owner_id:
                raise ProxyRefused(
                    f"ballot {ballot.ballot_id} uses authorisation {ballot.proxy} for owner "
                    f"{ballot.owner_id}, but it was given by {proxy.owner_id}.",
                    field="proxy",
                    value=ballot.proxy,
                    allowed=f"an authorisation given by {ballot.owner_id}",
                    ballot_id=ballot.ballot_id,
                )
        key = (ballot.owner_id, ballot.motion_id, ballot.in_person)
        if key in seen:
            how = "in person" if ballot.in_person else f"under authorisation {ballot.proxy}"
            raise DuplicateBallot(
                f"ballot {ballot.ballot_id}: owner {ballot.owner_id} has voted on motion "
                f"{ballot.motion_id} {how} already; one ballot each way.",
                field="owner_id",
                value=ballot.owner_id,
                allowed="one ballot per owner and motion, in person or by proxy",
                ballot_id=ballot.ballot_id,
                motion_id=ballot.motion_id,
            )
        seen.add(key)


@attrs.frozen
class BallotBox:
    """A meeting's proxies and ballots, checked whole against the meeting and its electorate.

    ``electorate`` must be drawn for the meeting's community on its ``held_on`` date.
    """

    meeting: Meeting = attrs.field(validator=instance_of(Meeting))
    electorate: Electorate = attrs.field(validator=instance_of(Electorate))
    proxies: tuple[Proxy, ...] = attrs.field(default=(), converter=_proxies)
    ballots: tuple[Ballot, ...] = attrs.field(default=(), converter=_ballots)

    def __attrs_post_init__(self) -> None:
        meeting, voters = self.meeting, self.electorate
        if voters.community != meeting.community or voters.as_of != meeting.held_on:
            raise InvalidMeeting(
                f"the electorate of {voters.community} on {voters.as_of.isoformat()} is not "
                f"the one of meeting {meeting.meeting_id} ({meeting.community} on "
                f"{meeting.held_on.isoformat()}).",
                field="electorate",
                value=(voters.community, voters.as_of),
                allowed=f"the owners of {meeting.community} on {meeting.held_on.isoformat()}",
            )
        _check_ballots(self, _check_proxies(self.proxies))

    def with_proxy(self, proxy: Proxy) -> BallotBox:
        """This box with ``proxy`` registered (refused if its authorisation or owner is taken)."""
        check_instance(proxy, "proxy", Proxy, error=ProxyRefused)
        return attrs.evolve(self, proxies=(*self.proxies, proxy))

    def cast(self, *ballots: Ballot) -> BallotBox:
        """This box with ``ballots`` added, each checked (late, duplicate, proxy, owner)."""
        return attrs.evolve(self, ballots=(*self.ballots, *_ballots(ballots)))

    def proxy(self, authorisation: str) -> Proxy | None:
        """The proxy registered under ``authorisation``, if any."""
        return next((p for p in self.proxies if p.authorisation == authorisation), None)
