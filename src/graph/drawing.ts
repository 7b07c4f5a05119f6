import type { NsRef } from '../model/kernel.js';
import type { Kind } from '../kinds/types.js';
import type { GraphItem } from './items.js';
import {
  overall,
  type GraphEdge,
  type GraphNode,
  type Line,
  type NodeKind,
  type Status,
  type Topology,
} from './model.js';

export type ItemOf<K extends Kind> = Extract<GraphItem, { kind: K }>;

/** Items by kind, and a link's addresses: what the drawing steps look up. */
export class ItemIndex {
  private readonly byKind = new Map<Kind, GraphItem[]>();
  private readonly addresses = new Map<string, ItemOf<'address'>[]>();

  constructor(items: readonly GraphItem[]) {
    for (const i of items) {
      this.byKind.set(i.kind, [...(this.byKind.get(i.kind) ?? []), i]);
      if (i.kind === 'address') {
        const k = `${i.ns ?? ''}\u0000${i.obj.dev}`;
        this.addresses.set(k, [...(this.addresses.get(k) ?? []), i]);
      }
    }
  }

  of<K extends Kind>(kind: K, ns?: NsRef): ItemOf<K>[] {
    const all = (this.byKind.get(kind) ?? []) as ItemOf<K>[];
    return ns === undefined ? all : all.filter((i) => i.ns === ns);
  }

  addressesOn(ns: NsRef, dev: string): ItemOf<'address'>[] {
    return this.addresses.get(`${ns ?? ''}\u0000${dev}`) ?? [];
  }
}

/** A node being drawn: lines and rows are added by several steps. */
export interface NodeDraft {
  readonly id: string;
  readonly kind: NodeKind;
  readonly title: string;
  subtitle?: string;
  readonly inHost: boolean;
  status: Status;
  readonly lines: Line[];
  readonly rows: { port: string; title: string; lines: Line[]; status: Status }[];
}

const MARK: Readonly<Record<Status, string>> = { same: '', created: '+ ', updated: '~ ', deleted: '- ' };

/** A line of a label, marked as a plan changes it (`+ 10.0.0.1/24`): readable without colour too. */
export const line = (text: string, status: Status): Line => ({ text: `${MARK[status]}${text}`, status });

const KIND_ORDER: readonly NodeKind[] = [
  'nic',
  'network',
  'bridge',
  'loopback',
  'veth',
  'tap',
  'device',
  'container',
  'vm',
];

/** The nodes and edges drawn so far; `topology()` puts them in a stable order. */
export class Drawing {
  private readonly nodes = new Map<string, NodeDraft>();
  private readonly edges = new Map<string, GraphEdge>();
  /** Changes to the host as a whole (its sysctls, ctnet's nftables table): shown with the host. */
  readonly hostLines: Line[] = [];
  /** Items some step has drawn: a change to any other is written on its owner's node (draw-changes.ts). */
  readonly drawn = new Set<GraphItem>();

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  get(id: string): NodeDraft | undefined {
    return this.nodes.get(id);
  }

  /** The node with this id, made the first time it is asked for. */
  node(id: string, init: Omit<NodeDraft, 'id' | 'lines' | 'rows'>): NodeDraft {
    let n = this.nodes.get(id);
    if (!n) this.nodes.set(id, (n = { id, ...init, lines: [], rows: [] }));
    return n;
  }

  /** One edge per pair, kind and port: a second one (two routes to one host end) adds nothing. */
  edge(e: GraphEdge): void {
    const k = `${e.from}\u0000${e.to}\u0000${e.toPort ?? ''}\u0000${e.kind}`;
    if (!this.edges.has(k)) this.edges.set(k, e);
  }

  hasEdgeFrom(from: string, kind: GraphEdge['kind']): boolean {
    return [...this.edges.values()].some((e) => e.from === from && e.kind === kind);
  }

  topology(source: Topology['source']): Topology {
    const rank = (n: NodeDraft): number => KIND_ORDER.indexOf(n.kind);
    const nodes = [...this.nodes.values()].sort((a, b) => rank(a) - rank(b) || cmp(a.id, b.id)).map(finished);
    const ids = new Set(nodes.map((n) => n.id));
    const edges = [...this.edges.values()]
      .filter((e) => ids.has(e.from) && ids.has(e.to))
      .sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.toPort ?? '', b.toPort ?? ''));
    return { source, nodes, edges, hostLines: this.hostLines };
  }
}

function finished(n: NodeDraft): GraphNode {
  const rows = n.rows.map((r) => ({ ...r, status: overall(r.status, r.lines) }));
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    ...(n.subtitle ? { subtitle: n.subtitle } : {}),
    lines: n.lines,
    rows,
    status: overall(n.status, [...n.lines, ...rows]),
    inHost: n.inHost,
  };
}

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
