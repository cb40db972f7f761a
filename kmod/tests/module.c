// SPDX-License-Identifier: GPL-2.0
/*
 * module.c - module information for netstack_test.ko, the KUnit suites of
 * netstack. Each suite lives in its own file next to this one.
 */
#include <linux/module.h>

#include "kmod/compat.h"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for netstack");
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
