"""Tests for propcrm.segmentation's batch path: polars gives the per-party results."""

from __future__ import annotations

import datetime
import sys

import attrs
import pendulum
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._epoch import NO_EVENT_KEY, epoch_days
from propcrm._i18n import DEFAULT_LOCALE, LocaleLike
from propcrm._property_types import PropertyType
from propcrm.analytics import (
    BehaviourPolicy,
    ComplaintRecord,
    PaymentFact,
    Quantiles,
    RfmComponent,
    RfmPolicy,
    SatisfactionScore,
    ServicePurchase,
    TieMethod,
)
from propcrm.errors import (
    CurrencyMismatch,
    DuplicateParty,
    InvalidSegmentRule,
    InvalidSegmentSubject,
    MissingExtra,
    UnsupportedRule,
)
from propcrm.money import Money
from propcrm.segmentation import (
    Arrears,
    AverageDaysLate,
    ComplaintsInWindow,
    Explanation,
    LastSatisfaction,
    OnTimeRatio,
    OrganisationType,
    Outcome,
    PartyFacts,
    PortfolioFrames,
    PropertyRight,
    PropertyTypeIs,
    RfmScoreBetween,
    SegmentRule,
    SegmentSubject,
    SubjectKind,
    batch_outcomes,
    batch_rfm,
    behaviour_frame,
    compile_rule,
    evaluate_batch,
    evaluate_portfolio,
    flag_mask,
    frames_from_subjects,
    ready_segments,
)
from propcrm.segmentation import _batch as segmentation_batch
from propcrm.segmentation._batch import SCORE_COLUMNS
from propcrm.testing._segmentation_strategies import (
    as_of_dates,
    behaviour_policies,
    portfolios,
    segment_rules,
)

DAY = pendulum.date(2026, 12, 1)


def per_party_and_batch(
    rules: dict[str, SegmentRule],
    subjects: list[SegmentSubject],
    as_of: pendulum.Date,
    policy: BehaviourPolicy,
) -> tuple[dict[str, dict[str, Outcome]], dict[str, dict[str, Outcome]], dict, dict]:
    per_party = evaluate_portfolio(rules, subjects, as_of, policy=policy)
    frames = frames_from_subjects(subjects, as_of, policy=policy)
    batch = evaluate_batch(rules, frames, as_of, policy=policy)
    left = {name: per_party.outcomes(name) for name in rules}
    right = {name: batch_outcomes(batch, name) for name in rules}
    left_rfm = {
        subject.party_id: (
            None
            if subject.party_id not in per_party.rfm
            else (
                per_party.rfm[subject.party_id].recency,
                per_party.rfm[subject.party_id].frequency,
                per_party.rfm[subject.party_id].monetary,
            )
        )
        for subject in subjects
    }
    return left, right, left_rfm, batch_rfm(batch)


# -- the property: both paths agree ---------------------------------------------------------


@settings(max_examples=150)
@given(
    subjects=portfolios(max_size=10),
    rules=st.lists(segment_rules(), min_size=1, max_size=4),
    as_of=as_of_dates(),
    policy=behaviour_policies(),
)
def test_batch_path_equals_per_party_path(
    subjects: list[SegmentSubject],
    rules: list[SegmentRule],
    as_of: pendulum.Date,
    policy: BehaviourPolicy,
) -> None:
    named = {f"rule-{i}": rule for i, rule in enumerate(rules)}
    left, right, left_rfm, right_rfm = per_party_and_batch(named, subjects, as_of, policy)
    assert left == right
    assert left_rfm == right_rfm


@settings(max_examples=30)
@given(subjects=portfolios(min_size=1, max_size=10), as_of=as_of_dates())
def test_ready_segments_agree_on_both_paths_with_the_default_policy(
    subjects: list[SegmentSubject], as_of: pendulum.Date
) -> None:
    left, right, left_rfm, right_rfm = per_party_and_batch(
        dict(ready_segments()), subjects, as_of, BehaviourPolicy()
    )
    assert left == right
    assert left_rfm == right_rfm


def _tied_subject(pid: str) -> SegmentSubject:
    payment = PaymentFact(
        "N-1", pendulum.date(2026, 10, 10), Money("100.00"), paid_on=pendulum.date(2026, 10, 9)
    )
    return SegmentSubject(pid, payments=[payment])


