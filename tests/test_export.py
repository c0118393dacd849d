"""Flat tables (render.tables) and file exports (render.export)."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policydiff.errors import OutputPathError, OverwriteRefusedError, PolicydiffError, UsageError
from policydiff.render import export
from policydiff.render.export import FORMATS, write_export
from policydiff.render.tables import (
    COLUMNS,
    TYPES,
    citation_rows,
    clause_rows,
    clause_table,
    target_rows,
    to_frame,
    unit_rows,
)
from policydiff.schema import (
    Citation,
    Clause,
    DocNumber,
    Document,
    Metadata,
    ResponsibleUnit,
    Section,
    Span,
    Target,
)

# --- fixtures ------------------------------------------------------------------


def _span(line: int) -> Span:
    return Span(start=line * 10, end=line * 10 + 9, raw_start=line * 10, raw_end=line * 10 + 9, line=line)


def _clause(cid: str, label: str, text: str, path: list[str], line: int, **kw: object) -> Clause:
    heading = text.split("。")[0] + "。"
    return Clause(
        id=cid,
        label=label,
        number=int(label),
        style="arabic-dot",
        heading=heading,
        text=text,
        policy_text=kw.pop("policy_text", text),  # type: ignore[arg-type]
        sentences=[s + "。" for s in text.split("。") if s],
        path=path,
        span=_span(line),
        **kw,  # type: ignore[arg-type]
    )


HENAN_OPINION = Citation(
    raw="《教育部 河南省人民政府关于深化职业教育改革推进技能社会建设的意见》（豫政〔2021〕2号）",
    title="教育部 河南省人民政府关于深化职业教育改革推进技能社会建设的意见",
    number=DocNumber(
        raw="豫政〔2021〕2号", normalized="豫政〔2021〕2号", agency="豫政", year=2021, seq=2, standard=True
    ),
    start=40,
    end=90,
)
ZHENGZHOU_PLAN = Citation(
    raw="《郑州市职业教育创新发展高地建设实施方案》（郑政办[2022]91号）",
    title="郑州市职业教育创新发展高地建设实施方案",
    number=DocNumber(
        raw="郑政办[2022]91号", normalized="郑政办〔2022〕91号", agency="郑政办", year=2022, seq=91, standard=False
    ),
    nonstandard=True,
    resolved_to="zhengzhou-2022-highland-plan",
    start=300,
    end=340,
)
ENROLMENT = Target(
    raw="中等职业学校在校生规模达到3万人",
    clause="s2.s1.c1",
    subject="中等职业学校在校生规模",
    comparator="ge",
    value=3,
    unit="万人",
    year=2025,
    start=310,
    end=326,
)
EMPLOYMENT = Target(
    raw="毕业生就业率保持在95%以上",
    clause="s2.s1.c1",
    subject="毕业生就业率",
    comparator="ge",
    value=95.0,
    unit="%",
    year=2025,
)
TRAINING = Target(
    raw="每年培训5万至6万人次",
    clause="s2.s1.c2",
    subject="职业技能培训",
    comparator="range",
    low=5,
    high=6,
    unit="万人次",
)
BODY_TARGET = Target(
    raw="建成3所省级高水平中职学校",
    clause="s1",
    subject="省级高水平中职学校",
    comparator="eq",
    value=3,
    unit="所",
    year=2025,
)

PATH = ["二、重点任务", "（一）优化职业教育结构"]


def xinzheng() -> Document:
    c1_text = "扩大中职招生规模。到2025年，中等职业学校在校生规模达到3万人，毕业生就业率保持在95%以上。（市教育局牵头，市人社局配合）"
    c1 = _clause(
        "s2.s1.c1",
        "1",
        c1_text,
        PATH,
        31,
        policy_text=c1_text.split("（")[0],
        unit_notes=["市教育局牵头，市人社局配合"],
        responsible_units=[
            ResponsibleUnit(name="市教育局", role="lead", raw="市教育局牵头"),
            ResponsibleUnit(name="市人力资源和社会保障局", role="joint", raw="市人社局配合"),
        ],
        targets=[ENROLMENT, EMPLOYMENT],
        citations=[ZHENGZHOU_PLAN],
    )
    # \x07 and \x0b are Word artefacts that XLSX cannot store.
    c2 = _clause(
        "s2.s1.c2",
        "2",
        "=开展职业技能培训\x07。每年培训5万至6万人次\x0b。",
        PATH,
        33,
        targets=[TRAINING],
    )
    sections = [
        Section(
            id="s1", label="一", style="cn-dun", title="一、总体要求", level=1, span=_span(10), targets=[BODY_TARGET]
        ),
        Section(
            id="s2",
            label="二",
            style="cn-dun",
            title="二、重点任务",
            level=1,
            span=_span(29),
            sections=[
                Section(
                    id="s2.s1", label="一", style="cn-paren", title=PATH[1], level=2, span=_span(30), clauses=[c1, c2]
                )
            ],
        ),
    ]
    return Document(
        parser_version="0.1.0",
        name="xinzheng-2023-highland-plan",
        metadata=Metadata(
            title="新郑市职业教育高质量创新发展高地建设实施方案",
            doc_number=DocNumber(
                raw="新政办〔2023〕17号",
                normalized="新政办〔2023〕17号",
                agency="新政办",
                year=2023,
                seq=17,
                standard=True,
            ),
            issue_date=date(2023, 6, 20),
            print_date=date(2023, 6, 21),
        ),
        sections=sections,
        clauses=[c1, c2],
        citations=[HENAN_OPINION, ZHENGZHOU_PLAN],
        text=c1_text,
        raw_text=c1_text,
    )


def drafting_note() -> Document:
    text = "坚持需求导向。围绕产业发展需要设置专业。"
    c = _clause("s1.c1", "1", text, ["一、起草背景"], 5)
    return Document(
        parser_version="0.1.0",
        name="zhengzhou-reform-plan-drafting-note",
        metadata=Metadata(print_date=date(2022, 3, 1)),
        clauses=[c],
        text=text,
        raw_text=text,
    )


@pytest.fixture
def docs() -> list[Document]:
    return [xinzheng(), drafting_note()]


# --- tables --------------------------------------------------------------------


def test_columns_and_types_cover_the_same_tables() -> None:
    assert list(COLUMNS) == ["clauses", "targets", "citations", "units"]
    for table, cols in COLUMNS.items():
        assert list(TYPES[table]) == cols
        assert set(TYPES[table].values()) <= {"string", "int64", "float64", "bool"}


def test_clause_rows(docs: list[Document]) -> None:
    rows = clause_rows(docs)
    assert [list(r) for r in rows] == [COLUMNS["clauses"]] * 3
    first, second, note = rows
    assert first["doc"] == "xinzheng-2023-highland-plan"
    assert first["doc_number"] == "新政办〔2023〕17号"
    assert first["date"] == "2023-06-20"  # issue date wins over print date
    assert first["section_path"] == "二、重点任务 > （一）优化职业教育结构"
    assert first["clause_id"] == "s2.s1.c1" and first["label"] == "1"
    assert first["heading"] == "扩大中职招生规模。"
    assert first["responsible_units"] == "市教育局、市人力资源和社会保障局"
    assert first["n_targets"] == 2
    assert first["chars"] == len(docs[0].clauses[0].policy_text) < len(first["text"])
    assert first["line"] == 31
    targets = json.loads(first["targets"])
    assert [t["subject"] for t in targets] == ["中等职业学校在校生规模", "毕业生就业率"]
    assert "中等职业学校" in first["targets"]  # ensure_ascii=False
    assert second["responsible_units"] == ""
    assert note["doc_number"] is None and note["title"] is None
    assert note["date"] == "2022-03-01"  # falls back to the print date
    assert note["targets"] == "[]" and note["n_targets"] == 0


def test_target_rows_include_section_body_targets(docs: list[Document]) -> None:
    rows = target_rows(docs)
    assert all(list(r) == COLUMNS["targets"] for r in rows)
    assert [(r["clause_id"], r["subject"]) for r in rows] == [
        ("s2.s1.c1", "中等职业学校在校生规模"),
        ("s2.s1.c1", "毕业生就业率"),
        ("s2.s1.c2", "职业技能培训"),
        ("s1", "省级高水平中职学校"),
    ]
    enrol, _, training, body = rows
    assert enrol["value"] == 3.0 and type(enrol["value"]) is float
    assert enrol["year"] == 2025 and enrol["clause_label"] == "1" and enrol["kind"] == "target"
    assert training["value"] is None and (training["low"], training["high"]) == (5.0, 6.0)
    assert training["year"] is None
    assert body["clause_label"] == "一"


def test_citation_rows_attribute_clause_citations_once(docs: list[Document]) -> None:
    rows = citation_rows(docs)
    assert all(list(r) == COLUMNS["citations"] for r in rows)
    assert [(r["clause_id"], r["number"]) for r in rows] == [
        (None, "豫政〔2021〕2号"),  # preamble: document-level
        ("s2.s1.c1", "郑政办〔2022〕91号"),
    ]
    assert rows[1]["nonstandard"] is True and rows[1]["resolved_to"] == "zhengzhou-2022-highland-plan"


def test_citation_rows_keep_clause_citations_missing_from_document_list() -> None:
    doc = xinzheng()
    doc.citations = [HENAN_OPINION]
    rows = citation_rows([doc])
    assert [r["clause_id"] for r in rows] == [None, "s2.s1.c1"]


def test_unit_rows(docs: list[Document]) -> None:
    rows = unit_rows(docs)
    assert [list(r) for r in rows] == [COLUMNS["units"]] * 2
    assert [(r["name"], r["role"], r["raw"]) for r in rows] == [
        ("市教育局", "lead", "市教育局牵头"),
        ("市人力资源和社会保障局", "joint", "市人社局配合"),
    ]
    assert rows[0]["clause_label"] == "1"


def test_clause_table(docs: list[Document]) -> None:
    frame = clause_table(docs)
    assert list(frame.columns) == COLUMNS["clauses"]
    assert len(frame) == 3
    assert str(frame["n_targets"].dtype) == "int64"
    assert frame.loc[0, "doc_number"] == "新政办〔2023〕17号"
    one = to_frame(docs[1])
    assert list(one["doc"]) == ["zhengzhou-reform-plan-drafting-note"]
    empty = clause_table([])
    assert list(empty.columns) == COLUMNS["clauses"] and str(empty["line"].dtype) == "int64"


def test_clause_table_without_pandas(monkeypatch: pytest.MonkeyPatch, docs: list[Document]) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` raise ImportError
    with pytest.raises(PolicydiffError, match=r"pip install 'policydiff\[pandas\]'"):
        clause_table(docs)


# --- CSV -----------------------------------------------------------------------


def test_csv_has_bom_and_round_trips(tmp_path: Path, docs: list[Document]) -> None:
    out = write_export(docs, "csv", tmp_path / "clauses.csv", raw_formulas=True)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == COLUMNS["clauses"]
    assert len(rows) == 3
    assert rows[0]["text"] == docs[0].clauses[0].text
    assert rows[1]["text"] == docs[0].clauses[1].text  # control chars kept: CSV can hold them
    assert rows[2]["doc_number"] == ""  # None is written as an empty field


def test_csv_of_another_table(tmp_path: Path, docs: list[Document]) -> None:
    out = write_export(docs, "csv", tmp_path / "units.csv", table="units")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[0] == COLUMNS["units"] and len(rows) == 3


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40))
def test_csv_round_trips_any_text(tmp_path: Path, text: str) -> None:
    doc = drafting_note()
    doc.clauses[0].text = text
    out = write_export([doc], "csv", tmp_path / "c.csv", force=True, raw_formulas=True)
    with open(out, encoding="utf-8-sig", newline="") as f:
        assert next(csv.DictReader(f))["text"] == text


# --- XLSX ----------------------------------------------------------------------


def test_xlsx_workbook(tmp_path: Path, docs: list[Document]) -> None:
    from openpyxl import load_workbook

    out = write_export(docs, "xlsx", tmp_path / "plans.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["clauses", "targets", "citations", "units"]
    ws = wb["clauses"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS["clauses"]
    assert len(rows) == 1 + 3
    assert ws.freeze_panes == "A2"
    assert all(cell.font.bold for cell in ws[1])
    cols = COLUMNS["clauses"]
    first = dict(zip(cols, rows[1], strict=True))
    assert first["doc_number"] == "新政办〔2023〕17号"
    assert first["section_path"] == "二、重点任务 > （一）优化职业教育结构"
    assert first["n_targets"] == 2 and type(first["n_targets"]) is int
    assert type(first["line"]) is int
    second = dict(zip(cols, rows[2], strict=True))
    assert second["text"] == "=开展职业技能培训。每年培训5万至6万人次。"  # illegal chars stripped
    assert ws.cell(row=3, column=cols.index("heading") + 1).data_type == "s"  # not a formula
    assert dict(zip(cols, rows[3], strict=True))["doc_number"] is None
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    assert max(widths.values()) <= 60
    assert widths["I"] == 60  # the long Chinese text column is capped
    assert widths["A"] >= len("xinzheng-2023-highland-plan")

    targets = list(wb["targets"].iter_rows(values_only=True))
    assert len(targets) == 1 + 4
    row = dict(zip(COLUMNS["targets"], targets[1], strict=True))
    assert row["value"] == 3 and isinstance(row["value"], (int, float)) and row["year"] == 2025
    assert len(list(wb["citations"].iter_rows())) == 1 + 2
    assert len(list(wb["units"].iter_rows())) == 1 + 2
    assert wb["units"].freeze_panes == "A2"


def test_xlsx_other_table_has_one_sheet(tmp_path: Path, docs: list[Document]) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(write_export(docs, "xlsx", tmp_path / "t.xlsx", table="targets"))
    assert wb.sheetnames == ["targets"]


# --- Parquet -------------------------------------------------------------------


def test_parquet_types(tmp_path: Path, docs: list[Document]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    clauses = pq.read_table(write_export(docs, "parquet", tmp_path / "c.parquet"))
    assert clauses.num_rows == 3
    assert clauses.column_names == COLUMNS["clauses"]
    assert clauses.schema.field("label").type == pa.string()
    assert clauses.schema.field("n_targets").type == pa.int64()
    assert clauses.schema.field("chars").type == pa.int64()
    assert clauses.column("doc_number").to_pylist()[2] is None
    assert clauses.column("title").to_pylist()[0] == "新郑市职业教育高质量创新发展高地建设实施方案"

    targets = pq.read_table(write_export(docs, "parquet", tmp_path / "t.parquet", table="targets"))
    assert targets.num_rows == 4
    assert targets.schema.field("value").type == pa.float64()
    assert targets.schema.field("year").type == pa.int64()  # nullable, not turned into float
    assert targets.column("year").to_pylist() == [2025, 2025, None, 2025]

    cites = pq.read_table(write_export(docs, "parquet", tmp_path / "ci.parquet", table="citations"))
    assert cites.schema.field("nonstandard").type == pa.bool_()


def test_parquet_without_rows_keeps_schema(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    t = pq.read_table(write_export([], "parquet", tmp_path / "u.parquet", table="targets"))
    assert t.num_rows == 0 and t.schema.field("low").type == pa.float64()


# --- JSONL ---------------------------------------------------------------------


def test_jsonl(tmp_path: Path, docs: list[Document]) -> None:
    out = write_export(docs, "jsonl", tmp_path / "c.jsonl")
    text = out.read_text(encoding="utf-8")
    assert "新政办" in text  # not \u-escaped
    rows = [json.loads(line) for line in text.splitlines()]
    assert rows == clause_rows(docs)


# --- safety --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_existing_output_is_kept_without_force(tmp_path: Path, docs: list[Document], fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    out.write_text("keep me", encoding="utf-8")
    # The library describes the problem; the CLI adds the flag (test_cli_csv_has_bom_and_refuses_to_overwrite).
    with pytest.raises(OverwriteRefusedError, match="exists; nothing was overwritten"):
        write_export(docs, fmt, out)  # type: ignore[arg-type]
    assert out.read_text(encoding="utf-8") == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_force_replaces(tmp_path: Path, docs: list[Document]) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("old", encoding="utf-8")
    write_export(docs, "jsonl", out, force=True)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


@pytest.mark.parametrize("exc", [RuntimeError("disk on fire"), KeyboardInterrupt()])
def test_failure_mid_write_leaves_nothing(
    tmp_path: Path, docs: list[Document], monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    def broken(docs: list[Document], table: str, path: Path, opts: object) -> None:
        path.write_text("doc,clause_id\nhalf", encoding="utf-8")
        raise exc

    monkeypatch.setitem(export._WRITERS, "csv", broken)
    with pytest.raises(type(exc)):
        write_export(docs, "csv", tmp_path / "out.csv")
    assert list(tmp_path.iterdir()) == []


def test_failure_with_force_keeps_the_old_file(
    tmp_path: Path, docs: list[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(docs: list[Document], table: str, path: Path, opts: object) -> None:
        raise OSError(28, "No space left on device")

    out = tmp_path / "out.csv"
    out.write_text("old", encoding="utf-8")
    monkeypatch.setitem(export._WRITERS, "csv", broken)
    with pytest.raises(PolicydiffError, match="No space left on device"):
        write_export(docs, "csv", out, force=True)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_bad_arguments(tmp_path: Path, docs: list[Document]) -> None:
    with pytest.raises(UsageError, match="csv, xlsx, parquet, jsonl"):
        write_export(docs, "xls", tmp_path / "x.xls")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="unknown table 'sections'"):
        write_export(docs, "csv", tmp_path / "x.csv", table="sections")
    with pytest.raises(OutputPathError, match="is a folder"):
        write_export(docs, "csv", tmp_path, force=True)
    with pytest.raises(PolicydiffError, match="no such folder"):
        write_export(docs, "csv", tmp_path / "missing" / "x.csv")
    assert list(tmp_path.iterdir()) == []


# --- the seeds through the CLI ---------------------------------------------------


def cli_export(tmp_path: Path, fmt: str, name: str, *extra: str) -> Path:
    from typer.testing import CliRunner

    from policydiff.cli import app

    out = tmp_path / name
    result = CliRunner().invoke(app, ["export", "data/raw", "--format", fmt, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def test_cli_xlsx_of_all_seeds(tmp_path: Path, seed_docs: dict[str, Document]) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    n_clauses = sum(len(doc.clauses) for doc in seed_docs.values())
    assert n_clauses > 50
    wb = load_workbook(cli_export(tmp_path, "xlsx", "clauses.xlsx"))
    assert wb.sheetnames == ["clauses", "targets", "citations", "units"]  # one sheet per table
    ws = wb["clauses"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS["clauses"]  # the header row
    assert len(rows) - 1 == n_clauses  # one row per clause of every seed
    cols = COLUMNS["clauses"]
    got = [(r[cols.index("doc")], r[cols.index("clause_id")], r[cols.index("label")]) for r in rows[1:]]
    assert got == [(d.name, c.id, c.label) for d in seed_docs.values() for c in d.clauses]
    assert all(type(r[cols.index("n_targets")]) is int and type(r[cols.index("chars")]) is int for r in rows[1:])
    for sheet in wb.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        for j, header in enumerate(COLUMNS[sheet.title], start=1):
            # Wide enough for the header, capped for long Chinese text.
            width = sheet.column_dimensions[get_column_letter(j)].width
            assert len(header) + 2 <= width <= 60, (sheet.title, header, width)
        assert max(sheet.column_dimensions[get_column_letter(j)].width for j in range(1, sheet.max_column + 1)) > 20
    n_targets = sum(len(c.targets) for d in seed_docs.values() for c in d.clauses) + sum(
        len(s.targets) for d in seed_docs.values() for s in d.iter_sections()
    ) + sum(len(d.targets) for d in seed_docs.values())
    assert wb["targets"].max_row - 1 == n_targets > 0
    assert [p.name for p in tmp_path.iterdir()] == ["clauses.xlsx"]  # no temporary file left


def test_cli_parquet_of_all_seeds_keeps_types(tmp_path: Path, seed_docs: dict[str, Document]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(cli_export(tmp_path, "parquet", "clauses.parquet"))
    assert table.num_rows == sum(len(doc.clauses) for doc in seed_docs.values())
    assert table.column_names == COLUMNS["clauses"]
    for col, kind in TYPES["clauses"].items():
        want = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}[kind]
        assert table.schema.field(col).type == want, col
    assert all(type(v) is int for v in table.column("line").to_pylist())
    targets = pq.read_table(cli_export(tmp_path, "parquet", "targets.parquet", "--table", "targets"))
    assert targets.schema.field("year").type == pa.int64() and targets.schema.field("value").type == pa.float64()
    assert {type(v) for v in targets.column("year").to_pylist()} <= {int, type(None)}
    frame = table.to_pandas()
    assert str(frame["n_targets"].dtype) == "int64"


def test_cli_csv_has_bom_and_refuses_to_overwrite(tmp_path: Path, seed_docs: dict[str, Document]) -> None:
    from typer.testing import CliRunner

    from policydiff.cli import app

    out = cli_export(tmp_path, "csv", "clauses.csv")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == sum(len(doc.clauses) for doc in seed_docs.values())
    result = CliRunner().invoke(app, ["export", "data/raw", "--format", "csv", "--out", str(out), "--table", "units"])
    assert result.exit_code == 1 and "exists; nothing was overwritten. Pass --force to overwrite it" in result.stderr
    assert out.read_bytes() == data
    cli_export(tmp_path, "csv", "clauses.csv", "--table", "units", "--force")
    assert out.read_bytes() != data and next(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))) == COLUMNS["units"]
    assert [p.name for p in tmp_path.iterdir()] == ["clauses.csv"]


# --- library: data frames --------------------------------------------------------


def test_package_to_frame_and_clause_table(seed_docs: dict[str, Document]) -> None:
    import policydiff

    assert {"clause_table", "to_frame"} <= set(policydiff.__all__)
    doc = seed_docs["zhengzhou-2022-highland-plan"]
    frame = policydiff.to_frame(doc)
    assert list(frame.columns) == COLUMNS["clauses"]
    assert len(frame) == len(doc.clauses) == 25
    assert list(frame["label"]) == [c.label for c in doc.clauses]
    assert set(frame["doc"]) == {doc.name}
    assert str(frame["chars"].dtype) == "int64"
    assert all(str(frame[c].dtype) == "string" for c, t in TYPES["clauses"].items() if t == "string")
    allframe = policydiff.clause_table(seed_docs.values())
    assert len(allframe) == sum(len(d.clauses) for d in seed_docs.values())
    assert set(allframe["doc"]) == set(seed_docs)
    mine = allframe[allframe["doc"] == doc.name].reset_index(drop=True)
    assert mine.equals(frame)


def test_to_frame_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(PolicydiffError, match=r"pip install 'policydiff\[pandas\]'"):
        to_frame(drafting_note())


# --- one atomic writer for exports and parsed JSON ------------------------------


def test_atomic_output_is_shared_and_leaves_nothing_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from policydiff import _atomic
    from policydiff.api import atomic_write_text

    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "a.json", "新\n")
    finally:
        os.umask(old)
    assert (tmp_path / "a.json").read_bytes() == "新\n".encode()
    assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o644  # the umask, not mkstemp's 0600

    def no_rename(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_atomic.os, "replace", no_rename)
    with pytest.raises(OSError):
        atomic_write_text(tmp_path / "a.json", "changed")
    with pytest.raises(PolicydiffError, match="No space left on device"):
        write_export([drafting_note()], "csv", tmp_path / "b.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]
    assert (tmp_path / "a.json").read_bytes() == "新\n".encode()
