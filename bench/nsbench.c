// SPDX-License-Identifier: GPL-2.0
/*
 * nsbench - netstack's benchmark program. The same code measures netstack
 * (AF_NETSTACK) or Linux (AF_INET), chosen by -f, against a Linux peer, so
 * that bench/run can hold the two side by side over identical veth pairs.
 *
 *   nsbench [-f inet|netstack] MODE [OPTIONS]
 *
 * The peer is "nsbench -f inet serve -b ADDR": one epoll loop serving every
 * benchmark at once, on fixed ports of ADDR (-P moves the base, 5201):
 *   TCP base+0  discard  read to EOF, then close
 *   TCP base+1  source   send until the client sends a byte (or EOF), then
 *                        SHUT_WR; close at the client's EOF
 *   TCP base+2  echo     send back what arrives; close at EOF
 *   TCP base+3  rr1      read a request, answer one byte and close: the
 *                        server closes first, so that TIME-WAIT stays with
 *                        the peer and the client never runs out of ports
 *   UDP base+10 echo     send every datagram back
 *   UDP base+11 sink     count the datagrams of the current run; answer a
 *                        query with the count
 *
 * Clients run on the stack under test, -p ADDR being the peer, for -t
 * SECONDS, and print one line
 *   result mode=MODE key=value ...
 * or, when a call fails, what they had, then "error=ENAME what=\"...\"",
 * with exit status 1 (2: usage, 3: the time limit -T ran out):
 *   tcp-send     bulk to discard, 64 KiB writes: MBps (bytes written /
 *                time until the peer's EOF, which it sends once it read
 *                everything), cpu_s_per_GB
 *   tcp-recv     bulk from source, 64 KiB reads: MBps, cpu_s_per_GB
 *   tcp-rr       1-byte request/response on one TCP_NODELAY connection:
 *                tps, p50_us, p99_us, cpu_us_per_tx
 *   tcp-crr      connect, 1 byte each way, the peer closes, close (one
 *                connection after the other): cps, p50_us, p99_us,
 *                cpu_us_per_conn
 *   udp-rr       1-byte datagram request/response (a lost one is sent
 *                again after 1 s and counted in timeouts): tps, p50_us,
 *                p99_us, cpu_us_per_tx
 *   udp-stream   -s SIZE (default 64) datagrams to sink on a connected
 *                socket as fast as send() takes them: tx_kpps, rx_kpps
 *                (what the sink counted), rx_MBps, loss_pct,
 *                cpu_us_per_dgram (per datagram sent); the mode is
 *                reported as udp-stream-SIZE
 *   idle-conns   -n N connections (64 connecting at a time), each echoes
 *                one byte, then all are held idle while the kernel's memory
 *                is read; then reset (SO_LINGER 0): kB_per_conn_pair,
 *                slab_kB_per_conn_pair (see mem_kernel()), open_s
 *
 * Times are real time, from the TSC ("clocks" below says why). CPU
 * figures are the busy time of all CPUs together: the busy share of the
 * ticks in /proc/stat (user + nice + system + irq + softirq + steal) over
 * the measured interval, times the CPUs, times its real length. The
 * stacks do most of their work in softirq and workqueues, not in the
 * calling process, so only the whole system's time tells; it includes the
 * peer's (the same Linux in both set-ups) and anything else running.
 *
 *   nsbench report RAW [-j JSON]
 * aggregates what bench/run collected (RAW: lines "SETTING FAMILY RUN
 * result mode=..." and "meta key=value ..."): median, min and max per
 * metric and family, the ratio of the medians netstack/Linux and the
 * median ratio over the pairs of runs made back to back, printed as a
 * table and written as JSON, with the failed runs and, per setting, how
 * much of the real time the guest's clock counted.
 *
 *   nsbench tsc-mhz
 * prints the TSC's rate measured against CLOCK_MONOTONIC_RAW (on the host;
 * bench/run --vm hands it to the guest).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/netstack.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#define CHUNK		65536		/* one bulk read or write */
#define SRV_BUF		(256 * 1024)	/* the server's read buffer */
#define LISTEN_BACKLOG	4096
#define SRV_BATCH	16		/* reads or writes per event, then epoll again */
#define IDLE_INFLIGHT	64		/* idle-conns: connects at a time */
#define UDP_MAX		65507

enum {
	OFF_DISCARD, OFF_SOURCE, OFF_ECHO, OFF_RR1,
	OFF_UDP_ECHO = 10, OFF_UDP_SINK = 11,
};

/* The sink's datagrams: a header, then padding up to the size. */
#define UDP_DATA	0x6e736264u	/* "nsbd" */
#define UDP_QUERY	0x6e736271u	/* "nsbq" */
#define UDP_REPLY	0x6e736272u	/* "nsbr" */
struct udp_hdr {
	uint32_t magic;
	uint32_t run;
	uint64_t seq;
};

struct udp_reply {
	uint32_t magic;
	uint32_t run;
	uint64_t count;
	uint64_t bytes;
};

static const char *prog = "nsbench";
static char mode[32] = "?";
static int family = AF_INET;
static const char *family_name = "inet";
static struct in_addr peer_ip, bind_ip;
static bool have_peer, have_bind;
static int base_port = 5201;
static double secs = 2;
static long dgram_size = 64;
static long nconns = 1000;
static int limit_s;

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
"usage: %s [-f inet|netstack] MODE [OPTIONS]\n"
"\n"
"  -f inet|netstack   socket family (default inet); netstack's number is read\n"
"                     from /sys/module/netstack/parameters/family\n"
"  -N NETNS           run in network namespace NETNS (a name in /run/netns, or\n"
"                     a path), as \"ip netns exec\" would, without its exec\n"
"  -P PORT            the base port of the peer's services (default 5201)\n"
"  -T SECONDS         time limit of the whole run (default 3 x -t + 60)\n"
"  -H MHZ             the TSC's rate (default: cpu MHz of /proc/cpuinfo)\n"
"  -C CPUS            run on these CPUs only (a list: 0 or 0,1)\n"
"\n"
"Peer:    serve -b ADDR           every service on ADDR, until killed\n"
"Clients: -p ADDR (the peer), -t SECONDS (default 2, decimals allowed):\n"
"  tcp-send | tcp-recv | tcp-rr | tcp-crr | udp-rr\n"
"  udp-stream [-s SIZE]           datagrams of SIZE bytes (16..%d, default 64)\n"
"  idle-conns [-n N]              N connections held idle (default 1000)\n"
"Report:  report RAW [-j JSON]    table and JSON from bench/run's raw results\n"
"Clock:   tsc-mhz                 the TSC's rate against CLOCK_MONOTONIC_RAW\n",
		prog, UDP_MAX);
	exit(status);
}

/* ------------------------------------------------------------ results */

static char res[2048];
static size_t res_len;

