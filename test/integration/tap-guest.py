#!/usr/bin/env python3
"""A tiny VM guest for ctnet's tests: it opens a tap by name as a hypervisor does (TUNSETIFF on
/dev/net/tun) and speaks Ethernet on its file descriptor, frames built by hand.

usage: tap-guest.py TAP MAC IPV4|- IPV6|- STEP...
steps: arp TARGET | ping NEXTHOP DST | ndp TARGET | ping6 NEXTHOP DST | serve COUNT
While it runs it answers ARP and neighbour solicitations for its own addresses, as any guest
does (the host must resolve the guest before it forwards a reply to it), and echo requests to
them (`serve COUNT` waits for COUNT of those). Prints {"ready": true} once the tap is open, then
one JSON line per step: {"step": ..., "ok": bool, "mac": the MAC that answered or asked};
exit 1 if a step failed.
"""
import fcntl, ipaddress, json, os, select, struct, sys, time

TUNSETIFF, IFF_TAP, IFF_NO_PI = 0x400454CA, 0x0002, 0x1000
ETH_ARP, ETH_IP, ETH_IP6 = 0x0806, 0x0800, 0x86DD
STEP_TIMEOUT, RESEND = 4.0, 0.25


def checksum(data):
    data += b'\0' * (len(data) % 2)
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def mac_text(b):
    return ':'.join('%02x' % x for x in b)


