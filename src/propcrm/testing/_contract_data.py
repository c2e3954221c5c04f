"""The values the storage contract stores: a small community, its notices, receipts and requests."""

from __future__ import annotations

import pendulum

from propcrm.analytics import SurveyResponse
from propcrm.billing import (
    Approval,
    Approver,
    AreaCharge,
    PriceItem,
    PriceList,
    PropertyType,
    Statement,
    Tariff,
    TariffVersion,
    opening_statement,
)
from propcrm.classification import Category
from propcrm.complaints import Actor, Intake, IntakeChannel, Request, RequestKind, Role
from propcrm.money import Money
from propcrm.parties import PartyBook, Person, Unit
from propcrm.personal_data import PersonName
from propcrm.receivables import Account, DunningChannel, DunningLevel, Receipt, StepTaken
from propcrm.storage import AccountId
from propcrm.time import BillingPeriod

COMMUNITY = "SUNRISE"
OTHER_COMMUNITY = "MOONLIGHT"
AGENT = Actor("KF-01", Role.AGENT)
ZONE = "Asia/Shanghai"


def unit_id(number: int) -> str:
    """The id of the ``number``-th flat of building 1 (``1-1-0101`` …)."""
    return f"1-1-{number:04d}"


def account_id(number: int, community: str = COMMUNITY) -> AccountId:
    """The account of flat ``number``, billed to its owner ``owner-<number>``."""
    return AccountId(community, unit_id(number), f"owner-{number}")


def new_account(account: AccountId) -> Account:
    """An empty account for ``account``'s unit and billed party."""
    return Account(account.unit_id, billed_party=account.billed_party)


def notice(account: AccountId, month: int, amount: str = "1000.00") -> Statement:
    """The fee notice of 2026-``month``, due on the 10th of the next month."""
    period = BillingPeriod.month(2026, month)
    return opening_statement(
        community=account.community,
        unit_id=account.unit_id,
        period=period,
        amount=Money(amount),
        due_on=period.end.add(days=10),
        billed_party=account.billed_party,
    )


def receipt(reference: str, amount: str, day: pendulum.Date) -> Receipt:
    """A bank receipt that reached the company on ``day``."""
    return Receipt(reference, Money(amount), received_on=day)


def at(day: int, hour: int = 9, minute: int = 0) -> pendulum.DateTime:
    """An instant of November 2026 in Shanghai."""
    return pendulum.datetime(2026, 11, day, hour, minute, tz=ZONE)


def leak(request_id: str, when: pendulum.DateTime, requester: str = "P-1") -> Request:
    """A water-leak repair request received at ``when``."""
    intake = Intake(
        request_id=request_id,
        kind=RequestKind.REPAIR,
        requester=requester,
        channel=IntakeChannel.HOTLINE,
        category=Category.WATER_LEAK,
        description="卫生间漏水",
    )
    return Request.receive(intake, AGENT, when)


def book(owners: int = 3) -> PartyBook:
    """A book of ``owners`` flats handed over in 2025, each sold to its owner on 2025-06-01."""
    parties = [Person(party_id=f"owner-{n}", name=PersonName("张三")) for n in range(1, owners + 1)]
    units = [
        Unit(
            unit_id=unit_id(n),
            community=COMMUNITY,
            building="1",
            entrance="1",
            floor=1,
            number=f"{n:04d}",
            property_type=PropertyType.RESIDENTIAL,
            building_area="89.37",
        )
        for n in range(1, owners + 1)
    ]
    result = PartyBook(parties=parties, units=units)
    for n in range(1, owners + 1):
        result = result.sell(unit_id(n), pendulum.date(2025, 6, 1), buyers=f"owner-{n}")
    return result


def tariff_version(name: str, effective: pendulum.Date, price: str) -> TariffVersion:
    """A residential management-fee version approved and announced well ahead."""
    approval = Approval(Approver.OWNERS_COMMITTEE, f"决议 {name}", effective.subtract(months=3))
    return TariffVersion(
        name,
        effective_from=effective,
        announced_on=effective.subtract(months=2),
        approval=approval,
        charges={PropertyType.RESIDENTIAL: (AreaCharge("MGMT", "物业管理费", Money(price)),)},
    )


def tariff() -> Tariff:
    """The community's tariff with its 2026 version."""
    return Tariff(COMMUNITY, [tariff_version("2026", pendulum.date(2026, 1, 1), "2.80")])


def price_list(version: str, effective: pendulum.Date, price: str) -> PriceList:
    """A special-service price list with one item."""
    return PriceList(
        version,
        effective_from=effective,
        published_on=effective.subtract(days=30),
        items=[PriceItem("UNCLOG", "疏通下水道", Money(price))],
    )


def survey(response_id: str, when: pendulum.DateTime, csat: int) -> SurveyResponse:
    """A satisfaction survey response."""
    return SurveyResponse(response_id, when, csat=csat)


def step_taken(account: AccountId, day: pendulum.Date) -> StepTaken:
    """A reminder sent by SMS for ``account``."""
    return StepTaken(
        account.unit_id, account.billed_party, DunningLevel.REMINDER, day, DunningChannel.SMS
    )
