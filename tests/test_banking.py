"""propcrm.banking: the bank's collection file read row by row and reconciled with the accounts."""

from __future__ import annotations

import datetime
import io
import pathlib
from decimal import Decimal

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._i18n import SUPPORTED_LOCALES
from propcrm.banking import (
    BankFile,
    BankFileFormat,
    BankRow,
    RowOutcome,
    RowProblem,
    read_bank_file,
    reconcile,
)
from propcrm.billing import opening_statement
from propcrm.errors import DuplicateAccount, InvalidDataFile, InvalidType, MissingExtra
from propcrm.money import Money
from propcrm.receivables import Account, Receipt
from propcrm.storage import AccountId, MemoryStore
from propcrm.time import BillingPeriod

FORMAT = BankFileFormat(
    reference="交易流水号",
    unit="房号",
    amount="金额",
    date="交易日期",
    payer="户名",
    statement="缴费编号",
)
HEADER = "交易流水号,房号,金额,交易日期,户名,缴费编号"
DAY = pendulum.date(2026, 12, 5)


def _notice(unit: str, amount: str) -> object:
    return opening_statement(
        community="SUNRISE",
        unit_id=unit,
        period=BillingPeriod.month(2026, 11),
        amount=Money(amount),
        due_on=pendulum.date(2026, 12, 10),
    )


def _accounts() -> list[Account]:
    return [
        Account("1-2-0301", billed_party="owner-17").post(_notice("1-2-0301", "466.48")),
        Account("1-2-0302").post(_notice("1-2-0302", "300.00")),
        Account("1-2-0303").post(_notice("1-2-0303", "200.00")),
    ]


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return "\r\n".join([header, *rows, ""]).encode("utf-8-sig")


# -- reading -----------------------------------------------------------------------------------


def test_a_gbk_file_with_the_banks_title_lines() -> None:
    text = "\r\n".join(
        [
            "中国工商银行 代收业务明细",
            "单位：阳光花园物业服务中心",
            HEADER,
            "ICBC20261205000001,1-2-0301,466.48,20261205,张三,SUNRISE/2026-11/1-2-0301",
            "",
        ]
    )
    fmt = attrs.evolve(FORMAT, encoding="gbk", header_line=3)
    read = read_bank_file(text.encode("gbk"), fmt)
    (row,) = read.rows
    assert row == BankRow(
        4,
        "ICBC20261205000001",
        "1-2-0301",
        Money("466.48"),
        DAY,
        "张三",
        "SUNRISE/2026-11/1-2-0301",
    )
    assert read.rejected == ()


def test_gb18030_and_utf8_with_or_without_bom() -> None:
    row = "B1,1-2-0301,466.48,2026-12-05,𠀀先生,"  # a character outside GBK
    gb = read_bank_file(
        _csv(row).decode("utf-8-sig").encode("gb18030"), attrs.evolve(FORMAT, encoding="gb18030")
    )
    assert gb.rows[0].payer_name == "𠀀先生"
    assert read_bank_file(_csv(row), FORMAT).rows == gb.rows  # UTF-8 with its BOM
    plain = _csv(row).removeprefix(b"\xef\xbb\xbf")
    assert read_bank_file(plain, FORMAT).rows == gb.rows


def test_a_file_in_another_encoding_says_which_line_and_what_to_try() -> None:
    data = _csv("B1,1-2-0301,466.48,2026-12-05,张三,").decode("utf-8-sig").encode("gbk")
    with pytest.raises(InvalidDataFile, match="try encoding='gb18030'") as caught:
        read_bank_file(data, FORMAT)
    assert caught.value.context["line"] == 1
    with pytest.raises(InvalidDataFile, match="byte-order mark"):
        read_bank_file(_csv("B1,1-2-0301,1.00,2026-12-05,,"), attrs.evolve(FORMAT, encoding="gbk"))


def test_a_header_without_a_mapped_column_is_refused_naming_both() -> None:
    with pytest.raises(InvalidDataFile, match="no column '缴费编号'") as caught:
        read_bank_file(_csv(header="交易流水号,房号,金额,交易日期,户名"), FORMAT)
    assert caught.value.field == "header"
    with pytest.raises(InvalidDataFile, match="ends before its header line 5"):
        read_bank_file(_csv(), attrs.evolve(FORMAT, header_line=5))


