import type { Family } from './ip.js';
import type { ObservedNftTable } from './nft.js';

/**
 * The kernel objects ctnet reasons about, shared by the desired and the observed state so the
 * planner compares like with like. `null` as a namespace means "the host" (the real host, or the
 * namespace given with --host-netns).
 */
export type NsRef = string | null;

/** Route and neighbour protocol number that marks ctnet's entries. */
export const CTNET_PROTO = 241;

export type LinkKind = 'veth' | 'bridge' | 'dummy' | 'tap' | 'vxlan' | 'device' | 'other';

/**
 * A VXLAN device's tunnel: a bridged network spanning nodes. Learning is always off (the
 * forwarding entries are declared), so it is not a field.
 */
export interface VxlanObj {
  readonly vni: number;
  /** This node's underlay address (IFLA_VXLAN_LOCAL / LOCAL6). */
  readonly local: string;
  /** UDP destination port. */
  readonly port: number;
  /** Underlay interface the tunnel is bound to (Node spec.interface); absent: unbound. */
  readonly dev?: string;
}

export interface LinkObj {
  readonly name: string;
  readonly kind: LinkKind;
  /** Owner marker (see marker.ts); absent on foreign links. */
  readonly alias?: string;
  readonly mtu?: number;
  readonly mac?: string;
  /** Desired: `undefined` means "leave as it is". */
  readonly up?: boolean;
  /** Bridge this link is a port of; `null` = explicitly none. */
  readonly master?: string | null;
  /** veth: the other end. Desired: name and namespace of the peer. */
  readonly peer?: { readonly name: string; readonly netns: NsRef };
  readonly ifindex?: number;
  readonly peerIfindex?: number;
  /** Observed veth: the peer's namespace as an id relative to this namespace (see `netnsIds`). */
  readonly peerNetnsId?: number;
  readonly group?: number;
  /**
   * Desired: a link that only carries host-local addresses (a loopback network's interface). A
   * dummy and a bridge without ports serve alike, so one is never replaced by the other.
   */
  readonly hostLocal?: boolean;
  /** vxlan: the tunnel's settings. */
  readonly vxlan?: VxlanObj;
}

export interface AddressObj {
  readonly dev: string;
  readonly family: Family;
  /** `10.0.0.1/24`, canonical. */
  readonly cidr: string;
  readonly tentative?: boolean;
  /** Not permanent: made by the kernel (SLAAC) or with a finite lifetime. */
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

/**
 * A bridge forwarding entry on a VXLAN device (`bridge fdb append 00:00:00:00:00:00 dev vx0 dst
 * 192.0.2.2`): with the all-zeros MAC it sends broadcast and unknown traffic to that node
 * (head-end replication, no multicast). Owned with the device it is on.
 */
export interface FdbObj {
  readonly dev: string;
  /** The remote node's underlay address. */
  readonly dst: string;
  readonly mac: string;
}

/** A foreign host interface enslaved to one of ctnet's bridges (a bridge network's uplink). */
export interface PortObj {
  readonly name: string;
  readonly master: string | null;
  readonly up: boolean;
}

/**
 * A host NIC passed through to a container (OpenVZ's "real network device"): `name` inside the
 * container, `host` its name on the host, where it returns.
 */
export interface DeviceObj {
  readonly name: string;
  readonly host: string;
  readonly mtu?: number;
  readonly mac?: string;
  readonly up?: boolean;
}

export interface SysctlObj {
  readonly key: string;
  readonly value: string;
}

export interface NsObjects {
  readonly links: readonly LinkObj[];
  readonly addresses: readonly AddressObj[];
  readonly routes: readonly RouteObj[];
  readonly neighbors: readonly NeighborObj[];
  /** Forwarding entries with a remote (`dst`) on VXLAN devices; absent in older snapshots. */
  readonly fdb?: readonly FdbObj[];
  /** Only the keys someone asked about, or (snapshots) every `net.*` key. */
  readonly sysctls: Readonly<Record<string, string>>;
  /**
   * nftables tables named `ctnet_*` (of any instance; other tables are never read), under their
   * kernel names. Observed in the host namespace; absent in snapshots made before ctnet had them.
   */
  readonly nftables?: readonly ObservedNftTable[];
}

export const emptyNs = (): NsObjects => ({ links: [], addresses: [], routes: [], neighbors: [], sysctls: {} });

/**
 * What the kernel can make, as observed: some objects are built one way or another depending on
 * it (a loopback network's interface is a dummy where the kernel has dummy, else a bridge).
 * Observed, never assumed, so the planner stays pure and an offline plan agrees with a live one.
 */
export interface KernelCapabilities {
  readonly dummy: boolean;
  /**
   * The `net.*` sysctls a fresh network namespace can write, as paths under /proc/sys
   * (`net/ipv4/ip_forward`; interfaces as `lo`): the keys the kernel keeps per namespace. Absent
   * when not probed (no manifest sets a sysctl of its own) and in older snapshots.
   */
  readonly netnsSysctls?: readonly string[];
}

/** Why a runtime namespace path names no namespace ctnet may use. */
export type PathProblem = 'missing' | 'not-netns' | 'denied';

/** Why a namespace is never a container's: it plays the host, ctnet runs in it, or it is PID 1's. */
export type ReservedNetns = 'host' | 'self' | 'root';

/** What `observe` returns, and what a snapshot file holds. */
export interface ObservedState {
  readonly host: NsObjects;
  /** Every named namespace that exists (`ip netns list`). */
  readonly netnsNames: readonly string[];
  /** Namespace ids as the host namespace numbers them: how a host veth end names its peer's namespace. */
  readonly netnsIds?: Readonly<Record<string, number>>;
  /** Contents of the namespaces that were observed (owned or named by the manifests). */
  readonly namespaces: Readonly<Record<string, NsObjects>>;
  /** Named namespaces ctnet must never claim: the one playing the host, the one it runs in. */
  readonly reservedNetns?: readonly string[];
  /** The named namespace ctnet runs in (under `ip netns exec`), if it runs in one. */
  readonly ownNetns?: string;
  /** Identity (`dev:ino`) of each named namespace, and of each runtime namespace path asked about. */
  readonly netnsIdentity?: Readonly<Record<string, string>>;
  readonly pathIdentity?: Readonly<Record<string, string>>;
  /** Runtime namespace paths that name no network namespace: nothing there, or another kind of file. */
  readonly pathProblems?: Readonly<Record<string, PathProblem>>;
  /** Identities no container may live in (asked with runtime paths): the host's, ctnet's own, PID 1's. */
  readonly reservedIdentity?: Readonly<Partial<Record<string, ReservedNetns>>>;
  /** Sysctls asked for inside runtime namespaces, read through their paths: the values before ctnet names them. */
  readonly pathSysctls?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Files under /run/netns with no namespace mounted on them (a run killed inside `ip netns add`). */
  readonly brokenNetns?: readonly string[];
  /** Every host `net.*` sysctl was read: a plan may ask for any key. */
  readonly allSysctls?: boolean;
  /** Absent in snapshots made before ctnet observed them: then nothing optional is assumed. */
  readonly capabilities?: KernelCapabilities;
}

export const isLinkLocal6 = (cidr: string): boolean => /^fe[89ab][0-9a-f]:/i.test(cidr);

/**
 * What was read in a namespace (null: the host); undefined for a named one not read (gone, or not
 * asked for): `namespaces` is typed as if every name were there.
 */
export const nsObjectsIn = (o: ObservedState, ns: NsRef): NsObjects | undefined =>
  ns === null ? o.host : o.namespaces[ns];
