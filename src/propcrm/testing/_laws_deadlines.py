"""The deadline laws: a caller's business-time arithmetic against a propcrm business calendar."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import hypothesis
import pendulum
from hypothesis import strategies as st

from propcrm._validators import check_callable, check_instance, check_int
from propcrm.errors import InvalidPolicy
from propcrm.sla import BusinessCalendar
from propcrm.testing._laws import Law, broken, call, chosen_laws, law_settings, run_law
from propcrm.testing.strategies import business_durations, calendar_instants
from propcrm.time import as_date

__all__ = ["DEADLINE_LAWS", "AddFunction", "BetweenFunction", "check_deadline_laws"]

DEADLINE_LAWS = (
    Law.RETURNS,
    Law.BETWEEN_UNDOES_ADD,
    Law.NEVER_EARLIER_FOR_LONGER,
    Law.IN_WORKING_TIME,
    Law.AGREES_WITH_PROPCRM,
)
"""The laws :func:`check_deadline_laws` runs, in this order."""

AddFunction = Callable[[pendulum.DateTime, int], datetime.datetime]
"""``add(start, seconds) -> deadline``: the shape of
:class:`~propcrm.sla.BusinessCalendar`'s ``add``."""

BetweenFunction = Callable[[pendulum.DateTime, pendulum.DateTime], int]
"""``between(start, end) -> seconds``: the shape of :class:`~propcrm.sla.BusinessCalendar`'s
``between``, called with ``start <= end``."""

_MAX_SECONDS = 10 * 366 * 86_400
# Across the spring DST changes of Berlin and New York, and China's Spring Festival of 2026.
_FIRST = pendulum.date(2026, 2, 20)
_LAST = pendulum.date(2026, 4, 10)


@attrs.frozen
class _Case:
    start: pendulum.DateTime
    seconds: int
    more: int
    other: pendulum.DateTime


def _cases(
    calendar: BusinessCalendar,
    first: pendulum.Date,
    last: pendulum.Date,
    max_seconds: int,
) -> st.SearchStrategy[_Case]:
    # Minute-aligned starts meet the windows' edges exactly; starts with a fraction of a
    # second catch arithmetic that drops it.
    instants = st.one_of(
        calendar_instants(calendar, first=first, last=last),
        calendar_instants(calendar, first=first, last=last, granularity=1, microseconds=True),
    )
    durations = st.one_of(
        business_durations(max_value=max_seconds),
        business_durations(max_value=max_seconds, granularity=1),
    )

    @st.composite
    def draw_case(draw: st.DrawFn) -> _Case:
        start = draw(instants)
        if draw(st.booleans()):
            # Inside working time, where a start's fraction of a second counts.
            start = calendar.next_working_instant(start) + datetime.timedelta(
                microseconds=draw(st.integers(0, 999_999))
            )
        seconds = draw(durations)
        if draw(st.integers(0, 2)):  # two cases in three; shrinks to the drawn duration
            # Exactly what is left to the end of a window on a working day within the week,
            # from a whole-second start: a deadline on a window's end (12:00 sharp, not 13:30),
            # which random durations rarely hit.
            start = start.replace(microsecond=0)
            then = start + datetime.timedelta(days=draw(st.integers(0, 7)))
            opening = pendulum.instance(calendar.next_working_instant(then))
            day = opening.in_timezone(calendar.zone).date()
            ends = [end for _, end in calendar.windows_on(day) if end > start]
            if ends:
                to_end = calendar.between(start, draw(st.sampled_from(ends)))
                seconds = to_end if to_end <= max_seconds else seconds
        return _Case(start, seconds, draw(durations), draw(instants))

    return draw_case()


