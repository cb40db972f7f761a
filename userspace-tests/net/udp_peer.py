#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""udp_peer.py - the two ends of 72-udp-errors: ICMP errors about netstack's
UDP datagrams, and broadcasts, with Python's own sockets on the Linux side
and libc (ctypes) on the netstack side, whose addresses Python's socket
module cannot pack.

    udp_peer.py icmp-responder PORT
        Linux side: bind PORT (so Linux itself sends no port unreachable)
        and watch UDP arriving for it on a raw socket. A datagram whose
        payload is "icmp TYPE CODE" is answered with that ICMP error,
        quoting its IP header and first 8 bytes, from this host's address.
        Exits after 60 s or on a datagram "quit".

    udp_peer.py netstack-errors PEER_IP PORT
        netstack side: one line per case, "CASE errno-name", for each ICMP
        error asked of the responder: the errno a connected socket's next
        recv() gives (EAGAIN: none within 1.5 s), then SO_ERROR after it.

    udp_peer.py linux-broadcast DST PORT COUNT DEV
        Linux side: send COUNT datagrams "bcast N" to DST:PORT out of DEV
        (SO_BINDTODEVICE: 255.255.255.255 has no route) with SO_BROADCAST.

    udp_peer.py netstack-broadcast-rx BCAST PORT OWN_IP COUNT
        netstack side: a socket on 0.0.0.0:PORT and one on OWN_IP:PORT (both
        SO_REUSEADDR); prints "wildcard N" and "own N", the datagrams each
        received of COUNT sent to BCAST. Waits for the sender itself.

    udp_peer.py netstack-broadcast-tx BCAST PORT
        netstack side: sendto BCAST:PORT without SO_BROADCAST (prints the
        errno), then with it (prints "sent").

    udp_peer.py linux-broadcast-rx PORT
        Linux side: a socket on 0.0.0.0:PORT; prints the first datagram and
        its source, or "timeout".

