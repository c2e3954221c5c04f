"""Bad input to every public entry point of propcrm.notices is refused with a library error.

Issue 18's rule for the issue-16 notices: each argument of each entry point in
``propcrm.notices.__all__`` is fed the malformed values of its kind (:mod:`tests.bad_input`) and
:func:`assert_refused` checks that only a :class:`~propcrm.errors.PropcrmError` with its context
comes out. ``None`` is left out where an argument is optional.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from tests.bad_input import (
    assert_refused,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_instants,
    bad_locales,
    bad_text,
    wrong_types,
)
from tests.test_notices import AT, BOOK, DAY, SMS, TEMPLATE, WALK, notice

from propcrm.money import Money
from propcrm.notices import (
    Activity,
    ActivityRoster,
    AnyAudience,
    DeliveryChannel,
    DeliveryEvent,
    DeliveryLog,
    DeliveryStatus,
    Everyone,
    FieldKind,
    InArrears,
    InBuildings,
    InSegment,
    Listed,
    Notice,
    NoticeField,
    NoticeKind,
    NoticePolicy,
    SmsPolicy,
    TemplateField,
    WeChatTemplate,
    activity_history,
    check_notice,
    delivery_receipt,
    render_sms,
    render_wechat,
    resolve_audience,
)

FEW = settings(max_examples=8, deadline=None)
NOT_NONE = wrong_types.filter(lambda value: value is not None)
NOTICE = notice()
AUDIENCE = resolve_audience(NOTICE.audience, BOOK, DAY)
LOG = DeliveryLog("N-1")
ROSTER = ActivityRoster(WALK).sign_up("P1", AT)


def activity(**changes: Any) -> Activity:
    return attrs.evolve(WALK, **changes)


def event(**changes: Any) -> DeliveryEvent:
    values: dict[str, Any] = {
        "notice_id": "N-1",
        "party_id": "P1",
        "channel": DeliveryChannel.SMS,
        "status": DeliveryStatus.SENT,
        "at": AT,
    }
    values.update(changes)
    return DeliveryEvent(**values)


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: notice(notice_id=bad),
        lambda bad: Listed([bad]),
        lambda bad: InBuildings([bad]),
        lambda bad: Everyone(community=bad) if bad is not None else Everyone(community=""),
        lambda bad: event(notice_id=bad),
        lambda bad: event(party_id=bad),
        DeliveryLog,
        lambda bad: LOG.status(bad, DeliveryChannel.SMS),
        lambda bad: activity(activity_id=bad),
        lambda bad: ROSTER.sign_up(bad, AT),
        lambda bad: ROSTER.cancel(bad, AT),
        ROSTER.attend,
    ],
)
@FEW
@given(bad=bad_ids)
def test_ids_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: notice(title=bad),
        lambda bad: notice(body=bad),
        lambda bad: notice(place=bad) if bad is not None else notice(place=""),
        InSegment,
        lambda bad: event(reference=bad) if bad is not None else event(reference=""),
        lambda bad: activity(title=bad),
        lambda bad: SmsPolicy(signature=bad),
        lambda bad: TemplateField(bad, NoticeField.TITLE, FieldKind.THING),
        lambda bad: WeChatTemplate(bad, TEMPLATE.fields),
    ],
)
@FEW
@given(bad=bad_text)
def test_text_is_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: notice(issued_at=bad),
        lambda bad: (
            notice(NoticeKind.MEETING, event_at=bad, place="会所")
            if bad is not None
            else notice(NoticeKind.MEETING, event_at="x", place="会所")
        ),
        lambda bad: event(at=bad),
        lambda bad: activity(starts_at=bad),
        lambda bad: activity(ends_at=bad),
        lambda bad: activity(signup_closes_at=bad),
        lambda bad: ROSTER.sign_up("P2", bad),
        lambda bad: ROSTER.cancel("P1", bad),
    ],
)
@FEW
@given(bad=bad_instants)
def test_instants_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@FEW
@given(bad=bad_dates)
def test_dates_are_refused(bad: object) -> None:
    assert_refused(lambda: resolve_audience(Everyone(), BOOK, bad))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: activity(capacity=bad),
        lambda bad: SmsPolicy(signature="【物业】", max_parts=bad),
        lambda bad: SmsPolicy(signature="【物业】", single=bad),
        lambda bad: SmsPolicy(signature="【物业】", part=bad),
    ],
)
@FEW
@given(bad=bad_counts)
def test_counts_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: notice(kind=bad),
        lambda bad: notice(audience=bad),
        lambda bad: Notice(
            notice_id="N-1",
            kind=NoticeKind.SERVICE_REMINDER,
            title="停车场清洗",
            body="请挪车。",
            issued_at=AT,
            audience=bad,
        ),
        lambda bad: notice(outage=bad),
        lambda bad: notice(tariff=bad),
        lambda bad: Everyone(roles=bad if bad not in ((), [], {}) else "x"),
        lambda bad: Everyone(roles=[bad]),
        lambda bad: AnyAudience(bad if bad not in ((), []) else "x"),
        lambda bad: AnyAudience([bad]),
        lambda bad: InArrears(min_owed=bad),
        lambda bad: Listed(bad if not isinstance(bad, tuple | list | set) else "x"),
        lambda bad: NoticePolicy(receipt_kinds=bad if bad not in ((), [], {}) else "x"),
        lambda bad: NoticePolicy(outages=bad),
        lambda bad: NoticePolicy(tariffs=bad),
        lambda bad: event(channel=bad),
        lambda bad: event(status=bad),
        lambda bad: DeliveryLog("N-1", [bad]),
        LOG.record,
        lambda bad: LOG.status("P1", bad),
        ActivityRoster,
        lambda bad: ActivityRoster(WALK, [bad]),
        lambda bad: TemplateField("thing1", bad, FieldKind.THING),
        lambda bad: TemplateField("thing1", NoticeField.TITLE, bad),
        lambda bad: WeChatTemplate("t", [bad]),
        lambda bad: resolve_audience(bad, BOOK, DAY),
        lambda bad: resolve_audience(Everyone(), bad, DAY),
        lambda bad: resolve_audience(InSegment("s"), BOOK, DAY, segments=bad or "x"),
        lambda bad: resolve_audience(InSegment("s"), BOOK, DAY, segments={"s": bad}),
        lambda bad: resolve_audience(InArrears(), BOOK, DAY, arrears=bad or "x"),
        lambda bad: resolve_audience(InArrears(), BOOK, DAY, arrears={"3-0301": bad}),
        check_notice,
        lambda bad: check_notice(NOTICE, bad),
        lambda bad: NoticePolicy().needs_receipt(bad),
        lambda bad: delivery_receipt(bad, AUDIENCE, LOG),
        lambda bad: delivery_receipt(NOTICE, bad, LOG),
        lambda bad: delivery_receipt(NOTICE, AUDIENCE, bad),
        lambda bad: render_sms(bad, SMS),
        lambda bad: render_sms(NOTICE, bad),
        lambda bad: render_wechat(bad, TEMPLATE),
        lambda bad: render_wechat(NOTICE, bad),
        lambda bad: activity_history(bad if bad not in ((), []) else "x"),
        lambda bad: activity_history([bad]),
    ],
)
@FEW
@given(bad=NOT_NONE)
def test_wrong_types_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: ROSTER.attend("P1", bad),
        lambda bad: WeChatTemplate("t", TEMPLATE.fields, shorten=bad),
    ],
)
@FEW
@given(bad=NOT_NONE.filter(lambda value: not isinstance(value, bool)) | bad_counts)
def test_flags_are_refused(call: Callable[[Any], object], bad: object) -> None:
    """A flag is a bool: True and False are its values, everything else is refused."""
    if isinstance(bad, bool):
        return
    assert_refused(lambda: call(bad))


def test_rules_that_break_their_own_limits_are_refused() -> None:
    assert_refused(lambda: InArrears(min_owed=Money("0.00")))
    assert_refused(lambda: Everyone(roles=[]))
    assert_refused(lambda: SmsPolicy(signature="阳光物业"))
    assert_refused(lambda: TemplateField("键1", NoticeField.TITLE, FieldKind.THING))
    assert_refused(lambda: WeChatTemplate("t", []))
    assert_refused(lambda: WeChatTemplate("t", [TEMPLATE.fields[0], TEMPLATE.fields[0]]))
    assert_refused(lambda: activity(ends_at=WALK.starts_at))
    assert_refused(lambda: activity(signup_closes_at=WALK.starts_at.add(minutes=1)))
    assert_refused(lambda: DeliveryLog("N-2").record(event()))


@FEW
@given(bad=bad_locales)
def test_locales_are_refused(bad: object) -> None:
    assert_refused(lambda: NOTICE.kind.label(bad))  # type: ignore[arg-type]
    assert_refused(lambda: render_wechat(NOTICE, TEMPLATE, bad))  # type: ignore[arg-type]
    assert_refused(lambda: AUDIENCE.recipients[0].explain(bad))  # type: ignore[arg-type]
    assert_refused(lambda: check_notice(NOTICE).explain(bad))  # type: ignore[arg-type]
