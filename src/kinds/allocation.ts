import { isDeepStrictEqual } from 'node:util';
import type { KindDecl } from './types.js';

/**
 * Automatic addresses (IPAM). No kernel object: the addresses themselves are address objects of
 * the interface. This kind only keeps the allocation in the inventory, so it is stable across
 * runs, and lets it go (to be reused) when the interface leaves the manifests.
 */
export const allocationKind: KindDecl<'allocation'> = {
  kind: 'allocation',
  rank: 7,
  key: (_ns, obj) => ({ kind: 'allocation', ns: null, name: obj.name }),
  observed: (v) =>
    v.recorded('allocation').map(([id, rec]) => {
      const name = id.slice('allocation '.length);
      return { key: { kind: 'allocation', ns: null, name }, ns: null, obj: { name, addresses: rec.allocated ?? [] } };
    }),
  markedOwner: () => undefined,
  parents: () => [],
  observedParents: () => [],
  foreign: () => undefined,
  compare: (d, o) =>
    isDeepStrictEqual(d.obj.addresses, o.addresses)
      ? []
      : [{ field: 'addresses', from: o.addresses, to: d.obj.addresses }],
  create: () => [],
  update: () => [],
  remove: () => [],
  record: (d) => ({ owner: d.owner, allocated: d.obj.addresses }),
  describe: (o) => o.addresses,
};
