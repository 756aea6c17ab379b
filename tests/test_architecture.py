"""docs/architecture.md and the import contracts in pyproject.toml keep up with the apps: an
app (a package under src/kizuki with an apps.py) that either leaves out fails here."""

import re
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(path.parent.name for path in (ROOT / "src" / "kizuki").glob("*/apps.py"))


def contract(contract_id: str) -> dict[str, Any]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, Any]] = config["tool"]["importlinter"]["contracts"]
    (found,) = [c for c in contracts if c["id"] == contract_id]
    return found


def layer_lines() -> list[str]:
    """The contract's layers, highest first, each written as "a | b"."""
    layers = contract("layers")["layers"]
    return [" | ".join(re.split(r"\s*[|:]\s*", line.strip())) for line in layers]


def documented_layers() -> list[str]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"^## Layers\n.*?```\n(.*?)```", text, re.DOTALL | re.MULTILINE)
    assert block, "docs/architecture.md has no '## Layers' section with the order in a code block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_there_are_apps_to_check() -> None:
    assert {"core", "accounts", "incidents"} <= set(APPS)


def test_every_app_is_described_in_the_architecture_document() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [app for app in APPS if f"`{app}/`" not in text]
    assert not missing, f"docs/architecture.md does not describe: {', '.join(missing)}"


def test_every_app_has_its_place_in_the_layers_contract() -> None:
    layered = {name for line in layer_lines() for name in line.split(" | ")}
    missing = [app for app in APPS if app not in layered]
    assert not missing, f"the layers contract in pyproject.toml leaves out: {', '.join(missing)}"


def test_the_document_shows_the_layers_the_contract_checks() -> None:
    assert documented_layers() == layer_lines()
