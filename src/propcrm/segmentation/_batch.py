"""The batch path: segment rules and RFM scores over columns for a whole portfolio (polars).

The per-party path (:func:`~propcrm.segmentation.evaluate_portfolio`) explains every
outcome; this path gives the same outcomes for a million parties at once. Each rule is compiled
to one polars expression over a frame of per-party behaviour facts, computed as of the date from
the raw facts with the same definitions as :mod:`propcrm.analytics`, and RFM quantiles
are ranked in polars with the same tie handling. Both paths give identical results — the
membership and three-valued outcome of every party for every rule, and every RFM score — which
a property test checks over random portfolios.

Three-valued outcomes are nullable booleans: ``true`` is MATCH, ``false`` NO_MATCH and ``null``
INSUFFICIENT_HISTORY. Polars' ``&``, ``|`` and ``~`` on nullable booleans are Kleene's, the same
logic as :class:`~propcrm.segmentation.Outcome`.

polars is an optional extra (``pip install 'propcrm[batch]'``); it is imported on first use, so
``import propcrm.segmentation`` works without it.

The input is a :class:`PortfolioFrames` of four frames; its docstring lists their columns.
"""

from __future__ import annotations

import datetime
import enum
import functools
import importlib
import operator
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from propcrm._epoch import NO_EVENT_KEY, epoch_days
from propcrm._validators import check_instance, check_items, check_unique, in_field
from propcrm.analytics import (
    DEFAULT_BEHAVIOUR_POLICY,
    BehaviourPolicy,
    FixedThresholds,
    Quantiles,
    RfmComponent,
    RfmSource,
    TieMethod,
    complaint_behaviour,
)
from propcrm.errors import (
    CurrencyMismatch,
    DuplicateParty,
    InvalidSegmentRule,
    InvalidSegmentSubject,
    MissingExtra,
    UnsupportedRule,
)
from propcrm.money import (
    CNY,
    Money,
    check_currency,
)
from propcrm.segmentation._complaint_rules import ComplaintsInWindow, LastSatisfaction
from propcrm.segmentation._external_rules import (
    CommunityIs,
    LocationIs,
    OrganisationIs,
    PropertyTypeIs,
    SubjectKindIs,
)
from propcrm.segmentation._internal_rules import AgeBetween, HouseholdSizeBetween
from propcrm.segmentation._lifecycle_rules import CallbackPending, MovedInWithin
from propcrm.segmentation._outcomes import Outcome
from propcrm.segmentation._portfolio import check_rule_names
from propcrm.segmentation._punctuality_rules import (
    Arrears,
    AverageDaysLate,
    LateStatements,
    MaxDaysLate,
    OnTimeRatio,
)
from propcrm.segmentation._right_and_ask_rules import AsksFor, PropertyRightIs
from propcrm.segmentation._rules import AllRules, AnyRule, NotRule, SegmentRule
from propcrm.segmentation._segments import Segment
from propcrm.segmentation._subjects import OrganisationType, SegmentSubject, SubjectKind
from propcrm.segmentation._value_rules import RfmScoreBetween, ServicePurchases, ServiceSpend
from propcrm.time import as_date

if TYPE_CHECKING:
    # At run time _polars() binds the name on first use, so that propcrm.segmentation imports
    # without the extra; type checkers see the real module.
    import polars as pl  # noqa: TC004

__all__ = [
    "COMPLAINT_COLUMNS",
    "PARTY_COLUMNS",
    "PAYMENT_COLUMNS",
    "PURCHASE_COLUMNS",
    "SCORE_COLUMNS",
    "PortfolioFrames",
    "batch_outcomes",
    "batch_rfm",
    "behaviour_frame",
    "compile_rule",
    "evaluate_batch",
    "flag_mask",
    "frames_from_subjects",
]

PARTY_COLUMNS = (
    "party_id",
    "kind",
    "organisation",
    "community",
    "location",
    "property_types",
    "property_rights",
    "asks",
    "birth_year",
    "household_size",
    "moved_in_on",
    "callback_on",
)
"""Columns of the parties frame."""

PAYMENT_COLUMNS = ("party_id", "due_on", "amount", "paid_on", "amount_paid")
"""Columns of the payments frame (amounts in minor units)."""

PURCHASE_COLUMNS = ("party_id", "purchased_on", "amount")
"""Columns of the special-service purchases frame (amounts in minor units)."""

COMPLAINT_COLUMNS = ("party_id", "complaints", "last_satisfaction")
"""Columns of the complaint frame, aggregated as of the date."""

SCORE_COLUMNS = ("recency_score", "frequency_score", "monetary_score")
"""RFM score columns of :func:`evaluate_batch`'s result (null: not an existing customer)."""

_EXTRA_MESSAGE = (
    "the batch path of segmentation needs polars, which is not installed; install the extra "
    "with: pip install 'propcrm[batch]'"
)


