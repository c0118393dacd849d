"""Which document each document descends from, and how.

Relations (Edge.relation):
  implements  the child applies the parent: a provincial 实施《…》办法 and its law, a city plan and the
              provincial plan it copies.
  revises     a later version of the same work (same work_key of the title), in date order.
  sibling     two documents implementing the same parent that reuse each other's text (not parents).
  cites       any other resolved citation.

Candidates for `implements` come from the index's sampled n-gram hashes (documents sharing rare
n-grams with the child, not dated after it) plus the documents it cites. A candidate of the same
work, of a lower issuer level, or of the same level in another region (a sibling) is not a parent.
Decision rule (calibrated on real collections, see benchmarks/calibrate_lineage.py): the work the
child's title cites (实施《X》办法) is the parent; else a cited candidate among the R_CITED best by
text reuse is the parent even at low reuse; otherwise the best
candidate is the parent only with stronger reuse (MIN_SCORE, or LEVEL_MIN_CONTAINMENT of the child's
n-grams when the issuer levels say it is a higher body). Direction comes from dates, else levels,
else a one-way citation; with none of these the edge says `direction: unknown`.
Evidence for each implements/revises edge is measured on the full text (corpus/lineage_evidence.py:
reused share both ways, inherited clauses); a pair that fails is an issue of the run.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import numpy as np

from policydiff.corpus.index_tables import read_table
from policydiff.corpus.lineage_evidence import PARENT_RELATIONS, run_evidence
from policydiff.corpus.lineage_facts import DocFacts, read_facts, resolve_law_citations
from policydiff.corpus.lineage_ngrams import NgramIndex, candidate_pairs, exclusive, intersections, load_ngrams
from policydiff.errors import UsageError
from policydiff.extract.citations import TITLE_MATCH_RATIO, law_citations, normalize_title, title_score, work_key
from policydiff.schema import Edge

# R_CITED, CITED_MIN_CONTAINMENT and LEVEL_MIN_CONTAINMENT: fitted on real laws and provincial measures
# (benchmarks/calibrate_lineage.py, the calib half; scored on the test half). MIN_SCORE, for uncited
# candidates of unknown issuer level (notices), from make_corpus seeds 1/2 (issue 12: to refit on real notices).
MIN_SCORE = 0.248  # Jaccard of n-gram samples an uncited candidate needs
R_CITED = 1  # a cited candidate among this many best by reuse is the parent, whatever its score
CITED_MIN_CONTAINMENT = 0.062  # ... if it holds at least this share of the child's n-grams
LEVEL_MIN_CONTAINMENT = 0.06  # an uncited candidate of a higher issuer level needs this containment
CLOSE = 0.03  # candidates this close to the best are re-ranked by the n-grams only one of them shares ...
EXCLUSIVE_RATIO = 2.0  # ... when the child holds this many times more of one's private n-grams
CAND_K = 8  # candidates kept per document from the n-gram index

RELATIONS = ("implements", "revises", "sibling", "cites")


# --- dates and citations ---------------------------------------------------------------


def date_order(parent: DocFacts, child: DocFacts) -> str:
    """before / same / after / unknown, by version date, else by the year of the document number."""
    if parent.date and child.date:
        return "before" if parent.date < child.date else "same" if parent.date == child.date else "after"
    py = parent.date.year if parent.date else parent.year
    cy = child.date.year if child.date else child.year
    if py is not None and cy is not None and py != cy:
        return "before" if py < cy else "after"
    return "unknown"


def _number_citations(index_dir: Path, facts: dict[str, DocFacts], near: dict[str, set[str]] | None) -> dict[str, dict[str, str]]:
    """child → {cited: raw} for notices: by resolved_to, document number, else title (laws: resolve_law_citations).

    A title that matches no title exactly is scored against the citing document's n-gram
    candidates `near` only (all documents when None, on corpora of up to 2,000)."""
    by_number: dict[str, str] = {}
    by_title: dict[str, str] = {}
    works = {f.work for f in facts.values() if f.work}
    for f in facts.values():
        if f.doc_number:
            by_number.setdefault(f.doc_number, f.name)
        for t in (f.plan_title, f.title):
            if t:
                by_title.setdefault(normalize_title(t), f.name)
    out: dict[str, dict[str, str]] = {}
    for c in read_table(index_dir / "citations.parquet"):
        target = c["resolved_to"] if c["resolved_to"] in facts else None
        if target is None and c["number"]:
            target = by_number.get(c["number"])
        if target is None and c["title"] and not c["number"] and work_key(c["title"]) in works:
            continue  # a law or regulation: resolved by work and version
        if target is None and c["title"]:
            target = by_title.get(normalize_title(c["title"]))
            if target is not None and c["number"] and facts[target].doc_number not in (None, c["number"]):
                target = None  # the titles agree, the numbers say another document
            if target is None:
                pool = list(facts.values()) if near is None else [facts[x] for x in sorted(near.get(c["doc"], ())) if x in facts]
                target = _fuzzy_title(c["title"], c["number"], c["doc"], pool)
        if target and target != c["doc"] and c["doc"] in facts:
            out.setdefault(c["doc"], {}).setdefault(target, c["raw"])
    return out


def _fuzzy_title(title: str, number: str | None, own: str, docs: list[DocFacts]) -> str | None:
    """The extractor's title score (period- and wrapper-blind); a linear scan, so only on small corpora."""
    if len(docs) > 2000:
        return None

    best, best_score = None, 0.0
    for d in docs:
        if d.name == own or (number and d.doc_number and d.doc_number != number):
            continue  # the citation's number says it is another document
        for t in (d.plan_title, d.title):
            if t and (sc := title_score(title, t)) > best_score:
                best, best_score = d.name, sc
    return best if best_score >= TITLE_MATCH_RATIO else None


