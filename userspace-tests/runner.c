// SPDX-License-Identifier: GPL-2.0
/*
 * runner.c - runs the user-space tests and prints TAP (version 13).
 *
 *   ns-tests [-l] [PATTERN...]
 *
 * With patterns (fnmatch globs, or plain substrings), only matching tests
 * run; -l lists the tests. Each test runs in a child process with its own
 * timeout, so a crash or hang fails that test only. Exit status: 0 when
 * every test that ran passed or was skipped, 1 otherwise.
 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

extern struct ns_test __start_ns_tests[], __stop_ns_tests[];

enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_SKIP = 77 };

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

/* Run one test in a child; returns EXIT_PASS, EXIT_FAIL or EXIT_SKIP. */
static int run_one(const struct ns_test *t, double *secs)
{
	struct timespec t0, t1;
	int status;
	pid_t pid;

	memset(shared, 0, sizeof(*shared));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\n", strerrorname(errno));
		return EXIT_FAIL;
	}
	if (pid == 0) {
		setpgid(0, 0);
		alarm(t->timeout_s);
		t->fn();
		fflush(stdout);
		_exit(shared->failures ? EXIT_FAIL : EXIT_PASS);
	}
	waitpid(pid, &status, 0);
	kill(-pid, SIGKILL);	/* whatever the test left behind */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	if (WIFSIGNALED(status)) {
		if (WTERMSIG(status) == SIGALRM)
			printf("# timed out after %u s\n", t->timeout_s);
		else
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
	bool list = false;

	while ((opt = getopt(argc, argv, "lh")) != -1) {
		switch (opt) {
		case 'l':
			list = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-l] [PATTERN...]\n", argv[0]);
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
	for (t = __start_ns_tests; t < __stop_ns_tests; t++) {
		double secs = 0;
		int res;

		if (!selected(t->name, argc, argv))
			continue;
		i++;
		res = run_one(t, &secs);
		if (res == EXIT_SKIP)
			printf("ok %d - %s # SKIP %s\n", i, t->name, shared->skip_reason);
		else
			printf("%sok %d - %s # %.2f s\n", res == EXIT_PASS ? "" : "not ",
			       i, t->name, secs);
		failed += res == EXIT_FAIL;
	}
	return failed ? 1 : 0;
}
