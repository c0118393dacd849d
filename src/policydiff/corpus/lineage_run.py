"""`policydiff lineage` as one call: the edges of an index, their compare reports, and what the outputs draw from."""

from __future__ import annotations

from pathlib import Path

from policydiff.corpus.lineage import document_names, find_lineage
from policydiff.corpus.lineage_evidence import write_reports
from policydiff.corpus.lineage_facts import read_facts
from policydiff.corpus.store import check_readable
from policydiff.render.lineage import LineageView


def lineage_view(
    index: Path, *, engine: str = "local", scheduler: str | None = None, reports: Path | None = None, progress: bool = False
) -> LineageView:
    """Find the lineage of the documents in `index` (refused in one line when it is incomplete or damaged);
    with `reports`, write a compare report per edge there. Pairs that could not be compared are in `issues`."""
    check_readable(index)
    issues: list[dict[str, str]] = []
    edges = find_lineage(index, engine=engine, scheduler=scheduler, issues=issues, progress=progress)
    if reports is not None:
        write_reports(index, edges, reports, engine=engine, scheduler=scheduler, issues=issues)

    def works() -> dict[str, str]:
        return {name: facts.work for name, facts in read_facts(index).items() if facts.work}

    return LineageView(edges, issues, names=lambda: document_names(index), works=works, reports=reports.as_posix() if reports else None)
