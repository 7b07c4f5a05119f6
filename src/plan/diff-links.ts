import { isOwnedAlias, linkKey, ownerOfAlias, type LinkObj, type NsRef } from '../model/kernel.js';
import type { Owned } from '../model/desired.js';
import { createBridge, createVeth, deleteLink, setLink } from './commands.js';
import { linkRef, type PlanContext } from './context.js';

const describe = (l: LinkObj): Record<string, unknown> =>
  Object.fromEntries(Object.entries({ kind: l.kind, mtu: l.mtu, mac: l.mac, master: l.master ?? undefined, up: l.up, alias: l.alias }).filter(([, v]) => v !== undefined));

/** Links: bridges and veth pairs are created whole, updated in place, replaced only when they must be. */
export function diffLinks(ctx: PlanContext): void {
  for (const ns of ctx.nsRefs()) {
    if (ns !== null && ctx.deletedNs.has(ns)) continue;
    const have = new Map(ctx.observedNs(ns).links.map((l) => [l.name, l]));
    for (const d of ctx.desiredNs(ns).links) {
      if (d.obj.kind === 'device') diffDevice(ctx, ns, d, have.get(d.obj.name));
      else if (ns === null || d.obj.kind !== 'veth') diffOwnedLink(ctx, ns, d, have.get(d.obj.name));
      else diffPeerEnd(ctx, ns, d, have.get(d.obj.name));
    }
    pruneLinks(ctx, ns, [...have.values()]);
  }
}

function diffDevice(ctx: PlanContext, ns: NsRef, d: Owned<LinkObj>, o: LinkObj | undefined): void {
  // a new namespace's lo is brought up by its creation; a missing or protected uplink is a conflict (check-uses)
  if ((ns !== null && ctx.createdNs.has(ns)) || !o || (d.obj.master && ctx.protectedIfs.has(d.obj.name))) return;
  const cmd = setLink(ns, d.obj, o);
  if (cmd) update(ctx, ns, d, o, [cmd], d.obj.master && o.master !== d.obj.master ? `enslave to bridge ${d.obj.master}` : changedFields(d.obj, o));
}

/** Host-side links (bridges, host ends that carry the pair) and container-side non-veth links. */
function diffOwnedLink(ctx: PlanContext, ns: NsRef, d: Owned<LinkObj>, o: LinkObj | undefined): void {
  if (o && !isOwnedAlias(o.alias) && !ctx.options.adopt) {
    ctx.conflict({ owner: d.owner, message: `link "${d.obj.name}" exists and is not owned by ctnet (use --adopt to take it over)` });
    return;
  }
  const peer = d.obj.peer ? peerOf(ctx, d.obj) : undefined;
  const create = (): void => {
    ctx.freshLinks.add(linkRef(ns, d.obj.name));
    if (peer) ctx.freshLinks.add(linkRef(d.obj.peer!.netns, peer.name));
  };
  const commands = d.obj.kind === 'bridge' ? createBridge(ns, d.obj) : createVeth(d.obj, peer!, d.obj.peer!.netns!);
  if (!o) {
    create();
    ctx.add({ action: 'create', type: 'link', netns: ns, object: linkKey(d.obj), owner: d.owner, after: describe(d.obj),
      reason: `${d.owner} needs ${d.obj.kind}${peer ? ` (peer ${peer.name} in ${d.obj.peer!.netns})` : ''}`, disruptive: false, commands });
    return;
  }
  const why = replaceReason(ctx, d.obj, o);
  if (why) {
    create();
    ctx.add({ action: 'replace', type: 'link', netns: ns, object: linkKey(d.obj), owner: d.owner, before: describe(o), after: describe(d.obj),
      reason: why, disruptive: true, commands: [deleteLink(ns, o.name), ...commands] });
    return;
  }
  const cmd = setLink(ns, d.obj, o);
  if (cmd) update(ctx, ns, d, o, [cmd], changedFields(d.obj, o));
}

/** The container end of a veth: created with its host end; here only updated in place. */
function diffPeerEnd(ctx: PlanContext, ns: NsRef, d: Owned<LinkObj>, o: LinkObj | undefined): void {
  if (ctx.freshLinks.has(linkRef(ns, d.obj.name)) || !o) return;
  const cmd = setLink(ns, d.obj, o);
  if (cmd) update(ctx, ns, d, o, [cmd], changedFields(d.obj, o));
}

function peerOf(ctx: PlanContext, host: LinkObj): LinkObj {
  const { name, netns } = host.peer!;
  return ctx.desiredNs(netns).links.find((l) => l.obj.name === name)!.obj;
}

