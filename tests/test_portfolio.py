"""The batch month end equals the explained per-account path, to the fen, on every account."""

from __future__ import annotations

import pathlib

import pendulum
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from propcrm.billing import LateFeePolicy, opening_statement
from propcrm.errors import InvalidQuantity, MissingExtra, UnknownAccount
from propcrm.money import Money
from propcrm.portfolio import (
    MonthEnd,
    PortfolioFacts,
    dunning_steps,
    explain,
    facts_from_accounts,
    month_end,
    month_end_chunks,
    scan_facts,
    steps_frame,
    stream_month_end,
    write_facts,
)
from propcrm.receivables import (
    DEFAULT_AGING,
    Account,
    AgingPolicy,
    DunningPlan,
    StepTaken,
    age_account,
    due_steps,
)
from propcrm.testing.strategies import accounts, late_fee_policies
from propcrm.time import BillingPeriod

SIMPLE = late_fee_policies(compounding=False)


def _portfolio(draw: st.DrawFn, policies: st.SearchStrategy[LateFeePolicy]) -> list[Account]:
    listed = draw(st.lists(accounts(policies=policies, max_statements=3), min_size=1, max_size=4))
    unique: dict[str, Account] = {}
    for account in listed:
        unique.setdefault(account.unit_id, account)
    return list(unique.values())


@st.composite
def portfolios(
    draw: st.DrawFn, policies: st.SearchStrategy[LateFeePolicy] = SIMPLE
) -> tuple[list[Account], pendulum.Date]:
    chosen = _portfolio(draw, policies)
    first = min(e.issued_on for a in chosen for e in a.events if hasattr(e, "issued_on"))
    as_of = first.add(days=draw(st.integers(0, 500)))
    return chosen, as_of


def _expected_rows(account: Account, as_of: pendulum.Date) -> list[tuple[object, ...]]:
    balance = account.balance(as_of)
    day = as_of.toordinal()
    rows = []
    for row in balance.statements:
        owing = bool(
            row.principal_outstanding.minor_units
            or row.late_fee_outstanding.minor_units
            or row.costs_outstanding.minor_units
        )
        rows.append(
            (
                account.unit_id,
                row.original_number,
                row.number,
                row.due_on.toordinal(),
                row.late_fee.amount.minor_units,
                row.principal_outstanding.minor_units,
                row.late_fee_outstanding.minor_units,
                row.costs_outstanding.minor_units,
                row.days_overdue,
                row.state.value,
                owing,
                max(0, day - row.due_on.toordinal()),
            )
        )
    return sorted(rows)


def _batch_rows(result: MonthEnd, aging: AgingPolicy) -> list[tuple[object, ...]]:
    rows = []
    for row in result.statements.iter_rows(named=True):
        age = (result.as_of - row["due_on"]).days
        assert row["bucket"] == (aging.bucket_for(max(0, age)).index)
        rows.append(
            (
                row["account"],
                row["statement"],
                row["number"],
                row["due_on"].toordinal(),
                row["late_fee_fen"],
                row["principal_owed_fen"],
                row["late_fee_owed_fen"],
                row["costs_owed_fen"],
                row["days_overdue"],
                row["state"],
                row["owing"],
                max(0, age),
            )
        )
    return sorted(rows)


def _expected_aging(chosen: list[Account], as_of: pendulum.Date, aging: AgingPolicy) -> list:
    return sorted(
        (
            account.unit_id,
            row.bucket.index,
            row.principal.minor_units,
            row.late_fees.minor_units,
            row.costs.minor_units,
            row.total.minor_units,
            row.statements,
        )
        for account in chosen
        for row in age_account(account, as_of, aging)
        if row.statements
    )


def _batch_aging(result: MonthEnd) -> list:
    return sorted(
        result.aging.select(
            "account",
            "bucket",
            "principal_fen",
            "late_fees_fen",
            "costs_fen",
            "total_fen",
            "statements",
        ).rows()
    )


def _unkeyed(facts: PortfolioFacts) -> PortfolioFacts:
    """The facts without their integer keys: linked by their text."""
    return PortfolioFacts(*(frame.drop("key") for frame in attrs_frames(facts)))


def _check(chosen: list[Account], as_of: pendulum.Date, aging: AgingPolicy) -> MonthEnd:
    facts = facts_from_accounts(chosen, as_of)
    for given_facts in (facts, _unkeyed(facts)):
        result = month_end(given_facts, as_of, aging)
        assert result.explain == ()
        expected = [row for a in chosen for row in _expected_rows(a, as_of)]
        assert _batch_rows(result, aging) == sorted(expected)
        assert _batch_aging(result) == _expected_aging(chosen, as_of, aging)
    return result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=portfolios())
