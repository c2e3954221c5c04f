"""Bad input to propcrm.serialization: only the library's errors come out (issue 18)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.bad_input import assert_refused, bad_text, wrong_types

from propcrm.money import Money
from propcrm.serialization import (
    TypeRegistry,
    dumps,
    from_primitive,
    loads,
    make_converter,
    register_type,
    register_value,
    to_primitive,
    type_tag,
)

FEW = settings(max_examples=15, deadline=None)
not_a_class = wrong_types.filter(lambda v: not isinstance(v, type))
not_a_document = st.one_of(
    st.sampled_from(["", "[]", "{}", "null", '{"propcrm": 1}', '{"propcrm": 1, "type": 1}']),
    wrong_types.filter(lambda v: not isinstance(v, str | bytes)),
)


class _Unregistered:
    pass


def _loads_as(cls: object) -> object:
    return loads('{"propcrm": 1, "type": "money.Money", "data": {}}', cls)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call", [type_tag, register_type, _loads_as], ids=["type_tag", "register_type", "loads"]
)
@FEW
@given(bad=not_a_class)
def test_a_class_is_wanted(call: Callable[[object], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


def test_make_converter_takes_none_or_a_registry() -> None:
    assert make_converter(None).unstructure(Money("1.00")) == {"amount": "1.00", "currency": "CNY"}
    assert make_converter(TypeRegistry()) is not None
    assert_refused(lambda: make_converter(1))  # type: ignore[arg-type]


@FEW
@given(bad=not_a_document)
def test_loads_refuses_what_is_no_document(bad: object) -> None:
    assert_refused(lambda: loads(bad, Money))  # type: ignore[arg-type]


@FEW
@given(bad=wrong_types)
def test_from_primitive_refuses_what_is_no_money(bad: object) -> None:
    assert_refused(lambda: from_primitive(bad, Money))


@pytest.mark.parametrize("value", [_Unregistered(), object(), {1, 2}.__iter__()])
def test_what_has_no_primitive_form_is_refused(value: object) -> None:
    assert_refused(lambda: to_primitive(value))
    assert_refused(lambda: dumps(value))


@FEW
@given(bad=bad_text)
def test_a_stored_name_is_text(bad: object) -> None:
    assert_refused(lambda: register_value(len, bad))  # type: ignore[arg-type]


@FEW
@given(bad=st.sampled_from(["", " ", "no-dots", "1.x", "a..b"]))
def test_a_tag_is_a_dotted_name(bad: str) -> None:
    assert_refused(lambda: register_type(_Unregistered, bad))
