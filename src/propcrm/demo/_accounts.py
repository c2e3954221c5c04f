"""The demo's accounts at month-end: late fees with their breakdown, arrears aged, dunning.

Four flats of the sample community on 31 December 2026: one November notice unpaid, one paid in
two parts (the first part settles the late fee before the principal, Civil Code art. 561), an
old debt past the three-year limitation period beside two recent ones, with a formal demand
already sent (the lawsuit due claims the recent debts; the time-barred one is shown apart), and a
notice under dispute whose late fee was waived while the flat is re-measured.
"""

from __future__ import annotations

from collections.abc import Sequence

import pendulum

from propcrm._i18n import LocaleLike, check_locale, gettext, ngettext
from propcrm.billing import (
    Statement,
    opening_statement,
)
from propcrm.demo._notices import COMMUNITY
from propcrm.errors import ForbiddenAction
from propcrm.money import (
    Money,
    Rate,
    RateBasis,
    format_money,
)
from propcrm.receivables import (
    Account,
    Authorisation,
    DisputeRaised,
    DunningChannel,
    DunningLevel,
    DunningPlan,
    LateFeeWaiver,
    PayerRole,
    Receipt,
    StepTaken,
    arrears_as_of,
    demand_dates,
    due_steps,
    litigation_exposure,
    lpr_reference,
)
from propcrm.time import BillingPeriod

__all__ = ["MONTH_END", "run_accounts", "sample_accounts", "sample_dunning"]

MONTH_END = pendulum.date(2026, 12, 31)
ONE_YEAR_LPR = Rate.percent("3.0", per=RateBasis.YEAR)
"""The one-year Loan Prime Rate the demo assumes; a host supplies the current one."""


def _notice(unit: str, party: str, year: int, month: int, amount: str) -> Statement:
    period = BillingPeriod.month(year, month)
    return opening_statement(
        community=COMMUNITY,
        unit_id=unit,
        period=period,
        amount=Money(amount),
        due_on=period.end.add(days=10),
        billed_party=party,
    )


def sample_accounts() -> list[Account]:
    """The four accounts of the demo, with their events."""
    zhang = Account("1-2-0301", billed_party="owner-17").post(
        _notice("1-2-0301", "owner-17", 2026, 11, "1000.00"),
    )
    li = Account("1-2-0302", billed_party="owner-18").post(
        _notice("1-2-0302", "owner-18", 2026, 10, "800.00"),
        Receipt("BANK-20261130-03", Money("500.00"), received_on=pendulum.date(2026, 11, 30)),
        Receipt(
            "BANK-20261215-11",
            Money("400.00"),
            received_on=pendulum.date(2026, 12, 15),
            payer="tenant-51",
            role=PayerRole.OCCUPANT_FOR_OWNER,
        ),
    )
    zhao = Account("2-1-0101", billed_party="owner-21").post(
        _notice("2-1-0101", "owner-21", 2023, 5, "1200.00"),
        _notice("2-1-0101", "owner-21", 2026, 6, "600.00"),
        _notice("2-1-0101", "owner-21", 2026, 7, "600.00"),
    )
    sun = Account("3-1-0202", billed_party="owner-30").post(
        _notice("3-1-0202", "owner-30", 2026, 10, "850.00"),
        DisputeRaised(
            "DS-0301",
            f"{COMMUNITY}/2026-10/3-1-0202",
            pendulum.date(2026, 11, 1),
            "area printed 95.20 m², the deed says 92.50 m²",
        ),
        LateFeeWaiver(
            "W-0312",
            f"{COMMUNITY}/2026-10/3-1-0202",
            Authorisation("finance manager 钱", "flat being re-measured"),
            on=pendulum.date(2026, 12, 12),
        ),
    )
    return [zhang, li, zhao, sun]


def sample_dunning() -> list[StepTaken]:
    """The dunning steps already taken for the old debt: a reminder, then a formal demand."""
    return [
        StepTaken("2-1-0101", "owner-21", DunningLevel.REMINDER, pendulum.date(2026, 7, 20), "sms"),
        StepTaken(
            "2-1-0101",
            "owner-21",
            DunningLevel.FORMAL_DEMAND,
            pendulum.date(2026, 11, 20),
            "registered_mail",
        ),
    ]


