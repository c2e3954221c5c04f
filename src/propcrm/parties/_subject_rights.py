"""A person's rights over their data (PIPL): an export of everything held, and an erasure.

:func:`export_person` gathers everything held on a person — the party record (and the records
merged into it), every relation and journal entry, the owner-archive records, gate
registrations and consent events — into a :class:`PersonalDataExport`. The owner archive and the
gate register live in packages above this one; each is a :class:`PersonalDataHolder`, the small
protocol declared here, so this package never imports them. Its
:meth:`~PersonalDataExport.as_dict` is masked like every other view of a party; the clear values
come out only with a stated purpose (answering the person's own request, PIPL art. 45), and each
reveal can be audited.

:func:`erase_person` removes or de-identifies the personal data (PIPL art. 47): name, mobile, ID
number, plates, gender, birth date, the free text of the person's archive records and their gate
registrations. It keeps what the financial records need: the party id, every relation (the
billing history is built on them), dates, amounts and references. The erasure is recorded in
the book's journal.

>>> import pendulum
>>> from propcrm.personal_data import MobileNumber, PersonName
>>> from propcrm.parties import PartyBook, Person
>>> book = PartyBook(
...     parties=[
...         Person(party_id="P1", name=PersonName("张三丰"), mobile=MobileNumber("13812345678"))
...     ]
... )
>>> at = pendulum.datetime(2026, 11, 24, 9, tz="Asia/Shanghai")
>>> export = export_person(book, "P1", at=at)
>>> export.as_dict()["person"]["mobile"]
'138****5678'
>>> export.as_dict(purpose="PIPL art. 45 request #17")["person"]["mobile"]
'13812345678'
>>> result = erase_person(book, "P1", at=at, reference="PIPL art. 47 request #18")
>>> print(result.book.party("P1"))
[已删除] (P1)
>>> result.record.erased_fields
('name', 'mobile')
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import Any, Protocol, Self, cast, runtime_checkable

import attrs
import pendulum
from attrs import AttrsInstance

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, ngettext, pgettext
from propcrm._validators import check_items
from propcrm.errors import AlreadyErased, InvalidParty, InvalidType, MissingRevealPurpose
from propcrm.parties._book import PartyBook
from propcrm.parties._book_changes import derived_book
from propcrm.parties._journal import BookOperation, JournalEntry
from propcrm.parties._parties import PERSONAL_FIELDS, ErasureMark, Person, field_label
from propcrm.parties._relations import Relation, Resident
from propcrm.personal_data import (
    DEFAULT_MASKING,
    ConsentEvent,
    ConsentLedger,
    MaskingPolicy,
    PersonalIdentifier,
    RevealAudit,
)
from propcrm.time import aware

__all__ = [
    "ErasureRecord",
    "ErasureResult",
    "PersonalDataExport",
    "PersonalDataHolder",
    "erase_person",
    "export_person",
]


@runtime_checkable
class PersonalDataHolder(Protocol):
    """**Protocol**: records kept outside the party book that hold people's personal data.

    What :func:`export_person` and :func:`erase_person` need of them: the records held on some
    parties, and a copy with those parties' personal data erased. ``propcrm.archive.OwnerArchive``
    and ``propcrm.visitors.VisitorLog`` are holders; so can be a host system's own records.
    """

    def personal_records(self, party_ids: Collection[str]) -> tuple[AttrsInstance, ...]:
        """Every record held on any of ``party_ids`` (attrs values, shown in an export)."""
        ...

    def without_personal_data(self, party_ids: Collection[str]) -> tuple[Self, tuple[str, ...]]:
        """A copy with the personal data of ``party_ids`` erased, and the changed records' ids."""
        ...


_MASKED_DATE = "****-**-**"


def _same_person(book: PartyBook, party_id: str) -> tuple[Person, tuple[Person, ...]]:
    """The person ``party_id`` stands for now, and every person record merged into it."""
    if not isinstance(book, PartyBook):
        raise InvalidType(
            f"book must be a PartyBook, got {type(book).__name__} {book!r}.",
            field="book",
            value=book,
            allowed="PartyBook",
        )
    survivor = book.resolve(party_id)
    if not isinstance(survivor, Person):
        raise InvalidParty(
            f"party {party_id} is an organisation; personal-data rights are a person's.",
            field="party_id",
            value=party_id,
            allowed="the id of a person",
        )
    merged: list[Person] = []
    frontier = [survivor.party_id]
    while frontier:
        target = frontier.pop()
        for party in book.parties:
            if party.merged_into == target and isinstance(party, Person):
                merged.append(party)
                frontier.append(party.party_id)
    return survivor, tuple(sorted(merged, key=lambda p: p.party_id))


def _holder(value: object, field: str) -> None:
    if value is not None and not isinstance(value, PersonalDataHolder):
        raise InvalidType(
            f"{field} must hold personal data (an OwnerArchive, a VisitorLog or another "
            f"PersonalDataHolder), got {type(value).__name__} {value!r}.",
            field=field,
            value=value,
            allowed="a PersonalDataHolder, or None",
        )