@pytest.mark.parametrize("ties", list(TieMethod))
def test_quantile_ties_are_broken_the_same_way_on_both_paths(ties: TieMethod) -> None:
    ids = ["b", "A", "中", "a", "B", "1", "é"]
    subjects = [_tied_subject(pid) for pid in ids] + [SegmentSubject("none")]
    policy = BehaviourPolicy(rfm=RfmPolicy(scoring=Quantiles(5, ties)))
    rules: dict[str, SegmentRule] = {
        "top": RfmScoreBetween(RfmComponent.RECENCY, at_least=4),
    }
    left, right, left_rfm, right_rfm = per_party_and_batch(rules, subjects, DAY, policy)
    assert left == right
    assert left_rfm == right_rfm
    assert right_rfm["none"] is None
    if ties is TieMethod.SHARED:
        assert {score for score in right_rfm.values() if score} == {(1, 1, 1)}
    else:
        # ordered by code point: "1" < "A" < "B" < "a" < "b" < "é" < "中"
        ranked = sorted(ids)
        assert [right_rfm[pid][0] for pid in ranked] == [1, 1, 2, 3, 3, 4, 5]  # type: ignore[index]


# -- results ---------------------------------------------------------------------------------


def test_result_is_sorted_by_party_id_with_scores_and_nullable_rule_columns() -> None:
    subjects = [_tied_subject("P-2"), SegmentSubject("P-1")]
    result = evaluate_batch(
        {"late": ready_segments()["chronic-late-payer"]},
        frames_from_subjects(subjects, DAY),
        DAY,
    )
    assert result.columns == ["party_id", *SCORE_COLUMNS, "late"]
    assert result.get_column("party_id").to_list() == ["P-1", "P-2"]
    assert result.schema["late"] == pl.Boolean
    assert batch_outcomes(result, "late") == {
        "P-1": Outcome.INSUFFICIENT_HISTORY,
        "P-2": Outcome.INSUFFICIENT_HISTORY,
    }
    assert batch_rfm(result) == {"P-1": None, "P-2": (1, 1, 1)}


def test_behaviour_frame_holds_the_per_party_figures() -> None:
    payments = [
        PaymentFact(
            "N-1", pendulum.date(2026, 9, 10), Money("100.00"), paid_on=pendulum.date(2026, 9, 1)
        ),
        PaymentFact(
            "N-2", pendulum.date(2026, 10, 10), Money("100.00"), paid_on=pendulum.date(2026, 10, 20)
        ),
        PaymentFact("N-3", pendulum.date(2026, 11, 10), Money("100.00")),
    ]
    purchases = [ServicePurchase(pendulum.date(2026, 11, 3), Money("80.00"))]
    subject = SegmentSubject("P-1", payments=payments, purchases=purchases)
    row = behaviour_frame(frames_from_subjects([subject], DAY), DAY).row(0, named=True)
    facts = PartyFacts.of(subject, DAY)
    assert (
        (row["assessed"], row["on_time"], row["total_days_late"], row["max_days_late"])
        == (
            facts.payments.assessed,
            facts.payments.on_time,
            facts.payments.total_days_late,
            facts.payments.max_days_late,
        )
        == (3, 1, 31, 21)
    )
    assert row["arrears"] == facts.payments.arrears.minor_units == 10000
    assert row["spend"] == facts.spend.spend.minor_units == 8000
    assert row["existing"] is True


def test_compiled_rule_is_a_nullable_boolean_expression() -> None:
    frames = frames_from_subjects([_tied_subject("P-1")], DAY)
    facts = behaviour_frame(frames, DAY)
    expr = compile_rule(OnTimeRatio(at_least="0.9"), DAY)
    assert facts.select(expr.alias("x")).get_column("x").to_list() == [None]  # 1 of 3 notices


def test_integer_party_ids_break_ties_in_number_order() -> None:
    frames = frames_from_subjects([_tied_subject(pid) for pid in ("10", "9", "100")], DAY)
    numeric = PortfolioFrames(
        frames.parties.with_columns(pl.col("party_id").cast(pl.Int64)),
        frames.payments.with_columns(pl.col("party_id").cast(pl.Int64)),
        frames.purchases.with_columns(pl.col("party_id").cast(pl.Int64)),
        frames.complaints.with_columns(pl.col("party_id").cast(pl.Int64)),
    )
    scores = batch_rfm(evaluate_batch({}, numeric, DAY))
    assert [scores[pid][0] for pid in (9, 10, 100)] == [1, 2, 4]  # type: ignore[index]


