"""The import graph of policydiff: stages import only downward, no module imports itself back, and an
import inside a function says why it is there.

Every `import` of every module is read with `ast`: top level, under `if TYPE_CHECKING:` and inside
functions, since a function-level import is as real a dependency as any other.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "policydiff"

# Lowest first; a module may import its own layer and the layers before it. A module belongs to the
# longest name listed that is it or a package holding it (`policydiff` itself: the public facade only).
LAYERS: list[tuple[str, ...]] = [
    ("policydiff.text",),  # leaf: imports nothing of policydiff
    ("policydiff.schema",),
    (
        "policydiff.errors",
        "policydiff._atomic",
        "policydiff._files",
        "policydiff._version",
        "policydiff.parsed_json",
        "policydiff.vocabulary",  # word lists read from data/ (document types, domain words)
    ),
    ("policydiff.ingest",),
    ("policydiff.normalize",),
    ("policydiff.structure",),
    ("policydiff.extract",),
    ("policydiff.align",),
    # what several report formats share sits below the formats
    ("policydiff.render.common", "policydiff.render.html_parts", "policydiff.render.html_style", "policydiff.render.tables"),
    ("policydiff.render",),
    ("policydiff.api", "policydiff.pipeline", "policydiff"),
    ("policydiff.corpus",),
    ("policydiff.check",),
    ("policydiff.cli", "policydiff.cli_io", "policydiff.__main__"),
]
RANK = {name: i for i, names in enumerate(LAYERS) for name in names}


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported policydiff module (or an outside module's name)
    line: int
    in_function: bool
    type_only: bool  # under `if TYPE_CHECKING:`


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int | None:
    if module in RANK:
        return RANK[module]
    parts = module.split(".")
    for n in range(len(parts) - 1, 1, -1):  # never falls back to `policydiff` itself
        name = ".".join(parts[:n])
        if name in RANK:
            return RANK[name]
    return None


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join(package + ([node.module] if node.module else []))
    # `from policydiff.render import alignment` imports the module policydiff.render.alignment.
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]


def imports_of(module: str) -> list[Import]:
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[Import] = []

    def visit(node: ast.AST, in_function: bool, type_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                for target in _targets(child, module, path.name == "__init__.py"):
                    out.append(Import(module, target, child.lineno, in_function, type_only))
            visit(
                child,
                in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda),
                type_only or (isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)),
            )

    visit(tree, False, False)
    return out


ALL_IMPORTS = [imp for module in MODULES for imp in imports_of(module)]
INTERNAL = [imp for imp in ALL_IMPORTS if imp.target == "policydiff" or imp.target.startswith("policydiff.")]


def test_every_module_has_a_layer() -> None:
    missing = [m for m in MODULES if layer(m) is None]
    assert not missing, f"modules in no layer (add them to LAYERS in {Path(__file__).name}): {missing}"


def test_imports_go_down_the_layers() -> None:
    upward = []
    for imp in INTERNAL:
        src, dst = layer(imp.source), layer(imp.target)
        if src is not None and dst is not None and dst > src:
            upward.append(f"{MODULES[imp.source].relative_to(SRC)}:{imp.line}: {imp.source} imports {imp.target}")
    assert not upward, "imports against the layer order:\n" + "\n".join(upward)


def test_the_text_leaf_imports_nothing_of_policydiff() -> None:
    inside = [imp for imp in INTERNAL if imp.source.startswith("policydiff.text") and not imp.target.startswith("policydiff.text")]
    assert not inside, inside


def test_schema_imports_only_pydantic_and_the_leaf() -> None:
    allowed = set(sys.stdlib_module_names) | {"pydantic"}
    bad = [
        imp.target
        for imp in imports_of("policydiff.schema")
        if not imp.target.startswith("policydiff.text") and imp.target.split(".")[0] not in allowed
    ]
    assert not bad, bad


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself): Tarjan."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in edges.get(v, ()):
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            connect(v)
    return out


def test_no_import_cycles() -> None:
    edges: dict[str, set[str]] = {}
    for imp in INTERNAL:
        if imp.target in MODULES:
            edges.setdefault(imp.source, set()).add(imp.target)
    cycles = _cycles(edges)
    assert not cycles, "modules that import each other (directly or around a loop):\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_cycle_finder_sees_a_loop() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def _has_reason(lines: list[str], lineno: int) -> bool:
    """A `#` comment on the import's own line, or on the line above it or above the run of imports it is in
    (isort's blank lines between groups included)."""
    if "#" in lines[lineno - 1]:
        return True
    k = lineno - 2
    while k >= 0 and (lines[k].strip().startswith(("import ", "from ")) or (not lines[k].strip() and k > 0 and _is_import(lines[k - 1]))):
        k -= 1
    return k >= 0 and lines[k].strip().startswith("#")


def _is_import(line: str) -> bool:
    return line.strip().startswith(("import ", "from "))


def test_function_level_imports_give_a_reason() -> None:
    # A function-level import must defer something (a heavy or optional dependency, or work a fast
    # path never needs) and say so in a one-line comment.
    missing = []
    for module, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for line in sorted({imp.line for imp in imports_of(module) if imp.in_function}):
            if not _has_reason(lines, line):
                missing.append(f"{path.relative_to(SRC)}:{line}: {lines[line - 1].strip()}")
    assert not missing, "function-level imports without a `# why` comment above them:\n" + "\n".join(missing)


# Cheap to import (the standard library, and policydiff modules that import only it): deferring them
# defers nothing. fcntl exists on POSIX only; a process pool starts multiprocessing.
LIGHT = (set(sys.stdlib_module_names) - {"fcntl", "concurrent"}) | {
    "policydiff.errors",
    "policydiff._atomic",
    "policydiff._files",
    "policydiff._version",
    "policydiff.text",
}


def _is_light(target: str) -> bool:
    return any(target == name or target.startswith(name + ".") for name in LIGHT)


def test_function_level_imports_defer_something() -> None:
    # Importing inside a function what the module imports at the top level anyway, or what costs
    # nothing to import, defers nothing.
    idle = []
    for module, path in MODULES.items():
        imports = imports_of(module)
        top = {imp.target for imp in imports if not imp.in_function and not imp.type_only}
        idle += [
            f"{path.relative_to(SRC)}:{imp.line}: {imp.target}"
            for imp in imports
            if imp.in_function and (imp.target in top or _is_light(imp.target))
        ]
    assert not idle, "function-level imports that defer nothing (import them at the top):\n" + "\n".join(idle)


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("policydiff.structure.tree", "policydiff.text.numbering", True),
        ("policydiff.text.numbering", "policydiff.extract.citations", False),
        ("policydiff.render.common", "policydiff.render.html", False),
        ("policydiff.cli", "policydiff", True),
        ("policydiff.pipeline", "policydiff.corpus.index", False),
    ],
)
def test_layer_order_examples(source: str, target: str, expected: bool) -> None:
    src, dst = layer(source), layer(target)
    assert src is not None and dst is not None
    assert (dst <= src) is expected


def test_the_reader_sees_function_level_and_type_only_imports() -> None:
    api = imports_of("policydiff.api")
    assert any(imp.target == "policydiff.pipeline" and imp.in_function for imp in api)
    lineage = imports_of("policydiff.render.lineage")
    assert any(imp.target == "policydiff.schema" and imp.type_only for imp in lineage)
    # a relative import resolves against the importing package
    node = ast.parse("from .html_parts import esc").body[0]
    assert isinstance(node, ast.ImportFrom)
    assert _targets(node, "policydiff.render.multi", False) == ["policydiff.render.html_parts"]
