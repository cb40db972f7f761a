// SPDX-License-Identifier: GPL-2.0
/*
 * test_tcp.c - TCP socket semantics, with Linux as the oracle.
 *
 * Every test is written to run twice with the same expectations: as
 * NAME_inet on Linux's own TCP (AF_INET), which proves each expectation is
 * what Linux does, and as NAME_netstack on AF_NETSTACK, SOCK_STREAM. Each
 * run has a network namespace of its own (netns_env.h); connections to
 * 10.9.0.1 are delivered locally, never on the wire.
 *
 * Where Linux does something a reader might not expect, the comment at the
 * check says so: those are Linux's answers, and netstack must give them.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/netstack.h>

#include "harness.h"
#include "netns_env.h"

/*
 * netstack's TCP is not there yet (SOCK_STREAM calls fail EOPNOTSUPP): only
 * the _inet runs are registered. Set to 1 when netstack's TCP lands, and
 * every test registers its _netstack run too.
 */
#define TCP_TEST_NETSTACK 1

/*
 * Register NAME_inet (and, with TCP_TEST_NETSTACK, NAME_netstack), calling
 * NAME in the test's own namespace.
 */
#if TCP_TEST_NETSTACK
#define TCP_TEST_TIMEOUT(name, secs)						\
	static void name(void);							\
	NS_TEST_TIMEOUT(name##_netstack, secs) { netns_env(AF_NETSTACK); name(); } \
	NS_TEST_TIMEOUT(name##_inet, secs) { netns_env(AF_INET); name(); }	\
	static void name(void)
#else
#define TCP_TEST_TIMEOUT(name, secs)						\
	static void name(void);							\
	NS_TEST_TIMEOUT(name##_inet, secs) { netns_env(AF_INET); name(); }	\
	static void name(void)
#endif

#define TCP_TEST(name) TCP_TEST_TIMEOUT(name, 60)

#define ERRSTR(n) ((n) < 0 ? strerrorname(errno) : "-")

/*
 * A socket whose receives and accepts wait CALL_TIMEOUT_MS at most (its
 * connects and sends as long as they take: the test's time limit).
 */
static int tcp_socket(void)
{
	int fd = socket(family, SOCK_STREAM, 0);

	REQUIRE(fd >= 0, "socket: %s", strerrorname(errno));
	set_call_timeouts(fd, false);
	return fd;
}

/* A TCP socket bound to ip:port (port 0: an ephemeral one). */
static int bound_socket(const char *ip, unsigned int port)
{
	struct sockaddr_in a = addr_of(ip, port);
	int fd = tcp_socket();

	REQUIRE(bind(fd, SA(&a), sizeof(a)) == 0, "bind %s:%u: %s", ip, port,
		strerrorname(errno));
	return fd;
}

/* A socket listening on 10.9.0.1:port. */
static int listener(unsigned int port, int backlog)
{
	int fd = bound_socket(LOCAL_IP, port);

	REQUIRE(listen(fd, backlog) == 0, "listen: %s", strerrorname(errno));
	return fd;
}

/* connect(fd, 10.9.0.1:port): 0 or -1 with errno. */
static int connect_port(int fd, unsigned int port)
{
	struct sockaddr_in a = addr_of(LOCAL_IP, port);

	return connect(fd, SA(&a), sizeof(a));
}

/* A new socket connected to 10.9.0.1:port. */
static int connected_socket(unsigned int port)
{
	int fd = tcp_socket();

	REQUIRE(connect_port(fd, port) == 0, "connect to %u: %s", port, strerrorname(errno));
	return fd;
}

/* accept on lfd, waiting at most 2 s for a connection. */
static int accept_wait(int lfd)
{
	int fd;

	REQUIRE(poll_now(lfd, POLLIN, 2000) == POLLIN, "no connection to accept");
	fd = accept(lfd, NULL, NULL);
	REQUIRE(fd >= 0, "accept: %s", strerrorname(errno));
	return fd;
}

/* *c connected to *s, its accepted end, on port; receives time out in 5 s. */
static void tcp_pair(int *c, int *s, unsigned int port)
{
	int l = listener(port, 8);

	*c = connected_socket(port);
	*s = accept_wait(l);
	close(l);
	set_rcvtimeo(*c, 5000);
	set_rcvtimeo(*s, 5000);
}

static void send_all(int fd, const void *buf, size_t len)
{
	ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

	REQUIRE(n == (ssize_t)len, "send %zu: %zd/%s", len, n, ERRSTR(n));
}

/* Receive exactly len bytes, waiting at most 2 s for each piece. */
static ssize_t recv_exact(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n;

		if (!(poll_now(fd, POLLIN, 2000) & (POLLIN | POLLERR | POLLHUP)))
			break;
		n = recv(fd, (char *)buf + got, len - got, MSG_DONTWAIT);
		if (n <= 0)
			return got ? (ssize_t)got : n;
		got += n;
	}
	return got;
}

#define EXPECT_DATA(fd, want)							\
	do {									\
		char buf_[256];							\
		size_t len_ = strlen(want);					\
		ssize_t n_ = recv_exact(fd, buf_, len_);			\
		CHECK(n_ == (ssize_t)len_ && !memcmp(buf_, want, len_),	\
		      "want \"%s\", got %zd%s%s", want, n_, n_ < 0 ? " " : "", \
		      n_ < 0 ? strerrorname(errno) : "");			\
	} while (0)

/* Wait at most 2 s for fd to be readable (data, EOF or error). */
static void wait_readable(int fd)
{
	CHECK(poll_now(fd, POLLIN, 2000) & POLLIN, "not readable within 2 s");
}

static volatile sig_atomic_t sigpipe_seen, usr1_seen;

static void on_signal(int sig)
{
	if (sig == SIGPIPE)
		sigpipe_seen++;
	else
		usr1_seen++;
}

static void catch_signal(int sig, int flags)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = flags };

	sigemptyset(&sa.sa_mask);
	REQUIRE(sigaction(sig, &sa, NULL) == 0);
}

/* ---------------------------------------------------------------- bind */

TCP_TEST(tcp_bind_errors)
{
	struct sockaddr_in a = addr_of(LOCAL_IP, 5000), b;
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(5000) };
	int fd = tcp_socket(), fd2;

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
	b = sock_name(fd);
	CHECK(b.sin_port == 0 && b.sin_addr.s_addr == 0, "%s", addr_str(&b));

	a.sin_family = AF_INET;
	CHECK_OK(bind(fd, SA(&a), sizeof(a) + 8));
	b = sock_name(fd);
	CHECK_ADDR(&b, sizeof(b), LOCAL_IP, 5000);
	CHECK_ERRNO(bind(fd, SA(&a), sizeof(a)), EINVAL);
	b = addr_of("0.0.0.0", 5001);
	CHECK_ERRNO(bind(fd, SA(&b), sizeof(b)), EINVAL);
	close(fd);

	/* AF_UNSPEC with INADDR_ANY binds. */
	fd2 = tcp_socket();
	b = addr_of("0.0.0.0", 0);
	b.sin_family = AF_UNSPEC;
	CHECK_OK(bind(fd2, SA(&b), sizeof(b)));
	b = sock_name(fd2);
	CHECK(b.sin_addr.s_addr == 0, "%s", addr_str(&b));
	CHECK_EPHEMERAL(ntohs(b.sin_port));
	close(fd2);

	/* Linux: the subnet's broadcast address can be bound (not connected to). */
	fd2 = tcp_socket();
	b = addr_of(SUBNET_BCAST, 5000);
	CHECK_OK(bind(fd2, SA(&b), sizeof(b)));
	close(fd2);

	/* Binding a connected (autobound) socket: EINVAL. */
	{
		int l = listener(5002, 1), c = connected_socket(5002);

		b = addr_of(LOCAL_IP, 5003);
		CHECK_ERRNO(bind(c, SA(&b), sizeof(b)), EINVAL);
		CHECK_ERRNO(bind(l, SA(&b), sizeof(b)), EINVAL);
		close(c);
		close(l);
	}
}

static int try_bind(const char *ip, unsigned int port, int reuse)
{
	struct sockaddr_in a = addr_of(ip, port);
	int fd = tcp_socket();

	if (reuse)
		set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (bind(fd, SA(&a), sizeof(a)) == 0)
		return fd;
	close(fd);
	return -1;
}

/* bind, then listen if listening: the first socket must get there. */
static int first_socket(const char *ip, unsigned int port, int reuse, int listening)
{
	int fd = try_bind(ip, port, reuse);

	REQUIRE(fd >= 0, "first bind %s:%u: %s", ip, port, strerrorname(errno));
	if (listening)
		REQUIRE(listen(fd, 1) == 0, "listen: %s", strerrorname(errno));
	return fd;
}

#define CHECK_PAIR(ip1, reuse1, listening, ip2, reuse2, port, want_err)	\
	do {									\
		int first_ = first_socket(ip1, port, reuse1, listening);	\
		int second_ = try_bind(ip2, port, reuse2);			\
		int err_ = second_ < 0 ? errno : 0;				\
		CHECK(err_ == (want_err), "%s reuse %d%s then %s reuse %d: want %s, got %s", \
		      ip1, reuse1, listening ? " listening" : "", ip2, reuse2,	\
		      (want_err) ? strerrorname(want_err) : "bound",		\
		      err_ ? strerrorname(err_) : "bound");			\
		close(first_);							\
		if (second_ >= 0)						\
			close(second_);						\
	} while (0)

/*
 * SO_REUSEADDR on TCP: two sockets that both have it can bind the same
 * address and port, unless one of them listens.
 */
TCP_TEST(tcp_bind_reuseaddr)
{
	int a, b, c, d;

	CHECK_PAIR(LOCAL_IP, 0, 0, LOCAL_IP, 0, 6000, EADDRINUSE);
	CHECK_PAIR(LOCAL_IP, 0, 0, "0.0.0.0", 0, 6001, EADDRINUSE);
	CHECK_PAIR("0.0.0.0", 0, 0, LOCAL_IP, 0, 6002, EADDRINUSE);
	CHECK_PAIR("0.0.0.0", 0, 0, "0.0.0.0", 0, 6003, EADDRINUSE);
	CHECK_PAIR(LOCAL_IP, 1, 0, LOCAL_IP, 0, 6004, EADDRINUSE);
	CHECK_PAIR(LOCAL_IP, 0, 0, LOCAL_IP, 1, 6005, EADDRINUSE);
	CHECK_PAIR(LOCAL_IP, 1, 0, LOCAL_IP, 1, 6006, 0);
	CHECK_PAIR("0.0.0.0", 1, 0, LOCAL_IP, 1, 6007, 0);
	CHECK_PAIR(LOCAL_IP, 1, 0, "0.0.0.0", 1, 6008, 0);
	/* One of them listening: in use, whatever the options. */
	CHECK_PAIR(LOCAL_IP, 1, 1, LOCAL_IP, 1, 6010, EADDRINUSE);
	CHECK_PAIR("0.0.0.0", 1, 1, LOCAL_IP, 1, 6011, EADDRINUSE);
	CHECK_PAIR(LOCAL_IP, 1, 1, "0.0.0.0", 1, 6012, EADDRINUSE);
	CHECK_PAIR(LOCAL_IP, 0, 1, LOCAL_IP, 0, 6013, EADDRINUSE);

	/*
	 * Both bound first: the first listen wins (Linux checks the listener
	 * against the others, not the others against each other), the
	 * second fails EADDRINUSE, and so does any new bind.
	 */
	a = first_socket(LOCAL_IP, 6020, 1, 0);
	b = first_socket(LOCAL_IP, 6020, 1, 0);
	CHECK_OK(listen(a, 1));
	CHECK_ERRNO(listen(b, 1), EADDRINUSE);
	c = try_bind(LOCAL_IP, 6020, 1);
	CHECK(c < 0 && errno == EADDRINUSE, "bind beside a listener: %s",
	      c < 0 ? strerrorname(errno) : "bound");
	/* b is still bound, and may connect out from the shared port. */
	CHECK(local_port(b) == 6020);
	close(a);
	CHECK_OK(listen(b, 1));
	close(b);

	/*
	 * Two sockets on one port may both connect, but not to the same
	 * peer: that would be the same connection (EADDRNOTAVAIL).
	 */
	{
		int l = listener(6030, 4), l2 = listener(6031, 4);

		a = first_socket(LOCAL_IP, 6021, 1, 0);
		b = first_socket(LOCAL_IP, 6021, 1, 0);
		d = first_socket(LOCAL_IP, 6021, 1, 0);
		CHECK_OK(connect_port(a, 6030));
		CHECK_ERRNO(connect_port(b, 6030), EADDRNOTAVAIL);
		CHECK_OK(connect_port(d, 6031));
		close(a);
		close(b);
		close(d);
		close(l);
		close(l2);
	}
}

