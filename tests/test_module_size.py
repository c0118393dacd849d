"""A module a maintainer can read in one sitting: none of the package's modules passes 500 lines."""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "policydiff"
MAX_LINES = 500  # past this, split the module by what its parts do (see corpus/search_build.py, corpus/docstore.py)


def test_no_module_over_500_lines() -> None:
    sizes = {p.relative_to(SRC).as_posix(): len(p.read_text(encoding="utf-8").splitlines()) for p in SRC.rglob("*.py")}
    assert len(sizes) > 40
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
