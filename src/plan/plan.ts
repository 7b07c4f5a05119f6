import type { DesiredState } from '../model/desired.js';
import type { ObservedState } from '../model/kernel.js';
import { PlanContext, type PlanOptions } from './context.js';
import { diffNetns } from './diff-netns.js';
import { checkUses } from './check-uses.js';
import { diffLinks } from './diff-links.js';
import { diffAddresses } from './diff-addresses.js';
import { diffRoutes } from './diff-routes.js';
import { diffNeighbors } from './diff-neighbors.js';
import { diffSysctls } from './diff-sysctls.js';
import { orderActions } from './order.js';
import { groupLinkDeletes } from './group-deletes.js';
import type { Inventory, Plan } from './types.js';

/**
 * The planner: a pure, synchronous function of what the manifests want, what the kernel has and
 * what ctnet owns. Steps run in dependency order because later ones read what earlier ones
 * decided (a new namespace needs no link diff; a replaced link's addresses must be re-added).
 */
export function plan(desired: DesiredState, observed: ObservedState, inventory: Inventory, options: PlanOptions = {}): Plan {
  const ctx = new PlanContext(desired, observed, inventory, options);
  desired.conflicts.forEach((c) => ctx.conflict(c));
  checkUses(ctx);
  diffNetns(ctx);
  diffLinks(ctx);
  diffAddresses(ctx);
  diffRoutes(ctx);
  diffNeighbors(ctx);
  const sysctls = diffSysctls(ctx);
  const ordered = orderActions(ctx.actions);
  const actions = groupLinkDeletes(ordered, (ns) => (ns === null ? observed.host : (observed.namespaces[ns] ?? observed.host)).links);
  return { actions, conflicts: ctx.conflicts, inventory: nextInventory(ctx, sysctls) };
}

function nextInventory(ctx: PlanContext, sysctls: Record<string, string>): Inventory {
  const existing = new Set(ctx.observed.netnsNames);
  const namespaces: Record<string, string> = {};
  for (const [name, owner] of Object.entries(ctx.inventory.namespaces)) {
    if (existing.has(name) && !ctx.deletedNs.has(name)) namespaces[name] = owner;
  }
  for (const [name, d] of Object.entries(ctx.desired.namespaces)) namespaces[name] = d.owner;
  const sorted = Object.fromEntries(Object.entries(namespaces).sort(([a], [b]) => a.localeCompare(b)));
  return { ...ctx.inventory, namespaces: sorted, sysctls };
}
