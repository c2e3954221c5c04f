"""Checks of the inputs the care rules share: record ids, party ids and complaint histories."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pendulum

from propcrm._validators import check_record_id
from propcrm.analytics import ComplaintHistory
from propcrm.errors import InvalidBehaviourFact, InvalidCarePlan

__all__ = ["count_complaints", "history_of", "mapping_of", "party_ids", "record_id"]


def record_id(what: str) -> Callable[[object, object, str], None]:
    def check(_instance: object, _attribute: object, value: str) -> None:
        check_record_id(value, what, InvalidCarePlan)

    return check


def party_ids(parties: Iterable[str], what: str) -> tuple[str, ...]:
    if isinstance(parties, str | bytes | Mapping) or not isinstance(parties, Iterable):
        raise InvalidCarePlan(
            f"{what} must be an iterable of party ids like ['P1', 'P2'].",
            field=what,
            value=parties,
            allowed="an iterable of party ids",
        )
    ids = tuple(parties)
    seen: set[str] = set()
    for party_id in ids:
        check_record_id(party_id, "party id", InvalidCarePlan)
        if party_id in seen:
            raise InvalidCarePlan(
                f"party {party_id} is given twice in {what}; give each once.",
                field=what,
                value=party_id,
                allowed="each party id once",
            )
        seen.add(party_id)
    return ids


def mapping_of(value: object, field: str) -> Mapping[str, object]:
    """``value`` if it is a mapping keyed by party id (its values are checked where read)."""
    if not isinstance(value, Mapping):
        raise InvalidCarePlan(
            f"{field} must map party ids to their records, not {value!r}.",
            field=field,
            value=value,
            allowed="a mapping of party id to record",
        )
    return value


def history_of(
    complaints: Mapping[str, ComplaintHistory], party_id: str
) -> ComplaintHistory | None:
    if party_id not in complaints:
        return None
    history = complaints[party_id]
    # An entry is a history; a party with none is left out of the mapping, not given None.
    if not isinstance(history, ComplaintHistory):
        raise InvalidCarePlan(
            f"complaints of {party_id} is a {type(history).__name__}; it must implement "
            "ComplaintHistory (complaints_between, last_satisfaction), e.g. a ComplaintRecord.",
            field="complaints",
            value=history,
            allowed="a ComplaintHistory",
            party_id=party_id,
        )
    return history


def count_complaints(history: ComplaintHistory, first: pendulum.Date, last: pendulum.Date) -> int:
    count = history.complaints_between(first, last)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise InvalidBehaviourFact(
            f"complaints_between returned {count!r}; a complaint count is an int of at least 0.",
            field="complaints_between",
            value=count,
            allowed="int >= 0",
        )
    return count
