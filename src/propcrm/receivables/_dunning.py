"""Dunning (催缴): which accounts are due which step of a community's plan, as of a date.

Civil Code art. 944 sets the ladder and its one prohibition. An owner late with the fee may be
**pressed to pay within a reasonable period** (催告其在合理期限内支付); when that period has run
out unpaid, the provider **may sue or apply for arbitration**; and it **may not press for the fee
by stopping the supply of power, water, heat or gas** (不得采取停止供电、供水、供热、供燃气等方式
催交物业费). So a :class:`DunningPlan` has up to three levels, in this order:

- :attr:`DunningLevel.REMINDER` (提醒): SMS, WeChat, a call — optional;
- :attr:`DunningLevel.FORMAL_DEMAND` (书面催告): a letter giving a period to pay (15 days by
  default, :data:`DEFAULT_PERIOD_TO_PAY_DAYS`);
- :attr:`DunningLevel.LEGAL` (诉讼/仲裁): only after a formal demand whose period has run out.

Each level has thresholds (days overdue of the oldest debt, amount overdue), a cadence (at least
``repeat_after_days`` between two steps of the level, at most ``max_steps`` of them) and its
channels. A channel or a recorded step naming a cut of water, power, heat or gas is refused with
:class:`~propcrm.errors.ForbiddenAction`; nothing in this module can offer one.

:func:`due_steps` decides, for each account, exactly one of: a step is due (which level, which
channels, why), it waits (cadence, repeats used up), it is on hold (an open dispute or a deferral
in force, by default), or nothing is due. Steps taken before the oldest debt still overdue fell
due belong to arrears since settled, and are not counted.

>>> plan = DunningPlan("SUNRISE")
>>> november = opening_statement(
...     community="SUNRISE",
...     unit_id="1-2-0301",
...     period=BillingPeriod.month(2026, 11),
...     amount=Money("1000.00"),
...     due_on=pendulum.date(2026, 12, 10),
... )
>>> account = Account("1-2-0301", billed_party="owner-17").post(november)
>>> result = due_steps(plan, [account], as_of=pendulum.date(2026, 12, 31))
>>> step = result.decisions[0]
>>> step.kind.value, step.level.value, [c.value for c in step.channels], step.overdue.days
('step_due', 'reminder', ['sms', 'wechat'], 21)
>>> DunningChannel.parse("停水")
Traceback (most recent call last):
...
propcrm.errors.ForbiddenAction: '停水' would cut the water supply: Civil Code art. 944 forbids \
pressing for property fees by stopping the supply of power, water, heat or gas (物业服务人不得采取\
停止供电、供水、供热、供燃气等方式催交物业费). Dun with a reminder, a formal demand with a \
reasonable period to pay, then a lawsuit or arbitration.
"""

from __future__ import annotations

import datetime
import enum
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs
import pendulum
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, ngettext, pgettext
from propcrm._validators import check_instance, check_record_id, check_text, instance_of
from propcrm.errors import (
    CommunityMismatch,
    CurrencyMismatch,
    ForbiddenAction,
    InvalidPolicy,
    InvalidType,
    InvalidUnit,
    UnknownAccount,
)
from propcrm.money import (
    CNY,
    Money,
    as_money,
    check_currency,
    format_money,
)
from propcrm.receivables._accounts import (
    Account,
    AccountBalance,
    StatementOwed,
    StatementState,
)
from propcrm.receivables._arrears import (
    DEFAULT_AGING,
    AccountKey,
    AccountOwed,
    AgingPolicy,
    days_past_due,
    owed_as_of,
)
from propcrm.receivables._events import (
    items_of,
    taken_on_date,
    valid_party,
    valid_reference,
)
from propcrm.time import as_date

__all__ = [
    "DEFAULT_DUNNING_LEVELS",
    "DEFAULT_FORMAL_DEMAND",
    "DEFAULT_LEGAL",
    "DEFAULT_PERIOD_TO_PAY_DAYS",
    "DEFAULT_REMINDER",
    "DecisionKind",
    "DecisionReason",
    "DunningChannel",
    "DunningDecision",
    "DunningLevel",
    "DunningPlan",
    "DunningResult",
    "DunningRule",
    "ForbiddenMeasure",
    "Hold",
    "HoldKind",
    "OverdueFacts",
    "StepTaken",
    "demand_dates",
    "due_steps",
]

DEFAULT_PERIOD_TO_PAY_DAYS = 15
"""The reasonable period to pay a formal demand gives (art. 944's 合理期限; issue 4's figure)."""

_ART_944 = (
    "Civil Code art. 944 forbids pressing for property fees by stopping the supply of power, "
    "water, heat or gas (物业服务人不得采取停止供电、供水、供热、供燃气等方式催交物业费). "
    "Dun with a reminder, a formal demand with a reasonable period to pay, then a lawsuit or "
    "arbitration."
)


class DunningLevel(enum.Enum):
    """The levels of a dunning plan, in the order they escalate."""

    REMINDER = "reminder"
    FORMAL_DEMAND = "formal_demand"
    LEGAL = "legal"

    @property
    def rank(self) -> int:
        """0, 1, 2: the order of escalation."""
        return _LEVEL_ORDER.index(self)

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The level for people, e.g. ``'书面催告'`` (zh_CN) or ``'formal demand'`` (en_US)."""
        # One literal per member, so that extraction finds every message.
        match self:
            case DunningLevel.REMINDER:
                return pgettext("dunning level", "reminder", locale=locale)
            case DunningLevel.FORMAL_DEMAND:
                return pgettext("dunning level", "formal demand", locale=locale)
            case DunningLevel.LEGAL:
                return pgettext("dunning level", "legal action", locale=locale)


_LEVEL_ORDER = tuple(DunningLevel)


class ForbiddenMeasure(enum.Enum):
    """Measures art. 944 forbids for pressing for fees; never a channel, always refused."""

    CUT_WATER = "cut_water"
    CUT_POWER = "cut_power"
    CUT_HEAT = "cut_heat"
    CUT_GAS = "cut_gas"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The measure for people: 停水, 停电, 停暖, 停气 (zh_CN); ``'cutting the water'``, …."""
        match self:
            case ForbiddenMeasure.CUT_WATER:
                return pgettext("forbidden measure", "cutting the water", locale=locale)
            case ForbiddenMeasure.CUT_POWER:
                return pgettext("forbidden measure", "cutting the power", locale=locale)
            case ForbiddenMeasure.CUT_HEAT:
                return pgettext("forbidden measure", "cutting the heating", locale=locale)
            case ForbiddenMeasure.CUT_GAS:
                return pgettext("forbidden measure", "cutting the gas", locale=locale)

    @property
    def what(self) -> str:
        """What it cuts, for messages."""
        return {
            "cut_water": "the water supply",
            "cut_power": "the power supply",
            "cut_heat": "the heating",
            "cut_gas": "the gas supply",
        }[self.value]


