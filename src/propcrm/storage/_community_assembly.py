"""The owners' assembly and questionnaires, stored: meetings, ballot boxes, surveys, responses.

Both grow by what many clerks append at once (ballots at the polling desks, responses from the
app and the door-to-door round), so every ballot and every response is an entry of its own and
the box or survey is assembled when read. What the rules refuse is refused as
:meth:`~propcrm.assembly.BallotBox.cast` and :meth:`~propcrm.questionnaires.Survey.respond`
refuse it (the same error and message, since those methods check them), and a second entry in
a one-per-owner slot is refused across units of work too: each slot (an owner's ballot on a
motion in person, or by proxy; a party's n-th response) is a key of its own, which two clerks
cannot both take, so the second to commit gets :class:`~propcrm.errors.ConcurrencyConflict`.
"""

from __future__ import annotations

import datetime
from typing import Protocol

import attrs

from propcrm._validators import check_instance, check_int, check_items
from propcrm.assembly import Ballot, BallotBox, Elector, Electorate, Meeting, Proxy
from propcrm.errors import (
    BallotRefused,
    InvalidMeeting,
    InvalidQuestionnaire,
    QuestionnaireFrozen,
    ResponseRefused,
)
from propcrm.questionnaires import Questionnaire, Response, Survey
from propcrm.storage._entries import Entries, EntryRows, Key, compose, sortable
from propcrm.storage._values import Versioned, check_key, not_found
from propcrm.time import as_date, aware

__all__ = ["AssemblyRepository", "Meetings", "QuestionnaireRepository", "Questionnaires"]


class AssemblyRepository(Protocol):
    """The owners' assembly: meetings and their motions, ballot boxes, proxies and ballots.

    A meeting is planned and edited as a versioned entry until its ballot box opens; opening
    the box draws the electorate once (:func:`~propcrm.assembly.electorate` of the meeting
    date) and fixes the meeting. Proxies and ballots are then added one entry each, checked by
    the box's rules; :meth:`box` reads the :class:`~propcrm.assembly.BallotBox` back whole for
    :func:`~propcrm.assembly.tally`.
    """

    def save(self, meeting: Meeting, expected_version: int) -> int:
        """Store a planned meeting (0: new); refused once its box is open. The new version."""
        ...

    def get(self, community: str, meeting_id: str) -> Versioned[Meeting]:
        """The meeting; :class:`~propcrm.errors.RecordNotFound` if none."""
        ...

    def held(
        self, community: str, first: datetime.date, last: datetime.date
    ) -> tuple[Meeting, ...]:
        """The community's meetings held from ``first`` through ``last``, by date then id."""
        ...

    def open_box(self, box: BallotBox) -> bool:
        """Open ``box``: fix its meeting, store its electorate, proxies and ballots.

        ``False`` if the same box is open already; refused (:class:`InvalidMeeting`) if the
        meeting was saved since it was read, or another box is open for it.
        """
        ...

    def register_proxy(self, community: str, meeting_id: str, proxy: Proxy) -> bool:
        """Register a written authorisation; ``False`` if it is registered already.

        Refused as :meth:`BallotBox.with_proxy` refuses (an authorisation or an owner taken).
        """
        ...

    def cast(self, community: str, meeting_id: str, *ballots: Ballot) -> tuple[Ballot, ...]:
        """Add ``ballots`` to the open box; the ones stored now (the same ballot again is not).

        Refused whole, as :meth:`BallotBox.cast` refuses: late, early, duplicate, for another
        motion, from a non-owner, under an unknown or someone else's authorisation.
        """
        ...

    def box(self, community: str, meeting_id: str) -> BallotBox:
        """The box as stored: proxies by authorisation, ballots by the instant cast, then id."""
        ...


