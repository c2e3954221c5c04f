"""Special-service orders, from an accepted quote to a charge on the unit's fee notice (§3).

Special services (特约服务) are "market priced from a price list published in advance, costed
separately" (brief §3). A special-service :class:`~propcrm.complaints.Request` carries the whole
order: it is quoted from the list in force (:func:`~propcrm.complaints.quote_service`), the
customer accepts the quote, the work is done (the request is resolved), and the charge goes on
the unit's next fee notice at the price the customer accepted:

1. :func:`billable_orders` turns a unit's performed, accepted, not yet posted requests into
   billing orders. Each names its quote's price-list version, so billing charges the accepted
   price even when a newer list took effect between the quote and the work.
2. Billing puts them on the notice: ``BillingRun.bill(unit, UnitUsage(orders=orders))``.
3. :func:`post_charges` checks that each special-service line of the notice is exactly its
   request's quote, and takes each request's ``post_charge`` step, naming the notice; the
   lifecycle posts a charge once, so the next notice does not bill it again.

A household has two air conditioners cleaned at the 2026A price:

>>> import pendulum
>>> from propcrm.billing import PriceItem, PriceList, PriceLists
>>> from propcrm.complaints import (
...     Action,
...     Actor,
...     Intake,
...     IntakeChannel,
...     Request,
...     RequestKind,
...     Role,
...     quote_service,
... )
>>> from propcrm.money import Money
>>> from propcrm.classification import Category
>>> price_lists = PriceLists(
...     [
...         PriceList(
...             "2026A",
...             effective_from=pendulum.date(2026, 1, 1),
...             published_on=pendulum.date(2025, 12, 1),
...             items=[PriceItem("AC-CLEAN", "空调清洗", Money("80.00"), "台")],
...         )
...     ]
... )
>>> agent, fitter = Actor("KF-01", Role.AGENT), Actor("W-07", Role.HANDLER)
>>> at = pendulum.datetime(2026, 11, 2, 9, 0, tz="Asia/Shanghai")
>>> intake = Intake(
...     request_id="SS-0001",
...     kind=RequestKind.SPECIAL_SERVICE,
...     requester="P-301",
...     unit="1-2-0301",
...     channel=IntakeChannel.APP,
...     category=Category.HEATING_AIR_CONDITIONING,
...     description="两台空调清洗",
... )
>>> request = Request.receive(intake, agent, at)
>>> request = request.take(Action.ACKNOWLEDGE, agent, at.add(minutes=5))
>>> request = request.take(Action.ASSESS, agent, at.add(minutes=10))
>>> quote = quote_service(price_lists, "AC-CLEAN", 2, at.date())
>>> request = request.take(Action.QUOTE, agent, at.add(minutes=15), quote=quote)
>>> request = request.take(Action.ACCEPT_QUOTE, Actor("P-301", Role.REQUESTER), at.add(hours=1))
>>> request = request.take(Action.DISPATCH, agent, at.add(hours=2), assignee="W-07")
>>> request = request.take(Action.START, fitter, at.add(days=3))
>>> request = request.take(Action.RESOLVE, fitter, at.add(days=3, hours=2), note="两台已清洗")
>>> billable_orders([request], unit="1-2-0301", through=pendulum.date(2026, 11, 30))
(SpecialServiceOrder(order_id='SS-0001', service_code='AC-CLEAN', quantity=Decimal('2'),
 performed_on=Date(2026, 11, 5), price_list_version='2026A'),)

``tests/test_special_services.py`` goes on to bill the order and post the charge.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

import pendulum

from propcrm._validators import check_instance
from propcrm.billing import (
    ChargeLine,
    SpecialServiceOrder,
    Statement,
)
from propcrm.complaints._actors import Actor
from propcrm.complaints._kinds import RequestKind
from propcrm.complaints._quotes import Quote
from propcrm.complaints._requests import Request
from propcrm.complaints._transitions import Action
from propcrm.errors import QuoteError
from propcrm.time import (
    as_date,
    local_date,
)

__all__ = ["billable_orders", "post_charge", "post_charges"]


def billable_orders(
    requests: Iterable[Request], *, unit: str, through: datetime.date
) -> tuple[SpecialServiceOrder, ...]:
    """The orders to bill on ``unit``'s notice: its special services performed by ``through``.

    An order is billable once its request's quote was accepted, the work was performed (the
    request resolved, on or before ``through`` as a local date in the request policy's zone),
    and the charge is not posted yet. A request whose state does not allow posting its charge
    (a resolved order reopened for rework, then withdrawn or not yet resolved again) waits:
    it is billed once the lifecycle could record the posting. Each order is priced from its
    quote's price-list version, performed on the date of the request's latest resolution.

    Requests of other units and kinds are passed over; the orders come sorted by the day the
    work was performed, then by request id. A request id given twice raises
    :class:`~propcrm.errors.QuoteError`: two versions of one request cannot both be billed.
    """
    if not isinstance(unit, str) or not unit.strip():
        raise QuoteError(
            f"billable_orders needs a unit id (non-empty text), not {unit!r}.",
            field="unit",
            value=unit,
            allowed="a unit id (non-empty text)",
        )
    last = as_date(through, "through")
    orders: list[SpecialServiceOrder] = []
    for request in _requests(requests):
        if request.kind is not RequestKind.SPECIAL_SERVICE or request.intake.unit != unit:
            continue
        order = _billable_order(request, last)
        if order is not None:
            orders.append(order)
    return tuple(sorted(orders, key=lambda o: (o.performed_on, o.order_id)))


def _billable_order(request: Request, through: pendulum.Date) -> SpecialServiceOrder | None:
    quote = request.quote
    resolved_at = request.resolved_at
    if (
        quote is None
        or not request.quote_accepted
        or request.charge_statement is not None
        or resolved_at is None
    ):
        return None
    performed_on = local_date(resolved_at, request.policy.zone)
    # Billing an order whose posting the lifecycle would refuse would leave the charge unposted,
    # and the next notice would bill it again.
    if performed_on > through or Action.POST_CHARGE not in request.allowed_actions:
        return None
    return SpecialServiceOrder(
        request.request_id,
        quote.service_code,
        quote.quantity,
        performed_on,
        price_list_version=quote.price_list_version,
    )


def post_charge(
    request: Request, statement: Statement, actor: Actor, at: datetime.datetime
) -> Request:
    """``request`` after posting its charge to ``statement`` (its ``post_charge`` step).

    The lifecycle refuses the step unless the request is a special service with an accepted
    quote, performed, and not posted before (a charge is posted once). The statement must be
    the request's unit's and carry exactly one line for the request's order (matched by the
    order id of the line's explanation), and that line must bill what was quoted: the same
    service, quantity, price-list version and amount. Anything else raises
    :class:`~propcrm.errors.QuoteError`: a different amount means the notice was priced from
    another list or rounded otherwise than the quote the customer accepted.

    The full flow is in the module's example and in ``tests/test_special_services.py``.
    """
    check_instance(request, "request", Request)
    check_instance(statement, "statement", Statement)
    # The step is checked first: a refused posting (twice, unaccepted) says so in its own words.
    posted = request.take(Action.POST_CHARGE, actor, at, statement=statement.number)
    quote = posted.quote
    assert quote is not None  # the post_charge guard refuses a request without an accepted quote
    if statement.unit_id != request.intake.unit:
        raise QuoteError(
            f"request {request.request_id} is for unit {request.intake.unit}, but statement "
            f"{statement.number} is unit {statement.unit_id}'s; post it to its own unit's notice.",
            request_id=request.request_id,
            unit=request.intake.unit,
            statement=statement.number,
            statement_unit=statement.unit_id,
        )
    _check_billed_as_quoted(request.request_id, quote, _line_of(request.request_id, statement))
    return posted


def post_charges(
    requests: Iterable[Request], statement: Statement, actor: Actor, at: datetime.datetime
) -> tuple[Request, ...]:
    """The requests whose charges ``statement`` carries, each posted to it by :func:`post_charge`.

    Pass the requests the notice's orders came from (others, of any unit or kind, are passed
    over); the result holds the changed requests, in the order of the notice's lines, for the
    host to store. Every special-service line of the notice must belong to one of the requests
    given: a charge no request records as posted would be billed again on the next notice, so
    it raises :class:`~propcrm.errors.QuoteError`, as does a request id given twice. If any
    posting is refused, none is returned.
    """
    check_instance(statement, "statement", Statement)
    by_id = {request.request_id: request for request in _requests(requests)}
    posted: list[Request] = []
    for line in statement.lines:
        order = line.explanation.order
        if order is None:
            continue
        billed = by_id.get(order.order_id)
        if billed is None:
            raise QuoteError(
                f"statement {statement.number} charges special-service order {order.order_id}, "
                f"but no request {order.order_id} was given; pass the request of every order "
                "billed, so that each records its posting and is billed once.",
                statement=statement.number,
                order_id=order.order_id,
            )
        posted.append(post_charge(billed, statement, actor, at))
    return tuple(posted)


def _requests(requests: object) -> tuple[Request, ...]:
    if isinstance(requests, str | bytes | Mapping) or not isinstance(requests, Iterable):
        raise QuoteError(
            f"requests are a collection of Requests, not {requests!r}.",
            field="requests",
            value=requests,
            allowed="an iterable of Request",
        )
    found = tuple(requests)
    seen: set[str] = set()
    for request in found:
        check_instance(request, "requests", Request, error=QuoteError)
        if request.request_id in seen:
            # Two versions of one request cannot both be billed or posted.
            raise QuoteError(
                f"request {request.request_id} is given twice; pass each request once, as its "
                "latest history makes it.",
                field="requests",
                value=request.request_id,
                allowed="each request id once",
            )
        seen.add(request.request_id)
    return found


def _line_of(order_id: str, statement: Statement) -> ChargeLine:
    lines = [
        line
        for line in statement.lines
        if line.explanation.order is not None and line.explanation.order.order_id == order_id
    ]
    if len(lines) != 1:
        billed = sorted(
            line.explanation.order.order_id
            for line in statement.lines
            if line.explanation.order is not None
        )
        raise QuoteError(
            f"statement {statement.number} has {len(lines)} lines for order {order_id}; "
            "a posted order is on its notice exactly once. The notice's special-service "
            f"orders: {', '.join(billed) or 'none'}.",
            statement=statement.number,
            order_id=order_id,
            lines=len(lines),
        )
    return lines[0]


def _check_billed_as_quoted(order_id: str, quote: Quote, line: ChargeLine) -> None:
    order = line.explanation.order
    assert order is not None  # _line_of found the line by its order
    billed = (order.service_code, line.quantity, line.explanation.price_list_version, line.amount)
    quoted = (quote.service_code, quote.quantity, quote.price_list_version, quote.amount)
    if billed != quoted:
        raise QuoteError(
            f"order {order_id} is billed {order.service_code} × {line.quantity} = {line.amount} "
            f"from price list {line.explanation.price_list_version}, but the accepted quote is "
            f"{quote.service_code} × {quote.quantity} = {quote.amount} from price list "
            f"{quote.price_list_version}; a special service is charged as quoted (§3), so bill "
            "it from the quote's list, with the quote's rounding.",
            order_id=order_id,
            billed=billed,
            quoted=quoted,
        )
