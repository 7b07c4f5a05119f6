import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { priorChanges, priorOf } from '../../../src/plan/prior.js';
import { checkpointDesired } from '../../../src/plan/checkpoint.js';

const snap = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../golden/destroy-all/observed.json'), 'utf8'));
const desired = checkpointDesired(snap.observed, snap.inventory);

describe('the prior state of a saved plan', () => {
  const then = priorOf(snap.observed, snap.inventory, desired);

  it('holds the owned objects, and nothing changed is nothing changed', () => {
    expect(Object.keys(then.objects)).toContain('link host ve-ct101-venet0');
    expect(priorChanges(then, priorOf(snap.observed, snap.inventory, desired))).toEqual([]);
  });

  it('names each object that changed, went or appeared, and the inventory', () => {
    const host = snap.observed.host;
    const links = host.links
      .filter((l: { name: string }) => l.name !== 've-ct102-venet0')
      .map((l: { name: string }) => (l.name === 've-ct101-venet0' ? { ...l, mtu: 1300 } : l));
    const observed = { ...snap.observed, host: { ...host, links } };
    const inventory = { ...snap.inventory, lastApplied: undefined };
    expect(priorChanges(then, priorOf(observed, inventory, desired))).toEqual([
      "ctnet's inventory changed (another apply, destroy or set ran)",
      'link host ve-ct101-venet0 changed',
      'link host ve-ct102-venet0 is gone',
    ]);
  });

  it('an address still tentative then is the same address', () => {
    const addresses = snap.observed.host.addresses.map((a: object) => ({ ...a, tentative: true }));
    const observed = { ...snap.observed, host: { ...snap.observed.host, addresses } };
    expect(priorChanges(then, priorOf(observed, snap.inventory, desired))).toEqual([]);
  });
});
