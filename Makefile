# SPDX-License-Identifier: GPL-2.0
#
# netstack — see README.md. The two commands: `make demo` and `make check`.
#
#   make / make module   build netstack.ko against KDIR (the running kernel's
#                        build tree by default)
#   make install         the module for KDIR (modules_install + depmod) and
#                        what netstack-tools holds: nsctl in PREFIX/sbin, the
#                        header in PREFIX/include/linux, the man pages
#                        (PREFIX=/usr/local, DESTDIR honoured; install-module
#                        and install-tools do one half each)
#   make deb             the Debian packages netstack-dkms and netstack-tools
#                        in .build/deb/ (dpkg-buildpackage, dh-dkms)
#   make check           every test: the 7.3 test kernel (cached), module,
#                        DKMS range, KUnit, user-space tests, demo, Debian's
#                        6.1/6.12 kernels with the packages (vm/stock),
#                        network tests and the benchmark's smoke run
#   make demo            the stack at work in the VM
#   make bench           netstack vs Linux side by side in the perf VM
#                        (QUICK=1: a few minutes; CPUS=0: clients and peers
#                        on vCPU 0 only, CPUS=all: unpinned, default 0:1;
#                        BENCH_JSON=PATH: where the JSON goes, default
#                        .build/bench/results.json)
#   make nsctl           build tools/nsctl/nsctl
#   make shell           an interactive shell in the test VM
#   make style           checkpatch --strict over kmod/ and uapi/
#   make sparse          sparse (C=2) over the module
#   make clean

KDIR ?= /lib/modules/$(shell uname -r)/build
FLAVOUR ?= test
BUILD := $(CURDIR)/.build
DEPS := $(CURDIR)/scripts/deps

.PHONY: all module install check demo shell style sparse clean \
	vm-modules userspace dkms-build kernel nsctl bench bench-build \
	install-module install-tools deb

all: module

module:
	@test -d "$(KDIR)" || { echo "make: no kernel build tree at KDIR=$(KDIR);" \
		"install the headers of the running kernel or pass KDIR=/path/to/build" >&2; exit 1; }
	$(MAKE) -C "$(KDIR)" M=$(CURDIR) modules

PREFIX ?= /usr/local
DESTDIR ?=
MANPAGES := man/netstack.7 man/nsctl.8

install: install-module install-tools

# The release the headers were made for (utsrelease.h: Debian's header
# packages say only the upstream version, 6.1.192, in include/config/kernel.release).
install-module: module
	$(MAKE) -C "$(KDIR)" M=$(CURDIR) $(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	depmod $(if $(DESTDIR),-b $(DESTDIR)) -a \
		$$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$(KDIR)/include/generated/utsrelease.h")

# The files of the netstack-tools package (debian/rules calls this with
# PREFIX=/usr): nsctl, the user ABI header, the manual pages.
install-tools:
	@for f in $(MANPAGES); do test -f $$f || { echo "make: $$f is missing:" \
		"install-tools installs the man pages netstack(7) and nsctl(8) from man/" >&2; exit 1; }; done
	$(MAKE) -s -C tools/nsctl
	install -D -m 0755 tools/nsctl/nsctl $(DESTDIR)$(PREFIX)/sbin/nsctl
	install -D -m 0644 uapi/linux/netstack.h $(DESTDIR)$(PREFIX)/include/linux/netstack.h
	install -D -m 0644 man/netstack.7 $(DESTDIR)$(PREFIX)/share/man/man7/netstack.7
	install -D -m 0644 man/nsctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/nsctl.8

# The Debian packages, built by dpkg-buildpackage in a copy of the tree
# (.build/deb/netstack-VERSION); the .debs land in .build/deb/.
deb:
	@$(DEPS) deb
	@scripts/deb

# The module built for the test VM's kernel, in a copy of the sources under
# .build/<kernel build>/ (e.g. .build/7.3-test-<hash>) so that builds for
# different kernels and flavours never mix objects. The test flavour also
# builds the KUnit module.
vm-modules:
	@kdir=$$(vm/kernel --flavour $(FLAVOUR) build) && src=$(BUILD)/$${kdir##*/} && \
	mkdir -p "$$src" && cp -a -u Kbuild uapi kmod "$$src/" && \
	$(MAKE) -s -C "$$kdir" M="$$src" $(if $(filter test,$(FLAVOUR)),NETSTACK_KUNIT=m) modules

kernel:
	@vm/kernel --flavour $(FLAVOUR) build

userspace:
	@$(DEPS) tests
	@$(MAKE) -s -C userspace-tests
	@$(MAKE) -s -C bench

# The benchmark (bench/run): built here, run in the perf guest, which
# bench/run --vm boots (vm/run --flavour perf); the JSON the guest prints
# is copied to BENCH_JSON.
BENCH_JSON ?= $(BUILD)/bench/results.json
bench-build:
	@$(DEPS) tests
	@$(MAKE) -s -C bench

bench: bench-build nsctl
	@bench/run --vm $(if $(filter-out 0,$(QUICK)),--quick) $(if $(CPUS),--cpus $(CPUS)) \
		--json $(BENCH_JSON)

# dkms's view of the DKMS package, in a private DKMS tree (nothing is
# installed on this machine): dkms.conf's kernel range (BUILD_EXCLUSIVE_KERNEL).
# dkms builds the module when vm/stock installs the packages.
dkms-build:
	@$(DEPS) dkms
	@scripts/dkms-build

check:
	@scripts/check

nsctl:
	@$(DEPS) tools
	@$(MAKE) -s -C tools/nsctl

# The demo runs nsctl, udp-tool and tcp-tool in the guest: built here first.
demo: nsctl
	@$(DEPS) tests
	@$(MAKE) -s -C userspace-tests udp-tool tcp-tool
	@$(MAKE) -s vm-modules FLAVOUR=test
	@vm/run --timeout 300 -- scripts/demo

shell:
	@vm/run --shell

style:
	@$(DEPS) style
	@scripts/style

sparse:
	@$(DEPS) sparse
	@scripts/sparse

clean:
	@$(MAKE) -s -C userspace-tests clean
	@$(MAKE) -s -C bench clean
	@$(MAKE) -s -C tools/nsctl clean
	rm -rf $(BUILD)
	find kmod \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name modules.order \) -delete
	rm -f Module.symvers modules.order .*.cmd
