"""`pip install .` (not editable) ships every package of the tree: a folder with an __init__.py that
pyproject.toml does not list would import in the checkout and fail once installed."""
from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_listed_in_pyproject():
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(conf["tool"]["setuptools"]["packages"])
    skip = {".venv", "build", "tests", "scripts", "docs"}
    found = {"kehoach"} | {
        "kehoach." + ".".join(p.parent.relative_to(ROOT).parts)
        for p in ROOT.rglob("__init__.py")
        if p.parent != ROOT and not skip.intersection(p.relative_to(ROOT).parts)
        and not any(part.startswith(".") for part in p.relative_to(ROOT).parts)}
    assert found <= listed, f"missing from pyproject packages: {sorted(found - listed)}"
