"""Tests for billing._tariffs: versioned, approved and announced fee standards."""

from __future__ import annotations

import attrs
import pendulum
import pytest
from hypothesis import given
from tests.billing_fixtures import (
    COMMUNITY,
    apartment,
    approval,
    rise_tariff,
    sample_tariff,
    sample_version,
    water_reading,
)

from propcrm._trusted import rebuilt_validated
from propcrm.billing import (
    Approval,
    Approver,
    AreaCharge,
    ChargeKind,
    FixedCharge,
    PropertyType,
    Statement,
    Tariff,
    TariffPolicy,
    TariffVersion,
    UnitUsage,
    issue_statement,
)
from propcrm.billing._tariffs import DEFAULT_MIN_NOTICE_DAYS
from propcrm.errors import (
    InvalidPolicy,
    NoTariffInForce,
    OverlappingVersions,
    TariffError,
    TariffNoticeTooShort,
)
from propcrm.money import Money
from propcrm.testing.strategies import tariffs
from propcrm.time import BillingPeriod

JULY = BillingPeriod.month(2026, 7)


def version(
    name: str = "2026-07",
    *,
    effective: tuple[int, int, int] = (2026, 7, 16),
    announced: tuple[int, int, int] = (2026, 6, 1),
    approved: tuple[int, int, int] = (2026, 5, 28),
    mgmt: str = "2.80",
) -> TariffVersion:
    return sample_version(
        name,
        effective_from=pendulum.date(*effective),
        announced_on=pendulum.date(*announced),
        approved_on=pendulum.date(*approved),
        mgmt=mgmt,
    )


def bill_july(**kwargs: object) -> Statement:
    return issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=JULY,
        tariff=rise_tariff(),
        **kwargs,  # type: ignore[arg-type]
    )


# -- approvals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("approver", "label"),
    [(Approver.OWNERS_COMMITTEE, "业主委员会"), (Approver.PRICE_AUTHORITY, "价格主管部门")],
)
def test_approvers_have_chinese_labels(approver: Approver, label: str) -> None:
    assert approver.label() == approver.label("zh_CN") == label


@pytest.mark.parametrize("reference", ["", "   ", None])
def test_approval_needs_a_reference(reference: object) -> None:
    with pytest.raises(TariffError, match="reference"):
        Approval(Approver.OWNERS_COMMITTEE, reference, pendulum.date(2026, 5, 28))  # type: ignore[arg-type]


def test_approval_by_must_be_an_approver() -> None:
    with pytest.raises(TypeError):
        Approval("业主委员会", "决议1号", pendulum.date(2026, 5, 28))  # type: ignore[arg-type]


def test_price_authority_may_approve_a_version() -> None:
    v = attrs.evolve(
        version(),
        approval=approval(
            pendulum.date(2026, 5, 28), "沪价费〔2026〕12号", Approver.PRICE_AUTHORITY
        ),
    )
    assert v.approval.by is Approver.PRICE_AUTHORITY


# -- versions -------------------------------------------------------------------------------


def test_version_approved_after_its_effective_date_is_refused() -> None:
    with pytest.raises(TariffError, match="approved only on 2026-07-20"):
        version(approved=(2026, 7, 20))


def test_version_approved_on_its_effective_date_is_allowed() -> None:
    assert version(approved=(2026, 7, 16)).approval.approved_on == pendulum.date(2026, 7, 16)


def test_version_prices_each_property_type_with_its_own_rules() -> None:
    v = sample_version()
    assert [r.code for r in v.rules_for(PropertyType.RESIDENTIAL)] == [
        "MGMT",
        "PARK",
        "WATER",
        "SVC",
    ]
    assert [r.code for r in v.rules_for(PropertyType.COMMERCIAL)] == ["MGMT", "REFUSE", "WATER"]
    assert [r.kind for r in v.rules_for(PropertyType.PARKING)] == [ChargeKind.FIXED]


def test_version_without_rules_for_a_property_type_prices_nothing() -> None:
    assert sample_version().rules_for(PropertyType.STORAGE) == ()


def test_one_charge_code_twice_for_a_property_type_is_refused() -> None:
    with pytest.raises(TariffError, match="MGMT appear twice for residential"):
        attrs.evolve(
            sample_version(),
            charges={
                PropertyType.RESIDENTIAL: (
                    AreaCharge("MGMT", "物业管理费", Money("2.80")),
                    FixedCharge("MGMT", "公摊水电", Money("10.00")),
                )
            },
        )


def test_one_charge_code_in_two_property_types_is_fine() -> None:
    v = sample_version()
    assert v.rules_for(PropertyType.RESIDENTIAL)[0].code == "MGMT"
    assert v.rules_for(PropertyType.COMMERCIAL)[0].code == "MGMT"


def test_charges_must_be_keyed_by_property_type() -> None:
    with pytest.raises(TypeError, match="PropertyType"):
        attrs.evolve(
            sample_version(), charges={"residential": (AreaCharge("M", "m", Money("1.00")),)}
        )


