"""``python -m propcrm``: the library's command line (today: the demo)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from propcrm.demo import run_demo


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
        "--locale", default="zh_CN", help="zh_CN (default) or en_US, for the demo's text"
    )
    args = parser.parse_args(argv)
    if args.command == "demo":
        sys.stdout.write(run_demo(args.locale) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
