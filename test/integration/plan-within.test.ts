import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reconcile } from '../../src/engine/reconcile.js';
import { loadDesired } from '../../src/engine/load.js';
import { makeDriver } from '../../src/driver/select.js';
import { observeRequestFor } from '../../src/observe/observe.js';
import { loadState } from '../../src/state/store.js';
import { plan } from '../../src/plan/plan.js';
import type { ObservedState } from '../../src/model/kernel.js';
import { ipj, ping, Sandbox, sh } from './sandbox.js';

/**
 * A plan restricted to the host and the namespaces a watch run read (`within`) is the whole
 * plan whenever the other namespaces are as the last converged run left them; when its actions
 * reach past them, it is the whole plan because everything is planned again. On a real kernel.
 */
const LAN =
  'apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: lan}\nspec: {type: bridge, subnets: [10.43.0.0/24], gateway: 10.43.0.1}\n';
const PUBLIC =
  'apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: public}\nspec: {type: routed, subnets: [192.168.43.0/24], uplink: up0}\n';
const bridged = (i: number): string =>
  `apiVersion: ctnet/v1\nkind: Container\nmetadata: {name: ct${i}}\n` +
  `spec: {netns: '@ct${i}', interfaces: [{name: eth0, network: lan, addresses: [10.43.0.${10 + i}/24]}]}\n`;
const routed = (i: number): string =>
  `apiVersion: ctnet/v1\nkind: Container\nmetadata: {name: r${i}}\n` +
  `spec: {netns: '@r${i}', interfaces: [{name: venet0, network: public, addresses: [192.168.43.${10 + i}]}]}\n`;

describe('a plan restricted to the namespaces read', () => {
  const sb = new Sandbox();
  const driver = makeDriver('netlink', sb.host);
  const apply = (observeOnly?: { namespaces: string[]; previous: ObservedState }) =>
    reconcile({ mode: 'apply', paths: [sb.manifestDir], stateDir: sb.stateDir, hostNetns: sb.host, observeOnly });
  const objects = (): unknown => JSON.parse(readFileSync(join(sb.stateDir, 'state.json'), 'utf8')).objects;
  /** What the engine plans from, read whole: the manifests, the state and the kernel. */
  async function inputs() {
    const l = await loadDesired([sb.manifestDir]);
    if (!l.ok) throw new Error(l.errors.map((e) => e.message).join('\n'));
    const inventory = loadState(sb.stateDir).inventory;
    const observed = await driver.observe(await observeRequestFor(driver, l.value.desired, inventory));
    return { desired: l.value.desired, observed, inventory };
  }
  const within = (...names: string[]) => ({ within: new Set(names.map((n) => sb.ns(n))) });

  beforeAll(() => {
    sb.external('lan', 'up0', '192.168.43.1/24', '192.168.43.254/24');
    sb.write('lan.yaml', LAN);
    sb.write('public.yaml', PUBLIC);
    for (const i of [1, 2, 3]) sb.write(`ct${i}.yaml`, bridged(i));
    for (const i of [1, 2]) sb.write(`r${i}.yaml`, routed(i));
  });
  afterAll(() => sb.cleanup());

  it('one container added: planning its namespace and the host gives the whole plan', async () => {
    expect((await apply()).outcome).toBe('applied');
    sb.write('ct4.yaml', bridged(4));
    sb.write('r3.yaml', routed(3));
    const { desired, observed, inventory } = await inputs();
    const full = plan(desired, observed, inventory);
    const part = plan(desired, observed, inventory, within('ct4', 'r3'));
    expect(full.actions.filter((a) => a.owner === 'container/ct4').length).toBeGreaterThan(3);
    expect(part.actions).toStrictEqual(full.actions);
    expect(part.inventory).toStrictEqual(full.inventory);
    expect(part.conflicts).toStrictEqual(full.conflicts);
  });

  it('does not look into the namespaces it leaves out: a drift there is not planned', async () => {
    const { desired, observed, inventory } = await inputs();
    sh('ip', '-n', sb.ns('ct2'), 'addr', 'del', '10.43.0.12/24', 'dev', 'eth0');
    const after = await driver.observe(await observeRequestFor(driver, desired, inventory));
    const repair = (p: ReturnType<typeof plan>) => p.actions.filter((a) => a.netns === sb.ns('ct2'));
    expect(repair(plan(desired, observed, inventory))).toStrictEqual([]);
    // the drift was made: the whole plan repairs it, the restricted one never reads ct2
    expect(repair(plan(desired, after, inventory)).map((a) => a.object)).toContain('address 10.43.0.12/24 dev eth0');
    const part = plan(desired, after, inventory, within('ct4', 'r3'));
    expect(repair(part)).toStrictEqual([]);
    expect((await apply()).outcome).toBe('applied');
  });

  it('an action of an owner with a namespace left out: everything is planned again', async () => {
    const { desired, inventory } = await inputs();
    const veth = Object.entries(inventory.objects).find(
      ([id, r]) => id.startsWith('link host ') && r.owner === 'container/r1',
    )![0];
    const name = veth.slice('link host '.length);
    sh('ip', '-n', sb.host, 'link', 'set', name, 'mtu', '1400');
    const observed = await driver.observe(await observeRequestFor(driver, desired, inventory));
    const full = plan(desired, observed, inventory);
    expect(full.actions.some((a) => a.owner === 'container/r1')).toBe(true);
    const part = plan(desired, observed, inventory, within('ct4', 'r3'));
    expect(part.actions).toStrictEqual(full.actions);
    expect(part.inventory).toStrictEqual(full.inventory);
    sh('ip', '-n', sb.host, 'link', 'set', name, 'mtu', '1500');
  });

  it('the engine, after a run that changed nothing: the restricted run converges and records what a whole one would', async () => {
    sb.remove('ct4.yaml');
    sb.remove('r3.yaml');
    expect((await apply()).outcome).toBe('applied');
    const quiet = await apply();
    expect(quiet.outcome).toBe('no-changes');
    sb.write('ct4.yaml', bridged(4));
    sb.write('r3.yaml', routed(3));
    const r = await apply({ namespaces: [sb.ns('ct4'), sb.ns('r3')], previous: quiet.observed! });
    expect(r.errors).toStrictEqual([]);
    expect(r.outcome).toBe('applied');
    // the host alone: the new namespaces did not exist yet, and the others came from the quiet run
    expect(r.observedNamespaces).toBe(1);
    const recorded = objects();
    expect(ping(sb.ns('ct4'), '10.43.0.11')).toBe(true);
    expect(ping(sb.ns('lan'), '192.168.43.13')).toBe(true);
    // a whole run finds nothing to do, and records exactly the same objects
    const whole = await apply();
    expect(whole.outcome).toBe('no-changes');
    expect(objects()).toStrictEqual(recorded);
    expect(ipj(sb.ns('r3'), 'addr', 'show', 'dev', 'venet0')[0].addr_info.length).toBeGreaterThan(0);
  });
});
