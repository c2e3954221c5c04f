"""Tests for errors: one hierarchy, each class also a builtin exception."""

from __future__ import annotations

import builtins
import re
from pathlib import Path

import pytest

import propcrm.errors
from propcrm import errors
from propcrm.errors import PropcrmError

ERROR_CLASSES = [
    getattr(errors, name)
    for name in errors.__all__
    if not issubclass(getattr(errors, name), errors.PropcrmWarning)
]
WARNING_CLASSES = [
    getattr(errors, name)
    for name in errors.__all__
    if issubclass(getattr(errors, name), errors.PropcrmWarning)
]
LEAF_AND_BRANCH_CLASSES = [cls for cls in ERROR_CLASSES if cls is not PropcrmError]
_BUILTIN_EXCEPTIONS = {
    obj
    for obj in vars(builtins).values()
    if isinstance(obj, type) and issubclass(obj, BaseException)
}

# One line of the tree: indentation (box-drawing prefix), name, optional "(Builtin)".
_TREE_LINE = re.compile(r"^(?P<indent>[│ ]*)[├└]── (?P<name>\w+)(?: \((?P<builtin>\w+)\))?")


def documented_tree() -> dict[str, tuple[str, str | None]]:
    """Each class named in the docstring tree, with its parent and its listed builtin base."""
    doc = propcrm.errors.__doc__ or ""
    lines = doc.splitlines()
    root = lines.index("    PropcrmError")
    parents = ["PropcrmError"]  # parents[level] is the class at that depth
    tree: dict[str, tuple[str, str | None]] = {}
    for line in lines[root + 1 :]:
        text = line.removeprefix("    ")
        match = _TREE_LINE.match(text)
        if match is None:
            break
        level = len(match["indent"]) // 4 + 1
        name = match["name"]
        tree[name] = (parents[level - 1], match["builtin"])
        del parents[level:]
        parents.append(name)
    return tree


def test_all_names_exist_and_are_exceptions() -> None:
    assert sorted(errors.__all__) == errors.__all__
    for cls in ERROR_CLASSES:
        assert isinstance(cls, type)
        assert issubclass(cls, Exception)
        assert cls.__module__ == "propcrm.errors"


def test_every_public_exception_class_is_listed_in_all() -> None:
    defined = {
        name
        for name, obj in vars(errors).items()
        if isinstance(obj, type)
        and issubclass(obj, BaseException)
        and obj.__module__ == errors.__name__
    }
    assert defined == set(errors.__all__)


def test_propcrm_error_is_the_root() -> None:
    assert PropcrmError.__bases__ == (Exception,)


@pytest.mark.parametrize("cls", LEAF_AND_BRANCH_CLASSES, ids=lambda cls: cls.__name__)
def test_every_error_is_a_propcrm_error_and_a_specific_builtin(cls: type[Exception]) -> None:
    assert issubclass(cls, PropcrmError)
    builtins_in_mro = [
        base
        for base in cls.__mro__
        if base in _BUILTIN_EXCEPTIONS and base not in {Exception, BaseException}
    ]
    assert builtins_in_mro, f"{cls.__name__} derives from no builtin but Exception"


@pytest.mark.parametrize("cls", LEAF_AND_BRANCH_CLASSES, ids=lambda cls: cls.__name__)
def test_every_error_can_be_raised_and_caught_both_ways(cls: type[Exception]) -> None:
    builtin = next(
        base for base in cls.__mro__ if base in _BUILTIN_EXCEPTIONS and base is not Exception
    )
    with pytest.raises(PropcrmError, match="boom"):
        raise cls("boom")
    with pytest.raises(builtin):
        raise cls("boom")


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_every_error_has_a_docstring(cls: type[Exception]) -> None:
    assert cls.__doc__
    assert cls.__doc__.strip()


def test_the_docstring_tree_names_every_class_once() -> None:
    tree = documented_tree()
    assert set(tree) | {"PropcrmError"} == {cls.__name__ for cls in ERROR_CLASSES}


def test_warnings_have_their_own_root_and_are_documented() -> None:
    assert errors.PropcrmWarning.__bases__ == (UserWarning,)
    doc = propcrm.errors.__doc__ or ""
    assert "    PropcrmWarning (UserWarning)" in doc
    for cls in WARNING_CLASSES:
        assert not issubclass(cls, PropcrmError)
        assert cls.__doc__
        if cls is not errors.PropcrmWarning:
            assert cls.__bases__ == (errors.PropcrmWarning,)
            assert re.search(rf"^    [└├]── {cls.__name__} ", doc, re.MULTILINE)


@pytest.mark.parametrize(
    ("name", "parent", "builtin"),
    [(name, parent, builtin) for name, (parent, builtin) in documented_tree().items()],
)
def test_the_docstring_tree_matches_the_classes(
    name: str, parent: str, builtin: str | None
) -> None:
    cls = getattr(errors, name)
    parent_cls = getattr(errors, parent)
    expected_bases = (parent_cls,) if builtin is None else (parent_cls, getattr(builtins, builtin))
    assert cls.__bases__ == expected_bases


