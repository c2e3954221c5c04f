"""The owner archive (业主档案): dated records of each unit and each person (domain brief §1).

Unit records: the handover inspection (承接查验), warranty items (工程保修), repairs (维修),
decoration registration with its permit (装饰装修), violations and extensions of a decoration,
and usage. Person records: public-affairs history (move-in, decoration registration, hot-work
permits, moving release, parking, fees, complaints), communications, and special-service history.

An :class:`OwnerArchive` is immutable: :meth:`OwnerArchive.add` returns a new archive, and a
record is never changed or removed, except that an erasure of a person's data
(``propcrm.parties.erase_person``) redacts the free text of that person's records.

>>> permit = DecorationPermit("ZX-2026-031", pendulum.date(2026, 3, 5), hot_work=False)
>>> archive = (
...     OwnerArchive()
...     .add(
...         DecorationRecord(
...             record_id="A1",
...             unit_id="1-2-0301",
...             on=pendulum.date(2026, 3, 5),
...             permit=permit,
...             planned_until=pendulum.date(2026, 5, 5),
...         )
...     )
...     .add(
...         DecorationExtension(
...             record_id="A2",
...             unit_id="1-2-0301",
...             on=pendulum.date(2026, 5, 1),
...             permit_number="ZX-2026-031",
...             until=pendulum.date(2026, 5, 20),
...         )
...     )
... )
>>> archive.decoration_until("1-2-0301", "ZX-2026-031")
Date(2026, 5, 20)
>>> [type(r).__name__ for r in archive.unit_file("1-2-0301")]
['DecorationRecord', 'DecorationExtension']
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Collection, Iterable

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._trusted import build_trusted
from propcrm._validators import check_items, check_record_id, check_text, check_unique, instance_of
from propcrm.errors import DuplicateRecord, InvalidAmount, InvalidArchiveRecord
from propcrm.money import Money, as_optional_money
from propcrm.parties import DecorationPermit
from propcrm.time import (
    as_date,
    aware,
)

__all__ = [
    "CommunicationChannel",
    "CommunicationRecord",
    "DecorationExtension",
    "DecorationRecord",
    "DecorationViolation",
    "HandoverInspection",
    "OwnerArchive",
    "PersonRecord",
    "PublicAffair",
    "PublicAffairRecord",
    "RepairRecord",
    "SpecialServiceRecord",
    "UnitRecord",
    "UsageRecord",
    "WarrantyRecord",
]

REDACTED = "[已删除]"
"""What an erasure leaves in place of a person's free text."""


def _id(what: str) -> Callable[[object, object, str], None]:
    def check(_instance: object, _attribute: object, value: str) -> None:
        check_record_id(value, what, InvalidArchiveRecord)

    return check


