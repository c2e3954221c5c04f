"""propcrm.imports' trusted path for the plainest rows: the reference path's records and bad rows.

Files are drawn from cells of the plainest shapes and from every near miss (spaces around or
inside, non-ASCII ids and digits, ids too long, exponents, negative and zero values, unknown
codes, bad dates, shares out of range), with the optional columns mapped or not; each is read
with the trusted path and without it, and the two results must be the same.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import hypothesis
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.billing import PropertyType
from propcrm.imports import FIELDS, ImportFormat, RecordKind
from propcrm.imports._imports import _read

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=6
)


class _Cells:
    """A column's cells: good ones, and any (a near miss, padded, any text)."""

    def __init__(self, *plain: str) -> None:
        self.good = st.sampled_from(plain[:2])
        chosen = st.sampled_from(plain)
        self.any = st.one_of(
            chosen,
            chosen,
            chosen,
            chosen.map(lambda t: f" {t}"),
            chosen.map(lambda t: f"{t}\u3000"),
            _TEXT,
        )


_cells = _Cells


_IDS = _cells("1-1-0001", "1-1-0002", "U1", "owner-1", "R1", "x" * 64, "x" * 65, "A B", "房1", "")
_COMMUNITIES = _cells("BENCH", "SUNRISE", "B C", "")
_TEXTS = _cells("1", "A栋", "0301", " ", "")
_FLOORS = _cells("1", "-1", "0", "-0", "01", "12", "1.0", "x", "", "３")
_TYPES = _cells(
    *(t.value for t in PropertyType), *(t.label() for t in PropertyType), "nope", "住 宅", ""
)
_AREAS = _cells(
    "89.37", "0", "0.00", "-1", "-0", "1e3", "１００", "89.", ".5", "12345678901234567890123.5", ""
)
_NAMES = _cells("张三", "李四", "X" * 200, "a b", "", " ")
_PARTY_KINDS = _cells("person", "个人", "enterprise", "企业", "tenant", "")
_PHONES = _cells("", "", "13800138000", "123", "+8613800138000")
_RELATION_KINDS = _cells("owner", "业主", "tenant", "resident", "Owner", "")
_DATES = _cells(
    "2020-01-01", "", "20200102", "2020/01/03", "2021-01-01", "2019-12-31", "2020-13-01", ""
)
_SHARES = _cells("", "0.5", "1", "1.0", "1.00", "0", "0.0", "1.5", "-0.5", "1e-1", "0.25")
_FLAGS = _cells("是", "否", "yes", "No", "TRUE", "0", "1", "maybe", "")

_COLUMNS: dict[RecordKind, dict[str, _Cells]] = {
    RecordKind.UNITS: {
        "unit_id": _IDS,
        "community": _COMMUNITIES,
        "building": _TEXTS,
        "floor": _FLOORS,
        "number": _TEXTS,
        "property_type": _TYPES,
        "building_area": _AREAS,
        "entrance": _TEXTS,
        "inner_area": _AREAS,
    },
    RecordKind.PARTIES: {
        "party_id": _IDS,
        "kind": _PARTY_KINDS,
        "name": _NAMES,
        "mobile": _PHONES,
        "id_number": _cells("", "", "11010519491231002X", "110105194912310021"),
        "credit_code": _cells("", "", "91350100M000100Y43"),
    },
    RecordKind.RELATIONS: {
        "relation_id": _IDS,
        "kind": _RELATION_KINDS,
        "party_id": _IDS,
        "unit_id": _IDS,
        "start": _DATES,
        "until": _DATES,
        "share": _SHARES,
        "lease_id": _cells("", "", "L1"),
        "role": _cells("", "", "lead", "head"),
        "pays_fees": _FLAGS,
    },
}


@st.composite
def _files(draw: st.DrawFn) -> tuple[bytes, ImportFormat]:
    kind = draw(st.sampled_from(list(_COLUMNS)))
    required, optional = FIELDS[kind]
    fields = [*required, *(f for f in optional if draw(st.booleans()))]
    order = draw(st.permutations(fields))
    columns = [_COLUMNS[kind][f] for f in order]
    rows = []
    for _n in range(draw(st.integers(1, 12))):
        # Good cells but one, or two, or any cells at all.
        odd = draw(st.sets(st.sampled_from(range(len(order))), max_size=2))
        wild = draw(st.integers(0, 5)) == 0
        rows.append([draw(c.any if wild or i in odd else c.good) for i, c in enumerate(columns)])
    short = draw(st.booleans())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(order)
    for row in rows:
        # Sometimes a row short of its last cells, as a hand-edited file has.
        writer.writerow(row[:-1] if short and draw(st.booleans()) else row)
    return out.getvalue().encode("utf-8"), ImportFormat(kind, {f: f for f in fields})


def _shown(result: Any) -> tuple[Any, ...]:
    return (
        result.records,
        tuple(type(r) for r in result.records),
        tuple(repr(r) for r in result.records),
        result.bad,
        result.lines,
        result.skipped,
    )


@settings(max_examples=400, deadline=None)
@given(case=_files(), skip_bad=st.booleans())
def test_the_trusted_path_reads_every_file_as_the_reference_path(
    case: tuple[bytes, ImportFormat], skip_bad: bool
) -> None:
    data, file_format = case
    fast = _read(data, file_format, skip_bad=skip_bad, trusted=True)
    reference = _read(data, file_format, skip_bad=skip_bad, trusted=False)
    good = reference.lines - len(reference.bad)
    hypothesis.event(f"{file_format.kind.value}: {'some' if good else 'no'} good rows")
    assert _shown(fast) == _shown(reference)


def test_the_plainest_rows_take_the_trusted_path(monkeypatch: Any) -> None:
    """The bench's files are read without the reference path's row builders."""
    import propcrm.imports._imports as imports

    def refused(row: Any) -> Any:
        raise AssertionError(f"line {row.line} went the reference way")

    monkeypatch.setattr(
        imports,
        "_BUILD",
        {kind: (refused, key) for kind, (_build, key) in imports._BUILD.items()},
    )
    units = "unit_id,community,building,floor,number,property_type,building_area\n" + "\n".join(
        f"1-1-{n:04d},BENCH,1,{n},{n:04d},residential,{n}.25" for n in range(1, 5)
    )
    parties = "party_id,kind,name,mobile\n" + "\n".join(
        f"owner-{n},person,张{'伟芳娜敏'[n - 1]},\n" for n in range(1, 5)
    )
    relations = "relation_id,kind,party_id,unit_id,start,pays_fees,share\n" + "\n".join(
        f"R{n},owner,owner-{n},1-1-{n:04d},2020-01-0{n},是,0.5" for n in range(1, 5)
    )
    for text, kind in (
        (units, RecordKind.UNITS),
        (parties, RecordKind.PARTIES),
        (relations, RecordKind.RELATIONS),
    ):
        header = text.splitlines()[0].split(",")
        result = _read(
            text.encode(), ImportFormat(kind, {f: f for f in header}), skip_bad=False, trusted=True
        )
        assert result.ok
        assert len(result.records) == 4
