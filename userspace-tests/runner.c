// SPDX-License-Identifier: GPL-2.0
/*
 * runner.c - runs the user-space tests and prints TAP (version 13).
 *
 *   ns-tests [-l] [-T SECONDS] [PATTERN...]
 *
 * With patterns (fnmatch globs, or plain substrings), only matching tests
 * run; -l lists the tests. -T gives the whole run a time budget (set it
 * below the guest's time limit): a test gets at most what is left of it,
 * and once it is spent the tests not yet run are reported "not ok ... #
 * not run", so that the TAP plan is met and the guest is not killed
 * mid-run with the tests after the last one it reached unaccounted for. Each test runs in a child process, in a process
 * group of its own, so a crash or hang fails that test only. The runner
 * itself keeps each test's time limit (NS_TEST_TIMEOUT, 60 s by default):
 * a test still running at its deadline is reported ("# TIMEOUT: ..." with
 * what each of its processes is blocked in, kernel stack included), its
 * process group is killed with SIGKILL, and the runner goes on with the
 * next test once the group's leader is gone, or after KILL_GRACE_S if the
 * kernel will not let it go (reported as well: a kernel bug). No test can
 * stop the run: the TAP plan is always met. Exit status: 0 when every test
 * that ran passed or was skipped, 1 otherwise.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

extern struct ns_test __start_ns_tests[], __stop_ns_tests[];

enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_SKIP = 77 };

/* How long a test killed at its deadline may take to be gone. */
enum { KILL_GRACE_S = 10 };

struct shared_state {
	int failures;
	char skip_reason[256];
};

static struct shared_state *shared;

const char *strerrorname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "?";
}

void ns_fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	shared->failures++;
	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void ns_note(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void ns_abort_test(void)
{
	fflush(stdout);
	_exit(EXIT_FAIL);
}

void ns_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(shared->skip_reason, sizeof(shared->skip_reason), fmt, ap);
	va_end(ap);
	fflush(stdout);
	_exit(EXIT_SKIP);
}

static int by_position(const void *a, const void *b)
{
	const struct ns_test *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	return c ? c : x->line - y->line;
}

static bool selected(const char *name, int npat, char **pat)
{
	int i;

	if (npat == 0)
		return true;
	for (i = 0; i < npat; i++)
		if (!fnmatch(pat[i], name, 0) || strstr(name, pat[i]))
			return true;
	return false;
}

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Wait until the child pid has ended (true, *status set) or secs have
 * passed (false). pidfd (-1 if the kernel has none) is readable once the
 * child has ended; without it, look every 50 ms.
 */
static bool wait_child(pid_t pid, int pidfd, double secs, int *status)
{
	double deadline = now_mono() + secs;

	for (;;) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };
		pid_t r = waitpid(pid, status, WNOHANG);
		double left;

		if (r == pid)
			return true;
		if (r < 0 && errno != EINTR) {
			printf("# waitpid %d: %s\n", (int)pid, strerrorname(errno));
			*status = EXIT_FAIL << 8;
			return true;
		}
		left = deadline - now_mono();
		if (left <= 0)
			return false;
		if (pidfd < 0 && left > 0.05)
			left = 0.05;
		poll(pidfd >= 0 ? &p : NULL, pidfd >= 0, (int)(left * 1000) + 1);
	}
}

/* The first line of /proc/PID/NAME, in buf ("?" if unreadable). */
static const char *proc_line(pid_t pid, const char *name, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	f = fopen(path, "r");
	if (!f || !fgets(buf, len, f))
		snprintf(buf, len, "?");
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/*
 * Say what each process of process group pgid is doing: its state, the
 * system call it is in (/proc/PID/syscall: number first), where it
 * sleeps and its kernel stack, for a test that ran out of time.
 */
static int describe_group(pid_t pgid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char stat[512], buf[256], path[64], *p;
		int pid = atoi(e->d_name), pgrp = 0;
		char state = '?';
		FILE *f;

		if (pid <= 0 || !strcmp(proc_line(pid, "stat", stat, sizeof(stat)), "?"))
			continue;
		/* pid (comm) state ppid pgrp ...; comm may hold spaces. */
		p = strrchr(stat, ')');
		if (!p || sscanf(p + 1, " %c %*d %d", &state, &pgrp) != 2 || pgrp != pgid)
			continue;
		found++;
		*p = '\0';
		printf("#   pid %d (%s) state %c, syscall %s, wchan %s\n", pid,
		       strchr(stat, '(') ? strchr(stat, '(') + 1 : "?", state,
		       proc_line(pid, "syscall", buf, sizeof(buf)),
		       proc_line(pid, "wchan", path, sizeof(path)));
		snprintf(path, sizeof(path), "/proc/%d/stack", pid);
		f = fopen(path, "r");
		while (f && fgets(buf, sizeof(buf), f))
			printf("#     %s", buf);
		if (f)
			fclose(f);
	}
	closedir(d);
	fflush(stdout);
	return found;
}

