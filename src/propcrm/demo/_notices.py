"""The demo's fee notices: one month of billing for a small sample community.

Everything is built in memory: a community (阳光花园, code SUNRISE) with a tariff approved by
its owners' committee, a special-service price list, and six units — flats, a shop, a parking
space, a flat with a new owner from mid-month — billed for November 2026 and printed as fee
notices (lines, totals in figures and in Chinese uppercase, due date, the late-fee rule).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence

import pendulum
from babel.dates import format_date

from propcrm._i18n import LocaleLike, check_locale, gettext, pgettext
from propcrm.billing import (
    Approval,
    Approver,
    AreaCharge,
    BillableSpan,
    BillingRun,
    ChargeLine,
    MeteredCharge,
    MeterReading,
    ParkingCharge,
    PriceItem,
    PriceList,
    PriceLists,
    PropertyType,
    SpecialServiceCharge,
    SpecialServiceOrder,
    Statement,
    Tariff,
    TariffVersion,
    Tier,
    TieredPrice,
    UnitProfile,
    UnitUsage,
)
from propcrm.money import (
    Money,
    format_money,
)
from propcrm.time import BillingPeriod

__all__ = [
    "COMMUNITY",
    "COMMUNITY_NAME",
    "render_statement",
    "run_notices",
    "sample_price_lists",
    "sample_statements",
    "sample_tariff",
]

COMMUNITY = "SUNRISE"
COMMUNITY_NAME = "阳光花园"
"""The community's name, as it named itself: printed as given in every locale (it is data)."""


def sample_tariff() -> Tariff:
    """The community's tariff, approved by its owners' committee for 2026."""
    water = TieredPrice(
        (
            Tier(up_to="15", unit_price=Money("3.45")),
            Tier(up_to="25", unit_price=Money("4.83")),
            Tier(up_to=None, unit_price=Money("5.83")),
        )
    )
    service = SpecialServiceCharge("SVC", "特约服务")
    version = TariffVersion(
        "2026",
        effective_from=pendulum.date(2026, 1, 1),
        announced_on=pendulum.date(2025, 11, 20),
        approval=Approval(
            Approver.OWNERS_COMMITTEE, "业委会决议〔2025〕12号", pendulum.date(2025, 11, 15)
        ),
        charges={
            PropertyType.RESIDENTIAL: (
                AreaCharge("MGMT", "物业管理费", Money("2.80")),
                ParkingCharge("PARK", "车位管理费", Money("150.00")),
                MeteredCharge("WATER", "水费", "water", water),
                service,
            ),
            PropertyType.COMMERCIAL: (
                AreaCharge("MGMT", "物业管理费", Money("6.50")),
                MeteredCharge("WATER", "水费", "water", TieredPrice.flat(Money("6.20"))),
                service,
            ),
            PropertyType.PARKING: (ParkingCharge("PARK", "车位管理费", Money("80.00")),),
        },
    )
    return Tariff(COMMUNITY, (version,))


def sample_price_lists() -> PriceLists:
    """The community's special-service price lists (one, 2026A)."""
    return PriceLists(
        (
            PriceList(
                "2026A",
                effective_from=pendulum.date(2026, 1, 1),
                published_on=pendulum.date(2025, 12, 1),
                items=(
                    PriceItem("AC-CLEAN", "空调清洗", Money("80.00"), "台"),
                    PriceItem("PIPE", "管道疏通", Money("60.00"), "次"),
                ),
            ),
        )
    )


def _reading(meter: str, previous: str, current: str) -> MeterReading:
    return MeterReading(meter, "water", previous, current, read_on=pendulum.date(2026, 11, 30))


