// SPDX-License-Identifier: GPL-2.0
/*
 * json.c - a minimal streaming JSON writer for -j: nested arrays and
 * objects, string and unsigned values, compact output on ns_out() with a
 * newline after the outermost value. It keeps only one "first member" flag
 * per nesting level (nsctl nests three deep at most); callers pass key
 * NULL inside arrays.
 */
#include "nsctl.h"

#define NS_JSON_DEPTH	8

static bool ns_json_first[NS_JSON_DEPTH];
static int ns_json_depth;

static void ns_json_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The separator and "key": before a member. */
static void ns_json_member(const char *key)
{
	FILE *f = ns_out();

	if (ns_json_depth > 0 && ns_json_depth <= NS_JSON_DEPTH) {
		if (!ns_json_first[ns_json_depth - 1])
			fputc(',', f);
		ns_json_first[ns_json_depth - 1] = false;
	}
	if (key) {
		ns_json_quoted(f, key);
		fputc(':', f);
	}
}

/* Open an array ('[') or object ('{'), as member @key of the enclosing one. */
void ns_json_open(const char *key, char bracket)
{
	ns_json_member(key);
	fputc(bracket, ns_out());
	if (ns_json_depth < NS_JSON_DEPTH)
		ns_json_first[ns_json_depth] = true;
	ns_json_depth++;
}

void ns_json_close(char bracket)
{
	fputc(bracket, ns_out());
	if (--ns_json_depth == 0)
		fputc('\n', ns_out());
}

void ns_json_str(const char *key, const char *val)
{
	ns_json_member(key);
	ns_json_quoted(ns_out(), val);
}

void ns_json_uint(const char *key, unsigned long long val)
{
	ns_json_member(key);
	fprintf(ns_out(), "%llu", val);
}
