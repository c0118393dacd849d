"""The bad-input suite across commands: one clear `Error:` line (cause and fix), exit code 1,
no traceback, no output file; a 50 MB file is refused in bounded memory."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from policydiff.cli import app
from policydiff.ingest import DEFAULT_MAX_BYTES

runner = CliRunner()
BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
SEED = "data/raw/zhengzhou-2022-highland-plan.txt"
HUGE_BYTES = 50 * 1024 * 1024

# name → (what the message must say: the cause, and the fix)
CASES: dict[str, tuple[str, str]] = {
    "empty.txt": ("the file is empty", "Give a notice with text in it"),
    "binary.txt": ("so it is a binary file, not text", "Give a .txt/.md notice saved as text"),
    "truncated.docx": ("not a valid .docx (truncated or damaged", "Re-save it from Word"),
    "scanned.pdf": ("has no text layer (scanned?)", "run OCR first"),
    "latin1-garbage.txt": ("cannot detect the text encoding", "Name it with --encoding"),
    "huge.txt": ("larger than the 20.0 MB (20,971,520 bytes) limit", "raise the limit with --max-bytes"),
}
COMMANDS = ["parse", "show", "compare", "targets", "export", "check"]


@pytest.fixture(scope="module")
def huge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """50 MB of random printable text and line breaks: valid ASCII, so only the size limit stops it."""
    path = tmp_path_factory.mktemp("huge") / "huge.txt"
    alphabet = bytes(range(0x20, 0x7F)) + b"\n"
    table = bytes(alphabet[i % len(alphabet)] for i in range(256))
    rng = random.Random(50)
    with path.open("wb") as f:
        for _ in range(HUGE_BYTES // (1 << 20)):
            f.write(rng.randbytes(1 << 20).translate(table))
    assert path.stat().st_size == HUGE_BYTES > DEFAULT_MAX_BYTES
    return path


def bad_file(name: str, huge: Path) -> Path:
    return huge if name == "huge.txt" else BAD / name


def command_args(command: str, bad: Path, out: Path) -> list[str]:
    return {
        "parse": ["parse", str(bad), "--out", str(out / "parsed")],
        "show": ["show", str(bad)],
        "compare": ["compare", SEED, str(bad), "--format", "csv", "--out", str(out / "compare.csv")],
        "targets": ["targets", str(bad)],
        "export": ["export", str(bad), "--format", "xlsx", "--out", str(out / "clauses.xlsx")],
        "check": ["check", str(bad)],
    }[command]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_one_clear_error(tmp_path: Path, huge: Path, name: str, command: str) -> None:
    bad = bad_file(name, huge)
    cause, fix = CASES[name]
    result = runner.invoke(app, command_args(command, bad, tmp_path))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert list(tmp_path.iterdir()) == [], "no output file (and no temporary file) is left"
    if command == "check":
        # check reports each file as a finding and goes on: one error line for this file.
        errors = [ln for ln in result.stdout.splitlines() if ": error: " in ln]
        assert len(errors) == 1 and errors[0].startswith(f"{bad}: error: unreadable: {bad}: ")
        message = errors[0]
    else:
        lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1, result.stderr
        message = lines[0]
        assert message.startswith(f"Error: {bad}: ")
        assert result.stdout.strip() == ""
    assert cause in message and fix in message, message


def run_measured(args: list[str], cwd: Path) -> tuple[int, str, str, int]:
    """Run the CLI in a child process: exit code, stdout, stderr and the child's own peak RSS in bytes."""
    with open(os.devnull, "rb") as stdin, (cwd / "stdout").open("w+b") as out, (cwd / "stderr").open("w+b") as err:
        proc = subprocess.Popen([sys.executable, "-m", "policydiff", *args], cwd=ROOT, stdin=stdin, stdout=out, stderr=err)
        # wait4 gives this child's resource usage alone (RUSAGE_CHILDREN would be the maximum over
        # every child this test process ever had).
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    (cwd / "stdout").unlink()
    (cwd / "stderr").unlink()
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)  # Linux reports kB
    return proc.returncode, stdout, stderr, rss


@pytest.mark.parametrize("command", ["export", "parse"])
def test_50mb_file_fails_fast_in_bounded_memory(tmp_path: Path, huge: Path, command: str) -> None:
    work = tmp_path / "work"
    work.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    # The same command on a tiny bad file: what the interpreter and imports alone cost.
    code, _, _, base_rss = run_measured(command_args(command, BAD / "empty.txt", out), work)
    assert code == 1
    code, stdout, stderr, rss = run_measured(command_args(command, huge, out), work)
    assert code == 1
    assert "Traceback" not in stdout + stderr
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"Error: {huge}: the file is 50.0 MB (52,428,800 bytes), larger than") and "--max-bytes" in lines[0], stderr
    assert list(out.iterdir()) == []
    # Refused from its size alone: reading it would add 50 MB, decoding and parsing far more.
    print(f"peak RSS: {rss / 2**20:.1f} MB for the 50 MB file, {base_rss / 2**20:.1f} MB for an empty one")
    assert rss < base_rss + 16 * 1024 * 1024, (rss, base_rss)
    assert rss < 400 * 1024 * 1024


def test_max_bytes_option_lowers_and_raises_the_limit(tmp_path: Path) -> None:
    size = (ROOT / SEED).stat().st_size
    result = runner.invoke(app, ["show", SEED, "--max-bytes", "1000"])
    assert result.exit_code == 1
    assert f"larger than the 1,000 bytes limit. If it really is one notice, raise the limit with --max-bytes, e.g. --max-bytes {size + 1}" in result.stderr
    result = runner.invoke(app, ["export", SEED, "--format", "csv", "--out", str(tmp_path / "c.csv"), "--max-bytes", str(size)])
    assert result.exit_code == 0 and (tmp_path / "c.csv").exists()
    result = runner.invoke(app, ["check", SEED, "--max-bytes", "1000"])
    assert result.exit_code == 1 and "--max-bytes" in result.stdout
    result = runner.invoke(app, ["parse", SEED, "--max-bytes", "0"])
    assert result.exit_code == 2 and "--max-bytes" in result.output
