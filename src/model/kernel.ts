import type { Family } from './ip.js';

/**
 * The kernel objects ctnet reasons about, shared by the desired and the observed state so the
 * planner compares like with like. `null` as a namespace means "the host" (the real host, or the
 * namespace given with --host-netns).
 */
export type NsRef = string | null;

/** ifalias marker on owned links, `ctnet:<kind>/<name>`; route and neighbour protocol number. */
export const MARK_PREFIX = 'ctnet:';
export const CTNET_PROTO = 241;

export type LinkKind = 'veth' | 'bridge' | 'tap' | 'device' | 'other';

export interface LinkObj {
  readonly name: string;
  readonly kind: LinkKind;
  /** Owner marker (`ctnet:container/ct101`); absent on foreign links. */
  readonly alias?: string;
  readonly mtu?: number;
  readonly mac?: string;
  /** Desired: `undefined` means "leave as it is" (foreign devices). */
  readonly up?: boolean;
  /** Bridge this link is a port of; `null` = explicitly none. */
  readonly master?: string | null;
  /** veth: the other end. Desired: name and namespace; observed: name and ifindex of the peer. */
  readonly peer?: { readonly name: string; readonly netns: NsRef };
  readonly ifindex?: number;
  readonly peerIfindex?: number;
  /** Observed veth: the peer's namespace as an id relative to this namespace (see `netnsIds`). */
  readonly peerNetnsId?: number;
  readonly group?: number;
}

export interface AddressObj {
  readonly dev: string;
  readonly family: Family;
  /** `10.0.0.1/24`, canonical. */
  readonly cidr: string;
  readonly tentative?: boolean;
  readonly dynamic?: boolean;
}

export interface RouteObj {
  readonly family: Family;
  /** `default` or a canonical CIDR (`10.0.0.1/32`). */
  readonly dst: string;
  readonly dev?: string;
  readonly via?: string;
  readonly onlink?: boolean;
  readonly protocol?: number;
}

export interface NeighborObj {
  readonly family: Family;
  readonly dst: string;
  readonly dev: string;
  readonly proxy: true;
  readonly protocol?: number;
}

export interface NsObjects {
  readonly links: readonly LinkObj[];
  readonly addresses: readonly AddressObj[];
  readonly routes: readonly RouteObj[];
  readonly neighbors: readonly NeighborObj[];
  /** Only the keys someone asked about are observed: the desired ones and the recorded ones. */
  readonly sysctls: Readonly<Record<string, string>>;
}

export const emptyNs = (): NsObjects => ({ links: [], addresses: [], routes: [], neighbors: [], sysctls: {} });

/** What `observe` returns, and what a snapshot file holds. */
export interface ObservedState {
  readonly host: NsObjects;
  /** Every named namespace that exists (`ip netns list`). */
  readonly netnsNames: readonly string[];
  /** Namespace ids as the host namespace numbers them: how a host veth end names its peer's namespace. */
  readonly netnsIds?: Readonly<Record<string, number>>;
  /** Contents of the namespaces that were observed (owned or named by the manifests). */
  readonly namespaces: Readonly<Record<string, NsObjects>>;
}

/** Stable keys, used for sorting, matching desired to observed, and in plans. */
export const linkKey = (l: { name: string }): string => `link ${l.name}`;
export const addressKey = (a: AddressObj): string => `address ${a.cidr} dev ${a.dev}`;
export const routeKey = (r: RouteObj): string => `route ${r.dst}${r.family === 6 && r.dst === 'default' ? ' (ipv6)' : ''}`;
export const neighborKey = (n: NeighborObj): string => `proxy ${n.dst} dev ${n.dev}`;

export const isOwnedAlias = (alias: string | undefined): boolean => !!alias?.startsWith(MARK_PREFIX);

/** `ctnet:container/ct101` → `container/ct101`; undefined for foreign links. */
export const ownerOfAlias = (alias: string | undefined): string | undefined =>
  isOwnedAlias(alias) ? alias!.slice(MARK_PREFIX.length) : undefined;
