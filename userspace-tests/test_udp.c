// SPDX-License-Identifier: GPL-2.0
/*
 * test_udp.c - UDP socket semantics, with Linux as the oracle.
 *
 * Every test runs twice with the same expectations: as NAME_inet on
 * Linux's own UDP (AF_INET), which proves each expectation is what Linux
 * does, and as NAME_netstack on AF_NETSTACK. Each run has a network
 * namespace of its own (netns_env.h): datagrams to 10.9.0.1 are
 * delivered locally, never on the wire.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/netstack.h>

#include "harness.h"
#include "netns_env.h"

#define UDP_MAX_PAYLOAD	65507		/* 65535 - 20 (IPv4) - 8 (UDP) */

/* net.core.[rw]mem_default: 6.1 has them in the initial netns only. */
static int rmem_default = -1, wmem_default = -1;

/*
 * Register NAME twice, NAME_inet and NAME_netstack, both calling NAME (in
 * this order, as the runner sorts them).
 */
#define UDP_TEST_TIMEOUT(name, secs)						\
	static void name(void);							\
	NS_TEST_TIMEOUT(name##_netstack, secs) { udp_env(AF_NETSTACK); name(); } \
	NS_TEST_TIMEOUT(name##_inet, secs) { udp_env(AF_INET); name(); }	\
	static void name(void)

#define UDP_TEST(name) UDP_TEST_TIMEOUT(name, 60)

/* The test's own network namespace (netns_env.h), configured for f. */
static void udp_env(int f)
{
	rmem_default = sysctl_int("/proc/sys/net/core/rmem_default");
	wmem_default = sysctl_int("/proc/sys/net/core/wmem_default");
	netns_env(f);
}

/* A socket whose blocking calls wait CALL_TIMEOUT_MS at most. */
static int udp_socket(void)
{
	int fd = socket(family, SOCK_DGRAM, 0);

	REQUIRE(fd >= 0, "socket: %s", strerrorname(errno));
	set_call_timeouts(fd, true);
	return fd;
}

/* A socket bound to ip:port (port 0: an ephemeral one). */
static int bound_socket(const char *ip, unsigned int port)
{
	struct sockaddr_in a = addr_of(ip, port);
	int fd = udp_socket();

	REQUIRE(bind(fd, SA(&a), sizeof(a)) == 0, "bind %s:%u: %s", ip, port,
		strerrorname(errno));
	return fd;
}

static void send_to(int fd, const void *buf, size_t len, const struct sockaddr_in *to)
{
	ssize_t n = sendto(fd, buf, len, 0, SA(to), sizeof(*to));

	REQUIRE(n == (ssize_t)len, "sendto %s: %zd/%s", addr_str(to), n,
		n < 0 ? strerrorname(errno) : "-");
}

/*
 * Receive one datagram, waiting at most CALL_TIMEOUT_MS (netstack delivers
 * local datagrams from a work item, which a busy machine may run late):
 * its length, or -1 with errno.
 */
static ssize_t recv_wait(int fd, void *buf, size_t len, int flags)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, CALL_TIMEOUT_MS) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	return recv(fd, buf, len, flags | MSG_DONTWAIT);
}

static void expect_dgram(int fd, const char *want)
{
	char buf[256];
	ssize_t n = recv_wait(fd, buf, sizeof(buf), 0);

	CHECK(n == (ssize_t)strlen(want) && !memcmp(buf, want, n),
	      "want \"%s\", got %zd%s%s", want, n, n < 0 ? " " : "",
	      n < 0 ? strerrorname(errno) : "");
}

/* ---------------------------------------------------------------- bind */

UDP_TEST(udp_bind_errors)
{
	struct sockaddr_in a = addr_of(LOCAL_IP, 5000), b;
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(5000) };
	int fd = udp_socket(), fd2;

	CHECK_ERRNO(bind(fd, SA(&a), sizeof(a) - 1), EINVAL);
	CHECK_ERRNO(bind(fd, SA(&a), 8), EINVAL);
	CHECK_ERRNO(bind(fd, SA(&a6), sizeof(a6)), EAFNOSUPPORT);
	b = a;
	b.sin_family = AF_UNIX;
	CHECK_ERRNO(bind(fd, SA(&b), sizeof(b)), EAFNOSUPPORT);
	/* AF_UNSPEC only with INADDR_ANY (Linux's compatibility rule). */
	b.sin_family = AF_UNSPEC;
	CHECK_ERRNO(bind(fd, SA(&b), sizeof(b)), EAFNOSUPPORT);
	b = addr_of(OTHER_IP, 5000);
	CHECK_ERRNO(bind(fd, SA(&b), sizeof(b)), EADDRNOTAVAIL);
	b = addr_of(TEST_NET_IP, 5000);
	CHECK_ERRNO(bind(fd, SA(&b), sizeof(b)), EADDRNOTAVAIL);
	b = addr_of(UNROUTED_IP, 0);
	CHECK_ERRNO(bind(fd, SA(&b), sizeof(b)), EADDRNOTAVAIL);
	/* None of that bound it. */
	b = sock_name(fd);
	CHECK(b.sin_port == 0 && b.sin_addr.s_addr == 0, "%s", addr_str(&b));

	/* AF_INET is accepted on input by both; longer lengths too. */
	a.sin_family = AF_INET;
	CHECK_OK(bind(fd, SA(&a), sizeof(a) + 8));
	b = sock_name(fd);
	CHECK_ADDR(&b, sizeof(b), LOCAL_IP, 5000);
	/* Binding twice: EINVAL, whatever the address. */
	CHECK_ERRNO(bind(fd, SA(&a), sizeof(a)), EINVAL);
	b = addr_of("0.0.0.0", 5001);
	CHECK_ERRNO(bind(fd, SA(&b), sizeof(b)), EINVAL);
	b = addr_of(OTHER_IP, 5001);	/* EINVAL comes after the address check */
	CHECK_ERRNO(bind(fd, SA(&b), sizeof(b)), EADDRNOTAVAIL);
	close(fd);

	/* AF_UNSPEC with INADDR_ANY binds (an ephemeral port for port 0). */
	fd2 = udp_socket();
	b = addr_of("0.0.0.0", 0);
	b.sin_family = AF_UNSPEC;
	CHECK_OK(bind(fd2, SA(&b), sizeof(b)));
	b = sock_name(fd2);
	CHECK(b.sin_addr.s_addr == 0, "%s", addr_str(&b));
	CHECK_EPHEMERAL(ntohs(b.sin_port));
	close(fd2);
}

static int try_bind(const char *ip, unsigned int port, int opt)
{
	struct sockaddr_in a = addr_of(ip, port);
	int fd = udp_socket();

	if (opt)
		set_int(fd, SOL_SOCKET, opt, 1);
	if (bind(fd, SA(&a), sizeof(a)) == 0)
		return fd;
	close(fd);
	return -1;
}

/* The second bind of the pair: fd or -1 with errno; the first must work. */
static int bind_pair(const char *ip1, int opt1, const char *ip2, int opt2,
		     unsigned int port, int *first)
{
	*first = try_bind(ip1, port, opt1);
	REQUIRE(*first >= 0, "first bind %s:%u: %s", ip1, port, strerrorname(errno));
	return try_bind(ip2, port, opt2);
}

