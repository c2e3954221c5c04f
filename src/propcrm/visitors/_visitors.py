"""Visitor registration (访客登记) at the gate: host unit, time window, purpose, plate, identity.

A registration names the host unit, the window of the visit (aware datetimes), the purpose, the
vehicle plate if the visitor drives in, how the visitor's identity was checked, and the ways in
the gate will accept. **Face recognition is never the only way in**: a registration that uses it
must also record an alternative (an ID check, the host's confirmation, a QR code, an access card
or a guard's escort), else it is refused with :class:`~propcrm.errors.FaceRecognitionOnly`.
A face is sensitive personal information (PIPL art. 28), and Chinese courts hold that a property
company may not make face recognition the only way into a community (最高人民法院《关于审理使用人脸
识别技术处理个人信息相关民事案件适用法律若干问题的规定》, 2021, art. 10).

>>> at = lambda h: pendulum.datetime(2026, 11, 24, h, tz="Asia/Shanghai")
>>> VisitorRegistration(
...     registration_id="V1", host_unit_id="1-2-0301", visitor_name=PersonName("王小明"),
...     arrives=at(14), leaves=at(18), purpose=VisitPurpose.FAMILY,
...     identity_check=IdentityCheck.ID_DOCUMENT, entry=[EntryMethod.FACE_RECOGNITION],
... )
Traceback (most recent call last):
...
propcrm.errors.FaceRecognitionOnly: registration V1 lets the visitor in by face recognition \
only; record an alternative way in as well (id_check, host_confirmation, qr_code, access_card, \
guard_escort): face recognition may never be the only way in.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Collection, Iterable

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._validators import check_items, check_record_id, check_unique, instance_of
from propcrm.errors import (
    DuplicateRecord,
    FaceRecognitionOnly,
    InvalidPolicy,
    InvalidType,
    UnknownRecord,
    VisitRefused,
)
from propcrm.parties import PartyBook, Visitor
from propcrm.personal_data import IdCardNumber, PersonName, VehiclePlate
from propcrm.time import (
    DEFAULT_ZONE,
    as_date,
    aware,
    local_date,
    zone,
)

__all__ = [
    "DEFAULT_VISITOR_POLICY",
    "EntryMethod",
    "IdentityCheck",
    "VisitPurpose",
    "VisitorLog",
    "VisitorPolicy",
    "VisitorRegistration",
]

DEFAULT_MAX_VISIT = datetime.timedelta(hours=24)
"""Longest window one registration may cover; longer stays are residents, not visitors.

The brief gives no number: a day is the usual limit of a gate pass (an assumption; change it
per community in :class:`VisitorPolicy`).
"""


class EntryMethod(enum.Enum):
    """A way the gate lets a registered visitor in."""

    FACE_RECOGNITION = "face_recognition"
    ID_CHECK = "id_check"
    HOST_CONFIRMATION = "host_confirmation"
    QR_CODE = "qr_code"
    ACCESS_CARD = "access_card"
    GUARD_ESCORT = "guard_escort"


class IdentityCheck(enum.Enum):
    """How the visitor's identity was checked at registration."""

    ID_DOCUMENT = "id_document"
    HOST_CONFIRMATION = "host_confirmation"
    STAFF_KNOWN = "staff_known"