def _ledgers(consents: Iterable[ConsentLedger] | None, ids: set[str]) -> tuple[ConsentEvent, ...]:
    if consents is None:
        return ()
    ledgers: tuple[ConsentLedger, ...] = check_items(consents, "consents", ConsentLedger)
    events = [e for ledger in ledgers if ledger.party_id in ids for e in ledger.events]
    return tuple(sorted(events, key=lambda e: e.at))


@attrs.frozen
class PersonalDataExport:
    """Everything held on one person, as values; shown masked unless a purpose is stated."""

    party_id: str
    produced_at: pendulum.DateTime
    person: Person
    merged_records: tuple[Person, ...]
    relations: tuple[Relation, ...]
    journal: tuple[JournalEntry, ...]
    archive_records: tuple[AttrsInstance, ...]
    visits: tuple[AttrsInstance, ...]
    consents: tuple[ConsentEvent, ...]

    def as_dict(
        self,
        purpose: str | None = None,
        *,
        audit: RevealAudit | None = None,
        policy: MaskingPolicy = DEFAULT_MASKING,
    ) -> dict[str, Any]:
        """Plain data (str, int, bool, None, lists and dicts), ready for JSON.

        Masked under ``policy`` by default; with a ``purpose`` every identifier is revealed for
        it (and reported to ``audit``), birth dates are shown, and free text is not scrubbed.
        """
        if purpose is not None and (not isinstance(purpose, str) or not purpose.strip()):
            raise MissingRevealPurpose(
                f"purpose must be None (masked) or the stated purpose of the export, got "
                f"{type(purpose).__name__} {purpose!r}.",
                field="purpose",
                value=purpose,
                allowed="None, or non-empty text such as 'PIPL art. 45 request #17'",
            )
        if audit is not None and not callable(audit):
            raise InvalidType(
                f"audit must be a callback taking a RevealEvent, got {type(audit).__name__}.",
                field="audit",
                value=audit,
                allowed="a callable (e.g. a RevealLog), or None",
            )
        if not isinstance(policy, MaskingPolicy):
            raise InvalidType(
                f"policy must be a MaskingPolicy, got {type(policy).__name__} {policy!r}.",
                field="policy",
                value=policy,
                allowed="MaskingPolicy",
            )
        plain = _Plain(purpose, audit, policy)
        return {
            "party_id": self.party_id,
            "produced_at": self.produced_at.isoformat(),
            "person": plain.record(self.person),
            "merged_records": [plain.record(p) for p in self.merged_records],
            "relations": [plain.record(r) for r in self.relations],
            "journal": [plain.record(e) for e in self.journal],
            "archive_records": [plain.record(r) for r in self.archive_records],
            "visits": [plain.record(v) for v in self.visits],
            "consents": [plain.record(c) for c in self.consents],
        }


@attrs.frozen
class _Plain:
    """Turns records into plain data, masking or revealing as asked."""

    purpose: str | None
    audit: RevealAudit | None
    policy: MaskingPolicy

    def record(self, value: AttrsInstance) -> dict[str, Any]:
        result: dict[str, Any] = {"type": type(value).__name__}
        for field in attrs.fields(type(value)):
            result[field.name] = self.value(getattr(value, field.name), field.name)
        kind = getattr(value, "kind", None)
        if isinstance(kind, enum.Enum) and "kind" not in result:
            result["kind"] = kind.value
        return result

    def value(self, value: object, name: str) -> Any:
        if value is None or isinstance(value, bool | int):
            return value
        if isinstance(value, PersonalIdentifier):
            if self.purpose is None:
                return value.masked_with(self.policy)
            return value.reveal(self.purpose, audit=self.audit)
        if isinstance(value, str):
            return value if self.purpose is not None else self.policy.scrub(value)
        if isinstance(value, datetime.datetime):
            return aware(value).isoformat()
        if isinstance(value, datetime.date):
            if name == "birth_date" and self.purpose is None:
                return _MASKED_DATE
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, enum.Enum):
            return value.value
        if isinstance(value, tuple | list | frozenset | set):
            items = [self.value(v, name) for v in value]
            return sorted(items, key=str) if isinstance(value, frozenset | set) else items
        if attrs.has(type(value)):
            return self.record(cast("AttrsInstance", value))
        return str(value)


def export_person(
    book: PartyBook,
    party_id: str,
    *,
    at: datetime.datetime,
    archive: PersonalDataHolder | None = None,
    visitors: PersonalDataHolder | None = None,
    consents: Iterable[ConsentLedger] | None = None,
) -> PersonalDataExport:
    """Everything held on the person ``party_id`` stands for, at the instant ``at``.

    A party merged into another stands for the survivor: the export covers the survivor and
    every record merged into it. ``archive`` is the owner archive (``propcrm.archive``),
    ``visitors`` the gate register (``propcrm.visitors``): any :class:`PersonalDataHolder`.
    """
    person, merged = _same_person(book, party_id)
    instant = aware(at, field="at")
    _holder(archive, "archive")
    _holder(visitors, "visitors")
    ids = {person.party_id, *(p.party_id for p in merged)}
    relations = tuple(r for pid in sorted(ids) for r in book.relations_of(pid))
    journal = tuple(e for e in book.journal if ids & set(e.parties))
    records = archive.personal_records(ids) if archive is not None else ()
    visits = visitors.personal_records(ids) if visitors is not None else ()
    return PersonalDataExport(
        person.party_id,
        instant,
        person,
        merged,
        relations,
        journal,
        records,
        visits,
        _ledgers(consents, ids),
    )