#define CHECK_PAIR(ip1, opt1, ip2, opt2, port, want_err)			\
	do {									\
		int first_, second_ = bind_pair(ip1, opt1, ip2, opt2, port, &first_); \
		int err_ = second_ < 0 ? errno : 0;				\
		CHECK(err_ == (want_err), "%s/%s then %s/%s: want %s, got %s", \
		      ip1, #opt1, ip2, #opt2, (want_err) ? strerrorname(want_err) : "bound", \
		      err_ ? strerrorname(err_) : "bound");			\
		close(first_);							\
		if (second_ >= 0)						\
			close(second_);						\
	} while (0)

UDP_TEST(udp_bind_conflicts)
{
	int fd, fd2;

	CHECK_PAIR(LOCAL_IP, 0, LOCAL_IP, 0, 6000, EADDRINUSE);
	CHECK_PAIR(LOCAL_IP, 0, "0.0.0.0", 0, 6001, EADDRINUSE);
	CHECK_PAIR("0.0.0.0", 0, LOCAL_IP, 0, 6002, EADDRINUSE);
	CHECK_PAIR("0.0.0.0", 0, "0.0.0.0", 0, 6003, EADDRINUSE);

	CHECK_PAIR(LOCAL_IP, SO_REUSEADDR, LOCAL_IP, SO_REUSEADDR, 6010, 0);
	CHECK_PAIR("0.0.0.0", SO_REUSEADDR, LOCAL_IP, SO_REUSEADDR, 6011, 0);
	CHECK_PAIR(LOCAL_IP, SO_REUSEADDR, LOCAL_IP, 0, 6012, EADDRINUSE);
	CHECK_PAIR(LOCAL_IP, 0, LOCAL_IP, SO_REUSEADDR, 6013, EADDRINUSE);

	/* Other ports are free. */
	fd = try_bind(LOCAL_IP, 6030, 0);
	fd2 = try_bind(LOCAL_IP, 6031, 0);
	CHECK(fd >= 0 && fd2 >= 0);
	close(fd);
	close(fd2);
}

/*
 * SO_REUSEPORT on both sockets (same user) shares the port. Linux 6.1's
 * socket core refuses the option (EOPNOTSUPP) to every family but AF_INET
 * and AF_INET6 without asking the family, so netstack cannot offer it
 * there: the netstack run checks that refusal and skips the rest.
 */
UDP_TEST(udp_bind_reuseport)
{
	int fd = udp_socket(), one = 1, rc;

	rc = setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	if (family == AF_NETSTACK && rc < 0) {
		CHECK(errno == EOPNOTSUPP, "SO_REUSEPORT: %s", strerrorname(errno));
		close(fd);
		SKIP("the 6.1 socket core refuses SO_REUSEPORT to non-inet families");
	}
	CHECK(rc == 0, "SO_REUSEPORT: %s", strerrorname(errno));
	close(fd);
	CHECK_PAIR(LOCAL_IP, SO_REUSEPORT, LOCAL_IP, SO_REUSEPORT, 6020, 0);
	CHECK_PAIR("0.0.0.0", SO_REUSEPORT, "0.0.0.0", SO_REUSEPORT, 6021, 0);
	CHECK_PAIR(LOCAL_IP, SO_REUSEPORT, LOCAL_IP, 0, 6022, EADDRINUSE);
	CHECK_PAIR(LOCAL_IP, 0, LOCAL_IP, SO_REUSEPORT, 6023, EADDRINUSE);
}

UDP_TEST(udp_bind_ephemeral)
{
	unsigned int ports[30], consecutive = 0, i, j;
	struct sockaddr_in a;
	int fds[30], fd;

	fd = bound_socket(LOCAL_IP, 0);
	a = sock_name(fd);
	CHECK(a.sin_addr.s_addr == addr_of(LOCAL_IP, 0).sin_addr.s_addr, "%s", addr_str(&a));
	CHECK_EPHEMERAL(ntohs(a.sin_port));
	close(fd);

	for (i = 0; i < 30; i++) {
		fds[i] = bound_socket("0.0.0.0", 0);
		ports[i] = local_port(fds[i]);
		CHECK_EPHEMERAL(ports[i]);
		for (j = 0; j < i; j++)
			CHECK(ports[i] != ports[j], "port %u given twice", ports[i]);
		if (i && (ports[i] == ports[i - 1] + 1 || ports[i] + 1 == ports[i - 1]))
			consecutive++;
	}
	/* Randomised (RFC 6056), not a counter. */
	CHECK(consecutive < 10, "%u of 29 ports follow the previous one", consecutive);
	for (i = 0; i < 30; i++)
		close(fds[i]);
}

UDP_TEST(udp_close_releases_port)
{
	int fd = bound_socket(LOCAL_IP, 7000);
	struct sockaddr_in to = addr_of(LOCAL_IP, 7001);
	unsigned int port;

	close(fd);
	fd = try_bind(LOCAL_IP, 7000, 0);
	CHECK(fd >= 0, "rebinding a closed socket's port: %s", strerrorname(errno));
	if (fd >= 0)
		close(fd);

	/* A port taken by connect's autobind too. */
	fd = udp_socket();
	CHECK_OK(connect(fd, SA(&to), sizeof(to)));
	port = local_port(fd);
	close(fd);
	fd = try_bind("0.0.0.0", port, 0);
	CHECK(fd >= 0, "rebinding autobound port %u: %s", port, strerrorname(errno));
	if (fd >= 0)
		close(fd);
}

/* --------------------------------------------------------------- names */

UDP_TEST(udp_names_unbound)
{
	int fd = udp_socket();
	struct sockaddr_in a;
	unsigned char buf[32];
	socklen_t len;

	a = sock_name(fd);
	CHECK(a.sin_port == 0 && a.sin_addr.s_addr == 0, "%s", addr_str(&a));
	len = sizeof(a);
	CHECK_ERRNO(getpeername(fd, SA(&a), &len), ENOTCONN);

	/* A larger buffer: the length comes back as 16. */
	len = sizeof(buf);
	CHECK_OK(getsockname(fd, SA(buf), &len));
	CHECK(len == sizeof(struct sockaddr_in), "length %u", len);
	/* A short one: truncated, the full length reported. */
	memset(buf, 0xa5, sizeof(buf));
	len = 4;
	CHECK_OK(getsockname(fd, SA(buf), &len));
	CHECK(len == sizeof(struct sockaddr_in), "length %u", len);
	CHECK(buf[4] == 0xa5, "wrote past the caller's length");
	close(fd);
}

/* ------------------------------------------------------------- connect */

