"""The month end and the replay on a two-worker Dask cluster equal the single-process run."""

from __future__ import annotations

import pathlib
import random
import uuid

import pendulum
import pytest

from propcrm.billing import LateFeePolicy, opening_statement
from propcrm.errors import (
    DuplicateAccount,
    InvalidQuantity,
    InvalidType,
    MissingExtra,
    MissingFacts,
)
from propcrm.money import Money, Rate, RateBasis
from propcrm.portfolio import (
    MonthEnd,
    PortfolioFacts,
    distributed_month_end,
    distributed_replay,
    facts_from_accounts,
    month_end,
    write_facts,
)
from propcrm.receivables import (
    DEFAULT_AGING,
    Account,
    DisputeRaised,
    PrincipalWaiver,
    Receipt,
    age_account,
)
from propcrm.time import BillingPeriod

distributed = pytest.importorskip("distributed")

AS_OF = pendulum.date(2026, 10, 31)
PERIODS = [BillingPeriod.month(2026, m) for m in range(1, 10)]
COMMUNITIES = ("SUNRISE", "MOONLIGHT", "HARBOUR")
POLICIES = (
    LateFeePolicy(),
    LateFeePolicy(rate=Rate("0.0005", RateBasis.DAY), grace_days=5),
)


def _history(community: str, unit: str, rng: random.Random) -> list[object]:
    events: list[object] = []
    policy = rng.choice(POLICIES)
    for n, period in enumerate(PERIODS):
        amount = rng.randrange(5_000, 300_000)
        statement = opening_statement(
            community=community,
            unit_id=unit,
            period=period,
            amount=Money.from_minor_units(amount),
            due_on=period.end.add(days=10),
            late_fee=policy,
        )
        events.append(statement)
        kind = rng.randrange(5)
        day = period.end.add(days=rng.randrange(1, 60))
        if kind in (1, 2):
            paid = amount if kind == 1 else rng.randrange(1, amount)
            events.append(Receipt(f"B{n}", Money.from_minor_units(paid), received_on=day))
        elif kind == 3 and n == 2:
            raised = period.end.add(days=1)  # disputes close five days before the due date
            events.append(DisputeRaised(f"D{n}", statement.number, raised, "meter"))
        elif kind == 4 and n == 4:
            from propcrm.receivables import Authorisation

            ok = Authorisation("manager Wang", "hardship")
            events.append(PrincipalWaiver(f"W{n}", statement.number, ok, day, Money("10.00")))
    return events


def _histories() -> dict[str, dict[str, list[object]]]:
    rng = random.Random(20261207)
    return {
        community: {
            f"{community[:2]}-{i:03d}": _history(community, f"{community[:2]}-{i:03d}", rng)
            for i in range(5)
        }
        for community in COMMUNITIES
    }


HISTORIES = _histories()
BOOKS = {
    community: [Account(unit).post(*events) for unit, events in units.items()]
    for community, units in HISTORIES.items()
}


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            # Its HTTP server (health, metrics) starts even without a dashboard: on a port of
            # its own, as two suites on one machine cannot share 8787.
            dashboard_address="127.0.0.1:0",
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


def _partitions(tmp_path: pathlib.Path) -> list[object]:
    """One partition per community: the first as PortfolioFacts, the others as Parquet."""
    parts: list[object] = []
    for index, community in enumerate(COMMUNITIES):
        facts = facts_from_accounts(BOOKS[community], AS_OF)
        if index == 0:
            parts.append(facts)
            continue
        folder = tmp_path / community
        folder.mkdir()
        write_facts(facts, folder)
        parts.append(folder)
    return parts


def test_month_end_on_the_cluster_equals_the_single_process_run(client, tmp_path):
    everyone = [a for community in COMMUNITIES for a in BOOKS[community]]
    single = month_end(facts_from_accounts(everyone, AS_OF), AS_OF)
    result = distributed_month_end(client, _partitions(tmp_path), AS_OF)
    assert result.as_of == AS_OF
    assert result.explain == single.explain == ()
    # Every column of every statement and every aging row, to the fen.
    assert result.statements.equals(single.statements)
    assert result.aging.equals(single.aging)
    # And the explained path agrees on every account.
    aged = {
        (a, b): (p, f, n)
        for a, b, p, f, n in result.aging.select(
            "account", "bucket", "principal_fen", "late_fees_fen", "statements"
        ).iter_rows()
    }
    for account in everyone:
        for row in age_account(account, AS_OF, DEFAULT_AGING):
            if row.statements:
                assert aged[account.unit_id, row.bucket.index] == (
                    row.principal.minor_units,
                    row.late_fees.minor_units,
                    row.statements,
                )
    assert len(aged) == sum(
        1 for a in everyone for row in age_account(a, AS_OF, DEFAULT_AGING) if row.statements
    )


