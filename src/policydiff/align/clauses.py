"""Sentence provenance and clause relations between a parent and a child document.

Clauses are aligned by their policy text only: labels and responsible-unit notes do
not count. Every child sentence is linked to the parent sentence it most likely comes
from; clause relations are derived from those links.
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from dataclasses import dataclass, field
from itertools import repeat

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from policydiff.schema import Clause, Document
from policydiff.text.ngrams import bigrams as _bigrams

# A child sentence comes from a parent sentence when their longest common subsequence
# covers this share of the child sentence. Tuned on the seeds: unrelated sentences on
# the same subject share up to ~0.45 of their characters (职业/教育/学校…), reworded
# inherited ones 0.6 and more.
SENTENCE_LINK = 0.6
# ...and the pair is at least this similar as a whole (stops a short child sentence
# from "coming from" any long parent sentence that happens to contain its characters).
SENTENCE_MIN_RATIO = 0.35
# A parent clause is a child clause's source when it gives this share of the child's text.
CLAUSE_MIN_SHARE = 0.15
# A parent clause lives on in a child clause when this share of it is reused there.
CLAUSE_MIN_COVER = 0.1
# A minor reuse (`partial`) needs at least one strongly linked sentence of this length.
PARTIAL_MIN_CHARS = 15
PARTIAL_MIN_SIM = 0.75
# Same lead sentence, little shared body: still the same clause.
HEADING_MATCH = 0.8
# A parent clause with no home is looked for phrase by phrase (split on ，) inside child
# sentences: a child sentence stitched from several parents (新郑 3 = 郑州 3 + 4 + 5).
FRAGMENT_MIN_CHARS = 6
FRAGMENT_MATCH = 0.55
FRAGMENT_MIN_TOTAL = 12
# Parent sentences whose exact coverage is computed for each child sentence: the most similar.
CANDIDATES = 8
# From this many sentence pairs on, candidates come from one similarity matrix (numpy) instead of
# a search per sentence; the same candidates, cheaper once numpy's import is paid for.
MATRIX_MIN_CELLS = 400_000
# Pair acceptance (`--threshold`): a clause pair whose similarity (`ClausePair.similarity`,
# the character similarity of the two policy texts) is below this is not reported as a pair;
# its clauses become dropped/added unless paired elsewhere. Default 0, no cutoff: the pairs
# are what the sentence links, shared lead sentences and shared subjects support. Tuned on
# the seeds: genuine parts of a merge or split sit at 0.15–0.3 (郑州 4 → 新郑 3 is 0.19),
# so any default cutoff above 0.15 would lose gold pairs.
PAIR_MIN_SIMILARITY = 0.0
_FRAGMENT_RE = re.compile(r"[^，,；;。！？]+")

_SPLIT_RE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*")
_NOISE_RE = re.compile(r"[\s，、：:,（）()“”‘’\"'《》〈〉【】\[\]]+")
_SPACE_RE = re.compile(r"\s+")


def units(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT_RE.findall(text) if len(_NOISE_RE.sub("", s)) >= 2]


def fold(text: str) -> str:
    """What similarity is computed on: no spaces or soft punctuation."""
    return _NOISE_RE.sub("", text)


def same_wording(a: str, b: str) -> bool:
    """Whether two clause texts are the same to the letter and the punctuation mark (an amendment that only
    strikes a comma is an amendment); spaces and line breaks, which PDF extraction and layout change, do not count."""
    return a == b or _SPACE_RE.sub("", a) == _SPACE_RE.sub("", b)


@dataclass
class SentRef:
    clause: int  # index in the document's clause list
    index: int  # index of the sentence within the clause
    text: str
    folded: str


@dataclass
class Link:
    b: SentRef
    a: SentRef | None
    similarity: float
    common: int  # characters of b shared with a (LCS)


@dataclass
class ClauseAlignment:
    links: list[Link]
    reused: dict[tuple[int, int], int]  # (a clause, b clause) -> shared chars
    a_len: list[int]
    b_len: list[int]
    pairs: dict[tuple[int, int], str] = field(default_factory=dict)  # (a, b) -> relation
    primary_parent: dict[int, int] = field(default_factory=dict)
    primary_child: dict[int, int] = field(default_factory=dict)
    found: set[tuple[int, int]] = field(default_factory=set)  # every textual pair, before the --threshold cut


def sentence_refs(doc: Document) -> list[SentRef]:
    refs = []
    for ci, clause in enumerate(doc.clauses):
        for si, s in enumerate(units(clause.policy_text)):
            refs.append(SentRef(ci, si, s, fold(s)))
    return refs


def link_sentences(a_refs: list[SentRef], b_refs: list[SentRef], link: float = SENTENCE_LINK) -> list[Link]:
    if not b_refs:
        return []
    if not a_refs:
        return [Link(b, None, 0.0, 0) for b in b_refs]
    a_texts = [r.folded for r in a_refs]
    a_lens = [len(t) for t in a_texts]
    # A sentence kept verbatim (most of a revised law) is its own best source: similarity 1 and
    # full coverage; the last of equal parent sentences, as the candidate ranking would give.
    verbatim = {t: j for j, t in enumerate(a_texts)}
    todo = [b for b in b_refs if not (len(b.folded) and b.folded in verbatim and link <= 1.0)]
    # Large documents: one rapidfuzz matrix (numpy) is cheaper than a search per sentence.
    matrix = len(todo) * len(a_texts) >= MATRIX_MIN_CELLS and len(a_texts) > 2 * CANDIDATES
    ranked = dict(zip((id(b) for b in todo), _candidates_matrix([b.folded for b in todo], a_texts), strict=True)) if matrix else {}
    out = []
    for b in b_refs:
        lb = len(b.folded)
        same = verbatim.get(b.folded) if lb else None
        if same is not None and link <= 1.0:
            out.append(Link(b, a_refs[same], 1.0, lb))
            continue
        best_j, best_cov, best_sim = -1, 0.0, 0.0
        # Only the few most similar candidates need the exact coverage.
        for j, sim in ranked[id(b)] if matrix else _candidates(b.folded, a_texts):
            if sim < SENTENCE_MIN_RATIO and lb < a_lens[j]:
                # A short child sentence inside a long parent one: use partial alignment.
                part = fuzz.partial_ratio(b.folded, a_texts[j]) / 100
                cov = part if part >= 0.9 and lb >= PARTIAL_MIN_CHARS else 0.0
            else:
                lcs = sim * (lb + a_lens[j]) / 2
                cov = lcs / lb if lb else 0.0
            if sim < SENTENCE_MIN_RATIO and cov < 0.9:
                continue
            if cov > best_cov or (cov == best_cov and sim > best_sim):
                best_j, best_cov, best_sim = int(j), cov, sim
        if best_j >= 0 and best_cov >= link:
            out.append(Link(b, a_refs[best_j], best_sim, round(min(best_cov, 1.0) * lb)))
        else:
            out.append(Link(b, None, best_sim, 0))
    return out


def _candidates(query: str, choices: list[str], n: int = CANDIDATES) -> list[tuple[int, float]]:
    """The `n` choices most similar to `query` (Indel normalized similarity, LCS follows from it).

    Similarities are float32 and ties go to the later choice, as from a stable argsort of
    rapidfuzz's cdist matrix reversed; found without numpy (~50 ms to import) by asking
    rapidfuzz for a few more than `n` and checking that no tie reaches past them.
    """
    wider = 2 * n
    if len(choices) > wider:
        hits = process.extract(query, choices, scorer=Indel.normalized_similarity, limit=wider)
        sims = array("f", [h[1] for h in hits])  # double -> float32, still non-increasing
        if sims[-1] < sims[n - 1]:
            return heapq.nlargest(n, ((h[2], s) for h, s in zip(hits, sims, strict=True)), key=lambda js: (js[1], js[0]))
    row = array("f", map(Indel.normalized_similarity, repeat(query), choices))
    return [(j, row[j]) for j in heapq.nlargest(n, range(len(row) - 1, -1, -1), key=row.__getitem__)]


def _candidates_matrix(queries: list[str], choices: list[str], n: int = CANDIDATES, block: int = 512) -> list[list[tuple[int, float]]]:
    """`_candidates` of every query at once, from rapidfuzz's cdist matrix (float32) in blocks of rows:
    the n most similar choices, ties to the later choice, most similar first."""
    # numpy loads only for the matrix path of large alignments
    import numpy as np

    out: list[list[tuple[int, float]]] = []
    index = np.arange(len(choices), dtype=np.uint64)
    for lo in range(0, len(queries), block):
        sims = process.cdist(queries[lo : lo + block], choices, scorer=Indel.normalized_similarity, dtype=np.float32)
        # Non-negative float32s order as their bit patterns: one integer key orders by (similarity, index).
        keys = (sims.view(np.uint32).astype(np.uint64) << np.uint64(32)) | index
        top = np.argpartition(keys, len(choices) - n, axis=1)[:, len(choices) - n :]
        for row, cols in zip(keys, top, strict=True):
            best = sorted(cols.tolist(), key=lambda j: int(row[j]), reverse=True)
            out.append([(j, float(sims[len(out) - lo, j])) for j in best])
    return out


def pair_similarity(a: Clause, b: Clause) -> float:
    """Character similarity of two clauses' policy texts (what the `sim` column shows), 0–1."""
    return round(Indel.normalized_similarity(fold(a.policy_text), fold(b.policy_text)), 3)


