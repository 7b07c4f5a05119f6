import { targetId, targetOf, type Op, type Target } from '../model/ops.js';
import type { Action } from '../plan/types.js';
import { append } from '../model/multimap.js';

/** One operation of one action, placed at a step (level) of execution. */
export interface Scheduled {
  readonly action: Action;
  readonly index: number;
  readonly op: Op;
  readonly target: Target;
  level: number;
}

const sameTarget = (a: Scheduled, b: Scheduled): boolean => targetId(a.target) === targetId(b.target);

/**
 * Places every operation at a step so that each step runs one batch per target (one `ip -batch`
 * per namespace): an operation follows its action's previous operation and the last operation of
 * every action it depends on, one step later when they run in another target, in the same batch
 * (after them) when in the same one. Creations and changes come before deletions, and namespace
 * deletions (with what waits for them) after the other deletions: the kernel tears a deleted
 * namespace down asynchronously while holding the RTNL lock, so any rtnetlink request sent
 * meanwhile waits for that teardown. Inside each phase, operations nothing depends on then move
 * as late as allowed, into the batch their namespace already has.
 */
export function schedule(actions: readonly Action[]): Scheduled[] {
  const nodes: Scheduled[] = [];
  const last = new Map<string, Scheduled>();
  const preds = new Map<Scheduled, Scheduled[]>();
  for (const a of actions) {
    a.ops.forEach((op, index) => {
      const n: Scheduled = { action: a, index, op, target: targetOf(op), level: 0 };
      const p = index > 0 ? [nodes[nodes.length - 1]] : a.deps.flatMap((d) => (last.has(d) ? [last.get(d)!] : []));
      preds.set(n, p);
      nodes.push(n);
      last.set(a.id, n);
    });
  }
  const phase = phases(nodes, preds);
  let first = 0;
  for (const p of [0, 1, 2]) {
    const list = nodes.filter((n) => phase.get(n) === p);
    for (const n of list) {
      n.level = Math.max(first, ...preds.get(n)!.map((x) => x.level + (sameTarget(x, n) ? 0 : 1)));
    }
    compact(list, preds);
    first = Math.max(first, ...list.map((n) => n.level + 1));
  }
  return nodes;
}

/** 0: creations and changes; 1: deletions; 2: namespace deletions and the deletions that wait for one. */
function phases(nodes: readonly Scheduled[], preds: ReadonlyMap<Scheduled, Scheduled[]>): Map<Scheduled, number> {
  const out = new Map<Scheduled, number>();
  for (const n of nodes) {
    if (n.action.action !== 'delete') out.set(n, 0);
    else out.set(n, n.op.op === 'netns-del' || preds.get(n)!.some((p) => out.get(p) === 2) ? 2 : 1);
  }
  return out;
}

/** As-late-as-possible pass inside one phase: fewer batches, the same order. */
function compact(list: readonly Scheduled[], preds: ReadonlyMap<Scheduled, Scheduled[]>): void {
  const succs = new Map<Scheduled, Scheduled[]>();
  for (const n of list) for (const p of preds.get(n)!) append(succs, p, n);
  const maxOf = new Map<string, number>();
  for (const n of list) maxOf.set(targetId(n.target), Math.max(maxOf.get(targetId(n.target)) ?? 0, n.level));
  for (const n of [...list].reverse()) {
    const s = succs.get(n) ?? [];
    const latest = s.length
      ? Math.min(...s.map((x) => x.level - (sameTarget(x, n) ? 0 : 1)))
      : maxOf.get(targetId(n.target))!;
    n.level = Math.max(n.level, latest);
  }
}

/** The steps in order, each a list of batches (one per target, operations in plan order). */
export function steps(nodes: readonly Scheduled[]): Scheduled[][][] {
  const byLevel = new Map<number, Map<string, Scheduled[]>>();
  for (const n of nodes) {
    const level = byLevel.get(n.level) ?? new Map<string, Scheduled[]>();
    byLevel.set(n.level, level);
    const t = targetId(n.target);
    append(level, t, n);
  }
  return [...byLevel.keys()].sort((a, b) => a - b).map((l) => [...byLevel.get(l)!.values()]);
}
