"""Tests for propcrm.care: move-in callbacks, regular visits, quarterly surveys (§4).

The SUNRISE community (阳光花园): flats 1-2-0301, 1-2-0302 and 1-2-0303, office 2-1-0101 and
shop S-101, all handed over on 1 March 2026.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._property_types import PropertyType
from propcrm.analytics import (
    DEFAULT_CALLBACK_MONTHS,
    ComplaintHistory,
    ComplaintRecord,
    SatisfactionScore,
    SurveyPolicy,
    SurveyRound,
    quarterly,
)
from propcrm.analytics._behaviour import DEFAULT_COMPLAINT_WINDOW_MONTHS
from propcrm.care import (
    DEFAULT_CARE_POLICY,
    CareKey,
    CareKind,
    CarePolicy,
    CareTask,
    SampledParty,
    SampleReason,
    VisitPlan,
    VisitPriority,
    callback_response,
    customers_on,
    move_in_callbacks,
    plan_visits,
    survey_round_for,
    survey_rounds,
    survey_sample,
)
from propcrm.care._policy import (
    DEFAULT_COMPLAINT_LOOKBACK_MONTHS,
    DEFAULT_DISSATISFIED_UP_TO,
    DEFAULT_MOVE_IN_KINDS,
    DEFAULT_VISIT_CADENCE_MONTHS,
)
from propcrm.errors import (
    InvalidBehaviourFact,
    InvalidCarePlan,
    InvalidPeriod,
    InvalidSurveyResponse,
    NaiveDatetime,
    RequestError,
    UnsupportedLocale,
)
from propcrm.parties import (
    ErasureMark,
    HouseholdRole,
    Merchant,
    Organisation,
    OrganisationKind,
    Owner,
    PartyBook,
    Person,
    Relation,
    RelationKind,
    Resident,
    Tenant,
    TenantRole,
    Unit,
)
from propcrm.personal_data import PersonName
from propcrm.testing.strategies import party_books
from propcrm.time import (
    BillingPeriod,
    PeriodKind,
)

D = pendulum.date
SHANGHAI = "Asia/Shanghai"
HANDOVER = D(2026, 3, 1)


def unit(unit_id: str, ptype: PropertyType = PropertyType.RESIDENTIAL) -> Unit:
    building, _, number = unit_id.partition("-")
    return Unit(
        unit_id=unit_id,
        community="SUNRISE",
        building=building,
        entrance=None if ptype is PropertyType.COMMERCIAL else "1",
        floor=1,
        number=number,
        property_type=ptype,
        building_area="89.37",
    )


def sunrise() -> PartyBook:
    """Owners: P1 (0301), P2 (0302), P3 (0303 and the office), O2 (the shop); all handed over
    on 1 March 2026."""
    people = [
        Person(party_id=p, name=PersonName(n))
        for p, n in [
            ("P1", "张三丰"),
            ("P2", "李四"),
            ("P3", "王五"),
            ("P4", "赵六"),
            ("P5", "钱七"),
            ("P6", "孙八"),
            ("P7", "周九"),
        ]
    ]
    orgs = [
        Organisation(party_id="O1", kind=OrganisationKind.MERCHANT, name="阳光便利店"),
        Organisation(party_id="O2", kind=OrganisationKind.ENTERPRISE, name="阳光置业"),
    ]
    book = PartyBook(
        parties=[*people, *orgs],
        units=[
            unit("1-2-0301"),
            unit("1-2-0302"),
            unit("1-2-0303"),
            unit("2-1-0101", PropertyType.OFFICE),
            unit("S-101", PropertyType.COMMERCIAL),
        ],
    )
    for unit_id, owner in [
        ("1-2-0301", "P1"),
        ("1-2-0302", "P2"),
        ("1-2-0303", "P3"),
        ("2-1-0101", "P3"),
        ("S-101", "O2"),
    ]:
        book = book.sell(unit_id, D(2025, 6, 1), owner).hand_over(unit_id, HANDOVER)
    return book


def keys(tasks: tuple[CareTask, ...]) -> list[tuple[str, str, pendulum.Date]]:
    return [(t.party_id, t.unit_id, t.reason.moved_in) for t in tasks]


# -- policy -----------------------------------------------------------------------------------


def test_default_policy_takes_the_brief_numbers_and_names_the_others() -> None:
    assert DEFAULT_CALLBACK_MONTHS == 1  # §4: within one month of move-in
    assert DEFAULT_COMPLAINT_LOOKBACK_MONTHS == DEFAULT_COMPLAINT_WINDOW_MONTHS == 3
    assert DEFAULT_VISIT_CADENCE_MONTHS == 6
    assert DEFAULT_DISSATISFIED_UP_TO == 2
    moving_in = {RelationKind.RESIDENT, RelationKind.TENANT, RelationKind.MERCHANT}
    assert moving_in == DEFAULT_MOVE_IN_KINDS
    assert CarePolicy() == DEFAULT_CARE_POLICY
    assert DEFAULT_CARE_POLICY.survey_vacant_units is True


@pytest.mark.parametrize(
    "field", ["callback_months", "complaint_lookback_months", "visit_cadence_months"]
)
@pytest.mark.parametrize("value", [0, -1, 121, True, "1", 1.0])
def test_policy_months_must_be_a_whole_number_from_1_to_120(field: str, value: object) -> None:
    with pytest.raises(InvalidCarePlan, match=f"{field} .* must be an int from 1 to 120"):
        CarePolicy(**{field: value})  # type: ignore[arg-type]  # wrong types on purpose


@pytest.mark.parametrize(
    "kinds",
    [frozenset(), {RelationKind.OWNER}, {RelationKind.VISITOR, RelationKind.RESIDENT}],
)
def test_policy_move_in_kinds_are_residents_tenants_or_merchants(kinds: set[RelationKind]) -> None:
    with pytest.raises(InvalidCarePlan, match="must be one or more of merchant, resident, tenant"):
        CarePolicy(move_in_kinds=kinds)


def test_policy_accepts_one_kind_alone() -> None:
    assert CarePolicy(move_in_kinds=RelationKind.TENANT).move_in_kinds == {RelationKind.TENANT}  # type: ignore[arg-type]  # one kind is converted on purpose


@pytest.mark.parametrize("value", [-1, 5, True])
def test_policy_dissatisfied_threshold_lies_on_the_scale(value: int) -> None:
    with pytest.raises(InvalidCarePlan, match="dissatisfied_up_to"):
        CarePolicy(dissatisfied_up_to=value)


def test_care_errors_are_request_errors_and_value_errors() -> None:
    assert issubclass(InvalidCarePlan, RequestError)
    assert issubclass(InvalidCarePlan, ValueError)


def test_callback_due_clamps_to_the_end_of_a_shorter_month() -> None:
    assert DEFAULT_CARE_POLICY.callback_due(D(2026, 1, 31)) == D(2026, 2, 28)
    assert DEFAULT_CARE_POLICY.callback_due(D(2028, 1, 31)) == D(2028, 2, 29)
    assert CarePolicy(callback_months=2).callback_due(D(2026, 11, 3)) == D(2027, 1, 3)


# -- care keys --------------------------------------------------------------------------------


def test_care_key_has_a_stable_code_and_refuses_bad_ids() -> None:
    key = CareKey(CareKind.MOVE_IN_CALLBACK, "P1", "1-2-0301", D(2026, 11, 3))
    assert key.code == "move_in_callback/P1/1-2-0301/2026-11-03"
    assert key == CareKey(CareKind.MOVE_IN_CALLBACK, "P1", "1-2-0301", datetime.date(2026, 11, 3))
    with pytest.raises(InvalidCarePlan, match="party id 'P 1' must be non-empty text"):
        CareKey(CareKind.MOVE_IN_CALLBACK, "P 1", "1-2-0301", D(2026, 11, 3))
    assert CareKind.MOVE_IN_CALLBACK.label() == "入住回访"
    assert CareKind.REGULAR_VISIT.label() == "定期走访"
    assert CareKind.MOVE_IN_CALLBACK.label("en_US") == "move-in callback"
    assert CareKind.REGULAR_VISIT.label("en-US") == "regular visit"


# -- move-in callbacks: scenarios -------------------------------------------------------------


def test_a_family_moving_in_on_3_november_is_called_back_by_3_december() -> None:
    book = sunrise().move_in("1-2-0301", D(2026, 11, 3), head="P1", members={"P4": "配偶"})
    (task,) = move_in_callbacks(book, as_of=D(2026, 11, 20))
    assert (task.kind, task.party_id, task.unit_id) == (
        CareKind.MOVE_IN_CALLBACK,
        "P1",
        "1-2-0301",
    )
    assert task.due_by == D(2026, 12, 3)
    assert not task.overdue
    assert task.days_left == 13
    assert task.reason.moved_in == D(2026, 11, 3)
    assert task.reason.household == ("P4",)
    assert [r.kind for r in task.reason.relations] == [RelationKind.RESIDENT]
    assert "§4" in task.reason.rule()
    assert "§4" in task.reason.rule("en_US")
    assert task.describe() == (
        "入住回访 P1 1-2-0301：应于2026年12月3日前完成（2026年11月3日以户主身份与P4一同入住；"
        "1个月内回访）"
    )
    assert task.describe("en_US") == (
        "move-in callback P1 1-2-0301: due by Dec 3, 2026 (moved in on Nov 3, 2026 as household "
        "head with P4; callback within 1 month)"
    )


def test_the_callback_is_on_time_on_its_due_day_and_overdue_the_day_after() -> None:
    book = sunrise().move_in("1-2-0301", D(2026, 11, 3), head="P1")
    (on_the_day,) = move_in_callbacks(book, as_of=D(2026, 12, 3))
    (late,) = move_in_callbacks(book, as_of=D(2026, 12, 4))
    assert (on_the_day.overdue, on_the_day.days_left) == (False, 0)
    assert (late.overdue, late.days_left) == (True, -1)
    assert late.describe().startswith("入住回访 P1 1-2-0301：已逾期，应于2026年12月3日前完成")
    assert late.describe("en_US").startswith("move-in callback P1 1-2-0301: OVERDUE by Dec 3, 2026")


def test_a_callback_made_is_no_longer_open() -> None:
    book = sunrise().move_in("1-2-0301", D(2026, 11, 3), head="P1")
    (task,) = move_in_callbacks(book, as_of=D(2026, 11, 20))
    assert move_in_callbacks(book, as_of=D(2026, 12, 20), done=[task.key]) == ()


def test_a_move_in_that_has_not_happened_yet_is_not_listed() -> None:
    book = sunrise().move_in("1-2-0301", D(2026, 11, 3), head="P1")
    assert move_in_callbacks(book, as_of=D(2026, 11, 2)) == ()
    assert len(move_in_callbacks(book, as_of=D(2026, 11, 3))) == 1


def test_a_move_in_on_31_january_is_due_by_the_end_of_february() -> None:
    book = sunrise().move_in("1-2-0301", D(2027, 1, 31), head="P1")
    (task,) = move_in_callbacks(book, as_of=D(2027, 2, 1))
    assert task.due_by == D(2027, 2, 28)


def test_a_tenant_who_leases_and_then_moves_in_is_one_new_customer() -> None:
    book = (
        sunrise()
        .start_lease("1-2-0302", D(2026, 11, 1), lead="P5", co_tenants=["P6"], end=D(2027, 11, 1))
        .move_in("1-2-0302", D(2026, 11, 5), head="P5", members=["P6"])
    )
    (task,) = move_in_callbacks(book, as_of=D(2026, 11, 20))
    assert (task.party_id, task.reason.moved_in, task.due_by) == (
        "P5",
        D(2026, 11, 1),
        D(2026, 12, 1),
    )
    assert task.reason.household == ("P6",)  # the co-tenant arrived the same day
    (lease,) = task.reason.relations
    assert isinstance(lease, Tenant)
    assert lease.role is TenantRole.LEAD


def test_a_lease_and_a_move_in_on_the_same_day_give_one_task_with_both_relations() -> None:
    book = (
        sunrise()
        .start_lease("1-2-0302", D(2026, 11, 1), lead="P5", end=D(2027, 11, 1))
        .move_in("1-2-0302", D(2026, 11, 1), head="P5")
    )
    (task,) = move_in_callbacks(book, as_of=D(2026, 11, 20))
    assert sorted(r.kind.value for r in task.reason.relations) == ["resident", "tenant"]
    assert "as lead tenant and household head;" in task.reason.describe("en_US")
    assert "以承租人和户主身份入住" in task.reason.describe()


def test_a_renewed_lease_is_not_a_new_move_in() -> None:
    book = (
        sunrise()
        .start_lease("2-1-0101", D(2026, 4, 1), lead="P5", end=D(2026, 10, 1), lease_id="HT-1")
        .start_lease("2-1-0101", D(2026, 10, 1), lead="P5", end=D(2027, 10, 1), lease_id="HT-2")
    )
    tasks = move_in_callbacks(book, as_of=D(2026, 12, 1))
    assert keys(tasks) == [("P5", "2-1-0101", D(2026, 4, 1))]


def test_a_household_that_moves_out_and_back_in_is_called_back_again() -> None:
    book = (
        sunrise()
        .move_in("1-2-0303", D(2026, 4, 1), head="P3")
        .move_out("1-2-0303", D(2026, 6, 1))
        .move_in("1-2-0303", D(2026, 11, 1), head="P3")
    )
    first, second = move_in_callbacks(book, as_of=D(2026, 11, 10))
    assert (first.reason.moved_in, second.reason.moved_in) == (D(2026, 4, 1), D(2026, 11, 1))
    assert first.overdue
    assert not second.overdue
    assert move_in_callbacks(book, as_of=D(2026, 11, 10), done=[first.key]) == (second,)


def test_a_member_who_joins_a_household_later_brings_no_callback() -> None:
    book = (
        sunrise()
        .move_in("1-2-0301", D(2026, 4, 1), head="P1")
        .move_in("1-2-0301", D(2026, 11, 1), head=None, members={"P4": "配偶"})
    )
    assert keys(move_in_callbacks(book, as_of=D(2026, 11, 20))) == [
        ("P1", "1-2-0301", D(2026, 4, 1))
    ]


def test_a_shop_opening_is_a_move_in_but_a_purchase_is_not() -> None:
    book = sunrise().add_relation(
        Merchant(
            relation_id="M1",
            party_id="O1",
            unit_id="S-101",
            start=D(2026, 9, 15),
            shop_name="阳光便利店",
        )
    )
    book = book.sell("1-2-0303", D(2026, 10, 1), "P7")  # P7 buys: not a move-in
    (task,) = move_in_callbacks(book, as_of=D(2026, 10, 20))
    assert (task.party_id, task.unit_id, task.due_by) == ("O1", "S-101", D(2026, 10, 15))
    assert task.overdue
    assert "as merchant;" in task.describe("en_US")
    assert "以商户身份入住" in task.describe()


def test_an_owner_moving_into_their_own_flat_is_a_new_resident() -> None:
    book = sunrise().move_in("1-2-0302", D(2026, 5, 10), head="P2")
    assert keys(move_in_callbacks(book, as_of=D(2026, 5, 10))) == [
        ("P2", "1-2-0302", D(2026, 5, 10))
    ]


def test_the_policy_chooses_which_relations_are_move_ins() -> None:
    book = (
        sunrise()
        .move_in("1-2-0301", D(2026, 11, 3), head="P1")
        .start_lease("2-1-0101", D(2026, 11, 4), lead="P5")
    )
    tenants_only = CarePolicy(move_in_kinds={RelationKind.TENANT})
    assert keys(move_in_callbacks(book, as_of=D(2026, 11, 30), policy=tenants_only)) == [
        ("P5", "2-1-0101", D(2026, 11, 4))
    ]
    two_months = CarePolicy(callback_months=2)
    assert [
        t.due_by for t in move_in_callbacks(book, as_of=D(2026, 11, 30), policy=two_months)
    ] == [
        D(2027, 1, 3),
        D(2027, 1, 4),
    ]


def test_tasks_come_earliest_due_first_then_by_party_and_unit() -> None:
    book = (
        sunrise()
        .move_in("1-2-0303", D(2026, 11, 3), head="P3")
        .move_in("1-2-0301", D(2026, 11, 3), head="P1")
        .move_in("1-2-0302", D(2026, 10, 20), head="P2")
    )
    assert keys(move_in_callbacks(book, as_of=D(2026, 11, 20))) == [
        ("P2", "1-2-0302", D(2026, 10, 20)),
        ("P1", "1-2-0301", D(2026, 11, 3)),
        ("P3", "1-2-0303", D(2026, 11, 3)),
    ]


def test_since_limits_the_move_ins_listed() -> None:
    book = (
        sunrise()
        .move_in("1-2-0301", D(2026, 4, 1), head="P1")
        .move_in("1-2-0302", D(2026, 11, 1), head="P2")
    )
    tasks = move_in_callbacks(book, as_of=D(2026, 11, 20), since=D(2026, 11, 1))
    assert keys(tasks) == [("P2", "1-2-0302", D(2026, 11, 1))]


def test_a_person_whose_data_was_erased_is_not_called() -> None:
    erased = Person(
        party_id="P8",
        name=None,
        erased=ErasureMark(pendulum.datetime(2026, 11, 5, tz=SHANGHAI), "PIPL-2026-001"),
    )
    book = sunrise().add_party(erased).move_in("1-2-0301", D(2026, 11, 3), head="P8")
    assert move_in_callbacks(book, as_of=D(2026, 11, 20)) == ()
    # From bare relations nobody is known to be erased.
    assert len(move_in_callbacks(book.relations, as_of=D(2026, 11, 20))) == 1


def test_relations_work_as_well_as_a_book() -> None:
    book = sunrise().move_in("1-2-0301", D(2026, 11, 3), head="P1", members=["P4"])
    assert move_in_callbacks(book.relations, as_of=D(2026, 11, 20)) == move_in_callbacks(
        book, as_of=D(2026, 11, 20)
    )


# -- move-in callbacks: refusals --------------------------------------------------------------


def test_since_after_as_of_is_refused() -> None:
    with pytest.raises(InvalidCarePlan, match="since 2026-12-01 is after as_of 2026-11-20"):
        move_in_callbacks(sunrise(), as_of=D(2026, 11, 20), since=D(2026, 12, 1))


def test_done_must_hold_move_in_callback_keys() -> None:
    with pytest.raises(InvalidCarePlan, match="pass the CareKey of each callback made"):
        move_in_callbacks(sunrise(), as_of=D(2026, 11, 20), done=[("P1", "1-2-0301")])  # type: ignore[list-item]  # a bare pair on purpose
    visit = CareKey(CareKind.REGULAR_VISIT, "P1", "1-2-0301", D(2026, 11, 3))
    with pytest.raises(InvalidCarePlan, match="of kind MOVE_IN_CALLBACK"):
        move_in_callbacks(sunrise(), as_of=D(2026, 11, 20), done=[visit])


@pytest.mark.parametrize("source", ["1-2-0301", {"P1": "1-2-0301"}, 42, ["not a relation"]])
def test_the_source_is_a_book_or_relations(source: object) -> None:
    with pytest.raises(InvalidCarePlan, match="PartyBook"):
        move_in_callbacks(source, as_of=D(2026, 11, 20))  # type: ignore[arg-type]  # on purpose


def test_an_instant_is_not_a_date() -> None:
    with pytest.raises(TypeError, match="expected a date"):
        move_in_callbacks(sunrise(), as_of=pendulum.datetime(2026, 11, 20, tz=SHANGHAI))


def test_the_policy_must_be_a_care_policy() -> None:
    with pytest.raises(InvalidCarePlan, match="policy must be a CarePolicy"):
        move_in_callbacks(sunrise(), as_of=D(2026, 11, 20), policy=object())  # type: ignore[arg-type]  # on purpose


# -- move-in callbacks: properties ------------------------------------------------------------

_AS_OF = st.dates(datetime.date(2026, 1, 1), datetime.date(2028, 6, 30)).map(
    lambda d: D(d.year, d.month, d.day)
)
_MOVE_IN_TYPES = (Resident, Tenant, Merchant)


def _is_contact(r: Relation) -> bool:
    return (
        (isinstance(r, Resident) and r.role is HouseholdRole.HEAD)
        or (isinstance(r, Tenant) and r.role is TenantRole.LEAD)
        or isinstance(r, Merchant)
    )


def _present_the_day_before(book: PartyBook, r: Relation) -> bool:
    day_before = r.start.subtract(days=1)
    return any(
        isinstance(o, _MOVE_IN_TYPES) and o.target == r.target and o.covers(day_before)
        for o in book.relations_of(r.party_id)
    )


@settings(max_examples=100)
@given(book=party_books(max_parties=4, max_units=2, max_steps=12), as_of=_AS_OF, data=st.data())
def test_every_move_in_within_the_window_yields_exactly_one_task(
    book: PartyBook, as_of: pendulum.Date, data: st.DataObject
) -> None:
    since = data.draw(st.none() | st.integers(0, 800).map(lambda n: as_of.subtract(days=n)))
    tasks = move_in_callbacks(book, as_of=as_of, since=since)
    expected = {
        (r.party_id, r.target, r.start)
        for r in book.relations
        if _is_contact(r)
        and r.start <= as_of
        and (since is None or r.start >= since)
        and not _present_the_day_before(book, r)
    }
    assert sorted(keys(tasks)) == sorted(expected)  # one task each, nothing else
    for task in tasks:
        assert task.due_by == task.reason.moved_in.add(months=1)
        assert task.overdue == (as_of > task.due_by)
        assert all(r.start == task.reason.moved_in for r in task.reason.relations)
        assert task.party_id not in task.reason.household


@settings(max_examples=40)
@given(book=party_books(max_parties=4, max_units=2, max_steps=10), as_of=_AS_OF, data=st.data())
def test_callbacks_are_ordered_and_do_not_depend_on_the_order_of_the_relations(
    book: PartyBook, as_of: pendulum.Date, data: st.DataObject
) -> None:
    tasks = move_in_callbacks(book, as_of=as_of)
    order = [(t.due_by, t.party_id, t.unit_id, t.reason.moved_in) for t in tasks]
    assert order == sorted(order)
    assert len({t.key for t in tasks}) == len(tasks)
    shuffled = data.draw(st.permutations(book.relations))
    assert move_in_callbacks(shuffled, as_of=as_of) == tasks


@settings(max_examples=40)
@given(book=party_books(max_parties=4, max_units=2, max_steps=10), as_of=_AS_OF, data=st.data())
def test_done_callbacks_drop_out_and_nothing_else_does(
    book: PartyBook, as_of: pendulum.Date, data: st.DataObject
) -> None:
    tasks = move_in_callbacks(book, as_of=as_of)
    done = {t.key for t in tasks if data.draw(st.booleans())}
    left = move_in_callbacks(book, as_of=as_of, done=done)
    assert left == tuple(t for t in tasks if t.key not in done)


# -- regular visits: scenarios ----------------------------------------------------------------

DEC_1 = D(2026, 12, 1)


def complained(
    *days: pendulum.Date, scores: Mapping[pendulum.Date, int] | None = None
) -> ComplaintRecord:
    return ComplaintRecord(
        complaints=days,
        satisfaction=[SatisfactionScore(day, s) for day, s in (scores or {}).items()],
    )


def test_customers_who_complained_are_visited_first() -> None:
    plan = plan_visits(
        ["P1", "P2", "P3", "P4"],
        as_of=DEC_1,
        complaints={
            "P2": complained(D(2026, 11, 2)),
            "P3": complained(D(2026, 10, 5), D(2026, 11, 15)),
        },
        last_visited={"P1": D(2025, 12, 1), "P2": D(2026, 10, 1), "P3": D(2026, 9, 1)},
        capacity=10,
    )
    assert plan.party_ids == ("P3", "P2", "P4", "P1")
    first = plan.visits[0]
    assert (first.rank, first.kind, first.reason.priority) == (
        1,
        CareKind.REGULAR_VISIT,
        VisitPriority.COMPLAINED,
    )
    assert (first.reason.complaints, first.reason.last_complaint) == (2, D(2026, 11, 15))
    assert first.reason.complaints_from == D(2026, 9, 2)
    assert first.describe("en_US") == (
        "1. P3: complained 2 times since Sep 2, 2026 (latest Nov 15, 2026), last visited "
        "Sep 1, 2026"
    )
    assert first.describe() == (
        "1. P3：2026年9月2日以来投诉2次（最近一次2026年11月15日），上次走访于2026年9月1日"
    )
    assert [v.describe("en_US") for v in plan.visits[1:]] == [
        "2. P2: complained once since Sep 2, 2026 (latest Nov 2, 2026), last visited Oct 1, 2026",
        "3. P4: never visited",
        "4. P1: last visited Dec 1, 2025, due since Jun 1, 2026",
    ]
    assert [v.describe() for v in plan.visits[1:]] == [
        "2. P2：2026年9月2日以来投诉1次（最近一次2026年11月2日），上次走访于2026年10月1日",
        "3. P4：从未走访",
        "4. P1：上次走访于2025年12月1日，自2026年6月1日起应走访",
    ]


def test_among_complainers_the_one_who_complained_last_goes_first_on_equal_counts() -> None:
    plan = plan_visits(
        ["P1", "P2"],
        as_of=DEC_1,
        complaints={"P1": complained(D(2026, 10, 1)), "P2": complained(D(2026, 11, 30))},
        last_visited={},
        capacity=2,
    )
    assert plan.party_ids == ("P2", "P1")


def test_a_visit_after_the_latest_complaint_has_followed_it_up() -> None:
    plan = plan_visits(
        ["P1"],
        as_of=DEC_1,
        complaints={"P1": complained(D(2026, 11, 2))},
        last_visited={"P1": D(2026, 11, 3)},
        capacity=5,
    )
    assert plan.visits == ()
    assert plan.not_due == ("P1",)


def test_a_visit_on_the_day_of_the_complaint_does_not_count_as_its_follow_up() -> None:
    plan = plan_visits(
        ["P1"],
        as_of=DEC_1,
        complaints={"P1": complained(D(2026, 11, 2))},
        last_visited={"P1": D(2026, 11, 2)},
        capacity=5,
    )
    assert [v.reason.priority for v in plan.visits] == [VisitPriority.COMPLAINED]


def test_the_look_back_window_starts_three_months_before_the_plan() -> None:
    def plan(day: pendulum.Date) -> VisitPlan:
        return plan_visits(
            ["P1"],
            as_of=DEC_1,
            complaints={"P1": complained(day)},
            last_visited={"P1": D(2026, 8, 31)},  # not due again until February
            capacity=1,
        )

    assert plan(D(2026, 9, 2)).party_ids == ("P1",)
    assert plan(D(2026, 9, 1)).party_ids == ()
    longer = CarePolicy(complaint_lookback_months=6)
    assert plan_visits(
        ["P1"],
        as_of=DEC_1,
        complaints={"P1": complained(D(2026, 9, 1))},
        last_visited={"P1": D(2026, 8, 31)},
        capacity=1,
        policy=longer,
    ).party_ids == ("P1",)


def test_a_customer_is_due_again_a_cadence_after_the_last_visit() -> None:
    def plan(visited: pendulum.Date, policy: CarePolicy = DEFAULT_CARE_POLICY) -> VisitPlan:
        return plan_visits(
            ["P1"],
            as_of=DEC_1,
            complaints={},
            last_visited={"P1": visited},
            capacity=1,
            policy=policy,
        )

    assert plan(D(2026, 6, 1)).party_ids == ("P1",)
    assert plan(D(2026, 6, 2)).party_ids == ()
    assert plan(D(2026, 6, 2)).not_due == ("P1",)
    assert plan(D(2026, 9, 1), CarePolicy(visit_cadence_months=3)).party_ids == ("P1",)
    assert plan(D(2026, 6, 1)).visits[0].reason.due_since == DEC_1


def test_a_dissatisfied_customer_goes_ahead_within_the_tier_but_is_not_due_by_it() -> None:
    scores = {
        "P1": complained(scores={D(2026, 5, 1): 4}),
        "P2": complained(scores={D(2026, 5, 1): 1}),
        "P3": complained(scores={D(2026, 5, 1): 2}),
        "P4": complained(scores={D(2026, 11, 1): 1}),
    }
    plan = plan_visits(
        ["P1", "P2", "P3", "P4", "P5"],
        as_of=DEC_1,
        complaints=scores,
        last_visited={"P4": D(2026, 11, 1), "P5": D(2026, 1, 1)},
        capacity=10,
    )
    # P1-P3 were never visited, P5 last in January; P4 was visited recently and is not due.
    assert plan.party_ids == ("P2", "P3", "P1", "P5")
    assert plan.not_due == ("P4",)
    p2 = plan.visits[0].reason
    assert (p2.dissatisfied, p2.last_satisfaction, p2.never_visited) == (True, 1, True)
    assert (
        plan.visits[0].describe("en_US")
        == "1. P2: never visited; last satisfaction 1 (dissatisfied)"
    )
    assert plan.visits[0].describe() == "1. P2：从未走访；最近满意度1分（不满意）"
    off = CarePolicy(dissatisfied_up_to=0)
    assert plan_visits(
        ["P1", "P2", "P3"], as_of=DEC_1, complaints=scores, last_visited={}, capacity=3, policy=off
    ).party_ids == ("P1", "P2", "P3")


def test_capacity_cuts_the_plan_and_defers_the_rest_in_order() -> None:
    plan = plan_visits(
        ["P1", "P2", "P3"],
        as_of=DEC_1,
        complaints={"P3": complained(D(2026, 11, 2))},
        last_visited={},
        capacity=1,
    )
    assert plan.party_ids == ("P3",)
    assert [(v.rank, v.party_id) for v in plan.deferred] == [(2, "P1"), (3, "P2")]
    nothing = plan_visits(["P1"], as_of=DEC_1, complaints={}, last_visited={}, capacity=0)
    assert (nothing.visits, [v.party_id for v in nothing.deferred]) == ((), ["P1"])


def test_complaints_and_visits_of_other_parties_are_ignored() -> None:
    plan = plan_visits(
        ["P1"],
        as_of=DEC_1,
        complaints={"P9": complained(D(2026, 11, 2))},
        last_visited={"P9": D(2027, 1, 1)},
        capacity=1,
    )
    assert plan.party_ids == ("P1",)


def test_customers_on_a_day_are_the_live_holders_of_units() -> None:
    book = sunrise().move_in("1-2-0301", D(2026, 11, 3), head="P1", members=["P4"])
    assert customers_on(book, D(2026, 11, 3)) == ("O2", "P1", "P2", "P3", "P4")
    assert customers_on(book, D(2026, 11, 2)) == ("O2", "P1", "P2", "P3")


# -- regular visits: refusals -----------------------------------------------------------------


@pytest.mark.parametrize("capacity", [-1, True, 1.5, "3"])
def test_capacity_is_a_whole_number_of_0_or_more(capacity: object) -> None:
    with pytest.raises(InvalidCarePlan, match=r"capacity .* must be an int of 0 or more"):
        plan_visits(["P1"], as_of=DEC_1, complaints={}, last_visited={}, capacity=capacity)  # type: ignore[arg-type]  # on purpose


def test_a_visit_after_the_plans_date_is_refused() -> None:
    with pytest.raises(InvalidCarePlan, match="last visited on 2026-12-02, after the plan's date"):
        plan_visits(
            ["P1"], as_of=DEC_1, complaints={}, last_visited={"P1": D(2026, 12, 2)}, capacity=1
        )


@pytest.mark.parametrize(
    ("parties", "message"),
    [
        ("P1", "must be an iterable of party ids"),
        (["P1", "P1"], "party P1 is given twice"),
        (["P 1"], "party id 'P 1' must be non-empty text"),
        ([1], "party id 1 must be non-empty text"),
    ],
)
def test_parties_are_distinct_ids(parties: object, message: str) -> None:
    with pytest.raises(InvalidCarePlan, match=message):
        plan_visits(parties, as_of=DEC_1, complaints={}, last_visited={}, capacity=1)  # type: ignore[arg-type]  # on purpose


def test_complaints_must_follow_the_protocol() -> None:
    with pytest.raises(InvalidCarePlan, match="must implement ComplaintHistory"):
        plan_visits(
            ["P1"], as_of=DEC_1, complaints={"P1": [D(2026, 11, 2)]}, last_visited={}, capacity=1
        )  # type: ignore[dict-item]  # on purpose


@attrs.frozen
class _Broken:
    count: object
    score: object = None

    def complaints_between(self, first: pendulum.Date, last: pendulum.Date) -> object:
        return self.count

    def last_satisfaction(self, as_of: pendulum.Date) -> object:
        return self.score


@pytest.mark.parametrize(("count", "score"), [(-1, None), (True, None), (0, 6), (1, "5")])
def test_impossible_answers_from_a_complaint_history_are_refused(
    count: object, score: object
) -> None:
    assert isinstance(_Broken(count, score), ComplaintHistory)
    with pytest.raises(InvalidBehaviourFact):
        plan_visits(
            ["P1"],
            as_of=DEC_1,
            complaints={"P1": _Broken(count, score)},
            last_visited={},
            capacity=1,
        )  # type: ignore[dict-item]  # a broken protocol on purpose


# -- regular visits: properties ---------------------------------------------------------------

_PARTY_IDS = [f"P{n:02d}" for n in range(1, 13)]
_DAYS = st.integers(0, 400).map(lambda n: DEC_1.subtract(days=n))


@st.composite
def visit_inputs(
    draw: st.DrawFn,
) -> tuple[list[str], dict[str, ComplaintRecord], dict[str, pendulum.Date], int]:
    parties = draw(st.lists(st.sampled_from(_PARTY_IDS), unique=True, max_size=12))
    complaints: dict[str, ComplaintRecord] = {}
    visits: dict[str, pendulum.Date] = {}
    for party_id in parties:
        if draw(st.booleans()):
            days = draw(st.lists(_DAYS, max_size=4))
            scored = draw(st.dictionaries(_DAYS, st.integers(1, 5), max_size=2))
            complaints[party_id] = complained(*days, scores=scored)
        if draw(st.booleans()):
            visits[party_id] = draw(_DAYS)
    return parties, complaints, visits, draw(st.integers(0, 14))


def _complainer(record: ComplaintRecord | None, visited: pendulum.Date | None) -> bool:
    """Independent of the module: complaints in [1 Sep 2026 + 1 day, 1 Dec 2026], none answered."""
    if record is None:
        return False
    window = [d for d in record.complaints if D(2026, 9, 2) <= d <= DEC_1]
    return bool(window) and (visited is None or visited <= max(window))


@settings(max_examples=80)
@given(visit_inputs())
def test_every_complainer_is_planned_before_every_non_complainer(
    inputs: tuple[list[str], dict[str, ComplaintRecord], dict[str, pendulum.Date], int],
) -> None:
    parties, complaints, visits, capacity = inputs
    plan = plan_visits(
        parties, as_of=DEC_1, complaints=complaints, last_visited=visits, capacity=capacity
    )
    ordered = [*plan.visits, *plan.deferred]
    flags = [_complainer(complaints.get(v.party_id), visits.get(v.party_id)) for v in ordered]
    assert flags == sorted(flags, reverse=True)
    assert all(
        (v.reason.priority is VisitPriority.COMPLAINED) == flag
        for v, flag in zip(ordered, flags, strict=True)
    )
    # Planned are exactly the complainers and those the cadence makes due.
    due = {
        p
        for p in parties
        if _complainer(complaints.get(p), visits.get(p))
        or p not in visits
        or visits[p].add(months=6) <= DEC_1
    }
    assert {v.party_id for v in ordered} == due


@settings(max_examples=80)
@given(visit_inputs(), st.data())
def test_the_plan_never_exceeds_capacity_and_loses_nobody(
    inputs: tuple[list[str], dict[str, ComplaintRecord], dict[str, pendulum.Date], int],
    data: st.DataObject,
) -> None:
    parties, complaints, visits, capacity = inputs
    plan = plan_visits(
        parties, as_of=DEC_1, complaints=complaints, last_visited=visits, capacity=capacity
    )
    assert len(plan.visits) <= capacity
    everyone = [*plan.party_ids, *(v.party_id for v in plan.deferred), *plan.not_due]
    assert sorted(everyone) == sorted(parties)
    assert [v.rank for v in (*plan.visits, *plan.deferred)] == list(
        range(1, len(plan.visits) + len(plan.deferred) + 1)
    )
    assert plan.deferred == () or len(plan.visits) == capacity
    more = plan_visits(
        parties,
        as_of=DEC_1,
        complaints=complaints,
        last_visited=visits,
        capacity=capacity + data.draw(st.integers(0, 5)),
    )
    assert more.visits[: len(plan.visits)] == plan.visits  # a larger capacity extends the plan


@settings(max_examples=60)
@given(visit_inputs(), st.data())
def test_the_plan_does_not_depend_on_the_order_of_its_inputs(
    inputs: tuple[list[str], dict[str, ComplaintRecord], dict[str, pendulum.Date], int],
    data: st.DataObject,
) -> None:
    parties, complaints, visits, capacity = inputs
    plan = plan_visits(
        parties, as_of=DEC_1, complaints=complaints, last_visited=visits, capacity=capacity
    )
    shuffled = data.draw(st.permutations(parties))
    again = plan_visits(
        shuffled,
        as_of=DEC_1,
        complaints=dict(reversed(complaints.items())),
        last_visited=dict(reversed(visits.items())),
        capacity=capacity,
    )
    assert again == plan


# -- survey rounds ----------------------------------------------------------------------------


def test_a_year_has_four_quarterly_survey_rounds() -> None:
    rounds = survey_rounds(2026)
    assert [r.quarter for r in rounds] == [BillingPeriod.quarter(2026, q) for q in (1, 2, 3, 4)]
    assert rounds[0] == SurveyRound.for_quarter(2026, 1)
    assert all(r.responses == () for r in rounds)
    assert rounds[1] == rounds[0].next_round()


def test_rounds_follow_the_survey_policy() -> None:
    half_yearly = SurveyPolicy(round_kind=PeriodKind.HALF_YEAR)
    assert [r.quarter.code for r in survey_rounds(2026, survey_policy=half_yearly)] == [
        "2026-H1",
        "2026-H2",
    ]
    assert survey_rounds(2026, zone="UTC")[0].zone == "UTC"
    with pytest.raises(InvalidPeriod, match="year 0 is out of range"):
        survey_rounds(0)


def test_the_round_for_a_day_is_the_quarter_that_holds_it() -> None:
    assert survey_round_for(D(2026, 11, 24)) == SurveyRound.for_quarter(2026, 4)
    assert survey_round_for(D(2026, 12, 31)).next_round() == SurveyRound.for_quarter(2027, 1)


def occupied() -> PartyBook:
    """0301: P1's household (P4 a member); 0302: owned by P2, empty; 0303: P3 lets to P5, who
    lives there; the office: let to O1 (nobody lives in an office); the shop: O1's store."""
    return (
        sunrise()
        .move_in("1-2-0301", D(2026, 4, 1), head="P1", members={"P4": "配偶"})
        .start_lease("1-2-0303", D(2026, 4, 1), lead="P5", end=D(2027, 4, 1))
        .move_in("1-2-0303", D(2026, 4, 1), head="P5")
        .start_lease("2-1-0101", D(2026, 4, 1), lead="O1")
        .add_relation(
            Merchant(
                relation_id="M1",
                party_id="O1",
                unit_id="S-101",
                start=D(2026, 4, 1),
                shop_name="阳光便利店",
            )
        )
    )


