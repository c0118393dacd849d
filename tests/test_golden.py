"""Exact outputs of the commands, compared byte for byte with files under tests/golden/.

After a deliberate change of an output, regenerate them with
`POLICYDIFF_REGEN_GOLDEN=1 pytest tests/test_golden.py` and read the diff before committing.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from conftest import RAW, ROOT
from policydiff.cli import app

GOLDEN = ROOT / "tests" / "golden"
REGEN = os.environ.get("POLICYDIFF_REGEN_GOLDEN") == "1"
# A fixed terminal width: rich wraps tables to it.
WIDTH = {"COLUMNS": "200"}

runner = CliRunner()
ZZ = "data/raw/zhengzhou-2022-highland-plan.txt"
XZ = "data/raw/xinzheng-2023-highland-plan.txt"
KF = "data/raw/kaifeng-2021-expansion-plan.txt"


def transcript(result: Result, tmp: Path | None = None) -> str:
    """stdout, then stderr and the exit code, with temporary paths written as TMP."""
    text = result.stdout
    if result.stderr:
        text += "--- stderr\n" + result.stderr
    text += f"--- exit {result.exit_code}\n"
    if tmp is not None:
        text = text.replace(str(tmp), "TMP")
    return text


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return
    assert path.exists(), f"{path} is missing: run POLICYDIFF_REGEN_GOLDEN=1 pytest {Path(__file__).name}"
    expected = path.read_bytes().decode("utf-8")
    # Exact comparison; on failure pytest shows the differing lines.
    assert text.splitlines() == expected.splitlines()
    assert text == expected


def run(args: list[str], tmp: Path | None = None) -> str:
    result = runner.invoke(app, args, env=WIDTH)
    assert "Traceback" not in result.output
    return transcript(result, tmp)


# --- compare ---------------------------------------------------------------------------------------


# JSON is left out: it is the models' own dump, and large.
@pytest.mark.parametrize(("fmt", "suffix"), [("table", "txt"), ("csv", "csv"), ("markdown", "md")])
def test_compare_two(fmt: str, suffix: str) -> None:
    assert_golden(f"compare-zz-xz.{suffix}", run(["compare", ZZ, XZ, "--format", fmt]))


@pytest.mark.parametrize(("fmt", "suffix"), [("table", "txt"), ("csv", "csv"), ("markdown", "md")])
def test_compare_three(fmt: str, suffix: str) -> None:
    assert_golden(f"compare-zz-xz-kf.{suffix}", run(["compare", ZZ, XZ, KF, "--format", fmt]))


def test_compare_detail_table() -> None:
    # Without a terminal there is no colour: word changes are marked [-…-]{+…+}.
    assert_golden("compare-zz-xz-detail.txt", run(["compare", ZZ, XZ, "--detail"]))


def test_compare_table_written_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "compare.txt"
    assert_golden("compare-zz-kf-out.txt", run(["compare", ZZ, KF, "--out", str(out)], tmp_path) + out.read_text(encoding="utf-8"))


# --- targets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "suffix"), [("table", "txt"), ("csv", "csv"), ("json", "json")])
def test_targets(fmt: str, suffix: str) -> None:
    assert_golden(f"targets-kf.{suffix}", run(["targets", KF, "--format", fmt]))


@pytest.mark.parametrize(("fmt", "suffix"), [("table", "txt"), ("csv", "csv"), ("json", "json")])
def test_targets_compare(fmt: str, suffix: str) -> None:
    assert_golden(f"targets-compare.{suffix}", run(["targets", ZZ, XZ, KF, "--compare", "--format", fmt]))


# --- parse -----------------------------------------------------------------------------------------


def test_parse_summary(tmp_path: Path) -> None:
    assert_golden("parse-summary.txt", run(["parse", "data/raw", "--out", str(tmp_path)], tmp_path))


# --- check -----------------------------------------------------------------------------------------


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """Three seeds, a copy of the Zhengzhou plan without clause 7, a document with only a warning, and a lock file."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in (ZZ, XZ, KF):
        shutil.copy(ROOT / name, folder)
    text = (RAW / "zhengzhou-2022-highland-plan.txt").read_text(encoding="utf-8")
    (folder / "zhengzhou-cut.txt").write_text(re.sub(r"\n7\.[^\n]*", "", text, count=1), encoding="utf-8")
    shutil.copy(ROOT / "tests/fixtures/genres/jud-crime-names-supplement-7-2021.md", folder)
    (folder / "~$lock.docx").write_bytes(b"\0" * 162)
    return folder


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_check_formats(collection: Path, tmp_path: Path, fmt: str) -> None:
    suffix = {"text": "txt", "json": "json", "github": "github.txt"}[fmt]
    out = run(["check", str(collection), "--format", fmt, "--parsed", str(tmp_path / "none")], tmp_path)
    assert_golden(f"check.{suffix}", out)


def test_check_strict_fails_on_warnings_only(tmp_path: Path) -> None:
    warned = "tests/fixtures/genres/jud-crime-names-supplement-7-2021.md"
    lenient = runner.invoke(app, ["check", warned])
    strict = runner.invoke(app, ["check", warned, "--strict"])
    assert (lenient.exit_code, strict.exit_code) == (0, 1)
    assert lenient.stdout == strict.stdout
    assert strict.stderr == "checked: 0 errors, 1 warnings\n"
    assert_golden("check-strict.txt", transcript(strict, tmp_path))
    # A clean document passes --strict.
    assert runner.invoke(app, ["check", KF, "--strict"]).exit_code == 0


# --- index, lineage, search ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An index of data/raw built by the CLI, and the transcript of that run."""
    base = tmp_path_factory.mktemp("golden")
    out = base / "index"
    result = runner.invoke(app, ["index", str(RAW), "--out", str(out)], env=WIDTH)
    return out, transcript(result, base)


def test_index_cli(seed_index: tuple[Path, str]) -> None:
    index, text = seed_index
    assert text == "indexed 5 documents: 5 parsed, 0 unchanged, 0 removed, 0 failed\n--- exit 0\n"
    assert (index / "manifest.json").is_file() and (index / "documents.parquet").is_file()
    again = runner.invoke(app, ["index", str(RAW), "--out", str(index)])
    assert again.exit_code == 0 and again.stdout == "indexed 5 documents: 0 parsed, 5 unchanged, 0 removed, 0 failed\n"


@pytest.mark.parametrize(("fmt", "suffix"), [("table", "txt"), ("json", "json"), ("csv", "csv"), ("graphml", "graphml"), ("html", "html")])
def test_lineage(seed_index: tuple[Path, str], fmt: str, suffix: str) -> None:
    index, _ = seed_index
    assert_golden(f"lineage.{suffix}", run(["lineage", str(index), "--format", fmt], index.parent))


def test_search(seed_index: tuple[Path, str]) -> None:
    index, _ = seed_index
    assert_golden("search.txt", run(["search", str(index), "xinzheng-2023-highland-plan:s2.s2.c3", "--top", "5"], index.parent))
