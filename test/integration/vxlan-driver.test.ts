import { afterAll, describe, expect, it } from 'vitest';
import { Iproute2Driver } from '../../src/driver/iproute2.js';
import { NetlinkDriver } from '../../src/driver/netlink/driver.js';
import { EventSocket, mayConcernCtnet } from '../../src/driver/netlink/events.js';
import { NETLINK_ROUTE, RTNLGRP_NEIGH } from '../../src/driver/netlink/constants.js';
import type { Driver } from '../../src/driver/types.js';
import type { Snapshot } from '../../src/engine/types.js';
import type { FdbObj, NsObjects } from '../../src/model/kernel.js';
import { targetOf, type Op } from '../../src/model/ops.js';
import { Sandbox, sh, waitUntil } from './sandbox.js';

/**
 * Spanning networks' devices on a real kernel, through each driver: VXLAN links (an IPv4 one bound
 * to an underlay device and enslaved to a bridge, an IPv6 one unbound) and their forwarding
 * entries are made, observed back exactly (and as `ip -d -j link` and `bridge -j fdb` show them),
 * deleted one by one; both drivers read the same objects.
 */
const DRIVERS = { netlink: (h: string) => new NetlinkDriver(h), iproute2: (h: string) => new Iproute2Driver(h) };
const ZERO = '00:00:00:00:00:00';
const fdb = (dev: string, dst: string): FdbObj => ({ dev, dst, mac: ZERO });
const add = (f: FdbObj): Op => ({ op: 'fdb-add', ns: null, fdb: f });
const del = (f: FdbObj): Op => ({ op: 'fdb-del', ns: null, fdb: f });

async function runOps(d: Driver, ops: Op[]): Promise<void> {
  const [o] = await d.run([{ target: targetOf(ops[0]), ops }]);
  expect(o.failures).toEqual([]);
  expect(o.ran).toBe(ops.length);
}

const host = async (d: Driver): Promise<NsObjects> => (await d.observe({ namespaces: [], sysctls: [] })).host;
const bridgeFdb = (ns: string, dev: string): { mac: string; dst?: string }[] =>
  (JSON.parse(sh('bridge', '-n', ns, '-j', 'fdb', 'show', 'dev', dev)) as { mac: string; dst?: string }[]).filter(
    (e) => e.dst !== undefined,
  );

