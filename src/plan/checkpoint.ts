import type { DesiredObject, DesiredState } from '../model/desired.js';
import type { Inventory } from '../model/inventory.js';
import type { ObservedState } from '../model/kernel.js';
import { KIND_ORDER, KINDS } from '../kinds/registry.js';
import type { Kind, KindDecl } from '../kinds/types.js';
import { keyId } from '../model/keys.js';
import { PlanContext } from './context.js';

/**
 * The kernel a checkpoint saw, as a desired state (a rollback's target): every object ctnet owned
 * then (by record or by marker), made desired again by its kind's `restore`. Planned against the
 * kernel after a failed run with that run's inventory, it deletes what the run made (restoring the
 * originals its records keep), makes again what it deleted and puts back what it changed; objects
 * it never touched compare equal and stay as they are.
 */
/** A rollback's target: the checkpoint as desired, and the owned objects it cannot make again as they were. */
export interface RestoreTarget {
  readonly desired: DesiredState;
  readonly unrestorable: readonly string[];
}

/**
 * One walk over the checkpoint gives both: every owned object made desired again by its kind's
 * `restore`, and those a restore cannot give (a veth without its pair), said rather than guessed.
 */
export function restoreTarget(
  observed: ObservedState,
  inventory: Inventory,
  protectedInterfaces: readonly string[] = ['lo'],
): RestoreTarget {
  const objects: DesiredObject[] = [];
  const missing: string[] = [];
  for (const { kind, item, owner, obj } of restored(observed, inventory, protectedInterfaces)) {
    if (obj !== undefined) objects.push({ kind, ns: item.ns, owner, obj } as DesiredObject);
    else missing.push(keyId(item.key));
  }
  return { desired: { ...nothing(protectedInterfaces), objects }, unrestorable: missing };
}

export const checkpointDesired = (
  observed: ObservedState,
  inventory: Inventory,
  protectedInterfaces: readonly string[] = ['lo'],
): DesiredState => restoreTarget(observed, inventory, protectedInterfaces).desired;

export const unrestorable = (observed: ObservedState, inventory: Inventory): string[] => [
  ...restoreTarget(observed, inventory).unrestorable,
];

const nothing = (protectedInterfaces: readonly string[]): DesiredState => ({
  objects: [],
  uses: [],
  protectedInterfaces,
  conflicts: [],
});

/** Every object owned at the checkpoint (by record or by marker), with what its kind restores of it. */
function* restored(observed: ObservedState, inventory: Inventory, protectedInterfaces: readonly string[]) {
  const ctx = new PlanContext(nothing(protectedInterfaces), observed, inventory, {});
  for (const kind of KIND_ORDER) {
    const decl = KINDS[kind] as KindDecl<Kind>;
    for (const item of decl.observed(ctx)) {
      const owner = ctx.record(item.key)?.owner ?? decl.markedOwner(item, ctx);
      if (owner) yield { kind, item, owner, obj: decl.restore ? decl.restore(item, ctx) : item.obj };
    }
  }
}