def test_version_charges_are_read_only() -> None:
    with pytest.raises(TypeError):
        sample_version().charges[PropertyType.STORAGE] = ()  # type: ignore[index]


# -- notice ---------------------------------------------------------------------------------


def test_default_minimum_notice_is_30_days() -> None:
    assert DEFAULT_MIN_NOTICE_DAYS == 30
    assert TariffPolicy().min_notice_days == 30


@pytest.mark.parametrize(
    ("announced", "accepted"),
    [
        ((2026, 6, 1), True),
        ((2026, 6, 16), True),  # exactly 30 days
        ((2026, 6, 17), False),  # 29 days
        ((2026, 7, 1), False),
        ((2026, 7, 16), False),
    ],
)
def test_tariff_refuses_a_version_announced_too_late(
    announced: tuple[int, int, int], accepted: bool
) -> None:
    v = version(announced=announced)
    if accepted:
        assert sample_tariff(v).in_force(pendulum.date(2026, 7, 16)) is v
    else:
        with pytest.raises(TariffNoticeTooShort):
            sample_tariff(v)


def test_notice_too_short_names_the_earliest_allowed_date() -> None:
    with pytest.raises(
        TariffNoticeTooShort, match=r"30 days' notice.*earliest allowed date is 2026-07-31"
    ):
        TariffPolicy().check(version(announced=(2026, 7, 1)))
    assert issubclass(TariffNoticeTooShort, TariffError)


def test_a_community_may_set_its_own_minimum_notice() -> None:
    v = version(announced=(2026, 7, 1))
    with pytest.raises(TariffNoticeTooShort, match="earliest allowed date is 2026-08-15"):
        TariffPolicy(min_notice_days=45).check(v)
    TariffPolicy(min_notice_days=15).check(v)


def test_zero_minimum_notice_allows_a_same_day_announcement() -> None:
    v = version(announced=(2026, 7, 16))
    tariff = sample_tariff(v, policy=TariffPolicy(min_notice_days=0))
    assert tariff.in_force(pendulum.date(2026, 7, 16)) is v


def test_zero_notice_still_refuses_an_announcement_after_the_effective_date() -> None:
    with pytest.raises(TariffNoticeTooShort):
        TariffPolicy(min_notice_days=0).check(version(announced=(2026, 7, 17)))


@pytest.mark.parametrize("days", [-1, True, "30", 30.0])
def test_minimum_notice_must_be_a_non_negative_int(days: object) -> None:
    with pytest.raises(InvalidPolicy):
        TariffPolicy(min_notice_days=days)  # type: ignore[arg-type]


# -- the tariff -----------------------------------------------------------------------------


def test_versions_are_ordered_by_effective_date() -> None:
    later, earlier = (
        version(),
        version("2025", effective=(2025, 1, 1), announced=(2024, 11, 1), approved=(2024, 10, 1)),
    )
    assert [v.version for v in sample_tariff(later, earlier).versions] == ["2025", "2026-07"]


def test_two_versions_on_one_day_overlap() -> None:
    with pytest.raises(OverlappingVersions, match="both take effect on 2026-07-16"):
        sample_tariff(version("A"), version("B"))


def test_one_version_name_twice_is_refused() -> None:
    with pytest.raises(OverlappingVersions, match="used twice"):
        sample_tariff(version("2026"), sample_version("2026"))


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ((2025, 1, 1), "2025"),  # first day of the first version
        ((2026, 7, 15), "2025"),  # last day before the rise
        ((2026, 7, 16), "2026-07"),  # the rise's first day
        ((2099, 12, 31), "2026-07"),
    ],
)
def test_version_in_force_on_a_day(day: tuple[int, int, int], name: str) -> None:
    assert rise_tariff().in_force(pendulum.date(*day)).version == name


def test_no_version_before_the_first_is_a_lookup_error() -> None:
    with pytest.raises(NoTariffInForce, match="first version takes effect on 2025-01-01"):
        rise_tariff().in_force(pendulum.date(2024, 12, 31))
    assert issubclass(NoTariffInForce, LookupError)
    assert issubclass(NoTariffInForce, TariffError)


def test_a_tariff_without_versions_has_nothing_in_force() -> None:
    with pytest.raises(NoTariffInForce, match="it has no versions"):
        Tariff("EMPTY", ()).in_force(pendulum.date(2026, 7, 1))


def test_with_version_adds_a_version_and_leaves_the_original_alone() -> None:
    base = sample_tariff(
        version("2025", effective=(2025, 1, 1), announced=(2024, 11, 1), approved=(2024, 10, 1))
    )
    rise = version()
    extended = base.with_version(rise)
    assert [v.version for v in extended.versions] == ["2025", "2026-07"]
    assert [v.version for v in base.versions] == ["2025"]
    assert extended.in_force(pendulum.date(2026, 8, 1)) is rise
    assert extended.policy == base.policy
    assert extended.name == base.name


