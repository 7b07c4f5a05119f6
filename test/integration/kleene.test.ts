import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { Sandbox, expectExit, hostSnapshot, ipj, ping, sh } from './sandbox.js';
import { doc, docs, routedNet } from '../fixtures.js';

/** What the kernel can make, found the way a user would: a dummy in a throwaway namespace. */
const hasDummy = spawnSync('unshare', ['--net', 'ip', 'link', 'add', 'probe0', 'type', 'dummy']).status === 0;

const LO = doc('Network', 'lo1', '{type: loopback, subnets: [10.9.0.0/24, "fd00:9::/64"]}');
const CUSTOM = doc('Network', 'seg', '{type: custom, interface: cust0, subnets: [192.168.220.0/24]}');
const BR = doc('Network', 'lan', '{type: bridge, subnets: [10.30.0.0/24], gateway: 10.30.0.1}');
const ipnet = (name: string, ifaces: string): string =>
  doc('Container', name, `{driver: ipnet, interfaces: [${ifaces}]}`);
const WEB = ipnet(
  'web',
  '{name: site, network: lo1, addresses: [10.9.0.2, "fd00:9::2"]}, {network: seg, addresses: [192.168.220.7]}, {network: lan, addresses: [10.30.0.50]}',
);
const OFF = doc('Container', 'off', '{driver: disabled, netns: "@off"}');
const HOSTCT = doc('Container', 'plain', '{driver: host}');

