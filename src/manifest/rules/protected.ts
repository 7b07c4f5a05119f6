import type { CtnetError } from '../../model/errors.js';
import { attachments, errorAt, label, type Rule } from './helpers.js';

/**
 * A protected interface is never enslaved or moved: no bridge uplink and no passthrough device
 * may name it. Publishing on it as a routed uplink is allowed (SPEC §2).
 */
export const protectedInterfaces: Rule = (set) => {
  const errors: CtnetError[] = [];
  const claims = new Map<string, string>();
  for (const n of set.networks) {
    if (n.spec.type === 'bridge' && n.spec.uplink !== undefined && !claims.has(n.spec.uplink))
      claims.set(n.spec.uplink, `network "${n.metadata.name}"`);
  }
  for (const a of attachments(set)) {
    if (a.device !== undefined && !claims.has(a.device)) claims.set(a.device, label(a.m));
  }
  for (const h of set.hosts) {
    (h.spec.protectedInterfaces ?? []).forEach((p, i) => {
      const claim = claims.get(p);
      if (claim)
        errors.push(
          errorAt(h, ['spec', 'protectedInterfaces', i], `protected interface "${p}" is claimed by ${claim}`),
        );
    });
  }
  return errors;
};
