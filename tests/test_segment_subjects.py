"""Tests for propcrm.segmentation.segment_subject: parties and billing as segmentation sees them."""

from __future__ import annotations

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._property_types import PropertyType
from propcrm.analytics import ComplaintRecord, SatisfactionScore, ServicePurchase
from propcrm.billing import (
    Statement,
    opening_line,
    opening_statement,
    statement_number,
)
from propcrm.errors import InvalidSegmentSubject, MissingRevealPurpose
from propcrm.money import Money
from propcrm.parties import (
    Merchant,
    Organisation,
    OrganisationKind,
    PartyBook,
    Person,
    Unit,
    Visitor,
    apply_merge,
    plan_merge,
)
from propcrm.personal_data import (
    IdCardNumber,
    MobileNumber,
    PersonName,
    RevealLog,
)
from propcrm.receivables import (
    Account,
    AccountEvent,
    Authorisation,
    Correction,
    Credit,
    Deferral,
    PrincipalWaiver,
    Receipt,
    WriteOff,
)
from propcrm.segmentation import (
    OrganisationType,
    Outcome,
    PropertyRight,
    SubjectKind,
    evaluate_portfolio,
    payment_facts,
    ready_segments,
    segment_subject,
)
from propcrm.segmentation._party_book import ORGANISATION_TYPES
from propcrm.testing._account_strategies import accounts
from propcrm.time import BillingPeriod

D = pendulum.date
DAY = D(2026, 12, 1)
APPROVED = Authorisation("finance manager Li", "pipe burst in the unit; goodwill")


def notice(
    unit_id: str,
    year: int,
    month: int,
    amount: str = "250.24",
    *,
    billed_party: str | None = None,
    community: str = "SUNRISE",
) -> Statement:
    """A monthly notice issued on the month's last day and due on the 10th of the next."""
    period = BillingPeriod.month(year, month)
    return opening_statement(
        community=community,
        unit_id=unit_id,
        period=period,
        amount=Money(amount),
        due_on=period.end.add(days=10),
        billed_party=billed_party,
    )


def receipt(reference: str, amount: str, on: pendulum.Date) -> Receipt:
    return Receipt(reference, Money(amount), received_on=on)


def unit(
    unit_id: str,
    *,
    community: str = "SUNRISE",
    property_type: PropertyType = PropertyType.RESIDENTIAL,
) -> Unit:
    return Unit(
        unit_id=unit_id,
        community=community,
        building=unit_id.split("-", maxsplit=1)[0],
        floor=1,
        number=unit_id.rsplit("-", maxsplit=1)[-1],
        property_type=property_type,
        building_area="89.37",
    )


def person(
    party_id: str,
    name: str = "张三丰",
    *,
    birth_date: pendulum.Date | None = None,
    id_number: IdCardNumber | None = None,
    mobile: MobileNumber | None = None,
) -> Person:
    return Person(
        party_id=party_id,
        name=PersonName(name),
        birth_date=birth_date,
        id_number=id_number,
        mobile=mobile,
    )


def owned(book: PartyBook, unit_id: str, buyers: str | dict[str, str]) -> PartyBook:
    """``unit_id`` sold to ``buyers`` in June 2025 and handed over on 1 March 2026."""
    return book.sell(unit_id, D(2025, 6, 1), buyers).hand_over(unit_id, D(2026, 3, 1))


# -- payment facts --------------------------------------------------------------------------


def nov_account(*events: AccountEvent) -> Account:
    nov = notice("1-2-0301", 2026, 11, "1000.00", billed_party="P1")
    return Account("1-2-0301", billed_party="P1").post(nov, *events)


def test_an_unpaid_notice_has_no_payment() -> None:
    (fact,) = payment_facts(nov_account(), D(2026, 12, 31))
    assert fact.statement_id == "SUNRISE/2026-11/1-2-0301"
    assert fact.due_on == D(2026, 12, 10)
    assert fact.amount == Money("1000.00")
    assert fact.amount_paid == Money.zero()
    assert fact.paid_on is None


