"""No import circle in bot/: each module imports alone, and module-level imports form no cycle.

A circle that happens to work in today's import order breaks as soon as another entry point
imports a different module first, so both checks run: a fresh interpreter per module (the
real failure), and the import graph (a cycle that is only latent).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.corpus_helpers import REPO

PACKAGE = REPO / "bot"
# Alembic's env.py and revisions run inside Alembic's context, never as plain imports;
# bot.__main__ runs the command line when imported, as it must.
SKIPPED = ("bot.store.migrations", "bot.store.state_migrations", "bot.__main__")
# Pure layers where even an import inside a function must not lead back: the circle the
# architecture issue found (load.py <-> the parsers) was one of those.
STRICT = ("bot.corpus", "bot.yamlfile", "bot.config")


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    found = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    return {name: path for name, path in found.items() if not name.startswith(SKIPPED)}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path: Path, module: str, known: set[str], strict: bool) -> set[str]:
    """bot modules imported when ``module`` is executed; with ``strict``, also those imported
    inside functions or under TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    # Strict: every node of the file; else the statements that run at import, followed into
    # the branches of if (TYPE_CHECKING aside) and try.
    pending: list[ast.AST] = list(ast.walk(tree)) if strict else list(tree.body)
    while pending:
        node = pending.pop()
        if not strict and isinstance(node, ast.If):
            if not _is_type_checking(node):
                pending.extend(node.body + node.orelse)
        elif not strict and isinstance(node, ast.Try):
            pending.extend(node.body + node.orelse + node.finalbody)
            for handler in node.handlers:
                pending.extend(handler.body)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # "from bot.corpus import people" imports the module bot.corpus.people
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name in known and name != module}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the chain of modules, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state and (found := visit(target)):
                return found
        state[module] = 2
        path.pop()
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_module_level_imports_form_no_cycle() -> None:
    modules = _modules()
    graph = {name: _imports(path, name, set(modules), strict=False)
             for name, path in modules.items()}
    assert _cycle(graph) is None


def test_the_pure_layers_have_no_cycle_even_through_late_imports() -> None:
    modules = {name: path for name, path in _modules().items() if name.startswith(STRICT)}
    graph = {name: _imports(path, name, set(modules), strict=True)
             for name, path in modules.items()}
    assert len(graph) > 10 and _cycle(graph) is None


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


# One interpreter for all modules, bot.* forgotten before each: third-party packages stay
# loaded (a fresh interpreter per module costs a minute), yet every bot module is imported
# first, with none of its own package already in memory, as a new entry point would.
_IMPORT_EACH_ALONE = """
import importlib, sys, traceback
failed = {}
for module in sys.argv[1:]:
    for name in [n for n in sys.modules if n == "bot" or n.startswith("bot.")]:
        del sys.modules[name]
    try:
        importlib.import_module(module)
    except BaseException as exc:  # SystemExit too: importing must never run anything
        failed[module] = traceback.format_exception_only(exc)[-1].strip()
print(repr(failed))
"""


def test_every_module_imports_alone() -> None:
    result = subprocess.run([sys.executable, "-c", _IMPORT_EACH_ALONE, *sorted(_modules())],
                            capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "{}"