@attrs.frozen
class ErasureRecord:
    """An erasure as applied: whose data, when, why, what was removed and what was kept."""

    party_ids: tuple[str, ...]
    at: pendulum.DateTime
    reference: str
    erased_fields: tuple[str, ...]
    kept_relations: tuple[str, ...]
    redacted_relations: tuple[str, ...]
    redacted_archive_records: tuple[str, ...]
    redacted_visits: tuple[str, ...]

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for audit lists: what was erased, of whom, and how many relations were kept."""
        separator = pgettext("list separator", ", ", locale=locale)
        values = {
            "at": self.at.isoformat(),
            "parties": separator.join(self.party_ids),
            "reference": self.reference,
        }
        kept = len(self.kept_relations)
        if not self.erased_fields:
            return ngettext(
                "%(at)s: erased nothing of %(parties)s (%(reference)s); kept %(num)d relation "
                "for the financial records",
                "%(at)s: erased nothing of %(parties)s (%(reference)s); kept %(num)d relations "
                "for the financial records",
                kept,
                locale=locale,
                **values,
            )
        fields = separator.join(field_label(name, locale) for name in self.erased_fields)
        return ngettext(
            "%(at)s: erased %(fields)s of %(parties)s (%(reference)s); kept %(num)d relation "
            "for the financial records",
            "%(at)s: erased %(fields)s of %(parties)s (%(reference)s); kept %(num)d relations "
            "for the financial records",
            kept,
            locale=locale,
            fields=fields,
            **values,
        )


@attrs.frozen
class ErasureResult:
    """The book, archive and visitor log after an erasure, and its record."""

    book: PartyBook
    archive: PersonalDataHolder | None
    visitors: PersonalDataHolder | None
    record: ErasureRecord


def erase_person(
    book: PartyBook,
    party_id: str,
    *,
    at: datetime.datetime,
    reference: str,
    archive: PersonalDataHolder | None = None,
    visitors: PersonalDataHolder | None = None,
) -> ErasureResult:
    """Remove or de-identify the personal data of the person ``party_id`` stands for.

    Covers the person and every record merged into it. Kept: party ids, relations with their
    dates and shares (billing history), amounts, references and consent events (the proof of
    what the person agreed to). Removed: the personal fields of the party records, the
    relationship text of their residences, the free text of their archive records and their
    gate registrations' personal data. Refused (:class:`~propcrm.errors.AlreadyErased`) when
    the person's data was erased already.
    """
    if not isinstance(reference, str) or not reference.strip():
        raise InvalidParty(
            "an erasure needs a reference (the request it answers).",
            field="reference",
            value=reference,
            allowed="non-empty text",
        )
    person, merged = _same_person(book, party_id)
    instant = aware(at, field="at")
    _holder(archive, "archive")
    _holder(visitors, "visitors")
    if person.erased is not None:
        raise AlreadyErased(
            f"the personal data of {person.party_id} was erased at "
            f"{person.erased.at.isoformat()} ({person.erased.reference}).",
            party_id=person.party_id,
            erased_at=person.erased.at,
        )
    mark = ErasureMark(instant, reference)
    people = (person, *merged)
    erased_fields = tuple(
        name for name in PERSONAL_FIELDS if any(name in p.personal_fields() for p in people)
    )
    blank: dict[str, Any] = dict.fromkeys(PERSONAL_FIELDS)
    blank["plates"] = ()
    parties = {p.party_id: attrs.evolve(p, **blank, erased=mark) for p in people}
    ids = tuple(p.party_id for p in people)
    kept = tuple(r.relation_id for pid in ids for r in book.relations_of(pid))
    redacted = [
        attrs.evolve(r, relationship="")
        for pid in ids
        for r in book.relations_of(pid)
        if isinstance(r, Resident) and r.relationship
    ]
    archive_ids: tuple[str, ...] = ()
    if archive is not None:
        archive, archive_ids = archive.without_personal_data(ids)
    visit_ids: tuple[str, ...] = ()
    if visitors is not None:
        visitors, visit_ids = visitors.without_personal_data(ids)
    record = ErasureRecord(
        ids,
        instant,
        reference,
        erased_fields,
        kept,
        tuple(r.relation_id for r in redacted),
        archive_ids,
        visit_ids,
    )
    entry = JournalEntry(
        BookOperation.ERASURE, None, parties=ids, reference=reference, detail=record
    )
    new_book = derived_book(book, entry, parties=parties, relations=redacted)
    return ErasureResult(new_book, archive, visitors, record)
