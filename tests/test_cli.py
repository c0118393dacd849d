"""The CLI as a user meets it: exact outputs, bad input, documentation."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import policydiff.api
from conftest import ROOT, SHARED
from policydiff.cli import app
from policydiff.schema import Document

runner = CliRunner()
ZZ = "data/raw/zhengzhou-2022-highland-plan.txt"
XZ = "data/raw/xinzheng-2023-highland-plan.txt"
KF = "data/raw/kaifeng-2021-expansion-plan.txt"


def commands() -> list[str]:
    return sorted(c.name for c in app.registered_commands if c.name)


def _help(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def help_options(*args: str) -> list[tuple[list[str], list[str]]]:
    """The long options in `--help` of a command (or of policydiff itself), each with its choices (`<a|b|c>`)."""
    body = _help(*args).split("\nOptions:\n", 1)[1].split("\n\n")[0]
    found = []
    for line in body.splitlines():
        if line.lstrip().startswith("-"):
            decl = re.split(r"\s{2,}", line.strip())[0]
            choices = re.findall(r"<([^<>]*\|[^<>]*)>", decl)
            found.append((re.findall(r"--[a-z][\w-]*", decl.split("<")[0]), choices[0].split("|") if choices else []))
    return found


def readme_commands() -> tuple[str, dict[str, str]]:
    """The README's Commands section: its opening text, and the bullet of each command."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    opening, *bullets = re.split(r"\n- (?=`policydiff )", section)
    return opening, {re.match(r"`policydiff (\w+)", b).group(1): b for b in bullets}  # type: ignore[union-attr]


def test_every_command_is_documented_in_readme_with_an_example() -> None:
    _, bullets = readme_commands()
    listed = re.findall(r"^  (\w+)  ", _help().split("\nCommands:\n")[1], re.MULTILINE)
    assert listed == [c.name for c in app.registered_commands] and sorted(listed) == commands()
    for name in listed:
        assert name in bullets, f"README does not document `policydiff {name}`"
        assert "Example: policydiff " + name in _help(name)


def test_every_option_and_choice_in_help_is_documented_in_readme() -> None:
    opening, bullets = readme_commands()
    missing = []
    for name in commands():
        for options, choices in help_options(name):
            # An option is documented in its command's entry, or (shared by all) in the opening text.
            missing += [f"{name} {o}" for o in options if o != "--help" and o not in bullets[name] and o not in opening]
            missing += [f"{name} {options[0]} {c}" for c in choices if c not in bullets[name]]
    missing += [o for options, _ in help_options() for o in options if o != "--help" and f"policydiff {o}" not in opening]
    assert missing == [], f"not in README.md: {missing}"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"policydiff {policydiff.__version__}\n"


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
    assert result.exit_code == 2 and "'pdf' is not one of" in result.stderr and "markdown" in result.stderr
    result = runner.invoke(app, ["compare", ZZ])
    assert result.exit_code == 2 and "give at least two documents: PARENT CHILD" in result.stderr and "Traceback" not in result.output
    for fmt in ("check", "targets", "lineage"):
        bad = runner.invoke(app, [fmt, "data/raw", "--format", "pdf"])
        assert bad.exit_code == 2 and "--format" in bad.stderr


