import { nsObjectsIn, type NsRef, type ObservedState } from '../model/kernel.js';
import type { Op } from '../model/ops.js';
import type { Action } from './types.js';
import { append } from '../model/multimap.js';

const FIRST_GROUP = 4242;

/**
 * Deleting veths one by one waits for an RCU grace period each (KERNEL-COSTS.md: 19 s for 500);
 * tagging them with a group nobody else uses and deleting the group costs one wait. Pure: the
 * group number is the lowest free one in the observed namespace. The action that deletes the
 * group depends on every action that tagged a link.
 */
export function groupLinkDeletes(actions: readonly Action[], observed: ObservedState): Action[] {
  const byNs = new Map<NsRef, number[]>();
  actions.forEach((a, i) => {
    if (a.action === 'delete' && a.type === 'link') append(byNs, a.netns, i);
  });
  const out = [...actions];
  for (const [ns, idx] of byNs) {
    if (idx.length < 2) continue;
    const links = nsObjectsIn(observed, ns)?.links ?? [];
    const used = new Set(links.map((l) => l.group ?? 0));
    let group = FIRST_GROUP;
    while (used.has(group)) group++;
    const last = idx[idx.length - 1];
    for (const i of idx) {
      const a = out[i];
      const name = a.key.kind === 'link' ? a.key.name : '';
      const ops: Op[] = [{ op: 'link-set', ns, name, set: { group } }];
      if (i === last) ops.push({ op: 'link-del-group', ns, group });
      const deps =
        i === last ? [...new Set([...a.deps, ...idx.filter((j) => j !== last).map((j) => out[j].id)])].sort() : a.deps;
      out[i] = { ...a, ops, deps };
    }
  }
  return out;
}
