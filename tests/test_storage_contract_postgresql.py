"""The storage contract, run against the SQL adapter on a real PostgreSQL server.

The server is ``PROPCRM_PG_URL``, or a throwaway cluster started from the installed binaries
(see ``tests/conftest.py``); without either these tests skip, and CI runs them with
``-m postgresql`` so that a skip there is a failure.
"""

from __future__ import annotations

from typing import Any

import pytest

from propcrm.storage import UnitOfWorkFactory
from propcrm.storage.sql import SqlStore
from propcrm.testing.contract import StorageContract

pytestmark = pytest.mark.postgresql


class TestPostgresqlStore(StorageContract):
    @pytest.fixture
    def unit_of_work_factory(self, postgresql_engine: Any) -> UnitOfWorkFactory:
        return SqlStore(postgresql_engine, upgrade=True)
