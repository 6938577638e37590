"""The package's shape: imports point one way (no cycles, lazy imports included), and the
modules that read a release never import the one that writes it."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "calcinosis_kg"
READERS = ("calcinosis_kg.export", "calcinosis_kg.describe", "calcinosis_kg.store", "calcinosis_kg.sparql")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports, anywhere in its body."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join([*base, node.module] if node.module else base)
                submodules = [f"{target}.{alias.name}" for alias in node.names]
                candidates = [m for m in submodules if m in modules] or [target]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            found |= {c for c in candidates if c in modules and c != name}
        graph[name] = found
    return graph


def test_there_are_modules_to_check():
    assert len(imports()) > 30


def test_no_import_cycle():
    graph = imports()
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise AssertionError(f"import cycle: {' -> '.join(exc.args[1])}") from None


def test_readers_do_not_import_the_writer():
    for name, targets in imports().items():
        if name.startswith(READERS):
            assert "calcinosis_kg.build" not in targets, name