def test_a_notice_paid_in_two_parts_is_settled_on_the_second() -> None:
    account = nov_account(
        receipt("BANK-1", "400.00", D(2026, 12, 5)), receipt("BANK-2", "600.00", D(2026, 12, 9))
    )
    (partly,) = payment_facts(account, D(2026, 12, 6))
    assert (partly.amount_paid, partly.paid_on) == (Money("400.00"), D(2026, 12, 5))
    assert partly.settled_on(D(2026, 12, 6)) is None
    (paid,) = payment_facts(account, D(2026, 12, 31))
    assert (paid.amount_paid, paid.paid_on) == (Money("1000.00"), D(2026, 12, 9))
    assert paid.settled_on(D(2026, 12, 31)) == D(2026, 12, 9)


def test_only_what_was_issued_and_received_by_the_date_counts() -> None:
    account = nov_account(receipt("BANK-1", "1000.00", D(2026, 12, 5)))
    assert payment_facts(account, D(2026, 11, 29)) == ()
    (fact,) = payment_facts(account, D(2026, 12, 4))
    assert fact.paid_on is None
    assert fact.amount_paid == Money.zero()


def test_the_late_fee_is_paid_before_the_principal() -> None:
    # Twenty days late: 1000.00 x 0.3 % x 20 = 60.00 of late fee comes first (Civil Code 561).
    account = nov_account(receipt("BANK-1", "1000.00", D(2026, 12, 30)))
    (fact,) = payment_facts(account, D(2026, 12, 31))
    assert fact.amount_paid == Money("940.00")
    assert fact.paid_on == D(2026, 12, 30)
    assert fact.settled_on(D(2026, 12, 31)) is None


def test_a_deferral_moves_the_due_date() -> None:
    deferral = Deferral(
        "D-1", "SUNRISE/2026-11/1-2-0301", D(2026, 12, 31), APPROVED, approved_on=D(2026, 12, 1)
    )
    (fact,) = payment_facts(nov_account(deferral), D(2026, 12, 31))
    assert fact.due_on == D(2026, 12, 31)
    (before,) = payment_facts(nov_account(deferral), D(2026, 11, 30))
    assert before.due_on == D(2026, 12, 10)


def test_waived_principal_is_not_paid() -> None:
    waiver = PrincipalWaiver(
        "W-1", "SUNRISE/2026-11/1-2-0301", APPROVED, on=D(2026, 12, 2), amount=Money("300.00")
    )
    account = nov_account(waiver, receipt("BANK-1", "700.00", D(2026, 12, 5)))
    (fact,) = payment_facts(account, D(2026, 12, 31))
    assert (fact.amount, fact.amount_paid) == (Money("1000.00"), Money("700.00"))
    assert fact.paid_on == D(2026, 12, 5)
    assert fact.settled_on(D(2026, 12, 31)) is None
    whole = PrincipalWaiver("W-2", "SUNRISE/2026-11/1-2-0301", APPROVED, on=D(2026, 12, 2))
    (forgiven,) = payment_facts(nov_account(whole), D(2026, 12, 31))
    assert (forgiven.amount_paid, forgiven.paid_on) == (Money.zero(), None)


def test_written_off_principal_is_not_paid() -> None:
    write_off = WriteOff("WO-1", "SUNRISE/2026-11/1-2-0301", APPROVED, on=D(2027, 6, 30))
    account = nov_account(receipt("BANK-1", "200.00", D(2026, 12, 5)), write_off)
    (fact,) = payment_facts(account, D(2027, 12, 31))
    assert (fact.amount_paid, fact.paid_on) == (Money("200.00"), D(2026, 12, 5))


def test_credits_and_credit_brought_forward_are_payments() -> None:
    dec = notice("1-2-0301", 2026, 12, "1000.00", billed_party="P1")
    account = nov_account(receipt("BANK-1", "1500.00", D(2026, 12, 5)), dec)
    _, december = payment_facts(account, D(2027, 1, 31))
    # The 500.00 left over from November pays December's notice the day it is issued.
    assert (december.amount_paid, december.paid_on) == (Money("500.00"), D(2026, 12, 31))
    credited = account.post(Credit("CR-1", Money("500.00"), on=D(2027, 1, 5), reason="goodwill"))
    _, december = payment_facts(credited, D(2027, 1, 31))
    assert (december.amount_paid, december.paid_on) == (Money("1000.00"), D(2027, 1, 5))