def align_clauses(
    a: Document, b: Document, link: float = SENTENCE_LINK, min_similarity: float = PAIR_MIN_SIMILARITY
) -> ClauseAlignment:
    a_refs, b_refs = sentence_refs(a), sentence_refs(b)
    links = link_sentences(a_refs, b_refs, link)
    reused: dict[tuple[int, int], int] = {}
    for lk in links:
        if lk.a is not None:
            key = (lk.a.clause, lk.b.clause)
            reused[key] = reused.get(key, 0) + lk.common
    a_len = [max(len(fold(c.policy_text)), 1) for c in a.clauses]
    b_len = [max(len(fold(c.policy_text)), 1) for c in b.clauses]
    homeless = {ai for ai in range(len(a.clauses)) if all(reused.get((ai, bi), 0) / a_len[ai] < CLAUSE_MIN_COVER for bi in range(len(b.clauses)))}
    for lk in _fragment_links(a_refs, b_refs, homeless):
        links.append(lk)
        assert lk.a is not None
        key = (lk.a.clause, lk.b.clause)
        reused[key] = reused.get(key, 0) + lk.common
    ca = ClauseAlignment(links=links, reused=reused, a_len=a_len, b_len=b_len)
    _derive_relations(ca, a.clauses, b.clauses, links)
    ca.found = set(ca.pairs)
    if min_similarity > 0:
        _apply_min_similarity(ca, a.clauses, b.clauses, min_similarity)
    return ca


