"""The ``propcrm`` command group, the options every command takes, and a command's session.

Every command takes ``--db`` (a SQLite path or any SQLAlchemy URL), ``--locale``, ``--json``
and ``--today`` (the date taken as today; otherwise the clock's, which an embedding program or a
test passes as ``obj={"clock": clock}``, and which is the system's in Asia/Shanghai by default).
A command's body gets a :class:`Session`; whatever it raises becomes a message on stderr (and,
with ``--json``, an ``{"error": …}`` document on stdout) and the exit code of
:func:`~propcrm.cli._errors.exit_code_of`, without a traceback unless it is a bug.
"""

from __future__ import annotations

import functools
import gc
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

import attrs
import click
import pendulum

import propcrm
from propcrm._i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, check_locale, gettext
from propcrm.cli._errors import EXIT_CODE_TABLE, CommandFailed, ExitCode, exit_code_of
from propcrm.cli._output import Output
from propcrm.errors import MissingExtra, PropcrmError, SchemaOutOfDate, UnsupportedLocale
from propcrm.storage import AccountId
from propcrm.time import BillingPeriod, Clock, SystemClock

if TYPE_CHECKING:
    from propcrm.storage import UnitOfWork
    from propcrm.storage.sql import SqlStore

__all__ = [
    "DATE",
    "DEFAULT_DB",
    "INSTANT",
    "PERIOD",
    "CommunitySettings",
    "Session",
    "account_ids",
    "cli",
    "command_options",
    "community_option",
]

DEFAULT_DB = "propcrm.sqlite"
"""The database every command opens unless ``--db`` says otherwise: a file in the current folder."""

COMMUNITY_KIND = "cli.community"
"""The record kind under which ``init`` keeps each community's settings."""


@attrs.frozen
class CommunitySettings:
    """What ``init`` records for a community: its code, its name, the tariff it bills by."""

    code: str
    name: str
    tariff: str | None = None


# -- option values -----------------------------------------------------------------------------

# Click's ParamType is generic in the stubs of recent releases only; at run time it never is.
if TYPE_CHECKING:
    _ParamType = click.ParamType[Any]
else:
    _ParamType = click.ParamType


class _Date(_ParamType):
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, pendulum.Date):
            return value
        text = str(value)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return pendulum.Date.fromisoformat(text)
            except ValueError:
                pass
        raise self.fail(f"{text!r} is not a date such as 2026-12-31.", param, ctx)


class _Period(_ParamType):
    name = "PERIOD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, BillingPeriod):
            return value
        text = str(value)
        found = re.fullmatch(r"(\d{4})-(\d{2})", text)
        if found and 1 <= int(found.group(2)) <= 12:
            return BillingPeriod.month(int(found.group(1)), int(found.group(2)))
        raise self.fail(f"{text!r} is not a month such as 2026-11.", param, ctx)


class _Instant(_ParamType):
    name = "INSTANT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, pendulum.DateTime):
            return value
        text = str(value)
        try:
            # A time without an offset is Asia/Shanghai's, as every rule's default zone.
            parsed = pendulum.parse(text, tz="Asia/Shanghai")
        except ValueError:
            parsed = None
        if isinstance(parsed, pendulum.DateTime) and ("T" in text or " " in text):
            return parsed
        raise self.fail(f"{text!r} is not a time such as 2026-12-31T09:00.", param, ctx)


DATE = _Date()
PERIOD = _Period()
INSTANT = _Instant()


