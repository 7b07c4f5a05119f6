import { parseMarker } from '../model/marker.js';
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
      ctx.conflict({
        owner: u.owner,
        field: u.field,
        message: `interface "${u.dev}" does not exist on the host${why}`,
      });
    } else if (u.role === 'port' && ctx.protectedIfs.has(u.dev)) {
      ctx.conflict({
        owner: u.owner,
        field: u.field,
        message: `interface "${u.dev}" is protected and cannot be enslaved to a bridge`,
      });
    } else if (u.role === 'port') {
      const taken = takenBy(ctx, u.dev);
      if (taken) ctx.conflict({ owner: u.owner, field: u.field, message: taken });
    }
  }
}

/**
 * Why the interface cannot be taken, when it is enslaved to a bridge (or bond) not this instance's:
 * another instance's (its mark names another instance) or another tool's.
 */
function takenBy(ctx: PlanContext, dev: string): string | undefined {
  const master = ctx.observedLink(null, dev)?.master;
  if (!master || ctx.linkOwner(null, master)) return undefined;
  const link = ctx.observedLink(null, master);
  const what = link?.kind === 'bridge' ? `bridge "${master}"` : `"${master}"`;
  const mark = parseMarker(link?.alias);
  const whose = mark?.instance
    ? `${what} of another ctnet instance (${mark.instance})`
    : `${what}, which ctnet does not own`;
  return `interface "${dev}" is a port of ${whose}: taking it would cut that bridge off its LAN`;
}