class QuestionnaireRepository(Protocol):
    """Questionnaires by version, surveys and their responses (the quarterly survey's store).

    A version is saved as a draft until it is saved published; from then it is frozen
    (:class:`~propcrm.errors.QuestionnaireFrozen`) and the next version is a new entry. A
    survey is added once with the version it puts; responses are then added one entry each,
    checked by the survey's rules; :meth:`survey` reads the
    :class:`~propcrm.questionnaires.Survey` back whole for
    :func:`~propcrm.questionnaires.results`.
    """

    def save(self, questionnaire: Questionnaire, expected_version: int) -> int:
        """Store a version (0: new); refused once that version is stored published."""
        ...

    def get(self, questionnaire_id: str, version: int | None = None) -> Versioned[Questionnaire]:
        """A version (the latest if ``version`` is None); ``RecordNotFound`` if none."""
        ...

    def versions(self, questionnaire_id: str) -> tuple[Questionnaire, ...]:
        """Every stored version, oldest first."""
        ...

    def add_survey(self, community: str, survey: Survey) -> bool:
        """Store a survey, its version (if not stored yet) and the responses it holds.

        ``False`` if the same survey is stored; refused if its id is taken or its
        questionnaire differs from the version stored.
        """
        ...

    def respond(self, community: str, survey_id: str, *responses: Response) -> tuple[Response, ...]:
        """Add ``responses``; the ones stored now (the same response again is not).

        Refused whole, as :meth:`Survey.respond` refuses: late, early, outside the audience,
        beyond the policy's responses per party, a response id taken, an unfit answer.
        """
        ...

    def survey(self, community: str, survey_id: str) -> Survey:
        """The survey as stored, its responses in the order submitted (then by id)."""
        ...

    def surveys(
        self, community: str, since: datetime.datetime, until: datetime.datetime
    ) -> tuple[str, ...]:
        """The ids of the community's surveys opening in ``[since, until)``, in that order."""
        ...


# -- shared ------------------------------------------------------------------------------------


def _scope(*parts: str) -> str:
    return compose(tuple(parts))


def _take(slot: Entries[str], key: Key, value: str) -> None:
    """Take a one-per-owner slot that nobody held as this unit read it.

    Two clerks taking one slot at once both find it free; the second to commit is refused
    with :class:`~propcrm.errors.ConcurrencyConflict` naming the slot, and retrying meets
    the rule's own refusal.
    """
    slot.put(key, value, 0)


# -- the assembly -------------------------------------------------------------------------------


def _slot(community: str, meeting_id: str, ballot: Ballot) -> Key:
    """An owner's one ballot on a motion in each way: in person, or by proxy."""
    way = "own" if ballot.proxy is None else "proxy"
    return (community, meeting_id, ballot.motion_id, ballot.owner_id, way)