def test_the_survey_asks_one_party_per_unit() -> None:
    sample = survey_sample(occupied(), survey_round_for(D(2026, 10, 1)), as_of=D(2026, 10, 8))
    assert sample.quarter == BillingPeriod.quarter(2026, 4)
    assert [(p.party_id, p.units, p.reasons) for p in sample.parties] == [
        ("O1", ("2-1-0101", "S-101"), (SampleReason.TENANT, SampleReason.MERCHANT)),
        ("P1", ("1-2-0301",), (SampleReason.HOUSEHOLD_HEAD,)),
        ("P2", ("1-2-0302",), (SampleReason.PAYER,)),
        ("P5", ("1-2-0303",), (SampleReason.HOUSEHOLD_HEAD,)),
    ]


def test_the_survey_can_leave_out_the_payers_of_empty_units() -> None:
    policy = CarePolicy(survey_vacant_units=False)
    sample = survey_sample(occupied(), survey_round_for(DEC_1), as_of=DEC_1, policy=policy)
    assert sample.party_ids == ("O1", "P1", "P5")


def test_units_not_yet_handed_over_are_not_surveyed() -> None:
    book = PartyBook(
        parties=[Person(party_id="P1", name=PersonName("张三丰"))], units=[unit("1-2-0301")]
    )
    book = book.sell("1-2-0301", D(2026, 1, 10), "P1")
    assert survey_sample(book, survey_round_for(D(2026, 2, 1)), as_of=D(2026, 2, 1)).parties == ()


