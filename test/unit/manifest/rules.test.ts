import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests } from '../../../src/manifest/index.js';

const root = mkdtempSync(join(tmpdir(), 'ctnet-rules-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

const TODO = 'is not implemented in this version of ctnet';

/** `path: message` of every error; positions are positions.test.ts's business. */
async function check(text: string, opts: { todo?: boolean; partial?: boolean } = {}): Promise<string[]> {
  const f = join(root, `${n++}.yaml`);
  writeFileSync(f, text);
  const r = await loadManifests([f], { partial: opts.partial });
  const all = r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
  // most fixtures use what this version cannot build yet (VMs, ipnet...): the implemented rule has its own test
  return opts.todo ? all : all.filter((m) => !m.endsWith(TODO));
}

const doc = (kind: string, name: string, spec: string): string =>
  `---\napiVersion: ctnet/v1\nkind: ${kind}\nmetadata: {name: ${name}}\nspec: ${spec}\n`;
const ct = (name: string, spec: string): string => doc('Container', name, spec);
const vm = (name: string, spec: string): string => doc('VirtualMachine', name, spec);
const BUILT =
  doc('Network', 'pub', '{type: routed, subnets: [192.168.200.0/24, "2001:db8::/64"], uplink: eth9}') +
  doc('Network', 'lan', '{type: bridge, subnets: [10.30.0.0/24], gateway: 10.30.0.1, uplink: eth8}');
const NETS =
  BUILT +
  doc('Network', 'lo1', '{type: loopback, subnets: [10.9.0.0/24]}') +
  doc('Network', 'ext', '{type: custom, interface: eth7}');

describe('semantic rules', () => {
  it('accept a valid set', async () => {
    expect(
      await check(
        BUILT +
          ct(
            'a',
            '{interfaces: [{name: venet0, network: pub, addresses: [192.168.200.1, "2001:db8::1/128"]}, {network: lan, addresses: [10.30.0.5/24]}]}',
          ) +
          ct('b', '{driver: disabled}') +
          ct('c', '{}'),
        { todo: true },
      ),
    ).toEqual([]);
  });

  it('unique-names: names are unique per kind; Host documents merge', async () => {
    const e = await check(
      NETS +
        doc('Network', 'lan', '{type: bridge}') +
        ct('lan', '{}') +
        ct('x', '{}') +
        ct('x', '{}') +
        doc('Host', 'h', '{}') +
        doc('Host', 'h', '{}'),
    );
    expect(e).toHaveLength(2);
    expect(e[0]).toMatch(/^metadata\.name: duplicate Network "lan" \(first defined in .*\.yaml\)$/);
    expect(e[1]).toMatch(/^metadata\.name: duplicate Container "x"/);
  });

  it('netns: two containers never share a namespace, named (or by default) or by path', async () => {
    expect(
      await check(
        ct('a', '{}') +
          ct('b', '{netns: a}') +
          ct('c', '{netns: shared}') +
          ct('d', '{netns: shared}') +
          ct('e', '{netns: {path: /proc/1/ns/net}}') +
          ct('f', '{netns: {path: /proc/1/ns/net}}') +
          ct('g', '{driver: host}') +
          ct('h', '{driver: host}'),
      ),
    ).toEqual([
      'spec.netns: network namespace "a" is already used by container "a"',
      'spec.netns: network namespace "shared" is already used by container "c"',
      'spec.netns.path: namespace /proc/1/ns/net is already used by container "e"',
    ]);
  });

  it('network-refs: an interface names an existing network (off for a partial set)', async () => {
    const text = NETS + ct('a', '{interfaces: [{network: nope}]}') + vm('v', '{interfaces: [{network: gone}]}');
    expect(await check(text)).toEqual([
      'spec.interfaces[0].network: unknown network "nope" (known: ext, lan, lo1, pub)',
      'spec.interfaces[0].network: unknown network "gone" (known: ext, lan, lo1, pub)',
    ]);
    expect(await check(text, { partial: true })).toEqual([]);
  });

  it('interface-target: exactly one of network and device', async () => {
    expect(await check(NETS + ct('a', '{interfaces: [{network: pub, device: eth5}, {name: e1}]}'))).toEqual([
      'spec.interfaces[0].device: an interface takes either "network" or "device", not both',
      'spec.interfaces[1]: an interface needs "network" (or "device" for passthrough)',
    ]);
  });

  it('drivers: vnet, ipnet and VMs attach to their network types; each refusal lists the valid ones', async () => {
    const VNET = 'a vnet container attaches to routed or bridge networks, or passes a device through';
    expect(
      await check(
        NETS +
          ct('v', '{interfaces: [{network: lo1, addresses: [10.9.0.2]}, {network: ext, addresses: [10.7.0.2/24]}]}') +
          ct(
            'i',
            '{driver: ipnet, interfaces: [{network: pub, addresses: [192.168.200.9]}, {network: ext, addresses: [10.7.0.1/24]}, {network: lo1}, {network: lan, addresses: [10.30.0.9]}]}',
          ) +
          vm('m', '{interfaces: [{network: ext}, {network: lo1}]}'),
      ),
    ).toEqual([
      `spec.interfaces[0].network: network "lo1" is a loopback network: ${VNET}`,
      `spec.interfaces[1].network: network "ext" is a custom network: ${VNET}`,
      'spec.interfaces[0].network: network "pub" is a routed network: an ipnet container adds its addresses to loopback, bridge or custom networks (a routed network needs an interface of its own: use driver vnet)',
      'spec.interfaces[2]: an ipnet interface needs "addresses": the container uses them on the host\'s interface of the network',
      'spec.interfaces[0].network: network "ext" is a custom network: a VM attaches to routed or bridge networks',
      'spec.interfaces[1].network: network "lo1" is a loopback network: a VM attaches to routed or bridge networks',
    ]);
  });

  it("host-names: a loopback network's interface collides with bridges, uplinks and custom interfaces", async () => {
    expect(
      await check(
        BUILT +
          doc('Network', 'l1', '{type: loopback, interface: br-lan}') +
          doc('Network', 'l2', '{type: loopback, interface: eth7}') +
          doc('Network', 'c1', '{type: custom, interface: eth7}') +
          doc('Network', 'l3', '{type: loopback}') +
          doc('Network', 'l4', '{type: loopback, interface: lo-l3}'),
      ),
    ).toEqual([
      // networks are checked by name: "l1" claims the name first, and the bridge of "lan" is reported
      'metadata.name: host interface name "br-lan" is also derived for network "l1"; rename one of them',
      'spec.interface: host interface name "eth7" is also derived for an interface ctnet does not create (an uplink, a custom network\'s interface or a protected interface); rename one of them',
      'spec.interface: host interface name "lo-l3" is also derived for network "l3"; rename one of them',
    ]);
  });

  it("uplinks: a custom network's interface is never a bridge's port", async () => {
    expect(
      await check(
        BUILT +
          doc('Network', 'c1', '{type: custom, interface: eth8}') +
          doc('Network', 'c2', '{type: custom, interface: eth9}'),
      ),
    ).toEqual([
      'spec.interface: interface "eth8" is a port of the bridge of network "lan"; it cannot also be a custom network\'s interface',
    ]);
  });

  it('network-addresses: subnets are address/prefix; gateways parse and lie inside subnets of their family', async () => {
    expect(
      await check(
        doc(
          'Network',
          'a',
          '{type: bridge, subnets: [10.0.0.0/24, 10.1.0.1, 10.2.0.0/33], gateway: [10.0.0.1, 10.5.0.1, "fd00::1", 10.0.0.256]}',
        ),
      ),
    ).toEqual([
      'spec.subnets[1]: "10.1.0.1" is not a subnet (address/prefix)',
      'spec.subnets[2]: "10.2.0.0/33" is not a subnet (address/prefix)',
      'spec.gateway[1]: gateway 10.5.0.1 is outside the subnets of network "a" (10.0.0.0/24, 10.1.0.1, 10.2.0.0/33)',
      'spec.gateway[3]: "10.0.0.256" is not an IP address',
    ]);
  });

  it('addresses: parse, host addresses on routed networks, inside the subnets', async () => {
    expect(
      await check(
        NETS +
          ct(
            'a',
            '{interfaces: [{name: v0, network: pub, addresses: [10.0.0.300, 192.168.200.1/24, 192.168.201.1, "2001:db8::5/128", "2001:db9::5"]}, {network: lan, addresses: [10.30.0.7/24, "fd00::7/64"]}]}',
          ),
      ),
    ).toEqual([
      'spec.interfaces[0].addresses[0]: "10.0.0.300" is not an IP address',
      'spec.interfaces[0].addresses[1]: "192.168.200.1/24": addresses on routed network "pub" are host addresses (/32, /128)',
      'spec.interfaces[0].addresses[2]: 192.168.201.1 is outside the subnets of network "pub" (192.168.200.0/24, 2001:db8::/64)',
      'spec.interfaces[0].addresses[4]: 2001:db9::5 is outside the subnets of network "pub" (192.168.200.0/24, 2001:db8::/64)',
      'spec.interfaces[1].addresses[1]: fd00::7 is outside the subnets of network "lan" (10.30.0.0/24)',
    ]);
  });

  it('duplicate-addresses: once across containers, VMs and gateways, compared canonically', async () => {
    expect(
      await check(
        NETS +
          doc('Network', 'lan2', '{type: bridge, gateway: 10.30.0.1}') +
          ct(
            'a',
            '{interfaces: [{network: lan, addresses: [10.30.0.1/24, 10.30.0.7/24]}, {network: pub, addresses: ["2001:db8::a"]}]}',
          ) +
          ct(
            'b',
            '{interfaces: [{network: lan, addresses: [10.30.0.7/24]}, {network: pub, addresses: ["2001:DB8:0::A"]}]}',
          ) +
          vm('v', '{interfaces: [{network: lan, addresses: [10.30.0.7/24]}]}'),
      ),
    ).toEqual([
      'spec.gateway: duplicate address 10.30.0.1: already used by the gateway of network "lan" (11.yaml:10:56)',
      'spec.interfaces[0].addresses[0]: duplicate address 10.30.0.1: already used by the gateway of network "lan" (11.yaml:10:56)',
      'spec.interfaces[0].addresses[0]: duplicate address 10.30.0.7: already used by Container "a" (11.yaml:30:62)',
      'spec.interfaces[1].addresses[0]: duplicate address 2001:db8::a: already used by Container "a" (11.yaml:30:105)',
      'spec.interfaces[0].addresses[0]: duplicate address 10.30.0.7: already used by Container "a" (11.yaml:30:62)',
    ]);
  });

  it('interface-names: unique in a container, the default eth<index> included; ipnet names are optional labels', async () => {
    expect(
      await check(
        NETS +
          ct('a', '{interfaces: [{name: e0, network: lan}, {name: e0, network: pub}, {name: eth0, network: pub}]}') +
          ct('b', '{interfaces: [{network: lan}, {name: eth0, network: pub}]}') +
          ct(
            'i',
            '{driver: ipnet, interfaces: [{network: lo1, addresses: [10.9.0.3]}, {network: lo1, addresses: [10.9.0.4]}]}',
          ),
      ),
    ).toEqual([
      'spec.interfaces[1].name: duplicate interface name "e0" in Container "a"',
      'spec.interfaces[1].name: duplicate interface name "eth0" in Container "b"',
    ]);
  });

  it('macs: no multicast, no all-zero', async () => {
    expect(
      await check(
        NETS +
          ct(
            'a',
            '{interfaces: [{name: e0, network: lan, mac: "01:00:5e:00:00:01"}, {name: e1, network: lan, mac: "00:00:00:00:00:00"}, {name: e2, network: lan, mac: "02:AB:00:00:00:01"}]}',
          ) +
          vm('v', '{interfaces: [{network: lan, mac: "ff:ff:ff:ff:ff:ff"}]}'),
      ),
    ).toEqual([
      'spec.interfaces[0].mac: "01:00:5e:00:00:01" is a multicast MAC address (the first byte must be even)',
      'spec.interfaces[1].mac: "00:00:00:00:00:00" is the all-zero MAC address',
      'spec.interfaces[0].mac: "ff:ff:ff:ff:ff:ff" is a multicast MAC address (the first byte must be even)',
    ]);
  });

  it('devices: a device goes to one container, and never one a network uses', async () => {
    expect(
      await check(
        NETS +
          ct('a', '{interfaces: [{device: eth5}, {device: eth9}]}') +
          ct('b', '{interfaces: [{device: eth5}, {device: eth7}]}'),
      ),
    ).toEqual([
      'spec.interfaces[1].device: device "eth9" is already claimed by network "pub"',
      'spec.interfaces[0].device: device "eth5" is already claimed by Container "a"',
      'spec.interfaces[1].device: device "eth7" is already claimed by network "ext"',
    ]);
  });

  it('uplinks: a bridge uplink belongs to one network; routed networks may share theirs', async () => {
    expect(
      await check(
        NETS +
          doc('Network', 'pub2', '{type: routed, uplink: eth9}') +
          doc('Network', 'lan2', '{type: bridge, uplink: eth8}') +
          doc('Network', 'pub3', '{type: routed, uplink: eth8}'),
      ),
    ).toEqual([
      'spec.uplink: interface "eth8" is already claimed by network "lan"',
      'spec.uplink: interface "eth8" is a port of the bridge of network "lan"; it cannot also be a routed uplink',
    ]);
  });

  it('protected: no bridge uplink or device may be a protected interface; a routed uplink may', async () => {
    expect(
      await check(
        NETS +
          ct('a', '{interfaces: [{device: eth5}]}') +
          doc('Host', 'h', '{protectedInterfaces: [eth9, eth8, eth5]}'),
      ),
    ).toEqual([
      'spec.protectedInterfaces[1]: protected interface "eth8" is claimed by network "lan"',
      'spec.protectedInterfaces[2]: protected interface "eth5" is claimed by Container "a"',
    ]);
  });

  it('routes: to is a subnet or default, via an address of the same family', async () => {
    expect(
      await check(
        ct(
          'a',
          '{interfaces: [{device: eth5, addresses: [10.0.0.5/24, 10.30.0.5/24]}], routes: [{to: default, via: 10.0.0.1}, {to: 10.40.0.0/16, via: 10.30.0.254}, {to: 10.40.0.0/33, via: 10.0.0.1}, {to: "fd00::/8", via: 10.0.0.1}, {to: 10.0.0.0/8, via: 10.0.0.1/24}]}',
        ),
      ),
    ).toEqual([
      'spec.routes[2].to: "10.40.0.0/33" is not a subnet or "default"',
      'spec.routes[3].via: next hop 10.0.0.1 is not of the family of fd00::/8',
      'spec.routes[4].via: "10.0.0.1/24" is not an IP address',
    ]);
  });

  it('host-names: host-side names derived from different objects must not collide', async () => {
    expect(
      await check(
        NETS +
          ct('a-b', '{interfaces: [{name: c, network: lan, addresses: [10.30.0.3/24]}]}') +
          ct('a', '{interfaces: [{name: b-c, network: lan, addresses: [10.30.0.4/24]}]}'),
      ),
    ).toEqual([
      'spec.interfaces[0]: host interface name "ve-a-b-c" is also derived for container "a" interface "b-c"; rename one of them',
    ]);
  });

  it('host-names: VM taps collide with veths, bridges, other taps, uplinks and protected interfaces', async () => {
    expect(
      await check(
        BUILT +
          doc('Host', 'h', '{protectedInterfaces: [eth0]}') +
          ct('a', '{interfaces: [{name: e0, network: lan, addresses: [10.30.0.3/24]}]}') +
          vm(
            'v',
            '{interfaces: [{network: lan, tap: ve-a-e0}, {network: lan, tap: br-lan}, {network: lan, tap: eth8}, {network: lan, tap: eth0}, {network: lan, tap: lo}, {network: lan}]}',
          ) +
          vm('w', '{interfaces: [{network: lan, tap: tap-v-5}, {network: lan, tap: t1}, {network: lan, tap: t1}]}') +
          vm('ok', '{interfaces: [{network: pub, addresses: [192.168.200.7]}, {network: lan, tap: vnic0}]}'),
      ),
    ).toEqual([
      'spec.interfaces[0].tap: host interface name "ve-a-e0" is also derived for container "a" interface "e0"; rename one of them',
      'spec.interfaces[1].tap: host interface name "br-lan" is also derived for network "lan"; rename one of them',
      ...['eth8', 'eth0', 'lo'].map(
        (n, i) =>
          `spec.interfaces[${i + 2}].tap: host interface name "${n}" is also derived for an interface ctnet does not create (an uplink, a custom network's interface or a protected interface); rename one of them`,
      ),
      'spec.interfaces[0].tap: host interface name "tap-v-5" is also derived for VM "v" interface 5; rename one of them',
      'spec.interfaces[2].tap: host interface name "t1" is also derived for VM "w" interface 1; rename one of them',
    ]);
  });

  it('nat: an IPv4 subnet to masquerade, no routed address inside it; overlapping subnets reported on both sides', async () => {
    expect(
      await check(
        BUILT +
          doc('Network', 'n1', '{type: bridge, subnets: [10.31.0.0/24], nat: true}') +
          doc('Network', 'n6', '{type: bridge, subnets: ["fd00:6::/64"], nat: true}') +
          doc('Network', 'n0', '{type: bridge, nat: true}') +
          doc('Network', 'off', '{type: bridge, subnets: [192.168.201.0/25], nat: false}') +
          doc('Network', 'over', '{type: bridge, subnets: ["fd00:7::/64", 192.168.200.128/25], nat: true}') +
          doc('Network', 'bare', '{type: routed}') +
          ct(
            'a',
            '{interfaces: [{name: venet0, network: bare, addresses: [10.31.0.9, 10.32.0.9]}, {network: n1, addresses: [10.31.0.5/24]}]}',
          ),
      ),
    ).toEqual([
      'spec.subnets[0]: subnet 192.168.200.0/24 overlaps 192.168.200.128/25 of network "over": one of them would be unreachable',
      'spec.nat: NAT masquerades IPv4 traffic from the network\'s subnets, and network "n6" has no IPv4 subnet',
      'spec.nat: NAT masquerades IPv4 traffic from the network\'s subnets, and network "n0" has no IPv4 subnet',
      'spec.subnets[1]: subnet 192.168.200.128/25 overlaps 192.168.200.0/24 of network "pub": one of them would be unreachable',
      'spec.interfaces[0].addresses[0]: 10.31.0.9 is a routed address inside the NAT subnets of network "n1": routed traffic is never masqueraded',
    ]);
  });

  it('vm-addresses: a routed VM interface needs addresses, or subnets to allocate them from', async () => {
    expect(
      await check(
        NETS +
          doc('Network', 'bare', '{type: routed}') +
          vm('v', '{interfaces: [{network: lan}, {network: pub}, {network: bare}]}'),
      ),
    ).toEqual([
      'spec.interfaces[2]: network "bare" is routed and has no subnets to allocate from: give the interface "addresses"',
    ]);
  });
});
