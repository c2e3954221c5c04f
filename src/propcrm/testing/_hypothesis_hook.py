"""Hypothesis entry point: registers propcrm's strategies for ``st.from_type``.

Hypothesis calls :func:`_hypothesis_setup_hook` while it is itself being imported, in any
environment where propcrm is installed (``[project.entry-points.hypothesis]``). The module that
defines the strategies may be the one importing hypothesis at that moment, so each registration
is deferred: the strategy module is looked up only when a strategy is first drawn.
"""

from __future__ import annotations

import importlib
from typing import Any


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st  # noqa: PLC0415  # hypothesis is mid-import here

    from propcrm.testing import _registry  # noqa: PLC0415

    def later(name: str) -> Any:
        def build() -> Any:
            return getattr(importlib.import_module("propcrm.testing.strategies"), name)()

        return st.deferred(build)

    for cls, strategy_name in _registry.default_strategies():
        st.register_type_strategy(cls, later(strategy_name))
