"""Pydantic models that every stage fills and reads.

The JSON Schema printed by `policydiff schema` is generated from these models.
Offsets: `start`/`end` index the normalized text (`Document.text`), `raw_start`/`raw_end`
index the text as ingested (`Document.raw_text`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from datetime import date as Date  # for fields named `date`
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"


class Model(BaseModel):
    """Base of every model. A parsed law holds one model per clause, span, paragraph, sentence and target:
    each instance shares its class's set of field names as `model_fields_set` instead of a set of its own
    (728 bytes each, more than most instances' data), which halves the memory of a parsed document.
    `model_dump(exclude_unset=True)` therefore keeps defaults; nothing here uses it."""

    model_config = ConfigDict(extra="forbid")

    def model_post_init(self, context: object, /) -> None:
        # Safe to share: every field name is already in the set, so pydantic's `.add(name)` on
        # assignment changes nothing.
        object.__setattr__(self, "__pydantic_fields_set__", _all_fields(type(self)))


_ALL_FIELDS: dict[type[BaseModel], set[str]] = {}


def _all_fields(kind: type[BaseModel]) -> set[str]:
    found = _ALL_FIELDS.get(kind)
    if found is None:
        found = _ALL_FIELDS[kind] = set(kind.model_fields)
    return found


class Dropped(Model):
    """Text that the normalizer or ingester removed, with the reason."""

    text: str
    reason: Literal[
        "page-number",
        "web-noise",
        "markup",
        "word-artifact",
        "page-header",
        "page-footer",
        "html-boilerplate",
        "control-char",
        "repeated-header",
    ]
    raw_start: int = Field(description="offset in the raw text; -1 when the span never reached the raw text (removed by ingest)")
    raw_end: int
    line: int | None = Field(default=None, description="1-based line in the raw text")
    page: int | None = Field(default=None, description="1-based page of a PDF the span was on (removed by ingest)")


class Issue(Model):
    """A problem found while parsing; `check` reports these."""

    code: str = Field(description="stable kebab-case code, e.g. numbering-gap")
    severity: Literal["error", "warning", "info"] = "warning"
    message: str
    line: int | None = Field(default=None, description="1-based line in the raw text")


class Source(Model):
    path: str | None = None
    format: Literal["txt", "md", "docx", "pdf", "html", "json", "text"] = "text"
    encoding: str | None = None
    sha256: str | None = None
    size: int | None = None


class DocNumber(Model):
    """发文字号, e.g. 新政办〔2023〕17号."""

    raw: str
    normalized: str = Field(description="canonical form with 〔〕 and no spaces")
    agency: str = Field(description="机关代字, e.g. 新政办")
    year: int
    seq: int
    standard: bool = Field(description="false when brackets or spacing deviate from GB/T 9704 (〔〕)")


class DeclaredCount(Model):
    """A count the document states about itself, e.g. 25项重点任务."""

    raw: str
    value: int
    what: str = Field(description="the counted noun, e.g. 重点任务, 条")
    parsed: int | None = Field(default=None, description="what the parse found for comparison")
    line: int | None = None


DateKind = Literal["adopted", "approved", "amended", "revised", "promulgated", "effective", "issued", "published", "printed"]
DocKind = Literal[
    "law",
    "administrative-regulation",
    "local-regulation",
    "rule",
    "judicial-interpretation",
    "normative-document",
    "plan",
    "notice",
    "other",
]


class DocDate(Model):
    """A dated event of the document's life: adopted (通过), amended (修正), revised (修订), promulgated
    (公布), effective (施行)…"""

    kind: DateKind
    date: Date
    text: str = Field(description="the phrase as written")


class Metadata(Model):
    title: str | None = None
    plan_title: str | None = Field(default=None, description="title of the plan the notice issues (印发…的 X), or the title itself")
    doc_number: DocNumber | None = None
    authority: str | None = Field(default=None, description="发文机关")
    addressees: list[str] = Field(default_factory=list, description="主送机关")
    issue_date: date | None = Field(default=None, description="成文日期")
    print_date: date | None = Field(default=None, description="印发日期")
    sponsor: str | None = Field(default=None, description="主办")
    supervisor: str | None = Field(default=None, description="督办")
    cc: list[str] = Field(default_factory=list, description="抄送")
    doc_type: str | None = Field(default=None, description="通知, 实施方案, 实施意见, 行动方案, 起草说明, 新闻稿, 法, 条例…")
    doc_kind: DocKind | None = Field(
        default=None,
        description="law, administrative-regulation, local-regulation, rule (部门/地方政府规章), judicial-interpretation,"
        " normative-document (规范性文件), plan, notice, other",
    )
    dates: list[DocDate] = Field(default_factory=list, description="adoption, amendment, revision, promulgation and effective dates")
    effective_date: date | None = Field(default=None, description="施行日期")
    history: list[str] = Field(default_factory=list, description="version-history lines as written (…通过 / 根据…修正)")
    index_number: str | None = Field(default=None, description="索引号 of a government web page")
    source_site: str | None = Field(default=None, description="来源 of a web page")
    publish_date: date | None = Field(default=None, description="发布日期 of a web page")
    declared_counts: list[DeclaredCount] = Field(default_factory=list)
    frame: list[str] = Field(
        default_factory=list,
        description="lines of the document frame (版头, 发文字号, 标题, 主送, dates, 版记) as written, read into the fields above",
    )


Comparator = Literal["eq", "ge", "gt", "le", "lt", "approx", "range"]


class Target(Model):
    """A quantity the text commits to, reports or sets as a rule."""

    raw: str
    clause: str | None = Field(default=None, description="id of the clause or section that holds it")
    subject: str
    comparator: Comparator
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str
    year: int | None = None
    kind: Literal["target", "baseline", "norm"] = "target"
    start: int = -1
    end: int = -1


class ResponsibleUnit(Model):
    # Frozen: the extractor gives one object to every clause and table row naming the same unit.
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="canonical name from the alias table")
    role: Literal["lead", "joint"] = "joint"
    raw: str


class Citation(Model):
    raw: str
    title: str | None = None
    number: DocNumber | None = None
    nonstandard: bool = False
    resolved_to: str | None = Field(default=None, description="name of the document it names, when known")
    start: int = -1
    end: int = -1


class Span(Model):
    start: int
    end: int
    raw_start: int
    raw_end: int
    line: int = Field(description="1-based line in the raw text where it begins")


class Item(Model):
    """An item inside a clause: 项 （一）, 目 1./（1）/①, or an ordinal 一是/首先."""

    label: str = Field(description="as written without punctuation, e.g. 一, 1, ①; empty for ordinal items")
    number: int | None = None
    style: str = Field(description="cn-paren, arabic, arabic-paren, circled, ordinal…")
    text: str = Field(description="the item's text without its label, its nested items included")
    items: list[Item] = Field(default_factory=list, description="nested items (目 under a 项)")


class Clause(Model):
    """A numbered unit (an article 第X条, a numbered task): what compare aligns."""

    id: str = Field(description="stable ASCII id, e.g. s2.s1.c3")
    label: str = Field(description="its number without punctuation, e.g. 3, or 17之一 for an inserted article")
    number: int | None = Field(default=None, description="the label as an integer")
    style: str = Field(description="numbering style, e.g. arabic-dot")
    heading: str = Field(description="lead sentence, up to the first 。")
    text: str = Field(description="the whole clause without its label, items included")
    policy_text: str = Field(description="text without responsible-unit notes: what compare reads")
    sentences: list[str]
    path: list[str] = Field(description="titles of the enclosing sections, outermost first")
    span: Span
    paragraphs: list[str] = Field(default_factory=list, description="its paragraphs (款) outside items, the first without its label")
    items: list[Item] = Field(default_factory=list, description="items （一）/1./（1） and ordinal items 一是/二是… inside it")
    unit_notes: list[str] = Field(default_factory=list, description="responsible-unit notes as written")
    responsible_units: list[ResponsibleUnit] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


class Section(Model):
    id: str
    label: str | None = None
    style: str | None = None
    title: str
    level: int
    body: list[str] = Field(default_factory=list, description="paragraphs directly under the heading")
    items: list[str] = Field(default_factory=list, description="ordinal paragraphs 首先/其次, 一是/二是…")
    span: Span
    clauses: list[Clause] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list, description="targets in the body")


class TableRow(Model):
    cells: list[str]
    line: int
    duplicate_of: int | None = Field(default=None, description="index of an identical earlier row")


class Table(Model):
    header: list[str]
    rows: list[TableRow]
    line: int


class Attachment(Model):
    id: str
    title: str
    body: list[str] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    span: Span


class Document(Model):
    """A parsed notice."""

    schema_version: str = SCHEMA_VERSION
    parser_version: str
    name: str = Field(description="file stem, used as the document's key")
    source: Source = Field(default_factory=Source)
    metadata: Metadata = Field(default_factory=Metadata)
    preamble: list[str] = Field(default_factory=list, description="paragraphs before the first heading that are not metadata")
    closing: list[str] = Field(default_factory=list, description="paragraphs after the body that are not metadata")
    sections: list[Section] = Field(default_factory=list)
    clauses: list[Clause] = Field(default_factory=list, description="every clause in document order")
    attachments: list[Attachment] = Field(default_factory=list)
    targets: list[Target] = Field(
        default_factory=list,
        description="targets outside sections and clauses, in document order: `clause` is preamble, closing or the attachment id"
        " (clause and section targets are on those)",
    )
    citations: list[Citation] = Field(default_factory=list, description="every citation in the document")
    dropped: list[Dropped] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)
    whitespace_removed: int = Field(default=0, description="spaces and line breaks the normalizer removed")
    text: str = Field(description="normalized text")
    raw_text: str = Field(description="text as ingested")

    def iter_sections(self) -> list[Section]:
        out: list[Section] = []

        def walk(sections: list[Section]) -> None:
            for s in sections:
                out.append(s)
                walk(s.sections)

        walk(self.sections)
        return out

    def all_targets(self) -> list[Target]:
        """Every target in document order of kind: outside sections (preamble, closing, attachments), of clauses,
        of section text and items."""
        return [*self.targets, *(t for c in self.clauses for t in c.targets), *(t for s in self.iter_sections() for t in s.targets)]

    def clause(self, key: str) -> Clause:
        for c in self.clauses:
            if key in (c.id, c.label):
                return c
        raise KeyError(key)


# --- alignment (compare) -------------------------------------------------------

Relation = Literal["identical", "modified", "merged", "split", "partial", "added", "dropped", "related"]


class DocRef(Model):
    name: str
    title: str | None = None
    doc_number: str | None = None
    date: Date | None = None
    clauses: int = 0


class SentenceLink(Model):
    """A child sentence and the parent sentence it comes from (parent fields empty: new)."""

    b_clause: str
    b_sentence: int
    b_text: str
    a_clause: str | None = None
    a_sentence: int | None = None
    a_text: str | None = None
    similarity: float = 0.0


class DiffOp(Model):
    op: Literal["equal", "replace", "insert", "delete"]
    a: str = ""
    b: str = ""


class NumericChange(Model):
    subject: str
    unit: str
    change: Literal["changed", "removed", "added", "same"]
    aspects: list[Literal["value", "comparator", "year"]] = Field(
        default_factory=list, description="what differs in a changed target: its value, its comparator (以上 → 以下), its deadline year"
    )
    old: Target | None = None
    new: Target | None = None
    scale: float | None = Field(default=None, description="new / old for single values")
    text: str = Field(description="e.g. ≥200名 → ≥20名 (2025): comparator signs and deadline years as stated")
    outside: bool = Field(default=False, description="targets outside clauses: preamble, section text, closing, attachments")


class ClausePair(Model):
    """One aligned pair, or an unpaired clause (the other side empty)."""

    a_doc: str
    a_id: str | None = None
    a_label: str | None = None
    a_heading: str | None = None
    b_doc: str
    b_id: str | None = None
    b_label: str | None = None
    b_heading: str | None = None
    relation: Relation = Field(
        description="how b re-produces a; `related`: the same policy measure in different words (no shared text), see topic_score"
    )
    moved: bool = False
    similarity: float = Field(default=0.0, description="character similarity of the two policy texts, 0–1")
    reused_share: float = Field(default=0.0, description="share of the child clause's characters reused from this parent clause")
    topic_score: float | None = Field(
        default=None, description="topical similarity 0–1 (IDF-weighted words and concepts) of a `related` pair; None for textual pairs"
    )
    numeric_changes: list[NumericChange] = Field(default_factory=list)
    diff: list[DiffOp] = Field(default_factory=list, description="word-level diff (jieba tokens); filled on request")


class AlignmentFigures(Model):
    reuse_share: float = Field(description="share of the child's policy characters reused from the parent (cf. 文字重复率)")
    parent_clauses: int
    child_clauses: int
    kept: int = Field(description="parent clauses inherited identically")
    modified: int
    merged: int
    split: int
    dropped: int
    added: int = Field(description="child clauses with no parent")
    moved: int
    related: int = Field(default=0, description="`related` pairs: the same measure in different words")


class Alignment(Model):
    """How document b re-produces document a."""

    schema_version: str = SCHEMA_VERSION
    a: DocRef
    b: DocRef
    direction: list[str] = Field(
        default_factory=list, description="evidence that b derives from a (citation, dates); entries starting `warning:` point the other way"
    )
    threshold: float = Field(
        description="least similarity of a reported pair (--threshold); the clauses of less similar pairs are dropped/added. 0: no cutoff"
    )
    pairs: list[ClausePair]
    numeric_changes: list[NumericChange] = Field(
        default_factory=list,
        description="every numeric change, one line per measure: targets outside clauses (preamble, section text, closing) first,"
        " then clause targets grouped per parent clause across merged, split, partial and related rows; `old.clause`/`new.clause` say where",
    )
    sentence_links: list[SentenceLink] = Field(default_factory=list)
    figures: AlignmentFigures


class MultiAlignment(Model):
    """A reference document aligned with several others."""

    reference: DocRef
    others: list[DocRef]
    alignments: list[Alignment]


# --- lineage (policydiff.corpus.lineage finds them, policydiff.render.lineage draws them) -------------


@dataclass
class Edge:
    child: str  # for a sibling edge: one of the two (the first by name)
    parent: str  # for a sibling edge: the other
    relation: str  # implements, revises, sibling or cites
    citation: str | None  # the child's citation of the parent as written, if any
    decided_by: str  # citation, reuse, version (same work), or cited (a plain citation)
    reuse_share: float  # share of the child's characters in 8-grams shared with the parent
    parent_share: float  # share of the parent's characters in 8-grams shared with the child
    inherited_clauses: int  # child clauses at least half reused from the parent
    date_order: str  # parent dated "before", "same", "after" the child, or "unknown"
    direction: str  # what says which is the parent: dates, levels, citation, or unknown
    score: float  # Jaccard of the two documents' n-gram samples
    containment: float  # share of the child's n-grams found in the parent
    runner_up: str | None = field(default=None)  # the next best candidate, if any