def test_customers_who_complained_in_the_quarter_are_always_asked() -> None:
    complaints: dict[str, ComplaintHistory] = {
        "P4": complained(D(2026, 11, 2)),  # a household member: not the unit's respondent
        "P1": complained(D(2026, 10, 3), D(2026, 10, 9)),
        "P2": complained(D(2026, 9, 30)),  # last quarter
        "P6": complained(D(2026, 11, 25)),  # after the sample was drawn
    }
    sample = survey_sample(
        occupied(), survey_round_for(DEC_1), as_of=D(2026, 11, 24), complaints=complaints
    )
    by_party = {p.party_id: p for p in sample.parties}
    assert by_party["P4"].reasons == (SampleReason.COMPLAINED,)
    assert by_party["P4"].units == ()
    assert by_party["P1"].reasons == (SampleReason.HOUSEHOLD_HEAD, SampleReason.COMPLAINED)
    assert by_party["P1"].complaints == 2
    assert by_party["P2"].reasons == (SampleReason.PAYER,)
    assert "P6" not in by_party


def test_a_survey_from_party_ids_asks_those_parties_and_the_complainers() -> None:
    sample = survey_sample(
        ["P2", "P1"],
        survey_round_for(DEC_1),
        as_of=DEC_1,
        complaints={"P3": complained(D(2026, 10, 1)), "P1": complained()},
    )
    assert [(p.party_id, p.reasons) for p in sample.parties] == [
        ("P1", (SampleReason.LISTED,)),
        ("P2", (SampleReason.LISTED,)),
        ("P3", (SampleReason.COMPLAINED,)),
    ]


