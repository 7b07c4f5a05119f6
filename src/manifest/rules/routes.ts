import type { CtnetError } from '../../model/errors.js';
import { errorAt, type Rule } from './helpers.js';
import { ipProblem, parseIp } from './ip-text.js';

/**
 * Container routes: `to` is a subnet (host bits clear), a host address or `default`; `via` an
 * address without prefix, of the family of `to`.
 */
export const routes: Rule = (set) => {
  const errors: CtnetError[] = [];
  for (const ct of set.containers) {
    (ct.spec.routes ?? []).forEach((r, i) => {
      const path = ['spec', 'routes', i];
      const toProblem = ipProblem(r.to, 'route');
      if (toProblem) errors.push(errorAt(ct, [...path, 'to'], toProblem));
      if (r.via === undefined) return;
      const viaProblem = ipProblem(r.via, 'host');
      const to = r.to === 'default' ? undefined : parseIp(r.to);
      const via = parseIp(r.via);
      if (viaProblem) errors.push(errorAt(ct, [...path, 'via'], viaProblem));
      else if (to && via && to.family !== via.family) errors.push(errorAt(ct, [...path, 'via'], `next hop ${via.address} is not of the family of ${r.to}`));
    });
  }
  return errors;
};
