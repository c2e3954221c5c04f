"""The storage contract of the community's business: concessions, votes, affairs, parking...

:class:`CommunityContract` gathers the parts (each in its own module) that
:class:`~propcrm.testing.contract.StorageContract` runs on every adapter.
"""

from __future__ import annotations

import pendulum
import pytest

from propcrm.billing import Approval, Approver, Concession
from propcrm.errors import RecordExists, RecordNotFound
from propcrm.storage import UnitOfWorkFactory
from propcrm.testing._contract_business import BusinessContract
from propcrm.testing._contract_votes import VotesContract

__all__ = ["CommunityContract"]

COMMITTEE = Approval(Approver.OWNERS_COMMITTEE, "业委会决议〔2026〕3号", pendulum.date(2026, 8, 20))


def _vacancy(code: str = "VAC-0301", unit_id: str = "1-2-0301", **changes: object) -> Concession:
    values: dict[str, object] = {
        "unit_id": unit_id,
        "percent": "50",
        "first": pendulum.date(2026, 9, 1),
        "last": pendulum.date(2026, 11, 30),
        "evidence": "空置查验 2026-08-28",
        "charges": ("MGMT",),
        "approval": COMMITTEE,
    }
    values.update(changes)
    return Concession.vacant_unit(code, "空置房优惠", **values)  # type: ignore[arg-type]


def _relief() -> Concession:
    return Concession.fixed_term(
        "RELIEF-2026",
        "阶段性减免",
        first=pendulum.date(2026, 11, 1),
        last=pendulum.date(2027, 1, 31),
        charges=("MGMT",),
        percent="10",
        approval=COMMITTEE,
    )


class CommunityContract(VotesContract, BusinessContract):
    """The community repositories' part of :class:`~propcrm.testing.contract.StorageContract`."""

    def test_a_concession_is_stored_once_and_read_back_equal(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        vacancy = _vacancy()
        with unit_of_work_factory() as uow:
            assert uow.concessions.add("SUNRISE", vacancy) is True
            uow.commit()
        with unit_of_work_factory() as uow:
            assert uow.concessions.get("SUNRISE", "VAC-0301") == vacancy
            # The same decision again (an import re-run) stores nothing twice.
            assert uow.concessions.add("SUNRISE", vacancy) is False
            with pytest.raises(RecordNotFound):
                uow.concessions.get("MOONLIGHT", "VAC-0301")

    def test_a_concession_code_names_one_decision(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            uow.concessions.add("SUNRISE", _vacancy())
            uow.commit()
        with unit_of_work_factory() as uow:
            with pytest.raises(RecordExists, match="VAC-0301"):
                uow.concessions.add("SUNRISE", _vacancy(percent="80"))
            # Codes are the community's own: another community may use the same one.
            assert uow.concessions.add("MOONLIGHT", _vacancy(percent="80")) is True

    def test_the_concessions_a_billing_run_applies(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        vacancy, relief = _vacancy(), _relief()
        other = _vacancy(
            "VAC-0502",
            "1-5-0502",
            first=pendulum.date(2026, 12, 1),
            last=pendulum.date(2027, 2, 28),
        )
        later = _vacancy(
            "VAC-0301B", first=pendulum.date(2027, 2, 1), last=pendulum.date(2027, 4, 30)
        )
        with unit_of_work_factory() as uow:
            for concession in (later, other, relief, vacancy):
                uow.concessions.add("SUNRISE", concession)
            uow.commit()
        with unit_of_work_factory() as uow:
            november = uow.concessions.in_force(
                "SUNRISE", pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 30)
            )
            assert november == (vacancy, relief)
            december = uow.concessions.in_force(
                "SUNRISE",
                pendulum.date(2026, 12, 1),
                pendulum.date(2026, 12, 31),
                unit_id="1-2-0301",
            )
            # The vacancy ended in November; the relief is for every unit.
            assert december == (relief,)
            assert uow.concessions.in_force(
                "SUNRISE",
                pendulum.date(2026, 11, 30),
                pendulum.date(2026, 11, 30),
                unit_id="1-5-0502",
            ) == (relief,)
            assert (
                uow.concessions.in_force(
                    "MOONLIGHT", pendulum.date(2026, 1, 1), pendulum.date(2027, 12, 31)
                )
                == ()
            )

    def test_a_concession_not_committed_is_not_stored(
        self, unit_of_work_factory: UnitOfWorkFactory
    ) -> None:
        with unit_of_work_factory() as uow:
            uow.concessions.add("SUNRISE", _vacancy())
            assert uow.concessions.get("SUNRISE", "VAC-0301") == _vacancy()
        with unit_of_work_factory() as uow, pytest.raises(RecordNotFound):
            uow.concessions.get("SUNRISE", "VAC-0301")