def test_complaint_frame_is_aggregated_as_of_the_date() -> None:
    record = ComplaintRecord(
        complaints=[pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 2)],
        satisfaction=[SatisfactionScore(pendulum.date(2026, 11, 5), 2)],
    )
    frames = frames_from_subjects(
        [SegmentSubject("P-1", complaints=record), SegmentSubject("P-2")], DAY
    )
    assert frames.complaints.rows() == [("P-1", 2, 2)]
    result = evaluate_batch(
        {
            "at-risk": ready_segments()["at-risk"],
            "quiet": ComplaintsInWindow(at_most=0),
            "unhappy": LastSatisfaction(at_most=2),
        },
        frames,
        DAY,
    )
    assert batch_outcomes(result, "at-risk") == {
        "P-1": Outcome.MATCH,
        "P-2": Outcome.INSUFFICIENT_HISTORY,
    }
    assert batch_outcomes(result, "quiet")["P-1"] is Outcome.NO_MATCH


def test_flag_mask_sets_one_bit_per_member_in_enum_order() -> None:
    assert flag_mask([]) == 0
    assert flag_mask([PropertyType.RESIDENTIAL]) == 1
    assert flag_mask([PropertyType.STORAGE]) == 16
    assert flag_mask(set(PropertyRight)) == 7


# -- refusals --------------------------------------------------------------------------------


class _Custom(SegmentRule):
    def evaluate(self, facts: PartyFacts) -> Explanation:
        return Explanation(self, Outcome.MATCH)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        return "custom"


def _frames() -> PortfolioFrames:
    return frames_from_subjects([_tied_subject("P-1"), SegmentSubject("P-2")], DAY)


def test_a_rule_type_without_a_compiler_is_refused() -> None:
    with pytest.raises(UnsupportedRule, match="no compiler for _Custom"):
        evaluate_batch({"x": _Custom() & PropertyTypeIs(PropertyType.OFFICE)}, _frames(), DAY)


def test_rule_names_may_not_clash_with_result_columns() -> None:
    with pytest.raises(InvalidSegmentRule, match="clash"):
        evaluate_batch({"party_id": PropertyTypeIs(PropertyType.OFFICE)}, _frames(), DAY)
    with pytest.raises(InvalidSegmentRule, match="must not be empty"):
        evaluate_batch({"": PropertyTypeIs(PropertyType.OFFICE)}, _frames(), DAY)


def test_money_bounds_in_another_currency_are_refused() -> None:
    with pytest.raises(CurrencyMismatch, match="USD"):
        evaluate_batch({"x": Arrears(at_least=Money("1.00", "USD"))}, _frames(), DAY)


def test_missing_columns_and_wrong_types_are_refused() -> None:
    frames = _frames()
    with pytest.raises(InvalidSegmentSubject, match="lacks the columns kind"):
        evaluate_batch({}, attrs.evolve(frames, parties=frames.parties.drop("kind")), DAY)
    wrong = frames.payments.with_columns(pl.col("amount").cast(pl.Float64))
    with pytest.raises(InvalidSegmentSubject, match="column amount is Float64"):
        evaluate_batch({}, attrs.evolve(frames, payments=wrong), DAY)
    with pytest.raises(InvalidSegmentSubject, match="not a polars DataFrame"):
        evaluate_batch({}, attrs.evolve(frames, purchases=[]), DAY)