/*
 * TIME-WAIT holds the address of the side that closed first. Here the
 * server closes first, as a server that restarts does: its listening
 * port stays in use (EADDRINUSE) until TIME-WAIT ends, unless both the
 * old socket and the new one have SO_REUSEADDR.
 */
static int time_wait_on_server_port(unsigned int port, int reuse)
{
	int l = first_socket(LOCAL_IP, port, reuse, 1), c = connected_socket(port);
	int s = accept_wait(l);
	char buf[8];

	close(s);			/* FIN from the server: FIN-WAIT */
	set_rcvtimeo(c, 2000);
	CHECK(recv(c, buf, sizeof(buf), 0) == 0, "no EOF at the client");
	close(c);			/* the server's end: TIME-WAIT */
	usleep(100 * 1000);
	close(l);
	return port;
}

TCP_TEST(tcp_bind_time_wait)
{
	unsigned int port;
	int fd, c, l;
	char buf[8];

	/* Without SO_REUSEADDR: in use, also for 0.0.0.0. */
	port = time_wait_on_server_port(6100, 0);
	fd = try_bind(LOCAL_IP, port, 0);
	CHECK(fd < 0 && errno == EADDRINUSE, "exact address: %s",
	      fd < 0 ? strerrorname(errno) : "bound");
	fd = try_bind("0.0.0.0", port, 0);
	CHECK(fd < 0 && errno == EADDRINUSE, "any address: %s",
	      fd < 0 ? strerrorname(errno) : "bound");
	/* The new socket's SO_REUSEADDR alone is not enough. */
	fd = try_bind(LOCAL_IP, port, 1);
	CHECK(fd < 0 && errno == EADDRINUSE, "new socket reuse only: %s",
	      fd < 0 ? strerrorname(errno) : "bound");
	if (fd >= 0)
		close(fd);

	/* Both with SO_REUSEADDR: bound, and it listens and accepts. */
	port = time_wait_on_server_port(6101, 1);
	fd = try_bind(LOCAL_IP, port, 0);
	CHECK(fd < 0 && errno == EADDRINUSE, "without reuse: %s",
	      fd < 0 ? strerrorname(errno) : "bound");
	l = try_bind(LOCAL_IP, port, 1);
	CHECK(l >= 0, "both with reuse: %s", strerrorname(errno));
	if (l >= 0) {
		CHECK_OK(listen(l, 1));
		c = connected_socket(port);
		fd = accept_wait(l);
		close(fd);
		set_rcvtimeo(c, 2000);
		CHECK(recv(c, buf, sizeof(buf), 0) == 0);
		close(c);
		close(l);
	}

	/* A client that closes first holds its own port likewise. */
	l = listener(6102, 1);
	c = bound_socket(LOCAL_IP, 6103);
	CHECK_OK(connect_port(c, 6102));
	fd = accept_wait(l);
	close(c);
	set_rcvtimeo(fd, 2000);
	CHECK(recv(fd, buf, sizeof(buf), 0) == 0);
	close(fd);
	usleep(100 * 1000);
	c = try_bind(LOCAL_IP, 6103, 0);
	CHECK(c < 0 && errno == EADDRINUSE, "client port: %s",
	      c < 0 ? strerrorname(errno) : "bound");
	if (c >= 0)
		close(c);
	/* The passive closer's side left no TIME-WAIT: the listener's port is free. */
	close(l);
	l = try_bind(LOCAL_IP, 6102, 0);
	CHECK(l >= 0, "passive closer's port: %s", strerrorname(errno));
	if (l >= 0)
		close(l);
}

/* -------------------------------------------------------------- connect */

TCP_TEST(tcp_connect_ephemeral)
{
	unsigned int ports[20], port, i, j;
	int l = listener(7000, 32), c[20], s, fd;
	struct sockaddr_in a, p;
	socklen_t len;

	/* connect autobinds: the route's source, an ephemeral port. */
	fd = connected_socket(7000);
	a = sock_name(fd);
	CHECK(a.sin_addr.s_addr == addr_of(LOCAL_IP, 0).sin_addr.s_addr, "%s", addr_str(&a));
	CHECK_EPHEMERAL(ntohs(a.sin_port));
	len = sizeof(p);
	CHECK_OK(getpeername(fd, SA(&p), &len));
	CHECK_ADDR(&p, len, LOCAL_IP, 7000);
	s = accept_wait(l);
	len = sizeof(p);
	CHECK_OK(getpeername(s, SA(&p), &len));
	CHECK_ADDR(&p, len, LOCAL_IP, ntohs(a.sin_port));
	p = sock_name(s);
	CHECK_ADDR(&p, sizeof(p), LOCAL_IP, 7000);
	close(s);
	close(fd);

	/* Bound to any address and port 0: the port stays, the address is set. */
	fd = bound_socket("0.0.0.0", 0);
	port = local_port(fd);
	CHECK_EPHEMERAL(port);
	CHECK_OK(connect_port(fd, 7000));
	a = sock_name(fd);
	CHECK_ADDR(&a, sizeof(a), LOCAL_IP, port);
	close(accept_wait(l));
	close(fd);

	for (i = 0; i < 20; i++) {
		c[i] = connected_socket(7000);
		ports[i] = local_port(c[i]);
		CHECK_EPHEMERAL(ports[i]);
		for (j = 0; j < i; j++)
			CHECK(ports[i] != ports[j], "port %u given twice", ports[i]);
	}
	for (i = 0; i < 20; i++) {
		close(accept_wait(l));
		close(c[i]);
	}
	close(l);
}

TCP_TEST(tcp_connect_errors)
{
	struct sockaddr_in a = addr_of(LOCAL_IP, 7100), b;
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(7100) };
	int fd = tcp_socket(), l;
	socklen_t len;

	CHECK_ERRNO(connect(fd, SA(&a), 1), EINVAL);
	CHECK_ERRNO(connect(fd, SA(&a), sizeof(a) - 1), EINVAL);
	CHECK_ERRNO(connect(fd, SA(&a6), sizeof(a6)), EAFNOSUPPORT);
	b = addr_of(UNROUTED_IP, 7100);
	CHECK_ERRNO(connect(fd, SA(&b), sizeof(b)), ENETUNREACH);
	/* Broadcast and multicast: no connections there. */
	b = addr_of(SUBNET_BCAST, 7100);
	CHECK_ERRNO(connect(fd, SA(&b), sizeof(b)), ENETUNREACH);
	b = addr_of("224.0.0.1", 7100);
	CHECK_ERRNO(connect(fd, SA(&b), sizeof(b)), ENETUNREACH);
	/* Nothing listens: refused, and SO_ERROR is clear after. */
	CHECK_ERRNO(connect(fd, SA(&a), sizeof(a)), ECONNREFUSED);
	CHECK(get_int(fd, SOL_SOCKET, SO_ERROR) == 0);
	len = sizeof(b);
	CHECK_ERRNO(getpeername(fd, SA(&b), &len), ENOTCONN);
	/* The socket can connect again after the refusal. */
	l = listener(7100, 1);
	CHECK_OK(connect(fd, SA(&a), sizeof(a)));
	CHECK_ERRNO(connect(fd, SA(&a), sizeof(a)), EISCONN);
	b = addr_of(LOCAL_IP, 7101);
	CHECK_ERRNO(connect(fd, SA(&b), sizeof(b)), EISCONN);
	close(fd);
	close(l);

	/* A listening socket cannot connect. */
	l = listener(7102, 1);
	CHECK_ERRNO(connect(l, SA(&a), sizeof(a)), EISCONN);
	close(l);
}

/*
 * A non-blocking connect over local delivery still reports EINPROGRESS
 * (the handshake finishes after the call returns); POLLOUT then says it
 * is done and SO_ERROR how.
 */
TCP_TEST(tcp_connect_nonblocking)
{
	int l = listener(7200, 4), fd, s;
	socklen_t len;
	struct sockaddr_in p;
	short ev;

	fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	REQUIRE(fd >= 0);
	CHECK_ERRNO(connect_port(fd, 7200), EINPROGRESS);
	ev = poll_now(fd, POLLOUT, 2000);
	CHECK(ev == POLLOUT, "poll %#x", ev);
	CHECK_POLL(fd, 0, POLLOUT);
	CHECK(get_int(fd, SOL_SOCKET, SO_ERROR) == 0);
	len = sizeof(p);
	CHECK_OK(getpeername(fd, SA(&p), &len));
	CHECK_ADDR(&p, len, LOCAL_IP, 7200);
	/*
	 * Linux: the first connect after the handshake completed returns 0
	 * (it finishes the pending connect), the next one EISCONN.
	 */
	CHECK_OK(connect_port(fd, 7200));
	CHECK_ERRNO(connect_port(fd, 7200), EISCONN);
	s = accept_wait(l);
	send_all(fd, "nb", 2);
	EXPECT_DATA(s, "nb");
	close(s);
	close(fd);
	close(l);

	/* To a closed port: EINPROGRESS, then the refusal. */
	fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	REQUIRE(fd >= 0);
	CHECK_ERRNO(connect_port(fd, 7201), EINPROGRESS);
	ev = poll_now(fd, POLLOUT, 2000);
	CHECK(ev == (POLLOUT | POLLERR | POLLHUP), "poll %#x", ev);
	CHECK_POLL(fd, 0, POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP);
	CHECK(get_int(fd, SOL_SOCKET, SO_ERROR) == ECONNREFUSED);
	CHECK(get_int(fd, SOL_SOCKET, SO_ERROR) == 0);
	CHECK_POLL(fd, 0, POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
	close(fd);

	/* The same, the error taken by a second connect. */
	fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	REQUIRE(fd >= 0);
	CHECK_ERRNO(connect_port(fd, 7201), EINPROGRESS);
	poll_now(fd, POLLOUT, 2000);
	CHECK_ERRNO(connect_port(fd, 7201), ECONNREFUSED);
	CHECK(get_int(fd, SOL_SOCKET, SO_ERROR) == 0);
	close(fd);
}

/* A connect to 10.9.0.77, where d0 drops the SYN: it stays pending. */
static int pending_connect(void)
{
	struct sockaddr_in to = addr_of(OTHER_IP, 7300);
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);

	REQUIRE(fd >= 0);
	CHECK_ERRNO(connect(fd, SA(&to), sizeof(to)), EINPROGRESS);
	return fd;
}

