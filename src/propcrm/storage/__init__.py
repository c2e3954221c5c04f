"""Storage: repository protocols, one unit of work over them, and an in-memory adapter.

Every aggregate has its repository (:class:`PartyRepository`, :class:`TariffRepository`,
:class:`PriceListRepository`, :class:`AccountRepository`, :class:`RequestRepository`,
:class:`SurveyRepository`, :class:`DunningRepository`, :class:`AlertRepository`, and
:class:`RecordRepository` for the CRM records to come; the service desk's
:class:`ContactRepository`, :class:`PhoneBookRepository`, :class:`ScheduleRepository`,
:class:`SolutionRepository`, :class:`NoticeRepository` and :class:`ActivityRepository`; the
community's business: :class:`AssemblyRepository`, :class:`QuestionnaireRepository`,
:class:`AffairRepository`, :class:`LeadRepository`, :class:`ParkingRepository`,
:class:`PrepaidRepository` and :class:`ConcessionRepository`), shaped by what the rules and a
back office ask: keys, as-of questions, keyset pages. Accounts and requests are append-only
event streams with a version each; the rest are versioned records. A :class:`UnitOfWork` holds
them all and commits their changes together or not at all. :class:`MemoryStore` is the
in-memory adapter; any adapter proves itself with :mod:`propcrm.testing.contract`.

November's notice and a receipt, posted in one unit of work; the same bank file read again the
next morning credits nothing twice:

>>> store = MemoryStore()
>>> flat = AccountId("SUNRISE", "1-2-0301", "owner-17")
>>> notice = opening_statement(
...     community="SUNRISE",
...     unit_id="1-2-0301",
...     period=BillingPeriod.month(2026, 11),
...     amount=Money("1000.00"),
...     due_on=pendulum.date(2026, 12, 10),
... )
>>> paid = Receipt("BANK-1", Money("400.00"), received_on=pendulum.date(2026, 12, 20))
>>> with store() as uow:
...     uow.accounts.add(flat, Account("1-2-0301", billed_party="owner-17")).version
...     uow.accounts.append(flat, [notice, paid], expected_version=0).version
...     uow.commit()
0
2
>>> with store() as uow:
...     again = uow.accounts.append(flat, [paid], expected_version=2)
...     uow.commit()
>>> again.version, again.duplicates == (paid,)
(2, True)
>>> with store() as uow:
...     page = uow.accounts.arrears("SUNRISE", pendulum.date(2026, 12, 30))
>>> [(e.account.unit_id, e.total) for e in page.items]
[('1-2-0301', Money('648.90', 'CNY'))]
>>> with store() as uow:
...     uow.accounts.append(flat, [paid], expected_version=1)
Traceback (most recent call last):
...
propcrm.errors.ConcurrencyConflict: account AccountId(community='SUNRISE', unit_id='1-2-0301', \
billed_party='owner-17') is at version 2, not 1 as read: another unit of work wrote it first. \
Nothing was written; read it again and retry.
"""

from propcrm.storage._community import ConcessionRepository
from propcrm.storage._community_affairs import AffairRepository, LeadRepository
from propcrm.storage._community_assembly import AssemblyRepository, QuestionnaireRepository
from propcrm.storage._community_parking import ParkingRepository, PrepaidRepository
from propcrm.storage._desk import ContactRepository
from propcrm.storage._desk_notices import ActivityRepository, NoticeRepository
from propcrm.storage._desk_phone_book import PhoneBookRepository
from propcrm.storage._desk_schedules import Booking, ScheduleRepository
from propcrm.storage._desk_solutions import SolutionRepository
from propcrm.storage._memory import MemoryStore, MemoryUnitOfWork
from propcrm.storage._protocols import (
    AccountRepository,
    AlertRepository,
    DunningRepository,
    PartyRepository,
    PriceListRepository,
    RecordRepository,
    RequestRepository,
    SurveyRepository,
    TariffRepository,
    UnitOfWork,
    UnitOfWorkFactory,
)
from propcrm.storage._values import (
    AccountId,
    AppendResult,
    ArrearsEntry,
    DueRequest,
    Page,
    PostedReceipt,
    Versioned,
)

__all__ = [
    "AccountId",
    "AccountRepository",
    "ActivityRepository",
    "AffairRepository",
    "AlertRepository",
    "AppendResult",
    "ArrearsEntry",
    "AssemblyRepository",
    "Booking",
    "ConcessionRepository",
    "ContactRepository",
    "DueRequest",
    "DunningRepository",
    "LeadRepository",
    "MemoryStore",
    "MemoryUnitOfWork",
    "NoticeRepository",
    "Page",
    "ParkingRepository",
    "PartyRepository",
    "PhoneBookRepository",
    "PostedReceipt",
    "PrepaidRepository",
    "PriceListRepository",
    "QuestionnaireRepository",
    "RecordRepository",
    "RequestRepository",
    "ScheduleRepository",
    "SolutionRepository",
    "SurveyRepository",
    "TariffRepository",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "Versioned",
]


def __dir__() -> list[str]:
    return list(__all__)
