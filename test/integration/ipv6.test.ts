import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, ipj, ping, sh, sysctl } from './sandbox.js';
import { container, docs, routedNet } from '../fixtures.js';

/** Routed IPv6: /128 routes, proxy NDP on the uplink, fe80::1 as the containers' gateway. */
const MANIFESTS = docs(
  routedNet('public', '192.168.210.0/24, "2001:db8:1::/64"', ', uplink: enp0s5'),
  container('ct1', '{name: venet0, network: public, addresses: [192.168.210.11, "2001:db8:1::11"]}'),
  container('ct2', '{name: venet0, network: public, addresses: ["2001:db8:1::12"]}'),
);

describe('routed IPv6', () => {
  const sb = new Sandbox();
  let ext = '';
  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.210.1/24', '192.168.210.254/24');
    sh('ip', '-n', ext, 'addr', 'add', '2001:db8:1::254/64', 'dev', 'lan0', 'nodad');
    sh('ip', '-n', sb.host, 'addr', 'add', '2001:db8:1::1/64', 'dev', 'enp0s5', 'nodad');
    sb.write('m.yaml', MANIFESTS);
  });
  afterAll(() => sb.cleanup());

  it('the LAN reaches containers over IPv6 through proxy NDP, and containers reach each other', () => {
    const r = sb.ctnet('apply', sb.manifestDir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ping(ext, '2001:db8:1::11')).toBe(true);
    expect(ping(ext, '2001:db8:1::12')).toBe(true);
    expect(ping(ext, '192.168.210.11')).toBe(true);
    expect(ping(sb.ns('ct1'), '2001:db8:1::12')).toBe(true);
    expect(sysctl(sb.host, 'net.ipv6.conf.all.proxy_ndp')).toBe('1');
    const proxies = ipj(sb.host, '-6', 'neigh', 'show', 'proxy')
      .map((n) => `${n.dst} ${n.protocol}`)
      .sort();
    expect(proxies).toEqual(['2001:db8:1::11 241', '2001:db8:1::12 241']);
    const addrs = ipj(sb.ns('ct2'), 'addr', 'show', 'dev', 'venet0')[0].addr_info;
    expect(addrs.filter((a: any) => a.local === '2001:db8:1::12').map((a: any) => !!a.tentative)).toEqual([false]);
  });

  it('is idempotent, and destroy restores the IPv6 sysctls', () => {
    expect(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir).code).toBe(0);
    expect(sb.ctnet('destroy', '-q').code).toBe(0);
    expect(sysctl(sb.host, 'net.ipv6.conf.all.proxy_ndp')).toBe('0');
    expect(sysctl(sb.host, 'net.ipv6.conf.all.forwarding')).toBe('0');
  });
});