# --- candidates ------------------------------------------------------------------------


def _day_key(f: DocFacts) -> int:
    if f.date:
        return f.date.year * 10000 + f.date.month * 100 + f.date.day
    return (f.year or 0) * 10000 + 1231


def candidates(
    index_dir: Path, k: int = CAND_K
) -> tuple[NgramIndex, dict[str, list[tuple[str, float, float]]], dict[str, dict[str, str]], dict[str, DocFacts]]:
    """child → [(candidate, Jaccard, containment of child in candidate)], best first; cited documents always included."""
    index_dir = Path(index_dir)
    facts = read_facts(index_dir)
    ix = load_ngrams(index_dir)
    ix_facts = [facts.get(n) or DocFacts(n, None, None) for n in ix.names]
    pos = {n: i for i, n in enumerate(ix.names)}
    # Date keys for a vectorized "candidate not after child": ISO date, else the number's year, else unknown.
    known = np.array([bool(f.date or f.year) for f in ix_facts], bool)
    day = np.array([_day_key(f) for f in ix_facts], np.int64)
    exact = np.array([bool(f.date) for f in ix_facts], bool)
    # Header-only documents share their boilerplate (titles, adoption history), not text: no reuse edges.
    body = np.array([f.has_body for f in ix_facts], bool)
    level = np.array([-1 if f.level is None else f.level for f in ix_facts], np.int64)

    def allowed(r: np.ndarray, c: np.ndarray) -> np.ndarray:
        both = known[r] & known[c]
        # with two dates: c strictly earlier or same day; with a year only: not a later year
        exact_ok = day[c] <= day[r]
        year_ok = day[c] // 10000 <= day[r] // 10000
        # a higher body's work may be present in a later version only (a law amended since)
        higher = (level[r] >= 0) & (level[c] > level[r])
        return (~both | np.where(exact[r] & exact[c], exact_ok, year_ok) | higher) & body[r] & body[c]

    r, c = candidate_pairs(ix, allowed, k)
    near: dict[str, set[str]] = {}
    for a, b in zip(r.tolist(), c.tolist(), strict=True):
        near.setdefault(ix.names[a], set()).add(ix.names[b])
    cites = _number_citations(index_dir, facts, near if len(facts) > 200 else None)
    for child, cited in resolve_law_citations(facts).items():
        for p, raw in cited.items():
            cites.setdefault(child, {}).setdefault(p, raw)
    extra = [(pos[ch], pos[p]) for ch, ps in cites.items() if ch in pos for p in sorted(ps) if p in pos]
    if extra:
        r = np.concatenate([r, np.array([a for a, _ in extra], np.int64)])
        c = np.concatenate([c, np.array([b for _, b in extra], np.int64)])
        pairs = np.unique(np.stack([r, c], axis=1), axis=0)
        r, c = pairs[:, 0], pairs[:, 1]
    inter = intersections(ix, r, c)
    union = ix.sizes[r] + ix.sizes[c] - inter
    jac = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
    cont = np.where(ix.sizes[r] > 0, inter / np.maximum(ix.sizes[r], 1), 0.0)
    out: dict[str, list[tuple[str, float, float]]] = {n: [] for n in ix.names}
    for a, b, j, ct in zip(r.tolist(), c.tolist(), jac.tolist(), cont.tolist(), strict=True):
        out[ix.names[a]].append((ix.names[b], j, ct))
    for lst in out.values():
        lst.sort(key=lambda x: (-x[1], x[0]))
    return ix, out, cites, facts


# --- choosing relations -------------------------------------------------------------------


def _direction(parent: DocFacts, child: DocFacts, order: str, cites: dict[str, dict[str, str]]) -> str:
    if order in ("before", "after"):
        return "dates"
    if parent.level is not None and child.level is not None and parent.level != child.level:
        return "levels"
    if parent.name in cites.get(child.name, {}) and child.name not in cites.get(parent.name, {}):
        return "citation"
    return "unknown"


