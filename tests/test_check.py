"""`policydiff check` on the seed collection and on a copy with a clause deleted."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from conftest import RAW, ROOT
from policydiff.check import check_paths
from policydiff.cli import app

runner = CliRunner()
SEED = RAW / "zhengzhou-2022-highland-plan.txt"


def test_check_seed_collection_is_clean() -> None:
    result = runner.invoke(app, ["check", "data/raw"])
    assert result.exit_code == 0, result.stdout
    assert ": error:" not in result.stdout and "Traceback" not in result.output
    # data/parsed was compared too: every seed's parsed JSON is there and up to date.
    findings = check_paths([Path("data/raw")], parsed_dir=Path("data/parsed"))
    assert [f for f in findings if f.severity == "error"] == []


def cut_clause_seven(tmp_path: Path) -> tuple[Path, int]:
    """A collection: the seeds plus a copy of the Zhengzhou plan without clause 7 (it still declares 25 tasks)."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for seed in sorted(RAW.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    lines = SEED.read_text(encoding="utf-8").split("\n")
    seven = next(i for i, line in enumerate(lines) if line.startswith("7."))
    assert lines[seven + 1].startswith("8.") and "提出25项重点任务" in lines[1]
    cut = folder / "zhengzhou-2022-highland-plan-cut.txt"
    cut.write_text("\n".join(lines[:seven] + lines[seven + 1 :]), encoding="utf-8")
    # Clause 8 moved up into the deleted clause's line (1-based: seven + 1).
    return cut, seven + 1


def test_check_catches_a_deleted_clause_with_file_and_line(tmp_path: Path) -> None:
    cut, line8 = cut_clause_seven(tmp_path)
    result = runner.invoke(app, ["check", str(cut.parent), "--parsed", str(tmp_path / "no-parsed")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [ln for ln in result.stdout.splitlines() if ": error: " in ln]
    assert errors == [
        f"{cut}:{line8}: error: numbering-gap: clause 8 follows 6: clause 7 is missing",
        f"{cut}:2: error: declared-count-mismatch: the document declares 提出25项重点任务 but 24 were parsed",
    ]
    assert "checked: 2 errors" in result.stderr


def test_check_github_annotations_name_file_and_line(tmp_path: Path) -> None:
    cut, line8 = cut_clause_seven(tmp_path)
    result = runner.invoke(app, ["check", str(cut), "--format", "github", "--parsed", str(tmp_path / "no-parsed")])
    assert result.exit_code == 1
    annotations = [ln for ln in result.stdout.splitlines() if ln.startswith("::error ")]
    assert f"::error file={cut},line={line8},title=numbering-gap::clause 8 follows 6: clause 7 is missing" in annotations
    assert any(re.fullmatch(rf"::error file={re.escape(str(cut))},line=2,title=declared-count-mismatch::.*25项.*24.*", a) for a in annotations)


def test_check_flags_stale_parsed_json(tmp_path: Path) -> None:
    parsed = tmp_path / "parsed"
    parsed.mkdir()
    stored = ROOT / "data" / "parsed" / f"{SEED.stem}.json"
    (parsed / stored.name).write_text(stored.read_text(encoding="utf-8").replace("提出25项重点任务", "提出26项重点任务"), encoding="utf-8")
    result = runner.invoke(app, ["check", f"data/raw/{SEED.name}", "--parsed", str(parsed)])
    assert result.exit_code == 1
    assert f"data/raw/{SEED.name}: error: parsed-out-of-date:" in result.stdout