TCP_TEST(tcp_connect_pending)
{
	struct sockaddr_in to = addr_of(OTHER_IP, 7300), a, unspec = { .sin_family = AF_UNSPEC };
	struct timeval tv = { .tv_sec = 0, .tv_usec = 300 * 1000 };
	int fd = pending_connect(), fd2;
	unsigned int port;
	socklen_t len;
	char buf[8];
	double t0, dt;

	CHECK_POLL(fd, 200, 0);
	CHECK_ERRNO(connect(fd, SA(&to), sizeof(to)), EALREADY);
	CHECK(get_int(fd, SOL_SOCKET, SO_ERROR) == 0);
	a = sock_name(fd);
	CHECK(a.sin_addr.s_addr == addr_of(LOCAL_IP, 0).sin_addr.s_addr, "%s", addr_str(&a));
	CHECK_EPHEMERAL(ntohs(a.sin_port));
	len = sizeof(a);
	CHECK_ERRNO(getpeername(fd, SA(&a), &len), ENOTCONN);
	CHECK_ERRNO(listen(fd, 1), EINVAL);
	CHECK_ERRNO(accept(fd, NULL, NULL), EINVAL);
	CHECK_ERRNO(send(fd, "x", 1, MSG_NOSIGNAL), EAGAIN);
	CHECK_ERRNO(recv(fd, buf, sizeof(buf), 0), EAGAIN);
	/*
	 * AF_UNSPEC abandons it, and (Linux) leaves ECONNRESET pending on
	 * the socket itself.
	 */
	CHECK_OK(connect(fd, SA(&unspec), sizeof(unspec)));
	CHECK_POLL(fd, 0, POLLOUT | POLLERR | POLLHUP);
	CHECK(get_int(fd, SOL_SOCKET, SO_ERROR) == ECONNRESET);
	CHECK_POLL(fd, 0, POLLOUT | POLLHUP);
	/* The address goes; (Linux) the port number stays but is not held. */
	port = ntohs(a.sin_port);
	a = sock_name(fd);
	CHECK(a.sin_addr.s_addr == 0 && ntohs(a.sin_port) == port, "%s, was port %u",
	      addr_str(&a), port);
	fd2 = try_bind(LOCAL_IP, port, 0);
	CHECK(fd2 >= 0, "binding port %u: %s", port, strerrorname(errno));
	if (fd2 >= 0)
		close(fd2);
	close(fd);

	/* Blocking, with SO_SNDTIMEO: Linux gives up waiting with EINPROGRESS. */
	fd = tcp_socket();
	REQUIRE(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == 0);
	t0 = now_s();
	CHECK_ERRNO(connect(fd, SA(&to), sizeof(to)), EINPROGRESS);
	dt = now_s() - t0;
	CHECK(dt >= 0.25 && dt < 2, "after %.3f s", dt);
	CHECK_ERRNO(connect(fd, SA(&to), sizeof(to)), EALREADY);
	close(fd);

	/* Blocking, interrupted: EINTR, and the connect goes on. */
	catch_signal(SIGUSR1, 0);
	fd2 = tcp_socket();
	{
		pid_t parent = getpid(), pid = fork();

		REQUIRE(pid >= 0);
		if (pid == 0) {
			usleep(300 * 1000);
			kill(parent, SIGUSR1);
			_exit(0);
		}
		CHECK_ERRNO(connect(fd2, SA(&to), sizeof(to)), EINTR);
		CHECK(usr1_seen == 1);
		waitpid(pid, NULL, 0);
	}
	/* (Non-blocking: a blocking one would wait for the handshake.) */
	CHECK_OK(fcntl(fd2, F_SETFL, O_NONBLOCK));
	CHECK_ERRNO(connect(fd2, SA(&to), sizeof(to)), EALREADY);
	CHECK_POLL(fd2, 0, 0);
	close(fd2);
}

/*
 * connect(AF_UNSPEC) on TCP is a disconnect: a connection is reset, a
 * listener stops listening, and the socket can connect again.
 */
TCP_TEST(tcp_connect_unspec)
{
	struct sockaddr_in unspec = { .sin_family = AF_UNSPEC }, a;
	int c, s, l, fd;
	unsigned int port;
	socklen_t len;
	char buf[8];

	tcp_pair(&c, &s, 7400);
	port = local_port(c);
	CHECK_ERRNO(connect(c, SA(&unspec), 1), EINVAL);
	CHECK_OK(connect(c, SA(&unspec), sizeof(unspec.sin_family)));
	wait_readable(s);
	CHECK_ERRNO(recv(s, buf, sizeof(buf), 0), ECONNRESET);
	len = sizeof(a);
	CHECK_ERRNO(getpeername(c, SA(&a), &len), ENOTCONN);
	/*
	 * Autobound: the address goes, the port is released (Linux leaves
	 * its number in getsockname); ECONNRESET is pending here too.
	 */
	a = sock_name(c);
	CHECK(a.sin_addr.s_addr == 0 && ntohs(a.sin_port) == port, "%s, was port %u",
	      addr_str(&a), port);
	fd = try_bind(LOCAL_IP, port, 0);
	CHECK(fd >= 0, "binding port %u: %s", port, strerrorname(errno));
	if (fd >= 0)
		close(fd);
	CHECK_POLL(c, 0, POLLOUT | POLLERR | POLLHUP);
	CHECK(get_int(c, SOL_SOCKET, SO_ERROR) == ECONNRESET);
	CHECK_POLL(c, 0, POLLOUT | POLLHUP);
	l = listener(7401, 1);
	CHECK_OK(connect_port(c, 7401));
	close(accept_wait(l));
	close(l);
	close(c);
	close(s);

	/* Bound by the user: address and port stay. */
	c = bound_socket(LOCAL_IP, 7402);
	l = listener(7403, 1);
	CHECK_OK(connect_port(c, 7403));
	CHECK_OK(connect(c, SA(&unspec), sizeof(unspec)));
	a = sock_name(c);
	CHECK_ADDR(&a, sizeof(a), LOCAL_IP, 7402);
	close(c);
	close(l);

	/* On a listener: it stops listening (connections are refused). */
	l = listener(7404, 1);
	CHECK_OK(connect(l, SA(&unspec), sizeof(unspec)));
	CHECK(get_int(l, SOL_SOCKET, SO_ACCEPTCONN) == 0);
	CHECK_ERRNO(accept(l, NULL, NULL), EINVAL);
	c = tcp_socket();
	CHECK_ERRNO(connect_port(c, 7404), ECONNREFUSED);
	close(c);
	close(l);

	/* On a fresh socket: nothing to do. */
	c = tcp_socket();
	CHECK_OK(connect(c, SA(&unspec), sizeof(unspec)));
	close(c);
}

/* --------------------------------------------------------------- listen */

TCP_TEST(tcp_listen)
{
	struct sockaddr_in a;
	int fd, c, s, l;

	/* Unbound: listen binds 0.0.0.0 and an ephemeral port. */
	fd = tcp_socket();
	CHECK(get_int(fd, SOL_SOCKET, SO_ACCEPTCONN) == 0);
	CHECK_OK(listen(fd, 1));
	CHECK(get_int(fd, SOL_SOCKET, SO_ACCEPTCONN) == 1);
	a = sock_name(fd);
	CHECK(a.sin_addr.s_addr == 0, "%s", addr_str(&a));
	CHECK_EPHEMERAL(ntohs(a.sin_port));
	/* Again, with another backlog: fine, same port. */
	CHECK_OK(listen(fd, 5));
	CHECK_OK(listen(fd, -1));	/* negative: the maximum */
	CHECK(sock_name(fd).sin_port == a.sin_port);
	c = connected_socket(ntohs(a.sin_port));
	s = accept_wait(fd);
	/* Connected sockets cannot listen, either end. */
	CHECK_ERRNO(listen(c, 1), EINVAL);
	CHECK_ERRNO(listen(s, 1), EINVAL);
	close(c);
	close(s);
	close(fd);

	/* shutdown(SHUT_RD) on a listener stops it (Linux), SHUT_WR does not. */
	l = listener(7500, 1);
	CHECK_OK(shutdown(l, SHUT_WR));
	CHECK(get_int(l, SOL_SOCKET, SO_ACCEPTCONN) == 1);
	c = connected_socket(7500);
	s = accept_wait(l);
	close(c);		/* the client closes first: no TIME-WAIT on 7500 */
	set_rcvtimeo(s, 2000);
	CHECK(recv(s, &a, 1, 0) == 0);
	close(s);
	CHECK_OK(shutdown(l, SHUT_RD));
	CHECK(get_int(l, SOL_SOCKET, SO_ACCEPTCONN) == 0);
	CHECK_ERRNO(accept(l, NULL, NULL), EINVAL);
	c = tcp_socket();
	CHECK_ERRNO(connect_port(c, 7500), ECONNREFUSED);
	close(c);
	/* ... and it can listen again. */
	CHECK_OK(listen(l, 1));
	c = connected_socket(7500);
	close(accept_wait(l));
	close(c);
	close(l);
}

TCP_TEST(tcp_accept)
{
	int l = listener(7600, 4), fd, c, s, flags;
	struct sockaddr_in a, cn;
	unsigned char buf[32];
	socklen_t len;

	/* Not listening: EINVAL, whatever the state. */
	fd = tcp_socket();
	CHECK_ERRNO(accept(fd, NULL, NULL), EINVAL);
	close(fd);
	fd = bound_socket(LOCAL_IP, 7601);
	CHECK_ERRNO(accept(fd, NULL, NULL), EINVAL);
	close(fd);
	CHECK_ERRNO(accept4(l, NULL, NULL, 0x7fffffff), EINVAL);

	/* Nothing pending on a non-blocking listener: EAGAIN. */
	CHECK_OK(fcntl(l, F_SETFL, O_NONBLOCK));
	CHECK_ERRNO(accept(l, NULL, NULL), EAGAIN);

	/* The peer's address; the new socket does not inherit O_NONBLOCK. */
	c = connected_socket(7600);
	cn = sock_name(c);
	REQUIRE(poll_now(l, POLLIN, 2000) == POLLIN);
	memset(&a, 0xa5, sizeof(a));
	len = sizeof(a);
	s = accept(l, SA(&a), &len);
	REQUIRE(s >= 0, "accept: %s", strerrorname(errno));
	CHECK_ADDR(&a, len, LOCAL_IP, ntohs(cn.sin_port));
	flags = fcntl(s, F_GETFL);
	CHECK(!(flags & O_NONBLOCK), "O_NONBLOCK inherited: %#x", flags);
	CHECK(!(fcntl(s, F_GETFD) & FD_CLOEXEC));
	a = sock_name(s);
	CHECK_ADDR(&a, sizeof(a), LOCAL_IP, 7600);
	len = sizeof(a);
	CHECK_OK(getpeername(s, SA(&a), &len));
	CHECK_ADDR(&a, len, LOCAL_IP, ntohs(cn.sin_port));
	len = sizeof(a);
	CHECK_OK(getpeername(c, SA(&a), &len));
	CHECK_ADDR(&a, len, LOCAL_IP, 7600);
	CHECK(get_int(s, SOL_SOCKET, SO_ACCEPTCONN) == 0);
	close(s);
	close(c);

	/* accept4 flags show on the new fd. */
	c = connected_socket(7600);
	REQUIRE(poll_now(l, POLLIN, 2000) == POLLIN);
	s = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	REQUIRE(s >= 0, "accept4: %s", strerrorname(errno));
	CHECK(fcntl(s, F_GETFL) & O_NONBLOCK);
	CHECK(fcntl(s, F_GETFD) & FD_CLOEXEC);
	close(s);
	close(c);

	/* A larger address buffer: 16 back; a short one: truncated, 16 back. */
	c = connected_socket(7600);
	REQUIRE(poll_now(l, POLLIN, 2000) == POLLIN);
	memset(buf, 0xa5, sizeof(buf));
	len = 4;
	s = accept(l, SA(buf), &len);
	REQUIRE(s >= 0, "accept: %s", strerrorname(errno));
	CHECK(len == sizeof(struct sockaddr_in), "length %u", len);
	CHECK(buf[4] == 0xa5, "wrote past the caller's length");
	close(s);
	close(c);

	/* A connection closed before it is accepted is still accepted. */
	c = connected_socket(7600);
	close(c);
	REQUIRE(poll_now(l, POLLIN, 2000) == POLLIN);
	s = accept(l, NULL, NULL);
	CHECK(s >= 0, "accept: %s", strerrorname(errno));
	if (s >= 0) {
		set_rcvtimeo(s, 2000);
		CHECK(recv(s, buf, sizeof(buf), 0) == 0, "no EOF");
		close(s);
	}
	close(l);
}

