#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""inject.py - send hand-built bad Ethernet frames (ARP, IPv4, ICMP, IPv4
fragments) out of a device through a raw AF_PACKET socket. Frames are
built with struct alone (no scapy), so every field can be wrong on purpose.

    inject.py DEV DST_MAC SRC_IP DST_IP CLASS[:COUNT]...
    inject.py --serve DEV DST_MAC SRC_IP DST_IP

The first form sends COUNT (default 1) frames of each CLASS and prints
"sent CLASS COUNT" per class. With --serve, it reads "CLASS COUNT" lines
on stdin and answers each with the same "sent CLASS COUNT" line once the
frames are out (or "error ..."), so that a test can read counters between
classes without starting Python again. "list" prints the classes.

Classes that must be answered (echo requests, datagrams that earn an ICMP
error) wait up to 3 s for the answer of their last instance and check it:
checksums, lengths, the echoed data or the quoted header. Their line ends
" replied" when it came and was right, else " no-reply" or " bad-reply:
WHAT". Classes that must not be answered (though a careless stack would)
watch for 0.5 s: " unanswered", or " answered-anyway: WHAT".

SRC_IP is the sender's (a real peer's) address, DST_IP the target's; the
source MAC is DEV's own. Run it as root in the sender's network namespace
(ip netns exec NS /usr/bin/python3 inject.py ...).
"""

import socket
import struct
import sys
import time

ETH_P_IP = 0x0800
ETH_P_ARP = 0x0806
IPPROTO_ICMP = 1
IPPROTO_TCP = 6
IPPROTO_UDP = 17
IPPROTO_TEST = 253		# RFC 3692 experimental: keys no real traffic uses


def mac(text):
    return bytes(int(b, 16) for b in text.split(":"))


def csum(data):
    """The Internet checksum (RFC 1071)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