class VisitPurpose(enum.Enum):
    """Why the visitor comes; ``label(locale)`` is the term used on gate registers.

    >>> VisitPurpose.DELIVERY.label(), VisitPurpose.DELIVERY.label("en_US")
    ('快递外卖', 'delivery')
    """

    FAMILY = "family"
    DELIVERY = "delivery"
    REPAIR = "repair"
    MOVING = "moving"
    HOUSE_VIEWING = "house_viewing"
    BUSINESS = "business"
    OTHER = "other"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The purpose's name, e.g. ``'探亲访友'`` (zh_CN) or ``'visiting family or friends'``."""
        # One literal per member, so that extraction finds every message.
        match self:
            case VisitPurpose.FAMILY:
                return pgettext("visit purpose", "visiting family or friends", locale=locale)
            case VisitPurpose.DELIVERY:
                return pgettext("visit purpose", "delivery", locale=locale)
            case VisitPurpose.REPAIR:
                return pgettext("visit purpose", "repair service", locale=locale)
            case VisitPurpose.MOVING:
                return pgettext("visit purpose", "moving", locale=locale)
            case VisitPurpose.HOUSE_VIEWING:
                return pgettext("visit purpose", "house viewing", locale=locale)
            case VisitPurpose.BUSINESS:
                return pgettext("visit purpose", "business", locale=locale)
            case VisitPurpose.OTHER:
                return pgettext("visit purpose", "other", locale=locale)


def _positive(_instance: object, _attribute: object, value: datetime.timedelta) -> None:
    if not isinstance(value, datetime.timedelta) or value <= datetime.timedelta(0):
        raise InvalidPolicy(
            f"max_window {value!r} must be a positive timedelta, e.g. 24 hours.",
            field="max_window",
            value=value,
            allowed="a positive datetime.timedelta",
        )


@attrs.frozen
class VisitorPolicy:
    """A community's gate rules: the longest window, and whether the host must be present.

    ``host_must_be_there``: the host unit must have an owner, tenant or resident on the day of
    the visit (checked when a :class:`~propcrm.parties.PartyBook` is given to
    :meth:`VisitorLog.register`).
    """

    max_window: datetime.timedelta = attrs.field(default=DEFAULT_MAX_VISIT, validator=_positive)
    host_must_be_there: bool = attrs.field(default=True, validator=instance_of(bool))


DEFAULT_VISITOR_POLICY = VisitorPolicy()
"""Windows of at most a day; a host unit with someone related to it on the day."""


# One named converter an instant field, so that a refused instant names its field (and mypy's
# attrs plugin reads the converter's type).
def _arrives(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="arrives")


def _leaves(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="leaves")


def _registrations(values: Iterable[VisitorRegistration]) -> tuple[VisitorRegistration, ...]:
    registrations: tuple[VisitorRegistration, ...] = check_items(
        values, "registrations", VisitorRegistration
    )
    return registrations


def _entry(values: Iterable[EntryMethod]) -> frozenset[EntryMethod]:
    methods = check_items(values, "entry", object)
    for method in methods:
        if not isinstance(method, EntryMethod):
            raise VisitRefused(
                f"{method!r} is not an EntryMethod.",
                field="entry",
                value=method,
                allowed="EntryMethod values",
            )
    return frozenset(methods)


