import { CTNET_PROTO } from '../model/kernel.js';
import { contains, parseCidr, type Cidr } from '../model/ip.js';
import type { FleetView, NetworkManifest } from '../manifest/types.js';
import { buildTunnel, holdsGateway } from './vxlan.js';
import type { DesiredBuilder } from './builder.js';
import { DEFAULT_MTU, type Attachment } from './routed.js';
import { bridgeName } from '../model/names.js';

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

/** The bridge itself, its gateway addresses, and the uplink enslaved as a port (a foreign link). */
export function buildBridge(net: NetworkManifest, b: DesiredBuilder, fleet?: FleetView): void {
  const owner = `network/${net.metadata.name}`;
  const br = bridgeOf(net);
  // without a declared mtu the kernel keeps a bridge at its smallest port's: that is not drift
  b.add('link', null, owner, { name: br, kind: 'bridge', up: true, mtu: net.spec.mtu });
  if (fleet) buildTunnel(net, br, fleet, b);
  // one node holds a spanning network's gateway: the others reach it over the tunnel
  const held = holdsGateway(net, fleet) ? gatewaysOf(net) : [];
  for (const g of held) b.add('address', null, owner, { dev: br, family: g.family, cidr: `${g.address}/${g.prefix}` });
  if (net.spec.uplink) b.add('port', null, owner, { name: net.spec.uplink, master: br, up: true });
}

/** OpenVZ veth / Virtuozzo bridged: a veth whose host end is a bridge port. */
export function attachBridged(net: NetworkManifest, a: Attachment, b: DesiredBuilder): void {
  const { owner, netns: ns } = a;
  const mtu = a.mtu ?? net.spec.mtu ?? DEFAULT_MTU;
  const br = bridgeOf(net);
  const peer = { name: a.ifname, netns: ns };
  b.add('link', null, owner, { name: a.hostName, kind: 'veth', up: true, mtu, master: br, peer }, a.field);
  b.add('link', ns, owner, {
    name: a.ifname,
    kind: 'veth',
    up: true,
    mtu,
    mac: a.mac,
    peer: { name: a.hostName, netns: null },
  });
  const cidrs = a.addresses.map((t) => withSubnetPrefix(net, t));
  for (const c of cidrs)
    b.add('address', ns, owner, { dev: a.ifname, family: c.family, cidr: `${c.address}/${c.prefix}` });
  for (const family of [4, 6] as const) {
    const gw = gatewaysOf(net).find((g) => g.family === family);
    if (gw && a.families.has(family)) {
      b.add('route', ns, owner, { family, dst: 'default', via: gw.address, dev: a.ifname, protocol: CTNET_PROTO });
    }
  }
}
