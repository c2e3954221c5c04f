"""The storage contract of public affairs, prospects, parking and prepaid balances."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import pendulum
import pytest

from propcrm.affairs import (
    DecorationAffair,
    GoodsRelease,
    MoveIn,
    MoveInItem,
    Mover,
    RefusalReason,
    check_release,
)
from propcrm.billing import BillingRun
from propcrm.errors import (
    ConcurrencyConflict,
    InvalidPageToken,
    InvalidParking,
    InvalidType,
    LeaseConflict,
    PrepaidError,
    RecordNotFound,
)
from propcrm.money import Money
from propcrm.parking import (
    ApplicantRole,
    Application,
    Lease,
    ParkingSpace,
    SpaceKind,
    WaitingList,
    bill_leases,
)
from propcrm.prospects import Interest, Lead, LeadSource, LeadStage, funnel
from propcrm.storage import Page, UnitOfWorkFactory
from propcrm.storage._values import encode_token
from propcrm.testing import _contract_data as data
from propcrm.time import BillingPeriod

__all__ = ["BusinessContract"]

C = data.COMMUNITY
ZONE = data.ZONE


def _at(month: int, day: int, hour: int = 9) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, tz=ZONE)


def _move_in() -> MoveIn:
    return MoveIn.open("RZ-1", unit_id=data.unit_id(1), party_id="owner-1", by="S1", at=_at(3, 2))


def _decoration() -> DecorationAffair:
    """Registered on 2 March, approved on the 3rd, with a hot-work permit for the 9th."""
    works = _at(3, 9, 10)
    return (
        DecorationAffair.register(
            "ZX-1",
            unit_id=data.unit_id(1),
            party_id="owner-1",
            plan="厨卫改造",
            contractor="安居装饰",
            start=pendulum.date(2026, 3, 9),
            until=pendulum.date(2026, 4, 30),
            deposit=Money("2000.00"),
            by="S1",
            at=_at(3, 2, 10),
        )
        .approve(permit_number="ZX-2026-001", by="S2", at=_at(3, 3))
        .request_hot_work(
            "DH-1",
            description="焊接阳台护栏",
            valid_from=works,
            valid_until=works.add(hours=6),
            by="S1",
            at=_at(3, 4),
        )
        .approve_hot_work("DH-1", by="S3", at=_at(3, 5))
    )


def _refused_release() -> GoodsRelease:
    """A tenant's release on 6 March, refused for the unit's arrears."""
    release = GoodsRelease.request(
        "FX-1",
        unit_id=data.unit_id(2),
        party_id="tenant-2",
        mover=Mover.TENANT,
        on=pendulum.date(2026, 3, 6),
        goods="家具、家电",
        by="S1",
        at=_at(3, 6),
    )
    check = check_release(release, arrears=Money("1260.00"), owners=["owner-2"], consent=None)
    return release.decide(check, by="S1", at=_at(3, 6, 10))


def _lead(lead_id: str, source: LeadSource, at: pendulum.DateTime, unit: str | None) -> Lead:
    return Lead.new(
        lead_id,
        source=source,
        interest=Interest.SHOP,
        party_id=f"P-{lead_id}",
        unit_wanted=unit,
        by="S1",
        at=at,
    )


T = TypeVar("T")

B1 = ParkingSpace("P-B1-017", "B1-017", SpaceKind.UNDERGROUND)
B2 = ParkingSpace("P-B1-018", "B1-018", SpaceKind.UNDERGROUND)


def _every_page(fetch: Callable[[str | None], Page[T]]) -> list[T]:
    items: list[T] = []
    token: str | None = None
    for _ in range(1000):
        page = fetch(token)
        items.extend(page.items)
        token = page.next
        if token is None:
            return items
    raise AssertionError("the pages never end")


def _lease(lease_id: str, space: ParkingSpace, start: pendulum.Date, party: str = "P1") -> Lease:
    return Lease(lease_id, space, party, data.unit_id(1), start, "SUNRISE-B1")


class BusinessContract:
    """Move-ins, decorations and releases; leads; parking; prepaid balances."""

    # -- public affairs ------------------------------------------------------------------------

    def test_a_move_in_is_saved_at_the_version_it_was_read(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            assert uow.affairs.save(C, _move_in(), 0) == 1
            uow.commit()
        with unit_of_work_factory() as desk, unit_of_work_factory() as gate:
            read = desk.affairs.get(C, "RZ-1", MoveIn)
            keys = read.value.tick(MoveInItem.KEYS, by="S1", at=_at(3, 2, 11))
            desk.affairs.save(C, keys, read.version)
            desk.commit()
            stale = gate.affairs.get(C, "RZ-1", MoveIn)
            meters = stale.value.tick(MoveInItem.METER_READINGS, by="S4", at=_at(3, 2, 12))
            with pytest.raises(ConcurrencyConflict):  # noqa: PT012
                gate.affairs.save(C, meters, 1)
                gate.commit()
        with unit_of_work_factory() as uow:
            stored = uow.affairs.get(C, "RZ-1", MoveIn)
            assert (stored.value, stored.version) == (keys, 2)
            with pytest.raises(RecordNotFound):
                uow.affairs.get(C, "RZ-1", DecorationAffair)
            with pytest.raises(InvalidType):
                uow.affairs.get(C, "RZ-1", Lead)  # type: ignore[type-var]

    def test_a_units_affairs_and_those_open_on_a_day(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        done = _move_in()
        for n, item in enumerate(done.policy.required, 1):
            done = done.tick(item, by="S1", at=_at(3, 2, 9 + n))
        done = done.complete(by="S1", at=_at(3, 4))
        decoration, release = _decoration(), _refused_release()
        with unit_of_work_factory() as uow:
            for affair in (release, done, decoration):
                uow.affairs.save(C, affair, 0)
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.affairs.of_unit(C, data.unit_id(1)) == (done, decoration)
            assert uow.affairs.of_unit(data.OTHER_COMMUNITY, data.unit_id(1)) == ()
            assert uow.affairs.open_on(C, pendulum.date(2026, 3, 1)).items == ()
            # On the 3rd the move-in is under way; it completes on the 4th.
            on_3rd = uow.affairs.open_on(C, pendulum.date(2026, 3, 3)).items
            assert on_3rd == (done, decoration)
            first = uow.affairs.open_on(C, pendulum.date(2026, 3, 6), limit=1)
            assert first.items == (decoration,)
            rest = uow.affairs.open_on(C, pendulum.date(2026, 3, 6), after=first.next)
        # The refused release stays open: it may be decided again once the arrears are paid.
        assert rest.items == (release,)
        assert release.refusals[0].reason is RefusalReason.ARREARS
        assert decoration.hot_work_permits[0].approved

    # -- prospects -----------------------------------------------------------------------------

    def test_leads_by_source_and_month_feed_the_funnel(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        walk_in = _lead("L-1", LeadSource.WALK_IN, _at(1, 31, 23), "S-101")
        online = _lead("L-2", LeadSource.ONLINE, _at(2, 1, 0), "S-101")
        phone = _lead("L-3", LeadSource.PHONE, _at(2, 14), None)
        with unit_of_work_factory() as uow:
            for lead in (phone, online, walk_in):
                uow.leads.save(C, lead, 0)
            uow.commit()
        viewing = online.advance(LeadStage.VIEWING, by="S1", at=_at(2, 3))
        with unit_of_work_factory() as uow:
            assert uow.leads.save(C, viewing, 1) == 2
            with pytest.raises(ConcurrencyConflict):
                uow.leads.save(C, online.lose(by="S1", at=_at(2, 3), reason="太贵"), 1)
            uow.commit()
        with unit_of_work_factory() as uow:
            january = uow.leads.recorded(C, pendulum.date(2026, 1, 1), pendulum.date(2026, 1, 31))
            february = uow.leads.recorded(C, pendulum.date(2026, 2, 1), pendulum.date(2026, 2, 28))
            online_only = uow.leads.recorded(
                C, pendulum.date(2026, 1, 1), pendulum.date(2026, 2, 28), source=LeadSource.ONLINE
            )
            wanting = uow.leads.wanting(C, "S-101")
            assert uow.leads.get(C, "L-2").value == viewing
        # Days in Shanghai: 23:00 on 31 January is January's, midnight on 1 February February's.
        assert (january, february, online_only) == ((walk_in,), (viewing, phone), (viewing,))
        assert wanting == (walk_in, viewing)
        table = funnel(february, as_of=_at(3, 1))
        row = table.row(LeadSource.ONLINE, "2026-02")
        assert row is not None
        assert row.count(LeadStage.VIEWING) == 1

    # -- parking -------------------------------------------------------------------------------

    def test_leases_in_force_feed_the_billing_run(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        first = _lease("L-1", B1, pendulum.date(2026, 1, 1))
        second = _lease("L-2", B2, pendulum.date(2026, 11, 14), party="P2")
        with unit_of_work_factory() as uow:
            uow.parking.save_space(C, B1, 0)
            uow.parking.save_space(C, B2, 0)
            uow.parking.save_lease(C, first, 0)
            uow.parking.save_lease(C, second, 0)
            uow.commit()
        ended = first.ended(pendulum.date(2026, 11, 20))
        with unit_of_work_factory() as uow:
            assert uow.parking.save_lease(C, ended, 1) == 2
            # Only ever ended: not later, not with other terms.
            with pytest.raises(InvalidParking):
                uow.parking.save_lease(C, first.ended(pendulum.date(2026, 12, 31)), 2)
            with pytest.raises(InvalidParking):
                uow.parking.save_lease(C, _lease("L-1", B1, pendulum.date(2026, 2, 1)), 2)
            uow.commit()
        with unit_of_work_factory() as uow:
            november = uow.parking.in_force(
                C, pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 30)
            )
            assert november == (ended, second)
            assert uow.parking.in_force(C, pendulum.date(2026, 11, 20)) == (second,)
            assert uow.parking.in_force(C, pendulum.date(2025, 12, 31)) == ()
            assert uow.parking.of_space(C, "P-B1-017") == (ended,)
            assert uow.parking.spaces(C).items == (B1, B2)
            assert uow.parking.lease(C, "L-1") == uow.parking.lease(C, "L-1")
        run = BillingRun(community=C, period=BillingPeriod.month(2026, 11), tariff=data.tariff())
        # Neither lease is of the residential tariff: the run bills them under their own.
        assert bill_leases(run, november) == ()

    def test_a_page_of_spaces_shows_those_this_unit_added(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        def space(n: int | str) -> ParkingSpace:
            return ParkingSpace(f"P-B2-{n}", f"B2-{n}", SpaceKind.SURFACE)

        with unit_of_work_factory() as uow:
            for n in range(10, 20):
                uow.parking.save_space(C, space(n), 0)
            uow.parking.save_space(data.OTHER_COMMUNITY, space(15), 0)
            uow.commit()
        with unit_of_work_factory() as uow:
            earlier = uow.parking.spaces(C, limit=2)
            assert [s.space_id for s in earlier.items] == ["P-B2-10", "P-B2-11"]
            # Added in this unit: one before them all, one between 14 and 15, one after.
            for added in ("05", "145", "99"):
                uow.parking.save_space(C, space(added), 0)
            expected = sorted(
                [f"P-B2-{n}" for n in range(10, 20)] + ["P-B2-05", "P-B2-145", "P-B2-99"]
            )

            def listed(limit: int, first: str | None = None) -> list[str]:
                def fetch(after: str | None) -> Page[ParkingSpace]:
                    return uow.parking.spaces(C, limit=limit, after=after or first)

                return [s.space_id for s in _every_page(fetch)]

            for limit in (1, 2, 3, 4, 100):
                assert listed(limit) == expected, limit
            # The token of a page read before this unit's writes goes on after P-B2-11.
            assert listed(3, earlier.next) == expected[3:]
            uow.commit()
        with unit_of_work_factory() as uow:  # the pages above read this unit now
            assert listed(4) == expected
            with pytest.raises(InvalidPageToken):
                uow.parking.spaces(C, after=encode_token("parking.spaces", [17]))

    def test_two_clerks_letting_one_space_at_once_the_second_is_refused(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            uow.parking.save_space(C, B1, 0)
            uow.parking.save_lease(C, _lease("L-1", B1, pendulum.date(2026, 1, 1)), 0)
            uow.commit()
        with unit_of_work_factory() as uow, pytest.raises(LeaseConflict):
            uow.parking.save_lease(C, _lease("L-9", B1, pendulum.date(2026, 6, 1)), 0)
        with unit_of_work_factory() as uow:
            uow.parking.save_lease(
                C, _lease("L-1", B1, pendulum.date(2026, 1, 1)).ended(pendulum.date(2026, 7, 1)), 1
            )
            uow.commit()
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def clerk(lease_id: str) -> None:
            try:
                with unit_of_work_factory() as uow:
                    lease = _lease(lease_id, B1, pendulum.date(2026, 7, 1), party=lease_id)
                    uow.parking.save_lease(C, lease, 0)
                    barrier.wait(timeout=30)
                    uow.commit()
                outcomes.append("let")
            except (ConcurrencyConflict, LeaseConflict) as error:
                outcomes.append(type(error).__name__)

        threads = [threading.Thread(target=clerk, args=(n,)) for n in ("L-2", "L-3")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["ConcurrencyConflict", "let"]
        with unit_of_work_factory() as uow:
            assert len(uow.parking.in_force(C, pendulum.date(2026, 7, 1))) == 1

    def test_the_waiting_list_is_saved_at_its_version(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        applied = Application("A-1", "P1", ApplicantRole.OWNER, _at(1, 5), data.unit_id(1))
        with unit_of_work_factory() as uow:
            empty = uow.parking.waiting_list(C)
            assert (empty.value, empty.version) == (WaitingList(), 0)
            uow.parking.save_waiting_list(C, empty.value.join(applied), 0)
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.parking.waiting_list(C).value.applications == (applied,)
            with pytest.raises(ConcurrencyConflict):
                uow.parking.save_waiting_list(C, WaitingList(), 0)
            with pytest.raises(InvalidParking):
                uow.parking.save_lease(C, _lease("L-1", B1, pendulum.date(2026, 1, 1)), 0)

    # -- prepaid balances ----------------------------------------------------------------------

    def test_a_prepaid_balance_settles_a_notice_in_one_unit_of_work(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        flat = data.account_id(1)
        notice = data.notice(flat, 11, "250.24")
        with unit_of_work_factory() as uow:
            uow.accounts.add(flat, data.new_account(flat))
            topped = uow.prepaid.get(flat).value.top_up(
                "BANK-1020", Money("1000.00"), on=pendulum.date(2026, 10, 20)
            )
            assert uow.prepaid.save(flat, topped, 0) == 1
            uow.commit()
        with unit_of_work_factory() as uow:
            account, balance = uow.accounts.get(flat), uow.prepaid.get(flat)
            settled, _ = balance.value.settle(account.value, notice)
            movement = settled.movement(f"prepaid:{notice.number}")
            uow.accounts.append(flat, [notice, movement.receipt()], account.version)
            uow.prepaid.save(flat, settled, balance.version)
            uow.commit()
        with unit_of_work_factory() as uow:
            stored = uow.prepaid.get(flat).value
            owed = uow.accounts.get(flat).value.balance(notice.issued_on).statements[0]
            december = uow.prepaid.movements(
                flat, pendulum.date(2026, 11, 1), pendulum.date(2026, 12, 31)
            )
            page = uow.prepaid.of_community(C)
            with pytest.raises(PrepaidError, match="would lose movement prepaid:"):
                uow.prepaid.save(flat, topped.refund("R-1", Money("1.00"), on=notice.issued_on), 2)
            with pytest.raises(ConcurrencyConflict):
                uow.prepaid.save(
                    flat, settled.top_up("BANK-2", Money("9.00"), on=notice.issued_on), 1
                )
        assert stored == settled
        assert stored.balance == Money("749.76")
        assert owed.state.value == "paid"
        assert december == (movement,)
        assert page.items == (settled,)
