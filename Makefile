# homelab: the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs what it needs itself (Debian packages via apt, Python packages via pip
# into virtualenvs under .build-lab/ and .build-bench/), so they work on a fresh machine as root.

SWIFT        ?= swift
BIN_DEBUG    := .build/debug/homelab
BENCH_VENV   := .build-bench/venv
# The benchmark's release build has its own scratch path, so it never waits on (or invalidates)
# the lock and build products of the developer's .build.
BENCH_BUILD  := .build-bench/swift
BIN_BENCH    := $(BENCH_BUILD)/release/homelab
# Debian packages the build, tests and benchmarks need beyond the Swift toolchain.
APT_PACKAGES := python3 python3-venv git libcurl4-openssl-dev libssl-dev libssh2-1-dev zlib1g-dev openssh-server openssh-client \
                openssl curl etcd-server etcd-client zfs-fuse sanoid ansible-core debootstrap
# The lab's Python (test fixtures and protocol doubles): grpcio, grpclib, cryptography...
LAB_VENV     := .build-lab/venv
LAB_PYTHON   := $(abspath $(LAB_VENV))/bin/python3

.PHONY: all build proto lint format test test-engine test-cli test-integration soak bench bench-transport demo deps lab-deps lab-up lab-down lab-test lab-smoke lab-backup bench-zfs bench-validate hooks clean

all: build

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "error: the Swift toolchain (swift) is not on PATH; install Swift 6 from swift.org" >&2; exit 2; }

build: deps
	$(SWIFT) build

# Formatting: swift-format from the toolchain with the project's .swift-format (4 spaces, 160
# columns). `make lint` checks every Swift file git knows except generated protobuf code and fails
# on any difference; `make format` rewrites them in place. CI does not run it (it takes seconds,
# but a style nit should not cost a submission); run `make lint` before you commit.
SWIFT_SOURCES = $$(git ls-files '*.swift' | grep -v '\.pb\.swift$$')

lint:
	@$(SWIFT) format lint --strict --parallel $(SWIFT_SOURCES)

format:
	@$(SWIFT) format --in-place --parallel $(SWIFT_SOURCES)

# The pre-commit hook: scripts/pre-commit validates what is staged. A symlink, so the hook is
# always the checkout's current script; `git rev-parse --git-path hooks` finds the hooks
# directory from a worktree too (it is the main repository's, shared by all its worktrees).
hooks:
	@hooks=$$(git rev-parse --git-path hooks) && mkdir -p "$$hooks" && \
	ln -sfn "$(CURDIR)/scripts/pre-commit" "$$hooks/pre-commit" && \
	echo "installed $$hooks/pre-commit -> $(CURDIR)/scripts/pre-commit"

# Talos' protobuf code from proto/talos/: Swift (Sources/HomelabActions/Talos/Proto) and the lab's
# Python (lab/talos_proto), both committed, with the stamp proto/talos/GENERATED that a test checks
# them against. protoc is Debian's; the Swift plugin is built from the swift-protobuf package the
# build already uses, in a scratch path of its own (the first build takes minutes).
PROTO_BUILD := .build-proto

proto: lab-deps
	@dpkg -s protobuf-compiler >/dev/null 2>&1 || { \
	  echo "installing Debian packages: protobuf-compiler"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler; }
	$(SWIFT) build -c release --product protoc-gen-swift --scratch-path $(PROTO_BUILD)
	proto/generate.sh protoc $(PROTO_BUILD)/release/protoc-gen-swift $(LAB_PYTHON)

$(LAB_VENV)/.installed: lab/requirements.txt | deps
	python3 -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/pip install -q --disable-pip-version-check -r lab/requirements.txt
	touch $@

lab-deps: $(LAB_VENV)/.installed

# The local lab: one Python process with the Proxmox VE double (https://127.0.0.1:8006), a real
# sshd as the host's shell with real ZFS behind it (zfs-fuse in a private mount namespace, pools
# tank and backup on files) and an S3 server (moto). It writes lab/out/inventory.yaml,
# lab/out/storage/ and lab/out/secrets/ for runbooks.
LAB_OUT := lab/out

lab-up: build lab-deps
	@$(LAB_PYTHON) lab/lab.py up --out $(LAB_OUT)