def _apply_min_similarity(ca: ClauseAlignment, a_clauses: list[Clause], b_clauses: list[Clause], min_similarity: float) -> None:
    """Drop pairs less similar than `min_similarity`, then name the relations of the rest anew
    (a merge that keeps one parent is a plain modification)."""
    keep = {k: rel for k, rel in ca.pairs.items() if pair_similarity(a_clauses[k[0]], b_clauses[k[1]]) >= min_similarity}
    if len(keep) == len(ca.pairs):
        return
    ca.primary_parent = {bi: ai for bi, ai in ca.primary_parent.items() if (ai, bi) in keep}
    ca.primary_child = {ai: bi for ai, bi in ca.primary_child.items() if (ai, bi) in keep}
    ca.pairs = {k: rel for k, rel in keep.items() if rel == "partial"}
    _label_core(ca, {k for k, rel in keep.items() if rel != "partial"}, a_clauses, b_clauses)


def _fragment_links(a_refs: list[SentRef], b_refs: list[SentRef], homeless: set[int]) -> list[Link]:
    """Phrases of otherwise unaligned parent clauses found inside child sentences.

    Plain character similarity cannot tell `签约结对，实现优质资源共享` from any other
    sentence about 职业学校; rare character bigrams can, so phrases are scored by the
    IDF-weighted share of their bigrams that the child sentence contains.
    """
    if not homeless or not b_refs:
        return []
    b_grams = [_bigrams(r.folded) for r in b_refs]
    df: dict[str, int] = {}
    for grams in b_grams + [_bigrams(r.folded) for r in a_refs]:
        for g in grams:
            df[g] = df.get(g, 0) + 1
    n_docs = len(b_refs) + len(a_refs)
    # IDF weights looked up, not recomputed: this loop runs fragments x child sentences times.
    unseen = math.log((n_docs + 1) / 1)
    weight = {g: math.log((n_docs + 1) / (n + 1)) for g, n in df.items()}
    postings: dict[str, list[int]] = {}
    for j, bg in enumerate(b_grams):
        for g in bg:
            postings.setdefault(g, []).append(j)

    out: list[Link] = []
    for ai in sorted(homeless):
        found: dict[int, list[tuple[SentRef, int, float]]] = {}  # b sentence -> (a sentence, chars, score)
        for a_ref in (r for r in a_refs if r.clause == ai):
            for frag in (fold(f) for f in _FRAGMENT_RE.findall(a_ref.text)):
                grams = _bigrams(frag)
                if len(frag) < FRAGMENT_MIN_CHARS or not grams:
                    continue
                total = sum(weight.get(g, unseen) for g in grams)
                if total <= 0:  # every bigram in every sentence: nothing rare to score by
                    continue
                # A child sentence reaching FRAGMENT_MATCH holds one of the rarest bigrams whose weights
                # exceed the rest's (prefix filtering); only those sentences are scored, exactly. A best
                # below FRAGMENT_MATCH is never used, so the result is that of scoring every sentence.
                ranked = sorted(grams, key=lambda g: -weight.get(g, unseen))
                rest = total
                cands: set[int] = set()
                for g in ranked:
                    if rest < FRAGMENT_MATCH * total * (1 - 1e-9):
                        break
                    cands.update(postings.get(g, ()))
                    rest -= weight.get(g, unseen)
                best_j, best = -1, 0.0
                for j in sorted(cands):
                    score = sum(weight.get(g, unseen) for g in grams & b_grams[j]) / total
                    if score > best:
                        best_j, best = j, score
                if best_j >= 0 and best >= FRAGMENT_MATCH:
                    found.setdefault(best_j, []).append((a_ref, len(frag), best))
        by_clause: dict[int, int] = {}
        for bj, hits in found.items():
            by_clause[b_refs[bj].clause] = by_clause.get(b_refs[bj].clause, 0) + sum(n for _, n, _ in hits)
        if not by_clause:
            continue
        best_clause = max(by_clause, key=lambda k: by_clause[k])
        if by_clause[best_clause] < FRAGMENT_MIN_TOTAL:
            continue
        for bj, hits in found.items():
            if b_refs[bj].clause != best_clause:
                continue
            a_ref = max(hits, key=lambda h: h[1])[0]
            chars = sum(n for _, n, _ in hits)
            out.append(Link(b_refs[bj], a_ref, sum(sc for _, _, sc in hits) / len(hits), chars))
    return out


