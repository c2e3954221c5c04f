"""Bad input to every public entry point of propcrm.imports is refused with a library error."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.bad_input import assert_refused, bad_counts, bad_locales, wrong_types
from tests.test_imports import UNITS

from propcrm.imports import BadRow, ImportFormat, RecordKind, read_import

EXAMPLES = 12
COLUMNS = {
    "meter_id": "表号",
    "kind": "类型",
    "previous": "上期",
    "current": "本期",
    "read_on": "日",
}


@settings(max_examples=EXAMPLES)
@given(bad=st.one_of(wrong_types, st.sampled_from(["units", "UNITS"])))
def test_import_format_kind(bad: object) -> None:
    assert_refused(lambda: ImportFormat(bad, COLUMNS))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(
    bad=st.one_of(
        wrong_types,
        st.sampled_from([{"meter_id": ""}, {1: "表号"}, {"meter_id": None}, COLUMNS | {"x": "y"}]),
    )
)
def test_import_format_columns(bad: object) -> None:
    assert_refused(lambda: ImportFormat(RecordKind.READINGS, bad))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(
    field=st.sampled_from(["date_formats", "encoding", "delimiter", "header_line", "sheet"]),
    bad=st.one_of(wrong_types, bad_counts, st.sampled_from(["", "latin-1", "%"])),
)
def test_import_format_options(field: str, bad: object) -> None:
    allowed = {
        "sheet": (None,),
        "date_formats": ("%",),
        "header_line": (),
        "encoding": (),
        "delimiter": (),
    }
    if bad in allowed[field] or (field == "header_line" and bad == "3"):
        return
    if field == "delimiter" and isinstance(bad, str) and len(bad) == 1 and bad not in '\r\n"':
        return
    assert_refused(lambda: ImportFormat(RecordKind.READINGS, COLUMNS, **{field: bad}))


@settings(max_examples=EXAMPLES)
@given(bad=wrong_types)
def test_read_import(bad: object) -> None:
    assert_refused(lambda: read_import(bad, UNITS))
    assert_refused(lambda: read_import(b"a\n", bad))  # type: ignore[arg-type]
    assert_refused(lambda: read_import(b"a\n", UNITS, skip_bad=bad))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=bad_locales)
def test_describe_locale(bad: object) -> None:
    result = read_import("房号,小区,楼栋,单元,楼层,室号,类型,建筑面积\n".encode(), UNITS)
    assert_refused(lambda: result.describe(bad))  # type: ignore[arg-type]
    assert_refused(lambda: BadRow(2, "why").describe(bad))  # type: ignore[arg-type]