# The bottom layers' own errors; the upper layers' errors are covered by the tree tests above.
@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (errors.InvalidAmount, ValueError),
        (errors.AmountOutOfRange, ValueError),
        (errors.CurrencyMismatch, TypeError),
        (errors.UnknownCurrency, ValueError),
        (errors.InvalidRate, ValueError),
        (errors.RateBasisMismatch, TypeError),
        (errors.InvalidAllocation, ValueError),
        (errors.InvalidMoneyText, ValueError),
        (errors.NaiveDatetime, ValueError),
        (errors.UnknownTimeZone, ValueError),
        (errors.InvalidPeriod, ValueError),
        (errors.InvalidPolicy, ValueError),
    ],
)
def test_bottom_layer_errors_have_their_builtin(
    cls: type[Exception], builtin: type[Exception]
) -> None:
    assert issubclass(cls, builtin)
    assert issubclass(cls, PropcrmError)


def test_amount_out_of_range_is_an_invalid_amount() -> None:
    assert issubclass(errors.AmountOutOfRange, errors.InvalidAmount)


def test_type_errors_are_not_value_errors() -> None:
    assert not issubclass(errors.CurrencyMismatch, ValueError)
    assert not issubclass(errors.RateBasisMismatch, ValueError)


# -- the generated page ----------------------------------------------------------------------

DOCS = Path(__file__).resolve().parent.parent / "docs" / "errors.md"
_START, _END = "<!-- errors:start -->", "<!-- errors:end -->"


def errors_page_section() -> str:
    """The tree and table of docs/errors.md, generated from propcrm.errors."""
    tree = documented_tree()
    doc = propcrm.errors.__doc__ or ""
    lines = doc.splitlines()
    root = lines.index("    PropcrmError")
    drawn = ["PropcrmError (Exception)"]
    for line in lines[root + 1 :]:
        text = line.removeprefix("    ")
        match = _TREE_LINE.match(text)
        if match is None:
            break
        drawn.append(text[: match.end()].rstrip())
    rows = ["| class | builtin | raised when |", "| --- | --- | --- |"]
    for name in ["PropcrmError", *tree]:
        cls = getattr(errors, name)
        builtin = next(
            base.__name__
            for base in cls.__mro__
            if base in _BUILTIN_EXCEPTIONS
            and base is not BaseException
            and (base is Exception or base.__module__ == "builtins")
            and (cls is PropcrmError or base is not Exception)
        )
        summary = " ".join((cls.__doc__ or "").split("\n\n")[0].split())
        rows.append(f"| `{name}` | `{builtin}` | {summary} |")
    return "\n".join([_START, "```text", *drawn, "```", "", *rows, _END])


def test_the_errors_page_is_generated_from_the_module() -> None:
    text = DOCS.read_text(encoding="utf-8")
    before, _, rest = text.partition(_START)
    _, _, after = rest.partition(_END)
    expected = before + errors_page_section() + after
    assert text == expected, "regenerate docs/errors.md: python tests/test_errors.py"


if __name__ == "__main__":  # regenerate the page
    text = DOCS.read_text(encoding="utf-8")
    before, _, rest = text.partition(_START)
    _, _, after = rest.partition(_END)
    DOCS.write_text(before + errors_page_section() + after, encoding="utf-8")


def test_context_travels_as_data_and_survives_pickling() -> None:
    """An error's field, value, allowed and extra context are attributes, kept through pickle."""
    import pickle

    from propcrm.errors import InvalidPolicy

    error = InvalidPolicy("too high", field="rate", value=5, allowed="at most 0.1", unit="day")
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), again.args) == (InvalidPolicy, ("too high",))
    assert (again.field, again.value, again.allowed, again.context) == (
        "rate",
        5,
        "at most 0.1",
        {"unit": "day"},
    )


def test_a_type_refused_by_a_validator_is_a_library_error() -> None:
    """The attrs validator of the library raises InvalidType (a TypeError) with its context."""
    import attrs

    from propcrm._validators import instance_of
    from propcrm.errors import InvalidType

    @attrs.frozen
    class Reading:
        meter_id: str = attrs.field(validator=instance_of(str))

    with pytest.raises(InvalidType) as caught:
        Reading(7)  # type: ignore[arg-type]
    assert isinstance(caught.value, TypeError)
    assert (caught.value.field, caught.value.value, caught.value.allowed) == ("meter_id", 7, "str")


def test_a_datetime_for_a_date_is_refused_as_not_a_date() -> None:
    """as_date, the door every date goes through, refuses datetimes with NotADate."""
    import datetime

    from propcrm.errors import NotADate
    from propcrm.time import as_date

    moment = datetime.datetime(2026, 11, 30, 17, tzinfo=datetime.UTC)
    with pytest.raises(NotADate) as caught:
        as_date(moment)
    assert caught.value.value == moment