def _polars() -> None:
    """Bind the module name ``pl`` to polars on first use, or say which extra is missing."""
    if "pl" in globals():
        return
    try:
        globals()["pl"] = importlib.import_module("polars")
    except ModuleNotFoundError as exc:
        raise MissingExtra(_EXTRA_MESSAGE, extra="batch", module="polars") from exc


def flag_mask(members: Iterable[enum.Enum]) -> int:
    """The bit mask of a set of enum members: bit i stands for the i-th member of its enum.

    >>> from propcrm.billing import PropertyType
    >>> flag_mask({PropertyType.RESIDENTIAL, PropertyType.COMMERCIAL})
    5
    """
    mask = 0
    checked: tuple[enum.Enum, ...] = check_items(members, "members", enum.Enum)
    for member in checked:
        mask |= 1 << list(type(member)).index(member)
    return mask


def _plain_date(day: datetime.date) -> datetime.date:
    # pendulum.Date subclasses datetime.date; hand polars the plain type it knows.
    return datetime.date(day.year, day.month, day.day)


# -- the input ----------------------------------------------------------------------------------


@attrs.frozen(eq=False)
class PortfolioFrames:
    """The four input frames of the batch path, one polars DataFrame each.

    Amounts are integer minor units (fen); dates are ``pl.Date``.

    - ``parties``: one row per party — ``party_id`` (str, or an integer type; quantile ties are
      broken in the column's own order), ``kind`` ("person" / "organisation"),
      ``organisation`` (an :class:`OrganisationType` value or null), ``community``,
      ``location``, ``property_types``, ``property_rights`` and ``asks`` (bit masks:
      :func:`flag_mask`), ``birth_year``, ``household_size``, ``moved_in_on``,
      ``callback_on``;
    - ``payments``: one row per fee notice — ``party_id``, ``due_on``, ``amount``, ``paid_on``,
      ``amount_paid``;
    - ``purchases``: one row per special-service purchase — ``party_id``, ``purchased_on``,
      ``amount``;
    - ``complaints``: one row per party the complaint side holds a record for, **as of the
      date** — ``party_id``, ``complaints`` (in the policy's complaint window),
      ``last_satisfaction`` (1–5 or null). The complaints model fills it;
      :func:`frames_from_subjects` builds it through
      :class:`~propcrm.analytics.ComplaintHistory`.
    """

    parties: pl.DataFrame
    payments: pl.DataFrame
    purchases: pl.DataFrame
    complaints: pl.DataFrame


def frames_from_subjects(
    subjects: Iterable[SegmentSubject],
    as_of: pendulum.Date,
    *,
    policy: BehaviourPolicy = DEFAULT_BEHAVIOUR_POLICY,
    currency: str = CNY,
) -> PortfolioFrames:
    """The frames of a portfolio of :class:`SegmentSubject` values.

    The complaint frame is aggregated as of ``as_of`` through each subject's
    :class:`~propcrm.analytics.ComplaintHistory`, so the frames are for that date.
    """
    _polars()
    day = as_date(as_of, "as_of")
    _currency_arg(currency)
    check_instance(policy, "policy", BehaviourPolicy)
    portfolio: tuple[SegmentSubject, ...] = check_items(subjects, "subjects", SegmentSubject)
    check_unique(
        (subject.party_id for subject in portfolio), "subjects", DuplicateParty, what="party id"
    )
    parties: dict[str, list[Any]] = {name: [] for name in PARTY_COLUMNS}
    payments: dict[str, list[Any]] = {name: [] for name in PAYMENT_COLUMNS}
    purchases: dict[str, list[Any]] = {name: [] for name in PURCHASE_COLUMNS}
    complaints: dict[str, list[Any]] = {name: [] for name in COMPLAINT_COLUMNS}
    for subject in portfolio:
        pid = subject.party_id
        row = {
            "party_id": pid,
            "kind": subject.kind.value,
            "organisation": None if subject.organisation is None else subject.organisation.value,
            "community": subject.community,
            "location": subject.location,
            "property_types": flag_mask(subject.property_types),
            "property_rights": flag_mask(subject.property_rights),
            "asks": flag_mask(subject.asks),
            "birth_year": subject.birth_year,
            "household_size": subject.household_size,
            "moved_in_on": subject.moved_in_on,
            "callback_on": subject.callback_on,
        }
        for name, value in row.items():
            parties[name].append(value)
        for fact in subject.payments:
            _same_currency(fact.amount, currency)
            payments["party_id"].append(pid)
            payments["due_on"].append(fact.due_on)
            payments["amount"].append(fact.amount.minor_units)
            payments["paid_on"].append(fact.paid_on)
            payments["amount_paid"].append(fact.amount_paid.minor_units)
        for purchase in subject.purchases:
            _same_currency(purchase.amount, currency)
            purchases["party_id"].append(pid)
            purchases["purchased_on"].append(purchase.purchased_on)
            purchases["amount"].append(purchase.amount.minor_units)
        side = complaint_behaviour(subject.complaints, day, policy=policy)
        if side is not None:
            complaints["party_id"].append(pid)
            complaints["complaints"].append(side.complaints)
            complaints["last_satisfaction"].append(side.last_satisfaction)
    date, text, small, money = pl.Date, pl.String, pl.Int32, pl.Int64
    for column in ("moved_in_on", "callback_on"):
        parties[column] = [None if d is None else _plain_date(d) for d in parties[column]]
    for column in ("due_on", "paid_on"):
        payments[column] = [None if d is None else _plain_date(d) for d in payments[column]]
    purchases["purchased_on"] = [_plain_date(d) for d in purchases["purchased_on"]]
    return PortfolioFrames(
        parties=pl.DataFrame(
            parties,
            schema={
                "party_id": text,
                "kind": text,
                "organisation": text,
                "community": text,
                "location": text,
                "property_types": pl.UInt8,
                "property_rights": pl.UInt8,
                "asks": pl.UInt8,
                "birth_year": small,
                "household_size": small,
                "moved_in_on": date,
                "callback_on": date,
            },
        ),
        payments=pl.DataFrame(
            payments,
            schema={
                "party_id": text,
                "due_on": date,
                "amount": money,
                "paid_on": date,
                "amount_paid": money,
            },
        ),
        purchases=pl.DataFrame(
            purchases, schema={"party_id": text, "purchased_on": date, "amount": money}
        ),
        complaints=pl.DataFrame(
            complaints,
            schema={"party_id": text, "complaints": small, "last_satisfaction": small},
        ),
    )


