"""Party scenarios that read like the domain brief (§1 Parties).

The SUNRISE community (阳光花园): flats 1-2-0301 and 1-2-0302, shop S-101. One person can hold
several roles at once (an owner of one unit and the tenant of another), roles change over time
(move-in, sale, lease end), and the customer records keep that history. Billing asks who is
billable for a unit on a date; here it bills the answer.
"""

from __future__ import annotations

from decimal import Decimal

import pendulum
import pytest
from tests.billing_fixtures import COMMUNITY, sample_tariff

from propcrm._property_types import PropertyType
from propcrm.billing import (
    BillableSpan,
    issue_statement,
)
from propcrm.errors import OverlappingRelations, OwnershipGap
from propcrm.parties import (
    Merchant,
    Organisation,
    OrganisationKind,
    PartyBook,
    PayerReason,
    Person,
    RelationKind,
    TenantRole,
    Unit,
    UnitStatusCode,
)
from propcrm.personal_data import (
    CreditCode,
    MobileNumber,
    PersonName,
)
from propcrm.time import BillingPeriod

D = pendulum.date
NOV = BillingPeriod.month(2026, 11)


def unit(unit_id: str, ptype: PropertyType = PropertyType.RESIDENTIAL, area: str = "89.37") -> Unit:
    building, _, number = unit_id.partition("-")
    return Unit(
        unit_id=unit_id,
        community=COMMUNITY,
        building=building,
        entrance=None if ptype is PropertyType.COMMERCIAL else "2",
        floor=1 if ptype is PropertyType.COMMERCIAL else 3,
        number=number,
        property_type=ptype,
        building_area=area,
    )


def sunrise() -> PartyBook:
    """Zhang (P1) and Li (P2) own 1-2-0301 jointly, 60/40; Wang (P3) owns 1-2-0302; all handed
    over on 1 March 2026. Zhao (P4) is a shopkeeper; the convenience store owns shop S-101.
    """
    people = [
        Person(party_id="P1", name=PersonName("张三丰"), mobile=MobileNumber("13812345678")),
        Person(party_id="P2", name=PersonName("李四"), mobile=MobileNumber("13912345678")),
        Person(party_id="P3", name=PersonName("王五"), mobile=MobileNumber("13712345678")),
        Person(party_id="P4", name=PersonName("赵六"), mobile=MobileNumber("13612345678")),
        Person(party_id="P5", name=PersonName("钱七"), mobile=MobileNumber("13512345678")),
    ]
    store = Organisation(
        party_id="O1",
        kind=OrganisationKind.MERCHANT,
        name="阳光便利店",
        credit_code=CreditCode("91110000600037341L"),
    )
    return (
        PartyBook(
            parties=[*people, store],
            units=[
                unit("1-2-0301"),
                unit("1-2-0302"),
                unit("S-101", PropertyType.COMMERCIAL, "120.00"),
            ],
        )
        .sell("1-2-0301", D(2025, 6, 1), {"P1": "0.6", "P2": "0.4"}, reference="网签-0301")
        .sell("1-2-0302", D(2025, 6, 1), "P3", reference="网签-0302")
        .sell("S-101", D(2025, 6, 1), "O1", reference="网签-S101")
        .hand_over("1-2-0301", D(2026, 3, 1))
        .hand_over("1-2-0302", D(2026, 3, 1))
        .hand_over("S-101", D(2026, 3, 1))
    )


def test_joint_owners_60_40_and_who_pays() -> None:
    """Zhang and Li bought 1-2-0301 together, 60 % and 40 %. Their shares make the whole flat;
    Zhang, with the larger share, receives the fee notice unless they designate Li.
    """
    book = sunrise()
    owners = book.owners("1-2-0301", D(2026, 11, 1))
    assert {o.party_id: o.share for o in owners} == {"P1": Decimal("0.6"), "P2": Decimal("0.4")}
    assert sum(o.share for o in owners) == 1
    payer = book.payer("1-2-0301", D(2026, 11, 1))
    assert payer is not None
    assert (payer.party_id, payer.reason) == ("P1", PayerReason.LARGEST_SHARE)
    with pytest.raises(OwnershipGap):
        book.end_relation(owners[1].relation_id, D(2026, 12, 1))  # 40 % nobody owns


