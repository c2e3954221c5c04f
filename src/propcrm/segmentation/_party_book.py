"""Segment subjects from the party book and billing accounts: where parties and billing meet.

Segmentation reads a party as a plain :class:`~propcrm.segmentation.SegmentSubject`, and its
behaviour rules read fee notices as plain :class:`~propcrm.analytics.PaymentFact` values, because
``propcrm.parties`` and ``propcrm.billing`` never import each other (issue 6; the layers point one
way). This module sits above both and builds those values from a
:class:`~propcrm.parties.PartyBook` and receivables'
:class:`~propcrm.receivables.Account`, through their
public APIs only.

:func:`payment_facts` turns an account as of a date into one fact per statement issued by then:

- ``statement_id``: the number of the statement's current revision (``…/R1`` after a correction);
- ``due_on``: its due date after any deferral posted by the date;
- ``amount``: its principal (the current revision's total); a statement whose principal is zero
  (corrected to nothing) has nothing to be punctual about and gives no fact;
- ``amount_paid``: the principal paid by money — receipts, credits and credit brought forward —
  up to the date. Principal waived or written off is **not** paid: the fact shows that part as
  unpaid, so a waived or written-off notice is never "paid in full" and its remainder counts in
  the arrears rule (the behaviour rules judge what a party paid, not what it was forgiven);
- ``paid_on``: the day the principal paid reached ``amount_paid`` and stayed there — the day the
  principal was settled in full by payments when it was. ``PaymentFact`` needs a date with any
  payment, so a partly paid notice carries the day of its last payment; it is not settled,
  because ``amount_paid`` is below ``amount``.

The payment day comes from the account's allocations (which part of which payment went to the
principal of which statement, on which day); late fees and costs come first in the Civil Code
order, so a receipt that only covers the fee pays no principal. A correction that lowers a
statement below what was paid turns the excess into credit, latest payment first; for a
corrected statement the day is found by replaying the account's balance on each day its principal
paid could have changed (a few replays of one account), so it is the first day from which the
paid principal never fell below its final amount.

:func:`segment_subject` describes one party of the book on a date:

- ``kind`` and ``organisation``: a person, or an organisation of the type
  :data:`ORGANISATION_TYPES` maps its :class:`~propcrm.parties.OrganisationKind` to;
- ``property_types`` and ``community``: of the units the party owns, rents, lives in or runs a
  shop in on the date (a visit to a host unit is not holding it); ``community`` is set when those
  units are all in one community, else ``None`` (a subject holds one community);
- ``property_rights``: owner and tenant from the relations in force; *other occupant*
  (非业主使用人) for a unit the party lives in or runs a shop in without owning or renting it;
- ``birth_year``: from the person's ``birth_date`` when recorded; otherwise from the ID number,
  only when the caller states the purpose (``id_number_purpose``) — the birth date is then read
  through :meth:`~propcrm.parties.IdCardNumber.reveal_birth_date`, which tells ``audit``;
  without a purpose the ID number is not read and the birth year stays unknown;
- ``household_size``: the residents, on the date, of the one unit the party lives in (unknown
  when it lives in none, or in several);
- ``moved_in_on``: the start of the party's residence in force on the date (its move-in, 入住;
  the latest one if it lives in several units); ``callback_on`` passes the day of its move-in
  callback through, and is dropped when it precedes that move-in (it was for an earlier one);
- ``payments``: the facts of the statements billed to the party in the accounts of the units it
  was billable for (:meth:`~propcrm.parties.PartyBook.payer_spans`, §1): a statement counts when
  the party was billable for the unit on a day of its period and the statement names the party
  as billed (the statement's ``billed_party``, else the account's; a party merged into this one
  counts as this one), or names nobody and the party was billable on its period's first day.

Facts are as of ``as_of``: evaluate the subject on that date (a payment after it is not in them).

>>> import pendulum
>>> from propcrm.billing import opening_statement
>>> from propcrm.receivables import Account, Receipt
>>> from propcrm.time import BillingPeriod
>>> from propcrm.money import Money
>>> nov = opening_statement(
...     community="SUNRISE",
...     unit_id="1-2-0301",
...     period=BillingPeriod.month(2026, 11),
...     amount=Money("1000.00"),
...     due_on=pendulum.date(2026, 12, 10),
...     billed_party="P1",
... )
>>> account = Account("1-2-0301", billed_party="P1").post(
...     nov,
...     Receipt("BANK-1", Money("400.00"), received_on=pendulum.date(2026, 12, 5)),
...     Receipt("BANK-2", Money("700.00"), received_on=pendulum.date(2026, 12, 20)),
... )
>>> [(f.amount_paid, f.paid_on) for f in payment_facts(account, pendulum.date(2026, 12, 10))]
[(Money('400.00', 'CNY'), Date(2026, 12, 5))]
>>> (fact,) = payment_facts(account, pendulum.date(2026, 12, 31))
>>> fact.amount_paid, fact.paid_on, fact.settled_on(pendulum.date(2026, 12, 31))
(Money('1000.00', 'CNY'), Date(2026, 12, 20), Date(2026, 12, 20))

On 20 December the 700.00 first paid the 18.00 of late fee accrued on the 600.00 left, then the
600.00: the principal was settled that day, ten days late.

>>> from propcrm.parties import PartyBook, Person, Unit
>>> from propcrm.personal_data import PersonName
>>> from propcrm.billing import PropertyType
>>> flat = Unit(
...     unit_id="1-2-0301",
...     community="SUNRISE",
...     building="1",
...     entrance="2",
...     floor=3,
...     number="0301",
...     property_type=PropertyType.RESIDENTIAL,
...     building_area="89.37",
... )
>>> book = (
...     PartyBook(parties=[Person(party_id="P1", name=PersonName("张三丰"))], units=[flat])
...     .sell("1-2-0301", pendulum.date(2025, 6, 1), "P1")
...     .hand_over("1-2-0301", pendulum.date(2026, 3, 1))
...     .move_in("1-2-0301", pendulum.date(2026, 3, 15), head="P1")
... )
>>> subject = segment_subject(
...     book, "P1", pendulum.date(2026, 12, 31), accounts={"1-2-0301": account}
... )
>>> sorted(r.value for r in subject.property_rights), subject.household_size
(['owner'], 1)
>>> subject.moved_in_on, [f.statement_id for f in subject.payments]
(Date(2026, 3, 15), ['SUNRISE/2026-11/1-2-0301'])
"""

