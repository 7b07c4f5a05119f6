import type { LinkObj, NsRef } from '../model/kernel.js';
import { deleteGroup, groupLink } from './commands.js';
import type { Action } from './types.js';

const FIRST_GROUP = 4242;

/**
 * Deleting veths one by one waits for an RCU grace period each (KERNEL-COSTS.md: 19 s for 500);
 * tagging them with a group nobody else uses and deleting the group costs one wait. Pure: the
 * group number is the lowest free one in the observed namespace.
 */
export function groupLinkDeletes(actions: readonly Action[], linksOf: (ns: NsRef) => readonly LinkObj[]): Action[] {
  const byNs = new Map<NsRef, number[]>();
  actions.forEach((a, i) => {
    if (a.action === 'delete' && a.type === 'link') byNs.set(a.netns, [...(byNs.get(a.netns) ?? []), i]);
  });
  const out = [...actions];
  for (const [ns, idx] of byNs) {
    if (idx.length < 2) continue;
    const used = new Set(linksOf(ns).map((l) => l.group ?? 0));
    let group = FIRST_GROUP;
    while (used.has(group)) group++;
    idx.forEach((i, n) => {
      const name = out[i].object.replace(/^link /, '');
      const last = n === idx.length - 1;
      out[i] = { ...out[i], commands: [groupLink(ns, name, group), ...(last ? [deleteGroup(ns, group)] : [])] };
    });
  }
  return out;
}
