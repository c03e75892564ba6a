# The two commands of the README:
#   make run    builds in release mode and simulates configs/deepseek-r1.yaml (the reference run)
#   make test   runs every test, with the scheduler's invariant checks compiled in, then holds
#               the shipped configs to their expect: lists (clustersim check configs/, JUnit XML
#               in .build/check-report.xml), then runs a sweep on a one-node Slurm cluster it
#               starts and stops (scripts/test-slurm.sh; installs slurm-wlm and munge when missing),
#               then opens the HTML reports in headless Chromium (scripts/test-report.sh; installs
#               chromium when missing; screenshots in .build/test-output/report/)
# Both first install what a fresh Debian machine with the Swift toolchain lacks (libnuma-dev).

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test deps build bench

run: deps
	$(SWIFT) build -c release --product clustersim
	.build/release/clustersim simulate configs/deepseek-r1.yaml

test: deps
	$(SWIFT) test --disable-xctest -Xswiftc -DCLUSTERSIM_INVARIANTS
	$(SWIFT) build -c release --product clustersim
	.build/release/clustersim check configs/ --only-failed --junit .build/check-report.xml
	scripts/test-slurm.sh
	scripts/test-report.sh

build: deps
	$(SWIFT) build -c release --product clustersim

# The benchmarks of docs/performance.md: the bare engine (events per second, one core), the
# reliability benchmark on one thread and on every CPU (replications per second, and the ratio),
# the reference program, and the Daly model against SimPy (benchmarks/compare.sh; installs SimPy
# with pip into .build/bench-venv).
THREADS ?= $(shell nproc)
bench: build
	.build/release/clustersim bench --engine
	.build/release/clustersim bench configs/bench-reliability.yaml --replications 10000 --threads 1
	.build/release/clustersim bench configs/bench-reliability.yaml --replications 10000 --threads $(THREADS)
	.build/release/clustersim bench configs/deepseek-r1.yaml --replications 200000 --threads 1
	benchmarks/compare.sh

# libnuma's header and pkg-config file come from Debian's libnuma-dev.
deps:
	@if [ ! -f /usr/include/numa.h ] || ! pkg-config --exists numa 2>/dev/null; then \
	  echo "installing libnuma-dev and pkg-config with apt-get"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libnuma-dev pkg-config; \
	fi
