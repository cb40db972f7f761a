// SPDX-License-Identifier: GPL-2.0
/*
 * test-fakegenl.c - a stand-in for the kernel side, for host tests only.
 * Preloaded into nsctl by test-cli.sh, it replaces libmnl's socket calls:
 * it answers CTRL_CMD_GETFAMILY, logs every netstack request it receives
 * (to $FAKEGENL_LOG, one line each), answers dumps with fixed entries and
 * changes with an ack, or with an error as the environment asks:
 *
 *   FAKEGENL_ERR=ERRNO[:message]      fail the request (errno number)
 *   FAKEGENL_DUMPERR=ERRNO[:message]  fail a dump after its first entry
 *   FAKEGENL_NOCAP=1                  echo the request in errors (no CAP_ACK)
 *   FAKEGENL_INTR=1                   mark dumps NLM_F_DUMP_INTR
 *   FAKEGENL_EMPTY=1                  dumps have no entries
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <linux/netstack.h>

#define FAKE_FAMILY	0x42
#define FAKE_PORTID	4242

static char q[65536];		/* replies waiting for recvfrom */
static size_t qlen;
static int dummy_sock;

struct mnl_socket *mnl_socket_open(int bus)
{
	(void)bus;
	return (struct mnl_socket *)&dummy_sock;
}

int mnl_socket_setsockopt(const struct mnl_socket *nl, int type, void *buf, socklen_t len)
{
	(void)nl, (void)type, (void)buf, (void)len;
	return 0;
}

int mnl_socket_bind(struct mnl_socket *nl, unsigned int groups, pid_t pid)
{
	(void)nl, (void)groups, (void)pid;
	return 0;
}

unsigned int mnl_socket_get_portid(const struct mnl_socket *nl)
{
	(void)nl;
	return FAKE_PORTID;
}

int mnl_socket_close(struct mnl_socket *nl)
{
	(void)nl;
	return 0;
}

static struct nlmsghdr *reply(const struct nlmsghdr *req, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(q + qlen);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = FAKE_PORTID;
	return nlh;
}

static void queue(struct nlmsghdr *nlh)
{
	qlen += MNL_ALIGN(nlh->nlmsg_len);
}

/* An NLMSG_ERROR (ack when err is 0) with the extack message, if any. */
static void ack(const struct nlmsghdr *req, int err, const char *msg)
{
	bool nocap = getenv("FAKEGENL_NOCAP");
	struct nlmsghdr *nlh = reply(req, NLMSG_ERROR, nocap ? 0 : NLM_F_CAPPED);
	struct nlmsgerr *e;

	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = err;
	e->msg = *req;
	if (nocap) {
		void *p = mnl_nlmsg_put_extra_header(nlh, req->nlmsg_len - sizeof(*req));

		memcpy(p, req + 1, req->nlmsg_len - sizeof(*req));
	}
	if (msg && *msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	}
	queue(nlh);
}

/* "ERRNO[:message]" from the environment; 0 if unset. */
static int env_err(const char *var, const char **msg)
{
	const char *v = getenv(var);

	if (!v)
		return 0;
	*msg = strchr(v, ':') ? strchr(v, ':') + 1 : NULL;
	return atoi(v);
}

static struct nlmsghdr *entry(const struct nlmsghdr *req, uint8_t cmd)
{
	struct nlmsghdr *nlh = reply(req, FAKE_FAMILY, NLM_F_MULTI);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	if (getenv("FAKEGENL_INTR"))
		nlh->nlmsg_flags |= NLM_F_DUMP_INTR;
	g->cmd = cmd;
	g->version = NETSTACK_GENL_VERSION;
	return nlh;
}

static uint32_t ip(const char *s)
{
	return inet_addr(s);
}

static void put_dev(struct nlmsghdr *nlh, uint32_t idx, const char *name)
{
	mnl_attr_put_u32(nlh, NETSTACK_A_IFINDEX, idx);
	if (name)
		mnl_attr_put_strz(nlh, NETSTACK_A_IFNAME, name);
}

