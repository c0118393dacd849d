"""What lineage needs to know of each document, computed once at index time and read back in one call.

`lineage_facts(doc)` is stored by the index as one JSON column (`lineage`) of documents.parquet;
`read_facts(index_dir)` reads it back with the other columns lineage uses. Keeping the contract
this small lets the index change its layout without touching lineage.

Facts: the work a title names (extract.citations.work_key), the document's version date and
effective date, the level of its issuer (law 5, administrative regulation 4, rule or judicial
interpretation 3, provincial 2, city 1, county 0, unknown None), the orders that published it, the
characters of body text (0: a header-only file), and its citations of laws and regulations.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from policydiff.extract.citations import LawCitation, Version, law_citations, own_orders, pick_version, work_key

FACTS_COLUMN = "lineage"

_KIND_LEVEL = {"law": 5, "administrative-regulation": 4, "rule": 3, "judicial-interpretation": 3}
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_REGION_RE = re.compile(r"^(?P<r>[\u4e00-\u9fff]{1,7}?(?:省|自治区|特别行政区|市|县|区|州|盟|旗))")
# Titles of local regulations: 条例, 办法, 规定, 细则, or 实施《…》.
_LOCAL_RULE_RE = re.compile(r"(?:条例|办法|规定|细则|规则)$")
_IMPLEMENTS_LAW_RE = re.compile(r"实施[《〈<]")
# Province-level regions: a city's regulation is approved (批准) by its province's people's congress.
_PROVINCES = (  # noqa: SIM905 - one line per group reads better than 32 quoted items
    "河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 江西省 山东省 河南省 湖北省 湖南省 广东省 海南省 四川省 "
    "贵州省 云南省 陕西省 甘肃省 青海省 台湾省 内蒙古自治区 广西壮族自治区 西藏自治区 宁夏回族自治区 新疆维吾尔自治区 "
    "北京市 天津市 上海市 重庆市"
).split()
_APPROVED_RE = re.compile("(" + "|".join(_PROVINCES) + r")第[一二三四五六七八九十]+届人民代表大会常务委员会[^。]{0,40}?批准")
_VERSION_KINDS = ("adopted", "amended", "revised", "promulgated", "issued", "published")


def region_of(title: str | None) -> str | None:
    """The region a title starts with (河南省, 郑州市), None for national documents."""
    m = _REGION_RE.match(work_key(title)) if title else None
    return m.group("r") if m else None


def issuer_level(doc_kind: str | None, title: str | None) -> int | None:
    """Rank of the issuing body: a document implements one of a higher rank, never one of a lower."""
    if doc_kind in _KIND_LEVEL:
        return _KIND_LEVEL[doc_kind]
    if not title:
        return None
    key = work_key(title)
    region = region_of(title)
    if region is None:
        if doc_kind is None and key.endswith(("法", "法典")):
            return 5
        if doc_kind is None and key.endswith("条例"):
            return 4
        return None
    if doc_kind not in (None, "local-regulation") or not (_LOCAL_RULE_RE.search(key) or _IMPLEMENTS_LAW_RE.search(title)):
        return None
    if region.endswith(("省", "自治区", "特别行政区")) or region in _MUNICIPALITIES:
        return 2
    return 1 if region.endswith(("市", "州", "盟")) else 0


def province_of(region: str | None, header: str) -> str | None:
    """The province-level region a document belongs to: its own region if one, else the one that approved it."""
    if region in _PROVINCES:
        return region
    m = _APPROVED_RE.search(header)
    return m.group(1) if m else None


def document_dates(doc: Any) -> tuple[date | None, date | None]:
    """(version date, effective date): the latest adoption/amendment/revision/promulgation, else the issue date.

    An effective date before the version date is the first version's (kept through amendments): dropped."""
    m = doc.metadata
    version = max((d.date for d in m.dates if d.kind in _VERSION_KINDS), default=None)
    version = version or m.issue_date or m.publish_date or m.print_date
    effective = m.effective_date if m.effective_date and (version is None or m.effective_date >= version) else None
    return version, effective