lab-down:
	@if [ -x $(LAB_PYTHON) ]; then $(LAB_PYTHON) lab/lab.py down --out $(LAB_OUT); else python3 lab/lab.py down --out $(LAB_OUT); fi

# The lab's own tests: the double against the real API's schema and facts.
lab-test: lab-deps
	$(LAB_PYTHON) -m unittest discover -s lab/tests -t lab

# What the README tells a newcomer to do by hand, done by `make test`: bring a lab up (on free
# ports, in its own directory, so a lab already running is left alone), take its three Talos VMs
# to a healthy cluster with runbooks/examples/talos-cluster.yaml twice (the second run finds
# everything in place, and no call that changes a node reaches one), bring it down.
SMOKE_OUT   := .build-lab/smoke
SMOKE_STATE := .build-lab/smoke-state
SMOKE_PARAMS = --param new-cluster=true --param secrets-bundle=$(SMOKE_OUT)/talos/secrets.yaml \
               --param talosconfig=$(SMOKE_OUT)/talos/talosconfig --param kubeconfig=$(SMOKE_OUT)/talos/kubeconfig
lab-smoke: build lab-deps
	@rm -rf $(SMOKE_OUT) $(SMOKE_STATE)
	@$(LAB_PYTHON) lab/lab.py up --out $(SMOKE_OUT) --proxmox-port 0 --control-port 0 --no-ssh
	@status=0; before=""; \
	for round in 1 2; do \
	  echo "== lab smoke, run $$round: homelab run runbooks/examples/talos-cluster.yaml --inventory $(SMOKE_OUT)/inventory.yaml"; \
	  PROXMOX_TOKEN="$$(cat $(SMOKE_OUT)/secrets/proxmox-token)" $(BIN_DEBUG) run runbooks/examples/talos-cluster.yaml \
	    --inventory $(SMOKE_OUT)/inventory.yaml --state-dir $(SMOKE_STATE) --fresh --yes $(SMOKE_PARAMS) || { status=1; break; }; \
	  calls=$$($(LAB_PYTHON) lab/talos_calls.py --out $(SMOKE_OUT)) || { status=1; break; }; \
	  echo "   calls that change a Talos node, so far: $$calls"; \
	  if [ -n "$$before" ] && [ "$$calls" != "$$before" ]; then \
	    echo "error: the second run sent calls that change a node:"; $(LAB_PYTHON) lab/talos_calls.py --out $(SMOKE_OUT) --list; status=1; fi; \
	  before=$$calls; \
	done; \
	$(LAB_PYTHON) lab/lab.py down --out $(SMOKE_OUT); \
	exit $$status

# The backup and restore runbooks by hand, as docs/zfs.md shows them, done by `make test`: a lab
# (zfs-fuse host, S3 server) on free ports in its own folder; runbooks/backup.yaml; backup status;
# four datasets destroyed (two with their replicas); runbooks/restore.yaml killed with SIGKILL
# mid-stream, then resumed; every file compared.
lab-backup: build lab-deps
	@$(LAB_PYTHON) lab/backup_smoke.py --homelab $(BIN_DEBUG) --out .build-lab/backup-smoke

# Three passes: the engine's tests, the command line's, then the transports and integrations,
# which start real peers (sshd, HTTPS, gRPC servers) and so run fewer at a time; all always run.
TEST_ENV := HOMELAB_LAB_PYTHON=$(LAB_PYTHON)

test: deps lab-deps
	$(SWIFT) build --build-tests
	@# The disposable Debian host of the Ansible tests: debootstrap once, cached in .build-lab/.
	$(LAB_PYTHON) lab/fixtures/debian_root_fixture.py --build-only
	@status=0; \
	$(MAKE) --no-print-directory test-engine || status=1; \
	$(MAKE) --no-print-directory test-cli || status=1; \
	$(MAKE) --no-print-directory test-integration || status=1; \
	$(MAKE) --no-print-directory lab-test || status=1; \
	$(MAKE) --no-print-directory lab-smoke || status=1; \
	$(MAKE) --no-print-directory lab-backup || status=1; \
	exit $$status

