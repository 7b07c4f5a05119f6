import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonStream } from '../../../src/driver/json-stream.js';
import type { AddressObj, LinkObj, NeighborObj, RouteObj } from '../../../src/model/kernel.js';
import { parseAddresses, parseLinks, parseProxyNeighbors, parseRoutes } from '../../../src/driver/parse-ip.js';

/**
 * Real `ip -N -d -json` output (iproute2 6.1), captured by test/unit/fixtures/ip/capture.sh from
 * a scene in two namespaces: "host" (bridge br0, veth ports, a tap, a tun, a routed veth, an
 * uplink veth pair with both ends here, a dotted macvlan) and "ct" (the veth peers).
 */
const FIX = join(import.meta.dirname, '../fixtures/ip');
const text = (name: string): string => readFileSync(join(FIX, `${name}.json`), 'utf8');
const fixture = (name: string): unknown => JSON.parse(text(name));

const link = (l: Partial<LinkObj> & Pick<LinkObj, 'name' | 'kind'>): LinkObj => ({ group: 0, ...l });
const addr = (
  dev: string,
  family: 4 | 6,
  cidr: string,
  flags: { tentative?: boolean; dynamic?: boolean } = {},
): AddressObj => ({ dev, family, cidr, tentative: flags.tentative ?? false, dynamic: flags.dynamic ?? false });
const route = (family: 4 | 6, dst: string, r: Omit<Partial<RouteObj>, 'family' | 'dst'> = {}): RouteObj => ({
  family,
  dst,
  onlink: false,
  ...r,
});

const HOST_LINKS: LinkObj[] = [
  link({ name: 'lo', kind: 'device', mtu: 65536, mac: '00:00:00:00:00:00', up: true, ifindex: 1 }),
  link({
    name: 'br0',
    kind: 'bridge',
    alias: 'ctnet:network/lan',
    mtu: 1450,
    mac: '02:00:00:00:01:00',
    up: true,
    ifindex: 2,
  }),
  link({
    name: 'vethct0',
    kind: 'veth',
    alias: 'ctnet:container/ct101',
    mtu: 1450,
    mac: '02:00:00:00:02:00',
    up: true,
    master: 'br0',
    ifindex: 3,
    peerIfindex: 2,
    peerNetnsId: 0,
    group: 7,
  }),
  link({
    name: 'tap0',
    kind: 'tap',
    alias: 'ctnet:vm/vm1',
    mtu: 1450,
    mac: '02:00:00:00:03:00',
    up: true,
    master: 'br0',
    ifindex: 4,
  }), // up, no carrier
  link({ name: 'tun0', kind: 'other', mtu: 1500, up: false, ifindex: 5 }), // a tun (not tap) has no MAC
  link({
    name: 'hve101',
    kind: 'veth',
    alias: 'ctnet:container/ct101',
    mtu: 1500,
    mac: '02:00:00:00:04:00',
    up: true,
    ifindex: 6,
    peerIfindex: 3,
    peerNetnsId: 0,
  }),
  // a veth pair with both ends here: ip names the peer ("link") instead of giving link_index
  link({ name: 'uplink0p', kind: 'veth', mtu: 1500, mac: '02:00:00:00:05:01', up: true, ifindex: 7, peerIfindex: 8 }),
  link({ name: 'uplink0', kind: 'veth', mtu: 1500, mac: '02:00:00:00:05:00', up: true, ifindex: 8, peerIfindex: 7 }),
  // a macvlan's "link" is its lower device, not a peer
  link({ name: 'mv.1', kind: 'other', mtu: 1500, mac: '02:00:00:00:06:00', up: false, ifindex: 9 }),
];

const CT_LINKS: LinkObj[] = [
  link({ name: 'lo', kind: 'device', mtu: 65536, mac: '00:00:00:00:00:00', up: true, ifindex: 1 }),
  link({
    name: 'eth0',
    kind: 'veth',
    mtu: 1450,
    mac: '02:00:00:00:02:01',
    up: true,
    ifindex: 2,
    peerIfindex: 3,
    peerNetnsId: 0,
  }),
  link({
    name: 'venet0',
    kind: 'veth',
    mtu: 1500,
    mac: '02:00:00:00:04:01',
    up: true,
    ifindex: 3,
    peerIfindex: 6,
    peerNetnsId: 0,
  }),
];

const HOST_ADDRESSES: AddressObj[] = [
  addr('lo', 4, '127.0.0.1/8'),
  addr('lo', 6, '::1/128'),
  addr('br0', 4, '10.30.0.1/24'),
  addr('br0', 6, '2001:db8:30::1/64'), // nodad
  addr('br0', 6, 'fe80::ff:fe00:100/64'), // kernel link-local
  addr('vethct0', 6, 'fe80::ff:fe00:200/64'),
  addr('tap0', 4, '10.31.0.1/24'),
  addr('tap0', 6, '2001:db8:31::1/64', { tentative: true }), // no carrier: DAD never ran
  addr('hve101', 6, 'fe80::ff:fe00:400/64'),
  addr('hve101', 6, 'fe80::1/64'),
  addr('uplink0p', 6, 'fe80::ff:fe00:501/64'),
  addr('uplink0', 4, '198.51.100.2/24'),
  addr('uplink0', 4, '203.0.113.5/24', { dynamic: true }), // valid_lft 3600
  addr('uplink0', 6, '2001:db8:ff::5/64', { dynamic: true }),
  addr('uplink0', 6, '2001:db8:ff::2/64'),
  addr('uplink0', 6, 'fe80::ff:fe00:500/64'),
];

