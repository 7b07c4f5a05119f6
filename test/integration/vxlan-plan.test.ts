import { afterAll, describe, expect, it } from 'vitest';
import { execute } from '../../src/apply/execute.js';
import { Iproute2Driver } from '../../src/driver/iproute2.js';
import { NetlinkDriver } from '../../src/driver/netlink/driver.js';
import type { Driver } from '../../src/driver/types.js';
import { emptyDesired, type DesiredObject, type DesiredState } from '../../src/model/desired.js';
import { emptyInventory, type Inventory } from '../../src/model/inventory.js';
import type { VxlanObj } from '../../src/model/kernel.js';
import { plan } from '../../src/plan/plan.js';
import { Sandbox, sh } from './sandbox.js';

/**
 * The vxlan and fdb kinds against what the kernel really reports: a spanning network's bridge,
 * VXLAN device and forwarding entries (desired objects written by hand, as the manifests will
 * give them), planned, applied through each driver, and planned again: nothing left to do. Then
 * drift (an entry deleted by hand) is repaired, a node leaving deletes its entry, a new VNI
 * replaces the device (its entries are made again), and removing the network removes it all.
 */
const DRIVERS = { netlink: (h: string) => new NetlinkDriver(h), iproute2: (h: string) => new Iproute2Driver(h) };
const owner = 'network/span';
const ZERO = '00:00:00:00:00:00';

function desired(vxlan: VxlanObj, remotes: string[]): DesiredState {
  const objects: DesiredObject[] = [
    { kind: 'link', ns: null, owner, obj: { name: 'br0', kind: 'bridge', up: true } },
    { kind: 'link', ns: null, owner, obj: { name: 'vx0', kind: 'vxlan', up: true, master: 'br0', vxlan } },
    ...remotes.map((dst): DesiredObject => ({ kind: 'fdb', ns: null, owner, obj: { dev: 'vx0', dst, mac: ZERO } })),
  ];
  return { ...emptyDesired(), objects };
}

describe.each(Object.keys(DRIVERS) as (keyof typeof DRIVERS)[])('a spanning network through the %s driver', (name) => {
  const sb = new Sandbox();
  afterAll(() => sb.cleanup());
  const ns = sb.host;
  const drv: Driver = DRIVERS[name](ns);
  sh('ip', '-n', ns, 'link', 'add', 'u0', 'up', 'type', 'veth', 'peer', 'name', 'u1');
  sh('ip', '-n', ns, 'addr', 'add', '192.0.2.1/24', 'dev', 'u0');
  const tunnel: VxlanObj = { vni: 42, local: '192.0.2.1', port: 4789, dev: 'u0' };
  let inv: Inventory = emptyInventory('i1');

  /** Plans against the kernel, applies, and returns what the plan did (action ids with their kind of change). */
  async function converge(d: DesiredState): Promise<string[]> {
    const observed = await drv.observe({ namespaces: [], sysctls: [] });
    const p = plan(d, observed, inv);
    expect(p.conflicts).toEqual([]);
    const r = await execute(drv, p.actions);
    expect(r.failed.map((f) => f.failure)).toEqual([]);
    inv = p.inventory;
    return p.actions.map((a) => `${a.action} ${a.id}`);
  }
  const settled = async (d: DesiredState): Promise<void> => expect(await converge(d)).toEqual([]);
  const remotes = (): string[] =>
    (JSON.parse(sh('bridge', '-n', ns, '-j', 'fdb', 'show', 'dev', 'vx0')) as { dst?: string }[])
      .flatMap((e) => (e.dst ? [e.dst] : []))
      .sort();

  it('makes the network, and a second plan is empty', async () => {
    const done = await converge(desired(tunnel, ['192.0.2.2', '192.0.2.3']));
    expect(done).toEqual(
      expect.arrayContaining([
        'create link host vx0',
        'create fdb host vx0 192.0.2.2',
        'create fdb host vx0 192.0.2.3',
      ]),
    );
    expect(remotes()).toEqual(['192.0.2.2', '192.0.2.3']);
    await settled(desired(tunnel, ['192.0.2.2', '192.0.2.3']));
  });

  it('makes again an entry deleted by hand', async () => {
    sh('bridge', '-n', ns, 'fdb', 'del', ZERO, 'dev', 'vx0', 'dst', '192.0.2.3', 'self');
    expect(await converge(desired(tunnel, ['192.0.2.2', '192.0.2.3']))).toEqual(['create fdb host vx0 192.0.2.3']);
    expect(remotes()).toEqual(['192.0.2.2', '192.0.2.3']);
  });

  it('deletes the entry of a node that left, and one added by hand to its device', async () => {
    sh('bridge', '-n', ns, 'fdb', 'append', ZERO, 'dev', 'vx0', 'dst', '192.0.2.9', 'self', 'permanent');
    const done = await converge(desired(tunnel, ['192.0.2.2']));
    expect(done.sort()).toEqual(['delete fdb host vx0 192.0.2.3', 'delete fdb host vx0 192.0.2.9']);
    expect(remotes()).toEqual(['192.0.2.2']);
    await settled(desired(tunnel, ['192.0.2.2']));
  });

  it('replaces an entry to the same node with another MAC, added by hand', async () => {
    const mac = '02:00:00:00:00:09';
    sh('bridge', '-n', ns, 'fdb', 'append', mac, 'dev', 'vx0', 'dst', '192.0.2.2', 'self', 'permanent');
    expect((await drv.observe({ namespaces: [], sysctls: [] })).host.fdb?.map((f) => f.mac)).toEqual([ZERO, mac]);
    // one key per device and node: the hand-made entry (sorted after the all-zeros one) is what is compared
    expect(await converge(desired(tunnel, ['192.0.2.2']))).toEqual(['replace fdb host vx0 192.0.2.2']);
    expect(JSON.parse(sh('bridge', '-n', ns, '-j', 'fdb', 'show', 'dev', 'vx0'))).not.toContainEqual(
      expect.objectContaining({ mac }),
    );
    await settled(desired(tunnel, ['192.0.2.2']));
  });

  it('replaces the device for a new VNI, its entries with it', async () => {
    const moved = { ...tunnel, vni: 43 };
    const done = await converge(desired(moved, ['192.0.2.2']));
    expect(done).toContain('replace link host vx0');
    expect(remotes()).toEqual(['192.0.2.2']);
    const [l] = JSON.parse(sh('ip', '-n', ns, '-d', '-j', 'link', 'show', 'vx0')) as any[];
    expect(l.linkinfo.info_data).toMatchObject({ id: 43, learning: false, link: 'u0' });
    expect(l.master).toBe('br0');
    await settled(desired(moved, ['192.0.2.2']));
  });

  it('removes it all with the network', async () => {
    await converge(emptyDesired());
    expect(JSON.parse(sh('ip', '-n', ns, '-j', 'link', 'show', 'type', 'vxlan'))).toEqual([]);
    await settled(emptyDesired());
  });
});
