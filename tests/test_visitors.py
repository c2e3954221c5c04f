"""Tests for parties._visitors: gate registration, and face recognition never alone."""

from __future__ import annotations

import datetime

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._property_types import PropertyType
from propcrm.errors import (
    DuplicateRecord,
    FaceRecognitionOnly,
    InvalidPolicy,
    NaiveDatetime,
    VisitRefused,
)
from propcrm.parties import PartyBook, Person, RelationKind, Unit
from propcrm.personal_data import (
    PersonName,
    VehiclePlate,
)
from propcrm.visitors import (
    EntryMethod,
    IdentityCheck,
    VisitorLog,
    VisitorPolicy,
    VisitorRegistration,
    VisitPurpose,
)
from propcrm.visitors._visitors import DEFAULT_MAX_VISIT

D = pendulum.date
FLAT = "1-2-0301"


def at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 11, day, hour, minute, tz="Asia/Shanghai")


def registration(**changes: object) -> VisitorRegistration:
    base = VisitorRegistration(
        registration_id="V1",
        host_unit_id=FLAT,
        visitor_name=PersonName("王小明"),
        arrives=at(24, 14),
        leaves=at(24, 18),
        purpose=VisitPurpose.FAMILY,
        plate=VehiclePlate("沪AD12345"),
        identity_check=IdentityCheck.ID_DOCUMENT,
        entry=[EntryMethod.FACE_RECOGNITION, EntryMethod.ID_CHECK],
        visitor_id="P9",
    )
    return attrs.evolve(base, **changes)


def host_book() -> PartyBook:
    people = [
        Person(party_id=p, name=PersonName(n)) for p, n in (("P1", "张三丰"), ("P9", "王小明"))
    ]
    unit = Unit(
        unit_id=FLAT,
        community="SUNRISE",
        building="1",
        entrance="2",
        floor=3,
        number="0301",
        property_type=PropertyType.RESIDENTIAL,
        building_area="89.37",
    )
    return (
        PartyBook(parties=people, units=[unit])
        .sell(FLAT, D(2025, 6, 1), "P1")
        .hand_over(FLAT, D(2026, 3, 1))
        .move_in(FLAT, D(2026, 6, 1), head="P1")
    )


# -- face recognition -------------------------------------------------------------------------


def test_face_recognition_alone_is_refused() -> None:
    with pytest.raises(FaceRecognitionOnly, match="may never be the only way in"):
        registration(entry=[EntryMethod.FACE_RECOGNITION])
    assert issubclass(FaceRecognitionOnly, VisitRefused)


@settings(max_examples=40)
@given(st.sets(st.sampled_from(EntryMethod), min_size=1))
def test_a_registration_is_accepted_iff_it_has_a_way_in_besides_the_face(
    methods: set[EntryMethod],
) -> None:
    try:
        reg = registration(entry=methods, host_confirmed_by="P1")
    except FaceRecognitionOnly:
        assert methods == {EntryMethod.FACE_RECOGNITION}
    else:
        assert reg.entry - {EntryMethod.FACE_RECOGNITION}


def test_a_registration_records_some_way_in() -> None:
    with pytest.raises(VisitRefused, match="no way in"):
        registration(entry=[])
    with pytest.raises(VisitRefused, match="not an EntryMethod"):
        registration(entry=["face"])


def test_host_confirmation_names_who_confirmed() -> None:
    with pytest.raises(VisitRefused, match="host_confirmed_by"):
        registration(entry=[EntryMethod.HOST_CONFIRMATION])
    with pytest.raises(VisitRefused, match="host_confirmed_by"):
        registration(identity_check=IdentityCheck.HOST_CONFIRMATION)
    assert registration(entry=[EntryMethod.HOST_CONFIRMATION], host_confirmed_by="P1")


# -- the window -------------------------------------------------------------------------------


def test_the_window_is_aware_and_leaves_after_it_arrives() -> None:
    with pytest.raises(VisitRefused, match="not after it arrives"):
        registration(leaves=at(24, 14))
    with pytest.raises(NaiveDatetime):
        registration(arrives=datetime.datetime(2026, 11, 24, 14))  # noqa: DTZ001 - the point
    reg = registration(arrives=pendulum.datetime(2026, 11, 24, 6, tz="UTC"))
    assert reg.covers(at(24, 14))
    assert not reg.covers(at(24, 18))
    assert reg.window == datetime.timedelta(hours=4)


