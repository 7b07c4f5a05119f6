import type { ObjectKey } from '../model/keys.js';
import { contains, parseCidr } from '../model/ip.js';
import { isLinkLocal6, nsObjectsIn, type AddressObj, type NsRef } from '../model/kernel.js';
import type { Op } from '../model/ops.js';
import { adoptHint, foreignOwnerWords, otherInstance } from '../model/marker.js';
import { observedNamespaces } from './helpers.js';
import type { Item, KindDecl, KindView } from './types.js';

const ipOf = (cidr: string): string => cidr.split('/')[0];
/** `ctnet does not own`, or the other instance that does (a host link's marker). */
const ownedWords = (v: KindView, dev: string): string =>
  foreignOwnerWords(v.observedLink(null, dev)?.alias, v.instance, 'ctnet does not own');
const refusal = (message: string, adoptable: boolean): { message: string; adoptable: boolean } => ({
  message: message + adoptHint(adoptable),
  adoptable,
});
/** Addresses several host ends share on purpose (the routed gateways). */
const sharedOnPurpose = (cidr: string): boolean => cidr.startsWith('169.254.') || isLinkLocal6(cidr);

/** Same IPv4 subnet: deleting a primary address flushes the secondaries of its subnet. */
function sameSubnet(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return !!x && !!y && x.family === 4 && y.family === 4 && x.prefix === y.prefix && contains(x, y);
}

/**
 * Addresses that stay on the link of one being deleted: the desired ones and, on a link ctnet
 * does not own (a custom network's interface), everyone else's.
 */
function staying(v: KindView, item: Item<'address'>): AddressObj[] {
  const desired = v
    .desiredAddressesOn(item.ns, item.obj.dev)
    .filter((d) => d.obj.cidr !== item.obj.cidr)
    .map((d) => d.obj);
  if (v.linkOwner(item.ns, item.obj.dev)) return desired;
  const ns = nsObjectsIn(v.observed, item.ns);
  const foreign = (ns?.addresses ?? []).filter(
    (a) =>
      a.dev === item.obj.dev &&
      a.cidr !== item.obj.cidr &&
      !v.record({ kind: 'address', ns: item.ns, dev: a.dev, cidr: a.cidr }),
  );
  return [...desired, ...foreign];
}

/** The primary address of its subnet on its link: the kernel lists primaries before secondaries. */
function isPrimary(v: KindView, item: Item<'address'>): boolean {
  const ns = nsObjectsIn(v.observed, item.ns);
  const first = (ns?.addresses ?? []).find((a) => a.dev === item.obj.dev && sameSubnet(item.obj.cidr, a.cidr));
  return first?.cidr === item.obj.cidr;
}

/** Who holds an observed address: its record, else the owner of the link it is on. */
const holder = (v: KindView, ns: NsRef, a: AddressObj): string | undefined =>
  v.record({ kind: 'address', ns, dev: a.dev, cidr: a.cidr })?.owner ??
  (isLinkLocal6(a.cidr) || a.dynamic ? undefined : v.linkOwner(ns, a.dev));

/**
 * Addresses. On a link ctnet owns, the link's address list is ctnet's too, except what the
 * kernel adds by itself (IPv6 link-locals, SLAAC and other non-permanent addresses).
 */
export const addressKind: KindDecl<'address'> = {
  kind: 'address',
  rank: 3,
  key: (ns, obj) => ({ kind: 'address', ns, dev: obj.dev, cidr: obj.cidr }),
  observed: (v) =>
    observedNamespaces(v.observed, v.within).flatMap(({ ns, objs }) =>
      objs.addresses.map((obj): Item<'address'> => ({
        key: { kind: 'address', ns, dev: obj.dev, cidr: obj.cidr },
        ns,
        obj,
      })),
    ),
  // ctnet never creates devices (lo, uplinks): their addresses are its own only by record
  markedOwner: (item, v) =>
    isLinkLocal6(item.obj.cidr) || item.obj.dynamic || v.observedLink(item.ns, item.obj.dev)?.kind === 'device'
      ? undefined
      : v.linkOwner(item.ns, item.obj.dev),
  // the link it is on: one ctnet made, or a device it moved in
  parents: (d): ObjectKey[] => [
    { kind: 'link', ns: d.ns, name: d.obj.dev },
    { kind: 'device', ns: d.ns, name: d.obj.dev },
  ],
  observedParents: (item): ObjectKey[] => [
    { kind: 'link', ns: item.ns, name: item.obj.dev },
    { kind: 'device', ns: item.ns, name: item.obj.dev },
  ],
  deleteAfter: (item, v) =>
    v
      .desiredAddressesOn(item.ns, item.obj.dev)
      .filter((d) => d.obj.cidr !== item.obj.cidr)
      .map((d): ObjectKey => ({ kind: 'address', ns: d.ns, dev: d.obj.dev, cidr: d.obj.cidr })),
  // on a host interface ctnet does not own (a custom network's), an address it has no record of
  // is the host's: an ipnet container never takes it over, unless --adopt says so
  foreign: (d, o, v) =>
    d.ns === null && !v.linkOwner(null, o.dev) && v.observedLink(null, o.dev)
      ? refusal(
          `address ${ipOf(o.cidr)} is already on interface "${o.dev}", which ${ownedWords(v, o.dev)}`,
          !otherInstance(v.observedLink(null, o.dev)?.alias, v.instance),
        )
      : undefined,
  blockedBy: (d, v) => {
    if (sharedOnPurpose(d.obj.cidr) || v.adopt) return undefined;
    const ns = nsObjectsIn(v.observed, d.ns);
    const same = (ns?.addresses ?? []).filter((a) => ipOf(a.cidr) === ipOf(d.obj.cidr));
    const other = same.find((a) => !v.linkOwner(d.ns, a.dev));
    if (other) return `address ${ipOf(d.obj.cidr)} is already on interface "${other.dev}", which ctnet does not own`;
    // another owner's address that stays (its owner still asks for it): never taken from it
    const held = same.find((a) => {
      const who = holder(v, d.ns, a);
      return (
        who !== undefined &&
        who !== d.owner &&
        v.desiredAt<'address'>({ kind: 'address', ns: d.ns, dev: a.dev, cidr: a.cidr })?.owner === who
      );
    });
    return held
      ? `address ${ipOf(d.obj.cidr)} is already held by ${holder(v, d.ns, held)} on interface "${held.dev}"`
      : undefined;
  },
  compare: () => [],
  create: (d) => [{ op: 'addr-add', ns: d.ns, address: { dev: d.obj.dev, family: d.obj.family, cidr: d.obj.cidr } }],
  update: () => [],
  restore: ({ obj: { tentative: _t, dynamic: _d, ...obj } }) => obj,
  remove: (item, _rec, v) => {
    const del: Op = {
      op: 'addr-del',
      ns: item.ns,
      address: { dev: item.obj.dev, family: item.obj.family, cidr: item.obj.cidr },
    };
    // deleting a primary flushes the secondaries of its subnet, unless they are promoted; a
    // secondary goes alone, and the link (a custom network's, maybe) is not touched
    const keep = isPrimary(v, item) && staying(v, item).some((a) => sameSubnet(item.obj.cidr, a.cidr));
    if (!keep) return [del];
    return [
      { op: 'sysctl-set', ns: item.ns, key: `net.ipv4.conf.${item.obj.dev}.promote_secondaries`, value: '1' },
      del,
    ];
  },
  describe: (a: AddressObj) => ({ dev: a.dev, family: a.family, cidr: a.cidr }),
  reasons: {
    remove: (_item, owner) => `not in the manifests for ${owner}`,
  },
};