class Guest:
    def __init__(self, tap, mac, ip4, ip6):
        self.fd = os.open('/dev/net/tun', os.O_RDWR)
        fcntl.ioctl(self.fd, TUNSETIFF, struct.pack('16sH', tap.encode(), IFF_TAP | IFF_NO_PI))
        self.mac = bytes.fromhex(mac.replace(':', ''))
        self.ip4 = ipaddress.IPv4Address(ip4).packed if ip4 != '-' else None
        self.ip6 = ipaddress.IPv6Address(ip6).packed if ip6 != '-' else None

    def send(self, dst, etype, payload):
        os.write(self.fd, dst + self.mac + struct.pack('!H', etype) + payload)

    # --- IPv4 ---
    def arp(self, op, tha, tpa, dst):
        self.send(dst, ETH_ARP, struct.pack('!HHBBH6s4s6s4s', 1, ETH_IP, 6, 4, op, self.mac, self.ip4, tha, tpa))

    def ip4_packet(self, dst, proto, payload):
        head = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 1, 0x4000, 64, proto, 0, self.ip4, dst)
        return head[:10] + struct.pack('!H', checksum(head)) + head[12:] + payload

    def echo4(self, mac, dst):
        icmp = struct.pack('!BBHHH', 8, 0, 0, 0x4242, 1) + b'ctnet-guest'
        icmp = icmp[:2] + struct.pack('!H', checksum(icmp)) + icmp[4:]
        self.send(mac, ETH_IP, self.ip4_packet(dst, 1, icmp))

    # --- IPv6 ---
    def icmp6(self, dst_mac, dst, body, hops=255):
        body, pseudo = body[:2] + b'\0\0' + body[4:], self.ip6 + dst + struct.pack('!I3xB', len(body), 58)
        body = body[:2] + struct.pack('!H', checksum(pseudo + body)) + body[4:]
        self.send(dst_mac, ETH_IP6, struct.pack('!IHBB16s16s', 0x60000000, len(body), 58, hops, self.ip6, dst) + body)

    def solicit(self, target):
        group = bytes.fromhex('ff02' + '00' * 9 + '01ff') + target[13:]
        body = struct.pack('!BBHI16sBB6s', 135, 0, 0, 0, target, 1, 1, self.mac)
        self.icmp6(b'\x33\x33' + group[12:], group, body)

    def echo6(self, mac, dst):
        self.icmp6(mac, dst, struct.pack('!BBHHH', 128, 0, 0, 0x4242, 1) + b'ctnet-guest', hops=64)

    def answer(self, f):
        """Answer ARP requests, neighbour solicitations and echo requests for our own addresses."""
        etype = struct.unpack('!H', f[12:14])[0]
        if self.is_echo_request(f):
            if etype == ETH_IP:
                icmp = b'\0' + f[35:36] + b'\0\0' + f[38:14 + struct.unpack('!H', f[16:18])[0]]
                icmp = icmp[:2] + struct.pack('!H', checksum(icmp)) + icmp[4:]
                self.send(f[6:12], ETH_IP, self.ip4_packet(f[26:30], 1, icmp))
            else:
                self.icmp6(f[6:12], f[22:38], bytes([129]) + f[55:54 + struct.unpack('!H', f[18:20])[0]], hops=64)
            return
        if etype == ETH_ARP and self.ip4 and f[20:22] == b'\0\1' and f[38:42] == self.ip4:
            sha, spa = f[22:28], f[28:32]
            self.send(sha, ETH_ARP, struct.pack('!HHBBH6s4s6s4s', 1, ETH_IP, 6, 4, 2, self.mac, self.ip4, sha, spa))
        elif etype == ETH_IP6 and self.ip6 and f[20] == 58 and f[54] == 135 and f[62:78] == self.ip6:
            # solicited and override, with our MAC as target link-layer address
            self.icmp6(f[6:12], f[22:38], struct.pack('!BBHI16sBB6s', 136, 0, 0, 0x60000000, self.ip6, 2, 1, self.mac))

    def is_echo_request(self, f):
        if f[12:14] == b'\x08\x00':
            return self.ip4 is not None and f[23] == 1 and f[30:34] == self.ip4 and f[34] == 8
        return f[12:14] == b'\x86\xdd' and self.ip6 is not None and f[20] == 58 and f[38:54] == self.ip6 and f[54] == 128

    def until(self, send, match):
        """Send every RESEND seconds until a received frame matches; answer solicitations meanwhile."""
        deadline, next_send = time.monotonic() + STEP_TIMEOUT, 0.0
        while time.monotonic() < deadline:
            if time.monotonic() >= next_send:
                send()
                next_send = time.monotonic() + RESEND
            if select.select([self.fd], [], [], RESEND)[0]:
                f = os.read(self.fd, 65536)
                if len(f) < 14:
                    continue
                self.answer(f)
                got = match(f)
                if got is not None:
                    return got
        return None

    # --- steps ---
    def resolve4(self, target):
        t = ipaddress.IPv4Address(target).packed
        return self.until(lambda: self.arp(1, b'\0' * 6, t, b'\xff' * 6),
                          lambda f: f[22:28] if f[12:14] == b'\x08\x06' and f[20:22] == b'\0\2' and f[28:32] == t else None)

    def ping4(self, nexthop, dst):
        mac, d = self.resolve4(nexthop), ipaddress.IPv4Address(dst).packed
        if mac is None:
            return None
        return self.until(lambda: self.echo4(mac, d),
                          lambda f: f[6:12] if f[12:14] == b'\x08\x00' and f[23] == 1 and f[26:30] == d and f[34] == 0 else None)

    def resolve6(self, target):
        t = ipaddress.IPv6Address(target).packed
        return self.until(lambda: self.solicit(t),
                          lambda f: f[6:12] if f[12:14] == b'\x86\xdd' and f[20] == 58 and f[54] == 136 and f[62:78] == t else None)

    def ping6(self, nexthop, dst):
        mac, d = self.resolve6(nexthop), ipaddress.IPv6Address(dst).packed
        if mac is None:
            return None
        return self.until(lambda: self.echo6(mac, d),
                          lambda f: f[6:12] if f[12:14] == b'\x86\xdd' and f[20] == 58 and f[22:38] == d and f[54] == 129 else None)


    def serve(self, count):
        """Wait for COUNT echo requests to our addresses (answer() replies to each)."""
        mac = None
        for _ in range(int(count)):
            mac = self.until(lambda: None, lambda f: f[6:12] if self.is_echo_request(f) else None)
            if mac is None:
                return None
        return mac


def main(argv):
    guest, steps, ok = Guest(*argv[1:5]), argv[5:], True
    arity = {'arp': (1, guest.resolve4), 'ping': (2, guest.ping4), 'ndp': (1, guest.resolve6), 'ping6': (2, guest.ping6), 'serve': (1, guest.serve)}
    print(json.dumps({'ready': True}), flush=True)
    while steps:
        n, fn = arity[steps[0]]
        args, name, steps = steps[1:1 + n], steps[0], steps[1 + n:]
        mac = fn(*args)
        ok = ok and mac is not None
        print(json.dumps({'step': ' '.join([name, *args]), 'ok': mac is not None, 'mac': mac and mac_text(mac)}), flush=True)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
