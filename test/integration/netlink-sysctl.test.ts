import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSysctlFamily, readSysctls, writeSysctls } from '../../src/driver/sysctl.js';
import { readSysctlTree } from '../../src/driver/sysctl-tree.js';
import {
  readSysctlFamilyIn,
  readSysctlsIn,
  readSysctlTreeIn,
  writeSysctlsIn,
} from '../../src/driver/netlink/sysctl-read.js';
import { NetlinkDriver } from '../../src/driver/netlink/driver.js';
import { Iproute2Driver } from '../../src/driver/iproute2.js';
import { Sandbox, sh, sysctl } from './sandbox.js';

/**
 * The netlink driver's in-process sysctls (setns, synchronous /proc/sys, setns back) against
 * sysctl.ts's `ip netns exec` for the same namespaces: a sandbox's host and a container.
 */
describe('netlink driver sysctls in other namespaces', () => {
  let sb: Sandbox;
  let ct: string;
  beforeAll(() => {
    sb = new Sandbox();
    ct = sb.ns('ct1');
    sh('ip', 'netns', 'add', ct);
    sh('ip', '-n', sb.host, 'link', 'add', 'v.1', 'type', 'bridge');
    sh('ip', '-n', sb.host, 'link', 'add', 've0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ct);
    sh('ip', 'netns', 'exec', sb.host, 'sysctl', '-qw', 'net.ipv4.conf.v/1.forwarding=1');
    sh('ip', 'netns', 'exec', ct, 'sysctl', '-qw', 'net.ipv6.conf.eth0.forwarding=1');
  });
  afterAll(() => {
    try {
      sh('ip', 'netns', 'del', ct);
    } catch {
      // already gone
    }
    sb.cleanup();
  });

  const keys = [
    'net.ipv4.ip_forward',
    'net/ipv4/ip_forward',
    'net.ipv4.conf.v.1.forwarding',
    'net.ipv4.neigh.v.1.proxy_delay',
    'net.ipv6.conf.eth0.forwarding',
    'net.ipv4.no_such_key',
  ];

  it('reads given keys as ip netns exec does, dotted interface names included', async () => {
    for (const ns of [sb.host, ct]) expect(readSysctlsIn(ns, keys)).toEqual(await readSysctls(ns, keys));
    const host = readSysctlsIn(sb.host, keys);
    expect(host['net.ipv4.conf.v.1.forwarding']).toBe('1');
    expect(host['net.ipv6.conf.eth0.forwarding']).toBeUndefined();
    expect(readSysctlsIn(ct, keys)['net.ipv6.conf.eth0.forwarding']).toBe('1');
  });

  it('reads a family as ip netns exec does', async () => {
    for (const ns of [sb.host, ct])
      for (const f of [4, 6] as const)
        expect(readSysctlFamilyIn(ns, f, 'forwarding')).toEqual(await readSysctlFamily(ns, f, 'forwarding'));
    expect(Object.keys(readSysctlFamilyIn(sb.host, 4, 'forwarding')).sort()).toEqual(
      ['all', 'default', 'lo', 'v.1', 've0'].map((i) => `net.ipv4.conf.${i}.forwarding`),
    );
  });

  it('reads the whole net tree as ip netns exec does', async () => {
    for (const ns of [sb.host, ct]) {
      const inProcess = readSysctlTreeIn(ns, ['net']);
      expect(Object.keys(inProcess).length).toBeGreaterThan(100);
      expect(inProcess).toEqual(await readSysctlTree(ns, ['net']));
    }
  });

  it('writes in the namespace and reports a refused write with key and message as tee does', async () => {
    const items = [
      { key: 'net.ipv4.conf.v.1.rp_filter', value: '2' },
      { key: 'net.ipv4.ip_forward', value: 'abc' },
      { key: 'net.ipv6.conf.eth0.hop_limit', value: '0' },
      { key: 'net.ipv4.conf.nope.forwarding', value: '1' },
    ];
    const got = writeSysctlsIn(sb.host, items);
    expect(got.map((f) => f.key)).toEqual([
      'net.ipv4.ip_forward',
      'net.ipv6.conf.eth0.hop_limit',
      'net.ipv4.conf.nope.forwarding',
    ]);
    expect(got[0].message).toBe('net.ipv4.ip_forward=abc: Invalid argument');
    expect(got).toEqual(await writeSysctls(sb.host, items));
    expect(sh('ip', 'netns', 'exec', sb.host, 'cat', '/proc/sys/net/ipv4/conf/v.1/rp_filter').trim()).toBe('2');
    // only that namespace: the container's and this process's own are untouched
    expect(writeSysctlsIn(ct, [{ key: 'net.ipv6.conf.eth0.hop_limit', value: '7' }])).toEqual([]);
    expect(sysctl(ct, 'net.ipv6.conf.eth0.hop_limit')).toBe('7');
    expect(readSysctlsIn(sb.host, ['net.ipv6.conf.ve0.hop_limit'])['net.ipv6.conf.ve0.hop_limit']).toBe('64');
  });

  it('observes the same sysctls with both drivers', async () => {
    const req = {
      namespaces: [ct],
      sysctls: keys,
      nsSysctls: { [ct]: keys },
      sysctlFamilies: [{ family: 4 as const, leaf: 'forwarding' }],
    };
    const nl = await new NetlinkDriver(sb.host).observe(req);
    const ip = await new Iproute2Driver(sb.host).observe(req);
    expect(nl.host.sysctls).toEqual(ip.host.sysctls);
    expect(nl.namespaces[ct].sysctls).toEqual(ip.namespaces[ct].sysctls);
    expect(nl.host.sysctls['net.ipv4.conf.v.1.forwarding']).toBe('1');
  });

  it('runs sysctl batches in-process with the same outcome as iproute2', async () => {
    const ops = [
      { op: 'sysctl-set' as const, ns: ct, key: 'net.ipv4.conf.eth0.forwarding', value: '1' },
      { op: 'sysctl-set' as const, ns: ct, key: 'net.ipv4.ip_forward', value: 'x' },
    ];
    const batch = { target: { ns: ct, channel: 'sysctl' as const }, ops };
    const [nl] = await new NetlinkDriver(sb.host).run([batch]);
    const [ip] = await new Iproute2Driver(sb.host).run([batch]);
    expect(nl).toEqual(ip);
    expect(nl.failures.map((f) => [f.index, f.message])).toEqual([[1, 'net.ipv4.ip_forward=x: Invalid argument']]);
    expect(sysctl(ct, 'net.ipv4.conf.eth0.forwarding')).toBe('1');
  });
});
