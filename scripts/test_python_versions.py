"""Runs the Python suite (vectors included) and the Django example's tests on every CPython
from 3.9 to 3.13 found on this machine, from one abi3 wheel.

Usage: python scripts/test_python_versions.py WHEEL [--versions 3.9,3.10,...]

Each interpreter gets its own venv under target/pyvers/<version> with the wheel and the test
tools (pytest, pytest-timeout, Django) and runs the suite from outside the source tree, so the
installed wheel is what is tested. Interpreters are looked up in pyenv's versions, then as
`python3.X` on PATH. Fails when 3.9 or 3.13 (the range the README promises) is missing, or when
any version's run fails; prints each version's pytest summary line either way.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ("3.9", "3.13")
TOOLS = ["pytest>=8", "pytest-timeout>=2.3", "Django>=4.2,<6"]


def find(version: str) -> Path | None:
    """The interpreter for `version` (e.g. "3.9"): pyenv's newest patch, else PATH's."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = sorted(
        (
            p
            for p in pyenv.glob(f"{version}.*")
            if re.fullmatch(rf"{re.escape(version)}\.\d+", p.name)
        ),
        key=lambda p: int(p.name.rsplit(".", 1)[1]),
    )
    for candidate in [p / "bin" / f"python{version}" for p in reversed(found)]:
        if candidate.exists():
            return candidate
    on_path = shutil.which(f"python{version}")
    if on_path:
        probe = subprocess.run(
            [on_path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
        )
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return Path(on_path)
    return None


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def summary(output: str) -> str:
    """pytest's last line (`12 passed in 3.4s`), or unittest's (`Ran 10 tests` + `OK`)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in reversed(lines):
        if re.search(r"\b(passed|failed|error)\b", line) and " in " in line:
            return line.strip("= ")
    ran = [line for line in lines if line.startswith("Ran ")]
    verdict = [line for line in lines if re.match(r"(OK|FAILED)\b", line)]
    if ran:
        return f"{ran[-1]}: {verdict[-1] if verdict else '(no verdict)'}"
    return lines[-1] if lines else "(no output)"


def test_version(version: str, python: Path, wheel: Path) -> bool:
    venv = ROOT / "target" / "pyvers" / version
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PAYSTAR_REQUIRE_BROWSER", None)
    # The multi-process webhook tests (gunicorn, Redis) run once, in `make test`.
    env.pop("PAYSTAR_REQUIRE_REDIS", None)
    env["PAYSTAR_NO_BROWSER"] = "1"  # the suite per version; the browser test runs in make test
    vpy = venv / "bin" / "python"
    if not vpy.exists():
        code, out = run([str(python), "-m", "venv", str(venv)], ROOT, env)
        if code:
            print(f"  venv failed:\n{out}")
            return False
    pip = [str(vpy), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    for cmd in (pip + TOOLS, [*pip, "--force-reinstall", "--no-deps", str(wheel)]):
        code, out = run(cmd, ROOT, env)
        if code:
            print(f"  pip failed:\n{out}")
            return False
    ok = True
    # From outside the source tree (rootdir is the repository, for its pytest settings): the
    # `paystar` imported is the wheel's, never bindings-python/python.
    suite = [
        str(vpy),
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(ROOT),
        "-c",
        str(ROOT / "pyproject.toml"),
        str(ROOT / "bindings-python" / "tests"),
    ]
    code, out = run(suite, ROOT / "target", env)
    installed = run(
        [str(vpy), "-c", "import paystar; print(paystar.__file__)"], ROOT / "target", env
    )[1]
    print(f"  Python suite on {version}: {summary(out)}   (paystar from {installed.strip()})")
    if code or "site-packages" not in installed:
        print(out[-6000:])
        ok = False
    code, out = run([str(vpy), "manage.py", "test", "-v", "1"], ROOT / "examples" / "django", env)
    print(f"  Django example on {version}: {summary(out)}")
    if code:
        print(out[-6000:])
        ok = False
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path)
    parser.add_argument("--versions", default="3.9,3.10,3.11,3.12,3.13")
    args = parser.parse_args()
    results: dict[str, str] = {}
    for version in args.versions.split(","):
        python = find(version)
        if python is None:
            results[version] = "missing"
            print(f"CPython {version}: not found (pyenv or python{version} on PATH)")
            continue
        print(f"CPython {version}: {python}", flush=True)
        results[version] = "ok" if test_version(version, python, args.wheel) else "FAILED"
    print("\n" + "  ".join(f"{v}: {r}" for v, r in results.items()))
    missing = [v for v in REQUIRED if results.get(v) == "missing"]
    if missing:
        print(
            f"the README promises {REQUIRED[0]}-{REQUIRED[1]}; missing here: {', '.join(missing)}"
        )
    return 1 if missing or "FAILED" in results.values() else 0


if __name__ == "__main__":
    sys.exit(main())
