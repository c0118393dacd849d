"""The in-repo copy of the shared gold files and scorer matches the project's ../shared when it is present."""

from __future__ import annotations

import pytest

from conftest import PROJECT_SHARED, SHARED_COPY

COPIED = ["gold/structure.tsv", "gold/align-zhengzhou-xinzheng.tsv", "tools/score_alignment.py"]


@pytest.mark.parametrize("rel", COPIED)
def test_shared_copy_is_current(rel: str) -> None:
    copy = SHARED_COPY / rel
    assert copy.exists(), f"{copy} is missing: copy it from ../shared/{rel}"
    original = PROJECT_SHARED / rel
    if original.exists():
        assert copy.read_bytes() == original.read_bytes(), f"{copy} differs from ../shared/{rel}: copy it again"