def test_erased_people_are_not_surveyed_and_the_next_candidate_answers() -> None:
    erased = Person(
        party_id="P8",
        name=None,
        erased=ErasureMark(pendulum.datetime(2026, 11, 5, tz=SHANGHAI), "PIPL-2026-001"),
    )
    book = sunrise().add_party(erased).move_in("1-2-0302", D(2026, 4, 1), head="P8")
    sample = survey_sample(
        book,
        survey_round_for(DEC_1),
        as_of=DEC_1,
        complaints={"P8": complained(D(2026, 11, 1))},
    )
    assert "P8" not in sample.party_ids
    assert {p.party_id: p.reasons for p in sample.parties}["P2"] == (SampleReason.PAYER,)


def test_a_sample_is_drawn_within_its_quarter() -> None:
    with pytest.raises(InvalidCarePlan, match="a sample for round 2026-Q4 is drawn on a day from"):
        survey_sample(["P1"], survey_round_for(DEC_1), as_of=D(2027, 1, 1))
    with pytest.raises(InvalidCarePlan, match="survey must be a SurveyRound"):
        survey_sample(["P1"], BillingPeriod.quarter(2026, 4), as_of=DEC_1)  # type: ignore[arg-type]  # on purpose


@settings(max_examples=40)
@given(book=party_books(max_parties=4, max_units=2, max_steps=10), as_of=_AS_OF, data=st.data())
def test_every_unit_in_service_is_answered_for_and_every_complainer_asked(
    book: PartyBook, as_of: pendulum.Date, data: st.DataObject
) -> None:
    survey = survey_round_for(as_of)
    party_ids = [p.party_id for p in book.parties]
    complainers = data.draw(st.lists(st.sampled_from(party_ids), unique=True))
    complaints = {p: complained(as_of) for p in complainers}
    sample = survey_sample(book, survey, as_of=as_of, complaints=complaints)
    answered = [u for p in sample.parties for u in p.units]
    assert len(answered) == len(set(answered))  # one respondent per unit
    expected = {
        u.unit_id
        for u in book.units
        if u.status(as_of).handed_over
        and (book.payer(u.unit_id, as_of) is not None or book.occupants(u.unit_id, as_of))
    }
    assert set(answered) == expected
    assert set(complainers) <= set(sample.party_ids)
    assert list(sample.party_ids) == sorted(sample.party_ids)
    again = survey_sample(
        book, survey, as_of=as_of, complaints=dict(reversed(list(complaints.items())))
    )
    assert again == sample


