"""Bad input to every public entry point of propcrm.banking is refused with a library error."""

from __future__ import annotations

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.bad_input import (
    assert_refused,
    bad_amounts,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_locales,
    bad_text,
    wrong_types,
)
from tests.test_banking import FORMAT, _accounts, _rows

from propcrm.banking import (
    BankFile,
    BankFileFormat,
    BankRow,
    RowError,
    RowOutcome,
    RowProblem,
    read_bank_file,
    reconcile,
)
from propcrm.money import Money

EXAMPLES = 12
DAY = pendulum.date(2026, 12, 5)
COLUMNS = ("reference", "unit", "amount", "date")


@settings(max_examples=EXAMPLES)
@given(bad=bad_text, field=st.sampled_from(COLUMNS))
def test_bank_file_format_columns(bad: object, field: str) -> None:
    names = dict(zip(COLUMNS, ("流水号", "房号", "金额", "日期"), strict=True))
    names[field] = bad  # type: ignore[assignment]
    assert_refused(lambda: BankFileFormat(**names))


@settings(max_examples=EXAMPLES)
@given(bad=bad_text, field=st.sampled_from(("payer", "statement", "sheet")))
def test_bank_file_format_optional_columns(bad: object, field: str) -> None:
    if bad is None:
        return  # not mapped
    assert_refused(lambda: BankFileFormat("a", "b", "c", "d", **{field: bad}))


@settings(max_examples=EXAMPLES)
@given(bad=st.one_of(wrong_types, st.sampled_from(["", "latin-1", "gb2312", "utf-16", "big5"])))
def test_bank_file_format_encoding(bad: object) -> None:
    assert_refused(lambda: BankFileFormat("a", "b", "c", "d", encoding=bad))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=st.one_of(wrong_types, st.sampled_from(["", ",,", "\n", '"'])))
def test_bank_file_format_delimiter(bad: object) -> None:
    assert_refused(lambda: BankFileFormat("a", "b", "c", "d", delimiter=bad))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=st.one_of(bad_counts, st.just(0)))
def test_bank_file_format_header_line(bad: object) -> None:
    assert_refused(lambda: BankFileFormat("a", "b", "c", "d", header_line=bad))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=st.one_of(wrong_types, st.sampled_from(["", "Y-m-d", ("%Y",), "%Y-%m-%d"])))
def test_bank_file_format_date_formats(bad: object) -> None:
    if bad == ("%Y",):
        return  # a format, however odd
    assert_refused(lambda: BankFileFormat("a", "b", "c", "d", date_formats=bad))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=st.one_of(wrong_types, st.sampled_from(["", "RMB", "XXX1"])))
def test_bank_file_format_currency(bad: object) -> None:
    assert_refused(lambda: BankFileFormat("a", "b", "c", "d", currency=bad))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=st.one_of(wrong_types, st.sampled_from([7, ""])))
def test_read_bank_file_source(bad: object) -> None:
    if bad == "":
        return  # a path that does not exist: refused below
    assert_refused(lambda: read_bank_file(bad, FORMAT))


def test_read_bank_file_missing_path() -> None:
    assert_refused(lambda: read_bank_file("", FORMAT))


@settings(max_examples=EXAMPLES)
@given(bad=wrong_types)
def test_read_bank_file_format(bad: object) -> None:
    assert_refused(lambda: read_bank_file(b"a,b\n", bad))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=st.sampled_from([b"\xff\xfe\xfa", b"a,b\n1,2\n", b'"a\x00', b""]))
def test_read_bank_file_unreadable_bytes(bad: bytes) -> None:
    assert_refused(lambda: read_bank_file(bad, FORMAT))


@settings(max_examples=EXAMPLES)
@given(
    line=st.one_of(bad_counts, st.just(0)),
    reference=bad_ids,
    unit=bad_ids,
    amount=st.one_of(bad_amounts, st.just(Money("0")), st.just(Money("-1.00"))),
    day=bad_dates,
)
def test_bank_row(
    line: object, reference: object, unit: object, amount: object, day: object
) -> None:
    ok: dict[str, object] = {
        "line": 2,
        "reference": "B1",
        "unit_id": "1-2-0301",
        "amount": Money("1.00"),
        "paid_on": DAY,
    }
    for field, bad in (
        ("line", line),
        ("reference", reference),
        ("unit_id", unit),
        ("amount", amount),
        ("paid_on", day),
    ):
        assert_refused(lambda f=field, b=bad: BankRow(**(ok | {f: b})))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(payer=bad_text, statement=bad_ids)
