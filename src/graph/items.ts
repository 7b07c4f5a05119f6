import { emptyDesired, type DesiredObject, type DesiredState } from '../model/desired.js';
import type { Inventory } from '../model/inventory.js';
import { keyId } from '../model/keys.js';
import type { ObservedState } from '../model/kernel.js';
import { KIND_ORDER, KINDS, keyOf } from '../kinds/registry.js';
import type { Kind, KindDecl } from '../kinds/types.js';
import { PlanContext } from '../plan/context.js';
import type { Action, Plan } from '../plan/types.js';
import type { Status } from './model.js';

/**
 * One kernel object as the picture takes it: a desired object's shape (kind, namespace, owner,
 * object), whatever it came from, with its status. `change`: what a plan changes in it, in the
 * plan's words; `was`: the object as observed, when a plan changes it.
 */
export type GraphItem = DesiredObject & {
  readonly status: Status;
  readonly change?: string;
  readonly was?: DesiredObject['obj'];
};

export const idOf = (o: DesiredObject): string => keyId(keyOf(o));

/** The manifests' objects, as they are asked for. */
export const desiredItems = (d: DesiredState): GraphItem[] => d.objects.map((o) => ({ ...o, status: 'same' }));

/**
 * What this instance owns in the kernel, each with its owner: the inventory's record, else this
 * instance's mark, as the planner finds them. Foreign objects are left out: a picture draws the
 * ones ctnet leans on (uplinks) from what names them.
 */
export function observedItems(observed: ObservedState, inventory: Inventory): GraphItem[] {
  const view = new PlanContext(emptyDesired(), observed, inventory, {});
  return KIND_ORDER.flatMap((kind) => {
    const decl = KINDS[kind] as KindDecl<Kind>;
    return decl.observed(view).flatMap((item): GraphItem[] => {
      const owner = view.record(item.key)?.owner ?? decl.markedOwner(item, view);
      return owner ? [{ kind, ns: item.ns, owner, obj: item.obj, status: 'same' } as GraphItem] : [];
    });
  });
}

const STATUS_OF: Readonly<Record<Action['action'], Status>> = {
  create: 'created',
  update: 'updated',
  replace: 'updated',
  delete: 'deleted',
};

/**
 * A plan's picture: every desired object with what the plan does to it, and every owned object
 * the plan takes away, whether it deletes it itself or it goes with what holds it (a namespace's
 * contents, a link's addresses). `inventory`: the one the plan was made with.
 */
export function planItems(
  desired: DesiredState,
  observed: ObservedState,
  inventory: Inventory,
  plan: Plan,
): GraphItem[] {
  const actions = new Map(plan.actions.map((a) => [a.id, a]));
  const owned = new Map(observedItems(observed, inventory).map((i) => [idOf(i), i]));
  const wanted = desired.objects.map((d): GraphItem => {
    const id = idOf(d);
    const a = actions.get(id);
    if (!a) return { ...d, status: 'same' };
    const change = a.action === 'replace' ? `replaced: ${a.reason}` : a.action === 'update' ? a.reason : undefined;
    const was = a.action === 'create' ? undefined : owned.get(id)?.obj;
    return { ...d, status: STATUS_OF[a.action], ...(change ? { change } : {}), ...(was ? { was } : {}) };
  });
  const ids = new Set(wanted.map(idOf));
  const gone = [...owned].filter(([id]) => !ids.has(id)).map(([, i]): GraphItem => ({ ...i, status: 'deleted' }));
  return [...wanted, ...gone];
}
