"""The storage contract, run against the SQL adapter on a SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from propcrm.storage import UnitOfWorkFactory
from propcrm.storage.sql import SqlStore
from propcrm.testing.contract import StorageContract


class TestSqliteStore(StorageContract):
    @pytest.fixture
    def unit_of_work_factory(self, tmp_path: Path) -> Iterator[UnitOfWorkFactory]:
        store = SqlStore(tmp_path / "crm.sqlite", upgrade=True)
        yield store
        store.dispose()
