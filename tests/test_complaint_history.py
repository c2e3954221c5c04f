"""Tests for complaints._history: the complaint side of segmentation (brief §4–§5).

Residents of SUNRISE (阳光花园) complain, get called back and score us; segmentation reads them
through the ComplaintHistory protocol to find frequent complainers and customers at risk.
"""

from __future__ import annotations

import datetime

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._property_types import PropertyType
from propcrm.analytics import (
    BehaviourPolicy,
    ComplaintHistory,
    ComplaintRecord,
    SatisfactionScore,
    complaint_behaviour,
)
from propcrm.classification import Category
from propcrm.complaints import (
    Action,
    Actor,
    CallbackOutcome,
    CallbackScore,
    ComplaintLog,
    Intake,
    IntakeChannel,
    LoggedComplaint,
    Request,
    RequestKind,
    Role,
    complaint_logs,
)
from propcrm.complaints._history import DEFAULT_COUNT_REJECTED
from propcrm.errors import InvalidRequest, NotADate, UnknownTimeZone
from propcrm.parties import (
    PartyBook,
    Person,
    Unit,
)
from propcrm.personal_data import PersonName
from propcrm.segmentation import (
    Outcome,
    PartyFacts,
    SegmentSubject,
    evaluate_portfolio,
    ready_segments,
    segment_subject,
)
from propcrm.segmentation._segments import at_risk, frequent_complainer

D = pendulum.date
DESK = Actor("KF-01", Role.AGENT)
BOSS = Actor("S-1", Role.SUPERVISOR)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz="Asia/Shanghai")


def request(
    request_id: str,
    when: pendulum.DateTime,
    *,
    requester: str = "P-301",
    kind: RequestKind = RequestKind.COMPLAINT,
) -> Request:
    intake = Intake(
        request_id=request_id,
        kind=kind,
        requester=requester,
        unit="1-2-0301",
        channel=IntakeChannel.HOTLINE,
        category=Category.NOISE if kind is RequestKind.COMPLAINT else Category.WATER_LEAK,
        description="楼上装修噪音" if kind is RequestKind.COMPLAINT else "漏水",
    )
    return Request.receive(intake, DESK, when).take(Action.ACKNOWLEDGE, DESK, when)


def resolved(req: Request, when: pendulum.DateTime) -> Request:
    return (
        req.take(Action.ASSESS, DESK, when)
        .take(Action.DISPATCH, DESK, when, assignee="S-1")
        .take(Action.START, BOSS, when)
        .take(Action.RESOLVE, BOSS, when, note="已处理")
    )


def scored(req: Request, when: pendulum.DateTime, score: int) -> Request:
    outcome = CallbackOutcome.SATISFIED if score >= 4 else CallbackOutcome.DISSATISFIED
    return req.take(Action.CALL_BACK, DESK, when, outcome=outcome, score=score)


def handled(
    request_id: str,
    received: pendulum.DateTime,
    score: int,
    *,
    requester: str = "P-301",
    kind: RequestKind = RequestKind.COMPLAINT,
) -> Request:
    """Received, resolved a day later, called back the day after with ``score``."""
    req = request(request_id, received, requester=requester, kind=kind)
    return scored(resolved(req, received.add(days=1)), received.add(days=2), score)


# -- the protocol -------------------------------------------------------------------------------


def test_a_log_is_a_complaint_history() -> None:
    log = ComplaintLog.of([handled("C-1", at(11, 2), 4)], "P-301")
    assert isinstance(log, ComplaintHistory)
    assert isinstance(ComplaintLog("P-9"), ComplaintHistory)
    assert SegmentSubject("P-301", complaints=log).complaints is log