def _days(count: int, locale: str) -> str:
    # The count is right-aligned in four places, so that the segments' columns line up.
    aligned = format(count, ">4")
    return ngettext("%(days)s day", "%(days)s days", count, locale=locale, days=aligned)


def run_accounts(
    locale: LocaleLike = "zh_CN",
    accounts: Sequence[Account] | None = None,
    history: Sequence[StepTaken] | None = None,
) -> str:
    """Late fees explained, the community's arrears aged, and the dunning steps due.

    ``accounts`` (the first is the flat whose litigation exposure is shown) and the dunning
    ``history`` are the sample's unless given.
    """
    name = check_locale(locale)
    accounts = sample_accounts() if accounts is None else list(accounts)
    history = sample_dunning() if history is None else list(history)

    def money(amount: Money) -> str:
        return format_money(amount, name)

    rows = [gettext("Accounts and late fees as of %(day)s", locale=name, day=MONTH_END)]
    for account in accounts:
        balance = account.balance(MONTH_END)
        for row in balance.statements:
            fee = row.late_fee
            rows.append(
                gettext(
                    "%(unit)s %(number)s: principal %(principal)s, paid %(paid)s, late fee "
                    "%(fee)s (paid %(fee_paid)s, waived %(waived)s), %(state)s",
                    locale=name,
                    unit=account.unit_id,
                    number=row.number,
                    principal=money(row.principal),
                    paid=money(row.principal_paid),
                    fee=money(fee.amount),
                    fee_paid=money(row.late_fee_paid),
                    waived=money(row.late_fee_waived),
                    state=row.state.label(name),
                )
            )
            rows.extend(
                f"    {segment.start}–{segment.end} {_days(segment.days, name)} × "
                f"{money(segment.base)} × {segment.rate.as_percent}% = {segment.amount.amount:f}"
                for segment in fee.segments
            )
            if fee.cap.bit or fee.grace_outcome != "none":
                rows.append(f"    {fee.cap.describe(locale)}; {fee.grace(locale)}")
            rows.append(f"    {fee.rounding(locale)}")
        rows.extend(
            f"    {receipt.reference}: "
            + gettext(
                "%(payer)s paid %(amount)s for the owner (the owner stays liable)",
                locale=name,
                payer=receipt.payer,
                amount=money(receipt.amount),
            )
            for receipt in account.paid_by_others()
        )
    zhang = accounts[0].late_fee(f"{COMMUNITY}/2026-11/1-2-0301", MONTH_END)
    exposure = litigation_exposure(zhang, lpr_reference(ONE_YEAR_LPR, "1.3"), label="LPR + 30 %")
    rows.append(
        gettext(
            "litigation exposure %(unit)s: contractual rate %(rate)s%% a year; at LPR + 30 %% "
            "the fee would be %(fee)s, %(excess)s less",
            locale=name,
            unit="1-2-0301",
            rate=exposure.contractual_annual_rate.as_percent,
            fee=money(exposure.reference_fee),
            excess=money(exposure.excess),
        )
    )

    report = arrears_as_of(accounts, MONTH_END, interruptions=demand_dates(history))
    rows.append(gettext("Arrears by age", locale=name))
    for aging in report.rows:
        if aging.statements:
            label = aging.label(name)
            rows.append(
                f"    {label:<10} {money(aging.principal):>12} {money(aging.late_fees):>12} "
                f"{aging.statements}"
            )
    rows.append(
        "    "
        + gettext(
            "total %(total)s; past the limitation period %(barred)s",
            locale=name,
            total=money(report.total),
            barred=money(report.past_limitation),
        )
    )

    rows.append(gettext("Dunning", locale=name))
    result = due_steps(DunningPlan(COMMUNITY), accounts, MONTH_END, history)
    rows.extend(f"    {decision.describe(locale)}" for decision in result.decisions)
    try:  # cutting the water to press for the fee is never a dunning step
        DunningChannel.parse("停水")
    except ForbiddenAction:
        # The exception's message is for developers (English); staff read the rule it applies.
        rows.append(
            "    "
            + gettext(
                "refused: cutting the water supply to press for the fee; Civil Code art. 944 "
                "forbids pressing for property fees by stopping the supply of power, water, "
                "heat or gas",
                locale=name,
            )
        )
    return "\n".join(rows)
