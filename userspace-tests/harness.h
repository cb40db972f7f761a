/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user-space test harness: tests register with NS_TEST(), run each in
 * its own child process, and report through CHECK()/REQUIRE()/SKIP().
 * runner.c prints TAP. Tests run as root inside the test guest (vm/run).
 */
#ifndef NS_HARNESS_H
#define NS_HARNESS_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct ns_test {
	const char *name;
	void (*fn)(void);
	unsigned int timeout_s;
	const char *file;	/* tests run in file, then line, order */
	int line;
};

#define NS_TEST_TIMEOUT(test_name, secs)					\
	static void test_name(void);						\
	static struct ns_test ns_test_##test_name				\
	__attribute__((used, section("ns_tests"), aligned(sizeof(void *)))) = \
		{ #test_name, test_name, secs, __FILE__, __LINE__ };				\
	static void test_name(void)

#define NS_TEST(test_name) NS_TEST_TIMEOUT(test_name, 60)

void ns_fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ns_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void ns_abort_test(void) __attribute__((noreturn));
void ns_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Record a failure and go on with the test. */
#define CHECK(cond, ...)							\
	do {									\
		if (!(cond))							\
			ns_fail_at(__FILE__, __LINE__, "CHECK(" #cond ") " __VA_ARGS__); \
	} while (0)

/* Record a failure and end the test. */
#define REQUIRE(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			ns_fail_at(__FILE__, __LINE__, "REQUIRE(" #cond ") " __VA_ARGS__); \
			ns_abort_test();					\
		}								\
	} while (0)

/* A call that must fail with errno e. */
#define CHECK_ERRNO(call, e)							\
	do {									\
		errno = 0;							\
		long ns_ret_ = (long)(call);					\
		int ns_err_ = errno;						\
		if (ns_ret_ != -1 || ns_err_ != (e))				\
			ns_fail_at(__FILE__, __LINE__, "%s: want -1/%s, got %ld/%s", \
				   #call, strerrorname(e), ns_ret_,		\
				   ns_ret_ == -1 ? strerrorname(ns_err_) : "-"); \
	} while (0)

/* A call that must succeed (return >= 0); its value. */
#define CHECK_OK(call)								\
	({									\
		errno = 0;							\
		long ns_ret_ = (long)(call);					\
		if (ns_ret_ < 0)						\
			ns_fail_at(__FILE__, __LINE__, "%s: %s", #call,		\
				   strerrorname(errno));			\
		ns_ret_;							\
	})

#define SKIP(...) ns_skip(__VA_ARGS__)

const char *strerrorname(int err);

#endif /* NS_HARNESS_H */
