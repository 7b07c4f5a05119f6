import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Iproute2Driver } from '../../src/driver/iproute2.js';
import { NetlinkDriver } from '../../src/driver/netlink/driver.js';
import type { ObserveRequest } from '../../src/driver/types.js';
import type { ObservedState } from '../../src/model/kernel.js';
import { sh, waitUntil } from './sandbox.js';

/**
 * The netlink driver reads the same kernel state into the same objects as the iproute2 driver:
 * a scene with every kind of object the planner reads, observed by both, compared whole.
 */
const P = `ctn${randomBytes(3).toString('hex')}`;
const HOST = `${P}-host`;
const CT = `${P}-ct`;
const GONE = `${P}-gone`;
const h = (...a: string[]): string => sh('ip', '-n', HOST, ...a);
const c = (...a: string[]): string => sh('ip', '-n', CT, ...a);

function scene(): void {
  sh('ip', 'netns', 'add', HOST);
  sh('ip', 'netns', 'add', CT);
  h('link', 'set', 'lo', 'up');
  c('link', 'set', 'lo', 'up');
  h('link', 'add', 'br0', 'address', '02:00:00:00:01:00', 'mtu', '1450', 'type', 'bridge');
  h('link', 'set', 'br0', 'alias', 'ctnet:network/lan', 'up');
  h('link', 'add', 'vethct0', 'mtu', '1450', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', CT);
  h('link', 'set', 'vethct0', 'alias', 'ctnet:container/ct1', 'group', '7', 'master', 'br0', 'up');
  c('link', 'set', 'eth0', 'alias', 'ctnet:container/ct1', 'group', '3', 'up');
  h('tuntap', 'add', 'mode', 'tap', 'name', 'tap0');
  h('link', 'set', 'tap0', 'master', 'br0', 'up');
  h('tuntap', 'add', 'mode', 'tun', 'name', 'tun0');
  h('link', 'add', 'hve1', 'type', 'veth', 'peer', 'name', 'venet0', 'netns', CT);
  h('link', 'set', 'hve1', 'up');
  c('link', 'set', 'venet0', 'up');
  h('link', 'add', 'up0', 'type', 'veth', 'peer', 'name', 'up0p');
  h('link', 'set', 'up0', 'up');
  h('link', 'set', 'up0p', 'up');
  h('addr', 'add', '10.30.0.1/24', 'dev', 'br0');
  h('addr', 'add', '2001:db8:30::1/64', 'dev', 'br0', 'nodad');
  h('addr', 'add', '10.31.0.1/24', 'dev', 'tap0');
  h('addr', 'add', '2001:db8:31::1/64', 'dev', 'tap0'); // no carrier: stays tentative
  h('addr', 'add', '198.51.100.2/24', 'dev', 'up0');
  h('addr', 'add', '203.0.113.5/24', 'dev', 'up0', 'valid_lft', '3600', 'preferred_lft', '1800');
  h('addr', 'add', 'fe80::1/64', 'dev', 'hve1', 'nodad');
  h('route', 'add', 'default', 'via', '198.51.100.1');
  h('-6', 'route', 'add', 'default', 'via', 'fe80::1', 'dev', 'up0');
  h('route', 'add', '192.168.200.101', 'dev', 'hve1', 'proto', '241');
  h('-6', 'route', 'add', '2001:db8:1::101', 'dev', 'hve1', 'proto', '241');
  h('route', 'add', '10.40.0.0/16', 'via', '10.30.0.11', 'proto', '241');
  h('route', 'add', '10.50.0.0/16', 'via', '10.99.0.1', 'dev', 'br0', 'onlink', 'proto', '241');
  h('route', 'add', '10.70.0.0/16', 'dev', 'br0', 'table', '100');
  h('route', 'add', 'blackhole', '10.80.0.0/16');
  h('route', 'add', '10.60.0.0/16', 'via', 'inet6', 'fe80::5', 'dev', 'up0');
  h(
    'route',
    'add',
    '10.61.0.0/16',
    'proto',
    '241',
    'nexthop',
    'via',
    '198.51.100.3',
    'dev',
    'up0',
    'nexthop',
    'via',
    '198.51.100.4',
    'dev',
    'up0',
  );
  h('neigh', 'add', 'proxy', '192.168.200.101', 'dev', 'up0', 'protocol', '241');
  h('-6', 'neigh', 'add', 'proxy', '2001:db8:1::101', 'dev', 'up0', 'protocol', '241');
  h('neigh', 'add', 'proxy', '192.168.200.102', 'dev', 'up0');
  h('neigh', 'add', '198.51.100.1', 'lladdr', '02:00:00:00:05:01', 'dev', 'up0', 'nud', 'permanent');
  c('addr', 'add', '10.30.0.11/24', 'dev', 'eth0');
  c('addr', 'add', '2001:db8:30::11/64', 'dev', 'eth0', 'nodad');
  c('addr', 'add', '192.168.200.101/32', 'dev', 'venet0');
  c('route', 'add', '169.254.0.1', 'dev', 'venet0', 'scope', 'link');
  c('route', 'add', 'default', 'via', '169.254.0.1', 'dev', 'venet0', 'onlink', 'proto', '241');
  c('-6', 'route', 'add', 'default', 'via', 'fe80::1', 'dev', 'venet0', 'proto', '241');
}

/**
 * Other test files create and delete namespaces while this one runs: the lists of every named
 * namespace may differ between two observations for that reason alone, so only ours are compared.
 */
function scoped(o: ObservedState): ObservedState {
  const ours = (n: string): boolean => n.startsWith(`${P}-`);
  return {
    ...o,
    netnsNames: o.netnsNames.filter(ours),
    netnsIds: Object.fromEntries(Object.entries(o.netnsIds ?? {}).filter(([n]) => ours(n))),
    ...(o.netnsIdentity
      ? { netnsIdentity: Object.fromEntries(Object.entries(o.netnsIdentity).filter(([n]) => ours(n))) }
      : {}),
    ...(o.brokenNetns ? { brokenNetns: o.brokenNetns.filter(ours) } : {}),
  };
}

/** Both observations must see one kernel state: wait for DAD to settle (the tap's address never will). */
const settled = (): boolean =>
  [HOST, CT].every(
    (ns) =>
      sh('ip', '-n', ns, '-6', 'addr', 'show', 'tentative')
        .split('\n')
        .filter((l) => l.includes('inet6') && !l.includes('2001:db8:31::1')).length === 0,
  );

describe('netlink observation', () => {
  beforeAll(() => {
    try {
      scene();
    } catch (e) {
      cleanup();
      throw e;
    }
    waitUntil(settled, 10_000);
  });
  const cleanup = (): void => {
    for (const n of [HOST, CT, GONE]) {
      try {
        sh('ip', 'netns', 'del', n);
      } catch {
        // not made, or already gone
      }
    }
  };
  afterAll(cleanup);

  const req: ObserveRequest = {
    namespaces: [CT, GONE],
    sysctls: ['net.ipv4.ip_forward'],
    nsSysctls: { [CT]: ['net.ipv6.conf.all.forwarding'] },
  };

  it('gives the same state as the iproute2 driver', async () => {
    const viaNetlink = await new NetlinkDriver(HOST).observe(req);
    const viaIp = await new Iproute2Driver(HOST).observe(req);
    expect(scoped(viaNetlink)).toStrictEqual(scoped(viaIp));
    // the same key order too: snapshots of both are the same file
    expect(JSON.stringify(scoped(viaNetlink))).toBe(JSON.stringify(scoped(viaIp)));
    // the scene was read, not two empty answers
    expect(viaNetlink.host.links.map((l) => l.name)).toEqual(
      expect.arrayContaining(['br0', 'vethct0', 'tap0', 'hve1']),
    );
    expect(viaNetlink.host.neighbors.filter((n) => n.protocol === 241)).toHaveLength(2);
    expect(viaNetlink.netnsIds?.[CT]).toBeTypeOf('number');
    expect(viaNetlink.namespaces[CT].links.find((l) => l.name === 'eth0')).toMatchObject({
      alias: 'ctnet:container/ct1',
      group: 3,
      kind: 'veth',
    });
  });

  it('reads the real host namespace (no --host-netns) the same way', async () => {
    const r: ObserveRequest = { namespaces: [HOST], sysctls: [] };
    const a = await new NetlinkDriver(null).observe(r);
    const b = await new Iproute2Driver(null).observe(r);
    expect(a.namespaces[HOST]).toStrictEqual(b.namespaces[HOST]);
    expect(scoped(a).netnsIds).toStrictEqual(scoped(b).netnsIds);
  });

  it('takes a namespace that is gone or half made as absent, not as an error', async () => {
    sh('touch', `/run/netns/${GONE}`); // a file with nothing mounted: what `ip netns add` leaves when killed
    const a = await new NetlinkDriver(HOST).observe(req);
    expect(a.brokenNetns).toContain(GONE);
    expect(a.namespaces[GONE]).toBeUndefined();
    sh('rm', '-f', `/run/netns/${GONE}`);
  });
});
