// SPDX-License-Identifier: GPL-2.0
/*
 * module_util.c - load and unload netstack.ko through the syscalls, so that
 * tests see the exact errno; read the kernel log through /dev/kmsg.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "harness.h"
#include "module_util.h"

bool ns_module_loaded(const char *name)
{
	char line[256];
	size_t len = strlen(name);
	bool found = false;
	FILE *f = fopen("/proc/modules", "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, name, len) && line[len] == ' ';
	fclose(f);
	return found;
}

/* $NETSTACK_KO, else where vm/run installs it. */
static void module_path(char *buf, size_t len)
{
	const char *env = getenv("NETSTACK_KO");
	struct utsname u;

	if (env) {
		snprintf(buf, len, "%s", env);
		return;
	}
	uname(&u);
	snprintf(buf, len, "/lib/modules/%s/extra/netstack.ko", u.release);
}

int ns_module_load(const char *params)
{
	char path[512];
	int fd, ret;

	module_path(path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ns_note("open %s: %s", path, strerrorname(errno));
		return -errno;
	}
	ret = syscall(SYS_finit_module, fd, params, 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

int ns_module_unload(void)
{
	return syscall(SYS_delete_module, "netstack", O_NONBLOCK) ? -errno : 0;
}

void ns_module_ensure_loaded(void)
{
	int err;

	if (ns_module_loaded("netstack"))
		return;
	err = ns_module_load("");
	REQUIRE(err == 0, "loading netstack: %s", strerrorname(-err));
}

void ns_module_ensure_unloaded(void)
{
	int err;

	if (!ns_module_loaded("netstack"))
		return;
	err = ns_module_unload();
	REQUIRE(err == 0, "unloading netstack: %s", strerrorname(-err));
}

int ns_family(void)
{
	FILE *f = fopen("/sys/module/netstack/parameters/family", "r");
	int family = -1;

	if (f) {
		if (fscanf(f, "%d", &family) != 1)
			family = -1;
		fclose(f);
	}
	return family;
}

int ns_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	REQUIRE(fd >= 0, "open /dev/kmsg: %s", strerrorname(errno));
	lseek(fd, 0, SEEK_END);
	return fd;
}

bool ns_kmsg_contains(int fd, const char *text)
{
	char rec[2048];
	ssize_t n;

	/* One record per read; EAGAIN at the end, EPIPE if overwritten. */
	while ((n = read(fd, rec, sizeof(rec) - 1)) != 0) {
		if (n < 0) {
			if (errno == EPIPE)
				continue;
			return false;
		}
		rec[n] = '\0';
		if (strstr(rec, text))
			return true;
	}
	return false;
}