def test_batch_equals_the_explained_path_on_every_account(case):
    chosen, as_of = case
    _check(chosen, as_of, DEFAULT_AGING)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=portfolios(),
    edges=st.lists(st.integers(1, 400), min_size=1, max_size=4, unique=True).map(sorted),
)
def test_batch_equals_the_explained_path_under_other_aging_buckets(case, edges):
    chosen, as_of = case
    _check(chosen, as_of, AgingPolicy(edges=tuple(edges)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=portfolios(late_fee_policies(compounding=True)))
def test_batch_equals_the_explained_path_under_daily_compounding_too(case):
    chosen, as_of = case
    _check(chosen, as_of, DEFAULT_AGING)


def test_figures_too_large_for_int64_are_named_for_the_explained_path():
    huge = _account("HUGE", "90000000000.00")  # 9e12 fen: beyond what the guard lets through
    book = [huge, _account("SMALL", "100.00")]
    result = month_end(facts_from_accounts(book, AS_OF), AS_OF)
    assert result.explain == ("HUGE",)
    (row,) = result.statements.filter(pl.col("account") == "HUGE").iter_rows(named=True)
    assert row["late_fee_fen"] is None
    assert result.aging.get_column("account").to_list() == ["SMALL"]
    assert explain(book, "HUGE", AS_OF) == huge.balance(AS_OF)
    assert explain(book, "HUGE", AS_OF).statements[0].late_fee.amount == Money(
        "14040000000.00"
    )  # 52 days at 0.3 %


def _account(unit: str, amount: str, paid: str | None = None) -> Account:
    from propcrm.receivables import Receipt

    nov = opening_statement(
        community="SUNRISE",
        unit_id=unit,
        period=BillingPeriod.month(2026, 11),
        amount=Money(amount),
        due_on=pendulum.date(2026, 12, 10),
    )
    events: list = [nov]
    if paid is not None:
        events.append(Receipt("BANK-1", Money(paid), received_on=pendulum.date(2026, 12, 20)))
    return Account(unit).post(*events)


AS_OF = pendulum.date(2027, 1, 31)


def _book() -> list[Account]:
    return [
        _account(f"U{i:03d}", f"{100 + i}.00", f"{i}.00" if i % 3 else None) for i in range(1, 40)
    ]


def _frame(result: MonthEnd) -> tuple[list, list, tuple[str, ...]]:
    return (
        sorted(result.statements.rows()),
        sorted(result.aging.rows()),
        result.explain,
    )


def test_chunked_equals_unchunked():
    book = _book()
    whole = month_end(facts_from_accounts(book, AS_OF), AS_OF)
    chunks = [facts_from_accounts(book[i : i + 7], AS_OF) for i in range(0, len(book), 7)]
    parts = list(month_end_chunks(chunks, AS_OF))
    assert len(parts) == 6
    assert _frame(MonthEnd.concat(parts)) == _frame(whole)
    streamed = list(stream_month_end(facts_from_accounts(book, AS_OF), AS_OF, accounts_per_chunk=5))
    assert len(streamed) == 8
    assert all(p.statements.height <= 5 for p in streamed)
    assert _frame(MonthEnd.concat(streamed)) == _frame(whole)


def test_streams_from_parquet(tmp_path: pathlib.Path):
    book = _book()
    facts = facts_from_accounts(book, AS_OF)
    write_facts(facts, tmp_path)
    scanned = scan_facts(tmp_path)
    assert isinstance(scanned.statements, pl.LazyFrame)
    whole = month_end(facts, AS_OF)
    streamed = MonthEnd.concat(stream_month_end(scanned, AS_OF, accounts_per_chunk=10))
    assert _frame(streamed) == _frame(whole)
    assert _frame(month_end(scanned, AS_OF)) == _frame(whole)


def test_explain_refuses_an_unknown_account():
    with pytest.raises(UnknownAccount) as caught:
        explain(_book(), "NOPE", AS_OF)
    assert caught.value.value == "NOPE"


def test_concat_refuses_nothing():
    with pytest.raises(InvalidQuantity):
        MonthEnd.concat([])


def test_stream_refuses_a_chunk_of_no_accounts():
    facts = facts_from_accounts(_book(), AS_OF)
    with pytest.raises(InvalidQuantity):
        list(stream_month_end(facts, AS_OF, accounts_per_chunk=0))


def test_missing_polars_names_the_extra(monkeypatch):
    import importlib

    from propcrm.portfolio import _frames

    monkeypatch.delitem(_frames.__dict__, "pl", raising=False)
    real = importlib.import_module

    def refuse(name: str, *args: object):
        if name == "polars":
            raise ModuleNotFoundError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", refuse)
    with pytest.raises(MissingExtra) as caught:
        facts_from_accounts([], AS_OF)
    assert caught.value.context["extra"] == "batch"


def test_missing_numpy_names_the_extra(monkeypatch):
    import importlib

    from propcrm.portfolio import _frames

    facts = facts_from_accounts(_book(), AS_OF)
    monkeypatch.delitem(_frames.__dict__, "np", raising=False)
    real = importlib.import_module

    def refuse(name: str, *args: object):
        if name == "numpy":
            raise ModuleNotFoundError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", refuse)
    with pytest.raises(MissingExtra) as caught:
        month_end(facts, AS_OF)
    assert caught.value.context["extra"] == "batch"
    assert caught.value.context["module"] == "numpy"
    assert "numpy" in str(caught.value)


def test_facts_are_integer_fen_never_floats():
    facts = facts_from_accounts(_book(), AS_OF)
    for frame in (facts.statements, facts.reductions, facts.deferrals, facts.disputes):
        assert not any(dtype.is_float() for dtype in frame.schema.values())
    assert isinstance(facts, PortfolioFacts)


# -- dunning ------------------------------------------------------------------------------------


@st.composite
def dunning_cases(draw: st.DrawFn):
    chosen, as_of = draw(portfolios())
    community = draw(st.sampled_from(sorted({s.community for a in chosen for s in _stmts(a)})))
    plan = DunningPlan(
        community,
        hold_disputed=draw(st.booleans()),
        hold_deferred=draw(st.booleans()),
        claim_time_barred=draw(st.booleans()),
    )
    steps = []
    for account in chosen:
        for _ in range(draw(st.integers(0, 3))):
            rule = draw(st.sampled_from(plan.levels))
            steps.append(
                StepTaken(
                    account.unit_id,
                    account.billed_party,
                    rule.level,
                    as_of.subtract(days=draw(st.integers(0, 400))),
                    rule.channels[0],
                )
            )
    return chosen, as_of, plan, steps


def _stmts(account: Account) -> list:
    from propcrm.billing import Statement

    return [e for e in account.events if isinstance(e, Statement)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=dunning_cases())
def test_dunning_steps_equal_due_steps_on_every_account(case):
    chosen, as_of, plan, steps = case
    result = month_end(facts_from_accounts(chosen, as_of), as_of)
    batch = dunning_steps(result, plan, steps_frame(steps))
    members = [a for a in chosen if {s.community for s in _stmts(a)} == {plan.community}]
    expected = due_steps(plan, members, as_of, steps)
    by_unit = {d.unit_id: d for d in expected.decisions}
    got = {row["account"]: row for row in batch.iter_rows(named=True)}
    # Accounts without a statement by the date are not in the facts: nothing overdue.
    for unit, decision in by_unit.items():
        if unit not in got:
            assert decision.reason.value == "nothing_overdue"
            continue
        row = got.pop(unit)
        assert (row["kind"], row["reason"]) == (decision.kind.value, decision.reason.value), unit
        assert row["level"] == (decision.level.value if decision.level else None)
        assert row["step_number"] == decision.step_number
        assert row["days"] == decision.overdue.days
        assert row["amount_fen"] == decision.overdue.amount.minor_units
    assert got == {}


# -- the event kinds the exported strategies do not draw ---------------------------------------


def _scenarios() -> list[Account]:
    from propcrm.billing import ChargeLine
    from propcrm.receivables import (
        Authorisation,
        CollectionCost,
        Correction,
        Credit,
        DisputeRaised,
        DisputeResolved,
        LateFeeWaiver,
        Receipt,
        Refund,
        WriteOff,
    )

    ok = Authorisation("manager Wang", "agreed with the owner")

    def nov(unit: str, amount: str = "1000.00"):
        return opening_statement(
            community="SUNRISE",
            unit_id=unit,
            period=BillingPeriod.month(2026, 11),
            amount=Money(amount),
            due_on=pendulum.date(2026, 12, 10),
        )

    def fixed(statement, amount: str):
        (line,) = statement.lines
        return statement.revised(
            (ChargeLine(line.code, line.name, line.kind, Money(amount), line.explanation),)
        )

    d = pendulum.date
    book = []
    s = nov("D-OPEN")
    book.append(Account("D-OPEN").post(s, DisputeRaised("DS-1", s.number, d(2026, 12, 1), "meter")))
    s = nov("D-UPHELD")
    book.append(
        Account("D-UPHELD").post(
            s,
            Receipt("BANK-1", Money("900.00"), received_on=d(2026, 12, 20)),
            DisputeRaised("DS-1", s.number, d(2026, 12, 1), "meter"),
            DisputeResolved("DS-1", True, d(2027, 1, 5), "meter faulty", fixed(s, "600.00")),
        )
    )
    s = nov("D-REJECTED")
    book.append(
        Account("D-REJECTED").post(
            s,
            DisputeRaised("DS-1", s.number, d(2026, 12, 1), "meter"),
            DisputeResolved("DS-1", False, d(2026, 12, 15), "meter fine"),
        )
    )
    s = nov("CORR")
    book.append(
        Account("CORR").post(
            s,
            Receipt("BANK-1", Money("300.00"), received_on=d(2026, 12, 15)),
            Correction("C-1", fixed(s, "1200.00"), d(2027, 1, 3), "tariff"),
        )
    )
    s = nov("COSTS")
    book.append(
        Account("COSTS").post(
            s,
            CollectionCost("K-1", s.number, Money("50.00"), d(2027, 1, 2), "lawyer letter"),
            Receipt("BANK-1", Money("100.00"), received_on=d(2027, 1, 10)),
        )
    )
    s = nov("WOFF")
    book.append(
        Account("WOFF").post(
            s,
            CollectionCost("K-1", s.number, Money("50.00"), d(2027, 1, 2), "lawyer letter"),
            WriteOff("W-1", s.number, ok, d(2027, 1, 20)),
        )
    )
    s = nov("CREDIT")
    t = opening_statement(
        community="SUNRISE",
        unit_id="CREDIT",
        period=BillingPeriod.month(2026, 12),
        amount=Money("500.00"),
        due_on=pendulum.date(2027, 1, 10),
    )
    book.append(
        Account("CREDIT").post(
            s,
            t,
            Receipt("BANK-1", Money("1500.00"), received_on=d(2026, 12, 5)),
            Refund("RF-1", Money("100.00"), d(2026, 12, 6), ok),
            Credit("CR-1", Money("80.00"), d(2027, 1, 20), "goodwill"),
            LateFeeWaiver("LW-1", t.number, ok, on=d(2027, 1, 25)),
        )
    )
    return book


@pytest.mark.parametrize(
    "as_of",
    [
        pendulum.date(*day)
        for day in ((2026, 12, 3), (2026, 12, 12), (2027, 1, 4), (2027, 1, 6), (2027, 1, 21))
    ]
    + [pendulum.date(2027, 3, 31)],
)
def test_disputes_corrections_costs_write_offs_credits_and_refunds(as_of):
    book = _scenarios()
    result = _check(book, as_of, DEFAULT_AGING)
    plan = DunningPlan("SUNRISE", hold_disputed=True)
    batch = {r["account"]: r for r in dunning_steps(result, plan).iter_rows(named=True)}
    for decision in due_steps(plan, book, as_of).decisions:
        row = batch.get(decision.unit_id)
        if row is None:
            assert decision.reason.value == "nothing_overdue"
            continue
        assert (row["kind"], row["reason"]) == (decision.kind.value, decision.reason.value)
        assert row["amount_fen"] == decision.overdue.amount.minor_units


# -- the fast paths and what they fall back to ---------------------------------------------------


def _shuffled(facts: PortfolioFacts, seed: int) -> PortfolioFacts:
    return PortfolioFacts(
        *(frame.sample(fraction=1.0, shuffle=True, seed=seed) for frame in attrs_frames(facts))
    )


def attrs_frames(facts: PortfolioFacts) -> tuple[pl.DataFrame, ...]:
    return (facts.statements, facts.reductions, facts.deferrals, facts.disputes)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=portfolios(), seed=st.integers(0, 2**32 - 1))