def _edge(
    p: DocFacts, c: DocFacts, relation: str, decided_by: str, cites: dict[str, dict[str, str]], jac: float = 0.0, cont: float = 0.0
) -> Edge:
    order = date_order(p, c)
    return Edge(
        child=c.name,
        parent=p.name,
        relation=relation,
        citation=cites.get(c.name, {}).get(p.name),
        decided_by=decided_by,
        reuse_share=0.0,  # evidence: measured later on the full texts (find_lineage)
        parent_share=0.0,
        inherited_clauses=0,
        date_order=order,
        direction=_direction(p, c, order, cites),
        score=round(jac, 4),
        containment=round(cont, 4),
    )


def _versions(facts: dict[str, DocFacts], cites: dict[str, dict[str, str]]) -> list[Edge]:
    """revises edges: each version of a law or regulation after the one before it."""
    works: dict[str, list[DocFacts]] = {}
    for f in facts.values():
        if f.work and f.level is not None:
            works.setdefault(f.work, []).append(f)
    out = []
    for group in works.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda f: (f.date is None, f.date or f.effective, f.name))
        for prev, nxt in itertools.pairwise(group):
            if prev.date is not None and prev.date == nxt.date:
                continue  # same work, same day: parts of one code (民法典 合同编, 侵权责任编) or copies, not versions
            out.append(_edge(prev, nxt, "revises", "version", cites))
    return out


def _eligible(child: DocFacts, p: DocFacts, cites: dict[str, dict[str, str]]) -> bool:
    """Can p be the document that child implements? Not the same work, not later, not a lower or sibling issuer."""
    if p.name == child.name or (child.work is not None and p.work == child.work) or not p.has_body:
        return False
    order = date_order(p, child)
    higher = p.level is not None and child.level is not None and p.level > child.level
    if order == "after" and not higher:
        return False  # the parent cannot be later, unless a higher body's work present in a later version only
    if order in ("same", "unknown") and child.name in cites.get(p.name, {}):
        return False  # nor cite its own child
    if p.kind == "judicial-interpretation" and child.kind != "judicial-interpretation":
        return False  # courts interpret laws; legislatures and governments do not implement interpretations
    if p.level is not None and child.level is not None and child.level < p.level <= 2 and p.region != child.province:
        return False  # a city implements its own province's regulations only
    # A lower issuer, or one of the same level in another region (a sibling), is not a parent.
    return not (
        p.level is not None and child.level is not None and (p.level < child.level or (p.level == child.level and p.region != child.region))
    )


def _same_or_lower(p: DocFacts, child: DocFacts) -> bool:
    return p.level is not None and child.level is not None and p.level <= child.level


def choose(
    ix: NgramIndex, cands: dict[str, list[tuple[str, float, float]]], cites: dict[str, dict[str, str]], facts: dict[str, DocFacts]
) -> list[Edge]:
    """implements, revises, sibling and cites edges (evidence fields left at 0)."""
    pos = {n: i for i, n in enumerate(ix.names)}
    best: dict[str, Edge] = {}
    for name in sorted(cands):
        child = facts.get(name)
        if child is None:
            continue
        ok = [(p, jac, cont) for p, jac, cont in cands[name] if p in facts and _eligible(child, facts[p], cites)]
        mine = cites.get(name, {})
        title_works = {c.key for c in law_citations(child.title)} if child.title and "《" in child.title else set()
        if not child.has_body:
            # A header-only file shares only boilerplate: a parent only when its title names it.
            ok = [x for x in ok if x[0] in mine and facts[x[0]].work in title_works]
        if not ok:
            continue
        # The work its title names (实施《X》办法) first, then citations among the best by reuse.
        named = [x for x in ok if x[0] in mine and facts[x[0]].work in title_works]
        cited = named[:1] or [x for x in ok[:R_CITED] if x[0] in mine and x[2] >= CITED_MIN_CONTAINMENT]
        if cited or not child.has_body:
            top, how = (cited or ok)[0], "citation"
        else:
            # Uncited: only a higher body (or one of unknown level), with enough reuse.
            ok = [x for x in ok if not _same_or_lower(facts[x[0]], child)]
            if not ok:
                continue
            top, how = ok[0], "reuse"
            higher = facts[top[0]].level is not None and child.level is not None
            if top[1] < MIN_SCORE and not (higher and top[2] >= LEVEL_MIN_CONTAINMENT):
                continue
            # Close calls: a parent and its own parent both share much of the child. The one whose
            # private n-grams the child holds clearly more of is the source: a parent's edits reach
            # the child, the text it dropped from the grandparent does not.
            for other in ok[1:]:
                if ok[0][1] - other[1] > CLOSE:
                    break
                a, b = exclusive(ix, pos[name], pos[top[0]], pos[other[0]])
                if b >= EXCLUSIVE_RATIO * max(a, 1):
                    top = other
        e = _edge(facts[top[0]], child, "implements", how, cites, top[1], top[2])
        e.runner_up = next((x[0] for x in ok if x[0] != top[0]), None)
        best[name] = e
    parents = _break_cycles(best)
    linked = {(e.child, e.parent) for e in parents}
    versions = [e for e in _versions(facts, cites) if (e.child, e.parent) not in linked]
    linked |= {(e.child, e.parent) for e in versions} | {(e.parent, e.child) for e in versions}
    siblings = []
    parent_of = {e.child: e.parent for e in parents}
    for name, lst in sorted(cands.items()):
        for q, jac, cont in lst:
            if name < q and name in parent_of and parent_of.get(q) == parent_of[name]:
                e = _edge(facts[q], facts[name], "sibling", "reuse", cites, jac, cont)
                e.direction = "none"
                siblings.append(e)
                linked |= {(name, q), (q, name)}
    plain = []
    for name, cited_docs in sorted(cites.items()):
        for p in sorted(cited_docs):
            if (name, p) not in linked and name in facts and p in facts:
                plain.append(_edge(facts[p], facts[name], "cites", "cited", cites))
    return sorted(parents + versions + siblings + plain, key=lambda e: (e.child, RELATIONS.index(e.relation), e.parent))


