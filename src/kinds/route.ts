import type { ObjectKey } from '../model/keys.js';
import { adoptHint, foreignOwnerWords, otherInstance } from '../model/marker.js';
import { CTNET_PROTO, type RouteObj } from '../model/kernel.js';
import { changed, observedNamespaces } from './helpers.js';
import type { Change, Item, KindDecl } from './types.js';

const KERNEL_PROTO = 2;
/** Routes the kernel makes by itself (ICMP redirects, connected routes, router advertisements): never anyone's. */
const KERNEL_MADE: ReadonlySet<number | undefined> = new Set([1, KERNEL_PROTO, 9]);
export const describeRoute = (r: RouteObj): string =>
  `${r.dst}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}${r.onlink ? ' onlink' : ''}`;

/**
 * Main-table routes. ctnet's carry protocol 241; in the host another route to the same place is
 * in the way, inside a namespace ctnet owns it is drift and is replaced. A link ctnet owns is
 * declared as a whole, as its addresses are: a route on it that the kernel did not make is the
 * link owner's, so one added by hand is removed (a device moved in is its own only by record).
 */
export const routeKind: KindDecl<'route'> = {
  kind: 'route',
  rank: 4,
  key: (ns, obj) => ({ kind: 'route', ns, family: obj.family, dst: obj.dst }),
  observed: (v) =>
    observedNamespaces(v.observed, v.within).flatMap(({ ns, objs }) =>
      objs.routes.map((obj): Item<'route'> => ({
        key: { kind: 'route', ns, family: obj.family, dst: obj.dst },
        ns,
        obj,
      })),
    ),
  markedOwner: (item, v) => {
    if (item.obj.protocol !== CTNET_PROTO) {
      const kernelMade = item.obj.protocol === undefined || KERNEL_MADE.has(item.obj.protocol);
      if (kernelMade || item.obj.dev === undefined) return undefined;
      return v.observedLink(item.ns, item.obj.dev)?.kind === 'device' ? undefined : v.linkOwner(item.ns, item.obj.dev);
    }
    return v.linkOwner(item.ns, item.obj.dev) ?? (item.ns === null ? undefined : v.netnsOwner(item.ns));
  },
  parents: (d): ObjectKey[] => [
    ...(d.obj.dev
      ? [
          { kind: 'link' as const, ns: d.ns, name: d.obj.dev },
          { kind: 'device' as const, ns: d.ns, name: d.obj.dev },
        ]
      : []),
    ...(d.ns !== null ? [{ kind: 'netns' as const, ns: null, name: d.ns }] : []),
  ],
  observedParents: (item): ObjectKey[] => [
    ...(item.obj.dev
      ? [
          { kind: 'link' as const, ns: item.ns, name: item.obj.dev },
          { kind: 'device' as const, ns: item.ns, name: item.obj.dev },
        ]
      : []),
    ...(item.ns !== null ? [{ kind: 'netns' as const, ns: null, name: item.ns }] : []),
  ],
  // a gateway is reachable only once the link has its address (a route without a device: any link)
  needs: (d, v) =>
    (d.obj.dev !== undefined
      ? v.desiredAddressesOn(d.ns, d.obj.dev)
      : v.desiredOf('address').filter((a) => a.ns === d.ns)
    ).map((a): ObjectKey => ({ kind: 'address', ns: a.ns, dev: a.obj.dev, cidr: a.obj.cidr })),
  foreign: (d, o, v) => {
    if (d.ns !== null && v.netnsOwner(d.ns)) return undefined;
    if (o.protocol === KERNEL_PROTO) return undefined;
    const alias = o.dev === undefined ? undefined : v.observedLink(d.ns, o.dev)?.alias;
    const whose = foreignOwnerWords(alias, v.instance, 'is not owned by ctnet');
    const adoptable = !otherInstance(alias, v.instance);
    return { message: `route ${describeRoute(o)} exists and ${whose}${adoptHint(adoptable)}`, adoptable };
  },
  compare: (d, o) => {
    const out: Change[] = [];
    // a route asked for without a device goes where the kernel finds its gateway
    const devDiffers = d.obj.dev !== undefined && d.obj.dev !== o.dev;
    if (devDiffers || (d.obj.via ?? '') !== (o.via ?? '') || !!d.obj.onlink !== !!o.onlink) {
      out.push({ field: 'route', from: describeRoute(o), to: describeRoute(d.obj) });
    }
    changed(out, 'protocol', d.obj.protocol, o.protocol);
    return out;
  },
  create: (d) => [{ op: 'route-add', ns: d.ns, route: d.obj }],
  update: (d) => [{ op: 'route-replace', ns: d.ns, route: d.obj }],
  remove: (item) => [{ op: 'route-del', ns: item.ns, route: item.obj }],
  describe: (r) => describeRoute(r),
  reasons: { remove: () => 'no longer in the manifests' },
};