def sample_statements() -> list[Statement]:
    """November 2026's fee notices for the sample community."""
    period = BillingPeriod.month(2026, 11)
    run = BillingRun(
        community=COMMUNITY,
        period=period,
        tariff=sample_tariff(),
        price_lists=sample_price_lists(),
    )
    flat = UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, building_area="89.37")
    big_flat = UnitProfile("2-1-1502", PropertyType.RESIDENTIAL, building_area="143.60")
    shop = UnitProfile("S-105", PropertyType.COMMERCIAL, building_area="56.20")
    space = UnitProfile("P-B1-088", PropertyType.PARKING)
    sold = UnitProfile("3-1-0601", PropertyType.RESIDENTIAL, building_area="101.25")
    sale_day = pendulum.date(2026, 11, 16)
    return [
        run.bill(flat, UnitUsage(parking_spaces=1, readings=(_reading("W-0301", "120", "138"),))),
        run.bill(
            big_flat,
            UnitUsage(
                readings=(_reading("W-1502", "2210", "2241"),),
                orders=(
                    SpecialServiceOrder("SO-2611-07", "AC-CLEAN", 2, pendulum.date(2026, 11, 8)),
                ),
            ),
        ),
        run.bill(shop, UnitUsage(readings=(_reading("W-S105", "530", "562.5"),))),
        run.bill(space, UnitUsage(parking_spaces=1)),
        # A sale on 16 November: the seller (张) pays 15 days, the buyer (李) 15; together one
        # month. The billed party is a name, masked, printed as given in every locale.
        run.bill(sold, span=BillableSpan(until=sale_day), billed_party="张**"),
        run.bill(sold, span=BillableSpan(start=sale_day), billed_party="李*"),
    ]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def _line_text(line: ChargeLine, locale: str) -> str:
    # The item's name and unit are the tariff's own words, printed as the community wrote them.
    qty = f"{line.quantity} {line.unit_label(locale)}"
    price = (
        format_money(line.unit_price, locale)
        if line.unit_price is not None
        # TRANSLATORS: the unit price of a fee notice line priced in tiers (阶梯).
        else pgettext("fee notice", "tiers", locale=locale)
    )
    note = ""
    proration = line.explanation.proration
    if proration is not None:
        note = "  " + gettext(
            "prorated %(first)s–%(last)s %(weight)s/%(total)s",
            locale=locale,
            first=proration.first.isoformat(),
            last=proration.last.isoformat(),
            weight=proration.weight,
            total=proration.total_weight,
        )
    name = line.display_name(locale)
    return (
        f"  {_pad(name, 22)}{_pad(qty, 14, right=True)}{_pad(price, 12, right=True)}"
        f"{_pad(format_money(line.amount, locale), 14, right=True)}{note}"
    )


def render_statement(statement: Statement, locale: LocaleLike = "zh_CN") -> str:
    """A plain-text fee notice in ``locale`` (zh_CN or en_US).

    The community's name, the fee items and their units, the billed party and the amount in
    Chinese uppercase (大写金额, what a receipt must carry) are printed as they are in every
    locale. Any other locale raises :class:`~propcrm.errors.UnsupportedLocale`.
    """
    name = check_locale(locale)  # babel formats the dates

    def day(d: pendulum.Date) -> str:
        return format_date(d, format="long", locale=name)

    period = statement.period
    due = statement.due
    rows = [
        gettext(
            "Property service fee notice    No. %(number)s", locale=name, number=statement.number
        ),
        gettext(
            "Community %(community)s    Unit %(unit)s (%(type)s)",
            locale=name,
            community=COMMUNITY_NAME,
            unit=statement.unit_id,
            type=statement.property_type.label(name),
        ),
        gettext(
            "Period %(start)s to %(end)s    Issued %(issued)s",
            locale=name,
            start=day(period.start),
            end=day(period.end),
            issued=day(statement.issued_on),
        ),
    ]
    if statement.billed_party:
        rows.append(gettext("Billed to %(party)s", locale=name, party=statement.billed_party))
    columns = (
        pgettext("fee notice column", "Item", locale=name),
        pgettext("fee notice column", "Quantity", locale=name),
        pgettext("fee notice column", "Unit price", locale=name),
        pgettext("fee notice column", "Amount", locale=name),
    )
    rows.append(
        f"  {_pad(columns[0], 22)}{_pad(columns[1], 14, right=True)}"
        f"{_pad(columns[2], 12, right=True)}{_pad(columns[3], 14, right=True)}"
    )
    rows.extend(_line_text(line, name) for line in statement.lines)
    in_words = f"人民币{statement.total_in_words()}"  # 大写金额: Chinese in every locale
    rows.append(
        gettext(
            # TRANSLATORS: the total in figures, then in Chinese uppercase (大写金额), which
            # stays Chinese in every locale.
            "Total %(total)s    In words %(words)s",
            locale=name,
            total=format_money(statement.total, name),
            words=in_words,
        )
    )
    due_on = day(due.due_on)
    rows.append(
        gettext("Due by %(day)s (rolled to a working day)", locale=name, day=due_on)
        if due.rolled
        else gettext("Due by %(day)s", locale=name, day=due_on)
    )
    rows.append(gettext("Late fee: %(rule)s", locale=name, rule=statement.late_fee.describe(name)))
    return "\n".join(rows)


def _notices(statements: Sequence[Statement], locale: LocaleLike) -> Iterator[str]:
    for statement in statements:
        yield render_statement(statement, locale)


def run_notices(locale: LocaleLike = "zh_CN", statements: Sequence[Statement] | None = None) -> str:
    """Every notice (the sample's unless ``statements`` are given), separated by rules."""
    rule = "-" * 78
    shown = sample_statements() if statements is None else statements
    return f"\n{rule}\n".join(_notices(shown, check_locale(locale)))