# -- callbacks feed the satisfaction model ----------------------------------------------------


def test_a_callback_score_becomes_a_survey_response_of_the_quarter() -> None:
    book = sunrise().move_in("1-2-0301", D(2026, 11, 3), head="P1")
    (task,) = move_in_callbacks(book, as_of=D(2026, 11, 20))
    response = callback_response(
        task,
        score=2,
        staff="S001",
        team="客服一组",
        answered_at=pendulum.datetime(2026, 11, 28, 15, tz=SHANGHAI),
    )
    assert response.response_id == task.key.code
    assert (response.party_id, response.csat, response.staff, response.team) == (
        "P1",
        2,
        "S001",
        "客服一组",
    )
    survey = survey_round_for(D(2026, 11, 28)).with_response(response)
    (summary,) = quarterly([survey])
    assert summary.csat is not None
    assert (summary.quarter, summary.responses, summary.csat.satisfied) == ("2026-Q4", 1, 0)


def test_a_callback_score_outside_the_scale_is_refused() -> None:
    key = CareKey(CareKind.MOVE_IN_CALLBACK, "P1", "1-2-0301", D(2026, 11, 3))
    at = pendulum.datetime(2026, 11, 28, 15, tz=SHANGHAI)
    with pytest.raises(InvalidSurveyResponse, match="callback score 6 must be an int from 1 to 5"):
        callback_response(key, score=6, answered_at=at)
    with pytest.raises(InvalidSurveyResponse, match="callback score True"):
        callback_response(key, score=True, answered_at=at)


