import { parseCidr } from '../model/ip.js';
import type { ContainerInterface } from '../manifest/types.js';
import type { DesiredBuilder } from './builder.js';

/**
 * OpenVZ's "real network device": the host NIC `itf.device` moves into the container as
 * `ifname`, with the interface's addresses (prefix as written; a bare address is a host route).
 */
export function passThrough(
  owner: string,
  netns: string,
  ifname: string,
  itf: ContainerInterface,
  index: number,
  b: DesiredBuilder,
): void {
  const dev = { name: ifname, host: itf.device!, mtu: itf.mtu, mac: itf.mac?.toLowerCase(), up: true };
  b.add('device', netns, owner, dev, `spec.interfaces[${index}].device`);
  for (const text of itf.addresses ?? []) {
    const c = parseCidr(text)!;
    b.add('address', netns, owner, { dev: ifname, family: c.family, cidr: `${c.address}/${c.prefix}` });
  }
}
