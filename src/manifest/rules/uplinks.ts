import type { CtnetError } from '../../model/errors.js';
import { Claims, errorAt, type Rule } from './helpers.js';

/**
 * A bridge's uplink becomes a port of that bridge: no other network can use it, neither as its
 * own bridge port nor as a routed uplink (proxy entries on an enslaved port never answer).
 * Routed networks may share an uplink among themselves: publishing is per address. A custom
 * network's interface may be a routed uplink, never a bridge port.
 */
export const uplinks: Rule = (set) => {
  const errors: CtnetError[] = [];
  const enslaved = new Claims();
  for (const n of set.networks) {
    if (n.spec.type !== 'bridge' || n.spec.uplink === undefined) continue;
    const other = enslaved.claim(n.spec.uplink, `network "${n.metadata.name}"`);
    if (other)
      errors.push(errorAt(n, ['spec', 'uplink'], `interface "${n.spec.uplink}" is already claimed by ${other}`));
  }
  for (const n of set.networks) {
    if (n.spec.type !== 'routed' || n.spec.uplink === undefined) continue;
    const other = enslaved.get(n.spec.uplink);
    if (other)
      errors.push(
        errorAt(
          n,
          ['spec', 'uplink'],
          `interface "${n.spec.uplink}" is a port of the bridge of ${other}; it cannot also be a routed uplink`,
        ),
      );
  }
  // an enslaved port's addresses are not reachable: a custom network's interface must stay free
  for (const n of set.networks) {
    if (n.spec.type !== 'custom' || n.spec.interface === undefined) continue;
    const other = enslaved.get(n.spec.interface);
    if (other)
      errors.push(
        errorAt(
          n,
          ['spec', 'interface'],
          `interface "${n.spec.interface}" is a port of the bridge of ${other}; it cannot also be a custom network's interface`,
        ),
      );
  }
  return errors;
};
