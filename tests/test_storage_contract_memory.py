"""The storage contract, run against the in-memory adapter, with and without serialization."""

from __future__ import annotations

import pytest

from propcrm.storage import MemoryStore, UnitOfWorkFactory
from propcrm.testing.contract import StorageContract


class TestMemoryStore(StorageContract):
    """Every value through serialization, as a SQL adapter stores it."""

    @pytest.fixture
    def unit_of_work_factory(self) -> UnitOfWorkFactory:
        return MemoryStore()


class TestMemoryStoreLive(StorageContract):
    """Live values, as a small embedding keeps them."""

    @pytest.fixture
    def unit_of_work_factory(self) -> UnitOfWorkFactory:
        return MemoryStore(check_serialization=False)
