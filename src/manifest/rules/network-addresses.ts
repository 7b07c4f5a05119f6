import type { CtnetError } from '../../model/errors.js';
import { contains } from '../../model/ip.js';
import { errorAt, gateways, subnetsOf, type Rule } from './helpers.js';
import { ipProblem, parseIp } from './ip-text.js';

/**
 * A network's subnets are address/prefix with the host bits clear, and its gateways parse and
 * lie inside them. A bare address would silently mean a /32 network with room for nothing.
 */
export const networkAddresses: Rule = (set) => {
  const errors: CtnetError[] = [];
  for (const n of set.networks) {
    (n.spec.subnets ?? []).forEach((s, i) => {
      const problem = ipProblem(s, 'subnet');
      if (problem) errors.push(errorAt(n, ['spec', 'subnets', i], problem));
    });
    const subnets = subnetsOf(n);
    for (const g of gateways(n)) {
      const problem = ipProblem(g.text, 'address');
      const c = parseIp(g.text);
      if (problem || !c) {
        errors.push(errorAt(n, g.path, problem ?? `"${g.text}" is not an IP address`));
      } else if (subnets.some((s) => s.family === c.family) && !subnets.some((s) => contains(s, c))) {
        // only subnets of its own family bind a gateway: an IPv6 gateway on an IPv4-only network is free
        errors.push(
          errorAt(
            n,
            g.path,
            `gateway ${c.address} is outside the subnets of network "${n.metadata.name}" (${(n.spec.subnets ?? []).join(', ')})`,
          ),
        );
      }
    }
  }
  return errors;
};
