"""Checks that core's modules point one way (run by `make check-layers`, part of `make test`).

Every module of `core/src` sits on a layer (below); a module may use modules of its own layer
or below, never above, and no two modules may use each other (a cycle). Uses are found as
`crate::<module>` paths and `use crate::{...}` lists in non-test code (test modules and
`tests.rs` files are left out: tests may reach anywhere). Prints the module graph and exits 1
naming each upward use or cycle. Also refuses `unsafe` anywhere in core/src: core forbids it,
except that its `uniffi` feature must lower the lint to `deny` for the derives' FFI glue, so
this check keeps hand-written unsafe out of that build too.

    python3 scripts/check_layers.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "core" / "src"

# Lowest first. A module's uses must be on its layer or below.
LAYERS: list[set[str]] = [
    {"case", "retry"},  # names; the pure retry policy
    {"error"},  # the one error type and its vocabulary
    {"validate", "runtime", "telemetry"},  # rules and limits; the process's runtime; OTel names
    {"config", "models", "webhook"},  # options; requests and results; webhooks
    {"transport"},  # one HTTP attempt
    {"decode"},  # answers to results or errors
    {"client"},  # the pipeline
    {"blocking"},  # the blocking front door
    {"mock"},  # the mock gateway (feature "mock")
    {"bridge"},  # the boundary the bindings cross
    {"testing", "fuzz", "cli"},  # the harness; fuzz entry points; the `paystar` command
]
LAYER = {m: i for i, layer in enumerate(LAYERS) for m in layer}
TOP_LEVEL = re.compile(r"\bcrate::([a-z_]+)")
USE_LIST = re.compile(r"use crate::\{([^;]*)\};", re.S)


def module_of(path: Path) -> str | None:
    rel = path.relative_to(SRC)
    if rel.parts[0] in ("lib.rs", "bin"):
        return None
    return rel.parts[0].removesuffix(".rs")


def non_test_code(text: str) -> str:
    """The text before a `#[cfg(test)]` test module (test modules end files here)."""
    cut = re.search(r"#\[cfg\(test\)\]\s*mod tests\s*\{", text)
    return text[: cut.start()] if cut else text


def uses(text: str) -> set[str]:
    text = re.sub(r"//[^\n]*", "", text)  # comments (doc links) are not uses
    found = set(TOP_LEVEL.findall(text))
    for group in USE_LIST.findall(text):
        for item in re.split(r",\s*", group):
            head = item.strip().split("::")[0].strip("{ \n")
            if re.fullmatch(r"[a-z_]+", head):
                found.add(head)
    return found


def main() -> int:
    graph: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.rs")):
        module = module_of(path)
        if module is None or path.name == "tests.rs":
            continue
        text = non_test_code(path.read_text(encoding="utf-8"))
        found = {u for u in uses(text) if (SRC / u).exists() or (SRC / f"{u}.rs").exists()}
        graph.setdefault(module, set()).update(u for u in found if u != module)
    problems = []
    for path in sorted(SRC.rglob("*.rs")):
        code = re.sub(r"//[^\n]*", "", path.read_text(encoding="utf-8"))
        if re.search(r"\bunsafe\b", code):
            problems.append(f"{path.relative_to(SRC)}: `unsafe` is not written in core")
    for module, deps in sorted(graph.items()):
        if module not in LAYER:
            problems.append(f"{module}: not on any layer (add it to LAYERS)")
            continue
        for dep in sorted(deps):
            if dep not in LAYER:
                problems.append(f"{module} uses {dep}, which is not on any layer")
            elif LAYER[dep] > LAYER[module]:
                above = f"layer {LAYER[dep]}, above its {LAYER[module]}"
                problems.append(f"{module} uses {dep} ({above})")
            elif module in graph.get(dep, set()):
                problems.append(f"{module} and {dep} use each other (a cycle)")
    for i, layer in enumerate(LAYERS):
        for module in sorted(layer):
            deps = ", ".join(sorted(graph.get(module, set()))) or "-"
            print(f"{i:2} {module:10} -> {deps}")
    for p in problems:
        print(f"problem: {p}")
    print(f"core's layers: {len(graph)} modules, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
