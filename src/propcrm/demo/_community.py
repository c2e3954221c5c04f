"""The demo's community business: an owners' vote, a decoration, a release at the gate.

- The owners' assembly votes on raising the property fee: four owners of five are for it, but
  they hold 37.5 % of the area, so the motion passes on heads and fails on area;
- the new owner of 1-2-0401 registers a decoration with a hot-work permit for welding, valid
  one working day: hot work inside the window is allowed, after it refused;
- the owners of 1-2-0301 ask to move furniture out while November's notice is unpaid: the
  release is refused for the arrears the account computes that day;
- the shop S-105 keeps a prepaid balance (预存款): November's notice is settled from it on its
  issue date, and the statement of the balance's movements shows what is left.
"""

from __future__ import annotations

from collections.abc import Sequence

import pendulum

from propcrm._i18n import LocaleLike, check_locale, gettext
from propcrm.affairs import DecorationAffair, GoodsRelease, Mover, check_hot_work, check_release
from propcrm.assembly import example_vote
from propcrm.billing import Statement
from propcrm.demo._accounts import sample_accounts
from propcrm.demo._notices import sample_statements
from propcrm.demo._parties import sample_book
from propcrm.money import Money, format_money
from propcrm.receivables import Account, PrepaidBalance
from propcrm.time import DEFAULT_ZONE

__all__ = ["run_community"]


def _at(month: int, day: int, hour: int = 9, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz=DEFAULT_ZONE)


def _vote(locale: str) -> list[str]:
    tally = example_vote()
    return [gettext("The owners' assembly votes on a fee adjustment", locale=locale)] + [
        f"    {line}" for line in tally.describe(locale).splitlines()
    ]


def _decoration(locale: str) -> list[str]:
    works = DecorationAffair.register(
        "ZX-0401",
        unit_id="1-2-0401",
        party_id="P07",
        plan="厨卫改造，阳台护栏加固",
        contractor="安居装饰有限公司",
        start=pendulum.date(2026, 12, 7),
        until=pendulum.date(2027, 1, 7),
        deposit=Money("3000.00"),
        by="GJ-03",
        at=_at(12, 2),
    ).approve(permit_number="ZX-2026-118", by="ZG-01", at=_at(12, 3))
    works = works.request_hot_work(
        "DH-01",
        description="焊接阳台护栏",
        valid_from=_at(12, 10, 9),
        valid_until=_at(12, 10, 17),
        by="GJ-03",
        at=_at(12, 8, 10),
    )
    # The safety officer approves: hot work needs a second person, never the one who asked.
    works = works.approve_hot_work("DH-01", by="AQ-02", at=_at(12, 8, 11))
    rows = [gettext("A decoration with a hot-work permit", locale=locale)]
    rows.extend(
        f"    {check_hot_work(works, 'DH-01', at).describe(locale)}"
        for at in (_at(12, 10, 10), _at(12, 10, 18))
    )
    return rows


def _release(locale: str, accounts: Sequence[Account]) -> list[str]:
    day = pendulum.date(2026, 12, 20)
    account = next(a for a in accounts if a.unit_id == "1-2-0301")
    owed = sum(
        (row.principal + row.late_fees for row in account.owed(day)),
        start=Money.zero(),
    )
    release = GoodsRelease.request(
        "FX-0301",
        unit_id="1-2-0301",
        party_id="P01",
        mover=Mover.OWNER,
        on=day,
        goods="家具、家电",
        by="GJ-03",
        at=_at(12, 19, 15),
    )
    owners = [o.party_id for o in sample_book().owners("1-2-0301", day)]
    check = check_release(release, arrears=owed, owners=owners, consent=None)
    return [
        gettext("A release at the gate, checked against the unit's arrears", locale=locale),
        f"    {check.describe(locale)}",
    ]


def _prepaid(locale: str, statements: Sequence[Statement]) -> list[str]:
    notice = next(s for s in statements if s.unit_id == "S-105")
    prepaid = PrepaidBalance("S-105", "ORG-TEA").top_up(
        "BANK-20261105-07", Money("1000.00"), on=pendulum.date(2026, 11, 5)
    )
    prepaid, account = prepaid.settle(Account("S-105", billed_party="ORG-TEA"), notice)
    rows = [gettext("A prepaid balance settles a notice on its issue date", locale=locale)]
    rows.extend(f"    {row}" for row in prepaid.describe(locale))
    owed = sum(
        (row.principal + row.late_fees for row in account.owed(notice.due_on)),
        start=Money.zero(),
    )
    rows.append(
        "    "
        + gettext(
            "%(notice)s owes %(amount)s on its due date %(day)s",
            locale=locale,
            notice=notice.number,
            amount=format_money(owed, locale=locale),
            day=notice.due_on.isoformat(),
        )
    )
    return rows


def run_community(
    locale: LocaleLike = "zh_CN",
    accounts: Sequence[Account] | None = None,
    statements: Sequence[Statement] | None = None,
) -> str:
    """The community's business: a vote, hot work, a release refused, a prepaid balance.

    ``accounts`` and ``statements`` are the demo's (the samples by default, or as read back from
    the demo's file): the release is checked against what 1-2-0301 owes in the accounts, and
    the prepaid balance settles the shop's notice among the statements.
    """
    name = check_locale(locale)
    rows = [gettext("The community's business", locale=name)]
    rows.extend(_vote(name))
    rows.extend(_decoration(name))
    rows.extend(_release(name, sample_accounts() if accounts is None else accounts))
    rows.extend(_prepaid(name, sample_statements() if statements is None else statements))
    return "\n".join(rows)