def test_with_version_checks_notice_under_the_tariffs_policy() -> None:
    base = sample_tariff(
        version("2025", effective=(2025, 1, 1), announced=(2024, 11, 1), approved=(2024, 10, 1))
    )
    with pytest.raises(TariffNoticeTooShort):
        base.with_version(version(announced=(2026, 7, 1)))
    relaxed = sample_tariff(*base.versions, policy=TariffPolicy(min_notice_days=0))
    assert relaxed.with_version(version(announced=(2026, 7, 1))).versions[-1].version == "2026-07"


def test_with_version_refuses_a_second_version_on_the_same_day() -> None:
    with pytest.raises(OverlappingVersions):
        rise_tariff().with_version(version("2026-07-bis"))


def test_runs_split_a_range_at_each_version() -> None:
    runs = rise_tariff().runs(pendulum.date(2026, 7, 1), pendulum.date(2026, 7, 31))
    assert [(a, b, v.version) for a, b, v in runs] == [
        (pendulum.date(2026, 7, 1), pendulum.date(2026, 7, 15), "2025"),
        (pendulum.date(2026, 7, 16), pendulum.date(2026, 7, 31), "2026-07"),
    ]


def test_runs_inside_one_version_are_one_run() -> None:
    runs = rise_tariff().runs(pendulum.date(2026, 8, 1), pendulum.date(2026, 8, 31))
    assert [(a.day, b.day, v.version) for a, b, v in runs] == [(1, 31, "2026-07")]


def test_runs_starting_before_the_first_version_are_refused() -> None:
    with pytest.raises(NoTariffInForce, match="2024-12-01"):
        rise_tariff().runs(pendulum.date(2024, 12, 1), pendulum.date(2025, 1, 31))


# -- billing across a change ----------------------------------------------------------------


def test_month_spanning_a_change_is_split_by_days_between_versions() -> None:
    notice = bill_july()
    old, new = notice.lines
    # 2.50 × 89.37 = 223.425 → 223.43 for July, of which 15/31
    assert (old.amount, old.explanation.tariff_version) == (Money("108.11"), "2025")
    # 2.80 × 89.37 = 250.236 → 250.24 for July, of which 16/31
    assert (new.amount, new.explanation.tariff_version) == (Money("129.16"), "2026-07")
    assert notice.total == Money("237.27")
    assert notice.tariff_versions == ("2025", "2026-07")


def test_each_side_of_a_change_is_a_share_of_its_own_versions_full_month() -> None:
    old, new = bill_july().lines
    p_old, p_new = old.explanation.proration, new.explanation.proration
    assert p_old is not None
    assert p_new is not None
    assert (p_old.first.day, p_old.last.day, p_old.weight, p_old.total_weight) == (1, 15, 15, 31)
    assert (p_new.first.day, p_new.last.day, p_new.weight, p_new.total_weight) == (16, 31, 16, 31)
    assert p_old.full_amount == Money("223.43")
    assert p_new.full_amount == Money("250.24")
    assert old.unit_price == Money("2.50")
    assert new.unit_price == Money("2.80")
    assert old.explanation.formula("en_US") == "(unit price × building area × months) × 15/31"
    assert new.explanation.formula("en_US") == "(unit price × building area × months) × 16/31"


def test_month_after_the_change_is_billed_whole_at_the_new_price() -> None:
    notice = issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=BillingPeriod.month(2026, 8),
        tariff=rise_tariff(),
    )
    (mgmt,) = notice.lines
    assert mgmt.amount == Money("250.24")
    assert mgmt.explanation.proration is None
    assert notice.tariff_versions == ("2026-07",)


@pytest.mark.parametrize(
    ("read_on", "expected_version"),
    [((2026, 7, 10), "2025"), ((2026, 7, 31), "2026-07")],
)
def test_metered_usage_is_priced_by_the_version_in_force_when_read(
    read_on: tuple[int, int, int], expected_version: str
) -> None:
    notice = bill_july(usage=UnitUsage(readings=[water_reading(read_on=pendulum.date(*read_on))]))
    water = next(line for line in notice.lines if line.code == "WATER")
    assert water.explanation.tariff_version == expected_version


def test_billing_a_period_before_the_first_version_is_refused() -> None:
    with pytest.raises(NoTariffInForce):
        issue_statement(
            community=COMMUNITY,
            unit=apartment(),
            period=BillingPeriod.month(2024, 12),
            tariff=rise_tariff(),
        )


@given(tariff=tariffs())
def test_a_tariffs_cached_start_days_are_its_versions(tariff: Tariff) -> None:
    """The start days set while a tariff is built are its versions', as a validated rebuild's."""
    rebuilt = rebuilt_validated(tariff)
    assert tariff._starts == tuple(v.effective_from for v in tariff.versions)
    assert rebuilt._starts == tariff._starts
    for start in tariff._starts:
        assert tariff.in_force(start) is rebuilt.in_force(start)
