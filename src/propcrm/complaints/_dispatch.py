"""Dispatch (派工) and reassignment of service requests to staff or teams, by territory and skill.

Domain brief §4 (dispatch and reassignment; every step has a responsible person) and §6 (service
tracking: territories, staff assignment). A request's
:class:`~propcrm.classification.Category` names the
:class:`Skill` it needs (:data:`SKILL_BY_CATEGORY`); its unit names the territory (a building or
zone code). A :class:`Roster` holds the :class:`StaffMember` and :class:`Team` values of a
community; :func:`choose_assignee` is the pure rule that picks one, and returns the whole
reasoning as a :class:`DispatchDecision` (one :class:`CandidateTrial` per member).

The rule: active members who have the skill and cover the territory (by name before
:data:`ANYWHERE`), below their capacity, fewest open requests first, then staff id. Nobody fits:
the first team that covers it (the request waits in the team's queue). Nobody at all: a
:class:`~propcrm.errors.DispatchError` that says who has the skill and why they do not fit.

>>> roster = Roster(
...     members=[
...         StaffMember("S01", "王师傅", {"plumbing"}, {"B1", "B2"}, team="ENG"),
...         StaffMember("S02", "李师傅", {"plumbing", "electrical"}, {ANYWHERE}, team="ENG"),
...         StaffMember("S03", "张师傅", {"electrical"}, {"B1"}, team="ENG", active=False),
...     ],
...     teams=[Team("ENG", "工程部", {"plumbing", "electrical", "lift"}, {ANYWHERE})],
... )
>>> decision = choose_assignee(roster, "B1", skill_for(Category.WATER_LEAK), open_load={"S01": 2})
>>> decision.assignee, decision.team
('S01', 'ENG')
>>> for line in decision.explain("en_US"):
...     print(line)
plumbing in B1: S01 王师傅 (team ENG)
  S01 王师傅: chosen (covers B1 by name, 2 of 10 open)
  S02 李师傅: later in order (covers B1 as anywhere, 0 of 10 open)
  S03 张师傅: inactive, lacks the skill
>>> choose_assignee(roster, "B1", "plumbing", exclude={"S01"}).assignee  # reassignment
'S02'
>>> to_team = choose_assignee(roster, "B1", skill_for(Category.LIFT_FAULT))
>>> to_team.assignee, to_team.team, to_team.assigned_to
(None, 'ENG', 'ENG')
>>> choose_assignee(roster, "B1", "gas")
Traceback (most recent call last):
...
propcrm.errors.DispatchError: no active staff or team covers territory 'B1' with skill 'gas'; \
members with the skill: none. Add a member or team that covers it, or assign by hand.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._trusted import set_cached
from propcrm.classification import Category
from propcrm.errors import DispatchError

__all__ = [
    "ANYWHERE",
    "DEFAULT_MAX_OPEN",
    "DEFAULT_SKILLS",
    "MAX_CODE_LENGTH",
    "MAX_NAMED_IN_MESSAGE",
    "SKILL_BY_CATEGORY",
    "CandidateTrial",
    "DispatchDecision",
    "RejectReason",
    "Roster",
    "Skill",
    "StaffMember",
    "Team",
    "choose_assignee",
    "skill_for",
]

ANYWHERE = "*"
"""The territory code of a member or team who covers every territory of the community."""

DEFAULT_MAX_OPEN = 10
"""Open requests a member may hold before dispatch passes them over (our default; the brief
gives no figure, so each community sets its own ``max_open``)."""

MAX_CODE_LENGTH = 64
"""Longest staff id, team id, skill or territory code accepted (room for a prefix and a UUID)."""

MAX_NAMED_IN_MESSAGE = 10
"""Ids an error message names before it says "and N more": rosters can be large."""


_NO_LOAD: Mapping[str, int] = MappingProxyType({})


class Skill(enum.StrEnum):
    """The skill codes of the default mapping.

    A skill is a plain ``str`` code everywhere; these members are ``str`` too, and a community
    may use codes of its own.

    >>> Skill.PLUMBING == "plumbing", Skill.LOW_VOLTAGE.label(), Skill.HVAC.label("en_US")
    (True, '弱电', 'heating, ventilation and air conditioning')
    """

    PLUMBING = "plumbing"
    ELECTRICAL = "electrical"
    LOW_VOLTAGE = "low_voltage"
    HVAC = "hvac"
    LIFT = "lift"
    GAS = "gas"
    CIVIL = "civil"
    SECURITY = "security"
    CLEANING = "cleaning"
    GREENING = "greening"
    CUSTOMER_SERVICE = "customer_service"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The skill's display name in ``locale``."""
        match self:
            case Skill.PLUMBING:
                return pgettext("skill", "plumbing", locale=locale)
            case Skill.ELECTRICAL:
                return pgettext("skill", "electrical", locale=locale)
            case Skill.LOW_VOLTAGE:
                return pgettext("skill", "low-voltage systems", locale=locale)
            case Skill.HVAC:
                return pgettext("skill", "heating, ventilation and air conditioning", locale=locale)
            case Skill.LIFT:
                return pgettext("skill", "lift", locale=locale)
            case Skill.GAS:
                return pgettext("skill", "gas", locale=locale)
            case Skill.CIVIL:
                return pgettext("skill", "building works", locale=locale)
            case Skill.SECURITY:
                return pgettext("skill", "security", locale=locale)
            case Skill.CLEANING:
                return pgettext("skill", "cleaning", locale=locale)
            case Skill.GREENING:
                return pgettext("skill", "greening", locale=locale)
            case Skill.CUSTOMER_SERVICE:
                return pgettext("skill", "customer service", locale=locale)


