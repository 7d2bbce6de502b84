# One task runner for developers and CI (.ci/run calls these targets).
# Needs only what a fresh machine has: cargo (rustup), python3 (3.9+), make.

CARGO ?= cargo
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
PYTHON_ABS = $(shell $(PYTHON) -c 'import sys; print(sys.executable)')
PIP := $(VPY) -m pip --quiet --disable-pip-version-check
# maturin gets its own target dir: it sets PYO3_* variables that would otherwise make plain
# cargo and maturin rebuild pyo3 for each other.
MATURIN := PATH=$(CURDIR)/$(VENV)/bin:$$PATH CARGO_TARGET_DIR=$(CURDIR)/target/python VIRTUAL_ENV=$(CURDIR)/$(VENV) $(VENV)/bin/maturin

.PHONY: bench-https bench-latency no-openssl bench demo demo-rust demo-python demo-node \
	test test-rust test-python test-node test-kotlin python node kotlin pack-check \
	demo-kotlin test-python-versions test-kotlin-jdk25 kotlin-jar \
	check-vectors check-snippets lint lint-python fmt clippy doc ci clean dist dist-check artifacts-check check-docs check-layers generate soak fuzz

## The demo: every session type in every language on the embedded mock gateway
## (with PAYSTAR_API_KEY: Paystar's development gateway).
demo: demo-rust demo-python demo-node demo-kotlin

demo-rust:
	$(CARGO) run --quiet -p paystar-demo -- --no-wait

demo-python: python
	$(VPY) examples/python-demo/demo.py

demo-node: node
	node examples/node-demo/demo.js

## A plain `java -cp` run: the JAR loads its own native library (no -Djna.library.path).
demo-kotlin: kotlin
	java -cp "$(KOTLIN_CP)" io.paystar.example.DemoKt

## Every test: Rust unit, integration (all conformance vectors), property and doc tests, the
## vectors' JSON Schema, then Python: pytest (all vectors again), mypy --strict, stubtest and
## the Django example's tests.
test: test-rust check-vectors check-docs check-layers test-python test-node test-kotlin check-snippets

## Every code snippet in README.md and docs/, run in its language against `paystar mock`
## (scripts/run_snippets.py says how each language runs; each one is listed by file and line).
check-snippets: python node kotlin
	$(CARGO) build --workspace --all-features
	$(VPY) scripts/run_snippets.py

test-rust:
	$(CARGO) test --workspace --all-features

## A virtualenv with the Python build and test tools.
$(VENV)/.tools: bindings-python/requirements-dev.txt
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r bindings-python/requirements-dev.txt
	touch $@

## Builds the extension (debug, with the test harness) and installs `paystar` into .venv,
## editable. The release wheel (`make dist`) has no harness.
python: $(VENV)/.tools
	$(MATURIN) develop --quiet --features testing

test-python: python
	$(VPY) -m pytest -q bindings-python/tests
	$(VPY) -m mypy --strict bindings-python/python/paystar bindings-python/tests examples/python-demo
	$(VPY) -m mypy.stubtest paystar
	cd examples/django && ../../$(VPY) manage.py test -v 1

## npm dependencies (npm ci runs `prepare`, which builds the addon; --engine-strict refuses a
## dependency this Node is too old for, and check_engines.js holds package.json's `engines` and
## the README to the same version), then an incremental
## rebuild of the addon (debug) and its generated loader and types.
node_modules/.paystar: package-lock.json
	npm ci --no-audit --no-fund --engine-strict
	node scripts/check_engines.js
	touch $@

node: node_modules/.paystar
	npm run --silent build

## Node: the node:test suite (all vectors again), ESM, the Express example's tests, tsc --strict
## on a sample (the request types in index.d.ts are generated from core's schema, checked by
## core's `generated` test), and no drift in napi's generated files.
test-node: node
	node --test --test-concurrency=1 bindings-node/test/
	node --test examples/express/test/
	npx tsc -p bindings-node/tsconfig.json
	git diff --exit-code -- bindings-node/native.d.ts bindings-node/native.js

