"""Malformed values, and the one assertion the bad-input suite makes about them.

Issue 18: every public entry point refuses bad input with the library's own errors. The
``test_bad_input_*`` modules feed each entry point, argument by argument, the malformed values a
careful caller could send by mistake (drawn from the strategies below) and assert through
:func:`assert_refused` that only a :class:`~propcrm.errors.PropcrmError` comes out, carrying its
context as data: never a bare ``TypeError``, ``AttributeError`` or a dependency's error, and never
a silent acceptance.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pendulum
import pytest
from hypothesis import strategies as st

from propcrm.errors import PropcrmError

_AWARE = pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Shanghai")

#: Values that are never a usable anything: the wrong type altogether.
wrong_types = st.sampled_from(
    [None, True, False, 1.5, float("nan"), b"100", [], {}, (), object(), {"100"}]
)

#: Text that reads as a number to ``Decimal()`` or ``int()`` but must not: non-ASCII digits,
#: grouping, exponents that overflow, non-finite values, empty text.
bad_number_text = st.sampled_from(
    [
        "１００",  # full-width
        "١٠٠",  # Arabic-Indic
        "१००",  # Devanagari
        "1_000",
        "1,000.00",
        "NaN",
        "Infinity",
        "-Infinity",
        "",
        " ",
        "1e999999",
        "¥",
        "100元",
    ]
)

#: Where a date is wanted: text, instants (aware and naive), numbers, None.
bad_dates = st.one_of(
    st.sampled_from(["2026-11-30", "", None, 20261130, 1.0, True]),
    st.just(_AWARE),
    st.just(datetime.datetime(2026, 11, 30, 9, 0)),  # noqa: DTZ001 - naive on purpose
)

#: Where an aware instant is wanted: naive datetimes, dates, text, numbers, None.
bad_instants = st.sampled_from(
    [
        datetime.datetime(2026, 11, 24, 9, 30),  # noqa: DTZ001 - naive on purpose
        pendulum.date(2026, 11, 24),
        datetime.date(2026, 11, 24),
        "2026-11-24T09:30:00+08:00",
        1_764_000_000,
        None,
        True,
    ]
)

#: Where an amount is wanted.
bad_amounts = st.one_of(
    wrong_types,
    bad_number_text,
    st.sampled_from([Decimal("NaN"), Decimal("Infinity"), 0.1, 100.0]),
)

#: Where an identifier is wanted: empty, blank, with spaces, too long, not text.
bad_ids = st.sampled_from(["", " ", "P 1", "\t", "x" * 200, None, 7, True, b"P1"])

#: Where human text is wanted (a description, a name, a reason).
bad_text = st.sampled_from(["", " ", "\n\t", None, 7, True, b"leak"])

#: Where a count is wanted.
bad_counts = st.sampled_from([True, False, 1.0, "3", None, -1, Decimal("2.5")])

#: Where a locale is wanted.
bad_locales = st.sampled_from(["fr_FR", "zz", "", "zh", "en", None, 7, "zh-CN-x-foo"])


def assert_refused(call: Callable[[], object]) -> PropcrmError:
    """Run ``call``; it must raise a library error with context, and nothing else.

    Returns the error so a test can say more about it (which field it names, for example).
    """
    try:
        result = call()
    except PropcrmError as error:
        refused = error
    except Exception as error:
        pytest.fail(f"escaped the library's errors: {type(error).__name__}: {error}")
    else:
        pytest.fail(f"accepted bad input and returned {result!r}")
    described = refused.field is not None or refused.allowed is not None or refused.context
    assert described, f"{type(refused).__name__} carries no context: {refused}"
    return refused
