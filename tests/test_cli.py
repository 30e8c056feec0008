"""The command line on the embedded default: serve, and manage users and tokens while it runs."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.callback_server import free_port


def omnihub(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "omnihub.cli", *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def start_server(data_dir: Path, port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "omnihub.cli", "serve", "--data-dir", str(data_dir), "--port", str(port)],
            env=env,
            stdout=output,
            stderr=output,
        )


def wait_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("server did not become healthy")


def postgres_running(data_dir: Path) -> bool:
    pid_file = data_dir / "postgres" / "postmaster.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().split()[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OMNIHUB_")}
    return clean


def test_serve_on_embedded_postgres_with_users_and_tokens(tmp_path: Path, env: dict[str, str]) -> None:
    data_dir = tmp_path / "hub-data"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    server = start_server(data_dir, port, env, log)
    try:
        wait_healthy(url, server, log)
        created = omnihub(
            "users",
            "create",
            "Boss@Example.com",
            "--name",
            "Boss",
            "--role",
            "admin",
            "--data-dir",
            str(data_dir),
            env=env,
        )
        assert created.returncode == 0, created.stderr
        duplicate = omnihub("users", "create", "boss@example.com", "--name", "B", "--data-dir", str(data_dir), env=env)
        assert duplicate.returncode == 1 and "exists already" in duplicate.stderr
        token = omnihub("tokens", "create", "boss@example.com", "--name", "ci", "--data-dir", str(data_dir), env=env)
        assert token.returncode == 0, token.stderr
        unknown = omnihub("tokens", "create", "nobody@example.com", "--data-dir", str(data_dir), env=env)
        assert unknown.returncode == 1 and "not found" in unknown.stderr
        expiring = omnihub(
            "tokens", "create", "boss@example.com", "--expires-in-days", "30", "--data-dir", str(data_dir), env=env
        )
        assert expiring.returncode == 0 and expiring.stdout.strip().startswith("omh_"), expiring.stderr
        never = omnihub(
            "tokens", "create", "boss@example.com", "--expires-in-days", "0", "--data-dir", str(data_dir), env=env
        )
        assert never.returncode == 1 and "must be positive" in never.stderr

        lines = token.stdout.splitlines()
        assert len(lines) == 1 and lines[0].startswith("omh_")
        headers = {"Authorization": f"Bearer {lines[0]}"}
        inbox = httpx.post(f"{url}/api/v1/inboxes", headers=headers, json={"name": "Site", "channel_type": "api"})
        assert inbox.status_code == 201
        assert httpx.get(f"{url}/openapi.json").json()["info"]["title"] == "omnihub"
        assert postgres_running(data_dir)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert not postgres_running(data_dir), "the embedded PostgreSQL must stop with the hub"

    # Started again on the same directory, the hub finds its data.
    server = start_server(data_dir, port, env, log)
    try:
        wait_healthy(url, server, log)
        inboxes = httpx.get(f"{url}/api/v1/inboxes", headers=headers)
        assert [i["name"] for i in inboxes.json()["items"]] == ["Site"]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def test_cli_uses_an_external_database_by_url(database_url: str, env: dict[str, str], tmp_path: Path) -> None:
    env = {**env, "OMNIHUB_DATABASE_URL": database_url, "OMNIHUB_DATA_DIR": str(tmp_path / "unused")}

    created = omnihub("users", "create", "agent@example.com", "--name", "Agent", env=env)

    assert created.returncode == 0, created.stderr
    assert "created agent agent@example.com" in created.stdout
    assert not (tmp_path / "unused" / "postgres").exists()


def test_passwords_come_from_stdin_never_the_command_line(database_url: str, env: dict[str, str]) -> None:
    env = {**env, "OMNIHUB_DATABASE_URL": database_url}

    on_command_line = omnihub("users", "create", "a@example.com", "--name", "A", "--password", "secret123", env=env)
    too_short = omnihub("users", "create", "a@example.com", "--name", "A", "--password-stdin", env=env, stdin="short\n")
    created = omnihub(
        "users", "create", "a@example.com", "--name", "A", "--password-stdin", env=env, stdin="long enough\n"
    )
    reset = omnihub("users", "set-password", "a@example.com", "--password-stdin", env=env, stdin="another one\n")

    assert on_command_line.returncode == 1
    assert "process list" in on_command_line.stderr and "--password-stdin" in on_command_line.stderr
    assert too_short.returncode == 1 and "at least 8 characters" in too_short.stderr
    assert created.returncode == 0, created.stderr
    assert reset.returncode == 0 and "password set for a@example.com" in reset.stdout


def test_tokens_are_listed_and_revoked_and_users_deactivated(database_url: str, env: dict[str, str]) -> None:
    env = {**env, "OMNIHUB_DATABASE_URL": database_url}
    assert omnihub("users", "create", "b@example.com", "--name", "B", env=env).returncode == 0
    for name in ("ci", "export"):
        assert omnihub("tokens", "create", "b@example.com", "--name", name, env=env).returncode == 0

    def listed() -> list[list[str]]:
        shown = omnihub("tokens", "list", env=env)
        assert shown.returncode == 0, shown.stderr
        header, *rows = shown.stdout.splitlines()
        assert header.split("\t") == ["id", "user", "name", "created", "last used", "expires"]
        return [row.split("\t") for row in rows]

    before = listed()
    revoked = omnihub("tokens", "revoke", before[0][0], env=env)
    again = omnihub("tokens", "revoke", before[0][0], env=env)
    deactivated = omnihub("users", "deactivate", "b@example.com", env=env)

    assert [(row[1], row[2], row[5]) for row in before] == [
        ("b@example.com", "ci", "never"),
        ("b@example.com", "export", "never"),
    ]
    assert revoked.returncode == 0 and [row[2] for row in listed()] == ["export"]
    assert again.returncode == 1 and "not found" in again.stderr
    assert deactivated.returncode == 0 and "deactivated b@example.com" in deactivated.stdout