def _text(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidArchiveRecord(
            f"{attribute.name} {value!r} must be non-empty text.",
            field=attribute.name,
            value=value,
            allowed="non-empty text",
        )


# One named converter a date field, so that a refused date names its field (and mypy's attrs
# plugin reads the converter's type).
def _on(value: object) -> pendulum.Date:
    return as_date(value, "on")


def _until(value: object) -> pendulum.Date:
    return as_date(value, "until")


def _planned_until(value: object) -> pendulum.Date:
    return as_date(value, "planned_until")


def _completed_on(value: object) -> pendulum.Date | None:
    return None if value is None else as_date(value, "completed_on")


def _rectify_by(value: object) -> pendulum.Date | None:
    return None if value is None else as_date(value, "rectify_by")


def _rectified_on(value: object) -> pendulum.Date | None:
    return None if value is None else as_date(value, "rectified_on")


def _instant(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="at")


def _texts(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        raise InvalidArchiveRecord(
            "defects must be a sequence of texts, not one text.",
            field="defects",
            value=values,
            allowed="a sequence of texts",
        )
    defects: tuple[str, ...] = check_items(values, "defects", str)
    return defects


def _party_ids(values: Collection[str]) -> tuple[str, ...]:
    ids: tuple[str, ...] = check_items(values, "party_ids", str)
    for party_id in ids:
        check_record_id(party_id, "party id", InvalidArchiveRecord, field="party_ids")
    check_unique(ids, "party_ids", InvalidArchiveRecord, what="party id")
    return ids


_optional_money = attrs.validators.optional(instance_of(Money))


def _money(field: str, value: object) -> Money | None:
    # Money refuses the amount; the archive says which of its fields held it.
    try:
        return as_optional_money(value)
    except InvalidAmount as exc:
        allowed = "an amount as a str, int, Decimal or Money, or None"
        raise type(exc)(str(exc), field=field, value=value, allowed=allowed) from None


def _cost(value: object) -> Money | None:
    return _money("cost", value)


def _deposit(value: object) -> Money | None:
    return _money("deposit", value)


def _amount(value: object) -> Money | None:
    return _money("amount", value)


class PublicAffair(enum.Enum):
    """Public affairs handled for a customer (domain brief §1); ``label(locale)`` names one.

    >>> PublicAffair.HOT_WORK_PERMIT.label(), PublicAffair.HOT_WORK_PERMIT.label("en_US")
    ('动火作业审批', 'hot-work permit')
    """

    MOVE_IN = "move_in"
    DECORATION_REGISTRATION = "decoration_registration"
    DECORATION_INSPECTION = "decoration_inspection"
    HOT_WORK_PERMIT = "hot_work_permit"
    MOVING_RELEASE = "moving_release"
    PARKING_ALLOCATION = "parking_allocation"
    PARKING_LEASE = "parking_lease"
    FEES = "fees"
    COMPLAINT = "complaint"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The affair's name, e.g. ``'装修登记'`` (zh_CN) or ``'decoration registration'``."""
        # One literal per member, so that extraction finds every message.
        match self:
            case PublicAffair.MOVE_IN:
                return pgettext("public affair", "move-in", locale=locale)
            case PublicAffair.DECORATION_REGISTRATION:
                return pgettext("public affair", "decoration registration", locale=locale)
            case PublicAffair.DECORATION_INSPECTION:
                return pgettext("public affair", "decoration inspection", locale=locale)
            case PublicAffair.HOT_WORK_PERMIT:
                return pgettext("public affair", "hot-work permit", locale=locale)
            case PublicAffair.MOVING_RELEASE:
                return pgettext("public affair", "moving release", locale=locale)
            case PublicAffair.PARKING_ALLOCATION:
                return pgettext("public affair", "parking space allocation", locale=locale)
            case PublicAffair.PARKING_LEASE:
                return pgettext("public affair", "parking space lease registration", locale=locale)
            case PublicAffair.FEES:
                return pgettext("public affair", "fee matters", locale=locale)
            case PublicAffair.COMPLAINT:
                return pgettext("public affair", "complaint", locale=locale)


class CommunicationChannel(enum.Enum):
    """How a communication with a customer took place."""

    PHONE = "phone"
    VISIT = "visit"
    IN_PERSON = "in_person"
    SMS = "sms"
    WECHAT = "wechat"
    EMAIL = "email"
    LETTER = "letter"


# -- unit records -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _UnitRecord:
    record_id: str = attrs.field(validator=_id("record id"))
    unit_id: str = attrs.field(validator=_id("unit id"))
    on: pendulum.Date = attrs.field(converter=_on)

    @property
    def subject(self) -> str:
        """The unit the record is about."""
        return self.unit_id


@attrs.frozen(kw_only=True)
class HandoverInspection(_UnitRecord):
    """The handover inspection (承接查验): who inspected, whether it passed, defects found."""

    inspector: str = attrs.field(validator=_text)
    passed: bool = attrs.field(validator=instance_of(bool))
    defects: tuple[str, ...] = attrs.field(default=(), converter=_texts)


@attrs.frozen(kw_only=True)
class WarrantyRecord(_UnitRecord):
    """A warranty item (工程保修): what is under warranty, by whom, until when (exclusive)."""

    item: str = attrs.field(validator=_text)
    until: pendulum.Date = attrs.field(converter=_until)
    contractor: str = attrs.field(default="", validator=instance_of(str))

    def __attrs_post_init__(self) -> None:
        if self.until <= self.on:
            raise InvalidArchiveRecord(
                f"warranty {self.record_id} for {self.item} ends {self.until.isoformat()}, not "
                f"after it begins {self.on.isoformat()}.",
                field="until",
                value=self.until,
                allowed=f"a date after {self.on.isoformat()}",
                record_id=self.record_id,
            )


@attrs.frozen(kw_only=True)
class RepairRecord(_UnitRecord):
    """A repair (维修): what, whether under warranty, when completed, at what cost."""

    description: str = attrs.field(validator=_text)
    under_warranty: bool = attrs.field(default=False, validator=instance_of(bool))
    completed_on: pendulum.Date | None = attrs.field(default=None, converter=_completed_on)
    cost: Money | None = attrs.field(default=None, converter=_cost, validator=_optional_money)

    def __attrs_post_init__(self) -> None:
        if self.completed_on is not None and self.completed_on < self.on:
            raise InvalidArchiveRecord(
                f"repair {self.record_id} is completed {self.completed_on.isoformat()}, before "
                f"it was reported on {self.on.isoformat()}.",
                field="completed_on",
                value=self.completed_on,
                allowed=f"{self.on.isoformat()} or later",
                record_id=self.record_id,
            )


@attrs.frozen(kw_only=True)
class DecorationRecord(_UnitRecord):
    """Decoration registration (装修登记) under a permit, with the planned end (exclusive)."""

    permit: DecorationPermit = attrs.field(validator=instance_of(DecorationPermit))
    planned_until: pendulum.Date = attrs.field(converter=_planned_until)
    deposit: Money | None = attrs.field(default=None, converter=_deposit, validator=_optional_money)

    def __attrs_post_init__(self) -> None:
        if self.planned_until <= self.on:
            raise InvalidArchiveRecord(
                f"decoration {self.permit.number} is planned to end "
                f"{self.planned_until.isoformat()}, not after its registration on "
                f"{self.on.isoformat()}.",
                field="planned_until",
                value=self.planned_until,
                allowed=f"a date after {self.on.isoformat()}",
                record_id=self.record_id,
            )


@attrs.frozen(kw_only=True)
class DecorationViolation(_UnitRecord):
    """A violation found during decoration (违规装修): what, rectify by when, rectified when."""

    permit_number: str = attrs.field(validator=_text)
    description: str = attrs.field(validator=_text)
    rectify_by: pendulum.Date | None = attrs.field(default=None, converter=_rectify_by)
    rectified_on: pendulum.Date | None = attrs.field(default=None, converter=_rectified_on)

    def __attrs_post_init__(self) -> None:
        for name in ("rectify_by", "rectified_on"):
            day = getattr(self, name)
            if day is not None and day < self.on:
                raise InvalidArchiveRecord(
                    f"violation {self.record_id}: {name} {day.isoformat()} is before it was "
                    f"found on {self.on.isoformat()}.",
                    field=name,
                    value=day,
                    allowed=f"{self.on.isoformat()} or later",
                    record_id=self.record_id,
                )


@attrs.frozen(kw_only=True)
class DecorationExtension(_UnitRecord):
    """An extension (延期) of a decoration to a new end (exclusive)."""

    permit_number: str = attrs.field(validator=_text)
    until: pendulum.Date = attrs.field(converter=_until)


@attrs.frozen(kw_only=True)
class UsageRecord(_UnitRecord):
    """A record of the unit's use (使用): a change of use, a rental registration, vacancy …."""

    description: str = attrs.field(validator=_text)


UnitRecord = (
    HandoverInspection
    | WarrantyRecord
    | RepairRecord
    | DecorationRecord
    | DecorationViolation
    | DecorationExtension
    | UsageRecord
)
"""A dated record of a unit."""

_UNIT_RECORD_TYPES = (
    HandoverInspection,
    WarrantyRecord,
    RepairRecord,
    DecorationRecord,
    DecorationViolation,
    DecorationExtension,
    UsageRecord,
)


# -- person records ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PublicAffairRecord:
    """A public affair handled for a person (move-in, decoration, parking, fees, complaint …)."""

    record_id: str = attrs.field(validator=_id("record id"))
    party_id: str = attrs.field(validator=_id("party id"))
    on: pendulum.Date = attrs.field(converter=_on)
    affair: PublicAffair = attrs.field(validator=instance_of(PublicAffair))
    unit_id: str | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(_id("unit id")),
    )
    reference: str = attrs.field(default="", validator=instance_of(str))
    outcome: str = attrs.field(default="", validator=instance_of(str))

    @property
    def subject(self) -> str:
        """The person the record is about."""
        return self.party_id

    def redacted(self) -> PublicAffairRecord:
        """A copy without the person's free text (the outcome)."""
        return attrs.evolve(self, outcome=REDACTED if self.outcome else "")


@attrs.frozen(kw_only=True)
class CommunicationRecord:
    """A communication with a person: when (an instant), how, what about, by which staff."""

    record_id: str = attrs.field(validator=_id("record id"))
    party_id: str = attrs.field(validator=_id("party id"))
    at: pendulum.DateTime = attrs.field(converter=_instant)
    channel: CommunicationChannel = attrs.field(validator=instance_of(CommunicationChannel))
    summary: str = attrs.field(validator=_text)
    staff: str = attrs.field(default="", validator=instance_of(str))

    @property
    def subject(self) -> str:
        """The person the record is about."""
        return self.party_id

    @property
    def on(self) -> pendulum.Date:
        """The date of the communication in its own zone."""
        return self.at.date()

    def redacted(self) -> CommunicationRecord:
        """A copy without the person's free text (the summary)."""
        return attrs.evolve(self, summary=REDACTED)


@attrs.frozen(kw_only=True)
class SpecialServiceRecord:
    """A special service (特约服务) provided to a person, with its price when charged."""

    record_id: str = attrs.field(validator=_id("record id"))
    party_id: str = attrs.field(validator=_id("party id"))
    on: pendulum.Date = attrs.field(converter=_on)
    service: str = attrs.field(validator=_text)
    unit_id: str | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(_id("unit id")),
    )
    amount: Money | None = attrs.field(default=None, converter=_amount, validator=_optional_money)
    reference: str = attrs.field(default="", validator=instance_of(str))

    @property
    def subject(self) -> str:
        """The person the record is about."""
        return self.party_id

    def redacted(self) -> SpecialServiceRecord:
        """The same record: a service, its date and price are a financial record, kept."""
        return self


