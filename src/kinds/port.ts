import type { ObjectKey } from '../model/keys.js';
import type { LinkSettings } from '../model/ops.js';
import { changed, observedNamespaces } from './helpers.js';
import type { Change, Item, KindDecl } from './types.js';

/**
 * A foreign interface that ctnet enslaves to one of its bridges (a bridge network's uplink).
 * The link is never created or deleted; the inventory records that ctnet enslaved it and its
 * admin state before, so releasing it puts that back. Ports someone else added are not ports
 * of this kind: ctnet leaves them alone.
 */
export const portKind: KindDecl<'port'> = {
  kind: 'port',
  rank: 2,
  key: (ns, obj) => ({ kind: 'port', ns, name: obj.name }),
  observed: (v) => {
    const names = new Set([...v.desiredOf('port').map((d) => d.obj.name)]);
    return observedNamespaces(v.observed, v.within).flatMap(({ ns, objs }) =>
      objs.links
        .filter((l) => names.has(l.name) || v.record({ kind: 'port', ns, name: l.name }))
        .map((l): Item<'port'> => ({
          key: { kind: 'port', ns, name: l.name },
          ns,
          obj: { name: l.name, master: l.master ?? null, up: !!l.up },
        })),
    );
  },
  markedOwner: () => undefined,
  parents: () => [],
  observedParents: () => [],
  needs: (d): ObjectKey[] => (d.obj.master ? [{ kind: 'link', ns: d.ns, name: d.obj.master }] : []),
  foreign: () => undefined,
  compare: (d, o, v) => {
    const out: Change[] = [];
    const master = o.master && !v.isFresh({ kind: 'link', ns: d.ns, name: o.master }) ? o.master : null;
    changed(out, 'master', d.obj.master, master);
    changed(out, 'up', d.obj.up, o.up);
    return out;
  },
  create: () => [],
  update: (d, _o, changes) => {
    const set: LinkSettings = Object.fromEntries(changes.map((c) => [c.field, c.to]));
    return [{ op: 'link-set', ns: d.ns, name: d.obj.name, set }];
  },
  remove: (item, rec, v) => {
    // taken over since by a bridge this instance does not own: not ours to release any more
    if (item.obj.master && !v.linkOwner(item.ns, item.obj.master)) return [];
    const set: LinkSettings = {
      master: null,
      ...(rec?.wasUp !== undefined && rec.wasUp !== item.obj.up ? { up: rec.wasUp } : {}),
    };
    return [{ op: 'link-set', ns: item.ns, name: item.obj.name, set }];
  },
  record: (d, o, prev) => ({
    owner: d.owner,
    wasUp: prev?.wasUp ?? o?.up ?? false,
    wasMaster: prev?.wasMaster !== undefined ? prev.wasMaster : (o?.master ?? null),
  }),
  describe: (p) => ({ master: p.master ?? undefined, up: p.up }),
  reasons: {
    remove: (_item, owner) => `${owner} no longer uses it as an uplink: released with its earlier admin state`,
  },
};
