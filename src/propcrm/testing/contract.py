"""The storage contract, as a pytest suite any adapter runs: subclass one class, give one fixture.

:class:`StorageContract` holds every test an adapter of :mod:`propcrm.storage` must pass: get,
add, find, as-of and pages of each repository; stream versions and the refusal of a stale
append; replay equal to the stored account or request, and to its snapshot; commit and rollback
of every repository together; the bank-reference rules; the four daily queries (the arrears
scan, the statements of a period, the requests due, the parties of a unit on a date); and the
isolation between units of work, two threads included.

In a test module of your adapter (the class's name must start with ``Test`` for pytest to
collect it; the base class's does not, so importing it runs nothing twice)::

    import pytest
    from propcrm.testing.contract import StorageContract
    from myapp.storage import MyStore


    class TestMyStore(StorageContract):
        @pytest.fixture
        def unit_of_work_factory(self, tmp_path):
            return MyStore(tmp_path / "crm.sqlite")  # a fresh, empty store per test

The fixture returns a callable that gives a fresh unit of work of an empty store; each test
asks for its own. Run one group with ``pytest -k`` (``-k arrears``), skip one by overriding it
in the subclass with ``pytest.mark.skip``, as SQLAlchemy's dialect suite does. Needs pytest
and the ``testing`` extra.

>>> tests = [name for name in dir(StorageContract) if name.startswith("test_")]
>>> len(tests) >= 25, "test_a_stale_append_is_refused_and_writes_nothing" in tests
(True, True)
"""

from __future__ import annotations

from propcrm.testing._contract import StorageContract

__all__ = ["StorageContract"]