def test_duplicate_parties_and_inconsistent_rows_are_refused() -> None:
    frames = _frames()
    doubled = pl.concat([frames.parties, frames.parties])
    with pytest.raises(DuplicateParty):
        evaluate_batch({}, attrs.evolve(frames, parties=doubled), DAY)
    organisation = frames.parties.with_columns(pl.lit(SubjectKind.ORGANISATION.value).alias("kind"))
    with pytest.raises(InvalidSegmentSubject, match="organisation type"):
        evaluate_batch({}, attrs.evolve(frames, parties=organisation), DAY)
    typed = organisation.with_columns(
        pl.lit(OrganisationType.ENTERPRISE.value).alias("organisation"),
        pl.lit(1980, pl.Int32).alias("birth_year"),
    )
    with pytest.raises(InvalidSegmentSubject, match="no birth year"):
        evaluate_batch({}, attrs.evolve(frames, parties=typed), DAY)
    overpaid = frames.payments.with_columns(pl.col("amount_paid") + 1)
    with pytest.raises(InvalidSegmentSubject, match="from zero to the notice's amount"):
        evaluate_batch({}, attrs.evolve(frames, payments=overpaid), DAY)
    undated = frames.payments.with_columns(pl.lit(None, pl.Date).alias("paid_on"))
    with pytest.raises(InvalidSegmentSubject, match="both a date and an amount"):
        evaluate_batch({}, attrs.evolve(frames, payments=undated), DAY)
    scores = pl.DataFrame(
        {"party_id": ["P-1"], "complaints": [1], "last_satisfaction": [6]},
        schema={"party_id": pl.String, "complaints": pl.Int32, "last_satisfaction": pl.Int32},
    )
    with pytest.raises(InvalidSegmentSubject, match="from 1 to 5"):
        evaluate_batch({}, attrs.evolve(frames, complaints=scores), DAY)
    mixed = frames.payments.with_columns(pl.col("party_id").str.len_bytes().cast(pl.Int64))
    with pytest.raises(InvalidSegmentSubject, match="strings in every frame"):
        evaluate_batch({}, attrs.evolve(frames, payments=mixed), DAY)


def test_a_subject_in_another_currency_is_refused() -> None:
    payment = PaymentFact("N-1", DAY, Money("1.00", "USD"))
    with pytest.raises(CurrencyMismatch, match="USD"):
        frames_from_subjects([SegmentSubject("P-1", payments=[payment])], DAY)


def test_without_polars_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(vars(segmentation_batch), "pl", raising=False)
    monkeypatch.setitem(sys.modules, "polars", None)  # makes "import polars" fail
    with pytest.raises(MissingExtra, match=r"pip install 'propcrm\[batch\]'"):
        evaluate_batch({}, _frames_placeholder(), DAY)
    with pytest.raises(ImportError):
        frames_from_subjects([], DAY)


def _frames_placeholder() -> PortfolioFrames:
    return PortfolioFrames(None, None, None, None)  # type: ignore[arg-type]  # never read


def test_the_segmentation_package_imports_without_polars() -> None:
    import subprocess

    code = "import sys; sys.modules['polars'] = None\nimport propcrm.segmentation\nprint('ok')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "ok", done.stderr


def test_date_columns_accept_plain_dates() -> None:
    frames = _frames()
    assert frames.payments.schema["due_on"] == pl.Date
    assert isinstance(frames.payments.get_column("due_on")[0], datetime.date)


def test_exact_ratio_comparisons_do_not_overflow() -> None:
    unpaid = [
        PaymentFact(f"N-{m}", pendulum.date(2026, m, 10), Money("100.00")) for m in range(1, 13)
    ]
    subjects = [SegmentSubject("P-1", payments=unpaid)]
    policy = BehaviourPolicy(window_months=120)
    later = pendulum.date(2031, 1, 1)
    rules: dict[str, SegmentRule] = {
        "tiny": AverageDaysLate(at_least="0.000001"),
        "near-one": AverageDaysLate(at_most="1500.000001"),
        "never": OnTimeRatio(at_least="0.000001"),
    }
    left, right, _, _ = per_party_and_batch(rules, subjects, later, policy)
    assert left == right
    assert right["tiny"]["P-1"] is Outcome.MATCH
    assert right["never"]["P-1"] is Outcome.NO_MATCH


def test_epoch_days_are_the_integers_polars_stores_dates_as() -> None:
    """Both RFM paths rank recency by ``epoch_days``; polars must agree with it on every date."""
    for day in (pendulum.date(1, 1, 1), pendulum.date(1970, 1, 1), pendulum.date(2026, 12, 31)):
        assert pl.Series([day]).cast(pl.Int32).item() == epoch_days(day)
    assert epoch_days(pendulum.date(1, 1, 1)) > NO_EVENT_KEY