def test_only_the_partys_complaints_count_on_the_local_day_received() -> None:
    requests = [
        request("C-1", at(11, 2)),
        request("C-2", at(11, 30, 23, 30)),  # late evening in Shanghai: still 30 November
        request("R-1", at(11, 3), kind=RequestKind.REPAIR),
        request("C-9", at(11, 4), requester="P-302"),
    ]
    log = ComplaintLog.of(requests, "P-301")
    assert [(c.request_id, c.received_on) for c in log.complaints] == [
        ("C-1", D(2026, 11, 2)),
        ("C-2", D(2026, 11, 30)),
    ]
    assert log.complaints_between(D(2026, 11, 1), D(2026, 11, 30)) == 2
    assert log.complaints_between(D(2026, 11, 3), D(2026, 11, 29)) == 0
    assert log.complaints_between(D(2026, 11, 30), D(2026, 11, 30)) == 1
    assert log.complaints_between(D(2026, 12, 1), D(2026, 11, 1)) == 0  # an empty range


def test_the_zone_decides_the_local_day() -> None:
    early = request("C-1", at(12, 1, 0, 30))  # 16:30 UTC on 30 November
    assert ComplaintLog.of([early], "P-301").complaints[0].received_on == D(2026, 12, 1)
    in_utc = ComplaintLog.of([early], "P-301", zone="UTC")
    assert (in_utc.zone, in_utc.complaints[0].received_on) == ("UTC", D(2026, 11, 30))


def test_a_duplicate_is_not_counted_twice_once_it_is_marked() -> None:
    original = request("C-1", at(11, 20))
    repeat = request("C-2", at(11, 20, 11)).take(
        Action.MARK_DUPLICATE, DESK, at(11, 22), reason="同一噪音", duplicate_of="C-1"
    )
    log = ComplaintLog.of([original, repeat], "P-301")
    assert log.complaints[1] == LoggedComplaint("C-2", D(2026, 11, 20), D(2026, 11, 22))
    assert log.complaints_between(D(2026, 11, 1), D(2026, 11, 21)) == 2  # not marked yet
    assert log.complaints_between(D(2026, 11, 1), D(2026, 11, 22)) == 1
    assert log.complaints_between(D(2026, 11, 1), D(2026, 12, 31)) == 1


def test_a_rejected_complaint_counts_unless_the_caller_says_otherwise() -> None:
    assert DEFAULT_COUNT_REJECTED is True
    rejected = request("C-1", at(11, 2)).take(
        Action.REJECT, DESK, at(11, 3), reason="属供水公司", referral="自来水公司"
    )
    withdrawn = request("C-2", at(11, 5)).take(Action.WITHDRAW, DESK, at(11, 6), reason="已解决")
    window = (D(2026, 11, 1), D(2026, 11, 30))
    assert ComplaintLog.of([rejected, withdrawn], "P-301").complaints_between(*window) == 2
    strict = ComplaintLog.of([rejected, withdrawn], "P-301", count_rejected=False)
    assert strict.complaints_between(*window) == 1
    assert strict.complaints_between(D(2026, 11, 1), D(2026, 11, 2)) == 1  # before the rejection


# -- satisfaction -------------------------------------------------------------------------------


def test_the_last_satisfaction_is_the_latest_callback_score_of_any_kind() -> None:
    complaint = handled("C-1", at(10, 10), 4)
    repair = handled("R-1", at(11, 10), 5, kind=RequestKind.REPAIR)
    log = ComplaintLog.of([complaint, repair], "P-301")
    assert [(s.request_id, s.given_on, s.score) for s in log.scores] == [
        ("C-1", D(2026, 10, 12), 4),
        ("R-1", D(2026, 11, 12), 5),
    ]
    assert log.last_satisfaction(D(2026, 10, 11)) is None
    assert log.last_satisfaction(D(2026, 10, 12)) == 4
    assert log.last_satisfaction(D(2026, 12, 31)) == 5


