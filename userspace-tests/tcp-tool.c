// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-tool - one TCP test program for both stacks: the same code drives
 * AF_INET (Linux's TCP) or AF_NETSTACK (netstack's) sockets, chosen by -f,
 * so that the network tests can put either stack on either end. It is the
 * TCP counterpart of udp-tool.
 *
 *   tcp-tool [-f inet|netstack] MODE [OPTIONS]
 *
 * Servers (one epoll loop, non-blocking accept4, any number of connections):
 *   echo-server       send back everything; close once the client's EOF
 *                     came and all was echoed
 *   sink-server       read to EOF, then answer "sink: bytes N sha256 H ..."
 *   source-server     send -m bytes of a stream, SHUT_WR, read to EOF
 *   halfclose-server  read to EOF, then send -m bytes of a stream and close
 *   unread-server     once data arrived, close without reading it (a reset)
 *   backlog-server    listen(backlog -B), accept nothing until a connection
 *                     comes to PORT+1, then accept and echo
 * Clients:
 *   echo        N messages of random sizes, each echo checked byte for byte
 *   send        N bytes to a sink-server; its answer must match the SHA-256
 *   recv        read a source-server's stream to EOF, check it
 *   halfclose   send N bytes, SHUT_WR, then read -m bytes until EOF
 *   concurrent  C connections at once (non-blocking connects, one epoll
 *               loop), each moving N bytes: -d both (echo), send (sink) or
 *               recv (source)
 *   nbconnect   the same, for the non-blocking connect itself (EINPROGRESS,
 *               EPOLLOUT, SO_ERROR 0, getpeername)
 *   refused     connect to a closed port: ECONNREFUSED, blocking and not
 *   reset       send, the peer closes without reading: recv ECONNRESET,
 *               then send EPIPE
 *   backlog     C connects one at a time to a backlog-server that does not
 *               accept; count those that complete; then let it accept and
 *               check every connection carries data
 *   hold        connect, send N bytes, then wait for the connection to end
 *               with an error (keepalive, TCP_USER_TIMEOUT)
 * Clients take TCP options: -N (TCP_NODELAY), -W SIZE (bytes per write),
 * -k IDLE:INTVL:CNT (SO_KEEPALIVE and its times), -U MS (TCP_USER_TIMEOUT).
 * Others: probe (does the family have a TCP?), selftest (SHA-256 test
 * vectors, the stream), stream (write the stream to stdout, for a
 * cross-check with sha256sum).
 *
 * Data is a stream defined by a 64-bit seed (stream_fill()): its first 8
 * bytes are the seed, big-endian, the rest a counter-based pseudo-random
 * sequence, so that a receiver checks every byte of any stream without
 * being told the seed, finds the first one out of place, and a connection
 * that gets another's data is seen. Every sender and receiver also hashes
 * what it sent or read (SHA-256, implemented here).
 *
 * Every mode prints its result on stdout in lines that start with the
 * mode's name ("send: ...", "sink: ..."), diagnostics on stderr, and exits
 * 0 only if everything it checked was right (1: a check failed, 2: usage or
 * setup error, 3: the time limit -T ran out). Servers print "listening
 * ADDR:PORT" once they accept connections.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/netstack.h>

#define CHUNK		65536		/* one read or write */
#define MAX_MSG		(1 << 20)	/* echo: the largest message */
#define MAX_BAD_SHOWN	5
#define REPLY_MAX	256		/* a sink's answer */

static const char *prog = "tcp-tool";
static const char *mode = "?";

struct opts {
	int family;		/* the socket family: AF_INET or netstack's */
	bool netstack;
	struct sockaddr_in local, peer;
	bool have_local, have_peer;
	long long count;	/* -n: messages, bytes or connections */
	long long more;		/* -m: bytes a server sends / halfclose expects */
	long min, max;		/* -s MIN[:MAX]: message sizes */
	uint64_t seed;		/* -S */
	int conns;		/* -c */
	int backlog;		/* -B */
	int idle_ms;		/* -i */
	int wait_ms;		/* -w */
	int limit_s;		/* -T: the whole run */
	const char *dir;	/* -d both|send|recv */
	int want_err;		/* -e: the errno refused expects */
	const char *file;	/* -F: file-server's file, fetch's output */
	bool verbose;		/* -v */
	bool nodelay;		/* -N: TCP_NODELAY on client sockets */
	long write_size;	/* -W: bytes per write (send, hold) */
	int keepalive[3];	/* -k IDLE:INTVL:CNT; [0] == 0: not set */
	int user_timeout;	/* -U MS: TCP_USER_TIMEOUT, -1: not set */
};

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
"usage: %s [-f inet|netstack] MODE [OPTIONS]\n"
"\n"
"  -f inet|netstack   socket family (default inet); netstack's number is\n"
"                     read from /sys/module/netstack/parameters/family\n"
"\n"
"Servers: -b ADDR:PORT, end after -n N connections (exit 0 if all were\n"
"right) or -i IDLE_MS without any event (default 60000; a failure if -n\n"
"was given); they print \"listening ADDR:PORT\" first.\n"
"  echo-server [-v]         echo; close after the client's EOF\n"
"  sink-server              read to EOF; answer \"sink: bytes N sha256 H\n"
"                           stream ok\" (or \"stream bad at OFFSET\")\n"
"  source-server [-m BYTES] [-S SEED]   send BYTES (default 1M) of stream\n"
"                           SEED*65536+K (K: the connection), SHUT_WR, read\n"
"                           to EOF\n"
"  halfclose-server [-m BYTES] [-S SEED]   read to EOF, then send BYTES of\n"
"                           stream and close\n"
"  unread-server [-w MS]    when data arrived, wait MS, close unread\n"
"  backlog-server [-B N]    listen(N) (default 1); accept nothing until a\n"
"                           connection comes to PORT+1; then echo\n"
"  file-server -F PATH [-n N]   send the file to each of N (default 1)\n"
"                           connections, one at a time, SHUT_WR, read to EOF\n"
"Clients: -p ADDR:PORT [-b ADDR:PORT]:\n"
"  echo [-n N] [-s MIN[:MAX]] [-S SEED]   N messages (default 100) of sizes\n"
"                           in [MIN,MAX] (default 1:16384; the first two MIN\n"
"                           and MAX), each echo checked; then EOF expected\n"
"  send -n BYTES [-S SEED]  to a sink-server; its answer must match\n"
"  recv [-n BYTES]          from a source-server to EOF; BYTES expected\n"
"  halfclose [-n BYTES] [-m BYTES]   send -n (default 1000) bytes, SHUT_WR,\n"
"                           expect EPIPE from a send, then -m bytes (default\n"
"                           1M) of stream and EOF\n"
"  concurrent [-c C] [-n BYTES] [-d both|send|recv] [-S SEED]   C (default\n"
"                           10) connections at once, non-blocking, BYTES\n"
"                           (default 1M) each: both ways through an\n"
"                           echo-server, to a sink-server, from a source-server\n"
"  nbconnect [-c C] [-n BYTES]   the same, default -c 1 -n 10000 -d both\n"
"  fetch -F PATH            read to EOF into the file PATH (created)\n"
"  refused [-e ENAME]       connect to a closed port, blocking and\n"
"                           non-blocking: ECONNREFUSED (or ENAME, e.g.\n"
"                           ETIMEDOUT, EHOSTUNREACH) both times\n"
"  reset [-n BYTES]         send BYTES (default 1000) to an unread-server:\n"
"                           recv ECONNRESET, then send EPIPE\n"
"  backlog [-c C] [-B N] [-w MS] [-i MS]   C (default 8) connects one at a\n"
"                           time, each given MS (default 500) to complete, to\n"
"                           a backlog-server of backlog N (default 1): 1 to\n"
"                           N+1 complete, none refused; then PORT+1 tells it\n"
"                           to accept: all C complete (within -i, default\n"
"                           30000 ms) and echo a message\n"
"  hold [-n BYTES] [-w MS] -e ENAME   connect, print \"hold: connected\",\n"
"                           wait MS, send BYTES, then read until the\n"
"                           connection fails: exit 0 if with ENAME\n"
"Client TCP options: -N (TCP_NODELAY), -W SIZE (bytes per write, send and\n"
"hold), -k IDLE:INTVL:CNT (SO_KEEPALIVE, TCP_KEEPIDLE, _KEEPINTVL, _KEEPCNT),\n"
"-U MS (TCP_USER_TIMEOUT)\n"
"Others:\n"
"  probe                    exit 0 if the family has a TCP (listen() on a\n"
"                           SOCK_STREAM socket is not EOPNOTSUPP)\n"
"  selftest                 SHA-256 test vectors and the stream\n"
"  stream [-n BYTES] [-S SEED]   the stream on stdout, its SHA-256 on stderr\n"
"\n"
"  -T SECONDS   time limit of the whole run (default 120): exit 3\n"
"  Sizes take a K, M or G suffix (KiB, MiB, GiB).\n",
		prog);
	exit(status);
}