def test_facts_in_any_row_order_give_the_same_month_end(case, seed):
    # facts_from_accounts writes each account's rows together and each statement's facts in
    # its order, which the fast paths use; a warehouse's export may be in any order.
    chosen, as_of = case
    facts = facts_from_accounts(chosen, as_of)
    ordered = month_end(facts, as_of)
    # By the integer keys (a join: they are no longer ascending) and by the text.
    for shuffled in (_shuffled(facts, seed), _unkeyed(_shuffled(facts, seed))):
        result = month_end(shuffled, as_of)
        assert _frame(result) == _frame(ordered)
        # Statements in the facts' order; aging rows in the order the statements reach them.
        assert result.statements.select("account", "statement").rows() == (
            shuffled.statements.select("account", "statement").rows()
        )
        firsts = (
            result.statements.filter(pl.col("owing") & ~pl.col("explain"))
            .select("account", "bucket")
            .unique(maintain_order=True)
            .rows()
        )
        assert result.aging.select("account", "bucket").rows() == firsts


def test_a_hash_collision_never_pairs_a_fact_with_another_statement(monkeypatch):
    from propcrm.portfolio import _month_end

    book = _scenarios() + _book()
    facts = _unkeyed(facts_from_accounts(book, AS_OF))
    honest = month_end(facts, AS_OF)
    # Every key hashes alike: the links fall back to the join, which compares the text.
    monkeypatch.setattr(_month_end, "_key", lambda: pl.col("account").hash() * 0)
    for given_facts in (facts, _shuffled(facts, 7)):
        collided = month_end(given_facts, AS_OF)
        assert _frame(collided) == _frame(honest)