## `npm pack` (a release addon) installed into an empty project with no Rust on PATH, then used.
pack-check: node
	rm -rf target/pack && mkdir -p target/pack/app
	npm pack --silent --pack-destination target/pack
	cd target/pack/app && echo '{"name":"app","private":true}' > package.json && \
		env -i HOME=$$HOME PATH=$(dir $(shell command -v node)):/usr/bin:/bin sh -c \
		'! command -v cargo >/dev/null && npm install --silent --no-audit --no-fund ../paystar-*.tgz && \
		node -e "const p=require(\"paystar\");const g=new p.MockGateway();g.client().createWalletSession({businessUnitSlug:\"a\",clientUser:{emailAddress:\"a@b.co\"}}).then(s=>console.log(\"from the tarball:\",s.kind,s.url))"'
	CLI_CHECK_PATH=$(dir $(shell command -v node)) \
		$(PYTHON) scripts/check_installed_cli.py target/pack/app/node_modules/.bin/paystar
	ls -l target/pack/*.tgz

## Kotlin: the Rust library (debug, with the test harness) and the workspace's uniffi-bindgen
## (built apart so the bindgen's `cli` feature stays out of the library), then the JAR (Maven
## generates the Kotlin sources from the library, compiles them with the hand-written layer,
## packages the library under linux-x86-64/ and installs io.paystar:paystar:0.1.0 into ~/.m2),
## then the example. This JAR is the test suites'; `make kotlin-jar` builds the one that ships.
MVN := mvn -q -B -Dstyle.color=never
# Read when the command runs (a recipe is expanded before its first line runs, so a $(shell)
# here would miss the cp.txt that `make kotlin` writes in the same recipe on a fresh clone).
KOTLIN_CP = examples/kotlin-server/target/classes:$$(cat examples/kotlin-server/target/cp.txt)

kotlin:
	$(CARGO) build -p paystar-kotlin --features testing
	$(CARGO) build -p uniffi-bindgen
	# A release library left by `make bench` (kotlin-jar) is newer than the debug one: Maven
	# would keep it, and the test build's bindings would not find their functions in it.
	rm -f bindings-kotlin/target/classes/linux-x86-64/libpaystar_kotlin.so
	$(MVN) -f bindings-kotlin/pom.xml install -DskipTests
	$(MVN) -f examples/kotlin-server/pom.xml compile dependency:build-classpath \
		-Dmdep.outputFile=$(CURDIR)/examples/kotlin-server/target/cp.txt -DincludeScope=runtime

## The JAR that ships (the README's install command): the release library without the test
## harness, stripped after uniffi-bindgen read its symbols, installed into ~/.m2 (over the test
## JAR; `make kotlin` puts that one back).
kotlin-jar:
	$(CARGO) build -p paystar-kotlin --release
	$(CARGO) build -p uniffi-bindgen
	rm -rf target/kotlin-jar && mkdir -p target/kotlin-jar
	cp target/release/libpaystar_kotlin.so target/kotlin-jar/ && strip target/kotlin-jar/libpaystar_kotlin.so
	$(MVN) -f bindings-kotlin/pom.xml install -Dmaven.test.skip=true \
		-Dpaystar.lib.dir=$(CURDIR)/target/kotlin-jar \
		-Dpaystar.bindgen.lib=$(CURDIR)/target/release/libpaystar_kotlin.so
	@ls -l target/kotlin-jar/libpaystar_kotlin.so; file target/kotlin-jar/libpaystar_kotlin.so

## The JUnit suite (all vectors again, concurrency, cancellation, a Java caller), the examples'
## tests (the JDK HttpServer one and Spring Boot's whole loop on a random port), the native library inside the JAR, and a plain `java -cp` run of the demo from it.
test-kotlin: kotlin
	$(MVN) -f bindings-kotlin/pom.xml test
	$(MVN) -f examples/kotlin-server/pom.xml test
	$(MVN) -f examples/spring-boot/pom.xml test
	jar tf bindings-kotlin/target/paystar-0.1.0.jar | grep -x 'linux-x86-64/libpaystar_kotlin.so'
	java -cp "$(KOTLIN_CP)" io.paystar.example.DemoKt | grep -c '/session/' | grep -qx 5
	@echo "JAR carries linux-x86-64/libpaystar_kotlin.so and loads it under plain java -cp"

## The Python suite (vectors included) and the Django example's tests on every CPython from 3.9
## to 3.13 on this machine (pyenv's, or python3.X on PATH), from one abi3 wheel (debug build,
## sharing target/python with `make python`). Fails when 3.9 or 3.13 is missing.
PYTHON_VERSIONS ?= 3.9,3.10,3.11,3.12,3.13
test-python-versions: $(VENV)/.tools
	rm -rf target/wheels-abi3
	$(MATURIN) build --quiet --features testing --out target/wheels-abi3
	$(VPY) scripts/test_python_versions.py target/wheels-abi3/paystar-*.whl --versions $(PYTHON_VERSIONS)

## The JUnit suite (vectors, the Java caller) and the demo on the newest JDK here (Temurin 25),
## with native access enabled as docs/kotlin.md says: fails if JNA's "restricted method"
## warning shows.
JDK25 ?= $(lastword $(sort $(wildcard /usr/lib/jvm/temurin-25*)))
test-kotlin-jdk25: kotlin
	@test -x "$(JDK25)/bin/java" || { echo "no JDK 25 in /usr/lib/jvm (set JDK25=...)"; exit 1; }
	$(JDK25)/bin/java -version 2>&1 | sed -n 1p
	$(MVN) -f bindings-kotlin/pom.xml test -Dpaystar.test.jvm=$(JDK25)/bin/java
	$(JDK25)/bin/java --enable-native-access=ALL-UNNAMED -cp "$(KOTLIN_CP)" io.paystar.example.DemoKt \
		>/dev/null 2>target/jdk25-demo.err
	@! grep -i "restricted method" target/jdk25-demo.err || { echo "JNA's native-access warning on JDK 25"; exit 1; }
	@echo "JDK 25: the suite passed; the demo ran without the native-access warning"

lint-python: $(VENV)/.tools
	$(VENV)/bin/ruff check bindings-python examples benches tests scripts
	$(VENV)/bin/ruff format --check bindings-python examples benches tests scripts

## A release wheel for CPython 3.9+ with the lowest practical manylinux tag (zig as the linker),
## then installed into a fresh venv with no Rust toolchain on PATH, and the demo run from it.
dist: $(VENV)/.tools
	$(PIP) install 'ziglang>=0.13'
	rm -rf dist
	$(MATURIN) build --release --strip --zig --compatibility manylinux2014 --out dist

dist-check:
	@name=$$(basename dist/*.whl); grep -qF "$$name" README.md || \
		{ echo "README.md's install table does not name the wheel make dist built: $$name"; exit 1; }
	rm -rf target/dist-venv
	env -i HOME=$$HOME PATH=/usr/bin:/bin $(PYTHON_ABS) -m venv target/dist-venv
	env -i HOME=$$HOME PATH=/usr/bin:/bin target/dist-venv/bin/python -m pip install --quiet --no-index dist/*.whl
	env -i HOME=$$HOME PATH=/usr/bin:/bin sh -c '! command -v cargo && ! command -v rustc' >/dev/null
	cd /tmp && env -i HOME=$$HOME PATH=/usr/bin:/bin $(CURDIR)/target/dist-venv/bin/python -c \
		'import paystar; print("installed:", paystar.__file__, paystar.__version__)'
	env -i HOME=$$HOME PATH=/usr/bin:/bin target/dist-venv/bin/python examples/python-demo/demo.py
	$(PYTHON) scripts/check_installed_cli.py target/dist-venv/bin/paystar

## Every artifact carries its README and licenses; the JAR has its -sources.jar and -javadoc.jar
## (Dokka). After `make dist` and `make pack-check`.
artifacts-check: kotlin-jar
	$(MVN) -f bindings-kotlin/pom.xml -Pdocs package -Dmaven.test.skip=true \
		-Dpaystar.lib.dir=$(CURDIR)/target/kotlin-jar \
		-Dpaystar.bindgen.lib=$(CURDIR)/target/release/libpaystar_kotlin.so
	$(PYTHON) scripts/check_artifacts.py
	CLI_CHECK_PATH=$(dir $(shell command -v java)) \
		$(PYTHON) scripts/check_installed_cli.py java -jar bindings-kotlin/target/paystar-0.1.0-cli.jar

## Core's modules point one way: no module uses one on a layer above it, and no two use each
## other (scripts/check_layers.py prints the graph).
check-layers:
	$(PYTHON) scripts/check_layers.py

## Every relative link in the Markdown resolves inside the repository, and every
## docs/decisions.md#id the code names exists.
check-docs:
	$(PYTHON) scripts/check_links.py

check-vectors: $(VENV)/.tools
	$(VPY) tests/check_vectors.py

## The fault soak at full size in every language (10,000 calls each; `make test` runs 300): the
## figures in RELIABILITY.md. SOAK_CALLS changes the size.
SOAK_CALLS ?= 10000
soak: python node kotlin
	PAYSTAR_SOAK_CALLS=$(SOAK_CALLS) $(CARGO) test -p paystar --all-features --test soak faults_never_break -- --nocapture
	PAYSTAR_SOAK_CALLS=$(SOAK_CALLS) $(VPY) -m pytest -q -s --timeout=3600 bindings-python/tests/test_soak.py
	PAYSTAR_SOAK_CALLS=$(SOAK_CALLS) node --test bindings-node/test/soak.test.js
	PAYSTAR_SOAK_CALLS=$(SOAK_CALLS) $(MVN) -f bindings-kotlin/pom.xml test -Dtest=SoakTest

## Each cargo-fuzz target for FUZZ_SECONDS (600 for the documented run; CI runs 20), on the
## nightly toolchain, growing the corpora in core/fuzz/corpus (replayed on stable by
## core/tests/fuzz_corpora.rs).
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := request_json answer_decode retry_after webhook
fuzz:
	command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	cd core && for t in $(FUZZ_TARGETS); do \
		cargo +nightly fuzz run $$t -- -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096 || exit 1; done

## Rewrites every surface generated from core's schema (Python types and stubs, TypeScript
## request types, Kotlin records and Java builders); `make test-rust` fails when one is stale.
generate:
	PAYSTAR_REGENERATE=1 $(CARGO) test -p paystar --test generated

lint: fmt clippy no-openssl lint-python

## OpenSSL is never linked (openssl-probe, a pure-Rust finder of certificate paths, is fine).
no-openssl:
	@if $(CARGO) tree --workspace --all-features -e normal,build --prefix none | grep -E '^(openssl|openssl-sys|native-tls|hyper-tls) v'; then \
		echo "OpenSSL crept into the dependency tree"; exit 1; \
	else echo "no OpenSSL in the dependency tree"; fi

fmt:
	$(CARGO) fmt --all --check

clippy:
	$(CARGO) clippy --workspace --all-targets --all-features -- -D warnings

doc:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -p paystar --all-features --no-deps

ci: lint doc test demo

clean:
	rm -rf $(VENV) target dist node_modules bindings-node/*.node bindings-kotlin/target \
		examples/kotlin-server/target

## Benchmarks: numbers only, never pass/fail. Every language's program against one
## `paystar-mock` process, peers side by side, wrk as the loopback ceiling (benches/run.py).
## `make bench` builds release (Rust, the wheel into .venv, the Node addon, the JAR) and writes
## BENCHMARKS.md; `make python node kotlin` go back to debug builds. BENCH_SIZE=tiny (what CI
## runs) uses the debug builds already there and writes target/bench/BENCHMARKS.md.
## The latency run (BENCHMARKS.md "Latency": a gateway 50 ms away, 100/500/1,000 in flight)
## is part of `make bench`; `make bench-latency` runs only it and writes target/bench/LATENCY.md.
## So are the HTTPS runs (BENCH_HTTPS: h1, h2) and the cold starts (BENCH_COLD: languages);
## `make bench-https` runs only those and writes target/bench/HTTPS.md.
BENCH_SIZE ?= full
BENCH_ONLY ?= rust,python,node,jvm
BENCH_LATENCY ?= python,node,jvm
BENCH_HTTPS ?= h1,h2
BENCH_COLD ?= $(BENCH_ONLY)
BENCH_DIR = target/$(if $(filter tiny,$(BENCH_SIZE)),debug,release)
bench: python node kotlin
	$(PIP) install -r benches/requirements.txt
	command -v wrk >/dev/null || echo "wrk is not installed (apt install wrk): no ceiling row"
ifneq ($(BENCH_SIZE),tiny)
	$(CARGO) build --release -p paystar -p paystar-demo --all-features --bins
	$(MATURIN) develop --release --quiet
	cp bindings-node/native.js bindings-node/native.d.ts target/
	npm run --silent build:release
	# The release addon has no test harness; the committed native.js/.d.ts are the test build's.
	cp target/native.js target/native.d.ts bindings-node/
	$(MAKE) kotlin-jar
endif
	PAYSTAR_MOCK_BIN=$(BENCH_DIR)/paystar-mock RUST_BENCH=$(BENCH_DIR)/bench PYTHON=$(VPY) \
		JAVA_BENCH='java -cp "$(KOTLIN_CP)" io.paystar.example.BenchKt' \
		JAVA_LATENCY='java -cp "$(KOTLIN_CP)" io.paystar.example.LatencyBenchKt' \
		JAVA_COLD="java -cp $(KOTLIN_CP) io.paystar.example.ColdKt" \
		$(VPY) benches/run.py --size $(BENCH_SIZE) --only "$(BENCH_ONLY)" --latency "$(BENCH_LATENCY)" \
			--https "$(BENCH_HTTPS)" --cold "$(BENCH_COLD)" $(BENCH_OUT)

bench-latency:
	$(MAKE) bench BENCH_ONLY= BENCH_HTTPS= BENCH_COLD= BENCH_OUT=--out=target/bench/LATENCY.md

bench-https:
	$(MAKE) bench BENCH_LATENCY= BENCH_OUT="--no-plain --out=target/bench/HTTPS.md"