def _break_cycles(best: dict[str, Edge]) -> list[Edge]:
    """Drop the weakest edge of every cycle so the implements edges form a forest."""
    for start in sorted(best):
        seen: list[str] = []
        n = start
        while n in best and n not in seen:
            seen.append(n)
            n = best[n].parent
        if n in seen:  # cycle n → … → n
            cyc = seen[seen.index(n) :]
            weakest = min(cyc, key=lambda x: (best[x].decided_by == "citation", best[x].score, x))
            del best[weakest]
    return [best[c] for c in sorted(best)]


# --- driver --------------------------------------------------------------------


def find_lineage(
    index_dir: Path,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    top_k: int = CAND_K,
    workers: int | None = None,
    evidence: bool = True,
    timings: dict[str, float] | None = None,
    issues: list[dict[str, str]] | None = None,
    progress: bool = False,
) -> list[Edge]:
    """Every relation found (see the module docstring), implements/revises edges with their evidence.

    The choice is made on the n-gram index in this process (cheap, vectorized); the evidence of each
    implements/revises edge (shared 8-grams of the full texts) in a process pool or on Dask. Pairs that
    fail are appended to `issues` ({"child", "parent", "error"}) and keep their edge without evidence.
    """
    index_dir = Path(index_dir)
    if not (index_dir / "ngrams.parquet").exists():
        raise UsageError(f"{index_dir}: no ngrams.parquet; re-run `policydiff index` to build the index in the current format.")
    clock = time.perf_counter()
    tm = timings if timings is not None else {}
    ix, cands, cites, facts = candidates(index_dir, top_k)
    tm["candidates"], clock = time.perf_counter() - clock, time.perf_counter()
    edges = choose(ix, cands, cites, facts)
    del ix, cands
    tm["choose"], clock = time.perf_counter() - clock, time.perf_counter()
    if evidence:
        todo: dict[str, list[str]] = {}
        for e in edges:
            if e.relation in PARENT_RELATIONS:
                todo.setdefault(e.child, []).append(e.parent)
        rows = run_evidence(
            str(index_dir), sorted(todo.items()), engine=engine, scheduler=scheduler, workers=workers, progress=progress, how="text"
        )
        ev = {(r["child"], r["parent"]): r for r in rows}
        for e in edges:
            r = ev.get((e.child, e.parent))
            if r is None:
                continue
            if "error" in r:
                if issues is not None:
                    issues.append({"child": e.child, "parent": e.parent, "error": r["error"]})
                continue
            e.reuse_share = round(float(r["reuse_share"]), 4)
            e.parent_share = round(float(r["parent_share"]), 4)
            e.inherited_clauses = int(r["inherited"])
    tm["evidence"] = time.perf_counter() - clock
    return edges


def parent_edges(edges: list[Edge]) -> dict[str, Edge]:
    """child → the edge to the document it implements, else to the version it revises."""
    out: dict[str, Edge] = {}
    for e in edges:
        if e.relation == "implements" or (e.relation == "revises" and e.child not in out):
            out[e.child] = e
    return out


def document_names(index_dir: Path) -> list[str]:
    """Every document of the index (roots included), for outputs that draw all nodes."""
    # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
    import pyarrow.parquet as pq

    return sorted(pq.read_table(Path(index_dir) / "documents.parquet", columns=["name"])["name"].to_pylist())