PersonRecord = PublicAffairRecord | CommunicationRecord | SpecialServiceRecord
"""A dated record of a person."""

_PERSON_RECORD_TYPES = (PublicAffairRecord, CommunicationRecord, SpecialServiceRecord)

ArchiveRecord = UnitRecord | PersonRecord


def _record_day(record: ArchiveRecord) -> pendulum.Date:
    return record.on


# -- the archive ------------------------------------------------------------------------------


def _check_records(
    archive: OwnerArchive, _attribute: object, _person_records: tuple[PersonRecord, ...]
) -> None:
    """Every record id once, and each record valid against the records added before it.

    A validator of the last field, so it runs once every field is set, in ``__init__`` and
    :func:`attrs.evolve`; :meth:`OwnerArchive.add` checks only the new record and builds the
    next archive without it (see ``_with``).
    """
    seen: set[str] = set()
    # The empty archive to check against (built trusted: OwnerArchive() would run this again).
    checked = build_trusted(OwnerArchive)
    for record in (*archive.unit_records, *archive.person_records):
        if record.record_id in seen:
            raise DuplicateRecord(
                f"archive record id {record.record_id} is used twice; give each its own.",
                field="record_id",
                value=record.record_id,
                allowed="each record id once",
            )
        seen.add(record.record_id)
        checked._check_new(record)
        checked = checked._with(record)


