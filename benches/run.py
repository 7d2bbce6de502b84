"""Runs every benchmark against one `paystar-mock` process and writes BENCHMARKS.md.

    make bench                      # full size: 2,000 sequential, 20,000 concurrent (64 in flight)
    make bench BENCH_SIZE=tiny      # what CI runs: they work; the numbers are not judged
    make bench-https                # only the HTTPS and cold-start runs (target/bench/HTTPS.md)
    python benches/run.py --from target/bench/results-full.json   # rewrite the Markdown only

Each language's program (benches/bench.py, benches/bench.js, examples/rust-demo's `bench`,
examples/kotlin-server's Bench.kt) prints one JSON line per client; this starts a fresh mock
for each, measures the loopback ceiling with `wrk` (Debian package) against the same mock, and
writes the tables, the ratios against the fastest peer, the machine and the date. Commands
come from the environment (the Makefile sets them): PAYSTAR_MOCK_BIN, RUST_BENCH, PYTHON,
NODE, JAVA_BENCH, JAVA_COLD (shell commands).

Over HTTPS (`--https`, part of `make bench`) the same programs run against `paystar-mock --tls`
(HTTP/2 for the clients that ask for it) and `--tls --http1` (HTTP/1.1 for every client), each
client trusting the mock's CA (`PAYSTAR_BENCH_CA`). Cold start: a fresh process per run
(benches/cold.py, cold.js, the Rust bench's `--cold`, examples/kotlin-server's Cold.kt) imports
the library, builds a client and makes one call over HTTPS (HTTP/2 where the client has it);
wall time from the fork to its exit and its peak RSS (`VmHWM`, printed by the program), median of
20 runs, clients taking turns.
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
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PATH = "/integrations/embedded/initiate-manage-wallet"
SIZES = {
    "full": {
        "PAYSTAR_BENCH_FIRST": "20",
        "cold_runs": "20",
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
        "PAYSTAR_BENCH_FIRST": "2",
        "cold_runs": "2",
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


# The HTTPS runs: the mock's flags and what the protocol column says.
HTTPS_MODES = {
    "h1": (["--tls", "--http1"], "HTTPS, HTTP/1.1 (the mock offers nothing else)"),
    "h2": (["--tls"], "HTTPS, HTTP/2 for the clients that ask for it (ALPN)"),
}
CA_FILE = ROOT / "target" / "bench" / "mock-ca.pem"


class Mock:
    """A fresh paystar-mock process (faults off), stopped by closing its stdin. With `tls`
    flags it serves HTTPS and writes its CA to CA_FILE."""

    def __init__(self, latency_ms: int = 0, tls: list[str] | None = None) -> None:
        binary = os.environ.get("PAYSTAR_MOCK_BIN", str(ROOT / "target/release/paystar-mock"))
        CA_FILE.parent.mkdir(parents=True, exist_ok=True)
        self.ca = str(CA_FILE) if tls else None
        self.proc = subprocess.Popen(
            [binary, "--max-recorded", "1", "--max-sessions", "1000000"]
            + (["--latency-ms", str(latency_ms)] if latency_ms else [])
            + ([*tls, "--ca-out", str(CA_FILE)] if tls else []),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("https://" if tls else "http://"):
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


def bench_env(mock: Mock, size: dict[str, str]) -> dict[str, str]:
    """The programs' environment: sizes, the mock's URL and, over HTTPS, its CA (also as
    NODE_EXTRA_CA_CERTS, the only way to make Node's built-in fetch trust it)."""
    env = {
        **os.environ,
        **{k: v for k, v in size.items() if k.startswith("PAYSTAR_")},
        "PAYSTAR_BENCH_URL": mock.url,
    }
    if mock.ca:
        env |= {"PAYSTAR_BENCH_CA": mock.ca, "NODE_EXTRA_CA_CERTS": mock.ca}
        # Fewer concurrent calls over HTTPS (the slowest peers take minutes at full size).
        env["PAYSTAR_BENCH_CONC"] = str(max(int(size["PAYSTAR_BENCH_CONC"]) // 4, 1))
    return env


def run_language(
    name: str,
    command: list[str],
    size: dict[str, str],
    latency_ms: int = 0,
    tls: list[str] | None = None,
) -> list[dict[str, Any]]:
    with Mock(latency_ms, tls) as mock:
        env = bench_env(mock, size) | {"PAYSTAR_LATENCY_MS": str(latency_ms)}
        print(f"==> {name}: {' '.join(command)}", file=sys.stderr, flush=True)
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"{name} benchmark failed")
        return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def one_process(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Runs `command` to its exit: wall seconds from the fork to the reaping, and its peak RSS
    (MB) as the program prints it last (`VmHWM:`, its own image's high-water mark: the kernel's
    rusage of a child starts at its parent's resident size at the fork, here this script's)."""
    t = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t
    peak = re.search(r"^VmHWM:\s+(\d+)\s+kB", done.stdout, re.MULTILINE)
    if done.returncode != 0 or "https://" not in done.stdout or not peak:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"cold start failed: {' '.join(command)}")
    return wall, int(peak.group(1)) / 1024


def cold_starts(
    programs: dict[str, list[tuple[str, list[str]]]], size: dict[str, str]
) -> list[dict[str, Any]]:
    """Each program, a fresh process per run, against one HTTPS mock (HTTP/2 offered): one
    untimed run each (the page cache), then `cold_runs` rounds with the clients taking turns."""
    runs = int(size["cold_runs"])
    rows: list[dict[str, Any]] = []
    with Mock(tls=HTTPS_MODES["h2"][0]) as mock:
        env = bench_env(mock, size)
        for lang, clients in programs.items():
            print(f"==> {lang} (cold start)", file=sys.stderr, flush=True)
            samples: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in clients}
            for _, command in clients:
                one_process(command, env)
            for _ in range(runs):
                for name, command in clients:
                    samples[name].append(one_process(command, env))
            for name, got in samples.items():
                walls = sorted(w * 1000 for w, _ in got)
                rss = sorted(r for _, r in got)
                rows.append(
                    {
                        "language": lang,
                        "client": name,
                        "kind": "paystar" if name.lower().startswith("paystar") else "peer",
                        "wall_ms": {
                            "median": walls[len(walls) // 2],
                            "min": walls[0],
                            "max": walls[-1],
                        },
                        "rss_mb": rss[len(rss) // 2],
                        "runs": runs,
                    }
                )
    return rows


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
        "| client | | sequential median | p99 | concurrent | in flight as | new client | its first call |",
        "|---|---|---:|---:|---:|---|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r['client']} | {r['kind']} | {fmt(r['sequential']['median_us'], ' µs')} | "
            f"{fmt(r['sequential']['p99_us'], ' µs')} | {fmt(r['concurrent']['calls_per_s'], '/s')} | "
            f"{r.get('concurrency', 'tasks')} | {fmt(r.get('new_client_us'), ' µs')} | "
            f"{fmt(r.get('first_call_us'), ' µs')} |"
        )
    if ceiling:
        out.append(
            f"| wrk (ceiling) | | {fmt(ceiling['seq']['median_us'], ' µs')} | | {fmt(ceiling['conc']['calls_per_s'], '/s')} | 64 connections | | |"
        )
    return out


def warm_up_notes(rows: list[dict[str, Any]]) -> list[str]:
    """The `warm_up()` rows: the first call after it, and its own time."""
    return [
        f"`{w['client']}` with `{w.get('method', 'warm_up()')}` before its first call: the warm-up "
        f"{fmt(w['warm_up_us'], ' µs')}, then the first call {fmt(w['first_call_us'], ' µs')} "
        "(medians of new clients; without it, the first call is the column above)."
        for r in rows
        if (w := r.get("warm_up"))
    ]


def ratio_line(lang: str, rows: list[dict[str, Any]]) -> tuple[str, str, str]:
    """paystar / fastest peer: sequential median, concurrency per way, first call."""
    sm = summary(lang, rows, None)
    o, p = sm["seq"]
    seq = f"{o['sequential']['median_us'] / p['sequential']['median_us']:.2f}×" if o and p else "—"
    conc = "<br>".join(
        f"{how} {mine['concurrent']['calls_per_s'] / theirs['concurrent']['calls_per_s']:.2f}×"
        for how, mine, theirs in sm["conc"]
        if mine and theirs
    )

    def firsts(kind: str) -> list[float]:
        return [r["first_call_us"] for r in rows if r["kind"] == kind and r.get("first_call_us")]

    mine, theirs = firsts("paystar"), firsts("peer")
    first = f"{min(mine) / min(theirs):.2f}×" if mine and theirs else "—"
    return seq, conc or "—", first


def https_section(https: dict[str, dict[str, list[dict[str, Any]]]]) -> list[str]:
    out = [
        "## HTTPS",
        "",
        "The same programs against `paystar-mock --tls` (its CA generated at start, trusted by every client through its own",
        "option: paystar's `ca_bundle`, reqwest's root certificate, an `ssl.SSLContext`, undici's `connect.ca` and",
        "`NODE_EXTRA_CA_CERTS` for fetch, an `SSLContext` for java.net.http and OkHttp). With `--http1` the mock offers HTTP/1.1",
        "only; without, HTTP/2 to the clients that ask for it (paystar, reqwest, httpx with `http2=True`, undici with",
        "`allowH2`, java.net.http, OkHttp; aiohttp, requests and fetch speak HTTP/1.1). A quarter of the concurrent calls;",
        "new client: building one in the warm process; its first call: TCP, TLS handshake, the call (medians).",
        "",
        "| language | protocol | sequential: paystar / fastest peer | concurrent | first call |",
        "|---|---|---:|---:|---:|",
    ]
    details: list[str] = []
    for mode, by_lang in https.items():
        label = HTTPS_MODES[mode][1]
        for lang, rows in by_lang.items():
            data = [r for r in rows if "client" in r]
            seq, conc, first = ratio_line(lang, data)
            out.append(f"| {lang} | {label} | {seq} | {conc} | {first} |")
            details += [
                "",
                f"### {lang}: {label}",
                "",
                *table(data, None),
                *(["", *warm_up_notes(rows)] if warm_up_notes(rows) else []),
            ]
    return out + details


def cold_section(rows: list[dict[str, Any]]) -> list[str]:
    runs = rows[0]["runs"] if rows else 0
    out = [
        "## Cold start",
        "",
        "A fresh process per run imports the library, builds a client and makes one call over HTTPS (HTTP/2 where the",
        "client has it) to `paystar-mock --tls`: wall time from the fork to the exit, and the process's peak RSS (`VmHWM`,",
        "which the program prints last: the kernel's rusage of a child counts its parent's memory at the fork); median of",
        f"{runs} runs (min–max beside it), the clients taking turns. benches/cold.py, cold.js, the Rust bench's `--cold`,",
        "examples/kotlin-server's Cold.kt are the programs.",
        "",
        "| language | client | wall (median) | min–max | peak RSS | wall / fastest peer |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        peers = [
            p["wall_ms"]["median"]
            for p in rows
            if p["language"] == r["language"] and p["kind"] == "peer"
        ]
        ratio = (
            f"{r['wall_ms']['median'] / min(peers):.2f}×"
            if peers and r["kind"] == "paystar"
            else ""
        )
        out.append(
            f"| {r['language']} | {r['client']} | {fmt(r['wall_ms']['median'], ' ms')} | "
            f"{fmt(r['wall_ms']['min'])}–{fmt(r['wall_ms']['max'])} ms | {r['rss_mb']:.0f} MB | {ratio} |"
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


def utc_now() -> str:
    """The time now, as the Markdown's header gives it."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def write(
    results: dict[str, list[dict[str, Any]]],
    ceiling: dict[str, dict[str, float]] | None,
    size: str,
    out: Path,
    latency: list[dict[str, Any]] | None = None,
    https: dict[str, dict[str, list[dict[str, Any]]]] | None = None,
    cold: list[dict[str, Any]] | None = None,
    measured: str | None = None,
) -> None:
    """Writes the Markdown; `measured` is when the run started (a saved run's own time)."""
    now = measured or utc_now()
    s = SIZES[size]
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` (`benches/run.py`, size `{size}`) from {now}.",
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
        if warm_up_notes(rows):
            details += ["", *warm_up_notes(rows)]
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
    if https:
        details += ["", *https_section(https)]
    if cold:
        details += ["", *cold_section(cold)]
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
    ap.add_argument("--https", default="h1,h2", help="HTTPS runs: h1, h2 (empty: none)")
    ap.add_argument(
        "--cold", default="rust,python,node,jvm", help="languages of the cold starts (empty: none)"
    )
    ap.add_argument(
        "--no-plain", action="store_true", help="skip the plain-HTTP runs and the wrk ceiling"
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
    py, node = os.environ.get("PYTHON", sys.executable), os.environ.get("NODE", "node")
    java_cold = os.environ.get("JAVA_COLD", "false")
    cold_programs: dict[str, list[tuple[str, list[str]]]] = {
        "rust": [
            (name, [commands["rust"][0], "--cold", arg])
            for name, arg in (("paystar::Client", "paystar"), ("reqwest", "reqwest"))
        ],
        "python": [
            (name, [py, "benches/cold.py", arg])
            for name, arg in (
                ("paystar.Client", "paystar"),
                ("httpx.Client", "httpx"),
                ("aiohttp", "aiohttp"),
                ("requests", "requests"),
            )
        ],
        "node": [
            (name, [node, "benches/cold.js", arg])
            for name, arg in (
                ("paystar.Client", "paystar"),
                ("undici.request", "undici"),
                ("fetch", "fetch"),
            )
        ],
        "jvm": [
            (name, ["sh", "-c", f"exec {java_cold} {arg}"])
            for name, arg in (
                ("PaystarClient", "paystar"),
                ("OkHttp", "okhttp"),
                ("java.net.http", "jdk"),
            )
        ],
    }
    saved = ROOT / "target" / "bench" / f"results-{args.size}.json"
    if args.saved:
        data = json.loads(Path(args.saved).read_text())
        ceiling, results = data["ceiling"], data["results"]
        latency = data.get("latency", [])
        https, cold = data.get("https", {}), data.get("cold", [])
        measured = data.get("measured")
    else:
        measured = utc_now()
        ceiling = None
        if args.no_plain:
            pass
        elif shutil.which("wrk"):
            with Mock() as mock:
                ceiling = {
                    "seq": wrk(mock.url, 1, size["wrk_s"]),
                    "conc": wrk(mock.url, 64, size["wrk_s"]),
                }
        else:
            print("wrk not found (apt install wrk): no ceiling row", file=sys.stderr)
        only = [lang for lang in args.only.split(",") if lang]
        results = {
            lang: run_language(lang, commands[lang], size)
            for lang in ([] if args.no_plain else only)
        }
        latency = [
            row
            for lang in args.latency.split(",")
            if lang
            for row in run_language(f"{lang} (latency)", latency_commands[lang], size, LATENCY_MS)
        ]
        https = {
            mode: {
                lang: run_language(
                    f"{lang} ({mode})", commands[lang], size, tls=HTTPS_MODES[mode][0]
                )
                for lang in only
            }
            for mode in args.https.split(",")
            if mode
        }
        cold = cold_starts(
            {lang: cold_programs[lang] for lang in args.cold.split(",") if lang}, size
        )
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(
            json.dumps(
                {
                    "ceiling": ceiling,
                    "results": results,
                    "latency": latency,
                    "https": https,
                    "cold": cold,
                    "measured": measured,
                },
                indent=1,
            )
        )
    for rows in [*results.values(), latency, cold]:
        for r in rows:
            print(json.dumps(r), file=sys.stderr)
    out = (
        Path(args.out)
        if args.out
        else (ROOT / ("BENCHMARKS.md" if args.size == "full" else "target/bench/BENCHMARKS.md"))
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    write(results, ceiling, args.size, out, latency, https, cold, measured)


if __name__ == "__main__":
    main()