def _locale(_ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        return check_locale(value)
    except UnsupportedLocale as refused:
        raise click.BadParameter(str(refused), param=param) from None


# -- the session -------------------------------------------------------------------------------


@attrs.define
class Session:
    """One command's database, locale, output and today."""

    db: str
    out: Output
    today: pendulum.Date
    clock: Clock
    today_given: bool = False
    community_code: str | None = None
    _store: SqlStore | None = None

    @property
    def locale(self) -> str:
        """The locale every text for people is in."""
        return self.out.locale

    def _(self, message: str, /, **values: object) -> str:
        """``message`` from the catalogs in the session's locale."""
        return gettext(message, locale=self.locale, **values)

    def store(self, *, create: bool = False) -> SqlStore:
        """The database, opened once; ``create`` makes or upgrades it (``init`` only)."""
        if self._store is None:
            self._store = open_store(self.db, create=create)
        return self._store

    def close(self) -> None:
        """Close the database's connections."""
        if self._store is not None:
            self._store.dispose()
            self._store = None

    def community(self, uow: UnitOfWork) -> CommunitySettings:
        """The community the command works on: ``--community``, or the one ``init`` recorded."""
        codes = list(uow.records.keys(COMMUNITY_KIND, limit=1000).items)
        if not codes:
            raise CommandFailed(
                f"the database {self.db} holds no community yet; record one first: "
                f"propcrm init --db {self.db} --community CODE --name NAME",
                ExitCode.DATABASE,
            )
        code = self.community_code
        if code is None:
            if len(codes) > 1:
                raise CommandFailed(
                    f"the database holds communities {', '.join(codes)}; choose one with "
                    "--community CODE.",
                    ExitCode.INVALID_INPUT,
                )
            code = codes[0]
        if code not in codes:
            raise CommandFailed(
                f"no community {code!r} in the database (it holds {', '.join(codes)}); "
                f"record it with propcrm init --community {code} --name NAME.",
                ExitCode.DATABASE,
            )
        return uow.records.get(COMMUNITY_KIND, code, CommunitySettings).value


_ACCOUNT_KEYS = (
    "SELECT unit_id, billed_party FROM propcrm_accounts WHERE community = :community "
    "ORDER BY unit_id, billed_party"
)


def account_ids(store: SqlStore, community: str) -> dict[str, list[AccountId]]:
    """Every committed account of the community, by unit, in one query.

    Read from the store's documented ``propcrm_accounts`` table, before a unit of work writes:
    asking ``accounts.of_unit`` unit by unit inside a unit of work that has already written
    costs a pass over its writes each time, which a 100,000-unit run cannot afford. A unit of
    work that adds an account another process added meanwhile still fails at its commit.
    """
    import sqlalchemy as sa  # noqa: PLC0415 - the sql extra, present once the store opened

    found: dict[str, list[AccountId]] = {}
    with store.engine.connect() as conn:
        for unit_id, party in conn.execute(sa.text(_ACCOUNT_KEYS), {"community": community}):
            # The adapter writes "" for an account with no billed party (a NULL is not unique).
            found.setdefault(unit_id, []).append(AccountId(community, unit_id, party or None))
    return found


def open_store(db: str, *, create: bool = False) -> SqlStore:
    """The SQL store at ``db`` (a path or a URL); refuses a missing or out-of-date database."""
    try:
        from propcrm.storage.sql import SqlStore  # noqa: PLC0415 - the sql extra, on first use
    except ImportError as missing:
        raise MissingExtra(
            "the command line keeps its data in a database through SQLAlchemy, which is not "
            "installed; install the 'cli' extra: pip install 'propcrm[cli]'.",
            extra="cli",
            module=missing.name or "sqlalchemy",
        ) from missing
    target: str | Path = db if "://" in db else Path(db)
    if not create and isinstance(target, Path) and not target.exists():
        raise CommandFailed(
            f"no database at {target}; create it and record the community with: "
            f"propcrm init --db {db} --community CODE --name NAME",
            ExitCode.DATABASE,
        )
    try:
        # The command owns its process for its length: pausing the cyclic collector while the
        # adapter decodes and writes batches is safe, and halves a bulk load.
        return SqlStore(target, upgrade=create, pause_gc=True)
    except SchemaOutOfDate as behind:
        raise CommandFailed(
            f"{behind} From the command line: propcrm init --db {db} upgrades it.",
            ExitCode.DATABASE,
        ) from behind


# -- the options every command takes ----------------------------------------------------------

F = TypeVar("F", bound=Callable[..., Any])


def _locales_help() -> str:
    return " or ".join(
        f"{name} (the default)" if name == DEFAULT_LOCALE else name for name in SUPPORTED_LOCALES
    )


@overload
def command_options(func: Callable[..., None], /) -> Callable[..., None]: ...
@overload
def command_options(
    *, db_default: str = DEFAULT_DB
) -> Callable[[Callable[..., None]], Callable[..., None]]: ...
def command_options(
    func: Callable[..., None] | None = None, /, *, db_default: str = DEFAULT_DB
) -> Any:
    """Add ``--db``, ``--locale``, ``--json`` and ``--today`` to a command; run it in a session.

    The command function takes ``session`` first, then its own parameters. Used bare, or as
    ``@command_options(db_default=...)`` for a command whose database is elsewhere by default.
    """
    if func is None:
        return functools.partial(command_options, db_default=db_default)

    @click.option(
        "--db",
        default=db_default,
        show_default=True,
        metavar="URL",
        help="the database: a SQLite file path, or any SQLAlchemy URL "
        "(postgresql+psycopg://user@host/db)",
    )
    @click.option(
        "--locale",
        default=DEFAULT_LOCALE,
        callback=_locale,
        metavar="LOCALE",
        help=f"language of the text for people: {_locales_help()}",
    )
    @click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="print one JSON document on stdout (amounts as exact strings) instead of tables",
    )
    @click.option(
        "--today",
        type=DATE,
        default=None,
        help="the date taken as today, for the defaults of --as-of and the like "
        "(default: the clock's, in Asia/Shanghai)",
    )
    @click.pass_context
    def run(
        ctx: click.Context,
        /,
        db: str,
        locale: str,
        as_json: bool,
        today: pendulum.Date | None,
        **params: Any,
    ) -> None:
        obj = ctx.find_root().obj
        clock: Clock = (obj or {}).get("clock") or SystemClock()
        out = Output(locale, as_json=as_json)
        session = Session(
            db=db,
            out=out,
            today=today or clock.today(),
            clock=clock,
            today_given=today is not None,
            community_code=params.pop("community_code", None),
        )
        with _reported(session, ctx):
            func(session, **params)

    # Click names the command after the function and takes its help from the docstring.
    run.__name__, run.__doc__ = func.__name__, func.__doc__
    return run


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a bulk command runs, put back as it was.

    A command that builds hundreds of thousands of values (a month's notices, a bank file's
    postings, an import's rows) owns its process, and none of those values is in a cycle:
    the collector's passes over every live object took a sixth of a 20,000-unit bill. Only
    the commands that hold no rendering library's trees (whose nodes do form cycles) pause it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _reported(session: Session, ctx: click.Context) -> Iterator[None]:
    """Run a command body: a refusal becomes a message and an exit code, never a traceback."""
    try:
        yield
    except (click.exceptions.Exit, click.ClickException, click.Abort):
        raise
    except (CommandFailed, PropcrmError) as error:
        code = exit_code_of(error)
        message = error.message if isinstance(error, CommandFailed) else str(error)
        sys.stderr.write(f"propcrm: {message}\n")
        if session.out.as_json:
            detail: dict[str, object] = {
                "exit_code": int(code),
                "message": message,
                "type": type(error).__name__,
            }
            if isinstance(error, CommandFailed):
                detail.update(error.data)
            else:
                detail.update(field=error.field, allowed=error.allowed, value=repr(error.value))
            session.out.document({"error": detail})
        ctx.exit(int(code))
    except Exception:
        traceback.print_exc()
        sys.stderr.write("propcrm: an unexpected error (a bug); please report it with the above.\n")
        ctx.exit(int(ExitCode.FAILED))
    finally:
        session.close()


def community_option(func: F) -> F:
    """Add ``--community CODE`` (default: the database's only community)."""
    return click.option(
        "--community",
        "community_code",
        default=None,
        metavar="CODE",
        help="the community to work on (default: the one the database holds)",
    )(func)


# -- the group ---------------------------------------------------------------------------------

_EXIT_CODES = "\n".join(f"  {int(code)}  {meaning}" for code, meaning in EXIT_CODE_TABLE)

EPILOG = f"""\b
exit codes:
{_EXIT_CODES}

\b
examples:
  propcrm demo                              the demo, in Chinese, in propcrm-demo.sqlite
  propcrm demo --locale en_US               the same, in English
  propcrm init --community SUNRISE --name 阳光花园 --tariff tariff.json
  propcrm import units units.csv --dry-run  check a unit list, write nothing
  propcrm bill --period 2026-11             issue November's fee notices
  propcrm receipts import bank.csv --received-on 2026-12-06
  propcrm month-end --as-of 2026-12-31 --json
  python -m propcrm --help                  the same, without the script on PATH

documentation: https://github.com/propcrm/propcrm/tree/main/docs
"""


@click.group(
    name="propcrm",
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(propcrm.__version__, prog_name="propcrm", message="%(prog)s %(version)s")
def cli() -> None:
    """A property office's back office in a terminal, over a database.

    Models and rules for the customer side of Chinese property management: exact money, fee
    notices, bank files reconciled, late fees and arrears, SLA deadlines, service requests.
    Every command works on a database (--db, a SQLite file by default).
    """