static void __attribute__((format(printf, 2, 3))) res_add(const char *key, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (res_len >= sizeof(res) - 1)
		return;
	n = snprintf(res + res_len, sizeof(res) - res_len, " %s=", key);
	if (n < 0 || (size_t)n >= sizeof(res) - res_len)
		return;
	res_len += n;
	va_start(ap, fmt);
	n = vsnprintf(res + res_len, sizeof(res) - res_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		res_len += (size_t)n < sizeof(res) - res_len ? (size_t)n : sizeof(res) - res_len - 1;
}

static void res_print(void)
{
	printf("result mode=%s%s\n", mode, res);
	fflush(stdout);
}

static const char *errname(int err)
{
	return strerrorname_np(err) ?: "E?";
}

/*
 * fail: a call failed (ERR, an errno) while WHAT: the result line says so,
 * with what was measured until then, and the run ends with status 1.
 */
static void __attribute__((format(printf, 2, 3), noreturn)) fail(int err, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	for (char *p = what; *p; p++)
		if (*p == '"' || *p == '\n')
			*p = '\'';
	fprintf(stderr, "%s: %s (%s): %s: %s (%s)\n", prog, mode, family_name, what,
		errname(err), strerror(err));
	printf("result mode=%s%s error=%s what=\"%s\"\n", mode, res, errname(err), what);
	fflush(stdout);
	exit(1);
}

/* The time limit: the alarm's line is made before it is armed. */
static char alarm_msg[160];
static size_t alarm_len;

static void on_alarm(int sig)
{
	ssize_t r;

	(void)sig;
	r = write(STDOUT_FILENO, alarm_msg, alarm_len);
	(void)r;
	_exit(3);
}

static void arm_limit(int seconds)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	snprintf(alarm_msg, sizeof(alarm_msg),
		 "\nresult mode=%s error=ETIME what=\"time limit of %d s ran out\"\n",
		 mode, seconds);
	alarm_len = strlen(alarm_msg);
	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

/* ------------------------------------------------------------ clocks */

/*
 * Time is measured with the TSC. The perf guest's clock source is a
 * jiffies clock (under TCG the kernel finds the TSC unstable and there is
 * no HPET): its 1 ms steps cannot time a round trip, and it loses the
 * ticks the emulated CPU misses while the host runs something else, so
 * that on a busy host a guest "second" lasts up to twice as long as a
 * real one (measured: 8 to 48 % lost over 3-second runs). The TSC is the
 * host's, runs in real time and agrees between the vCPUs; its rate is
 * measured on the host ("nsbench tsc-mhz", against CLOCK_MONOTONIC_RAW)
 * and given with -H MHZ (bench/run --vm does), else taken from "cpu MHz"
 * of /proc/cpuinfo, the guest kernel's calibration at boot (which fails
 * at times under emulation: "tsc: Unable to calibrate against PIT").
 * Each result also says how much of the run's real time the guest's own
 * clock counted (guest_clock_pct).
 */
static double tsc_hz = 1e9;

static inline uint64_t ticks(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __rdtsc();
#else
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
#endif
}

/* CLOCK_MONOTONIC: the guest's own clock, for sleeps and comparison. */
static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Real time in seconds, from the TSC. */
static double now(void)
{
	return ticks() / tsc_hz;
}

static void clock_init(double mhz)
{
#if defined(__x86_64__) || defined(__i386__)
	char line[256];
	FILE *f;

	if (mhz <= 0 && (f = fopen("/proc/cpuinfo", "r"))) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "cpu MHz : %lf", &mhz) == 1)
				break;
		fclose(f);
	}
	if (mhz <= 0) {
		fprintf(stderr, "%s: no TSC rate (-H MHZ, or cpu MHz in /proc/cpuinfo)\n", prog);
		exit(2);
	}
	tsc_hz = mhz * 1e6;
#else
	(void)mhz;
#endif
}

/*
 * tsc-mhz: the TSC's rate against CLOCK_MONOTONIC_RAW over half a second,
 * on the host (whose clock is sound): a TCG guest's TSC is the host's.
 * Each end is the (TSC, clock) pair read closest together of several.
 */
static void tsc_pair(uint64_t *k, double *t)
{
	double best = 1;

	for (int i = 0; i < 50; i++) {
		struct timespec a, b;
		uint64_t x;
		double gap;

		clock_gettime(CLOCK_MONOTONIC_RAW, &a);
		x = ticks();
		clock_gettime(CLOCK_MONOTONIC_RAW, &b);
		gap = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
		if (gap < best) {
			best = gap;
			*k = x;
			*t = a.tv_sec + a.tv_nsec / 1e9 + gap / 2;
		}
	}
}

static int tsc_mhz(void)
{
	uint64_t k0, k1;
	double t0, t1;
	struct timespec ts = { 0, 500000000 };

	tsc_pair(&k0, &t0);
	nanosleep(&ts, NULL);
	tsc_pair(&k1, &t1);
	printf("%.3f\n", (k1 - k0) / (t1 - t0) / 1e6);
	return 0;
}

static void nap(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Busy and total time of all CPUs, in clock ticks, from /proc/stat. */
struct cpu_sample {
	unsigned long long busy, all;
};

static void cpu_read(struct cpu_sample *c)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");

	c->busy = c->all = 0;
	if (!f)
		return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) >= 4) {
		/* user nice system idle iowait irq softirq steal */
		c->busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
		c->all = c->busy + v[3] + v[4];
	}
	fclose(f);
}

static long ncpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? n : 1;
}

/*
 * A measured interval: real time from the TSC, the guest's clock, and the
 * CPUs' busy and total ticks.
 */
struct span {
	uint64_t k0, k1;
	double m0, m1;
	struct cpu_sample c0, c1;
};

static void span_start(struct span *s)
{
	cpu_read(&s->c0);
	s->m0 = mono();
	s->k0 = ticks();
}

static void span_end(struct span *s)
{
	s->k1 = ticks();
	s->m1 = mono();
	cpu_read(&s->c1);
}

static double span_secs(const struct span *s)
{
	return (s->k1 - s->k0) / tsc_hz;
}

/* The busy share of all CPUs' ticks over the span (0..1). */
static double span_busy(const struct span *s)
{
	unsigned long long all = s->c1.all - s->c0.all;

	return all ? (double)(s->c1.busy - s->c0.busy) / all : 0;
}

/*
 * CPU-seconds spent over the span: the busy share of the ticks (a
 * starved guest loses busy and idle ticks alike) times the CPUs times the
 * real time.
 */
static double span_cpu_s(const struct span *s)
{
	return span_busy(s) * ncpus() * span_secs(s);
}

static void span_report(const struct span *s)
{
	double secs_ = span_secs(s);

	res_add("secs", "%.3f", secs_);
	res_add("cpu_busy_s", "%.3f", span_cpu_s(s));
	res_add("cpu_pct", "%.0f", 100 * span_busy(s) * ncpus());
	res_add("guest_clock_pct", "%.1f", secs_ > 0 ? 100 * (s->m1 - s->m0) / secs_ : 0);
	res_add("tsc_MHz", "%.3f", tsc_hz / 1e6);
}

/* ------------------------------------------------------------ latencies */

struct lat {
	uint64_t *v;		/* ticks per transaction */
	size_t n, cap;
	uint64_t backwards;	/* samples where the TSC went back: dropped */
};

static void lat_add(struct lat *l, uint64_t from, uint64_t to)
{
	if ((int64_t)(to - from) < 0) {
		l->backwards++;
		return;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 65536;
		uint64_t *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return;		/* the percentiles then rest on fewer */
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = to - from;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The P-th fraction's value (nearest rank) of N sorted values. */
static uint64_t pct(const uint64_t *v, size_t n, double p)
{
	size_t i;

	if (!n)
		return 0;
	i = (size_t)(p * n + 0.999999);
	if (i < 1)
		i = 1;
	if (i > n)
		i = n;
	return v[i - 1];
}

/* The percentiles, in microseconds. */
static void lat_report(struct lat *l)
{
	double per_us = tsc_hz / 1e6;

	qsort(l->v, l->n, sizeof(*l->v), cmp_u64);
	res_add("p50_us", "%.1f", pct(l->v, l->n, 0.50) / per_us);
	res_add("p99_us", "%.1f", pct(l->v, l->n, 0.99) / per_us);
	res_add("max_us", "%.1f", l->n ? l->v[l->n - 1] / per_us : 0);
	if (l->backwards)
		res_add("tsc_backwards", "%" PRIu64, l->backwards);
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

static const char *family_label(void)
{
	return family == AF_INET ? "AF_INET" : "AF_NETSTACK";
}

static struct sockaddr_in sin_of(struct in_addr ip, int port)
{
	struct sockaddr_in sin = { 0 };

	sin.sin_family = family;
	sin.sin_port = htons(port);
	sin.sin_addr = ip;
	return sin;
}

static int set_int(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
}

/* A blocking TCP connection to the peer's PORT; -1 with errno set. */
static int tcp_connect(int port, bool nodelay)
{
	struct sockaddr_in sin = sin_of(peer_ip, port);
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), err;

	if (fd < 0)
		return -1;
	if ((nodelay && set_int(fd, IPPROTO_TCP, TCP_NODELAY, 1) < 0) ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static int udp_connect(int port)
{
	struct sockaddr_in sin = sin_of(peer_ip, port);
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0), err;

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* read(2) until LEN bytes or EOF: the bytes read, or -1 with errno. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += n;
	}
	return got;
}

/* Read and drop everything until EOF: 0, or -1 with errno. */
static int drain_to_eof(int fd)
{
	static char buf[CHUNK];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n;
	}
}

static void raise_nofile(long want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur >= (rlim_t)want)
		return;
	rl.rlim_cur = rl.rlim_max = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		fprintf(stderr, "%s: setrlimit(RLIMIT_NOFILE, %ld): %s\n", prog, want,
			strerror(errno));
}

