import type { CtnetError } from '../../model/errors.js';
import { contains } from '../../model/ip.js';
import { attachments, errorAt, networksByName, subnetsOf, type Rule } from './helpers.js';
import { ipProblem, parseIp } from './ip-text.js';

/**
 * Each interface address parses (no zone suffix), lies inside its network's subnets (when it has any), and is a
 * host address on a routed network: a routed interface is point-to-point, a prefix there would
 * claim a whole subnet for one container.
 */
export const addresses: Rule = (set) => {
  const errors: CtnetError[] = [];
  const nets = networksByName(set);
  for (const a of attachments(set)) {
    const net = a.network === undefined ? undefined : nets.get(a.network);
    const subnets = net ? subnetsOf(net) : [];
    a.addresses.forEach((text, i) => {
      const path = [...a.path, 'addresses', i];
      const problem = ipProblem(text, 'address');
      const c = parseIp(text);
      if (problem || !c) return void errors.push(errorAt(a.m, path, problem ?? `"${text}" is not an IP address`));
      if (!net) return;
      const name = net.metadata.name;
      if (net.spec.type === 'routed' && c.prefix !== (c.family === 4 ? 32 : 128)) {
        errors.push(
          errorAt(a.m, path, `"${text}": addresses on routed network "${name}" are host addresses (/32, /128)`),
        );
      }
      if (subnets.length && !subnets.some((s) => contains(s, c))) {
        errors.push(
          errorAt(
            a.m,
            path,
            `${c.address} is outside the subnets of network "${name}" (${(net.spec.subnets ?? []).join(', ')})`,
          ),
        );
      }
    });
  }
  return errors;
};
