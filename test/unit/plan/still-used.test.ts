import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/plan/plan.js';
import { emptyDesired } from '../../../src/model/desired.js';
import { emptyInventory } from '../../../src/model/inventory.js';
import { emptyNs, type ObservedState } from '../../../src/model/kernel.js';

/** A host with a network's bridge, a VM's tap on it, and an ipnet container's address on the bridge. */
const observed: ObservedState = {
  host: {
    ...emptyNs(),
    links: [
      { name: 'br-lan', kind: 'bridge', up: true },
      { name: 'tap-w', kind: 'tap', up: true, master: 'br-lan' },
      { name: 'tap-x', kind: 'tap', up: true },
    ],
    addresses: [{ dev: 'br-lan', family: 4, cidr: '10.36.0.50/24' }],
  },
  netnsNames: [],
  namespaces: {},
};
const inventory = {
  ...emptyInventory('i1'),
  objects: {
    'link host br-lan': { owner: 'network/lan' },
    'link host tap-w': { owner: 'vm/w' },
    'link host tap-x': { owner: 'vm/x' },
    'address host br-lan 10.36.0.50/24': { owner: 'container/i' },
  },
};

describe('a partial destroy of what others still use', () => {
  it('is a conflict of the owner that would delete it, naming every user outside the scope', () => {
    const p = plan(emptyDesired(), observed, inventory, { scope: new Set(['network/lan']) });
    expect(p.conflicts).toEqual([
      {
        owner: 'network/lan',
        message:
          'destroying network/lan would delete link br-lan, which container/i (address 10.36.0.50/24 dev br-lan), ' +
          'vm/w (link tap-w) still use: destroy them in the same run (name their manifests too), or keep it',
      },
    ]);
  });

  it('is none when the users are in the scope too, or for a whole destroy', () => {
    const all = new Set(['network/lan', 'vm/w', 'container/i']);
    expect(plan(emptyDesired(), observed, inventory, { scope: all }).conflicts).toEqual([]);
    expect(plan(emptyDesired(), observed, inventory).conflicts).toEqual([]);
    expect(plan(emptyDesired(), observed, inventory, { scope: new Set(['vm/w']) }).conflicts).toEqual([]);
  });
});
