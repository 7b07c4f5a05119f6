import type { DesiredOf } from '../model/desired.js';
import { nsObjectsIn } from '../model/kernel.js';
import { adoptHint, foreignOwnerWords, otherInstance } from '../model/marker.js';
import type { Change, KindDecl, KindView } from './types.js';

const reserved = (v: KindView, name: string): boolean => (v.observed.reservedNetns ?? []).includes(name);

/** A name under /run/netns that points to another namespace than the runtime's path now does. */
function repointed(d: DesiredOf<'netns'>, v: KindView): Change | undefined {
  if (!d.obj.path) return undefined;
  const want = v.observed.pathIdentity?.[d.obj.path];
  const have = v.observed.netnsIdentity?.[d.obj.name];
  return want && have && want !== have ? { field: 'namespace', from: have, to: want } : undefined;
}

/**
 * Network namespaces: those ctnet creates for containers (owned by record, or by the marker on
 * their `lo` when the state is lost), and runtimes' namespaces a container attaches to by path,
 * which ctnet only names under /run/netns (a bind mount) and un-names: never created or deleted,
 * and what ctnet put inside is removed one by one first. The namespace playing the host and the
 * one ctnet runs in are never claimed, adopted or deleted.
 */
export const netnsKind: KindDecl<'netns'> = {
  kind: 'netns',
  rank: 0,
  key: (_ns, obj) => ({ kind: 'netns', ns: null, name: obj.name }),
  observed: (v) =>
    v.observed.netnsNames
      .filter((n) => !(v.observed.brokenNetns ?? []).includes(n))
      .map((name) => ({ key: { kind: 'netns', ns: null, name }, ns: null, obj: { name } })),
  markedOwner: (item, v) => v.netnsOwner(item.obj.name),
  parents: () => [],
  observedParents: () => [],
  // devices passed through go back to the host first: deleting the namespace would lose them
  deleteAfter: (item, v) =>
    (nsObjectsIn(v.observed, item.obj.name)?.links ?? [])
      .filter((l) => v.record({ kind: 'device', ns: item.obj.name, name: l.name }))
      .map((l) => ({ kind: 'device' as const, ns: item.obj.name, name: l.name })),
  removalKeepsChildren: (_item, rec) => !!rec?.path,
  foreign: (d, _o, v) => {
    if (reserved(v, d.obj.name)) {
      return {
        message: `network namespace "${d.obj.name}" is the one playing the host or the one ctnet runs in: it is never taken over`,
        adoptable: false,
        field: 'spec.netns',
      };
    }
    const alias = v.observedLink(d.obj.name, 'lo')?.alias;
    const adoptable = !otherInstance(alias, v.instance);
    const owner = foreignOwnerWords(alias, v.instance, 'was not created by ctnet');
    const message = `network namespace "${d.obj.name}" exists and ${owner}${adoptHint(adoptable)}`;
    return { message, adoptable, field: 'spec.netns' };
  },
  // what a runtime's path names is judged before anything is planned (plan/check-netns-paths.ts)
  compare: (d, _o, v) => {
    const c = repointed(d, v);
    return c ? [c] : [];
  },
  replaceReason: (d, _o, changes) =>
    changes.length
      ? `${d.obj.path} is another namespace now (the runtime restarted?): the name is pointed at it, and what ctnet made is made again there`
      : undefined,
  create: (d, v) => {
    if (d.obj.path) return [{ op: 'netns-attach', name: d.obj.name, path: d.obj.path }];
    return [
      // a kill inside `ip netns add` leaves the file without a namespace mounted on it
      ...((v.observed.brokenNetns ?? []).includes(d.obj.name) ? [{ op: 'netns-del' as const, name: d.obj.name }] : []),
      { op: 'netns-add', name: d.obj.name },
    ];
  },
  update: () => [],
  restore: (item, v) => {
    const path = v.record(item.key)?.path;
    return path ? { ...item.obj, path } : item.obj;
  },
  remove: (item, rec) => [
    rec?.path ? { op: 'netns-detach', name: item.obj.name } : { op: 'netns-del', name: item.obj.name },
  ],
  record: (d, _o, prev) => ({ ...prev, owner: d.owner, ...(d.obj.path ? { path: d.obj.path } : {}) }),
  describe: (o) => ({ name: o.name, ...(o.path ? { path: o.path } : {}) }),
  reasons: {
    create: (d) =>
      d.obj.path
        ? `${d.owner} uses the runtime's namespace ${d.obj.path}`
        : `${d.owner} needs its own network namespace`,
    remove: (item, owner, v) => {
      if (v.record(item.key)?.path)
        return `${owner} no longer uses the runtime's namespace: only its name goes, after what ctnet put inside`;
      const moved = v.desiredOf('netns').find((d) => d.owner === owner);
      return moved
        ? `${owner} now lives in netns ${moved.obj.name}; this namespace and its links go`
        : `${owner} is no longer in the manifests; its links go with the namespace`;
    },
  },
};