/* ------------------------------------------------------------ the peer */

enum kind { K_DISCARD, K_SOURCE, K_ECHO, K_RR1, K_UDP_ECHO, K_UDP_SINK };
enum tag { T_LISTEN, T_UDP, T_CONN };

struct ep_obj {
	enum tag tag;
	enum kind kind;
	int fd;
};

struct sconn {
	struct ep_obj o;
	bool stopped;		/* source: the client asked it to stop */
	unsigned char *pend;	/* echo: what the socket did not take yet */
	size_t plen;
	struct sconn *next_dead;
};

static int srv_ep;
static unsigned char *srv_buf;
static struct sconn *srv_dead;	/* closed in this batch, freed after it */
static uint32_t sink_run;
static uint64_t sink_count, sink_bytes;

static void ep_set(int op, struct ep_obj *o, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = o };

	if (epoll_ctl(srv_ep, op, o->fd, &ev) < 0) {
		fprintf(stderr, "%s: serve: epoll_ctl: %s\n", prog, strerror(errno));
		exit(2);
	}
}

static void srv_close(struct sconn *c)
{
	if (c->o.fd < 0)
		return;
	close(c->o.fd);
	c->o.fd = -1;
	c->next_dead = srv_dead;
	srv_dead = c;
}

static void srv_accept(struct ep_obj *l)
{
	for (;;) {
		int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct sconn *c;
		uint32_t ev = EPOLLIN;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN)
				fprintf(stderr, "%s: serve: accept: %s\n", prog, strerror(errno));
			return;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->o = (struct ep_obj){ T_CONN, l->kind, fd };
		if (l->kind == K_ECHO || l->kind == K_RR1)
			set_int(fd, IPPROTO_TCP, TCP_NODELAY, 1);
		if (l->kind == K_SOURCE)
			ev |= EPOLLOUT;
		ep_set(EPOLL_CTL_ADD, &c->o, ev);
	}
}

/* echo: send what is pending; true when all went. */
static bool srv_flush(struct sconn *c)
{
	while (c->plen) {
		ssize_t n = write(c->o.fd, c->pend, c->plen);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return false;
		if (n <= 0) {
			srv_close(c);
			return false;
		}
		memmove(c->pend, c->pend + n, c->plen - n);
		c->plen -= n;
	}
	free(c->pend);
	c->pend = NULL;
	return true;
}

static void srv_conn(struct sconn *c, uint32_t ev)
{
	ssize_t n;

	switch (c->o.kind) {
	case K_DISCARD:
		/* (at most SRV_BATCH reads: back to epoll, so that nothing starves) */
		for (int i = 0; i < SRV_BATCH; i++) {
			n = read(c->o.fd, srv_buf, SRV_BUF);
			if (n > 0)
				continue;
			if (n == 0 || errno != EAGAIN)
				srv_close(c);
			return;
		}
		return;
	case K_SOURCE:
		if (ev & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
			n = read(c->o.fd, srv_buf, SRV_BUF);
			if (n >= 0 || errno != EAGAIN) {
				if (!c->stopped) {
					c->stopped = true;
					shutdown(c->o.fd, SHUT_WR);
					ep_set(EPOLL_CTL_MOD, &c->o, EPOLLIN);
				}
				if (n <= 0) {
					srv_close(c);
					return;
				}
			}
		}
		if ((ev & EPOLLOUT) && !c->stopped) {
			/*
			 * At most SRV_BATCH writes: a reader as fast as the
			 * writer (on the same CPU, say) keeps the socket
			 * writable, and the stop request must still be read.
			 */
			for (int i = 0; i < SRV_BATCH; i++) {
				n = write(c->o.fd, srv_buf, CHUNK);
				if (n > 0)
					continue;
				if (n < 0 && errno == EAGAIN)
					break;
				srv_close(c);	/* EPIPE, ECONNRESET */
				return;
			}
		}
		return;
	case K_ECHO:
		if (c->pend) {
			if (!srv_flush(c))
				return;
			ep_set(EPOLL_CTL_MOD, &c->o, EPOLLIN);
		}
		for (int i = 0; i < SRV_BATCH; i++) {
			ssize_t w;

			n = read(c->o.fd, srv_buf, SRV_BUF);
			if (n < 0 && errno == EAGAIN)
				return;
			if (n <= 0) {
				srv_close(c);
				return;
			}
			w = write(c->o.fd, srv_buf, n);
			if (w < 0 && errno == EAGAIN)
				w = 0;
			if (w < 0) {
				srv_close(c);
				return;
			}
			if (w < n) {
				c->pend = malloc(n - w);
				if (!c->pend) {
					srv_close(c);
					return;
				}
				memcpy(c->pend, srv_buf + w, n - w);
				c->plen = n - w;
				ep_set(EPOLL_CTL_MOD, &c->o, EPOLLOUT);
				return;
			}
		}
		return;
	case K_RR1:
		n = read(c->o.fd, srv_buf, SRV_BUF);
		if (n < 0 && errno == EAGAIN)
			return;
		if (n > 0 && write(c->o.fd, "r", 1) != 1)
			fprintf(stderr, "%s: serve: rr1 answer: %s\n", prog, strerror(errno));
		srv_close(c);
		return;
	default:
		return;
	}
}

static void srv_udp(struct ep_obj *u)
{
	for (;;) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(u->fd, srv_buf, SRV_BUF, MSG_DONTWAIT,
				     (struct sockaddr *)&from, &fl);
		struct udp_hdr h;

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				fprintf(stderr, "%s: serve: udp recv: %s\n", prog, strerror(errno));
			if (errno != EINTR)
				return;
			continue;
		}
		if (u->kind == K_UDP_ECHO) {
			if (sendto(u->fd, srv_buf, n, 0, (struct sockaddr *)&from, fl) < 0)
				fprintf(stderr, "%s: serve: udp echo: %s\n", prog, strerror(errno));
			continue;
		}
		if ((size_t)n < sizeof(h))
			continue;
		memcpy(&h, srv_buf, sizeof(h));
		if (h.magic == UDP_DATA) {
			if (h.run != sink_run) {
				sink_run = h.run;
				sink_count = sink_bytes = 0;
			}
			sink_count++;
			sink_bytes += n;
		} else if (h.magic == UDP_QUERY) {
			struct udp_reply r = { UDP_REPLY, h.run, 0, 0 };

			if (h.run == sink_run) {
				r.count = sink_count;
				r.bytes = sink_bytes;
			}
			if (sendto(u->fd, &r, sizeof(r), 0, (struct sockaddr *)&from, fl) < 0)
				fprintf(stderr, "%s: serve: udp reply: %s\n", prog, strerror(errno));
		}
	}
}

