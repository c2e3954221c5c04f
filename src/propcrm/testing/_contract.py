"""The storage contract as pytest test methods; :mod:`propcrm.testing.contract` documents it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import pendulum
import pytest

from propcrm.complaints import Action, Actor, Request, Role
from propcrm.errors import (
    ConcurrencyConflict,
    ConflictingReceipt,
    DuplicateReference,
    InvalidPageToken,
    NoPriceListInForce,
    NoTariffInForce,
    OverlappingVersions,
    PropcrmError,
    RecordExists,
    RecordNotFound,
    UnitOfWorkClosed,
    UnknownStatement,
)
from propcrm.money import Money
from propcrm.receivables import Account, Authorisation, LateFeeWaiver
from propcrm.serialization import to_primitive
from propcrm.sla import poll_alerts
from propcrm.storage import AccountId, Page, UnitOfWork, UnitOfWorkFactory
from propcrm.testing import _contract_data as data
from propcrm.testing._contract_community import CommunityContract
from propcrm.testing._contract_desk import DeskContract
from propcrm.time import BillingPeriod

__all__ = ["StorageContract"]

T = TypeVar("T")
E = TypeVar("E", bound=PropcrmError)
DEC = pendulum.date(2026, 12, 1)


def _same(stored: object, expected: object) -> bool:
    """Equal in what they hold: tariffs and price lists compare by identity, not contents."""
    return bool(to_primitive(stored) == to_primitive(expected))


def _all_pages(fetch: Callable[[str | None], Page[T]]) -> list[T]:
    """Every item of a paged query, page by page; the last page may be empty."""
    items: list[T] = []
    token: str | None = None
    for _ in range(10_000):
        page = fetch(token)
        if page.next is not None:
            assert page.items, "only the last page may be empty"
        items.extend(page.items)
        token = page.next
        if token is None:
            return items
    raise AssertionError("the pages never end")


def _refused_whole(
    factory: UnitOfWorkFactory, error: type[E], work: Callable[[UnitOfWork], Any]
) -> pytest.ExceptionInfo[E]:
    """Run ``work`` and commit; ``error`` must be raised, at the write or at the commit."""
    # An adapter may detect the conflict at the write or only at the commit: both count.
    with pytest.raises(error) as caught, factory() as uow:  # noqa: PT012
        work(uow)
        uow.commit()
    return caught


class StorageContract(CommunityContract, DeskContract):
    """Every storage contract test, as methods of one class to subclass.

    Subclass it in a test module (its name starting with ``Test``) and define the fixture
    ``unit_of_work_factory``, returning a callable that gives a fresh unit of work of an
    *empty* store. Each test asks for its own store.
    """

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def post(
        factory: UnitOfWorkFactory, account: AccountId, *events: Any, create: bool = True
    ) -> int:
        """Open (if asked) and post ``events`` to ``account`` in one committed unit of work."""
        with factory() as uow:
            if create:
                uow.accounts.add(account, data.new_account(account))
            version = uow.accounts.get(account).version
            result = uow.accounts.append(account, list(events), expected_version=version)
            uow.commit()
        return result.version

    # -- accounts: streams -----------------------------------------------------------------

    def test_an_account_is_stored_and_read_back_equal(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        flat = data.account_id(1)
        account = data.new_account(flat).post(
            data.notice(flat, 10), data.receipt("B-1", "300.00", pendulum.date(2026, 11, 20))
        )
        with unit_of_work_factory() as uow:
            result = uow.accounts.add(flat, account)
            uow.commit()
        assert result.version == 2
        with unit_of_work_factory() as uow:
            stored = uow.accounts.get(flat)
            assert stored.value == account
            assert stored.version == 2
            assert set(uow.accounts.events(flat)) == set(account.events)
            with pytest.raises(RecordNotFound):
                uow.accounts.get(data.account_id(2))
            with pytest.raises(RecordExists):
                uow.accounts.add(flat, data.new_account(flat))

    def test_appends_advance_the_version_and_keep_posting_order(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        flat = data.account_id(1)
        november, october = data.notice(flat, 11), data.notice(flat, 10)
        assert self.post(unit_of_work_factory, flat, november) == 1
        assert self.post(unit_of_work_factory, flat, october, create=False) == 2
        with unit_of_work_factory() as uow:
            assert uow.accounts.events(flat) == (november, october)
            assert uow.accounts.events(flat, after=1) == (october,)
            # The account replays in its own canonical order, whatever the posting order.
            assert uow.accounts.get(flat).value.events == (october, november)

    def test_a_stale_append_is_refused_and_writes_nothing(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        flat, other = data.account_id(1), data.account_id(2)
        self.post(unit_of_work_factory, flat, data.notice(flat, 10))
        self.post(unit_of_work_factory, flat, data.notice(flat, 11), create=False)

        def stale(uow: UnitOfWork) -> None:
            uow.accounts.add(other, data.new_account(other))
            uow.accounts.append(flat, [data.notice(flat, 12)], expected_version=1)

        caught = _refused_whole(unit_of_work_factory, ConcurrencyConflict, stale)
        assert caught.value.context["expected"] == 1
        with unit_of_work_factory() as uow:
            assert uow.accounts.get(flat).version == 2
            with pytest.raises(RecordNotFound):
                uow.accounts.get(other)

    def test_an_event_the_account_refuses_writes_nothing(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        flat = data.account_id(1)
        self.post(unit_of_work_factory, flat, data.notice(flat, 10))
        waiver = LateFeeWaiver(
            "W-1", "NO-SUCH-STATEMENT", Authorisation("经理", "物业服务不到位"), DEC
        )
        with pytest.raises(UnknownStatement), unit_of_work_factory() as uow:
            uow.accounts.append(flat, [waiver], expected_version=1)
        with unit_of_work_factory() as uow:
            assert uow.accounts.get(flat).version == 1

    def test_replay_equals_the_stored_account_and_its_snapshot(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        flat = data.account_id(1)
        self.post(unit_of_work_factory, flat, data.notice(flat, 9), data.notice(flat, 10))
        for n, day in enumerate((5, 12, 19), start=1):
            paid = data.receipt(f"B-{n}", "250.00", pendulum.date(2026, 11, day))
            self.post(unit_of_work_factory, flat, paid, create=False)
        with unit_of_work_factory() as uow:
            snapshot, replayed = uow.accounts.get(flat), uow.accounts.replay(flat)
            events = uow.accounts.events(flat)
        original = data.new_account(flat).post(*events)
        assert snapshot == replayed
        assert replayed.value == original
        assert replayed.version == len(events) == 5
        assert snapshot.value.balance(DEC) == original.balance(DEC)

    # -- accounts: bank references ---------------------------------------------------------

    def test_a_receipt_posted_twice_credits_once(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        flat = data.account_id(1)
        paid = data.receipt("BANK-7", "400.00", pendulum.date(2026, 11, 20))
        self.post(unit_of_work_factory, flat, data.notice(flat, 10), paid)
        with unit_of_work_factory() as uow:
            again = uow.accounts.append(flat, [paid], expected_version=2)
            uow.commit()
        assert (again.version, again.appended, again.duplicates) == (2, (), (paid,))
        with unit_of_work_factory() as uow:
            assert uow.accounts.get(flat).value.receipts() == (paid,)
            posted = uow.accounts.receipt(data.COMMUNITY, "BANK-7")
            assert posted is not None
            assert (posted.account, posted.receipt) == (flat, paid)
            assert uow.accounts.receipt(data.COMMUNITY, "BANK-8") is None

    def test_a_bank_reference_is_unique_across_the_community(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        first, second = data.account_id(1), data.account_id(2)
        paid = data.receipt("BANK-7", "400.00", pendulum.date(2026, 11, 20))
        self.post(unit_of_work_factory, first, paid)
        self.post(unit_of_work_factory, second)
        other_unit = data.receipt("BANK-7", "400.00", pendulum.date(2026, 11, 20))

        def to_second(uow: UnitOfWork) -> None:
            uow.accounts.append(second, [other_unit], expected_version=0)

        caught = _refused_whole(unit_of_work_factory, ConflictingReceipt, to_second)
        assert caught.value.context["posted_account"] == first
        assert caught.value.context["refused_account"] == second
        assert "1-1-0001" in str(caught.value)
        assert "1-1-0002" in str(caught.value)
        other_amount = data.receipt("BANK-7", "450.00", pendulum.date(2026, 11, 20))
        with pytest.raises((ConflictingReceipt, DuplicateReference)):
            self.post(unit_of_work_factory, first, other_amount, create=False)
        with unit_of_work_factory() as uow:
            assert uow.accounts.get(first).version == 1
            assert uow.accounts.get(second).version == 0
        # Another community's bank reference is its own.
        elsewhere = data.account_id(1, data.OTHER_COMMUNITY)
        self.post(unit_of_work_factory, elsewhere, paid)

    def test_two_threads_posting_one_receipt_file_credit_it_once(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        flats = [data.account_id(n) for n in range(1, 5)]
        for flat in flats:
            self.post(unit_of_work_factory, flat, data.notice(flat, 10))
        day = pendulum.date(2026, 11, 20)
        rows = [(flat, data.receipt(f"BANK-{n}", "100.00", day)) for n, flat in enumerate(flats)]
        barrier = threading.Barrier(2)
        failures: list[BaseException] = []

        def clerk() -> None:
            try:
                barrier.wait(timeout=30)
                for flat, paid in rows:
                    for _attempt in range(50):
                        try:
                            with unit_of_work_factory() as uow:
                                version = uow.accounts.get(flat).version
                                uow.accounts.append(flat, [paid], expected_version=version)
                                uow.commit()
                            break
                        except ConcurrencyConflict:
                            continue
            except BaseException as error:  # reported by the test thread below
                failures.append(error)

        threads = [threading.Thread(target=clerk) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert failures == []
        with unit_of_work_factory() as uow:
            for flat, paid in rows:
                assert uow.accounts.get(flat).value.receipts() == (paid,)

    # -- accounts: the daily queries -------------------------------------------------------

    def test_the_arrears_scan_pages_by_unit(self, unit_of_work_factory: UnitOfWorkFactory) -> None:
        flats = [data.account_id(n) for n in range(1, 8)]
        for n, flat in enumerate(flats, start=1):
            events: list[Any] = [data.notice(flat, 10, "500.00")]
            if n % 3 == 0:  # paid in full before the due date: not in arrears
                events.append(data.receipt(f"B-{n}", "500.00", pendulum.date(2026, 11, 5)))
            self.post(unit_of_work_factory, flat, *events)
        self.post(unit_of_work_factory, data.account_id(1, data.OTHER_COMMUNITY))
        owing = [flat for n, flat in enumerate(flats, start=1) if n % 3]
        with unit_of_work_factory() as uow:
            entries = _all_pages(
                lambda after: uow.accounts.arrears(data.COMMUNITY, DEC, limit=2, after=after)
            )
            assert [e.account for e in entries] == owing
            assert all(e.total > Money("500.00") for e in entries)  # with late fees
            assert uow.accounts.arrears(data.COMMUNITY, pendulum.date(2026, 11, 10)).items == ()
            with pytest.raises(InvalidPageToken):
                uow.accounts.arrears(data.COMMUNITY, DEC, after="not a token")
            token = uow.accounts.arrears(data.COMMUNITY, DEC, limit=1).next
            assert token is not None
            with pytest.raises(InvalidPageToken):
                uow.accounts.statements(data.COMMUNITY, BillingPeriod.month(2026, 10), after=token)

    def test_a_page_stays_stable_while_accounts_are_added(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        flats = [data.account_id(n) for n in (2, 4, 6)]
        for flat in flats:
            self.post(unit_of_work_factory, flat, data.notice(flat, 10))
        with unit_of_work_factory() as uow:
            first = uow.accounts.arrears(data.COMMUNITY, DEC, limit=2)
        early = data.account_id(1)  # sorts before the token: never shown on a later page
        self.post(unit_of_work_factory, early, data.notice(early, 10))
        with unit_of_work_factory() as uow:
            rest = _all_pages(
                lambda after: uow.accounts.arrears(
                    data.COMMUNITY, DEC, limit=2, after=after or first.next
                )
            )
        assert [e.account for e in first.items] == flats[:2]
        assert [e.account for e in rest] == flats[2:]

    def test_the_statements_of_a_period(self, unit_of_work_factory: UnitOfWorkFactory) -> None:
        flats = [data.account_id(n) for n in range(1, 6)]
        for flat in flats:
            self.post(unit_of_work_factory, flat, data.notice(flat, 10), data.notice(flat, 11))
        with unit_of_work_factory() as uow:
            got = _all_pages(
                lambda after: uow.accounts.statements(
                    data.COMMUNITY, BillingPeriod.month(2026, 11), limit=2, after=after
                )
            )
        assert [s.number for s in got] == sorted(data.notice(f, 11).number for f in flats)

    def test_the_accounts_of_a_unit(self, unit_of_work_factory: UnitOfWorkFactory) -> None:
        seller = data.account_id(1)
        buyer = AccountId(data.COMMUNITY, seller.unit_id, "buyer-1")
        self.post(unit_of_work_factory, seller)
        with unit_of_work_factory() as uow:
            uow.accounts.add(buyer, Account(buyer.unit_id, billed_party="buyer-1"))
            uow.commit()
        with unit_of_work_factory() as uow:
            assert set(uow.accounts.of_unit(data.COMMUNITY, seller.unit_id)) == {seller, buyer}
            assert uow.accounts.of_unit(data.COMMUNITY, "9-9-9999") == ()

    # -- requests --------------------------------------------------------------------------

    def test_a_request_is_a_stream_of_its_steps(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        request = data.leak("BX-1", data.at(24))
        with unit_of_work_factory() as uow:
            assert uow.requests.add(request) == 1
            uow.commit()
        steps = [
            request.take(Action.ACKNOWLEDGE, data.AGENT, data.at(24, 9, 1)).last_step,
        ]
        with unit_of_work_factory() as uow:
            result = uow.requests.append("BX-1", steps, expected_version=1)
            uow.commit()
        assert result.version == 2
        assert result.appended == tuple(steps)
        with unit_of_work_factory() as uow:
            stored, replayed = uow.requests.get("BX-1"), uow.requests.replay("BX-1")
            assert stored == replayed
            assert stored.value == Request.replay(stored.value.history)
            assert stored.value.state.value == "acknowledged"
            assert uow.requests.history("BX-1", after=1) == tuple(steps)
            assert uow.requests.of_requester("P-1") == (stored.value,)
            with pytest.raises(RecordExists):
                uow.requests.add(request)
            with pytest.raises(RecordNotFound):
                uow.requests.get("BX-2")

    def test_two_clerks_appending_to_one_request_the_stale_one_loses(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        request = data.leak("BX-1", data.at(24))
        with unit_of_work_factory() as uow:
            uow.requests.add(request)
            uow.commit()
        with unit_of_work_factory() as first, unit_of_work_factory() as second:
            read_first, read_second = first.requests.get("BX-1"), second.requests.get("BX-1")
            ack = read_first.value.take(Action.ACKNOWLEDGE, data.AGENT, data.at(24, 9, 1))
            first.requests.append("BX-1", [ack.last_step], read_first.version)
            first.commit()
            clerk = Actor("KF-02", Role.AGENT)
            other = read_second.value.take(Action.ACKNOWLEDGE, clerk, data.at(24, 9, 2))
            # Refused at the append or at the commit, as the adapter detects it.
            with pytest.raises(ConcurrencyConflict):  # noqa: PT012
                second.requests.append("BX-1", [other.last_step], read_second.version)
                second.commit()
        with unit_of_work_factory() as uow:
            history = uow.requests.history("BX-1")
        assert [s.actor.actor_id for s in history] == ["KF-01", "KF-01"]

    def test_open_requests_whose_next_action_is_due(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        early, late = data.leak("BX-1", data.at(24, 9)), data.leak("BX-2", data.at(24, 11))
        gone = data.leak("BX-3", data.at(24, 8))
        gone = gone.take(
            Action.WITHDRAW, Actor("P-1", Role.REQUESTER), data.at(24, 8, 5), reason="已自行修好"
        )
        with unit_of_work_factory() as uow:
            for request in (early, late, gone):
                uow.requests.add(request)
            uow.commit()
        evening = data.at(24, 23)
        with unit_of_work_factory() as uow:
            due = _all_pages(lambda after: uow.requests.due_before(evening, limit=1, after=after))
            assert [d.request_id for d in due] == ["BX-1", "BX-2"]
            assert due[0].next_action_at <= due[1].next_action_at <= evening
            first_due = due[0].next_action_at
            assert [d.request_id for d in uow.requests.due_before(first_due).items] == ["BX-1"]
            assert uow.requests.due_before(data.at(24, 9)).items == ()
            alerts, _ledger = poll_alerts([uow.requests.get("BX-1").value.clocks], first_due)
            assert alerts
            assert uow.alerts.record(alerts) == alerts
            uow.commit()
        with unit_of_work_factory() as uow:
            # The warning is sent: BX-1's next action moved on, past the first instant.
            assert [d.request_id for d in uow.requests.due_before(first_due).items] == []
            assert uow.alerts.record(alerts) == ()
            assert uow.alerts.alerts("BX-1") == alerts
            assert all(a.key in uow.alerts.ledger(["BX-1"]) for a in alerts)
            assert uow.alerts.ledger(["BX-2"]).sent == frozenset()

    # -- parties ---------------------------------------------------------------------------

    def test_the_party_book_is_saved_at_its_version(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            empty = uow.parties.book()
            assert empty.version == 0
            assert uow.parties.save(data.book(), empty.version) == 1
            uow.commit()
        with unit_of_work_factory() as uow:
            stored = uow.parties.book()
            assert stored == type(stored)(data.book(), 1)
            assert uow.parties.party("owner-2").party_id == "owner-2"
            assert uow.parties.unit(data.unit_id(3)).community == data.COMMUNITY
            with pytest.raises(RecordNotFound):
                uow.parties.party("nobody")
            with pytest.raises(RecordNotFound):
                uow.parties.unit("9-9-9999")
            units = _all_pages(
                lambda after: uow.parties.units(data.COMMUNITY, limit=2, after=after)
            )
            assert [u.unit_id for u in units] == [data.unit_id(n) for n in (1, 2, 3)]
        _refused_whole(
            unit_of_work_factory,
            ConcurrencyConflict,
            lambda uow: uow.parties.save(data.book(2), expected_version=0),
        )

    def test_records_added_as_an_import_adds_them(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        stored = data.book(2)
        more = data.book(4)
        parties, units = more.parties[2:], more.units[2:]
        relations = more.relations[2:]
        with unit_of_work_factory() as uow:
            uow.parties.save(stored, 0)
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.parties.taken(["owner-1", "owner-3"], [data.unit_id(2)], ["R9"]) == (
                frozenset({"owner-1"}),
                frozenset({data.unit_id(2)}),
                frozenset(),
            )
            assert uow.parties.add_records(parties, units) == 2
            # Within the unit of work, the book is the stored one with them.
            assert uow.parties.book() == type(uow.parties.book())(
                stored.with_records(parties, units), 2
            )
            assert uow.parties.add_records(relations=relations) == 3
            uow.commit()
        with unit_of_work_factory() as uow:
            read = uow.parties.book()
            grown = stored.with_records(parties, units, relations)
            assert read.version == 3
            assert read.value == grown
            assert (read.value.parties, read.value.units) == (grown.parties, grown.units)
            assert read.value.relations == grown.relations
            assert uow.parties.related_to_unit(data.unit_id(4), pendulum.date(2026, 1, 1)) == (
                relations[-1],
            )

    def test_records_added_are_refused_as_the_book_refuses_them(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        stored = data.book(2)
        with unit_of_work_factory() as uow:
            uow.parties.save(stored, 0)
            uow.commit()
        later = pendulum.date(2026, 1, 1)
        second_owner = stored.relation(stored.relations[0].relation_id)
        for parties, units, relations in (
            (data.book(3).parties[1:], (), ()),  # owner-2 is stored
            ((), data.book(1).units, ()),  # so is unit 1
            ((), (), [attrs.evolve(second_owner, relation_id="R9", start=later)]),
            ((), (), [attrs.evolve(second_owner, relation_id="R9", party_id="nobody")]),
        ):
            with pytest.raises(PropcrmError) as whole:
                stored.with_records(parties, units, relations)
            with pytest.raises(type(whole.value)) as caught, unit_of_work_factory() as uow:
                uow.parties.add_records(parties, units, relations)
            assert str(caught.value) == str(whole.value)
            assert caught.value.context == whole.value.context
        with unit_of_work_factory() as uow:
            assert uow.parties.book().version == 1

    def test_the_parties_related_to_a_unit_as_of_a_date(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        sold = data.book().sell(data.unit_id(1), pendulum.date(2026, 11, 16), buyers="owner-2")
        with unit_of_work_factory() as uow:
            uow.parties.save(sold, 0)
            uow.commit()
        with unit_of_work_factory() as uow:
            before = uow.parties.related_to_unit(data.unit_id(1), pendulum.date(2026, 11, 15))
            after = uow.parties.related_to_unit(data.unit_id(1), pendulum.date(2026, 11, 16))
            ever = uow.parties.relations_of("owner-1")
            assert uow.parties.related_to_unit(data.unit_id(1), pendulum.date(2025, 1, 1)) == ()
        assert [r.party_id for r in before] == ["owner-1"]
        assert [r.party_id for r in after] == ["owner-2"]
        assert {r.target for r in ever} == {data.unit_id(1)}

    # -- tariffs and price lists -----------------------------------------------------------

    def test_tariffs_and_their_versions(self, unit_of_work_factory: UnitOfWorkFactory) -> None:
        with unit_of_work_factory() as uow:
            assert uow.tariffs.add(data.tariff()) == 1
            uow.commit()
        later = data.tariff_version("2027", pendulum.date(2027, 1, 1), "3.00")
        with unit_of_work_factory() as uow:
            assert uow.tariffs.add_version(data.COMMUNITY, later, expected_version=1) == 2
            uow.commit()
        with unit_of_work_factory() as uow:
            stored = uow.tariffs.get(data.COMMUNITY).value
            assert _same(stored, data.tariff().with_version(later))
            assert uow.tariffs.in_force(data.COMMUNITY, pendulum.date(2026, 12, 31)).version == (
                "2026"
            )
            assert _same(uow.tariffs.in_force(data.COMMUNITY, pendulum.date(2027, 1, 1)), later)
            assert _same(uow.tariffs.version(data.COMMUNITY, "2027"), later)
            with pytest.raises(NoTariffInForce):
                uow.tariffs.in_force(data.COMMUNITY, pendulum.date(2025, 12, 31))
            with pytest.raises(RecordNotFound):
                uow.tariffs.version(data.COMMUNITY, "2030")
            with pytest.raises(RecordExists):
                uow.tariffs.add(data.tariff())
            with pytest.raises(OverlappingVersions):
                uow.tariffs.add_version(data.COMMUNITY, later, expected_version=2)
        again = data.tariff_version("2028", pendulum.date(2028, 1, 1), "3.10")
        _refused_whole(
            unit_of_work_factory,
            ConcurrencyConflict,
            lambda uow: uow.tariffs.add_version(data.COMMUNITY, again, expected_version=1),
        )

    def test_price_lists_published_by_version(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        first = data.price_list("2026", pendulum.date(2026, 1, 1), "50.00")
        second = data.price_list("2026-07", pendulum.date(2026, 7, 1), "60.00")
        with unit_of_work_factory() as uow:
            with pytest.raises(NoPriceListInForce):
                uow.price_lists.in_force(data.COMMUNITY, pendulum.date(2026, 3, 1))
            assert uow.price_lists.publish(data.COMMUNITY, first, 0) == 1
            assert uow.price_lists.publish(data.COMMUNITY, second, 1) == 2
            uow.commit()
        with unit_of_work_factory() as uow:
            march = uow.price_lists.in_force(data.COMMUNITY, pendulum.date(2026, 3, 1))
            assert _same(march, first)
            august = uow.price_lists.in_force(data.COMMUNITY, pendulum.date(2026, 8, 1))
            assert _same(august, second)
            assert _same(uow.price_lists.version(data.COMMUNITY, "2026"), first)
            assert _same(uow.price_lists.get(data.COMMUNITY).value.versions, (first, second))
            with pytest.raises(RecordNotFound):
                uow.price_lists.version(data.COMMUNITY, "2019")

    # -- surveys, dunning, records ---------------------------------------------------------

    def test_survey_responses_by_time_answered(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        responses = [data.survey(f"S-{n}", data.at(n), 3 + n % 3) for n in (5, 1, 3)]
        with unit_of_work_factory() as uow:
            assert [uow.surveys.add(data.COMMUNITY, r) for r in responses] == [True] * 3
            assert uow.surveys.add(data.COMMUNITY, responses[0]) is False
            uow.surveys.add(data.OTHER_COMMUNITY, data.survey("S-9", data.at(2), 5))
            uow.commit()
        with unit_of_work_factory() as uow:
            got = uow.surveys.answered(data.COMMUNITY, data.at(1), data.at(5))
            assert [r.response_id for r in got] == ["S-1", "S-3"]
            assert uow.surveys.get("S-5") == responses[0]
            with pytest.raises(RecordExists):
                uow.surveys.add(data.COMMUNITY, data.survey("S-5", data.at(5), 1))

    def test_dunning_steps_taken(self, unit_of_work_factory: UnitOfWorkFactory) -> None:
        flat, other = data.account_id(1), data.account_id(2)
        steps = [data.step_taken(flat, pendulum.date(2026, 12, d)) for d in (20, 5)]
        with unit_of_work_factory() as uow:
            assert [uow.dunning.record(data.COMMUNITY, s) for s in steps] == [True, True]
            assert uow.dunning.record(data.COMMUNITY, steps[0]) is False
            uow.dunning.record(data.COMMUNITY, data.step_taken(other, pendulum.date(2026, 12, 8)))
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.dunning.taken(flat) == (steps[1], steps[0])
            between = uow.dunning.taken_between(
                data.COMMUNITY, pendulum.date(2026, 12, 6), pendulum.date(2026, 12, 20)
            )
            assert [(s.unit_id, s.taken_on.day) for s in between] == [
                (other.unit_id, 8),
                (flat.unit_id, 20),
            ]

    def test_records_of_any_kind(self, unit_of_work_factory: UnitOfWorkFactory) -> None:
        with unit_of_work_factory() as uow:
            assert uow.records.put("crm.note", "N-2", Money("1.50"), 0) == 1
            assert uow.records.put("crm.note", "N-1", Money("2.50"), 0) == 1
            assert uow.records.put("crm.note", "N-1", Money("3.50"), 1) == 2
            uow.records.put("crm.other", "N-0", Money("0.10"), 0)
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.records.get("crm.note", "N-1", Money) == type(
                uow.records.get("crm.note", "N-1", Money)
            )(Money("3.50"), 2)
            keys = _all_pages(lambda after: uow.records.keys("crm.note", limit=1, after=after))
            assert keys == ["N-1", "N-2"]
            with pytest.raises(RecordNotFound):
                uow.records.get("crm.note", "N-3", Money)
        _refused_whole(
            unit_of_work_factory,
            ConcurrencyConflict,
            lambda uow: uow.records.put("crm.note", "N-1", Money("9.99"), 1),
        )

    # -- the unit of work ------------------------------------------------------------------

    def test_changes_commit_together(self, unit_of_work_factory: UnitOfWorkFactory) -> None:
        flat = data.account_id(1)
        with unit_of_work_factory() as uow:
            uow.accounts.add(flat, data.new_account(flat))
            uow.tariffs.add(data.tariff())
            uow.parties.save(data.book(), 0)
            uow.requests.add(data.leak("BX-1", data.at(24)))
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.accounts.get(flat).version == 0
            assert uow.tariffs.get(data.COMMUNITY).version == 1
            assert uow.parties.book().version == 1
            assert uow.requests.get("BX-1").version == 1

    def test_an_exception_rolls_every_repository_back(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        flat = data.account_id(1)

        class Boom(Exception):
            pass

        # Writes to three repositories, then the exception: the block is the test.
        with pytest.raises(Boom), unit_of_work_factory() as uow:  # noqa: PT012
            uow.accounts.add(flat, data.new_account(flat))
            uow.tariffs.add(data.tariff())
            uow.records.put("crm.note", "N-1", Money("1.00"), 0)
            raise Boom
        self._assert_nothing_stored(unit_of_work_factory, flat)

    def test_nothing_is_visible_without_a_commit(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        flat = data.account_id(1)
        with unit_of_work_factory() as uow:
            uow.accounts.add(flat, data.new_account(flat))
            uow.tariffs.add(data.tariff())
            uow.records.put("crm.note", "N-1", Money("1.00"), 0)
        self._assert_nothing_stored(unit_of_work_factory, flat)
        with unit_of_work_factory() as uow:
            uow.tariffs.add(data.tariff())
            uow.rollback()
            with pytest.raises(RecordNotFound):
                uow.tariffs.get(data.COMMUNITY)

    def test_a_conflict_at_commit_writes_nothing_of_the_unit(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        flat = data.account_id(1)
        self.post(unit_of_work_factory, flat)
        with unit_of_work_factory() as slow, unit_of_work_factory() as fast:
            slow.tariffs.add(data.tariff())
            slow.accounts.append(flat, [data.notice(flat, 10)], expected_version=0)
            fast.accounts.append(flat, [data.notice(flat, 11)], expected_version=0)
            fast.commit()
            with pytest.raises(ConcurrencyConflict):
                slow.commit()
        with unit_of_work_factory() as uow:
            assert uow.accounts.events(flat) == (data.notice(flat, 11),)
            with pytest.raises(RecordNotFound):
                uow.tariffs.get(data.COMMUNITY)

    def test_reads_see_own_writes_and_not_others_uncommitted(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        flat = data.account_id(1)
        with unit_of_work_factory() as mine, unit_of_work_factory() as theirs:
            mine.accounts.add(flat, data.new_account(flat))
            mine.accounts.append(flat, [data.notice(flat, 10)], expected_version=0)
            mine.tariffs.add(data.tariff())
            assert mine.accounts.get(flat).version == 1
            assert mine.tariffs.get(data.COMMUNITY).version == 1
            assert [e.account for e in mine.accounts.arrears(data.COMMUNITY, DEC).items] == [flat]
            with pytest.raises(RecordNotFound):
                theirs.accounts.get(flat)
            with pytest.raises(RecordNotFound):
                theirs.tariffs.get(data.COMMUNITY)
            assert theirs.accounts.arrears(data.COMMUNITY, DEC).items == ()
            mine.commit()
        with unit_of_work_factory() as uow:
            assert uow.accounts.get(flat).version == 1

    def test_a_repository_outside_its_unit_of_work_is_refused(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        uow = unit_of_work_factory()
        with pytest.raises(UnitOfWorkClosed):
            uow.tariffs.get(data.COMMUNITY)
        with uow:
            uow.tariffs.add(data.tariff())
            uow.commit()
        with pytest.raises(UnitOfWorkClosed):
            uow.tariffs.get(data.COMMUNITY)

    @staticmethod
    def _assert_nothing_stored(factory: UnitOfWorkFactory, flat: AccountId) -> None:
        with factory() as uow:
            with pytest.raises(RecordNotFound):
                uow.accounts.get(flat)
            with pytest.raises(RecordNotFound):
                uow.tariffs.get(data.COMMUNITY)
            with pytest.raises(RecordNotFound):
                uow.records.get("crm.note", "N-1", Money)
