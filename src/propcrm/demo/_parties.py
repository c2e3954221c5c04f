"""The demo's parties: who is who in 阳光花园, who pays for what, and a few segments with reasons.

A small party book for the demo community: Zhang Sanfeng (张三丰) and Li Si (李四) own flat
1-2-0301 together, 60 % and 40 %, and live in it; Wang Wu (王五) lets 1-2-0302 to Zhao Liu (赵六),
whose lease makes him pay the fees, sells the flat to Qian Qi (钱七) on 16 November 2026 — a sale
does not break the lease — and the lease ends early on 16 December; Sun Ba (孙八) sells 1-2-0401
to Zhou Jiu (周九) on 20 November, who moves in five days later; a tea house rents a shop from
the developer. Eight months of fee notices (March to October 2026) are billed to whoever the book
says was billable on each month's first day, and paid on time — except by Zhao, every other month.

The section prints the parties masked (names, mobiles, ID numbers and credit codes are never
shown in clear), who is billable for each unit over November and December 2026 and by which rule,
and a few ready segments scored on 1 December 2026 through
:func:`propcrm.adapters.segment_subject`, each with its explanation. Nothing reads the clock.
"""

from __future__ import annotations

from collections.abc import Mapping

import pendulum
from babel.dates import format_date

from propcrm._i18n import LocaleLike, check_locale, gettext, pgettext
from propcrm._property_types import PropertyType
from propcrm.billing import opening_statement
from propcrm.demo._notices import COMMUNITY, COMMUNITY_NAME
from propcrm.money import Money
from propcrm.parties import (
    Merchant,
    Organisation,
    OrganisationKind,
    Party,
    PartyBook,
    Person,
    Unit,
)
from propcrm.personal_data import (
    CreditCode,
    IdCardNumber,
    MobileNumber,
    PersonName,
)
from propcrm.receivables import (
    Account,
    Receipt,
)
from propcrm.segmentation import evaluate_portfolio, ready_segments, segment_subject
from propcrm.time import BillingPeriod

__all__ = ["AS_OF", "run_parties", "sample_accounts", "sample_book"]

D = pendulum.date

AS_OF = D(2026, 12, 1)
"""The day the segments are scored: October's notices, due 10 November, are the last ones due."""

_SPANS = (D(2026, 11, 1), D(2027, 1, 1))  # who is billable over November and December
_HISTORY = (2026, range(3, 11))  # notices for March to October 2026
_LATE_PAYER = "P04"
_LATE_DAYS = 25
_EARLY_DAYS = 3

# The segment outcomes the section shows: each party with the segment codes shown for it.
_SHOWN = (
    ("P01", ("reliable-payer",)),
    ("P04", ("chronic-late-payer",)),
    ("ORG-TEA", ("high-value-commercial-tenant",)),
    ("P07", ("new-resident-callback", "reliable-payer")),
)


def _flat(number: str) -> Unit:
    return Unit(
        unit_id=f"1-2-{number}",
        community=COMMUNITY,
        building="1",
        entrance="2",
        floor=int(number[:2]),
        number=number,
        property_type=PropertyType.RESIDENTIAL,
        building_area="89.37",
        inner_area="72.15",
    )


def _parties() -> list[Party]:
    def person(party_id: str, name: str, mobile: str, id_number: str | None = None) -> Person:
        return Person(
            party_id=party_id,
            name=PersonName(name),
            mobile=MobileNumber(mobile),
            id_number=None if id_number is None else IdCardNumber(id_number),
        )

    return [
        person("P01", "张三丰", "13812345678", "11010519491231002X"),
        person("P02", "李四", "13987654321"),
        person("P03", "王五", "13600001234"),
        person("P04", "赵六", "13711112222", "310104198506123017"),
        person("P05", "钱七", "15000003333"),
        person("P06", "孙八", "18600004444"),
        person("P07", "周九", "13500005555"),
        Organisation(party_id="ORG-DEV", kind=OrganisationKind.ENTERPRISE, name="阳光置业有限公司"),
        Organisation(
            party_id="ORG-TEA",
            kind=OrganisationKind.MERCHANT,
            name="阳光茶馆",
            credit_code=CreditCode("91110000600037341L"),
        ),
    ]


def sample_book() -> PartyBook:
    """The demo community's parties, units and their dated relations."""
    shop = Unit(
        unit_id="S-0101",
        community=COMMUNITY,
        building="S",
        floor=1,
        number="0101",
        property_type=PropertyType.COMMERCIAL,
        building_area="120.00",
    )
    book = PartyBook(parties=_parties(), units=[_flat("0301"), _flat("0302"), _flat("0401"), shop])
    bought, handed_over = D(2025, 6, 1), D(2026, 3, 1)
    for unit_id, buyers in (
        ("1-2-0301", {"P01": "0.6", "P02": "0.4"}),
        ("1-2-0302", {"P03": "1"}),
        ("1-2-0401", {"P06": "1"}),
        ("S-0101", {"ORG-DEV": "1"}),
    ):
        book = book.sell(unit_id, bought, buyers).hand_over(unit_id, handed_over)
    book = book.move_in("1-2-0301", D(2026, 3, 15), head="P01", members={"P02": "配偶"})
    book = book.start_lease(
        "1-2-0302",
        D(2026, 4, 1),
        lead="P04",
        end=D(2027, 4, 1),
        paying_tenant="P04",
        lease_id="HT-0302",
    )
    book = book.move_in("1-2-0302", D(2026, 4, 1), head="P04")
    book = book.start_lease(
        "S-0101", handed_over, lead="ORG-TEA", paying_tenant="ORG-TEA", lease_id="HT-S0101"
    )
    book = book.add_relation(
        Merchant(
            relation_id="M-S0101",
            party_id="ORG-TEA",
            unit_id="S-0101",
            start=handed_over,
            shop_name="阳光茶馆",
            business_licence=CreditCode("91110000600037341L"),
        )
    )
    book = book.sell("1-2-0302", D(2026, 11, 16), "P05", reference="网签-2026-1116")
    book = book.sell("1-2-0401", D(2026, 11, 20), "P07", reference="网签-2026-1120")
    book = book.move_in("1-2-0401", D(2026, 11, 25), head="P07")
    return book.end_lease("HT-0302", D(2026, 12, 16))