def test_library_errors_get_the_flag_that_fixes_them(tmp_path: Path) -> None:
    from policydiff.api import compare_files
    from policydiff.errors import OutputRequiredError, OverwriteRefusedError

    # The library describes the problem without naming CLI options...
    with pytest.raises(OutputRequiredError) as required:
        compare_files([Path(ZZ), Path(XZ)], fmt="html")
    assert str(required.value) == "html output is written to a file. Give one (out=PATH)."
    existing = tmp_path / "report.md"
    existing.write_text("keep", encoding="utf-8")
    with pytest.raises(OverwriteRefusedError) as refused:
        compare_files([Path(ZZ), Path(XZ)], fmt="markdown", out=existing)
    assert str(refused.value) == f"{existing} exists; nothing was overwritten. Allow overwriting (force=True) or choose another file."
    # ...and the CLI adds the option to use.
    result = runner.invoke(app, ["compare", ZZ, XZ, "--format", "html"])
    assert (result.exit_code, result.stderr) == (2, "Error: html output is written to a file. Pass --out FILE.\n")
    result = runner.invoke(app, ["compare", ZZ, XZ, "--format", "markdown", "--out", str(existing)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {existing} exists; nothing was overwritten. Pass --force to overwrite it, or choose another --out.\n"
    assert existing.read_text(encoding="utf-8") == "keep"
    result = runner.invoke(app, ["compare", ZZ, XZ, KF, "--format", "docx", "--out", str(tmp_path / "x.docx")])
    assert result.exit_code == 2 and "give exactly PARENT CHILD" in result.stderr and not (tmp_path / "x.docx").exists()


def test_encoding_and_size_errors_name_the_flag_only_in_the_cli(tmp_path: Path) -> None:
    from policydiff.errors import EncodingDetectionError, InputTooLargeError
    from policydiff.ingest import read_path

    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("一、总体要求\n（一）提高质量。\n".encode("gbk"))
    with pytest.raises(EncodingDetectionError) as wrong:
        read_path(gbk, encoding="utf-8")
    with pytest.raises(InputTooLargeError) as big:
        read_path(gbk, max_bytes=10)
    for exc in (wrong.value, big.value):
        assert "--" not in str(exc), str(exc)
    result = runner.invoke(app, ["parse", str(gbk), "--encoding", "utf-8", "--format", "json"])
    assert result.exit_code == 1
    assert result.stderr.endswith("is invalid there. Name it with --encoding, e.g. --encoding gb18030.\n"), result.stderr
    result = runner.invoke(app, ["targets", str(gbk), "--max-bytes", "10"])
    size = gbk.stat().st_size
    assert result.exit_code == 1
    assert result.stderr.endswith(f"limit. If it really is one notice, raise the limit with --max-bytes, e.g. --max-bytes {size + 1}.\n")
    # check reports an unreadable file as a finding: the fix is stated with check's own flags too
    result = runner.invoke(app, ["check", str(gbk), "--encoding", "utf-8"])
    assert result.exit_code == 1 and "unreadable: " in result.stdout and "--encoding gb18030" in result.stdout


def test_unnumbered_text_is_parsed_with_a_warning(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("关于某事项的答复\n这是一段没有编号的文字。它只是说明情况。\n第二段也没有编号。\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(plain), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [(c["style"], c["label"], c["text"]) for c in doc["clauses"]] == [
        ("paragraph", "1", "这是一段没有编号的文字。它只是说明情况。"),
        ("paragraph", "2", "第二段也没有编号。"),
    ]
    assert "no-numbering" in [i["code"] for i in doc["issues"]]


def test_empty_text_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n \n", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(empty), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and result.stderr.startswith("Error:")


def test_parse_json_to_stdout() -> None:
    result = runner.invoke(app, ["parse", KF, "--format", "json"])
    assert result.exit_code == 0
    assert '"doc_number"' in result.stdout and "汴政〔2021〕42号" in result.stdout
    one = json.loads(result.stdout)
    assert isinstance(one, dict) and one["name"] == "kaifeng-2021-expansion-plan"


def test_parse_json_of_several_files_is_one_array() -> None:
    result = runner.invoke(app, ["parse", KF, XZ, "--format", "json"])
    assert result.exit_code == 0
    docs = json.loads(result.stdout)
    assert [d["name"] for d in docs] == ["kaifeng-2021-expansion-plan", "xinzheng-2023-highland-plan"]
    from policydiff.schema import Document

    assert Document.model_validate(docs[1]).metadata.doc_number is not None


def test_parse_summary_counts_every_target(tmp_path: Path) -> None:
    from policydiff.api import target_records

    docs = {d.name: d for d in policydiff.api.parse_many([Path(KF)])}
    n = len(target_records(list(docs.values())))
    assert n > sum(len(c.targets) for c in docs["kaifeng-2021-expansion-plan"].clauses)  # section bodies hold some
    result = runner.invoke(app, ["parse", KF, "--out", str(tmp_path)], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    row = next(ln for ln in result.stdout.splitlines() if "kaifeng-2021-expansion-plan" in ln and "│" in ln)
    cells = [c.strip() for c in row.split("│")[1:-1]]
    assert cells[6] == str(n)


def _fields_outside(schema: dict, value: object, where: str = "$") -> list[str]:
    """Paths of `value` (a JSON document) holding keys that `schema` does not describe, or lacking required keys."""
    defs = schema.get("$defs", {})

    def resolve(s: dict) -> list[dict]:
        if "$ref" in s:
            return resolve(defs[s["$ref"].rsplit("/", 1)[1]])
        alts = s.get("anyOf") or s.get("oneOf") or s.get("allOf")
        return [r for a in alts for r in resolve(a)] if alts else [s]

    problems: list[str] = []
    for s in resolve(schema):
        if isinstance(value, dict) and "properties" in s:
            problems += [f"{where}.{k}: not in the schema" for k in value if k not in s["properties"]]
            problems += [f"{where}.{k}: required, missing" for k in s.get("required", []) if k not in value]
            for k, v in value.items():
                if k in s["properties"]:
                    problems += _fields_outside({**s["properties"][k], "$defs": defs}, v, f"{where}.{k}")
            return problems
        if isinstance(value, list) and "items" in s:
            for i, v in enumerate(value):
                problems += _fields_outside({**s["items"], "$defs": defs}, v, f"{where}[{i}]")
            return problems
    return problems


@pytest.mark.parametrize(
    ("model", "title", "output"),
    [
        ("document", "Document", ["parse", KF, "--format", "json"]),
        ("alignment", "Alignment", ["compare", ZZ, XZ, "--format", "json"]),
        ("multi", "MultiAlignment", ["compare", ZZ, XZ, KF, "--format", "json"]),
    ],
)
def test_schema_describes_what_the_commands_write(model: str, title: str, output: list[str]) -> None:
    result = runner.invoke(app, ["schema", "--model", model])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == title and schema["type"] == "object"
    written = json.loads(runner.invoke(app, output).stdout)
    assert _fields_outside(schema, written) == []
    # The check sees a field the schema does not have, and a required field that is gone.
    assert _fields_outside(schema, {**written, "extra": 1}) == ["$.extra: not in the schema"]
    first_required = schema["required"][0]
    assert _fields_outside(schema, {k: v for k, v in written.items() if k != first_required}) == [f"$.{first_required}: required, missing"]
    if model == "document":
        assert runner.invoke(app, ["schema"]).stdout == result.stdout


def test_schema_unknown_model_is_a_usage_error() -> None:
    result = runner.invoke(app, ["schema", "--model", "nope"])
    assert result.exit_code == 2 and "'nope' is not one of" in result.stderr and "multi" in result.stderr


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


def test_compare_three_documents_puts_kaifeng_shuangshi_in_row_8(seed_docs: dict[str, Document]) -> None:
    # kaifeng numbers its clauses anew in every section: its 双师型 clause s2.s5.c1 is （五）1.
    kf = seed_docs["kaifeng-2021-expansion-plan"]
    clause = kf.clause("s2.s5.c1")
    assert clause.label == "1" and "双师型" in clause.heading
    section = next(s for s in kf.iter_sections() if s.id == "s2.s5")
    assert section.label == "（五）"
    result = runner.invoke(app, ["compare", ZZ, XZ, KF], env={"COLUMNS": "240"})
    assert result.exit_code == 0
    row = next(ln for ln in result.stdout.splitlines() if re.search(r"│ 8 聚焦双师标准", ln))
    cells = [c.strip() for c in row.split("│")[1:-1]]
    # kaifeng words its 双师 measures differently: related (same measure, no shared text) to all three.
    assert cells[1:] == ["6 modified", "（五）1 related; （五）2 related; （五）3 related"]
    # Every kaifeng clause reads with its section: no bare "1 modified" that could be any of six.
    kaifeng_cells = [ln.split("│")[3].strip() for ln in result.stdout.splitlines() if ln.startswith("│")]
    assert all(re.match(r"(—|（[一二三四五六七八九十]+）\d|[一二三四五六七八九十]+、\d|$)", c) for c in kaifeng_cells), kaifeng_cells


def test_compare_direction_warns_when_the_child_is_given_first() -> None:
    forward = runner.invoke(app, ["compare", ZZ, XZ], env={"COLUMNS": "400"})
    assert "direction: xinzheng-2023-highland-plan cites zhengzhou-2022-highland-plan" in forward.stdout
    assert "warning" not in forward.stdout
    backward = runner.invoke(app, ["compare", XZ, ZZ], env={"COLUMNS": "400"})
    assert backward.exit_code == 0
    line = next(ln for ln in backward.stdout.splitlines() if ln.startswith("warning"))
    assert "xinzheng-2023-highland-plan cites zhengzhou-2022-highland-plan" in line and "--auto-order" in line
    md = runner.invoke(app, ["compare", XZ, ZZ, "--format", "markdown"]).stdout
    assert "second document looks like the parent" in md


def test_compare_auto_order_makes_the_cited_plan_the_reference() -> None:
    result = runner.invoke(app, ["compare", XZ, KF, ZZ, "--auto-order", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["a_doc"] for r in rows} == {"zhengzhou-2022-highland-plan"}
    assert {r["b_doc"] for r in rows} == {"xinzheng-2023-highland-plan", "kaifeng-2021-expansion-plan"}
    two = runner.invoke(app, ["compare", XZ, ZZ, "--auto-order", "--format", "csv"])
    assert {r["a_doc"] for r in csv.DictReader(io.StringIO(two.stdout))} == {"zhengzhou-2022-highland-plan"}


def test_compare_threshold_from_the_cli() -> None:
    default = runner.invoke(app, ["compare", ZZ, XZ, "--format", "csv"]).stdout
    assert runner.invoke(app, ["compare", ZZ, XZ, "--format", "csv", "--threshold", "0"]).stdout == default
    for th in ("0.3", "0.9"):
        rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["compare", ZZ, XZ, "--format", "csv", "--threshold", th]).stdout)))
        # Clause pairs have both labels (rows of numbers outside clauses name places in a_id/b_id only).
        paired = [r for r in rows if r["a_label"] and r["b_label"]]
        assert paired and all(float(r["similarity"]) >= float(th) for r in paired)
        assert any(r["relation"] == "dropped" for r in rows)
    out = json.loads(runner.invoke(app, ["compare", ZZ, XZ, "--format", "json", "--threshold", "0.5"]).stdout)
    assert out["threshold"] == 0.5
    bad = runner.invoke(app, ["compare", ZZ, XZ, "--threshold", "1.5"])
    assert bad.exit_code == 2 and "--threshold" in bad.stderr
    helptext = " ".join(runner.invoke(app, ["compare", "--help"]).stdout.split()).lower()
    assert "least similarity (0–1, the sim column) of a reported clause pair" in helptext


def test_compare_detail_marks_changes_without_colour() -> None:
    # CliRunner's output is not a terminal: no colour, so the changes must be marked.
    result = runner.invoke(app, ["compare", ZZ, XZ, "--detail"], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    text = "".join(ln.split("│")[4].strip() for ln in result.stdout.splitlines() if ln.count("│") > 8)
    assert "[-" in text and "-]" in text and "{+" in text and "+}" in text
    assert "[-职业院校-]{+职业学校+}" in text
    plain = runner.invoke(app, ["compare", ZZ, XZ], env={"COLUMNS": "300"}).stdout
    assert "[-" not in plain and "{+" not in plain


def test_compare_detail_keeps_colour_on_a_terminal() -> None:
    from rich.console import Console

    from policydiff.api import compare_files

    group = compare_files([Path(ZZ), Path(XZ)], detail=True, color=True)
    console = Console(width=300, record=True, force_terminal=True, color_system="standard")
    console.print(group)
    text = console.export_text(styles=True, clear=False)
    assert "\x1b[" in text and "[-" not in console.export_text()


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


# --- show ------------------------------------------------------------------------------------

DN = "data/raw/zhengzhou-reform-plan-drafting-note.txt"


def _show(path: str, **env: str) -> str:
    result = runner.invoke(app, ["show", path], env={"COLUMNS": "3000", **env})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_show_prints_section_text_and_ordinal_items() -> None:
    out = _show(DN)
    lines = out.splitlines()
    at = next(i for i, ln in enumerate(lines) if "五、征求意见情况" in ln)
    below = lines[at + 1 : at + 5]
    assert [re.search(r"[一二三四]是", ln).group(0) for ln in below] == ["一是", "二是", "三是", "四是"]  # type: ignore[union-attr]
    assert any("首先，加强中等职业学校标准化建设" in ln for ln in lines)
    assert any("文件如审议通过，建议以市政府名义印发。" in ln for ln in lines)


def test_show_marks_targets_and_units_inline() -> None:
    out = _show(KF)
    # Clause targets inside the clause text, not as tags after the heading.
    assert "培育[20个]思政课程示范课堂和[20个]课程思政典型案例" in out
    # Responsible units marked inside their note.
    assert "（责任单位：{市委宣传部}、{市总工会}、{市教体局}、{市人力资源社会保障局}）" in out
    # Targets in section bodies (目标任务) are marked too.
    assert "共计在校生[13.8万人]，其中[7所]高职院校" in out


def test_show_lists_units_from_the_task_table_after_the_clause() -> None:
    out = _show(XZ)
    line = next(ln for ln in out.splitlines() if "培养[20名以上]郑州市级课程思政优秀教师" in ln)
    assert line.rstrip().endswith("责任: {市教育局、市人社局}")


def test_show_uses_styles_on_a_terminal(seed_docs: dict[str, Document]) -> None:
    from rich.console import Console

    from policydiff.render.terminal import document_tree

    console = Console(width=3000, record=True, force_terminal=True, color_system="standard")
    console.print(document_tree(seed_docs["kaifeng-2021-expansion-plan"]))
    plain = console.export_text(clear=False)
    assert "培育20个思政课程示范课堂" in plain and "[20个]" not in plain
    styled = console.export_text(styles=True)
    assert "\x1b[1;36m20个\x1b[0m" in styled


def test_compare_two_documents_qualifies_restarting_labels() -> None:
    result = runner.invoke(app, ["compare", ZZ, KF], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    row = next(ln for ln in result.stdout.splitlines() if "积极推动实施我市中等职业学校标准化建设工程" in ln)
    assert [c.strip() for c in row.split("│")[1:4]] == ["2", "实施标准化工程，夯实中等职业教育发展基础", "（二）1"]


def test_cli_runs_without_a_separate_click_package() -> None:
    """The README's basic install has typer only: typer >= 0.26 bundles click and installs none."""
    import subprocess
    import sys

    code = "import sys; sys.modules['click'] = None; from policydiff.cli import app; print('ok')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
