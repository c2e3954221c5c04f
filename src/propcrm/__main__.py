"""``python -m propcrm`` and the ``propcrm`` script: the library's command line (today: the demo).

The help text is written for a terminal, so it is kept here as plain text rather than taken from
this docstring.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import propcrm
from propcrm.demo import DEFAULT_DB, run_demo
from propcrm.errors import MissingExtra, UnsupportedLocale
from propcrm.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, check_locale

# Wrapped by hand: the raw formatter keeps the epilog's columns, and with them this text's lines.
DESCRIPTION = """\
Models and rules for the customer side of Chinese property management: exact
money, billing and fee notices, late fees and arrears, SLA deadlines on China's
business calendars, service requests and complaints, parties and personal data.
propcrm is a library, used from Python; this command runs its demo.
"""
EPILOG = """\
examples:
  propcrm demo                  the demo, in Chinese
  propcrm demo --locale en_US   the same demo, in English
  propcrm demo --db /tmp/x.db   the demo, its community stored in /tmp/x.db
  python -m propcrm demo        the same, without the script on PATH

documentation: https://github.com/propcrm/propcrm/tree/main/docs
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="propcrm",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"propcrm {propcrm.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, title="commands")
    demo = commands.add_parser(
        "demo",
        help=(
            "run the demo on a sample community: fee notices, late fees and arrears, service "
            "requests with their SLA deadlines, a complaint's lifecycle, parties and segments, "
            "the service desk"
        ),
        description=(
            "Print the demo: a sample community's fee notices, late fees and arrears, service "
            "requests with their SLA deadlines, a complaint walked through its lifecycle, "
            "its parties (masked) and segments, and the service desk's callbacks, bookings, "
            "solutions and notices. The community is first stored in a SQLite file (replaced "
            "if it exists) and every section is read back from it; the last section says what "
            "the file holds. Needs the sql extra: pip install 'propcrm[sql]'."
        ),
    )
    demo.add_argument(
        "--locale",
        default=DEFAULT_LOCALE,
        type=_locale,
        help="language of the demo's text: "
        + " or ".join(
            f"{name} (the default)" if name == DEFAULT_LOCALE else name
            for name in SUPPORTED_LOCALES
        ),
    )
    demo.add_argument(
        "--db",
        default=DEFAULT_DB,
        metavar="PATH",
        help=f"the SQLite file to store the community in (default: {DEFAULT_DB} in the "
        "current folder; an existing file is replaced)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command named in ``argv``; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "demo":
        try:
            text = run_demo(args.locale, db=args.db)
        except MissingExtra as missing:
            sys.stderr.write(f"propcrm: {missing}\n")
            return 1
        sys.stdout.write(text + "\n")
    return 0


def _locale(value: str) -> str:
    """The canonical locale name; argparse turns the refusal into a usage error (exit 2)."""
    try:
        return check_locale(value)
    except UnsupportedLocale as refused:
        raise argparse.ArgumentTypeError(str(refused)) from None


if __name__ == "__main__":
    raise SystemExit(main())
