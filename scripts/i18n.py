"""Keep propcrm's message catalogs in step with the code (see docs/i18n.md).

Run from anywhere, with the project's virtualenv::

    python scripts/i18n.py extract   # the code's messages -> build/i18n/propcrm.pot
    python scripts/i18n.py update    # extract, then merge into every locale's .po (new ones made)
    python scripts/i18n.py compile   # every .po -> its .mo, next to it (committed, in the wheel)
    python scripts/i18n.py check     # exit 1, listing each problem, if a catalog is out of step

Each command is ``pybabel`` run in-process with this project's options, so the script needs
nothing but babel. ``update`` also copies each new msgid into the en_US catalog, whose source
language it is; ``tests/test_i18n.py`` runs :func:`problems` so that CI fails on a stale catalog.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeAlias

from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "propcrm"
LOCALE_DIR = SOURCE / "locale"
MAPPING = ROOT / "babel.cfg"
TEMPLATE = ROOT / "build" / "i18n" / "propcrm.pot"
DOMAIN = "propcrm"
# The locales with a catalog, the source language (whose msgstr copies the msgid) first.
LOCALES = ("en_US", "zh_CN")
SOURCE_LOCALE = "en_US"
WIDTH = "76"

Key: TypeAlias = str | tuple[str, str]


def _pybabel(*args: str | Path) -> None:
    cli = CommandLineInterface()
    status = cli.run(["pybabel", "--quiet", *map(str, args)])  # type: ignore[no-untyped-call]
    if status:
        raise SystemExit(f"pybabel {args[0]} failed ({status})")


def extract(output: Path = TEMPLATE, source: Path = SOURCE) -> Path:
    """Write the template of every message marked in ``source`` to ``output``."""
    output.parent.mkdir(parents=True, exist_ok=True)
    _pybabel(
        "extract",
        "--mapping-file", MAPPING,
        "--output-file", output,
        "--project", DOMAIN,
        # Sorted, and located by file without line numbers, so that an edit elsewhere in a
        # module leaves the catalogs alone and two branches' catalogs merge cleanly.
        "--sort-output",
        "--add-location", "file",
        "--add-comments", "TRANSLATORS:",
        "--width", WIDTH,
        _relative(source),
    )  # fmt: skip
    return output


def _relative(path: Path) -> Path:
    # Locations in the catalogs name files as pybabel is given them: relative to the root.
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _po(locale: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def _fill_source_locale(po: Path) -> None:
    """In the source language, a message new to the catalog is its own translation."""
    catalog = _read(po, SOURCE_LOCALE)
    changed = False
    for message in catalog:
        if message.id and not message.fuzzy and not _translated(message):
            message.string = message.id
            changed = True
    if changed:
        with po.open("wb") as fp:
            write_po(fp, catalog, width=int(WIDTH), include_lineno=False)


def _read(po: Path, locale: str | None = None) -> Catalog:
    with po.open("rb") as fp:
        return read_po(fp, locale=locale)


def _same_messages(template: Catalog, catalog: Catalog) -> bool:
    def shape(c: Catalog) -> dict[Key, bool]:
        return {key: isinstance(m.id, tuple) for key, m in _entries(c).items()}

    return shape(template) == shape(catalog) and not catalog.obsolete


def update() -> None:
    """Merge a fresh template into every locale's catalog, creating missing ones.

    A catalog that already holds exactly the code's messages is left alone, so that its
    header's dates change only with its messages and parallel branches seldom conflict there.
    """
    template = extract()
    messages = _read(template)
    for locale in LOCALES:
        po = _po(locale)
        if po.exists() and _same_messages(messages, _read(po, locale)):
            continue
        _pybabel(
            "update",
            "--input-file", template,
            "--output-dir", LOCALE_DIR,
            "--domain", DOMAIN,
            "--locale", locale,
            "--init-missing",
            # Git keeps the history; an obsolete entry in the file only hides a stale message.
            "--ignore-obsolete",
            "--width", WIDTH,
        )  # fmt: skip
    _fill_source_locale(_po(SOURCE_LOCALE))


def compile_catalogs() -> None:
    """Compile every locale's .po into the .mo that propcrm loads."""
    for locale in LOCALES:
        _pybabel("compile", "--directory", LOCALE_DIR, "--domain", DOMAIN, "--locale", locale)


def _key(message: Message) -> Key:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return (message.context, msgid) if message.context else msgid


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(strings)


