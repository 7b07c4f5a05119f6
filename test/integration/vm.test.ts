import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, expectExit, hostSnapshot, ipj, ping, sh, sysctl } from './sandbox.js';
import { container, doc, docs, routedNet } from '../fixtures.js';
import { runGuest, startGuest, type GuestNic } from './tap-guest.js';

/**
 * VirtualMachine (seed virtuozzo-network-modes): persistent taps that a hypervisor opens by name.
 * A tiny guest (tap-guest.py) opens each tap as a hypervisor would and speaks Ethernet on it.
 */
const MANIFESTS = docs(
  routedNet('public', '192.168.220.0/24, "2001:db8:2::/64"', ', uplink: enp0s5'),
  doc('Network', 'lan', '{type: bridge, subnets: [10.31.0.0/24], gateway: 10.31.0.1}'),
  container('ct1', '{name: eth0, network: lan, addresses: [10.31.0.11/24]}'),
  doc(
    'VirtualMachine',
    'vm1',
    `{interfaces: [
    {network: public, mac: "02:00:c0:a8:dc:32", addresses: [192.168.220.50, "2001:db8:2::50"]},
    {network: lan, tap: vm1-lan, mac: "02:00:0a:1f:00:15", addresses: [10.31.0.21/24]}]}`,
  ),
);
const ROUTED: GuestNic = { tap: 'tap-vm1-0', mac: '02:00:c0:a8:dc:32', ip4: '192.168.220.50', ip6: '2001:db8:2::50' };
const BRIDGED: GuestNic = { tap: 'vm1-lan', mac: '02:00:0a:1f:00:15', ip4: '10.31.0.21' };