def check_deadline_laws(
    add: AddFunction,
    *,
    calendar: BusinessCalendar,
    between: BetweenFunction | None = None,
    settings: hypothesis.settings | None = None,
    laws: Law | Iterable[Law] | None = None,
    first: datetime.date = _FIRST,
    last: datetime.date = _LAST,
    max_seconds: int = 3 * 86_400,
) -> None:
    """Check that ``add`` (and ``between``) hold the business-time laws of ``calendar``.

    ``add`` is called as ``add(start, seconds)``, like ``BusinessCalendar.add``:
    an aware ``pendulum.DateTime`` (some with a fraction of a second) and whole seconds of
    business time (an ``int``, zero or more); it returns the aware datetime when they are used
    up. ``between``, if given, is called as ``between(start, end)`` with ``start <= end`` and
    returns the working seconds in ``[start, end)`` as an ``int``; without it the round trip is
    measured with ``calendar.between``. Wrap functions of other shapes in lambdas that convert.

    The starts come from :func:`~propcrm.testing.strategies.calendar_instants` between
    ``first`` and ``last`` (20 February to 10 April 2026 by default: the Spring Festival and
    the spring DST changes), the durations from
    :func:`~propcrm.testing.strategies.business_durations` up to ``max_seconds``, some of them
    exactly what is left to the end of a window. The laws, each its own hypothesis run, in the
    order of ``DEADLINE_LAWS``: returns an aware datetime (and ``between`` an ``int``);
    ``between(start, add(start, n)) == n``; never earlier for a longer duration; for ``n > 0``
    inside one of the calendar's windows or exactly at its end; the same instant as
    ``calendar.add`` (and the same seconds as ``calendar.between``).

    Args:
        add: the deadline function to check.
        calendar: the :class:`~propcrm.sla.BusinessCalendar` it claims to follow.
        between: its working-seconds function, if it has one.
        settings: a ``hypothesis.settings`` for each law's run; default the current profile's,
            without a deadline or the explain phase.
        laws: one :class:`Law` or several of ``DEADLINE_LAWS`` to check; default all.
        first: the first day of the starts (its holidays must be known to ``calendar``).
        last: the last day of the starts.
        max_seconds: the longest duration, in business seconds.

    Raises:
        LawBroken: the first law broken, with the shrunk case: ``context`` holds ``law``,
            ``inputs`` (``start`` and ``seconds``, or ``start`` and ``end``), ``got`` and
            ``expected`` (propcrm's result).

    >>> from hypothesis import Phase, settings
    >>> from propcrm.errors import LawBroken
    >>> from propcrm.sla import BusinessCalendar
    >>> cal = BusinessCalendar.china_service_hours()
    >>> quick = settings(max_examples=20, database=None, phases=[Phase.generate, Phase.shrink])
    >>> check_deadline_laws(cal.add, calendar=cal, between=cal.between, settings=quick)
    >>> def a_minute_late(start, seconds):
    ...     return cal.add(start, seconds).add(minutes=1)
    >>> try:
    ...     check_deadline_laws(a_minute_late, calendar=cal, settings=quick)
    ... except LawBroken as error:
    ...     print(error.context["law"].value)
    between(start, add(start, n)) == n
    """
    check_callable(add, "add", example="calendar.add")
    if between is not None:
        check_callable(between, "between", example="calendar.between")
    cal = check_instance(calendar, "calendar", BusinessCalendar, example="china_service_hours()")
    since = as_date(first, "first")
    until = as_date(last, "last")
    if until < since:
        raise InvalidPolicy(
            f"last {until} is before first {since}; the starts need a span of days.",
            field="last",
            value=until,
            allowed=f"{since} or later",
        )
    check_int(max_seconds, "max_seconds", InvalidPolicy, minimum=0, maximum=_MAX_SECONDS)
    run = law_settings(settings)
    laws_of = _LawsOf(add, between, cal)
    for law in chosen_laws(laws, DEADLINE_LAWS, "check_deadline_laws"):
        run_law(law, _cases(cal, since, until, max_seconds), laws_of.holds(law), run)