@pytest.mark.parametrize(
    ("cells", "problem", "column", "value"),
    [
        ("B1,1-2-0301,1e3,2026-12-05,,", RowProblem.BAD_AMOUNT, "金额", "1e3"),
        ("B1,1-2-0301,12.345,2026-12-05,,", RowProblem.BAD_AMOUNT, "金额", "12.345"),
        ("B1,1-2-0301,-5.00,2026-12-05,,", RowProblem.BAD_AMOUNT, "金额", "-5.00"),
        ("B1,1-2-0301,0.00,2026-12-05,,", RowProblem.BAD_AMOUNT, "金额", "0.00"),
        ('B1,1-2-0301,"1,000.00",2026-12-05,,', RowProblem.BAD_AMOUNT, "金额", "1,000.00"),
        ("B1,1-2-0301,１００,2026-12-05,,", RowProblem.BAD_AMOUNT, "金额", "１００"),
        ("B1,1-2-0301,NaN,2026-12-05,,", RowProblem.BAD_AMOUNT, "金额", "NaN"),
        ("B1,1-2-0301,,2026-12-05,,", RowProblem.MISSING, "金额", ""),
        ("B1,1-2-0301,10.00,2026-13-01,,", RowProblem.BAD_DATE, "交易日期", "2026-13-01"),
        ("B1,1-2-0301,10.00,05/12/2026,,", RowProblem.BAD_DATE, "交易日期", "05/12/2026"),
        ("B 1,1-2-0301,10.00,2026-12-05,,", RowProblem.BAD_REFERENCE, "交易流水号", "B 1"),
        (",1-2-0301,10.00,2026-12-05,,", RowProblem.MISSING, "交易流水号", ""),
        ("B1,1-2 0301,10.00,2026-12-05,,", RowProblem.BAD_UNIT, "房号", "1-2 0301"),
        ("B1,1-2-0301,10.00,2026-12-05,,S 1", RowProblem.BAD_STATEMENT, "缴费编号", "S 1"),
        ("B1,1-2-0301,10.00", RowProblem.SHORT_ROW, "交易日期", "3 cells"),
    ],
)
def test_a_bad_row_is_an_error_with_its_line_and_reason(
    cells: str, problem: RowProblem, column: str, value: str
) -> None:
    read = read_bank_file(_csv("B0,1-2-0301,1.00,2026-12-05,,", cells), FORMAT)
    assert [r.line for r in read.rows] == [2]
    (error,) = read.rejected
    assert (error.line, error.problem, error.column, error.value) == (3, problem, column, value)
    assert error.describe("en_US").startswith(f"line 3, column {column}: ")
    assert error.describe("zh_CN").startswith(f"第3行，{column}列：")


def test_blank_lines_are_skipped_and_lines_count_as_the_file_shows_them() -> None:
    data = _csv(
        "", "B1,1-2-0301,1.00,2026-12-05,,", ",,,,,", 'B2,1-2-0301,2.00,2026-12-05,"张\n三",'
    )
    read = read_bank_file(data, FORMAT)
    assert [(r.line, r.reference) for r in read.rows] == [(3, "B1"), (6, "B2")]
    assert read.lines == 2