def _id(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    check_record_id(value, attribute.name.replace("_", " "), VisitRefused, field=attribute.name)


def _optional_id(_instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None:
        check_record_id(value, attribute.name.replace("_", " "), VisitRefused, field=attribute.name)


def _party_ids(values: Collection[str]) -> tuple[str, ...]:
    ids: tuple[str, ...] = check_items(values, "party_ids", str)
    for party_id in ids:
        check_record_id(party_id, "party id", VisitRefused, field="party_ids")
    check_unique(ids, "party_ids", VisitRefused, what="party id")
    return ids


_optional = attrs.validators.optional


@attrs.frozen(kw_only=True)
class VisitorRegistration:
    """One visitor's registration against a host unit.

    Attributes:
        registration_id: the register's id.
        host_unit_id: the unit visited.
        visitor_name: the visitor's name (masked when shown); ``None`` only once erased.
        arrives, leaves: the window of the visit, aware instants; ``leaves`` is after ``arrives``.
        purpose, purpose_note: why the visitor comes.
        plate: the vehicle's plate when the visitor drives in.
        identity_check: how identity was checked; ``id_number`` only if the document's number
            had to be recorded (data minimisation: usually it need not be).
        entry: the ways in the gate accepts; face recognition never alone.
        visitor_id: the visitor's party id, when the visitor is a known party.
        host_confirmed_by: the party id of the resident who confirmed the visit, if any.
        erased: whether the visitor's personal data has been erased.
    """

    registration_id: str = attrs.field(validator=_id)
    host_unit_id: str = attrs.field(validator=_id)
    visitor_name: PersonName | None = attrs.field(validator=_optional(instance_of(PersonName)))
    arrives: pendulum.DateTime = attrs.field(converter=_arrives)
    leaves: pendulum.DateTime = attrs.field(converter=_leaves)
    purpose: VisitPurpose = attrs.field(validator=instance_of(VisitPurpose))
    purpose_note: str = attrs.field(default="", validator=instance_of(str))
    plate: VehiclePlate | None = attrs.field(
        default=None, validator=_optional(instance_of(VehiclePlate))
    )
    identity_check: IdentityCheck = attrs.field(validator=instance_of(IdentityCheck))
    id_number: IdCardNumber | None = attrs.field(
        default=None, validator=_optional(instance_of(IdCardNumber))
    )
    entry: frozenset[EntryMethod] = attrs.field(converter=_entry)
    visitor_id: str | None = attrs.field(default=None, validator=_optional_id)
    host_confirmed_by: str | None = attrs.field(default=None, validator=_optional_id)
    erased: bool = attrs.field(default=False, validator=instance_of(bool))

    def __attrs_post_init__(self) -> None:
        if self.leaves <= self.arrives:
            raise VisitRefused(
                f"registration {self.registration_id} leaves at {self.leaves.isoformat()}, not "
                f"after it arrives at {self.arrives.isoformat()}.",
                field="leaves",
                value=self.leaves,
                allowed=f"an instant after {self.arrives.isoformat()}",
                registration_id=self.registration_id,
            )
        if not self.entry:
            raise VisitRefused(
                f"registration {self.registration_id} records no way in; name at least one "
                "(an ID check, the host's confirmation, a QR code …).",
                field="entry",
                value=self.entry,
                allowed="at least one EntryMethod",
                registration_id=self.registration_id,
            )
        if self.entry == {EntryMethod.FACE_RECOGNITION}:
            others = ", ".join(
                m.value for m in EntryMethod if m is not EntryMethod.FACE_RECOGNITION
            )
            raise FaceRecognitionOnly(
                f"registration {self.registration_id} lets the visitor in by face recognition "
                f"only; record an alternative way in as well ({others}): face recognition may "
                "never be the only way in.",
                field="entry",
                value=self.entry,
                allowed="face recognition with an alternative way in",
                registration_id=self.registration_id,
            )
        host_confirms = (
            EntryMethod.HOST_CONFIRMATION in self.entry
            or self.identity_check is IdentityCheck.HOST_CONFIRMATION
        )
        if host_confirms and self.host_confirmed_by is None:
            raise VisitRefused(
                f"registration {self.registration_id} relies on the host's confirmation; record "
                "who confirmed it (host_confirmed_by).",
                field="host_confirmed_by",
                value=None,
                allowed="the party id of the host who confirmed",
                registration_id=self.registration_id,
            )
        if self.erased and (self.visitor_name, self.plate, self.id_number) != (None, None, None):
            raise VisitRefused(
                f"registration {self.registration_id} is marked erased but still holds personal "
                "data.",
                field="erased",
                value=self.erased,
                allowed="no personal data once erased",
                registration_id=self.registration_id,
            )
        if not self.erased and self.visitor_name is None:
            raise VisitRefused(
                f"registration {self.registration_id} needs the visitor's name.",
                field="visitor_name",
                value=None,
                allowed="a PersonName (None only once erased)",
                registration_id=self.registration_id,
            )

    @property
    def window(self) -> datetime.timedelta:
        """How long the registration lets the visitor stay."""
        return self.leaves - self.arrives

    def covers(self, at: datetime.datetime) -> bool:
        """Whether the instant ``at`` lies in the window ``[arrives, leaves)``."""
        instant = aware(at, field="at")
        return self.arrives <= instant < self.leaves

    def as_relation(self, relation_id: str, tz: str = DEFAULT_ZONE) -> Visitor:
        """The visit as a dated :class:`~propcrm.parties.Visitor` relation (needs ``visitor_id``).

        The relation runs from the arrival's date to the day after the departure's date, in
        zone ``tz``, so it covers every calendar day of the visit.
        """
        zone(tz)
        if self.visitor_id is None:
            raise VisitRefused(
                f"registration {self.registration_id} names no visitor party (visitor_id), so "
                "it cannot become a relation.",
                field="visitor_id",
                value=None,
                allowed="a visitor party id",
                registration_id=self.registration_id,
            )
        return Visitor(
            relation_id=relation_id,
            party_id=self.visitor_id,
            unit_id=self.host_unit_id,
            start=local_date(self.arrives, tz),
            until=local_date(self.leaves, tz).add(days=1),
            registration_id=self.registration_id,
        )

    def erased_copy(self) -> VisitorRegistration:
        """A copy without the visitor's personal data: name, plate, ID number, purpose note."""
        return attrs.evolve(
            self, visitor_name=None, plate=None, id_number=None, purpose_note="", erased=True
        )


@attrs.frozen
class VisitorLog:
    """The gate register: registrations in the order made; changed by returning a new log."""

    registrations: tuple[VisitorRegistration, ...] = attrs.field(
        default=(), converter=_registrations
    )
    policy: VisitorPolicy = attrs.field(
        default=DEFAULT_VISITOR_POLICY, validator=instance_of(VisitorPolicy)
    )

    def __attrs_post_init__(self) -> None:
        ids = [r.registration_id for r in self.registrations]
        check_unique(ids, "registrations", DuplicateRecord, what="registration id")

    def register(
        self,
        registration: VisitorRegistration,
        *,
        book: PartyBook | None = None,
        tz: str = DEFAULT_ZONE,
    ) -> VisitorLog:
        """A new log with ``registration`` checked against the policy (and ``book``) and added."""
        (registration,) = check_items((registration,), "registration", VisitorRegistration)
        if book is not None and not isinstance(book, PartyBook):
            raise InvalidType(
                f"book must be a PartyBook or None, got {type(book).__name__} {book!r}.",
                field="book",
                value=book,
                allowed="PartyBook or None",
            )
        zone(tz)
        if any(r.registration_id == registration.registration_id for r in self.registrations):
            raise DuplicateRecord(
                f"registration id {registration.registration_id} is taken in the visitor log.",
                field="registration_id",
                value=registration.registration_id,
                allowed="an id not in the log",
            )
        if registration.window > self.policy.max_window:
            raise VisitRefused(
                f"registration {registration.registration_id} covers {registration.window}, "
                f"longer than the community's limit of {self.policy.max_window}; register a "
                "longer stay as a resident.",
                field="leaves",
                value=registration.window,
                allowed=f"a window of at most {self.policy.max_window}",
                registration_id=registration.registration_id,
            )
        if book is not None:
            self._check_host(registration, book, tz)
        return attrs.evolve(self, registrations=(*self.registrations, registration))

    def _check_host(self, registration: VisitorRegistration, book: PartyBook, tz: str) -> None:
        unit_id = registration.host_unit_id
        try:
            book.unit(unit_id)
        except UnknownRecord:
            raise VisitRefused(
                f"registration {registration.registration_id} names host unit {unit_id}, which "
                "is not in the party book.",
                field="host_unit_id",
                value=unit_id,
                allowed="a unit in the party book",
                registration_id=registration.registration_id,
            ) from None
        day = local_date(registration.arrives, tz)
        hosts = {r.party_id for r in book.owners(unit_id, day)} | set(book.occupants(unit_id, day))
        if self.policy.host_must_be_there and not hosts:
            raise VisitRefused(
                f"host unit {unit_id} has no owner, tenant or resident on {day.isoformat()}; "
                "nobody there can host a visitor.",
                field="host_unit_id",
                value=unit_id,
                allowed="a unit with someone related to it that day",
                registration_id=registration.registration_id,
            )
        confirmed = registration.host_confirmed_by
        if confirmed is not None and confirmed not in hosts:
            raise VisitRefused(
                f"{confirmed} confirmed visit {registration.registration_id} but is not an "
                f"owner, tenant or resident of {unit_id} on {day.isoformat()}.",
                field="host_confirmed_by",
                value=confirmed,
                allowed="an owner, tenant or resident of the host unit",
                registration_id=registration.registration_id,
            )

    def on_site(self, at: datetime.datetime) -> tuple[VisitorRegistration, ...]:
        """Registrations whose window covers the instant ``at``."""
        instant = aware(at, field="at")
        return tuple(r for r in self.registrations if r.covers(instant))

    def visits_to(
        self, unit_id: str, day: datetime.date, tz: str = DEFAULT_ZONE
    ) -> tuple[VisitorRegistration, ...]:
        """Registrations for ``unit_id`` whose window touches the calendar ``day`` in ``tz``."""
        check_record_id(unit_id, "unit id", VisitRefused)
        day = as_date(day, "day")
        zone(tz)
        return tuple(
            r
            for r in self.registrations
            if r.host_unit_id == unit_id
            and local_date(r.arrives, tz) <= day <= local_date(r.leaves, tz)
        )

    def of_visitor(self, party_id: str) -> tuple[VisitorRegistration, ...]:
        """The registrations of a known visitor party."""
        check_record_id(party_id, "party id", VisitRefused)
        return tuple(r for r in self.registrations if r.visitor_id == party_id)

    def erased(self, party_id: str) -> tuple[VisitorLog, tuple[str, ...]]:
        """The log with ``party_id``'s registrations de-identified, and their ids."""
        check_record_id(party_id, "party id", VisitRefused)
        changed = tuple(
            r.registration_id
            for r in self.registrations
            if r.visitor_id == party_id and not r.erased
        )
        registrations = tuple(
            r.erased_copy() if r.registration_id in changed else r for r in self.registrations
        )
        return attrs.evolve(self, registrations=registrations), changed

    def personal_records(self, party_ids: Collection[str]) -> tuple[VisitorRegistration, ...]:
        """The registrations of these visitor parties, in the order made (a PIPL export).

        With :meth:`without_personal_data`, what makes a log a
        :class:`~propcrm.parties.PersonalDataHolder` for ``export_person``.
        """
        ids = frozenset(_party_ids(party_ids))
        return tuple(r for r in self.registrations if r.visitor_id in ids)

    def without_personal_data(
        self, party_ids: Collection[str]
    ) -> tuple[VisitorLog, tuple[str, ...]]:
        """The log with these parties' registrations de-identified, and their ids (an erasure)."""
        log: VisitorLog = self
        changed: tuple[str, ...] = ()
        for party_id in _party_ids(party_ids):
            log, more = log.erased(party_id)
            changed += more
        return log, changed

    def purged(self, ended_before: datetime.datetime) -> tuple[VisitorLog, tuple[str, ...]]:
        """The log without registrations that ended before ``ended_before`` (retention).

        Gate registers are kept only as long as needed (PIPL art. 19); a community runs this
        with its own retention period. Returns the new log and the ids removed.
        """
        cut = aware(ended_before, field="ended_before")
        removed = tuple(r.registration_id for r in self.registrations if r.leaves <= cut)
        kept = tuple(r for r in self.registrations if r.leaves > cut)
        return attrs.evolve(self, registrations=kept), removed