def _same_currency(amount: Money, currency: str) -> None:
    if amount.currency != currency:
        raise CurrencyMismatch(
            f"an amount in {amount.currency} in a portfolio scored in {currency}; score each "
            "currency on its own.",
            field="currency",
            value=amount.currency,
            allowed=currency,
        )


# -- checks on the input ------------------------------------------------------------------------


_TEXT_COLUMNS = frozenset({"kind", "organisation", "community", "location"})


def _column_ok(name: str, dtype: pl.DataType) -> tuple[bool, str]:
    """Whether a column's type fits, and what it should be."""
    if name == "party_id":
        return dtype == pl.String or dtype.is_integer(), "a string or an integer"
    if name.endswith("_on"):
        return dtype in (pl.Date, pl.Null), "pl.Date"
    if name in _TEXT_COLUMNS:
        return dtype in (pl.String, pl.Categorical, pl.Null) or isinstance(dtype, pl.Enum), "text"
    return dtype.is_integer() or dtype == pl.Null, "an integer (amounts in minor units)"


def _require(frame: pl.DataFrame, what: str, columns: tuple[str, ...]) -> None:
    if not isinstance(frame, pl.DataFrame):
        raise InvalidSegmentSubject(
            f"the {what} frame is a {type(frame).__name__}, not a polars DataFrame.",
            field=what,
            value=frame,
            allowed="a polars DataFrame",
        )
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise InvalidSegmentSubject(
            f"the {what} frame lacks the columns {', '.join(missing)}; it needs "
            f"{', '.join(columns)}.",
            field=what,
            value=missing,
            allowed=f"a frame with the columns {', '.join(columns)}",
        )
    for name in columns:
        dtype = frame.schema[name]
        ok, expected = _column_ok(name, dtype)
        if not ok:
            raise InvalidSegmentSubject(
                f"the {what} frame's column {name} is {dtype}; it must be {expected}.",
                field=f"{what}.{name}",
                value=dtype,
                allowed=expected,
            )


def _refuse(found: bool, message: str, field: str) -> None:
    # The frames are checked column-wise, so the context is the column, not a row's value.
    if found:
        raise InvalidSegmentSubject(message, field=field, allowed=message)


