"""The storage contract of the owners' assembly and questionnaires: votes and surveys."""

from __future__ import annotations

import pendulum
import pytest

from propcrm.assembly import (
    Ballot,
    BallotBox,
    CheckKind,
    Choice,
    Meeting,
    Motion,
    MotionKind,
    Proxy,
    electorate,
    tally,
)
from propcrm.errors import (
    BallotRefused,
    ConcurrencyConflict,
    DuplicateBallot,
    DuplicateResponse,
    InvalidMeeting,
    LateBallot,
    LateResponse,
    ProxyRefused,
    QuestionnaireFrozen,
    RecordNotFound,
)
from propcrm.questionnaires import (
    FreeText,
    Response,
    ScaleAnswer,
    example_survey,
    results,
)
from propcrm.storage import UnitOfWorkFactory
from propcrm.testing import _contract_data as data

__all__ = ["VotesContract"]

C = data.COMMUNITY
OPENS = pendulum.datetime(2026, 6, 20, 9, tz=data.ZONE)


def _meeting(**changes: object) -> Meeting:
    values: dict[str, object] = {
        "meeting_id": "AGM-2026",
        "community": C,
        "held_on": pendulum.date(2026, 6, 20),
        "opens_at": OPENS,
        "closes_at": OPENS.add(hours=8),
        "motions": [
            Motion("M1", MotionKind.FEE_ADJUSTMENT, "物业费调整为2.80元/㎡/月"),
            Motion("M2", MotionKind.USE_REPAIR_FUND, "使用维修资金更换电梯"),
        ],
    }
    values.update(changes)
    return Meeting(**values)  # type: ignore[arg-type]


def _box(meeting: Meeting | None = None) -> BallotBox:
    """The box of a meeting of the three owners of ``data.book()``, none voted yet."""
    meeting = meeting or _meeting()
    return BallotBox(meeting, electorate(data.book(3), C, meeting.held_on))


def _ballot(ballot_id: str, owner: int, choice: Choice, minutes: int, **kw: str) -> Ballot:
    motion = kw.pop("motion", "M1")
    return Ballot(ballot_id, motion, f"owner-{owner}", choice, OPENS.add(minutes=minutes), **kw)


PROXY = Proxy("WT-001", owner_id="owner-3", holder_id="owner-1")


