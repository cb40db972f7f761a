// SPDX-License-Identifier: GPL-2.0
/*
 * udp-tool - one UDP test program for both stacks: the same code drives
 * AF_INET (Linux's UDP) or AF_NETSTACK (netstack's) sockets, chosen by -f,
 * so that the network tests can put either stack on either end.
 *
 *   udp-tool [-f inet|netstack] MODE [OPTIONS]
 *
 * Modes (see usage() for the options):
 *   echo-server  echo every datagram back to its sender
 *   echo-client  send datagrams of random sizes one at a time and check
 *                every byte of every echo
 *   closed       connect to a port nobody listens on, send, and report the
 *                error the socket gets (ECONNREFUSED expected)
 *   flood        send datagrams as fast as the socket takes them
 *   sink         receive datagrams, optionally only once told to
 *
 * Every mode prints one summary line on stdout ("MODE: ...") and exits 0
 * only if everything it checked was right; diagnostics go to stderr. No
 * run outlives its time limit (-T, 120 s by default): it then prints
 * "MODE: FAILED: time limit ..." and exits 3.
 * Servers print "listening ADDR:PORT" (the bound address) once they can
 * receive, so that scripts can wait for that line.
 *
 * Datagram contents are derived from a sequence number (pattern()), so
 * that any byte out of place, and any reply to another datagram, is seen.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/netstack.h>

#define MAX_DGRAM	65507	/* 65535 - 20 (IPv4) - 8 (UDP) */
#define BUF_SIZE	65536
#define MAX_BAD_SHOWN	5

static const char *prog = "udp-tool";

struct opts {
	int family;		/* the socket family: AF_INET or netstack's */
	bool netstack;
	struct sockaddr_in local, peer;
	bool have_local, have_peer;
	long count;		/* -n; 0: unlimited (servers) */
	long min, max;		/* -s MIN[:MAX] */
	uint64_t seed;
	bool connect;		/* -c */
	int timeout_ms;		/* -t: per datagram */
	int idle_ms;		/* -i: servers end after this long without input */
	const char *expect;	/* -e: the errno name closed expects */
	int rcvbuf;		/* -r */
	int wait_ms;		/* -w: sink waits before reading */
	bool wait_stdin;	/* -W: sink waits for a line (or EOF) on stdin */
	bool dontwait;		/* -D: flood sends with MSG_DONTWAIT */
	bool poll;		/* -P: wait with poll(), not SO_RCVTIMEO */
	int limit_s;		/* -T: the whole run's time limit */
};

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
"usage: %s [-f inet|netstack] MODE [OPTIONS]\n"
"\n"
"  -f inet|netstack   socket family (default inet); netstack's number is\n"
"                     read from /sys/module/netstack/parameters/family\n"
"\n"
"  echo-server -b ADDR:PORT [-n N] [-i IDLE_MS] [-P]\n"
"      echo each datagram to its sender; end after N datagrams (exit 0) or\n"
"      IDLE_MS without one (exit 0 only if no -n was given)\n"
"  echo-client -p ADDR:PORT [-b ADDR:PORT] [-n N] [-s MIN[:MAX]] [-S SEED]\n"
"              [-c] [-t TIMEOUT_MS] [-P]\n"
"      N datagrams (default 100) of sizes in [MIN,MAX] (the first two MIN\n"
"      and MAX, the rest random), one outstanding at a time, each echo\n"
"      checked byte for byte and, unless -c (connect, send, recv), its\n"
"      source address; no echo within TIMEOUT_MS (default 2000) fails\n"
"  closed -p ADDR:PORT [-e ERRNO_NAME] [-t TIMEOUT_MS] [-P]\n"
"      connect, send one datagram, wait for an error; prints the errno name\n"
"      (\"timeout\" if none, \"datagram\" if an answer came); exit 0 if it\n"
"      is ERRNO_NAME (default ECONNREFUSED)\n"
"  flood -p ADDR:PORT [-n N] [-s SIZE] [-c] [-D]\n"
"      send N datagrams of SIZE bytes as fast as possible (-D: MSG_DONTWAIT);\n"
"      counts EAGAIN, ENOBUFS and other errors separately\n"
"  sink -b ADDR:PORT [-r RCVBUF] [-w WAIT_MS | -W] [-i IDLE_MS] [-s SIZE] [-P]\n"
"      set SO_RCVBUF, wait WAIT_MS (or, with -W, for a line or EOF on stdin)\n"
"      without reading, then read until IDLE_MS (default 500) pass without\n"
"      a datagram; with -s, check each one is a flood datagram of SIZE\n"
"\n"
"Receiving modes wait for a datagram with SO_RCVTIMEO, or with -P with\n"
"poll() and then a non-blocking recvmsg().\n"
"Every mode takes -T LIMIT_S: the run fails (exit 3) when it lasts longer.\n"
"Defaults: -s 0:1472, -S 1, -i 10000 (echo-server), -T 120.\n",
		prog);
	exit(status);
}