describe('VirtualMachine: persistent taps, bridged and host-routed', () => {
  const sb = new Sandbox();
  let ext = '';
  let before: ReturnType<typeof hostSnapshot>;
  const link = (name: string) => ipj(sb.host, '-d', 'link', 'show', name)[0];

  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.220.1/24', '192.168.220.254/24');
    sh('ip', '-n', ext, 'addr', 'add', '2001:db8:2::254/64', 'dev', 'lan0', 'nodad');
    sh('ip', '-n', sb.host, 'addr', 'add', '2001:db8:2::1/64', 'dev', 'enp0s5', 'nodad');
    sb.write('m.yaml', MANIFESTS);
    before = hostSnapshot(sb.host);
  });
  afterAll(() => sb.cleanup());

  it('creates each tap persistent, up, marked, with the network MTU and a MAC derived from the guest', () => {
    expect(expectExit(sb.ctnet('apply', sb.manifestDir), 0).stderr).toBe('');
    for (const [nic, master] of [
      [ROUTED, undefined],
      [BRIDGED, 'br-lan'],
    ] as const) {
      const l = link(nic.tap);
      expect(l.linkinfo).toMatchObject({ info_kind: 'tun', info_data: { type: 'tap', persist: true } });
      // nothing has the tap open: NO-CARRIER, but administratively up
      expect(l.flags).toEqual(expect.arrayContaining(['UP', 'NO-CARRIER']));
      expect(l.ifalias).toMatch(/^ctnet:vm\/vm1@/);
      expect([l.mtu, l.address, l.master]).toEqual([1500, `fe${nic.mac.slice(2)}`, master]);
    }
    const addrs = ipj(sb.host, 'addr', 'show', 'dev', ROUTED.tap)[0].addr_info.map(
      (a: any) => `${a.local}/${a.prefixlen}`,
    );
    expect(addrs.sort()).toEqual(['169.254.0.1/32', 'fe80::1/64']);
    expect(ipj(sb.host, 'route', 'show', '192.168.220.50/32')[0]).toMatchObject({ dev: ROUTED.tap, protocol: '241' });
    expect(ipj(sb.host, '-6', 'route', 'show', '2001:db8:2::50/128')[0]).toMatchObject({
      dev: ROUTED.tap,
      protocol: '241',
    });
    expect(
      ipj(sb.host, 'neigh', 'show', 'proxy')
        .map((n) => `${n.dst} ${n.dev}`)
        .sort(),
    ).toEqual(['192.168.220.50 enp0s5', '2001:db8:2::50 enp0s5']);
    expect(sysctl(sb.host, 'net.ipv4.ip_forward')).toBe('1');
    expect(sysctl(sb.host, 'net.ipv6.conf.all.proxy_ndp')).toBe('1');
    expect(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir).code).toBe(0);
  });

  it('a routed guest gets ARP and NDP answers for its gateways and reaches the external namespace', async () => {
    const r = await runGuest(sb.host, ROUTED, [
      'arp',
      '169.254.0.1',
      'ping',
      '169.254.0.1',
      '192.168.220.254',
      'ndp',
      'fe80::1',
      'ping6',
      'fe80::1',
      '2001:db8:2::254',
    ]);
    expect(
      r.steps.map((s) => `${s.step} ${s.ok}`),
      r.stderr,
    ).toEqual([
      'arp 169.254.0.1 true',
      'ping 169.254.0.1 192.168.220.254 true',
      'ndp fe80::1 true',
      'ping6 fe80::1 2001:db8:2::254 true',
    ]);
    // the host answers for the gateway with the tap's own MAC
    expect(new Set(r.steps.map((s) => s.mac))).toEqual(new Set([link(ROUTED.tap).address]));
    expect(r.code).toBe(0);
  });

  it('the external namespace reaches the routed guest through proxy ARP and NDP', async () => {
    const g = startGuest(sb.host, ROUTED, ['serve', '2']);
    await g.ready;
    expect(ping(ext, '192.168.220.50')).toBe(true);
    expect(ping(ext, '2001:db8:2::50')).toBe(true);
    const r = await g.done;
    expect([r.code, r.steps.map((s) => s.ok)], r.stderr).toEqual([0, [true]]);
  });

  it('a bridged guest is on the bridge: it resolves and pings a container and the gateway', async () => {
    const r = await runGuest(sb.host, BRIDGED, [
      'arp',
      '10.31.0.11',
      'ping',
      '10.31.0.11',
      '10.31.0.11',
      'ping',
      '10.31.0.1',
      '10.31.0.1',
    ]);
    expect(
      r.steps.map((s) => s.ok),
      r.stderr,
    ).toEqual([true, true, true]);
    expect(r.steps[0].mac).toBe(ipj(sb.ns('ct1'), 'link', 'show', 'eth0')[0].address);
    expect(r.steps[2].mac).toBe(link('br-lan').address);
  });

  it('the taps outlive their guests: after the hypervisor closes them nothing is drift', () => {
    expect(link(ROUTED.tap).flags).toContain('UP');
    expect(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir).code).toBe(0);
  });

  const drifts: [string, string[], string][] = [
    ['tap deleted', ['link', 'del', 'vm1-lan'], 'create link vm1-lan'],
    ['tap detached and down', ['link', 'set', 'vm1-lan', 'nomaster', 'down'], 'update link vm1-lan'],
    [
      'gateway address deleted',
      ['addr', 'del', '169.254.0.1/32', 'dev', 'tap-vm1-0'],
      'create address 169.254.0.1/32 dev tap-vm1-0',
    ],
  ];
  for (const [name, cmd, change] of drifts) {
    it(`repairs drift: ${name}`, () => {
      sh('ip', '-n', sb.host, ...cmd);
      const p = sb.ctnet('plan', '--detailed-exitcode', '-o', 'json', sb.manifestDir);
      expect(JSON.parse(expectExit(p, 2).stdout).changes.map((c: any) => `${c.action} ${c.object}`)).toContain(change);
      expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
      expect(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir).code).toBe(0);
    });
  }

  it('after the repairs both guests still work', async () => {
    const [routed, bridged] = await Promise.all([
      runGuest(sb.host, ROUTED, ['ping', '169.254.0.1', '192.168.220.254']),
      runGuest(sb.host, BRIDGED, ['ping', '10.31.0.11', '10.31.0.11']),
    ]);
    expect([routed.code, bridged.code], routed.stderr + bridged.stderr).toEqual([0, 0]);
    expect(ping(sb.ns('ct1'), '10.31.0.1')).toBe(true);
  });

  it('killed between creating a tap and marking it, the next run converges without --adopt', () => {
    sh('ip', '-n', sb.host, 'link', 'del', 'vm1-lan');
    const r = sb.ctnetEnv({ CTNET_CRASH_AFTER: 'tuntap add dev vm1-lan ' }, '-q', 'apply', sb.manifestDir);
    expect(r.signal).toBe('SIGKILL');
    expect(link('vm1-lan').ifalias).toBeUndefined();
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect([link('vm1-lan').ifalias, link('vm1-lan').master]).toEqual([
      expect.stringMatching(/^ctnet:vm\/vm1@/),
      'br-lan',
    ]);
  });

  it('destroy removes the taps and leaves the host as it was', () => {
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(hostSnapshot(sb.host)).toEqual(before);
    expect(sysctl(sb.host, 'net.ipv4.ip_forward')).toBe('0');
    expect(sysctl(sb.host, 'net.ipv6.conf.all.proxy_ndp')).toBe('0');
  });
});
