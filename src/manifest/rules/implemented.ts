import type { CtnetError } from '../../model/errors.js';
import { errorAt, type Rule } from './helpers.js';

/**
 * Parts of the format this version cannot build yet. Accepting them and doing nothing would
 * leave a production host silently unlike its manifests, so they are rejected by name.
 */
export const implemented: Rule = (set) => {
  const errors: CtnetError[] = [];
  const todo = (m: Parameters<typeof errorAt>[0], path: (string | number)[], what: string): void => {
    errors.push(errorAt(m, path, `${what} is not implemented in this version of ctnet`));
  };
  const routed = new Set(set.networks.filter((n) => n.spec.type === 'routed').map((n) => n.metadata.name));
  for (const vm of set.vms) {
    // a bridged guest configures its own addresses; a routed one needs the host to route them
    (vm.spec.interfaces ?? []).forEach((i, idx) => {
      if (routed.has(i.network) && !(i.addresses ?? []).length) todo(vm, ['spec', 'interfaces', idx], 'automatic address allocation');
    });
  }
  return errors;
};
