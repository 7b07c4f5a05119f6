import type { DesiredOf } from '../model/desired.js';
import type { ObjectKey } from '../model/keys.js';
import { nsObjectsIn, type LinkObj, type NsRef } from '../model/kernel.js';
import { adoptHint, foreignOwnerWords, markedOwner, markerFor, otherInstance } from '../model/marker.js';
import { changed, compact, observedNamespaces } from './helpers.js';
import type { Change, Item, KindDecl, KindView } from './types.js';
import { desiredHostEnd, staleEndNote, staleEndOps } from './veth-stale-end.js';
import { createVxlan, VXLAN_REPLACE, vxlanChange, vxlanText } from './vxlan-link.js';

const linkKey = (ns: NsRef, name: string): ObjectKey => ({ kind: 'link', ns, name });
const netnsKey = (name: string): ObjectKey => ({ kind: 'netns', ns: null, name });

/** The host end of a container's veth, by the pairing the kernel reports (ids and ifindexes). */
function hostEndOf(o: LinkObj, ns: string, v: KindView): LinkObj | undefined {
  const id = v.observed.netnsIds?.[ns];
  const h = v.hostLinkAt(o.peerIfindex);
  return h && h.kind === 'veth' && h.peerIfindex === o.ifindex && (id === undefined || h.peerNetnsId === id)
    ? h
    : undefined;
}

/** The namespace a host veth end's peer lives in, by its namespace id. */
function peerNetnsOf(h: LinkObj, v: KindView): string | undefined {
  return v.netnsOfId(h.peerNetnsId);
}

/** The container end of a host veth, by the pairing the kernel reports. */
function containerEndOf(h: LinkObj, v: KindView): { name: string; ns: string } | undefined {
  const ns = peerNetnsOf(h, v);
  const end = ns ? nsObjectsIn(v.observed, ns)?.links.find((l) => l.ifindex === h.peerIfindex) : undefined;
  return ns && end && end.peerIfindex === h.ifindex ? { name: end.name, ns } : undefined;
}

/** A link as desired again (a rollback): the kernel's numbers dropped, a veth's pair named. */
function restoreLink(item: Item<'link'>, v: KindView): LinkObj | undefined {
  const { alias: _alias, ifindex: _i, peerIfindex: _p, peerNetnsId: _n, group: _g, peer: _peer, ...rest } = item.obj;
  // no master is a state to go back to as well (a port the failed run enslaved is released)
  const obj = { ...rest, master: rest.master ?? null };
  // ctnet never sets a bridge's MAC: the kernel gives it its lowest port's, and gives it back when
  // the ports are as they were (setting it would pin it, and a port added later would not count)
  if (obj.kind === 'bridge') {
    const { mac: _mac, ...bridge } = obj;
    return bridge;
  }
  if (obj.kind !== 'veth') return obj;
  if (item.ns === null) {
    const end = containerEndOf(item.obj, v);
    return end ? { ...obj, peer: { name: end.name, netns: end.ns } } : undefined;
  }
  const host = hostEndOf(item.obj, item.ns, v);
  return host ? { ...obj, peer: { name: host.name, netns: null } } : undefined;
}

/** The namespaces of the veth peers whose host ends are ports of a host bridge. */
function portNamespaces(bridge: string, v: KindView): string[] {
  const names = new Set<string>();
  for (const l of v.observed.host.links) {
    const ns = l.master === bridge && l.kind === 'veth' ? peerNetnsOf(l, v) : undefined;
    if (ns) names.add(ns);
  }
  return [...names].sort();
}

/**
 * Kinds that carry a loopback network's host-local addresses equally well: the one made under
 * another kernel (dummy not yet loaded, say) is kept, not replaced with its addresses.
 */
const HOST_LOCAL: ReadonlySet<string> = new Set(['dummy', 'bridge']);

/** A port's master as it will be: a bridge this plan re-creates comes back without ports. */
const masterNow = (o: LinkObj, ns: NsRef, v: KindView): string | null =>
  o.master && !v.isFresh(linkKey(ns, o.master)) ? o.master : null;