static void __attribute__((format(printf, 1, 2), noreturn)) die(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (fmt[strlen(fmt) - 1] == ':')
		fprintf(stderr, " %s", strerrorname_np(err) ?: strerror(err));
	fputc('\n', stderr);
	exit(2);
}

static const char *errname(int err)
{
	return strerrorname_np(err) ?: "E?";
}

/* ------------------------------------------------------------ helpers */

static const char *mode = "?";
static int limit_s;

/* The time limit: say so on stdout, where the summary line would be. */
static void on_alarm(int sig)
{
	char msg[160];
	int n;

	(void)sig;
	n = snprintf(msg, sizeof(msg), "%s: FAILED: time limit of %d s reached\n", mode,
		     limit_s);
	if (write(STDOUT_FILENO, msg, n) < 0)
		_exit(3);
	_exit(3);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int netstack_family(void)
{
	FILE *f = fopen("/sys/module/netstack/parameters/family", "r");
	int fam = AF_NETSTACK;

	if (f) {
		if (fscanf(f, "%d", &fam) != 1)
			fam = AF_NETSTACK;
		fclose(f);
	}
	return fam;
}

static long number(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "%s: bad %s '%s' (%ld..%ld)\n", prog, what, s, lo, hi);
		usage(2);
	}
	return v;
}

/* "A.B.C.D:PORT", ":PORT" or "PORT" (any address). */
static void parse_addr(const char *s, struct sockaddr_in *sin)
{
	char host[INET_ADDRSTRLEN];
	const char *colon = strrchr(s, ':');
	const char *port = colon ? colon + 1 : s;
	size_t hl = colon ? (size_t)(colon - s) : 0;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(number(port, 0, 65535, "port"));
	if (hl == 0)
		return;
	if (hl >= sizeof(host))
		goto bad;
	memcpy(host, s, hl);
	host[hl] = 0;
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1)
		return;
bad:
	fprintf(stderr, "%s: bad address '%s' (want A.B.C.D:PORT)\n", prog, s);
	usage(2);
}

