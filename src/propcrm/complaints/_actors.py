"""Who takes a step: an actor with a role. The transition table says which roles may take which.

The brief asks that "every step has a responsible person and a time limit" (§4): every step of a
request's history names its :class:`Actor`, and the roles are those of a community's service
desk.

>>> Actor("KF-007", Role.AGENT)
Actor(actor_id='KF-007', role=<Role.AGENT: 'agent'>)
>>> Role.HANDLER.label()
'维修/处理人员'
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._validators import MAX_ID_LENGTH, instance_of
from propcrm.errors import InvalidRequest

__all__ = ["SYSTEM", "Actor", "Role"]


class Role(enum.Enum):
    """The roles that take steps. Values are stable codes for storage."""

    # Hashed by identity, as Action: a step's role is looked up in its row's roles at every
    # step of every replay (Enum's own __hash__ is Python code).
    __hash__ = object.__hash__

    REQUESTER = "requester"
    """The customer who made the request (or someone acting for them)."""
    AGENT = "agent"
    """客服: customer service at the hotline or counter."""
    DISPATCHER = "dispatcher"
    """调度: assigns work to staff and teams."""
    HANDLER = "handler"
    """维修/处理人员: the technician or officer who does the work."""
    SUPERVISOR = "supervisor"
    """主管: the service supervisor."""
    MANAGER = "manager"
    """经理: the property manager (mediation, escalations beyond the supervisor)."""
    SYSTEM = "system"
    """The software itself: automatic acknowledgements, policy-driven reopens, billing."""

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The role's display name in ``locale``."""
        match self:
            case Role.REQUESTER:
                return pgettext("staff role", "requester", locale=locale)
            case Role.AGENT:
                return pgettext("staff role", "agent", locale=locale)
            case Role.DISPATCHER:
                return pgettext("staff role", "dispatcher", locale=locale)
            case Role.HANDLER:
                return pgettext("staff role", "handler", locale=locale)
            case Role.SUPERVISOR:
                return pgettext("staff role", "supervisor", locale=locale)
            case Role.MANAGER:
                return pgettext("staff role", "manager", locale=locale)
            case Role.SYSTEM:
                return pgettext("staff role", "system", locale=locale)


def _actor_id(_instance: object, _attribute: object, value: Any) -> None:
    # Not a record id: desks write a name after the staff id ("KF-01 小王"), so spaces are kept.
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_ID_LENGTH:
        raise InvalidRequest(
            f"an actor needs an id (a staff or party id, at most {MAX_ID_LENGTH} characters), "
            f"not {value!r}.",
            field="actor_id",
            value=value,
            allowed=f"non-empty text of at most {MAX_ID_LENGTH} characters",
        )


@attrs.frozen
class Actor:
    """Someone who takes a step: an id (staff id, party id, ``system``) and the role they act in."""

    actor_id: str = attrs.field(validator=_actor_id)
    role: Role = attrs.field(validator=instance_of(Role))

    def __str__(self) -> str:
        return f"{self.actor_id} ({self.role.value})"


SYSTEM = Actor("system", Role.SYSTEM)
"""The actor of automatic steps (a reopen after a dissatisfied callback, a posted charge)."""