# The Swift passes on their own (after `swift build --build-tests`). The command-line tests run
# the real binary and wait for it on their threads; beside the engine's in-process tests they
# starved its real-time timers (a 100 ms timeout fired 14 s late), so they get a pass of their own.
test-engine:
	$(TEST_ENV) $(SWIFT) test --skip-build --filter 'HomelabCoreTests'

test-cli:
	$(TEST_ENV) $(SWIFT) test --skip-build --filter 'homelabTests'

test-integration:
	$(TEST_ENV) $(SWIFT) test --skip-build --filter 'HomelabTransportTests|HomelabActionsTests' \
	  --experimental-maximum-parallelization-width 3

# Flakes cost a whole CI run, so they are hunted here: the lab's tests SOAK_LAB times and each
# Swift pass SOAK_SWIFT times, in a row; the log of every failed round is kept in SOAK_DIR.
SOAK_LAB   ?= 20
SOAK_SWIFT ?= 10
SOAK_DIR   := .build-lab/soak

soak: deps lab-deps
	$(SWIFT) build --build-tests
	@rm -rf $(SOAK_DIR); mkdir -p $(SOAK_DIR); status=0; \
	for suite in lab-test:$(SOAK_LAB) test-engine:$(SOAK_SWIFT) test-cli:$(SOAK_SWIFT) test-integration:$(SOAK_SWIFT); do \
	  target=$${suite%%:*}; rounds=$${suite##*:}; good=0; bad=0; \
	  for round in $$(seq 1 $$rounds); do \
	    if $(MAKE) --no-print-directory $$target > $(SOAK_DIR)/$$target-$$round.log 2>&1; then \
	      good=$$((good + 1)); rm -f $(SOAK_DIR)/$$target-$$round.log; \
	    else bad=$$((bad + 1)); status=1; echo "  $$target round $$round failed: $(SOAK_DIR)/$$target-$$round.log"; fi; \
	  done; \
	  echo "soak $$target: $$good of $$rounds rounds green, $$bad red"; \
	done; \
	exit $$status

# The demo's secrets are fakes; the state directory is a scratch one under .build-demo/.
DEMO_STATE := .build-demo/state
DEMO_ENV   := PROXMOX_TOKEN=demo-token-not-real TALOS_SECRETS=demo-bundle-not-real

DEMO_LAB := .build-demo/lab
DEMO_TALOS = --param new-cluster=true --param secrets-bundle=$(DEMO_LAB)/talos/secrets.yaml \
             --param talosconfig=$(DEMO_LAB)/talos/talosconfig --param kubeconfig=$(DEMO_LAB)/talos/kubeconfig

demo: build lab-deps
	@echo "== homelab validate   (the whole repository: runbooks, storage/ and the inventory, kubernetes/, flux/)"
	@$(BIN_DEBUG) validate
	@echo
	@echo "== homelab plan runbooks/examples/demo-recovery.yaml"
	@$(BIN_DEBUG) plan runbooks/examples/demo-recovery.yaml
	@echo
	@echo "== homelab run ... : interrupted after 1.5 seconds, as if the laptop lid closed (SIGINT)"
	@rm -rf $(DEMO_STATE)
	@$(DEMO_ENV) $(BIN_DEBUG) run runbooks/examples/demo-recovery.yaml --state-dir $(DEMO_STATE) --yes & pid=$$!; \
	  sleep 1.5; kill -INT $$pid; wait $$pid; echo "(exit $$?: stopped, resumable)"
	@echo
	@echo "== homelab resume: finished steps are not run again"
	@$(DEMO_ENV) $(BIN_DEBUG) resume --state-dir $(DEMO_STATE) --yes
	@echo
	@echo "== homelab validate docs/examples/typos.yaml   (a runbook with mistakes: all reported at once)"
	@$(BIN_DEBUG) validate docs/examples/typos.yaml || true
	@echo
	@echo "== the local lab: a Proxmox VE double (and, with make lab-up, an sshd as the host's shell)"
	@rm -rf $(DEMO_LAB) $(DEMO_STATE)
	@$(LAB_PYTHON) lab/lab.py up --out $(DEMO_LAB) --proxmox-port 0 --control-port 0 --no-ssh
	@echo
	@echo "== homelab run runbooks/examples/talos-cluster.yaml --inventory $(DEMO_LAB)/inventory.yaml"
	@echo "   (ISO, 3 VMs, addresses; secrets bundle + talosconfig; configs applied; etcd bootstrapped; kubeconfig; health)"
	@status=0; \
	PROXMOX_TOKEN="$$(cat $(DEMO_LAB)/secrets/proxmox-token)" $(BIN_DEBUG) run runbooks/examples/talos-cluster.yaml \
	  --inventory $(DEMO_LAB)/inventory.yaml --state-dir $(DEMO_STATE) --yes $(DEMO_TALOS) || status=1; \
	echo; echo "== the files it wrote (mode 0600; their secrets are never printed)"; \
	ls -l $(DEMO_LAB)/talos/secrets.yaml $(DEMO_LAB)/talos/talosconfig $(DEMO_LAB)/talos/kubeconfig || status=1; \
	echo; echo "== homelab plan ... --probe   (read-only: what is already in place, what a run would change)"; \
	PROXMOX_TOKEN="$$(cat $(DEMO_LAB)/secrets/proxmox-token)" $(BIN_DEBUG) plan runbooks/examples/talos-cluster.yaml \
	  --inventory $(DEMO_LAB)/inventory.yaml --probe $(DEMO_TALOS) | grep -E "^Wave|^  [├└]|already done|to do|probe failed|instances" || status=1; \
	$(LAB_PYTHON) lab/lab.py down --out $(DEMO_LAB); \
	exit $$status

$(BENCH_VENV)/bin/ansible-playbook: | deps
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q ansible-core

bench: deps lab-deps $(BENCH_VENV)/bin/ansible-playbook bench-transport bench-zfs bench-validate
	$(SWIFT) build -c release --product homelab --scratch-path $(BENCH_BUILD)
	$(BENCH_VENV)/bin/python bench/plan_bench.py --homelab $(BIN_BENCH) --ansible $(BENCH_VENV)/bin/ansible-playbook
	$(BENCH_VENV)/bin/python bench/run_bench.py --homelab $(BIN_BENCH) --ansible $(BENCH_VENV)/bin/ansible-playbook
	$(LAB_PYTHON) bench/talos_bench.py --homelab $(BIN_BENCH) --lab-python $(LAB_PYTHON)

# ZFS on the lab's zfs-fuse host, one 2 GiB dataset: zfs.replicate against syncoid, and a
# restore's SSH leg (a saved stream into zfs receive) against OpenSSH, with peak memory.
bench-zfs: deps lab-deps
	$(SWIFT) build -c release --product homelab --scratch-path $(BENCH_BUILD)
	$(SWIFT) build -c release --product transport-bench --scratch-path $(BENCH_BUILD)
	HOMELAB_LAB_PYTHON=$(LAB_PYTHON) $(LAB_PYTHON) bench/zfs_bench.py --homelab $(BIN_BENCH) \
	  --transport-bench $(BENCH_BUILD)/release/transport-bench

# Transport throughput alone (a few minutes): 2 GiB over SSH against OpenSSH's ssh, 2 GiB over
# HTTPS against the curl command line, same server and cipher for both, with peak memory; an
# encrypted 512 MiB backup stream through the S3 store against curl --aws-sigv4 on the lab's moto.
# `homelab validate` on the repository and on 500 services made by `homelab service add`.
bench-validate: deps
	$(SWIFT) build -c release --product homelab --scratch-path $(BENCH_BUILD)
	python3 bench/validate_bench.py --homelab $(BIN_BENCH)

bench-transport: deps lab-deps
	$(SWIFT) build -c release --product transport-bench --scratch-path $(BENCH_BUILD)
	HOMELAB_LAB_PYTHON=$(LAB_PYTHON) $(LAB_PYTHON) bench/ssh_bench.py --binary $(BENCH_BUILD)/release/transport-bench
	HOMELAB_LAB_PYTHON=$(LAB_PYTHON) $(LAB_PYTHON) bench/http_bench.py --transport-bench $(BENCH_BUILD)/release/transport-bench
	HOMELAB_LAB_PYTHON=$(LAB_PYTHON) $(LAB_PYTHON) bench/s3_bench.py --transport-bench $(BENCH_BUILD)/release/transport-bench

clean:
	rm -rf .build .build-bench .build-lab
