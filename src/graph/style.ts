import type { EdgeKind, GraphEdge, NodeKind, Status, Topology } from './model.js';

/**
 * How the pictures look, shared by the renderers: a colour per status (a plan's created green,
 * changed orange, deleted red), a fill per kind of node, and the words edges carry.
 */
export const STATUS_COLOR: Readonly<Record<Status, string>> = {
  same: '#37474f',
  created: '#2e7d32',
  updated: '#e65100',
  deleted: '#c62828',
};

/** The legend's words: a plan changes an object in place (drift repaired, a field edited) or replaces it. */
export const STATUS_WORDS: Readonly<Record<Status, string>> = {
  same: 'unchanged',
  created: 'created',
  updated: 'changed (drift or update)',
  deleted: 'deleted',
};

export const KIND_FILL: Readonly<Record<NodeKind, string>> = {
  nic: '#eceff1',
  device: '#eceff1',
  network: '#e3f2fd',
  bridge: '#e3f2fd',
  loopback: '#f3e5f5',
  veth: '#ffffff',
  tap: '#ffffff',
  container: '#fff8e1',
  vm: '#ede7f6',
};

/** What an edge says when it carries no words of its own. */
const KIND_LABEL: Readonly<Partial<Record<EdgeKind, string>>> = {
  passthrough: 'moved in',
  interface: 'interface',
};

export const edgeLabel = (e: GraphEdge): string | undefined => e.label ?? KIND_LABEL[e.kind];

/** Edges that are not a wire (an address on an interface, the host answering for a guest) are dotted. */
export const DOTTED: ReadonlySet<EdgeKind> = new Set(['ipnet', 'proxy']);

export function titleOf(t: Topology): string {
  switch (t.source) {
    case 'desired':
      return 'ctnet topology: the manifests';
    case 'observed':
      return 'ctnet topology: the kernel';
    case 'plan':
      return 'ctnet plan: the manifests against the kernel';
  }
}

/** A plan's picture has a legend of every status; the others have one status and none. */
export const legendOf = (t: Topology): readonly Status[] =>
  t.source === 'plan' ? ['created', 'updated', 'deleted', 'same'] : [];
