"""``python -m propcrm`` and the ``propcrm`` script: the command line of :mod:`propcrm.cli`.

Without the ``cli`` extra (Click and Rich) it says what to install and exits non-zero.
"""

from __future__ import annotations

from collections.abc import Sequence

from propcrm.cli import main as _cli_main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: the process's arguments); the exit code."""
    return _cli_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