static void put_stat(struct nlmsghdr *nlh, const char *name, uint64_t v)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETSTACK_A_STAT);

	mnl_attr_put_strz(nlh, NETSTACK_A_STAT_NAME, name);
	mnl_attr_put_u64(nlh, NETSTACK_A_STAT_VALUE, v);
	mnl_attr_nest_end(nlh, nest);
}

/* A SOCK_GET entry; ports in host order, as the ABI has them. */
static void put_sock(struct nlmsghdr *nlh, uint8_t proto, uint8_t state,
		     const char *laddr, uint16_t lport, const char *raddr,
		     uint16_t rport, uint32_t rxq, uint32_t txq, uint32_t drops)
{
	mnl_attr_put_u8(nlh, NETSTACK_A_SOCK_PROTO, proto);
	mnl_attr_put_u8(nlh, NETSTACK_A_SOCK_STATE, state);
	mnl_attr_put_u32(nlh, NETSTACK_A_SOCK_LADDR, ip(laddr));
	mnl_attr_put_u16(nlh, NETSTACK_A_SOCK_LPORT, lport);
	mnl_attr_put_u32(nlh, NETSTACK_A_SOCK_RADDR, ip(raddr));
	mnl_attr_put_u16(nlh, NETSTACK_A_SOCK_RPORT, rport);
	mnl_attr_put_u32(nlh, NETSTACK_A_SOCK_RXQ, rxq);
	mnl_attr_put_u32(nlh, NETSTACK_A_SOCK_TXQ, txq);
	mnl_attr_put_u32(nlh, NETSTACK_A_SOCK_DROPS, drops);
}

