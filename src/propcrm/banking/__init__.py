r"""Banking: the bank's collection file (银行代收) read and reconciled with what is owed.

Most residents pay through the bank: the community's bank collects the fees and sends a file of
the payments, as CSV (GBK, GB18030 or UTF-8 with a BOM) or XLSX. :func:`read_bank_file` reads
it through a documented column mapping (:class:`BankFileFormat`), every row checked with the
library's own types or refused with its line number and reason (:class:`RowError`);
:func:`reconcile` puts each row in one group (:class:`RowOutcome`): matched, less or more than owed
(the rest becoming credit), unknown unit or statement, duplicate or conflicting in the file or
against what is already posted (a bank reference names one receipt in a community, as
:mod:`propcrm.storage` holds it). The :class:`Reconciliation` reports each group with
``describe(locale=)`` and gives the :class:`~propcrm.receivables.Receipt` values to post.

>>> fmt = BankFileFormat(reference="交易流水号", unit="房号", amount="金额", date="交易日期")
>>> csv = "\n".join(
...     [
...         "交易流水号,房号,金额,交易日期",
...         "B1,1-2-0301,500.00,2026-12-05",
...         "B2,1-2-0301,12.345,2026-12-05",
...     ]
... )
>>> bank_file = read_bank_file(csv.encode("utf-8-sig"), fmt)
>>> notice = opening_statement(
...     community="SUNRISE",
...     unit_id="1-2-0301",
...     period=BillingPeriod.month(2026, 11),
...     amount=Money("466.48"),
...     due_on=pendulum.date(2026, 12, 10),
... )
>>> result = reconcile(bank_file, [Account("1-2-0301").post(notice)])
>>> print(result.describe("en_US"))
1 row read, CN¥500.00; 1 refused
more than owed, the rest as credit: 1 row, CN¥500.00
  line 2: B1, unit 1-2-0301, CN¥500.00: more than the CN¥466.48 owed; CN¥33.52 becomes credit
refused: 1 row
  line 3, column 金额: '12.345' is not an amount in yuan with at most two decimals, e.g. 1063.00
"""

from propcrm.banking._files import (
    ENCODINGS,
    BankFile,
    BankFileFormat,
    BankRow,
    RowError,
    RowProblem,
    read_bank_file,
)
from propcrm.banking._reconcile import (
    Reconciled,
    Reconciliation,
    RowOutcome,
    reconcile,
)

__all__ = [
    "ENCODINGS",
    "BankFile",
    "BankFileFormat",
    "BankRow",
    "Reconciled",
    "Reconciliation",
    "RowError",
    "RowOutcome",
    "RowProblem",
    "read_bank_file",
    "reconcile",
]


def __dir__() -> list[str]:
    return list(__all__)
