"""Parties (客户): persons and organisations, each with a stable party id (domain brief §1).

A :class:`Person` holds personal data only in the validated, masked types of
:mod:`propcrm.personal_data`, so ``repr``, ``str`` and logs show ``张*丰`` and
``138****5678``, never the clear values; the clear value comes out only through ``reveal`` with a
stated purpose. An :class:`Organisation` is one of the kinds the brief names: an enterprise, a
government agency, an owners' committee (业主委员会), a residents' committee (居委会), the property
company, or a merchant's business.

>>> from propcrm.personal_data import MobileNumber, PersonName
>>> owner = Person(party_id="P0001", name=PersonName("张三丰"), mobile=MobileNumber("13812345678"))
>>> owner
Person(party_id='P0001', name=PersonName('张*丰'), mobile=MobileNumber('138****5678'), \
id_number=None, plates=(), gender=None, birth_date=None, merged_into=None, erased=None)
>>> print(owner)
张*丰 (P0001)
>>> committee = Organisation(
...     party_id="ORG-YWH", kind=OrganisationKind.OWNERS_COMMITTEE, name="阳光花园业主委员会"
... )
>>> print(committee), committee.kind.label(), committee.kind.label("en_US")
阳光花园业主委员会 (ORG-YWH)
(None, '业主委员会', "owners' committee")
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Mapping

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._validators import check_record_id, check_text, instance_of
from propcrm.errors import InvalidParty
from propcrm.personal_data import (
    CreditCode,
    IdCardNumber,
    MobileNumber,
    PersonName,
    VehiclePlate,
)
from propcrm.time import (
    as_date,
    aware,
)

_optional = attrs.validators.optional

__all__ = [
    "PERSONAL_FIELDS",
    "ErasureMark",
    "Gender",
    "Organisation",
    "OrganisationKind",
    "Party",
    "Person",
]


def _party_id(_instance: object, _attribute: object, value: str) -> None:
    check_record_id(value, "party id")


def _optional_party_id(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None:
        check_record_id(value, "merged-into party id", field="merged_into")


_PLATES_ALLOWED = "a sequence of VehiclePlate values, each once"


def _plates(values: Iterable[VehiclePlate]) -> tuple[VehiclePlate, ...]:
    # Text, bytes and mappings iterate too, but none of them is a list of plates.
    if isinstance(values, str | bytes | Mapping | VehiclePlate) or not isinstance(values, Iterable):
        raise InvalidParty(
            "plates must be a sequence of VehiclePlate values, not a single one "
            f"({type(values).__name__}).",
            field="plates",
            value=values,
            allowed=_PLATES_ALLOWED,
        )
    plates = tuple(values)
    for plate in plates:
        if not isinstance(plate, VehiclePlate):
            raise InvalidParty(
                f"a plate must be a VehiclePlate, not {type(plate).__name__}; validate it with "
                "VehiclePlate(text) first.",
                field="plates",
                value=plate,
                allowed=_PLATES_ALLOWED,
            )
    if len(set(plates)) != len(plates):
        twice = next(p for p in plates if plates.count(p) > 1)
        raise InvalidParty(
            "the same plate is listed twice; list each plate once.",
            field="plates",
            value=twice,
            allowed=_PLATES_ALLOWED,
        )
    return plates


def _optional_birth_date(value: object) -> pendulum.Date | None:
    return None if value is None else as_date(value, "birth_date")


def _masked_date(value: object) -> str:
    # A birth date is personal data: repr shows that one is held, not what it is.
    return "None" if value is None else "'****-**-**'"


class Gender(enum.Enum):
    """A person's gender, where the person has given it (segmentation, domain brief §5)."""

    FEMALE = "female"
    MALE = "male"


class OrganisationKind(enum.Enum):
    """The organisations of a community (domain brief §1); ``label(locale)`` names the kind."""

    ENTERPRISE = "enterprise"
    GOVERNMENT_AGENCY = "government_agency"
    OWNERS_COMMITTEE = "owners_committee"
    RESIDENTS_COMMITTEE = "residents_committee"
    PROPERTY_COMPANY = "property_company"
    MERCHANT = "merchant"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The kind's name, e.g. ``'业主委员会'`` (zh_CN) or ``"owners' committee"`` (en_US)."""
        # One literal per member, so that extraction finds every message.
        match self:
            case OrganisationKind.ENTERPRISE:
                return pgettext("organisation kind", "enterprise", locale=locale)
            case OrganisationKind.GOVERNMENT_AGENCY:
                return pgettext("organisation kind", "government agency", locale=locale)
            case OrganisationKind.OWNERS_COMMITTEE:
                return pgettext("organisation kind", "owners' committee", locale=locale)
            case OrganisationKind.RESIDENTS_COMMITTEE:
                return pgettext("organisation kind", "residents' committee", locale=locale)
            case OrganisationKind.PROPERTY_COMPANY:
                return pgettext("organisation kind", "property company", locale=locale)
            case OrganisationKind.MERCHANT:
                return pgettext("organisation kind", "merchant", locale=locale)


def _aware_instant(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="at")


