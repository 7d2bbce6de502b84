"""Checks that every release artifact carries what its ecosystem expects (run by `make
artifacts-check`, after `make dist`, `make pack-check` and the Kotlin `-Pdocs` package):

- the wheel: the README as its long description, both license files, the SPDX expression;
- the npm tarball: README.md and both license files;
- the JARs: the licenses in the main JAR's META-INF; a -sources.jar with the hand-written and the
  uniffi-generated Kotlin; a -javadoc.jar with Dokka's pages for the public API.

Prints one line per artifact; exits 1 naming everything missing.
"""

from __future__ import annotations

import glob
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LICENSES = ("LICENSE-MIT", "LICENSE-APACHE")
README_FIRST_LINE = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[0]


def one(pattern: str) -> Path:
    found = sorted(glob.glob(str(ROOT / pattern)))
    if len(found) != 1:
        raise SystemExit(f"expected one {pattern}, found {found}")
    return Path(found[0])


def check_wheel(problems: list[str]) -> str:
    wheel = one("dist/paystar-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = z.read(meta_name).decode()
    for lic in LICENSES:
        if not any(n.endswith(f".dist-info/licenses/{lic}") for n in names):
            problems.append(f"{wheel.name}: no {lic} in .dist-info/licenses/")
    if "License-Expression: MIT OR Apache-2.0" not in meta:
        problems.append(f"{wheel.name}: METADATA lacks License-Expression: MIT OR Apache-2.0")
    if README_FIRST_LINE not in meta or "Description-Content-Type: text/markdown" not in meta:
        problems.append(f"{wheel.name}: METADATA does not carry README.md as its description")
    return wheel.name


def check_npm(problems: list[str]) -> str:
    tgz = one("target/pack/paystar-*.tgz")
    with tarfile.open(tgz) as t:
        names = set(t.getnames())
    for f in ("README.md", *LICENSES):
        if f"package/{f}" not in names:
            problems.append(f"{tgz.name}: no {f}")
    return tgz.name


def check_jars(problems: list[str]) -> str:
    target = ROOT / "bindings-kotlin" / "target"
    main, sources, javadoc = (
        target / f"paystar-0.1.0{suffix}.jar" for suffix in ("", "-sources", "-javadoc")
    )
    wants = {
        main: [f"META-INF/{lic}" for lic in LICENSES]
        + ["linux-x86-64/libpaystar_kotlin.so", "io/paystar/PaystarClient.class"],
        sources: ["io/paystar/PaystarClient.kt", "io/paystar/ffi/paystar_kotlin.kt"],
        javadoc: ["index.html", "io/paystar/PaystarClient.html"],
    }
    for jar, paths in wants.items():
        if not jar.exists():
            problems.append(f"{jar.name}: missing (mvn -Pdocs package builds it)")
            continue
        with zipfile.ZipFile(jar) as z:
            names = set(z.namelist())
        for p in paths:
            if p not in names:
                problems.append(f"{jar.name}: no {p}")
        if jar is sources and any(n.endswith(".so") for n in names):
            problems.append(f"{jar.name}: carries the native library")
    return ", ".join(j.name for j in wants)


def main() -> int:
    problems: list[str] = []
    for check in (check_wheel, check_npm, check_jars):
        print("checked", check(problems))
    for p in problems:
        print("MISSING:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