from __future__ import annotations

import datetime
import types
from collections.abc import Iterable, Mapping, Sequence

import pendulum

from propcrm._validators import check_instance, check_items, check_record_id
from propcrm.analytics import ComplaintHistory, PaymentFact, ServicePurchase
from propcrm.errors import InvalidSegmentSubject, UnknownRecord
from propcrm.money import Money
from propcrm.parties import (
    Merchant,
    Organisation,
    OrganisationKind,
    Owner,
    PartyBook,
    PayerSpan,
    Person,
    RelationKind,
    Resident,
    Tenant,
)
from propcrm.personal_data import RevealAudit
from propcrm.receivables import (
    Account,
    AccountBalance,
    Component,
    Correction,
    DisputeResolved,
    StatementBalance,
)
from propcrm.segmentation._subjects import (
    OrganisationType,
    PropertyRight,
    SegmentSubject,
    SubjectKind,
)
from propcrm.time import as_date

__all__ = ["ORGANISATION_TYPES", "payment_facts", "segment_subject"]

ORGANISATION_TYPES: Mapping[OrganisationKind, OrganisationType] = types.MappingProxyType(
    {
        OrganisationKind.ENTERPRISE: OrganisationType.ENTERPRISE,
        OrganisationKind.GOVERNMENT_AGENCY: OrganisationType.GOVERNMENT_AGENCY,
        OrganisationKind.OWNERS_COMMITTEE: OrganisationType.OWNERS_COMMITTEE,
        OrganisationKind.RESIDENTS_COMMITTEE: OrganisationType.RESIDENTS_COMMITTEE,
        OrganisationKind.PROPERTY_COMPANY: OrganisationType.PROPERTY_COMPANY,
        OrganisationKind.MERCHANT: OrganisationType.MERCHANT,
    }
)
"""The organisation type segmentation sees for each kind of organisation the book records."""

