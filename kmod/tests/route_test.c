// SPDX-License-Identifier: GPL-2.0
/*
 * route_test.c - KUnit tests for longest-prefix match, ns_route_match()
 * (route.c): tables of routes, each sorted as ns_route_add() keeps them,
 * and the route each destination must find. Every route has its own fake
 * link, which tells which one matched. Each table is built twice, adding
 * its routes in opposite orders.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include "kmod/netstack.h"

#define RT_ADDR(a, b, c, d)	((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define RT_NONE			(-1)	/* no route may match */

enum { RT_MAX_ROUTES = 6, RT_MAX_QUERIES = 10 };

struct route_spec {
	u32 dst;
	u8 prefixlen;
};

struct route_query {
	u32 daddr;
	int want;	/* index in the table's routes, or RT_NONE */
};

struct route_table_case {
	const char *name;
	unsigned int nr_routes, nr_queries;
	struct route_spec routes[RT_MAX_ROUTES];
	struct route_query queries[RT_MAX_QUERIES];
};

static const struct route_table_case route_table_cases[] = {
	{ "/32 beats /24 beats /16 beats default", 4, 6,
	  { { RT_ADDR(0, 0, 0, 0), 0 }, { RT_ADDR(10, 1, 0, 0), 16 },
	    { RT_ADDR(10, 1, 2, 0), 24 }, { RT_ADDR(10, 1, 2, 3), 32 } },
	  { { RT_ADDR(10, 1, 2, 3), 3 }, { RT_ADDR(10, 1, 2, 4), 2 },
	    { RT_ADDR(10, 1, 3, 3), 1 }, { RT_ADDR(10, 2, 2, 3), 0 },
	    { RT_ADDR(11, 1, 2, 3), 0 }, { RT_ADDR(192, 168, 0, 1), 0 } } },
	{ "no default", 2, 7,
	  { { RT_ADDR(10, 1, 0, 0), 16 }, { RT_ADDR(192, 168, 1, 0), 24 } },
	  { { RT_ADDR(10, 1, 255, 255), 0 }, { RT_ADDR(192, 168, 1, 77), 1 },
	    { RT_ADDR(10, 2, 0, 0), RT_NONE },
	    { RT_ADDR(10, 0, 255, 255), RT_NONE },
	    { RT_ADDR(192, 168, 2, 1), RT_NONE },
	    { RT_ADDR(0, 0, 0, 0), RT_NONE },
	    { RT_ADDR(255, 255, 255, 255), RT_NONE } } },
	{ "empty table", 0, 2, {},
	  { { RT_ADDR(0, 0, 0, 0), RT_NONE }, { RT_ADDR(10, 0, 0, 1), RT_NONE } } },
	{ "default only", 1, 5,
	  { { RT_ADDR(0, 0, 0, 0), 0 } },
	  { { RT_ADDR(0, 0, 0, 0), 0 }, { RT_ADDR(255, 255, 255, 255), 0 },
	    { RT_ADDR(10, 0, 0, 1), 0 }, { RT_ADDR(224, 0, 0, 1), 0 },
	    { RT_ADDR(128, 0, 0, 0), 0 } } },
	{ "adjacent /25s", 2, 7,
	  { { RT_ADDR(10, 0, 0, 0), 25 }, { RT_ADDR(10, 0, 0, 128), 25 } },
	  { { RT_ADDR(10, 0, 0, 0), 0 }, { RT_ADDR(10, 0, 0, 127), 0 },
	    { RT_ADDR(10, 0, 0, 128), 1 }, { RT_ADDR(10, 0, 0, 255), 1 },
	    { RT_ADDR(9, 255, 255, 255), RT_NONE },
	    { RT_ADDR(10, 0, 1, 0), RT_NONE },
	    { RT_ADDR(138, 0, 0, 0), RT_NONE } } },
	{ "edges of a /24", 2, 6,
	  { { RT_ADDR(192, 168, 1, 0), 24 }, { RT_ADDR(0, 0, 0, 0), 0 } },
	  { { RT_ADDR(192, 168, 1, 0), 0 }, { RT_ADDR(192, 168, 1, 255), 0 },
	    { RT_ADDR(192, 168, 1, 128), 0 },
	    { RT_ADDR(192, 168, 0, 255), 1 }, { RT_ADDR(192, 168, 2, 0), 1 },
	    { RT_ADDR(64, 168, 1, 0), 1 } } },
	{ "a /31 inside a /24", 3, 7,
	  { { RT_ADDR(10, 9, 9, 0), 24 }, { RT_ADDR(10, 9, 9, 8), 31 },
	    { RT_ADDR(0, 0, 0, 0), 0 } },
	  { { RT_ADDR(10, 9, 9, 8), 1 }, { RT_ADDR(10, 9, 9, 9), 1 },
	    { RT_ADDR(10, 9, 9, 7), 0 }, { RT_ADDR(10, 9, 9, 10), 0 },
	    { RT_ADDR(10, 9, 9, 0), 0 }, { RT_ADDR(10, 9, 9, 255), 0 },
	    { RT_ADDR(10, 9, 10, 8), 2 } } },
	{ "the two /1s", 2, 4,
	  { { RT_ADDR(0, 0, 0, 0), 1 }, { RT_ADDR(128, 0, 0, 0), 1 } },
	  { { RT_ADDR(0, 0, 0, 0), 0 }, { RT_ADDR(127, 255, 255, 255), 0 },
	    { RT_ADDR(128, 0, 0, 0), 1 }, { RT_ADDR(255, 255, 255, 255), 1 } } },
	{ "host routes at both ends", 3, 5,
	  { { RT_ADDR(0, 0, 0, 0), 32 }, { RT_ADDR(255, 255, 255, 255), 32 },
	    { RT_ADDR(0, 0, 0, 0), 0 } },
	  { { RT_ADDR(0, 0, 0, 0), 0 }, { RT_ADDR(255, 255, 255, 255), 1 },
	    { RT_ADDR(0, 0, 0, 1), 2 }, { RT_ADDR(255, 255, 255, 254), 2 },
	    { RT_ADDR(128, 0, 0, 0), 2 } } },
};