def test_the_fast_paths_are_the_ones_taken_on_facts_from_accounts(monkeypatch):
    from propcrm.portfolio import _month_end

    def refuse(*_args: object) -> None:
        raise AssertionError("fell back")

    book = _scenarios() + _book()
    keyed = facts_from_accounts(book, AS_OF)
    facts = _unkeyed(keyed)
    honest = month_end(facts, AS_OF)
    with monkeypatch.context() as patched:
        patched.setattr(_month_end._Links, "_joined", refuse)
        assert _frame(month_end(facts, AS_OF)) == _frame(honest)
        with pytest.raises(AssertionError, match="fell back"):
            month_end(_shuffled(facts, 3), AS_OF)
    # With the integer keys, in order or not, no text is linked at all.
    monkeypatch.setattr(_month_end._Links, "_joined", refuse)
    monkeypatch.setattr(_month_end._Links, "_in_order", refuse)
    assert _frame(month_end(keyed, AS_OF)) == _frame(honest)
    assert _frame(month_end(_shuffled(keyed, 3), AS_OF)) == _frame(honest)


def _with_key(frame: pl.DataFrame, key: pl.Expr) -> pl.DataFrame:
    return frame.with_columns(key.alias("key"))


@pytest.mark.parametrize("dtype", [pl.Int32, pl.UInt32, pl.UInt64])
def test_keys_of_any_integer_type_and_spacing_link_the_same(dtype):
    # A warehouse's surrogate keys: sparse, of its own integer type; ascending here.
    facts = facts_from_accounts(_scenarios() + _months_book(), AS_OF)
    spaced = PortfolioFacts(
        *(_with_key(f, (pl.col("key") * 7 + 3).cast(dtype)) for f in attrs_frames(facts))
    )
    assert _frame(month_end(spaced, AS_OF)) == _frame(month_end(_unkeyed(facts), AS_OF))