def test_an_owner_who_is_also_a_tenant_elsewhere() -> None:
    """Zhang owns 60 % of 1-2-0301 and rents 1-2-0302 from Wang for a year from April, paying
    the management fee himself under the lease. He holds both roles at once, and Wang, not
    Zhang, is still the owner of 1-2-0302.
    """
    book = (
        sunrise()
        .start_lease(
            "1-2-0302",
            D(2026, 4, 1),
            lead="P1",
            end=D(2027, 4, 1),
            co_tenants=["P5"],
            paying_tenant="P1",
            lease_id="HT-0302",
        )
        .move_in("1-2-0302", D(2026, 4, 1), head="P1", members={"P5": "配偶"})
    )
    roles = {r.kind for r in book.relations_of("P1", D(2026, 11, 1))}
    assert roles == {RelationKind.OWNER, RelationKind.TENANT, RelationKind.RESIDENT}
    assert book.units_of("P1", D(2026, 11, 1)) == ("1-2-0301", "1-2-0302")
    assert book.units_of("P1", D(2026, 11, 1), [RelationKind.OWNER]) == ("1-2-0301",)
    assert [o.party_id for o in book.owners("1-2-0302", D(2026, 11, 1))] == ["P3"]
    lease = book.lease("HT-0302")
    assert [(t.party_id, t.role) for t in lease] == [
        ("P1", TenantRole.LEAD),
        ("P5", TenantRole.CO_TENANT),
    ]
    payer = book.payer("1-2-0302", D(2026, 11, 1))
    assert payer is not None
    assert (payer.party_id, payer.reason) == ("P1", PayerReason.PAYING_TENANT)
    assert book.unit_status("1-2-0302", D(2026, 11, 1)).code is UnitStatusCode.OCCUPIED


def test_a_sale_mid_month_bills_seller_and_buyer_for_their_own_days() -> None:
    """Wang sells 1-2-0302 to Qian on 16 November 2026. Wang owns it until the 16th, Qian from
    the 16th; November's notices go to Wang for 1–15 and to Qian for 16–30, so no day is billed
    twice and none is missed.
    """
    book = sunrise().sell("1-2-0302", D(2026, 11, 16), "P5", reference="网签-2026-1116")
    spans = book.payer_spans("1-2-0302", NOV.start, NOV.end.add(days=1))
    assert [(s.party_id, s.start, s.until) for s in spans] == [
        ("P3", D(2026, 11, 1), D(2026, 11, 16)),
        ("P5", D(2026, 11, 16), D(2026, 12, 1)),
    ]
    notices = [
        issue_statement(
            community=COMMUNITY,
            unit=book.unit("1-2-0302"),
            period=NOV,
            tariff=sample_tariff(),
            span=BillableSpan(s.start, s.until),
            billed_party=s.party_id,
        )
        for s in spans
    ]
    whole = issue_statement(
        community=COMMUNITY, unit=book.unit("1-2-0302"), period=NOV, tariff=sample_tariff()
    )
    assert [n.billed_party for n in notices] == ["P3", "P5"]
    assert sum((n.total for n in notices), whole.total * 0) == whole.total
    assert book.unit("1-2-0302").status(D(2026, 11, 16)).last_sale is not None


