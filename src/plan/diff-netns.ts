import { isOwnedAlias } from '../model/kernel.js';
import { netnsAdd, netnsDel } from './commands.js';
import type { PlanContext } from './context.js';

/**
 * Namespaces: create the missing desired ones, delete owned ones that left the manifests.
 * Ownership comes from the inventory, or, when that was lost, from marked links inside.
 */
export function diffNetns(ctx: PlanContext): void {
  const existing = new Set(ctx.observed.netnsNames);
  for (const [name, d] of Object.entries(ctx.desired.namespaces).sort(([a], [b]) => a.localeCompare(b))) {
    if (!existing.has(name)) {
      ctx.createdNs.add(name);
      ctx.add({
        action: 'create', type: 'netns', netns: name, object: `netns ${name}`, owner: d.owner,
        after: { name }, reason: `${d.owner} needs its own network namespace`, disruptive: false, commands: netnsAdd(name),
      });
    } else if (!ownsNs(ctx, name) && !ctx.options.adopt) {
      ctx.conflict({ owner: d.owner, field: 'spec.netns', message: `network namespace "${name}" exists and was not created by ctnet (use --adopt to take it over)` });
    }
  }
  for (const [name, owner] of Object.entries(ctx.inventory.namespaces).sort(([a], [b]) => a.localeCompare(b))) {
    if (ctx.desired.namespaces[name] || !existing.has(name)) continue;
    if (!ctx.inScope(owner)) continue;
    ctx.deletedNs.add(name);
    ctx.deletedOwners.add(owner);
    ctx.add({
      action: 'delete', type: 'netns', netns: name, object: `netns ${name}`, owner, before: { name },
      reason: `${owner} is no longer in the manifests; its links go with the namespace`, disruptive: true, commands: [netnsDel(name)],
    });
  }
}

export function ownsNs(ctx: PlanContext, name: string): boolean {
  if (name in ctx.inventory.namespaces) return true;
  return (ctx.observed.namespaces[name]?.links ?? []).some((l) => isOwnedAlias(l.alias));
}
