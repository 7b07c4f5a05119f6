import type { CtnetError } from '../../model/errors.js';
import { parseCidr } from '../../model/ip.js';
import { errorAt, type Rule } from './helpers.js';

/** Container routes: `to` is a subnet or `default`, `via` an address of the same family. */
export const routes: Rule = (set) => {
  const errors: CtnetError[] = [];
  for (const ct of set.containers) {
    (ct.spec.routes ?? []).forEach((r, i) => {
      const path = ['spec', 'routes', i];
      const to = r.to === 'default' ? undefined : parseCidr(r.to);
      if (r.to !== 'default' && !to) errors.push(errorAt(ct, [...path, 'to'], `"${r.to}" is not a subnet or "default"`));
      if (r.via === undefined) return;
      const via = parseCidr(r.via);
      if (!via || r.via.includes('/')) errors.push(errorAt(ct, [...path, 'via'], `"${r.via}" is not an IP address`));
      else if (to && to.family !== via.family) errors.push(errorAt(ct, [...path, 'via'], `next hop ${via.address} is not of the family of ${r.to}`));
    });
  }
  return errors;
};