def test_a_reopened_request_gives_a_score_per_callback_and_the_latest_wins() -> None:
    first = handled("C-1", at(11, 2), 2)  # dissatisfied: reopened by policy
    again = (
        first.take(Action.START, BOSS, at(11, 5))
        .take(Action.RESOLVE, BOSS, at(11, 5, 15), note="重新处理")
        .take(Action.CALLBACK_ATTEMPT, DESK, at(11, 6, 9))
        .take(Action.CALL_BACK, DESK, at(11, 6, 18), outcome=CallbackOutcome.SATISFIED, score=5)
    )
    log = ComplaintLog.of([again], "P-301")
    assert [s.score for s in log.scores] == [2, 5]
    assert log.last_satisfaction(D(2026, 11, 5)) == 2
    assert log.last_satisfaction(D(2026, 11, 6)) == 5
    assert log.complaints_between(D(2026, 11, 1), D(2026, 11, 30)) == 1


def test_two_scores_on_one_day_the_later_one_is_the_last() -> None:
    morning = scored(resolved(request("C-1", at(11, 1)), at(11, 2)), at(11, 3, 9), 1)
    evening = scored(resolved(request("C-2", at(11, 1)), at(11, 2)), at(11, 3, 19), 4)
    log = ComplaintLog.of([evening, morning], "P-301")
    assert log.last_satisfaction(D(2026, 11, 3)) == 4


def test_an_unreachable_callback_gives_no_score() -> None:
    req = resolved(request("C-1", at(11, 1)), at(11, 2))
    for hour in (9, 12, 15):
        req = req.take(Action.CALLBACK_ATTEMPT, DESK, at(11, 3, hour))
    req = req.take(Action.CALL_BACK, DESK, at(11, 3, 18), outcome=CallbackOutcome.UNREACHABLE)
    log = ComplaintLog.of([req], "P-301")
    assert (log.scores, log.last_satisfaction(D(2026, 12, 31))) == ((), None)


# -- a portfolio --------------------------------------------------------------------------------


def test_complaint_logs_gives_every_party_that_asked_a_log() -> None:
    requests = [
        handled("C-2", at(11, 2), 3, requester="P-302"),
        request("C-1", at(11, 1)),
        handled("R-1", at(11, 3), 5, requester="P-303", kind=RequestKind.REPAIR),
    ]
    logs = complaint_logs(requests)
    assert list(logs) == ["P-301", "P-302", "P-303"]
    for party, log in logs.items():
        assert log == ComplaintLog.of(requests, party)
    quiet = logs["P-303"]  # asked for a repair, never complained: known to have no complaints
    assert quiet.complaints_between(D(2026, 1, 1), D(2026, 12, 31)) == 0
    assert quiet.last_satisfaction(D(2026, 12, 31)) == 5
    assert "P-304" not in logs  # no request at all: no record, not "no complaints"


# -- bad input ----------------------------------------------------------------------------------


def test_bad_input_is_refused() -> None:
    c1 = request("C-1", at(11, 1))
    with pytest.raises(InvalidRequest, match="C-1 is given twice"):
        ComplaintLog.of([c1, c1], "P-301")
    with pytest.raises(InvalidRequest, match="given twice"):
        complaint_logs([c1, c1])
    with pytest.raises(InvalidRequest, match="reads Requests"):
        ComplaintLog.of(["C-1"], "P-301")  # type: ignore[list-item]  # bad input on purpose
    with pytest.raises(InvalidRequest, match="party_id ' ' must be non-empty text without spaces"):
        ComplaintLog.of([c1], " ")
    with pytest.raises(UnknownTimeZone):
        ComplaintLog.of([c1], "P-301", zone="Mars/Olympus")
    log = ComplaintLog.of([c1], "P-301")
    with pytest.raises(NotADate, match="first: expected a date"):
        log.complaints_between(
            at(11, 1), D(2026, 11, 30)
        )  # a datetime is also a date to the type checker
    with pytest.raises(InvalidRequest, match="satisfaction score is an int from 1 to 5"):
        CallbackScore("C-1", at(11, 1), D(2026, 11, 1), 6)
    with pytest.raises(InvalidRequest, match="before it was received"):
        LoggedComplaint("C-1", D(2026, 11, 2), D(2026, 11, 1))
    with pytest.raises(InvalidRequest, match="holds LoggedComplaint"):
        ComplaintLog("P-301", complaints=[D(2026, 11, 1)])  # type: ignore[list-item]  # on purpose


