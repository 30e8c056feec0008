"""The layers import one way: domain knows nothing, connectors know only the SPI and the domain."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(folder: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def offending(folder: Path, allowed: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    problems = []
    for file, modules in imported_modules(folder).items():
        for module in modules:
            is_ours = module.split(".")[0] in ("omnihub", "omnihub_connectors")
            if (is_ours and not module.startswith(allowed)) or module.startswith(forbidden):
                problems.append(f"{file} imports {module}")
    return problems


def test_domain_does_no_io() -> None:
    assert (
        offending(
            ROOT / "src/omnihub/domain", ("omnihub.domain",), ("sqlalchemy", "fastapi", "asyncpg", "httpx", "starlette")
        )
        == []
    )


def test_connectors_use_only_the_connector_interface_and_domain() -> None:
    assert (
        offending(
            ROOT / "connectors/omnihub_connectors",
            ("omnihub.channels", "omnihub.domain", "omnihub_connectors"),
            ("sqlalchemy", "asyncpg", "fastapi"),
        )
        == []
    )


@pytest.mark.parametrize("layer", ["services", "channels", "db"])
def test_inner_layers_do_not_import_adapters(layer: str) -> None:
    forbidden = (
        "omnihub.api",
        "omnihub.workers",
        "omnihub.realtime",
        "omnihub.app",
        "omnihub.cli",
        "omnihub_connectors",
        "fastapi",
    )
    problems = [p for p in offending(ROOT / "src/omnihub" / layer, ("omnihub",), forbidden)]
    assert problems == []