def corrected(amount: str, revision_of: Statement, on: pendulum.Date, ref: str) -> Correction:
    return Correction(
        ref, revision_of.revised((opening_line(Money(amount)),)), on, "area re-measured"
    )


def test_a_correction_below_what_was_paid_keeps_the_day_it_was_paid() -> None:
    nov = notice("1-2-0301", 2026, 11, "1000.00", billed_party="P1")
    account = Account("1-2-0301", billed_party="P1").post(
        nov,
        receipt("BANK-1", "1000.00", D(2026, 12, 5)),
        corrected("800.00", nov, D(2026, 12, 20), "C-1"),
    )
    (fact,) = payment_facts(account, D(2026, 12, 31))
    assert fact.statement_id == "SUNRISE/2026-11/1-2-0301/R1"
    assert (fact.amount, fact.amount_paid) == (Money("800.00"), Money("800.00"))
    assert fact.paid_on == D(2026, 12, 5)


def test_a_correction_above_what_was_paid_is_settled_by_the_later_payment() -> None:
    nov = notice("1-2-0301", 2026, 11, "100.00", billed_party="P1")
    down = corrected("80.00", nov, D(2026, 12, 3), "C-1")
    up = corrected("120.00", down.corrected, D(2026, 12, 6), "C-2")
    account = Account("1-2-0301", billed_party="P1").post(
        nov, receipt("BANK-1", "100.00", D(2026, 12, 1)), down, up
    )
    # The 20.00 given back as credit on the 3rd pays the raised notice again on the 6th: the
    # 100.00 paid on the 1st has stood undiminished only since the 6th.
    (fact,) = payment_facts(account, D(2026, 12, 7))
    assert (fact.amount, fact.amount_paid) == (Money("120.00"), Money("100.00"))
    assert fact.paid_on == D(2026, 12, 6)
    settled = account.post(receipt("BANK-2", "20.00", D(2026, 12, 8)))
    (fact,) = payment_facts(settled, D(2026, 12, 31))
    assert fact.statement_id.endswith("/R2")
    assert (fact.amount_paid, fact.paid_on) == (Money("120.00"), D(2026, 12, 8))


def test_a_notice_corrected_to_nothing_gives_no_fact() -> None:
    nov = notice("1-2-0301", 2026, 11, "100.00", billed_party="P1")
    account = Account("1-2-0301").post(nov, corrected("0.00", nov, D(2026, 12, 3), "C-1"))
    assert payment_facts(account, D(2026, 12, 31)) == ()


@settings(max_examples=60, deadline=None)
@given(account=accounts(max_statements=3, max_receipts=4), days=st.integers(0, 200))
def test_facts_follow_the_statements_and_never_overpay(account: Account, days: int) -> None:
    first = min(e.issued_on for e in account.events if isinstance(e, Statement))
    as_of = first.add(days=days)
    rows = {row.number: row for row in account.balance(as_of).statements}
    facts = payment_facts(account, as_of)
    assert [f.statement_id for f in facts] == [n for n, r in rows.items() if r.principal]
    for fact in facts:
        row = rows[fact.statement_id]
        assert fact.amount == row.principal
        assert fact.due_on == row.due_on
        assert fact.amount_paid == row.principal_paid <= fact.amount
        assert (fact.paid_on is None) == fact.amount_paid.is_zero
        settled = fact.settled_on(as_of)
        assert (settled is not None) == (row.principal_paid == row.principal)
        if fact.paid_on is not None:
            assert row.statement.issued_on <= fact.paid_on <= as_of
            # The principal paid reached its amount on that day, and not the day before.
            on_the_day = account.balance(fact.paid_on).statement(fact.statement_id)
            assert on_the_day.principal_paid == fact.amount_paid
            day_before = account.balance(fact.paid_on.subtract(days=1)).statements
            earlier = [r.principal_paid for r in day_before if r.number == fact.statement_id]
            assert not earlier or earlier[0] < fact.amount_paid


# -- the organisation types -----------------------------------------------------------------


