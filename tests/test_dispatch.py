"""Tests for complaints._dispatch: who takes a request, by territory and skill, and why."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._trusted import rebuilt_validated
from propcrm.classification import Category
from propcrm.complaints import (
    ANYWHERE,
    SKILL_BY_CATEGORY,
    CandidateTrial,
    DispatchDecision,
    RejectReason,
    Roster,
    Skill,
    StaffMember,
    Team,
    choose_assignee,
    skill_for,
)
from propcrm.complaints._dispatch import (
    DEFAULT_MAX_OPEN,
    DEFAULT_SKILLS,
    MAX_CODE_LENGTH,
    MAX_NAMED_IN_MESSAGE,
)
from propcrm.errors import DispatchError, RequestError, UnsupportedLocale

WANG = StaffMember("S01", "王师傅", {"plumbing"}, {"B1", "B2"}, team="ENG")
LI = StaffMember("S02", "李师傅", {"plumbing", "electrical"}, {ANYWHERE}, team="ENG")
ZHANG = StaffMember("S03", "张师傅", {"electrical"}, {"B1"}, team="ENG", active=False)
ZHAO = StaffMember("S04", "赵保安", {"security"}, {"B1", "B2", "B3"}, team="SEC")
ENG = Team("ENG", "工程部", {"plumbing", "electrical", "lift"}, {ANYWHERE})
SEC = Team("SEC", "秩序维护部", {"security"}, {"B1", "B2", "B3"})
ROSTER = Roster([WANG, LI, ZHANG, ZHAO], [ENG, SEC])


def member(staff_id: str, **changes: Any) -> StaffMember:
    base = StaffMember(staff_id, f"员工{staff_id}", {"plumbing"}, {"B1"})
    return attrs.evolve(base, **changes)


# -- skills ---------------------------------------------------------------------------------


def test_every_category_is_mapped_to_a_default_skill() -> None:
    assert set(SKILL_BY_CATEGORY) == set(Category)
    for category in Category:
        assert skill_for(category) in DEFAULT_SKILLS


def test_every_default_skill_is_needed_by_some_category() -> None:
    assert set(SKILL_BY_CATEGORY.values()) == set(DEFAULT_SKILLS)
    assert tuple(Skill) == DEFAULT_SKILLS
    assert len(set(DEFAULT_SKILLS)) == len(DEFAULT_SKILLS)


@pytest.mark.parametrize(
    ("category", "skill"),
    [
        (Category.WATER_LEAK, "plumbing"),
        (Category.BURST_PIPE, "plumbing"),
        (Category.BLOCKED_DRAIN, "plumbing"),
        (Category.NO_WATER, "plumbing"),
        (Category.SEWAGE_OVERFLOW, "plumbing"),
        (Category.ELECTRICAL_FAULT, "electrical"),
        (Category.POWER_OUTAGE, "electrical"),
        (Category.COMMON_AREA_LIGHTING, "electrical"),
        (Category.LIFT_FAULT, "lift"),
        (Category.LIFT_ENTRAPMENT, "lift"),
        (Category.GAS_SMELL, "gas"),
        (Category.SECURITY_INCIDENT, "security"),
        (Category.FIRE_ALARM, "security"),
        (Category.PARKING, "security"),
        (Category.CLEANING, "cleaning"),
        (Category.PEST, "cleaning"),
        (Category.GREENING, "greening"),
        (Category.NOISE, "customer_service"),
        (Category.PET, "customer_service"),
        (Category.DECORATION_VIOLATION, "customer_service"),
        (Category.OTHER, "customer_service"),
        (Category.INTERCOM, "low_voltage"),
        (Category.HEATING_AIR_CONDITIONING, "hvac"),
        (Category.ROOF_LEAK, "civil"),
        (Category.DOOR_LOCK, "civil"),
        (Category.FACILITY_DAMAGE, "civil"),
    ],
)
def test_default_skill_of_each_category(category: Category, skill: str) -> None:
    assert skill_for(category) == skill
    assert type(skill_for(category)) is str


def test_skill_for_uses_a_communitys_own_mapping() -> None:
    own = dict.fromkeys(Category, "general_repairs")
    assert skill_for(Category.WATER_LEAK, own) == "general_repairs"


def test_skill_for_refuses_a_mapping_with_a_gap() -> None:
    with pytest.raises(DispatchError, match=r"no skill for category 'pet'.*every Category"):
        skill_for(Category.PET, {Category.NOISE: "mediation"})


def test_skill_for_refuses_a_bad_skill_in_the_mapping_and_a_non_category() -> None:
    with pytest.raises(DispatchError, match="skill '' must be a non-empty str"):
        skill_for(Category.PET, {Category.PET: ""})
    with pytest.raises(DispatchError, match="must be a Category member"):
        skill_for("pet")  # type: ignore[arg-type]  # the wrong type is the point


def test_skills_and_reasons_have_labels_in_both_locales() -> None:
    for skill in Skill:
        assert skill.label("zh_CN")
        assert skill.label("en_US")
        assert skill.label("zh_CN") != skill.label("en_US")
    for reason in RejectReason:
        assert reason.label()
        assert reason.label("en_US")
    assert Skill.PLUMBING.label() == "给排水"
    with pytest.raises(UnsupportedLocale, match="'xx_YY' is not supported"):
        Skill.PLUMBING.label("xx_YY")
    with pytest.raises(UnsupportedLocale, match="'en_GB' is not supported"):
        RejectReason.EXCLUDED.label("en_GB")


# -- staff members and teams ----------------------------------------------------------------


def test_member_defaults_and_conversions() -> None:
    m = StaffMember("S01", "王师傅", [Skill.PLUMBING, "plumbing"], ("B1",))
    assert m.skills == frozenset({"plumbing"})
    assert all(type(skill) is str for skill in m.skills)
    assert m.territories == frozenset({"B1"})
    assert m.team is None
    assert m.active is True
    assert m.max_open == DEFAULT_MAX_OPEN == 10


def test_member_covers_territory_by_name_or_anywhere() -> None:
    assert WANG.covers_territory("B1")
    assert not WANG.covers_territory("B3")
    assert LI.covers_territory("B99")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"staff_id": ""}, "staff id '' must be a non-empty str without spaces"),
        ({"staff_id": "S 1"}, "staff id 'S 1' must be a non-empty str without spaces"),
        ({"staff_id": "S" * (MAX_CODE_LENGTH + 1)}, f"at most {MAX_CODE_LENGTH} characters"),
        ({"staff_id": 7}, "staff id 7 must be a non-empty str"),
        ({"name": "  "}, "name '  ' must be a non-empty str"),
        ({"name": None}, "name None must be a non-empty str"),
        ({"skills": "plumbing"}, "skills must be a collection of skill codes, not 'plumbing'"),
        ({"skills": 5}, "skills must be a collection of skill codes, not 5"),
        ({"skills": [1]}, "skill 1 must be a non-empty str"),
        ({"skills": set()}, "skills must hold at least one skill code"),
        ({"territories": []}, "territorys must hold at least one territory code"),
        ({"territories": ["B 1"]}, "territory 'B 1' must be a non-empty str without spaces"),
        ({"team": ""}, "team id '' must be a non-empty str"),
        ({"active": 1}, "active 1 must be True or False"),
        ({"max_open": -1}, "max open -1 must be an int of 0 or more"),
        ({"max_open": True}, "max open True must be an int of 0 or more"),
        ({"max_open": 2.0}, "max open 2.0 must be an int of 0 or more"),
    ],
)
def test_member_validators(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(DispatchError, match=message):
        attrs.evolve(WANG, **changes)


def test_dispatch_error_is_a_request_error_and_a_value_error() -> None:
    with pytest.raises(RequestError):
        member("")
    with pytest.raises(ValueError, match="staff id"):
        member("")


def test_team_validators() -> None:
    assert ENG.covers_territory("B7")
    assert not SEC.covers_territory("B7")
    with pytest.raises(DispatchError, match="team id '' must be"):
        Team("", "工程部", {"plumbing"}, {ANYWHERE})
    with pytest.raises(DispatchError, match="skills must hold at least one"):
        Team("ENG", "工程部", (), {ANYWHERE})
    with pytest.raises(DispatchError, match="name '' must be"):
        Team("ENG", "", {"plumbing"}, {ANYWHERE})


# -- the roster -----------------------------------------------------------------------------


def test_roster_looks_up_members_and_teams() -> None:
    assert ROSTER.member("S02") is LI
    assert ROSTER.team("SEC") is SEC
    assert Roster() == Roster([], [])
    assert Roster([WANG, LI], [ENG]) == Roster((WANG, LI), (ENG,))


def test_roster_refuses_duplicate_ids() -> None:
    with pytest.raises(DispatchError, match="staff id 'S01' is on the roster twice"):
        Roster([WANG, attrs.evolve(LI, staff_id="S01")], [ENG])
    with pytest.raises(DispatchError, match="team id 'ENG' is on the roster twice"):
        Roster([], [ENG, ENG])
    with pytest.raises(DispatchError, match="id 'S01' names both a member and a team"):
        Roster([member("S01")], [Team("S01", "x", {"a"}, {"B1"})])


def test_roster_refuses_a_member_of_a_team_not_on_it() -> None:
    with pytest.raises(DispatchError, match=r"S01 is in team 'ENG'.*its teams: none"):
        Roster([WANG])


def test_roster_refuses_what_is_not_a_member_or_team() -> None:
    with pytest.raises(DispatchError, match="members must be a collection of StaffMember"):
        Roster(WANG)  # type: ignore[arg-type]  # a single member instead of a collection
    with pytest.raises(DispatchError, match="members hold StaffMember values, not 'S01'"):
        Roster(["S01"])  # type: ignore[list-item]  # an id instead of a member
    with pytest.raises(DispatchError, match="teams hold Team values"):
        Roster([], [WANG])  # type: ignore[list-item]  # a member where a team belongs


def test_unknown_member_names_the_known_ones() -> None:
    with pytest.raises(DispatchError, match=r"no staff member 'S99'.*S01, S02, S03, S04\.$"):
        ROSTER.member("S99")
    with pytest.raises(DispatchError, match=r"no team 'X'.*its teams: ENG, SEC\.$"):
        ROSTER.team("X")


def test_unknown_member_message_stays_short_on_a_large_roster() -> None:
    roster = Roster([member(f"S{n:03}") for n in range(200)])
    with pytest.raises(DispatchError) as caught:
        roster.member("S999")
    message = str(caught.value)
    assert f"and {200 - MAX_NAMED_IN_MESSAGE} more" in message
    assert message.count("S0") + message.count("S1") == MAX_NAMED_IN_MESSAGE
    assert len(message) < 200


def test_candidates_are_active_skilled_and_covering_by_name_first() -> None:
    roster = Roster(
        [
            member("S09", territories={ANYWHERE}),
            member("S05"),
            member("S01", active=False),
            member("S02", skills={"lift"}),
            member("S03", territories={"B2"}),
            member("S04", territories={"B1", ANYWHERE}),
        ]
    )
    assert [m.staff_id for m in roster.candidates("B1", "plumbing")] == ["S04", "S05", "S09"]


def test_check_accepts_a_fitting_member_or_team() -> None:
    ROSTER.check("S01", "B1", "plumbing")
    ROSTER.check("S02", "B9", "electrical")
    ROSTER.check("ENG", "B9", "lift")
    assert ROSTER.covers("SEC", "B3", "security")


def test_check_ignores_capacity() -> None:
    roster = Roster([member("S01", max_open=0)])
    roster.check("S01", "B1", "plumbing")
    with pytest.raises(DispatchError, match="no active staff"):
        choose_assignee(roster, "B1", "plumbing")


@pytest.mark.parametrize(
    ("assignee", "territory", "skill", "message"),
    [
        ("S99", "B1", "plumbing", r"assignee 'S99' is not on the roster; its members: S01"),
        ("S03", "B1", "electrical", r"S03 \(张师傅\) cannot take electrical in B1: inactive\.$"),
        ("S01", "B1", "lift", r"S01 \(王师傅\) cannot take lift in B1: lacks skill 'lift' \(has"),
        ("S01", "B3", "plumbing", r"does not cover territory 'B3' \(covers B1, B2\)\.$"),
        ("S03", "B5", "lift", r"inactive; lacks skill 'lift' \(has electrical\); does not cover"),
        ("SEC", "B5", "security", r"SEC \(秩序维护部\) cannot take security in B5: does not cover"),
        ("ENG", "B1", "gas", r"ENG \(工程部\) cannot take gas in B1: lacks skill 'gas'"),
    ],
)
def test_check_says_what_is_missing(
    assignee: str, territory: str, skill: str, message: str
) -> None:
    with pytest.raises(DispatchError, match=message):
        ROSTER.check(assignee, territory, skill)
    assert not ROSTER.covers(assignee, territory, skill)


def test_a_request_territory_is_concrete() -> None:
    with pytest.raises(DispatchError, match="territory '\\*' means 'anywhere' on a roster"):
        ROSTER.check("S02", ANYWHERE, "plumbing")
    with pytest.raises(DispatchError, match="territory '\\*' means 'anywhere'"):
        choose_assignee(ROSTER, ANYWHERE, "plumbing")
    with pytest.raises(DispatchError, match="territory '' must be"):
        ROSTER.candidates("", "plumbing")
    with pytest.raises(DispatchError, match="skill 'gas leak' must be"):
        ROSTER.covers("S02", "B1", "gas leak")


# -- choosing -------------------------------------------------------------------------------


def test_covering_by_name_comes_before_anywhere_even_with_more_load() -> None:
    decision = choose_assignee(ROSTER, "B1", "plumbing", open_load={"S01": 5})
    assert (decision.assignee, decision.team) == ("S01", "ENG")
    assert decision.considered[0] == CandidateTrial("S01", "王师傅", True, (), 5, 10, True)
    assert decision.considered[1] == CandidateTrial(
        "S02", "李师傅", False, (RejectReason.LATER_IN_ORDER,), 0, 10, False
    )


def test_least_load_first_then_staff_id() -> None:
    roster = Roster([member("S03"), member("S01"), member("S02")])
    assert choose_assignee(roster, "B1", "plumbing").assignee == "S01"
    load = {"S01": 2, "S02": 1, "S03": 1}
    decision = choose_assignee(roster, "B1", "plumbing", open_load=load)
    assert decision.assignee == "S02"
    assert [t.staff_id for t in decision.considered] == ["S02", "S03", "S01"]


def test_members_at_capacity_are_passed_over() -> None:
    roster = Roster([member("S01", max_open=2), member("S02", max_open=3)])
    decision = choose_assignee(roster, "B1", "plumbing", open_load={"S01": 2, "S02": 2})
    assert decision.assignee == "S02"
    assert decision.considered[1].reasons == (RejectReason.AT_CAPACITY,)


def test_reassignment_excludes_the_current_assignee() -> None:
    decision = choose_assignee(ROSTER, "B1", "plumbing", exclude={"S01"})
    assert decision.assignee == "S02"
    excluded = next(t for t in decision.considered if t.staff_id == "S01")
    assert excluded.reasons == (RejectReason.EXCLUDED,)


def test_every_member_is_considered_with_every_reason() -> None:
    decision = choose_assignee(ROSTER, "B3", "plumbing")
    by_id = {t.staff_id: t for t in decision.considered}
    assert set(by_id) == {"S01", "S02", "S03", "S04"}
    assert by_id["S01"].reasons == (RejectReason.NOT_IN_TERRITORY,)
    assert by_id["S03"].reasons == (
        RejectReason.INACTIVE,
        RejectReason.NO_SKILL,
        RejectReason.NOT_IN_TERRITORY,
    )
    assert by_id["S04"].reasons == (RejectReason.NO_SKILL,)
    # Qualified first, then the rest by staff id.
    assert [t.staff_id for t in decision.considered] == ["S02", "S01", "S03", "S04"]


def test_falls_back_to_a_team_when_no_member_fits() -> None:
    decision = choose_assignee(ROSTER, "B1", "lift")
    assert (decision.assignee, decision.team) == (None, "ENG")
    assert decision.to_team
    assert decision.assigned_to == "ENG"
    assert not any(t.chosen for t in decision.considered)


def test_team_fallback_prefers_covering_by_name_and_honours_exclude() -> None:
    teams = [
        Team("A", "全区", {"plumbing"}, {ANYWHERE}),
        Team("C", "三号楼", {"plumbing"}, {"B3"}),
        Team("B", "三号楼二", {"plumbing"}, {"B3"}),
    ]
    roster = Roster([], teams)
    assert choose_assignee(roster, "B3", "plumbing").team == "B"
    assert choose_assignee(roster, "B3", "plumbing", exclude=["B"]).team == "C"
    assert choose_assignee(roster, "B7", "plumbing").team == "A"
    with pytest.raises(DispatchError, match="no active staff or team covers territory 'B7'"):
        choose_assignee(roster, "B7", "plumbing", exclude=["A"])


def test_team_fallback_when_everyone_is_at_capacity_or_excluded() -> None:
    decision = choose_assignee(
        ROSTER, "B1", "plumbing", open_load={"S02": DEFAULT_MAX_OPEN}, exclude={"S01"}
    )
    assert decision.team == "ENG"
    assert decision.assignee is None


def test_nobody_at_all_says_who_has_the_skill_and_why_not() -> None:
    roster = Roster(
        [
            member("S01", active=False),
            member("S02", territories={"B2", "B4"}),
            member("S03", max_open=1),
            member("S04"),
            member("S05", skills={"lift"}),
        ]
    )
    with pytest.raises(DispatchError) as caught:
        choose_assignee(roster, "B1", "plumbing", open_load={"S03": 1}, exclude=["S04"])
    assert str(caught.value) == (
        "no active staff or team covers territory 'B1' with skill 'plumbing'; members with the "
        "skill: S01 (inactive), S02 (covers B2/B4), S03 (at capacity 1/1), S04 (excluded). "
        "Add a member or team that covers it, or assign by hand."
    )


def test_nobody_at_all_on_a_large_roster_keeps_the_message_short() -> None:
    roster = Roster([member(f"S{n:03}", territories={"B2"}) for n in range(100)])
    with pytest.raises(DispatchError, match=f"and {100 - MAX_NAMED_IN_MESSAGE} more\\. Add"):
        choose_assignee(roster, "B1", "plumbing")


def test_unknown_ids_in_load_and_exclude_are_ignored() -> None:
    decision = choose_assignee(ROSTER, "B1", "plumbing", open_load={"GONE": 3}, exclude={"OLD"})
    assert decision.assignee == "S01"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"open_load": {"S01": -1}}, "open load -1 of 'S01' must be an int of 0 or more"),
        ({"open_load": {"S01": True}}, "open load True of 'S01' must be an int"),
        ({"open_load": [("S01", 1)]}, "open_load must map staff ids to counts"),
        ({"exclude": "S01"}, "exclude must be a collection of staff or team ids, not 'S01'"),
        ({"exclude": [""]}, "excluded id '' must be a non-empty str"),
    ],
)
def test_choose_assignee_validates_its_inputs(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(DispatchError, match=message):
        choose_assignee(ROSTER, "B1", "plumbing", **kwargs)  # type: ignore[arg-type]


def test_choose_assignee_needs_a_roster() -> None:
    with pytest.raises(DispatchError, match="roster must be a Roster"):
        choose_assignee([WANG], "B1", "plumbing")  # type: ignore[arg-type]


# -- the decision as data -------------------------------------------------------------------


def test_decision_refuses_inconsistent_parts() -> None:
    chosen = CandidateTrial("S01", "王师傅", True, (), 0, 10, True)
    later = CandidateTrial("S02", "李师傅", False, (RejectReason.LATER_IN_ORDER,), 0, 10, False)
    DispatchDecision("S01", None, "B1", "plumbing", [chosen, later])
    with pytest.raises(DispatchError, match="names the team whose queue takes the request"):
        DispatchDecision(None, None, "B1", "plumbing", [later])
    with pytest.raises(DispatchError, match="no chosen member"):
        DispatchDecision(None, "ENG", "B1", "plumbing", [chosen])
    with pytest.raises(DispatchError, match="assignee 'S02' must be the one chosen member"):
        DispatchDecision("S02", None, "B1", "plumbing", [chosen, later])
    with pytest.raises(DispatchError, match="considers each member once"):
        DispatchDecision(
            "S01", None, "B1", "plumbing", [chosen, attrs.evolve(later, staff_id="S01")]
        )
    with pytest.raises(DispatchError, match="considered holds CandidateTrial values"):
        DispatchDecision(None, "ENG", "B1", "plumbing", ["S01"])  # type: ignore[list-item]


def test_trial_refuses_inconsistent_reasons() -> None:
    with pytest.raises(DispatchError, match="chosen member has no reasons"):
        CandidateTrial("S01", "王", True, (RejectReason.EXCLUDED,), 0, 10, True)
    with pytest.raises(DispatchError, match="chosen member has no reasons"):
        CandidateTrial("S01", "王", False, (), 0, 10, True)
    with pytest.raises(DispatchError, match=r"LATER_IN_ORDER .* stands alone"):
        CandidateTrial(
            "S01",
            "王",
            False,
            (RejectReason.EXCLUDED, RejectReason.LATER_IN_ORDER),
            0,
            10,
            True,
        )
    with pytest.raises(DispatchError, match="a reason must be a RejectReason member"):
        CandidateTrial("S01", "王", False, ("excluded",), 0, 10, True)  # type: ignore[arg-type]
    with pytest.raises(DispatchError, match="open load -2"):
        CandidateTrial("S01", "王", True, (), -2, 10, True)


def test_explain_in_chinese_and_english() -> None:
    decision = choose_assignee(ROSTER, "B1", "plumbing", open_load={"S01": 2})
    assert decision.explain() == (
        "给排水 @ B1：S01 王师傅（班组 ENG）",
        "  S01 王师傅：选中（负责 B1，在办 2/10）",
        "  S02 李师傅：排序在后（负责全部区域，在办 0/10）",
        "  S03 张师傅：不在岗、无此技能",
        "  S04 赵保安：无此技能",
    )
    assert decision.explain("en_US")[0] == "plumbing in B1: S01 王师傅 (team ENG)"
    team = choose_assignee(ROSTER, "B1", "lift")
    assert team.explain()[0] == "电梯 @ B1：无可派人员，转班组 ENG 待派"
    assert team.explain("en_US")[0] == "lift in B1: no member available; to team ENG's queue"
    own = choose_assignee(Roster([member("S01", skills={"水电"})]), "B1", "水电")
    assert own.explain("en_US")[0] == "水电 in B1: S01 员工S01"
    assert decision.explain("en_US")[1:] == (
        "  S01 王师傅: chosen (covers B1 by name, 2 of 10 open)",
        "  S02 李师傅: later in order (covers B1 as anywhere, 0 of 10 open)",
        "  S03 张师傅: inactive, lacks the skill",
        "  S04 赵保安: lacks the skill",
    )
    with pytest.raises(UnsupportedLocale):
        decision.explain("nope")


# -- a scenario that reads like the brief (§4: dispatch and reassignment) --------------------


def test_a_leak_at_night_is_dispatched_then_reassigned_when_the_plumber_goes_off_shift() -> None:
    roster = Roster(
        [
            StaffMember("E01", "王师傅", {Skill.PLUMBING}, {"B3", "B4"}, team="ENG"),
            StaffMember("E02", "李师傅", {Skill.PLUMBING, Skill.ELECTRICAL}, {ANYWHERE}, "ENG"),
            StaffMember("E03", "陈师傅", {Skill.ELECTRICAL}, {"B3"}, team="ENG"),
        ],
        [Team("ENG", "工程部", set(Skill), {ANYWHERE})],
    )
    skill = skill_for(Category.WATER_LEAK)
    first = choose_assignee(roster, "B3", skill, open_load={"E01": 1})
    assert first.assignee == "E01"  # B3 is his building; the roving plumber comes second
    roster.check(first.assignee, "B3", skill)

    off_shift = Roster(
        [attrs.evolve(m, active=m.staff_id != "E01") for m in roster.members], roster.teams
    )
    with pytest.raises(DispatchError, match=r"E01 .* inactive"):
        off_shift.check("E01", "B3", skill)
    second = choose_assignee(off_shift, "B3", skill, exclude={first.assignee})
    assert second.assignee == "E02"

    # Nobody left for a third attempt: the request waits in the engineering team's queue.
    third = choose_assignee(off_shift, "B3", skill, exclude={"E01", "E02"})
    assert third.assigned_to == "ENG"
    assert third.to_team


# -- properties -----------------------------------------------------------------------------

TERRITORIES = ("B1", "B2", "B3")
SKILLS = ("plumbing", "electrical", "lift")
TEAM_IDS = ("T1", "T2")


@st.composite
def rosters(draw: st.DrawFn) -> Roster:
    teams = [
        Team(
            team_id,
            f"班组{team_id}",
            draw(st.frozensets(st.sampled_from(SKILLS), min_size=1)),
            draw(st.frozensets(st.sampled_from((*TERRITORIES, ANYWHERE)), min_size=1)),
        )
        for team_id in draw(st.lists(st.sampled_from(TEAM_IDS), unique=True))
    ]
    ids = draw(st.lists(st.sampled_from([f"S{n:02}" for n in range(12)]), unique=True))
    members = [
        StaffMember(
            staff_id,
            f"员工{staff_id}",
            draw(st.frozensets(st.sampled_from(SKILLS), min_size=1)),
            draw(st.frozensets(st.sampled_from((*TERRITORIES, ANYWHERE)), min_size=1)),
            team=draw(st.sampled_from([None, *(t.team_id for t in teams)])),
            active=draw(st.booleans()),
            max_open=draw(st.integers(0, 4)),
        )
        for staff_id in ids
    ]
    return Roster(members, teams)


@settings(max_examples=100)
@given(rosters(), st.sampled_from([f"S{n:02}" for n in range(14)] + ["T1", "T2", "T3"]))
def test_the_roster_lookups_equal_a_search_of_its_fields(roster: Roster, wanted: str) -> None:
    """The by-id caches (``set_cached`` in ``__attrs_post_init__``) answer as a plain search does.

    The explained path: look the id up in ``members`` and ``teams`` one by one; the roster
    rebuilt through its validators is equal and answers the same.
    """
    rebuilt = rebuilt_validated(roster)
    assert rebuilt == roster
    member = next((m for m in roster.members if m.staff_id == wanted), None)
    team = next((t for t in roster.teams if t.team_id == wanted), None)
    for built in (roster, rebuilt):
        if member is None:
            with pytest.raises(DispatchError, match="no staff member"):
                built.member(wanted)
        else:
            assert built.member(wanted) is member
        if team is None:
            with pytest.raises(DispatchError, match="no team"):
                built.team(wanted)
        else:
            assert built.team(wanted) is team


@st.composite
def situations(draw: st.DrawFn) -> tuple[Roster, str, str, dict[str, int], frozenset[str]]:
    roster = draw(rosters())
    ids = [m.staff_id for m in roster.members] + [t.team_id for t in roster.teams]
    load = draw(st.dictionaries(st.sampled_from(ids), st.integers(0, 5))) if ids else {}
    exclude = draw(st.frozensets(st.sampled_from(ids))) if ids else frozenset()
    return roster, draw(st.sampled_from(TERRITORIES)), draw(st.sampled_from(SKILLS)), load, exclude


def qualifies(
    m: StaffMember, territory: str, skill: str, load: Mapping[str, int], exclude: frozenset[str]
) -> bool:
    return (
        m.active
        and skill in m.skills
        and (territory in m.territories or ANYWHERE in m.territories)
        and load.get(m.staff_id, 0) < m.max_open
        and m.staff_id not in exclude
    )


def decide(
    roster: Roster, territory: str, skill: str, load: dict[str, int], exclude: frozenset[str]
) -> DispatchDecision | None:
    try:
        return choose_assignee(roster, territory, skill, open_load=load, exclude=exclude)
    except DispatchError:
        return None


@settings(max_examples=150)
@given(situations())
def test_the_chosen_member_always_qualifies_and_is_first_in_order(
    situation: tuple[Roster, str, str, dict[str, int], frozenset[str]],
) -> None:
    roster, territory, skill, load, exclude = situation
    decision = decide(*situation)
    fit = [m for m in roster.members if qualifies(m, territory, skill, load, exclude)]
    if fit:
        # Someone qualifies: a member is chosen, never a team.
        assert decision is not None
        assert decision.assignee is not None
        chosen = roster.member(decision.assignee)
        assert qualifies(chosen, territory, skill, load, exclude)
        assert decision.team == chosen.team
        best = min(
            fit,
            key=lambda m: (territory not in m.territories, load.get(m.staff_id, 0), m.staff_id),
        )
        assert chosen is best
        roster.check(chosen.staff_id, territory, skill)
    elif decision is not None:
        assert decision.assignee is None
        assert decision.team is not None
        team = roster.team(decision.team)
        assert skill in team.skills
        assert team.covers_territory(territory)
        assert team.team_id not in exclude
    else:
        assert not any(
            skill in t.skills and t.covers_territory(territory) and t.team_id not in exclude
            for t in roster.teams
        )


@settings(max_examples=150)
@given(situations(), st.randoms(use_true_random=False))
def test_the_decision_is_deterministic_and_independent_of_roster_order(
    situation: tuple[Roster, str, str, dict[str, int], frozenset[str]], rnd: random.Random
) -> None:
    roster, territory, skill, load, exclude = situation
    members, teams = list(roster.members), list(roster.teams)
    rnd.shuffle(members)
    rnd.shuffle(teams)
    shuffled = Roster(members, teams)
    assert decide(*situation) == decide(roster, territory, skill, load, exclude)
    assert decide(*situation) == decide(shuffled, territory, skill, load, exclude)


@settings(max_examples=150)
@given(situations())
def test_every_member_is_considered_once_with_the_true_reasons(
    situation: tuple[Roster, str, str, dict[str, int], frozenset[str]],
) -> None:
    roster, territory, skill, load, exclude = situation
    decision = decide(*situation)
    if decision is None:
        return
    trials = {t.staff_id: t for t in decision.considered}
    assert sorted(trials) == sorted(m.staff_id for m in roster.members)
    for m in roster.members:
        trial = trials[m.staff_id]
        assert trial.qualified == qualifies(m, territory, skill, load, exclude)
        assert (RejectReason.INACTIVE in trial.reasons) == (not m.active)
        assert (RejectReason.NO_SKILL in trial.reasons) == (skill not in m.skills)
        assert (RejectReason.NOT_IN_TERRITORY in trial.reasons) == (
            not m.covers_territory(territory)
        )
        assert (RejectReason.EXCLUDED in trial.reasons) == (m.staff_id in exclude)
        assert trial.exact_territory == (territory in m.territories)
    qualified = [t.qualified for t in decision.considered]
    assert qualified == sorted(qualified, reverse=True)  # qualified first
    assert len(decision.explain()) == len(decision.explain("en_US")) == 1 + len(trials)


@settings(max_examples=100)
@given(rosters(), st.sampled_from(TERRITORIES), st.sampled_from(SKILLS))
def test_covers_agrees_with_candidates_and_with_an_unloaded_choice(
    roster: Roster, territory: str, skill: str
) -> None:
    candidates = roster.candidates(territory, skill)
    for m in roster.members:
        assert roster.covers(m.staff_id, territory, skill) == (m in candidates)
    with_room = [m for m in candidates if m.max_open > 0]
    decision = decide(roster, territory, skill, {}, frozenset())
    if with_room:
        assert decision is not None
        assert decision.assignee == with_room[0].staff_id
