# ccdirsync — make help lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

SWIFT ?= swift
# Debian packages the build and the tests need: libldap for the client, slapd and the
# ldap-utils for the test server and the LDIF cross-checks, openssl for test certificates,
# GNU time for the peak memory of the resource-bound tests and the benchmark.
APT_PACKAGES := slapd ldap-utils libldap2-dev openssl time
SWIFT_FORMAT_PATHS := Package.swift Sources Tests

.PHONY: help deps build demo test lint format clean bench

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

bench: deps ## ccdirsync vs ldapsearch/ldapmodify on a generated directory (N=100000, RUNS=3); appends to docs/BENCHMARKS.md
	@command -v /usr/bin/time >/dev/null || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends time; }
	$(SWIFT) build -c release --product ccdirsync
	$(SWIFT) build -c release --product ccdirsync-generate
	$(SWIFT) build -c release --product ccdirsync-bench
	.build/release/ccdirsync-bench parse --users $(N)
	.build/release/ccdirsync-bench sync --users $(N) --runs $(RUNS) --doc docs/BENCHMARKS.md

lint: ## Check formatting with swift format (strict)
	$(SWIFT) format lint --strict --recursive $(SWIFT_FORMAT_PATHS)

format: ## Reformat the sources in place
	$(SWIFT) format format --in-place --recursive $(SWIFT_FORMAT_PATHS)

clean: ## Remove build products
	rm -rf .build