class Meetings:
    def __init__(self, uow: EntryRows) -> None:
        self._meetings = Entries(uow, "assembly.meeting", Meeting, "meeting")
        # The electorate without its electors: each elector is an entry (a ballot's owner is
        # looked up alone), in the order drawn.
        self._electorates = Entries(uow, "assembly.electorate", Electorate, "ballot box")
        self._electors = Entries(uow, "assembly.elector", Elector, "elector")
        self._proxies = Entries(uow, "assembly.proxy", Proxy, "proxy")
        self._proxy_owners = Entries(uow, "assembly.proxy_owner", str, "owner's proxy")
        self._ballots = Entries(uow, "assembly.ballot", Ballot, "ballot")
        self._slots = Entries(uow, "assembly.ballot_slot", str, "owner's ballot")

    # meetings

    def save(self, meeting: Meeting, expected_version: int) -> int:
        check_instance(meeting, "meeting", Meeting)
        key = (meeting.community, meeting.meeting_id)
        if self._electorates.read(key) is not None:
            raise InvalidMeeting(
                f"meeting {meeting.meeting_id} has its ballot box open; its motions and window "
                "are fixed.",
                field="meeting",
                value=meeting.meeting_id,
                allowed="a meeting whose box is not open",
            )
        return self._meetings.put(
            key, meeting, expected_version, scope=meeting.community, at=sortable(meeting.held_on)
        )

    def get(self, community: str, meeting_id: str) -> Versioned[Meeting]:
        return self._meetings.get((check_key(community, "community"), meeting_id))

    def held(
        self, community: str, first: datetime.date, last: datetime.date
    ) -> tuple[Meeting, ...]:
        start, end = as_date(first, "first"), as_date(last, "last")
        found = self._meetings.find(
            scope=check_key(community, "community"),
            since=sortable(start),
            until=sortable(end + datetime.timedelta(1)),
        )
        return tuple(e.value for e in found)

    # the box

    def open_box(self, box: BallotBox) -> bool:
        check_instance(box, "box", BallotBox)
        meeting, voters = box.meeting, box.electorate
        key = (meeting.community, meeting.meeting_id)
        header = attrs.evolve(voters, electors=())
        stored = self._electorates.read(key)
        if stored is not None:
            if stored.value != header or self.get(*key).value != meeting:
                raise InvalidMeeting(
                    f"meeting {meeting.meeting_id} has another ballot box open already.",
                    field="box",
                    value=meeting.meeting_id,
                    allowed="the box opened for it, or a meeting without one",
                )
            for proxy in box.proxies:
                self.register_proxy(*key, proxy)
            self.cast(*key, *box.ballots)
            return False
        planned = self._meetings.read(key)
        if planned is not None and planned.value != meeting:
            raise InvalidMeeting(
                f"meeting {meeting.meeting_id} was changed since its box was drawn; draw it "
                "again from the meeting as stored.",
                field="meeting",
                value=meeting.meeting_id,
                allowed="the meeting as stored",
            )
        # Written again at the version read: a clerk editing the meeting meanwhile loses.
        self._meetings.put(
            key,
            meeting,
            0 if planned is None else planned.version,
            scope=meeting.community,
            at=sortable(meeting.held_on),
        )
        self._electorates.put(key, header, 0, scope=meeting.community, at=sortable(voters.as_of))
        scope = _scope(*key)
        for n, elector in enumerate(voters.electors):
            self._electors.put((*key, elector.party_id), elector, 0, scope=scope, at=f"{n:09d}")
        # The box checked its proxies and ballots whole, and nothing of it is stored yet.
        for proxy in box.proxies:
            self._write_proxy(key, proxy)
        for ballot in box.ballots:
            self._write_ballot(key, ballot)
        return True

    def _write_proxy(self, key: tuple[str, str], proxy: Proxy) -> None:
        self._proxies.put((*key, proxy.authorisation), proxy, 0, scope=_scope(*key))
        _take(self._proxy_owners, (*key, proxy.owner_id), proxy.authorisation)

    def _write_ballot(self, key: tuple[str, str], ballot: Ballot) -> None:
        self._ballots.put(
            (*key, ballot.ballot_id),
            ballot,
            0,
            scope=_scope(*key),
            subject=ballot.owner_id,
            at=sortable(ballot.cast_at),
        )
        _take(self._slots, _slot(*key, ballot), ballot.ballot_id)

    def _frame(self, community: str, meeting_id: str) -> tuple[Meeting, Electorate]:
        key = (check_key(community, "community"), check_key(meeting_id, "meeting_id"))
        header = self._electorates.read(key)
        if header is None:
            raise not_found(f"ballot box of meeting {meeting_id!r} in {community!r}")
        return self.get(*key).value, header.value

    def _all_proxies(self, community: str, meeting_id: str) -> tuple[Proxy, ...]:
        return tuple(e.value for e in self._proxies.find(scope=_scope(community, meeting_id)))

    def register_proxy(self, community: str, meeting_id: str, proxy: Proxy) -> bool:
        meeting, header = self._frame(community, meeting_id)
        check_instance(proxy, "proxy", Proxy)
        key = (community, meeting_id, proxy.authorisation)
        stored = self._proxies.read(key)
        if stored is not None and stored.value == proxy:
            return False
        # The box's own rule names the authorisation or the owner already taken.
        BallotBox(meeting, header, self._all_proxies(community, meeting_id)).with_proxy(proxy)
        self._write_proxy((community, meeting_id), proxy)
        return True

    def cast(self, community: str, meeting_id: str, *ballots: Ballot) -> tuple[Ballot, ...]:
        meeting, header = self._frame(community, meeting_id)
        items: tuple[Ballot, ...] = check_items(ballots, "ballots", Ballot, error=BallotRefused)
        new: list[Ballot] = []
        # The stored ballots these could clash with: the same id, or the same owner's slot.
        clashing: dict[str, Ballot] = {}
        for ballot in items:
            held = self._ballots.read((community, meeting_id, ballot.ballot_id))
            if held is not None and held.value == ballot:
                continue  # cast again (a tally sheet entered twice): stored once
            if held is not None:
                clashing[held.value.ballot_id] = held.value
            new.append(ballot)
            slot = self._slots.read(_slot(community, meeting_id, ballot))
            if slot is not None and slot.value not in clashing:
                holder = self._ballots.get((community, meeting_id, slot.value)).value
                clashing[holder.ballot_id] = holder
        electors = []
        for owner in sorted({b.owner_id for b in (*new, *clashing.values())}):
            found = self._electors.read((community, meeting_id, owner))
            if found is not None:
                electors.append(found.value)
        voters = attrs.evolve(header, electors=electors)
        proxies = self._all_proxies(community, meeting_id)
        # The box's rules, on these ballots and the stored ones they could clash with.
        BallotBox(meeting, voters, proxies, tuple(clashing.values())).cast(*new)
        for ballot in new:
            self._write_ballot((community, meeting_id), ballot)
        return tuple(new)

    def box(self, community: str, meeting_id: str) -> BallotBox:
        meeting, header = self._frame(community, meeting_id)
        scope = _scope(community, meeting_id)
        electors = tuple(e.value for e in self._electors.find(scope=scope))
        ballots = sorted(
            (e.value for e in self._ballots.find(scope=scope)),
            key=lambda b: (b.cast_at, b.ballot_id),
        )
        return BallotBox(
            meeting,
            attrs.evolve(header, electors=electors),
            self._all_proxies(community, meeting_id),
            ballots,
        )