def test_duplicate_or_missing_keys_fall_back_to_the_text():
    from propcrm.portfolio import _month_end

    facts = facts_from_accounts(_scenarios() + _months_book(), AS_OF)
    honest = month_end(_unkeyed(facts), AS_OF)
    frames = attrs_frames(facts)
    # Two statements share a key, or one has none: the keys do not name the statements.
    shared = _with_key(frames[0], pl.when(pl.col("key") == 1).then(0).otherwise(pl.col("key")))
    missing = _with_key(frames[0], pl.when(pl.col("key") == 1).then(None).otherwise(pl.col("key")))
    for statements in (shared, missing):
        links = _month_end._Links(statements, keyed=True)
        assert links.keys is None
        assert _frame(month_end(PortfolioFacts(statements, *frames[1:]), AS_OF)) == _frame(honest)
    # Keys in only some of the frames: not used.
    assert _frame(month_end(PortfolioFacts(*frames[:3], frames[3].drop("key")), AS_OF)) == (
        _frame(honest)
    )


def test_a_fact_whose_key_names_no_statement_is_dropped_as_its_text_would_be():
    facts = facts_from_accounts(_scenarios() + _months_book(), AS_OF)
    statements, reductions, deferrals, disputes = attrs_frames(facts)
    assert reductions.height
    # A reduction of a statement not in the frame (its account's, its key beyond them all),
    # a second one below them all with a null key: linked to nothing either way.
    stray = reductions.head(2).with_columns(
        pl.Series("statement", ["NOPE", "NOPE-2"]),
        pl.Series("key", [10**9, None], dtype=pl.Int64),
    )
    extended = pl.concat([reductions, stray])
    for keyed in (True, False):
        given_facts = PortfolioFacts(statements, extended, deferrals, disputes)
        plain = PortfolioFacts(statements, reductions, deferrals, disputes)
        if not keyed:
            given_facts, plain = _unkeyed(given_facts), _unkeyed(plain)
        assert _frame(month_end(given_facts, AS_OF)) == _frame(month_end(plain, AS_OF))
        shuffled = _shuffled(given_facts, 5)
        assert _frame(month_end(shuffled, AS_OF)) == _frame(month_end(plain, AS_OF))


