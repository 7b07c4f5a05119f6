import type { ObjectKey } from '../model/keys.js';
import { changed, observedNamespaces } from './helpers.js';
import type { Change, Item, KindDecl } from './types.js';

const linkKey = (ns: string | null, name: string): ObjectKey => ({ kind: 'link', ns, name });

/**
 * Forwarding entries on a spanning network's VXLAN device, one per other node (head-end
 * replication). The kernel keeps no marker on them: they are owned with the device, so an entry
 * someone adds by hand to ctnet's device is drift, and goes.
 */
export const fdbKind: KindDecl<'fdb'> = {
  kind: 'fdb',
  rank: 5,
  key: (ns, obj) => ({ kind: 'fdb', ns, dev: obj.dev, dst: obj.dst }),
  observed: (v) =>
    observedNamespaces(v.observed, v.within).flatMap(({ ns, objs }) =>
      (objs.fdb ?? []).map((obj): Item<'fdb'> => ({ key: { kind: 'fdb', ns, dev: obj.dev, dst: obj.dst }, ns, obj })),
    ),
  markedOwner: (item, v) => v.linkOwner(item.ns, item.obj.dev),
  // an entry lives on its device: made again with it, gone with it
  parents: (d) => [linkKey(d.ns, d.obj.dev)],
  observedParents: (item) => [linkKey(item.ns, item.obj.dev)],
  foreign: (d, _o, v) => {
    // only reachable when the device is not ctnet's: the link's own refusal says why
    const alias = v.observedLink(d.ns, d.obj.dev)?.alias;
    return {
      message: `forwarding entry to ${d.obj.dst} on "${d.obj.dev}" exists (device ${alias ?? 'unmarked'})`,
      adoptable: true,
    };
  },
  compare: (d, o) => {
    const out: Change[] = [];
    changed(out, 'mac', d.obj.mac, o.mac);
    return out;
  },
  // one (MAC, dst) pair is the entry: a different MAC is another entry, so replace
  replaceReason: () => 'a forwarding entry is keyed by its MAC: it cannot change in place',
  create: (d) => [{ op: 'fdb-add', ns: d.ns, fdb: d.obj }],
  update: () => [],
  remove: (item) => [{ op: 'fdb-del', ns: item.ns, fdb: item.obj }],
  describe: (f) => ({ mac: f.mac, dst: f.dst, dev: f.dev }),
  reasons: {
    create: (d) => `flood ${d.obj.dev}'s broadcast and unknown traffic to node ${d.obj.dst}`,
    remove: (item) => `node ${item.obj.dst} no longer hosts ${item.obj.dev}'s network`,
  },
};
