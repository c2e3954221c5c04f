"""Arrears (欠费) as of a date, aged in buckets, per account, unit, party and community.

What each statement still owes as of a date (principal, late fees and collection costs, kept
apart) lands in one aging bucket by its days overdue: current (not yet due), 1–30, 31–90,
91–180 and 181–365 days, 1–3 years, over 3 years. The edges are a policy value
(:class:`AgingPolicy`) with these defaults. Every line also says whether its claim is past the
three-year limitation period (诉讼时效, Civil Code art. 188), counted from its first overdue day,
and anew from each demand for payment that interrupted it (art. 195) when the caller gives their
dates (:func:`~propcrm.receivables.demand_dates` reads them from the dunning history).

The report is built from account balances, so its totals are the balances' own figures: per
account, unit, party or the whole community, the buckets add up exactly to what
:meth:`~propcrm.receivables.Account.balance` says is outstanding.

>>> november = opening_statement(
...     community="SUNRISE",
...     unit_id="1-2-0301",
...     period=BillingPeriod.month(2026, 11),
...     amount=Money("1000.00"),
...     due_on=pendulum.date(2026, 12, 10),
... )
>>> account = Account("1-2-0301", billed_party="owner-17").post(november)
>>> report = arrears_as_of([account], as_of=pendulum.date(2026, 12, 31))
>>> line = report.lines[0]
>>> line.days_overdue, line.bucket.code, line.principal, line.late_fees
(21, '1-30', Money('1000.00', 'CNY'), Money('63.00', 'CNY'))
>>> [(row.bucket.describe("en_US"), str(row.total.amount)) for row in report.rows if row.total]
[('1–30 days', '1063.00')]
"""

from __future__ import annotations

import bisect
import datetime
import functools
import itertools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol, TypeAlias, TypeVar

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, ngettext, pgettext
from propcrm._trusted import set_cached
from propcrm._validators import check_instance, check_iterable, check_unique
from propcrm.billing import Statement
from propcrm.errors import (
    AsOfMismatch,
    CurrencyMismatch,
    DuplicateAccount,
    DuplicateReference,
    InvalidPolicy,
    InvalidType,
)
from propcrm.money import (
    CNY,
    Money,
    check_currency,
)
from propcrm.receivables._accounts import (
    Account,
    AccountBalance,
    StatementOwed,
    StatementState,
    money_of_units,
)
from propcrm.time import as_date

__all__ = [
    "DEFAULT_AGING",
    "DEFAULT_AGING_EDGES",
    "DEFAULT_LIMITATION_YEARS",
    "AccountKey",
    "AccountOwed",
    "AgingBucket",
    "AgingPolicy",
    "AgingRow",
    "ArrearsLine",
    "ArrearsReport",
    "age_owed",
    "arrears_as_of",
    "days_past_due",
    "owed_as_of",
]

_K = TypeVar("_K")

AccountKey: TypeAlias = tuple[str, str | None]
"""An account's identity in reports: its unit id and its billed party."""

DEFAULT_AGING_EDGES: tuple[int, ...] = (30, 90, 180, 365, 1095)
"""Upper edges (days overdue, inclusive) of the buckets after "current" (issue 4); the last
bucket is open: more than 1,095 days, three years."""

DEFAULT_LIMITATION_YEARS = 3
"""The general limitation period for claims, in years (Civil Code art. 188)."""

_DAYS_IN_YEAR = 365  # only for labels: an edge that is a whole number of 365-day years
_MAX_LIMITATION_YEARS = 20  # art. 188's longest period: no policy may go beyond it


def _edges(value: object) -> tuple[int, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidPolicy(
            f"aging edges {value!r} must be a sequence of ints, e.g. (30, 90).",
            field="edges",
            value=value,
            allowed="a sequence of ints",
        )
    edges = tuple(value)
    if not edges or not all(
        isinstance(e, int) and not isinstance(e, bool) and e >= 1 for e in edges
    ):
        raise InvalidPolicy(
            f"aging edges {edges!r} must be one or more ints of at least 1 day, e.g. (30, 90).",
            field="edges",
            value=edges,
            allowed="one or more ints of at least 1",
        )
    if any(a >= b for a, b in itertools.pairwise(edges)):
        raise InvalidPolicy(
            f"aging edges {edges!r} must rise strictly, e.g. (30, 90, 180).",
            field="edges",
            value=edges,
            allowed="strictly rising days",
        )
    return edges


def _years(_instance: object, _attribute: object, value: int) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= _MAX_LIMITATION_YEARS
    ):
        raise InvalidPolicy(
            f"limitation period {value!r} must be an int from 1 to {_MAX_LIMITATION_YEARS} years.",
            field="limitation_years",
            value=value,
            allowed=f"an int from 1 to {_MAX_LIMITATION_YEARS}",
        )


