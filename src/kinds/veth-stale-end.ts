import type { DesiredOf } from '../model/desired.js';
import type { LinkObj } from '../model/kernel.js';
import { otherInstance } from '../model/marker.js';
import type { Op } from '../model/ops.js';
import type { KindView } from './types.js';

/**
 * A container's veth end already in its namespace, under the name a host end ctnet is about to
 * make wants for its peer, but paired with another host end: a veth made by hand (adopted with
 * `--adopt`), or one whose host end was renamed. A veth's peer cannot be re-attached and the name
 * is taken, so making the new pair deletes that end first; what lived on it is made again.
 */
export function staleEnd(d: DesiredOf<'link'>, v: KindView): LinkObj | undefined {
  const peer = d.obj.peer;
  if (d.ns !== null || d.obj.kind !== 'veth' || !peer?.netns || v.isFresh(netnsKey(peer.netns))) return undefined;
  const end = v.observedLink(peer.netns, peer.name);
  if (!end) return undefined;
  const host = v.observedLink(null, d.obj.name);
  // the pair as it is: deleting or keeping the host end takes care of its own peer
  const paired = host?.kind === 'veth' && host.peerIfindex === end.ifindex && end.peerIfindex === host.ifindex;
  return paired || !displaceable(peer.netns, end, v) ? undefined : end;
}

/**
 * Only an end this instance owns, or one `--adopt` takes over (never another instance's), is
 * deleted so: any other stays, and planning it as it is refuses it as a foreign link in the way.
 */
const displaceable = (ns: string, end: LinkObj, v: KindView): boolean =>
  !!v.linkOwner(ns, end.name) || (v.adopt && !otherInstance(end.alias, v.instance));

const netnsKey = (name: string) => ({ kind: 'netns' as const, ns: null, name });

/** The end's own host end, by the pairing the kernel reports, for the words of a plan. */
function pairedWith(end: LinkObj, v: KindView): string {
  const host = v.hostLinkAt(end.peerIfindex);
  return host && host.peerIfindex === end.ifindex ? `paired with ${host.name}` : 'with another peer';
}

/** What the host end's creation deletes first, in a plan's words; undefined when nothing. */
export function staleEndNote(d: DesiredOf<'link'>, v: KindView): string | undefined {
  const end = staleEnd(d, v);
  if (!end || !d.obj.peer?.netns) return undefined;
  return (
    `the ${end.name} now in ${d.obj.peer.netns} (${pairedWith(end, v)}) is deleted first: ` +
    `a veth's peer cannot be re-attached`
  );
}

/** The deletion that goes before the new pair is made. */
export function staleEndOps(d: DesiredOf<'link'>, v: KindView): Op[] {
  const end = staleEnd(d, v);
  return end && d.obj.peer?.netns ? [{ op: 'link-del', ns: d.obj.peer.netns, name: end.name }] : [];
}

/**
 * For a container's end: the host end it is desired with, when that is not the one it is paired
 * with now. Made by this plan, it takes the end along (the end above).
 */
export function desiredHostEnd(item: { ns: string; obj: LinkObj }, current: string | undefined, v: KindView) {
  const d = v.desiredAt<'link'>({ kind: 'link', ns: item.ns, name: item.obj.name });
  const peer = d?.obj.peer;
  const other = peer && peer.netns === null && peer.name !== current;
  return other && displaceable(item.ns, item.obj, v) ? peer.name : undefined;
}
