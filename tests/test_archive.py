"""Tests for propcrm.archive: the owner archive (业主档案) of units and persons."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._trusted import rebuilt_validated
from propcrm.archive import (
    CommunicationChannel,
    CommunicationRecord,
    DecorationExtension,
    DecorationRecord,
    DecorationViolation,
    HandoverInspection,
    OwnerArchive,
    PublicAffair,
    PublicAffairRecord,
    RepairRecord,
    SpecialServiceRecord,
    UsageRecord,
    WarrantyRecord,
)
from propcrm.archive._archive import REDACTED, ArchiveRecord
from propcrm.errors import DuplicateRecord, InvalidArchiveRecord, NaiveDatetime
from propcrm.money import Money
from propcrm.parties import DecorationPermit

D = pendulum.date
UNIT = "1-2-0301"
PERMIT = DecorationPermit("ZX-2026-031", D(2026, 3, 5), hot_work=True)


def decoration(record_id: str = "A3") -> DecorationRecord:
    return DecorationRecord(
        record_id=record_id,
        unit_id=UNIT,
        on=D(2026, 3, 5),
        permit=PERMIT,
        planned_until=D(2026, 5, 5),
        deposit=Money("2000.00"),
    )


def unit_archive() -> OwnerArchive:
    return (
        OwnerArchive()
        .add(
            HandoverInspection(
                record_id="A1",
                unit_id=UNIT,
                on=D(2026, 2, 20),
                inspector="工程部 王工",
                passed=False,
                defects=("主卧窗户渗水",),
            )
        )
        .add(
            WarrantyRecord(
                record_id="A2",
                unit_id=UNIT,
                on=D(2026, 3, 1),
                item="防水工程",
                until=D(2031, 3, 1),
                contractor="阳光建设",
            )
        )
        .add(decoration())
        .add(
            DecorationViolation(
                record_id="A4",
                unit_id=UNIT,
                on=D(2026, 3, 20),
                permit_number="ZX-2026-031",
                description="拆改承重墙",
                rectify_by=D(2026, 3, 27),
            )
        )
        .add(
            DecorationExtension(
                record_id="A5",
                unit_id=UNIT,
                on=D(2026, 5, 1),
                permit_number="ZX-2026-031",
                until=D(2026, 5, 25),
            )
        )
        .add(
            RepairRecord(
                record_id="A6",
                unit_id=UNIT,
                on=D(2026, 7, 1),
                description="窗户渗水返修",
                under_warranty=True,
                completed_on=D(2026, 7, 3),
            )
        )
        .add(UsageRecord(record_id="A7", unit_id=UNIT, on=D(2026, 8, 1), description="出租登记"))
    )


def test_the_unit_file_is_in_date_order() -> None:
    archive = unit_archive()
    assert [r.record_id for r in archive.unit_file(UNIT)] == [
        "A1",
        "A2",
        "A3",
        "A4",
        "A5",
        "A6",
        "A7",
    ]
    assert [r.record_id for r in archive.unit_file(UNIT, until=D(2026, 3, 5))] == ["A1", "A2", "A3"]
    assert archive.unit_file("9-9-0909") == ()


def test_extensions_move_the_decoration_end() -> None:
    archive = unit_archive()
    assert archive.decoration_until(UNIT, "ZX-2026-031") == D(2026, 5, 25)
    with pytest.raises(InvalidArchiveRecord, match="does not extend"):
        archive.add(
            DecorationExtension(
                record_id="A8",
                unit_id=UNIT,
                on=D(2026, 5, 10),
                permit_number="ZX-2026-031",
                until=D(2026, 5, 20),
            )
        )


def test_violations_and_extensions_need_a_registered_decoration() -> None:
    with pytest.raises(InvalidArchiveRecord, match="register the decoration"):
        OwnerArchive().add(
            DecorationViolation(
                record_id="A1",
                unit_id=UNIT,
                on=D(2026, 3, 20),
                permit_number="ZX-9",
                description="噪音扰民",
            )
        )
    with pytest.raises(InvalidArchiveRecord, match="before decoration"):
        OwnerArchive().add(decoration()).add(
            DecorationExtension(
                record_id="A9",
                unit_id=UNIT,
                on=D(2026, 3, 1),
                permit_number="ZX-2026-031",
                until=D(2026, 6, 1),
            )
        )
    with pytest.raises(InvalidArchiveRecord, match="registered already"):
        OwnerArchive().add(decoration()).add(decoration("A4"))


def test_open_violations_until_rectified() -> None:
    archive = unit_archive()
    assert [v.record_id for v in archive.open_violations(UNIT, D(2026, 3, 25))] == ["A4"]
    assert archive.open_violations(UNIT, D(2026, 3, 19)) == ()
    rectified = (
        OwnerArchive()
        .add(decoration())
        .add(
            DecorationViolation(
                record_id="A4",
                unit_id=UNIT,
                on=D(2026, 3, 20),
                permit_number="ZX-2026-031",
                description="拆改承重墙",
                rectified_on=D(2026, 3, 26),
            )
        )
    )
    assert rectified.open_violations(UNIT, D(2026, 3, 25))
    assert rectified.open_violations(UNIT, D(2026, 3, 26)) == ()


def test_warranties_in_force() -> None:
    archive = unit_archive()
    assert [w.item for w in archive.warranties(UNIT, D(2030, 1, 1))] == ["防水工程"]
    assert archive.warranties(UNIT, D(2031, 3, 1)) == ()


@pytest.mark.parametrize(
    "build",
    [
        lambda: WarrantyRecord(
            record_id="W", unit_id=UNIT, on=D(2026, 3, 1), item="x", until=D(2026, 3, 1)
        ),
        lambda: RepairRecord(
            record_id="R",
            unit_id=UNIT,
            on=D(2026, 3, 2),
            description="x",
            completed_on=D(2026, 3, 1),
        ),
        lambda: DecorationRecord(
            record_id="D",
            unit_id=UNIT,
            on=D(2026, 3, 5),
            permit=PERMIT,
            planned_until=D(2026, 3, 5),
        ),
        lambda: DecorationViolation(
            record_id="V",
            unit_id=UNIT,
            on=D(2026, 3, 5),
            permit_number="ZX",
            description="x",
            rectify_by=D(2026, 3, 4),
        ),
        lambda: UsageRecord(record_id="U", unit_id=UNIT, on=D(2026, 3, 5), description=" "),
        lambda: UsageRecord(record_id="U 1", unit_id=UNIT, on=D(2026, 3, 5), description="x"),
    ],
    ids=["warranty", "repair", "decoration", "violation", "usage-text", "usage-id"],
)
def test_malformed_records_are_refused(build: object) -> None:
    with pytest.raises(InvalidArchiveRecord):
        build()  # type: ignore[operator]


def test_record_ids_are_unique_across_the_archive() -> None:
    archive = unit_archive()
    with pytest.raises(DuplicateRecord, match="A1"):
        archive.add(UsageRecord(record_id="A1", unit_id=UNIT, on=D(2026, 9, 1), description="x"))
    with pytest.raises(DuplicateRecord):
        OwnerArchive(unit_records=(decoration(), decoration()))


def test_an_archive_built_at_once_is_checked_like_one_built_record_by_record() -> None:
    archive = unit_archive()
    assert OwnerArchive(archive.unit_records, archive.person_records) == archive
    with pytest.raises(InvalidArchiveRecord):
        OwnerArchive(unit_records=archive.unit_records[3:])  # a violation before its decoration


# -- person records ---------------------------------------------------------------------------


def person_archive() -> OwnerArchive:
    at = pendulum.datetime(2026, 6, 2, 10, tz="Asia/Shanghai")
    return (
        OwnerArchive()
        .add(
            PublicAffairRecord(
                record_id="B1",
                party_id="P1",
                on=D(2026, 6, 1),
                affair=PublicAffair.MOVE_IN,
                unit_id=UNIT,
                reference="入住-0001",
                outcome="钥匙三把已交付",
            )
        )
        .add(
            CommunicationRecord(
                record_id="B2",
                party_id="P1",
                at=at,
                channel=CommunicationChannel.PHONE,
                summary="业主来电询问车位，电话 13812345678",
                staff="S001",
            )
        )
        .add(
            SpecialServiceRecord(
                record_id="B3",
                party_id="P1",
                on=D(2026, 7, 1),
                service="空调清洗",
                unit_id=UNIT,
                amount=Money("80.00"),
                reference="SO-7",
            )
        )
    )


def test_the_person_file_holds_public_affairs_communications_and_special_services() -> None:
    archive = person_archive()
    assert [type(r).__name__ for r in archive.person_file("P1")] == [
        "PublicAffairRecord",
        "CommunicationRecord",
        "SpecialServiceRecord",
    ]
    assert archive.person_file("P1", until=D(2026, 6, 1))[0].affair.label() == "入住"  # type: ignore[union-attr]
    assert archive.person_file("P2") == ()


def test_communications_need_aware_instants() -> None:
    import datetime

    with pytest.raises(NaiveDatetime):
        CommunicationRecord(
            record_id="B9",
            party_id="P1",
            at=datetime.datetime(2026, 6, 2, 10),  # noqa: DTZ001
            channel=CommunicationChannel.SMS,
            summary="x",
        )


@pytest.mark.parametrize(
    ("affair", "label"),
    [
        (PublicAffair.HOT_WORK_PERMIT, "动火作业审批"),
        (PublicAffair.MOVING_RELEASE, "搬迁放行"),
        (PublicAffair.PARKING_ALLOCATION, "车位分配"),
        (PublicAffair.FEES, "费用事务"),
        (PublicAffair.COMPLAINT, "投诉"),
    ],
)
def test_public_affairs_of_the_brief_have_chinese_labels(affair: PublicAffair, label: str) -> None:
    assert affair.label() == label


def test_reassigning_moves_person_records_and_removes_nothing() -> None:
    archive, moved = person_archive().reassigned("P1", "P7")
    assert moved == ("B1", "B2", "B3")
    assert archive.person_file("P1") == ()
    assert len(archive.person_file("P7")) == 3


def test_redaction_removes_free_text_and_keeps_dates_kinds_and_amounts() -> None:
    archive, changed = person_archive().redacted("P1")
    assert changed == ("B1", "B2")
    affair, call, service = archive.person_file("P1")
    assert isinstance(affair, PublicAffairRecord)
    assert (affair.outcome, affair.reference, affair.on) == (REDACTED, "入住-0001", D(2026, 6, 1))
    assert isinstance(call, CommunicationRecord)
    assert call.summary == REDACTED
    assert call.staff == "S001"
    assert isinstance(service, SpecialServiceRecord)
    assert service.amount == Money("80.00")


# -- the fast path: add() builds the next archive without re-checking the whole of it ---------


def _pool() -> list[ArchiveRecord]:
    return [*unit_archive().unit_records, *person_archive().person_records]


@settings(max_examples=60, deadline=None)
@given(st.permutations(range(len(_pool()))), st.integers(min_value=0, max_value=10))
def test_an_archive_grown_by_add_equals_one_built_and_checked_at_once(
    order: list[int], length: int
) -> None:
    """Records added one by one (each refusal skipped) give the archive the constructor builds."""
    pool = _pool()
    archive = OwnerArchive()
    for i in order[:length]:
        try:
            archive = archive.add(pool[i])
        except InvalidArchiveRecord:
            continue
    assert rebuilt_validated(archive) == archive
    assert (
        OwnerArchive(unit_records=archive.unit_records, person_records=archive.person_records)
        == archive
    )
