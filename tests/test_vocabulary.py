"""Vocabulary in data files (doc_types.tsv, domain.tsv), extended by users; failures recorded as Issues."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from builders import build_docx
from policydiff import parse_file, parse_text
from policydiff.errors import CorruptFileError
from policydiff.extract import targets as tg
from policydiff.extract.targets import find_targets
from policydiff.structure.metadata import doc_type_of
from policydiff.vocabulary import DOC_TYPE_ROLES, _rows, date_pattern, doc_types, notice_wrapper_pattern

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "zhengzhou-2022-highland-plan.txt"


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter: the lists are read when policydiff is first imported."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT, env={**os.environ, **env}, timeout=120
    )


def test_every_role_has_words_longest_first() -> None:
    for role in DOC_TYPE_ROLES:
        words = doc_types(role)
        assert words, role
        assert [len(w) for w in words] == sorted((len(w) for w in words), reverse=True), role
    assert doc_type_of("郑州市关于推进职业教育高质量发展的实施方案（2022—2025年）") == "实施方案"
    assert doc_type_of("开封市人民政府办公室关于印发扩招计划的通知") == "通知"


def test_patterns_built_once_read_as_before() -> None:
    import re

    m = re.search(date_pattern(groups="ymd"), "2021 年 3 月 5 日印发")
    assert m is not None and (m["y"], m["m"], m["d"]) == ("2021", "3", "5")
    assert re.fullmatch(date_pattern(spaced=False), "2021 年3月5日") is None
    m = re.search(notice_wrapper_pattern(quoted=True), "市政府关于转发《职业教育提质培优行动计划》的通知")
    assert m is not None and m["inner"] == "职业教育提质培优行动计划"
    assert re.search(notice_wrapper_pattern(verbs=("印发",), kinds=("通知",)), "关于转发X的通知") is None


def test_user_files_extend_the_shipped_lists(tmp_path: Path) -> None:
    (tmp_path / "volunteers.tsv").write_text("# my field\npeople\t志愿者\n", encoding="utf-8")
    (tmp_path / "types.tsv").write_text("备忘录\ttitle,doc_type\n", encoding="utf-8")
    code = (
        "from policydiff.extract.targets import find_targets; from policydiff.structure.metadata import doc_type_of; "
        "print([t.unit for t in find_targets('志愿者总数达到45万')], doc_type_of('关于合作的备忘录'))"
    )
    assert _python(code).stdout.strip() == "[''] None"
    res = _python(code, POLICYDIFF_DOMAIN=str(tmp_path / "volunteers.tsv"), POLICYDIFF_DOC_TYPES=str(tmp_path / "types.tsv"))
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "['人'] 备忘录"


def test_a_bad_doc_types_file_is_named_with_the_fix(tmp_path: Path) -> None:
    extra = tmp_path / "types.tsv"
    extra.write_text("备忘录\tsummary\n", encoding="utf-8")
    res = _python("import policydiff.structure.metadata", POLICYDIFF_DOC_TYPES=str(extra))
    assert res.returncode != 0
    assert "CorruptFileError" in res.stderr and f"{extra} line 1: unknown role 'summary'" in res.stderr
    with pytest.raises(CorruptFileError, match="line 2: expected 1 or 2 tab-separated columns"):
        _rows("# comment\na\tb\tc\n", "types.tsv", 2)


def test_a_failing_target_extractor_is_an_issue_on_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object) -> list[object]:
        raise ZeroDivisionError("division by zero")

    text = SEED.read_text(encoding="utf-8")
    assert not [i for i in parse_text(text).issues if i.code == "target-extraction-failed"]
    monkeypatch.setattr(tg._Extractor, "run", broken)
    doc = parse_text(text)
    failed = [i for i in doc.issues if i.code == "target-extraction-failed"]
    assert failed and all(not c.targets for c in doc.clauses)
    assert "ZeroDivisionError: division by zero" in failed[0].message
    with pytest.raises(ZeroDivisionError):
        find_targets("到2025年，中职学校达到45所")  # a caller without a document sees the bug


def test_unreadable_docx_parts_are_issues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import docx

    path = build_docx(SEED.read_text(encoding="utf-8"), tmp_path / "plan.docx")
    assert not [i for i in parse_file(path).issues if i.code.startswith("docx-")]
    real = docx.Document

    def broken(self: object) -> object:
        raise KeyError("rId9")

    def opened_then_damaged(stream: object) -> object:
        document = real(stream)  # the body opened; its relationships break afterwards
        part = document.part
        part.__class__ = type("DamagedPart", (type(part),), {"rels": property(broken)})
        return document

    monkeypatch.setattr(docx, "Document", opened_then_damaged)
    doc = parse_file(path)
    # styles and headers are both reached through the relationships: both are named, the text is still read
    assert [i.code for i in doc.issues if i.code.startswith("docx-")] == ["docx-styles-unread", "docx-headers-unread"]
    assert doc.clauses
