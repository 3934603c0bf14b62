"""The shape of the code (docs/architecture.md): imports point down, never in a circle, and the
pipeline and render layers keep their functions short.

Every import counts: at the top of a module, inside a function (imported lazily) or only for
type checking. A lazy import that closes a circle is still a circle.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ncc_scorecard"

# Lowest first. A module may import modules of its own layer or of a lower one.
LAYERS = [
    ["__init__", "problems", "periods", "spc", "numbers", "targets", "fingerprint", "sheetxml"],
    ["errors", "annotations", "yamlfile", "output", "progress", "rows"],
    ["catalogue", "xlsx"],
    ["results", "benchmark_files", "records"],
    ["model"],
    ["calculator", "benchmarks"],
    ["changes", "due", "init", "checks", "revisions"],
    ["render"],  # every module of render/
    ["build"],
    ["cli", "__main__"],
]
PIPELINE = {"build", "cli", "__main__"}
LONG = 60
"""Lines a function of the pipeline or render layer may have without saying why in its docstring."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def resolve(importer: str, node: ast.ImportFrom | ast.Import) -> Iterator[str]:
    """The package modules an import statement loads."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.startswith("ncc_scorecard."):
                yield _existing(alias.name.removeprefix("ncc_scorecard."))
        return
    if node.level == 0:
        if node.module and node.module.startswith("ncc_scorecard"):
            base = node.module.removeprefix("ncc_scorecard").lstrip(".")
        else:
            return
    else:
        package = importer.split(".")[:-1]  # the package holding the importing module
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *(node.module.split(".") if node.module else [])])
    for alias in node.names:
        candidate = f"{base}.{alias.name}" if base else alias.name
        if candidate in MODULES:  # ``from . import module``
            yield candidate
        else:
            yield _existing(base)


def _existing(name: str) -> str:
    if name in MODULES:
        return name
    if f"{name}.__init__" in MODULES or name == "":
        return f"{name}.__init__".lstrip(".")
    raise AssertionError(f"import of an unknown module {name!r}")


def imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {
            target
            for node in ast.walk(tree)  # lazy and TYPE_CHECKING imports included
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for target in resolve(name, node)
            if target != name
        }
    return graph


GRAPH = imports()


def layer(module: str) -> int:
    top = module.split(".")[0]
    for rank, names in enumerate(LAYERS):
        if top in names or module in names:
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and to docs/architecture.md")


def test_the_graph_sees_lazy_and_type_only_imports() -> None:
    assert "render.pdf" in GRAPH["render.pool"]  # imported inside a function
    assert "render.site" in GRAPH["build"]  # imported inside a function and for type checking
    assert "model" in GRAPH["calculator"]


def test_there_are_no_import_cycles() -> None:
    cycles = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                cycles.append(" → ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert cycles == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    upward = sorted(target for target in GRAPH[module] if layer(target) > layer(module))
    assert upward == [], f"{module} imports the higher {upward}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("render.")))
def test_render_never_imports_the_pipeline(module: str) -> None:
    assert not {target.split(".")[0] for target in GRAPH[module]} & PIPELINE


def test_the_leaves_need_nothing_but_the_standard_library() -> None:
    """Every layer reports problems and counts periods, and the command line digests a build's inputs
    before it loads anything: those modules must stay cheap to import (their imports of the package
    point down to the lowest layer, as the test above checks)."""
    for name in ("problems", "periods", "fingerprint", "sheetxml"):
        tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
        imported = {
            alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        } | {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        }
        assert imported <= set(sys.stdlib_module_names) | {"__future__"}, name


def test_library_code_raises_no_click_usage_errors() -> None:
    for name, path in MODULES.items():
        if name in {"cli", "__main__"}:
            continue
        source = path.read_text(encoding="utf-8")
        for error in ("BadParameter", "UsageError", "click.Abort"):
            assert error not in source, f"{name} raises {error}: raise a ScorecardError and let the CLI map it"


def functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("render.") or m == "build"))
def test_pipeline_and_render_functions_are_short(module: str) -> None:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    long = [
        f"{function.name} ({(function.end_lineno or 0) - function.lineno + 1} lines)"
        for function in functions(tree)
        if (function.end_lineno or 0) - function.lineno + 1 > LONG
        and "long because" not in (ast.get_docstring(function) or "").lower()
    ]
    assert long == [], f"split these, or say in the docstring why they are long ('Long because …'): {long}"


def test_no_assert_for_control_flow() -> None:
    found = [
        f"{name}:{node.lineno}"
        for name, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assert)
    ]
    assert found == []