def test_every_organisation_kind_has_its_type() -> None:
    assert set(ORGANISATION_TYPES) == set(OrganisationKind)
    assert set(ORGANISATION_TYPES.values()) == set(OrganisationType)
    assert all(kind.name == kind_type.name for kind, kind_type in ORGANISATION_TYPES.items())
    with pytest.raises(TypeError):
        ORGANISATION_TYPES[OrganisationKind.MERCHANT] = OrganisationType.ENTERPRISE  # type: ignore[index]  # read-only on purpose


@pytest.mark.parametrize("kind", list(OrganisationKind))
def test_an_organisation_is_segmented_by_its_type(kind: OrganisationKind) -> None:
    org = Organisation(party_id="ORG-1", kind=kind, name="阳光花园某机构")
    subject = segment_subject(PartyBook(parties=[org]), "ORG-1", DAY)
    assert subject.kind is SubjectKind.ORGANISATION
    assert subject.organisation is ORGANISATION_TYPES[kind]
    assert subject.birth_year is None
    assert subject.household_size is None


# -- attributes from the book ---------------------------------------------------------------


@pytest.fixture
def family_book() -> PartyBook:
    """Zhang (60 %) and Li (40 %) own 1-2-0301; Zhang lives there with his daughter Zhang Ling.

    Wang owns 1-2-0302 and rents it to Zhao, who lives there and pays the fees.
    """
    people = [
        person("P1", "张三丰", birth_date=D(1958, 4, 1)),
        person("P2", "李四"),
        person("P3", "王五", id_number=IdCardNumber("11010519491231002X")),
        person("P4", "赵六"),
        person("P5", "张玲"),
    ]
    book = PartyBook(parties=people, units=[unit("1-2-0301"), unit("1-2-0302")])
    book = owned(book, "1-2-0301", {"P1": "0.6", "P2": "0.4"})
    book = owned(book, "1-2-0302", "P3")
    book = book.move_in("1-2-0301", D(2026, 3, 15), head="P1", members={"P5": "子女"})
    book = book.start_lease(
        "1-2-0302",
        D(2026, 4, 1),
        lead="P4",
        end=D(2027, 4, 1),
        paying_tenant="P4",
        lease_id="HT-0302",
    )
    return book.move_in("1-2-0302", D(2026, 4, 1), head="P4")


def test_a_person_who_owns_and_lives_in_a_flat(family_book: PartyBook) -> None:
    subject = segment_subject(family_book, "P1", DAY)
    assert subject.kind is SubjectKind.PERSON
    assert subject.organisation is None
    assert subject.property_types == {PropertyType.RESIDENTIAL}
    assert subject.community == "SUNRISE"
    assert subject.property_rights == {PropertyRight.OWNER}
    assert subject.birth_year == 1958
    assert subject.household_size == 2
    assert subject.moved_in_on == D(2026, 3, 15)


def test_owner_tenant_and_other_occupant(family_book: PartyBook) -> None:
    absent_owner = segment_subject(family_book, "P2", DAY)
    assert absent_owner.property_rights == {PropertyRight.OWNER}
    assert (absent_owner.household_size, absent_owner.moved_in_on) == (None, None)
    tenant = segment_subject(family_book, "P4", DAY)
    assert tenant.property_rights == {PropertyRight.TENANT}
    assert tenant.household_size == 1
    daughter = segment_subject(family_book, "P5", DAY)
    assert daughter.property_rights == {PropertyRight.OTHER_OCCUPANT}
    assert daughter.household_size == 2


def test_relations_not_in_force_on_the_date_do_not_count(family_book: PartyBook) -> None:
    before = segment_subject(family_book, "P4", D(2026, 3, 31))
    assert before.property_rights == frozenset()
    assert before.property_types == frozenset()
    assert before.community is None
    after = family_book.end_lease("HT-0302", D(2026, 12, 16))
    assert segment_subject(after, "P4", D(2026, 12, 16)).property_rights == frozenset()


def test_a_visit_is_not_holding_a_unit(family_book: PartyBook) -> None:
    book = family_book.add_party(person("P9", "周八")).add_relation(
        Visitor(relation_id="V1", party_id="P9", unit_id="1-2-0301", start=DAY)
    )
    subject = segment_subject(book, "P9", DAY)
    assert (subject.property_types, subject.property_rights) == (frozenset(), frozenset())


