import type { PlanContext } from './context.js';

/**
 * Host interfaces the manifests lean on but ctnet never creates: they must exist, and one that is
 * protected may carry proxy entries (a routed uplink) or ipnet addresses (a custom network's
 * interface) but never be enslaved to a bridge.
 */
export function checkUses(ctx: PlanContext): void {
  const links = new Set(ctx.observed.host.links.map((l) => l.name));
  for (const u of ctx.desiredState.uses) {
    if (!links.has(u.dev)) {
      const why = u.role === 'custom' ? ': a custom network uses an existing interface, ctnet never creates it' : '';
      ctx.conflict({ owner: u.owner, field: u.field, message: `interface "${u.dev}" does not exist on the host${why}` });
    } else if (u.role === 'port' && ctx.protectedIfs.has(u.dev)) {
      ctx.conflict({ owner: u.owner, field: u.field, message: `interface "${u.dev}" is protected and cannot be enslaved to a bridge` });
    }
  }
}