# -- questionnaires -----------------------------------------------------------------------------


def _version_at(version: int) -> str:
    return f"{version:09d}"


class Questionnaires:
    def __init__(self, uow: EntryRows) -> None:
        self._versions = Entries(uow, "questionnaires.version", Questionnaire, "questionnaire")
        self._surveys = Entries(uow, "questionnaires.survey", Survey, "survey")
        self._responses = Entries(uow, "questionnaires.response", Response, "response")
        self._slots = Entries(uow, "questionnaires.slot", str, "party's response")

    def save(self, questionnaire: Questionnaire, expected_version: int) -> int:
        check_instance(questionnaire, "questionnaire", Questionnaire)
        q = questionnaire
        key = (q.questionnaire_id, str(q.version))
        stored = self._versions.read(key)
        if stored is not None and stored.value.published_at is not None:
            raise QuestionnaireFrozen(
                f"questionnaire {q.questionnaire_id} version {q.version} is stored published "
                f"({stored.value.published_at.isoformat()}); revise() it into version "
                f"{q.version + 1} to change it.",
                field="questionnaire",
                value=q.questionnaire_id,
                allowed="a draft version, or the next version",
                questionnaire_id=q.questionnaire_id,
            )
        return self._versions.put(
            key, q, expected_version, scope=q.questionnaire_id, at=_version_at(q.version)
        )

    def get(self, questionnaire_id: str, version: int | None = None) -> Versioned[Questionnaire]:
        check_key(questionnaire_id, "questionnaire_id")
        if version is None:
            found = self._versions.find(scope=questionnaire_id)
            if not found:
                raise not_found(f"questionnaire {questionnaire_id!r}")
            return Versioned(found[-1].value, found[-1].version)
        check_int(version, "version", InvalidQuestionnaire, minimum=1)
        return self._versions.get((questionnaire_id, str(version)))

    def versions(self, questionnaire_id: str) -> tuple[Questionnaire, ...]:
        check_key(questionnaire_id, "questionnaire_id")
        return tuple(e.value for e in self._versions.find(scope=questionnaire_id))

    def add_survey(self, community: str, survey: Survey) -> bool:
        check_key(community, "community")
        check_instance(survey, "survey", Survey)
        key = (community, survey.survey_id)
        frame = attrs.evolve(survey, responses=())
        stored = self._surveys.read(key)
        if stored is None:
            q = survey.questionnaire
            version = self._versions.read((q.questionnaire_id, str(q.version)))
            if version is None:
                self.save(q, 0)
            elif version.value != q:
                raise InvalidQuestionnaire(
                    f"survey {survey.survey_id} puts questionnaire {q.questionnaire_id} version "
                    f"{q.version} with other questions than the version stored.",
                    field="questionnaire",
                    value=q.questionnaire_id,
                    allowed="the version as stored",
                )
            self._surveys.add(key, frame, scope=community, at=sortable(survey.opens_at))
        elif stored.value != frame:
            self._surveys.add(key, frame)  # raises RecordExists, naming both
        self.respond(community, survey.survey_id, *survey.responses)
        return stored is None

    def _frame(self, community: str, survey_id: str) -> Survey:
        key = (check_key(community, "community"), check_key(survey_id, "survey_id"))
        return self._surveys.get(key).value

    def respond(self, community: str, survey_id: str, *responses: Response) -> tuple[Response, ...]:
        frame = self._frame(community, survey_id)
        items: tuple[Response, ...] = check_items(
            responses, "responses", Response, error=ResponseRefused
        )
        scope = _scope(community, survey_id)
        new: list[Response] = []
        # The stored responses these could clash with: the same id, or the same party's.
        clashing: dict[str, Response] = {}
        for response in items:
            held = self._responses.read((community, survey_id, response.response_id))
            if held is not None and held.value == response:
                continue  # the same response submitted again: stored once
            if held is not None:
                clashing[response.response_id] = held.value
            new.append(response)
        parties = sorted({r.party_id for r in new})
        earlier: dict[str, list[Response]] = {}
        for party in parties:
            earlier[party] = [e.value for e in self._responses.find(scope=scope, subject=party)]
            clashing.update((r.response_id, r) for r in earlier[party])
        # The survey's rules, on these responses and the stored ones they could clash with.
        attrs.evolve(frame, responses=tuple(clashing.values())).respond(*new)
        counts = {party: len(earlier[party]) for party in parties}
        for response in new:
            party = response.party_id
            counts[party] += 1
            self._responses.put(
                (community, survey_id, response.response_id),
                response,
                0,
                scope=scope,
                subject=party,
                at=sortable(response.submitted_at),
            )
            slot = (community, survey_id, party, str(counts[party]))
            _take(self._slots, slot, response.response_id)
        return tuple(new)

    def survey(self, community: str, survey_id: str) -> Survey:
        frame = self._frame(community, survey_id)
        found = self._responses.find(scope=_scope(community, survey_id))
        ordered = sorted((e.value for e in found), key=lambda r: (r.submitted_at, r.response_id))
        return attrs.evolve(frame, responses=ordered)

    def surveys(
        self, community: str, since: datetime.datetime, until: datetime.datetime
    ) -> tuple[str, ...]:
        check_key(community, "community")
        first, end = aware(since, field="since"), aware(until, field="until")
        found = self._surveys.find(scope=community, since=sortable(first), until=sortable(end))
        return tuple(e.value.survey_id for e in found)