class Frames:
    def __init__(self, src_mac, dst_mac, src_ip, dst_ip):
        self.src_mac = src_mac
        self.dst_mac = dst_mac
        self.src_ip = socket.inet_aton(src_ip)
        self.dst_ip = socket.inet_aton(dst_ip)
        self.ident = 0x4000
        self.expect = None	# the answer the last frames must get, if any

    def next_id(self):
        self.ident = (self.ident + 1) & 0xFFFF
        return self.ident

    def eth(self, ethertype, payload, dst=None):
        return (dst or self.dst_mac) + self.src_mac + struct.pack("!H", ethertype) + payload

    def ipv4(self, payload, proto=IPPROTO_ICMP, ihl=5, version=4, tot_len=None,
             ident=None, frag=0, ttl=64, src=None, options=b"", bad_csum=False):
        """An IPv4 packet; its header checksum is right unless bad_csum."""
        if tot_len is None:
            tot_len = 20 + len(options) + len(payload)
        ident = self.next_id() if ident is None else ident
        hdr = struct.pack("!BBHHHBBH4s4s", version << 4 | (ihl & 15), 0, tot_len & 0xFFFF,
                          ident, frag, ttl, proto, 0, src or self.src_ip, self.dst_ip) + options
        # The checksum covers the header as IHL says, as far as there is one.
        c = csum(hdr[:max(ihl, 5) * 4])
        if bad_csum:
            c ^= 0x5A5A
        hdr = hdr[:10] + struct.pack("!H", c) + hdr[12:]
        return hdr + payload

    def echo(self, data=b"netstack-inject!", bad_csum=False):
        """An echo request; a good one is expected to be answered."""
        ident, seq = 0x1234, self.next_id()
        icmp = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
        c = csum(icmp)
        if bad_csum:
            c ^= 0x5A5A
        self.expect = ("echo", ident, seq, data)
        return icmp[:2] + struct.pack("!H", c) + icmp[4:]

    def arp(self, hrd=1, pro=ETH_P_IP, hln=6, pln=4, op=1, sha=None, spa=None,
            tha=b"\0" * 6, tpa=None):
        return struct.pack("!HHBBH", hrd, pro, hln, pln, op) + \
            (sha or self.src_mac) + (spa or self.src_ip) + tha + (tpa or self.dst_ip)

    # --- the classes: each returns the frames of one instance ------------
    # i is the instance's number, for classes that cycle through variants.

    def c_ip_truncated(self, i):
        """Ethernet header plus 0..19 bytes of an IPv4 header."""
        full = self.ipv4(self.echo())
        return [self.eth(ETH_P_IP, full[:(0, 1, 10, 19)[i % 4]])]

    def c_ip_bad_checksum(self, i):
        return [self.eth(ETH_P_IP, self.ipv4(self.echo(), bad_csum=True))]

    def c_ip_ihl_short(self, i):
        """IHL 0..4: a header shorter than the 20-byte minimum."""
        return [self.eth(ETH_P_IP, self.ipv4(self.echo(), ihl=i % 5))]

    def c_ip_ihl_long(self, i):
        """IHL 6..15 in a packet shorter than that header."""
        ihl = 6 + i % 10
        pkt = self.ipv4(b"", ihl=ihl)		# 20 bytes; the header claims 24..60
        return [self.eth(ETH_P_IP, pkt)]

    def c_ip_totlen_long(self, i):
        """Total length beyond the end of the frame."""
        payload = self.echo()
        return [self.eth(ETH_P_IP, self.ipv4(payload, tot_len=20 + len(payload) + 1 + i % 1000))]

    def c_ip_totlen_short(self, i):
        """Total length below the header length."""
        return [self.eth(ETH_P_IP, self.ipv4(self.echo(), tot_len=i % 20))]

    def c_ip_bad_version(self, i):
        return [self.eth(ETH_P_IP, self.ipv4(self.echo(), version=(6, 0, 5, 15)[i % 4]))]

    def c_ip_bad_options(self, i):
        """IHL 6 with a record-route option that claims 10 bytes."""
        return [self.eth(ETH_P_IP, self.ipv4(self.echo(), ihl=6, options=b"\x07\x0a\x04\x00"))]

    def c_ip_bad_source(self, i):
        src = socket.inet_aton(("224.0.0.1", "255.255.255.255", "127.0.0.1")[i % 3])
        return [self.eth(ETH_P_IP, self.ipv4(self.echo(), src=src))]

    def c_icmp_bad_checksum(self, i):
        return [self.eth(ETH_P_IP, self.ipv4(self.echo(bad_csum=True)))]

    def c_icmp_echo(self, i):
        """A valid echo request (the control). Answered."""
        return [self.eth(ETH_P_IP, self.ipv4(self.echo()))]

    def c_icmp_echo_padded(self, i):
        """An echo request followed by bytes past its total length, as
        Ethernet padding would be. Answered, without them."""
        return [self.eth(ETH_P_IP, self.ipv4(self.echo(b"pad")) + b"\xAA" * 30)]

    def c_icmp_echo_options(self, i):
        """An echo request with IP options (NOP, NOP, NOP, EOL). Answered."""
        return [self.eth(ETH_P_IP, self.ipv4(self.echo(), ihl=6, options=b"\x01\x01\x01\x00"))]

    def c_frag_echo_reversed(self, i):
        """An echo request in three fragments, sent last first. Answered."""
        icmp = self.echo(b"R" * 40)		# 48 bytes: 16 + 16 + 16
        ident = self.next_id()
        frags = [self.eth(ETH_P_IP, self.ipv4(icmp[off:off + 16], ident=ident,
                                              frag=off // 8 | (0x2000 if off < 32 else 0)))
                 for off in (0, 16, 32)]
        return frags[::-1]

    def udp(self, sport, dport, data, length=None, check=None, dst=None):
        """A UDP datagram in an IPv4 packet; its checksum is right unless
        check gives another one (0: none)."""
        length = 8 + len(data) if length is None else length
        dst = dst or self.dst_ip
        udp = struct.pack("!HHHH", sport, dport, length, 0) + data
        if check is None:
            pseudo = self.src_ip + dst + struct.pack("!BBH", 0, IPPROTO_UDP, len(udp))
            check = csum(pseudo + udp) or 0xFFFF
        udp = udp[:6] + struct.pack("!H", check) + udp[8:]
        saved, self.dst_ip = self.dst_ip, dst
        pkt = self.ipv4(udp, proto=IPPROTO_UDP)
        self.dst_ip = saved
        self.expect = ("unreach", 3, pkt)
        return pkt

    def c_udp_closed_port(self, i):
        """A UDP datagram to port 9. Answered by ICMP port unreachable."""
        return [self.eth(ETH_P_IP, self.udp(40000 + i, 9, b"netstack-inject-udp"))]

    def c_udp_bad_checksum(self, i):
        """A UDP datagram to port 9 with a wrong checksum: to be dropped
        silently (RFC 1122 4.1.3.4), no port unreachable."""
        good = self.udp(40000 + i, 9, b"netstack-inject-udp")
        bad = struct.unpack("!H", good[26:28])[0] ^ 0x5A5A
        return [self.eth(ETH_P_IP, self.udp(40000 + i, 9, b"netstack-inject-udp", check=bad))]

    def c_udp_bad_length(self, i):
        """A UDP datagram whose length field runs past the IP payload: to
        be dropped, no port unreachable."""
        return [self.eth(ETH_P_IP, self.udp(40000 + i, 9, b"netstack-inject-udp", length=200, check=0))]

    def c_udp_broadcast(self, i):
        """A UDP datagram to port 9 of the subnet's broadcast address (from
        DST_IP/24), broadcast: no ICMP error (RFC 1122 3.2.2)."""
        bcast = self.dst_ip[:3] + b"\xff"
        return [self.eth(ETH_P_IP, self.udp(40000 + i, 9, b"netstack-inject-udp", dst=bcast),
                         dst=b"\xff" * 6)]

    def tcp(self, sport, dport, seq, ack, flags, data=b"", doff=5, check=None, dst=None):
        """A TCP segment in an IPv4 packet, a bare 20-byte header whatever
        doff says; its checksum is right unless check gives another one.
        flags: a string of F S R P A letters."""
        bits = sum(1 << "FSRPA".index(f) for f in flags)
        dst = dst or self.dst_ip
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, bits,
                          65535, 0, 0) + data
        if check is None:
            pseudo = self.src_ip + dst + struct.pack("!BBH", 0, IPPROTO_TCP, len(tcp))
            check = csum(pseudo + tcp)
        tcp = tcp[:16] + struct.pack("!H", check) + tcp[18:]
        saved, self.dst_ip = self.dst_ip, dst
        pkt = self.ipv4(tcp, proto=IPPROTO_TCP)
        self.dst_ip = saved
        return pkt

    def c_tcp_syn_closed(self, i):
        """A SYN to port 9. Answered by a reset: <SEQ=0><ACK=SEG.SEQ+1>
        <CTL=RST,ACK> (RFC 9293 3.10.7.1)."""
        seq = 1000 + i
        self.expect = ("rst", 41000 + i, 9, 0, seq + 1, "RA")
        return [self.eth(ETH_P_IP, self.tcp(41000 + i, 9, seq, 0, "S"))]

    def c_tcp_data_closed(self, i):
        """An ACK with 10 bytes and FIN to port 9, as if of an old
        connection. Answered by a reset: <SEQ=SEG.ACK><CTL=RST>."""
        self.expect = ("rst", 42000 + i, 9, 0xfffffff0 + i, 0, "R")
        return [self.eth(ETH_P_IP, self.tcp(42000 + i, 9, 5000, 0xfffffff0 + i, "FA",
                                            data=b"0123456789"))]

    def c_tcp_rst_closed(self, i):
        """A reset to port 9: never answered (RFC 9293 3.10.7.1)."""
        self.expect = ("rst", 43000 + i, 9, None, None, None)
        return [self.eth(ETH_P_IP, self.tcp(43000 + i, 9, 7000, 0, "R"))]

    def c_tcp_bad_checksum(self, i):
        """A SYN with a wrong checksum: dropped and counted, no reset."""
        good = self.tcp(44000 + i, 9, 1, 0, "S")
        bad = struct.unpack("!H", good[36:38])[0] ^ 0x5A5A
        self.expect = ("rst", 44000 + i, 9, None, None, None)
        return [self.eth(ETH_P_IP, self.tcp(44000 + i, 9, 1, 0, "S", check=bad))]

    def c_tcp_bad_offset(self, i):
        """A SYN whose data offset runs past the segment (15 words in a
        20-byte segment), or is below 5: dropped as malformed, no reset."""
        self.expect = ("rst", 45000 + i, 9, None, None, None)
        return [self.eth(ETH_P_IP, self.tcp(45000 + i, 9, 1, 0, "S", doff=(15, 4)[i % 2]))]

    def c_tcp_syn_broadcast(self, i):
        """A SYN to port 9 of the subnet's broadcast address, broadcast:
        dropped, no reset (RFC 1122 4.2.3.10)."""
        bcast = self.dst_ip[:3] + b"\xff"
        self.expect = ("rst", 46000 + i, 9, None, None, None)
        return [self.eth(ETH_P_IP, self.tcp(46000 + i, 9, 1, 0, "S", dst=bcast), dst=b"\xff" * 6)]

    def c_icmp_echo_ttl0(self, i):
        """An echo request that arrives with TTL 0: a host takes it (RFC
        1122 3.2.1.7). Answered."""
        return [self.eth(ETH_P_IP, self.ipv4(self.echo(), ttl=0))]

    def c_ip_src_zero(self, i):
        """An echo request from 0.0.0.0 (or 0.x.y.z): an invalid source
        (RFC 1122 3.2.1.3), to be dropped, not answered."""
        src = socket.inet_aton(("0.0.0.0", "0.1.2.3")[i % 2])
        return [self.eth(ETH_P_IP, self.ipv4(self.echo(), src=src))]

    def c_ip_src_subnet_broadcast(self, i):
        """An echo request from the subnet's broadcast address (DST_IP/24):
        an invalid source (RFC 1122 3.2.1.3), to be dropped, not answered."""
        return [self.eth(ETH_P_IP, self.ipv4(self.echo(), src=self.dst_ip[:3] + b"\xff"))]

    def c_ip_unknown_protocol(self, i):
        """A datagram of an unknown protocol. Answered by ICMP protocol
        unreachable."""
        pkt = self.ipv4(b"unknown-protocol", proto=IPPROTO_TEST)
        self.expect = ("unreach", 2, pkt)
        return [self.eth(ETH_P_IP, pkt)]

    def c_arp_bad_hrd(self, i):
        return [self.eth(ETH_P_ARP, self.arp(hrd=(6, 0, 0xFFFF)[i % 3]))]

    def c_arp_bad_pro(self, i):
        return [self.eth(ETH_P_ARP, self.arp(pro=0x86DD))]

    def c_arp_bad_len(self, i):
        """Hardware or protocol address lengths that are not 6 and 4."""
        hln, pln = ((8, 4), (6, 16), (0, 4), (6, 0))[i % 4]
        return [self.eth(ETH_P_ARP, self.arp(hln=hln, pln=pln))]

    def c_arp_bad_op(self, i):
        return [self.eth(ETH_P_ARP, self.arp(op=(0, 3, 9, 0xFFFF)[i % 4]))]

    def c_arp_truncated(self, i):
        """8..27 bytes of a 28-byte ARP packet, broadcast."""
        pkt = self.arp()
        return [self.eth(ETH_P_ARP, pkt[:(8, 14, 20, 27)[i % 4]], dst=b"\xff" * 6)]

    def c_arp_mcast_sender(self, i):
        """A request for DST_IP from SRC_IP claiming a multicast or broadcast MAC."""
        sha = (b"\x01\x00\x5e\x00\x00\x01", b"\x33\x33\x00\x00\x00\x01", b"\xff" * 6,
               b"\0" * 6)[i % 4]
        return [self.eth(ETH_P_ARP, self.arp(sha=sha), dst=b"\xff" * 6)]

    def c_arp_bogus_sender_ip(self, i):
        spa = socket.inet_aton(("224.0.0.5", "255.255.255.255", "127.0.0.1")[i % 3])
        return [self.eth(ETH_P_ARP, self.arp(spa=spa), dst=b"\xff" * 6)]

    def c_arp_own_mac(self, i):
        """A sender claiming the target's own MAC (DST_MAC)."""
        return [self.eth(ETH_P_ARP, self.arp(sha=self.dst_mac), dst=b"\xff" * 6)]

    def _frag(self, ident, offset, more, data):
        frag = (offset // 8) | (0x2000 if more else 0)
        return self.eth(ETH_P_IP, self.ipv4(data, proto=IPPROTO_TEST, ident=ident, frag=frag))

    def c_frag_flood(self, i):
        """A first fragment (MF, 8 bytes) of a datagram that never completes."""
        return [self._frag(self.next_id(), 0, True, b"F" * 8)]

    def c_frag_overlap(self, i):
        """Two fragments of one datagram, the second overlapping the first."""
        ident = self.next_id()
        return [self._frag(ident, 0, True, b"A" * 16), self._frag(ident, 8, True, b"B" * 16)]

    def c_frag_duplicate(self, i):
        """The same fragment twice (its datagram never completes)."""
        ident = self.next_id()
        f = self._frag(ident, 8, True, b"D" * 16)
        return [f, f]

    def c_frag_malformed(self, i):
        """A non-final fragment whose payload is not a multiple of 8 bytes."""
        return [self._frag(self.next_id(), 0, True, b"M" * (12 + 8 * (i % 3)))]

    def c_frag_oversize(self, i):
        """A last fragment that ends beyond 65535 bytes of datagram."""
        return [self._frag(self.next_id(), 65528, False, b"O" * 16)]


# The classes whose (last) frames must be answered, and those whose frames
# must not, though a careless stack would; Frames.expect says what the
# answer looks like.
ANSWERED = {"icmp-echo", "icmp-echo-padded", "icmp-echo-options", "icmp-echo-ttl0",
            "frag-echo-reversed", "udp-closed-port", "ip-unknown-protocol",
            "tcp-syn-closed", "tcp-data-closed"}
UNANSWERED = {"udp-bad-checksum", "udp-bad-length", "udp-broadcast", "ip-src-zero",
              "ip-src-subnet-broadcast", "tcp-rst-closed", "tcp-bad-checksum",
              "tcp-bad-offset", "tcp-syn-broadcast"}


def check_answer(pkt, expect, src_ip):
    """Whether frame pkt is the answer expect describes: None if it is not
    an answer to us at all, "" if it is and is right, else what is wrong."""
    if len(pkt) < 14 + 20 or pkt[12:14] != b"\x08\x00":
        return None
    ip = pkt[14:]
    ihl = (ip[0] & 15) * 4
    if expect[0] == "rst":
        return check_rst(ip, ihl, expect, src_ip)
    if ip[9] != IPPROTO_ICMP or ip[12:16] != src_ip or len(ip) < ihl + 8:
        return None
    tot_len = struct.unpack("!H", ip[2:4])[0]
    icmp = ip[ihl:tot_len]
    kind = expect[0]
    if kind == "echo":
        _, ident, seq, data = expect
        if icmp[0] != 0 or struct.unpack("!HH", icmp[4:8]) != (ident, seq):
            return None
    else:
        _, code, sent = expect
        if icmp[0] != 3 or icmp[8:28] != sent[:20]:
            return None
    problems = []
    if ip[0] >> 4 != 4 or ihl < 20:
        problems.append("bad version/IHL")
    if tot_len != len(ip):
        problems.append("total length %d in a %d-byte packet" % (tot_len, len(ip)))
    if csum(ip[:ihl]):
        problems.append("bad IP header checksum")
    if csum(icmp):
        problems.append("bad ICMP checksum")
    if kind == "echo":
        if icmp[1] != 0 or icmp[8:] != data:
            problems.append("code %d, data %r (sent %r)" % (icmp[1], icmp[8:], data))
    else:
        if icmp[1] != code:
            problems.append("code %d, want %d" % (icmp[1], code))
        if icmp[8:] != sent[:len(icmp) - 8] or len(icmp) - 8 < min(len(sent), 28):
            problems.append("quotes %r, sent %r" % (icmp[8:], sent))
    return "; ".join(problems)


def check_rst(ip, ihl, expect, src_ip):
    """check_answer for a TCP reset: expect is ("rst", our port, their
    port, SEQ, ACK, flags); None fields are not checked."""
    _, sport, dport, seq, ack, flags = expect
    if ip[9] != IPPROTO_TCP or ip[12:16] != src_ip or len(ip) < ihl + 20:
        return None
    tcp = ip[ihl:struct.unpack("!H", ip[2:4])[0]]
    if struct.unpack("!HH", tcp[:4]) != (dport, sport):
        return None
    problems = []
    got_seq, got_ack = struct.unpack("!II", tcp[4:12])
    got_flags = "".join(f for n, f in enumerate("FSRPA") if tcp[13] & (1 << n))
    pseudo = ip[12:20] + struct.pack("!BBH", 0, IPPROTO_TCP, len(tcp))
    if csum(pseudo + tcp) or csum(ip[:ihl]):
        problems.append("bad checksum")
    if flags is not None and got_flags != flags:
        problems.append("flags %s, want %s" % (got_flags, flags))
    if seq is not None and got_seq != seq:
        problems.append("seq %d, want %d" % (got_seq, seq))
    if ack is not None and "A" in (flags or "") and got_ack != ack:
        problems.append("ack %d, want %d" % (got_ack, ack))
    if len(tcp) != 20:
        problems.append("%d-byte segment, want a bare header" % len(tcp))
    return "; ".join(problems)


def await_answer(rsock, expect, src_ip, timeout=3.0):
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return " no-reply"
        rsock.settimeout(left)
        try:
            pkt, addr = rsock.recvfrom(70000)
        except socket.timeout:
            return " no-reply"
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        verdict = check_answer(pkt, expect, src_ip)
        if verdict == "":
            return " replied"
        if verdict:
            return " bad-reply: " + verdict


def await_none(rsock, expect, src_ip, timeout=0.5):
    """For frames that must not be answered: " unanswered", or
    " answered-anyway: " and where the answer went."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return " unanswered"
        rsock.settimeout(left)
        try:
            pkt, addr = rsock.recvfrom(70000)
        except socket.timeout:
            return " unanswered"
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        if check_answer(pkt, expect, src_ip) is not None:
            ip = pkt[14:]
            if expect[0] == "rst":
                return " answered-anyway: a TCP segment to %s" % socket.inet_ntoa(ip[16:20])
            return " answered-anyway: ICMP type %d code %d to %s (MAC %s)" % (
                ip[(ip[0] & 15) * 4], ip[(ip[0] & 15) * 4 + 1],
                socket.inet_ntoa(ip[16:20]), ":".join("%02x" % b for b in pkt[:6]))


def drain(rsock):
    rsock.setblocking(False)
    try:
        while True:
            rsock.recv(70000)
    except BlockingIOError:
        pass
    rsock.setblocking(True)


def classes():
    return sorted(n[2:].replace("_", "-") for n in dir(Frames) if n.startswith("c_"))


def build(frames, name):
    fn = getattr(frames, "c_" + name.replace("-", "_"), None)
    if fn is None:
        raise ValueError("unknown class %r (try: list)" % name)
    return fn


def send(sock, rsock, frames, name, count):
    """Send; returns what became of the answer, if one is due."""
    fn = build(frames, name)
    drain(rsock)
    for i in range(count):
        frames.expect = None
        for f in fn(i):
            sock.send(f)
    if name in ANSWERED:
        return await_answer(rsock, frames.expect, frames.dst_ip)
    if name in UNANSWERED:
        return await_none(rsock, frames.expect, frames.dst_ip)
    return ""


def main(argv):
    serve = len(argv) > 1 and argv[1] == "--serve"
    args = argv[2:] if serve else argv[1:]
    if args == ["list"]:
        print("\n".join(classes()))
        return 0
    if len(args) < 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    dev, dst_mac, src_ip, dst_ip = args[:4]
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((dev, 0))
    rsock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
    rsock.bind((dev, ETH_P_IP))
    try:	# not our own frames (PACKET_IGNORE_OUTGOING, Linux 4.20)
        rsock.setsockopt(263, 23, 1)
    except OSError:
        pass
    src_mac = sock.getsockname()[4]
    frames = Frames(src_mac, mac(dst_mac), src_ip, dst_ip)

    if not serve:
        for spec in args[4:]:
            name, _, count = spec.partition(":")
            answer = send(sock, rsock, frames, name, int(count or 1))
            print("sent %s %d%s" % (name, int(count or 1), answer), flush=True)
        return 0
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        try:
            count = int(words[1]) if len(words) > 1 else 1
            answer = send(sock, rsock, frames, words[0], count)
            print("sent %s %d%s" % (words[0], count, answer), flush=True)
        except (ValueError, OSError) as e:
            print("error %s: %s" % (words[0], e), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