Every mode ends by itself within a minute and a half; past 120 s it is
stopped (SIGALRM), printing "udp_peer.py: FAILED: time limit of 120 s".
"""

import ctypes
import errno
import os
import select
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from inject import csum  # noqa: E402  (the same directory)

SOL_SOCKET = socket.SOL_SOCKET


def family():
    try:
        with open("/sys/module/netstack/parameters/family") as f:
            return int(f.read())
    except OSError:
        return 25


libc = ctypes.CDLL(None, use_errno=True)


class NsSocket:
    """A netstack UDP socket driven through libc."""

    def __init__(self):
        self.fam = family()
        self.fd = libc.socket(self.fam, socket.SOCK_DGRAM, 0)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "socket")

    def addr(self, ip, port):
        return struct.pack("=HH4s8x", self.fam, socket.htons(port), socket.inet_aton(ip))

    def call(self, ret):
        return errno.errorcode.get(ctypes.get_errno(), "?") if ret < 0 else "ok"

    def setint(self, level, opt, val):
        v = ctypes.c_int(val)
        return self.call(libc.setsockopt(self.fd, level, opt, ctypes.byref(v), 4))

    def getint(self, level, opt):
        v = ctypes.c_int(0)
        n = ctypes.c_uint(4)
        libc.getsockopt(self.fd, level, opt, ctypes.byref(v), ctypes.byref(n))
        return v.value

    def timeout(self, seconds):
        tv = struct.pack("@ll", int(seconds), int((seconds % 1) * 1e6))
        libc.setsockopt(self.fd, SOL_SOCKET, socket.SO_RCVTIMEO, tv, len(tv))

    def bind(self, ip, port):
        a = self.addr(ip, port)
        return self.call(libc.bind(self.fd, a, len(a)))

    def connect(self, ip, port):
        a = self.addr(ip, port)
        return self.call(libc.connect(self.fd, a, len(a)))

    def send(self, data):
        return self.call(libc.send(self.fd, data, len(data), 0))

    def sendto(self, data, ip, port):
        a = self.addr(ip, port)
        return self.call(libc.sendto(self.fd, data, len(data), 0, a, len(a)))

    def recv(self):
        buf = ctypes.create_string_buffer(2048)
        n = libc.recv(self.fd, buf, len(buf), 0)
        if n < 0:
            return None, errno.errorcode.get(ctypes.get_errno(), "?")
        return buf.raw[:n], "ok"

    def close(self):
        libc.close(self.fd)


def icmp_responder(port):
    keep = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    keep.bind(("0.0.0.0", port))
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
    icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    print("ready", flush=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        r, _, _ = select.select([raw, keep], [], [], 1)
        if keep in r:
            keep.recv(2048)		# the copy Linux delivers; not needed
        if raw not in r:
            continue
        pkt = raw.recv(65535)
        ihl = (pkt[0] & 15) * 4
        src = socket.inet_ntoa(pkt[12:16])
        sport, dport = struct.unpack("!HH", pkt[ihl:ihl + 4])
        if dport != port:
            continue
        words = pkt[ihl + 8:].decode(errors="replace").split()
        if words[:1] == ["quit"]:
            return
        if len(words) != 3 or words[0] != "icmp":
            continue
        typ, code = int(words[1]), int(words[2])
        info = 1400 if (typ, code) == (3, 4) else 0
        body = struct.pack("!BBHI", typ, code, 0, info) + pkt[:ihl + 8]
        body = body[:2] + struct.pack("!H", csum(body)) + body[4:]
        icmp.sendto(body, (src, 0))


ICMP_CASES = [
    # name, type, code
    ("host-prohibited", 3, 10),
    ("port-unreachable", 3, 3),
    ("host-unreachable", 3, 1),
    ("time-exceeded", 11, 0),
    ("parameter-problem", 12, 0),
    ("frag-needed", 3, 4),
]


def netstack_errors(peer, port):
    for name, typ, code in ICMP_CASES:
        s = NsSocket()
        s.timeout(1.5)
        s.connect(peer, port)
        s.send(b"icmp %d %d" % (typ, code))
        _, err = s.recv()
        print("connected %s %s so_error %d" % (name, err, s.getint(SOL_SOCKET, socket.SO_ERROR)),
              flush=True)
        s.close()
    s = NsSocket()
    s.timeout(1.5)
    s.sendto(b"icmp 3 3", peer, port)
    _, err = s.recv()
    print("unconnected port-unreachable %s so_error %d" % (err, s.getint(SOL_SOCKET, socket.SO_ERROR)),
          flush=True)
    s.sendto(b"quit", peer, port)


def linux_broadcast(dst, port, count, dev):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
    for i in range(count):
        s.sendto(b"bcast %d" % i, (dst, port))
        time.sleep(0.05)


def netstack_broadcast_rx(bcast, port, own, count):
    socks = {}
    for name, ip in (("wildcard", "0.0.0.0"), ("own", own)):
        s = NsSocket()
        s.setint(SOL_SOCKET, socket.SO_REUSEADDR, 1)
        r = s.bind(ip, port)
        if r != "ok":
            print("bind %s %s" % (name, r))
            return
        s.timeout(0.5)
        socks[name] = s
    print("ready", flush=True)
    for name, s in socks.items():
        got = 0
        deadline = time.time() + 15
        while got < count and time.time() < deadline:
            data, err = s.recv()
            if data is not None and data.startswith(b"bcast"):
                got += 1
            elif err != "EAGAIN" and data is None:
                break
            elif name == "own" and data is None:
                break		# nothing should come: do not wait long
        print("%s %d" % (name, got), flush=True)


def netstack_broadcast_tx(bcast, port):
    s = NsSocket()
    print("without-so_broadcast %s" % s.sendto(b"nsbcast", bcast, port))
    s.setint(SOL_SOCKET, socket.SO_BROADCAST, 1)
    r = s.sendto(b"nsbcast", bcast, port)
    print("with-so_broadcast %s" % ("sent" if r == "ok" else r))


def linux_broadcast_rx(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    s.settimeout(10)
    print("ready", flush=True)
    try:
        data, src = s.recvfrom(2048)
        print("got %s from %s" % (data.decode(), src[0]))
    except socket.timeout:
        print("timeout")


LIMIT_S = 120


def _time_limit(*_):
    print("udp_peer.py: FAILED: time limit of %d s" % LIMIT_S, flush=True)
    os._exit(3)


def main(argv):
    mode = argv[1]
    signal.signal(signal.SIGALRM, _time_limit)
    signal.alarm(LIMIT_S)
    if mode == "icmp-responder":
        icmp_responder(int(argv[2]))
    elif mode == "netstack-errors":
        netstack_errors(argv[2], int(argv[3]))
    elif mode == "linux-broadcast":
        linux_broadcast(argv[2], int(argv[3]), int(argv[4]), argv[5])
    elif mode == "netstack-broadcast-rx":
        netstack_broadcast_rx(argv[2], int(argv[3]), argv[4], int(argv[5]))
    elif mode == "netstack-broadcast-tx":
        netstack_broadcast_tx(argv[2], int(argv[3]))
    elif mode == "linux-broadcast-rx":
        linux_broadcast_rx(int(argv[2]))
    else:
        sys.exit("udp_peer.py: unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv)
