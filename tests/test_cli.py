"""The CLI as a user meets it: exact outputs, bad input, documentation."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, SHARED
from policydiff.cli import app

runner = CliRunner()
ZZ = "data/raw/zhengzhou-2022-highland-plan.txt"
XZ = "data/raw/xinzheng-2023-highland-plan.txt"
KF = "data/raw/kaifeng-2021-expansion-plan.txt"


def commands() -> list[str]:
    return sorted(c.name for c in app.registered_commands if c.name)


def test_every_command_is_documented_in_readme_with_an_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in commands():
        assert f"`policydiff {name}" in readme, f"README does not document `policydiff {name}`"
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0
        assert "Example: policydiff " + name in result.output


BAD_INPUTS = {
    "empty.txt": (b"", "empty"),
    "binary.txt": (bytes(range(256)) * 8, "binary"),
    "unknown-encoding.txt": (bytes([0x81, 0x30, 0xFF, 0xFE, 0x80, 0x81]) * 50 + b"\xff\xc0\xc1", "--encoding"),
}


@pytest.mark.parametrize("command", ["parse", "show", "compare", "targets", "export", "check"])
@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gives_one_clear_error_line(tmp_path: Path, command: str, name: str) -> None:
    data, expected = BAD_INPUTS[name]
    bad = tmp_path / name
    bad.write_bytes(data)
    out_dir = tmp_path / "out"
    args = {
        "parse": ["parse", str(bad), "--out", str(out_dir)],
        "show": ["show", str(bad)],
        "compare": ["compare", ZZ, str(bad), "--format", "csv"],
        "targets": ["targets", str(bad)],
        "export": ["export", str(bad), "--format", "csv", "--out", str(out_dir / "x.csv")],
        "check": ["check", str(bad)],
    }[command]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not out_dir.exists()
    if command == "check":
        assert expected in result.stdout and "unreadable" in result.stdout
    else:
        lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0]


def test_missing_path_names_the_path(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"Error: {tmp_path / 'nope.txt'}: no such file")


def test_usage_error_exit_code_is_2() -> None:
    result = runner.invoke(app, ["compare", ZZ, XZ, "--format", "pdf"])
    assert result.exit_code == 1 or result.exit_code == 2
    result = runner.invoke(app, ["compare", ZZ, XZ, "--format", "html"])
    assert result.exit_code == 2 and "--out" in result.stderr


def test_no_numbering_is_an_error(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("这是一段没有编号的文字。它只是说明情况。\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(plain), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "no numbered headings or clauses" in result.stderr


def test_parse_json_to_stdout() -> None:
    result = runner.invoke(app, ["parse", KF, "--format", "json"])
    assert result.exit_code == 0
    assert '"doc_number"' in result.stdout and "汴政〔2021〕42号" in result.stdout


def test_schema_is_generated() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0 and '"Clause"' in result.stdout
    result = runner.invoke(app, ["schema", "--model", "alignment"])
    assert result.exit_code == 0 and '"ClausePair"' in result.stdout


@pytest.mark.skipif(not (SHARED / "tools" / "score_alignment.py").exists(), reason="shared scorer not beside the repo")
def test_compare_csv_scores_f1_1_against_gold(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", ZZ, XZ, "--format", "csv"])
    assert result.exit_code == 0
    out = tmp_path / "out.csv"
    out.write_text(result.stdout, encoding="utf-8")
    scored = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score_alignment.py"), str(SHARED / "gold" / "align-zhengzhou-xinzheng.tsv"), str(out)],
        capture_output=True, text=True, check=True,
    )
    assert "f1=1.000" in scored.stdout, scored.stdout


def test_compare_three_documents_puts_kaifeng_shuangshi_in_row_8() -> None:
    result = runner.invoke(app, ["compare", ZZ, XZ, KF], env={"COLUMNS": "240"})
    assert result.exit_code == 0
    row = next(ln for ln in result.stdout.splitlines() if re.search(r"│ 8 聚焦双师标准", ln))
    assert "强化“双师型”" in row or "1 modified" in row


def test_check_seeds_is_clean_and_a_deleted_clause_is_caught(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "data/raw"])
    assert result.exit_code == 0, result.stdout
    text = (ROOT / ZZ).read_text(encoding="utf-8")
    cut = re.sub(r"\n7\.[^\n]*", "", text)
    bad = tmp_path / "zhengzhou-cut.txt"
    bad.write_text(cut, encoding="utf-8")
    result = runner.invoke(app, ["check", str(bad), "--format", "github"])
    assert result.exit_code == 1
    assert f"::error file={bad}" in result.stdout and "numbering-gap" in result.stdout and "25项重点任务" in result.stdout


def test_export_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "c.csv"
    assert runner.invoke(app, ["export", KF, "--format", "csv", "--out", str(out)]).exit_code == 0
    before = out.read_bytes()
    result = runner.invoke(app, ["export", KF, "--format", "csv", "--out", str(out)])
    assert result.exit_code == 1 and "--force" in result.stderr
    assert out.read_bytes() == before


# Runs the CLI in a fresh interpreter, then reports which of the given modules got imported.
_MODULES_AFTER_CLI = """
import runpy, sys
watch, sys.argv = sys.argv[1].split(","), ["policydiff", *sys.argv[2:]]
try:
    runpy.run_module("policydiff", run_name="__main__")
except SystemExit as exc:
    assert not exc.code, exc.code
print("\\nLOADED:" + ",".join(m for m in watch if m in sys.modules))
"""
# Costly imports that `compare --format csv` never needs (jieba's dictionary alone is ~0.7 s).
LAZY_FOR_CSV = ["jieba", "numpy", "pandas", "rich", "policydiff.render.html", "policydiff.render.markdown", "policydiff.align.diff"]
# ...and the parser, when the inputs are already parsed JSON.
PARSER = ["policydiff.pipeline", "policydiff.normalize", "policydiff.structure", "policydiff.ingest", "policydiff.extract"]


def _loaded_after(args: list[str], watch: list[str]) -> list[str]:
    run = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER_CLI, ",".join(watch), *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return [m for m in run.stdout.rsplit("LOADED:", 1)[1].strip().split(",") if m]


def test_compare_csv_loads_no_word_diff_or_terminal_modules(tmp_path: Path) -> None:
    from policydiff.api import parse_many, write_parsed

    parsed = [str(p) for p in write_parsed(parse_many([Path(ZZ), Path(XZ)]), tmp_path)]
    assert _loaded_after(["compare", *parsed, "--format", "csv"], LAZY_FOR_CSV + PARSER) == []
    assert _loaded_after(["compare", ZZ, XZ, "--format", "csv"], LAZY_FOR_CSV) == []
    # The check itself sees imports: the terminal table does load rich.
    assert _loaded_after(["compare", *parsed], ["rich"]) == ["rich"]


def test_import_policydiff_defers_models_and_parser() -> None:
    code = "import sys, policydiff; print(sorted(m for m in ('pydantic', 'policydiff.schema', 'policydiff.pipeline') if m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
    from policydiff import Document, parse_file  # the lazy names still import

    assert Document.__name__ == "Document" and callable(parse_file)
