import { createHash } from 'node:crypto';
import type { DesiredState } from '../model/desired.js';
import type { Inventory } from '../model/inventory.js';
import type { ObservedState } from '../model/kernel.js';
import { keyId } from '../model/keys.js';
import { KIND_ORDER, KINDS } from '../kinds/registry.js';
import type { Kind, KindDecl } from '../kinds/types.js';
import { PlanContext } from './context.js';

/**
 * What a plan was made against (Terraform's prior state): a digest of every object the planner
 * read, by key, and of the inventory. A saved plan carries it; applying the plan later compares
 * it with the kernel and the inventory then, and names every object that differs.
 */
export interface Prior {
  readonly objects: Readonly<Record<string, string>>;
  readonly inventory: string;
}

const digest = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

/** The kernel's passing states are not a change: an address is tentative for a moment after it is made. */
const settled = (kind: Kind, obj: unknown): unknown => {
  if (kind !== 'address') return obj;
  const { tentative: _t, ...rest } = obj as { tentative?: boolean };
  return rest;
};

/**
 * The objects a plan stands on: those this instance owns (by record or mark) and those at a key
 * the manifests want, theirs or in their way. Other tools' namespaces and links coming and going
 * elsewhere on the host are not: a change there that matters makes the plan come out otherwise.
 */
export function priorOf(observed: ObservedState, inventory: Inventory, desired: DesiredState): Prior {
  const ctx = new PlanContext(desired, observed, inventory, {});
  const objects: Record<string, string> = {};
  for (const kind of KIND_ORDER) {
    const decl = KINDS[kind] as KindDecl<Kind>;
    for (const item of decl.observed(ctx)) {
      const read = ctx.record(item.key) ?? decl.markedOwner(item, ctx) ?? ctx.desiredAt(item.key);
      if (read) objects[keyId(item.key)] = digest(settled(kind, item.obj));
    }
  }
  return { objects, inventory: digest(inventory) };
}

/** Every difference between two priors, said per object: appeared, gone, changed; and the inventory. */
export function priorChanges(then: Prior, now: Prior): string[] {
  const out: string[] = [];
  for (const [id, d] of Object.entries(now.objects)) {
    if (!Object.hasOwn(then.objects, id)) out.push(`${id} appeared`);
    else if (then.objects[id] !== d) out.push(`${id} changed`);
  }
  for (const id of Object.keys(then.objects)) if (!Object.hasOwn(now.objects, id)) out.push(`${id} is gone`);
  if (then.inventory !== now.inventory) out.push("ctnet's inventory changed (another apply, destroy or set ran)");
  return out.sort();
}