/* Tests whose processes outlived SIGKILL: the kernel holds them. */
static int unkillable;
/* Why the last test run failed, if the TAP line should say. */
static const char *fail_note = "";

/*
 * Run one test in a child for at most limit seconds (its own time limit,
 * or less when the run's budget is nearly spent); returns EXIT_PASS,
 * EXIT_FAIL or EXIT_SKIP.
 */
static int run_one(const struct ns_test *t, double limit, double *secs)
{
	double t0 = now_mono();
	int status = 0, pidfd;
	bool ended;
	pid_t pid;

	memset(shared, 0, sizeof(*shared));
	fail_note = "";
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\n", strerrorname(errno));
		return EXIT_FAIL;
	}
	if (pid == 0) {
		setpgid(0, 0);
		t->fn();
		fflush(stdout);
		_exit(shared->failures ? EXIT_FAIL : EXIT_PASS);
	}
	setpgid(pid, pid);	/* (either of us may get there first) */
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	ended = wait_child(pid, pidfd, limit, &status);
	if (!ended) {
		printf("# TIMEOUT: %s still running after %.0f s%s; its processes:\n",
		       t->name, limit, limit < t->timeout_s ? " (the run's budget)" : "");
		describe_group(pid);
		kill(-pid, SIGKILL);
		if (!wait_child(pid, pidfd, KILL_GRACE_S, &status)) {
			printf("# %s: still there %d s after SIGKILL, held by the kernel:\n",
			       t->name, KILL_GRACE_S);
			describe_group(pid);
			unkillable++;
		}
	}
	kill(-pid, SIGKILL);	/* whatever the test left behind */
	if (pidfd >= 0)
		close(pidfd);
	*secs = now_mono() - t0;

	if (!ended) {
		fail_note = ", timed out";
		return EXIT_FAIL;
	}
	if (WIFSIGNALED(status)) {
		printf("# killed by signal %s\n", sigabbrev_np(WTERMSIG(status)));
		return EXIT_FAIL;
	}
	if (WEXITSTATUS(status) == EXIT_SKIP)
		return EXIT_SKIP;
	if (WEXITSTATUS(status) != EXIT_PASS || shared->failures)
		return EXIT_FAIL;
	return EXIT_PASS;
}

int main(int argc, char **argv)
{
	const struct ns_test *t;
	int n = 0, failed = 0, i = 0, opt;
	double budget = 0, end = 0;
	bool list = false;
	char *rest;

	while ((opt = getopt(argc, argv, "lT:h")) != -1) {
		switch (opt) {
		case 'l':
			list = true;
			break;
		case 'T':
			budget = strtod(optarg, &rest);
			if (*rest || budget <= 0)
				goto usage;
			break;
		default:
usage:
			fprintf(stderr, "usage: %s [-l] [-T SECONDS] [PATTERN...]\n", argv[0]);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	/* The linker keeps no order in the section: sort by source position. */
	qsort(__start_ns_tests, __stop_ns_tests - __start_ns_tests,
	      sizeof(struct ns_test), by_position);

	for (t = __start_ns_tests; t < __stop_ns_tests; t++)
		if (selected(t->name, argc, argv)) {
			if (list)
				printf("%s\n", t->name);
			n++;
		}
	if (list)
		return 0;
	if (n == 0) {
		fprintf(stderr, "ns-tests: no test matches\n");
		return 2;
	}

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..%d\n", n);
	if (budget)
		end = now_mono() + budget;
	for (t = __start_ns_tests; t < __stop_ns_tests; t++) {
		double secs = 0, limit = t->timeout_s;
		int res;

		if (!selected(t->name, argc, argv))
			continue;
		i++;
		if (budget && end - now_mono() < limit)
			limit = end - now_mono();
		if (limit < 1) {
			printf("not ok %d - %s # not run: the run's %.0f s were spent\n", i,
			       t->name, budget);
			failed++;
			continue;
		}
		res = run_one(t, limit, &secs);
		if (res == EXIT_SKIP)
			printf("ok %d - %s # SKIP %s\n", i, t->name, shared->skip_reason);
		else
			printf("%sok %d - %s # %.2f s%s\n", res == EXIT_PASS ? "" : "not ",
			       i, t->name, secs, res == EXIT_PASS ? "" : fail_note);
		failed += res == EXIT_FAIL;
	}
	if (unkillable)
		printf("# %d test(s) left processes the kernel would not end\n", unkillable);
	return failed || unkillable ? 1 : 0;
}