def test_bank_row_optional(payer: object, statement: object) -> None:
    row = {"line": 2, "reference": "B1", "unit_id": "1", "amount": Money("1.00"), "paid_on": DAY}
    if payer is not None:
        assert_refused(lambda: BankRow(**row, payer_name=payer))  # type: ignore[arg-type]
    if statement is not None:
        assert_refused(lambda: BankRow(**row, statement=statement))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=wrong_types)
def test_bank_file(bad: object) -> None:
    if bad not in ((), []):  # no rows, no refused rows: an empty file
        assert_refused(lambda: BankFile(bad, ()))  # type: ignore[arg-type]
        assert_refused(lambda: BankFile((), bad))  # type: ignore[arg-type]
    assert_refused(lambda: BankFile((), (), bad))  # type: ignore[arg-type]


def test_bank_file_in_one_currency() -> None:
    usd = BankRow(2, "B1", "1", Money("1.00", "USD"), DAY)
    assert_refused(lambda: BankFile((usd,), ()))


@settings(max_examples=EXAMPLES)
@given(line=st.one_of(bad_counts, st.just(0)), bad=wrong_types)
def test_row_error(line: object, bad: object) -> None:
    assert_refused(lambda: RowError(line, RowProblem.MISSING, "c", "v"))  # type: ignore[arg-type]
    assert_refused(lambda: RowError(2, bad, "c", "v"))  # type: ignore[arg-type]
    assert_refused(lambda: RowError(2, RowProblem.MISSING, bad, "v"))  # type: ignore[arg-type]
    assert_refused(lambda: RowError(2, RowProblem.MISSING, "c", bad))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=bad_locales)
def test_describe_locale(bad: object) -> None:
    result = reconcile(_rows(("B1", "1-2-0301", "1.00")), _accounts())
    error = RowError(2, RowProblem.MISSING, "c", "")
    assert_refused(lambda: result.describe(bad))  # type: ignore[arg-type]
    assert_refused(lambda: result.rows[0].describe(bad))  # type: ignore[arg-type]
    assert_refused(lambda: error.describe(bad))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=wrong_types)
def test_reconciliation_group(bad: object) -> None:
    result = reconcile(_rows(), _accounts())
    assert_refused(lambda: result.group(bad))  # type: ignore[arg-type]
    assert_refused(lambda: result.group("matched"))  # type: ignore[arg-type]
    assert result.group(RowOutcome.MATCHED) == ()


@settings(max_examples=EXAMPLES)
@given(bad=wrong_types)
def test_reconcile(bad: object) -> None:
    assert_refused(lambda: reconcile(bad, _accounts()))  # type: ignore[arg-type]
    if bad not in ((), [], {}):
        assert_refused(lambda: reconcile(_rows(), bad))  # type: ignore[arg-type]
    if bad is not None and bad != {}:  # nothing posted
        assert_refused(
            lambda: reconcile(_rows(("B1", "1-2-0301", "1.00")), _accounts(), posted=bad)  # type: ignore[arg-type]
        )


@settings(max_examples=EXAMPLES)
@given(bad=st.one_of(bad_ids, st.just({"1-2-0301": "not an account"})))
def test_reconcile_accounts_mapping(bad: object) -> None:
    mapping = bad if isinstance(bad, dict) else {bad: _accounts()[0]}
    try:
        hash(bad)
    except TypeError:
        return
    assert_refused(lambda: reconcile(_rows(), mapping))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=bad_dates)
def test_reconcile_received_on(bad: object) -> None:
    if bad is None:
        return  # the rows' own dates
    assert_refused(lambda: reconcile(_rows(), _accounts(), received_on=bad))  # type: ignore[arg-type]