const CT_ADDRESSES: AddressObj[] = [
  addr('lo', 4, '127.0.0.1/8'),
  addr('lo', 6, '::1/128'),
  addr('eth0', 4, '10.30.0.11/24'),
  addr('eth0', 6, '2001:db8:30::1/64', { tentative: true }), // dadfailed: br0 holds it
  addr('eth0', 6, '2001:db8:30::11/64'),
  addr('eth0', 6, 'fe80::ff:fe00:201/64'),
  addr('venet0', 4, '192.168.200.101/32'),
  addr('venet0', 6, '2001:db8:1::101/128'),
  addr('venet0', 6, 'fe80::ff:fe00:401/64'),
];

// table 100, the blackhole and every local/broadcast/multicast/anycast entry are left out
const HOST_ROUTES: RouteObj[] = [
  route(4, 'default', { dev: 'uplink0', via: '198.51.100.1', protocol: 3 }),
  route(4, '10.30.0.0/24', { dev: 'br0', protocol: 2 }),
  route(4, '10.31.0.0/24', { dev: 'tap0', protocol: 2 }),
  route(4, '10.40.0.0/16', { dev: 'br0', via: '10.30.0.11', protocol: 241 }),
  route(4, '10.50.0.0/16', { dev: 'br0', via: '10.99.0.1', onlink: true, protocol: 241 }),
  route(4, '10.60.0.0/16', { dev: 'uplink0', via: 'fe80::5', protocol: 3 }), // via inet6 (RTA_VIA): still IPv4
  route(4, '10.61.0.0/16', { protocol: 241 }), // multipath: no single dev or gateway
  route(4, '192.168.200.101/32', { dev: 'hve101', protocol: 241 }),
  route(4, '198.51.100.0/24', { dev: 'uplink0', protocol: 2 }),
  route(4, '203.0.113.0/24', { dev: 'uplink0', protocol: 2 }),
  route(6, '2001:db8:1::101/128', { dev: 'hve101', protocol: 241 }),
  route(6, '2001:db8:30::/64', { dev: 'br0', protocol: 2 }),
  route(6, '2001:db8:31::/64', { dev: 'tap0', protocol: 2 }),
  route(6, '2001:db8:40::/48', { dev: 'br0', via: '2001:db8:30::11', protocol: 241 }),
  route(6, '2001:db8:ff::/64', { dev: 'uplink0', protocol: 2 }),
  route(6, 'fe80::/64', { dev: 'uplink0p', protocol: 2 }),
  route(6, 'fe80::/64', { dev: 'uplink0', protocol: 2 }),
  route(6, 'fe80::/64', { dev: 'hve101', protocol: 2 }),
  route(6, 'fe80::/64', { dev: 'vethct0', protocol: 2 }),
  route(6, 'fe80::/64', { dev: 'br0', protocol: 2 }),
  route(6, 'default', { dev: 'uplink0', via: 'fe80::1', protocol: 3 }),
];

const CT_ROUTES: RouteObj[] = [
  route(4, 'default', { dev: 'venet0', via: '169.254.0.1', onlink: true, protocol: 241 }),
  route(4, '10.30.0.0/24', { dev: 'eth0', protocol: 2 }),
  route(4, '10.40.0.0/16', { dev: 'eth0', via: '10.30.0.1', protocol: 241 }),
  route(4, '169.254.0.1/32', { dev: 'venet0', protocol: 3 }),
  route(6, '2001:db8:1::101/128', { dev: 'venet0', protocol: 2 }),
  route(6, '2001:db8:30::/64', { dev: 'eth0', protocol: 2 }),
  route(6, 'fe80::/64', { dev: 'eth0', protocol: 2 }),
  route(6, 'fe80::/64', { dev: 'venet0', protocol: 2 }),
  route(6, 'default', { dev: 'venet0', via: 'fe80::1', protocol: 241 }), // ::/0 via fe80::1
];

const HOST_NEIGHBORS: NeighborObj[] = [
  { family: 4, dst: '192.168.200.101', dev: 'uplink0', proxy: true, protocol: 241 },
  { family: 4, dst: '192.168.200.102', dev: 'uplink0', proxy: true },
  { family: 6, dst: '2001:db8:1::101', dev: 'uplink0', proxy: true, protocol: 241 },
];

