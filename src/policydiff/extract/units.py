"""Responsible units (责任单位): inline notes in clauses, unit lists and the alias table.

Inline notes come in a few shapes:
    （责任单位：市教体局、市财政局）          labelled list, every unit joint
    （牵头单位：A；配合单位：B、C）            labelled lists, roles from the labels
    （市教育局、市工信局等按职责分工负责）      list ending with a marker
    （市教育局牵头，市财政局配合）             markers per group
PDF extraction may scatter spaces and line breaks through a note (`市 工 信局`, `分工 负责`),
so notes are read from a compact copy of the text with whitespace removed and an index map
back to the original, which keeps `raw` and offsets exact. Task tables are linked in extract.task_tables.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from policydiff.errors import UsageError
from policydiff.schema import ResponsibleUnit
from policydiff.text.ngrams import has_space

ALIASES_ENV = "POLICYDIFF_UNIT_ALIASES"

Role = Literal["lead", "joint"]

# A note longer than this is not a note; bounds the bracket scan on unbalanced text.
MAX_NOTE_LEN = 400
# A unit name longer than this is prose, not a unit.
MAX_UNIT_LEN = 30

# Half-width punctuation to the full-width forms Chinese text uses, full-width letters and
# digits to ASCII: one character for one, so offsets survive.
_WIDTH = str.maketrans(
    {
        "(": "（",
        ")": "）",
        ":": "：",
        ";": "；",
        ",": "，",
        **{chr(0xFF10 + i): chr(0x30 + i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
    }
)
# What _WIDTH changes: translate() is skipped when none occurs (it is slow on CJK text).
_WIDTH_RE = re.compile("[():;,\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_NON_SPACE_RUN_RE = re.compile(r"\S+")


def _unify_width(s: str) -> str:
    return s.translate(_WIDTH) if _WIDTH_RE.search(s) else s


_BRACKET_RE = re.compile(r"[（）()。！？]")
_OPEN = "（("
# A note names a unit with one of these characters (责任单位, 负责, 牵头, 配合, 参与, 协同, 实施单位).
_HINT_CHARS = "责牵配参协单"
_HINT_RE = re.compile(f"[{_HINT_CHARS}]")
_OPEN_RE = re.compile("[（(]")

_LABEL_RE = re.compile(
    r"(?P<label>牵头单位|牵头部门|责任单位|责任部门|主责单位|主责部门|配合单位|配合部门|"
    r"协办单位|协同单位|参与单位|实施单位|责任主体)：?"
)
# Trailing marker of a group in an unlabelled note: 等按职责分工负责, 牵头负责, 配合…
_MARKER_RE = re.compile(
    r"(?:等)?(?:(?:按|根据)?职责(?:分工)?|分工|共同|具体)?"
    r"(?P<kind>牵头|负责|配合|参与|协同|协办)(?:负责|落实|实施|推进)?$"
)
# 市教育局（牵头）
_PAREN_MARKER_RE = re.compile(r"（(?P<kind>牵头|配合|参与|协同|协办|负责)）$")
# Longest match of each (等根据职责分工协办负责, （牵头）). Both end with $, so a search only needs
# to start this far before the end: _MARKER_RE has no literal prefix and re would try it at
# every position. tests/test_units.py checks these against the patterns.
_MARKER_WIDTH = 11
_PAREN_MARKER_WIDTH = 4
_LEAD_KINDS = {"牵头"}
# Last characters of a _MARKER_RE match (牵头, 负责, 配合, 参与, 协同, 协办, …落实/实施/推进); tests check them.
_MARKER_LAST = frozenset("头责合与同办实施进")

# What a unit's name ends with (its bracketed tail removed) or starts with. Tuples for
# str.endswith/startswith: an anchored regex search would try every position.
_ORG_SUFFIXES = (
    *"局委办部厅会院府室",
    *("中心", "单位", "部门", "政府", "公司", "集团"),
    *"队所站处社署联团镇乡",
    "街道",
    *"区县市省组馆台校",
    *("学校", "机构", "企业", "银行", "法院", "检察院"),
)
_ORG_PREFIXES = (*"各市县区省镇乡", "中共", "共青团")
_TAIL_PARENS_RE = re.compile(r"（[^（）]*）$")


# ResponsibleUnit from a dict of its fields: the same validation as ResponsibleUnit(**fields), faster.
_new_unit: Callable[[dict[str, Any]], ResponsibleUnit] = ResponsibleUnit.__pydantic_validator__.validate_python


@dataclass
class UnitNote:
    """A responsible-unit note: offsets into the text it was found in, `raw` with its brackets."""

    start: int
    end: int
    raw: str
    units: list[ResponsibleUnit] = field(default_factory=list)


# ---------------------------------------------------------------------------
# compact text with an index map


def _compact(text: str) -> tuple[str, Sequence[int]]:
    """`text` without whitespace and with widths unified; map[i] = original index."""
    if not has_space(text):
        return _unify_width(text), range(len(text))  # no whitespace: the map is the identity
    chars: list[str] = []
    index: list[int] = []
    for m in _NON_SPACE_RUN_RE.finditer(text):
        chars.append(m.group())
        index.extend(range(m.start(), m.end()))
    return _unify_width("".join(chars)), index


def normalize_unit_key(name: str) -> str:
    """Lookup key: no whitespace, full-width brackets and punctuation, ASCII letters and digits."""
    return _unify_width("".join(name.split()) if has_space(name) else name)


# ---------------------------------------------------------------------------
# alias table


def _read_tsv(lines: Iterator[str], where: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for n, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < 2 or not cols[0] or not cols[1]:
            raise UsageError(
                f"{where}:{n}: expected two tab-separated columns 'canonical<TAB>alias', got {line!r}. "
                "Separate the names with a tab, or start the line with # to comment it out."
            )
        pairs.append((cols[0], cols[1]))
    return pairs


def _read_tsv_file(path: Path) -> list[tuple[str, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: unit alias file not found. Check the path (or the {ALIASES_ENV} variable).") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: unit alias file is not UTF-8. Save it as UTF-8 and retry.") from None
    return _read_tsv(iter(text.splitlines()), str(path))


def load_aliases(extra: Path | None = None) -> dict[str, str]:
    """Alias table as {normalized alias or canonical: canonical}.

    Reads the packaged table, then the file named by $POLICYDIFF_UNIT_ALIASES (several joined
    with os.pathsep), then `extra`; later files override earlier ones.
    """
    pkg = resources.files("policydiff").joinpath("data", "unit_aliases.tsv")
    pairs = _read_tsv(iter(pkg.read_text(encoding="utf-8").splitlines()), "unit_aliases.tsv")
    env = os.environ.get(ALIASES_ENV, "")
    for part in env.split(os.pathsep):
        if part.strip():
            pairs.extend(_read_tsv_file(Path(part.strip())))
    if extra is not None:
        pairs.extend(_read_tsv_file(Path(extra)))
    table: dict[str, str] = {}
    for canonical, alias in pairs:
        canonical, alias = normalize_unit_key(canonical), normalize_unit_key(alias)
        table[alias] = canonical
        if table.get(canonical, alias) == alias:
            # New, or a later file swapping canonical and alias: the later file wins.
            table[canonical] = canonical
    # A user file may name as canonical something that is itself an alias: follow the chain.
    for key in list(table):
        seen = {key}
        target = table[key]
        while table.get(target, target) != target and target not in seen:
            seen.add(target)
            target = table[target]
        table[key] = target
    return table


@lru_cache(maxsize=8)
def _cached_aliases(env_value: str) -> dict[str, str]:
    # Keyed by the variable's value so that changing it takes effect without a restart.
    return load_aliases()


def alias_table(aliases: Mapping[str, str] | None) -> Mapping[str, str]:
    """`aliases`, or the default table; callers resolve it once per call, not once per unit."""
    return aliases if aliases is not None else _cached_aliases(os.environ.get(ALIASES_ENV, ""))


def canonical_unit(name: str, aliases: Mapping[str, str] | None = None) -> str:
    """Canonical name of a unit; unknown names come back cleaned (no spaces, full-width brackets)."""
    table = alias_table(aliases)
    key = normalize_unit_key(name)
    return table.get(key, key)


# ---------------------------------------------------------------------------
# splitting unit lists


@cache
def _between_re(seps: str) -> re.Pattern[str]:
    return re.compile(f"[^{re.escape(seps)}]+")


@cache
def _split_marks_re(seps: str) -> re.Pattern[str]:
    return re.compile(f"[（）{re.escape(seps)}]")


def _split_depth0(s: str, seps: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of s[start:end] between separators that are outside brackets (各乡镇（街道、管委会）
    stays whole), as offsets into `s`."""
    end = len(s) if end is None else end
    if s.find("（", start, end) < 0 and s.find("）", start, end) < 0:
        return [m.span() for m in _between_re(seps).finditer(s, start, end)]  # no brackets: a plain split
    spans: list[tuple[int, int]] = []
    depth = 0
    begin = start
    for m in _split_marks_re(seps).finditer(s, start, end):  # brackets and separators only, not every character
        c = m.group()
        if c == "（":
            depth += 1
        elif c == "）":
            depth = max(0, depth - 1)
        elif depth == 0:
            i = m.start()
            spans.append((begin, i))
            begin = i + 1
    spans.append((begin, end))
    return [(a, b) for a, b in spans if b > a]


