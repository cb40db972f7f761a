// SPDX-License-Identifier: GPL-2.0
/*
 * genl.c - the conversation with the "netstack" generic netlink family:
 * the socket (with extended acks), family resolution, one change request
 * answered by an ack, one dump, kernel error and extack reporting, and the
 * checked parsing of reply attributes.
 *
 * The socket is opened on the first request, so commands that fail while
 * parsing their arguments never touch netlink.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "nsctl.h"

#define NS_RXBUF_SIZE	32768	/* the largest skb a netlink dump uses */

static struct mnl_socket *ns_nl;
static uint16_t ns_family;
static unsigned int ns_portid;
static unsigned int ns_seq;
static char ns_rxbuf[NS_RXBUF_SIZE];

/* One request's outcome, shared by the data and control callbacks. */
struct ns_reply {
	mnl_cb_t cb;		/* for each data message, may be NULL */
	void *data;
	bool cb_failed;		/* cb reported its own error */
	int err;		/* positive errno the kernel answered */
	char msg[256];		/* its extack message, "" if none */
	unsigned int miss_type;	/* its NLMSGERR_ATTR_MISS_TYPE, 0 if none */
};

static int ns_extack_cb(const struct nlattr *attr, void *data)
{
	struct ns_reply *r = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(r->msg, sizeof(r->msg), "%s", mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			r->miss_type = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

/* The extack TLVs start @off bytes into the payload of an ERROR or DONE. */
static void ns_extack(const struct nlmsghdr *nlh, size_t off, struct ns_reply *r)
{
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off <= mnl_nlmsg_get_payload_len(nlh))
		mnl_attr_parse(nlh, off, ns_extack_cb, r);
}

static int ns_error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct ns_reply *r = data;
	size_t off = sizeof(*e);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	/* Without NLM_F_CAPPED the whole request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len > sizeof(e->msg))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	ns_extack(nlh, off, r);
	if (e->error == 0) {
		if (r->msg[0])
			ns_err("warning: %s", r->msg);
		return MNL_CB_STOP;
	}
	r->err = e->error < 0 ? -e->error : e->error;
	return MNL_CB_ERROR;
}

/* The end of a dump carries the dump's error, if any, and its extack. */
static int ns_done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ns_reply *r = data;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err == 0)
		return MNL_CB_STOP;
	ns_extack(nlh, sizeof(err), r);
	r->err = err < 0 ? -err : err;
	return MNL_CB_ERROR;
}

static int ns_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ns_reply *r = data;
	int ret;

	if (!r->cb)
		return MNL_CB_OK;
	ret = r->cb(nlh, r->data);
	if (ret == MNL_CB_ERROR)
		r->cb_failed = true;
	return ret;
}

/*
 * Send @nlh and read replies until its ack or the end of the dump. Returns
 * 0, -1 after printing a local error, or the positive errno the kernel
 * answered (details in @r, not printed).
 */
static int ns_genl_run(struct nlmsghdr *nlh, struct ns_reply *r)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = ns_error_cb,
		[NLMSG_DONE] = ns_done_cb,
	};
	unsigned int seq = ++ns_seq;
	ssize_t n;
	int ret;

	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(ns_nl, nlh, nlh->nlmsg_len) < 0)
		return ns_err("cannot send to the kernel: %s", strerror(errno));
	do {
		n = mnl_socket_recvfrom(ns_nl, ns_rxbuf, sizeof(ns_rxbuf));
		if (n < 0)
			return ns_err("cannot receive from the kernel: %s", strerror(errno));
		ret = mnl_cb_run2(ns_rxbuf, n, seq, ns_portid, ns_data_cb, r,
				  ctl, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	if (ret == MNL_CB_STOP)
		return 0;
	if (r->cb_failed)
		return -1;
	if (r->err)
		return r->err;
	if (errno == EINTR)	/* NLM_F_DUMP_INTR */
		return ns_err("the dump was interrupted by a change; try again");
	return ns_err("bad reply from the kernel: %s", strerror(errno));
}

/* Print the kernel's answer to a failed request; returns -1. */
static int ns_genl_report(const struct ns_reply *r)
{
	if (r->msg[0])
		return ns_err("%s", r->msg);
	if (r->err == EPERM)
		return ns_err("operation not permitted (needs CAP_NET_ADMIN)");
	if (r->miss_type)
		return ns_err("%s (missing attribute %u)", strerror(r->err), r->miss_type);
	return ns_err("%s", strerror(r->err));
}

static int ns_family_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int ns_family_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), ns_family_attr_cb, data);
	return MNL_CB_OK;
}

