"""Vocabulary of the parser: date and notice-title patterns, and word lists read once from package data.

doc_types.tsv   the words document titles end with (通知, 实施方案, 条例…) and the roles each plays
domain.tsv      domain vocabulary inside general rules (subjects of targets, units of people, the
                words that keep two target subjects apart); shipped for vocational-education plans

Users extend them without editing the package: POLICYDIFF_DOC_TYPES and POLICYDIFF_DOMAIN name extra
files of the same columns (several joined with os.pathsep), read after the shipped one when policydiff
is first imported. The patterns built from the lists are compiled at import, so set the variables
before starting Python.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path

from policydiff.errors import CorruptFileError, FileMissingError

# --- patterns ---------------------------------------------------------------------

YEAR = r"(?:19|20)\d{2}"  # four-digit years of the documents policydiff reads


def date_pattern(*, spaced: bool = True, groups: str = "") -> str:
    """A 2021年3月5日 date: `spaced` allows spaces around 年月日; `groups` "" captures nothing, "()" the year,
    month and day as numbered groups, "ymd" as the named groups y, m and d."""
    sp = r"\s*" if spaced else ""
    parts: tuple[str, ...] = (YEAR, r"\d{1,2}", r"\d{1,2}")
    if groups == "()":
        parts = tuple(f"({p})" for p in parts)
    elif groups == "ymd":
        parts = tuple(f"(?P<{g}>{p})" for g, p in zip("ymd", parts, strict=True))
    y, m, d = parts
    return f"{y}{sp}年{sp}{m}{sp}月{sp}{d}{sp}日"


ISSUING_VERBS = ("印发", "转发", "发布")  # 关于印发/转发/发布X的通知: the notice that carries document X
WRAPPER_KINDS = ("通知", "决定")


def notice_wrapper_pattern(*, verbs: tuple[str, ...] = ISSUING_VERBS, kinds: tuple[str, ...] = WRAPPER_KINDS, quoted: bool = False) -> str:
    """关于印发X的通知, X in the group `inner` (lazy); `quoted` lets 《X》/〈X〉 drop its marks."""
    open_mark, close_mark = ("[《〈]?", "[》〉]?") if quoted else ("", "")
    return f"关于(?:{'|'.join(verbs)}){open_mark}(?P<inner>.+?){close_mark}的(?:{'|'.join(kinds)})$"


# --- word lists ---------------------------------------------------------------------

DOC_TYPES_ENV = "POLICYDIFF_DOC_TYPES"
DOMAIN_ENV = "POLICYDIFF_DOMAIN"
DOC_TYPE_ROLES = frozenset({"title", "doc_type", "legal", "plan", "notice", "law", "back_reference", "kind"})


def _rows(text: str, source: str, width: int) -> list[list[str]]:
    """Tab-separated rows of `width` columns (the last may be empty), each followed by where it is ("FILE line N");
    # lines and blank lines are skipped."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < width - 1 or len(cols) > width or not all(cols[: width - 1]):
            raise CorruptFileError(f"{source} line {n}: expected {width - 1} or {width} tab-separated columns. Fix the line or remove it.")
        out.append([*cols, *[""] * (width - len(cols)), f"{source} line {n}"])
    return out


def _read(name: str, env: str, width: int) -> list[list[str]]:
    rows = _rows(resources.files("policydiff").joinpath("data", name).read_text(encoding="utf-8"), name, width)
    for part in os.environ.get(env, "").split(os.pathsep):
        if not part.strip():
            continue
        path = Path(part.strip())
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise FileMissingError(f"cannot read {path} (named by {env}): {exc.strerror or exc}. Give a readable TSV file.") from None
        except UnicodeDecodeError:
            raise CorruptFileError(f"{path} (named by {env}) is not UTF-8. Save it as UTF-8 and retry.") from None
        rows.extend(_rows(text, str(path), width))
    return rows


def _longest_first(words: list[str]) -> tuple[str, ...]:
    """Distinct words, longer before shorter (so 实施方案 is tried before 方案), else in file order."""
    return tuple(sorted(dict.fromkeys(words), key=len, reverse=True))


@cache
def _doc_type_table() -> dict[str, list[str]]:
    by_role: dict[str, list[str]] = {role: [] for role in DOC_TYPE_ROLES}
    for word, roles, where in _read("doc_types.tsv", DOC_TYPES_ENV, 2):
        for role in filter(None, (r.strip() for r in roles.split(","))):
            if role not in by_role:
                known = ", ".join(sorted(DOC_TYPE_ROLES))
                raise CorruptFileError(f"{where}: unknown role {role!r} of {word}. Use one of: {known}.")
            by_role[role].append(word)
    return by_role


def doc_types(role: str) -> tuple[str, ...]:
    """The document-type words with `role` (see data/doc_types.tsv), longest first."""
    return _longest_first(_doc_type_table()[role])


@cache
def _domain_table() -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for role, word, value, _ in _read("domain.tsv", DOMAIN_ENV, 3):
        out.setdefault(role, []).append((word, value))
    return out


def domain_words(role: str) -> tuple[str, ...]:
    """Domain words with `role` (see data/domain.tsv), longest first; none when the role has no rows."""
    return _longest_first([w for w, _ in _domain_table().get(role, [])])


def domain_values(role: str) -> dict[str, str]:
    """{word: value} of the domain rows with `role`, in file order (a later row wins)."""
    return dict(_domain_table().get(role, []))


def domain_roles(prefix: str) -> list[str]:
    """Roles starting with `prefix`, in the order they first appear (distinguishing:level, distinguishing:rank…)."""
    return [r for r in _domain_table() if r.startswith(prefix)]


def alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of literal words (they hold no regex syntax; checked); no words match nothing."""
    bad = [w for w in words if any(c in w for c in "\\.^$*+?{}[]|()")]
    if bad:
        raise CorruptFileError(f"vocabulary words may not hold regex characters: {', '.join(bad)}. Write them as plain text.")
    return "|".join(words) if words else "(?!)"
