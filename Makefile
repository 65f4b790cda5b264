# oauth-relay: build, test, demo and benchmark targets.
SWIFT ?= swift
STRICT := -Xswiftc -warnings-as-errors
BIN := .build/debug
PREFIX ?= /usr/local

.PHONY: deps build release pyenv test demo bench lint clean install

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build $(STRICT)

## One self-contained binary: the Swift runtime and Foundation linked in statically.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib $(STRICT)

pyenv: deps
	@scripts/python-env.sh

## Every test: Swift unit, integration and end-to-end suites inside a private D-Bus session with
## a real gnome-keyring, then interop tests with the official MCP Python SDK and Chromium.
test: build pyenv
	scripts/with-keyring.sh $(SWIFT) test $(STRICT)
	scripts/with-keyring.sh .venv/bin/python -m pytest -q tests/interop

## The main job end to end: dev server + relay + an MCP client over stdio, with sign-in.
demo: build pyenv
	.venv/bin/python scripts/demo.py --relay $(BIN)/oauth-relay --dev-server $(BIN)/oauth-relay-dev-server

## Medians on this machine: REST mode and token stores, then MCP proxy mode side by side with
## mcp-proxy and fastmcp's proxy (installed into .venv-bench, apart from the test environment).
bench: release pyenv
	.venv/bin/python scripts/bench.py --relay .build/release/oauth-relay \
		--dev-server .build/release/oauth-relay-dev-server --store-bench .build/release/TokenStoreStress
	@[ -x .venv-bench/bin/python ] || (python3 -m venv .venv-bench && \
		.venv-bench/bin/pip install -q --disable-pip-version-check -r scripts/requirements-bench.txt)
	.venv/bin/python scripts/bench_mcp.py --relay .build/release/oauth-relay \
		--dev-server .build/release/oauth-relay-dev-server

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests
	scripts/check-imports.sh

clean:
	rm -rf .build .venv .venv-bench

install: deps
	packaging/install.sh $(PREFIX)
