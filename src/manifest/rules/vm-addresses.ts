import type { CtnetError } from '../../model/errors.js';
import { errorAt, type Rule } from './helpers.js';

/**
 * A routed VM's addresses live in the guest, but the host must route them: an interface on a
 * routed network needs `addresses`, or subnets on its network to allocate them from.
 */
export const vmAddresses: Rule = (set) => {
  const errors: CtnetError[] = [];
  const nets = new Map(set.networks.map((n) => [n.metadata.name, n]));
  for (const vm of set.vms) {
    (vm.spec.interfaces ?? []).forEach((i, idx) => {
      const net = nets.get(i.network);
      if (net?.spec.type === 'routed' && i.addresses === undefined && !net.spec.subnets?.length) {
        errors.push(
          errorAt(
            vm,
            ['spec', 'interfaces', idx],
            `network "${i.network}" is routed and has no subnets to allocate from: give the interface "addresses"`,
          ),
        );
      }
    });
  }
  return errors;
};
