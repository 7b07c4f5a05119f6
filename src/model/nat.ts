import type { NftChain, NftPart, NftRule, NftTableObj } from './nft.js';
import { append } from './multimap.js';

/**
 * NAT of bridge networks (SPEC §1 `nat`), as one part of ctnet's nftables table in the host
 * namespace: IPv4 packets from a NAT network's subnets that leave through any interface other
 * than its bridge get the outgoing interface's address (masquerade), so an external machine
 * answers without a route back to the subnet. Only the network's own subnets are matched: a
 * routed container's packets (a /32 of a routed network, never inside a NAT subnet: the manifest
 * rules reject the overlap) keep their source.
 *
 * The rules name the bridge, which is the network's and goes with it: a partial destroy keeps
 * the rules of the bridges that stay (natOfTable reads them back).
 */
export interface NatNetwork {
  /** The network's bridge (`br-lan`). */
  readonly bridge: string;
  /** Its IPv4 subnets, canonical (`10.30.0.0/24`). */
  readonly subnets: readonly string[];
}

const CHAIN = 'postrouting';
// srcnat: the usual place for masquerade, after the filter hooks have seen the original source
const SRCNAT = 100;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const masquerade = (subnet: string, bridge: string): NftRule => [
  { match: ['ip saddr'], op: '==', value: { prefix: subnet } },
  { match: ['oifname'], op: '!=', value: { ifname: bridge } },
  { masquerade: true },
];

/** One rule per subnet, by bridge then subnet: the same networks give the same chain. */
export function natPart(nets: readonly NatNetwork[]): NftPart {
  const rules = [...nets]
    .sort((a, b) => cmp(a.bridge, b.bridge))
    .flatMap((n) => [...n.subnets].sort().map((s) => masquerade(s, n.bridge)));
  const chain: NftChain = {
    name: CHAIN,
    base: { type: 'nat', hook: 'postrouting', prio: SRCNAT, policy: 'accept' },
    rules,
  };
  return { sets: [], chains: rules.length ? [chain] : [] };
}

/** The NAT networks a table (as observed) masquerades; rules of any other shape are not ctnet's. */
export function natOfTable(t: NftTableObj): NatNetwork[] {
  const byBridge = new Map<string, string[]>();
  for (const r of t.chains.find((c) => c.name === CHAIN)?.rules ?? []) {
    // holes or nulls in a snapshot's rule are skipped, not read
    const [src, out, masq] = [r.at(0), r.at(1), r.at(2)];
    if (r.length !== 3 || !src || !out || !masq || !('masquerade' in masq)) continue;
    if (!('match' in src) || src.match.join() !== 'ip saddr' || !('prefix' in src.value)) continue;
    if (!('match' in out) || out.match.join() !== 'oifname' || out.op !== '!=' || !('ifname' in out.value)) continue;
    append(byBridge, out.value.ifname, src.value.prefix);
  }
  return [...byBridge.entries()].map(([bridge, subnets]) => ({ bridge, subnets }));
}