DEFAULT_SKILLS: tuple[str, ...] = tuple(Skill)
"""Every skill code of the default mapping, in :class:`Skill` order."""

SKILL_BY_CATEGORY: Mapping[Category, str] = MappingProxyType(
    {
        Category.GAS_SMELL: Skill.GAS,
        # The fire control room (消防控制室) is staffed by the security department (秩序维护部).
        Category.FIRE_ALARM: Skill.SECURITY,
        Category.LIFT_ENTRAPMENT: Skill.LIFT,
        Category.SECURITY_INCIDENT: Skill.SECURITY,
        Category.BURST_PIPE: Skill.PLUMBING,
        Category.WATER_LEAK: Skill.PLUMBING,
        # Roof leaks are waterproofing, a building trade (土建防水), not pipework.
        Category.ROOF_LEAK: Skill.CIVIL,
        Category.SEWAGE_OVERFLOW: Skill.PLUMBING,
        Category.POWER_OUTAGE: Skill.ELECTRICAL,
        Category.ELECTRICAL_FAULT: Skill.ELECTRICAL,
        Category.NO_WATER: Skill.PLUMBING,
        Category.BLOCKED_DRAIN: Skill.PLUMBING,
        Category.LIFT_FAULT: Skill.LIFT,
        # Doors and their hardware belong to the building trade (土建/木工) of the engineering team.
        Category.DOOR_LOCK: Skill.CIVIL,
        # Intercom, access control and CCTV are "weak current" (弱电), a trade of its own.
        Category.INTERCOM: Skill.LOW_VOLTAGE,
        Category.COMMON_AREA_LIGHTING: Skill.ELECTRICAL,
        Category.HEATING_AIR_CONDITIONING: Skill.HVAC,
        # Disputes between neighbours are mediated by the service desk, not repaired.
        Category.NOISE: Skill.CUSTOMER_SERVICE,
        Category.PARKING: Skill.SECURITY,
        Category.PEST: Skill.CLEANING,
        Category.CLEANING: Skill.CLEANING,
        Category.GREENING: Skill.GREENING,
        # Decoration management (装修管理) sits with the service desk, which inspects and notifies.
        Category.DECORATION_VIOLATION: Skill.CUSTOMER_SERVICE,
        Category.PET: Skill.CUSTOMER_SERVICE,
        Category.FACILITY_DAMAGE: Skill.CIVIL,
        # Customer service receives everything centrally (brief §4) and triages what fits nowhere.
        Category.OTHER: Skill.CUSTOMER_SERVICE,
    }
)
"""The skill each request category needs, for every :class:`~propcrm.classification.Category`."""