def _span(first: int, last: int | None, locale: LocaleLike) -> str:
    after = first - 1
    if last is None:
        if after % _DAYS_IN_YEAR == 0:
            return ngettext(
                "over %(num)d year", "over %(num)d years", after // _DAYS_IN_YEAR, locale=locale
            )
        return ngettext("over %(num)d day", "over %(num)d days", after, locale=locale)
    if after and after % _DAYS_IN_YEAR == 0 and last % _DAYS_IN_YEAR == 0:
        # The range's upper end decides the plural form: "1–3 years", "1–1 year" never occurs.
        return ngettext(
            "%(low)d–%(num)d year",
            "%(low)d–%(num)d years",
            last // _DAYS_IN_YEAR,
            locale=locale,
            low=after // _DAYS_IN_YEAR,
        )
    return ngettext("%(low)d–%(num)d day", "%(low)d–%(num)d days", last, locale=locale, low=first)


@functools.lru_cache(maxsize=4096)
def _limitation_end(
    due_on: pendulum.Date, demands: tuple[pendulum.Date, ...], years: int
) -> pendulum.Date:
    # A community's statements share a few due dates: the calendar arithmetic runs once each.
    start = due_on.add(days=1)
    ends = start.add(years=years)
    for day in demands:
        if start <= day <= ends:
            ends = day.add(years=years)
    return ends


@attrs.frozen
class AgingBucket:
    """A range of days overdue, both ends inclusive; ``last_day`` ``None`` is open-ended.

    Bucket 0 is "current": days overdue 0, i.e. not yet due (or due today).
    """

    index: int
    first_day: int
    last_day: int | None

    @property
    def code(self) -> str:
        """A stable key: ``'current'``, ``'1-30'``, …, ``'1096+'``."""
        if self.index == 0:
            return "current"
        if self.last_day is None:
            return f"{self.first_day}+"
        return f"{self.first_day}-{self.last_day}"

    @property
    def is_current(self) -> bool:
        """Whether this is the bucket of amounts not yet overdue."""
        return self.index == 0

    def holds(self, days_overdue: int) -> bool:
        """Whether ``days_overdue`` falls in this bucket."""
        return self.first_day <= days_overdue and (
            self.last_day is None or days_overdue <= self.last_day
        )

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The bucket's name, as printed in published reports.

        >>> [b.label() for b in DEFAULT_AGING.buckets]
        ['未到期', '1–30天', '31–90天', '91–180天', '181–365天', '1–3年', '3年以上']
        >>> DEFAULT_AGING.buckets[5].label("en_US"), DEFAULT_AGING.buckets[0].label("en_US")
        ('1–3 years', 'current')
        """
        if self.index == 0:
            return pgettext("aging bucket", "current", locale=locale)
        return _span(self.first_day, self.last_day, locale)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The bucket's name in ``locale``: the same as :meth:`label`."""
        return self.label(locale)