static int serve(void)
{
	static struct ep_obj objs[6];
	static const struct { enum kind kind; int off; int type; } svc[] = {
		{ K_DISCARD, OFF_DISCARD, SOCK_STREAM }, { K_SOURCE, OFF_SOURCE, SOCK_STREAM },
		{ K_ECHO, OFF_ECHO, SOCK_STREAM }, { K_RR1, OFF_RR1, SOCK_STREAM },
		{ K_UDP_ECHO, OFF_UDP_ECHO, SOCK_DGRAM }, { K_UDP_SINK, OFF_UDP_SINK, SOCK_DGRAM },
	};
	struct epoll_event evs[256];
	unsigned int i;

	if (!have_bind) {
		fprintf(stderr, "%s: serve needs -b ADDR\n", prog);
		usage(2);
	}
	raise_nofile(1 << 17);
	signal(SIGPIPE, SIG_IGN);
	srv_buf = malloc(SRV_BUF);
	srv_ep = epoll_create1(EPOLL_CLOEXEC);
	if (!srv_buf || srv_ep < 0) {
		fprintf(stderr, "%s: serve: setup: %s\n", prog, strerror(errno));
		return 2;
	}
	memset(srv_buf, 'x', SRV_BUF);
	for (i = 0; i < sizeof(svc) / sizeof(svc[0]); i++) {
		struct sockaddr_in sin = sin_of(bind_ip, base_port + svc[i].off);
		int fd = socket(family, svc[i].type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

		if (fd < 0 || set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1) < 0 ||
		    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
		    (svc[i].type == SOCK_STREAM && listen(fd, LISTEN_BACKLOG) < 0)) {
			fprintf(stderr, "%s: serve: %s port %d: %s\n", prog,
				svc[i].type == SOCK_STREAM ? "TCP" : "UDP",
				base_port + svc[i].off, strerror(errno));
			return 2;
		}
		objs[i] = (struct ep_obj){ svc[i].type == SOCK_STREAM ? T_LISTEN : T_UDP,
					   svc[i].kind, fd };
		ep_set(EPOLL_CTL_ADD, &objs[i], EPOLLIN);
	}
	printf("listening %s ports %d-%d (TCP), %d-%d (UDP)\n", inet_ntoa(bind_ip), base_port,
	       base_port + OFF_RR1, base_port + OFF_UDP_ECHO, base_port + OFF_UDP_SINK);
	fflush(stdout);

	for (;;) {
		int n = epoll_wait(srv_ep, evs, sizeof(evs) / sizeof(evs[0]), -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "%s: serve: epoll_wait: %s\n", prog, strerror(errno));
			return 2;
		}
		for (int k = 0; k < n; k++) {
			struct ep_obj *o = evs[k].data.ptr;

			if (o->tag == T_LISTEN)
				srv_accept(o);
			else if (o->tag == T_UDP)
				srv_udp(o);
			else if (o->fd >= 0)
				srv_conn((struct sconn *)o, evs[k].events);
		}
		while (srv_dead) {
			struct sconn *c = srv_dead;

			srv_dead = c->next_dead;
			free(c->pend);
			free(c);
		}
	}
}

/* ------------------------------------------------------------ clients */

static void need_peer(void)
{
	if (!have_peer) {
		fprintf(stderr, "%s: %s needs -p ADDR (the peer)\n", prog, mode);
		usage(2);
	}
}

static int tcp_send(void)
{
	static char buf[CHUNK];
	struct span sp;
	uint64_t bytes = 0;
	double end;
	int fd;

	memset(buf, 's', sizeof(buf));
	fd = tcp_connect(base_port + OFF_DISCARD, false);
	if (fd < 0)
		fail(errno, "connect to the discard port");
	span_start(&sp);
	end = now() + secs;
	do {
		ssize_t n = write(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			res_add("bytes", "%" PRIu64, bytes);
			fail(n < 0 ? errno : EIO, "write after %" PRIu64 " bytes", bytes);
		}
		bytes += n;
	} while (now() < end);
	/* The peer closes once it has read everything. */
	if (shutdown(fd, SHUT_WR) < 0)
		fail(errno, "shutdown(SHUT_WR)");
	if (drain_to_eof(fd) < 0)
		fail(errno, "waiting for the peer's EOF");
	span_end(&sp);
	close(fd);
	res_add("bytes", "%" PRIu64, bytes);
	res_add("MBps", "%.2f", bytes / span_secs(&sp) / 1e6);
	res_add("cpu_s_per_GB", "%.3f", bytes ? span_cpu_s(&sp) / (bytes / 1e9) : 0);
	span_report(&sp);
	res_print();
	return 0;
}

static int tcp_recv(void)
{
	static char buf[CHUNK];
	struct span sp;
	uint64_t bytes = 0;
	double end;
	int fd;

	fd = tcp_connect(base_port + OFF_SOURCE, false);
	if (fd < 0)
		fail(errno, "connect to the source port");
	span_start(&sp);
	end = now() + secs;
	do {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			res_add("bytes", "%" PRIu64, bytes);
			fail(n < 0 ? errno : EPIPE, n < 0 ? "read after %" PRIu64 " bytes" :
			     "early EOF after %" PRIu64 " bytes", bytes);
		}
		bytes += n;
	} while (now() < end);
	span_end(&sp);
	/* Ask the source to stop; it shuts down, we read to its EOF. */
	if (write(fd, "x", 1) != 1)
		fail(errno, "asking the source to stop");
	if (drain_to_eof(fd) < 0)
		fail(errno, "reading to the source's EOF");
	close(fd);
	res_add("bytes", "%" PRIu64, bytes);
	res_add("MBps", "%.2f", bytes / span_secs(&sp) / 1e6);
	res_add("cpu_s_per_GB", "%.3f", bytes ? span_cpu_s(&sp) / (bytes / 1e9) : 0);
	span_report(&sp);
	res_print();
	return 0;
}

static int tcp_rr(void)
{
	struct span sp;
	struct lat lat = { 0 };
	uint64_t n = 0, k, end;
	char b = 'q';
	int fd;

	fd = tcp_connect(base_port + OFF_ECHO, true);
	if (fd < 0)
		fail(errno, "connect to the echo port");
	span_start(&sp);
	k = sp.k0;
	end = k + (uint64_t)(secs * tsc_hz);
	do {
		uint64_t k2;
		ssize_t r;

		if (write(fd, &b, 1) != 1)
			fail(errno, "request %" PRIu64, n + 1);
		r = read_full(fd, &b, 1);
		if (r != 1)
			fail(r < 0 ? errno : EPIPE, "response %" PRIu64 "%s", n + 1,
			     r == 0 ? " (EOF)" : "");
		k2 = ticks();
		lat_add(&lat, k, k2);
		k = k2;
		n++;
	} while (k < end);
	span_end(&sp);
	if (shutdown(fd, SHUT_WR) < 0 || drain_to_eof(fd) < 0)
		fail(errno, "closing");
	close(fd);
	res_add("transactions", "%" PRIu64, n);
	res_add("tps", "%.1f", n / span_secs(&sp));
	lat_report(&lat);
	res_add("cpu_us_per_tx", "%.2f", span_cpu_s(&sp) * 1e6 / n);
	span_report(&sp);
	res_print();
	free(lat.v);
	return 0;
}

static int tcp_crr(void)
{
	struct span sp;
	struct lat lat = { 0 };
	uint64_t n = 0, k, end;
	char b;

	span_start(&sp);
	k = sp.k0;
	end = k + (uint64_t)(secs * tsc_hz);
	do {
		uint64_t k2;
		ssize_t r;
		int fd = tcp_connect(base_port + OFF_RR1, true);

		if (fd < 0) {
			res_add("connections", "%" PRIu64, n);
			fail(errno, "connect %" PRIu64, n + 1);
		}
		if (write(fd, "q", 1) != 1) {
			res_add("connections", "%" PRIu64, n);
			fail(errno, "request on connection %" PRIu64, n + 1);
		}
		r = read_full(fd, &b, 1);
		if (r != 1) {
			res_add("connections", "%" PRIu64, n);
			fail(r < 0 ? errno : EPIPE, "response on connection %" PRIu64 "%s",
			     n + 1, r == 0 ? " (EOF)" : "");
		}
		r = read(fd, &b, 1);
		if (r != 0) {
			res_add("connections", "%" PRIu64, n);
			fail(r < 0 ? errno : EPROTO, "waiting for the peer's close on connection %"
			     PRIu64, n + 1);
		}
		close(fd);
		k2 = ticks();
		lat_add(&lat, k, k2);
		k = k2;
		n++;
	} while (k < end);
	span_end(&sp);
	res_add("connections", "%" PRIu64, n);
	res_add("cps", "%.1f", n / span_secs(&sp));
	lat_report(&lat);
	res_add("cpu_us_per_conn", "%.1f", span_cpu_s(&sp) * 1e6 / n);
	span_report(&sp);
	res_print();
	free(lat.v);
	return 0;
}

