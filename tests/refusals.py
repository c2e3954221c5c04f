"""One refusal, written out in full: the error's class, its text and the context it carries.

Issue 18: a caller catches a refusal as a :class:`~propcrm.errors.PropcrmError` and reads
``field``, ``value``, ``allowed`` and the keyword context (``operation``) as data, for a form to
mark the right field or a log to keep the offending value. A table of :class:`Refusal` rows,
checked with :func:`assert_refusal`, notices a change to any of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pytest

from propcrm.errors import PropcrmError


class Refusal(NamedTuple):
    """A call that must be refused, and everything its error must carry."""

    call: Callable[[], object]
    error: type[PropcrmError]
    message: str
    field: str
    value: object
    allowed: str
    operation: str | None = None


def assert_refusal(refusal: Refusal) -> None:
    """``refusal.call()`` raises exactly the error, text and context the row states."""
    with pytest.raises(PropcrmError) as info:
        refusal.call()
    error = info.value
    assert type(error) is refusal.error
    assert str(error) == refusal.message
    assert error.field == refusal.field
    # repr: Decimal('NaN') is not equal to itself, and True must not pass for 1.
    assert repr(error.value) == repr(refusal.value)
    assert error.allowed == refusal.allowed
    assert error.context == ({} if refusal.operation is None else {"operation": refusal.operation})
