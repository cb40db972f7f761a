# SPDX-License-Identifier: GPL-2.0
"""nsconf.py - the library of the packet-level conformance cases (cases.py).

One Python process plays both ends of the veth:

  - netstack's end: AF_NETSTACK sockets made in the process's own (the
    initial) network namespace. Python's socket module knows no address
    format for that family, so bind/connect/accept go through libc
    (ctypes) with a sockaddr_in, which the module accepts as it is
    (DESIGN.md section 4); everything else (listen, send, recv, close,
    setsockopt) is the ordinary socket object.
  - the crafted peer: a raw AF_PACKET socket on veth-linux, opened inside
    netns "peer" (setns there and back), where veth-linux has no IPv4
    address: Linux there takes nothing of this traffic for itself, so it
    never answers netstack's segments with an RST. Segments are built and
    parsed with scapy; the peer answers ARP for its address itself.

A case fails by raising Fail with what it saw; Wire keeps the last
segments it received for that diagnostic.
"""

import collections
import ctypes
import ctypes.util
import errno
import os
import select
import socket
import struct
import time

from scapy.layers.inet import IP, TCP
from scapy.layers.l2 import ARP, Ether

ETH_P_ALL = 0x0003
CLONE_NEWNET = 0x40000000
PACKET_OUTGOING = 4

_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


class Fail(Exception):
    """A conformance check did not hold; the text says what was seen."""


def check(cond, text):
    """Raise Fail(text) unless cond."""
    if not cond:
        raise Fail(text)


# ------------------------------------------------------------------ netns


class InNetns:
    """with InNetns(name): the calling thread is in /run/netns/NAME."""

    def __init__(self, name):
        self.name = name
        self.home = None

    def __enter__(self):
        self.home = os.open("/proc/self/ns/net", os.O_RDONLY)
        fd = os.open("/run/netns/" + self.name, os.O_RDONLY)
        try:
            if _libc.setns(fd, CLONE_NEWNET):
                raise OSError(ctypes.get_errno(), "setns " + self.name)
        finally:
            os.close(fd)
        return self

    def __exit__(self, *exc):
        if _libc.setns(self.home, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns back")
        os.close(self.home)


# ------------------------------------------------------------------ netstack's end


def ns_family():
    """AF_NETSTACK's number, as the loaded module says."""
    with open("/sys/module/netstack/parameters/family") as f:
        return int(f.read())


def _sockaddr(ip, port):
    # struct sockaddr_in: family, port (network order), address, zero pad.
    return struct.pack("=H", socket.AF_INET) + struct.pack("!H", port) + \
        socket.inet_aton(ip) + bytes(8)


def _errcheck(rc, what):
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, "%s: %s" % (what, os.strerror(err)))
    return rc


class NsSocket:
    """A netstack TCP socket (non-blocking; the waits are explicit)."""

    def __init__(self, sock=None):
        self.sock = sock or socket.socket(ns_family(), socket.SOCK_STREAM)
        self.sock.setblocking(False)

    def fileno(self):
        return self.sock.fileno()

    def bind(self, ip, port):
        sa = _sockaddr(ip, port)
        _errcheck(_libc.bind(self.fileno(), sa, len(sa)), "bind")

    def listen(self, backlog):
        self.sock.listen(backlog)

    def connect_start(self, ip, port):
        """Start a non-blocking connect; EINPROGRESS is the normal answer."""
        sa = _sockaddr(ip, port)
        rc = _libc.connect(self.fileno(), sa, len(sa))
        err = ctypes.get_errno()
        if rc < 0 and err != errno.EINPROGRESS:
            raise OSError(err, "connect: " + os.strerror(err))

    def connect_result(self, timeout):
        """The connect's outcome: 0 or an errno; None if still going."""
        _, w, _ = select.select([], [self.sock], [], timeout)
        if not w:
            return None
        return self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)

    def accept(self, timeout):
        """The next connection of the accept queue, or None after timeout."""
        r, _, _ = select.select([self.sock], [], [], timeout)
        if not r:
            return None
        fd = _errcheck(_libc.accept4(self.fileno(), None, None, 0), "accept")
        return NsSocket(socket.socket(fileno=fd))

    def send(self, data):
        return self.sock.send(data)

    def recv_now(self, n=65536):
        """What can be read at once: bytes (b"" at EOF), or None (EAGAIN);
        an error such as ECONNRESET is raised as OSError."""
        try:
            return self.sock.recv(n)
        except BlockingIOError:
            return None

    def recv_wait(self, n, timeout):
        """Read until n bytes or timeout; what was read."""
        got = b""
        end = time.monotonic() + timeout
        while len(got) < n:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                break
            chunk = self.recv_now(n - len(got))
            if not chunk:
                break
            got += chunk
        return got

    def close(self):
        self.sock.close()


def read_stats():
    """netstack's counters of this netns: {name: value}."""
    out = {}
    with open("/proc/net/netstack/stats") as f:
        for line in f:
            k, v = line.split()
            out[k] = int(v)
    return out


class Counters:
    """Counter growth since construction: c.delta("tcp_timeouts")."""

    def __init__(self):
        self.start = read_stats()

    def delta(self, name):
        now = read_stats()
        check(name in now, "netstack has no counter " + name)
        return now[name] - self.start.get(name, 0)


# ------------------------------------------------------------------ the crafted peer


def opt(seg, name):
    """The value of TCP option NAME in seg (scapy's names: MSS, WScale,
    SAckOK, SAck, Timestamp), or None when absent."""
    for k, v in seg[TCP].options:
        if k == name:
            return v if v is not None else True
    return None