# What a cut looks like in a channel or action name, in Chinese and in English. Only used to
# pick the error: a name that is no channel is refused anyway, so this need not be complete to
# be safe; it makes the refusal cite art. 944 when it should. English is matched on the letters
# alone, so "cut_water", "Water-Cut", "shutOffGas" and "power off" all read as cuts.
_ZH_CUT = re.compile(
    r"(停止|中止|暂停|中断|切断|关闭|停|断|限|关)(供应|供)?(燃气|暖气|供暖|供热|水|电|暖|热|气)"
    r"|拉闸|关阀|锁表|停表"
)
_ZH_WHAT = {
    "水": "the water supply",
    "电": "the power supply",
    "暖": "the heating",
    "热": "the heating",
    "暖气": "the heating",
    "供暖": "the heating",
    "供热": "the heating",
    "气": "the gas supply",
    "燃气": "the gas supply",
}
_EN_VERBS = (
    "cut", "disconnect", "stop", "shut", "suspend", "interrupt", "terminat", "restrict",
    "limit", "off", "block", "halt", "withhold", "sever",
)  # fmt: skip
_EN_WHAT = (
    ("water", "the water supply"),
    ("power", "the power supply"),
    ("electric", "the power supply"),
    ("heat", "the heating"),
    ("gas", "the gas supply"),
    ("utilit", "a utility supply"),
    ("suppl", "a utility supply"),
)
_UTILITY = "a utility supply"


def _forbidden(name: str) -> str | None:
    """What ``name`` would cut, if it names a cut of a utility."""
    text = unicodedata.normalize("NFKC", name).casefold()
    for member in ForbiddenMeasure:
        # The Chinese name, as staff type it; the English names are matched below.
        if text in {member.value, member.label("zh_CN"), member.name.casefold()}:
            return member.what
    found = _ZH_CUT.search(text)
    if found:
        return _ZH_WHAT.get(found.group(3) or "", _UTILITY)
    letters = re.sub(r"[^a-z]+", "", text)
    if any(verb in letters for verb in _EN_VERBS):
        for word, what in _EN_WHAT:
            if word in letters:
                return what
    return None


def _refuse(value: object, what: str) -> ForbiddenAction:
    return ForbiddenAction(
        f"{value!r} would cut {what}: {_ART_944}",
        field="channel",
        value=value,
        allowed="a dunning channel that cuts no utility supply",
    )