static int udp_rr(void)
{
	struct timeval tv = { 1, 0 };
	struct span sp;
	struct lat lat = { 0 };
	uint64_t n = 0, timeouts = 0, k, end;
	char b = 'q';
	int fd;

	fd = udp_connect(base_port + OFF_UDP_ECHO);
	if (fd < 0)
		fail(errno, "UDP socket connected to the echo port");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		fail(errno, "SO_RCVTIMEO");
	span_start(&sp);
	k = sp.k0;
	end = k + (uint64_t)(secs * tsc_hz);
	do {
		uint64_t k2;
		ssize_t r;

		if (send(fd, &b, 1, 0) != 1)
			fail(errno, "request %" PRIu64, n + 1);
		r = recv(fd, &b, 1, 0);
		if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (++timeouts > 10) {
				res_add("transactions", "%" PRIu64, n);
				fail(ETIMEDOUT, "more than 10 requests unanswered (1 s each)");
			}
			/* A late answer would pair with the next request: drop it. */
			while (recv(fd, &b, 1, MSG_DONTWAIT) > 0)
				;
			k = ticks();
			continue;
		}
		if (r != 1)
			fail(r < 0 ? errno : EMSGSIZE, "response %" PRIu64, n + 1);
		k2 = ticks();
		lat_add(&lat, k, k2);
		k = k2;
		n++;
	} while (k < end);
	span_end(&sp);
	close(fd);
	res_add("transactions", "%" PRIu64, n);
	res_add("timeouts", "%" PRIu64, timeouts);
	res_add("tps", "%.1f", n / span_secs(&sp));
	lat_report(&lat);
	res_add("cpu_us_per_tx", "%.2f", n ? span_cpu_s(&sp) * 1e6 / n : 0);
	span_report(&sp);
	res_print();
	free(lat.v);
	return 0;
}

static int udp_stream(void)
{
	struct timeval tv = { 0, 300000 };
	struct span sp;
	struct udp_hdr h;
	struct udp_reply r = { 0 };
	uint64_t sent = 0, errs = 0;
	int fd, first_err = 0, tries;
	double end;
	unsigned char *buf;
	bool answered = false;

	buf = calloc(1, dgram_size);
	if (!buf)
		fail(ENOMEM, "a %ld-byte buffer", dgram_size);
	fd = udp_connect(base_port + OFF_UDP_SINK);
	if (fd < 0)
		fail(errno, "UDP socket connected to the sink port");
	srandom(getpid() ^ (unsigned int)ticks());
	h.magic = UDP_DATA;
	h.run = (uint32_t)random() | 1;
	span_start(&sp);
	end = now() + secs;
	do {
		h.seq = sent;
		memcpy(buf, &h, sizeof(h));
		if (send(fd, buf, dgram_size, 0) == dgram_size) {
			sent++;
			continue;
		}
		/* A full device queue (ENOBUFS) is a drop, not the end. */
		if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR) {
			res_add("sent", "%" PRIu64, sent);
			fail(errno, "send after %" PRIu64 " datagrams", sent);
		}
		if (!errs++)
			first_err = errno;
	} while (now() < end);
	span_end(&sp);
	/* What the sink counted, once what is under way has arrived. */
	nap(0.3);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		fail(errno, "SO_RCVTIMEO");
	for (tries = 0; tries < 10 && !answered; tries++) {
		struct udp_hdr q = { UDP_QUERY, h.run, 0 };
		ssize_t n;

		if (send(fd, &q, sizeof(q), 0) != sizeof(q))
			continue;
		while ((n = recv(fd, &r, sizeof(r), 0)) >= 0)
			if (n == sizeof(r) && r.magic == UDP_REPLY && r.run == h.run) {
				answered = true;
				break;
			}
	}
	close(fd);
	res_add("sent", "%" PRIu64, sent);
	res_add("send_errors", "%" PRIu64, errs);
	if (errs)
		res_add("send_error", "%s", errname(first_err));
	if (!answered)
		fail(ETIMEDOUT, "the sink did not answer the count query");
	res_add("received", "%" PRIu64, r.count);
	res_add("tx_kpps", "%.2f", sent / span_secs(&sp) / 1e3);
	res_add("rx_kpps", "%.2f", r.count / span_secs(&sp) / 1e3);
	res_add("rx_MBps", "%.2f", r.bytes / span_secs(&sp) / 1e6);
	res_add("loss_pct", "%.2f", sent ? 100.0 * (sent - (r.count < sent ? r.count : sent)) / sent : 0);
	res_add("cpu_us_per_dgram", "%.3f", sent ? span_cpu_s(&sp) * 1e6 / sent : 0);
	span_report(&sp);
	res_print();
	free(buf);
	return 0;
}

/*
 * mem_kernel: the kernel's memory in use, in kB, from /proc/meminfo:
 * MemTotal - MemFree - Buffers - Cached - SwapCached - AnonPages, i.e. all
 * that is neither free, nor page cache (tmpfs included), nor user memory:
 * slab, page tables, kernel stacks, per-CPU areas, vmalloc and pages taken
 * straight from the page allocator (large kmallocs, skb page frags), which
 * Slab alone would miss. SLAB is Slab alone.
 */
static int mem_kernel(long long *kernel, long long *slab)
{
	static const char *const names[] = {
		"MemTotal:", "MemFree:", "Buffers:", "Cached:", "SwapCached:", "AnonPages:", "Slab:",
	};
	long long v[7] = { 0 };
	char key[64];
	long long val;
	FILE *f = fopen("/proc/meminfo", "r");
	int seen = 0;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld kB", key, &val) == 2) {
		for (int i = 0; i < 7; i++)
			if (!strcmp(key, names[i])) {
				v[i] = val;
				seen |= 1 << i;
			}
		/* (lines without "kB" end the scan; none come before these) */
	}
	fclose(f);
	if (seen != 0x7f) {
		errno = ENODATA;
		return -1;
	}
	*kernel = v[0] - v[1] - v[2] - v[3] - v[4] - v[5];
	*slab = v[6];
	return 0;
}

/* Reclaimable caches (dentries, inodes) dropped, so that they do not blur the delta. */
static void settle(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, "2", 1) != 1)
			fprintf(stderr, "%s: drop_caches: %s\n", prog, strerror(errno));
		close(fd);
	}
	nap(0.5);
}

enum { IC_CONNECTING, IC_ECHO, IC_DONE };

