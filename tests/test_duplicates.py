"""Tests for parties._duplicates: candidate pairs and merges as plans, never losing data."""

from __future__ import annotations

import itertools

import pendulum
import pytest
from hypothesis import given, settings

from propcrm._property_types import PropertyType
from propcrm.errors import InvalidPolicy, MergeRefused
from propcrm.parties import (
    AgencyContact,
    BookOperation,
    FieldSource,
    MatchReason,
    MergeRecord,
    Organisation,
    OrganisationKind,
    PartyBook,
    Person,
    Unit,
    apply_merge,
    find_duplicates,
    plan_merge,
)
from propcrm.personal_data import (
    CreditCode,
    IdCardNumber,
    MobileNumber,
    PersonName,
    VehiclePlate,
)
from propcrm.testing._parties_strategies import party_books

D = pendulum.date
FLAT = "1-2-0301"
KEY = b"sunrise-dedup-key-2026"
AT = pendulum.datetime(2026, 11, 24, 9, tz="Asia/Shanghai")


def unit(unit_id: str = FLAT) -> Unit:
    return Unit(
        unit_id=unit_id,
        community="SUNRISE",
        building="1",
        entrance="2",
        floor=3,
        number=unit_id[-4:],
        property_type=PropertyType.RESIDENTIAL,
        building_area="89.37",
    )


def book_with(*people: Person | Organisation) -> PartyBook:
    return PartyBook(parties=people, units=[unit(), unit("1-2-0302")])


def zhang(pid: str, **kw: object) -> Person:
    return Person(party_id=pid, name=PersonName("张三丰"), **kw)  # type: ignore[arg-type]


# -- finding ----------------------------------------------------------------------------------


def test_same_mobile_written_differently_is_found() -> None:
    book = book_with(
        zhang("P1", mobile=MobileNumber("13812345678")),
        Person(party_id="P2", name=PersonName("李四"), mobile=MobileNumber("+86 138-1234-5678")),
        Person(party_id="P3", name=PersonName("王五"), mobile=MobileNumber("13912345678")),
    )
    (candidate,) = find_duplicates(book, key=KEY)
    assert (candidate.first, candidate.second) == ("P1", "P2")
    assert candidate.reasons == {MatchReason.SAME_MOBILE}
    assert candidate.matches[0].describe("en_US") == "same mobile number 138****5678"
    assert candidate.matches[0].describe() == "手机号相同：138****5678"


def test_same_id_number_is_found_through_a_keyed_hash_only() -> None:
    book = book_with(
        zhang("P1", id_number=IdCardNumber("11010519491231002X")),
        Person(
            party_id="P2", name=PersonName("张三"), id_number=IdCardNumber("11010519491231002x")
        ),
    )
    (candidate,) = find_duplicates(book, key=KEY)
    (match,) = candidate.matches
    assert match.reason is MatchReason.SAME_ID_NUMBER
    assert "11010519491231002X" not in match.evidence
    assert match.evidence == IdCardNumber("11010519491231002X").fingerprint(KEY)[:12]
    assert find_duplicates(book, key=b"another-key-of-16-bytes")[0].matches[0].evidence != (
        match.evidence
    )
    with pytest.raises(InvalidPolicy):
        find_duplicates(book, key=b"short")


def test_same_name_and_unit_is_found_and_all_reasons_are_listed() -> None:
    book = (
        book_with(
            zhang("P1", mobile=MobileNumber("13812345678")),
            zhang("P2", mobile=MobileNumber("13812345678")),
            zhang("P3"),
        )
        .sell(FLAT, D(2025, 6, 1), {"P1": "0.5", "P2": "0.5"})
        .sell("1-2-0302", D(2025, 6, 1), "P3")
    )
    candidates = find_duplicates(book, key=KEY)
    assert [(c.first, c.second) for c in candidates] == [("P1", "P2")]
    assert [m.reason for m in candidates[0].matches] == [
        MatchReason.SAME_MOBILE,
        MatchReason.SAME_NAME_AND_UNIT,
    ]
    assert candidates[0].matches[1].evidence == "张*丰 @ 1-2-0301"


def test_organisations_with_one_credit_code_are_found() -> None:
    code = CreditCode("91110000600037341L")
    book = book_with(
        Organisation(
            party_id="O1", kind=OrganisationKind.MERCHANT, name="阳光便利店", credit_code=code
        ),
        Organisation(
            party_id="O2", kind=OrganisationKind.MERCHANT, name="阳光超市", credit_code=code
        ),
    )
    (candidate,) = find_duplicates(book, key=KEY)
    assert candidate.reasons == {MatchReason.SAME_CREDIT_CODE}


