"""Doctest namespace: the names every docstring example may use without importing them.

Importing every package here, before pytest collects any module under ``src/`` by path, also
keeps ``--import-mode=importlib`` from loading a module a second time under another name.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import attrs
import pendulum
import pytest

import propcrm.archive
import propcrm.billing
import propcrm.money
import propcrm.parties
import propcrm.receivables
import propcrm.sla
import propcrm.time
import propcrm.visitors
from propcrm._property_types import PropertyType


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict[str, Any]) -> None:
    for module in (propcrm.money, propcrm.time, propcrm.billing, propcrm.receivables):
        doctest_namespace.update({name: getattr(module, name) for name in module.__all__})
    doctest_namespace.update(
        attrs=attrs,
        datetime=datetime,
        Decimal=Decimal,
        pendulum=pendulum,
        PropertyType=PropertyType,
    )