def test_parts_come_back_in_the_partitions_order_whatever_order_they_finish_in(client):
    from propcrm.portfolio._distributed import _as_they_finish

    # The first task waits for the second to have run, so the second always finishes first.
    name = f"second-ran-{uuid.uuid4()}"

    def first() -> str:
        return "first" if distributed.Event(name).wait(timeout=60) else "never released"

    def second() -> str:
        distributed.Event(name).set()
        return "second"

    one, other = sorted(client.scheduler_info()["workers"])
    futures = [
        client.submit(first, workers=[one], pure=False),
        client.submit(second, workers=[other], pure=False),
    ]
    assert _as_they_finish(futures) == ["first", "second"]


def test_columns_gathers_only_what_is_named(client, tmp_path):
    parts = _partitions(tmp_path)
    full = distributed_month_end(client, parts, AS_OF)
    some = distributed_month_end(client, parts, AS_OF, columns=["account", "late_fee_fen"])
    assert some.statements.equals(full.statements.select("account", "late_fee_fen"))
    assert some.aging.equals(full.aging)
    none = distributed_month_end(client, parts, AS_OF, columns=())
    assert none.statements.is_empty()
    assert none.aging.equals(full.aging)


def test_an_account_in_two_partitions_is_refused(client):
    facts = facts_from_accounts(BOOKS["SUNRISE"], AS_OF)
    with pytest.raises(DuplicateAccount) as caught:
        distributed_month_end(client, [facts, facts], AS_OF)
    assert caught.value.field == "partitions"
    assert caught.value.value in {a.unit_id for a in BOOKS["SUNRISE"]}


def test_the_refusal_names_the_first_partitions_that_share_an_account(client):
    sunrise, moonlight, harbour = (facts_from_accounts(BOOKS[c], AS_OF) for c in COMMUNITIES)
    # Only the last two share accounts (one of them), and only through the statements.
    one = BOOKS["HARBOUR"][0].unit_id
    shared = PortfolioFacts(
        moonlight.statements.vstack(
            harbour.statements.filter(harbour.statements.get_column("account") == one)
        ),
        moonlight.reductions,
        moonlight.deferrals,
        moonlight.disputes,
    )
    with pytest.raises(DuplicateAccount) as caught:
        distributed_month_end(client, [sunrise, shared, harbour], AS_OF)
    assert caught.value.value == one
    assert f"account {one!r} is in partitions 1 and 2" in str(caught.value)
    # Apart, the three are whole accounts each.
    assert distributed_month_end(client, [sunrise, moonlight, harbour], AS_OF, columns=())


def test_a_worker_error_reaches_the_client_with_its_context(client, tmp_path):
    with pytest.raises(MissingFacts) as caught:
        distributed_month_end(client, [tmp_path], AS_OF)
    assert caught.value.field == "directory"
    assert caught.value.value == str(tmp_path)


def test_replay_on_the_cluster_equals_facts_from_accounts(client):
    replayed = distributed_replay(client, list(HISTORIES.values()), AS_OF)
    everyone = [a for community in COMMUNITIES for a in BOOKS[community]]
    local = facts_from_accounts(everyone, AS_OF)
    for name in ("statements", "reductions", "deferrals", "disputes"):
        assert getattr(replayed, name).equals(getattr(local, name)), name
    assert not replayed.disputes.is_empty()
    assert month_end(replayed, AS_OF).statements.equals(month_end(local, AS_OF).statements)


def test_replay_refuses_a_unit_in_two_partitions(client):
    sunrise = HISTORIES["SUNRISE"]
    with pytest.raises(DuplicateAccount):
        distributed_replay(client, [sunrise, sunrise], AS_OF)


@pytest.mark.parametrize("bad", [None, "C1", {"C1": []}, 3])
def test_replay_refuses_what_is_not_partitions(client, bad):
    with pytest.raises(InvalidType):
        distributed_replay(client, bad, AS_OF)


def test_refusals_before_anything_is_sent(client):
    with pytest.raises(InvalidQuantity):
        distributed_month_end(client, [], AS_OF)
    with pytest.raises(InvalidQuantity):
        distributed_replay(client, [], AS_OF)
    with pytest.raises(InvalidType):
        distributed_month_end(client, [3], AS_OF)
    with pytest.raises(InvalidType):
        distributed_month_end(client, ["x"], AS_OF, columns="account")


def test_a_client_is_required():
    with pytest.raises(InvalidType) as caught:
        distributed_month_end("tcp://127.0.0.1:8786", ["x"], AS_OF)
    assert caught.value.field == "client"


def test_missing_dask_names_the_extra(monkeypatch):
    import importlib

    real = importlib.import_module

    def without_distributed(name: str, *args: object) -> object:
        if name == "distributed":
            raise ModuleNotFoundError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_distributed)
    with pytest.raises(MissingExtra) as caught:
        distributed_month_end(object(), ["x"], AS_OF)
    assert caught.value.context == {"extra": "dask", "module": "distributed"}
    assert isinstance(MonthEnd, type)
