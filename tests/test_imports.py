"""propcrm.imports: units, parties, relations and readings from spreadsheets, every row checked."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pendulum
import pytest

from propcrm.billing import MeterReading, PropertyType
from propcrm.errors import InvalidDataFile
from propcrm.imports import FIELDS, ImportFormat, RecordKind, read_import
from propcrm.parties import Organisation, OrganisationKind, Owner, Person, Resident, Tenant

UNITS = ImportFormat(
    RecordKind.UNITS,
    {
        "unit_id": "房号",
        "community": "小区",
        "building": "楼栋",
        "entrance": "单元",
        "floor": "楼层",
        "number": "室号",
        "property_type": "类型",
        "building_area": "建筑面积",
    },
)
UNIT_HEADER = "房号,小区,楼栋,单元,楼层,室号,类型,建筑面积"


def _csv(header: str, *rows: str) -> bytes:
    return "\n".join([header, *rows]).encode("utf-8-sig")


def test_units_with_codes_or_names_of_their_type() -> None:
    result = read_import(
        _csv(
            UNIT_HEADER,
            "1-2-0301,SUNRISE,1,2,3,0301,住宅,89.37",
            "S-105,SUNRISE,S,,1,105,commercial,56.20",
            "P-B1-088,SUNRISE,P,,-1,088,parking space,12.5",
        ),
        UNITS,
    )
    assert result.ok
    flat, shop, space = result.records
    assert (flat.unit_id, flat.floor, flat.property_type, flat.building_area) == (
        "1-2-0301",
        3,
        PropertyType.RESIDENTIAL,
        Decimal("89.37"),
    )
    assert (shop.entrance, shop.property_type) == (None, PropertyType.COMMERCIAL)
    assert (space.floor, space.property_type) == (-1, PropertyType.PARKING)


def test_every_bad_row_is_listed_and_nothing_is_returned() -> None:
    result = read_import(
        _csv(
            UNIT_HEADER,
            "1-2-0301,SUNRISE,1,2,3,0301,住宅,89.37",
            "1-2-0302,SUNRISE,1,2,3,0302,住宅,1e3",
            "1-2-0303,SUNRISE,1,2,3.5,0303,住宅,89.37",
            "1-2-0304,SUNRISE,1,2,3,0304,villa,89.37",
            "1-2-0301,SUNRISE,1,2,3,0301,住宅,89.37",
            "1 2 0305,SUNRISE,1,2,3,0305,住宅,89.37",
            "1-2-0306,SUNRISE,1,2,3,0306,住宅,-5",
        ),
        UNITS,
    )
    assert result.records == ()
    assert [(b.line, b.column) for b in result.bad] == [
        (3, "建筑面积"),
        (4, "楼层"),
        (5, "类型"),
        (6, "房号"),
        (7, "房号"),
        (8, "建筑面积"),
    ]
    report = result.describe("en_US")
    assert report.startswith("7 rows, 1 good, 6 bad")
    assert "line 3, column 建筑面积: '1e3' is not a decimal number such as 89.37." in report
    assert "line 6, column 房号: 1-2-0301 is already on line 2; each id once." in report
    assert report.endswith("nothing is imported while any row is bad")
    assert result.describe("zh_CN").startswith("共7行，正确1行，错误6行")


def test_skip_bad_keeps_the_good_rows_and_gives_the_bad_for_a_file() -> None:
    result = read_import(
        _csv(UNIT_HEADER, "1-2-0301,SUNRISE,1,2,3,0301,住宅,89.37", "x,SUNRISE,1,2,3,1,住宅,abc"),
        UNITS,
        skip_bad=True,
    )
    assert [u.unit_id for u in result.records] == ["1-2-0301"]
    assert result.skipped
    rows = list(csv.reader(io.StringIO(result.bad_rows_csv())))
    assert rows == [
        ["line", "column", "value", "reason"],
        ["3", "建筑面积", "abc", "'abc' is not a decimal number such as 89.37."],
    ]
    assert result.describe("zh_CN").endswith("已跳过错误行")


PARTIES = ImportFormat(
    RecordKind.PARTIES,
    {
        "party_id": "编号",
        "kind": "类别",
        "name": "姓名",
        "mobile": "手机",
        "id_number": "身份证",
        "credit_code": "信用代码",
    },
)


def test_parties_through_the_identifier_types() -> None:
    result = read_import(
        _csv(
            "编号,类别,姓名,手机,身份证,信用代码",
            "P1,个人,张三,13812345678,11010519491231002X,",
            "O1,enterprise,阳光超市有限公司,,,91350100M000100Y43",
            "P2,person,李四,12345,,",
            "P3,person,王五,,110105194912310021,",
            "O2,alien,某某,,,",
        ),
        PARTIES,
    )
    assert [(b.line, b.column) for b in result.bad] == [(4, "手机"), (5, "身份证"), (6, "类别")]
    assert "a mainland mobile has 11 digits" in result.bad[0].reason
    assert result.bad[0].value == "12345"
    good = read_import(
        _csv(
            "编号,类别,姓名,手机,身份证,信用代码", "P1,个人,张三,13812345678,,", "O1,企业,物业,,,"
        ),
        PARTIES,
    )
    person, organisation = good.records
    assert isinstance(person, Person)
    assert str(person.mobile) == "138****5678"
    assert isinstance(organisation, Organisation)
    assert organisation.kind is OrganisationKind.ENTERPRISE


RELATIONS = ImportFormat(
    RecordKind.RELATIONS,
    {
        "relation_id": "编号",
        "kind": "关系",
        "party_id": "客户",
        "unit_id": "房号",
        "start": "起始",
        "until": "截止",
        "share": "份额",
        "lease_id": "租约",
        "pays_fees": "缴费",
    },
)


def test_relations_of_each_kind() -> None:
    result = read_import(
        _csv(
            "编号,关系,客户,房号,起始,截止,份额,租约,缴费",
            "R1,业主,P1,1-2-0301,2020-05-01,,0.5,,是",
            "R2,tenant,P2,1-2-0301,20260101,20261231,,L-1,no",
            "R3,居民,P3,1-2-0301,2026-01-01,,,,",
        ),
        RELATIONS,
    )
    assert result.ok, result.describe("en_US")
    owner, tenant, resident = result.records
    assert isinstance(owner, Owner)
    assert (owner.share, owner.pays_fees, owner.start) == (
        Decimal("0.5"),
        True,
        pendulum.date(2020, 5, 1),
    )
    assert isinstance(tenant, Tenant)
    assert (tenant.lease_id, tenant.until) == ("L-1", pendulum.date(2026, 12, 31))
    assert isinstance(resident, Resident)
    bad = read_import(
        _csv(
            "编号,关系,客户,房号,起始,截止,份额,租约,缴费",
            "R1,tenant,P2,1-2-0301,2026-01-01,,,,",
            "R2,owner,P1,1-2-0301,2026-02-30,,,,",
            "R3,owner,P1,1-2-0301,2026-01-01,2025-01-01,,,",
            "R4,owner,P1,1-2-0301,2026-01-01,,,,maybe",
        ),
        RELATIONS,
    )
    assert [(b.line, b.column) for b in bad.bad] == [
        (2, "租约"),
        (3, "起始"),
        (4, "截止"),
        (5, "缴费"),
    ]


def test_meter_readings_from_a_workbook() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["抄表记录"])
    sheet.append(["表号", "类型", "上期", "本期", "抄表日", "倍率"])
    sheet.append(["W-0301", "water", 120, 138.5, pendulum.date(2026, 11, 30), None])
    sheet.append(["E-0301", "power", 1000, 900, "2026-11-30", 1])
    sheet.append(["E-0302", "power", 1000, 1e30, "2026-11-30", 1])
    out = io.BytesIO()
    book.save(out)
    fmt = ImportFormat(
        RecordKind.READINGS,
        {
            "meter_id": "表号",
            "kind": "类型",
            "previous": "上期",
            "current": "本期",
            "read_on": "抄表日",
            "multiplier": "倍率",
        },
        header_line=2,
    )
    result = read_import(out.getvalue(), fmt, skip_bad=True)
    (reading,) = result.records
    assert isinstance(reading, MeterReading)
    assert (reading.current, reading.read_on) == (Decimal("138.5"), pendulum.date(2026, 11, 30))
    assert [(b.line, b.column) for b in result.bad] == [(4, "本期"), (5, "本期")]


def test_a_format_names_every_required_field_and_no_other() -> None:
    required, optional = FIELDS[RecordKind.UNITS]
    assert "unit_id" in required
    assert "inner_area" in optional
    with pytest.raises(InvalidDataFile, match="needs a header for building_area"):
        ImportFormat(RecordKind.UNITS, {f: f for f in required if f != "building_area"})
    with pytest.raises(InvalidDataFile, match="has no field colour"):
        ImportFormat(RecordKind.UNITS, {**{f: f for f in required}, "colour": "颜色"})
    with pytest.raises(InvalidDataFile, match="no column '建筑面积'"):
        read_import(_csv("房号,小区,楼栋,单元,楼层,室号,类型"), UNITS)
