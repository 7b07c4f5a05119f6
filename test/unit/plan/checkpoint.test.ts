import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { plan } from '../../../src/plan/plan.js';
import { checkpointDesired, unrestorable } from '../../../src/plan/checkpoint.js';
import { planToText } from '../../../src/plan/view-text.js';

/**
 * A checkpoint restored onto the kernel it was taken from changes nothing: every owned object of
 * every golden case's real snapshot (links, veth pairs, ports, devices, addresses, routes, proxy
 * entries, sysctls, allocations, the nftables table) comes back from `restore` exactly as it is.
 */
const ROOT = resolve(import.meta.dirname, '../../golden');
const cases = readdirSync(ROOT)
  .filter((d) => existsSync(join(ROOT, d, 'observed.json')) && !existsSync(join(ROOT, d, 'lost-state')))
  .sort();

describe('a checkpoint as desired state', () => {
  for (const name of cases) {
    it(`${name}: restored onto itself, nothing to do`, () => {
      const snap = JSON.parse(readFileSync(join(ROOT, name, 'observed.json'), 'utf8'));
      expect(unrestorable(snap.observed, snap.inventory)).toEqual([]);
      const p = plan(checkpointDesired(snap.observed, snap.inventory), snap.observed, snap.inventory);
      expect(p.conflicts).toEqual([]);
      expect(planToText(p.actions, false)).toBe(planToText([], false));
    });
  }
});

describe('a checkpoint planned against a kernel a run changed', () => {
  const snap = JSON.parse(readFileSync(join(ROOT, 'destroy-all', 'observed.json'), 'utf8'));
  const desired = checkpointDesired(snap.observed, snap.inventory);

  it('holds every owned object of the checkpoint', () => {
    expect(desired.objects.length).toBeGreaterThanOrEqual(Object.keys(snap.inventory.objects).length - 5);
    const veth = desired.objects.find((d) => d.kind === 'link' && d.obj.name === 've-ct101-venet0');
    expect(veth?.obj).toMatchObject({ kind: 'veth', peer: { name: 'venet0', netns: 'gold-ct101' } });
  });

  it('makes again a namespace the run deleted, with its veth pair, addresses and routes', () => {
    const { ['gold-ct101']: _gone, ...namespaces } = snap.observed.namespaces;
    const after = {
      ...snap.observed,
      netnsNames: snap.observed.netnsNames.filter((n: string) => n !== 'gold-ct101'),
      namespaces,
      host: {
        ...snap.observed.host,
        links: snap.observed.host.links.filter((l: { name: string }) => l.name !== 've-ct101-venet0'),
        routes: snap.observed.host.routes.filter((r: { dev?: string }) => r.dev !== 've-ct101-venet0'),
        addresses: snap.observed.host.addresses.filter((a: { dev: string }) => a.dev !== 've-ct101-venet0'),
      },
    };
    const text = planToText(plan(desired, after, snap.inventory).actions, false);
    expect(text).toMatch(/\+ netns gold-ct101/);
    expect(text).toMatch(/\+ link ve-ct101-venet0/);
    expect(text).toMatch(/route .*ve-ct101-venet0|192\.168\.200\.101/);
    expect(text).not.toMatch(/gold-ct102/);
  });

  it('makes a veth pair again with the MAC of each end', () => {
    const host = snap.observed.host.links.find((l: { name: string }) => l.name === 've-ct101-venet0');
    const inside = snap.observed.namespaces['gold-ct101'].links.find((l: { name: string }) => l.name === 'venet0');
    const after = {
      ...snap.observed,
      netnsNames: snap.observed.netnsNames.filter((n: string) => n !== 'gold-ct101'),
      host: { ...snap.observed.host, links: snap.observed.host.links.filter((l: unknown) => l !== host) },
    };
    const add = plan(desired, after, snap.inventory)
      .actions.flatMap((a) => a.ops)
      .find((op) => op.op === 'link-add' && op.link.name === 've-ct101-venet0');
    expect(add).toMatchObject({ link: { mac: host.mac, peer: { name: 'venet0', mac: inside.mac } } });
  });

  it("leaves a bridge's MAC to the kernel: its lowest port's, back when the ports are", () => {
    const br = desired.objects.find((d) => d.kind === 'link' && d.obj.name === 'br-lan');
    expect(br?.obj).not.toHaveProperty('mac');
    // a port with a lower MAC joined during the run: the bridge took it, and gives it back by itself
    const links = snap.observed.host.links.map((l: { name: string }) =>
      l.name === 'br-lan' ? { ...l, mac: '02:00:00:00:00:01' } : l,
    );
    const after = { ...snap.observed, host: { ...snap.observed.host, links } };
    expect(plan(desired, after, snap.inventory).actions).toEqual([]);
  });
});
