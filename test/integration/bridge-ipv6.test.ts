import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, expectExit, hostSnapshot, ipj, ping, sh } from './sandbox.js';
import { container, doc, docs } from '../fixtures.js';

/**
 * IPv6 on a bridge network: IPv6 gateways on the bridge, IPv6 addresses (usable when apply
 * returns) and an IPv6 default route in containers, dual-stack and IPv6-only, with the uplink's
 * LAN on the same bridge.
 */
const MANIFESTS = docs(
  doc(
    'Network',
    'lan',
    '{type: bridge, subnets: [10.32.0.0/24, "fd00:32::/64"], gateway: [10.32.0.1, "fd00:32::1"], uplink: enp1s0}',
  ),
  container('ct1', '{name: eth0, network: lan, addresses: [10.32.0.11/24, "fd00:32::11/64"]}'),
  container('ct2', '{name: eth0, network: lan, addresses: ["fd00:32::12"]}'),
);

describe('bridge network with IPv6', () => {
  const sb = new Sandbox();
  let ext = '';
  let before: ReturnType<typeof hostSnapshot>;
  const addrs = (ns: string, dev: string) =>
    ipj(ns, 'addr', 'show', 'dev', dev)[0].addr_info.filter((a: any) => a.scope === 'global');

  beforeAll(() => {
    ext = sb.external('lan', 'enp1s0', undefined, '10.32.0.254/24');
    sh('ip', '-n', ext, 'addr', 'add', 'fd00:32::254/64', 'dev', 'lan0', 'nodad');
    // an address of the host's elsewhere: containers reach it only through their default route
    sh('ip', '-n', sb.host, 'addr', 'add', '2001:db8:99::1/128', 'dev', 'lo');
    sb.write('m.yaml', MANIFESTS);
    before = hostSnapshot(sb.host);
  });
  afterAll(() => sb.cleanup());

  it('puts both gateways on the bridge and IPv6 addresses and default routes in the containers, none tentative', () => {
    expect(expectExit(sb.ctnet('apply', sb.manifestDir), 0).stderr).toBe('');
    expect(
      addrs(sb.host, 'br-lan')
        .map((a: any) => `${a.local}/${a.prefixlen} ${!!a.tentative}`)
        .sort(),
    ).toEqual(['10.32.0.1/24 false', 'fd00:32::1/64 false']);
    expect(
      addrs(sb.ns('ct1'), 'eth0')
        .map((a: any) => `${a.local}/${a.prefixlen} ${!!a.tentative}`)
        .sort(),
    ).toEqual(['10.32.0.11/24 false', 'fd00:32::11/64 false']);
    // an address without a prefix takes its subnet's
    expect(addrs(sb.ns('ct2'), 'eth0').map((a: any) => `${a.local}/${a.prefixlen} ${!!a.tentative}`)).toEqual([
      'fd00:32::12/64 false',
    ]);
    for (const ct of ['ct1', 'ct2']) {
      expect(ipj(sb.ns(ct), '-6', 'route', 'show', 'default')).toMatchObject([
        { gateway: 'fd00:32::1', dev: 'eth0', protocol: '241' },
      ]);
    }
    // IPv6-only: no IPv4 default route
    expect(ipj(sb.ns('ct2'), '-4', 'route', 'show', 'default')).toEqual([]);
    expect(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir).code).toBe(0);
  });

  it('containers reach each other, the gateway and the host beyond it over IPv6', () => {
    expect(ping(sb.ns('ct1'), 'fd00:32::12')).toBe(true);
    expect(ping(sb.ns('ct2'), 'fd00:32::11')).toBe(true);
    expect(ping(sb.ns('ct2'), 'fd00:32::1')).toBe(true);
    expect(ping(sb.ns('ct2'), '2001:db8:99::1')).toBe(true);
    expect(ping(sb.ns('ct1'), '10.32.0.1')).toBe(true);
  });

  it("the uplink's LAN reaches the containers over IPv6 and IPv4, and they reach it", () => {
    expect(ping(ext, 'fd00:32::11')).toBe(true);
    expect(ping(ext, 'fd00:32::12')).toBe(true);
    expect(ping(ext, '10.32.0.11')).toBe(true);
    expect(ping(sb.ns('ct2'), 'fd00:32::254')).toBe(true);
    // each container resolved the LAN's host itself, at layer 2 through the bridge
    const extMac = ipj(ext, 'link', 'show', 'lan0')[0].address;
    expect(ipj(sb.ns('ct2'), '-6', 'neigh', 'show', 'fd00:32::254')[0].lladdr).toBe(extMac);
  });

  it('repairs a deleted IPv6 gateway and default route', () => {
    sh('ip', '-n', sb.host, 'addr', 'del', 'fd00:32::1/64', 'dev', 'br-lan');
    sh('ip', '-n', sb.ns('ct2'), '-6', 'route', 'del', 'default');
    const p = JSON.parse(expectExit(sb.ctnet('plan', '--detailed-exitcode', '-o', 'json', sb.manifestDir), 2).stdout);
    expect(p.changes.map((c: any) => `${c.action} ${c.object}`).sort()).toEqual([
      'create address fd00:32::1/64 dev br-lan',
      'create route default (ipv6)',
    ]);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(ping(sb.ns('ct2'), '2001:db8:99::1')).toBe(true);
  });

  it('destroy leaves the host as it was', () => {
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(hostSnapshot(sb.host)).toEqual(before);
    expect(sb.namespaces()).toEqual([]);
  });
});