/* Open the socket and resolve the family id, once. */
static int ns_genl_open(void)
{
	char buf[NS_MSG_SIZE] = { 0 };	/* zeroed: see ns_genl_msg() */
	struct ns_reply r = { .cb = ns_family_cb, .data = &ns_family };
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	int one = 1, ret;

	if (ns_family)
		return 0;
	ns_nl = mnl_socket_open(NETLINK_GENERIC);
	if (!ns_nl)
		return ns_err("cannot open a generic netlink socket: %s", strerror(errno));
	/* Best effort: kernels without them still give the errno. */
	mnl_socket_setsockopt(ns_nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(ns_nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(ns_nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return ns_err("cannot bind a generic netlink socket: %s", strerror(errno));
	ns_portid = mnl_socket_get_portid(ns_nl);
	ns_seq = time(NULL);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NETSTACK_GENL_NAME);

	ret = ns_genl_run(nlh, &r);
	if (ret == ENOENT)
		return ns_err("the netstack module is not loaded (no generic netlink family \"%s\")",
			      NETSTACK_GENL_NAME);
	if (ret > 0)
		return ns_genl_report(&r);
	if (ret < 0)
		return ret;
	if (!ns_family)
		return ns_err("bad reply from the kernel: no id for family \"%s\"",
			      NETSTACK_GENL_NAME);
	return 0;
}

void ns_genl_close(void)
{
	if (ns_nl)
		mnl_socket_close(ns_nl);
	ns_nl = NULL;
	ns_family = 0;
}

/* Start a request for @cmd in @buf (NS_MSG_SIZE bytes); the family id is set when sent. */
struct nlmsghdr *ns_genl_msg(void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	/* libmnl leaves attribute padding as it finds it */
	memset(buf, 0, NS_MSG_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = NETSTACK_GENL_VERSION;
	return nlh;
}

/* Send one change request; 0 when the kernel acked it, else -1 (printed). */
int ns_genl_change(struct nlmsghdr *nlh)
{
	struct ns_reply r = { 0 };
	int ret;

	if (ns_genl_open())
		return -1;
	nlh->nlmsg_type = ns_family;
	ret = ns_genl_run(nlh, &r);
	return ret > 0 ? ns_genl_report(&r) : ret;
}

/* Dump @cmd, calling @cb for each entry; 0 or -1 (printed). */
int ns_genl_dump(uint8_t cmd, mnl_cb_t cb, void *data)
{
	char buf[NS_MSG_SIZE];
	struct nlmsghdr *nlh = ns_genl_msg(buf, cmd);
	struct ns_reply r = { .cb = cb, .data = data };
	int ret;

	if (ns_genl_open())
		return -1;
	nlh->nlmsg_type = ns_family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ret = ns_genl_run(nlh, &r);
	return ret > 0 ? ns_genl_report(&r) : ret;
}

/* What the ABI says each reply attribute carries. */
static const struct {
	enum mnl_attr_data_type type;
	size_t len;		/* exact length for binary attributes */
} ns_policy[NETSTACK_A_MAX + 1] = {
	[NETSTACK_A_IFINDEX]		= { .type = MNL_TYPE_U32 },
	[NETSTACK_A_IFNAME]		= { .type = MNL_TYPE_NUL_STRING },
	[NETSTACK_A_LLADDR]		= { .type = MNL_TYPE_BINARY, .len = ETH_ALEN_NS },
	[NETSTACK_A_MTU]		= { .type = MNL_TYPE_U32 },
	[NETSTACK_A_LINK_UP]		= { .type = MNL_TYPE_U8 },
	[NETSTACK_A_ADDR]		= { .type = MNL_TYPE_U32 },
	[NETSTACK_A_PREFIXLEN]		= { .type = MNL_TYPE_U8 },
	[NETSTACK_A_DST]		= { .type = MNL_TYPE_U32 },
	[NETSTACK_A_GATEWAY]		= { .type = MNL_TYPE_U32 },
	[NETSTACK_A_PREFSRC]		= { .type = MNL_TYPE_U32 },
	[NETSTACK_A_ROUTE_ORIGIN]	= { .type = MNL_TYPE_U8 },
	[NETSTACK_A_NEIGH_STATE]	= { .type = MNL_TYPE_U8 },
	[NETSTACK_A_STAT]		= { .type = MNL_TYPE_NESTED },
	[NETSTACK_A_STAT_NAME]		= { .type = MNL_TYPE_NUL_STRING },
	[NETSTACK_A_STAT_VALUE]		= { .type = MNL_TYPE_U64 },
	[NETSTACK_A_SOCK_PROTO]		= { .type = MNL_TYPE_U8 },
	[NETSTACK_A_SOCK_STATE]		= { .type = MNL_TYPE_U8 },
	[NETSTACK_A_SOCK_LADDR]		= { .type = MNL_TYPE_U32 },
	[NETSTACK_A_SOCK_LPORT]		= { .type = MNL_TYPE_U16 },
	[NETSTACK_A_SOCK_RADDR]		= { .type = MNL_TYPE_U32 },
	[NETSTACK_A_SOCK_RPORT]		= { .type = MNL_TYPE_U16 },
	[NETSTACK_A_SOCK_RXQ]		= { .type = MNL_TYPE_U32 },
	[NETSTACK_A_SOCK_TXQ]		= { .type = MNL_TYPE_U32 },
	[NETSTACK_A_SOCK_DROPS]		= { .type = MNL_TYPE_U32 },
};

/* Store a valid known attribute in tb; unknown ones (newer kernels) are skipped. */
static int ns_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type > NETSTACK_A_MAX || ns_policy[type].type == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if ((ns_policy[type].len ?
	     mnl_attr_validate2(attr, ns_policy[type].type, ns_policy[type].len) :
	     mnl_attr_validate(attr, ns_policy[type].type)) < 0) {
		ns_err("bad reply from the kernel: attribute %u is malformed", type);
		return MNL_CB_ERROR;
	}
	tb[type] = attr;
	return MNL_CB_OK;
}

/* Parse the attributes of a reply message into tb; 0 or -1 (printed). */
int ns_genl_attrs(const struct nlmsghdr *nlh, const struct nlattr *tb[NETSTACK_A_MAX + 1])
{
	memset(tb, 0, sizeof(*tb) * (NETSTACK_A_MAX + 1));
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), ns_attr_cb, tb) < 0 ? -1 : 0;
}

int ns_genl_attrs_nested(const struct nlattr *nest, const struct nlattr *tb[NETSTACK_A_MAX + 1])
{
	memset(tb, 0, sizeof(*tb) * (NETSTACK_A_MAX + 1));
	return mnl_attr_parse_nested(nest, ns_attr_cb, tb) < 0 ? -1 : 0;
}

/*
 * Check that a reply has the attributes the ABI promises for it (@need ends
 * with 0); 0 or -1 (printed).
 */
int ns_genl_need(const struct nlattr *const *tb, const char *what, const int *need)
{
	for (; *need; need++)
		if (!tb[*need])
			return ns_err("bad reply from the kernel: %s without attribute %d",
				      what, *need);
	return 0;
}
