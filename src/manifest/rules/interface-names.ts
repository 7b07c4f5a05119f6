import type { CtnetError } from '../../model/errors.js';
import { errorAt, type Rule } from './helpers.js';

/**
 * Interface names are unique inside a container (an unnamed one is `eth<index>`, so a later
 * explicit `eth0` collides with it too). VM taps are host names: host-names covers them.
 */
export const interfaceNames: Rule = (set) => {
  const errors: CtnetError[] = [];
  for (const ct of set.containers) {
    // ipnet entries live in the host's stack: their names are optional labels, with no default
    const ipnet = ct.spec.driver === 'ipnet';
    const seen = new Set<string>();
    (ct.spec.interfaces ?? []).forEach((i, n) => {
      const name = i.name ?? (ipnet ? undefined : `eth${n}`);
      if (name === undefined) return;
      const path = i.name === undefined ? ['spec', 'interfaces', n] : ['spec', 'interfaces', n, 'name'];
      if (seen.has(name))
        errors.push(errorAt(ct, path, `duplicate interface name "${name}" in Container "${ct.metadata.name}"`));
      seen.add(name);
    });
  }
  return errors;
};
