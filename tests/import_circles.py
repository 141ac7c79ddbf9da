"""`make lint` runs this: import circles in `aid/` and private names reached across packages.

Reads the source with `ast` (nothing is imported). A package is a folder directly under
`aid/` (a module directly under it counts as its own package). Every import is an edge,
also one placed inside a function (it still ties the two modules together); only imports
under `if TYPE_CHECKING:` are left out, since they never run. Reports, and fails on any of:

- circles between modules anywhere in `aid/` (`aid.shifts.notices -> aid.volunteers.service
  -> aid.shifts.signups -> aid.shifts.notices`), which covers those inside one package;
- circles between packages (`aid.admin -> aid.auth -> aid.admin`: each package uses a module
  of the other, with no module circle);
- names with a leading underscore imported from, or read off a module of, another package;
- imports of aid modules inside functions with no comment saying why: a comment on the
  import's line, or on a line of the function above it (one comment may speak for the
  imports below it). Placed at the top, an import shows what a module depends on; inside a
  function it is the exception (the app factory loads features only when it builds an app).

Run: `python -m tests.import_circles [--verbose]` (--verbose lists every import inside a
function, commented or not).
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP = "aid"


@dataclass
class Module:
    name: str
    path: Path
    is_package: bool
    imports: dict[str, int] = field(default_factory=dict)  # target module -> first line
    private: list[str] = field(default_factory=list)
    inside_functions: list[int] = field(default_factory=list)
    uncommented: list[int] = field(default_factory=list)  # inside functions, no reason given


def discover(root: Path) -> dict[str, Module]:
    modules = {}
    for path in sorted((root / TOP).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        name = ".".join(parts)
        modules[name] = Module(name, path, is_package)
    return modules


def package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(node: ast.AST, in_function: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    """Every node with whether it sits inside a function, skipping TYPE_CHECKING blocks."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for orelse in child.orelse:
                yield orelse, in_function
                yield from _walk(orelse, in_function)
            continue
        inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef |
                                          ast.Lambda)
        yield child, in_function
        yield from _walk(child, inner)


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.name.split(".")
    if not module.is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _comment_lines(source: str) -> set[int]:
    return {token.start[0] for token in tokenize.generate_tokens(io.StringIO(source).readline)
            if token.type == tokenize.COMMENT}


def _uncommented(tree: ast.AST, source: str, lines: list[int]) -> list[int]:
    """The import lines (inside functions) with no comment on them or above them in their
    function."""
    comments = _comment_lines(source)
    starts = [(node.lineno, node.end_lineno or node.lineno) for node in ast.walk(tree)
              if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    found = []
    for line in lines:
        start = max((a for a, b in starts if a <= line <= b), default=line)
        if not any(start <= n <= line for n in comments):
            found.append(line)
    return found


def scan(module: Module, modules: dict[str, Module]) -> None:
    text = module.path.read_text(encoding="utf-8")
    tree = ast.parse(text, str(module.path))
    own = package_of(module.name)
    module_aliases: dict[str, str] = {}  # local name -> module of another package

    def edge(target: str, line: int) -> None:
        if target != module.name and target in modules:
            module.imports.setdefault(target, line)

    for node, in_function in _walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != TOP:
                    continue
                edge(alias.name, node.lineno)
                if in_function:
                    module.inside_functions.append(node.lineno)
                if alias.asname and package_of(alias.name) != own:
                    module_aliases[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node)
            if source.split(".")[0] != TOP:
                continue
            if in_function:
                module.inside_functions.append(node.lineno)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in modules:
                    edge(submodule, node.lineno)
                    if package_of(submodule) != own:
                        module_aliases[alias.asname or alias.name] = submodule
                    continue
                edge(source, node.lineno)
                if alias.name.startswith("_") and package_of(source) != own:
                    module.private.append(f"{module.name}:{node.lineno} imports "
                                          f"{source}.{alias.name}")
    module.uncommented = _uncommented(tree, text, sorted(set(module.inside_functions)))
    for node, _ in _walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in module_aliases and node.attr.startswith("_")
                and not node.attr.startswith("__")):
            module.private.append(f"{module.name}:{node.lineno} reads "
                                  f"{module_aliases[node.value.id]}.{node.attr}")


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; only components that form a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in graph.get(node, ()):
                        found.append(sorted(component))
    return found


def one_cycle(graph: dict[str, set[str]], component: Iterable[str]) -> list[str]:
    """A shortest circle through the component's first member, for the message."""
    members = set(component)
    start = min(members)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph.get(node, ())):
            if child == start:
                return paths[node] + [start]
            if child in members and child not in paths:
                paths[child] = paths[node] + [child]
                queue.append(child)
    return [start]


def _describe(graph: dict[str, set[str]], component: list[str]) -> str:
    circle = " -> ".join(one_cycle(graph, component))
    if len(component) <= 2:
        return circle
    return f"{circle} (one of the circles among {len(component)}: {', '.join(component)})"


def analyse(root: Path = ROOT) -> dict[str, list[str]]:
    """Each finding by kind, a circle written as `a -> b -> a`."""
    modules = discover(root)
    for module in modules.values():
        scan(module, modules)
    packages: dict[str, set[str]] = defaultdict(set)
    graph: dict[str, set[str]] = {}
    for module in modules.values():
        own = package_of(module.name)
        packages[own]
        # A package's __init__ gathers its submodules (a blueprint registers its views); a
        # submodule may use what the __init__ defines.
        graph[module.name] = {t for t in module.imports
                              if not (module.is_package and t.startswith(module.name + "."))}
        packages[own].update(package_of(t) for t in module.imports if package_of(t) != own)
    package_circles = strongly_connected(packages)
    return {
        "module_circles": [_describe(graph, c) for c in strongly_connected(graph)],
        "package_circles": [_describe(packages, c) for c in package_circles],
        "private_imports": [line for module in modules.values() for line in module.private],
        "imports_in_functions": [f"{module.name}:{line}" for module in modules.values()
                                 for line in module.inside_functions],
        "uncommented_imports_in_functions": [f"{module.name}:{line}"
                                             for module in modules.values()
                                             for line in module.uncommented],
    }


FAILING = ("module_circles", "package_circles", "private_imports",
           "uncommented_imports_in_functions")
TITLES = {
    "module_circles": "import circles between modules",
    "package_circles": "import circles between packages",
    "private_imports": "private names imported across packages",
    "uncommented_imports_in_functions": "imports inside functions with no comment saying why",
    "imports_in_functions": "imports of aid modules inside functions",
}


def main(argv: list[str]) -> int:
    found = analyse()
    for kind, title in TITLES.items():
        print(f"{len(found[kind])} {title}")
        if kind != "imports_in_functions" or "--verbose" in argv:
            for line in found[kind]:
                print(f"  {line}")
    return 1 if any(found[kind] for kind in FAILING) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