/*
 * listen(fd, 1): Linux completes backlog + 1 connections and leaves them
 * queued; the next SYN is dropped (not refused), so that connect stays
 * pending and completes by a retransmitted SYN once accept() makes room.
 * SYN cookies (on by default in a new namespace) change nothing here:
 * they answer a full SYN queue, not a full accept queue.
 */
static void backlog_overflow(int cookies)
{
	int l, c[3], s, n = 0;
	struct timeval tv = { .tv_sec = 3 };
	short ev;
	int i;

	if (cookies >= 0)
		sh("sysctl -q -w net.ipv4.tcp_syncookies=%d", cookies);
	l = listener(7701 + cookies, 1);
	for (i = 0; i < 2; i++) {
		c[i] = tcp_socket();
		REQUIRE(setsockopt(c[i], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == 0);
		CHECK(connect_port(c[i], 7701 + cookies) == 0, "connect %d: %s", i,
		      strerrorname(errno));
	}
	c[2] = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	REQUIRE(c[2] >= 0);
	CHECK_ERRNO(connect_port(c[2], 7701 + cookies), EINPROGRESS);
	ev = poll_now(c[2], POLLOUT, 1500);
	CHECK(ev == 0, "cookies %d: the third connect finished: %#x", cookies, ev);
	CHECK(poll_now(l, POLLIN, 0) == POLLIN);

	s = accept(l, NULL, NULL);
	CHECK(s >= 0, "accept: %s", strerrorname(errno));
	close(s);
	ev = poll_now(c[2], POLLOUT, 6000);
	CHECK(ev == POLLOUT, "cookies %d: the third connect: %#x", cookies, ev);
	CHECK(get_int(c[2], SOL_SOCKET, SO_ERROR) == 0);
	CHECK_OK(fcntl(l, F_SETFL, O_NONBLOCK));
	usleep(100 * 1000);
	while ((s = accept(l, NULL, NULL)) >= 0) {
		n++;
		close(s);
	}
	CHECK(errno == EAGAIN, "accept: %s", strerrorname(errno));
	CHECK(n == 2, "cookies %d: %d more accepted, want 2", cookies, n);
	for (i = 0; i < 3; i++)
		close(c[i]);
	close(l);
}

TCP_TEST(tcp_backlog_overflow)
{
	const char *path = "/proc/sys/net/ipv4/tcp_syncookies";
	int cookies;

	if (access(path, F_OK) != 0) {
		/* The test guest's kernel has no CONFIG_SYN_COOKIES. */
		ns_note("no %s: SYN cookies not built in", path);
		backlog_overflow(-1);
		return;
	}
	if (family == AF_INET) {
		cookies = sysctl_int(path);
		CHECK(cookies == 1, "net.ipv4.tcp_syncookies %d in a new namespace", cookies);
	}
	backlog_overflow(0);
	backlog_overflow(1);
}

/* ------------------------------------------------------------------ data */

TCP_TEST(tcp_send_recv_calls)
{
	struct iovec out[2] = { { "scat", 4 }, { "tered", 5 } };
	struct msghdr msg = { .msg_iov = out, .msg_iovlen = 2 };
	struct sockaddr_in other = addr_of(LOCAL_IP, 9), from;
	char buf[128], p1[4], p2[16], name[32];
	struct iovec in[2] = { { p1, sizeof(p1) }, { p2, sizeof(p2) } };
	int c, s;
	socklen_t len;
	ssize_t n;

	tcp_pair(&c, &s, 8000);
	CHECK(write(c, "write", 5) == 5, "write: %s", strerrorname(errno));
	CHECK(send(c, "send", 4, 0) == 4, "send: %s", strerrorname(errno));
	CHECK(sendmsg(c, &msg, 0) == 9, "sendmsg: %s", strerrorname(errno));
	CHECK(writev(c, out, 2) == 9, "writev: %s", strerrorname(errno));
	/* An address on a connected stream socket is ignored. */
	CHECK(sendto(c, "sendto", 6, 0, SA(&other), sizeof(other)) == 6, "sendto: %s",
	      strerrorname(errno));
	CHECK(send(c, "", 0, 0) == 0, "empty send: %s", strerrorname(errno));

	/* A byte stream: the pieces arrive in order, boundaries gone. */
	EXPECT_DATA(s, "writesendscatteredscatteredsendto");
	CHECK_ERRNO(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);

	send_all(s, "0123456789abcdefghij", 20);
	wait_readable(c);
	usleep(50 * 1000);
	n = read(c, buf, 3);
	CHECK(n == 3 && !memcmp(buf, "012", 3), "read: %zd", n);
	n = readv(c, in, 2);
	CHECK(n == 17 && !memcmp(p1, "3456", 4) && !memcmp(p2, "789abcdefghij", 13),
	      "readv: %zd", n);

	/* recvmsg and recvfrom give no address on a stream: length 0. */
	send_all(s, "msg", 3);
	wait_readable(c);
	memset(name, 0xa5, sizeof(name));
	msg = (struct msghdr){ .msg_name = name, .msg_namelen = sizeof(name),
			       .msg_iov = in, .msg_iovlen = 2 };
	n = recvmsg(c, &msg, 0);
	CHECK(n == 3 && !memcmp(p1, "msg", 3), "recvmsg: %zd", n);
	CHECK(msg.msg_namelen == 0 && msg.msg_flags == 0, "namelen %u flags %#x",
	      msg.msg_namelen, msg.msg_flags);
	send_all(s, "from", 4);
	wait_readable(c);
	memset(&from, 0xa5, sizeof(from));
	len = sizeof(from);
	n = recvfrom(c, buf, sizeof(buf), 0, SA(&from), &len);
	CHECK(n == 4 && len == 0, "recvfrom: %zd, length %u", n, len);
	close(c);
	close(s);
}

/* The calls on a socket that is not connected. */
TCP_TEST(tcp_not_connected)
{
	int fd = tcp_socket(), l = listener(8100, 1);
	struct sockaddr_in to = addr_of(LOCAL_IP, 8100), a;
	socklen_t len;
	char buf[8];

	catch_signal(SIGPIPE, 0);
	/* Linux: send on a stream that is not connected is EPIPE, with SIGPIPE. */
	CHECK_ERRNO(send(fd, "x", 1, 0), EPIPE);
	CHECK(sigpipe_seen == 1, "%d SIGPIPEs", (int)sigpipe_seen);
	CHECK_ERRNO(write(fd, "x", 1), EPIPE);
	CHECK(sigpipe_seen == 2, "%d SIGPIPEs", (int)sigpipe_seen);
	CHECK_ERRNO(send(fd, "x", 1, MSG_NOSIGNAL), EPIPE);
	/* sendto's address does not connect it. */
	CHECK_ERRNO(sendto(fd, "x", 1, MSG_NOSIGNAL, SA(&to), sizeof(to)), EPIPE);
	CHECK(sigpipe_seen == 2, "%d SIGPIPEs", (int)sigpipe_seen);
	CHECK_ERRNO(recv(fd, buf, sizeof(buf), 0), ENOTCONN);
	CHECK_ERRNO(read(fd, buf, sizeof(buf)), ENOTCONN);
	len = sizeof(a);
	CHECK_ERRNO(getpeername(fd, SA(&a), &len), ENOTCONN);
	CHECK_ERRNO(shutdown(fd, SHUT_RDWR), ENOTCONN);
	CHECK_ERRNO(shutdown(fd, 3), EINVAL);
	/* A listener likewise. */
	CHECK_ERRNO(send(l, "x", 1, MSG_NOSIGNAL), EPIPE);
	CHECK_ERRNO(recv(l, buf, sizeof(buf), 0), ENOTCONN);
	len = sizeof(a);
	CHECK_ERRNO(getpeername(l, SA(&a), &len), ENOTCONN);
	close(fd);
	close(l);
}

TCP_TEST(tcp_recv_peek)
{
	char buf[16];
	int c, s;
	ssize_t n;

	tcp_pair(&c, &s, 8200);
	CHECK_ERRNO(recv(s, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT), EAGAIN);
	send_all(c, "hello", 5);
	wait_readable(s);
	n = recv(s, buf, sizeof(buf), MSG_PEEK);
	CHECK(n == 5 && !memcmp(buf, "hello", 5), "peek: %zd", n);
	n = recv(s, buf, 2, MSG_PEEK);
	CHECK(n == 2 && !memcmp(buf, "he", 2), "short peek: %zd", n);
	n = recv(s, buf, 2, 0);
	CHECK(n == 2 && !memcmp(buf, "he", 2), "recv: %zd", n);
	n = recv(s, buf, sizeof(buf), MSG_PEEK);
	CHECK(n == 3 && !memcmp(buf, "llo", 3), "peek the rest: %zd", n);
	send_all(c, "world", 5);
	usleep(100 * 1000);
	n = recv(s, buf, sizeof(buf), MSG_PEEK);
	CHECK(n == 8 && !memcmp(buf, "lloworld", 8), "peek across sends: %zd", n);
	n = recv(s, buf, sizeof(buf), 0);
	CHECK(n == 8 && !memcmp(buf, "lloworld", 8), "recv: %zd", n);
	CHECK_ERRNO(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	close(c);
	close(s);
}

/* A child that sends each piece after ms, then exits (closing if close_after). */
static pid_t send_later(int fd, const char *const *pieces, long ms, int close_after)
{
	pid_t pid = fork();

	REQUIRE(pid >= 0);
	if (pid == 0) {
		for (; *pieces; pieces++) {
			usleep(ms * 1000);
			if (send(fd, *pieces, strlen(*pieces), MSG_NOSIGNAL) < 0)
				_exit(1);
		}
		if (close_after)
			shutdown(fd, SHUT_WR);
		_exit(0);
	}
	return pid;
}

TCP_TEST(tcp_recv_waitall)
{
	static const char *const pieces[] = { "abc", "def", "ghi", NULL };
	char buf[32];
	int c, s;
	ssize_t n;
	pid_t pid;

	tcp_pair(&c, &s, 8300);
	pid = send_later(c, pieces, 100, 0);
	n = recv(s, buf, 9, MSG_WAITALL);
	CHECK(n == 9 && !memcmp(buf, "abcdefghi", 9), "recv MSG_WAITALL: %zd/%s", n,
	      ERRSTR(n));
	waitpid(pid, NULL, 0);

	/* Without it, what is there. */
	pid = send_later(c, pieces, 100, 0);
	n = recv(s, buf, 9, 0);
	CHECK(n == 3 && !memcmp(buf, "abc", 3), "recv: %zd/%s", n, ERRSTR(n));
	waitpid(pid, NULL, 0);
	CHECK(recv_exact(s, buf, 6) == 6);

	/* The peer's FIN ends it short. */
	pid = send_later(c, pieces, 100, 1);
	n = recv(s, buf, 20, MSG_WAITALL);
	CHECK(n == 9 && !memcmp(buf, "abcdefghi", 9), "recv MSG_WAITALL to EOF: %zd/%s", n,
	      ERRSTR(n));
	waitpid(pid, NULL, 0);
	CHECK(recv(s, buf, sizeof(buf), MSG_WAITALL) == 0);
	close(c);
	close(s);

	/* So does SO_RCVTIMEO: what came, not EAGAIN. */
	tcp_pair(&c, &s, 8301);
	set_rcvtimeo(s, 500);
	send_all(c, "abc", 3);
	n = recv(s, buf, 20, MSG_WAITALL);
	CHECK(n == 3, "recv MSG_WAITALL with a timeout: %zd/%s", n, ERRSTR(n));
	close(c);
	close(s);
}

TCP_TEST(tcp_recv_nonblocking)
{
	int c, s, nb;
	char buf[16];
	double t0, dt;

	tcp_pair(&c, &s, 8400);
	CHECK_ERRNO(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	set_rcvtimeo(s, 300);
	t0 = now_s();
	CHECK_ERRNO(recv(s, buf, sizeof(buf), 0), EAGAIN);
	dt = now_s() - t0;
	CHECK(dt >= 0.29 && dt < 2, "returned after %.3f s", dt);
	t0 = now_s();
	CHECK_ERRNO(read(s, buf, sizeof(buf)), EAGAIN);
	CHECK(now_s() - t0 >= 0.29);
	CHECK_OK(fcntl(s, F_SETFL, O_NONBLOCK));
	CHECK_ERRNO(recv(s, buf, sizeof(buf), 0), EAGAIN);
	CHECK_ERRNO(read(s, buf, sizeof(buf)), EAGAIN);
	close(c);
	close(s);

	/* SO_RCVTIMEO on a listener times out accept. */
	nb = listener(8401, 1);
	set_rcvtimeo(nb, 300);
	t0 = now_s();
	CHECK_ERRNO(accept(nb, NULL, NULL), EAGAIN);
	CHECK(now_s() - t0 >= 0.29);
	close(nb);
}

TCP_TEST_TIMEOUT(tcp_recv_interrupted, 30)
{
	static const char *const late[] = { "late", NULL };
	pid_t parent = getpid(), pid, sender;
	int c, s, l;
	char buf[16];
	ssize_t n;

	tcp_pair(&c, &s, 8500);
	set_rcvtimeo(s, 0);
	catch_signal(SIGUSR1, 0);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		usleep(300 * 1000);
		kill(parent, SIGUSR1);
		usleep(300 * 1000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	CHECK_ERRNO(recv(s, buf, sizeof(buf), 0), EINTR);
	CHECK(usr1_seen == 1, "signals %d", (int)usr1_seen);
	l = listener(8501, 1);
	CHECK_ERRNO(accept(l, NULL, NULL), EINTR);
	CHECK(usr1_seen == 2, "signals %d", (int)usr1_seen);
	waitpid(pid, NULL, 0);

	/* With SA_RESTART: the receive goes on and gets the later data. */
	catch_signal(SIGUSR1, SA_RESTART);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		usleep(300 * 1000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	sender = send_later(c, late, 600, 0);
	n = recv(s, buf, sizeof(buf), 0);
	CHECK(n == 4 && !memcmp(buf, "late", 4), "recv: %zd/%s", n, ERRSTR(n));
	CHECK(usr1_seen == 3, "signals %d", (int)usr1_seen);
	waitpid(pid, NULL, 0);
	waitpid(sender, NULL, 0);
	close(l);
	close(c);
	close(s);
}

#define BULK (4 << 20)

static unsigned char bulk_byte(size_t i)
{
	return (unsigned char)(i * 7 + i / 65521);
}

/*
 * 4 MiB to a reader that waits first: the blocking sender stops once the
 * buffers are full, then finishes as the reader drains; every byte comes
 * through in order.
 */
TCP_TEST_TIMEOUT(tcp_bulk_transfer, 120)
{
	volatile size_t *progress;
	unsigned char *out, *in;
	size_t i, got = 0;
	int c, s, status;
	ssize_t n;
	pid_t pid;

	progress = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	REQUIRE(progress != MAP_FAILED);
	out = malloc(BULK);
	in = malloc(BULK);
	REQUIRE(out && in);
	for (i = 0; i < BULK; i++)
		out[i] = bulk_byte(i);
	tcp_pair(&c, &s, 8600);
	set_rcvtimeo(s, 10000);

	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		size_t off = 0;

		/* In 256 KiB writes, so the parent can see how far it got. */
		while (off < BULK) {
			n = send(c, out + off, 256 << 10, MSG_NOSIGNAL);
			if (n != 256 << 10)
				_exit(1);
			off += n;
			*progress = off;
		}
		close(c);
		_exit(0);
	}
	close(c);
	usleep(500 * 1000);
	ns_note("sender blocked after %zu bytes", *progress);
	CHECK(*progress < BULK, "the sender did not block: %zu", *progress);
	CHECK(waitpid(pid, &status, WNOHANG) == 0, "the sender finished");

	/* Slowly at first: 64 KiB every 20 ms for 1 MiB, then at full speed. */
	while (got < BULK) {
		n = recv(s, in + got, got < (1 << 20) ? 65536 : BULK - got, 0);
		if (n <= 0) {
			CHECK(0, "recv at %zu: %zd/%s", got, n, ERRSTR(n));
			break;
		}
		got += n;
		if (got < (1 << 20))
			usleep(20 * 1000);
	}
	CHECK(got == BULK && !memcmp(in, out, BULK), "%zu bytes, %s", got,
	      memcmp(in, out, got) ? "changed" : "intact");
	CHECK(recv(s, in, 16, 0) == 0, "no EOF after the data");
	REQUIRE(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "sender status %#x", status);
	close(s);
	free(out);
	free(in);
}

/*
 * sendfile(2) and splice(2) into a TCP socket: the kernel hands the file's
 * pages to the protocol (MSG_SPLICE_PAGES from Linux 6.5, sendpage before),
 * and the peer receives the file's bytes in order, the first half sent by
 * sendfile, the second spliced through a pipe.
 */
TCP_TEST_TIMEOUT(tcp_sendfile_splice, 120)
{
	unsigned char *data, *in;
	int c, s, file, pipefd[2], status;
	size_t i, got = 0;
	off_t off = 0;
	ssize_t n;
	pid_t pid;

	data = malloc(BULK);
	in = malloc(BULK);
	REQUIRE(data && in);
	for (i = 0; i < BULK; i++)
		data[i] = bulk_byte(i);
	file = memfd_create("tcp_sendfile_splice", 0);
	REQUIRE(file >= 0, "memfd_create: %s", strerrorname(errno));
	REQUIRE(write(file, data, BULK) == BULK);
	REQUIRE(pipe(pipefd) == 0);
	tcp_pair(&c, &s, 8650);
	set_rcvtimeo(s, 10000);

	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		loff_t from = BULK / 2;
		size_t left;

		while (off < BULK / 2) {
			n = sendfile(c, file, &off, BULK / 2 - off);
			if (n <= 0)
				_exit(1);
		}
		for (left = BULK / 2; left; left -= n) {
			ssize_t piped = splice(file, &from, pipefd[1], NULL, left, 0);

			if (piped <= 0)
				_exit(2);
			for (n = 0; n < piped; ) {
				ssize_t sent = splice(pipefd[0], NULL, c, NULL, piped - n, 0);

				if (sent <= 0)
					_exit(3);
				n += sent;
			}
		}
		close(c);
		_exit(0);
	}
	close(c);
	while (got < BULK) {
		n = recv(s, in + got, BULK - got, 0);
		if (n <= 0) {
			CHECK(0, "recv at %zu: %zd/%s", got, n, ERRSTR(n));
			break;
		}
		got += n;
	}
	CHECK(got == BULK && !memcmp(in, data, BULK), "%zu bytes, %s", got,
	      memcmp(in, data, got) ? "changed" : "intact");
	CHECK(recv(s, in, 16, 0) == 0, "no EOF after the data");
	REQUIRE(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "sender status %#x (1: sendfile, 2: splice from the file, 3: splice to the socket)",
	      status);
	close(s);
	close(file);
	close(pipefd[0]);
	close(pipefd[1]);
	free(data);
	free(in);
}

/*
 * A non-blocking sender: a large send is partial, then EAGAIN with
 * POLLOUT clear; POLLOUT returns once the reader drains.
 */
TCP_TEST(tcp_send_nonblocking)
{
	unsigned char *buf = calloc(1, BULK), *sink = malloc(BULK);
	size_t queued = 0;
	ssize_t n;
	int c, s;

	REQUIRE(buf && sink);
	tcp_pair(&c, &s, 8700);
	CHECK_OK(fcntl(c, F_SETFL, O_NONBLOCK));
	n = send(c, buf, BULK, 0);
	CHECK(n > 0 && n < BULK, "first send: %zd/%s", n, ERRSTR(n));
	queued = n > 0 ? n : 0;
	while ((n = send(c, buf, 65536, 0)) > 0)
		queued += n;
	CHECK(n < 0 && errno == EAGAIN, "send: %zd/%s", n, ERRSTR(n));
	CHECK_ERRNO(send(c, buf, 1, MSG_DONTWAIT), EAGAIN);
	ns_note("%zu bytes queued", queued);
	CHECK_POLL(c, 0, 0);
	/* Readable on the other side, and only that. */
	CHECK_POLL(s, 0, POLLIN | POLLOUT);

	/* Drain it all: the sender becomes writable again. */
	while (queued) {
		n = recv(s, sink, BULK, 0);
		if (n <= 0) {
			CHECK(0, "recv with %zu to come: %zd/%s", queued, n, ERRSTR(n));
			break;
		}
		queued -= n;
	}
	CHECK(poll_now(c, POLLOUT, 2000) == POLLOUT, "no POLLOUT after the drain");
	CHECK(send(c, buf, 1, 0) == 1);
	close(c);
	close(s);
	free(buf);
	free(sink);
}

/* ------------------------------------------------------ poll and epoll */

TCP_TEST(tcp_poll_states)
{
	int fd = tcp_socket(), l, c, s;
	char buf[8];

	/* Linux: a socket that is not connected is writable and hung up. */
	CHECK_POLL(fd, 0, POLLOUT | POLLHUP);
	close(fd);
	fd = bound_socket(LOCAL_IP, 8800);
	CHECK_POLL(fd, 0, POLLOUT | POLLHUP);
	close(fd);

	/* A listener: readable only with a connection to accept. */
	l = listener(8801, 4);
	CHECK_POLL(l, 0, 0);
	c = connected_socket(8801);
	CHECK(poll_now(l, POLLIN, 2000) == POLLIN);
	CHECK_POLL(l, 0, POLLIN);
	s = accept(l, NULL, NULL);
	REQUIRE(s >= 0);
	CHECK_POLL(l, 0, 0);
	close(l);

	CHECK_POLL(c, 0, POLLOUT);
	CHECK_POLL(s, 0, POLLOUT);
	send_all(c, "x", 1);
	wait_readable(s);
	CHECK_POLL(s, 0, POLLIN | POLLOUT);
	CHECK(recv(s, buf, sizeof(buf), 0) == 1);
	CHECK_POLL(s, 0, POLLOUT);

	/* The peer's FIN: readable (EOF) and POLLRDHUP, still writable. */
	CHECK_OK(shutdown(c, SHUT_WR));
	CHECK(poll_now(s, POLLRDHUP, 2000) == POLLRDHUP);
	CHECK_POLL(s, 0, POLLIN | POLLOUT | POLLRDHUP);
	CHECK_POLL(c, 0, POLLOUT);
	CHECK(recv(s, buf, sizeof(buf), 0) == 0);
	CHECK(recv(s, buf, sizeof(buf), 0) == 0);
	CHECK_POLL(s, 0, POLLIN | POLLOUT | POLLRDHUP);
	/* Both ways shut: POLLHUP too. */
	CHECK_OK(shutdown(s, SHUT_WR));
	CHECK_POLL(s, 0, POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
	wait_readable(c);
	CHECK_POLL(c, 0, POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
	close(c);
	close(s);
}

/*
 * The peer closes with data of ours unread: it resets, and we see
 * POLLERR|POLLHUP with everything else; recv reports ECONNRESET once,
 * then EOF; send then fails EPIPE.
 */
TCP_TEST(tcp_poll_reset)
{
	int c, s, err;
	char buf[8];

	tcp_pair(&c, &s, 8900);
	send_all(c, "unread", 6);
	usleep(100 * 1000);
	close(s);
	CHECK(poll_now(c, POLLIN, 2000) & POLLIN, "no reset seen");
	CHECK_POLL(c, 0, POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP);
	CHECK_ERRNO(recv(c, buf, sizeof(buf), 0), ECONNRESET);
	CHECK_POLL(c, 0, POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
	CHECK(recv(c, buf, sizeof(buf), 0) == 0);
	CHECK_ERRNO(send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
	CHECK(get_int(c, SOL_SOCKET, SO_ERROR) == 0);
	close(c);

	/* SO_ERROR takes the error instead. */
	tcp_pair(&c, &s, 8901);
	send_all(c, "unread", 6);
	usleep(100 * 1000);
	close(s);
	CHECK(poll_now(c, POLLIN, 2000) & POLLIN, "no reset seen");
	err = get_int(c, SOL_SOCKET, SO_ERROR);
	CHECK(err == ECONNRESET, "SO_ERROR %s", strerrorname(err));
	CHECK(recv(c, buf, sizeof(buf), 0) == 0);
	close(c);

	/* A send takes it too (no SIGPIPE for ECONNRESET). */
	catch_signal(SIGPIPE, 0);
	tcp_pair(&c, &s, 8902);
	send_all(c, "unread", 6);
	usleep(100 * 1000);
	close(s);
	CHECK(poll_now(c, POLLIN, 2000) & POLLIN, "no reset seen");
	CHECK_ERRNO(send(c, "x", 1, 0), ECONNRESET);
	CHECK(sigpipe_seen == 0, "%d SIGPIPEs", (int)sigpipe_seen);
	CHECK_ERRNO(send(c, "x", 1, 0), EPIPE);
	CHECK(sigpipe_seen == 1, "%d SIGPIPEs", (int)sigpipe_seen);
	close(c);
}

static int epoll_events(int ep, int timeout_ms, uint32_t *events)
{
	struct epoll_event ev[2];
	int n = epoll_wait(ep, ev, 2, timeout_ms);

	REQUIRE(n >= 0, "epoll_wait: %s", strerrorname(errno));
	*events = n ? ev[0].events : 0;
	return n;
}

#define CHECK_EPOLL(ep, timeout, want_n, want)					\
	do {									\
		uint32_t got_;							\
		int n_ = epoll_events(ep, timeout, &got_);			\
		CHECK(n_ == (want_n) && (!n_ || got_ == (uint32_t)(want)),	\
		      "epoll %d %#x, want %d %#x", n_, got_, want_n, (uint32_t)(want)); \
	} while (0)

TCP_TEST(tcp_epoll)
{
	int lt = epoll_create1(0), et = epoll_create1(0), let = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP };
	int l, c, c2, s, fresh = tcp_socket();
	char buf[8];

	REQUIRE(lt >= 0 && et >= 0 && let >= 0);
	/* A fresh socket: EPOLLOUT|EPOLLHUP, EPOLLHUP without asking. */
	REQUIRE(epoll_ctl(lt, EPOLL_CTL_ADD, fresh, &ev) == 0);
	CHECK_EPOLL(lt, 0, 1, EPOLLOUT | EPOLLHUP);
	ev.events = EPOLLIN;
	REQUIRE(epoll_ctl(lt, EPOLL_CTL_MOD, fresh, &ev) == 0);
	CHECK_EPOLL(lt, 0, 1, EPOLLHUP);
	REQUIRE(epoll_ctl(lt, EPOLL_CTL_DEL, fresh, NULL) == 0);
	close(fresh);

	/* An edge-triggered listener: one event per connection. */
	l = listener(9000, 4);
	ev.events = EPOLLIN | EPOLLET;
	REQUIRE(epoll_ctl(let, EPOLL_CTL_ADD, l, &ev) == 0);
	CHECK_EPOLL(let, 0, 0, 0);
	c = connected_socket(9000);
	CHECK_EPOLL(let, 2000, 1, EPOLLIN);
	CHECK_EPOLL(let, 0, 0, 0);
	c2 = connected_socket(9000);
	CHECK_EPOLL(let, 2000, 1, EPOLLIN);
	s = accept_wait(l);
	close(accept_wait(l));
	close(c2);
	close(l);

	/* Level: EPOLLOUT; edge: the first report, then one per arrival. */
	ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
	REQUIRE(epoll_ctl(lt, EPOLL_CTL_ADD, s, &ev) == 0);
	ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
	REQUIRE(epoll_ctl(et, EPOLL_CTL_ADD, s, &ev) == 0);
	CHECK_EPOLL(lt, 0, 1, EPOLLOUT);
	CHECK_EPOLL(et, 0, 0, 0);
	send_all(c, "1", 1);
	CHECK_EPOLL(et, 2000, 1, EPOLLIN);
	CHECK_EPOLL(et, 0, 0, 0);
	CHECK_EPOLL(lt, 0, 1, EPOLLIN | EPOLLOUT);
	CHECK_EPOLL(lt, 0, 1, EPOLLIN | EPOLLOUT);
	send_all(c, "2", 1);	/* not drained: still a new edge */
	CHECK_EPOLL(et, 2000, 1, EPOLLIN);
	CHECK(recv(s, buf, sizeof(buf), 0) == 2);
	CHECK_EPOLL(et, 0, 0, 0);
	CHECK_EPOLL(lt, 0, 1, EPOLLOUT);

	/* The peer's FIN: EPOLLRDHUP with EPOLLIN; our own: EPOLLHUP. */
	CHECK_OK(shutdown(c, SHUT_WR));
	CHECK_EPOLL(et, 2000, 1, EPOLLIN | EPOLLRDHUP);
	CHECK_EPOLL(et, 0, 0, 0);
	CHECK_EPOLL(lt, 0, 1, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
	CHECK(recv(s, buf, sizeof(buf), 0) == 0);
	CHECK_EPOLL(lt, 0, 1, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
	CHECK_OK(shutdown(s, SHUT_WR));
	CHECK_EPOLL(lt, 0, 1, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLHUP);
	CHECK_EPOLL(et, 0, 1, EPOLLIN | EPOLLRDHUP | EPOLLHUP);
	close(c);
	close(s);

	/* A reset: EPOLLERR and EPOLLHUP without asking. */
	tcp_pair(&c, &s, 9001);
	ev.events = EPOLLIN;
	REQUIRE(epoll_ctl(lt, EPOLL_CTL_ADD, c, &ev) == 0);
	send_all(c, "unread", 6);
	usleep(100 * 1000);
	close(s);
	CHECK_EPOLL(lt, 2000, 1, EPOLLIN | EPOLLERR | EPOLLHUP);
	close(c);
	close(lt);
	close(et);
	close(let);
}

/* ----------------------------------------------------- close and shutdown */

TCP_TEST(tcp_shutdown_write)
{
	int c, s;
	char buf[8];

	catch_signal(SIGPIPE, 0);
	tcp_pair(&c, &s, 9100);
	send_all(c, "last", 4);
	CHECK_OK(shutdown(c, SHUT_WR));
	CHECK_OK(shutdown(c, SHUT_WR));		/* again: fine */
	/* The data, then EOF, and the other way still works. */
	EXPECT_DATA(s, "last");
	CHECK(recv(s, buf, sizeof(buf), 0) == 0);
	send_all(s, "reply", 5);
	EXPECT_DATA(c, "reply");
	send_all(s, "more", 4);
	EXPECT_DATA(c, "more");

	/* Sending after SHUT_WR: EPIPE and SIGPIPE, none with MSG_NOSIGNAL. */
	CHECK_ERRNO(send(c, "x", 1, 0), EPIPE);
	CHECK(sigpipe_seen == 1, "%d SIGPIPEs", (int)sigpipe_seen);
	CHECK_ERRNO(write(c, "x", 1), EPIPE);
	CHECK(sigpipe_seen == 2, "%d SIGPIPEs", (int)sigpipe_seen);
	CHECK_ERRNO(send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
	CHECK(sigpipe_seen == 2, "%d SIGPIPEs", (int)sigpipe_seen);

	/* The peer closes: EOF here, nothing reset. */
	close(s);
	wait_readable(c);
	CHECK(recv(c, buf, sizeof(buf), 0) == 0);
	CHECK(get_int(c, SOL_SOCKET, SO_ERROR) == 0);
	close(c);
}

/*
 * SHUT_RD: reads return 0 at once, nothing is sent to the peer, and
 * (Linux) data that still arrives is queued and read as before.
 */
TCP_TEST(tcp_shutdown_read)
{
	int c, s;
	char buf[8];
	ssize_t n;

	tcp_pair(&c, &s, 9200);
	CHECK_OK(shutdown(s, SHUT_RD));
	CHECK_POLL(s, 0, POLLIN | POLLOUT | POLLRDHUP);
	CHECK(recv(s, buf, sizeof(buf), 0) == 0);
	CHECK(recv(s, buf, sizeof(buf), MSG_DONTWAIT) == 0);
	usleep(100 * 1000);
	CHECK_POLL(c, 0, POLLOUT);
	send_all(s, "out", 3);
	EXPECT_DATA(c, "out");
	send_all(c, "in", 2);
	usleep(100 * 1000);
	n = recv(s, buf, sizeof(buf), 0);
	CHECK(n == 2 && !memcmp(buf, "in", 2), "recv after SHUT_RD: %zd/%s", n, ERRSTR(n));
	close(c);
	close(s);
}

/* Closing with data unread resets the connection (RFC 2525 2.17). */
TCP_TEST(tcp_close_unread)
{
	int c, s;
	char buf[8];

	tcp_pair(&c, &s, 9300);
	send_all(c, "unread", 6);
	usleep(100 * 1000);
	close(s);
	wait_readable(c);
	CHECK_ERRNO(recv(c, buf, sizeof(buf), 0), ECONNRESET);
	close(c);

	/* All read first: an orderly FIN. */
	tcp_pair(&c, &s, 9301);
	send_all(c, "read", 4);
	EXPECT_DATA(s, "read");
	close(s);
	wait_readable(c);
	CHECK(recv(c, buf, sizeof(buf), 0) == 0);
	close(c);
}

TCP_TEST(tcp_linger_zero)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 }, got;
	socklen_t len = sizeof(got);
	int c, s, l, fd;
	char buf[8];
	double t0;

	l = listener(9400, 1);
	c = bound_socket(LOCAL_IP, 9401);
	CHECK_OK(connect_port(c, 9400));
	s = accept_wait(l);
	set_rcvtimeo(s, 2000);
	REQUIRE(setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) == 0);
	CHECK_OK(getsockopt(c, SOL_SOCKET, SO_LINGER, &got, &len));
	CHECK(len == sizeof(got) && got.l_onoff == 1 && got.l_linger == 0,
	      "SO_LINGER %d %d", got.l_onoff, got.l_linger);
	send_all(c, "sent", 4);
	t0 = now_s();
	close(c);
	CHECK(now_s() - t0 < 0.5, "close took %.3f s", now_s() - t0);
	/* What had arrived is still read (Linux), then the reset. */
	wait_readable(s);
	CHECK(recv(s, buf, sizeof(buf), 0) == 4);
	CHECK_ERRNO(recv(s, buf, sizeof(buf), 0), ECONNRESET);
	close(s);
	/* No TIME-WAIT: the port is free at once. */
	fd = try_bind(LOCAL_IP, 9401, 0);
	CHECK(fd >= 0, "rebinding after an abortive close: %s", strerrorname(errno));
	if (fd >= 0)
		close(fd);
	close(l);
}

/*
 * SO_LINGER {1, 2} with data the peer has not taken: close blocks up to
 * 2 s (Linux: even on a non-blocking socket), and returns 0 either way.
 * The connection goes on without the socket: the data all arrives.
 */
TCP_TEST(tcp_linger_timeout)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 2 };
	unsigned char *buf = calloc(1, BULK);
	size_t queued = 0, got = 0;
	int c, s, rc, ready[2];
	double t0, dt;
	ssize_t n;
	pid_t pid;

	REQUIRE(buf);
	/* Nobody reads: close waits the whole linger time. */
	tcp_pair(&c, &s, 9500);
	CHECK_OK(fcntl(c, F_SETFL, O_NONBLOCK));
	while ((n = send(c, buf, 65536, 0)) > 0)
		queued += n;
	REQUIRE(setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) == 0);
	t0 = now_s();
	rc = close(c);
	dt = now_s() - t0;
	CHECK(rc == 0, "close: %s", strerrorname(errno));
	CHECK(dt >= 1.9 && dt < 3, "close took %.3f s", dt);
	set_rcvtimeo(s, 3000);
	while (got < queued + 1 && (n = recv(s, buf, BULK, 0)) > 0)
		got += n;
	CHECK(got == queued && n == 0, "received %zu of %zu, then %zd/%s", got, queued, n,
	      ERRSTR(n));
	close(s);

	/* A reader that starts after 0.5 s: close returns when it is all acked. */
	queued = got = 0;
	tcp_pair(&c, &s, 9501);
	CHECK_OK(fcntl(c, F_SETFL, O_NONBLOCK));
	while ((n = send(c, buf, 65536, 0)) > 0)
		queued += n;
	REQUIRE(setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) == 0);
	REQUIRE(pipe(ready) == 0);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		close(c);	/* so the parent's close is the last one */
		REQUIRE(write(ready[1], "r", 1) == 1);
		usleep(500 * 1000);
		while (got < queued && (n = recv(s, buf, BULK, 0)) > 0)
			got += n;
		_exit(got == queued && recv(s, buf, BULK, 0) == 0 ? 0 : 1);
	}
	close(s);
	REQUIRE(read(ready[0], &rc, 1) == 1);
	t0 = now_s();
	rc = close(c);
	dt = now_s() - t0;
	CHECK(rc == 0, "close: %s", strerrorname(errno));
	CHECK(dt >= 0.4 && dt < 1.9, "close took %.3f s", dt);
	{
		int status;

		REQUIRE(waitpid(pid, &status, 0) == pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "the reader did not get all %zu bytes and EOF", queued);
	}
	free(buf);
}

/* ---------------------------------------------------------------- options */

TCP_TEST(tcp_socket_options)
{
	int fd = tcp_socket(), val, rmem[3], wmem[3];
	socklen_t len;
	FILE *f;

	CHECK(get_int(fd, SOL_SOCKET, SO_TYPE) == SOCK_STREAM);
	CHECK(get_int(fd, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_TCP);
	val = get_int(fd, SOL_SOCKET, SO_DOMAIN);
	CHECK(val == family, "SO_DOMAIN %d", val);
	CHECK(get_int(fd, SOL_SOCKET, SO_ERROR) == 0);
	CHECK(get_int(fd, SOL_SOCKET, SO_ACCEPTCONN) == 0);
	CHECK(get_int(fd, SOL_SOCKET, SO_REUSEADDR) == 0);
	set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	CHECK(get_int(fd, SOL_SOCKET, SO_REUSEADDR) == 1);

	/* Buffers: the defaults are tcp_rmem[1] and tcp_wmem[1]; set ones doubled. */
	f = fopen("/proc/sys/net/ipv4/tcp_rmem", "r");
	REQUIRE(f);
	val = fscanf(f, "%d %d %d", &rmem[0], &rmem[1], &rmem[2]);
	REQUIRE(val == 3, "tcp_rmem unreadable");
	fclose(f);
	f = fopen("/proc/sys/net/ipv4/tcp_wmem", "r");
	REQUIRE(f);
	val = fscanf(f, "%d %d %d", &wmem[0], &wmem[1], &wmem[2]);
	REQUIRE(val == 3, "tcp_wmem unreadable");
	fclose(f);
	val = get_int(fd, SOL_SOCKET, SO_RCVBUF);
	CHECK(val == rmem[1], "SO_RCVBUF %d, tcp_rmem[1] %d", val, rmem[1]);
	val = get_int(fd, SOL_SOCKET, SO_SNDBUF);
	CHECK(val == wmem[1], "SO_SNDBUF %d, tcp_wmem[1] %d", val, wmem[1]);
	set_int(fd, SOL_SOCKET, SO_RCVBUF, 50000);
	val = get_int(fd, SOL_SOCKET, SO_RCVBUF);
	CHECK(val == 100000, "SO_RCVBUF %d", val);
	set_int(fd, SOL_SOCKET, SO_SNDBUF, 30000);
	val = get_int(fd, SOL_SOCKET, SO_SNDBUF);
	CHECK(val == 60000, "SO_SNDBUF %d", val);

	/* TCP_NODELAY at IPPROTO_TCP: off, then on (any non-zero is 1). */
	CHECK(get_int(fd, IPPROTO_TCP, TCP_NODELAY) == 0);
	set_int(fd, IPPROTO_TCP, TCP_NODELAY, 1);
	CHECK(get_int(fd, IPPROTO_TCP, TCP_NODELAY) == 1);
	set_int(fd, IPPROTO_TCP, TCP_NODELAY, 7);
	val = get_int(fd, IPPROTO_TCP, TCP_NODELAY);
	CHECK(val == 1, "TCP_NODELAY %d", val);
	set_int(fd, IPPROTO_TCP, TCP_NODELAY, 0);
	CHECK(get_int(fd, IPPROTO_TCP, TCP_NODELAY) == 0);
	val = 1;
	CHECK_ERRNO(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &val, 2), EINVAL);
	len = sizeof(val);
	CHECK_ERRNO(getsockopt(fd, IPPROTO_TCP, 9999, &val, &len), ENOPROTOOPT);

	/* Keepalive: off; settable; the timers' defaults and limits. */
	CHECK(get_int(fd, SOL_SOCKET, SO_KEEPALIVE) == 0);
	set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
	CHECK(get_int(fd, SOL_SOCKET, SO_KEEPALIVE) == 1);
	CHECK(get_int(fd, IPPROTO_TCP, TCP_KEEPIDLE) == 7200);
	CHECK(get_int(fd, IPPROTO_TCP, TCP_KEEPINTVL) == 75);
	CHECK(get_int(fd, IPPROTO_TCP, TCP_KEEPCNT) == 9);
	set_int(fd, IPPROTO_TCP, TCP_KEEPIDLE, 30);
	CHECK(get_int(fd, IPPROTO_TCP, TCP_KEEPIDLE) == 30);
	val = 0;
	CHECK_ERRNO(setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &val, sizeof(val)), EINVAL);
	close(fd);

	/* An accepted socket keeps the listener's TCP_NODELAY and SO_KEEPALIVE. */
	{
		int l = listener(9600, 1), c, s;

		set_int(l, IPPROTO_TCP, TCP_NODELAY, 1);
		set_int(l, SOL_SOCKET, SO_KEEPALIVE, 1);
		c = connected_socket(9600);
		s = accept_wait(l);
		CHECK(get_int(s, IPPROTO_TCP, TCP_NODELAY) == 1);
		CHECK(get_int(s, SOL_SOCKET, SO_KEEPALIVE) == 1);
		CHECK(get_int(c, IPPROTO_TCP, TCP_NODELAY) == 0);
		close(c);
		close(s);
		close(l);
	}
}