describe('parse-ip on real kernel output', () => {
  it('links: kinds, alias, mtu, mac, up, master, ifindex, peer, peer netns id, group', () => {
    expect(parseLinks(fixture('host-link'))).toEqual(HOST_LINKS);
    expect(parseLinks(fixture('ct-link'))).toEqual(CT_LINKS);
  });

  it('links: foreign or absent fields are undefined, not guessed', () => {
    const [lo, br0, , , tun0, , , , mv] = parseLinks(fixture('host-link'));
    expect([lo.alias, lo.master, lo.peerIfindex, lo.peerNetnsId]).toEqual([undefined, undefined, undefined, undefined]);
    expect([br0.master, br0.peerIfindex]).toEqual([undefined, undefined]);
    expect(tun0.mac).toBeUndefined();
    expect([mv.peerIfindex, mv.peerNetnsId]).toEqual([undefined, undefined]);
  });

  it('addresses: family, canonical cidr, tentative (incl. dadfailed), dynamic', () => {
    expect(parseAddresses(fixture('host-address'))).toEqual(HOST_ADDRESSES);
    expect(parseAddresses(fixture('ct-address'))).toEqual(CT_ADDRESSES);
  });

  it('routes: main table unicast only; family, canonical dst, default for both families, dev, via, onlink, protocol', () => {
    expect(parseRoutes(fixture('host-route'))).toEqual(HOST_ROUTES);
    expect(parseRoutes(fixture('ct-route'))).toEqual(CT_ROUTES);
  });

  it('routes: the raw dump does hold the local, broadcast, other-table and blackhole entries left out', () => {
    const raw = fixture('host-route') as { table: string; type: string; dst: string }[];
    expect(raw.filter((r) => r.table === '255').length).toBeGreaterThan(10);
    expect(raw.some((r) => r.table === '100' && r.dst === '10.70.0.0/16')).toBe(true);
    expect(raw.some((r) => r.type === '6' && r.dst === '10.80.0.0/16')).toBe(true);
    const parsed = parseRoutes(raw);
    expect(
      parsed.some(
        (r) => r.dst === '10.70.0.0/16' || r.dst === '10.80.0.0/16' || r.dst === 'ff00::/8' || r.dst === '127.0.0.0/8',
      ),
    ).toBe(false);
  });

  it('proxy neighbours: family, dst, dev, protocol', () => {
    expect(parseProxyNeighbors(fixture('host-neigh'))).toEqual(HOST_NEIGHBORS);
    expect(parseProxyNeighbors(fixture('ct-neigh'))).toEqual([]);
  });

  it("the driver's batch stream splits into the four documents and parses the same", () => {
    for (const [ns, want] of [
      ['host', [HOST_LINKS, HOST_ADDRESSES, HOST_ROUTES, HOST_NEIGHBORS]],
      ['ct', [CT_LINKS, CT_ADDRESSES, CT_ROUTES, []]],
    ] as const) {
      const docs = parseJsonStream(text(`${ns}-batch`));
      expect(docs).toHaveLength(4);
      const [l, a, r, n] = docs;
      expect([parseLinks(l), parseAddresses(a), parseRoutes(r), parseProxyNeighbors(n)]).toEqual(want);
    }
  });

  it('a missing document is an error, not an empty namespace', () => {
    expect(() => parseLinks(undefined)).toThrow(/no link list/);
    expect(() => parseAddresses(undefined)).toThrow(/no address list/);
    expect(() => parseRoutes(undefined)).toThrow(/no route list/);
    expect(() => parseProxyNeighbors(undefined)).toThrow(/no neighbour list/);
  });
});

describe('parse-ip on hand-written edge cases', () => {
  it('names without -N (group "default", table "main", type "unicast") read the same', () => {
    expect(parseLinks([{ ifindex: 4, ifname: 'x', flags: [], mtu: 1500, group: 'default' }])).toEqual([
      link({ name: 'x', kind: 'device', up: false, mtu: 1500, ifindex: 4 }),
    ]);
    expect(
      parseRoutes([
        { type: 'unicast', dst: '10.1.2.3', dev: 'x', table: 'main', protocol: 'kernel', flags: [] },
        { type: 'local', dst: '10.1.2.3', dev: 'x', table: 'local', flags: [] },
        { dst: 'default', gateway: '10.0.0.1', dev: 'x', flags: [] },
      ]),
    ).toEqual([route(4, '10.1.2.3/32', { dev: 'x' }), route(4, 'default', { dev: 'x', via: '10.0.0.1' })]);
  });

  it('IPv6 text is made canonical in dst, via and neighbours', () => {
    expect(
      parseRoutes([
        { type: '1', dst: '2001:DB8:0:0::1', gateway: 'FE80:0::1', dev: 'x', table: '254', flags: [], pref: 'medium' },
      ]),
    ).toEqual([route(6, '2001:db8::1/128', { dev: 'x', via: 'fe80::1' })]);
    expect(
      parseProxyNeighbors([
        { dst: '2001:DB8::0:1', dev: 'x', proxy: null },
        { dst: '10.0.0.1', dev: 'x', state: ['PERMANENT'] },
      ]),
    ).toEqual([{ family: 6, dst: '2001:db8::1', dev: 'x', proxy: true }]);
  });
});