def test_a_callback_answered_before_the_move_in_is_refused() -> None:
    key = CareKey(CareKind.MOVE_IN_CALLBACK, "P1", "1-2-0301", D(2026, 11, 3))
    # 2 November 23:00 UTC is 3 November in Shanghai: on the day, so accepted.
    on_the_day = callback_response(
        key, score=5, answered_at=pendulum.datetime(2026, 11, 2, 23, tz="UTC")
    )
    assert on_the_day.csat == 5
    with pytest.raises(InvalidCarePlan, match="answered on 2026-11-02, before the day it arose"):
        callback_response(key, score=5, answered_at=pendulum.datetime(2026, 11, 2, 9, tz=SHANGHAI))
    with pytest.raises(NaiveDatetime):
        callback_response(key, score=5, answered_at=datetime.datetime(2026, 11, 28, 9))  # noqa: DTZ001 - a naive datetime on purpose
    with pytest.raises(InvalidCarePlan, match="key must be a CareKey or CareTask"):
        callback_response("P1", score=5, answered_at=pendulum.datetime(2026, 11, 28, tz=SHANGHAI))  # type: ignore[arg-type]  # on purpose


def test_owner_relations_are_not_move_ins_even_when_given_directly() -> None:
    owner = Owner(relation_id="R1", party_id="P1", unit_id="1-2-0301", start=D(2026, 11, 3))
    assert move_in_callbacks([owner], as_of=D(2026, 11, 20)) == ()


