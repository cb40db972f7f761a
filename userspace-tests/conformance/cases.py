#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""cases.py - packet-level conformance of netstack's TCP: a crafted peer
(scapy, raw frames on veth-linux) against netstack sockets, every field of
the segments netstack sends checked. run.sh sets up the topology and runs
this in the test guest:

    cases.py [--list] [PATTERN...]

prints a TAP stream (one check per case, "# " diagnostics) and exits 1 if
a case failed. Each case has its own netstack port (9000 + its index) and
its own peer port, and ends its connections with exact RSTs, so that no
case sees another's segments.

Cases for what netstack does not have yet (timestamps, PAWS, SYN cookies)
fail saying so ("netstack did not negotiate timestamps"): they are not
skipped.
"""

import os
import signal
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# pylint: disable=wrong-import-position
from nsconf import (Counters, Fail, Flow, NsSocket, TCP, Wire, check,  # noqa: E402
                    describe, opt)

NETNS, PEER_DEV, PEER_MAC, PEER_IP = "peer", "veth-linux", "02:00:00:00:00:01", "10.0.0.1"
NS_MAC, NS_IP = "02:00:00:00:00:02", "10.0.0.2"
MSS = 1460			# netstack's on a 1500-byte MTU: 1500 - 20 - 20
NS_WSCALE = 7			# NS_TCP_RCV_WSCALE
CASE_TIMEOUT = 60		# seconds, each case
M32 = 0xFFFFFFFF

SYN_OPTS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1000, 0)),
            ("WScale", 7)]

CASES = []


def case(name):
    """Register a case: a function (wire, port) that raises Fail."""
    def reg(fn):
        CASES.append((name, fn))
        return fn
    return reg


def m32(x):
    return x & M32


def listener(port, backlog=8):
    s = NsSocket()
    s.bind(NS_IP, port)
    s.listen(backlog)
    return s


def established(wire, port, peer_port, options=(), window=65535, tsval=None):
    """A netstack listener on port, our active open from peer_port; returns
    (listener, accepted socket, flow, SYN-ACK)."""
    lsn = listener(port)
    flow = Flow(wire, peer_port, port)
    flow.window = window
    synack = flow.connect(list(options), tsval=tsval)
    child = lsn.accept(3.0)
    check(child is not None, "the handshake completed on the wire but accept() got nothing")
    return lsn, child, flow, synack


def expect_pure_ack(flow, timeout, why, ack=None):
    """The next segment is an ACK with no data, SYN, FIN or RST, seq =
    netstack's SND.NXT as we know it (flow.rcv_nxt) and ack = ack
    (default: our flow.snd_nxt)."""
    want = flow.snd_nxt if ack is None else ack
    _, pkt = flow.expect(timeout, why)
    t = pkt[TCP]
    check(str(t.flags) == "A" and len(t.payload) == 0,
          "%s: want a pure ACK, got %s" % (why, flow.rel(pkt)))
    check(t.ack == m32(want),
          "%s: ack=+%d, want +%d (%s)" % (why, m32(t.ack - flow.iss), m32(want - flow.iss),
                                          flow.rel(pkt)))
    check(t.seq == m32(flow.rcv_nxt), "%s: seq is not SND.NXT +%d: %s" % (
        why, m32(flow.rcv_nxt - flow.irs), flow.rel(pkt)))
    return pkt


def no_segment(flow, timeout, why):
    """Nothing from netstack on this connection for timeout seconds."""
    _, pkt = flow.recv(timeout)
    check(pkt is None, "%s: got %s" % (why, flow.rel(pkt) if pkt is not None else ""))


def still_open(flow, child, what):
    """The connection still works: 10 in-order bytes are acknowledged and
    read by the application."""
    data = b"still-open"
    flow.seg("PA", data=data)
    flow.snd_nxt += len(data)
    expect_pure_ack(flow, 3.0, "ACK of 10 in-order bytes after " + what)
    got = child.recv_wait(len(data), 3.0)
    check(got == data, "after %s, 10 in-order bytes: the application read %r" % (what, got))


# ------------------------------------------------------------------ handshake


@case("handshake: the SYN-ACK to a SYN with MSS/SACK/TS/WS carries MSS 1460, "
      "WScale 7, SACK-permitted; ack = ISN+1")
def handshake_synack(wire, port):
    lsn = listener(port)
    flow = Flow(wire, 40000 + port, port)
    try:
        flow.seg("S", options=SYN_OPTS, ack=0)
        flow.snd_nxt += 1
        _, pkt = flow.expect(3.0, "SYN-ACK")
        t = pkt[TCP]
        check(str(t.flags) == "SA", "want SA, got " + describe(pkt))
        check(t.ack == m32(flow.snd_nxt), "ack %d, want ISN+1 %d" % (t.ack, flow.snd_nxt))
        check(len(t.payload) == 0 and t.window > 0, "data or zero window: " + describe(pkt))
        check(opt(pkt, "MSS") == MSS, "MSS %s, want %d: %s" % (opt(pkt, "MSS"), MSS, describe(pkt)))
        check(opt(pkt, "WScale") == NS_WSCALE,
              "WScale %s, want %d: %s" % (opt(pkt, "WScale"), NS_WSCALE, describe(pkt)))
        check(opt(pkt, "SAckOK") is not None, "no SACK-permitted: " + describe(pkt))
        flow.irs, flow.rcv_nxt = t.seq, t.seq + 1
        flow.seg("A")
        child = lsn.accept(3.0)
        check(child is not None, "ACK of the SYN-ACK sent, accept() got nothing")
        child.close()
        return "SYN-ACK: " + describe(pkt)
    finally:
        flow.reset()
        lsn.close()


@case("handshake: netstack's SYN carries MSS 1460, WScale 7, SACK-permitted; "
      "its ACK completes the connect")
def handshake_syn(wire, port):
    s = NsSocket()
    flow = Flow(wire, port, 40000 + port)	# we listen on port; netstack picks its port
    try:
        s.connect_start(PEER_IP, port)
        _, pkt = wire.recv(3.0, dport=port)
        check(pkt is not None, "no SYN from netstack's connect()")
        t = pkt[TCP]
        flow.ns_port = t.sport
        check(str(t.flags) == "S" and t.ack == 0 and len(t.payload) == 0,
              "want a bare SYN, got " + describe(pkt))
        check(opt(pkt, "MSS") == MSS, "MSS %s, want %d: %s" % (opt(pkt, "MSS"), MSS, describe(pkt)))
        check(opt(pkt, "WScale") == NS_WSCALE, "WScale %s, want %d: %s" % (
            opt(pkt, "WScale"), NS_WSCALE, describe(pkt)))
        check(opt(pkt, "SAckOK") is not None, "no SACK-permitted: " + describe(pkt))
        flow.irs, flow.rcv_nxt = t.seq, t.seq + 1
        flow.seg("SA", options=[("MSS", 1000)])
        flow.snd_nxt += 1
        ack = expect_pure_ack(flow, 3.0, "ACK of our SYN-ACK")
        check(ack[TCP].seq == m32(flow.irs + 1), "ACK's seq is not ISN+1: " + flow.rel(ack))
        check(s.connect_result(3.0) == 0, "connect() did not complete with 0")
        return "SYN: " + describe(pkt)
    finally:
        flow.reset()
        s.close()


@case("timestamps: the SYN-ACK echoes our TSval (TSecr), and the ACK of data "
      "echoes the data's TSval")
def timestamps_echoed(wire, port):
    lsn = listener(port)
    flow = Flow(wire, 40000 + port, port)
    try:
        flow.seg("S", options=SYN_OPTS, ack=0)
        flow.snd_nxt += 1
        _, pkt = flow.expect(3.0, "SYN-ACK")
        ts = opt(pkt, "Timestamp")
        check(isinstance(ts, tuple), "netstack did not negotiate timestamps: its SYN-ACK "
              "to a SYN with TSval 1000 has no Timestamp option: " + describe(pkt))
        check(ts[1] == 1000, "SYN-ACK TSecr %d, want our TSval 1000" % ts[1])
        flow.irs, flow.rcv_nxt = pkt[TCP].seq, pkt[TCP].seq + 1
        flow.seg("A", options=[("Timestamp", (1001, ts[0]))])
        # Kept open: a dropped socket object would close, and send a FIN.
        child = lsn.accept(3.0)
        check(child is not None, "accept() got nothing")
        flow.seg("PA", data=b"x" * 100, options=[("Timestamp", (1500, ts[0]))])
        flow.snd_nxt += 100
        ack = expect_pure_ack(flow, 3.0, "ACK of 100 bytes with TSval 1500")
        ts2 = opt(ack, "Timestamp")
        check(isinstance(ts2, tuple), "ACK without Timestamp: " + flow.rel(ack))
        check(ts2[1] == 1500, "ACK TSecr %d, want 1500" % ts2[1])
        check(m32(ts2[0] - ts[0]) < 1 << 31, "netstack's TSval went back: %d then %d" %
              (ts[0], ts2[0]))
    finally:
        flow.reset()
        lsn.close()


@case("PAWS: a segment with an older TSval than the last one is dropped and "
      "answered with an ACK")
def paws(wire, port):
    lsn = listener(port)
    flow = Flow(wire, 40000 + port, port)
    try:
        flow.seg("S", options=SYN_OPTS, ack=0)
        flow.snd_nxt += 1
        _, pkt = flow.expect(3.0, "SYN-ACK")
        ts = opt(pkt, "Timestamp")
        check(isinstance(ts, tuple), "netstack did not negotiate timestamps (no Timestamp "
              "option in its SYN-ACK), so no PAWS: " + describe(pkt))
        flow.irs, flow.rcv_nxt = pkt[TCP].seq, pkt[TCP].seq + 1
        flow.seg("A", options=[("Timestamp", (5000, ts[0]))])
        child = lsn.accept(3.0)
        check(child is not None, "accept() got nothing")
        flow.seg("PA", data=b"a" * 50, options=[("Timestamp", (5001, ts[0]))])
        flow.snd_nxt += 50
        expect_pure_ack(flow, 3.0, "ACK of 50 bytes with TSval 5001")
        check(child.recv_wait(50, 3.0) == b"a" * 50, "the 50 bytes were not read")
        # New, in-window data, but TSval 4000 < TS.Recent 5001: PAWS (RFC 7323 5.3).
        flow.seg("PA", data=b"b" * 50, options=[("Timestamp", (4000, ts[0]))])
        ack = expect_pure_ack(flow, 3.0, "ACK answering an old TSval (PAWS)")
        ts2 = opt(ack, "Timestamp")
        check(isinstance(ts2, tuple) and ts2[1] == 5001,
              "PAWS ACK should echo TS.Recent 5001: " + flow.rel(ack))
        got = child.recv_wait(50, 0.5)
        check(got == b"", "the segment PAWS rejects was delivered: %r" % got[:20])
    finally:
        flow.reset()
        lsn.close()


# ------------------------------------------------------------------ RFC 5961 and RST


@case("an out-of-window segment is answered with an ACK (seq SND.NXT, ack "
      "RCV.NXT) and dropped")
def out_of_window(wire, port):
    lsn, child, flow, _ = established(wire, port, 40000 + port)
    try:
        c = Counters()
        flow.seg("PA", seq=flow.snd_nxt + (1 << 30), data=b"z" * 100)
        ack = expect_pure_ack(flow, 3.0, "ACK of an out-of-window segment")
        check(ack[TCP].seq == m32(flow.irs + 1), "seq is not SND.NXT: " + flow.rel(ack))
        check(child.recv_wait(100, 0.5) == b"", "out-of-window data was delivered")
        check(c.delta("tcp_rx_out_of_window") == 1, "tcp_rx_out_of_window +%d, want +1" %
              c.delta("tcp_rx_out_of_window"))
        still_open(flow, child, "the out-of-window segment")
    finally:
        flow.reset()
        lsn.close()


@case("RFC 5961: an in-window RST that is not exact gets a challenge ACK and "
      "the connection stays")
def rst_challenge(wire, port):
    lsn, child, flow, _ = established(wire, port, 40000 + port)
    try:
        c = Counters()
        flow.seg("R", seq=flow.snd_nxt + 1, ack=0)
        ack = expect_pure_ack(flow, 3.0, "challenge ACK to an in-window RST")
        check(ack[TCP].seq == m32(flow.irs + 1), "seq is not SND.NXT: " + flow.rel(ack))
        check(c.delta("tcp_challenge_acks") == 1, "tcp_challenge_acks +%d, want +1" %
              c.delta("tcp_challenge_acks"))
        check(child.recv_now() is None, "the socket is no longer open after an in-window RST")
        still_open(flow, child, "the in-window RST")
    finally:
        flow.reset()
        lsn.close()


@case("RFC 5961: a SYN on an established connection gets a challenge ACK and "
      "the connection stays")
def syn_challenge(wire, port):
    lsn, child, flow, _ = established(wire, port, 40000 + port)
    try:
        c = Counters()
        flow.seg("S", seq=flow.snd_nxt + 5, ack=0, options=[("MSS", 1460)])
        ack = expect_pure_ack(flow, 3.0, "challenge ACK to a SYN in ESTABLISHED")
        check(ack[TCP].seq == m32(flow.irs + 1), "seq is not SND.NXT: " + flow.rel(ack))
        check(c.delta("tcp_challenge_acks") == 1, "tcp_challenge_acks +%d, want +1" %
              c.delta("tcp_challenge_acks"))
        still_open(flow, child, "the SYN")
    finally:
        flow.reset()
        lsn.close()


@case("an RST with seq = RCV.NXT closes: no answer, recv() says ECONNRESET")
def rst_exact(wire, port):
    lsn, child, flow, _ = established(wire, port, 40000 + port)
    try:
        flow.reset()
        no_segment(flow, 0.5, "a segment answered the exact RST")
        try:
            got = child.recv_wait(1, 2.0)
            raise Fail("recv() after the RST returned %r, not ECONNRESET" % got)
        except ConnectionResetError:
            pass
    finally:
        lsn.close()


# ------------------------------------------------------------------ loss recovery


@case("three duplicate ACKs (not two) bring a fast retransmit of the first "
      "unacknowledged segment, well before the RTO")
def fast_retransmit(wire, port):
    s = NsSocket()
    flow = Flow(wire, port, 0)
    try:
        s.connect_start(PEER_IP, port)
        t_syn, syn = wire.recv(3.0, dport=port)
        check(syn is not None and str(syn[TCP].flags) == "S", "no SYN from connect()")
        flow.ns_port = syn[TCP].sport
        flow.irs, flow.rcv_nxt = syn[TCP].seq, syn[TCP].seq + 1
        # The SYN-ACK 0.8 s late (before the 1 s initial RTO): netstack's
        # RTT sample makes its RTO about 0.8 + 4 * 0.4 = 2.4 s.
        time.sleep(max(0.0, t_syn + 0.8 - time.monotonic()))
        flow.seg("SA", options=[("MSS", 1000)])
        flow.snd_nxt += 1
        expect_pure_ack(flow, 3.0, "ACK of the SYN-ACK")
        check(s.connect_result(3.0) == 0, "connect() failed")
        c = Counters()
        s.send(bytes(6000))
        segs = []
        while sum(len(p[TCP].payload) for _, p in segs) < 4000:
            t, p = flow.expect(3.0, "4 segments of 1000 bytes")
            segs.append((t, p))
        first_t, first = segs[0]
        una = first[TCP].seq
        check(una == m32(flow.irs + 1) and len(first[TCP].payload) == 1000,
              "first data segment: " + flow.rel(first))
        for _ in range(2):
            flow.seg("A", ack=una)
        # Two duplicates: no retransmission (new data is allowed: limited transmit).
        end = time.monotonic() + 0.4
        while time.monotonic() < end:
            _, p = flow.recv(end - time.monotonic())
            if p is not None:
                check(p[TCP].seq != una,
                      "retransmission after only two duplicate ACKs: " + flow.rel(p))
        flow.seg("A", ack=una)
        t_dup3 = time.monotonic()
        while True:
            t, p = flow.expect(1.5, "a retransmission of seq +1 after the third duplicate ACK")
            if p[TCP].seq == una:
                break
        check(len(p[TCP].payload) == 1000, "retransmission of %d bytes, want 1000" %
              len(p[TCP].payload))
        check(t - t_dup3 < 1.0, "retransmitted %.3f s after the third duplicate ACK" %
              (t - t_dup3))
        check(t - first_t < 2.0, "retransmitted %.3f s after the first transmission: "
              "the RTO's time, not a fast retransmit" % (t - first_t))
        check(c.delta("tcp_fast_retransmits") == 1 and c.delta("tcp_timeouts") == 0,
              "tcp_fast_retransmits +%d tcp_timeouts +%d, want +1 +0" %
              (c.delta("tcp_fast_retransmits"), c.delta("tcp_timeouts")))
        return ("retransmitted %.3f s after the third duplicate ACK, %.3f s after the "
                "first transmission" % (t - t_dup3, t - first_t))
    finally:
        flow.reset()
        s.close()


@case("SACK: ACKs for out-of-order data carry the exact SACK blocks, the most "
      "recent first; none once the hole is filled")
def sack_blocks(wire, port):
    lsn, child, flow, synack = established(wire, port, 40000 + port,
                                           options=[("MSS", 1460), ("SAckOK", b"")])
    try:
        check(opt(synack, "SAckOK") is not None, "SACK not negotiated: " + describe(synack))
        base = flow.snd_nxt

        def send(off, n):
            flow.seg("PA", seq=base + off, data=bytes([65 + off // 100]) * n)

        def want(ack_off, blocks, why):
            ack = expect_pure_ack(flow, 3.0, why, ack=base + ack_off)
            got = opt(ack, "SAck")
            want_t = tuple(m32(base + x) for b in blocks for x in b) if blocks else None
            check(got == want_t, "%s: SACK %s, want %s (offsets from our first data byte: "
                  "%s)" % (why, got, want_t, blocks))
        send(0, 100)
        want(100, [], "in-order 0-100")
        send(200, 100)
        want(100, [(200, 300)], "out of order 200-300")
        send(400, 100)
        want(100, [(400, 500), (200, 300)], "out of order 400-500")
        send(600, 100)
        want(100, [(600, 700), (400, 500), (200, 300)], "out of order 600-700")
        send(100, 100)
        want(300, [(600, 700), (400, 500)], "the first hole 100-200 filled")
        send(300, 100)
        want(500, [(600, 700)], "the hole 300-400 filled")
        send(500, 100)
        want(700, [], "the last hole 500-600 filled")
        flow.snd_nxt = base + 700
        got = child.recv_wait(700, 3.0)
        check(got == b"".join(bytes([65 + i]) * 100 for i in range(7)),
              "the application read %d bytes, not the 700 in order" % len(got))
    finally:
        flow.reset()
        lsn.close()


@case("out-of-order data up to the window's edge does not lock out the segment "
      "that fills the hole at RCV.NXT")
def ofo_fills_window(wire, port):
    lsn, child, flow, synack = established(wire, port, 40000 + port,
                                           options=[("MSS", 1460), ("SAckOK", b"")])
    try:
        wnd = synack[TCP].window	# we sent no WScale: not scaled
        base = flow.snd_nxt
        c = Counters()
        wins = []
        off = 1460
        while off + 1460 <= wnd:
            flow.seg("A", seq=base + off, data=bytes(1460))
            off += 1460
            _, ack = flow.expect(3.0, "ACK of out-of-order data at +%d" % (off - 1460))
            wins.append(ack[TCP].window)
        flow.recv(0.3)
        flow.seg("PA", seq=base, data=bytes(1460))
        end = time.monotonic() + 3.0
        best = 0
        while time.monotonic() < end:
            _, ack = flow.recv(end - time.monotonic())
            if ack is None:
                break
            best = max(best, m32(ack[TCP].ack - base))
            if best >= 1460:
                break
        check(best >= 1460, "the segment at RCV.NXT (+0, 1460 bytes) sent after %d bytes out "
              "of order (window %d) was not acknowledged: tcp_rx_out_of_window +%d, "
              "tcp_rx_drop_ofo_full +%d; windows netstack announced meanwhile: %s" % (
                  off - 1460, wnd, c.delta("tcp_rx_out_of_window"),
                  c.delta("tcp_rx_drop_ofo_full"), wins))
        flow.snd_nxt = base + best
        child.recv_wait(best, 3.0)
        return "after the hole: ack +%d of %d sent; windows announced: %s" % (best, off, wins)
    finally:
        flow.reset()
        lsn.close()


@case("a zero window is probed (backing off), and the data follows once it opens")
def zero_window(wire, port):
    lsn, child, flow, _ = established(wire, port, 40000 + port, window=1000,
                                      options=[("MSS", 1460)])
    try:
        child.send(bytes(4000))
        got, t_last = 0, None
        while got < 1000:
            t_last, p = flow.expect(3.0, "the first 1000 bytes (our window)")
            check(p[TCP].seq == m32(flow.irs + 1 + got), "data at " + flow.rel(p))
            got += len(p[TCP].payload)
        check(got == 1000, "netstack sent %d bytes into a 1000-byte window" % got)
        una = flow.irs + 1 + 1000
        flow.seg("A", ack=una, window=0)
        t0 = time.monotonic()
        probes = []
        for _ in range(2):
            t, p = flow.expect(6.0, "a zero-window probe")
            n = len(p[TCP].payload)
            check((p[TCP].seq == m32(una - 1) and n == 0) or (p[TCP].seq == m32(una) and n == 1),
                  "not a window probe (seq SND.UNA-1 without data, or 1 byte): " + flow.rel(p))
            probes.append(t)
            flow.seg("A", ack=una, window=0)
        first, second = probes[0] - t0, probes[1] - probes[0]
        check(0.1 < first and second >= 1.5 * first,
              "probe after %.3f s, the next %.3f s later: no backoff" % (first, second))
        flow.seg("A", ack=una, window=4000)
        while got < 4000:
            _, p = flow.expect(3.0, "the other 3000 bytes once the window opened")
            if p[TCP].seq == m32(una - 1) or len(p[TCP].payload) == 0:
                continue
            check(p[TCP].seq == m32(flow.irs + 1 + got), "data at " + flow.rel(p))
            got += len(p[TCP].payload)
            # Acknowledged as it comes: Nagle holds a last small segment
            # while a small one is unacknowledged.
            flow.seg("A", ack=flow.irs + 1 + got, window=4000)
        return "probes %.3f s after the zero window, then %.3f s later" % (first, second)
    finally:
        flow.reset()
        lsn.close()


@case("an unacknowledged FIN is retransmitted (same seq, after the RTO); the "
      "peer's FIN is then acknowledged")
def fin_retransmit(wire, port):
    lsn, child, flow, _ = established(wire, port, 40000 + port)
    try:
        child.close()
        t1, fin = flow.expect(3.0, "FIN after close()")
        check("F" in str(fin[TCP].flags) and fin[TCP].seq == m32(flow.irs + 1),
              "want FIN at seq +1: " + flow.rel(fin))
        t2, again = flow.expect(5.0, "the FIN again")
        check("F" in str(again[TCP].flags) and again[TCP].seq == fin[TCP].seq,
              "want the same FIN again: " + flow.rel(again))
        check(t2 - t1 >= 0.15, "FIN retransmitted %.3f s after the first: before any "
              "RTO (200 ms minimum)" % (t2 - t1))
        flow.rcv_nxt = flow.irs + 2
        flow.seg("FA")
        flow.snd_nxt += 1
        expect_pure_ack(flow, 3.0, "ACK of our FIN (TIME-WAIT)")
        return "FIN retransmitted %.3f s after the first" % (t2 - t1)
    finally:
        flow.reset()
        lsn.close()


# ------------------------------------------------------------------ SYN flood


def flood(wire, port, n):
    """n SYNs from n ports to a listen(1) netstack listener, none completed:
    {peer port: SYN-ACK} for those answered within 3 s."""
    flows = [Flow(wire, 20000 + (port - 9000) * 100 + i, port) for i in range(n)]
    for f in flows:
        f.seg("S", ack=0, options=[("MSS", 1460)])
        f.snd_nxt += 1
    answers = {}
    end = time.monotonic() + 3.0
    while time.monotonic() < end:
        _, p = wire.recv(end - time.monotonic(), sport=port)
        if p is not None and str(p[TCP].flags) == "SA":
            answers.setdefault(p[TCP].dport, p)
    return flows, answers


@case("SYN flood beyond the backlog: every SYN answered (SYN cookies), and "
      "the ACK of the last one's SYN-ACK makes a connection")
def syn_flood_cookies(wire, port):
    lsn = listener(port, backlog=1)
    flows = []
    try:
        flows, answers = flood(wire, port, 32)
        check(len(answers) == 32, "%d of 32 SYNs to a listen(1) socket answered: no SYN "
              "cookies beyond the backlog" % len(answers))
        last = flows[-1]
        p = answers[last.port]
        last.irs, last.rcv_nxt = p[TCP].seq, p[TCP].seq + 1
        last.seg("A")
        child = lsn.accept(3.0)
        check(child is not None, "the ACK of a cookie SYN-ACK made no connection")
    finally:
        for f in flows:
            f.reset()
        lsn.close()


@case("SYN flood beyond the backlog: a legitimate client still connects")
def syn_flood_legit(wire, port):
    lsn = listener(port, backlog=1)
    flows = []
    try:
        flows, _ = flood(wire, port, 32)
        legit = Flow(wire, 45000 + port, port)
        flows.append(legit)
        try:
            legit.connect([("MSS", 1460)], timeout=3.0)
        except Fail as e:
            raise Fail("the legitimate client after the flood: %s" % e) from e
        check(lsn.accept(3.0) is not None, "its handshake completed on the wire but "
              "accept() got nothing")
    finally:
        for f in flows:
            f.reset()
        lsn.close()


# ------------------------------------------------------------------ main


class Timeout(Exception):
    pass


def _alarm(*_):
    raise Timeout()


def main(argv):
    if argv[:1] == ["--list"]:
        for name, _ in CASES:
            print(name)
        return 0
    wanted = [(i, n, fn) for i, (n, fn) in enumerate(CASES)
              if not argv or any(p in fn.__name__ or p in n for p in argv)]
    print("TAP version 13")
    print("1..%d" % len(wanted))
    sys.stdout.flush()
    wire = Wire(NETNS, PEER_DEV, PEER_MAC, PEER_IP, NS_MAC, NS_IP)
    signal.signal(signal.SIGALRM, _alarm)
    failed = 0
    for n, (i, name, fn) in enumerate(wanted, 1):
        wire.drain()
        wire.seen.clear()
        t0 = time.monotonic()
        why = None
        signal.alarm(CASE_TIMEOUT)
        note = None
        try:
            note = fn(wire, 9000 + i)
        except Fail as e:
            why = str(e)
        except Timeout:
            why = "the case ran out of its %d s" % CASE_TIMEOUT
        except OSError as e:
            why = "%s: %s" % (type(e).__name__, e)
        except Exception:  # pylint: disable=broad-except
            why = "the case broke:\n" + traceback.format_exc()
        finally:
            signal.alarm(0)
        if why is None:
            print("ok %d - %s: %s" % (n, fn.__name__, name))
            if note:
                print("# " + note)
        else:
            failed += 1
            print("not ok %d - %s: %s" % (n, fn.__name__, name))
            for line in why.splitlines():
                print("# " + line)
            if wire.seen:
                print("# the last segments netstack sent (time from the start of the case):")
                for t, p in wire.seen:
                    print("#   %+.3f s %s:%d > :%d %s" % (t - t0, p.src, p[TCP].sport,
                                                       p[TCP].dport, describe(p)))
        print("# %s: %.1f s" % (fn.__name__, time.monotonic() - t0))
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