static const char *fmt_addr(const struct sockaddr_in *sin)
{
	static char bufs[2][INET_ADDRSTRLEN + 8];
	static int i;
	char *b = bufs[i++ & 1];
	char host[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
	snprintf(b, sizeof(bufs[0]), "%s:%u", host, ntohs(sin->sin_port));
	return b;
}

/* The address as handed to this family's calls. */
static const struct sockaddr *sa(const struct opts *o, const struct sockaddr_in *sin)
{
	static struct sockaddr_in copy[2];
	static int i;
	struct sockaddr_in *c = &copy[i++ & 1];

	*c = *sin;
	c->sin_family = o->family;
	return (const struct sockaddr *)c;
}

static int open_socket(const struct opts *o)
{
	int fd = socket(o->family, SOCK_DGRAM, 0);

	if (fd < 0)
		die("socket(%s, SOCK_DGRAM):", o->netstack ? "AF_NETSTACK" : "AF_INET");
	if (o->have_local && bind(fd, sa(o, &o->local), sizeof(o->local)) < 0)
		die("bind %s:", fmt_addr(&o->local));
	return fd;
}

static struct sockaddr_in local_of(int fd)
{
	struct sockaddr_in sin = { 0 };
	socklen_t len = sizeof(sin);

	if (getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
		die("getsockname:");
	return sin;
}

/*
 * check_name: an address the socket reported (recvmsg) is a whole
 * sockaddr_in of this family. Returns NULL or what is wrong.
 */
static const char *check_name(const struct opts *o, const struct sockaddr_in *sin,
			      socklen_t len)
{
	static char why[64];

	if (len != sizeof(*sin)) {
		snprintf(why, sizeof(why), "address length %u, want %zu", len, sizeof(*sin));
		return why;
	}
	if (sin->sin_family != o->family) {
		snprintf(why, sizeof(why), "address family %u, want %d", sin->sin_family, o->family);
		return why;
	}
	return NULL;
}

/* splitmix64: the seeded PRNG for sizes, and the source of contents. */
static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * pattern: datagram SEQ's LEN bytes. The first 4 bytes (when there is room)
 * are SEQ, big-endian, so that a stray datagram can be identified; the
 * rest is a stream that depends on SEQ.
 */
static void pattern(uint32_t seq, unsigned char *buf, size_t len)
{
	uint64_t s = seq * 0x100000001b3ULL + 0xcbf29ce484222325ULL, r = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (i < 4) {
			buf[i] = seq >> (24 - 8 * i);
			continue;
		}
		if ((i & 7) == 4)
			r = splitmix(&s);
		buf[i] = r;
		r >>= 8;
	}
}

/* The sequence number a datagram claims (-1 when it is too short). */
static long claimed_seq(const unsigned char *buf, size_t len)
{
	if (len < 4)
		return -1;
	return (long)((uint32_t)buf[0] << 24 | buf[1] << 16 | buf[2] << 8 | buf[3]);
}

/*
 * Waiting for a datagram: with SO_RCVTIMEO by default (set once per socket
 * by set_timeout()), with poll() and then recvmsg() under -P.
 */
static void set_timeout(const struct opts *o, int fd, int ms)
{
	struct timeval tv = { ms / 1000, ms % 1000 * 1000 };

	if (!o->poll && setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		die("setsockopt SO_RCVTIMEO:");
}

#define TIMED_OUT	(-2)

/*
 * recv_wait: one datagram, waiting at most TIMEOUT_MS; its length, -1 on
 * an error (errno set) or TIMED_OUT. FROM (optional) gets the source and
 * *FROMLEN its length; *FLAGS the message flags.
 */
static ssize_t recv_wait(const struct opts *o, int fd, int timeout_ms, void *buf,
			 size_t size, struct sockaddr_in *from, socklen_t *fromlen,
			 int *flags)
{
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = {
		.msg_name = from, .msg_namelen = from ? sizeof(*from) : 0,
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	if (o->poll) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r;

		do
			r = poll(&p, 1, timeout_ms);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			die("poll:");
		if (r == 0)
			return TIMED_OUT;
	}
	if (from)
		memset(from, 0, sizeof(*from));
	do
		n = recvmsg(fd, &msg, o->poll ? MSG_DONTWAIT : 0);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		if (!o->poll)
			return TIMED_OUT;
		/* poll said readable, yet nothing to read */
		fprintf(stderr, "%s: poll reported input, recvmsg: EAGAIN\n", prog);
	}
	if (fromlen)
		*fromlen = msg.msg_namelen;
	*flags = msg.msg_flags;
	return n;
}

/* ------------------------------------------------------------ echo-server */

static int echo_server(const struct opts *o)
{
	static unsigned char buf[BUF_SIZE];
	struct sockaddr_in from, last = { 0 };
	long echoed = 0, bad_addr = 0, trunc = 0, send_err = 0, changes = 0;
	unsigned long long bytes = 0;
	bool idle = false;
	socklen_t fl;
	int fd, flags;

	if (!o->have_local)
		die("echo-server needs -b ADDR:PORT");
	fd = open_socket(o);
	from = local_of(fd);
	printf("listening %s\n", fmt_addr(&from));
	fflush(stdout);

	set_timeout(o, fd, o->idle_ms);
	while (!o->count || echoed < o->count) {
		const char *why;
		ssize_t n;

		n = recv_wait(o, fd, o->idle_ms, buf, sizeof(buf), &from, &fl, &flags);
		if (n == TIMED_OUT) {
			idle = true;
			break;
		}
		if (n < 0) {
			/* A pending ICMP error from an earlier echo: report it, go on. */
			fprintf(stderr, "%s: echo-server: recvmsg: %s\n", prog, errname(errno));
			send_err++;
			continue;
		}
		if (flags & MSG_TRUNC)
			trunc++;
		why = check_name(o, &from, fl);
		if (why) {
			if (bad_addr++ < MAX_BAD_SHOWN)
				fprintf(stderr, "%s: echo-server: datagram %ld: %s\n", prog, echoed, why);
			from.sin_family = AF_INET;
		}
		/* How often the sender changed (one client: 1). */
		if (from.sin_addr.s_addr != last.sin_addr.s_addr || from.sin_port != last.sin_port)
			changes++;
		last = from;
		if (sendto(fd, buf, n, 0, sa(o, &from), sizeof(from)) != n) {
			if (send_err++ < MAX_BAD_SHOWN)
				fprintf(stderr, "%s: echo-server: sendto %s: %s\n", prog,
					fmt_addr(&from), errname(errno));
			continue;
		}
		echoed++;
		bytes += n;
	}
	printf("echo-server: echoed %ld bytes %llu sender-changes %ld bad-addr %ld truncated %ld errors %ld%s\n",
	       echoed, bytes, changes, bad_addr, trunc, send_err,
	       idle ? " (idle timeout)" : "");
	close(fd);
	return (idle && o->count) || bad_addr || trunc || send_err;
}

/* ------------------------------------------------------------ echo-client */

static int echo_client(const struct opts *o)
{
	static unsigned char out[BUF_SIZE], in[BUF_SIZE];
	uint64_t rng = o->seed;
	long sent = 0, received = 0, bad = 0, lost = 0;
	unsigned long long bytes = 0;
	struct sockaddr_in me;
	double t0, dt;
	int fd;

	if (!o->have_peer)
		die("echo-client needs -p ADDR:PORT");
	fd = open_socket(o);
	if (o->connect && connect(fd, sa(o, &o->peer), sizeof(o->peer)) < 0)
		die("connect %s:", fmt_addr(&o->peer));

	set_timeout(o, fd, o->timeout_ms);
	t0 = now();
	for (long i = 0; i < o->count; i++) {
		struct sockaddr_in from;
		socklen_t fl;
		size_t len;
		ssize_t n;
		int flags = 0;

		if (i == 0)
			len = o->min;
		else if (i == 1)
			len = o->max;
		else
			len = o->min + splitmix(&rng) % (o->max - o->min + 1);
		pattern(i, out, len);
		if (o->connect)
			n = send(fd, out, len, 0);
		else
			n = sendto(fd, out, len, 0, sa(o, &o->peer), sizeof(o->peer));
		if (n != (ssize_t)len) {
			fprintf(stderr, "%s: echo-client: datagram %ld (%zu bytes): send: %s\n",
				prog, i, len, n < 0 ? errname(errno) : "short");
			bad++;
			break;
		}
		sent++;
		/* One reply; anything else that arrives first is wrong. */
		n = recv_wait(o, fd, o->timeout_ms, in, sizeof(in),
			      o->connect ? NULL : &from, &fl, &flags);
		if (n == TIMED_OUT) {
			fprintf(stderr, "%s: echo-client: datagram %ld (%zu bytes): no echo within %d ms\n",
				prog, i, len, o->timeout_ms);
			lost++;
			break;
		}
		if (!o->connect) {
			const char *why;

			why = n < 0 ? NULL : check_name(o, &from, fl);
			if (!why && n >= 0 && (from.sin_addr.s_addr != o->peer.sin_addr.s_addr ||
					       from.sin_port != o->peer.sin_port)) {
				why = "echo from another address";
				fprintf(stderr, "%s: echo-client: datagram %ld: from %s, want %s\n",
					prog, i, fmt_addr(&from), fmt_addr(&o->peer));
			}
			if (why) {
				if (bad++ < MAX_BAD_SHOWN)
					fprintf(stderr, "%s: echo-client: datagram %ld: %s\n",
						prog, i, why);
				continue;
			}
		}
		if (n < 0) {
			fprintf(stderr, "%s: echo-client: datagram %ld (%zu bytes): recv: %s\n",
				prog, i, len, errname(errno));
			bad++;
			break;
		}
		received++;
		if ((size_t)n != len || (flags & MSG_TRUNC) || memcmp(in, out, len)) {
			if (bad++ < MAX_BAD_SHOWN) {
				size_t off = 0;

				while (off < len && off < (size_t)n && in[off] == out[off])
					off++;
				fprintf(stderr, "%s: echo-client: datagram %ld: sent %zu bytes, echo %zd bytes%s, first difference at byte %zu (echo claims datagram %ld)\n",
					prog, i, len, n, flags & MSG_TRUNC ? " (MSG_TRUNC)" : "",
					off, claimed_seq(in, n));
			}
			if (bad >= 100)
				break;
			continue;
		}
		bytes += n;
	}
	dt = now() - t0;
	me = local_of(fd);
	printf("echo-client: sent %ld received %ld bad %ld lost %ld bytes %llu local %s %s%.2f s %.0f/s\n",
	       sent, received, bad, lost, bytes, fmt_addr(&me),
	       o->connect ? "connected " : "", dt, dt > 0 ? received / dt : 0.0);
	close(fd);
	return bad || lost || sent != o->count || received != o->count;
}

/* ------------------------------------------------------------ closed */

static int closed_port(const struct opts *o)
{
	unsigned char buf[64];
	const char *got, *where = "recv";
	ssize_t n;
	int fd, flags;

	if (!o->have_peer)
		die("closed needs -p ADDR:PORT");
	fd = open_socket(o);
	if (connect(fd, sa(o, &o->peer), sizeof(o->peer)) < 0)
		die("connect %s:", fmt_addr(&o->peer));
	set_timeout(o, fd, o->timeout_ms);
	pattern(0, buf, sizeof(buf));
	if (send(fd, buf, sizeof(buf), 0) < 0) {
		got = errname(errno);
		where = "send";
	} else {
		n = recv_wait(o, fd, o->timeout_ms, buf, sizeof(buf), NULL, NULL, &flags);
		if (n == TIMED_OUT)
			got = "timeout";
		else if (n < 0)
			got = errname(errno);
		else
			got = "datagram";
	}
	printf("closed: %s %s: %s (want %s)\n", fmt_addr(&o->peer), where, got, o->expect);
	close(fd);
	return strcmp(got, o->expect) != 0;
}

/* ------------------------------------------------------------ flood, sink */

static int flood(const struct opts *o)
{
	static unsigned char buf[BUF_SIZE];
	long sent = 0, eagain = 0, enobufs = 0, other = 0;
	int fd, last_err = 0;
	double t0, dt;

	if (!o->have_peer)
		die("flood needs -p ADDR:PORT");
	fd = open_socket(o);
	if (o->connect && connect(fd, sa(o, &o->peer), sizeof(o->peer)) < 0)
		die("connect %s:", fmt_addr(&o->peer));
	t0 = now();
	for (long i = 0; i < o->count; i++) {
		int flags = o->dontwait ? MSG_DONTWAIT : 0;
		ssize_t n;

		pattern(i, buf, o->min);
		if (o->connect)
			n = send(fd, buf, o->min, flags);
		else
			n = sendto(fd, buf, o->min, flags, sa(o, &o->peer), sizeof(o->peer));
		if (n == o->min)
			sent++;
		else if (n >= 0 || (errno != EAGAIN && errno != ENOBUFS))
			other++, last_err = n < 0 ? errno : 0;
		else if (errno == EAGAIN)
			eagain++;
		else
			enobufs++;
	}
	dt = now() - t0;
	printf("flood: sent %ld eagain %ld enobufs %ld errors %ld%s%s size %ld %.2f s\n",
	       sent, eagain, enobufs, other, other ? " last " : "",
	       other ? (last_err ? errname(last_err) : "short") : "", o->min, dt);
	close(fd);
	return other != 0;
}

static int sink(const struct opts *o)
{
	static unsigned char buf[BUF_SIZE], want[BUF_SIZE];
	long received = 0, bad = 0, errors = 0;
	unsigned long long bytes = 0;
	struct sockaddr_in me;
	socklen_t len;
	int fd, rcvbuf = 0;

	if (!o->have_local)
		die("sink needs -b ADDR:PORT");
	fd = socket(o->family, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket:");
	if (o->rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &o->rcvbuf, sizeof(o->rcvbuf)) < 0)
		die("setsockopt SO_RCVBUF %d:", o->rcvbuf);
	len = sizeof(rcvbuf);
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len) < 0)
		die("getsockopt SO_RCVBUF:");
	if (bind(fd, sa(o, &o->local), sizeof(o->local)) < 0)
		die("bind %s:", fmt_addr(&o->local));
	me = local_of(fd);
	printf("listening %s rcvbuf %d\n", fmt_addr(&me), rcvbuf);
	fflush(stdout);

	if (o->wait_stdin) {
		char line[64];

		if (!fgets(line, sizeof(line), stdin) && ferror(stdin))
			die("reading stdin:");
	} else if (o->wait_ms) {
		struct timespec ts = { o->wait_ms / 1000, o->wait_ms % 1000 * 1000000L };

		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	set_timeout(o, fd, o->idle_ms);
	for (;;) {
		ssize_t n;
		int flags;

		n = recv_wait(o, fd, o->idle_ms, buf, sizeof(buf), NULL, NULL, &flags);
		if (n == TIMED_OUT)
			break;
		if (n < 0) {
			if (errors++ < MAX_BAD_SHOWN)
				fprintf(stderr, "%s: sink: recv: %s\n", prog, errname(errno));
			continue;
		}
		received++;
		bytes += n;
		if (o->max >= 0) {
			long seq = claimed_seq(buf, n);

			pattern(seq < 0 ? 0 : seq, want, n);
			if (n != o->max || (flags & MSG_TRUNC) || memcmp(buf, want, n)) {
				if (bad++ < MAX_BAD_SHOWN)
					fprintf(stderr, "%s: sink: datagram of %zd bytes (want %ld), claims %ld, is not the flood's\n",
						prog, n, o->max, seq);
			}
		}
	}
	printf("sink: received %ld bytes %llu bad %ld errors %ld rcvbuf %d\n",
	       received, bytes, bad, errors, rcvbuf);
	close(fd);
	return bad || errors;
}

