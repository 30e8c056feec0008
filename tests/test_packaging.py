"""Packaging: the lock file pins what pyproject asks for, and a built wheel runs outside the checkout."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import httpx
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
# What the build reads; copied so that the checkout's build/ and egg-info never end up in the wheel.
BUILD_INPUTS = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE", "src", "connectors", "migrations"]


def project_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(line) for line in project["dependencies"] + project["optional-dependencies"]["test"]]


def locked_versions() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        specifiers = list(requirement.specifier)
        assert [s.operator for s in specifiers] == ["=="], f"requirements.lock: not an exact pin: {line}"
        pins[canonicalize_name(requirement.name)] = Version(specifiers[0].version)
    return pins


def test_lock_file_pins_every_dependency_within_pyprojects_range() -> None:
    pins = locked_versions()
    for requirement in project_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is missing from requirements.lock: regenerate it (docs/deployment.md)"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {name}=={pins[name]}, outside pyproject's {requirement.specifier}"
        )


def build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.py[cod]", "*.egg-info", "node_modules")
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path / "dist"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(source), "-w", str(dist)]
    subprocess.run(pip_wheel, check=True, timeout=300)
    (wheel,) = dist.glob("omnihub-*.whl")
    return wheel


def venv_with(wheel: Path, venv: Path) -> Path:
    """A fresh venv holding ``wheel``; its dependencies come from this interpreter's site-packages."""
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # --ignore-installed: this interpreter's editable omnihub is visible (system site-packages), not replaced.
    install = ["install", "--quiet", "--no-deps", "--no-index", "--ignore-installed", str(wheel)]
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), *install], check=True, timeout=300)
    return python


def clean_environment() -> dict[str, str]:
    """This environment without anything that would point the hub back at the checkout."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("OMNIHUB_")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_health(url: str, server: subprocess.Popen[bytes], log: Path, within_seconds: float = 60) -> None:
    deadline = time.monotonic() + within_seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, f"omnihub serve exited with {server.returncode}:\n{log.read_text()}"
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"/healthz did not answer 200 within {within_seconds} s:\n{log.read_text()}")


def test_wheel_installed_elsewhere_migrates_and_serves(tmp_path: Path) -> None:
    python = venv_with(build_wheel(tmp_path), tmp_path / "venv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = clean_environment()

    where = subprocess.run(
        [str(python), "-c", "import omnihub.db.migrate as m; print(m.__file__); print(m.migrations_dir())"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    site_packages = tmp_path / "venv" / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    assert Path(where[0]).is_relative_to(site_packages), f"omnihub imported from {where[0]}, not the wheel"
    assert Path(where[1]) == site_packages / "site-packages" / "omnihub" / "_migrations"

    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(tmp_path / "venv" / "bin" / "omnihub"), "serve", "--data-dir", "data", "--port", str(port)],
            cwd=elsewhere,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_health(f"http://127.0.0.1:{port}", server, log)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert (elsewhere / "data" / "postgres" / "PG_VERSION").read_text().strip() == "18"


def test_a_cluster_of_another_postgresql_major_is_refused_with_a_way_out(tmp_path: Path) -> None:
    from omnihub.db.embedded import IncompatibleDataDirectory, start_embedded_postgres

    pgdata = tmp_path / "postgres"
    pgdata.mkdir()
    (pgdata / "PG_VERSION").write_text("16\n")  # as the hub made it when it ran on pgserver
    try:
        start_embedded_postgres(pgdata)
    except IncompatibleDataDirectory as refused:
        assert "PostgreSQL 16 cluster" in str(refused) and "pg_dump" in str(refused)
    else:
        raise AssertionError("a PostgreSQL 16 cluster was opened by the PostgreSQL 18 server")
    assert not (pgdata / "postmaster.pid").exists(), "no server may have been started on it"
