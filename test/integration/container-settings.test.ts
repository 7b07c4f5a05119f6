import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, expectExit, ipj, ping, sh, sysctl } from './sandbox.js';
import { doc, docs } from '../fixtures.js';

const LAN = doc('Network', 'lan', '{type: bridge, subnets: [10.30.0.0/24], gateway: 10.30.0.1}');
const ct = (settings: string): string =>
  doc(
    'Container',
    'ct1',
    `{netns: "@ct1", interfaces: [{name: eth0, network: lan, addresses: [10.30.0.11/24]}]${settings}}`,
  );
const SETTINGS =
  ', routes: [{to: 10.40.0.0/16, via: 10.30.0.254}, {to: 10.50.0.7, via: 10.30.0.1}], sysctls: {net.ipv4.conf.all.rp_filter: "2", net.ipv4.conf.eth0.arp_ignore: "1"}';

/** `spec.routes` and `spec.sysctls` inside the container's namespace: owned, repaired, removed with it. */
describe('container routes and sysctls', () => {
  const sb = new Sandbox();
  const routes = (): string[] =>
    ipj(sb.ns('ct1'), 'route', 'show', 'proto', '241')
      .map((r) => `${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}`)
      .sort();
  beforeAll(() => sb.write('m.yaml', docs(LAN, ct(SETTINGS))));
  afterAll(() => sb.cleanup());

  it('applies them in the new namespace and keeps the host untouched', () => {
    const hostBefore = sysctl(sb.host, 'net.ipv4.conf.all.rp_filter');
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(routes()).toEqual(
      ['10.40.0.0/16 via 10.30.0.254', '10.50.0.7 via 10.30.0.1', 'default via 10.30.0.1'].sort(),
    );
    expect(sysctl(sb.ns('ct1'), 'net.ipv4.conf.all.rp_filter')).toBe('2');
    expect(sysctl(sb.ns('ct1'), 'net.ipv4.conf.eth0.arp_ignore')).toBe('1');
    expect(sysctl(sb.host, 'net.ipv4.conf.all.rp_filter')).toBe(hostBefore);
    expect(ping(sb.ns('ct1'), '10.30.0.1')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('repairs a route deleted and a sysctl changed by hand', () => {
    sh('ip', '-n', sb.ns('ct1'), 'route', 'del', '10.40.0.0/16');
    sh('ip', 'netns', 'exec', sb.ns('ct1'), 'sh', '-c', 'echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter');
    expect(sysctl(sb.ns('ct1'), 'net.ipv4.conf.all.rp_filter')).toBe('0');
    const plan = expectExit(sb.ctnet('plan', sb.manifestDir), 0).stdout;
    expect(plan).toContain('route 10.40.0.0/16 (netns');
    expect(plan).toContain('sysctl net.ipv4.conf.all.rp_filter (netns');
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(routes()).toContain('10.40.0.0/16 via 10.30.0.254');
    expect(sysctl(sb.ns('ct1'), 'net.ipv4.conf.all.rp_filter')).toBe('2');
  });

  it('restores a sysctl ctnet changed in an existing namespace, and removes a route left out', () => {
    sh('ip', 'netns', 'exec', sb.ns('ct1'), 'sh', '-c', 'echo 0 > /proc/sys/net/ipv4/conf/all/arp_announce');
    sb.write('m.yaml', docs(LAN, ct(', sysctls: {net.ipv4.conf.all.arp_announce: "2"}')));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(routes()).toEqual(['default via 10.30.0.1']);
    expect(sysctl(sb.ns('ct1'), 'net.ipv4.conf.all.arp_announce')).toBe('2');
    sb.write('m.yaml', docs(LAN, ct('')));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    // the value found before ctnet changed it comes back
    expect(sysctl(sb.ns('ct1'), 'net.ipv4.conf.all.arp_announce')).toBe('0');
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('rejects a key the kernel lacks and a default route that an interface already makes, before any change', () => {
    sb.write(
      'm.yaml',
      docs(LAN, ct(', routes: [{to: default, via: 10.30.0.254}], sysctls: {net.ipv4.no_such_key: "1"}')),
    );
    const r = expectExit(sb.ctnet('apply', sb.manifestDir), 3);
    expect(r.stderr).toContain('spec.routes: a default route is already made by one of its interfaces');
    sb.write('m.yaml', docs(LAN, ct(', sysctls: {net.ipv4.no_such_key: "1"}')));
    expect(expectExit(sb.ctnet('apply', sb.manifestDir), 3).stderr).toContain(
      'spec.sysctls["net.ipv4.no_such_key"]: "net.ipv4.no_such_key" is not a sysctl the kernel keeps per network namespace',
    );
    expect(routes()).toEqual(['default via 10.30.0.1']);
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(sb.namespaces()).toEqual([]);
  });
});