_PROSE_CHAR_RE = re.compile('[。；：“”"]')


def _has_prose(s: str) -> bool:
    return bool(_PROSE_CHAR_RE.search(s)) or any(map(str.isdigit, s))


def _looks_like_unit(name: str, prose_free: bool = False) -> bool:
    """Whether `name` reads as a unit; `prose_free` when the text it was cut from has no _has_prose."""
    if not 2 <= len(name) <= MAX_UNIT_LEN or (not prose_free and _has_prose(name)):
        return False
    base = _TAIL_PARENS_RE.sub("", name) if name[-1] == "）" else name
    return base.endswith(_ORG_SUFFIXES) or base.startswith(_ORG_PREFIXES)


# A list item: start and end in the compact string, and the kind of marker after the name (plain
# tuples: one is made per unit named); then with the role it gives its unit.
_Item = tuple[int, int, str | None]
_RoleItem = tuple[int, int, Role]


def _parse_item(s: str, a: int, b: int) -> _Item | None:
    """Strip 由 / markers / 等 around one list item s[a:b]; None when nothing is left."""
    if s.startswith("由", a):
        a += 1
    marker = None
    last = s[b - 1] if b > a else ""
    # Both marker patterns end the item, so its last character rules them out (most names end in 局).
    m = _PAREN_MARKER_RE.search(s, max(a, b - _PAREN_MARKER_WIDTH), b) if last == "）" else None
    if m:
        marker, b = m.group("kind"), m.start()
    elif last in _MARKER_LAST:
        m = _MARKER_RE.search(s, max(a, b - _MARKER_WIDTH), b)
        if m and m.start() > a:
            marker, b = m.group("kind"), m.start()
    if b > a and s[b - 1] == "等":
        b -= 1
    if b <= a:
        return None
    return a, b, marker


