import type { CtnetError } from '../../model/errors.js';
import type { NetworkType } from '../types.js';
import { attachments, errorAt, type Rule } from './helpers.js';

const VNET_TYPES: readonly NetworkType[] = ['routed', 'bridge'];
const IPNET_TYPES: readonly NetworkType[] = ['loopback', 'bridge', 'custom'];

/** Interfaces name a network that exists and suits the container's driver, or a device. */
export const references: Rule = (set) => {
  const errors: CtnetError[] = [];
  const nets = new Map(set.networks.map((n) => [n.metadata.name, n]));
  for (const a of attachments(set)) {
    const driver = a.m.kind === 'Container' ? (a.m.spec.driver ?? 'vnet') : 'vm';
    if (driver === 'host' || driver === 'disabled') {
      errors.push(errorAt(a.m, ['spec', 'interfaces'], `driver "${driver}" takes no interfaces`));
      continue;
    }
    if (a.network !== undefined && a.device !== undefined) {
      errors.push(errorAt(a.m, [...a.path, 'device'], 'an interface takes either "network" or "device", not both'));
      continue;
    }
    if (a.device !== undefined) {
      if (driver !== 'vnet') errors.push(errorAt(a.m, [...a.path, 'device'], `device passthrough needs driver "vnet", not "${driver}"`));
      continue;
    }
    if (a.network === undefined) {
      errors.push(errorAt(a.m, a.path, 'an interface needs "network" (or "device" for passthrough)'));
      continue;
    }
    const net = nets.get(a.network);
    if (!net) {
      errors.push(errorAt(a.m, [...a.path, 'network'], `unknown network "${a.network}"`));
      continue;
    }
    const allowed = driver === 'ipnet' ? IPNET_TYPES : VNET_TYPES;
    if (!allowed.includes(net.spec.type)) {
      errors.push(errorAt(a.m, [...a.path, 'network'], `network "${a.network}" is of type ${net.spec.type}; a ${driver === 'vm' ? 'VM' : `${driver} container`} attaches to ${allowed.join(' or ')} networks`));
    }
  }
  return errors;
};
