import type { Action } from './types.js';

/**
 * The dependency rules, as data. Creations go namespace → bridge → veth → link settings →
 * addresses → routes → neighbours → sysctls; deletions the other way round and after every
 * creation (prune after create keeps traffic flowing). Ties break on namespace, then key.
 */
const CREATE_RANK: Readonly<Record<Action['type'], number>> = { netns: 0, link: 1, address: 4, route: 5, neighbor: 6, sysctl: 7 };
const DELETE_RANK: Readonly<Record<Action['type'], number>> = { sysctl: 0, neighbor: 1, route: 2, address: 3, link: 4, netns: 5 };

/** Execution phases: root namespace ops, the host, then containers; deletions mirror that. */
export function phaseOf(a: Pick<Action, 'action' | 'type' | 'netns'>): number {
  if (a.action === 'delete') return a.type === 'netns' ? 5 : a.netns === null ? 4 : 3;
  return a.type === 'netns' ? 0 : a.netns === null ? 1 : 2;
}

function rankOf(a: Action): number {
  if (a.action === 'delete') return DELETE_RANK[a.type];
  if (a.type !== 'link') return CREATE_RANK[a.type];
  if (a.action === 'update') return 3;
  const kind = (a.after as { kind?: string } | undefined)?.kind;
  return kind === 'bridge' ? 1 : 2;
}

const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

export function orderActions(actions: readonly Action[]): Action[] {
  return [...actions].sort(
    (a, b) => phaseOf(a) - phaseOf(b) || rankOf(a) - rankOf(b) || cmp(a.netns ?? '', b.netns ?? '') || cmp(a.object, b.object),
  );
}