def _entries(catalog: Catalog) -> dict[Key, Message]:
    return {_key(message): message for message in catalog if message.id}


def _show(key: Key) -> str:
    return f"{key[1]!r} (context {key[0]!r})" if isinstance(key, tuple) else repr(key)


def _catalog_problems(locale: str, template: Catalog, po: Path) -> Iterator[str]:
    catalog = _read(po, locale)
    expected = Catalog(locale=locale)
    if catalog.num_plurals != expected.num_plurals:
        yield (
            f"{po}: {catalog.num_plurals} plural forms, but {locale} has "
            f"{expected.num_plurals} (CLDR); fix its Plural-Forms header"
        )
    wanted, present = _entries(template), _entries(catalog)
    for key in sorted(wanted.keys() - present.keys(), key=str):
        yield f"{po}: {_show(key)} is in the code but not in the catalog; run update"
    for key in sorted(present.keys() - wanted.keys(), key=str):
        yield f"{po}: {_show(key)} is in the catalog but no longer in the code; run update"
    if catalog.obsolete:
        yield f"{po}: {len(catalog.obsolete)} obsolete (#~) entries; run update"
    for key, message in sorted(present.items(), key=lambda item: str(item[0])):
        if key not in wanted:
            continue
        if message.fuzzy:
            yield f"{po}: {_show(key)} is fuzzy; check its translation, then drop the flag"
        elif not _translated(message):
            yield f"{po}: {_show(key)} has no translation"
        elif isinstance(message.id, tuple) != isinstance(wanted[key].id, tuple):
            yield f"{po}: {_show(key)} changed between singular and plural; run update"
    for message, errors in catalog.check():
        for error in errors:
            yield f"{po}: {_show(_key(message))}: {error}"
    yield from _compiled_problems(po, catalog)


def _compiled_problems(po: Path, catalog: Catalog) -> Iterator[str]:
    # The compiled file is compared by content, not by modification time: a fresh clone gives
    # every file the checkout's time, whatever order the .po and .mo were last written in.
    mo = po.with_suffix(".mo")
    if not mo.exists():
        yield f"{mo} is missing; run compile"
        return
    with mo.open("rb") as fp:
        shipped = read_mo(fp)
    # Compiling the .po now, in memory, says what the .mo should hold (write_mo drops fuzzy and
    # empty entries and fills a missing plural form from the msgid).
    fresh = io.BytesIO()
    write_mo(fresh, catalog)
    fresh.seek(0)
    expected = read_mo(fresh)
    if _strings(shipped) != _strings(expected) or shipped.plural_forms != expected.plural_forms:
        yield f"{mo} does not match {po.name}; run compile"


def _strings(catalog: Catalog) -> dict[Key, tuple[str, ...]]:
    return {key: _normalised(message.string) for key, message in _entries(catalog).items()}


def _normalised(value: object) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (str(value),)


def problems(source: Path = SOURCE, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Everything that keeps the catalogs in ``locale_dir`` from matching the code in ``source``.

    A message in the code but not in a catalog, an entry the code no longer has, a fuzzy or
    untranslated entry, a placeholder a translation drops, a wrong number of plural forms, and a
    .mo that is missing or differs from its .po: an empty list means all is in step.
    """
    with tempfile.TemporaryDirectory() as tmp:
        template = _read(extract(Path(tmp) / f"{DOMAIN}.pot", source))
    found: list[str] = []
    for locale in LOCALES:
        po = _po(locale, locale_dir)
        if not po.exists():
            found.append(f"{po} is missing; run update")
            continue
        found.extend(_catalog_problems(locale, template, po))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; ``check`` returns 1 when the catalogs are out of step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("command", choices=["extract", "update", "compile", "check"])
    command = parser.parse_args(argv).command
    os.chdir(ROOT)
    if command == "extract":
        print(f"wrote {extract().relative_to(ROOT)}")
    elif command == "update":
        update()
        print("updated " + ", ".join(str(_po(loc).relative_to(ROOT)) for loc in LOCALES))
    elif command == "compile":
        compile_catalogs()
        mo = (_po(loc).with_suffix(".mo").relative_to(ROOT) for loc in LOCALES)
        print("compiled " + ", ".join(map(str, mo)))
    else:
        found = problems()
        for problem in found:
            print(problem, file=sys.stderr)
        if found:
            return 1
        print("catalogs in step with the code")
    return 0


if __name__ == "__main__":
    sys.exit(main())