static void __attribute__((format(printf, 1, 2), noreturn)) die(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	fprintf(stderr, "%s: %s: ", prog, mode);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (fmt[strlen(fmt) - 1] == ':')
		fprintf(stderr, " %s", strerrorname_np(err) ?: strerror(err));
	fputc('\n', stderr);
	exit(2);
}

static void __attribute__((format(printf, 1, 2))) complain(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", prog, mode);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *errname(int err)
{
	return err ? strerrorname_np(err) ?: "E?" : "0";
}

/* errno_of: the errno named NAME ("ETIMEDOUT"), or -1. */
static int errno_of(const char *name)
{
	const char *n;
	int err;

	for (err = 1; err < 256; err++) {
		n = strerrorname_np(err);
		if (n && !strcmp(n, name))
			return err;
	}
	return -1;
}

/* ------------------------------------------------------------ time limit */

/* What the run is doing, for the time-limit message. */
static const char *volatile phase = "starting";
static volatile uint64_t progress;	/* bytes moved so far, where it means something */
static int limit_s;

static void on_alarm(int sig)
{
	char msg[256];
	int n;

	(void)sig;
	n = snprintf(msg, sizeof(msg), "%s: %s: FAILED: time limit of %d s reached while %s (%" PRIu64 " bytes moved)\n",
		     prog, mode, limit_s, phase, progress);
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

static double rate(uint64_t bytes, double secs)
{
	return secs > 0 ? bytes / secs / 1e6 : 0;
}

/* ------------------------------------------------------------ SHA-256 (FIPS 180-4) */

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;
	unsigned char block[64];
	size_t used;
};

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror32(uint32_t x, int n)
{
	return x >> n | x << (32 - n);
}

static void sha256_blocks(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
	for (; nblocks; nblocks--, p += 64) {
		uint32_t w[64], a, b, c, d, e, f, g, hh;
		int i;

		for (i = 0; i < 16; i++)
			w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
			       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
		for (i = 16; i < 64; i++) {
			uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
			uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);

			w[i] = w[i - 16] + s0 + w[i - 7] + s1;
		}
		a = h[0], b = h[1], c = h[2], d = h[3];
		e = h[4], f = h[5], g = h[6], hh = h[7];
		for (i = 0; i < 64; i++) {
			uint32_t t1 = hh + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) +
				      ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
			uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) +
				      ((a & b) ^ (a & c) ^ (b & c));

			hh = g, g = f, f = e, e = d + t1;
			d = c, c = b, b = a, a = t1 + t2;
		}
		h[0] += a, h[1] += b, h[2] += c, h[3] += d;
		h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
	}
}

static void sha256_init(struct sha256 *s)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, iv, sizeof(iv));
	s->bytes = 0;
	s->used = 0;
}

static void sha256_update(struct sha256 *s, const void *data, size_t len)
{
	const unsigned char *p = data;

	s->bytes += len;
	if (s->used) {
		size_t k = 64 - s->used < len ? 64 - s->used : len;

		memcpy(s->block + s->used, p, k);
		s->used += k;
		p += k;
		len -= k;
		if (s->used < 64)
			return;
		sha256_blocks(s->h, s->block, 1);
		s->used = 0;
	}
	sha256_blocks(s->h, p, len / 64);
	p += len / 64 * 64;
	len %= 64;
	memcpy(s->block, p, len);
	s->used = len;
}

/* sha256_hex: the digest of what S was given, in HEX (65 bytes). */
static void sha256_hex(const struct sha256 *s, char hex[65])
{
	struct sha256 t = *s;
	uint64_t bits = t.bytes * 8;
	unsigned char pad[72] = { 0x80 };
	size_t padlen = (t.used < 56 ? 56 : 120) - t.used;
	int i;

	for (i = 0; i < 8; i++)
		pad[padlen + i] = bits >> (56 - 8 * i);
	sha256_update(&t, pad, padlen + 8);
	for (i = 0; i < 8; i++)
		snprintf(hex + 8 * i, 9, "%08" PRIx32, t.h[i]);
}

/* ------------------------------------------------------------ the stream */

static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * stream_fill: bytes [OFF, OFF+LEN) of stream SEED. Byte K is byte K%8
 * (least significant first) of word K/8; word 0 holds the seed so that its
 * bytes are the seed big-endian; word W > 0 is splitmix64's W-th output
 * for a key made of the seed. Any range can be made without the ones
 * before it.
 */
static void stream_fill(uint64_t seed, uint64_t off, unsigned char *buf, size_t len)
{
	uint64_t key = mix64(seed ^ 0x6a09e667f3bcc908ULL);

	while (len) {
		uint64_t w = off / 8, v;
		unsigned int b = off % 8;

		v = w ? mix64(key + w * 0x9e3779b97f4a7c15ULL) : __builtin_bswap64(seed);
		if (b == 0 && len >= 8) {
			for (b = 0; b < 8; b++)
				buf[b] = v >> (8 * b);
			buf += 8, off += 8, len -= 8;
			continue;
		}
		for (; b < 8 && len; b++, len--, off++)
			*buf++ = v >> (8 * b);
	}
}

/*
 * A receiver's view of one stream: the SHA-256 of everything read (unless
 * hash is false) and, once the first 8 bytes told the seed, every later
 * byte compared with the stream. bad: the offset of the first byte that
 * differs, -1 if none.
 */
struct checker {
	struct sha256 sha;
	bool hash;
	uint64_t off;
	uint64_t seed;
	int64_t bad;
};

static void check_init(struct checker *c, bool hash)
{
	sha256_init(&c->sha);
	c->hash = hash;
	c->off = 0;
	c->seed = 0;
	c->bad = -1;
}

static void check_feed(struct checker *c, const unsigned char *p, size_t n)
{
	static unsigned char want[CHUNK];

	if (c->hash)
		sha256_update(&c->sha, p, n);
	while (n && c->off < 8) {
		c->seed = c->seed << 8 | *p++;
		c->off++;
		n--;
	}
	while (n && c->bad < 0) {
		size_t k = n < sizeof(want) ? n : sizeof(want);

		stream_fill(c->seed, c->off, want, k);
		if (memcmp(p, want, k)) {
			size_t i = 0;

			while (p[i] == want[i])
				i++;
			c->bad = c->off + i;
		}
		c->off += k, p += k, n -= k;
	}
	c->off += n;
}

/* "stream ok" or "stream bad at OFFSET" (in a static buffer). */
static const char *check_verdict(const struct checker *c)
{
	static char s[48];

	if (c->bad < 0)
		return "stream ok";
	snprintf(s, sizeof(s), "stream bad at %" PRId64, c->bad);
	return s;
}

/* ------------------------------------------------------------ sockets */

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

static long long number(const char *s, long long lo, long long hi, const char *what)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (!errno && end != s) {
		switch (*end) {
		case 'K': v <<= 10, end++; break;
		case 'M': v <<= 20, end++; break;
		case 'G': v <<= 30, end++; break;
		}
	}
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "%s: bad %s '%s' (%lld..%lld)\n", prog, what, s, lo, hi);
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
	static char bufs[4][INET_ADDRSTRLEN + 8];
	static int i;
	char *b = bufs[i++ & 3];
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

/*
 * check_name: an address the socket reported (accept, getpeername) is a
 * whole sockaddr_in of this family. Returns NULL or what is wrong.
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

static int new_socket(const struct opts *o, bool nonblock)
{
	int fd = socket(o->family, SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);

	if (fd < 0)
		die("socket(%s, SOCK_STREAM):", o->netstack ? "AF_NETSTACK" : "AF_INET");
	if (o->have_local && bind(fd, sa(o, &o->local), sizeof(o->local)) < 0)
		die("bind %s:", fmt_addr(&o->local));
	return fd;
}

static void set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK) < 0)
		die("fcntl O_NONBLOCK:");
}

/* A listening socket on ADDR; prints nothing. */
static int listen_on(const struct opts *o, const struct sockaddr_in *addr, int backlog)
{
	int fd = socket(o->family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int one = 1;

	if (fd < 0)
		die("socket(%s, SOCK_STREAM):", o->netstack ? "AF_NETSTACK" : "AF_INET");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("setsockopt SO_REUSEADDR:");
	if (bind(fd, sa(o, addr), sizeof(*addr)) < 0)
		die("bind %s:", fmt_addr(addr));
	if (listen(fd, backlog) < 0)
		die("listen %s, %d:", fmt_addr(addr), backlog);
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
 * check_peer: getpeername() of a connected socket is the peer we connected
 * to, in this family. NULL or what is wrong.
 */
static const char *check_peer(const struct opts *o, int fd, const struct sockaddr_in *want)
{
	static char why[96];
	struct sockaddr_in sin = { 0 };
	socklen_t len = sizeof(sin);
	const char *w;

	if (getpeername(fd, (struct sockaddr *)&sin, &len) < 0) {
		snprintf(why, sizeof(why), "getpeername: %s", errname(errno));
		return why;
	}
	w = check_name(o, &sin, len);
	if (w)
		return w;
	if (sin.sin_addr.s_addr != want->sin_addr.s_addr || sin.sin_port != want->sin_port) {
		snprintf(why, sizeof(why), "getpeername %s, want %s", fmt_addr(&sin), fmt_addr(want));
		return why;
	}
	return NULL;
}

/* A blocking connection to the peer; dies if it cannot be made. */
/* set_client_opts: the TCP options of -N, -k, -U on a client socket. */
static void set_client_opts(const struct opts *o, int fd)
{
	int one = 1;

	if (o->nodelay && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		die("TCP_NODELAY:");
	if (o->keepalive[0] &&
	    (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) < 0 ||
	     setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &o->keepalive[0], sizeof(int)) < 0 ||
	     setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &o->keepalive[1], sizeof(int)) < 0 ||
	     setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &o->keepalive[2], sizeof(int)) < 0))
		die("keepalive options:");
	if (o->user_timeout >= 0 &&
	    setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &o->user_timeout, sizeof(int)) < 0)
		die("TCP_USER_TIMEOUT:");
}

