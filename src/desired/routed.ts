import { CTNET_PROTO } from '../model/kernel.js';
import { parseCidr } from '../model/ip.js';
import type { NetworkManifest } from '../manifest/types.js';
import type { NsBuilder } from './ns-builder.js';

/** Virtuozzo's host-routed gateway: every routed guest sends to it, the host end answers. */
export const ROUTED_GW4 = '169.254.0.1';
export const ROUTED_GW6 = 'fe80::1';

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
 * host end and answers ARP/NDP for it on the uplink.
 */
export function attachRouted(net: NetworkManifest, a: Attachment, host: NsBuilder, ns: NsBuilder): void {
  const alias = `ctnet:${a.owner}`;
  const mtu = a.mtu ?? net.spec.mtu;
  host.link(a.owner, { name: a.hostName, kind: 'veth', alias, up: true, mtu, master: null, peer: { name: a.ifname, netns: a.netns } });
  ns.link(a.owner, { name: a.ifname, kind: 'veth', alias, up: true, mtu, mac: a.mac, peer: { name: a.hostName, netns: null } });
  const cidrs = a.addresses.map((t) => parseCidr(t)!);
  const families = new Set(cidrs.map((c) => c.family));
  if (families.has(4)) {
    host.address(a.owner, { dev: a.hostName, family: 4, cidr: `${ROUTED_GW4}/32` });
    ns.route(a.owner, { family: 4, dst: 'default', via: ROUTED_GW4, dev: a.ifname, onlink: true, protocol: CTNET_PROTO });
    host.sysctl(a.owner, 'net.ipv4.ip_forward', '1');
  }
  if (families.has(6)) {
    host.address(a.owner, { dev: a.hostName, family: 6, cidr: `${ROUTED_GW6}/64` });
    ns.route(a.owner, { family: 6, dst: 'default', via: ROUTED_GW6, dev: a.ifname, protocol: CTNET_PROTO });
    host.sysctl(a.owner, 'net.ipv6.conf.all.forwarding', '1');
    host.sysctl(a.owner, 'net.ipv6.conf.all.proxy_ndp', '1');
  }
  for (const c of cidrs) {
    const hostPrefix = c.family === 4 ? 32 : 128;
    ns.address(a.owner, { dev: a.ifname, family: c.family, cidr: `${c.address}/${hostPrefix}` });
    host.route(a.owner, { family: c.family, dst: `${c.address}/${hostPrefix}`, dev: a.hostName, protocol: CTNET_PROTO });
    if (net.spec.uplink) {
      host.neighbor(a.owner, { family: c.family, dst: c.address, dev: net.spec.uplink, proxy: true, protocol: CTNET_PROTO });
    }
  }
}
