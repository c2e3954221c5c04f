"""The ``propcrm`` command line: a property office's back office in a terminal, over a database.

Built on Click, with Rich for tables and progress bars; install the ``cli`` extra
(``pip install 'propcrm[cli]'``, which brings the ``sql`` extra too). The top layer: it may
import any package's public API, and nothing in propcrm imports it.

:func:`main` runs a command line and returns the process's exit code (:class:`ExitCode`);
without the extra it says what to install and returns :attr:`ExitCode.MISSING_EXTRA`.
:func:`command_group` is the Click group itself, for a program that embeds the commands (a
test through Click's ``CliRunner``, a larger CLI that adds them as a subgroup). Neither reads the
wall clock if given one: ``main(argv, clock=FixedClock(...))``, or ``obj={"clock": clock}`` to
the group; every command also takes ``--today``.

The commands, their options and JSON shapes are in ``docs/cli.md``;
``python -m propcrm --help`` lists them with the exit codes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from propcrm.cli._errors import EXIT_CODE_TABLE, ExitCode
from propcrm.errors import MissingExtra

if TYPE_CHECKING:
    import click

    from propcrm.time import Clock

__all__ = ["EXIT_CODE_TABLE", "ExitCode", "command_group", "main"]


def command_group() -> click.Group:
    """The ``propcrm`` Click group with every command; needs the ``cli`` extra.

    Raises:
        MissingExtra: Click or Rich is not installed.
    """
    try:
        import click  # noqa: F401, PLC0415 - the cli extra, checked on first use
        import rich  # noqa: F401, PLC0415
    except ImportError as missing:
        raise MissingExtra(
            f"the command line needs {missing.name or 'click'}, which is not installed; "
            "install the 'cli' extra: pip install 'propcrm[cli]' (or, from a checkout, "
            "pip install '.[cli]').",
            extra="cli",
            module=missing.name or "click",
        ) from missing
    from propcrm.cli._commands import cli  # noqa: PLC0415 - every command registered there

    return cli


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    """Run the command line ``argv`` (default: the process's arguments); its exit code.

    ``clock`` is what "today" means for the commands' defaults (default: the system clock, in
    Asia/Shanghai). Errors are printed as messages on stderr, never as tracebacks, unless they
    are bugs (:attr:`ExitCode.FAILED`).
    """
    try:
        group = command_group()
    except MissingExtra as missing:
        sys.stderr.write(f"propcrm: {missing}\n")
        return int(ExitCode.MISSING_EXTRA)
    import click  # noqa: PLC0415 - installed: command_group() checked it

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        # Not standalone: the exit code a command chose is returned rather than sys.exit'ed.
        result = group.main(args, prog_name="propcrm", standalone_mode=False, obj={"clock": clock})
    except click.ClickException as wrong:
        wrong.show()
        return wrong.exit_code
    except click.Abort:
        sys.stderr.write("propcrm: aborted\n")
        return int(ExitCode.FAILED)
    return int(result or 0)


def __dir__() -> list[str]:
    return list(__all__)
