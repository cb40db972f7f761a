// SPDX-License-Identifier: GPL-2.0
/*
 * netns_env.c - the network namespace of the socket-semantics tests and
 * their shared helpers (see netns_env.h).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <linux/netstack.h>

#include "module_util.h"
#include "netns_env.h"

int family;

void sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	status = system(cmd);
	REQUIRE(status == 0, "`%s` exited with %#x", cmd, status);
}

const char *nsctl_path(void)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	REQUIRE(n > 0, "readlink /proc/self/exe: %s", strerrorname(errno));
	exe[n] = '\0';
	snprintf(path, sizeof(path), "%s/../tools/nsctl/nsctl", dirname(exe));
	REQUIRE(access(path, X_OK) == 0, "%s: not built (make nsctl)", path);
	return path;
}

int sysctl_int(const char *path)
{
	FILE *f = fopen(path, "r");
	int val = -1, n;

	REQUIRE(f, "%s: %s", path, strerrorname(errno));
	n = fscanf(f, "%d", &val);
	REQUIRE(n == 1, "%s unreadable", path);
	fclose(f);
	return val;
}

void netns_env(int f)
{
	family = f;
	if (f == AF_NETSTACK)
		ns_module_ensure_loaded();
	REQUIRE(unshare(CLONE_NEWNET) == 0, "unshare: %s", strerrorname(errno));
	sh("ip link set lo up && ip link add d0 type dummy && ip link set d0 up");
	if (f == AF_INET) {
		sh("ip addr add %s/24 brd + dev d0", LOCAL_IP);
	} else {
		const char *nsctl = nsctl_path();

		sh("%s link attach d0 && %s addr add %s/24 dev d0 >/dev/null",
		   nsctl, nsctl, LOCAL_IP);
	}
}

struct sockaddr_in addr_of(const char *ip, unsigned int port)
{
	struct sockaddr_in a = { .sin_family = family, .sin_port = htons(port) };

	REQUIRE(inet_pton(AF_INET, ip, &a.sin_addr) == 1, "%s", ip);
	return a;
}

void set_int(int fd, int level, int opt, int val)
{
	REQUIRE(setsockopt(fd, level, opt, &val, sizeof(val)) == 0,
		"setsockopt(%d, %d): %s", level, opt, strerrorname(errno));
}

int get_int(int fd, int level, int opt)
{
	socklen_t len = sizeof(int);
	int val = -1;

	REQUIRE(getsockopt(fd, level, opt, &val, &len) == 0,
		"getsockopt(%d, %d): %s", level, opt, strerrorname(errno));
	REQUIRE(len == sizeof(int), "getsockopt length %u", len);
	return val;
}

void set_rcvtimeo(int fd, long ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	REQUIRE(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0);
}

void set_call_timeouts(int fd, bool send_too)
{
	struct timeval tv = { .tv_sec = CALL_TIMEOUT_MS / 1000,
			      .tv_usec = CALL_TIMEOUT_MS % 1000 * 1000 };

	set_rcvtimeo(fd, CALL_TIMEOUT_MS);
	if (send_too)
		REQUIRE(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == 0);
}

const char *addr_str(const struct sockaddr_in *a)
{
	static char buf[4][48];
	static int i;
	char ip[INET_ADDRSTRLEN];

	i = (i + 1) % 4;
	inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
	snprintf(buf[i], sizeof(buf[i]), "family %d %s:%u", a->sin_family, ip,
		 ntohs(a->sin_port));
	return buf[i];
}

struct sockaddr_in sock_name(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	memset(&a, 0xa5, sizeof(a));
	REQUIRE(getsockname(fd, SA(&a), &len) == 0, "getsockname: %s", strerrorname(errno));
	CHECK(len == sizeof(a), "getsockname length %u", len);
	CHECK(a.sin_family == family, "getsockname family %d", a.sin_family);
	return a;
}

unsigned int local_port(int fd)
{
	return ntohs(sock_name(fd).sin_port);
}

void port_range(unsigned int *lo, unsigned int *hi)
{
	FILE *f;
	int n;

	*lo = 32768;
	*hi = 60999;
	if (family != AF_INET)
		return;
	f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	REQUIRE(f, "ip_local_port_range: %s", strerrorname(errno));
	n = fscanf(f, "%u %u", lo, hi);
	REQUIRE(n == 2, "ip_local_port_range unreadable");
	fclose(f);
}

long stat_of(const char *name)
{
	FILE *f = fopen("/proc/net/netstack/stats", "r");
	char key[64];
	long val, found = -1;

	REQUIRE(f, "/proc/net/netstack/stats: %s", strerrorname(errno));
	while (fscanf(f, "%63s %ld", key, &val) == 2)
		if (!strcmp(key, name))
			found = val;
	fclose(f);
	REQUIRE(found >= 0, "no counter %s", name);
	return found;
}

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

short poll_now(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n = poll(&p, 1, timeout_ms);

	REQUIRE(n >= 0, "poll: %s", strerrorname(errno));
	return n ? p.revents : 0;
}
