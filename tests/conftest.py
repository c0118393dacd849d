from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared"
SEEDS = sorted(RAW.glob("*.txt"))


@pytest.fixture(autouse=True)
def _repo_root_cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    # Parsed JSON records relative source paths; run every test from the repo root.
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="session")
def seed_docs():
    import policydiff

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return {p.stem: policydiff.parse_file(Path("data/raw") / p.name) for p in SEEDS}
    finally:
        os.chdir(cwd)