/* Link @r in as ns_route_add() does: before the first shorter prefix. */
static void route_insert(struct list_head *routes, struct ns_route *r)
{
	struct ns_route *pos;

	list_for_each_entry(pos, routes, node)
		if (pos->prefixlen < r->prefixlen)
			break;
	list_add_tail_rcu(&r->node, &pos->node);
}

static void route_check_table(struct kunit *test,
			      const struct route_table_case *c, bool reverse)
{
	struct ns_route routes[RT_MAX_ROUTES] = {};
	struct ns_link *links[RT_MAX_ROUTES];
	const char *order = reverse ? "reverse" : "forward";
	struct ns_route *got, *prev = NULL;
	unsigned int i;
	LIST_HEAD(list);

	KUNIT_ASSERT_LE_MSG(test, c->nr_routes, RT_MAX_ROUTES, "%s", c->name);
	KUNIT_ASSERT_LE_MSG(test, c->nr_queries, RT_MAX_QUERIES, "%s", c->name);
	for (i = 0; i < c->nr_routes; i++) {
		unsigned int k = reverse ? c->nr_routes - 1 - i : i;

		links[k] = kunit_kzalloc(test, sizeof(*links[k]), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, links[k]);
		routes[k].dst = htonl(c->routes[k].dst);
		routes[k].prefixlen = c->routes[k].prefixlen;
		routes[k].link = links[k];
		route_insert(&list, &routes[k]);
	}

	/* The helper must have sorted the list as ns_route_match() expects. */
	list_for_each_entry(got, &list, node) {
		if (prev)
			KUNIT_EXPECT_GE_MSG(test, prev->prefixlen, got->prefixlen,
					    "%s (%s): list order", c->name, order);
		prev = got;
	}

	for (i = 0; i < c->nr_queries; i++) {
		const struct route_query *q = &c->queries[i];
		struct ns_link *got_link;
		u32 got_dst;

		rcu_read_lock();
		got = ns_route_match(&list, htonl(q->daddr));
		got_link = got ? got->link : NULL;
		got_dst = got ? ntohl(got->dst) : 0;
		rcu_read_unlock();
		if (q->want == RT_NONE) {
			KUNIT_EXPECT_NULL_MSG(test, got,
					      "%s (%s): %pI4h: want none, got %pI4h/%u",
					      c->name, order, &q->daddr, &got_dst,
					      got ? got->prefixlen : 0);
			continue;
		}
		KUNIT_EXPECT_PTR_EQ_MSG(test, got_link, links[q->want],
					"%s (%s): %pI4h: want %pI4h/%u, got %pI4h/%d",
					c->name, order, &q->daddr,
					&c->routes[q->want].dst,
					c->routes[q->want].prefixlen, &got_dst,
					got ? got->prefixlen : -1);
	}
}

static void route_table_desc(const struct route_table_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(route_table, route_table_cases, route_table_desc);

static void route_test_match(struct kunit *test)
{
	const struct route_table_case *c = test->param_value;

	route_check_table(test, c, false);
	route_check_table(test, c, true);
}

static struct kunit_case route_test_cases[] = {
	KUNIT_CASE_PARAM(route_test_match, route_table_gen_params),
	{}
};

static struct kunit_suite route_test_suite = {
	.name = "netstack_route",
	.test_cases = route_test_cases,
};

kunit_test_suite(route_test_suite);
