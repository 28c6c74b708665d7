"""Packet log of one interface, for counting round trips (python3 stdlib,
root; run inside a network namespace). One line per IP packet:
time since the first packet, direction, IP length, TCP flags, seq/ack,
payload length, ports.
Usage: python3 scripts/bench/packet_log.py IFACE SECONDS
"""
import socket, struct, sys, time

ifc, dur = sys.argv[1], float(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.ntohs(3))  # ETH_P_ALL
s.bind((ifc, 0))
s.settimeout(0.5)
t0 = None
end = time.time() + dur
while time.time() < end:
    try:
        pkt, addr = s.recvfrom(65535)
    except socket.timeout:
        continue
    now = time.time()
    if t0 is None:
        t0 = now
    if len(pkt) < 20 or pkt[0] >> 4 != 4:
        continue
    ihl = (pkt[0] & 15) * 4
    total = struct.unpack(">H", pkt[2:4])[0]
    d = "OUT" if addr[2] == socket.PACKET_OUTGOING else "IN "
    if pkt[9] == 6 and len(pkt) >= ihl + 14:
        sp, dp, seq, ack, off = struct.unpack(">HHIIB", pkt[ihl:ihl + 13])
        fl = pkt[ihl + 13]
        payload = total - ihl - (off >> 4) * 4
        flags = "".join(c for b, c in zip([1, 2, 4, 8, 16], "FSRPA") if fl & b)
        print("%7.3f %s %5d %-5s seq=%d ack=%d len=%d %d->%d" % (now - t0, d, total, flags, seq, ack, payload, sp, dp), flush=True)
    else:
        print("%7.3f %s %5d proto=%d" % (now - t0, d, total, pkt[9]), flush=True)
