r"""Imports: units, parties, relations and meter readings from CSV or XLSX, every row checked.

A back office starts from spreadsheets. :func:`read_import` reads one through a documented
column mapping (:class:`ImportFormat`, fields listed in :data:`FIELDS`) and builds each row into
the library's own value, so a float area, a bad ID number or an unknown unit type is a bad row
(:class:`BadRow`) with its line and reason, never a silent value. The result
(:class:`ImportResult`) is a dry run's report too: nothing is returned as good while any row is
bad, unless the bad rows are skipped, and then they are given back for a file.

>>> fmt = ImportFormat(
...     RecordKind.READINGS,
...     {
...         "meter_id": "表号",
...         "kind": "类型",
...         "previous": "上期",
...         "current": "本期",
...         "read_on": "抄表日",
...     },
... )
>>> text = "表号,类型,上期,本期,抄表日\nW-0301,water,120,138,2026-11-30\n"
>>> text += "W-0302,water,1e3,1010,2026-11-30"
>>> result = read_import(text.encode(), fmt)
>>> result.records, result.ok
((), False)
>>> print(result.describe("en_US"))
2 rows, 1 good, 1 bad
  line 3, column 上期: '1e3' is not a decimal number such as 89.37.
nothing is imported while any row is bad
>>> [r.meter_id for r in read_import(text.encode(), fmt, skip_bad=True).records]
['W-0301']
"""

from propcrm.imports._imports import (
    FIELDS,
    BadRow,
    ImportFormat,
    ImportResult,
    RecordKind,
    read_import,
)

__all__ = ["FIELDS", "BadRow", "ImportFormat", "ImportResult", "RecordKind", "read_import"]


def __dir__() -> list[str]:
    return list(__all__)
