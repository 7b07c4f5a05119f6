import type { ObjectKey } from '../model/keys.js';
import { adoptHint, foreignOwnerWords, otherInstance } from '../model/marker.js';
import { CTNET_PROTO } from '../model/kernel.js';
import { changed, observedNamespaces } from './helpers.js';
import type { Change, Item, KindDecl } from './types.js';

/**
 * Proxy ARP/NDP entries that publish routed addresses on an uplink (a foreign link). The kernel
 * keeps protocol 241 on them but no instance, so ownership is a record; a lost state file
 * claims an entry whose address this instance routes.
 */
export const neighborKind: KindDecl<'neighbor'> = {
  kind: 'neighbor',
  rank: 5,
  key: (ns, obj) => ({ kind: 'neighbor', ns, dev: obj.dev, dst: obj.dst }),
  observed: (v) =>
    observedNamespaces(v.observed, v.within).flatMap(({ ns, objs }) =>
      objs.neighbors.map((obj): Item<'neighbor'> => ({
        key: { kind: 'neighbor', ns, dev: obj.dev, dst: obj.dst },
        ns,
        obj,
      })),
    ),
  markedOwner: (item, v) => {
    if (item.obj.protocol !== CTNET_PROTO) return undefined;
    return v.linkOwner(item.ns, v.ctnetRouteDev(item.ns, item.obj.dst));
  },
  parents: () => [],
  observedParents: () => [],
  needs: (d): ObjectKey[] => [
    { kind: 'route', ns: d.ns, family: d.obj.family, dst: `${d.obj.dst}/${d.obj.family === 4 ? 32 : 128}` },
  ],
  foreign: (d, _o, v) => {
    // protocol 241 names no instance: the link ctnet's route to the address goes through does
    const via = v.observedLink(d.ns, v.ctnetRouteDev(d.ns, d.obj.dst) ?? '')?.alias;
    const whose = foreignOwnerWords(via, v.instance, 'is not owned by ctnet');
    const adoptable = !otherInstance(via, v.instance);
    return {
      message: `proxy entry ${d.obj.dst} on "${d.obj.dev}" exists and ${whose}${adoptHint(adoptable)}`,
      adoptable,
    };
  },
  compare: (d, o) => {
    const out: Change[] = [];
    changed(out, 'protocol', d.obj.protocol, o.protocol);
    return out;
  },
  create: (d) => [{ op: 'neigh-add', ns: d.ns, neighbor: d.obj }],
  update: (d) => [{ op: 'neigh-replace', ns: d.ns, neighbor: d.obj }],
  remove: (item) => [{ op: 'neigh-del', ns: item.ns, neighbor: item.obj }],
  describe: (n) => ({ dst: n.dst, dev: n.dev, protocol: n.protocol }),
  reasons: {
    create: (d) => `publish ${d.obj.dst} on ${d.obj.dev}`,
    remove: (item) => `${item.obj.dst} is no longer published`,
  },
};