class DunningChannel(enum.Enum):
    """How a dunning step reaches the debtor."""

    SMS = "sms"
    WECHAT = "wechat"
    APP = "app"
    EMAIL = "email"
    PHONE = "phone"
    VISIT = "visit"
    LETTER = "letter"
    REGISTERED_MAIL = "registered_mail"
    LAWYER_LETTER = "lawyer_letter"
    LAWSUIT = "lawsuit"
    ARBITRATION = "arbitration"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The channel for people, e.g. ``'挂号信'`` (zh_CN) or ``'registered mail'`` (en_US)."""
        # One literal per member, so that extraction finds every message.
        match self:
            case DunningChannel.SMS:
                return pgettext("dunning channel", "SMS", locale=locale)
            case DunningChannel.WECHAT:
                return pgettext("dunning channel", "WeChat", locale=locale)
            case DunningChannel.APP:
                return pgettext("dunning channel", "property app", locale=locale)
            case DunningChannel.EMAIL:
                return pgettext("dunning channel", "email", locale=locale)
            case DunningChannel.PHONE:
                return pgettext("dunning channel", "phone call", locale=locale)
            case DunningChannel.VISIT:
                return pgettext("dunning channel", "home visit", locale=locale)
            case DunningChannel.LETTER:
                return pgettext("dunning channel", "written notice", locale=locale)
            case DunningChannel.REGISTERED_MAIL:
                return pgettext("dunning channel", "registered mail", locale=locale)
            case DunningChannel.LAWYER_LETTER:
                return pgettext("dunning channel", "lawyer's letter", locale=locale)
            case DunningChannel.LAWSUIT:
                return pgettext("dunning channel", "lawsuit", locale=locale)
            case DunningChannel.ARBITRATION:
                return pgettext("dunning channel", "arbitration", locale=locale)

    @property
    def is_proceeding(self) -> bool:
        """Whether it starts a lawsuit or an arbitration (only at the legal level)."""
        return self in {DunningChannel.LAWSUIT, DunningChannel.ARBITRATION}

    @classmethod
    def parse(cls, value: object) -> DunningChannel:
        """A channel from itself, its value or its zh_CN label (any case, spaces, hyphens).

        A name of a cut of water, power, heat or gas is refused with
        :class:`~propcrm.errors.ForbiddenAction`; any other unknown name with
        :class:`~propcrm.errors.InvalidPolicy`.

        >>> DunningChannel.parse("WeChat"), DunningChannel.parse("挂号信")
        (<DunningChannel.WECHAT: 'wechat'>, <DunningChannel.REGISTERED_MAIL: 'registered_mail'>)
        >>> DunningChannel.parse("cut-power")
        Traceback (most recent call last):
        ...
        propcrm.errors.ForbiddenAction: 'cut-power' would cut the power supply: Civil Code ...
        """
        if isinstance(value, DunningChannel):
            return value
        if isinstance(value, ForbiddenMeasure):
            raise _refuse(value.value, value.what)
        if not isinstance(value, str):
            raise InvalidPolicy(
                f"channel {value!r} must be a DunningChannel or its name, e.g. 'sms' or '短信'.",
                field="channel",
                value=value,
                allowed="a DunningChannel or its name",
            )
        cut = _forbidden(value)
        if cut is not None:
            raise _refuse(value, cut)
        key = re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFKC", value).strip().casefold())
        for channel in cls:
            if key in {channel.value, channel.label("zh_CN")}:
                return channel
        allowed = ", ".join(f"{c.value} ({c.label('zh_CN')})" for c in cls)
        raise InvalidPolicy(
            f"channel {value!r} is not a dunning channel; allowed: {allowed}.",
            field="channel",
            value=value,
            allowed=allowed,
        )


def _channel(value: object) -> DunningChannel:
    return DunningChannel.parse(value)


def _channels(value: object) -> tuple[DunningChannel, ...]:
    if isinstance(value, str | DunningChannel | ForbiddenMeasure) or not isinstance(
        value, Iterable
    ):
        value = (value,)
    channels = tuple(DunningChannel.parse(v) for v in value)
    if not channels or len(set(channels)) != len(channels):
        raise InvalidPolicy(
            f"channels {channels!r} must name one or more distinct channels, e.g. ('sms',).",
            field="channels",
            value=channels,
            allowed="one or more distinct channels",
        )
    return channels


def _days(minimum: int) -> Callable[[object, attrs.Attribute[int], int], None]:
    def check(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= 3660:
            raise InvalidPolicy(
                f"{attribute.name} {value!r} must be an int from {minimum} to 3660 days.",
                field=attribute.name,
                value=value,
                allowed=f"an int from {minimum} to 3660",
            )

    return check


def _count(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise InvalidPolicy(
            f"{attribute.name} {value!r} must be an int from 1 to 100.",
            field=attribute.name,
            value=value,
            allowed="an int from 1 to 100",
        )


def _threshold(_instance: object, _attribute: object, value: Money) -> None:
    if value.is_negative or not value.is_rounded:
        raise InvalidPolicy(
            f"amount threshold {value!r} must be a Money of zero or more rounded to the fen, "
            "e.g. Money('0.01').",
            field="min_amount",
            value=value,
            allowed="a Money of zero or more rounded to the fen",
        )


@attrs.frozen
class DunningRule:
    """One level of a plan: when it is due, how often, by which channels.

    Attributes:
        level: the level.
        min_days_overdue: the oldest overdue debt is at least this many days overdue.
        min_amount: the amount overdue (principal, late fees and costs past due) is at least this.
        channels: how the step is taken (never a cut of a utility: art. 944).
        period_to_pay_days: the period to pay the step gives; the next level waits until it
            has run out (a formal demand's "reasonable period", art. 944).
        repeat_after_days: at least this many days between two steps of this level.
        max_steps: at most this many steps of this level in one episode of arrears.
    """

    level: DunningLevel = attrs.field(validator=instance_of(DunningLevel))
    min_days_overdue: int = attrs.field(validator=_days(1))
    min_amount: Money = attrs.field(converter=as_money, validator=_threshold)
    channels: tuple[DunningChannel, ...] = attrs.field(converter=_channels)
    period_to_pay_days: int = attrs.field(default=0, validator=_days(0))
    repeat_after_days: int = attrs.field(default=30, validator=_days(1))
    max_steps: int = attrs.field(default=1, validator=_count)

    def __attrs_post_init__(self) -> None:
        if self.level is DunningLevel.FORMAL_DEMAND and self.period_to_pay_days < 1:
            raise InvalidPolicy(
                "a formal demand must give a reasonable period to pay (art. 944): set "
                f"period_to_pay_days to 1 or more, e.g. {DEFAULT_PERIOD_TO_PAY_DAYS}.",
                field="period_to_pay_days",
                value=self.period_to_pay_days,
                allowed="1 or more for a formal demand",
            )
        if self.max_steps > 1 and self.repeat_after_days <= self.period_to_pay_days:
            raise InvalidPolicy(
                f"the {self.level.value} level repeats after {self.repeat_after_days} days, within "
                f"the {self.period_to_pay_days}-day period to pay it gives; repeat after more "
                "days than the period.",
                field="repeat_after_days",
                value=self.repeat_after_days,
                allowed=f"more than {self.period_to_pay_days}",
            )
        proceeding = [c.value for c in self.channels if c.is_proceeding]
        if proceeding and self.level is not DunningLevel.LEGAL:
            raise InvalidPolicy(
                f"the {self.level.value} level names {', '.join(proceeding)}; a lawsuit or an "
                "arbitration is a step of the legal level, after a formal demand (art. 944).",
                field="channels",
                value=tuple(proceeding),
                allowed="a lawsuit or an arbitration only at the legal level",
            )

    def met_by(self, facts: OverdueFacts) -> bool:
        """Whether ``facts`` reach both thresholds."""
        return facts.days >= self.min_days_overdue and facts.amount >= self.min_amount


DEFAULT_REMINDER = DunningRule(
    DunningLevel.REMINDER,
    min_days_overdue=1,
    min_amount=Money("0.01"),
    channels=(DunningChannel.SMS, DunningChannel.WECHAT),
    period_to_pay_days=7,
    repeat_after_days=10,
    max_steps=3,
)
"""From the first overdue day, by SMS and WeChat, pay within 7 days; up to 3, 10 days apart
(our choice: the brief gives no figures)."""

DEFAULT_FORMAL_DEMAND = DunningRule(
    DunningLevel.FORMAL_DEMAND,
    min_days_overdue=30,
    min_amount=Money("0.01"),
    channels=(DunningChannel.LETTER, DunningChannel.REGISTERED_MAIL),
    period_to_pay_days=DEFAULT_PERIOD_TO_PAY_DAYS,
    repeat_after_days=30,
    max_steps=2,
)
"""From 30 days overdue, a letter by registered mail giving 15 days to pay; up to 2, 30 days
apart (our choice, beside the issue's 15 days)."""

DEFAULT_LEGAL = DunningRule(
    DunningLevel.LEGAL,
    min_days_overdue=90,
    min_amount=Money("1000.00"),
    channels=(DunningChannel.LAWSUIT, DunningChannel.ARBITRATION),
    repeat_after_days=365,
    max_steps=1,
)
"""From 90 days and 1,000.00 overdue, after a formal demand whose period has run out: a
lawsuit or arbitration, once (our choice)."""

DEFAULT_DUNNING_LEVELS = (DEFAULT_REMINDER, DEFAULT_FORMAL_DEMAND, DEFAULT_LEGAL)
"""Reminder, formal demand, legal."""


def _rules(value: object) -> tuple[DunningRule, ...]:
    if not isinstance(value, Iterable):
        raise InvalidPolicy(
            f"levels {value!r} must be a sequence of DunningRule.",
            field="levels",
            value=value,
            allowed="a sequence of DunningRule",
        )
    rules = tuple(value)
    if not rules or not all(isinstance(r, DunningRule) for r in rules):
        raise InvalidPolicy(
            f"levels {rules!r} must be one or more DunningRule.",
            field="levels",
            value=rules,
            allowed="one or more DunningRule",
        )
    return rules


def _aging(_instance: object, _attribute: object, value: object) -> None:
    if not isinstance(value, AgingPolicy):
        raise InvalidPolicy(
            f"aging {value!r} must be an AgingPolicy (its limitation_years decide which debt is "
            "time-barred), e.g. AgingPolicy(limitation_years=3).",
            field="aging",
            value=value,
            allowed="an AgingPolicy",
        )


def _community(_instance: object, _attribute: attrs.Attribute[str], value: str) -> None:
    check_text(value, "community", InvalidPolicy, example="'SUNRISE'")


def _flag(_instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidPolicy(
            f"{attribute.name} {value!r} must be True or False.",
            field=attribute.name,
            value=value,
            allowed="True or False",
        )


@attrs.frozen
class DunningPlan:
    """A community's dunning plan.

    Attributes:
        community: the community's code; every account dunned must be billed by it.
        levels: the rules, one per level, in escalation order (reminder optional; a legal
            level needs a formal demand before it). Thresholds may not fall as levels rise.
        hold_disputed: skip accounts with an open dispute (default: yes).
        hold_deferred: skip accounts with a deferral in force (default: yes).
        currency: the currency of the amount thresholds.
        aging: the limitation period (its ``limitation_years``, Civil Code art. 188) that
            decides which overdue debt is time-barred; give the policy the arrears report uses.
        claim_time_barred: whether a legal step claims debt past the limitation period too
            (default: no; it is shown apart and left out of the claim and the legal level's
            thresholds, since the debtor may refuse it, art. 192).
    """

    community: str = attrs.field(validator=_community)
    levels: tuple[DunningRule, ...] = attrs.field(default=DEFAULT_DUNNING_LEVELS, converter=_rules)
    hold_disputed: bool = attrs.field(default=True, validator=_flag)
    hold_deferred: bool = attrs.field(default=True, validator=_flag)
    currency: str = attrs.field(default=CNY, validator=lambda _i, _a, v: check_currency(v))
    aging: AgingPolicy = attrs.field(default=DEFAULT_AGING, validator=_aging)
    claim_time_barred: bool = attrs.field(default=False, validator=_flag)

    def __attrs_post_init__(self) -> None:
        ranks = [rule.level.rank for rule in self.levels]
        if ranks != sorted(set(ranks)):
            raise InvalidPolicy(
                f"levels {[r.level.value for r in self.levels]} must be distinct and in the "
                "order reminder, formal_demand, legal.",
                field="levels",
                value=tuple(r.level.value for r in self.levels),
                allowed="distinct levels in the order reminder, formal_demand, legal",
            )
        names = [r.level for r in self.levels]
        if DunningLevel.LEGAL in names and DunningLevel.FORMAL_DEMAND not in names:
            raise InvalidPolicy(
                "a plan with a legal level needs a formal demand before it: art. 944 allows a "
                "lawsuit or arbitration only once a reasonable period to pay has run out.",
                field="levels",
                value=tuple(n.value for n in names),
                allowed="a formal demand level before the legal level",
            )
        for lower, higher in itertools.pairwise(self.levels):
            if (
                higher.min_days_overdue < lower.min_days_overdue
                or higher.min_amount < lower.min_amount
            ):
                raise InvalidPolicy(
                    f"the {higher.level.value} level's thresholds ({higher.min_days_overdue} "
                    f"days, {higher.min_amount.amount:f}) fall below the {lower.level.value} "
                    f"level's ({lower.min_days_overdue} days, {lower.min_amount.amount:f}); "
                    "thresholds may not fall as levels rise.",
                    field="levels",
                    value=higher.level.value,
                    allowed=f"thresholds at least the {lower.level.value} level's",
                )
        for rule in self.levels:
            if rule.min_amount.currency != self.currency:
                raise CurrencyMismatch(
                    f"the {rule.level.value} threshold is in {rule.min_amount.currency}; the "
                    f"plan is in {self.currency}.",
                    field="min_amount",
                    value=rule.min_amount,
                    allowed=f"an amount in {self.currency}",
                    level=rule.level.value,
                )

    def rule(self, level: DunningLevel) -> DunningRule:
        """The plan's rule for ``level``."""
        check_instance(level, "level", DunningLevel)
        for rule in self.levels:
            if rule.level is level:
                return rule
        raise InvalidPolicy(
            f"this plan has no {level.value} level.",
            field="level",
            value=level,
            allowed=", ".join(r.level.value for r in self.levels),
        )


def _unit_id(_instance: object, _attribute: attrs.Attribute[str], value: str) -> None:
    check_record_id(value, "unit_id", InvalidUnit)


@attrs.frozen
class StepTaken:
    """A dunning step that was taken: the history :func:`due_steps` reads its cadence from.

    ``channel`` is parsed like a plan's: a cut of water, power, heat or gas is refused.
    """

    unit_id: str = attrs.field(validator=_unit_id)
    billed_party: str | None = attrs.field(validator=valid_party)
    level: DunningLevel = attrs.field(validator=instance_of(DunningLevel))
    taken_on: pendulum.Date = attrs.field(converter=taken_on_date)
    channel: DunningChannel = attrs.field(converter=_channel)
    reference: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(valid_reference)
    )

    @property
    def account(self) -> AccountKey:
        """The account the step was taken for."""
        return self.unit_id, self.billed_party


@attrs.frozen
class OverdueFacts:
    """What the plan read of an account: its overdue debts as of the date.

    Attributes:
        days: days overdue of the oldest debt still owed (0: nothing overdue).
        amount: principal, late fees and costs of every overdue statement.
        principal: of which principal.
        late_fees: of which late fees.
        costs: of which collection costs.
        oldest_due_on: the due date of the oldest overdue debt.
        statements: the overdue statements' numbers, oldest first.
    """

    days: int
    amount: Money
    principal: Money
    late_fees: Money
    costs: Money
    oldest_due_on: pendulum.Date | None
    statements: tuple[str, ...]


class HoldKind(enum.Enum):
    """Why an account is not dunned."""

    DISPUTE = "dispute"
    DEFERRAL = "deferral"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The hold, for people: ``'异议'``/``'缓缴'`` (zh_CN), ``'dispute'``/``'deferral'``."""
        match self:
            case HoldKind.DISPUTE:
                return pgettext("dunning hold", "dispute", locale=locale)
            case HoldKind.DEFERRAL:
                return pgettext("dunning hold", "deferral", locale=locale)


@attrs.frozen
class Hold:
    """A dispute open, or a deferral in force, on one statement of an account."""

    kind: HoldKind
    statement: str
    references: tuple[str, ...]
    until: pendulum.Date | None  # a deferral: the deferred due date


class DecisionKind(enum.Enum):
    """What :func:`due_steps` decided for one account."""

    STEP_DUE = "step_due"
    WAITING = "waiting"
    ON_HOLD = "on_hold"
    NOTHING_DUE = "nothing_due"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The decision for people, e.g. ``'暂缓催缴'`` (zh_CN) or ``'on hold'`` (en_US)."""
        match self:
            case DecisionKind.STEP_DUE:
                return pgettext("dunning decision", "step due", locale=locale)
            case DecisionKind.WAITING:
                return pgettext("dunning decision", "waiting", locale=locale)
            case DecisionKind.ON_HOLD:
                return pgettext("dunning decision", "on hold", locale=locale)
            case DecisionKind.NOTHING_DUE:
                return pgettext("dunning decision", "nothing due", locale=locale)


class DecisionReason(enum.Enum):
    """The rule behind a decision."""

    FIRST_STEP = "first_step"
    """The first step of the plan's first level in this episode of arrears."""
    ESCALATION = "escalation"
    """A higher level: its thresholds are met and the lower level's period to pay has run out."""
    REPEAT = "repeat"
    """The same level again: its cadence has passed and it has steps left."""
    CADENCE = "cadence"
    """Waiting: the last step of the level was too recent."""
    STEPS_USED = "steps_used"
    """Waiting: the level's steps are used up and the next level is not yet allowed."""
    DISPUTE = "dispute"
    """On hold: a dispute is open (plan.hold_disputed)."""
    DEFERRAL = "deferral"
    """On hold: a deferral is in force (plan.hold_deferred)."""
    NOTHING_OVERDUE = "nothing_overdue"
    """Nothing is past its due date."""
    BELOW_THRESHOLD = "below_threshold"
    """Overdue, but below the first level's thresholds."""

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The reason for people, e.g. ``'催缴间隔未到'`` (zh_CN) or ``'cadence'`` (en_US)."""
        match self:
            case DecisionReason.FIRST_STEP:
                return pgettext("dunning reason", "first step", locale=locale)
            case DecisionReason.ESCALATION:
                return pgettext("dunning reason", "escalation", locale=locale)
            case DecisionReason.REPEAT:
                return pgettext("dunning reason", "repeat", locale=locale)
            case DecisionReason.CADENCE:
                return pgettext("dunning reason", "cadence", locale=locale)
            case DecisionReason.STEPS_USED:
                return pgettext("dunning reason", "steps used up", locale=locale)
            case DecisionReason.DISPUTE:
                return pgettext("dunning reason", "dispute", locale=locale)
            case DecisionReason.DEFERRAL:
                return pgettext("dunning reason", "deferral", locale=locale)
            case DecisionReason.NOTHING_OVERDUE:
                return pgettext("dunning reason", "nothing overdue", locale=locale)
            case DecisionReason.BELOW_THRESHOLD:
                return pgettext("dunning reason", "below threshold", locale=locale)


@attrs.frozen
class DunningDecision:
    """The decision for one account, with everything it was based on, as data.

    Attributes:
        unit_id: the account's unit.
        billed_party: the account's billed party.
        as_of: the date of the decision.
        kind: step due, waiting, on hold or nothing due.
        reason: the rule behind it.
        overdue: the overdue debts read.
        level: the level due (or waited for, or last reached when its steps are used up).
        rule: that level's rule, whose thresholds were met.
        channels: the channels to take the step by (a step due only).
        pay_by: the last day to pay the step gives (a step due with a period to pay).
        step_number: which step of its level this would be (1 for the first).
        last_step: the last step taken in this episode of arrears, any level.
        last_at_level: the last step of ``level`` in this episode.
        escalated_after: the lower level's step whose period to pay has run out (escalation).
        next_on: waiting: the first day the level may repeat (``None``: its steps are used up).
        escalation_on: waiting: the first day the next level's prerequisite holds, if any.
        holds: on hold: the disputes and deferrals behind it.
        time_barred: the overdue debt past its limitation period as of the date (arts. 188,
            195), with the statements it comes from (``None``: none is).
        claim: at the legal level, the overdue debt the step claims: all of it, less the
            time-barred part unless the plan claims that too (``None`` below the legal level).
    """

    unit_id: str
    billed_party: str | None
    as_of: pendulum.Date
    kind: DecisionKind
    reason: DecisionReason
    overdue: OverdueFacts
    level: DunningLevel | None = None
    rule: DunningRule | None = None
    channels: tuple[DunningChannel, ...] = ()
    pay_by: pendulum.Date | None = None
    step_number: int = 0
    last_step: StepTaken | None = None
    last_at_level: StepTaken | None = None
    escalated_after: StepTaken | None = None
    next_on: pendulum.Date | None = None
    escalation_on: pendulum.Date | None = None
    holds: tuple[Hold, ...] = ()
    time_barred: OverdueFacts | None = None
    claim: OverdueFacts | None = None

    @property
    def account(self) -> AccountKey:
        """The account decided on."""
        return self.unit_id, self.billed_party

    def record(
        self,
        channel: DunningChannel | str | None = None,
        *,
        on: datetime.date | None = None,
        reference: str | None = None,
    ) -> StepTaken:
        """The history record of taking this step (by its first channel unless told).

        Raises:
            InvalidPolicy: no step is due, or ``channel`` is not one of the step's channels.
            ForbiddenAction: ``channel`` names a cut of a utility.
        """
        if self.kind is not DecisionKind.STEP_DUE or self.level is None:
            raise InvalidPolicy(
                f"no step is due for unit {self.unit_id} ({self.kind.value}); only a due step "
                "can be recorded.",
                unit_id=self.unit_id,
                billed_party=self.billed_party,
                kind=self.kind.value,
            )
        chosen = self.channels[0] if channel is None else DunningChannel.parse(channel)
        if chosen not in self.channels:
            allowed = ", ".join(c.value for c in self.channels)
            raise InvalidPolicy(
                f"channel {chosen.value} is not one of this {self.level.value} step's "
                f"channels: {allowed}.",
                field="channel",
                value=chosen,
                allowed=allowed,
            )
        day = self.as_of if on is None else as_date(on, "on")
        return StepTaken(self.unit_id, self.billed_party, self.level, day, chosen, reference)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for people, in ``locale``.

        For example ``1-2-0301 (owner-17): reminder #1 due by SMS/WeChat — CN¥1,063.00 overdue,
        oldest 21 days, pay by Jan 7, 2027`` (en_US). A legal step says what it claims, and any
        time-barred debt is named apart with its statements: ``… legal action #1 due by
        lawsuit/arbitration — claims CN¥1,770.60 of CN¥7,650.60 overdue, oldest 1,300 days;
        CN¥5,880.00 time-barred, left out (SUNRISE/2023-05/2-1-0101)``.
        """
        name = check_locale(locale)
        who = (
            self.unit_id
            if self.billed_party is None
            else gettext(
                "%(unit)s (%(party)s)", locale=name, unit=self.unit_id, party=self.billed_party
            )
        )
        line = self._headline(name, who)
        if self.time_barred is None:
            return line
        return gettext(
            "%(decision)s; %(time_barred)s",
            locale=name,
            decision=line,
            time_barred=self._time_barred(name),
        )

    def _owed(self, locale: str) -> str:
        amount = format_money(self.overdue.amount, locale)
        if self.claim is None:
            return ngettext(
                "%(amount)s overdue, oldest %(num)s day",
                "%(amount)s overdue, oldest %(num)s days",
                self.overdue.days,
                locale=locale,
                amount=amount,
                num=format_decimal(self.overdue.days, locale=locale),
            )
        return ngettext(
            "claims %(claim)s of %(amount)s overdue, oldest %(num)s day",
            "claims %(claim)s of %(amount)s overdue, oldest %(num)s days",
            self.overdue.days,
            locale=locale,
            claim=format_money(self.claim.amount, locale),
            amount=amount,
            num=format_decimal(self.overdue.days, locale=locale),
        )

    def _time_barred(self, locale: str) -> str:
        barred = self.time_barred
        assert barred is not None  # only called when there is a time-barred part
        values = {
            "amount": format_money(barred.amount, locale),
            "statements": format_list(list(barred.statements), locale=locale),
        }
        if self.claim is None:
            # Below the legal level nothing is claimed, so nothing is left out either.
            return gettext("%(amount)s time-barred (%(statements)s)", locale=locale, **values)
        if barred.statements[0] in self.claim.statements:
            return gettext(
                "%(amount)s time-barred, claimed (%(statements)s)", locale=locale, **values
            )
        return gettext("%(amount)s time-barred, left out (%(statements)s)", locale=locale, **values)

    def _headline(self, locale: str, who: str) -> str:
        if self.kind is DecisionKind.STEP_DUE and self.level is not None:
            values = {
                "who": who,
                "level": self.level.label(locale),
                "step": self.step_number,
                "channels": "/".join(c.label(locale) for c in self.channels),
                "owed": self._owed(locale),
            }
            if self.pay_by is None:
                return gettext(
                    "%(who)s: %(level)s #%(step)d due by %(channels)s — %(owed)s",
                    locale=locale,
                    **values,
                )
            return gettext(
                "%(who)s: %(level)s #%(step)d due by %(channels)s — %(owed)s, pay by %(pay_by)s",
                locale=locale,
                pay_by=format_date(self.pay_by, "medium", locale=locale),
                **values,
            )
        if self.kind is DecisionKind.WAITING and self.level is not None:
            values = {
                "who": who,
                "reason": self.reason.label(locale),
                "level": self.level.label(locale),
                "owed": self._owed(locale),
            }
            if self.next_on is None:
                return gettext(
                    "%(who)s: waiting (%(reason)s) at %(level)s — %(owed)s",
                    locale=locale,
                    **values,
                )
            return gettext(
                "%(who)s: waiting (%(reason)s) at %(level)s until %(until)s — %(owed)s",
                locale=locale,
                until=format_date(self.next_on, "medium", locale=locale),
                **values,
            )
        if self.kind is DecisionKind.ON_HOLD:
            holds = [
                gettext(
                    "%(hold)s %(references)s",
                    locale=locale,
                    hold=h.kind.label(locale),
                    references="/".join(h.references),
                )
                for h in self.holds
            ]
            return gettext(
                "%(who)s: on hold (%(holds)s) — %(owed)s",
                locale=locale,
                who=who,
                holds=format_list(holds, locale=locale),
                owed=self._owed(locale),
            )
        return gettext(
            "%(who)s: nothing due (%(reason)s)",
            locale=locale,
            who=who,
            reason=self.reason.label(locale),
        )


@attrs.frozen
class DunningResult:
    """The decisions of one run of a plan, one per account, by unit and party."""

    plan: DunningPlan
    as_of: pendulum.Date
    decisions: tuple[DunningDecision, ...]

    def _of(self, kind: DecisionKind) -> tuple[DunningDecision, ...]:
        return tuple(d for d in self.decisions if d.kind is kind)

    @property
    def due(self) -> tuple[DunningDecision, ...]:
        """The accounts due a step."""
        return self._of(DecisionKind.STEP_DUE)

    @property
    def waiting(self) -> tuple[DunningDecision, ...]:
        """The accounts overdue but waiting on the cadence."""
        return self._of(DecisionKind.WAITING)

    @property
    def on_hold(self) -> tuple[DunningDecision, ...]:
        """The accounts skipped for a dispute or a deferral, with why."""
        return self._of(DecisionKind.ON_HOLD)

    def decision(self, unit_id: str, billed_party: str | None) -> DunningDecision:
        """The decision for one account."""
        for decision in self.decisions:
            if decision.account == (unit_id, billed_party):
                return decision
        raise UnknownAccount(
            f"this run holds no account of unit {unit_id} billed to {billed_party}; it decided "
            f"on {len(self.decisions)} accounts.",
            unit_id=unit_id,
            billed_party=billed_party,
        )


def _facts(account: AccountOwed, overdue: Sequence[StatementOwed]) -> OverdueFacts:
    currency = account.currency
    # The rows are by due date, so the first overdue one is the oldest.
    return OverdueFacts(
        days=days_past_due(overdue[0].due_on, account.as_of) if overdue else 0,
        amount=Money.total((r.total for r in overdue), currency),
        principal=Money.total((r.principal for r in overdue), currency),
        late_fees=Money.total((r.late_fees for r in overdue), currency),
        costs=Money.total((r.costs for r in overdue), currency),
        oldest_due_on=overdue[0].due_on if overdue else None,
        statements=tuple(r.number for r in overdue),
    )


_HELD = frozenset({StatementState.DISPUTED, StatementState.DEFERRED})


def _holds(plan: DunningPlan, account: AccountOwed) -> tuple[Hold, ...]:
    """The disputes open and deferrals in force on statements that still owe something."""
    if not (plan.hold_disputed or plan.hold_deferred):
        return ()
    if not any(row.state in _HELD for row in account.rows):
        return ()
    # Rare: only now read the full balance, for the references of the disputes and deferrals
    # (a statement both disputed and deferred shows as disputed in the light rows).
    source = account.source
    balance = source.balance(account.as_of) if isinstance(source, Account) else source
    holds: list[Hold] = []
    for row in balance.statements:
        if not (row.principal_outstanding or row.late_fee_outstanding or row.costs_outstanding):
            continue
        if plan.hold_disputed and row.open_disputes:
            holds.append(Hold(HoldKind.DISPUTE, row.number, row.open_disputes, None))
        if plan.hold_deferred and row.deferrals and account.as_of <= row.due_on:
            holds.append(Hold(HoldKind.DEFERRAL, row.number, row.deferrals, row.due_on))
    return tuple(holds)


def _decide(
    plan: DunningPlan,
    account: AccountOwed,
    history: Sequence[StepTaken],
    demands: Iterable[datetime.date],
) -> DunningDecision:
    day = account.as_of
    overdue = [row for row in account.rows if days_past_due(row.due_on, day) > 0]
    facts = _facts(account, overdue)
    # Past its limitation period a debt may be refused (art. 192): shown apart, and claimed
    # in a lawsuit only if the plan says so.
    barred: list[StatementOwed] = []
    live: list[StatementOwed] = []
    interrupted = tuple(d for d in demands if d <= day)
    for row in overdue:
        past = day > plan.aging.limitation_ends_on(row.due_on, interrupted)
        (barred if past else live).append(row)
    claimable = _facts(account, live) if barred and not plan.claim_time_barred else facts
    nothing = DunningDecision(
        account.unit_id,
        account.billed_party,
        day,
        DecisionKind.NOTHING_DUE,
        DecisionReason.NOTHING_OVERDUE,
        facts,
        time_barred=_facts(account, barred) if barred else None,
    )
    if facts.oldest_due_on is None:
        return nothing
    holds = _holds(plan, account)
    if holds:
        first = holds[0].kind
        reason = DecisionReason.DISPUTE if first is HoldKind.DISPUTE else DecisionReason.DEFERRAL
        return attrs.evolve(nothing, kind=DecisionKind.ON_HOLD, reason=reason, holds=holds)
    # Steps before the oldest overdue debt fell due were about arrears since settled.
    episode = sorted(
        (s for s in history if facts.oldest_due_on < s.taken_on <= day),
        key=lambda s: (s.taken_on, s.level.rank),
    )
    last_step = episode[-1] if episode else None
    taken = {rule.level: [s for s in episode if s.level is rule.level] for rule in plan.levels}

    def opens_on(index: int) -> pendulum.Date | None:
        """The first day level ``index``'s prerequisite holds (None: not as things stand)."""
        if index == 0:
            return day
        lower = plan.levels[index - 1]
        steps = taken[lower.level]
        return steps[-1].taken_on.add(days=lower.period_to_pay_days + 1) if steps else None

    def read(index: int) -> OverdueFacts:
        """The facts level ``index`` is judged on: a lawsuit only on debt it can claim."""
        return claimable if plan.levels[index].level is DunningLevel.LEGAL else facts

    top = None
    for index in range(len(plan.levels) - 1, -1, -1):
        opens = opens_on(index)
        if plan.levels[index].met_by(read(index)) and opens is not None and opens <= day:
            top = index
            break
    if top is None:
        return attrs.evolve(nothing, reason=DecisionReason.BELOW_THRESHOLD, last_step=last_step)
    rule = plan.levels[top]
    steps = taken[rule.level]
    reached = attrs.evolve(
        nothing,
        level=rule.level,
        rule=rule,
        step_number=len(steps) + 1,
        last_step=last_step,
        last_at_level=steps[-1] if steps else None,
        escalated_after=taken[plan.levels[top - 1].level][-1] if top else None,
        claim=claimable if rule.level is DunningLevel.LEGAL else None,
    )
    if steps:
        next_on = steps[-1].taken_on.add(days=rule.repeat_after_days)
        used = len(steps) >= rule.max_steps
        if used or day < next_on:
            return attrs.evolve(
                reached,
                kind=DecisionKind.WAITING,
                reason=DecisionReason.STEPS_USED if used else DecisionReason.CADENCE,
                next_on=None if used else next_on,
                escalation_on=opens_on(top + 1) if top + 1 < len(plan.levels) else None,
            )
        reason = DecisionReason.REPEAT
    else:
        reason = DecisionReason.ESCALATION if top else DecisionReason.FIRST_STEP
    return attrs.evolve(
        reached,
        kind=DecisionKind.STEP_DUE,
        reason=reason,
        channels=rule.channels,
        pay_by=day.add(days=rule.period_to_pay_days) if rule.period_to_pay_days else None,
    )


def due_steps(
    plan: DunningPlan,
    accounts: Iterable[Account | AccountBalance],
    as_of: datetime.date,
    history: Iterable[StepTaken] = (),
    *,
    interruptions: Mapping[AccountKey, Iterable[datetime.date]] | None = None,
) -> DunningResult:
    """Which accounts are due which step of ``plan`` as of ``as_of``, and why.

    Each decision also shows the overdue debt past its limitation period apart
    (``time_barred``); a legal step claims it only if ``plan.claim_time_barred``.

    Args:
        plan: the community's plan.
        accounts: accounts, or their balances as of ``as_of``, each once.
        as_of: the date.
        history: the steps taken so far (any accounts, any dates; steps after ``as_of`` and
            steps for other accounts are not read).
        interruptions: per account, the days demands for payment reached the debtor and
            interrupted the limitation period (art. 195). Default: the days of the steps in
            ``history`` (see :func:`demand_dates`); pass your own when some steps never
            reached the debtor.

    Returns:
        One decision per account, by unit and billed party.

    Raises:
        CommunityMismatch: an account with a statement of another community.
        CurrencyMismatch: an account in another currency than the plan's thresholds.
        AsOfMismatch, DuplicateAccount: see :func:`owed_as_of`.
    """
    check_instance(plan, "plan", DunningPlan)
    day = as_date(as_of, "as_of")
    owed = owed_as_of(accounts, day)
    steps: dict[AccountKey, list[StepTaken]] = {}
    for step in items_of(history, "history", StepTaken):
        steps.setdefault(step.account, []).append(step)
    if interruptions is not None and not isinstance(interruptions, Mapping):
        raise InvalidType(
            f"interruptions {interruptions!r} must map accounts (unit, billed party) to dates.",
            field="interruptions",
            value=interruptions,
            allowed="a mapping of (unit id, billed party) to dates",
        )
    breaks: Mapping[AccountKey, Iterable[datetime.date]]
    if interruptions is None:
        breaks = {key: [s.taken_on for s in taken] for key, taken in steps.items()}
    else:
        breaks = {
            key: [as_date(d, "interruptions") for d in items_of(days, "interruptions", object)]
            for key, days in interruptions.items()
        }
    decisions = []
    for account in owed:
        if account.currency != plan.currency:
            raise CurrencyMismatch(
                f"the account of unit {account.unit_id} is in {account.currency}; plan "
                f"{plan.community}'s thresholds are in {plan.currency}.",
                field="currency",
                value=account.currency,
                allowed=plan.currency,
                unit_id=account.unit_id,
            )
        others = sorted(account.communities - {plan.community})
        if others:
            raise CommunityMismatch(
                f"the account of unit {account.unit_id} holds statements of community "
                f"{', '.join(others)}, not {plan.community}; dun each community with its own "
                "plan.",
                field="community",
                value=tuple(others),
                allowed=plan.community,
                unit_id=account.unit_id,
            )
        decisions.append(
            _decide(plan, account, steps.get(account.key, ()), breaks.get(account.key, ()))
        )
    decisions.sort(key=lambda d: (d.unit_id, d.billed_party or ""))
    return DunningResult(plan, day, tuple(decisions))


def demand_dates(history: Iterable[StepTaken]) -> dict[AccountKey, tuple[pendulum.Date, ...]]:
    """Per account, the days of the steps taken: each a demand for payment (履行请求).

    A demand that reached the debtor interrupts the limitation period (Civil Code art. 195);
    pass the result as :func:`~propcrm.receivables.arrears_as_of`'s ``interruptions``. Give
    only the steps that reached the debtor (a letter delivered, an SMS received).

    >>> step = StepTaken(
    ...     "1-2-0301", "owner-17", DunningLevel.REMINDER, pendulum.date(2026, 12, 31), "sms"
    ... )
    >>> demand_dates([step])
    {('1-2-0301', 'owner-17'): (Date(2026, 12, 31),)}
    """
    dates: dict[AccountKey, set[pendulum.Date]] = {}
    for step in items_of(history, "history", StepTaken):
        dates.setdefault(step.account, set()).add(step.taken_on)
    return {key: tuple(sorted(days)) for key, days in dates.items()}