def test_a_path_is_read_like_its_bytes(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "bank.csv"
    path.write_bytes(_csv("B1,1-2-0301,1.00,2026-12-05,,"))
    assert read_bank_file(path, FORMAT) == read_bank_file(str(path), FORMAT)
    with pytest.raises(InvalidDataFile, match="cannot read"):
        read_bank_file(tmp_path / "missing.csv", FORMAT)


def _xlsx(rows: list[list[object]]) -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "代收明细"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_workbook_with_number_and_date_cells() -> None:
    data = _xlsx(
        [
            ["工商银行代收明细"],
            HEADER.split(","),
            ["B1", "1-2-0301", 466.48, datetime.datetime(2026, 12, 5, 10, 23), "张三", None],  # noqa: DTZ001 - a naive cell, as Excel keeps it
            ["B2", "1-2-0302", 300, datetime.date(2026, 12, 5), None, None],
            ["B3", "1-2-0303", 12.345, "2026-12-05", None, None],
            ["B4", "1-2-0303", 1e20, "2026-12-05", None, None],
            # Whole numbers are kept as ints (an id typed as a number); a fraction is no id.
            [20261205000005, "1-2-0303", 1, "2026-12-05", None, None],
            ["B6", 101.5, 1, "2026-12-05", None, None],
        ]
    )
    read = read_bank_file(data, attrs.evolve(FORMAT, header_line=2, sheet="代收明细"))
    assert [(r.line, r.amount, r.paid_on) for r in read.rows] == [
        (3, Money("466.48"), DAY),
        (4, Money("300"), DAY),
        (7, Money("1"), DAY),
    ]
    assert read.rows[2].reference == "20261205000005"
    assert [(e.line, e.problem, e.value) for e in read.rejected] == [
        (5, RowProblem.BAD_AMOUNT, "12.345"),
        (6, RowProblem.BAD_AMOUNT, "1e+20"),
        (8, RowProblem.BAD_UNIT, "101.5"),
    ]
    with pytest.raises(InvalidDataFile, match="no sheet 'Sheet9'"):
        read_bank_file(data, attrs.evolve(FORMAT, sheet="Sheet9"))
    with pytest.raises(InvalidDataFile, match="not an XLSX workbook"):
        read_bank_file(b"PK\x03\x04broken", FORMAT)


def test_xlsx_without_openpyxl_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    real = importlib.import_module

    def without(name: str, package: str | None = None) -> object:
        if name == "openpyxl":
            raise ModuleNotFoundError("No module named 'openpyxl'", name="openpyxl")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", without)
    with pytest.raises(MissingExtra, match=r"propcrm\[xlsx\]") as caught:
        read_bank_file(b"PK\x03\x04", FORMAT)
    assert caught.value.context["extra"] == "xlsx"


# -- reconciling -------------------------------------------------------------------------------


def _rows(*rows: tuple[str, str, str] | tuple[str, str, str, str | None]) -> BankFile:
    made = []
    for line, row in enumerate(rows, start=2):
        reference, unit, amount, *rest = row
        statement = rest[0] if rest else None
        made.append(BankRow(line, reference, unit, Money(amount), DAY, None, statement))
    return BankFile(tuple(made), ())


def test_each_group_with_its_reason() -> None:
    posted = Receipt("OLD-1", Money("50.00"), received_on=pendulum.date(2026, 11, 20))
    accounts = _accounts()
    accounts[2] = accounts[2].post(posted)
    bank = _rows(
        ("B1", "1-2-0301", "466.48"),  # matched
        ("B2", "1-2-0302", "100.00"),  # less than owed
        ("B3", "1-2-0302", "250.00"),  # more than the 200.00 left: 50.00 credit
        ("B1", "1-2-0301", "466.48"),  # the same payment again
        ("B3", "1-2-0303", "250.00"),  # the same reference, another unit
        ("B4", "9-9-0909", "10.00"),  # no such unit
        ("B5", "1-2-0303", "10.00", "SUNRISE/2026-10/1-2-0303"),  # no such statement
        ("OLD-1", "1-2-0303", "50.00"),  # posted before, but dated otherwise: a conflict
    )
    result = reconcile(bank, accounts)
    assert [(r.row.line, r.outcome) for r in result.rows] == [
        (2, RowOutcome.MATCHED),
        (3, RowOutcome.UNDERPAID),
        (4, RowOutcome.OVERPAID),
        (5, RowOutcome.DUPLICATE_IN_FILE),
        (6, RowOutcome.CONFLICT_IN_FILE),
        (7, RowOutcome.UNKNOWN_UNIT),
        (8, RowOutcome.UNKNOWN_STATEMENT),
        (9, RowOutcome.CONFLICT_POSTED),
    ]
    over = result.group(RowOutcome.OVERPAID)[0]
    assert (over.owed, over.credit) == (Money("200.00"), Money("50.00"))
    assert result.group(RowOutcome.UNDERPAID)[0].owed == Money("300.00")
    assert result.group(RowOutcome.DUPLICATE_IN_FILE)[0].first_line == 2
    assert result.group(RowOutcome.CONFLICT_POSTED)[0].posted_unit == "1-2-0303"
    assert {unit: [r.reference for r in rs] for unit, rs in result.receipts().items()} == {
        "1-2-0301": ["B1"],
        "1-2-0302": ["B2", "B3"],
    }
    report = result.describe("en_US")
    assert "more than the CN¥200.00 owed; CN¥50.00 becomes credit" in report
    assert "line 5: B1, unit 1-2-0301, CN¥466.48: the same payment as line 2" in report
    assert "the unit has no statement SUNRISE/2026-10/1-2-0303" in report
    zh = result.describe("zh_CN")
    assert "多于应缴的¥200.00，¥50.00转为预存" in zh
    assert "第7行：B4，房号9-9-0909，¥10.00：该房号无账户" in zh


def test_a_quoted_statement_becomes_the_receipts_designation() -> None:
    result = reconcile(_rows(("B1", "1-2-0301", "466.48", "SUNRISE/2026-11/1-2-0301")), _accounts())
    (row,) = result.rows
    assert row.outcome is RowOutcome.MATCHED
    assert row.receipt is not None
    assert row.receipt.designation == ("SUNRISE/2026-11/1-2-0301",)


def test_payments_count_from_the_day_the_banks_receipt_arrived() -> None:
    bank = BankFile(
        (
            BankRow(2, "B1", "1-2-0301", Money("466.48"), DAY),
            BankRow(3, "B2", "1-2-0302", Money("300.00"), pendulum.date(2026, 12, 9)),
        ),
        (),
    )
    result = reconcile(bank, _accounts(), received_on=pendulum.date(2026, 12, 8))
    first, late = result.rows
    assert first.receipt == Receipt(
        "B1", Money("466.48"), received_on=pendulum.date(2026, 12, 8), paid_on=DAY
    )
    assert late.outcome is RowOutcome.DATED_AFTER_RECEIPT
    assert late.receipt is None
    assert "paid on 2026-12-09, after the bank's receipt" in late.describe("en_US")


def test_the_same_file_again_agrees_with_the_store() -> None:
    """What the store takes as a duplicate is already posted; what it refuses, a conflict."""
    store = MemoryStore()
    accounts = _accounts()
    ids = {a.unit_id: AccountId("SUNRISE", a.unit_id, a.billed_party) for a in accounts}
    with store() as uow:
        for account in accounts:
            uow.accounts.add(ids[account.unit_id], account)
        uow.commit()
    bank = _rows(("B1", "1-2-0301", "466.48"), ("B2", "1-2-0302", "100.00"))

    def lookup(reference: str) -> tuple[str, Receipt] | None:
        with store() as uow:
            found = uow.accounts.receipt("SUNRISE", reference)
        return None if found is None else (found.account.unit_id, found.receipt)

    first = reconcile(bank, accounts, posted=lookup)
    assert [r.outcome for r in first.rows] == [RowOutcome.MATCHED, RowOutcome.UNDERPAID]
    with store() as uow:
        for unit, receipts in first.receipts().items():
            uow.accounts.append(ids[unit], receipts, expected_version=1)
        uow.commit()
    again = reconcile(bank, accounts, posted=lookup)
    assert [r.outcome for r in again.rows] == [RowOutcome.ALREADY_POSTED, RowOutcome.ALREADY_POSTED]
    assert again.receipts() == {}
    # What the store says of the same receipts: duplicates, credited once.
    with store() as uow:
        result = uow.accounts.append(
            ids["1-2-0301"], first.receipts()["1-2-0301"], expected_version=2
        )
        assert result.duplicates == first.receipts()["1-2-0301"]
    # The same reference for another unit: the store refuses it, the reconciliation says why.
    moved = _rows(("B1", "1-2-0303", "466.48"))
    (row,) = reconcile(moved, accounts, posted=lookup).rows
    assert (row.outcome, row.posted_unit) == (RowOutcome.CONFLICT_POSTED, "1-2-0301")
    # A mapping works as the function does.
    table = {"B1": ("1-2-0301", first.receipts()["1-2-0301"][0])}
    assert reconcile(bank, accounts, posted=table).rows[0].outcome is RowOutcome.ALREADY_POSTED


def test_accounts_as_a_mapping_and_two_accounts_for_one_unit() -> None:
    accounts = _accounts()
    sold = Account("1-2-0301", billed_party="buyer-2")
    with pytest.raises(DuplicateAccount, match="pass a mapping unit"):
        reconcile(_rows(), [*accounts, sold])
    by_unit = {a.unit_id: a for a in accounts} | {"1-2-0301": sold}
    (row,) = reconcile(_rows(("B1", "1-2-0301", "10.00")), by_unit).rows
    assert (row.outcome, row.owed) == (RowOutcome.OVERPAID, Money("0.00"))


def test_a_posted_lookup_giving_the_wrong_shape_is_refused() -> None:
    with pytest.raises(InvalidType, match="gives \\(unit id, Receipt\\)"):
        reconcile(_rows(("B1", "1-2-0301", "1.00")), _accounts(), posted=lambda _r: "B1")


# -- properties --------------------------------------------------------------------------------

UNITS = ("1-2-0301", "1-2-0302", "1-2-0303", "9-9-0909")
_row = st.tuples(
    st.sampled_from(("B1", "B2", "B3", "B4", "B5", "B6", "OLD-1")),
    st.sampled_from(UNITS),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2),
    st.sampled_from((None, "SUNRISE/2026-11/1-2-0301", "SUNRISE/2026-11/1-2-0302")),
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(_row, max_size=12))
def test_every_row_lands_in_one_group_and_the_totals_add_up_to_the_fen(
    rows: list[tuple[str, str, Decimal, str | None]],
) -> None:
    accounts = _accounts()
    accounts[2] = accounts[2].post(
        Receipt("OLD-1", Money("50.00"), received_on=pendulum.date(2026, 11, 20))
    )
    bank = BankFile(
        tuple(
            BankRow(line, ref, unit, Money(amount), DAY, None, statement)
            for line, (ref, unit, amount, statement) in enumerate(rows, start=2)
        ),
        (),
    )
    result = reconcile(bank, accounts)
    groups = result.groups
    lines = [r.row.line for rows_ in groups.values() for r in rows_]
    assert sorted(lines) == [row.line for row in bank.rows]  # each row once, none lost
    assert Money.total((result.total(o) for o in groups), "CNY") == bank.total
    posted = [r for r in result.rows if r.outcome.posts]
    assert all(r.receipt is not None for r in posted)
    assert all(r.receipt is None for r in result.rows if not r.outcome.posts)
    # Posting the receipts is accepted by the accounts: no reference twice, none in conflict.
    by_unit = {a.unit_id: a for a in accounts}
    for unit, receipts in result.receipts().items():
        by_unit[unit].post(*receipts)
    for r in result.group(RowOutcome.OVERPAID):
        assert r.owed is not None
        assert r.credit == r.row.amount - r.owed


