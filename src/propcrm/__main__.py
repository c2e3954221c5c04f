"""``python -m propcrm``: the library's command line (today: the demo)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from propcrm.demo import run_demo
from propcrm.errors import UnsupportedLocale
from propcrm.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, check_locale


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command named in ``argv``; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="propcrm", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo",
        help=(
            "a sample community: fee notices, late fees and arrears, service requests with "
            "their SLA deadlines, parties and segments"
        ),
    )
    demo.add_argument(
        "--locale",
        default=DEFAULT_LOCALE,
        type=_locale,
        help=f"{' or '.join(SUPPORTED_LOCALES)}, for the demo's text (default {DEFAULT_LOCALE})",
    )
    args = parser.parse_args(argv)
    if args.command == "demo":
        sys.stdout.write(run_demo(args.locale) + "\n")
    return 0


def _locale(value: str) -> str:
    """The canonical locale name; argparse turns the refusal into a usage error (exit 2)."""
    try:
        return check_locale(value)
    except UnsupportedLocale as refused:
        raise argparse.ArgumentTypeError(str(refused)) from None


if __name__ == "__main__":
    raise SystemExit(main())