def test_merged_parties_are_not_candidates_again() -> None:
    book = book_with(
        zhang("P1", mobile=MobileNumber("13812345678")),
        zhang("P2", mobile=MobileNumber("13812345678")),
    )
    merged = apply_merge(book, plan_merge(book, "P1", "P2"), at=AT, reference="T-1")
    assert find_duplicates(merged, key=KEY) == ()


# -- plans ------------------------------------------------------------------------------------


def test_the_survivors_values_win_and_empty_ones_are_filled_from_the_duplicate() -> None:
    book = book_with(
        zhang("P1", mobile=MobileNumber("13812345678"), plates=(VehiclePlate("京A12345"),)),
        zhang(
            "P2",
            mobile=MobileNumber("13912345678"),
            id_number=IdCardNumber("11010519491231002X"),
            plates=(VehiclePlate("京B54321"),),
        ),
    )
    plan = plan_merge(book, "P1", "P2")
    sources = {f.field: (f.source, f.conflict) for f in plan.fields}
    assert sources["name"] == (FieldSource.SURVIVOR, False)
    assert sources["mobile"] == (FieldSource.SURVIVOR, True)
    assert sources["id_number"] == (FieldSource.DUPLICATE, False)
    assert sources["plates"] == (FieldSource.BOTH, False)
    assert [f.field for f in plan.field_conflicts] == ["mobile"]
    assert not plan.blocked
    merged = apply_merge(book, plan, at=AT, reference="T-1")
    survivor = merged.person("P1")
    assert survivor.mobile == MobileNumber("13812345678")
    assert survivor.id_number == IdCardNumber("11010519491231002X")
    assert set(survivor.plates) == {VehiclePlate("京A12345"), VehiclePlate("京B54321")}
    duplicate = merged.person("P2")
    assert duplicate.merged_into == "P1"
    assert duplicate.mobile == MobileNumber("13912345678")  # kept on its own record


def test_the_caller_may_prefer_the_duplicates_value() -> None:
    book = book_with(
        zhang("P1", mobile=MobileNumber("13812345678")),
        zhang("P2", mobile=MobileNumber("13912345678")),
    )
    plan = plan_merge(book, "P1", "P2", prefer={"mobile": FieldSource.DUPLICATE})
    merged = apply_merge(book, plan, at=AT, reference="T-1")
    assert merged.person("P1").mobile == MobileNumber("13912345678")
    sparse = book_with(zhang("P1"), zhang("P2", mobile=MobileNumber("13912345678")))
    with pytest.raises(MergeRefused, match="would drop the other's value"):
        plan_merge(sparse, "P1", "P2", prefer={"mobile": FieldSource.SURVIVOR})
    with pytest.raises(MergeRefused, match="no field plate"):
        plan_merge(book, "P1", "P2", prefer={"plate": FieldSource.SURVIVOR})
    with pytest.raises(MergeRefused, match="takes one value"):
        plan_merge(book, "P1", "P2", prefer={"mobile": FieldSource.BOTH})


def test_relations_move_to_the_survivor_with_their_ids() -> None:
    book = (
        book_with(zhang("P1"), zhang("P2"))
        .sell(FLAT, D(2025, 6, 1), "P1")
        .sell("1-2-0302", D(2025, 6, 1), "P2")
        .hand_over("1-2-0302", D(2026, 3, 1))
        .move_in("1-2-0302", D(2026, 3, 1), head="P2")
    )
    plan = plan_merge(book, "P1", "P2")
    moving = {r.relation_id for r in book.relations_of("P2")}
    assert set(plan.moving) == moving
    merged = apply_merge(book, plan, at=AT, reference="T-7")
    assert {r.relation_id for r in merged.relations_of("P1")} >= moving
    assert merged.relations_of("P2") == ()
    assert merged.units_of("P1", D(2026, 4, 1)) == (FLAT, "1-2-0302")
    entry = merged.journal[-1]
    assert entry.operation is BookOperation.MERGE
    assert set(entry.moved) == moving
    assert isinstance(entry.detail, MergeRecord)
    assert "merged P2 into P1 (T-7); 2 relations moved" in entry.detail.describe("en_US")
    assert "已将 P2 合并到 P1（T-7）；迁移 2 条关系" in entry.detail.describe()
    assert merged.history(next(iter(moving)))[-1] is entry


