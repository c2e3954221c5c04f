"""Check the built API reference against the packages it documents.

Run after ``mkdocs build`` (``python tools/check_reference.py [site]``). For every page under
``docs/reference/`` that renders a package (a ``::: propcrm.x`` line), the page's entries must
be exactly the package's ``__all__``, and no anchor or link may point into a private module
(``propcrm.x._y``). Module paths in the text of docstrings are listed as warnings: the
docstrings name them, and only editing the docstrings changes that.
"""

from __future__ import annotations

import importlib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

_DIRECTIVE = re.compile(r"^::: (?P<package>[\w.]+)\s*$", re.MULTILINE)
_DOTTED = re.compile(r"\bpropcrm(?:\.\w+)+")
_PRIVATE = re.compile(r"\bpropcrm(?:\.\w+)*\._[a-z]\w*")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.entries: list[str] = []
        self.targets: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "h2" and "doc-heading" in (found.get("class") or ""):
            self.entries.append(found.get("id") or "")
        self.targets.extend(found.get(name) or "" for name in ("id", "href"))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _module_paths(text: str, public: set[str]) -> set[str]:
    """Dotted propcrm paths that are neither a documented package nor a name it exports."""
    return {path for path in _DOTTED.findall(text) if path not in public}


def check(site: Path, docs: Path) -> tuple[list[str], list[str]]:
    """Return the errors and the warnings for the reference pages built into ``site``."""
    pages = {
        page: match["package"]
        for page in sorted((docs / "reference").glob("*.md"))
        if (match := _DIRECTIVE.search(page.read_text(encoding="utf-8")))
    }
    public = {"propcrm", *pages.values()}
    for package in pages.values():
        public.update(f"{package}.{name}" for name in importlib.import_module(package).__all__)
    errors: list[str] = []
    warnings: list[str] = []
    for page, package in pages.items():
        html = site / "reference" / page.stem / "index.html"
        parsed = _Page()
        parsed.feed(html.read_text(encoding="utf-8"))
        rendered = {entry.removeprefix(f"{package}.") for entry in parsed.entries}
        exported = set(importlib.import_module(package).__all__)
        if rendered != exported:
            errors.append(
                f"{html}: entries differ from {package}.__all__: missing "
                f"{sorted(exported - rendered)}, not exported {sorted(rendered - exported)}"
            )
        private = sorted({m for t in parsed.targets for m in _PRIVATE.findall(t)})
        if private:
            errors.append(f"{html}: anchors or links into private modules: {private}")
        named = sorted(_module_paths("".join(parsed.text), public))
        if named:
            warnings.append(f"{html}: docstrings name module paths: {named}")
    return errors, warnings


def main() -> int:
    """Check the site given as the first argument (``site`` by default); 1 on any error."""
    root = Path(__file__).resolve().parent.parent
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "site"
    errors, warnings = check(site, root / "docs")
    for line in warnings:
        sys.stderr.write(f"warning: {line}\n")
    for line in errors:
        sys.stderr.write(f"error: {line}\n")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
