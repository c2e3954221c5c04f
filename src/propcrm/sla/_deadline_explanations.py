"""A deadline explained as data: the rule, the calendar's account, the pauses and the changes.

:meth:`SlaClock.explain <propcrm.sla.SlaClock.explain>` returns a :class:`DeadlineExplanation`;
its :meth:`~DeadlineExplanation.summary` is the one line a desk shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, ngettext, pgettext
from propcrm.sla._clock_records import ClockState, PauseRecord
from propcrm.sla._events import SlaEvent
from propcrm.sla._targets import ELAPSED, ServiceDayDue, TargetKind, TargetSpec

__all__ = ["DeadlineExplanation"]


@attrs.frozen
class DeadlineExplanation:
    """Everything behind a target's deadline, as data.

    ``rule`` is the spec's description in English, for logs; :meth:`summary` writes it in the
    locale asked for. ``calendar_detail`` is the calendar's own account of ``[started_at,
    deadline)`` (windows, holidays skipped, make-up days, whether the holiday years are
    confirmed), from its ``explain``; ``None`` when there is no deadline yet or the calendar has
    nothing to say.
    """

    kind: TargetKind
    rule: str
    spec: TargetSpec
    calendar: str
    state: ClockState
    cycle: int
    started_at: pendulum.DateTime | None
    budget_seconds: int
    consumed_seconds: int
    running_since: pendulum.DateTime | None
    deadline: pendulum.DateTime | None
    breached_at: pendulum.DateTime | None
    stopped_at: pendulum.DateTime | None
    pauses: tuple[PauseRecord, ...]
    service_day: ServiceDayDue | None
    changes: tuple[SlaEvent, ...]
    calendar_detail: Any

    @property
    def remaining_seconds(self) -> int:
        """Budget minus the business time consumed up to the last event (negative: overdue)."""
        return self.budget_seconds - self.consumed_seconds

    def summary(
        self,
        locale: LocaleLike = DEFAULT_LOCALE,
        *,
        reason_text: Callable[[str, LocaleLike], str] | None = None,
    ) -> str:
        """One line for people: the rule, the deadline and what moved it.

        Names and data (a holiday's name from the provider, a calendar's name) are printed as
        they were given. The reason of the last change is the caller's data: a code of the
        context that recorded it (a request's action, a hold reason) or a person's own words.
        ``reason_text(reason, locale)`` says it for people, for example
        :func:`propcrm.complaints.reason_text` for a request's clocks; without it the reason is
        printed as stored.
        """
        parts = [
            gettext(
                "%(kind)s %(rule)s: %(when)s",
                locale=locale,
                kind=self.kind.label(locale),
                rule=self.spec.describe(locale),
                when=self._when(locale),
            )
        ]
        if self.service_day is not None:
            received = self.service_day.received_at.format("MM-DD HH:mm")
            if self.service_day.before_cutoff:
                parts.append(
                    gettext("received %(at)s, before the cut-off", locale=locale, at=received)
                )
            else:
                parts.append(
                    gettext("received %(at)s, after the cut-off", locale=locale, at=received)
                )
        if self.pauses:
            paused = sum(
                ELAPSED.between(p.since, p.until) for p in self.pauses if p.until is not None
            )
            parts.append(
                ngettext(
                    "%(num)d pause, %(minutes)d min",
                    "%(num)d pauses, %(minutes)d min",
                    len(self.pauses),
                    locale=locale,
                    minutes=paused // 60,
                )
            )
        holidays = getattr(self.calendar_detail, "holidays", ())
        if holidays:
            first = holidays[0]
            parts.append(
                ngettext(
                    "%(num)d holiday skipped (%(name)s from %(day)s)",
                    "%(num)d holidays skipped (%(name)s from %(day)s)",
                    len(holidays),
                    locale=locale,
                    name=first.name,
                    day=first.day.isoformat(),
                )
            )
        make_up = getattr(self.calendar_detail, "make_up_days", ())
        if make_up:
            parts.append(
                gettext(
                    "make-up workday %(day)s worked", locale=locale, day=make_up[0].day.isoformat()
                )
            )
        if self.changes:
            last = self.changes[-1]
            parts.append(
                ngettext(
                    "%(num)d change, last %(at)s: %(reason)s",
                    "%(num)d changes, last %(at)s: %(reason)s",
                    len(self.changes),
                    locale=locale,
                    at=last.at.format("MM-DD HH:mm"),
                    reason=last.reason if reason_text is None else reason_text(last.reason, locale),
                )
            )
        # TRANSLATORS: between the parts of a deadline's one-line summary.
        return pgettext("summary separator", "; ", locale=locale).join(parts)

    def _when(self, locale: LocaleLike) -> str:
        if self.deadline is not None:
            return gettext(
                "due %(deadline)s", locale=locale, deadline=self.deadline.format("YYYY-MM-DD HH:mm")
            )
        if self.state is ClockState.PAUSED:
            return gettext("no deadline while paused", locale=locale)
        return gettext("not running", locale=locale)
