import type { CtnetError } from '../../model/errors.js';
import { attachments, Claims, errorAt, label, type Rule } from './helpers.js';

/**
 * A passed-through device leaves the host: it can go to one container only, and not be an
 * interface a network uses on the host (an uplink, a custom network's interface).
 */
export const devices: Rule = (set) => {
  const errors: CtnetError[] = [];
  const hostUse = new Map<string, string>();
  for (const n of set.networks) {
    for (const dev of [n.spec.uplink, n.spec.type === 'custom' ? n.spec.interface : undefined]) {
      if (dev !== undefined && !hostUse.has(dev)) hostUse.set(dev, `network "${n.metadata.name}"`);
    }
  }
  const claims = new Claims();
  for (const a of attachments(set)) {
    if (a.device === undefined) continue;
    const path = [...a.path, 'device'];
    const other = claims.claim(a.device, label(a.m)) ?? hostUse.get(a.device);
    if (other) errors.push(errorAt(a.m, path, `device "${a.device}" is already claimed by ${other}`));
  }
  return errors;
};
