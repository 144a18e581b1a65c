# pakn — make run opens the desk on a demo database; make test runs every test.
SWIFT      ?= swift
DATA_HOME  ?= $(if $(XDG_DATA_HOME),$(XDG_DATA_HOME),$(HOME)/.local/share)
DEMO_DB    ?= $(DATA_HOME)/pakn/demo.sqlite
PAKN        = .build/debug/pakn

# System packages the build and the tests need beyond the base image (python3: the test
# that opens a report workbook with an independent reader, ReportCLITests).
APT_PACKAGES = libsqlite3-dev libncurses-dev zlib1g-dev tmux python3

.PHONY: all build run test deps demo clean

all: build

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Missing packages:$$missing — run: sudo apt-get install -y$$missing"; exit 1; fi; \
	fi

build: deps
	$(SWIFT) build

# Opens the desk on the demo database, creating it at first start.
run: build
	@if [ ! -f "$(DEMO_DB)" ]; then $(PAKN) --db "$(DEMO_DB)" demo; fi
	@$(PAKN) --db "$(DEMO_DB)"

# Recreates the demo database.
demo: build
	$(PAKN) --db "$(DEMO_DB)" demo --force

# Beside a throwaway PostgreSQL cluster (TEST_WRAP, mk/postgres.mk), stopped however the tests end.
test: deps
	$(SWIFT) build --build-tests
	$(TEST_WRAP) $(SWIFT) test --skip-build --parallel

clean:
	rm -rf .build

-include mk/*.mk
