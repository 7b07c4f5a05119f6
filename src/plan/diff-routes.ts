import { CTNET_PROTO, routeKey, type RouteObj } from '../model/kernel.js';
import { route } from './commands.js';
import { linkRef, type PlanContext } from './context.js';

const KERNEL_PROTO = 2;
const same = (a: RouteObj, b: RouteObj): boolean =>
  (a.dev ?? '') === (b.dev ?? '') && (a.via ?? '') === (b.via ?? '') && !!a.onlink === !!b.onlink;
const describe = (r: RouteObj): string => `${r.dst}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`;

/** Routes carry protocol 241: those are ctnet's; any other route to the same place is in the way. */
export function diffRoutes(ctx: PlanContext): void {
  for (const ns of ctx.nsRefs()) {
    if (ns !== null && ctx.deletedNs.has(ns)) continue;
    const obs = ctx.observedNs(ns).routes;
    const owned = new Map(obs.filter((r) => r.protocol === CTNET_PROTO).map((r) => [routeKey(r), r]));
    const want = ctx.desiredNs(ns).routes;
    for (const d of want) {
      const o = owned.get(routeKey(d.obj));
      const fresh = !!d.obj.dev && ctx.freshLinks.has(linkRef(ns, d.obj.dev));
      if (o && !fresh && same(o, d.obj)) continue;
      const foreign = obs.find((r) => routeKey(r) === routeKey(d.obj) && r.protocol !== CTNET_PROTO && r.protocol !== KERNEL_PROTO);
      // inside a namespace ctnet owns, another route to the same place is drift, not a foreign object
      if (!o && foreign && ns === null && !ctx.options.adopt) {
        ctx.conflict({ owner: d.owner, message: `route ${describe(foreign)} exists and is not owned by ctnet (use --adopt to take it over)` });
        continue;
      }
      const verb = o || foreign ? 'replace' : 'add';
      ctx.add({ action: o && !fresh ? 'update' : 'create', type: 'route', netns: ns, object: routeKey(d.obj), owner: d.owner,
        before: o && !fresh ? describe(o) : undefined, after: describe(d.obj), reason: o && !fresh ? `was ${describe(o)}` : fresh ? `via new link ${d.obj.dev}` : 'missing',
        disruptive: false, commands: [route(verb, ns, d.obj)] });
    }
    const wantKeys = new Set(want.map((d) => routeKey(d.obj)));
    for (const [key, o] of owned) {
      if (wantKeys.has(key) || (o.dev && (ctx.deletedLinks.has(linkRef(ns, o.dev)) || ctx.freshLinks.has(linkRef(ns, o.dev))))) continue;
      if (o.dev && ctx.goesWithNs(ns, o.dev)) continue;
      if (!ctx.inScope(ctx.linkOwner(ns, o.dev))) continue;
      ctx.add({ action: 'delete', type: 'route', netns: ns, object: key, owner: ctx.linkOwner(ns, o.dev), before: describe(o), reason: 'no longer in the manifests',
        disruptive: true, commands: [route('del', ns, o)] });
    }
  }
}
