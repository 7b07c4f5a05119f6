/**
 * The topology as a picture sees it, whatever drew it (manifests, the kernel or a plan) and
 * whatever renders it (dot, mermaid, svg): nodes, some in the host's cluster, and edges between
 * them. Every part carries a status, so a plan's picture colours what it creates, changes and
 * deletes; a picture of the manifests or of the kernel has every part `same`.
 */
export type Status = 'same' | 'created' | 'updated' | 'deleted';

export const STATUSES: readonly Status[] = ['same', 'created', 'updated', 'deleted'];

export type NodeKind =
  /** A network with no interface of its own (routed, custom): a bridge or loopback network is its interface. */
  | 'network'
  | 'bridge'
  | 'loopback'
  /** A host NIC ctnet leans on and never makes: an uplink, a bridge's port, a custom network's interface. */
  | 'nic'
  /** A NIC moved into a container (passthrough): outside the host while it is there. */
  | 'device'
  /** The host end of a container's veth. */
  | 'veth'
  | 'tap'
  | 'container'
  | 'vm';

/** One line of a label (an address, a NAT rule, a planned change), with its own status. */
export interface Line {
  readonly text: string;
  readonly status: Status;
}

/** An interface inside a container, drawn as a row of its node that edges reach. */
export interface Row {
  readonly port: string;
  readonly title: string;
  readonly lines: readonly Line[];
  readonly status: Status;
}

export interface GraphNode {
  /** Stable and unique: `network-lan`, `container-ct101`, `vm-db1`, `link-ve-ct101-eth0`. */
  readonly id: string;
  readonly kind: NodeKind;
  readonly title: string;
  /** What it is, in words: `network lan`, `netns ct101`, `uplink of public`. */
  readonly subtitle?: string;
  readonly lines: readonly Line[];
  readonly rows: readonly Row[];
  readonly status: Status;
  /** In the host's network stack (drawn in the host's cluster), or outside it. */
  readonly inHost: boolean;
}

export type EdgeKind = 'port' | 'veth' | 'routed' | 'proxy' | 'tap' | 'ipnet' | 'interface' | 'passthrough';

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** A row of `to` (a container's interface), when the edge reaches one. */
  readonly toPort?: string;
  readonly kind: EdgeKind;
  readonly label?: string;
  readonly status: Status;
}

export interface Topology {
  /** What was drawn: the manifests, the kernel, or a plan (desired against observed). */
  readonly source: 'desired' | 'observed' | 'plan';
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Changes to the host as a whole (its sysctls, ctnet's nftables table), shown with the host. */
  readonly hostLines: readonly Line[];
}

/** A node's status as drawn: its own, or `updated` when only something in it changes. */
export function overall(own: Status, parts: readonly { readonly status: Status }[]): Status {
  if (own !== 'same') return own;
  return parts.some((p) => p.status !== 'same') ? 'updated' : 'same';
}
