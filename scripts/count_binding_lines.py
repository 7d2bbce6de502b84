"""Counts the hand-written lines of each binding at a git revision (default: the working tree).

A line counts when it is not blank and not only a comment (`//`, `#`, `/*`, `*`, `*/`).
Left out: tests, build scripts, generated files (those `generated.json` lists at that revision,
napi's `native.js`/`native.d.ts`, a file whose first lines say "generated ... do not edit", and
any block between the BEGIN/END generated-block markers, which older revisions spliced into
hand files; the markers are built from parts below so this file does not carry them).

    python3 scripts/count_binding_lines.py            # the working tree
    python3 scripts/count_binding_lines.py 004455a    # a revision
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Per binding: (the Rust half, the host-language half), as path patterns.
BINDINGS = {
    "python": (r"bindings-python/src/.*\.rs", r"bindings-python/python/paystar/.*\.pyi?"),
    "node": (r"bindings-node/src/.*\.rs", r"bindings-node/(lib/)?[^/]*\.(js|mjs|d\.ts)"),
    "kotlin": (r"bindings-kotlin/src/[^/]*\.rs", r"bindings-kotlin/src/main/.*\.kt"),
}
ALWAYS_GENERATED = {"bindings-node/native.js", "bindings-node/native.d.ts"}
COMMENT = re.compile(r"^\s*(//|#|/\*|\*|\*/)")


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def files(rev: str | None) -> list[str]:
    if rev is None:
        return git("ls-files").splitlines()
    return git("ls-tree", "-r", "--name-only", rev).splitlines()


def read(rev: str | None, path: str) -> str:
    if rev is None:
        return (ROOT / path).read_text(encoding="utf-8")
    return git("show", f"{rev}:{path}")


def generated(rev: str | None, all_files: list[str]) -> set[str]:
    if "generated.json" not in all_files:
        return set(ALWAYS_GENERATED)
    manifest = json.loads(read(rev, "generated.json"))
    return {f["path"] for f in manifest["files"]} | ALWAYS_GENERATED


BEGIN_MARK = "BEGIN " + "GENERATED"
END_MARK = "END " + "GENERATED"


def count(text: str) -> int:
    head = "\n".join(text.splitlines()[:6]).lower()
    if "generated" in head and "do not edit" in head:
        return 0
    n, spliced = 0, False
    for line in text.splitlines():
        if BEGIN_MARK in line:
            spliced = True
        elif END_MARK in line:
            spliced = False
        elif not spliced and line.strip() and not COMMENT.match(line):
            n += 1
    return n


def main() -> int:
    rev = sys.argv[1] if len(sys.argv) > 1 else None
    all_files = files(rev)
    skip = generated(rev, all_files)
    print(f"hand-written lines at {rev or 'the working tree'} (tests and generated files left out)")
    for name, (rust, host) in BINDINGS.items():
        sums = []
        for pattern in (rust, host):
            paths = [
                p
                for p in all_files
                if re.fullmatch(pattern, p) and p not in skip and "/test" not in p
            ]
            sums.append(sum(count(read(rev, p)) for p in paths))
        print(f"  {name:7} rust {sums[0]:5}  host {sums[1]:5}  total {sum(sums):5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