UDP_TEST(udp_connect_errors)
{
	struct sockaddr_in a = addr_of(LOCAL_IP, 7000), b;
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(7000) };
	int fd = udp_socket();
	socklen_t len;

	CHECK_ERRNO(connect(fd, SA(&a), 1), EINVAL);
	CHECK_ERRNO(connect(fd, SA(&a), 8), EINVAL);
	CHECK_ERRNO(connect(fd, SA(&a), sizeof(a) - 1), EINVAL);
	CHECK_ERRNO(connect(fd, SA(&a6), sizeof(a6)), EAFNOSUPPORT);
	b = addr_of(UNROUTED_IP, 7000);
	CHECK_ERRNO(connect(fd, SA(&b), sizeof(b)), ENETUNREACH);
	b = addr_of(SUBNET_BCAST, 7000);
	CHECK_ERRNO(connect(fd, SA(&b), sizeof(b)), EACCES);
	len = sizeof(b);
	CHECK_ERRNO(getpeername(fd, SA(&b), &len), ENOTCONN);
	close(fd);

	fd = udp_socket();
	set_int(fd, SOL_SOCKET, SO_BROADCAST, 1);
	b = addr_of(SUBNET_BCAST, 7000);
	CHECK_OK(connect(fd, SA(&b), sizeof(b)));
	len = sizeof(b);
	CHECK_OK(getpeername(fd, SA(&b), &len));
	CHECK_ADDR(&b, len, SUBNET_BCAST, 7000);
	close(fd);

	/* AF_UNSPEC on a socket that is not connected: fine, no bind. */
	fd = udp_socket();
	b = addr_of("0.0.0.0", 0);
	b.sin_family = AF_UNSPEC;
	CHECK_OK(connect(fd, SA(&b), sizeof(b)));
	CHECK(local_port(fd) == 0);
	close(fd);
}

UDP_TEST(udp_connect_and_disconnect)
{
	struct sockaddr_in peer = addr_of(LOCAL_IP, 7777), peer2 = addr_of(LOCAL_IP, 7778);
	struct sockaddr_in unspec = { .sin_family = AF_UNSPEC }, a;
	unsigned int port;
	socklen_t len;
	int fd;

	/* connect autobinds: the route's source address, an ephemeral port. */
	fd = udp_socket();
	CHECK_OK(connect(fd, SA(&peer), sizeof(peer)));
	a = sock_name(fd);
	CHECK(a.sin_addr.s_addr == peer.sin_addr.s_addr, "%s", addr_str(&a));
	port = ntohs(a.sin_port);
	CHECK_EPHEMERAL(port);
	len = sizeof(a);
	CHECK_OK(getpeername(fd, SA(&a), &len));
	CHECK_ADDR(&a, len, LOCAL_IP, 7777);
	/* Connecting again moves the association; the port stays. */
	CHECK_OK(connect(fd, SA(&peer2), sizeof(peer2)));
	len = sizeof(a);
	CHECK_OK(getpeername(fd, SA(&a), &len));
	CHECK_ADDR(&a, len, LOCAL_IP, 7778);
	CHECK(local_port(fd) == port);
	/* AF_UNSPEC dissolves it, and drops what connect bound. */
	CHECK_OK(connect(fd, SA(&unspec), sizeof(unspec)));
	len = sizeof(a);
	CHECK_ERRNO(getpeername(fd, SA(&a), &len), ENOTCONN);
	a = sock_name(fd);
	CHECK(a.sin_addr.s_addr == 0 && a.sin_port == 0, "%s", addr_str(&a));
	close(fd);

	/* Bound to address and port: both stay. */
	fd = bound_socket(LOCAL_IP, 6100);
	CHECK_OK(connect(fd, SA(&peer), sizeof(peer)));
	CHECK_OK(connect(fd, SA(&unspec), sizeof(unspec)));
	a = sock_name(fd);
	CHECK_ADDR(&a, sizeof(a), LOCAL_IP, 6100);
	close(fd);

	/* Bound to a port on any address: the port stays, the address goes. */
	fd = bound_socket("0.0.0.0", 6101);
	CHECK_OK(connect(fd, SA(&peer), sizeof(peer)));
	a = sock_name(fd);
	CHECK_ADDR(&a, sizeof(a), LOCAL_IP, 6101);
	CHECK_OK(connect(fd, SA(&unspec), sizeof(unspec)));
	a = sock_name(fd);
	CHECK_ADDR(&a, sizeof(a), "0.0.0.0", 6101);
	close(fd);

	/* Bound to port 0: the ephemeral port is not the user's, it goes. */
	fd = bound_socket(LOCAL_IP, 0);
	CHECK_OK(connect(fd, SA(&peer), sizeof(peer)));
	CHECK_OK(connect(fd, SA(&unspec), sizeof(unspec)));
	a = sock_name(fd);
	CHECK_ADDR(&a, sizeof(a), LOCAL_IP, 0);
	close(fd);
}

/*
 * Linux binds an unbound socket to an ephemeral port before it looks at
 * the address of connect() or the destination of send*(), so a call that
 * then fails leaves the socket bound (inet_dgram_connect, inet_sendmsg).
 */
UDP_TEST(udp_failed_calls_autobind)
{
	struct sockaddr_in a = addr_of(LOCAL_IP, 7000), b = addr_of(UNROUTED_IP, 7000);
	char byte = 'x';
	int fd;

	/* Shorter than a family: EINVAL before the autobind. */
	fd = udp_socket();
	CHECK_ERRNO(connect(fd, SA(&a), 1), EINVAL);
	CHECK(local_port(fd) == 0, "bound to %u", local_port(fd));
	CHECK_ERRNO(connect(fd, SA(&a), 8), EINVAL);
	CHECK_EPHEMERAL(local_port(fd));
	close(fd);

	fd = udp_socket();
	CHECK_ERRNO(connect(fd, SA(&b), sizeof(b)), ENETUNREACH);
	CHECK_EPHEMERAL(local_port(fd));
	close(fd);

	fd = udp_socket();
	CHECK_ERRNO(send(fd, &byte, 1, 0), EDESTADDRREQ);
	CHECK_EPHEMERAL(local_port(fd));
	close(fd);

	fd = udp_socket();
	a.sin_port = 0;
	CHECK_ERRNO(sendto(fd, &byte, 1, 0, SA(&a), sizeof(a)), EINVAL);
	CHECK_EPHEMERAL(local_port(fd));
	close(fd);

	fd = udp_socket();
	CHECK_ERRNO(sendto(fd, &byte, 1, 0, SA(&b), sizeof(b)), ENETUNREACH);
	CHECK_EPHEMERAL(local_port(fd));
	CHECK(sock_name(fd).sin_addr.s_addr == 0);
	close(fd);
}

/* ---------------------------------------------------------------- send */