_NO_ACCOUNTS: Mapping[str, Account] = types.MappingProxyType({})

# The relations by which a party holds or uses a unit; a visit to a host unit is neither.
_HOLDING = (RelationKind.OWNER, RelationKind.TENANT, RelationKind.RESIDENT, RelationKind.MERCHANT)
_RIGHTS: Mapping[RelationKind, PropertyRight] = types.MappingProxyType(
    {RelationKind.OWNER: PropertyRight.OWNER, RelationKind.TENANT: PropertyRight.TENANT}
)
_OCCUPYING = frozenset({RelationKind.RESIDENT, RelationKind.MERCHANT})
# Only an owner or a tenant whose lease makes it pay is ever billable for a unit (§1).
_PAYING = (RelationKind.OWNER, RelationKind.TENANT)

_Held = Owner | Tenant | Resident | Merchant


# -- payment facts ------------------------------------------------------------------------------


def payment_facts(account: Account, as_of: datetime.date) -> tuple[PaymentFact, ...]:
    """One payment fact per statement of ``account`` issued by ``as_of``, as of that date.

    See the module text for each field; statements come in the account's replay order.
    """
    check_instance(account, "account", Account)
    balance = account.balance(as_date(as_of, "as_of"))
    return _facts(account, balance, balance.statements)


def _facts(
    account: Account, balance: AccountBalance, rows: Sequence[StatementBalance]
) -> tuple[PaymentFact, ...]:
    owed = [row for row in rows if row.principal.is_positive]
    days = _settled_days(account, balance, owed)
    return tuple(
        PaymentFact(
            row.number,
            row.due_on,
            row.principal,
            paid_on=days.get(row.original_number),
            amount_paid=row.principal_paid,
        )
        for row in owed
    )


def _settled_days(
    account: Account, balance: AccountBalance, rows: Iterable[StatementBalance]
) -> dict[str, pendulum.Date]:
    """Original statement number → the day its principal paid reached its amount on the date."""
    days: dict[str, pendulum.Date] = {}
    replays: dict[pendulum.Date, AccountBalance] = {}
    for row in rows:
        if row.principal_paid.is_zero:
            continue
        found = _day_from_allocations(row, balance) if row.statement.revision == 0 else None
        if found is None:
            found = _day_from_replays(account, row, balance, replays)
        days[row.original_number] = found
    return days


def _day_from_allocations(row: StatementBalance, balance: AccountBalance) -> pendulum.Date | None:
    """The day of the payment that brought the principal paid up to its amount on the date.

    Exact for a statement never corrected: only a correction gives paid principal back (as
    credit), so without one the principal paid only grows, part by part, in allocation order,
    and the statement's number, which the parts name, never changed. ``None`` if the parts do
    not add up to it (the replay then answers).
    """
    target = row.principal_paid.minor_units
    running = 0
    for allocation in balance.allocations:
        running += sum(
            part.amount.minor_units
            for part in allocation.parts
            if part.statement == row.number and part.component is Component.PRINCIPAL
        )
        if running >= target:
            return allocation.on
    return None  # pragma: no cover - the allocations always account for the paid principal


