import type { KindDecl } from './types.js';

/**
 * Network namespaces ctnet creates for containers. Owned by record, or (lost state) by the
 * marker on their `lo`. The namespace playing the host and the one ctnet runs in are never
 * claimed, adopted or deleted.
 */
export const netnsKind: KindDecl<'netns'> = {
  kind: 'netns',
  rank: 0,
  key: (_ns, obj) => ({ kind: 'netns', ns: null, name: obj.name }),
  observed: (v) => v.observed.netnsNames.filter((n) => !(v.observed.brokenNetns ?? []).includes(n)).map((name) => ({ key: { kind: 'netns', ns: null, name }, ns: null, obj: { name } })),
  markedOwner: (item, v) => v.netnsOwner(item.obj.name),
  parents: () => [],
  observedParents: () => [],
  // devices passed through go back to the host first: deleting the namespace would lose them
  deleteAfter: (item, v) => (v.observed.namespaces[item.obj.name]?.links ?? [])
    .filter((l) => v.record({ kind: 'device', ns: item.obj.name, name: l.name }))
    .map((l) => ({ kind: 'device' as const, ns: item.obj.name, name: l.name })),
  foreign: (d, _o, v) => {
    if ((v.observed.reservedNetns ?? []).includes(d.obj.name)) {
      return { message: `network namespace "${d.obj.name}" is the one playing the host or the one ctnet runs in: it is never taken over`, adoptable: false, field: 'spec.netns' };
    }
    return { message: `network namespace "${d.obj.name}" exists and was not created by ctnet (use --adopt to take it over)`, adoptable: true, field: 'spec.netns' };
  },
  compare: () => [],
  create: (d, v) => [
    // a kill inside `ip netns add` leaves the file without a namespace mounted on it
    ...((v.observed.brokenNetns ?? []).includes(d.obj.name) ? [{ op: 'netns-del' as const, name: d.obj.name }] : []),
    { op: 'netns-add', name: d.obj.name },
  ],
  update: () => [],
  remove: (item) => [{ op: 'netns-del', name: item.obj.name }],
  describe: (o) => ({ name: o.name }),
  reasons: {
    create: (d) => `${d.owner} needs its own network namespace`,
    remove: (_item, owner, v) => {
      const moved = v.desiredOf('netns').find((d) => d.owner === owner);
      return moved
        ? `${owner} now lives in netns ${moved.obj.name}; this namespace and its links go`
        : `${owner} is no longer in the manifests; its links go with the namespace`;
    },
  },
};
