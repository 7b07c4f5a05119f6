import type { NetworkManifest } from '../manifest/types.js';
import { cidrText, parseCidr } from '../model/ip.js';
import type { NatNetwork } from '../model/nat.js';
import type { DesiredBuilder } from './builder.js';
import { bridgeOf } from './bridge.js';
import { ownerOf } from './owner.js';

/**
 * A bridge network with `nat: true`: its share of the host's nftables table (masquerade of its
 * IPv4 subnets, model/nat.ts) and forwarding, which the host needs to pass the bridge's packets
 * on to another interface at all. The sysctl is recorded like every other one, so destroy puts
 * back the value found before.
 */
export function natOf(net: NetworkManifest, b: DesiredBuilder): NatNetwork | undefined {
  if (net.spec.type !== 'bridge' || !net.spec.nat) return undefined;
  b.add('sysctl', null, ownerOf(net), { key: 'net.ipv4.ip_forward', value: '1' });
  // masquerade is IPv4 only here; the manifest rules require an IPv4 subnet on a NAT network
  const subnets = (net.spec.subnets ?? [])
    .map((s) => parseCidr(s)!)
    .filter((c) => c.family === 4)
    .map(cidrText);
  return { bridge: bridgeOf(net), subnets };
}