UDP_TEST(udp_send_errors)
{
	struct sockaddr_in a, self;
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(7000) };
	char byte = 'x';
	int fd = udp_socket();

	CHECK_ERRNO(send(fd, &byte, 1, 0), EDESTADDRREQ);
	CHECK_ERRNO(write(fd, &byte, 1), EDESTADDRREQ);
	CHECK_ERRNO(sendto(fd, &byte, 1, 0, NULL, 0), EDESTADDRREQ);
	a = addr_of(LOCAL_IP, 0);
	CHECK_ERRNO(sendto(fd, &byte, 1, 0, SA(&a), sizeof(a)), EINVAL);
	a = addr_of(LOCAL_IP, 7000);
	CHECK_ERRNO(sendto(fd, &byte, 1, 0, SA(&a), sizeof(a) - 1), EINVAL);
	CHECK_ERRNO(sendto(fd, &byte, 1, 0, SA(&a6), sizeof(a6)), EAFNOSUPPORT);
	a = addr_of(UNROUTED_IP, 7000);
	CHECK_ERRNO(sendto(fd, &byte, 1, 0, SA(&a), sizeof(a)), ENETUNREACH);
	a = addr_of(SUBNET_BCAST, 7000);
	CHECK_ERRNO(sendto(fd, &byte, 1, 0, SA(&a), sizeof(a)), EACCES);
	/* The limited broadcast needs a route first (udp_limited_broadcast). */
	a = addr_of("255.255.255.255", 7000);
	CHECK_ERRNO(sendto(fd, &byte, 1, 0, SA(&a), sizeof(a)), ENETUNREACH);
	close(fd);

	/* The size limit, on a socket sending to itself. */
	{
		size_t big = UDP_MAX_PAYLOAD + 1;
		unsigned char *out = malloc(big), *in = malloc(big + 16);
		size_t i;
		ssize_t n;

		REQUIRE(out && in);
		for (i = 0; i < big; i++)
			out[i] = (unsigned char)(i * 7 + i / 251);
		fd = bound_socket(LOCAL_IP, 0);
		self = sock_name(fd);
		CHECK_ERRNO(sendto(fd, out, big, 0, SA(&self), sizeof(self)), EMSGSIZE);
		CHECK_ERRNO(sendto(fd, out, 100000, 0, SA(&self), sizeof(self)), EMSGSIZE);
		n = sendto(fd, out, UDP_MAX_PAYLOAD, 0, SA(&self), sizeof(self));
		CHECK(n == UDP_MAX_PAYLOAD, "sendto %d bytes: %zd/%s", UDP_MAX_PAYLOAD, n,
		      n < 0 ? strerrorname(errno) : "-");
		n = recv_wait(fd, in, big + 16, 0);
		CHECK(n == UDP_MAX_PAYLOAD, "received %zd/%s", n, n < 0 ? strerrorname(errno) : "-");
		CHECK(n <= 0 || !memcmp(in, out, n), "the datagram came back changed");
		close(fd);
		free(out);
		free(in);
	}
}

/* 255.255.255.255 with a default route: SO_BROADCAST decides. */
UDP_TEST(udp_limited_broadcast)
{
	struct sockaddr_in bcast = addr_of("255.255.255.255", 7000);
	char byte = 'x';
	int fd = udp_socket();

	if (family == AF_INET)
		sh("ip route add default via 10.9.0.2");
	else
		sh("%s route add default via 10.9.0.2", nsctl_path());
	CHECK_ERRNO(sendto(fd, &byte, 1, 0, SA(&bcast), sizeof(bcast)), EACCES);
	CHECK_ERRNO(connect(fd, SA(&bcast), sizeof(bcast)), EACCES);
	set_int(fd, SOL_SOCKET, SO_BROADCAST, 1);
	CHECK(sendto(fd, &byte, 1, 0, SA(&bcast), sizeof(bcast)) == 1, "sendto: %s",
	      strerrorname(errno));
	CHECK_OK(connect(fd, SA(&bcast), sizeof(bcast)));
	CHECK(send(fd, &byte, 1, 0) == 1, "send: %s", strerrorname(errno));
	close(fd);

	/* The subnet's broadcast with SO_BROADCAST can be sent to as well. */
	fd = udp_socket();
	set_int(fd, SOL_SOCKET, SO_BROADCAST, 1);
	bcast = addr_of(SUBNET_BCAST, 7000);
	CHECK(sendto(fd, &byte, 1, 0, SA(&bcast), sizeof(bcast)) == 1, "sendto: %s",
	      strerrorname(errno));
	close(fd);
}

UDP_TEST(udp_sendto_autobinds)
{
	int fd = udp_socket(), rx = bound_socket(LOCAL_IP, 7100);
	struct sockaddr_in to = addr_of(LOCAL_IP, 7100), a, from;
	socklen_t len = sizeof(from);
	char buf[16];
	ssize_t n;

	send_to(fd, "hi", 2, &to);
	a = sock_name(fd);
	CHECK(a.sin_addr.s_addr == 0, "%s", addr_str(&a));
	CHECK_EPHEMERAL(ntohs(a.sin_port));
	set_rcvtimeo(rx, CALL_TIMEOUT_MS);
	n = recvfrom(rx, buf, sizeof(buf), 0, SA(&from), &len);
	CHECK(n == 2, "recvfrom: %zd/%s", n, n < 0 ? strerrorname(errno) : "-");
	CHECK_ADDR(&from, len, LOCAL_IP, ntohs(a.sin_port));

	/* AF_UNSPEC in sendto's address counts as AF_INET (Linux). */
	to.sin_family = AF_UNSPEC;
	send_to(fd, "un", 2, &to);
	expect_dgram(rx, "un");
	close(fd);
	close(rx);
}

/* A connected pair on 10.9.0.1: *a to *b and back. */
static void connected_pair(int *a, int *b, unsigned int pa, unsigned int pb)
{
	struct sockaddr_in sa = addr_of(LOCAL_IP, pa), sb = addr_of(LOCAL_IP, pb);

	*a = bound_socket(LOCAL_IP, pa);
	*b = bound_socket(LOCAL_IP, pb);
	REQUIRE(connect(*a, SA(&sb), sizeof(sb)) == 0, "%s", strerrorname(errno));
	REQUIRE(connect(*b, SA(&sa), sizeof(sa)) == 0, "%s", strerrorname(errno));
	set_rcvtimeo(*a, CALL_TIMEOUT_MS);
	set_rcvtimeo(*b, CALL_TIMEOUT_MS);
}

