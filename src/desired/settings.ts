import { CTNET_PROTO } from '../model/kernel.js';
import { parseCidr } from '../model/ip.js';
import type { ContainerManifest, NetworkManifest } from '../manifest/types.js';
import { routeHop } from '../manifest/route-hop.js';
import type { DesiredBuilder } from './builder.js';
import { ownerOf } from './owner.js';

/**
 * A container's own settings inside its namespace: extra routes (`spec.routes`, marked with
 * protocol 241 like every route ctnet makes) and sysctls (`spec.sysctls`).
 */
export function buildSettings(
  ct: ContainerManifest,
  netns: string,
  nets: ReadonlyMap<string, NetworkManifest>,
  b: DesiredBuilder,
): void {
  const owner = ownerOf(ct);
  for (const r of ct.spec.routes ?? []) {
    // the device and onlink the next hop needs (the routed gateway is on-link); validation refused the rest
    const hop = routeHop(ct, nets, r);
    const { dev, onlink } = 'error' in hop ? r : hop;
    const via = r.via === undefined ? undefined : parseCidr(r.via);
    const to = r.to === 'default' ? undefined : parseCidr(r.to);
    const family = to?.family ?? via?.family ?? 4;
    const dst = to ? `${to.address}/${to.prefix}` : 'default';
    const how = { ...(dev ? { dev } : {}), ...(onlink ? { onlink } : {}) };
    const route = { family, dst, via: via?.address, ...how, protocol: CTNET_PROTO };
    b.add('route', netns, owner, route, 'spec.routes');
  }
  for (const [key, value] of Object.entries(ct.spec.sysctls ?? {}))
    b.add('sysctl', netns, owner, { key, value: String(value) }, 'spec.sysctls');
}
