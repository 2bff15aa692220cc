# ccdirsync — make help lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

SWIFT ?= swift
# Debian packages the build and the tests need: libldap for the client, slapd and the
# ldap-utils for the test server and the LDIF cross-checks, jemalloc for the executables (see
# Package.swift), openssl for test certificates,
# GNU time for the peak memory of the resource-bound tests and the benchmark.
APT_PACKAGES := slapd ldap-utils libldap2-dev libjemalloc-dev openssl time
# Samba's Active Directory domain controller, the second test server (TestSupport's SambaADServer). Installed
# with the packages they recommend: samba-ad-provision's recommendations are needed to provision a domain.
SAMBA_APT_PACKAGES := samba samba-ad-dc samba-ad-provision
# Services the packages start that the tests do not want running (the tests start their own samba).
SAMBA_SERVICES := samba-ad-dc smbd nmbd winbind
SWIFT_FORMAT_PATHS := Package.swift Plugins Sources Tests

.PHONY: help deps build demo test lint format clean bench fuzz fuzz-build release install install-stage uninstall \
	package package-deps package-test

# Installs with apt-get (as root, or through sudo) the Debian packages of $(1) that are missing, then runs the shell
# command $(2) when it installed any. Without recommended packages, unless $(3) is `recommends`.
define apt_install
@missing=""; \
for p in $(1); do \
  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
  echo "installing:$$missing"; \
  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(if $(filter recommends,$(3)),,--no-install-recommends) $$missing && \
  { $(2) true; }; \
fi
endef

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-13s\033[0m %s\n", $$1, $$2}'

deps: ## Install slapd, ldap-utils, libldap2-dev, openssl, time and Samba AD (samba, samba-ad-dc, samba-ad-provision) with apt-get when missing
	$(call apt_install,$(APT_PACKAGES),$$SUDO systemctl disable --now slapd >/dev/null 2>&1 || $$SUDO service slapd stop >/dev/null 2>&1 || true;)
	$(call apt_install,$(SAMBA_APT_PACKAGES),for s in $(SAMBA_SERVICES); do $$SUDO systemctl disable --now $$s >/dev/null 2>&1 || $$SUDO service $$s stop >/dev/null 2>&1 || true; done;,recommends)

build: deps ## Build the ccdirsync executable (debug)
	$(SWIFT) build --product ccdirsync

# FLAVOUR=ad runs the demo against a throwaway Samba Active Directory (exchange2000 profile, ldaps) instead.
FLAVOUR ?=

demo: deps ## Throwaway slapd from fixtures/, plan, apply, plan again, HTML report (the main job, end to end); FLAVOUR=ad: on Samba AD
	$(SWIFT) build --product ccdirsync
	$(SWIFT) build --product ccdirsync-demo
	.build/debug/ccdirsync-demo $(if $(filter ad,$(FLAVOUR)),--ad,)

test: deps ## Run every test: unit, integration (real slapd and Samba AD on loopback) and CLI
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

N ?= 100000
RUNS ?= 3

bench: deps ## ccdirsync vs ldapsearch/ldapmodify on a generated directory (N=100000, RUNS=3); rewrites that size's table in docs/BENCHMARKS.md
	$(SWIFT) build -c release --product ccdirsync
	$(SWIFT) build -c release --product ccdirsync-generate
	$(SWIFT) build -c release --product ccdirsync-bench
	.build/release/ccdirsync-bench parse --users $(N)
	.build/release/ccdirsync-bench sync --users $(N) --runs $(RUNS) --doc docs/BENCHMARKS.md

# The same read, plan and apply on Samba AD (issue 21): N is 5000 here unless given on the command line (the seed
# is loaded with ldapadd at about 5 ms an entry, and each apply writes as slowly).
.PHONY: bench-ad
bench-ad: N = 5000
bench-ad: deps ## ccdirsync vs ldapsearch/ldapmodify on Samba AD, exchange2000 over ldaps (N=5000, RUNS=3); rewrites its table in docs/BENCHMARKS.md
	$(SWIFT) build -c release --product ccdirsync
	$(SWIFT) build -c release --product ccdirsync-generate
	$(SWIFT) build -c release --product ccdirsync-bench
	.build/release/ccdirsync-bench sync-ad --users $(N) --runs $(RUNS) --doc docs/BENCHMARKS.md

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

# Shipping: a release binary that needs no Swift toolchain, `make install`, the Debian package and its proof.
#
# The version is CCDirSyncVersion.current in Sources/ccdirsync/CCDirSync.swift (the one place it lives); the
# commit the binary prints comes from the BuildInfo plugin (Plugins/BuildInfo). The release build has its own
# scratch folder so it never disturbs the debug build of `make test`.
VERSION := $(shell sed -n 's/^ *static let current = "\(.*\)"$$/\1/p' Sources/ccdirsync/CCDirSync.swift)
RELEASE_SCRATCH := .build-release
STAGE := $(RELEASE_SCRATCH)/stage
# The Swift runtime and Foundation linked in (no toolchain on the server), no $ORIGIN run path, and symbols bound
# at start (full RELRO, as Debian's hardening flags ask).
RELEASE_FLAGS := -c release --static-swift-stdlib --disable-local-rpath --scratch-path $(RELEASE_SCRATCH) \
  -Xlinker -z -Xlinker now
# Man pages are dated by the last commit, so the same commit gives the same pages.
MANUAL_DATE := $(shell git log -1 --format=%cs 2>/dev/null || date -u +%F)
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)
export SOURCE_DATE_EPOCH

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/ccdirsync
BASH_COMPLETION_DIR ?= $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETION_DIR ?= $(PREFIX)/share/zsh/site-functions
FISH_COMPLETION_DIR ?= $(PREFIX)/share/fish/vendor_completions.d
# systemd reads units from /usr/local/lib/systemd/system too; the package puts them in /lib/systemd/system.
SYSTEMD_UNIT_DIR ?= $(PREFIX)/lib/systemd/system