def _day_from_replays(
    account: Account,
    row: StatementBalance,
    balance: AccountBalance,
    replays: dict[pendulum.Date, AccountBalance],
) -> pendulum.Date:
    """The first day from which the principal paid never fell below its amount on the date.

    The principal paid changes only on days money is allocated (up) or a correction takes
    effect (down, when paid principal above the corrected one becomes credit), so replaying the
    balance on those days, latest first, finds it. ``replays`` keeps the balances replayed for
    the other statements of the account.
    """
    days = {allocation.on for allocation in balance.allocations}
    days.update(
        event.on
        for event in account.events
        if (
            isinstance(event, Correction)
            or (isinstance(event, DisputeResolved) and event.corrected is not None)
        )
        and event.on <= balance.as_of
    )
    target = row.principal_paid
    settled = balance.as_of
    for day in sorted(days, reverse=True):
        earlier = replays.get(day)
        if earlier is None:
            earlier = replays[day] = account.balance(day)
        paid = _paid_in(earlier, row.original_number)
        if paid is None or paid < target:
            break
        settled = day
    return settled


def _paid_in(balance: AccountBalance, original_number: str) -> Money | None:
    for row in balance.statements:
        if row.original_number == original_number:
            return row.principal_paid
    return None  # not issued yet on that day


# -- segment subjects ---------------------------------------------------------------------------


def segment_subject(
    book: PartyBook,
    party_id: str,
    as_of: datetime.date,
    *,
    accounts: Mapping[str, Account] = _NO_ACCOUNTS,
    purchases: Iterable[ServicePurchase] = (),
    complaints: ComplaintHistory | None = None,
    callback_on: datetime.date | None = None,
    id_number_purpose: str | None = None,
    audit: RevealAudit | None = None,
) -> SegmentSubject:
    """Party ``party_id`` of ``book`` as segmentation sees it on ``as_of``.

    Args:
        book: the party book.
        party_id: the party; one merged into another is refused (segment the survivor).
        as_of: the date of the attributes and of the payment facts.
        accounts: billing accounts by unit id (each account's own ``unit_id``), holding the
            statements of every party billed for the unit; only the units the party owned or
            rented are read.
        purchases: the party's special-service purchases (discretionary spend, §3).
        complaints: the complaint side, ``None`` when the complaints model holds nothing.
        callback_on: the day of the move-in callback visit (§4), if one was made.
        id_number_purpose: the purpose stated to read the birth year from the ID number when no
            birth date is recorded (e.g. ``'age band for segmentation'``); ``None``: not read.
        audit: told about that reveal (e.g. a :class:`~propcrm.parties.RevealLog`).

    See the module text for how each attribute is derived.
    """
    day = as_date(as_of, "as_of")
    check_instance(book, "book", PartyBook)
    check_record_id(party_id, "party_id", InvalidSegmentSubject)
    check_instance(accounts, "accounts", Mapping)
    check_items(accounts.values(), "accounts", Account)
    purchases = check_items(purchases, "purchases", ServicePurchase)
    callback = None if callback_on is None else as_date(callback_on, "callback_on")
    party = book.party(party_id)
    if party.merged_into is not None:
        survivor = book.resolve(party_id).party_id
        raise InvalidSegmentSubject(
            f"party {party_id} was merged into {party.merged_into}; segment "
            f"{survivor}, which holds its relations and payments now.",
            field="party_id",
            value=party_id,
            allowed=f"the surviving party {survivor}",
        )
    held = [r for r in book.relations_of(party_id, day, _HOLDING) if isinstance(r, _Held)]
    units = [book.unit(unit_id) for unit_id in sorted({r.unit_id for r in held})]
    communities = {unit.community for unit in units}
    residences = [r for r in held if isinstance(r, Resident)]
    moved_in = max((r.start for r in residences), default=None)
    if callback is not None and (moved_in is None or callback < moved_in):
        callback = None  # made for an earlier move-in, not this one
    organisation: OrganisationType | None = None
    birth_year = household_size = None
    if isinstance(party, Organisation):
        organisation = ORGANISATION_TYPES[party.kind]
    else:
        birth_year = _birth_year(party, id_number_purpose, audit)
        homes = {r.unit_id for r in residences}
        if len(homes) == 1:
            household_size = len(book.residents(homes.pop(), day))
    return SegmentSubject(
        party_id,
        kind=SubjectKind.PERSON if organisation is None else SubjectKind.ORGANISATION,
        organisation=organisation,
        property_types={unit.property_type for unit in units},
        community=communities.pop() if len(communities) == 1 else None,
        property_rights=_property_rights(held),
        birth_year=birth_year,
        household_size=household_size,
        moved_in_on=moved_in,
        callback_on=callback,
        payments=_payments(book, party_id, accounts, day),
        purchases=purchases,
        complaints=complaints,
    )


