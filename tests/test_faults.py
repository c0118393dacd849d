"""Faults and bad inputs (issue 14): each case's exact outcome — one `Error:` line, the exit code, no
traceback, no partial file, and the index usable afterwards. Commands run as real processes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import RAW, ROOT
from policydiff.render.export import XLSX_MAX_CELL, write_export

SEEDS = sorted(RAW.glob("*.txt"))
SMALL = RAW / "zhengzhou-reform-plan-drafting-note.txt"


def run(*args: str | Path, cwd: Path | None = None, stdout: int | None = subprocess.PIPE, env: dict[str, str] | None = None, timeout: float = 180):
    return subprocess.run(
        [sys.executable, "-m", "policydiff", *map(str, args)],
        check=False,
        cwd=cwd or ROOT,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def one_error(res: subprocess.CompletedProcess[str], code: int = 1, *, match: str = "") -> str:
    """The single `Error:` line of a failed command (no traceback, exit `code`)."""
    assert "Traceback" not in res.stderr, res.stderr
    errors = [line for line in res.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, res.stderr
    assert res.returncode == code, (res.returncode, res.stderr)
    assert match in errors[0], errors[0]
    return errors[0]


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def corpus(tmp_path: Path, n: int = len(SEEDS)) -> Path:
    src = tmp_path / "corpus"
    src.mkdir()
    for p in SEEDS[:n]:
        shutil.copy(p, src / p.name)
    return src


# --- exports -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def doc():
    from policydiff import parse_file

    return parse_file(SMALL)


def test_formula_cells_are_inert_in_csv_and_xlsx(tmp_path: Path, doc) -> None:
    from openpyxl import load_workbook

    d = doc.model_copy(deep=True)
    payloads = ['=HYPERLINK("http://evil.example","点击")', "+1+2", "-3+4", "@SUM(A1)", "\t=1+1"]
    for clause, payload in zip(d.clauses, payloads, strict=False):
        clause.text = payload
    notes: list[str] = []
    write_export([d], "csv", tmp_path / "c.csv", notes=notes)
    body = (tmp_path / "c.csv").read_text(encoding="utf-8-sig")
    for payload in payloads:
        assert "'" + payload.replace('"', '""') in body
    assert notes and "--raw-formulas" in notes[0]
    write_export([d], "csv", tmp_path / "raw.csv", raw_formulas=True)
    assert "'=HYPERLINK" not in (tmp_path / "raw.csv").read_text(encoding="utf-8-sig")
    write_export([d], "xlsx", tmp_path / "c.xlsx")
    ws = load_workbook(tmp_path / "c.xlsx")["clauses"]
    col = [c.value for c in ws[1]].index("text") + 1
    cell = ws.cell(row=2, column=col)
    assert cell.value == payloads[0] and cell.data_type == "s" and cell.quotePrefix


def test_over_long_xlsx_cell_continues_in_a_side_column(tmp_path: Path, doc) -> None:
    from openpyxl import load_workbook

    d = doc.model_copy(deep=True)
    long_text = ("职业教育提质培优，" * 6100)[:54_012]
    d.clauses[0].text = long_text
    notes: list[str] = []
    write_export([d], "xlsx", tmp_path / "long.xlsx", notes=notes)
    ws = load_workbook(tmp_path / "long.xlsx")["clauses"]
    header = [c.value for c in ws[1]]
    assert "text_2" in header
    first, rest = ws.cell(row=2, column=header.index("text") + 1).value, ws.cell(row=2, column=header.index("text_2") + 1).value
    assert len(first) == XLSX_MAX_CELL and first + rest == long_text
    assert any("1 cells were longer" in n and "text_2" in n for n in notes)


@pytest.mark.slow
def test_xlsx_and_parquet_exports_are_byte_identical(tmp_path: Path) -> None:
    for fmt in ("xlsx", "parquet", "csv"):
        a = run("export", SMALL, "--format", fmt, "--out", tmp_path / f"a.{fmt}")
        time.sleep(1.1)  # a clock in the file would now differ
        b = run("export", SMALL, "--format", fmt, "--out", tmp_path / f"b.{fmt}", env={"PYTHONHASHSEED": "123"})
        assert a.returncode == b.returncode == 0, a.stderr + b.stderr
        assert (tmp_path / f"a.{fmt}").read_bytes() == (tmp_path / f"b.{fmt}").read_bytes(), fmt


def test_colliding_output_names_write_nothing(tmp_path: Path) -> None:
    for d in ("d1", "d2"):
        (tmp_path / d).mkdir()
        shutil.copy(SMALL, tmp_path / d / "plan.txt")
    out = tmp_path / "out"
    res = run("parse", tmp_path / "d1" / "plan.txt", tmp_path / "d2" / "plan.txt", "--out", out)
    one_error(res, match="would both be written as plan.json")
    assert not out.exists()


@pytest.mark.slow
def test_stdout_on_a_full_disk(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        res = run("parse", SMALL, "--format", "json", stdout=full.fileno())
    one_error(res, match="No space left")
    with open("/dev/full", "w") as full:
        res = run("export", SMALL, "--format", "csv", "--out", tmp_path / "x.csv", stdout=full.fileno())
    one_error(res)


# --- inputs ----------------------------------------------------------------------------


@pytest.mark.slow
def test_fifo_and_device_are_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    one_error(run("parse", fifo, "--out", tmp_path / "o", timeout=30), match="not a regular file")
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    one_error(run("parse", zero, "--out", tmp_path / "o", timeout=30), match="not a regular file")
    # in a folder they are skipped with a note; the notice beside them is parsed
    shutil.copy(SMALL, tmp_path / "plan.txt")
    res = run("parse", tmp_path, "--out", tmp_path / "o", timeout=60)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    assert "note: skipped" in res.stderr and (tmp_path / "o" / "plan.json").exists()


def test_docx_member_bomb_is_refused(tmp_path: Path) -> None:
    import zipfile

    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("word/styles.xml", b" " * (40 * 1024 * 1024))
    one_error(run("parse", bomb, "--out", tmp_path / "o"), match="word/styles.xml unpacks to")


@pytest.mark.slow
def test_non_utf8_file_names(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    raw_name = os.fsdecode(b"\xbf\xaa\xb7\xe2.txt")  # 开封 in GBK
    shutil.copy(SMALL, src / raw_name)
    res = run("parse", src, "--out", tmp_path / "out")
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "out" / "\\xbf\\xaa\\xb7\\xe2.json").exists()
    res = run("index", src, "--out", tmp_path / "ix")
    assert res.returncode == 0, res.stderr
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "ix" / "documents.parquet")["name"].to_pylist() == ["\\xbf\\xaa\\xb7\\xe2"]


@pytest.mark.slow
def test_missing_json_and_unreadable_file_in_a_folder(tmp_path: Path) -> None:
    one_error(run("parse", tmp_path / "missing.json"), match="no such file")
    one_error(run("show", tmp_path / "missing.json"), match="no such file")
    one_error(run("compare", tmp_path / "missing.json", SMALL), match="no such file")
    src = corpus(tmp_path, 2)
    (src / "empty.txt").write_bytes(b"")
    res = run("parse", src, "--out", tmp_path / "out")
    one_error(res, match="empty.txt")  # reported; the others are written
    assert len(list((tmp_path / "out").glob("*.json"))) == 2


def test_stray_nul_bytes_are_dropped_not_fatal(tmp_path: Path) -> None:
    from policydiff import parse_file

    data = SMALL.read_bytes()
    cut = data.index("。".encode()) + 3
    p = tmp_path / "nul.txt"
    p.write_bytes(data[:cut] + b"\x00\x00" + data[cut:])
    d = parse_file(p)
    assert "\x00" not in d.text and [x.reason for x in d.dropped].count("control-char") >= 1


def test_editor_lock_and_hidden_files_are_skipped(tmp_path: Path) -> None:
    shutil.copy(SMALL, tmp_path / "plan.txt")
    (tmp_path / "~$draft.docx").write_bytes(b"\x00lock")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    res = run("parse", tmp_path, "--out", tmp_path / "o")
    assert res.returncode == 0, res.stderr
    assert "skipped" in res.stderr and "~$draft.docx" in res.stderr and "lock file" in res.stderr


def test_subfolders_are_named_not_silently_passed_over(tmp_path: Path) -> None:
    """parse DIR reads the folder itself; a subfolder of notices is said, with how to include it."""
    raw = tmp_path / "raw"
    (raw / "henan" / "2023").mkdir(parents=True)
    (raw / ".git").mkdir()
    shutil.copy(SMALL, raw / "plan.txt")
    shutil.copy(SMALL, raw / "henan" / "a.txt")
    shutil.copy(SMALL, raw / "henan" / "2023" / "b.txt")
    (raw / ".git" / "c.txt").write_text("x", encoding="utf-8")
    res = run("parse", raw, "--out", tmp_path / "parsed")
    assert res.returncode == 0, res.stderr
    assert f"note: skipped {raw / 'henan'}: a subfolder holding 2 supported file(s), not searched: name it to include it" in res.stderr
    assert ".git" not in res.stderr and sorted(p.name for p in (tmp_path / "parsed").iterdir()) == ["plan.json"]


def test_check_searches_subfolders_and_their_parsed_mirror(tmp_path: Path) -> None:
    """A collection in CI is checked whole; data/raw/henan/a.txt has its parse in data/parsed/henan/a.json."""
    raw = tmp_path / "data" / "raw"
    (raw / "henan").mkdir(parents=True)
    shutil.copy(SMALL, raw / "plan.txt")
    shutil.copy(SMALL, raw / "henan" / "a.txt")
    assert run("parse", raw, "--out", tmp_path / "data" / "parsed").returncode == 0
    res = run("check", raw, "--format", "json")
    missing = [f for f in json.loads(res.stdout) if f["code"] == "parsed-missing"]
    assert res.returncode == 1 and [f["path"] for f in missing] == [str(raw / "henan" / "a.txt")], res.stdout
    assert f"--out {tmp_path / 'data' / 'parsed' / 'henan'}`" in missing[0]["message"]
    assert run("parse", raw / "henan", "--out", tmp_path / "data" / "parsed" / "henan").returncode == 0
    res = run("check", raw, "--format", "json")
    assert res.returncode == 0 and not [f for f in json.loads(res.stdout) if f["severity"] == "error"], res.stdout


# --- outputs -----------------------------------------------------------------------------


@pytest.mark.slow
def test_unwritable_outputs(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    one_error(run("parse", SMALL, "--out", a_file / "sub"), match="not a folder")
    one_error(run("parse", SMALL, "--out", "/proc/policydiff-test"))
    one_error(run("export", SMALL, "--format", "csv", "--out", tmp_path, "--force"), match="is a folder")
    one_error(run("compare", SMALL, SMALL, "--format", "csv", "--out", a_file / "x.csv"))
    one_error(run("index", tmp_path / "nothing", "--out", tmp_path / "ix"), match="no such corpus folder")
    one_error(run("index", corpus(tmp_path, 1), "--out", a_file), match="is a file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "file"]


def test_unknown_engine_is_a_usage_error(tmp_path: Path) -> None:
    res = run("index", RAW, "--out", tmp_path / "ix", "--engine", "spark")
    assert res.returncode == 2 and "Traceback" not in res.stderr and "spark" in res.stderr
    assert not (tmp_path / "ix").exists()


def test_missing_extra_names_it(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['pyarrow'] = None; sys.modules['numpy'] = None\n"
        "from policydiff.cli import main; sys.argv = ['policydiff', 'index', sys.argv[1], '--out', sys.argv[2]]; main()"
    )
    res = subprocess.run([sys.executable, "-c", code, str(RAW), str(tmp_path / "ix")], check=False, capture_output=True, text=True, cwd=ROOT, timeout=60)
    one_error(res, match="pip install 'policydiff[corpus]'")


@pytest.mark.slow
def test_readme_check_example_passes_and_parsed_is_beside_the_folder(tmp_path: Path) -> None:
    assert run("check", "data/raw", "--format", "github", "--strict").returncode == 0
    # from another directory, the stored parses beside data/raw are found (no false parsed-missing)
    res = run("check", ROOT / "data" / "raw", "--strict", cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr


# --- the index ----------------------------------------------------------------------------


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    src = corpus(tmp_path)
    ix = tmp_path / "ix"
    res = run("index", src, "--out", ix)
    assert res.returncode == 0, res.stderr
    return src, ix


@pytest.mark.slow
def test_mistyped_corpus_path_changes_nothing(built: tuple[Path, Path], tmp_path: Path) -> None:
    _, ix = built
    before = files_in(ix)
    one_error(run("index", tmp_path / "corpsu", "--out", ix), match="no such corpus folder")
    (tmp_path / "empty").mkdir()
    one_error(run("index", tmp_path / "empty", "--out", ix), match="no supported files")
    few = tmp_path / "few"
    few.mkdir()
    shutil.copy(SEEDS[0], few / SEEDS[0].name)
    one_error(run("index", few, "--out", ix), 2, match="--prune")
    assert files_in(ix) == before
    res = run("index", few, "--out", ix, "--prune")
    assert res.returncode == 0 and f"{len(SEEDS) - 1} removed" in res.stdout


@pytest.mark.slow
def test_second_writer_fails_at_once(built: tuple[Path, Path]) -> None:
    from policydiff.corpus.store import writer_lock

    src, ix = built
    before = files_in(ix)
    with writer_lock(ix):
        t0 = time.perf_counter()
        one_error(run("index", src, "--out", ix), match="being written by another `policydiff index`")
        assert time.perf_counter() - t0 < 30
    assert files_in(ix) == before
    assert run("search", ix, "职业教育").returncode == 0


@pytest.mark.parametrize(
    "damage",
    [
        *(
            pytest.param(d, marks=pytest.mark.slow)  # each builds an index first: ~5 s
            for d in ("truncate-doc", "delete-documents", "empty-ngrams", "garbage-index-json", "garbage-errors", "delete-manifest", "truncate-search")
        ),
    ],
)
def test_damaged_index_is_reported_then_rebuilt(built: tuple[Path, Path], damage: str, tmp_path: Path) -> None:
    src, ix = built
    clean = files_in(ix)
    doc = min((ix / "docs").glob("*.zst"))
    if damage == "truncate-doc":
        doc.write_bytes(doc.read_bytes()[:100])
    elif damage == "delete-documents":
        (ix / "documents.parquet").unlink()
    elif damage == "empty-ngrams":
        (ix / "ngrams.parquet").write_bytes(b"")
    elif damage == "garbage-index-json":
        (ix / "index.json").write_text("{not json", encoding="utf-8")
    elif damage == "garbage-errors":
        (ix / "errors.parquet").write_bytes(b"PAR1garbagePAR1")
    elif damage == "delete-manifest":
        (ix / "manifest.json").unlink()
    else:
        p = ix / "search" / "postings.npy"
        p.write_bytes(p.read_bytes()[:64])
    if damage != "truncate-search":  # search/ is derived: a search rebuilds it by itself
        one_error(run("lineage", ix), match=f"policydiff index {src} --out {ix}" if damage != "delete-manifest" else "policydiff index")
        one_error(run("search", ix, "职业教育"), match="Run `policydiff index")
    res = run("index", src, "--out", ix)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    assert files_in(ix) == clean
    assert run("lineage", ix).returncode == 0


@pytest.mark.slow
def test_search_refuses_a_folder_that_is_not_an_index_and_unknown_clauses(built: tuple[Path, Path], tmp_path: Path) -> None:
    _, ix = built
    one_error(run("search", tmp_path / "nope", "职业"), match="no such folder")
    one_error(run("search", RAW, "职业"), match="not a policydiff index")
    one_error(run("search", ix, f"{SEEDS[0].stem}:99"), 2, match="has no clause '99'")


@pytest.mark.slow
def test_same_names_in_different_folders_are_all_indexed(tmp_path: Path) -> None:
    src = tmp_path / "src"
    for d in ("a", "b"):
        (src / d).mkdir(parents=True)
        shutil.copy(SMALL, src / d / "plan.txt")
    shutil.copy(SMALL, src / "a" / "plan.md")
    res = run("index", src, "--out", tmp_path / "ix")
    assert res.returncode == 0, res.stderr
    import pyarrow.parquet as pq

    names = pq.read_table(tmp_path / "ix" / "documents.parquet")["name"].to_pylist()
    assert names == ["a/plan.md", "a/plan.txt", "b/plan"]


@pytest.mark.slow
def test_index_is_byte_identical_whatever_the_hash_seed_and_workers(tmp_path: Path) -> None:
    src = corpus(tmp_path)
    code = "import sys; from policydiff.corpus.index import build_index; build_index(sys.argv[1], sys.argv[2], workers=int(sys.argv[3]))"
    for ix, seed, workers in (("a", "1", "1"), ("b", "999", "2")):
        subprocess.run(
            [sys.executable, "-c", code, str(src), str(tmp_path / ix), workers], check=True, env={**os.environ, "PYTHONHASHSEED": seed}, cwd=ROOT
        )
    assert files_in(tmp_path / "a") == files_in(tmp_path / "b")


def _big_corpus(tmp_path: Path, copies: int = 6) -> Path:
    src = tmp_path / "big"
    for i in range(copies):
        (src / f"c{i}").mkdir(parents=True)
        for p in SEEDS:
            shutil.copy(p, src / f"c{i}" / p.name)
    return src


@pytest.mark.slow
def test_sigkill_of_index_then_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    src = _big_corpus(tmp_path)
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    assert run("index", src, "--out", clean).returncode == 0
    for delay in (1.0, 2.5):
        proc = subprocess.Popen([sys.executable, "-m", "policydiff", "index", str(src), "--out", str(killed)], cwd=ROOT, start_new_session=True)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)  # the process and its workers
        proc.wait()
    res = run("index", src, "--out", killed)
    assert res.returncode == 0, res.stderr
    # the manifest names the corpus folder, which is the same; the rest must be byte for byte a clean run's
    assert files_in(killed) == files_in(clean)


@pytest.mark.slow
def test_killed_worker_is_retried_and_a_deadly_file_reported(tmp_path: Path) -> None:
    src = _big_corpus(tmp_path, 2)
    clean = tmp_path / "clean"
    assert run("index", src, "--out", clean).returncode == 0
    marker = tmp_path / "died-once"
    code = f"""
