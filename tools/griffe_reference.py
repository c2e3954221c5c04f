"""A griffe extension that makes propcrm's docstrings render as intended in the API reference.

The docstrings are written for pytest and for readers of the source, not for Markdown:

- examples are bare ``>>>`` doctest blocks, which Markdown reads as three nested quotes (and an
  output line such as ``['a', 'b']`` as a link reference, which fails ``mkdocs build --strict``);
  each block is fenced as ``pycon`` code;
- cross-references are Sphinx roles (``:class:`~propcrm.money.Money```), shown literally by
  Markdown; each becomes a link to the name's entry, wherever its defining module is;
- an attrs field's value is its ``attrs.field(...)`` call, whose validators and converters are
  private helpers; it is left out.

Only the rendering changes: the source docstrings, and so the doctests, stay as they are.
Loaded by mkdocstrings-python from ``mkdocs.yml`` (``extensions:``); only the docs build
imports it, so it may import griffe, which the library and its tests do not need.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import Any

import griffe

_PROMPT = re.compile(r"^(?P<indent>[ \t]*)>>>")
# A doctest flag comment instructs the test runner, not the reader.
_DOCTEST_FLAGS = re.compile(r"[ \t]*#[ \t]*doctest:.*$")


def fence_doctest_blocks(text: str) -> str:
    r"""Return ``text`` with each doctest block wrapped in a ``pycon`` code fence.

    A block starts at a line whose first non-blank characters are ``>>>`` and, as in doctest
    itself, ends at the first blank line. The fence takes the indentation of the block's first
    line, so a block inside a Google-style section stays inside it.

    >>> fence_doctest_blocks("Sum:\n>>> 1 + 1\n2\n\nDone.").split("\n")
    ['Sum:', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'Done.']
    """
    out: list[str] = []
    fence_indent: str | None = None
    for line in text.split("\n"):
        if fence_indent is not None and not line.strip():
            out.extend((f"{fence_indent}```", ""))
            fence_indent = None
            continue
        if fence_indent is None:
            prompt = _PROMPT.match(line)
            if prompt is None:
                out.append(line)
                continue
            fence_indent = prompt["indent"]
            if out and out[-1].strip():
                out.append("")
            out.append(f"{fence_indent}```pycon")
        # doctest writes an empty output line as <BLANKLINE>; the reader sees it empty.
        out.append("" if line.strip() == "<BLANKLINE>" else _DOCTEST_FLAGS.sub("", line))
    if fence_indent is not None:
        out.append(f"{fence_indent}```")
    return "\n".join(out)


_ROLE = re.compile(r":(?:class|func|meth|mod|attr|data|exc|obj|const):`(?P<target>[^`]+)`")
_TITLED = re.compile(r"^(?P<title>.+?)\s*<(?P<target>[^>]+)>$")


def link_roles(text: str, resolve: Callable[[str], str]) -> str:
    r"""Return ``text`` with its Sphinx cross-reference roles made autorefs links.

    Markdown does not know ``:class:`~x.Y```; mkdocs-autorefs resolves an ``<autoref>`` element to
    the page and anchor of the name, whichever module defines it. ``~`` shows the last part
    only, as in Sphinx. A name that resolves to nothing rendered stays plain code (``optional``).
    Text inside doctest blocks is left alone. ``resolve`` turns a relative name into a full path.

    >>> link_roles(":class:`~propcrm.money.Money`", lambda name: f"m.{name}")
    '<autoref identifier="propcrm.money.Money" optional><code>Money</code></autoref>'
    >>> link_roles(":func:`f`", lambda name: f"m.{name}")
    '<autoref identifier="m.f" optional><code>f</code></autoref>'
    """
    out: list[str] = []
    in_doctest = False
    for line in text.split("\n"):
        if not line.strip():
            in_doctest = False
        elif _PROMPT.match(line):
            in_doctest = True
        linked = _ROLE.sub(lambda role: _autoref(role["target"], resolve), line)
        out.append(line if in_doctest else linked)
    return "\n".join(out)


def _autoref(written: str, resolve: Callable[[str], str]) -> str:
    titled = _TITLED.match(written)
    title, target = (titled["title"], titled["target"]) if titled else (None, written)
    short = target.startswith("~")
    target = target.lstrip("~!")
    if title is None:
        title = target.rsplit(".", 1)[-1] if short else target
    first, dot, rest = target.partition(".")
    if first != "propcrm":
        # A name griffe cannot resolve (a builtin, a typo) stays as written.
        with contextlib.suppress(griffe.NameResolutionError):
            target = resolve(first) + dot + rest
    return f'<autoref identifier="{target}" optional><code>{title}</code></autoref>'


# An attrs field's value is its validators and converters, private helpers a reader cannot use.
_ATTRS_FIELDS = frozenset({"attrs.field", "attr.ib", "attr.field", "field"})


def _is_attrs_field(obj: griffe.Object) -> bool:
    return (
        isinstance(obj, griffe.Attribute)
        and obj.parent is not None
        and obj.parent.is_class
        and isinstance(obj.value, griffe.ExprCall)
        and str(obj.value.function) in _ATTRS_FIELDS
    )


class ReferenceRendering(griffe.Extension):
    """Make docstrings and attrs fields render well in the API reference.

    Fences the doctest blocks and links the cross-reference roles of every docstring, and
    leaves out the value of attrs fields (their validators and converters).
    """

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Rewrite every docstring of the package once it is loaded, before anything parses it.

        Names resolve only once the whole package is loaded, so this runs per package rather
        than per object as it is created.
        """
        todo: list[griffe.Object] = [pkg]
        while todo:
            obj = todo.pop()
            if isinstance(obj, griffe.Attribute) and _is_attrs_field(obj):
                obj.value = None
            if obj.docstring is not None:
                value = link_roles(obj.docstring.value, obj.resolve)
                obj.docstring.value = fence_doctest_blocks(value)
            todo.extend(m for m in obj.members.values() if isinstance(m, griffe.Object))
