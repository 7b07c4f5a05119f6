import type { CtnetError } from '../../model/errors.js';
import { routeHop } from '../route-hop.js';
import type { RouteSpec } from '../types.js';
import { errorAt, networksByName, type Rule } from './helpers.js';
import { ipProblem, parseIp } from './ip-text.js';

/** `via` is sound and of the family of `to`: only then is where it leads worth asking. */
function sameFamily(r: RouteSpec): boolean {
  if (r.via === undefined) return true;
  const via = ipProblem(r.via, 'host') ? undefined : parseIp(r.via);
  return !!via && (r.to === 'default' || parseIp(r.to)?.family === via.family);
}

/**
 * Container routes: `to` is a subnet (host bits clear), a host address or `default`; `via` an
 * address without prefix, of the family of `to`, that the container can reach (route-hop.ts):
 * the kernel refuses an unreachable next hop part-way through an apply.
 */
export const routes: Rule = (set) => {
  const errors: CtnetError[] = [];
  const nets = networksByName(set);
  for (const ct of set.containers) {
    // routes of other drivers are the schema's to refuse
    const vnet = (ct.spec.driver ?? 'vnet') === 'vnet';
    (ct.spec.routes ?? []).forEach((r, i) => {
      const path = ['spec', 'routes', i];
      const toProblem = ipProblem(r.to, 'route');
      if (toProblem) errors.push(errorAt(ct, [...path, 'to'], toProblem));
      const hop = vnet && !toProblem && sameFamily(r) ? routeHop(ct, nets, r) : {};
      if ('error' in hop) errors.push(errorAt(ct, [...path, ...hop.error.path], hop.error.message));
      if (r.via === undefined) return;
      const viaProblem = ipProblem(r.via, 'host');
      const to = r.to === 'default' ? undefined : parseIp(r.to);
      const via = parseIp(r.via);
      if (viaProblem) errors.push(errorAt(ct, [...path, 'via'], viaProblem));
      else if (to && via && to.family !== via.family)
        errors.push(errorAt(ct, [...path, 'via'], `next hop ${via.address} is not of the family of ${r.to}`));
    });
  }
  return errors;
};