static int connect_peer(const struct opts *o)
{
	const char *why;
	int fd = new_socket(o, false);

	set_client_opts(o, fd);

	phase = "connecting";
	if (connect(fd, sa(o, &o->peer), sizeof(o->peer)) < 0)
		die("connect %s:", fmt_addr(&o->peer));
	why = check_peer(o, fd, &o->peer);
	if (why)
		die("after connect: %s", why);
	return fd;
}

/* send_all: LEN bytes (MSG_NOSIGNAL); 0, or -1 with errno set. */
static int send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		p += n, len -= n;
		progress += n;
	}
	return 0;
}

static const char *events_str(uint32_t ev)
{
	static char s[64];
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ EPOLLIN, "IN" }, { EPOLLPRI, "PRI" }, { EPOLLOUT, "OUT" }, { EPOLLERR, "ERR" },
		{ EPOLLHUP, "HUP" }, { EPOLLRDHUP, "RDHUP" },
	};
	size_t i;

	s[0] = 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (ev & names[i].bit)
			snprintf(s + strlen(s), sizeof(s) - strlen(s), "%s%s", s[0] ? "|" : "",
				 names[i].name);
	return s[0] ? s : "none";
}

static int epoll_new(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0)
		die("epoll_create1:");
	return ep;
}

static void ep_ctl(int ep, int op, int fd, uint32_t events, void *ptr)
{
	struct epoll_event ev = { .events = events, .data.ptr = ptr };

	if (epoll_ctl(ep, op, fd, &ev) < 0)
		die("epoll_ctl(%d, fd %d, %s):", op, fd, events_str(events));
}

