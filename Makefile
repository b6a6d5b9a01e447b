# ripa-register — two commands for a newcomer: `make demo` and `make test`.
# Both install what a fresh Debian machine lacks (libsodium-dev, libsqlite3-dev) first.

SWIFT ?= swift
SYSTEM_PACKAGES := libsodium-dev libsqlite3-dev

.PHONY: deps build test demo bench clean

deps:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

# The end-to-end tests run the real `ripa` binary, so build it before testing.
test: deps
	$(SWIFT) build
	$(SWIFT) test

demo: deps
	$(SWIFT) build --product ripa
	./scripts/demo.sh "$$($(SWIFT) build --show-bin-path)/ripa"

bench: deps
	$(SWIFT) build -c release --product ripa-bench
	"$$($(SWIFT) build -c release --show-bin-path)/ripa-bench"

clean:
	rm -rf .build