/*
 * Linux's struct tcp_info (<linux/tcp.h>) goes on past glibc's copy, which
 * cannot be included beside it: the fields after it that the test reads.
 */
struct tcp_info_ext {
	struct tcp_info base;
	uint64_t tcpi_pacing_rate;
	uint64_t tcpi_max_pacing_rate;
	uint64_t tcpi_bytes_acked;
	uint64_t tcpi_bytes_received;
};
_Static_assert(offsetof(struct tcp_info_ext, tcpi_bytes_received) == 128,
	       "struct tcp_info layout");

/* TCP_INFO of @fd, length @len; fails the test unless it is accepted. */
static struct tcp_info_ext tcp_info_of(int fd, socklen_t len)
{
	struct tcp_info_ext ti;
	socklen_t got = len;

	memset(&ti, 0xa5, sizeof(ti));
	REQUIRE(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &got) == 0,
		"TCP_INFO: %s", strerrorname(errno));
	REQUIRE(got == len, "TCP_INFO length %u, want %u", got, len);
	return ti;
}

TCP_TEST(tcp_congestion_info)
{
	static char data[64 << 10], sink[64 << 10];
	int fd = tcp_socket(), c, s, l, i;
	char name[32];
	struct tcp_info_ext tix;
	struct tcp_info *ti = &tix.base;
	socklen_t len;

	/* TCP_CONGESTION: the default, a change, unknown and empty names. */
	len = sizeof(name);
	CHECK(getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &len) == 0);
	CHECK(!strcmp(name, "cubic") && len == 16, "default \"%s\", length %u", name, len);
	CHECK(setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "reno", 4) == 0);
	len = sizeof(name);
	CHECK(getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &len) == 0);
	CHECK(!strcmp(name, "reno"), "after setting reno: \"%s\"", name);
	len = 3;
	memset(name, 0, sizeof(name));
	CHECK(getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &len) == 0);
	CHECK(len == 3 && !strcmp(name, "ren"), "cut to 3: \"%s\" %u", name, len);
	CHECK_ERRNO(setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "nosuch", 6), ENOENT);
	CHECK_ERRNO(setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "", 0), EINVAL);
	close(fd);

	/* The namespace's default (this test runs in a namespace of its own). */
	{
		const char *path = family == AF_NETSTACK ?
				   "/proc/sys/net/netstack/tcp_congestion_control" :
				   "/proc/sys/net/ipv4/tcp_congestion_control";
		FILE *f = fopen(path, "w");

		REQUIRE(f, "%s: %s", path, strerror(errno));
		CHECK(fputs("bogus\n", f) >= 0 && fflush(f) == EOF && errno == ENOENT,
		      "writing bogus: %s", strerrorname(errno));
		fclose(f);
		f = fopen(path, "w");
		REQUIRE(f);
		CHECK(fputs("reno\n", f) >= 0 && fflush(f) == 0);
		fclose(f);
		fd = tcp_socket();
		len = sizeof(name);
		CHECK(getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &len) == 0);
		CHECK(!strcmp(name, "reno"), "new socket after the default became reno: \"%s\"", name);
		close(fd);
		f = fopen(path, "w");
		REQUIRE(f);
		fputs("cubic\n", f);
		fclose(f);
	}

	/* TCP_INFO of a listener, and cut short. */
	l = listener(9700, 4);
	tix = tcp_info_of(l, sizeof(tix));
	CHECK(ti->tcpi_state == TCP_LISTEN, "listener state %u", ti->tcpi_state);
	close(l);

	/* After 64 KiB moved and acknowledged. */
	tcp_pair(&c, &s, 9701);
	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = i * 7;
	send_all(c, data, sizeof(data));
	CHECK(recv_exact(s, sink, sizeof(sink)) == sizeof(sink));
	for (i = 0; i < 100; i++) {
		tix = tcp_info_of(c, sizeof(tix));
		if (!ti->tcpi_unacked)
			break;
		usleep(20000);
	}
	CHECK(ti->tcpi_state == TCP_ESTABLISHED, "state %u", ti->tcpi_state);
	CHECK(ti->tcpi_ca_state == 0, "ca_state %u", ti->tcpi_ca_state);
	CHECK(ti->tcpi_unacked == 0 && ti->tcpi_sacked == 0 && ti->tcpi_lost == 0,
	      "unacked %u sacked %u lost %u", ti->tcpi_unacked, ti->tcpi_sacked, ti->tcpi_lost);
	CHECK(ti->tcpi_snd_cwnd >= 10, "cwnd %u", ti->tcpi_snd_cwnd);
	CHECK(ti->tcpi_rtt > 0 && ti->tcpi_rto >= 200000, "rtt %u rto %u", ti->tcpi_rtt, ti->tcpi_rto);
	CHECK(ti->tcpi_snd_mss >= 536, "snd_mss %u", ti->tcpi_snd_mss);
	CHECK((ti->tcpi_options & (TCPI_OPT_SACK | TCPI_OPT_WSCALE)) ==
	      (TCPI_OPT_SACK | TCPI_OPT_WSCALE), "options %#x", ti->tcpi_options);
	/*
	 * Nothing is lost on this path, but a loaded emulator can delay an
	 * ACK past Linux's loss probe or either stack's RTO: a resend or two.
	 */
	CHECK(ti->tcpi_total_retrans <= 2, "total_retrans %u", ti->tcpi_total_retrans);
	/* Linux counts the SYN in bytes_acked; netstack does not. */
	CHECK(tix.tcpi_bytes_acked >= sizeof(data) && tix.tcpi_bytes_acked <= sizeof(data) + 1,
	      "bytes_acked %llu", (unsigned long long)tix.tcpi_bytes_acked);
	tix = tcp_info_of(s, sizeof(tix));
	CHECK(tix.tcpi_bytes_received == sizeof(data), "bytes_received %llu",
	      (unsigned long long)tix.tcpi_bytes_received);
	tix = tcp_info_of(s, 8);
	CHECK(ti->tcpi_state == TCP_ESTABLISHED && ti->tcpi_rto == 0xa5a5a5a5,
	      "cut to 8 bytes: state %u rto %#x", ti->tcpi_state, ti->tcpi_rto);
	close(c);
	close(s);
}

