"""Checks the repository's links (run by `make check-docs`, part of `make test`):

- every relative Markdown link in a tracked `.md` file points at a file inside the repository
  (nothing links outside it), and its `#anchor`, when given, exists there (a heading's slug or an
  `<a id>`);
- every `docs/decisions.md#id` named in the code exists, so a decision and the code that
  implements it cannot drift apart silently.

Exits 1 naming each broken link.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE_REF = re.compile(r"docs/decisions\.md#([a-z0-9-]+)((?:,? (?:and )?#[a-z0-9-]+)*)")


def tracked(suffixes: tuple[str, ...]) -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [ROOT / p for p in out.splitlines() if p.endswith(suffixes) and (ROOT / p).is_file()]


def anchors(md: Path) -> set[str]:
    text = md.read_text(encoding="utf-8")
    found = set(re.findall(r'<a id="([^"]+)"', text))
    for heading in re.findall(r"^#+ (.+)$", text, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        found.add(slug)
    return found


def main() -> int:
    problems: list[str] = []
    for md in tracked((".md",)):
        text = md.read_text(encoding="utf-8")
        # Links inside code blocks are code, not links.
        text = re.sub(r"```.*?```", "", text, flags=re.S)
        for target in LINK.findall(text):
            if re.match(r"^[a-z]+:", target):
                continue  # a public URL (sources, specifications)
            if target.startswith("#"):
                if target[1:] not in anchors(md):
                    problems.append(f"{md.relative_to(ROOT)}: no anchor {target}")
                continue
            path, _, anchor = target.partition("#")
            dest = (md.parent / path).resolve()
            if ROOT not in dest.parents and dest != ROOT:
                problems.append(f"{md.relative_to(ROOT)}: {target} is outside the repository")
            elif not dest.exists():
                problems.append(f"{md.relative_to(ROOT)}: {target} does not exist")
            elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                problems.append(f"{md.relative_to(ROOT)}: {target}: no such anchor")
    decisions = anchors(ROOT / "docs" / "decisions.md")
    for src in tracked((".rs", ".py", ".js", ".kt", ".java", ".ts")):
        if src == Path(__file__).resolve():
            continue
        for first, more in CODE_REF.findall(src.read_text(encoding="utf-8", errors="replace")):
            for anchor in [first, *re.findall(r"#([a-z0-9-]+)", more)]:
                if anchor not in decisions:
                    problems.append(
                        f"{src.relative_to(ROOT)}: docs/decisions.md#{anchor} is not a decision"
                    )
    for p in problems:
        print("BROKEN:", p)
    print(f"links checked; {len(problems)} broken")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