function peerReason(d: DesiredOf<'link'>, o: LinkObj, v: KindView): string | undefined {
  const peer = d.obj.peer;
  if (d.obj.kind !== 'veth' || !peer || peer.netns === null) return undefined;
  if (v.isFresh(netnsKey(peer.netns))) return `its peer must be in the new namespace ${peer.netns}`;
  const p = v.observedLink(peer.netns, peer.name);
  const id = v.observed.netnsIds?.[peer.netns];
  const elsewhere = id !== undefined && o.peerNetnsId !== undefined && o.peerNetnsId !== id;
  if (!p || elsewhere || p.ifindex !== o.peerIfindex || p.peerIfindex !== o.ifindex) {
    return `its peer ${peer.name} in ${peer.netns} is missing or not its pair: a veth's peer cannot be re-attached`;
  }
  return undefined;
}

/**
 * Links ctnet creates: bridges, dummies (loopback networks), veth pairs (the host end creates
 * both; the container end is then only set), taps; and a namespace's `lo`, which is never created,
 * only marked and set up. Owned by record or by this instance's `ifalias` marker.
 */
export const linkKind: KindDecl<'link'> = {
  kind: 'link',
  rank: 1,
  key: (ns, obj) => ({ kind: 'link', ns, name: obj.name }),
  observed: (v) =>
    observedNamespaces(v.observed, v.within).flatMap(({ ns, objs }) =>
      objs.links.map((obj): Item<'link'> => ({ key: { kind: 'link', ns, name: obj.name }, ns, obj })),
    ),
  markedOwner: (item, v) => markedOwner(item.obj.alias, v.instance, v.legacyMarks),
  parents: (d) => [
    // a container's veth end is created by its host end
    ...(d.ns !== null && d.obj.peer?.netns === null ? [linkKey(null, d.obj.peer.name)] : []),
    ...(d.ns !== null ? [netnsKey(d.ns)] : []),
  ],
  observedParents: (item, v) => {
    const { ns, obj } = item;
    if (ns !== null) {
      const host = obj.kind === 'veth' ? hostEndOf(obj, ns, v) : undefined;
      // a new host end wanted with this end's name deletes it first (veth-stale-end.ts)
      const wanted = obj.kind === 'veth' ? desiredHostEnd({ ns, obj }, host?.name, v) : undefined;
      return [netnsKey(ns), ...[host?.name, wanted].flatMap((h) => (h ? [linkKey(null, h)] : []))];
    }
    const peerNs = obj.kind === 'veth' ? peerNetnsOf(obj, v) : undefined;
    return peerNs ? [netnsKey(peerNs)] : [];
  },
  // a host port outlives its bridge, but without it a VM's tap or a container's veth is cut off
  leansOn: (item) => (item.ns === null && item.obj.master ? [linkKey(null, item.obj.master)] : []),
  // a bridge whose ports die with their namespaces goes after them: deleting it first releases
  // every port one by one (about 0.2 s for 500), inside the namespaces' teardown they go at once
  deleteAfter: (item, v) =>
    item.ns === null && item.obj.kind === 'bridge' ? portNamespaces(item.obj.name, v).map(netnsKey) : [],
  needs: (d) => [
    ...(d.obj.master ? [linkKey(d.ns, d.obj.master)] : []),
    ...(d.obj.peer?.netns ? [netnsKey(d.obj.peer.netns)] : []),
  ],
  foreign: (d, o, v) => {
    if (d.obj.kind === 'device') return undefined;
    const adoptable = !otherInstance(o.alias, v.instance);
    const whose = foreignOwnerWords(o.alias, v.instance, 'is not owned by ctnet');
    return { message: `link "${d.obj.name}" exists and ${whose}${adoptHint(adoptable)}`, adoptable };
  },
  displaces: (d, v) => staleEndNote(d, v),
  implicit: (d, v) => {
    if (d.obj.kind === 'device') return { name: d.obj.name, kind: 'device', up: false };
    if (d.ns !== null && d.obj.peer?.netns === null && v.isFresh(linkKey(null, d.obj.peer.name))) {
      return { name: d.obj.name, kind: 'veth', up: false, mtu: d.obj.mtu, mac: d.obj.mac };
    }
    return undefined;
  },
  compare: (d, o, v) => {
    const out: Change[] = [];
    if (!(d.obj.hostLocal && HOST_LOCAL.has(o.kind))) changed(out, 'kind', d.obj.kind, o.kind);
    changed(out, 'mtu', d.obj.mtu, o.mtu);
    changed(out, 'mac', d.obj.mac, o.mac);
    if (d.obj.master !== undefined && d.obj.master !== masterNow(o, d.ns, v))
      out.push({ field: 'master', from: o.master ?? null, to: d.obj.master });
    changed(out, 'up', d.obj.up, o.up);
    changed(out, 'alias', markerFor(d.owner, v.instance), o.alias);
    const why = peerReason(d, o, v);
    if (why) out.push({ field: 'peer', to: why });
    const tunnel = vxlanChange(d.obj, o);
    if (tunnel) out.push(tunnel);
    return out;
  },
  replaceReason: (d, o, changes) => {
    if (d.obj.kind !== o.kind)
      return `is a ${o.kind}, must be a ${d.obj.kind}: the kind of a link cannot change in place`;
    if (changes.some((c) => c.field === 'vxlan')) return VXLAN_REPLACE;
    return changes.find((c) => c.field === 'peer')?.to as string | undefined;
  },
  create: (d, v) => {
    const l = d.obj;
    const alias = markerFor(d.owner, v.instance);
    if (l.kind === 'tap') {
      // `ip tuntap add` takes no settings: they follow in one `link set`
      return [
        { op: 'link-add', ns: d.ns, link: { name: l.name, kind: 'tap' } },
        {
          op: 'link-set',
          ns: d.ns,
          name: l.name,
          set: { mtu: l.mtu, mac: l.mac, master: l.master ?? undefined, alias, up: l.up },
        },
      ];
    }
    if (l.kind === 'bridge' || l.kind === 'dummy') {
      return [
        { op: 'link-add', ns: d.ns, link: { name: l.name, kind: l.kind, mtu: l.mtu, mac: l.mac, up: l.up } },
        // the kernel ignores `alias` on link add
        { op: 'link-set', ns: d.ns, name: l.name, set: { alias } },
      ];
    }
    if (l.kind === 'vxlan') return createVxlan(d.ns, l, alias);
    if (l.kind === 'veth' && l.peer?.netns) {
      const peer = v.desiredAt<'link'>({ kind: 'link', ns: l.peer.netns, name: l.peer.name })?.obj;
      return [
        ...staleEndOps(d, v),
        {
          op: 'link-add',
          ns: d.ns,
          link: {
            name: l.name,
            kind: 'veth',
            mtu: l.mtu,
            // a host end is given a MAC only when made again as it was (a rollback)
            mac: l.mac,
            master: l.master ?? undefined,
            up: l.up,
            peer: { name: l.peer.name, ns: l.peer.netns, mac: peer?.mac, mtu: peer?.mtu },
          },
        },
        { op: 'link-set', ns: d.ns, name: l.name, set: { alias } },
      ];
    }
    return [];
  },
  update: (d, o, changes, v) => {
    const set: Record<string, unknown> = {};
    for (const c of changes) {
      if (c.field === 'alias') set.alias = markerFor(d.owner, v.instance);
      else if (c.field !== 'kind' && c.field !== 'peer' && c.field !== 'vxlan') set[c.field] = c.to;
    }
    return Object.keys(set).length ? [{ op: 'link-set', ns: d.ns, name: o.name, set }] : [];
  },
  remove: (item) => [{ op: 'link-del', ns: item.ns, name: item.obj.name }],
  restore: restoreLink,
  describe: (l) =>
    compact({
      kind: l.kind,
      mtu: l.mtu,
      mac: l.mac,
      master: l.master ?? undefined,
      up: l.up,
      alias: l.alias,
      vxlan: vxlanText(l.vxlan),
    }),
  reasons: {
    create: (d) =>
      d.obj.hostLocal
        ? `${d.owner} needs an interface for host-local addresses: ${d.obj.kind === 'dummy' ? 'a dummy' : 'a bridge without ports (the kernel has no dummy)'}`
        : `${d.owner} needs ${d.obj.kind}${d.obj.peer?.netns ? ` (peer ${d.obj.peer.name} in ${d.obj.peer.netns})` : ''}`,
    remove: (_item, owner) => `${owner} no longer asks for it`,
  },
};
