"""Every error propcrm raises carries its context as data, not only as message text.

Issue 12: an error raised on bad input carries ``field``, ``value`` and what is ``allowed`` as
attributes; a refused change carries whatever identifies it (the request, the state, the action) as
keyword context. This test reads the source and lists every ``raise SomeError(...)`` of a
:class:`~propcrm.errors.PropcrmError` subclass that passes no keyword at all, package by package.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import propcrm
from propcrm import errors

SOURCE = Path(propcrm.__file__).parent
ERROR_NAMES = frozenset(
    name
    for name, value in vars(errors).items()
    if inspect.isclass(value) and issubclass(value, errors.PropcrmError)
)
PACKAGES = sorted(
    [p.name for p in SOURCE.iterdir() if (p / "__init__.py").exists() and p.name != "locale"]
    + ["(kernel)"]
)


def _files(package: str) -> list[Path]:
    if package == "(kernel)":
        return sorted(SOURCE.glob("*.py"))
    return sorted((SOURCE / package).rglob("*.py"))


def _bare_raises(path: Path, root: Path = SOURCE) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        func = node.exc.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in ERROR_NAMES and not node.exc.keywords:
            found.append(f"{path.relative_to(root)}:{node.lineno} {name}")
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_every_raise_passes_its_context(package: str) -> None:
    bare = [site for path in _files(package) for site in _bare_raises(path)]
    assert not bare, "raised with its context only in the message:\n" + "\n".join(bare)


def test_the_scan_finds_a_bare_raise(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(x):\n"
        "    raise InvalidAmount(f'bad {x}')\n"
        "def g(x):\n"
        "    raise InvalidAmount(f'bad {x}', field='x', value=x) from None\n"
        "def h(x):\n"
        "    raise ValueError(x)\n",
        encoding="utf-8",
    )
    assert _bare_raises(sample, tmp_path) == ["sample.py:2 InvalidAmount"]
