"""Units, parties, relations and meter readings from a spreadsheet, every row checked.

An :class:`ImportFormat` says which record kind the file holds and which header holds each of
its fields (:data:`FIELDS` lists them, required ones first). :func:`read_import` reads the file
(CSV or XLSX, through the same reader as the bank files) and builds each row into the library's
own value (a :class:`~propcrm.parties.Unit`, a :class:`~propcrm.parties.Person` or
:class:`~propcrm.parties.Organisation`, an :class:`~propcrm.parties.Owner`,
:class:`~propcrm.parties.Tenant` or :class:`~propcrm.parties.Resident`, a
:class:`~propcrm.billing.MeterReading`), so a value the library would refuse (a float area, a
bad ID number, an unknown property type) is a bad row with its line and the library's reason,
never a silent value. Nothing is returned as good while any row is bad, unless the caller
asks to skip the bad rows: then they are reported, ready to be written to a file.
"""

from __future__ import annotations

import csv
import datetime
import enum
import io
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, LocaleLike, check_locale, gettext
from propcrm._tables import (
    TableLayout,
    cell_text,
    check_delimiter,
    check_encoding,
    check_line,
    read_table,
)
from propcrm._trusted import slot_constructor
from propcrm._validators import check_instance, check_items, instance_of
from propcrm.billing import MeterReading, PropertyType
from propcrm.errors import InvalidDataFile, PropcrmError
from propcrm.parties import (
    HouseholdRole,
    Organisation,
    OrganisationKind,
    Owner,
    Person,
    Resident,
    Tenant,
    TenantRole,
    Unit,
)
from propcrm.personal_data import CreditCode, IdCardNumber, MobileNumber, PersonName

__all__ = ["FIELDS", "BadRow", "ImportFormat", "ImportResult", "RecordKind", "read_import"]


class RecordKind(enum.Enum):
    """What a file imports."""

    UNITS = "units"
    PARTIES = "parties"
    RELATIONS = "relations"
    READINGS = "readings"


FIELDS: Mapping[RecordKind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    RecordKind.UNITS: (
        ("unit_id", "community", "building", "floor", "number", "property_type", "building_area"),
        ("entrance", "inner_area"),
    ),
    RecordKind.PARTIES: (
        ("party_id", "kind", "name"),
        ("mobile", "id_number", "credit_code"),
    ),
    RecordKind.RELATIONS: (
        ("relation_id", "kind", "party_id", "unit_id", "start"),
        ("until", "share", "lease_id", "role", "pays_fees"),
    ),
    RecordKind.READINGS: (
        ("meter_id", "kind", "previous", "current", "read_on"),
        ("multiplier",),
    ),
}
"""Each kind's fields: those a mapping must name, then those it may.

- units: ``property_type`` is a code (``residential``) or its name in either locale (住宅);
  ``building_area`` and ``inner_area`` are decimals in ㎡; ``floor`` an integer (negative below
  ground).
- parties: ``kind`` is ``person`` (个人) or an organisation kind's code or name (``enterprise``,
  企业, ``merchant`` …); ``mobile`` and ``id_number`` for a person, ``credit_code`` for an
  organisation.
- relations: ``kind`` is ``owner``, ``tenant`` or ``resident`` (业主, 租户, 居民); ``share`` an
  owner's share (``0.5``); ``lease_id`` a tenant's lease (required for a tenant); ``role`` a
  tenant's (``lead``, ``co_tenant``) or a resident's (``head``, ``member``); ``pays_fees``
  yes/no (是/否, true/false, 1/0); ``until`` the last day, if it ended.
- readings: ``previous``, ``current`` and ``multiplier`` decimals; ``read_on`` a date.
"""

_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_INTEGER = re.compile(r"-?[0-9]+")
_YES = {"yes", "true", "1", "是", "y"}
_NO = {"no", "false", "0", "否", "n"}