UDP_TEST(udp_send_recv_calls)
{
	struct sockaddr_in from, third_addr = addr_of(LOCAL_IP, 7202);
	char buf[64], p1[8], p2[8];
	struct iovec out[2] = { { "scat", 4 }, { "tered", 5 } };
	struct iovec in[2] = { { p1, 4 }, { p2, sizeof(p2) } };
	struct msghdr msg = { .msg_iov = out, .msg_iovlen = 2 };
	int a, b, third;
	socklen_t len;
	ssize_t n;

	connected_pair(&a, &b, 7200, 7201);
	third = bound_socket(LOCAL_IP, 7202);

	CHECK(write(a, "write", 5) == 5, "write: %s", strerrorname(errno));
	CHECK(send(a, "send", 4, 0) == 4, "send: %s", strerrorname(errno));
	CHECK(sendmsg(a, &msg, 0) == 9, "sendmsg: %s", strerrorname(errno));
	CHECK(sendto(a, "sendto", 6, 0, NULL, 0) == 6, "sendto: %s", strerrorname(errno));
	/* An explicit address on a connected socket overrides the peer. */
	CHECK(sendto(a, "other", 5, 0, SA(&third_addr), sizeof(third_addr)) == 5,
	      "sendto other: %s", strerrorname(errno));

	n = read(b, buf, sizeof(buf));
	CHECK(n == 5 && !memcmp(buf, "write", 5), "read: %zd", n);
	n = recv(b, buf, sizeof(buf), 0);
	CHECK(n == 4 && !memcmp(buf, "send", 4), "recv: %zd", n);
	msg = (struct msghdr){ .msg_iov = in, .msg_iovlen = 2 };
	n = recvmsg(b, &msg, 0);
	CHECK(n == 9 && !memcmp(p1, "scat", 4) && !memcmp(p2, "tered", 5),
	      "recvmsg: %zd", n);
	CHECK(msg.msg_flags == 0, "msg_flags %#x", msg.msg_flags);
	len = sizeof(from);
	n = recvfrom(b, buf, sizeof(buf), 0, SA(&from), &len);
	CHECK(n == 6 && !memcmp(buf, "sendto", 6), "recvfrom: %zd", n);
	CHECK_ADDR(&from, len, LOCAL_IP, 7200);
	expect_dgram(third, "other");
	CHECK_ERRNO(recv(b, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);

	/* Datagram boundaries hold: two sends, two receives. */
	CHECK(send(b, "one", 3, 0) == 3);
	CHECK(send(b, "two!", 4, 0) == 4);
	expect_dgram(a, "one");
	expect_dgram(a, "two!");
	close(a);
	close(b);
	close(third);
}

UDP_TEST(udp_zero_length_datagram)
{
	int rx = bound_socket(LOCAL_IP, 7300), tx = bound_socket(LOCAL_IP, 7301);
	struct sockaddr_in to = addr_of(LOCAL_IP, 7300), from;
	socklen_t len = sizeof(from);
	char buf[16];
	ssize_t n;

	CHECK(sendto(tx, buf, 0, 0, SA(&to), sizeof(to)) == 0, "%s", strerrorname(errno));
	set_rcvtimeo(rx, CALL_TIMEOUT_MS);
	memset(&from, 0, sizeof(from));
	n = recvfrom(rx, buf, sizeof(buf), 0, SA(&from), &len);
	CHECK(n == 0, "recvfrom: %zd/%s", n, n < 0 ? strerrorname(errno) : "-");
	CHECK_ADDR(&from, len, LOCAL_IP, 7301);
	CHECK_ERRNO(recv(rx, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	close(rx);
	close(tx);
}

/* ---------------------------------------------------------------- recv */

UDP_TEST(udp_recv_nonblocking)
{
	int fd = bound_socket(LOCAL_IP, 7400), unbound = udp_socket(), nb;
	char buf[16];

	CHECK_ERRNO(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	CHECK_ERRNO(recv(unbound, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	CHECK_OK(fcntl(fd, F_SETFL, O_NONBLOCK));
	CHECK_ERRNO(recv(fd, buf, sizeof(buf), 0), EAGAIN);
	CHECK_ERRNO(read(fd, buf, sizeof(buf)), EAGAIN);
	nb = socket(family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	REQUIRE(nb >= 0);
	CHECK_ERRNO(recvfrom(nb, buf, sizeof(buf), 0, NULL, NULL), EAGAIN);
	close(fd);
	close(unbound);
	close(nb);
}

UDP_TEST(udp_recv_timeout)
{
	int fd = bound_socket(LOCAL_IP, 7500);
	char buf[16];
	double t0, dt;

	set_rcvtimeo(fd, 200);
	t0 = now_s();
	CHECK_ERRNO(recv(fd, buf, sizeof(buf), 0), EAGAIN);
	dt = now_s() - t0;
	CHECK(dt >= 0.19 && dt < 3, "returned after %.3f s", dt);
	close(fd);
}

static volatile sig_atomic_t usr1_seen;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_seen++;
}

/* A child that signals us after ms, then (if to) sends "late" there. */
static pid_t signal_later(long ms, const struct sockaddr_in *to)
{
	pid_t parent = getpid(), pid = fork();

	REQUIRE(pid >= 0);
	if (pid == 0) {
		usleep(ms * 1000);
		kill(parent, SIGUSR1);
		if (to) {
			int fd = socket(family, SOCK_DGRAM, 0);

			usleep(ms * 1000);
			sendto(fd, "late", 4, 0, SA(to), sizeof(*to));
		}
		_exit(0);
	}
	return pid;
}

UDP_TEST_TIMEOUT(udp_recv_interrupted, 20)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct sockaddr_in self;
	int fd = bound_socket(LOCAL_IP, 7600);
	char buf[16];
	double t0, dt;
	pid_t pid;
	ssize_t n;

	/* Without SA_RESTART: EINTR. */
	sigemptyset(&sa.sa_mask);
	REQUIRE(sigaction(SIGUSR1, &sa, NULL) == 0);
	pid = signal_later(300, NULL);
	t0 = now_s();
	CHECK_ERRNO(recv(fd, buf, sizeof(buf), 0), EINTR);
	dt = now_s() - t0;
	CHECK(usr1_seen == 1 && dt >= 0.25, "signals %d after %.3f s", (int)usr1_seen, dt);
	waitpid(pid, NULL, 0);

	/*
	 * With SA_RESTART: the receive goes on and gets the later datagram
	 * (only without a receive timeout: with one, Linux gives EINTR).
	 */
	set_rcvtimeo(fd, 0);
	sa.sa_flags = SA_RESTART;
	REQUIRE(sigaction(SIGUSR1, &sa, NULL) == 0);
	self = sock_name(fd);
	pid = signal_later(300, &self);
	n = recv(fd, buf, sizeof(buf), 0);
	CHECK(n == 4 && !memcmp(buf, "late", 4), "recv: %zd/%s", n,
	      n < 0 ? strerrorname(errno) : "-");
	CHECK(usr1_seen == 2, "signals %d", (int)usr1_seen);
	waitpid(pid, NULL, 0);
	close(fd);
}

UDP_TEST(udp_recv_peek)
{
	int rx = bound_socket(LOCAL_IP, 7700), tx = bound_socket(LOCAL_IP, 7701);
	struct sockaddr_in to = addr_of(LOCAL_IP, 7700), from;
	socklen_t len = sizeof(from);
	char buf[16];
	ssize_t n;

	send_to(tx, "hello", 5, &to);
	send_to(tx, "world!", 6, &to);
	n = recv_wait(rx, buf, sizeof(buf), MSG_PEEK);
	CHECK(n == 5 && !memcmp(buf, "hello", 5), "peek: %zd", n);
	n = recvfrom(rx, buf, sizeof(buf), MSG_PEEK, SA(&from), &len);
	CHECK(n == 5 && !memcmp(buf, "hello", 5), "peek again: %zd", n);
	CHECK_ADDR(&from, len, LOCAL_IP, 7701);
	/* A short peek truncates but leaves the datagram. */
	{
		struct iovec iov = { buf, 2 };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

		n = recvmsg(rx, &msg, MSG_PEEK);
		CHECK(n == 2 && (msg.msg_flags & MSG_TRUNC), "short peek: %zd flags %#x",
		      n, msg.msg_flags);
	}
	n = recv(rx, buf, sizeof(buf), 0);
	CHECK(n == 5 && !memcmp(buf, "hello", 5), "recv: %zd", n);
	expect_dgram(rx, "world!");
	CHECK_ERRNO(recv(rx, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	close(rx);
	close(tx);
}

UDP_TEST(udp_recv_truncation)
{
	int rx = bound_socket(LOCAL_IP, 7800), tx = bound_socket(LOCAL_IP, 7801);
	struct sockaddr_in to = addr_of(LOCAL_IP, 7800);
	char buf[16];
	struct iovec iov = { buf, 4 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	send_to(tx, "0123456789", 10, &to);
	REQUIRE(recv_wait(rx, buf, 0, MSG_PEEK) == 0);
	memset(buf, 0, sizeof(buf));
	n = recvmsg(rx, &msg, 0);
	CHECK(n == 4 && !memcmp(buf, "0123", 4), "recvmsg: %zd", n);
	CHECK(msg.msg_flags == MSG_TRUNC, "msg_flags %#x", msg.msg_flags);
	/* The rest of it is gone. */
	CHECK_ERRNO(recv(rx, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);

	/* MSG_TRUNC in flags: the datagram's real length. */
	send_to(tx, "0123456789", 10, &to);
	memset(buf, 0, sizeof(buf));
	n = recv_wait(rx, buf, 3, MSG_TRUNC);
	CHECK(n == 10 && !memcmp(buf, "012", 3) && buf[3] == 0, "recv MSG_TRUNC: %zd", n);
	CHECK_ERRNO(recv(rx, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);

	/* A buffer that fits: no MSG_TRUNC. */
	send_to(tx, "0123456789", 10, &to);
	iov.iov_len = 10;
	REQUIRE(recv_wait(rx, buf, 0, MSG_PEEK) == 0);
	n = recvmsg(rx, &msg, 0);
	CHECK(n == 10 && msg.msg_flags == 0, "recvmsg: %zd flags %#x", n, msg.msg_flags);
	close(rx);
	close(tx);
}

UDP_TEST(udp_recv_sender_address)
{
	int rx = bound_socket("0.0.0.0", 7900), tx = bound_socket(LOCAL_IP, 7901);
	struct sockaddr_in to = addr_of(LOCAL_IP, 7900);
	unsigned char name[32];
	char buf[16];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	socklen_t len;
	ssize_t n;

	send_to(tx, "a", 1, &to);
	send_to(tx, "b", 1, &to);
	send_to(tx, "c", 1, &to);
	set_rcvtimeo(rx, CALL_TIMEOUT_MS);

	memset(name, 0xa5, sizeof(name));
	len = sizeof(name);
	n = recvfrom(rx, buf, sizeof(buf), 0, SA(name), &len);
	CHECK(n == 1 && buf[0] == 'a', "recvfrom: %zd", n);
	CHECK_ADDR((struct sockaddr_in *)name, len, LOCAL_IP, 7901);

	memset(name, 0xa5, sizeof(name));
	msg.msg_name = name;
	msg.msg_namelen = sizeof(name);
	n = recvmsg(rx, &msg, 0);
	CHECK(n == 1 && buf[0] == 'b', "recvmsg: %zd", n);
	CHECK_ADDR((struct sockaddr_in *)name, msg.msg_namelen, LOCAL_IP, 7901);

	/* No room for a name: fine, msg_namelen 0. */
	msg.msg_name = NULL;
	msg.msg_namelen = 0;
	n = recvmsg(rx, &msg, 0);
	CHECK(n == 1 && buf[0] == 'c' && msg.msg_namelen == 0, "recvmsg: %zd namelen %u",
	      n, msg.msg_namelen);
	close(rx);
	close(tx);
}

UDP_TEST(udp_connected_receives_from_peer_only)
{
	int a, b, c = bound_socket(LOCAL_IP, 8002), d = udp_socket();
	struct sockaddr_in to_a = addr_of(LOCAL_IP, 8000), from;
	socklen_t len = sizeof(from);
	char buf[16];
	ssize_t n;

	connected_pair(&a, &b, 8000, 8001);
	send_to(c, "from c", 6, &to_a);
	send_to(d, "from d", 6, &to_a);
	CHECK(send(b, "from b", 6, 0) == 6);
	n = recvfrom(a, buf, sizeof(buf), 0, SA(&from), &len);
	CHECK(n == 6 && !memcmp(buf, "from b", 6), "recvfrom: %zd/%s", n,
	      n < 0 ? strerrorname(errno) : "-");
	CHECK_ADDR(&from, len, LOCAL_IP, 8001);
	usleep(100 * 1000);
	CHECK_ERRNO(recv(a, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	close(a);
	close(b);
	close(c);
	close(d);
}

/* ------------------------------------------------------- poll and epoll */

UDP_TEST(udp_poll_readiness)
{
	int rx = udp_socket(), tx = bound_socket(LOCAL_IP, 8101);
	struct sockaddr_in to = addr_of(LOCAL_IP, 8100), self;
	char buf[16];

	CHECK_POLL(rx, 0, POLLOUT);			/* fresh, unbound */
	self = addr_of(LOCAL_IP, 8100);
	REQUIRE(bind(rx, SA(&self), sizeof(self)) == 0);
	CHECK_POLL(rx, 0, POLLOUT);
	send_to(tx, "x", 1, &to);
	CHECK(poll_now(rx, POLLIN, CALL_TIMEOUT_MS) == POLLIN, "no POLLIN after a datagram");
	CHECK_POLL(rx, 0, POLLIN | POLLOUT);
	send_to(tx, "y", 1, &to);
	CHECK(recv(rx, buf, sizeof(buf), 0) == 1);
	usleep(100 * 1000);
	CHECK_POLL(rx, 0, POLLIN | POLLOUT);		/* "y" is still there */
	CHECK(recv(rx, buf, sizeof(buf), 0) == 1);
	CHECK_POLL(rx, 0, POLLOUT);
	close(rx);
	close(tx);
}

static int epoll_events(int ep, int timeout_ms, uint32_t *events)
{
	struct epoll_event ev[2];
	int n = epoll_wait(ep, ev, 2, timeout_ms);

	REQUIRE(n >= 0, "epoll_wait: %s", strerrorname(errno));
	*events = n ? ev[0].events : 0;
	return n;
}

UDP_TEST(udp_epoll_readiness)
{
	int rx = bound_socket(LOCAL_IP, 8200), tx = bound_socket(LOCAL_IP, 8201);
	int lt = epoll_create1(0), et = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT };
	struct sockaddr_in to = addr_of(LOCAL_IP, 8200);
	uint32_t got;
	char buf[16];
	int n;

	REQUIRE(lt >= 0 && et >= 0);
	REQUIRE(epoll_ctl(lt, EPOLL_CTL_ADD, rx, &ev) == 0);
	ev.events = EPOLLIN | EPOLLET;
	REQUIRE(epoll_ctl(et, EPOLL_CTL_ADD, rx, &ev) == 0);

	n = epoll_events(lt, 0, &got);
	CHECK(n == 1 && got == EPOLLOUT, "level, empty: %d %#x", n, got);
	n = epoll_events(et, 0, &got);
	CHECK(n == 0, "edge, empty: %d %#x", n, got);

	send_to(tx, "1", 1, &to);
	n = epoll_events(et, 2000, &got);
	CHECK(n == 1 && got == EPOLLIN, "edge, first datagram: %d %#x", n, got);
	n = epoll_events(et, 0, &got);
	CHECK(n == 0, "edge, no new datagram: %d %#x", n, got);
	n = epoll_events(lt, 0, &got);
	CHECK(n == 1 && got == (EPOLLIN | EPOLLOUT), "level, one queued: %d %#x", n, got);
	n = epoll_events(lt, 0, &got);
	CHECK(n == 1 && got == (EPOLLIN | EPOLLOUT), "level, again: %d %#x", n, got);

	send_to(tx, "2", 1, &to);
	n = epoll_events(et, 2000, &got);
	CHECK(n == 1 && got == EPOLLIN, "edge, second datagram: %d %#x", n, got);
	CHECK(recv(rx, buf, sizeof(buf), 0) == 1);
	CHECK(recv(rx, buf, sizeof(buf), 0) == 1);
	n = epoll_events(et, 0, &got);
	CHECK(n == 0, "edge, drained: %d %#x", n, got);
	n = epoll_events(lt, 0, &got);
	CHECK(n == 1 && got == EPOLLOUT, "level, drained: %d %#x", n, got);
	close(lt);
	close(et);
	close(rx);
	close(tx);
}

/* ------------------------------------------------------------ shutdown */

static volatile sig_atomic_t sigpipe_seen;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipe_seen++;
}

UDP_TEST(udp_shutdown)
{
	int fd = bound_socket(LOCAL_IP, 8300), a, b;
	struct sigaction sa = { .sa_handler = on_sigpipe };
	char buf[16];
	double t0, dt;
	ssize_t n;

	sigemptyset(&sa.sa_mask);
	REQUIRE(sigaction(SIGPIPE, &sa, NULL) == 0);

	/* Not connected: ENOTCONN, yet it is shut for pollers and readers. */
	CHECK_ERRNO(shutdown(fd, 3), EINVAL);
	CHECK_ERRNO(shutdown(fd, -1), EINVAL);
	CHECK_POLL(fd, 0, POLLOUT);
	CHECK_ERRNO(shutdown(fd, SHUT_RD), ENOTCONN);
	CHECK_POLL(fd, 0, POLLIN | POLLOUT | POLLRDHUP);
	set_rcvtimeo(fd, 3000);
	n = recv(fd, buf, sizeof(buf), 0);
	CHECK(n == 0, "recv after SHUT_RD: %zd/%s", n, n < 0 ? strerrorname(errno) : "-");
	CHECK_ERRNO(shutdown(fd, SHUT_WR), ENOTCONN);
	CHECK_POLL(fd, 0, POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
	close(fd);

	connected_pair(&a, &b, 8301, 8302);
	CHECK_OK(shutdown(a, SHUT_RD));
	CHECK_POLL(a, 0, POLLIN | POLLOUT | POLLRDHUP);
	set_rcvtimeo(a, 3000);
	t0 = now_s();
	n = recv(a, buf, sizeof(buf), 0);
	dt = now_s() - t0;
	CHECK(n == 0 && dt < 1, "recv after SHUT_RD: %zd/%s after %.3f s", n,
	      n < 0 ? strerrorname(errno) : "-", dt);
	CHECK_ERRNO(recv(a, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	/* Sending still works after SHUT_RD. */
	CHECK(send(a, "rd", 2, 0) == 2, "send after SHUT_RD: %s", strerrorname(errno));
	expect_dgram(b, "rd");

	CHECK_OK(shutdown(b, SHUT_WR));
	CHECK_POLL(b, 0, POLLOUT);
	CHECK_ERRNO(send(b, "x", 1, 0), EPIPE);
	CHECK_ERRNO(write(b, "x", 1), EPIPE);
	CHECK(sigpipe_seen == 0, "%d SIGPIPEs", (int)sigpipe_seen);
	/* Receiving still works after SHUT_WR. */
	CHECK(send(a, "wr", 2, 0) == 2);
	expect_dgram(b, "wr");

	CHECK_OK(shutdown(a, SHUT_RDWR));
	CHECK_POLL(a, 0, POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
	close(a);
	close(b);
}

/* ------------------------------------------------- ICMP port unreachable */

UDP_TEST(udp_port_unreachable_connected)
{
	struct sockaddr_in closed = addr_of(LOCAL_IP, 8499);
	int fd = udp_socket(), err;
	long no_port0 = family == AF_NETSTACK ? stat_of("udp_rx_no_port") : 0;
	char buf[16];
	ssize_t n;

	REQUIRE(connect(fd, SA(&closed), sizeof(closed)) == 0, "connect: %s", strerrorname(errno));
	set_rcvtimeo(fd, CALL_TIMEOUT_MS);
	CHECK(send(fd, "x", 1, 0) == 1, "send: %s", strerrorname(errno));
	/* The next receive reports it, once. */
	n = recv(fd, buf, sizeof(buf), 0);
	CHECK(n == -1 && errno == ECONNREFUSED, "recv: %zd/%s", n,
	      n < 0 ? strerrorname(errno) : "-");
	CHECK(get_int(fd, SOL_SOCKET, SO_ERROR) == 0, "SO_ERROR not cleared by recv");
	CHECK_ERRNO(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);

	/* Again: poll shows POLLERR; SO_ERROR gives it once and clears it. */
	CHECK(send(fd, "y", 1, 0) == 1, "send: %s", strerrorname(errno));
	CHECK(poll_now(fd, POLLIN, CALL_TIMEOUT_MS) == POLLERR, "no POLLERR");
	CHECK_POLL(fd, 0, POLLOUT | POLLERR);
	err = get_int(fd, SOL_SOCKET, SO_ERROR);
	CHECK(err == ECONNREFUSED, "SO_ERROR %s", strerrorname(err));
	err = get_int(fd, SOL_SOCKET, SO_ERROR);
	CHECK(err == 0, "SO_ERROR again %s", strerrorname(err));
	CHECK_POLL(fd, 0, POLLOUT);
	CHECK_ERRNO(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);

	/* A pending error fails the next send too (and is consumed by it). */
	CHECK(send(fd, "z", 1, 0) == 1, "send: %s", strerrorname(errno));
	CHECK(poll_now(fd, POLLIN, CALL_TIMEOUT_MS) == POLLERR, "no POLLERR");
	CHECK_ERRNO(send(fd, "w", 1, 0), ECONNREFUSED);
	CHECK(get_int(fd, SOL_SOCKET, SO_ERROR) == 0);
	if (family == AF_NETSTACK)
		CHECK(stat_of("udp_rx_no_port") >= no_port0 + 3, "udp_rx_no_port %ld -> %ld",
		      no_port0, stat_of("udp_rx_no_port"));
	close(fd);
}

UDP_TEST(udp_port_unreachable_unconnected)
{
	struct sockaddr_in closed = addr_of(LOCAL_IP, 8599);
	int fd = bound_socket(LOCAL_IP, 8500);
	char buf[16];

	send_to(fd, "x", 1, &closed);
	usleep(300 * 1000);
	CHECK_POLL(fd, 0, POLLOUT);
	CHECK(get_int(fd, SOL_SOCKET, SO_ERROR) == 0);
	CHECK_ERRNO(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	send_to(fd, "y", 1, &closed);
	close(fd);
}

/* ------------------------------------------------------ receive buffer */

UDP_TEST_TIMEOUT(udp_rcvbuf_overflow, 120)
{
	int rx = bound_socket(LOCAL_IP, 8600), tx = bound_socket(LOCAL_IP, 8601);
	struct sockaddr_in to = addr_of(LOCAL_IP, 8600);
	long rx_drop0 = 0, q_drop0 = 0, nomem0 = 0, delivered0 = 0;
	int sent = 0, eagain = 0, enobufs = 0, received = 0, i;
	char buf[256];
	ssize_t n;

	set_int(rx, SOL_SOCKET, SO_RCVBUF, 4096);
	CHECK(get_int(rx, SOL_SOCKET, SO_RCVBUF) == 8192);
	CHECK_OK(fcntl(tx, F_SETFL, O_NONBLOCK));
	if (family == AF_NETSTACK) {
		rx_drop0 = stat_of("udp_rx_drop_rcvbuf_full");
		q_drop0 = stat_of("ip_local_queue_drop_full");
		nomem0 = stat_of("udp_rx_drop_no_memory");
		delivered0 = stat_of("udp_rx_delivered");
	}

	memset(buf, 'o', sizeof(buf));
	for (i = 0; i < 2000; i++) {
		n = sendto(tx, buf, 200, 0, SA(&to), sizeof(to));
		if (n == 200)
			sent++;
		else if (n < 0 && errno == EAGAIN)
			eagain++;
		else if (n < 0 && errno == ENOBUFS)
			enobufs++;
		else
			CHECK(0, "sendto: %zd/%s", n, n < 0 ? strerrorname(errno) : "-");
	}
	/* Drain until nothing more comes for half a second. */
	while (poll_now(rx, POLLIN, 500) == POLLIN) {
		n = recv(rx, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			break;
		CHECK(n == 200, "received %zd bytes", n);
		received++;
	}
	ns_note("sent %d (EAGAIN %d, ENOBUFS %d), received %d", sent, eagain, enobufs,
		received);
	CHECK(received > 0 && received < sent, "sent %d, received %d", sent, received);

	/* The receiver still works. */
	send_to(tx, "after", 5, &to);
	sent++;
	expect_dgram(rx, "after");
	received++;

	if (family == AF_NETSTACK) {
		long rx_drop = stat_of("udp_rx_drop_rcvbuf_full") - rx_drop0;
		long q_drop = stat_of("ip_local_queue_drop_full") - q_drop0;
		long nomem = stat_of("udp_rx_drop_no_memory") - nomem0;
		long delivered = stat_of("udp_rx_delivered") - delivered0;

		ns_note("udp_rx_drop_rcvbuf_full +%ld, ip_local_queue_drop_full +%ld, "
			"udp_rx_drop_no_memory +%ld, udp_rx_delivered +%ld",
			rx_drop, q_drop, nomem, delivered);
		CHECK(rx_drop > 0, "udp_rx_drop_rcvbuf_full did not grow");
		CHECK(received + rx_drop + q_drop + nomem == sent,
		      "received %d + dropped %ld + %ld + %ld != sent %d",
		      received, rx_drop, q_drop, nomem, sent);
		CHECK(delivered == received, "udp_rx_delivered +%ld, received %d",
		      delivered, received);
	}
	close(rx);
	close(tx);
}

/* ------------------------------------------------------- socket options */

UDP_TEST(udp_socket_options)
{
	int fd = udp_socket(), val;

	CHECK(get_int(fd, SOL_SOCKET, SO_TYPE) == SOCK_DGRAM);
	CHECK(get_int(fd, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_UDP);
	val = get_int(fd, SOL_SOCKET, SO_DOMAIN);
	CHECK(val == family, "SO_DOMAIN %d", val);
	CHECK(get_int(fd, SOL_SOCKET, SO_ERROR) == 0);
	CHECK(get_int(fd, SOL_SOCKET, SO_BROADCAST) == 0);
	CHECK(get_int(fd, SOL_SOCKET, SO_REUSEADDR) == 0);
	CHECK(get_int(fd, SOL_SOCKET, SO_REUSEPORT) == 0);
	CHECK(get_int(fd, SOL_SOCKET, SO_ACCEPTCONN) == 0);

	/* Defaults from net.core, and set values doubled. */
	val = get_int(fd, SOL_SOCKET, SO_RCVBUF);
	CHECK(val == rmem_default, "SO_RCVBUF %d, rmem_default %d", val, rmem_default);
	val = get_int(fd, SOL_SOCKET, SO_SNDBUF);
	CHECK(val == wmem_default, "SO_SNDBUF %d, wmem_default %d", val, wmem_default);
	set_int(fd, SOL_SOCKET, SO_RCVBUF, 50000);
	val = get_int(fd, SOL_SOCKET, SO_RCVBUF);
	CHECK(val == 100000, "SO_RCVBUF %d", val);
	set_int(fd, SOL_SOCKET, SO_SNDBUF, 30000);
	val = get_int(fd, SOL_SOCKET, SO_SNDBUF);
	CHECK(val == 60000, "SO_SNDBUF %d", val);

	set_int(fd, SOL_SOCKET, SO_BROADCAST, 1);
	CHECK(get_int(fd, SOL_SOCKET, SO_BROADCAST) == 1);
	close(fd);
}

/* ---------------------------------------------------------------- buffers */

/* FIONREAD is the size of the next datagram, not of all that is queued. */
UDP_TEST(udp_fionread)
{
	int fd = bound_socket(LOCAL_IP, 7400), tx = udp_socket(), n = -1;
	struct sockaddr_in to = addr_of(LOCAL_IP, 7400);
	char buf[300] = { 0 };

	CHECK(ioctl(fd, FIONREAD, &n) == 0 && n == 0, "empty: %d", n);
	send_to(tx, buf, 100, &to);
	send_to(tx, buf, 200, &to);
	CHECK(poll_now(fd, POLLIN, CALL_TIMEOUT_MS) & POLLIN);
	usleep(100 * 1000);	/* the second one too */
	CHECK(ioctl(fd, FIONREAD, &n) == 0 && n == 100, "two queued: %d", n);
	CHECK(recv(fd, buf, sizeof(buf), 0) == 100);
	CHECK(ioctl(fd, FIONREAD, &n) == 0 && n == 200, "one queued: %d", n);
	close(fd);
	close(tx);
}

/*
 * A datagram waiting for its neighbour's address stays charged to its
 * sender. Toward an address on a veth whose other end never answers ARP,
 * a small SO_SNDBUF fills: MSG_DONTWAIT then fails EAGAIN, POLLOUT is
 * clear, a blocking send waits SO_SNDTIMEO and fails EAGAIN. When the
 * resolution fails (about 3 s) the waiting datagrams are dropped and the
 * socket is writable again.
 */
UDP_TEST_TIMEOUT(udp_sndbuf_full, 40)
{
	struct sockaddr_in to = addr_of("10.9.1.77", 9);
	struct timeval tv = { .tv_sec = 0, .tv_usec = 300 * 1000 };
	char buf[1400] = { 0 };
	int fd, i, sent = 0, err = 0;
	double t0;

	sh("ip link add v0 type veth peer name v1 && ip link set v1 up && ip link set v0 up");
	if (family == AF_INET)
		sh("ip addr add 10.9.1.1/24 dev v0");
	else
		sh("%s link attach v0 && %s addr add 10.9.1.1/24 dev v0 >/dev/null",
		   nsctl_path(), nsctl_path());
	fd = udp_socket();
	set_int(fd, SOL_SOCKET, SO_SNDBUF, 2048);	/* the minimum, 4608 */
	for (i = 0; i < 50; i++) {
		if (sendto(fd, buf, sizeof(buf), MSG_DONTWAIT, SA(&to), sizeof(to)) < 0) {
			err = errno;
			break;
		}
		sent++;
	}
	CHECK(err == EAGAIN && sent >= 1, "%d sent, then %s", sent,
	      err ? strerrorname(err) : "no error");
	CHECK(!(poll_now(fd, POLLOUT, 0) & POLLOUT), "writable with a full buffer");
	REQUIRE(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == 0);
	t0 = now_s();
	CHECK_ERRNO(sendto(fd, buf, sizeof(buf), 0, SA(&to), sizeof(to)), EAGAIN);
	CHECK(now_s() - t0 >= 0.25 && now_s() - t0 < 2.5, "waited %.2f s", now_s() - t0);
	/* (Nothing is sent after: it would wait 3 s more, holding the module.) */
	CHECK(poll_now(fd, POLLOUT, 10000) & POLLOUT, "not writable after the resolution failed");
	close(fd);
}
