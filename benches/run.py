"""Runs every benchmark against one `paystar-mock` process and writes BENCHMARKS.md.

    make bench                      # full size: 2,000 sequential, 20,000 concurrent (64 in flight)
    make bench BENCH_SIZE=tiny      # what CI runs: they work; the numbers are not judged
    python benches/run.py --from target/bench/results-full.json   # rewrite the Markdown only

Each language's program (benches/bench.py, benches/bench.js, examples/rust-demo's `bench`,
examples/kotlin-server's Bench.kt) prints one JSON line per client; this starts a fresh mock
for each, measures the loopback ceiling with `wrk` (Debian package) against the same mock, and
writes the tables, the ratios against the fastest peer, the machine and the date. Commands
come from the environment (the Makefile sets them): PAYSTAR_MOCK_BIN, RUST_BENCH, PYTHON,
NODE, JAVA_BENCH (a shell command).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PATH = "/integrations/embedded/initiate-manage-wallet"
SIZES = {
    "full": {
        "PAYSTAR_BENCH_SEQ": "2000",
        "PAYSTAR_BENCH_CONC": "20000",
        "PAYSTAR_BENCH_INFLIGHT": "64",
        "PAYSTAR_BENCH_WARMUP": "500",
        "wrk_s": "10",
        "PAYSTAR_LATENCY_LEVELS": "100,500,1000",
        "PAYSTAR_LATENCY_ROUNDS": "20",
        "PAYSTAR_LATENCY_WARMUP": "20",
    },
    "tiny": {
        "PAYSTAR_BENCH_SEQ": "50",
        "PAYSTAR_BENCH_CONC": "400",
        "PAYSTAR_BENCH_INFLIGHT": "8",
        "PAYSTAR_BENCH_WARMUP": "10",
        "wrk_s": "1",
        "PAYSTAR_LATENCY_LEVELS": "10,20",
        "PAYSTAR_LATENCY_ROUNDS": "2",
        "PAYSTAR_LATENCY_WARMUP": "1",
    },
}


class Mock:
    """A fresh paystar-mock process (faults off), stopped by closing its stdin."""

    def __init__(self, latency_ms: int = 0) -> None:
        binary = os.environ.get("PAYSTAR_MOCK_BIN", str(ROOT / "target/release/paystar-mock"))
        self.proc = subprocess.Popen(
            [binary, "--max-recorded", "1", "--max-sessions", "1000000"]
            + (["--latency-ms", str(latency_ms)] if latency_ms else []),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            sys.exit("paystar-mock did not start")

    def __enter__(self) -> Mock:  # noqa: PYI034 (Mock is never subclassed)
        return self

    def __exit__(self, *_: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def wrk(url: str, connections: int, seconds: str) -> dict[str, float]:
    """wrk's requests/s and median latency (µs) for the same POST."""
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(connections, 2)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(ROOT / "benches/post.lua"),
            url + PATH,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    m = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 1.0, "ms": 1e3, "s": 1e6}
    median = float(m.group(1)) * scale[m.group(2)] if m else float("nan")
    return {"calls_per_s": rps, "median_us": median}


LATENCY_MS = 50