def test_a_sale_does_not_break_the_lease() -> None:
    """买卖不破租赁: Wang sells 1-2-0302 while Zhang rents it; the lease runs on, and Zhang still
    pays under it.
    """
    book = (
        sunrise()
        .start_lease("1-2-0302", D(2026, 4, 1), lead="P1", end=D(2027, 4, 1), paying_tenant="P1")
        .sell("1-2-0302", D(2026, 11, 16), "P5")
    )
    assert [t.party_id for t in book.tenants("1-2-0302", D(2026, 12, 1))] == ["P1"]
    payer = book.payer("1-2-0302", D(2026, 12, 1))
    assert payer is not None
    assert payer.party_id == "P1"
    after = book.payer("1-2-0302", D(2027, 4, 1))
    assert after is not None
    assert after.party_id == "P5"


def test_a_lease_end_returns_the_fee_to_the_owner_and_keeps_the_history() -> None:
    """Zhang's lease of 1-2-0302 ends early, on 1 December. Zhang's household moves out the
    same day, the flat stands empty, and from that day Wang pays again. The lease, with its
    agreed end of 1 April 2027, stays on record.
    """
    book = (
        sunrise()
        .start_lease(
            "1-2-0302",
            D(2026, 4, 1),
            lead="P1",
            end=D(2027, 4, 1),
            co_tenants=["P5"],
            paying_tenant="P1",
            lease_id="HT-0302",
        )
        .move_in("1-2-0302", D(2026, 4, 1), head="P1", members={"P5": "配偶"})
        .end_lease("HT-0302", D(2026, 12, 1), reference="提前解约协议")
    )
    assert book.occupants("1-2-0302", D(2026, 12, 1)) == ()
    assert book.unit_status("1-2-0302", D(2026, 12, 1)).code is UnitStatusCode.VACANT
    spans = book.payer_spans("1-2-0302", D(2026, 11, 1), D(2027, 1, 1))
    assert [(s.party_id, s.reason) for s in spans] == [
        ("P1", PayerReason.PAYING_TENANT),
        ("P3", PayerReason.SOLE_OWNER),
    ]
    lead, co = book.lease("HT-0302")
    assert (lead.until, lead.planned_until) == (D(2026, 12, 1), D(2027, 4, 1))
    assert co.until == D(2026, 12, 1)
    assert book.units_of("P1", D(2026, 12, 1)) == ("1-2-0301",)
    assert len(book.relations_of("P1")) == 3  # owner, tenant, resident: none deleted


def test_a_merchant_runs_the_shop_and_one_merchant_at_a_time() -> None:
    """The convenience store (a merchant's business) owns shop S-101 and runs its shop there
    under its business licence; a second merchant in the same shop at the same time is refused.
    """
    store = Merchant(
        relation_id="M1",
        party_id="O1",
        unit_id="S-101",
        start=D(2026, 3, 15),
        shop_name="阳光便利店",
        business_licence=CreditCode("91110000600037341L"),
    )
    book = sunrise().add_relation(store)
    assert book.merchants("S-101", D(2026, 4, 1)) == (store,)
    assert book.occupants("S-101", D(2026, 4, 1)) == ("O1",)
    assert "91110000600037341L" not in repr(store)
    rival = Merchant(
        relation_id="M2", party_id="P4", unit_id="S-101", start=D(2026, 6, 1), shop_name="赵记"
    )
    with pytest.raises(OverlappingRelations, match="one merchant in a shop"):
        book.add_relation(rival)


def test_the_history_of_a_flat_reads_like_its_file() -> None:
    """Every change to 1-2-0302 is in the journal, in order, with its reference."""
    book = (
        sunrise()
        .move_in("1-2-0302", D(2026, 3, 20), head="P3")
        .move_out("1-2-0302", D(2026, 10, 1))
        .sell("1-2-0302", D(2026, 11, 16), "P5", reference="网签-2026-1116")
    )
    assert [(e.operation.value, e.on, e.reference) for e in book.history("1-2-0302")] == [
        ("sale", D(2025, 6, 1), "网签-0302"),
        ("handover", D(2026, 3, 1), ""),
        ("move_in", D(2026, 3, 20), ""),
        ("move_out", D(2026, 10, 1), ""),
        ("sale", D(2026, 11, 16), "网签-2026-1116"),
    ]