def _columns(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidDataFile(
            f"columns must map each field to its header, e.g. {{'unit_id': '房号'}}, got "
            f"{type(value).__name__} {value!r}.",
            field="columns",
            value=value,
            allowed="a mapping field → header text",
        )
    columns = {}
    for field, header in value.items():
        if not isinstance(field, str) or not isinstance(header, str) or not header.strip():
            raise InvalidDataFile(
                f"columns maps {field!r} to {header!r}; each field names a header (non-empty "
                "text).",
                field="columns",
                value=field,
                allowed="field → header text",
            )
        columns[field] = header.strip()
    return columns


def _date_formats(value: object) -> tuple[str, ...]:
    formats = check_items(value, "date_formats", str, error=InvalidDataFile)
    if not formats or not all("%" in f for f in formats):
        raise InvalidDataFile(
            f"date_formats {formats!r} must list strptime formats, e.g. ('%Y-%m-%d',).",
            field="date_formats",
            value=formats,
            allowed="one or more strptime formats",
        )
    return formats


def _optional_sheet(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidDataFile(
            f"sheet {value!r} must name a sheet of the workbook.",
            field="sheet",
            value=value,
            allowed="a sheet name, or None for the active sheet",
        )


@attrs.frozen
class ImportFormat:
    """Which record kind a file holds, which header holds each field, how the file is written.

    Attributes:
        kind: units, parties, relations or meter readings.
        columns: field → header text, for every required field of the kind (:data:`FIELDS`)
            and any optional ones the file has.
        date_formats: the strptime formats a date may be written in, tried in order.
        encoding: ``utf-8-sig`` (UTF-8, BOM or not), ``utf-8``, ``gb18030`` or ``gbk``.
        delimiter: the CSV field separator.
        header_line: the line (row) of the header; lines above it are skipped.
        sheet: the XLSX sheet (default: the active one).

    >>> ImportFormat(RecordKind.READINGS, {"meter_id": "表号", "kind": "类型"})
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidDataFile: a readings file needs a header for current, previous, \
read_on; map each to its header in columns.
    """

    kind: RecordKind = attrs.field(validator=instance_of(RecordKind))
    columns: dict[str, str] = attrs.field(converter=_columns)
    date_formats: tuple[str, ...] = attrs.field(
        default=("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d"), converter=_date_formats
    )
    encoding: str = attrs.field(default="utf-8-sig", validator=check_encoding)
    delimiter: str = attrs.field(default=",", validator=check_delimiter)
    header_line: int = attrs.field(default=1, validator=check_line)
    sheet: str | None = attrs.field(default=None, validator=_optional_sheet)

    def __attrs_post_init__(self) -> None:
        required, optional = FIELDS[self.kind]
        missing = sorted(set(required) - set(self.columns))
        if missing:
            raise InvalidDataFile(
                f"a {self.kind.value} file needs a header for {', '.join(missing)}; map each to "
                "its header in columns.",
                field="columns",
                value=missing,
                allowed=", ".join(required),
            )
        unknown = sorted(set(self.columns) - set(required) - set(optional))
        if unknown:
            raise InvalidDataFile(
                f"a {self.kind.value} file has no field {', '.join(unknown)}; its fields are "
                f"{', '.join(required + optional)}.",
                field="columns",
                value=unknown,
                allowed=", ".join(required + optional),
            )


@attrs.frozen
class BadRow:
    """A row that could not be imported: its line, the column at fault (if one is) and why.

    ``reason`` is the library's own message (English, as every error message is).
    """

    line: int
    reason: str
    column: str | None = None
    value: str = ""

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The line, the column and the reason, for people, in ``locale``."""
        name = check_locale(locale)
        if self.column is None:
            return gettext(
                "line %(line)d: %(reason)s", locale=name, line=self.line, reason=self.reason
            )
        return gettext(
            "line %(line)d, column %(column)s: %(reason)s",
            locale=name,
            line=self.line,
            column=self.column,
            reason=self.reason,
        )


@attrs.frozen
class ImportResult:
    """What a file gave: the records, and every bad row with its line.

    Attributes:
        kind: the record kind.
        records: the values built, in the file's order; empty while any row is bad, unless
            the bad rows were skipped.
        bad: every bad row, in the file's order.
        skipped: whether the bad rows were skipped (``skip_bad=True``).
        lines: how many data rows the file has.
    """

    kind: RecordKind
    records: tuple[Any, ...]
    bad: tuple[BadRow, ...]
    skipped: bool
    lines: int

    @property
    def ok(self) -> bool:
        """Whether every row was good."""
        return not self.bad

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The dry run's report: how many rows, and each bad row with its line and reason."""
        name = check_locale(locale)
        head = gettext(
            "%(lines)d rows, %(good)d good, %(bad)d bad",
            locale=name,
            lines=self.lines,
            good=self.lines - len(self.bad),
            bad=len(self.bad),
        )
        rows = [head, *(f"  {b.describe(name)}" for b in self.bad)]
        if self.bad:
            rows.append(
                gettext("the bad rows were skipped", locale=name)
                if self.skipped
                else gettext("nothing is imported while any row is bad", locale=name)
            )
        return "\n".join(rows)

    def bad_rows_csv(self) -> str:
        """The bad rows as CSV (line, column, value, reason), to write to a file."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["line", "column", "value", "reason"])
        for b in self.bad:
            writer.writerow([b.line, b.column or "", b.value, b.reason])
        return out.getvalue()


# -- cells -------------------------------------------------------------------------------------


class _Bad(Exception):
    def __init__(self, row: BadRow) -> None:
        super().__init__(row.reason)
        self.row = row


class _Seen:
    """What one file's rows have parsed already: each distinct text is parsed once.

    A file repeats its values (a start date, a property type, a name, a phone number): the
    values are frozen and equal for equal text, so the first one built is the one every row
    with that text gets, and a text refused once is refused again with the same reason.
    """

    def __init__(self) -> None:
        self.dates: dict[str, pendulum.Date | None] = {}
        self.members: dict[tuple[type[enum.Enum], str], enum.Enum | None] = {}
        self.values: dict[tuple[Callable[[str], Any], str], tuple[Any, str | None]] = {}


class _Row:
    """One row of the file: its line, cells, where each field is, and the file's settings."""

    __slots__ = ("cells", "columns", "date_formats", "line", "seen", "where")

    def __init__(
        self,
        line: int,
        cells: Sequence[object],
        where: dict[str, int],
        columns: dict[str, str],
        date_formats: tuple[str, ...],
        seen: _Seen | None = None,
    ) -> None:
        self.line, self.cells, self.where, self.columns = line, cells, where, columns
        self.date_formats = date_formats
        self.seen = _Seen() if seen is None else seen

    def cell(self, field: str) -> object:
        index = self.where.get(field)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def bad(self, field: str, reason: str, value: object = None) -> _Bad:
        shown = cell_text(self.cell(field) if value is None else value)
        return _Bad(BadRow(self.line, reason, self.columns.get(field), shown))

    def text(self, field: str) -> str | None:
        cell = self.cell(field)
        if isinstance(cell, float):
            raise self.bad(field, f"{cell!r} is a number; this column holds text (an id, a name).")
        return cell_text(cell) or None

    def required(self, field: str) -> str:
        text = self.text(field)
        if text is None:
            raise self.bad(field, "no value; the column is required.")
        return text

    def decimal(self, field: str, *, required: bool = True) -> Decimal | None:
        cell = self.cell(field)
        # A workbook's number cell: its shortest repr is what was typed (89.37 → '89.37').
        text = repr(cell) if isinstance(cell, float) else cell_text(cell)
        if not text:
            if required:
                raise self.bad(field, "no value; the column is required.")
            return None
        if not _DECIMAL.fullmatch(text):
            raise self.bad(field, f"{text!r} is not a decimal number such as 89.37.", text)
        return Decimal(text)

    def integer(self, field: str) -> int:
        cell = self.cell(field)
        text = repr(cell) if isinstance(cell, float) else cell_text(cell)
        if not _INTEGER.fullmatch(text):
            raise self.bad(field, f"{text!r} is not a whole number such as 15 or -1.", text)
        return int(text)

    def date(self, field: str, *, required: bool = True) -> pendulum.Date | None:
        cell = self.cell(field)
        if isinstance(cell, datetime.datetime | datetime.date):
            day = cell.date() if isinstance(cell, datetime.datetime) else cell
            return pendulum.date(day.year, day.month, day.day)
        text = cell_text(cell)
        if not text:
            if required:
                raise self.bad(field, "no value; the column is required.")
            return None
        dates = self.seen.dates
        if text not in dates:
            dates[text] = _parse_date(text, self.date_formats)
        parsed = dates[text]
        if parsed is None:
            formats = ", ".join(self.date_formats)
            raise self.bad(
                field, f"{text!r} is not a date in the file's formats ({formats}).", text
            )
        return parsed

    def flag(self, field: str) -> bool:
        text = (self.text(field) or "no").lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise self.bad(field, f"{text!r} is not yes or no (是/否, true/false, 1/0).", text)

    def member(self, field: str, kind: type[enum.Enum], *, required: bool = True) -> Any:
        text = self.text(field)
        if text is None:
            if required:
                raise self.bad(field, "no value; the column is required.")
            return None
        members = self.seen.members
        if (kind, text) not in members:
            members[kind, text] = _member(kind, text)
        found = members[kind, text]
        if found is None:
            codes = ", ".join(m.value for m in kind)
            raise self.bad(field, f"{text!r} is not one of {codes} (or their names).", text)
        return found


def _parse_date(text: str, formats: tuple[str, ...]) -> pendulum.Date | None:
    for fmt in formats:
        try:
            # Naive on purpose: only the calendar day is read, never an instant.
            parsed = datetime.datetime.strptime(text, fmt)  # noqa: DTZ007
        except ValueError:
            continue
        return pendulum.date(parsed.year, parsed.month, parsed.day)
    return None


def _member(kind: type[enum.Enum], text: str) -> enum.Enum | None:
    for member in kind:
        if text == member.value:
            return member
        label = getattr(member, "label", None)
        if callable(label) and any(text == label(loc) for loc in SUPPORTED_LOCALES):
            return member
    return None


# -- records -----------------------------------------------------------------------------------


def _unit(row: _Row) -> Unit:
    return Unit(
        unit_id=row.required("unit_id"),
        community=row.required("community"),
        building=row.required("building"),
        entrance=row.text("entrance"),
        floor=row.integer("floor"),
        number=row.required("number"),
        property_type=row.member("property_type", PropertyType),
        building_area=row.decimal("building_area"),
        inner_area=row.decimal("inner_area", required=False),
    )


_PERSON = ("person", "个人")
_OWNER = ("owner", "业主")


def _party(row: _Row) -> Person | Organisation:
    kind = row.required("kind")
    if kind in _PERSON:
        mobile, id_number = row.text("mobile"), row.text("id_number")
        return Person(
            party_id=row.required("party_id"),
            name=_field(row, "name", PersonName, row.required("name")),
            mobile=None if mobile is None else _field(row, "mobile", MobileNumber, mobile),
            id_number=(
                None if id_number is None else _field(row, "id_number", IdCardNumber, id_number)
            ),
        )
    organisation = _member(OrganisationKind, kind)
    if organisation is None:
        codes = ", ".join(["person", *(m.value for m in OrganisationKind)])
        raise row.bad("kind", f"{kind!r} is not one of {codes} (or their names).", kind)
    code = row.text("credit_code")
    return Organisation(
        party_id=row.required("party_id"),
        kind=OrganisationKind(organisation.value),
        name=row.required("name"),
        credit_code=None if code is None else _field(row, "credit_code", CreditCode, code),
    )


def _field(row: _Row, field: str, make: Callable[[str], Any], text: str) -> Any:
    values = row.seen.values
    found = values.get((make, text))
    if found is None:
        try:
            found = (make(text), None)
        except PropcrmError as error:
            found = (None, str(error))
        values[make, text] = found
    value, reason = found
    if reason is not None:
        raise row.bad(field, reason, text)
    return value


def _relation(row: _Row) -> Owner | Tenant | Resident:
    kind = row.required("kind")
    relation_id, party_id = row.required("relation_id"), row.required("party_id")
    start, until = row.date("start"), row.date("until", required=False)
    unit = row.required("unit_id")
    if kind in _OWNER:
        share = row.decimal("share", required=False)
        return Owner(
            relation_id=relation_id,
            party_id=party_id,
            start=start,
            until=until,
            unit_id=unit,
            share=Decimal(1) if share is None else share,  # sole ownership unless told
            pays_fees=row.flag("pays_fees"),
        )
    if kind in ("tenant", "租户"):
        return Tenant(
            relation_id=relation_id,
            party_id=party_id,
            start=start,
            until=until,
            unit_id=unit,
            lease_id=row.required("lease_id"),
            role=row.member("role", TenantRole, required=False) or TenantRole.LEAD,
            pays_fees=row.flag("pays_fees"),
        )
    if kind in ("resident", "居民"):
        return Resident(
            relation_id=relation_id,
            party_id=party_id,
            start=start,
            until=until,
            unit_id=unit,
            role=row.member("role", HouseholdRole, required=False) or HouseholdRole.MEMBER,
        )
    raise row.bad("kind", f"{kind!r} is not owner, tenant or resident (业主, 租户, 居民).", kind)


def _reading(row: _Row) -> MeterReading:
    multiplier = row.decimal("multiplier", required=False)
    return MeterReading(
        row.required("meter_id"),
        row.required("kind"),
        row.decimal("previous"),
        row.decimal("current"),
        read_on=row.date("read_on"),
        multiplier=Decimal(1) if multiplier is None else multiplier,
    )


# -- the plainest rows on a trusted path ---------------------------------------------------------
#
# A file of 100,000 units spent most of its import building each row through _Row's cells and
# the values' validators. A row whose cells are text of the plainest shapes (ids of printable
# ASCII, decimals of plain digits, a person with a name and nothing else, an owner) is built
# here through propcrm._trusted: each check below accepts only text the reference path
# (_unit, _party, _relation with the values' own validators) accepts, and gives the value it
# gives; any other row, and any row whose cells are not text (a workbook's numbers and
# dates), goes through the reference path, which builds it or names what is wrong.
# tests/test_imports_fast.py checks that both paths give the same records and bad rows.

# Printable ASCII without a space: never whitespace, so check_record_id's rule holds.
_ID = re.compile(r"[!-~]{1,64}")
# Non-negative, at most 20 digits either side: area_value and to_share take it as it reads.
_PLAIN_DECIMAL = re.compile(r"[0-9]{1,20}(\.[0-9]{1,20})?")

_Plan = Callable[[Sequence[Any]], Any]
_make_unit: Callable[..., Unit] = slot_constructor(Unit, post_init=True)
_make_person: Callable[..., Person] = slot_constructor(Person, post_init=True)
_make_owner: Callable[..., Owner] = slot_constructor(Owner, post_init=True)
_FULL_SHARE = Decimal(1)


def _plain_date(text: str, seen: _Seen, formats: tuple[str, ...]) -> pendulum.Date | None:
    dates = seen.dates
    if text not in dates:
        dates[text] = _parse_date(text, formats)
    return dates[text]


def _unit_plan(where: Mapping[str, int], seen: _Seen, _formats: tuple[str, ...]) -> _Plan:
    at = operator.itemgetter(
        where["unit_id"],
        where["community"],
        where["building"],
        where["floor"],
        where["number"],
        where["property_type"],
        where["building_area"],
    )
    entrance, inner = where.get("entrance"), where.get("inner_area")
    members = seen.members

    def plan(cells: Sequence[Any]) -> Unit | None:
        unit_id, community, building, floor, number, kind, area = at(cells)
        building, number, floor, kind = (
            building.strip(),
            number.strip(),
            floor.strip(),
            kind.strip(),
        )
        area = area.strip()
        if not (
            _ID.fullmatch(unit_id)
            and _ID.fullmatch(community)
            and building
            and number
            and _INTEGER.fullmatch(floor)
            and _PLAIN_DECIMAL.fullmatch(area)
        ):
            return None
        storey = int(floor)
        if kind and (PropertyType, kind) not in members:
            members[PropertyType, kind] = _member(PropertyType, kind)
        property_type = members.get((PropertyType, kind))
        if not storey or property_type is None:
            return None
        door = None if entrance is None else cells[entrance].strip() or None
        inside: Decimal | None = None
        if inner is not None and (text := cells[inner].strip()):
            if not _PLAIN_DECIMAL.fullmatch(text):
                return None
            inside = Decimal(text)
        return _make_unit(
            unit_id,
            community,
            building,
            door,
            storey,
            number,
            property_type,
            Decimal(area),
            inside,
            (),
        )

    return plan


def _person_plan(where: Mapping[str, int], seen: _Seen, _formats: tuple[str, ...]) -> _Plan:
    at = operator.itemgetter(where["party_id"], where["kind"], where["name"])
    others = [where[f] for f in ("mobile", "id_number", "credit_code") if f in where]
    values = seen.values

    def plan(cells: Sequence[Any]) -> Person | None:
        party_id, kind, name = at(cells)
        if kind.strip() not in _PERSON or not _ID.fullmatch(party_id):
            return None
        # A mobile or an ID number is built by its own type, and a credit code (which the
        # reference path reads for an organisation only) is left to it too: the reference path.
        for i in others:
            if cells[i].strip():
                return None
        text = name.strip()
        found = values.get((PersonName, text))
        if found is None:
            # As _field builds it: once per text, its refusal kept for the reference path.
            try:
                found = (PersonName(text), None)
            except PropcrmError as error:
                found = (None, str(error))
            values[PersonName, text] = found
        if found[1] is not None or not text:
            return None
        return _make_person(party_id, found[0], None, None, (), None, None, None, None)

    return plan


def _owner_plan(where: Mapping[str, int], seen: _Seen, formats: tuple[str, ...]) -> _Plan:
    at = operator.itemgetter(
        where["relation_id"], where["kind"], where["party_id"], where["unit_id"], where["start"]
    )
    until, share, flag = where.get("until"), where.get("share"), where.get("pays_fees")
    # A lease or a role is not an owner's: a row that gives one goes the reference way.
    others = [where[f] for f in ("lease_id", "role") if f in where]

    def plan(cells: Sequence[Any]) -> Owner | None:
        relation_id, kind, party_id, unit_id, start = at(cells)
        if (
            kind.strip() not in _OWNER
            or not _ID.fullmatch(relation_id)
            or not _ID.fullmatch(party_id)
            or not _ID.fullmatch(unit_id)
        ):
            return None
        for i in others:
            if cells[i].strip():
                return None
        first = _plain_date(start.strip(), seen, formats) if start.strip() else None
        if first is None:
            return None
        end = None
        if until is not None and (text := cells[until].strip()):
            end = _plain_date(text, seen, formats)
            if end is None or end <= first:
                return None
        part = _FULL_SHARE
        if share is not None and (text := cells[share].strip()):
            if not _PLAIN_DECIMAL.fullmatch(text):
                return None
            part = Decimal(text)
            if not 0 < part <= _FULL_SHARE:
                return None
        pays = False
        if flag is not None:
            answer = (cells[flag].strip() or "no").lower()
            if answer in _YES:
                pays = True
            elif answer not in _NO:
                return None
        return _make_owner(relation_id, party_id, first, end, None, unit_id, part, pays)

    return plan


_PLANS: Mapping[RecordKind, Callable[[Mapping[str, int], _Seen, tuple[str, ...]], _Plan]] = {
    RecordKind.UNITS: _unit_plan,
    RecordKind.PARTIES: _person_plan,
    RecordKind.RELATIONS: _owner_plan,
}


# A cell that is not text (a workbook's number, date or blank), a short row, or a rule of the
# value's own (an inner area above the building area).
_NOT_PLAIN = (AttributeError, TypeError, IndexError, PropcrmError)


_BUILD: Mapping[RecordKind, tuple[Callable[[_Row], Any], Callable[[Any], str] | None]] = {
    # Each record's id, which its validator checked is text.
    RecordKind.UNITS: (_unit, operator.attrgetter("unit_id")),
    RecordKind.PARTIES: (_party, operator.attrgetter("party_id")),
    RecordKind.RELATIONS: (_relation, operator.attrgetter("relation_id")),
    RecordKind.READINGS: (_reading, None),
}
_ID_FIELD = {
    RecordKind.UNITS: "unit_id",
    RecordKind.PARTIES: "party_id",
    RecordKind.RELATIONS: "relation_id",
}


def _field_of(named: str | None, columns: Mapping[str, str]) -> str | None:
    """The mapped field an error names: itself, or the one it is short for (area: building_area)."""
    if named is None or named in columns:
        return named
    matches = [f for f in columns if f.endswith(f"_{named}")]
    return matches[0] if len(matches) == 1 else None


def read_import(
    source: object, file_format: ImportFormat, *, skip_bad: bool = False
) -> ImportResult:
    """Every row of the file built into the library's values, or listed as bad with its reason.

    A dry run is a call whose result is only read: ``result.describe(locale)`` lists every bad
    row. While any row is bad, ``records`` is empty; with ``skip_bad=True`` it holds the good
    rows and ``bad_rows_csv()`` gives the skipped ones for a file. An id (unit, party,
    relation) given twice is bad on its second line.

    Raises:
        InvalidDataFile: the file cannot be read at all (unreadable, not in its encoding, no
            header with the mapped columns).
        MissingExtra: an XLSX file without openpyxl (``propcrm[xlsx]``).
    """
    check_instance(file_format, "file_format", ImportFormat, example="ImportFormat(...)")
    if not isinstance(skip_bad, bool):
        raise InvalidDataFile(
            f"skip_bad must be True or False, got {skip_bad!r}.",
            field="skip_bad",
            value=skip_bad,
            allowed="a bool",
        )
    return _read(source, file_format, skip_bad=skip_bad, trusted=True)


def _read(
    source: object, file_format: ImportFormat, *, skip_bad: bool, trusted: bool
) -> ImportResult:
    """:func:`read_import`, its plainest rows on the trusted path unless ``trusted`` is off."""
    layout = TableLayout(
        file_format.encoding, file_format.delimiter, file_format.header_line, file_format.sheet
    )
    build, key = _BUILD[file_format.kind]
    records: list[Any] = []
    bad: list[BadRow] = []
    seen: dict[str, int] = {}
    lines = 0
    parsed = _Seen()
    make_plan = _PLANS.get(file_format.kind) if trusted else None
    plan: _Plan | None = None
    for line, cells, where in read_table(source, layout, file_format.columns):
        lines += 1
        if plan is None and make_plan is not None:
            plan = make_plan(where, parsed, file_format.date_formats)
        record = None
        if plan is not None:
            try:
                record = plan(cells)
            except _NOT_PLAIN:
                record = None  # the reference path below names what is wrong, if anything
        if record is None:
            row = _Row(line, cells, where, file_format.columns, file_format.date_formats, parsed)
            try:
                record = build(row)
            except _Bad as refused:
                bad.append(refused.row)
                continue
            except PropcrmError as error:
                field = _field_of(error.field, file_format.columns)
                column = None if field is None else file_format.columns[field]
                shown = "" if field is None else cell_text(row.cell(field))
                bad.append(BadRow(line, str(error), column, shown))
                continue
        if key is not None:
            ident = key(record)
            if ident in seen:
                field = _ID_FIELD[file_format.kind]
                bad.append(
                    BadRow(
                        line,
                        f"{ident} is already on line {seen[ident]}; each id once.",
                        file_format.columns[field],
                        ident,
                    )
                )
                continue
            seen[ident] = line
        records.append(record)
    keep = tuple(records) if skip_bad or not bad else ()
    return ImportResult(file_format.kind, keep, tuple(bad), skip_bad and bool(bad), lines)