def _check_frames(frames: PortfolioFrames) -> None:
    _require(frames.parties, "parties", PARTY_COLUMNS)
    _require(frames.payments, "payments", PAYMENT_COLUMNS)
    _require(frames.purchases, "purchases", PURCHASE_COLUMNS)
    _require(frames.complaints, "complaints", COMPLAINT_COLUMNS)
    id_types = {
        frames.parties.schema["party_id"],
        *(
            f.schema["party_id"]
            for f in (frames.payments, frames.purchases, frames.complaints)
            if f.height
        ),
    }
    if len({t == pl.String for t in id_types}) > 1:
        raise InvalidSegmentSubject(
            "party_id must be strings in every frame, or integers in all.",
            field="party_id",
            value=sorted(str(t) for t in id_types),
            allowed="strings in every frame, or integers in all",
        )
    col = pl.col
    organisations = [o.value for o in OrganisationType]
    person = col("kind") == SubjectKind.PERSON.value
    party_checks = frames.parties.select(
        null_id=col("party_id").is_null().any(),
        duplicate=col("party_id").is_duplicated().any(),
        bad_kind=(~col("kind").is_in([k.value for k in SubjectKind])).fill_null(True).any(),
        bad_organisation=(
            pl.when(person)
            .then(col("organisation").is_not_null())
            .otherwise(~col("organisation").is_in(organisations).fill_null(False))
        ).any(),
        person_facts_on_organisation=(
            ~person & (col("birth_year").is_not_null() | col("household_size").is_not_null())
        ).any(),
        bad_household=(col("household_size") < 1).any(),
        callback_without_move_in=(
            col("callback_on").is_not_null()
            & (col("moved_in_on").is_null() | (col("callback_on") < col("moved_in_on")))
        ).any(),
    ).row(0, named=True)
    _refuse(party_checks["null_id"], "a party without an id in the parties frame.", "party_id")
    if party_checks["duplicate"]:
        raise DuplicateParty(
            "the parties frame holds a party id more than once.",
            field="parties.party_id",
            allowed="each party id once",
        )
    _refuse(
        party_checks["bad_kind"], "kind must be 'person' or 'organisation' for every party.", "kind"
    )
    _refuse(
        party_checks["bad_organisation"],
        f"an organisation needs an organisation type ({', '.join(organisations)}); a person has "
        "none.",
        "organisation",
    )
    _refuse(
        party_checks["person_facts_on_organisation"],
        "an organisation has no birth year or household size.",
        "birth_year",
    )
    _refuse(
        bool(party_checks["bad_household"]),
        "a household size must be at least 1.",
        "household_size",
    )
    _refuse(
        party_checks["callback_without_move_in"],
        "a callback must follow a move-in on or before it.",
        "callback_on",
    )
    if frames.payments.height:
        pay = frames.payments.select(
            bad_amount=(col("amount") <= 0).any(),
            bad_paid=((col("amount_paid") < 0) | (col("amount_paid") > col("amount"))).any(),
            half_paid=(col("paid_on").is_null() != (col("amount_paid") == 0)).any(),
            null=(col("party_id").is_null() | col("due_on").is_null()).any(),
        ).row(0, named=True)
        _refuse(pay["bad_amount"], "a notice's amount must be above zero.", "payments.amount")
        _refuse(
            pay["bad_paid"],
            "an amount paid must be from zero to the notice's amount.",
            "payments.amount_paid",
        )
        _refuse(
            pay["half_paid"],
            "a payment needs both a date and an amount above zero.",
            "payments.paid_on",
        )
        _refuse(pay["null"], "every notice needs a party id and a due date.", "payments.due_on")
    if frames.purchases.height:
        buy = frames.purchases.select(
            bad=(col("amount") <= 0).any(),
            null=(col("party_id").is_null() | col("purchased_on").is_null()).any(),
        ).row(0, named=True)
        _refuse(
            buy["bad"],
            "a special-service purchase's amount must be above zero.",
            "purchases.amount",
        )
        _refuse(
            buy["null"], "every purchase needs a party id and a date.", "purchases.purchased_on"
        )
    if frames.complaints.height:
        side = frames.complaints.select(
            duplicate=col("party_id").is_duplicated().any(),
            bad_count=(col("complaints").is_null() | (col("complaints") < 0)).any(),
            bad_score=(~col("last_satisfaction").is_between(1, 5)).fill_null(False).any(),
        ).row(0, named=True)
        _refuse(
            side["duplicate"],
            "the complaints frame holds a party more than once.",
            "complaints.party_id",
        )
        _refuse(
            side["bad_count"],
            "a complaint count must be an int of at least 0.",
            "complaints.complaints",
        )
        _refuse(
            side["bad_score"],
            "a satisfaction score must be from 1 to 5, or null.",
            "complaints.last_satisfaction",
        )


# -- behaviour facts in columns -----------------------------------------------------------------


def _currency_arg(currency: object) -> str:
    with in_field("currency", currency, "an ISO 4217 code such as 'CNY'"):
        return check_currency(currency)


def _context(as_of: object, policy: object, currency: object) -> _Context:
    day = as_date(as_of, "as_of")
    checked = check_instance(policy, "policy", BehaviourPolicy)
    return _Context(as_of=day, policy=checked, currency=_currency_arg(currency))


@attrs.frozen
class _Context:
    """What a compiled rule needs beside the columns."""

    as_of: pendulum.Date
    policy: BehaviourPolicy
    currency: str

    @property
    def day(self) -> int:
        return epoch_days(self.as_of)