def test_the_log_refuses_windows_longer_than_the_policy() -> None:
    log = VisitorLog()
    assert datetime.timedelta(hours=24) == DEFAULT_MAX_VISIT
    with pytest.raises(VisitRefused, match="longer than the community's limit"):
        log.register(registration(leaves=at(25, 15)))
    short = VisitorLog(policy=VisitorPolicy(max_window=datetime.timedelta(hours=2)))
    with pytest.raises(VisitRefused):
        short.register(registration())
    with pytest.raises(InvalidPolicy):
        VisitorPolicy(max_window=datetime.timedelta(0))


def test_a_registration_is_shown_masked() -> None:
    shown = repr(registration())
    assert "王小明" not in shown
    assert "沪AD12345" not in shown
    assert "王*明" in shown


# -- the log ----------------------------------------------------------------------------------


def test_the_log_checks_the_host_unit_against_the_book() -> None:
    book = host_book()
    log = VisitorLog().register(registration(), book=book)
    assert log.on_site(at(24, 15)) == log.registrations
    assert log.on_site(at(24, 19)) == ()
    with pytest.raises(VisitRefused, match="not in the party book"):
        VisitorLog().register(registration(host_unit_id="9-9-0909"), book=book)
    before_anyone = registration(
        arrives=pendulum.datetime(2025, 1, 1, 9, tz="Asia/Shanghai"),
        leaves=pendulum.datetime(2025, 1, 1, 10, tz="Asia/Shanghai"),
    )
    with pytest.raises(VisitRefused, match="nobody there can host"):
        VisitorLog().register(before_anyone, book=book)
    with pytest.raises(VisitRefused, match="P9 confirmed visit V1 but is not"):
        VisitorLog().register(
            registration(entry=[EntryMethod.HOST_CONFIRMATION], host_confirmed_by="P9"),
            book=book,
        )
    lenient = VisitorLog(policy=VisitorPolicy(host_must_be_there=False))
    assert lenient.register(before_anyone, book=book).registrations


def test_registration_ids_are_unique() -> None:
    log = VisitorLog().register(registration())
    with pytest.raises(DuplicateRecord):
        log.register(registration())
    with pytest.raises(DuplicateRecord):
        VisitorLog((registration(), registration()))


def test_visits_to_a_unit_on_a_day_and_of_a_visitor() -> None:
    overnight = registration(registration_id="V2", arrives=at(24, 22), leaves=at(25, 8))
    log = VisitorLog().register(registration()).register(overnight)
    assert [r.registration_id for r in log.visits_to(FLAT, D(2026, 11, 25))] == ["V2"]
    assert len(log.visits_to(FLAT, D(2026, 11, 24))) == 2
    assert len(log.of_visitor("P9")) == 2


def test_a_visit_becomes_a_dated_visitor_relation() -> None:
    overnight = registration(arrives=at(24, 22), leaves=at(25, 8))
    relation = overnight.as_relation("R100")
    assert relation.kind is RelationKind.VISITOR
    assert (relation.start, relation.until) == (D(2026, 11, 24), D(2026, 11, 26))
    assert relation.registration_id == "V1"
    book = host_book().add_relation(relation)
    assert book.relations_to(FLAT, D(2026, 11, 25), [RelationKind.VISITOR])
    with pytest.raises(VisitRefused, match="names no visitor party"):
        registration(visitor_id=None).as_relation("R101")


def test_erasure_and_retention() -> None:
    log = (
        VisitorLog()
        .register(registration())
        .register(registration(registration_id="V2", visitor_id="P8"))
    )
    erased, changed = log.erased("P9")
    assert changed == ("V1",)
    first = erased.registrations[0]
    assert (first.visitor_name, first.plate, first.erased) == (None, None, True)
    assert first.arrives == at(24, 14)  # when and where stay: the gate's record of a visit
    assert erased.erased("P9")[1] == ()
    purged, removed = log.purged(at(24, 18))
    assert removed == ("V1", "V2")
    assert purged.registrations == ()
    with pytest.raises(VisitRefused, match="needs the visitor's name"):
        registration(visitor_name=None)
    with pytest.raises(VisitRefused, match="still holds personal data"):
        registration(erased=True, visitor_name=None)
