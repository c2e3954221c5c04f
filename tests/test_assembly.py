"""Tests for propcrm.assembly: art. 278 thresholds, the electorate, the ballot box, the tally."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._property_types import PropertyType
from propcrm.assembly import (
    DEFAULT_ASSEMBLY_POLICY,
    AssemblyPolicy,
    Ballot,
    BallotBox,
    CheckKind,
    Choice,
    Comparison,
    ExclusiveArea,
    Majority,
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
from propcrm.billing import Approver, AreaCharge, TariffVersion
from propcrm.errors import (
    BallotRefused,
    DuplicateBallot,
    InvalidMeeting,
    LateBallot,
    MotionNotPassed,
    ProxyRefused,
)
from propcrm.money import Money
from propcrm.parties import Owner, PartyBook, Person, Unit
from propcrm.personal_data import PersonName

SINCE = pendulum.date(2020, 1, 1)
DAY = pendulum.date(2026, 6, 20)
OPENS = pendulum.datetime(2026, 6, 20, 9, tz="Asia/Shanghai")
CLOSES = OPENS.add(hours=8)


def unit(unit_id: str, area: str, inner: str | None = None) -> Unit:
    return Unit(
        unit_id=unit_id,
        community="SUNRISE",
        building="1",
        floor=1,
        number=unit_id,
        property_type=PropertyType.RESIDENTIAL,
        building_area=area,
        inner_area=inner,
    )


def book_of(areas: dict[str, str], owners: dict[str, list[tuple[str, str]]]) -> PartyBook:
    """Units by area; owners as unit -> [(party, share)]."""
    parties = sorted({p for held in owners.values() for p, _ in held} | {"X9"})
    relations = [
        Owner(relation_id=f"R{u}{p}", party_id=p, unit_id=u, start=SINCE, share=share)
        for u, held in owners.items()
        for p, share in held
    ]
    return PartyBook(
        parties=[Person(party_id=p, name=PersonName("王伟")) for p in parties],
        units=[unit(u, a) for u, a in areas.items()],
        relations=relations,
    )


# Five flats of 100 ㎡, one owner each; P1 also owns U6 (200 ㎡); U7 is unowned.
BOOK = book_of(
    {f"U{n}": "100" for n in range(1, 6)} | {"U6": "200", "U7": "50"},
    {f"U{n}": [(f"P{n}", "1")] for n in range(1, 6)} | {"U6": [("P1", "1")]},
)


def meeting(*motions: Motion) -> Meeting:
    return Meeting(
        meeting_id="AGM",
        community="SUNRISE",
        held_on=DAY,
        opens_at=OPENS,
        closes_at=CLOSES,
        motions=motions or [Motion("M1", MotionKind.FEE_ADJUSTMENT, "调价", resolution="决议1号")],
    )


def box(*ballots: Ballot, proxies: tuple[Proxy, ...] = (), book: PartyBook = BOOK) -> BallotBox:
    m = meeting()
    return BallotBox(m, electorate(book, "SUNRISE", m.held_on), proxies, ballots)


def vote(n: int, choice: Choice = Choice.FOR, **changes: Any) -> Ballot:
    values: dict[str, Any] = {
        "ballot_id": f"B{n}",
        "motion_id": "M1",
        "owner_id": f"P{n}",
        "choice": choice,
        "cast_at": OPENS.add(minutes=n),
    }
    values.update(changes)
    return Ballot(**values)


# -- thresholds -------------------------------------------------------------------------------


def test_at_least_includes_the_fraction_itself() -> None:
    # 以上 includes the number itself (Civil Code art. 1259): 2 of 3 is two thirds.
    two_thirds = Threshold(Fraction(2, 3), Comparison.AT_LEAST)
    assert two_thirds.met(2, 3)
    assert not two_thirds.met(Decimal("666.66"), Decimal(1000))


def test_more_than_half_excludes_half() -> None:
    half = Threshold("1/2", Comparison.MORE_THAN)
    assert not half.met(1, 2)
    assert half.met(Decimal("50.01"), Decimal(100))


def test_nothing_of_nothing_is_never_met() -> None:
    assert not Threshold(Fraction(1, 100)).met(0, 0)


@pytest.mark.parametrize("bad", [0.5, Fraction(0), Fraction(3, 2), "2/0", "abc", "１/２"])
def test_thresholds_refuse_floats_and_out_of_range(bad: object) -> None:
    with pytest.raises(InvalidMeeting):
        Threshold(bad)  # type: ignore[arg-type]


def test_default_policy_follows_article_278() -> None:
    p = DEFAULT_ASSEMBLY_POLICY
    assert p.quorum == Threshold(Fraction(2, 3), Comparison.AT_LEAST)
    assert p.approval(MotionKind.RAISE_REPAIR_FUND) == Threshold("3/4", Comparison.AT_LEAST)
    assert p.approval(MotionKind.FEE_ADJUSTMENT) == Threshold("1/2", Comparison.MORE_THAN)
    special = {k for k in MotionKind if p.majority(k) is Majority.SPECIAL}
    assert special == {
        MotionKind.RAISE_REPAIR_FUND,
        MotionKind.REBUILD,
        MotionKind.CHANGE_COMMON_USE,
    }
    # Using the repair fund is an ordinary matter.
    assert p.majority(MotionKind.USE_REPAIR_FUND) is Majority.ORDINARY


def test_threshold_describes_itself() -> None:
    t = Threshold("3/4")
    assert (t.describe("en_US"), t.describe("zh_CN")) == ("at least 3/4", "不低于3/4")


# -- electorate --------------------------------------------------------------------------------


def test_one_owner_of_two_units_is_one_head_with_both_areas() -> None:
    voters = electorate(BOOK, "SUNRISE", DAY)
    p1 = voters.electors[0]
    assert (p1.party_id, p1.area, p1.units) == ("P1", Decimal(300), ("U1", "U6"))
    assert (voters.total_heads, voters.total_area, voters.unowned) == (5, Decimal(700), ("U7",))


def test_co_owners_vote_with_their_shares() -> None:
    book = book_of({"U1": "89.37"}, {"U1": [("P1", "0.6"), ("P2", "0.4")]})
    voters = electorate(book, "SUNRISE", DAY)
    assert [(e.party_id, e.area) for e in voters.electors] == [
        ("P1", Decimal("53.622")),
        ("P2", Decimal("35.748")),
    ]
    assert voters.total_area == Decimal("89.370")


def test_ownership_counts_as_of_the_meeting_date() -> None:
    book = BOOK.add_party(Person(party_id="P8", name=PersonName("李娜")))
    sold = book.sell("U2", DAY.add(days=1), buyers="P8")
    before = electorate(sold, "SUNRISE", DAY)
    after = electorate(sold, "SUNRISE", DAY.add(days=1))
    assert "P2" in [e.party_id for e in before.electors]
    assert "P8" not in [e.party_id for e in before.electors]
    assert "P8" in [e.party_id for e in after.electors]


def test_inner_area_basis_counts_inner_areas_and_refuses_units_without() -> None:
    inner = AssemblyPolicy(area_basis=ExclusiveArea.INNER)
    with pytest.raises(InvalidMeeting, match="no inner area"):
        electorate(BOOK, "SUNRISE", DAY, policy=inner)
    book = PartyBook(
        parties=[Person(party_id="P1", name=PersonName("王伟"))],
        units=[unit("U1", "100", "80")],
        relations=[Owner(relation_id="R1", party_id="P1", unit_id="U1", start=SINCE)],
    )
    assert electorate(book, "SUNRISE", DAY, policy=inner).total_area == Decimal(80)


def test_other_communities_are_left_out() -> None:
    assert electorate(BOOK, "MOONRISE", DAY).electors == ()


# -- the ballot box -----------------------------------------------------------------------------


def test_a_ballot_after_the_close_is_late() -> None:
    with pytest.raises(LateBallot) as caught:
        box(vote(1, cast_at=CLOSES.add(seconds=1)))
    assert caught.value.field == "cast_at"
    box(vote(1, cast_at=CLOSES))  # the close instant itself is in time


def test_a_ballot_before_the_opening_is_refused() -> None:
    with pytest.raises(BallotRefused):
        box(vote(1, cast_at=OPENS.subtract(seconds=1)))


def test_a_second_ballot_in_person_is_a_duplicate() -> None:
    with pytest.raises(DuplicateBallot):
        box(vote(1), vote(1, ballot_id="B1b", choice=Choice.AGAINST))


def test_a_ballot_id_used_twice_is_a_duplicate() -> None:
    with pytest.raises(DuplicateBallot):
        box(vote(1), vote(2, ballot_id="B1"))


def test_a_non_owner_cannot_vote() -> None:
    with pytest.raises(BallotRefused, match="owns no unit"):
        box(vote(9, owner_id="X9"))


def test_a_ballot_for_a_motion_not_on_the_agenda_is_refused() -> None:
    with pytest.raises(BallotRefused):
        box(vote(1, motion_id="M9"))


PROXY = Proxy("WT-1", owner_id="P2", holder_id="X9")


def test_a_proxy_votes_with_its_registered_authorisation() -> None:
    result = tally(box(vote(2, proxy="WT-1"), proxies=(PROXY,)), "M1")
    assert result.in_favour.heads == 1


def test_an_unregistered_authorisation_is_refused() -> None:
    with pytest.raises(ProxyRefused, match="nobody registered"):
        box(vote(2, proxy="WT-1"))


def test_an_authorisation_cannot_be_used_for_another_owner() -> None:
    with pytest.raises(ProxyRefused, match="given by P2"):
        box(vote(3, proxy="WT-1"), proxies=(PROXY,))


def test_an_authorisation_is_registered_once() -> None:
    with pytest.raises(ProxyRefused, match="used once"):
        box(proxies=(PROXY, Proxy("WT-1", owner_id="P3", holder_id="X9")))
    with pytest.raises(ProxyRefused, match="one authorisation"):
        box(proxies=(PROXY, Proxy("WT-2", owner_id="P2", holder_id="P5")))


def test_a_proxy_votes_once_per_motion() -> None:
    with pytest.raises(DuplicateBallot):
        box(vote(2, proxy="WT-1"), vote(2, ballot_id="B2b", proxy="WT-1"), proxies=(PROXY,))


def test_an_owner_cannot_be_their_own_proxy() -> None:
    with pytest.raises(InvalidMeeting):
        Proxy("WT-1", owner_id="P2", holder_id="P2")


@pytest.mark.parametrize("own_first", [True, False])
def test_voting_in_person_overrides_the_proxy(own_first: bool) -> None:
    by_proxy = vote(2, Choice.FOR, proxy="WT-1", ballot_id="BP")
    own = vote(2, Choice.AGAINST, ballot_id="BO", cast_at=OPENS.add(minutes=1 if own_first else 9))
    result = tally(box(own, by_proxy, proxies=(PROXY,)), "M1")
    assert (result.in_favour.heads, result.against.heads) == (0, 1)
    assert [(s.ballot_id, s.overridden_by) for s in result.set_aside] == [("BP", "BO")]
    assert "BP" in result.describe("en_US")


def test_cast_adds_ballots_and_checks_them() -> None:
    empty = box()
    assert len(empty.cast(vote(1), vote(2)).ballots) == 2
    with pytest.raises(LateBallot):
        empty.cast(vote(1, cast_at=CLOSES.add(days=1)))
    assert empty.with_proxy(PROXY).proxy("WT-1") == PROXY


def test_the_electorate_must_be_the_meetings() -> None:
    with pytest.raises(InvalidMeeting):
        BallotBox(meeting(), electorate(BOOK, "SUNRISE", DAY.add(days=1)))


# -- the tally ----------------------------------------------------------------------------------


def test_passes_on_heads_and_fails_on_area() -> None:
    """The brief's scenario: four small owners for, the arcade's owner against."""
    result = example_vote()
    assert result.quorate
    assert result.check(CheckKind.CONSENT_HEADS).met
    assert not result.check(CheckKind.CONSENT_AREA).met
    assert not result.passed
    assert (result.in_favour.heads, result.in_favour.area) == (4, Decimal(360))
    zh = result.describe("zh_CN")
    assert "未通过" in zh
    assert "同意的专有部分面积：360.00 / 960.00（37.50%）" in zh


def test_a_vote_below_the_quorum_fails_whatever_the_consent() -> None:
    # P1 (300 ㎡) and P2, P3: 3 of 5 heads (60 %), 500 of 700 ㎡; heads miss 2/3.
    result = tally(box(vote(1), vote(2), vote(3)), "M1")
    assert not result.check(CheckKind.QUORUM_HEADS).met
    assert result.check(CheckKind.QUORUM_AREA).met
    assert not result.passed


def test_abstentions_participate_but_do_not_consent() -> None:
    ballots = [vote(1), vote(2), vote(3, Choice.ABSTAIN), vote(4, Choice.ABSTAIN)]
    result = tally(box(*ballots), "M1")
    assert result.quorate
    # Consent 2 of 4 heads: exactly half is not more than half.
    assert not result.check(CheckKind.CONSENT_HEADS).met
    assert result.participating.heads == 4


def test_a_special_matter_needs_three_quarters() -> None:
    m = meeting(Motion("M1", MotionKind.RAISE_REPAIR_FUND, "续筹"))
    voters = electorate(BOOK, "SUNRISE", DAY)
    # 4 of 5 heads (80 %) and 600 of 700 ㎡ for, all participating.
    ballots = [vote(1), vote(2), vote(3), vote(4), vote(5, Choice.AGAINST)]
    assert tally(BallotBox(m, voters, (), ballots), "M1").passed
    # 3 of 4 heads is exactly three quarters, which is enough (at least 3/4).
    three_of_four = [vote(1), vote(2), vote(3), vote(5, Choice.AGAINST)]
    result = tally(BallotBox(m, voters, (), three_of_four), "M1")
    assert result.check(CheckKind.CONSENT_HEADS).met
    assert result.majority is Majority.SPECIAL


def test_a_passed_fee_adjustment_is_the_tariffs_approval() -> None:
    result = tally(box(*(vote(n) for n in range(1, 6))), "M1")
    approval = approval_from(result)
    assert (approval.by, approval.reference, approval.approved_on) == (
        Approver.OWNERS_COMMITTEE,
        "决议1号",
        DAY,
    )
    version = TariffVersion(
        "2026-09",
        effective_from=pendulum.date(2026, 9, 1),
        announced_on=pendulum.date(2026, 7, 1),
        approval=approval,
        charges={PropertyType.RESIDENTIAL: (AreaCharge("MGMT", "物业管理费", Money("2.80")),)},
    )
    assert version.approval is approval


def test_a_failed_motion_approves_nothing() -> None:
    with pytest.raises(MotionNotPassed, match="consenting area") as caught:
        approval_from(example_vote())
    assert caught.value.context["missed"] == (CheckKind.CONSENT_AREA,)


def test_only_a_fee_adjustment_approves_a_tariff() -> None:
    m = meeting(Motion("M1", MotionKind.USE_REPAIR_FUND, "更换电梯"))
    voters = electorate(BOOK, "SUNRISE", DAY)
    result = tally(BallotBox(m, voters, (), [vote(n) for n in range(1, 6)]), "M1")
    assert result.passed
    with pytest.raises(MotionNotPassed, match="not a fee adjustment"):
        approval_from(result)


def test_the_tally_describes_itself_in_both_locales() -> None:
    result = example_vote()
    en, zh = result.describe("en_US"), result.describe("zh_CN")
    assert en.splitlines()[0] == "Motion M1 (a fee adjustment, ordinary matter): not passed"
    assert zh.splitlines()[0] == "议题 M1（调整物业服务收费，一般事项）：未通过"
    assert "consenting owners: 4 of 5 (80.00%), more than 1/2: met" in en


def test_a_policy_on_another_area_basis_is_refused() -> None:
    with pytest.raises(InvalidMeeting):
        tally(box(), "M1", policy=AssemblyPolicy(area_basis=ExclusiveArea.INNER))


# -- properties ---------------------------------------------------------------------------------

choices = st.lists(st.sampled_from([None, *Choice]), min_size=5, max_size=5)


@settings(max_examples=60, deadline=None)
@given(choices, st.sampled_from(list(MotionKind)))
def test_the_checks_are_the_exact_fractions_of_the_counts(
    picked: list[Choice | None], kind: MotionKind
) -> None:
    m = meeting(Motion("M1", kind, "议题"))
    voters = electorate(BOOK, "SUNRISE", DAY)
    ballots = [vote(n + 1, c) for n, c in enumerate(picked) if c is not None]
    result = tally(BallotBox(m, voters, (), ballots), "M1")
    part = result.participating
    assert part.heads == len(ballots)
    assert part.area == result.in_favour.area + result.against.area + result.abstaining.area
    consent = DEFAULT_ASSEMBLY_POLICY.approval(kind)
    quorum_area = Fraction(part.area) / Fraction(result.total.area)
    assert result.check(CheckKind.QUORUM_AREA).met is (quorum_area >= Fraction(2, 3))
    if part.heads:
        share = Fraction(result.in_favour.heads, part.heads)
        expected = (
            share >= consent.fraction
            if consent.comparison is Comparison.AT_LEAST
            else (share > consent.fraction)
        )
        assert result.check(CheckKind.CONSENT_HEADS).met is expected
    assert result.passed is all(c.met for c in result.checks)


@settings(max_examples=60, deadline=None)
@given(choices)
def test_more_consent_never_turns_a_pass_into_a_failure(picked: list[Choice | None]) -> None:
    ballots = [vote(n + 1, c) for n, c in enumerate(picked) if c is not None]
    before = tally(box(*ballots), "M1")
    flipped = [
        attrs.evolve(b, choice=Choice.FOR) if b.choice is Choice.AGAINST else b for b in ballots
    ]
    after = tally(box(*flipped), "M1")
    assert not before.passed or after.passed