def _unit_records(values: object) -> tuple[UnitRecord, ...]:
    records: tuple[UnitRecord, ...] = check_items(values, "unit_records", *_UNIT_RECORD_TYPES)
    return records


def _person_records(values: object) -> tuple[PersonRecord, ...]:
    records: tuple[PersonRecord, ...] = check_items(values, "person_records", *_PERSON_RECORD_TYPES)
    return records


@attrs.frozen
class OwnerArchive:
    """Unit and person records, each kept in the order added; queried by date."""

    unit_records: tuple[UnitRecord, ...] = attrs.field(default=(), converter=_unit_records)
    person_records: tuple[PersonRecord, ...] = attrs.field(
        default=(), converter=_person_records, validator=_check_records
    )

    def _with(self, record: ArchiveRecord) -> OwnerArchive:
        units, persons = self.unit_records, self.person_records
        if isinstance(record, _UNIT_RECORD_TYPES):
            units = (*units, record)
        else:
            persons = (*persons, record)
        # Fast path: ``record`` was just checked against every record before it (add, or the
        # validator's loop), which is all the validator would check again for the whole archive.
        return build_trusted(OwnerArchive, unit_records=units, person_records=persons)

    def add(self, record: ArchiveRecord) -> OwnerArchive:
        """A new archive with ``record`` added (checked against the records before it)."""
        self._check_type(record)
        if any(r.record_id == record.record_id for r in self._all()):
            raise DuplicateRecord(
                f"archive record id {record.record_id} is taken; give each record its own.",
                field="record_id",
                value=record.record_id,
                allowed="an id not in the archive",
            )
        self._check_new(record)
        return self._with(record)

    def _all(self) -> tuple[ArchiveRecord, ...]:
        return (*self.unit_records, *self.person_records)

    @staticmethod
    def _check_type(record: object) -> None:
        if not isinstance(record, _UNIT_RECORD_TYPES + _PERSON_RECORD_TYPES):
            raise InvalidArchiveRecord(
                f"{type(record).__name__} is not an archive record; use one of the unit or "
                "person record classes.",
                field="record",
                value=record,
                allowed="a unit or person record (HandoverInspection … SpecialServiceRecord)",
            )

    def _check_new(self, record: ArchiveRecord) -> None:
        self._check_type(record)
        if isinstance(record, DecorationRecord):
            for r in self.unit_records:
                if isinstance(r, DecorationRecord) and r.permit.number == record.permit.number:
                    raise InvalidArchiveRecord(
                        f"decoration permit {record.permit.number} is registered already "
                        f"(record {r.record_id}); extend it instead.",
                        field="permit",
                        value=record.permit.number,
                        allowed="a permit not registered yet",
                        record_id=record.record_id,
                    )
        if isinstance(record, DecorationViolation | DecorationExtension):
            registered = self._decoration(record.unit_id, record.permit_number)
            if record.on < registered.on:
                raise InvalidArchiveRecord(
                    f"record {record.record_id} is dated {record.on.isoformat()}, before "
                    f"decoration {record.permit_number} was registered on "
                    f"{registered.on.isoformat()}.",
                    field="on",
                    value=record.on,
                    allowed=f"{registered.on.isoformat()} or later",
                    record_id=record.record_id,
                )
        if isinstance(record, DecorationExtension):
            current = self.decoration_until(record.unit_id, record.permit_number)
            if record.until <= current:
                raise InvalidArchiveRecord(
                    f"extension {record.record_id} to {record.until.isoformat()} does not extend "
                    f"decoration {record.permit_number}, which already runs until "
                    f"{current.isoformat()}.",
                    field="until",
                    value=record.until,
                    allowed=f"a date after {current.isoformat()}",
                    record_id=record.record_id,
                )

    def _decoration(self, unit_id: str, permit_number: str) -> DecorationRecord:
        check_record_id(unit_id, "unit id", InvalidArchiveRecord)
        check_text(permit_number, "permit_number", InvalidArchiveRecord)
        for r in self.unit_records:
            if (
                isinstance(r, DecorationRecord)
                and r.unit_id == unit_id
                and r.permit.number == permit_number
            ):
                return r
        raise InvalidArchiveRecord(
            f"unit {unit_id} has no decoration registered under permit {permit_number}; "
            "register the decoration (DecorationRecord) first.",
            field="permit_number",
            value=permit_number,
            allowed="a permit registered for the unit",
            unit_id=unit_id,
        )

    def unit_file(self, unit_id: str, until: datetime.date | None = None) -> tuple[UnitRecord, ...]:
        """The records of a unit in date order (stable for one day), up to ``until`` (inclusive)."""
        check_record_id(unit_id, "unit id", InvalidArchiveRecord)
        last = None if until is None else as_date(until, "until")
        found = [
            r for r in self.unit_records if r.unit_id == unit_id and (last is None or r.on <= last)
        ]
        return tuple(sorted(found, key=_record_day))

    def person_file(
        self, party_id: str, until: datetime.date | None = None
    ) -> tuple[PersonRecord, ...]:
        """The records of a person in date order, up to ``until`` (inclusive)."""
        check_record_id(party_id, "party id", InvalidArchiveRecord)
        last = None if until is None else as_date(until, "until")
        found = [
            r
            for r in self.person_records
            if r.party_id == party_id and (last is None or r.on <= last)
        ]
        return tuple(sorted(found, key=_record_day))

    def decoration_until(self, unit_id: str, permit_number: str) -> pendulum.Date:
        """The end (exclusive) of a decoration after its extensions."""
        end = self._decoration(unit_id, permit_number).planned_until
        for r in self.unit_records:
            if (
                isinstance(r, DecorationExtension)
                and r.unit_id == unit_id
                and r.permit_number == permit_number
            ):
                end = max(end, r.until)
        return end

    def open_violations(self, unit_id: str, on: datetime.date) -> tuple[DecorationViolation, ...]:
        """Violations found by ``on`` and not rectified by then."""
        day = as_date(on, "on")
        return tuple(
            r
            for r in self.unit_file(unit_id, day)
            if isinstance(r, DecorationViolation)
            and (r.rectified_on is None or r.rectified_on > day)
        )

    def warranties(self, unit_id: str, on: datetime.date) -> tuple[WarrantyRecord, ...]:
        """Warranty items of a unit in force on ``on``."""
        day = as_date(on, "on")
        return tuple(
            r
            for r in self.unit_file(unit_id, day)
            if isinstance(r, WarrantyRecord) and r.on <= day < r.until
        )

    def reassigned(self, from_party: str, to_party: str) -> tuple[OwnerArchive, tuple[str, ...]]:
        """The archive with ``from_party``'s person records moved to ``to_party`` (a merge).

        Returns the new archive and the ids of the moved records; nothing is removed.
        """
        check_record_id(from_party, "party id", InvalidArchiveRecord, field="from_party")
        check_record_id(to_party, "party id", InvalidArchiveRecord, field="to_party")
        moved = tuple(r.record_id for r in self.person_records if r.party_id == from_party)
        records = tuple(
            attrs.evolve(r, party_id=to_party) if r.party_id == from_party else r
            for r in self.person_records
        )
        return attrs.evolve(self, person_records=records), moved

    def personal_records(self, party_ids: Collection[str]) -> tuple[PersonRecord, ...]:
        """The person records of these parties: each party's file in turn (a PIPL export).

        With :meth:`without_personal_data`, what makes an archive a
        :class:`~propcrm.parties.PersonalDataHolder` for ``export_person``.
        """
        ids = _party_ids(party_ids)
        return tuple(r for party_id in sorted(ids) for r in self.person_file(party_id))

    def without_personal_data(
        self, party_ids: Collection[str]
    ) -> tuple[OwnerArchive, tuple[str, ...]]:
        """The archive with these parties' free text redacted, and the records' ids (an erasure)."""
        archive: OwnerArchive = self
        changed: tuple[str, ...] = ()
        for party_id in _party_ids(party_ids):
            archive, more = archive.redacted(party_id)
            changed += more
        return archive, changed

    def redacted(self, party_id: str) -> tuple[OwnerArchive, tuple[str, ...]]:
        """The archive with the free text of ``party_id``'s records redacted (an erasure).

        Dates, kinds, references and amounts stay: they are the service and financial history.
        Returns the new archive and the ids of the records whose text was redacted.
        """
        check_record_id(party_id, "party id", InvalidArchiveRecord)
        changed: list[str] = []
        records: list[PersonRecord] = []
        for r in self.person_records:
            new = r.redacted() if r.party_id == party_id else r
            if new != r:
                changed.append(r.record_id)
            records.append(new)
        return attrs.evolve(self, person_records=tuple(records)), tuple(changed)
