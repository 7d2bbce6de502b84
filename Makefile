# One task runner for developers and CI (.ci/run calls these targets).
# Needs only what a fresh machine has: cargo (rustup), python3, make.

CARGO ?= cargo
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python

.PHONY: no-openssl bench demo test test-rust check-vectors lint fmt clippy doc ci clean

## The demo: every session type on the embedded mock gateway (PAYSTAR_API_KEY: development gateway).
demo:
	$(CARGO) run --quiet -p paystar-demo -- --no-wait

## Every test: Rust unit, integration (all conformance vectors), property and doc tests,
## plus the vectors checked against their JSON Schema.
test: test-rust check-vectors

test-rust:
	$(CARGO) test --workspace --all-features

$(VPY):
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --disable-pip-version-check 'jsonschema>=4.18'

check-vectors: $(VPY)
	$(VPY) tests/check_vectors.py

lint: fmt clippy no-openssl

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
	rm -rf $(VENV) target

## Benchmarks: numbers only, never pass/fail (release build).
bench:
	$(CARGO) run --release --quiet -p paystar-demo --bin bench