/*
 * TCP_CORK, TCP_USER_TIMEOUT, TCP_MAXSEG: round trips and Linux's errnos;
 * what an accepted socket inherits from its listener.
 */
TCP_TEST(tcp_more_socket_options)
{
	int fd = tcp_socket(), val;

	/* TCP_CORK: off; any non-zero is 1. */
	CHECK(get_int(fd, IPPROTO_TCP, TCP_CORK) == 0);
	set_int(fd, IPPROTO_TCP, TCP_CORK, 5);
	CHECK(get_int(fd, IPPROTO_TCP, TCP_CORK) == 1);
	set_int(fd, IPPROTO_TCP, TCP_CORK, 0);
	CHECK(get_int(fd, IPPROTO_TCP, TCP_CORK) == 0);

	/* TCP_USER_TIMEOUT: milliseconds, 0 by default, never negative. */
	CHECK(get_int(fd, IPPROTO_TCP, TCP_USER_TIMEOUT) == 0);
	set_int(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, 1500);
	CHECK(get_int(fd, IPPROTO_TCP, TCP_USER_TIMEOUT) == 1500);
	val = -1;
	CHECK_ERRNO(setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &val, sizeof(val)),
		    EINVAL);
	CHECK(get_int(fd, IPPROTO_TCP, TCP_USER_TIMEOUT) == 1500);
	set_int(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, 0);
	CHECK(get_int(fd, IPPROTO_TCP, TCP_USER_TIMEOUT) == 0);

	/*
	 * TCP_MAXSEG: 536 (the RFC default) before a connection; a value set
	 * shows until connect(); 0 unsets; 88..32767 only.
	 */
	val = get_int(fd, IPPROTO_TCP, TCP_MAXSEG);
	CHECK(val == 536, "TCP_MAXSEG %d", val);
	set_int(fd, IPPROTO_TCP, TCP_MAXSEG, 1000);
	CHECK(get_int(fd, IPPROTO_TCP, TCP_MAXSEG) == 1000);
	set_int(fd, IPPROTO_TCP, TCP_MAXSEG, 0);
	CHECK(get_int(fd, IPPROTO_TCP, TCP_MAXSEG) == 536);
	val = 87;
	CHECK_ERRNO(setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &val, sizeof(val)), EINVAL);
	val = 32768;
	CHECK_ERRNO(setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &val, sizeof(val)), EINVAL);
	set_int(fd, IPPROTO_TCP, TCP_MAXSEG, 88);
	set_int(fd, IPPROTO_TCP, TCP_MAXSEG, 32767);
	close(fd);

	{
		int l = listener(9601, 1), c, s;

		set_int(l, IPPROTO_TCP, TCP_KEEPIDLE, 77);
		set_int(l, IPPROTO_TCP, TCP_KEEPINTVL, 7);
		set_int(l, IPPROTO_TCP, TCP_KEEPCNT, 3);
		set_int(l, IPPROTO_TCP, TCP_USER_TIMEOUT, 4321);
		set_int(l, IPPROTO_TCP, TCP_CORK, 1);
		c = tcp_socket();
		/* The client's MSS clamps what both ends send. */
		set_int(c, IPPROTO_TCP, TCP_MAXSEG, 1000);
		REQUIRE(connect_port(c, 9601) == 0, "connect: %s", strerror(errno));
		s = accept_wait(l);
		CHECK(get_int(s, IPPROTO_TCP, TCP_KEEPIDLE) == 77);
		CHECK(get_int(s, IPPROTO_TCP, TCP_KEEPINTVL) == 7);
		CHECK(get_int(s, IPPROTO_TCP, TCP_KEEPCNT) == 3);
		CHECK(get_int(s, IPPROTO_TCP, TCP_USER_TIMEOUT) == 4321);
		CHECK(get_int(s, IPPROTO_TCP, TCP_CORK) == 1);
		/* Connected: the MSS in use (Linux's less its timestamp option). */
		val = get_int(c, IPPROTO_TCP, TCP_MAXSEG);
		CHECK(val > 900 && val <= 1000, "client TCP_MAXSEG %d", val);
		val = get_int(s, IPPROTO_TCP, TCP_MAXSEG);
		CHECK(val > 900 && val <= 1000, "server TCP_MAXSEG %d", val);
		close(c);
		close(s);
		close(l);
	}
}

