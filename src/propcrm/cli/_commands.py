"""Every command, registered on the ``propcrm`` group by importing its module."""

from __future__ import annotations

from propcrm.cli import (
    _billing,
    _demo,
    _export,
    _imports,
    _month_end,
    _notices,
    _receipts,
    _service,
    _setup,
)
from propcrm.cli._app import cli

__all__ = ["cli"]

# Imported for their registration on the group, in the order --help lists them (alphabetical).
_MODULES = (_billing, _demo, _export, _imports, _month_end, _notices, _receipts, _service, _setup)