static int idle_conns(void)
{
	struct sockaddr_in sin = sin_of(peer_ip, base_port + OFF_ECHO);
	long long k0, s0, k1, s1, k2, s2;
	struct epoll_event evs[256];
	long started = 0, done = 0, inflight = 0;
	int *fds, *state, ep, first_err = 0;
	const char *first_what = "";
	struct linger lg = { 1, 0 };
	double t0, t_open, t_close;

	fds = calloc(nconns, sizeof(*fds));
	state = calloc(nconns, sizeof(*state));
	if (!fds || !state)
		fail(ENOMEM, "tables for %ld connections", nconns);
	raise_nofile(nconns + 64);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		fail(errno, "epoll_create1");

	settle();
	if (mem_kernel(&k0, &s0) < 0)
		fail(errno, "reading /proc/meminfo");

	t0 = now();
	while (done < nconns && (!first_err || inflight)) {
		int n;

		while (!first_err && started < nconns && inflight < IDLE_INFLIGHT) {
			long i = started;
			int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			struct epoll_event ev = { .events = EPOLLOUT, .data.u64 = i };

			if (fd < 0) {
				first_err = errno;
				first_what = "socket()";
				break;
			}
			fds[i] = fd;
			started++;
			/* Reset when closed (here or by exit): no TIME-WAIT left behind. */
			if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0) {
				first_err = errno;
				first_what = "setsockopt(SO_LINGER)";
				break;
			}
			if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 &&
			    errno != EINPROGRESS) {
				first_err = errno;
				first_what = "connect()";
				break;
			}
			if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
				fail(errno, "epoll_ctl ADD, connection %ld", i + 1);
			inflight++;
		}
		if (!inflight)
			break;
		n = epoll_wait(ep, evs, 256, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail(errno, "epoll_wait");
		for (int k = 0; k < n; k++) {
			long i = (long)evs[k].data.u64;
			int fd = fds[i], err = 0;
			socklen_t el = sizeof(err);
			struct epoll_event ev = { .events = EPOLLIN, .data.u64 = i };
			char b;

			if (state[i] == IC_CONNECTING) {
				if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
					err = errno;
				if (!err && write(fd, "i", 1) != 1)
					err = errno ?: EIO;
				if (!err && epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) < 0)
					err = errno;
				if (err) {
					if (!first_err) {
						first_err = err;
						first_what = "connecting";
					}
					epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
					inflight--;
					continue;
				}
				state[i] = IC_ECHO;
			} else if (state[i] == IC_ECHO) {
				ssize_t r = read(fd, &b, 1);

				if (r < 0 && errno == EAGAIN)
					continue;
				epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
				inflight--;
				if (r != 1) {
					if (!first_err) {
						first_err = r < 0 ? errno : EPIPE;
						first_what = "waiting for the echo";
					}
					continue;
				}
				state[i] = IC_DONE;
				done++;
			}
		}
	}
	t_open = now() - t0;
	close(ep);

	res_add("conns", "%ld", done);
	res_add("open_s", "%.2f", t_open);
	res_add("open_cps", "%.0f", done / t_open);
	if (first_err) {
		/* Everything is let go by the exit. */
		fail(first_err, "%s, after %ld of %ld connections were established (%ld tried)",
		     first_what, done, nconns, started);
	}

	nap(1);		/* delayed ACKs and the like */
	settle();
	if (mem_kernel(&k1, &s1) < 0)
		fail(errno, "reading /proc/meminfo");

	t0 = now();
	for (long i = 0; i < nconns; i++)
		close(fds[i]);
	t_close = now() - t0;
	nap(1);
	settle();
	if (mem_kernel(&k2, &s2) < 0)
		fail(errno, "reading /proc/meminfo");

	res_add("kernel_delta_kB", "%lld", k1 - k0);
	res_add("slab_delta_kB", "%lld", s1 - s0);
	res_add("kB_per_conn_pair", "%.3f", (double)(k1 - k0) / nconns);
	res_add("slab_kB_per_conn_pair", "%.3f", (double)(s1 - s0) / nconns);
	res_add("close_s", "%.2f", t_close);
	res_add("kernel_back_kB", "%lld", k1 - k2);
	res_print();
	free(fds);
	free(state);
	return 0;
}

/* ------------------------------------------------------------ report */

#define MAX_KV		40
#define MAX_RECS	4096
#define MAX_SETTINGS	4
#define MAX_RUNS	256

struct rec {
	char *setting, *fam, *mode;
	int run;
	int nkv;
	char *k[MAX_KV], *v[MAX_KV];
};

static struct rec recs[MAX_RECS];
static int nrecs;
static char *meta_k[MAX_KV], *meta_v[MAX_KV];
static int nmeta;

static const char *rec_get(const struct rec *r, const char *key)
{
	for (int i = 0; i < r->nkv; i++)
		if (!strcmp(r->k[i], key))
			return r->v[i];
	return NULL;
}

/*
 * Split LINE in place into words; KEY=VALUE words go to K/V, a VALUE in
 * double quotes may hold spaces. Returns the number of words before the
 * first KEY=VALUE one (put in WORDS, at most NW).
 */
static int split(char *line, char **words, int nw, char **k, char **v, int *nkv)
{
	int n = 0;
	char *p = line;

	*nkv = 0;
	for (;;) {
		char *w, *eq;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '=')
			p++;
		if (*p == '=' && *nkv < MAX_KV) {
			eq = p;
			*eq = 0;
			p++;
			if (*p == '"') {
				char *e = strchr(p + 1, '"');

				v[*nkv] = p + 1;
				p = e ? e + 1 : p + strlen(p);
				if (e)
					*e = 0;
			} else {
				v[*nkv] = p;
				while (*p && *p != ' ' && *p != '\t' && *p != '\n')
					p++;
			}
			k[(*nkv)++] = w;
		} else {
			while (*p && *p != ' ' && *p != '\t' && *p != '\n')
				p++;
			if (*nkv == 0 && n < nw)
				words[n++] = w;
		}
		if (*p)
			*p++ = 0;
	}
	return n;
}

static int read_raw(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;

	if (!f) {
		fprintf(stderr, "%s: report: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		char *copy = strdup(line), *w[5];
		struct rec *r = &recs[nrecs];
		int nw;

		if (!copy)
			break;
		if (!strncmp(copy, "meta ", 5)) {
			int nkv;

			split(copy + 5, w, 0, meta_k + nmeta, meta_v + nmeta, &nkv);
			nmeta += nkv;
			continue;
		}
		if (nrecs == MAX_RECS)
			break;
		nw = split(copy, w, 5, r->k, r->v, &r->nkv);
		if (nw != 4 || strcmp(w[3], "result") || !rec_get(r, "mode")) {
			free(copy);
			continue;
		}
		r->setting = w[0];
		r->fam = w[1];
		r->run = atoi(w[2]);
		r->mode = (char *)rec_get(r, "mode");
		nrecs++;
	}
	free(line);
	fclose(f);
	return 0;
}

struct metric {
	const char *mode, *key, *name, *unit;
	int better;		/* +1: higher is better, -1: lower */
	bool derived;		/* this end's share of the pair's memory */
};

static const struct metric metrics[] = {
	{ "tcp-send", "MBps", "TCP bulk send", "MB/s", 1, false },
	{ "tcp-send", "cpu_s_per_GB", "  CPU per GB sent", "CPU s/GB", -1, false },
	{ "tcp-recv", "MBps", "TCP bulk receive", "MB/s", 1, false },
	{ "tcp-recv", "cpu_s_per_GB", "  CPU per GB received", "CPU s/GB", -1, false },
	{ "tcp-rr", "tps", "TCP 1-byte request/response", "trans/s", 1, false },
	{ "tcp-rr", "p50_us", "  latency p50", "us", -1, false },
	{ "tcp-rr", "p99_us", "  latency p99", "us", -1, false },
	{ "tcp-rr", "cpu_us_per_tx", "  CPU per transaction", "CPU us", -1, false },
	{ "tcp-crr", "cps", "TCP connect-request-close", "conn/s", 1, false },
	{ "tcp-crr", "p50_us", "  time per connection p50", "us", -1, false },
	{ "tcp-crr", "cpu_us_per_conn", "  CPU per connection", "CPU us", -1, false },
	{ "udp-rr", "tps", "UDP 1-byte request/response", "trans/s", 1, false },
	{ "udp-rr", "p50_us", "  latency p50", "us", -1, false },
	{ "udp-rr", "p99_us", "  latency p99", "us", -1, false },
	{ "udp-rr", "cpu_us_per_tx", "  CPU per transaction", "CPU us", -1, false },
	{ "udp-stream-64", "tx_kpps", "UDP stream 64 B, sent", "kpkt/s", 1, false },
	{ "udp-stream-64", "rx_kpps", "  received by the peer", "kpkt/s", 1, false },
	{ "udp-stream-64", "cpu_us_per_dgram", "  CPU per datagram sent", "CPU us", -1, false },
	{ "udp-stream-1400", "tx_kpps", "UDP stream 1400 B, sent", "kpkt/s", 1, false },
	{ "udp-stream-1400", "rx_MBps", "  received by the peer", "MB/s", 1, false },
	{ "udp-stream-1400", "cpu_us_per_dgram", "  CPU per datagram sent", "CPU us", -1, false },
	{ "idle-conns", "kB_per_conn", "Idle connection, kernel memory", "kB", -1, true },
	{ "idle-conns", "kB_per_conn_pair", "  with the peer's end", "kB", -1, false },
	{ "idle-conns", "slab_kB_per_conn_pair", "  of that, Slab", "kB", -1, false },
	{ "idle-conns", "open_cps", "  opening rate (64 at a time)", "conn/s", 1, false },
};
#define NMETRICS (sizeof(metrics) / sizeof(metrics[0]))

struct cell {
	double v[MAX_RUNS];
	int run[MAX_RUNS];	/* each value's run number */
	int n, failed;
	const char *error, *what;	/* of the first failed run */
	double median, min, max;
};

static void cell_stats(struct cell *c)
{
	double s[MAX_RUNS];

	if (!c->n)
		return;
	memcpy(s, c->v, c->n * sizeof(*s));
	qsort(s, c->n, sizeof(*s), cmp_double);
	c->min = s[0];
	c->max = s[c->n - 1];
	c->median = c->n % 2 ? s[c->n / 2] : (s[c->n / 2 - 1] + s[c->n / 2]) / 2;
}

static bool is_ns(const char *fam)
{
	return !strcmp(fam, "netstack");
}

/* The values of metric M in SETTING for one family (NS: netstack). */
static void cell_fill(struct cell *c, const char *setting, const struct metric *m, bool ns,
		      double linux_pair_median)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < nrecs; i++) {
		const struct rec *r = &recs[i];
		const char *v, *err;

		if (strcmp(r->setting, setting) || strcmp(r->mode, m->mode) || is_ns(r->fam) != ns)
			continue;
		err = rec_get(r, "error");
		v = rec_get(r, m->derived ? "kB_per_conn_pair" : m->key);
		if (err || !v) {
			if (!c->failed++) {
				c->error = err ?: "no-value";
				c->what = rec_get(r, "what") ?: "";
			}
			continue;
		}
		if (m->derived && ns && isnan(linux_pair_median)) {
			/* (Linux has no figure to take the peer's share from) */
			if (!c->failed++) {
				c->error = "ENODATA";
				c->what = "no Linux figure to estimate the peer's share from";
			}
			continue;
		}
		if (c->n < MAX_RUNS) {
			double x = strtod(v, NULL);

			/*
			 * Both set-ups hold the same Linux peer, so the peer's
			 * share is half of Linux-with-Linux's pair.
			 */
			if (m->derived)
				x = ns ? x - linux_pair_median / 2 : x / 2;
			c->run[c->n] = r->run;
			c->v[c->n++] = x;
		}
	}
	cell_stats(c);
}

