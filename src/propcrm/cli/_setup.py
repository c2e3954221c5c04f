"""``propcrm init``: create or upgrade the database, record a community and its tariff.

The community is billed by the domain brief's default policies (monthly notices, due before
the 10th of the following month, a late fee of 0.3 % a day); its tariff comes either from a JSON
document (``--tariff FILE``, as :func:`propcrm.serialization.dumps` writes a
:class:`~propcrm.billing.Tariff`) or, for the common case, from ``--fee TYPE=PRICE`` options: one
management-fee line (物业管理费, yuan per ㎡ per month) per property type, approved by the owners'
committee's decision ``--approval`` of ``--approved-on``. ``--price-list FILE`` publishes a
special-service price list (a :class:`~propcrm.billing.PriceList` document).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
import pendulum

from propcrm.billing import (
    Approval,
    Approver,
    AreaCharge,
    PriceList,
    PropertyType,
    Tariff,
    TariffVersion,
)
from propcrm.cli._app import (
    COMMUNITY_KIND,
    DATE,
    CommunitySettings,
    Session,
    cli,
    command_options,
)
from propcrm.cli._errors import CommandFailed, ExitCode
from propcrm.errors import RecordNotFound
from propcrm.money import Money
from propcrm.serialization import dumps, loads

if TYPE_CHECKING:
    from propcrm.storage import UnitOfWork

__all__ = ["init"]


def _fees(values: tuple[str, ...]) -> dict[PropertyType, tuple[AreaCharge, ...]]:
    charges: dict[PropertyType, tuple[AreaCharge, ...]] = {}
    for value in values:
        kind, _, price = value.partition("=")
        try:
            ptype = PropertyType(kind.strip())
        except ValueError:
            codes = ", ".join(p.value for p in PropertyType)
            raise click.BadParameter(
                f"{value!r}: {kind!r} is not a property type ({codes}); write TYPE=PRICE, "
                "e.g. residential=2.80.",
                param_hint="--fee",
            ) from None
        charges[ptype] = (AreaCharge("MGMT", "物业管理费", Money(price.strip())),)
    return charges


@cli.command()
@click.option("--community", required=True, metavar="CODE", help="the community's code (SUNRISE)")
@click.option("--name", required=True, help="the community's name, as printed on its notices")
@click.option(
    "--tariff",
    "tariff_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="a tariff as a JSON document (propcrm.serialization.dumps of a billing.Tariff)",
)
@click.option(
    "--fee",
    "fees",
    multiple=True,
    metavar="TYPE=PRICE",
    help="a management fee in yuan per m² per month for a property type "
    "(residential=2.80); repeat for each type",
)
@click.option("--approval", help="the decision approving the fees (业委会决议〔2025〕12号)")
@click.option("--approved-on", type=DATE, help="the day the fees were approved")
@click.option("--effective-from", type=DATE, help="the first day the fees apply")
@click.option(
    "--announced-on", type=DATE, help="the day the fees were announced (default: approved)"
)
@click.option(
    "--price-list",
    "price_list_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="a special-service price list as a JSON document (a billing.PriceList)",
)
@command_options
def init(
    session: Session,
    *,
    community: str,
    name: str,
    tariff_file: Path | None,
    fees: tuple[str, ...],
    approval: str | None,
    approved_on: pendulum.Date | None,
    effective_from: pendulum.Date | None,
    announced_on: pendulum.Date | None,
    price_list_file: Path | None,
) -> None:
    """Create or upgrade the database and record a community, its tariff and price list.

    Run it again to upgrade the schema of an older database or add a tariff version; a
    community already recorded keeps its settings unless --name or a tariff is given.
    """
    tariff = _tariff(
        community, tariff_file, fees, approval, approved_on, effective_from, announced_on
    )
    price_list = None if price_list_file is None else loads(price_list_file.read_bytes(), PriceList)
    store = session.store(create=True)
    done: list[str] = []
    with store() as uow:
        settings = CommunitySettings(community, name, tariff.name if tariff else None)
        try:
            stored = uow.records.get(COMMUNITY_KIND, community, CommunitySettings)
        except RecordNotFound:
            uow.records.put(COMMUNITY_KIND, community, settings, 0)
            done.append(session._("community %(code)s recorded", code=community))
        else:
            if tariff is None:
                settings = CommunitySettings(community, name, stored.value.tariff)
            if settings != stored.value:
                uow.records.put(COMMUNITY_KIND, community, settings, stored.version)
                done.append(session._("community %(code)s updated", code=community))
        if tariff is not None:
            done.extend(_store_tariff(session, uow, tariff))
        if price_list is not None:
            try:
                version = uow.price_lists.get(community).version
            except RecordNotFound:
                version = 0
            uow.price_lists.publish(community, price_list, version)
            done.append(session._("price list %(version)s published", version=price_list.version))
        uow.commit()
    session.out.line(session._("database %(db)s is ready (schema up to date)", db=session.db))
    for line in done:
        session.out.line(line)
    session.out.document(
        {
            "command": "init",
            "db": session.db,
            "community": {"code": community, "name": name, "tariff": settings.tariff},
            "done": done,
        }
    )


def _tariff(
    community: str,
    tariff_file: Path | None,
    fees: tuple[str, ...],
    approval: str | None,
    approved_on: pendulum.Date | None,
    effective_from: pendulum.Date | None,
    announced_on: pendulum.Date | None,
) -> Tariff | None:
    if tariff_file is not None and fees:
        raise click.UsageError("give the tariff as --tariff FILE or as --fee options, not both")
    if tariff_file is not None:
        return loads(tariff_file.read_bytes(), Tariff)
    if not fees:
        return None
    if approval is None or approved_on is None or effective_from is None:
        raise click.UsageError(
            "--fee needs --approval, --approved-on and --effective-from: a fee is charged only "
            "once approved (domain brief §2)"
        )
    version = TariffVersion(
        effective_from.isoformat(),
        effective_from=effective_from,
        announced_on=announced_on or approved_on,
        approval=Approval(Approver.OWNERS_COMMITTEE, approval, approved_on),
        charges=_fees(fees),
    )
    return Tariff(community, [version])


def _store_tariff(session: Session, uow: UnitOfWork, tariff: Tariff) -> list[str]:
    try:
        stored = uow.tariffs.get(tariff.name)
    except RecordNotFound:
        uow.tariffs.add(tariff)
        return [session._("tariff %(name)s stored", name=tariff.name)]
    known = {v.version: v for v in stored.value.versions}
    added = []
    version = stored.version
    for candidate in tariff.versions:
        if candidate.version in known:
            # Compared as documents: the canonical form, whatever order the charges came in.
            if dumps(known[candidate.version]) != dumps(candidate):
                raise CommandFailed(
                    f"tariff {tariff.name} already has a version {candidate.version} with other "
                    "terms; a version once stored is never changed: give the new terms a new "
                    "version (a new --effective-from).",
                    ExitCode.CONFLICT,
                )
            continue
        version = uow.tariffs.add_version(tariff.name, candidate, version)
        added.append(
            session._(
                "tariff %(name)s: version %(version)s added",
                name=tariff.name,
                version=candidate.version,
            )
        )
    return added
