import type { DesiredObject, DesiredOf } from '../model/desired.js';
import type { ObjectKey } from '../model/keys.js';
import { netnsKind } from './netns.js';
import { linkKind } from './link.js';
import { portKind } from './port.js';
import { addressKind } from './address.js';
import { routeKind } from './route.js';
import { neighborKind } from './neighbor.js';
import { fdbKind } from './fdb.js';
import { sysctlKind } from './sysctl.js';
import { deviceKind } from './device.js';
import { allocationKind } from './allocation.js';
import { nftableKind } from './nftable.js';
import type { Kind, KindDecl } from './types.js';

/**
 * Every kind of kernel object ctnet manages, in planning order. Adding a kind (tap devices are a
 * link kind; moved devices, nftables tables and address allocations are kinds of their own) is
 * one declaration here, its key in model/keys.ts and object in model/desired.ts, and (when it
 * needs new ones) its operations in model/ops.ts with their rendering in the driver.
 */
export const KINDS: { readonly [K in Kind]: KindDecl<K> } = {
  netns: netnsKind,
  link: linkKind,
  port: portKind,
  device: deviceKind,
  address: addressKind,
  route: routeKind,
  neighbor: neighborKind,
  fdb: fdbKind,
  sysctl: sysctlKind,
  allocation: allocationKind,
  nftable: nftableKind,
};

/** The key of a desired object, by its kind's declaration. */
export const keyOf = (d: DesiredObject): ObjectKey => (KINDS[d.kind] as KindDecl<Kind>).key(d.ns, d.obj);

export const KIND_ORDER: readonly Kind[] = (Object.keys(KINDS) as Kind[]).sort((a, b) => KINDS[a].rank - KINDS[b].rank);

/** Links are planned bridges first, then host veth ends, container ends, and links never created (lo). */
export function desiredOrder(d: DesiredOf<Kind>): number {
  if (d.kind !== 'link') return 0;
  if (d.obj.kind === 'bridge') return 0;
  if (d.obj.kind === 'device') return 3;
  return d.ns === null ? 1 : 2;
}