def _derive_relations(ca: ClauseAlignment, a_clauses: list[Clause], b_clauses: list[Clause], links: list[Link]) -> None:
    share = {k: v / ca.b_len[k[1]] for k, v in ca.reused.items()}
    cover = {k: v / ca.a_len[k[0]] for k, v in ca.reused.items()}
    for bi in range(len(b_clauses)):
        cands = [(share[(ai, bi)], ai) for ai in range(len(a_clauses)) if share.get((ai, bi), 0) >= CLAUSE_MIN_SHARE]
        if cands:
            ca.primary_parent[bi] = max(cands)[1]
    for ai in range(len(a_clauses)):
        cands = [(cover[(ai, bi)], bi) for bi in range(len(b_clauses)) if cover.get((ai, bi), 0) >= CLAUSE_MIN_COVER]
        if cands:
            ca.primary_child[ai] = max(cands)[1]
    # Same lead sentence but rewritten body: pair what is still unpaired.
    free_a = [ai for ai in range(len(a_clauses)) if ai not in ca.primary_child]
    for bi in range(len(b_clauses)):
        if bi in ca.primary_parent or not free_a:
            continue
        head = fold(b_clauses[bi].heading)
        best = max(free_a, key=lambda ai: Indel.normalized_similarity(head, fold(a_clauses[ai].heading)))
        if Indel.normalized_similarity(head, fold(a_clauses[best].heading)) >= HEADING_MATCH:
            ca.primary_parent[bi] = best
            ca.primary_child[best] = bi
            free_a.remove(best)

    core: set[tuple[int, int]] = {(ai, bi) for bi, ai in ca.primary_parent.items()}
    core |= {(ai, bi) for ai, bi in ca.primary_child.items()}
    _label_core(ca, core, a_clauses, b_clauses)
    # Minor reuse of a parent clause that is mainly aligned elsewhere.
    strong: dict[tuple[int, int], int] = {}
    for lk in links:
        if lk.a is not None and lk.similarity >= PARTIAL_MIN_SIM and len(lk.b.folded) >= PARTIAL_MIN_CHARS:
            key = (lk.a.clause, lk.b.clause)
            strong[key] = strong.get(key, 0) + 1
    for key in strong:
        if key not in ca.pairs:
            ca.pairs[key] = "partial"


def _label_core(ca: ClauseAlignment, core: set[tuple[int, int]], a_clauses: list[Clause], b_clauses: list[Clause]) -> None:
    """Relations of the main pairs: merged, split, identical or modified (partial for a minor source)."""
    parents_of: dict[int, set[int]] = {}
    children_of: dict[int, set[int]] = {}
    for ai, bi in core:
        parents_of.setdefault(bi, set()).add(ai)
        children_of.setdefault(ai, set()).add(bi)
    for ai, bi in core:
        if len(parents_of[bi]) > 1 and ca.primary_child.get(ai) == bi:
            rel = "merged"
        elif len(children_of[ai]) > 1:
            rel = "split"
        elif len(parents_of[bi]) > 1:
            # b is mainly built from another parent; a is mainly elsewhere too.
            rel = "partial" if ca.primary_parent.get(bi) != ai else "merged"
        elif same_wording(a_clauses[ai].policy_text, b_clauses[bi].policy_text):
            rel = "identical"
        else:
            rel = "modified"
        ca.pairs[(ai, bi)] = rel
