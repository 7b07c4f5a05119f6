import type { CtnetError } from '../../model/errors.js';
import { containerNetns } from '../container-netns.js';
import { Claims, errorAt, type Rule } from './helpers.js';

/**
 * Two containers never share a namespace: each owns what is inside its own, and deleting one
 * would pull the network out from under the other. The default name is the container's name.
 */
export const netns: Rule = (set) => {
  const errors: CtnetError[] = [];
  const named = new Claims();
  const paths = new Claims();
  for (const ct of set.containers) {
    const ns = containerNetns(ct);
    const spec = ct.spec.netns;
    const path = spec === undefined ? ['metadata', 'name'] : ['spec', 'netns'];
    if (typeof spec === 'object') {
      const other = paths.claim(spec.path, ct.metadata.name);
      if (other)
        errors.push(
          errorAt(ct, ['spec', 'netns', 'path'], `namespace ${spec.path} is already used by container "${other}"`),
        );
    } else if (ns !== undefined) {
      const other = named.claim(ns, ct.metadata.name);
      // two documents of one name are unique-names' to report, once
      if (other && other !== ct.metadata.name)
        errors.push(errorAt(ct, path, `network namespace "${ns}" is already used by container "${other}"`));
    }
  }
  return errors;
};
