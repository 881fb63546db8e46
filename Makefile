# Common commands; CMake does the building (see README.md).
BUILD ?= build
CMAKE_FLAGS ?=
PREFIX ?=
JOBS ?= $(shell nproc)

.PHONY: all deps build test test-host test-vm bench install install-lib install-module \
	dkms uninstall clean

all: build

# Install the Debian packages the project needs (root; no-op when present).
deps:
	@tools/deps/install

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

# Host tests (ctest), then the guest tests in qemu.
test: build
	$(MAKE) --no-print-directory test-host test-vm

test-host:
	cd $(BUILD) && ctest --output-on-failure

# Every suite in the ordinary guest (two vCPUs; it reports the longest
# non-preemptible stretches) on each kernel and paging mode, then the suites
# that drive long work in the instruction-counted guest (6.1, 5-level
# paging), which bounds them (2 ms; docs/testing.md); then make bench --host
# where ksc.ko loads (the guest) measures luajit.
BOUND_SUITES = 11-lua-hostile 13-lua-conformance 14-lua-worstcase 15-safety 16-handlers 17-jit 90-fuzz
test-vm:
	tests/vm/run $(BUILD)
	RUNS=default VM_ARGS=--icount SUITES="$(BOUND_SUITES)" tests/vm/run $(BUILD)
	bench/compare/test_host_in_guest.sh $(BUILD)

# The comparative benchmark in the qemu guest (bench/compare/run --help):
# make bench BENCH_ARGS="--quick", BENCH_ARGS="--host", ...
BENCH_ARGS ?=
bench: build
	bench/compare/run --build $(BUILD) $(BENCH_ARGS)

# install: the library, programs and man pages (install-lib: PREFIX=/opt/ksc
# installs there, default CMAKE_INSTALL_PREFIX, /usr/local) and ksc.ko for
# KSC_KDIR's kernel in /lib/modules/RELEASE/updates with its udev rule
# (install-module, root). DESTDIR stages both. dkms: the module's sources for
# DKMS. uninstall: removes what install installed.
KMOD_INSTALL = backend-luajit-kmod/install/kmod-install
install: install-lib install-module

# The manifest is kept as installed-files.txt: any other 'cmake --install'
# (the tests') rewrites install_manifest.txt.
install-lib: build
	cmake --install $(BUILD) $(if $(PREFIX),--prefix $(PREFIX))
	cp $(BUILD)/install_manifest.txt $(BUILD)/installed-files.txt

install-module: build
	$(KMOD_INSTALL) install $(BUILD)

dkms: build
	$(KMOD_INSTALL) dkms $(BUILD)

uninstall:
	tools/uninstall $(BUILD)/installed-files.txt
	$(KMOD_INSTALL) uninstall $(BUILD)

clean:
	rm -rf $(BUILD)
