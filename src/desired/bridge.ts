import { CTNET_PROTO } from '../model/kernel.js';
import { contains, parseCidr, type Cidr } from '../model/ip.js';
import type { NetworkManifest } from '../manifest/types.js';
import type { NsBuilder } from './ns-builder.js';
import type { Attachment } from './routed.js';
import { bridgeName, ownerAlias } from './names.js';

export const bridgeOf = (net: NetworkManifest): string => net.spec.bridge ?? bridgeName(net.metadata.name);

const subnetsOf = (net: NetworkManifest): Cidr[] => (net.spec.subnets ?? []).map((s) => parseCidr(s)!);

/** An address as given, or with the prefix of the subnet that holds it. */
export function withSubnetPrefix(net: NetworkManifest, text: string): Cidr {
  const c = parseCidr(text)!;
  if (text.includes('/')) return c;
  const sub = subnetsOf(net).find((s) => contains(s, c));
  return sub ? { ...c, prefix: sub.prefix } : c;
}

export function gatewaysOf(net: NetworkManifest): Cidr[] {
  const g = net.spec.gateway;
  const list = g === undefined ? [] : typeof g === 'string' ? [g] : g;
  return list.map((t) => withSubnetPrefix(net, t));
}

/** The bridge itself, its gateway addresses, and the uplink enslaved as a port. */
export function buildBridge(net: NetworkManifest, host: NsBuilder): void {
  const owner = `network/${net.metadata.name}`;
  const br = bridgeOf(net);
  host.link(owner, { name: br, kind: 'bridge', alias: ownerAlias(owner), up: true, mtu: net.spec.mtu });
  for (const g of gatewaysOf(net)) host.address(owner, { dev: br, family: g.family, cidr: `${g.address}/${g.prefix}` });
  if (net.spec.uplink) host.link(owner, { name: net.spec.uplink, kind: 'device', master: br });
}

/** OpenVZ veth / Virtuozzo bridged: a veth whose host end is a bridge port. */
export function attachBridged(net: NetworkManifest, a: Attachment, host: NsBuilder, ns: NsBuilder): void {
  const alias = ownerAlias(a.owner);
  const mtu = a.mtu ?? net.spec.mtu;
  const br = bridgeOf(net);
  host.link(a.owner, { name: a.hostName, kind: 'veth', alias, up: true, mtu, master: br, peer: { name: a.ifname, netns: a.netns } });
  ns.link(a.owner, { name: a.ifname, kind: 'veth', alias, up: true, mtu, mac: a.mac, peer: { name: a.hostName, netns: null } });
  const cidrs = a.addresses.map((t) => withSubnetPrefix(net, t));
  for (const c of cidrs) ns.address(a.owner, { dev: a.ifname, family: c.family, cidr: `${c.address}/${c.prefix}` });
  for (const family of [4, 6] as const) {
    const gw = gatewaysOf(net).find((g) => g.family === family);
    if (gw && cidrs.some((c) => c.family === family)) {
      ns.route(a.owner, { family, dst: 'default', via: gw.address, dev: a.ifname, protocol: CTNET_PROTO });
    }
  }
}
