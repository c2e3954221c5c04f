"""The community's business stored and read back equal, for values the exported strategies draw.

Each repository of ``propcrm.storage._community_*`` stores what the strategies draw, in a fresh
``MemoryStore()`` (through serialization) and a fresh SQLite ``SqlStore`` (a copy of one
migrated file, so each example starts empty), and a second unit of work reads it back.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.affairs import DecorationAffair, GoodsRelease, MoveIn
from propcrm.assembly import BallotBox, Meeting
from propcrm.parking import Lease, ParkingSpace, WaitingList
from propcrm.prospects import Lead
from propcrm.questionnaires import Questionnaire, Survey
from propcrm.receivables import PrepaidBalance
from propcrm.storage import AccountId, MemoryStore, UnitOfWork, UnitOfWorkFactory
from propcrm.storage.sql import SqlStore
from propcrm.testing import strategies as s

C = "SUNRISE"
EXAMPLES = settings(max_examples=15)

Stores = Callable[[], Iterator[UnitOfWorkFactory]]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "crm.sqlite"
    SqlStore(path, upgrade=True).dispose()
    return path


@pytest.fixture(scope="module")
def stores(template: Path) -> Stores:
    """Each call: an empty memory store, then an empty SQLite store (disposed after use)."""
    counter = itertools.count()
    tmp_path = template.parent

    def fresh() -> Iterator[UnitOfWorkFactory]:
        yield MemoryStore()
        path = tmp_path / f"crm-{next(counter)}.sqlite"
        shutil.copyfile(template, path)
        store = SqlStore(path)
        try:
            yield store
        finally:
            store.dispose()

    return fresh


def _round_trip(
    stores: Stores, write: Callable[[UnitOfWork], object], read: Callable[[UnitOfWork], Any]
) -> list[Any]:
    found = []
    for store in stores():
        with store() as uow:
            write(uow)
            uow.commit()
        with store() as uow:
            found.append(read(uow))
    return found


@EXAMPLES
@given(box=s.ballot_boxes())
def test_a_ballot_box_reads_back_as_cast(stores: Stores, box: BallotBox) -> None:
    meeting = box.meeting
    canonical = attrs.evolve(
        box,
        proxies=sorted(box.proxies, key=lambda p: p.authorisation),
        ballots=sorted(box.ballots, key=lambda b: (b.cast_at, b.ballot_id)),
    )
    found = _round_trip(
        stores,
        lambda uow: uow.meetings.open_box(box),
        lambda uow: uow.meetings.box(meeting.community, meeting.meeting_id),
    )
    assert found == [canonical, canonical]


@EXAMPLES
@given(meeting=s.meetings())
def test_a_meeting_reads_back_equal(stores: Stores, meeting: Meeting) -> None:
    found = _round_trip(
        stores,
        lambda uow: uow.meetings.save(meeting, 0),
        lambda uow: uow.meetings.get(meeting.community, meeting.meeting_id).value,
    )
    assert found == [meeting, meeting]


@EXAMPLES
@given(questionnaire=s.questionnaires())
def test_a_questionnaire_version_reads_back_equal(
    stores: Stores, questionnaire: Questionnaire
) -> None:
    q = questionnaire
    found = _round_trip(
        stores,
        lambda uow: uow.questionnaires.save(q, 0),
        lambda uow: uow.questionnaires.get(q.questionnaire_id, q.version).value,
    )
    assert found == [q, q]


@EXAMPLES
@given(survey=s.surveys())
def test_a_survey_reads_back_with_its_responses(stores: Stores, survey: Survey) -> None:
    canonical = attrs.evolve(
        survey, responses=sorted(survey.responses, key=lambda r: (r.submitted_at, r.response_id))
    )
    found = _round_trip(
        stores,
        lambda uow: uow.questionnaires.add_survey(C, survey),
        lambda uow: uow.questionnaires.survey(C, survey.survey_id),
    )
    assert found == [canonical, canonical]


@EXAMPLES
@given(
    affair=st.one_of(s.move_ins(), s.decoration_affairs(), s.goods_releases()),
)
def test_a_public_affair_reads_back_equal(
    stores: Stores, affair: MoveIn | DecorationAffair | GoodsRelease
) -> None:
    affair_id = affair.release_id if isinstance(affair, GoodsRelease) else affair.affair_id
    found = _round_trip(
        stores,
        lambda uow: uow.affairs.save(C, affair, 0),
        lambda uow: uow.affairs.get(C, affair_id, type(affair)).value,
    )
    assert found == [affair, affair]


@EXAMPLES
@given(lead=s.leads())
def test_a_lead_reads_back_equal(stores: Stores, lead: Lead) -> None:
    found = _round_trip(
        stores,
        lambda uow: uow.leads.save(C, lead, 0),
        lambda uow: uow.leads.get(C, lead.lead_id).value,
    )
    assert found == [lead, lead]


@EXAMPLES
@given(space=s.parking_spaces(), lease=s.parking_leases(), waiting=s.waiting_lists())
def test_parking_reads_back_equal(
    stores: Stores, space: ParkingSpace, lease: Lease, waiting: WaitingList
) -> None:
    def write(uow: UnitOfWork) -> None:
        uow.parking.save_space(C, space, 0)
        if lease.space.space_id != space.space_id:
            uow.parking.save_space(C, lease.space, 0)
        uow.parking.save_lease(C, lease, 0)
        uow.parking.save_waiting_list(C, waiting, 0)

    def read(uow: UnitOfWork) -> tuple[object, ...]:
        return (
            uow.parking.space(C, space.space_id).value,
            uow.parking.lease(C, lease.lease_id).value,
            uow.parking.waiting_list(C).value,
        )

    if lease.space.space_id == space.space_id and lease.space != space:
        space = lease.space  # one space, as the lease lets it
    found = _round_trip(stores, write, read)
    assert found == [(space, lease, waiting)] * 2


@EXAMPLES
@given(balance=s.prepaid_balances())
def test_a_prepaid_balance_reads_back_equal(stores: Stores, balance: PrepaidBalance) -> None:
    account = AccountId(C, balance.unit_id, balance.billed_party)
    found = _round_trip(
        stores,
        lambda uow: uow.prepaid.save(account, balance, 0),
        lambda uow: uow.prepaid.get(account).value,
    )
    assert found == [balance, balance]