def test_a_merchant_in_a_shop_it_neither_owns_nor_rents_is_another_occupant() -> None:
    shop = unit("9-1-0101", property_type=PropertyType.COMMERCIAL)
    tea = Organisation(party_id="ORG-TEA", kind=OrganisationKind.MERCHANT, name="阳光茶馆")
    developer = Organisation(party_id="ORG-DEV", kind=OrganisationKind.ENTERPRISE, name="阳光置业")
    book = owned(PartyBook(parties=[tea, developer], units=[shop]), "9-1-0101", "ORG-DEV")
    book = book.add_relation(
        Merchant(
            relation_id="M1",
            party_id="ORG-TEA",
            unit_id="9-1-0101",
            start=D(2026, 3, 1),
            shop_name="阳光茶馆",
        )
    )
    subject = segment_subject(book, "ORG-TEA", DAY)
    assert subject.property_rights == {PropertyRight.OTHER_OCCUPANT}
    assert subject.property_types == {PropertyType.COMMERCIAL}
    assert subject.organisation is OrganisationType.MERCHANT
    rented = book.start_lease("9-1-0101", D(2026, 3, 1), lead="ORG-TEA", paying_tenant="ORG-TEA")
    assert segment_subject(rented, "ORG-TEA", DAY).property_rights == {PropertyRight.TENANT}


def test_units_in_two_communities_leave_the_community_open() -> None:
    book = PartyBook(
        parties=[person("P1")], units=[unit("1-2-0301"), unit("5-1-0101", community="LAKESIDE")]
    )
    book = owned(owned(book, "1-2-0301", "P1"), "5-1-0101", "P1")
    assert segment_subject(book, "P1", DAY).community is None
    assert segment_subject(book, "P1", DAY).property_rights == {PropertyRight.OWNER}


def test_the_id_number_is_read_only_for_a_stated_purpose(family_book: PartyBook) -> None:
    audit = RevealLog()
    assert segment_subject(family_book, "P3", DAY, audit=audit).birth_year is None
    assert audit.events == []
    subject = segment_subject(
        family_book, "P3", DAY, id_number_purpose="age band for segmentation", audit=audit
    )
    assert subject.birth_year == 1949
    assert [(e.masked, e.purpose) for e in audit.events] == [
        ("110***********002X", "age band for segmentation")
    ]
    with pytest.raises(MissingRevealPurpose):
        segment_subject(family_book, "P3", DAY, id_number_purpose=" ")


def test_a_recorded_birth_date_needs_no_reveal() -> None:
    born = person("P1", birth_date=D(1990, 5, 1), id_number=IdCardNumber("11010519491231002X"))
    audit = RevealLog()
    subject = segment_subject(
        PartyBook(parties=[born]), "P1", DAY, id_number_purpose="age band", audit=audit
    )
    assert subject.birth_year == 1990
    assert audit.events == []


def test_the_callback_of_this_move_in_is_kept(family_book: PartyBook) -> None:
    called = segment_subject(family_book, "P4", DAY, callback_on=D(2026, 4, 20))
    assert called.callback_on == D(2026, 4, 20)
    stale = segment_subject(family_book, "P4", DAY, callback_on=D(2026, 3, 20))
    assert stale.callback_on is None
    assert segment_subject(family_book, "P2", DAY, callback_on=DAY).callback_on is None


def test_purchases_and_complaints_pass_through(family_book: PartyBook) -> None:
    bought = (ServicePurchase(D(2026, 10, 3), Money("80.00"), service="空调清洗"),)
    complaints = ComplaintRecord(complaints=[D(2026, 11, 2)])
    subject = segment_subject(family_book, "P1", DAY, purchases=bought, complaints=complaints)
    assert subject.purchases == bought
    assert subject.complaints is complaints


# -- payments: who was billed ---------------------------------------------------------------


def test_a_paying_tenant_carries_the_notices_of_the_lease(family_book: PartyBook) -> None:
    account = Account(
        "1-2-0302",
        events=[notice("1-2-0302", 2026, m, billed_party="P4") for m in range(4, 11)],
    )
    tenant = segment_subject(family_book, "P4", DAY, accounts={"1-2-0302": account})
    assert len(tenant.payments) == 7
    owner = segment_subject(family_book, "P3", DAY, accounts={"1-2-0302": account})
    assert owner.payments == ()


