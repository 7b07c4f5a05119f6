import { CTNET_PROTO } from '../model/kernel.js';
import { parseCidr, type Cidr } from '../model/ip.js';
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
  /**
   * Address families the interface has: those of its addresses, or, while its addresses are still
   * to be allocated, those its network's subnets offer (allocation gives one of each).
   */
  readonly families: ReadonlySet<4 | 6>;
  /** The interface's place in its manifest (`spec.interfaces[0]`): where a refusal of its host end points. */
  readonly field?: string;
}

/**
 * venet / host-routed: a point-to-point veth; the container holds its addresses as host
 * addresses and routes everything to the host through the gateway the host end holds.
 */
export function attachRouted(net: NetworkManifest, a: Attachment, b: DesiredBuilder): RoutedPort {
  const { owner, netns: ns } = a;
  const mtu = a.mtu ?? net.spec.mtu ?? DEFAULT_MTU;
  const peer = { name: a.ifname, netns: ns };
  b.add('link', null, owner, { name: a.hostName, kind: 'veth', up: true, mtu, master: null, peer }, a.field);
  b.add('link', ns, owner, {
    name: a.ifname,
    kind: 'veth',
    up: true,
    mtu,
    mac: a.mac,
    peer: { name: a.hostName, netns: null },
  });
  const cidrs = a.addresses.map((t) => parseCidr(t)!);
  const port = routeToGuest(net, owner, a.hostName, cidrs, a.families, b);
  const families = a.families;
  if (families.has(4))
    b.add('route', ns, owner, {
      family: 4,
      dst: 'default',
      via: ROUTED_GW4,
      dev: a.ifname,
      onlink: true,
      protocol: CTNET_PROTO,
    });
  if (families.has(6))
    b.add('route', ns, owner, { family: 6, dst: 'default', via: ROUTED_GW6, dev: a.ifname, protocol: CTNET_PROTO });
  for (const c of cidrs)
    b.add('address', ns, owner, { dev: a.ifname, family: c.family, cidr: `${c.address}/${c.family === 4 ? 32 : 128}` });
  return port;
}

/**
 * The host side of a routed guest, a container's veth end or a VM's tap alike: the link holds
 * the gateway the guest sends to (169.254.0.1, fe80::1), the host routes each guest address
 * (/32, /128) through the link and answers ARP/NDP for it on the uplink, and forwards. Returns
 * the port for the host's isolation table, which holds every routed interface (buildDesired).
 */
export function routeToGuest(
  net: NetworkManifest,
  owner: string,
  dev: string,
  cidrs: readonly Cidr[],
  families: ReadonlySet<4 | 6>,
  b: DesiredBuilder,
): RoutedPort {
  if (families.has(4)) {
    b.add('address', null, owner, { dev, family: 4, cidr: `${ROUTED_GW4}/32` });
    b.add('sysctl', null, owner, { key: 'net.ipv4.ip_forward', value: '1' });
  }
  if (families.has(6)) {
    b.add('address', null, owner, { dev, family: 6, cidr: `${ROUTED_GW6}/64` });
    b.add('sysctl', null, owner, { key: 'net.ipv6.conf.all.forwarding', value: '1' });
    b.add('sysctl', null, owner, { key: 'net.ipv6.conf.all.proxy_ndp', value: '1' });
  }
  for (const c of cidrs) {
    const hostPrefix = c.family === 4 ? 32 : 128;
    b.add('route', null, owner, { family: c.family, dst: `${c.address}/${hostPrefix}`, dev, protocol: CTNET_PROTO });
    if (net.spec.uplink) {
      b.add('neighbor', null, owner, {
        family: c.family,
        dst: c.address,
        dev: net.spec.uplink,
        proxy: true,
        protocol: CTNET_PROTO,
      });
    }
  }
  const own = (f: 4 | 6): string[] => cidrs.filter((c) => c.family === f).map((c) => c.address);
  return { dev, v4: own(4), v6: own(6) };
}