@attrs.frozen
class AgingPolicy:
    """The aging buckets' upper edges and the limitation period.

    Attributes:
        edges: the inclusive upper edges, in days overdue, of every bucket after "current";
            the bucket after the last edge is open. Default: 30, 90, 180, 365, 1,095 days.
        limitation_years: the limitation period (art. 188: 3 years).
    """

    edges: tuple[int, ...] = attrs.field(default=DEFAULT_AGING_EDGES, converter=_edges)
    limitation_years: int = attrs.field(default=DEFAULT_LIMITATION_YEARS, validator=_years)
    buckets: tuple[AgingBucket, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        buckets = [AgingBucket(0, 0, 0)]
        first = 1
        for index, edge in enumerate(self.edges, start=1):
            buckets.append(AgingBucket(index, first, edge))
            first = edge + 1
        buckets.append(AgingBucket(len(self.edges) + 1, first, None))
        set_cached(self, "buckets", tuple(buckets))

    def bucket_for(self, days_overdue: int) -> AgingBucket:
        """The bucket ``days_overdue`` (0 or more) falls in.

        >>> DEFAULT_AGING.bucket_for(0).code, DEFAULT_AGING.bucket_for(31).code
        ('current', '31-90')
        >>> DEFAULT_AGING.bucket_for(1095).code, DEFAULT_AGING.bucket_for(1096).code
        ('366-1095', '1096+')
        """
        if isinstance(days_overdue, bool) or not isinstance(days_overdue, int) or days_overdue < 0:
            raise InvalidPolicy(
                f"days overdue {days_overdue!r} must be an int of 0 or more.",
                field="days_overdue",
                value=days_overdue,
                allowed="an int of 0 or more",
            )
        if days_overdue == 0:
            return self.buckets[0]
        return self.buckets[1 + bisect.bisect_left(self.edges, days_overdue)]

    def limitation_ends_on(
        self, due_on: datetime.date, interruptions: Iterable[datetime.date] = ()
    ) -> pendulum.Date:
        """The last day of the limitation period of a debt due on ``due_on``.

        The period starts on the first overdue day, when the creditor knows it was not paid
        (art. 188); counted in calendar years from the day after (art. 201), it ends on that
        start's anniversary. A demand for payment that reached the debtor while the period ran
        interrupts it, and it runs anew from that day (art. 195); a demand after the period
        ended revives nothing.

        >>> DEFAULT_AGING.limitation_ends_on(pendulum.date(2023, 12, 10))
        Date(2026, 12, 11)
        >>> due = pendulum.date(2023, 12, 10)
        >>> DEFAULT_AGING.limitation_ends_on(due, [pendulum.date(2025, 3, 1)])
        Date(2028, 3, 1)
        >>> DEFAULT_AGING.limitation_ends_on(due, [pendulum.date(2027, 1, 5)])  # too late
        Date(2026, 12, 11)
        """
        dates = _many(interruptions, "interruptions")
        demands = tuple(sorted({as_date(d, "interruptions") for d in dates}))
        return _limitation_end(as_date(due_on, "due_on"), demands, self.limitation_years)


DEFAULT_AGING = AgingPolicy()
"""Current, 1–30, 31–90, 91–180, 181–365 days, 1–3 years, over 3 years; 3-year limitation."""


def _many(values: Iterable[_K], field: str) -> Iterable[_K]:
    # Text is iterable too: "2026-12-01" would read as ten one-character dates.
    return check_iterable(values, field, "an iterable (a list or tuple)")


def _age(as_of: int, due_on: pendulum.Date) -> int:
    # Ordinals: pendulum's Date subtraction builds an Interval, far slower in a portfolio run.
    return max(0, as_of - due_on.toordinal())


def days_past_due(due_on: datetime.date, as_of: datetime.date) -> int:
    """Days from ``due_on`` to ``as_of`` (0 when not yet past due): how aging and dunning age.

    A statement ages by this while anything (principal, late fee or costs) is still owed. With
    principal owed it equals the statement's ``days_overdue``; a late fee left after the
    principal was paid ages from the same due date (``days_overdue`` says 0 there, as it speaks
    of the principal only).

    >>> days_past_due(pendulum.date(2026, 12, 10), pendulum.date(2026, 12, 31))
    21
    """
    return _age(as_date(as_of, "as_of").toordinal(), as_date(due_on, "due_on"))


@attrs.frozen
class ArrearsLine:
    """What one statement still owes as of a date, and where it ages.

    Attributes:
        unit_id: the account's unit.
        billed_party: the account's billed party.
        statement: the statement's current number (a corrected one ends in ``/R{n}``).
        period: the billing period's code.
        due_on: the due date (after any deferral).
        days_overdue: days past the due date (see :func:`days_past_due`).
        bucket: the aging bucket.
        state: the statement's state.
        principal: principal outstanding.
        late_fees: late fees outstanding.
        costs: collection costs outstanding.
        limitation_ends_on: the last day of the limitation period, after the interruptions
            given (see :meth:`AgingPolicy.limitation_ends_on`).
        past_limitation: whether the as-of date is after it.
    """

    unit_id: str
    billed_party: str | None
    statement: str
    period: str
    due_on: pendulum.Date
    days_overdue: int
    bucket: AgingBucket
    state: StatementState
    principal: Money
    late_fees: Money
    costs: Money
    limitation_ends_on: pendulum.Date
    past_limitation: bool

    @property
    def account(self) -> AccountKey:
        """The account the line belongs to."""
        return self.unit_id, self.billed_party

    @property
    def total(self) -> Money:
        """Principal, late fees and costs outstanding."""
        return self.principal + self.late_fees + self.costs


class AgingRow(NamedTuple):
    """One bucket's totals: principal, late fees and costs apart, and how many statements.

    A named tuple rather than an attrs class, like
    :class:`~propcrm.receivables.StatementOwed`: a month-end run builds a few for each of
    100,000 accounts, and an attrs instance costs several times as much to make.
    """

    bucket: AgingBucket
    principal: Money
    late_fees: Money
    costs: Money
    total: Money
    """Principal, late fees and costs of the bucket."""
    statements: int
    accounts: int

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The bucket's name in ``locale`` (see :meth:`AgingBucket.label`)."""
        return self.bucket.label(locale)


class _Owing(Protocol):
    """What aging reads of one statement: :class:`~propcrm.receivables.StatementOwed`."""

    @property
    def due_on(self) -> pendulum.Date: ...
    @property
    def principal(self) -> Money: ...
    @property
    def late_fees(self) -> Money: ...
    @property
    def costs(self) -> Money: ...


_new_row = tuple.__new__


@functools.cache
def _empty_rows(edges: tuple[int, ...], currency: str) -> tuple[AgingRow, ...]:
    # Keyed by the edges, which decide the buckets: an attrs policy's hash is worked out anew
    # on every call, and a month-end run asks once an account.
    zero = Money.zero(currency)
    buckets = AgingPolicy(edges).buckets
    return tuple(AgingRow(bucket, zero, zero, zero, zero, 0, 0) for bucket in buckets)


def _aging_rows(
    groups: Sequence[Sequence[_Owing]],
    policy: AgingPolicy,
    currency: str,
    accounts: Sequence[int],
) -> tuple[AgingRow, ...]:
    """One row per bucket from the statements grouped by bucket index (and accounts in each)."""
    # Most accounts fill few buckets: the empty rows are shared values, built once per policy.
    rows = list(_empty_rows(policy.edges, currency))
    for index, group in enumerate(groups):
        if not group:
            continue
        # Plain additions (exact, currency-checked): cheaper than Money.total for a handful.
        principal = functools.reduce(operator.add, [x.principal for x in group])
        late_fees = functools.reduce(operator.add, [x.late_fees for x in group])
        costs = functools.reduce(operator.add, [x.costs for x in group])
        total = principal + late_fees + costs
        rows[index] = AgingRow(
            policy.buckets[index], principal, late_fees, costs, total, len(group), accounts[index]
        )
    return tuple(rows)


def age_account(
    account: Account, as_of: datetime.date, policy: AgingPolicy = DEFAULT_AGING
) -> tuple[AgingRow, ...]:
    """``age_owed(account.owed(as_of), as_of, policy)``, with no per-statement rows on the way.

    The month-end run over a whole portfolio: the same buckets and totals (a property test
    checks it), summed in minor units, so Money is built only for the buckets' totals.

    >>> nov = opening_statement(
    ...     community="SUNRISE",
    ...     unit_id="U",
    ...     period=BillingPeriod.month(2026, 11),
    ...     amount=Money("1000.00"),
    ...     due_on=pendulum.date(2026, 12, 10),
    ... )
    >>> day = pendulum.date(2026, 12, 31)
    >>> [(r.label(), r.total) for r in age_account(Account("U").post(nov), day) if r.statements]
    [('1–30天', Money('1063.00', 'CNY'))]
    """
    # The checks' common case first: a portfolio run ages every account with one policy.
    if type(account) is not Account:
        check_instance(account, "account", Account)
    if type(policy) is not AgingPolicy:
        check_instance(policy, "policy", AgingPolicy)
    # A private Account method: the fast path is kept inside the receivables package.
    sums = account._aged_units(as_of, policy.edges)
    currency = account.currency
    rows = list(_empty_rows(policy.edges, currency))
    money = money_of_units(currency)
    buckets = policy.buckets
    for index, (principal, fees, costs, count) in sums.items():
        # The named tuple's own __new__ without its Python-level wrapper: the same row.
        rows[index] = _new_row(
            AgingRow,
            (
                buckets[index],
                money(principal),
                money(fees),
                money(costs),
                money(principal + fees + costs),
                count,
                1,
            ),
        )
    return tuple(rows)


def age_owed(
    rows: Iterable[StatementOwed],
    as_of: datetime.date,
    policy: AgingPolicy = DEFAULT_AGING,
    *,
    currency: str | None = None,
) -> tuple[AgingRow, ...]:
    """One account's :meth:`~propcrm.receivables.Account.owed` rows, aged: one row per bucket.

    The fast path of a month-end run over a portfolio: no lines, no limitation flags, just the
    buckets' totals (which add up exactly to the rows'). Each statement ages by the days from
    its due date to ``as_of`` (see :func:`days_past_due`).

    >>> nov = opening_statement(
    ...     community="SUNRISE",
    ...     unit_id="U",
    ...     period=BillingPeriod.month(2026, 11),
    ...     amount=Money("1000.00"),
    ...     due_on=pendulum.date(2026, 12, 10),
    ... )
    >>> day = pendulum.date(2026, 12, 31)
    >>> [(r.label(), r.total) for r in age_owed(Account("U").post(nov).owed(day), day) if r.total]
    [('1–30天', Money('1063.00', 'CNY'))]
    """
    check_instance(policy, "policy", AgingPolicy)
    day = as_date(as_of, "as_of").toordinal()
    owing = [check_instance(row, "rows", StatementOwed) for row in _many(rows, "rows")]
    # The same statement twice would be aged, and counted, twice.
    check_unique((row.number for row in owing), "rows", DuplicateReference, what="statement")
    if currency is not None:
        check_currency(currency)
    edges = policy.edges
    place = bisect.bisect_left
    groups: list[list[StatementOwed]] = [[] for _ in policy.buckets]
    for row in owing:
        age = day - row.due_on.toordinal()  # as _age, inlined: this loop runs per statement
        groups[0 if age <= 0 else 1 + place(edges, age)].append(row)
    first = next((group[0] for group in groups if group), None)
    money = currency or (first.principal.currency if first else CNY)
    if first is not None and first.principal.currency != money:
        raise CurrencyMismatch(
            f"statement {first.number} is in {first.principal.currency}; the aging is in {money}.",
            field="currency",
            value=first.principal.currency,
            allowed=money,
            statement=first.number,
        )
    # One account: only the buckets it has statements in are read.
    return _aging_rows(groups, policy, money, [1] * len(groups))


def _sum(
    lines: Iterable[ArrearsLine], part: Callable[[ArrearsLine], Money], currency: str
) -> Money:
    return Money.total((part(line) for line in lines), currency)


@attrs.frozen
class ArrearsReport:
    """Arrears as of a date over a set of accounts, aged in buckets.

    Attributes:
        as_of: the date.
        policy: the aging policy used.
        currency: the accounts' currency.
        lines: one per statement that still owes something, by account (in the order given)
            and due date.
        accounts: every account read, also those owing nothing, in the order given.
    """

    as_of: pendulum.Date
    policy: AgingPolicy
    currency: str
    lines: tuple[ArrearsLine, ...]
    accounts: tuple[AccountKey, ...]

    @property
    def rows(self) -> tuple[AgingRow, ...]:
        """One row per bucket of the policy, in order, empty buckets included."""
        groups: list[list[ArrearsLine]] = [[] for _ in self.policy.buckets]
        for line in self.lines:
            groups[line.bucket.index].append(line)
        accounts = [len({x.account for x in group}) for group in groups]
        return _aging_rows(groups, self.policy, self.currency, accounts)

    @property
    def principal(self) -> Money:
        """Principal outstanding over all lines."""
        return _sum(self.lines, lambda x: x.principal, self.currency)

    @property
    def late_fees(self) -> Money:
        """Late fees outstanding over all lines."""
        return _sum(self.lines, lambda x: x.late_fees, self.currency)

    @property
    def costs(self) -> Money:
        """Collection costs outstanding over all lines."""
        return _sum(self.lines, lambda x: x.costs, self.currency)

    @property
    def total(self) -> Money:
        """Everything outstanding."""
        return _sum(self.lines, lambda x: x.total, self.currency)

    @property
    def overdue(self) -> Money:
        """Everything outstanding past its due date (all buckets but "current")."""
        return _sum((x for x in self.lines if x.days_overdue), lambda x: x.total, self.currency)

    @property
    def past_limitation(self) -> Money:
        """What is owed on lines past the limitation period (flagged, still counted)."""
        return _sum((x for x in self.lines if x.past_limitation), lambda x: x.total, self.currency)

    def _split(self, key: Callable[[AccountKey], _K]) -> dict[_K, ArrearsReport]:
        # One pass over the lines, not one per group: a community has thousands of units.
        accounts: dict[_K, list[AccountKey]] = {}
        for account in self.accounts:
            accounts.setdefault(key(account), []).append(account)
        lines: dict[_K, list[ArrearsLine]] = {group: [] for group in accounts}
        for line in self.lines:
            lines[key(line.account)].append(line)
        return {
            group: attrs.evolve(self, lines=tuple(lines[group]), accounts=tuple(members))
            for group, members in accounts.items()
        }

    def by_account(self) -> dict[AccountKey, ArrearsReport]:
        """One report per account, in the order the accounts were given."""
        return self._split(lambda account: account)

    def by_unit(self) -> dict[str, ArrearsReport]:
        """One report per unit (every party billed for it), in the order units first appear."""
        return self._split(lambda account: account[0])

    def by_party(self) -> dict[str | None, ArrearsReport]:
        """One report per billed party (every unit it is billed for), in order of appearance."""
        return self._split(lambda account: account[1])

    def for_account(self, unit_id: str, billed_party: str | None) -> ArrearsReport:
        """The report of one account (empty if the report did not read it)."""
        return self._one(self.by_account(), (unit_id, billed_party))

    def for_unit(self, unit_id: str) -> ArrearsReport:
        """The report of one unit (empty if the report read none of its accounts)."""
        return self._one(self.by_unit(), unit_id)

    def for_party(self, billed_party: str | None) -> ArrearsReport:
        """The report of one billed party (empty if the report read none of its accounts)."""
        return self._one(self.by_party(), billed_party)

    def _one(self, split: Mapping[_K, ArrearsReport], key: _K) -> ArrearsReport:
        empty = attrs.evolve(self, lines=(), accounts=())
        return split.get(key, empty)


@attrs.frozen
class AccountOwed:
    """What one account owes as of a date: the statements that still owe something.

    Attributes:
        unit_id: the account's unit.
        billed_party: the account's billed party.
        currency: the account's currency.
        as_of: the date.
        rows: the statements owing something, as :meth:`Account.owed
            <propcrm.receivables.Account.owed>` gives them, by due date and number.
        communities: the community codes of the account's statements.
        source: the account or balance it was read from.
    """

    unit_id: str
    billed_party: str | None
    currency: str
    as_of: pendulum.Date
    rows: tuple[StatementOwed, ...]
    communities: frozenset[str]
    source: Account | AccountBalance = attrs.field(eq=False, repr=False)

    @property
    def key(self) -> AccountKey:
        """The account's unit and billed party."""
        return self.unit_id, self.billed_party


def _from_balance(balance: AccountBalance) -> tuple[StatementOwed, ...]:
    return tuple(
        StatementOwed(
            row.number,
            row.statement.period,
            row.due_on,
            row.principal_outstanding,
            row.late_fee_outstanding,
            row.costs_outstanding,
            row.days_overdue,
            row.state,
        )
        for row in balance.statements
        if row.principal_outstanding or row.late_fee_outstanding or row.costs_outstanding
    )


def owed_as_of(
    accounts: Iterable[Account | AccountBalance], as_of: datetime.date
) -> tuple[AccountOwed, ...]:
    """What each account owes as of ``as_of``, in the order given.

    An :class:`~propcrm.receivables.Account` is read through its light
    :meth:`~propcrm.receivables.Account.owed`; a balance must be taken on ``as_of``.

    Raises:
        AsOfMismatch: a balance taken on another day.
        DuplicateAccount: one account (unit and billed party) given twice.
    """
    day = as_date(as_of, "as_of")
    result: list[AccountOwed] = []
    seen: set[AccountKey] = set()
    for item in _many(accounts, "accounts"):
        if isinstance(item, Account):
            key: AccountKey = (item.unit_id, item.billed_party)
            currency = item.currency
            rows = item.owed(day)
            communities = frozenset(e.community for e in item.events if isinstance(e, Statement))
        elif isinstance(item, AccountBalance):
            key = (item.unit_id, item.billed_party)
            if item.as_of != day:
                raise AsOfMismatch(
                    f"the balance of unit {key[0]} (billed to {key[1]}) is as of "
                    f"{item.as_of.isoformat()}, not {day.isoformat()}; pass the Account or its "
                    f"balance as of {day.isoformat()}.",
                    field="as_of",
                    value=item.as_of,
                    allowed=day.isoformat(),
                    unit_id=key[0],
                )
            currency = item.credit.currency
            rows = _from_balance(item)
            communities = frozenset(row.statement.community for row in item.statements)
        else:
            raise InvalidType(
                f"expected an Account or an AccountBalance, got {item!r}.",
                field="accounts",
                value=item,
                allowed="Account or AccountBalance",
            )
        if key in seen:
            raise DuplicateAccount(
                f"the account of unit {key[0]} billed to {key[1]} is given twice; give each "
                "account once, or its amounts would count twice.",
                unit_id=key[0],
                billed_party=key[1],
            )
        seen.add(key)
        ordered = tuple(sorted(rows, key=lambda r: (r.due_on, r.number)))
        result.append(AccountOwed(key[0], key[1], currency, day, ordered, communities, item))
    return tuple(result)


def arrears_as_of(
    accounts: Iterable[Account | AccountBalance],
    as_of: datetime.date,
    policy: AgingPolicy = DEFAULT_AGING,
    *,
    currency: str | None = None,
    interruptions: Mapping[AccountKey, Iterable[datetime.date]] | None = None,
) -> ArrearsReport:
    """Arrears of ``accounts`` as of ``as_of``, aged by ``policy``.

    Args:
        accounts: accounts, or their balances as of ``as_of``, each once.
        as_of: the date.
        policy: the aging buckets and limitation period.
        currency: the accounts' currency (default: the first account's; CNY when none).
        interruptions: per account, the days its limitation periods were interrupted (demands
            for payment that reached the debtor, art. 195; see
            :func:`~propcrm.receivables.demand_dates`).

    Raises:
        AsOfMismatch, DuplicateAccount: see :func:`owed_as_of`.
        CurrencyMismatch: accounts in different currencies.
    """
    day = as_date(as_of, "as_of")
    check_instance(policy, "policy", AgingPolicy)
    if currency is not None:
        check_currency(currency)
    if interruptions is not None and not isinstance(interruptions, Mapping):
        raise InvalidType(
            f"interruptions {interruptions!r} must map accounts (unit, billed party) to dates.",
            field="interruptions",
            value=interruptions,
            allowed="a mapping of (unit id, billed party) to dates",
        )
    ordinal = day.toordinal()
    owed = owed_as_of(accounts, day)
    money = currency or (owed[0].currency if owed else CNY)
    breaks = interruptions or {}
    lines: list[ArrearsLine] = []
    for account in owed:
        if account.currency != money:
            raise CurrencyMismatch(
                f"the account of unit {account.unit_id} is in {account.currency}; this report "
                f"is in {money}. Report each currency apart.",
                field="currency",
                value=account.currency,
                allowed=money,
                unit_id=account.unit_id,
            )
        dates = _many(breaks.get(account.key, ()), "interruptions")
        interrupted = tuple(sorted({as_date(d, "interruptions") for d in dates}))
        for row in account.rows:
            days = _age(ordinal, row.due_on)
            ends = _limitation_end(row.due_on, interrupted, policy.limitation_years)
            lines.append(
                ArrearsLine(
                    unit_id=account.unit_id,
                    billed_party=account.billed_party,
                    statement=row.number,
                    period=row.period.code,
                    due_on=row.due_on,
                    days_overdue=days,
                    bucket=policy.bucket_for(days),
                    state=row.state,
                    principal=row.principal,
                    late_fees=row.late_fees,
                    costs=row.costs,
                    limitation_ends_on=ends,
                    past_limitation=day > ends,
                )
            )
    return ArrearsReport(day, policy, money, tuple(lines), tuple(a.key for a in owed))