def skill_for(category: Category, mapping: Mapping[Category, str] = SKILL_BY_CATEGORY) -> str:
    """The skill code a request of ``category`` needs, from ``mapping`` (default: the shipped one).

    >>> skill_for(Category.BURST_PIPE), skill_for(Category.INTERCOM)
    ('plumbing', 'low_voltage')
    >>> skill_for(Category.PET, {Category.NOISE: "mediation"})
    Traceback (most recent call last):
    ...
    propcrm.errors.DispatchError: the skill mapping has no skill for category 'pet'; a mapping \
must give a skill code for every Category member.
    """
    if not isinstance(category, Category):
        raise DispatchError(
            f"category {category!r} must be a Category member, e.g. Category.PEST.",
            field="category",
            value=category,
            allowed="a Category member",
        )
    if not isinstance(mapping, Mapping):
        raise DispatchError(
            f"mapping must map Category members to skill codes, not {mapping!r}.",
            field="mapping",
            value=mapping,
            allowed="a mapping of Category to skill code",
        )
    try:
        skill = mapping[category]
    except KeyError:
        raise DispatchError(
            f"the skill mapping has no skill for category {category.value!r}; a mapping must "
            "give a skill code for every Category member.",
            field="mapping",
            value=category,
            allowed="a mapping with a skill for every Category member",
        ) from None
    return _code(skill, "skill")


class RejectReason(enum.Enum):
    """Why a member was not chosen. Values are stable codes for storage."""

    INACTIVE = "inactive"
    NO_SKILL = "no_skill"
    NOT_IN_TERRITORY = "not_in_territory"
    AT_CAPACITY = "at_capacity"
    EXCLUDED = "excluded"
    LATER_IN_ORDER = "later_in_order"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """Why the member was not chosen, for people, in ``locale``.

        >>> RejectReason.AT_CAPACITY.label(), RejectReason.AT_CAPACITY.label("en_US")
        ('在办工单已满', 'at capacity')
        """
        match self:
            case RejectReason.INACTIVE:
                return pgettext("dispatch reject reason", "inactive", locale=locale)
            case RejectReason.NO_SKILL:
                return pgettext("dispatch reject reason", "lacks the skill", locale=locale)
            case RejectReason.NOT_IN_TERRITORY:
                return pgettext(
                    "dispatch reject reason", "does not cover the territory", locale=locale
                )
            case RejectReason.AT_CAPACITY:
                return pgettext("dispatch reject reason", "at capacity", locale=locale)
            case RejectReason.EXCLUDED:
                return pgettext("dispatch reject reason", "excluded", locale=locale)
            case RejectReason.LATER_IN_ORDER:
                return pgettext("dispatch reject reason", "later in order", locale=locale)


# -- validation helpers ---------------------------------------------------------------------


def _code(value: object, what: str) -> str:
    if (
        not isinstance(value, str)
        or not value
        or len(value) > MAX_CODE_LENGTH
        or any(c.isspace() for c in value)
    ):
        raise DispatchError(
            f"{what} {value!r} must be a non-empty str without spaces, at most "
            f"{MAX_CODE_LENGTH} characters, e.g. 'S01', 'B3' or 'plumbing'.",
            field=what,
            value=value,
            allowed=f"non-empty text without spaces, at most {MAX_CODE_LENGTH} characters",
        )
    # A Skill member is a str subclass; plain str keeps stored values and reprs simple.
    return str.__str__(value)


def _code_set(value: object, what: str, example: str) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise DispatchError(
            f"{what}s must be a collection of {what} codes, not {value!r}; "
            f"e.g. frozenset({{{example!r}}}).",
            field=f"{what}s",
            value=value,
            allowed=f"a collection of {what} codes",
        )
    codes = frozenset(_code(item, what) for item in value)
    if not codes:
        raise DispatchError(
            f"{what}s must hold at least one {what} code, e.g. {{{example!r}}}.",
            field=f"{what}s",
            value=value,
            allowed=f"at least one {what} code",
        )
    return codes


def _skills(value: Iterable[str]) -> frozenset[str]:
    return _code_set(value, "skill", "plumbing")


def _territories(value: Iterable[str]) -> frozenset[str]:
    return _code_set(value, "territory", "B3")


def _id(_instance: object, attribute: Any, value: Any) -> None:
    _code(value, attribute.name.replace("_", " "))