class UnitMemo:
    """Notes and units already parsed in one document, for the notes and cells that repeat.

    notes: a note's text inside its brackets -> its units, None if it is no note.
    units: (name, role, raw) -> the unit; units are frozen, so one object serves every clause.
    What it holds is for one alias table: make one per document, never share one between documents.
    """

    __slots__ = ("notes", "units")

    def __init__(self) -> None:
        self.notes: dict[str, tuple[ResponsibleUnit, ...] | None] = {}
        self.units: dict[tuple[str, Role, str], ResponsibleUnit] = {}

    def unit(self, name: str, role: Role, raw: str) -> ResponsibleUnit:
        key = (name, role, raw)
        unit = self.units.get(key)
        if unit is None:
            unit = self.units[key] = _new_unit({"name": name, "role": role, "raw": raw})
        return unit


def _make_units(
    items: Sequence[_RoleItem],
    compact: str,
    index: Sequence[int],
    text: str,
    aliases: Mapping[str, str],
    memo: UnitMemo,
) -> list[ResponsibleUnit]:
    """ResponsibleUnits for (item, role) pairs; `raw` is the name as written in `text`."""
    out: list[ResponsibleUnit] = []
    seen: dict[str, int] = {}
    for a, b, role in items:
        # `compact` is already a lookup key (no spaces, widths unified): canonical_unit without the cleaning.
        key = compact[a:b]
        name = aliases.get(key, key)
        if name in seen:  # same unit twice: keep the first, lead wins
            if role == "lead":
                k = seen[name]
                out[k] = memo.unit(name, "lead", out[k].raw)
            continue
        seen[name] = len(out)
        out.append(memo.unit(name, role, text[index[a] : index[b - 1] + 1]))
    return out


def _role(kind: str | None, default: Role = "joint") -> Role:
    if kind is None:
        return default
    return "lead" if kind in _LEAD_KINDS else "joint"


def _labelled_items(compact: str) -> list[_RoleItem] | None:
    """Items of a note that starts with a label (责任单位：…；配合单位：…)."""
    first = _LABEL_RE.match(compact)
    if first is None:
        return None  # the first label must open the note
    labels = [first, *_LABEL_RE.finditer(compact, first.end())]
    items: list[_RoleItem] = []
    for k, lab in enumerate(labels):
        seg_end = labels[k + 1].start() if k + 1 < len(labels) else len(compact)
        default: Role = "lead" if lab.group("label").startswith("牵头") else "joint"
        for a, b in _split_depth0(compact, "、，；", lab.end(), seg_end):
            item = _parse_item(compact, a, b)
            if item is not None:
                items.append((item[0], item[1], _role(item[2], default)))
    return items