def test_a_sale_mid_month_splits_the_notices() -> None:
    book = PartyBook(parties=[person("P1"), person("P2", "李四")], units=[unit("1-2-0401")])
    book = owned(book, "1-2-0401", "P1").sell("1-2-0401", D(2026, 11, 16), "P2")
    nov = BillingPeriod.month(2026, 11)
    buyer_nov = attrs.evolve(
        notice("1-2-0401", 2026, 11, "125.12", billed_party="P2"),
        number=statement_number("SUNRISE", nov, "1-2-0401", first_day=D(2026, 11, 16)),
    )
    account = Account(
        "1-2-0401",
        events=[
            notice("1-2-0401", 2026, 10, billed_party="P1"),
            notice("1-2-0401", 2026, 11, "125.12", billed_party="P1"),
            buyer_nov,
            notice("1-2-0401", 2026, 12, billed_party="P2"),
        ],
    )
    accounts_by_unit = {"1-2-0401": account}
    seller = segment_subject(book, "P1", D(2027, 1, 31), accounts=accounts_by_unit)
    assert [f.statement_id for f in seller.payments] == [
        "SUNRISE/2026-10/1-2-0401",
        "SUNRISE/2026-11/1-2-0401",
    ]
    buyer = segment_subject(book, "P2", D(2027, 1, 31), accounts=accounts_by_unit)
    assert [f.statement_id for f in buyer.payments] == [
        "SUNRISE/2026-11/1-2-0401/F1116",
        "SUNRISE/2026-12/1-2-0401",
    ]
    # The seller no longer holds the flat, but its payment history is still its own.
    assert seller.property_rights == frozenset()


def test_a_notice_naming_nobody_belongs_to_the_payer_on_its_first_day() -> None:
    book = PartyBook(parties=[person("P1"), person("P2", "李四")], units=[unit("1-2-0401")])
    book = owned(book, "1-2-0401", "P1").sell("1-2-0401", D(2026, 11, 16), "P2")
    account = Account("1-2-0401", events=[notice("1-2-0401", 2026, m) for m in (10, 11, 12)])
    ids = {
        p: [
            f.statement_id
            for f in segment_subject(
                book, p, D(2027, 1, 31), accounts={"1-2-0401": account}
            ).payments
        ]
        for p in ("P1", "P2")
    }
    assert ids == {
        "P1": ["SUNRISE/2026-10/1-2-0401", "SUNRISE/2026-11/1-2-0401"],
        "P2": ["SUNRISE/2026-12/1-2-0401"],
    }


def test_the_account_names_the_billed_party_when_the_notice_does_not(
    family_book: PartyBook,
) -> None:
    tenant_billed = Account("1-2-0302", billed_party="P4", events=[notice("1-2-0302", 2026, 10)])
    subject = segment_subject(family_book, "P4", DAY, accounts={"1-2-0302": tenant_billed})
    assert [f.statement_id for f in subject.payments] == ["SUNRISE/2026-10/1-2-0302"]
    # Billed to the owner while the lease made the tenant pay: neither was both billed and
    # billable, so the notice is nobody's payment history.
    owner_billed = Account("1-2-0302", billed_party="P3", events=[notice("1-2-0302", 2026, 10)])
    for party_id in ("P3", "P4"):
        assert (
            segment_subject(
                family_book, party_id, DAY, accounts={"1-2-0302": owner_billed}
            ).payments
            == ()
        )


def test_an_account_keyed_by_another_unit_is_refused(family_book: PartyBook) -> None:
    account = Account("1-2-0302", events=[notice("1-2-0302", 2026, 10, billed_party="P1")])
    with pytest.raises(InvalidSegmentSubject, match="key each account by its own unit id"):
        segment_subject(family_book, "P1", DAY, accounts={"1-2-0301": account})
    # An account of a unit the party never owned or rented is not read at all.
    assert segment_subject(family_book, "P5", DAY, accounts={"1-2-0301": account}).payments == ()


