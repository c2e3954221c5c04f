"""Checks of the inputs the care rules share: record ids, party ids and complaint histories."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pendulum

from propcrm.analytics import ComplaintHistory
from propcrm.errors import InvalidBehaviourFact, InvalidCarePlan

__all__ = ["count_complaints", "history_of", "party_ids", "record_id"]


def record_id(what: str) -> Callable[[object, object, str], None]:
    def check(_instance: object, _attribute: object, value: str) -> None:
        if not isinstance(value, str) or not value or any(c.isspace() for c in value):
            raise InvalidCarePlan(
                f"{what} {value!r} must be non-empty text without spaces, e.g. 'P0001'."
            )

    return check


def party_ids(parties: Iterable[str], what: str) -> tuple[str, ...]:
    if isinstance(parties, str | bytes | Mapping) or not isinstance(parties, Iterable):
        raise InvalidCarePlan(f"{what} must be an iterable of party ids like ['P1', 'P2'].")
    ids = tuple(parties)
    seen: set[str] = set()
    for party_id in ids:
        record_id("party id")(None, None, party_id)
        if party_id in seen:
            raise InvalidCarePlan(f"party {party_id} is given twice in {what}; give each once.")
        seen.add(party_id)
    return ids


def history_of(
    complaints: Mapping[str, ComplaintHistory], party_id: str
) -> ComplaintHistory | None:
    history = complaints.get(party_id)
    if history is not None and not isinstance(history, ComplaintHistory):
        raise InvalidCarePlan(
            f"complaints of {party_id} is a {type(history).__name__}; it must implement "
            "ComplaintHistory (complaints_between, last_satisfaction), e.g. a ComplaintRecord."
        )
    return history


def count_complaints(history: ComplaintHistory, first: pendulum.Date, last: pendulum.Date) -> int:
    count = history.complaints_between(first, last)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise InvalidBehaviourFact(
            f"complaints_between returned {count!r}; a complaint count is an int of at least 0."
        )
    return count
