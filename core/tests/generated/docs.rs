//! `docs/observability.md`: the setup in each language, and the list of every span, attribute
//! and instrument paystar records, from core's one table (`paystar::telemetry`).

use std::fmt::Write as _;

use paystar::Operation;
use paystar::bridge::call_span_name;
use paystar::telemetry::{ATTRIBUTES, INSTRUMENTS, InstrumentKind, Recorded};

const HEAD: &str = r#"# Observability: OpenTelemetry traces and metrics

<!-- Generated from core (paystar::telemetry) by core/tests/generated: do not edit; change
     core/tests/generated/docs.rs and run `make generate`. Every snippet runs in CI. -->

A backend's HTTP calls show up in its traces because OpenTelemetry wraps its HTTP client
(httpx, undici, OkHttp). paystar's calls do not go through those clients (the Rust core does
the I/O), so paystar records them itself, in every language, **when the host's OpenTelemetry
API is installed** — and costs nothing when it is not: nothing of OpenTelemetry is imported,
nothing is collected, no header is added (each language's suite tests that).

Per call:

- an INTERNAL span `paystar.<operation>` (e.g. `paystar.create_payment_session`) under the
  caller's current span, with status Error and `error.type` when the call failed;
- under it, one CLIENT span per HTTP attempt, named and attributed as the
  [HTTP client semantic conventions](https://opentelemetry.io/docs/specs/semconv/http/http-spans/)
  say (`POST /integrations/embedded/initiate`), with the attempt's real start and end times;
  a retried call has several (`http.request.resend_count` on the second and later);
- a `traceparent` (and `tracestate`) header on **every attempt**, carrying the caller's trace:
  it names the **call span**, not the attempt's. The attempt spans are made after the call, on
  the caller's thread (never from paystar's runtime threads, which never call into Python,
  Node or the JVM), so an attempt span does not exist yet when its request is sent; the call
  span does, so the gateway's side of the trace hangs under it;
- a point of the histogram `http.client.request.duration` per attempt, and of the counter
  `paystar.client.calls` per call.

A webhook endpoint (the Django, Express and JVM helpers, and `handle` in every language) sets
what happened on the current span — the framework's server span, when it is instrumented:
`paystar.webhook.outcome`, and the refusal's reason or the event's type. The answer carries the
same attributes (`attributes`), for servers that record spans their own way.

Turn it off per client with `telemetry=False` (Python), `telemetry: false` (Node),
`telemetry = false` (Kotlin/Java `PaystarConfig`). A per-call `traceparent`/`tracestate`
option sends your own trace context instead (with telemetry off too).

## Python

`pip install "paystar[otel]"` (the `opentelemetry-api` package), and the SDK your service
already configures. The default propagator (W3C trace context) is the API's:

```python
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
trace.set_tracer_provider(provider)

import paystar

client = paystar.Client()  # each call: a span paystar.<operation>, a CLIENT span per attempt
client.create_wallet_session(
    business_unit_slug="acme-utilities", client_user={"email_address": "jane@example.com"}
)
```

The asyncio client records the same spans, under the task's current span.

## Node

`@opentelemetry/api` is an optional peer dependency: install it (your SDK setup, e.g.
`@opentelemetry/sdk-node`, already does) and paystar requires it on a client's first call.
Set up by hand, an SDK needs a context manager and the W3C propagator:

```js
const { context, propagation, trace } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] }));

const paystar = require('paystar');
const client = new paystar.Client(); // each call: a span paystar.<operation>, a CLIENT span per attempt
client.createWalletSession({ businessUnitSlug: 'acme-utilities', clientUser: { emailAddress: 'jane@example.com' } });
```

Tools that listen to `diagnostics_channel` rather than OpenTelemetry subscribe to the
`TracingChannel` named `paystar:request` (Node 20.13+): `start`, `end`, `asyncStart`, `asyncEnd`
and `error` per call, the context carrying `operation`, `name` (the span name), `result` or
`error`, and `telemetry` (core's record: the attempts with their times and attributes):

```js
const diagnostics = require('node:diagnostics_channel');
const paystar = require('paystar');
diagnostics.tracingChannel('paystar:request').subscribe({
  start: (ctx) => console.log('paystar call', ctx.operation),
  asyncEnd: (ctx) => console.log(ctx.name, ctx.telemetry.attempts.length, 'attempt(s)'),
});
new paystar.Client().createWalletSession({ businessUnitSlug: 'acme-utilities', clientUser: { emailAddress: 'jane@example.com' } });
```

## Kotlin and Java

Add `io.opentelemetry:opentelemetry-api` (optional in paystar's POM: without it, no
OpenTelemetry class is loaded). paystar reads `GlobalOpenTelemetry` with `getOrNoop()` on each
call, so it never fixes the global before your application (or the Java agent, or Spring Boot's
starter) sets it. An SDK registered by hand needs the W3C propagator:

```kotlin
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator
import io.opentelemetry.context.propagation.ContextPropagators
import io.opentelemetry.exporter.logging.LoggingSpanExporter
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import io.paystar.ClientUser
import io.paystar.CustomerSessionRequest
import io.paystar.PaystarClient

fun main() {
    val tracing = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(LoggingSpanExporter.create())).build()
    OpenTelemetrySdk.builder().setTracerProvider(tracing)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).buildAndRegisterGlobal()

    PaystarClient().use { client -> // each call: a span paystar.<operation>, a CLIENT span per attempt
        client.createWalletSessionBlocking(CustomerSessionRequest(businessUnitSlug = "acme-utilities", clientUser = ClientUser(emailAddress = "jane@example.com")))
    }
}
```

Spans are made on the calling thread after the call, under `Context.current()` when the call
started: in coroutines, carry the context with `opentelemetry-extension-kotlin`'s
`Context.current().asContextElement()` as you do for any instrumented call.

## Rust

Core logs through `tracing` (target `paystar`): a `paystar` span per call (field `operation`)
and an event per attempt (DEBUG, WARN when a retry follows) with the same facts; with
`tracing-opentelemetry` they reach OpenTelemetry. To carry a trace to the gateway, set
`RequestOptions { trace: Some(TraceContext::new(traceparent, tracestate)?), .. }` per call.
Bindings get everything above from `Client::execute_logged` with a `Collect` asking for
telemetry, and `bridge::call_report`.

## What is never recorded

The API key, a request or response body, an email address, an account number, a session URL,
an error's message (a span's status description is the error's `code`), the webhook body or
its signature. Each language's suite records a call that retries and one that fails
validation, and searches every span's name, attributes, events and status for the key, the
request's email, its account number and the session URL.

## Spans
"#;

const TAIL: &str = r#"
## Costs

Nothing is collected for a client whose telemetry is off, or when the OpenTelemetry API is not
installed (and, in Node, no `paystar:request` subscriber listens). With it, a call collects its
attempts' facts in core and the binding makes the spans after the call; BENCHMARKS.md quotes
the bench with an SDK and a no-op exporter beside the bench without OpenTelemetry.
"#;

/// The whole page.
pub(crate) fn observability() -> String {
    let mut out = String::from(HEAD);
    out.push_str("\n| span | kind | when |\n|---|---|---|\n");
    let names: Vec<String> = Operation::ALL
        .iter()
        .map(|op| format!("`{}`", call_span_name(*op)))
        .collect();
    let _ = writeln!(out, "| {} | INTERNAL | one per call |", names.join(", "));
    let mut paths: Vec<&str> = Operation::ALL.iter().map(|op| op.path()).collect();
    paths.dedup();
    let attempts: Vec<String> = paths.iter().map(|p| format!("`POST {p}`")).collect();
    let _ = writeln!(
        out,
        "| {} | CLIENT | one per attempt, under the call's span |",
        attempts.join(", ")
    );
    out.push_str("\n## Attributes\n\nEvery attribute paystar sets; nothing else is ever set.\n\n");
    out.push_str("| attribute | type | recorded on | what |\n|---|---|---|---|\n");
    for a in ATTRIBUTES {
        let on: Vec<&str> = a.on.iter().map(|r: &Recorded| r.as_str()).collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            a.name,
            a.kind.as_str(),
            on.join(", "),
            a.doc
        );
    }
    out.push_str("\n## Instruments\n\n| instrument | kind | unit | what |\n|---|---|---|---|\n");
    for i in INSTRUMENTS {
        let kind = match i.kind {
            InstrumentKind::Histogram => {
                let b: Vec<String> = i.buckets.iter().map(|b| b.to_string()).collect();
                format!("histogram (buckets {})", b.join(", "))
            }
            InstrumentKind::Counter => "counter".to_owned(),
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | `{}` | {} |",
            i.name, kind, i.unit, i.description
        );
    }
    out.push_str(TAIL);
    out
}
