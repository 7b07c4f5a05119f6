import { CTNET_PROTO } from '../model/kernel.js';
import { parseCidr } from '../model/ip.js';
import type { NetworkManifest } from '../manifest/types.js';
import type { DesiredBuilder } from './builder.js';
import type { RoutedPort } from '../model/anti-spoofing.js';

/** Virtuozzo's host-routed gateway: every routed guest sends to it, the host end answers. */
export const ROUTED_GW4 = '169.254.0.1';
export const ROUTED_GW6 = 'fe80::1';
export const DEFAULT_MTU = 1500;

export interface Attachment {
  readonly owner: string;
  readonly netns: string;
  readonly ifname: string;
  readonly hostName: string;
  readonly addresses: readonly string[];
  readonly mtu?: number;
  readonly mac?: string;
}

/**
 * venet / host-routed: a point-to-point veth; the container holds its addresses as host
 * addresses and routes everything to the host; the host routes each address back through the
 * host end and answers ARP/NDP for it on the uplink. Returns the port for the isolation table,
 * which aggregates every routed interface of the host (see buildDesired).
 */
export function attachRouted(net: NetworkManifest, a: Attachment, b: DesiredBuilder): RoutedPort {
  const { owner, netns: ns } = a;
  const mtu = a.mtu ?? net.spec.mtu ?? DEFAULT_MTU;
  b.add('link', null, owner, { name: a.hostName, kind: 'veth', up: true, mtu, master: null, peer: { name: a.ifname, netns: ns } });
  b.add('link', ns, owner, { name: a.ifname, kind: 'veth', up: true, mtu, mac: a.mac, peer: { name: a.hostName, netns: null } });
  const cidrs = a.addresses.map((t) => parseCidr(t)!);
  const families = new Set(cidrs.map((c) => c.family));
  if (families.has(4)) {
    b.add('address', null, owner, { dev: a.hostName, family: 4, cidr: `${ROUTED_GW4}/32` });
    b.add('route', ns, owner, { family: 4, dst: 'default', via: ROUTED_GW4, dev: a.ifname, onlink: true, protocol: CTNET_PROTO });
    b.add('sysctl', null, owner, { key: 'net.ipv4.ip_forward', value: '1' });
  }
  if (families.has(6)) {
    b.add('address', null, owner, { dev: a.hostName, family: 6, cidr: `${ROUTED_GW6}/64` });
    b.add('route', ns, owner, { family: 6, dst: 'default', via: ROUTED_GW6, dev: a.ifname, protocol: CTNET_PROTO });
    b.add('sysctl', null, owner, { key: 'net.ipv6.conf.all.forwarding', value: '1' });
    b.add('sysctl', null, owner, { key: 'net.ipv6.conf.all.proxy_ndp', value: '1' });
  }
  for (const c of cidrs) {
    const hostPrefix = c.family === 4 ? 32 : 128;
    b.add('address', ns, owner, { dev: a.ifname, family: c.family, cidr: `${c.address}/${hostPrefix}` });
    b.add('route', null, owner, { family: c.family, dst: `${c.address}/${hostPrefix}`, dev: a.hostName, protocol: CTNET_PROTO });
    if (net.spec.uplink) {
      b.add('neighbor', null, owner, { family: c.family, dst: c.address, dev: net.spec.uplink, proxy: true, protocol: CTNET_PROTO });
    }
  }
  const own = (f: 4 | 6): string[] => cidrs.filter((c) => c.family === f).map((c) => c.address);
  return { dev: a.hostName, v4: own(4), v6: own(6) };
}