# -- scenario: frequent complainer and at risk (§5) ---------------------------------------------


def _three_complaints_in_a_quarter() -> list[Request]:
    """P-301 complains about noise in October, November and December; the last callback: 2."""
    return [
        handled("C-1", at(10, 8), 4),
        handled("C-2", at(11, 12), 3),
        handled("C-3", at(12, 14), 2),
        handled("R-1", at(9, 1), 5, kind=RequestKind.REPAIR),  # a repair before: not a complaint
        handled("C-9", at(12, 1), 5, requester="P-302"),  # a neighbour, once, satisfied
    ]


def test_a_resident_who_complains_three_times_in_a_quarter_and_scores_2_is_flagged() -> None:
    log = ComplaintLog.of(_three_complaints_in_a_quarter(), "P-301")
    facts = PartyFacts.of(SegmentSubject("P-301", complaints=log), D(2026, 12, 31))
    frequent = frequent_complainer().evaluate(facts)
    risk = at_risk().evaluate(facts)
    assert frequent.outcome is Outcome.MATCH
    assert risk.outcome is Outcome.MATCH
    assert "3 complaints since Oct 1, 2026" in frequent.render("en_US")
    assert "last satisfaction 2" in risk.render("en_US")
    assert "2026年10月1日以来投诉3次" in frequent.render()


def test_before_the_last_callback_the_resident_was_not_yet_at_risk() -> None:
    log = ComplaintLog.of(_three_complaints_in_a_quarter(), "P-301")
    facts = PartyFacts.of(SegmentSubject("P-301", complaints=log), D(2026, 12, 15))
    # The third complaint came on 14 December, its callback on the 16th: on the 15th the last
    # score is still November's 3.
    assert facts.complaints is not None
    assert (facts.complaints.complaints, facts.complaints.last_satisfaction) == (3, 3)
    assert frequent_complainer().evaluate(facts).outcome is Outcome.MATCH
    assert at_risk().evaluate(facts).outcome is Outcome.NO_MATCH


def test_the_segments_through_the_party_book_adapter_and_a_portfolio() -> None:
    requests = _three_complaints_in_a_quarter()
    flats = [
        Unit(
            unit_id=f"1-2-030{n}",
            community="SUNRISE",
            building="1",
            entrance="2",
            floor=3,
            number=f"030{n}",
            property_type=PropertyType.RESIDENTIAL,
            building_area="89.37",
        )
        for n in (1, 2)
    ]
    book = PartyBook(
        parties=[
            Person(party_id="P-301", name=PersonName("张三丰")),
            Person(party_id="P-302", name=PersonName("李四")),
        ],
        units=flats,
    )
    for n in (1, 2):
        book = (
            book.sell(f"1-2-030{n}", D(2025, 6, 1), f"P-30{n}")
            .hand_over(f"1-2-030{n}", D(2026, 3, 1))
            .move_in(f"1-2-030{n}", D(2026, 3, 15), head=f"P-30{n}")
        )
    logs = complaint_logs(requests)
    as_of = D(2026, 12, 31)
    subjects = [
        segment_subject(book, party, as_of, complaints=logs.get(party))
        for party in ("P-301", "P-302")
    ]
    segments = ready_segments()
    result = evaluate_portfolio(
        {code: segments[code] for code in ("frequent-complainer", "at-risk")}, subjects, as_of
    )
    assert result.members("frequent-complainer") == ("P-301",)
    assert result.members("at-risk") == ("P-301",)
    assert result.outcomes("at-risk")["P-302"] is Outcome.NO_MATCH


def test_without_a_log_segmentation_says_no_complaint_record() -> None:
    logs = complaint_logs(_three_complaints_in_a_quarter())
    facts = PartyFacts.of(SegmentSubject("P-999", complaints=logs.get("P-999")), D(2026, 12, 31))
    assert frequent_complainer().evaluate(facts).outcome is Outcome.INSUFFICIENT_HISTORY


