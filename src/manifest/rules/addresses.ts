import type { CtnetError } from '../../model/errors.js';
import { contains, parseCidr, type Cidr } from '../../model/ip.js';
import type { NetworkManifest } from '../types.js';
import { attachments, errorAt, type Rule } from './helpers.js';

const gateways = (n: NetworkManifest): readonly string[] => {
  const g = n.spec.gateway;
  return g === undefined ? [] : typeof g === 'string' ? [g] : g;
};

/** Subnets and gateways parse, and gateways lie inside the network's subnets. */
function networkAddresses(n: NetworkManifest, errors: CtnetError[]): Cidr[] {
  const subnets: Cidr[] = [];
  (n.spec.subnets ?? []).forEach((s, i) => {
    const c = s.includes('/') ? parseCidr(s) : undefined;
    if (!c) errors.push(errorAt(n, ['spec', 'subnets', i], `"${s}" is not a subnet (address/prefix)`));
    else subnets.push(c);
  });
  const gwPath = (i: number) => (typeof n.spec.gateway === 'string' ? ['spec', 'gateway'] : ['spec', 'gateway', i]);
  gateways(n).forEach((g, i) => {
    const c = parseCidr(g);
    if (!c) errors.push(errorAt(n, gwPath(i), `"${g}" is not an IP address`));
    else if (subnets.some((s) => s.family === c.family) && !subnets.some((s) => contains(s, c))) {
      errors.push(errorAt(n, gwPath(i), `gateway ${c.address} is outside the subnets of network "${n.metadata.name}"`));
    }
  });
  return subnets;
}

/** Addresses parse, fit their network, are host addresses on routed networks, and are used once. */
export const addresses: Rule = (set) => {
  const errors: CtnetError[] = [];
  const nets = new Map(set.networks.map((n) => [n.metadata.name, { n, subnets: networkAddresses(n, errors) }]));
  const used = new Map<string, string>();
  for (const n of set.networks) for (const g of gateways(n)) {
    const c = parseCidr(g);
    if (c) used.set(c.address, `the gateway of network "${n.metadata.name}"`);
  }
  for (const a of attachments(set)) {
    const net = a.network ? nets.get(a.network) : undefined;
    a.addresses.forEach((text, i) => {
      const path = [...a.path, 'addresses', i];
      const c = parseCidr(text);
      if (!c) return void errors.push(errorAt(a.m, path, `"${text}" is not an IP address`));
      if (net?.n.spec.type === 'routed' && text.includes('/') && c.prefix !== (c.family === 4 ? 32 : 128)) {
        errors.push(errorAt(a.m, path, `"${text}": addresses on routed network "${net.n.metadata.name}" are host addresses (/32, /128)`));
      }
      if (net && net.subnets.length && !net.subnets.some((s) => contains(s, c))) {
        errors.push(errorAt(a.m, path, `${c.address} is outside the subnets of network "${net.n.metadata.name}" (${net.n.spec.subnets!.join(', ')})`));
      }
      const who = `${a.m.kind} "${a.m.metadata.name}"`;
      const other = used.get(c.address);
      if (other) errors.push(errorAt(a.m, path, `duplicate address ${c.address}: already used by ${other}`));
      else used.set(c.address, who);
    });
  }
  return errors;
};