def lineage_facts(doc: Any) -> str:
    """The JSON stored in the index's `lineage` column for one parsed Document."""
    m = doc.metadata
    title = m.title or m.plan_title
    version, effective = document_dates(doc)
    head_end = doc.clauses[0].span.start if doc.clauses else len(doc.text)
    cites = law_citations(doc.text, [t for t in (m.title, m.plan_title) if t])
    facts = {
        "work": work_key(title) if title else None,
        "kind": m.doc_kind,
        "level": issuer_level(m.doc_kind, title),
        "region": region_of(title),
        "province": province_of(region_of(title), doc.text[:head_end]),
        "date": version.isoformat() if version else None,
        "effective": effective.isoformat() if effective else None,
        "orders": list(dict.fromkeys(own_orders(doc.text[:head_end]))),  # in text order: the last published this version
        "body_chars": sum(len(c.policy_text) for c in doc.clauses),
        "cites": [[c.raw, c.key, c.year, c.order] for c in cites],
    }
    return json.dumps(facts, ensure_ascii=False)


@dataclass
class DocFacts:
    name: str
    title: str | None
    date: dt.date | None  # version date, else the index's date column
    effective: dt.date | None = None
    year: int | None = None  # year of the document number, when no date
    work: str | None = None
    level: int | None = None
    region: str | None = None
    province: str | None = None  # the province-level region it belongs to (own, or the one that approved it)
    kind: str | None = None  # Metadata.doc_kind
    orders: tuple[str, ...] = ()
    body_chars: int | None = None  # None: unknown (an index without the lineage column)
    cites: list[LawCitation] = field(default_factory=list)
    doc_number: str | None = None
    plan_title: str | None = None

    @property
    def has_body(self) -> bool:
        return self.body_chars is None or self.body_chars > 0

    def version(self) -> Version:
        return Version(self.name, self.date, self.effective, self.orders)


def _day(s: str | None) -> date | None:
    try:
        return date.fromisoformat(s[:10]) if s else None
    except ValueError:
        return None


def read_facts(index_dir: Path) -> dict[str, DocFacts]:
    """name → DocFacts for every document of the index (the documents table only)."""
    # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
    import pyarrow.parquet as pq

    path = Path(index_dir) / "documents.parquet"
    wanted = ["name", "title", "plan_title", "doc_number", "doc_year", "date", FACTS_COLUMN]
    have = set(pq.ParquetFile(path).schema_arrow.names)
    rows = pq.read_table(path, columns=[c for c in wanted if c in have]).to_pylist()
    out: dict[str, DocFacts] = {}
    for r in rows:
        f: dict[str, Any] = json.loads(r[FACTS_COLUMN]) if r.get(FACTS_COLUMN) else {}
        out[r["name"]] = DocFacts(
            name=r["name"],
            title=r.get("title") or r.get("plan_title"),
            date=_day(f.get("date")) or _day(r.get("date")),
            effective=_day(f.get("effective")),
            year=r.get("doc_year"),
            work=f.get("work"),
            level=f.get("level"),
            region=f.get("region"),
            province=f.get("province"),
            kind=f.get("kind"),
            orders=tuple(f.get("orders", ())),
            body_chars=f.get("body_chars"),
            cites=[LawCitation(raw, key, year, -1, bool(order)) for raw, key, year, order in f.get("cites", ())],
            doc_number=r.get("doc_number"),
            plan_title=r.get("plan_title"),
        )
    return out


def resolve_law_citations(facts: dict[str, DocFacts]) -> dict[str, dict[str, str]]:
    """citing document → {cited document: citation as written}: each citation of a work to the version
    in force at the citing document's date (see pick_version), of an order to the document it published.

    A title resolves only to documents whose own work key is the same (containment is not identity);
    a citation of the citing document's own work (another version of itself) is not a citation."""
    works: dict[str, list[Version]] = {}
    by_order: dict[str, list[Version]] = {}
    for f in facts.values():
        if f.work:
            works.setdefault(f.work, []).append(f.version())
        for o in f.orders:
            by_order.setdefault(o, []).append(f.version())
    out: dict[str, dict[str, str]] = {}
    for f in facts.values():
        at = f.date or f.effective
        for c in f.cites:
            pool = by_order.get(c.key, []) if c.order else works.get(c.key, [])
            if c.order and len(pool) > 1:  # the version that the order itself published, if one did last
                pool = [v for v in pool if v.orders and v.orders[-1] == c.key] or pool
            v = pick_version(pool, at, c.year)
            if v is None or v.name == f.name or (f.work and facts[v.name].work == f.work):
                continue
            out.setdefault(f.name, {}).setdefault(v.name, c.raw)
    return out
