import type { LinkObj, ObservedState } from '../model/kernel.js';
import type { Op } from '../model/ops.js';
import type { Action } from '../plan/types.js';

/**
 * The named namespaces a run of these actions may have changed: where each operation ran, where
 * it made or moved a link to, and where the peers of the veths it changed or deleted live (a
 * veth's two ends go together). Verification reads these again and trusts the observation the
 * plan was made from for every other one; the host is always read again.
 */
export function touchedNamespaces(actions: readonly Action[], observed: ObservedState): Set<string> {
  const out = new Set<string>();
  const byId = new Map(Object.entries(observed.netnsIds ?? {}).map(([name, id]) => [id, name]));
  const add = (ns: string | null | undefined): void => void (ns && out.add(ns));
  // host veths by name and by group, once: a run may change a thousand of them
  const hostVeths = observed.host.links.filter((l) => l.kind === 'veth' && l.peerNetnsId !== undefined);
  const byName = new Map(hostVeths.map((l) => [l.name, l]));
  for (const a of actions) {
    add(a.netns);
    for (const op of a.ops) {
      for (const ns of opNamespaces(op)) add(ns);
      for (const l of hostVethsOf(op, byName, hostVeths)) add(byId.get(l.peerNetnsId!));
    }
  }
  return out;
}

function opNamespaces(op: Op): readonly (string | null)[] {
  switch (op.op) {
    case 'netns-add':
    case 'netns-del':
    case 'netns-attach':
    case 'netns-detach':
      return [op.name];
    case 'link-add':
      return [op.ns, op.link.peer?.ns ?? null];
    case 'link-move':
      return [op.ns, op.to];
    case 'link-set':
    case 'link-del':
    case 'link-del-group':
    case 'addr-add':
    case 'addr-del':
    case 'route-add':
    case 'route-replace':
    case 'route-del':
    case 'neigh-add':
    case 'neigh-replace':
    case 'neigh-del':
    case 'sysctl-set':
    case 'nft-table':
    case 'nft-delete':
    case 'fdb-add':
    case 'fdb-del':
    default:
      return [op.ns];
  }
}

/**
 * The host veths (with a peer in another namespace) an operation changes or deletes. ctnet's
 * veths join the host and one namespace, and a container-side change is seen from the host,
 * which is read anyway.
 */
function hostVethsOf(op: Op, byName: ReadonlyMap<string, LinkObj>, all: readonly LinkObj[]): readonly LinkObj[] {
  if (op.op !== 'link-set' && op.op !== 'link-del' && op.op !== 'link-move' && op.op !== 'link-del-group') return [];
  if (op.ns !== null) return [];
  if (op.op === 'link-del-group') return all.filter((l) => l.group === op.group);
  const l = byName.get(op.name);
  return l ? [l] : [];
}
