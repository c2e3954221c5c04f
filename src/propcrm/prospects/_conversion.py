"""Converting a lead: the tenant or merchant relation it becomes, in the party book.

:func:`convert` is pure: it takes the :class:`~propcrm.parties.PartyBook` and returns the
evolved book, the :class:`~propcrm.parties.Tenant` or :class:`~propcrm.parties.Merchant`
relation added to it, and the converted lead (:class:`Conversion`). It refuses a unit that is
not vacant on the start date (:class:`~propcrm.errors.UnitNotVacant`): not handed over,
occupied or under decoration, or already let to a tenant or merchant.
"""

from __future__ import annotations

import datetime

import attrs
import pendulum

from propcrm._validators import check_instance, check_record_id, check_text
from propcrm.errors import IllegalLeadStep, InvalidLead, UnitNotVacant
from propcrm.parties import (
    Merchant,
    Organisation,
    PartyBook,
    Person,
    Tenant,
    UnitStatusCode,
)
from propcrm.prospects._leads import Interest, Lead, LeadStage, LeadStep
from propcrm.time import as_date

__all__ = ["Conversion", "convert"]


@attrs.frozen
class Conversion:
    """What converting a lead produced: the converted lead, the relation, and the new book."""

    lead: Lead
    relation: Tenant | Merchant
    book: PartyBook = attrs.field(repr=False)


def convert(
    lead: Lead,
    book: PartyBook,
    *,
    unit_id: str,
    start: datetime.date,
    relation_id: str,
    by: str,
    at: datetime.datetime,
    party: Person | Organisation | None = None,
    planned_until: datetime.date | None = None,
    lease_id: str | None = None,
    shop_name: str | None = None,
) -> Conversion:
    """``lead`` made a tenant or a merchant (by its interest) of ``unit_id`` from ``start``.

    A lead without a party names the one to add with ``party`` (its ``party_id`` becomes the
    lead's); a lead with a party must find it in ``book``. A tenancy runs under ``lease_id``
    (default: the relation id) until ``planned_until``; a merchant's shop needs ``shop_name``.
    """
    check_instance(lead, "lead", Lead, error=InvalidLead)
    check_instance(book, "book", PartyBook, error=InvalidLead)
    check_record_id(unit_id, "unit id", InvalidLead, field="unit_id")
    day = as_date(start, "start")
    check_record_id(relation_id, "relation id", InvalidLead, field="relation_id")
    if lead.stage in (LeadStage.CONVERTED, LeadStage.LOST):
        raise IllegalLeadStep(
            f"lead {lead.lead_id} is {lead.stage.value}; it cannot be converted.",
            field="lead",
            value=lead.stage,
            allowed="a lead that is not converted or lost",
        )
    party_id, book = _party(lead, book, party)
    _check_vacant(book, unit_id, day)
    relation: Tenant | Merchant
    if lead.interest is Interest.HOME:
        relation = Tenant(
            relation_id=relation_id,
            party_id=party_id,
            unit_id=unit_id,
            lease_id=relation_id if lease_id is None else lease_id,
            start=day,
            planned_until=planned_until,
            pays_fees=True,
        )
    else:
        if shop_name is None:
            raise InvalidLead(
                f"lead {lead.lead_id} wants a shop; name it (shop_name).",
                field="shop_name",
                value=None,
                allowed="the shop's name",
            )
        relation = Merchant(
            relation_id=relation_id,
            party_id=party_id,
            unit_id=unit_id,
            shop_name=check_text(shop_name, "shop_name", InvalidLead),
            start=day,
            planned_until=planned_until,
        )
    book = book.add_relation(relation, reference=f"lead {lead.lead_id}")
    step = LeadStep(LeadStage.CONVERTED, by, at, relation_id=relation_id)
    converted = attrs.evolve(lead, party_id=party_id, history=(*lead.history, step))
    return Conversion(converted, relation, book)


def _party(
    lead: Lead, book: PartyBook, party: Person | Organisation | None
) -> tuple[str, PartyBook]:
    if party is None:
        if lead.party_id is None:
            raise InvalidLead(
                f"lead {lead.lead_id} has no party yet; give the party to add (party=...).",
                field="party",
                value=None,
                allowed="a Person or Organisation",
            )
        book.party(lead.party_id)  # refuses a party the book does not hold
        return lead.party_id, book
    check_instance(party, "party", Person, Organisation, error=InvalidLead)
    if lead.party_id is not None and party.party_id != lead.party_id:
        raise InvalidLead(
            f"lead {lead.lead_id} is party {lead.party_id}, not {party.party_id}.",
            field="party",
            value=party.party_id,
            allowed=lead.party_id,
        )
    if any(p.party_id == party.party_id for p in book.parties):
        return party.party_id, book
    return party.party_id, book.add_party(party)


def _check_vacant(book: PartyBook, unit_id: str, day: pendulum.Date) -> None:
    status = book.unit_status(unit_id, day).code
    let = (*book.tenants(unit_id, day), *book.merchants(unit_id, day))
    if status is not UnitStatusCode.VACANT or let:
        why = f"it is {status.value}" if status is not UnitStatusCode.VACANT else "it is let"
        raise UnitNotVacant(
            f"unit {unit_id} is not vacant on {day.isoformat()} ({why}); a lead converts onto a "
            "vacant unit only.",
            field="unit_id",
            value=unit_id,
            allowed="a unit handed over, unoccupied and not let on the start date",
            status=status,
            relations=tuple(r.relation_id for r in let),
        )