function replaceReason(ctx: PlanContext, d: LinkObj, o: LinkObj): string | undefined {
  if (d.kind !== o.kind) return `is a ${o.kind}, must be a ${d.kind}: the kind of a link cannot change in place`;
  if (d.kind !== 'veth' || !d.peer || d.peer.netns === null) return undefined;
  const peerNs = d.peer.netns;
  if (ctx.createdNs.has(peerNs)) return `its peer must be in the new namespace ${peerNs}`;
  const p = ctx.observedNs(peerNs).links.find((l) => l.name === d.peer!.name);
  const id = ctx.observed.netnsIds?.[peerNs];
  const elsewhere = id !== undefined && o.peerNetnsId !== undefined && o.peerNetnsId !== id;
  if (!p || elsewhere || p.ifindex !== o.peerIfindex || p.peerIfindex !== o.ifindex) {
    return `its peer ${d.peer.name} in ${peerNs} is missing or not its pair: a veth's peer cannot be re-attached`;
  }
  return undefined;
}

function changedFields(d: LinkObj, o: LinkObj): string {
  const f: string[] = [];
  if (d.mtu !== undefined && d.mtu !== o.mtu) f.push(`mtu ${o.mtu} → ${d.mtu}`);
  if (d.mac !== undefined && d.mac !== o.mac) f.push(`mac ${o.mac} → ${d.mac}`);
  if (d.master !== undefined && (d.master ?? undefined) !== (o.master ?? undefined)) f.push(`master ${o.master ?? 'none'} → ${d.master ?? 'none'}`);
  if (d.up !== undefined && d.up !== o.up) f.push(d.up ? 'is down, must be up' : 'is up, must be down');
  if (d.alias !== undefined && d.alias !== o.alias) f.push(o.alias ? `owner ${o.alias} → ${d.alias}` : `adopt as ${d.alias}`);
  return f.join('; ');
}

function update(ctx: PlanContext, ns: NsRef, d: Owned<LinkObj>, o: LinkObj, commands: ReturnType<typeof deleteLink>[], reason: string): void {
  const disruptive = d.obj.up === false || (d.obj.master !== undefined && o.master !== undefined && d.obj.master !== o.master);
  ctx.add({ action: 'update', type: 'link', netns: ns, object: linkKey(d.obj), owner: d.owner, before: describe(o), after: describe(d.obj),
    reason, disruptive, commands });
}

/** A container's veth end whose host end this plan deletes or replaces vanishes with it. */
function goesWithHostEnd(ctx: PlanContext, ns: string, o: LinkObj): boolean {
  const id = ctx.observed.netnsIds?.[ns];
  return ctx.observed.host.links.some((h) => (ctx.deletedLinks.has(linkRef(null, h.name)) || ctx.freshLinks.has(linkRef(null, h.name))) && h.peerIfindex === o.ifindex && h.ifindex === o.peerIfindex && (id === undefined || h.peerNetnsId === id));
}

/** Owned links that left the manifests, and foreign ports still enslaved to an owned bridge. */
function pruneLinks(ctx: PlanContext, ns: NsRef, observed: readonly LinkObj[]): void {
  const want = new Map(ctx.desiredNs(ns).links.map((d) => [d.obj.name, d.obj]));
  const ownedBridges = new Set(observed.filter((l) => l.kind === 'bridge' && isOwnedAlias(l.alias)).map((l) => l.name));
  for (const o of observed) {
    if (want.has(o.name)) continue;
    const owner = ownerOfAlias(o.alias);
    if (owner) {
      if (ctx.deletedOwners.has(owner) && o.kind === 'veth') continue;
      if (ns !== null && o.kind === 'veth' && goesWithHostEnd(ctx, ns, o)) {
        ctx.deletedLinks.add(linkRef(ns, o.name)); // its addresses and routes go with it
        continue;
      }
      if (!ctx.inScope(owner)) continue;
      ctx.deletedLinks.add(linkRef(ns, o.name));
      ctx.add({ action: 'delete', type: 'link', netns: ns, object: linkKey(o), owner, before: describe(o),
        reason: `${owner} no longer asks for it`, disruptive: true, commands: [deleteLink(ns, o.name)] });
    } else if (o.master && ownedBridges.has(o.master) && !want.has(o.master)) {
      // the bridge itself is going: deleting it releases its ports
    } else if (o.master && ownedBridges.has(o.master)) {
      ctx.add({ action: 'update', type: 'link', netns: ns, object: linkKey(o), before: { master: o.master }, after: { master: undefined },
        reason: `no longer a port of ${o.master}`, disruptive: true, commands: [setLink(ns, { name: o.name, kind: o.kind, master: null }, o)!] });
    }
  }
}