def _payment_facts(payments: pl.LazyFrame, ctx: _Context) -> pl.LazyFrame:
    col = pl.col
    day, start = ctx.day, epoch_days(ctx.policy.window_start(ctx.as_of))
    due = col("due_on").cast(pl.Int32)
    paid = col("paid_on").cast(pl.Int32)
    paid_by = (paid <= day).fill_null(False)
    settled = paid_by & (col("amount_paid") == col("amount"))
    due_before = due < day
    assessed = due_before & (due >= start)
    late = pl.when(settled).then(paid - due).otherwise(day - due).clip(lower_bound=0)
    in_window = paid_by & (paid > start)
    return payments.group_by("party_id").agg(
        assessed=assessed.sum(),
        on_time=(assessed & (late == 0)).sum(),
        total_days_late=pl.when(assessed).then(late).otherwise(0).sum(),
        max_days_late=pl.when(assessed).then(late).max(),
        overdue=due_before.sum(),
        arrears=pl.when(due_before)
        .then(col("amount") - pl.when(paid_by).then(col("amount_paid")).otherwise(0))
        .otherwise(0)
        .sum(),
        paid_events=paid_by.sum(),
        last_paid=pl.when(paid_by).then(paid).max(),
        paid_count=in_window.sum(),
        paid_amount=pl.when(in_window).then(col("amount_paid")).otherwise(0).sum(),
    )


def _purchase_facts(purchases: pl.LazyFrame, ctx: _Context) -> pl.LazyFrame:
    col = pl.col
    day, start = ctx.day, epoch_days(ctx.policy.window_start(ctx.as_of))
    bought_on = col("purchased_on").cast(pl.Int32)
    bought = bought_on <= day
    in_window = bought & (bought_on > start)
    return purchases.group_by("party_id").agg(
        purchases=in_window.sum(),
        spend=pl.when(in_window).then(col("amount")).otherwise(0).sum(),
        bought_events=bought.sum(),
        last_bought=pl.when(bought).then(bought_on).max(),
    )


_COUNTS = (
    "assessed",
    "on_time",
    "total_days_late",
    "overdue",
    "arrears",
    "paid_events",
    "paid_count",
    "paid_amount",
    "purchases",
    "spend",
    "bought_events",
)


