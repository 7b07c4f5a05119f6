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

const what = (d: Attacher): string => (d === 'vm' ? 'a VM' : d === 'ipnet' ? 'an ipnet container' : `a ${d} container`);

/**
 * What a driver can attach to: vnet containers and VMs to routed or bridge networks, ipnet
 * containers to host networks. Fields a driver does not take at all (interfaces of host and
 * disabled containers, an ipnet device) are the schema's to reject, by name.
 */
export const drivers: Rule = (set) => {
  const errors: CtnetError[] = [];
  const nets = networksByName(set);
  for (const a of attachments(set)) {
    const d = a.m.kind === 'Container' ? (a.m.spec.driver ?? 'vnet') : 'vm';
    if (d === 'host' || d === 'disabled') continue;
    const net = a.network === undefined ? undefined : nets.get(a.network);
    if (net && !ATTACHES_TO[d].includes(net.spec.type)) {
      errors.push(errorAt(a.m, [...a.path, 'network'], `network "${net.metadata.name}" is of type ${net.spec.type}; ${what(d)} attaches to ${ATTACHES_TO[d].join(', ')} networks`));
    }
  }
  return errors;
};