def _optional_team(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None:
        _code(value, "team id")


def _name(_instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise DispatchError(
            f"{attribute.name} {value!r} must be a non-empty str, e.g. '王师傅'.",
            field=attribute.name,
            value=value,
            allowed="non-empty text",
        )


def _flag(_instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, bool):
        raise DispatchError(
            f"{attribute.name} {value!r} must be True or False.",
            field=attribute.name,
            value=value,
            allowed="bool",
        )


def _count(_instance: object, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DispatchError(
            f"{attribute.name.replace('_', ' ')} {value!r} must be an int of 0 or more.",
            field=attribute.name,
            value=value,
            allowed="int >= 0",
        )


def _some(ids: Iterable[str], sep: str = ", ") -> str:
    """``ids`` joined for a message, at most :data:`MAX_NAMED_IN_MESSAGE` of them."""
    listed = list(ids)
    if not listed:
        return "none"
    shown = sep.join(listed[:MAX_NAMED_IN_MESSAGE])
    rest = len(listed) - MAX_NAMED_IN_MESSAGE
    return f"{shown} and {rest} more" if rest > 0 else shown


def _request_territory(territory: object) -> str:
    code = _code(territory, "territory")
    if code == ANYWHERE:
        raise DispatchError(
            f"territory {ANYWHERE!r} means 'anywhere' on a roster; a request needs the code of "
            "the building or zone it is in, e.g. 'B3'.",
            field="territory",
            value=territory,
            allowed="a building or zone code other than '*'",
        )
    return code


# -- roster ---------------------------------------------------------------------------------


@attrs.frozen
class StaffMember:
    """Someone dispatch may send: their skills, the territories they cover, their team.

    ``territories`` holds building or zone codes, or :data:`ANYWHERE`. ``max_open`` is how many
    open requests they may hold before dispatch passes them over (0: never chosen by the rule,
    only assigned by hand). An inactive member (on leave, left) is never chosen or accepted.

    >>> StaffMember("S01", "王师傅", ["plumbing"], ["B1"]).territories
    frozenset({'B1'})
    >>> StaffMember("S01", "王师傅", "plumbing", ["B1"])
    Traceback (most recent call last):
    ...
    propcrm.errors.DispatchError: skills must be a collection of skill codes, not 'plumbing'; \
e.g. frozenset({'plumbing'}).
    """

    staff_id: str = attrs.field(validator=_id)
    name: str = attrs.field(validator=_name)
    skills: frozenset[str] = attrs.field(converter=_skills)
    territories: frozenset[str] = attrs.field(converter=_territories)
    team: str | None = attrs.field(default=None, validator=_optional_team)
    active: bool = attrs.field(default=True, validator=_flag)
    max_open: int = attrs.field(default=DEFAULT_MAX_OPEN, validator=_count)

    def covers_territory(self, territory: str) -> bool:
        """Whether ``territory`` is one of theirs, by name or through :data:`ANYWHERE`."""
        return territory in self.territories or ANYWHERE in self.territories


@attrs.frozen
class Team:
    """A team (班组, e.g. the engineering team) whose queue takes what no member can.

    >>> Team("ENG", "工程部", {"plumbing"}, {ANYWHERE}).skills
    frozenset({'plumbing'})
    """

    team_id: str = attrs.field(validator=_id)
    name: str = attrs.field(validator=_name)
    skills: frozenset[str] = attrs.field(converter=_skills)
    territories: frozenset[str] = attrs.field(converter=_territories)

    def covers_territory(self, territory: str) -> bool:
        """Whether ``territory`` is one of the team's, by name or through :data:`ANYWHERE`."""
        return territory in self.territories or ANYWHERE in self.territories


def _records(value: object, kind: type[Any], what: str) -> tuple[Any, ...]:
    if isinstance(value, str | kind) or not isinstance(value, Iterable):
        raise DispatchError(
            f"{what} must be a collection of {kind.__name__} values, not {value!r}.",
            field=what,
            value=value,
            allowed=f"a collection of {kind.__name__}",
        )
    records = tuple(value)
    for record in records:
        if not isinstance(record, kind):
            raise DispatchError(
                f"{what} hold {kind.__name__} values, not {record!r}.",
                field=what,
                value=record,
                allowed=kind.__name__,
            )
    return records


def _members(value: Iterable[StaffMember]) -> tuple[StaffMember, ...]:
    return _records(value, StaffMember, "members")


def _teams(value: Iterable[Team]) -> tuple[Team, ...]:
    return _records(value, Team, "teams")


@attrs.frozen
class Roster:
    """A community's staff members and teams; ids are unique across both.

    Member and team ids share one namespace because a request's assignee may be either.

    >>> roster = Roster([StaffMember("S01", "王师傅", {"plumbing"}, {"B1"})])
    >>> roster.covers("S01", "B1", "plumbing"), roster.covers("S01", "B2", "plumbing")
    (True, False)
    >>> roster.check("S01", "B2", "electrical")
    Traceback (most recent call last):
    ...
    propcrm.errors.DispatchError: S01 (王师傅) cannot take electrical in B2: lacks skill \
'electrical' (has plumbing); does not cover territory 'B2' (covers B1).
    """

    members: tuple[StaffMember, ...] = attrs.field(default=(), converter=_members)
    teams: tuple[Team, ...] = attrs.field(default=(), converter=_teams)
    _member_by_id: Mapping[str, StaffMember] = attrs.field(init=False, eq=False, repr=False)
    _team_by_id: Mapping[str, Team] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        members: dict[str, StaffMember] = {}
        for member in self.members:
            if member.staff_id in members:
                raise DispatchError(
                    f"staff id {member.staff_id!r} is on the roster twice.",
                    field="members",
                    value=member.staff_id,
                    allowed="each staff id once",
                )
            members[member.staff_id] = member
        teams: dict[str, Team] = {}
        for team in self.teams:
            if team.team_id in teams:
                raise DispatchError(
                    f"team id {team.team_id!r} is on the roster twice.",
                    field="teams",
                    value=team.team_id,
                    allowed="each team id once",
                )
            if team.team_id in members:
                raise DispatchError(
                    f"id {team.team_id!r} names both a member and a team; an assignee id must "
                    "name one of them.",
                    field="teams",
                    value=team.team_id,
                    allowed="ids unique across members and teams",
                )
            teams[team.team_id] = team
        for member in self.members:
            if member.team is not None and member.team not in teams:
                raise DispatchError(
                    f"member {member.staff_id} is in team {member.team!r}, which is not on the "
                    f"roster; its teams: {_some(sorted(teams))}.",
                    field="members",
                    value=member.team,
                    allowed="a team on the roster",
                    staff_id=member.staff_id,
                )
        # Lookups by id, derived from the roster's own fields once, while it is being built.
        set_cached(self, "_member_by_id", MappingProxyType(members))
        set_cached(self, "_team_by_id", MappingProxyType(teams))

    def member(self, staff_id: str) -> StaffMember:
        """The member with ``staff_id``."""
        try:
            return self._member_by_id[staff_id]
        except (KeyError, TypeError):
            raise DispatchError(
                f"no staff member {staff_id!r} on the roster; its members: "
                f"{_some(sorted(self._member_by_id))}.",
                field="staff_id",
                value=staff_id,
                allowed="a staff id on the roster",
            ) from None

    def team(self, team_id: str) -> Team:
        """The team with ``team_id``."""
        try:
            return self._team_by_id[team_id]
        except (KeyError, TypeError):
            raise DispatchError(
                f"no team {team_id!r} on the roster; its teams: {_some(sorted(self._team_by_id))}.",
                field="team_id",
                value=team_id,
                allowed="a team id on the roster",
            ) from None

    def candidates(self, territory: str, skill: str) -> tuple[StaffMember, ...]:
        """Active members with ``skill`` who cover ``territory``, in dispatch order but for load.

        Those who cover it by name come before those who cover :data:`ANYWHERE`, then by staff
        id. Capacity needs the open load; :func:`choose_assignee` applies it.
        """
        territory, skill = _request_territory(territory), _code(skill, "skill")
        fit = [
            m
            for m in self.members
            if m.active and skill in m.skills and m.covers_territory(territory)
        ]
        return tuple(sorted(fit, key=lambda m: (territory not in m.territories, m.staff_id)))

    def check(self, assignee: str, territory: str, skill: str) -> None:
        """Refuse ``assignee`` (a staff or team id) for ``skill`` in ``territory``, saying why.

        The lifecycle calls this before a dispatch or reassignment by hand. Capacity is not
        checked: a supervisor may knowingly give someone one more.
        """
        problems = self._problems(assignee, territory, skill)
        if problems:
            raise DispatchError(
                problems, assignee=assignee, territory=territory, skill=str.__str__(skill)
            )

    def covers(self, assignee: str, territory: str, skill: str) -> bool:
        """Whether :meth:`check` accepts ``assignee``: False if unknown, inactive or unfit."""
        return not self._problems(assignee, territory, skill)

    def _problems(self, assignee: str, territory: str, skill: str) -> str:
        territory, skill = _request_territory(territory), _code(skill, "skill")
        record: StaffMember | Team
        if isinstance(assignee, str) and assignee in self._member_by_id:
            record = self._member_by_id[assignee]
        elif isinstance(assignee, str) and assignee in self._team_by_id:
            record = self._team_by_id[assignee]
        else:
            return (
                f"assignee {assignee!r} is not on the roster; its members: "
                f"{_some(sorted(self._member_by_id))}; its teams: "
                f"{_some(sorted(self._team_by_id))}."
            )
        missing = []
        if isinstance(record, StaffMember) and not record.active:
            missing.append("inactive")
        if skill not in record.skills:
            missing.append(f"lacks skill {skill!r} (has {_some(sorted(record.skills))})")
        if not record.covers_territory(territory):
            missing.append(
                f"does not cover territory {territory!r} "
                f"(covers {_some(sorted(record.territories))})"
            )
        if not missing:
            return ""
        return (
            f"{assignee} ({record.name}) cannot take {skill} in {territory}: {'; '.join(missing)}."
        )


# -- the decision ---------------------------------------------------------------------------


def _reasons(value: Iterable[RejectReason]) -> tuple[RejectReason, ...]:
    reasons = tuple(value)
    for reason in reasons:
        if not isinstance(reason, RejectReason):
            raise DispatchError(
                f"a reason must be a RejectReason member, not {reason!r}.",
                field="reasons",
                value=reason,
                allowed="a RejectReason member",
            )
    return reasons


@attrs.frozen
class CandidateTrial:
    """One member tried for a request: chosen, or every reason why not.

    ``reasons`` is empty for the chosen member; ``(LATER_IN_ORDER,)`` for members who qualified
    but came after them; otherwise the failed conditions in :class:`RejectReason` order.
    ``exact_territory``: the member covers the territory by name (not only as :data:`ANYWHERE`).
    """

    staff_id: str = attrs.field(validator=_id)
    name: str = attrs.field(validator=_name)
    chosen: bool = attrs.field(validator=_flag)
    reasons: tuple[RejectReason, ...] = attrs.field(converter=_reasons)
    open_load: int = attrs.field(validator=_count)
    capacity: int = attrs.field(validator=_count)
    exact_territory: bool = attrs.field(validator=_flag)

    def __attrs_post_init__(self) -> None:
        if self.chosen == bool(self.reasons):
            raise DispatchError(
                f"trial of {self.staff_id}: the chosen member has no reasons and every other "
                f"member at least one; got chosen={self.chosen}, reasons={self.reasons}.",
                field="reasons",
                value=self.reasons,
                allowed="none when chosen, at least one otherwise",
                staff_id=self.staff_id,
            )
        if RejectReason.LATER_IN_ORDER in self.reasons and len(self.reasons) > 1:
            raise DispatchError(
                f"trial of {self.staff_id}: LATER_IN_ORDER is for members who qualified, so it "
                "stands alone.",
                field="reasons",
                value=self.reasons,
                allowed="LATER_IN_ORDER alone, or other reasons",
                staff_id=self.staff_id,
            )

    @property
    def qualified(self) -> bool:
        """Whether the member met every condition (chosen, or later in order)."""
        return self.chosen or self.reasons == (RejectReason.LATER_IN_ORDER,)


def _trials(value: Iterable[CandidateTrial]) -> tuple[CandidateTrial, ...]:
    trials = tuple(value)
    for trial in trials:
        if not isinstance(trial, CandidateTrial):
            raise DispatchError(
                f"considered holds CandidateTrial values, not {trial!r}.",
                field="considered",
                value=trial,
                allowed="CandidateTrial",
            )
    return trials


@attrs.frozen
class DispatchDecision:
    """Who takes a request and why, as data.

    ``assignee`` is the chosen member, or ``None`` when no member fits and the request goes to
    ``team``'s queue. With a member chosen, ``team`` is the member's own team (or ``None``).
    ``considered`` holds every member of the roster: the qualified in dispatch order (the chosen
    first), then the others by staff id.
    """

    assignee: str | None = attrs.field(validator=attrs.validators.optional(_id))
    team: str | None = attrs.field(validator=_optional_team)
    territory: str = attrs.field(converter=_request_territory)
    skill: str = attrs.field(validator=_id)
    considered: tuple[CandidateTrial, ...] = attrs.field(converter=_trials)

    def __attrs_post_init__(self) -> None:
        chosen = [t.staff_id for t in self.considered if t.chosen]
        if self.assignee is None:
            if self.team is None or chosen:
                raise DispatchError(
                    "a decision without an assignee names the team whose queue takes the request "
                    f"and no chosen member; got team={self.team!r}, chosen={chosen}.",
                    field="team",
                    value=self.team,
                    allowed="a team, and no chosen member, when there is no assignee",
                )
        elif chosen != [self.assignee]:
            raise DispatchError(
                f"assignee {self.assignee!r} must be the one chosen member of the trials; "
                f"chosen: {chosen}.",
                field="assignee",
                value=self.assignee,
                allowed="the one chosen member of the trials",
            )
        if len({t.staff_id for t in self.considered}) != len(self.considered):
            raise DispatchError(
                "a decision considers each member once.",
                field="considered",
                value=tuple(t.staff_id for t in self.considered),
                allowed="each staff id once",
            )

    @property
    def assigned_to(self) -> str:
        """The id to record as the request's assignee: the member, else the team."""
        if self.assignee is not None:
            return self.assignee
        assert self.team is not None  # the validator guarantees one of them
        return self.team

    @property
    def to_team(self) -> bool:
        """Whether no member fitted and the request waits in a team's queue."""
        return self.assignee is None

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> tuple[str, ...]:
        """The reasoning as lines of text in ``locale`` (the data is in the fields).

        Staff ids, names, territory and team codes are the roster's own, printed as given.
        """
        skill = _skill_label(self.skill, locale)
        names = {t.staff_id: f"{t.staff_id} {t.name}" for t in self.considered}
        if self.assignee is None:
            who = gettext(
                "no member available; to team %(team)s's queue", locale=locale, team=self.team
            )
        elif self.team is None:
            who = names[self.assignee]
        else:
            who = gettext(
                "%(member)s (team %(team)s)",
                locale=locale,
                member=names[self.assignee],
                team=self.team,
            )
        lines = [
            gettext(
                # TRANSLATORS: a dispatch decision's first line: the skill, where, who takes it.
                "%(skill)s in %(territory)s: %(who)s",
                locale=locale,
                skill=skill,
                territory=self.territory,
                who=who,
            )
        ]
        lines.extend(
            "  "
            + gettext(
                # TRANSLATORS: one member tried for a request, and the outcome of the trial.
                "%(member)s: %(outcome)s",
                locale=locale,
                member=names[trial.staff_id],
                outcome=self._trial_text(trial, locale),
            )
            for trial in self.considered
        )
        return tuple(lines)

    def _trial_text(self, trial: CandidateTrial, locale: LocaleLike) -> str:
        if not trial.qualified:
            sep = pgettext("list separator", ", ", locale=locale)
            return sep.join(r.label(locale) for r in trial.reasons)
        values = {
            "verdict": (
                pgettext("dispatch trial", "chosen", locale=locale)
                if trial.chosen
                else RejectReason.LATER_IN_ORDER.label(locale)
            ),
            "territory": self.territory,
            "load": trial.open_load,
            "capacity": trial.capacity,
        }
        if trial.exact_territory:
            return gettext(
                "%(verdict)s (covers %(territory)s by name, %(load)d of %(capacity)d open)",
                locale=locale,
                **values,
            )
        return gettext(
            "%(verdict)s (covers %(territory)s as anywhere, %(load)d of %(capacity)d open)",
            locale=locale,
            **values,
        )


def _skill_label(skill: str, locale: LocaleLike) -> str:
    try:
        return Skill(skill).label(locale)
    except ValueError:
        return skill


def _loads(open_load: object) -> Mapping[str, int]:
    if not isinstance(open_load, Mapping):
        raise DispatchError(
            f"open_load must map staff ids to counts of open requests, not {open_load!r}.",
            field="open_load",
            value=open_load,
            allowed="a mapping of staff id to int >= 0",
        )
    for staff_id, count in open_load.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise DispatchError(
                f"open load {count!r} of {staff_id!r} must be an int of 0 or more.",
                field="open_load",
                value=count,
                allowed="int >= 0",
                staff_id=staff_id,
            )
    return open_load


def _excluded(exclude: object) -> frozenset[str]:
    if isinstance(exclude, str) or not isinstance(exclude, Iterable):
        raise DispatchError(
            f"exclude must be a collection of staff or team ids, not {exclude!r}; e.g. {{'S01'}}.",
            field="exclude",
            value=exclude,
            allowed="a collection of staff or team ids",
        )
    return frozenset(_code(item, "excluded id") for item in exclude)


def choose_assignee(
    roster: Roster,
    territory: str,
    skill: str,
    *,
    open_load: Mapping[str, int] = _NO_LOAD,
    exclude: Iterable[str] = (),
) -> DispatchDecision:
    """Pick who takes a request for ``skill`` in ``territory`` (brief §4: dispatch, reassignment).

    Qualified: active, has the skill, covers the territory, fewer open requests than
    ``max_open`` (``open_load``: staff id to open requests; missing ids hold none), not in
    ``exclude`` (for reassignment: the current assignee, a member or a team). The first in
    order wins: covering the territory by name before :data:`ANYWHERE`, fewest open requests,
    then staff id, so the result does not depend on the order of the roster. Ids in
    ``open_load`` or ``exclude`` that are not on the roster are ignored (people leave).

    Nobody qualified: the first team, in the same order (by name before anywhere, then id),
    that has the skill, covers the territory and is not excluded. Nobody at all:
    :class:`~propcrm.errors.DispatchError`.
    """
    if not isinstance(roster, Roster):
        raise DispatchError(
            f"roster must be a Roster, not {roster!r}.",
            field="roster",
            value=roster,
            allowed="Roster",
        )
    territory, skill = _request_territory(territory), _code(skill, "skill")
    loads = _loads(open_load)
    excluded = _excluded(exclude)

    qualified: list[tuple[tuple[bool, int, str], StaffMember]] = []
    rejected: list[CandidateTrial] = []
    for member in roster.members:
        load = loads.get(member.staff_id, 0)
        exact = territory in member.territories
        reasons = []
        if not member.active:
            reasons.append(RejectReason.INACTIVE)
        if skill not in member.skills:
            reasons.append(RejectReason.NO_SKILL)
        if not member.covers_territory(territory):
            reasons.append(RejectReason.NOT_IN_TERRITORY)
        if load >= member.max_open:
            reasons.append(RejectReason.AT_CAPACITY)
        if member.staff_id in excluded:
            reasons.append(RejectReason.EXCLUDED)
        if reasons:
            rejected.append(
                CandidateTrial(
                    member.staff_id, member.name, False, reasons, load, member.max_open, exact
                )
            )
        else:
            qualified.append(((not exact, load, member.staff_id), member))

    qualified.sort(key=lambda pair: pair[0])
    trials = [
        CandidateTrial(
            member.staff_id,
            member.name,
            index == 0,
            () if index == 0 else (RejectReason.LATER_IN_ORDER,),
            loads.get(member.staff_id, 0),
            member.max_open,
            not key[0],
        )
        for index, (key, member) in enumerate(qualified)
    ]
    trials.extend(sorted(rejected, key=lambda t: t.staff_id))

    if qualified:
        chosen = qualified[0][1]
        return DispatchDecision(chosen.staff_id, chosen.team, territory, skill, trials)

    teams = sorted(
        (
            t
            for t in roster.teams
            if skill in t.skills and t.covers_territory(territory) and t.team_id not in excluded
        ),
        key=lambda t: (territory not in t.territories, t.team_id),
    )
    if teams:
        return DispatchDecision(None, teams[0].team_id, territory, skill, trials)
    raise DispatchError(
        f"no active staff or team covers territory {territory!r} with skill {skill!r}; "
        f"members with the skill: {_some(_why_not(trials, skill, roster))}. Add a member or "
        "team that covers it, or assign by hand.",
        territory=territory,
        skill=skill,
    )


def _why_not(trials: Iterable[CandidateTrial], skill: str, roster: Roster) -> list[str]:
    notes = []
    for trial in trials:
        member = roster.member(trial.staff_id)
        if skill not in member.skills:
            continue
        why = []
        if RejectReason.INACTIVE in trial.reasons:
            why.append("inactive")
        if RejectReason.NOT_IN_TERRITORY in trial.reasons:
            why.append(f"covers {_some(sorted(member.territories), '/')}")
        if RejectReason.AT_CAPACITY in trial.reasons:
            why.append(f"at capacity {trial.open_load}/{trial.capacity}")
        if RejectReason.EXCLUDED in trial.reasons:
            why.append("excluded")
        notes.append(f"{trial.staff_id} ({', '.join(why)})")
    return notes
