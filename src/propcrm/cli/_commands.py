"""Every command, registered on the ``propcrm`` group by importing its module."""

from __future__ import annotations

from propcrm.cli import _billing, _imports, _setup
from propcrm.cli._app import cli

__all__ = ["cli"]

# Imported for their registration on the group.
_MODULES = (_billing, _imports, _setup)
