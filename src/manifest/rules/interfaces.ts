import type { CtnetError } from '../../model/errors.js';
import { isMulticastMac } from '../../model/ip.js';
import { attachments, errorAt, type Rule } from './helpers.js';

const badName = (n: string | undefined): boolean => n === '.' || n === '..';

/** Interface names unique per container, usable MACs, each device and uplink claimed once. */
export const interfaces: Rule = (set) => {
  const errors: CtnetError[] = [];
  const names = new Map<string, Set<string>>();
  const devices = new Map<string, string>();
  for (const a of attachments(set)) {
    const key = `${a.m.kind}/${a.m.metadata.name}`;
    const seen = names.get(key) ?? new Set<string>();
    names.set(key, seen);
    const idx = a.path[2] as number;
    const name = a.name ?? (a.m.kind === 'Container' ? `eth${idx}` : undefined);
    if (badName(a.name)) errors.push(errorAt(a.m, [...a.path, 'name'], `"${a.name}" is not a valid interface name`));
    if (name !== undefined && seen.has(name)) errors.push(errorAt(a.m, [...a.path, 'name'], `duplicate interface name "${name}" in ${a.m.kind} "${a.m.metadata.name}"`));
    if (name !== undefined) seen.add(name);
    if (a.mac !== undefined) {
      if (/^(00:){5}00$/.test(a.mac)) errors.push(errorAt(a.m, [...a.path, 'mac'], `"${a.mac}" is the all-zero MAC address`));
      else if (isMulticastMac(a.mac)) errors.push(errorAt(a.m, [...a.path, 'mac'], `"${a.mac}" is a multicast MAC address`));
    }
    if (a.device !== undefined) {
      const other = devices.get(a.device);
      if (other) errors.push(errorAt(a.m, [...a.path, 'device'], `device "${a.device}" is already claimed by ${other}`));
      else devices.set(a.device, `${a.m.kind} "${a.m.metadata.name}"`);
    }
  }
  const uplinks = new Map<string, string>();
  for (const n of set.networks) {
    const up = n.spec.type === 'bridge' ? n.spec.uplink : undefined;
    if (!up) continue;
    const other = uplinks.get(up) ?? devices.get(up);
    if (other) errors.push(errorAt(n, ['spec', 'uplink'], `interface "${up}" is already claimed by ${other}`));
    else uplinks.set(up, `network "${n.metadata.name}"`);
  }
  for (const h of set.hosts) {
    for (const [i, p] of (h.spec.protectedInterfaces ?? []).entries()) {
      const claim = devices.get(p) ?? uplinks.get(p);
      if (claim) errors.push(errorAt(h, ['spec', 'protectedInterfaces', i], `protected interface "${p}" is claimed by ${claim}`));
    }
  }
  return errors;
};