static int ep_wait(int ep, struct epoll_event *evs, int max, int timeout_ms)
{
	int n;

	do
		n = epoll_wait(ep, evs, max, timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		die("epoll_wait:");
	return n;
}

/* ------------------------------------------------------------ servers */

enum kind { ECHO, SINK, SOURCE, HALFCLOSE, UNREAD };

struct conn {
	int fd;
	long id;
	bool control;		/* backlog-server's trigger connection */
	struct sockaddr_in peer;
	unsigned char *buf;	/* output waiting: [head, tail) */
	size_t head, tail;
	bool eof;		/* the peer's FIN was read */
	bool shut;		/* we did SHUT_WR (source) */
	uint64_t in, out;
	uint64_t left;		/* stream bytes still to queue */
	uint64_t seed, off;	/* the stream we send */
	struct checker chk;	/* what we read (sink, halfclose) */
	struct sha256 out_sha;	/* what we sent of the stream */
	uint32_t events;	/* the epoll interest now */
};

struct server {
	const struct opts *o;
	enum kind kind;
	int ep, lfd, cfd;	/* cfd: backlog-server's control listener, or -1 */
	bool gated;		/* lfd not yet in the epoll set */
	long accepted, done, errors, bad;
	uint64_t in, out;
};

static char tag_listener, tag_control;	/* epoll data of the listeners */

static void conn_close(struct server *s, struct conn *c)
{
	close(c->fd);	/* (which also removes it from the epoll set) */
	if (!c->control)
		s->done++;
	free(c->buf);
	free(c);
}

static void conn_fail(struct server *s, struct conn *c, const char *what, int err)
{
	if (s->errors++ < MAX_BAD_SHOWN)
		complain("connection %ld from %s: %s: %s after %" PRIu64 " bytes in, %" PRIu64 " out",
			 c->id, fmt_addr(&c->peer), what, errname(err), c->in, c->out);
	conn_close(s, c);
}

/* The end of a connection that went as it should: its line, close. */
static void conn_finish(struct server *s, struct conn *c)
{
	char hex[65], ohex[65];

	switch (s->kind) {
	case ECHO:
		if (s->o->verbose || c->control)
			printf("echo: connection %ld from %s bytes %" PRIu64 "%s\n",
			       c->id, fmt_addr(&c->peer), c->in, c->control ? " (control)" : "");
		break;
	case SINK:
		break;	/* (printed at EOF) */
	case SOURCE:
		sha256_hex(&c->out_sha, ohex);
		printf("source: connection %ld from %s bytes %" PRIu64 " sha256 %s read %" PRIu64 "\n",
		       c->id, fmt_addr(&c->peer), c->out, ohex, c->in);
		break;
	case HALFCLOSE:
		sha256_hex(&c->chk.sha, hex);
		sha256_hex(&c->out_sha, ohex);
		printf("halfclose: connection %ld from %s read %" PRIu64 " sha256 %s %s, then wrote %" PRIu64 " sha256 %s\n",
		       c->id, fmt_addr(&c->peer), c->in, hex, check_verdict(&c->chk), c->out, ohex);
		break;
	case UNREAD:
		break;
	}
	fflush(stdout);
	conn_close(s, c);
}

static void conn_update(struct server *s, struct conn *c)
{
	uint32_t ev = 0;

	if (!c->eof && (s->kind != ECHO || c->tail < CHUNK))
		ev |= EPOLLIN;
	if (c->head < c->tail || c->left)
		ev |= EPOLLOUT;
	if (ev != c->events) {
		ep_ctl(s->ep, EPOLL_CTL_MOD, c->fd, ev, c);
		c->events = ev;
	}
}

/* At the peer's EOF. */
static void conn_eof(struct server *s, struct conn *c)
{
	char hex[65];
	int n;

	c->eof = true;
	switch (s->kind) {
	case SINK:
		sha256_hex(&c->chk.sha, hex);
		n = snprintf((char *)c->buf, CHUNK, "sink: bytes %" PRIu64 " sha256 %s %s\n",
			     c->in, hex, check_verdict(&c->chk));
		c->head = 0;
		c->tail = n;
		printf("sink: connection %ld from %s bytes %" PRIu64 " sha256 %s %s\n",
		       c->id, fmt_addr(&c->peer), c->in, hex, check_verdict(&c->chk));
		fflush(stdout);
		if (c->chk.bad >= 0)
			s->bad++;
		break;
	case HALFCLOSE:
		c->left = s->o->more;
		if (c->chk.bad >= 0)
			s->bad++;
		break;
	default:
		break;
	}
}

/* Read what there is. false if the connection was closed. */
static bool conn_read(struct server *s, struct conn *c)
{
	static unsigned char scratch[CHUNK];

	while (!c->eof) {
		unsigned char *p = s->kind == ECHO ? c->buf + c->tail : scratch;
		size_t room = s->kind == ECHO ? CHUNK - c->tail : sizeof(scratch);
		ssize_t n;

		if (!room)
			break;
		n = recv(c->fd, p, room, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			conn_fail(s, c, "recv", errno);
			return false;
		}
		if (n == 0) {
			conn_eof(s, c);
			break;
		}
		c->in += n;
		s->in += n;
		progress += n;
		if (s->kind == ECHO)
			c->tail += n;
		else if (s->kind == SINK || s->kind == HALFCLOSE)
			check_feed(&c->chk, p, n);
	}
	return true;
}

/* Send what is waiting. false if the connection was closed. */
static bool conn_write(struct server *s, struct conn *c)
{
	for (;;) {
		ssize_t n;

		if (c->head == c->tail) {
			size_t k = c->left < CHUNK ? c->left : CHUNK;

			if (!k)
				break;
			stream_fill(c->seed, c->off, c->buf, k);
			sha256_update(&c->out_sha, c->buf, k);
			c->head = 0;
			c->tail = k;
			c->off += k;
			c->left -= k;
		}
		n = send(c->fd, c->buf + c->head, c->tail - c->head, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			conn_fail(s, c, "send", errno);
			return false;
		}
		c->head += n;
		c->out += n;
		s->out += n;
		progress += n;
		if (c->head == c->tail)
			c->head = c->tail = 0;
	}
	return true;
}

/* After reading and writing: SHUT_WR or close when the time has come. */
static void conn_step(struct server *s, struct conn *c)
{
	bool flushed = c->head == c->tail && !c->left;

	if (s->kind == SOURCE && flushed && !c->shut) {
		if (shutdown(c->fd, SHUT_WR) < 0) {
			conn_fail(s, c, "shutdown(SHUT_WR)", errno);
			return;
		}
		c->shut = true;
	}
	if (c->eof && flushed) {
		conn_finish(s, c);
		return;
	}
	conn_update(s, c);
}

static void unread_event(struct server *s, struct conn *c)
{
	int unread = -1;

	if (s->o->wait_ms) {
		struct timespec ts = { s->o->wait_ms / 1000, s->o->wait_ms % 1000 * 1000000L };

		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	if (ioctl(c->fd, FIONREAD, &unread) < 0)
		unread = -1;
	if (unread == 0) {
		s->errors++;
		complain("connection %ld from %s: nothing to leave unread (FIONREAD 0)",
			 c->id, fmt_addr(&c->peer));
	}
	if (unread < 0)
		printf("unread: connection %ld from %s closed with data unread (FIONREAD: %s)\n",
		       c->id, fmt_addr(&c->peer), errname(errno));
	else
		printf("unread: connection %ld from %s closed with %d bytes unread\n",
		       c->id, fmt_addr(&c->peer), unread);
	fflush(stdout);
	conn_close(s, c);
}

static void accept_all(struct server *s, int lfd, bool control)
{
	for (;;) {
		struct sockaddr_in sin = { 0 };
		socklen_t len = sizeof(sin);
		const char *why;
		struct conn *c;
		int fd;

		fd = accept4(lfd, (struct sockaddr *)&sin, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd < 0 && errno == EAGAIN)
			return;
		if (fd < 0)
			die("accept4:");
		c = calloc(1, sizeof(*c));
		if (!c || !(c->buf = malloc(CHUNK)))
			die("out of memory");
		c->fd = fd;
		c->control = control;
		c->id = control ? -1 : s->accepted++;
		c->peer = sin;
		why = check_name(s->o, &sin, len);
		if (why && s->errors++ < MAX_BAD_SHOWN)
			complain("accept4: connection %ld: %s", c->id, why);
		check_init(&c->chk, true);
		sha256_init(&c->out_sha);
		c->seed = s->o->seed * 65536 + c->id;
		if (s->kind == SOURCE)
			c->left = s->o->more;
		c->events = EPOLLIN;
		ep_ctl(s->ep, EPOLL_CTL_ADD, fd, c->events, c);
		if (control && s->gated) {
			ep_ctl(s->ep, EPOLL_CTL_ADD, s->lfd, EPOLLIN, &tag_listener);
			s->gated = false;
		}
		if (s->kind != UNREAD || control)
			conn_step(s, c);
	}
}

static int serve(const struct opts *o, enum kind kind, bool gated)
{
	struct server s = { .o = o, .kind = kind, .cfd = -1 };
	struct epoll_event evs[64];
	struct sockaddr_in me;
	bool idle = false;
	int rc;

	if (!o->have_local)
		die("%s needs -b ADDR:PORT", mode);
	s.ep = epoll_new();
	s.lfd = listen_on(o, &o->local, gated ? o->backlog : 4096);
	me = local_of(s.lfd);
	if (gated) {
		struct sockaddr_in ctl = o->local;

		ctl.sin_port = htons(ntohs(me.sin_port) + 1);
		s.cfd = listen_on(o, &ctl, 16);
		ep_ctl(s.ep, EPOLL_CTL_ADD, s.cfd, EPOLLIN, &tag_control);
		s.gated = true;
		printf("listening %s backlog %d control %s\n", fmt_addr(&me), o->backlog,
		       fmt_addr(&ctl));
	} else {
		ep_ctl(s.ep, EPOLL_CTL_ADD, s.lfd, EPOLLIN, &tag_listener);
		printf("listening %s\n", fmt_addr(&me));
	}
	fflush(stdout);
	phase = "serving";

	while (!o->count || s.done < o->count) {
		int n = ep_wait(s.ep, evs, 64, o->idle_ms);

		if (n == 0) {
			idle = true;
			break;
		}
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;

			if (evs[i].data.ptr == &tag_listener) {
				accept_all(&s, s.lfd, false);
				continue;
			}
			if (evs[i].data.ptr == &tag_control) {
				accept_all(&s, s.cfd, true);
				continue;
			}
			/*
			 * A connection has one event at most in evs, and only
			 * its own closes (frees) it.
			 */
			if (kind == UNREAD && !c->control) {
				unread_event(&s, c);
				continue;
			}
			if ((evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !conn_read(&s, c))
				continue;
			if ((evs[i].events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) || c->head < c->tail ||
			    c->left) {
				if (!conn_write(&s, c))
					continue;
			}
			conn_step(&s, c);
		}
	}
	rc = s.errors || s.bad || (o->count && s.done < o->count);
	printf("%s: %s connections %ld errors %ld bad %ld bytes-in %" PRIu64 " bytes-out %" PRIu64 "%s\n",
	       mode, rc ? "FAILED" : "ok", s.done, s.errors, s.bad, s.in, s.out,
	       idle ? (o->count ? " (idle timeout before -n connections)" : " (idle timeout)") : "");
	return rc;
}

/* ------------------------------------------------------------ echo, send, recv, halfclose */

static int echo_client(const struct opts *o)
{
	static unsigned char out[MAX_MSG], in[MAX_MSG];
	uint64_t rng = o->seed, off = 0, seed = o->seed * 65536;
	long done = 0;
	const char *fail = NULL;
	int fd, err = 0;
	ssize_t n;
	double t0, dt;

	if (!o->have_peer)
		die("echo needs -p ADDR:PORT");
	fd = connect_peer(o);
	t0 = now();
	phase = "echoing";
	for (long i = 0; i < o->count && !fail; i++) {
		size_t len, sent = 0, got = 0;

		if (i == 0)
			len = o->min;
		else if (i == 1)
			len = o->max;
		else
			len = o->min + mix64(rng++) % (o->max - o->min + 1);
		stream_fill(seed, off, out, len);
		/* Send and read at once: no deadlock however large the message. */
		while (got < len) {
			struct pollfd p = { .fd = fd, .events = POLLIN | (sent < len ? POLLOUT : 0) };

			if (poll(&p, 1, -1) < 0) {
				if (errno == EINTR)
					continue;
				die("poll:");
			}
			if (sent < len && (p.revents & (POLLOUT | POLLERR | POLLHUP))) {
				n = send(fd, out + sent, len - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
				if (n < 0 && errno != EAGAIN && errno != EINTR) {
					fail = "send", err = errno;
					break;
				}
				if (n > 0)
					sent += n;
			}
			if (p.revents & (POLLIN | POLLERR | POLLHUP)) {
				n = recv(fd, in + got, len - got, MSG_DONTWAIT);
				if (n == 0) {
					fail = "recv: EOF before the echo was whole";
					break;
				}
				if (n < 0 && errno != EAGAIN && errno != EINTR) {
					fail = "recv", err = errno;
					break;
				}
				if (n > 0)
					got += n, progress += n;
			}
		}
		if (fail) {
			complain("message %ld (%zu bytes): %s%s%s (sent %zu, echoed %zu)", i, len, fail,
				 err ? ": " : "", err ? errname(err) : "", sent, got);
			break;
		}
		if (memcmp(in, out, len)) {
			size_t k = 0;

			while (in[k] == out[k])
				k++;
			complain("message %ld (%zu bytes): echo differs at byte %zu of it (stream offset %" PRIu64 "): 0x%02x, want 0x%02x",
				 i, len, k, off + k, in[k], out[k]);
			fail = "echo differs";
			break;
		}
		off += len;
		done++;
	}
	if (!fail) {
		/* Our EOF; the server's must follow, with nothing before it. */
		phase = "waiting for the server's EOF";
		if (shutdown(fd, SHUT_WR) < 0)
			die("shutdown(SHUT_WR):");
		n = recv(fd, in, sizeof(in), 0);
		if (n != 0) {
			fail = "no EOF after the last echo";
			complain("after SHUT_WR: recv %zd%s%s, want 0 (EOF)", n, n < 0 ? " " : "",
				 n < 0 ? errname(errno) : "");
		}
	}
	dt = now() - t0;
	close(fd);
	printf("echo: %s messages %ld of %lld bytes %" PRIu64 " sizes %ld:%ld %.2f s %.0f msg/s %.1f MB/s\n",
	       fail ? "FAILED" : "ok", done, o->count, off, o->min, o->max, dt,
	       dt > 0 ? done / dt : 0.0, rate(2 * off, dt));
	return !!fail;
}

static int send_client(const struct opts *o)
{
	static unsigned char buf[CHUNK];
	char reply[REPLY_MAX + 1], hex[65], peer_hex[65] = "";
	unsigned long long peer_bytes = 0;
	uint64_t seed = o->seed * 65536, off = 0;
	struct sha256 sha;
	size_t rl = 0;
	bool ok;
	int fd;
	double t0, dt;

	if (!o->have_peer)
		die("send needs -p ADDR:PORT");
	fd = connect_peer(o);
	sha256_init(&sha);
	t0 = now();
	phase = "sending";
	while (off < (uint64_t)o->count) {
		size_t k = o->count - off < CHUNK ? o->count - off : CHUNK;

		if (o->write_size && k > (size_t)o->write_size)
			k = o->write_size;
		stream_fill(seed, off, buf, k);
		sha256_update(&sha, buf, k);
		if (send_all(fd, buf, k) < 0) {
			printf("send: FAILED send: %s after %" PRIu64 " of %lld bytes\n",
			       errname(errno), off, o->count);
			return 1;
		}
		off += k;
	}
	sha256_hex(&sha, hex);
	phase = "waiting for the sink's answer";
	if (shutdown(fd, SHUT_WR) < 0)
		die("shutdown(SHUT_WR):");
	for (;;) {
		ssize_t n = recv(fd, reply + rl, REPLY_MAX - rl, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			printf("send: FAILED reading the sink's answer: %s\n", errname(errno));
			return 1;
		}
		if (n == 0 || rl + n == REPLY_MAX) {
			rl += n;
			break;
		}
		rl += n;
	}
	dt = now() - t0;
	close(fd);
	reply[rl] = 0;
	if (rl && reply[rl - 1] == '\n')
		reply[--rl] = 0;
	for (size_t i = 0; i < rl; i++)	/* (not a sink's answer: shown anyway) */
		if (reply[i] < ' ' || reply[i] > '~')
			reply[i] = '.';
	ok = sscanf(reply, "sink: bytes %llu sha256 %64s", &peer_bytes, peer_hex) == 2 &&
	     peer_bytes == (unsigned long long)o->count && !strcmp(peer_hex, hex) &&
	     strstr(reply, " stream ok");
	printf("send: %s bytes %" PRIu64 " sha256 %s %.2f s %.1f MB/s; the sink: \"%s\"\n",
	       ok ? "ok" : "FAILED", off, hex, dt, rate(off, dt), reply);
	return !ok;
}

/*
 * hold_client: connect, wait -w ms, send -n bytes (-W per write), then
 * read (discarding) until the connection fails; ok if with -e's errno.
 */
static int hold_client(const struct opts *o)
{
	static unsigned char buf[CHUNK];
	uint64_t off = 0;
	double t0;
	ssize_t n;
	int fd;

	if (!o->have_peer)
		die("hold needs -p ADDR:PORT");
	fd = connect_peer(o);
	printf("hold: connected\n");
	if (o->wait_ms > 0)
		usleep(o->wait_ms * 1000L);
	t0 = now();
	phase = "sending";
	while (off < (uint64_t)o->count) {
		size_t k = o->count - off < CHUNK ? o->count - off : CHUNK;

		if (o->write_size && k > (size_t)o->write_size)
			k = o->write_size;
		stream_fill(o->seed * 65536, off, buf, k);
		if (send_all(fd, buf, k) < 0)
			break;
		off += k;
	}
	phase = "waiting for the end";
	do
		n = recv(fd, buf, sizeof(buf), 0);
	while (n > 0 || (n < 0 && errno == EINTR));
	printf("hold: %s after %.3f s (sent %" PRIu64 " bytes)\n",
	       n ? errname(errno) : "EOF", now() - t0, off);
	close(fd);
	return !(n < 0 && errno == o->want_err);
}

/* read_stream: read FD to EOF into C; 0, or -1 (errno set) on an error. */
static int read_stream(int fd, struct checker *c)
{
	static unsigned char buf[CHUNK];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		check_feed(c, buf, n);
		progress += n;
	}
}

static int recv_client(const struct opts *o)
{
	struct checker c;
	char hex[65];
	int fd, err = 0;
	bool ok;
	double t0, dt;

	if (!o->have_peer)
		die("recv needs -p ADDR:PORT");
	fd = connect_peer(o);
	check_init(&c, true);
	t0 = now();
	phase = "receiving";
	if (read_stream(fd, &c) < 0)
		err = errno;
	dt = now() - t0;
	close(fd);
	sha256_hex(&c.sha, hex);
	ok = !err && c.bad < 0 && (o->count < 0 || c.off == (uint64_t)o->count);
	printf("recv: %s bytes %" PRIu64 " sha256 %s %s %.2f s %.1f MB/s%s%s",
	       ok ? "ok" : "FAILED", c.off, hex, check_verdict(&c), dt, rate(c.off, dt),
	       err ? "; recv: " : "", err ? errname(err) : "");
	if (o->count >= 0 && c.off != (uint64_t)o->count)
		printf("; want %lld bytes", o->count);
	printf("\n");
	return !ok;
}

static int halfclose_client(const struct opts *o)
{
	static unsigned char buf[CHUNK];
	uint64_t seed = o->seed * 65536, off = 0;
	struct sha256 sha;
	struct checker c;
	char hex[65], rhex[65];
	int fd, err = 0, probe_err;
	bool ok;
	double t0, dt;

	if (!o->have_peer)
		die("halfclose needs -p ADDR:PORT");
	fd = connect_peer(o);
	sha256_init(&sha);
	t0 = now();
	phase = "sending before SHUT_WR";
	while (off < (uint64_t)o->count) {
		size_t k = o->count - off < CHUNK ? o->count - off : CHUNK;

		stream_fill(seed, off, buf, k);
		sha256_update(&sha, buf, k);
		if (send_all(fd, buf, k) < 0) {
			printf("halfclose: FAILED send: %s after %" PRIu64 " bytes\n", errname(errno), off);
			return 1;
		}
		off += k;
	}
	sha256_hex(&sha, hex);
	if (shutdown(fd, SHUT_WR) < 0)
		die("shutdown(SHUT_WR):");
	/* Sending after SHUT_WR: EPIPE (MSG_NOSIGNAL: no SIGPIPE). */
	probe_err = send(fd, "x", 1, MSG_NOSIGNAL) < 0 ? errno : 0;
	phase = "receiving after SHUT_WR";
	check_init(&c, true);
	if (read_stream(fd, &c) < 0)
		err = errno;
	dt = now() - t0;
	close(fd);
	sha256_hex(&c.sha, rhex);
	ok = probe_err == EPIPE && !err && c.bad < 0 && c.off == (uint64_t)o->more;
	printf("halfclose: %s sent %" PRIu64 " sha256 %s, SHUT_WR, send: %s (want EPIPE), then received %" PRIu64 " (want %lld) sha256 %s %s%s%s %.2f s\n",
	       ok ? "ok" : "FAILED", off, hex, errname(probe_err), c.off, o->more, rhex,
	       check_verdict(&c), err ? "; recv: " : "", err ? errname(err) : "", dt);
	return !ok;
}

/* ------------------------------------------------------------ concurrent, nbconnect */

enum { C_CONNECTING, C_OPEN, C_DONE, C_FAILED };

struct cconn {
	int fd, state;
	long id;
	uint64_t seed, sent;
	uint64_t want;		/* bytes each way (both), sent (send) or received (recv) */
	bool shut;
	struct checker chk;	/* what came back (both, recv) */
	struct sha256 sha;	/* what we sent (send) */
	char reply[REPLY_MAX + 1];
	size_t rl;
};

struct cstats {
	long einprogress, so_error_ok, open, done, failed;
	uint64_t out, in;
};

static void cc_fail(struct cstats *st, struct cconn *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void cc_fail(struct cstats *st, struct cconn *c, const char *fmt, ...)
{
	va_list ap;

	if (st->failed++ < MAX_BAD_SHOWN) {
		fprintf(stderr, "%s: %s: connection %ld: ", prog, mode, c->id);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fprintf(stderr, " (sent %" PRIu64 ", received %" PRIu64 ")\n", c->sent, c->chk.off);
	}
	c->state = C_FAILED;
	close(c->fd);
}

/* The end of a connection's input: right or not. */
static void cc_eof(const struct opts *o, struct cstats *st, struct cconn *c, char dir)
{
	char hex[65], peer_hex[65] = "";
	unsigned long long pb = 0;

	if (dir != 's') {
		if (c->chk.bad >= 0 || c->chk.off != c->want) {
			cc_fail(st, c, "EOF after %" PRIu64 " bytes (want %" PRIu64 "), %s",
				c->chk.off, c->want, check_verdict(&c->chk));
			return;
		}
	} else {
		sha256_hex(&c->sha, hex);
		c->reply[c->rl] = 0;
		if (sscanf(c->reply, "sink: bytes %llu sha256 %64s", &pb, peer_hex) != 2 ||
		    pb != c->sent || strcmp(peer_hex, hex) || !strstr(c->reply, " stream ok")) {
			cc_fail(st, c, "sent %" PRIu64 " sha256 %s, the sink answered \"%.*s\"",
				c->sent, hex, (int)strcspn(c->reply, "\n"), c->reply);
			return;
		}
	}
	if (o->verbose)
		fprintf(stderr, "%s: %s: connection %ld done\n", prog, mode, c->id);
	c->state = C_DONE;
	st->done++;
	close(c->fd);
}

static void cc_event(const struct opts *o, struct cstats *st, struct cconn *c, uint32_t ev,
		     char dir, int ep)
{
	static unsigned char buf[CHUNK];
	ssize_t n;

	if (c->state == C_CONNECTING) {
		int err = 0;
		socklen_t len = sizeof(err);
		const char *why;

		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
			cc_fail(st, c, "getsockopt SO_ERROR: %s", errname(errno));
			return;
		}
		if (err) {
			cc_fail(st, c, "connect: epoll %s, SO_ERROR %s", events_str(ev),
				errname(err));
			return;
		}
		if (!(ev & EPOLLOUT)) {
			cc_fail(st, c, "connect: epoll %s without OUT, SO_ERROR 0",
				events_str(ev));
			return;
		}
		why = check_peer(o, c->fd, &o->peer);
		if (why) {
			cc_fail(st, c, "connected: %s", why);
			return;
		}
		st->so_error_ok++;
		st->open++;
		c->state = C_OPEN;
		if (dir == 'r') {
			/* Nothing to send: our EOF at once (the source keeps sending). */
			if (shutdown(c->fd, SHUT_WR) < 0) {
				cc_fail(st, c, "shutdown(SHUT_WR): %s", errname(errno));
				return;
			}
			c->shut = true;
			ep_ctl(ep, EPOLL_CTL_MOD, c->fd, EPOLLIN, c);
		}
	}
	while (!c->shut && (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
		size_t k = c->want - c->sent < CHUNK ? c->want - c->sent : CHUNK;

		if (k) {
			stream_fill(c->seed, c->sent, buf, k);
			n = send(c->fd, buf, k, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				break;
			if (n < 0) {
				cc_fail(st, c, "send: %s", errname(errno));
				return;
			}
			if (dir == 's')
				sha256_update(&c->sha, buf, n);
			c->sent += n;
			st->out += n;
			progress += n;
		}
		if (c->sent == c->want) {
			if (shutdown(c->fd, SHUT_WR) < 0) {
				cc_fail(st, c, "shutdown(SHUT_WR): %s", errname(errno));
				return;
			}
			c->shut = true;
			ep_ctl(ep, EPOLL_CTL_MOD, c->fd, EPOLLIN, c);
		}
	}
	while (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
		if (dir == 's') {
			if (c->rl == REPLY_MAX) {
				cc_fail(st, c, "the sink's answer is too long");
				return;
			}
			n = recv(c->fd, c->reply + c->rl, REPLY_MAX - c->rl, MSG_DONTWAIT);
		} else {
			n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n < 0) {
			cc_fail(st, c, "recv: %s", errname(errno));
			return;
		}
		if (n == 0) {
			cc_eof(o, st, c, dir);
			return;
		}
		if (dir == 's') {
			c->rl += n;
			continue;
		}
		check_feed(&c->chk, buf, n);
		st->in += n;
		progress += n;
		if (c->chk.bad >= 0 || c->chk.off > c->want) {
			cc_fail(st, c, "received %" PRIu64 " bytes (want %" PRIu64 "), %s",
				c->chk.off, c->want, check_verdict(&c->chk));
			return;
		}
	}
}

static int conns_client(const struct opts *o)
{
	struct epoll_event evs[64];
	struct cstats st = { 0 };
	struct cconn *cs;
	char dir = o->dir[0];
	int ep;
	double t0, dt;
	bool ok;

	if (!o->have_peer)
		die("%s needs -p ADDR:PORT", mode);
	if (strcmp(o->dir, "both") && strcmp(o->dir, "send") && strcmp(o->dir, "recv"))
		usage(2);
	cs = calloc(o->conns, sizeof(*cs));
	if (!cs)
		die("out of memory");
	ep = epoll_new();
	t0 = now();
	phase = "connecting";
	for (int i = 0; i < o->conns; i++) {
		struct cconn *c = &cs[i];

		c->id = i;
		c->seed = o->seed * 65536 + i;
		c->want = o->count;
		/* Every byte is compared: a hash per connection would add nothing. */
		check_init(&c->chk, false);
		sha256_init(&c->sha);
		c->fd = new_socket(o, true);
		if (connect(c->fd, sa(o, &o->peer), sizeof(o->peer)) == 0) {
			cc_fail(&st, c, "non-blocking connect returned 0, want EINPROGRESS");
			continue;
		}
		if (errno != EINPROGRESS) {
			cc_fail(&st, c, "non-blocking connect: %s, want EINPROGRESS", errname(errno));
			continue;
		}
		st.einprogress++;
		ep_ctl(ep, EPOLL_CTL_ADD, c->fd, EPOLLIN | EPOLLOUT, c);
	}
	phase = "moving data";
	while (st.done + st.failed < o->conns) {
		int n = ep_wait(ep, evs, 64, -1);

		for (int i = 0; i < n; i++) {
			struct cconn *c = evs[i].data.ptr;

			if (c->state == C_CONNECTING || c->state == C_OPEN)
				cc_event(o, &st, c, evs[i].events, dir, ep);
		}
	}
	dt = now() - t0;
	close(ep);
	ok = st.done == o->conns;
	printf("%s: %s connections %d done %ld failed %ld einprogress %ld so_error-0 %ld, %s %lld bytes each, bytes-out %" PRIu64 " bytes-in %" PRIu64 " %.2f s %.1f MB/s\n",
	       mode, ok ? "ok" : "FAILED", o->conns, st.done, st.failed, st.einprogress,
	       st.so_error_ok, o->dir, o->count, st.out, st.in, dt, rate(st.out + st.in, dt));
	free(cs);
	return !ok;
}

/* ------------------------------------------------------------ files */

/*
 * file-server: the file PATH to each connection, whole, then SHUT_WR; the
 * connection ends at the client's EOF. One connection at a time.
 */
static int file_server(const struct opts *o)
{
	static unsigned char buf[CHUNK];
	struct sockaddr_in peer;
	socklen_t plen;
	struct sha256 sha;
	uint64_t sent;
	char hex[65];
	long i;
	int lfd, fd, file, bad = 0;
	ssize_t n;

	if (!o->have_local || !o->file)
		die("file-server needs -b ADDR:PORT and -F PATH");
	lfd = listen_on(o, &o->local, 8);
	set_nonblock(lfd, false);
	printf("listening %s\n", fmt_addr(&o->local));
	for (i = 0; i < o->count; i++) {
		phase = "accepting";
		plen = sizeof(peer);
		do
			fd = accept(lfd, (struct sockaddr *)&peer, &plen);
		while (fd < 0 && errno == EINTR);
		if (fd < 0)
			die("accept:");
		file = open(o->file, O_RDONLY | O_CLOEXEC);
		if (file < 0)
			die("open %s:", o->file);
		sha256_init(&sha);
		sent = 0;
		phase = "sending the file";
		while ((n = read(file, buf, sizeof(buf))) > 0) {
			if (send_all(fd, buf, n) < 0)
				break;
			sha256_update(&sha, buf, n);
			sent += n;
		}
		if (n < 0)
			die("read %s:", o->file);
		close(file);
		if (n == 0 && shutdown(fd, SHUT_WR) < 0)
			n = -1;
		if (n == 0) {
			phase = "reading to the client's EOF";
			while ((n = recv(fd, buf, sizeof(buf), 0)) > 0 || (n < 0 && errno == EINTR))
				;
		}
		sha256_hex(&sha, hex);
		printf("file-server: connection %ld from %s: %s bytes %" PRIu64 " sha256 %s%s%s\n",
		       i + 1, fmt_addr(&peer), n == 0 ? "ok" : "FAILED", sent, hex,
		       n ? ": " : "", n ? errname(errno) : "");
		bad += n != 0;
		close(fd);
	}
	close(lfd);
	return !!bad;
}

/* fetch: what the server sends, to its EOF, into the file PATH. */
static int fetch_client(const struct opts *o)
{
	static unsigned char buf[CHUNK];
	struct sha256 sha;
	uint64_t got = 0;
	double t0, dt;
	char hex[65];
	int fd, file;
	ssize_t n;

	if (!o->have_peer || !o->file)
		die("fetch needs -p ADDR:PORT and -F PATH");
	file = open(o->file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (file < 0)
		die("open %s:", o->file);
	fd = connect_peer(o);
	sha256_init(&sha);
	t0 = now();
	phase = "receiving the file";
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0 || (n < 0 && errno == EINTR)) {
		if (n < 0)
			continue;
		if (write(file, buf, n) != n)
			die("write %s:", o->file);
		sha256_update(&sha, buf, n);
		got += n;
		progress += n;
	}
	dt = now() - t0;
	if (n < 0)
		printf("fetch: FAILED after %" PRIu64 " bytes: recv: %s\n", got, errname(errno));
	close(fd);
	if (close(file) < 0)
		die("close %s:", o->file);
	if (n < 0)
		return 1;
	sha256_hex(&sha, hex);
	printf("fetch: ok %s bytes %" PRIu64 " sha256 %s %.2f s %.1f MB/s\n",
	       fmt_addr(&o->peer), got, hex, dt, rate(got, dt));
	return 0;
}

/* ------------------------------------------------------------ refused, reset */

static int refused_client(const struct opts *o)
{
	struct epoll_event ev = { 0 };
	int fd, ep, berr, nerr = 0, soerr = -1, n;
	socklen_t len = sizeof(soerr);
	double t0, bdt;
	bool ok;

	if (!o->have_peer)
		die("refused needs -p ADDR:PORT");
	phase = "blocking connect";
	fd = new_socket(o, false);
	t0 = now();
	berr = connect(fd, sa(o, &o->peer), sizeof(o->peer)) < 0 ? errno : 0;
	bdt = now() - t0;
	close(fd);

	phase = "non-blocking connect";
	fd = new_socket(o, true);
	ep = epoll_new();
	if (connect(fd, sa(o, &o->peer), sizeof(o->peer)) < 0)
		nerr = errno;
	if (nerr == EINPROGRESS) {
		ep_ctl(ep, EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP, NULL);
		n = ep_wait(ep, &ev, 1, o->limit_s * 1000);
		if (n == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
			die("getsockopt SO_ERROR:");
	}
	close(fd);
	close(ep);
	ok = berr == o->want_err && nerr == EINPROGRESS && soerr == o->want_err;
	printf("refused: %s %s: blocking connect: %s (%.2f s); non-blocking connect: %s, epoll %s, SO_ERROR %s\n",
	       ok ? "ok" : "FAILED", fmt_addr(&o->peer), errname(berr), bdt, errname(nerr),
	       nerr == EINPROGRESS ? events_str(ev.events) : "-",
	       soerr < 0 ? "-" : errname(soerr));
	return !ok;
}

static int reset_client(const struct opts *o)
{
	static unsigned char buf[CHUNK];
	int fd, rerr = 0, serr = 0;
	ssize_t n;
	bool ok;

	if (!o->have_peer)
		die("reset needs -p ADDR:PORT");
	if (o->count > CHUNK)
		die("reset: -n at most %d", CHUNK);
	fd = connect_peer(o);
	stream_fill(o->seed * 65536, 0, buf, o->count);
	phase = "sending";
	if (send_all(fd, buf, o->count) < 0) {
		printf("reset: FAILED send: %s before the peer could have closed\n", errname(errno));
		return 1;
	}
	phase = "waiting for the reset";
	do
		n = recv(fd, buf, sizeof(buf), 0);
	while (n < 0 && errno == EINTR);
	rerr = n < 0 ? errno : 0;
	if (!rerr)
		complain("recv returned %zd (%s), not an error", n, n ? "data" : "EOF");
	serr = send(fd, "x", 1, MSG_NOSIGNAL) < 0 ? errno : 0;
	close(fd);
	ok = rerr == ECONNRESET && serr == EPIPE;
	printf("reset: %s sent %lld, the peer closed unread: recv: %s (want ECONNRESET), then send: %s (want EPIPE)\n",
	       ok ? "ok" : "FAILED", o->count, rerr ? errname(rerr) : n ? "data" : "EOF",
	       errname(serr));
	return !ok;
}

/* ------------------------------------------------------------ backlog */

static int backlog_client(const struct opts *o)
{
	static unsigned char out[100], in[100];
	struct epoll_event evs[16];
	struct sockaddr_in ctl_addr;
	int *fds, *state, ep, ctl;
	long e1 = 0, p1 = 0, f1 = 0, e2 = 0, f2 = 0, echoed = 0;
	double t0, t1, dt2;
	bool ok;

	if (!o->have_peer)
		die("backlog needs -p ADDR:PORT");
	fds = calloc(o->conns, sizeof(*fds));
	state = calloc(o->conns, sizeof(*state));
	if (!fds || !state)
		die("out of memory");
	ep = epoll_new();

	/* Phase 1: one connect at a time, each given wait_ms. */
	phase = "connecting while the server does not accept";
	for (int i = 0; i < o->conns; i++) {
		double end;

		fds[i] = new_socket(o, true);
		state[i] = C_CONNECTING;
		if (connect(fds[i], sa(o, &o->peer), sizeof(o->peer)) == 0 || errno != EINPROGRESS) {
			complain("connection %d: non-blocking connect: %s, want EINPROGRESS", i,
				 errname(errno));
			state[i] = C_FAILED;
			continue;
		}
		ep_ctl(ep, EPOLL_CTL_ADD, fds[i], EPOLLOUT, (void *)(intptr_t)i);
		end = now() + o->wait_ms / 1000.0;
		while (state[i] == C_CONNECTING && now() < end) {
			int n = ep_wait(ep, evs, 16, (int)((end - now()) * 1000) + 1);

			for (int k = 0; k < n; k++) {
				int j = (intptr_t)evs[k].data.ptr, err = 0;
				socklen_t len = sizeof(err);

				getsockopt(fds[j], SOL_SOCKET, SO_ERROR, &err, &len);
				state[j] = err ? C_FAILED : C_OPEN;
				if (err)
					complain("connection %d: before accept: SO_ERROR %s", j, errname(err));
				ep_ctl(ep, EPOLL_CTL_DEL, fds[j], 0, NULL);
			}
		}
	}
	for (int i = 0; i < o->conns; i++) {
		e1 += state[i] == C_OPEN;
		p1 += state[i] == C_CONNECTING;
		f1 += state[i] == C_FAILED;
	}

	/* The server accepts once the control port sees a connection. */
	phase = "connecting to the control port";
	ctl_addr = o->peer;
	ctl_addr.sin_port = htons(ntohs(o->peer.sin_port) + 1);
	ctl = new_socket(o, false);
	if (connect(ctl, sa(o, &ctl_addr), sizeof(ctl_addr)) < 0)
		die("connect %s (control):", fmt_addr(&ctl_addr));

	/* Phase 2: the rest complete as their SYNs are retransmitted. */
	phase = "waiting for the rest to connect";
	t0 = now();
	t1 = t0 + o->idle_ms / 1000.0;
	while (now() < t1) {
		long pending = 0;
		int n;

		for (int i = 0; i < o->conns; i++)
			pending += state[i] == C_CONNECTING;
		if (!pending)
			break;
		n = ep_wait(ep, evs, 16, (int)((t1 - now()) * 1000) + 1);
		for (int k = 0; k < n; k++) {
			int j = (intptr_t)evs[k].data.ptr, err = 0;
			socklen_t len = sizeof(err);

			getsockopt(fds[j], SOL_SOCKET, SO_ERROR, &err, &len);
			state[j] = err ? C_FAILED : C_OPEN;
			if (err)
				complain("connection %d: after accept: SO_ERROR %s", j, errname(err));
			ep_ctl(ep, EPOLL_CTL_DEL, fds[j], 0, NULL);
		}
	}
	dt2 = now() - t0;

	/* Every connection carries a message both ways, then ends cleanly. */
	phase = "echoing on each connection";
	for (int i = 0; i < o->conns; i++) {
		ssize_t n;
		size_t got = 0;

		if (state[i] != C_OPEN) {
			if (state[i] == C_CONNECTING)
				complain("connection %d: still not connected %.1f s after the server began to accept",
					 i, dt2);
			close(fds[i]);
			continue;
		}
		e2++;
		set_nonblock(fds[i], false);
		stream_fill(o->seed * 65536 + i, 0, out, sizeof(out));
		if (send_all(fds[i], out, sizeof(out)) < 0) {
			complain("connection %d: send: %s", i, errname(errno));
			f2++;
			close(fds[i]);
			continue;
		}
		while (got < sizeof(in)) {
			n = recv(fds[i], in + got, sizeof(in) - got, 0);
			if (n <= 0)
				break;
			got += n;
		}
		if (got != sizeof(in) || memcmp(in, out, sizeof(in))) {
			complain("connection %d: echo of %zu bytes: got %zu%s", i, sizeof(out), got,
				 got == sizeof(in) ? " that differ" : "");
			f2++;
		} else if (shutdown(fds[i], SHUT_WR) < 0 || recv(fds[i], in, 1, 0) != 0) {
			complain("connection %d: no EOF after SHUT_WR", i);
			f2++;
		} else {
			echoed++;
		}
		close(fds[i]);
	}
	shutdown(ctl, SHUT_WR);
	close(ctl);
	close(ep);
	ok = f1 == 0 && e1 >= 1 && e1 <= o->backlog + 1 && e2 == o->conns && echoed == o->conns;
	printf("backlog: %s connections %d backlog %d: before accept established %ld pending %ld failed %ld (want 1..%d established, none failed); after accept established %ld in %.1f s, echoed %ld\n",
	       ok ? "ok" : "FAILED", o->conns, o->backlog, e1, p1, f1, o->backlog + 1, e2, dt2, echoed);
	free(fds);
	free(state);
	return !ok;
}

/* ------------------------------------------------------------ probe, selftest, stream */

/*
 * probe: does this family have a TCP? A SOCK_STREAM socket that listen()
 * refuses with EOPNOTSUPP has none (netstack before its TCP); anything
 * else counts as one.
 */
static int probe(const struct opts *o)
{
	int fd = socket(o->family, SOCK_STREAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		err = errno;
	else if (listen(fd, 1) < 0 && errno == EOPNOTSUPP)
		err = errno;
	if (fd >= 0)
		close(fd);
	if (err)
		printf("probe: no TCP: %s: %s\n", fd < 0 ? "socket" : "listen", errname(err));
	else
		printf("probe: TCP\n");
	return !!err;
}


static int selftest(void)
{
	static const struct { const char *in; long repeat; const char *hex; } v[] = {
		{ "", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
	};
	static unsigned char buf[1000], buf2[1000];
	struct checker c;
	struct sha256 s;
	char hex[65];
	int bad = 0;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		sha256_init(&s);
		for (long r = 0; r < v[i].repeat; r++)
			sha256_update(&s, v[i].in, strlen(v[i].in));
		sha256_hex(&s, hex);
		if (strcmp(hex, v[i].hex)) {
			complain("SHA-256 vector %zu: %s, want %s", i, hex, v[i].hex);
			bad++;
		}
	}
	/* Any range of the stream is the same bytes however it is cut. */
	stream_fill(42, 0, buf, sizeof(buf));
	for (size_t a = 0; a < 40; a++) {
		stream_fill(42, a, buf2, sizeof(buf) - a);
		if (memcmp(buf + a, buf2, sizeof(buf) - a)) {
			complain("stream from offset %zu differs", a);
			bad++;
		}
	}
	/* A checker finds the seed, accepts the stream, and finds a change. */
	check_init(&c, true);
	for (size_t a = 0; a < sizeof(buf); a += 7)
		check_feed(&c, buf + a, sizeof(buf) - a < 7 ? sizeof(buf) - a : 7);
	if (c.seed != 42 || c.bad >= 0) {
		complain("checker: seed %" PRIu64 ", bad at %" PRId64 " for an intact stream", c.seed, c.bad);
		bad++;
	}
	buf[500] ^= 1;
	check_init(&c, true);
	check_feed(&c, buf, sizeof(buf));
	if (c.bad != 500) {
		complain("checker: a changed byte 500 found at %" PRId64, c.bad);
		bad++;
	}
	printf("selftest: %s\n", bad ? "FAILED" : "ok");
	return !!bad;
}

static int stream_out(const struct opts *o)
{
	static unsigned char buf[CHUNK];
	struct sha256 s;
	uint64_t off = 0;
	char hex[65];

	sha256_init(&s);
	while (off < (uint64_t)o->count) {
		size_t k = o->count - off < CHUNK ? o->count - off : CHUNK;

		stream_fill(o->seed * 65536, off, buf, k);
		sha256_update(&s, buf, k);
		if (fwrite(buf, 1, k, stdout) != k)
			die("writing stdout:");
		off += k;
	}
	if (fflush(stdout))
		die("writing stdout:");
	sha256_hex(&s, hex);
	fprintf(stderr, "stream: bytes %" PRIu64 " sha256 %s\n", off, hex);
	return 0;
}

/* ------------------------------------------------------------ main */

int main(int argc, char **argv)
{
	struct opts o = {
		.family = AF_INET, .count = -1, .more = 1 << 20, .min = 1, .max = 16384,
		.seed = 1, .conns = -1, .backlog = 1, .idle_ms = -1, .wait_ms = -1,
		.limit_s = 120, .dir = "both", .want_err = ECONNREFUSED,
		.user_timeout = -1,
	};
	struct sigaction sa_alarm = { .sa_handler = on_alarm };
	int c;

	setvbuf(stdout, NULL, _IOLBF, 0);
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
	while ((c = getopt(argc, argv, "b:p:n:m:s:S:c:B:i:w:T:d:e:F:vhNW:k:U:")) != -1) {
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
			o.count = number(optarg, 0, 1LL << 40, "count");
			break;
		case 'm':
			o.more = number(optarg, 0, 1LL << 40, "byte count");
			break;
		case 's':
			colon = strchr(optarg, ':');
			if (colon)
				*colon = 0;
			o.min = number(optarg, 1, MAX_MSG, "size");
			o.max = colon ? number(colon + 1, o.min, MAX_MSG, "size") : o.min;
			break;
		case 'S':
			o.seed = number(optarg, 0, 0x7fffffff, "seed");
			break;
		case 'c':
			o.conns = number(optarg, 1, 100000, "connections");
			break;
		case 'B':
			o.backlog = number(optarg, 0, 65535, "backlog");
			break;
		case 'i':
			o.idle_ms = number(optarg, 1, 3600000, "idle time");
			break;
		case 'w':
			o.wait_ms = number(optarg, 0, 3600000, "wait");
			break;
		case 'T':
			o.limit_s = number(optarg, 1, 86400, "time limit");
			break;
		case 'd':
			o.dir = optarg;
			break;
		case 'F':
			o.file = optarg;
			break;
		case 'e':
			o.want_err = errno_of(optarg);
			if (o.want_err < 0)
				die("-e %s: not an errno name", optarg);
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'N':
			o.nodelay = true;
			break;
		case 'W':
			o.write_size = number(optarg, 1, CHUNK, "write size");
			break;
		case 'k':
			if (sscanf(optarg, "%d:%d:%d", &o.keepalive[0], &o.keepalive[1],
				   &o.keepalive[2]) != 3 || o.keepalive[0] < 1)
				usage(2);
			break;
		case 'U':
			o.user_timeout = number(optarg, 0, 3600000, "user timeout");
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

	if (!strcmp(mode, "echo-server") || !strcmp(mode, "sink-server") ||
	    !strcmp(mode, "source-server") || !strcmp(mode, "halfclose-server") ||
	    !strcmp(mode, "unread-server") || !strcmp(mode, "backlog-server")) {
		static const struct { const char *name; enum kind kind; } k[] = {
			{ "echo-server", ECHO }, { "sink-server", SINK },
			{ "source-server", SOURCE }, { "halfclose-server", HALFCLOSE },
			{ "unread-server", UNREAD }, { "backlog-server", ECHO },
		};
		size_t i = 0;

		while (strcmp(k[i].name, mode))
			i++;
		if (o.count < 0)
			o.count = 0;
		if (o.idle_ms < 0)
			o.idle_ms = 60000;
		if (o.wait_ms < 0)
			o.wait_ms = 0;
		return serve(&o, k[i].kind, !strcmp(mode, "backlog-server"));
	}
	if (!strcmp(mode, "echo")) {
		if (o.count < 0)
			o.count = 100;
		return echo_client(&o);
	}
	if (!strcmp(mode, "send")) {
		if (o.count < 0)
			o.count = 1 << 20;
		return send_client(&o);
	}
	if (!strcmp(mode, "recv"))
		return recv_client(&o);
	if (!strcmp(mode, "halfclose")) {
		if (o.count < 0)
			o.count = 1000;
		return halfclose_client(&o);
	}
	if (!strcmp(mode, "concurrent") || !strcmp(mode, "nbconnect")) {
		bool nb = !strcmp(mode, "nbconnect");

		if (o.conns < 0)
			o.conns = nb ? 1 : 10;
		if (o.count < 0)
			o.count = nb ? 10000 : 1 << 20;
		return conns_client(&o);
	}
	if (!strcmp(mode, "file-server")) {
		if (o.count < 0)
			o.count = 1;
		return file_server(&o);
	}
	if (!strcmp(mode, "fetch"))
		return fetch_client(&o);
	if (!strcmp(mode, "refused"))
		return refused_client(&o);
	if (!strcmp(mode, "reset")) {
		if (o.count < 0)
			o.count = 1000;
		return reset_client(&o);
	}
	if (!strcmp(mode, "backlog")) {
		if (o.conns < 0)
			o.conns = 8;
		if (o.wait_ms < 0)
			o.wait_ms = 500;
		if (o.idle_ms < 0)
			o.idle_ms = 30000;
		return backlog_client(&o);
	}
	if (!strcmp(mode, "hold")) {
		if (o.count < 0)
			o.count = 0;
		return hold_client(&o);
	}
	if (!strcmp(mode, "probe"))
		return probe(&o);
	if (!strcmp(mode, "selftest"))
		return selftest();
	if (!strcmp(mode, "stream")) {
		if (o.count < 0)
			o.count = 1 << 20;
		return stream_out(&o);
	}
	fprintf(stderr, "%s: unknown mode '%s'\n", prog, mode);
	usage(2);
}