def sample_accounts(book: PartyBook) -> dict[str, Account]:
    """Each unit's account: March to October 2026 billed to that month's payer, and paid.

    The payer on the month's first day is billed the month. Everyone pays three days before the
    due date, except the late payer, who pays every other notice 25 days late with its late fee.
    """
    amounts = {"S-0101": Money("780.00")}
    result = {}
    year, months = _HISTORY
    for unit in book.units:
        account = Account(unit.unit_id)
        for month in months:
            period = BillingPeriod.month(year, month)
            payer = book.payer(unit.unit_id, period.start)
            if payer is None:
                continue
            notice = opening_statement(
                community=COMMUNITY,
                unit_id=unit.unit_id,
                period=period,
                amount=amounts.get(unit.unit_id, Money("250.24")),
                due_on=period.end.add(days=10),
                property_type=unit.property_type,
                billed_party=payer.party_id,
            )
            account = account.post(notice)
            late = payer.party_id == _LATE_PAYER and month % 2 == 1
            day = (
                notice.due_on.add(days=_LATE_DAYS)
                if late
                else notice.due_on.subtract(days=_EARLY_DAYS)
            )
            owed = account.balance(day).statement(notice.number).outstanding
            account = account.post(Receipt(f"BANK-{notice.number}", owed, received_on=day))
        result[unit.unit_id] = account
    return result


def _day(day: pendulum.Date, locale: str) -> str:
    return format_date(day, format="medium", locale=locale)


def _party_line(party: Party, locale: str) -> str:
    if isinstance(party, Organisation):
        kind = party.kind.label(locale)
        code = (
            ""
            if party.credit_code is None
            else "  " + gettext("credit code %(code)s", locale=locale, code=party.credit_code)
        )
        return f"  {party}  {kind}{code}"
    details = (
        [gettext("mobile %(mobile)s", locale=locale, mobile=party.mobile)]
        if party.mobile is not None
        else []
    )
    if party.id_number is not None:
        details.append(gettext("ID %(id)s", locale=locale, id=party.id_number))
    return f"  {party}  {'  '.join(details)}"


def _span(first: pendulum.Date, last: pendulum.Date, locale: str) -> str:
    return gettext(
        "%(start)s to %(end)s", locale=locale, start=_day(first, locale), end=_day(last, locale)
    )


def _payer_lines(book: PartyBook, locale: str) -> list[str]:
    first, until = _SPANS
    span_text = _span(first, until.subtract(days=1), locale)
    rows = [gettext("Who is billable (%(span)s)", locale=locale, span=span_text)]
    for unit in book.units:
        rows.append(
            "  "
            + gettext(
                "unit %(unit)s  %(address)s", locale=locale, unit=unit.unit_id, address=unit.address
            )
        )
        # Shares are exact fractions (0.6 is 60 %): shown as they are, nothing to round.
        owners = pgettext("list separator", ", ", locale=locale).join(
            f"{book.party(o.party_id)} {(o.share * 100).normalize():f} %"
            for o in book.owners(unit.unit_id, first)
        )
        rows.append("    " + gettext("owners: %(owners)s", locale=locale, owners=owners))
        for span in book.payer_spans(unit.unit_id, first, until):
            last = (span.until or until).subtract(days=1)
            rows.append(
                "    "
                + gettext(
                    "%(span)s  %(party)s: %(rule)s",
                    locale=locale,
                    span=_span(span.start, last, locale),
                    party=book.party(span.party_id),
                    rule=span.reason.rule(locale),
                )
            )
    return rows


def run_parties(
    locale: LocaleLike = "zh_CN",
    book: PartyBook | None = None,
    accounts: Mapping[str, Account] | None = None,
) -> str:
    """The parties masked, who is billable per unit over Nov–Dec 2026, and a few segments.

    The party book and the units' accounts (by unit id) are the sample's unless given.
    """
    name = check_locale(locale)  # babel formats the dates
    book = sample_book() if book is None else book
    accounts = sample_accounts(book) if accounts is None else accounts
    rows = [
        gettext(
            "Parties, payers and segments: %(community)s", locale=name, community=COMMUNITY_NAME
        ),
        gettext("Parties (masked)", locale=name),
    ]
    rows.extend(_party_line(party, name) for party in book.parties)
    rows.extend(_payer_lines(book, name))
    subjects = [
        segment_subject(book, party.party_id, AS_OF, accounts=accounts) for party in book.parties
    ]
    result = evaluate_portfolio(ready_segments(), subjects, AS_OF)
    rows.append(gettext("Segments (%(day)s)", locale=name, day=_day(AS_OF, name)))
    for party_id, codes in _SHOWN:
        rows.append(f"  {book.party(party_id)}")
        for code in codes:
            explanation = result.explanations[party_id][code]
            rows.extend(f"    {line}" for line in explanation.render(locale).splitlines())
    return "\n".join(rows)
