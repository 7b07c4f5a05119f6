import type { NftTableObj } from './nft.js';
import type { AddressObj, FdbObj, LinkKind, NeighborObj, VxlanObj, NsRef, RouteObj } from './kernel.js';

/**
 * Typed kernel operations: what a plan asks a driver to do. They carry no command syntax; the
 * iproute2 driver renders them as `ip` lines (also the `-o script` view), and any other driver
 * (netlink) executes the same operations.
 */
export interface LinkSettings {
  readonly mtu?: number;
  readonly mac?: string;
  /** A bridge to enslave to; `null` releases the link from its bridge. */
  readonly master?: string | null;
  readonly alias?: string;
  readonly up?: boolean;
  readonly group?: number;
}

export interface NewLink extends LinkSettings {
  readonly name: string;
  readonly kind: Exclude<LinkKind, 'device' | 'other'>;
  /** veth: the peer is created directly in its namespace, never moved afterwards. */
  readonly peer?: { readonly name: string; readonly ns: string; readonly mac?: string; readonly mtu?: number };
  /** vxlan: made with learning off. */
  readonly vxlan?: VxlanObj;
}

export type Op =
  | { readonly op: 'netns-add'; readonly name: string }
  | { readonly op: 'netns-del'; readonly name: string }
  /** Names a runtime's namespace (`/proc/PID/ns/net`, a bind mount) under /run/netns; never creates one. */
  | { readonly op: 'netns-attach'; readonly name: string; readonly path: string }
  /** Removes that name only: the runtime's namespace lives on. */
  | { readonly op: 'netns-detach'; readonly name: string }
  | { readonly op: 'link-add'; readonly ns: NsRef; readonly link: NewLink }
  | { readonly op: 'link-set'; readonly ns: NsRef; readonly name: string; readonly set: LinkSettings }
  | { readonly op: 'link-del'; readonly ns: NsRef; readonly name: string }
  /** Moves a link to another namespace (`null`: the host) under a new name. */
  | {
      readonly op: 'link-move';
      readonly ns: NsRef;
      readonly name: string;
      readonly to: NsRef;
      readonly newName: string;
    }
  | { readonly op: 'link-del-group'; readonly ns: NsRef; readonly group: number }
  | { readonly op: 'addr-add' | 'addr-del'; readonly ns: NsRef; readonly address: AddressObj }
  | { readonly op: 'route-add' | 'route-replace' | 'route-del'; readonly ns: NsRef; readonly route: RouteObj }
  | { readonly op: 'neigh-add' | 'neigh-replace' | 'neigh-del'; readonly ns: NsRef; readonly neighbor: NeighborObj }
  /** A VXLAN forwarding entry (`bridge fdb append … self permanent`). */
  | { readonly op: 'fdb-add' | 'fdb-del'; readonly ns: NsRef; readonly fdb: FdbObj }
  | { readonly op: 'sysctl-set'; readonly ns: NsRef; readonly key: string; readonly value: string }
  /** Replaces a whole nftables table in one transaction (`name`: the kernel's name). */
  | { readonly op: 'nft-table'; readonly ns: NsRef; readonly name: string; readonly table: NftTableObj }
  | { readonly op: 'nft-delete'; readonly ns: NsRef; readonly family: 'inet'; readonly name: string };

export type OpName = Op['op'];

/**
 * Where an operation runs, as a driver batches them: namespace creation in the root namespace,
 * sysctl writes and nftables transactions apart from link/address/route work (iproute2 cannot
 * batch them together).
 */
export type Target = { readonly ns: TargetNs; readonly channel: 'ip' | 'sysctl' | 'nft' | 'mount' };

/**
 * A batch's namespace: as NsRef, or ROOT_NS for the real root namespace (where named namespaces
 * are made and mounted). As a type it is one more string, so the alias says it; its value holds a
 * `/`, which no namespace name may (a container named `root` must not run in ctnet's own).
 */
export type TargetNs = NsRef;
export const ROOT_NS = '/';

export function targetOf(op: Op): Target {
  if (op.op === 'netns-add' || op.op === 'netns-del') return { ns: ROOT_NS, channel: 'ip' };
  if (op.op === 'netns-attach' || op.op === 'netns-detach') return { ns: ROOT_NS, channel: 'mount' };
  if (op.op === 'nft-table' || op.op === 'nft-delete') return { ns: op.ns, channel: 'nft' };
  return { ns: op.ns, channel: op.op === 'sysctl-set' ? 'sysctl' : 'ip' };
}

export const targetId = (t: Target): string => `${t.channel} ${t.ns === null ? '\u0000host' : t.ns}`;
