"""The contact log (电话服务): every contact on any channel, and the callbacks promised on them.

A :class:`Contact` is one conversation: who (party, unit, the number that called), which staff,
which way, about what, how it ended, how long it took, the request or complaint it is linked to.
A contact that ends with a promise to call back carries a :class:`Callback`; a later contact
that ``keeps`` the callback names it. :class:`ContactLog` holds the contacts and refuses a
contact that keeps a callback nobody promised, or keeps it before it was promised.

>>> at = pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Shanghai")
>>> call = Contact(
...     contact_id="C1",
...     at=at,
...     channel=Channel.HOTLINE,
...     direction=Direction.INBOUND,
...     purpose=Purpose.FEES,
...     outcome=ContactOutcome.CALLBACK_PROMISED,
...     staff="客服小王",
...     party_id="P1",
...     unit_id="1-2-0301",
...     duration_seconds=180,
...     callback=Callback("CB1"),
... )
>>> back = Contact(
...     contact_id="C2",
...     at=at.add(hours=3),
...     channel=Channel.HOTLINE,
...     direction=Direction.OUTBOUND,
...     purpose=Purpose.CALLBACK,
...     outcome=ContactOutcome.RESOLVED,
...     staff="客服小王",
...     party_id="P1",
...     keeps="CB1",
... )
>>> log = ContactLog().add(call).add(back)
>>> [c.contact_id for c in log.keeping("CB1")]
['C2']
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from propcrm._trusted import set_cached
from propcrm._validators import check_int, check_items, check_record_id, check_unique, instance_of
from propcrm.contacts._kinds import Channel, ContactOutcome, Direction, Purpose
from propcrm.errors import DuplicateRecord, InvalidContact, UnknownCallback
from propcrm.personal_data import MobileNumber
from propcrm.sla import AgreedTime, SameServiceDay, Within
from propcrm.time import aware

__all__ = ["MAX_CONTACT_SECONDS", "Callback", "Contact", "ContactLog"]

MAX_CONTACT_SECONDS = 24 * 3600
"""The longest contact recorded: a day (a longer one is a typo for milliseconds)."""


def _id(what: str) -> Any:
    def check(_instance: object, _attribute: object, value: Any) -> None:
        check_record_id(value, what, InvalidContact)

    return check


def _optional_id(what: str) -> Any:
    def check(_instance: object, _attribute: object, value: Any) -> None:
        if value is not None:
            check_record_id(value, what, InvalidContact)

    return check


def _instant(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="at")


def _due(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and not isinstance(value, Within | SameServiceDay | AgreedTime):
        raise InvalidContact(
            f"a callback is due by an SLA target spec (Within, SameServiceDay or AgreedTime) or "
            f"by the policy's default (None), not {value!r}.",
            field="due",
            value=value,
            allowed="Within, SameServiceDay, AgreedTime or None",
        )


def _note(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str):
        raise InvalidContact(
            f"a note is text, not {value!r}; leave it '' when there is none.",
            field="note",
            value=value,
            allowed="str",
        )


@attrs.frozen
class Callback:
    """A callback promised on a contact: by when (``due``), and by whom (``staff``).

    ``due`` is an SLA target spec, so a callback runs on the same clocks, warnings and escalation
    as a request's targets: :class:`~propcrm.sla.AgreedTime` for a time agreed with the customer,
    :class:`~propcrm.sla.Within` or :class:`~propcrm.sla.SameServiceDay` for a promise on a
    business calendar, ``None`` for the :class:`~propcrm.contacts.CallbackPolicy`'s default.
    ``staff`` is who owes it (``None``: whoever took the contact).

    >>> Callback("CB1", due=Within(4 * 3600, "CN service hours")).due.describe("en_US")
    'within 4 hours, on CN service hours'
    """

    callback_id: str = attrs.field(validator=_id("callback id"))
    due: Within | SameServiceDay | AgreedTime | None = attrs.field(default=None, validator=_due)
    staff: str | None = attrs.field(default=None, validator=_optional_id("staff"))
    note: str = attrs.field(default="", validator=_note)


def _seconds(_instance: object, _attribute: object, value: Any) -> None:
    check_int(value, "duration_seconds", InvalidContact, minimum=0, maximum=MAX_CONTACT_SECONDS)


def _number(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and not isinstance(value, MobileNumber):
        raise InvalidContact(
            f"a contact's number is a MobileNumber (it masks itself), not {type(value).__name__}.",
            field="number",
            value=type(value).__name__,
            allowed="MobileNumber or None",
        )


@attrs.frozen(kw_only=True)
class Contact:
    """One contact on any channel, with its outcome and, where one is promised, its callback.

    ``party_id`` is ``None`` for a caller nobody has identified yet (match the ``number`` in the
    :class:`~propcrm.contacts.PhoneBook`). ``request_id`` links the request or complaint the
    contact opened or concerns. ``keeps`` names the callback this contact keeps (an unanswered
    attempt, :attr:`ContactOutcome.NO_ANSWER`, is recorded but keeps nothing). The outcome
    :attr:`ContactOutcome.CALLBACK_PROMISED` goes with a ``callback``, and a ``callback`` with it.
    """

    contact_id: str = attrs.field(validator=_id("contact id"))
    at: pendulum.DateTime = attrs.field(converter=_instant)
    channel: Channel = attrs.field(validator=instance_of(Channel))
    direction: Direction = attrs.field(validator=instance_of(Direction))
    purpose: Purpose = attrs.field(validator=instance_of(Purpose))
    outcome: ContactOutcome = attrs.field(validator=instance_of(ContactOutcome))
    staff: str = attrs.field(validator=_id("staff"))
    party_id: str | None = attrs.field(default=None, validator=_optional_id("party id"))
    unit_id: str | None = attrs.field(default=None, validator=_optional_id("unit id"))
    number: MobileNumber | None = attrs.field(default=None, validator=_number)
    duration_seconds: int = attrs.field(default=0, validator=_seconds)
    request_id: str | None = attrs.field(default=None, validator=_optional_id("request id"))
    callback: Callback | None = attrs.field(
        default=None, validator=instance_of(Callback, type(None))
    )
    keeps: str | None = attrs.field(default=None, validator=_optional_id("callback id"))
    summary: str = attrs.field(default="", validator=instance_of(str))

    def __attrs_post_init__(self) -> None:
        promised = self.outcome is ContactOutcome.CALLBACK_PROMISED
        if promised != (self.callback is not None):
            raise InvalidContact(
                f"contact {self.contact_id}: the outcome 'callback promised' goes with a "
                "Callback, and a Callback with that outcome.",
                field="callback",
                value=self.callback,
                allowed="a Callback exactly when outcome is CALLBACK_PROMISED",
            )
        if self.callback is not None and self.party_id is None:
            raise InvalidContact(
                f"contact {self.contact_id} promises a callback to nobody; identify the party.",
                field="party_id",
                value=None,
                allowed="a party id when a callback is promised",
            )
        if self.callback is not None and self.keeps == self.callback.callback_id:
            raise InvalidContact(
                f"contact {self.contact_id} cannot keep the callback it promises.",
                field="keeps",
                value=self.keeps,
                allowed="another callback's id",
            )

    @property
    def ended_at(self) -> pendulum.DateTime:
        """When the contact ended: its start plus its duration."""
        return self.at.add(seconds=self.duration_seconds)

    @property
    def answered(self) -> bool:
        """Whether anybody was reached (every outcome but :attr:`ContactOutcome.NO_ANSWER`)."""
        return self.outcome is not ContactOutcome.NO_ANSWER


def _contacts(value: Iterable[Contact]) -> tuple[Contact, ...]:
    return check_items(value, "contacts", Contact, error=InvalidContact)


@attrs.frozen
class ContactLog:
    """The contacts of a desk, in the order they were logged; never changed, only added to.

    A contact that keeps a callback must come after the contact that promised it.
    """

    contacts: tuple[Contact, ...] = attrs.field(default=(), converter=_contacts)
    # Derived from the contacts (never stored): the promise of each callback, and the contacts
    # keeping it in time order, so that a desk's callbacks are read in one pass, not one each.
    _promises: dict[str, Contact] = attrs.field(init=False, repr=False, eq=False)
    _keeping: dict[str, tuple[Contact, ...]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        check_unique((c.contact_id for c in self.contacts), "contacts", DuplicateRecord)
        promised: dict[str, Contact] = {}
        keeping: dict[str, list[Contact]] = {}
        for contact in self.contacts:
            _check_keeps(contact, promised)
            if contact.keeps is not None:
                keeping.setdefault(contact.keeps, []).append(contact)
            if contact.callback is not None:
                if contact.callback.callback_id in promised:
                    raise DuplicateRecord(
                        f"callback {contact.callback.callback_id} is promised twice (contacts "
                        f"{promised[contact.callback.callback_id].contact_id} and "
                        f"{contact.contact_id}).",
                        field="callback",
                        value=contact.callback.callback_id,
                        allowed="each callback id once",
                    )
                promised[contact.callback.callback_id] = contact
        set_cached(self, "_promises", promised)
        set_cached(self, "_keeping", {k: tuple(sorted(v, key=_when)) for k, v in keeping.items()})

    def add(self, contact: Contact) -> ContactLog:
        """A log with ``contact`` added at the end."""
        if not isinstance(contact, Contact):
            raise InvalidContact(
                f"a contact log holds Contacts, not {contact!r}.",
                field="contact",
                value=contact,
                allowed="Contact",
            )
        return ContactLog((*self.contacts, contact))

    def promised(self) -> tuple[Contact, ...]:
        """The contacts that promised a callback, in log order."""
        return tuple(c for c in self.contacts if c.callback is not None)

    def promise(self, callback_id: str) -> Contact:
        """The contact that promised ``callback_id``; :class:`UnknownCallback` if none did."""
        check_record_id(callback_id, "callback id", InvalidContact)
        found = self._promises.get(callback_id)
        if found is not None:
            return found
        raise UnknownCallback(
            f"no contact of the log promised callback {callback_id}.",
            field="callback_id",
            value=callback_id,
            allowed="the id of a promised callback",
        )

    def keeping(self, callback_id: str) -> tuple[Contact, ...]:
        """The contacts made to keep ``callback_id`` (answered or not), in time order."""
        self.promise(callback_id)
        return self._keeping.get(callback_id, ())

    def of_party(self, party_id: str) -> tuple[Contact, ...]:
        """The party's contacts, in time order (its activity history on every channel)."""
        check_record_id(party_id, "party id", InvalidContact)
        return tuple(sorted((c for c in self.contacts if c.party_id == party_id), key=_when))


def _when(contact: Contact) -> pendulum.DateTime:
    return contact.at


def _check_keeps(contact: Contact, promised: dict[str, Contact]) -> None:
    if contact.keeps is None:
        return
    promise = promised.get(contact.keeps)
    if promise is None:
        raise UnknownCallback(
            f"contact {contact.contact_id} keeps callback {contact.keeps}, which no earlier "
            "contact of the log promised.",
            field="keeps",
            value=contact.keeps,
            allowed=", ".join(sorted(promised)) or "no callback is promised yet",
        )
    if contact.at < promise.at:
        raise InvalidContact(
            f"contact {contact.contact_id} at {contact.at.isoformat()} keeps callback "
            f"{contact.keeps}, promised later ({promise.at.isoformat()}).",
            field="at",
            value=contact.at,
            allowed=f"at or after {promise.at.isoformat()}",
        )