def _months_book() -> list[Account]:
    """Accounts of three monthly statements each, some paid in part: several buckets each."""
    from propcrm.receivables import Receipt

    book = []
    for i in range(12):
        unit = f"M{i:02d}"
        events: list = [
            opening_statement(
                community="SUNRISE",
                unit_id=unit,
                period=BillingPeriod.month(2026, month),
                amount=Money(f"{300 + 10 * i}.00"),
                due_on=pendulum.date(2026, month + 1, 10),
            )
            for month in (9, 10, 11)
        ]
        if i % 2:
            paid_on = pendulum.date(2026, 12, 1)
            events.append(Receipt("BANK-1", Money("150.00"), received_on=paid_on))
        book.append(Account(unit).post(*events))
    return book


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_facts_of_many_accounts_give_the_same_month_end(seed):
    book = _scenarios() + _book() + _months_book()
    facts = facts_from_accounts(book, AS_OF)
    assert _frame(month_end(_shuffled(facts, seed), AS_OF)) == _frame(month_end(facts, AS_OF))


def test_run_totals_past_2_63_over_the_frame_equal_a_group_by():
    # Each group's sum fits in 64 bits where the frame's running sum would not: summed run by
    # run, never as a running sum over the frame.
    from propcrm.portfolio._month_end import run_totals

    big = 2**62 - 1
    frame = pl.DataFrame(
        {
            "account": ["A", "A", "B", "B", "C", "C"],
            "bucket": [2, 1, 1, 1, 0, 0],
            "amount": [big, 5, big, -3, big, big],
        }
    )
    got = run_totals(frame, ("account", "bucket"), (("amount", "total"),), "rows")
    assert got is not None
    wanted = (
        frame.group_by("account", "bucket", maintain_order=True)
        .agg(pl.col("amount").cast(pl.Int128).sum().alias("total"), pl.len().alias("rows"))
        .with_columns(pl.col("total").cast(pl.Int64), pl.col("rows").cast(pl.Int64))
    )
    assert got.rows() == wanted.rows()
    assert got.get_column("total").to_list() == [big, 5, big - 3, 2 * big]


@pytest.mark.parametrize(
    ("accounts", "buckets", "amounts"),
    [
        (["A", "B", "A"], [0, 0, 0], [1, 2, 3]),  # an account's rows apart: not runs
        (["A", "A", "A"], [1, 2, 1], [1, 2, 3]),  # a bucket's rows apart within the account
        (["A", "A"], [-1, 0], [1, 2]),  # a bucket that is no table index
        (["A", "A"], [0, 10**6], [1, 2]),  # a table far wider than the rows
        (["A", "A"], [0, 1], [1, None]),  # a null to sum
    ],
)
def test_run_totals_leave_what_is_not_runs_to_the_group_by(accounts, buckets, amounts):
    from propcrm.portfolio._month_end import run_totals

    frame = pl.DataFrame({"account": accounts, "bucket": buckets, "amount": amounts})
    assert run_totals(frame, ("account", "bucket"), (("amount", "total"),), "rows") is None


def test_run_totals_of_unsorted_but_grouped_accounts():
    from propcrm.portfolio._month_end import run_totals

    frame = pl.DataFrame({"account": ["B", "B", "A", "C"], "amount": [1, 2, 3, 4]})
    got = run_totals(frame, ("account",), (("amount", "total"),), "rows")
    assert got is not None
    assert got.rows() == [("B", 3, 2), ("A", 3, 1), ("C", 4, 1)]