# -- properties ---------------------------------------------------------------------------------

_START = pendulum.datetime(2026, 9, 1, 0, 0, tz="Asia/Shanghai")


@st.composite
def party_requests(draw: st.DrawFn) -> list[Request]:
    """One party's requests over four months: complaints and repairs, some scored."""
    found = []
    for i in range(draw(st.integers(0, 6))):
        received = _START.add(days=draw(st.integers(0, 110)), minutes=draw(st.integers(0, 1439)))
        kind = draw(st.sampled_from([RequestKind.COMPLAINT, RequestKind.REPAIR]))
        req = request(f"R-{i}", received, kind=kind)
        if draw(st.booleans()):
            later = received.add(minutes=draw(st.integers(1, 3000)))
            req = scored(resolved(req, later), later.add(minutes=i + 1), draw(st.integers(1, 5)))
        found.append(req)
    return found


@st.composite
def duplicated(draw: st.DrawFn) -> tuple[list[Request], int]:
    """Complaints, some marked duplicates of the first; and how many are not duplicates."""
    first = request("C-0", _START)
    found = [first]
    originals = 1
    for i in range(1, draw(st.integers(1, 6))):
        received = _START.add(days=draw(st.integers(0, 60)), hours=draw(st.integers(0, 23)))
        req = request(f"C-{i}", received)
        if draw(st.booleans()):
            req = req.take(
                Action.MARK_DUPLICATE,
                DESK,
                received.add(days=draw(st.integers(0, 20))),
                reason="重复",
                duplicate_of="C-0",
            )
        else:
            originals += 1
        found.append(req)
    return found, originals


_DAYS = st.integers(0, 130).map(lambda n: D(2026, 9, 1).add(days=n))


@settings(max_examples=100)
@given(party_requests(), _DAYS, _DAYS)
def test_a_log_answers_as_the_plain_record_of_the_same_days_and_scores(
    requests: list[Request], first: pendulum.Date, last: pendulum.Date
) -> None:
    log = ComplaintLog.of(requests, "P-301")
    days = [
        r.received_at.in_timezone("Asia/Shanghai").date()
        for r in requests
        if r.kind is RequestKind.COMPLAINT
    ]
    scores = {}
    for r in sorted(requests, key=lambda r: r.callbacks[-1].at if r.callbacks else _START):
        for callback in r.callbacks:
            assert callback.score is not None
            scores[callback.at.in_timezone("Asia/Shanghai").date()] = callback.score
    record = ComplaintRecord(
        complaints=days, satisfaction=[SatisfactionScore(d, s) for d, s in scores.items()]
    )
    assert log.complaints_between(first, last) == record.complaints_between(first, last)
    assert log.last_satisfaction(last) == record.last_satisfaction(last)
    policy = BehaviourPolicy()
    assert complaint_behaviour(log, last, policy=policy) == complaint_behaviour(
        record, last, policy=policy
    )


@settings(max_examples=100)
@given(duplicated(), _DAYS)
def test_duplicates_never_double_count_and_counts_shrink_as_the_window_starts_later(
    case: tuple[list[Request], int], last: pendulum.Date
) -> None:
    requests, originals = case
    log = ComplaintLog.of(requests, "P-301")
    assert log.complaints_between(D(2026, 1, 1), D(2027, 6, 30)) == originals
    counts = [log.complaints_between(last.subtract(days=n), last) for n in range(0, 120, 7)]
    assert counts == sorted(counts)  # a window starting earlier holds at least as many
    assert log.complaints_between(D(2026, 1, 1), last) <= len(requests)


def test_callback_times_are_kept_as_instants() -> None:
    log = ComplaintLog.of([handled("C-1", at(11, 2, 23, 50), 4)], "P-301")
    (score,) = log.scores
    assert isinstance(score.at, datetime.datetime)
    assert score.at == at(11, 4, 23, 50)
    assert score.given_on == D(2026, 11, 4)