/*
 * The ratios of the pairs of runs made back to back (netstack's run i and
 * Linux's run i) in PAIRS; their median in PAIRS->median. A slow spell of
 * a shared host then weighs on both halves of a pair alike.
 */
static void cell_pairs(struct cell *pairs, const struct cell *ns, const struct cell *lx)
{
	memset(pairs, 0, sizeof(*pairs));
	for (int i = 0; i < ns->n; i++)
		for (int j = 0; j < lx->n; j++)
			if (ns->run[i] == lx->run[j] && lx->v[j] != 0) {
				pairs->run[pairs->n] = ns->run[i];
				pairs->v[pairs->n++] = ns->v[i] / lx->v[j];
				break;
			}
	cell_stats(pairs);
}

static const char *fmt_num(char *buf, size_t len, double v)
{
	double a = v < 0 ? -v : v;

	snprintf(buf, len, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
	return buf;
}

static const char *fmt_cell(char *buf, size_t len, const struct cell *c)
{
	char a[24], b[24], d[24];

	if (!c->n) {
		if (c->failed)
			snprintf(buf, len, "n/a (%s)", c->error);
		else
			snprintf(buf, len, "-");
		return buf;
	}
	snprintf(buf, len, "%s [%s..%s]%s", fmt_num(a, sizeof(a), c->median),
		 fmt_num(b, sizeof(b), c->min), fmt_num(d, sizeof(d), c->max),
		 c->failed ? " !" : "");
	return buf;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* A number as JSON: plain when it reads as one, else a string. */
static void json_val(FILE *f, const char *s)
{
	char *end;

	strtod(s, &end);
	if (*s && !*end && strspn(s, "0123456789.-+eE") == strlen(s) && s[0] != '.' &&
	    strcmp(s, "-"))
		fputs(s, f);
	else
		json_str(f, s);
}

static void json_cell(FILE *f, const char *name, const struct cell *c)
{
	fprintf(f, "\"%s\": {\"runs\": [", name);
	for (int i = 0; i < c->n; i++)
		fprintf(f, "%s%.6g", i ? ", " : "", c->v[i]);
	fprintf(f, "], \"failed_runs\": %d", c->failed);
	if (c->n)
		fprintf(f, ", \"median\": %.6g, \"min\": %.6g, \"max\": %.6g",
			c->median, c->min, c->max);
	else
		fputs(", \"median\": null", f);
	if (c->failed) {
		fputs(", \"error\": ", f);
		json_str(f, c->error);
		fputs(", \"what\": ", f);
		json_str(f, c->what);
	}
	fputc('}', f);
}

static const char *setting_desc(const char *s)
{
	if (!strcmp(s, "defaults"))
		return "veth defaults (TSO, GSO, GRO as Linux sets them)";
	if (!strcmp(s, "parity"))
		return "per-packet parity (ethtool -K tso off gso off gro off on both veths)";
	return s;
}

/*
 * A setting's runs, as its last line and closing its JSON metrics: how
 * much of each run's real time the guest's clock counted (the ticks it
 * lost are time its vCPUs did not get from the host).
 */
static void setting_summary(const char *setting, FILE *jf)
{
	struct cell g = { 0 };

	for (int i = 0; i < nrecs; i++) {
		const char *gc = rec_get(&recs[i], "guest_clock_pct");

		if (gc && !strcmp(recs[i].setting, setting) && g.n < MAX_RUNS)
			g.v[g.n++] = strtod(gc, NULL);
	}
	if (jf)
		fputs("\n    ]", jf);
	if (!g.n)
		return;
	cell_stats(&g);
	printf("guest clock against real time (TSC) over each run: median %.0f %%, lowest %.0f %%"
	       " (below 100 %%: the host was busy)\n", g.median, g.min);
	if (jf)
		fprintf(jf, ", \"guest_clock_pct\": {\"median\": %.1f, \"lowest\": %.1f}",
			g.median, g.min);
}

static int report(const char *raw, const char *json_path)
{
	const char *settings[MAX_SETTINGS];
	int nset = 0, nfailed = 0;
	FILE *jf = NULL;

	if (read_raw(raw) < 0)
		return 2;
	for (int i = 0; i < nrecs; i++) {
		int s;

		for (s = 0; s < nset && strcmp(settings[s], recs[i].setting); s++)
			;
		if (s == nset && nset < MAX_SETTINGS)
			settings[nset++] = recs[i].setting;
		if (rec_get(&recs[i], "error"))
			nfailed++;
	}
	if (json_path) {
		jf = fopen(json_path, "w");
		if (!jf) {
			fprintf(stderr, "%s: report: %s: %s\n", prog, json_path, strerror(errno));
			return 2;
		}
		fputs("{\n  \"meta\": {", jf);
		for (int i = 0; i < nmeta; i++) {
			fprintf(jf, "%s\n    ", i ? "," : "");
			json_str(jf, meta_k[i]);
			fputs(": ", jf);
			json_val(jf, meta_v[i]);
		}
		fputs("\n  },\n  \"settings\": [", jf);
	}

	for (int s = 0; s < nset; s++) {
		double linux_pair = 0;

		printf("\n%s: %s\n", settings[s], setting_desc(settings[s]));
		printf("%-34s %-9s %-26s %-26s %6s %6s  %s\n", "metric", "unit",
		       "netstack median [min..max]", "Linux median [min..max]", "ratio", "paired",
		       "better");
		if (jf)
			fprintf(jf, "%s\n    {\"name\": \"%s\", \"description\": \"%s\", \"metrics\": [",
				s ? "," : "", settings[s], setting_desc(settings[s]));
		for (size_t m = 0, nj = 0; m < NMETRICS; m++) {
			const struct metric *mt = &metrics[m];
			struct cell ns, lx, pairs;
			char a[96], b[96], rbuf[32] = "-", pbuf[32] = "-";
			double ratio = 0;
			bool have_ratio;

			if (mt->derived) {
				static const struct metric pair = { "idle-conns", "kB_per_conn_pair",
								    "", "", -1, false };
				cell_fill(&lx, settings[s], &pair, false, 0);
				linux_pair = lx.n ? lx.median : NAN;
			}
			cell_fill(&ns, settings[s], mt, true, linux_pair);
			cell_fill(&lx, settings[s], mt, false, linux_pair);
			if (!ns.n && !ns.failed && !lx.n && !lx.failed)
				continue;
			have_ratio = ns.n && lx.n && lx.median != 0;
			if (have_ratio) {
				ratio = ns.median / lx.median;
				snprintf(rbuf, sizeof(rbuf), "%.2f", ratio);
			}
			cell_pairs(&pairs, &ns, &lx);
			if (pairs.n)
				snprintf(pbuf, sizeof(pbuf), "%.2f", pairs.median);
			printf("%-34s %-9s %-26s %-26s %6s %6s  %s\n", mt->name, mt->unit,
			       fmt_cell(a, sizeof(a), &ns), fmt_cell(b, sizeof(b), &lx), rbuf, pbuf,
			       mt->better > 0 ? "higher" : "lower");
			if (!jf)
				continue;
			fprintf(jf, "%s\n      {\"mode\": \"%s\", \"key\": \"%s\", \"name\": ",
				nj++ ? "," : "", mt->mode, mt->key);
			json_str(jf, mt->name + strspn(mt->name, " "));
			fprintf(jf, ", \"unit\": \"%s\", \"higher_is_better\": %s,\n        ",
				mt->unit, mt->better > 0 ? "true" : "false");
			json_cell(jf, "netstack", &ns);
			fputs(",\n        ", jf);
			json_cell(jf, "linux", &lx);
			if (have_ratio)
				fprintf(jf, ",\n        \"ratio\": %.4g", ratio);
			else
				fputs(",\n        \"ratio\": null", jf);
			fputs(", \"paired_ratios\": [", jf);
			for (int i = 0; i < pairs.n; i++)
				fprintf(jf, "%s%.4g", i ? ", " : "", pairs.v[i]);
			if (pairs.n)
				fprintf(jf, "], \"paired_ratio_median\": %.4g}", pairs.median);
			else
				fputs("], \"paired_ratio_median\": null}", jf);
		}
		setting_summary(settings[s], jf);
		if (jf)
			fputs("}", jf);
	}

	if (nfailed) {
		printf("\nFailed runs (\"!\" above: some runs of that cell failed):\n");
		for (int i = 0; i < nrecs; i++) {
			const struct rec *r = &recs[i];

			if (rec_get(r, "error"))
				printf("  %s %s run %d %s: %s (%s)\n", r->setting, r->fam, r->run,
				       r->mode, rec_get(r, "error"), rec_get(r, "what") ?: "");
		}
	}
	if (jf) {
		bool first = true;

		fputs("\n  ],\n  \"failed_runs\": [", jf);
		for (int i = 0; i < nrecs; i++) {
			const struct rec *r = &recs[i];

			if (!rec_get(r, "error"))
				continue;
			fprintf(jf, "%s\n    {\"setting\": \"%s\", \"family\": \"%s\", \"run\": %d, "
				"\"mode\": \"%s\", \"error\": ", first ? "" : ",", r->setting,
				r->fam, r->run, r->mode);
			json_str(jf, rec_get(r, "error"));
			fputs(", \"what\": ", jf);
			json_str(jf, rec_get(r, "what") ?: "");
			fputc('}', jf);
			first = false;
		}
		fputs("\n  ]\n}\n", jf);
		if (fclose(jf) != 0) {
			fprintf(stderr, "%s: report: writing %s: %s\n", prog, json_path,
				strerror(errno));
			return 2;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ main */

static long long number(const char *s, long long lo, long long hi, const char *what)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "%s: bad %s '%s' (%lld..%lld)\n", prog, what, s, lo, hi);
		usage(2);
	}
	return v;
}

/* -C: run on the CPUs of LIST ("0", "0,1"). */
static void pin_cpus(const char *list)
{
	cpu_set_t set;
	char *copy = strdup(list), *tok, *save = NULL;

	CPU_ZERO(&set);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		CPU_SET(number(tok, 0, CPU_SETSIZE - 1, "CPU"), &set);
	free(copy);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		fprintf(stderr, "%s: sched_setaffinity(%s): %s\n", prog, list, strerror(errno));
		exit(2);
	}
}

/* -N: join the network namespace NAME (in /run/netns) or PATH. */
static void enter_netns(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), strchr(name, '/') ? "%s" : "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "%s: network namespace %s: %s\n", prog, path, strerror(errno));
		exit(2);
	}
	close(fd);
}

