"""Tests for complaints._actors: roles, actors and the system actor."""

from __future__ import annotations

import pytest

from propcrm.complaints import SYSTEM, Actor, Role
from propcrm.errors import InvalidRequest, UnsupportedLocale

LABELS = {
    Role.REQUESTER: ("客户", "requester"),
    Role.AGENT: ("客服", "agent"),
    Role.DISPATCHER: ("调度", "dispatcher"),
    Role.HANDLER: ("维修/处理人员", "handler"),
    Role.SUPERVISOR: ("主管", "supervisor"),
    Role.MANAGER: ("经理", "manager"),
    Role.SYSTEM: ("系统", "system"),
}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_a_chinese_and_an_english_label(role: Role) -> None:
    assert set(LABELS) == set(Role)
    zh, en = LABELS[role]
    assert role.label() == zh
    assert role.label("zh_CN") == zh
    assert role.label("en_US") == en


def test_a_role_label_in_an_unsupported_locale_is_refused() -> None:
    with pytest.raises(UnsupportedLocale, match="'fr_FR' is not supported"):
        Role.AGENT.label("fr_FR")


def test_an_actor_is_an_id_and_a_role() -> None:
    agent = Actor("KF-007", Role.AGENT)
    assert (agent.actor_id, agent.role) == ("KF-007", Role.AGENT)
    assert str(agent) == "KF-007 (agent)"
    assert agent == Actor("KF-007", Role.AGENT)
    assert agent != Actor("KF-007", Role.SUPERVISOR)


def test_the_system_actor() -> None:
    assert Actor("system", Role.SYSTEM) == SYSTEM
    assert str(SYSTEM) == "system (system)"


@pytest.mark.parametrize("actor_id", ["", "  ", None, 7])
def test_an_actor_needs_an_id(actor_id: object) -> None:
    with pytest.raises(InvalidRequest, match="an actor needs an id"):
        Actor(actor_id, Role.AGENT)  # type: ignore[arg-type]  # bad input on purpose


def test_an_actor_needs_a_role_member() -> None:
    with pytest.raises(TypeError, match="role"):
        Actor("KF-007", "agent")  # type: ignore[arg-type]  # bad input on purpose
