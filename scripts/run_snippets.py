#!/usr/bin/env python3
"""Runs every code snippet in README.md and docs/*.md, in its language, against the mock.

Each fenced block is one snippet. Its info string is the language, then optional attributes:

    ```python prelude=client        hidden setup put before the snippet (PRELUDES below)
    ```js esm                       Node: run as an ES module (default: CommonJS)
    ```sh skip="why"                not run: the reason is printed (and must be given)
    ```python excerpt=path/to/file  an excerpt of a file the tests run: every line of the
                                    snippet must appear in that file, in order
    ```sh replay=checkout port=8000 pay=/pay/ paid=/paid/
                                    commands that start an example site: run from the root in
                                    a shell without PAYSTAR_* variables, then driven as a
                                    browser would (pay, the mock's Pay button, "Payment received")
    ```sh replay=terminals port=8000  `# terminal 1` (a server, in the background until the port
                                    answers) then `# terminal 2` (must exit 0)

How each language runs (`make check-snippets`, part of `make test`):
    python       the project's .venv (the extension built by `make python`)
    js           node, as CommonJS (or ESM with `esm`), `paystar` resolved to this checkout
    java         single-file launch (`java -cp <the JAR and its dependencies> Snippet.java`);
                 statements without a class are put in a `main`
    kotlin       compiled together with Maven (scripts/snippets/pom.xml), then each run;
                 statements without `fun main` are put in `fun main() = runBlocking { }`
    rust         doc tests: core/src/lib.rs includes the file (`cargo test --doc`); this
                 script checks that it does and runs them
    sh           bash -euo pipefail, with target/debug (the `paystar` command) first on PATH
    xml, toml, json   parsed
    html         parsed, and each inline script's syntax checked by node
    text         output shown to the reader: not code

Every run sees the environment a tester would set by hand, as the docs say:
PAYSTAR_BASE_URL and PAYSTAR_API_KEY of a `paystar mock` started here (every client reads
them), PAYSTAR_WEBHOOK_SECRET(S)=whsk_dev, and REDIS_URL when redis-server is installed.

Usage: scripts/run_snippets.py [--lang LANG] [FILE ...]   (from the repository root)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import tomllib

ROOT = Path(__file__).resolve().parent.parent
VPY = ROOT / ".venv/bin/python"
WORK = ROOT / "target/snippets"
TIMEOUT = 120
SECRET = "whsk_dev"

# Hidden setup, by name: what the surrounding prose has already introduced (a `client`).
PRELUDES: dict[str, dict[str, str]] = {
    "client": {
        "python": "import paystar\nclient = paystar.Client()\n",
        "js": "import { Client } from 'paystar';\nconst client = new Client();\n",
        "kotlin": "val client = PaystarClient(PaystarConfig())\n",
    },
    # A delivery as an endpoint would have logged it, and the secret it was signed with.
    "captured-delivery": {
        "sh": textwrap.dedent(
            """\
            printf '%s' "$PAYSTAR_WEBHOOK_SECRET" > secret.txt
            printf '%s' '{"action":"Payment.Succeeded","payload":' > body.json
            printf '%s' '{"sessionIdentifier":"ps_1","amount":"150.00"}}' >> body.json
            "$SNIPPET_PYTHON" - > headers.txt <<'PY'
            import os
            from paystar.webhooks import sign
            secret = os.environ["PAYSTAR_WEBHOOK_SECRET"]
            h = sign(open("body.json", "rb").read(), "hmac_sha256", secret,
                     timestamp_header="X-Paystar-Timestamp", timestamp=1764840000)
            print("\\n".join(f"{k}: {v}" for k, v in h.items()))
            PY
            """
        ),
    },
    # A test's gateway and session, and an endpoint on :8000 (`paystar webhooks listen`, which
    # handles each event once as the framework helpers do) for the mock to deliver to.
    "mock-and-endpoint": {
        "python": textwrap.dedent(
            """\
            import atexit, os, subprocess
            from paystar.testing import MockGateway, client_for
            listener = subprocess.Popen(
                ["paystar", "webhooks", "listen", "--port", "8000", "--scheme", "hmac_sha256",
                 "--secret", os.environ["PAYSTAR_WEBHOOK_SECRET"],
                 "--timestamp-header", "X-Paystar-Timestamp"],
                stdout=subprocess.PIPE, text=True)
            atexit.register(listener.terminate)
            assert listener.stdout is not None and listener.stdout.readline()   # listening
            gateway = MockGateway()
            session = client_for(gateway).create_payment_session(
                business_unit_slug="acme-utilities", channel="QuickPay",
                charges=[{"amount": 15000, "description": "bill"}])
            """
        ),
    },
    # An Express app and the function a webhook handler records payments with.
    "express-app": {
        "js": textwrap.dedent(
            """\
            import express from 'express';
            const app = express();
            const recorded = [];
            async function recordPayment(key, cents) { recorded.push([key, cents]); }
            """
        ),
    },
    # What a JVM server's handler has in hand: the secrets, a delivery, a place to record.
    "kotlin-webhook": {
        "kotlin": textwrap.dedent(
            """\
            val secrets = listOf(System.getenv("PAYSTAR_WEBHOOK_SECRET"))
            val redisUrl = System.getenv("REDIS_URL")
            val reference = "R${System.nanoTime()}"
            val delivery = ("{\\"action\\":\\"Payment.Succeeded\\",\\"payload\\":" +
                "{\\"sessionIdentifier\\":\\"ps_1\\",\\"referenceNumber\\":\\"$reference\\"," +
                "\\"amount\\":\\"150.00\\"}}").toByteArray()
            val headers = Webhooks.sign(delivery, WebhookScheme.HMAC_SHA256, secrets[0],
                header = "X-Paystar-Signature", timestampHeader = "X-Paystar-Timestamp")
                .mapValues { listOf(it.value) }
            val requestBodyStream = java.io.ByteArrayInputStream(delivery)
            val payments = object {
                val recorded = mutableListOf<Long?>()
                fun record(key: String, cents: Long?) { recorded += cents }
            }
            fun respond(status: Int, body: String) {
                check(status == 204 && payments.recorded == listOf(15000L)) { "$status $body" }
                println("answered $status; recorded ${payments.recorded}")
            }
            """
        ),
    },
    # A Django project in one file: settings, the Payment model the examples record into, a
    # template, and a signed-in user; `after` below calls the views the snippet defines.
    "django": {
        "python": textwrap.dedent(
            """\
            import os
            import django
            from django.conf import settings
            settings.configure(
                DEBUG=True, SECRET_KEY="snippets", ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__,
                INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
                DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
                TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates",
                            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", {
                                "pay.html": '{% if loader %}<script src="{{ loader }}">'
                                            '</script>{% endif %}<a href="{{ url }}">Pay</a>'})]}}],
                PAYSTAR_WEBHOOK={"scheme": "hmac_sha256",
                                 "secrets": os.environ["PAYSTAR_WEBHOOK_SECRETS"].split(",")},
                LOGIN_URL="/login/",
            )
            django.setup()
            from django.db import connection, models
            class Payment(models.Model):
                idempotency_key = models.CharField(max_length=200, unique=True)
                amount_cents = models.BigIntegerField()
                class Meta:
                    app_label = "billing"
            with connection.schema_editor() as editor:
                editor.create_model(Payment)
            urlpatterns: list[object] = []
            """
        ),
    },
}

# Hidden checks after a snippet: they call what the snippet defined, so a snippet that
# defines a broken view fails here.
AFTERS: dict[str, dict[str, str]] = {
    "django-pay-view": {
        "python": textwrap.dedent(
            """\
            from django.contrib.auth.models import AnonymousUser, User
            from django.test import RequestFactory
            from django.core.management import call_command
            call_command("migrate", run_syncdb=True, verbosity=0)
            request = RequestFactory().get("/pay/")
            request.user = User.objects.create_user("jane", "jane@example.com")
            response = pay(request)
            assert response.status_code == 200, response
            assert b"/session/" in response.content and b'src="None"' not in response.content
            request.user = AnonymousUser()
            response = pay(request)
            assert response.status_code == 302, response   # to the login page, no 500
            print("pay view: 200 with the session URL; a signed-out user is sent to log in")
            """
        ),
    },
    "express-pay": {
        "js": textwrap.dedent(
            """\
            (async () => {
              for (let i = 0; ; i++) {
                try {
                  const page = await (await fetch('http://127.0.0.1:3000/pay')).text();
                  if (!page.includes('/session/')) throw new Error(`no session URL in ${page}`);
                  console.log('GET /pay: a page with the session URL');
                  process.exit(0);
                } catch (e) {
                  if (i > 100 || !String(e.cause?.code).includes('ECONNREFUSED')) throw e;
                  await new Promise((r) => setTimeout(r, 50));
                }
              }
            })().catch((e) => { console.error(e); process.exit(1); });
            """
        ),
    },
    "call-tests": {
        "python": textwrap.dedent(
            """\
            for _name, _test in list(globals().items()):
                if _name.startswith("test_") and callable(_test):
                    _test()
                    print(f"{_name}: passed")
            """
        ),
    },
    "express-webhook": {
        "js": textwrap.dedent(
            """\
            const server = app.listen(0);
            await new Promise((resolve) => server.once('listening', resolve));
            const body = JSON.stringify({ action: 'Payment.Succeeded', payload: {
              sessionIdentifier: 'ps_1', referenceNumber: `R${Date.now()}`, amount: '150.00' } });
            const signed = webhooks.sign(body, { scheme: 'hmac_sha256',
              secret: process.env.PAYSTAR_WEBHOOK_SECRET, header: 'X-Paystar-Signature',
              timestampHeader: 'X-Paystar-Timestamp' });
            const statuses = [];
            for (let i = 0; i < 2; i++) {
              const r = await fetch(`http://127.0.0.1:${server.address().port}/paystar/webhook`, {
                method: 'POST', headers: { ...signed, 'content-type': 'application/json' }, body });
              statuses.push(r.status);
            }
            if (String(statuses) !== '204,200' || recorded.length !== 1) {
              throw new Error(`answers ${statuses}, recorded ${JSON.stringify(recorded)}`);
            }
            console.log('204, then 200 for the redelivery; recorded once:', recorded);
            process.exit(0);
            """
        ),
    },
    "django-webhook-view": {
        "python": textwrap.dedent(
            """\
            import json
            from django.test import RequestFactory
            from paystar.webhooks import sign
            body = json.dumps({"action": "Payment.Succeeded", "payload": {
                "sessionIdentifier": "ps_1", "referenceNumber": "R1", "amount": "150.00"}}).encode()
            headers = sign(body, "hmac_sha256", os.environ["PAYSTAR_WEBHOOK_SECRET"])
            meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
            for expected in (204, 200):
                request = RequestFactory().post("/paystar/webhook/", body,
                                                content_type="application/json", **meta)
                response = paystar_webhook(request)
                assert response.status_code == expected, (response.status_code, response.content)
            assert Payment.objects.get().amount_cents == 15000
            print("webhook view: 204, then 200 for the redelivery; one Payment of 15000 cents")
            """
        ),
    },
}


@dataclass
class Snippet:
    """One fenced block."""

    path: Path
    line: int
    lang: str
    attrs: dict[str, str]
    code: str
    results: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def parse(path: Path) -> list[Snippet]:
    """The fenced blocks of a Markdown file, with their info strings."""
    snippets: list[Snippet] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)(`{3,})(.*)$", lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m.group(1), m.group(2), m.group(3).strip()
        start = i + 1
        body: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1
        words = shlex.split(info) if info else []
        lang = words[0] if words else ""
        attrs: dict[str, str] = {}
        for w in words[1:]:
            key, _, value = w.partition("=")
            attrs[key] = value
        snippets.append(Snippet(path, start, lang, attrs, "\n".join(body) + "\n"))
    return snippets


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Runner:
    def __init__(self) -> None:
        self.failed = 0
        self.procs: list[subprocess.Popen[str]] = []
        self.env = dict(os.environ)

    def start_services(self) -> None:
        paystar = ROOT / "target/debug/paystar"
        mock = subprocess.Popen(
            [str(paystar), "--json", "mock", "--until-stdin-closes"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.procs.append(mock)
        assert mock.stdout is not None
        started = json.loads(mock.stdout.readline())
        self.env.update(
            PAYSTAR_BASE_URL=started["url"],
            PAYSTAR_API_KEY=started["api_key"],
            PAYSTAR_WEBHOOK_SECRET=SECRET,
            PAYSTAR_WEBHOOK_SECRETS=SECRET,
            PATH=f"{ROOT / 'target/debug'}{os.pathsep}{os.environ['PATH']}",
            SNIPPET_PYTHON=str(VPY),
        )
        self.env.pop("PAYSTAR_ENVIRONMENT", None)
        print(f"mock gateway at {started['url']} (PAYSTAR_BASE_URL, PAYSTAR_API_KEY)")
        if shutil.which("redis-server"):
            port = free_port()
            redis = subprocess.Popen(
                ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            self.procs.append(redis)
            for _ in range(100):
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.05)
            self.env["REDIS_URL"] = f"redis://127.0.0.1:{port}"
            print(f"redis-server at {self.env['REDIS_URL']} (REDIS_URL)")

    def stop_services(self) -> None:
        for p in self.procs:
            if p.stdin:
                p.stdin.close()
            p.terminate()
            p.wait(timeout=10)

    # -- one snippet ------------------------------------------------------------------------

    def report(self, s: Snippet, outcome: str, detail: str = "") -> None:
        print(f"{s.where:<28} {s.lang or '(none)':<14} {outcome}")
        if detail:
            print(textwrap.indent(detail.rstrip(), "    | "))

    def run(self, s: Snippet) -> None:
        if "skip" in s.attrs:
            if not s.attrs["skip"].strip():
                self.fail(s, "skip without a reason")
            else:
                self.report(s, f"not run: {s.attrs['skip']}")
            return
        if "excerpt" in s.attrs:
            self.check_excerpt(s)
            return
        handler = {
            "python": self.run_python,
            "js": self.run_js,
            "sh": self.run_sh,
            "java": self.run_java,
            "xml": lambda s: self.parse_as(
                s, "XML", lambda c: ET.fromstring(f"<snippet>{c}</snippet>"), ET.ParseError
            ),
            "toml": lambda s: self.parse_as(s, "TOML", tomllib.loads, tomllib.TOMLDecodeError),
            "json": lambda s: self.parse_as(s, "JSON", json.loads, json.JSONDecodeError),
            "html": self.check_html,
        }.get(s.lang)
        if s.lang == "text":
            self.report(s, "output shown to the reader: not code")
        elif s.lang.startswith("rust") or s.lang == "kotlin":
            pass  # run together, below
        elif handler is None:
            self.fail(s, f"no runner for the language {s.lang!r}: tag the fence (text for output)")
        else:
            handler(s)

    def fail(self, s: Snippet, why: str) -> None:
        self.failed += 1
        self.report(s, "FAILED", why)

    def exec(self, s: Snippet, argv: list[str], cwd: Path, what: str) -> None:
        started = time.monotonic()
        try:
            p = subprocess.run(
                argv,
                cwd=cwd,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            self.fail(s, f"{what}: no answer in {TIMEOUT} s")
            return
        took = time.monotonic() - started
        if p.returncode != 0:
            self.fail(s, f"{what}: exit {p.returncode}\n{p.stdout}{p.stderr}")
        else:
            self.report(s, f"ok, {what} ({took:.1f} s)")

    def code_with(self, s: Snippet, lang: str) -> str:
        code = s.code
        if "prelude" in s.attrs:
            code = PRELUDES[s.attrs["prelude"]][lang] + code
        if "after" in s.attrs:
            code = code + AFTERS[s.attrs["after"]][lang]
        return code

    def scratch(self, s: Snippet, name: str, code: str) -> Path:
        d = WORK / f"{s.path.stem}-{s.line}"
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        (d / name).write_text(code, encoding="utf-8")
        return d

    def run_python(self, s: Snippet) -> None:
        d = self.scratch(s, "snippet.py", self.code_with(s, "python"))
        self.exec(s, [str(VPY), "snippet.py"], d, "python")

    def run_js(self, s: Snippet) -> None:
        esm = "esm" in s.attrs
        name = "snippet.mjs" if esm else "snippet.cjs"
        # Under target/, so `require('express')` finds the repository's node_modules and
        # `paystar` resolves to this checkout (the package's self-reference through "exports").
        d = self.scratch(s, name, self.code_with(s, "js"))
        link = d / "node_modules/paystar"
        link.parent.mkdir()
        link.symlink_to(ROOT)
        self.exec(s, ["node", name], d, "node, " + ("ES module" if esm else "CommonJS"))

    @staticmethod
    def newcomer_env() -> dict[str, str]:
        """The environment of a new terminal: none of the variables this runner sets."""
        unset = ("PAYSTAR_", "DJANGO_", "NODE_ENV", "REDIS_URL")
        return {k: v for k, v in os.environ.items() if not k.startswith(unset)}

    @staticmethod
    def start_shell(code: str) -> subprocess.Popen[str]:
        """`code` in bash from the root, in a new terminal's environment and its own process
        group (so that stopping it stops the servers it started)."""
        return subprocess.Popen(
            ["bash", "-euo", "pipefail", "-c", code],
            cwd=ROOT,
            env=Runner.newcomer_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    @staticmethod
    def stop_shell(proc: subprocess.Popen[str]) -> str:
        """Stops a `start_shell` and everything it started (a JVM that `mvn` forked included,
        so the next example finds its port free); what it printed."""
        os.killpg(proc.pid, signal.SIGTERM)
        out = proc.communicate(timeout=30)[0]
        for _ in range(100):
            try:
                os.killpg(proc.pid, 0)  # is anything of the group left?
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
        return out

    def replay_checkout(self, s: Snippet) -> None:
        """A "run the example" block as a newcomer runs it: in a shell with no PAYSTAR_*
        variables, from the checkout's root, until the site answers on `port`; then, as the
        browser would, its pay page (`pay`), the mock page's Pay button, and its paid page
        (`paid`) until it says "Payment received"."""
        import http.cookiejar
        import urllib.request

        port = int(s.attrs.get("port", "8000"))
        pay, paid_path = s.attrs.get("pay", "/pay/"), s.attrs.get("paid", "/paid/")
        proc = self.start_shell(s.code)
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        site = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        try:
            while True:
                if proc.poll() is not None or time.monotonic() - started > TIMEOUT:
                    raise RuntimeError(f"nothing answered on {site}")
                try:
                    page = opener.open(site + pay, timeout=10).read().decode()
                    break
                except OSError:
                    time.sleep(0.2)
            m = re.search(r"""(https?://[^"'<>\s]+/session/[^"'<>\s]+)""", page)
            if not m:
                raise RuntimeError(f"no session URL on {pay}:\n{page}")
            # The mock page's Pay button: a form posting to <session URL>/complete.
            opener.open(
                urllib.request.Request(m.group(1) + "/complete", data=b"", method="POST"),
                timeout=10,
            ).read()
            for _ in range(100):
                paid = opener.open(site + paid_path, timeout=10).read().decode()
                if "Payment received" in paid:
                    break
                time.sleep(0.1)
            else:
                raise RuntimeError(f"{paid_path} never said Payment received:\n{paid}")
        except Exception as e:
            self.fail(s, f"replay: {e}\n{self.stop_shell(proc)[-4000:]}")
            return
        self.stop_shell(proc)
        self.report(
            s,
            f"ok, replayed in bash: {pay}, Pay on the mock's page, {paid_path} says "
            f"Payment received ({time.monotonic() - started:.1f} s)",
        )

    def replay_terminals(self, s: Snippet) -> None:
        """A block written as `# terminal 1` (a server) and `# terminal 2` (a command against
        it): terminal 1 runs in the background, from the root, in a shell with no PAYSTAR_*
        variables, until something answers on `port`; then terminal 2 must exit 0."""
        parts = re.split(r"^# terminal (\d)\b.*$", s.code, flags=re.M)
        scripts = dict(zip(parts[1::2], parts[2::2]))
        if set(scripts) != {"1", "2"}:
            self.fail(s, "replay=terminals needs a `# terminal 1` and a `# terminal 2` part")
            return
        port = int(s.attrs.get("port", "8000"))
        server = self.start_shell(scripts["1"])
        started = time.monotonic()
        try:
            while True:
                if server.poll() is not None or time.monotonic() - started > TIMEOUT:
                    raise RuntimeError(f"terminal 1: nothing answered on port {port}")
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.2)
            env = {**self.newcomer_env(), "PATH": self.env["PATH"]}
            p = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", scripts["2"]],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
            )
            if p.returncode != 0:
                raise RuntimeError(f"terminal 2: exit {p.returncode}\n{p.stdout}{p.stderr}")
        except Exception as e:
            self.fail(s, f"replay: {e}\nterminal 1 said:\n{self.stop_shell(server)[-4000:]}")
            return
        self.stop_shell(server)
        first = p.stdout.strip().splitlines()
        self.report(
            s,
            f"ok, replayed: terminal 1 served :{port}, terminal 2 exited 0 "
            f"({time.monotonic() - started:.1f} s)",
            "\n".join(first[:6]),
        )

    def run_sh(self, s: Snippet) -> None:
        if s.attrs.get("replay") == "checkout":
            self.replay_checkout(s)
            return
        if s.attrs.get("replay") == "terminals":
            self.replay_terminals(s)
            return
        d = self.scratch(s, "snippet.sh", self.code_with(s, "sh"))
        self.exec(s, ["bash", "-euo", "pipefail", "snippet.sh"], d, "bash")

    def java_classpath(self) -> str:
        cp = (ROOT / "examples/kotlin-server/target/cp.txt").read_text().strip()
        return f"{ROOT / 'examples/kotlin-server/target/classes'}{os.pathsep}{cp}"

    def run_java(self, s: Snippet) -> None:
        code = s.code
        if not re.search(r"\bclass\s+\w+", code):
            imports = [ln for ln in code.splitlines() if ln.startswith("import ")]
            body = [ln for ln in code.splitlines() if not ln.startswith("import ")]
            code = "\n".join(
                [
                    "import io.paystar.*;",
                    "import java.util.*;",
                    *imports,
                    "public class Snippet {",
                    "  public static void main(String[] args) throws Exception {",
                    *("    " + ln for ln in body),
                    "  }",
                    "}",
                    "",
                ]
            )
        d = self.scratch(s, "Snippet.java", code)
        self.exec(
            s,
            [
                "java",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                self.java_classpath(),
                "Snippet.java",
            ],
            d,
            "java, single-file launch",
        )

    def run_kotlin_all(self, snippets: list[Snippet]) -> None:
        """Compiles every Kotlin snippet with Maven in one go, then runs each main."""
        if not snippets:
            return
        src = WORK / "kotlin/src"
        shutil.rmtree(src, ignore_errors=True)
        src.mkdir(parents=True)
        mains: dict[str, Snippet] = {}
        for s in snippets:
            if "skip" in s.attrs or "excerpt" in s.attrs:
                self.run(s)
                continue
            pkg = f"snippets.{re.sub(r'[^a-z0-9]', '_', s.path.stem.lower())}_{s.line}"
            code = self.code_with(s, "kotlin")
            imports = [ln for ln in code.splitlines() if ln.startswith("import ")]
            body = [ln for ln in code.splitlines() if not ln.startswith("import ")]
            if "fun main" not in code:
                body = [
                    "fun main(): Unit = runBlocking {",
                    *("    " + ln for ln in body),
                    "    Unit",
                    "}",
                ]
            text = "\n".join(
                [
                    f"package {pkg}",
                    "",
                    "import io.paystar.*",
                    "import io.paystar.webhooks.*",
                    "import java.time.Duration",
                    "import kotlinx.coroutines.runBlocking",
                    *imports,
                    "",
                    *body,
                    "",
                ]
            )
            where = src / pkg.replace(".", "/")
            where.mkdir(parents=True)
            (where / "Snippet.kt").write_text(text, encoding="utf-8")
            mains[f"{pkg}.SnippetKt"] = s
        if not mains:
            return
        pom = ROOT / "scripts/snippets/pom.xml"
        p = subprocess.run(
            [
                "mvn",
                "-q",
                "-B",
                "-Dstyle.color=never",
                "-f",
                str(pom),
                "compile",
                "dependency:build-classpath",
                f"-Dsnippets.dir={WORK / 'kotlin'}",
                f"-Dmdep.outputFile={WORK / 'kotlin/cp.txt'}",
                "-DincludeScope=runtime",
            ],
            capture_output=True,
            text=True,
            env=self.env,
        )
        if p.returncode != 0:
            for s in mains.values():
                self.fail(s, f"Kotlin compilation failed\n{p.stdout}{p.stderr}")
            return
        cp = f"{WORK / 'kotlin/classes'}{os.pathsep}{(WORK / 'kotlin/cp.txt').read_text().strip()}"
        for cls, s in mains.items():
            self.exec(
                s,
                ["java", "--enable-native-access=ALL-UNNAMED", "-cp", cp, cls],
                WORK,
                "kotlin, compiled by Maven",
            )

    def run_rust_all(self, snippets: list[Snippet]) -> None:
        """The Rust snippets are doc tests of core (core/src/lib.rs includes each file)."""
        runnable = [s for s in snippets if "skip" not in s.attrs]
        if not runnable:
            return
        lib = (ROOT / "core/src/lib.rs").read_text(encoding="utf-8")
        p = subprocess.run(
            ["cargo", "test", "--workspace", "--all-features", "--doc", "Doctests"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        # rustdoc names each test `core/src/lib.rs - <Struct> (line N)`; N is the file's line.
        found = {
            (m[0], int(m[1])): m[2]
            for m in re.findall(r"- (\w+Doctests) \(line (\d+)\)[^\n]*? \.\.\. (\w+)", p.stdout)
        }
        for s in snippets:
            if "skip" in s.attrs:
                self.run(s)
                continue
            rel = os.path.relpath(s.path, ROOT / "core/src")
            m = re.search(
                r'include_str!\("' + re.escape(rel) + r'"\)\]\s*(?:#\[.*\n\s*)*pub struct (\w+);',
                lib,
            )
            if not m:
                self.fail(s, f"core/src/lib.rs does not include {rel} as doc tests")
                continue
            # rustdoc numbers a test by the line of the `#[doc = include_str!(..)]` in lib.rs
            # plus the fence's line in the Markdown, less two.
            attr_line = lib[: m.start()].count("\n") + 1
            outcome = found.get((m.group(1), attr_line + s.line - 2))
            if outcome == "ok":
                mode = "compiled, not run (no_run)" if "no_run" in s.lang else "compiled and run"
                self.report(s, f"ok, rust doc test {m.group(1)}: {mode}")
            else:
                self.fail(
                    s,
                    f"doc test {m.group(1)} line {s.line}: {outcome or 'not found'}\n"
                    f"{p.stdout[-3000:]}{p.stderr[-3000:]}",
                )

    def check_excerpt(self, s: Snippet) -> None:
        source = ROOT / s.attrs["excerpt"]
        if not source.is_file():
            self.fail(s, f"excerpt of {s.attrs['excerpt']}: no such file")
            return
        have = [" ".join(ln.split()) for ln in source.read_text(encoding="utf-8").splitlines()]
        at = 0
        for ln in s.code.splitlines():
            want = " ".join(ln.split())
            if not want:
                continue
            try:
                at = have.index(want, at) + 1
            except ValueError:
                self.fail(s, f"not in {s.attrs['excerpt']} (in this order): {ln.strip()}")
                return
        self.report(s, f"ok, an excerpt of {s.attrs['excerpt']} (which its tests run)")

    def check_html(self, s: Snippet) -> None:
        """A page: parsed, and each inline script's syntax checked by node (the loader it
        calls is Paystar's and runs only in a browser against Paystar)."""
        from html.parser import HTMLParser

        scripts: list[str] = []

        class Scripts(HTMLParser):
            inside = False

            def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                self.inside = tag == "script" and not dict(attrs).get("src")
                if self.inside:
                    scripts.append("")

            def handle_endtag(self, tag: str) -> None:
                self.inside = False

            def handle_data(self, data: str) -> None:
                if self.inside:
                    scripts[-1] += data

        Scripts().feed(s.code)
        d = self.scratch(s, "page.html", s.code)
        for i, js in enumerate(scripts):
            (d / f"script{i}.js").write_text(js, encoding="utf-8")
            p = subprocess.run(
                ["node", "--check", f"script{i}.js"], cwd=d, capture_output=True, text=True
            )
            if p.returncode != 0:
                self.fail(s, f"inline script {i + 1}: {p.stderr}")
                return
        self.report(s, f"ok, parsed (HTML); {len(scripts)} inline script(s) checked by node")

    def parse_as(
        self, s: Snippet, what: str, load: Callable[[str], object], error: type[Exception]
    ) -> None:
        """Config and data blocks: parsed, so a typo in one fails here."""
        try:
            load(s.code)
        except error as e:
            self.fail(s, f"not well-formed {what}: {e}")
            return
        self.report(s, f"ok, parsed ({what})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", help="only snippets in this language")
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args()
    files = [f.resolve() for f in args.files] or [
        ROOT / "README.md",
        *sorted((ROOT / "docs").glob("*.md")),
    ]
    snippets = [s for f in files for s in parse(f)]
    if args.lang:
        snippets = [s for s in snippets if s.lang.split(",")[0] == args.lang]
    runner = Runner()
    runner.start_services()
    try:
        for s in snippets:
            if not (s.lang.startswith("rust") or s.lang == "kotlin"):
                runner.run(s)
        runner.run_kotlin_all([s for s in snippets if s.lang == "kotlin"])
        runner.run_rust_all([s for s in snippets if s.lang.startswith("rust")])
    finally:
        runner.stop_services()
    print(f"\n{len(snippets)} snippets in {len(files)} files; {runner.failed} failed")
    return 1 if runner.failed else 0


if __name__ == "__main__":
    sys.exit(main())
