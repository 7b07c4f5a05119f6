import { CTNET_PROTO, neighborKey } from '../model/kernel.js';
import { neighbor } from './commands.js';
import type { PlanContext } from './context.js';

/** Proxy ARP/NDP entries that publish routed addresses on the uplink (host namespace only). */
export function diffNeighbors(ctx: PlanContext): void {
  const obs = ctx.observed.host.neighbors;
  const byKey = new Map(obs.map((n) => [neighborKey(n), n]));
  const want = ctx.desired.host.neighbors;
  for (const d of want) {
    const o = byKey.get(neighborKey(d.obj));
    if (o?.protocol === CTNET_PROTO) continue;
    if (o && !ctx.options.adopt) {
      ctx.conflict({ owner: d.owner, message: `proxy entry ${d.obj.dst} on "${d.obj.dev}" exists and is not owned by ctnet (use --adopt to take it over)` });
      continue;
    }
    ctx.add({ action: 'create', type: 'neighbor', netns: null, object: neighborKey(d.obj), owner: d.owner, after: d.obj,
      reason: `publish ${d.obj.dst} on ${d.obj.dev}`, disruptive: false, commands: [neighbor(o ? 'replace' : 'add', null, d.obj)] });
  }
  const wantKeys = new Set(want.map((d) => neighborKey(d.obj)));
  for (const o of obs) {
    const key = neighborKey(o);
    if (o.protocol !== CTNET_PROTO || wantKeys.has(key)) continue;
    // the owner is whoever the published address is routed to
    const via = ctx.observed.host.routes.find((r) => r.protocol === CTNET_PROTO && r.dst.split('/')[0] === o.dst);
    const owner = ctx.linkOwner(null, via?.dev);
    if (!ctx.inScope(owner)) continue;
    ctx.add({ action: 'delete', type: 'neighbor', netns: null, object: key, owner, before: o, reason: `${o.dst} is no longer published`,
      disruptive: true, commands: [neighbor('del', null, o)] });
  }
}
