import { keyId, type ObjectKey } from '../model/keys.js';
import { KINDS } from '../kinds/registry.js';
import type { Action } from './types.js';

/** An action before its dependencies are resolved: they are still keys, maybe of no action. */
export type Pending = Omit<Action, 'deps'> & { readonly deps: readonly ObjectKey[] };

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Resolves dependency keys to the actions of this plan and orders them: creations and changes
 * first, in dependency order, then deletions (prune after create keeps traffic flowing), also in
 * dependency order. Ties keep kind order, then the host before namespaces, then key order.
 */
export function orderActions(pending: readonly Pending[]): Action[] {
  const ids = new Set(pending.map((p) => p.id));
  const actions: Action[] = pending.map((p) => ({
    ...p,
    deps: [...new Set(p.deps.map(keyId).filter((d) => ids.has(d) && d !== p.id))].sort(),
  }));
  const rank = (a: Action): number => KINDS[a.type].rank * 2 + (a.netns === null || a.type === 'netns' ? 0 : 1);
  // ranks computed once, not in every comparison
  const sorted = actions
    .map((a) => ({ a, r: rank(a) }))
    .sort((x, y) => x.r - y.r || cmp(x.a.id, y.a.id))
    .map((x) => x.a);
  const byId = new Map(actions.map((a) => [a.id, a]));
  const out: Action[] = [];
  const seen = new Set<string>();
  const visit = (a: Action, phase: boolean): void => {
    if (seen.has(a.id) || (a.action === 'delete') !== phase) return;
    seen.add(a.id);
    for (const d of a.deps) visit(byId.get(d)!, phase);
    out.push(a);
  };
  for (const phase of [false, true]) for (const a of sorted) visit(a, phase);
  return out;
}