def test_relation_conflicts_block_a_merge_until_resolved() -> None:
    book = book_with(zhang("P1"), zhang("P2")).sell(FLAT, D(2025, 6, 1), {"P1": "0.5", "P2": "0.5"})
    plan = plan_merge(book, "P1", "P2")
    assert plan.blocked
    assert "a party holds one relation of a kind" in plan.conflicts[0].message
    assert "blocking:" in plan.describe("en_US")
    assert (
        "  阻止合并：R000001 与 R000002 在 2025-06-01 同时有效，"
        "但同一客户对同一对象同一时间只能有一项同类关系（1-2-0301）。"
    ) in plan.describe().splitlines()
    with pytest.raises(MergeRefused, match="is blocked"):
        apply_merge(book, plan, at=AT, reference="T-2")
    # Overlapping history cannot be ended away; a data steward corrects the records (here: one
    # owner of the whole flat), builds the corrected book, and the merge goes through.
    corrected = book_with(zhang("P1"), zhang("P2")).sell(FLAT, D(2025, 6, 1), "P1")
    later = plan_merge(corrected, "P1", "P2")
    assert not later.blocked
    assert apply_merge(corrected, later, at=AT, reference="T-2").person("P2").merged_into == "P1"


def test_a_stale_plan_is_refused() -> None:
    book = book_with(zhang("P1"), zhang("P2"))
    plan = plan_merge(book, "P1", "P2")
    changed = book.sell(FLAT, D(2025, 6, 1), "P2")
    with pytest.raises(MergeRefused, match="no longer matches"):
        apply_merge(changed, plan, at=AT, reference="T-3")
    with pytest.raises(MergeRefused, match="needs a reference"):
        apply_merge(book, plan, at=AT, reference=" ")


def test_wrong_pairs_are_refused() -> None:
    org = Organisation(party_id="O1", kind=OrganisationKind.ENTERPRISE, name="阳光科技")
    book = book_with(zhang("P1"), zhang("P2"), org)
    with pytest.raises(MergeRefused, match="with itself"):
        plan_merge(book, "P1", "P1")
    with pytest.raises(MergeRefused, match="only parties of one kind"):
        plan_merge(book, "P1", "O1")
    merged = apply_merge(book, plan_merge(book, "P1", "P2"), at=AT, reference="T")
    with pytest.raises(MergeRefused, match="merged into P1 already"):
        plan_merge(merged, "P2", "P1")


def test_organisation_merges_move_the_relations_that_name_them() -> None:
    a = Organisation(party_id="GOV1", kind=OrganisationKind.GOVERNMENT_AGENCY, name="街道办")
    b = Organisation(party_id="GOV2", kind=OrganisationKind.GOVERNMENT_AGENCY, name="街道办事处")
    contact = AgencyContact(
        relation_id="R1", party_id="P1", organisation_id="GOV2", post="网格员", start=D(2026, 1, 1)
    )
    book = book_with(zhang("P1"), a, b).add_relation(contact)
    plan = plan_merge(book, "GOV1", "GOV2")
    assert plan.moving == ("R1",)
    merged = apply_merge(book, plan, at=AT, reference="T-9")
    assert merged.relations_to("GOV1")[0].relation_id == "R1"
    assert merged.relations_to("GOV2") == ()
    assert merged.party("GOV2").merged_into == "GOV1"


# -- the property -----------------------------------------------------------------------------


def _check_merge_keeps_every_relation(book: PartyBook, survivor: str, duplicate: str) -> bool:
    plan = plan_merge(book, survivor, duplicate)
    if plan.blocked:
        with pytest.raises(MergeRefused):
            apply_merge(book, plan, at=AT, reference="property")
        return False
    before = {r.relation_id: r for r in book.relations}
    merged = apply_merge(book, plan, at=AT, reference="property")
    after = {r.relation_id: r for r in merged.relations}
    assert after.keys() == before.keys()
    for rid, old in before.items():
        new = after[rid]
        expected = survivor if old.party_id == duplicate else old.party_id
        assert new.party_id == expected
        assert (new.start, new.until, new.target) == (old.start, old.until, old.target)
    assert len(merged.parties) == len(book.parties)
    assert merged.conflicts() == ()
    return True


@settings(max_examples=40)
@given(party_books(max_parties=4, max_steps=12))
def test_a_merge_never_loses_a_relation(book: PartyBook) -> None:
    ids = [p.party_id for p in book.parties]
    for survivor, duplicate in itertools.permutations(ids, 2):
        _check_merge_keeps_every_relation(book, survivor, duplicate)