def run_language(
    name: str, command: list[str], size: dict[str, str], latency_ms: int = 0
) -> list[dict[str, Any]]:
    with Mock(latency_ms) as mock:
        env = {
            **os.environ,
            **{k: v for k, v in size.items() if k.startswith("PAYSTAR_")},
            "PAYSTAR_BENCH_URL": mock.url,
            "PAYSTAR_LATENCY_MS": str(latency_ms),
        }
        print(f"==> {name}: {' '.join(command)}", file=sys.stderr, flush=True)
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"{name} benchmark failed")
        return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def version(cmd: list[str]) -> str:
    try:
        out = (
            subprocess.run(cmd, capture_output=True, text=True).stdout
            + subprocess.run(cmd, capture_output=True, text=True).stderr
        )
        return out.strip().splitlines()[0]
    except (OSError, IndexError):
        return "?"


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    mem = next(
        (
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "0",
    )
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {int(mem) // 1024 // 1024} GiB, Linux {platform.release()}; "
        f"{version(['rustc', '--version'])}; Python {platform.python_version()}; Node {version(['node', '--version'])}; "
        f"{version(['java', '-version'])}; {version(['wrk', '--version'])}"
    )


def fmt(v: float | None, unit: str = "") -> str:
    if v is None:
        return "—"
    return f"{v:,.0f}{unit}" if v >= 100 else f"{v:,.1f}{unit}"


def table(rows: list[dict[str, Any]], ceiling: dict[str, dict[str, float]] | None) -> list[str]:
    out = [
        "| client | | sequential median | p99 | concurrent | in flight as |",
        "|---|---|---:|---:|---:|---|",
    ]
    for r in rows:
        out.append(
            f"| {r['client']} | {r['kind']} | {fmt(r['sequential']['median_us'], ' µs')} | "
            f"{fmt(r['sequential']['p99_us'], ' µs')} | {fmt(r['concurrent']['calls_per_s'], '/s')} | "
            f"{r.get('concurrency', 'tasks')} |"
        )
    if ceiling:
        out.append(
            f"| wrk (ceiling) | | {fmt(ceiling['seq']['median_us'], ' µs')} | | {fmt(ceiling['conc']['calls_per_s'], '/s')} | 64 connections |"
        )
    return out


def summary(
    lang: str, rows: list[dict[str, Any]], ceiling: dict[str, dict[str, float]] | None
) -> dict[str, Any]:
    ours = [r for r in rows if r["kind"] == "paystar"]
    peers = [r for r in rows if r["kind"] == "peer"]
    best = lambda rs, key, pick: pick(rs, key=key) if rs else None  # noqa: E731
    seq_key = lambda r: r["sequential"]["median_us"]  # noqa: E731
    conc_key = lambda r: r["concurrent"]["calls_per_s"]  # noqa: E731
    o_seq, p_seq = best(ours, seq_key, min), best(peers, seq_key, min)
    line: dict[str, Any] = {"language": lang, "seq": (o_seq, p_seq), "conc": []}
    # Concurrency is compared within one way of being in flight (asyncio with asyncio, threads
    # with threads), each paystar variant with the fastest peer of its kind.
    for how in sorted({r.get("concurrency", "tasks") for r in ours}):
        mine = [r for r in ours if r.get("concurrency", "tasks") == how]
        theirs = [r for r in peers if r.get("concurrency", "tasks") in (how, "tasks")] or peers
        if how == "coroutines":
            theirs = peers
        line["conc"].append((how, best(mine, conc_key, max), best(theirs, conc_key, max)))
    line["ceiling"] = ceiling
    return line


def latency_section(rows: list[dict[str, Any]], size: str) -> list[str]:
    """The latency table: calls/s against the ideal (in flight / latency) per client."""
    s = SIZES[size]
    out = [
        f"## Latency: a gateway {LATENCY_MS} ms away",
        "",
        f"The same call against a `paystar-mock --latency-ms {LATENCY_MS}` (a fresh one per language): N workers each make",
        f"{s['PAYSTAR_LATENCY_ROUNDS']} calls one after another, for N in {s['PAYSTAR_LATENCY_LEVELS']}. paystar runs with `max_in_flight` = N.",
        "The ideal is N / 50 ms. Connections: what the mock accepted during the run. CPU: the client process's user + system",
        "seconds (the mock runs in its own process on the same two cores). `make bench-latency` (or `make bench`) writes it;",
        "benches/latency.py, latency.js and examples/kotlin-server's LatencyBench.kt are the programs.",
        "",
        "| language | client | in flight | calls/s | of ideal | connections | CPU s | wall s | RSS MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r['language']} | {r['client']} | {r['in_flight']:,} | {fmt(r['calls_per_s'], '')} | "
            f"{100 * r['calls_per_s'] / r['ideal_per_s']:.0f} % | {r['connections']:,} | "
            f"{r['cpu_s']:.2f} | {r['wall_s']:.2f} | {r['rss_mb']:.0f} |"
        )
    return out


def write(
    results: dict[str, list[dict[str, Any]]],
    ceiling: dict[str, dict[str, float]] | None,
    size: str,
    out: Path,
    latency: list[dict[str, Any]] | None = None,
) -> None:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    s = SIZES[size]
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`benches/run.py`, size `{size}`) on {now}.",
        f"Machine: {machine()}.",
        "",
        "Every client makes the same call against the same `paystar-mock` process on loopback, faults off (a fresh one per",
        "language): POST a wallet-session request, parse the JSON answer, check `hasErrors`, take `data.SessionLink`.",
        "paystar also validates the request, applies its retry policy and builds a typed session. Sequential:",
        f"{s['PAYSTAR_BENCH_SEQ']} calls one after another after {s['PAYSTAR_BENCH_WARMUP']} warm-up calls, median and p99. Concurrent:",
        f"{s['PAYSTAR_BENCH_CONC']} calls with {s['PAYSTAR_BENCH_INFLIGHT']} in flight. {'Release builds' if size == 'full' else 'Debug builds (CI size: the numbers mean nothing)'}. The mock and the client share the machine's CPUs.",
        "",
        "## Summary: paystar against the fastest peer",
        "",
        "| language | sequential median: paystar / fastest peer | ratio (≤ 1 is the target) | concurrent: paystar / fastest peer | ratio (≥ 1 is the target) |",
        "|---|---|---:|---|---:|",
    ]
    details: list[str] = []
    for lang, rows in results.items():
        rows_data = [r for r in rows if "client" in r]
        extra = next((r for r in rows if "rss_mb" in r), {})
        sm = summary(lang, rows_data, ceiling)
        o, p = sm["seq"]
        seq_cell = (
            f"{o['client']} {fmt(o['sequential']['median_us'], ' µs')} / {p['client']} {fmt(p['sequential']['median_us'], ' µs')}"
            if o and p
            else "—"
        )
        seq_ratio = (
            f"{o['sequential']['median_us'] / p['sequential']['median_us']:.2f}×"
            if o and p
            else "—"
        )
        conc_cells, conc_ratios = [], []
        for how, mine, theirs in sm["conc"]:
            if mine and theirs:
                conc_cells.append(
                    f"{how}: {mine['client']} {fmt(mine['concurrent']['calls_per_s'], '/s')} / {theirs['client']} {fmt(theirs['concurrent']['calls_per_s'], '/s')}"
                )
                conc_ratios.append(
                    f"{how} {mine['concurrent']['calls_per_s'] / theirs['concurrent']['calls_per_s']:.2f}×"
                )
        lines.append(
            f"| {lang} | {seq_cell} | {seq_ratio} | {'<br>'.join(conc_cells)} | {'<br>'.join(conc_ratios)} |"
        )
        details += ["", f"## {lang}", "", *table(rows_data, ceiling)]
        notes = []
        if "rss_mb" in extra:
            notes.append(
                f"resident memory after the runs: {extra['rss_mb']:.1f} MB (one process, every client)"
            )
        for mod, ms in (extra.get("load_ms") or {}).items():
            notes.append(f"load `{mod}`: {ms:.1f} ms")
        if notes:
            details += ["", "; ".join(notes) + "."]
    if ceiling:
        lines += [
            "",
            f"The loopback ceiling (wrk against the same mock): sequential median {fmt(ceiling['seq']['median_us'], ' µs')}, "
            f"{fmt(ceiling['conc']['calls_per_s'], '/s')} with 64 connections.",
        ]
    if latency:
        details += ["", *latency_section(latency, size)]
    notes_file = ROOT / "benches" / "NOTES.md"
    tail = ["", notes_file.read_text().strip()] if notes_file.exists() else []
    out.write_text("\n".join(lines + details + tail) + "\n")
    print(f"wrote {out}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", choices=sorted(SIZES), default=os.environ.get("BENCH_SIZE", "full"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--only", default="rust,python,node,jvm")
    ap.add_argument(
        "--latency",
        default="python,node,jvm",
        help="languages of the latency run (empty: none)",
    )
    ap.add_argument("--from", dest="saved", help="rewrite the Markdown from a saved run's JSON")
    args = ap.parse_args()
    size = SIZES[args.size]
    commands = {
        "rust": [os.environ.get("RUST_BENCH", str(ROOT / "target/release/bench"))],
        "python": [os.environ.get("PYTHON", sys.executable), "benches/bench.py"],
        "node": [os.environ.get("NODE", "node"), "benches/bench.js"],
        "jvm": ["sh", "-c", os.environ.get("JAVA_BENCH", "false")],
    }
    latency_commands = {
        "python": [os.environ.get("PYTHON", sys.executable), "benches/latency.py"],
        "node": [os.environ.get("NODE", "node"), "benches/latency.js"],
        "jvm": ["sh", "-c", os.environ.get("JAVA_LATENCY", "false")],
    }
    saved = ROOT / "target" / "bench" / f"results-{args.size}.json"
    if args.saved:
        data = json.loads(Path(args.saved).read_text())
        ceiling, results = data["ceiling"], data["results"]
        latency = data.get("latency", [])
    else:
        ceiling = None
        if shutil.which("wrk"):
            with Mock() as mock:
                ceiling = {
                    "seq": wrk(mock.url, 1, size["wrk_s"]),
                    "conc": wrk(mock.url, 64, size["wrk_s"]),
                }
        else:
            print("wrk not found (apt install wrk): no ceiling row", file=sys.stderr)
        only = [lang for lang in args.only.split(",") if lang]
        results = {lang: run_language(lang, commands[lang], size) for lang in only}
        latency = [
            row
            for lang in args.latency.split(",")
            if lang
            for row in run_language(f"{lang} (latency)", latency_commands[lang], size, LATENCY_MS)
        ]
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(
            json.dumps({"ceiling": ceiling, "results": results, "latency": latency}, indent=1)
        )
    for rows in [*results.values(), latency]:
        for r in rows:
            print(json.dumps(r), file=sys.stderr)
    out = (
        Path(args.out)
        if args.out
        else (ROOT / ("BENCHMARKS.md" if args.size == "full" else "target/bench/BENCHMARKS.md"))
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    write(results, ceiling, args.size, out, latency)


if __name__ == "__main__":
    main()
