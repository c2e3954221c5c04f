"""Tests for parties._relations: typed, dated, half-open relations and their rules."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.errors import (
    HistoryRewrite,
    InvalidRelation,
    OverlappingRelations,
    OwnershipExceeded,
    OwnershipGap,
    RelationConflict,
)
from propcrm.parties import (
    AgencyContact,
    CommitteeMember,
    CommitteePost,
    ConflictKind,
    HouseholdRole,
    Merchant,
    Owner,
    OwnershipCoverage,
    Relation,
    RelationKind,
    Resident,
    Tenant,
    TenantRole,
    Visitor,
)
from propcrm.parties._relations import (
    EXCLUSIVITY_RULES,
    FULL_SHARE,
    coverage_conflicts,
    exclusivity_conflicts,
    lease_conflicts,
    ownership_total,
    share_conflicts,
    to_share,
)
from propcrm.testing._parties_strategies import relations

D = pendulum.date
UNIT = "1-2-0301"


def owner(
    rid: str,
    pid: str,
    start: pendulum.Date,
    until: pendulum.Date | None = None,
    share: str = "1",
    **kw: object,
) -> Owner:
    return Owner(
        relation_id=rid, party_id=pid, unit_id=UNIT, start=start, until=until, share=share, **kw
    )


# -- fields and dates -------------------------------------------------------------------------


def test_relations_are_half_open() -> None:
    r = owner("R1", "P1", D(2026, 1, 1), D(2026, 11, 16))
    assert not r.covers(D(2025, 12, 31))
    assert r.covers(D(2026, 1, 1))
    assert r.covers(D(2026, 11, 15))
    assert not r.covers(D(2026, 11, 16))
    assert r.in_force_between(D(2026, 11, 15), D(2026, 11, 16))
    assert not r.in_force_between(D(2026, 11, 16), None)


def test_a_sale_day_belongs_to_the_buyer_only() -> None:
    seller = owner("R1", "P1", D(2026, 1, 1), D(2026, 11, 16))
    buyer = owner("R2", "P2", D(2026, 11, 16))
    assert not seller.overlaps(buyer)
    assert not buyer.overlaps(seller)
    assert buyer.overlaps(owner("R3", "P3", D(2026, 11, 15), D(2026, 11, 17)))


def test_an_end_comes_after_the_start() -> None:
    with pytest.raises(InvalidRelation, match="not after its start"):
        owner("R1", "P1", D(2026, 1, 1), D(2026, 1, 1))
    with pytest.raises(InvalidRelation, match="planned_until"):
        Tenant(
            relation_id="R1",
            party_id="P1",
            unit_id=UNIT,
            lease_id="L1",
            start=D(2026, 1, 1),
            planned_until=D(2025, 1, 1),
        )


def test_an_actual_end_is_not_after_the_agreed_one() -> None:
    with pytest.raises(InvalidRelation, match="after its agreed end"):
        Tenant(
            relation_id="R1",
            party_id="P1",
            unit_id=UNIT,
            lease_id="L1",
            start=D(2026, 1, 1),
            planned_until=D(2027, 1, 1),
            until=D(2027, 2, 1),
        )


def test_the_agreed_end_is_in_force_until_ended_earlier() -> None:
    lease = Tenant(
        relation_id="R1",
        party_id="P1",
        unit_id=UNIT,
        lease_id="L1",
        start=D(2026, 1, 1),
        planned_until=D(2027, 1, 1),
    )
    assert lease.end == D(2027, 1, 1)
    assert not lease.covers(D(2027, 1, 1))
    early = lease.ended(D(2026, 9, 1))
    assert (early.until, early.planned_until, early.end) == (
        D(2026, 9, 1),
        D(2027, 1, 1),
        D(2026, 9, 1),
    )


def test_ending_is_recorded_once_inside_the_span() -> None:
    r = owner("R1", "P1", D(2026, 1, 1))
    ended = r.ended(D(2026, 11, 16))
    assert ended.until == D(2026, 11, 16)
    assert r.until is None  # the original is a value; nothing was changed in place
    with pytest.raises(HistoryRewrite, match="already"):
        ended.ended(D(2026, 12, 1))
    with pytest.raises(HistoryRewrite, match="later than the start"):
        r.ended(D(2026, 1, 1))
    lease = Tenant(
        relation_id="R2",
        party_id="P1",
        unit_id=UNIT,
        lease_id="L1",
        start=D(2026, 1, 1),
        planned_until=D(2027, 1, 1),
    )
    with pytest.raises(HistoryRewrite, match="after its agreed end"):
        lease.ended(D(2027, 2, 1))
    assert lease.ended(D(2027, 1, 1)).end == D(2027, 1, 1)


@pytest.mark.parametrize("share", ["0", "-0.1", "1.01", "60", 0.6, "abc"])
def test_shares_are_fractions_above_zero_up_to_one(share: object) -> None:
    with pytest.raises(InvalidRelation):
        to_share(share)


def test_shares_are_exact() -> None:
    assert to_share("0.6") + to_share("0.4") == FULL_SHARE
    assert owner("R1", "P1", D(2026, 1, 1)).share == Decimal(1)


def test_ids_and_roles_are_checked() -> None:
    with pytest.raises(InvalidRelation, match="relation id"):
        owner("R 1", "P1", D(2026, 1, 1))
    with pytest.raises(TypeError):
        Resident(relation_id="R1", party_id="P1", unit_id=UNIT, start=D(2026, 1, 1), role="head")  # type: ignore[arg-type]
    with pytest.raises(InvalidRelation, match="shop_name"):
        Merchant(relation_id="R1", party_id="P1", unit_id=UNIT, start=D(2026, 1, 1), shop_name="")
    with pytest.raises(InvalidRelation, match="pays_fees"):
        owner("R1", "P1", D(2026, 1, 1), pays_fees=1)


@pytest.mark.parametrize(
    ("relation", "kind", "label", "target"),
    [
        (owner("R1", "P1", D(2026, 1, 1)), RelationKind.OWNER, "业主", UNIT),
        (
            Visitor(relation_id="R2", party_id="P1", unit_id=UNIT, start=D(2026, 1, 1)),
            RelationKind.VISITOR,
            "访客",
            UNIT,
        ),
        (
            AgencyContact(
                relation_id="R3",
                party_id="P1",
                organisation_id="GOV1",
                post="网格员",
                start=D(2026, 1, 1),
            ),
            RelationKind.AGENCY_CONTACT,
            "机构联系人",
            "GOV1",
        ),
        (
            CommitteeMember(
                relation_id="R4",
                party_id="P1",
                committee_id="YWH",
                term="第三届",
                start=D(2026, 1, 1),
                post=CommitteePost.CHAIR,
            ),
            RelationKind.COMMITTEE_MEMBER,
            "委员会成员",
            "YWH",
        ),
    ],
)
def test_each_relation_has_its_kind_and_target(
    relation: Relation, kind: RelationKind, label: str, target: str
) -> None:
    assert relation.kind is kind
    assert kind.label() == label
    assert relation.target == target
    english = relation.describe("en_US")
    assert english.startswith(f"{relation.relation_id}: P1 {kind.label('en_US')} of {target}")
    assert relation.describe().startswith(f"{relation.relation_id}：P1 自 ")
    assert f"为 {target} 的{label}" in relation.describe()


# -- exclusivity ------------------------------------------------------------------------------


def head(rid: str, pid: str, start: pendulum.Date, until: pendulum.Date | None = None) -> Resident:
    return Resident(
        relation_id=rid,
        party_id=pid,
        unit_id=UNIT,
        start=start,
        until=until,
        role=HouseholdRole.HEAD,
    )


def tenant(rid: str, pid: str, lease: str, start: pendulum.Date, **kw: object) -> Tenant:
    return Tenant(relation_id=rid, party_id=pid, unit_id=UNIT, lease_id=lease, start=start, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("relations_", "rule"),
    [
        (
            [
                owner("R1", "P1", D(2026, 1, 1), share="0.5"),
                owner("R2", "P1", D(2026, 6, 1), share="0.5"),
            ],
            "a party holds one relation of a kind to a target at a time",
        ),
        (
            [
                tenant("R1", "P1", "L1", D(2026, 1, 1), planned_until=D(2027, 1, 1)),
                tenant("R2", "P2", "L2", D(2026, 6, 1), role=TenantRole.CO_TENANT),
            ],
            "one lease of a unit at a time",
        ),
        (
            [tenant("R1", "P1", "L1", D(2026, 1, 1)), tenant("R2", "P2", "L1", D(2026, 1, 1))],
            "one lead tenant of a unit at a time",
        ),
        (
            [
                tenant("R1", "P1", "L1", D(2026, 1, 1), pays_fees=True),
                tenant("R2", "P2", "L1", D(2026, 1, 1), role=TenantRole.CO_TENANT, pays_fees=True),
            ],
            "one fee-paying tenant of a unit at a time",
        ),
        (
            [
                owner("R1", "P1", D(2026, 1, 1), share="0.5", pays_fees=True),
                owner("R2", "P2", D(2026, 1, 1), share="0.5", pays_fees=True),
            ],
            "one designated fee-paying owner of a unit at a time",
        ),
        (
            [head("R1", "P1", D(2026, 1, 1)), head("R2", "P2", D(2026, 3, 1))],
            "one household head (户主) of a unit at a time",
        ),
        (
            [
                Merchant(
                    relation_id="R1",
                    party_id="P1",
                    unit_id=UNIT,
                    start=D(2026, 1, 1),
                    shop_name="甲",
                ),
                Merchant(
                    relation_id="R2",
                    party_id="P2",
                    unit_id=UNIT,
                    start=D(2026, 1, 1),
                    shop_name="乙",
                ),
            ],
            "one merchant in a shop at a time",
        ),
        (
            [
                CommitteeMember(
                    relation_id=f"R{n}",
                    party_id=f"P{n}",
                    committee_id="YWH",
                    term="第三届",
                    start=D(2026, 1, 1),
                    post=CommitteePost.CHAIR,
                )
                for n in (1, 2)
            ],
            "one chair (主任) of a committee at a time",
        ),
    ],
)
def test_each_exclusivity_rule_finds_its_overlap(relations_: list[Relation], rule: str) -> None:
    found = exclusivity_conflicts(relations_)
    assert [c.rule for c in found] == [rule]
    assert found[0].kind is ConflictKind.OVERLAP
    assert found[0].relation_ids == ("R1", "R2")
    assert isinstance(found[0].error(), OverlappingRelations)


def test_the_tenants_of_one_lease_share_days_and_successive_leases_do_not_overlap() -> None:
    together = [
        tenant("R1", "P1", "L1", D(2026, 1, 1), planned_until=D(2027, 1, 1)),
        tenant("R2", "P2", "L1", D(2026, 1, 1), role=TenantRole.CO_TENANT),
    ]
    after = tenant("R3", "P3", "L2", D(2027, 1, 1))
    together[1] = together[1].ended(D(2027, 1, 1))
    assert exclusivity_conflicts([*together, after]) == ()


def test_visitors_may_come_twice_a_day_and_roles_that_are_not_exclusive_share_days() -> None:
    visits = [
        Visitor(relation_id=f"R{n}", party_id="P1", unit_id=UNIT, start=D(2026, 1, 1))
        for n in (1, 2)
    ]
    members = [
        Resident(relation_id=f"R{n}", party_id=f"P{n}", unit_id=UNIT, start=D(2026, 1, 1))
        for n in (3, 4)
    ]
    contacts = [
        AgencyContact(
            relation_id=f"R{n}",
            party_id="P1",
            organisation_id="GOV",
            post=post,
            start=D(2026, 1, 1),
        )
        for n, post in ((5, "网格员"), (6, "应急联络"))
    ]
    assert exclusivity_conflicts([*visits, *members, *contacts]) == ()


def _brute_force(items: list[Relation]) -> set[tuple[str, frozenset[str]]]:
    found = set()
    for rule in EXCLUSIVITY_RULES:
        for a, b in itertools.combinations(items, 2):
            if (
                rule.applies(a)
                and rule.applies(b)
                and rule.key(a) == rule.key(b)
                and rule.group(a) != rule.group(b)
                and a.overlaps(b)
            ):
                found.add((rule.name, frozenset((a.relation_id, b.relation_id))))
    return found


@settings(max_examples=60)
@given(
    st.lists(
        relations(party_ids=("P1", "P2"), unit_ids=(UNIT,), organisation_ids=("YWH",)),
        max_size=6,
        unique_by=lambda r: r.relation_id,
    )
)
def test_exclusivity_sweep_finds_exactly_the_overlapping_pairs(items: list[Relation]) -> None:
    found = {(c.rule, frozenset(c.relation_ids)) for c in exclusivity_conflicts(items)}
    assert found == _brute_force(items)


# -- shares and coverage ----------------------------------------------------------------------


def test_joint_owners_60_40_hold_the_whole_unit() -> None:
    joint = [
        owner("R1", "P1", D(2026, 1, 1), share="0.6"),
        owner("R2", "P2", D(2026, 1, 1), share="0.4"),
    ]
    assert ownership_total(joint, D(2026, 1, 1)) == FULL_SHARE
    assert share_conflicts(joint) == ()
    assert coverage_conflicts(UNIT, joint, D(2026, 1, 1)) == ()


def test_shares_above_100_percent_are_found_on_their_first_day() -> None:
    over = [
        owner("R1", "P1", D(2026, 1, 1), share="0.6"),
        owner("R2", "P2", D(2026, 3, 1), share="0.5", until=D(2026, 4, 1)),
    ]
    (conflict,) = share_conflicts(over)
    assert conflict.on == D(2026, 3, 1)
    assert conflict.kind is ConflictKind.SHARE_EXCEEDED
    assert isinstance(conflict.error(), OwnershipExceeded)
    assert "110 %" in conflict.message


def test_coverage_modes() -> None:
    half = [owner("R1", "P1", D(2026, 1, 1), share="0.5")]
    since = D(2026, 3, 1)
    (gap,) = coverage_conflicts(UNIT, half, since)
    assert gap.on == since
    assert isinstance(gap.error(), OwnershipGap)
    assert coverage_conflicts(UNIT, half, since, OwnershipCoverage.ANY_OWNER) == ()
    assert coverage_conflicts(UNIT, [], since, OwnershipCoverage.NONE) == ()
    (none,) = coverage_conflicts(UNIT, [], since, OwnershipCoverage.ANY_OWNER)
    assert "include an owner" in none.message


def test_coverage_finds_the_day_ownership_lapses() -> None:
    sold = [owner("R1", "P1", D(2026, 1, 1), until=D(2026, 11, 16))]
    (gap,) = coverage_conflicts(UNIT, sold, D(2026, 3, 1))
    assert gap.on == D(2026, 11, 16)
    assert "0 %" in gap.message


def test_a_lease_is_of_one_unit() -> None:
    split = [
        tenant("R1", "P1", "L1", D(2026, 1, 1)),
        Tenant(
            relation_id="R2", party_id="P2", unit_id="9-9-0909", lease_id="L1", start=D(2026, 1, 1)
        ),
    ]
    (conflict,) = lease_conflicts(split)
    assert conflict.kind is ConflictKind.INCONSISTENT
    assert type(conflict.error()) is RelationConflict


@settings(max_examples=60)
@given(
    st.lists(
        relations(kinds=(RelationKind.OWNER,), party_ids=("P1", "P2", "P3")),
        max_size=5,
        unique_by=lambda r: r.relation_id,
    )
)
def test_share_conflicts_are_found_iff_some_day_exceeds_100_percent(items: list[Owner]) -> None:
    days = {r.start for r in items} | {r.end for r in items if r.end is not None}
    exceeded = any(ownership_total(items, d) > FULL_SHARE for d in days)
    assert bool(share_conflicts(items)) == exceeded
