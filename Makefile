# ccdirsync — make help lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

SWIFT ?= swift
# Debian packages the build and the tests need: libldap for the client, slapd and the
# ldap-utils for the test server and the LDIF cross-checks, jemalloc for the executables (see
# Package.swift), openssl for test certificates,
# GNU time for the peak memory of the resource-bound tests and the benchmark.
APT_PACKAGES := slapd ldap-utils libldap2-dev libjemalloc-dev openssl time
SWIFT_FORMAT_PATHS := Package.swift Sources Tests

.PHONY: help deps build demo test lint format clean bench fuzz fuzz-build

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}'

deps: ## Install slapd, ldap-utils, libldap2-dev, openssl and time with apt-get when missing
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  $$SUDO systemctl disable --now slapd >/dev/null 2>&1 || $$SUDO service slapd stop >/dev/null 2>&1 || true; \
	fi

build: deps ## Build the ccdirsync executable (debug)
	$(SWIFT) build --product ccdirsync

demo: deps ## Throwaway slapd from fixtures/, plan, apply, plan again, HTML report (the main job, end to end)
	$(SWIFT) build --product ccdirsync
	$(SWIFT) build --product ccdirsync-demo
	.build/debug/ccdirsync-demo

test: deps ## Run every test: unit, integration (real slapd on loopback) and CLI
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

N ?= 100000
RUNS ?= 3

bench: deps ## ccdirsync vs ldapsearch/ldapmodify on a generated directory (N=100000, RUNS=3); rewrites that size's table in docs/BENCHMARKS.md
	@command -v /usr/bin/time >/dev/null || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends time; }
	$(SWIFT) build -c release --product ccdirsync
	$(SWIFT) build -c release --product ccdirsync-generate
	$(SWIFT) build -c release --product ccdirsync-bench
	.build/release/ccdirsync-bench parse --users $(N)
	.build/release/ccdirsync-bench sync --users $(N) --runs $(RUNS) --doc docs/BENCHMARKS.md

# Fuzzing: libFuzzer (coverage-guided) with AddressSanitizer, in a separate scratch folder so .build/debug is untouched.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := export-parser ldif-reader dn config-loader
FUZZ_SCRATCH := .build/fuzz
FUZZ_BIN := $(FUZZ_SCRATCH)/release/ccdirsync-fuzz
FUZZ_LIBFUZZER_FLAGS ?=
# The kept corpus is minimised on edge coverage only, so it stays small (hundreds of files per target).
FUZZ_MERGE_FLAGS ?= -use_counters=0
FUZZ_MAX_LEN_export-parser := 8192
FUZZ_MAX_LEN_ldif-reader := 8192
FUZZ_MAX_LEN_dn := 512
FUZZ_MAX_LEN_config-loader := 4096

fuzz: $(addprefix fuzz-run-,$(FUZZ_TARGETS)) ## libFuzzer on each target for FUZZ_SECONDS (600) s; new inputs merged into fixtures/fuzz/ (-j2: two at once)
	@echo "figures: $(FUZZ_SCRATCH)/figures.txt"

fuzz-build:
	$(SWIFT) build -c release --product ccdirsync-fuzz --scratch-path $(FUZZ_SCRATCH) \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xcc -fsanitize=fuzzer-no-link,address

# One target: fuzz from fixtures/fuzz/<target>/ plus a scratch corpus, then merge (minimise) both back into
# fixtures/fuzz/<target>/. Crashes, timeouts and out-of-memory inputs go to $(FUZZ_SCRATCH)/artifacts/.
fuzz-run-%: fuzz-build
	@set -u; t=$*; corpus=fixtures/fuzz/$$t; work=$(FUZZ_SCRATCH)/corpus/$$t; merged=$(FUZZ_SCRATCH)/merged/$$t; \
	log=$(FUZZ_SCRATCH)/logs/$$t.log; mkdir -p $$corpus $$work $(FUZZ_SCRATCH)/artifacts $(FUZZ_SCRATCH)/logs; \
	export CCDIRSYNC_FUZZ_TARGET=$$t ASAN_OPTIONS=detect_leaks=0; \
	echo "fuzzing $$t for $(FUZZ_SECONDS) s (log: $$log)"; start=$$(date +%s); \
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN_$*) -timeout=10 -rss_limit_mb=2048 \
	  -use_value_profile=1 -print_final_stats=1 -artifact_prefix=$(FUZZ_SCRATCH)/artifacts/$$t- $(FUZZ_LIBFUZZER_FLAGS) \
	  $$work $$corpus >$$log 2>&1; status=$$?; seconds=$$(( $$(date +%s) - start )); \
	rm -rf $$merged; mkdir -p $$merged; \
	if $(FUZZ_BIN) -merge=1 $(FUZZ_MERGE_FLAGS) -max_len=$(FUZZ_MAX_LEN_$*) $$merged $$corpus $$work >$$log.merge 2>&1 \
	  && [ -n "$$(ls -A $$merged)" ]; then rm -f $$corpus/*; cp $$merged/* $$corpus/; \
	else echo "$$t: merge failed, corpus kept (see $$log.merge)"; fi; \
	execs=$$(grep -o 'stat::number_of_executed_units: [0-9]*' $$log | grep -o '[0-9]*$$'); \
	crashes=$$(ls $(FUZZ_SCRATCH)/artifacts/ | grep -c "^$$t-" || true); \
	line=$$(printf '%-14s executions %-11s seconds %-5s corpus %4s files %8s bytes  artifacts %s  exit %s' \
	  $$t "$${execs:-?}" $$seconds $$(ls $$corpus | wc -l) $$(cat $$corpus/* | wc -c) $$crashes $$status); \
	echo "$$line"; echo "$$(date -u +%FT%TZ) $$line" >>$(FUZZ_SCRATCH)/figures.txt; \
	if [ $$status -ne 0 ]; then tail -n 40 $$log; \
	  echo "$$t: libFuzzer found a failing input: $(FUZZ_SCRATCH)/artifacts/$$t-*"; exit 1; fi

lint: ## Check formatting with swift format (strict)
	$(SWIFT) format lint --strict --recursive $(SWIFT_FORMAT_PATHS)

format: ## Reformat the sources in place
	$(SWIFT) format format --in-place --recursive $(SWIFT_FORMAT_PATHS)

clean: ## Remove build products
	rm -rf .build

# Fault suite (issue 20): kill -9 at seven points, lost answers through a proxy, slapd stopped, a full state
# directory; each checked for convergence, exact undo and kept foreign values. FaultTests runs a small version.
# N is the users of the organisation, as for bench, but 5000 here unless given on the command line.
.PHONY: faults
faults: N = 5000
faults: deps ## Fault suite on a generated directory (N=5000): kill -9, lost answers, SIGSTOP, full disk (release build)
	$(SWIFT) build -c release --product ccdirsync
	$(SWIFT) build -c release --product ccdirsync-generate
	$(SWIFT) build -c release --product ccdirsync-faults
	.build/release/ccdirsync-faults --users $(N) --figures .build/faults-figures.json
