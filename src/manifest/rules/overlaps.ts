import type { CtnetError } from '../../model/errors.js';
import { contains, cidrText, type Cidr } from '../../model/ip.js';
import type { NetworkManifest } from '../types.js';
import { errorAt, type Rule } from './helpers.js';
import { parseIp } from './ip-text.js';

const overlap = (a: Cidr, b: Cidr): boolean => contains(a, b) || contains(b, a);

const publishesOn = (r: NetworkManifest, c: NetworkManifest): boolean =>
  r.spec.type === 'routed' &&
  c.spec.type === 'custom' &&
  r.spec.uplink !== undefined &&
  r.spec.uplink === c.spec.interface;
const sameLan = (a: NetworkManifest, b: NetworkManifest): boolean => publishesOn(a, b) || publishesOn(b, a);

interface Subnet {
  readonly n: NetworkManifest;
  readonly i: number;
  readonly c: Cidr;
}

/**
 * No two subnets overlap, whatever the types of their networks: the host would get two connected
 * routes (or a connected route and host routes) to one place, and only one of them wins, so the
 * other network's containers are unreachable. A NAT subnet over a routed one would also
 * masquerade routed traffic. Each overlapping subnet is reported, naming the other network.
 * One overlap is by design: a routed network publishing on a custom network's interface takes
 * its addresses from that LAN (host routes and proxy ARP, no connected route of its own).
 */
export const overlaps: Rule = (set) => {
  const errors: CtnetError[] = [];
  const all: Subnet[] = set.networks.flatMap((n) =>
    (n.spec.subnets ?? []).flatMap((text, i) => {
      const c = text.includes('/') ? parseIp(text) : undefined;
      return c ? [{ n, i, c }] : [];
    }),
  );
  for (const a of all) {
    for (const b of all) {
      if (a === b || !overlap(a.c, b.c) || sameLan(a.n, b.n)) continue;
      const whose = a.n === b.n ? 'another subnet of the same network' : `network "${b.n.metadata.name}"`;
      const message = `subnet ${cidrText(a.c)} overlaps ${cidrText(b.c)} of ${whose}: one of them would be unreachable`;
      errors.push(errorAt(a.n, ['spec', 'subnets', a.i], message));
    }
  }
  return errors;
};
