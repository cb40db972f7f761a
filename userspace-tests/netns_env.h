/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The network namespace the socket-semantics tests (test_udp.c,
 * test_tcp.c) run in, and the address and option helpers they share.
 * Each test runs once per stack with the same expectations; family says
 * which stack the running test is on:
 *
 *   ┌──────────── test netns ─────────────┐
 *   │ lo up                               │
 *   │ d0 (dummy, up), 10.9.0.1/24         │
 *   │   AF_INET:     address owned by     │
 *   │                Linux                │
 *   │   AF_NETSTACK: d0 attached to       │
 *   │                netstack and the     │
 *   │                address its          │
 *   │ no default route                    │
 *   └─────────────────────────────────────┘
 *
 * Traffic to 10.9.0.1 is delivered locally (over lo by Linux, by
 * netstack's local delivery), never on the wire. Addresses netstack
 * returns carry AF_NETSTACK, so families are compared with the socket's.
 */
#ifndef NS_NETNS_ENV_H
#define NS_NETNS_ENV_H

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "harness.h"

#define LOCAL_IP	"10.9.0.1"
#define OTHER_IP	"10.9.0.77"	/* on the subnet, not ours; d0 drops it */
#define SUBNET_BCAST	"10.9.0.255"
#define UNROUTED_IP	"192.168.77.1"	/* no route: there is no default */
#define TEST_NET_IP	"192.0.2.1"

#define SA(a) ((struct sockaddr *)(a))

extern int family;	/* of the running test: AF_INET or AF_NETSTACK */

/* Enter a new network namespace set up for f (see the top). */
void netns_env(int f);

/* Run a shell command; the test fails if it does not exit 0. */
void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* <repo>/tools/nsctl/nsctl, found from <repo>/userspace-tests/ns-tests. */
const char *nsctl_path(void);
/* The first integer in a /proc/sys file. */
int sysctl_int(const char *path);
/* netstack's counter name from /proc/net/netstack/stats. */
long stat_of(const char *name);
double now_s(void);

/* ip:port in the running test's family. */
struct sockaddr_in addr_of(const char *ip, unsigned int port);
/* "family F ip:port", from a ring of four buffers. */
const char *addr_str(const struct sockaddr_in *a);
/* getsockname, checking its length and family. */
struct sockaddr_in sock_name(int fd);
unsigned int local_port(int fd);
/* The ephemeral port range of the running test's stack. */
void port_range(unsigned int *lo, unsigned int *hi);

void set_int(int fd, int level, int opt, int val);
int get_int(int fd, int level, int opt);
void set_rcvtimeo(int fd, long ms);

/*
 * The bound on a blocking call of a test's socket: the socket helpers of
 * test_udp.c and test_tcp.c give every socket SO_RCVTIMEO (and UDP's also
 * SO_SNDTIMEO) of CALL_TIMEOUT_MS, so that a datagram, data or a
 * connection that never comes fails the check that waited for it within
 * seconds rather than the whole test at its time limit. A test that needs
 * another bound sets its own (set_rcvtimeo(fd, 0): none, to see a call
 * restarted after a signal); the runner's time limit bounds the rest.
 */
#define CALL_TIMEOUT_MS 5000
void set_call_timeouts(int fd, bool send_too);
/* poll one fd: its revents, 0 on timeout. */
short poll_now(int fd, short events, int timeout_ms);

/* An address the kernel returned: the socket's family, ip, port. */
#define CHECK_ADDR(a, len, ip, port)						\
	do {									\
		struct sockaddr_in want_ = addr_of(ip, port);			\
		CHECK((len) == sizeof(struct sockaddr_in), "length %u", (unsigned int)(len)); \
		CHECK((a)->sin_family == want_.sin_family &&			\
		      (a)->sin_addr.s_addr == want_.sin_addr.s_addr &&		\
		      (a)->sin_port == want_.sin_port,				\
		      "got %s, want %s", addr_str(a), addr_str(&want_));	\
	} while (0)

#define CHECK_EPHEMERAL(port)							\
	do {									\
		unsigned int lo_, hi_, p_ = (port);				\
		port_range(&lo_, &hi_);						\
		CHECK(p_ >= lo_ && p_ <= hi_, "port %u outside %u-%u", p_, lo_, hi_); \
	} while (0)

#define CHECK_POLL(fd, timeout, want)						\
	do {									\
		short got_ = poll_now(fd, POLLIN | POLLOUT | POLLRDHUP, timeout); \
		CHECK(got_ == (want), "poll %#x, want %#x", got_, (want));	\
	} while (0)

#endif /* NS_NETNS_ENV_H */
