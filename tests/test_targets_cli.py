"""`policydiff targets`: the listing in every format, and --compare across documents."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from policydiff.api import target_records
from policydiff.cli import app
from policydiff.render.targets import compare_rows, compatible, group_targets
from policydiff.schema import Document
from policydiff.text.numbers import plain_number

runner = CliRunner()
ZZ = "data/raw/zhengzhou-2022-highland-plan.txt"
XZ = "data/raw/xinzheng-2023-highland-plan.txt"
KF = "data/raw/kaifeng-2021-expansion-plan.txt"
NAMES = ["zhengzhou-2022-highland-plan", "xinzheng-2023-highland-plan", "kaifeng-2021-expansion-plan"]


def _run(*args: str) -> str:
    result = runner.invoke(app, ["targets", *args], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_field_names_are_the_same_in_json_csv_and_table() -> None:
    fields = ["doc", "clause", "label", "subject", "comparator", "value", "low", "high", "unit", "year", "kind", "raw"]
    rows = json.loads(_run(KF, "--format", "json"))
    assert rows and all(list(r) == fields for r in rows)
    table = list(csv.reader(io.StringIO(_run(KF, "--format", "csv"))))
    assert table[0] == fields and len(table) == len(rows) + 1
    header = next(ln for ln in _run(KF).splitlines() if "subject" in ln)
    assert [c.strip() for c in header.split("┃")[1:-1]] == fields


def test_json_fields_hold_typed_values() -> None:
    rows = json.loads(_run(KF, "--format", "json"))
    training = next(r for r in rows if r["raw"] == "108万人次")
    assert training == {
        "doc": "kaifeng-2021-expansion-plan", "clause": "s2.s6.c2", "label": "2", "subject": "培训人次", "comparator": "ge",
        "value": 1080000.0, "low": 1080000.0, "high": None, "unit": "人次", "year": 2025, "kind": "target", "raw": "108万人次",
    }


def test_large_numbers_print_plainly() -> None:
    table = _run(KF)
    assert "1080000" in table and "e+06" not in table
    compared = _run(ZZ, XZ, KF, "--compare", "--format", "csv")
    assert ",1080000,1080000,,人次,2025" in compared and "e+" not in compared
    assert [plain_number(x) for x in (1080000.0, 14.5, 3000.0, 0.25, 1e20, 123456789.5)] == [
        "1080000", "14.5", "3000", "0.25", "100000000000000000000", "123456789.5"
    ]


@pytest.fixture(scope="module")
def compared(seed_docs: dict[str, Document]) -> dict[str, list[str]]:
    """The display rows of `targets --compare` (the terminal table's cells)."""
    docs = [seed_docs[n] for n in NAMES]
    header, rows = compare_rows(docs, target_records(docs))
    assert header == ["subject", "unit", *NAMES]
    return {str(r[0]): [str(c) for c in r[1:]] for r in rows}


def test_compare_csv_and_json_cells_are_typed() -> None:
    rows = list(csv.DictReader(io.StringIO(_run(ZZ, XZ, KF, "--compare", "--format", "csv"))))
    enrol = next(r for r in rows if r["subject"] == "中等职业学校在校生规模")
    z, x = "zhengzhou-2022-highland-plan", "xinzheng-2023-highland-plan"
    assert (enrol[f"{z}.value"], enrol[f"{z}.comparator"], enrol[f"{z}.unit"], enrol[f"{z}.year"]) == ("450000", "eq", "人", "2025")
    assert (enrol[f"{x}.value"], enrol[f"{x}.year"]) == ("30000", "2025")
    series = [r for r in rows if r["subject"] == "达标学校数量"]
    k = "kaifeng-2021-expansion-plan"
    assert [(r[f"{k}.comparator"], r[f"{k}.value"], r[f"{k}.year"]) for r in series] == [("ge", "30", "2022"), ("ge", "60", "2023"), ("ge", "90", "2024")]
    assert len({r["measure"] for r in series}) == 1
    as_json = json.loads(_run(ZZ, XZ, KF, "--compare", "--format", "json"))
    row = next(r for r in as_json if r["subject"] == "“双师型”教师占专业课教师比例")
    assert (row[f"{k}.comparator"], row[f"{k}.value"], row[f"{k}.year"]) == ("gt", 50.0, 2025)


def test_compare_lines_up_the_shuangshi_share(compared: dict[str, list[str]]) -> None:
    assert compared["“双师型”教师占专业课教师比例"] == ["%", "≥70% (2025)", "≥70% (2025)", ">50% (2025)"]


def test_compare_shows_xinzheng_curriculum_targets_at_one_tenth(compared: dict[str, list[str]]) -> None:
    assert compared["课程思政优秀教师"] == ["名", "200名", "≥20名", ""]
    assert compared["课程思政示范课程"] == ["门", "100门", "≥10门", ""]
    assert compared["思政和德育示范建设基地"] == ["个", "20个", "2个", ""]


def test_compare_never_merges_distinct_measures(compared: dict[str, list[str]]) -> None:
    # xinzheng's 中职 enrolment is not kaifeng's 大中专 admissions.
    assert compared["中等职业学校在校生规模"] == ["人", "450000人 (2025)", "30000人 (2025)", ""]
    assert compared["大中专职业院校招生规模"] == ["人", "", "", "145000人 (2025)"]
    # zhengzhou's 高职 rate and 中职 rate are two rows; xinzheng's 中职 rate sits with the 中职 one.
    assert compared["高等职业学校参与率"] == ["%", "100%", "", ""]
    assert compared["中等职业学校参与率"] == ["%", "≥50%", "≥50%", ""]
    # One target per document in a row, except a time series of one subject.
    for subject, cells in compared.items():
        for cell in cells[1:]:
            parts = cell.split("; ") if cell else []
            if len(parts) > 1:
                years = [p.rsplit("(", 1)[-1].rstrip(")") for p in parts]
                assert all(y.isdigit() for y in years) and len(set(years)) == len(years), (subject, cell)
    assert compared["达标学校数量"] == ["%", "", "", "≥30% (2022); ≥60% (2023); ≥90% (2024)"]


def test_distinguishing_words_keep_subjects_apart() -> None:
    assert compatible("中等职业学校参与率", "中等职业学校参与率")
    assert not compatible("高等职业学校参与率", "中等职业学校参与率")
    assert not compatible("中职学校在校生规模", "高职学校在校生规模")
    assert not compatible("国家级高水平专业群", "省级高水平专业群")
    assert not compatible("中等职业学校招生规模", "中等职业学校在校生规模")
    assert compatible("“双师型”教师占专业课教师比例", "“双师型”教师占专任专业课教师总数的比例")


def test_group_targets_is_one_to_one_per_document() -> None:
    def row(doc: str, subject: str, value: float, year: int | None = None) -> dict[str, object]:
        return {"doc": doc, "subject": subject, "unit": "个", "value": value, "low": None, "high": None, "comparator": "eq", "year": year, "kind": "target"}

    rows = [
        row("a", "示范性职教集团", 10),
        row("a", "示范性职教集团（联盟）", 5),  # similar subject, same document: a second row
        row("b", "示范性职教集团", 2),
        row("c", "示范性职教集团", 1, 2022),
        row("c", "示范性职教集团", 3, 2024),  # a time series: one unit with the first
    ]
    assert group_targets(rows) == [[0, 2, 3, 4], [1]]


def test_compare_table_output() -> None:
    table = _run(ZZ, XZ, KF, "--compare")
    line = next(ln for ln in table.splitlines() if "“双师型”教师占专业课教师比例" in ln)
    assert [c.strip() for c in line.split("│")[1:-1]] == ["“双师型”教师占专业课教师比例", "%", "≥70% (2025)", "≥70% (2025)", ">50% (2025)"]
    assert "e+0" not in table
    as_json = json.loads(_run(ZZ, XZ, KF, "--compare", "--format", "json"))
    assert list(as_json[0])[:3] == ["measure", "subject", "unit"]