/** Kleene's networks and drivers on the real kernel: loopback, custom, ipnet, host, disabled. */
describe('Kleene networks and drivers', () => {
  const sb = new Sandbox();
  let lanNs = '';
  let segNs = '';
  let before: ReturnType<typeof hostSnapshot>;
  // the custom interface as ctnet must always leave it: mtu, state, master, its own addresses
  const custom = (): string => {
    const [l] = ipj(sb.host, 'addr', 'show', 'dev', 'cust0');
    const own = l.addr_info
      .filter((a: any) => !a.local.startsWith('fe80') && a.local !== '192.168.220.7')
      .map((a: any) => `${a.local}/${a.prefixlen}`);
    return JSON.stringify({ mtu: l.mtu, flags: l.flags, master: l.master, alias: l.ifalias, own });
  };
  const addrs = (dev: string): string[] =>
    ipj(sb.host, 'addr', 'show', 'dev', dev)
      .flatMap((l) =>
        l.addr_info.filter((a: any) => !a.local.startsWith('fe80')).map((a: any) => `${a.local}/${a.prefixlen}`),
      )
      .sort();
  const apply = (...d: string[]): void => {
    sb.write('m.yaml', docs(...d));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  };
  let customBefore = '';

  beforeAll(() => {
    lanNs = sb.external('lan', 'up0', '192.168.210.1/24', '192.168.210.254/24');
    // the LAN reaches the loopback network through the host's uplink address
    sh('ip', '-n', lanNs, 'route', 'add', '10.9.0.0/24', 'via', '192.168.210.1');
    // a veth plays the custom interface: the other end is a machine on its segment
    segNs = sb.external('seg', 'cust0', '192.168.220.1/24', '192.168.220.254/24');
    sh('ip', '-n', sb.host, 'link', 'set', 'cust0', 'mtu', '1400');
    sh('ip', '-n', sb.host, 'addr', 'add', '192.168.221.1/24', 'dev', 'cust0');
    before = hostSnapshot(sb.host);
    customBefore = custom();
  });
  afterAll(() => sb.cleanup());

  it('builds the loopback interface (owned, marked, up), the ipnet addresses, and a disabled container whose lo answers', () => {
    apply(LO, CUSTOM, BR, WEB, OFF, HOSTCT);
    const [lo] = ipj(sb.host, '-d', 'link', 'show', 'dev', 'lo-lo1');
    expect(lo.linkinfo.info_kind).toBe(hasDummy ? 'dummy' : 'bridge');
    expect(lo.ifalias).toMatch(/^ctnet:network\/lo1@/);
    expect(lo.flags).toContain('UP');
    expect(ipj(sb.host, 'link', 'show', 'master', 'lo-lo1')).toEqual([]);
    expect(addrs('lo-lo1')).toEqual(['10.9.0.2/24', 'fd00:9::2/64']);
    expect(addrs('br-lan')).toEqual(['10.30.0.1/24', '10.30.0.50/24']);
    expect(addrs('cust0')).toEqual(['192.168.220.1/24', '192.168.220.7/24', '192.168.221.1/24']);
    // usable at once: none of ctnet's addresses is left tentative (DAD skipped)
    expect(
      ipj(sb.host, 'addr', 'show', 'tentative').flatMap((l) =>
        l.addr_info.filter((a: any) => a.local && !a.local.startsWith('fe80')),
      ),
    ).toEqual([]);
    // host-local: the host answers for it, through its uplink address
    expect(ping(lanNs, '10.9.0.2')).toBe(true);
    expect(ping(segNs, '192.168.220.7')).toBe(true);
    expect(ping(sb.ns('off'), '127.0.0.1')).toBe(true);
    expect(ipj(sb.ns('off'), 'link', 'show').map((l) => l.ifname)).toEqual(['lo']);
    expect(custom()).toBe(customBefore);
    // a host container builds nothing: the only namespace is the disabled one
    expect(sb.namespaces()).toEqual([sb.ns('off')]);
  });

  it("prunes an ipnet container's addresses with it, and only them", () => {
    apply(LO, CUSTOM, BR, OFF);
    expect(addrs('lo-lo1')).toEqual([]);
    expect(addrs('br-lan')).toEqual(['10.30.0.1/24']);
    expect(addrs('cust0')).toEqual(['192.168.220.1/24', '192.168.221.1/24']);
    // no longer the host's: the kernel's local table has no route for it
    expect(ipj(sb.host, 'route', 'show', 'table', 'local', '192.168.220.7')).toEqual([]);
    expect(custom()).toBe(customBefore);
  });

  it('never takes an address the host holds: exit 3, kernel untouched', () => {
    const snap = hostSnapshot(sb.host);
    const lo2 = doc('Network', 'lo2', '{type: loopback}');
    // on the network's own interface the address is in the way; on another one the host holds it
    const inTheWay = (addr: string, on: string) =>
      `address ${addr} is already on interface "${on}", which ctnet does not own`;
    const heldOn = (addr: string, on: string) =>
      `m.yaml:29:63: spec.interfaces[0].addresses[0]: ${addr} is in use on the host (${on})`;
    const cases = [
      ['seg', '192.168.220.1', 'cust0', inTheWay],
      ['seg', '192.168.220.1/32', 'cust0', inTheWay],
      ['lo2', '192.168.210.1', 'up0', heldOn],
    ] as const;
    for (const [net, addr, on, says] of cases) {
      sb.write('m.yaml', docs(LO, lo2, CUSTOM, BR, OFF, ipnet('thief', `{network: ${net}, addresses: ["${addr}"]}`)));
      const r = expectExit(sb.ctnet('apply', sb.manifestDir), 3);
      expect(r.stderr).toContain(says(addr.split('/')[0], on));
    }
    expect(hostSnapshot(sb.host)).toEqual(snap);
  });

  it('every invalid combination is exit 3, lists the valid ones, and changes nothing', () => {
    const snap = hostSnapshot(sb.host);
    const VNET = 'a vnet container attaches to routed or bridge networks, or passes a device through';
    const cases: [string, string][] = [
      [
        doc('Container', 'v1', '{netns: "@v1", interfaces: [{network: lo1, addresses: [10.9.0.3]}]}'),
        `network "lo1" is a loopback network: ${VNET}`,
      ],
      [
        doc('Container', 'v2', '{netns: "@v2", interfaces: [{network: seg, addresses: [192.168.220.8/24]}]}'),
        `network "seg" is a custom network: ${VNET}`,
      ],
      [
        ipnet('i1', '{network: pub, addresses: [192.168.230.3]}'),
        'network "pub" is a routed network: an ipnet container adds its addresses to loopback, bridge or custom networks',
      ],
      [
        doc('Container', 'h1', '{driver: host, interfaces: [{network: lo1, addresses: [10.9.0.4]}]}'),
        'does not apply to driver "host": the container uses the host\'s network stack as it is (driver ipnet adds addresses to loopback, bridge or custom networks; vnet gives a stack of its own)',
      ],
      [doc('Container', 'h2', '{driver: host, netns: x}'), 'field "netns" does not apply to driver "host"'],
      [
        doc('Container', 'd1', '{driver: disabled, interfaces: [{network: lan}]}'),
        'does not apply to driver "disabled": its namespace has only lo (driver vnet takes interfaces and routes)',
      ],
      [
        doc('VirtualMachine', 'm1', '{interfaces: [{network: lo1}]}'),
        'network "lo1" is a loopback network: a VM attaches to routed or bridge networks',
      ],
      [
        doc('VirtualMachine', 'm2', '{interfaces: [{network: seg}]}'),
        'network "seg" is a custom network: a VM attaches to routed or bridge networks',
      ],
    ];
    // every error is listed at once: one run shows them all
    sb.write('m.yaml', docs(LO, CUSTOM, BR, routedNet('pub', '192.168.230.0/24'), ...cases.map(([bad]) => bad)));
    const stderr = expectExit(sb.ctnet('apply', sb.manifestDir), 3).stderr;
    for (const [, message] of cases) expect(stderr).toContain(message);
    // a missing custom interface is known only once the host is observed: still before any change
    sb.write(
      'm.yaml',
      docs(
        LO,
        CUSTOM,
        BR,
        OFF,
        doc('Network', 'gone', '{type: custom, interface: nosuch0}'),
        ipnet('i2', '{network: gone, addresses: [10.1.2.3]}'),
      ),
    );
    expect(expectExit(sb.ctnet('apply', sb.manifestDir), 3).stderr).toMatch(
      /m\.yaml:\d+:\d+: spec\.interface: interface "nosuch0" does not exist on the host/,
    );
    expect(hostSnapshot(sb.host)).toEqual(snap);
    expect(sb.namespaces()).toEqual([sb.ns('off')]);
  });

  it('destroy deletes the loopback interface and leaves the host as it was', () => {
    apply(LO, CUSTOM, BR, WEB, OFF);
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(ipj(sb.host, 'link', 'show').map((l) => l.ifname)).not.toContain('lo-lo1');
    expect(hostSnapshot(sb.host)).toEqual(before);
    expect(custom()).toBe(customBefore);
    expect(sb.namespaces()).toEqual([]);
  });
});