describe.each(Object.keys(DRIVERS) as (keyof typeof DRIVERS)[])('vxlan and fdb through the %s driver', (name) => {
  const sb = new Sandbox();
  afterAll(() => sb.cleanup());
  const ns = sb.host;
  const drv = DRIVERS[name](ns);
  const other = DRIVERS[name === 'netlink' ? 'iproute2' : 'netlink'](ns);
  const ip = (...a: string[]): string => sh('ip', '-n', ns, ...a);
  ip('link', 'add', 'u0', 'up', 'type', 'veth', 'peer', 'name', 'u1');
  ip('addr', 'add', '192.0.2.1/24', 'dev', 'u0');
  ip('addr', 'add', '2001:db8::1/64', 'dev', 'u0', 'nodad');
  const vx4 = { vni: 42, local: '192.0.2.1', port: 4789, dev: 'u0' };
  const vx6 = { vni: 43, local: '2001:db8::1', port: 4789 };
  const entries = [fdb('vx4', '192.0.2.2'), fdb('vx4', '192.0.2.3'), fdb('vx6', '2001:db8::2')];

  it('makes a bridge, two VXLAN devices and their entries in one batch, and reads them back', async () => {
    await runOps(drv, [
      { op: 'link-add', ns: null, link: { name: 'br0', kind: 'bridge', up: true } },
      {
        op: 'link-add',
        ns: null,
        link: { name: 'vx4', kind: 'vxlan', mtu: 1400, master: 'br0', up: true, vxlan: vx4 },
      },
      add(entries[1]),
      add(entries[0]),
      { op: 'link-add', ns: null, link: { name: 'vx6', kind: 'vxlan', vxlan: vx6 } },
      add(entries[2]),
    ]);
    const h = await host(drv);
    expect(h.links.find((l) => l.name === 'vx4')).toMatchObject({ kind: 'vxlan', mtu: 1400, master: 'br0', up: true });
    expect(h.links.find((l) => l.name === 'vx4')?.vxlan).toStrictEqual(vx4);
    expect(h.links.find((l) => l.name === 'vx6')?.vxlan).toStrictEqual(vx6);
    // sorted by device, then remote: not in the order they were made
    expect(h.fdb).toStrictEqual(entries);
    // both drivers read the same objects, in the same key order (snapshots are the same file)
    const seen = await host(other);
    expect(seen).toStrictEqual(h);
    expect(JSON.stringify(seen)).toBe(JSON.stringify(h));
  });

  it('is in a snapshot, for offline plans', () => {
    const r = sb.ctnetEnv({ CTNET_DRIVER: name }, 'snapshot');
    expect(r.stderr).toBe('');
    const h = (JSON.parse(r.stdout) as Snapshot).observed.host;
    expect(h.fdb).toStrictEqual(entries);
    expect(h.links.find((l) => l.name === 'vx6')?.vxlan).toStrictEqual(vx6);
  });

  it('is what ip and bridge show', () => {
    const [l4] = JSON.parse(ip('-d', '-j', 'link', 'show', 'vx4')) as any[];
    expect(l4.linkinfo.info_data).toMatchObject({
      id: 42,
      local: '192.0.2.1',
      port: 4789,
      link: 'u0',
      learning: false,
    });
    const [l6] = JSON.parse(ip('-d', '-j', 'link', 'show', 'vx6')) as any[];
    expect(l6.linkinfo.info_data).toMatchObject({ id: 43, local6: '2001:db8::1', port: 4789, learning: false });
    expect(l6.linkinfo.info_data.link).toBeUndefined();
    expect(bridgeFdb(ns, 'vx4').map((e) => [e.mac, e.dst])).toEqual(
      expect.arrayContaining([
        [ZERO, '192.0.2.2'],
        [ZERO, '192.0.2.3'],
      ]),
    );
    expect(bridgeFdb(ns, 'vx4')).toHaveLength(2);
    expect(bridgeFdb(ns, 'vx6').map((e) => [e.mac, e.dst])).toEqual([[ZERO, '2001:db8::2']]);
  });

  it('deletes one entry, and deleting it again is done', async () => {
    await runOps(drv, [del(entries[1])]);
    expect((await host(drv)).fdb).toStrictEqual([entries[0], entries[2]]);
    expect(bridgeFdb(ns, 'vx4').map((e) => e.dst)).toEqual(['192.0.2.2']);
    await runOps(drv, [del(entries[1])]);
  });

  it('hears a forwarding entry deleted by hand as a change (watch repairs it)', () => {
    // the neighbour group alone, through watch's own filter: ordinary neighbour churn is not heard
    const events = EventSocket.subscribe(ns, {
      protocol: NETLINK_ROUTE,
      groups: [RTNLGRP_NEIGH],
      allNsid: false,
      relevant: mayConcernCtnet,
    });
    try {
      events.drain();
      sh('bridge', '-n', ns, 'fdb', 'del', ZERO, 'dev', 'vx6', 'dst', '2001:db8::2', 'self');
      let heard = false;
      waitUntil(() => (heard ||= events.drain().relevant));
      expect(heard).toBe(true);
    } finally {
      events.close();
    }
  });

  it('deletes the devices: no VXLAN link, no fdb list', async () => {
    await runOps(drv, [
      { op: 'link-del', ns: null, name: 'vx4' },
      { op: 'link-del', ns: null, name: 'vx6' },
    ]);
    const h = await host(drv);
    expect(h.links.filter((l) => l.kind === 'vxlan')).toEqual([]);
    expect(h.fdb).toBeUndefined();
    expect(JSON.parse(ip('-j', 'link', 'show', 'type', 'vxlan'))).toEqual([]);
  });
});