/* Corked data waits for the uncork; TCP_NODELAY set pushes it too. */
TCP_TEST(tcp_cork_holds_partial)
{
	char buf[16];
	int c, s;

	tcp_pair(&c, &s, 9602);
	set_int(c, IPPROTO_TCP, TCP_CORK, 1);
	send_all(c, "abc", 3);
	usleep(50 * 1000);
	CHECK_ERRNO(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	set_int(c, IPPROTO_TCP, TCP_CORK, 0);
	CHECK(recv_exact(s, buf, 3) == 3 && !memcmp(buf, "abc", 3));

	set_int(c, IPPROTO_TCP, TCP_CORK, 1);
	send_all(c, "de", 2);
	usleep(50 * 1000);
	CHECK_ERRNO(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	set_int(c, IPPROTO_TCP, TCP_NODELAY, 1);
	CHECK(recv_exact(s, buf, 2) == 2 && !memcmp(buf, "de", 2));
	close(c);
	close(s);
}

/*
 * Stream bytes from s to c in a child while c reads them all in 64 KiB
 * reads; c's SO_RCVBUF afterwards.
 */
static int rcvbuf_after_bulk(int c, int s, size_t bytes)
{
	static char buf[65536];
	size_t got = 0;
	pid_t pid;
	int status;

	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		size_t sent = 0;

		while (sent < bytes) {
			ssize_t n = send(s, buf, sizeof(buf), MSG_NOSIGNAL);

			if (n <= 0)
				_exit(1);
			sent += n;
		}
		_exit(0);
	}
	while (got < bytes) {
		ssize_t n = recv(c, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		got += n;
	}
	REQUIRE(waitpid(pid, &status, 0) == pid);
	CHECK(got >= bytes && WIFEXITED(status) && !WEXITSTATUS(status),
	      "read %zu of %zu bytes", got, bytes);
	return get_int(c, SOL_SOCKET, SO_RCVBUF);
}

/*
 * Receive-buffer autotuning: a reader that keeps up with a bulk stream
 * gets a larger buffer than tcp_rmem[1], within tcp_rmem[2]; not when
 * SO_RCVBUF set the size, nor with net.ipv4.tcp_moderate_rcvbuf = 0.
 */
TCP_TEST(tcp_rcvbuf_autotuning)
{
	int rmem[3], c, s, l, val;
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_rmem", "r");

	REQUIRE(f);
	val = fscanf(f, "%d %d %d", &rmem[0], &rmem[1], &rmem[2]);
	REQUIRE(val == 3, "tcp_rmem unreadable");
	fclose(f);

	tcp_pair(&c, &s, 9610);
	val = rcvbuf_after_bulk(c, s, 16 << 20);
	CHECK(val > rmem[1] && val <= rmem[2], "SO_RCVBUF %d after 16 MiB, tcp_rmem %d %d %d",
	      val, rmem[0], rmem[1], rmem[2]);
	close(c);
	close(s);

	l = listener(9611, 8);
	c = tcp_socket();
	set_int(c, SOL_SOCKET, SO_RCVBUF, 100000);
	REQUIRE(connect_port(c, 9611) == 0, "connect: %s", strerrorname(errno));
	s = accept_wait(l);
	val = rcvbuf_after_bulk(c, s, 8 << 20);
	CHECK(val == 200000, "SO_RCVBUF %d after 8 MiB with SO_RCVBUF 100000 set", val);
	close(c);
	close(s);

	sh("sysctl -q -w net.ipv4.tcp_moderate_rcvbuf=0");
	c = connected_socket(9611);
	s = accept_wait(l);
	val = rcvbuf_after_bulk(c, s, 8 << 20);
	CHECK(val == rmem[1], "SO_RCVBUF %d after 8 MiB, tcp_moderate_rcvbuf 0", val);
	close(c);
	close(s);
	close(l);
}
