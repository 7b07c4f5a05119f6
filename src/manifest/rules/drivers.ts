import type { CtnetError } from '../../model/errors.js';
import type { NetworkType } from '../types.js';
import { attachments, errorAt, networksByName, type Rule } from './helpers.js';

type Attacher = 'vnet' | 'ipnet' | 'vm';

/** Which network types each driver can attach to (seed: kleene-networking, Virtuozzo). */
const ATTACHES_TO: Record<Attacher, readonly NetworkType[]> = {
  vnet: ['routed', 'bridge'],
  vm: ['routed', 'bridge'],
  ipnet: ['loopback', 'bridge', 'custom'],
};

/** What each one can do, in words that list every valid choice. */
const VALID: Record<Attacher, string> = {
  vnet: 'a vnet container attaches to routed or bridge networks, or passes a device through',
  vm: 'a VM attaches to routed or bridge networks',
  ipnet:
    'an ipnet container adds its addresses to loopback, bridge or custom networks (a routed network needs an interface of its own: use driver vnet)',
};

const article = (t: NetworkType): string => (t === 'routed' ? 'a routed' : `a ${t}`);

/**
 * What a driver can attach to: vnet containers and VMs to routed or bridge networks, ipnet
 * containers to the host's own networks. Every refusal lists what is valid. Fields a driver does
 * not take at all (interfaces of host and disabled containers, an ipnet device) are the schema's
 * to reject, by name; an ipnet interface needs addresses, since nothing allocates them yet.
 */
export const drivers: Rule = (set) => {
  const errors: CtnetError[] = [];
  const nets = networksByName(set);
  for (const a of attachments(set)) {
    const d = a.m.kind === 'Container' ? (a.m.spec.driver ?? 'vnet') : 'vm';
    if (d === 'host' || d === 'disabled') continue;
    const net = a.network === undefined ? undefined : nets.get(a.network);
    if (net && !ATTACHES_TO[d].includes(net.spec.type)) {
      errors.push(
        errorAt(
          a.m,
          [...a.path, 'network'],
          `network "${net.metadata.name}" is ${article(net.spec.type)} network: ${VALID[d]}`,
        ),
      );
    }
    if (d === 'ipnet' && a.network !== undefined && !a.addresses.length) {
      errors.push(
        errorAt(
          a.m,
          a.path,
          'an ipnet interface needs "addresses": the container uses them on the host\'s interface of the network',
        ),
      );
    }
  }
  return errors;
};
