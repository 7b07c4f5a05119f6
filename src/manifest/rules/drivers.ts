import type { CtnetError } from '../../model/errors.js';
import type { NetworkType } from '../types.js';
import { attachments, errorAt, networksByName, type Rule } from './helpers.js';

type Attacher = 'vnet' | 'ipnet' | 'host' | 'disabled' | 'vm';

/** Which network types each driver can attach to (seed: kleene-networking, Virtuozzo). */
const ATTACHES_TO: Record<Attacher, readonly NetworkType[]> = {
  vnet: ['routed', 'bridge'],
  vm: ['routed', 'bridge'],
  ipnet: ['loopback', 'bridge', 'custom'],
  host: [],
  disabled: [],
};

const what = (d: Attacher): string => (d === 'vm' ? 'a VM' : d === 'ipnet' ? 'an ipnet container' : `a ${d} container`);

/**
 * What a driver can build: host and disabled take no interfaces, ipnet only adds addresses to
 * host networks (no device), vnet and VMs attach to routed or bridge networks.
 */
export const drivers: Rule = (set) => {
  const errors: CtnetError[] = [];
  const nets = networksByName(set);
  for (const ct of set.containers) {
    const d = ct.spec.driver ?? 'vnet';
    if ((d === 'host' || d === 'disabled') && (ct.spec.interfaces ?? []).length) {
      errors.push(errorAt(ct, ['spec', 'interfaces'], `driver "${d}" takes no interfaces`));
    }
  }
  for (const a of attachments(set)) {
    const d: Attacher = a.m.kind === 'Container' ? (a.m.spec.driver ?? 'vnet') : 'vm';
    if (d === 'host' || d === 'disabled') continue;
    if (a.device !== undefined && a.network === undefined && d !== 'vnet') {
      errors.push(errorAt(a.m, [...a.path, 'device'], `device passthrough needs driver "vnet", not "${d}"`));
    }
    const net = a.network === undefined ? undefined : nets.get(a.network);
    if (net && !ATTACHES_TO[d].includes(net.spec.type)) {
      errors.push(errorAt(a.m, [...a.path, 'network'], `network "${net.metadata.name}" is of type ${net.spec.type}; ${what(d)} attaches to ${ATTACHES_TO[d].join(', ')} networks`));
    }
  }
  return errors;
};
