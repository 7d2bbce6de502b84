"""Checks that every release artifact carries what its ecosystem expects (run by `make
artifacts-check`, after `make dist`, `make pack-check` and the Kotlin `-Pdocs` package):

- the wheel: the README as its long description, both license files, the SPDX expression;
- the npm tarball: README.md and both license files;
- the JARs: the licenses in the main JAR's META-INF; a -sources.jar with the hand-written and the
  uniffi-generated Kotlin; a -javadoc.jar with Dokka's pages for the public API; the release
  native library (stripped);
- none of them carries the test harness (`paystar::testing`, feature `testing`): the names each
  exports (the wheel's `paystar._native` attributes, the npm addon's exports, the JAR's native
  functions) are listed, and none may be a harness name.

Prints one line per artifact and the exported names; exits 1 naming everything missing or
everything that should not be there.
"""

from __future__ import annotations

import glob
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LICENSES = ("LICENSE-MIT", "LICENSE-APACHE")
README_FIRST_LINE = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[0]


# Every harness entry point's name, in any language's spelling (snake, camel or uniffi's).
HARNESS = (
    "check_vector",
    "checkvector",
    "soak",
    "audit",
    "vector_body",
    "vectorbody",
    "check_webhook",
    "checkwebhook",
    "check_endpoint",
    "checkendpoint",
    "sample_error",
    "sampleerror",
    "request_fields",
    "requestfields",
    "typed_request",
    "vector_cases",
    "raise_sample",
)


def harness_names(names: list[str]) -> list[str]:
    return [n for n in names if any(h in n.lower() for h in HARNESS)]


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
    venv = ROOT / "target" / "dist-venv" / "bin" / "python"
    if venv.exists():  # make dist-check installed the wheel there
        listing = subprocess.run(
            [str(venv), "-c", "import json, paystar._native as n; print(json.dumps(dir(n)))"],
            capture_output=True,
            text=True,
            cwd=tempfile.gettempdir(),
        )
        names = json.loads(listing.stdout or "[]")
        print(f"  {wheel.name} paystar._native exports: {' '.join(sorted(names))}")
        for n in harness_names(names):
            problems.append(f"{wheel.name}: exports the test harness's {n}")
    else:
        problems.append(f"{wheel.name}: not installed in target/dist-venv (make dist-check)")
    return wheel.name


def check_npm(problems: list[str]) -> str:
    tgz = one("target/pack/paystar-*.tgz")
    with tarfile.open(tgz) as t:
        names = set(t.getnames())
    for f in ("README.md", *LICENSES):
        if f"package/{f}" not in names:
            problems.append(f"{tgz.name}: no {f}")
    addon = ROOT / "target" / "pack" / "app" / "node_modules" / "paystar"
    if addon.exists():  # make pack-check installed the tarball there
        listing = subprocess.run(
            [
                "node",
                "-e",
                "console.log(JSON.stringify(Object.keys(require('./bindings-node/native.js'))))",
            ],
            capture_output=True,
            text=True,
            cwd=addon,
        )
        exports = json.loads(listing.stdout or "[]")
        print(f"  {tgz.name} addon exports: {' '.join(sorted(exports))}")
        for n in harness_names(exports):
            problems.append(f"{tgz.name}: the addon exports the test harness's {n}")
    else:
        problems.append(f"{tgz.name}: not installed in target/pack/app (make pack-check)")
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
        if jar is main and "linux-x86-64/libpaystar_kotlin.so" in names:
            with tempfile.TemporaryDirectory() as d:
                lib = Path(d) / "libpaystar_kotlin.so"
                with zipfile.ZipFile(jar) as z:
                    lib.write_bytes(z.read("linux-x86-64/libpaystar_kotlin.so"))
                kind = subprocess.run(["file", "-b", str(lib)], capture_output=True, text=True)
                symbols = subprocess.run(
                    ["nm", "-D", "--defined-only", str(lib)], capture_output=True, text=True
                ).stdout.split()
            functions = sorted(
                s.removeprefix("uniffi_paystar_kotlin_fn_")
                for s in symbols
                if s.startswith("uniffi_paystar_kotlin_fn_")
            )
            print(f"  {jar.name} native functions ({len(functions)}): {' '.join(functions)}")
            print(f"  {jar.name} native library: {kind.stdout.strip()}")
            if "stripped" not in kind.stdout or "not stripped" in kind.stdout:
                problems.append(f"{jar.name}: the native library is not the stripped release build")
            for n in harness_names(functions):
                problems.append(f"{jar.name}: the native library exports the test harness's {n}")
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
