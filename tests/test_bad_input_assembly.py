"""Bad input to every public entry point of propcrm.assembly is refused with a library error.

Each argument of each entry point in ``propcrm.assembly.__all__`` is fed the malformed values
of its kind (:mod:`tests.bad_input`); :func:`assert_refused` checks that only a
:class:`~propcrm.errors.PropcrmError` with its context comes out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from tests.bad_input import (
    assert_refused,
    bad_dates,
    bad_ids,
    bad_instants,
    bad_locales,
    bad_text,
    wrong_types,
)
from tests.test_assembly import BOOK, DAY, PROXY, box, meeting, vote

from propcrm.assembly import (
    AssemblyPolicy,
    Ballot,
    BallotBox,
    Elector,
    Electorate,
    Meeting,
    Motion,
    MotionKind,
    Proxy,
    Threshold,
    approval_from,
    electorate,
    example_vote,
    tally,
)

FEW = settings(max_examples=8, deadline=None)
NOT_NONE = wrong_types.filter(lambda value: value is not None)
MEETING = meeting()
VOTERS = electorate(BOOK, "SUNRISE", DAY)
BOX = box()


def motion(**changes: Any) -> Motion:
    return attrs.evolve(MEETING.motions[0], **changes)


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: attrs.evolve(MEETING, meeting_id=bad),
        lambda bad: attrs.evolve(MEETING, community=bad),
        lambda bad: motion(motion_id=bad),
        lambda bad: vote(1, ballot_id=bad),
        lambda bad: vote(1, motion_id=bad),
        lambda bad: vote(1, owner_id=bad),
        lambda bad: vote(1, proxy=bad) if bad is not None else vote(1, proxy=""),
        lambda bad: Proxy(bad, "P1", "P2"),
        lambda bad: Proxy("WT-1", bad, "P2"),
        lambda bad: Proxy("WT-1", "P1", bad),
        lambda bad: Elector(bad, VOTERS.electors[0].area, ()),
        lambda bad: Elector("P1", VOTERS.electors[0].area, [bad]),
        lambda bad: Electorate(bad, DAY, ()),
        lambda bad: electorate(BOOK, bad, DAY),
        lambda bad: tally(BOX, bad),
        MEETING.motion,
    ],
)
@FEW
@given(bad=bad_ids)
def test_ids_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: motion(title=bad),
        lambda bad: motion(resolution=bad) if bad is not None else motion(resolution=""),
    ],
)
@FEW
@given(bad=bad_text)
def test_text_is_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: attrs.evolve(MEETING, held_on=bad),
        lambda bad: Electorate("SUNRISE", bad, ()),
        lambda bad: electorate(BOOK, "SUNRISE", bad),
    ],
)
@FEW
@given(bad=bad_dates)
def test_dates_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: attrs.evolve(MEETING, opens_at=bad),
        lambda bad: attrs.evolve(MEETING, closes_at=bad),
        lambda bad: vote(1, cast_at=bad),
    ],
)
@FEW
@given(bad=bad_instants)
def test_instants_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        Threshold,
        lambda bad: Threshold("1/2", bad),
        lambda bad: AssemblyPolicy(quorum=bad),
        lambda bad: AssemblyPolicy(special_kinds=[bad]),
        lambda bad: AssemblyPolicy(area_basis=bad),
        lambda bad: AssemblyPolicy().majority(bad),
        lambda bad: motion(kind=bad),
        lambda bad: vote(1, choice=bad),
        lambda bad: attrs.evolve(MEETING, motions=[bad]),
        lambda bad: Elector("P1", bad, ()),
        lambda bad: Electorate("SUNRISE", DAY, [bad]),
        lambda bad: Electorate("SUNRISE", DAY, (), area_basis=bad),
        lambda bad: BallotBox(bad, VOTERS),
        lambda bad: BallotBox(MEETING, bad),
        lambda bad: BallotBox(MEETING, VOTERS, [bad]),
        lambda bad: BallotBox(MEETING, VOTERS, (), [bad]),
        BOX.with_proxy,
        BOX.cast,
        lambda bad: electorate(bad, "SUNRISE", DAY),
        lambda bad: electorate(BOOK, "SUNRISE", DAY, policy=bad),
        lambda bad: tally(bad, "M1"),
        lambda bad: tally(BOX, "M1", policy=bad),
        approval_from,
    ],
)
@FEW
@given(bad=NOT_NONE)
def test_wrong_types_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@FEW
@given(bad=bad_locales)
def test_locales_are_refused(bad: object) -> None:
    result = example_vote()
    assert_refused(lambda: result.describe(bad))  # type: ignore[arg-type]
    assert_refused(lambda: result.checks[0].describe(bad))  # type: ignore[arg-type]
    assert_refused(lambda: MotionKind.REBUILD.label(bad))  # type: ignore[arg-type]


def test_a_meeting_without_motions_or_closing_before_it_opens_is_refused() -> None:
    assert_refused(lambda: attrs.evolve(MEETING, motions=()))
    assert_refused(lambda: attrs.evolve(MEETING, closes_at=MEETING.opens_at))
    assert_refused(
        lambda: Meeting("A", "S", DAY, MEETING.opens_at, MEETING.closes_at, [motion()] * 2)
    )
    late = Ballot("B", "M1", "P1", vote(1).choice, MEETING.closes_at.add(days=1))
    assert_refused(lambda: BOX.cast(late))
    assert_refused(lambda: BOX.cast(vote(2, proxy="WT-1")))
    assert_refused(lambda: BOX.with_proxy(PROXY).with_proxy(PROXY))