static const uint8_t mac1[6] = { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
static const uint8_t mac2[6] = { 0x02, 0, 0, 0, 0, 0x01 };

/* The fixed dump entries: [0] is always queued, the rest unless DUMPERR. */
static int dump_entry(const struct nlmsghdr *req, uint8_t cmd, int i)
{
	struct nlmsghdr *nlh = entry(req, cmd);

	switch (cmd * 10 + i) {
	case NETSTACK_CMD_LINK_GET * 10 + 0:
		put_dev(nlh, 2, "veth0");
		mnl_attr_put(nlh, NETSTACK_A_LLADDR, 6, mac1);
		mnl_attr_put_u32(nlh, NETSTACK_A_MTU, 1500);
		mnl_attr_put_u8(nlh, NETSTACK_A_LINK_UP, 1);
		break;
	case NETSTACK_CMD_LINK_GET * 10 + 1:	/* no IFNAME: if_indextoname(1) */
		put_dev(nlh, 1, NULL);
		mnl_attr_put(nlh, NETSTACK_A_LLADDR, 6, mac2);
		mnl_attr_put_u32(nlh, NETSTACK_A_MTU, 65536);
		mnl_attr_put_u8(nlh, NETSTACK_A_LINK_UP, 0);
		break;
	case NETSTACK_CMD_ADDR_GET * 10 + 0:
		put_dev(nlh, 2, "veth0");
		mnl_attr_put_u32(nlh, NETSTACK_A_ADDR, ip("10.0.0.1"));
		mnl_attr_put_u8(nlh, NETSTACK_A_PREFIXLEN, 24);
		break;
	case NETSTACK_CMD_ADDR_GET * 10 + 1:
		put_dev(nlh, 1, "lo");
		mnl_attr_put_u32(nlh, NETSTACK_A_ADDR, ip("192.168.7.7"));
		mnl_attr_put_u8(nlh, NETSTACK_A_PREFIXLEN, 32);
		break;
	case NETSTACK_CMD_ROUTE_GET * 10 + 0:
		mnl_attr_put_u32(nlh, NETSTACK_A_DST, 0);
		mnl_attr_put_u8(nlh, NETSTACK_A_PREFIXLEN, 0);
		mnl_attr_put_u32(nlh, NETSTACK_A_GATEWAY, ip("10.0.0.254"));
		put_dev(nlh, 2, "veth0");
		mnl_attr_put_u8(nlh, NETSTACK_A_ROUTE_ORIGIN, NETSTACK_ROUTE_STATIC);
		break;
	case NETSTACK_CMD_ROUTE_GET * 10 + 1:
		mnl_attr_put_u32(nlh, NETSTACK_A_DST, ip("10.0.0.0"));
		mnl_attr_put_u8(nlh, NETSTACK_A_PREFIXLEN, 24);
		put_dev(nlh, 2, "veth0");
		mnl_attr_put_u32(nlh, NETSTACK_A_PREFSRC, ip("10.0.0.1"));
		mnl_attr_put_u8(nlh, NETSTACK_A_ROUTE_ORIGIN, NETSTACK_ROUTE_LINK);
		break;
	case NETSTACK_CMD_ROUTE_GET * 10 + 2:
		mnl_attr_put_u32(nlh, NETSTACK_A_DST, ip("10.9.9.9"));
		mnl_attr_put_u8(nlh, NETSTACK_A_PREFIXLEN, 32);
		mnl_attr_put_u32(nlh, NETSTACK_A_GATEWAY, ip("10.0.0.2"));
		put_dev(nlh, 2, "veth0");
		mnl_attr_put_u8(nlh, NETSTACK_A_ROUTE_ORIGIN, NETSTACK_ROUTE_STATIC);
		break;
	case NETSTACK_CMD_NEIGH_GET * 10 + 0:
		put_dev(nlh, 2, "veth0");
		mnl_attr_put_u32(nlh, NETSTACK_A_ADDR, ip("10.0.0.2"));
		mnl_attr_put(nlh, NETSTACK_A_LLADDR, 6, mac1);
		mnl_attr_put_u8(nlh, NETSTACK_A_NEIGH_STATE, NETSTACK_NEIGH_REACHABLE);
		break;
	case NETSTACK_CMD_NEIGH_GET * 10 + 1:
		put_dev(nlh, 2, "veth0");
		mnl_attr_put_u32(nlh, NETSTACK_A_ADDR, ip("10.0.0.3"));
		mnl_attr_put_u8(nlh, NETSTACK_A_NEIGH_STATE, NETSTACK_NEIGH_INCOMPLETE);
		break;
	case NETSTACK_CMD_NEIGH_GET * 10 + 2:
		put_dev(nlh, 1, "lo");
		mnl_attr_put_u32(nlh, NETSTACK_A_ADDR, ip("127.0.0.9"));
		mnl_attr_put(nlh, NETSTACK_A_LLADDR, 6, mac2);
		mnl_attr_put_u8(nlh, NETSTACK_A_NEIGH_STATE, NETSTACK_NEIGH_PERMANENT);
		break;
	case NETSTACK_CMD_STATS_GET * 10 + 0:
		put_stat(nlh, "ip_in_receives", 12);
		put_stat(nlh, "ip_out_requests", 0);
		break;
	case NETSTACK_CMD_STATS_GET * 10 + 1:
		put_stat(nlh, "arp_rx \"quoted\"", 18446744073709551615ull);
		break;
	case NETSTACK_CMD_SOCK_GET * 10 + 0:	/* TCP_CLOSE: unconnected */
		put_sock(nlh, IPPROTO_UDP, 7, "0.0.0.0", 7, "0.0.0.0", 0, 0, 0, 0);
		break;
	case NETSTACK_CMD_SOCK_GET * 10 + 1:	/* TCP_ESTABLISHED: connected */
		put_sock(nlh, IPPROTO_UDP, 1, "10.0.0.2", 40000, "10.0.0.1", 7,
			 2304, 768, 3);
		break;
	case NETSTACK_CMD_SOCK_GET * 10 + 2:	/* TCP_LISTEN, for the filters */
		put_sock(nlh, IPPROTO_TCP, 10, "10.0.0.2", 80, "0.0.0.0", 0, 0, 0, 0);
		break;
	default:
		return 0;
	}
	queue(nlh);
	return 1;
}

static void dump(const struct nlmsghdr *req, uint8_t cmd)
{
	const char *msg = NULL;
	int err = env_err("FAKEGENL_DUMPERR", &msg), i;
	struct nlmsghdr *nlh;

	for (i = 0; i < 10 && (i == 0 || !err) && !getenv("FAKEGENL_EMPTY"); i++)
		dump_entry(req, cmd, i);
	nlh = reply(req, NLMSG_DONE, NLM_F_MULTI);
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = -err;
	if (err && msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	queue(nlh);
}

static int log_attr(const struct nlattr *a, void *data)
{
	FILE *f = data;
	const uint8_t *p = mnl_attr_get_payload(a);
	struct in_addr in;

	switch (mnl_attr_get_type(a)) {
	case NETSTACK_A_IFINDEX:
		fprintf(f, " ifindex=%u", mnl_attr_get_u32(a));
		break;
	case NETSTACK_A_ADDR:
	case NETSTACK_A_DST:
	case NETSTACK_A_GATEWAY:
		in.s_addr = mnl_attr_get_u32(a);
		fprintf(f, " %s=%s", mnl_attr_get_type(a) == NETSTACK_A_ADDR ? "addr" :
			mnl_attr_get_type(a) == NETSTACK_A_DST ? "dst" : "gateway",
			inet_ntoa(in));
		break;
	case NETSTACK_A_PREFIXLEN:
		fprintf(f, " prefixlen=%u", mnl_attr_get_u8(a));
		break;
	case NETSTACK_A_LLADDR:
		fprintf(f, " lladdr=%02x:%02x:%02x:%02x:%02x:%02x(len %u)",
			p[0], p[1], p[2], p[3], p[4], p[5], mnl_attr_get_payload_len(a));
		break;
	default:
		fprintf(f, " attr%u", mnl_attr_get_type(a));
	}
	return MNL_CB_OK;
}

static void log_req(const struct nlmsghdr *req, const struct genlmsghdr *g)
{
	const char *path = getenv("FAKEGENL_LOG");
	FILE *f = path ? fopen(path, "a") : NULL;

	if (!f)
		return;
	fprintf(f, "cmd=%u v=%u%s%s", g->cmd, g->version,
		req->nlmsg_flags & NLM_F_ACK ? " ack" : "",
		(req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP ? " dump" : "");
	mnl_attr_parse(req, sizeof(*g), log_attr, f);
	fputc('\n', f);
	fclose(f);
}

ssize_t mnl_socket_sendto(const struct mnl_socket *nl, const void *buf, size_t len)
{
	const struct nlmsghdr *req = buf;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(req);
	const char *msg = NULL;
	struct nlmsghdr *nlh;
	int err;

	(void)nl;
	if (req->nlmsg_type == GENL_ID_CTRL) {
		nlh = reply(req, GENL_ID_CTRL, 0);
		mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAKE_FAMILY);
		mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NETSTACK_GENL_NAME);
		queue(nlh);
		ack(req, 0, NULL);
		return len;
	}
	if (req->nlmsg_type != FAKE_FAMILY) {
		errno = EINVAL;
		return -1;
	}
	log_req(req, g);
	err = env_err("FAKEGENL_ERR", &msg);
	if (err)
		ack(req, -err, msg);
	else if ((req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
		dump(req, g->cmd);
	else
		ack(req, 0, NULL);
	return len;
}

ssize_t mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf, size_t size)
{
	ssize_t n = qlen;

	(void)nl;
	if (qlen > size) {
		errno = ENOSPC;
		return -1;
	}
	memcpy(buf, q, qlen);
	qlen = 0;
	return n;
}