static void parse_ip(const char *s, struct in_addr *ip)
{
	if (inet_pton(AF_INET, s, ip) != 1) {
		fprintf(stderr, "%s: bad address '%s' (want A.B.C.D)\n", prog, s);
		usage(2);
	}
}

int main(int argc, char **argv)
{
	const char *json = NULL, *netns = NULL, *cpus = NULL;
	double mhz = 0;
	char *end;
	int c;

	while ((c = getopt(argc, argv, "f:b:p:N:P:t:s:n:T:H:C:j:h")) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "inet")) {
				family = AF_INET;
			} else if (!strcmp(optarg, "netstack")) {
				family = netstack_family();
			} else {
				fprintf(stderr, "%s: -f inet or netstack, not '%s'\n", prog, optarg);
				usage(2);
			}
			family_name = optarg;
			break;
		case 'b':
			parse_ip(optarg, &bind_ip);
			have_bind = true;
			break;
		case 'p':
			parse_ip(optarg, &peer_ip);
			have_peer = true;
			break;
		case 'N':
			netns = optarg;
			break;
		case 'P':
			base_port = number(optarg, 1, 65535 - OFF_UDP_SINK, "port");
			break;
		case 't':
			secs = strtod(optarg, &end);
			if (*end || end == optarg || !(secs > 0 && secs <= 3600)) {
				fprintf(stderr, "%s: bad -t '%s' (0..3600 s)\n", prog, optarg);
				usage(2);
			}
			break;
		case 's':
			dgram_size = number(optarg, sizeof(struct udp_hdr), UDP_MAX, "size");
			break;
		case 'n':
			nconns = number(optarg, 1, 1000000, "connection count");
			break;
		case 'T':
			limit_s = number(optarg, 1, 86400, "time limit");
			break;
		case 'H':
			mhz = strtod(optarg, &end);
			if (*end || end == optarg || !(mhz > 0)) {
				fprintf(stderr, "%s: bad -H '%s' (MHz)\n", prog, optarg);
				usage(2);
			}
			break;
		case 'C':
			cpus = optarg;
			break;
		case 'j':
			json = optarg;
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
	snprintf(mode, sizeof(mode), "%s", argv[optind]);

	if (!strcmp(mode, "report")) {
		if (optind + 2 != argc)
			usage(2);
		return report(argv[optind + 1], json);
	}
	if (optind + 1 != argc)
		usage(2);
	if (netns)
		enter_netns(netns);
	if (cpus)
		pin_cpus(cpus);
	if (!strcmp(mode, "serve"))
		return serve();
	if (!strcmp(mode, "tsc-mhz"))
		return tsc_mhz();

	if (!strcmp(mode, "udp-stream"))
		snprintf(mode, sizeof(mode), "udp-stream-%ld", dgram_size);
	need_peer();
	clock_init(mhz);
	signal(SIGPIPE, SIG_IGN);
	arm_limit(limit_s ?: (int)(3 * secs) + 60);
	{
		/* The family has this protocol at all? Say so plainly if not. */
		bool udp = !strncmp(mode, "udp-", 4);
		int fd = socket(family, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);

		if (fd < 0)
			fail(errno, "socket(%s, %s)", family_label(), udp ? "SOCK_DGRAM" : "SOCK_STREAM");
		close(fd);
	}
	if (!strcmp(mode, "tcp-send"))
		return tcp_send();
	if (!strcmp(mode, "tcp-recv"))
		return tcp_recv();
	if (!strcmp(mode, "tcp-rr"))
		return tcp_rr();
	if (!strcmp(mode, "tcp-crr"))
		return tcp_crr();
	if (!strcmp(mode, "udp-rr"))
		return udp_rr();
	if (!strncmp(mode, "udp-stream-", 11))
		return udp_stream();
	if (!strcmp(mode, "idle-conns"))
		return idle_conns();
	fprintf(stderr, "%s: unknown mode '%s'\n", prog, mode);
	usage(2);
}