def describe(seg, base_seq=0, base_ack=0):
    """One line for a diagnostic: flags, relative seq/ack, len, win, options."""
    t = seg[TCP]
    return "%s seq=+%d ack=+%d len=%d win=%d opts=%s" % (
        t.sprintf("%flags%"), (t.seq - base_seq) & 0xFFFFFFFF,
        (t.ack - base_ack) & 0xFFFFFFFF, len(t.payload), t.window,
        [(k, v) for k, v in t.options if k not in ("NOP", "EOL")])


class Wire:
    """The raw peer on veth-linux (in netns NETNS)."""

    def __init__(self, netns, dev, mac, ip, ns_mac, ns_ip):
        self.mac, self.ip, self.ns_mac, self.ns_ip = mac, ip, ns_mac, ns_ip
        with InNetns(netns):
            self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                      socket.htons(ETH_P_ALL))
            self.sock.bind((dev, 0))
        self.sock.setblocking(False)
        self.seen = collections.deque(maxlen=12)	# (time, segment)

    def send(self, ip_pkt):
        """Send an IP()/TCP() packet (Ethernet header added) to netstack."""
        self.sock.send(bytes(Ether(src=self.mac, dst=self.ns_mac) / ip_pkt))

    def _answer_arp(self, frame):
        a = frame[ARP]
        if a.op == 1 and a.pdst == self.ip:
            self.sock.send(bytes(Ether(src=self.mac, dst=a.hwsrc) /
                                 ARP(op=2, hwsrc=self.mac, psrc=self.ip,
                                     hwdst=a.hwsrc, pdst=a.psrc)))

    def recv(self, timeout, sport=None, dport=None):
        """The next TCP segment netstack sent (from its port sport to our
        port dport, when given) within timeout seconds: (time, IP packet),
        or (None, None)."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                return None, None
            try:
                data, addr = self.sock.recvfrom(65535)
            except BlockingIOError:
                continue
            now = time.monotonic()
            if addr[2] == PACKET_OUTGOING:
                continue
            frame = Ether(data)
            if ARP in frame:
                self._answer_arp(frame)
                continue
            if IP not in frame or TCP not in frame:
                continue
            pkt = frame[IP]
            if pkt.src != self.ns_ip or pkt.dst != self.ip:
                continue
            if (sport is not None and pkt[TCP].sport != sport) or \
                    (dport is not None and pkt[TCP].dport != dport):
                continue
            self.seen.append((now, pkt))
            return now, pkt

    def drain(self):
        """Forget what is queued on the socket."""
        while self.recv(0)[1] is not None:
            pass


class Flow:
    """One TCP connection as the crafted peer sees it: our port, netstack's
    port, our next sequence number and netstack's (relative diagnostics
    use the ISNs)."""

    def __init__(self, wire, port, ns_port, isn=1000000):
        self.wire, self.port, self.ns_port = wire, port, ns_port
        self.iss = isn
        self.snd_nxt = isn		# ours
        self.irs = None			# netstack's ISN
        self.rcv_nxt = None		# what we acknowledge
        self.window = 65535
        self.ns_ack = None		# the ack of netstack's last segment

    def seg(self, flags, seq=None, ack=None, data=b"", window=None,
            options=None):
        """Send one segment; seq/ack default to ours, window to self.window."""
        if ack is None:
            ack = self.rcv_nxt or 0
        t = TCP(sport=self.port, dport=self.ns_port, flags=flags,
                seq=(self.snd_nxt if seq is None else seq) & 0xFFFFFFFF,
                ack=ack & 0xFFFFFFFF,
                window=self.window if window is None else window,
                options=options or [])
        self.wire.send(IP(src=self.wire.ip, dst=self.wire.ns_ip) / t / data)

    def recv(self, timeout):
        """The next segment of this connection: (time, packet) or (None, None)."""
        t, pkt = self.wire.recv(timeout, sport=self.ns_port, dport=self.port)
        if pkt is not None and "A" in str(pkt[TCP].flags):
            self.ns_ack = pkt[TCP].ack
        return t, pkt

    def expect(self, timeout, what):
        """The next segment of this connection, or Fail saying what was awaited."""
        t, pkt = self.recv(timeout)
        check(pkt is not None, "no segment from netstack within %.1f s (awaited: %s)" %
              (timeout, what))
        return t, pkt

    def rel(self, pkt):
        """describe() relative to the ISNs."""
        return describe(pkt, self.irs or 0, self.iss)

    def connect(self, options, timeout=5.0, tsval=None):
        """Our active open: SYN with options, SYN-ACK awaited (returned),
        ACK sent (with a Timestamp option echoing netstack's, when it sent
        one and tsval is given). Sets irs/rcv_nxt."""
        self.seg("S", options=options, ack=0)
        self.snd_nxt += 1
        _, synack = self.expect(timeout, "SYN-ACK")
        t = synack[TCP]
        check(t.flags == "SA", "SYN answered by " + describe(synack))
        check(t.ack == self.snd_nxt & 0xFFFFFFFF,
              "SYN-ACK acknowledges %d, want ISN+1 = %d" % (t.ack, self.snd_nxt))
        self.irs = t.seq
        self.rcv_nxt = t.seq + 1
        ts = opt(synack, "Timestamp")
        ack_opts = []
        if tsval is not None and isinstance(ts, tuple):
            ack_opts = [("Timestamp", (tsval, ts[0]))]
        self.seg("A", options=ack_opts)
        return synack

    def reset(self):
        """An RST ending netstack's side of the connection: at our snd_nxt,
        and at the ack netstack last sent when that differs (a case that
        sent data without counting it in snd_nxt), so that one is exact
        and the connection does not linger (FIN retransmissions would keep
        the port, and the module, in use)."""
        self.seg("R", ack=0)
        if self.ns_ack is not None and self.ns_ack != self.snd_nxt & 0xFFFFFFFF:
            self.seg("R", seq=self.ns_ack, ack=0)