/* ------------------------------------------------------------ main */

int main(int argc, char **argv)
{
	struct opts o = {
		.family = AF_INET, .count = -1, .min = -1, .max = -1, .seed = 1,
		.timeout_ms = 2000, .idle_ms = -1, .expect = "ECONNREFUSED",
		.limit_s = 120,
	};
	struct sigaction sa_alarm = { .sa_handler = on_alarm };
	int c;

	while ((c = getopt(argc, argv, "+f:h")) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "inet")) {
				o.family = AF_INET;
			} else if (!strcmp(optarg, "netstack")) {
				o.family = netstack_family();
				o.netstack = true;
			} else {
				usage(2);
			}
			break;
		case 'h':
			usage(0);
			break;
		default:
			usage(2);
		}
	}
	if (optind >= argc)
		usage(2);
	mode = argv[optind];
	optind++;
	while ((c = getopt(argc, argv, "b:p:n:s:S:ct:i:e:r:w:WDPT:h")) != -1) {
		char *colon;

		switch (c) {
		case 'b':
			parse_addr(optarg, &o.local);
			o.have_local = true;
			break;
		case 'p':
			parse_addr(optarg, &o.peer);
			o.have_peer = true;
			break;
		case 'n':
			o.count = number(optarg, 0, 100000000, "count");
			break;
		case 's':
			colon = strchr(optarg, ':');
			if (colon)
				*colon = 0;
			o.min = number(optarg, 0, MAX_DGRAM, "size");
			o.max = colon ? number(colon + 1, o.min, MAX_DGRAM, "size") : o.min;
			break;
		case 'S':
			o.seed = number(optarg, 0, 0x7fffffff, "seed");
			break;
		case 'c':
			o.connect = true;
			break;
		case 't':
			o.timeout_ms = number(optarg, 1, 3600000, "timeout");
			break;
		case 'i':
			o.idle_ms = number(optarg, 1, 3600000, "idle time");
			break;
		case 'e':
			o.expect = optarg;
			break;
		case 'r':
			o.rcvbuf = number(optarg, 1, 1 << 30, "SO_RCVBUF");
			break;
		case 'w':
			o.wait_ms = number(optarg, 0, 3600000, "wait");
			break;
		case 'W':
			o.wait_stdin = true;
			break;
		case 'D':
			o.dontwait = true;
			break;
		case 'P':
			o.poll = true;
			break;
		case 'T':
			o.limit_s = number(optarg, 1, 86400, "time limit");
			break;
		case 'h':
			usage(0);
			break;
		default:
			usage(2);
		}
	}
	if (optind != argc)
		usage(2);
	limit_s = o.limit_s;
	sigaction(SIGALRM, &sa_alarm, NULL);
	alarm(o.limit_s);

	if (!strcmp(mode, "echo-server")) {
		if (o.count < 0)
			o.count = 0;
		if (o.idle_ms < 0)
			o.idle_ms = 10000;
		return echo_server(&o);
	}
	if (!strcmp(mode, "echo-client")) {
		if (o.count < 0)
			o.count = 100;
		if (o.min < 0) {
			o.min = 0;
			o.max = 1472;
		}
		return echo_client(&o);
	}
	if (!strcmp(mode, "closed"))
		return closed_port(&o);
	if (!strcmp(mode, "flood")) {
		if (o.count < 0)
			o.count = 1000;
		if (o.min < 0)
			o.min = 1000;
		return flood(&o);
	}
	if (!strcmp(mode, "sink")) {
		if (o.idle_ms < 0)
			o.idle_ms = 500;
		return sink(&o);
	}
	fprintf(stderr, "%s: unknown mode '%s'\n", prog, mode);
	usage(2);
}
