import type { DesiredState } from '../model/desired.js';
import type { Inventory, ObjectRecord } from '../model/inventory.js';
import { idNetns } from '../model/keys.js';
import type { Action } from './types.js';

/**
 * A plan restricted to the host and some named namespaces (`PlanOptions.within`) plans only what
 * lives there. It stands for the whole plan only while its actions stay there: an action of an
 * owner that also has objects elsewhere (a host veth replaced takes its container's end with it)
 * may have consequences in a namespace it did not plan, and an action in another namespace means
 * the restriction was wrong. Either way everything is planned again.
 */
export function reachesPast(actions: readonly Action[], desired: DesiredState, within: ReadonlySet<string>): boolean {
  if (!actions.length) return false;
  const elsewhere = new Set<string>();
  for (const o of desired.objects) if (o.ns !== null && !within.has(o.ns)) elsewhere.add(o.owner);
  return actions.some(
    (a) => (a.netns !== null && !within.has(a.netns)) || (a.owner !== undefined && elsewhere.has(a.owner)),
  );
}

/**
 * The records of the restricted plan, with the inventory's own for every object in a namespace it
 * did not plan: those are as the last plan that changed nothing recorded them.
 */
export function withUnplannedRecords(
  planned: ReadonlyMap<string, ObjectRecord>,
  inventory: Inventory,
  within: ReadonlySet<string>,
): Map<string, ObjectRecord> {
  const out = new Map(planned);
  for (const [id, rec] of Object.entries(inventory.objects)) {
    const ns = idNetns(id);
    if (ns !== null && !within.has(ns)) out.set(id, rec);
  }
  return out;
}