def test_merged_parties_are_segmented_as_their_survivor(family_book: PartyBook) -> None:
    book = family_book.add_party(person("P9", "张三丰", mobile=MobileNumber("13812345678")))
    book = book.add_party(person("P8", "钱七"))
    book = owned(book.add_unit(unit("1-2-0501")), "1-2-0501", "P9")
    book = apply_merge(
        book,
        plan_merge(book, "P1", "P9"),
        at=pendulum.datetime(2026, 11, 20, 9, tz="Asia/Shanghai"),
        reference="dedup ticket 42",
    )
    account = Account("1-2-0501", events=[notice("1-2-0501", 2026, 10, billed_party="P9")])
    survivor = segment_subject(book, "P1", DAY, accounts={"1-2-0501": account})
    assert [f.statement_id for f in survivor.payments] == ["SUNRISE/2026-10/1-2-0501"]
    with pytest.raises(InvalidSegmentSubject, match="merged into P1; segment P1"):
        segment_subject(book, "P9", DAY)


# -- a scenario: Sunrise Garden on 1 December 2026 ------------------------------------------


def test_sunrise_garden_segments_with_their_reasons(family_book: PartyBook) -> None:
    """Zhang pays on time, Zhao the tenant pays late, Qian has just moved in, Li complains.

    Each month's notice is due on the 10th of the next (§2); on 1 December the last one due
    is October's.
    """
    book = family_book.add_party(person("P6", "钱七")).add_unit(unit("1-2-0401"))
    book = owned(book, "1-2-0401", "P2").sell("1-2-0401", D(2026, 11, 10), "P6")
    book = book.move_in("1-2-0401", D(2026, 11, 18), head="P6")
    zhang: list[AccountEvent] = []
    zhao: list[AccountEvent] = []
    for month in range(3, 11):
        paid = notice("1-2-0301", 2026, month, billed_party="P1")
        zhang += [paid, receipt(f"Z-{month}", "250.24", paid.due_on.subtract(days=3))]
    for month in range(4, 11):
        late = notice("1-2-0302", 2026, month, "188.00", billed_party="P4")
        # Odd months are paid 25 days late, with 14.10 of late fee (188.00 x 0.3 % x 25).
        days, amount = (25, "202.10") if month % 2 else (-2, "188.00")
        zhao += [late, receipt(f"T-{month}", amount, late.due_on.add(days=days))]
    books = {
        "1-2-0301": Account("1-2-0301", billed_party="P1", events=zhang),
        "1-2-0302": Account("1-2-0302", billed_party="P4", events=zhao),
    }
    complaints = {
        "P2": ComplaintRecord(
            complaints=[D(2026, 9, 20), D(2026, 10, 30), D(2026, 11, 27)],
            satisfaction=[SatisfactionScore(D(2026, 10, 8), 2)],
        )
    }
    subjects = [
        segment_subject(book, p, DAY, accounts=books, complaints=complaints.get(p))
        for p in ("P1", "P2", "P4", "P6")
    ]
    segments = ready_segments()
    result = evaluate_portfolio(segments, subjects, DAY)
    assert {code: result.members(code) for code in segments} == {
        "chronic-late-payer": ("P4",),
        "reliable-payer": ("P1",),
        "high-value-commercial-tenant": (),
        "new-resident-callback": ("P6",),
        "frequent-complainer": ("P2",),
        "at-risk": ("P2",),
    }
    late = result.explanations["P4"]["chronic-late-payer"]
    assert late.render("en_US") == (
        "✓ chronic late payer\n  ✓ late notices ≥ 3: 3 of 7 notices late"
    )
    assert late.render() == "✓ 长期欠费拖欠户\n  ✓ 逾期通知单数 ≥ 3：7张通知单中3张逾期"
    newcomer = result.explanations["P6"]["reliable-payer"]
    assert newcomer.outcome is Outcome.INSUFFICIENT_HISTORY
    assert newcomer.render("en_US") == (
        "? reliable payer\n"
        "  ? on-time ratio ≥ 0.9: insufficient history: 0 notices assessed, 3 needed\n"
        "  ? arrears ≤ CN¥0.00: insufficient history: no notice has fallen due"
    )
    assert newcomer.render() == (
        "? 按时缴费户\n"
        "  ? 按时缴费率 ≥ 0.9：历史不足：已评估0张通知单，需要3张\n"
        "  ? 欠费 ≤ ¥0.00：历史不足：尚无到期的通知单"
    )
    assert result.outcomes("new-resident-callback")["P6"] is Outcome.MATCH