@attrs.frozen
class _LawsOf:
    add: Callable[..., object]
    between: Callable[..., object] | None
    calendar: BusinessCalendar

    def deadline(self, start: pendulum.DateTime, seconds: int) -> datetime.datetime:
        """The caller's deadline, once it is known to be an aware datetime."""
        inputs: dict[str, Any] = {"start": start, "seconds": seconds}
        got = call(self.add, inputs, lambda: self.calendar.add(start, seconds))
        if not isinstance(got, datetime.datetime) or got.utcoffset() is None:
            detail = f"it returned {type(got).__name__} {got!r}, not an aware datetime"
            expected = self.calendar.add(start, seconds)
            broken(Law.RETURNS, detail, inputs, got=got, expected=expected)
        return got

    def seconds_between(self, start: datetime.datetime, end: datetime.datetime) -> int:
        """The caller's working seconds in ``[start, end)`` (propcrm's without a ``between``)."""
        if self.between is None:
            return self.calendar.between(start, end)
        inputs: dict[str, Any] = {"start": start, "end": end}
        got = call(self.between, inputs, lambda: self.calendar.between(start, end))
        if isinstance(got, bool) or not isinstance(got, int):
            detail = f"between returned {type(got).__name__} {got!r}, not an int"
            expected = self.calendar.between(start, end)
            broken(Law.RETURNS, detail, inputs, got=got, expected=expected)
        return got

    def holds(self, law: Law) -> Callable[[_Case], object]:
        checks: dict[Law, Callable[[_Case], object]] = {
            Law.RETURNS: self.returns,
            Law.BETWEEN_UNDOES_ADD: self.between_undoes_add,
            Law.NEVER_EARLIER_FOR_LONGER: self.never_earlier,
            Law.IN_WORKING_TIME: self.in_working_time,
            Law.AGREES_WITH_PROPCRM: self.agrees,
        }
        return checks[law]

    def returns(self, case: _Case) -> None:
        self.deadline(case.start, case.seconds)
        self.seconds_between(*sorted((case.start, case.other)))

    def between_undoes_add(self, case: _Case) -> None:
        end = self.deadline(case.start, case.seconds)
        back = self.seconds_between(case.start, end) if end >= case.start else None
        if back != case.seconds:
            inputs = {"start": case.start, "seconds": case.seconds}
            expected = self.calendar.add(case.start, case.seconds)
            detail = (
                f"the deadline {end} is before the start"
                if back is None
                else f"between(start, deadline) is {back}"
            )
            broken(Law.BETWEEN_UNDOES_ADD, detail, inputs, got=end, expected=expected)

    def never_earlier(self, case: _Case) -> None:
        longer = case.seconds + case.more
        sooner = self.deadline(case.start, case.seconds)
        later = self.deadline(case.start, longer)
        if later < sooner:
            inputs = {"start": case.start, "seconds": case.seconds, "longer": longer}
            detail = f"{longer} s end at {later}, before {case.seconds} s do ({sooner})"
            expected = (
                self.calendar.add(case.start, case.seconds),
                self.calendar.add(case.start, longer),
            )
            broken(
                Law.NEVER_EARLIER_FOR_LONGER, detail, inputs, got=(sooner, later), expected=expected
            )

    def in_working_time(self, case: _Case) -> None:
        end = self.deadline(case.start, case.seconds)
        if not case.seconds:
            return
        day = pendulum.instance(end).in_timezone(self.calendar.zone).date()
        windows = (*self.calendar.windows_on(day.subtract(days=1)), *self.calendar.windows_on(day))
        if not any(opens < end <= closes for opens, closes in windows):
            inputs = {"start": case.start, "seconds": case.seconds}
            detail = f"{end} is neither inside a window of {self.calendar.name!r} nor at its end"
            expected = self.calendar.add(case.start, case.seconds)
            broken(Law.IN_WORKING_TIME, detail, inputs, got=end, expected=expected)

    def agrees(self, case: _Case) -> None:
        end = self.deadline(case.start, case.seconds)
        expected = self.calendar.add(case.start, case.seconds)
        if end != expected:
            inputs: dict[str, Any] = {"start": case.start, "seconds": case.seconds}
            detail = f"{self.calendar.name!r} reaches the deadline at {expected}"
            broken(Law.AGREES_WITH_PROPCRM, detail, inputs, got=end, expected=expected)
        if self.between is not None:
            start, other = sorted((case.start, case.other))
            seconds = self.seconds_between(start, other)
            expected_seconds = self.calendar.between(start, other)
            if seconds != expected_seconds:
                inputs = {"start": start, "end": other}
                detail = f"{self.calendar.name!r} counts {expected_seconds} working seconds"
                broken(
                    Law.AGREES_WITH_PROPCRM, detail, inputs, got=seconds, expected=expected_seconds
                )
