// SPDX-License-Identifier: GPL-2.0
/*
 * test_module.c - loading and unloading netstack.ko: repeated cycles,
 * auto-loading by socket(2), a family slot already taken, and open
 * sockets holding the module.
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netstack.h>

#include "harness.h"
#include "module_util.h"

NS_TEST_TIMEOUT(module_load_unload_20_times, 300)
{
	int i, err, fd;

	for (i = 0; i < 20; i++) {
		ns_module_ensure_unloaded();
		REQUIRE(!ns_module_loaded("netstack"), "cycle %d: still loaded", i);
		err = ns_module_load("");
		REQUIRE(err == 0, "cycle %d: load: %s", i, strerrorname(-err));
		/* Each instance works before it goes. */
		fd = socket(AF_NETSTACK, SOCK_DGRAM, 0);
		REQUIRE(fd >= 0, "cycle %d: socket: %s", i, strerrorname(errno));
		close(fd);
		err = ns_module_unload();
		REQUIRE(err == 0, "cycle %d: unload: %s", i, strerrorname(-err));
	}
	ns_module_ensure_loaded();
}

NS_TEST(module_autoloads_on_socket)
{
	int fd;

	ns_module_ensure_unloaded();
	/* The kernel asks modprobe for "net-pf-25" (MODULE_ALIAS_NETPROTO). */
	fd = socket(AF_NETSTACK, SOCK_STREAM, 0);
	CHECK(fd >= 0, "socket: %s", strerrorname(errno));
	CHECK(ns_module_loaded("netstack"));
	if (fd >= 0)
		close(fd);
	ns_module_ensure_loaded();
}

NS_TEST(module_open_socket_holds_module)
{
	int stream, dgram, err;

	ns_module_ensure_loaded();
	stream = CHECK_OK(socket(AF_NETSTACK, SOCK_STREAM, 0));
	dgram = CHECK_OK(socket(AF_NETSTACK, SOCK_DGRAM, 0));

	err = ns_module_unload();
	CHECK(err == -EWOULDBLOCK, "unload with two sockets open: %s", strerrorname(-err));
	CHECK(ns_module_loaded("netstack"));
	close(stream);
	err = ns_module_unload();
	CHECK(err == -EWOULDBLOCK, "unload with one socket open: %s", strerrorname(-err));
	/* The socket left open still works. */
	CHECK_OK(getsockopt(dgram, SOL_SOCKET, SO_ERROR, &err, &(socklen_t){ sizeof(err) }));
	close(dgram);
	err = ns_module_unload();
	CHECK(err == 0, "unload with no socket open: %s", strerrorname(-err));
	ns_module_ensure_loaded();
}

NS_TEST(module_family_parameter)
{
	int kmsg, err, fd;

	ns_module_ensure_unloaded();
	kmsg = ns_kmsg_open();

	/*
	 * AF_INET's slot is taken: the load fails with EBUSY (not EEXIST,
	 * which would tell modprobe the module is loaded) and says why.
	 */
	err = ns_module_load("family=2");
	CHECK(err == -EBUSY, "family=2: %s", strerrorname(-err));
	CHECK(ns_kmsg_contains(kmsg, "address family 2 is already registered"));
	CHECK(!ns_module_loaded("netstack"));

	err = ns_module_load("family=0");
	CHECK(err == -EINVAL, "family=0: %s", strerrorname(-err));
	err = ns_module_load("family=46");
	CHECK(err == -EINVAL, "family=46 (AF_MAX): %s", strerrorname(-err));
	CHECK(ns_kmsg_contains(kmsg, "family=46 is not an address family number"));

	/* A free slot other than 25 (AF_WANPIPE's neighbour AF_LLC is 26). */
	err = ns_module_load("family=26");
	REQUIRE(err == 0, "family=26: %s", strerrorname(-err));
	CHECK(ns_family() == 26, "parameter reads %d", ns_family());
	fd = socket(26, SOCK_DGRAM, 0);
	CHECK(fd >= 0, "socket(26): %s", strerrorname(errno));
	if (fd >= 0) {
		struct sockaddr_ns sns;
		socklen_t len = sizeof(sns);

		CHECK_OK(getsockname(fd, (struct sockaddr *)&sns, &len));
		CHECK(sns.sns_family == 26, "getsockname family %d", sns.sns_family);
		close(fd);
	}
	CHECK_ERRNO(socket(AF_NETSTACK, SOCK_DGRAM, 0), EAFNOSUPPORT);
	close(kmsg);
	ns_module_ensure_unloaded();
	ns_module_ensure_loaded();
}