import os, signal, sys
from pathlib import Path
import policydiff.corpus.index as ix
real = ix.parse_one
def parse_one(path, name, sha, out_dir):
    marker = Path({str(marker)!r})
    if name == "c0/kaifeng-2021-expansion-plan" and not marker.exists():
        marker.touch()
        os.kill(os.getpid(), signal.SIGKILL)  # a worker killed once (OOM killer, an operator)
    if name == "c1/kaifeng-2021-expansion-plan":
        os.kill(os.getpid(), signal.SIGKILL)  # a file that kills every worker parsing it
    return real(path, name, sha, out_dir)
ix.parse_one = parse_one
s = ix.build_index(sys.argv[1], sys.argv[2], workers=2)
print(s.parsed, s.failed, s.errors)
"""
    res = subprocess.run([sys.executable, "-c", code, str(src), str(tmp_path / "ix")], check=False, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(f"{2 * len(SEEDS) - 1} 1 ") and "worker parsing it died" in res.stdout
    assert marker.exists()
    import pyarrow.parquet as pq

    names = set(pq.read_table(tmp_path / "ix" / "documents.parquet")["name"].to_pylist())
    assert "c0/kaifeng-2021-expansion-plan" in names and "c1/kaifeng-2021-expansion-plan" not in names


def _tmpfs(path: Path, size: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    path.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=False, capture_output=True).returncode == 0


@pytest.mark.slow
def test_full_disk_leaves_no_partial_file(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    if not _tmpfs(disk, "64k"):
        pytest.skip("needs root and a tmpfs mount")
    try:
        res = run("parse", RAW / "xinzheng-2023-highland-plan.txt", "--out", disk)
        one_error(res, match="No space left")
        (disk / "filler").write_bytes(b"x" * 48_000)  # the rest of the disk is smaller than an export
        one_error(run("export", RAW, "--format", "xlsx", "--out", disk / "x.xlsx"), match="No space left")
        res = run("index", RAW, "--out", disk / "ix")
        one_error(res, match="No space left")
        leftovers = [
            p for p in disk.rglob("*") if p.is_file() and p.name != ".lock" and (p.stat().st_size == 0 or p.name.endswith((".tmp", ".part")))
        ]
        assert leftovers == []
        assert not (disk / "ix" / "manifest.json").exists()  # incomplete, and readers say so
        one_error(run("lineage", disk / "ix"))
    finally:
        subprocess.run(["umount", str(disk)], check=False)


@pytest.mark.slow
def test_readonly_file_is_not_opened_for_index(tmp_path: Path) -> None:
    """An unreadable file (permissions) is one failed document, not the end of the run."""
    src = corpus(tmp_path, 2)
    bad = src / "locked.txt"
    shutil.copy(SMALL, bad)
    bad.chmod(0)
    if os.access(bad, os.R_OK):  # root reads anything: a file that cannot be parsed instead
        bad.write_bytes(b"")
    res = run("index", src, "--out", tmp_path / "ix")
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "2 parsed" in res.stdout and "1 failed" in res.stdout and "locked.txt" in res.stderr
    assert run("search", tmp_path / "ix", "职业教育").returncode == 0
    assert stat.S_ISDIR((tmp_path / "ix").stat().st_mode)


def test_a_file_the_index_cannot_read_is_one_plain_error_line(tmp_path: Path) -> None:
    """The error of a failed file says what is wrong once: no exception class, the path not twice."""
    src = corpus(tmp_path, 1)
    (src / "noise.txt").write_bytes(bytes(range(256)) * 8)
    res = run("index", src, "--out", tmp_path / "ix")
    line = one_error(res, 1)
    shown = str(src / "noise.txt")
    assert line.startswith(f"Error: {shown}: ") and line.count(shown) == 1, line
    assert "Error" not in line.removeprefix("Error:") and "BinaryInputError" not in line, line


@pytest.mark.slow
def test_two_index_runs_at_once(tmp_path: Path) -> None:
    """Two real `index` processes on one index: the second stops at once with the lock error, or waits its
    turn having started after the first; either way the index equals a clean one and stays usable."""
    src = _big_corpus(tmp_path, 4)
    clean, ix = tmp_path / "clean", tmp_path / "ix"
    assert run("index", src, "--out", clean).returncode == 0
    cmd = [sys.executable, "-m", "policydiff", "index", str(src), "--out", str(ix)]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes in ([0, 0], [0, 1]), outs
    for (_, err), p in zip(outs, procs, strict=True):
        assert "Traceback" not in err
        if p.returncode == 1:
            assert [line for line in err.splitlines() if line.startswith("Error:")] == [
                next(line for line in err.splitlines() if "being written by another `policydiff index`" in line)
            ]
    assert files_in(ix) == files_in(clean)
    assert run("search", ix, "职业教育").returncode == 0
