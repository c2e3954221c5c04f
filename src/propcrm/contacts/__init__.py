"""The contact log and callbacks (电话服务, issue 16; domain brief §6).

Every contact on any channel (:class:`Contact`: hotline call, visit, WeChat, SMS, letter, app)
with its party, unit, staff, direction, purpose, outcome, duration and linked request, in a
:class:`ContactLog`; callbacks promised on a contact (:class:`Callback`) measured as
``callback`` targets on the SLA model (:func:`callback_state`, :func:`callback_clocks`), so the
same warnings, breaches and escalation serve them; the :class:`PhoneBook` of numbers linked to
parties, units and staff, masked as all personal data, that matches callers by number; and
:func:`contact_statistics` per channel, staff, purpose and outcome, with callbacks kept and
missed and first-contact resolution.

The owner archive's :class:`~propcrm.archive.CommunicationRecord` stays what it was: the short
entry in a person's file. A :class:`Contact` is the desk's full record of the same event.

Depends on :mod:`propcrm.money`, :mod:`propcrm.time`, :mod:`propcrm.sla` and
:mod:`propcrm.personal_data`.
"""

from propcrm.contacts._callbacks import (
    CALLBACK_PRIORITY,
    DEFAULT_CALLBACK_POLICY,
    CallbackPolicy,
    CallbackState,
    CallbackStatus,
    callback_clocks,
    callback_state,
    callback_states,
)
from propcrm.contacts._kinds import Channel, ContactOutcome, Direction, Purpose
from propcrm.contacts._log import MAX_CONTACT_SECONDS, Callback, Contact, ContactLog
from propcrm.contacts._phone_book import CallerMatch, PhoneBook, PhoneEntry
from propcrm.contacts._statistics import (
    DEFAULT_REPEAT_WINDOW_DAYS,
    DEFAULT_STATISTICS_POLICY,
    ContactStatistics,
    ContactStatisticsPolicy,
    contact_statistics,
)

__all__ = [
    "CALLBACK_PRIORITY",
    "DEFAULT_CALLBACK_POLICY",
    "DEFAULT_REPEAT_WINDOW_DAYS",
    "DEFAULT_STATISTICS_POLICY",
    "MAX_CONTACT_SECONDS",
    "Callback",
    "CallbackPolicy",
    "CallbackState",
    "CallbackStatus",
    "CallerMatch",
    "Channel",
    "Contact",
    "ContactLog",
    "ContactOutcome",
    "ContactStatistics",
    "ContactStatisticsPolicy",
    "Direction",
    "PhoneBook",
    "PhoneEntry",
    "Purpose",
    "callback_clocks",
    "callback_state",
    "callback_states",
    "contact_statistics",
]


def __dir__() -> list[str]:
    return list(__all__)