def _marker_items(compact: str) -> list[_RoleItem] | None:
    """Items of an unlabelled note ending with a marker (…等按职责分工负责, …牵头负责)."""
    if not _MARKER_RE.search(compact, max(0, len(compact) - _MARKER_WIDTH)):
        return None
    items: list[_RoleItem] = []
    pending: list[_Item] = []
    prose_free = not _has_prose(compact)  # one check for the note, not one per unit
    for a, b in _split_depth0(compact, "、，；"):
        item = _parse_item(compact, a, b)
        if item is None:
            continue
        if not _looks_like_unit(compact[item[0] : item[1]], prose_free):
            return None
        pending.append(item)
        if item[2] is not None:
            # A marker closes its group: 市教育局、市财政局牵头 makes both lead.
            role = _role(item[2])
            items.extend((p[0], p[1], role) for p in pending)
            pending = []
    if pending or not items:  # the note must end with a marker
        return None
    return items


def _note_units(inner: str, aliases: Mapping[str, str], memo: UnitMemo) -> tuple[ResponsibleUnit, ...] | None:
    """Units of a note given by its text inside the brackets; None when it is no note."""
    compact, index = _compact(inner)
    if not compact:
        return None
    items = _labelled_items(compact)
    if items is None:
        items = _marker_items(compact)
    if items is None:
        return None
    return tuple(_make_units(items, compact, index, inner, aliases, memo))


def _matching_close(text: str, open_at: int) -> int | None:
    """Index of the bracket closing text[open_at], nested brackets counted; None if none nearby."""
    end = min(len(text), open_at + MAX_NOTE_LEN)
    # Most notes nest no bracket: the first mark after the opening one settles it.
    m = _BRACKET_RE.search(text, open_at + 1, end)
    if m is None:
        return None
    c = m.group()
    if c in "）)":
        return m.start()
    if c not in _OPEN:
        return None  # end of sentence
    depth = 0
    for m in _BRACKET_RE.finditer(text, open_at, end):
        c = m.group()
        if c in _OPEN:
            depth += 1
        elif c in "）)":
            depth -= 1
            if depth == 0:
                return m.start()
        else:  # end of sentence: notes never hold one
            return None
    return None


def find_unit_notes(text: str, aliases: Mapping[str, str] | None = None, memo: UnitMemo | None = None) -> list[UnitNote]:
    """Responsible-unit notes in `text`, in order; offsets index `text`.

    `memo`, made once per document and passed to each call, reads a note repeated word for word
    once: a note's units depend on its text alone.
    """
    if ("（" not in text and "(" not in text) or not _HINT_RE.search(text):
        return []
    aliases = alias_table(aliases)
    if memo is None:
        memo = UnitMemo()
    parsed = memo.notes
    notes: list[UnitNote] = []
    pos = 0
    while (m := _OPEN_RE.search(text, pos)) is not None:
        open_at = m.start()
        close_at = _matching_close(text, open_at)
        if close_at is not None and _HINT_RE.search(text, open_at, close_at):
            inner = text[open_at + 1 : close_at]
            if inner in parsed:
                units = parsed[inner]
            else:
                units = parsed[inner] = _note_units(inner, aliases, memo)
            if units is not None:
                notes.append(UnitNote(open_at, close_at + 1, text[open_at : close_at + 1], list(units)))
                pos = close_at + 1
                continue
        pos = open_at + 1
    return notes


def remove_unit_notes(text: str, notes: Sequence[UnitNote] | None = None) -> str:
    """`text` without its responsible-unit notes (what Clause.policy_text holds)."""
    if notes is None:
        notes = find_unit_notes(text)
    parts: list[str] = []
    pos = 0
    for note in notes:
        parts.append(text[pos : note.start])
        pos = note.end
    parts.append(text[pos:])
    return "".join(parts).rstrip()


def parse_unit_list(
    cell: str, aliases: Mapping[str, str] | None = None, default_role: Role = "joint", memo: UnitMemo | None = None
) -> list[ResponsibleUnit]:
    """Units in a table cell or a bare list: `市教育局（牵头）、市财政局`, `市教育局牵头，市财政局配合`.

    `memo` (see UnitMemo) shares units with the other cells and notes of a document.
    """
    compact, index = _compact(cell)
    if not compact:
        return []
    aliases = alias_table(aliases)
    if memo is None:
        memo = UnitMemo()
    labelled = _labelled_items(compact)
    if labelled is not None:
        return _make_units(labelled, compact, index, cell, aliases, memo)
    items: list[_RoleItem] = []
    pending: list[_Item] = []
    for a, b in _split_depth0(compact, "、，；/"):
        item = _parse_item(compact, a, b)
        if item is None:
            continue
        pending.append(item)
        if item[2] is not None:
            role = _role(item[2])
            items.extend((p[0], p[1], role) for p in pending)
            pending = []
    items.extend((p[0], p[1], default_role) for p in pending)
    return _make_units(items, compact, index, cell, aliases, memo)
