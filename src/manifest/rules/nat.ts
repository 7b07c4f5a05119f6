import type { CtnetError } from '../../model/errors.js';
import { contains } from '../../model/ip.js';
import { attachments, errorAt, networksByName, subnetsOf, type Rule } from './helpers.js';
import { parseIp } from './ip-text.js';

/**
 * `nat: true` masquerades the network's IPv4 subnets (model/nat.ts). Without an IPv4 subnet it
 * would do nothing, silently. And since the rule matches by source subnet, a routed address
 * inside a NAT subnet would be masqueraded: routed containers keep their source (SPEC §1), so
 * such an address is refused instead (overlapping subnets are overlaps.ts').
 */
export const nat: Rule = (set) => {
  const errors: CtnetError[] = [];
  const natNets = set.networks.filter((n) => n.spec.type === 'bridge' && n.spec.nat);
  const nets = networksByName(set);
  for (const n of natNets) {
    if (!subnetsOf(n).some((s) => s.family === 4)) {
      errors.push(
        errorAt(
          n,
          ['spec', 'nat'],
          `NAT masquerades IPv4 traffic from the network's subnets, and network "${n.metadata.name}" has no IPv4 subnet`,
        ),
      );
    }
  }
  for (const a of attachments(set)) {
    if (a.network === undefined || nets.get(a.network)?.spec.type !== 'routed') continue;
    a.addresses.forEach((text, i) => {
      const c = parseIp(text);
      const n = c && natNets.find((x) => subnetsOf(x).some((s) => contains(s, c)));
      if (n)
        errors.push(
          errorAt(
            a.m,
            [...a.path, 'addresses', i],
            `${c.address} is a routed address inside the NAT subnets of network "${n.metadata.name}": routed traffic is never masqueraded`,
          ),
        );
    });
  }
  return errors;
};