def _quantile_score(key: str, method: Quantiles) -> pl.Expr:
    rank = pl.col(key).rank("ordinal" if method.ties is TieMethod.BY_PARTY_ID else "min")
    count = pl.col(key).count().cast(pl.Int64)
    return ((rank.cast(pl.Int64) - 1) * method.count // count + 1).cast(pl.Int16)


def _threshold_scores(ctx: _Context, method: FixedThresholds) -> list[pl.Expr]:
    existing = pl.col("existing")
    days = ctx.day - pl.col("_last_event")
    recency = functools.reduce(
        operator.add,
        [(days <= bound).fill_null(False).cast(pl.Int16) for bound in method.recency_days],
        pl.lit(1, pl.Int16),
    )
    frequency = functools.reduce(
        operator.add,
        [(pl.col("_frequency") >= bound).cast(pl.Int16) for bound in method.frequency],
        pl.lit(1, pl.Int16),
    )
    monetary_bounds = [_minor(bound, ctx.currency) for bound in method.monetary]
    monetary = functools.reduce(
        operator.add,
        [(pl.col("_monetary") >= bound).cast(pl.Int16) for bound in monetary_bounds],
        pl.lit(1, pl.Int16),
    )
    return [
        pl.when(existing).then(score).alias(name)
        for name, score in zip(SCORE_COLUMNS, (recency, frequency, monetary), strict=True)
    ]


def _facts_frame(frames: PortfolioFrames, ctx: _Context) -> pl.LazyFrame:
    col = pl.col
    parties = frames.parties.lazy()
    facts = (
        parties.join(_payment_facts(frames.payments.lazy(), ctx), on="party_id", how="left")
        .join(_purchase_facts(frames.purchases.lazy(), ctx), on="party_id", how="left")
        .join(frames.complaints.lazy(), on="party_id", how="left")
        .with_columns(
            # Counts are summed as 32-bit integers; the exact ratio comparisons multiply them by
            # a bound's denominator, so they are widened to 64 bits first.
            *(col(name).fill_null(0).cast(pl.Int64) for name in _COUNTS),
            *(col(name).fill_null(0) for name in ("property_types", "property_rights", "asks")),
        )
        # Joins do not keep row order; quantile ties are broken by the order of the rows, which
        # must be the party ids' (ordinal ranks take tied rows in the order they occur).
        .sort("party_id")
        .with_columns(
            existing=(col("overdue") > 0) | (col("paid_events") > 0) | (col("bought_events") > 0)
        )
    )
    payments_source = ctx.policy.rfm.source is RfmSource.PAYMENTS
    last = col("last_paid") if payments_source else col("last_bought")
    frequency = col("paid_count") if payments_source else col("purchases")
    monetary = col("paid_amount") if payments_source else col("spend")
    existing = col("existing")
    facts = facts.with_columns(
        _last_event=last,
        _frequency=frequency,
        _monetary=monetary,
        _recency_key=pl.when(existing).then(last.fill_null(NO_EVENT_KEY)),
        _frequency_key=pl.when(existing).then(frequency),
        _monetary_key=pl.when(existing).then(monetary),
    )
    scoring = ctx.policy.rfm.scoring
    if isinstance(scoring, Quantiles):
        scores = [
            _quantile_score(key, scoring).alias(name)
            for key, name in zip(
                ("_recency_key", "_frequency_key", "_monetary_key"), SCORE_COLUMNS, strict=True
            )
        ]
    else:
        scores = _threshold_scores(ctx, scoring)
    return facts.with_columns(scores)


def behaviour_frame(
    frames: PortfolioFrames,
    as_of: pendulum.Date,
    *,
    policy: BehaviourPolicy = DEFAULT_BEHAVIOUR_POLICY,
    currency: str = CNY,
) -> pl.DataFrame:
    """Every party's behaviour facts and RFM scores as of ``as_of``, one row each.

    Beside the party columns: ``assessed``, ``on_time``, ``total_days_late``, ``max_days_late``,
    ``overdue``, ``arrears`` (fen), ``purchases``, ``spend`` (fen), ``existing``,
    ``complaints``, ``last_satisfaction`` and the RFM score columns; the same figures as
    :class:`~propcrm.analytics.PaymentBehaviour` and its siblings.
    """
    _polars()
    ctx = _context(as_of, policy, currency)
    _check_frames(check_instance(frames, "frames", PortfolioFrames))
    return _facts_frame(frames, ctx).collect()


# -- compiling rules ----------------------------------------------------------------------------


def _minor(bound: Money, currency: str) -> int:
    if bound.currency != currency:
        raise CurrencyMismatch(
            f"a bound in {bound.currency} on a portfolio scored in {currency}; give bounds in "
            "the portfolio's currency.",
            field="currency",
            value=bound,
            allowed=f"a bound in {currency}",
        )
    return bound.minor_units


def _between(value: pl.Expr, at_least: int | None, at_most: int | None) -> pl.Expr:
    parts = []
    if at_least is not None:
        parts.append(value >= at_least)
    if at_most is not None:
        parts.append(value <= at_most)
    return functools.reduce(operator.and_, parts)


def _ratio_between(
    numerator: pl.Expr, denominator: pl.Expr, at_least: Fraction | None, at_most: Fraction | None
) -> pl.Expr:
    # numerator / denominator ≥ p / q  ⇔  numerator · q ≥ p · denominator (denominator > 0):
    # exact in integers, as the per-party path's Fraction comparison.
    parts = []
    if at_least is not None:
        parts.append(numerator * at_least.denominator >= denominator * at_least.numerator)
    if at_most is not None:
        parts.append(numerator * at_most.denominator <= denominator * at_most.numerator)
    return functools.reduce(operator.and_, parts)


def _fraction(value: object) -> Fraction | None:
    return None if value is None else Fraction(str(value))


def _flags(column: str, members: Iterable[enum.Enum]) -> pl.Expr:
    return (pl.col(column) & flag_mask(members)) != 0


def _sufficient(ctx: _Context) -> pl.Expr:
    return pl.col("assessed") >= ctx.policy.min_statements


def _when(condition: pl.Expr, value: pl.Expr) -> pl.Expr:
    """``value`` where ``condition`` holds, null (insufficient history) elsewhere."""
    return pl.when(condition).then(value).otherwise(pl.lit(None, pl.Boolean))


def _organisation_never(value: pl.Expr) -> pl.Expr:
    return (
        pl.when(pl.col("kind") == SubjectKind.ORGANISATION.value)
        .then(pl.lit(False))
        .otherwise(value)
    )


_Compiler = Callable[[Any, "_Context"], "pl.Expr"]
_LEAF_COMPILERS: dict[type[SegmentRule], _Compiler] = {}


def _compiles(kind: type[SegmentRule]) -> Callable[[_Compiler], _Compiler]:
    """Register the compiler of one leaf rule type."""

    def register(compiler: _Compiler) -> _Compiler:
        _LEAF_COMPILERS[kind] = compiler
        return compiler

    return register


@_compiles(PropertyTypeIs)
def _property_type(rule: PropertyTypeIs, _ctx: _Context) -> pl.Expr:
    return _flags("property_types", rule.types)


@_compiles(PropertyRightIs)
def _property_right(rule: PropertyRightIs, _ctx: _Context) -> pl.Expr:
    return _flags("property_rights", rule.rights)


@_compiles(AsksFor)
def _asks(rule: AsksFor, _ctx: _Context) -> pl.Expr:
    return _flags("asks", rule.asks)


@_compiles(CommunityIs)
def _community(rule: CommunityIs, _ctx: _Context) -> pl.Expr:
    return pl.col("community").is_in(sorted(rule.communities)).fill_null(False)


@_compiles(LocationIs)
def _location(rule: LocationIs, _ctx: _Context) -> pl.Expr:
    return pl.col("location").is_in(sorted(rule.locations)).fill_null(False)


@_compiles(SubjectKindIs)
def _kind(rule: SubjectKindIs, _ctx: _Context) -> pl.Expr:
    return pl.col("kind") == rule.kind.value


@_compiles(OrganisationIs)
def _organisation(rule: OrganisationIs, _ctx: _Context) -> pl.Expr:
    kinds = sorted(kind.value for kind in rule.types)
    return pl.col("organisation").is_in(kinds).fill_null(False)


@_compiles(AgeBetween)
def _age(rule: AgeBetween, ctx: _Context) -> pl.Expr:
    age = ctx.as_of.year - pl.col("birth_year")
    return _organisation_never(_between(age, rule.at_least, rule.at_most))


@_compiles(HouseholdSizeBetween)
def _household(rule: HouseholdSizeBetween, _ctx: _Context) -> pl.Expr:
    return _organisation_never(_between(pl.col("household_size"), rule.at_least, rule.at_most))


@_compiles(MovedInWithin)
def _moved_in(rule: MovedInWithin, ctx: _Context) -> pl.Expr:
    cutoff = _plain_date(rule.cutoff(ctx.as_of))
    return pl.col("moved_in_on").is_between(cutoff, _plain_date(ctx.as_of)).fill_null(False)


@_compiles(CallbackPending)
def _callback(_rule: CallbackPending, ctx: _Context) -> pl.Expr:
    moved, callback = pl.col("moved_in_on"), pl.col("callback_on")
    day = _plain_date(ctx.as_of)
    return (
        pl.when(moved.is_null() | (moved > day))
        .then(pl.lit(False))
        .otherwise(callback.is_null() | (callback > day))
    )


@_compiles(OnTimeRatio)
def _on_time(rule: OnTimeRatio, ctx: _Context) -> pl.Expr:
    value = _ratio_between(
        pl.col("on_time"), pl.col("assessed"), _fraction(rule.at_least), _fraction(rule.at_most)
    )
    return _when(_sufficient(ctx), value)


@_compiles(AverageDaysLate)
def _average_late(rule: AverageDaysLate, ctx: _Context) -> pl.Expr:
    value = _ratio_between(
        pl.col("total_days_late"),
        pl.col("assessed"),
        _fraction(rule.at_least),
        _fraction(rule.at_most),
    )
    return _when(_sufficient(ctx), value)


@_compiles(MaxDaysLate)
def _max_late(rule: MaxDaysLate, ctx: _Context) -> pl.Expr:
    return _when(_sufficient(ctx), _between(pl.col("max_days_late"), rule.at_least, rule.at_most))


@_compiles(LateStatements)
def _late(rule: LateStatements, ctx: _Context) -> pl.Expr:
    late = pl.col("assessed") - pl.col("on_time")
    return _when(_sufficient(ctx), _between(late, rule.at_least, rule.at_most))


@_compiles(Arrears)
def _arrears(rule: Arrears, ctx: _Context) -> pl.Expr:
    value = _between(pl.col("arrears"), *_money_bounds(rule.at_least, rule.at_most, ctx))
    return _when(pl.col("overdue") > 0, value)


@_compiles(ServiceSpend)
def _spend(rule: ServiceSpend, ctx: _Context) -> pl.Expr:
    value = _between(pl.col("spend"), *_money_bounds(rule.at_least, rule.at_most, ctx))
    return _when(pl.col("existing"), value)


@_compiles(ServicePurchases)
def _purchases(rule: ServicePurchases, _ctx: _Context) -> pl.Expr:
    return _when(pl.col("existing"), _between(pl.col("purchases"), rule.at_least, rule.at_most))


@_compiles(RfmScoreBetween)
def _rfm(rule: RfmScoreBetween, _ctx: _Context) -> pl.Expr:
    return _between(_score(rule.component), rule.at_least, rule.at_most)


@_compiles(ComplaintsInWindow)
def _complaints(rule: ComplaintsInWindow, _ctx: _Context) -> pl.Expr:
    return _between(pl.col("complaints"), rule.at_least, rule.at_most)


@_compiles(LastSatisfaction)
def _satisfaction(rule: LastSatisfaction, _ctx: _Context) -> pl.Expr:
    return _between(pl.col("last_satisfaction"), rule.at_least, rule.at_most)


def _money_bounds(
    at_least: Money | None, at_most: Money | None, ctx: _Context
) -> tuple[int | None, int | None]:
    return (
        None if at_least is None else _minor(at_least, ctx.currency),
        None if at_most is None else _minor(at_most, ctx.currency),
    )


def _score(component: RfmComponent) -> pl.Expr:
    if component is RfmComponent.TOTAL:
        return functools.reduce(operator.add, [pl.col(name) for name in SCORE_COLUMNS])
    return pl.col(f"{component.value}_score")


def _compile(rule: SegmentRule, ctx: _Context) -> pl.Expr:
    if isinstance(rule, AllRules):
        return functools.reduce(operator.and_, [_compile(part, ctx) for part in rule.rules])
    if isinstance(rule, AnyRule):
        return functools.reduce(operator.or_, [_compile(part, ctx) for part in rule.rules])
    if isinstance(rule, NotRule):
        return ~_compile(rule.rule, ctx)
    if isinstance(rule, Segment):
        return _compile(rule.rule, ctx)
    compiler = _LEAF_COMPILERS.get(type(rule))
    if compiler is None:
        raise UnsupportedRule(
            f"the batch path has no compiler for {type(rule).__name__}; evaluate it party by "
            "party with evaluate_portfolio, or build the rule from propcrm's own rule types.",
            field="rule",
            value=rule,
            allowed="propcrm's own rule types",
        )
    return compiler(rule, ctx)


def compile_rule(
    rule: SegmentRule,
    as_of: pendulum.Date,
    *,
    policy: BehaviourPolicy = DEFAULT_BEHAVIOUR_POLICY,
    currency: str = CNY,
) -> pl.Expr:
    """One polars expression (a nullable boolean) for ``rule`` over :func:`behaviour_frame`."""
    _polars()
    if not isinstance(rule, SegmentRule):
        raise InvalidSegmentRule(
            f"{rule!r} is not a SegmentRule.", field="rule", value=rule, allowed="a SegmentRule"
        )
    ctx = _context(as_of, policy, currency)
    return _compile(rule, ctx).cast(pl.Boolean)


def evaluate_batch(
    rules: Mapping[str, SegmentRule],
    frames: PortfolioFrames,
    as_of: pendulum.Date,
    *,
    policy: BehaviourPolicy = DEFAULT_BEHAVIOUR_POLICY,
    currency: str = CNY,
) -> pl.DataFrame:
    """Evaluate named rules on every party of a portfolio at once.

    The result has one row per party, sorted by ``party_id``: the RFM score columns
    (:data:`SCORE_COLUMNS`, null for parties that are not existing customers) and one nullable
    boolean column per rule (true MATCH, false NO_MATCH, null INSUFFICIENT_HISTORY).

    >>> import pendulum
    >>> from propcrm.segmentation import PropertyRight, PropertyRightIs, SegmentSubject
    >>> day = pendulum.date(2026, 12, 31)
    >>> frames = frames_from_subjects(
    ...     [SegmentSubject("P-1", property_rights={PropertyRight.OWNER}), SegmentSubject("P-2")],
    ...     day,
    ... )
    >>> result = evaluate_batch({"owners": PropertyRightIs(PropertyRight.OWNER)}, frames, day)
    >>> batch_outcomes(result, "owners")
    {'P-1': <Outcome.MATCH: 'match'>, 'P-2': <Outcome.NO_MATCH: 'no_match'>}
    """
    _polars()
    ctx = _context(as_of, policy, currency)
    check_rule_names(rules)
    clash = set(rules) & {"party_id", *SCORE_COLUMNS}
    if clash:
        raise InvalidSegmentRule(
            f"rule names {sorted(clash)} clash with the result's own columns; rename them.",
            field="rules",
            value=sorted(clash),
            allowed=f"names other than party_id and {', '.join(SCORE_COLUMNS)}",
        )
    _check_frames(check_instance(frames, "frames", PortfolioFrames))
    compiled = [_compile(rule, ctx).cast(pl.Boolean).alias(name) for name, rule in rules.items()]
    return (
        _facts_frame(frames, ctx)
        .select(pl.col("party_id"), *(pl.col(name) for name in SCORE_COLUMNS), *compiled)
        .collect()
    )


# -- reading results back -----------------------------------------------------------------------


def _check_result(result: object) -> None:
    frame: pl.DataFrame = check_instance(result, "result", pl.DataFrame)
    missing = [name for name in ("party_id", *SCORE_COLUMNS) if name not in frame.columns]
    if missing:
        raise InvalidSegmentRule(
            f"the result lacks the columns {', '.join(missing)}; pass what evaluate_batch "
            "returned.",
            field="result",
            value=missing,
            allowed=f"a frame with party_id and {', '.join(SCORE_COLUMNS)}",
        )


def batch_outcomes(result: pl.DataFrame, rule_name: str) -> dict[Any, Outcome]:
    """Party id → :class:`~propcrm.segmentation.Outcome` of one rule of a batch result."""
    _polars()
    _check_result(result)
    if rule_name not in result.columns or rule_name in ("party_id", *SCORE_COLUMNS):
        raise InvalidSegmentRule(
            f"the result has no rule {rule_name!r}.",
            field="rule_name",
            value=rule_name,
            allowed="the name of a rule evaluated into the result",
        )
    ids = result.get_column("party_id").to_list()
    values = result.get_column(rule_name).to_list()
    return {pid: Outcome.of(value) for pid, value in zip(ids, values, strict=True)}


def batch_rfm(result: pl.DataFrame) -> dict[Any, tuple[int, int, int] | None]:
    """Party id → (recency, frequency, monetary) scores, ``None`` if not an existing customer."""
    _polars()
    _check_result(result)
    ids = result.get_column("party_id").to_list()
    columns = [result.get_column(name).to_list() for name in SCORE_COLUMNS]
    scores: dict[Any, tuple[int, int, int] | None] = {}
    for pid, r, f, m in zip(ids, *columns, strict=True):
        scores[pid] = None if r is None else (r, f, m)
    return scores
