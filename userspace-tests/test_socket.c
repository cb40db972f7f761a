// SPDX-License-Identifier: GPL-2.0
/*
 * test_socket.c - socket(AF_NETSTACK, ...) as documented: which types and
 * protocols exist, the errno of every bad argument (the one AF_INET gives,
 * checked side by side where AF_INET has the same answer), and what an
 * unbound socket reports. Until TCP is in, the operations of SOCK_STREAM
 * sockets that need it fail with EOPNOTSUPP. UDP's semantics are in
 * test_udp.c.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/netstack.h>

#include "harness.h"
#include "module_util.h"

struct create_case {
	int type, protocol;
	int err;		/* 0: the socket is created */
	bool same_as_inet;	/* AF_INET answers the same */
};

static const struct create_case create_cases[] = {
	{ SOCK_STREAM, 0, 0, true },
	{ SOCK_STREAM, IPPROTO_TCP, 0, true },
	{ SOCK_DGRAM, 0, 0, true },
	{ SOCK_DGRAM, IPPROTO_UDP, 0, true },
	{ SOCK_STREAM, IPPROTO_UDP, EPROTONOSUPPORT, true },
	{ SOCK_DGRAM, IPPROTO_TCP, EPROTONOSUPPORT, true },
	{ SOCK_STREAM, IPPROTO_SCTP, EPROTONOSUPPORT, true },
	{ SOCK_DGRAM, IPPROTO_ICMP, EPROTONOSUPPORT, false },	/* no ping sockets */
	{ SOCK_SEQPACKET, 0, ESOCKTNOSUPPORT, true },
	{ SOCK_RDM, 0, ESOCKTNOSUPPORT, true },
	{ SOCK_DCCP, 0, ESOCKTNOSUPPORT, true },
	{ SOCK_RAW, IPPROTO_UDP, ESOCKTNOSUPPORT, false },	/* no raw sockets */
	{ 11, 0, EINVAL, true },				/* SOCK_MAX */
	{ 1000, 0, EINVAL, true },
	{ SOCK_STREAM, -1, EINVAL, true },
	{ SOCK_DGRAM, 263, EINVAL, true },			/* IPPROTO_MAX */
	{ SOCK_DGRAM, 100000, EINVAL, true },
};

static int create_errno(int family, int type, int protocol)
{
	int fd = socket(family, type, protocol);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

NS_TEST(socket_types_and_protocols)
{
	unsigned int i;

	ns_module_ensure_loaded();
	for (i = 0; i < sizeof(create_cases) / sizeof(create_cases[0]); i++) {
		const struct create_case *c = &create_cases[i];
		int got = create_errno(AF_NETSTACK, c->type, c->protocol);

		CHECK(got == c->err, "socket(AF_NETSTACK, %d, %d): want %s, got %s",
		      c->type, c->protocol, c->err ? strerrorname(c->err) : "a socket",
		      got ? strerrorname(got) : "a socket");
		if (c->same_as_inet) {
			int inet = create_errno(AF_INET, c->type, c->protocol);

			CHECK(got == inet, "socket(%d, %d): AF_INET gives %s, AF_NETSTACK %s",
			      c->type, c->protocol, inet ? strerrorname(inet) : "a socket",
			      got ? strerrorname(got) : "a socket");
		}
	}
}

NS_TEST(socket_bad_family)
{
	CHECK_ERRNO(socket(-1, SOCK_STREAM, 0), EAFNOSUPPORT);
	CHECK_ERRNO(socket(46, SOCK_STREAM, 0), EAFNOSUPPORT);	/* AF_MAX */
	CHECK_ERRNO(socket(1000, SOCK_DGRAM, 0), EAFNOSUPPORT);
}

NS_TEST(socket_flags_and_options)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM };
	unsigned int i;

	ns_module_ensure_loaded();
	for (i = 0; i < 2; i++) {
		int type = types[i], val, fd;
		socklen_t len = sizeof(val);

		fd = CHECK_OK(socket(AF_NETSTACK, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
		if (fd < 0)
			continue;
		CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
		CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);

		CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &val, &len));
		CHECK(val == AF_NETSTACK, "SO_DOMAIN %d", val);
		CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_TYPE, &val, &len));
		CHECK(val == type, "SO_TYPE %d", val);
		CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &val, &len));
		CHECK(val == (type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP),
		      "SO_PROTOCOL %d", val);
		CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_ERROR, &val, &len));
		CHECK(val == 0, "SO_ERROR %d", val);

		/* SOL_SOCKET buffer sizes behave as for any socket (doubled). */
		val = 65536;
		CHECK_OK(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &val, sizeof(val)));
		CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &val, &len));
		CHECK(val == 2 * 65536, "SO_RCVBUF %d", val);
		close(fd);
	}
}