PACKAGE_DIR := $(RELEASE_SCRATCH)/package
PACKAGE_ROOT := $(PACKAGE_DIR)/root
DEB_ARCH = $(shell dpkg --print-architecture)
DEB = $(PACKAGE_DIR)/ccdirsync_$(VERSION)_$(DEB_ARCH).deb
# Tools only the package targets need: dpkg-shlibdeps, lintian, debootstrap (the fresh machine of package-test).
PACKAGE_APT_PACKAGES := dpkg-dev binutils lintian debootstrap

release: deps ## Release binary with the Swift runtime linked in, stripped, plus man pages and completions (.build-release/stage)
	$(SWIFT) build $(RELEASE_FLAGS) --product ccdirsync
	$(SWIFT) build $(RELEASE_FLAGS) --product generate-manual
	rm -rf $(STAGE)
	mkdir -p $(STAGE)/man $(STAGE)/completions
	strip --strip-all --remove-section=.comment -o $(STAGE)/ccdirsync $(RELEASE_SCRATCH)/release/ccdirsync
	$(RELEASE_SCRATCH)/release/generate-manual $(STAGE)/ccdirsync --multi-page --section 1 --date $(MANUAL_DATE) \
	  --output-directory $(STAGE)/man
	@# A subcommand's NAME is `ccdirsync.plan` (the page's name; whatis and apropos cannot parse a name with a
	@# space), its SYNOPSIS still `ccdirsync plan`.
	for page in $(STAGE)/man/ccdirsync.*.1; do \
	  sub=$$(basename $$page .1); sub=$${sub#ccdirsync.}; \
	  sed -i -e "s/^\.Nm \"ccdirsync $$sub\"$$/.Nm ccdirsync.$$sub/" -e "s/^\.Nm$$/.Nm \"ccdirsync $$sub\"/" $$page; \
	done
	@# Completions are sourced, not run: no #! line.
	for shell in bash zsh fish; do \
	  $(STAGE)/ccdirsync --generate-completion-script $$shell | sed '1{/^#!/d}' >$(STAGE)/completions/ccdirsync.$$shell \
	    && [ -s $(STAGE)/completions/ccdirsync.$$shell ] || exit 1; \
	done
	@echo "$(STAGE)/ccdirsync: $$(stat -c %s $(STAGE)/ccdirsync) bytes stripped; $$($(STAGE)/ccdirsync --version)"
	@echo "links: $$(ldd $(STAGE)/ccdirsync | awk '{print $$1}' | tr '\n' ' ')"

install: release ## Install under DESTDIR+PREFIX (PREFIX=/usr/local): binary, man pages, completions, example config, systemd units
	$(MAKE) --no-print-directory install-stage

# What install copies, from an existing $(STAGE) (make package calls it after its own release build).
install-stage:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR)/examples \
	  $(DESTDIR)$(BASH_COMPLETION_DIR) $(DESTDIR)$(ZSH_COMPLETION_DIR) $(DESTDIR)$(FISH_COMPLETION_DIR) \
	  $(DESTDIR)$(SYSTEMD_UNIT_DIR)
	install -m 0755 $(STAGE)/ccdirsync $(DESTDIR)$(BINDIR)/ccdirsync
	install -m 0644 $(STAGE)/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(STAGE)/completions/ccdirsync.bash $(DESTDIR)$(BASH_COMPLETION_DIR)/ccdirsync
	install -m 0644 $(STAGE)/completions/ccdirsync.zsh $(DESTDIR)$(ZSH_COMPLETION_DIR)/_ccdirsync
	install -m 0644 $(STAGE)/completions/ccdirsync.fish $(DESTDIR)$(FISH_COMPLETION_DIR)/ccdirsync.fish
	install -m 0644 dist/ccdirsync.yaml $(DESTDIR)$(DOCDIR)/examples/ccdirsync.yaml
	install -m 0644 README.md CHANGELOG.md LICENSE $(DESTDIR)$(DOCDIR)/
	sed 's|/usr/bin/ccdirsync|$(BINDIR)/ccdirsync|' dist/systemd/ccdirsync.service \
	  >$(DESTDIR)$(SYSTEMD_UNIT_DIR)/ccdirsync.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_UNIT_DIR)/ccdirsync.service
	install -m 0644 dist/systemd/ccdirsync.timer $(DESTDIR)$(SYSTEMD_UNIT_DIR)/ccdirsync.timer