def _reference(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    check_text(value, attribute.name, InvalidParty, example="'PIPL art. 47 request #18'")


@attrs.frozen
class ErasureMark:
    """Marks a person whose personal data was erased: when, and the request it answered."""

    at: pendulum.DateTime = attrs.field(converter=_aware_instant)
    reference: str = attrs.field(validator=_reference)


@attrs.frozen(kw_only=True)
class Person:
    """A natural person: an owner, tenant, resident, visitor or contact.

    Attributes:
        party_id: stable id (no spaces), kept for life, also after a merge or an erasure.
        name: the person's name; ``None`` only after the personal data was erased.
        mobile, id_number, plates: contact and identity data, in the masked identifier types.
        gender, birth_date: internal attributes used by segmentation, when given.
        merged_into: the party this one was merged into (its record is kept, never deleted).
        erased: set when the personal data was erased; every personal field is empty then.
    """

    party_id: str = attrs.field(validator=_party_id)
    name: PersonName | None = attrs.field(validator=_optional(instance_of(PersonName)))
    mobile: MobileNumber | None = attrs.field(
        default=None, validator=_optional(instance_of(MobileNumber))
    )
    id_number: IdCardNumber | None = attrs.field(
        default=None, validator=_optional(instance_of(IdCardNumber))
    )
    plates: tuple[VehiclePlate, ...] = attrs.field(default=(), converter=_plates)
    gender: Gender | None = attrs.field(default=None, validator=_optional(instance_of(Gender)))
    birth_date: pendulum.Date | None = attrs.field(
        default=None, converter=_optional_birth_date, repr=_masked_date
    )
    merged_into: str | None = attrs.field(default=None, validator=_optional_party_id)
    erased: ErasureMark | None = attrs.field(
        default=None, validator=_optional(instance_of(ErasureMark))
    )

    def __attrs_post_init__(self) -> None:
        _check_not_merged_into_itself(self.party_id, self.merged_into)
        if self.erased is None and self.name is None:
            raise InvalidParty(
                f"person {self.party_id} has no name; a name is required (only an erasure of "
                "the personal data leaves a person without one).",
                field="name",
                value=None,
                allowed="a PersonName (None only once erased)",
                party_id=self.party_id,
            )
        if self.erased is not None and self.personal_fields():
            raise InvalidParty(
                f"person {self.party_id} is marked erased but still holds "
                f"{', '.join(self.personal_fields())}; an erased person holds no personal data.",
                field="erased",
                value=self.erased,
                allowed="no personal data once erased",
                party_id=self.party_id,
                personal_fields=self.personal_fields(),
            )

    def personal_fields(self) -> tuple[str, ...]:
        """The names of the personal-data fields that hold a value."""
        return tuple(name for name in PERSONAL_FIELDS if getattr(self, name) not in (None, ()))

    def __str__(self) -> str:
        shown = "[已删除]" if self.name is None else str(self.name)
        return f"{shown} ({self.party_id})"


PERSONAL_FIELDS = ("name", "mobile", "id_number", "plates", "gender", "birth_date")
"""The fields of a :class:`Person` that hold personal data (what an erasure removes)."""


def field_label(field: str, locale: LocaleLike, *, organisation: bool = False) -> str:
    """A party field's name for people, in merge plans and erasure records.

    ``organisation`` picks the word for an organisation's name (名称) over a person's (姓名).
    """
    # One literal per field, so that extraction finds every message.
    match field:
        case "name" if organisation:
            return pgettext("organisation field", "name", locale=locale)
        case "name":
            return pgettext("party field", "name", locale=locale)
        case "mobile":
            return pgettext("party field", "mobile number", locale=locale)
        case "id_number":
            return pgettext("party field", "ID number", locale=locale)
        case "plates":
            return pgettext("party field", "vehicle plates", locale=locale)
        case "gender":
            return pgettext("party field", "gender", locale=locale)
        case "birth_date":
            return pgettext("party field", "birth date", locale=locale)
        case "kind":
            return pgettext("party field", "organisation kind", locale=locale)
        case "credit_code":
            return pgettext("party field", "credit code", locale=locale)
        case _:
            # Only the fields of Person and Organisation are ever named; anything else is a bug.
            raise ValueError(f"{field!r} is not a party field.")


def _organisation_name(_instance: object, _attribute: object, value: str) -> None:
    if isinstance(value, str) and not value.strip():
        raise InvalidParty(
            f"an organisation needs a name, got {value!r}.",
            field="name",
            value=value,
            allowed="non-empty text",
        )
    check_text(value, "name", InvalidParty, example="'阳光花园业主委员会'")


def _check_not_merged_into_itself(party_id: str, merged_into: str | None) -> None:
    if merged_into == party_id:
        raise InvalidParty(
            f"party {party_id} cannot be merged into itself.",
            field="merged_into",
            value=merged_into,
            allowed="another party's id",
        )


@attrs.frozen(kw_only=True)
class Organisation:
    """An organisation: an enterprise, agency, committee, the property company or a business.

    Its name is public and shown in full; its credit code is masked like every identifier (the
    code of a sole trader, 个体工商户, identifies a person).
    """

    party_id: str = attrs.field(validator=_party_id)
    kind: OrganisationKind = attrs.field(validator=instance_of(OrganisationKind))
    name: str = attrs.field(validator=_organisation_name)
    credit_code: CreditCode | None = attrs.field(
        default=None, validator=_optional(instance_of(CreditCode))
    )
    merged_into: str | None = attrs.field(default=None, validator=_optional_party_id)

    def __attrs_post_init__(self) -> None:
        _check_not_merged_into_itself(self.party_id, self.merged_into)

    def __str__(self) -> str:
        return f"{self.name} ({self.party_id})"


Party = Person | Organisation
"""A party of a community: a person or an organisation."""