def _property_rights(held: Iterable[_Held]) -> frozenset[PropertyRight]:
    """Owner and tenant as held; other occupant of a unit used without owning or renting it."""
    kinds_by_unit: dict[str, set[RelationKind]] = {}
    for relation in held:
        kinds_by_unit.setdefault(relation.unit_id, set()).add(relation.kind)
    rights: set[PropertyRight] = set()
    for kinds in kinds_by_unit.values():
        titles = {_RIGHTS[kind] for kind in kinds if kind in _RIGHTS}
        rights |= titles
        if not titles and kinds & _OCCUPYING:
            rights.add(PropertyRight.OTHER_OCCUPANT)
    return frozenset(rights)


def _birth_year(person: Person, purpose: str | None, audit: RevealAudit | None) -> int | None:
    """The recorded birth date's year; else the ID number's, only for a stated purpose."""
    if person.birth_date is not None:
        return person.birth_date.year
    if person.id_number is None or purpose is None:
        return None
    return person.id_number.reveal_birth_date(purpose, audit=audit).year


def _payments(
    book: PartyBook, party_id: str, accounts: Mapping[str, Account], day: pendulum.Date
) -> tuple[PaymentFact, ...]:
    """The facts of the statements billed to the party, from the units it owned or rented."""
    paying_units = {
        r.target for r in book.relations_of(party_id, kinds=_PAYING) if r.target in accounts
    }
    facts: list[PaymentFact] = []
    for unit_id in sorted(paying_units):
        account = accounts[unit_id]
        if account.unit_id != unit_id:
            raise InvalidSegmentSubject(
                f"accounts[{unit_id!r}] is the account of unit {account.unit_id}; key each "
                "account by its own unit id.",
                field="accounts",
                value=unit_id,
                allowed=f"the key {account.unit_id!r}, the account's own unit id",
            )
        balance = account.balance(day)
        if not balance.statements:
            continue
        first = min(row.statement.period.start for row in balance.statements)
        last = max(row.statement.period.end for row in balance.statements)
        spans = [
            span
            for span in book.payer_spans(unit_id, first, last.add(days=1))
            if span.party_id == party_id
        ]
        mine = [
            row for row in balance.statements if _billed_to(book, party_id, account, row, spans)
        ]
        facts.extend(_facts(account, balance, mine))
    return tuple(facts)


def _billed_to(
    book: PartyBook,
    party_id: str,
    account: Account,
    row: StatementBalance,
    spans: Sequence[PayerSpan],
) -> bool:
    """Whether the statement is the party's: billable in its period, and billed to it."""
    period = row.statement.period
    billable = [
        span
        for span in spans
        if span.start <= period.end and (span.until is None or span.until > period.start)
    ]
    if not billable:
        return False
    named = row.statement.billed_party
    if named is None:
        named = account.billed_party
    if named is None:  # an opening balance naming nobody: the payer on its first day
        return any(span.start <= period.start for span in billable)
    return _survivor(book, named) == party_id


def _survivor(book: PartyBook, party_id: str) -> str:
    """The party a billed party id stands for now (itself, or the one it was merged into)."""
    try:
        return book.resolve(party_id).party_id
    except UnknownRecord:  # billed under an id the book does not know: compared as it is
        return party_id