uninstall: ## Remove what make install put there (the same PREFIX and DESTDIR)
	rm -f $(DESTDIR)$(BINDIR)/ccdirsync $(DESTDIR)$(MANDIR)/man1/ccdirsync.1 $(DESTDIR)$(MANDIR)/man1/ccdirsync.*.1 \
	  $(DESTDIR)$(BASH_COMPLETION_DIR)/ccdirsync $(DESTDIR)$(ZSH_COMPLETION_DIR)/_ccdirsync \
	  $(DESTDIR)$(FISH_COMPLETION_DIR)/ccdirsync.fish $(DESTDIR)$(DOCDIR)/examples/ccdirsync.yaml \
	  $(addprefix $(DESTDIR)$(DOCDIR)/,README.md CHANGELOG.md LICENSE) \
	  $(DESTDIR)$(SYSTEMD_UNIT_DIR)/ccdirsync.service $(DESTDIR)$(SYSTEMD_UNIT_DIR)/ccdirsync.timer
	-rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null

package-deps: ## Install dpkg-dev, binutils, lintian and debootstrap with apt-get when missing (make package needs them)
	$(call apt_install,$(PACKAGE_APT_PACKAGES),)

package: package-deps release ## The Debian package ccdirsync_<version>_<arch>.deb in .build-release/package, checked by lintian
	rm -rf $(PACKAGE_ROOT)
	$(MAKE) --no-print-directory install-stage DESTDIR=$(PACKAGE_ROOT) PREFIX=/usr SYSTEMD_UNIT_DIR=/lib/systemd/system \
	  ZSH_COMPLETION_DIR=/usr/share/zsh/vendor-completions
	scripts/build-deb.sh $(PACKAGE_ROOT) $(VERSION) $(PACKAGE_DIR)
	@dpkg-deb --field $(DEB) Package Version Architecture Installed-Size Depends
	@echo "$(DEB): $$(stat -c %s $(DEB)) bytes"
	lintian --display-info --fail-on error,warning $(DEB)

package-test: package ## The package on a fresh debootstrap'ed Debian bookworm (no Swift), against slapd on loopback (minutes)
	scripts/package-test.sh $(DEB)

lint: ## Check formatting with swift format (strict)
	$(SWIFT) format lint --strict --recursive $(SWIFT_FORMAT_PATHS)

format: ## Reformat the sources in place
	$(SWIFT) format format --in-place --recursive $(SWIFT_FORMAT_PATHS)

clean: ## Remove build products
	@# --one-file-system: never into a mount an interrupted package-test left in its Debian root (/proc, /dev/pts).
	rm -rf --one-file-system .build $(RELEASE_SCRATCH)

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
