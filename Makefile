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

.PHONY: no-openssl bench bench-rust bench-python demo demo-rust demo-python test test-rust test-python python \
	check-vectors lint lint-python fmt clippy doc ci clean dist dist-check

## The demo: every session type in every language on the embedded mock gateway
## (with PAYSTAR_API_KEY: Paystar's development gateway).
demo: demo-rust demo-python

demo-rust:
	$(CARGO) run --quiet -p paystar-demo -- --no-wait

demo-python: python
	$(VPY) examples/python-demo/demo.py

## Every test: Rust unit, integration (all conformance vectors), property and doc tests, the
## vectors' JSON Schema, then Python: pytest (all vectors again), mypy --strict, stubtest and
## the Django example's tests.
test: test-rust check-vectors test-python

test-rust:
	$(CARGO) test --workspace --all-features

## A virtualenv with the Python build and test tools.
$(VENV)/.tools: bindings-python/requirements-dev.txt
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r bindings-python/requirements-dev.txt
	touch $@

## Builds the extension (debug) and installs `paystar` into .venv, editable.
python: $(VENV)/.tools
	$(MATURIN) develop --quiet

test-python: python
	$(VPY) -m pytest -q bindings-python/tests
	$(VPY) -m mypy --strict bindings-python/python/paystar bindings-python/tests examples/python-demo
	$(VPY) -m mypy.stubtest paystar
	cd examples/django && ../../$(VPY) manage.py test -v 1

lint-python: $(VENV)/.tools
	$(VENV)/bin/ruff check bindings-python examples
	$(VENV)/bin/ruff format --check bindings-python examples

## A release wheel for CPython 3.9+ with the lowest practical manylinux tag (zig as the linker),
## then installed into a fresh venv with no Rust toolchain on PATH, and the demo run from it.
dist: $(VENV)/.tools
	$(PIP) install 'ziglang>=0.13'
	rm -rf dist
	$(MATURIN) build --release --zig --compatibility manylinux2014 --out dist

dist-check:
	rm -rf target/dist-venv
	env -i HOME=$$HOME PATH=/usr/bin:/bin $(PYTHON_ABS) -m venv target/dist-venv
	env -i HOME=$$HOME PATH=/usr/bin:/bin target/dist-venv/bin/python -m pip install --quiet --no-index dist/*.whl
	env -i HOME=$$HOME PATH=/usr/bin:/bin sh -c '! command -v cargo && ! command -v rustc' >/dev/null
	cd /tmp && env -i HOME=$$HOME PATH=/usr/bin:/bin $(CURDIR)/target/dist-venv/bin/python -c \
		'import paystar; print("installed:", paystar.__file__, paystar.__version__)'
	env -i HOME=$$HOME PATH=/usr/bin:/bin target/dist-venv/bin/python examples/python-demo/demo.py

check-vectors: $(VENV)/.tools
	$(VPY) tests/check_vectors.py

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
	rm -rf $(VENV) target dist

## Benchmarks: numbers only, never pass/fail (release builds): Rust vs raw reqwest, then the
## release wheel vs `requests` in Python.
bench: bench-rust bench-python

bench-rust:
	$(CARGO) run --release --quiet -p paystar-demo --bin bench

bench-python: dist
	test -x target/bench-venv/bin/python || $(PYTHON) -m venv target/bench-venv
	target/bench-venv/bin/python -m pip --quiet --disable-pip-version-check install --force-reinstall --no-deps dist/*.whl
	target/bench-venv/bin/python -m pip --quiet --disable-pip-version-check install 'requests>=2.32'
	target/bench-venv/bin/python examples/python-demo/bench.py
	cd /tmp && $(CURDIR)/target/bench-venv/bin/python -X importtime -c 'import paystar' 2>&1 | tail -1