@settings(max_examples=40, deadline=None)
@given(
    amounts=st.lists(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
        max_size=8,
    ),
    junk=st.lists(st.sampled_from(["1e3", "12.345", "", "-1", "abc", "1,0"]), max_size=4),
)
def test_a_read_file_accounts_for_every_line(amounts: list[Decimal], junk: list[str]) -> None:
    good = [f"G{i},1-2-0301,{a},2026-12-05,," for i, a in enumerate(amounts)]
    bad = [f"X{i},1-2-0301,{j},2026-12-05,," for i, j in enumerate(junk)]
    read = read_bank_file(_csv(*good, *bad), FORMAT)
    assert read.total == Money.total((Money(a) for a in amounts), "CNY")
    assert [e.line for e in read.rejected] == list(range(2 + len(good), 2 + len(good) + len(bad)))
    assert read.lines == len(good) + len(bad)


@settings(max_examples=300)
@given(line=st.integers(-(10**12), 10**12), locale=st.sampled_from(sorted(SUPPORTED_LOCALES)))
def test_a_line_number_is_written_as_babel_writes_it(line: int, locale: str) -> None:
    from babel import Locale
    from babel.numbers import format_decimal

    from propcrm.banking._reconcile import _line_number

    assert _line_number(line, locale) == format_decimal(line, locale=Locale.parse(locale))