# -- text in each locale ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "zh_cn", "en_us"),
    [
        (CareKind.MOVE_IN_CALLBACK, "入住回访", "move-in callback"),
        (CareKind.REGULAR_VISIT, "定期走访", "regular visit"),
        (VisitPriority.COMPLAINED, "有投诉", "complained"),
        (VisitPriority.DUE, "到期走访", "due"),
        (SampleReason.HOUSEHOLD_HEAD, "户主", "household head"),
        (SampleReason.RESIDENT, "住户", "resident"),
        (SampleReason.TENANT, "租户", "tenant"),
        (SampleReason.MERCHANT, "商户", "merchant"),
        (SampleReason.PAYER, "缴费人", "pays the fees"),
        (SampleReason.LISTED, "名单指定", "on the list given"),
        (SampleReason.COMPLAINED, "本季度有投诉", "complained this quarter"),
    ],
)
def test_care_labels_in_each_locale(
    member: CareKind | VisitPriority | SampleReason, zh_cn: str, en_us: str
) -> None:
    assert member.label() == member.label("zh_CN") == zh_cn
    assert member.label("en_US") == en_us
    with pytest.raises(UnsupportedLocale):
        member.label("fr_FR")


def test_callbacks_visits_and_samples_are_described_in_each_locale() -> None:
    book = sunrise().start_lease(
        "1-2-0302", D(2026, 11, 1), lead="P5", co_tenants=["P6"], end=D(2027, 11, 1)
    )
    (task,) = move_in_callbacks(book, as_of=D(2026, 12, 10))
    assert task.describe() == (
        "入住回访 P5 1-2-0302：已逾期，应于2026年12月1日前完成（2026年11月1日以承租人身份"
        "与P6一同入住；1个月内回访）"
    )
    assert task.describe("en_US") == (
        "move-in callback P5 1-2-0302: OVERDUE by Dec 1, 2026 (moved in on Nov 1, 2026 as lead "
        "tenant with P6; callback within 1 month)"
    )
    assert task.reason.rule() == "需求§4：每位新客户入住后一个月内回访"
    assert task.reason.rule("en_US") == (
        "brief §4: a callback visit to every new customer within one month of move-in"
    )
    two = attrs.evolve(task.reason, callback_months=2)
    assert two.describe("en_US").endswith("callback within 2 months")
    assert two.describe().endswith("2个月内回访")
    plan = plan_visits(
        ["P1"], as_of=DEC_1, complaints={}, last_visited={"P1": D(2026, 1, 5)}, capacity=1
    )
    assert plan.visits[0].describe() == "1. P1：上次走访于2026年1月5日，自2026年7月5日起应走访"
    assert (
        plan.visits[0].reason.describe("en_US") == "last visited Jan 5, 2026, due since Jul 5, 2026"
    )
    sampled = SampledParty(
        "P1", ("1-2-0301", "1-2-0302"), (SampleReason.HOUSEHOLD_HEAD, SampleReason.COMPLAINED), 1
    )
    assert sampled.describe() == "P1（1-2-0301和1-2-0302）：户主和本季度有投诉"
    assert sampled.describe("en_US") == (
        "P1 (1-2-0301 and 1-2-0302): household head and complained this quarter"
    )
    for locale in ("fr_FR", "zh", "en"):
        for describe in (
            task.describe,
            task.reason.describe,
            task.reason.rule,
            plan.visits[0].describe,
            plan.visits[0].reason.describe,
            sampled.describe,
        ):
            with pytest.raises(UnsupportedLocale):
                describe(locale)
