import type { ObservedState } from '../model/kernel.js';
import { uniqueName, type ImportDoc } from './doc.js';
import { addressesOn, bare, type VethPair } from './kernel-view.js';

/** The routed network's gateways, which ctnet's host ends hold: a default route via one is implied. */
export const ROUTED_GATEWAYS: ReadonlySet<string> = new Set(['169.254.0.1', 'fe80::1']);

/**
 * A veth on no bridge whose every address the host routes to its host end as a host route (/32,
 * /128): a routed (venet-like) interface, as ctnet's routed networks build one. Its addresses as
 * host addresses; undefined when it is no such interface.
 */
export function routedAddresses(o: ObservedState, pair: VethPair): string[] | undefined {
  if (pair.host.master) return undefined;
  const addrs = addressesOn(o, pair.ns, pair.end.name);
  const routedTo = (address: string, family: 4 | 6): boolean =>
    o.host.routes.some((r) => r.dev === pair.host.name && r.dst === `${address}/${family === 4 ? 32 : 128}`);
  const all = addrs.every((a) => routedTo(bare(a.cidr), a.family));
  return addrs.length && all ? addrs.map((a) => bare(a.cidr)) : undefined;
}

/**
 * The routed network those interfaces share; its uplink the interface the host answers ARP or NDP
 * for their addresses on (proxy entries), the one most of them use.
 */
export function routedNetwork(o: ObservedState, addresses: readonly string[], taken: Set<string>): ImportDoc {
  const count = new Map<string, number>();
  for (const n of o.host.neighbors) if (addresses.includes(n.dst)) count.set(n.dev, (count.get(n.dev) ?? 0) + 1);
  const uplink = [...count.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  return {
    kind: 'Network',
    name: uniqueName('routed', taken),
    spec: { type: 'routed', ...(uplink ? { uplink } : {}) },
    comment: [
      'Veths on no bridge whose addresses the host routes to them one by one: a routed network. ctnet gives',
      'their host ends 169.254.0.1 and fe80::1, routes each address, and lets a container send only from its',
      `own (nftables). ${uplink ? `Published on ${uplink} (proxy ARP/NDP), as now.` : 'No proxy entries: no uplink.'}`,
      'No subnets: the addresses are listed per interface.',
    ],
  };
}