class VotesContract:
    """Meetings, ballot boxes, proxies and ballots; questionnaires, surveys and responses."""

    # -- the owners' assembly ------------------------------------------------------------------

    def test_a_vote_of_three_owners_is_stored_ballot_by_ballot_and_tallied(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            assert uow.meetings.save(_meeting(), 0) == 1
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.meetings.open_box(_box()) is True
            assert uow.meetings.register_proxy(C, "AGM-2026", PROXY) is True
            uow.commit()
        ballots = [
            _ballot("B1", 1, Choice.FOR, 5),
            _ballot("B2", 2, Choice.AGAINST, 7),
            _ballot("B3", 3, Choice.FOR, 9, proxy="WT-001"),
            _ballot("B4", 1, Choice.ABSTAIN, 11, motion="M2"),
        ]
        # Two polling desks, each committing its own sheet.
        for sheet in (ballots[:2], ballots[2:]):
            with unit_of_work_factory() as uow:
                assert uow.meetings.cast(C, "AGM-2026", *sheet) == tuple(sheet)
                uow.commit()
        expected = _box().with_proxy(PROXY).cast(*ballots)
        with unit_of_work_factory() as uow:
            stored = uow.meetings.box(C, "AGM-2026")
            # The sheet entered twice stores nothing twice.
            assert uow.meetings.cast(C, "AGM-2026", *ballots[:2]) == ()
            assert uow.meetings.register_proxy(C, "AGM-2026", PROXY) is False
            assert uow.meetings.get(C, "AGM-2026").value == _meeting()
            held = uow.meetings.held(C, pendulum.date(2026, 6, 1), pendulum.date(2026, 6, 30))
            assert held == (_meeting(),)
            assert uow.meetings.held(C, pendulum.date(2026, 7, 1), pendulum.date(2026, 7, 31)) == ()
        assert stored == expected
        result = tally(stored, "M1")
        assert result == tally(expected, "M1")
        assert result.check(CheckKind.CONSENT_HEADS).met

    def test_a_duplicate_early_late_or_stranger_ballot_is_refused_and_writes_nothing(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            uow.meetings.open_box(_box())
            uow.meetings.cast(C, "AGM-2026", _ballot("B1", 1, Choice.FOR, 5))
            uow.commit()
        refusals: list[tuple[type[Exception], Ballot]] = [
            # Owner 1 voted on M1 in person already: a second in-person ballot is refused.
            (DuplicateBallot, _ballot("B9", 1, Choice.AGAINST, 30)),
            # The ballot id is taken by another ballot.
            (DuplicateBallot, _ballot("B1", 2, Choice.AGAINST, 30)),
            (LateBallot, _ballot("B2", 2, Choice.FOR, 60 * 8 + 1)),
            (BallotRefused, _ballot("B2", 2, Choice.FOR, -1)),
            (BallotRefused, _ballot("B2", 4, Choice.FOR, 30)),
            (ProxyRefused, _ballot("B2", 2, Choice.FOR, 30, proxy="WT-404")),
        ]
        for error, ballot in refusals:
            with unit_of_work_factory() as uow:
                good = _ballot("B5", 2, Choice.FOR, 20)
                with pytest.raises(error):
                    uow.meetings.cast(C, "AGM-2026", good, ballot)
                uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.meetings.box(C, "AGM-2026").ballots == (_ballot("B1", 1, Choice.FOR, 5),)
            with pytest.raises(RecordNotFound):
                uow.meetings.box(C, "AGM-2027")

    def test_two_desks_casting_one_owners_ballot_at_once_the_second_is_refused(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            uow.meetings.open_box(_box())
            uow.commit()
        with unit_of_work_factory() as first, unit_of_work_factory() as second:
            first.meetings.cast(C, "AGM-2026", _ballot("D1-7", 2, Choice.FOR, 15))
            second.meetings.cast(C, "AGM-2026", _ballot("D2-3", 2, Choice.AGAINST, 16))
            first.commit()
            with pytest.raises(ConcurrencyConflict):
                second.commit()
        with unit_of_work_factory() as uow:
            assert [b.ballot_id for b in uow.meetings.box(C, "AGM-2026").ballots] == ["D1-7"]
            # Read again, the second desk meets the rule itself.
            with pytest.raises(DuplicateBallot):
                uow.meetings.cast(C, "AGM-2026", _ballot("D2-3", 2, Choice.AGAINST, 16))

    def test_an_owner_in_person_overrides_the_proxy_as_stored(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            uow.meetings.open_box(_box().with_proxy(PROXY))
            uow.meetings.cast(C, "AGM-2026", _ballot("P3", 3, Choice.AGAINST, 5, proxy="WT-001"))
            uow.commit()
        with unit_of_work_factory() as uow:
            uow.meetings.cast(C, "AGM-2026", _ballot("O3", 3, Choice.FOR, 50))
            other = Proxy("WT-002", owner_id="owner-3", holder_id="owner-2")
            with pytest.raises(ProxyRefused, match="owner-3"):
                uow.meetings.register_proxy(C, "AGM-2026", other)
            uow.commit()
        with unit_of_work_factory() as uow:
            result = tally(uow.meetings.box(C, "AGM-2026"), "M1")
        assert [(s.ballot_id, s.overridden_by) for s in result.set_aside] == [("P3", "O3")]

    def test_a_meeting_is_edited_at_its_version_until_its_box_opens(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        plan = _meeting(motions=[Motion("M1", MotionKind.CHOOSE_MANAGER, "选聘物业")])
        with unit_of_work_factory() as uow:
            uow.meetings.save(plan, 0)
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.meetings.save(_meeting(), 1) == 2
            with pytest.raises(ConcurrencyConflict):
                uow.meetings.save(_meeting(), 1)
            uow.commit()
        with unit_of_work_factory() as uow:
            # A box drawn for an older plan of the meeting is refused.
            with pytest.raises(InvalidMeeting):
                uow.meetings.open_box(_box(plan))
            uow.meetings.open_box(_box())
            uow.commit()
        with unit_of_work_factory() as uow:
            version = uow.meetings.get(C, "AGM-2026").version
            with pytest.raises(InvalidMeeting, match="box open"):
                uow.meetings.save(_meeting(closes_at=OPENS.add(days=2)), version)
            assert uow.meetings.open_box(_box()) is False

    def test_ballots_not_committed_are_not_stored(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            uow.meetings.open_box(_box())
            uow.commit()
        with unit_of_work_factory() as uow:
            uow.meetings.cast(C, "AGM-2026", _ballot("B1", 1, Choice.FOR, 5))
            assert len(uow.meetings.box(C, "AGM-2026").ballots) == 1
        with unit_of_work_factory() as uow:
            assert uow.meetings.box(C, "AGM-2026").ballots == ()

    # -- questionnaires ------------------------------------------------------------------------

    def test_a_questionnaire_version_is_frozen_once_stored_published(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        draft = example_survey().questionnaire.revise()
        with unit_of_work_factory() as uow:
            assert uow.questionnaires.save(draft, 0) == 1
            uow.commit()
        published = draft.with_question(FreeText("Q4", "对物业的建议")).publish(OPENS)
        with unit_of_work_factory() as uow:
            assert uow.questionnaires.save(published, 1) == 2
            uow.commit()
        with unit_of_work_factory() as uow:
            with pytest.raises(QuestionnaireFrozen, match="revise"):
                uow.questionnaires.save(draft, 2)
            following = published.revise()
            uow.questionnaires.save(following, 0)
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.questionnaires.get("Q-LIFT", 2).value == published
            assert uow.questionnaires.get("Q-LIFT").value == following
            assert uow.questionnaires.versions("Q-LIFT") == (published, following)
            with pytest.raises(RecordNotFound):
                uow.questionnaires.get("Q-LIFT", 1)
            with pytest.raises(RecordNotFound):
                uow.questionnaires.get("Q-NONE")

    def test_a_survey_is_stored_response_by_response_and_gives_its_results(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        survey = example_survey()
        q1 = survey.questionnaire
        late = Response("R9", "Q-LIFT", 1, "P4", survey.closes_at.add(minutes=1), [])
        fourth = Response(
            "R4",
            "Q-LIFT",
            1,
            "P4",
            survey.opens_at.add(days=5),
            [ScaleAnswer("Q1", 2), *survey.responses[1].answers[1:]],
        )
        with unit_of_work_factory() as uow:
            assert uow.questionnaires.add_survey(C, survey) is True
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.questionnaires.get("Q-LIFT", 1).value == q1
            assert uow.questionnaires.add_survey(C, survey) is False
            with pytest.raises(LateResponse):
                uow.questionnaires.respond(C, survey.survey_id, late)
            again = Response("R5", "Q-LIFT", 1, "P1", survey.opens_at.add(days=6), [])
            with pytest.raises(DuplicateResponse, match="P1"):
                uow.questionnaires.respond(C, survey.survey_id, fourth, again)
            assert uow.questionnaires.respond(C, survey.survey_id, fourth) == (fourth,)
            assert uow.questionnaires.respond(C, survey.survey_id, fourth) == ()
            uow.commit()
        with unit_of_work_factory() as uow:
            stored = uow.questionnaires.survey(C, survey.survey_id)
            since = survey.opens_at.subtract(days=1)
            assert uow.questionnaires.surveys(C, since, since.add(days=2)) == ("LIFT-2026Q1",)
            assert uow.questionnaires.surveys(data.OTHER_COMMUNITY, since, since.add(days=2)) == ()
        assert stored == survey.respond(fourth)
        assert results(stored).rate.responded == 4

    def test_two_clerks_entering_one_partys_response_at_once_the_second_is_refused(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        survey = example_survey()
        answers = survey.responses[1].answers
        with unit_of_work_factory() as uow:
            uow.questionnaires.add_survey(C, survey)
            uow.commit()
        app = Response("APP-1", "Q-LIFT", 1, "P4", survey.opens_at.add(days=4), answers)
        paper = Response("DOOR-1", "Q-LIFT", 1, "P4", survey.opens_at.add(days=4), answers)
        with unit_of_work_factory() as first, unit_of_work_factory() as second:
            first.questionnaires.respond(C, survey.survey_id, app)
            second.questionnaires.respond(C, survey.survey_id, paper)
            first.commit()
            with pytest.raises(ConcurrencyConflict):
                second.commit()
        with unit_of_work_factory() as uow:
            assert uow.questionnaires.survey(C, survey.survey_id).response_of("P4") == app
