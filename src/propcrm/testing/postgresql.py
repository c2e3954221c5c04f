"""A throwaway PostgreSQL server for tests and benchmarks, from the binaries installed here.

:func:`postgresql_url` gives the server named by ``PROPCRM_PG_URL`` when that is set, else
starts one: ``initdb`` into a temporary directory, ``pg_ctl start`` on loopback (a free port,
its socket in the same directory), and stops and removes it when the ``with`` block ends. The
binaries are found on ``PATH``, else in ``pg_config --bindir``, else in
``/usr/lib/postgresql/*/bin`` (Debian's ``postgresql`` package). PostgreSQL refuses to run as
root, so as root the cluster runs as the ``postgres`` user where there is one (Debian creates
it), else as ``nobody``, through ``runuser``.

The project's own suite uses it as a session fixture (``tests/conftest.py``), and
``benchmarks/bench_storage.py`` the same way; a third party can run the storage contract on
PostgreSQL with it in a few lines:

.. code-block:: python

    @pytest.fixture(scope="session")
    def pg_url():
        with postgresql_url() as url:
            yield url

>>> find_binaries() is None or (find_binaries() / "initdb").exists()
True
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from propcrm.errors import PostgresUnavailable

__all__ = ["URL_VARIABLE", "find_binaries", "postgresql_url"]

#: The environment variable naming a server to use instead of starting one.
URL_VARIABLE = "PROPCRM_PG_URL"


def find_binaries() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``, or ``None`` where none is installed."""
    on_path = shutil.which("pg_ctl")
    if on_path is not None and shutil.which("initdb") is not None:
        return Path(os.path.realpath(on_path)).parent
    config = shutil.which("pg_config")
    if config is not None:
        done = subprocess.run([config, "--bindir"], capture_output=True, text=True, check=False)
        bindir = Path(done.stdout.strip())
        if done.returncode == 0 and (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _runner() -> tuple[list[str], int | None]:
    """The command prefix to run the server's binaries, and the uid that must own its files."""
    if os.geteuid() != 0:
        return [], None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return ["runuser", "-u", name, "--"], pwd.getpwnam(name).pw_uid
    raise PostgresUnavailable(
        "running as root with neither a 'postgres' nor a 'nobody' user to run PostgreSQL as.",
        user="root",
    )


@contextlib.contextmanager
def postgresql_url() -> Iterator[str]:
    """A SQLAlchemy URL of a PostgreSQL server, for the ``with`` block.

    ``PROPCRM_PG_URL`` if set (left as it is), else a throwaway cluster, stopped and removed
    at the end. Raises :class:`~propcrm.errors.PostgresUnavailable` where neither can be had.
    """
    given = os.environ.get(URL_VARIABLE)
    if given:
        yield given
        return
    bindir = find_binaries()
    if bindir is None:
        raise PostgresUnavailable(
            f"no PostgreSQL to test against: set {URL_VARIABLE} or install the server "
            "(initdb and pg_ctl; Debian's 'postgresql' package).",
            variable=URL_VARIABLE,
        )
    prefix, owner = _runner()
    home = Path(tempfile.mkdtemp(prefix="propcrm-pg-"))
    data, port = home / "data", _free_port()
    if owner is not None:
        os.chown(home, owner, -1)
    run = [*prefix]
    try:
        subprocess.run(
            [
                *run,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "propcrm",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {home} -c fsync=off -c max_connections=50"
        )
        subprocess.run(
            [
                *run,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(home / "log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ],
            check=True,
            capture_output=True,
        )
    except subprocess.CalledProcessError as error:
        log = home / "log"
        detail = log.read_text(errors="replace") if log.exists() else ""
        shutil.rmtree(home, ignore_errors=True)
        raise PostgresUnavailable(
            f"could not start a throwaway PostgreSQL from {bindir}: "
            f"{error.stderr.decode(errors='replace')}{detail}",
            binaries=str(bindir),
        ) from error
    try:
        yield f"postgresql+psycopg://propcrm@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*run, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(home, ignore_errors=True)