/* What AF_INET and AF_NETSTACK say of a fresh socket of the same type. */
NS_TEST(socket_unbound_state_matches_inet)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM };
	unsigned int i;

	ns_module_ensure_loaded();
	for (i = 0; i < 2; i++) {
		int type = types[i];
		int ns = CHECK_OK(socket(AF_NETSTACK, type, 0));
		int in = CHECK_OK(socket(AF_INET, type, 0));
		struct pollfd p[2] = { { .fd = ns, .events = POLLIN | POLLOUT | POLLPRI },
				       { .fd = in, .events = POLLIN | POLLOUT | POLLPRI } };
		struct sockaddr_ns sns;
		socklen_t len = sizeof(sns);

		if (ns < 0 || in < 0)
			continue;
		memset(&sns, 0xa5, sizeof(sns));
		CHECK_OK(getsockname(ns, (struct sockaddr *)&sns, &len));
		CHECK(len == sizeof(sns), "getsockname length %u", len);
		CHECK(sns.sns_family == AF_NETSTACK, "family %d", sns.sns_family);
		CHECK(sns.sns_port == 0 && sns.sns_addr.s_addr == 0, "not 0.0.0.0:0");

		len = sizeof(sns);
		CHECK_ERRNO(getpeername(ns, (struct sockaddr *)&sns, &len), ENOTCONN);
		CHECK_ERRNO(getpeername(in, (struct sockaddr *)&sns, &len), ENOTCONN);

		CHECK(poll(p, 2, 0) == 2);
		CHECK(p[0].revents == p[1].revents, "type %d: poll %#x, AF_INET %#x",
		      type, p[0].revents, p[1].revents);

		/* Not connected: ENOTCONN, yet the socket is shut for pollers. */
		CHECK_ERRNO(shutdown(ns, 3), EINVAL);
		CHECK_ERRNO(shutdown(in, 3), EINVAL);
		CHECK_ERRNO(shutdown(ns, SHUT_RD), ENOTCONN);
		CHECK_ERRNO(shutdown(in, SHUT_RD), ENOTCONN);
		CHECK(poll(p, 2, 0) == 2);
		CHECK(p[0].revents == p[1].revents, "type %d after SHUT_RD: poll %#x, AF_INET %#x",
		      type, p[0].revents, p[1].revents);
		CHECK_ERRNO(shutdown(ns, SHUT_RDWR), ENOTCONN);
		CHECK_ERRNO(shutdown(in, SHUT_RDWR), ENOTCONN);
		CHECK(poll(p, 2, 0) == 2);
		CHECK(p[0].revents == p[1].revents, "type %d after SHUT_RDWR: poll %#x, AF_INET %#x",
		      type, p[0].revents, p[1].revents);
		close(ns);
		close(in);
	}
}

static long stat_value(const char *name)
{
	FILE *f = fopen("/proc/net/netstack/stats", "r");
	char key[64];
	long val, found = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", key, &val) == 2)
		if (!strcmp(key, name))
			found = val;
	fclose(f);
	return found;
}

/* Each network namespace has its own netstack instance and counters. */
NS_TEST(socket_per_netns_instance)
{
	long open0, created0;
	int fds[3], i, status;
	pid_t pid;

	ns_module_ensure_loaded();
	open0 = stat_value("sockets_open");
	created0 = stat_value("sockets_created");
	REQUIRE(open0 >= 0 && created0 >= 0, "no /proc/net/netstack/stats");
	for (i = 0; i < 3; i++)
		fds[i] = CHECK_OK(socket(AF_NETSTACK, i ? SOCK_DGRAM : SOCK_STREAM, 0));
	CHECK(stat_value("sockets_open") == open0 + 3);
	CHECK(stat_value("sockets_created") == created0 + 3);

	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		int fd, ok = 1;

		if (unshare(CLONE_NEWNET))
			_exit(2);
		/* /proc/net follows the reader's namespace. */
		ok &= stat_value("sockets_open") == 0;
		ok &= stat_value("sockets_created") == 0;
		fd = socket(AF_NETSTACK, SOCK_DGRAM, 0);
		ok &= fd >= 0;
		ok &= stat_value("sockets_open") == 1;
		ok &= stat_value("sockets_created") == 1;
		_exit(ok ? 0 : 1);
	}
	REQUIRE(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "new netns: status %#x", status);
	CHECK(stat_value("sockets_open") == open0 + 3, "child netns leaked into ours");

	for (i = 0; i < 3; i++)
		close(fds[i]);
	CHECK(stat_value("sockets_open") == open0);
	CHECK(stat_value("sockets_created") == created0 + 3);
}
