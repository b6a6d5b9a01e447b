# ripa-register — two commands for a newcomer: `make demo` and `make test`.
# Both install what a fresh Debian machine lacks first: the libraries the build links and the
# tools the tests and the demo run.

SWIFT ?= swift
# Libraries the build links (checked with dpkg).
SYSTEM_PACKAGES := libsodium-dev libsqlite3-dev
# Tools the tests and the demo run, as command:package (checked on PATH):
#   python3  edits a register's SQLite file to tamper with it (its sqlite3 module), opens a
#            pty for the passphrase prompt (pty, termios), binds a socket; reads the demo's JSON
#   chattr   makes a copy immutable, so root cannot write it either (read-only verify tests)
#   setpriv  runs `ripa` as another user (nobody) on a read-only copy
#   timeout  bounds a hostile-input run
#   chromium the browser the web tests drive (Debian's; Playwright never downloads one)
#   openssl  makes the self-signed certificate of the HTTPS test
TEST_TOOLS := python3:python3 chattr:e2fsprogs setpriv:util-linux timeout:coreutils chromium:chromium openssl:openssl
# The browser tests' Python tools (Playwright, pytest, axe, schemathesis), in a virtual
# environment of their own made from tests/browser/requirements.txt.
WEB_VENV := .venv-web

# The CLI is a front end: it parses, calls the services and prints; it depends on no storage
# module. Package.swift's `ripa` target lists only RIPA, Ledger, RegisterFiles and
# ArgumentParser, and with MemberImportVisibility the compiler refuses any use of a storage
# type or member in a file that does not import its module. SwiftPM's import check
# (--explicit-target-dependency-import-check) runs on every build below, but it accepts any
# module in a target's *transitive* closure (RIPA brings RegisterStorage in), so the one gap
# left, an import of a storage module, is refused here.
SWIFT_BUILD_FLAGS := --explicit-target-dependency-import-check error
FRONT_END_SOURCES := Sources/ripa Sources/RegisterServer
STORAGE_MODULES := RegisterStorage|SQLiteStorage|MemoryStorage|GRDB|GRDBSQLite

.PHONY: deps check-imports build test browser-test demo bench clean

deps:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	for t in $(TEST_TOOLS); do \
		command -v $${t%%:*} >/dev/null 2>&1 || missing="$$missing $${t#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing || exit 1; \
	fi; \
	if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then \
		echo "Installing python3-venv"; \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv || exit 1; \
	fi; \
	if ! python3 -c 'import sqlite3, pty, termios, json' >/dev/null 2>&1; then \
		echo "error: $$(command -v python3) lacks the sqlite3, pty, termios or json module the tests use;" \
			"put Debian's python3 (/usr/bin/python3) first on PATH" >&2; \
		exit 1; \
	fi

check-imports:
	@found="$$(grep -rnE '^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*((public|package|internal|fileprivate|private)[[:space:]]+)?import[[:space:]]+(struct[[:space:]]+|class[[:space:]]+|enum[[:space:]]+|protocol[[:space:]]+|typealias[[:space:]]+|func[[:space:]]+|var[[:space:]]+|let[[:space:]]+)?($(STORAGE_MODULES))([[:space:].]|$$)' $(FRONT_END_SOURCES) --include='*.swift')"; \
	if [ -n "$$found" ]; then \
		echo "error: a front end imports a storage module; call a service instead (RegisterServices):" >&2; \
		echo "$$found" >&2; \
		exit 1; \
	fi

build: deps check-imports
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)

# The end-to-end tests run the real `ripa` binary: build it, then point them at exactly that
# binary (never one found on PATH).
test: deps check-imports $(WEB_VENV)/.installed
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)
	RIPA_BIN="$$($(SWIFT) build --show-bin-path)/ripa" $(SWIFT) test
	$(MAKE) browser-test

# The web application in Debian's Chromium through Playwright: the whole case walked by
# its users, every page checked with axe-core, the OpenAPI document fuzzed by schemathesis.
# Screenshots of each step land in tests/browser/output/.
browser-test: deps $(WEB_VENV)/.installed
	$(SWIFT) build $(SWIFT_BUILD_FLAGS) --product ripa
	bin="$$($(SWIFT) build --show-bin-path)"; cd tests/browser && RIPA_BIN="$$bin/ripa" ../../$(WEB_VENV)/bin/python -m pytest -q -p no:cacheprovider

$(WEB_VENV)/.installed: tests/browser/requirements.txt
	python3 -m venv $(WEB_VENV)
	$(WEB_VENV)/bin/pip install -q --disable-pip-version-check -r tests/browser/requirements.txt
	touch $@

demo: deps check-imports
	$(SWIFT) build $(SWIFT_BUILD_FLAGS) --product ripa
	./scripts/demo.sh "$$($(SWIFT) build --show-bin-path)/ripa"

bench: deps
	$(SWIFT) build -c release --product ripa-bench
	"$$($(SWIFT) build -c release --show-bin-path)/ripa-bench"

clean:
	rm -rf .build
