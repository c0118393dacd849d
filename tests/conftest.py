from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
# The project's gold files and scorer live in ../shared; a copy is kept in tests/fixtures/shared so that a clean
# clone (CI) still runs the gold tests. test_shared_copy_is_current catches drift when both are present.
PROJECT_SHARED = ROOT.parent / "shared"
SHARED_COPY = ROOT / "tests" / "fixtures" / "shared"
SHARED = PROJECT_SHARED if (PROJECT_SHARED / "gold" / "structure.tsv").exists() else SHARED_COPY
SEEDS = sorted(RAW.glob("*.txt"))


@pytest.fixture(autouse=True)
def _repo_root_cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    # Parsed JSON records relative source paths; run every test from the repo root.
    monkeypatch.chdir(ROOT)


def parse_seed(stem: str):
    """A fresh parse of one seed's text (a test may change it without touching the shared `seed_docs`)."""
    import policydiff

    return policydiff.parse_text((RAW / f"{stem}.txt").read_text(encoding="utf-8"), name=stem)


@pytest.fixture(scope="session")
def seed_docs():
    import policydiff

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return {p.stem: policydiff.parse_file(Path("data/raw") / p.name) for p in SEEDS}
    finally:
        os.chdir(cwd)
