/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading and unloading netstack.ko from tests, and reading what the
 * kernel logs meanwhile.
 */
#ifndef NS_MODULE_UTIL_H
#define NS_MODULE_UTIL_H

#include <stdbool.h>

bool ns_module_loaded(const char *name);
/* finit_module(2) with params; returns 0 or -errno. */
int ns_module_load(const char *params);
/* delete_module(2) with O_NONBLOCK; returns 0 or -errno. */
int ns_module_unload(void);
/* Load netstack if it is not loaded; fails the test if it cannot. */
void ns_module_ensure_loaded(void);
/* Unload netstack if it is loaded; fails the test if it cannot. */
void ns_module_ensure_unloaded(void);
/* The family netstack registered (its "family" parameter). */
int ns_family(void);

/* An open /dev/kmsg positioned at the end; read what is logged after. */
int ns_kmsg_open(void);
/* Whether a message containing text was logged since ns_kmsg_open(). */
bool ns_kmsg_contains(int fd, const char *text);

#endif /* NS_MODULE_UTIL_H */
