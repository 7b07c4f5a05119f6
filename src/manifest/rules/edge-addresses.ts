import type { CtnetError } from '../../model/errors.js';
import { formatAddress, hostMask, networkOf, type Cidr } from '../../model/ip.js';
import { attachments, errorAt, gateways, networksByName, subnetsOf, type Rule } from './helpers.js';
import { parseIp } from './ip-text.js';

/** `network` or `broadcast` when `c` is that address of a /30-or-shorter IPv4 prefix `within`. */
function edgeOf(c: Cidr, within: Cidr): string | undefined {
  if (c.family !== 4 || within.family !== 4 || within.prefix >= 31) return undefined;
  const net = networkOf(within);
  if ((c.value & ~hostMask(4, within.prefix)) !== net) return undefined;
  const where = `${formatAddress(4, net)}/${within.prefix}`;
  if (c.value === net) return `${c.address} is the network address of ${where}`;
  if (c.value === (net | hostMask(4, within.prefix))) return `${c.address} is the broadcast address of ${where}`;
  return undefined;
}

/**
 * An IPv4 network or broadcast address is no host's (RFC 919/922; /31 and /32 have none, RFC
 * 3021): the kernel takes `10.202.255.255/16` on an interface, and nothing reaches it. Checked
 * against the prefix written and against every subnet of the network, so a routed /32 equal to
 * its subnet's broadcast address and a gateway are refused alike.
 */
export const edgeAddresses: Rule = (set) => {
  const errors: CtnetError[] = [];
  const nets = networksByName(set);
  for (const n of set.networks) {
    const subnets = subnetsOf(n);
    for (const g of gateways(n)) {
      const c = parseIp(g.text);
      const edge = c && subnets.map((s) => edgeOf(c, s)).find((e) => e);
      if (edge) errors.push(errorAt(n, g.path, `gateway ${edge}: it is no host's address`));
    }
  }
  for (const a of attachments(set)) {
    const net = a.network === undefined ? undefined : nets.get(a.network);
    const subnets = net ? subnetsOf(net) : [];
    a.addresses.forEach((text, i) => {
      const c = parseIp(text);
      if (!c) return;
      const edge = [c, ...subnets].map((s) => edgeOf(c, s)).find((e) => e);
      if (edge) errors.push(errorAt(a.m, [...a.path, 'addresses', i], `${edge}: it is no host's address`));
    });
  }
  return errors;
};
